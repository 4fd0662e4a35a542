"""Import, reading a CSV's malformed rows (ledger/imports/table.py
read_csv_rows): carried beside the frame, each refused with its row."""
from __future__ import annotations

import csv
import random
from decimal import Decimal

import pytest

from ledger.imports.table import import_table, read_csv_rows

HEADER = "id,date,funder,purpose,amount,currency"


def test_many_malformed_rows_ride_beside_the_frame_not_in_its_attrs(tmp_path):
    """Rows with a cell too many (an unquoted thousands comma), one in five:
    each is refused at its row, every other row imported with its amount
    (computed here from the lines written); their cells are not in the
    frame's ``attrs``, which pandas deep-copies on every operation (100,000
    rows, 20 % malformed: 22 -> 50 s)."""
    rng = random.Random(3)
    lines, good, bad = [HEADER], {}, []
    for k in range(300):
        amount = 1000 + k
        if rng.random() < 0.2:
            lines.append(f"e{k},2019-03-01,UK,P{k % 7},{amount // 1000},{amount % 1000:03d},GBP")
            bad.append(len(lines))
        else:
            lines.append(f"e{k},2019-03-01,UK,P{k % 7},{amount},GBP")
            good[f"e{k}"] = Decimal(amount)
    src = tmp_path / "m.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = import_table(src)
    assert {e.id: e.amount for e in res.entries} == good
    assert sorted(r.line for r in res.rejects) == bad and len(bad) > 30
    assert all("7 cells, the header has 6" in r.message for r in res.rejects)
    assert res.rows == 300
    assert not res.table.attrs
    got = read_csv_rows("\n".join(lines) + "\n")
    assert not got.frame.attrs
    assert [r for r, _, _ in got.malformed] == bad == sorted(got.cells)
    assert got.rows == [n for n in range(2, 302) if n not in bad]
    assert got.cells[bad[0]] == lines[bad[0] - 1].split(",")


def _rejects(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _write(tmp_path, *lines: str, name: str = "m.csv"):
    src = tmp_path / name
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src


def _said(err: str, row: int) -> list[str]:
    return [ln for ln in err.splitlines() if f": row {row}: " in ln]


@pytest.mark.parametrize("ids", [("s1", "s2"), ("1", "2")])
@pytest.mark.parametrize("id_last", [False, True])
def test_a_malformed_rows_message_names_the_id_it_was_given(tmp_path, run_cli, ids, id_last):
    """A row with a cell too many inside a split entry is given the entry's
    id (read at the id column from either side of the stray cell); its own
    message names it, as every other row's does, with -o and --to."""
    a, b = ids
    rows = [f"{a},2019-03-01,UK,Health,10,GBP", f"{a},2019-03-01,UK,Shelter,1,000,GBP",
            f"{a},2019-03-01,UK,Port,30,GBP", f"{b},2019-03-02,FR,Port,40,EUR"]
    header = HEADER
    if id_last:
        header = HEADER.split(",", 1)[1] + ",id"
        rows = [r.split(",", 1)[1] + "," + r.split(",", 1)[0] for r in rows]
    src = _write(tmp_path, header, *rows)
    code, _, err = run_cli("import", src, "-o", tmp_path / "j.toml")
    assert code == 0, err
    (line,) = _said(err, 3)
    extra = a if id_last else "GBP"     # the last cell, one too many
    assert line == (f"ledger-tool: import: {src}: row 3: entry {a!r}: 7 cells, the header has 6 "
                    f"(extra: {extra!r}); the row is left out whole, so no cell lands in the "
                    f"wrong column")
    code, _, err = run_cli("import", src, "--to", tmp_path / "d.parquet")
    assert code == 0 and f"row 3: entry {a!r}: 7 cells" in err, err
    reasons = {r["where"]: r["reason"] for r in _rejects(tmp_path / "d.parquet" / "_rejects.csv")}
    assert reasons["row 3"].startswith(f"entry {a!r}: 7 cells"), reasons


def test_a_malformed_row_without_an_id_is_said_as_before(tmp_path, run_cli):
    """No id column: nothing guessed, the message byte for byte as before."""
    src = _write(tmp_path, "date,funder,purpose,amount,currency", "2019-03-01,UK,Health,10,GBP",
                 "2019-03-02,UK,Shelter,1,000,GBP")
    code, _, err = run_cli("import", src, "-o", tmp_path / "j.toml")
    assert code == 0, err
    assert _said(err, 3) == [f"ledger-tool: import: {src}: row 3: 6 cells, the header has 5 "
                             f"(extra: 'GBP'); the row is left out whole, so no cell lands in "
                             f"the wrong column"]


@pytest.mark.parametrize("id_last", [False, True])
def test_an_unclosed_quote_is_said_as_one_and_its_entry_refused_at_it(tmp_path, run_cli, id_last):
    """A quote opened in a cell and never closed takes the rest of the file
    into that cell: the row says so, naming the lines it took, and its
    entry is refused at it (it was "4 cells, the header has 6", and with
    the id last the entry refused as rows "not next to each other")."""
    rows = ["s1,2019-03-01,UK,Health,10,GBP", 's1,2019-03-01,UK,"Shelter,20,GBP',
            "s1,2019-03-01,UK,Port,30,GBP", "s2,2019-03-02,FR,Port,40,EUR"]
    header = HEADER
    if id_last:
        header = HEADER.split(",", 1)[1] + ",id"
        rows = [r.split(",", 1)[1] + "," + r.split(",", 1)[0] for r in rows]
    src = _write(tmp_path, header, *rows)
    res = import_table(src)
    assert res.entries == []
    reasons = {r.line: r.message for r in res.rejects}
    assert sorted(reasons) == [2, 3]
    assert reasons[3] == ("unclosed quote in column 'purpose': the quote opening the cell is "
                          "never closed, so the rest of the file (lines 4-5) was read into it; "
                          "the row and the lines read into it are left out (close the quote, "
                          "or write a quote inside a cell as \"\")")
    assert "refused at row 3" in reasons[2]
    code, _, err = run_cli("import", src, "-o", tmp_path / "j.toml")
    assert code == 1 and "row 3: entry 's1': unclosed quote in column 'purpose'" in err, err
    assert "next to each other" not in err
    (bad,) = [r for r in _rejects(tmp_path / "j.rejects.csv") if r["row"] == "3"]
    assert bad["raw"].splitlines() == rows[1:]     # the lines it took, kept as read


def test_a_quote_closed_lines_below_does_not_swallow_rows_silently(tmp_path, run_cli):
    """A notes cell whose quote is closed two lines below, before other
    text, had the right number of cells: s1 was imported with s2's and
    s3's rows in its notes, and they were in neither the journal nor the
    rejects file. Now the row is refused, naming the lines it took."""
    header = HEADER + ",notes"
    src = _write(tmp_path, header, 's1,2019-03-01,UK,Health,10,GBP,"a note',
                 "s2,2019-03-02,FR,Port,40,EUR,x", 's3,2019-03-03,FR,Port,50,EUR,"b"',
                 "s4,2019-03-04,FR,Rail,60,EUR,")
    res = import_table(src)
    assert [e.id for e in res.entries] == ["s4"]
    (bad,) = res.rejects
    assert bad.line == 2 and bad.message.startswith(
        "unclosed quote in column 'notes': the quote opening the cell is closed only on line 4, "
        "before other text, so lines 3-4 were read into it;"), bad.message
    assert bad.detail("raw").splitlines()[1:] == ["s2,2019-03-02,FR,Port,40,EUR,x",
                                                  's3,2019-03-03,FR,Port,50,EUR,"b"']
    assert res.messages()[0].startswith(f"{src}: row 2: entry 's1': unclosed quote")


def test_quoted_cells_over_several_lines_are_read_as_before(tmp_path):
    """A quote closed where its cell ends, lines below, is a cell on several
    lines: kept; with a cell too many besides, the row is said as before."""
    header = HEADER + ",notes"
    src = _write(tmp_path, header, 's1,2019-03-01,UK,Health,10,GBP,"a note', 'on two lines"',
                 's2,2019-03-02,FR,Port,40,EUR,"say ""no""', 'twice"')
    res = import_table(src)
    assert not res.rejects, res.messages()
    assert [e.notes for e in res.entries] == ["a note\non two lines", 'say "no"\ntwice']
    src = _write(tmp_path, header, 's1,2019-03-01,UK,Health,1,000,GBP,"a note', 'on two lines"',
                 "s2,2019-03-02,FR,Port,40,EUR,", name="extra.csv")
    res = import_table(src)
    assert [e.id for e in res.entries] == ["s2"]
    assert [r.message for r in res.rejects] == [
        "8 cells, the header has 7 (extra: 'a note\\non two lines'); the row is left out whole, "
        "so no cell lands in the wrong column"]
