"""A spreadsheet entry over several rows (a split entry, a part per row):
the rules' problem of a part is at that part's row, known by its line
(ledger/imports/rows.py check_records ``part_lines``), never by finding the
part's purpose or share in the message's text."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from ledger.imports.rows import check_records
from ledger.imports.table import import_table

HEADER = ["id", "date", "funder", "purpose", "amount", "currency"]
EXPORT_HEADER = HEADER + ["amount_text", "entry_amount"]


def _csv(path: Path, rows, header=HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def _bad_share(text: str) -> bool:
    """A share the split rules refuse, by the cell alone: not above zero."""
    try:
        return Decimal(text) <= 0
    except InvalidOperation:
        return True


def _rows_at_fault(rows: list[list[str]], first_row: int = 2) -> list[int]:
    """The spreadsheet rows whose share the rules refuse, from the cells."""
    return [first_row + i for i, r in enumerate(rows) if _bad_share(r[4])]


@pytest.mark.parametrize("bad", ["-3", "0"])
@pytest.mark.parametrize("at", [0, 1, 2])
def test_a_bad_share_is_said_at_its_row_when_the_purposes_read_alike(tmp_path, bad, at):
    """Three rows of one entry naming one purpose: the message of the bad
    share names that purpose, which is every row's, so only the row's line
    tells which row is at fault (the message's text chose the first row)."""
    rows = [["s1", "2019-03-01", "UK", "Health", share, "GBP"] for share in ("10", "20", "30")]
    rows[at][4] = bad
    src = _csv(tmp_path / "s.csv", rows + [["s2", "2019-03-02", "FR", "Port", "40", "EUR"]])
    res = import_table(src)
    assert [e.id for e in res.entries] == ["s2"]
    reasons = {r.line: r.message for r in res.rejects}
    fault, = _rows_at_fault(rows)
    assert sorted(reasons) == [2, 3, 4]
    assert "split amount for 'Health'" in reasons[fault]
    for r in {2, 3, 4} - {fault}:
        assert reasons[r].endswith(f"refused at row {fault}"), reasons


def test_a_message_naming_another_rows_purpose_stays_at_its_own_row(tmp_path):
    """The second row's purpose holds the first row's, quoted: its message
    names both, and the first row is not the one at fault."""
    rows = [["s1", "2019-03-01", "UK", "Port", "5", "GBP"],
            ["s1", "2019-03-01", "UK", "Shelter 'Port'", "-3", "GBP"]]
    res = import_table(_csv(tmp_path / "s.csv", rows))
    assert res.entries == []
    reasons = {r.line: r.message for r in res.rejects}
    assert "'Port'" in reasons[3] and "must be a positive number" in reasons[3]
    assert reasons[2].endswith("refused at row 3")


def test_each_row_without_a_purpose_is_refused_for_it(tmp_path):
    """Rows 3 and 4 of an entry name no purpose: each is at fault (the same
    words for both, which the message's text could not place: they went to
    row 2, which names one)."""
    rows = [["s1", "2019-03-01", "UK", "Health", "10", "GBP"],
            ["s1", "2019-03-01", "UK", "", "20", "GBP"],
            ["s1", "2019-03-01", "UK", "", "30", "GBP"]]
    res = import_table(_csv(tmp_path / "s.csv", rows))
    reasons = {r.line: r.message for r in res.rejects}
    assert sorted(reasons) == [2, 3, 4]
    assert reasons[2].endswith("refused at row 3")
    assert "purpose" in reasons[3] and "purpose" in reasons[4]
    assert reasons[3] == reasons[4]


def test_the_exports_rows_of_one_purpose_are_its_first_rows_part(tmp_path):
    """As the export writes a split entry (one row per purpose and year, the
    entry's amount on each): a purpose over two rows is one part, at its
    first row; the bad purpose after it is said at its own row, though its
    message names the other's purpose too."""
    rows = [["s1", "2019-03-01", "UK", "Port", "10", "GBP", "40", "40", "2019"],
            ["s1", "2019-03-01", "UK", "Port", "10", "GBP", "40", "40", "2020"],
            ["s1", "2019-03-01", "UK", "Shelter 'Port'", "-3", "GBP", "40", "40", "2019"],
            ["s1", "2019-03-01", "UK", "Health", "33", "GBP", "40", "40", "2019"]]
    res = import_table(_csv(tmp_path / "s.csv", rows, EXPORT_HEADER + ["year"]))
    reasons = {r.line: r.message for r in res.rejects}
    assert sorted(reasons) == [2, 3, 4, 5]
    assert "\"Shelter 'Port'\" must be a positive number" in reasons[4], reasons
    assert all(reasons[r].endswith("refused at row 4") for r in (2, 3, 5)), reasons


def test_the_rejects_file_names_the_row_at_fault(tmp_path, run_cli):
    rows = [["s1", "2019-03-01", "UK", "Health", "10", "GBP"],
            ["s1", "2019-03-01", "UK", "Health", "-1", "GBP"]]
    src = _csv(tmp_path / "s.csv", rows + [["s2", "2019-03-02", "FR", "Port", "40", "EUR"]])
    for args, rejects in ((["-o", tmp_path / "j.toml"], tmp_path / "j.rejects.csv"),
                          (["--to", tmp_path / "D.parquet"], tmp_path / "D.parquet" / "_rejects.csv")):
        code, _, err = run_cli("import", src, *args)
        assert code == 0, err
        assert f"{src}: row 3: column 'purpose': entry 's1': split amount for 'Health'" in err
        listed = list(csv.DictReader(io.StringIO(rejects.read_text(encoding="utf-8"))))
        reasons = {int(r["row"] if "row" in r else re.search(r"row (\d+)", r["where"])[1]):
                   r["reason"] for r in listed}
        assert "split amount for 'Health'" in reasons[3], listed
        assert reasons[2].endswith("refused at row 3"), listed


def _record(split: list[dict]) -> dict:
    return {"id": "a", "date": dt.date(2019, 3, 1), "funder": "UK", "amount": "6",
            "currency": "GBP", "split": split}


def test_check_records_words_a_part_at_its_line_and_knows_it_as_the_records():
    """``part_lines``: a part's problem (the rules', or the reader's for an
    amount it cannot read) is at the part's line, and the record is refused
    for it; without them, at the record's line."""
    ok = {"id": "b", "date": dt.date(2019, 3, 1), "funder": "UK", "purpose": "P",
          "amount": "1", "currency": "GBP"}
    by_rules = _record([{"purpose": "P", "amount": "7"}, {"purpose": "Q", "amount": "-1"}])
    by_reader = _record([{"purpose": "P", "amount": "3"}, {"purpose": "Q", "amount": "x y"}])
    for bad in (by_rules, by_reader):
        got = check_records([ok, bad], [2, 5], name="in.csv", part_lines=[[], [5, 6]])
        assert got.accepted == [0]
        assert 6 in {p.line for p in got.problems[1]}, got.problems
        assert {p.line for p in got.problems[1]} <= {5, 6}
        plain = check_records([ok, bad], [2, 5], name="in.csv")
        assert plain.accepted == [0] and {p.line for p in plain.problems[1]} == {5}
