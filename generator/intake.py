"""`from-issue`: a case file from the answers of the GitHub issue form (事例を投稿する).

Many municipal staff can fill in a web form but not edit YAML. GitHub renders
an issue form's answers as `### <label>` sections (`_No response_` for an
empty answer); this reads them, writes the case file a maintainer would have
written, and checks it with exactly the rules of `check`. Safe fixes are
applied first (`fix`: 和暦 → 西暦, full-width digits, timeline order), because
a form answer like 令和5年12月 is a fine answer. When any answer is wrong,
the diagnostics are those of `check` for the would-be file, each with the form
question it came from, and nothing is written.

The labels below are the form's (.github/ISSUE_TEMPLATE/case.yml); a test
keeps the two in step.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from . import fix, vocabulary
from .check import check_root
from .check.body import RECOMMENDED_HEADINGS
from .diagnostics import Diagnostic
from .municipalities import Municipality, registry
from .scaffold import SLUG

NO_RESPONSE = "_No response_"


@dataclass(frozen=True)
class Question:
    id: str      # the form element's id
    label: str   # what GitHub renders as `### <label>`
    required: bool = False


QUESTIONS = [
    Question("municipality", "団体名", True),
    Question("prefecture", "都道府県（同じ名前の団体があるときだけ）"),
    Question("slug", "ファイル名（半角英字）", True),
    Question("title", "題名", True),
    Question("summary", "概要", True),
    Question("areas", "分野", True),
    Question("status", "状況", True),
    Question("timeline", "経過", True),
    Question("problems", "解決した課題", True),
    Question("outcomes", "測定した効果"),
    Question("systems", "使ったシステム"),
    Question("cost_initial", "初期費用（円）"),
    Question("cost_annual", "年間費用（円）"),
    Question("cost_funding", "財源"),
    Question("department", "問い合わせ先の部署", True),
    Question("phone", "問い合わせ先の電話番号"),
    Question("email", "問い合わせ先のメールアドレス"),
    Question("contact_url", "問い合わせ先のウェブページ"),
    Question("sources", "出典", True),
    *(Question(f"body_{i}", f"本文: {heading}") for i, heading in enumerate(RECOMMENDED_HEADINGS, 1)),
    Question("consent", "確認", True),
]
BY_LABEL = {q.label: q for q in QUESTIONS}
LABEL = {q.id: q.label for q in QUESTIONS}

SECTION = re.compile(r"^###[ \t]+(.+?)[ \t]*$")
BULLET = re.compile(r"^\s*(?:[-*・●]|[0-9]+[.)])\s+")
MILESTONE = re.compile(r"\s*[\[［【(（]\s*(着手|開始|終了)\s*[\]］】)）]\s*$")
OUTCOME = re.compile(r"^(.+?)\s*[:：]\s*(.*?)\s*(?:→|->|⇒)\s*(.+)$")
SYSTEM_SEPARATOR = re.compile(r"\s+/\s+|\s*／\s*")
CHECKBOX = re.compile(r"^-\s*\[([ xX])\]\s*(.*)$")
# What PyYAML refuses in a stream, or reads as a line break inside quotes: escaped.
UNSAFE = re.compile("[^\x09\x0A\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


class IntakeError(Exception):
    """The input is not an issue form body at all (one message, no case to check)."""


@dataclass
class Intake:
    """The outcome: where the case goes, its text, and the diagnostics (empty = written)."""

    display: str
    path: Path | None
    text: str
    diagnostics: list[Diagnostic]
    origin: dict[int, str] = field(default_factory=dict)  # file line → form question label
    fixed: list[str] = field(default_factory=list)        # answers `fix` put right, in Japanese

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


# -- reading the issue body ----------------------------------------------------------------

def parse_body(body: str) -> dict[str, str]:
    """{question id: answer text} from `### <label>` sections; empty for _No response_.

    Only known labels start a section, so a `### ` heading inside an answer stays part of it.
    """
    answers: dict[str, list[str]] = {}
    current = None
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        match = SECTION.match(line)
        if match and match.group(1) in BY_LABEL:
            current = BY_LABEL[match.group(1)].id
            answers[current] = []
        elif current is not None:
            answers[current].append(line)
    if not answers:
        raise IntakeError("投稿フォームの回答（「### 団体名」などの見出し）が見つかりません")
    return {key: _answer("\n".join(lines)) for key, lines in answers.items()}


def _answer(text: str) -> str:
    text = text.strip("\n").rstrip()
    if text.strip() == NO_RESPONSE:
        return ""
    lines = text.split("\n")
    if len(lines) >= 2 and lines[0].startswith("```") and lines[-1].strip() == "```":
        text = "\n".join(lines[1:-1])  # a textarea with `render:` comes back fenced
    return text.strip("\n")


def _lines(text: str) -> list[str]:
    """One item per non-empty line, list bullets removed."""
    return [BULLET.sub("", line, count=1).strip() for line in text.split("\n") if line.strip()]


def _one_line(text: str) -> str:
    """Lines of a paragraph joined: with no space between Japanese text, with one otherwise."""
    parts = [line.strip() for line in text.split("\n") if line.strip()]
    joined = parts[0] if parts else ""
    for part in parts[1:]:
        joined += ("" if not joined[-1].isascii() or not part[0].isascii() else " ") + part
    return joined


def _yen(text: str) -> int | None:
    """`1,200,000円`, `120万円`, `１２０万` → 1200000; None when it is no amount."""
    folded = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace("円", "")
    match = re.fullmatch(r"(?:([0-9]{1,12})億)?(?:([0-9]{1,12})万)?([0-9]{1,24})?", folded)  # bounded: no huge int
    if not folded or not match or not any(match.groups()):
        return None
    oku, man, rest = (int(g) if g else 0 for g in match.groups())
    return oku * 100_000_000 + man * 10_000 + rest


def quote(value: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly ``value``."""
    text = json.dumps(value, ensure_ascii=False)  # JSON strings are YAML double-quoted scalars
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) <= 0xFFFF
                      else f"\\U{ord(m.group()):08x}", text)


# -- the municipality ----------------------------------------------------------------------

def _prefecture_name(answer: str) -> str | None:
    reg = registry()
    answer = unicodedata.normalize("NFKC", answer).strip()
    if answer.lower() in reg.prefecture_by_romaji:
        return reg.prefecture_by_romaji[answer.lower()].name
    for candidate in (answer, answer + "都", answer + "道", answer + "府", answer + "県"):
        if candidate in reg.prefecture_by_name:
            return candidate
    return None


def resolve(name: str, prefecture: str) -> tuple[Municipality | None, str | None, str | None]:
    """(municipality, message, hint) for the form's answers; a ケ/ヶ or width variant is
    taken as the official name when it names one municipality."""
    reg = registry()
    pref = _prefecture_name(prefecture) if prefecture else None
    if prefecture and pref is None:
        return None, f"都道府県「{prefecture}」がわかりません", "例: 東京都、広島県"
    found = reg.find(name, pref) or [m for m in reg.find_variant(name) if not pref or m.prefecture == pref]
    if len(found) == 1:
        return found[0], None, None
    if len(found) > 1:
        return None, (f"「{name}」という団体は {len(found)} つあります。"
                      f"「{LABEL['prefecture']}」に都道府県を書いてください"), \
            "、".join(m.full_name for m in found)
    if pref and (reg.find(name) or reg.find_variant(name)):
        others = "、".join(m.full_name for m in reg.find(name) or reg.find_variant(name))
        return None, f"{pref}に「{name}」はありません", f"「{name}」は {others} です"
    return None, f"団体名「{name}」は全国地方公共団体コードの一覧にありません", \
        "正式な名前（例: 裾野市、茅ヶ崎市）で書いてください"


# -- the case file -------------------------------------------------------------------------

class _Writer:
    """Lines of the case file, each remembering the form question it came from."""

    def __init__(self):
        self.lines: list[str] = []
        self.origin: dict[int, str] = {}

    def add(self, line: str, question: str | None = None) -> None:
        self.lines.append(line)
        if question:
            self.origin[len(self.lines)] = LABEL[question]


def build(answers: dict[str, str], municipality: Municipality | None, today: dt.date) -> _Writer:
    """The case file text (before fixes): front matter in the template's order, then the body."""
    def a(key: str) -> str:
        return answers.get(key, "").strip()

    w = _Writer()
    w.add("---")
    w.add(f"title: {quote(_one_line(a('title')))}", "title")
    w.add(f"summary: {quote(_one_line(a('summary')))}", "summary")
    w.add("municipality:", "municipality")
    w.add(f"  code: {quote(municipality.code if municipality else '')}", "municipality")
    w.add(f"  name: {quote(municipality.name if municipality else a('municipality'))}", "municipality")
    areas = [x.strip() for x in re.split(r"[,、，]", a("areas")) if x.strip()]
    w.add("areas:" if areas else "areas: []", "areas")
    for area in areas:
        w.add(f"  - {quote(area)}", "areas")
    w.add(f"status: {quote(a('status'))}", "status")
    timeline = _lines(a("timeline"))
    w.add("timeline:" if timeline else "timeline: []", "timeline")
    for line in timeline:
        milestone = MILESTONE.search(line)
        if milestone:
            line = line[:milestone.start()]
        date, _, event = line.replace("\u3000", " ").partition(" ")
        w.add(f"  - date: {quote(date)}", "timeline")
        w.add(f"    event: {quote(event.strip())}", "timeline")
        if milestone:
            w.add(f"    milestone: {milestone.group(1)}", "timeline")
    problems = _lines(a("problems"))
    w.add("problems:" if problems else "problems: []", "problems")
    for problem in problems:
        w.add(f"  - {quote(problem)}", "problems")
    outcomes = _lines(a("outcomes"))
    if outcomes:
        w.add("outcomes:", "outcomes")
    for outcome in outcomes:
        measured = OUTCOME.match(outcome)
        if not measured:
            w.add(f"  - {quote(outcome)}", "outcomes")
            continue
        indicator, before, after = measured.groups()
        w.add(f"  - indicator: {quote(indicator)}", "outcomes")
        if before:
            w.add(f"    before: {quote(before)}", "outcomes")
        w.add(f"    after: {quote(after)}", "outcomes")
    systems = _lines(a("systems"))
    if systems:
        w.add("systems:", "systems")
    for system in systems:
        parts = [p.strip() for p in SYSTEM_SEPARATOR.split(system)]
        w.add(f"  - name: {quote(parts[0])}", "systems")
        if len(parts) > 1 and parts[1]:
            w.add(f"    vendor: {quote(parts[1])}", "systems")
        if len(parts) > 2 and parts[2]:
            w.add(f"    kind: {quote(parts[2])}", "systems")
    cost = [(key, question) for key, question in
            (("initial", "cost_initial"), ("annual", "cost_annual"), ("funding", "cost_funding")) if a(question)]
    if cost:
        w.add("cost:", cost[0][1])
    for key, question in cost:
        amount = _yen(a(question)) if key != "funding" else None
        w.add(f"  {key}: {amount if amount is not None else quote(a(question))}", question)
    w.add("contacts:", "department")
    w.add(f"  - department: {quote(a('department'))}", "department")
    for key, question in (("phone", "phone"), ("email", "email"), ("url", "contact_url")):
        if a(question):
            w.add(f"    {key}: {quote(a(question))}", question)
    sources = _lines(a("sources"))
    if sources:
        w.add("sources:", "sources")
    for source in sources:
        w.add(f"  - {quote(source.strip('<>'))}", "sources")
    w.add(f'updated: "{today.isoformat()}"')
    w.add("---")
    for index, heading in enumerate(RECOMMENDED_HEADINGS, 1):
        text = answers.get(f"body_{index}", "").strip("\n").rstrip()
        if not text.strip():
            continue
        w.add("")
        w.add(f"## {heading}", f"body_{index}")
        w.add("")
        for line in text.split("\n"):
            w.add(line, f"body_{index}")
    w.add("")
    return w


def intake(body: str, root: Path, today: dt.date | None = None) -> Intake:
    """Read the form answers, build the case, check it; write it only when it has no error."""
    today = today or dt.date.today()
    answers = parse_body(body)
    own: list[tuple[str, str, str | None, int]] = []  # (rule, message, hint, line) before the path is known
    for question in QUESTIONS:
        if question.required and question.id not in answers:
            own.append(("issue-question-missing", f"フォームの項目「{question.label}」がありません",
                        "Issue の本文の「### 」で始まる見出しを消さずに、フォームのとおりに書いてください", 1))
    boxes = [m for m in map(CHECKBOX.match, answers.get("consent", "").split("\n")) if m]
    unchecked = [m.group(2) for m in boxes if m.group(1) == " "]
    if "consent" in answers and (unchecked or not boxes):
        own.append(("issue-consent", f"「{LABEL['consent']}」のチェックがありません"
                    + (f"（{'、'.join(unchecked)}）" if unchecked else ""),
                    "掲載の前に、すべての項目を確かめてチェックを付けてください", 1))
    slug = answers.get("slug", "").strip()
    if not SLUG.match(slug):
        own.append(("issue-slug", f"{LABEL['slug']}の「{slug}」は使えません",
                    "半角の小文字英字・数字・ハイフンで 3〜60 文字にしてください（例: okuyami-one-stop）", 1))
    name = answers.get("municipality", "").strip()
    municipality, message, hint = resolve(name, answers.get("prefecture", "").strip()) if name else (
        None, f"{LABEL['municipality']}が書かれていません", "例: 裾野市")
    writer = build(answers, municipality, today)
    name_line = next(n for n, line in enumerate(writer.lines, 1) if line.startswith("  name: "))
    if municipality is None:
        own.append(("issue-municipality", message, hint, name_line))
    text, fixes, _ = fix.fix_text("\n".join(writer.lines))

    reg = registry()
    folder = reg.prefecture_of(municipality).romaji if municipality else "<都道府県>"
    file_name = f"{municipality.code if municipality else '<団体コード>'}-{slug if slug else '<名前>'}.md"
    path = root / folder / file_name if municipality and SLUG.match(slug) else None
    display = str(root / folder / file_name)
    if path is not None and path.exists():
        own.append(("path-exists", f"{display} はすでにあります",
                    f"「{LABEL['slug']}」を別の名前にするか、既存のファイルを直してください", 1))
    diagnostics = _check(text, root, municipality, slug, display, writer.origin, name_line)
    diagnostics += [Diagnostic(display, line, 1, "error", rule, message, hint) for rule, message, hint, line in own]
    diagnostics.sort(key=Diagnostic.sort_key)
    result = Intake(display, path, text, diagnostics, writer.origin, [c.message for c in fixes])
    if result.ok:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return result


def _check(text: str, root: Path, municipality: Municipality | None, slug: str, display: str,
           origin: dict[int, str], name_line: int) -> list[Diagnostic]:
    """`check` on the would-be file, in a scratch cases root holding only it and the vocabulary."""
    scratch = Path(tempfile.mkdtemp(prefix="jichitai-dx-intake-"))
    try:
        cases = scratch / "cases"
        cases.mkdir()
        if (root / vocabulary.FILE_NAME).is_file():
            shutil.copyfile(root / vocabulary.FILE_NAME, cases / vocabulary.FILE_NAME)
        folder = registry().prefecture_of(municipality).romaji if municipality else "hokkaido"
        code = municipality.code if municipality else "000000"
        target = cases / folder / f"{code}-{slug if SLUG.match(slug) else 'case'}.md"
        target.parent.mkdir()
        target.write_text(text, encoding="utf-8")
        result = check_root(cases, [target], display_base=scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    shown = []
    for d in result.diagnostics:
        if d.file == f"cases/{vocabulary.FILE_NAME}":
            shown.append(dataclasses.replace(d, file=str(root / vocabulary.FILE_NAME)))
            continue
        if municipality is None and (d.rule.startswith("path-") or name_line - 2 <= d.line <= name_line):
            continue  # the municipality could not be found: its own diagnostic says so
        if not SLUG.match(slug) and d.rule == "path-name":
            continue
        shown.append(dataclasses.replace(d, file=display))
    return shown
