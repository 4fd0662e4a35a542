"""An import into a ledger whose entry ``check`` refuses must not take that
entry's id: the entry is left out of the Book but is still the ledger's,
and a second entry of the same id would make both refused (an import
reported as accepted, then a ledger that counts neither)."""
from __future__ import annotations

import ledger

LEDGER = ('[[entry]]\nid = "s1"\ndate = 2024-01-01\nfunder = "UK"\npurpose = "A"\n'
          'amount = "£10"\nstatus = "promised"\n')


def test_a_refused_entrys_id_is_not_taken_by_an_import(tmp_path, run_cli):
    led = tmp_path / "led"
    led.mkdir()
    (led / "p.toml").write_text(LEDGER, encoding="utf-8")
    src = tmp_path / "imp.csv"
    src.write_text("id,date,funder,purpose,amount,currency,status\n"
                   "s1,2024-01-01,UK,A,10,GBP,pledged\n"
                   "s2,2024-01-02,UK,B,20,GBP,pledged\n", encoding="utf-8")
    for args in (["--ledger", led, "-o", led / "imported.toml"], ["-o", led]):
        code, _, err = run_cli("import", src, *args)
        assert code == 0, err
        assert "row 2: column 'id': id 's1' is already in the ledger (" in err
        assert "p.toml:7, an entry check refuses: mend or delete it there, then import " \
               "again); not overwritten" in err
        written = (led / "imported.toml").read_text(encoding="utf-8")
        assert 'id = "s2"' in written and 'id = "s1"' not in written
        (led / "imported.toml").unlink()
        for extra in led.glob("imported*"):
            extra.unlink()
    book = ledger.read_book(led)
    assert [p.entry_id for p in book.problems if p.severity == "error"] == ["s1"]
