"""Every drawing as a phone shows it: rendered at 390 px wide on a dark page into
tests/browser/screenshots/drawing_<name>.png, so a person can look at them all."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from kneecore.content import CONTENT_DIR

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
SVGS = sorted((CONTENT_DIR / "illustrations").glob("*.svg"))


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
