"""A tag holding a comma survives ``export --to csv`` and its import back:
the export writes each tag as the listing does (``tags_cell``: "a, b" in
double quotes), and the spreadsheet importer reads a quoted tag whole.  It
was joined unquoted, so "see note, not-counted" came back as two tags, one
of them ``not-counted``, and its entry left every total.  The Parquet
export's tags column is the same text."""
from __future__ import annotations

import csv
import io
import tomllib
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

JOURNAL = '''
[[entry]]
id = "kept"
date = 2020-01-01
funder = "UK:Home Office"
purpose = "Humanitarian:Calais"
amount = "1000000"
currency = "GBP"
tags = ["see note, not-counted", "calais"]

[[entry]]
id = "other"
date = 2020-02-01
funder = "UK:Home Office"
purpose = "Security:Calais"
amount = "250000"
currency = "GBP"
tags = ['a "quoted" tag', "x,y"]

[[entry]]
id = "left-out"
date = 2020-03-01
funder = "UK:Home Office"
purpose = "Security:Calais"
amount = "7"
currency = "GBP"
tags = ["not-counted"]
'''


def _written() -> dict[str, dict]:
    return {e["id"]: e for e in tomllib.loads(JOURNAL)["entry"]}


def _counted_gbp() -> Decimal:
    """The entries not tagged exactly ``not-counted``, from the journal text."""
    return sum((Decimal(e["amount"]) for e in _written().values()
                if "not-counted" not in e["tags"]), Decimal(0))


def _purposes_gbp(run_cli, ledger) -> Decimal:
    code, out, err = run_cli("balance", ledger, "--format", "csv")
    assert code == 0, err
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r["account"] == "Purposes"]
    assert [r["currency"] for r in rows] == ["GBP"]
    return Decimal(rows[0]["amount"])


def test_a_tag_with_a_comma_survives_export_and_import(tmp_path, run_cli):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "pledges.toml").write_text(JOURNAL, encoding="utf-8")
    assert _purposes_gbp(run_cli, tmp_path / "src") == _counted_gbp() == Decimal(1_250_000)
    code, _, err = run_cli("export", tmp_path / "src", "--to", "csv", "-o", tmp_path / "e.csv")
    assert code == 0, err
    code, _, err = run_cli("import", tmp_path / "e.csv", "-o", tmp_path / "back")
    assert code == 0, err
    assert _purposes_gbp(run_cli, tmp_path / "back") == _counted_gbp()
    back = {e["id"]: e for e in tomllib.loads(
        (tmp_path / "back" / "imported.toml").read_text(encoding="utf-8"))["entry"]}
    assert {k: e["tags"] for k, e in back.items()} == \
        {k: e["tags"] for k, e in _written().items()}


@pytest.mark.parametrize("to", ["csv", "parquet"])
def test_the_export_quotes_a_tag_as_the_listing_does(tmp_path, run_cli, to):
    (tmp_path / "src.toml").write_text(JOURNAL, encoding="utf-8")
    code, listing, err = run_cli("list", tmp_path / "src.toml", "--format", "csv")
    assert code == 0, err
    listed = {r["id"]: r["tags"] for r in csv.DictReader(io.StringIO(listing))}
    out = tmp_path / f"e.{to}"
    code, _, err = run_cli("export", tmp_path / "src.toml", "--to", to, "-o", out)
    assert code == 0, err
    rows = (list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))) if to == "csv"
            else pq.read_table(out).to_pylist())
    exported = {r["id"]: r["tags"] for r in rows}
    # the same cells, but the export's separator ("; " where the listing writes ";")
    assert {k: v.replace("; ", ";") for k, v in exported.items()} == listed
    assert exported["kept"] == '"see note, not-counted"; calais'
    assert exported["other"] == '"a ""quoted"" tag"; "x,y"'
