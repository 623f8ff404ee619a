"""The code keeps a shape a newcomer can change safely (issue 11's limits).

Pages only show: no file in ``pages/`` over 300 lines. Rules and flows are small
functions: none over 80 lines in ``kneecore/`` or ``pages/``. A file or function that
grows past these is a sign its job should be split, not a number to raise.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_PAGE_LINES = 300
MAX_FUNCTION_LINES = 80
PAGE_FILES = sorted((ROOT / "pages").glob("*.py"))
CODE_FILES = sorted([*(ROOT / "kneecore").glob("*.py"), *PAGE_FILES, ROOT / "app.py"])


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_no_file_in_pages_is_over_300_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_PAGE_LINES, f"pages/{path.name} has {lines} lines"


def long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{path.name}:{node.lineno} {node.name} ({length} lines)")
    return found


@pytest.mark.parametrize("path", CODE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_function_is_over_80_lines(path: Path) -> None:
    assert not long_functions(path)


def test_a_function_one_line_over_the_limit_is_found(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n" + "    x = 1\n" * MAX_FUNCTION_LINES, encoding="utf-8")
    assert long_functions(sample) == [f"sample.py:1 f ({MAX_FUNCTION_LINES + 1} lines)"]
    sample.write_text("def f():\n" + "    x = 1\n" * (MAX_FUNCTION_LINES - 1), encoding="utf-8")
    assert long_functions(sample) == []
