"""The running programme's content: the levels of section 7, and broken files named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from kneecore.content import CONTENT_DIR, ContentError, load_running

SPEC_LEVELS = {
    1: (6, 24),
    2: (12, 18),
    3: (18, 12),
    4: (24, 6),
    5: (25, 5),
    6: (27, 3),
    7: (28, 2),
    8: (29, 1),
    9: (30, 0),
}


def test_the_levels_are_the_nine_of_the_specification_each_30_minutes():
    levels = load_running().levels
    found = {lv.level: (lv.run_min, lv.walk_min) for lv in levels.levels}
    assert found == SPEC_LEVELS
    assert levels.level(8).describe() == "run 20 min, walk 1 min; then run 9 min (30 min in all)"
    assert "flat" in levels.every_level and "downhill" in levels.every_level


def test_every_rule_and_checklist_item_has_a_reason():
    content = load_running()
    assert [i.id for i in content.entry.items] == [
        "pain_now",
        "brisk_walk",
        "single_leg_hops",
        "mornings_settled",
    ]
    assert all(len(i.why) > 20 for i in content.entry.items)
    assert "Frandsen" in content.rules.load_spike.why and "2025" in content.rules.load_spike.why
    assert all(k.why for k in content.maintenance.keep_doing)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    return root


def _edit(root: Path, name: str, change) -> None:  # type: ignore[no-untyped-def]
    file = root / "running" / name
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    change(data)
    file.write_text(yaml.safe_dump(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "change", "words"),
    [
        ("levels.yaml", lambda d: d["levels"].pop(), "levels 1 to 9"),
        ("levels.yaml", lambda d: d["levels"][0]["blocks"][0].update(times=2), "level 1 lasts 10"),
        (
            "levels.yaml",
            lambda d: d["levels"][4]["blocks"][0].update(run_min=3, walk_min=3),
            "level 5 lasts|runs less",
        ),
        ("entry.yaml", lambda d: d["items"].pop(), "items"),
        ("rules.yaml", lambda d: d["hold"].update(advice="Run level {lvl} again."), "lvl"),
        ("rules.yaml", lambda d: d["load_spike"].update(why="Longer runs hurt." * 3), "Frandsen"),
        ("maintenance.yaml", lambda d: d["hop_exercises"].append("moon_hops"), "moon_hops"),
        ("maintenance.yaml", lambda d: d["goals"].pop("sport"), "sport"),
    ],
)
def test_a_broken_running_file_is_refused_naming_the_file(copy, name, change, words):
    _edit(copy, name, change)
    with pytest.raises(ContentError, match=words) as info:
        load_running(copy)
    assert f"running/{name}" in str(info.value)
