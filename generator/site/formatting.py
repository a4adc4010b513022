"""How the site writes values: dates, yen, URLs, tag file names, statuses.

Templates use these as filters and every page kind shares them, so a value
reads the same on case pages, listings, comparison tables and the data page.
"""

from __future__ import annotations

import hashlib
import urllib.parse

from ..model import Case
from ..urls import safe_url

STATUS_SLUGS = {"検討中": "kentou", "実証中": "jisshou", "運用中": "unyou", "横展開": "yokotenkai", "終了": "shuuryou"}

STATUS_NOTES = {
    "検討中": "導入を検討している段階の取組です。",
    "実証中": "実証実験や試行をしている段階の取組です。",
    "運用中": "本格的に運用している取組です。",
    "横展開": "ほかの団体にも広がっている取組です。",
    "終了": "終了した取組です。",
}


def tag_slug(tag: str) -> str:
    """ASCII file name for a free-text tag: stable, short, unique enough."""
    return hashlib.sha1(tag.encode("utf-8")).hexdigest()[:10]


def format_date(value: str) -> str:
    parts = value.split("-")
    text = f"{int(parts[0])}年"
    if len(parts) > 1:
        text += f"{int(parts[1])}月"
    if len(parts) > 2:
        text += f"{int(parts[2])}日"
    return text


def web_url(url: str) -> str | None:
    """The URL if it is an absolute http(s) URL, else None: only web links become links,
    whatever reached us (the gate is `urls.safe_url`)."""
    return safe_url(url, relative=False)


def display_url(url: str) -> str:
    """A URL as people read it: percent-encoded Japanese decoded."""
    try:
        return urllib.parse.unquote(url, errors="strict")
    except UnicodeDecodeError:
        return url


def months_text(months: int | None) -> str:
    """Months from 着手 to 開始, approximate: both dates may give only a month."""
    if months is None:
        return ""
    return "1か月未満" if months == 0 else f"約{months}か月"


def format_count(value: int) -> str:
    """A filter, not "{:,}".format in the template: the template engine that may
    succeed Jinja2 (MiniJinja) has no Python string methods."""
    return f"{value:,}"


def file_kind(name: str) -> str:
    """What a reader is about to download, from the file name: PDF, PNG ..."""
    return name.rsplit(".", 1)[-1].upper() if "." in name else ""


def format_yen(value: int) -> str:
    """Budgets are read in 万円 and 億円; the exact yen stays beside them for checking.
    Amounts that are not whole 万円 are rounded and marked 約."""
    exact = f"{value:,}円"
    if value < 10_000:
        return exact
    man = (value + 5_000) // 10_000
    oku, rest = divmod(man, 10_000)
    big = (f"{oku:,}億" if oku else "") + (f"{rest:,}万円" if rest else "円")
    return f"{'' if value % 10_000 == 0 else '約'}{big}（{exact}）"


def outcome_headline(case: Case) -> str:
    for outcome in case.outcomes:
        if isinstance(outcome, dict):
            before = f"{outcome['before']} → " if outcome.get("before") else ""
            return f"{outcome['indicator']}: {before}{outcome['after']}"
    return case.outcomes[0] if case.outcomes else ""


def size_text(size: int) -> str:
    """A download's size as people read it."""
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"
