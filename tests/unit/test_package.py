"""The kneecore package keeps its promises: pure, documented, its public API importable."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import kneecore

MODULES = sorted(p for p in Path(kneecore.__file__).parent.glob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_every_module_says_its_job_and_never_imports_streamlit(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{path.name} has no module docstring"
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] == "streamlit"}


@pytest.mark.parametrize("path", [p for p in MODULES if p.name != "__init__.py"], ids=str)
def test_the_package_docstring_names_every_module(path: Path) -> None:
    assert f"kneecore.{path.stem}`" in (kneecore.__doc__ or "")


def test_everything_in_the_public_api_can_be_imported() -> None:
    for name in kneecore.__all__:
        assert getattr(kneecore, name) is not None
    # The public names are the modules' own objects, not copies.
    assert kneecore.format_day is importlib.import_module("kneecore.words").format_day
