"""`reference`: the field reference (docs/field-reference.md), generated from the JSON Schema.

Contributors need one table of every key: required or not, its type, what it
means, and the values it takes. Written by hand it would drift from the
schema that `check` walks; generated from it, it cannot (a test regenerates
the committed file and compares). Titles and descriptions are the schema's
own Japanese text; only the type names and examples of the $defs are here.
"""

from __future__ import annotations

from . import schema as schema_mod

OUTPUT = "docs/field-reference.md"

TYPE_NAMES = {
    "text": "文字列", "tag": "文字列", "date": "日付", "url": "URL", "phone": "電話番号",
    "email": "メールアドレス", "caseId": "事例 ID", "area": "分野", "relativeFile": "ファイルの場所",
    "municipalityCode": "団体コード",
}
EXAMPLES = {
    "date": '`"2023-12"`、`"2024-01-16"`',
    "url": '`"https://www.city.example.lg.jp/kaikaku/"`',
    "phone": '`"055-995-1804"`',
    "email": '`"kaikaku@city.example.lg.jp"`',
    "caseId": '`"222208-okuyami-one-stop"`',
    "area": '`"窓口・手続"`（`cases/areas.yml` にある分野）',
    "relativeFile": '`"222208-okuyami-one-stop/flow.pdf"`',
    "municipalityCode": '`"222208"`、`"012084"`',
}
INTEGER_EXAMPLE = "`50000`（カンマや単位を付けない）"
OWN_DESCRIPTION = {"text"}  # $defs whose description would only repeat on every row

HEADER = """---
title: 項目の一覧
description: 事例ファイルのフロントマターに書く項目（キー）の一覧
---

# 項目の一覧

事例ファイルの先頭（「---」で囲んだ部分）に書く項目の一覧です。
`python -m generator reference` で `generator/data/case.schema.json` から作っています。
このファイルを手で直さず、スキーマを直してから作り直してください。

- `[]` はリストの各項目を表します（例: `timeline[].date` は、`timeline` の各項目の `date`）。
- 入れ子の項目の「必須」は、その親の項目を書くときに必須という意味です。
- 日付は西暦で、`"2023"`、`"2023-12"`、`"2024-01-16"` のいずれかの形です。団体コードや日付は引用符で囲みます。

"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _type(node: dict) -> tuple[str, str | None]:
    """(Japanese type name, $defs name) of a schema node."""
    ref, sch = schema_mod.resolve(node)
    if ref in TYPE_NAMES:
        return TYPE_NAMES[ref], ref
    if ref == "municipality" or sch.get("type") == "object":
        return "項目の組", ref
    if "oneOf" in sch and "type" not in sch:
        return " または ".join(_type(b)[0] for b in sch["oneOf"]), None
    if sch.get("type") == "array":
        return f"リスト（{_type(sch['items'])[0]}）", None
    if sch.get("enum"):
        return "選択肢", None
    return {"integer": "整数", "string": "文字列"}.get(sch.get("type"), "値"), None


def _values(sch: dict, ref: str | None) -> str:
    """Choices, an example and the limits of a node."""
    parts = []
    if sch.get("enum"):
        parts.append("・".join(f"`{v}`" for v in sch["enum"]))
    elif ref in EXAMPLES:
        parts.append("例: " + EXAMPLES[ref])
    elif sch.get("type") == "integer":
        parts.append("例: " + INTEGER_EXAMPLE)
    low, high = sch.get("minItems"), sch.get("maxItems")
    if low and high:
        parts.append(f"{low}〜{high} 個")
    elif low:
        parts.append(f"{low} 個以上")
    elif high:
        parts.append(f"{high} 個まで")
    if "maxLength" in sch:
        parts.append(f"{sch['maxLength']} 文字まで")
    if "minimum" in sch and sch.get("type") == "integer":
        parts.append(f"{sch['minimum']} 以上")
    return "。".join(parts)


def _describe(sch: dict, ref: str | None) -> str:
    parts = []
    if sch.get("title"):
        parts.append(f"**{sch['title']}**")
    if sch.get("description"):
        parts.append(sch["description"])
    definition = schema_mod.load()["$defs"].get(ref or "", {})
    if ref not in OWN_DESCRIPTION and definition.get("description") \
            and definition["description"] not in sch.get("description", ""):
        parts.append(definition["description"])
    return " ".join(parts)


def _rows(properties: dict, required: list[str], either: list[str], prefix: str, rows: list) -> None:
    for key, node in properties.items():
        ref, sch = schema_mod.resolve(node)
        items = sch.get("items")
        item_ref, item_sch = schema_mod.resolve(items) if items else (None, {})
        shown_ref = ref or (item_ref if sch.get("type") == "array" else None)
        values = _values({**item_sch, **sch} if items and "properties" not in item_sch
                         and "oneOf" not in item_sch else sch, shown_ref)
        if key in required:
            need = "必須"
        elif key in either:
            need = "・".join(either) + " のどちらか"
        else:
            need = "任意"
        description = _describe(sch, shown_ref if not items or "properties" not in item_sch else None)
        rows.append((f"`{prefix}{key}`", need, _type(node)[0], description, values))
        child = sch if "properties" in sch else item_sch
        if "oneOf" in item_sch and "type" not in item_sch:  # outcomes: text or an object
            child = next(b for b in item_sch["oneOf"] if b.get("type") == "object")
        if "properties" in child:
            branches = [b["required"][0] for b in child.get("oneOf", []) if "required" in b]
            inner = f"{prefix}{key}[]." if items else f"{prefix}{key}."
            _rows(child["properties"], child.get("required", []), branches, inner, rows)


def render() -> str:
    top = schema_mod.load()
    rows: list[tuple[str, ...]] = []
    _rows(top["properties"], top["required"], [], "", rows)
    table = ["| キー | 必須 | 型 | 説明 | 値の例・選択肢 |", "|---|---|---|---|---|"]
    table += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return HEADER + "\n".join(table) + "\n"
