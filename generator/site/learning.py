"""The learning graph (inspired_by) as pages: a case's lineage, the home page's
chains and the page of every chain.

Trees are cut by depth and size, so a corpus where everyone learned from
everyone still gives small pages; the model expands each case once, so a loop
in inspired_by ends instead of running round.
"""

from __future__ import annotations

from ..model import Case, CaseCollection, LearningChain, LearningNode

LINEAGE_UP = 3          # ancestors shown above a case on its page
LINEAGE_DOWN = 3        # levels of cases that learned from it
LINEAGE_LIMIT = 30      # cases in its descendants tree
HOME_CHAINS = 5         # chains on the home page, largest first
HOME_DEPTH, HOME_LIMIT = 2, 8
PAGE_DEPTH, PAGE_LIMIT = 8, 200
PAGE = "learning/index.md"


def shown_ids(nodes: list[LearningNode]) -> set[str]:
    found, stack = set(), list(nodes)
    while stack:
        node = stack.pop()
        found.add(node.case.id)
        stack.extend(node.children)
    return found


def case_lineage(collection: CaseCollection, case: Case) -> LearningNode | None:
    """The case under its earliest ancestors (one path up), with who learned from it below;
    None when this adds nothing to the direct links, i.e. fewer than three cases in all."""
    if not (case.inspired or collection.parents(case)):
        return None
    below = collection.tree([case], LINEAGE_DOWN, LINEAGE_LIMIT)[0]
    path = collection.lineage(case, LINEAGE_UP)
    node = below
    for ancestor in reversed(path[:-1]):
        node = LearningNode(ancestor, [node], hidden=len(collection.children(ancestor)) - 1)
    if len(shown_ids([below]) | {c.id for c in path}) < 3:
        return None
    return node


def chain_view(collection: CaseCollection, chain: LearningChain, depth: int, limit: int) -> dict:
    return {"size": chain.size, "roots": chain.roots,
            "tree": collection.tree(chain.roots, depth, limit)}


def home_chains(collection: CaseCollection) -> list[dict]:
    return [chain_view(collection, ch, HOME_DEPTH, HOME_LIMIT) for ch in collection.learning_chains()[:HOME_CHAINS]]


def page_chains(collection: CaseCollection) -> list[dict]:
    return [chain_view(collection, ch, PAGE_DEPTH, PAGE_LIMIT) for ch in collection.learning_chains()]
