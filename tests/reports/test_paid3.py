"""Paid leaves out what is not counted: an entry tagged ``not-counted``
counts nowhere (docs/reports.md, docs/interop.md).  It adds nothing to paid
even when it disburses another entry, and it is passed through, as a
restatement is: a phase of it pays the entry it leads to, unless that entry
is paid itself.  A payment of a not-counted entry that links nowhere lies
within money no total counts and adds nothing.  The same figures in the
status table, the workbook and the page's cells, from a journal, a bulk CSV
and a partitioned Parquet dataset; and on an IATI disbursement withdrawn by a
re-import."""
from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import assume, given, settings

from tests.ledger.imports.test_iati_reimport2 import _activity, _commitment, _file
from tests.reports.test_paid2 import _page_paid
from tests.reports.linked_cases import journal_of, linked_cases

openpyxl = pytest.importorskip("openpyxl")

M = 1_000_000
NC = "not-counted;not-counted-withdrawn"
COLUMNS = ["id", "date", "funder", "purpose", "amount", "currency", "status", "disburses",
           "part_of", "tags", "sources"]
ROWS = [
    # C: a pledge of 5m; a withdrawn disbursement of 3m of it; 1m paid as a phase of that
    {"id": "q", "date": "2016-03-01", "funder": "C", "amount": "5000000", "status": "pledged"},
    {"id": "n", "date": "2017-03-01", "funder": "C", "amount": "3000000", "status": "disbursed",
     "disburses": "q", "tags": NC},
    {"id": "x", "date": "2018-03-01", "funder": "C", "amount": "1000000", "status": "disbursed",
     "part_of": "n"},
    # D: a pledge of 7m; a commitment of 4m not counted, and 2m disbursed of it
    {"id": "d", "date": "2016-04-01", "funder": "D", "amount": "7000000", "status": "pledged"},
    {"id": "w", "date": "2016-05-01", "funder": "D", "amount": "4000000", "status": "committed",
     "tags": NC},
    {"id": "w-pay", "date": "2017-05-01", "funder": "D", "amount": "2000000",
     "status": "disbursed", "disburses": "w"},
    # G: a disbursed pledge of 8m; a withdrawn disbursement of 2m of it; a 1m phase of that
    {"id": "g", "date": "2016-06-01", "funder": "G", "amount": "8000000", "status": "disbursed"},
    {"id": "n2", "date": "2017-06-01", "funder": "G", "amount": "2000000",
     "status": "disbursed", "disburses": "g", "tags": NC},
    {"id": "y", "date": "2018-06-01", "funder": "G", "amount": "1000000", "status": "disbursed",
     "part_of": "n2"},
    # H: a pledge of 2m; a disbursement of 5m not counted, linking nowhere
    {"id": "h", "date": "2016-07-01", "funder": "H", "amount": "2000000", "status": "pledged"},
    {"id": "hn", "date": "2017-07-01", "funder": "H", "amount": "5000000", "status": "disbursed",
     "tags": NC},
]
# by hand: (total = the primary entries, paid), per funder
#   C: q's 5m counted; n counts nowhere, passed through: x pays 1m of q (q is not paid itself)
#   D: d's 7m counted; w counts nowhere and links nowhere: w-pay's 2m is in no total, adds 0
#   G: g's 8m counted and paid; y leads through n2 to g, paid itself: within it
#   H: h's 2m counted; hn counts nowhere
WANT = {"C": (5 * M, 1 * M), "D": (7 * M, 0), "G": (8 * M, 8 * M), "H": (2 * M, 0)}


def _full(r: dict) -> dict:
    return {"purpose": "Port", "currency": "GBP", **r}


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("paid3")
    rows = [_full(r) for r in ROWS]
    text = '[ledger]\nname = "paid"\ncurrency = "GBP"\n'
    for r in rows:
        text += "\n[[entry]]\n" + "".join(
            f'{k} = {r[k] if k == "date" else json.dumps(r[k])}\n'
            for k in ("id", "date", "funder", "purpose", "amount", "currency", "status",
                      "disburses", "part_of") if r.get(k))
        if r.get("tags"):
            text += f"tags = {json.dumps(r['tags'].split(';'))}\n"
    (d / "paid.toml").write_text(text, encoding="utf-8")
    with open(d / "paid.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows({c: r.get(c, "") for c in COLUMNS} for r in rows)
    root = d / "paid.parquet"
    for year in sorted({r["date"][:4] for r in rows}):   # pledges and payments apart
        (root / f"year={year}").mkdir(parents=True)
        pq.write_table(pa.table({c: [r.get(c, "") for r in rows if r["date"][:4] == year]
                                 for c in COLUMNS}), root / f"year={year}" / "part-0.parquet")
    return {"journal": d / "paid.toml", "csv": d / "paid.csv", "dataset": root}


def _status_sheet(path: Path) -> dict[str, tuple[int, int]]:
    """(total, paid) per funder of the By status sheet, in pounds."""
    ws = openpyxl.load_workbook(path, read_only=True)["By status"]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    head = list(rows[1])
    return {r[0]: (int(r[head.index("total")]), int(r[head.index("paid")]))
            for r in rows[2:] if r[0] in WANT}


@pytest.mark.parametrize("kind", ["journal", "csv", "dataset"])
def test_paid_leaves_out_what_is_not_counted(ledgers, run_cli, tmp_path, kind):
    out = tmp_path / kind
    code, _, err = run_cli("report", ledgers[kind], "--out", out, "--currency", "GBP")
    assert code == 0, err
    assert _status_sheet(out / "report.xlsx") == WANT
    assert _page_paid(out / "report.html") == {f: p * 100 for f, (_, p) in WANT.items() if p}


def test_paid_adds_up_across_funder_filters(ledgers):
    from ledger.read import read_book
    from reports.tables import ReportOptions, build_report

    book = read_book(ledgers["journal"])
    st_ = build_report(book, ReportOptions(currency="GBP")).by_status.set_index("funder")
    assert {f: (int(st_.loc[f, "total"]), int(st_.loc[f, "paid"])) for f in WANT} == WANT
    one_by_one = sum(build_report(book, ReportOptions(currency="GBP", funder=(f,)))
                     .by_status["paid"].sum() for f in WANT)
    assert one_by_one == sum(p for _, p in WANT.values())


def test_a_disbursement_withdrawn_by_a_reimport_is_not_paid(tmp_path, run_cli):
    """IATI: a commitment of 120,000 and a disbursement of 50,000 of it; the
    next file drops the disbursement (tagged not-counted-withdrawn): the
    commitment is all outstanding."""
    v2 = _file(tmp_path / "v2.xml", _activity("XM-UPD-1", _commitment(120000, "c1"), (
        '  <transaction ref="d1"><transaction-type code="3"/>'
        '<transaction-date iso-date="2020-06-01"/>'
        '<value value-date="2020-06-01">50000</value></transaction>\n')))
    v3 = _file(tmp_path / "v3.xml", _activity("XM-UPD-1", _commitment(120000, "c1")))
    book = tmp_path / "book"
    for f in (v2, v3):
        code, _, err = run_cli("import", "--from", "iati", f, "-o", book)
        assert code == 0, err
    code, _, err = run_cli("report", book, "--out", tmp_path / "r", "--currency", "USD")
    assert code == 0, err
    ws = openpyxl.load_workbook(tmp_path / "r" / "report.xlsx", read_only=True)["By status"]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    head = list(rows[1])
    got = [(r[head.index("total")], r[head.index("paid")]) for r in rows[2:]
           if r[0] not in (None, "Total")]
    assert got == [(120000, 0)]
    assert _page_paid(tmp_path / "r" / "report.html") == {}


cases = linked_cases(tagged=True)


@settings(max_examples=60, deadline=None)
@given(cases)
def test_paid_whatever_the_links_and_tags(case):
    """Paid worked out here from the entries as written: an entry counts as
    paid by its own status when it is disbursed or spent, not tagged
    not-counted, and links nowhere or disburses / is part of another; it
    adds to paid unless an entry its links lead to, link after link, counts
    so or is tagged not-counted and links nowhere (money in no total).  The
    page's paying entries (role 1) are the linked ones that add to paid
    whatever their status."""
    from ledger.read import read_book
    from reports.tables import ReportOptions, build_report

    amounts, statuses, uncounted, links = case
    n = len(amounts)
    text = journal_of(amounts, statuses, links, uncounted)

    def pays(i):
        return links[i] is None or links[i][0] in ("disburses", "part_of")

    def counts(i):
        return statuses[i] in ("disbursed", "spent") and not uncounted[i] and pays(i)

    def within(i):
        while links[i] is not None:
            i = links[i][1]
            if counts(i) or (uncounted[i] and links[i] is None):
                return True
        return False
    want = sum(amounts[i] for i in range(n) if counts(i) and not within(i)) * M
    paying = {f"e{i}" for i in range(n)
              if links[i] is not None and pays(i) and not uncounted[i] and not within(i)}
    with tempfile.TemporaryDirectory() as d:
        led = Path(d) / "l.toml"
        led.write_text(text, encoding="utf-8")
        book = read_book(led)
        assume(not [p for p in book.problems if p.severity == "error"])   # a chain of disbursements
        report = build_report(book, ReportOptions(currency="GBP"))
    assert int(report.by_status["paid"].sum()) == want
    total = sum(amounts[i] for i in range(n) if links[i] is None and not uncounted[i]) * M
    assert int(report.by_status["total"].sum()) == total
    facts = report.facts
    assert set(facts.loc[facts["pays"].astype(bool), "id"]) == paying


def test_the_status_sheet_says_each_payment_counts_once(ledgers, run_cli, tmp_path):
    """The By status caption says what paid is (docs/reports.md): not every
    entry that disburses another (a payment within a paid pledge, or one
    tagged not-counted, is not paid again), each counted payment once."""
    code, _, err = run_cli("report", ledgers["journal"], "--out", tmp_path / "r",
                           "--currency", "GBP")
    assert code == 0, err
    ws = openpyxl.load_workbook(tmp_path / "r" / "report.xlsx", read_only=True)["By status"]
    caption = next(ws.iter_rows(values_only=True))[0]
    assert "paid = disbursed or spent, each counted payment once;" in caption
    assert "disburse another" not in caption
