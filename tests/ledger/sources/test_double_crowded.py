"""Many entries of one amount from one funder (a publisher's monthly
instalments): the possible-double-count check compares each with its
nearest few, says so once, and still names every entry."""
from __future__ import annotations

import json

import pytest


def _ledger(tmp_path, amounts):
    """One funder's entries, the i-th of ``amounts[i]`` pounds, a day apart."""
    lines = ['[ledger]\nname = "crowd"\ncurrency = "GBP"\n']
    for i, amount in enumerate(amounts):
        lines.append(f'[[entry]]\nid = "e{i:04d}"\ndate = 2015-01-{1 + i % 28:02d}\n'
                     f'funder = "UK:HO"\npurpose = "Port"\namount = "£{amount}"\n'
                     f'status = "pledged"\n')
    path = tmp_path / "crowd.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "archive").mkdir()
    return path


def _findings(run_cli, path):
    code, out, err = run_cli("audit", path, "--sources", path.parent / "archive",
                             "--format", "json")
    assert "Traceback" not in err
    return json.loads(out)["findings"]


@pytest.mark.parametrize("n", [700, 1500])
def test_crowded_amounts_compared_with_the_nearest(tmp_path, run_cli, n):
    # n entries of £1,000,000: n(n-1)/2 pairs (244,650 and 1,124,250), past
    # the audit's bound of 200,000 candidate pairs
    found = _findings(run_cli, _ledger(tmp_path, [1_000_000] * n))
    crowded = [f for f in found if f["code"] == "double-count-crowded"]
    assert len(crowded) == 1
    assert crowded[0]["details"] == {"entries": n, "compared_with": 5}
    pairs = {(f["entry"], f["details"]["other"]) for f in found
             if f["code"] == "possible-double-count"}
    # each entry with the next five, the last five with those after them
    assert len(pairs) == sum(min(5, n - 1 - i) for i in range(n))
    named = {i for pair in pairs for i in pair}
    assert named == {f"e{i:04d}" for i in range(n)}


def test_few_pairs_compared_every_one(tmp_path, run_cli):
    # 30 entries of one amount: 435 pairs, each one listed, no note
    found = _findings(run_cli, _ledger(tmp_path, [2_500_000] * 30))
    assert not [f for f in found if f["code"] == "double-count-crowded"]
    pairs = {(f["entry"], f["details"]["other"]) for f in found
             if f["code"] == "possible-double-count"}
    assert len(pairs) == 30 * 29 // 2


def test_a_crowd_leaves_other_amounts_whole(tmp_path, run_cli):
    # 700 of £1m crowd the check; 4 of £3m beside them are compared pairwise
    found = _findings(run_cli, _ledger(tmp_path, [1_000_000] * 700 + [3_000_000] * 4))
    crowded = [f for f in found if f["code"] == "double-count-crowded"]
    assert crowded[0]["details"]["entries"] == 700
    three = {(f["entry"], f["details"]["other"]) for f in found
             if f["code"] == "possible-double-count" and f["entry"] >= "e0700"}
    assert three == {(f"e{a:04d}", f"e{b:04d}") for a in range(700, 704)
                     for b in range(a + 1, 704)}
