"""Contributed text that used to stall, crash or poison an output: bodies Python-Markdown
cannot render in bounded time, URLs that would run script, spreadsheet formulas in the
CSV, characters that make the Atom feed ill-formed XML.

Each output is tested with the checker bypassed too, where it matters: the renderer,
the URL gate and the writers must hold on their own.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
import sys
import xml.etree.ElementTree as ET

import pytest

import pathological
from conftest import VALID_PATH, CasesRoot, valid_text
from generator import cli, exports, model
from generator.check import check_root, renderable
from generator.site.markdown import BodyRenderer, RenderFailed
from generator.urls import Urls, mailto_url, safe_url, tel_url
from sitebuild import bypass_checker, write_config

V = valid_text()
BODY_LAST = "他の手続きにも広げます。"
ATOM = "{http://www.w3.org/2005/Atom}"


# -- bounded rendering ---------------------------------------------------------------------

@pytest.mark.parametrize("name", list(pathological.OVER_LIMITS))
def test_a_body_markdown_cannot_render_in_bounded_time_is_refused_by_check(root, name):
    body = pathological.OVER_LIMITS[name]
    result = root.check_case(V.replace(BODY_LAST, body))
    assert pathological.REFUSED_BY[name] in [d.rule for d in result.diagnostics if d.is_error]
    assert not result.ok


@pytest.mark.parametrize("name", list(pathological.OVER_LIMITS))
def test_the_renderer_refuses_it_too_without_markdown(name):
    """Unchecked, the renderer names the limit instead of running for minutes or raising RecursionError."""
    with pytest.raises(RenderFailed, match="本文の [0-9]+ 行目"):
        BodyRenderer().render(pathological.OVER_LIMITS[name], lambda n: n)


@pytest.mark.parametrize("name", list(pathological.WITHIN_LIMITS))
def test_the_costliest_bodies_within_the_limits_render(name):
    body = pathological.WITHIN_LIMITS[name]
    assert renderable.problems(body) == []
    assert BodyRenderer().render(body, lambda n: n).html.startswith("<")


def test_a_recursion_error_inside_markdown_becomes_a_message():
    """A stack exhausted inside Markdown (here by a small recursion limit, as a deep
    call stack would) is a RenderFailed, not a traceback."""
    renderer = BodyRenderer()
    body = "\n".join("    " * i + "- x" for i in range(10))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 30)  # 30 frames left: Markdown needs about 50 here
    try:
        with pytest.raises(RenderFailed, match="本文の入れ子が深すぎます"):
            renderer.render(body, lambda n: n)
    finally:
        sys.setrecursionlimit(limit)
    assert renderer.render(body, lambda n: n).html.count("<ul>") == 10


def test_a_build_with_the_checker_bypassed_names_the_case_instead_of_stalling(tmp_path, monkeypatch, capfd):
    (tmp_path / "cases").mkdir()
    cases = CasesRoot(tmp_path / "cases")
    checked = check_root(cases.path)
    collection = model.build(checked.cases)
    collection.by_id["222208-okuyami-one-stop"].body = "[^" * 15_000

    bypass_checker(monkeypatch, checked, collection)
    config = write_config(tmp_path, cases.path, tmp_path / "site")
    assert cli.main(["build", "--config", str(config)]) == 1
    assert cli.main(["build", "--config", str(config), "--docs-out", str(tmp_path / "docs")]) == 1
    out = capfd.readouterr()
    message = ("事例「222208-okuyami-one-stop」（222208-okuyami-one-stop.md）の本文をページに変換できません: "
               "本文の角かっこ「[」が多すぎて、ページへの変換に時間がかかりすぎます"
               "（この段落に、対応する「]」のない「[」が 15,000 個あります）（本文の 1 行目）。make check で確かめてください")
    assert (out.out + out.err).count(message) == 2
    assert "Traceback" not in out.out + out.err
    assert not (tmp_path / "site").exists() and not (tmp_path / "docs").exists()


def test_a_body_over_the_length_limit_is_not_read_further(root):
    """One diagnostic, not one per link: 20,000 broken links would otherwise each be reported."""
    result = root.check_case(V.replace(BODY_LAST, "[a](x)" * 20_000))
    assert [d.rule for d in result.diagnostics] == ["body-too-long"]


def test_invisible_characters_are_reported_twenty_at_most(root):
    result = root.check_case(V.replace(BODY_LAST, "\x01" * 30_000))
    assert [(d.line, d.column) for d in result.diagnostics] == [(82, n) for n in range(1, 21)]
    assert {d.rule for d in result.diagnostics} == {"control-character"}


def test_messages_show_invisible_characters_by_code_point(root):
    """A quoted value with a terminal escape sequence does not recolour the contributor's terminal or the CI log."""
    from generator.diagnostics import format_github, format_text
    result = root.check_case(V.replace('updated: "2026-06-01"', 'updated: "\\e[2J\\u202e2026"'))
    assert {d.rule for d in result.diagnostics} == {"control-character", "date-format"}
    for output in (format_text(result.diagnostics), format_github(result.diagnostics)):
        assert "\x1b" not in output and "\u202e" not in output
        assert "「\\u001b[2J\\u202e2026」" in output


def test_era_dates_out_of_range_do_not_stop_fix(tmp_path):
    """`fix` converts what it can and leaves an era date that names no day as written."""
    cases = CasesRoot(tmp_path)
    text = (V.replace('date: "2023-06"', 'date: "令和5年6月"')
            .replace('updated: "2026-06-01"', 'updated: "令和9999年1月"')
            .replace("count: 49936", "count: " + "9" * 5000))
    path = cases.write(VALID_PATH, text)
    assert cli.main(["fix", "--write", str(path)]) == 0
    fixed = path.read_text(encoding="utf-8")
    assert 'date: "2023-06"' in fixed and 'updated: "令和9999年1月"' in fixed


# -- the URL gate ---------------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("https://www.city.example.lg.jp/a?b=1&c=2", "https://www.city.example.lg.jp/a?b=1&c=2"),
    ("HTTP://EXAMPLE.JP/", "HTTP://EXAMPLE.JP/"),
    ("../cases/222208-okuyami-one-stop/flow.pdf", "../cases/222208-okuyami-one-stop/flow.pdf"),
    ("flow.pdf", "flow.pdf"), ("#body-section", "#body-section"), ("./", "./"),
    ("javascript:alert(1)", None), ("JaVaScRiPt:alert(1)", None), (" javascript:alert(1)", None),
    ("\x01javascript:alert(1)", None), ("java\tscript:alert(1)", None), ("java\nscript:alert(1)", None),
    ("&#106;avascript:alert(1)", None), ("&#x6A;avascript:alert(1)", None), ("javascript&colon;alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None), ("vbscript:msgbox(1)", None),
    ("file:///etc/passwd", None), ("//evil.example/", None), ("\\\\evil.example/", None), ("/\\evil.example", None),
    ("/cases/x/", None), ("https:evil.example", None), ("https://a b", None), ("flow.pdf:x", None),
    ("", None), (None, None),
])
def test_safe_url_admits_web_and_site_relative_urls_only(url, expected):
    assert safe_url(url) == expected


def test_safe_url_without_relative_and_the_link_builders():
    assert safe_url("flow.pdf", relative=False) is None
    assert safe_url("https://example.jp/", relative=False) == "https://example.jp/"
    assert tel_url("055-995-1804") == "tel:0559951804"
    assert tel_url("0\"><script>alert(1)</script>") is None
    assert mailto_url("kaikaku@city.example.lg.jp") == "mailto:kaikaku@city.example.lg.jp"
    assert mailto_url("x@y.jp\" onmouseover=\"alert(1)") is None
    assert mailto_url("x@y.jp?bcc=z@w.jp") is None


# -- CSV formulas ---------------------------------------------------------------------------

def test_csv_cells_a_spreadsheet_would_run_are_neutralised_and_json_keeps_them(root):
    formula = '=HYPERLINK("https://example.jp/","詳細")'
    text = (V.replace('title: "おくやみワンストップ窓口"', f"title: '{formula}'")
            .replace('summary: "遺族が', 'summary: "+遺族が')
            .replace('  - "おくやみ"\n', '  - "@おくやみ"\n')
            .replace('  - "遺族が複数の課を', '  - "-遺族が複数の課を')
            .replace('funding: "デジタル', 'funding: "＝デジタル'))
    result = root.check_case(text)
    assert result.ok, result.diagnostics
    collection = model.build(result.cases)
    rows = list(csv.DictReader(io.StringIO(exports.cases_csv(collection).decode("utf-8-sig"))))
    row = next(r for r in rows if r["事例ID"] == "222208-okuyami-one-stop")
    assert row["題名"] == "'" + formula
    assert row["概要"].startswith("'+遺族が")
    assert row["タグ"] == "'@おくやみ; ワンストップ"
    assert row["解決した課題"].startswith("'-遺族が")
    assert row["財源"] == "'＝デジタル田園都市国家構想交付金"
    assert row["団体名"] == "裾野市" and row["初期費用（円）"] == "1200000"  # others unchanged
    record = next(c for c in json.loads(exports.cases_json(collection, Urls(), model_date()))["cases"]
                  if c["id"] == "222208-okuyami-one-stop")
    assert record["title"] == formula and record["tags"][0] == "@おくやみ"


@pytest.mark.parametrize("value, cell", [
    ("=1+2", "'=1+2"), ("+81", "'+81"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("＝1", "'＝1"), ("＋1", "'＋1"), ("－1", "'－1"), ("＠x", "'＠x"),
    ("おくやみ", "おくやみ"), ("1200000", "1200000"), ("a=b", "a=b"), ("", ""),
])
def test_csv_cell(value, cell):
    assert exports.csv_cell(value) == cell


def model_date():
    import datetime as dt
    return dt.date(2026, 1, 1)


# -- the feed, whatever reached it ------------------------------------------------------------

def test_the_feed_is_well_formed_xml_whatever_the_titles_hold(root):
    collection = model.build(root.check().cases)
    case = collection.by_id["222208-okuyami-one-stop"]
    case.title = "題名\x00\x01\x0b\x1f\ufffe\uffff\ud800<b>&amp;]]>終"
    case.summary = "概要\x7f\x85\u202e"
    feed = exports.atom_feed(collection, Urls(), model_date(), site_url="javascript:alert(1)")
    tree = ET.fromstring(feed)
    assert tree.get("{http://www.w3.org/XML/1998/namespace}base") is None
    entry = next(e for e in tree.findall(f"{ATOM}entry") if e.find(f"{ATOM}id").text.endswith(case.id))
    assert entry.find(f"{ATOM}title").text == "題名\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd<b>&amp;]]>終（静岡県裾野市）"
    assert entry.find(f"{ATOM}summary").text == "概要\x7f\x85\u202e"  # legal in XML 1.0; check refuses them
    assert entry.find(f"{ATOM}link").get("href") == "cases/222208-okuyami-one-stop/"
