"""`new`: a case file at its proper path, from the template, with the code filled in.

The template's 【要記入】 placeholders make `check` fail until a person has
replaced them, so a scaffold cannot be merged by accident.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .municipalities import Municipality, registry

TEMPLATE = Path(__file__).parent / "data" / "case-template.md"
SLUG = re.compile(r"^[a-z0-9-]{3,60}$")


class ScaffoldError(Exception):
    """A problem with the arguments of `new`, in Japanese, with a hint."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message, self.hint = message, hint


def resolve_municipality(name: str, prefecture: str | None) -> Municipality:
    reg = registry()
    found = reg.find(name, prefecture)
    if not found:
        variants = [m for m in reg.find_variant(name)
                    if not prefecture or prefecture in (m.prefecture, reg.prefecture_of(m).romaji)]
        if variants:
            raise ScaffoldError(f"団体名「{name}」は正式な表記ではありません",
                                "正式な表記: " + "、".join(m.full_name for m in variants))
        if prefecture and reg.find(name):
            others = "、".join(m.full_name for m in reg.find(name))
            raise ScaffoldError(f"{prefecture} に「{name}」はありません", f"「{name}」は {others} です")
        raise ScaffoldError(f"団体名「{name}」は全国地方公共団体コードの一覧にありません",
                            "正式な名前（例: 裾野市、茅ヶ崎市）で書いてください")
    if len(found) > 1:
        choices = "、".join(f"{m.full_name}（--prefecture {reg.prefecture_of(m).romaji}）" for m in found)
        raise ScaffoldError(f"「{name}」という団体は {len(found)} つあります。--prefecture で都道府県を指定してください",
                            choices)
    return found[0]


def render(municipality: Municipality, title: str, today: dt.date) -> str:
    text = TEMPLATE.read_text(encoding="utf-8")
    values = {"{title}": title.replace('"', "'"), "{code}": municipality.code,
              "{name}": municipality.name, "{today}": today.isoformat()}
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def new_case(root: Path, name: str, prefecture: str | None, slug: str, title: str,
             today: dt.date | None = None) -> Path:
    municipality = resolve_municipality(name.strip(), prefecture)
    if not SLUG.match(slug):
        raise ScaffoldError(f"--slug「{slug}」は使えません",
                            "半角の小文字英字・数字・ハイフンで 3〜60 文字にしてください（例: okuyami-one-stop）")
    title = title.strip()
    if not title or len(title) > 60:
        raise ScaffoldError("--title は 1〜60 文字で書いてください")
    folder = root / registry().prefecture_of(municipality).romaji
    path = folder / f"{municipality.code}-{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path} はすでにあります", "別の --slug を指定するか、既存のファイルを編集してください")
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(render(municipality, title, today or dt.date.today()), encoding="utf-8")
    return path
