"""Diagnostics: the one shape every problem takes, and its three output forms.

Contributors read these, so the message and hint are Japanese; the rule code
is ASCII and stable so tools and tests can key on it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .characters import FORBIDDEN

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




def _visible(text: str) -> str:
    """A message quotes what the contributor wrote; an invisible character in it (an
    escape sequence that recolours a terminal, a bidi override) is shown as `\\uXXXX`."""
    return FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def format_text(diagnostics) -> str:
    lines = []
    for d in diagnostics:
        lines.append(_visible(f"{d.file}:{d.line}:{d.column}: {d.severity}[{d.rule}]: {d.message}"))
        if d.hint:
            lines.append(_visible(f"    ヒント: {d.hint}"))
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
        text = _visible(d.message) + (f"\nヒント: {_visible(d.hint)}" if d.hint else "")
        props = ",".join([
            f"file={_github_escape(_visible(d.file), True)}",
            f"line={d.line}",
            f"col={d.column}",
            f"title={_github_escape(d.rule, True)}",
        ])
        lines.append(f"::{level} {props}::{_github_escape(text)}")
    return "\n".join(lines)


def format_json(diagnostics) -> str:
    return json.dumps([asdict(d) for d in diagnostics], ensure_ascii=False, indent=2)


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}


def warnings_summary(diagnostics) -> str:
    """Warnings as one count per rule: what a build shows, so that many records with a fact
    that is genuinely not public do not bury its output; `check` still lists each one."""
    counts: dict[str, int] = {}
    for d in diagnostics:
        if not d.is_error:
            counts[d.rule] = counts.get(d.rule, 0) + 1
    if not counts:
        return ""
    total = sum(counts.values())
    width = max(len(rule) for rule in counts)
    lines = [f"警告 {total} 件（規則ごとの件数。詳しくは make check で確認できます）:"]
    for rule, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"  {rule:<{width}}  {count} 件")
    return "\n".join(lines)


def format_for_build(diagnostics) -> str:
    """Errors in full (they stop the build), warnings as a summary."""
    parts = [format_text([d for d in diagnostics if d.is_error]), warnings_summary(diagnostics)]
    return "\n".join(part for part in parts if part)


def summary(diagnostics, files: int) -> str:
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    return f"{files} 件のファイルを検査: エラー {errors} 件、警告 {warnings} 件"
