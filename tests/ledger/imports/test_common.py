"""What the IATI and FTS readers share: entry replacement in place, the
package rule, data-file figures for the audit, magnitudes."""
from __future__ import annotations

import datetime as dt
import gc
import json
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import ledger
from ledger.model import Entry, Money
from ledger.imports.common import (data_figure, data_figures, few_collections,
                                replace_entries)
from tests.conftest import FIXTURES

JOURNAL = """# my notes, kept
[[document]]
id = "d"

[[entry]]
id = "a"   # first
date = 2016-01-01
funder = "F"
purpose = "P"
amount = "£1m"

[[entry]]
id = "b"
date = 2016-01-02
funder = "F"
purpose = "P"
amount = "£2m"
  [[entry.source]]
  doc = "d"

# between b and c
[[entry]]
id = "c"
date = 2016-01-03
funder = "F"
purpose = "P"
amount = "£3m"
"""


def test_replace_entries_keeps_everything_else_byte_for_byte(tmp_path):
    f = tmp_path / "j.toml"
    f.write_bytes(JOURNAL.encode())
    line_b = JOURNAL.splitlines().index("id = \"b\"")     # the header is the line before
    new = replace_entries(f, {line_b: '[[entry]]\nid = "b"\ndate = 2016-01-02\nfunder = "F"\n'
                                      'purpose = "P"\namount = "£2.5m"\n'}).decode()
    assert new.replace('amount = "£2.5m"\n', 'amount = "£2m"\n  [[entry.source]]\n  doc = "d"\n') \
        == JOURNAL
    import ledger
    f.write_text(new, encoding="utf-8")
    got = {e.id: e.amount for e in ledger.load(f).entries}
    assert got == {"a": Decimal("1e6"), "b": Decimal("2.5e6"), "c": Decimal("3e6")}


def _entry(amount, currency, restated=()):
    return Entry("x", dt.date(2016, 1, 1), "F", "P", Decimal(amount), currency,
                 restated=tuple(Money(Decimal(a), c) for a, c in restated))


def test_data_figures_read_xml_values_and_fts_keys():
    e = _entry("1000000", "GBP")
    assert data_figures('<value value-date="2016-05-01">1000000</value>', e) == \
        [Money(Decimal(1000000), "GBP")]
    assert data_figure('<value currency="EUR" value-date="2016-05-01">1000000</value>', e) \
        .startswith("the data says 1000000 EUR")
    fts = _entry("100000000", "EUR", [("112060000", "USD")])
    q = '"amountUSD": 112060000, "originalAmount": 100000000, "originalCurrency": "EUR"'
    assert set(data_figures(q, fts)) == {Money(Decimal(112060000), "USD"),
                                         Money(Decimal(100000000), "EUR")}
    assert data_figure(q, fts) is None
    assert "carries no figure" in data_figure("<value/>", e)


def test_magnitudes_use_the_ledger_s_one_bound():
    from ledger.limits import magnitude_problem

    assert magnitude_problem(Decimal("123456789012345.12")) == ""
    assert magnitude_problem(Decimal("1e16")) and magnitude_problem(Decimal("1e-13"))


def test_replace_the_last_entry_of_a_crlf_file(tmp_path):
    f = tmp_path / "j.toml"
    f.write_bytes(JOURNAL.replace("\n", "\r\n").encode())
    line_c = JOURNAL.splitlines().index("id = \"c\"")
    new = replace_entries(f, {line_c: '[[entry]]\nid = "c"\ndate = 2016-01-03\nfunder = "F"\n'
                                      'purpose = "P"\namount = "£4m"\n'})
    assert new == JOURNAL.replace('"£3m"', '"£4m"').replace("\n", "\r\n").encode()


# ------------------------------------------------------------------ the one guard
def test_archive_copy_never_writes_through_a_link_out_of_the_archive(tmp_path, run_cli):

    import pytest

    from ledger.errors import LedgerError
    from ledger.imports.common import archive_copy, file_sha256, source_document

    src = FIXTURES / "iati" / "activities-v2.xml"
    doc = source_document(src, file_sha256(src), "iati")
    archive, outside = tmp_path / "book" / "sources", tmp_path / "outside.txt"
    archive.mkdir(parents=True)
    outside.write_text("keep me", encoding="utf-8")
    (archive / doc["path"]).symlink_to(outside)
    with pytest.raises(LedgerError, match="outside"):
        archive_copy(src, archive, doc)
    assert outside.read_text(encoding="utf-8") == "keep me"
    # from the command line: one line, exit 1, nothing written
    code, _, err = run_cli("import", "--from", "iati", src, "-o", tmp_path / "book")
    assert code == 1 and "outside" in err and "Traceback" not in err
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "book" / "iati.toml").exists()


def test_data_files_and_names_files_are_read_only_from_regular_files(tmp_path, run_cli):
    import os

    fifo = tmp_path / "flows.json"
    os.mkfifo(fifo)
    for kind in ("iati", "fts"):
        code, _, err = run_cli("import", "--from", kind, fifo, "-o", tmp_path / "book")
        assert code == 1 and "FIFO" in err and "Traceback" not in err, err
    deep = tmp_path / "names.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    src = FIXTURES / "iati" / "activities-v2.xml"
    code, _, err = run_cli("import", "--from", "iati", src, "--names", deep,
                           "-o", tmp_path / "book")
    assert code == 1 and "nest" in err and "Traceback" not in err, err


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.text(), max_size=4), st.dates()))
def test_import_values_are_written_as_tomlkit_writes_them(value):
    import tomlkit

    from ledger.edit import _value

    assert _value(value) == tomlkit.item(value).as_string()


def test_few_collections_restores_the_collector_even_on_error():
    before = gc.get_threshold()
    try:
        with few_collections(12_345):
            assert gc.get_threshold()[0] == 12_345
            assert gc.get_freeze_count() > 0
            raise KeyError("x")
    except KeyError:
        pass
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def _no_entry(monkeypatch) -> None:
    """``Entry.__init__`` made to raise, until ``monkeypatch.undo()``."""
    def refused(self, *args, **kwargs):
        raise AssertionError("an Entry was made")
    monkeypatch.setattr(Entry, "__init__", refused)


def test_a_reimport_with_updates_makes_no_entry(tmp_path, run_cli, monkeypatch):
    """A whole IATI re-import reads the ledger's entries, pairs the items
    read again with them, withdraws those the file no longer gives,
    compares and keeps the user's edits, on their rows of the Book's
    tables (``EntryRow``): no ``Entry`` is made from the start of the
    command (issue 24).  The later statement changes a transaction and a
    budget (paired again by content) and drops transaction #12; the
    user's tag, note, field, comment and citation stay."""
    from tests.ledger.imports.test_iati_user_edits31 import BUDGET, TX, _edited, _later, _raw

    book = _edited(tmp_path, run_cli)
    later = _later(tmp_path)
    text = later.read_text(encoding="utf-8")
    last = text.rindex("<transaction>")
    text = text[:last] + text[text.index("</transaction>", last) + len("</transaction>"):]
    later.write_text(text, encoding="utf-8")
    gone = "iati-gb-chc-265464-zai00598-0-t-12"
    assert f'id = "{gone}"' in (book / "iati.toml").read_text(encoding="utf-8")
    _no_entry(monkeypatch)
    code, _, err = run_cli("import", "--from", "iati", later, "-o", book)
    monkeypatch.undo()
    assert code == 0, err
    assert "0 new, 3 updated, 9 unchanged" in err
    assert f"updated {TX} (" in err and "amount 140995 -> 150995" in err
    assert f"updated {BUDGET} (" in err
    assert f"entry {gone!r} (" in err and "tagged not-counted-withdrawn" in err
    assert f"updated {gone} (" in err
    tx, _ = _raw(later)
    text = (book / "iati.toml").read_text(encoding="utf-8")
    at = text.index(f'id = "{TX}"\n')
    entry = text[at:text.index("[[entry]]", at)]
    assert f'amount = "{tx[3]}"' in entry and ">150995<" in entry
    assert 'location = "Goma"  # my own research\n# checked with the partner\n' in entry
    assert 'doc = "myrep"' in entry and "seen in the annual report" in entry
    assert '"wash"' in entry
    at = text.index(f'id = "{gone}"\n')
    entry = text[at:text.index("[[entry]]", at)]
    assert '"not-counted-withdrawn"' in entry and 'amount = "33792"\ncurrency = "GBP"\n' in entry


def _fts_flow(fid: str, version: int, usd: int, recipient: str = "Partner") -> dict:
    return {"id": fid, "versionId": version, "status": "paid", "date": "2020-03-01T00:00:00Z",
            "amountUSD": usd, "boundary": "incoming", "onBoundary": "single",
            "sourceObjects": [{"type": "Organization", "id": "1", "name": "Donor"}],
            "destinationObjects": [{"type": "Location", "id": "2", "name": "Chad"},
                                   {"type": "UsageYear", "id": "2020", "name": "2020"},
                                   {"type": "Organization", "id": "3", "name": recipient}]}


def test_an_fts_reimport_with_a_tie_a_zero_and_a_flow_left_out_makes_no_entry(
        tmp_path, run_cli, monkeypatch):
    """A whole FTS re-import compares the ledger's entries on their rows
    (``EntryRow``), no ``Entry`` made (issue 24): flow 901 again at the
    same version, its recipient renamed (a tie: the ledger's copy stays),
    902 given as 0 by a newer version (withdrawn, kept whole), 903 not
    listed (said), 904 unchanged."""
    def page(name: str, flows: list[dict]) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps({"meta": {"count": len(flows)}, "data": {"flows": flows}}),
                        encoding="utf-8")
        return path

    first = page("first.json", [_fts_flow("901", 2, 700), _fts_flow("902", 1, 500),
                                _fts_flow("903", 1, 300), _fts_flow("904", 1, 100)])
    second = page("second.json", [_fts_flow("901", 2, 700, "Renamed"), _fts_flow("902", 2, 0),
                                  _fts_flow("904", 1, 100)])
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "fts", first, "-o", book)
    assert code == 0, err
    _no_entry(monkeypatch)
    code, _, err = run_cli("import", "--from", "fts", second, "-o", book)
    monkeypatch.undo()
    assert code == 0, err
    assert "1 flow of the same version as the ledger's differ" in err and "(fts-901)" in err
    assert "entry 'fts-902' (" in err and "gives it as 0" in err
    assert "1 flow(s) of the ledger for location 2 (Chad) year 2020" in err and "fts-903" in err
    got = {e.id: (e.amount, e.recipient, "not-counted-withdrawn" in e.tags)
           for e in ledger.load(book).entries}
    assert got == {"fts-901": (700, "Partner", False), "fts-902": (500, "Partner", True),
                   "fts-903": (300, "Partner", False), "fts-904": (100, "Partner", False)}
