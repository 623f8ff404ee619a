"""Benchmark: the progress report for five years of daily sessions, target under 3 s.

Builds the PDF (charts rendered by vl-convert included) N times from a generated history
and prints the median; exits non-zero when the median is over the target.
"""

from __future__ import annotations

import statistics
import sys
import time

from kneecore.content import load_library
from kneecore.demo import FIVE_YEARS_DAYS, generate_history
from kneecore.models import PhaseStart, SelfCheckResult, Session
from kneecore.report_pdf import build_report

RUNS = 5
TARGET_S = 3.0


def main() -> int:
    library = load_library()
    doc = generate_history(FIVE_YEARS_DAYS, sessions_per_week=7, library=library)
    sessions = [Session.model_validate(s) for s in doc["sessions"]]
    checks = [SelfCheckResult.model_validate(c) for c in doc["selfchecks"]]
    phases = [PhaseStart.model_validate(p) for p in doc["phases"]]
    times = []
    size = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        pdf = build_report(sessions, checks, phases, library)
        times.append(time.perf_counter() - start)
        size = len(pdf)
    median = statistics.median(times)
    print(
        f"report: {len(sessions)} sessions over 5 years -> {size / 1024:.0f} KiB PDF; "
        f"median {median:.2f} s of {RUNS} runs (min {min(times):.2f}, max {max(times):.2f}); "
        f"target < {TARGET_S:.0f} s"
    )
    if median > TARGET_S:
        print(f"report: too slow ({median:.2f} s > {TARGET_S:.0f} s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
