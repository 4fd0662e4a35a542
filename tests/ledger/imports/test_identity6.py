"""Two records citing the same passage are one figure only when they record
the same of it (``ledger.imports.identity``): an IATI commitment given again
with another receiver-org is a second commitment (a duplicate is a
transaction identical in every element and attribute as published,
docs/interop.md), though its citation (the activity's line, its value)
reads as the first's; the same passage entered twice with the same
recipient, location and period is still one pledge, within a file and
against the ledger.

The IATI total is worked out here from the raw XML with lxml: each
activity's commitments (transaction type 2, a transaction repeated
identically once) where it has any, else its budgets (a revised one
replacing the original of its period)."""
from __future__ import annotations

import copy
import csv
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from lxml import etree

import ledger
from tests.conftest import FIXTURES

DFID = FIXTURES / "real" / "iati" / "dfid-2.03.xml"


def _published(el) -> tuple:
    """An element whole, as published (attributes in any order)."""
    return (el.tag, frozenset(el.attrib.items()), " ".join((el.text or "").split()),
            tuple(_published(c) for c in el))


def _counted(root) -> dict[str, Decimal]:
    """What the file counts, by currency (the rule in the module doc)."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for act in root.iter("iati-activity"):
        default = act.get("default-currency", "")
        seen, commitments = set(), defaultdict(Decimal)
        for tx in act.findall("transaction"):
            if tx.find("transaction-type").get("code") != "2" or _published(tx) in seen:
                continue
            seen.add(_published(tx))
            value = tx.find("value")
            commitments[value.get("currency") or default] += Decimal(value.text.strip())
        if commitments:
            for cur, v in commitments.items():
                totals[cur] += v
            continue
        periods: dict[tuple, tuple[str, str, Decimal]] = {}
        for b in act.findall("budget"):
            value = b.find("value")
            at = (b.find("period-start").get("iso-date"), b.find("period-end").get("iso-date"))
            kind = b.get("type", "1")
            if at not in periods or kind == "2":
                periods[at] = (kind, value.get("currency") or default, Decimal(value.text.strip()))
        assert periods, f"{act.findtext('iati-identifier')}: neither commitments nor budgets"
        for _, cur, v in periods.values():
            totals[cur] += v
    return dict(totals)


def _with_another_receiver(tmp_path):
    """dfid-2.03.xml with its first commitment copied, the copy to another
    receiver-org, on the same line (the file's layout: an activity a line):
    (path, the copy's value, the count of the original file)."""
    tree = etree.parse(str(DFID))
    root = tree.getroot()
    before = _counted(root)
    tx = next(t for t in root.iter("transaction")
              if t.find("transaction-type").get("code") == "2")
    other = copy.deepcopy(tx)
    receiver = other.find("receiver-org")
    receiver.set("ref", "XM-DAC-44000")
    receiver.find("narrative").text = "World Bank"
    tx.addnext(other)
    path = tmp_path / "dfid-2.03.xml"
    tree.write(str(path), encoding="utf-8", xml_declaration=True)
    assert path.read_text(encoding="utf-8").count("\n") <= DFID.read_text(
        encoding="utf-8").count("\n") + 1     # no line of its own: the same locator
    return path, Decimal(other.findtext("value").strip()), before


def _balance(run_cli, book) -> dict[str, Decimal]:
    code, out, err = run_cli("balance", book, "--format", "csv")
    assert code == 0, err
    return {r["currency"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
            if r["account"] == "Purposes"}


@pytest.mark.parametrize("to", ["-o", "--to"])
def test_a_commitment_to_another_receiver_counts(tmp_path, run_cli, to):
    path, value, before = _with_another_receiver(tmp_path)
    expected = _counted(etree.parse(str(path)).getroot())
    assert expected == {"GBP": before["GBP"] + value}
    out = tmp_path / ("book.toml" if to == "-o" else "book.parquet")
    code, _, err = run_cli("import", "--from", "iati", path, to, out)
    assert code == 0, err
    assert "the same figure as entry" not in err
    assert _balance(run_cli, out) == expected
    recipients = sorted(e.recipient for e in ledger.load(out).entries
                        if e.amount == value and e.status == "committed")
    assert "World Bank" in recipients and len(recipients) == 2


HEADER = "id,date,funder,purpose,amount,currency,source,quote,locator,recipient,location,period\n"
ROW = "{id},2015-07-14,UK,Security:Fences,5000000,GBP,statement,£5 million for fences,para 3,{to}," \
      "Calais,over 3 years\n"


def test_the_same_passage_to_two_recipients_is_two_figures(tmp_path, run_cli):
    (tmp_path / "two.csv").write_text(HEADER + ROW.format(id="a", to="Port of Calais")
                                      + ROW.format(id="b", to="Eurotunnel"), encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "two.csv", "-o", tmp_path / "book")
    assert code == 0, err
    assert {e.id: e.recipient for e in ledger.load(tmp_path / "book").entries} == \
        {"a": "Port of Calais", "b": "Eurotunnel"}


def test_the_same_passage_recorded_alike_is_still_one_pledge(tmp_path, run_cli):
    """Within the file, and against the ledger (its entry read back, its
    period as the journal writes it): the second id is refused."""
    (tmp_path / "one.csv").write_text(HEADER + ROW.format(id="a", to="Port of Calais")
                                      + ROW.format(id="b", to=" Port of Calais"),
                                      encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "one.csv", "-o", tmp_path / "book")
    assert code == 0 and "the same figure as entry 'a'" in err, err
    assert [e.id for e in ledger.load(tmp_path / "book").entries] == ["a"]
    (tmp_path / "again.csv").write_text(HEADER + ROW.format(id="c", to="Port of Calais"),
                                        encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "again.csv", "-o", tmp_path / "book")
    assert code == 1 and "the same figure as entry 'a'" in err, err
    (tmp_path / "there.csv").write_text(HEADER + ROW.format(id="d", to="Port of Calais")
                                        .replace(",Calais,", ",Dunkirk,"), encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "there.csv", "-o", tmp_path / "book")
    assert code == 0, err
    assert {e.id: e.location for e in ledger.load(tmp_path / "book").entries} == \
        {"a": "Calais", "d": "Dunkirk"}
