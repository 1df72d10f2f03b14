"""Regenerate the CLI reference inside README.md from ``l4a --help`` (docs that cannot drift).

Run ``python scripts/update_readme.py``; ``tests/test_docs.py`` fails when the README is stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- cli-reference start -->", "<!-- cli-reference end -->"


def cli_reference() -> str:
    """The ``--help`` of ``l4a`` and of every command, as Markdown."""
    from l4a_graph.cli import cli

    runner = CliRunner()
    parts = [_help(runner, [])]
    group = cli
    assert isinstance(group, click.Group)
    for name in sorted(group.commands):
        parts.append(f"### `l4a {name}`\n\n" + _help(runner, [name]))
    return "\n".join(parts)


def _help(runner: CliRunner, args: list[str]) -> str:
    from l4a_graph.cli import cli

    result = runner.invoke(cli, [*args, "--help"], prog_name="l4a", terminal_width=100)
    return f"```\n{result.output.rstrip()}\n```\n"


def updated(text: str) -> str:
    """``text`` with the CLI reference between the markers replaced by the current one."""
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        sys.exit(f"{README}: markers {START} / {END} not found")
    return pattern.sub(lambda _: f"{START}\n{cli_reference()}{END}", text)


if __name__ == "__main__":
    README.write_text(updated(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {README}")
