"""import refuses a ledger whose journal files cannot all be read (a TOML
error): their ids are unknown, so the same entries would be appended again."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

IATI = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "iati" / \
    "africa-educational-trust.xml"


def _break(journal: Path) -> int:
    """A second funder key in the first entry (a TOML error); its line."""
    text = journal.read_text(encoding="utf-8")
    m = re.search(r'(?m)^funder = .*$', text)
    assert m is not None
    journal.write_text(text[:m.end()] + '\nfunder = "Y"' + text[m.end():], encoding="utf-8")
    return text.count("\n", 0, m.end()) + 2


def _entries(journal: Path) -> int:
    return len(re.findall(r"(?m)^\[\[entry\]\]", journal.read_text(encoding="utf-8")))


def test_a_broken_journal_is_not_imported_into_again(tmp_path, run_cli):
    table = tmp_path / "c.csv"
    table.write_text("id,date,funder,purpose,amount\nc1,2020-01-03,X,W,£2m\n"
                     "c2,2020-01-04,X,V,£3m\n", encoding="utf-8")
    led = tmp_path / "led"
    assert run_cli("import", table, "-o", led)[0] == 0
    journal = led / "imported.toml"
    line = _break(journal)
    before = journal.read_bytes()
    code, _, err = run_cli("import", table, "-o", led)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and f"{journal}:{line}:" in lines[0] and "TOML" in lines[0]
    assert journal.read_bytes() == before and _entries(journal) == 2
    assert not list(led.glob("*.rejects*.csv"))
    # a broken sibling journal stops an import into another file of the ledger
    code, _, err = run_cli("import", table, "-o", led / "more.toml")
    assert code == 1 and f"{journal}:{line}:" in err
    assert not (led / "more.toml").exists()


@pytest.mark.skipif(not IATI.is_file(), reason=f"no fixture {IATI}")
def test_iati_into_a_broken_journal_is_refused(tmp_path, run_cli):
    led = tmp_path / "led"
    code, _, err = run_cli("import", "--from", "iati", IATI, "-o", led)
    assert code == 0, err
    (journal,) = [p for p in led.glob("*.toml") if _entries(p)]
    n = _entries(journal)
    line = _break(journal)
    code, _, err = run_cli("import", "--from", "iati", IATI, "-o", led)
    assert code == 1 and f"{journal}:{line}:" in err and "Traceback" not in err
    assert _entries(journal) == n
