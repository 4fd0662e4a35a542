"""One pledge entered twice: entries whose citations read one figure at one
place of a document, and entries of related funders with the same amount
(exactly) close in time or within the other's period."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ledger.model import Entry, Link, Money
from ledger.phrases.money import parse_amount
from ledger.phrases.period import parse_period
from ledger.sources.audit import check_double_counting
from tests.conftest import line_col
from tests.ledger.sources.ledger16 import audited, example_with, ledger_of

DECLARATION = (
    "The Home Office gives £12 million (€15 million) over three years to the port.\n"
    "\n"
    "A further £1.4 million goes to lorry parks.\n"
    "\n"
    "The Fund gives £3 million to parks and £4 million to ports.\n"
)


def _toml(eid, date, funder, amount, quote, *extra):
    lines = [f'id = "{eid}"', f"date = {date}", f'funder = "{funder}"',
             'purpose = "Security:Port"', f'amount = "{amount}"', *extra]
    return ("\n[[entry]]\n" + "\n".join(lines)
            + f'\n  [[entry.source]]\n  doc = "decl"\n  quote = "{quote}"\n')


ENTRIES = "".join([
    _toml("declared", "2014-09-20", "UK:Home Office", "£12 million",
          "£12 million (€15 million) over three years", 'period = "over 3 years"',
          'restated = ["€15 million"]'),
    # its restatement, quoted on its own, by a sibling funder: the same money
    _toml("dup-eur", "2014-11-05", "UK:Government", "€15 million", "€15 million",
          'period = "over 3 years"'),
    # the same £12m a year on, quoted inside the declaration's passage
    _toml("again", "2015-07-30", "UK:Home Office", "£12 million", "£12 million"),
    # linked, so not counted: left out, as possible-double-count leaves it
    _toml("restating", "2015-08-01", "UK:Home Office", "£12 million",
          "£12 million (€15 million)", 'restates = "declared"'),
    _toml("lorries", "2015-07-14", "UK:Home Office", "£1.4 million", "A further £1.4 million"),
    # one passage, two figures: each entry its own
    _toml("parks", "2015-01-01", "Fund", "£3 million",
          "The Fund gives £3 million to parks and £4 million to ports"),
    _toml("ports", "2015-01-01", "Fund", "£4 million", "£4 million to ports"),
])


def test_the_same_figure_cited_twice(tmp_path, run_cli):
    book = ledger_of(tmp_path, run_cli, {"decl.txt": DECLARATION}, ENTRIES)
    figures, findings = audited(run_cli, book)
    assert all(f["verified"] for f in figures.values())
    same = {(f["entry"], f["details"]["other"]) for f in findings
            if f["code"] == "same-figure-twice"}
    assert same == {("dup-eur", "declared"), ("again", "declared")}
    said = next(f for f in findings if f["code"] == "same-figure-twice"
                and f["entry"] == "dup-eur")
    # the document and both places: dup-eur's "€15 million", the declaration's quote
    eur, decl = (line_col(DECLARATION, DECLARATION.index(q)) for q in ("€15", "£12"))
    assert (eur, decl) == ((1, 36), (1, 23))
    assert said["severity"] == "warning" and (said["doc"], said["line"], said["column"]) == (
        "decl", *eur)
    assert "decl:1:36" in said["message"] and "decl:1:23" in said["message"]
    # said once: not again as a possible double count
    assert not [f for f in findings if f["code"] == "possible-double-count"]


def _entry(eid, amount, *, date="2015-07-14", funder="UK:Home Office", purpose="P",
           period=None, links=(), restated=()):
    p = parse_amount(amount)
    return Entry(id=eid, date=dt.date.fromisoformat(date), funder=funder, purpose=purpose,
                 amount=p.amount, currency=p.currency, amount_text=amount,
                 qualifier=p.qualifier, period=parse_period(period) if period else p.period,
                 links=tuple(links),
                 restated=tuple(Money(parse_amount(r).amount, parse_amount(r).currency)
                                for r in restated))


def _pairs(entries, **kw):
    return {(f.entry_id, f.details["other"]) for f in check_double_counting(entries, **kw)}


def test_related_funders_and_exact_amounts():
    a = _entry("a", "£1.4 million")
    b = _entry("b", "£1.4 million", date="2015-07-24", funder="UK:Government")   # sibling
    c = _entry("c", "£1.4 million", date="2015-07-24", funder="France:Government")
    assert _pairs([a, b, c]) == {("a", "b")}
    # 2**53 + 1 and 2**53 are one float; not one amount
    big, bigger = Decimal(2 ** 53), Decimal(2 ** 53 + 1)
    x = _entry("x", f"£{big}")
    y = _entry("y", f"£{bigger}", date="2015-07-15")
    assert _pairs([x, y], same_amount=0) == set()
    assert _pairs([x, _entry("z", f"£{big}", date="2015-07-15")], same_amount=0) == {("x", "z")}


def test_said_again_within_the_pledges_period():
    pledge = _entry("pledge", "£12 million", date="2014-09-20", period="over 3 years",
                    purpose="Security:Port")
    again = _entry("again", "£12 million", date="2015-07-30", purpose="Security:Port")
    other = _entry("other", "£12 million", date="2016-01-10", purpose="Schools")
    late = _entry("late", "£12 million", date="2018-01-10", purpose="Security:Port")
    linked = _entry("linked", "£12 million", date="2015-07-30", purpose="Security:Port",
                    links=[Link("restates", "pledge")])
    assert _pairs([pledge, again, other, late, linked]) == {("again", "pledge")}


def test_the_seeds_pledge_entered_twice(tmp_path, run_cli, example_ledger, seeds_dir):
    raw2 = (seeds_dir / "002_e2d441578c61b003.txt").read_text(encoding="utf-8")
    # read by hand: the Joint Declaration's figure, restated in euros in one passage
    joint = re.search(r"£12 million \(€15 million, \$19\s+million\) over three years", raw2)
    assert joint and "€15 million" in joint.group()
    book = example_with(tmp_path, example_ledger, '''
[[entry]]
id = "dup-eur"
date = 2014-11-05
funder = "UK:Government"
purpose = "Security:Calais"
amount = "€15 million"
period = "over 3 years"
  [[entry.source]]
  doc = "002_e2d441578c61b003"
  quote = "€15 million"

[[entry]]
id = "uk-12m-restated-2015"
date = 2015-07-30
funder = "UK:Home Office"
purpose = "Security:Calais port"
amount = "£12 million"
  [[entry.source]]
  doc = "001_c33d2c2f8263bd4b"
  quote = "£12 million financed by the United Kingdom"
''')
    _, findings = audited(run_cli, book, "--sources", seeds_dir)
    twice = {(f["entry"], f["code"], f["details"].get("other")) for f in findings
             if f["code"] in ("same-figure-twice", "possible-double-count")}
    # the example cites 001's back-reference for the declaration too: the
    # same place, as does the euro figure inside the declaration's quote of 002
    assert twice == {("dup-eur", "same-figure-twice", "uk-joint-declaration-2014"),
                     ("uk-12m-restated-2015", "same-figure-twice", "uk-joint-declaration-2014")}
    # the shipped examples, as they are, stay clean
    for shipped, args in ((example_ledger, ("--sources", seeds_dir)),
                          (example_ledger.parent / "harbour", ())):
        _, findings = audited(run_cli, shipped, *args)
        assert not [f for f in findings if f["severity"] in ("error", "warning")], shipped


def test_the_seeds_pledge_restated_a_year_on(tmp_path, run_cli, example_ledger, seeds_dir):
    """The hunt's t5: the declaration cites 002 only; the same £12m entered
    again from 001 (2015-07-30), within the declaration's three years."""
    book = example_with(tmp_path, example_ledger, '''
[[entry]]
id = "uk-12m-restated-2015"
date = 2015-07-30
funder = "UK:Home Office"
purpose = "Security:Calais port"
amount = "£12 million"
  [[entry.source]]
  doc = "001_c33d2c2f8263bd4b"
  quote = "£12 million financed by the United Kingdom"
''')
    pledges = book / "pledges.toml"
    text = pledges.read_text(encoding="utf-8")
    cited = ('  [[entry.source]]\n  doc = "001_c33d2c2f8263bd4b"\n'
             '  quote = "£12 million financed by the United Kingdom"\n')
    assert text.count(cited) == 2
    pledges.write_text(text.replace(cited, "", 1), encoding="utf-8")
    _, findings = audited(run_cli, book, "--sources", seeds_dir)
    twice = {(f["entry"], f["code"], f["details"].get("other")) for f in findings
             if f["code"] in ("same-figure-twice", "possible-double-count")}
    assert twice == {("uk-12m-restated-2015", "possible-double-count",
                      "uk-joint-declaration-2014")}
