"""Integration: a real site built from fixture and synthetic cases.

Checks what a reader of the built HTML would find: a page for every case and
municipality, the comparison table, the catalogue data, relative links that
resolve in both URL styles, no reference to the internet, case pages outside
the navigation, and a failed build that leaves the previous site in place.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, SHARED_SYNTHETIC, VALID_PATH, CasesRoot
from generator import model
from generator.check import check_root
from sitebuild import broken_links, build


@pytest.fixture(scope="module")
def built(shared_site):
    """The session's shared site: make_root's cases, built with directory URLs."""
    collection = model.build(check_root(shared_site / "cases").cases)
    return shared_site / "site", collection, shared_site / "cases"


@pytest.fixture(scope="module")
def built_files(shared_file_site):
    return shared_file_site / "site"


def read(site: Path, relative: str) -> str:
    return (site / relative).read_text(encoding="utf-8")


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_every_case_has_a_page_with_its_title(built):
    site, collection, _ = built
    assert len(collection) == SHARED_SYNTHETIC + 2
    for case in collection:
        page = read(site, f"cases/{case.id}/index.html")
        assert html.escape(case.title, quote=False) in page


def test_case_page_shows_facts_timeline_contacts_and_links(built):
    site, collection, _ = built
    page = read(site, "cases/222208-okuyami-one-stop/index.html")
    text = text_of(page)
    for expected in ["静岡県裾野市", "市、人口規模 1〜5万: 49,936人・2023年4月時点", "運用中", "おくやみ・死亡手続",
                     "着手から開始まで約6か月", "2023年6月", "取組に着手", "遺族が複数の課を回らなければならなかった",
                     "窓口での待ち時間", "約2時間", "約40分", "1,200,000円", "300,000円", "デジタル部 業務改革課",
                     "055-995-1804", "kaikaku@city.example.lg.jp", "業務フロー図", "参考にした事例", "書かない窓口",
                     "最終確認日", "この記録を編集する"]:
        assert expected in text, expected
    assert 'href="https://github.com/jichitai-dx/jichitai-dx-cases/edit/main/cases/shizuoka/222208-okuyami-one-stop.md"' in page
    assert (site / "cases/222208-okuyami-one-stop/flow.pdf").is_file()
    assert 'src="flow.png"' in page


def test_reverse_inspired_by_link_appears_on_the_other_case(built):
    site, _, _ = built
    page = read(site, "cases/142077-kakanai-madoguchi/index.html")
    assert "この事例を参考にした事例" in page
    assert 'href="../222208-okuyami-one-stop/"' in page


def test_stale_record_carries_a_notice(built):
    site, collection, _ = built
    page = read(site, "cases/142077-kakanai-madoguchi/index.html")  # updated 2024-02
    assert "2年以上たっています" in text_of(page)
    fresh = read(site, "cases/222208-okuyami-one-stop/index.html")  # updated 2026-06-01
    assert "2年以上たっています" not in text_of(fresh)
    newest = max(collection, key=lambda c: c.updated)
    assert "2年以上たっています" not in text_of(read(site, f"cases/{newest.id}/index.html"))


def test_every_municipality_with_a_case_has_a_page(built):
    site, collection, _ = built
    for case in collection:
        code = case.place.municipality.code
        page = read(site, f"municipalities/{code}/index.html")
        assert f'href="../../cases/{case.id}/"' in page
    index = read(site, "municipalities/index.html")
    assert "裾野市" in index and "茅ヶ崎市" in index


def test_area_page_compares_its_cases(built):
    site, collection, _ = built
    page = read(site, "areas/okuyami/index.html")
    rows = re.findall(r"<tr[^>]*><th scope=\"row\">(.*?)</tr>", page, re.S)
    expected = [c for c in collection if "おくやみ・死亡手続" in c.areas]
    assert len(rows) == len(expected) > 1
    row = next(r for r in rows if "222208-okuyami-one-stop" in r)
    cells = [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells == ["静岡県裾野市", "市", "1〜5万", "運用中", "2023年12月1日", "6か月", "おくやみ支援システム",
                     "120万円（1,200,000円）", "30万円（300,000円）", "窓口での待ち時間: 約2時間 → 約40分"]


def test_listings_by_prefecture_status_and_tag(built):
    site, collection, _ = built
    prefectures = read(site, "prefectures/index.html")
    assert "九州・沖縄" in prefectures and "静岡県" in prefectures
    shizuoka = read(site, "prefectures/shizuoka/index.html")
    assert "222208-okuyami-one-stop" in shizuoka
    status = read(site, "status/unyou/index.html")
    running = [c for c in collection if c.status == "運用中"]
    assert status.count('<tr><th scope="row">') == len(running)
    tags = read(site, "tags/index.html")
    assert "おくやみ" in tags


def test_home_shows_counts_newest_areas_and_map(built):
    site, collection, _ = built
    page = read(site, "index.html")
    assert f'<span class="dx-stats__number">{len(collection)}</span>' in page
    municipalities = len({c.place.municipality.code for c in collection})
    assert f'<span class="dx-stats__number">{municipalities}</span>' in page
    tile_map = re.search(r'<svg class="dx-map".*?</svg>', page, re.S).group(0)
    assert tile_map.count("<rect ") == 47
    assert 'aria-label="静岡県 ' in page
    assert "新しく確認された事例" in page


def test_catalogue_data_matches_the_collection(built):
    site, collection, _ = built
    script = read(site, "assets/dx/catalogue-data.js")
    data = json.loads(script[len("window.DX_CATALOGUE="):].rstrip().rstrip(";"))
    ids = [row[0] for row in data["cases"]]
    assert sorted(ids) == sorted(c.id for c in collection)
    keys = [f["key"] for f in data["facets"]]
    assert keys == ["region", "pref", "type", "pop", "area", "status", "year", "system", "has"]
    pops = next(f for f in data["facets"] if f["key"] == "pop")["values"]
    assert [v[0] for v in pops] == ["〜1万", "1〜5万", "5〜10万", "10〜30万", "30万〜", "不明"]
    page = read(site, "catalogue/index.html")
    assert '<script src="../assets/dx/catalogue-data.js"></script>' in page


def test_every_page_loads_the_whole_search_engine_in_one_order(built):
    """The engine is several scripts sharing window.DXS: a page that misses one, or loads
    them out of order, breaks search. The header box's list and the pages that load the
    engine themselves must agree, name every part, and point at files that were copied."""
    site, _, _ = built
    parts = sorted(p.name for p in (REPO / "theme/assets/dx").glob("search-*.js"))
    engine = re.search(r'data-engine="([^"]*)"', read(site, "about/index.html")).group(1).split(" ")
    assert sorted(Path(src).name for src in engine) == parts and len(parts) > 1
    for src in engine:
        assert src.startswith("../assets/dx/") and (site / src[3:]).is_file()
    order = [Path(src).name for src in engine]
    assert order[0] == "search-text.js" and order[-1] == "search-ui.js"  # the namespace first, the UI last
    for relative, own in (("catalogue/index.html", "catalogue.js"), ("nearby/index.html", "nearby.js")):
        tags = re.findall(r'<script src="\.\./assets/dx/([^"]+)"></script>', read(site, relative))
        engine_tags = [t for t in tags if t.startswith("search-")]
        assert engine_tags == order, relative
        assert tags.index(own) > tags.index(order[-1]), relative  # the page's own script runs after the engine


def test_case_pages_are_not_in_the_navigation(built):
    site, collection, _ = built
    about = read(site, "about/index.html")  # its own text links to no case
    assert 'class="md-nav md-nav--primary' in about
    assert "cases/" not in about
    sizes = [p.stat().st_size for p in (site / "cases").glob("*/index.html")]
    assert max(sizes) < 60_000


@pytest.mark.parametrize("fixture", ["built", "built_files"])
def test_every_relative_link_resolves(fixture, request):
    site = request.getfixturevalue(fixture)
    site = site[0] if isinstance(site, tuple) else site
    broken, checked = broken_links(site)
    assert checked > 100 and not broken, broken[:20]


def test_file_url_build_links_pages_as_html_files(built_files):
    home = read(built_files, "index.html")
    assert 'href="catalogue.html"' in home
    case = read(built_files, "cases/222208-okuyami-one-stop.html")
    assert 'href="../municipalities/222208.html"' in case


@pytest.mark.parametrize("fixture", ["built", "built_files"])
def test_no_page_loads_anything_from_the_internet(fixture, request):
    site = request.getfixturevalue(fixture)
    site = site[0] if isinstance(site, tuple) else site
    loads = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)="(?:https?:)?//', re.I)
    offenders = [str(p.relative_to(site)) for p in site.rglob("*.html") if loads.search(p.read_text(encoding="utf-8"))]
    assert not offenders
    css = "".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "@import url(http" not in css


def test_failed_build_reports_and_keeps_the_previous_site(tmp_path):
    (tmp_path / "cases").mkdir()
    cases = CasesRoot(tmp_path / "cases")
    site = tmp_path / "site"
    assert build(cases.path, site).returncode == 0
    before = (site / "index.html").read_bytes()
    text = (FIXTURES / "valid-case.md").read_text(encoding="utf-8").replace('"055-995-1804"', '"090-1234-5678"')
    cases.write(VALID_PATH, text)
    result = build(cases.path, site)
    assert result.returncode == 1
    assert f"{VALID_PATH}:45:12: error[phone-mobile]" in result.stderr.replace(str(cases.path) + "/", "")
    assert "前回のサイトはそのまま残っています" in result.stderr
    assert "Traceback" not in result.stderr
    assert (site / "index.html").read_bytes() == before
    assert not list(tmp_path.glob(".site-*"))


def test_preview_keeps_the_last_good_pages_and_shows_the_errors(tmp_path):
    """What `make serve` does on a rebuild after a case breaks (the plugin's hooks, in serve mode)."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from generator.mkdocs_adapter import CasesPlugin
    from sitebuild import write_config

    (tmp_path / "cases").mkdir()
    cases = CasesRoot(tmp_path / "cases")
    config = load_config(str(write_config(tmp_path, cases.path, tmp_path / "site")))
    plugin = config.plugins["jichitai-dx"]
    assert isinstance(plugin, CasesPlugin)
    config.plugins._current_plugin = "jichitai-dx"  # what MkDocs sets while a plugin event runs
    plugin.on_startup(command="serve", dirty=False)
    plugin.on_config(config)
    first = plugin.on_files(Files([]), config=config)
    assert "cases/222208-okuyami-one-stop.md" in first.src_uris
    cases.write(VALID_PATH, (FIXTURES / "valid-case.md").read_text(encoding="utf-8")
                .replace("status: 運用中", "status: 稼働中"))
    second = plugin.on_files(Files([]), config=config)
    assert sorted(second.src_uris) == sorted(first.src_uris)
    page = type("P", (), {"file": second.src_uris["cases/222208-okuyami-one-stop.md"]})()
    html = plugin.on_page_content("<!-- jichitai-dx: generated page -->", page, config, second)
    assert "事例ファイルにエラーがあります（1 件）" in html and "稼働中" in html
    assert "dx-timeline" in html  # the last good page itself


def test_an_area_without_cases_is_plain_text_on_home_and_the_area_index(built):
    site, collection, _ = built
    used = {area for case in collection for area in case.areas}
    assert "その他" not in used  # the fixture corpus leaves at least this area empty
    for relative in ("index.html", "areas/index.html"):
        page = read(site, relative)
        assert '<span class="dx-muted">その他</span>' in page, relative
        assert ">その他</a>" not in page, relative
        used_area = sorted(used)[0]
        assert f">{used_area}</a>" in page, relative
