"""IATI activity files as publishers published them (tests/fixtures/real/iati,
origins in tests/fixtures/real/SOURCES.md): the ledger's counted total equals
the count-once rule computed here, independently, from the raw XML with the
standard library's ElementTree and Decimal (never from the importer's output);
``check`` is clean on every import and ``report --currency USD`` runs.

The rule (docs/interop.md, "Counting once"): each stage of an activity is its
own measure, net of its negative values; the activity counts its net
commitments where it has any, else its budgets (a revised budget replaces the
original for the same period), else its planned disbursements, else its net
disbursements and expenditure, else its pledges.  A transaction, budget or
planned disbursement repeated identically -- in every element and attribute
as published, white space in text and the order of attributes aside --
counts once.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

import ledger
from ledger.imports.iati import read_iati
from tests.conftest import FIXTURES
from ledger.imports.problem import dropped, kind_of

REAL = FIXTURES / "real" / "iati"
FILES = sorted(REAL.glob("*.xml"))

LETTERS = {"C": "commitment", "D": "disbursement", "R": "disbursement", "E": "expenditure",
           "IF": None, "IR": None, "LR": None, "QP": None, "QS": None, "CG": None}
NUMBERS = {"2": "commitment", "11": "incoming commitment", "12": "pledge",
           "13": "incoming pledge", "3": "disbursement", "7": "disbursement", "4": "expenditure"}
ORDER = (("commitment",), ("incoming commitment",), ("budget",), ("planned",),
         ("disbursement", "expenditure"), ("pledge",), ("incoming pledge",))


def _as_published(el) -> tuple:
    """An element whole: its tag, attributes (in any order), text (its white
    space collapsed) and children, each so; ElementTree reads no comments."""
    return (el.tag, frozenset((k, " ".join(v.split())) for k, v in el.attrib.items()),
            " ".join((el.text or "").split()), tuple(_as_published(c) for c in el))


def _once(els: list) -> list:
    """The elements, each repeated identically (``_as_published``) once."""
    seen: set[tuple] = set()
    return [el for el in els if not (_as_published(el) in seen or seen.add(_as_published(el)))]


def _attr(el, name: str) -> str:
    return (el.get(name) or "").strip() if el is not None else ""


def count_once(path: Path) -> dict[str, Decimal]:
    """The money each activity counts, by currency, from the raw XML."""
    root = ET.parse(path).getroot()
    assert root.tag == "iati-activities"
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for act in root.iter("iati-activity"):
        if not (act.findtext("iati-identifier") or "").strip():
            continue
        version = act.get("version") or root.get("version") or ""
        default = act.get("default-currency") or ""
        stages: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
        seen = set()
        for tx in act.findall("transaction"):
            code = _attr(tx.find("transaction-type"), "code")
            letters = version.startswith("1") or (not version and code.upper() in LETTERS)
            stage = LETTERS.get(code.upper()) if letters else NUMBERS.get(code)
            value = tx.find("value")
            if stage is None or value is None:
                continue
            cur = _attr(value, "currency") or default
            tdate, vdate = _attr(tx.find("transaction-date"), "iso-date"), _attr(value, "value-date")
            if not cur or not (tdate or vdate):
                continue
            same = _as_published(tx)
            if same not in seen:          # a transaction repeated identically counts once
                seen.add(same)
                stages[(stage, cur)].append(Decimal(value.text.strip()))
        budgets = []
        for b in _once(act.findall("budget")):
            kind = {"1": "1", "original": "1", "2": "2", "revised": "2"}[
                (b.get("type") or "1").strip().lower()]
            period = (_attr(b.find("period-start"), "iso-date"),
                      _attr(b.find("period-end"), "iso-date"))
            budgets.append((kind, period, b.find("value")))
        revised = {period for kind, period, _ in budgets if kind == "2"}
        for kind, period, value in budgets:
            if not (kind == "1" and period in revised) and any(period):
                stages[("budget", _attr(value, "currency") or default)].append(
                    Decimal(value.text.strip()))
        for p in _once(act.findall("planned-disbursement")):
            value = p.find("value")
            stages[("planned", _attr(value, "currency") or default)].append(
                Decimal(value.text.strip()))
        net = {key: max(sum(values, Decimal(0)), Decimal(0)) for key, values in stages.items()}
        for group in ORDER:
            counted = {key: v for key, v in net.items() if key[0] in group and v > 0}
            if counted:
                for (_, cur), v in counted.items():
                    totals[cur] += v
                break
    return dict(totals)


def counted_in_ledger(book) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for e in book.entries:
        if e.is_primary:
            totals[e.currency] += e.amount
    return dict(totals)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_real_file_counts_each_activity_once(path, tmp_path, run_cli):
    expected = count_once(path)
    assert expected and all(v > 0 for v in expected.values())
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "iati", path, "-o", book)
    assert code == 0, err
    assert "counted once per activity" in err
    code, out, err = run_cli("check", book)
    assert code == 0 and "0 error(s), 0 warning(s)" in out + err, out + err
    loaded = ledger.load(book)
    assert counted_in_ledger(loaded) == expected
    # `balance` shows the same total (the funders' side of the double entry)
    code, out, err = run_cli("balance", book)
    assert code == 0, err
    funders = next(line for line in out.splitlines() if line.startswith("Funders"))
    if len(expected) == 1:
        assert f"{next(iter(expected.values())):,.2f}" in funders
    # every transaction, budget and planned disbursement is counted, linked or in the rejects
    read = read_iati(path)
    assert len(read.records) + sum(dropped(p) for p in read.problems) == read.read
    assert len(loaded.entries) == len(read.records)
    assert not [e for e in loaded.entries if e.purpose and "Sector " in e.purpose]
    code, out, err = run_cli("audit", book, "--sources", book / "sources")
    assert code == 0, out + err


def test_real_files_report_in_usd(tmp_path, run_cli):
    """``report --currency USD`` runs on each real import (GBP, EUR, USD)."""
    for path in FILES:
        book = tmp_path / path.stem
        assert run_cli("import", "--from", "iati", path, "-o", book)[0] == 0
        code, out, err = run_cli("report", book, "--currency", "USD", "--out",
                                 tmp_path / f"{path.stem}-report")
        assert code == 0, err
        assert "(total)" in out and "US$" in out


def test_the_old_counting_is_gone():
    """Issue 21's cases on real data: a 1.0x file without @version keeps its
    letter-coded transactions; budget types given by name are read; a
    reversal is netted into what it reverses, never rejected."""
    tearfund = read_iati(REAL / "tearfund-cd.xml")
    statuses = sorted({r.fields["status"] for r in tearfund.records})
    assert statuses == ["disbursed", "pledged", "spent"]     # D, budgets (Indicative), E
    assert any("read as IATI 1.0x" in p.message for p in tearfund.problems)
    fund = read_iati(REAL / "global-fund.xml")                  # <budget type="Original">
    assert not [p for p in fund.problems if "budget type" in p.message]
    assert sum(1 for r in fund.records if "-b-" in r.fields["id"]) == 6
    dfid = read_iati(REAL / "dfid-2.01.xml")
    (netted,) = [r.fields for r in dfid.records if len(r.fields["source"]) > 1]
    assert "net of the reversal(s)" in netted["notes"]
    quoted = [Decimal(s["quote"].split(">")[1].split("<")[0]) for s in netted["source"]]
    assert sum(quoted) == Decimal(netted["amount"]) and min(quoted) < 0
    assert not [p for p in dfid.problems if kind_of(p) == "reject"]
