"""Clinic mode (issue 16): many people's data on a PostgreSQL server, same rules.

With ``KNEE_DATABASE_URL`` set, the app keeps each person's data in the clinic's
database instead of a JSON file (docs/clinic.md). The parts:

* :mod:`kneecore.clinic.db` -- the tables (SQLAlchemy Core), :func:`engine_for` and
  :func:`migrate` (Alembic, run from code; the steps are in ``migrations/``)
* :mod:`kneecore.clinic.pgstore` -- :class:`PgStore`, one account's data behind the
  store interface, with the rules of :class:`kneecore.storerules.StoreRules`
* :mod:`kneecore.clinic.pgcluster` -- :class:`LocalCluster`, a PostgreSQL server of our
  own in a folder, for the tests and for trying clinic mode on one machine
* :mod:`kneecore.clinic.attention` -- :func:`status_of`, what in one patient's data
  needs a physiotherapist's attention (pure), and the list's sort key
* :mod:`kneecore.clinic.accounts` -- :class:`Accounts`: sign-in, roles, invitation
  codes, who may see whose store, notes and the audit trail
* ``python -m kneecore.clinic add-physio EMAIL`` -- make someone a physiotherapist
"""

from kneecore.clinic.accounts import Account, Accounts, InvitationError
from kneecore.clinic.attention import PatientStatus, status_of
from kneecore.clinic.db import add_account, engine_for, metadata, migrate
from kneecore.clinic.pgcluster import ClusterError, LocalCluster
from kneecore.clinic.pgstore import NoDataFile, PgStore, ReadOnlyStore

__all__ = [
    "Account",
    "Accounts",
    "ClusterError",
    "InvitationError",
    "LocalCluster",
    "NoDataFile",
    "PatientStatus",
    "PgStore",
    "ReadOnlyStore",
    "add_account",
    "engine_for",
    "metadata",
    "migrate",
    "status_of",
]
