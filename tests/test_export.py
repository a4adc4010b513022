"""`export`: the offline zip opened from disk with the internet blocked, and
the open data (CSV, JSON, Atom) read back and checked against the model."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import pytest

import synthetic
from conftest import REPO, CasesRoot
from generator import exports, model
from generator.check import check_root
from sitebuild import offline_case, write_config

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z: builds are stamped with this date
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    base = tmp_path_factory.mktemp("export")
    synthetic.generate(base / "cases", 70, seed=9)
    cases = CasesRoot(base / "cases")
    config = write_config(base, cases.path, base / "site")
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "generator", "export", "--config", str(config),
                             "--out", str(base / "dist")], cwd=REPO, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    collection = model.build(check_root(cases.path).cases)
    return base / "dist", collection, result.stdout


def test_dist_holds_the_zip_and_the_data_and_prints_sizes(exported):
    dist, _, stdout = exported
    names = sorted(p.name for p in dist.iterdir())
    assert names == ["case.schema.json", "cases.csv", "cases.json", "feed.xml", "jichitai-dx-jirei-offline-20260101.zip"]
    assert re.search(r"jichitai-dx-jirei-offline-20260101\.zip\s+[\d,]+ KB", stdout)


def test_zip_has_a_readme_and_a_dated_top_folder(exported):
    dist, collection, _ = exported
    with zipfile.ZipFile(dist / "jichitai-dx-jirei-offline-20260101.zip") as archive:
        names = archive.namelist()
        assert all(n.startswith("jichitai-dx-jirei-20260101/") for n in names)
        readme = archive.read("jichitai-dx-jirei-20260101/はじめにお読みください.txt").decode("utf-8-sig")
        assert "index.html" in readme and "インターネット" in readme and "\r\n" in readme
        assert f"事例 {len(collection)} 件" in readme
        assert "jichitai-dx-jirei-20260101/index.html" in names
        assert "jichitai-dx-jirei-20260101/catalogue.html" in names  # file URLs, not folders
        assert not [n for n in names if "/assets/javascripts/lunr/" in n]


def test_csv_reads_back_into_the_collection(exported):
    dist, collection, _ = exported
    raw = (dist / "cases.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") >= len(collection) + 1 and b"\n" not in raw.replace(b"\r\n", b"")
    with open(dist / "cases.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [header for header, _, _ in exports.COLUMNS]
    assert [r["事例ID"] for r in rows] == [c.id for c in collection]
    row = next(r for r in rows if r["事例ID"] == "222208-okuyami-one-stop")
    assert row["団体コード"] == "222208" and row["団体名"] == "裾野市" and row["都道府県"] == "静岡県"
    assert row["分野"] == "おくやみ・死亡手続; 窓口・手続"
    assert row["初期費用（円）"] == "1200000" and row["着手から開始まで（か月）"] == "6"
    assert row["効果"].endswith("窓口での待ち時間: 約2時間 → 約40分（職員の計測による）")
    hokkaido = [r for r in rows if r["団体コード"].startswith("0")]
    assert hokkaido and all(len(r["団体コード"]) == 6 for r in hokkaido)


def test_json_has_every_key_for_every_case(exported):
    dist, collection, _ = exported
    data = json.loads((dist / "cases.json").read_text(encoding="utf-8"))
    assert data["format_version"] == 1 and data["build_date"] == "2026-01-01" and data["count"] == len(collection)
    keys = set(data["cases"][0])
    assert all(set(c) == keys for c in data["cases"])
    by_id = {c["id"]: c for c in data["cases"]}
    for case in collection:
        record = by_id[case.id]
        assert record["title"] == case.title
        assert record["municipality"]["code"] == case.place.municipality.code
        assert record["municipality"]["type"] == case.place.municipality.type
        assert record["population_band"] == case.population_band
        assert record["launch"] == case.launch and record["updated"] == case.updated
    okuyami = by_id["222208-okuyami-one-stop"]
    assert okuyami["months_to_launch"] == 6 and okuyami["timeline"][1]["date"] == "2023-12-01"
    assert by_id["142077-kakanai-madoguchi"]["inspired"] == ["222208-okuyami-one-stop"]
    assert by_id["142077-kakanai-madoguchi"]["cost"] is None


def test_schema_export_carries_the_vocabulary(exported):
    dist, _, _ = exported
    schema = json.loads((dist / "case.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["area"]["enum"][:2] == ["窓口・手続", "おくやみ・死亡手続"]


def test_feed_is_atom_with_the_newest_cases(exported):
    dist, collection, _ = exported
    root = ET.fromstring((dist / "feed.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    for required in ("title", "id", "updated"):
        assert root.find(f"{ATOM}{required}").text
    entries = root.findall(f"{ATOM}entry")
    newest = exports.newest(collection)
    assert len(entries) == min(50, len(collection)) == len(newest)
    assert [e.find(f"{ATOM}id").text.rsplit(":", 1)[1] for e in entries] == [c.id for c in newest]
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    for entry in entries:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00\+09:00", entry.find(f"{ATOM}updated").text)
        assert entry.find(f"{ATOM}link").get("href").startswith("cases/")


@pytest.fixture(scope="module")
def unzipped(exported, tmp_path_factory):
    dist, _, _ = exported
    target = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(dist / "jichitai-dx-jirei-offline-20260101.zip") as archive:
        archive.extractall(target)
    return target / "jichitai-dx-jirei-20260101"


def test_offline_copy_works_from_disk_with_the_internet_blocked(exported, unzipped, browser):
    _, collection, _ = exported
    page = browser.new_page("file://")
    page.goto((unzipped / "index.html").as_uri())
    assert "自治体DX事例集" in page.title()
    # home → catalogue, filtered by two facets
    page.get_by_role("link", name="事例カタログ", exact=True).first.click()
    page.wait_for_url(re.compile(r"catalogue\.html"))
    page.get_by_label(re.compile(r"^窓口・手続")).check()
    page.get_by_label(re.compile(r"^運用中")).check()
    expected = sum(1 for c in collection if "窓口・手続" in c.areas and c.status == "運用中")
    assert page.locator("#dx-count").inner_text().startswith(f"{expected} 件")
    # → a case page
    page.locator("#dx-cards a[href*='222208-okuyami-one-stop']").click()
    page.wait_for_url(re.compile(r"cases/g-\d+\.html#222208-okuyami-one-stop$"))
    assert page.locator("ol.dx-timeline li:visible").count() == 2
    # → search for a word from that case's body
    page.locator("#dx-header-q").fill("")
    page.locator("#dx-header-q").type("複数の課を回って")
    page.wait_for_selector("#dx-suggest:not([hidden])")
    titles = page.locator(".dx-suggest__list a").all_inner_texts()
    assert any("おくやみワンストップ窓口" in t for t in titles)
    page.locator("#dx-header-q").press("Enter")
    page.wait_for_url(re.compile(r"search/index\.html#q="))
    page.wait_for_function("document.getElementById('dx-searchpage').getAttribute('data-results') !== null")
    # the case, once (cases that say 複数の課を回らなければ come too: the same words but for okurigana)
    assert page.locator("#dx-search-results a[href*='222208-okuyami-one-stop']").count() == 1
    # the data files are in the copy too
    page.goto((unzipped / "data.html").as_uri())
    assert page.locator("a[href='data/cases.csv']").count() == 1
    assert page.blocked == [], page.blocked
    assert page.errors == []


def test_offline_copy_references_nothing_on_the_internet(unzipped):
    loads = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)="(?:https?:)?//', re.I)
    assert not [p for p in unzipped.rglob("*.html") if loads.search(p.read_text(encoding="utf-8"))]


def test_case_page_prints_without_chrome_and_each_link_url_once(unzipped, browser):
    page = browser.new_page("file://")
    page.goto(offline_case(unzipped, "222208-okuyami-one-stop"))
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer", ".dx-searchbar"):
        assert page.locator(selector).first.evaluate("e => getComputedStyle(e).display") == "none", selector
    # only the case opened prints, not the others of its file
    shown = page.locator(".dx-group__member:visible")
    assert shown.count() == 1 and shown.locator("h1").inner_text() == "おくやみワンストップ窓口"
    # A link whose text is not its address prints the address after it ...
    press = shown.locator("a", has_text="報道発表").first
    assert "https://www.city.example.lg.jp/press/okuyami.html" in press.evaluate(
        "e => getComputedStyle(e, '::after').content")
    # ... and a source, whose text already is the address, does not print it twice.
    source = shown.locator(".dx-sources a").first
    assert source.inner_text().startswith("https://")
    assert source.evaluate("e => getComputedStyle(e, '::after').content") == "none"
    assert shown.locator("ol.dx-timeline").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000