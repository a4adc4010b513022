"""The timeline put in date order, each entry's lines moved whole.

Only a timeline `check` would call out of order, written as a block sequence
with every entry at the same indent, is rearranged: anything unusual is left
for the contributor, since moving lines wrongly would lose what they wrote.
"""

from __future__ import annotations

from .. import yamltree
from ..check.values import DATE, date_parts, date_start
from .spans import Change


def _sort_key(value: str) -> tuple[int, int, int]:
    year, month, day = date_parts(value)
    return year, month or 0, day or 0


def _in_order(values: list[str]) -> bool:
    """The order `check` accepts: each date, at the precision both have, not before the latest."""
    latest = None  # (parts, value) of the latest date so far
    for value in values:
        parts = date_parts(value)
        if latest is not None:
            common = min(_precision(parts), _precision(latest[0]))
            if parts[:common] < latest[0][:common]:
                return False
        if latest is None or date_start(value) > date_start(latest[1]):
            latest = (parts, value)
    return True


def _precision(parts: tuple) -> int:
    return sum(1 for p in parts if p is not None)


def _item_start(lines: list[str], item) -> tuple[int, int] | None:
    """(line index, dash column) of a block-sequence item's `- `."""
    index, column = item.line - 1, item.column - 1
    prefix = lines[index][:column]
    if prefix.strip() == "-":
        return index, prefix.index("-")
    if prefix.strip() == "" and index > 0 and lines[index - 1].strip() == "-":
        return index - 1, lines[index - 1].index("-")
    return None


def sort_timeline(lines: list[str], front: yamltree.Map, close: int, changes: list[Change]) -> None:
    timeline = front.get("timeline")
    if not isinstance(timeline, yamltree.Seq) or len(timeline.items) < 2:
        return
    values, starts = [], []
    for item in timeline.items:
        date = item.get("date") if isinstance(item, yamltree.Map) else None
        if not isinstance(date, yamltree.Scalar) or not DATE.match(date.value.strip()):
            return  # a date that is no date: `check` says so, and there is no order to restore
        start = _item_start(lines, item)
        if start is None:
            return  # flow style or an unusual layout: not touched
        values.append(date.value.strip())
        starts.append(start)
    if _in_order(values) or len({c for _, c in starts}) != 1:
        return
    dash = starts[0][1]
    rows = [s for s, _ in starts]
    if rows != sorted(set(rows)):
        return
    end = rows[-1] + 1  # the last entry runs on while its lines are indented past the dash
    while end < close and (not lines[end].strip() or _indent(lines[end]) > dash):
        end += 1
    while end > rows[-1] + 1 and not lines[end - 1].strip():
        end -= 1
    bounds = rows + [end]
    blocks, gaps = [], []  # each entry's lines; the blank lines after it, which stay in place
    for i in range(len(rows)):
        block = lines[bounds[i]:bounds[i + 1]]
        blank = len(block) - len(list(_rstrip_blank(block)))
        blocks.append(block[:len(block) - blank])
        gaps.append(block[len(block) - blank:])
    order = sorted(range(len(blocks)), key=lambda i: _sort_key(values[i]))
    lines[rows[0]:end] = [line for place, i in enumerate(order) for line in blocks[i] + gaps[place]]
    key = front.key_node("timeline")
    changes.append(Change(key.line, "timeline（経過）を日付の古い順に並べ替えました"))


def _rstrip_blank(block: list[str]) -> list[str]:
    end = len(block)
    while end > 1 and not block[end - 1].strip():
        end -= 1
    return block[:end]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
