"""A full disk or a permission error while saving leaves the old file intact.

Errors are injected at each step of the atomic write (writing the temporary file,
fsync, replace), and a real "file too large" error is produced with RLIMIT_FSIZE in a
child process. Each time: a clear StoreError for the user, the old bytes untouched,
no temporary file left, and the store still works afterwards.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import kneecore.atomic
from kneecore.store import Store, StoreError

ROOT = Path(__file__).resolve().parents[2]


def session(ex: str, notes: str = "") -> dict[str, Any]:
    return {
        "date": dt.date.today(),
        "exercises": [{"exercise_id": ex, "sets": 1, "reps": [10]}],
        "pain_before": 1,
        "pain_during": 2,
        "pain_after": 1,
        "notes": notes,
    }


def _fail(code: int) -> OSError:
    return OSError(code, os.strerror(code))


def _half_then_disk_full(fd: int, payload: bytes) -> None:
    os.write(fd, payload[: len(payload) // 2])
    raise _fail(errno.ENOSPC)


INJECTIONS = {
    "disk full while writing": ("_write_all", _half_then_disk_full, "No space left"),
    "I/O error at fsync": ("os.fsync", errno.EIO, "Input/output error"),
    "permission denied at replace": ("os.replace", errno.EACCES, "Permission denied"),
    "disk full creating the temp file": ("tempfile.mkstemp", errno.ENOSPC, "No space left"),
}


@pytest.mark.parametrize("name", list(INJECTIONS))
def test_an_error_while_saving_keeps_the_old_file_and_says_so(store, library, monkeypatch, name):
    ex = library.exercises[0].id
    sid = store.add_session(session(ex))
    store.add_session(session(ex))  # today's backup now exists: only the main write runs
    before = store.path.read_bytes()
    target, failure, words = INJECTIONS[name]

    def raiser(*args: object, **kwargs: object) -> None:
        raise _fail(failure) if isinstance(failure, int) else AssertionError

    replacement = failure if callable(failure) else raiser
    owner, _, attr = target.rpartition(".")
    module = kneecore.atomic if not owner else getattr(kneecore.atomic, owner)
    with monkeypatch.context() as patch:
        patch.setattr(module, attr, replacement)
        with pytest.raises(StoreError) as info:
            store.update_session(sid, {"notes": "x" * 500})
    assert info.value.kind == "write_failed"
    assert words in str(info.value) and "earlier data is safe" in str(info.value)
    assert store.path.read_bytes() == before
    assert not [p for p in store.folder.iterdir() if p.name.endswith(".tmp")]
    # Once the problem is gone, saving works and reads the untouched data.
    assert store.get_session(sid).notes == ""
    store.update_session(sid, {"notes": "saved later"})
    assert Store(store.path, exercise_ids={ex}).get_session(sid).notes == "saved later"


CHILD = textwrap.dedent(
    """
    import datetime as dt, resource, signal, sys
    from kneecore.store import Store, StoreError
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    store = Store(sys.argv[1], exercise_ids={"quad_set"})
    limit = store.path.stat().st_size + 1000
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        store.add_session({"date": dt.date.today(), "pain_before": 1, "pain_during": 1,
            "pain_after": 1, "notes": "n" * 1900,
            "exercises": [{"exercise_id": "quad_set", "sets": 1, "reps": [1]}]})
    except StoreError as exc:
        print(exc.kind, exc)
        sys.exit(0)
    sys.exit("the oversized write was not refused")
    """
)


def test_a_real_file_size_limit_during_a_save_keeps_the_old_file(tmp_path):
    path = tmp_path / "knee-data.json"
    store = Store(path, exercise_ids={"quad_set"})
    for _ in range(2):
        store.add_session(
            {**session("quad_set"), "notes": "small"},
        )
    before = path.read_bytes()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("write_failed Your data could not be saved (File too large)")
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(Store(path, exercise_ids={"quad_set"}).sessions()) == 2
