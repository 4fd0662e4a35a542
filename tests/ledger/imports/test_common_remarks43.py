"""A remark the user adds after an imported entry's note is kept on
re-import whatever joins it to the note (hunt20 r3: ". " and a new line were
dropped, only "; " kept)."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from ledger.imports.common import Wordings, keep_user_edits
from tests.conftest import FIXTURES

DFID = FIXTURES / "real" / "iati" / "dfid-2.03.xml"


@pytest.mark.parametrize("joint", [". Phoned DFID: final", "\\nPhoned DFID: final",
                                   "; Phoned DFID: final"])
def test_reimporting_the_same_file_keeps_the_users_remark(tmp_path, run_cli, joint):
    book = tmp_path / "book"
    assert run_cli("init", book)[0] == 0
    code, _, err = run_cli("import", "--from", "iati", DFID, "-o", f"{book}/")
    assert code == 0, err
    journal = book / "iati.toml"
    text = journal.read_text("utf-8")
    edited, n = re.subn(r'^(notes = ".+)"$', lambda m: m.group(1) + joint + '"', text, flags=re.M)
    assert n > 0
    journal.write_text(edited, encoding="utf-8")
    code, _, err = run_cli("import", "--from", "iati", DFID, "-o", f"{book}/")
    assert code == 0, err
    assert journal.read_text("utf-8") == edited
    assert "are replaced by" not in err


def test_a_remark_glued_to_an_unchanged_part_stays_when_another_part_changes():
    own = Wordings()
    rate = own.add("rate {r}")
    old = SimpleNamespace(tags=(), notes="counted once. Phoned: final; rate 1.1")   # what it reads
    fields = {"notes": f"counted once; {rate(r='1.2')}"}
    said = keep_user_edits(fields, old, own)  # type: ignore[arg-type]
    assert fields["notes"] == "counted once. Phoned: final; rate 1.2"
    assert said == ["rate 1.1"]
