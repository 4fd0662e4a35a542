"""A key given twice in one JSON object is refused, never read as its last
value (hunt 17): "originalAmount": 100000000, "originalAmount": 900000000000
was imported as 900000000000 without a word."""
from __future__ import annotations

import pytest

from ledger.imports.fts import flow_versions, read_fts
from ledger.imports.problem import kind_of, where_of
from tests.conftest import FIXTURES

FLOWS = FIXTURES / "fts" / "flows.json"
ONCE = '"originalAmount": 100000000,'


@pytest.mark.parametrize("twice, key, where", [
    (ONCE + ' "originalAmount": 900000000000,', "originalAmount", "flow '150001'"),
    # inside a flow's nested object
    ('"note": {"type": "Organization", "type": "Other"}, ' + ONCE, "type",
     "flow '150001'"),
])
def test_a_key_given_twice_refuses_the_file_naming_flow_and_key(tmp_path, twice, key, where):
    text = FLOWS.read_text(encoding="utf-8")
    assert text.count(ONCE) == 1
    path = tmp_path / "dup.json"
    path.write_text(text.replace(ONCE, twice), encoding="utf-8")
    got = read_fts(path)
    assert got.records == []
    [p] = got.problems
    assert kind_of(p) == "error" and where_of(p) == where
    assert f"key {key!r} is given twice" in p.message and "\n" not in p.message
    assert flow_versions(path) == ({}, None)   # the re-import pairing reads nothing either


def test_the_same_file_without_the_second_key_reads():
    got = read_fts(FLOWS)
    assert not [p for p in got.problems if kind_of(p) == "error"]
    assert any(r.fields["id"] == "fts-150001" and r.fields["amount"] == "100000000"
               for r in got.records)
