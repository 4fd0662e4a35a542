"""ledger.model: the one Problem every producer uses."""
from __future__ import annotations

import dataclasses
import pickle

from ledger.imports.problem import dropped, import_problem, kind_of, where_of
from ledger.imports.table import reject, reject_line
from ledger.model import AUDIT, IMPORT, Problem, said
from ledger.read import read_book
from ledger.read.table import read_bulk
from ledger.sources.audit import finding


def test_a_problem_has_every_field_a_producer_needs():
    p = Problem("a.toml", 3, "uk-1", "amount is missing", "write one", "error", "missing-field",
                column=7, field="amount", details={"seen": 1})
    assert (p.file, p.line, p.entry, p.column, p.field, p.code, p.severity) == (
        "a.toml", 3, "uk-1", 7, "amount", "missing-field", "error")
    assert p.details == {"seen": 1}
    assert str(p) == ("a.toml:3: entry 'uk-1': error: amount is missing (hint: write one)")
    # details are particulars for output, not part of what the problem is
    same = dataclasses.replace(p, details=None)
    assert p == same and hash(p) == hash(same)
    assert p != dataclasses.replace(p, field="date")
    assert pickle.loads(pickle.dumps(p)) == p


def test_audit_findings_and_import_rejects_are_problems():
    """One class: what each producer adds is in the fields, and each prints
    its own line through ``said``."""
    f = finding("warning", "quote-not-found", "not in the text", entry_id="uk-1", doc="d.txt",
                line=4, column=9, details={"other": "uk-2"})
    assert type(f) is Problem
    assert (f.file, f.line, f.column, f.entry, f.details) == ("d.txt", 4, 9, "uk-1",
                                                               {"other": "uk-2"})
    assert said(f, AUDIT) == "warning: entry 'uk-1': d.txt:4:9: not in the text [quote-not-found]"
    assert pickle.loads(pickle.dumps(f)).details == {"other": "uk-2"}

    r = reject(5, "Amount", "amount is missing", raw="a,,c")
    assert type(r) is Problem
    assert (r.line, r.column, r.code, r.detail("raw")) == (5, "Amount", "import-reject", "a,,c")
    assert reject_line(r, "pledges.xlsx") == ("pledges.xlsx: row 5: column 'Amount': amount is "
                                              "missing")

    i = import_problem("flows.json", "flow 7", "no amount", "skip", 2)
    assert type(i) is Problem and i.severity == "warning" and dropped(i) == 2
    assert (kind_of(i), where_of(i), i.code) == ("skip", "flow 7", "import-skip")
    assert said(i, IMPORT) == "flows.json: flow 7: no amount"


def test_the_readers_name_the_field_at_fault(tmp_path):
    journal = tmp_path / "j.toml"
    journal.write_text('[[entry]]\nid = "e1"\ndate = 2020-01-01\nfunder = "UK"\n'
                       'purpose = "Aid"\nstatus = "promised"\n', encoding="utf-8")
    problems = read_book(journal, use_cache=False).problems
    assert {(p.code, p.field) for p in problems} >= {("missing-field", "amount"),
                                                     ("unknown-status", "status")}
    bulk = tmp_path / "b.csv"
    bulk.write_text("id,date,funder,purpose,amount,currency\ne1,2020-13-01,UK,Aid,5,GBP\n",
                    encoding="utf-8")
    _, problems = read_bulk(bulk)
    assert [(p.code, p.field, p.line) for p in problems if p.severity == "error"] == [
        ("bad-date", "date", 2)]
