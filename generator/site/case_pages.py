"""Case pages: one page per case with its attachments, similar cases and search document.

Each case page depends only on the model, so with many cases they are
rendered on every core; everything else is rendered once.
"""

from __future__ import annotations

import multiprocessing
import os
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass

from .. import casefiles
from ..dates import STALE_YEARS, is_stale
from ..model import Case, newest_first
from ..urls import safe_url
from . import grouped_pages, learning, search_index
from .docs_tree import Page
from .formatting import STATUS_SLUGS, months_text, tag_slug
from .markdown import RenderFailed

RESOURCE_ORDER = ["仕様書", "要綱", "業務フロー", "マニュアル", "報道発表", "記事", "動画", "その他"]
SIMILAR_LIMIT = 5


@dataclass
class RenderedCase:
    case_id: str
    pages: list          # (docs path, Page)
    files: list          # (site path, source file)
    search_doc: search_index.SearchDoc


PARALLEL_FROM = 500  # cases; below this a worker pool costs more than it saves
SLICE = 100          # cases a worker renders and hands back at a time
_ACTIVE = None       # (builder, similar) for forked workers


def _render_chunk(case_ids: list[str]) -> list[RenderedCase]:
    builder, similar = _ACTIVE
    cases = builder.collection.by_id
    return [builder.case_page(cases[i], similar(cases[i])) for i in case_ids]


class CasePages:
    """Part of SiteBuilder (pages.py): the case pages."""

    def _render_cases(self):
        """Case pages, yielded in collection order, on every core when there are many
        (each page depends only on the model). Workers hand pages back a slice at a time,
        so the caller can spool each slice to disk before the next arrives: at 10,000
        cases the parent never holds every page. In the preview, a page whose inputs are
        unchanged is the previous build's."""
        global _ACTIVE
        cases = list(self.collection)
        similar = self._similar_index()
        keys, done = {}, {}
        if self.memo is not None:
            for case in cases:
                keys[case.id] = key = self._case_key(case, similar(case))
                entry = self.memo.cases.get(case.id)
                if entry is not None and entry[0] == key:
                    done[case.id] = entry[1]
        todo = [case for case in cases if case.id not in done]
        workers = min(os.cpu_count() or 1, 8)
        pool = None
        if len(todo) < PARALLEL_FROM or workers < 2:
            fresh = (self.case_page(case, similar(case)) for case in todo)
        else:
            _ACTIVE = (self, similar)
            pool = multiprocessing.get_context("fork").Pool(workers)
            slices = [[c.id for c in todo[i:i + SLICE]] for i in range(0, len(todo), SLICE)]
            fresh = (rendered for part in pool.imap(_render_chunk, slices) for rendered in part)
        try:
            for case in cases:
                rendered = done.get(case.id)
                if rendered is None:
                    rendered = next(fresh)
                    if self.memo is not None:
                        self.memo.cases[case.id] = (keys[case.id], rendered)
                        self.memo.rendered.update(src for src, _ in rendered.pages)
                yield rendered
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
                _ACTIVE = None
        if self.memo is not None:
            for gone in [i for i in self.memo.cases if i not in self.collection.by_id]:
                del self.memo.cases[gone]


    def _case_key(self, case: Case, similar: list[str]) -> bytes:
        """Everything the case page shows: the case, the cases it names (their titles and
        places are on it) and its learning tree (ids and counts of hidden cases). A page
        that starts showing another case's data must add that case here;
        tests/test_incremental.py compares the preview with a clean build."""
        by_id = self.collection.by_id
        linked = [by_id[i] for i in (*case.related, *case.inspired_by, *case.inspired, *similar) if i in by_id]
        return self.memo.key(case, similar, linked, learning.case_lineage(self.collection, case))


    def case_page(self, case: Case, similar: list[str]) -> RenderedCase:
        src = f"cases/{case.id}.md"
        folder = f"cases/{case.id}"
        # In a group, the page's anchors are the case's own: `<id>_timeline`, `<id>_body-…`.
        at = f"{case.id}{grouped_pages.ANCHOR_SEPARATOR}" if src in self.grouped else ""
        published = self._attachments(case)
        files = [(f"{folder}/{name}", data) for name, data in published.items()]

        def asset_url(target: str) -> str | None:
            """A path of the body, read as on GitHub (`<id>/map.png`, or the older bare
            `map.png`), to the published copy; None (no link) for anything not published."""
            reference = casefiles.resolve(target, case.id)
            if reference.name not in published:
                return None
            return self.urls.rel(src, f"{folder}/{urllib.parse.quote(reference.name)}") + reference.fragment

        try:
            body = self.bodies.render(case.body, asset_url, anchor_prefix=at)
        except RenderFailed as exc:
            raise RenderFailed(f"事例「{case.id}」（{case.path.name}）の本文をページに変換できません: {exc}。"
                               "make check で確かめてください") from None
        grouped = defaultdict(list)
        for resource in case.resources:
            grouped[resource.get("kind", "その他")].append(resource)
        resources = [(kind, grouped[kind]) for kind in RESOURCE_ORDER if kind in grouped]
        edit_url = None
        if self.options.edit_url:
            relative = case.path.relative_to(self.cases_root).as_posix()
            edit_url = safe_url(f"{self.options.edit_url.rstrip('/')}/cases/{relative}", relative=False)
        stale = is_stale(case.updated, self.today)
        html = self.render("case.html.j2", src, title=case.title, at=at, case=case, body=body, resources=resources,
                           similar=similar, collection=self.collection, area_slugs=self.area_slugs,
                           tag_slug=tag_slug, status_slug=STATUS_SLUGS[case.status], stale=stale,
                           edit_url=edit_url, published=published, stale_years=STALE_YEARS,
                           months=months_text(case.months_to_launch), parents=self.collection.parents(case),
                           children=self.collection.children(case),
                           lineage=learning.case_lineage(self.collection, case))
        page = Page(case.title, html, case.summary, False)
        return RenderedCase(case.id, [(src, page)], files, self._search_doc(case, body.html))


    def _attachments(self, case: Case) -> dict[str, bytes]:
        """The files of the case's folder that may be published: what `check` accepts, judged
        again here so that a build that skipped the checker is just as safe. A case folder
        reached through a symlinked prefecture folder (outside the cases root) gives none."""
        asset_dir = case.path.with_suffix("")
        root = os.path.realpath(self.cases_root)
        if not os.path.realpath(asset_dir.parent).startswith(root + os.sep):
            return {}
        return casefiles.scan(asset_dir, keep=True).files


    def _search_doc(self, case: Case, body_html: str) -> search_index.SearchDoc:
        m = case.place.municipality
        systems = "\n".join(s["name"] + (f"（{'・'.join(filter(None, (s.get('vendor'), s.get('kind'))))}）"
                                         if s.get("vendor") or s.get("kind") else "")
                            for s in case.systems)
        outcomes = "\n".join(o if isinstance(o, str) else
                             " ".join(filter(None, (o["indicator"], o.get("before"), o["after"], o.get("note"))))
                             for o in case.outcomes)
        departments = "\n".join(c["department"] for c in case.contacts if c.get("department"))
        partners = "\n".join(p.municipality.full_name for p in case.partners)
        fields = [case.title, f"{m.full_name} {m.kana}", "\n".join(case.areas + case.tags), case.summary, systems,
                  departments, partners, "\n".join(case.problems), outcomes,
                  search_index.html_text(body_html).strip()]
        return search_index.SearchDoc(
            url=self.urls.page(f"cases/{case.id}.md"), title=case.title, place=m.full_name, summary=case.summary,
            fields=fields, pref=self.pref_order[case.place.prefecture.code],
            status=list(STATUS_SLUGS).index(case.status), areas=[self.area_order[a] for a in case.areas],
            kind=search_index.TYPES.index(m.type), band=search_index.BANDS.index(case.population_band),
            launch=case.launch or "")


    def _similar_index(self):
        """Cases in the same area from municipalities of the same type or population band.

        Each (area, type) and (area, band) group is kept newest-checked first; a case
        looks at the head of its groups only, so the cost stays linear in the corpus.
        """
        by_type: dict[tuple, list[Case]] = defaultdict(list)
        by_band: dict[tuple, list[Case]] = defaultdict(list)
        for case in newest_first(self.collection):
            for area in case.areas:
                by_type[(area, case.place.municipality.type)].append(case)
                if case.population:
                    by_band[(area, case.population_band)].append(case)
        head = SIMILAR_LIMIT * 6

        def similar(case: Case) -> list[str]:
            linked = {case.id, *case.inspired_by, *case.inspired, *case.related}
            scored: dict[str, list] = {}
            for area in case.areas:
                groups = [by_type[(area, case.place.municipality.type)]]
                if case.population:
                    groups.append(by_band[(area, case.population_band)])
                for group in groups:
                    taken = 0
                    for other in group:
                        if taken == head:
                            break
                        if other.id in linked or other.place.municipality.code == case.place.municipality.code:
                            continue
                        taken += 1
                        entry = scored.setdefault(other.id, [0, other.updated])
                        entry[0] += 1
            ranked = sorted(scored.items(), key=lambda item: item[0])
            ranked.sort(key=lambda item: (item[1][0], item[1][1]), reverse=True)  # score, then newest
            return [case_id for case_id, _ in ranked[:SIMILAR_LIMIT]]

        return similar
