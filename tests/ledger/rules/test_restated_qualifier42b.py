"""One rule for a split part's, a ``restated`` conversion's and a bracketed
conversion's own qualifier (``ledger.rules.rows.qualifier_contradicts``):
an approximate one ("£1.4 million (about €2m)", restated "c. €1.6m") is the
source rounding its conversion and fits any entry (fix42 refused it); a
bound ("up to", "at least") other than the entry's (exact, approximate
or the opposite bound) is refused, in the brackets too ("£1.4 million (up to
€2m)" was accepted, its "up to" dropped); and an unknown stated qualifier
is worded once, not read as "exact" against its conversions (review4742)."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from ledger.rules.rows import bracket_phrases, qualifier_contradicts


def _journal(tmp_path, amount: str, restated: str = "", qualifier: str = "",
             split: str = ""):
    f = tmp_path / "q.toml"
    q = f'qualifier = "{qualifier}"\n' if qualifier else ""
    r = f"restated = [{restated}]\n" if restated else ""
    f.write_text('[[entry]]\nid = "q1"\ndate = 2016-07-01\nfunder = "F"\npurpose = "R"\n'
                 f'amount = "{amount}"\n{q}{r}{split}', encoding="utf-8")
    return f


def _as_stated_eur(run_cli, f) -> Decimal:
    code, out, err = run_cli("export", f, "--to", "csv", "-o", "-", "--currency", "EUR",
                             "--valuation", "as-stated", "--basis", "total")
    assert code == 0, err
    return sum((Decimal(r["value"]) for r in csv.DictReader(io.StringIO(out))), Decimal(0))


@pytest.mark.parametrize(("amount", "restated"), [
    ("£1.4 million (about €2m)", ""),
    ("£1.4 million", '"approximately €2m", "c. $3m"'),
    ("up to £1.4 million (about €2m)", ""),
    ("at least £1.4 million", '"c. €2m"'),
])
def test_an_approximate_conversion_fits_any_entry(run_cli, tmp_path, amount, restated):
    f = _journal(tmp_path, amount, restated)
    code, _, err = run_cli("check", f)
    assert code == 0, err
    # by hand: the source's €2m, as stated
    assert _as_stated_eur(run_cli, f) == 2_000_000


@pytest.mark.parametrize(("amount", "own", "entry"), [
    ("£1.4 million (up to €2m)", "up to €2m", "exact"),
    ("£1.4 million (c. $3m, at least €2m)", "at least €2m", "exact"),
    ("up to £1.4 million (at least €2m)", "at least €2m", "up to"),
])
def test_a_bound_in_the_brackets_is_refused(run_cli, tmp_path, amount, own, entry):
    code, _, err = run_cli("check", _journal(tmp_path, amount))
    assert code == 1
    bound = own.rsplit(" ", 1)[0]
    assert f"entry 'q1': error: restated amount {own!r} is {bound!r}, the entry {entry!r}" in err


def test_the_entrys_bound_in_the_brackets_is_kept(run_cli, tmp_path):
    f = _journal(tmp_path, "up to £1.4 million (up to €2m)")
    code, _, err = run_cli("check", f)
    assert code == 0, err
    assert _as_stated_eur(run_cli, f) == 2_000_000


def test_an_approximate_split_part_is_kept_a_bound_refused(run_cli, tmp_path):
    part = '[[entry.split]]\npurpose = "A"\namount = "{}"\n' \
           '[[entry.split]]\npurpose = "B"\namount = "£0.4 million"\n'
    code, _, err = run_cli("check", _journal(tmp_path, "£1.4 million",
                                             split=part.format("about £1 million")))
    assert code == 0, err
    code, _, err = run_cli("check", _journal(tmp_path, "£1.4 million",
                                             split=part.format("up to £1 million")))
    assert code == 1 and "'up to', the entry 'exact'" in err


def test_an_unknown_qualifier_is_worded_once(run_cli, tmp_path):
    code, _, err = run_cli("check", _journal(tmp_path, "£1.4 million", '"up to €2m"', "bogus"))
    assert code == 1
    assert "entry 'q1': error: unknown qualifier 'bogus'" in err
    assert "restated amount" not in err


def test_the_rule():
    for entry in ("exact", "up to", "at least", "about"):
        assert not qualifier_contradicts("about", entry)
        assert not qualifier_contradicts("exact", entry)
    assert qualifier_contradicts("up to", "exact")
    assert qualifier_contradicts("up to", "at least")
    assert qualifier_contradicts("at least", "up to")
    assert qualifier_contradicts("at least", "about")
    assert not qualifier_contradicts("up to", "up to")
    assert not qualifier_contradicts("up to", None)
    assert bracket_phrases("£1.4 million (up to €2m, $3m)") == ["up to €2m", "USD 3000000"]
