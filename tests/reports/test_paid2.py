"""Paid counts a payment once: a disbursement (or a phase) of an entry that
is itself disbursed or spent lies within it, so paid counts the pledge and
not the pledge and its disbursement (docs/reports.md).  The same figures in
the report's status table, its workbook, the page's cells and the year
chart's data, from a journal, a bulk CSV and a partitioned Parquet dataset
whose pledges and payments sit in different year partitions."""
from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from hypothesis import assume, given, settings

from tests.ledger.read.test_dataset import COLUMNS, write_dataset
from tests.reports.linked_cases import journal_of, linked_cases

openpyxl = pytest.importorskip("openpyxl")

M = 1_000_000
# every entry in GBP, so the figures below are the amounts as written
ROWS = [
    # UK: a disbursed pledge of 10m, and 4m of it disbursed a year later
    {"id": "uk", "date": "2016-03-01", "funder": "UK", "purpose": "Port", "amount": "10000000",
     "currency": "GBP", "status": "disbursed"},
    {"id": "uk-pay", "date": "2017-02-01", "funder": "UK", "purpose": "Port",
     "amount": "4000000", "currency": "GBP", "status": "disbursed", "disburses": "uk"},
    # France: a pledge of 3m, not paid itself, 1m of it disbursed
    {"id": "fr", "date": "2016-05-01", "funder": "France", "purpose": "Port",
     "amount": "3000000", "currency": "GBP", "status": "pledged"},
    {"id": "fr-pay", "date": "2017-06-01", "funder": "France", "purpose": "Port",
     "amount": "1000000", "currency": "GBP", "status": "disbursed", "disburses": "fr"},
    # EU: a disbursed package of 6m, a disbursed phase of 2m, and that phase paid out
    {"id": "eu", "date": "2016-01-10", "funder": "EU", "purpose": "Health", "amount": "6000000",
     "currency": "GBP", "status": "disbursed"},
    {"id": "eu-phase", "date": "2017-01-10", "funder": "EU", "purpose": "Health",
     "amount": "2000000", "currency": "GBP", "status": "disbursed", "part_of": "eu"},
    {"id": "eu-pay", "date": "2018-01-10", "funder": "EU", "purpose": "Health",
     "amount": "2000000", "currency": "GBP", "status": "disbursed", "disburses": "eu-phase"},
    # Germany: a spent package of 5m, a phase only committed, 1m of the phase paid
    {"id": "de", "date": "2016-02-01", "funder": "Germany", "purpose": "Health",
     "amount": "5000000", "currency": "GBP", "status": "spent"},
    {"id": "de-phase", "date": "2017-02-01", "funder": "Germany", "purpose": "Health",
     "amount": "3000000", "currency": "GBP", "status": "committed", "part_of": "de"},
    {"id": "de-pay", "date": "2018-02-01", "funder": "Germany", "purpose": "Health",
     "amount": "1000000", "currency": "GBP", "status": "disbursed", "disburses": "de-phase"},
]
# by hand: (total = the primary entries, paid), per funder
#   UK: 10m counted; paid is the pledge's 10m, its 4m disbursement within it
#   France: 3m counted; paid the 1m disbursement (the pledge is not paid itself)
#   EU: 6m counted; paid the package's 6m (the phase and its payment within it)
#   Germany: 5m counted; paid the package's 5m (the payment of its phase within it)
WANT = {"UK": (10 * M, 10 * M), "France": (3 * M, 1 * M), "EU": (6 * M, 6 * M),
        "Germany": (5 * M, 5 * M)}


def _journal(path: Path) -> Path:
    text = '[ledger]\nname = "paid"\ncurrency = "GBP"\n'
    for r in ROWS:
        text += "\n[[entry]]\n" + "".join(
            f'{k} = {r[k] if k == "date" else json.dumps(r[k])}\n'
            for k in ("id", "date", "funder", "purpose", "amount", "currency", "status",
                      "disburses", "part_of") if r.get(k))
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("paid")
    root = write_dataset(d / "paid.parquet", ROWS)
    # each pledge in one year's partition, its payments in later ones
    assert len(list(root.glob("year=*"))) == 3
    bulk = d / "paid.csv"
    pacsv.write_csv(pa.table({c: [r.get(c, "") for r in ROWS] for c in COLUMNS}), bulk)
    return {"journal": _journal(d / "paid.toml"), "csv": bulk, "dataset": root}


def _status_sheet(path: Path) -> dict[str, tuple[int, int]]:
    """(total, paid) per funder of the By status sheet, in pence (its
    outstanding is the live formula total − paid)."""
    ws = openpyxl.load_workbook(path, read_only=True)["By status"]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    head = list(rows[1])
    out = {}
    for r in rows[2:]:
        if r[0] in WANT:
            out[r[0]] = tuple(int(Decimal(str(r[head.index(c)])) * 100)
                              for c in ("total", "paid"))
    return out


def _page_paid(path: Path) -> dict[str, int]:
    """Paid per funder as the page sums its cells: counted (role 0) or
    paying another (role 1), disbursed or spent."""
    text = path.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)'
                                r"</script>", text, re.S).group(1))
    dims, cells = data["dims"], data["cells"]["total"]
    out: dict[str, int] = {}
    for f, s, r, m in zip(cells["f"], cells["s"], cells["r"], cells["m"]):
        if r < 2 and dims["status"][s] in ("disbursed", "spent"):
            name = dims["funder"][f]
            out[name] = out.get(name, 0) + int(m)
    return out


@pytest.mark.parametrize("kind", ["journal", "csv", "dataset"])
def test_paid_counts_a_pledge_and_its_payments_once(ledgers, run_cli, tmp_path, kind):
    out = tmp_path / kind
    code, _, err = run_cli("report", ledgers[kind], "--out", out, "--currency", "GBP")
    assert code == 0, err
    want = {f: (t * 100, p * 100) for f, (t, p) in WANT.items()}
    assert _status_sheet(out / "report.xlsx") == want
    assert _page_paid(out / "report.html") == {f: p * 100 for f, (_, p) in WANT.items()}


def test_paid_is_the_status_table_of_the_book(ledgers):
    """The status table itself (what the charts, workbook and CSV read)."""
    from ledger.read import read_book
    from reports.tables import ReportOptions, build_report

    report = build_report(read_book(ledgers["journal"]), ReportOptions(currency="GBP"))
    st = report.by_status.set_index("funder")
    assert {f: (int(st.loc[f, "total"]), int(st.loc[f, "paid"])) for f in WANT} == WANT
    assert {f: int(st.loc[f, "outstanding"]) for f in WANT} == {f: t - p for f, (t, p)
                                                                 in WANT.items()}


def test_paid_adds_up_across_funder_filters(ledgers):
    """What an entry adds to paid is the whole ledger's: the funders one by
    one add up to the ledger (a filter never counts a payment its pledge
    already counts)."""
    from ledger.read import read_book
    from reports.tables import ReportOptions, build_report

    book = read_book(ledgers["journal"])
    one_by_one = sum(build_report(book, ReportOptions(currency="GBP", funder=(f,)))
                     .by_status["paid"].sum() for f in WANT)
    assert one_by_one == sum(p for _, p in WANT.values())


cases = linked_cases()


@settings(max_examples=40, deadline=None)
@given(cases)
def test_paid_is_each_payment_once_whatever_the_links(case):
    """Paid worked out here from the entries as written: an entry counts as
    paid by its own status when it is disbursed or spent and links nowhere
    or disburses / is part of another; it adds to paid unless an entry its
    links lead to, link after link, counts so."""
    import tempfile

    from ledger.read import read_book
    from reports.tables import ReportOptions, build_report

    amounts, statuses, links = case
    n = len(amounts)
    text = journal_of(amounts, statuses, links)

    def counts(i):
        return statuses[i] in ("disbursed", "spent") and (
            links[i] is None or links[i][0] in ("disburses", "part_of"))

    def within(i):
        while links[i] is not None:
            i = links[i][1]
            if counts(i):
                return True
        return False
    want = sum(amounts[i] for i in range(n) if counts(i) and not within(i)) * M
    with tempfile.TemporaryDirectory() as d:
        led = Path(d) / "l.toml"
        led.write_text(text, encoding="utf-8")
        book = read_book(led)
        assume(not [p for p in book.problems if p.severity == "error"])   # a chain of disbursements
        st_ = build_report(book, ReportOptions(currency="GBP")).by_status
    assert int(st_["paid"].sum()) == want
    total = sum(amounts[i] for i in range(n) if links[i] is None) * M
    assert int(st_["total"].sum()) == total
