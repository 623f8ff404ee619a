"""Helper process for the concurrency test: 4 threads add then update sessions at once.

``_hammer.py STORE GO NAME PER_THREAD``: STORE is a store spec (``_stores.open_store``:
the JSON file, or an account on the clinic's PostgreSQL server). Waits until the file
GO exists (so both processes start together), then each thread adds its sessions and
updates every one of them; each acknowledged id is printed.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
import time
from pathlib import Path

from tests.reliability._stores import open_store

EXERCISE = "quad_set"
THREADS = 4


def main() -> None:
    spec, go, name, per_thread = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    store = open_store(spec, {EXERCISE}, lock_timeout=60)
    while not go.exists():
        time.sleep(0.005)
    lock = threading.Lock()

    def say(text: str) -> None:
        with lock:
            os.write(1, (text + "\n").encode())

    def worker(t: int) -> None:
        ids = []
        for i in range(per_thread):
            sid = store.add_session(
                {
                    "id": f"{name}-{t}-{i}",
                    "date": dt.date.today(),
                    "exercises": [{"exercise_id": EXERCISE, "sets": 1, "reps": [i % 50]}],
                    "pain_before": 0,
                    "pain_during": t,
                    "pain_after": 0,
                }
            )
            ids.append(sid)
            say(f"added {sid}")
        for sid in ids:
            store.update_session(sid, {"notes": f"updated by {name}-{t}"})
            say(f"updated {sid}")

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main()
