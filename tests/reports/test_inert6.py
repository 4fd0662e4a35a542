"""Source text stays inert in every CSV and JSON output and on a terminal.

A quote, a document title, a recipient and notes holding ESC, BEL, CR,
U+202E and a leading '=': every CSV cell gets the two guards of
docs/guarantees.md ("Data files keep the ledger's text as it is, bar those
two guards": a bidi control shown as ``\\u202e``, a formula prefix made
inert by an apostrophe); a JSON output holds no raw bidi control either (its
JSON escape reads back as the same text); a terminal's stdout gets none of
the control characters raw.  `audit --format csv/json` and `sources list`
wrote the bidi control raw."""
from __future__ import annotations

import csv
import io
import json
import re
import sys

import pytest

from ledger_tool.cli import main

HOSTILE = "=E\x1bX\x07B\rC\u202eD"
_TOML = '"=E\\u001bX\\u0007B\\rC\\u202eD"'
LEDGER = (
    '[ledger]\ncurrency = "GBP"\n\n'
    f'[[document]]\nid = "d1"\ntitle = {_TOML}\npath = "d1.txt"\n\n'
    '[[entry]]\nid = "e1"\ndate = 2014-09-20\nfunder = "UK:Home Office"\n'
    f'purpose = "Security:Port"\namount = "£12 million"\nrecipient = {_TOML}\n'
    f'notes = {_TOML}\n'
    f'  [[entry.source]]\n  doc = "d1"\n  quote = {_TOML}\n')
# what a CSV file keeps of HOSTILE: the bidi control shown, the '=' inert
IN_CSV = "'=E\x1bX\x07B\rC\\u202eD"
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# C0 but tab and newline, DEL, C1 and the bidi controls: what a terminal must not get
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def book(tmp_path):
    d = tmp_path / "b"
    (d / "sources").mkdir(parents=True)
    (d / "ledger.toml").write_text(LEDGER, encoding="utf-8")
    (d / "sources" / "d1.txt").write_text("The UK gives £12 million for the port.\n",
                                          encoding="utf-8")
    return d / "ledger.toml"


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]


COMMANDS = {
    "audit": (["audit", "{book}", "--format", "csv"], 1),
    "sources list": (["sources", "list", "{book}", "--format", "csv"], 0),
    "list": (["list", "{book}", "--format", "csv"], 0),
}
EXPORT = ["export", "{book}", "--to", "csv", "-o", "-"]


@pytest.mark.parametrize("what", list(COMMANDS))
def test_csv_on_stdout_shows_bidi_and_keeps_formulas_inert(run_cli, book, what):
    args, want = COMMANDS[what]
    code, out, err = run_cli(*[a.format(book=book) for a in args])
    assert code == want, err
    assert not BIDI.search(out)
    cells = _cells(out)
    assert not [c for c in cells if c.startswith("=")]
    # every hostile cell as the guards leave it (list carries no free text)
    hostile = [c for c in cells if "E\x1bX" in c]
    assert all(c == IN_CSV for c in hostile)
    if what != "list":
        assert hostile


def test_export_csv_shows_bidi_and_keeps_formulas_inert(run_cli, book):
    code, out, err = run_cli(*[a.format(book=book) for a in EXPORT])
    assert code == 0, err
    assert not BIDI.search(out)
    assert not [c for c in _cells(out) if c.startswith("=")]


def test_export_csv_quotes_a_carriage_return(run_cli, book, tmp_path):
    """pandas leaves a cell holding CR unquoted with "\\n" line ends: the
    row was cut in two there, and the import refused both halves."""
    code, out, err = run_cli(*[a.format(book=book) for a in EXPORT])
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert len(rows) == 2 and len(rows[1]) == len(rows[0]) and IN_CSV in rows[1]
    (tmp_path / "e.csv").write_bytes(out.encode("utf-8"))
    (tmp_path / "back").mkdir()
    code, _, err = run_cli("import", tmp_path / "e.csv", "-o", tmp_path / "back" / "b.toml")
    assert code == 0, err
    import ledger
    (e,) = ledger.load(tmp_path / "back" / "b.toml").entries
    # a quote holding CR is a JSON list in its cell (ledger.imports.cells), where the
    # bidi control shown as \u202e is its JSON escape: the quote reads back exactly
    assert e.sources[0].quote == HOSTILE


def test_the_reports_tables_keep_the_guards(run_cli, book, tmp_path):
    code, _, err = run_cli("report", book, "--out", tmp_path / "r")
    assert code == 0, err
    texts = {p.name: p.read_bytes().decode("utf-8") for p in (tmp_path / "r").glob("*.csv")}
    assert {"sources.csv", "entries.csv", "summary.csv"} <= set(texts)
    for name, text in texts.items():
        assert not BIDI.search(text), name
        assert not [c for c in _cells(text) if c.startswith("=")], name
    assert IN_CSV in _cells(texts["sources.csv"])


@pytest.mark.parametrize("args", [["audit", "{book}", "--format", "json"],
                                  ["sources", "list", "{book}", "--format", "json"],
                                  ["list", "{book}", "--format", "json"]])
def test_json_holds_no_raw_bidi_and_reads_back_the_text(run_cli, book, args):
    code, out, err = run_cli(*[a.format(book=book) for a in args])
    assert code in (0, 1), err
    assert not BIDI.search(out)
    data = json.loads(out)
    if args[0] != "list":       # the JSON escape is the same text
        assert HOSTILE in _strings(data)


def _strings(v) -> list[str]:
    if isinstance(v, dict):
        return [s for x in v.values() for s in _strings(x)]
    if isinstance(v, list):
        return [s for x in v for s in _strings(x)]
    return [v] if isinstance(v, str) else []


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("args", [["audit", "{book}", "--format", "csv"],
                                  ["audit", "{book}"],
                                  ["sources", "list", "{book}", "--format", "csv"],
                                  ["sources", "list", "{book}"],
                                  ["export", "{book}", "--to", "csv", "-o", "-"]])
def test_a_terminal_gets_no_control_character(monkeypatch, capsys, book, args):
    stream = _Tty()
    with capsys.disabled():
        monkeypatch.setattr(sys, "stdout", stream)
        code = main([a.format(book=str(book)) for a in args])
        monkeypatch.undo()
    shown = stream.getvalue()
    assert code in (0, 1)
    assert "E\\x1bX\\x07B" in shown and not RAW.search(shown.replace("\r\n", "\n"))


def test_a_datasets_export_csv_keeps_the_guards_and_its_rows(run_cli, book, tmp_path):
    """The dataset's export wrote its parts with pandas as the ledger's did:
    the CR cell unquoted (the row cut in two)."""
    with open(tmp_path / "e.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows([
            ["id", "date", "funder", "purpose", "amount", "doc", "quote"],
            ["e1", "2014-09-20", "UK:Home Office", "Security:Port", "£12 million", "d1",
             HOSTILE]])
    code, _, err = run_cli("import", tmp_path / "e.csv", "--to", tmp_path / "d.parquet")
    assert code == 0, err
    code, out, err = run_cli("export", tmp_path / "d.parquet", "--to", "csv", "-o", "-")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert len(rows) == 2 and len(rows[1]) == len(rows[0])
    quote = rows[1][rows[0].index("quote")]
    # (the dataset import reads the CR as a line feed: not this test's matter)
    # a quote with a line break is a JSON list in its cell (ledger.imports.cells):
    # it starts with '[', its control characters and bidi control JSON escapes
    assert [q.replace("\n", "\r") for q in json.loads(quote)] == [HOSTILE]
    assert not BIDI.search(out)
    assert not RAW.search(quote)
