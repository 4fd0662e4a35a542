"""Report tables: totals, double counting, status, comparison, trees, filters."""
from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pandas as pd
import pytest

import ledger
from ledger.errors import LedgerError
from ledger.model import Entry, Link, Split
from reports.tables import (TOTAL, ReportOptions, build_report, by_purpose, comparison_table,
                            status_table, summary_table, tree_table)


@pytest.fixture(scope="module")
def book(example_ledger):
    return ledger.load(example_ledger)


@pytest.fixture(scope="module")
def report(book):
    return build_report(book, ReportOptions())


def _sum(values) -> Decimal:
    return sum(values, Decimal(0))


def _frame(rows):
    """A hand-made normalised frame with the documented columns."""
    cols = ["id", "funder", "purpose", "status", "qualifier", "primary", "value", "value_minor"]
    f = pd.DataFrame(rows, columns=cols[:-1])
    f["value_minor"] = [int(v * 100) for v in f["value"]]
    return f


def test_totals_equal_the_normalised_primary_rows(book, report):
    from rates.normalise import to_frame
    spread = to_frame(book, currency="GBP", horizon=report.horizon)
    expected = _sum(spread.loc[spread["primary"], "value"])
    assert _sum(report.summary["amount"]) == expected
    assert _sum(report.by_purpose["amount"]) == expected
    assert _sum(report.by_funder["amount"]) == expected
    assert _sum(report.by_year.to_numpy().ravel()) == expected
    assert _sum(report.matrix.to_numpy().ravel()) == expected
    assert report.comparison.loc[TOTAL].sum() == expected
    assert _sum(report.by_status["total"]) == expected
    # one-currency entries keep their exact amount
    gbp = report.entries[report.entries["original currency"] == "GBP"]
    # (as Decimals: Arrow cannot compare decimal128(12, 2) with the reader's (38, 0))
    assert gbp["normalised"].astype(object).tolist() == gbp["original amount"].astype(object).tolist()


def test_default_horizon_is_the_last_year_of_bounded_entries(book, report):
    # the UK's £12m over three years from 2014-09-20 runs into 2017
    assert report.horizon == "2017"
    assert any("2017" in n and "france-calais-humanitarian-2015" in n for n in report.notes)
    later = build_report(book, ReportOptions(horizon="2020"))

    def fr(r):
        return r.by_funder.set_index("funder").loc["France:Government", "amount"]
    assert fr(later) > fr(report)
    assert list(later.by_year.index)[-1] == "2020"


def test_per_year_basis_keeps_open_ended_entries(book):
    r = build_report(book, ReportOptions(basis="per-year"))
    row = r.frame.set_index("id").loc["france-calais-humanitarian-2015"]
    # 10 million euros a year at the entry-date rate
    assert row["value"] == (Decimal(10_000_000) * row["rate"]).quantize(Decimal("0.01"))
    uk = r.frame.set_index("id").loc["uk-joint-declaration-2014", "value"]
    assert uk == Decimal(4_000_000)            # £12m over 3 years


def test_fiscal_years_and_fiscal_horizon(book):
    r = build_report(book, ReportOptions(years="fiscal-uk"))
    assert r.horizon == "2017"     # one end date whatever --years: 31 December 2017
    assert all(len(y) == 7 and y[4] == "-" for y in r.by_year.index)
    assert _sum(r.by_year.to_numpy().ravel()) == _sum(r.summary["amount"])


def test_qualifiers_are_visible(report):
    q = report.summary.set_index("purpose")["qualifiers"]
    assert "up to" in q["Security:Channel Tunnel railhead"]
    assert "at least" in report.by_funder.set_index("funder").loc["France:Government", "qualifiers"]


def test_filters_match_list_and_keep_only_matching_split_shares(book):
    r = build_report(book, ReportOptions(funder=("UK",)))
    assert set(r.summary["funder"]) == {"UK:Home Office", "UK:Government"}
    split = Entry(id="pkg", date=dt.date(2016, 3, 3), funder="UK:Home Office", purpose="",
                  amount=Decimal(17_000_000), currency="GBP",
                  splits=(Split("Security:Calais port", Decimal(10_000_000)),
                          Split("Humanitarian:Calais", Decimal(7_000_000))))
    b = ledger.Ledger((split,), {}, {}, None)
    r = build_report(b, ReportOptions(purpose=("Security",)))
    assert list(r.summary["purpose"]) == ["Security:Calais port"]
    assert r.summary["amount"].iloc[0] == Decimal(10_000_000)
    with pytest.raises(LedgerError, match="no entries"):
        build_report(book, ReportOptions(funder=("Nobody",)))


def test_linked_entries_are_not_double_counted_and_feed_the_status():
    d = dt.date(2015, 1, 1)
    pledge = Entry(id="p", date=d, funder="UK:HO", purpose="Aid", amount=Decimal(100),
                   currency="GBP")
    paid = Entry(id="d", date=dt.date(2015, 6, 1), funder="UK:HO", purpose="Aid",
                 amount=Decimal(30), currency="GBP", status="disbursed",
                 links=(Link("disburses", "p"),))
    again = Entry(id="r", date=dt.date(2015, 7, 1), funder="UK:HO", purpose="Aid",
                  amount=Decimal(100), currency="GBP", links=(Link("restates", "p"),))
    other = Entry(id="f", date=d, funder="France", purpose="Aid", amount=Decimal(50),
                  currency="GBP", status="spent")
    r = build_report(ledger.Ledger((pledge, paid, again, other), {}, {}, None), ReportOptions())
    assert _sum(r.summary["amount"]) == Decimal(150)
    st = r.by_status.set_index("funder")
    assert st.loc["UK:HO", "total"] == Decimal(100)
    assert st.loc["UK:HO", "paid"] == Decimal(30)
    assert st.loc["UK:HO", "outstanding"] == Decimal(70)
    assert st.loc["France", "spent"] == Decimal(50)
    assert st.loc["France", "outstanding"] == Decimal(0)
    assert set(r.entries.loc[r.entries["counted"] == "no", "id"]) == {"d", "r"}
    assert any("d, r" in n for n in r.notes)


def test_status_table_on_a_hand_made_frame():
    f = _frame([("a", "X", "P", "pledged", "exact", True, Decimal("10.50")),
                ("b", "X", "P", "committed", "exact", True, Decimal("4")),
                ("c", "X", "P", "disbursed", "exact", False, Decimal("3")),
                ("e", "Y", "Q", "disbursed", "exact", True, Decimal("2"))])
    links = pd.DataFrame([("c", "part_of", "a")], columns=["id", "kind", "target"])
    st = status_table(f, links, "GBP").set_index("funder")
    assert st.loc["X", "total"] == Decimal("14.50")
    assert st.loc["X", "paid"] == Decimal("3.00")
    assert st.loc["X", "outstanding"] == Decimal("11.50")
    assert st.loc["Y", "disbursed"] == st.loc["Y", "paid"] == Decimal("2.00")


def test_comparison_and_tree_on_a_hand_made_frame():
    f = _frame([("a", "UK:HO", "Sec:Port", "pledged", "exact", True, Decimal(5)),
                ("b", "UK:Gov", "Sec", "pledged", "up to", True, Decimal(7)),
                ("c", "France", "Sec:Port", "pledged", "exact", True, Decimal(11)),
                ("d", "France", "Sec:Port", "pledged", "exact", False, Decimal(99))])
    c = comparison_table(f, ["UK", "France"], "EUR")
    assert c.loc["Sec:Port", "UK"] == Decimal(5) and c.loc["Sec", "UK"] == Decimal(7)
    assert c.loc["Sec:Port", "France"] == Decimal(11)
    assert c.loc[TOTAL, "UK"] == Decimal(12) and c.loc[TOTAL, "France"] == Decimal(11)
    t = tree_table(f, "purpose", "EUR").set_index("account")
    assert t.loc["Sec", "amount"] == Decimal(23) and t.loc["Sec:Port", "amount"] == Decimal(16)
    assert list(tree_table(f, "funder", "EUR", depth=1)["account"]) == ["France", "UK"]
    s = summary_table(f, "EUR")
    assert s.loc[s["funder"] == "UK:Gov", "qualifiers"].item() == "up to (1)"
    bp = by_purpose(f, "EUR")
    assert list(bp["purpose"]) == ["Sec:Port", "Sec"] and abs(bp["share"].sum() - 1) < 1e-12


def test_depth_groups_accounts(book):
    r = build_report(book, ReportOptions(depth=1))
    assert set(r.summary["funder"]) == {"UK", "France"}
    assert set(r.summary["purpose"]) == {"Security", "Humanitarian", "Development"}


def test_sources_table_lists_every_citation(book, report):
    n = sum(len(e.sources) for e in book.entries)
    assert len(report.sources) == n
    row = report.sources[report.sources["entry"] == "uk-calais-asylum-humanitarian-2015"].iloc[0]
    assert row["publisher"] == book.documents[row["document"]].publisher


def test_notes_name_a_few_entries_and_count_the_rest():
    """A note names NOTE_IDS entries at most, then how many more: every one
    is still in the Entries table."""
    from reports.notes import NOTE_IDS
    d = dt.date(2015, 1, 1)
    n = NOTE_IDS + 5
    target = Entry(id="p", date=d, funder="UK", purpose="Aid", amount=Decimal(1000),
                   currency="GBP")
    paid = [Entry(id=f"d{k:03d}", date=d, funder="UK", purpose="Aid", amount=Decimal(1),
                  currency="GBP", qualifier="about", status="disbursed",
                  links=(Link("disburses", "p"),)) for k in range(n)]
    r = build_report(ledger.Ledger((target, *paid), {}, {}, None), ReportOptions())
    ids = [e.id for e in paid]
    linked = next(x for x in r.notes if "such entries" in x)
    assert f"{n} such entries: {', '.join(ids[:NOTE_IDS])} and 5 more" in linked
    assert ids[NOTE_IDS] not in linked
    qualified = next(x for x in r.notes if "'about'" in x)
    assert f"'about': {', '.join(ids[:NOTE_IDS])} and 5 more" in qualified
    assert set(r.entries.loc[r.entries["counted"] == "no", "id"]) == set(ids)


# ---------------------------------------------------------------- the column-wise paths
FAST_OPTIONS = [ReportOptions(), ReportOptions(basis="per-year", depth=1),
                ReportOptions(years="fiscal-uk", status=("pledged", "committed")),
                ReportOptions(purpose=("Health",), currency="EUR")]


@pytest.mark.parametrize("options", FAST_OPTIONS, ids=["total", "per-year-depth", "fiscal",
                                                       "purpose-eur"])
def test_fast_frames_give_the_reference_figures(big, options):
    """The valuation with fast=True (integer money, Categorical text, ids
    coded by the Book's id order) gives the figures of the Decimal path,
    row for row, on a generated ledger with splits, links and every period."""
    from reports.options import select_entries
    from reports.valuation import Spec, basis_frame, value

    def frames(b, fast):
        valued = value(select_entries(b, options), Spec.of(options), fast=fast,
                       every_column=True)
        return (*basis_frame(valued, options.depth, fast=fast), valued.horizon)
    b = ledger.load(big)
    ref = frames(b, False)
    fast = frames(b, True)
    assert ref[2] == fast[2]
    for r, f in zip(ref[:2], fast[:2]):
        assert len(r) == len(f) > 0
        for c in ("id", "funder", "purpose", "status", "qualifier", "rate_source"):
            assert r[c].astype(str).tolist() == f[c].astype(str).tolist(), c
        assert r["value_minor"].astype("int64").tolist() == f["value_minor"].astype("int64").tolist()
        assert list(r["value"]) == list(f["value"])           # Arrow decimals read as Decimal
        assert all(isinstance(v, Decimal) for v in f["value"].head(50))


@pytest.mark.parametrize("options", FAST_OPTIONS, ids=["total", "per-year-depth", "fiscal",
                                                       "purpose-eur"])
def test_cube_on_codes_is_the_cube_on_ids(big, options):
    """The page's cells grouped on integer codes are the cells of the
    id-based grouping: same keys, order, sums and entries."""
    from reports.pagedata import _explore_cube_by_ids, cube_by_entry, explore_cube
    r = build_report(ledger.load(big), options)
    assert cube_by_entry(r) is not None           # the fast path is the one taken
    for got, want in zip(explore_cube(r), _explore_cube_by_ids(r)):
        got, want = got.reset_index(drop=True), want.reset_index(drop=True)
        assert list(got.columns) == list(want.columns)
        for c in got.columns:
            assert got[c].tolist() == want[c].tolist(), c


def test_repeated_ids_take_the_id_based_paths():
    """A hand-made ledger whose ids repeat (a journal refuses it): no id
    order, the id-based cube, one Entries row per entry × purpose (the old
    merge doubled them) and the same totals."""
    from reports.columns import id_order
    from reports.pagedata import cube_by_entry, explore_cube
    day = dt.date(2015, 1, 1)
    entries = (Entry(id="x", date=day, funder="F", purpose="P", amount=Decimal(10), currency="GBP"),
               Entry(id="x", date=day, funder="G", purpose="Q", amount=Decimal(5), currency="GBP"))
    b = ledger.Ledger(entries, {}, {}, None)
    r = build_report(b, ReportOptions())
    assert id_order(r.extra["book"]) is None and cube_by_entry(r) is None
    total, _ = explore_cube(r)
    assert total["minor"].sum() == 1500 and list(r.entries["id"]) == ["x", "x"]
    assert sum(r.summary["amount"], Decimal(0)) == Decimal(15)


def test_decimal_column_is_exact_and_typed_as_pyarrow_infers():
    import numpy as np
    import pyarrow as pa
    from reports.columns import decimal_column
    minor = np.array([0, 5, -5, 12345, -(2 ** 62), 2 ** 62], dtype=np.int64)
    col = decimal_column(minor, 2)
    want = [Decimal(int(m)).scaleb(-2) for m in minor]
    assert list(col) == want
    assert pa.array(col).type == pa.array(want).type
    assert list(decimal_column(np.array([0, 7]), 0)) == [Decimal(0), Decimal(7)]
    big_ints = np.array([2 ** 70, -1], dtype=object)          # past int64: Decimal objects
    assert list(decimal_column(big_ints, 2)) == [Decimal(2 ** 70).scaleb(-2), Decimal("-0.01")]


@pytest.mark.parametrize("tables", [True, False])
def test_a_report_built_in_two_steps_is_the_same(book, report, tables):
    """``build_report(rows=False)`` then ``add_rows`` (what ``report`` does to
    start the charts first; ``tables=False`` also leaves the tables the charts
    do not draw to ``add_rows``): the same tables and notes as in one step;
    until ``add_rows`` the left-out tables are empty."""
    from reports.tables import add_rows

    part = build_report(book, ReportOptions(), rows=False, tables=tables)
    assert part.entries.empty and part.sources.empty
    assert part.summary.empty != tables and part.funder_tree.empty != tables
    pd.testing.assert_frame_equal(part.matrix, report.matrix)
    add_rows(part)
    for name in ("summary", "matrix", "by_purpose", "by_funder", "by_year", "by_status",
                 "comparison", "funder_tree", "purpose_tree", "entries", "sources"):
        pd.testing.assert_frame_equal(getattr(part, name), getattr(report, name), obj=name)
    assert part.notes == report.notes and part.warnings == report.warnings
    assert "tables to add" not in part.extra and "rows to add" not in part.extra


@pytest.mark.parametrize("options", FAST_OPTIONS[:2], ids=["total", "per-year-depth"])
def test_rows_made_beside_the_valuation_are_the_same(big, options, tmp_path):
    """``build_report(rows_ahead=True)`` (what ``report`` does: the Book's
    rows, the sources table's files, the entries table and the tables the
    charts do not draw made in a thread beside the valuation) gives the same
    tables, notes and files as the serial build."""
    from reports.datafiles import table_files, write_full_tables
    from reports.tables import add_rows

    b = ledger.load(big)
    serial = add_rows(build_report(b, options, rows=False, tables=False))
    ahead = build_report(b, options, rows=False, tables=False, rows_ahead=True,
                         sources_files=table_files)
    assert "table files" in ahead.extra and "tables to add" not in ahead.extra
    add_rows(ahead)
    for name in ("summary", "matrix", "by_purpose", "by_funder", "by_year", "by_status",
                 "comparison", "funder_tree", "purpose_tree", "entries", "sources", "facts"):
        pd.testing.assert_frame_equal(getattr(ahead, name), getattr(serial, name), obj=name)
    assert ahead.notes == serial.notes and ahead.warnings == serial.warnings
    write_full_tables(serial, tmp_path / "serial")
    write_full_tables(ahead, tmp_path / "ahead")
    for name in ("entries.csv", "entries.parquet", "sources.csv", "sources.parquet"):
        assert ((tmp_path / "ahead" / name).read_bytes()
                == (tmp_path / "serial" / name).read_bytes()), name


def test_a_failure_on_either_side_of_the_thread_is_raised(book):
    """An unknown --compare funder, found by the valuation's side, and an
    error in the thread's side are raised as they are, nothing left waiting."""
    with pytest.raises(LedgerError, match="no such funder"):
        build_report(book, ReportOptions(compare=("Nobody",)), rows=False, rows_ahead=True)

    def broken(_sources):
        raise OSError("disk full")
    with pytest.raises(OSError, match="disk full"):
        build_report(book, ReportOptions(), rows=False, rows_ahead=True, sources_files=broken)


@pytest.mark.parametrize("failure", [LedgerError, KeyboardInterrupt])
def test_the_rows_thread_stops_when_the_valuation_fails(book, monkeypatch, failure):
    """The valuation's side fails (an error, or Ctrl-C) while the thread
    makes the sources table: the thread makes none of the rows' later steps,
    and the failure is raised as it is."""
    import threading

    import reports.tables as rt

    failed, later = threading.Event(), []
    real_sources = rt.sources_table

    def slow_sources(*args):
        failed.wait(10)        # until the valuation's side has failed
        time.sleep(0.3)        # and raised
        return real_sources(*args)

    def value_fails(*_args, **_kw):
        failed.set()
        raise failure("valuation failed")

    monkeypatch.setattr(rt, "sources_table", slow_sources)
    monkeypatch.setattr(rt, "entry_text", lambda *a: later.append("entry text"))
    monkeypatch.setattr(rt, "value", value_fails)
    with pytest.raises(failure, match="valuation failed"):
        build_report(book, ReportOptions(), rows=False, rows_ahead=True)
    assert failed.is_set() and later == []


def test_the_rows_thread_counts_the_entries_the_report_holds(book, monkeypatch):
    """``rows_ahead_from``: the thread runs from that many entries of the
    report (after the filters), not of the ledger."""
    import reports.tables as rt

    ran = []
    real = rt._rows_beside

    def spy(*args):
        ran.append(len(args[1]))
        return real(*args)

    monkeypatch.setattr(rt, "_rows_beside", spy)
    n = len(book)
    uk = sum(1 for e in book.entries if e.funder.split(":")[0] == "UK")
    assert 0 < uk < n
    build_report(book, ReportOptions(), rows=False, rows_ahead_from=n)
    build_report(book, ReportOptions(funder=("UK",)), rows=False, rows_ahead_from=n)
    build_report(book, ReportOptions(funder=("UK",)), rows=False, rows_ahead_from=uk)
    assert ran == [n, uk]
