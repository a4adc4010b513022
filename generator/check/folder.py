"""The case's own folder, reported: one diagnostic per refused file, at the file itself.

What is refused and why is decided in `casefiles.scan`, which the build uses
too; here each refusal becomes a diagnostic whose location is the file's path
(line 1, as for every file-level problem), so it shows on that file in a
pull request.
"""

from __future__ import annotations

import os

from ..casefiles import CaseFolder, shown
from ..diagnostics import ERROR, Diagnostic


def folder_diagnostics(folder: CaseFolder, case_display: str) -> list[Diagnostic]:
    """``case_display``: the case file as shown (`tokyo/131016-x.md`); its folder drops `.md`."""
    base = os.path.splitext(case_display)[0]
    return [Diagnostic(base if p.name is None else f"{base}/{shown(p.name)}", 1, 1, ERROR, p.rule, p.message, p.hint)
            for p in folder.problems]
