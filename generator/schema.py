"""The JSON Schema of the front matter: the one description of the format.

The checker walks it (keys, types, required keys, enumerations, limits), so the
schema cannot drift from what `check` enforces. What JSON Schema cannot say
(check digits, the official list, era dates, files on disk) is added by the
checker's named value rules. The repository copy leaves the areas open; the
vocabulary in cases/areas.yml is injected by `with_vocabulary` for export.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

SCHEMA_PATH = Path(__file__).parent / "data" / "case.schema.json"
FORMAT_VERSION = 1


@cache
def load() -> dict:
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        return json.load(f)


_resolved: dict[int, tuple] = {}  # id → (name, merged, node): the node pins the id


def resolve(node: dict) -> tuple[str | None, dict]:
    """(definition name, merged keywords) for a schema node that may be a $ref."""
    found = _resolved.get(id(node))
    if found is not None and found[2] is node:
        return found[0], found[1]
    ref = node.get("$ref")
    if not ref:
        return None, node
    name = ref.rsplit("/", 1)[-1]
    merged = dict(load()["$defs"][name])
    merged.update({k: v for k, v in node.items() if k != "$ref"})
    _resolved[id(node)] = (name, merged, node)
    return name, merged


def enum_of(*path: str) -> list[str]:
    """Enumeration at a property path, e.g. enum_of("timeline", "milestone")."""
    node = load()
    for key in path:
        node = resolve(node)[1]
        if node.get("type") == "array":
            node = resolve(node["items"])[1]
        node = node["properties"][key]
    return resolve(node)[1]["enum"]


def with_vocabulary(areas: list[str]) -> dict:
    """The schema with the area vocabulary as an enumeration: the exported form."""
    schema = copy.deepcopy(load())
    schema["$defs"]["area"]["enum"] = list(areas)
    return schema
