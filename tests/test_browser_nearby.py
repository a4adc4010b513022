"""「自分の団体に近い事例」 and the map of Japan, in headless Chromium, on the offline
build opened from disk (file://): what a user on a closed network sees."""

from __future__ import annotations

import random
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

import synthetic
from browser import http_server
from generator import model
from generator.check import check_root
from generator.municipalities import registry
from sitebuild import build
from test_accessibility import AXE, TAGS

# (code, population) of the cases added to the synthetic ones, so each kind of user has neighbours
ADDED = [("204129", 500), ("473588", 20_000), ("014702", 700),      # 売木村, 北大東村, 音威子府村
         ("221007", 690_000), ("221309", 790_000), ("141305", 1_500_000),  # 静岡市, 浜松市, 川崎市
         ("131121", 910_000), ("131016", 66_000), ("132012", 560_000)]     # 世田谷区, 千代田区, 八王子市


@pytest.fixture(scope="module")
def offline(tmp_path_factory):
    base = tmp_path_factory.mktemp("nearby")
    cases = base / "cases"
    synthetic.generate(cases, 30, seed=23)
    reg = registry()
    rng = random.Random(5)
    for i, (code, population) in enumerate(ADDED):
        m = reg.by_code[code]
        text = synthetic.case_text(rng, m, reg.by_code["222208"], 100 + i, [], False)
        text = re.sub(r"(?m)^  count: \d+$", f"  count: {population}", text, count=1)
        (cases / reg.prefecture_of(m).romaji).mkdir(exist_ok=True)
        (cases / reg.prefecture_of(m).romaji / f"{code}-nearby-{i}.md").write_text(text, encoding="utf-8")
    result = build(cases, base / "site", directory_urls=False)
    assert result.returncode == 0, result.stderr
    collection = model.build(check_root(cases).cases)
    return (base / "site").as_uri() + "/", collection


def case_ids(page, group: str) -> list[str]:
    hrefs = page.locator(f'section[data-group="{group}"] ol > li p:first-child a').evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    return sorted(re.search(r"cases/([^/]+)\.html$", h).group(1) for h in hrefs)


def heading(page, group: str) -> str:
    return page.locator(f'section[data-group="{group}"] h2').inner_text()


def why(page, group: str, case_id: str) -> str:
    item = page.locator(f'section[data-group="{group}"] li').filter(
        has=page.locator(f'a[href$="cases/{case_id}.html"]'))
    return item.locator(".dx-nearby__why").inner_text()


def pick(page, typed: str, wanted: str) -> None:
    """Type into the picker and choose `wanted` with the keyboard only."""
    box = page.get_by_role("combobox", name="あなたの団体")
    box.fill("")
    box.press_sequentially(typed)
    options = page.get_by_role("listbox").get_by_role("option")
    names = options.all_inner_texts()
    index = next(i for i, text in enumerate(names) if text.startswith(wanted + "（"))
    for _ in range(index + 1):
        box.press("ArrowDown")
    assert page.locator("#dx-nearby-q").get_attribute("aria-activedescendant") == f"dx-nearby-option-{index}"
    box.press("Enter")
    assert box.input_value() == wanted
    assert box.get_attribute("aria-expanded") == "false"


def test_a_village_without_population_then_with_it(browser, offline):
    url, collection = offline
    page = browser.new_page()
    page.goto(url + "nearby.html")
    pick(page, "おといねっぷ", "北海道音威子府村")
    own = [c.id for c in collection if c.place.municipality.code == "014702"]
    assert case_ids(page, "own") == sorted(own)
    # the site knows its population from its own case; clear it, as for a village with no case
    assert page.locator("#dx-nearby-pop").input_value() == "700"
    page.locator("#dx-nearby-pop").fill("")
    villages = [c for c in collection if c.place.municipality.type == "村" and c.id not in own]
    assert len(villages) >= 2
    assert heading(page, "typeband") == f"同じ種類（村）の団体の事例（{len(villages)} 件）"
    assert case_ids(page, "typeband") == sorted(c.id for c in villages)
    for why in page.locator('section[data-group="typeband"] .dx-nearby__why').all_inner_texts():
        assert why.startswith("理由: 同じ種類（村）")
    hokkaido = [c.id for c in collection if c.place.prefecture.code == "01" and c.id not in own
                and c.place.municipality.type != "村"]
    if hokkaido:
        assert case_ids(page, "pref") == sorted(hokkaido)
    else:
        assert page.locator('[data-group="pref"]').count() == 0
    # entering a population narrows the first group to villages of the same band
    page.locator("#dx-nearby-pop").fill("3000")
    small = [c for c in villages if c.population_band == "〜1万"]
    assert heading(page, "typeband") == f"同じ種類（村）・同じ人口規模（〜1万）の団体の事例（{len(small)} 件）"
    assert case_ids(page, "typeband") == sorted(c.id for c in small)
    assert "473588-nearby-1" in case_ids(page, "type")  # 北大東村, 1〜5万: same type, other band
    assert "pop=3000" in page.url and "code=014702" in page.url
    assert page.errors == [] and page.blocked == []


def test_a_designated_city_typed_in_katakana(browser, offline):
    url, collection = offline
    page = browser.new_page()
    page.goto(url + "nearby.html")
    pick(page, "シズオカシ", "静岡県静岡市")
    assert page.locator("#dx-nearby-pop").input_value() == "690000"
    assert "に書かれた人口です" in page.locator("#dx-nearby-pop-note").inner_text()
    assert heading(page, "own").startswith("静岡県静岡市の事例")
    peers = [c for c in collection if c.place.municipality.type == "政令指定都市"
             and c.population_band == "30万〜" and c.place.municipality.code != "221007"]
    assert {"221309-nearby-4", "141305-nearby-5"} <= {c.id for c in peers}
    assert heading(page, "typeband") == f"同じ種類（政令指定都市）・同じ人口規模（30万〜）の団体の事例（{len(peers)} 件）"
    assert case_ids(page, "typeband") == sorted(c.id for c in peers)
    assert why(page, "typeband", "221309-nearby-4") == \
        "理由: 同じ種類（政令指定都市）・同じ人口規模（30万〜）・同じ県（静岡県）"
    # a band no designated city of the corpus has: the closest group says so instead of vanishing
    cities = [c for c in collection if c.place.municipality.type == "政令指定都市"]
    label, lower = next((label, lower) for label, lower in model.POPULATION_BANDS
                        if not any(c.population_band == label for c in cities))
    page.locator("#dx-nearby-pop").fill(str(lower + 1))
    assert heading(page, "typeband") == f"同じ種類（政令指定都市）・同じ人口規模（{label}）の団体の事例（0 件）"
    assert page.locator('section[data-group="typeband"] p').inner_text() == "まだありません。"
    assert page.errors == [] and page.blocked == []


def test_a_special_ward_by_hiragana_is_remembered_offline(browser, offline):
    url, collection = offline
    page = browser.new_page()
    page.goto(url + "nearby.html")
    pick(page, "せたがや", "東京都世田谷区")
    wards = sorted(c.id for c in collection if c.place.municipality.type == "特別区"
                   and c.place.municipality.code != "131121"
                   and c.population_band == "30万〜")
    assert case_ids(page, "typeband") == wards
    tokyo = sorted(c.id for c in collection if c.place.prefecture.code == "13" and c.id not in wards
                   and c.place.municipality.code != "131121")
    assert "132012-nearby-8" in tokyo
    assert case_ids(page, "pref") == tokyo
    assert heading(page, "pref").startswith("同じ都（東京都）の団体の事例")
    # 千代田区 is a ward of another band: shown with the same prefecture, saying why
    assert why(page, "pref", "131016-nearby-7") == "理由: 同じ種類（特別区）・同じ都（東京都）"
    assert why(page, "pref", "132012-nearby-8") in ("理由: 同じ都（東京都）", "理由: 同じ人口規模（30万〜）・同じ都（東京都）")
    # opened again from disk without the fragment: the browser remembered the choice
    page.goto(url + "nearby.html")
    assert page.get_by_role("combobox", name="あなたの団体").input_value() == "東京都世田谷区"
    assert "code=131121" in page.url
    # a shared link wins over what was remembered
    page.goto(url + "nearby.html#code=204129&pop=450")
    assert page.get_by_role("combobox", name="あなたの団体").input_value() == "長野県売木村"
    assert page.locator("#dx-nearby-pop").input_value() == "450"
    assert page.errors == [] and page.blocked == []


def test_picker_matches_kanji_and_both_kana_and_says_when_nothing_matches(browser, offline):
    url, _ = offline
    page = browser.new_page()
    page.goto(url + "nearby.html")
    box = page.get_by_role("combobox", name="あなたの団体")
    options = page.get_by_role("listbox").get_by_role("option")
    for typed in ("裾野", "すその", "スソノ", "ｽｿﾉ"):
        box.fill(typed)
        assert options.first.inner_text().startswith("静岡県裾野市（市、すそのし）"), typed
    options.first.click()  # a pointer works too
    assert box.input_value() == "静岡県裾野市" and "code=222208" in page.url
    box.fill("茅ケ崎")  # the official spelling is 茅ヶ崎市
    assert options.first.inner_text().startswith("神奈川県茅ヶ崎市")
    box.fill("存在しない団体名")
    assert options.all_inner_texts() == ["該当する団体がありません"]
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert page.errors == []


def test_nearby_page_and_open_picker_pass_axe(browser, offline):
    url, _ = offline
    with http_server(_site_folder(url)) as served:
        page = browser.new_page(served)
        page.goto(served + "nearby.html#code=221007")
        page.get_by_role("combobox", name="あなたの団体").fill("しず")
        page.wait_for_selector("#dx-nearby-options:not([hidden])")
        assert _axe(page) == []
        assert page.blocked == []


def test_every_municipality_with_cases_has_a_linked_named_point(browser, offline):
    url, collection = offline
    counts: dict[str, int] = {}
    for case in collection:
        for code in {case.place.municipality.code, *(p.municipality.code for p in case.partners)}:
            counts[code] = counts.get(code, 0) + 1
    page = browser.new_page()
    page.goto(url + "index.html")
    svg = page.get_by_role("group", name="事例のある団体の地図")
    points = svg.locator("a")
    found = points.evaluate_all("links => links.map(a => [a.querySelector('title').textContent, a.getAttribute('href')])")
    reg = registry()
    for _, href in found:  # every link leads to a page that exists in the offline copy
        assert (_site_folder(url) / href).is_file(), href
    assert sorted(map(tuple, found)) == sorted((f"{reg.by_code[code].full_name}（{n} 件）", f"municipalities/{code}.html")
                                   for code, n in counts.items())
    assert svg.locator("desc").text_content().startswith(f"事例のある {len(counts)} 団体を")
    # each point is drawn inside the map and reachable by keyboard, in code order
    page.get_by_role("link", name="団体別の一覧").focus()
    page.keyboard.press("Tab")
    first = sorted(counts)[0]
    assert page.evaluate("document.activeElement.querySelector('title').textContent").startswith(
        reg.by_code[first].full_name + "（")
    # what assistive technology gets: a link named by its title, for every point
    for name, _ in found[:5]:
        assert svg.get_by_role("link", name=name, exact=True).count() == 1
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"municipalities/{first}\.html$"))
    assert page.locator("h1").inner_text() == f"{reg.by_code[first].full_name}の事例"
    assert page.errors == [] and page.blocked == []


def test_map_passes_axe(browser, offline):
    url, _ = offline
    with http_server(_site_folder(url)) as served:
        page = browser.new_page(served)
        page.goto(served + "index.html")
        assert _axe(page, "figure.dx-geo-figure") == []


def _site_folder(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def _axe(page, selector: str | None = None) -> list:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async ([tags, selector]) => {
        const r = await axe.run(selector ? document.querySelector(selector) : document,
                                {runOnly: {type: 'tag', values: tags}});
        return r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}));
    }""", [TAGS, selector])
