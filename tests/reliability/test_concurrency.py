"""Many writers at once lose nothing: 2 processes x 4 threads, and many threads in one.

Streamlit serves every tab from a thread of one process (sharing one store), and two
app processes may run at once; every read-modify-write must see the previous one, and
of several editors saving the same session from the same copy exactly one wins. Each
test runs on the JSON file and on an account on PostgreSQL (``store_spec``,
``user_store``): the writer processes open whichever store their spec names.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path

from tests.reliability._stores import is_pg, opened

ROOT = Path(__file__).resolve().parents[2]
HAMMER = Path(__file__).with_name("_hammer.py")
EDITOR = Path(__file__).with_name("_editor.py")
PER_THREAD = 15
EDITED_SESSIONS = 25


def start(script: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        cwd=ROOT,
    )


def test_two_processes_of_four_threads_each_lose_no_write(store_spec, tmp_path):
    go = tmp_path / "go"
    procs = [start(HAMMER, store_spec, str(go), name, str(PER_THREAD)) for name in ("p1", "p2")]
    go.touch()
    acked_adds: set[str] = set()
    acked_updates: set[str] = set()
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        for line in out.splitlines():
            verb, sid = line.split()
            (acked_adds if verb == "added" else acked_updates).add(sid)
    assert len(acked_adds) == len(acked_updates) == 2 * 4 * PER_THREAD
    with opened(store_spec, {"quad_set"}) as store:
        stored = {s.id: s for s in store.sessions()}
        # Each acknowledged write bumped the revision once: none lost, none doubled.
        if is_pg(store_spec):
            assert store.revision().endswith(f".{2 * len(acked_adds)}")
    assert set(stored) == acked_adds
    for sid, session in stored.items():
        name, thread, _ = sid.split("-")
        assert session.notes == f"updated by {name}-{thread}", sid


def test_threads_sharing_one_store_and_threads_with_their_own_lose_nothing(
    user_store, reopen, library
):
    ex = library.exercises[0].id
    others = [reopen(user_store, {ex}) for _ in range(3)]
    errors: list[BaseException] = []

    def worker(s, t: int) -> None:
        try:
            for i in range(10):
                sid = s.add_session(
                    {
                        "id": f"t{t}-{i}",
                        "date": dt.date.today(),
                        "exercises": [{"exercise_id": ex, "sets": 1, "reps": [5]}],
                        "pain_before": 0,
                        "pain_during": 1,
                        "pain_after": 0,
                    }
                )
                s.update_session(sid, {"pain_next_morning": t % 11})
                s.sessions()
        except BaseException as exc:  # surfaced below, with the thread's data
            errors.append(exc)

    stores = [user_store, user_store, user_store, *others]
    threads = [threading.Thread(target=worker, args=(s, t)) for t, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stored = {s.id: s.pain_next_morning for s in reopen(user_store).sessions()}
    assert stored == {f"t{t}-{i}": t % 11 for t in range(len(stores)) for i in range(10)}


def test_editors_in_two_processes_saving_one_session_from_one_copy_exactly_one_wins(
    store_spec, tmp_path
):
    with opened(store_spec, {"quad_set"}) as store:
        for i in range(EDITED_SESSIONS):
            store.add_session(
                {
                    "id": f"s{i}",
                    "date": dt.date.today(),
                    "exercises": [{"exercise_id": "quad_set", "sets": 1, "reps": [10]}],
                    "pain_before": 0,
                    "pain_during": 1,
                    "pain_after": 0,
                    "notes": "as read",
                }
            )
    go = tmp_path / "go"
    procs = [start(EDITOR, store_spec, str(go), name) for name in ("p1", "p2")]
    for proc in procs:
        # Both have read every session (their stale forms) before anyone saves.
        assert proc.stdout is not None and proc.stdout.readline().strip() == "read"
    go.touch()
    winners: dict[str, list[str]] = {}
    conflicts: dict[str, int] = {}
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        for line in out.splitlines():
            verb, sid, *who = line.split()
            if verb == "won":
                winners.setdefault(sid, []).append(who[0])
            else:
                conflicts[sid] = conflicts.get(sid, 0) + 1
    ids = {f"s{i}" for i in range(EDITED_SESSIONS)}
    assert {sid: len(w) for sid, w in winners.items()} == dict.fromkeys(ids, 1)
    assert conflicts == dict.fromkeys(ids, 3)  # 2 processes x 2 threads, one winner each
    with opened(store_spec, {"quad_set"}) as store:
        stored = {s.id: s.notes for s in store.sessions()}
    assert stored == {sid: w[0] for sid, w in winners.items()}
