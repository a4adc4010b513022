"""Synthetic case corpora for benchmarks and scale tests.

Cases are made from the real municipality list and realistic Japanese
phrases, with every optional field exercised, and written into a folder the
caller chooses (never into cases/). Deterministic for a given seed.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from generator.municipalities import registry

REPO = Path(__file__).resolve().parent.parent

SERVICES = [
    ("おくやみワンストップ窓口", "okuyami", "おくやみ・死亡手続"),
    ("書かない窓口", "kakanai-madoguchi", "窓口・手続"),
    ("電子申請の拡充", "denshi-shinsei", "窓口・手続"),
    ("AI-OCR による申請書の読み取り", "ai-ocr", "庁内業務・働き方"),
    ("RPA による定型業務の自動化", "rpa", "庁内業務・働き方"),
    ("AI チャットボットによる問い合わせ対応", "chatbot", "住民参加・広報"),
    ("窓口のキャッシュレス決済", "cashless", "キャッシュレス・電子決済"),
    ("オンライン相談", "online-soudan", "福祉・介護"),
    ("子育て支援アプリ", "kosodate-app", "子育て・教育"),
    ("公共施設予約システム", "shisetsu-yoyaku", "まちづくり・交通"),
    ("防災情報の一斉配信", "bousai-haishin", "防災・危機管理"),
    ("マイナンバーカード出張申請", "mynumber-shutchou", "マイナンバーカード"),
    ("オープンデータの公開", "opendata", "データ活用・オープンデータ"),
    ("スマホ教室", "sumaho-kyoshitsu", "デジタルデバイド対策"),
    ("基幹業務システムの標準化", "hyojunka", "情報システム・標準化"),
    ("ごみ分別案内アプリ", "gomi-app", "環境・ごみ"),
]
PROBLEMS = [
    "来庁者が複数の課を回らなければならず、手続きに長い時間がかかっていた",
    "申請書に同じ氏名や住所を何度も書く必要があった",
    "問い合わせの電話が特定の時期に集中し、職員の負担が大きかった",
    "紙の申請書を職員が手で入力しており、入力誤りが起きていた",
    "開庁時間内に来庁できない住民が手続きをできなかった",
    "現金の取扱いに時間がかかり、窓口が混雑していた",
    "情報が複数のシステムに分かれ、職員が何度も照会していた",
]
INDICATORS = [
    ("窓口での待ち時間", "約2時間", "約40分"),
    ("1 件あたりの処理時間", "約30分", "約10分"),
    ("年間の問い合わせ電話", "約1万2千件", "約7千件"),
    ("申請書の記入箇所", "26 か所", "署名 1 か所"),
    ("オンライン申請の割合", "5%", "38%"),
]
SYSTEMS = [
    ("窓口支援システム", "株式会社サンプル情報", "LGWAN-ASP"),
    ("電子申請サービス", "サンプルテック株式会社", "SaaS"),
    ("AI-OCR サービス", "例示システムズ株式会社", "SaaS"),
    ("RPA ツール", "例示ソフト株式会社", "パッケージ"),
    ("職員が作ったノーコードアプリ", None, "自庁開発"),
    ("地図配信ソフトウェア", None, "OSS"),
]
DEPARTMENTS = ["市民課", "デジタル推進課", "情報政策課", "窓口サービス課", "企画課", "総務課 DX推進係", "子育て支援課"]
STATUSES = ["検討中", "実証中", "運用中", "横展開", "終了"]
RESOURCE_KINDS = ["仕様書", "要綱", "業務フロー", "マニュアル", "報道発表", "記事", "動画", "その他"]
PARAGRAPHS = [
    "住民アンケートや窓口での聞き取りから、手続きの流れが分かりにくいという声が多く寄せられていました。",
    "担当課だけでなく関係する課の職員が集まり、現在の業務の流れを一つずつ書き出して見直しました。",
    "導入にあたっては、先行して取り組んでいた他の自治体を視察し、職員の運用の工夫を教えてもらいました。",
    "操作に慣れない職員のために手順書を作り、繁忙期の前に研修を重ねました。",
    "効果を確かめるため、導入の前後で処理時間と待ち時間を測定しました。",
    "今後は対象となる手続きを広げ、近隣の団体とも運用の知見を共有していく予定です。",
    "個人情報の取扱いについては、情報セキュリティポリシーに沿って運用のルールを定めました。",
    "高齢の方にも使いやすいよう、画面の文字を大きくし、職員が横について操作を案内しています。",
]
HEADINGS = ["背景・課題", "取組内容", "効果", "工夫・苦労した点", "今後の展開"]


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def case_text(rng: random.Random, municipality, partner, index: int, earlier: list[str],
              has_file: bool, paragraphs: int = 1) -> str:
    service, _slug, area = SERVICES[index % len(SERVICES)]
    areas = [area] + ([rng.choice([a for _, _, a in SERVICES if a != area])] if index % 3 == 0 else [])
    year = 2018 + index % 7
    start_month = 1 + index % 12
    launch_year, launch_month = year + (start_month + 5) // 12, (start_month + 5) % 12 + 1
    lines = [
        "---",
        f"title: {_q(municipality.name + 'の' + service)}",
        f"summary: {_q(f'{municipality.full_name}は{service}に取り組み、{rng.choice(PROBLEMS)}という課題を解決した。')}",
        "municipality:",
        f'  code: "{municipality.code}"',
        f"  name: {_q(municipality.name)}",
        "partners:",
        f'  - code: "{partner.code}"',
        f"    name: {_q(partner.full_name)}",
        "population:",
        f"  count: {rng.randint(800, 900_000)}",
        f'  as_of: "{year}-04"',
        "areas:",
        *[f"  - {_q(a)}" for a in areas],
        "tags:",
        *[f"  - {_q(t)}" for t in ("DX", service.split('の')[0][:10], f"{year}年度")],
        f"status: {STATUSES[index % len(STATUSES)]}",
        "timeline:",
        f'  - date: "{year}-{start_month:02d}"',
        "    event: \"プロジェクトチームを立ち上げ\"",
        "    milestone: 着手",
        f'  - date: "{launch_year}-{launch_month:02d}-15"',
        f"    event: {_q(service + 'を開始')}",
        "    milestone: 開始",
        "problems:",
        *[f"  - {_q(p)}" for p in rng.sample(PROBLEMS, 2)],
        "outcomes:",
        f"  - {_q('職員の作業時間が減り、相談対応に時間を充てられるようになった')}",
    ]
    indicator, before, after = rng.choice(INDICATORS)
    lines += [f"  - indicator: {_q(indicator)}", f"    before: {_q(before)}", f"    after: {_q(after)}",
              f"    note: {_q(f'{launch_year}年度の実測値')}"]
    name, vendor, kind = rng.choice(SYSTEMS)
    lines += ["systems:", f"  - name: {_q(name)}"] + ([f"    vendor: {_q(vendor)}"] if vendor else []) + [f"    kind: {kind}"]
    lines += ["cost:", f"  initial: {rng.randint(1, 300) * 100_000}", f"  annual: {rng.randint(1, 100) * 10_000}",
              f"  funding: {_q('デジタル田園都市国家構想交付金')}", f"  note: {_q('税込み')}"]
    domain = f"www.city{municipality.code}.example.lg.jp"
    lines += ["contacts:", f"  - department: {_q(rng.choice(DEPARTMENTS))}",
              f'    phone: "0{rng.choice([3, 6, 11, 45, 52, 55, 92])}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"',
              f'    email: "dx@{domain}"', f'    url: "https://{domain}/dx/"']
    lines += ["resources:", f"  - title: {_q(service + 'の報道発表')}", f'    url: "https://{domain}/press/{index}.html"',
              f"    kind: {RESOURCE_KINDS[index % len(RESOURCE_KINDS)]}"]
    if has_file:
        lines += [f"  - title: {_q('業務フロー図')}", f'    file: "{municipality.code}-{SERVICES[index % len(SERVICES)][1]}-{index}/flow.pdf"', "    kind: 業務フロー"]
    if earlier:
        lines += ["inspired_by:", f'  - "{rng.choice(earlier)}"', "related:", f'  - "{rng.choice(earlier)}"']
    lines += ["sources:", f'  - "https://{domain}/press/{index}.html"', f'updated: "2026-{1 + index % 10:02d}-01"', "---", ""]
    for heading in HEADINGS:
        lines += [f"## {heading}", ""]
        for _ in range(paragraphs):
            lines += [" ".join(rng.sample(PARAGRAPHS, 3)), ""]
    return "\n".join(lines)


def generate(root: Path, count: int, seed: int = 1, paragraphs: int = 1) -> list[Path]:
    """Write `count` valid cases (and the vocabulary) under `root`. More `paragraphs` per
    section give the search index the long postings of a bigger corpus with fewer pages to build."""
    rng = random.Random(seed)
    reg = registry()
    municipalities = [m for m in reg.entries if m.type != "都道府県"]
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "cases" / "areas.yml", root / "areas.yml")
    ids: list[str] = []
    paths: list[Path] = []
    for index in range(count):
        municipality = municipalities[(index * 7919) % len(municipalities)]
        partner = municipalities[(index * 104729 + 13) % len(municipalities)]
        slug = f"{SERVICES[index % len(SERVICES)][1]}-{index}"
        case_id = f"{municipality.code}-{slug}"
        folder = root / reg.prefecture_of(municipality).romaji
        folder.mkdir(exist_ok=True)
        has_file = index % 10 == 0
        if has_file:
            (folder / case_id).mkdir(exist_ok=True)
            (folder / case_id / "flow.pdf").write_bytes(b"%PDF-1.4\n")
        path = folder / f"{case_id}.md"
        path.write_text(case_text(rng, municipality, partner, index, ids[-50:], has_file, paragraphs),
                        encoding="utf-8")
        ids.append(case_id)
        paths.append(path)
    return paths
