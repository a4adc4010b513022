"""Stage 2, check: every rule of the record format, all problems at once.

`check_root` reads the cases under a root (or some of them), checks each file
(front matter, body, where it lives), then the rules that span records
(unique IDs, references). It returns the records that passed, with their
checked values, for the model, and every diagnostic, sorted.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import load, vocabulary
from ..diagnostics import Diagnostic, Reporter
from ..municipalities import Registry, registry
from ..suggest import did_you_mean
from .body import check_body
from .fields import FieldChecker
from .values import INVALID, date_parts, date_start

FILE_NAME = re.compile(r"^([0-9]{6})-([a-z0-9-]{3,60})$")


@dataclass
class FileContext:
    report: Reporter
    registry: Registry
    areas: list[str]
    today: dt.date
    case_dir: Path
    references: list = field(default_factory=list)  # (key path, case ID, node)
    sibling_name: str | None = None


@dataclass
class CheckedCase:
    """A record with no errors: its source and its checked front-matter values."""

    source: load.SourceFile
    data: dict
    headings: list[str]


@dataclass
class CheckResult:
    cases: list[CheckedCase]
    diagnostics: list[Diagnostic]
    files: int

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


def _display(path: Path, base: Path | None) -> str:
    try:
        return str(path.resolve().relative_to(base)) if base else str(path)
    except ValueError:
        return str(path)


def check_root(root: Path, files: list[Path] | None = None, today: dt.date | None = None,
               display_base: Path | None = None) -> CheckResult:
    """Check the cases under ``root``; only ``files`` when given (IDs still come from all)."""
    today = today or dt.date.today()
    base = (display_base or Path.cwd()).resolve()
    root_report = Reporter(_display(root / vocabulary.FILE_NAME, base))
    areas = vocabulary.load_areas(root, root_report)
    all_files = load.discover(root)
    targets = sorted(set(files)) if files is not None else all_files
    reg = registry()
    checked: list[CheckedCase] = []
    diagnostics = list(root_report.items)
    references = []
    for path in targets:
        report = Reporter(_display(path, base))
        case, refs = check_file(path, report, root, reg, areas, today)
        if case is not None:
            checked.append(case)
            references.append((case, report, refs))
        diagnostics.extend(report.items)
    ids = _check_ids(all_files, root, base, targets, diagnostics)
    for case, report, refs in references:
        before = len(report.items)
        _check_references(case, refs, ids, report)
        diagnostics.extend(report.items[before:])
    failed = {d.file for d in diagnostics if d.is_error}
    checked = [c for c in checked if c.source.display not in failed]
    diagnostics.sort(key=Diagnostic.sort_key)
    return CheckResult(checked, diagnostics, len(targets))


def check_file(path: Path, report: Reporter, root: Path, reg: Registry, areas: list[str],
               today: dt.date) -> tuple[CheckedCase | None, list]:
    source = load.read_case(path, report.file, report)
    if source is None:
        _check_location(path, root, None, report, reg)
        return None, []
    ctx = FileContext(report, reg, areas, today, path.with_suffix(""))
    data = FieldChecker(ctx).check_front(source.front)
    headings = check_body(source.body, source.body_line, ctx.case_dir, report)
    if data is INVALID:
        data = None
    else:
        _check_timeline(source, data, report)
        _check_updated(source, data, today, report)
    _check_location(path, root, data, report, reg, source)
    if data is None:
        return None, ctx.references
    return CheckedCase(source, data, headings), ctx.references


def _check_timeline(source, data: dict, report: Reporter) -> None:
    entries = source.front.get("timeline").items
    previous = None
    for node, entry in zip(entries, data["timeline"]):
        parts = date_parts(entry["date"])
        if previous is not None:
            common = min(len([p for p in parts if p]), len([p for p in previous[0] if p]))
            if parts[:common] < previous[0][:common]:
                report.at(node.get("date"), "timeline-order",
                          f"timeline の日付が古い順になっていません（{entry['date']} が {previous[1]} の後にあります）",
                          hint="timeline は日付の古い順に並べてください")
        previous = (parts, entry["date"])


def _check_updated(source, data: dict, today: dt.date, report: Reporter) -> None:
    if date_start(data["updated"]) > today:
        report.at(source.front.get("updated"), "date-future",
                  f"updated（最終確認日）の {data['updated']} が未来の日付です",
                  hint=f"内容を確認した日（今日なら \"{today.isoformat()}\"）を書いてください")


def _check_location(path: Path, root: Path, data: dict | None, report: Reporter, reg: Registry,
                    source=None) -> None:
    """cases/<prefecture>/<code>-<slug>.md, agreeing with municipality.code."""
    try:
        relative = path.resolve().relative_to(root.resolve())
    except ValueError:
        report.error("path-layout", f"事例ファイルは事例フォルダ {root} の中に置いてください",
                     hint="cases/<都道府県>/<団体コード>-<名前>.md")
        return
    if len(relative.parts) != 2 or path.suffix != ".md":
        report.error("path-layout", "事例ファイルの場所が正しくありません",
                     hint="cases/<都道府県のローマ字>/<団体コード>-<名前>.md に置いてください")
        return
    folder = relative.parts[0]
    match = FILE_NAME.match(path.stem)
    if not match:
        report.error("path-name", f"ファイル名「{path.name}」が「<団体コード6桁>-<名前>.md」の形になっていません",
                     hint="名前は半角の小文字英字・数字・ハイフンで 3〜60 文字（例: 222208-okuyami-one-stop.md）")
    if folder not in reg.prefecture_by_romaji:
        report.error("path-prefecture", f"フォルダ名「{folder}」は都道府県のローマ字名ではありません",
                     hint=did_you_mean(folder, reg.prefecture_by_romaji) or "例: hokkaido, tokyo, shizuoka")
    if data is None:
        return
    code = data["municipality"]["code"]
    code_node = source.front.get("municipality").get("code")
    if match and match.group(1) != code:
        report.at(code_node, "path-code",
                  f"ファイル名の団体コード {match.group(1)} と municipality.code の {code} が一致しません",
                  hint=f"ファイル名を {code}-{match.group(2)}.md にするか、団体コードを確かめてください")
    expected = reg.prefecture_of(reg.by_code[code])
    if folder in reg.prefecture_by_romaji and folder != expected.romaji:
        report.at(code_node, "path-prefecture",
                  f"{reg.by_code[code].full_name} の事例は cases/{expected.romaji}/ に置いてください（今は cases/{folder}/）",
                  hint=f"cases/{expected.romaji}/{path.name}")


def _check_ids(all_files: list[Path], root: Path, base: Path, targets: list[Path],
               diagnostics: list[Diagnostic]) -> set[str]:
    by_id: dict[str, list[Path]] = {}
    for path in all_files:
        by_id.setdefault(path.stem, []).append(path)
    target_set = set(targets)
    for case_id, paths in by_id.items():
        if len(paths) > 1:
            for path in paths:
                if path not in target_set:
                    continue
                others = "、".join(_display(p, base) for p in paths if p != path)
                report = Reporter(_display(path, base))
                report.error("id-duplicate", f"事例 ID「{case_id}」が他のファイル（{others}）と重なっています",
                             hint="事例 ID はファイル名です。名前の部分を変えて重ならないようにしてください")
                diagnostics.extend(report.items)
    return set(by_id)


def _check_references(case: CheckedCase, refs: list, ids: set[str], report: Reporter) -> None:
    own = case.source.case_id
    for path, target, node in refs:
        if target == own:
            report.at(node, "ref-self", f"{path} に自分自身（{target}）は書けません")
        elif target not in ids:
            report.at(node, "ref-unknown", f"{path} の事例「{target}」が見つかりません",
                      hint=did_you_mean(target, ids, 0.7) or "事例ファイルの名前（.md を除く）を書いてください")
