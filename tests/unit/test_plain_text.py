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


def test_an_e_mail_address_in_supplied_text_is_never_a_link():
    shown = plain("[prize](mailto:win@evil.example).fit")
    assert "win@evil.example" not in shown  # Markdown would link it
    assert shown.replace("\u2060", "").replace("\\", "") == "[prize](mailto:win@evil.example).fit"
