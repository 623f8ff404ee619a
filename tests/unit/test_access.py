"""The access token: made once, owner-only, kept between runs, compared exactly."""

from __future__ import annotations

import stat
from pathlib import Path

from kneecore.access import accepts, app_link, token, token_path


def test_the_token_is_made_on_first_use_and_kept_between_runs(tmp_path: Path) -> None:
    first = token(tmp_path)
    assert len(first) >= 40
    assert token(tmp_path) == first, "the same link works after a restart"
    assert token_path(tmp_path).read_text(encoding="ascii") == first


def test_the_token_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    token(tmp_path)
    mode = stat.S_IMODE(token_path(tmp_path).stat().st_mode)
    assert mode == 0o600


def test_two_data_folders_get_two_different_tokens(tmp_path: Path) -> None:
    assert token(tmp_path / "a") != token(tmp_path / "b")


def test_only_the_exact_token_is_accepted(tmp_path: Path) -> None:
    right = token(tmp_path)
    assert accepts(right, tmp_path)
    for wrong in ("", right[:-1], right + "x", right.upper(), None, ["x"], 42):
        assert not accepts(wrong, tmp_path), wrong


def test_a_damaged_token_file_is_replaced_not_trusted(tmp_path: Path) -> None:
    token_path(tmp_path).write_text("", encoding="ascii")
    made = token(tmp_path)
    assert made and accepts(made, tmp_path)
    assert not accepts("", tmp_path)


def test_the_link_carries_the_token(tmp_path: Path) -> None:
    assert (
        app_link("localhost", 8501, tmp_path) == f"http://localhost:8501/?token={token(tmp_path)}"
    )


def test_the_default_folder_is_the_data_folder(data_dir: Path) -> None:
    assert token_path() == data_dir / "access-token"
