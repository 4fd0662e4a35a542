"""A restatement written inside the amount ("£1.4 million (2m Euros)",
docs/phrases.md) is recorded as ``restated``, as the ``restated`` field's
is, whatever the input: a journal, a spreadsheet import (its TOML and its
Parquet dataset), a bulk table.  One conversion per currency: the same one
given twice (the brackets and ``restated``) counts once; two that disagree
are an error at the entry's ``restated`` line naming both.

Figures by hand: £1.4 million restated as 2m Euros is €2,000,000.00 as
stated (``--valuation as-stated``), whatever the ECB rate of 2015-07-14."""
from __future__ import annotations

from decimal import Decimal

from ledger.model import Money
from ledger.read.journal_columns import read_journal_book
from ledger.read.table import read_bulk_book

HEAD = '[ledger]\ncurrency = "EUR"\n'
ENTRY = '''
[[entry]]
id = "{id}"
date = 2015-07-14
funder = "UK:Home Office"
purpose = "Security:{id}"
amount = "{amount}"
'''


def _journal(tmp_path, *entries: tuple[str, str, str]):
    """A ledger of entries (id, amount phrase, extra TOML lines)."""
    d = tmp_path / "book"
    d.mkdir()
    (d / "ledger.toml").write_text(HEAD + "".join(ENTRY.format(id=i, amount=a) + extra
                                                  for i, a, extra in entries), encoding="utf-8")
    return d


def _as_stated_total(run_cli, path) -> str:
    code, out, err = run_cli("balance", path, "--currency", "EUR", "--valuation", "as-stated")
    assert code == 0, err
    return next(line for line in out.splitlines() if line.startswith("(total)")).split()[-1]


def test_the_amounts_brackets_are_restated_as_the_field_is(tmp_path, run_cli):
    d = _journal(tmp_path, ("lorry", "£1.4 million (2m Euros)", ""),
                 ("field", "£1.4 million", 'restated = ["2m Euros"]\n'))
    book = read_journal_book(d)
    assert [p for p in book.problems if p.severity == "error"] == []
    eur = Money(Decimal(2000000), "EUR")
    assert book.entry("lorry").restated == (eur,)
    assert book.entry("field").restated == (eur,)
    assert _as_stated_total(run_cli, d) == "€4,000,000.00"


def test_brackets_and_restated_agreeing_count_once(tmp_path, run_cli):
    d = _journal(tmp_path, ("lorry", "£12 million (€15 million, $19 million)",
                            'restated = ["15 million euros", "$20m"]\n'))
    book = read_journal_book(d)
    bad = [p for p in book.problems if p.severity == "error"]
    # €15m agrees (once); $19m and $20m disagree: refused at restated's line (10)
    assert [(p.line, p.entry_id, p.code) for p in bad] == [(10, "lorry", "bad-restated")]
    assert "'USD 19000000'" in bad[0].message and "'$20m'" in bad[0].message
    (tmp_path / "agree").mkdir()
    d2 = _journal(tmp_path / "agree", ("lorry", "£12 million (€15 million, $19 million)",
                                       'restated = ["15 million euros", "$19m"]\n'))
    book = read_journal_book(d2)
    assert [p for p in book.problems if p.severity == "error"] == []
    assert book.entry("lorry").restated == (Money(Decimal(15000000), "EUR"),
                                            Money(Decimal(19000000), "USD"))
    assert _as_stated_total(run_cli, d2) == "€15,000,000.00"


def test_a_disagreement_is_one_line_and_exit_1(tmp_path, run_cli):
    d = _journal(tmp_path, ("lorry", "£1.4 million (2m Euros)", 'restated = ["€2.1m"]\n'))
    code, out, err = run_cli("check", d)
    assert code == 1
    line = next(x for x in (out + err).splitlines() if "error" in x)
    assert line.startswith(f"{d / 'ledger.toml'}:10: entry 'lorry': error: restated amounts "
                           "'EUR 2000000' and '€2.1m' disagree in EUR")


def test_a_spreadsheet_import_keeps_the_brackets(tmp_path, run_cli):
    s = tmp_path / "s.csv"
    s.write_text("id,date,funder,purpose,amount,currency\n"
                 "lorry,2015-07-14,UK:Home Office,Security:Lorry area,"
                 "£1.4 million (2m Euros),GBP\n", encoding="utf-8")
    book = tmp_path / "book"
    assert run_cli("init", book)[0] == 0
    code, out, err = run_cli("import", s, "-o", book / "imported.toml", "--dry-run")
    assert code == 0, err
    assert 'amount = "£1.4 million (2m Euros)"' in out
    assert run_cli("import", s, "-o", book / "imported.toml")[0] == 0
    assert _as_stated_total(run_cli, book) == "€2,000,000.00"
    code, _, err = run_cli("import", s, "--to", tmp_path / "d.parquet")
    assert code == 0, err
    assert _as_stated_total(run_cli, tmp_path / "d.parquet") == "€2,000,000.00"


def test_a_bulk_table_gives_one_conversion_per_currency(tmp_path):
    p = tmp_path / "b.csv"
    p.write_text("id,date,funder,purpose,amount,currency,restated\n"
                 "a,2015-07-14,UK,P1,1400000,GBP,EUR 2000000; 2m Euros\n"
                 "b,2015-07-14,UK,P2,1400000,GBP,EUR 2000000; EUR 2100000\n", encoding="utf-8")
    book = read_bulk_book(p)
    bad = [p for p in book.problems if p.severity == "error"]
    assert [(x.line, x.entry_id, x.code) for x in bad] == [(3, "b", "bad-restated")]
    assert book.entry("a").restated == (Money(Decimal(2000000), "EUR"),)
