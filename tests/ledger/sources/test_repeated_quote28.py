"""A quote a document says twice, cited by more counted entries than that
with locators that do not say which occurrence: at least one figure is
counted twice, whichever each means, and the audit says so once.  As many
entries as occurrences is no finding."""
from __future__ import annotations

from tests.ledger.sources.ledger16 import audited, ledger_of

DOC = ("Other\n\nIt will also give £3 million to Dunkirk. Later, £3 million to Dunkirk "
       "was confirmed.\n")


def _entry(eid: str, locator: str) -> str:
    return (f'[[entry]]\nid = "{eid}"\ndate = 2024-03-05\nfunder = "F{eid}"\n'
            f'purpose = "Aid:{eid}"\namount = "£3 million"\nstatus = "pledged"\n'
            f'  [[entry.source]]\n  doc = "d"\n  quote = "£3 million to Dunkirk"\n'
            f'  locator = "{locator}"\n\n')


def _twice(findings):
    return [f for f in findings if f["code"] == "same-figure-twice"]


def test_more_entries_than_occurrences_is_said(tmp_path, run_cli):
    book = ledger_of(tmp_path, run_cli, {"d.txt": DOC},
                     _entry("c", "line 3") + _entry("d", "") + _entry("i", "line 3"))
    _, findings = audited(run_cli, book)
    said = _twice(findings)
    assert len(said) == 1 and said[0]["entry"] == "i", findings
    assert "3 entries (c, d, i)" in said[0]["message"] and "2 times" in said[0]["message"]


def test_as_many_entries_as_occurrences_is_no_finding(tmp_path, run_cli):
    book = ledger_of(tmp_path, run_cli, {"d.txt": DOC}, _entry("c", "line 3") + _entry("d", ""))
    _, findings = audited(run_cli, book)
    assert not _twice(findings), findings
