"""Stage 4, outputs: the Case collection → the site's pages, as a docs tree.

Case pages stay out of the navigation (its cost grows with the square of the
page count); listing pages by prefecture, municipality, area, status and tag
lead to them instead. Every page's HTML is made here from Jinja templates
with autoescaping, and all links are relative for the URL style in use.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..model import CaseCollection
from ..municipalities import registry
from ..urls import Urls, mailto_url, safe_url, tel_url
from ..vocabulary import Area
from . import search_index
from .case_pages import CasePages
from .data_pages import DataPages
from .docs_tree import DocsTree, Page
from .formatting import display_url, file_kind, format_count, format_date, format_yen, web_url
from .front_pages import FrontPages
from .grouped_pages import GroupedPages
from .listing_pages import ListingPages
from .markdown import BodyRenderer

TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class SiteOptions:
    directory_urls: bool = True
    edit_url: str | None = None   # e.g. https://github.com/OWNER/REPO/edit/main/ (+ cases/... path)
    site_url: str = ""            # where the site is published, if known (for the feed)
    accessibility_results: Path | None = None  # the latest accessibility test results (JSON)
    build_date: dt.date | None = None
    offline: bool = False         # the offline copy (generator export): read with no internet
    offline_zip: tuple[Path, dt.date] | None = None  # the newest offline zip to publish (offline.latest)
    source_relative_links: bool = False  # `build --docs-out --source-relative-links` (urls.Urls)
    spool: Path | None = None     # write pages and files here as they are made (DocsTree.spool)
    grouped: bool = False         # many cases (municipalities) in one file: the offline copy (grouped_pages.py)


class SiteBuilder(CasePages, ListingPages, FrontPages, DataPages, GroupedPages):
    """Shared state and rendering; each page kind's code lives in its own module:
    case_pages, listing_pages, front_pages (home, catalogue, search, 近い事例, learning), data_pages,
    grouped_pages (the offline copy's files of many cases)."""

    def __init__(self, collection: CaseCollection, areas: list[Area], options: SiteOptions,
                 cases_root: Path):
        self.collection = collection
        self.areas = areas
        self.area_slugs = {a.name: a.slug for a in areas}
        self.area_order = {a.name: i for i, a in enumerate(areas)}
        self.pref_order = {p.code: i for i, p in enumerate(registry().prefectures)}
        self.options = options
        self.urls = Urls(options.directory_urls, options.source_relative_links)
        self.cases_root = cases_root
        self.today = options.build_date or dt.date.today()
        self.env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["j2"]),
                               trim_blocks=True, lstrip_blocks=True)
        self.env.filters.update(fdate=format_date, yen=format_yen, count=format_count, file_kind=file_kind,
                                display_url=display_url, web_url=web_url,
                                safe_url=safe_url, tel_url=tel_url, mailto_url=mailto_url)
        self.env.tests["mapping"] = lambda value: isinstance(value, dict)
        self.tree = DocsTree(spool=options.spool)
        self.bodies = BodyRenderer()
        self.search_docs: dict[str, search_index.SearchDoc] = {}
        self.synonyms: list[list[str]] = []  # search synonym groups (cases/synonyms.yml)
        self.timings: dict[str, float] = {}
        self.memo = None  # incremental.SiteMemo in the preview
        self.grouped: dict[str, tuple[str, str]] = {}  # member page → (group page, anchor): plan_groups
        self.data_later = None  # background.Later of the open data files (start_data_files)


    def render(self, template: str, src: str, **context) -> str:
        rel = lambda target: safe_url(self.urls.rel(src, target)) or ""  # noqa: E731  (the gate, as everywhere)
        return self.env.get_template(template).render(rel=rel, **context)


    def page(self, src: str, title: str, template: str, description: str = "", in_nav: bool = False,
             **context) -> None:
        if self.memo is not None:
            key = self.memo.key(template, title, description, in_nav, context)
            page = self.memo.page(src, key)
            if page is None:
                page = Page(title, self.render(template, src, title=title, **context), description, in_nav)
                self.memo.pages[src] = (key, page)
            self.add_page(src, page)
            return
        html = self.render(template, src, title=title, **context)
        self.add_page(src, Page(title, html, description, in_nav))


    def build(self) -> DocsTree:
        try:
            return self._build()
        except BaseException:
            # no background process outlives a failed build
            self.tree.cancel_later()
            if self.data_later is not None:
                self.data_later.cancel()
            raise


    def _build(self) -> DocsTree:
        start = time.perf_counter()
        self.plan_groups()
        for rendered in self._render_cases():
            for src, page in rendered.pages:
                self.add_page(src, page)
            for path, source in rendered.files:
                self.tree.add_file(path, source)
            self.search_docs[rendered.case_id] = rendered.search_doc
        self.timings["case pages"] = time.perf_counter() - start
        # A spooled build (the engine's) makes the search index and the open data on another
        # core while the listings and the engine's pages are made (background.py): the data
        # page waits for its files, the search index's join the tree last.
        later = self.memo is None and self.options.spool is not None
        if later:
            start = time.perf_counter()
            self.search_files(later=True)
            self.start_data_files()
            self.timings["background start"] = time.perf_counter() - start
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
        if not later:
            self.search_files()
        self.search_page()
        self.timings["search index" if not later else "search page"] = time.perf_counter() - start
        if self.memo is not None:
            self.memo.keep(self.tree.pages)
        return self.tree


def build_site(collection: CaseCollection, areas: list[Area], options: SiteOptions,
               cases_root: Path, synonyms: list[list[str]] = (), memo=None) -> tuple[DocsTree, dict[str, float]]:
    """``memo`` (incremental.SiteMemo): pages whose inputs are unchanged since the
    previous build come from it instead of being rendered again (the preview)."""
    builder = SiteBuilder(collection, areas, options, cases_root)
    builder.synonyms = [list(group) for group in synonyms]
    builder.memo = memo
    if memo is not None:
        builder.env = memo.env = memo.env or builder.env
        memo.begin(collection, (repr(options), repr(areas), repr(builder.synonyms), str(cases_root)))
    return builder.build(), builder.timings

