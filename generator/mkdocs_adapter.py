"""The one place MkDocs enters: a plugin that runs the pipeline inside
`mkdocs build` / `mkdocs serve`, and an atomic build for the command line.

The core knows nothing of MkDocs; moving to another engine that reads
mkdocs.yml means replacing this module, not the pipeline.
"""

from __future__ import annotations

import datetime as dt
import logging
from html import escape
import sys
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel

from . import outputs, pipeline
from .offline import latest as offline_latest
from .diagnostics import format_for_build, summary
from .site.markdown import RenderFailed
from .site.formatting import format_date
from .site.pages import SiteOptions

log = logging.getLogger("mkdocs.plugins.jichitai-dx")
HTML_MARKER = "<!-- jichitai-dx: generated page -->"
# Material ships its search engine even with its search plugin off; our search replaces it.
UNUSED_THEME_FILES = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
OFFLINE_KEY = "dx_offline"


class CasesConfig(Config):
    cases_dir = c.Type(str, default="cases")
    accessibility_results = c.Type(str, default="docs/accessibility-results.json")
    edit_url = c.Optional(c.Type(str))
    # Where `export` writes the offline zip; the newest one there is published on the data page.
    dist_dir = c.Type(str, default="dist")


class CasesPlugin(BasePlugin[CasesConfig]):
    """Adds the generated pages and files of the Case collection to the build."""

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"
        self.last_good = None

    def on_config(self, config):
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        self.cases_root = (base / self.config.cases_dir).resolve()
        self.accessibility_results = (base / self.config.accessibility_results).resolve()
        self.dist_dir = (base / self.config.dist_dir).resolve()
        self.html: dict[str, str] = {}
        return config

    def on_files(self, files, config):
        offline = config.extra.get(OFFLINE_KEY)
        # The offline copy is read on a closed network: no edit links to GitHub, dated as its snapshot.
        options = SiteOptions(directory_urls=config.use_directory_urls,
                              edit_url=None if offline else self.config.edit_url,
                              site_url=config.site_url or "", accessibility_results=self.accessibility_results,
                              offline=bool(offline), offline_zip=None if offline else offline_latest(self.dist_dir),
                              build_date=dt.date.fromisoformat(offline["date"]) if offline else None)
        try:
            result = pipeline.run(self.cases_root, options)
        except RenderFailed as exc:  # a record that reached the renderer unchecked
            raise PluginError(str(exc)) from None
        diagnostics = result.check.diagnostics
        if diagnostics:
            print(format_for_build(diagnostics), file=sys.stderr)
        self.problems = []
        if not result.ok:
            message = "事例ファイルにエラーがあるため、サイトを作れません。" + summary(diagnostics, result.check.files)
            if not (getattr(self, "serving", False) and self.last_good):
                raise PluginError(message)
            # Preview: keep serving the last good pages, with the problems on every page.
            log.error("%s 直るまで、前回の正常な内容を表示します。", message)
            self.problems = [d for d in diagnostics if d.is_error]
            result = self.last_good
        else:
            self.last_good = result
        # The pages are finished HTML: MkDocs gets only their front matter and a marker,
        # and the HTML goes in after its Markdown step (parsing it again is most of
        # MkDocs' time on these pages, and changes nothing).
        self.html = {}
        for src, page in result.tree.pages.items():
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            self.html[src] = page.html
            files.append(File.generated(config, src, content=page.front_matter(escape_html=True) + "\n"
                                        + HTML_MARKER + "\n",
                                        inclusion=inclusion))
        for path, content in result.tree.files.items():
            if isinstance(content, Path):
                files.append(File.generated(config, path, abs_src_path=str(content)))
            else:
                files.append(File.generated(config, path, content=content))
        log.info("事例 %d 件からページ %d 枚を作りました（%s）", len(result.collection), len(result.tree.pages),
                 ", ".join(f"{name} {seconds:.1f} 秒" for name, seconds in result.seconds.items()))
        return files

    def on_page_content(self, html, page, config, files):
        generated = self.html.get(page.file.src_uri)
        if generated is not None:
            if HTML_MARKER not in html:
                raise PluginError(f"{page.file.src_uri}: 生成したページの目印が見つかりません")
            html = generated
        if getattr(self, "problems", None):
            html = _problems_banner(self.problems) + html
        return html

    def on_serve(self, server, config, builder):
        server.watch(str(self.cases_root))
        return server


def _problems_banner(problems) -> str:
    """The errors of the last check, shown on every page while previewing."""
    items = "".join(
        f"<li><code>{escape(d.file)}:{d.line}:{d.column}</code> {escape(d.message)}"
        + (f"<br>ヒント: {escape(d.hint)}" if d.hint else "") + "</li>" for d in problems)
    return ('<div class="admonition failure" role="alert"><p class="admonition-title">'
            f"事例ファイルにエラーがあります（{len(problems)} 件）。前回の正常な内容を表示しています</p>"
            f"<ul>{items}</ul></div>")


class BuildFailed(Exception):
    pass


def build_site(config_file: Path, site_dir: Path | None = None, directory_urls: bool | None = None) -> Path:
    """Build into a staging folder beside the target, then swap it in (outputs.replacing).

    A build that fails or is killed leaves the previous site untouched.
    """
    config = _load_config(config_file, directory_urls)
    target = outputs.output_path(site_dir or config.site_dir)
    with outputs.replacing(target) as staging:
        _build(config, staging)
    return target


def build_into(config_file: Path, folder: Path, directory_urls: bool | None = None,
               offline_date: dt.date | None = None) -> Path:
    """Build into `folder` as it is, with no swap: for a site that is only an
    intermediate (the one `export` zips), inside a folder the caller swaps.

    `offline_date`: build the offline copy of that date (a snapshot banner on every
    page, no GitHub edit links, links that need the internet marked).
    """
    config = _load_config(config_file, directory_urls)
    if offline_date is not None:
        # The theme reads it too (theme/main.html), hence config.extra.
        config.extra[OFFLINE_KEY] = {"date": offline_date.isoformat(), "label": format_date(offline_date.isoformat())}
    _build(config, folder)
    return folder


def _load_config(config_file: Path, directory_urls: bool | None):
    from mkdocs.config import load_config

    _configure_logging()
    overrides = {}
    if directory_urls is not None:
        overrides["use_directory_urls"] = directory_urls
    try:
        return load_config(str(config_file), **overrides)
    except Abort as exc:
        raise BuildFailed(f"mkdocs.yml を読めません: {exc}") from None


def _build(config, folder: Path) -> None:
    from mkdocs.commands.build import build

    config.site_dir = str(folder)
    try:
        build(config)
    except (PluginError, Abort) as exc:
        raise BuildFailed(str(exc)) from None


def _configure_logging() -> None:
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
