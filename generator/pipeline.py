"""The pipeline in one place: load → check → model → outputs.

Every output is made from the one Case collection built here; nothing after
this point reads a case file again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from . import model
from .check import CheckResult, check_root
from .dates import build_date
from .site.docs_tree import DocsTree
from .site.pages import SiteOptions, build_site


@dataclass
class PipelineResult:
    check: CheckResult
    collection: model.CaseCollection | None
    tree: DocsTree | None
    seconds: dict[str, float]

    @property
    def ok(self) -> bool:
        return self.check.ok


def run(cases_root: Path, options: SiteOptions | None = None, preview=None) -> PipelineResult:
    """Check every case; when there is no error, build the collection and the docs tree.

    ``preview`` (incremental.Preview): the memory of the previous build of a `serve`
    session, so a save redoes only what the edit changed.
    """
    options = options or SiteOptions()
    if options.build_date is None:
        options.build_date = build_date()
    seconds = {}
    start = time.perf_counter()
    result = check_root(cases_root, build_day=options.build_date, cache=preview and preview.checks)
    seconds["check"] = time.perf_counter() - start
    if not result.ok:
        return PipelineResult(result, None, None, seconds)
    start = time.perf_counter()
    collection = model.build(result.cases)
    seconds["model"] = time.perf_counter() - start
    tree, timings = build_site(collection, result.areas, options, cases_root, synonyms=result.synonyms,
                               memo=preview and preview.site)
    seconds.update(timings)
    return PipelineResult(result, collection, tree, seconds)
