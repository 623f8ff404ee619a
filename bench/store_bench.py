"""Store benchmark: five years of daily sessions, timed against the raw JSON floor.

Builds a store with ``generate_history(1826, sessions_per_week=7)`` (1,826 sessions of
6 exercises each) and times, as the median of several runs:

* **open + read all**: a new ``Store`` object (cold cache) reading sessions, self-checks,
  phases and settings; floor: ``json.loads`` of the same file bytes;
* **add one session**: ``add_session`` on an open store (validate, lock, write a temp
  file, fsync, replace, fsync the folder); floor: ``json.dumps`` of the same document
  plus write and fsync of a file in the same folder;
* **export**: ``export_json`` on an open store; floor: ``json.dumps`` (indent 2) of the
  same export document.

Each measurement alternates with its floor so both see the same machine load. The
target (issue 12) is a ratio of at most 2x; the script exits with status 1 if one is
missed.
Run with ``make bench``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kneecore.content import load_library
from kneecore.demo import FIVE_YEARS_DAYS, generate_history
from kneecore.store import Store

RUNS = 15
TARGET = 2.0


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def paired(op: Callable[[], object], floor: Callable[[], object]) -> tuple[float, float]:
    """Medians (ms) of ``op`` and ``floor``, run alternately ``RUNS`` times."""
    ops, floors = [], []
    for _ in range(RUNS):
        floors.append(timed(floor))
        ops.append(timed(op))
    return statistics.median(ops), statistics.median(floors)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="knee-bench-") as folder:
        return run(Path(folder))


def run(folder: Path) -> int:
    library = load_library()
    ids = library.exercise_ids
    doc = generate_history(FIVE_YEARS_DAYS, sessions_per_week=7, library=library)
    path = folder / "knee-data.json"
    Store(path, exercise_ids=ids).import_json(json.dumps(doc))
    raw = path.read_bytes()
    n_sessions = len(doc["sessions"])
    n_entries = sum(len(s["exercises"]) for s in doc["sessions"])
    print(
        f"store: {n_sessions} sessions, {n_entries} exercise entries, "
        f"{len(raw) / 1024 / 1024:.2f} MB on disk; median of {RUNS} runs\n"
    )

    def open_read_all() -> None:
        store = Store(path, exercise_ids=ids)
        store.sessions()
        store.selfchecks()
        store.phase_history()
        store.settings()

    read = paired(open_read_all, lambda: json.loads(path.read_bytes()))

    store = Store(path, exercise_ids=ids)
    counter = iter(range(10**6))
    template = dict(doc["sessions"][-1], pain_next_morning=None)

    def add_one() -> None:
        store.add_session({**template, "id": f"bench-{next(counter)}", "date": dt.date.today()})

    # The first write of the day also keeps the daily backup (one extra copy of the
    # file); it is timed on its own so that the medians below are ordinary saves.
    first_write = timed(add_one)
    document = json.loads(path.read_bytes())
    floor_path = folder / "floor.json"

    def floor_write() -> None:
        payload = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
        with open(floor_path, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())

    add = paired(add_one, floor_write)

    export_doc = store.export_data()
    export = paired(store.export_json, lambda: json.dumps(export_doc, indent=2))
    cached = statistics.median(timed(store.sessions) for _ in range(RUNS))

    rows = [
        ("open + read all", read, "json.loads of the file"),
        ("add one session", add, "json.dumps + write + fsync"),
        ("export (JSON)", export, "json.dumps(indent=2) of the export"),
    ]
    failed = False
    print(f"{'operation':<18}{'median ms':>10}{'floor ms':>10}{'ratio':>8}  floor")
    for name, (op_ms, floor_ms), floor_name in rows:
        ratio = op_ms / floor_ms
        failed |= ratio > TARGET
        mark = "ok" if ratio <= TARGET else f"ABOVE {TARGET:g}x"
        print(f"{name:<18}{op_ms:>10.1f}{floor_ms:>10.1f}{ratio:>7.2f}x  {floor_name} {mark}")
    print(f"\nfirst save of the day (with daily backup): {first_write:.1f} ms")
    print(f"read all sessions again, same store object (cached): {cached:.1f} ms")
    print(f"\ntarget: every ratio at most {TARGET:g}x -> {'MISSED' if failed else 'met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
