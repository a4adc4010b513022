"""`python -m generator from-issue`: issue-form answers → a case file that passes `check`.

tests/fixtures/issue/valid.md is an issue body in the form GitHub renders an
issue form (`### <label>`, blank line, answer; `_No response_` when empty;
`- [X]` for ticked boxes; CRLF line ends, as the API returns them). Wrong
answers must give `check`'s diagnostics for the would-be file, name the form
question, and write nothing. The last tests keep the form
(.github/ISSUE_TEMPLATE/case.yml) in step with the intake and the vocabulary.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml
from hypothesis import given, strategies as st

from conftest import FIXTURES, REPO, TODAY
from generator import intake, schema

BODY = (FIXTURES / "issue" / "valid.md").read_bytes().decode("utf-8")  # CRLF kept
TARGET = "shizuoka/222208-okuyami-madoguchi.md"
FORM = REPO / ".github" / "ISSUE_TEMPLATE" / "case.yml"

EXPECTED = """---
title: "おくやみワンストップ窓口"
summary: "遺族が市役所で行う死亡・相続の手続きを1 か所の窓口でまとめて受け付ける。"
municipality:
  code: "222208"
  name: "裾野市"
areas:
  - "おくやみ・死亡手続"
  - "窓口・手続"
status: "運用中"
timeline:
  - date: "2023-06"
    event: "取組に着手"
    milestone: 着手
  - date: "2023-12-01"
    event: "おくやみコーナーを開設"
    milestone: 開始
problems:
  - "遺族が複数の課を回らなければならなかった"
  - "同じことを何度も書く必要があった"
outcomes:
  - indicator: "窓口での待ち時間"
    before: "約2時間"
    after: "約40分"
  - "手続きの案内を 1 枚の紙にまとめた"
systems:
  - name: "おくやみ支援システム"
    vendor: "例示株式会社"
    kind: "LGWAN-ASP"
cost:
  initial: 1200000
  annual: 300000
  funding: "デジタル田園都市国家構想交付金"
contacts:
  - department: "デジタル部 業務改革課"
    phone: "055-995-1804"
    email: "kaikaku@city.example.lg.jp"
sources:
  - "https://www.city.example.lg.jp/press/okuyami.html"
updated: "2026-11-26"
---

## 背景・課題

遺族は複数の課を回っていました。

## 取組内容

窓口を 1 か所にしました。

## 効果

待ち時間が短くなりました。

## 今後の展開

他の手続きにも広げます。
"""


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-m", "generator", *args], cwd=REPO, env=env, input=stdin,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


def answer(label: str, value: str, body: str = BODY) -> str:
    """The body with the answer to one question replaced."""
    head = f"### {label}\r\n\r\n"
    start = body.index(head) + len(head)
    end = body.find("\r\n\r\n### ", start)
    return body[:start] + value.replace("\n", "\r\n") + body[end if end != -1 else len(body):]


def from_issue(root, body: str, *extra: str) -> subprocess.CompletedProcess:
    issue = root.path.parent / "issue.md"
    issue.write_text(body, encoding="utf-8", newline="")
    return run_cli("from-issue", str(issue), "--root", str(root.path), *extra)


def test_the_form_answers_become_the_expected_case(root):
    result = intake.intake(BODY, root.path, today=TODAY)
    assert result.diagnostics[0].rule == "body-heading-missing"  # 工夫・苦労した点 was left empty
    assert [d.severity for d in result.diagnostics] == ["warning"]
    assert result.path == root.path / TARGET
    assert (root.path / TARGET).read_text(encoding="utf-8") == EXPECTED


def test_the_written_case_passes_check(root):
    proc = from_issue(root, BODY)
    assert proc.returncode == 0, proc.stdout
    path = root.path / TARGET
    assert proc.stderr.splitlines() == [  # what `fix` put right in the answers is told, not hidden
        f"作成しました: {path}",
        "    回答を直しました: timeline（経過）を日付の古い順に並べ替えました",
        "    回答を直しました: 和暦の日付「令和5年6月」を西暦の \"2023-06\" にしました",
    ]
    check = run_cli("check", str(path))
    assert check.returncode == 0, check.stdout
    assert check.stderr.strip() == "1 件のファイルを検査: エラー 0 件、警告 1 件"
    assert "error" not in check.stdout


def test_stdin_is_read_with_a_dash(root):
    proc = run_cli("from-issue", "-", "--root", str(root.path), stdin=BODY)
    assert proc.returncode == 0, proc.stdout
    assert (root.path / TARGET).is_file()


def test_a_mobile_phone_number_gives_the_check_diagnostic_and_writes_nothing(root):
    proc = from_issue(root, answer("問い合わせ先の電話番号", "090-1234-5678"))
    assert proc.returncode == 1
    shown = root.path / TARGET
    assert proc.stdout.splitlines()[:3] == [
        f"{shown}:36:12: error[phone-mobile]: contacts.phone（電話） に携帯電話の番号（070/080/090）は書けません",
        "    ヒント: 個人ではなく、部署の代表電話番号を書いてください",
        "    フォームの項目: 「問い合わせ先の電話番号」",
    ]
    assert proc.stderr.splitlines() == [
        "フォームの回答を検査: エラー 1 件、警告 1 件",
        f"回答に誤りがあるため、{shown} は作りませんでした。",
    ]
    assert not shown.exists()


def test_an_unknown_municipality_is_reported_with_every_other_problem(root):
    body = answer("団体名", "すその市", answer("問い合わせ先の電話番号", "090-1234-5678"))
    proc = from_issue(root, body, "--format", "json")
    assert proc.returncode == 1
    found = [(d["file"], d["line"], d["rule"], d["message"]) for d in json.loads(proc.stdout)]
    shown = str(root.path / "<都道府県>" / "<団体コード>-okuyami-madoguchi.md")
    assert found == [
        (shown, 6, "issue-municipality", "団体名「すその市」は全国地方公共団体コードの一覧にありません"),
        (shown, 36, "phone-mobile", "contacts.phone（電話） に携帯電話の番号（070/080/090）は書けません"),
        (shown, 42, "body-heading-missing", "本文に推奨の見出し「## 工夫・苦労した点」がありません"),
    ]
    assert sorted(p.name for p in root.path.iterdir()) == ["areas.yml", "kanagawa", "shizuoka"]
    assert not (root.path / "shizuoka" / "222208-okuyami-madoguchi.md").exists()


def test_an_ambiguous_name_asks_for_the_prefecture(root):
    proc = from_issue(root, answer("団体名", "府中市"))
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[1:3] == [
        "    ヒント: 東京都府中市、広島県府中市",
        "    フォームの項目: 「団体名」",
    ]
    assert "「府中市」という団体は 2 つあります。「都道府県（同じ名前の団体があるときだけ）」に都道府県を書いてください" \
        in proc.stdout.splitlines()[0]


@pytest.mark.parametrize("prefecture", ["東京都", "東京", "tokyo"])
def test_the_prefecture_answer_resolves_the_name(root, prefecture):
    body = answer("都道府県（同じ名前の団体があるときだけ）", prefecture, answer("団体名", "府中市"))
    proc = from_issue(root, body)
    assert proc.returncode == 0, proc.stdout
    text = (root.path / "tokyo" / "132063-okuyami-madoguchi.md").read_text(encoding="utf-8")
    assert 'municipality:\n  code: "132063"\n  name: "府中市"\n' in text


def test_a_spelling_variant_of_the_name_is_taken_as_the_official_name(root):
    proc = from_issue(root, answer("団体名", "茅ケ崎市"))
    assert proc.returncode == 0, proc.stdout
    text = (root.path / "kanagawa" / "142077-okuyami-madoguchi.md").read_text(encoding="utf-8")
    assert 'name: "茅ヶ崎市"' in text


@pytest.mark.parametrize("label, value, rule, line", [
    ("状況", "運用", "invalid-choice", 10),
    ("経過", "2023-06 取組に着手 [着手]\n令和5年13月 開設", "date-era", 15),  # no such month: not fixed
    ("問い合わせ先のメールアドレス", "kaikaku", "email-format", 37),
    ("出典", "www.city.example.lg.jp", "url-format", 39),
    ("初期費用（円）", "約百万円", "type", 31),
    ("本文: 取組内容", "<script>alert(1)</script>", "body-raw-html", 49),
    ("題名", "_No response_", "empty", 2),
])
def test_a_wrong_answer_is_named_with_its_question(root, label, value, rule, line):
    proc = from_issue(root, answer(label, value))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    found = [i for i, text in enumerate(lines) if f"error[{rule}]" in text]
    assert found, proc.stdout
    assert f".md:{line}:" in lines[found[0]]
    assert f"    フォームの項目: 「{label}」" in lines[found[0] + 1:found[0] + 3]
    assert not list(root.path.glob("*/222208-okuyami-madoguchi.md"))


def test_an_unticked_consent_is_an_error(root):
    body = BODY.replace("- [X] 掲載する内容", "- [ ] 掲載する内容")
    proc = from_issue(root, body)
    assert proc.returncode == 1
    assert f"{root.path / TARGET}:1:1: error[issue-consent]: 「確認」のチェックがありません" \
           "（掲載する内容と問い合わせ先について、団体（所属）の了承を得ています）" in proc.stdout.splitlines()


def test_a_bad_file_name_answer_is_an_error(root):
    proc = from_issue(root, answer("ファイル名（半角英字）", "../../etc"))
    assert proc.returncode == 1
    assert "error[issue-slug]: ファイル名（半角英字）の「../../etc」は使えません" in proc.stdout
    assert not (root.path.parent / "etc.md").exists()


def test_an_existing_case_is_not_overwritten(root):
    body = answer("ファイル名（半角英字）", "okuyami-one-stop")
    before = (root.path / "shizuoka" / "222208-okuyami-one-stop.md").read_bytes()
    proc = from_issue(root, body)
    assert proc.returncode == 1
    assert "error[path-exists]" in proc.stdout
    assert (root.path / "shizuoka" / "222208-okuyami-one-stop.md").read_bytes() == before


def test_text_that_is_no_issue_form_is_refused(root):
    proc = from_issue(root, "こんにちは\n")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "エラー: 投稿フォームの回答（「### 団体名」などの見出し）が見つかりません" in proc.stderr


def test_a_missing_question_is_reported(root):
    start = BODY.index("### 状況")
    body = BODY[:start] + BODY[BODY.index("### 経過"):]
    proc = from_issue(root, body)
    assert proc.returncode == 1
    assert "error[issue-question-missing]: フォームの項目「状況」がありません" in proc.stdout


def test_usage_errors(root, tmp_path):
    assert run_cli("from-issue", str(tmp_path / "none.md"), "--root", str(root.path)).returncode == 2
    issue = tmp_path / "issue.md"
    issue.write_text(BODY, encoding="utf-8")
    proc = run_cli("from-issue", str(issue), "--root", str(tmp_path / "nowhere"))
    assert proc.returncode == 2
    assert "areas.yml がありません" in proc.stderr


def test_a_heading_inside_an_answer_stays_in_the_answer():
    body = answer("本文: 取組内容", "### 窓口の流れ\n\n受付、確認、署名の順です。")
    answers = intake.parse_body(body)
    assert answers["body_2"] == "### 窓口の流れ\n\n受付、確認、署名の順です。"


@given(st.text())
def test_quoted_answers_read_back_exactly(value):
    assert yaml.safe_load(f"v: {intake.quote(value)}") == {"v": value}


# -- the form ------------------------------------------------------------------------------

def form_fields() -> list[dict]:
    return [e for e in yaml.safe_load(FORM.read_text(encoding="utf-8"))["body"] if e["type"] != "markdown"]


def test_the_form_asks_exactly_the_questions_the_intake_reads():
    fields = form_fields()
    assert [(f["id"], f["attributes"]["label"]) for f in fields] == [(q.id, q.label) for q in intake.QUESTIONS]
    required = {f["id"] for f in fields if f.get("validations", {}).get("required")}
    assert required == {q.id for q in intake.QUESTIONS if q.required} - {"consent"}


def test_the_form_offers_the_areas_of_the_vocabulary():
    areas = next(f for f in form_fields() if f["id"] == "areas")
    vocabulary = [a["name"] for a in yaml.safe_load((REPO / "cases" / "areas.yml").read_text(encoding="utf-8"))]
    assert areas["attributes"]["multiple"] is True
    assert areas["attributes"]["options"] == vocabulary, \
        "分野を増やしたら .github/ISSUE_TEMPLATE/case.yml の分野の選択肢にも足してください"


def test_the_form_offers_the_statuses_of_the_schema():
    status = next(f for f in form_fields() if f["id"] == "status")
    assert status["attributes"]["options"] == schema.enum_of("status")


def test_every_consent_box_is_required():
    consent = next(f for f in form_fields() if f["id"] == "consent")
    assert consent["type"] == "checkboxes"
    assert len(consent["attributes"]["options"]) == 3
    assert all(o["required"] is True for o in consent["attributes"]["options"])


def test_the_fixture_is_what_github_renders_from_the_form():
    """Every question in form order, as `### <label>`, and the consent options as ticked boxes."""
    headings = [line[4:] for line in BODY.split("\r\n") if line.startswith("### ")]
    assert headings == [f["attributes"]["label"] for f in form_fields()]
    consent = next(f for f in form_fields() if f["id"] == "consent")
    for option in consent["attributes"]["options"]:
        assert f"- [X] {option['label']}\r\n" in BODY
