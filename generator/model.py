"""Stage 3, model: the one in-memory Case collection every output reads.

Built only from checked records, so every value here is already valid; what
is derived once for all outputs (prefecture, municipality type, population
band, launch date, months from kick-off to launch, reverse links) is derived
here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .check import CheckedCase
from .check.values import date_parts
from .municipalities import Municipality, Prefecture, registry

POPULATION_BANDS = [  # (label, lower bound inclusive)
    ("〜1万", 0), ("1〜5万", 10_000), ("5〜10万", 50_000), ("10〜30万", 100_000), ("30万〜", 300_000),
]
UNKNOWN_BAND = "不明"


def population_band(count: int | None) -> str:
    if count is None:
        return UNKNOWN_BAND
    label = POPULATION_BANDS[0][0]
    for name, lower in POPULATION_BANDS:
        if count >= lower:
            label = name
    return label


def months_between(start: str, end: str) -> int | None:
    """Whole months from one date to another, when both give at least a month."""
    y1, m1, _ = date_parts(start)
    y2, m2, _ = date_parts(end)
    if m1 is None or m2 is None:
        return None
    return (y2 - y1) * 12 + (m2 - m1)


@dataclass(frozen=True)
class Place:
    municipality: Municipality
    prefecture: Prefecture


@dataclass
class Case:
    id: str
    path: Path
    title: str
    summary: str
    place: Place
    partners: list[Place]
    population: dict | None
    areas: list[str]
    tags: list[str]
    status: str
    timeline: list[dict]
    problems: list[str]
    outcomes: list  # str or {indicator, before?, after, note?}
    systems: list[dict]
    cost: dict | None
    contacts: list[dict]
    resources: list[dict]
    inspired_by: list[str]
    related: list[str]
    sources: list[str]
    updated: str
    body: str
    inspired: list[str] = field(default_factory=list)  # reverse of inspired_by

    @property
    def population_band(self) -> str:
        return population_band(self.population["count"] if self.population else None)

    def milestone(self, name: str) -> str | None:
        return next((e["date"] for e in self.timeline if e.get("milestone") == name), None)

    @property
    def kickoff(self) -> str | None:
        return self.milestone("着手")

    @property
    def launch(self) -> str | None:
        return self.milestone("開始")

    @property
    def months_to_launch(self) -> int | None:
        if self.kickoff and self.launch:
            return months_between(self.kickoff, self.launch)
        return None


def _place(value: dict) -> Place:
    reg = registry()
    municipality = reg.by_code[value["code"]]
    return Place(municipality, reg.prefecture_of(municipality))


def build_case(checked: CheckedCase) -> Case:
    d = checked.data
    return Case(
        id=checked.case_id,
        path=checked.path,
        title=d["title"],
        summary=d["summary"],
        place=_place(d["municipality"]),
        partners=[_place(p) for p in d.get("partners", [])],
        population=d.get("population"),
        areas=d["areas"],
        tags=list(dict.fromkeys(d.get("tags", []))),
        status=d["status"],
        timeline=d["timeline"],
        problems=d["problems"],
        outcomes=d.get("outcomes", []),
        systems=d.get("systems", []),
        cost=d.get("cost"),
        contacts=d["contacts"],
        resources=d.get("resources", []),
        inspired_by=d.get("inspired_by", []),
        related=d.get("related", []),
        sources=d.get("sources", []),
        updated=d["updated"],
        body=checked.body,
    )


def newest_first(cases) -> list[Case]:
    """Newest checked (`updated`) first; ties by ID, so every output orders them alike."""
    ordered = sorted(cases, key=lambda c: c.id)
    ordered.sort(key=lambda c: c.updated, reverse=True)
    return ordered


class CaseCollection:
    """All cases, by ID, with reverse links resolved."""

    def __init__(self, cases: list[Case]):
        self.cases = sorted(cases, key=lambda c: c.id)
        self.by_id = {c.id: c for c in self.cases}
        for case in self.cases:
            for target in case.inspired_by:
                if target in self.by_id:
                    self.by_id[target].inspired.append(case.id)

    def __iter__(self):
        return iter(self.cases)

    def __len__(self) -> int:
        return len(self.cases)


def build(checked: list[CheckedCase]) -> CaseCollection:
    return CaseCollection([build_case(c) for c in checked])
