"""The pipeline in one place: load → check → model → outputs.

Every output is made from the one Case collection built here; nothing after
this point reads a case file again.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path

from . import model
from .check import CheckResult, check_root
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


def build_date() -> dt.date:
    """The date a build is stamped with: SOURCE_DATE_EPOCH when set, for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def run(cases_root: Path, options: SiteOptions | None = None) -> PipelineResult:
    """Check every case; when there is no error, build the collection and the docs tree."""
    options = options or SiteOptions()
    if options.build_date is None:
        options.build_date = build_date()
    seconds = {}
    start = time.perf_counter()
    result = check_root(cases_root)
    seconds["check"] = time.perf_counter() - start
    if not result.ok:
        return PipelineResult(result, None, None, seconds)
    start = time.perf_counter()
    collection = model.build(result.cases)
    seconds["model"] = time.perf_counter() - start
    tree, timings = build_site(collection, result.areas, options, cases_root)
    seconds.update(timings)
    return PipelineResult(result, collection, tree, seconds)
