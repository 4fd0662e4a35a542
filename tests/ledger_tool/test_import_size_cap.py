"""A file of an import folder over the size cap (LEDGER_TOOL_MAX_FILE_SIZE)
is one of the folder's unreadable files: named in one line with them, the
other files read, the exit status and outputs those of a folder with a
file the reader cannot parse."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import FIXTURES

GOOD = ("activities-v1.xml", "activities-v2.xml", "hierarchy.xml")   # 21 entries

ACTIVITY = ('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
            '<!-- {pad} -->\n<iati-activity default-currency="GBP">'
            '<iati-identifier>XX-9-BIG</iati-identifier>'
            '<reporting-org ref="XX-9"><narrative>Donor</narrative></reporting-org>'
            '<transaction ref="C"><transaction-type code="2"/>'
            '<transaction-date iso-date="2020-01-01"/><value>1000</value></transaction>'
            '</iati-activity>\n</iati-activities>\n')


def _folder(tmp_path, name: str, text: str):
    folder = tmp_path / name
    folder.mkdir()
    for f in GOOD:
        shutil.copy(FIXTURES / "iati" / f, folder / f)
    (folder / "big.xml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("to", ["-o", "--to"])
def test_a_file_over_the_cap_is_one_of_the_unreadable_files(tmp_path, run_cli, monkeypatch, to):
    import ledger_tool.import_data as import_data

    monkeypatch.setenv("LEDGER_TOOL_MAX_FILE_SIZE", "100K")
    # --to: a file a batch, in this process (a forkserver started by an earlier
    # test keeps the environment it had, without the cap set here)
    monkeypatch.setattr(import_data, "BATCH_BYTES", 1)
    monkeypatch.setattr(import_data.os, "sched_getaffinity", lambda _pid: {0})
    big = _folder(tmp_path, "big", ACTIVITY.format(pad="x" * 200_000))        # over 100 KiB
    broken = _folder(tmp_path, "broken", ACTIVITY.format(pad="x")[:-40])      # truncated
    out = {}
    for folder in (big, broken):
        target = tmp_path / f"out-{folder.name}{'.parquet' if to == '--to' else ''}"
        code, _, err = run_cli("import", "--from", "iati", folder, to, target)
        lines = [ln for ln in err.splitlines() if "big.xml" in ln and "import: reading" not in ln]
        assert len(lines) == 1 and "Traceback" not in err, err
        out[folder.name] = (code, lines[0], err, target)
    code, line, err, target = out["big"]
    assert "more than the 100 KiB limit" in line and line.endswith("not read")
    # the rest read, as with the broken file: nothing written, exit 1
    assert code == out["broken"][0] == 1
    assert "nothing written: 1 file(s) could not be read" in err
    assert "nothing written: 1 file(s) could not be read" in out["broken"][2]
    if to == "-o":
        for e in (err, out["broken"][2]):
            assert "22 new" in e and "1 file(s) unreadable" in e
    assert not target.exists() and not out["broken"][3].exists()
