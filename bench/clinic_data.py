"""The clinic benchmark's data: many patients with a year of daily sessions each.

:func:`load` fills a migrated clinic database with one physiotherapist and ``patients``
patients who all accepted their code (``care_links``), each with ``days`` days of daily
sessions (``kneecore.demo.generate_history``: six exercises a session, self-checks,
phases, the odd amber or red day).

Fast, and still written the app's way: ``templates`` different histories (each its own
seed, ending on a different recent day, so the list has stale and active patients) are
imported through :meth:`PgStore.import_json`, which validates them and writes their
``patient_status`` rows in the same transaction (``attention.status_of``). Every other
patient gets a copy of one template's rows, items and status, copied by the server in
one ``INSERT ... SELECT`` each: the same rows the store would have written for the same
history, without 1,000 round trips of 365 sessions through Python.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, text

from kneecore.clinic.db import add_account, engine_for
from kneecore.clinic.pgstore import PgStore
from kneecore.content import Library, load_library
from kneecore.demo import generate_history

PHYSIO_SUBJECT = "physio-0"


def patient_subject(n: int) -> str:
    return f"patient-{n}"


@dataclass
class Loaded:
    """What :func:`load` made, and how long it took."""

    physio_id: int
    #: Patient number (0, 1, ...) to account id; patient n is a copy of template n % T.
    patients: dict[int, int]
    #: The export document each template patient was imported from.
    histories: list[dict[str, Any]] = field(default_factory=list)
    sessions: int = 0
    items: int = 0
    megabytes: float = 0.0
    seconds: float = 0.0


def load(
    engine: Engine,
    library: Library,
    *,
    patients: int = 1000,
    days: int = 365,
    templates: int = 20,
    today: dt.date | None = None,
) -> Loaded:
    started = time.perf_counter()
    today = today or dt.date.today()
    physio = add_account(
        engine, PHYSIO_SUBJECT, email="physio@example.org", name="Pat Physio", role="physio"
    )
    with engine.begin() as conn:
        rows = conn.execute(
            text(
                "INSERT INTO accounts (subject, email, name, role) "
                "SELECT 'patient-' || g, 'patient' || g || '@example.org', "
                "'Patient ' || g, 'patient' FROM generate_series(0, :last) AS g "
                "RETURNING id, subject"
            ),
            {"last": patients - 1},
        ).all()
    ids = {int(subject.split("-")[1]): int(pid) for pid, subject in rows}
    loaded = Loaded(physio, ids)

    templates = min(templates, patients)
    for t in range(templates):
        doc = generate_history(
            days,
            sessions_per_week=7,
            seed=100 + t,
            # Some patients logged today, others stopped up to 11 days ago.
            end=today - dt.timedelta(days=(3 * t) % 12),
            library=library,
        )
        PgStore(engine, ids[t], exercise_ids=library.exercise_ids).import_json(json.dumps(doc))
        loaded.histories.append(doc)

    copies = [(ids[n], ids[n % templates]) for n in range(templates, patients)]
    mapping = {"patients": [p for p, _ in copies], "templates": [t for _, t in copies]}
    pairs = (
        "SELECT unnest(CAST(:patients AS bigint[])) AS patient, "
        "unnest(CAST(:templates AS bigint[])) AS template"
    )
    with engine.begin() as conn:
        conn.execute(
            text(
                f"INSERT INTO items (account_id, kind, key, day, body) "
                f"SELECT m.patient, i.kind, i.key, i.day, i.body FROM items i "
                f"JOIN ({pairs}) m ON i.account_id = m.template"
            ),
            mapping,
        )
        conn.execute(
            text(
                f"INSERT INTO patient_status (patient_id, paused, red_sessions_14d, "
                f"morning_rising, last_log, improving, attention, updated_at) "
                f"SELECT m.patient, s.paused, s.red_sessions_14d, s.morning_rising, "
                f"s.last_log, s.improving, s.attention, s.updated_at FROM patient_status s "
                f"JOIN ({pairs}) m ON s.patient_id = m.template"
            ),
            mapping,
        )
        conn.execute(
            text(
                f"UPDATE accounts a SET revision = t.revision FROM ({pairs}) m "
                f"JOIN accounts t ON t.id = m.template WHERE a.id = m.patient"
            ),
            mapping,
        )
        conn.execute(
            text(
                "INSERT INTO care_links (physio_id, patient_id) "
                "SELECT :physio, id FROM accounts WHERE role = 'patient'"
            ),
            {"physio": physio},
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
        counts = conn.execute(
            text(
                "SELECT count(*) FILTER (WHERE kind = 'sessions'), count(*), "
                "pg_total_relation_size('items') FROM items"
            )
        ).one()
    loaded.sessions, loaded.items = int(counts[0]), int(counts[1])
    loaded.megabytes = int(counts[2]) / 1024 / 1024
    loaded.seconds = time.perf_counter() - started
    return loaded


# -- the load test's worker process (here, not in the bench script: AppTest replaces
# __main__, so a spawned process could not find a function defined there) ----------


def load_worker(
    url: str,
    patients: list[int],
    session: dict[str, Any],
    seconds: float,
    per_patient: int,
    think_s: float,
    seed: int,
    ready: Any,
    go: Any,
    results: Any,
) -> None:
    """One worker process: a thread per simulated patient, each on its own PgStore."""
    library = load_library()
    engine = engine_for(url, pool_size=len(patients), max_overflow=0)
    stores = [PgStore(engine, p, exercise_ids=library.exercise_ids) for p in patients]
    for store in stores:
        store.sessions()  # the patient's page is open: the store has read their data
    ready.put(os.getpid())
    go.wait()
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    acked: list[tuple[int, str, float, float]] = []
    failed: list[tuple[int, str, str]] = []

    def patient(index: int, store: PgStore) -> None:
        rng = random.Random(seed * 1000 + index)
        for n in range(per_patient):
            time.sleep(rng.uniform(0, 2 * think_s))
            if time.monotonic() >= deadline:
                return
            sid = f"load-{store.account_id}-{n}"
            start = time.perf_counter()
            try:
                store.add_session({**session, "id": sid})
            except Exception as exc:  # counted and reported, never hidden
                with lock:
                    failed.append((store.account_id, sid, repr(exc)[:200]))
                continue
            took = (time.perf_counter() - start) * 1000
            with lock:
                acked.append((store.account_id, sid, took, time.monotonic()))

    threads = [threading.Thread(target=patient, args=(i, s)) for i, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    results.put({"acked": acked, "failed": failed})
