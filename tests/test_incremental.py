"""The preview's incremental rebuild gives the same site as a clean build.

Each step edits the cases as a contributor would, rebuilds the way `mkdocs
serve --dirty` does (the same plugin instance, a dirty build into the same
folder, then the follow-up build once the background outputs are done) and
compares every file of the result with a clean build of the same cases.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import synthetic
import sitebuild
from generator import model
from generator.check import check_root

SERVE_URL = "http://127.0.0.1:8000/"
BANNER = "事例ファイルにエラーがあります"


def _mkdocs():
    from generator import mkdocs_adapter  # noqa: F401  (selects the engine before the imports below)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    return build, load_config


def _config(config_file: Path, site: Path):
    _, load_config = _mkdocs()
    config = load_config(str(config_file), site_dir=str(site))
    config.site_url = SERVE_URL
    return config


class Preview:
    """What `mkdocs serve --dirty` does: one plugin instance, dirty builds into one folder."""

    def __init__(self, config_file: Path, site: Path):
        self.config_file, self.site = config_file, site
        config = _config(config_file, site)
        config.plugins.on_startup(command="serve", dirty=True)
        self.plugin = config.plugins["jichitai-dx"]
        self.rebuild(config)

    def rebuild(self, config=None) -> None:
        build, _ = _mkdocs()
        build(config or _config(self.config_file, self.site), serve_url=SERVE_URL, dirty=True)
        self.rendered = set(self.plugin.preview.site.rendered)  # pages the save rendered again
        # the server's follow-up build, once the search index and data files are computed
        assert self.plugin.preview.wait(120)
        build(_config(self.config_file, self.site), serve_url=SERVE_URL, dirty=True)


def clean_build(config_file: Path, site: Path) -> Path:
    """`generator build` in a process of its own (MkDocs keeps one plugin instance per process)."""
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--config", str(config_file)],
                            cwd=sitebuild.REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return site


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != "sitemap.xml.gz"}  # gzip stamps the time


def assert_same_site(preview_site: Path, reference: Path) -> None:
    got, want = site_files(preview_site), site_files(reference)
    assert sorted(set(got) - set(want)) == [], "left over in the preview"
    assert sorted(set(want) - set(got)) == [], "missing from the preview"
    differing = [path for path in want if got[path] != want[path]]
    assert differing == [], f"{len(differing)} files differ, e.g. {differing[:5]}"


@pytest.fixture
def corpus(tmp_path):
    cases = tmp_path / "cases"
    synthetic.generate(cases, 20, seed=7)
    config = sitebuild.write_config(tmp_path, cases, tmp_path / "preview")
    # a second config for the reference, identical but for its output folder
    reference = tmp_path / "ref"
    reference.mkdir()
    reference_config = sitebuild.write_config(reference, cases, tmp_path / "clean")
    settings = yaml.safe_load(reference_config.read_text(encoding="utf-8"))
    settings["site_url"] = SERVE_URL  # what serve gives the preview
    reference_config.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return cases, config, reference_config


def _collection(cases: Path):
    result = check_root(cases)
    assert result.ok, [d.message for d in result.diagnostics if d.is_error]
    return model.build(result.cases)


def _unreferenced(cases: Path):
    """Cases no other case names, so they can be renamed or deleted without breaking a reference."""
    collection = _collection(cases)
    named = {i for c in collection for i in (*c.inspired_by, *c.related)}
    return [c for c in collection if c.id not in named]


def _set_line(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
    assert count == 1, pattern
    path.write_text(edited, encoding="utf-8")


def test_incremental_rebuilds_match_clean_builds(corpus, tmp_path):
    cases, config, reference_config = corpus
    preview = Preview(config, tmp_path / "preview")
    clean = tmp_path / "clean"

    def step(what: str) -> None:
        preview.rebuild()
        assert_same_site(preview.site, clean_build(reference_config, clean)), what

    # a title: its page, the listings, the catalogue, the search index, the data files
    target = sorted(cases.glob("*/*.md"))[3]
    _set_line(target, r'^title: "', 'title: "題名を直した')
    step("title")
    page = (preview.site / "cases" / target.stem / "index.html").read_text(encoding="utf-8")
    assert "題名を直した" in page
    assert "題名を直した" in (preview.site / "data" / "cases.json").read_text(encoding="utf-8")
    assert f"cases/{target.stem}.md" in preview.rendered and len(preview.rendered) < 30

    # a municipality: the case moves to another municipality's file name and folder
    moved, other = _unreferenced(cases)[:2]
    text = moved.path.read_text(encoding="utf-8")
    block = re.search(r'(?m)^municipality:\n(?:  .*\n)+', other.path.read_text(encoding="utf-8")).group(0)
    text = re.sub(r'(?m)^municipality:\n(?:  .*\n)+', lambda _: block, text, count=1)
    text = re.sub(r'(?m)^partners:\n(?:  .*\n)+', "", text, count=1)  # a partner could now be itself
    slug = moved.id.split("-", 1)[1]
    new_path = other.path.parent / f"{other.place.municipality.code}-{slug}.md"
    if (moved.path.with_suffix("")).is_dir():
        shutil.move(moved.path.with_suffix(""), new_path.with_suffix(""))
        text = text.replace(f"{moved.id}/", f"{new_path.stem}/")
    moved.path.unlink()
    new_path.write_text(text, encoding="utf-8")
    step("municipality")

    # a new case
    source = sorted(cases.glob("*/*.md"))[10]
    added = source.with_name(source.stem + "-copy.md")
    added.write_text(source.read_text(encoding="utf-8").replace(f"{source.stem}/", f"{added.stem}/"),
                     encoding="utf-8")
    if source.with_suffix("").is_dir():
        shutil.copytree(source.with_suffix(""), added.with_suffix(""))
    _set_line(added, r'^title: "', 'title: "追加した事例 ')
    step("add")
    assert (preview.site / "cases" / added.stem / "index.html").is_file()

    # a deleted case: its page and files go
    gone = _unreferenced(cases)[0]
    gone.path.unlink()
    shutil.rmtree(gone.path.with_suffix(""), ignore_errors=True)
    step("delete")
    assert not (preview.site / "cases" / gone.id).exists()

    # a new inspired_by: the reverse link and the learning tree on the other page
    collection = _collection(cases)
    learner = next(c for c in collection if not c.inspired_by)
    teacher = next(c for c in collection if c.id != learner.id and c.id not in learner.related)
    _set_line(learner.path, r'^updated: ', f'inspired_by:\n  - "{teacher.id}"\nupdated: ')
    step("inspired_by")
    teacher_page = (preview.site / "cases" / teacher.id / "index.html").read_text(encoding="utf-8")
    assert f"../{learner.id}/" in teacher_page

    # a broken case: the last good pages stay, every page says what is wrong; then fixed
    before = (preview.site / "cases" / target.stem / "index.html").read_text(encoding="utf-8")
    _set_line(target, r'^status: .*$', "status: 計画倒れ")
    preview.rebuild()
    broken = sorted(preview.site.rglob("*.html"))
    assert broken and all(BANNER in p.read_text(encoding="utf-8") for p in broken
                          if p.name == "index.html"), "the error banner on every page"
    assert "題名を直した" in (preview.site / "cases" / target.stem / "index.html").read_text(encoding="utf-8")
    assert before != (preview.site / "cases" / target.stem / "index.html").read_text(encoding="utf-8")
    _set_line(target, r'^status: .*$', "status: 運用中")
    step("fixed")


def test_cached_check_reports_what_a_full_check_does(tmp_path):
    """Unchanged files keep their outcome, yet the rules across records see every file:
    a case whose target was deleted is reported though the case itself did not change."""
    from generator.incremental import CheckCache

    cases = tmp_path / "cases"
    synthetic.generate(cases, 30, seed=3)
    cache = CheckCache()

    def same_as_full_check():
        cached = check_root(cases, display_base=tmp_path, cache=cache)
        full = check_root(cases, display_base=tmp_path)
        assert cached.diagnostics == full.diagnostics
        assert [c.path for c in cached.cases] == [c.path for c in full.cases]
        return cached

    assert same_as_full_check().ok and cache.reused == 0
    collection = _collection(cases)
    target = next(c for c in collection if c.inspired)  # someone learned from it
    learners = set(target.inspired)
    target.path.unlink()
    shutil.rmtree(target.path.with_suffix(""), ignore_errors=True)
    result = same_as_full_check()
    assert cache.reused == 29
    assert {Path(d.file).stem for d in result.diagnostics if d.rule == "ref-unknown"} >= learners

    # the same ID in another folder; then a value error in one file
    twin = next(c for c in collection if c.id != target.id)
    other_folder = cases / ("tokyo" if twin.path.parent.name != "tokyo" else "osaka")
    other_folder.mkdir(exist_ok=True)
    shutil.copy(twin.path, other_folder / twin.path.name)
    result = same_as_full_check()
    assert any(d.rule == "id-duplicate" for d in result.diagnostics)
    _set_line(twin.path, r'^status: .*$', "status: 計画倒れ")
    result = same_as_full_check()
    assert any(d.rule == "invalid-choice" for d in result.diagnostics)
