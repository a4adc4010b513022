"""The reading traps of the format doc, each through the real command line.

`python -m generator check <file>` runs as a subprocess from the repository
root against a temporary cases root. Each trap must end with exit code 1, the
`path:line:col: error[rule]: message` line on stdout, and no traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import VALID_PATH, valid_text

REPO = Path(__file__).resolve().parent.parent
V = valid_text()
BODY_LAST = "他の手続きにも広げます。"
HOW_TO_UTF8 = "エディタの「名前を付けて保存」で文字コードに「UTF-8」を選んで保存し直してください"


def mutate(old: str, new: str, text: str = V) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stdout + proc.stderr


def place(root, relative: str, content) -> Path:
    """Write a case at `relative` (replacing the valid one) with the valid case's assets; its
    paths to them (relative to the case file, so they name the folder) follow the new name."""
    (root.path / VALID_PATH).unlink()
    if isinstance(content, str):
        content = content.replace("222208-okuyami-one-stop/", f"{Path(relative).stem}/")
    path = root.write(relative, content)
    target = path.with_suffix("")
    if not target.exists():
        shutil.copytree(root.path / "shizuoka" / "222208-okuyami-one-stop", target)
    return path


HOKKAIDO = mutate('code: "222208"\n  name: "裾野市"', 'code: 012084\n  name: "北見市"')
CHIGASAKI = mutate('code: "222208"\n  name: "裾野市"', 'code: "142077"\n  name: "茅ケ崎市"')
BILLION_LAUGHS = "".join(
    ['lol0: &l0 "lol"\n']
    + [f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10)])
PWNED = "/tmp/jichitai-dx-trap-pwned"
OVERSIZED = V + ("あ" * 350_000)

TRAPS = [
    # id, relative path, content, line, column, rule, message, hint
    pytest.param(VALID_PATH, V.encode("cp932"), 2, 1, "encoding",
                 "ファイルの文字コードが Shift_JIS（CP932） です。UTF-8 で保存してください", HOW_TO_UTF8,
                 id="shift_jis"),
    pytest.param("hokkaido/012084-kitami-madoguchi.md", HOKKAIDO, 5, 9, "code-unquoted",
                 "municipality.code（団体コード） の 012084 を引用符で囲んでください。"
                 "引用符がないと数値 12084 として読まれ、先頭の 0 が消えることがあります",
                 'code: "012084"', id="unquoted-hokkaido-code"),
    pytest.param(VALID_PATH, mutate("status: 運用中", "status: 運用中\nstatus: 終了"), 20, 1, "yaml-duplicate-key",
                 "項目「status」が 2 回書かれています", "19 行目の「status」と 1 つにまとめてください",
                 id="duplicate-key"),
    pytest.param(VALID_PATH, mutate("tags:\n", BILLION_LAUGHS + "tags:\n"), 16, 7, "yaml-anchor",
                 "アンカー「&l0」は使えません", "同じ内容を繰り返すときも、そのまま書いてください",
                 id="alias-bomb"),
    pytest.param(VALID_PATH, mutate("status: 運用中", f'status: !!python/object/apply:os.system ["touch {PWNED}"]'),
                 19, 9, "yaml-tag", "タグ「!!python/object/apply:os.system」は使えません",
                 "タグを消して、値だけを書いてください", id="python-object-tag"),
    pytest.param(VALID_PATH, mutate('  - "おくやみ"', '\t- "おくやみ"'), 17, 1, "yaml-tab",
                 "字下げにタブ文字が使われています。YAML の字下げは半角スペースで書いてください",
                 "タブを半角スペース 2 つに置き換えてください", id="tab-indent"),
    pytest.param(VALID_PATH, mutate('updated: "2026-06-01"\n---\n', 'updated: "2026-06-01"\n\n'), 1, 1,
                 "front-matter-unclosed", "フロントマターが閉じられていません（2 つ目の「---」がありません）",
                 "項目を書き終えた次の行に「---」だけの行を入れてください", id="unclosed-front-matter"),
    pytest.param(VALID_PATH, mutate('"222208"', '"２２２２０８"'), 5, 9, "code-fullwidth",
                 "municipality.code（団体コード） の「２２２２０８」に全角数字が使われています。半角数字で書いてください",
                 'code: "222208"', id="fullwidth-code"),
    pytest.param("kanagawa/142077-okuyami-one-stop.md", CHIGASAKI, 6, 9, "name-variant",
                 "団体名「茅ケ崎市」は正式な表記で書いてください", '"茅ヶ崎市"', id="ke-variant-name"),
    pytest.param(VALID_PATH, mutate('name: "裾野市"', 'name: "府中市"'), 6, 9, "name-mismatch",
                 "団体名「府中市」が団体コード 222208 と一致しません",
                 "「府中市」は 東京都府中市（\"132063\"）、広島県府中市（\"342084\"） です。団体コード 222208 は 静岡県裾野市 です",
                 id="ambiguous-name"),
    pytest.param(VALID_PATH, mutate('date: "2023-06"', 'date: "令和5年12月"'), 21, 11, "date-era",
                 "timeline.date（日付） に和暦「令和5年12月」は使えません。西暦で書いてください", '"2023-12"',
                 id="era-date"),
    pytest.param(VALID_PATH, mutate('date: "2023-06"', 'date: "2023-02-30"'), 21, 11, "date-invalid",
                 "timeline.date（日付） の「2023-02-30」という日付はありません", "月と日を確かめてください",
                 id="impossible-date"),
    pytest.param(VALID_PATH, mutate("summary:", "sumary:"), 3, 1, "unknown-key",
                 "「sumary」という項目はありません", "「summary」のことですか？", id="unknown-key"),
    pytest.param(VALID_PATH, mutate(BODY_LAST, "<script>alert(1)</script>"), 82, 1, "body-raw-html",
                 "本文に HTML「<script>」は書けません",
                 "Markdown の書き方（見出しは ##、リンクは [文字](URL)）を使ってください。「<」を文字として書くときは「&lt;」と書きます",
                 id="xss-body"),
    pytest.param(VALID_PATH, mutate('title: "おくやみワンストップ窓口"', 'title: "<img src=x onerror=alert(1)>"'), 2, 8,
                 "html-in-text", "title（題名） に HTML タグ「<img src=x onerror=alert(1)>」は書けません",
                 "タグを使わずに文章だけを書いてください", id="xss-title"),
    pytest.param(VALID_PATH, mutate('url: "https://www.city.example.lg.jp/kaikaku/"', 'url: "javascript:alert(1)"'),
                 47, 10, "url-scheme",
                 "contacts.url（ウェブページ） に「javascript:」の URL は書けません。https:// か http:// で始まる URL だけです",
                 "ウェブページの URL を書いてください", id="javascript-url"),
    pytest.param(VALID_PATH, mutate("055-995-1804", "090-1234-5678"), 45, 12, "phone-mobile",
                 "contacts.phone（電話） に携帯電話の番号（070/080/090）は書けません",
                 "個人ではなく、部署の代表電話番号を書いてください", id="mobile-phone"),
    pytest.param(VALID_PATH, OVERSIZED, 1, 1, "file-too-large",
                 f"ファイルが大きすぎます（{len(OVERSIZED.encode()):,} バイト）。1 ファイルは 1 MiB（1,048,576 バイト）までです",
                 "画像や資料は事例のフォルダに別ファイルとして置いてください", id="oversized"),
]


@pytest.mark.parametrize("relative, content, line, column, rule, message, hint", TRAPS)
def test_trap(root, relative, content, line, column, rule, message, hint):
    path = place(root, relative, content)
    started = time.monotonic()
    proc = run_cli("check", str(path))
    assert time.monotonic() - started < 30
    no_traceback(proc)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    expected = f"{path}:{line}:{column}: error[{rule}]: {message}"
    assert expected in lines, proc.stdout
    assert lines[lines.index(expected) + 1] == f"    ヒント: {hint}"
    assert proc.stderr.startswith("1 件のファイルを検査: エラー ")


def test_oversized_file_is_not_parsed(root):
    path = place(root, VALID_PATH, OVERSIZED + "\n<script>\n")
    proc = run_cli("check", str(path))
    assert proc.returncode == 1
    assert [line.split(": ")[1] for line in proc.stdout.splitlines() if not line.startswith(" ")] == [
        "error[file-too-large]"]


def test_unquoted_hokkaido_code_never_becomes_5141(root):
    path = place(root, "hokkaido/012084-kitami-madoguchi.md", HOKKAIDO)
    proc = run_cli("check", "--format", "json", str(path))
    assert proc.returncode == 1
    assert "5141" not in proc.stdout
    assert [x["rule"] for x in json.loads(proc.stdout)] == ["code-unquoted"]


def test_python_tag_is_never_executed(root):
    if os.path.exists(PWNED):
        os.remove(PWNED)
    path = place(root, VALID_PATH, mutate("status: 運用中", f'status: !!python/object/apply:os.system ["touch {PWNED}"]'))
    proc = run_cli("check", str(path))
    assert proc.returncode == 1
    assert not os.path.exists(PWNED)


def test_alias_bomb_reports_every_alias_without_expanding(root):
    path = place(root, VALID_PATH, mutate("tags:\n", BILLION_LAUGHS + "tags:\n"))
    started = time.monotonic()
    proc = run_cli("check", "--format", "json", str(path))
    assert time.monotonic() - started < 30
    assert proc.returncode == 1
    found = json.loads(proc.stdout)
    anchors = [x for x in found if x["rule"] == "yaml-anchor"]
    assert len(anchors) == 10 + 9 * 9  # 10 anchors, 81 aliases
    assert sum(x["message"].startswith("エイリアス「*l") for x in anchors) == 81
    assert len(proc.stdout) < 200_000


# ---- output forms ----------------------------------------------------------------------------

XSS_TITLE = mutate('title: "おくやみワンストップ窓口"', 'title: "<script>alert(1)</script>"')


def test_format_json(root):
    path = place(root, VALID_PATH, XSS_TITLE)
    proc = run_cli("check", "--format", "json", str(path))
    no_traceback(proc)
    assert proc.returncode == 1
    found = json.loads(proc.stdout)
    assert isinstance(found, list)
    assert found == [{
        "file": str(path), "line": 2, "column": 8, "severity": "error", "rule": "html-in-text",
        "message": "title（題名） に HTML タグ「<script>」は書けません",
        "hint": "タグを使わずに文章だけを書いてください",
    }]
    assert all(list(x) == ["file", "line", "column", "severity", "rule", "message", "hint"] for x in found)


def test_format_json_is_a_list_even_without_problems(root):
    proc = run_cli("check", "--format", "json", str(root.path))
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == []


def test_format_github(root):
    path = place(root, VALID_PATH, XSS_TITLE)
    proc = run_cli("check", "--format", "github", str(path))
    no_traceback(proc)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        f"::error file={path},line=2,col=8,title=html-in-text::"
        "title（題名） に HTML タグ「<script>」は書けません%0Aヒント: タグを使わずに文章だけを書いてください"]


def test_format_github_warning(root):
    path = place(root, VALID_PATH, mutate("## 効果\n", "## 成果\n"))
    proc = run_cli("check", "--format", "github", str(path))
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [
        f"::warning file={path},line=63,col=1,title=body-heading-missing::"
        "本文に推奨の見出し「## 効果」がありません%0Aヒント: 書くことがあれば、この見出しの下に書いてください"]


def test_all_problems_reported_together_with_summary(root):
    text = mutate("055-995-1804", "090-1234-5678", XSS_TITLE)
    path = place(root, VALID_PATH, text)
    proc = run_cli("check", str(path))
    assert proc.returncode == 1
    assert [line for line in proc.stdout.splitlines() if not line.startswith("    ")] == [
        f"{path}:2:8: error[html-in-text]: title（題名） に HTML タグ「<script>」は書けません",
        f"{path}:45:12: error[phone-mobile]: contacts.phone（電話） に携帯電話の番号（070/080/090）は書けません",
    ]
    assert proc.stderr.strip() == "1 件のファイルを検査: エラー 2 件、警告 0 件"


# ---- exit codes ------------------------------------------------------------------------------

def test_exit_0_on_a_valid_root(root):
    proc = run_cli("check", str(root.path))
    no_traceback(proc)
    assert proc.returncode == 0
    assert proc.stdout == ""
    assert proc.stderr.strip() == "2 件のファイルを検査: エラー 0 件、警告 0 件"


def test_exit_0_with_only_warnings(root):
    root.write(VALID_PATH, mutate("## 効果\n", "## 成果\n"))
    proc = run_cli("check", str(root.path))
    no_traceback(proc)
    assert proc.returncode == 0
    path = root.path / VALID_PATH
    assert proc.stdout.splitlines() == [
        f"{path}:63:1: warning[body-heading-missing]: 本文に推奨の見出し「## 効果」がありません",
        "    ヒント: 書くことがあれば、この見出しの下に書いてください",
    ]
    assert proc.stderr.strip() == "2 件のファイルを検査: エラー 0 件、警告 1 件"


def test_exit_1_for_a_prefecture_folder(root):
    root.write(VALID_PATH, XSS_TITLE)
    proc = run_cli("check", str(root.path / "shizuoka"))
    assert proc.returncode == 1
    assert f"{root.path / VALID_PATH}:2:8: error[html-in-text]:" in proc.stdout
    assert proc.stderr.strip() == "1 件のファイルを検査: エラー 1 件、警告 0 件"


def test_exit_2_for_a_nonexistent_path(root):
    missing = root.path / "nowhere"
    proc = run_cli("check", str(missing))
    no_traceback(proc)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert f"パスがありません / no such path: {missing}" in proc.stderr


def test_exit_2_for_a_bad_format(root):
    proc = run_cli("check", "--format", "xml", str(root.path))
    no_traceback(proc)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "使い方の誤り / usage error" in proc.stderr
    assert "invalid choice: 'xml'" in proc.stderr


def test_exit_2_without_a_command():
    proc = run_cli()
    no_traceback(proc)
    assert proc.returncode == 2
    assert "check" in proc.stderr and "new" in proc.stderr
