"""Page rerun benchmark: every page on five years of daily sessions, against a trivial page.

What it measures: the time of one ``AppTest.run()`` rerun of each page (the work a
click costs the user, minus the browser), with five years of daily sessions in the
store. Absolute milliseconds depend on the machine, so each page is also given as a
ratio to a one-line Streamlit page rerun just before it, in interleaved rounds, so
that a busy moment on the machine hits every page alike.

Target: every page at most ``MAX_RATIO`` times the trivial page; the exit status is 1
when a page is slower than that or raises an exception. Run with ``make bench`` or
``python bench/page_bench.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# Every page of the router, from the one list of them.
from pages.registry import NAMES as PAGES  # noqa: E402

MAX_RATIO = 8.0
TRIVIAL_PAGE = 'import streamlit as st\nst.write("Hello")\n'
TIMEOUT_S = 120.0


def seed_store(data_dir: Path) -> int:
    """Import five years of daily sessions into a fresh store; returns the session count."""
    from kneecore.content import load_library
    from kneecore.demo import FIVE_YEARS_DAYS, generate_history
    from kneecore.store import Store, default_store_path

    library = load_library()
    store = Store(default_store_path(), exercise_ids=library.exercise_ids)
    assert store.path.parent == data_dir
    doc = generate_history(FIVE_YEARS_DAYS, sessions_per_week=7, library=library)
    store.import_json(json.dumps(doc))
    return len(doc["sessions"])


def open_app(page: str) -> object:
    """The real router switched to ``pages/<page>.py``, after one warm-up rerun."""
    from streamlit.testing.v1 import AppTest

    from kneecore.access import TOKEN_PARAM, token

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S)
    # Through the access gate, as the link ``make run`` prints opens the app.
    at.query_params[TOKEN_PARAM] = token()
    at.run()
    if page != "home":
        at.switch_page(f"pages/{page}.py")
        at.run()
    at.run()  # warm: caches filled, as for any rerun after the first visit
    return at


def share_script_cache() -> None:
    """Compile each script once, as the server does, not on every AppTest rerun.

    ``streamlit run`` keeps a script's bytecode until its file changes; AppTest makes a
    new script cache for every run, so each rerun also compiled ``app.py`` and the page
    (about 3 ms for the log page) while the trivial page compiled one line: a cost no
    user meets, charged to the bigger page files.
    """
    import streamlit.testing.v1.app_test as app_test
    import streamlit.testing.v1.local_script_runner as local_runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared  # type: ignore[assignment,misc]
    local_runner.ScriptCache = lambda: shared  # type: ignore[assignment,misc]


def open_trivial(folder: Path) -> object:
    from streamlit.testing.v1 import AppTest

    script = folder / "trivial_page.py"
    script.write_text(TRIVIAL_PAGE, encoding="utf-8")
    at = AppTest.from_file(str(script), default_timeout=TIMEOUT_S)
    at.run()
    at.run()
    return at


def exception_of(at: object) -> str | None:
    errors = getattr(at, "exception", [])
    return "; ".join(str(e.value) for e in errors)[:200] if errors else None


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed reruns per page")
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=PAGES, help="pages to time")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="knee-bench-") as tmp:
        data_dir = Path(tmp) / "knee-data"
        # Before anything reads it: the store path is resolved from the environment.
        os.environ["KNEE_DATA_DIR"] = str(data_dir)
        sys.path.insert(0, str(ROOT))
        started = time.perf_counter()
        count = seed_store(data_dir)
        print(f"Seeded {count} daily sessions (5 years) in {time.perf_counter() - started:.1f} s")

        share_script_cache()
        apps: dict[str, object] = {"trivial": open_trivial(Path(tmp))}
        failures: dict[str, str] = {}
        for page in args.pages:
            if not (ROOT / "pages" / f"{page}.py").exists():
                failures[page] = "page file missing"
                continue
            try:
                apps[page] = open_app(page)
            except Exception as exc:  # a page that will not even open is reported, not fatal
                failures[page] = f"did not open: {exc!r}"[:200]

        samples: dict[str, list[float]] = {name: [] for name in apps}
        ratios: dict[str, list[float]] = {name: [] for name in apps if name != "trivial"}
        trivial_app = apps["trivial"]
        # Interleaved rounds, and each page's rerun right after a trivial one: the ratio
        # of that pair (milliseconds apart) is what a load spike changes least.
        for _ in range(args.runs):
            for name, at in apps.items():
                if name == "trivial":
                    continue
                floor = timed(trivial_app.run)  # type: ignore[attr-defined]
                took = timed(at.run)  # type: ignore[attr-defined]
                samples["trivial"].append(floor)
                samples[name].append(took)
                ratios[name].append(took / floor)
        for name, at in apps.items():
            error = exception_of(at)
            if error:
                failures[name] = f"exception: {error}"

    trivial = statistics.median(samples["trivial"])
    print(f"\n{'page':<12} {'median ms':>10} {'ratio':>7}  status")
    print(f"{'trivial':<12} {trivial:>10.1f} {1.0:>7.1f}  baseline (one st.write)")
    worst_ok = True
    for page in args.pages:
        if page not in samples:
            print(f"{page:<12} {'-':>10} {'-':>7}  FAIL: {failures[page]}")
            worst_ok = False
            continue
        median = statistics.median(samples[page])
        ratio = statistics.median(ratios[page])
        status = "ok" if ratio <= MAX_RATIO else f"SLOW (> {MAX_RATIO:g}x)"
        if page in failures:
            status = f"FAIL: {failures[page]}"
        if ratio > MAX_RATIO or page in failures:
            worst_ok = False
        print(f"{page:<12} {median:>10.1f} {ratio:>7.1f}  {status}")
    print(
        f"\nTarget: every page at most {MAX_RATIO:g}x the trivial page: the median of "
        f"{args.runs} rounds' ratios, each page's rerun against a trivial rerun just before."
    )
    return 0 if worst_ok else 1


if __name__ == "__main__":
    sys.exit(main())
