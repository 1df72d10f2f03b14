"""Lint, format and type checks run with the tests, so CI and a developer see the same."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "src", "tests", "scripts", "benchmarks"],
        ["ruff", "format", "--check", "src", "tests", "scripts", "benchmarks"],
        ["mypy", "src/l4a_graph"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_tool_passes(command: list[str]) -> None:
    paths = [c for c in command[2:] if (ROOT / c).exists() or not c[0].isalpha()]
    result = subprocess.run(
        [str(BIN / command[0]), command[1], *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
