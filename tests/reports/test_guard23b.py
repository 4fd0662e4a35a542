"""The formula guard counts apostrophes (review of fix23, finding 2): the
guard went before text starting with an apostrophe too, so the import took
one off "''x", and a listing written before that guard ("''x" meaning
"''x") read "'x", merging two funders.  Now only text starting with a
formula character after any apostrophes is guarded, and only such text
loses one apostrophe on import: every text reads back, and old files read as
they did except where they were ambiguous
(or held two apostrophes before a formula character)."""
from __future__ import annotations

import json
import re
import tomllib
from decimal import Decimal

import pandas as pd
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from ledger.imports.cells import GUARD_TO_DROP, guard
from reports.listing import inert_column
from reports.text import inert, inert_frame

# `list --format csv` of the parent of fix23 (guard before = + - @ only) on
# a ledger whose names are NAMES below
OLD_LISTING = """\
id,date,funder,purpose,amount,currency,qualifier,period,status,links,sources,restated,value_date,tags,fiscal_year_start
r1,2015-01-01,'x,P,1000000,GBP,exact,one-off,pledged,,d1,,,,04-01
r2,2015-01-01,''x,'=x,2000000,GBP,exact,one-off,pledged,,d1;d2,,,,04-01
r3,2015-01-01,'-x,'-x,3000000,GBP,exact,one-off,pledged,,d1;d2,,,,04-01
r4,2015-01-01,''',',4000000,GBP,exact,one-off,pledged,,d1,,,,04-01
r5,2015-01-01,F,"[""a""]",5000000,GBP,exact,one-off,pledged,,d1,,,,04-01
"""
NAMES = {"r1": ("'x", "P"), "r2": ("''x", "'=x"), "r3": ("-x", "'-x"),
         "r4": ("'''", "'"), "r5": ("F", '["a"]')}
# written unguarded by that parent yet starting like guarded text: "'=x" (and
# "'-x", which "-x" was written as too) read with one apostrophe less
AMBIGUOUS = {"'=x", "'-x"}


def test_an_old_listing_reads_every_unambiguous_name_as_the_ledger_has_it(tmp_path,
                                                                           run_cli):
    (tmp_path / "l.csv").write_text(OLD_LISTING, encoding="utf-8")
    out = tmp_path / "back" / "b.toml"
    code, _, err = run_cli("import", tmp_path / "l.csv", "-o", out)
    assert code == 0, err
    got = {e["id"]: (e["funder"], e["purpose"])
           for e in tomllib.loads(out.read_text(encoding="utf-8"))["entry"]}
    for eid, names in NAMES.items():
        for name, read in zip(names, got[eid]):
            assert read == (name[1:] if name in AMBIGUOUS else name), (eid, name)
    code, text, err = run_cli("balance", out.parent, "--format", "json")
    assert code == 0, err
    funders = {r["account"]: Decimal(r["amount"]) for r in json.loads(text)
               if r["account"].startswith("Funders:")}
    assert funders["Funders:'x"] == Decimal(-1_000_000)
    assert funders["Funders:''x"] == Decimal(-2_000_000)


def test_the_guard_counts_apostrophes():
    assert [guard(t) for t in ["-x", "'-x", "'x", "''x", "=1", "'", "-5", "'-5"]] == \
        ["'-x", "''-x", "'x", "''x", "'=1", "'", "-5", "''-5"]


@given(st.text(alphabet="'=-+@x \t", max_size=8))
def test_every_writer_and_the_import_round_trip(text):
    written = guard(text)
    assert re.sub(GUARD_TO_DROP, "", written) == text
    # only text a spreadsheet would run, after its apostrophes, is guarded
    runs = re.match(r"'*[=+\-@\t]", text) and not re.fullmatch(r"[+-]?\d+", text)
    assert written == ("'" + text if runs else text)
    assert inert(text) == written
    assert inert_column(pa.array([text])).to_pylist() == [written]
    assert inert_frame(pd.DataFrame({"t": [text]}))["t"].tolist() == [written]


def test_names_round_trip_through_list_and_import(tmp_path, run_cli):
    names = ["-x", "'-x", "''-x", "'x", "''x", "'=x", "'''", "'", "@y", "+z"]
    entries = "".join(
        f'[[entry]]\nid = "n{i}"\ndate = 2015-01-01\nfunder = "{n}"\npurpose = "{n}"\n'
        f'amount = "£{i + 1}m"\n\n' for i, n in enumerate(names))
    (tmp_path / "j.toml").write_text('[ledger]\ncurrency = "GBP"\n\n' + entries,
                                     encoding="utf-8")
    for how in [("list", "--format", "csv"), ("export", "--to", "csv", "-o", "-")]:
        code, out, err = run_cli(how[0], tmp_path / "j.toml", *how[1:])
        assert code == 0, err
        (tmp_path / "j.csv").write_text(out, encoding="utf-8")
        back = tmp_path / how[0] / "b.toml"
        code, _, err = run_cli("import", tmp_path / "j.csv", "-o", back)
        assert code == 0, err
        got = {e["id"]: (e["funder"], e["purpose"])
               for e in tomllib.loads(back.read_text(encoding="utf-8"))["entry"]}
        assert got == {f"n{i}": (n, n) for i, n in enumerate(names)}
