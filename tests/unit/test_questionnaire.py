"""The self-check content loads, matches the spec, and a broken file names file and field."""

from __future__ import annotations

import shutil
import tokenize
from collections.abc import Callable
from pathlib import Path
from token import NUMBER
from typing import Any

import pytest
import yaml

from kneecore.content import ContentError
from kneecore.questionnaire import ANSWER_IDS, SELFCHECK_DIR, load_questionnaire
from kneecore.selfcheck import assess
from tests.spec import AKPS_MAXIMA, AKPS_POINTS


def test_the_questionnaire_loads_and_asks_every_answer_once() -> None:
    q = load_questionnaire()
    asked = (
        [x.id for x in q.questions]
        + [x.id for x in q.red_flags]
        + [x.id for x in q.akps.items]
        + [x.id for x in q.tests]
    )
    assert sorted(asked) == sorted(ANSWER_IDS)


def test_the_akps_items_have_the_published_points_in_order() -> None:
    q = load_questionnaire()
    assert {i.id: [o.points for o in i.options] for i in q.akps.items} == AKPS_POINTS
    assert [i.id for i in q.akps.items] == list(AKPS_POINTS)


@pytest.mark.parametrize(("item_id", "maximum"), AKPS_MAXIMA.items())
def test_every_akps_item_spans_0_to_its_maximum(item_id: str, maximum: int) -> None:
    item = load_questionnaire().akps_item(item_id)
    points = [o.points for o in item.options]
    assert max(points) == points[0] == maximum
    assert min(points) == points[-1] == 0
    assert all(o.text.strip() for o in item.options)


def test_the_akps_real_change_is_10_points() -> None:
    assert load_questionnaire().akps.real_change == 10


def test_every_red_flag_has_plain_words_and_a_meaning() -> None:
    for flag in load_questionnaire().red_flags:
        assert flag.question.endswith("?"), flag.id
        assert len(flag.means) > 20, flag.id


def test_every_home_test_explains_how_to_do_it_safely() -> None:
    for test in load_questionnaire().tests:
        assert len(test.how) >= 2, test.id
        assert test.safety, test.id


def test_the_stance_test_is_capped_at_30_seconds() -> None:
    assert load_questionnaire().test("single_leg_stance_s").cap == 30


def test_no_decision_number_is_written_in_the_core_code() -> None:
    # Rules as data: thresholds live in content/, so the code has no numeric literals
    # other than 0 and 1.
    path = Path(__file__).parents[2] / "kneecore" / "selfcheck.py"
    with path.open("rb") as source:
        numbers = {t.string for t in tokenize.tokenize(source.readline) if t.type == NUMBER}
    assert numbers <= {"0", "1"}, numbers


# -- editing content changes decisions; breaking it is caught --------------------------


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "selfcheck"
    shutil.copytree(SELFCHECK_DIR, folder)
    return folder


def edit(folder: Path, name: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_threshold_changed_in_content_changes_the_decision(content: Path) -> None:
    answers = {
        "age": 30,
        "pain_now": 1,
        "pain_worst_week": 1,
        "weeks_of_symptoms": 0,
        "goal": "daily_life",
        "semi_squat_pain": 4,
    }
    assert assess(answers).phase == 1

    def squat_4_is_fine(data: dict[str, Any]) -> None:
        phase_2 = next(p for p in data["phases"] if p["phase"] == 2)
        for cond in phase_2["when"]:
            if cond["answer"] == "semi_squat_pain":
                cond["at_most"] = 4

    edit(content, "rules.yaml", squat_4_is_fine)
    edited = load_questionnaire(content)
    result = assess(answers, questionnaire=edited)
    assert result.phase == 2
    assert any("4/10 or less" in r for r in result.reasons)


def _drop_urgency(data: dict[str, Any]) -> None:
    del data["red_flags"][0]["urgency"]


def _rising_points(data: dict[str, Any]) -> None:
    data["items"][0]["options"][1]["points"] = 9


def _not_ending_at_zero(data: dict[str, Any]) -> None:
    data["items"][0]["options"][-1]["points"] = 1


def _unknown_answer(data: dict[str, Any]) -> None:
    data["phases"][1]["when"][0]["answer"] = "pain_yesterday"


def _unreachable(data: dict[str, Any]) -> None:
    data["phases"][0]["when"][5]["at_least"] = 40


def _wrong_op(data: dict[str, Any]) -> None:
    data["phases"][1]["when"][0] = {"answer": "pain_now", "one_of": ["running"]}


def _two_ops(data: dict[str, Any]) -> None:
    data["phases"][1]["when"][0]["at_least"] = 1


def _bad_placeholder(data: dict[str, Any]) -> None:
    data["texts"]["phase_unmet"] = "{condition} for {phaze}"


def _urgency_order(data: dict[str, Any]) -> None:
    data["urgencies"].reverse()


def _fallback_with_conditions(data: dict[str, Any]) -> None:
    data["phases"][-1]["when"] = [{"answer": "pain_now", "at_most": 9}]


def _unknown_question(data: dict[str, Any]) -> None:
    data["questions"][0]["id"] = "shoe_size"


def _unknown_goal(data: dict[str, Any]) -> None:
    data["phases"][0]["when"][0]["one_of"] = ["running", "swimming"]


@pytest.mark.parametrize(
    ("file", "change", "field"),
    [
        ("red_flags.yaml", _drop_urgency, "red_flags.0.urgency"),
        ("akps.yaml", _rising_points, "items.0"),
        ("akps.yaml", _not_ending_at_zero, "items.0"),
        ("rules.yaml", _unknown_answer, "phases.1.when.0"),
        ("rules.yaml", _unreachable, "phases.0.when.5"),
        ("rules.yaml", _wrong_op, "phases.1.when.0"),
        ("rules.yaml", _two_ops, "phases.1.when.0"),
        ("rules.yaml", _bad_placeholder, "texts.phase_unmet"),
        ("rules.yaml", _urgency_order, "urgencies"),
        ("rules.yaml", _fallback_with_conditions, "phases"),
        ("questions.yaml", _unknown_question, "id"),
        ("rules.yaml", _unknown_goal, "phases.0.when.0"),
    ],
)
def test_broken_content_raises_content_error_naming_file_and_field(
    content: Path,
    file: str,
    change: Callable[[dict[str, Any]], None],
    field: str,
) -> None:
    edit(content, file, change)
    with pytest.raises(ContentError) as caught:
        load_questionnaire(content)
    message = str(caught.value)
    assert f"selfcheck/{file}" in message or "selfcheck:" in message
    assert field in message


def test_a_missing_file_is_named(content: Path) -> None:
    (content / "akps.yaml").unlink()
    with pytest.raises(ContentError, match=r"selfcheck/akps\.yaml: file is missing"):
        load_questionnaire(content)


def test_invalid_yaml_is_named(content: Path) -> None:
    (content / "rules.yaml").write_text("phases: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"selfcheck/rules\.yaml: is not valid YAML"):
        load_questionnaire(content)


def test_akps_points_that_do_not_add_to_100_are_refused(content: Path) -> None:
    def drop_item(data: dict[str, Any]) -> None:
        data["items"].pop()

    edit(content, "akps.yaml", drop_item)
    with pytest.raises(ContentError, match=r"akps\.yaml: .*items: .*not 100"):
        load_questionnaire(content)


def test_the_stance_how_to_names_the_cap_from_content() -> None:
    test = load_questionnaire().test("single_leg_stance_s")
    assert any("Stop counting at 30." in line for line in test.steps)
