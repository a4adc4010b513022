"""The learning graph (inspired_by), unknown facts and months to launch, as the model
derives them and as the generated pages show them.

Pages come from the real pipeline (check → model → docs tree) on a temporary
cases root: the fixture cases plus a few cases that learned from them.
"""

from __future__ import annotations

import html
import re

import pytest

from conftest import FIXTURES, TODAY, CasesRoot
from generator import model, pipeline
from generator.municipalities import registry
from generator.site.pages import SiteOptions

A, V = "142077-kakanai-madoguchi", "222208-okuyami-one-stop"   # the fixture cases; V learned from A
OTHER = (FIXTURES / "other-case.md").read_text(encoding="utf-8")
UNKNOWN = "公開資料では確認できません"


def derived(root: CasesRoot, code: str, slug: str, inspired_by=(), timeline: str | None = None) -> str:
    """A copy of the other fixture case for municipality ``code``, learning from ``inspired_by``."""
    reg = registry()
    m = reg.by_code[code]
    text = OTHER.replace('code: "142077"\n  name: "茅ヶ崎市"', f'code: "{code}"\n  name: "{m.name}"')
    if inspired_by:
        text = text.replace("sources:\n", "inspired_by:\n" + "".join(f'  - "{i}"\n' for i in inspired_by)
                            + "sources:\n")
    if timeline:
        text = text.replace('timeline:\n  - date: "2024"\n    event: "導入"\n', timeline)
    root.write(f"{reg.prefecture_of(m).romaji}/{code}-{slug}.md", text)
    return f"{code}-{slug}"


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A → V → B → {C, D}, and a loop E ⇄ F; pages and the collection."""
    root = CasesRoot(tmp_path_factory.mktemp("learning"))
    b = derived(root, "142018", "b-case", [V])
    c = derived(root, "142034", "c-case", [b])
    d = derived(root, "142051", "d-case", [b])
    e = derived(root, "142069", "e-case", ["142085-f-case"])
    f = derived(root, "142085", "f-case", [e])
    result = pipeline.run(root.path, SiteOptions(build_date=TODAY))
    assert result.ok, [x for x in result.check.diagnostics if x.is_error]
    cycle = [x.file.rsplit("/", 1)[-1] for x in result.check.diagnostics if x.rule == "inspired-cycle"]
    assert cycle == ["142069-e-case.md", "142085-f-case.md"]  # a warning: both are published
    pages = {src: page.html for src, page in result.tree.pages.items()}
    return pages, result.collection, {"b": b, "c": c, "d": d, "e": e, "f": f}


def tree_items(page: str, label: str) -> str:
    """The tree list with this aria-label, as text with nesting marked by brackets."""
    start = page.index(f'<ul class="dx-tree" aria-label="{label}">')
    depth, out = 0, []
    for match in re.finditer(r"<(/?)ul\b[^>]*>|<[^>]+>|[^<]+", page[start:]):
        token = match.group(0)
        if token.startswith("<ul"):
            depth += 1
            out.append("[")
        elif token == "</ul>":
            depth -= 1
            out.append("]")
            if depth == 0:
                break
        elif not token.startswith("<"):
            out.append(token.strip())
    return " ".join(t for t in out if t)


# ---- model ------------------------------------------------------------------------------------

def test_chains_largest_first_with_their_roots(site):
    _, collection, ids = site
    chains = collection.learning_chains()
    assert [(ch.size, [r.id for r in ch.roots]) for ch in chains] == [(5, [A]), (2, [ids["e"]])]
    assert sorted(chains[0].case_ids) == sorted([A, V, ids["b"], ids["c"], ids["d"]])
    assert collection.learning_links == 6
    assert sorted(chains[1].case_ids) == [ids["e"], ids["f"]]


def test_tree_is_cut_by_depth_and_size_and_counts_what_it_leaves_out(site):
    _, collection, ids = site
    [root] = collection.tree([collection.by_id[A]], depth=1, limit=10)
    assert [n.case.id for n in root.children] == [V]
    assert root.children[0].hidden == 3  # B, C and D below V
    [root] = collection.tree([collection.by_id[A]], depth=10, limit=3)
    assert [n.case.id for n in root.children[0].children] == [ids["b"]]
    assert root.children[0].children[0].hidden == 2


def test_a_loop_ends_in_a_repeated_entry(site):
    _, collection, ids = site
    [root] = collection.tree([collection.by_id[ids["e"]]], depth=50, limit=100)
    assert root.children[0].case.id == ids["f"]
    again = root.children[0].children[0]
    assert (again.case.id, again.repeat, again.children) == (ids["e"], True, [])


def test_lineage_goes_up_through_the_earliest_parent(site):
    _, collection, ids = site
    c = collection.by_id[ids["c"]]
    assert [x.id for x in collection.lineage(c, 3)] == [A, V, ids["b"], ids["c"]]
    assert [x.id for x in collection.lineage(c, 1)] == [ids["b"], ids["c"]]
    e = collection.by_id[ids["e"]]
    assert [x.id for x in collection.lineage(e, 5)] == [ids["f"], ids["e"]]  # stops at the loop


def test_months_to_launch_needs_both_milestones_to_the_month(site):
    _, collection, _ = site
    assert collection.by_id[V].months_to_launch == 6  # 2023-06 → 2023-12-01
    assert collection.by_id[A].months_to_launch is None  # no milestones
    assert model.months_between("2023", "2024-01") is None
    assert model.months_between("2023-06", "2023-06-30") == 0


def test_missing_facts_names_what_the_record_does_not_say(site):
    _, collection, _ = site
    assert collection.by_id[V].missing_facts == []
    assert collection.by_id[A].missing_facts == ["人口", "開始", "着手から開始まで", "効果", "システム",
                                                 "初期費用", "年間費用", "電話"]


# ---- pages --------------------------------------------------------------------------------------

def test_case_page_links_both_ways_with_municipality_names(site):
    pages, _, ids = site
    page = pages[f"cases/{ids['b']}.md"]
    text = text_of(page)
    assert "この事例が参考にした事例 静岡県裾野市「おくやみワンストップ窓口」 （2023年12月1日開始）" in text
    assert "この事例を参考にした事例 神奈川県平塚市「書かない窓口」 神奈川県藤沢市「書かない窓口」" in text
    assert '<a href="../222208-okuyami-one-stop/">静岡県裾野市「おくやみワンストップ窓口」</a>' in page
    assert '<a href="../142034-c-case/">神奈川県平塚市「書かない窓口」</a>' in page


def test_case_page_shows_the_lineage_as_a_nested_list(site):
    pages, _, ids = site
    page = pages[f"cases/{ids['c']}.md"]
    assert tree_items(page, "学び合いの系譜") == (
        "[ 神奈川県茅ヶ崎市「書かない窓口」 [ 静岡県裾野市「おくやみワンストップ窓口」 （2023年12月1日開始） "
        "[ 神奈川県横須賀市「書かない窓口」 [ 神奈川県平塚市「書かない窓口」 （この事例） ほか 1 事例 ] ] ] ]")
    assert '<a href="../../learning/">すべての系譜を見る</a>' in page


def test_lineage_is_left_out_when_it_adds_nothing(site):
    pages, _, ids = site
    page = pages[f"cases/{ids['e']}.md"]  # E ⇄ F: the direct links say it all
    assert "学び合いの系譜" not in page
    assert "この事例が参考にした事例" in page and "この事例を参考にした事例" in page


def test_home_page_lists_the_chains_roots_first_with_counts(site):
    pages, _, _ = site
    page = pages["index.md"]
    text = text_of(page)
    assert "学び合いの系譜" in text
    assert "参考にした事例 6 件、2 系統" in text
    assert "神奈川県茅ヶ崎市「書かない窓口」からの系譜（5 事例）" in text
    assert "神奈川県小田原市「書かない窓口」からの系譜（2 事例）" in text
    assert tree_items(page, "神奈川県茅ヶ崎市「書かない窓口」からの系譜") == (  # two levels below the root
        "[ 神奈川県茅ヶ崎市「書かない窓口」 [ 静岡県裾野市「おくやみワンストップ窓口」 （2023年12月1日開始） "
        "[ 神奈川県横須賀市「書かない窓口」 [ ほか 2 事例 ] ] ] ]")
    assert '<a href="learning/">学び合いの系譜をすべて見る</a>' in page


def test_learning_page_shows_every_chain_whole(site):
    pages, _, _ = site
    page = pages["learning/index.md"]
    assert "参考にした事例 6 件で、7 事例が 2 系統につながっています。" in text_of(page)
    assert tree_items(page, "神奈川県茅ヶ崎市「書かない窓口」からの系譜") == (
        "[ 神奈川県茅ヶ崎市「書かない窓口」 [ 静岡県裾野市「おくやみワンストップ窓口」 （2023年12月1日開始） "
        "[ 神奈川県横須賀市「書かない窓口」 [ 神奈川県平塚市「書かない窓口」 神奈川県藤沢市「書かない窓口」 ] ] ] ]")
    assert tree_items(page, "神奈川県小田原市「書かない窓口」からの系譜") == (  # the loop, cut where it closes
        "[ 神奈川県小田原市「書かない窓口」 [ 神奈川県逗子市「書かない窓口」 [ 神奈川県小田原市「書かない窓口」 （上に記載） ] ] ]")


def test_unknown_facts_are_stated_not_left_out(site):
    pages, _, _ = site
    text = text_of(pages[f"cases/{A}.md"])
    for expected in [f"（市、人口: {UNKNOWN} ）", f"開始 {UNKNOWN}", f"着手から開始まで {UNKNOWN}",
                     f"効果 {UNKNOWN}", f"システム {UNKNOWN}", f"初期費用 {UNKNOWN}", f"年間費用 {UNKNOWN}",
                     f"電話: {UNKNOWN}", "ウェブ: https://www.city.example.lg.jp/shimin/",
                     f"「{UNKNOWN}」は、この記録に書かれていない項目です。"]:
        assert expected in text, expected
    known = text_of(pages[f"cases/{V}.md"])
    assert UNKNOWN not in known
    assert "着手から開始まで 約6か月" in known and "着手から開始まで約6か月" in known


def test_a_chain_with_two_roots_is_named_after_the_earliest(root):
    h = derived(root, "142018", "h-case")                 # learned from no one
    derived(root, "142034", "g-case", [A, h])             # learned from the other fixture case and from H
    result = pipeline.run(root.path, SiteOptions(build_date=TODAY))
    assert result.ok
    [chain] = result.collection.learning_chains()
    assert [r.id for r in chain.roots] == [h, A]  # both start in 2024: then by ID
    page = result.tree.pages["learning/index.md"].html
    name = "神奈川県横須賀市「書かない窓口」などからの系譜"
    assert f"{name}（4 事例）" in text_of(page)
    assert tree_items(page, name) == (
        "[ 神奈川県横須賀市「書かない窓口」 [ 神奈川県平塚市「書かない窓口」 ] 神奈川県茅ヶ崎市「書かない窓口」 "
        "[ 静岡県裾野市「おくやみワンストップ窓口」 （2023年12月1日開始） 神奈川県平塚市「書かない窓口」 （上に記載） ] ]")
