"""The pages people start from: home, catalogue, search, 「自分の団体に近い事例」, learning graph."""

from __future__ import annotations

import json
from collections import defaultdict

from ..model import newest_first
from ..municipalities import registry
from . import background, catalogue, geo_map, japan_map, learning, nearby, search_index
from .formatting import STATUS_SLUGS


class FrontPages:
    """Part of SiteBuilder (pages.py): home, learning, catalogue, 近い事例, search."""

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


    def catalogue_page(self) -> None:
        data = catalogue.build_data(self.collection, self.areas, self.urls)
        self.tree.add_file("assets/dx/catalogue-data.js",
                           ("window.DX_CATALOGUE=" + json.dumps(data, ensure_ascii=False, separators=(",", ":"))
                            + ";\n").encode("utf-8"))
        self.page("catalogue.md", "事例カタログ", "catalogue.html.j2", in_nav=True,
                  description="条件で絞り込める自治体DX事例のカタログ", root=self.urls.root("catalogue.md"))
        self.tree.pages["catalogue.md"].meta["hide"] = ["toc"]


    def nearby_page(self) -> None:
        """Needs the catalogue data file (catalogue_page) for its case rows."""
        self.tree.add_file(nearby.DATA_FILE, nearby.data_script(self.collection))
        self.page(nearby.PAGE, "自分の団体に近い事例", "nearby.html.j2", in_nav=True,
                  description="自分の団体と同じ種類・人口規模・都道府県・地方の団体の事例",
                  root=self.urls.root(nearby.PAGE))
        self.tree.pages[nearby.PAGE].meta["hide"] = ["toc"]  # never "navigation": it is the ☰ drawer on narrow screens


    def search_files(self, later: bool = False) -> None:
        """The search index's files. `later` (a spooled build): made in a forked process
        beside the listings and MkDocs' pages (background.py), and the tree gets them last."""
        # documents are numbered newest-checked first, so a lower number breaks ties
        ordered = newest_first(self.collection)
        docs = [self.search_docs[c.id] for c in ordered]
        synonyms = self.synonyms

        def shards() -> dict[str, bytes]:
            # the offline copy packs the index into fewer, bigger files: its zip compresses each file alone
            return search_index.shard_files(search_index.build_index(docs, spill=self.options.spool), docs, synonyms,
                                            packed=self.options.offline, consume=True)

        if later:
            def site_files() -> dict[str, bytes]:
                return {f"search/{path}": content for path, content in shards().items()}
            self.tree.add_later(background.Later(site_files, self.options.spool / "search", "検索インデックス"))
            return
        files = shards() if self.memo is None else self.memo.aggregate(
            "search", self.memo.collection_key(ordered, synonyms), shards)
        for path, content in files.items():
            self.tree.add_file(f"search/{path}", content)


    def search_page(self) -> None:
        reg = registry()
        self.page("search/index.md", "検索", "search.html.j2", in_nav=False,
                  description="自治体DX事例の全文検索", root=self.urls.root("search/index.md"),
                  prefectures=reg.prefectures, areas=self.areas, statuses=list(STATUS_SLUGS),
                  types=search_index.TYPES, bands=search_index.BANDS)
        self.tree.pages["search/index.md"].meta["hide"] = ["toc"]
