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
        assert flag.group in ("emergency", "gp_soon", "history"), flag.id


def test_every_warning_sign_has_words_and_at_least_one_case() -> None:
    signs = load_questionnaire().signs
    assert len({s.id for s in signs}) == len(signs), "each sign once"
    for sign in signs:
        assert sign.short and len(sign.means) > 20, sign.id
        assert sign.cases, sign.id


def test_the_spec_s_derived_signs_are_all_in_the_content() -> None:
    derived = {"severe_pain", "child_hip", "young_child", "adult_hip"}
    kujala = {"cannot_bear_weight", "cannot_walk"}
    assert derived | kujala <= {s.id for s in load_questionnaire().signs}


def test_pregnancy_is_asked_but_is_never_a_warning_sign() -> None:
    q = load_questionnaire()
    assert q.red_flag("pregnant").urgency is None
    assert "pregnant" not in {s.id for s in q.signs}


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
        "step_down_pain": 2,
        "single_leg_stance_s": 10,
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
    assert "Half squats hurt 4 out of 10, and phase 2 starts when they hurt 4 or less" in (
        result.reasons
    )


def test_a_warning_sign_case_changed_in_content_changes_the_decision(content: Path) -> None:
    answers = {
        "age": 30,
        "pain_now": 1,
        "pain_worst_week": 1,
        "weeks_of_symptoms": 2,
        "goal": "daily_life",
        "injury_ottawa_other": True,
    }
    assert assess(answers).urgency == "gp_soon"

    def ottawa_for_two_weeks(data: dict[str, Any]) -> None:
        sign = next(s for s in data["signs"] if s["id"] == "injury_ottawa_other")
        sign["cases"][0]["when"][1] = {"answer": "weeks_of_symptoms", "at_most": 2}

    edit(content, "red_flags.yaml", ottawa_for_two_weeks)
    assert assess(answers, questionnaire=load_questionnaire(content)).urgency == "emergency"


def _drop_group(data: dict[str, Any]) -> None:
    del data["screen"][0]["group"]


def _unknown_urgency(data: dict[str, Any]) -> None:
    data["screen"][0]["urgency"] = "urgent"


def _old_top_level(data: dict[str, Any]) -> None:
    data["red_flags"] = data.pop("screen")


def _sign_without_cases(data: dict[str, Any]) -> None:
    data["signs"][0]["cases"] = []


def _unknown_answer_in_a_sign(data: dict[str, Any]) -> None:
    data["signs"][0]["cases"][0]["when"][1]["answer"] = "weeks_since"


def _sign_given_twice(data: dict[str, Any]) -> None:
    data["signs"].append(dict(data["signs"][0]))


def _sign_without_words(data: dict[str, Any]) -> None:
    # Not a screen question, so there is no `short` or `means` to borrow.
    when = [{"answer": "pain_now", "at_least": 9}]
    data["signs"].append({"id": "big_pain", "cases": [{"urgency": "gp_soon", "when": when}]})


def _sign_with_short_only(data: dict[str, Any]) -> None:
    when = [{"answer": "pain_now", "at_least": 9}]
    sign = {"id": "big_pain", "short": "big pain", "cases": [{"urgency": "gp_soon", "when": when}]}
    data["signs"].append(sign)


def _any_of_on_a_number(data: dict[str, Any]) -> None:
    data["signs"][0]["cases"][0]["when"][1] = {"answer": "weeks_of_symptoms", "any_of": ["0"]}


def _none_of_on_a_choice(data: dict[str, Any]) -> None:
    when = [{"answer": "goal", "none_of": ["running"]}]
    sign = {
        "id": "no_run",
        "short": "s",
        "means": "m",
        "cases": [{"urgency": "gp_soon", "when": when}],
    }
    data["signs"].append(sign)


def _unknown_pain_area(data: dict[str, Any]) -> None:
    sign = next(s for s in data["signs"] if s["id"] == "pain_location")
    sign["cases"][1]["when"][0]["any_of"] = ["elbow"]


def _broken_second_kujala_swelling_case(data: dict[str, Any]) -> None:
    # marked_swelling is also a screen question with an urgency: the field named must
    # still be this file's own case 1, not shifted by the screen's "yes".
    sign = next(s for s in data["signs"] if s["id"] == "marked_swelling")
    sign["cases"][1]["when"][0]["one_of"] = [7]


def _phase_condition_without_needs(data: dict[str, Any]) -> None:
    del data["phases"][1]["when"][0]["needs"]


def _rising_points(data: dict[str, Any]) -> None:
    data["items"][0]["options"][1]["points"] = 9


def _not_ending_at_zero(data: dict[str, Any]) -> None:
    data["items"][0]["options"][-1]["points"] = 1


def _unknown_answer(data: dict[str, Any]) -> None:
    data["phases"][1]["when"][0]["answer"] = "pain_yesterday"


def _unreachable(data: dict[str, Any]) -> None:
    balance = data["phases"][0]["when"][6]
    assert balance["answer"] == "single_leg_stance_s"
    balance["at_least"] = 40


def _wrong_op(data: dict[str, Any]) -> None:
    wrong = {"answer": "pain_now", "one_of": ["running"], "needs": "when it hurts less"}
    data["phases"][1]["when"][0] = wrong


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
        ("red_flags.yaml", _drop_group, "screen.0.group"),
        ("red_flags.yaml", _unknown_urgency, "screen.0.urgency"),
        ("red_flags.yaml", _old_top_level, "screen"),
        ("red_flags.yaml", _sign_without_cases, "signs.0.cases"),
        ("red_flags.yaml", _unknown_answer_in_a_sign, "signs.injury_ottawa_other.cases.0.when.1"),
        ("red_flags.yaml", _sign_given_twice, "signs.id"),
        ("red_flags.yaml", _sign_without_words, "signs.big_pain"),
        ("red_flags.yaml", _sign_with_short_only, "signs.big_pain"),
        ("red_flags.yaml", _any_of_on_a_number, "signs.injury_ottawa_other.cases.0.when.1"),
        ("red_flags.yaml", _none_of_on_a_choice, "signs.no_run.cases.0.when.0"),
        ("red_flags.yaml", _unknown_pain_area, "signs.pain_location.cases.1.when.0"),
        (
            "red_flags.yaml",
            _broken_second_kujala_swelling_case,
            "signs.marked_swelling.cases.1.when.0",
        ),
        ("rules.yaml", _phase_condition_without_needs, "phases.1.when.0"),
        ("akps.yaml", _rising_points, "items.0"),
        ("akps.yaml", _not_ending_at_zero, "items.0"),
        ("rules.yaml", _unknown_answer, "phases.1.when.0"),
        ("rules.yaml", _unreachable, "phases.0.when.6"),
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


@pytest.mark.parametrize(
    ("file", "change", "words"),
    [
        ("red_flags.yaml", _sign_given_twice, "'injury_ottawa_other' appears twice"),
        ("red_flags.yaml", _sign_without_words, "give `short` and `means`"),
        ("red_flags.yaml", _sign_with_short_only, "give `short` and `means`"),
        ("red_flags.yaml", _any_of_on_a_number, "any_of needs a pick-several answer"),
        ("red_flags.yaml", _none_of_on_a_choice, "none_of needs a pick-several answer"),
        ("red_flags.yaml", _unknown_pain_area, "'elbow' is not an option of 'pain_location'"),
        ("rules.yaml", _phase_condition_without_needs, "`needs`"),
    ],
)
def test_the_new_content_errors_say_what_is_wrong(
    content: Path, file: str, change: Callable[[dict[str, Any]], None], words: str
) -> None:
    edit(content, file, change)
    with pytest.raises(ContentError) as caught:
        load_questionnaire(content)
    assert f"selfcheck/{file}" in str(caught.value)
    assert words in str(caught.value)


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
