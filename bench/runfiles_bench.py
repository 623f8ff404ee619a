"""Run-file import benchmark: a Strava bulk export of 500 runs, read whole.

Builds, with the test fixtures' writers, a Strava-style zip: ``activities.csv`` and 500
gzipped activity files as watches and phone apps write them (300 FIT, 150 GPX, 50 TCX;
20 to 70 minutes, a point every second with position, altitude, heart rate and
cadence), and times ``kneecore.runfiles.read_runs`` on it: open the zip, read the table,
check and make 500 drafts. The target (issue 14) is under 60 s on this machine; the
script exits with status 1 if it is missed.

It also reports, without a target, what reading the files themselves costs (a zip of
run files without Strava's table is read file by file): the median of 20 files, and what
500 would take at that rate. Run with ``make bench``.
"""

from __future__ import annotations

import datetime as dt
import functools
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kneecore.runfiles import read_runs  # noqa: E402
from tests.unit.runfile_fixtures import StravaActivity, strava_zip  # noqa: E402

ACTIVITIES = 500
TARGET_S = 60.0
SAMPLE = 20
#: How often each format turns up in an export (mostly watches' FIT files).
MIX = ["fit"] * 6 + ["gpx"] * 3 + ["tcx"]


@functools.cache
def _file(fmt: str, minutes: int) -> bytes:
    """One file per format and length: writing 500 one-second GPX files with gpxpy
    would take longer than the benchmark (its files' starts differ from the table's,
    which the import takes from the table)."""
    start = dt.datetime(2025, 1, 1, 7, tzinfo=dt.UTC)
    act = StravaActivity(
        start, minutes, round(minutes / 6.0, 2), fmt=fmt, every_s=1, watch_fields=True
    )
    return act.file_bytes()


def activities() -> list[StravaActivity]:
    """500 runs, one every other day back from last week, of varied length."""
    first = dt.datetime.now(dt.UTC).replace(hour=7, minute=0, second=0, microsecond=0)
    runs = []
    for i in range(ACTIVITIES):
        minutes = 20 + 5 * (i % 11)
        runs.append(
            StravaActivity(
                start=first - dt.timedelta(days=7 + 2 * i),
                minutes=minutes,
                km=round(minutes / 6.0, 2),
                fmt=MIX[i % len(MIX)],
                name=f"Run {i + 1}",
            )
        )
    return runs


def file_by_file(runs: list[StravaActivity]) -> float:
    """Median seconds to read one activity file (gunzip, parse, check), over SAMPLE."""
    times = []
    for act in runs[:SAMPLE]:
        data = _file(act.fmt or "gpx", int(act.minutes))
        start = time.perf_counter()
        read_runs(f"run.{act.fmt}.gz", data)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    runs = activities()
    archive = strava_zip(runs, build=lambda act: _file(act.fmt or "gpx", int(act.minutes)))
    print(f"export: {ACTIVITIES} runs in a {len(archive) / 1024**2:.1f} MB zip")
    start = time.perf_counter()
    drafts = read_runs("export.zip", archive)
    seconds = time.perf_counter() - start
    if len(drafts) != ACTIVITIES:
        print(f"read {len(drafts)} runs, expected {ACTIVITIES}: FAILED")
        return 1
    met = seconds < TARGET_S
    print(
        f"read_runs on the export: {seconds:.2f} s for {len(drafts)} runs; "
        f"target under {TARGET_S:.0f} s: " + ("met" if met else "MISSED")
    )
    each = file_by_file(runs)
    print(
        f"one activity file read itself (no table): median {each * 1000:.0f} ms of {SAMPLE}, "
        f"about {each * ACTIVITIES:.0f} s for {ACTIVITIES} (no target)"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
