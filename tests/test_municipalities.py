"""The official list (generator/data/municipalities.csv): every entry is accepted, by the
check-digit function, the registry, and the real code and name rules of `check`.

The real check runs once per municipality type: one case whose own municipality is
of that type (in its prefecture's folder, named after its code) and which lists
every entry of that type as a partner, so all 1,788 codes and names pass through
`code_rule` and `municipality_rule` in six checks.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from conftest import FIXTURES, CasesRoot
from generator.municipalities import TYPES, check_digit, fold_ke, has_valid_check_digit, registry

CSV = Path(__file__).resolve().parent.parent / "generator" / "data" / "municipalities.csv"
with open(CSV, encoding="utf-8", newline="") as _f:
    ROWS = list(csv.DictReader(_f))
OTHER = (FIXTURES / "other-case.md").read_text(encoding="utf-8")
OTHER_MUNICIPALITY = 'municipality:\n  code: "142077"\n  name: "茅ヶ崎市"\n'


def test_the_list_has_1788_entries_with_unique_codes():
    assert len(ROWS) == 1788
    assert len({r["code"] for r in ROWS}) == 1788
    assert len(registry().entries) == 1788
    assert len(registry().by_code) == 1788


def test_counts_by_type():
    assert Counter(r["type"] for r in ROWS) == {
        "都道府県": 47, "政令指定都市": 20, "特別区": 23, "市": 772, "町": 743, "村": 183}
    assert set(TYPES) == {r["type"] for r in ROWS}


def test_every_code_has_a_valid_check_digit_and_is_in_the_registry():
    reg = registry()
    bad = [r["code"] for r in ROWS if not has_valid_check_digit(r["code"])]
    assert bad == []
    missing = [r["code"] for r in ROWS if r["code"] not in reg.by_code]
    assert missing == []
    for r in ROWS:
        m = reg.by_code[r["code"]]
        assert (m.prefecture, m.name, m.type) == (r["prefecture"], r["name"], r["type"])


def test_check_digit_formula_on_known_codes():
    # 1·6 + 3·5 + 1·4 + 0·3 + 1·2 = 27; 27 mod 11 = 5; 11 − 5 = 6
    assert check_digit("13101") == 6
    assert check_digit("22220") == 8
    assert check_digit("01208") == 4
    assert check_digit("34208") == 4
    # remainder 0 → 11 → 1; remainder 1 → 10 → 0
    assert [c for c in ("010006", "011002") if has_valid_check_digit(c)] == ["010006", "011002"]


def test_every_wrong_sixth_digit_is_refused():
    accepted = [r["code"][:5] + str(digit) for r in ROWS for digit in range(10)
                if str(digit) != r["code"][5] and has_valid_check_digit(r["code"][:5] + str(digit))]
    assert accepted == []


@pytest.mark.parametrize("code", ["２２２２０８", "22220", "2222080", "22220a", "", " 222208"])
def test_malformed_codes_are_refused(code):
    assert not has_valid_check_digit(code)


def test_every_prefecture_has_its_own_entry_and_folder():
    reg = registry()
    assert len(reg.prefectures) == 47
    prefecture_entries = [m for m in reg.entries if m.type == "都道府県"]
    assert sorted(m.code[:2] for m in prefecture_entries) == sorted(p.code for p in reg.prefectures)
    assert {m.prefecture for m in reg.entries} == {p.name for p in reg.prefectures}
    assert reg.prefecture_by_romaji["hokkaido"].name == "北海道"
    assert reg.prefecture_by_romaji["okinawa"].name == "沖縄県"


def test_25_names_repeat_across_prefectures():
    reg = registry()
    names = Counter(m.name for m in reg.entries)
    repeated = sorted(n for n, k in names.items() if k > 1)
    assert len(repeated) == 25
    assert {"府中市", "伊達市", "森町", "昭和村"} <= set(repeated)
    for name in repeated:  # never twice in one prefecture: prefecture + name identifies
        found = reg.find(name)
        assert len(found) == names[name] >= 2
        assert len({m.prefecture for m in found}) == len(found)
        assert len({m.full_name for m in found}) == len(found)


def test_find_and_find_variant():
    reg = registry()
    assert sorted(m.code for m in reg.find("府中市")) == ["132063", "342084"]
    assert [m.code for m in reg.find("府中市", "広島県")] == ["342084"]
    assert [m.code for m in reg.find("府中市", "hiroshima")] == ["342084"]
    assert [m.code for m in reg.find("府中市", "tokyo")] == ["132063"]
    assert [m.code for m in reg.find("東京都府中市")] == ["132063"]
    assert reg.find("府中市", "静岡県") == []
    assert reg.find("茅ケ崎市") == []  # exact spelling only
    assert [m.code for m in reg.find_variant("茅ケ崎市")] == ["142077"]
    assert [m.code for m in reg.find_variant("神奈川県茅ケ崎市")] == ["142077"]
    assert fold_ke("茅ヶ崎市") == fold_ke("茅ケ崎市") == fold_ke("茅ヵ崎市")


def _case_with_partners(main, partners) -> str:
    """The other fixture case, as `main`'s case, listing `partners` (every second one by full name)."""
    lines = ["partners:"]
    for i, m in enumerate(partners):
        name = m.full_name if i % 2 else m.name
        lines += [f'  - code: "{m.code}"', f'    name: "{name}"']
    block = f'municipality:\n  code: "{main.code}"\n  name: "{main.name}"\n' + "\n".join(lines) + "\n"
    assert OTHER.count(OTHER_MUNICIPALITY) == 1
    return OTHER.replace(OTHER_MUNICIPALITY, block)


def _relative(main, slug: str) -> str:
    return f"{registry().prefecture_of(main).romaji}/{main.code}-{slug}.md"


@pytest.mark.parametrize("kind", TYPES)
def test_every_entry_passes_the_real_check(tmp_path, kind):
    reg = registry()
    entries = [m for m in reg.entries if m.type == kind]
    main = entries[0]
    root = CasesRoot(tmp_path)
    relative = _relative(main, "all-of-type")
    root.write(relative, _case_with_partners(main, entries))
    result = root.check(relative)
    assert result.diagnostics == []
    assert len(result.cases) == 1
    data = result.cases[0].data
    assert data["municipality"]["code"] == main.code
    assert [p["code"] for p in data["partners"]] == [m.code for m in entries]
    assert len(data["partners"]) == {"都道府県": 47, "政令指定都市": 20, "特別区": 23,
                                     "市": 772, "町": 743, "村": 183}[kind]


def test_every_wrong_check_digit_is_refused_by_the_real_check(tmp_path):
    reg = registry()
    wrong = []
    for m in reg.entries:
        digit = (int(m.code[5]) + 1) % 10
        wrong.append(type(m)(m.code[:5] + str(digit), m.prefecture, m.name, m.kana, m.type))
    main = reg.by_code["222208"]
    root = CasesRoot(tmp_path)
    relative = _relative(main, "wrong-digits")
    root.write(relative, _case_with_partners(main, wrong))
    result = root.check(relative)
    assert result.cases == []
    assert len(result.diagnostics) == 1788
    assert {x.rule for x in result.diagnostics} == {"code-check-digit"}
    by_line = {x.line: x for x in result.diagnostics}
    first = 8  # line of the first partner code in the other fixture with partners inserted
    for i, (m, bad) in enumerate(zip(reg.entries, wrong)):
        x = by_line[first + 2 * i]
        assert x.column == 11
        assert x.message == (f"partners.code（団体コード） の {bad.code} は検査数字（6 桁目）が合いません"
                             f"（{m.code[:5]} なら 6 桁目は {m.code[5]}）")
        assert f'"{m.code}"' in x.hint  # the name points to the right code


@pytest.mark.parametrize("code, name, relative", [
    ("010006", "北海道", "hokkaido/010006-pref.md"),
    ("011002", "札幌市", "hokkaido/011002-designated.md"),
    ("012084", "北見市", "hokkaido/012084-city.md"),
    ("131016", "東京都千代田区", "tokyo/131016-special-ward.md"),
    ("342084", "府中市", "hiroshima/342084-fuchu.md"),
    ("132063", "府中市", "tokyo/132063-fuchu.md"),
    ("473821", "与那国町", "okinawa/473821-town.md"),
])
def test_main_municipality_in_its_folder(tmp_path, code, name, relative):
    root = CasesRoot(tmp_path)
    text = OTHER.replace(OTHER_MUNICIPALITY, f'municipality:\n  code: "{code}"\n  name: "{name}"\n')
    root.write(relative, text)
    assert root.check(relative).diagnostics == []
