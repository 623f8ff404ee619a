"""The exercise library in ``content/``: what it holds, and how broken files are reported."""

from __future__ import annotations

import itertools
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from kneecore.content import CONTENT_DIR, ContentError, Library, load_library
from kneecore.progression import sequences
from kneecore.questionnaire import load_questionnaire

SVG = "{http://www.w3.org/2000/svg}"

PHASE_IDS = {
    1: [
        "quad_set",
        "short_arc_quad",
        "straight_leg_raise",
        "side_lying_leg_raise",
        "prone_hip_extension",
        "clamshell",
        "isometric_hip_abduction",
    ],
    2: ["semi_squat", "bridge", "banded_standing_hip", "single_leg_stance", "step_up"],
    3: ["double_leg_hops", "single_leg_hops", "diagonal_hops", "t_stance"],
}

# clinical-rules.md section 5, row by row:
# id: (sets, reps_min, reps_max, hold_s, per_side, times_per_day)
DOSES = {
    "quad_set": (1, 10, 15, 5, False, 2),
    "short_arc_quad": (1, 10, 15, 5, False, 2),
    "straight_leg_raise": (3, 10, 15, None, True, 1),
    "side_lying_leg_raise": (3, 10, 15, 1, True, 1),
    "prone_hip_extension": (3, 10, 15, None, True, 1),
    "clamshell": (3, 10, 15, 1, False, 1),
    "isometric_hip_abduction": (1, 10, 10, 5, True, 1),
    "semi_squat": (3, 10, 15, 1, False, 1),
    "bridge": (3, 10, 15, None, False, 1),
    "banded_standing_hip": (3, 10, 15, None, True, 1),
    "single_leg_stance": (3, 1, 1, 30, True, 1),
    "step_up": (3, 10, 10, None, True, 1),
    "double_leg_hops": (3, 10, 10, None, False, 1),
    "single_leg_hops": (3, 10, 10, None, True, 1),
    "diagonal_hops": (3, 10, 10, None, True, 1),
    "t_stance": (3, 1, 1, 20, True, 1),
}


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A private copy of content/ that a test may break."""
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    return copy


def edit_yaml(path: Path, **changes: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def exercise_file(root: Path, exercise_id: str) -> Path:
    (match,) = (root / "exercises").glob(f"[0-9][0-9]_{exercise_id}.yaml")
    return match


# -- what the library holds -------------------------------------------------------------


def test_the_shipped_content_loads_and_validates(library: Library) -> None:
    assert len(library.exercises) == 16
    assert [p.phase for p in library.phases] == [1, 2, 3]


def test_each_phase_holds_exactly_its_exercises_in_file_order(library: Library) -> None:
    for phase, ids in PHASE_IDS.items():
        assert [e.id for e in library.by_phase(phase)] == ids


def test_exercise_files_are_numbered_and_named_after_their_id() -> None:
    for file in sorted((CONTENT_DIR / "exercises").glob("*.yaml")):
        number, _, rest = file.stem.partition("_")
        assert number.isdigit() and len(number) == 2, file.name
        assert yaml.safe_load(file.read_text(encoding="utf-8"))["id"] == rest, file.name


@pytest.mark.parametrize("exercise_id", sorted(DOSES))
def test_dose_matches_the_clinical_rules(library: Library, exercise_id: str) -> None:
    dose = library.exercise(exercise_id).dose
    actual = (dose.sets, dose.reps_min, dose.reps_max, dose.hold_s, dose.per_side)
    assert (*actual, dose.times_per_day) == DOSES[exercise_id]


def test_dose_descriptions_read_as_plain_words(library: Library) -> None:
    assert library.exercise("quad_set").dose.describe() == (
        "1 set of 10-15 reps, 5 s hold each, 2 times a day"
    )
    assert library.exercise("single_leg_stance").dose.describe() == "3 x 30 s hold, each leg"
    assert library.exercise("step_up").dose.describe() == "3 sets of 10 reps, each leg"


def test_only_timed_holds_count_as_hold_work_not_a_one_second_pause(library: Library) -> None:
    holds = {e.id for e in library.exercises if e.dose.is_hold}
    assert holds == {
        "quad_set",
        "short_arc_quad",
        "isometric_hip_abduction",
        "single_leg_stance",
        "t_stance",
    }


def test_every_exercise_has_steps_safety_and_known_muscles(library: Library) -> None:
    for exercise in library.exercises:
        assert len(exercise.steps) >= 3, exercise.id
        assert exercise.safety, exercise.id
        assert all(t in library.muscles for t in exercise.targets), exercise.id
        sentences = exercise.purpose.count(". ") + 1
        assert sentences <= 2, f"{exercise.id}: purpose should be one or two sentences"


def test_exercises_with_a_harder_option_in_the_rules_list_a_progression(library: Library) -> None:
    # Section 5 gives a "harder" option for all but these three.
    without = {"quad_set", "double_leg_hops", "isometric_hip_abduction"}
    for exercise in library.exercises:
        if exercise.id not in without:
            assert exercise.progressions, exercise.id


def test_phases_one_and_two_say_to_avoid_deep_squats_lunges_running_and_jumping(
    library: Library,
) -> None:
    for phase in (1, 2):
        avoid = " ".join(library.phase(phase).avoid).lower()
        for word in ("deep squats", "lunges", "running", "jumping"):
            assert word in avoid, (phase, word)
    assert library.phase(3).avoid, "phase 3 still lists what to avoid"


def test_semi_squat_stops_at_45_degrees_with_knees_behind_toes(library: Library) -> None:
    squat = library.exercise("semi_squat")
    text = " ".join([*squat.steps, *squat.safety])
    assert "45 degree" in text
    assert "behind your toes" in text


@pytest.mark.parametrize("exercise_id", sorted(DOSES))
def test_illustration_is_a_titled_scalable_svg_with_start_and_end(
    library: Library, exercise_id: str
) -> None:
    exercise = library.exercise(exercise_id)
    path = library.illustration_path(exercise)
    assert path.name == f"{exercise_id}.svg"
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    x, y, width, height = (float(v) for v in root.attrib["viewBox"].split())
    assert (x, y) == (0, 0) and width > height, "side-by-side panels, wider than tall"
    assert root.attrib.get("role") == "img"
    assert root.attrib.get("aria-label", "").startswith(exercise.name)
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == exercise.name
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Start" in texts and "End" in texts


def test_no_illustration_is_left_over_without_an_exercise_or_another_user(
    library: Library,
) -> None:
    # The self-check's drawings (the knee areas, the home tests) share the folder; any
    # other drawing must be named by an exercise or by the code that shows it.
    used = {e.illustration for e in library.exercises}
    used |= {t.illustration for t in load_questionnaire().tests if t.illustration}
    on_disk = {p.name for p in library.illustrations_dir.glob("*.svg")}
    assert used <= on_disk
    code = " ".join(
        p.read_text(encoding="utf-8")
        for folder in ("kneecore", "pages")
        for p in (CONTENT_DIR.parent / folder).glob("*.py")
    )
    assert not {name for name in on_disk - used if name not in code}


def test_file_numbers_set_the_order_within_a_phase(content_copy: Path) -> None:
    file = exercise_file(content_copy, "isometric_hip_abduction")
    file.rename(file.with_name("00_isometric_hip_abduction.yaml"))
    order = [e.id for e in load_library(content_copy).by_phase(1)]
    assert order == ["isometric_hip_abduction", *PHASE_IDS[1][:-1]]


def test_load_library_accepts_a_path(content_copy: Path) -> None:
    library = load_library(content_copy)
    assert library.illustrations_dir == content_copy / "illustrations"
    assert "<svg" in library.illustration_svg(library.exercises[0])


# -- broken content is reported with file and field ----------------------------------------


def test_a_wrong_field_type_names_the_file_and_field(content_copy: Path) -> None:
    file = exercise_file(content_copy, "bridge")
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["dose"]["sets"] = "three"
    file.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_library(content_copy)
    assert "09_bridge.yaml" in str(err.value)
    assert "dose.sets" in str(err.value)


def test_a_reversed_rep_range_is_rejected(content_copy: Path) -> None:
    file = exercise_file(content_copy, "clamshell")
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["dose"].update(reps_min=15, reps_max=10)
    file.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError, match=r"06_clamshell\.yaml.*dose.*reps_max"):
        load_library(content_copy)


def test_a_missing_field_names_the_file_and_field(content_copy: Path) -> None:
    file = exercise_file(content_copy, "step_up")
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    del data["safety"]
    file.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError, match=r"12_step_up\.yaml: field 'safety'"):
        load_library(content_copy)


def test_an_unknown_field_is_reported_rather_than_ignored(content_copy: Path) -> None:
    edit_yaml(exercise_file(content_copy, "bridge"), repetitions=12)
    with pytest.raises(ContentError, match=r"09_bridge\.yaml: field 'repetitions'"):
        load_library(content_copy)


def test_invalid_yaml_names_the_file(content_copy: Path) -> None:
    file = exercise_file(content_copy, "t_stance")
    file.write_text("id: t_stance\nsteps: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"16_t_stance\.yaml: is not valid YAML"):
        load_library(content_copy)


def test_a_missing_illustration_names_the_svg(content_copy: Path) -> None:
    (content_copy / "illustrations" / "bridge.svg").unlink()
    with pytest.raises(ContentError, match=r"bridge\.svg: illustration file is missing"):
        load_library(content_copy)


def test_an_illustration_without_a_viewbox_is_rejected(content_copy: Path) -> None:
    svg = content_copy / "illustrations" / "clamshell.svg"
    text = svg.read_text(encoding="utf-8")
    svg.write_text(re.sub(r'viewBox="[^"]*"', "", text), encoding="utf-8")
    with pytest.raises(ContentError, match=r"clamshell\.svg: field 'viewBox'"):
        load_library(content_copy)


def test_an_illustration_with_a_script_is_rejected(content_copy: Path) -> None:
    svg = content_copy / "illustrations" / "quad_set.svg"
    text = svg.read_text(encoding="utf-8")
    svg.write_text(text.replace("</svg>", "<script>alert(1)</script></svg>"), encoding="utf-8")
    with pytest.raises(ContentError, match=r"quad_set\.svg: scripts are not allowed"):
        load_library(content_copy)


def test_an_unknown_muscle_names_the_file_and_targets(content_copy: Path) -> None:
    edit_yaml(exercise_file(content_copy, "quad_set"), targets=["quadriceps", "kneecap"])
    with pytest.raises(ContentError) as err:
        load_library(content_copy)
    assert "01_quad_set.yaml" in str(err.value)
    assert "field 'targets'" in str(err.value)
    assert "kneecap" in str(err.value)


def test_a_duplicate_id_names_both_files(content_copy: Path) -> None:
    edit_yaml(exercise_file(content_copy, "bridge"), id="semi_squat")
    with pytest.raises(ContentError) as err:
        load_library(content_copy)
    message = str(err.value)
    assert "field 'id'" in message
    assert "08_semi_squat.yaml" in message and "09_bridge.yaml" in message


def test_a_broken_phase_names_the_phases_file_and_field(content_copy: Path) -> None:
    file = content_copy / "phases.yaml"
    phases = yaml.safe_load(file.read_text(encoding="utf-8"))
    phases[1]["ready_when"] = []
    file.write_text(yaml.safe_dump(phases), encoding="utf-8")
    with pytest.raises(ContentError, match=r"phases\.yaml\[1\]: field 'ready_when'"):
        load_library(content_copy)


def test_a_missing_muscles_file_is_reported(content_copy: Path) -> None:
    (content_copy / "muscles.yaml").unlink()
    with pytest.raises(ContentError, match=r"muscles\.yaml: file is missing"):
        load_library(content_copy)


# -- version 2: the hop sequence ---------------------------------------------------------

HOPS = ["double_leg_hops", "single_leg_hops", "diagonal_hops"]


def test_hops_progress_double_leg_then_single_leg_then_diagonal(library: Library) -> None:
    assert [[e.id for e in chain] for chain in sequences(library)] == [HOPS]
    assert library.exercise("diagonal_hops").progresses_to is None


def test_each_hop_says_how_to_move_on_and_none_mentions_a_weight(library: Library) -> None:
    for hop, following in itertools.pairwise(HOPS):
        text = " ".join(library.exercise(hop).progressions).lower()
        assert library.exercise(following).name.lower() in text
    for hop in HOPS:
        text = " ".join(library.exercise(hop).progressions).lower()
        assert "weight" not in text and "kg" not in text, hop


def test_only_exercises_outside_the_hops_suggest_an_ankle_weight(library: Library) -> None:
    weighted = {e.id for e in library.exercises if "weight" in " ".join(e.progressions).lower()}
    assert weighted == {
        "short_arc_quad",
        "straight_leg_raise",
        "side_lying_leg_raise",
        "prone_hip_extension",
    }


@pytest.mark.parametrize(
    ("hop", "target", "message"),
    [
        (
            "double_leg_hops",
            "triple_hops",
            r"13_double_leg_hops\.yaml: field 'progresses_to': unknown exercise 'triple_hops'",
        ),
        ("double_leg_hops", "bridge", r"field 'progresses_to': 'bridge' is in phase 2"),
        (
            "double_leg_hops",
            "diagonal_hops",
            r"field 'progresses_to': 'diagonal_hops' already follows",
        ),
        (
            "double_leg_hops",
            "double_leg_hops",
            r"progresses_to: an exercise cannot progress to itself",
        ),
    ],
    ids=["unknown", "other phase", "two before one", "itself"],
)
def test_a_broken_hop_sequence_names_the_file_and_field(
    content_copy: Path, hop: str, target: str, message: str
) -> None:
    edit_yaml(exercise_file(content_copy, hop), progresses_to=target)
    with pytest.raises(ContentError, match=message):
        load_library(content_copy)


def test_a_hop_whose_progressions_do_not_name_the_next_hop_is_refused(content_copy: Path) -> None:
    edit_yaml(exercise_file(content_copy, "single_leg_hops"), progressions=["Hop higher."])
    message = r"14_single_leg_hops\.yaml: field 'progressions': say how to move on to Diagonal hops"
    with pytest.raises(ContentError, match=message):
        load_library(content_copy)


def test_a_sequence_that_loops_is_refused(content_copy: Path) -> None:
    edit_yaml(
        exercise_file(content_copy, "diagonal_hops"),
        progresses_to="double_leg_hops",
        progressions=["Go back to double-leg hops."],
    )
    with pytest.raises(ContentError, match=r"field 'progresses_to': the sequence loops back"):
        load_library(content_copy)


# -- version 2: pregnancy alternatives ---------------------------------------------------

LYING_FLAT = {"quad_set", "short_arc_quad", "straight_leg_raise", "prone_hip_extension", "bridge"}


def test_exercises_done_lying_flat_offer_a_standing_alternative_for_pregnancy(
    library: Library,
) -> None:
    marked = {e.id for e in library.exercises if e.pregnancy_alternative}
    assert marked == LYING_FLAT
    for exercise_id in LYING_FLAT:
        text = library.exercise(exercise_id).pregnancy_alternative or ""
        assert "stand" in text.lower(), exercise_id
        assert "lie" not in text.lower().split(), exercise_id


def test_every_exercise_whose_steps_lie_on_the_back_or_front_is_marked(library: Library) -> None:
    flat = ("on your back", "on your front", "lie with", "sit or lie", "face down")
    for exercise in library.exercises:
        steps = " ".join(exercise.steps).lower()
        if any(words in steps for words in flat):
            assert exercise.pregnancy_alternative, exercise.id
    side_lying = {"side_lying_leg_raise", "clamshell", "isometric_hip_abduction"}
    assert not any(library.exercise(e).pregnancy_alternative for e in side_lying)


def test_a_too_short_pregnancy_alternative_names_the_file_and_field(content_copy: Path) -> None:
    edit_yaml(exercise_file(content_copy, "bridge"), pregnancy_alternative="Stand.")
    with pytest.raises(ContentError, match=r"09_bridge\.yaml: field 'pregnancy_alternative'"):
        load_library(content_copy)


# -- version 2: words ----------------------------------------------------------------------

OWN_FILES = [
    *sorted((CONTENT_DIR / "exercises").glob("*.yaml")),
    CONTENT_DIR / "phases.yaml",
    CONTENT_DIR / "recommendations.yaml",
    CONTENT_DIR / "README.md",
]
SCALE = {0: "no pain", **dict.fromkeys(range(1, 4), "mild")}
SCALE |= dict.fromkeys(range(4, 7), "moderate") | dict.fromkeys(range(7, 11), "severe")


def test_phase_3_keeps_two_strength_sessions_a_week(library: Library) -> None:
    phase = library.phase(3)
    assert "two strength sessions a week" in phase.goal
    assert any("two strength sessions a week" in line for line in phase.ready_when)


def test_phase_3_returns_to_running_only_through_the_walk_run_programme(library: Library) -> None:
    assert "walk-run programme" in library.phase(3).goal
    assert any("walk-run programme" in line for line in library.phase(2).avoid)


@pytest.mark.parametrize("file", OWN_FILES, ids=lambda p: p.name)
def test_no_recovery_time_is_promised(file: Path) -> None:
    text = " ".join(file.read_text(encoding="utf-8").split()).lower()
    promise = r"(better|recover\w*|heal\w*|pain-free|cured?|back to \w+) (with)?in \d+"
    assert not re.search(promise, text), file.name
    assert not re.search(r"\b(will|guaranteed to) (be )?(heal|recover|cure)", text), file.name


@pytest.mark.parametrize("file", OWN_FILES, ids=lambda p: p.name)
def test_pain_levels_named_in_words_use_the_usual_scale(file: Path) -> None:
    # "3/10 or less (mild)", "above 3 out of 10 (beyond mild)": the word fits the number.
    text = " ".join(file.read_text(encoding="utf-8").split())
    pattern = r"(\d+)(?:/10| out of 10)[^()/.]{0,45}\((?:beyond )?(no pain|mild|moderate|severe)"
    for number, word in re.findall(pattern, text):
        assert SCALE[int(number)] == word, (file.name, number, word)
    assert "very severe" not in text.lower() and "worst imaginable" not in text.lower()


def test_the_pain_words_are_checked_where_they_are_used() -> None:
    text = (CONTENT_DIR / "recommendations.yaml").read_text(encoding="utf-8")
    assert "3/10 or less (mild)" in " ".join(text.split())
