"""Export: hledger and beancount cross-checked with the real tools, CSV/Parquet
tables, account names, and the CLI."""
from __future__ import annotations

import csv
import io
import random
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from rates import to_frame

import ledger
from reports import export
from tests.conftest import FIXTURES

CURRENCIES = ["GBP", "EUR", "USD", "JPY", "CHF", "SEK"]


def _hledger():
    exe = shutil.which("hledger")
    if exe is None:
        pytest.skip("hledger not installed: run ./scripts/test as root with apt, or "
                    "apt-get install hledger")
    return exe


def _bean_check():
    pytest.importorskip("beancount", reason="beancount not installed: pip install -e '.[test]'")
    exe = Path(sys.executable).with_name("bean-check")
    if not exe.exists():
        found = shutil.which("bean-check")
        if not found:
            pytest.skip("bean-check not installed: pip install -e '.[test]'")
        exe = Path(found)
    return str(exe)


def _generated(tmp_path: Path, n: int, currencies, seed: int, splits: bool = True) -> Path:
    """A multi-currency ledger: one-off and 'over N years' entries (their total
    is the recorded amount), some split, 2009-2020."""
    rnd = random.Random(seed)
    funders = ["UK:Home Office", "UK:DFID", "France:Government", "EU:Commission",
               "Japan:MOFA", "Switzerland:SDC", "Sweden:Sida"]
    purposes = ["Security:Calais port", "Humanitarian:Calais", "Development:Africa",
                "Humanitarian:Syria crisis", "Health:Vaccines", "Education:Schools"]
    lines = ['[ledger]\nname = "generated"\ncurrency = "GBP"\n']
    for i in range(n):
        cur = rnd.choice(currencies)
        amount = rnd.randint(1, 90_000) * 1000
        date = f"{rnd.randint(2009, 2020)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        lines.append("[[entry]]")
        lines.append(f'id = "gen-{i:04d}"')
        lines.append(f"date = {date}")
        lines.append(f'funder = "{rnd.choice(funders)}"')
        lines.append(f'amount = "{amount}"\ncurrency = "{cur}"')
        if rnd.random() < 0.3:
            lines.append(f'period = "over {rnd.randint(2, 5)} years"')
        lines.append(f'status = "{rnd.choice(["pledged", "committed", "disbursed"])}"')
        # splits only where the parts' conversions are exact (funder posting = sum of parts)
        if splits and cur in ("GBP", "EUR") and rnd.random() < 0.3:
            a, b = rnd.sample(purposes, 2)
            first = rnd.randint(1, amount // 1000 - 1) * 1000 if amount > 1000 else 0
            if first:
                lines.append(f'  [[entry.split]]\n  purpose = "{a}"\n  amount = "{first}"')
                lines.append(f'  [[entry.split]]\n  purpose = "{b}"\n  amount = "{amount - first}"')
                lines.append("")
                continue
        lines.append(f'purpose = "{rnd.choice(purposes)}"')
        lines.append("")
    folder = tmp_path / f"gen{seed}"
    folder.mkdir()
    (folder / "ledger.toml").write_text("\n".join(lines), encoding="utf-8")
    return folder


def _expected(book, currency="GBP"):
    """ledger-tool's converted amounts per (id, account) and per account, from
    the public ``Ledger.to_frame`` (recorded amount: total basis for one-off and
    'over' entries, per-year basis for amounts per year)."""
    tot = to_frame(book, currency=currency, years=None, basis="total", horizon=2030)
    per = to_frame(book, currency=currency, years=None, basis="per-year")
    rows = tot.where(~tot["period"].str.startswith("per year"), per)
    by_posting: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for r in rows.itertuples():
        by_posting[(r.id, f"Purposes:{r.purpose}")] += r.value
        by_posting[(r.id, f"Funders:{r.funder}")] -= r.value
    by_account: dict[str, Decimal] = defaultdict(Decimal)
    for (_, acct), v in by_posting.items():
        by_account[acct] += v
    return dict(by_posting), dict(by_account)


def _amount(text: str) -> Decimal:
    t = text.strip()
    if t in ("0", ""):
        return Decimal(0)
    num = re.sub(r"[^\d.\-]", "", t.split()[0] if " " in t else t)
    return Decimal(num)


def _hledger_balances(exe, path, currency):
    out = subprocess.run([exe, "-f", str(path), "bal", "-X", currency, "--value=then",
                          "--flat", "-N", "-O", "csv"], capture_output=True, text=True, check=True)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    return {r["account"]: _amount(r["balance"]) for r in rows}


# --------------------------------------------------------------------- hledger
@pytest.fixture(scope="module")
def calais(example_ledger):
    return ledger.load(example_ledger)


def test_hledger_balances_equal_ledger_tool_example(calais, tmp_path):
    exe = _hledger()
    path = tmp_path / "calais.journal"
    path.write_text(export.hledger(calais, currency="GBP", basis="recorded"), encoding="utf-8")
    got = _hledger_balances(exe, path, "GBP")
    _, want = _expected(calais)
    assert set(got) == set(want)
    for acct, v in want.items():
        assert got[acct] == v.quantize(Decimal("0.01")), acct
    # there is foreign money to convert, so the check is not trivially GBP == GBP
    assert any(e.currency != "GBP" for e in calais.entries)


def test_hledger_balances_equal_ledger_tool_generated(tmp_path):
    """EUR and GBP: every conversion is exact to the penny, so balances match exactly."""
    exe = _hledger()
    book = ledger.load(_generated(tmp_path, 120, ["GBP", "EUR"], seed=7))
    path = tmp_path / "gen.journal"
    path.write_text(export.hledger(book, currency="GBP", basis="recorded"), encoding="utf-8")
    got = _hledger_balances(exe, path, "GBP")
    _, want = _expected(book)
    assert len(want) > 5
    for acct, v in want.items():
        assert got[acct] == v, acct


def test_hledger_postings_equal_ledger_tool_multi_currency(tmp_path):
    """Cross rates (USD, JPY, CHF, SEK → GBP via the euro) are not exact decimals:
    each posting hledger values equals ledger-tool's to the penny; an account's
    balance is hledger's rounded sum of unrounded products, within half a penny
    per posting of ledger-tool's sum of rounded values."""
    exe = _hledger()
    book = ledger.load(_generated(tmp_path, 150, CURRENCIES, seed=11))
    path = tmp_path / "multi.journal"
    path.write_text(export.hledger(book, currency="GBP", basis="recorded"), encoding="utf-8")
    out = subprocess.run([exe, "-f", str(path), "reg", "-X", "GBP", "--value=then", "-O", "csv"],
                         capture_output=True, text=True, check=True)
    got = {(r["code"], r["account"]): _amount(r["amount"])
           for r in csv.DictReader(io.StringIO(out.stdout))}
    want, by_account = _expected(book)
    assert len(got) == len(want)
    for key, v in want.items():
        assert got[key] == v, key
    bal = _hledger_balances(exe, path, "GBP")
    counts = defaultdict(int)
    for _, acct in want:
        counts[acct] += 1
    for acct, v in by_account.items():
        assert abs(bal[acct] - v) <= Decimal("0.005") * counts[acct], acct


def test_hledger_fixed_date_valuation(calais, tmp_path):
    exe = _hledger()
    path = tmp_path / "fixed.journal"
    path.write_text(export.hledger(calais, currency="GBP", valuation="2016-06-01", basis="recorded"), encoding="utf-8")
    out = subprocess.run([exe, "-f", str(path), "bal", "-X", "GBP", "--value=2016-06-01",
                          "--flat", "-N", "-O", "csv"], capture_output=True, text=True, check=True)
    got = {r["account"]: _amount(r["balance"]) for r in csv.DictReader(io.StringIO(out.stdout))}
    f = to_frame(calais, currency="GBP", valuation="2016-06-01", years=None, basis="per-year")
    eur = f[f["currency"] == "EUR"]
    rate = eur["rate"].iloc[0]
    want = sum(e.amount for e in calais.entries
               if e.funder == "France:Government") * rate
    assert got["Funders:France:Government"] == -want.quantize(Decimal("0.01"))


# --------------------------------------------------------------------- beancount
def _beancount_balances(path, currency):
    from beancount import loader
    from beancount.core import convert, data, prices

    entries, errors, _ = loader.load_file(str(path))
    assert not errors, [e.message for e in errors]
    price_map = prices.build_price_map(entries)
    per_posting, per_account = {}, defaultdict(Decimal)
    for txn in entries:
        if not isinstance(txn, data.Transaction):
            continue
        for p in txn.postings:
            conv = convert.convert_amount(p.units, currency, price_map, date=txn.date)
            assert conv.currency == currency, f"no price for {p.units} on {txn.date}"
            per_posting[(txn.meta["id"], p.account)] = conv.number
            per_account[p.account] += conv.number
    return per_posting, per_account


def test_beancount_check_and_convert_example(calais, tmp_path):
    exe = _bean_check()
    path = tmp_path / "calais.beancount"
    path.write_text(export.beancount(calais, currency="GBP", basis="recorded"), encoding="utf-8")
    run = subprocess.run([exe, str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    _, got = _beancount_balances(path, "GBP")
    _, want = _expected(calais)
    assert {export.beancount_account(a) for a in want} == set(got)
    for acct, v in want.items():
        assert got[export.beancount_account(acct)].quantize(Decimal("0.01")) == v, acct


def test_beancount_multi_currency(tmp_path):
    exe = _bean_check()
    book = ledger.load(_generated(tmp_path, 150, CURRENCIES, seed=5))
    path = tmp_path / "multi.beancount"
    path.write_text(export.beancount(book, currency="GBP", basis="recorded"), encoding="utf-8")
    run = subprocess.run([exe, str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    got, _ = _beancount_balances(path, "GBP")
    want, _ = _expected(book)
    assert len(got) == len(want)
    for (eid, acct), v in want.items():
        assert got[(eid, export.beancount_account(acct))].quantize(Decimal("0.01")) == v


def test_beancount_rejects_a_broken_export(calais, tmp_path):
    """bean-check really checks: an account used without its open directive fails."""
    exe = _bean_check()
    text = export.beancount(calais, currency="GBP", basis="recorded")
    broken = re.sub(r"^\S+ open Income:Funders:UK:Home-Office.*$", "", text, flags=re.M)
    path = tmp_path / "broken.beancount"
    path.write_text(broken, encoding="utf-8")
    assert subprocess.run([exe, str(path)], capture_output=True).returncode != 0


def test_beancount_metadata_and_links(calais):
    text = export.beancount(calais, currency="GBP", basis="recorded")
    for e in calais.entries:
        assert f'id: "{e.id}"' in text
        assert f"^{e.id}" in text
        for c in e.sources:
            assert f'"{c.doc}"' in text
    assert 'status: "committed"' in text and 'period: "per year"' in text


@pytest.mark.parametrize("name,bean", [
    ("Funders:UK:Home Office", "Income:Funders:UK:Home-Office"),
    ("Purposes:security:calais port", "Expenses:Purposes:Security:Calais-port"),
    ("Purposes:Aide:Réfugiés (Calais)", "Expenses:Purposes:Aide:Refugies-Calais"),
    ("Purposes:2015 plan", "Expenses:Purposes:2015-plan"),
])
def test_beancount_account_names(name, bean):
    assert export.beancount_account(name) == bean


def test_beancount_account_collision_is_reported(tmp_path):
    j = tmp_path / "l.toml"
    j.write_text('[[entry]]\nid = "a"\ndate = 2015-01-01\nfunder = "UK:Home Office"\n'
                 'purpose = "P"\namount = "£1m"\n\n[[entry]]\nid = "b"\ndate = 2015-01-01\n'
                 'funder = "UK:Home-Office"\npurpose = "P"\namount = "£1m"\n', encoding="utf-8")
    with pytest.raises(ledger.LedgerError, match="both become"):
        export.beancount(ledger.load(j), currency="GBP", basis="recorded")


# --------------------------------------------------------------------- tables
def test_csv_holds_the_normalised_table(calais, tmp_path, run_cli, example_ledger):
    import pandas as pd

    out = tmp_path / "calais.csv"
    code, _, err = run_cli("export", example_ledger, "--to", "csv", "-o", out)
    assert code == 0, err
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    f = to_frame(calais, currency="GBP", years=None, basis="per-year")
    for c in ("id", "date", "funder", "purpose", "status", "qualifier", "period", "amount",
              "currency", "value", "report_currency", "rate", "rate_date", "rate_source"):
        assert c in table.columns, c
    assert list(table["id"]) == list(f["id"])
    one_off = (f["period"] == "one-off") | f["period"].str.startswith("per year")
    assert [Decimal(v) for v in table["value"][one_off.to_numpy()]] == list(f["value"][one_off])


def test_parquet_keeps_exact_money(calais, tmp_path, run_cli, example_ledger):
    import pandas as pd

    out = tmp_path / "calais.parquet"
    code, _, err = run_cli("export", example_ledger, "-o", out, "--basis", "total",
                           "--horizon", "2020", "--years", "calendar")
    assert code == 0, err
    t = pd.read_parquet(out)
    want = to_frame(calais, currency="GBP", basis="total", horizon=2020, years="calendar")
    assert len(t) == len(want)
    assert [Decimal(str(v)) for v in t["value"]] == list(want["value"])
    assert sum(Decimal(str(v)) for v in t["value"]) == sum(want["value"])


def test_cli_export_errors(run_cli, example_ledger, tmp_path):
    code, _, err = run_cli("export", example_ledger, "-o", tmp_path / "x.unknown")
    assert code == 1 and "--to" in err and "Traceback" not in err
    code, _, err = run_cli("export", example_ledger, "--to", "hledger", "-o", tmp_path / "x",
                           "--valuation", "yearly-average", "--basis", "recorded")
    assert code == 1 and "entry date" in err
    code, _, err = run_cli("export", tmp_path / "missing", "--to", "csv", "-o", tmp_path / "y.csv")
    assert code == 1 and "no such file" in err
    assert not (tmp_path / "y.csv").exists()
    code, _, err = run_cli("export", example_ledger, "--to", "parquet", "-o", "-")
    assert code == 1


def test_cli_export_stdout_and_filters(run_cli, example_ledger, calais):
    code, out, err = run_cli("export", example_ledger, "--to", "hledger", "-o", "-",
                             "--funder", "France", "--basis", "recorded")
    assert code == 0, err
    ids = re.findall(r"^\d{4}-\d\d-\d\d \(([^)]+)\)", out, flags=re.M)
    assert ids == [e.id for e in calais.entries if e.funder.startswith("France")]


# --------------------------------------------------------------------- exports by year
def _report(book, **opts):
    from reports.tables import ReportOptions, build_report
    return build_report(book, ReportOptions(currency="GBP", **opts))


def _hledger_cost(exe, path, *args):
    out = subprocess.run([exe, "-f", str(path), "bal", "-B", "--flat", "-N", "-O", "csv", *args],
                         capture_output=True, text=True, check=True)
    return {r["account"]: _amount(r["balance"]) for r in csv.DictReader(io.StringIO(out.stdout))}


def want_years(report):
    return [int(y) for y in report.by_year.index if str(y).isdigit()]


def _per_year_ledger(tmp_path: Path) -> Path:
    """Rates per year (bounded and open-ended), 'over' periods, fiscal years,
    splits and cross-rate currencies: every shape the report spreads."""
    folder = tmp_path / "years"
    folder.mkdir()
    (folder / "ledger.toml").write_text("""[ledger]
name = "years"
currency = "GBP"
fiscal_year_start = "04-01"

[[entry]]
id = "open-eur"
date = 2015-03-15
funder = "France:Government"
purpose = "Humanitarian:Calais"
amount = "12,5 millions d'euros par an"
status = "pledged"

[[entry]]
id = "usd-three-years"
date = 2016-07-01
funder = "US:State"
purpose = "Development:Africa"
amount = "$7,333,333.33 a year for 3 years"
status = "committed"

[[entry]]
id = "jpy-over"
date = 2015-10-10
funder = "Japan:MOFA"
amount = "¥1,000,000,001"
period = "over 27 months"
status = "disbursed"
  [[entry.split]]
  purpose = "Health:Vaccines"
  amount = "600000001"
  [[entry.split]]
  purpose = "Education:Schools"
  amount = "400000000"

[[entry]]
id = "gbp-fy"
date = 2016-02-01
funder = "UK:Home Office"
purpose = "Security:Calais port"
amount = "£3,000,000.01"
period = "fiscal year 2016-17"
status = "committed"

[[entry]]
id = "chf-paid"
date = 2016-09-09
funder = "Switzerland:SDC"
purpose = "Humanitarian:Calais"
amount = "CHF 1,234,567.89"
status = "disbursed"
disburses = "open-eur"
""", encoding="utf-8")
    return folder


@pytest.mark.parametrize("horizon", [None, "2019"])
def test_hledger_by_year_equals_the_report_to_the_penny(tmp_path, horizon):
    exe = _hledger()
    book = ledger.load(_per_year_ledger(tmp_path))
    report = _report(book, horizon=horizon)
    text = export.hledger(book, currency="GBP", horizon=horizon)
    assert f"; horizon: open-ended amounts counted up to the end of {report.horizon}" in text
    path = tmp_path / "years.journal"
    path.write_text(text, encoding="utf-8")
    end = f"{int(report.horizon) + 1}-01-01"
    got = _hledger_cost(exe, path, "Purposes", "not:tag:secondary", "-e", end)
    assert sum(got.values()) == report.summary["amount"].sum()
    # year by year, as the report's by-year table
    out = subprocess.run([exe, "-f", str(path), "bal", "-B", "-Y", "Purposes", "not:tag:secondary",
                          "-N", "-O", "csv", "--layout", "bare"], capture_output=True, text=True,
                         check=True)
    rows = list(csv.reader(io.StringIO(out.stdout)))
    head = rows[0]
    years = {h[:4]: i for i, h in enumerate(head) if re.match(r"\d{4}", h)}
    assert set(years) == {str(y) for y in want_years(report)}
    want = report.by_year.drop(index=[i for i in report.by_year.index if str(i) == "Total"],
                               errors="ignore")
    for year, col in years.items():
        total = sum(_amount(r[col]) for r in rows[1:] if r[col])
        assert total == want.loc[str(year)].sum(), year
    # and the ledger-wide balance is zero in cost, so the funders carry the same total
    allx = _hledger_cost(exe, path, "not:tag:secondary")
    assert sum(v for a, v in allx.items() if a.startswith("Funders")) == -sum(got.values())


def test_hledger_by_year_on_the_example_ledger(calais, tmp_path):
    """The issue's 'done when': hledger's converted balance of the export over
    the report's horizon equals the report's total (£5.46bn, not £2.45bn)."""
    exe = _hledger()
    report = _report(calais)
    path = tmp_path / "calais.journal"
    path.write_text(export.hledger(calais, currency="GBP"), encoding="utf-8")
    got = _hledger_cost(exe, path, "Purposes", "not:tag:secondary",
                        "-e", f"{int(report.horizon) + 1}-01-01")
    total = report.summary["amount"].sum()
    assert sum(got.values()) == total and total > Decimal("5e9")


def test_beancount_by_year_weights_equal_the_report(tmp_path):
    bean_check = _bean_check()
    from beancount import loader
    from beancount.core import convert, data

    book = ledger.load(_per_year_ledger(tmp_path))
    report = _report(book)
    path = tmp_path / "years.beancount"
    path.write_text(export.beancount(book, currency="GBP"), encoding="utf-8")
    subprocess.run([bean_check, str(path)], check=True, capture_output=True)
    entries, errors, _ = loader.load_file(str(path))
    assert not errors, [e.message for e in errors]
    total = Decimal(0)
    for txn in entries:
        if isinstance(txn, data.Transaction) and "secondary" not in txn.meta:
            for p in txn.postings:
                if p.account.startswith("Expenses:"):
                    w = convert.get_weight(p)
                    assert w.currency == "GBP"
                    total += w.number
    assert total == report.summary["amount"].sum()
    metas = {t.meta["amount-text"] for t in entries if isinstance(t, data.Transaction)}
    assert "12,5 millions d'euros par an" in metas


def test_amount_as_written_is_kept_exactly(tmp_path):
    exe = _hledger()
    book = ledger.load(_per_year_ledger(tmp_path))
    path = tmp_path / "t.journal"
    path.write_text(export.hledger(book, currency="GBP"), encoding="utf-8")
    out = subprocess.run([exe, "-f", str(path), "print", "tag:id=open-eur"], capture_output=True,
                         text=True, check=True).stdout
    assert "; amount as written \"12,5 millions d'euros par an\"" in out
    assert "12 ;5" not in out
    recorded = export.hledger(book, currency="GBP", basis="recorded")
    assert "; amount as written \"$7,333,333.33 a year for 3 years\"" in recorded


def test_cli_export_by_year_and_recorded(run_cli, example_ledger, tmp_path):
    code, out, err = run_cli("export", example_ledger, "--to", "hledger", "-o", "-",
                             "--horizon", "2020")
    assert code == 0, err
    assert "; horizon: open-ended amounts counted up to the end of 2020" in out
    assert len(re.findall(r"^2020-01-01 \(france-africa-development-2015\)", out, re.M)) == 1
    code, out, err = run_cli("export", example_ledger, "--to", "hledger", "-o", "-",
                             "--basis", "per-year")
    assert code == 1 and "per-year" in err


def test_imported_iati_and_fts_ledger_exports_by_year(run_cli, tmp_path):
    """Periods that start before their entry's date (an FTS usage year from 1
    January), splits, EUR and USD: bean-check accepts the export and both
    tools' converted totals are the report's."""
    exe, bean_check = _hledger(), _bean_check()
    fix = FIXTURES
    book_dir = tmp_path / "book"
    for kind, f in (("iati", fix / "iati" / "activities-v2.xml"), ("fts", fix / "fts" / "flows.json")):
        assert run_cli("import", "--from", kind, f, "-o", book_dir)[0] == 0
    book = ledger.load(book_dir)
    total = _report(book).summary["amount"].sum()
    hl, bc = tmp_path / "a.journal", tmp_path / "a.beancount"
    hl.write_text(export.hledger(book, currency="GBP"), encoding="utf-8")
    bc.write_text(export.beancount(book, currency="GBP"), encoding="utf-8")
    got = _hledger_cost(exe, hl, "Purposes", "not:tag:secondary")
    assert sum(got.values()) == total
    p = subprocess.run([bean_check, str(bc)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr


@pytest.mark.parametrize("valuation", ["yearly-average", "2016-06-01"])
def test_hledger_by_year_carries_other_valuations_at_cost(tmp_path, valuation):
    """The parts' costs are the report's values whatever the valuation, even
    yearly averages, which one price per day could not express."""
    exe = _hledger()
    book = ledger.load(_per_year_ledger(tmp_path))
    report = _report(book, valuation=valuation)
    path = tmp_path / "v.journal"
    path.write_text(export.hledger(book, currency="GBP", valuation=valuation), encoding="utf-8")
    got = _hledger_cost(exe, path, "Purposes", "not:tag:secondary")
    assert sum(got.values()) == report.summary["amount"].sum()


def test_journal_fields_are_the_entries_own(run_cli, example_ledger, tmp_path):
    """frame() reads the journal fields from the Book's columns; each row
    carries exactly what its entry says (every citation, the first link of
    each kind, the restatements and tags as phrases), on a ledger with
    splits, links, several citations, restatements and tags."""
    fix = FIXTURES
    book = tmp_path / "book"
    for kind, f in (("iati", fix / "iati" / "activities-v2.xml"), ("fts", fix / "fts" / "flows.json")):
        assert run_cli("import", "--from", kind, f, "-o", book)[0] == 0
    for path in (example_ledger, book):
        b = ledger.load(path)
        table = export.frame(b, currency="GBP")
        by_id = {e.id: e for e in b.entries}
        seen = set()
        for r in table.to_dict("records"):
            e = by_id[r["id"]]
            quotes, locators = [c.quote for c in e.sources], [c.locator for c in e.sources]
            want = {
                "amount_text": e.amount_text or f"{e.amount} {e.currency}",
                "entry_amount": e.amount,
                "restated": "; ".join(export._phrase(m.amount, m.currency) for m in e.restated),
                "doc": "\n".join(c.doc for c in e.sources),
                "quote": "\n".join(quotes) if any(quotes) else "",
                "locator": "\n".join(locators) if any(locators) else "",
                "disburses": e.link("disburses") or "", "part_of": e.link("part_of") or "",
                "restates": e.link("restates") or "", "recipient": e.recipient,
                "location": e.location, "tags": "; ".join(e.tags), "notes": e.notes}
            assert {c: r[c] for c in export.EXTRA_COLUMNS} == want, r["id"]
            seen |= {c for c, v in want.items() if v}
        if path == book:     # the data exercised every field that can be empty
            assert {"restated", "quote", "locator", "disburses", "part_of", "tags",
                    "recipient"} <= seen


def test_beancount_by_year_with_split_foreign_entries_passes_bean_check(tmp_path):
    """A split entry in a foreign currency: beancount divides each part's @@
    total into a per-unit price and the parts miss the total by ~1e-20 GBP;
    the export's tolerance option lets bean-check accept it (it refused
    "Transaction does not balance" on the generated ledgers before)."""
    from tests.conftest import generate_module

    bean_check = _bean_check()
    d = tmp_path / "gen"
    generate_module().write(d, 300, seed=7)
    book = ledger.load(d)
    assert any(e.splits and e.currency != "GBP" for e in book.entries)
    path = tmp_path / "gen.beancount"
    path.write_text(export.beancount(book, currency="GBP"), encoding="utf-8")
    run = subprocess.run([bean_check, str(path)], capture_output=True, text=True)
    assert run.returncode == 0, (run.stdout + run.stderr)[:2000]
    assert 'option "inferred_tolerance_default" "GBP:0.005"' in path.read_text(encoding="utf-8")


def test_a_transaction_past_int64_minor_units_is_refused_not_wrapped(tmp_path, run_cli):
    """£480tn split in two, in rupiah: each part fits int64 minor units, their
    sum does not; the export says so in one line instead of writing a
    wrapped-round (wrong) total."""
    book = tmp_path / "ledger.toml"
    book.write_text('[[entry]]\nid = "huge"\ndate = 2015-01-01\nfunder = "UK"\npurpose = "P"\n'
                    'amount = "£480 trillion"\n  [[entry.split]]\n  purpose = "A"\n'
                    '  amount = "£240 trillion"\n  [[entry.split]]\n  purpose = "B"\n'
                    '  amount = "£240 trillion"\n', encoding="utf-8")
    for to in ("hledger", "beancount"):
        out = tmp_path / f"x.{to}"
        code, _, err = run_cli("export", book, "--to", to, "--currency", "IDR", "-o", out)
        assert code == 1 and not out.exists()
        assert err.strip().splitlines() == [
            "ledger-tool: export: a converted amount is too large to write exactly (past 2**62 "
            "minor units of the currency): export in a currency with larger units (--currency), "
            "or check the amount"]
    code, _, err = run_cli("export", book, "--to", "hledger", "-o", tmp_path / "gbp.journal")
    assert code == 0, err


def test_hledger_reads_whole_currency_amounts_with_thousands_as_integers(tmp_path):
    """A currency without minor units (JPY) is declared with a trailing decimal
    mark ("1,000."): hledger read "commodity 1,000 JPY" as a decimal comma and
    showed ¥501,234,567 as 501234567,000.  Each account's native balance equals
    the figure in the journal."""
    exe = _hledger()
    j = tmp_path / "j.toml"
    j.write_text("".join(
        f'[[entry]]\nid = "e{i}"\ndate = 2019-01-02\nfunder = "F{i}"\npurpose = "P"\n'
        f'amount = "{amt}"\ncurrency = "{cur}"\n\n'
        for i, (amt, cur) in enumerate([("501234567", "JPY"), ("12345678", "ISK"),
                                        ("1234.5", "GBP"), ("7", "JPY")])), encoding="utf-8")
    path = tmp_path / "x.journal"
    path.write_text(export.hledger(ledger.load(j), currency="GBP", basis="recorded"),
                    encoding="utf-8")
    assert "commodity 1,000. JPY" in path.read_text(encoding="utf-8")
    out = subprocess.run([exe, "-f", str(path), "bal", "--flat", "-N", "-O", "csv"],
                         capture_output=True, text=True, check=True)
    got = {r["account"]: r["balance"] for r in csv.DictReader(io.StringIO(out.stdout))}
    want = {"Funders:F0": "-501234567 JPY", "Funders:F1": "-12345678 ISK",
            "Funders:F2": "-1234.50 GBP", "Funders:F3": "-7 JPY"}
    assert {k: got[k] for k in want} == want


_SPREAD = '''[[entry]]
id = "wall"
date = 2020-01-01
funder = "UK:Dept"
purpose = "Harbour:Wall"
amount = "£3 million"
period = "over 3 years"
'''


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_years_with_the_recorded_basis_is_refused_in_one_line(tmp_path, run_cli, fmt):
    """--years promises one row per year; the recorded basis (the default)
    keeps each amount whole at its date, so the pair is refused, naming the
    bases that spread; --basis total spreads to the report's figures."""
    (tmp_path / "L").mkdir()
    (tmp_path / "L" / "ledger.toml").write_text(_SPREAD, encoding="utf-8")
    out = tmp_path / f"t.{fmt}"
    for basis in ([], ["--basis", "recorded"]):
        code, _, err = run_cli("export", tmp_path / "L", "--to", fmt, "--years", "calendar",
                               "-o", out, *basis)
        assert code == 1 and not out.exists()
        line = err.strip()
        assert "\n" not in line and "--basis total" in line and "--basis per-year" in line
    code, _, err = run_cli("export", tmp_path / "L", "--to", "csv", "--years", "calendar",
                           "--basis", "total", "-o", tmp_path / "s.csv")
    assert code == 0, err
    with open(tmp_path / "s.csv", encoding="utf-8") as f:
        rows = {r["year"]: Decimal(r["value"]) for r in csv.DictReader(f)}
    # by hand: 1096 days from 2020-01-01 (2020 has 366), £3m pro rata
    assert rows == {"2020": Decimal("1001824.82"), "2021": Decimal("999087.59"),
                    "2022": Decimal("999087.59")}
    assert sum(rows.values()) == Decimal(3_000_000)
