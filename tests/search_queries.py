"""The fixed query list for search recall tests and the benchmark.

Single kana words, mixed words, kanji compounds, katakana, two-term AND,
one-character queries, queries typed in the other kana, in full-width
letters, and ones that match nothing.
"""

QUERIES = [
    # kana words and their other-kana spellings
    "おくやみ", "オクヤミ", "ｵｸﾔﾐ", "チャットボット", "ちゃっとぼっと", "キャッシュレス", "きゃっしゅれす",
    "マイナンバーカード", "まいなんばーかーど", "マイナンバカード", "オープンデータ", "アプリ", "スマホ教室",
    # mixed kana and kanji
    "書かない窓口", "待ち時間", "申請書", "子育て支援", "ごみ分別", "窓口を予約",
    # kanji compounds
    "住民票", "電子申請", "標準化", "防災", "職員", "負担", "研修", "交付金", "デジタル田園都市国家構想交付金",
    "情報セキュリティ", "個人情報",
    # municipality names and readings
    "北海道", "茅ヶ崎", "茅ケ崎", "裾野市", "すその", "スソノシ", "札幌",
    # full-width letters and digits, case
    "ＡＩ", "ai", "AI-OCR", "ＲＰＡ", "rpa", "DX", "ｄｘ", "LGWAN", "SaaS", "2024", "２０２４",
    # one character
    "窓", "市", "町", "村", "の", "ヶ", "円",
    # two or more terms (AND)
    "書かない 窓口", "窓口 予約", "電子申請　オンライン", "課題 解決 職員", "おくやみ 窓口", "AI 申請書",
    # nothing
    "存在しない語", "おくやみ 宇宙",
]
