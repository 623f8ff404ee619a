"""kill -9 at random moments never loses an acknowledged write or breaks the file.

A child process adds, updates and deletes sessions (growing and shrinking the file) and
prints each write only after the store call returned. The test kills it with SIGKILL
at a random moment, then opens the store and checks it against every acknowledged
write; the one write in flight may or may not have landed, but nothing else.
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
from tests.reliability._writer import EXERCISE, notes_for

KILLS = 200
WRITER = Path(__file__).with_name("_writer.py")
ROOT = Path(__file__).resolve().parents[2]


def apply(state: dict[str, str], line: str) -> dict[str, str]:
    _, op, sid, size = line.split()
    new = dict(state)
    if op == "del":
        new.pop(sid, None)
    else:
        new[sid] = notes_for(op, int(size))
    return new


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
    expected: dict[str, str] = {}
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
            actual = {s.id: s.notes for s in store.sessions()}  # the file always opens
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
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) <= 1, "stale temporary files are cleaned up on the next write"
