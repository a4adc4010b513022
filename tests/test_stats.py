"""`python -m generator stats`: the counts of the knowledge base, on fixture cases."""

from __future__ import annotations

import json

from conftest import VALID_PATH, run_cli
from test_learning import V, derived


def fixture_root(root):
    """The two fixture cases (V learned from the other one) and two more from other kinds of body."""
    derived(root, "011002", "sapporo", [V])          # 札幌市: 政令指定都市, Hokkaido
    derived(root, "473821", "yonaguni", [V])         # 与那国町: 町, Okinawa
    return root


def test_text_counts(root):
    proc = run_cli("stats", "--root", str(fixture_root(root).path))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[:11] == [
        "事例: 4 件",
        "都道府県: 4 / 47",
        "団体: 4",
        "団体の種類（事例 / 団体）:",
        "  都道府県: 0 / 0",
        "  政令指定都市: 1 / 1",
        "  特別区: 0 / 0",
        "  市: 2 / 2",
        "  町: 1 / 1",
        "  村: 0 / 0",
        lines[10],
    ]
    assert lines[10].startswith("分野: 2 / 20（事例のない分野: 子育て・教育、")
    assert lines[11:] == [
        "参考にした事例（inspired_by）のつながり: 3 件（ほかの事例を参考にした事例 3 件、1 系統、最大 4 事例）",
        "記録のある項目:",
        "  人口: 1 件（25%）",
        "  費用: 1 件（25%）",
        "  電話か URL のある問い合わせ先: 4 件（100%）",
        "  出典: 4 件（100%）",
        "  着手と開始の両方: 1 件（25%）",
        "着手から開始までの月数の中央値: 6 か月（月まで分かる 1 件）",
    ]


def test_json_counts(root):
    proc = run_cli("stats", "--format", "json", "--root", str(fixture_root(root).path))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["cases"] == 4 and data["prefectures"] == 4 and data["municipalities"] == 4
    assert data["municipality_types"]["町"] == {"cases": 1, "municipalities": 1}
    assert data["inspired_by_links"] == 3 and data["learning_chains"] == 1 and data["largest_chain"] == 4
    assert data["with_phone_or_url_contact"] == 4 and data["with_population"] == 1
    assert data["median_months_to_launch"] == 6 and data["areas_total"] == 20 and data["areas_covered"] == 2


def test_cases_with_errors_are_left_out_and_said_to_be(root):
    root.write(VALID_PATH, (root.path / VALID_PATH).read_text(encoding="utf-8").replace("status: 運用中", "status: 運用"))
    proc = run_cli("stats", "--root", str(root.path))
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0] == "事例: 1 件"
    assert proc.stderr.strip() == "エラーのある事例ファイル 1 件は数えていません。make check で確かめてください。"


def test_a_folder_without_the_vocabulary_is_a_usage_error(tmp_path):
    proc = run_cli("stats", "--root", str(tmp_path))
    assert proc.returncode == 2
    assert "areas.yml がありません" in proc.stderr


def test_help_says_what_is_counted():
    out = run_cli("stats", "--help").stdout
    assert "事例集の数を数えます" in out and "--format" in out and "median months" in out
