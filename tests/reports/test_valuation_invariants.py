"""One question, one answer (issue 22): invariants of the valued figures over
generated ledgers, with the expectations computed here by hand (fractions,
integer pennies), never from ledger-tool's own output.

- per-year exactness: an amount per year is that amount in every whole
  calendar year, its total the amount × the span's years by anniversaries
  whatever the years, the rest shared by the part years' days; a total "over N years"
  is spread by days (largest remainder); totals are the sums of the parts;
- filter invariance: a filter selects rows and never changes a kept row;
- closed-year stability: adding another entry never moves an entry's figure
  for a year inside the horizon, save an open-ended amount's part year,
  whose share of its total counts the span's years to the horizon;
- additivity: two disjoint parts of a ledger sum to the whole at one horizon;
- the same total from balance, report and every export.
"""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.book import Book
from ledger.model import Entry, Period
from reports.balance import converted
from reports.options import ReportOptions, select_entries
from reports.valuation import Spec, default_horizon, value
from tests.conftest import REPO

FUNDERS = ("UK:Home Office", "UK:Government", "France:Government")
PURPOSES = ("Security:Calais port", "Humanitarian:Calais", "Development")


# ------------------------------------------------------------ generated ledgers
@st.composite
def entries(draw, min_size=1, max_size=8):
    n = draw(st.integers(min_size, max_size))
    out = []
    for i in range(n):
        date = dt.date(draw(st.integers(2010, 2020)), draw(st.integers(1, 12)),
                       draw(st.integers(1, 28)))   # no 29 February: anniversaries stay simple
        pennies = draw(st.integers(1, 10**11))
        kind = draw(st.sampled_from(["one-off", "per-year", "open", "over"]))
        years = Decimal(draw(st.integers(1, 5)))
        period = {"one-off": Period(),
                  "per-year": Period("per-year", years=years),
                  "open": Period("per-year"),
                  "over": Period("over", years=years)}[kind]
        out.append(Entry(f"e{i}", date, draw(st.sampled_from(FUNDERS)),
                         draw(st.sampled_from(PURPOSES)), Decimal(pennies).scaleb(-2), "GBP",
                         period=period))
    return out


# ------------------------------------------------------------ by hand
def _anniversary(d: dt.date, years: int) -> dt.date:
    return d.replace(year=d.year + years)


START = {"calendar": (1, 1), "fiscal-uk": (4, 1)}   # a year's first month and day


def _window(y: int, mode: str) -> tuple[dt.date, dt.date]:
    m, d = START[mode]
    return dt.date(y, m, d), dt.date(y + 1, m, d) - dt.timedelta(days=1)


def _year_of(d: dt.date, mode: str) -> int:
    return d.year if (d.month, d.day) >= START[mode] else d.year - 1


def _year_days(y: int, mode: str = "calendar") -> int:
    a, b = _window(y, mode)
    return (b - a).days + 1


def _overlap(s: dt.date, e: dt.date, y: int, mode: str = "calendar") -> int:
    a, b = _window(y, mode)
    lo, hi = max(s, a), min(e, b)
    return max((hi - lo).days + 1, 0)


def _half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2)) if x >= 0 else -int(-x + Fraction(1, 2))


def _anniversary_years(s: dt.date, end: dt.date) -> Fraction:
    """Years from ``s`` to ``end`` (its last day) by anniversaries: whole
    anniversaries, then the days left over the days to the next (no 29
    February among the generated dates)."""
    after = end + dt.timedelta(days=1)
    k = 0
    while _anniversary(s, k + 1) <= after:
        k += 1
    a, b = _anniversary(s, k), _anniversary(s, k + 1)
    return k + Fraction((after - a).days, (b - a).days)


def span_of(e: Entry, horizon: int | None, mode: str = "calendar"):
    if e.period.kind == "per-year" and e.period.years is None:   # to 31 December
        return e.date, _window(horizon, "calendar")[1]
    if e.period.kind in ("per-year", "over"):
        return e.date, _anniversary(e.date, int(e.period.years)) - dt.timedelta(days=1)
    return e.date, e.date


def expected_parts(e: Entry, horizon: int | None, mode: str = "calendar") -> dict[int, int]:
    """Pennies per (calendar or fiscal) year, by the rule in docs/rates.md;
    a fiscal year is named by the year it starts in."""
    pennies = int(e.amount * 100)
    if e.period.kind == "one-off":
        return {_year_of(e.date, mode): pennies}
    s, end = span_of(e, horizon, mode)
    if end < s:
        return {}
    years = range(_year_of(s, mode), _year_of(end, mode) + 1)
    if e.period.kind == "per-year":   # N years, or open-ended cut by the horizon: the
        # total is the rate × the span's years by anniversaries, rounded once,
        # whatever the years; each whole year gets the rate, the part years
        # share the rest by their days (fix29), largest remainder, earlier first
        whole_years = {y for y in years if _overlap(s, end, y, mode) == _year_days(y, mode)}
        out = {y: pennies for y in whole_years}
        part = {y: _overlap(s, end, y, mode) for y in years if y not in whole_years}
        rest = _half_up(pennies * _anniversary_years(s, end)) - pennies * len(out)
        if part:
            days = sum(part.values())
            floors = {y: rest * d // days for y, d in part.items()}
            left = rest - sum(floors.values())
            for y in sorted(part, key=lambda y: (-(rest * part[y] % days), y))[:left]:
                floors[y] += 1
            out.update(floors)
        elif rest:
            out[max(out)] += rest
        return out
    # a total over the span: by days, floors then largest remainders (earlier first)
    days = {y: _overlap(s, end, y, mode) for y in years}
    whole = sum(days.values())
    floors = {y: pennies * d // whole for y, d in days.items()}
    rest = pennies - sum(floors.values())
    for y in sorted(days, key=lambda y: (-(pennies * days[y] % whole), y))[:rest]:
        floors[y] += 1
    return floors


def hand_horizon(es, mode: str = "calendar") -> int | None:
    if not any(e.period.kind == "per-year" and e.period.years is None for e in es):
        return None
    # the last calendar year a bounded entry reaches, or the latest entry's if
    # later, whatever years the figures are grouped in
    bounded = [span_of(e, None)[1].year for e in es
               if not (e.period.kind == "per-year" and e.period.years is None)]
    return max(bounded + [max(e.date for e in es).year])


# ------------------------------------------------------------ ours
def by_entry_year(book, options) -> dict[tuple[str, int], int]:
    spread = value(select_entries(book, options), Spec.of(options), fast=True).spread
    out: dict[tuple[str, int], int] = {}
    for i, y, v in zip(spread["id"].astype(str), spread["year"].astype(str),
                       spread["value_minor"]):
        if int(v):   # a fiscal year "2016-17" by the year it starts in
            out[(i, int(y[:4]))] = out.get((i, int(y[:4])), 0) + int(v)
    return out


def _nonzero(parts: dict) -> dict:
    return {k: v for k, v in parts.items() if v}


SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(entries(), st.sampled_from(["calendar", "fiscal-uk"]))
def test_each_year_of_each_entry_is_computed_by_the_rule(es, mode):
    book = Book.from_entries(es)
    horizon = hand_horizon(es, mode)
    opts = ReportOptions(currency="GBP", years=mode)
    label = None if horizon is None else str(horizon)
    assert default_horizon(book, Spec.of(opts)) == label
    want = {}
    for e in es:
        for y, v in expected_parts(e, horizon, mode).items():
            if v:
                want[(e.id, y)] = v
    assert by_entry_year(book, opts) == want
    # totals are the sums of the year parts, spread by year or not
    rows, _ = converted(book, opts)
    total = [r["amount"] for r in rows if r["account"] == "(total)"]
    assert total == [Decimal(sum(want.values())).scaleb(-2)]


@SETTINGS
@given(entries(), st.sampled_from(FUNDERS), st.sampled_from(PURPOSES))
def test_a_filter_never_changes_a_kept_row(es, funder, purpose):
    book = Book.from_entries(es)
    whole = by_entry_year(book, ReportOptions(currency="GBP"))
    for opts, keep in ((ReportOptions(currency="GBP", funder=(funder,)),
                        {e.id for e in es if e.funder == funder}),
                       (ReportOptions(currency="GBP", purpose=(purpose,)),
                        {e.id for e in es if e.purpose == purpose}),
                       (ReportOptions(currency="GBP", start=dt.date(2015, 1, 1)),
                        {e.id for e in es if e.date >= dt.date(2015, 1, 1)})):
        if not keep:
            continue
        got = by_entry_year(book, opts)
        assert got == {k: v for k, v in whole.items() if k[0] in keep}
        # the command line's way: the Book of the kept entries, then balance
        kept = book.select(funder=list(opts.funder) or None, purpose=list(opts.purpose) or None,
                           start=opts.start)
        rows, _ = converted(kept, ReportOptions(currency="GBP"))
        total = [r["amount"] for r in rows if r["account"] == "(total)"][0]
        assert total == Decimal(sum(v for k, v in whole.items() if k[0] in keep)).scaleb(-2)


@SETTINGS
@given(entries(), entries(min_size=1, max_size=3))
def test_closed_years_are_stable_when_entries_are_added(es, more):
    latest = max(e.date.year for e in es)     # added entries come later than every one
    more = [Entry(f"x{i}", e.date.replace(year=max(e.date.year, latest) + 6), e.funder,
                  e.purpose, e.amount, e.currency, period=e.period)
            for i, e in enumerate(more)]
    before = by_entry_year(Book.from_entries(es), ReportOptions(currency="GBP"))
    horizon = hand_horizon(es)
    after = by_entry_year(Book.from_entries(es + more), ReportOptions(currency="GBP"))
    # an open-ended amount's part years share its total, the rate × its years
    # to the horizon by anniversaries (fix29): a later horizon can move them
    # by a leap day's share; its whole years, and every other entry, stay
    moving = {(e.id, y) for e in es if e.period.kind == "per-year" and e.period.years is None
              for y in (_year_of(e.date, "calendar"),) if e.date != dt.date(y, 1, 1)}
    for (i, y), v in before.items():
        if (horizon is None or y <= horizon) and (i, y) not in moving:
            assert after.get((i, y)) == v, (i, y)


@SETTINGS
@given(entries(min_size=2), st.integers(2012, 2030))
def test_two_disjoint_parts_sum_to_the_whole(es, horizon):
    opts = ReportOptions(currency="GBP", horizon=horizon)
    whole = by_entry_year(Book.from_entries(es), opts)
    k = len(es) // 2
    a = by_entry_year(Book.from_entries(es[:k]), opts)
    b = by_entry_year(Book.from_entries(es[k:]), opts)
    assert {**a, **b} == whole
    assert sum(a.values()) + sum(b.values()) == sum(whole.values())


# ------------------------------------------------------------ the command line
def _cli(*args, cwd=None) -> tuple[int, str, str]:
    import os
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    p = subprocess.run([sys.executable, "-m", "ledger_tool", *args], capture_output=True,
                       text=True, cwd=cwd, env=env)
    return p.returncode, p.stdout, p.stderr


def _total(out: str, account: str = "(total)", year=None) -> Decimal:
    import json
    rows = json.loads(out)
    for r in rows:
        if r["account"] == account and (year is None or str(r.get("year")) == str(year)):
            return Decimal(r["amount"])
    raise AssertionError(f"no {account} {year} in {rows}")


TEN = """[[entry]]
id = "ten"
date = 2016-01-01
funder = "UK"
purpose = "X"
amount = "£10m a year for three years"
status = "pledged"
"""


def test_ten_million_a_year_is_ten_million_in_each_year(tmp_path):
    (tmp_path / "l.toml").write_text(TEN, encoding="utf-8")
    code, out, err = _cli("balance", str(tmp_path / "l.toml"), "--currency", "GBP", "--by",
                          "year", "--format", "json")
    assert code == 0, err
    for y in (2016, 2017, 2018):
        assert _total(out, year=y) == Decimal("10000000.00")
    # the period restated in the period field is the same statement, not a contradiction
    (tmp_path / "p.toml").write_text(TEN.replace('a year for three years"',
                                                 'a year"\nperiod = "per year for 3 years"'))
    code, out2, err = _cli("balance", str(tmp_path / "p.toml"), "--currency", "GBP", "--by",
                           "year", "--format", "json")
    assert code == 0, err
    assert out2 == out


def test_a_funder_filter_keeps_its_total_and_2015_stays_put(example_ledger, tmp_path):
    code, whole, err = _cli("balance", str(example_ledger), "--currency", "GBP", "--format",
                            "json")
    assert code == 0, err
    code, france, err = _cli("balance", str(example_ledger), "--currency", "GBP", "--funder",
                             "France", "--format", "json")
    assert code == 0, err
    assert _total(france, "Funders:France") == _total(whole, "Funders:France")
    assert "end of 2017" in err and "whole ledger" in err
    # France's €3bn a year in 2015: 155 days of 365 (from 30 July), whatever comes later
    code, by_year, _ = _cli("balance", str(example_ledger), "--currency", "GBP", "--by", "year",
                            "--format", "json")
    copy = tmp_path / "calais"
    shutil.copytree(example_ledger, copy)
    with open(copy / "pledges.toml", "a", encoding="utf-8") as f:
        f.write('\n[[entry]]\nid = "uk-later-2019"\ndate = 2019-05-01\nfunder = "UK:Government"\n'
                'purpose = "Development:Africa"\namount = "£3m over 2 years"\nstatus = "pledged"\n'
                '  [[entry.source]]\n  doc = "001_c33d2c2f8263bd4b"\n  quote = "£217 million"\n')
    code, later, err = _cli("balance", str(copy), "--currency", "GBP", "--by", "year",
                            "--format", "json")
    assert code == 0, err
    assert "end of 2021" in err
    assert _total(later, "Funders:France", 2015) == _total(by_year, "Funders:France", 2015)
    assert _total(later, "Funders:France", 2016) == _total(by_year, "Funders:France", 2016)


AS_STATED = """[[entry]]
id = "fr"
date = 2016-03-01
funder = "France"
purpose = "X"
amount = "€10m a year"
restated = ["£8m"]
status = "pledged"

[[entry]]
id = "fr2"
date = 2016-03-01
funder = "France"
purpose = "Y"
amount = "€20m over 2 years"
restated = ["£16m"]
status = "pledged"

[[entry]]
id = "uk"
date = 2018-06-01
funder = "UK"
purpose = "X"
amount = "£5m"
status = "pledged"
"""


def test_as_stated_is_one_total_in_balance_report_and_exports(tmp_path):
    src = tmp_path / "l.toml"
    src.write_text(AS_STATED, encoding="utf-8")
    # by hand: £8m a year from 1 March 2016 to the horizon 2018: 2 + 306/365
    # years by anniversaries (1 March 2018 to 31 December, of the year to 1
    # March 2019), 2017 and 2018 whole, the rest in 2016 (fix29: it was
    # 306/366, the share of 2016's own length); £16m by days over 1 March
    # 2016 - 28 February 2018, £5m
    want = (_half_up(Fraction(800_000_000 * 306, 365)) + 2 * 800_000_000
            + 1_600_000_000 + 500_000_000)
    want = Decimal(want).scaleb(-2)
    code, out, err = _cli("balance", str(src), "--currency", "GBP", "--valuation", "as-stated",
                          "--format", "json")
    assert code == 0, err
    assert _total(out) == want
    code, out, err = _cli("report", str(src), "--valuation", "as-stated", "--out",
                          str(tmp_path / "r"), "--format", "json")
    assert code == 0, err
    assert _total(out.replace('"funder"', '"account"')) == want
    code, _, err = _cli("export", str(src), "--valuation", "as-stated", "--basis", "total",
                        "-o", str(tmp_path / "t.csv"))
    assert code == 0, err
    import csv
    with open(tmp_path / "t.csv", encoding="utf-8") as f:
        assert sum(Decimal(r["value"]) for r in csv.DictReader(f)) == want
    code, _, err = _cli("export", str(src), "--valuation", "as-stated", "--to", "fdp", "-o",
                        str(tmp_path / "fdp"))
    assert code == 0, err
    with open(tmp_path / "fdp" / "ledger.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    # one measure per budget phase (status): a row's value is in its phase's column
    assert sum(Decimal(r[k]) for r in rows for k in ("proposed", "approved", "executed")
               if r[k] and r["counted"] == "true") == want
    code, _, err = _cli("export", str(src), "--valuation", "as-stated", "-o",
                        str(tmp_path / "t.journal"))
    assert code == 0, err
    if shutil.which("hledger") is None:
        pytest.skip("hledger is not installed: the journal's -B total is not checked")
    got = subprocess.run(["hledger", "-f", str(tmp_path / "t.journal"), "bal", "-B", "Purposes",
                          "--depth", "1", "-N", "--layout", "bare"],
                         capture_output=True, text=True, check=True).stdout.split()
    assert Decimal(got[0].replace(",", "")) == want and got[1] == "GBP"


def _sums(tmp_path, ledger, *opts) -> dict[str, Decimal]:
    """The total of every command for the same options (report currency GBP)."""
    import csv
    out: dict[str, Decimal] = {}
    code, text, err = _cli("balance", str(ledger), "--currency", "GBP", "--format", "json", *opts)
    assert code == 0, err
    out["balance"] = _total(text)
    code, text, err = _cli("report", str(ledger), "--currency", "GBP", "--out",
                           str(tmp_path / "r"), "--format", "json", "--force", *opts)
    assert code == 0, err
    out["report"] = _total(text.replace('"funder"', '"account"'))
    import json
    import re
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    cells = json.loads(re.search(r'id="report-data">(.*?)</script>', page, re.S)[1])["cells"]
    out["page"] = Decimal(sum(int(m) for m, role in zip(cells["total"]["m"], cells["total"]["r"])
                              if role == 0)).scaleb(-2)
    code, _, err = _cli("export", str(ledger), "--currency", "GBP", "--basis", "total",
                        "--years", "calendar", "-o", str(tmp_path / "t.csv"), "--force", *opts)
    assert code == 0, err
    with open(tmp_path / "t.csv", encoding="utf-8") as f:
        out["csv"] = sum((Decimal(r["value"]) for r in csv.DictReader(f)
                          if r["primary"] == "True"), Decimal(0))
    shutil.rmtree(tmp_path / "fdp", ignore_errors=True)
    code, _, err = _cli("export", str(ledger), "--currency", "GBP", "--to", "fdp", "-o",
                        str(tmp_path / "fdp"), *opts)
    assert code == 0, err
    with open(tmp_path / "fdp" / "ledger.csv", encoding="utf-8") as f:
        out["fdp"] = sum((Decimal(r[k]) for r in csv.DictReader(f)
                          for k in ("proposed", "approved", "executed")
                          if r[k] and r["counted"] == "true"), Decimal(0))
    code, _, err = _cli("export", str(ledger), "--currency", "GBP", "-o",
                        str(tmp_path / "t.journal"), "--force", *opts)
    assert code == 0, err
    if shutil.which("hledger"):
        got = subprocess.run(["hledger", "-f", str(tmp_path / "t.journal"), "bal", "-B",
                              "Purposes", "not:tag:secondary", "--depth", "1", "-N",
                              "--layout", "bare"],
                             capture_output=True, text=True, check=True).stdout.split()
        assert got[1] == "GBP"
        out["hledger -B"] = Decimal(got[0].replace(",", ""))
    return out


INDEX = "area,year,index,source\n" + "".join(f"GBP,{y},{100 + 3 * (y - 2000)},test index\n"
                                             for y in range(1995, 2041))


@pytest.mark.parametrize("opts", [(), ("--valuation", "2016-06-01"),
                                  ("--valuation", "yearly-average"),
                                  ("--valuation", "as-stated"),
                                  ("--deflator", "INDEX", "--base-year", "2015"),
                                  ("--funder", "France")],
                         ids=["entry-date", "fixed-date", "yearly-average", "as-stated",
                              "constant-prices", "filtered"])
def test_every_command_gives_the_same_total(example_ledger, tmp_path, opts):
    (tmp_path / "index.csv").write_text(INDEX, encoding="utf-8")
    opts = tuple(str(tmp_path / "index.csv") if o == "INDEX" else o for o in opts)
    sums = _sums(tmp_path, example_ledger, *opts)
    assert len(set(sums.values())) == 1, sums
    if "--deflator" in opts:   # constant prices differ from current prices
        assert sums["balance"] != _sums(tmp_path, example_ledger)["balance"]


def test_constant_prices_are_named_and_refused_where_they_cannot_hold(example_ledger, tmp_path):
    import ledger
    from reports.tables import build_report

    (tmp_path / "index.csv").write_text(INDEX, encoding="utf-8")
    index = str(tmp_path / "index.csv")
    r = build_report(ledger.load(example_ledger), ReportOptions(deflator=index, base_year=2015))
    assert r.basis_text().endswith("in GBP prices of 2015")
    assert any("Constant prices" in n and "2015" in n for n in r.notes)
    # by hand: each year's part x index[2015] / index[its year], at the penny
    plain = build_report(ledger.load(example_ledger), ReportOptions())
    want = sum(_half_up(Fraction(int(v) * 145, 100 + 3 * (int(y) - 2000)))
               for y, v in zip(plain.spread["year"], plain.spread["value_minor"]))
    assert int(r.spread["value_minor"].sum()) == want
    for args in (("balance", str(example_ledger), "--currency", "GBP", "--deflator", index),
                 ("report", str(example_ledger), "--out", str(tmp_path / "r"), "--deflator",
                  index, "--base-year", "2015", "--basis", "per-year"),
                 ("export", str(example_ledger), "-o", str(tmp_path / "x.csv"), "--deflator",
                  index, "--base-year", "2015"),
                 ("export", str(example_ledger), "--basis", "recorded", "-o",
                  str(tmp_path / "x.journal"), "--deflator", index, "--base-year", "2015"),
                 ("balance", str(example_ledger), "--deflator", index, "--base-year", "2015")):
        code, out, err = _cli(*args)
        assert code in (1, 2) and len(err.strip().splitlines()) == 1, (args, err)
        assert "Traceback" not in err


def test_as_stated_names_the_entries_it_values_at_their_date(example_ledger, tmp_path):
    """No silent fallback: entries without a restatement in the report
    currency are named by balance, export and the report."""
    ids = "france-africa-development-2015, france-calais-humanitarian-2015"
    for args in (("balance", str(example_ledger), "--currency", "GBP"),
                 ("export", str(example_ledger), "-o", str(tmp_path / "x.journal")),
                 ("report", str(example_ledger), "--out", str(tmp_path / "r"))):
        code, out, err = _cli(*args, "--valuation", "as-stated")
        assert code == 0, err
        assert "3 entries in another currency give no GBP restatement" in err, args
        assert ids in err


@pytest.mark.parametrize("opts", [(), ("--valuation", "yearly-average")],
                         ids=["entry-date", "yearly-average"])
def test_every_command_gives_the_same_total_on_a_generated_ledger(tmp_path, opts):
    """benchmarks/generate.py's ledger (60 entries, several currencies,
    periods of every kind, linked entries)."""
    from tests.conftest import generate_module
    d = tmp_path / "generated"
    d.mkdir()
    generate_module().write(d, 60, seed=7)
    sums = _sums(tmp_path, d, *opts)
    assert len(set(sums.values())) == 1, sums
