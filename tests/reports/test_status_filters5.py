"""--status with --funder, --purpose and the dates: whether a linked entry
counts as itself is decided by statuses alone (reports/filters.py,
docs/reports.md "--status and linked entries"), so balance, report and the
page's filters agree for every combination, and under one --status the
funders' (purposes', years') totals add up to the --status total."""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path

import pytest

from tests.reports.test_html import browser  # noqa: F401  (a fixture)

M = 1_000_000
# id: (funder, purpose, date, £m, status, link, not counted)
ENTRIES = {
    "a": ("UK:HO", "P:X", "2020-03-01", 10, "pledged", None, False),
    "c": ("FR:MI", "P:Y", "2021-02-01", 4, "disbursed", ("disburses", "a"), False),
    "b": ("UK:HO", "P:X", "2021-05-01", 3, "committed", ("part_of", "a"), False),
    "d": ("UK:HO", "P:Y", "2021-06-01", 2, "disbursed", ("disburses", "b"), False),
    "e": ("FR:MI", "P:X", "2020-07-01", 1, "spent", ("disburses", "a"), True),
    "f": ("UK:HO", "P:Z", "2021-08-01", 5, "committed", None, False),
}
# by hand, under each --status: a and f link nowhere; b, c and d count as
# themselves when no entry their links lead to has a chosen status (c -> a,
# b -> a, d -> b -> a); e is tagged not counted and never counts
COUNTED = {
    ("pledged",): {"a"},
    ("committed",): {"b", "f"},
    ("disbursed",): {"c", "d"},
    ("spent",): set(),
    ("committed", "disbursed"): {"b", "c", "f"},     # d: b holds its money
    ("pledged", "disbursed"): {"a"},                 # c, d: a holds theirs
}
FUNDERS = (None, "UK", "FR")
PURPOSES = (None, "P:Y")
YEARS = (None, "2021")      # the page's year; on the command line --from/--to


def _journal() -> str:
    text = '[ledger]\nname = "s"\ncurrency = "GBP"\n'
    for i, (funder, purpose, date, m, status, link, uncounted) in ENTRIES.items():
        text += (f'\n[[entry]]\nid = "{i}"\ndate = {date}\nfunder = "{funder}"\n'
                 f'purpose = "{purpose}"\namount = "£{m} million"\nstatus = "{status}"\n')
        if link:
            text += f'{link[0]} = "{link[1]}"\n'
        if uncounted:
            text += 'tags = ["not-counted"]\n'
    return text


def _want(statuses, funder, purpose, year) -> int:
    """Pounds, from the table above."""
    return sum(ENTRIES[i][3] for i in COUNTED[statuses]
               if (funder is None or ENTRIES[i][0].split(":")[0] == funder)
               and (purpose is None or ENTRIES[i][1] == purpose)
               and (year is None or ENTRIES[i][2].startswith(year))) * M


def _cli_args(statuses, funder, purpose, year) -> list[str]:
    args = [a for s in statuses for a in ("--status", s)]
    args += ["--funder", funder] if funder else []
    args += ["--purpose", purpose] if purpose else []
    args += ["--from", f"{year}-01-01", "--to", f"{year}-12-31"] if year else []
    return args


def _balance(run_cli, ledger: Path, args) -> int:
    """The purposes' total of `balance` in pounds (0 when nothing is left)."""
    code, out, err = run_cli("balance", ledger, *args)
    assert code == 0, err
    line = [ln for ln in out.splitlines() if ln.startswith("Purposes")]
    if not line:
        assert "(nothing to show)" in out
        return 0
    return int(Decimal(line[0].split()[-1].lstrip("£").replace(",", "")))


@pytest.fixture
def ledger(tmp_path) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(_journal(), encoding="utf-8")
    return path


COMBOS = list(itertools.product(COUNTED, FUNDERS, PURPOSES, YEARS))


def test_balance_and_report_count_by_statuses_alone(ledger, run_cli):
    """The case recorded: --status disbursed --funder FR counted nothing,
    though --status disbursed counts c (FR's £4m) and --funder UK does not
    hold it either.  Now every combination gives the figure by hand, in
    balance and in the report's tables."""
    from ledger.errors import LedgerError
    from ledger.read import read_book
    from reports.tables import ReportOptions, build_report

    assert _balance(run_cli, ledger, ["--status", "disbursed", "--funder", "FR"]) == 4 * M
    book = read_book(ledger)
    for statuses, funder, purpose, year in COMBOS:
        want = _want(statuses, funder, purpose, year)
        assert _balance(run_cli, ledger, _cli_args(statuses, funder, purpose, year)) == want, \
            (statuses, funder, purpose, year)
        try:
            r = build_report(book, ReportOptions(
                currency="GBP", status=statuses, funder=(funder,) if funder else (),
                purpose=(purpose,) if purpose else (),
                start=dt.date(int(year), 1, 1) if year else None,
                end=dt.date(int(year), 12, 31) if year else None))
        except LedgerError:          # no entry kept: nothing to report
            got = Decimal(0)
        else:
            got = sum(r.summary["amount"], Decimal(0))
        assert got == want, (statuses, funder, purpose, year)


def test_page_filters_count_as_balance(browser, ledger, run_cli, tmp_path):  # noqa: F811
    """The page of the unfiltered report, filtered by status, funder,
    purpose and year, shows the figure by hand and `balance`'s for the same
    filters (the year as --from/--to: every amount here is one-off)."""
    from tests.reports.test_html import _choose, _open, _total

    code, _, err = run_cli("report", ledger, "--out", tmp_path / "r", "--amounts", "exact")
    assert code == 0, err
    _open(browser, tmp_path / "r" / "report.html")
    for statuses, funder, purpose, year in COMBOS:
        browser.find_element("id", "clear-filters").click()
        _choose(browser, "s", *statuses)
        for key, value in (("f", funder), ("p", purpose), ("y", year)):
            if value:
                _choose(browser, key, value)
        want = _want(statuses, funder, purpose, year)
        cli = _balance(run_cli, ledger, _cli_args(statuses, funder, purpose, year))
        assert (_total(browser), cli) == (want * 100, want), (statuses, funder, purpose, year)
