"""Query understanding in Python: the folding tables, the kanji skeleton, the
splitter and the synonyms file with its diagnostics. The browser twins are
compared with these in tests/test_browser_search.py."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO
from generator.diagnostics import Reporter
from generator.synonyms import load_synonyms
from generator.textnorm import matches, normalize, normalize_kept, particle_bound, segment, skeleton, split_query


@pytest.mark.parametrize("a, b", [
    ("檮原町", "梼原町"), ("龍ケ崎市", "竜ヶ崎市"), ("髙﨑", "高崎"), ("渡邉", "渡辺"), ("齋藤", "斎藤"),
    ("株式会社サンプル", "サンプル"), ("㈱サンプル", "サンプル株式会社"), ("（株）サンプル", "サンプル"),
    ("合同会社ひかり", "ひかり"), ("ＡＩ‐ＯＣＲ", "AI-OCR"), ("葛\U000e0100飾", "葛飾"),
])
def test_spellings_fold_to_one_form(a, b):
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize("a, b", [("高崎", "高橋"), ("竜", "滝"), ("株式", "株式会社"), ("死亡", "志望")])
def test_different_words_stay_apart(a, b):
    assert normalize(a) != normalize(b)


@pytest.mark.parametrize("text, expected", [
    ("申し込み", "申込"), ("申込", "申込"), ("手続き", "手続"), ("問い合わせ", "問合"), ("問合せ", "問合"),
    ("取り組み", "取組"), ("引っ越し", "引越"), ("受け付け", "受付"),
    ("書かない窓口", "書かない窓口"),  # three kana after a kanji are not okurigana
    ("おくやみ", "おくやみ"),
])
def test_kanji_skeleton(text, expected):
    assert skeleton(normalize(text)) == expected


def test_a_query_matches_other_okurigana_but_not_other_words():
    assert matches("申込", "講座の申し込みを受け付けた") == "skeleton"
    assert matches("申し込み", "申込書") == "skeleton"
    assert matches("手続き", "死亡手続の案内") == "skeleton"
    assert matches("申込", "申請の込み具合") is None
    assert matches("手続き", "手続き") == "exact"
    assert matches("き", "手続") is None  # a skeleton of one character says nothing


@pytest.mark.parametrize("piece, bound", [
    ("窓口で", True), ("の手続", True), ("時間を短く", True), ("たくしを", True),
    ("手続き", False), ("子育て", False), ("ちゃっとぼっと", False), ("のりあい", False),
])
def test_a_particle_next_to_a_kanji_splits_a_piece(piece, bound):
    assert particle_bound(piece) is bound


TEXTS = ["ご家族が亡くなった後の手続きを案内する窓口", "乗合タクシーの予約", "問い合わせに答えるチャットボット",
         "窓口の待ち時間を短くした", "申請書の記入が不要"]


def known_in(texts):
    normalised = [normalize(t) for t in texts]
    return lambda piece: any(matches(piece, t) for t in normalised)


@pytest.mark.parametrize("query, expected", [
    ("家族が亡くなったときの手続き", ["家族", "亡くなった", "手続き"]),
    ("乗合タクシーを予約したい", ["乗合", "たくし", "予約"]),  # katakana is a word of its own
    ("ちゃっとぼっとで問い合わせ", ["ちゃっとぼっと", "問い合わせ"]),
    ("窓口で待ち時間を短くしたい", ["窓口", "待ち時間", "短く"]),
    ("申請書に記入しなくていい", ["申請書", "記入"]),
    ("窓口の宇宙", ["窓口", "宇宙"]),  # a word the index lacks stays, so no case is said to have every term
    ("宇宙旅行", ["宇宙旅行"]),          # nothing known: the chunk as typed
])
def test_splitting_by_what_the_index_knows(query, expected):
    assert [t.text for t in split_query(query, known_in(TEXTS))] == [normalize(e) for e in expected]


def test_a_chunk_found_as_typed_stays_whole_and_spaces_split():
    got = split_query("乗合タクシー　予約", known_in(TEXTS))
    assert [(t.text, t.whole) for t in got] == [("乗合", False), ("たくし", False), ("予約", True)]
    got = split_query("待ち時間　予約", known_in(TEXTS))
    assert [(t.text, t.whole) for t in got] == [("待ち時間", True), ("予約", True)]


@pytest.mark.parametrize("query, expected", [
    ("おくやみ窓口", ["おくやみ", "窓口"]),        # found as typed, still split at kana → kanji
    ("窓口アプリ", ["窓口", "あぷり"]),            # katakana after kanji is a word of its own
    ("子育てアプリ", ["子育てあぷり"]),            # kana meeting kana is no boundary
    ("ai窓口", ["ai", "窓口"]),
])
def test_words_of_a_phrase_found_as_typed_are_terms_too(query, expected):
    texts = ["おくやみ窓口と申し込み窓口", "子育てアプリ", "ai窓口の子育て", "窓口アプリ"]
    assert [t.text for t in split_query(query, known_in(texts))] == expected
    # not found as typed: split, but not inside okurigana, and no word starts at み
    assert [t.text for t in split_query("申し込み窓口", known_in(["申し込み、窓口"]))] == ["申し込み", "窓口"]


def test_one_kanji_left_over_by_a_split_is_optional():
    got = split_query("ミライ行政社", known_in(["ミライ行政と会社"]))
    assert [(t.text, t.optional) for t in got] == [("みらい", False), ("行政", False), ("社", True)]
    got = split_query("市町", known_in(["市の", "町で"]))  # nothing else: both asked for
    assert [(t.text, t.optional) for t in got] == [("市", False), ("町", False)]


def test_katakana_after_a_kanji_is_no_okurigana():
    assert skeleton(normalize_kept("手続ナビ")) == "手続なび"
    assert skeleton(normalize_kept("手続き")) == "手続"
    assert matches(normalize_kept("手続ナビ"), normalize_kept("死亡手続の案内")) is None
    assert matches(normalize_kept("手続なび"), normalize_kept("死亡手続の案内")) == "skeleton"  # hiragana: okurigana
    got = split_query("死亡手続ナビ", known_in(["死亡手続の案内", "ナビ"]), [["死亡手続", "おくやみ"]])
    assert [(t.text, t.alternatives) for t in got] == [("死亡手続", ["おくやみ"]), ("なび", [])]
    got = split_query("手続ナビ 手続なび", known_in(["手続なび"]), [["手続", "てつづき"]])
    assert [(t.text, t.alternatives) for t in got] == [("手続", ["てつづき"]), ("なび", []),
                                                       ("手続なび", ["手続", "てつづき"])]  # hiragana: okurigana


def test_synonyms_attach_to_a_term_and_are_known_to_the_splitter():
    groups = [["おくやみ", "お悔やみ", "死亡手続"]]
    got = split_query("死亡手続き", known_in(TEXTS), groups)
    assert got[0].alternatives == ["おくやみ", "お悔やみ"]  # 手続き folds to 手続 (the skeleton)
    got = split_query("おくやみ窓口", known_in(TEXTS), groups)  # おくやみ is in no text, but a synonym
    assert [t.text for t in got] == ["おくやみ", "窓口"]
    assert segment("おくやみ窓口", known_in(TEXTS), ("おくやみ",)) == ["おくやみ", "窓口"]


def write(tmp_path, text):
    (tmp_path / "synonyms.yml").write_text(text, encoding="utf-8")
    report = Reporter("cases/synonyms.yml")
    return load_synonyms(tmp_path, report), report.items


def test_synonyms_file_of_the_repository_is_clean():
    report = Reporter("cases/synonyms.yml")
    groups = load_synonyms(REPO / "cases", report)
    assert report.items == [] and len(groups) >= 10
    assert ["おくやみ", "お悔やみ"] == groups[0][:2]


def test_synonym_groups_are_read(tmp_path):
    groups, problems = write(tmp_path, "# comment\n- [おくやみ, お悔やみ]\n- [Web会議, オンライン会議]\n")
    assert groups == [["おくやみ", "お悔やみ"], ["Web会議", "オンライン会議"]] and problems == []


@pytest.mark.parametrize("text, rule, line, words", [
    ("- []\n", "synonyms-empty-group", 1, "空のグループ"),
    ("- [おくやみ]\n", "synonyms-single", 1, "1 つしかありません"),
    ("- [おくやみ, お悔やみ]\n- [オクヤミ, 死亡手続]\n", "synonyms-duplicate", 2, "1 行目のグループ"),
    ("- [おくやみ, おくやみ]\n", "synonyms-duplicate", 1, "同じグループ"),
    ("- [書かない 窓口, 記入不要]\n", "synonyms-space", 1, "空白"),
    ("- [おくやみ, '']\n", "synonyms-empty-word", 1, "空の語"),
    ("- おくやみ\n", "synonyms-format", 1, "リスト"),
    ("- [おくやみ, [お悔やみ]]\n", "synonyms-format", 1, "語だけ"),
    ("groups: []\n", "synonyms-format", 1, "グループのリスト"),
    ("- [おくやみ, お悔やみ\n", "yaml-syntax", None, ""),
])
def test_synonym_mistakes_are_japanese_diagnostics_with_lines(tmp_path, text, rule, line, words):
    _, problems = write(tmp_path, text)
    assert [p.rule for p in problems] == [rule]
    assert line is None or problems[0].line == line
    assert words in problems[0].message and problems[0].file == "cases/synonyms.yml"


def test_check_fails_on_a_bad_synonyms_file_without_a_traceback(tmp_path):
    import shutil
    shutil.copy(REPO / "cases" / "areas.yml", tmp_path / "areas.yml")
    (tmp_path / "synonyms.yml").write_text("- [おくやみ, お悔やみ]\n- [お悔やみ, 死亡手続]\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "check", str(tmp_path)], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "synonyms.yml:2:" in result.stdout + result.stderr and "Traceback" not in result.stderr
    assert "1 つの語は 1 つのグループにだけ" in result.stdout + result.stderr
