"""Import, reading a CSV's quotes and malformed rows (ledger/imports/table.py
read_csv_rows, _broken_quote, _malformed_ids): what is refused, and which
entry a refused row names."""
from __future__ import annotations

from ledger.imports.table import import_table

HEADER = "id,date,funder,purpose,amount,currency"


def _write(tmp_path, *lines: str, name: str = "q.csv", end: str = "\n"):
    src = tmp_path / name
    src.write_text("\n".join(lines) + end, encoding="utf-8")
    return src


def _said(err: str) -> list[str]:
    return [ln.split(": ", 3)[3] for ln in err.splitlines() if ": row " in ln
            and "warning" not in ln]


def test_a_malformed_rows_guessed_id_is_never_its_date(tmp_path, run_cli):
    """A row short of its id cell read '2019-03-01' at the id column and
    named it as its entry, and the row below, a cell too many, took that
    date as a nearby id. A date is never an id, nor a cell on two lines; a
    row a cell too many names no id unless one is in the file; a row short
    of cells names its first cell only when its date column holds a date."""
    src = _write(tmp_path, HEADER, "e1,2019-03-01,UK,Health,100,GBP", "e2,2019-03-01,UK",
                 "e9,2019-03-02,FR,Port,5,EUR", name="short.csv")
    code, _, err = run_cli("import", src, "-o", tmp_path / "short.toml")
    (tmp_path / "short.toml").unlink()
    assert code == 0 and _said(err) == ["row 3: entry 'e2': 3 cells, the header has 6; the row "
                                        "is left out whole, so no cell lands in the wrong "
                                        "column"], err
    src = _write(tmp_path, HEADER, "e1,2019-03-01,UK,Health,100,GBP",
                 "2019-03-01,UK,Health,10,GBP", "e3,2019-03-01,UK,Health,1,000,GBP",
                 '"note', 'across",2019-03-01,UK,Health,10,GBP,x')
    code, _, err = run_cli("import", src, "-o", tmp_path / "j.toml")
    assert code == 0, err
    assert _said(err) == [
        "row 3: 5 cells, the header has 6; the row is left out whole, so no cell lands in "
        "the wrong column",
        "row 4: 7 cells, the header has 6 (extra: 'GBP'); the row is left out whole, so no "
        "cell lands in the wrong column",
        "row 5: 7 cells, the header has 6 (extra: 'x'); the row is left out whole, so no "
        "cell lands in the wrong column"]
    res = import_table(src)
    assert [e.id for e in res.entries] == ["e1"]


def test_spaces_after_a_closing_quote_are_harmless_on_one_line_or_several(tmp_path):
    """A quoted cell on two lines with a space after its closing quote was
    refused as "closed only on line 4, before other text" (the same cell on
    one line was kept): both are kept, with the text inside the quotes;
    a quote closed lines below before other text is still refused."""
    header = HEADER + ",notes"
    src = _write(tmp_path, header, 'e1,2019-03-01,UK,Health,100,GBP,"one line" ',
                 'e2,2019-03-01,UK,Health,200,GBP,"two', 'lines" \t',
                 'e3,2019-03-01,UK,Health,300,GBP,"say ""no""', 'twice"  ',
                 "e4,2019-03-01,UK,Health,400,GBP,ok")
    res = import_table(src)
    assert not res.rejects, res.messages()
    assert [(e.id, e.notes) for e in res.entries] == [
        ("e1", "one line"), ("e2", "two\nlines"), ("e3", 'say "no"\ntwice'), ("e4", "ok")]
    src = _write(tmp_path, header, 'e1,2019-03-01,UK,Health,100,GBP,"a note',
                 "e2,2019-03-01,UK,Health,200,GBP,x", 'e3,2019-03-01,UK,Health,300,GBP," b"  c',
                 "e4,2019-03-01,UK,Health,400,GBP,ok", name="swallow.csv")
    res = import_table(src)
    assert [e.id for e in res.entries] == ["e4"]
    assert [(r.line, r.message.split(";")[0]) for r in res.rejects] == [
        (2, "unclosed quote in column 'notes': the quote opening the cell is closed only on "
            "line 4, before other text, so lines 3-4 were read into it")]


def test_a_quote_left_open_on_the_last_line_is_refused(tmp_path, run_cli):
    """A quote opened on the file's last line and never closed imported its
    row with the rest of the line as the cell, and said nothing: with or
    without a final newline, the row is refused as an unclosed quote, as
    one opened above the last line is."""
    header = HEADER + ",notes"
    for end in ("", "\n", "\r\n"):
        src = _write(tmp_path, header, "e1,2019-03-01,UK,Health,100,GBP,ok",
                     'e2,2019-03-01,UK,Health,200,GBP,"never closed', end=end,
                     name=f"last{len(end)}.csv")
        out = tmp_path / f"last{len(end)}.toml"
        code, _, err = run_cli("import", src, "-o", out)
        assert code == 0, err
        assert _said(err) == [
            "row 3: entry 'e2': unclosed quote in column 'notes': the quote opening the cell "
            "is never closed: the file ends inside it; the row is left out (close the quote, "
            "or write a quote inside a cell as \"\")"], err
        out.unlink()
        res = import_table(src)
        assert [e.id for e in res.entries] == ["e1"]
        assert [r.line for r in res.rejects] == [3]
    # a quote closed on the last line is a cell, as anywhere else
    src = _write(tmp_path, header, 'e1,2019-03-01,UK,Health,100,GBP,"closed" ', end="",
                 name="closed.csv")
    assert [(e.id, e.notes) for e in import_table(src).entries] == [("e1", "closed")]
