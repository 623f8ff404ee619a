"""Every sentence the app shows is our own: nothing is copied from the source articles.

The two seed articles (in ``../shared/seeds/`` beside the project) give facts only. This
test looks for any run of eight words from them in what the app shows or ships.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
RUN = 8
SHIPPED = [
    *(ROOT / "content").rglob("*.yaml"),
    *(ROOT / "content").rglob("*.svg"),
    *(ROOT / "pages").glob("*.py"),
    *(ROOT / "kneecore").glob("*.py"),
    ROOT / "app.py",
    ROOT / "README.md",
]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def runs(text: str) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + RUN]) for i in range(len(w) - RUN + 1)}


@pytest.fixture(scope="module")
def seed_runs() -> set[tuple[str, ...]]:
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not files:
        pytest.skip(f"the seed articles are not beside the project ({SEEDS.name}/ missing)")
    found: set[tuple[str, ...]] = set()
    for file in files:
        found |= runs(file.read_text(encoding="utf-8", errors="replace"))
    return found


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_run_of_eight_words_is_copied_from_the_seed_articles(
    path: Path, seed_runs: set[tuple[str, ...]]
) -> None:
    copied = runs(path.read_text(encoding="utf-8")) & seed_runs
    assert not copied, (
        f"{path.name} repeats the source: {[' '.join(c) for c in sorted(copied)][:3]}"
    )
