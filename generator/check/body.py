"""Body check: the Markdown after the front matter.

Content arrives from outside by pull request and the site must never run it,
so raw HTML is refused and links and images are held to http(s) or files in
the case's own folder (images only local: the offline copy has no internet).
Code blocks and code spans are skipped: there `<` is just text.
"""

from __future__ import annotations

import re
from pathlib import Path

PLACEHOLDER = "【要記入】"
RECOMMENDED_HEADINGS = ["背景・課題", "取組内容", "効果", "工夫・苦労した点", "今後の展開"]

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>")
EMAIL_AUTOLINK = re.compile(r"<[^\s<>@]+@[^\s<>@]+>")
RAW_HTML = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9\-]*(?=[\s/>])|!--|![A-Za-z]|\?)")
IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?[^)]*\)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]*)>?[^)]*\)")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S*?)>?(?:\s|$)")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def _blank_code_spans(line: str) -> str:
    return CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def _target_problem(target: str, case_dir: Path, image: bool) -> tuple[str, str, str] | None:
    """(rule, message, hint) for a link or image target that is not allowed."""
    scheme = SCHEME.match(target)
    if scheme:
        name = scheme.group(1).lower()
        if name not in ("http", "https"):
            return ("body-link-scheme", f"本文のリンク先「{target}」は使えません。https:// か http:// の URL、または事例のフォルダのファイルだけです",
                    "「javascript:」などのリンクは書けません")
        if image:
            return ("body-image-external", f"本文の画像「{target}」がインターネット上にあります。画像は事例のフォルダに置いてください",
                    f"画像を {case_dir.name}/ に保存し、![説明]({case_dir.name}/画像.png) ではなく ![説明](画像.png) と書きます")
        return None
    if not target or target.startswith("#"):
        return None
    local = target.split("#", 1)[0].split("?", 1)[0]
    if local.startswith("/") or ".." in local.split("/"):
        return ("body-link-path", f"本文のリンク先「{target}」は事例のフォルダの外を指しています",
                f"ファイルは {case_dir.name}/ に置き、ファイル名だけで書いてください")
    if local and not (case_dir / local).is_file():
        rule = "body-image-missing" if image else "body-link-missing"
        return (rule, f"本文の{'画像' if image else 'リンク先'}「{target}」のファイルがありません",
                f"ファイルを {case_dir.name}/ フォルダに置いてください")
    return None


def check_body(body: str, first_line: int, case_dir: Path, report) -> list[str]:
    """Report body problems; return the level-2 headings found, in order."""
    headings: list[str] = []
    fence = None
    for offset, raw in enumerate(body.split("\n")):
        line_no = first_line + offset
        opener = FENCE.match(raw)
        if fence:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            continue
        if PLACEHOLDER in raw:
            report.error("body-placeholder", f"本文に「{PLACEHOLDER}」が残っています",
                         line_no, raw.index(PLACEHOLDER) + 1, "内容を書いてから「" + PLACEHOLDER + "」を消してください")
        line = _blank_code_spans(raw)
        heading = HEADING.match(line)
        if heading and len(heading.group(1)) == 2:
            headings.append(heading.group(2))
        for match in AUTOLINK.finditer(line):
            problem = _target_problem(match.group(1), case_dir, image=False)
            if problem:
                report.error(problem[0], problem[1], line_no, match.start() + 1, problem[2])
        scan = EMAIL_AUTOLINK.sub(lambda m: " " * len(m.group(0)), AUTOLINK.sub(lambda m: " " * len(m.group(0)), line))
        for match in RAW_HTML.finditer(scan):
            snippet = scan[match.start():].split(">", 1)[0][:40] + ">"
            report.error("body-raw-html", f"本文に HTML「{snippet}」は書けません",
                         line_no, match.start() + 1,
                         "Markdown の書き方（見出しは ##、リンクは [文字](URL)）を使ってください。「<」を文字として書くときは「&lt;」と書きます")
        for match in IMAGE.finditer(line):
            if not match.group(1).strip():
                report.error("body-image-alt", "本文の画像に代わりの文章（alt）がありません",
                             line_no, match.start() + 1,
                             "![画像の説明](ファイル名) のように、[ ] の中に画像の内容を書いてください")
            problem = _target_problem(match.group(2), case_dir, image=True)
            if problem:
                report.error(problem[0], problem[1], line_no, match.start(2) + 1, problem[2])
        for pattern in (LINK, REFERENCE):
            for match in pattern.finditer(line):
                problem = _target_problem(match.group(1), case_dir, image=False)
                if problem:
                    report.error(problem[0], problem[1], line_no, match.start(1) + 1, problem[2])
    _check_headings(headings, first_line, report)
    return headings


def _check_headings(headings: list[str], first_line: int, report) -> None:
    missing = [h for h in RECOMMENDED_HEADINGS if h not in headings]
    for title in missing:
        report.warning("body-heading-missing", f"本文に推奨の見出し「## {title}」がありません",
                       first_line, 1, "書くことがあれば、この見出しの下に書いてください")
    present = [h for h in headings if h in RECOMMENDED_HEADINGS]
    expected = [h for h in RECOMMENDED_HEADINGS if h in present]
    if present != expected:
        report.warning("body-heading-order", "本文の見出しの順序が推奨と違います",
                       first_line, 1, "推奨の順序: " + " → ".join(RECOMMENDED_HEADINGS))
