"""Body check: the Markdown after the front matter.

Content arrives from outside by pull request and the site must never run it,
so raw HTML is refused and links and images are held to http(s) or files in
the case's own folder (images only local: the offline copy has no internet).

Markdown lets a tag, a link or a reference definition run over a line break,
so the rules look at the whole body at once, as markdown_scan.py reads it:
code, where `<` is just text, blanked out, and every link destination found
as Python-Markdown finds it, with offsets mapped back to line and column.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import casefiles
from .markdown_scan import AUTOLINK, SCHEME, Positions, Scan, as_browser_reads, destinations, is_local, read

PLACEHOLDER = "【要記入】"
MAX_TARGET = 4096  # characters of a link or image target; longer is no real URL and no file name
RECOMMENDED_HEADINGS = ["背景・課題", "取組内容", "効果", "工夫・苦労した点", "今後の展開"]

RAW_HTML = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9\-]*(?=[\s/>])|!--|![A-Za-z]|\?)")
EMAIL_AUTOLINK = re.compile(r"<[^\s<>@]+@[^\s<>@]+>")
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$", re.MULTILINE)

BARE_HINT = ("GitHub のプレビューでも表示されるようになります。"
             "make fix WRITE=1（python -m generator fix --write）で書き換えられます")
HTML_HINT = ("Markdown の書き方（見出しは ##、リンクは [文字](URL)）を使ってください。"
             "「<」を文字として書くときは「&lt;」と書きます")


def _shown(target: str) -> str:
    """A target as quoted in a message: on one line."""
    return " ".join(target.split())


def _target_problem(target: str, case_dir: Path, folder: casefiles.CaseFolder,
                    image: bool) -> tuple[str, str, str] | None:
    """(rule, message, hint) for a link or image target that is not allowed.

    A local path is read relative to the Markdown file (`<id>/map.png`), as
    GitHub's preview reads it; it must name a file of the case's own folder.
    """
    if len(target) > MAX_TARGET:
        return ("body-link-long", f"本文の{'画像' if image else 'リンク先'}「{_shown(target[:40])}…」が長すぎます（{len(target):,} 文字）。"
                f"{MAX_TARGET:,} 文字までです", "URL を確かめ、短い URL（トップページや資料のページ）を書いてください")
    scheme = SCHEME.match(as_browser_reads(target))
    if scheme:
        name = scheme.group(1).lower()
        if name not in ("http", "https"):
            return ("body-link-scheme", f"本文のリンク先「{_shown(target)}」は使えません。https:// か http:// の URL、または事例のフォルダのファイルだけです",
                    "「javascript:」などのリンクは書けません")
        if image:
            return ("body-image-external", f"本文の画像「{_shown(target)}」がインターネット上にあります。画像は事例のフォルダに置いてください",
                    f"画像を {case_dir.name}/ フォルダに保存し、![説明]({case_dir.name}/画像.png) と書きます")
        return None
    if not target or target.startswith("#"):
        return None
    if not target.split("#", 1)[0].split("?", 1)[0]:
        return None
    reference = casefiles.resolve(target, case_dir.name)
    if reference.name is None:
        return ("body-link-path", f"本文のリンク先「{_shown(target)}」は事例のフォルダの外を指しています",
                f"ファイルは {case_dir.name}/ フォルダに置き、{case_dir.name}/ファイル名 と書いてください")
    if reference.name not in folder.present:
        rule = "body-image-missing" if image else "body-link-missing"
        return (rule, f"本文の{'画像' if image else 'リンク先'}「{_shown(target)}」のファイルがありません",
                f"ファイルを {case_dir.name}/ フォルダに置いてください")
    return None


def _check_links(scan: Scan, case_dir: Path, folder: casefiles.CaseFolder, report, where) -> None:
    """Inline links and images, reference definitions and autolinks."""
    found = destinations(scan)
    for destination in found:
        if destination.empty_alt is not None:
            report.error("body-image-alt", "本文の画像に代わりの文章（alt）がありません", *where(destination.empty_alt),
                         "![画像の説明](ファイル名) のように、[ ] の中に画像の内容を書いてください")
    for offset, target, image, _ in found:
        problem = _target_problem(target, case_dir, folder, image)
        if problem:
            report.error(problem[0], problem[1], *where(offset), problem[2])
        elif is_local(target):
            _check_bare(target, case_dir.name, image, report, where(offset))


def _check_raw_html(text: str, report, where) -> None:
    """Tags, comments and declarations; autolinks `<https://…>` are links, not HTML."""
    scan = EMAIL_AUTOLINK.sub(lambda m: " " * len(m.group(0)), AUTOLINK.sub(lambda m: " " * len(m.group(0)), text))
    for match in RAW_HTML.finditer(scan):
        start = match.start()
        end = scan.find(">", start, start + 40)
        if end == -1:  # no `>` near: quote up to the end of the line
            end = scan.find("\n", start, start + 40)
            end = start + 40 if end == -1 else end
        snippet = " ".join(scan[start:end].split()) + ">"
        report.error("body-raw-html", f"本文に HTML「{snippet}」は書けません", *where(start), HTML_HINT)


def _check_bare(target: str, case_id: str, image: bool, report, position) -> None:
    """The older form, the bare file name, still works on the site but not in GitHub's preview."""
    reference = casefiles.resolve(target, case_id)
    if reference.name is not None and reference.bare:
        report.warning("file-path-bare",
                       f"本文の{'画像' if image else 'リンク先'}「{_shown(target)}」は古い書き方です。"
                       f"Markdown ファイルからの相対パス「{casefiles.canonical(reference.name, case_id)}」と書いてください",
                       *position, BARE_HINT)


def check_body(body: str, first_line: int, case_dir: Path, report,
               folder: casefiles.CaseFolder | None = None) -> list[str]:
    """Report body problems; return the level-2 headings found, in order."""
    folder = casefiles.scan(case_dir) if folder is None else folder
    scan = read(body)
    if PLACEHOLDER in body:
        for number, line in enumerate(scan.lines):
            if PLACEHOLDER in line and number not in scan.code:
                report.error("body-placeholder", f"本文に「{PLACEHOLDER}」が残っています",
                             first_line + number, line.index(PLACEHOLDER) + 1,
                             "内容を書いてから「" + PLACEHOLDER + "」を消してください")
    text = scan.text
    where = Positions(text, first_line)
    if "<" in text:
        _check_raw_html(text, report, where)
    _check_links(scan, case_dir, folder, report, where)
    headings = [m.group(2) for m in HEADING.finditer(text) if len(m.group(1)) == 2] if "#" in text else []
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
