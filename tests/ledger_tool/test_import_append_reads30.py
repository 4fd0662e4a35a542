"""import never leaves a journal that no longer reads: appending [[entry]]
tables to a file whose entries are an inline array (a shape docs/journal.md
accepts) is refused in one line, the file left byte for byte."""
from __future__ import annotations

import tomllib

INLINE = ('entry = [\n  { id = "a", date = 2020-01-01, funder = "X", purpose = "Y", '
          'amount = "£5m" },\n]\n')
INLINE_DOCS = ('document = [{ id = "d", title = "T", publisher = "P", published = 2020-01-01 '
               '}]\n\n[[entry]]\nid = "a"\ndate = 2020-01-01\nfunder = "X"\npurpose = "Y"\n'
               'amount = "£5m"\n')


def test_appending_to_an_inline_array_is_refused(tmp_path, run_cli):
    journal, key = INLINE, "entry"
    ledger = tmp_path / "l.toml"
    ledger.write_text(journal, encoding="utf-8")
    n = len(tomllib.loads(journal)["entry"])
    table = tmp_path / "c.csv"
    table.write_text("id,date,funder,purpose,amount\nc,2020-01-03,X,W,£2m\n", encoding="utf-8")
    code, out, err = run_cli("import", table, "-o", ledger)
    assert code == 1, err
    refusal = [ln for ln in err.splitlines() if "nothing written" in ln]
    assert len(refusal) == 1 and f"{ledger}:1:" in refusal[0] and f"{key} = [" in refusal[0]
    assert "Traceback" not in err
    assert ledger.read_text(encoding="utf-8") == journal
    code, out, err = run_cli("check", ledger)
    assert code == 0 and f"{n} entries" in out + err
    # an inline array of documents is followed by [[entry]] tables: appended
    ledger.write_text(INLINE_DOCS, encoding="utf-8")
    assert run_cli("import", table, "-o", ledger)[0] == 0
    got = tomllib.loads(ledger.read_text(encoding="utf-8"))
    assert [e["id"] for e in got["entry"]] == ["a", "c"]
