"""Grouped pages of the offline copy: many cases (or municipalities) in one file.

Each file of the offline zip is deflated on its own, so a page alone pays for its
whole page frame and compresses with nothing to share: at 10,000 cases the case
pages were most of a 100 MiB zip. Thirty-two articles in one file share one frame
and each other's words (a case article deflates to ~0.85 KB instead of ~3.5 KB); the
municipality pages share one file per prefecture.
Every member keeps its own `<article id>` and `<h1>`, and offline.css shows only the
targeted one, so a link still opens one case. The hosted site keeps one page each.
"""

from __future__ import annotations

from collections import Counter

from ..municipalities import registry
from .docs_tree import Page

CASES_PER_PAGE = 32
# Between a member's anchor and its own section names: case ids and codes never hold it,
# so `<case id>_timeline` can be no other case's id.
ANCHOR_SEPARATOR = "_"


class GroupedPages:
    """Part of SiteBuilder (pages.py): which pages share a file, and the files they make."""

    def plan_groups(self) -> None:
        """Before the first page is rendered: from then on, every link, data file and search
        record names a member by its place in its group (`urls.Urls.group`)."""
        if not self.options.grouped:
            return
        self._group_text: dict[str, tuple[str, str]] = {}  # group page → (title, intro)
        total = len(self.collection)
        for start in range(0, total, CASES_PER_PAGE):
            group = f"cases/g-{start // CASES_PER_PAGE + 1}.md"
            members = self.collection.cases[start:start + CASES_PER_PAGE]
            self.grouped.update({f"cases/{case.id}.md": (group, case.id) for case in members})
            span = f"{start + 1:,}〜{start + len(members):,} 件目"
            self._group_text[group] = (
                f"事例 {span}（全 {total:,} 件）",
                f"このページには、事例 {total:,} 件のうち、団体コード順で {span}の事例があります。"
                "題名を選ぶと、その事例を表示します。")
        reg = registry()
        by_pref: dict[str, list[str]] = {}
        for code in sorted(self.municipality_cases()):
            by_pref.setdefault(reg.prefecture_of(reg.by_code[code]).romaji, []).append(code)
        for pref in reg.prefectures:
            codes = by_pref.get(pref.romaji)
            if not codes:
                continue
            group = f"municipalities/g-{pref.romaji}.md"
            self.grouped.update({f"municipalities/{code}.md": (group, code) for code in codes})
            self._group_text[group] = (f"{pref.name}の団体の事例",
                                       f"{pref.name}の団体ごとの事例の一覧です（{len(codes)} 団体）。"
                                       "団体名を選ぶと、その団体の事例を表示します。")
        self._groups = PageGroups(self.grouped, self._render_group)
        self.urls.group(self.grouped)

    def add_page(self, src: str, page: Page) -> None:
        """A page to the docs tree, or to its group, which goes to the tree once complete."""
        if src not in self.grouped:
            self.tree.add_page(src, page)
            return
        finished = self._groups.add(src, page)
        if finished is not None:
            self.tree.add_page(*finished)

    def _render_group(self, group: str, members: list[tuple[str, Page]]) -> Page:
        title, intro = self._group_text[group]
        members = [(anchor, page.title, page.read_html()) for anchor, page in members]
        return Page(title, self.render("group.html.j2", group, title=title, intro=intro, members=members))


class PageGroups:
    """Collects the member pages of a plan as they are made and hands back each group's
    page once its last member has arrived. Members come in the plan's order (the
    collection's, codes sorted), so a build holds at most one unfinished group."""

    def __init__(self, grouped: dict[str, tuple[str, str]], render):
        """`grouped`: member page → (group page, anchor); `render(group page, [(anchor, member
        Page)])` → the group's Page."""
        self.render = render
        self.grouped = grouped
        self.sizes = Counter(group for group, _ in grouped.values())
        self.pending: dict[str, list[tuple[str, Page]]] = {}

    def add(self, src: str, page: Page) -> tuple[str, Page] | None:
        """The group's page once this, its last member, has arrived; None before."""
        group, anchor = self.grouped[src]
        members = self.pending.setdefault(group, [])
        members.append((anchor, page))
        if len(members) < self.sizes[group]:
            return None
        del self.pending[group]
        return group, self.render(group, members)
