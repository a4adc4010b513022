"""Listing pages: by prefecture, municipality, area (with the comparison table), status and tag.

They stand in the navigation where case pages cannot (the navigation's cost
grows with the square of its size).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict

from ..model import Case, newest_first
from ..municipalities import registry
from . import search_index
from .formatting import STATUS_NOTES, STATUS_SLUGS, outcome_headline, tag_slug


class ListingPages:
    """Part of SiteBuilder (pages.py): the listing pages."""

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


    def municipality_cases(self) -> dict[str, list[Case]]:
        """Every municipality with a page: its own cases and those it carried out jointly."""
        by_muni: dict[str, list[Case]] = defaultdict(list)
        for case in self.collection:
            by_muni[case.place.municipality.code].append(case)
            for partner in case.partners:
                if partner.municipality.code != case.place.municipality.code:
                    by_muni[partner.municipality.code].append(case)
        return by_muni


    def municipality_pages(self) -> None:
        reg = registry()
        by_muni = self.municipality_cases()
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
                  # an area with no case is plain text, as on the home page (its page still exists)
                  sections=[("分野", [(a.name, f"areas/{a.slug}.md" if by_area.get(a.name) else None,
                                       len(by_area.get(a.name, []))) for a in self.areas])])


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
