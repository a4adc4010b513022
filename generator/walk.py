"""Find front-matter values by what the schema says they are, without checking them.

`fix` needs every date, code, phone, e-mail and URL of a record, and `links`
every URL, wherever the schema puts them (`timeline[].date`,
`resources[].url`, ...). Walking the JSON Schema over the YAML tree, as the
checker does, keeps both in step with the format: a new URL field in the
schema is listed and fixed with no change here. Nothing is reported: values
of the wrong shape are just skipped (`check` says what is wrong with them).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import schema as schema_mod
from .yamltree import Map, Scalar, Seq


@dataclass(frozen=True)
class Found:
    kind: str      # the schema's $defs name: date, url, phone, email, municipalityCode, text, ...
    path: str      # key path, e.g. "timeline.date" (list items share their list's path)
    node: Scalar


@dataclass(frozen=True)
class MunicipalityPair:
    """A `{code, name}` mapping (municipality, partners[]): the name depends on the code."""

    path: str
    code: Scalar | None
    name: Scalar | None


def scalars(front: Map) -> tuple[list[Found], list[MunicipalityPair]]:
    """Every scalar of the front matter whose schema node names a $defs type, and every
    municipality pair, in file order."""
    found: list[Found] = []
    pairs: list[MunicipalityPair] = []
    _walk(front, schema_mod.load(), "", found, pairs)
    return found, pairs


def _walk(node, node_schema: dict, path: str, found: list, pairs: list) -> None:
    if node is None:
        return
    ref, sch = schema_mod.resolve(node_schema)
    if isinstance(node, Scalar):
        if ref and not node.alias:
            found.append(Found(ref, path, node))
        return
    if ref == "municipality" and isinstance(node, Map):
        code, name = node.get("code"), node.get("name")
        pairs.append(MunicipalityPair(path, code if isinstance(code, Scalar) else None,
                                      name if isinstance(name, Scalar) else None))
    if "oneOf" in sch and "type" not in sch:  # outcomes: text or an object
        branch = next((b for b in sch["oneOf"] if (b.get("type") == "object") == isinstance(node, Map)),
                      sch["oneOf"][0])
        _walk(node, branch, path, found, pairs)
        return
    if isinstance(node, Map) and "properties" in sch:
        for key_node, value in node.entries:
            child = sch["properties"].get(key_node.value)
            if child is not None:
                _walk(value, child, f"{path}.{key_node.value}" if path else key_node.value, found, pairs)
    elif isinstance(node, Seq) and "items" in sch:
        for item in node.items:
            _walk(item, sch["items"], path, found, pairs)
