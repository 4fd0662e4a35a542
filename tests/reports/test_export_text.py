"""The hledger, beancount and Fiscal Data Package exports written from the
Book's columns (reports/export_text.py, reports/fdp.py) give, byte for byte,
the texts the entry-by-entry writer gave before them.

The expectations in tests/fixtures/export_text/expected/ were written by that
earlier writer (commit 459f9b3; the by-year beancount texts since gained two
header lines, the tolerance bean-check needs: see test_export; the recorded
texts since carry each foreign posting's @@ cost: test_export_years4; the hostile
hledger texts keep "[Calais] port" whole since: hledger reads brackets inside
a name as text, test_journal_names3; the hledger texts by year tag a one-off
with its year too, and the recorded
ones advise -X as worked out on each: test_export_years14, test_export_advice14;
the hledger texts write tags `name: value`, which ledger 3 reads too, and
advise 'not:tag:^secondary$': test_export_tags23)
on the example
ledger, a generated ledger
(benchmarks/generate.py, 60 entries, seed 7; also read from its bulk Parquet,
which records no amount text) and a hostile ledger (quotes with quote marks,
line breaks and tabs; commas in tags and document ids; brackets and double
spaces in accounts; linked entries; an open-ended amount per year).  Small
chunks make every chunk boundary of the streaming writer meet a transaction.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import ledger
from reports import export, export_text, fdp
from tests.conftest import FIXTURES, generate_module

FIX = FIXTURES / "export_text"
EXPECTED = FIX / "expected"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("generated60")
    generate_module().write(d, 60, seed=7, parquet=True)
    return d


def _ledgers(example_ledger, generated):
    return {"calais": example_ledger, "generated": generated,
            "generated-parquet": generated / "entries.parquet", "hostile": FIX / "hostile"}


def _expected(name: str) -> str:
    return (EXPECTED / name).read_text(encoding="utf-8")


@pytest.fixture(params=[None, 3], ids=["one-chunk", "chunks-of-3"])
def chunks(request, monkeypatch):
    if request.param:
        monkeypatch.setattr(export_text, "CHUNK_ENTRIES", request.param)
        monkeypatch.setattr(fdp, "CHUNK_ROWS", request.param)
    return request.param


@pytest.mark.parametrize("fmt", ["hledger", "beancount"])
@pytest.mark.parametrize("basis", ["total", "recorded"])
def test_journal_texts_equal_the_earlier_writer(example_ledger, generated, chunks, fmt, basis):
    for name, path in _ledgers(example_ledger, generated).items():
        want = EXPECTED / f"{name}.{basis}.{fmt}"
        if not want.exists():
            continue
        book = ledger.load(path)
        got = getattr(export, fmt)(book, currency="GBP", basis=basis)
        assert got == want.read_text(encoding="utf-8"), (name, basis, fmt)


def test_fiscal_years_and_the_written_file(example_ledger, chunks, tmp_path):
    book = ledger.load(example_ledger)
    assert export.hledger(book, currency="GBP", years="fiscal-uk") == \
        _expected("calais.fiscal-uk.hledger")
    out = tmp_path / "calais.journal"      # the streaming path to the atomic file
    n = export.write(book, "hledger", out, currency="GBP", basis="total")
    text = out.read_bytes().decode("utf-8")
    assert text == _expected("calais.total.hledger")
    assert n == sum(1 for line in text.splitlines() if line[:4].isdigit() and " (" in line)


def test_fdp_csv_equals_the_earlier_writer(example_ledger, generated, chunks, tmp_path):
    for name, path in _ledgers(example_ledger, generated).items():
        want = EXPECTED / f"{name}.fdp.csv"
        if not want.exists():
            continue
        out = tmp_path / name
        n = fdp.write_fdp(ledger.load(path), out, currency="GBP")
        got = (out / fdp.CSV_NAME).read_bytes().decode("utf-8")
        assert got == want.read_text(encoding="utf-8"), name
        assert n == got.count("\n") - 1


def test_hostile_text_stays_inert():
    """A quote or an amount as written cannot end its comment line or start
    a directive; the expectations above hold the same texts."""
    text = export.hledger(ledger.load(FIX / "hostile"), currency="GBP")
    lines = text.splitlines()
    assert not any(ln.startswith(("2016-01-01 *", "P 2016")) for ln in lines)
    assert '    ;   “£1,234,567.891 "quoted" 2016-01-01 * injected tab”' in lines
    bean = export.beancount(ledger.load(FIX / "hostile"), currency="GBP")
    assert '  quote: "£1,234,567.891 \\"quoted\\" 2016-01-01 * injected tab"' in bean.splitlines()


def test_minor_units_formatting():
    got = export_text.minor_text([0, 5, -5, 123456, -100, 7], [2, 2, 2, 2, 0, 3]).to_pylist()
    assert got == ["0.00", "0.05", "-0.05", "1234.56", "-100", "0.007"]
    assert fdp.plain_text([120000, 150, 0, -1205], [2, 2, 2, 2]).to_pylist() == \
        ["1200", "1.5", "0", "-12.05"]


def test_rows_found_by_id_when_the_spread_is_not_in_entry_order(example_ledger, generated,
                                                                monkeypatch):
    """The spread's rows are matched to entries by their order when it keeps
    it, else by id: both give the same text."""
    ids = export_text._strings(["a", "b", "c"])
    assert export_text._rows_in_order(ids, export_text._strings(["a", "a", "b", "c"])) \
        .tolist() == [0, 0, 1, 2]
    assert export_text._rows_in_order(ids, export_text._strings(["b", "a", "c"])) is None
    monkeypatch.setattr(export_text, "_rows_in_order", lambda ids, spread_ids: None)
    for name, path in (("calais", example_ledger), ("generated", generated)):
        got = export.hledger(ledger.load(path), currency="GBP")
        assert got == _expected(f"{name}.total.hledger"), name
