"""kill -9 at random moments never loses an acknowledged write or breaks the file.

A child process adds, edits and deletes sessions (growing and shrinking the file) and
prints each write only after the store call returned. The test kills it with SIGKILL
at a random moment, then opens the store and checks it against every acknowledged
write; the one write in flight may or may not have landed, but nothing else. An edit
changes every field of a session, so each stored session is checked whole: the old or
the new version, never a mix. Opening the store removes the killed writer's temporary
files, in the data folder and in ``backups/``.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kneecore.store import Store
from tests.reliability._writer import EXERCISE, fields_for

KILLS = 200
WRITER = Path(__file__).with_name("_writer.py")
ROOT = Path(__file__).resolve().parents[2]


def apply(state: dict[str, dict[str, object]], line: str) -> dict[str, dict[str, object]]:
    _, op, sid, size = line.split()
    new = dict(state)
    if op == "del":
        new.pop(sid, None)
    else:
        new[sid] = fields_for(op, int(size))
    return new


def stored_fields(store: Store) -> dict[str, dict[str, object]]:
    """Each stored session in the shape of ``fields_for``, to compare whole sessions."""
    return {
        s.id: {
            "exercises": [
                {"exercise_id": e.exercise_id, "sets": e.sets, "reps": list(e.reps)}
                for e in s.exercises
            ],
            "pain_before": s.pain_before,
            "pain_during": s.pain_during,
            "pain_after": s.pain_after,
            "notes": s.notes,
        }
        for s in store.sessions()
    }


def temp_files(folder: Path) -> list[str]:
    """Temporary files in the data folder and its backups folder."""
    found = []
    for where in (folder, folder / "backups"):
        if where.is_dir():
            found += [p.name for p in where.iterdir() if p.name.endswith(".tmp")]
    return found


class Writer:
    """The fork server process and a thread turning its output into a queue of lines."""

    def __init__(self, path: Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            env=env,
            cwd=ROOT,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        assert self.next() == "ready"

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())

    def next(self, timeout: float = 30) -> str:
        return self.lines.get(timeout=timeout)

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def close(self) -> None:
        self.send("quit")
        self.proc.wait(timeout=30)


@pytest.mark.slow
def test_kill_9_at_random_moments_loses_no_acknowledged_write(tmp_path):
    path = tmp_path / "knee-data.json"
    rng = random.Random(20240607)
    writer = Writer(path)
    expected: dict[str, dict[str, object]] = {}
    in_flight_kills = acked_total = 0
    try:
        for round_no in range(KILLS):
            writer.send(f"go {round_no}")
            first = writer.next()
            assert first.startswith("pid "), first
            pid = int(first.split()[1])
            # Let it write for a random while, then kill it wherever it is.
            time.sleep(rng.uniform(0.005, 0.06))
            os.kill(pid, signal.SIGKILL)
            begun: str | None = None
            while (line := writer.next()) != f"reaped {pid}":
                if line.startswith("begin "):
                    begun = line
                elif line.startswith("ack "):
                    assert begun is not None and begun[6:] == line[4:]
                    expected = apply(expected, line)
                    begun = None
                    acked_total += 1
            store = Store(path, exercise_ids={EXERCISE})
            actual = stored_fields(store)  # the file always opens
            assert temp_files(tmp_path) == [], f"round {round_no}: opening left a temp file"
            if begun is not None:
                in_flight_kills += 1
                if actual != expected:
                    # The write in flight may have completed just before the kill.
                    expected = apply(expected, begun)
            assert actual == expected, f"round {round_no}: stored data differs"
    finally:
        writer.close()
    assert acked_total > KILLS, "the writer should get several writes done per round"
    assert in_flight_kills > KILLS // 4, "most kills should land during a write"
    assert temp_files(tmp_path) == []
