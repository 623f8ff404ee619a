"""Clinic mode (issue 16): many people's data on a PostgreSQL server, same rules.

With ``KNEE_DATABASE_URL`` set, the app keeps each person's data in the clinic's
database instead of a JSON file (docs/clinic.md). The parts:

* :mod:`kneecore.clinic.db` -- the tables (SQLAlchemy Core), :func:`engine_for` and
  :func:`migrate` (Alembic, run from code; the steps are in ``migrations/``)
* :mod:`kneecore.clinic.pgstore` -- :class:`PgStore`, one account's data behind the
  store interface, with the rules of :class:`kneecore.storerules.StoreRules`
* :mod:`kneecore.clinic.pgcluster` -- :class:`LocalCluster`, a PostgreSQL server of our
  own in a folder, for the tests and for trying clinic mode on one machine
"""

from kneecore.clinic.db import add_account, engine_for, metadata, migrate
from kneecore.clinic.pgcluster import ClusterError, LocalCluster
from kneecore.clinic.pgstore import NoDataFile, PgStore, ReadOnlyStore

__all__ = [
    "ClusterError",
    "LocalCluster",
    "NoDataFile",
    "PgStore",
    "ReadOnlyStore",
    "add_account",
    "engine_for",
    "metadata",
    "migrate",
]
