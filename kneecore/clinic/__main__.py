"""The clinic's administration: ``python -m kneecore.clinic COMMAND``.

* ``add-physio EMAIL``: make the person with that e-mail a physiotherapist (their
  account if they have signed in, else one their first sign-in takes over);
* ``migrate``: bring the database to the current tables (the app does this at start).

The database is ``KNEE_DATABASE_URL`` (or ``--database URL``); it is migrated first.
No password is ever printed.
"""

from __future__ import annotations

import argparse
import os
import sys

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from kneecore.clinic.accounts import Accounts
from kneecore.clinic.db import engine_for, migrate

#: The variable that puts the app in clinic mode and names its database.
DATABASE_ENV = "KNEE_DATABASE_URL"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m kneecore.clinic", description="Kneecare clinic mode: administration."
    )
    parser.add_argument(
        "--database",
        default=None,
        help=f"the database URL (default: the {DATABASE_ENV} environment variable)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    physio = commands.add_parser("add-physio", help="make someone a physiotherapist")
    physio.add_argument("email", help="their e-mail address, as they sign in with it")
    commands.add_parser("migrate", help="bring the database to the current tables")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    url = args.database or os.environ.get(DATABASE_ENV)
    if not url:
        print(f"Set {DATABASE_ENV} to the clinic's database URL (or give --database).")
        return 2
    shown = make_url(url).render_as_string(hide_password=True)
    engine = engine_for(url)
    try:
        migrate(engine)
        if args.command == "migrate":
            print(f"The database {shown} has the current tables.")
            return 0
        made = Accounts(engine).make_physio(args.email)
    except ValueError as exc:
        print(exc)
        return 2
    except SQLAlchemyError as exc:
        # The driver's own message can quote the URL: name the database without it.
        print(f"The database {shown} could not be used ({type(exc).__name__}).")
        return 1
    finally:
        engine.dispose()
    numbers = ", ".join(str(account.id) for account in made)
    print(f"{args.email} is a physiotherapist now (account {numbers}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
