"""The formula guard reads back exactly (hunt 14, finding 3): purposes `'-x`
(£5m) and `-x` (£3m) were both written `'-x` by `export --to csv` and `list
--format csv`, and the import merged them into one `-x` of £8m."""
from __future__ import annotations

import csv
import json
import re
from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.imports.cells import GUARD_TO_DROP
from reports.listing import inert_column
from reports.text import inert, inert_frame

LEDGER = '''[ledger]
currency = "GBP"

[[entry]]
id = "a1"
date = 2015-01-01
funder = "'t Hooft Fund"
purpose = "'-x"
amount = "£5m"
tags = ["'quoted", "-y"]

[[entry]]
id = "a2"
date = 2015-01-01
funder = "t Hooft Fund"
purpose = "-x"
amount = "£3m"

[[entry]]
id = "a3"
date = 2015-01-01
funder = "t Hooft Fund"
purpose = "''=x"
amount = "£2m"
'''


def _balance(run_cli, where) -> dict[str, Decimal]:
    code, out, err = run_cli("balance", where, "--format", "json")
    assert code == 0, err
    return {r["account"]: Decimal(r["amount"]) for r in json.loads(out)}


@pytest.mark.parametrize("how", [("export", "--to", "csv", "-o", "-"),
                                 ("list", "--format", "csv")])
def test_every_text_reads_back_as_it_was(tmp_path, run_cli, how):
    (tmp_path / "j.toml").write_text(LEDGER, encoding="utf-8")
    code, out, err = run_cli(how[0], tmp_path / "j.toml", *how[1:])
    assert code == 0, err
    (tmp_path / "j.csv").write_text(out, encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "j.csv", "-o", tmp_path / "rt" / "i.toml")
    assert code == 0, err
    got = _balance(run_cli, tmp_path / "rt")
    assert {k: v for k, v in got.items() if k.startswith("Purposes:")} == {
        "Purposes:'-x": Decimal(5000000), "Purposes:-x": Decimal(3000000),
        "Purposes:''=x": Decimal(2000000)}
    assert got["Funders:'t Hooft Fund"] == Decimal(-5000000)
    import ledger
    tags = {e.id: e.tags for e in ledger.load(tmp_path / "rt").entries}
    assert tags["a1"] == ("'quoted", "-y")


def test_the_fdp_labels_stay_distinct_and_inert(tmp_path, run_cli):
    (tmp_path / "j.toml").write_text(LEDGER, encoding="utf-8")
    code, _, err = run_cli("export", tmp_path / "j.toml", "--to", "fdp", "-o", tmp_path / "p")
    assert code == 0, err
    with open(tmp_path / "p" / "ledger.csv", newline="", encoding="utf-8") as fh:
        purposes = {r["purpose"] for r in csv.DictReader(fh)}
    assert purposes == {"''-x", "'-x", "'''=x"}
    fields = json.loads((tmp_path / "p" / "datapackage.json").read_text(encoding="utf-8")
                        )["resources"][0]["schema"]["fields"]
    said = {f["name"]: f.get("description", "") for f in fields}
    assert all("apostrophe" in said[c] for c in ("id", "funder", "purpose"))


@given(st.text(max_size=6))
def test_the_import_takes_off_exactly_the_guard(text):
    written = inert(text)
    assert re.sub(GUARD_TO_DROP, "", written) == text
    assert inert_column(pa.array([text])).to_pylist() == [written]
    assert inert_frame(pd.DataFrame({"t": [text]}))["t"].tolist() == [written]
