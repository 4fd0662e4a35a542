"""The Fiscal Data Package export, validated with the frictionless library."""
from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

import ledger
from reports.fdp import PHASE, PHASES
from tests.conftest import FIXTURES

FIX = FIXTURES


def _validate(folder: Path):
    frictionless = pytest.importorskip("frictionless", reason="frictionless not installed: "
                                                              "pip install -e '.[test]'")
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])


def _rows(folder: Path):
    return list(csv.DictReader(open(folder / "ledger.csv", encoding="utf-8")))


def test_example_ledger_validates_and_totals_match_the_report(run_cli, example_ledger, tmp_path):
    out = tmp_path / "fdp"
    code, _, err = run_cli("export", example_ledger, "--to", "fdp", "-o", out)
    assert code == 0, err
    _validate(out)
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"] for f in desc["resources"][0]["schema"]["fields"]}
    model = desc["model"]
    for name, m in model["measures"].items():
        assert m["source"] in fields and m["currency"] == "GBP"
        assert m["direction"] == "expenditure" and m["phase"] == name
    for d in model["dimensions"].values():
        assert all(a["source"] in fields for a in d["attributes"].values())
    assert desc["horizon"] == "2017"
    rows = _rows(out)
    for r in rows:
        assert r["phase"] == PHASE[r["status"]]
        filled = [ph for ph in PHASES if r[ph]]
        assert filled == [r["phase"]]
    from reports.tables import ReportOptions, build_report
    report = build_report(ledger.load(example_ledger), ReportOptions(currency="GBP"))
    total = report.summary["amount"].sum()
    counted = sum(Decimal(r[r["phase"]]) for r in rows if r["counted"] == "true")
    assert counted == total and total > 0


def test_imported_data_validates_with_every_phase(run_cli, tmp_path):
    book = tmp_path / "book"
    for kind, f in (("iati", FIX / "iati" / "activities-v2.xml"), ("fts", FIX / "fts" / "flows.json")):
        assert run_cli("import", "--from", kind, f, "-o", book)[0] == 0
    out = tmp_path / "fdp"
    assert run_cli("export", book, "--to", "fdp", "-o", out)[0] == 0
    _validate(out)
    rows = _rows(out)
    assert {r["phase"] for r in rows} == set(PHASES)
    assert {r["counted"] for r in rows} == {"true", "false"}    # disbursements of commitments


def test_fdp_needs_a_folder(run_cli, example_ledger):
    code, _, err = run_cli("export", example_ledger, "--to", "fdp", "-o", "-")
    assert code == 1 and "not a stream" in err


def test_an_existing_package_is_not_replaced(run_cli, example_ledger, tmp_path):
    out = tmp_path / "fdp"
    assert run_cli("export", example_ledger, "--to", "fdp", "-o", out)[0] == 0
    before = (out / "ledger.csv").read_bytes()
    code, _, err = run_cli("export", example_ledger, "--to", "fdp", "-o", out, "--status", "pledged")
    assert code == 1 and "already holds datapackage.json, ledger.csv" in err
    assert (out / "ledger.csv").read_bytes() == before
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code, _, err = run_cli("export", example_ledger, "--to", "fdp", "-o", tmp_path / "afile")
    assert code == 1 and "is a file" in err


def test_every_rates_table_is_used(run_cli, example_ledger, tmp_path):
    """--rates is repeatable: a rate in the second table values the package
    as it values the csv export (it was once dropped: only the first table)."""
    empty, mine = tmp_path / "empty.csv", tmp_path / "mine.csv"
    empty.write_text("date,from,to,rate,source\n", encoding="utf-8")
    mine.write_text("date,from,to,rate,source\n2015-07-30,EUR,GBP,2,test\n", encoding="utf-8")
    out = tmp_path / "fdp"
    code, _, err = run_cli("export", example_ledger, "--to", "fdp", "-o", out,
                           "--rates", empty, "--rates", mine)
    assert code == 0, err
    row = next(r for r in _rows(out) if r["id"] == "france-africa-development-2015")
    assert row["original_currency"] == "EUR"
    assert Decimal(row[row["phase"]]) == 2 * Decimal(row["original_amount"])


def test_options_that_do_not_apply_are_refused_before_reading(run_cli, tmp_path):
    """--basis and a file for -o are refused at once, naming the option: the
    ledger is not even read (a broken one gives the option's message)."""
    broken = tmp_path / "broken.toml"
    broken.write_text("[[entry]\n", encoding="utf-8")
    for basis in ("total", "recorded", "per-year"):
        code, _, err = run_cli("export", broken, "--to", "fdp", "-o", tmp_path / "out",
                               "--basis", basis)
        assert code == 1 and "--basis does not apply" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code, _, err = run_cli("export", broken, "--to", "fdp", "-o", tmp_path / "afile")
    assert code == 1 and "is a file" in err
