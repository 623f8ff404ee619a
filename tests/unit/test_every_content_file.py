"""Content is data: every file in content/ is read and validated by some loader.

A new file that nothing loads would be silently ignored by the app, so it fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kneecore import pain, progression, questionnaire, reminders, report, selfcheck_flow
from kneecore.content import (
    CONTENT_DIR,
    RUNNING_DIR,
    RUNNING_FILES,
    load_library,
    load_notices,
    load_running,
)
from kneecore.questionnaire import FILES as SELFCHECK_FILES
from kneecore.questionnaire import load_questionnaire

LOADERS: dict[str, Callable[[], Any]] = {
    "library (exercises, phases, muscles, illustrations)": load_library,
    "self-check questionnaire": load_questionnaire,
    "pain scale": pain.load_pain_scale,
    "recommendation texts": progression.load_texts,
    "report texts": report.load_texts,
    "reminder texts": reminders.load_texts,
    "self-check knee picture": selfcheck_flow.knee_areas_svg,
    "notices": load_notices,
    "running programme (levels, entry checklist, rules, maintenance)": load_running,
}


def covered_files() -> set[Path]:
    library = load_library()
    files = {CONTENT_DIR / name for name in ("muscles.yaml", "phases.yaml")}
    files |= set((CONTENT_DIR / "exercises").glob("*.yaml"))
    files |= {library.illustration_path(e) for e in library.exercises}
    files |= {CONTENT_DIR / "selfcheck" / name for name in SELFCHECK_FILES}
    files.add(selfcheck_flow.knee_areas_svg())
    # The self-check's home tests have drawings of their own.
    drawings = questionnaire.illustrations_dir()
    files |= {drawings / t.illustration for t in load_questionnaire().tests if t.illustration}
    files |= {CONTENT_DIR / RUNNING_DIR / name for name in RUNNING_FILES}
    files |= {
        CONTENT_DIR / name
        for name in (
            "pain_scale.yaml",
            "recommendations.yaml",
            "report.yaml",
            "reminders.yaml",
            "notices.yaml",
        )
    }
    return files


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_each_content_loader_validates_its_files(name: str) -> None:
    assert LOADERS[name]() is not None


def test_every_data_file_in_content_is_read_by_a_loader() -> None:
    data_files = {
        p for p in CONTENT_DIR.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".svg")
    }
    unread = sorted(str(p.relative_to(CONTENT_DIR)) for p in data_files - covered_files())
    assert not unread, f"content files no loader reads: {unread}"


def test_every_illustration_belongs_to_an_exercise_or_the_self_check() -> None:
    used = {p.name for p in covered_files() if p.suffix == ".svg"}
    present = {p.name for p in (CONTENT_DIR / "illustrations").glob("*.svg")}
    assert present == used
