"""The README cannot drift from the code: every command and option is documented."""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

import click
import pytest

from l4a_graph.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _load_updater():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "update_readme", ROOT / "scripts" / "update_readme.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _commands() -> list[tuple[str, click.Command]]:
    assert isinstance(cli, click.Group)
    return sorted(cli.commands.items())


@pytest.mark.parametrize(("name", "command"), _commands())
def test_every_command_is_in_the_readme(name: str, command: click.Command) -> None:
    assert f"l4a {name}" in README, f"`l4a {name}` is not documented in README.md"


@pytest.mark.parametrize(
    ("name", "option"),
    [
        (name, opt)
        for name, command in _commands()
        for param in command.params
        if isinstance(param, click.Option)
        for opt in param.opts
        if opt.startswith("--")
    ],
)
def test_every_option_is_in_the_readme(name: str, option: str) -> None:
    section = README.split(f"### `l4a {name}`", 1)
    assert len(section) == 2, f"README.md has no section for `l4a {name}`"
    assert option in section[1].split("### `l4a ", 1)[0], (
        f"`l4a {name} {option}` is not in README.md"
    )


def test_cli_reference_is_current() -> None:
    updater = _load_updater()
    assert updater.updated(README) == README, (
        "README.md is stale: run python scripts/update_readme.py"
    )


def test_setup_commands_come_first() -> None:
    """The two set-up commands stand at the top, one line each, in a shell block."""
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    assert blocks, "README.md has no ```sh block"
    lines = [line for line in blocks[0].splitlines() if line and not line.startswith("#")]
    assert len(lines) == 2
    assert "l4a" in lines[0]
    assert "pytest" in lines[1]
    for line in lines:
        shlex.split(line)  # copy-pasteable: quotes balance


def test_ci_runs_the_readme_test_command() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    test_line = next(line for line in blocks[0].splitlines() if "pytest" in line)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_line in ci, ".ci/run must run exactly the README's test command"
