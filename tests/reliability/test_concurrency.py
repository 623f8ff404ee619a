"""Many writers at once lose nothing: 2 processes x 4 threads, and many threads in one.

Streamlit serves every tab from a thread of one process (sharing one Store), and two
app processes may run at once; every read-modify-write must see the previous one.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path

from kneecore.store import Store

ROOT = Path(__file__).resolve().parents[2]
HAMMER = Path(__file__).with_name("_hammer.py")
PER_THREAD = 15


def test_two_processes_of_four_threads_each_lose_no_write(tmp_path):
    path = tmp_path / "knee-data.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [
        subprocess.Popen(
            [sys.executable, str(HAMMER), str(path), name, str(PER_THREAD)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for name in ("p1", "p2")
    ]
    (tmp_path / "go").touch()
    acked_adds: set[str] = set()
    acked_updates: set[str] = set()
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        for line in out.splitlines():
            verb, sid = line.split()
            (acked_adds if verb == "added" else acked_updates).add(sid)
    assert len(acked_adds) == len(acked_updates) == 2 * 4 * PER_THREAD
    stored = {s.id: s for s in Store(path, exercise_ids={"quad_set"}).sessions()}
    assert set(stored) == acked_adds
    for sid, session in stored.items():
        name, thread, _ = sid.split("-")
        assert session.notes == f"updated by {name}-{thread}", sid


def test_threads_sharing_one_store_and_threads_with_their_own_lose_nothing(store, library):
    ex = library.exercises[0].id
    others = [Store(store.path, exercise_ids={ex}) for _ in range(3)]
    errors: list[BaseException] = []

    def worker(s: Store, t: int) -> None:
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

    stores = [store, store, store, *others]
    threads = [threading.Thread(target=worker, args=(s, t)) for t, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stored = {s.id: s.pain_next_morning for s in store.sessions()}
    assert stored == {f"t{t}-{i}": t % 11 for t in range(len(stores)) for i in range(10)}
