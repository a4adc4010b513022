"""`python -m generator fix`: the safe fixes, as a diff, written only with --write.

The main test takes tests/fixtures/fix/before.md, a case with each fixable
mistake (and comments, quoting styles and a Markdown hard line break that must
survive), runs `fix --write` and compares the result with
tests/fixtures/fix/after.md byte for byte; the result must pass `check`.
"""

from __future__ import annotations

import codecs

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import FIXTURES, OTHER_PATH, REPO, VALID_PATH, valid_text, run_cli
from generator.fix import fix_text

BEFORE = (FIXTURES / "fix" / "before.md").read_text(encoding="utf-8")
AFTER = (FIXTURES / "fix" / "after.md").read_text(encoding="utf-8")
SAMPLE = "hokkaido/012084-fix-sample.md"
NOTHING_TO_FIX = "件のファイルを確かめました。自動で直せるところはありません。"




def mutate(old: str, new: str, text: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def test_the_fixture_has_each_fixable_mistake(root):
    root.write(SAMPLE, BEFORE)
    rules = sorted({d.rule for d in root.check(SAMPLE).diagnostics})
    assert rules == ["code-fullwidth", "code-unquoted", "date-era", "date-format", "email-format",
                     "phone-format", "url-format"]


def test_fix_write_gives_the_expected_file_that_passes_check(root):
    path = root.write(SAMPLE, BEFORE)
    proc = run_cli("fix", "--write", str(path))
    assert proc.returncode == 0, proc.stderr
    assert path.read_text(encoding="utf-8") == AFTER
    assert proc.stderr.splitlines()[-1] == ("1 件のファイルを書き換えました。make check（python -m generator check）で"
                                            "残りの指摘を確かめてください。")
    proc = run_cli("check", str(path))
    assert proc.returncode == 0, proc.stdout
    assert proc.stderr.strip() == "1 件のファイルを検査: エラー 0 件、警告 0 件"


def test_every_change_is_named_with_its_line(root):
    path = root.write(SAMPLE, BEFORE)
    proc = run_cli("fix", str(path))
    shown = str(path)
    assert proc.stderr.splitlines()[:-1] == [
        f"{shown}:3: 行末の空白を消しました（5 行: 3、33、44、48、51 行目）",
        f"{shown}:6: 団体コード 012084 を引用符で囲みました（引用符がないと数値として読まれます）",
        f"{shown}:9: 団体コード「１４２０７７」の全角数字を半角にしました（\"142077\"）",
        f"{shown}:10: 団体名「茅ケ崎市」を正式な表記「茅ヶ崎市」にしました（団体コード 142077）",
        f"{shown}:11: 団体コード 122246 を引用符で囲みました（引用符がないと数値として読まれます）",
        f"{shown}:12: 団体名「鎌ヶ谷市」を正式な表記「鎌ケ谷市」にしました（団体コード 122246）",
        f"{shown}:15: 和暦の日付「平成31年4月」を西暦の \"2019-04\" にしました",
        f"{shown}:19: timeline（経過）を日付の古い順に並べ替えました",
        f"{shown}:20: 和暦の日付「R5.6」を西暦の \"2023-06\" にしました",
        f"{shown}:27: 和暦の日付「令和元年5月1日」を西暦の \"2019-05-01\" にしました",
        f"{shown}:29: 日付「2016/4」を \"2016-04\" の形にしました",
        f"{shown}:36: 電話番号「０１５７ー２５ー１１２１」の全角文字を半角にしました（0157-25-1121）",
        f"{shown}:37: メールアドレス「ｍａｄｏｇｕｃｈｉ＠city.example.lg.jp」の全角文字を半角にしました"
        "（madoguchi@city.example.lg.jp）",
        f"{shown}:38: URL「ｈｔｔｐｓ：／／www.city.example.lg.jp/madoguchi/」の全角文字を半角にしました"
        "（https://www.city.example.lg.jp/madoguchi/）",
        f"{shown}:41: 日付「２０２６-5-1」を \"2026-05-01\" の形にしました",
    ]


def test_default_shows_a_unified_diff_and_writes_nothing(root):
    path = root.write(SAMPLE, BEFORE)
    before = path.read_bytes()
    proc = run_cli("fix", str(path))
    assert proc.returncode == 1
    assert path.read_bytes() == before
    lines = proc.stdout.splitlines()
    assert lines[0] == f"--- a/{str(path).lstrip('/')}"
    assert lines[1] == f"+++ b/{str(path).lstrip('/')}"
    assert "-  code: 012084          # 北海道の団体は 0 で始まる" in lines
    assert '+  code: "012084"          # 北海道の団体は 0 で始まる' in lines
    assert "-  as_of: 平成31年4月" in lines and '+  as_of: "2019-04"' in lines
    assert proc.stderr.splitlines()[-1] == ("1 件のファイルに自動で直せるところがあります（上の差分）。"
                                            "--write を付けて実行すると書き換えます。")


def test_the_diff_turns_before_into_after(root):
    """The printed diff is exact: applying its hunks to the file gives the fixed file."""
    path = root.write(SAMPLE, BEFORE)
    diff = run_cli("fix", str(path)).stdout.splitlines()[2:]
    result, old = [], BEFORE.split("\n")
    at = 0
    for line in diff:
        if line.startswith("@@"):
            start = int(line.split()[1].split(",")[0][1:]) - 1
            result.extend(old[at:start])
            at = start
        elif line.startswith("-"):
            at += 1
        elif line.startswith("+"):
            result.append(line[1:])
        elif line.startswith(" "):
            result.append(line[1:])
            at += 1
    result.extend(old[at:])
    assert "\n".join(result) == AFTER


def test_a_second_run_finds_nothing(root):
    path = root.write(SAMPLE, BEFORE)
    assert run_cli("fix", "--write", str(path)).returncode == 0
    proc = run_cli("fix", str(path))
    assert proc.returncode == 0
    assert proc.stdout == ""
    assert proc.stderr.strip() == "1 " + NOTHING_TO_FIX


def test_fix_is_idempotent_in_process():
    once, changes, note = fix_text(BEFORE)
    assert once == AFTER and note is None and len(changes) == 15
    assert fix_text(once) == (once, [], None)


def test_fixture_cases_need_no_fix():
    for name in ("valid-case.md", "other-case.md"):
        text = (FIXTURES / name).read_text(encoding="utf-8")
        assert fix_text(text) == (text, [], None), name


@pytest.mark.parametrize("path", sorted((REPO / "cases").glob("*/*.md")), ids=lambda p: p.name)
def test_bundled_cases_need_no_value_fix(path):
    """Checked cases hold no value `fix` would change (trailing spaces aside: check allows them)."""
    _, changes, note = fix_text(path.read_text(encoding="utf-8").replace("\r\n", "\n"))
    assert note is None
    assert [c.message for c in changes if not c.message.startswith("行末の空白")] == []


def test_a_whole_root_is_fixed_and_only_the_case_with_mistakes_changes(root):
    path = root.write(SAMPLE, BEFORE)
    valid = (root.path / VALID_PATH).read_bytes()
    other = (root.path / OTHER_PATH).read_bytes()
    proc = run_cli("fix", "--write", str(root.path))
    assert proc.returncode == 0, proc.stderr
    assert path.read_text(encoding="utf-8") == AFTER
    assert (root.path / VALID_PATH).read_bytes() == valid
    assert (root.path / OTHER_PATH).read_bytes() == other
    assert run_cli("check", str(root.path)).returncode == 0


def test_crlf_and_byte_order_mark_are_kept(root):
    data = codecs.BOM_UTF8 + BEFORE.replace("\n", "\r\n").encode("utf-8")
    path = root.write(SAMPLE, data)
    assert run_cli("fix", "--write", str(path)).returncode == 0
    assert path.read_bytes() == codecs.BOM_UTF8 + AFTER.replace("\n", "\r\n").encode("utf-8")


V = valid_text()


@pytest.mark.parametrize("old, new", [
    ('code: "222208"', 'code: "22220"'),                                  # no check digit to guess
    ('code: "222208"\n  name: "裾野市"', 'code: "222208"\n  name: "茅ケ崎市"'),  # the code is of another place
    ('name: "裾野市"', 'name: "すその市"'),                                 # not a spelling variant
    ('phone: "055-995-1804"', 'phone: "０９０ー１２３４ー５６７８"'),           # a mobile number stays refused
    ('as_of: "2023-04"', 'as_of: "令和5年13月"'),                            # no such month
    ('as_of: "2023-04"', 'as_of: "2023年13月"'),
    ('url: "https://www.city.example.lg.jp/kaikaku/"', 'url: "ｈｔｔｐｓ：／／例え.jp/"'),  # not all ASCII
    ('url: "https://www.city.example.lg.jp/kaikaku/"', 'url: "www.city.example.lg.jp"'),   # scheme unknown
    ('status: 運用中', 'status: 運用'),                                      # a word: check suggests, fix does not
    ('  - date: "2023-06"\n    event: "取組に着手"\n    milestone: 着手\n  - date: 2023-12-01',
     '  - date: "2023"\n    event: "取組に着手"\n    milestone: 着手\n  - date: 2023-12-01'),
])
def test_what_is_not_certain_is_left_alone(old, new):
    text = mutate(old, new, V)
    assert fix_text(text) == (text, [], None)


def test_timeline_order_check_accepts_is_left_alone():
    """`2023-06` before `2023` is in order at the precision both have."""
    text = mutate('  - date: 2023-12-01\n', '  - date: "2023"\n', V)
    assert fix_text(text) == (text, [], None)


def test_timeline_in_flow_style_is_left_alone():
    text = mutate('timeline:\n  - date: "2023-06"\n    event: "取組に着手"\n    milestone: 着手\n'
                  '  - date: 2023-12-01\n    event: "おくやみコーナーを開設"\n    milestone: 開始\n',
                  'timeline: [{date: "2023-12", event: "開設"}, {date: "2023-06", event: "着手"}]\n', V)
    assert fix_text(text) == (text, [], None)


def test_timeline_entries_move_whole_with_their_comments():
    text = mutate('timeline:\n  - date: "2023-06"\n    event: "取組に着手"\n    milestone: 着手\n'
                  '  - date: 2023-12-01\n    event: "おくやみコーナーを開設"\n    milestone: 開始\n',
                  'timeline:   # 経過\n'
                  '  - date: 2023-12-01   # 開設日\n    event: >-\n      おくやみコーナーを\n      開設\n'
                  '    milestone: 開始\n'
                  '  # 庁内の検討\n'
                  '  -\n    date: "2023-06"\n    event: "取組に着手"\n    milestone: 着手\n', V)
    fixed, changes, _ = fix_text(text)
    assert [c.message for c in changes] == ["timeline（経過）を日付の古い順に並べ替えました"]
    assert ('timeline:   # 経過\n'
            '  -\n    date: "2023-06"\n    event: "取組に着手"\n    milestone: 着手\n'
            '  - date: 2023-12-01   # 開設日\n    event: >-\n      おくやみコーナーを\n      開設\n'
            '    milestone: 開始\n'
            '  # 庁内の検討\n'
            'problems:\n') in fixed


def test_a_markdown_hard_line_break_is_kept():
    text = mutate("遺族は複数の課を回っていました。\n", "遺族は複数の課を回っていました。  \n次の行です。   \n", V)
    fixed, changes, _ = fix_text(text)
    assert "遺族は複数の課を回っていました。  \n次の行です。\n" in fixed
    assert len(changes) == 1


def test_broken_yaml_gets_only_its_trailing_spaces_stripped(root):
    text = mutate('summary: "遺族', 'summary: "遺族"が', V).replace("title: \"おくやみワンストップ窓口\"",
                                                                 "title: \"おくやみワンストップ窓口\"  ")
    path = root.write(VALID_PATH, text)
    proc = run_cli("fix", "--write", str(path))
    assert proc.returncode == 0
    assert path.read_text(encoding="utf-8") == text.replace("窓口\"  \n", "窓口\"\n")
    assert (f"{path}: フロントマターを YAML として読めないため、行末の空白だけを直しました"
            "（check の指摘を見てください）") in proc.stderr.splitlines()


def test_a_file_in_shift_jis_is_reported_and_left_alone(root):
    path = root.write(SAMPLE, BEFORE.encode("cp932", errors="replace"))
    before = path.read_bytes()
    proc = run_cli("fix", "--write", str(path))
    assert proc.returncode == 1
    assert path.read_bytes() == before
    assert proc.stderr.splitlines()[0] == (
        f"{path}: ファイルが UTF-8 ではないため直せません。エディタで文字コードに「UTF-8」を選んで"
        "保存し直してから、もう一度実行してください")


def test_a_file_without_front_matter_is_left_alone(root):
    path = root.write(SAMPLE, "title: なし  \n")
    proc = run_cli("fix", "--write", str(path))
    assert proc.returncode == 0
    assert path.read_text(encoding="utf-8") == "title: なし  \n"
    assert f"{path}: フロントマター（「---」で囲んだ部分）が見つからないため、直していません" in proc.stderr


def test_a_missing_path_is_a_usage_error(tmp_path):
    proc = run_cli("fix", str(tmp_path / "nothing.md"))
    assert proc.returncode == 2
    assert "パスがありません / no such path" in proc.stderr


@pytest.mark.parametrize("command, japanese, english", [
    ("fix", "直し方が 1 つに決まるもの", "Apply the fixes that have exactly one right answer"),
    ("from-issue", "投稿フォーム（事例を投稿する）で作られた Issue の本文から", "Build a case file from the body"),
    ("reference", "事例ファイルの項目の一覧", "Print the field reference"),
    ("links", "ファイル名と行番号とともに一覧", "List every URL of the case records"),
])
def test_help_is_bilingual(command, japanese, english):
    proc = run_cli(command, "--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith(f"usage: python -m generator {command}")
    assert japanese in proc.stdout and english in proc.stdout


def test_the_commands_are_listed_in_the_main_help():
    out = run_cli("--help").stdout
    for command in ("fix", "from-issue", "reference", "links"):
        assert command in out


PIECES = ["012084", "０１２", "令和5年12月", "R5.4", " ", "  ", "\t", "#", ":", "- ", '"', "'", "ヶ", "ケ", "\n",
          "[", "{", "2023/13/1", "-", "2023-6"]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.integers(0, len(V)), st.sampled_from(PIECES)), max_size=6))
def test_fix_never_fails_and_a_second_run_changes_nothing(edits):
    text = V
    for position, piece in sorted(edits, reverse=True):
        text = text[:position] + piece + text[position:]
    fixed, _, _ = fix_text(text)
    assert fix_text(fixed)[0] == fixed


KITAMI = (REPO / "cases" / "hokkaido" / "012084-kakanai-one-stop-madoguchi.md").read_text(encoding="utf-8")


@settings(max_examples=50, deadline=None)
@given(st.permutations(range(7)))
def test_any_order_of_a_timeline_is_put_back_in_date_order(order):
    head, rest = KITAMI.split("timeline:\n", 1)
    entries, tail = rest.split("problems:\n", 1)
    blocks = ["  - date:" + b for b in entries.split("  - date:")[1:]]
    assert len(blocks) == 7
    shuffled = head + "timeline:\n" + "".join(blocks[i] for i in order) + "problems:\n" + tail
    fixed, changes, _ = fix_text(shuffled)
    assert fixed == KITAMI
    assert len(changes) == (0 if list(order) == sorted(order) else 1)


# -- attachment paths: the older bare form becomes the path relative to the case file ------

CASE_FOLDER = "222208-okuyami-one-stop"


def test_fix_write_rewrites_bare_file_paths_to_the_file_relative_form(root):
    bare = (valid_text().replace(f'"{CASE_FOLDER}/flow.pdf"', '"flow.pdf"')
            .replace(f"({CASE_FOLDER}/flow.png)", "(flow.png)")
            .replace("他の手続きにも広げます。",
                     "他の手続きにも広げます。[資料](flow.pdf#page=2) と `[コード](flow.pdf)` と [なし](nothing.pdf)"))
    path = root.write(VALID_PATH, bare)
    assert [d.rule for d in root.check(VALID_PATH).diagnostics].count("file-path-bare") == 3
    proc = run_cli("fix", "--write", str(path))
    assert proc.returncode == 0, proc.stderr
    fixed = path.read_text(encoding="utf-8")
    assert fixed == (valid_text().replace(
        "他の手続きにも広げます。",
        f"他の手続きにも広げます。[資料]({CASE_FOLDER}/flow.pdf#page=2) と `[コード](flow.pdf)` と [なし](nothing.pdf)"))
    assert f"{path}:70: 本文のパス「flow.png」を Markdown ファイルからの相対パス「{CASE_FOLDER}/flow.png」にしました" \
           "（GitHub のプレビューでも表示されます）" in proc.stderr
    assert f"{path}:50: ファイルのパス「flow.pdf」を Markdown ファイルからの相対パス「{CASE_FOLDER}/flow.pdf」にしました" \
        in proc.stderr
    assert [d.rule for d in root.check(VALID_PATH).diagnostics] == ["body-link-missing"]  # nothing.pdf is not there


def test_fix_leaves_a_bare_path_whose_file_is_not_in_the_folder(root):
    text = valid_text().replace("他の手続きにも広げます。", "[資料](other.pdf)")
    assert fix_text(text, CASE_FOLDER, {"flow.pdf", "flow.png"}) == (text, [], None)
