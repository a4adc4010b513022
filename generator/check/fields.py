"""Front-matter check: walks the JSON Schema over the YAML tree.

Structure (known keys, required keys, types, list sizes, lengths,
enumerations) comes from the schema, so `check` and the schema agree by
construction. Values that need more than a pattern (dates, codes, names,
URLs, phones, areas) go to the named rules in `values`, keyed by the
schema's $defs name. The walk returns plain Python values for the model,
or INVALID where a value was refused.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .. import schema as schema_mod
from ..yamltree import Map, Scalar, Seq, implicit_type, kind_name
from ..suggest import did_you_mean
from . import values
from .body import PLACEHOLDER
from .values import INVALID

_INT = re.compile(r"^[0-9]+$")
MAX_DIGITS = 15  # yen and head counts; more is a typo, and an int of thousands of digits is refused by Python


@lru_cache(maxsize=None)
def _titled(path: str, title: str | None) -> str:
    return f"{path}（{title}）" if title else path


def _label(path: str, node_schema: dict) -> str:
    return _titled(path, node_schema.get("title"))


def _is_empty(node) -> bool:
    return node is None or (isinstance(node, Scalar) and node.plain and node.value in ("", "~", "null", "Null", "NULL"))


class FieldChecker:
    def __init__(self, ctx):
        self.ctx = ctx
        self.report = ctx.report

    def check_front(self, front: Map) -> dict | object:
        return self.walk(front, schema_mod.load(), "", key_node=None)

    def walk(self, node, node_schema: dict, path: str, key_node):
        if isinstance(node, Scalar) and node.alias:
            return INVALID  # reported by the YAML reader
        ref, sch = schema_mod.resolve(node_schema)
        label = _label(path, sch) if path else "フロントマター"
        where = node if node is not None else key_node
        if _is_empty(node):
            self.report.at(where, "empty", f"{label} の値が空です",
                           hint="値を書いてください。書くことがない任意の項目は、項目ごと消してください")
            return INVALID
        if isinstance(node, Scalar) and PLACEHOLDER in node.value:
            self.report.at(node, "placeholder", f"{label} が「{PLACEHOLDER}」のままです",
                           hint="内容を書いてから「" + PLACEHOLDER + "」を消してください")
            return INVALID
        if ref == "municipality":
            return values.municipality_rule(self, node, sch, label, path)
        if ref in values.RULES:
            if not isinstance(node, Scalar):
                self.report.at(node, "type", f"{label} は 1 つの値で書いてください（{kind_name(node)}になっています）")
                return INVALID
            value = values.RULES[ref](self, node, sch, label, path)
            if value is not INVALID:
                self.ctx.accepted.setdefault(path, []).append((node, value))
            return value
        if "oneOf" in sch and "type" not in sch:
            # outcomes: text or {indicator, before, after, note}
            branch = next((b for b in sch["oneOf"]
                           if (b.get("type") == "object") == isinstance(node, Map)), sch["oneOf"][0])
            return self.walk(node, {**branch, "title": sch.get("title") or branch.get("title")}, path, key_node)
        kind = sch.get("type")
        if kind == "object":
            return self.walk_object(node, sch, path, label)
        if kind == "array":
            return self.walk_array(node, sch, path, label)
        if kind == "integer":
            return self.walk_integer(node, sch, label)
        if kind == "string":
            return self.walk_string(node, sch, label)
        raise AssertionError(f"schema node without a rule: {path}")  # pragma: no cover

    def walk_object(self, node, sch: dict, path: str, label: str):
        if not isinstance(node, Map):
            self.report.at(node, "type", f"{label} は「キー: 値」の組で書いてください（{kind_name(node)}になっています）",
                           hint="次の行から字下げして「キー: 値」を並べます")
            return INVALID
        props = sch.get("properties", {})
        result: dict = {}
        ok = True
        for key_node, value in node.entries:
            key = key_node.value
            if key not in props:
                where = f"{path} の中" if path else ""
                self.report.at(key_node, "unknown-key", f"{where}「{key}」という項目はありません",
                               hint=did_you_mean(key, props) or "使える項目: " + ", ".join(props))
                ok = False
                continue
            child = self.walk(value, props[key], f"{path}.{key}" if path else key, key_node)
            if child is INVALID:
                ok = False
            else:
                result[key] = child
        for key in sch.get("required", []):
            if key not in node._index:
                child_label = _label(f"{path}.{key}" if path else key, schema_mod.resolve(props[key])[1])
                self.report.at(node if path else None, "required", f"必須の項目 {child_label} がありません",
                               hint=f"「{key}: 」の行を書き足してください")
                ok = False
        if "minProperties" in sch and not node.entries:
            self.report.at(node, "empty", f"{label} の中身が空です",
                           hint="値を書くか、項目ごと消してください")
            ok = False
        branches = sch.get("oneOf")
        if branches:  # resources: exactly one of url / file
            present = [b["required"][0] for b in branches if b["required"][0] in node._index]
            options = "・".join(b["required"][0] for b in branches)
            if len(present) != 1:
                self.report.at(node, "one-of", f"{label} には {options} のどちらか 1 つだけを書いてください",
                               hint="ウェブにある資料は url、事例のフォルダに置いたファイルは file です")
                ok = False
        return result if ok else INVALID

    def walk_array(self, node, sch: dict, path: str, label: str):
        if not isinstance(node, Seq):
            example = node.value if isinstance(node, Scalar) else "…"
            self.report.at(node, "type", f"{label} はリストで書いてください（{kind_name(node)}になっています）",
                           hint=f"次の行に字下げして「- {example}」のように書きます")
            return INVALID
        items = node.items
        low, high = sch.get("minItems"), sch.get("maxItems")
        if low is not None and len(items) < low:
            self.report.at(node, "too-few", f"{label} は {low} 件以上書いてください")
            return INVALID
        if high is not None and len(items) > high:
            self.report.at(items[high], "too-many", f"{label} は {high} 件までです（{len(items)} 件あります）")
        tags = schema_mod.resolve(sch["items"])[0] == "tag"
        result, ok, seen = [], True, {}
        for item in items:
            value = self.walk(item, sch["items"], path, None)
            if value is INVALID:
                ok = False
                continue
            if (sch.get("uniqueItems") or tags) and isinstance(value, (str, int)):
                if value in seen:
                    self.report_duplicate(item, value, seen[value], label, tags)
                    if not tags:  # a repeated tag is only dropped
                        ok = False
                    continue
                seen[value] = item.line
            result.append(value)
        if high is not None and len(items) > high:
            ok = False
        return result if ok else INVALID

    def report_duplicate(self, item, value, first_line: int, label: str, tags: bool) -> None:
        """A repeated list item: an error, but a warning for tags, which are only keywords."""
        if tags:
            self.report.at(item, "tag-duplicate", f"{label} に「{value}」が 2 回あります",
                           hint=f"{first_line} 行目と同じです（全角と半角、前後の空白の違いは区別しません）。1 つにまとめてください",
                           severity="warning")
        else:
            self.report.at(item, "duplicate-item", f"{label} に「{value}」が 2 回あります",
                           hint=f"{first_line} 行目と同じです。1 つにまとめてください")

    def walk_integer(self, node, sch: dict, label: str):
        if not isinstance(node, Scalar) or not node.plain or not _INT.match(node.value):
            hint = None
            if isinstance(node, Scalar):
                hint = values.integer_hint(node.value)
            self.report.at(node, "type", f"{label} は半角数字の整数で、引用符を付けずに書いてください",
                           hint=hint or "例: 50000（カンマや単位は付けません）")
            return INVALID
        if len(node.value.lstrip("0")) > MAX_DIGITS:
            self.report.at(node, "range", f"{label} の数が大きすぎます（{MAX_DIGITS} 桁まで）",
                           hint="桁を写し間違えていないか確かめてください")
            return INVALID
        number = int(node.value.lstrip("0") or "0")  # zeros count against Python's 4,300-digit limit too
        if number < sch.get("minimum", 0):
            self.report.at(node, "range", f"{label} は {sch['minimum']} 以上の数で書いてください")
            return INVALID
        return number

    def walk_string(self, node, sch: dict, label: str):
        if not isinstance(node, Scalar):
            self.report.at(node, "type", f"{label} は 1 つの値で書いてください（{kind_name(node)}になっています）")
            return INVALID
        text = node.value.strip()
        choices = sch.get("enum")
        if choices is not None and text not in choices:
            self.report.at(node, "invalid-choice", f"{label} に「{text}」は使えません",
                           hint=did_you_mean(text, choices, 0.3) or "使える値: " + "、".join(choices))
            return INVALID
        return text

    def text(self, node: Scalar, sch: dict, label: str, fold: bool = False) -> str | object:
        """Shared rules of every free-text value: type warning, length, HTML; NFKC-folded if asked."""
        kind = implicit_type(node)
        if kind:
            self.report.at(node, "yaml-implicit-type",
                           f"{label} の「{node.value}」は、引用符がないと他のツールでは{kind}として読まれます",
                           hint=f"文字列として扱いました。意図どおりなら \"{node.value}\" のように引用符で囲んでください",
                           severity="warning")
        text = node.value.strip()
        if fold:
            text = unicodedata.normalize("NFKC", text).strip()
        if not text:
            self.report.at(node, "empty", f"{label} の値が空です")
            return INVALID
        high = sch.get("maxLength")
        if high is not None and len(text) > high:
            self.report.at(node, "too-long", f"{label} は {high} 文字までです（{len(text)} 文字あります）",
                           hint="要点を短くまとめ、詳しい内容は本文に書いてください")
            return INVALID
        tag = values.HTML_TAG.search(text)
        if tag:
            self.report.at(node, "html-in-text", f"{label} に HTML タグ「{tag.group(0)}」は書けません",
                           hint="タグを使わずに文章だけを書いてください")
            return INVALID
        return text
