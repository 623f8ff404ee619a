"""Every drawing as a phone shows it: rendered at 390 px wide on a dark page into
tests/browser/screenshots/drawing_<name>.png, so a person can look at them all; every
label inside its own part of the drawing and clear of the others; and the self-check's
drawings filling a phone's column with nothing over their headings."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from kneecore.content import CONTENT_DIR
from tests.browser.helpers import (
    PHONE,
    AppServer,
    about_step,
    akps_steps,
    goto,
    new_page,
    press,
    red_flag_step,
    screenshot,
    where_step,
)

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
SVGS = sorted((CONTENT_DIR / "illustrations").glob("*.svg"))

# Each <text>'s box in drawing units, and the boxes of the drawing and its views.
TEXT_BOXES_JS = """
svg => {
  const box = b => [b.x, b.y, b.x + b.width, b.y + b.height];
  const views = [...svg.querySelectorAll('view')].map(v => {
    const [x, y, w, h] = v.getAttribute('viewBox').split(/\\s+/).map(Number);
    return [v.id, [x, y, x + w, y + h]];
  });
  const [x, y, w, h] = svg.getAttribute('viewBox').split(/\\s+/).map(Number);
  return {
    frame: [x, y, x + w, y + h],
    views,
    texts: [...svg.querySelectorAll('text')].map(t => [t.textContent, box(t.getBBox())]),
  };
}
"""


@pytest.mark.parametrize("svg", SVGS, ids=[p.stem for p in SVGS])
def test_each_drawing_renders_whole_at_phone_width(browser: Any, svg: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    data = base64.b64encode(svg.read_bytes()).decode()
    page.set_content(
        '<body style="margin:20px;background:#0e1117">'
        f'<img id="drawing" alt="drawing" src="data:image/svg+xml;base64,{data}" '
        'style="width:350px"></body>'
    )
    image = page.locator("#drawing")
    width = image.evaluate("img => img.complete && img.naturalWidth")
    assert width, f"{svg.name} did not load"
    box = image.bounding_box()
    assert box is not None and box["width"] == 350 and box["height"] > 150
    SCREENSHOTS.mkdir(exist_ok=True)
    image.screenshot(path=str(SCREENSHOTS / f"drawing_{svg.stem}.png"))
    page.close()


def inside(box: list[float], frame: list[float]) -> bool:
    return frame[0] <= box[0] and frame[1] <= box[1] and box[2] <= frame[2] and box[3] <= frame[3]


def overlap(a: list[float], b: list[float]) -> bool:
    """Whether two labels' boxes overlap; a box reaches a little above and below its
    letters, so the lines of one label may touch by up to 4 units."""
    return a[0] < b[2] and b[0] < a[2] and a[1] + 4 < b[3] and b[1] + 4 < a[3]


@pytest.mark.parametrize("svg", SVGS, ids=[p.stem for p in SVGS])
def test_every_label_stays_in_its_own_part_of_the_drawing(browser: Any, svg: Path) -> None:
    """Measured with the browser's own font: no label runs off the card, into the other
    panel or view (the knee picture's "(next to the other knee)" once ran into the side
    view's "kneecap"), or over another label."""
    page = browser.new_page(viewport={"width": 700, "height": 900})
    page.set_content(f'<body style="margin:0">{svg.read_text(encoding="utf-8")}</body>')
    found = page.locator("svg").first.evaluate(TEXT_BOXES_JS)
    page.close()
    problems = []
    for words, box in found["texts"]:
        if not inside(box, found["frame"]):
            problems.append(f"{words!r} runs off the drawing")
        if found["views"] and not any(inside(box, v) for _id, v in found["views"]):
            problems.append(f"{words!r} is in no view of its own")
    for i, (words, box) in enumerate(found["texts"]):
        for other, other_box in found["texts"][i + 1 :]:
            if overlap(box, other_box):
                problems.append(f"{words!r} runs into {other!r}")
    assert problems == []


@pytest.mark.browser
def test_the_self_checks_drawings_fill_a_phones_column_under_clear_headings(
    browser: Any, app_server: AppServer
) -> None:
    page = new_page(browser, PHONE)
    goto(page, app_server, "self_check")
    red_flag_step(page)
    press(page, "Next", "Step 2 of 7")
    about_step(page, "Step 3 of 7", worst=4, weeks=3)
    column = page.locator('[data-testid="stMainBlockContainer"] [data-testid="stForm"]')

    def check(count: int) -> None:
        images = page.locator('[data-testid="stForm"] [data-testid="stImage"] img')
        images.nth(count - 1).wait_for()
        width = column.bounding_box()["width"]
        assert images.count() == count
        for image in images.all():
            box = image.bounding_box()
            assert box is not None and box["width"] >= width - 2, (box, width)
        # Streamlit's fullscreen button sat over the heading above a drawing.
        toolbars = page.locator('[data-testid="stForm"] [data-testid="stElementToolbar"]')
        assert all(not t.is_visible() for t in toolbars.all())

    check(1)
    screenshot(page, "drawings-selfcheck-knee-phone")
    where_step(page, "Step 4 of 7", ("around_kneecap",))
    akps_steps(page, total=7)
    check(3)
    screenshot(page, "drawings-selfcheck-tests-phone")
