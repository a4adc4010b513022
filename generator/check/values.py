"""Value rules the schema names but cannot fully state.

Each rule takes the checker, the scalar node, its schema keywords, a label
and the key path; it reports what is wrong with a hint, and returns the value
to keep or INVALID. `RULES` maps the schema's $defs names to these rules.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ..casefiles import canonical, resolve
from ..diagnostics import WARNING
from ..municipalities import fold_ke, has_valid_check_digit, check_digit
from ..suggest import suggest
from ..yamltree import Map

INVALID = object()  # a refused value; its diagnostic has been reported

HTML_TAG = re.compile(r"<[A-Za-z/!?][^>]*>?")
DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?$")
ERA = re.compile(r"^(令和|平成|昭和|R|H|S)\s*([0-9]+|元)\s*(?:年|[./\-])?\s*(?:([0-9]+)\s*(?:月|[./\-])?)?"
                 r"\s*(?:([0-9]+)\s*日?)?$")  # 令和5年12月, R5.12, 令和5.12.1
ERA_START = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988, "昭和": 1925, "S": 1925}
ERA_LAST = {"平成": 31, "H": 31, "昭和": 64, "S": 64}  # 令和 goes on
ERA_NAMES = {"令和": "令和", "R": "令和", "平成": "平成", "H": "平成", "昭和": "昭和", "S": "昭和"}
LOOSE_DATE = re.compile(r"^([0-9]{4})\s*[年/.\-]\s*(?:([0-9]{1,2})\s*[月/.\-]?\s*(?:([0-9]{1,2})\s*日?)?)?$")
URL = re.compile(r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s<>\"]+$")  # the schema's pattern: a scheme in any case
PHONE = re.compile(r"^0[0-9]{1,4}-?[0-9]{1,4}-?[0-9]{3,4}$")
MOBILE = re.compile(r"^0[789]0")
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
CASE_ID = re.compile(r"^[0-9]{6}-[a-z0-9-]{3,60}$")


def _iso(year: int, month: int | None, day: int | None) -> str:
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")


def date_parts(value: str) -> tuple[int, int | None, int | None]:
    match = DATE.match(value)
    year, month, day = match.groups()
    return int(year), int(month) if month else None, int(day) if day else None


def date_start(value: str) -> dt.date:
    """First day a YYYY / YYYY-MM / YYYY-MM-DD value can mean."""
    year, month, day = date_parts(value)
    return dt.date(year, month or 1, day or 1)


def _real_date(year: int, month: int | None, day: int | None) -> bool:
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return False
    return True


def _era_match(text: str):
    return ERA.match(unicodedata.normalize("NFKC", text).strip())


def _era_year_problem(era: str, year: str) -> str | None:
    """Why an era year names no year (`令和0年`, `平成99年`, `令和9999年`), or None.

    Checked on the digits before any arithmetic: a contributor may type any number
    of them, and an int of thousands of digits is refused by Python itself.
    """
    name = ERA_NAMES[era]
    if year == "元":
        return None
    if len(year.lstrip("0")) > 4 or ERA_START[era] + _number(year) > 9999:
        return f"{name}の年が大きすぎます（西暦 9999 年を超えます）"
    if _number(year) == 0:
        return f"{name}は 1 年（元年）から数えます"
    if era in ERA_LAST and _number(year) > ERA_LAST[era]:
        return f"{name}は {ERA_LAST[era]} 年（{ERA_START[era] + ERA_LAST[era]} 年）までです"
    return None


def _number(digits: str) -> int:
    """The value of a digit string with few significant digits (leading zeros are not
    counted by the caller, but Python refuses an int of over 4,300 digits, zeros or not)."""
    return int(digits.lstrip("0") or "0")


def _small(digits: str | None) -> int | None:
    """A month or day as written; a long digit string stays out of range without a huge int."""
    if not digits:
        return None
    return _number(digits) if len(digits.lstrip("0")) <= 2 else 99


def era_to_western(text: str) -> str | None:
    """`令和5年12月` → `2023-12`; None when the text is no era date or names no real day."""
    match = _era_match(text)
    if not match or _era_year_problem(match.group(1), match.group(2)):
        return None
    era, year, month, day = match.groups()
    number = 1 if year == "元" else _number(year)
    parts = ERA_START[era] + number, _small(month), _small(day)
    if (parts[1] is not None and not 1 <= parts[1] <= 12) or not _real_date(*parts):
        return None
    return _iso(*parts)


def date_rule(checker, node, sch, label, path):
    value = node.value.strip()
    folded = unicodedata.normalize("NFKC", value)
    report = checker.report
    era = _era_match(value)
    if era:
        western = era_to_western(value)
        problem = _era_year_problem(era.group(1), era.group(2))
        if western:
            hint = f"\"{western}\""
        elif problem:
            hint = problem + "。和暦を確かめ、西暦で書いてください"
        else:
            year = ERA_START[era.group(1)] + (1 if era.group(2) == "元" else _number(era.group(2)))
            hint = f"西暦では {year} 年です。月と日を確かめてください"
        report.at(node, "date-era", f"{label} に和暦「{value}」は使えません。西暦で書いてください", hint=hint)
        return INVALID
    match = DATE.match(value)
    if not match:
        loose = LOOSE_DATE.match(folded)
        hint = None
        if loose:
            y, m, d = (int(g) if g else None for g in loose.groups())
            hint = f"\"{_iso(y, m, d)}\"" if _real_date(y, m, d) and (m is None or 1 <= m <= 12) else None
        report.at(node, "date-format", f"{label} の「{value}」は日付の形になっていません",
                  hint=hint or "YYYY、YYYY-MM、YYYY-MM-DD のいずれか（例: \"2023-12\"、\"2024-01-16\"）で書いてください")
        return INVALID
    year, month, day = date_parts(value)
    if (month is not None and not 1 <= month <= 12) or not _real_date(year, month, day) or year < 1000:
        report.at(node, "date-invalid", f"{label} の「{value}」という日付はありません",
                  hint="月と日を確かめてください")
        return INVALID
    canonical = _iso(year, month, day)
    if canonical != value:
        report.at(node, "date-format", f"{label} の「{value}」は月と日を 2 桁で書いてください",
                  hint=f"\"{canonical}\"")
        return INVALID
    return value


def url_rule(checker, node, sch, label, path):
    value = node.value.strip()
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    if scheme and scheme not in ("http", "https") and re.match(r"^[a-z][a-z0-9+.\-]*$", scheme):
        checker.report.at(node, "url-scheme", f"{label} に「{scheme}:」の URL は書けません。https:// か http:// で始まる URL だけです",
                          hint="ウェブページの URL を書いてください")
        return INVALID
    if not URL.match(value):
        hint = "URL の途中に空白や全角文字の記号がないか確かめてください"
        if not scheme:
            hint = f"\"https://{value}\" のように https:// から書いてください"
        checker.report.at(node, "url-format", f"{label} の「{value}」は URL の形になっていません", hint=hint)
        return INVALID
    return value


def phone_rule(checker, node, sch, label, path):
    value = node.value.strip()
    folded = unicodedata.normalize("NFKC", value).replace("ー", "-").replace("−", "-").replace("‐", "-")
    digits = re.sub(r"[^0-9]", "", folded)
    if MOBILE.match(digits):
        checker.report.at(node, "phone-mobile", f"{label} に携帯電話の番号（070/080/090）は書けません",
                          hint="個人ではなく、部署の代表電話番号を書いてください")
        return INVALID
    if not PHONE.match(value):
        hint = "市外局番から半角数字とハイフンで書いてください（例: 055-995-1804）"
        if folded != value and PHONE.match(folded):
            hint = f"\"{folded}\""
        checker.report.at(node, "phone-format", f"{label} の「{value}」は電話番号の形になっていません", hint=hint)
        return INVALID
    return value


def email_rule(checker, node, sch, label, path):
    value = node.value.strip()
    if not EMAIL.match(value):
        folded = unicodedata.normalize("NFKC", value)
        checker.report.at(node, "email-format", f"{label} の「{value}」はメールアドレスの形になっていません",
                          hint=f"\"{folded}\"" if EMAIL.match(folded) else "例: gyomukaikaku@city.example.lg.jp")
        return INVALID
    return value


def case_id_rule(checker, node, sch, label, path):
    value = node.value.strip()
    if not CASE_ID.match(value):
        checker.report.at(node, "case-id-format", f"{label} の「{value}」は事例 ID の形になっていません",
                          hint="事例ファイルの名前から .md を除いたものを書きます（例: 222208-okuyami-one-stop）")
        return INVALID
    checker.ctx.references.append((path, value, node))
    return value


def area_rule(checker, node, sch, label, path):
    value = unicodedata.normalize("NFKC", node.value).strip()
    areas = checker.ctx.areas
    if value in areas or not areas:  # no vocabulary: its own diagnostic says why
        return value
    containing = [a for a in areas if value and value in a]
    best = containing[0] if len(containing) == 1 else suggest(value, areas, 0.4)
    checker.report.at(node, "area-unknown", f"分野「{value}」は分野の一覧（areas.yml）にありません",
                      hint=f"「{best}」のことですか？" if best else "使える分野: " + "、".join(areas))
    return INVALID


def file_rule(checker, node, sch, label, path):
    """A file of the case's folder, written relative to the Markdown file as the body's
    images are (`<id>/flow.pdf`); the value kept is the name inside the folder."""
    value = node.value.strip()
    case_id = checker.ctx.case_dir.name
    reference = resolve(value, case_id)
    if reference.name is None or reference.fragment or "?" in value:
        checker.report.at(node, "file-path", f"{label} の「{value}」は事例のフォルダの中のファイルを指していません",
                          hint=f"事例のフォルダ（{case_id}/）に置いたファイルを {case_id}/ファイル名 の形で書いてください")
        return INVALID
    if reference.name not in checker.ctx.folder.present:
        checker.report.at(node, "file-missing", f"{label} のファイル「{value}」がありません",
                          hint=f"ファイルを {case_id}/ フォルダに置いてください")
        return INVALID
    if reference.bare:
        checker.report.at(node, "file-path-bare",
                          f"{label} の「{value}」は古い書き方です。Markdown ファイルからの相対パス"
                          f"「{canonical(reference.name, case_id)}」と書いてください",
                          hint="make fix WRITE=1（python -m generator fix --write）で書き換えられます",
                          severity=WARNING)
    return reference.name


def text_rule(checker, node, sch, label, path):
    return checker.text(node, sch, label)


def tag_rule(checker, node, sch, label, path):
    """Tags are keywords people search by: `ＤＸ` and `DX` are one tag."""
    return checker.text(node, sch, label, fold=True)


def code_rule(checker, node, sch, label, path):
    value = node.value.strip()
    report = checker.report
    folded = unicodedata.normalize("NFKC", value)
    if folded != value and re.fullmatch(r"[0-9]{6}", folded):
        report.at(node, "code-fullwidth", f"{label} の「{value}」に全角数字が使われています。半角数字で書いてください",
                  hint=f"code: \"{folded}\"")
        return INVALID
    if node.plain:
        why = ""
        if value.startswith("0") and value.isdigit():
            if set(value) <= set("01234567"):
                why = f"。引用符がないと {value} は 8 進数の {int(value, 8)} と読まれます"
            else:
                why = f"。引用符がないと数値 {int(value)} として読まれ、先頭の 0 が消えることがあります"
        report.at(node, "code-unquoted", f"{label} の {value} を引用符で囲んでください{why}",
                  hint=f"code: \"{value}\"")
        return INVALID
    if not re.fullmatch(r"[0-9]{6}", value):
        report.at(node, "code-format", f"{label} の「{value}」は 6 桁の団体コードになっていません",
                  hint=_code_hint(checker) or "全国地方公共団体コード（6 桁、例: \"222208\"）を書いてください")
        return INVALID
    if not has_valid_check_digit(value):
        report.at(node, "code-check-digit",
                  f"{label} の {value} は検査数字（6 桁目）が合いません（{value[:5]} なら 6 桁目は {check_digit(value[:5])}）",
                  hint=_code_hint(checker) or "団体コードを写し間違えていないか確かめてください")
        return INVALID
    if value not in checker.ctx.registry.by_code:
        report.at(node, "code-unknown", f"{label} の {value} は全国地方公共団体コードの一覧にありません",
                  hint=_code_hint(checker) or "総務省の全国地方公共団体コードを確かめてください")
        return INVALID
    return value


def _code_hint(checker) -> str | None:
    """The code that the sibling name points to, when the name is official."""
    name = checker.ctx.sibling_name
    if not name:
        return None
    found = checker.ctx.registry.find(name) or checker.ctx.registry.find_variant(name)
    if not found:
        return None
    return "団体名から: " + "、".join(f"{m.full_name} は \"{m.code}\"" for m in found)


def municipality_rule(checker, node, sch, label, path):
    """{code, name}: structure by the schema, then name and code must agree."""
    name_node = node.get("name") if isinstance(node, Map) else None
    checker.ctx.sibling_name = name_node.value.strip() if name_node is not None and hasattr(name_node, "value") else None
    try:
        result = checker.walk_object(node, sch, path, label)
    finally:
        checker.ctx.sibling_name = None
    if result is INVALID:
        return result
    registry = checker.ctx.registry
    official = registry.by_code[result["code"]]
    name = result["name"]
    if name in registry.names_accepted(official):
        return result
    report = checker.report
    accepted = f"{official.name}" + ("" if official.type == "都道府県" else f"（{official.full_name}）")
    if fold_ke(name) in {fold_ke(n) for n in registry.names_accepted(official)}:
        report.at(name_node, "name-variant", f"団体名「{name}」は正式な表記で書いてください",
                  hint=f"\"{official.name}\"")
        return INVALID
    others = registry.find(name) or registry.find_variant(name)
    if others:
        listed = "、".join(f"{m.full_name}（\"{m.code}\"）" for m in others)
        hint = f"「{name}」は {listed} です。団体コード {result['code']} は {official.full_name} です"
    else:
        hint = f"団体コード {result['code']} の団体は {accepted} です"
    report.at(name_node, "name-mismatch", f"団体名「{name}」が団体コード {result['code']} と一致しません", hint=hint)
    return INVALID


RULES = {
    "text": text_rule,
    "tag": tag_rule,
    "date": date_rule,
    "url": url_rule,
    "phone": phone_rule,
    "email": email_rule,
    "caseId": case_id_rule,
    "area": area_rule,
    "relativeFile": file_rule,
    "municipalityCode": code_rule,
}


def integer_hint(text: str) -> str | None:
    """`1,200,000` / `120万円` → `1200000`: the integer a contributor meant."""
    folded = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace("円", "").replace("人", "")
    match = re.fullmatch(r"(?:([0-9]{1,12})億)?(?:([0-9]{1,12})万)?([0-9]{1,24})?", folded)
    if not folded or not match or not any(match.groups()):
        return None
    oku, man, rest = (int(g) if g else 0 for g in match.groups())
    return f"{oku * 100_000_000 + man * 10_000 + rest}（カンマや単位を付けず、引用符なしで）"
