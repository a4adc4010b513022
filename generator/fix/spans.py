"""Where a scalar is written on its line, so that a fix replaces exactly those characters.

Fixes edit the text, never re-dump the YAML: only the span of the value
changes, and comments, quoting and layout stay as the contributor wrote them.
A value whose span is not certain (block scalars, values over several lines,
escapes in quotes) is not touched.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import yamltree


@dataclass
class Change:
    line: int
    message: str


def scalar_span(lines: list[str], node: yamltree.Scalar) -> tuple[int, int, int] | None:
    """(line index, start, end) of a scalar written on one line, quotes included; None otherwise."""
    index, start = node.line - 1, node.column - 1
    if index >= len(lines):
        return None
    line = lines[index]
    if node.style in ('"', "'"):
        end = yamltree.quote_end(line, start) if line[start:start + 1] == node.style else None
        return (index, start, end + 1) if end is not None else None
    if node.plain and node.value and line[start:start + len(node.value)] == node.value:
        return index, start, start + len(node.value)
    return None  # block scalars and values over several lines are left alone


def inner_span(lines: list[str], node: yamltree.Scalar, span) -> tuple[int, int] | None:
    """(start, end) of the text inside the quotes, when it is exactly the value (no escapes)."""
    index, start, end = span
    if node.plain:
        return start, end
    if lines[index][start + 1:end - 1] == node.value:
        return start + 1, end - 1
    return None


def quoted(value: str) -> str:
    return f'"{value}"'
