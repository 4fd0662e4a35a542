"""``export -o -``: on a terminal the ledger's free text is shown inert
(``\\x1b``), never sent as an escape code; to a pipe the output is the
file's bytes, ``> out.csv`` equal to ``-o out.csv`` (docs/guarantees.md).
Data files keep the ledger's text (bar bidi controls, shown as ``\\u202e``,
and formula prefixes, made inert)."""
from __future__ import annotations

import csv
import io
import re
import sys

import pytest

from ledger_tool.cli import main

ESC_RED = "\x1b[31mRED\x1b[0m"
LEDGER = (
    '[ledger]\ncurrency = "GBP"\n\n'
    '[[document]]\nid = "d1"\ntitle = "T"\npublisher = "P"\npublished = 2020-01-01\n\n'
    '[[entry]]\nid = "e1"\ndate = 2020-01-01\nfunder = "UK"\npurpose = "Aid"\n'
    'amount = "£100"\nrecipient = "\\u001b[31mRED\\u001b[0m @rec"\n'
    'notes = "n \\u001b[31mRED\\u001b[0m \\u202eX"\n'
    '  [[entry.source]]\n  doc = "d1"\n  quote = "=1+1 \\u001b[31mRED\\u001b[0m \\u202eX"\n'
    '  locator = "@loc \\u001b[31mRED\\u001b[0m"\n')
# the quote as each format writes it (a beancount string doubles the backslash)
QUOTE = {"csv": "=1+1 " + ESC_RED + " \\u202eX",    # on an hledger comment line '[3' is '［3'
         "hledger": "=1+1 " + ESC_RED.replace("[", "\uff3b") + " \\u202eX",
         "beancount": "=1+1 " + ESC_RED + " \\\\u202eX"}
# C0 but tab and newline, DEL, C1 and the bidi controls: what a terminal must not get
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class _Stream(io.TextIOWrapper):
    """A text stdout over bytes, a terminal or not."""

    def __init__(self, tty: bool):
        super().__init__(io.BytesIO(), encoding="utf-8", newline="\n")
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty

    def data(self) -> bytes:
        self.flush()
        return self.buffer.getvalue()


def _stdout(monkeypatch, capsys, ledger_dir, fmt: str, tty: bool) -> bytes:
    stream = _Stream(tty)
    with capsys.disabled():
        monkeypatch.setattr(sys, "stdout", stream)
        code = main(["export", str(ledger_dir), "--to", fmt, "-o", "-"])
        monkeypatch.undo()
    assert code == 0
    return stream.data()


@pytest.fixture
def ledger_dir(tmp_path):
    d = tmp_path / "inj"
    d.mkdir()
    (d / "ledger.toml").write_text(LEDGER, encoding="utf-8")
    return d


@pytest.mark.parametrize("fmt", ["csv", "hledger", "beancount"])
def test_a_pipe_gets_the_files_bytes(tmp_path, run_cli, monkeypatch, capsys, ledger_dir, fmt):
    out = tmp_path / f"out.{fmt}"
    code, _, err = run_cli("export", ledger_dir, "--to", fmt, "-o", out)
    assert code == 0, err
    piped = _stdout(monkeypatch, capsys, ledger_dir, fmt, tty=False)
    assert piped == out.read_bytes()
    text = piped.decode("utf-8")
    assert QUOTE[fmt] in text     # the quote kept, its bidi control shown
    assert "\u202e" not in text


def test_the_csv_file_keeps_the_text(tmp_path, run_cli, ledger_dir):
    out = tmp_path / "out.csv"
    assert run_cli("export", ledger_dir, "--to", "csv", "-o", out)[0] == 0
    row = next(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert (row["quote"], row["locator"], row["recipient"], row["notes"]) == (
        "'=1+1 " + ESC_RED + " \\u202eX", "'@loc " + ESC_RED, ESC_RED + " @rec",
        "n " + ESC_RED + " \\u202eX")


@pytest.mark.parametrize("fmt", ["csv", "hledger", "beancount"])
def test_a_terminal_gets_no_escape_code(tmp_path, monkeypatch, capsys, ledger_dir, fmt):
    piped = _stdout(monkeypatch, capsys, ledger_dir, fmt, tty=False).decode("utf-8")
    shown = _stdout(monkeypatch, capsys, ledger_dir, fmt, tty=True).decode("utf-8")
    assert not RAW.search(shown)
    assert QUOTE[fmt].replace("\x1b", "\\x1b") in shown
    # only the control characters differ: the same lines, the same text around them
    assert shown.count("\n") == piped.count("\n")
    assert shown == piped.replace("\x1b", "\\x1b")


def test_a_terminal_keeps_joiners_and_soft_hyphens(tmp_path, monkeypatch, capsys):
    """Persian's zero-width non-joiner, an emoji's joiner and a PDF's soft
    hyphen are text, shown as written; a carriage return (which would
    overwrite the line) is not."""
    text = "می\u200cخواهم \U0001F469\u200d\U0001F467 fi\u00adnancement"
    d = tmp_path / "l"
    d.mkdir()
    (d / "ledger.toml").write_text(LEDGER.replace(
        'notes = "n \\u001b[31mRED\\u001b[0m \\u202eX"',
        f'notes = "{text} \\r back"'), encoding="utf-8")
    shown = _stdout(monkeypatch, capsys, d, "csv", tty=True).decode("utf-8")
    assert f"{text} \\x0d back" in shown
