"""`python -m generator new`: a scaffold at its proper path that `check` refuses until filled in."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import run_cli

REPO = Path(__file__).resolve().parent.parent
PLACEHOLDER = "【要記入】"




def new(root, municipality: str, *extra: str, slug: str = "test-case", title: str = "テスト"):
    return run_cli("new", "--municipality", municipality, "--slug", slug, "--title", title,
                   "--root", str(root.path), *extra)


def test_new_creates_the_case_at_its_proper_path(root):
    proc = new(root, "裾野市")
    assert proc.returncode == 0, proc.stderr
    path = root.path / "shizuoka" / "222208-test-case.md"
    assert path.is_file()
    assert proc.stdout.splitlines()[0] == f"作成しました: {path}"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    assert 'title: "テスト"' in text
    assert 'municipality:\n  code: "222208"\n  name: "裾野市"\n' in text
    assert f'updated: "{dt.date.today().isoformat()}"' in text
    assert text.count(PLACEHOLDER) == 15  # 14 to fill in, and one in the explaining comment
    assert "「【要記入】」をすべて書き換えると" in text.splitlines()[1]


def test_check_refuses_the_scaffold_with_placeholder_errors(root):
    assert new(root, "裾野市").returncode == 0
    path = root.path / "shizuoka" / "222208-test-case.md"
    proc = run_cli("check", str(path))
    assert proc.returncode == 1
    found = [line for line in proc.stdout.splitlines() if not line.startswith("    ")]
    prefix = f"{path}:"
    assert all(line.startswith(prefix) for line in found)
    rules = [re.search(r"error\[([a-z-]+)\]", line).group(1) for line in found]
    assert rules == ["placeholder"] * 9 + ["body-placeholder"] * 5
    assert f"{path}:5:10: error[placeholder]: summary（概要） が「【要記入】」のままです" in found
    assert f"{path}:18:9: error[placeholder]: status（状況） が「【要記入】」のままです" in found
    assert f"{path}:48:1: error[body-placeholder]: 本文に「【要記入】」が残っています" in found
    assert proc.stdout.count("    ヒント: 内容を書いてから「【要記入】」を消してください") == 14


def test_ambiguous_name_names_both_candidates(root):
    proc = new(root, "府中市")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "エラー: 「府中市」という団体は 2 つあります。--prefecture で都道府県を指定してください",
        "    ヒント: 東京都府中市（--prefecture tokyo）、広島県府中市（--prefecture hiroshima）",
    ]
    assert not (root.path / "tokyo" / "132063-test-case.md").exists()
    assert not (root.path / "hiroshima").exists()


@pytest.mark.parametrize("prefecture, folder, code", [
    ("hiroshima", "hiroshima", "342084"),
    ("広島県", "hiroshima", "342084"),
    ("東京都", "tokyo", "132063"),
])
def test_prefecture_resolves_the_ambiguous_name(root, prefecture, folder, code):
    proc = new(root, "府中市", "--prefecture", prefecture)
    assert proc.returncode == 0, proc.stderr
    path = root.path / folder / f"{code}-test-case.md"
    assert path.is_file()
    text = path.read_text(encoding="utf-8")
    assert f'municipality:\n  code: "{code}"\n  name: "府中市"\n' in text


def test_prefecture_without_that_name(root):
    proc = new(root, "府中市", "--prefecture", "静岡県")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "エラー: 静岡県 に「府中市」はありません",
        "    ヒント: 「府中市」は 東京都府中市、広島県府中市 です",
    ]


def test_ke_variant_is_refused_with_the_official_spelling(root):
    proc = new(root, "茅ケ崎市")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "エラー: 団体名「茅ケ崎市」は正式な表記ではありません",
        "    ヒント: 正式な表記: 神奈川県茅ヶ崎市",
    ]
    assert not (root.path / "kanagawa" / "142077-test-case.md").exists()


def test_unknown_name_is_refused(root):
    proc = new(root, "すその市")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "エラー: 団体名「すその市」は全国地方公共団体コードの一覧にありません",
        "    ヒント: 正式な名前（例: 裾野市、茅ヶ崎市）で書いてください",
    ]


@pytest.mark.parametrize("slug", ["ab", "Test-Case", "test_case", "テスト", "a" * 61])
def test_bad_slug_is_refused(root, slug):
    proc = new(root, "裾野市", slug=slug)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[0] == f"エラー: --slug「{slug}」は使えません"
    assert list((root.path / "shizuoka").glob("222208-*.md")) == [root.path / "shizuoka" / "222208-okuyami-one-stop.md"]


@pytest.mark.parametrize("title", ["   ", "あ" * 61])
def test_bad_title_is_refused(root, title):
    proc = new(root, "裾野市", title=title)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == ["エラー: --title は 1〜60 文字で書いてください"]


def test_existing_file_is_not_overwritten(root):
    assert new(root, "裾野市").returncode == 0
    path = root.path / "shizuoka" / "222208-test-case.md"
    path.write_text("手で書いた内容\n", encoding="utf-8")
    proc = new(root, "裾野市", title="別の題名")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"エラー: {path} はすでにあります",
        "    ヒント: 別の --slug を指定するか、既存のファイルを編集してください",
    ]
    assert path.read_text(encoding="utf-8") == "手で書いた内容\n"


def test_existing_fixture_case_is_not_overwritten(root):
    path = root.path / "shizuoka" / "222208-okuyami-one-stop.md"
    before = path.read_bytes()
    proc = new(root, "裾野市", slug="okuyami-one-stop")
    assert proc.returncode == 1
    assert path.read_bytes() == before


@pytest.mark.parametrize("args, japanese, english", [
    ((), "自治体DX事例集の生成ツール", "Generator of the Japanese local-government DX case catalogue"),
    (("check",), "事例ファイルを検査し、問題をすべて報告します", "Check case files and report every problem"),
    (("new",), "事例ファイルのひな形を正しい場所に作ります", "Write a new case file at its proper path"),
])
def test_help_is_bilingual(args, japanese, english):
    proc = run_cli(*args, "--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("usage: python -m generator")
    assert japanese in proc.stdout
    assert english in proc.stdout


def test_help_lists_the_options():
    assert "--format" in run_cli("check", "--help").stdout
    out = run_cli("new", "--help").stdout
    for option in ("--municipality", "--prefecture", "--slug", "--title", "--root"):
        assert option in out


def test_new_without_required_arguments_is_a_usage_error(root):
    proc = run_cli("new", "--municipality", "裾野市", "--root", str(root.path))
    assert proc.returncode == 2
    assert "使い方の誤り / usage error" in proc.stderr
    assert "--slug" in proc.stderr and "--title" in proc.stderr


FILLED = [  # every placeholder of the template, replaced with a valid value
    ('"【要記入】一覧や検索結果に出る 200 文字以内の説明"', '"テストの事例の概要です。"'),
    ('areas:                 # cases/areas.yml の分野から 1〜3 個\n  - "【要記入】"',
     'areas:\n  - "窓口・手続"'),
    ('status: "【要記入】"', 'status: "運用中"'),
    ('date: "【要記入】"', 'date: "2023-06"'),
    ('event: "【要記入】取組に着手"', 'event: "取組に着手"'),
    ('problems:              # 解決した課題（1 件以上）\n  - "【要記入】"',
     'problems:\n  - "窓口での待ち時間が長かった"'),
    ('department: "【要記入】○○部 ○○課"', 'department: "デジタル部 業務改革課"'),
    ('"【要記入】055-000-0000"', '"055-995-1804"'),
    ('"【要記入】https://"', '"https://www.city.example.lg.jp/"'),
    ("\n【要記入】\n", "\n本文です。\n"),
]


def test_filled_scaffold_passes_check(root):
    assert new(root, "裾野市").returncode == 0
    path = root.path / "shizuoka" / "222208-test-case.md"
    text = path.read_text(encoding="utf-8")
    for old, value in FILLED:
        assert old in text, old
        text = text.replace(old, value)
    assert [line for line in text.splitlines() if PLACEHOLDER in line and not line.startswith("#")] == []
    path.write_text(text, encoding="utf-8")
    proc = run_cli("check", str(path))
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout == ""
    assert proc.stderr.strip() == "1 件のファイルを検査: エラー 0 件、警告 0 件"
    # and the whole root, with the scaffolded case beside the fixtures
    proc = run_cli("check", str(root.path))
    assert proc.returncode == 0, proc.stdout
    assert proc.stderr.strip() == "3 件のファイルを検査: エラー 0 件、警告 0 件"


def test_hokkaido_scaffold_keeps_the_leading_zero(root):
    proc = new(root, "北見市")
    assert proc.returncode == 0, proc.stderr
    path = root.path / "hokkaido" / "012084-test-case.md"
    text = path.read_text(encoding="utf-8")
    assert 'code: "012084"' in text
    proc = run_cli("check", "--format", "json", str(path))
    assert "code-unquoted" not in proc.stdout
    assert "path-" not in proc.stdout
