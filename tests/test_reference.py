"""The field reference (docs/field-reference.md) is generated from the JSON Schema.

The committed file must be exactly what `python -m generator reference` prints,
so the reference cannot drift from the schema that `check` enforces.
"""

from __future__ import annotations


from conftest import REPO, run_cli
from generator import reference, schema

COMMITTED = REPO / reference.OUTPUT
REGENERATE = ".venv/bin/python -m generator reference --out docs/field-reference.md"




def test_the_committed_reference_is_the_generated_one():
    assert COMMITTED.read_text(encoding="utf-8") == reference.render(), \
        f"docs/field-reference.md がスキーマと食い違っています。{REGENERATE} で作り直してください"


def test_the_command_prints_the_reference():
    proc = run_cli("reference")
    assert proc.returncode == 0
    assert proc.stdout == reference.render()


def test_the_command_writes_the_reference(tmp_path):
    out = tmp_path / "docs" / "ref.md"
    proc = run_cli("reference", "--out", str(out))
    assert proc.returncode == 0
    assert out.read_text(encoding="utf-8") == reference.render()


def table_rows() -> dict[str, list[str]]:
    rows = {}
    for line in reference.render().splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            rows[cells[0].strip("`")] = cells
    return rows


def test_one_row_per_key_with_required_type_and_choices():
    rows = table_rows()
    top = schema.load()
    for key in top["properties"]:
        assert key in rows, key
        assert rows[key][1] == ("必須" if key in top["required"] else "任意")
    assert rows["status"][2] == "選択肢"
    assert rows["status"][4] == "`検討中`・`実証中`・`運用中`・`横展開`・`終了`"
    assert rows["timeline[].milestone"][4] == "`着手`・`開始`・`終了`"
    assert rows["systems[].kind"][4].split("・") == [f"`{k}`" for k in schema.enum_of("systems", "kind")]
    assert rows["municipality.code"][2] == "団体コード"
    assert rows["resources[].url"][1] == rows["resources[].file"][1] == "url・file のどちらか"
    assert rows["areas"][4].endswith("1〜3 個")
    assert rows["title"][3].startswith("**題名** ")


def test_the_header_is_one_table():
    text = reference.render()
    assert text.count("| キー | 必須 | 型 | 説明 | 値の例・選択肢 |") == 1
    table = [line for line in text.splitlines() if line.startswith("|") and not line.startswith("|---")]
    assert all(line.count(" | ") == 4 for line in table)


def test_contributing_links_the_reference():
    assert "docs/field-reference.md" in (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
