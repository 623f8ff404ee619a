"""Helper process for the concurrency test: threads edit the same sessions from stale copies.

``_editor.py STORE GO NAME``: STORE is a store spec (``_stores.open_store``). Each
thread reads every session first (its "form"), then, once the file GO exists, saves its
own note on each of them with ``expected=`` its copy. Exactly one editor of all
processes and threads may win each session; the rest must get ``StoreConflict``.
Prints ``won <id>`` or ``conflict <id>`` per attempt.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

from kneecore.store import StoreConflict
from tests.reliability._stores import open_store

EXERCISE = "quad_set"
THREADS = 2


def main() -> None:
    spec, go, name = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    store = open_store(spec, {EXERCISE}, lock_timeout=60)
    forms = [{s.id: s for s in store.sessions()} for _ in range(THREADS)]
    print("read", flush=True)
    while not go.exists():
        time.sleep(0.002)
    lock = threading.Lock()

    def say(text: str) -> None:
        with lock:
            os.write(1, (text + "\n").encode())

    def editor(t: int) -> None:
        for sid, stale in forms[t].items():
            try:
                store.update_session(sid, {"notes": f"{name}-{t}"}, expected=stale)
            except StoreConflict:
                say(f"conflict {sid}")
            else:
                say(f"won {sid} {name}-{t}")

    threads = [threading.Thread(target=editor, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main()
