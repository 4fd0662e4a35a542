"""A split part's amount phrase with a period or qualifier of its own: a part
is its share of the entry's amount in the entry's terms, so one that says
otherwise is an error at the part's line (it was dropped unsaid: "£4 million
a year for 3 years" counted £4m once, "up to £6 million" counted as exact),
whatever the input: a journal's [[entry.split]], an import's split rows."""
from __future__ import annotations

import csv
import io
import textwrap
from decimal import Decimal

import pytest

import ledger

HEAD = '[ledger]\nname = "split-phrase"\ncurrency = "GBP"\n\n'


def _entry(eid: str, amount: str, parts: list[tuple[str, str]], more: str = "") -> str:
    text = (f'[[entry]]\nid = "{eid}"\ndate = 2016-03-03\nfunder = "UK"\n'
            f'amount = "{amount}"\n{more}')
    for purpose, share in parts:
        text += f'  [[entry.split]]\n  purpose = "{purpose}"\n  amount = "{share}"\n'
    return text + "\n"


def _balance(run_cli, path) -> dict[str, Decimal]:
    code, out, err = run_cli("balance", path, "--currency", "GBP", "--format", "csv")
    assert code == 0, err
    return {r["account"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
            if r["account"]}


def test_a_part_with_its_own_period_or_qualifier_is_an_error_at_its_line(tmp_path, run_cli):
    # the hunt's ledger: a one-off £10m whose Hum share is "£4m a year for 3
    # years"; "£10m over 2 years" whose Sec share is "up to £6m"; beside a
    # good entry whose figures stand alone
    text = (HEAD + _entry("s", "£10 million", [("Sec", "£6 million"),
                                               ("Hum", "£4 million a year for 3 years")])
            + _entry("t", "£10 million over 2 years", [("Sec", "up to £6 million"),
                                                       ("Hum", "£4 million")])
            + _entry("ok", "£3 million", [("Sec", "£1 million"), ("Hum", "£2 million")]))
    path = tmp_path / "j.toml"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    hum = lines.index('  amount = "£4 million a year for 3 years"') + 1
    sec = lines.index('  amount = "up to £6 million"') + 1
    book = ledger.read_book(path)
    assert [(p.line, p.entry_id, p.code, p.field, p.message) for p in book.errors] == [
        (hum, "s", "period-contradicts", "split",
         "split for 'Hum': amount '£4 million a year for 3 years' has the period "
         "'per year for 3 years', the entry 'one-off'"),
        (sec, "t", "qualifier-contradicts", "split",
         "split for 'Sec': amount 'up to £6 million' is 'up to', the entry 'exact'")]
    assert [e.id for e in book.entries] == ["ok"]
    code, _, err = run_cli("check", path)
    assert code == 1 and f"j.toml:{hum}: entry 's': error: split for 'Hum'" in err, err
    assert "2 error(s)" in err
    # no total counts Hum's £4m once, nor Sec's "up to" as exact
    code, out, err = run_cli("balance", path, "--currency", "GBP")
    assert code == 1 and not out and "2 error(s)" in err, err


@pytest.mark.parametrize("amount, more, share", [
    ("£10 million over 2 years", "", "£6 million over 2 years"),     # the entry's own period
    ("£10 million", 'period = "over 2 years"\n', "£6 million over 2 years"),  # as stated
    ("£10 million a year for 2 years", "", "£6 million a year"),      # said less precisely
    ("£10 million in 2016-17", "", "£6 million in fiscal year 2016-17"),
    ("up to £10 million", "", "up to £6 million"),                     # the entry's qualifier
    ("£10 million", 'qualifier = "about"\n', "about £6 million"),     # as stated
    ("£10 million over 2 years", "", "£6 million"),                    # no terms: the entry's
    ("up to £10 million", "", "about £6 million"),   # the source rounding its share
])
def test_a_part_restating_its_entrys_terms_is_kept(tmp_path, run_cli, amount, more, share):
    path = tmp_path / "j.toml"
    path.write_text(HEAD + _entry("e", amount, [("Sec", share), ("Hum", "£4 million")], more),
                    encoding="utf-8")
    book = ledger.read_book(path)
    assert not book.errors, [p.message for p in book.errors]
    (e,) = book.entries
    assert [(s.purpose, s.amount) for s in e.splits] == [("Sec", Decimal(6_000_000)),
                                                         ("Hum", Decimal(4_000_000))]
    # counted in the entry's terms: £6m and £4m, a year for 2 years when it says so
    years = 2 if "a year for 2" in amount else 1
    got = _balance(run_cli, path)
    assert (got["Purposes:Sec"], got["Purposes:Hum"]) == (Decimal(6_000_000 * years),
                                                          Decimal(4_000_000 * years))


@pytest.mark.parametrize("amount, more, share, said", [
    # a stated period the part's does not restate
    ("£10 million", 'period = "over 2 years"\n', "£6 million over 3 years",
     "has the period 'over 3 years', the entry 'over 2 years'"),
    ("£10 million over 2 years", "", "£6 million a year",
     "has the period 'per year', the entry 'over 2 years'"),
    ("£10 million a year", "", "£6 million a year for 3 years",
     "has the period 'per year for 3 years', the entry 'per year'"),
    # a qualifier the entry does not have
    ("up to £10 million", "", "at least £6 million", "is 'at least', the entry 'up to'"),
    ("about £10 million", "", "up to £6 million", "is 'up to', the entry 'about'"),
    ("£10 million", 'qualifier = "at least"\n', "up to £6 million",
     "is 'up to', the entry 'at least'"),
])
def test_a_part_contradicting_its_entrys_terms_is_refused(tmp_path, amount, more, share, said):
    path = tmp_path / "j.toml"
    path.write_text(HEAD + _entry("e", amount, [("Sec", share), ("Hum", "£4 million")], more),
                    encoding="utf-8")
    book = ledger.read_book(path)
    assert [p.entry_id for p in book.errors] == ["e"]
    assert said in book.errors[0].message, book.errors[0].message
    assert not book.entries


def test_an_imported_split_row_with_its_own_period_is_refused(tmp_path, run_cli):
    """A spreadsheet in the export's shape (one row per purpose, the entry's
    amount on each) whose share carries a period: refused at its row, the
    entry's other row with it; a share with the entry's qualifier is kept."""
    src = tmp_path / "e.csv"
    src.write_text(textwrap.dedent("""\
        id,date,funder,purpose,amount,currency,entry_amount
        s,2016-03-03,UK,Sec,£6 million,,£10 million
        s,2016-03-03,UK,Hum,£4 million a year for 3 years,,£10 million
        u,2016-04-04,FR,Sec,up to £6 million,,up to £10 million
        u,2016-04-04,FR,Hum,£4 million,,up to £10 million
        """), encoding="utf-8")
    out = tmp_path / "out" / "j.toml"
    code, _, err = run_cli("import", src, "-o", out)
    assert code == 0, err
    assert ("e.csv: row 3: column 'purpose': entry 's': split for 'Hum': amount "
            "'£4 million a year for 3 years' has the period 'per year for 3 years', "
            "the entry 'one-off'") in err, err
    with open(tmp_path / "out" / "j.rejects.csv", newline="", encoding="utf-8") as fh:
        assert [r["row"] for r in csv.DictReader(fh)] == ["2", "3"]
    (u,) = ledger.load(out).entries
    assert (u.id, u.qualifier, u.amount) == ("u", "up to", Decimal(10_000_000))
    assert [(s.purpose, s.amount) for s in u.splits] == [("Sec", Decimal(6_000_000)),
                                                         ("Hum", Decimal(4_000_000))]


def test_a_bulk_tables_parts_take_plain_numbers_only(tmp_path):
    """A bulk table's part rows (one id on rows next to each other) have a
    plain-number amount column: a phrase with terms cannot be written there."""
    src = tmp_path / "b.csv"
    src.write_text("id,date,funder,purpose,amount,currency\n"
                   "s,2016-03-03,UK,Sec,6000000,GBP\n"
                   "s,2016-03-03,UK,Hum,up to 4000000,GBP\n", encoding="utf-8")
    book = ledger.read_book(src)
    assert [(p.line, p.code) for p in book.errors] == [(3, "bad-amount")]
    assert not book.entries


def test_an_entry_whose_amount_cannot_be_read_says_that_alone(tmp_path):
    """Its period and qualifier are not known: its parts' phrases are not
    held against an "exact", one-off guess."""
    path = tmp_path / "j.toml"
    path.write_text(HEAD + _entry("e", "up to £10 zillion a year",
                                  [("Sec", "up to £6 million a year"), ("Hum", "£4 million")]),
                    encoding="utf-8")
    book = ledger.read_book(path)
    assert [(p.entry_id, p.code, p.field) for p in book.errors] == [("e", "bad-amount",
                                                                      "amount")]
