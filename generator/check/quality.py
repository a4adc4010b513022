"""Quality warnings that keep a growing knowledge base honest.

None of these stops a record from being published: a fact may genuinely not be
public. They tell the contributor (and the maintainer reviewing) what a reader
will miss: a source to verify against, a secure link, a recent check, a way to
reach the department, and a learning history that goes one way.
"""

from __future__ import annotations

import datetime as dt

from .. import dates  # as a module: dates reads check.values, so names are looked up at call time
from ..diagnostics import Diagnostic, Reporter
from ..yamltree import Map, Scalar, Seq


def check_quality(front, accepted: dict, today: dt.date, report: Reporter) -> None:
    """Warnings, not errors: a record may be published without these, but a reader can
    then not verify it (no source, plain http), may be misled (stale) or cannot reach anyone."""
    if not isinstance(front, Map):
        return
    if "sources" not in front._index:
        report.warning("sources-missing", "出典（sources）がありません。事実を確かめられる公開ページの URL を書いてください",
                       hint="sources: の下に - \"https://...\" の形で、団体の報道発表やページの URL を書き足してください")
    for node, value in accepted.get("sources", []):
        if value.lower().startswith("http://"):
            report.at(node, "source-not-https", f"sources（出典） の「{value}」が https ではありません",
                      hint="同じページが https:// で開けるなら \"https://" + value[len("http://"):]
                      + "\" に書き換えてください。開けなければそのままで構いません",
                      severity="warning")
    for node, value in accepted.get("updated", []):
        if dates.is_stale(value, today):
            report.at(node, "updated-stale",
                      f"updated（最終確認日） の {value} から {dates.STALE_YEARS} 年以上たっています。"
                      "サイトでは「古い記録です」と表示されます",
                      hint=f"内容が今も正しいか確かめて、確かめた日（今日なら \"{today.isoformat()}\"）を書いてください",
                      severity="warning")
    contacts = front.get("contacts")
    for item in contacts.items if isinstance(contacts, Seq) else []:
        if not isinstance(item, Map) or any(key in item._index for key in ("phone", "email", "url")):
            continue
        department = item.get("department")
        name = f"「{department.value.strip()}」" if isinstance(department, Scalar) and department.value.strip() else ""
        report.at(item, "contact-no-means",
                  f"contacts（問い合わせ先） の{name}に電話・メール・URL のどれもありません",
                  hint="phone（電話）、email（メール）、url（ウェブページ）のうち少なくとも 1 つを書き足してください",
                  severity="warning")


def check_cycles(cases: list) -> list[Diagnostic]:
    """inspired_by that leads back to the case itself (A → B → A): a warning on each case
    of the loop, at the entry that starts it. Only the files being checked are followed."""
    edges: dict[str, list] = {}
    display = {}
    for case_id, shown, references in cases:
        display[case_id] = shown
        targets = edges.setdefault(case_id, [])
        for path, target, line, column in references:
            if path == "inspired_by" and target != case_id and all(t != target for t, _, _ in targets):
                targets.append((target, line, column))
    found = []
    for own in sorted(edges):
        for target, line, column in edges[own]:
            back = path_between(target, own, edges)
            if back is None:
                continue
            loop = " → ".join([own] + back)
            report = Reporter(display[own])
            report.warning("inspired-cycle",
                           f"inspired_by（参考にした事例） の「{target}」から参考にした事例をたどると、"
                           f"この事例に戻ります（{loop}）",
                           line, column,
                           hint="inspired_by には、この事例より前に行われ、この事例が参考にした事例だけを書いてください。"
                                "互いに参考にしたときは related に書きます")
            found.extend(report.items)
            break  # one warning per case is enough to show the loop
    return found


def path_between(start: str, goal: str, edges: dict) -> list[str] | None:
    """Shortest inspired_by path start → … → goal (breadth first, each case once), or None."""
    previous = {start: None}
    queue = [start]
    for current in queue:
        if current == goal:
            path = []
            while current is not None:
                path.append(current)
                current = previous[current]
            return path[::-1]
        for target, _, _ in edges.get(current, []):
            if target not in previous:
                previous[target] = current
                queue.append(target)
    return None
