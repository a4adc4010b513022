"""File paths written the older way, as the bare name (`flow.png`), made relative to the
Markdown file (`<id>/flow.png`), which GitHub's preview reads too.

Only a name of a file that is in the case's folder is rewritten, and in the
body only the destinations `check` reads as links (markdown_scan.py), so
text that merely looks like a file name is never touched.
"""

from __future__ import annotations

from .. import casefiles, yamltree
from ..check.markdown_scan import local_targets
from ..walk import scalars
from .spans import Change, inner_span, scalar_span


def _bare(target: str, case_id: str, attached) -> str | None:
    """The canonical path for a bare file name that names an attached file, else None."""
    reference = casefiles.resolve(target, case_id)
    if reference.name is None or not reference.bare or reference.name not in attached:
        return None
    return casefiles.canonical(reference.name, case_id)


def fix_file_values(lines: list[str], front: yamltree.Map, case_id: str, attached, changes: list[Change]) -> None:
    found, _ = scalars(front)
    for item in found:
        if item.kind != "relativeFile":
            continue
        value = item.node.value.strip()
        fixed = _bare(value, case_id, attached)
        span = scalar_span(lines, item.node) if fixed else None
        inner = inner_span(lines, item.node, span) if span else None
        if inner is None or lines[span[0]][inner[0]:inner[1]] != item.node.value:
            continue
        index, (start, end) = span[0], inner
        lines[index] = lines[index][:start] + item.node.value.replace(value, fixed, 1) + lines[index][end:]
        changes.append(Change(item.node.line, f"ファイルのパス「{value}」を Markdown ファイルからの相対パス"
                                              f"「{fixed}」にしました"))


def fix_body_paths(lines: list[str], close: int, case_id: str, attached, changes: list[Change]) -> None:
    """Links and images of the body, found as `check` finds them; only the path is touched."""
    body_start = close + 1
    edits = []
    for line, column, target in local_targets("\n".join(lines[body_start:])):
        fixed = _bare(target, case_id, attached)
        index = body_start + line
        if fixed and lines[index].startswith(target, column):
            edits.append((index, column, target))
    for index, column, target in sorted(edits, reverse=True):
        lines[index] = lines[index][:column] + f"{case_id}/" + lines[index][column:]
    for index, _, target in sorted(edits):
        changes.append(Change(index + 1, f"本文のパス「{target}」を Markdown ファイルからの相対パス"
                                         f"「{case_id}/{target}」にしました（GitHub のプレビューでも表示されます）"))
