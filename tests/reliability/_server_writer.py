"""Helper process for the server-kill test: threads adding sessions until told to stop.

``_server_writer.py URL ACCOUNTS NAME STOP``: ACCOUNTS is a comma-separated list of
account ids; thread ``t`` of the process writes to account ``ACCOUNTS[t % len]`` through
a :class:`PgStore` of its own. Each thread adds sessions one after the other, printing
``begin <account> <id>`` before the call, ``ack <account> <id>`` only after it returned,
and ``fail <account> <id> <kind>`` when it raised a ``StoreError`` (the server is down,
or went down mid-write: the outcome of that one write is unknown); after a failure it
waits a moment and goes on with a new id, as a person would save again. It stops when
the file STOP exists, or after :data:`LIMIT_S` whatever happens.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
import time
from pathlib import Path

from kneecore.clinic.pgstore import PgStore
from kneecore.storefile import StoreError
from tests.reliability._stores import writer_engine

EXERCISE = "quad_set"
THREADS = 4
LIMIT_S = 120
RETRY_S = 0.05


def fields_for(sid: str) -> dict[str, object]:
    """Every field of the session ``sid``, derived from its id: a session written in part
    would disagree with its id."""
    n = int(sid.rsplit("-", 1)[1])
    return {
        "id": sid,
        "date": dt.date.today() - dt.timedelta(days=n % 30),
        "exercises": [{"exercise_id": EXERCISE, "sets": 1 + n % 3, "reps": [n % 40] * (1 + n % 3)}],
        "pain_before": n % 3,
        "pain_during": n % 5,
        "pain_after": n % 4,
        "notes": f"written by {sid}",
    }


def main() -> None:
    url, accounts, name, stop = sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4])
    ids = [int(a) for a in accounts.split(",")]
    engine = writer_engine(url)
    lock = threading.Lock()
    deadline = time.monotonic() + LIMIT_S

    def say(text: str) -> None:
        with lock:
            os.write(1, (text + "\n").encode())

    def worker(t: int) -> None:
        account = ids[t % len(ids)]
        store = PgStore(engine, account, exercise_ids={EXERCISE})
        n = 0
        while not stop.exists() and time.monotonic() < deadline:
            sid = f"{name}-{t}-{n}"
            n += 1
            say(f"begin {account} {sid}")
            try:
                store.add_session(fields_for(sid))
            except StoreError as exc:
                say(f"fail {account} {sid} {exc.kind}")
                time.sleep(RETRY_S)
            else:
                say(f"ack {account} {sid}")

    print("ready", flush=True)
    threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()


if __name__ == "__main__":
    main()
