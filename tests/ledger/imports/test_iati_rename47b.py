"""The importer's citation of an entry is one thing everywhere
(``ledger.imports.rows.importer_citation``): the first citation, wherever
it sits, of an archived IATI file whose locator is the whole of one the
importer writes.  An entry the user typed citing the file in the user's
own words is the user's: a re-import leaves it and counts it as written.
A renamed entry with the user's citation first is still the item its
second names: updated in place, never added again.  Figures from the raw
XML (ElementTree), never from the importer."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import ledger
from tests.ledger.imports.test_iati_rename47 import C1, LOC_C1, _citing, _file, _import, _raw


def _counted(book: Path, status: str) -> Decimal:
    return sum((e.amount for e in ledger.load(book).entries
                if e.status == status and not any(t.startswith("not-counted") for t in e.tags)),
               Decimal(0))


def _doc(book: Path) -> str:
    (e,) = _citing(book, LOC_C1)
    return e.sources[0].doc


def test_a_users_pledge_citing_the_file_in_own_words_is_left_and_counted(tmp_path, run_cli):
    book = tmp_path / "led"
    v1 = _file(tmp_path, "v1.xml")
    _import(run_cli, v1, book)
    mine = "activity GB-1-100, transaction 'c1' (half of it)"
    code, _, err = run_cli("add", book, "--id", "my-pledge", "--date", "2020-02-01", "--funder",
                           "UK Gov", "--purpose", "Water:Kenya", "--amount", "200000",
                           "--currency", "GBP", "--status", "pledged", "--source", _doc(book),
                           "--locator", mine, "--quote",
                           '<value currency="GBP" value-date="2020-01-15">1000000</value>')
    assert code == 0, err
    before = (book / "iati.toml").read_bytes()
    err = _import(run_cli, v1, book)
    assert "0 new, 0 updated, 3 unchanged" in err and "my-pledge" not in err
    assert (book / "iati.toml").read_bytes() == before
    (e,) = [x for x in ledger.load(book).entries if x.id == "my-pledge"]
    assert not e.tags and e.amount == 200000
    assert _counted(book, "committed") + _counted(book, "pledged") == _raw(v1)["c1"] + 200000


def test_a_renamed_entry_citing_the_users_source_first_is_updated_in_place(tmp_path, run_cli):
    book = tmp_path / "led"
    _import(run_cli, _file(tmp_path, "v1.xml"), book)
    journal = book / "iati.toml"
    text = journal.read_text(encoding="utf-8").replace(f'"{C1}"', '"water-2020"')
    at = text.index('id = "water-2020"')
    src = text.index("[[entry.source]]", at)
    indent = text[text.rindex("\n", 0, src) + 1:src]
    own = (f'{indent}[[entry.source]]\n{indent}doc = "{_doc(book)}"\n'
           f'{indent}quote = "1000000"\n{indent}locator = "the commitment, as I read it"\n')
    journal.write_text(text[:text.rindex("\n", 0, src) + 1] + own + text[text.rindex("\n", 0, src) + 1:],
                       encoding="utf-8")
    code, out, err = run_cli("check", book)
    assert code == 0, out + err
    later = _file(tmp_path, "v2.xml", (">1000000<", ">1100000<"))
    err = _import(run_cli, later, book)
    assert "0 new, 1 updated" in err
    (e,) = _citing(book, LOC_C1)
    assert e.id == "water-2020" and e.amount == _raw(later)["c1"] == 1100000
    assert e.sources[0].locator == "the commitment, as I read it"
    assert _counted(book, "committed") == _raw(later)["c1"]
    assert {x.link("disburses") for x in ledger.load(book).entries
            if x.status == "disbursed"} == {"water-2020"}


def _restated(tmp_path: Path, run_cli, new: str) -> tuple[Path, Path]:
    """v1 imported, c1 renamed ``new`` with a restated of the user's, then
    v2 (c1 revised) imported."""
    book = tmp_path / "led"
    _import(run_cli, _file(tmp_path, "v1.xml"), book)
    journal = book / "iati.toml"
    head = f'id = "{new}"\n'
    text = journal.read_text(encoding="utf-8").replace(f'"{C1}"', f'"{new}"')
    journal.write_text(text.replace(head, head + 'restated = "US$1,300,000"  # my rate\n'),
                       encoding="utf-8")
    later = _file(tmp_path, "v2.xml", (">1000000<", ">1100000<"))
    err = _import(run_cli, later, book)
    assert "0 new, 1 updated" in err
    return book, later


def test_an_iati_entry_renamed_fts_keeps_the_users_restated(tmp_path, run_cli):
    # IATI never writes restated: the user's, whatever prefix the id has
    book, later = _restated(tmp_path, run_cli, "fts-990001")
    (e,) = _citing(book, LOC_C1)
    assert e.id == "fts-990001" and e.amount == _raw(later)["c1"]
    assert [(m.amount, m.currency) for m in e.restated] == [(1300000, "USD")]


def test_a_renamed_entrys_own_fields_stay_as_written(tmp_path, run_cli):
    book, later = _restated(tmp_path, run_cli, "water-2020")
    assert 'restated = "US$1,300,000"  # my rate\n' in (book / "iati.toml").read_text(
        encoding="utf-8")
    (e,) = _citing(book, LOC_C1)
    assert e.amount == _raw(later)["c1"]
