"""Open data from the Case collection: JSON, CSV for Excel, and an Atom feed.

Engine-free like the rest of the core; the site builder puts these files in
the docs tree (and so on the site and in the offline copy), and `export`
copies them to dist/.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from xml.sax.saxutils import escape, quoteattr

from .model import Case, CaseCollection, newest_first
from .schema import FORMAT_VERSION
from .urls import Urls, safe_url

LICENSE = "CC BY 4.0（各事例に別の定めがある場合を除く）"
FEED_SIZE = 50
LIST_SEPARATOR = "; "
JST = dt.timezone(dt.timedelta(hours=9))


def _place(place) -> dict:
    m = place.municipality
    return {"code": m.code, "name": m.name, "full_name": m.full_name, "prefecture": m.prefecture,
            "region": place.prefecture.region, "type": m.type, "kana": m.kana}


def _outcome(outcome) -> dict:
    if isinstance(outcome, str):
        return {"text": outcome, "indicator": None, "before": None, "after": None, "note": None}
    return {"text": None, "indicator": outcome["indicator"], "before": outcome.get("before"),
            "after": outcome["after"], "note": outcome.get("note")}


def case_record(case: Case, urls: Urls) -> dict:
    """One case with every key present, dates as ISO strings, derived values resolved."""
    cost = case.cost or {}
    return {
        "id": case.id,
        "url": urls.page(f"cases/{case.id}.md"),
        "title": case.title,
        "summary": case.summary,
        "municipality": _place(case.place),
        "partners": [_place(p) for p in case.partners],
        "population": {"count": case.population["count"], "as_of": case.population["as_of"]}
        if case.population else None,
        "population_band": case.population_band,
        "areas": case.areas,
        "tags": case.tags,
        "status": case.status,
        "timeline": [{"date": e["date"], "event": e["event"], "milestone": e.get("milestone")}
                     for e in case.timeline],
        "kickoff": case.kickoff,
        "launch": case.launch,
        "end": case.milestone("終了"),
        "months_to_launch": case.months_to_launch,
        "problems": case.problems,
        "outcomes": [_outcome(o) for o in case.outcomes],
        "systems": [{"name": s["name"], "vendor": s.get("vendor"), "kind": s.get("kind")} for s in case.systems],
        "cost": {"initial": cost.get("initial"), "annual": cost.get("annual"), "funding": cost.get("funding"),
                 "note": cost.get("note")} if case.cost else None,
        "contacts": [{"department": c["department"], "phone": c.get("phone"), "email": c.get("email"),
                      "url": c.get("url")} for c in case.contacts],
        "resources": [{"title": r["title"], "url": r.get("url"), "file": r.get("file"), "kind": r.get("kind")}
                      for r in case.resources],
        "inspired_by": case.inspired_by,
        "inspired": case.inspired,
        "related": case.related,
        "sources": case.sources,
        "updated": case.updated,
    }


def cases_json(collection: CaseCollection, urls: Urls, build_date: dt.date) -> bytes:
    data = {
        "format_version": FORMAT_VERSION,
        "build_date": build_date.isoformat(),
        "license": LICENSE,
        "count": len(collection),
        "cases": [case_record(c, urls) for c in collection],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _join(values) -> str:
    return LIST_SEPARATOR.join(v for v in values if v)


def _outcome_text(o) -> str:
    if isinstance(o, str):
        return o
    change = f"{o['before']} → {o['after']}" if o.get("before") else o["after"]
    return f"{o['indicator']}: {change}" + (f"（{o['note']}）" if o.get("note") else "")


# (header, description, value) in the CSV's stable column order; the data page shows the descriptions.
COLUMNS = [
    ("事例ID", "事例を特定する ID（ファイル名）", lambda c: c.id),
    ("題名", "取組の名前", lambda c: c.title),
    ("概要", "取組の概要", lambda c: c.summary),
    ("団体コード", "実施団体の全国地方公共団体コード（6 桁）", lambda c: c.place.municipality.code),
    ("都道府県", "実施団体の都道府県", lambda c: c.place.municipality.prefecture),
    ("団体名", "実施団体の名前", lambda c: c.place.municipality.name),
    ("団体の種類", "都道府県・政令指定都市・特別区・市・町・村", lambda c: c.place.municipality.type),
    ("人口", "取組当時の人口（人）", lambda c: c.population["count"] if c.population else ""),
    ("人口の時点", "人口の時点", lambda c: c.population["as_of"] if c.population else ""),
    ("人口規模", "〜1万・1〜5万・5〜10万・10〜30万・30万〜・不明", lambda c: c.population_band),
    ("共同実施団体", "共同で実施した団体（「; 」区切り）", lambda c: _join(p.municipality.full_name for p in c.partners)),
    ("分野", "分野（「; 」区切り）", lambda c: _join(c.areas)),
    ("タグ", "キーワード（「; 」区切り）", lambda c: _join(c.tags)),
    ("状況", "検討中・実証中・運用中・横展開・終了", lambda c: c.status),
    ("着手", "着手した日付", lambda c: c.kickoff or ""),
    ("開始", "開始した日付", lambda c: c.launch or ""),
    ("終了", "終了した日付", lambda c: c.milestone("終了") or ""),
    ("着手から開始まで（か月）", "着手から開始までの月数", lambda c: "" if c.months_to_launch is None else c.months_to_launch),
    ("解決した課題", "解決した課題（「; 」区切り）", lambda c: _join(c.problems)),
    ("効果", "効果（「; 」区切り。測定値は「指標: 導入前 → 導入後」）", lambda c: _join(_outcome_text(o) for o in c.outcomes)),
    ("システム", "使った製品・ツール（「; 」区切り。「名称（提供者、種類）」）",
     lambda c: _join(s["name"] + (f"（{'、'.join(filter(None, (s.get('vendor'), s.get('kind'))))}）"
                                  if s.get("vendor") or s.get("kind") else "") for s in c.systems)),
    ("初期費用（円）", "初期費用（円）", lambda c: (c.cost or {}).get("initial", "")),
    ("年間費用（円）", "年間の運用費用（円）", lambda c: (c.cost or {}).get("annual", "")),
    ("財源", "交付金などの財源", lambda c: (c.cost or {}).get("funding", "")),
    ("費用の注記", "費用の補足", lambda c: (c.cost or {}).get("note", "")),
    ("問い合わせ先", "問い合わせ先の部署（「; 」区切り。「部署 電話 メール URL」）",
     lambda c: _join(" ".join(filter(None, (x["department"], x.get("phone"), x.get("email"), x.get("url"))))
                     for x in c.contacts)),
    ("資料", "資料（「; 」区切り。「資料名 URL」）", lambda c: _join(f"{r['title']} {r.get('url') or r.get('file')}"
                                                          for r in c.resources)),
    ("参考にした事例", "参考にした事例の ID（「; 」区切り）", lambda c: _join(c.inspired_by)),
    ("関連する事例", "関連する事例の ID（「; 」区切り）", lambda c: _join(c.related)),
    ("出典", "出典の URL（「; 」区切り）", lambda c: _join(c.sources)),
    ("最終確認日", "記録を最後に確認した日", lambda c: c.updated),
]


# What a spreadsheet may read as the start of a formula (OWASP "CSV injection"), with the
# full-width forms that Excel in a Japanese locale may take for them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def csv_cell(value) -> str:
    """A cell that a spreadsheet shows as text: a leading quote keeps `=HYPERLINK(…)`
    or `-1+2` from running as a formula when the file is opened in Excel."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def cases_csv(collection: CaseCollection) -> bytes:
    """UTF-8 with BOM and CRLF, so Excel opens it as is; one row per case; cells that
    would start a formula are neutralised (the JSON keeps every value exactly)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for header, _, _ in COLUMNS])
    for case in collection:
        writer.writerow([csv_cell(value(case)) for _, _, value in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _timestamp(value: str) -> str:
    parts = value.split("-") + ["01", "01"]
    return _xml_text(f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00+09:00")


def newest(collection: CaseCollection, limit: int = FEED_SIZE) -> list[Case]:
    return newest_first(collection)[:limit]


# Characters XML 1.0 does not allow at all (not even as references); one makes the whole feed
# unreadable to a feed reader, so whatever reached the model, they become U+FFFD.
XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value) -> str:
    return escape(XML_ILLEGAL.sub("\ufffd", str(value)))


def _xml_attr(value) -> str:
    return quoteattr(XML_ILLEGAL.sub("\ufffd", str(value)))


def _link(url) -> str:
    """A feed link through the site's URL gate; a refused one points at the site's top."""
    return _xml_attr(safe_url(url) or "./")


def atom_feed(collection: CaseCollection, urls: Urls, build_date: dt.date, site_url: str = "") -> bytes:
    """New and updated cases, by `updated`, newest first (Atom 1.0); well-formed XML
    whatever text the cases hold."""
    entries = newest(collection)
    updated = _timestamp(entries[0].updated) if entries else f"{build_date.isoformat()}T00:00:00+09:00"
    site_url = safe_url(site_url, relative=False) or ""
    base = f' xml:base={_xml_attr(site_url)}' if site_url else ""
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ja"{base}>',
             "<title>自治体DX事例集: 新しく確認された事例</title>",
             "<id>urn:jichitai-dx-cases:feed</id>",
             f"<updated>{updated}</updated>",
             '<link rel="self" href="feed.xml"/>',
             '<link rel="alternate" type="text/html" href="./"/>',
             "<author><name>自治体DX事例集</name></author>",
             f"<rights>{escape(LICENSE)}</rights>"]
    for case in entries:
        m = case.place.municipality
        lines += ["<entry>",
                  f"<title>{_xml_text(case.title)}（{_xml_text(m.full_name)}）</title>",
                  f"<id>urn:jichitai-dx-cases:case:{_xml_text(case.id)}</id>",
                  f'<link rel="alternate" type="text/html" href={_link(urls.page(f"cases/{case.id}.md"))}/>',
                  f"<updated>{_timestamp(case.updated)}</updated>",
                  f"<author><name>{_xml_text(m.full_name)}</name></author>",
                  f'<summary type="text">{_xml_text(case.summary)}</summary>',
                  *[f'<category term={_xml_attr(a)}/>' for a in case.areas],
                  "</entry>"]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
