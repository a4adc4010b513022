"""Site engines (issue 14): ProperDocs builds the same site as MkDocs, MkDocs 2 is
refused, the templates stay in the part of Jinja2 that MiniJinja (Zensical's
template engine) also reads, and `build --docs-out` writes a tree another
engine can build safely.

The whole suite also runs under ProperDocs: `DX_ENGINE=properdocs make test`
(or `make test ENGINE=properdocs`).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jinja2 import Environment, nodes

import synthetic
from conftest import REPO, VALID_PATH, CasesRoot
from engine_compare import differences
from generator import engine
from generator.engine import mkdocs2_problem
from sitebuild import broken_links, build, write_config

TEMPLATES = sorted([*(REPO / "theme").glob("*.html"), *(REPO / "generator/site/templates").glob("*.j2")])
NO_PROPERDOCS = "ProperDocs が入っていません: make .venv/.installed-properdocs で入ります（.ci/run は入れます）"


def engine_env(name: str) -> dict[str, str]:
    return {**os.environ, "DX_ENGINE": name, "PYTHONIOENCODING": "utf-8"}


# --- MkDocs 2 guard ---------------------------------------------------------------

@pytest.mark.parametrize("version", ["2.0.0.dev1", "2.0.0", "2.1", "v2.0.0a1", "10.0"])
def test_the_mkdocs_2_guard_refuses_2x(version):
    assert "MkDocs 2" in mkdocs2_problem(version)


@pytest.mark.parametrize("version", ["1.6.1", "1.5.3", "1.6.2.dev0"])
def test_the_mkdocs_2_guard_accepts_1x(version):
    assert mkdocs2_problem(version) is None


def test_the_installed_mkdocs_is_not_2x():
    """Material and the plugin need MkDocs 1.x (or ProperDocs) behind the `mkdocs` imports."""
    version = importlib.metadata.version("mkdocs")
    assert mkdocs2_problem(version) is None, f"mkdocs {version}"


def test_the_adapter_refuses_an_installed_mkdocs_2(monkeypatch):
    """What a build says if a resolver ignored the pin (the adapter calls activate() first)."""
    if "properdocs.replacement" in sys.modules:
        pytest.skip("このテストのプロセスは ProperDocs で動いています（MkDocs 2 の検査は MkDocs のときだけ）")
    monkeypatch.setenv("DX_ENGINE", "mkdocs")
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "2.0.0.dev1")
    with pytest.raises(engine.EngineError) as raised:
        engine.activate()
    assert "mkdocs 2.0.0.dev1 が入っています" in str(raised.value)
    assert "ENGINE=properdocs" in raised.value.hint


def test_an_unknown_engine_is_a_japanese_error_and_builds_nothing(tmp_path):
    config = write_config(tmp_path, REPO / "cases", tmp_path / "site")
    proc = subprocess.run([sys.executable, "-m", "generator", "build", "--config", str(config)], cwd=REPO,
                          env=engine_env("hugo"), capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 1
    assert "サイトの生成エンジン DX_ENGINE='hugo' は使えません" in proc.stderr
    assert "mkdocs か properdocs を指定してください" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "site").exists()


def test_make_refuses_an_unknown_engine():
    proc = subprocess.run(["make", "-n", "build", "ENGINE=hugo"], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode != 0 and "ENGINE=hugo は使えません" in proc.stderr


# --- ProperDocs -------------------------------------------------------------------

@pytest.fixture(scope="module")
def both_builds(tmp_path_factory):
    if importlib.util.find_spec("properdocs") is None:
        pytest.skip(NO_PROPERDOCS)
    base = tmp_path_factory.mktemp("engines")
    (base / "cases").mkdir()
    cases = CasesRoot(base / "cases")
    synthetic.generate(cases.path, 12, seed=3)
    sites = {}
    for name in ("mkdocs", "properdocs"):
        result = build(cases.path, base / name / "site", env=engine_env(name))
        assert result.returncode == 0, result.stderr
        sites[name] = base / name / "site"
    return sites


def test_properdocs_builds_the_same_site_but_the_generator_tag(both_builds):
    home = {name: (site / "index.html").read_text(encoding="utf-8") for name, site in both_builds.items()}
    assert '<meta name="generator" content="mkdocs-1.6.1, ' in home["mkdocs"]
    assert '<meta name="generator" content="mkdocs-ProperDocs 1.6.7, ' in home["properdocs"]
    assert len(list(both_builds["mkdocs"].rglob("*.html"))) > 50
    assert differences(both_builds["mkdocs"], both_builds["properdocs"]) == []


def test_the_comparison_sees_a_changed_page(both_builds, tmp_path):
    """The comparison is not blind: one changed character in one page is reported."""
    import shutil
    copy = tmp_path / "copy"
    shutil.copytree(both_builds["properdocs"], copy)
    page = copy / "cases" / Path(VALID_PATH).stem / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", "!</h1>", 1), encoding="utf-8")
    assert differences(both_builds["mkdocs"], copy) == [f"cases/{Path(VALID_PATH).stem}/index.html: 内容が違います"]


def test_properdocs_refuses_a_broken_case_in_japanese_and_keeps_the_site(both_builds, tmp_path):
    cases = CasesRoot(tmp_path)
    cases.write(VALID_PATH, (REPO / "tests/fixtures/valid-case.md").read_text(encoding="utf-8")
                .replace("status: 運用中", "status: 検討したい"))
    site = both_builds["properdocs"]
    before = (site / "index.html").read_bytes()
    result = build(cases.path, site, env=engine_env("properdocs"))
    assert result.returncode == 1
    assert "事例ファイルにエラーがあるため、サイトを作れません" in result.stderr
    assert "前回のサイトはそのまま残っています" in result.stderr and "Traceback" not in result.stderr
    assert (site / "index.html").read_bytes() == before


# --- Templates in the common subset of Jinja2 and MiniJinja -----------------------

def python_method_calls(source: str) -> list[str]:
    """`obj.method(...)` calls in a template: Jinja2 runs them as Python, MiniJinja has no
    Python methods. Calls of macros imported from another template (`m.card()`) and of
    the loop object's helpers (`loop.cycle()`, in both engines) are not method calls."""
    tree = Environment().parse(source)
    namespaces = {node.target for node in tree.find_all(nodes.Import)} | {"loop"}
    found = []
    for call in tree.find_all(nodes.Call):
        callee = call.node
        if not isinstance(callee, (nodes.Getattr, nodes.Getitem)):
            continue
        if isinstance(callee.node, nodes.Name) and callee.node.name in namespaces:
            continue
        name = callee.attr if isinstance(callee, nodes.Getattr) else "[...]"
        found.append(f"line {call.lineno}: .{name}()")
    return found


@pytest.mark.parametrize("source, calls", [
    ('{% set root = base_url.rstrip("/") ~ "/" %}', ["line 1: .rstrip()"]),
    ("{% for k, v in data.items() %}{{ k }}{% endfor %}", ["line 1: .items()"]),
    ("{% if\n url.startswith('https') %}x{% endif %}", ["line 2: .startswith()"]),
    ('{{ "{:,}".format(n) }} {{ r.file.rsplit(".", 1)[-1] }}', ["line 1: .format()", "line 1: .rsplit()"]),
    ("{{ handlers['x']() }}", ["line 1: .[...]()"]),
    ('{% import "_macros.html.j2" as m %}{{ m.card(c) }}{{ loop.cycle("a", "b") }}', []),
    ("{{ base_url if base_url[-1:] == '/' else base_url ~ '/' }}{{ n|count }}{{ rel('x.md') }}", []),
])
def test_the_method_call_detector(source, calls):
    assert python_method_calls(source) == calls


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_templates_call_no_python_methods(template):
    assert python_method_calls(template.read_text(encoding="utf-8")) == []


# --- The docs tree for other engines -------------------------------------------------

@pytest.fixture(scope="module")
def docs_trees(tmp_path_factory):
    """`build --docs-out` with site-relative and source-relative links, from a config that
    sets a site URL and an edit URL, with a case title that HTML must escape."""
    base = tmp_path_factory.mktemp("docs-out")
    (base / "cases").mkdir()
    cases = CasesRoot(base / "cases")
    path = cases.path / VALID_PATH
    path.write_text(re.sub(r"(?m)^title: .*$", 'title: "窓口 & 手続 1<2"', path.read_text(encoding="utf-8"),
                           count=1), encoding="utf-8")
    config_path = write_config(base, cases.path, base / "site")
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["site_url"] = "https://example.jp/dx/"
    config["plugins"][0]["jichitai-dx"]["edit_url"] = "https://example.jp/edit/main"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    trees = {}
    for name, flags in (("site", []), ("source", ["--source-relative-links"])):
        proc = subprocess.run([sys.executable, "-m", "generator", "build", "--config", str(config_path),
                               "--docs-out", str(base / name), *flags], cwd=REPO, capture_output=True,
                              text=True, encoding="utf-8")
        assert proc.returncode == 0, proc.stderr
        trees[name] = base / name
    return trees


def test_docs_out_escapes_titles_and_passes_the_edit_and_site_urls(docs_trees):
    page = (docs_trees["site"] / "cases" / Path(VALID_PATH).name).read_text(encoding="utf-8")
    assert '\ntitle: "窓口 &amp; 手続 1&lt;2"\n' in page
    assert "https://example.jp/edit/main/cases/" + VALID_PATH in page
    assert "https://example.jp/dx/" in (docs_trees["site"] / "feed.xml").read_text(encoding="utf-8")
    # docs_dir's own pages come along, so the tree is the whole site
    assert (docs_trees["site"] / "about.md").read_text(encoding="utf-8") == \
        (REPO / "docs/about.md").read_text(encoding="utf-8")


def test_docs_out_builds_with_plain_mkdocs_and_its_links_resolve(docs_trees, tmp_path):
    """The site-relative tree is what MkDocs builds as is (raw HTML left alone): no plugin needed."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(docs_dir=str(docs_trees["site"]), site_dir=str(tmp_path / "site"), plugins=[])
    config["theme"]["custom_dir"] = str(REPO / "theme")
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(path)],
                          cwd=tmp_path, capture_output=True, text=True, env=engine_env("mkdocs"))
    assert proc.returncode == 0, proc.stderr
    broken, checked = broken_links(tmp_path / "site")
    assert checked > 100 and broken == []
    page = (tmp_path / "site/cases" / Path(VALID_PATH).stem / "index.html").read_text(encoding="utf-8")
    assert "<title>窓口 &amp; 手続 1&lt;2 - 自治体DX事例集</title>" in page


def test_source_relative_links_start_from_the_source_folder(docs_trees):
    """cases/x.md lands in cases/x/: a site-relative link climbs two folders, a
    source-relative one (for engines that rebase raw HTML links) one."""
    name = Path(VALID_PATH).name
    site = (docs_trees["site"] / "cases" / name).read_text(encoding="utf-8")
    source = (docs_trees["source"] / "cases" / name).read_text(encoding="utf-8")
    assert 'href="../../prefectures/shizuoka/"' in site and 'href="../prefectures/shizuoka/"' in source
    assert 'href="../../prefectures/shizuoka/"' not in source
    index = "areas/index.md"  # an index page lands in its own folder: the same links either way
    assert (docs_trees["site"] / index).read_text(encoding="utf-8") == \
        (docs_trees["source"] / index).read_text(encoding="utf-8")


def test_a_failed_docs_out_keeps_the_previous_tree(docs_trees, tmp_path):
    cases = CasesRoot(tmp_path)
    cases.write(VALID_PATH, "---\ntitle: [\n---\n")
    before = sorted(p.relative_to(docs_trees["site"]) for p in docs_trees["site"].rglob("*"))
    proc = subprocess.run([sys.executable, "-m", "generator", "build", "--docs-out", str(docs_trees["site"]),
                           "--root", str(cases.path)], cwd=REPO, capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "前回の出力はそのまま残っています" in proc.stderr
    assert sorted(p.relative_to(docs_trees["site"]) for p in docs_trees["site"].rglob("*")) == before


def test_pull_requests_compare_the_engines_and_run_the_canary_without_blocking():
    jobs = yaml.safe_load((REPO / ".github/workflows/pr.yml").read_text(encoding="utf-8"))["jobs"]
    runs = "\n".join(step.get("run", "") for step in jobs["engines"]["steps"])
    assert "make build\n" in runs and "make build ENGINE=properdocs" in runs and "tests/engine_compare.py" in runs
    assert "continue-on-error" not in jobs["engines"]
    canary = jobs["zensical-canary"]
    assert canary["continue-on-error"] is True and canary["permissions"] == {"contents": "read"}
    assert "make zensical-canary" in "\n".join(step.get("run", "") for step in canary["steps"])
