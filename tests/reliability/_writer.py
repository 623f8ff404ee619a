"""Helper process for the kill -9 test: a fork server whose children write to a store.

Started once per test (imports are slow on a busy machine; forking is not). On each
``go <seed>`` line it forks a child that opens the store (``_writer.py STORE``: a store
spec for ``_stores.open_store``, the JSON file or an account on PostgreSQL) and adds,
edits (every field, with ``expected=`` as the log page does) and deletes sessions in a
loop, printing
``begin ...`` before each call and ``ack ...`` only after the call returned, so the test
knows which writes were acknowledged. The test then kills the child with SIGKILL at a
random moment; this process reaps it and says ``reaped <pid>``.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys

from tests.reliability._stores import open_store

EXERCISE = "quad_set"
MAX_SESSIONS = 40


def notes_for(op: str, size: int) -> str:
    """The notes an operation writes: the test rebuilds them from the printed line."""
    return ("a" if op == "add" else "u") * size


def fields_for(op: str, size: int) -> dict[str, object]:
    """Every field an add or an edit sets, all derived from ``size``: a session holding
    a mix of an old and a new version has fields that disagree with its notes."""
    return {
        "exercises": [{"exercise_id": EXERCISE, "sets": 1, "reps": [size % 200]}],
        "pain_before": 1 if op == "add" else 0,
        "pain_during": size % 11,
        "pain_after": (size // 11) % 11,
        "notes": notes_for(op, size),
    }


def say(text: str) -> None:
    # One write() per line: a pipe write this small is atomic, so a kill can never leave
    # half a line (print() may write the text and the newline separately).
    os.write(1, (text + "\n").encode())


def work(spec: str, seed: int) -> None:
    rng = random.Random(seed)
    # Opened in the child: a database connection is never shared across a fork.
    store = open_store(spec, {EXERCISE})
    ids = [s.id for s in store.sessions()]
    n = 0
    while True:
        roll = rng.random()
        size = rng.choice([0, 10, 200, 1500, rng.randrange(0, 2000)])
        if ids and (roll < 0.25 or len(ids) >= MAX_SESSIONS):
            op, sid = "del", ids.pop(rng.randrange(len(ids)))
        elif ids and roll < 0.55:
            op, sid = "upd", rng.choice(ids)
        else:
            op, sid = "add", f"s{seed}-{n}"
            n += 1
        say(f"begin {op} {sid} {size}")
        if op == "add":
            store.add_session(
                {
                    "id": sid,
                    "date": dt.date.today() - dt.timedelta(days=rng.randrange(300)),
                    **fields_for(op, size),
                }
            )
            ids.append(sid)
        elif op == "upd":
            # As the log page edits: from the session as read, refused if it changed.
            read = store.get_session(sid)
            store.update_session(sid, fields_for(op, size), expected=read)
        else:
            store.delete_session(sid)
        say(f"ack {op} {sid} {size}")


def main() -> None:
    spec = sys.argv[1]
    print("ready", flush=True)
    for line in sys.stdin:
        command = line.split()
        if not command or command[0] == "quit":
            break
        seed = int(command[1])
        sys.stdout.flush()  # nothing buffered may be duplicated into the child
        pid = os.fork()
        if pid == 0:
            try:
                say(f"pid {os.getpid()}")
                work(spec, seed)
            finally:
                os._exit(1)
        os.waitpid(pid, 0)
        print(f"reaped {pid}", flush=True)


if __name__ == "__main__":
    main()
