"""Property: whatever bytes or YAML structure a file holds, `check` answers
with diagnostics and never raises."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import VALID_PATH, CasesRoot, valid_text

VALID = valid_text()
HEAD, FRONT_END = VALID.index("---\n") + 4, VALID.index("\n---\n", 4)
FRONT = yaml.safe_load(VALID[HEAD:FRONT_END])
BODY = VALID[FRONT_END + 5:]

_root_dir = tempfile.TemporaryDirectory()
ROOT = CasesRoot(Path(_root_dir.name))


def _check(content: bytes):
    result = ROOT.check_case(content)
    for d in result.diagnostics:
        assert d.rule and d.message and d.line >= 1 and d.column >= 1
        assert d.severity in ("error", "warning")
    return result


edits = st.lists(st.tuples(st.integers(0, len(VALID.encode())), st.integers(0, 8), st.binary(max_size=8)),
                 min_size=1, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits)
def test_byte_mutations_only_give_diagnostics(changes):
    data = bytearray(VALID.encode())
    for at, remove, insert in changes:
        at = min(at, len(data))
        data[at:at + remove] = insert
    _check(bytes(data))


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
                    st.text(max_size=20), st.dates().map(str), st.just("012084"), st.just("令和5年12月"),
                    st.just("<script>alert(1)</script>"), st.just("javascript:alert(1)"))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=12)
paths = st.lists(st.one_of(st.sampled_from(sorted(FRONT)), st.integers(0, 3), st.text(max_size=6)),
                 min_size=1, max_size=3)


def _set(tree, path, value):
    node = tree
    for step in path[:-1]:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            break
    last = path[-1]
    if isinstance(node, dict):
        node[last if not isinstance(last, int) else str(last)] = value
    elif isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(paths, values, st.booleans()), min_size=1, max_size=5))
def test_structure_mutations_only_give_diagnostics(changes):
    tree = yaml.safe_load(VALID[HEAD:FRONT_END])
    for path, value, delete in changes:
        if delete and isinstance(path[0], str) and path[0] in tree:
            del tree[path[0]]
        else:
            _set(tree, path, value)
    front = yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)
    _check(("---\n" + front + "---\n" + BODY).encode())


def test_unmutated_case_passes():
    assert _check(VALID.encode()).ok


# -- check, fix and render with arbitrary text: diagnostics or a page, never an exception ----

MARKDOWN = st.lists(st.sampled_from(list("[]()!^*_`<>#-+=|\\&;:/.0123456789 \t\n") +
                                    ["\n\n", "a", "あ", "http://", "javascript:", "&#106;", "\x01", "\u202e", "\ufffe",
                                     "    ", "- ", "> ", "1. ", "```\n", "|-|-|\n"]),
                    max_size=120).map("".join)
TEXT = st.one_of(st.text(max_size=200), MARKDOWN)
FIELDS = ['title: "おくやみワンストップ窓口"', 'updated: "2026-06-01"', '    url: "https://www.city.example.lg.jp/kaikaku/"',
          '    file: "222208-okuyami-one-stop/flow.pdf"', '  - date: "2023-06"', "  count: 49936"]


_TEMPLATES: dict = {}


def _fix_and_render(content: bytes):
    """`fix` on the file, then the page of the case, or (checker bypassed) its body alone."""
    from generator import fix, model
    from generator.site.markdown import BodyRenderer, RenderFailed
    from generator.site.pages import SiteBuilder, SiteOptions

    result = _check(content)
    path = ROOT.path / VALID_PATH
    fixed = fix.fix_file(path, VALID_PATH)
    assert fixed.problem is None or fixed.problem.startswith("ファイル")
    if fixed.changed:  # what fix writes is checked like any file
        _check(fixed.after.encode("utf-8", "surrogatepass"))
        path.write_bytes(content)
    if result.ok:
        collection = model.build(ROOT.check().cases)
        builder = SiteBuilder(collection, result.areas, SiteOptions(), ROOT.path)
        builder.env = _TEMPLATES.setdefault("env", builder.env)  # compiled once, not per example
        html = builder.case_page(collection.by_id[path.stem], []).pages[0][1].html
        assert "<h1" in html or "<h2" in html
    else:
        body = content.decode("utf-8", "replace").split("\n---\n", 1)[-1]
        try:
            BodyRenderer().render(body, lambda name: name)
        except RenderFailed as exc:
            assert str(exc)


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_as_the_file(text):
    _fix_and_render(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIELDS), TEXT, st.booleans())
def test_any_text_as_a_front_matter_value(field, text, quoted):
    key = field.split(":", 1)[0]
    value = json.dumps(text, ensure_ascii=False) if quoted else text
    _fix_and_render(VALID.replace(field, f"{key}: {value}", 1).encode("utf-8", "surrogatepass"))


@settings(max_examples=50, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWN)
def test_any_text_as_the_body(body):
    _fix_and_render((VALID[:FRONT_END + 5] + body).encode("utf-8", "surrogatepass"))


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_any_bytes_as_the_body(data):
    _fix_and_render(VALID[:FRONT_END + 5].encode() + data)
