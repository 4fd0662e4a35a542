"""import -o FILE --ledger OTHER checks the ids of FILE and of the ledger
FILE belongs to as well: the entries written there join that ledger."""
from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

CALAIS = Path(__file__).resolve().parents[2] / "examples" / "calais"


def test_an_id_of_the_target_file_is_refused(tmp_path, run_cli):
    cal = tmp_path / "cal"
    shutil.copytree(CALAIS, cal)
    other = tmp_path / "other"
    other.mkdir()
    (other / "ledger.toml").write_text('[ledger]\ncurrency = "GBP"\n', encoding="utf-8")
    journal = cal / "pledges.toml"
    before = journal.read_bytes()
    taken = tomllib.loads(before.decode("utf-8"))["entry"][0]["id"]
    table = tmp_path / "c.csv"
    table.write_text(f"id,date,funder,purpose,amount\n{taken},2016-01-01,X,Y,£1m\n",
                     encoding="utf-8")
    code, _, err = run_cli("import", table, "-o", journal, "--ledger", other)
    assert code == 1 and f"id {taken!r} is already in the ledger" in err, err
    assert journal.read_bytes() == before
    # a sibling journal of the target's ledger folder counts too
    (cal / "more.toml").write_text('[[entry]]\nid = "m1"\ndate = 2016-01-01\nfunder = "X"\n'
                                   'purpose = "Y"\namount = "£1m"\n', encoding="utf-8")
    table.write_text("id,date,funder,purpose,amount\nm1,2016-02-01,X,Z,£2m\n", encoding="utf-8")
    code, _, err = run_cli("import", table, "-o", journal, "--ledger", other)
    assert code == 1 and "id 'm1' is already in the ledger" in err, err
    assert journal.read_bytes() == before
    code, out, err = run_cli("check", cal)
    assert code == 0 and "duplicate" not in out + err
