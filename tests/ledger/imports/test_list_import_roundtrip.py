"""``list --format csv`` imported back (``import LIST.csv``) counts what the
ledger listed counts: the listing carries each entry's tags (an entry FTS
does not count stays out of every total), and rows of the listing that give
distinct ids are distinct entries, even when nothing else (no quote, no
locator: the listing has none) tells them apart."""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

import ledger
from ledger.model import NOT_COUNTED

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "real"


def _counted(folder: Path) -> tuple[int, Counter]:
    """(entries, per currency the sum of the amounts of the entries counted:
    not tagged not-counted, not linked to another), from the journal read
    back, not from any report."""
    entries = ledger.load(folder).entries
    sums: Counter = Counter()
    for e in entries:
        if NOT_COUNTED not in e.tags and not e.links:
            sums[e.currency] += e.amount
    return len(entries), sums


def _total(run_cli, folder: Path, currency: str) -> str:
    code, out, err = run_cli("balance", folder, "--currency", currency)
    assert code == 0, err
    return re.findall(r"\(total\)\s+(\S+)", out)[-1]


@pytest.mark.parametrize("source,path,currency", [
    ("fts", REAL / "fts", "USD"),
    ("iati", REAL / "iati" / "spain-maec-indonesia.xml", "EUR"),
    ("iati", REAL / "iati" / "ocha-cbpf-2.03.xml", "USD"),
])
def test_a_listing_imported_back_counts_the_same(tmp_path, run_cli, source, path, currency):
    code, _, err = run_cli("import", "--from", source, path, "-o", tmp_path / "a")
    assert code == 0, err
    code, listing, err = run_cli("list", tmp_path / "a", "--format", "csv")
    assert code == 0, err
    (tmp_path / "list.csv").write_text(listing, encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "list.csv", "-o", tmp_path / "b")
    assert code == 0, err
    assert "rejected" not in err, err
    n, sums = _counted(tmp_path / "a")
    assert _counted(tmp_path / "b") == (n, sums)
    assert sum(sums.values()) > 0
    assert _total(run_cli, tmp_path / "a", currency) == _total(run_cli, tmp_path / "b", currency)


TWO = ("id,date,funder,purpose,amount,currency,status,source\n"
       "grant-a,2011-01-01,Spain,Education:Indonesia,9000,EUR,pledged,maec-report\n"
       "grant-b,2011-01-01,Spain,Education:Indonesia,9000,EUR,pledged,maec-report\n")


def test_rows_giving_distinct_ids_are_two_entries(tmp_path, run_cli):
    (tmp_path / "two.csv").write_text(TWO, encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "two.csv", "-o", tmp_path / "book")
    assert code == 0, err
    assert {e.id: e.amount for e in ledger.load(tmp_path / "book").entries} == \
        {"grant-a": Decimal(9000), "grant-b": Decimal(9000)}


def test_a_figure_published_again_is_still_refused(tmp_path, run_cli):
    """What the rule is for: the same figure again, under a new id (against
    the ledger) or with no id (within the file)."""
    (tmp_path / "two.csv").write_text(TWO, encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "two.csv", "-o", tmp_path / "book")
    assert code == 0, err
    again = TWO.splitlines()[0] + "\n" + TWO.splitlines()[1].replace("grant-a", "grant-c") + "\n"
    (tmp_path / "again.csv").write_text(again, encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "again.csv", "-o", tmp_path / "book")
    assert code == 1 and "the same figure as entry 'grant-a'" in err, err
    no_ids = ("date,funder,purpose,amount,currency,status,source,notes\n"
              "2012-01-01,Spain,Health:Indonesia,500,EUR,pledged,maec-report,first\n"
              "2012-01-01,Spain,Health:Indonesia,500,EUR,pledged,maec-report,second\n")
    (tmp_path / "noid.csv").write_text(no_ids, encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "noid.csv", "-o", tmp_path / "other")
    assert code == 0 and "the same figure as entry" in err, err
    assert [e.amount for e in ledger.load(tmp_path / "other").entries] == [Decimal(500)]


def test_rows_citing_the_same_passage_under_two_ids_are_one_pledge(tmp_path, run_cli):
    """Two ids, the same quote at the same place: one figure published once,
    entered twice; the second is refused (only a listing's rows, which cite
    no passage, are told apart by their ids)."""
    rows = ("id,date,funder,purpose,amount,currency,status,source,quote,locator\n"
            "fence-2015,2015-07-14,UK,Security:Fences,£5m,GBP,pledged,statement,"
            "£5 million for fences,para 3\n"
            "fences-2015,2015-07-14,UK,Security:Fences,£5m,GBP,pledged,statement,"
            "£5 million for fences,para 3\n")
    (tmp_path / "dup.csv").write_text(rows, encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "dup.csv", "-o", tmp_path / "book")
    assert code == 0 and "the same figure as entry 'fence-2015'" in err, err
    assert {e.id: e.amount for e in ledger.load(tmp_path / "book").entries} == \
        {"fence-2015": Decimal(5_000_000)}
