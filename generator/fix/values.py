"""The value fixes: codes, dates, phones, e-mail addresses, URLs and municipality names.

Each is applied only when the result is a valid value, so a fix never turns
one mistake into another; what is left is reported by `check`. The values are
found through the schema (walk.py), so a new date or URL field is fixed with
no change here.
"""

from __future__ import annotations

import re
import unicodedata

from .. import yamltree
from ..check.values import (DATE, EMAIL, LOOSE_DATE, MOBILE, PHONE, URL, _iso, _real_date, date_parts,
                            era_to_western)
from ..municipalities import fold_ke, registry
from ..walk import scalars
from .spans import Change, inner_span, quoted, scalar_span

CODE = re.compile(r"^[0-9]{6}$")
DASHES = str.maketrans({"ー": "-", "−": "-", "‐": "-", "‑": "-", "–": "-", "—": "-", "―": "-"})


def _fix_code(node):
    value = node.value
    folded = unicodedata.normalize("NFKC", value).strip()
    if not CODE.match(folded):
        return None
    if folded != value.strip():
        return quoted(folded), f"団体コード「{value}」の全角数字を半角にしました（\"{folded}\"）"
    if node.plain:
        return quoted(folded), f"団体コード {value} を引用符で囲みました（引用符がないと数値として読まれます）"
    return None


def _fix_date(node):
    value = node.value.strip()
    if DATE.match(value):
        year, month, day = date_parts(value)
        canonical = _iso(year, month, day)
        if canonical == value or not _valid_date(year, month, day):
            return None
        return quoted(canonical), f"日付「{value}」を \"{canonical}\" にしました（月と日は 2 桁）"
    western = era_to_western(value)
    if western:
        if not _valid_date(*date_parts(western)):
            return None
        return quoted(western), f"和暦の日付「{value}」を西暦の \"{western}\" にしました"
    loose = LOOSE_DATE.match(unicodedata.normalize("NFKC", value))
    if not loose:
        return None
    year, month, day = (int(g) if g else None for g in loose.groups())
    if not _valid_date(year, month, day):
        return None
    canonical = _iso(year, month, day)
    return quoted(canonical), f"日付「{value}」を \"{canonical}\" の形にしました"


def _valid_date(year: int, month: int | None, day: int | None) -> bool:
    return year >= 1000 and (month is None or 1 <= month <= 12) and _real_date(year, month, day)


def _foldinner(node, folded: str, label: str):
    value = node.value
    if folded == value:
        return None
    return folded, f"{label}「{value}」の全角文字を半角にしました（{folded}）"


def _fix_phone(node):
    folded = unicodedata.normalize("NFKC", node.value).translate(DASHES).strip()
    if not PHONE.match(folded) or MOBILE.match(folded):
        return None
    return _foldinner(node, folded, "電話番号")


def _fix_email(node):
    folded = unicodedata.normalize("NFKC", node.value).strip()
    return _foldinner(node, folded, "メールアドレス") if EMAIL.match(folded) and folded.isascii() else None


def _fix_url(node):
    folded = unicodedata.normalize("NFKC", node.value).strip()
    return _foldinner(node, folded, "URL") if URL.match(folded) and folded.isascii() else None


WHOLE = {"municipalityCode": _fix_code, "date": _fix_date}      # the scalar is rewritten, quoted
INNER = {"phone": _fix_phone, "email": _fix_email, "url": _fix_url}  # only the text, quoting kept


def fix_values(lines: list[str], front: yamltree.Map, changes: list[Change]) -> None:
    found, pairs = scalars(front)
    edits = []  # (line index, start, end, replacement)
    for item in found:
        fixer = WHOLE.get(item.kind) or INNER.get(item.kind)
        fixed = fixer(item.node) if fixer else None
        span = scalar_span(lines, item.node) if fixed else None
        if span is None:
            continue
        replacement, message = fixed
        if item.kind in INNER:
            inner = inner_span(lines, item.node, span)
            if inner is None:
                continue
            span = (span[0], *inner)
        edits.append((*span, replacement))
        changes.append(Change(item.node.line, message))
    for pair in pairs:
        edit = _fix_name(lines, pair)
        if edit:
            edits.append(edit[0])
            changes.append(edit[1])
    for index, start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        lines[index] = lines[index][:start] + replacement + lines[index][end:]


def _fix_name(lines: list[str], pair):
    """The official spelling for a name that differs only by ケ/ヶ or width, by the pair's code."""
    if pair.code is None or pair.name is None:
        return None
    code = unicodedata.normalize("NFKC", pair.code.value).strip()
    reg = registry()
    official = reg.by_code.get(code)
    name = pair.name.value.strip()
    if official is None or name in reg.names_accepted(official):
        return None
    spelled = [n for n in sorted(reg.names_accepted(official)) if fold_ke(n) == fold_ke(name)]
    span = scalar_span(lines, pair.name)
    inner = inner_span(lines, pair.name, span) if span else None
    if len(spelled) != 1 or inner is None:
        return None
    return ((span[0], *inner, spelled[0]),
            Change(pair.name.line, f"団体名「{name}」を正式な表記「{spelled[0]}」にしました（団体コード {code}）"))
