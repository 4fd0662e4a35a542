"""A one-off paid on another day than its date (a bulk file's ``start``
column) is listed as "one-off from START", and a listing's import reads
that back: the entry stays in its start's year, in every command."""
from __future__ import annotations

import csv
import datetime as dt
import io

from ledger.model import ONE_OFF, Period
from ledger.phrases.period import parse_period

BULK = ("id,date,funder,purpose,amount,currency,period_kind,start\n"
        "late,2020-06-01,UK,P:late,1000,GBP,one-off,2021-03-01\n"
        "plain,2020-06-01,UK,P:plain,500,GBP,one-off,\n")
# by hand: "late" is paid on 2021-03-01 (its start), "plain" on its date
BY_YEAR = {"2020": "500.00", "2021": "1000.00"}


def _totals(run_cli, path) -> dict[str, str]:
    code, out, err = run_cli("balance", path, "--format", "csv", "--currency", "GBP",
                             "--by", "year")
    assert code == 0, err
    return {r["year"]: r["amount"] for r in csv.DictReader(io.StringIO(out))
            if r["account"] == "(total)"}


def _listing(run_cli, path) -> dict[str, str]:
    code, out, err = run_cli("list", path, "--format", "csv")
    assert code == 0, err
    return {r["id"]: r["period"] for r in csv.DictReader(io.StringIO(out))}


def test_the_phrase_says_the_day():
    p = parse_period("one-off from 2021-03-01")
    assert (p.kind, p.start) == (ONE_OFF, dt.date(2021, 3, 1))
    assert p.describe() == "one-off from 2021-03-01"
    assert parse_period(p.describe()) == p
    assert Period(ONE_OFF).describe() == "one-off"


def test_a_listing_keeps_a_one_offs_day_through_an_import(tmp_path, run_cli):
    bulk = tmp_path / "b.csv"
    bulk.write_text(BULK, encoding="utf-8")
    assert _totals(run_cli, bulk) == BY_YEAR
    periods = _listing(run_cli, bulk)
    assert periods == {"late": "one-off from 2021-03-01", "plain": "one-off"}

    code, listing, err = run_cli("list", bulk, "--format", "csv")
    listed = tmp_path / "l.csv"
    listed.write_text(listing, encoding="utf-8")
    back = tmp_path / "back.toml"
    code, _, err = run_cli("import", listed, "-o", back)
    assert code == 0, err
    assert 'period = "one-off from 2021-03-01"' in back.read_text(encoding="utf-8")
    assert _totals(run_cli, back) == BY_YEAR
    assert _listing(run_cli, back) == periods

    data = tmp_path / "d.parquet"
    code, _, err = run_cli("import", listed, "--to", data)
    assert code == 0, err
    assert _totals(run_cli, data) == BY_YEAR
    assert _listing(run_cli, data) == periods


def test_the_listing_is_not_a_bulk_ledger_but_its_period_cell_is_read(tmp_path, run_cli):
    listed = tmp_path / "l.csv"
    bulk = tmp_path / "b.csv"
    bulk.write_text(BULK, encoding="utf-8")
    code, listing, err = run_cli("list", bulk, "--format", "csv")
    listed.write_text(listing, encoding="utf-8")
    code, out, err = run_cli("check", listed)
    assert code == 1 and "Traceback" not in err
    assert "is a listing of a ledger" in out + err
    # the same rows as a bulk file (no links column): the phrase gives the day
    rows = list(csv.DictReader(io.StringIO(listing)))
    plain = tmp_path / "p.csv"
    plain.write_text("id,date,funder,purpose,amount,currency,period\n" + "".join(
        f"{r['id']},{r['date']},{r['funder']},{r['purpose']},{r['amount']},{r['currency']},"
        f"{r['period']}\n" for r in rows), encoding="utf-8")
    code, out, err = run_cli("check", plain)
    assert code == 0, out + err
    assert _totals(run_cli, plain) == BY_YEAR


def test_a_journal_says_the_day_in_its_period(tmp_path, run_cli):
    j = tmp_path / "j.toml"
    j.write_text('[[entry]]\nid = "late"\ndate = 2020-06-01\nfunder = "UK"\n'
                 'purpose = "P:late"\namount = "1000"\ncurrency = "GBP"\n'
                 'period = "one-off from 2021-03-01"\n', encoding="utf-8")
    assert _totals(run_cli, j) == {"2021": "1000.00"}
