"""ledger.model: the one Problem every producer uses."""
from __future__ import annotations

import pickle

from ledger.imports.common import Problem as ImportProblem
from ledger.imports.table import Reject
from ledger.model import Problem
from ledger.read.journal import load_journal
from ledger.read.table import read_bulk
from ledger.sources.audit import Finding


def test_a_problem_has_every_field_a_producer_needs():
    p = Problem("a.toml", 3, "uk-1", "amount is missing", "write one", "error", "missing-field",
                column=7, field="amount", details={"seen": 1})
    assert (p.file, p.line, p.entry, p.column, p.field, p.code, p.severity) == (
        "a.toml", 3, "uk-1", 7, "amount", "missing-field", "error")
    assert p.details == {"seen": 1}
    assert str(p) == ("a.toml:3: entry 'uk-1': error: amount is missing (hint: write one)")
    # details are particulars for output, not part of what the problem is
    assert p == p._replace(details=None) and hash(p) == hash(p._replace(details=None))
    assert p != p._replace(field="date")
    assert pickle.loads(pickle.dumps(p)) == p


def test_audit_findings_and_import_rejects_are_problems():
    f = Finding("warning", "quote-not-found", "not in the text", entry_id="uk-1", doc="d.txt",
                line=4, column=9, details={"other": "uk-2"})
    assert isinstance(f, Problem)
    assert (f.file, f.line, f.column, f.entry, f.details) == ("d.txt", 4, 9, "uk-1",
                                                               {"other": "uk-2"})
    assert str(f) == "warning: entry 'uk-1': d.txt:4:9: not in the text [quote-not-found]"
    assert pickle.loads(pickle.dumps(f)).details == {"other": "uk-2"}

    r = Reject(5, "Amount", "amount is missing", raw="a,,c")
    assert isinstance(r, Problem)
    assert (r.line, r.column, r.code, r.raw) == (5, "Amount", "import-reject", "a,,c")
    assert r.said("pledges.xlsx") == "pledges.xlsx: row 5: column 'Amount': amount is missing"
    assert r != Reject(5, "Amount", "amount is missing", raw="other")

    i = ImportProblem("flows.json", "flow 7", "no amount", "skip", 2)
    assert isinstance(i, Problem) and i.severity == "warning" and i.dropped == 2


def test_the_readers_name_the_field_at_fault(tmp_path):
    journal = tmp_path / "j.toml"
    journal.write_text('[[entry]]\nid = "e1"\ndate = 2020-01-01\nfunder = "UK"\n'
                       'purpose = "Aid"\nstatus = "promised"\n', encoding="utf-8")
    _, _, problems, _ = load_journal(journal)
    assert {(p.code, p.field) for p in problems} >= {("missing-field", "amount"),
                                                     ("unknown-status", "status")}
    bulk = tmp_path / "b.csv"
    bulk.write_text("id,date,funder,purpose,amount,currency\ne1,2020-13-01,UK,Aid,5,GBP\n",
                    encoding="utf-8")
    _, problems = read_bulk(bulk)
    assert [(p.code, p.field, p.line) for p in problems if p.severity == "error"] == [
        ("bad-date", "date", 2)]
