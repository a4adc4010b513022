"""Stage 4, outputs: the Case collection → the site's pages, as a docs tree.

Case pages stay out of the navigation (its cost grows with the square of the
page count); listing pages by prefecture, municipality, area, status and tag
lead to them instead. Every page's HTML is made here from Jinja templates
with autoescaping, and all links are relative for the URL style in use.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import time
import unicodedata
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import casefiles, exports, schema
from ..dates import STALE_YEARS, is_stale
from ..model import Case, CaseCollection, newest_first
from ..municipalities import registry
from ..urls import Urls, mailto_url, safe_url, tel_url
from ..vocabulary import Area
from . import catalogue, geo_map, japan_map, learning, nearby, search_index
from .docs_tree import DocsTree, Page
from .markdown import BodyRenderer, RenderFailed

TEMPLATES = Path(__file__).parent / "templates"
STATUS_SLUGS = {"検討中": "kentou", "実証中": "jisshou", "運用中": "unyou", "横展開": "yokotenkai", "終了": "shuuryou"}
STATUS_NOTES = {
    "検討中": "導入を検討している段階の取組です。",
    "実証中": "実証実験や試行をしている段階の取組です。",
    "運用中": "本格的に運用している取組です。",
    "横展開": "ほかの団体にも広がっている取組です。",
    "終了": "終了した取組です。",
}
RESOURCE_ORDER = ["仕様書", "要綱", "業務フロー", "マニュアル", "報道発表", "記事", "動画", "その他"]
SIMILAR_LIMIT = 5


def tag_slug(tag: str) -> str:
    """ASCII file name for a free-text tag: stable, short, unique enough."""
    return hashlib.sha1(tag.encode("utf-8")).hexdigest()[:10]


def format_date(value: str) -> str:
    parts = value.split("-")
    text = f"{int(parts[0])}年"
    if len(parts) > 1:
        text += f"{int(parts[1])}月"
    if len(parts) > 2:
        text += f"{int(parts[2])}日"
    return text


def web_url(url: str) -> str | None:
    """The URL if it is an absolute http(s) URL, else None: only web links become links,
    whatever reached us (the gate is `urls.safe_url`)."""
    return safe_url(url, relative=False)


def display_url(url: str) -> str:
    """A URL as people read it: percent-encoded Japanese decoded."""
    try:
        return urllib.parse.unquote(url, errors="strict")
    except UnicodeDecodeError:
        return url


def months_text(months: int | None) -> str:
    """Months from 着手 to 開始, approximate: both dates may give only a month."""
    if months is None:
        return ""
    return "1か月未満" if months == 0 else f"約{months}か月"


def format_yen(value: int) -> str:
    return f"{value:,}円"


def outcome_headline(case: Case) -> str:
    for outcome in case.outcomes:
        if isinstance(outcome, dict):
            before = f"{outcome['before']} → " if outcome.get("before") else ""
            return f"{outcome['indicator']}: {before}{outcome['after']}"
    return case.outcomes[0] if case.outcomes else ""


@dataclass
class RenderedCase:
    case_id: str
    pages: list          # (docs path, Page)
    files: list          # (site path, source file)
    search_doc: search_index.SearchDoc


PARALLEL_FROM = 500  # cases; below this a worker pool costs more than it saves
_ACTIVE = None       # (builder, similar) for forked workers


def _render_chunk(case_ids: list[str]) -> list[RenderedCase]:
    builder, similar = _ACTIVE
    cases = builder.collection.by_id
    return [builder.case_page(cases[i], similar(cases[i])) for i in case_ids]


@dataclass
class SiteOptions:
    directory_urls: bool = True
    edit_url: str | None = None   # e.g. https://github.com/OWNER/REPO/edit/main/ (+ cases/... path)
    site_url: str = ""            # where the site is published, if known (for the feed)
    accessibility_results: Path | None = None  # the latest accessibility test results (JSON)
    build_date: dt.date | None = None


class SiteBuilder:
    def __init__(self, collection: CaseCollection, areas: list[Area], options: SiteOptions,
                 cases_root: Path):
        self.collection = collection
        self.areas = areas
        self.area_slugs = {a.name: a.slug for a in areas}
        self.area_order = {a.name: i for i, a in enumerate(areas)}
        self.pref_order = {p.code: i for i, p in enumerate(registry().prefectures)}
        self.options = options
        self.urls = Urls(options.directory_urls)
        self.cases_root = cases_root
        self.today = options.build_date or dt.date.today()
        self.env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["j2"]),
                               trim_blocks=True, lstrip_blocks=True)
        self.env.filters.update(fdate=format_date, yen=format_yen, display_url=display_url, web_url=web_url,
                                safe_url=safe_url, tel_url=tel_url, mailto_url=mailto_url)
        self.env.tests["mapping"] = lambda value: isinstance(value, dict)
        self.tree = DocsTree()
        self.bodies = BodyRenderer()
        self.search_docs: dict[str, search_index.SearchDoc] = {}
        self.synonyms: list[list[str]] = []  # search synonym groups (cases/synonyms.yml)
        self.timings: dict[str, float] = {}

    def render(self, template: str, src: str, **context) -> str:
        rel = lambda target: safe_url(self.urls.rel(src, target)) or ""  # noqa: E731  (the gate, as everywhere)
        return self.env.get_template(template).render(rel=rel, **context)

    def page(self, src: str, title: str, template: str, description: str = "", in_nav: bool = False,
             **context) -> None:
        html = self.render(template, src, title=title, **context)
        self.tree.add_page(src, Page(title, html, description, in_nav))

    # -- the whole site --------------------------------------------------------

    def build(self) -> DocsTree:
        start = time.perf_counter()
        rendered_cases = self._render_cases()
        self.timings["case pages"] = time.perf_counter() - start
        for rendered in rendered_cases:
            for src, page in rendered.pages:
                self.tree.add_page(src, page)
            for path, source in rendered.files:
                self.tree.add_file(path, source)
            self.search_docs[rendered.case_id] = rendered.search_doc
        start = time.perf_counter()
        self.prefecture_pages()
        self.municipality_pages()
        self.area_pages()
        self.status_pages()
        self.tag_pages()
        self.home_page()
        self.learning_page()
        self.catalogue_page()
        self.nearby_page()
        self.data_page()
        self.accessibility_page()
        self.timings["listings"] = time.perf_counter() - start
        start = time.perf_counter()
        self.search_page()
        self.timings["search index"] = time.perf_counter() - start
        return self.tree

    def _render_cases(self) -> list[RenderedCase]:
        """Case pages, on every core when there are many (each page depends only on the model)."""
        global _ACTIVE
        cases = list(self.collection)
        similar = self._similar_index()
        workers = min(os.cpu_count() or 1, 8)
        if len(cases) < PARALLEL_FROM or workers < 2:
            return [self.case_page(case, similar(case)) for case in cases]
        _ACTIVE = (self, similar)
        try:
            chunks = [cases[i::workers] for i in range(workers)]
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                parts = pool.map(_render_chunk, [[c.id for c in chunk] for chunk in chunks])
        finally:
            _ACTIVE = None
        return [rendered for part in parts for rendered in part]

    def case_page(self, case: Case, similar: list[str]) -> RenderedCase:
        src = f"cases/{case.id}.md"
        folder = f"cases/{case.id}"
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
            body = self.bodies.render(case.body, asset_url)
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
        html = self.render("case.html.j2", src, title=case.title, case=case, body=body, resources=resources,
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

    # -- listings ---------------------------------------------------------------

    def prefecture_pages(self) -> None:
        reg = registry()
        by_pref: dict[str, list[Case]] = defaultdict(list)
        for case in self.collection:
            by_pref[case.place.prefecture.code].append(case)
        sections: dict[str, list] = defaultdict(list)
        for pref in reg.prefectures:
            cases = by_pref.get(pref.code, [])
            target = f"prefectures/{pref.romaji}.md" if cases else None
            sections[pref.region].append((pref.name, target, len(cases)))
            if not cases:
                continue
            by_muni: dict[str, list[Case]] = defaultdict(list)
            for case in cases:
                by_muni[case.place.municipality.code].append(case)
            groups = [(reg.by_code[code].name, newest_first(items)) for code, items in sorted(by_muni.items())]
            links = [(reg.by_code[code].name, f"municipalities/{code}.md", len(items))
                     for code, items in sorted(by_muni.items())]
            self.page(f"prefectures/{pref.romaji}.md", f"{pref.name}の事例", "listing.html.j2",
                      description=f"{pref.name}の自治体DX事例の一覧",
                      intro=f"{pref.name}（{pref.region}）の団体の事例です（{len(cases)} 件）。",
                      links=links, groups=groups, show_place=False)
        self.page("prefectures/index.md", "都道府県別", "grouped_index.html.j2", in_nav=True,
                  description="都道府県別の自治体DX事例の一覧",
                  intro="地方ごとに都道府県を並べています。件数は、その都道府県の団体が実施団体の事例の数です。",
                  sections=list(sections.items()))

    def municipality_pages(self) -> None:
        reg = registry()
        by_muni: dict[str, list[Case]] = defaultdict(list)
        for case in self.collection:
            by_muni[case.place.municipality.code].append(case)
            for partner in case.partners:
                if partner.municipality.code != case.place.municipality.code:
                    by_muni[partner.municipality.code].append(case)
        with_pages = {case.place.prefecture.code for case in self.collection}
        sections: dict[str, list] = defaultdict(list)
        for code in sorted(by_muni):
            m = reg.by_code[code]
            cases = newest_first(by_muni[code])
            own = [c for c in cases if c.place.municipality.code == code]
            joint = [c for c in cases if c.place.municipality.code != code]
            groups = [("実施した事例", own)] if own else []
            if joint:
                groups.append(("共同で実施した事例", joint))
            kind = "" if m.type == "都道府県" else f"、{m.type}"
            self.page(f"municipalities/{code}.md", f"{m.full_name}の事例", "listing.html.j2",
                      description=f"{m.full_name}の自治体DX事例",
                      intro=f"{m.full_name}（団体コード {code}{kind}）の事例です。",
                      links=[(f"{m.prefecture}の事例", f"prefectures/{reg.prefecture_of(m).romaji}.md", None)]
                      if m.prefecture_code in with_pages else [],
                      groups=groups, show_place=False)
            sections[m.prefecture].append((m.name, f"municipalities/{code}.md", len(cases)))
        ordered = [(p.name, sections[p.name]) for p in reg.prefectures if p.name in sections]
        self.page("municipalities/index.md", "団体別", "grouped_index.html.j2", in_nav=True,
                  description="団体別の自治体DX事例の一覧",
                  intro="事例のある団体を都道府県ごとに並べています。共同で実施した事例も数えています。",
                  sections=ordered)

    def area_pages(self) -> None:
        by_area: dict[str, list[Case]] = defaultdict(list)
        for case in self.collection:
            for area in case.areas:
                by_area[area].append(case)
        for area in self.areas:
            rows = sorted(by_area.get(area.name, []), key=lambda c: (c.place.municipality.code, c.id))
            rows.sort(key=lambda c: c.launch or "", reverse=True)
            # the filters offer only the types and bands that occur, in their natural order
            present_types = {c.place.municipality.type for c in rows}
            present_bands = {c.population_band for c in rows}
            self.page(f"areas/{area.slug}.md", f"{area.name}の事例", "area.html.j2",
                      description=f"分野「{area.name}」の自治体DX事例の比較",
                      area=area, rows=rows, headline=outcome_headline,
                      types=[t for t in search_index.TYPES if t in present_types],
                      bands=[b for b in search_index.BANDS if b in present_bands],
                      status_rank={status: i for i, status in enumerate(STATUS_SLUGS)})
        self.page("areas/index.md", "分野別", "grouped_index.html.j2", in_nav=True,
                  description="分野別の自治体DX事例の一覧",
                  intro="分野を選ぶと、その分野の事例を団体の種類・人口規模・費用・効果で比べる表を開きます。",
                  sections=[("分野", [(a.name, f"areas/{a.slug}.md", len(by_area.get(a.name, [])))
                                      for a in self.areas])])

    def status_pages(self) -> None:
        by_status: dict[str, list[Case]] = defaultdict(list)
        for case in self.collection:
            by_status[case.status].append(case)
        for status, slug in STATUS_SLUGS.items():
            cases = newest_first(by_status.get(status, []))
            self.page(f"status/{slug}.md", f"状況: {status}", "listing.html.j2",
                      description=f"状況が「{status}」の自治体DX事例", intro=STATUS_NOTES[status],
                      links=[], groups=[("", cases)], show_place=True)
        self.page("status/index.md", "状況別", "grouped_index.html.j2", in_nav=True,
                  description="状況別の自治体DX事例の一覧", intro="取組の今の状況ごとの一覧です。",
                  sections=[("状況", [(s, f"status/{slug}.md", len(by_status.get(s, [])))
                                      for s, slug in STATUS_SLUGS.items()])])

    def tag_pages(self) -> None:
        by_tag: dict[str, list[Case]] = defaultdict(list)
        for case in self.collection:
            for tag in case.tags:
                by_tag[tag].append(case)
        for tag, cases in by_tag.items():
            self.page(f"tags/{tag_slug(tag)}.md", f"タグ: {tag}", "listing.html.j2",
                      description=f"タグ「{tag}」の付いた自治体DX事例", intro=f"タグ「{tag}」の付いた事例です。",
                      links=[], groups=[("", newest_first(cases))], show_place=True)
        ordered = sorted(by_tag.items(), key=lambda item: (-len(item[1]), unicodedata.normalize("NFKC", item[0])))
        self.page("tags/index.md", "タグ", "grouped_index.html.j2", in_nav=True,
                  description="タグ別の自治体DX事例の一覧", intro="事例に付けられたキーワードです。多い順に並べています。",
                  sections=[("タグ", [(t, f"tags/{tag_slug(t)}.md", len(c)) for t, c in ordered])])

    # -- home and catalogue -------------------------------------------------------

    def home_page(self) -> None:
        reg = registry()
        cases = list(self.collection)
        area_counts = defaultdict(int)
        pref_counts = defaultdict(int)
        for case in cases:
            for area in case.areas:
                area_counts[area] += 1
            pref_counts[case.place.prefecture.code] += 1
        counts = {
            "cases": len(cases),
            "municipalities": len({c.place.municipality.code for c in cases}),
            "prefectures": len(pref_counts),
        }
        svg = japan_map.render(reg.prefectures, pref_counts,
                               lambda pref: self.urls.rel("index.md", f"prefectures/{pref.romaji}.md"))
        geo_svg = geo_map.render(
            geo_map.case_points(self.collection, lambda code: self.urls.rel("index.md", f"municipalities/{code}.md")),
            {p.code: p.name for p in reg.prefectures})
        self.page("index.md", "ホーム", "home.html.j2", in_nav=True,
                  description="全国の自治体の DX の取組を記録し、検索・比較できる事例集",
                  counts=counts, newest=newest_first(cases)[:10],
                  areas=[(a, area_counts.get(a.name, 0)) for a in self.areas], map_svg=svg, geo_svg=geo_svg,
                  chains=learning.home_chains(self.collection), chain_count=len(self.collection.learning_chains()),
                  learning_links=self.collection.learning_links)
        # Never hide "navigation": Material's sidebar is also the ☰ drawer below 76.25em, and
        # hiding it left the menu empty; dx.css hides the sidebar on wide screens instead.
        self.tree.pages["index.md"].meta["hide"] = ["toc"]

    def learning_page(self) -> None:
        chains = learning.page_chains(self.collection)
        self.page(learning.PAGE, "学び合いの系譜", "learning.html.j2",
                  description="ほかの自治体の事例を参考にして始まった取組のつながり",
                  chains=chains, learning_links=self.collection.learning_links,
                  cases=sum(chain["size"] for chain in chains))

    def search_page(self) -> None:
        # documents are numbered newest-checked first, so a lower number breaks ties
        docs = [self.search_docs[c.id] for c in newest_first(self.collection)]
        index = search_index.build_index(docs)
        for path, content in search_index.shard_files(index, docs, self.synonyms).items():
            self.tree.add_file(f"search/{path}", content)
        reg = registry()
        self.page("search/index.md", "検索", "search.html.j2", in_nav=False,
                  description="自治体DX事例の全文検索", root=self.urls.root("search/index.md"),
                  prefectures=reg.prefectures, areas=self.areas, statuses=list(STATUS_SLUGS),
                  types=search_index.TYPES, bands=search_index.BANDS)
        self.tree.pages["search/index.md"].meta["hide"] = ["toc"]

    def accessibility_page(self) -> None:
        path = self.options.accessibility_results
        results = json.loads(path.read_text(encoding="utf-8")) if path and path.is_file() else None
        self.page("accessibility.md", "アクセシビリティ方針", "accessibility.html.j2", in_nav=True,
                  description="ウェブアクセシビリティの方針と試験の結果", results=results)

    def data_page(self) -> None:
        files = {
            "data/cases.csv": exports.cases_csv(self.collection),
            "data/cases.json": exports.cases_json(self.collection, self.urls, self.today),
            "data/case.schema.json": (json.dumps(schema.with_vocabulary([a.name for a in self.areas]),
                                                 ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
            "feed.xml": exports.atom_feed(self.collection, self.urls, self.today, self.options.site_url),
        }
        for path, content in files.items():
            self.tree.add_file(path, content)
        notes = {
            "data/cases.csv": ("cases.csv", "Excel 向けの表（1 行 1 事例）"),
            "data/cases.json": ("cases.json", "すべての項目を含む JSON"),
            "data/case.schema.json": ("case.schema.json", "記録の形式（JSON Schema）"),
        }
        downloads = [(label, path, _size(files[path]), note) for path, (label, note) in notes.items()]
        self.page("data.md", "データ", "data.html.j2", in_nav=True,
                  description="事例データ（CSV・JSON）のダウンロードと利用条件", downloads=downloads,
                  columns=[(header, text) for header, text, _ in exports.COLUMNS], count=len(self.collection),
                  build_date=self.today.isoformat())

    def nearby_page(self) -> None:
        """Needs the catalogue data file (catalogue_page) for its case rows."""
        self.tree.add_file(nearby.DATA_FILE, nearby.data_script(self.collection))
        self.page(nearby.PAGE, "自分の団体に近い事例", "nearby.html.j2", in_nav=True,
                  description="自分の団体と同じ種類・人口規模・都道府県・地方の団体の事例",
                  root=self.urls.root(nearby.PAGE))
        self.tree.pages[nearby.PAGE].meta["hide"] = ["navigation", "toc"]

    def catalogue_page(self) -> None:
        data = catalogue.build_data(self.collection, self.areas, self.urls)
        self.tree.add_file("assets/dx/catalogue-data.js",
                           ("window.DX_CATALOGUE=" + json.dumps(data, ensure_ascii=False, separators=(",", ":"))
                            + ";\n").encode("utf-8"))
        self.page("catalogue.md", "事例カタログ", "catalogue.html.j2", in_nav=True,
                  description="条件で絞り込める自治体DX事例のカタログ", root=self.urls.root("catalogue.md"))
        self.tree.pages["catalogue.md"].meta["hide"] = ["toc"]


def _size(content: bytes) -> str:
    size = len(content)
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"



def build_site(collection: CaseCollection, areas: list[Area], options: SiteOptions,
               cases_root: Path, synonyms: list[list[str]] = ()) -> tuple[DocsTree, dict[str, float]]:
    builder = SiteBuilder(collection, areas, options, cases_root)
    builder.synonyms = [list(group) for group in synonyms]
    return builder.build(), builder.timings

