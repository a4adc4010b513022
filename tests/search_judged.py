"""The judged relevance set: queries as people type them, each with the cases
a person would want, the first of them the one that should come first.

Judged over the fictional cases of tests/fixtures/search/ (they never shift
under the set) plus three bundled cases, with the repository's synonyms
(cases/synonyms.yml). Kinds: phrases typed without spaces, okurigana, kana
and kanji spellings, 異体字, company forms, synonyms, natural-language
questions, vendors, departments, partners, several words, one kanji left
over by a split (社, 製: it ranks, no case needs it), katakana after a kanji.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "search"

BUNDLED = ["shizuoka/222208-okuyami-corner.md", "kanagawa/142077-kakanai-madoguchi.md",
           "tokyo/132047-cashless-semi-self-register.md"]

OKUYAMI = "394050-okuyami-annai"
SHIBOU = "082082-shibou-tetsuzuki-navi"
KINYU = "202029-kinyu-fuyou-madoguchi"
TAXI = "212032-noriai-taxi-yoyaku"
KAIGI = "232033-online-kaigi"
RPA = "312011-rpa-kyuyo"
KOSODATE = "102024-kosodate-app"
CHATBOT = "142077-toiawase-chatbot"
SHINSEI = "452017-denshi-shinsei"
BPR = "472018-bpr-madoguchi"
HYOJUNKA = "342076-hyojunka"
MYNUMBER = "422011-mynumber-shutchou"
TORIKUMI = "102016-madoguchi-torikumi"
SUSONO = "222208-okuyami-corner"
CHIGASAKI = "142077-kakanai-madoguchi"
MITAKA = "132047-cashless-semi-self-register"
FUKUI = "182010-shuuyaku-madoguchi"
WAKAYAMA = "302015-hinan-app"

# (kind, query, relevant case IDs with the one that should come first at the head; a tuple
# at the head when several are equally good firsts)
JUDGED = [
    # the whole phrase (in one case's body only) first, its words still finding the others
    ("phrase", "おくやみ窓口", [FUKUI, SUSONO, OKUYAMI, SHIBOU]),
    ("phrase", "死亡手続き", [SHIBOU, SUSONO, OKUYAMI]),
    ("phrase", "窓口業務見直し", [BPR]),
    ("phrase", "乗合タクシー予約", [TAXI]),
    ("phrase", "マイナンバーカード出張申請", [MYNUMBER]),
    ("phrase", "子育てアプリ", [KOSODATE]),
    ("phrase", "給与事務自動化", [RPA]),
    ("okurigana", "申込", [SHINSEI, SHIBOU]),
    ("okurigana", "申し込み", [SHINSEI, SHIBOU]),
    ("okurigana", "問合せ", [SHIBOU, CHATBOT]),
    ("okurigana", "問い合わせ", [CHATBOT, SHIBOU]),
    ("okurigana", "取組", [TORIKUMI]),
    ("okurigana", "受け付け", [MYNUMBER, SHINSEI]),
    ("kana", "おくやみ", [SUSONO, OKUYAMI, SHIBOU]),
    ("kana", "お悔やみ", [OKUYAMI, SUSONO, SHIBOU]),
    ("kana", "オクヤミ", [SUSONO, OKUYAMI, SHIBOU]),
    ("kana", "ちゃっとぼっと", [CHATBOT]),
    ("variant", "檮原町", [OKUYAMI]),
    ("variant", "梼原", [OKUYAMI]),
    ("variant", "竜ケ崎市", [SHIBOU]),
    ("variant", "龍ケ崎", [SHIBOU]),
    ("variant", "髙崎市", [KOSODATE]),
    ("variant", "高﨑", [KOSODATE]),
    ("company", "株式会社ミライ行政", [OKUYAMI]),
    ("company", "㈱ミライ行政", [OKUYAMI]),
    ("company", "北斗システム株式会社", [SHIBOU]),
    ("company", "（株）北斗システム", [SHIBOU]),
    ("company", "合同会社ひかりデータ", [HYOJUNKA]),
    ("synonym", "書かない窓口", [CHIGASAKI, KINYU]),
    ("synonym", "デマンド交通", [TAXI]),
    ("synonym", "オンデマンド交通", [TAXI]),
    ("synonym", "Web会議", [KAIGI]),
    ("synonym", "テレビ会議", [KAIGI]),
    ("synonym", "業務見直し", [BPR]),
    ("synonym", "自動応答", [CHATBOT]),
    ("synonym", "オンライン申請", [SHINSEI]),
    ("synonym", "個人番号カード", [MYNUMBER, KINYU]),
    ("natural", "家族が亡くなったときの手続き", [(OKUYAMI, SUSONO), SHIBOU]),
    ("natural", "乗合タクシーをスマホで予約したい", [TAXI]),
    ("natural", "ごみの出し方を知りたい", [CHATBOT]),
    ("natural", "窓口で待ち時間を短くしたい", [BPR]),
    ("natural", "申請書に記入しなくていい窓口", [KINYU, CHIGASAKI]),
    ("vendor", "ミライ行政", [OKUYAMI]),
    ("vendor", "ひかりデータ", [HYOJUNKA]),
    ("vendor", "サンライズソフト", [RPA]),
    ("department", "市民窓口課", [SHIBOU]),
    ("department", "マイナンバー推進室", [MYNUMBER]),
    ("department", "職員課", [RPA]),
    ("department", "交通政策課", [TAXI]),
    ("partner", "浦添市", [BPR]),
    ("partner", "安曇野市", [KINYU]),
    ("partner", "長与町", [MYNUMBER]),
    ("words", "おくやみ 龍ケ崎", [SHIBOU]),
    ("words", "RPA 鳥取", [RPA]),
    # one kanji left over by a split ranks but is not needed: 社 and 製 alone are in half the cases
    ("lone kanji", "ひかりデータ社", [HYOJUNKA]),
    ("lone kanji", "北斗システム製", [SHIBOU]),
    # katakana after a kanji is a word, not okurigana: 防災ナビ is not 防災 (the 金沢市 case
    # has 防災 in its title and 申し込み as typed, this one 防災ナビ and 申込 in its body only)
    ("katakana", "防災ナビ 申し込み", [WAKAYAMA]),
    ("katakana", "手続ナビ", [SHIBOU]),
]


def firsts(relevant: list) -> set[str]:
    head = relevant[0]
    return set(head) if isinstance(head, tuple) else {head}


def wanted(relevant: list) -> set[str]:
    return {i for r in relevant for i in (r if isinstance(r, tuple) else (r,))}


def write_cases(cases: Path) -> None:
    """The judged corpus in `cases`: the fixtures, the bundled three (their links to cases
    not copied dropped), the area vocabulary and the synonyms of the repository."""
    shutil.copytree(FIXTURES, cases, dirs_exist_ok=True)
    for name in ("areas.yml", "synonyms.yml"):
        shutil.copy(REPO / "cases" / name, cases / name)
    for relative in BUNDLED:
        text = (REPO / "cases" / relative).read_text(encoding="utf-8")
        text = re.sub(r"(?m)^(related|inspired_by):\n(  - .*\n)+", "", text)
        (cases / relative).parent.mkdir(parents=True, exist_ok=True)
        (cases / relative).write_text(text, encoding="utf-8")


def judge(results: dict[str, list[str]]) -> dict[str, tuple[bool, bool]]:
    """query → (every relevant case among the results, a right case first)."""
    out = {}
    for _, query, relevant in JUDGED:
        ids = results[query]
        out[query] = (wanted(relevant) <= set(ids), bool(ids) and ids[0] in firsts(relevant))
    return out
