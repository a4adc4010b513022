"""Diagnostics: the one shape every problem takes, and its three output forms.

Contributors read these, so the message and hint are Japanese; the rule code
is ASCII and stable so tools and tests can key on it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int
    column: int
    severity: str
    rule: str
    message: str
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.rule, self.message)


class Reporter:
    """Collects diagnostics for one file; positions are 1-based."""

    def __init__(self, file: str | Path):
        self.file = str(file)
        self.items: list[Diagnostic] = []

    def error(self, rule: str, message: str, line: int = 1, column: int = 1,
              hint: str | None = None) -> None:
        self.items.append(Diagnostic(self.file, line, column, ERROR, rule, message, hint))

    def warning(self, rule: str, message: str, line: int = 1, column: int = 1,
                hint: str | None = None) -> None:
        self.items.append(Diagnostic(self.file, line, column, WARNING, rule, message, hint))

    def at(self, node, rule: str, message: str, hint: str | None = None,
           severity: str = ERROR) -> None:
        """Report at a YAML node's position (or line 1 when there is none)."""
        line, column = (node.line, node.column) if node is not None else (1, 1)
        self.items.append(Diagnostic(self.file, line, column, severity, rule, message, hint))




def format_text(diagnostics) -> str:
    lines = []
    for d in diagnostics:
        lines.append(f"{d.file}:{d.line}:{d.column}: {d.severity}[{d.rule}]: {d.message}")
        if d.hint:
            lines.append(f"    ヒント: {d.hint}")
    return "\n".join(lines)


def _github_escape(value: str, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(diagnostics) -> str:
    """GitHub Actions workflow commands, shown as annotations on the PR diff."""
    lines = []
    for d in diagnostics:
        level = "error" if d.is_error else "warning"
        text = d.message + (f"\nヒント: {d.hint}" if d.hint else "")
        props = ",".join([
            f"file={_github_escape(d.file, True)}",
            f"line={d.line}",
            f"col={d.column}",
            f"title={_github_escape(d.rule, True)}",
        ])
        lines.append(f"::{level} {props}::{_github_escape(text)}")
    return "\n".join(lines)


def format_json(diagnostics) -> str:
    return json.dumps([asdict(d) for d in diagnostics], ensure_ascii=False, indent=2)


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}


def summary(diagnostics, files: int) -> str:
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    return f"{files} 件のファイルを検査: エラー {errors} 件、警告 {warnings} 件"
