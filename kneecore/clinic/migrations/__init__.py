"""Alembic's migrations of the clinic's database, run by ``kneecore.clinic.db.migrate``.

``env.py`` runs them on the connection ``migrate`` hands over; ``versions/`` holds one
module per step, ``0001`` first. A new step is a new module whose ``down_revision`` is
the last one's; ``tests/unit/test_pgstore.py`` checks that the steps together build
exactly the tables of ``kneecore/clinic/db.py``.
"""
