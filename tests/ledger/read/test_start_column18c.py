"""A bulk file's ``start`` column beside period phrases (no ``period_kind``)
starts each phrase's period there, as the period columns do; the other
period columns without ``period_kind`` are refused, never dropped."""
from __future__ import annotations

import csv
import io

HEAD = "id,date,funder,purpose,amount,currency,period,start\n"


def _by_year(run_cli, path) -> dict[tuple[str, str], str]:
    code, out, err = run_cli("balance", path, "--format", "csv", "--currency", "GBP",
                             "--by", "year")
    assert code == 0, err
    return {(r["account"], r["year"]): r["amount"] for r in csv.DictReader(io.StringIO(out))}


def test_a_start_column_starts_the_phrase(tmp_path, run_cli):
    # 52 weeks from 2016-01-01: 364 of the leap year's 366 days, £365,000 ×
    # 364/366 = £363,005.46 in 2016; from 2015-01-01 364/365: £364,000 in 2015
    f = tmp_path / "r.csv"
    f.write_text(HEAD + "a,2015-01-01,UK,P:a,365000,GBP,per year for 52 weeks,2016-01-01\n"
                        "b,2016-01-01,UK,P:b,365000,GBP,per year for 52 weeks,2015-01-01\n"
                        "c,2015-01-01,UK,P:c,365000,GBP,per year for 52 weeks,\n",
                 encoding="utf-8")
    got = _by_year(run_cli, f)
    assert got[("Purposes:P:a", "2016")] == "363005.46"
    assert ("Purposes:P:a", "2015") not in got
    assert got[("Purposes:P:b", "2015")] == "364000.00"
    assert got[("Purposes:P:c", "2015")] == "364000.00"
    code, out, _ = run_cli("list", f, "--format", "csv")
    periods = {r["id"]: r["period"] for r in csv.DictReader(io.StringIO(out))}
    assert periods == {"a": "per year for 52 weeks from 2016-01-01",
                       "b": "per year for 52 weeks from 2015-01-01",
                       "c": "per year for 52 weeks"}


def test_a_start_that_cannot_hold_is_said_in_one_line(tmp_path, run_cli):
    f = tmp_path / "bad.csv"
    f.write_text(HEAD + "f,2015-01-01,UK,P:f,1,GBP,per year from 2015-02-01,2016-01-01\n"
                        "g,2015-01-01,UK,P:g,1,GBP,fiscal year 2016-17,2016-01-01\n"
                        "h,2015-01-01,UK,P:h,1,GBP,,2016-01-01\n"
                        "i,2015-01-01,UK,P:i,1,GBP,per year,2016-13-01\n", encoding="utf-8")
    code, out, err = run_cli("check", f)
    assert code == 1 and "Traceback" not in err
    lines = [ln for ln in (out + err).splitlines() if "error:" in ln]
    # h, a one-off, is paid on the start's day as "one-off from" says (fix27b)
    assert len(lines) == 3 and not [x for x in lines if "entry 'h'" in x]
    for row, eid in ((2, "f"), (3, "g"), (5, "i")):
        (ln,) = [x for x in lines if f"bad.csv:{row}: entry '{eid}'" in x]
        assert "error: start: " in ln


def test_other_period_columns_need_period_kind(tmp_path, run_cli):
    f = tmp_path / "y.csv"
    f.write_text("id,date,funder,purpose,amount,currency,period,years,end\n"
                 "a,2015-01-01,UK,P:a,1,GBP,per year,2,\n"
                 "b,2015-01-01,UK,P:b,1,GBP,per year,,2015-12-30\n", encoding="utf-8")
    code, out, err = run_cli("check", f)
    assert code == 1
    said = out + err
    assert "y.csv:2: entry 'a': error: years: '2' is read only with a period_kind" in said
    assert "y.csv:3: entry 'b': error: end: '2015-12-30' is read only with a period_kind" in said


def test_a_listing_keeps_the_columns_start_through_an_import(tmp_path, run_cli):
    # the period as columns (per-year, 0.9966 years, from 2016-01-01) and
    # its words "per year for 52 weeks": £365,000 × 364/366 = £363,005.46 in
    # 2016; the listing's period must say the start, or its import puts the
    # entry in 2015 at £364,000
    f = tmp_path / "k.csv"
    f.write_text("id,date,funder,purpose,amount,currency,period,period_kind,years,start\n"
                 "a,2015-01-01,UK,P:a,365000,GBP,per year for 52 weeks,per-year,0.9966,"
                 "2016-01-01\n", encoding="utf-8")
    want = {("Purposes:P:a", "2016"): "363005.46"}
    assert {k: v for k, v in _by_year(run_cli, f).items() if k[0] == "Purposes:P:a"} == want
    code, listing, err = run_cli("list", f, "--format", "csv")
    assert code == 0, err
    (row,) = csv.DictReader(io.StringIO(listing))
    assert row["period"] == "per year for 52 weeks from 2016-01-01"
    (tmp_path / "list.csv").write_text(listing, encoding="utf-8")
    book = tmp_path / "book"
    assert run_cli("init", book)[0] == 0
    code, _, err = run_cli("import", tmp_path / "list.csv", "-o", book / "imported.toml")
    assert code == 0, err
    assert {k: v for k, v in _by_year(run_cli, book).items() if k[0] == "Purposes:P:a"} == want
