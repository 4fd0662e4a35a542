"""An activity declaring IATI 1.03 that writes its transaction types as
2.0x numbers (the Norwegian Red Cross's activities in D-Portal's extract:
codes 1, 2 and 4 under @version="1.03") loses nothing: no 1.0x code is a
number, so a number reads as the 2.0x code, said in one note.  Letter
codes under 1.0x read as before."""
from __future__ import annotations

from pathlib import Path


def _file(path: Path, act_version: str, codes: list[str]) -> None:
    items = "".join(f'<transaction><transaction-type code="{c}"/>'
                    f'<transaction-date iso-date="2014-0{k}-01"/><value>{v}</value></transaction>'
                    for k, (c, v) in enumerate(zip(codes, ("500", "6029177", "1200")), 1))
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="1.03">\n'
                    f'<iati-activity version="{act_version}" default-currency="NOK">'
                    '<iati-identifier>NO-BRC-977538319_X9</iati-identifier>'
                    '<reporting-org ref="NO-BRC-977538319"><narrative>Norwegian Red Cross'
                    f'</narrative></reporting-org>{items}</iati-activity>\n</iati-activities>\n',
                    encoding="utf-8")


def _imported(tmp_path: Path, run_cli, codes: list[str]) -> tuple[str, str]:
    src = tmp_path / "nrc.xml"
    _file(src, "1.03", codes)
    code, _, err = run_cli("import", "--from", "iati", src, "-o", tmp_path / "l")
    assert code == 0, err
    code, out, err2 = run_cli("balance", tmp_path / "l", "--format", "csv")
    assert code == 0, err2
    return out, err


def test_numbers_under_a_1_0x_activity_read_as_2_0x(tmp_path, run_cli):
    # 1 incoming funds (not counted, named as skipped), 2 commitment, 4 expenditure
    out, err = _imported(tmp_path, run_cli, ["1", "2", "4"])
    assert "(total),NOK,6029177" in out.splitlines(), out
    assert "unknown transaction type" not in err
    assert "1 activity declares IATI 1.0x and gives 2.0x transaction type numbers" in err, err


def test_letters_under_a_1_0x_activity_read_as_before(tmp_path, run_cli):
    out, err = _imported(tmp_path, run_cli, ["IF", "C", "E"])
    assert "(total),NOK,6029177" in out.splitlines(), out
    assert "2.0x transaction type numbers" not in err
