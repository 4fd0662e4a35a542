"""Per-funder paid and outstanding (docs/reports.md, "Whose row a payment
is on"): a payment adds to the paid of the funder whose pledge it pays,
whoever made it; what a funder paid of another's pledge is its "paid for
others", in neither its paid nor its outstanding.  The funders' rows add up
to the Total row; `--funder X` gives X's row of the table without it; the
workbook, the page (in chromium) and a dataset whose links cross
partitions give the same figures as the journal."""
from __future__ import annotations

import csv
import tempfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ledger import read_book
from reports.tables import ReportOptions, build_report
from tests.reports.test_html import browser  # noqa: F401  (a fixture)

openpyxl = pytest.importorskip("openpyxl")

M = 1_000_000
# id: (date, funder, £, status, link)
ENTRIES = {
    "p": ("2016-03-01", "FR:MI", 1 * M, "pledged", None),
    "q": ("2016-04-01", "UK:HO", 3 * M, "pledged", None),
    "k": ("2016-05-01", "DE", 4 * M, "pledged", None),           # a package
    "i": ("2016-06-01", "IT", 2 * M, "disbursed", None),         # paid itself
    "kp": ("2017-05-01", "DE", 2 * M, "committed", ("part_of", "k")),
    "x": ("2017-06-01", "UK:HO", 1 * M, "disbursed", ("disburses", "p")),
    "y": ("2018-06-01", "FR:MI", 2 * M, "disbursed", ("disburses", "q")),
    "z": ("2018-07-01", "FR:MI", M // 2, "spent", ("disburses", "kp")),
    "w": ("2018-08-01", "UK:HO", M // 2, "disbursed", ("disburses", "i")),
}
# By hand, (total, paid, outstanding, paid for others) in £:
#   FR:MI pledged p £1m, paid by x (UK:HO) £1m: outstanding 0; it paid y
#     (£2m of UK:HO's q) and z (£0.5m of kp, a phase of DE's k): £2.5m for others
#   UK:HO pledged q £3m, paid by y £2m: outstanding £1m; x is £1m for others;
#     w lies within i, paid itself: it adds nothing anywhere
#   DE pledged k £4m (kp is a phase of it, not counted again), paid by z £0.5m
#   IT's i £2m is disbursed itself: paid £2m
WANT = {
    "DE": (4_000_000, 500_000, 3_500_000, 0),
    "FR:MI": (1_000_000, 1_000_000, 0, 2_500_000),
    "IT": (2_000_000, 2_000_000, 0, 0),
    "UK:HO": (3_000_000, 2_000_000, 1_000_000, 1_000_000),
}
TOTAL = (10_000_000, 5_500_000, 4_500_000, 3_500_000)
assert tuple(sum(w[k] for w in WANT.values()) for k in range(4)) == TOTAL
# Before: paid went to the payer: FR:MI paid £2.5m (outstanding -£1.5m), UK:HO
# paid £1m (outstanding £2m), DE paid 0 (outstanding £4m).
COLS = ("total", "paid", "outstanding", "paid for others")
COLUMNS = ["id", "date", "funder", "purpose", "amount", "currency", "qualifier", "status",
           "disburses", "part_of", "restates"]


def _journal(path: Path, entries=ENTRIES) -> Path:
    text = '[ledger]\nname = "o"\ncurrency = "GBP"\n'
    for i, (date, funder, pounds, status, link) in entries.items():
        text += (f'\n[[entry]]\nid = "{i}"\ndate = {date}\nfunder = "{funder}"\n'
                 f'purpose = "P"\namount = "{pounds}"\ncurrency = "GBP"\nstatus = "{status}"\n')
        if link:
            text += f'{link[0]} = "{link[1]}"\n'
    path.write_text(text, encoding="utf-8")
    return path


def _dataset(root: Path, entries=ENTRIES) -> Path:
    """The entries as a dataset partitioned by year: every link but none
    leads to another year's partition."""
    by_year: dict[str, list[dict]] = defaultdict(list)
    for i, (date, funder, pounds, status, link) in entries.items():
        row = dict.fromkeys(COLUMNS, "")
        row.update(id=i, date=date, funder=funder, purpose="P", amount=str(pounds),
                   currency="GBP", status=status)
        if link:
            row[link[0]] = link[1]
        by_year[date[:4]].append(row)
    for year, rows in by_year.items():
        (root / f"year={year}").mkdir(parents=True)
        pq.write_table(pa.table({c: [r[c] for r in rows] for c in COLUMNS}),
                       root / f"year={year}" / "part-0.parquet")
    return root


def _figures(by_status) -> dict[str, tuple[int, ...]]:
    """The status table's rows as whole pounds (a column missing: 0)."""
    return {str(r["funder"]): tuple(int(Decimal(str(r.get(c, 0)))) for c in COLS)
            for _, r in by_status.iterrows()}


def _table(path: Path, **options) -> dict[str, tuple[int, ...]]:
    return _figures(build_report(read_book(path, use_cache=False),
                                 ReportOptions(currency="GBP", **options)).by_status)


def test_a_payment_is_on_the_row_of_the_pledge_it_pays(tmp_path):
    assert _table(_journal(tmp_path / "o.toml")) == WANT


@pytest.mark.parametrize("funder", ["FR:MI", "UK:HO", "DE"])
def test_funder_gives_its_row_of_the_unfiltered_table(tmp_path, funder):
    """--funder DE counts z (FR:MI's, left out by the filter) in DE's paid;
    --funder FR:MI shows y and z as paid for others, and x in its paid."""
    got = _table(_journal(tmp_path / "o.toml"), funder=(funder,))
    assert got == {funder: WANT[funder]}


def test_funder_of_a_parent_account_and_depth(tmp_path):
    """--funder FR and UK at --depth 1: the rows FR and UK, as unfiltered."""
    path = _journal(tmp_path / "o.toml")
    cut = {k.split(":")[0]: v for k, v in WANT.items()}
    assert _table(path, depth=1) == cut
    assert _table(path, depth=1, funder=("FR", "UK")) == {k: cut[k] for k in ("FR", "UK")}


def _sheet(report: Path) -> dict[str, tuple[int, ...]]:
    """The workbook's By status: rows in pounds, outstanding worked out from
    its formula's cells (total − paid), and the Total row."""
    ws = openpyxl.load_workbook(report / "report.xlsx", read_only=True)["By status"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    head = list(next(r for r in rows if r and r[0] == "funder"))
    out = {}
    for r in rows[rows.index(tuple(head)) + 1:]:
        if not r or not r[0]:
            continue
        if r[0] == "Total":
            assert all(str(r[head.index(c)]).startswith("=SUM(") for c in COLS if c in head)
            continue
        d = dict(zip(head, r))
        assert str(d["outstanding"]).startswith("=")
        d["outstanding"] = Decimal(str(d["total"])) - Decimal(str(d["paid"]))
        out[str(r[0])] = tuple(int(Decimal(str(d.get(c, 0)))) for c in COLS)
    return out


@pytest.mark.parametrize("form", ["journal", "dataset"])
def test_the_workbook_of_a_journal_and_of_a_dataset(run_cli, tmp_path, form):
    """The dataset's links cross partitions (x in 2017 pays p of 2016; z in
    2018 pays kp of 2017, a phase of k of 2016)."""
    path = _journal(tmp_path / "o.toml") if form == "journal" else \
        _dataset(tmp_path / "o.parquet")
    for args, want in (((), WANT), (("--funder", "DE"), {"DE": WANT["DE"]}),
                       (("--funder", "UK"), {"UK:HO": WANT["UK:HO"]})):
        out = tmp_path / f"r{len(args)}{args[-1] if args else ''}"
        code, _, err = run_cli("report", str(path), "--out", str(out), "--currency", "GBP",
                               *args)
        assert code == 0, err
        assert _sheet(out) == want, args


def test_status_keeps_its_rule(run_cli, tmp_path):
    """--status as before (tests/reports/test_status_alone6.py): under
    --status disbursed, x, y and w count as themselves (their pledges are
    left out) on their own rows; under pledged nothing is paid; under spent,
    z counts as itself.  Under pledged and disbursed x and y pay pledges kept:
    on the pledges' rows (before: FR:MI paid £2m, outstanding -£1m); kp
    and z are left out, so DE has nothing paid.  The journal and the dataset
    agree."""
    wants = {("pledged",): {"DE": (4 * M, 0, 4 * M, 0), "FR:MI": (M, 0, M, 0),
                            "UK:HO": (3 * M, 0, 3 * M, 0)},
             ("disbursed",): {"FR:MI": (2 * M, 2 * M, 0, 0), "IT": (2 * M, 2 * M, 0, 0),
                              "UK:HO": (M, M, 0, 0)},
             ("spent",): {"FR:MI": (M // 2, M // 2, 0, 0)},
             ("pledged", "disbursed"): {"DE": (4 * M, 0, 4 * M, 0), "FR:MI": (M, M, 0, 2 * M),
                                        "IT": (2 * M, 2 * M, 0, 0),
                                        "UK:HO": (3 * M, 2 * M, M, M)}}
    # disbursed: w is within i, kept and paid itself: it adds nothing
    path, ds = _journal(tmp_path / "o.toml"), _dataset(tmp_path / "o.parquet")
    for status, want in wants.items():
        assert _table(path, status=status) == want, status
        out = tmp_path / ("r-" + "-".join(status))
        code, _, err = run_cli("report", str(ds), "--out", str(out),
                               *[a for s in status for a in ("--status", s)])
        assert code == 0, err
        assert _sheet(out) == want, status


# ---------------------------------------------------------------- property
FUNDERS = ("A", "B", "C:X", "C:Y")


@st.composite
def ledgers(draw):
    """Entries e0..en-1: a funder, a status, an amount, and a link (kind and
    an earlier entry) or none."""
    n = draw(st.integers(1, 8))
    out = []
    for i in range(n):
        link = None if i == 0 else draw(st.one_of(st.none(), st.tuples(
            st.sampled_from(("disburses", "part_of", "restates")), st.integers(0, i - 1))))
        out.append((draw(st.sampled_from(FUNDERS)), draw(st.integers(1, 9)),
                    draw(st.sampled_from(("pledged", "committed", "disbursed", "spent"))), link))
    return out


def by_hand(case) -> tuple[dict, dict]:
    """(per funder [total, paid, paid for others], per pledge what payments
    add to it), from the rule's words: an entry linking nowhere is a pledge
    (counted); it is paid when disbursed or spent; a payment (disburses or
    part of, disbursed or spent) lies within an entry further along its
    chain that is itself paid, else it pays the pledge its chain ends at."""
    def chain(i):
        out = []
        while case[i][3]:
            i = case[i][3][1]
            out.append(i)
        return out

    def paid_itself(i):
        funder, amount, status, link = case[i]
        return status in ("disbursed", "spent") and (not link or link[0] != "restates")
    rows: dict = defaultdict(lambda: [0, 0, 0])
    into: dict = defaultdict(int)
    for i, (funder, amount, _status, link) in enumerate(case):
        if not link:
            rows[funder][0] += amount
            if paid_itself(i):
                rows[funder][1] += amount
            continue
        if not paid_itself(i) or any(paid_itself(j) for j in chain(i)):
            continue
        pledge = chain(i)[-1]
        rows[case[pledge][0]][1] += amount
        into[pledge] += amount
        if case[pledge][0] != funder:
            rows[funder][2] += amount
    return rows, into


def _case_journal(case) -> str:
    text = '[ledger]\nname = "h"\ncurrency = "GBP"\n'
    for i, (funder, amount, status, link) in enumerate(case):
        # "about": a package may hold any parts (the package rule is not tested here)
        text += (f'\n[[entry]]\nid = "e{i}"\ndate = 2016-05-0{1 + i % 9}\nfunder = "{funder}"\n'
                 f'purpose = "P"\namount = "about £{amount}m"\nstatus = "{status}"\n')
        if link:
            text += f'{link[0]} = "e{link[1]}"\n'
    return text


@settings(max_examples=120, deadline=None)
@given(ledgers())
def test_rows_add_up_and_outstanding_is_never_negative(case):
    """Every funder's total, paid and paid for others are the walk's; the
    rows add up to the totals; outstanding ≥ 0 per funder when no pledge is
    paid beyond its amount."""
    want, into = by_hand(case)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "h.toml"
        path.write_text(_case_journal(case), encoding="utf-8")
        got = _table(path)
    m = {f: (t * M, p * M, (t - p) * M, o * M) for f, (t, p, o) in want.items() if t or p or o}
    assert {f: v for f, v in got.items() if any(v)} == m
    total = sum(case[i][1] for i in range(len(case)) if not case[i][3])
    assert sum(v[0] for v in got.values()) == total * M
    assert sum(v[2] for v in got.values()) == sum(v[0] - v[1] for v in got.values())
    paid_itself = [j for j in into if case[j][2] in ("disbursed", "spent")]
    assert not paid_itself       # a payment of a paid pledge lies within it
    if all(into[j] <= case[j][1] for j in into):      # no pledge paid beyond its amount
        assert all(v[2] >= 0 for v in got.values()), got


def _case_dataset(root: Path, case) -> Path:
    """A case as a dataset partitioned by year, entry i in 2016 + i % 3:
    a link often leads to another partition."""
    by_year: dict[str, list[dict]] = defaultdict(list)
    for i, (funder, amount, status, link) in enumerate(case):
        row = dict.fromkeys(COLUMNS, "")
        row.update(id=f"e{i}", date=f"{2016 + i % 3}-05-01", funder=funder, purpose="P",
                   amount=f"{amount}000000", currency="GBP", qualifier="about", status=status)
        if link:
            row[link[0]] = f"e{link[1]}"
        by_year[row["date"][:4]].append(row)
    for year, rows in by_year.items():
        (root / f"year={year}").mkdir(parents=True)
        pq.write_table(pa.table({c: [r[c] for r in rows] for c in COLUMNS}),
                       root / f"year={year}" / "part-0.parquet")
    return root


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ledgers())
def test_a_dataset_gives_the_journals_table(run_cli, case):
    """The status table of a dataset whose links cross partitions is the
    journal's, row for row, and the walk's."""
    # a dataset refuses a disbursement of a disbursement (disburses-disbursement)
    assume(not any(link and link[0] == "disburses" and case[link[1]][3]
                   and case[link[1]][3][0] == "disburses" for _, _, _, link in case))
    want, _ = by_hand(case)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "h.toml"
        path.write_text(_case_journal(case), encoding="utf-8")
        one = _table(path)
        code, _, err = run_cli("report", str(_case_dataset(root / "h.parquet", case)),
                               "--out", str(root / "r"))
        assert code == 0, err
        assert _sheet(root / "r") == one
    m = {f: (t * M, p * M, (t - p) * M, o * M) for f, (t, p, o) in want.items() if t or p or o}
    assert {f: v for f, v in one.items() if any(v)} == m


# ---------------------------------------------------------------- the page
def _page_rows(driver) -> dict[str, tuple[int, ...]]:
    """The page's By status table, in pounds (its buttons' exact minor units)."""
    heads = [th.text for th in driver.find_elements("css selector", "#by-status-table th")]
    out = {}
    for row in driver.find_elements("css selector", "#by-status-table tbody tr"):
        tds = row.find_elements("css selector", "td")
        minor = {h: int(td.find_element("css selector", "button.amt").get_attribute("data-minor"))
                 for h, td in zip(heads[1:], tds[1:])}
        out[tds[0].text] = tuple(minor.get(c, 0) // 100 for c in COLS)
    return out


@pytest.mark.parametrize("form", ["journal", "dataset"])
def test_the_page_in_the_browser(browser, run_cli, tmp_path, form):  # noqa: F811
    """The page's status table, unfiltered and under its Funder filter
    (FR:MI; DE; UK with FR), as the hand figures and the Total row."""
    from tests.reports.test_html import _choose, _open

    path = _journal(tmp_path / "o.toml") if form == "journal" else \
        _dataset(tmp_path / "o.parquet")
    code, _, err = run_cli("report", str(path), "--out", str(tmp_path / "r"), "--amounts",
                           "exact", "--currency", "GBP")
    assert code == 0, err
    _open(browser, tmp_path / "r" / "report.html")
    assert _page_rows(browser) == {**WANT, "Total": TOTAL}
    for chosen in (("FR:MI",), ("DE",), ("UK", "FR")):
        browser.find_element("id", "clear-filters").click()
        _choose(browser, "f", *chosen)
        rows = {f: v for f, v in WANT.items() if f.split(":")[0] in chosen or f in chosen}
        total = tuple(sum(v[k] for v in rows.values()) for k in range(4))
        assert _page_rows(browser) == {**rows, "Total": total}, chosen


def test_the_bulk_csv_gives_the_same(run_cli, tmp_path):
    """The same rows as one bulk CSV file: the journal's figures."""
    bulk = tmp_path / "o.csv"
    with open(bulk, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, COLUMNS)
        w.writeheader()
        for i, (date, funder, pounds, status, link) in ENTRIES.items():
            row = dict.fromkeys(COLUMNS, "")
            row.update(id=i, date=date, funder=funder, purpose="P", amount=str(pounds),
                       currency="GBP", status=status)
            if link:
                row[link[0]] = link[1]
            w.writerow(row)
    code, _, err = run_cli("report", str(bulk), "--out", str(tmp_path / "r"))
    assert code == 0, err
    assert _sheet(tmp_path / "r") == WANT
