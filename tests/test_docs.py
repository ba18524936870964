"""The README documents every command, its help summary and its options (no drift)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer

from feedtool.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
GROUP: Any = typer.main.get_command(app)  # a Click-style group (Typer's own Click)
COMMANDS = sorted(GROUP.commands)


def squash(text: str) -> str:
    return " ".join(text.split())


def section(name: str) -> str:
    """The README's ``### `feedtool NAME``` section, up to the next heading."""
    m = re.search(rf"^### `feedtool {re.escape(name)}`\n(.*?)(?=^##)", README, flags=re.S | re.M)
    assert m, f"README has no section ### `feedtool {name}`"
    return m.group(1)


def test_the_app_has_the_expected_commands() -> None:
    assert COMMANDS == ["build", "check", "import", "init", "serve", "tag"]


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_the_readme_with_its_help_summary(name: str) -> None:
    command = GROUP.commands[name]
    summary = squash((command.help or "").split("\n\n")[0])
    assert summary, f"{name} has no help text"
    assert summary in squash(section(name)), f"README lacks {name}'s summary: {summary!r}"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_is_documented(name: str) -> None:
    text = section(name)
    for param in GROUP.commands[name].params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                assert opt in text, f"README section of {name} does not mention {opt}"


def test_global_options_are_documented() -> None:
    for param in GROUP.params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                assert f"`{opt}" in README, opt


def test_every_command_has_an_example() -> None:
    for name in COMMANDS:
        assert "Example: feedtool " in (GROUP.commands[name].help or ""), name
