"""Body check: the Markdown after the front matter.

Content arrives from outside by pull request and the site must never run it,
so raw HTML is refused and links and images are held to http(s) or files in
the case's own folder (images only local: the offline copy has no internet).

Markdown lets a tag, a link or a reference definition run over a line break,
so the checks scan the whole body at once (offsets mapped back to line and
column), with code, where `<` is just text, blanked out first. What counts as
code, and how a link destination is read, follows Python-Markdown, which
renders the site; where the two could differ, the text is checked rather
than skipped: a false alarm costs a contributor a question, a miss could let
script onto the site.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from pathlib import Path

from .. import casefiles

PLACEHOLDER = "【要記入】"
MAX_TARGET = 4096  # characters of a link or image target; longer is no real URL and no file name
RECOMMENDED_HEADINGS = ["背景・課題", "取組内容", "効果", "工夫・苦労した点", "今後の展開"]

# Python-Markdown's fenced block: the fence at column 0, an optional language or
# {attributes}, closed by a line holding exactly the same fence.
FENCE_OPEN = re.compile(r"(`{3,}|~{3,})[ \t]*(?:\{.*\}|(?:\.?[\w#.+-]*[ \t]*)?"
                        r"(?:hl_lines=([\"']).*?\2[ \t]*)?)$")
LIST_ITEM = re.compile(r" {0,3}(?:[*+-]|[0-9]+[.)])(?:[ \t]|$)")
QUOTE_MARKS = re.compile(r"(?: {0,3}>)*")
BACKTICKS = re.compile(r"`+")
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>")
EMAIL_AUTOLINK = re.compile(r"<[^\s<>@]+@[^\s<>@]+>")
RAW_HTML = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9\-]*(?=[\s/>])|!--|![A-Za-z]|\?)")
LINK_OPEN = re.compile(r"\]\(")
# A reference definition, also in a list item or a quote; its URL may stand on the
# next line (which may itself start a definition, so the URL is only looked ahead at).
REFERENCE = re.compile(r"^(?:[ \t]*(?:>|(?:[*+-]|[0-9]+[.)])(?=[ \t])))*[ \t]*\[[^\[\]]*\]:"
                       r"(?=[ \t]*(?:\n[ \t>]*)?(\S+))", re.MULTILINE)
DESTINATION_SPACE = re.compile(r"(?:[ \t]|\n(?!\n))*")  # any space, but no blank line
ANGLED = re.compile(r"<([^<>]*)>")
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$", re.MULTILINE)
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
URL_IGNORED = re.compile(r"[\t\n\r]")  # browsers drop these from URLs
CONTROL_OR_SPACE = "".join(map(chr, range(0x21)))  # and strip these at the start
CODE_MARKS = re.compile(r"\s*`+\s*")
BRACKETS = re.compile(r"\n\n|[\[\]]")
PARENS = re.compile(r"\n\n|[()]")
# The start of an unbalanced destination: what a browser skips (spaces, control
# characters, code-span backticks, whose text goes into the URL), then up to a space;
# a line break does not end it, as a browser drops line breaks (`java⏎script:`).
FIRST_WORD = re.compile(r"(?:[\x00-\x09\x0b-\x20`]|\n(?!\n))*(?:`[^`\n]*`|[^ \n]|\n(?!\n)){0,200}")

BARE_HINT = ("GitHub のプレビューでも表示されるようになります。"
             "make fix WRITE=1（python -m generator fix --write）で書き換えられます")
HTML_HINT = ("Markdown の書き方（見出しは ##、リンクは [文字](URL)）を使ってください。"
             "「<」を文字として書くときは「&lt;」と書きます")


def _blank(text: str, spans) -> str:
    """The text with the given (start, end) spans replaced by spaces: offsets stay put."""
    parts, last = [], 0
    for start, end in spans:
        parts.append(text[last:start])
        parts.append(" " * (end - start))
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _fenced_lines(lines: list[str]) -> set[int]:
    """Lines of fenced code blocks; an unclosed fence is no code block in Python-Markdown."""
    closers: dict[str, list[int]] = {}
    for number, line in enumerate(lines):
        bare = line.rstrip(" \t")
        if bare[:3] in ("```", "~~~") and bare.count(bare[0]) == len(bare):
            closers.setdefault(bare, []).append(number)
    code: set[int] = set()
    number = 0
    while number < len(lines):
        opener = FENCE_OPEN.match(lines[number]) if lines[number][:3] in ("```", "~~~") else None
        if opener:
            later = closers.get(opener.group(1), [])
            index = bisect_right(later, number)
            if index < len(later):
                code.update(range(number, later[index] + 1))
                number = later[index] + 1
                continue
        number += 1
    return code


def _is_blank(number: int, line: str) -> bool:
    """Python-Markdown's blank line: empty after spaces and tabs, except a first line,
    which it keeps (and U+3000 is text)."""
    return not line if number == 0 else not line.strip(" \t")


def _indent(line: str) -> int:
    width = len(line) - len(line.lstrip(" \t"))
    return len(line[:width].expandtabs(4))


def _code_lines(body: str, lines: list[str]) -> set[int]:
    """Fenced blocks, and indented blocks: 4 spaces after a blank line, unless a list goes on.

    An indented block after a list item continues the item, so it is text; the
    list ends at the first unindented line after a blank line.
    """
    code = _fenced_lines(lines) if "```" in body or "~~~" in body else set()
    after_blank, in_list, in_code = True, False, False
    for number, line in enumerate(lines):
        if number in code:
            after_blank = in_code = False
            continue
        if _is_blank(number, line):
            after_blank = True
            continue
        indented = _indent(line) >= 4
        if indented and (in_code or (after_blank and not in_list)):
            code.add(number)
            in_code = True
        else:
            in_code = False
            if LIST_ITEM.match(line):
                in_list = True
            elif after_blank and not indented:
                in_list = False
        after_blank = False
    return code


def _escaped(text: str, at: int) -> bool:
    """An odd number of backslashes before ``at``."""
    before = at
    while before and text[before - 1] == "\\":
        before -= 1
    return (at - before) % 2 == 1


def _exact_spans(line: str) -> list[tuple[int, int]] | None:
    """The code spans of one line, if each backtick run in it opens a span that a later
    run of the same length closes (or lies inside one); None if any run is left over."""
    spans, at = [], line.find("`")
    while at != -1:
        if _escaped(line, at):  # text; the next backtick of the run may open a span
            at = line.find("`", at + 1)
            continue
        length = BACKTICKS.match(line, at).end() - at
        close = next((run.end() for run in BACKTICKS.finditer(line, at + length)
                      if run.end() - run.start() == length), None)
        if close is None:
            return None
        spans.append((at, close))
        at = line.find("`", close)
    return spans


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Code spans to skip: only in paragraphs whose every line pairs all its backticks.

    Python-Markdown pairs backticks within a block, and where a block ends is
    not always visible here (a heading, a list item or `===` ends one without a
    blank line). A run left over on a line may pair with one on another line,
    or close a span differently (its fallback: the longest shorter run), so such
    a paragraph keeps its code spans checked. Where every run pairs within its
    line, any division into blocks gives the same spans.
    """
    spans, paragraph, clean, offset = [], [], True, 0
    for line in text.split("\n"):
        if not line:
            spans += paragraph if clean else []
            paragraph, clean = [], True
        elif clean and "`" in line:
            found = _exact_spans(line)
            clean = found is not None
            paragraph += [(offset + start, offset + end) for start, end in found or []]
        offset += len(line) + 1
    return spans + (paragraph if clean else [])


def _block_text(lines: list[str], code: set[int]) -> str:
    """What Markdown reads as text: code lines emptied, quote marks (`> `) made spaces,
    blank lines emptied; line numbers and columns stay put."""
    text = []
    for number, line in enumerate(lines):
        if number in code:
            line = ""
        elif ">" in line[:4]:
            quoted = QUOTE_MARKS.match(line).end()
            line = " " * quoted + line[quoted:]
        text.append("" if _is_blank(number, line) else line)
    return "\n".join(text)


class _Positions:
    """Maps an offset in the body text to a file line and a 1-based column."""

    def __init__(self, text: str, first_line: int):
        self.text, self.first_line, self.starts = text, first_line, None

    def __call__(self, offset: int) -> tuple[int, int]:
        if self.starts is None:
            self.starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        index = bisect_right(self.starts, offset) - 1
        return self.first_line + index, offset - self.starts[index] + 1


def _shown(target: str) -> str:
    """A target as quoted in a message: on one line."""
    return " ".join(target.split())


def _as_browser_reads(target: str) -> str:
    """The target as a browser gets it: code-span backticks gone (Markdown puts their
    text in the URL), references decoded, tabs and line breaks dropped, leading
    control characters stripped (`java&#10;script:` is `javascript:`)."""
    if "&" not in target and "`" not in target and target.isprintable():
        return target
    target = CODE_MARKS.sub("", target)
    return URL_IGNORED.sub("", html.unescape(target)).lstrip(CONTROL_OR_SPACE)


def _target_problem(target: str, case_dir: Path, folder: casefiles.CaseFolder,
                    image: bool) -> tuple[str, str, str] | None:
    """(rule, message, hint) for a link or image target that is not allowed.

    A local path is read relative to the Markdown file (`<id>/map.png`), as
    GitHub's preview reads it; it must name a file of the case's own folder.
    """
    if len(target) > MAX_TARGET:
        return ("body-link-long", f"本文の{'画像' if image else 'リンク先'}「{_shown(target[:40])}…」が長すぎます（{len(target):,} 文字）。"
                f"{MAX_TARGET:,} 文字までです", "URL を確かめ、短い URL（トップページや資料のページ）を書いてください")
    scheme = SCHEME.match(_as_browser_reads(target))
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


def _matching(text: str, pattern: re.Pattern) -> dict[int, int]:
    """Offset of each opening bracket → offset of the one closing it, nested as Markdown
    nests them: not escaped, not across a blank line. One pass, so long texts stay fast."""
    pairs, stack = {}, []
    for match in pattern.finditer(text):
        char = match.group()
        if char == "\n\n":
            stack.clear()
        elif _escaped(text, match.start()):
            continue
        elif char in "[(":
            stack.append(match.start())
        elif stack:
            pairs[stack.pop()] = match.start()
    return pairs


def _destination(text: str, start: int, parens: dict[int, int]) -> tuple[int, str]:
    """(offset, target) of the link destination after the `(` at ``start - 1``.

    As Python-Markdown reads it: spaces and a line break may come first; then
    `<…>`, or everything up to the `)` that balances the parentheses, less a
    trailing "title". Unbalanced, the first word is taken, so it is still checked.
    """
    begin = DESTINATION_SPACE.match(text, start).end()
    angled = ANGLED.match(text, begin)
    if angled:
        return begin + 1, angled.group(1).strip()
    close = parens.get(start - 1)
    if close is None:
        return begin, FIRST_WORD.match(text, begin).group()
    target = text[begin:close].rstrip()
    if target[-1:] in ("'", '"') and target.find(target[-1]) < len(target) - 1:
        target = target[:target.find(target[-1])]  # less the "title"
    return begin, target.strip()


def _inline_targets(text: str, blocks: str, report, where) -> list[tuple[int, str, bool]]:
    """(offset, target, image) of each `[…](…)` and `![…](…)`; an image without alt is reported."""
    brackets = {close: opening for opening, close in _matching(text, BRACKETS).items()}
    parens = _matching(blocks, PARENS)
    targets = []
    for match in LINK_OPEN.finditer(text):
        opening = brackets.get(match.start(), -1)
        image = opening > 0 and text[opening - 1] == "!"
        if image and not text[opening + 1:match.start()].strip():
            report.error("body-image-alt", "本文の画像に代わりの文章（alt）がありません", *where(opening - 1),
                         "![画像の説明](ファイル名) のように、[ ] の中に画像の内容を書いてください")
        targets.append((*_destination(blocks, match.end(), parens), image))
    return targets


def _targets(text: str, blocks: str, report, where) -> list[tuple[int, str, bool]]:
    """(offset, target, image) of every link destination: inline, reference, autolink."""
    targets = _inline_targets(text, blocks, report, where) if "](" in text else []
    for match in REFERENCE.finditer(blocks):
        value = match.group(1)
        targets.append((match.start(1) + len(value) - len(value.lstrip("<")), value.lstrip("<").rstrip(">"), False))
    angled = {offset - 1 for offset, _, _ in targets if offset and blocks[offset - 1] == "<"}
    targets += [(m.start(), m.group(1), False) for m in AUTOLINK.finditer(text)
                if m.start() not in angled]  # `(<…>)` is a destination, not an autolink too
    return targets


class _Quiet:
    def error(self, *args) -> None:
        pass


def local_targets(body: str) -> list[tuple[int, int, str]]:
    """(body line index, column index, target) of each link or image destination that is
    no URL, read exactly as the checker reads them: `fix` rewrites these, and no other."""
    lines = body.split("\n")
    blocks = _block_text(lines, _code_lines(body, lines))
    text = _blank(blocks, _code_spans(blocks)) if "`" in blocks else blocks
    if "](" not in text and "]:" not in blocks:
        return []
    where = _Positions(text, 0)
    found = []
    for offset, target, _ in _targets(text, blocks, _Quiet(), where):
        if target and not target.startswith("#") and not SCHEME.match(_as_browser_reads(target)):
            line, column = where(offset)
            found.append((line, column - 1, target))
    return found


def _check_links(text: str, blocks: str, case_dir: Path, folder: casefiles.CaseFolder, report, where) -> None:
    """Inline links and images, reference definitions and autolinks.

    ``text`` has its code spans blanked, ``blocks`` not: Markdown reads reference
    definitions before code spans, and a code span in a link destination is
    taken into the URL (`[a](`javascript:x`)` links to javascript:x).
    """
    for offset, target, image in _targets(text, blocks, report, where):
        problem = _target_problem(target, case_dir, folder, image)
        if problem:
            report.error(problem[0], problem[1], *where(offset), problem[2])
        elif not SCHEME.match(_as_browser_reads(target)) and not target.startswith("#"):
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
    lines = body.split("\n")
    code = _code_lines(body, lines)
    blocks = _block_text(lines, code)  # the text of Markdown's blocks
    text = _blank(blocks, _code_spans(blocks)) if "`" in blocks else blocks  # and as inline text
    if PLACEHOLDER in body:
        for number, line in enumerate(lines):
            if PLACEHOLDER in line and number not in code:
                report.error("body-placeholder", f"本文に「{PLACEHOLDER}」が残っています",
                             first_line + number, line.index(PLACEHOLDER) + 1,
                             "内容を書いてから「" + PLACEHOLDER + "」を消してください")
    where = _Positions(text, first_line)
    if "<" in text:
        _check_raw_html(text, report, where)
    if "](" in text or "]:" in blocks or "<" in text:
        _check_links(text, blocks, case_dir, folder, report, where)
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
