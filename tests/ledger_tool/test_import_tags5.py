"""A tag holding a comma (none of our importers makes one, a user can)
survives ``list --format csv`` and its import back (``-o`` and ``--to``):
the listing quotes it ("a, b"), the spreadsheet importer reads a quoted
tag whole; old listings and hand-made cells ("a, b": two tags) read as
before.  It was split at the comma: "see note, not-counted" became the
tag ``not-counted`` and took its entry out of every total."""
from __future__ import annotations

import csv
import io
import tomllib
from decimal import Decimal

import pytest

from ledger.imports.table import cell_tags

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
tags = ['a "quoted" tag', "x,y,z"]
'''


def _tags_written() -> dict[str, list[str]]:
    return {e["id"]: e["tags"] for e in tomllib.loads(JOURNAL)["entry"]}


def _listed(run_cli, ledger) -> dict[str, dict]:
    code, out, err = run_cli("list", ledger, "--format", "csv")
    assert code == 0, err
    return {r["id"]: r for r in csv.DictReader(io.StringIO(out))}


def _gbp(run_cli, ledger) -> Decimal:
    code, out, err = run_cli("balance", ledger, "--format", "csv", "--currency", "GBP")
    assert code == 0, err
    rows = {r["account"]: r["amount"] for r in csv.DictReader(io.StringIO(out))}
    return Decimal(rows["Purposes"])


@pytest.mark.parametrize("to", ["-o", "--to"])
def test_a_tag_with_a_comma_comes_back_whole(tmp_path, run_cli, monkeypatch, to):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src.toml").write_text(JOURNAL, encoding="utf-8")
    code, listing, err = run_cli("list", "src.toml", "--format", "csv")
    assert code == 0, err
    (tmp_path / "listing.csv").write_text(listing, encoding="utf-8")
    back = "back/back.toml" if to == "-o" else "back.parquet"
    code, _, err = run_cli("import", "listing.csv", to, back)
    assert code == 0, err
    listed = _listed(run_cli, back)
    for eid, tags in _tags_written().items():
        assert sorted(cell_tags(listed[eid]["tags"])) == sorted(tags), listed[eid]["tags"]
    # neither entry is not-counted: both amounts counted, after as before
    written = sum(Decimal(e["amount"]) for e in tomllib.loads(JOURNAL)["entry"])
    assert _gbp(run_cli, "src.toml") == _gbp(run_cli, back) == written


@pytest.mark.parametrize("cell, tags", [
    ("a;b", ["a", "b"]),                       # a listing before quoting
    ("a, b", ["a", "b"]),                      # a hand-made cell
    ("a\nb", ["a", "b"]),
    ('"a, b"; c', ["a, b", "c"]),
    ('"say ""hi"", then"', ['say "hi", then']),
    ('5" screen, b', ['5" screen', "b"]),      # a stray quote is a character
    (" ; ,", []),
])
def test_a_cells_tags(cell, tags):
    assert cell_tags(cell) == tags
