"""Text from a person or a file is shown as written: no links, no formatting, cut short."""

from __future__ import annotations

from pages.style import PLAIN_LIMIT, plain


def test_markdown_links_emphasis_icons_and_html_are_shown_as_typed() -> None:
    shown = plain("[prize](http://evil.example) **now** :material/home: $x$ <b>hi</b>")
    for live in ("[prize](", "**now**", ":material/home:", "$x$", "<b>"):
        assert live not in shown, live
    assert "\\[prize\\](http\\://evil.example)" in shown
    assert "www\\.evil" in plain("see www.evil.example")


def test_long_text_is_cut_with_an_ellipsis() -> None:
    shown = plain("x" * 100_000)
    assert shown == "x" * PLAIN_LIMIT + "…"


def test_ordinary_words_are_left_readable() -> None:
    assert plain("Bob's export") == "Bob's export"
