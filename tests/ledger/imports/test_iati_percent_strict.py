"""A sector percentage that is no xsd:decimal from 0 ("33,3", "2_0", "2e1",
"20%", "-5") refuses the items it would split, in one line, instead of
being taken as missing (which shared the rest out: 500/500 for 33,3/66,7,
where the publisher meant 333/667)."""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

_FILE = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity default-currency="GBP">
  <iati-identifier>GB-1-1</iati-identifier>
  <reporting-org ref="GB-GOV-1" type="10"><narrative>UK Gov</narrative></reporting-org>
  <participating-org role="1" ref="GB-GOV-1"><narrative>UK Gov</narrative></participating-org>
  <sector vocabulary="1" code="11110" percentage="{a}"/><sector vocabulary="1" code="12220" percentage="{b}"/>
  <transaction ref="c1"><transaction-type code="2"/><transaction-date iso-date="2021-01-15"/>\
<value currency="GBP" value-date="2021-01-15">1000</value></transaction>
 </iati-activity>
</iati-activities>
"""


def _import(tmp_path: Path, a: str, b: str):
    src = tmp_path / "f.xml"
    src.write_text(_FILE.format(a=a, b=b), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    return subprocess.run([sys.executable, "-m", "ledger_tool", "import", "--from", "iati", str(src),
                           "-o", str(tmp_path / "L" / "iati.toml")],
                          env=env, capture_output=True, text=True, cwd="/")


@pytest.mark.parametrize("a", ["33,3", "2_0", "2e1", "20%", "-5", "NaN", "Infinity"])
def test_a_percentage_that_is_no_number_refuses_the_item(tmp_path, a):
    r = _import(tmp_path, a, "66.7")
    assert r.returncode == 1, r.stderr
    line = next(s for s in r.stderr.splitlines() if f"percentage {a!r}" in s)
    assert "sector '11110' (line 7)" in line and "not a number" in line, line
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "L" / "iati.toml").exists()
    assert "counted nothing (every item refused)" in r.stderr


@pytest.mark.parametrize(("a", "b", "want"), [("33.3", "66.7", ("333", "667")),
                                              ("+40", "60.", ("400", "600")),
                                              (".5", "99.5", ("5", "995"))])
def test_a_decimal_percentage_splits_as_written(tmp_path, a, b, want):
    r = _import(tmp_path, a, b)
    assert r.returncode == 0, r.stderr
    [entry] = tomllib.loads((tmp_path / "L" / "iati.toml").read_text(encoding="utf-8"))["entry"]
    # 1000 × p / 100, by hand
    assert [Decimal(p["amount"]) for p in entry["split"]] == [Decimal(w) for w in want]
