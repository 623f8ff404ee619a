"""Every drawing fits its own frame, has a title, is the file its exercise or home test
names and is what make_drawings.py draws: a clipped head, a missing file or a stale
SVG is caught here, not by a patient."""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from kneecore.content import CONTENT_DIR, load_library
from kneecore.questionnaire import illustrations_dir, load_questionnaire

ILLUSTRATIONS = CONTENT_DIR / "illustrations"
SVGS = sorted(ILLUSTRATIONS.glob("*.svg"))
NS = "{http://www.w3.org/2000/svg}"
# Parts of <defs> (markers, clip paths) are drawn elsewhere or not at all.
NOT_DRAWN = {"defs", "marker", "clipPath", "title", "desc"}
Box = tuple[float, float, float, float]


def tag(element: ET.Element) -> str:
    return element.tag.removeprefix(NS)


def numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d*\.?\d+(?:e-?\d+)?", text)]


def path_points(d: str) -> list[tuple[float, float]]:
    """The points of a path's M/L/H/V/C/Q/A commands (absolute and relative)."""
    points: list[tuple[float, float]] = []
    x = y = 0.0
    for command, args in re.findall(r"([MLHVCQAZmlhvcqaz])([^MLHVCQAZmlhvcqaz]*)", d):
        values = numbers(args)
        rel = command.islower()
        kind = command.upper()
        step = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "Q": 4, "A": 7, "Z": 0}[kind]
        for i in range(0, len(values), step or 1):
            chunk = values[i : i + step]
            if kind in "ML":
                x, y = (x + chunk[0], y + chunk[1]) if rel else (chunk[0], chunk[1])
            elif kind == "H":
                x = x + chunk[0] if rel else chunk[0]
            elif kind == "V":
                y = y + chunk[0] if rel else chunk[0]
            elif kind in "CQ":
                base = (x, y) if rel else (0.0, 0.0)
                pairs = list(zip(chunk[::2], chunk[1::2], strict=True))
                points += [(base[0] + px, base[1] + py) for px, py in pairs[:-1]]
                x, y = base[0] + pairs[-1][0], base[1] + pairs[-1][1]
            elif kind == "A":
                # The arc may bulge up to its radius beyond its end points.
                r = max(chunk[0], chunk[1])
                points += [(x - r, y - r), (x + r, y + r)]
                x, y = (x + chunk[5], y + chunk[6]) if rel else (chunk[5], chunk[6])
                points += [(x - r, y - r), (x + r, y + r)]
            if kind != "Z":
                points.append((x, y))
    return points


def shape_box(element: ET.Element) -> Box | None:
    """The box a shape covers, its stroke included; None for anything else."""
    a = {k: v for k, v in element.attrib.items()}
    name = tag(element)

    def num(key: str) -> float:
        return float(a.get(key, "0"))

    if name == "rect":
        box = (num("x"), num("y"), num("x") + num("width"), num("y") + num("height"))
    elif name == "circle":
        box = (
            num("cx") - num("r"),
            num("cy") - num("r"),
            num("cx") + num("r"),
            num("cy") + num("r"),
        )
    elif name == "ellipse":
        box = (
            num("cx") - num("rx"),
            num("cy") - num("ry"),
            num("cx") + num("rx"),
            num("cy") + num("ry"),
        )
    elif name == "line":
        box = (
            min(num("x1"), num("x2")),
            min(num("y1"), num("y2")),
            max(num("x1"), num("x2")),
            max(num("y1"), num("y2")),
        )
    elif name in ("polyline", "polygon", "path"):
        if name == "path":
            pts = path_points(a.get("d", ""))
        else:
            values = numbers(a.get("points", ""))
            pts = list(zip(values[::2], values[1::2], strict=True))
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        box = (min(xs), min(ys), max(xs), max(ys))
    else:
        return None
    half = float(a.get("stroke-width", "0")) / 2 if a.get("stroke", "none") != "none" else 0
    return (box[0] - half, box[1] - half, box[2] + half, box[3] + half)


def drawn(root: ET.Element) -> list[ET.Element]:
    """Every element that is drawn where it stands (outside <defs>)."""
    found: list[ET.Element] = []

    def walk(element: ET.Element) -> None:
        for child in element:
            if tag(child) in NOT_DRAWN:
                continue
            assert "transform" not in child.attrib, (
                f"<{tag(child)}> has a transform: draw in absolute coordinates"
            )
            found.append(child)
            walk(child)

    walk(root)
    return found


def clipped_shapes(svg_text: str) -> list[str]:
    """The shapes (tag and box) that reach outside the SVG's viewBox."""
    root = ET.fromstring(svg_text)
    vx, vy, vw, vh = numbers(root.attrib["viewBox"])
    outside = []
    for element in drawn(root):
        box = shape_box(element)
        if box is None:
            continue
        if box[0] < vx or box[1] < vy or box[2] > vx + vw or box[3] > vy + vh:
            outside.append(f"<{tag(element)}> {tuple(round(v, 1) for v in box)}")
    return outside


@pytest.mark.parametrize("svg", SVGS, ids=[p.name for p in SVGS])
def test_every_drawing_keeps_all_its_shapes_inside_its_viewbox(svg: Path) -> None:
    assert clipped_shapes(svg.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("svg", SVGS, ids=[p.name for p in SVGS])
def test_every_drawing_has_a_title(svg: Path) -> None:
    title = ET.parse(svg).getroot().find(f"{NS}title")
    assert title is not None and (title.text or "").strip()


def test_a_drawing_with_a_head_outside_its_frame_is_caught() -> None:
    clipped = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><title>t</title>'
        '<circle cx="50" cy="4" r="10" fill="#000"/>'
        '<path d="M10,90 L90,90" stroke="#000" stroke-width="4"/></svg>'
    )
    assert clipped_shapes(clipped) == ["<circle> (40.0, -6.0, 60.0, 14.0)"]


def test_a_path_running_off_the_right_edge_is_caught() -> None:
    clipped = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        '<path d="M10,50 Q60,10 104,50" fill="none"/></svg>'
    )
    assert len(clipped_shapes(clipped)) == 1


def test_a_shape_inside_its_frame_passes() -> None:
    fits = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        '<polyline points="10,10 50,80 90,10" stroke="#000" stroke-width="6"/></svg>'
    )
    assert clipped_shapes(fits) == []


def test_every_exercise_names_a_drawing_that_exists() -> None:
    library = load_library()
    for exercise in library.exercises:
        assert library.illustration_path(exercise).is_file(), exercise.id


def test_every_home_test_has_a_drawing_that_exists_and_alt_text() -> None:
    for test in load_questionnaire().tests:
        assert test.illustration is not None, test.id
        assert (illustrations_dir() / test.illustration).is_file(), test.id
        assert test.illustration_alt and test.illustration_alt.startswith("Start:")


def test_the_drawings_are_what_their_script_draws(tmp_path: Path) -> None:
    """An SVG edited by hand, or a pose changed without rerunning make_drawings.py, is
    caught here: the script draws every exercise and home-test picture anew into a
    scratch folder and each must match the file the app reads."""
    script = load_script()
    script.HERE = tmp_path
    for draw in script.DRAWINGS:
        draw()
    drawn = sorted(p.name for p in tmp_path.glob("*.svg"))
    assert drawn, "the script drew nothing"
    stale = [
        name
        for name in drawn
        if (tmp_path / name).read_text(encoding="utf-8")
        != (ILLUSTRATIONS / name).read_text(encoding="utf-8")
    ]
    assert stale == [], "run .venv/bin/python content/illustrations/make_drawings.py"


def load_script() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_drawings", ILLUSTRATIONS / "make_drawings.py"
    )
    assert spec is not None and spec.loader is not None
    script: Any = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def views(root: ET.Element) -> dict[str, Box]:
    """The drawing's named parts (its <view> elements) as boxes."""
    found = {}
    for view in root.iter(f"{NS}view"):
        x, y, w, h = numbers(view.attrib["viewBox"])
        found[view.attrib["id"]] = (x, y, x + w, y + h)
    return found


def inside(box: Box, frame: Box) -> bool:
    return frame[0] <= box[0] and frame[1] <= box[1] and box[2] <= frame[2] and box[3] <= frame[3]


def shapes_across_views(svg_text: str) -> list[str]:
    """Shapes that lie in none of the drawing's views: cut when a view is shown on its
    own. The card behind everything and the dashed line between the views are meant to."""
    root = ET.fromstring(svg_text)
    named = views(root)
    if not named:
        return []
    card = numbers(root.attrib["viewBox"])
    across = []
    for element in drawn(root):
        box = shape_box(element)
        if box is None or any(inside(box, v) for v in named.values()):
            continue
        whole_card = box[2] - box[0] >= card[2] - 4 and box[3] - box[1] >= card[3] - 4
        divider = element.attrib.get("stroke-dasharray") and (
            box[2] - box[0] <= 4 or box[3] - box[1] <= 4
        )
        if not (whole_card or divider):
            across.append(f"<{tag(element)}> {tuple(round(v, 1) for v in box)}")
    return across


TWO_PANELS = [p for p in SVGS if ET.parse(p).getroot().attrib["viewBox"] == "0 0 640 540"]


@pytest.mark.parametrize("svg", TWO_PANELS, ids=[p.name for p in TWO_PANELS])
def test_a_drawing_in_two_panels_names_its_start_and_end_views(svg: Path) -> None:
    """The plan's enlarged drawing shows these panels one above the other on a phone."""
    root = ET.parse(svg).getroot()
    named = views(root)
    assert list(named) == ["start", "end"]
    assert named["start"][2] <= named["end"][0], "start on the left, end on the right"
    assert all(inside(v, (0, 0, 640, 540)) for v in named.values())


@pytest.mark.parametrize("svg", SVGS, ids=[p.name for p in SVGS])
def test_no_shape_runs_from_one_view_into_another(svg: Path) -> None:
    assert shapes_across_views(svg.read_text(encoding="utf-8")) == []


def test_a_hand_reaching_into_the_next_panel_is_caught() -> None:
    drawing = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 540">'
        '<view id="start" viewBox="10 10 308 520"/><view id="end" viewBox="322 10 308 520"/>'
        '<rect x="2" y="2" width="636" height="536" stroke="#000" stroke-width="2"/>'
        '<polyline points="320,24 320,516" stroke="#000" stroke-width="2" '
        'stroke-dasharray="8 8"/>'
        '<polyline points="200,100 330,100" stroke="#000" stroke-width="10"/></svg>'
    )
    assert shapes_across_views(drawing) == ["<polyline> (195.0, 95.0, 335.0, 105.0)"]


def test_the_knee_picture_keeps_its_front_and_side_views_apart() -> None:
    """Each label of the knee picture sits in its own view (tested on screen in
    tests/browser/test_drawings.py): the views are one above the other, not side by side,
    so a label of the front view cannot run on into one of the side view."""
    named = views(ET.parse(ILLUSTRATIONS / "knee_areas.svg").getroot())
    assert list(named) == ["front", "side"]
    assert named["front"][3] < named["side"][1]


def test_the_bridge_ends_with_shoulder_hip_and_knee_in_one_line_and_no_higher() -> None:
    """Clinical rules, section 5: a bridge ends in a straight line from shoulder to knee
    (the hips lifted that far, not beyond), and the lift must be plain to see."""
    script = load_script()
    floor = 552
    _s, start_hip, _k = script.bridge_pose(script.Svg(), floor, lifted=False)
    shoulder, hip, knee = script.bridge_pose(script.Svg(), floor, lifted=True)
    cross = (hip[0] - shoulder[0]) * (knee[1] - shoulder[1]) - (hip[1] - shoulder[1]) * (
        knee[0] - shoulder[0]
    )
    distance = abs(cross) / ((knee[0] - shoulder[0]) ** 2 + (knee[1] - shoulder[1]) ** 2) ** 0.5
    assert distance < 0.5, "the hip lies on the shoulder-knee line"
    assert shoulder[0] < hip[0] < knee[0]
    assert start_hip[1] - hip[1] >= 45, "the hips lift clearly off the floor"
