"""The JSON Schema agrees with the checker, judged by an independent validator.

Cases are read here with PyYAML's ordinary safe loader (not the project's
reader), YAML dates become ISO strings (JSON has no date type), and the
`jsonschema` package validates them.
"""

from __future__ import annotations

import datetime as dt
import jsonschema
import pytest
import yaml

from conftest import REPO, valid_text
from generator import schema
from generator.vocabulary import load_areas
from generator.diagnostics import Reporter

CASES = REPO / "cases"
BUNDLED = sorted(CASES.glob("*/*.md"))


def front_matter(text: str):
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    assert text.startswith("---\n")
    end = text.index("\n---\n", 4)
    return _jsonable(yaml.safe_load(text[4:end]))


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def validator():
    areas = load_areas(CASES, Reporter("areas.yml"))
    return jsonschema.Draft202012Validator(schema.with_vocabulary(areas))


def test_schema_passes_the_draft_2020_12_meta_schema():
    jsonschema.Draft202012Validator.check_schema(schema.load())
    assert schema.load()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_key_has_a_japanese_description():
    def walk(node, path):
        if isinstance(node, dict):
            for key, child in node.get("properties", {}).items():
                assert child.get("description"), f"{path}.{key} has no description"
                assert any("\u3040" <= ch <= "\u9fff" for ch in child["description"]), f"{path}.{key}"
                walk(schema.resolve(child)[1], f"{path}.{key}")
            for key in ("items",):
                if key in node:
                    walk(schema.resolve(node[key])[1], path)
            for branch in node.get("oneOf", []):
                walk(branch, path)
    walk(schema.load(), "")


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_bundled_case_validates_against_the_schema(path, validator):
    errors = list(validator.iter_errors(front_matter(path.read_text(encoding="utf-8"))))
    assert not errors, [e.message for e in errors]


def test_there_are_at_least_five_bundled_cases():
    assert len(BUNDLED) >= 5


def test_vocabulary_enum_is_the_areas_file(validator):
    enum = validator.schema["$defs"]["area"]["enum"]
    assert len(enum) >= 20 and enum[0] == "窓口・手続" and "おくやみ・死亡手続" in enum


# Each mutation breaks one structural rule: both the checker and the schema refuse it.
MUTATIONS = {
    "missing required key": ("title: \"おくやみワンストップ窓口\"\n", ""),
    "unknown key": ("summary:", "sumary:"),
    "status not in enum": ("status: 運用中", "status: 稼働中"),
    "too many areas": ("  - 窓口・手続\n", "  - 窓口・手続\n  - 福祉・介護\n  - 健康・医療\n"),
    "area not in vocabulary": ("  - 窓口・手続\n", "  - 窓口\n"),
    "title too long": ("title: \"おくやみワンストップ窓口\"", "title: \"" + "あ" * 61 + "\""),
    "areas not a list": ("areas:\n  - \"おくやみ・死亡手続\"\n  - 窓口・手続\n", "areas: \"おくやみ・死亡手続\"\n"),
    "cost as text": ("initial: 1200000", "initial: \"120万円\""),
    "mobile phone": ("055-995-1804", "090-1234-5678"),
    "javascript url": ("https://www.city.example.lg.jp/kaikaku/", "javascript:alert(1)"),
    "code not 6 digits": ("code: \"222208\"", "code: \"22220\""),
    "impossible month": ("date: \"2023-06\"", "date: \"2023-13\""),
    "milestone not in enum": ("milestone: 着手", "milestone: 準備"),
    "system kind not in enum": ("kind: LGWAN-ASP", "kind: クラウド"),
    "resource with url and file": ("    file: \"222208-okuyami-one-stop/flow.pdf\"\n",
                                   "    file: \"222208-okuyami-one-stop/flow.pdf\"\n    url: \"https://example.jp/a.pdf\"\n"),
    "empty timeline": ("timeline:\n  - date: \"2023-06\"\n    event: \"取組に着手\"\n    milestone: 着手\n"
                       "  - date: 2023-12-01\n    event: \"おくやみコーナーを開設\"\n    milestone: 開始\n",
                       "timeline: []\n"),
    "html in title": ("title: \"おくやみワンストップ窓口\"", "title: \"<b>おくやみ</b>\""),
    "bad case id": ("inspired_by:\n  - \"142077-kakanai-madoguchi\"", "inspired_by:\n  - \"Kakanai\""),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_checker_and_schema_refuse_the_same_mutation(name, root, validator):
    old, new = MUTATIONS[name]
    text = valid_text()
    assert old in text, name
    mutated = text.replace(old, new, 1)
    result = root.check_case(mutated)
    assert not result.ok, f"checker accepted: {name}"
    assert list(validator.iter_errors(front_matter(mutated))), f"schema accepted: {name}"


def test_checker_and_schema_accept_the_valid_fixture(root, validator):
    result = root.check_case(valid_text())
    assert result.ok and [c.case_id for c in result.cases] == ["222208-okuyami-one-stop"]
    assert not list(validator.iter_errors(front_matter(valid_text())))


def test_checker_and_schema_accept_a_url_scheme_in_capitals(root, validator):
    mutated = valid_text().replace("https://www.city.example.lg.jp/kaikaku/", "HTTPS://www.city.example.lg.jp/kaikaku/")
    assert root.check_case(mutated).ok
    assert not list(validator.iter_errors(front_matter(mutated)))
