"""A disbursement tagged not-counted (an IATI transaction the publisher
withdrew, a secondary record) is in no total, so it does not fill its
pledge either: the pledge's other disbursements are measured without it,
in a journal, a bulk table and a dataset alike. Its link stays (where the
money was said to go is provenance)."""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ledger.read import read_book

# a £100 pledge; A (£60) withdrawn, then B (£60) reported in its place:
# counted, the disbursements are £60, not more than the pledge
ROWS = [
    dict(id="p", date="2020-01-01", amount="100", status="pledged", disburses="", tags=""),
    dict(id="a", date="2020-02-01", amount="60", status="disbursed", disburses="p", tags="{tag}"),
    dict(id="b", date="2020-03-01", amount="60", status="disbursed", disburses="p", tags=""),
]
COLUMNS = ["id", "date", "funder", "purpose", "amount", "currency", "status", "disburses", "tags"]


def _cells(tag: str) -> list[dict]:
    return [{**r, "funder": "UK", "purpose": "Aid", "currency": "GBP",
             "tags": r["tags"].format(tag=tag)} for r in ROWS]


def _journal(root: Path, tag: str) -> Path:
    text = '[ledger]\nname = "t"\n'
    for r in _cells(tag):
        text += (f'\n[[entry]]\nid = "{r["id"]}"\ndate = {r["date"]}\nfunder = "UK"\n'
                 f'purpose = "Aid"\namount = "£{r["amount"]}"\nstatus = "{r["status"]}"\n')
        if r["disburses"]:
            text += f'disburses = "{r["disburses"]}"\n'
        if r["tags"]:
            text += f'tags = ["{r["tags"]}"]\n'
    path = root / "l.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _bulk(root: Path, tag: str) -> Path:
    path = root / "l.csv"
    path.write_text(",".join(COLUMNS) + "\n" + "".join(
        ",".join(r[c] for c in COLUMNS) + "\n" for r in _cells(tag)), encoding="utf-8")
    return path


def _dataset(root: Path, tag: str) -> Path:
    path = root / "d.parquet"
    (path / "year=2020").mkdir(parents=True)
    rows = _cells(tag)
    pq.write_table(pa.table({c: [r[c] for r in rows] for c in COLUMNS}),
                   path / "year=2020" / "part-0.parquet")
    return path


@pytest.mark.parametrize("write", [_journal, _bulk, _dataset])
def test_a_counted_disbursement_still_fills_its_pledge(tmp_path, run_cli, write):
    code, _, err = run_cli("check", write(tmp_path, "reviewed"))
    assert code == 1
    assert "disbursements (a, b) add up to 120 GBP, more than the 100 GBP of 'p'" in err


@pytest.mark.parametrize("write", [_journal, _bulk, _dataset])
def test_a_disbursement_not_counted_leaves_its_pledge(tmp_path, run_cli, write):
    path = write(tmp_path, "not-counted")
    code, _, err = run_cli("check", path)
    assert (code, "add up to" in err) == (0, False), err
    links = read_book(path).tables.links
    assert ("a", "disburses", "p") in {
        (str(read_book(path).tables.entries["id"].iloc[int(e)]), str(k), str(t))
        for e, k, t in zip(links["entry"], links["kind"], links["target"])}
