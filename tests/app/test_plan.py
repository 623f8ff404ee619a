"""The Exercise plan page: phase choice, muscle filter, avoid box and exercise cards."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from kneecore.content import load_library
from kneecore.store import Store, default_store_path
from tests.app.helpers import assert_no_exception, open_page

LIBRARY = load_library()


def card_titles(at: AppTest) -> list[str]:
    """Exercise card headings, e.g. '1. Quad set' (they start with a number)."""
    return [m.value.removeprefix("### ") for m in at.markdown if m.value.startswith("### ")]


def names(phase: int) -> list[str]:
    return [e.name for e in LIBRARY.by_phase(phase)]


def shown_names(at: AppTest) -> list[str]:
    return [title.split(". ", 1)[1] for title in card_titles(at)]


def test_plan_shows_the_seven_phase_one_exercises_by_default() -> None:
    at = open_page("plan")
    assert_no_exception(at)
    assert at.title[0].value == "Exercise plan"
    assert shown_names(at) == names(1)
    assert len(shown_names(at)) == 7
    assert at.segmented_control[0].value == 1


def test_every_card_has_a_picture_dose_and_steps() -> None:
    at = open_page("plan")
    images = at.get("image")
    assert len(images) == 7
    assert all(img.proto.imgs[0].url.startswith("data:image/svg+xml") for img in images)
    markdown = "\n".join(m.value for m in at.markdown)
    for exercise in LIBRARY.by_phase(1):
        assert exercise.dose.describe() in markdown
        assert f"1. {exercise.steps[0]}" in markdown
        assert exercise.safety[0] in markdown


def test_choosing_phase_two_shows_its_five_exercises() -> None:
    at = open_page("plan")
    at.segmented_control[0].set_value(2).run()
    assert_no_exception(at)
    assert shown_names(at) == names(2)
    assert len(shown_names(at)) == 5
    assert len(at.get("image")) == 5


def test_phase_three_shows_the_hops_and_the_t_stance() -> None:
    at = open_page("plan")
    at.segmented_control[0].set_value(3).run()
    assert shown_names(at) == names(3)
    assert "Phase 3: Return to running" in [s.value for s in at.header]


def test_muscle_filter_narrows_the_list_to_matching_exercises() -> None:
    at = open_page("plan")
    at.multiselect[0].set_value(["gluteus_medius"]).run()
    assert_no_exception(at)
    expected = [e.name for e in LIBRARY.by_phase(1) if "gluteus_medius" in e.targets]
    assert 0 < len(expected) < 7
    assert shown_names(at) == expected


def test_filtered_cards_keep_their_number_in_the_phase() -> None:
    at = open_page("plan")
    at.multiselect[0].set_value(["gluteus_maximus"]).run()
    assert card_titles(at) == ["5. Prone hip extension"]


def test_muscle_filter_shows_display_names_not_ids() -> None:
    at = open_page("plan")
    options = at.multiselect[0].options
    assert "Quadriceps (front of thigh)" in options
    assert "quadriceps" not in options


def test_default_phase_follows_the_stores_current_phase() -> None:
    Store(default_store_path(), exercise_ids=LIBRARY.exercise_ids).start_phase(2)
    at = open_page("plan")
    assert_no_exception(at)
    assert at.segmented_control[0].value == 2
    assert shown_names(at) == names(2)
    assert any("You are in phase 2" in c.value for c in at.caption)


def test_without_a_phase_the_page_points_to_the_self_check() -> None:
    at = open_page("plan")
    assert any("No phase chosen yet" in c.value for c in at.caption)


def test_avoid_box_is_shown_in_phases_one_and_two() -> None:
    at = open_page("plan")
    for phase in (1, 2):
        at.segmented_control[0].set_value(phase).run()
        warnings = [w.value for w in at.warning]
        assert any("Avoid for now" in w and "Lunges" in w for w in warnings), warnings


def test_a_broken_store_falls_back_to_phase_one_and_says_so() -> None:
    path = Path(default_store_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{ this is not json", encoding="utf-8")
    at = open_page("plan")
    assert_no_exception(at)
    assert at.error, "the store problem should be explained"
    assert at.segmented_control[0].value == 1
    assert len(shown_names(at)) == 7


def test_page_ends_with_the_not_a_diagnosis_note() -> None:
    at = open_page("plan")
    assert "not a diagnosis" in at.caption[-1].value


def _selfcheck(**answers: object) -> None:
    from kneecore.selfcheck import assess

    base = {"age": 30, "pain_now": 2, "pain_worst_week": 3, "weeks_of_symptoms": 2}
    result = assess({**base, "goal": "running", **answers})
    Store(default_store_path(), exercise_ids=LIBRARY.exercise_ids).add_selfcheck(result)


def test_when_pregnant_exercises_lying_down_are_marked_with_their_alternative() -> None:
    _selfcheck(pregnant=True)
    at = open_page("plan")
    assert_no_exception(at)
    marks = [str(i.value) for i in at.info if "Pregnant: from 16 weeks" in str(i.value)]
    lying = [e for e in LIBRARY.by_phase(1) if e.pregnancy_alternative]
    assert lying, "phase 1 has exercises done lying on the back or front"
    assert len(marks) == len(lying)
    for exercise, mark in zip(lying, marks, strict=True):
        assert exercise.pregnancy_alternative in mark
    assert all(
        i.proto.icon == ":material/pregnant_woman:" for i in at.info if "Pregnant" in i.value
    )
    assert any("You said you are pregnant" in str(i.value) for i in at.info)


def test_without_a_pregnancy_answer_no_exercise_is_marked() -> None:
    _selfcheck(pregnant=False)
    at = open_page("plan")
    assert not [i for i in at.info if "Pregnant" in str(i.value)]


def test_each_card_offers_to_enlarge_its_drawing() -> None:
    at = open_page("plan")
    labels = [b.label for b in at.button]
    for exercise in LIBRARY.by_phase(1):
        assert f"Enlarge drawing: {exercise.name}" in labels


def dialog_titles(at: AppTest) -> list[str]:
    """The titles of the open dialogs."""
    titles = []

    def walk(node: Any) -> None:
        if getattr(node, "type", None) == "dialog":
            titles.append(node.proto.dialog.title)
        children = getattr(node, "children", None) or {}
        for child in children.values() if isinstance(children, dict) else children:
            walk(child)

    walk(at._tree)
    return titles


def svg_of(image: Any) -> str:
    url = image.proto.imgs[0].url
    return base64.b64decode(url.removeprefix("data:image/svg+xml;base64,")).decode()


def test_enlarging_a_drawing_opens_it_large_with_its_alt_text() -> None:
    at = open_page("plan")
    first = LIBRARY.by_phase(1)[0]
    at.button(key=f"enlarge_{first.id}").click().run()
    assert_no_exception(at)
    # The dialog says which exercise it shows; a drawing of lying poses (start above
    # end already) is shown whole.
    assert dialog_titles(at) == [first.name]
    assert len(at.get("image")) == 8
    assert first.illustration_alt in [c.value for c in at.caption]


def test_an_enlarged_standing_drawing_also_comes_as_its_start_and_end_panels() -> None:
    """For a phone: the start and end panels one above the other, each as the same
    drawing cut to its view, with its half of the alt text (CSS shows them on a phone,
    the whole drawing on a wider screen)."""
    at = open_page("plan")
    at.segmented_control[0].set_value(2).run()
    squat = next(e for e in LIBRARY.by_phase(2) if e.id == "semi_squat")
    at.button(key=f"enlarge_{squat.id}").click().run()
    assert_no_exception(at)
    assert dialog_titles(at) == [squat.name]
    whole, start, end = at.get("image")[-3:]
    assert whole.proto.imgs[0].alt == squat.illustration_alt
    assert start.proto.imgs[0].alt.startswith("Start: ") and "End:" not in start.proto.imgs[0].alt
    assert end.proto.imgs[0].alt.startswith("End: ")
    assert f"{start.proto.imgs[0].alt} {end.proto.imgs[0].alt}" == squat.illustration_alt
    assert 'viewBox="0 0 640 540"' in svg_of(whole)
    assert svg_of(start).startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="10 10 308 520"'
    )
    assert 'viewBox="322 10 308 520"' in svg_of(end).split(">", 1)[0]
