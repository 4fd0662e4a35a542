"""A conversion (``restated``) whose phrase has a qualifier that is neither
"exact" nor the entry's is refused, by the split part's rule
(``ledger.rules.rows.qualifier_contradicts``): hunt19's "€8m" restated
"up to £7m" was valued as-stated at exactly £7m, its "up to" dropped
silently, while a split "up to" beside an exact entry was refused.  A
conversion with no qualifier, or the entry's, is kept."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from ledger.rules.rows import qualifier_contradicts


def _journal(tmp_path, amount: str, phrase: str, qualifier: str = ""):
    f = tmp_path / "q.toml"
    q = f'qualifier = "{qualifier}"\n' if qualifier else ""
    f.write_text('[[entry]]\nid = "q1"\ndate = 2016-07-01\nfunder = "F"\npurpose = "R"\n'
                 f'amount = "{amount}"\n{q}restated = ["{phrase}"]\n', encoding="utf-8")
    return f


@pytest.mark.parametrize(("amount", "phrase", "own", "entry"), [
    ("€8m", "up to £7m", "up to", "exact"),
    ("€8m", "at least £7m", "at least", "exact"),
    ("up to €8m", "at least £7m", "at least", "up to"),
])
def test_a_conversion_with_another_qualifier_is_refused(run_cli, tmp_path, amount, phrase,
                                                        own, entry):
    f = _journal(tmp_path, amount, phrase)
    code, _, err = run_cli("check", f)
    assert code == 1
    assert (f"entry 'q1': error: restated amount {phrase!r} is {own!r}, the entry "
            f"{entry!r}") in err
    code, _, err = run_cli("balance", f, "--currency", "GBP", "--valuation", "as-stated")
    assert code == 1 and "restated amount" in err


def test_a_stated_qualifier_is_the_entrys(run_cli, tmp_path):
    code, _, err = run_cli("check", _journal(tmp_path, "€8m", "up to £7m", "about"))
    assert code == 1
    assert "restated amount 'up to £7m' is 'up to', the entry 'about'" in err


def test_a_bulk_conversion_with_another_qualifier_is_refused(run_cli, tmp_path):
    bulk = tmp_path / "q.csv"
    bulk.write_text("id,date,funder,purpose,amount,currency,qualifier,restated\n"
                    "q1,2016-07-01,F,R,8000000,EUR,exact,up to £7m\n"
                    "q2,2016-07-01,G,S,8000000,EUR,up to,up to £7m\n",
                    encoding="utf-8")
    code, _, err = run_cli("check", bulk)
    assert code == 1
    assert "q.csv:2: entry 'q1': error: restated amount 'up to £7m' is 'up to', the entry " \
           "'exact'" in err
    assert "entry 'q2': error" not in err


@pytest.mark.parametrize(("amount", "phrase"), [("€8m", "£7m"), ("up to €8m", "up to £7m"),
                                                ("up to €8m", "£7m"), ("€8m", "about £7m"),
                                                ("up to €8m", "about £7m")])
def test_a_conversion_exact_or_as_the_entry_is_kept(run_cli, tmp_path, amount, phrase):
    f = _journal(tmp_path, amount, phrase)
    code, _, err = run_cli("check", f)
    assert code == 0, err
    code, out, err = run_cli("export", f, "--to", "csv", "-o", "-", "--currency", "GBP",
                             "--valuation", "as-stated", "--basis", "total")
    assert code == 0, err
    # by hand: the source's £7m, as stated
    assert sum(Decimal(r["value"]) for r in csv.DictReader(io.StringIO(out))) == 7_000_000


def test_one_rule_for_split_parts_and_conversions():
    assert not qualifier_contradicts("exact", "up to")
    assert not qualifier_contradicts("up to", "up to")
    assert qualifier_contradicts("up to", "exact")
    assert not qualifier_contradicts("up to", None)
