"""The probable-duplicate warning says "both are counted in every total":
an entry tagged not-counted is in no total, so it is no such pledge."""
from pathlib import Path

import pytest

from ledger import read_book

ENTRY = """
[[entry]]
id = "{id}"
date = 2020-01-01
funder = "UK"
purpose = "Aid"
amount = "£10m"
status = "pledged"
tags = [{tags}]
"""

BULK = "id,date,funder,purpose,amount,currency,status,tags\n" \
       "a,2020-01-01,UK,Aid,10000000,GBP,pledged,{a}\n" \
       "b,2020-01-01,UK,Aid,10000000,GBP,pledged,{b}\n"


def _journal(tmp_path: Path, a: str, b: str) -> Path:
    p = tmp_path / "l.toml"
    p.write_text('[ledger]\nname = "t"\n' + ENTRY.format(id="a", tags=a)
                 + ENTRY.format(id="b", tags=b), encoding="utf-8")
    return p


def _bulk(tmp_path: Path, a: str, b: str) -> Path:
    p = tmp_path / "l.csv"
    p.write_text(BULK.format(a=a.strip('"'), b=b.strip('"')), encoding="utf-8")
    return p


def _duplicates(path: Path) -> list[str]:
    return [p.entry for p in read_book(path).problems if p.code == "probable-duplicate"]


@pytest.mark.parametrize("write", [_journal, _bulk])
def test_two_counted_copies_are_flagged(tmp_path, write):
    assert _duplicates(write(tmp_path, "", "")) == ["b"]


@pytest.mark.parametrize("write", [_journal, _bulk])
@pytest.mark.parametrize("a, b", [('"not-counted"', ""), ("", '"not-counted"'),
                                  ('"not-counted"', '"not-counted"')])
def test_a_copy_in_no_total_is_not_flagged(tmp_path, write, a, b):
    assert _duplicates(write(tmp_path, a, b)) == []


def test_a_tag_that_only_begins_like_it_still_counts(tmp_path):
    # 'not-counted-withdrawn' is its own tag; only 'not-counted' leaves the totals
    assert _duplicates(_journal(tmp_path, "", '"not-counted-later"')) == ["b"]
