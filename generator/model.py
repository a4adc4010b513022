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
HIDDEN_CAP = 100  # cases left out of a learning tree are counted up to this many


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
        """Months from 着手 to 開始; None unless both milestones give at least a month."""
        if self.kickoff and self.launch:
            return months_between(self.kickoff, self.launch)
        return None

    @property
    def missing_facts(self) -> list[str]:
        """What the record does not state, in the words the case page uses: the page says
        so instead of leaving the section out, so a reader knows it was not found."""
        missing = []
        if not self.population:
            missing.append("人口")
        if not self.launch:
            missing.append("開始")
        if self.months_to_launch is None:
            missing.append("着手から開始まで")
        if not self.outcomes:
            missing.append("効果")
        if not self.systems:
            missing.append("システム")
        if not self.cost or "initial" not in self.cost:
            missing.append("初期費用")
        if not self.cost or "annual" not in self.cost:
            missing.append("年間費用")
        if any(not c.get("phone") for c in self.contacts):
            missing.append("電話")
        if any(not c.get("url") for c in self.contacts):
            missing.append("ウェブ")
        return missing

    @property
    def history_key(self) -> tuple:
        """Order of events in a learning chain: who started first, then the ID."""
        return (self.kickoff or self.launch or self.timeline[0]["date"], self.id)


@dataclass
class LearningNode:
    """One case in a learning tree. ``repeat``: already shown higher up (two parents, or a
    loop), so shown again without its children; ``hidden``: descendants left out for size."""

    case: Case
    children: list["LearningNode"] = field(default_factory=list)
    repeat: bool = False
    hidden: int = 0


@dataclass
class LearningChain:
    """A connected group of cases joined by inspired_by. ``roots``: the cases that learned
    from no one in the group (oldest first), plus one entry per loop nothing leads into."""

    roots: list[Case]
    case_ids: list[str]

    @property
    def size(self) -> int:
        return len(self.case_ids)


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
        self._chains: list[LearningChain] | None = None
        self._parents: dict[str, list[Case]] = {}
        self._children: dict[str, list[Case]] = {}

    @property
    def learning_links(self) -> int:
        """inspired_by entries that name a case of the collection."""
        return sum(len(c.inspired) for c in self.cases)

    def parents(self, case: Case) -> list[Case]:
        """The cases this one learned from, oldest first."""
        if case.id not in self._parents:
            self._parents[case.id] = sorted((self.by_id[i] for i in case.inspired_by if i in self.by_id),
                                            key=lambda c: c.history_key)
        return self._parents[case.id]

    def children(self, case: Case) -> list[Case]:
        """The cases that learned from this one, oldest first."""
        if case.id not in self._children:
            self._children[case.id] = sorted((self.by_id[i] for i in case.inspired), key=lambda c: c.history_key)
        return self._children[case.id]

    def learning_chains(self) -> list[LearningChain]:
        """Every group of two or more cases joined by inspired_by, largest first."""
        if self._chains is None:
            self._chains = []
            seen: set[str] = set()
            for case in self.cases:
                if case.id in seen or not (case.inspired or self.parents(case)):
                    continue
                members = sorted((self.by_id[i] for i in self._group(case)), key=lambda c: c.history_key)
                seen.update(c.id for c in members)
                self._chains.append(LearningChain(self._roots(members), [c.id for c in members]))
            self._chains.sort(key=lambda ch: (-ch.size, ch.roots[0].history_key))
        return self._chains

    def lineage(self, case: Case, levels: int) -> list[Case]:
        """The case and up to ``levels`` ancestors, oldest first, through each earliest parent."""
        path = [case]
        while len(path) <= levels:
            parents = [p for p in self.parents(path[0]) if all(p.id != c.id for c in path)]
            if not parents:
                break
            path.insert(0, parents[0])
        return path

    def tree(self, starts: list[Case], depth: int, limit: int) -> list[LearningNode]:
        """Trees of who learned from ``starts``, at most ``depth`` levels below them and
        ``limit`` cases in all (breadth first, so the nearest are kept). Each case is
        expanded once: a loop in inspired_by ends in a repeated entry, never runs round."""
        roots = [LearningNode(c) for c in starts]
        expanded = {c.id for c in starts}
        queue = [(node, 0) for node in roots]
        shown = len(roots)
        for node, level in queue:
            for child in self.children(node.case):
                if level + 1 > depth or shown >= limit:
                    node.hidden += 1 if child.id in expanded else 1 + self._descendant_count(child, expanded)
                    continue
                leaf = LearningNode(child, repeat=child.id in expanded)
                node.children.append(leaf)
                shown += 1
                if not leaf.repeat:
                    expanded.add(child.id)
                    queue.append((leaf, level + 1))
        return roots

    def _descendant_count(self, case: Case, shown: set[str], cap: int = HIDDEN_CAP) -> int:
        """Cases that learned from ``case``, directly or not, and are not ``shown`` (up to ``cap``)."""
        found, stack = set(), [case]
        while stack and len(found) < cap:
            for child in self.children(stack.pop()):
                if child.id not in found and child.id not in shown and child.id != case.id:
                    found.add(child.id)
                    stack.append(child)
        return len(found)

    def _group(self, start: Case) -> set[str]:
        group, stack = {start.id}, [start]
        while stack:
            case = stack.pop()
            for other in self.parents(case) + self.children(case):
                if other.id not in group:
                    group.add(other.id)
                    stack.append(other)
        return group

    def _roots(self, members: list[Case]) -> list[Case]:
        roots = [c for c in members if not self.parents(c)]
        reached: set[str] = set()
        stack = list(roots)
        while True:
            while stack:
                case = stack.pop()
                if case.id not in reached:
                    reached.add(case.id)
                    stack.extend(self.children(case))
            left = [c for c in members if c.id not in reached]
            if not left:
                return roots
            roots.append(left[0])  # a loop with no way in: start at its earliest case
            stack.append(left[0])

    def __iter__(self):
        return iter(self.cases)

    def __len__(self) -> int:
        return len(self.cases)


def build(checked: list[CheckedCase]) -> CaseCollection:
    return CaseCollection([build_case(c) for c in checked])
