"""Two IATI activities whose identifiers slug alike ("XM-DAC-1-A/B" and
"XM-DAC-1-A-B", ids differing by case or by a letter the slug folds), given
by different files of one folder import, each keep their own entries, with
``-o`` and with ``--to``: each file was read apart, so both took the same
entry ids and the second file's items were refused as duplicates."""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'


def _activity(aid: str, donor: str, values: list[str]) -> str:
    items = "".join(f'<transaction ref="{k}"><transaction-type code="2"/>'
                    f'<transaction-date iso-date="2020-0{k}-01"/><value>{v}</value></transaction>'
                    for k, v in enumerate(values, 1))
    return (f'<iati-activity default-currency="GBP"><iati-identifier>{aid}</iati-identifier>'
            f'<reporting-org ref="XM-DAC-1"><narrative>{donor}</narrative></reporting-org>'
            f'{items}</iati-activity>\n')


def _committed(path: Path) -> dict[str, Decimal]:
    """reporting-org name -> the sum of its commitments, from the XML."""
    out: dict[str, Decimal] = {}
    for act in ET.parse(path).getroot().iter("iati-activity"):
        donor = act.findtext("reporting-org/narrative")
        for t in act.iter("transaction"):
            if t.find("transaction-type").get("code") == "2":
                out[donor] = out.get(donor, Decimal(0)) + Decimal(t.findtext("value"))
    return out


PAIRS = [("XM-DAC-1-A/B", "XM-DAC-1-A-B"),     # punctuation
         ("XM-DAC-1-ab", "XM-DAC-1-AB"),       # case
         ("XM-DAC-1-Ü", "XM-DAC-1-U")]         # a letter the slug folds


@pytest.mark.parametrize("ids", PAIRS, ids=["punctuation", "case", "accent"])
@pytest.mark.parametrize("to", [["-o", "out.toml"], ["--to", "out.parquet"]])
def test_activities_slugging_alike_keep_their_entries(tmp_path, run_cli, monkeypatch, to, ids):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, aid, donor, values in (("a.xml", ids[0], "Donor A", ["1000", "250.50"]),
                                     ("b.xml", ids[1], "Donor B", ["2000", "40"])):
        (folder / name).write_text(HEAD + _activity(aid, donor, values) + "</iati-activities>\n",
                                   encoding="utf-8")
    expected = {**_committed(folder / "a.xml"), **_committed(folder / "b.xml")}
    assert len(expected) == 2
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("import", "--from", "iati", "in", *to)
    assert code == 0, err
    assert "duplicate id" not in err and ", 0 rejected, 0 skipped by rule" in err, err
    code, out, err = run_cli("balance", to[1], "--format", "csv")
    assert code == 0, err
    got = {r["account"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))}
    for donor, total in expected.items():
        assert got[f"Funders:{donor}"] == -total
    assert got["Purposes"] == sum(expected.values())


def test_a_later_import_of_one_file_gives_the_folder_import_ids(tmp_path, run_cli, monkeypatch):
    """The second activity's ids do not depend on how the files came: one
    file imported after the other gives the ids the folder import gives."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name, aid in (("a.xml", "XM-DAC-1-A/B"), ("b.xml", "XM-DAC-1-A-B")):
        (folder / name).write_text(HEAD + _activity(aid, "Donor", ["10"]) + "</iati-activities>\n",
                                   encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run_cli("import", "--from", "iati", "in", "-o", "both/l.toml")[0] == 0
    assert run_cli("import", "--from", "iati", "in/a.xml", "-o", "each/l.toml")[0] == 0
    assert run_cli("import", "--from", "iati", "in/b.xml", "-o", "each/l.toml")[0] == 0
    ids = {}
    for name in ("both", "each"):
        text = (tmp_path / name / "l.toml").read_text(encoding="utf-8")
        ids[name] = sorted(ln for ln in text.splitlines() if ln.startswith('id = "iati-xm'))
    assert len(ids["both"]) == 2 and ids["both"] == ids["each"]
