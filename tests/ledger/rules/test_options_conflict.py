"""Two files of one ledger whose [ledger] tables give one option two values:
an error per option at the later file's line, naming the first's (one of
them was kept unsaid: a folder's fiscal years were July's for an entry
whose own file said April, its report in EUR for a file that said GBP)."""
from __future__ import annotations

from decimal import Decimal

import pytest

import ledger
from ledger.rules.options import option_conflict

A = ('[ledger]\nname = "A"\ncurrency = "GBP"\nfiscal_year_start = "04-01"\n\n'
     '[[entry]]\nid = "a"\ndate = 2016-05-01\nfunder = "UK"\npurpose = "Hum"\n'
     'amount = "£3.65m"\nperiod = "2016-17"\n')
B = ('[ledger]\nname = "B"\ncurrency = "EUR"\nfiscal_year_start = "07-01"\n\n'
     '[[entry]]\nid = "b"\ndate = 2016-05-01\nfunder = "UK"\npurpose = "Sec"\n'
     'amount = "£1m"\n')


def _ledger(tmp_path, **files: str):
    folder = tmp_path / "led"
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


def test_two_files_disagreeing_are_refused_per_option(tmp_path, run_cli):
    led = _ledger(tmp_path, a=A, b=B)
    a, b = led / "a.toml", led / "b.toml"
    book = ledger.read_book(led)
    # the lines: name 2, currency 3, fiscal_year_start 4, in both files
    assert [(p.file, p.line, p.code, p.message) for p in book.errors] == [
        (str(b), 2, "option-conflict", f"option name 'B' disagrees with 'A' at {a}:2"),
        (str(b), 3, "option-conflict", f"option currency 'EUR' disagrees with 'GBP' at {a}:3"),
        (str(b), 4, "option-conflict",
         f"option fiscal_year_start '07-01' disagrees with '04-01' at {a}:4")]
    code, _, err = run_cli("check", led)
    assert code == 1 and "3 error(s)" in err, err
    assert f"{b}:3: error: option currency 'EUR' disagrees with 'GBP' at {a}:3" in err
    # no command counts the folder under one file's options
    code, out, err = run_cli("balance", led, "--currency", "GBP", "--by", "fiscal-year")
    assert code == 1 and not out, out
    # each file alone is a ledger of its own options: a's £3.65m in its 2016-17
    assert ledger.read_book(a).options["fiscal_year_start"] == "04-01"
    assert not ledger.read_book(b).errors


def test_files_giving_an_option_alike_agree(tmp_path):
    """The same value as commands read it: a currency in either case, a
    fiscal year start with or without leading zeros; one file's option
    alone, or given once, is the ledger's."""
    b = B.replace('name = "B"', 'name = "A"').replace('"EUR"', '"gbp"').replace(
        '"07-01"', '"4-1"')
    led = _ledger(tmp_path, a=A, b=b, c='[ledger]\nlocale = "en_GB"\n')
    book = ledger.read_book(led)
    assert not book.errors, [p.message for p in book.errors]
    assert (book.options["currency"], book.options["locale"]) == ("GBP", "en_GB")
    assert sorted((e.id, e.amount) for e in book.entries) == [
        ("a", Decimal(3_650_000)), ("b", Decimal(1_000_000))]


def test_the_third_file_is_told_the_first_files_line(tmp_path):
    led = _ledger(tmp_path, a=A, b=A.replace('id = "a"', 'id = "a2"'),
                  c='[ledger]\n\ncurrency = "USD"\n')
    (p,) = ledger.read_book(led).errors
    assert (p.file, p.line, p.message) == (
        str(led / "c.toml"), 3, f"option currency 'USD' disagrees with 'GBP' at {led / 'a.toml'}:3")


@pytest.mark.parametrize("key, value, first, clash", [
    ("fiscal_year_start", "--04-01", "4-1", False),
    ("fiscal_year_start", "10-01", "04-01", True),
    ("currency", "EUR", "GBP", True),
    ("archive", "sources", "sources", False),
    ("fiscal_year_start", "13-45", "04-01", False),   # refused on its own, not twice
])
def test_option_conflict(key, value, first, clash):
    assert bool(option_conflict(key, value, first, "a.toml:1")) is clash
