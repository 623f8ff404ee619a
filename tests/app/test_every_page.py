"""Every page of the router opens without an exception and shows its notice."""

from __future__ import annotations

import pytest

from tests.app.helpers import PAGES, assert_no_exception, open_page


@pytest.mark.parametrize("name", PAGES)
def test_every_page_opens_without_an_exception(name: str) -> None:
    at = open_page(name)
    assert_no_exception(at)
    assert at.title, f"pages/{name}.py shows no title"


def test_the_sidebar_says_the_app_is_not_a_diagnosis() -> None:
    at = open_page("home")
    texts = " ".join(str(el.value) for el in at.sidebar.info)
    assert "not a diagnosis" in texts
