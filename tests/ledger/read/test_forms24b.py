"""One ledger with a problem of every kind the rules word per entry, as a
bulk CSV (a part a row) and as a journal (one row per entry, its parts in
the splits table): the rule engine says the same of each entry, whatever
the form (issue 24).  The messages are written out by hand."""
from __future__ import annotations

from ledger.read import read_book

HEAD = "id,date,funder,purpose,amount,currency,status,qualifier,period,restated,sources,disburses"
# (id, date, funder, purpose, amount, status, qualifier, period, restated, sources, disburses)
ROWS = [
    ("a", "2016-01-01", "UK:Home Office", "Health", "1000", "pledged", "exact", "", "", "d", ""),
    ("b", "2016-01-02", "UK::Home", "Health", "1000", "pledged", "exact", "", "", "d", ""),
    ("e", "2016-01-05", "UK:Home Office", "Health", "1000", "promised", "exact", "", "", "d", ""),
    ("f", "2016-01-06", "UK:Home Office", "Health", "1000", "pledged", "roughly", "", "", "d", ""),
    ("g", "2016-01-07", "UK:Home Office", "Health", "1000", "pledged", "exact", "over ever", "",
     "d", ""),
    ("i", "2016-01-09", "UK:Home Office", "Health", "1000", "pledged", "exact", "", "EUR lots",
     "d", ""),
    ("j", "2016-01-10", "UK:Home Office", "Health", "1000", "pledged", "exact", "", "", "", ""),
    ("k", "2016-01-11", "UK:Home Office", "Health", "1000", "pledged", "exact", "", "", "d", "zz"),
    ("m", "2016-01-12", "UK:Home Office", "Health", "1000", "pledged", "exact", "", "", "d", "m"),
    ("n", "2016-02-30", "UK:Home Office", "Health:A", "400", "pledged", "exact", "", "", "d", ""),
    ("n", "2016-02-30", "UK:Home Office", "", "600", "pledged", "exact", "", "", "d", ""),
    ("p", "2016-01-14", "UK:Home Office", "Health:B", "300", "pledged", "exact", "", "", "d", ""),
    ("p", "2016-01-14", "UK:Home Office", "Health:B", "-3", "pledged", "exact", "", "", "d", ""),
]

EXPECTED = {
    ("b", "error", "funder 'UK::Home' is not a valid account name"),
    ("e", "error", "unknown status 'promised'"),
    ("f", "error", "unknown qualifier 'roughly'"),
    ("g", "error", "period: cannot understand period 'over ever'; write e.g. 'one-off', "
                   "'a year', 'a year for 3 years', 'over 18 months', "
                   "'from 2015-01-01 to 2016-12-31' or 'fiscal year 2021-22'"),
    ("i", "error", "restated: no amount found in 'EUR lots' (write e.g. '£12 million' or "
                   "'twelve million pounds')"),
    ("j", "warning", "no source: every figure should cite a document"),
    ("k", "error", "disburses names a missing entry 'zz'"),
    ("m", "error", "disburses links the entry to itself"),
    ("n", "error", "date not a valid date: '2016-02-30' (use YYYY-MM-DD)"),
    ("n", "error", "split needs a purpose"),
    ("p", "warning", "split purpose 'Health:B' is named by an earlier part of the entry too: "
                     "both amounts are counted under it"),
    ("p", "error", "split amount for 'Health:B' must be a positive number"),
}


def _bulk(path):
    lines = [HEAD] + [",".join((*r[:5], "GBP", *r[5:])) for r in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _journal(path):
    """The same entries as a journal: an id of several rows is one entry
    with a [[entry.split]] table per row, its amount their sum."""
    out = ['[[document]]\nid = "d"\ntitle = "t"\n']
    ids = list(dict.fromkeys(r[0] for r in ROWS))
    for eid in ids:
        parts = [r for r in ROWS if r[0] == eid]
        r = parts[0]
        t = ["[[entry]]", f'id = "{eid}"', f'date = "{r[1]}"', f'funder = "{r[2]}"']
        if len(parts) == 1:
            t += [f'purpose = "{r[3]}"', f'amount = "{r[4]} GBP"']
        else:
            t.append(f'amount = "{sum(int(p[4]) for p in parts if int(p[4]) > 0)} GBP"')
        t += [f'status = "{r[5]}"', f'qualifier = "{r[6]}"']
        if r[7]:
            t.append(f'period = "{r[7]}"')
        if r[8]:
            t.append(f'restated = ["{r[8]}"]')
        if r[10]:
            t.append(f'disburses = "{r[10]}"')
        if len(parts) > 1:
            for p in parts:
                t.append("\n[[entry.split]]")
                if p[3]:
                    t.append(f'purpose = "{p[3]}"')
                t.append(f'amount = "{p[4]}"')   # in the entry's currency
        if r[9]:
            t.append('\n[[entry.source]]\ndoc = "d"\nquote = "x"')
        out.append("\n".join(t) + "\n")
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def _said(book):
    return {(p.entry_id, p.severity, p.message) for p in book.problems if p.entry_id}


def test_the_bulk_form_says_each_problem(tmp_path):
    book = read_book(_bulk(tmp_path / "l.csv"))
    assert _said(book) == EXPECTED
    # each row at its own line: n's date on both of its rows, its part
    # without a purpose at its row; p's second row
    at = {(p.entry_id, p.message.split(":")[0], p.line) for p in book.problems}
    assert {("n", "date not a valid date", 11), ("n", "date not a valid date", 12),
            ("n", "split needs a purpose", 12),
            ("p", "split amount for 'Health", 14)} <= at
    assert sorted(book.frame()["id"].unique()) == ["a", "j"]   # j: a warning


def test_the_journal_form_says_the_same(tmp_path):
    path = _journal(tmp_path / "l.toml")
    book = read_book(path)
    assert _said(book) == EXPECTED
    text = path.read_text(encoding="utf-8").splitlines()

    def line_of(p):
        return text[p.line - 1].strip()

    at = {(p.entry_id, p.message[:20]): line_of(p) for p in book.problems}
    # an entry's field at its key, a part's problem at its table or key
    assert at["n", "date not a valid dat"] == 'date = "2016-02-30"'
    assert at["n", "split needs a purpos"] == "[[entry.split]]"
    assert at["p", "split amount for 'He"] == 'amount = "-3"'
    assert at["p", "split purpose 'Healt"] == 'purpose = "Health:B"'
    # the journal keeps an entry whose error is between entries (k, m), as
    # its entry reader did; the rest are refused
    assert sorted(book.frame()["id"].unique()) == ["a", "j", "k", "m"]
