"""Clinic-mode benchmark (issue 16): 1,000 patients with a year of daily sessions each.

Starts a PostgreSQL server of its own in a temporary folder (``LocalCluster``, loopback
only, fsync on as a real server has it), migrates a database and loads it
(``bench/clinic_data.py``): one physiotherapist, 1,000 patients who accepted their
code, each with 365 days of daily sessions. Then it measures:

* **Patient list**: ``Accounts.patients_of(physio, today)`` over all 1,000 patients (the
  physiotherapist's Patients page reads exactly this), median of ``--runs`` calls.
  Target: under 300 ms.
* **Progress page**: one patient's Progress page, a server-side rerun of the real app
  (``streamlit.testing.v1.AppTest`` on ``app.py``, warm as after the first visit), in
  clinic mode (``KNEE_DATABASE_URL``, signed in as the patient) against the same page
  in one-person mode on the JSON file holding the same patient's year; interleaved, and
  the ratio of the medians reported. If the clinic app cannot open the page, the data
  part is timed instead (a new store object reading everything and
  ``analytics.progress_frames``) on both stores, and the output says so.
* **Load test**: 50 simulated patients (threads, spread over ``--processes`` worker
  processes so one interpreter's lock does not serialise them), each saving sessions
  through ``PgStore.add_session`` on its own account with a think time between saves,
  for a bounded time and count; throughput and p50/p95 latency of the saves, then
  every acknowledged session is looked up in the database. Target: p95 under 200 ms,
  nothing lost.

The exit status is 1 when a target is missed or a check fails. Run with ``make bench``
or ``python bench/clinic_bench.py [--patients N] [--load-seconds S] ...``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy import Engine, text  # noqa: E402

from kneecore.clinic.accounts import Accounts  # noqa: E402
from kneecore.clinic.db import engine_for, migrate  # noqa: E402
from kneecore.clinic.pgcluster import LocalCluster  # noqa: E402
from kneecore.clinic.pgstore import PgStore  # noqa: E402
from kneecore.content import load_library  # noqa: E402

#: This script's module, as it was before AppTest replaced ``__main__``.
MAIN = sys.modules[__name__]
LIST_TARGET_MS = 300.0
P95_TARGET_MS = 200.0
TIMEOUT_S = 120.0
DATABASE_ENV = "KNEE_DATABASE_URL"
#: An ``[auth]`` section as a practice's secrets have it; AppTest signs in by ``at.user``.
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "bench-cookie-secret-not-a-real-one",
    "client_id": "kneecare-bench",
    "client_secret": "bench-client-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


# -- (i) the patient list ---------------------------------------------------------------


def bench_list(engine: Engine, physio: int, runs: int, ids: frozenset[str]) -> tuple[float, int]:
    accounts = Accounts(engine, exercise_ids=ids)
    today = dt.date.today()
    listed = accounts.patients_of(physio, today)  # warm: connection and plan
    times = [timed(lambda: accounts.patients_of(physio, today)) for _ in range(runs)]
    return statistics.median(times), len(listed)


# -- (ii) one patient's Progress page ---------------------------------------------------


def share_script_cache() -> None:
    """Compile each script once, as the server does (see bench/page_bench.py)."""
    import streamlit.testing.v1.app_test as app_test
    import streamlit.testing.v1.local_script_runner as local_runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared  # type: ignore[assignment,misc]
    local_runner.ScriptCache = lambda: shared  # type: ignore[assignment,misc]


def exception_of(at: Any) -> str | None:
    errors = getattr(at, "exception", [])
    return "; ".join(str(e.value) for e in errors)[:300] if errors else None


class Mode:
    """Runs an AppTest with the environment of one mode (clinic or file) in place."""

    def __init__(self, url: str | None) -> None:
        self.url = url

    def __enter__(self) -> None:
        if self.url:
            os.environ[DATABASE_ENV] = self.url
        else:
            os.environ.pop(DATABASE_ENV, None)

    def __exit__(self, *exc: object) -> None:
        os.environ.pop(DATABASE_ENV, None)


def open_progress(
    url: str | None, subject: str, page: str = "progress", viewing: int | None = None
) -> Any:
    """The app on ``pages/<page>.py``: signed in as ``subject`` in clinic mode (``url``),
    else through the one-person app's token gate; ``viewing``: the patient a
    physiotherapist opened."""
    from streamlit.testing.v1 import AppTest

    from kneecore.access import TOKEN_PARAM, token

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S)
    with Mode(url):
        if url:
            at.user = {
                "is_logged_in": True,
                "sub": subject,
                "email": f"{subject}@example.org",
                "name": subject,
            }
            at.secrets["auth"] = dict(AUTH)
            if viewing is not None:
                at.session_state["clinic_viewing"] = viewing
        else:
            at.query_params[TOKEN_PARAM] = token()
        at.run()
        at.switch_page(f"pages/{page}.py")
        at.run()
        at.run()  # warm: caches filled, as for any rerun after the first visit
    error = exception_of(at)
    if error:
        raise RuntimeError(error)
    if not at.segmented_control and not at.metric:
        raise RuntimeError(f"{page} shows no progress figures (titles: {titles(at)!r})")
    return at


def titles(at: Any) -> str:
    return " / ".join(str(e.value) for e in [*at.title, *at.header, *at.subheader])[:200]


def bench_page_apptest(
    url: str, subject: str, runs: int, *, page: str = "progress", viewing: int | None = None
) -> tuple[float, float]:
    share_script_cache()
    clinic = open_progress(url, subject, page, viewing)
    single = open_progress(None, subject)
    clinic_ms: list[float] = []
    file_ms: list[float] = []
    for _ in range(runs):
        with Mode(None):
            file_ms.append(timed(single.run))
        with Mode(url):
            clinic_ms.append(timed(clinic.run))
    for at in (clinic, single):
        error = exception_of(at)
        if error:
            raise RuntimeError(error)
    return statistics.median(clinic_ms), statistics.median(file_ms)


def bench_page_data(
    engine: Engine, account: int, file_path: Path, runs: int
) -> tuple[float, float]:
    """The data part of the page: a new store object reads everything, and the frames."""
    from kneecore import analytics as an
    from kneecore.store import Store

    library = load_library()
    ids = library.exercise_ids

    def build(store: Any) -> None:
        an.progress_frames(
            store.sessions(),
            store.selfchecks(),
            store.phase_history(),
            dt.date.today(),
            library,
            planned_per_week=len(store.settings().reminder_days) or None,
        )

    pg_ms: list[float] = []
    file_ms: list[float] = []
    for _ in range(runs):
        file_ms.append(timed(lambda: build(Store(file_path, exercise_ids=ids))))
        pg_ms.append(timed(lambda: build(PgStore(engine, account, exercise_ids=ids))))
    return statistics.median(pg_ms), statistics.median(file_ms)


# -- (iii) the load test ------------------------------------------------------------------


def bench_load(
    url: str,
    engine: Engine,
    accounts: list[int],
    session: dict[str, Any],
    *,
    processes: int,
    seconds: float,
    per_patient: int,
    think_s: float,
) -> dict[str, Any]:
    from clinic_data import load_worker

    # Streamlit's script runner (AppTest) put the app's script in sys.modules["__main__"];
    # a spawned process would run that script on start-up, so this script goes back.
    sys.modules["__main__"] = MAIN
    ctx = mp.get_context("spawn")
    ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    shares = [accounts[i::processes] for i in range(processes)]
    procs = [
        ctx.Process(
            target=load_worker,
            args=(url, share, session, seconds, per_patient, think_s, i, ready, go, results),
        )
        for i, share in enumerate(shares)
    ]
    for proc in procs:
        proc.start()
    for _ in procs:
        ready.get(timeout=TIMEOUT_S)
    started = time.monotonic()
    go.set()
    gathered = [results.get(timeout=seconds + TIMEOUT_S) for _ in procs]
    wall = time.monotonic() - started
    for proc in procs:
        proc.join(timeout=30)
    acked = [a for g in gathered for a in g["acked"]]
    failed = [f for g in gathered for f in g["failed"]]
    with engine.connect() as conn:
        stored = {
            (int(a), str(sid))
            for a, sid in conn.execute(
                text(
                    "SELECT account_id, body->>'id' FROM items WHERE kind = 'sessions' "
                    "AND body->>'id' LIKE 'load-%'"
                )
            )
        }
    acked_ids = {(a, sid) for a, sid, _, _ in acked}
    latencies = [ms for _, _, ms, _ in acked]
    return {
        "acked": len(acked),
        "failed": failed,
        "lost": sorted(acked_ids - stored),
        "unacked_stored": sorted(stored - acked_ids - {(a, s) for a, s, _ in failed}),
        "wall": wall,
        "throughput": len(acked) / wall if wall else 0.0,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "max": max(latencies, default=float("nan")),
    }


# -- the whole run ------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365, help="days of daily sessions each")
    parser.add_argument("--runs", type=int, default=15, help="timed calls of the list")
    parser.add_argument("--page-runs", type=int, default=10, help="timed reruns of the page")
    parser.add_argument("--load-patients", type=int, default=50)
    parser.add_argument("--processes", type=int, default=2, help="load-test worker processes")
    parser.add_argument("--load-seconds", type=float, default=30.0)
    parser.add_argument("--per-patient", type=int, default=40, help="most saves per patient")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between saves")
    args = parser.parse_args(argv)

    library = load_library()
    ok = True
    with tempfile.TemporaryDirectory(prefix="knee-clinic-bench-") as tmp:
        os.environ["KNEE_DATA_DIR"] = str(Path(tmp) / "knee-data")
        started = time.perf_counter()
        with LocalCluster.temporary(fast=False) as cluster:
            url = cluster.create_database("bench")
            migrate(url)
            print(
                f"PostgreSQL server started and migrated in {time.perf_counter() - started:.1f} s"
            )
            engine = engine_for(url)
            try:
                ok = run(args, engine, url, library, Path(tmp))
            finally:
                engine.dispose()
    return 0 if ok else 1


def run(args: argparse.Namespace, engine: Engine, url: str, library: Any, tmp: Path) -> bool:
    from clinic_data import PHYSIO_SUBJECT, load, patient_subject

    from kneecore.store import Store, default_store_path

    ok = True
    data = load(engine, library, patients=args.patients, days=args.days)
    print(
        f"Loaded {args.patients} patients x {args.days} days: {data.sessions:,} sessions, "
        f"{data.items:,} items, {data.megabytes:.0f} MB in items, in {data.seconds:.1f} s"
    )

    # (i) the clinician's patient list
    list_ms, listed = bench_list(engine, data.physio_id, args.runs, library.exercise_ids)
    list_ok = list_ms < LIST_TARGET_MS and listed == args.patients
    ok &= list_ok
    print(
        f"\nPatient list (Accounts.patients_of, {listed} patients): median {list_ms:.1f} ms "
        f"of {args.runs} calls; target < {LIST_TARGET_MS:.0f} ms: "
        f"{'ok' if list_ok else 'MISSED'}"
    )

    # (ii) one patient's Progress page: the same year on the server and in the file
    file_store = Store(default_store_path(), exercise_ids=library.exercise_ids)
    file_store.import_json(json.dumps(data.histories[0]))
    subject = patient_subject(0)
    tries: list[tuple[str, Callable[[], tuple[float, float]]]] = [
        (
            "the patient's own Progress page (pages/progress.py), server-side rerun "
            "(AppTest on app.py, warm)",
            lambda: bench_page_apptest(url, subject, args.page_runs),
        ),
        (
            "the physiotherapist's view of the patient (pages/clinic_patient.py, the "
            "Progress page's figures and charts) against the file's Progress page, "
            "server-side rerun (AppTest on app.py, warm)",
            lambda: bench_page_apptest(
                url,
                PHYSIO_SUBJECT,
                args.page_runs,
                page="clinic_patient",
                viewing=data.patients[0],
            ),
        ),
        (
            "DATA PART ONLY (a new store object reading everything + progress_frames), "
            "not the page: the clinic app could not open it",
            lambda: bench_page_data(engine, data.patients[0], file_store.path, args.page_runs),
        ),
    ]
    for how, attempt in tries:
        try:
            clinic_ms, file_ms = attempt()
            break
        except Exception as exc:  # the clinic app could not open it: say so, try the next
            print(f"\nNot measured: {how.split(',')[0]}: {exc!r}"[:500])
    print(
        f"\nProgress page, one patient with {args.days} days of daily sessions; {how}:\n"
        f"  clinic (PostgreSQL, {args.patients:,} patients):  median {clinic_ms:.1f} ms\n"
        f"  one person (JSON file, one patient):  median {file_ms:.1f} ms\n"
        f"  ratio clinic / file: {clinic_ms / file_ms:.2f}x (median of {args.page_runs} "
        "interleaved reruns each; no target, reported)"
    )

    # (iii) the load test
    count = min(args.load_patients, args.patients - 1)
    accounts = [data.patients[n] for n in range(1, count + 1)]
    last = data.histories[0]["sessions"][-1]
    session = {k: v for k, v in last.items() if k not in ("id", "pain_next_morning")}
    session["date"] = dt.date.today().isoformat()
    result = bench_load(
        url,
        engine,
        accounts,
        session,
        processes=args.processes,
        seconds=args.load_seconds,
        per_patient=args.per_patient,
        think_s=args.think,
    )
    nothing_lost = not result["lost"] and not result["unacked_stored"]
    load_ok = result["p95"] < P95_TARGET_MS and nothing_lost and not result["failed"]
    ok &= load_ok
    print(
        f"\nLoad test: {count} simulated patients ({args.processes} processes), each saving "
        f"a session through PgStore.add_session then thinking 0-{2 * args.think:g} s "
        f"(mean {args.think:g} s), for {args.load_seconds:g} s or {args.per_patient} "
        f"saves each, on loopback:\n"
        f"  {result['acked']} saves acknowledged in {result['wall']:.1f} s: "
        f"{result['throughput']:.1f} saves/s\n"
        f"  latency p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, "
        f"max {result['max']:.1f} ms\n"
        f"  failed calls: {len(result['failed'])}"
        + (f" (first: {result['failed'][0]})" if result["failed"] else "")
        + f"\n  lost (acknowledged, not stored): {len(result['lost'])}; stored but never "
        f"acknowledged nor failed: {len(result['unacked_stored'])}\n"
        f"  target p95 < {P95_TARGET_MS:.0f} ms, nothing lost, no failed call: "
        f"{'ok' if load_ok else 'MISSED'}"
    )
    print(
        "\nTargets: patient list < 300 ms at 1,000 patients; logging p95 < 200 ms at 50 "
        f"concurrent patients: {'every target met' if ok else 'a target was MISSED'}"
    )
    return ok


if __name__ == "__main__":
    sys.exit(main())
