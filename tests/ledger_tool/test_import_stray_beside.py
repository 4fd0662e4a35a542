"""``import -o FILE --ledger L``: the ledger is L (and the ledger folder
FILE is in, if any); a half-written draft beside FILE is neither (review30)."""
from __future__ import annotations

import tomllib


def test_a_broken_draft_beside_the_output_is_not_the_ledger(tmp_path, run_cli):
    led = tmp_path / "led"
    code, _, err = run_cli("init", led)
    assert code == 0, err
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes-wip.toml").write_text('[[entry]]\nid = "x"\namount = "£5\n',
                                         encoding="utf-8")
    rows = tmp_path / "rows.csv"
    rows.write_text("id,date,funder,purpose,amount\n"
                    "a,2020-01-01,UK:HO,Port,GBP 100\nb,2020-02-01,UK:HO,Port,GBP 250\n",
                    encoding="utf-8")
    code, _, err = run_cli("import", rows, "-o", work / "new.toml", "--ledger", led)
    assert code == 0, err
    written = tomllib.loads((work / "new.toml").read_text(encoding="utf-8"))
    assert [e["id"] for e in written["entry"]] == ["a", "b"]
    assert (work / "notes-wip.toml").read_text(encoding="utf-8").endswith('"£5\n')
