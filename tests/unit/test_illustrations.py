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
    spec = importlib.util.spec_from_file_location(
        "make_drawings", ILLUSTRATIONS / "make_drawings.py"
    )
    assert spec is not None and spec.loader is not None
    script: Any = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
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
