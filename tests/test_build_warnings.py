"""`build` (and `serve`, through the same plugin) prints warnings as one count per rule,
errors in full; `check` still prints every warning."""

from __future__ import annotations

import re

from conftest import OTHER_PATH, VALID_PATH, CasesRoot, run_cli
from generator.check import check_root
from generator.diagnostics import Diagnostic, format_for_build, warnings_summary
from sitebuild import build

HEADER = "警告 {} 件（規則ごとの件数。詳しくは make check で確認できます）:"


def w(rule: str, line: int = 1) -> Diagnostic:
    return Diagnostic("cases/x.md", line, 1, "warning", rule, "メッセージ", "ヒント")


def test_summary_counts_per_rule_most_first():
    diagnostics = [w("updated-stale"), w("contact-no-means"), w("updated-stale", 2), w("sources-missing")]
    assert warnings_summary(diagnostics).splitlines() == [
        HEADER.format(4),
        "  updated-stale     2 件",
        "  contact-no-means  1 件",
        "  sources-missing   1 件",
    ]
    assert warnings_summary([]) == ""


def test_errors_stay_in_full_beside_the_summary():
    error = Diagnostic("cases/x.md", 3, 5, "error", "invalid-choice", "status（状況） に「運用」は使えません", "「運用中」のことですか？")
    assert format_for_build([w("updated-stale"), error]).splitlines() == [
        "cases/x.md:3:5: error[invalid-choice]: status（状況） に「運用」は使えません",
        "    ヒント: 「運用中」のことですか？",
        HEADER.format(1),
        "  updated-stale  1 件",
    ]


def _warned_root(path) -> CasesRoot:
    (path / "cases").mkdir()
    root = CasesRoot(path / "cases")
    root.make_stale()
    other = root.path / OTHER_PATH
    other.write_text(re.sub(r'sources:\n  - ".*"\n', "", other.read_text(encoding="utf-8")), encoding="utf-8")
    return root


def test_build_prints_a_summary_and_check_prints_every_warning(tmp_path):
    root = _warned_root(tmp_path)
    warnings = [d for d in check_root(root.path).diagnostics if not d.is_error]
    assert {"updated-stale", "sources-missing"} <= {d.rule for d in warnings}
    proc = build(root.path, tmp_path / "site")
    assert proc.returncode == 0, proc.stderr
    assert HEADER.format(len(warnings)) in proc.stderr.splitlines()
    assert "  updated-stale" in proc.stderr and "warning[" not in proc.stderr
    assert (tmp_path / "site" / "learning" / "index.html").is_file()
    listed = run_cli("check", str(root.path)).stdout
    assert listed.count("warning[") == len(warnings)
    assert "warning[updated-stale]" in listed and "warning[sources-missing]" in listed


def test_failed_build_prints_the_error_in_full(tmp_path):
    root = _warned_root(tmp_path)
    case = root.path / VALID_PATH
    case.write_text(case.read_text(encoding="utf-8").replace("status: 運用中", "status: 運用"), encoding="utf-8")
    proc = build(root.path, tmp_path / "site")
    assert proc.returncode == 1
    assert f"{case}:19:9: error[invalid-choice]: status（状況） に「運用」は使えません" in proc.stderr
    assert "警告 " in proc.stderr and "warning[" not in proc.stderr
