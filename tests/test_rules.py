"""One test per rule code: a minimal mutation of the valid fixture, and the exact diagnostic.

Every expected diagnostic is written out in full (file, line, column, severity,
rule, Japanese message, hint) and compared with the *whole* list the checker
returns, so an extra, missing or reworded diagnostic fails the test.
Line numbers refer to tests/fixtures/valid-case.md.

The last section holds regression tests for bugs that were found and fixed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, OTHER_PATH, REPO, VALID_PATH, CasesRoot, valid_text
from generator.diagnostics import Diagnostic

V = valid_text()
ASSETS = "shizuoka/222208-okuyami-one-stop"

ERROR, WARNING = "error", "warning"

HOW_TO_UTF8 = "エディタの「名前を付けて保存」で文字コードに「UTF-8」を選んで保存し直してください"
EMPTY_HINT = "値を書いてください。書くことがない任意の項目は、項目ごと消してください"
KEYS = ("使える項目: title, summary, municipality, partners, population, areas, tags, status, timeline, "
        "problems, outcomes, systems, cost, contacts, resources, inspired_by, related, sources, updated")
STATUS_CHOICES = "使える値: 検討中、実証中、運用中、横展開、終了"
IMPLICIT_HINT = "文字列として扱いました。意図どおりなら \"{}\" のように引用符で囲んでください"
HTML_BODY_HINT = ("Markdown の書き方（見出しは ##、リンクは [文字](URL)）を使ってください。"
                  "「<」を文字として書くときは「&lt;」と書きます")
MISSING_FILE_HINT = "ファイルを 222208-okuyami-one-stop/ フォルダに置いてください"
FLOW_PDF = "222208-okuyami-one-stop/flow.pdf"  # as the valid fixture writes them: relative to the .md file
FLOW_PNG = "222208-okuyami-one-stop/flow.png"
FILE_PATH_HINT = "事例のフォルダ（222208-okuyami-one-stop/）に置いたファイルを 222208-okuyami-one-stop/ファイル名 の形で書いてください"
LINK_PATH_HINT = "ファイルは 222208-okuyami-one-stop/ フォルダに置き、222208-okuyami-one-stop/ファイル名 と書いてください"
BARE_HINT = ("GitHub のプレビューでも表示されるようになります。"
             "make fix WRITE=1（python -m generator fix --write）で書き換えられます")
PLACEHOLDER_HINT = "内容を書いてから「【要記入】」を消してください"
AREAS = ("使える分野: 窓口・手続、おくやみ・死亡手続、子育て・教育、福祉・介護、健康・医療、防災・危機管理、"
         "税・財務・会計、庁内業務・働き方、情報システム・標準化、マイナンバーカード、キャッシュレス・電子決済、"
         "データ活用・オープンデータ、住民参加・広報、地域・産業・観光、まちづくり・交通、環境・ごみ、"
         "人材育成・組織、情報セキュリティ、デジタルデバイド対策、その他")
BODY_LAST = "他の手続きにも広げます。"  # line 82, the last line of the body
MUNICIPALITY = 'code: "222208"\n  name: "裾野市"'


def mutate(old: str, new: str, text: str = V) -> str:
    """Replace exactly one occurrence of `old` (which must occur exactly once)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def d(line: int, column: int, rule: str, message: str, hint: str | None = None,
      severity: str = ERROR, file: str = VALID_PATH) -> Diagnostic:
    return Diagnostic(file, line, column, severity, rule, message, hint)


def place(root: CasesRoot, relative: str, text: str) -> Path:
    """Write a case and give it a copy of the valid case's asset folder, its paths
    (relative to the Markdown file, so they hold the folder name) following the new name."""
    stem = Path(relative).stem
    path = root.write(relative, text.replace("222208-okuyami-one-stop/", f"{stem}/"))
    shutil.copytree(root.path / ASSETS, path.with_suffix(""), dirs_exist_ok=True)
    return path


def test_valid_fixture_has_no_diagnostics(root):
    result = root.check_case(V)
    assert result.diagnostics == []
    assert [c.case_id for c in result.cases] == ["222208-okuyami-one-stop"]
    data = result.cases[0].data
    assert data["municipality"] == {"code": "222208", "name": "裾野市"}
    assert data["timeline"][1]["date"] == "2023-12-01"   # unquoted date kept as written
    assert data["cost"] == {"initial": 1200000, "annual": 300000, "funding": "デジタル田園都市国家構想交付金"}


def test_whole_fixture_root_has_no_diagnostics(root):
    result = root.check()
    assert result.diagnostics == []
    assert result.files == 2
    assert sorted(c.case_id for c in result.cases) == [
        "142077-kakanai-madoguchi", "222208-okuyami-one-stop"]


def test_bom_and_crlf_are_accepted(root):
    assert root.check_case(("\ufeff" + V.replace("\n", "\r\n")).encode("utf-8")).diagnostics == []


def test_bom_and_crlf_keep_line_numbers(root):
    text = mutate("status: 運用中", "status: 運用")
    result = root.check_case(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    assert result.diagnostics == [
        d(19, 9, "invalid-choice", "status（状況） に「運用」は使えません", "「運用中」のことですか？")]


# --------------------------------------------------------------------------------------------
# The table: (mutated file content, every expected diagnostic).

CASES = [
    # ---- load: encoding, size, front-matter delimiters -------------------------------------
    pytest.param(V.encode("cp932"), [
        d(2, 1, "encoding", "ファイルの文字コードが Shift_JIS（CP932） です。UTF-8 で保存してください", HOW_TO_UTF8),
    ], id="encoding-shift_jis"),
    pytest.param(V.encode("utf-16"), [
        d(1, 1, "encoding", "ファイルの文字コードが UTF-16 です。UTF-8 で保存してください", HOW_TO_UTF8),
    ], id="encoding-utf16-bom"),
    pytest.param(V.encode("utf-16-le"), [
        d(1, 1, "encoding", "ファイルの文字コードが UTF-16 です。UTF-8 で保存してください", HOW_TO_UTF8),
    ], id="encoding-utf16-no-bom"),
    pytest.param(V.encode("euc_jp"), [
        d(2, 1, "encoding", "ファイルの文字コードが EUC-JP です。UTF-8 で保存してください", HOW_TO_UTF8),
    ], id="encoding-euc-jp"),
    pytest.param(V.encode("utf-8").replace("遺族".encode(), b"\xff\xfe\xfd", 1), [
        d(3, 1, "encoding", "ファイルが UTF-8 として読めません（文字化けしたバイト列があります）", HOW_TO_UTF8),
    ], id="encoding-invalid-bytes"),
    pytest.param(mutate("status:", "sta\0tus:").encode("utf-8"), [
        d(19, 1, "encoding", "ファイルに NUL 文字が含まれています。テキストファイルとして保存し直してください"),
    ], id="encoding-nul"),
    pytest.param(V + "あ" * 350_000, [
        d(1, 1, "file-too-large",
          f"ファイルが大きすぎます（{len((V + 'あ' * 350_000).encode()):,} バイト）。"
          "1 ファイルは 1 MiB（1,048,576 バイト）までです",
          "画像や資料は事例のフォルダに別ファイルとして置いてください"),
    ], id="file-too-large"),
    pytest.param("# 事例\n" + V, [
        d(1, 1, "front-matter-missing", "ファイルの 1 行目は「---」で始めてください（フロントマターがありません）",
          "1 行目に「---」、項目を書いた後にもう一度「---」を書きます"),
    ], id="front-matter-missing"),
    pytest.param(mutate('updated: "2026-06-01"\n---\n', 'updated: "2026-06-01"\n\n'), [
        d(1, 1, "front-matter-unclosed", "フロントマターが閉じられていません（2 つ目の「---」がありません）",
          "項目を書き終えた次の行に「---」だけの行を入れてください"),
    ], id="front-matter-unclosed"),
    pytest.param("---\n# コメントだけ\n---\n\n## 背景・課題\n", [
        d(2, 1, "front-matter-empty", "フロントマターが空です",
          "「---」と「---」の間に title や summary などの項目を書いてください"),
    ], id="front-matter-empty"),
    pytest.param("---\n- title\n- summary\n---\n", [
        d(2, 1, "front-matter-not-mapping", "フロントマターは「キー: 値」の形で書いてください"),
    ], id="front-matter-not-mapping"),

    # ---- YAML reader -------------------------------------------------------------------------
    pytest.param(mutate('title: "おくやみワンストップ窓口"', 'title: "おくやみワンストップ窓口'), [
        d(2, 8, "yaml-syntax", "引用符（\"）が閉じられていません",
          "値の最後にも \" を書いてください（YAML の解析結果: did not find expected key）"),
    ], id="yaml-syntax-unclosed-quote"),
    pytest.param(mutate('title: "おくやみワンストップ窓口"', "title: 窓口: おくやみ"), [
        d(2, 10, "yaml-syntax",
          "ここに「: 」は書けません。値の中に「: 」があるときは、値全体を引用符（\"）で囲んでください",
          "YAML の解析結果: mapping values are not allowed in this context"),
    ], id="yaml-syntax-colon-in-plain-value"),
    pytest.param(mutate("status: 運用中", "status:運用中"), [
        d(20, 1, "yaml-syntax", "「キー: 値」の形になっていません。「:」の後に半角スペースが必要です",
          "YAML の解析結果: could not find expected ':'"),
    ], id="yaml-syntax-missing-space"),
    pytest.param(mutate('  name: "裾野市"', '   name: "裾野市"'), [
        d(6, 4, "yaml-syntax", "字下げ（インデント）がそろっていないか、「- 」の位置がずれています",
          "YAML の解析結果: did not find expected key"),
    ], id="yaml-syntax-indent"),
    pytest.param(mutate('  - "おくやみ"', '\t- "おくやみ"'), [
        d(17, 1, "yaml-tab", "字下げにタブ文字が使われています。YAML の字下げは半角スペースで書いてください",
          "タブを半角スペース 2 つに置き換えてください"),
    ], id="yaml-tab"),
    pytest.param(mutate("status: 運用中", "status: 運用中\nstatus: 終了"), [
        d(20, 1, "yaml-duplicate-key", "項目「status」が 2 回書かれています", "19 行目の「status」と 1 つにまとめてください"),
    ], id="yaml-duplicate-key"),
    pytest.param(mutate('  name: "裾野市"', '  name: "裾野市"\n  code: "222208"'), [
        d(7, 3, "yaml-duplicate-key", "項目「code」が 2 回書かれています", "5 行目の「code」と 1 つにまとめてください"),
    ], id="yaml-duplicate-key-nested"),
    pytest.param(mutate("status: 運用中", "status: &s 運用中"), [
        d(19, 9, "yaml-anchor", "アンカー「&s」は使えません", "同じ内容を繰り返すときも、そのまま書いてください"),
    ], id="yaml-anchor-anchor"),
    pytest.param(mutate("tags:\n", 'x: &a ["lol", "lol"]\ny: [*a, *a]\ntags:\n'), [
        d(16, 1, "unknown-key", "「x」という項目はありません", KEYS),
        d(16, 4, "yaml-anchor", "アンカー「&a」は使えません", "同じ内容を繰り返すときも、そのまま書いてください"),
        d(17, 1, "unknown-key", "「y」という項目はありません", KEYS),
        d(17, 5, "yaml-anchor", "エイリアス「*a」は使えません", "参照せずに、値をそのまま書いてください"),
        d(17, 9, "yaml-anchor", "エイリアス「*a」は使えません", "参照せずに、値をそのまま書いてください"),
    ], id="yaml-anchor-alias"),
    pytest.param(mutate("status: 運用中", "status: !!str 運用中"), [
        d(19, 9, "yaml-tag", "タグ「!!str」は使えません", "タグを消して、値だけを書いてください"),
    ], id="yaml-tag"),
    pytest.param(mutate("status: 運用中", 'status: !!python/object:os.system "ls"'), [
        d(19, 9, "invalid-choice", "status（状況） に「ls」は使えません", STATUS_CHOICES),
        d(19, 9, "yaml-tag", "タグ「!!python/object:os.system」は使えません", "タグを消して、値だけを書いてください"),
    ], id="yaml-tag-python-object"),

    # ---- structure from the schema -----------------------------------------------------------
    pytest.param(mutate("summary:", "sumary:"), [
        d(1, 1, "required", "必須の項目 summary（概要） がありません", "「summary: 」の行を書き足してください"),
        d(3, 1, "unknown-key", "「sumary」という項目はありません", "「summary」のことですか？"),
    ], id="unknown-key-did-you-mean"),
    pytest.param(mutate("    vendor:", "    vender:"), [
        d(37, 5, "unknown-key", "systems の中「vender」という項目はありません", "「vendor」のことですか？"),
    ], id="unknown-key-nested"),
    pytest.param(mutate("status: 運用中", "status: 運用中\nfoo: 1"), [
        d(20, 1, "unknown-key", "「foo」という項目はありません", KEYS),
    ], id="unknown-key-no-near-key"),
    pytest.param(mutate('problems:\n  - "遺族が複数の課を回らなければならなかった"\n', ""), [
        d(1, 1, "required", "必須の項目 problems（解決した課題） がありません", "「problems: 」の行を書き足してください"),
    ], id="required"),
    pytest.param(mutate('    event: "取組に着手"\n', ""), [
        d(21, 5, "required", "必須の項目 timeline.event（出来事） がありません", "「event: 」の行を書き足してください"),
    ], id="required-nested"),
    pytest.param(mutate('title: "おくやみワンストップ窓口"', "title:"), [
        d(2, 7, "empty", "title（題名） の値が空です", EMPTY_HINT),
    ], id="empty"),
    pytest.param(mutate('title: "おくやみワンストップ窓口"', 'title: "  "'), [
        d(2, 8, "empty", "title（題名） の値が空です"),
    ], id="empty-blank-string"),
    pytest.param(mutate('cost:\n  initial: 1200000\n  annual: 300000\n  funding: "デジタル田園都市国家構想交付金"',
                        "cost: {}"), [
        d(39, 7, "empty", "cost（費用） の中身が空です", "値を書くか、項目ごと消してください"),
    ], id="empty-object"),
    pytest.param(mutate('title: "おくやみワンストップ窓口"', 'title: "【要記入】"'), [
        d(2, 8, "placeholder", "title（題名） が「【要記入】」のままです", PLACEHOLDER_HINT),
    ], id="placeholder"),
    pytest.param(mutate('areas:\n  - "おくやみ・死亡手続"\n  - 窓口・手続', "areas: おくやみ"), [
        d(13, 8, "type", "areas（分野） はリストで書いてください（値になっています）", "次の行に字下げして「- おくやみ」のように書きます"),
    ], id="type-not-a-list"),
    pytest.param(mutate("status: 運用中", "status:\n  - 運用中"), [
        d(20, 3, "type", "status（状況） は 1 つの値で書いてください（リストになっています）"),
    ], id="type-list-for-word"),
    pytest.param(mutate('population:\n  count: 49936\n  as_of: "2023-04"', "population: 49936"), [
        d(10, 13, "type", "population（人口） は「キー: 値」の組で書いてください（値になっています）",
          "次の行から字下げして「キー: 値」を並べます"),
    ], id="type-not-a-mapping"),
    pytest.param(mutate("initial: 1200000", "initial: 120万円"), [
        d(40, 12, "type", "cost.initial（初期費用） は半角数字の整数で、引用符を付けずに書いてください",
          "1200000（カンマや単位を付けず、引用符なしで）"),
    ], id="type-integer-with-unit"),
    pytest.param(mutate("count: 49936", 'count: "49,936"'), [
        d(11, 10, "type", "population.count（人数） は半角数字の整数で、引用符を付けずに書いてください",
          "49936（カンマや単位を付けず、引用符なしで）"),
    ], id="type-integer-quoted"),
    pytest.param(mutate('problems:\n  - "遺族が複数の課を回らなければならなかった"', "problems: []"), [
        d(27, 11, "too-few", "problems（解決した課題） は 1 件以上書いてください"),
    ], id="too-few"),
    pytest.param(mutate("  - 窓口・手続", "  - 窓口・手続\n  - 子育て・教育\n  - 福祉・介護"), [
        d(17, 5, "too-many", "areas（分野） は 3 件までです（4 件あります）"),
    ], id="too-many"),
    pytest.param(mutate('title: "おくやみワンストップ窓口"', 'title: "' + "あ" * 61 + '"'), [
        d(2, 8, "too-long", "title（題名） は 60 文字までです（61 文字あります）", "要点を短くまとめ、詳しい内容は本文に書いてください"),
    ], id="too-long"),
    pytest.param(mutate("  - 窓口・手続", '  - "おくやみ・死亡手続"'), [
        d(15, 5, "duplicate-item", "areas（分野） に「おくやみ・死亡手続」が 2 回あります", "14 行目と同じです。1 つにまとめてください"),
    ], id="duplicate-item"),
    pytest.param(mutate("  - ワンストップ", "  - ＤＸ\n  - \" DX \""), [
        d(19, 5, "tag-duplicate", "tags（タグ） に「DX」が 2 回あります",
          "18 行目と同じです（全角と半角、前後の空白の違いは区別しません）。1 つにまとめてください", severity=WARNING),
    ], id="tag-duplicate"),
    pytest.param(mutate("count: 49936", "count: 0"), [
        d(11, 10, "range", "population.count（人数） は 1 以上の数で書いてください"),
    ], id="range"),
    pytest.param(mutate("status: 運用中", "status: 運用"), [
        d(19, 9, "invalid-choice", "status（状況） に「運用」は使えません", "「運用中」のことですか？"),
    ], id="invalid-choice"),
    pytest.param(mutate("status: 運用中", "status: no"), [
        d(19, 9, "invalid-choice", "status（状況） に「no」は使えません", STATUS_CHOICES),
    ], id="invalid-choice-yaml-no-stays-text"),
    pytest.param(mutate('    file: "222208-okuyami-one-stop/flow.pdf"', '    file: "222208-okuyami-one-stop/flow.pdf"\n    url: "https://www.city.example.lg.jp/flow.pdf"'), [
        d(49, 5, "one-of", "resources には url・file のどちらか 1 つだけを書いてください",
          "ウェブにある資料は url、事例のフォルダに置いたファイルは file です"),
    ], id="one-of-both"),
    pytest.param(mutate('    file: "222208-okuyami-one-stop/flow.pdf"\n', ""), [
        d(49, 5, "one-of", "resources には url・file のどちらか 1 つだけを書いてください",
          "ウェブにある資料は url、事例のフォルダに置いたファイルは file です"),
    ], id="one-of-neither"),

    # ---- free text ---------------------------------------------------------------------------
    pytest.param(mutate('    event: "取組に着手"', "    event: yes"), [
        d(22, 12, "yaml-implicit-type", "timeline.event（出来事） の「yes」は、引用符がないと他のツールでは真偽値として読まれます",
          IMPLICIT_HINT.format("yes"), severity=WARNING),
    ], id="yaml-implicit-type-bool"),
    pytest.param(mutate('    event: "取組に着手"', "    event: 2023-01-01"), [
        d(22, 12, "yaml-implicit-type", "timeline.event（出来事） の「2023-01-01」は、引用符がないと他のツールでは日付として読まれます",
          IMPLICIT_HINT.format("2023-01-01"), severity=WARNING),
    ], id="yaml-implicit-type-date"),
    pytest.param(mutate('title: "おくやみワンストップ窓口"', 'title: "<script>alert(1)</script>"'), [
        d(2, 8, "html-in-text", "title（題名） に HTML タグ「<script>」は書けません", "タグを使わずに文章だけを書いてください"),
    ], id="html-in-text"),

    # ---- dates -------------------------------------------------------------------------------
    pytest.param(mutate('date: "2023-06"', 'date: "令和5年12月"'), [
        d(21, 11, "date-era", "timeline.date（日付） に和暦「令和5年12月」は使えません。西暦で書いてください", '"2023-12"'),
    ], id="date-era"),
    pytest.param(mutate('date: "2023-06"', 'date: "平成31年4月30日"'), [
        d(21, 11, "date-era", "timeline.date（日付） に和暦「平成31年4月30日」は使えません。西暦で書いてください", '"2019-04-30"'),
    ], id="date-era-heisei"),
    pytest.param(mutate('date: "2023-06"', 'date: "令和元年5月1日"'), [
        d(21, 11, "date-era", "timeline.date（日付） に和暦「令和元年5月1日」は使えません。西暦で書いてください", '"2019-05-01"'),
    ], id="date-era-gannen"),
    pytest.param(mutate('date: "2023-06"', 'date: "2023年6月"'), [
        d(21, 11, "date-format", "timeline.date（日付） の「2023年6月」は日付の形になっていません", '"2023-06"'),
    ], id="date-format-kanji"),
    pytest.param(mutate('date: "2023-06"', 'date: "2023-6"'), [
        d(21, 11, "date-format", "timeline.date（日付） の「2023-6」は月と日を 2 桁で書いてください", '"2023-06"'),
    ], id="date-format-one-digit"),
    pytest.param(mutate('date: "2023-06"', 'date: "そのうち"'), [
        d(21, 11, "date-format", "timeline.date（日付） の「そのうち」は日付の形になっていません",
          'YYYY、YYYY-MM、YYYY-MM-DD のいずれか（例: "2023-12"、"2024-01-16"）で書いてください'),
    ], id="date-format-no-date"),
    pytest.param(mutate('date: "2023-06"', 'date: "2023-02-30"'), [
        d(21, 11, "date-invalid", "timeline.date（日付） の「2023-02-30」という日付はありません", "月と日を確かめてください"),
    ], id="date-invalid"),
    pytest.param(mutate('date: "2023-06"', 'date: "2023-13"'), [
        d(21, 11, "date-invalid", "timeline.date（日付） の「2023-13」という日付はありません", "月と日を確かめてください"),
    ], id="date-invalid-month"),
    pytest.param(mutate('updated: "2026-06-01"', 'updated: "2026-11-27"'), [
        d(61, 10, "date-future", "updated（最終確認日）の 2026-11-27 が未来の日付です",
          '内容を確認した日（今日なら "2026-11-26"）を書いてください'),
    ], id="date-future"),

    # ---- quality warnings: the record stays publishable ----------------------------------------
    pytest.param(mutate('updated: "2026-06-01"', 'updated: "2024-11-25"'), [
        d(61, 10, "updated-stale",
          "updated（最終確認日） の 2024-11-25 から 2 年以上たっています。サイトでは「古い記録です」と表示されます",
          '内容が今も正しいか確かめて、確かめた日（今日なら "2026-11-26"）を書いてください', WARNING),
    ], id="updated-stale"),
    pytest.param(mutate('updated: "2026-06-01"', 'updated: "2024"'), [
        d(61, 10, "updated-stale",
          "updated（最終確認日） の 2024 から 2 年以上たっています。サイトでは「古い記録です」と表示されます",
          '内容が今も正しいか確かめて、確かめた日（今日なら "2026-11-26"）を書いてください', WARNING),
    ], id="updated-stale-year-only"),
    pytest.param(mutate('updated: "2026-06-01"', 'updated: "2024-11-26"'), [], id="updated-two-years-to-the-day"),
    pytest.param(mutate('sources:\n  - "https://www.city.example.lg.jp/press/okuyami.html"\n', ""), [
        d(1, 1, "sources-missing", "出典（sources）がありません。事実を確かめられる公開ページの URL を書いてください",
          'sources: の下に - "https://..." の形で、団体の報道発表やページの URL を書き足してください', WARNING),
    ], id="sources-missing"),
    pytest.param(mutate('  - "https://www.city.example.lg.jp/press/okuyami.html"\nupdated',
                        '  - "HTTP://www.city.example.lg.jp/press/okuyami.html"\nupdated'), [
        d(60, 5, "source-not-https", "sources（出典） の「HTTP://www.city.example.lg.jp/press/okuyami.html」が https ではありません",
          '同じページが https:// で開けるなら "https://www.city.example.lg.jp/press/okuyami.html" に書き換えてください。'
          "開けなければそのままで構いません", WARNING),
    ], id="source-not-https"),
    pytest.param(mutate('    phone: "055-995-1804"\n    email: "kaikaku@city.example.lg.jp"\n'
                        '    url: "https://www.city.example.lg.jp/kaikaku/"\n', ""), [
        d(44, 5, "contact-no-means", "contacts（問い合わせ先） の「デジタル部 業務改革課」に電話・メール・URL のどれもありません",
          "phone（電話）、email（メール）、url（ウェブページ）のうち少なくとも 1 つを書き足してください", WARNING),
    ], id="contact-no-means"),
    pytest.param(mutate('    email: "kaikaku@city.example.lg.jp"\n    url: "https://www.city.example.lg.jp/kaikaku/"\n', ""),
                 [], id="contact-phone-alone-is-enough"),
    pytest.param(mutate("date: 2023-12-01", 'date: "2023-01"'), [
        d(24, 11, "timeline-order", "timeline の日付が古い順になっていません（2023-01 が 2023-06 の後にあります）",
          "timeline は日付の古い順に並べてください"),
    ], id="timeline-order"),

    # ---- URLs, phones, e-mail ----------------------------------------------------------------
    pytest.param(mutate('url: "https://www.city.example.lg.jp/kaikaku/"', 'url: "javascript:alert(1)"'), [
        d(47, 10, "url-scheme", "contacts.url（ウェブページ） に「javascript:」の URL は書けません。https:// か http:// で始まる URL だけです",
          "ウェブページの URL を書いてください"),
    ], id="url-scheme"),
    pytest.param(mutate('  - "https://www.city.example.lg.jp/press/okuyami.html"\nupdated',
                        '  - "JavaScript:alert(1)"\nupdated'), [
        d(60, 5, "url-scheme", "sources に「javascript:」の URL は書けません。https:// か http:// で始まる URL だけです",
          "ウェブページの URL を書いてください"),
    ], id="url-scheme-sources-mixed-case"),
    pytest.param(mutate('url: "https://www.city.example.lg.jp/kaikaku/"', 'url: "www.city.example.lg.jp/kaikaku/"'), [
        d(47, 10, "url-format", "contacts.url（ウェブページ） の「www.city.example.lg.jp/kaikaku/」は URL の形になっていません",
          '"https://www.city.example.lg.jp/kaikaku/" のように https:// から書いてください'),
    ], id="url-format"),
    pytest.param(mutate("055-995-1804", "090-1234-5678"), [
        d(45, 12, "phone-mobile", "contacts.phone（電話） に携帯電話の番号（070/080/090）は書けません",
          "個人ではなく、部署の代表電話番号を書いてください"),
    ], id="phone-mobile"),
    pytest.param(mutate("055-995-1804", "０８０ー１２３４ー５６７８"), [
        d(45, 12, "phone-mobile", "contacts.phone（電話） に携帯電話の番号（070/080/090）は書けません",
          "個人ではなく、部署の代表電話番号を書いてください"),
    ], id="phone-mobile-fullwidth"),
    pytest.param(mutate("055-995-1804", "055(995)1804"), [
        d(45, 12, "phone-format", "contacts.phone（電話） の「055(995)1804」は電話番号の形になっていません",
          "市外局番から半角数字とハイフンで書いてください（例: 055-995-1804）"),
    ], id="phone-format"),
    pytest.param(mutate("055-995-1804", "０５５－９９５－１８０４"), [
        d(45, 12, "phone-format", "contacts.phone（電話） の「０５５－９９５－１８０４」は電話番号の形になっていません",
          '"055-995-1804"'),
    ], id="phone-format-fullwidth"),
    pytest.param(mutate("kaikaku@city.example.lg.jp", "kaikaku＠city.example.lg.jp"), [
        d(46, 12, "email-format", "contacts.email（メール） の「kaikaku＠city.example.lg.jp」はメールアドレスの形になっていません",
          '"kaikaku@city.example.lg.jp"'),
    ], id="email-format"),

    # ---- case IDs, areas, files --------------------------------------------------------------
    pytest.param(mutate('related:\n  - "142077-kakanai-madoguchi"', 'related:\n  - "kakanai-madoguchi"'), [
        d(58, 5, "case-id-format", "related の「kakanai-madoguchi」は事例 ID の形になっていません",
          "事例ファイルの名前から .md を除いたものを書きます（例: 222208-okuyami-one-stop）"),
    ], id="case-id-format"),
    pytest.param(mutate("  - 窓口・手続", "  - 窓口"), [
        d(15, 5, "area-unknown", "分野「窓口」は分野の一覧（areas.yml）にありません", "「窓口・手続」のことですか？"),
    ], id="area-unknown"),
    pytest.param(mutate("  - 窓口・手続", "  - 宇宙開発"), [
        d(15, 5, "area-unknown", "分野「宇宙開発」は分野の一覧（areas.yml）にありません", AREAS),
    ], id="area-unknown-no-near-word"),
    pytest.param(mutate(f'file: "{FLOW_PDF}"', 'file: "../flow.pdf"'), [
        d(50, 11, "file-path", "resources.file（ファイル） の「../flow.pdf」は事例のフォルダの中のファイルを指していません",
          FILE_PATH_HINT),
    ], id="file-path"),
    pytest.param(mutate(f'file: "{FLOW_PDF}"', 'file: "222208-okuyami-one-stop/%2e%2e/flow.pdf"'), [
        d(50, 11, "file-path", "resources.file（ファイル） の「222208-okuyami-one-stop/%2e%2e/flow.pdf」は"
          "事例のフォルダの中のファイルを指していません", FILE_PATH_HINT),
    ], id="file-path-percent-encoded-dots"),
    pytest.param(mutate(f'file: "{FLOW_PDF}"', 'file: "222208-okuyami-one-stop\\\\flow.pdf"'), [
        d(50, 11, "file-path", "resources.file（ファイル） の「222208-okuyami-one-stop\\flow.pdf」は"
          "事例のフォルダの中のファイルを指していません", FILE_PATH_HINT),
    ], id="file-path-backslash"),
    pytest.param(mutate(f'file: "{FLOW_PDF}"', 'file: "nothing.pdf"'), [
        d(50, 11, "file-missing", "resources.file（ファイル） のファイル「nothing.pdf」がありません", MISSING_FILE_HINT),
    ], id="file-missing"),
    pytest.param(mutate(f'file: "{FLOW_PDF}"', 'file: "flow.pdf"'), [
        d(50, 11, "file-path-bare", "resources.file（ファイル） の「flow.pdf」は古い書き方です。"
          "Markdown ファイルからの相対パス「222208-okuyami-one-stop/flow.pdf」と書いてください",
          "make fix WRITE=1（python -m generator fix --write）で書き換えられます", severity=WARNING),
    ], id="file-path-bare"),

    # ---- municipality code and name ----------------------------------------------------------
    pytest.param(mutate('code: "222208"', "code: 222208"), [
        d(5, 9, "code-unquoted", "municipality.code（団体コード） の 222208 を引用符で囲んでください", 'code: "222208"'),
    ], id="code-unquoted"),
    pytest.param(mutate(MUNICIPALITY, 'code: 012025\n  name: "函館市"'), [
        d(5, 9, "code-unquoted",
          "municipality.code（団体コード） の 012025 を引用符で囲んでください。引用符がないと 012025 は 8 進数の 5141 と読まれます",
          'code: "012025"'),
    ], id="code-unquoted-octal"),
    pytest.param(mutate(MUNICIPALITY, 'code: 012084\n  name: "北見市"'), [
        d(5, 9, "code-unquoted",
          "municipality.code（団体コード） の 012084 を引用符で囲んでください。"
          "引用符がないと数値 12084 として読まれ、先頭の 0 が消えることがあります",
          'code: "012084"'),
    ], id="code-unquoted-leading-zero"),
    pytest.param(mutate('"222208"', '"２２２２０８"'), [
        d(5, 9, "code-fullwidth", "municipality.code（団体コード） の「２２２２０８」に全角数字が使われています。半角数字で書いてください",
          'code: "222208"'),
    ], id="code-fullwidth"),
    pytest.param(mutate('"222208"', '"22208"'), [
        d(5, 9, "code-format", "municipality.code（団体コード） の「22208」は 6 桁の団体コードになっていません",
          '団体名から: 静岡県裾野市 は "222208"'),
    ], id="code-format"),
    pytest.param(mutate('"222208"', '"222209"'), [
        d(5, 9, "code-check-digit",
          "municipality.code（団体コード） の 222209 は検査数字（6 桁目）が合いません（22220 なら 6 桁目は 8）",
          '団体名から: 静岡県裾野市 は "222208"'),
    ], id="code-check-digit"),
    pytest.param(mutate(MUNICIPALITY, 'code: "222992"\n  name: "どこか市"'), [
        d(5, 9, "code-unknown", "municipality.code（団体コード） の 222992 は全国地方公共団体コードの一覧にありません",
          "総務省の全国地方公共団体コードを確かめてください"),
    ], id="code-unknown"),
    pytest.param(mutate(MUNICIPALITY, 'code: "142077"\n  name: "茅ケ崎市"'), [  # a valid code: its path checks run too
        d(5, 9, "path-code", "ファイル名の団体コード 222208 と municipality.code の 142077 が一致しません",
          "ファイル名を 142077-okuyami-one-stop.md にするか、団体コードを確かめてください"),
        d(5, 9, "path-prefecture", "神奈川県茅ヶ崎市 の事例は cases/kanagawa/ に置いてください（今は cases/shizuoka/）",
          "cases/kanagawa/222208-okuyami-one-stop.md"),
        d(6, 9, "name-variant", "団体名「茅ケ崎市」は正式な表記で書いてください", '"茅ヶ崎市"'),
    ], id="name-variant"),
    pytest.param(mutate('  - code: "222151"\n    name: "静岡県御殿場市"', '  - code: "142077"\n    name: "茅ケ崎市"'), [
        d(9, 11, "name-variant", "団体名「茅ケ崎市」は正式な表記で書いてください", '"茅ヶ崎市"'),
    ], id="name-variant-partner"),
    pytest.param(mutate('name: "裾野市"', 'name: "府中市"'), [
        d(6, 9, "name-mismatch", "団体名「府中市」が団体コード 222208 と一致しません",
          "「府中市」は 東京都府中市（\"132063\"）、広島県府中市（\"342084\"） です。団体コード 222208 は 静岡県裾野市 です"),
    ], id="name-mismatch-ambiguous"),
    pytest.param(mutate('name: "裾野市"', 'name: "すその市"'), [
        d(6, 9, "name-mismatch", "団体名「すその市」が団体コード 222208 と一致しません",
          "団体コード 222208 の団体は 裾野市（静岡県裾野市） です"),
    ], id="name-mismatch-unknown-name"),
    pytest.param(mutate(MUNICIPALITY, 'code: "222038"\n  name: "沼津市"'), [
        d(5, 9, "path-code", "ファイル名の団体コード 222208 と municipality.code の 222038 が一致しません",
          "ファイル名を 222038-okuyami-one-stop.md にするか、団体コードを確かめてください"),
    ], id="path-code"),

    # ---- references between cases ------------------------------------------------------------
    pytest.param(mutate('related:\n  - "142077-kakanai-madoguchi"', 'related:\n  - "222208-okuyami-one-stop"'), [
        d(58, 5, "ref-self", "related に自分自身（222208-okuyami-one-stop）は書けません"),
    ], id="ref-self"),
    pytest.param(mutate('related:\n  - "142077-kakanai-madoguchi"', 'related:\n  - "142077-kakanai-madoguch"'), [
        d(58, 5, "ref-unknown", "related の事例「142077-kakanai-madoguch」が見つかりません", "「142077-kakanai-madoguchi」のことですか？"),
    ], id="ref-unknown"),
    pytest.param(mutate('inspired_by:\n  - "142077-kakanai-madoguchi"', 'inspired_by:\n  - "011002-zzzz"'), [
        d(56, 5, "ref-unknown", "inspired_by の事例「011002-zzzz」が見つかりません", "事例ファイルの名前（.md を除く）を書いてください"),
    ], id="ref-unknown-no-near-id"),

    # ---- body --------------------------------------------------------------------------------
    pytest.param(V + "\n<script>alert(1)</script>\n", [
        d(84, 1, "body-raw-html", "本文に HTML「<script>」は書けません", HTML_BODY_HINT),
        d(84, 17, "body-raw-html", "本文に HTML「</script>」は書けません", HTML_BODY_HINT),
    ], id="body-raw-html"),
    pytest.param(mutate(BODY_LAST, BODY_LAST + "<img src=x onerror=alert(1)>"), [
        d(82, 13, "body-raw-html", "本文に HTML「<img src=x onerror=alert(1)>」は書けません", HTML_BODY_HINT),
    ], id="body-raw-html-img"),
    pytest.param(mutate(BODY_LAST, "<!-- メモ -->"), [
        d(82, 1, "body-raw-html", "本文に HTML「<!-- メモ -->」は書けません", HTML_BODY_HINT),
    ], id="body-raw-html-comment"),
    pytest.param(mutate(f"![業務フロー図]({FLOW_PNG})", f"![]({FLOW_PNG})"), [
        d(70, 15, "body-image-alt", "本文の画像に代わりの文章（alt）がありません",
          "![画像の説明](ファイル名) のように、[ ] の中に画像の内容を書いてください"),
    ], id="body-image-alt"),
    pytest.param(mutate(f"![業務フロー図]({FLOW_PNG})", "![業務フロー図](https://www.example.jp/flow.png)"), [
        d(70, 25, "body-image-external",
          "本文の画像「https://www.example.jp/flow.png」がインターネット上にあります。画像は事例のフォルダに置いてください",
          "画像を 222208-okuyami-one-stop/ フォルダに保存し、![説明](222208-okuyami-one-stop/画像.png) と書きます"),
    ], id="body-image-external"),
    pytest.param(mutate(f"![業務フロー図]({FLOW_PNG})", "![業務フロー図](nothing.png)"), [
        d(70, 25, "body-image-missing", "本文の画像「nothing.png」のファイルがありません", MISSING_FILE_HINT),
    ], id="body-image-missing"),
    pytest.param(mutate(f"![業務フロー図]({FLOW_PNG})", "![業務フロー図](flow.png)"), [
        d(70, 25, "file-path-bare", "本文の画像「flow.png」は古い書き方です。"
          "Markdown ファイルからの相対パス「222208-okuyami-one-stop/flow.png」と書いてください", BARE_HINT,
          severity=WARNING),
    ], id="file-path-bare-body"),
    pytest.param(mutate(BODY_LAST, "[押す](javascript:void)"), [
        d(82, 6, "body-link-scheme",
          "本文のリンク先「javascript:void」は使えません。https:// か http:// の URL、または事例のフォルダのファイルだけです",
          "「javascript:」などのリンクは書けません"),
    ], id="body-link-scheme"),
    pytest.param(mutate(BODY_LAST, "<javascript:alert(1)>"), [
        d(82, 1, "body-link-scheme",
          "本文のリンク先「javascript:alert(1)」は使えません。https:// か http:// の URL、または事例のフォルダのファイルだけです",
          "「javascript:」などのリンクは書けません"),
    ], id="body-link-scheme-autolink"),
    pytest.param(mutate(BODY_LAST, "[押す][a]\n\n[a]: data:text/html;base64,PHNjcmlwdD4="), [
        d(84, 6, "body-link-scheme",
          "本文のリンク先「data:text/html;base64,PHNjcmlwdD4=」は使えません。https:// か http:// の URL、または事例のフォルダのファイルだけです",
          "「javascript:」などのリンクは書けません"),
    ], id="body-link-scheme-reference"),
    pytest.param(mutate(BODY_LAST, "[資料](../other/flow.pdf)"), [
        d(82, 6, "body-link-path", "本文のリンク先「../other/flow.pdf」は事例のフォルダの外を指しています",
          LINK_PATH_HINT),
    ], id="body-link-path"),
    pytest.param(mutate(BODY_LAST, "[資料](222208-okuyami-one-stop/%2E%2E/%2e%2e/etc/passwd)"), [
        d(82, 6, "body-link-path",
          "本文のリンク先「222208-okuyami-one-stop/%2E%2E/%2e%2e/etc/passwd」は事例のフォルダの外を指しています",
          LINK_PATH_HINT),
    ], id="body-link-path-percent-encoded"),
    pytest.param(mutate(BODY_LAST, "[資料](/etc/passwd)"), [
        d(82, 6, "body-link-path", "本文のリンク先「/etc/passwd」は事例のフォルダの外を指しています", LINK_PATH_HINT),
    ], id="body-link-path-absolute"),
    pytest.param(mutate(BODY_LAST, "[資料](nothing.pdf)"), [
        d(82, 6, "body-link-missing", "本文のリンク先「nothing.pdf」のファイルがありません", MISSING_FILE_HINT),
    ], id="body-link-missing"),
    pytest.param(mutate(BODY_LAST, "今後は【要記入】"), [
        d(82, 4, "body-placeholder", "本文に「【要記入】」が残っています", PLACEHOLDER_HINT),
    ], id="body-placeholder"),
    pytest.param(mutate("## 効果\n", "## 成果\n"), [
        d(63, 1, "body-heading-missing", "本文に推奨の見出し「## 効果」がありません",
          "書くことがあれば、この見出しの下に書いてください", severity=WARNING),
    ], id="body-heading-missing"),
    pytest.param(mutate("## 背景・課題\n\n遺族は複数の課を回っていました。\n\n## 取組内容",
                        "## 取組内容\n\n遺族は複数の課を回っていました。\n\n## 背景・課題"), [
        d(63, 1, "body-heading-order", "本文の見出しの順序が推奨と違います",
          "推奨の順序: 背景・課題 → 取組内容 → 効果 → 工夫・苦労した点 → 今後の展開", severity=WARNING),
    ], id="body-heading-order"),
]

# ---- values that used to raise, invisible characters, bodies Markdown cannot render in bounded time ----
ERA_HINT = "。和暦を確かめ、西暦で書いてください"
CONTROL_HINT = "見えない文字です。エディタで該当の位置の文字を消して書き直してください（コピーした文章に紛れ込むことがあります）"
BIDI_HINT = "表示の順序を入れ替えて、文字やリンクを別のものに見せかけることができる文字です。削除してください"
ESCAPED = "（「\\」で始まるエスケープで書かれています）"
BRACKET_HINT = ("リンクでない角かっこは「\\[」のように前に「\\」を付けるか、全角の「［」「］」で書いてください。"
                "長い段落は空行で分けてください")
CASES += [
    pytest.param(mutate('updated: "2026-06-01"', 'updated: "令和9999年1月"'), [
        d(61, 10, "date-era", "updated（最終確認日） に和暦「令和9999年1月」は使えません。西暦で書いてください",
          "令和の年が大きすぎます（西暦 9999 年を超えます）" + ERA_HINT),
    ], id="date-era-beyond-9999"),
    pytest.param(mutate('date: "2023-06"', 'date: "令和0年6月"'), [
        d(21, 11, "date-era", "timeline.date（日付） に和暦「令和0年6月」は使えません。西暦で書いてください",
          "令和は 1 年（元年）から数えます" + ERA_HINT),
    ], id="date-era-year-zero"),
    pytest.param(mutate('date: "2023-06"', 'date: "平成99年1月"'), [
        d(21, 11, "date-era", "timeline.date（日付） に和暦「平成99年1月」は使えません。西暦で書いてください",
          "平成は 31 年（2019 年）までです" + ERA_HINT),
    ], id="date-era-beyond-heisei"),
    pytest.param(mutate('date: "2023-06"', 'date: "R' + "9" * 5000 + '"'), [
        d(21, 11, "date-era", f"timeline.date（日付） に和暦「R{'9' * 5000}」は使えません。西暦で書いてください",
          "令和の年が大きすぎます（西暦 9999 年を超えます）" + ERA_HINT),
    ], id="date-era-huge-digits"),
    pytest.param(mutate('date: "2023-06"', 'date: "令和' + "0" * 5000 + '5年' + "0" * 5000 + '13月"'), [
        d(21, 11, "date-era", f"timeline.date（日付） に和暦「令和{'0' * 5000}5年{'0' * 5000}13月」は使えません。西暦で書いてください",
          "西暦では 2023 年です。月と日を確かめてください"),
    ], id="date-era-thousands-of-leading-zeros"),
    pytest.param(mutate('date: "2023-06"', 'date: "令和5年13月"'), [
        d(21, 11, "date-era", "timeline.date（日付） に和暦「令和5年13月」は使えません。西暦で書いてください",
          "西暦では 2023 年です。月と日を確かめてください"),
    ], id="date-era-month-13"),
    pytest.param(mutate('date: "2023-06"', 'date: "2023-06-32"'), [
        d(21, 11, "date-invalid", "timeline.date（日付） の「2023-06-32」という日付はありません", "月と日を確かめてください"),
    ], id="date-day-32"),
    pytest.param(mutate('title: "おくやみワンストップ窓口"', "title: " + "[" * 50_000 + "]" * 50_000), [
        d(2, 27, "yaml-nesting", "YAML の入れ子が深すぎます。20 段までです", "「[」「{」や字下げの入れ子を浅くしてください"),
    ], id="yaml-nesting"),
    pytest.param(mutate("count: 49936", "count: " + "9" * 5000), [
        d(11, 10, "range", "population.count（人数） の数が大きすぎます（15 桁まで）", "桁を写し間違えていないか確かめてください"),
    ], id="range-huge-digits"),
    pytest.param(mutate(BODY_LAST, "[資料](https://example.jp/" + "a" * 4100 + ")"), [
        d(82, 6, "body-link-long", "本文のリンク先「https://example.jp/aaaaaaaaaaaaaaaaaaaaa…」が長すぎます（4,119 文字）。"
          "4,096 文字までです", "URL を確かめ、短い URL（トップページや資料のページ）を書いてください"),
    ], id="body-link-long"),
    pytest.param(mutate(BODY_LAST, "[資料](" + "a" * 300 + ".pdf)"), [
        d(82, 6, "body-link-missing", f"本文のリンク先「{'a' * 300}.pdf」のファイルがありません", MISSING_FILE_HINT),
    ], id="body-link-name-too-long-for-the-system"),
    pytest.param(mutate('title: "おくやみワンストップ窓口"', 'title: "おくやみ\x01窓口"'), [
        d(2, 13, "control-character", "制御文字 U+0001 が含まれています。削除してください", CONTROL_HINT),
    ], id="control-character"),
    pytest.param(mutate('title: "おくやみワンストップ窓口"', 'title: "おくやみ\\u0000窓口"'), [
        d(2, 8, "control-character", f"値に制御文字 U+0000 が含まれています{ESCAPED}。削除してください", CONTROL_HINT),
    ], id="control-character-escaped-nul"),
    pytest.param(mutate('title: "おくやみワンストップ窓口"', 'title: "おくやみ\\uFFFE窓口"'), [
        d(2, 8, "control-character", f"値に文字として使えない非文字 U+FFFE が含まれています{ESCAPED}。削除してください",
          CONTROL_HINT),
    ], id="control-character-noncharacter"),
    pytest.param(mutate('  - "おくやみ"', '  - "おくやみ\u202e"'), [
        d(17, 10, "control-character", "文字の向きを変える制御文字 U+202E が含まれています。削除してください", BIDI_HINT),
    ], id="control-character-bidi-override"),
    pytest.param(mutate(BODY_LAST, "他の\x85手続き\x7fに\u2066広げます。"), [
        d(82, 3, "control-character", "制御文字 U+0085 が含まれています。削除してください", CONTROL_HINT),
        d(82, 7, "control-character", "制御文字 U+007F が含まれています。削除してください", CONTROL_HINT),
        d(82, 9, "control-character", "文字の向きを変える制御文字 U+2066 が含まれています。削除してください", BIDI_HINT),
    ], id="control-character-body"),
    pytest.param(mutate(BODY_LAST, "- " * 600 + "x"), [
        d(82, 1, "body-nesting", "本文の箇条書きや引用（>）の入れ子が深すぎます（600 段）。10 段までです",
          "入れ子を浅くするか、行頭の空白（字下げ）を減らしてください"),
    ], id="body-nesting"),
    pytest.param(mutate(BODY_LAST, "> " * 11 + "x\n\n" + "\n".join("    " * i + "- x" for i in range(12))), [
        d(82, 1, "body-nesting", "本文の箇条書きや引用（>）の入れ子が深すぎます（11 段）。10 段までです",
          "入れ子を浅くするか、行頭の空白（字下げ）を減らしてください"),
    ], id="body-nesting-quotes"),
    pytest.param(mutate(BODY_LAST, "[^" * 15000), [
        d(82, 1, "body-brackets", "本文の角かっこ「[」が多すぎて、ページへの変換に時間がかかりすぎます"
          "（この段落に、対応する「]」のない「[」が 15,000 個あります）", BRACKET_HINT),
    ], id="body-brackets"),
    pytest.param(mutate(BODY_LAST, "前置き\n\n" + "[" * 800 + "]" * 800), [
        d(84, 1, "body-brackets", "本文の角かっこ「[」が多すぎて、ページへの変換に時間がかかりすぎます"
          "（入れ子の角かっこや、「)」で閉じていない「](」があります）", BRACKET_HINT),
    ], id="body-brackets-nested"),
    pytest.param(mutate(BODY_LAST, "# 見出し\n" * 301), [
        d(82, 1, "body-block-lines", "本文の、空行を挟まずに続く行が多すぎます（301 行）。300 行までです",
          "段落、見出し、表の間に空行を入れて分けてください（大きな表は 300 行ごとに分けます）"),
    ], id="body-block-lines"),
    pytest.param(mutate(BODY_LAST, "あ" * 50_001), [
        d(63, 1, "body-too-long", f"本文が長すぎます（{len(V[V.index(chr(10) + '---' + chr(10)) + 5:]) + 50_001 - len(BODY_LAST):,} 文字）。"
          "50,000 文字までです", "詳しい資料は PDF などにして事例のフォルダに置き、本文からリンクしてください"),
    ], id="body-too-long"),
]


@pytest.mark.parametrize("content, expected", CASES)
def test_rule(root, content, expected):
    assert root.check_case(content).diagnostics == expected


@pytest.mark.parametrize("body", [
    "```\n<script>alert(1)</script>\n[x](javascript:alert(1))\n```",
    "`<script>` と `[x](javascript:alert(1))` はコードです",
    "[資料](222208-okuyami-one-stop/flow.pdf) [上へ](#top) <https://www.example.jp/> <kaikaku@city.example.lg.jp>",
    "[資料](./222208-okuyami-one-stop/flow.pdf#page=2) [資料](222208-okuyami-one-stop/flow%2Epdf)",
])
def test_body_allowed_forms(root, body):
    assert root.check_case(mutate(BODY_LAST, body)).diagnostics == []


def test_warnings_alone_keep_the_case(root):
    result = root.check_case(mutate('    event: "取組に着手"', "    event: yes"))
    assert result.ok
    assert [c.data["timeline"][0]["event"] for c in result.cases] == ["yes"]


def test_all_problems_of_one_file_reported_together(root):
    text = mutate("status: 運用中", "status: 運用", mutate("055-995-1804", "090-1234-5678"))
    text = mutate(BODY_LAST, "<b>x", text)
    assert [(x.line, x.rule) for x in root.check_case(text).diagnostics] == [
        (19, "invalid-choice"), (45, "phone-mobile"), (82, "body-raw-html")]


# --------------------------------------------------------------------------------------------
# Rules that need more than a changed file content: where the file lives, other files.

def test_file_unreadable(root):
    target = root.path / VALID_PATH
    target.unlink()
    target.mkdir()
    assert root.check(VALID_PATH).diagnostics == [
        d(1, 1, "file-unreadable", "ファイルを読めません: Is a directory")]


def test_path_layout_too_deep(root):
    relative = "shizuoka/sub/222208-okuyami-one-stop.md"
    (root.path / VALID_PATH).unlink()
    place(root, relative, V)
    assert root.check(relative).diagnostics == [
        d(1, 1, "path-layout", "事例ファイルの場所が正しくありません",
          "cases/<都道府県のローマ字>/<団体コード>-<名前>.md に置いてください", file=relative)]


def test_path_layout_not_markdown(root):
    relative = "shizuoka/222208-okuyami-one-stop.txt"
    root.write(relative, V)  # the assets folder of the .md case serves it too
    assert root.check(relative).diagnostics == [
        d(1, 1, "path-layout", "事例ファイルの場所が正しくありません",
          "cases/<都道府県のローマ字>/<団体コード>-<名前>.md に置いてください", file=relative)]


@pytest.fixture
def nested_root(tmp_path):
    (tmp_path / "cases").mkdir()
    return CasesRoot(tmp_path / "cases")


def test_path_layout_outside(nested_root):
    outside = nested_root.path.parent / "elsewhere" / "shizuoka" / "222208-okuyami-one-stop.md"
    outside.parent.mkdir(parents=True)
    outside.write_text(V, encoding="utf-8")
    shutil.copytree(nested_root.path / ASSETS, outside.with_suffix(""))
    result = nested_root.check("../elsewhere/shizuoka/222208-okuyami-one-stop.md")
    assert result.diagnostics == [
        d(1, 1, "path-layout", f"事例ファイルは事例フォルダ {nested_root.path} の中に置いてください",
          "cases/<都道府県>/<団体コード>-<名前>.md",
          file=str(outside))]


@pytest.mark.parametrize("name", ["okuyami.md", "222208-Okuyami.md", "222208-ab.md", "22220-okuyami.md"])
def test_path_name(root, name):
    relative = f"shizuoka/{name}"
    place(root, relative, V)
    assert root.check(relative).diagnostics == [
        d(1, 1, "path-name", f"ファイル名「{name}」が「<団体コード6桁>-<名前>.md」の形になっていません",
          "名前は半角の小文字英字・数字・ハイフンで 3〜60 文字（例: 222208-okuyami-one-stop.md）", file=relative)]


@pytest.mark.parametrize("folder, hint", [
    ("sizuoka", "「shizuoka」のことですか？"),
    ("drafts", "例: hokkaido, tokyo, shizuoka"),
])
def test_path_prefecture_folder_is_not_a_prefecture(root, folder, hint):
    relative = f"{folder}/222208-okuyami-one-stop.md"
    (root.path / VALID_PATH).unlink()
    place(root, relative, V)
    assert root.check(relative).diagnostics == [
        d(1, 1, "path-prefecture", f"フォルダ名「{folder}」は都道府県のローマ字名ではありません", hint, file=relative)]


def test_path_prefecture_case_in_wrong_prefecture(root):
    relative = "shizuoka/142077-okuyami-one-stop.md"
    place(root, relative, mutate(MUNICIPALITY, 'code: "142077"\n  name: "茅ヶ崎市"'))
    assert root.check(relative).diagnostics == [
        d(5, 9, "path-prefecture", "神奈川県茅ヶ崎市 の事例は cases/kanagawa/ に置いてください（今は cases/shizuoka/）",
          "cases/kanagawa/142077-okuyami-one-stop.md", file=relative)]


def test_id_duplicate(root):
    place(root, "kanagawa/222208-okuyami-one-stop.md", V)
    assert root.check(VALID_PATH).diagnostics == [
        d(1, 1, "id-duplicate",
          "事例 ID「222208-okuyami-one-stop」が他のファイル（kanagawa/222208-okuyami-one-stop.md）と重なっています",
          "事例 ID はファイル名です。名前の部分を変えて重ならないようにしてください")]


def test_id_duplicate_reported_on_both_files(root):
    place(root, "kanagawa/222208-okuyami-one-stop.md", V)
    assert [(x.file, x.rule) for x in root.check().diagnostics if x.rule == "id-duplicate"] == [
        ("kanagawa/222208-okuyami-one-stop.md", "id-duplicate"), (VALID_PATH, "id-duplicate")]


CYCLE_HINT = ("inspired_by には、この事例より前に行われ、この事例が参考にした事例だけを書いてください。"
              "互いに参考にしたときは related に書きます")
OTHER_ID, VALID_ID = "142077-kakanai-madoguchi", "222208-okuyami-one-stop"


def _inspired_by(*ids: str) -> str:
    """The other fixture case, learning from ``ids``."""
    text = (FIXTURES / "other-case.md").read_text(encoding="utf-8")
    items = "".join(f'  - "{i}"\n' for i in ids)
    return text.replace("sources:\n", f"inspired_by:\n{items}sources:\n", 1)


def test_inspired_cycle_of_two_warns_on_both(root):
    root.write(OTHER_PATH, _inspired_by(VALID_ID))
    result = root.check()
    loop_other = f"{OTHER_ID} → {VALID_ID} → {OTHER_ID}"
    loop_valid = f"{VALID_ID} → {OTHER_ID} → {VALID_ID}"
    assert [x for x in result.diagnostics if x.rule == "inspired-cycle"] == [
        d(19, 5, "inspired-cycle", f"inspired_by（参考にした事例） の「{VALID_ID}」から参考にした事例をたどると、"
          f"この事例に戻ります（{loop_other}）", CYCLE_HINT, WARNING, file=OTHER_PATH),
        d(56, 5, "inspired-cycle", f"inspired_by（参考にした事例） の「{OTHER_ID}」から参考にした事例をたどると、"
          f"この事例に戻ります（{loop_valid}）", CYCLE_HINT, WARNING),
    ]
    assert len(result.cases) == 2  # a warning: both are still published


def test_inspired_cycle_of_three_names_the_whole_loop(root):
    third = "kanagawa/141305-okuyami-corner.md"
    root.write(third, _inspired_by(OTHER_ID).replace('code: "142077"', 'code: "141305"')
               .replace('name: "茅ヶ崎市"', 'name: "川崎市"'))
    root.write(OTHER_PATH, _inspired_by(VALID_ID))
    root.write(VALID_PATH, mutate('inspired_by:\n  - "142077-kakanai-madoguchi"',
                                  'inspired_by:\n  - "141305-okuyami-corner"'))
    found = [(x.file, x.message) for x in root.check().diagnostics if x.rule == "inspired-cycle"]
    assert found == [
        (third, f"inspired_by（参考にした事例） の「{OTHER_ID}」から参考にした事例をたどると、この事例に戻ります"
                f"（141305-okuyami-corner → {OTHER_ID} → {VALID_ID} → 141305-okuyami-corner）"),
        (OTHER_PATH, f"inspired_by（参考にした事例） の「{VALID_ID}」から参考にした事例をたどると、この事例に戻ります"
                     f"（{OTHER_ID} → {VALID_ID} → 141305-okuyami-corner → {OTHER_ID}）"),
        (VALID_PATH, "inspired_by（参考にした事例） の「141305-okuyami-corner」から参考にした事例をたどると、"
                     f"この事例に戻ります（{VALID_ID} → 141305-okuyami-corner → {OTHER_ID} → {VALID_ID}）"),
    ]


def test_inspired_chain_without_a_loop_is_quiet(root):
    third = "kanagawa/141305-okuyami-corner.md"
    root.write(third, _inspired_by(OTHER_ID).replace('code: "142077"', 'code: "141305"')
               .replace('name: "茅ヶ崎市"', 'name: "川崎市"'))
    result = root.check()
    assert [x for x in result.diagnostics if x.rule == "inspired-cycle"] == []
    assert not any(x.is_error for x in result.diagnostics)


# ---- the vocabulary cases/areas.yml --------------------------------------------------------

AREAS_TEXT = (REPO / "cases" / "areas.yml").read_text(encoding="utf-8")
AREAS_LINES = AREAS_TEXT.count("\n")  # the next appended line is AREAS_LINES + 1


def test_vocabulary_missing(root):
    (root.path / "areas.yml").unlink()
    assert root.check(VALID_PATH).diagnostics == [
        d(1, 1, "vocabulary-missing", f"分野の一覧 areas.yml が事例フォルダ {root.path} にありません",
          "areas.yml を事例フォルダの直下に置いてください", file="areas.yml"),
    ]


def test_vocabulary_empty_list(root):
    root.write("areas.yml", "[]\n")
    assert root.check(VALID_PATH).diagnostics == [
        d(1, 1, "vocabulary-format", "areas.yml に分野が 1 つもありません",
          "「- name: 分野名」と「  slug: 英字名」の組を書いてください", file="areas.yml")]


def test_vocabulary_format_not_a_list(root):
    root.write("areas.yml", "窓口・手続: madoguchi\n")
    assert root.check(VALID_PATH).diagnostics == [
        d(1, 1, "vocabulary-format",
          "areas.yml は「- name: 分野名」と「  slug: 英字名」の組を並べたリストで書いてください", file="areas.yml"),
    ]


PAIR = "分野は「- name: 分野名」と「  slug: 英字名」の 2 行で書いてください"
N = AREAS_LINES + 1  # first appended line


@pytest.mark.parametrize("extra, expected", [
    pytest.param("- name: 窓口・手続\n  slug: madoguchi-2\n",
                 [(N, 9, "分野「窓口・手続」が 2 回書かれています", None)], id="duplicate-name"),
    pytest.param("- name: ＳＮＳ\n  slug: sns\n- name: SNS\n  slug: sns-2\n",
                 [(N + 2, 9, "分野「SNS」が 2 回書かれています", None)], id="duplicate-name-nfkc"),
    pytest.param("- name: 宇宙\n  slug: sonota\n",
                 [(N + 1, 9, "slug「sonota」が 2 回使われています", "分野ごとに別の slug にしてください")],
                 id="duplicate-slug"),
    pytest.param("- name: 宇宙\n  slug: Uchu\n",
                 [(N + 1, 9, "分野「宇宙」の slug「Uchu」は使えません", "半角の小文字英字・数字・ハイフンで 2〜40 文字にしてください")],
                 id="bad-slug"),
    pytest.param("- 宇宙\n", [(N, 3, PAIR, None)], id="plain-word"),
    pytest.param("- name: 宇宙\n", [(N, 3, PAIR, None)], id="no-slug"),
    pytest.param('- name: ""\n  slug: uchu\n', [(N, 3, PAIR, None)], id="empty-name"),
    pytest.param("- name: 宇宙\n  slug: uchu\n  note: x\n", [(N, 3, PAIR, None)], id="extra-key"),
])
def test_vocabulary_format_items(root, extra, expected):
    root.write("areas.yml", AREAS_TEXT + extra)
    assert root.check(VALID_PATH).diagnostics == [
        d(line, column, "vocabulary-format", message, hint, file="areas.yml")
        for line, column, message, hint in expected]


def test_vocabulary_extension_is_usable(root):
    root.write("areas.yml", AREAS_TEXT + "- name: 宇宙\n  slug: uchu\n")
    result = root.check_case(mutate("  - 窓口・手続", "  - 宇宙"))
    assert result.diagnostics == []
    assert result.cases[0].data["areas"] == ["おくやみ・死亡手続", "宇宙"]


def test_vocabulary_encoding(root):
    root.write("areas.yml", AREAS_TEXT.encode("cp932"))
    assert root.check(VALID_PATH).diagnostics == [
        d(1, 1, "encoding", "areas.yml を UTF-8 として読めません", "UTF-8 で保存し直してください", file="areas.yml"),
    ]


def test_vocabulary_second_document(root):
    root.write("areas.yml", AREAS_TEXT + "---\n- name: 宇宙\n  slug: uchu\n")
    assert root.check(VALID_PATH).diagnostics == [
        d(AREAS_LINES + 1, 1, "yaml-syntax", "「---」で区切られた 2 つ目の文書は書けません", file="areas.yml"),
    ]


# --------------------------------------------------------------------------------------------
# Every rule code in generator/ has a test above.

SPECIAL_TESTS = {"inspired-cycle", "file-unreadable", "path-layout", "path-name", "path-prefecture", "id-duplicate",
                 "vocabulary-missing", "vocabulary-format", "encoding", "yaml-syntax",
                 # case folders and links (tests/test_case_files.py)
                 "asset-link", "asset-special", "asset-nested", "asset-name", "asset-name-clash", "asset-kind",
                 "asset-too-large", "asset-unreadable", "asset-content", "asset-folder-too-large",
                 "folder-unreadable", "path-link", "path-special",
                 # the search synonyms file (tests/test_search_query.py)
                 "synonyms-format", "synonyms-empty-word", "synonyms-space", "synonyms-duplicate",
                 "synonyms-empty-group", "synonyms-single"}


_RULE_PATTERNS = [
    r'\.(?:error|warning)\(\s*"([a-z][a-z-]*)"',                 # report.error("rule", ...)
    r'\.at\((?:[^,]|\([^)]*\))*?,\s*"([a-z][a-z-]*)"',           # report.at(node, "rule", ...)
    r'(?:on_problem|YamlProblem)\(\s*"([a-z][a-z-]*)"',           # YAML reader
    r'return\s*\(\s*"([a-z][a-z-]*)"\s*,',                        # body: (rule, message, hint)
    r'rule\s*=\s*"([a-z][a-z-]*)"',                                # rule = "a" if ... else "b"
    r'\belse\s+"([a-z]+-[a-z-]+)"',
    r'Problem\((?:[^,()]|\([^)]*\))*,\s*"([a-z][a-z-]*)"',       # case folders: Problem(name, "rule", ...)
    r'Problem\(\s*"([a-z][a-z-]*)"',                                 # renderable: Problem("rule", ...)
]


def _rule_codes_in_generator() -> set[str]:
    codes: set[str] = set()
    for path in (REPO / "generator").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for pattern in _RULE_PATTERNS:
            codes |= set(re.findall(pattern, source))
    return codes


def test_every_rule_code_has_a_test():
    in_generator = _rule_codes_in_generator()
    assert {"required", "empty", "type", "range", "placeholder", "encoding", "yaml-tab"} <= in_generator
    assert len(in_generator) >= 60
    covered = {x.rule for p in CASES for x in p.values[1]} | SPECIAL_TESTS
    assert sorted(in_generator - covered) == []


# --------------------------------------------------------------------------------------------
# Bugs found and fixed: each asserts the correct behaviour.

def test_bug_raw_html_tag_split_across_lines(root):
    result = root.check_case(mutate(BODY_LAST, "<img\nsrc=x onerror=alert(1)>"))
    assert [(x.line, x.severity, x.rule) for x in result.diagnostics] == [(82, ERROR, "body-raw-html")]


def test_bug_link_destination_on_next_line(root):
    result = root.check_case(mutate(BODY_LAST, "[押す](\njavascript:alert(1))"))
    assert [x.rule for x in result.diagnostics] == ["body-link-scheme"]


def test_bug_reference_definition_url_on_next_line(root):
    result = root.check_case(mutate(BODY_LAST, "[押す][a]\n\n[a]:\n  javascript:alert(1)"))
    assert [x.rule for x in result.diagnostics] == ["body-link-scheme"]


def test_bug_link_target_with_parentheses_quoted_in_full(root):
    result = root.check_case(mutate(BODY_LAST, "[押す](javascript:alert(1))"))
    assert result.diagnostics == [
        d(82, 6, "body-link-scheme",
          "本文のリンク先「javascript:alert(1)」は使えません。https:// か http:// の URL、または事例のフォルダのファイルだけです",
          "「javascript:」などのリンクは書けません")]


def test_bug_indented_code_block_is_code(root):
    result = root.check_case(mutate(BODY_LAST, BODY_LAST + "\n\n    <script>alert(1)</script>"))
    assert result.diagnostics == []


def test_bug_record_level_checks_run_beside_field_errors(root):
    text = mutate("055-995-1804", "090-1234-5678")
    text = mutate('updated: "2026-06-01"', 'updated: "2027-01-01"', text)
    text = mutate("date: 2023-12-01", 'date: "2023-01"', text)
    text = mutate('related:\n  - "142077-kakanai-madoguchi"', 'related:\n  - "142077-kakanai-madoguch"', text)
    assert [(x.line, x.rule) for x in root.check_case(text).diagnostics] == [
        (24, "timeline-order"), (45, "phone-mobile"), (58, "ref-unknown"), (61, "date-future")]


@pytest.mark.parametrize("quote_line", ['status: 運用中  # "メモ', "status: '5\" の画面'"])
def test_bug_syntax_error_blamed_on_unrelated_quote(root, quote_line):
    text = mutate("status: 運用中", quote_line + "\nfoo: a: b")
    assert root.check_case(text).diagnostics == [
        d(20, 7, "yaml-syntax",
          "ここに「: 」は書けません。値の中に「: 」があるときは、値全体を引用符（\"）で囲んでください",
          "YAML の解析結果: mapping values are not allowed in this context")]


def test_bug_alias_gives_one_diagnostic(root):
    result = root.check_case(mutate("  - ワンストップ", "  - *a"))
    assert result.diagnostics == [
        d(18, 5, "yaml-anchor", "エイリアス「*a」は使えません", "参照せずに、値をそのまま書いてください")]


def test_bug_tags_are_nfkc_normalised(root):
    result = root.check_case(mutate("  - ワンストップ", "  - ＤＸ"))
    assert result.diagnostics == []
    assert result.cases[0].data["tags"] == ["おくやみ", "DX"]


@pytest.mark.parametrize("era, western", [("R5.12", "2023-12"), ("令和5.12.1", "2023-12-01"), ("H30.4", "2018-04")])
def test_bug_abbreviated_era_with_dots(root, era, western):
    result = root.check_case(mutate('date: "2023-06"', f'date: "{era}"'))
    assert result.diagnostics == [
        d(21, 11, "date-era", f"timeline.date（日付） に和暦「{era}」は使えません。西暦で書いてください", f'"{western}"')]


def test_bug_tag_repeated_after_normalisation_is_dropped(root):
    result = root.check_case(mutate("  - ワンストップ", "  - \"おくやみ　\""))
    assert result.diagnostics == [
        d(18, 5, "tag-duplicate", "tags（タグ） に「おくやみ」が 2 回あります",
          "17 行目と同じです（全角と半角、前後の空白の違いは区別しません）。1 つにまとめてください", severity=WARNING)]
    assert result.ok and result.cases[0].data["tags"] == ["おくやみ"]


def test_bug_alias_as_key_gives_one_diagnostic(root):
    result = root.check_case(mutate("status: 運用中", "status: 運用中\n*a : 1"))
    assert result.diagnostics == [
        d(20, 1, "yaml-anchor", "エイリアス「*a」は使えません", "参照せずに、値をそのまま書いてください")]


def test_bug_vocabulary_missing_gives_no_area_unknown(root):
    """The vocabulary's own error explains; an empty 「使える分野: 」 hint on every case does not."""
    (root.path / "areas.yml").unlink()
    assert [(x.file, x.rule) for x in root.check(VALID_PATH).diagnostics] == [("areas.yml", "vocabulary-missing")]


def test_bug_url_scheme_in_capitals_is_accepted(root):
    result = root.check_case(mutate('url: "https://www.city.example.lg.jp/kaikaku/"',
                                    'url: "HTTPS://www.city.example.lg.jp/kaikaku/"'))
    assert result.diagnostics == []
    assert result.cases[0].data["contacts"][0]["url"] == "HTTPS://www.city.example.lg.jp/kaikaku/"


TIMELINE_END = '  - date: 2023-12-01\n    event: "おくやみコーナーを開設"\n    milestone: 開始'


def test_bug_timeline_order_against_the_latest_date(root):
    """2023-06, 2023, 2023-01: the last is before the first, though not before the one just before it."""
    text = mutate(TIMELINE_END, '  - date: "2023"\n    event: "予算化"\n  - date: "2023-01"\n    event: "開設"')
    assert root.check_case(text).diagnostics == [
        d(26, 11, "timeline-order", "timeline の日付が古い順になっていません（2023-01 が 2023-06 の後にあります）",
          "timeline は日付の古い順に並べてください")]


def test_bug_timeline_order_skips_an_invalid_date(root):
    text = mutate(TIMELINE_END, '  - date: "そのうち"\n    event: "予算化"\n  - date: "2023-01"\n    event: "開設"')
    assert [(x.line, x.rule) for x in root.check_case(text).diagnostics] == [
        (24, "date-format"), (26, "timeline-order")]


def test_bug_references_checked_beside_field_errors(root):
    text = mutate("status: 運用中", "status: 運用")
    text = mutate('related:\n  - "142077-kakanai-madoguchi"', 'related:\n  - "222208-okuyami-one-stop"', text)
    assert [(x.line, x.rule) for x in root.check_case(text).diagnostics] == [(19, "invalid-choice"), (58, "ref-self")]


@pytest.mark.parametrize("body, expected", [
    pytest.param("- 項目\n\n    <b>続き</b>", [(84, 5, "body-raw-html"), (84, 10, "body-raw-html")],
                 id="list-continuation-is-text"),
    pytest.param("段落\n\u3000\n    <b>x</b>", [(84, 5, "body-raw-html"), (84, 9, "body-raw-html")],
                 id="ideographic-space-line-is-not-blank"),
    pytest.param("```\n<b>x</b>", [(83, 1, "body-raw-html"), (83, 5, "body-raw-html")], id="unclosed-fence-is-text"),
    pytest.param("  ```\n<b>x</b>\n  ```", [(83, 1, "body-raw-html"), (83, 5, "body-raw-html")],
                 id="indented-fence-is-text"),
    pytest.param("```\n<b>x</b>\n````", [(83, 1, "body-raw-html"), (83, 5, "body-raw-html")],
                 id="fence-closed-by-another-length-is-text"),
    pytest.param("\\`<b>x</b>\\`", [(82, 3, "body-raw-html"), (82, 7, "body-raw-html")], id="escaped-backticks"),
    pytest.param("`x\n`<b>`", [(83, 2, "body-raw-html")], id="code-span-over-a-line-break-pairs-differently"),
    pytest.param("[a [b] c](javascript:x)", [(82, 11, "body-link-scheme")], id="nested-brackets"),
    pytest.param("[a](<javascript:x>)", [(82, 6, "body-link-scheme")], id="angled-destination-once"),
    pytest.param("[a](&#106;avascript:x)", [(82, 5, "body-link-scheme")], id="character-reference"),
    pytest.param("[a](java\nscript:x)", [(82, 5, "body-link-scheme")], id="line-break-in-scheme"),
    pytest.param("[a](\x01javascript:x)", [(82, 5, "body-link-scheme"), (82, 5, "control-character")],
                 id="leading-control-character"),
    pytest.param("![図](\njavascript:x)", [(83, 1, "body-link-scheme")], id="image-destination-on-next-line"),
    pytest.param("[a](`javascript:x`)", [(82, 5, "body-link-scheme")], id="code-span-in-destination"),
    pytest.param("> ![図](\n> javascript:x)", [(83, 3, "body-link-scheme")], id="destination-on-next-quoted-line"),
    pytest.param("``x` <b> `y`\n===", [(82, 6, "body-raw-html")], id="backtick-left-over-in-a-heading"),
])
def test_bug_body_forms_that_escaped_or_misled(root, body, expected):
    result = root.check_case(mutate(BODY_LAST, body))
    assert [(x.line, x.column, x.rule) for x in result.diagnostics] == expected


@pytest.mark.parametrize("body", [
    "段落\n\n    <b>コード</b>\n\n    [x](javascript:x)",
    "```python\n<b>x</b>\n```  ",
    "~~~\n<b>x</b>\n~~~",
])
def test_bug_code_blocks_are_skipped(root, body):
    assert root.check_case(mutate(BODY_LAST, body)).diagnostics == []


def test_bug_link_scheme_message_quotes_the_target_on_one_line(root):
    result = root.check_case(mutate(BODY_LAST, "[押す](java\nscript:alert(1))"))
    assert result.diagnostics == [
        d(82, 6, "body-link-scheme",
          "本文のリンク先「java script:alert(1)」は使えません。https:// か http:// の URL、または事例のフォルダのファイルだけです",
          "「javascript:」などのリンクは書けません")]


def test_bug_raw_html_over_lines_is_quoted_on_one_line(root):
    result = root.check_case(mutate(BODY_LAST, "<img\nsrc=x onerror=alert(1)>"))
    assert result.diagnostics == [d(82, 1, "body-raw-html", "本文に HTML「<img src=x onerror=alert(1)>」は書けません", HTML_BODY_HINT)]


def test_bug_quote_in_block_scalar_not_blamed(root):
    text = mutate("status: 運用中", 'status: 運用中\nnote: |\n  5" の画面\nfoo: a: b')
    assert root.check_case(text).diagnostics == [
        d(22, 7, "yaml-syntax",
          "ここに「: 」は書けません。値の中に「: 」があるときは、値全体を引用符（\"）で囲んでください",
          "YAML の解析結果: mapping values are not allowed in this context")]


def test_bug_unclosed_quote_after_a_closed_one_is_found(root):
    text = mutate('title: "おくやみワンストップ窓口"', 'title: "おくやみ" # "メモ"\nnote: "ワンストップ')
    assert root.check_case(text).diagnostics == [
        d(3, 7, "yaml-syntax", "引用符（\"）が閉じられていません",
          "値の最後にも \" を書いてください（YAML の解析結果: did not find expected key）")]


def test_era_date_that_converts_to_no_real_date_gets_no_impossible_hint(root):
    text = valid_text().replace('date: "2023-06"', 'date: "令和5年13月"')
    result = root.check_case(text)
    era = [d for d in result.diagnostics if d.rule == "date-era"]
    assert len(era) == 1
    assert era[0].message == "timeline.date（日付） に和暦「令和5年13月」は使えません。西暦で書いてください"
    assert era[0].hint == "西暦では 2023 年です。月と日を確かめてください"
