"""Browser benchmark: the real server and Chromium with five years of daily sessions.

Starts ``streamlit run app.py`` (headless, a free localhost port, a temporary data
folder seeded with five years of daily sessions) and drives the system Chromium with
Playwright, as a person would:

* **server memory**: Progress is opened in a fresh browser and, once its first chart
  is drawn, the resident memory (``VmRSS`` in ``/proc``) of the server process and any
  children is read. Target (issue 12): at most ``MAX_RSS_MB``. Reported beside it, the
  floor: the same read for a one-chart Streamlit page that imports what the app cannot
  do without (pandas, Altair and the app's data models), served the same way, so the
  figure shows how much of the app's memory is its own.
* **save to confirmation**: on "Log a session", the three pain sliders (they start at
  "not entered") are set with the keyboard, "Save session" is clicked, and the clock
  stops when "Saved your session" is on the page. Median of ``--runs``.
* **navigate to first chart**: from the log page, "Progress" is clicked in the sidebar
  and the clock stops when the first chart's canvas (or SVG) is drawn. Median of
  ``--runs``, each the first visit after a save (the data changed).

The selectors are kept to visible words, so the log form may change around them: the
slider (a range input) whose value reads "not entered", the button "Save session", the text
"Saved your session", the sidebar link "Progress", and Streamlit's chart container
(``stVegaLiteChart``). Exit status 1 when the memory target is missed or a step fails;
skipped (status 0, with the reason) when Chromium or Playwright is missing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

MAX_RSS_MB = 200.0
CHROMIUM = os.environ.get("KNEE_CHROMIUM", "/usr/bin/chromium")
CHART = '[data-testid="stVegaLiteChart"]'
FIRST_CHART_DRAWN = f"{CHART} canvas, {CHART} svg.marks"
TIMEOUT_MS = 60_000
#: The floor's page: the libraries and models the app imports, one chart, nothing else.
FLOOR_PAGE = """\
import altair as alt
import pandas as pd
import streamlit as st

import kneecore.models  # noqa: F401

st.write("Hello")
chart = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q")
st.vega_lite_chart(chart.to_dict(), width="stretch")
"""


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (from /proc)."""
    total_kb = 0
    for proc in [pid, *descendants(pid)]:
        try:
            status = Path(f"/proc/{proc}/status").read_text()
        except FileNotFoundError:
            continue  # ended meanwhile
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        for child in children.read_text().split():
            found += [int(child), *descendants(int(child))]
    return found


def floor_rss(browser: Any, folder: Path) -> float:
    """Server memory (MB) with :data:`FLOOR_PAGE` open, served as the app is."""
    from tests.browser.helpers import free_port

    script = folder / "floor_page.py"
    script.write_text(FLOOR_PAGE, encoding="utf-8")
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    command += ["--server.address", "localhost", "--server.headless", "true"]
    command += ["--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        command, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while True:  # until the server answers
            try:
                page.goto(f"http://localhost:{port}/")
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        page.locator(FIRST_CHART_DRAWN).first.wait_for(timeout=TIMEOUT_MS)
        wait_idle(page)
        rss = rss_mb(server.pid)
        page.close()
        return rss
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_idle(page: Any) -> None:
    """Until Streamlit has no script run going (its status widget is gone)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS
    )


def open_log(page: Any, server: Any) -> None:
    from tests.browser.helpers import link, wait_for_app

    # Through the access gate, as the link ``make run`` prints opens the app.
    page.goto(link(server, "log"))
    page.get_by_role("button", name="Save session").wait_for(timeout=TIMEOUT_MS)
    # The whole form, still: keys pressed during a script run could be lost.
    wait_for_app(page)


def set_pains(page: Any, value: int) -> None:
    """Move every pain slider still at "not entered" to ``value``."""
    # Streamlit's slider thumb is a visually hidden range input (no "slider" role in
    # Playwright's accessibility view), so it is found by its type and its value text.
    sliders = page.locator('input[type="range"]')
    sliders.first.wait_for(state="attached", timeout=TIMEOUT_MS)
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        if slider.get_attribute("aria-valuetext") == "not entered":
            slider.focus()
            for _ in range(value + 1):
                slider.press("ArrowRight")


def save_session(page: Any, value: int) -> float:
    """Seconds from the click on "Save session" to "Saved your session" on the page.

    Each run saves other pains (``value``): the form asks before saving a session
    identical to one just saved, which is not what is timed here.
    """
    set_pains(page, value)
    started = time.perf_counter()
    page.get_by_role("button", name="Save session").click()
    try:
        page.get_by_text("Saved your session").first.wait_for(timeout=TIMEOUT_MS)
    except Exception:
        print(page.inner_text('[data-testid="stMain"]')[:3000], file=sys.stderr)
        raise
    return time.perf_counter() - started


def to_progress(page: Any) -> float:
    """Seconds from the click on "Progress" in the sidebar to its first chart drawn."""
    started = time.perf_counter()
    page.get_by_test_id("stSidebar").get_by_role("link", name="Progress").click()
    page.locator(FIRST_CHART_DRAWN).first.wait_for(timeout=TIMEOUT_MS)
    return time.perf_counter() - started


def median_ms(samples: list[float]) -> str:
    low, high = min(samples) * 1000, max(samples) * 1000
    return f"{statistics.median(samples) * 1000:7.0f} ms (min {low:.0f}, max {high:.0f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="saves and visits timed")
    args = parser.parse_args(argv)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("browser bench: skipped (Python Playwright is not installed)")
        return 0
    if not Path(CHROMIUM).is_file():
        print(f"browser bench: skipped (no Chromium at {CHROMIUM}; set KNEE_CHROMIUM)")
        return 0
    with tempfile.TemporaryDirectory(prefix="knee-bench-") as tmp:
        data_dir = Path(tmp) / "knee-data"
        os.environ["KNEE_DATA_DIR"] = str(data_dir)
        import page_bench

        count = page_bench.seed_store(data_dir)
        from tests.browser.helpers import AppServer

        server = AppServer(data_dir)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
                try:
                    floor = floor_rss(browser, Path(tmp))
                    return measure(browser, server, count, args.runs, floor)
                finally:
                    browser.close()
        finally:
            server.stop()


def measure(browser: Any, server: Any, count: int, runs: int, floor: float) -> int:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    # Memory first, on a server that has only ever shown Progress.
    from tests.browser.helpers import link

    page.goto(link(server, "progress"))
    page.locator(FIRST_CHART_DRAWN).first.wait_for(timeout=TIMEOUT_MS)
    wait_idle(page)
    rss = rss_mb(server.process.pid)

    saves: list[float] = []
    visits: list[float] = []
    open_log(page, server)
    for run in range(runs):
        saves.append(save_session(page, run % 5))
        wait_idle(page)
        visits.append(to_progress(page))
        wait_idle(page)
        open_log(page, server)
    page.close()

    ok = rss <= MAX_RSS_MB
    print(f"browser: {count} sessions (5 years), system Chromium, {runs} runs")
    print(
        f"  server memory, Progress open  {rss:7.0f} MB  target at most {MAX_RSS_MB:.0f} MB: "
        + ("ok" if ok else "OVER")
    )
    print(f"  floor, a one-chart page     {floor:7.0f} MB  the app holds {rss - floor:.0f} MB more")
    print(f"  save to confirmation      {median_ms(saves)}")
    print(f"  navigate to first chart   {median_ms(visits)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
