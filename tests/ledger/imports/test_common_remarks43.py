"""A remark the user adds after an imported entry's note is kept on
re-import whatever joins it to the note (hunt20 r3: ". " and a new line were
dropped, only "; " kept; reviewlate: ", phoned" too).  While the entry's
data is unchanged, its notes are the user's as they stand."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from ledger.imports.common import Wordings, keep_user_edits
from tests.conftest import FIXTURES

DFID = FIXTURES / "real" / "iati" / "dfid-2.03.xml"


@pytest.mark.parametrize("joint", [". Phoned DFID: final", "\\nPhoned DFID: final",
                                   "; Phoned DFID: final",
                                   # any joint while the data is unchanged (reviewlate)
                                   ", phoned", " (phoned)", " - phoned"])
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


# review43 D1: only a real remark is glued: not the importer's own changed
# note, not a part that runs on without a joint, not beside the new part

def _reimport(notes: str, new: str, own: Wordings, times: int = 3) -> list[str]:
    seen = []
    for _ in range(times):
        fields = {"notes": new}
        keep_user_edits(fields, SimpleNamespace(tags=(), notes=notes), own)  # type: ignore[arg-type]
        notes = fields["notes"]
        seen.append(notes)
    return seen


def test_the_importers_own_changed_note_is_not_kept_as_a_remark():
    own = Wordings()
    rate = own.add("FTS exchange rate {r}")
    old = SimpleNamespace(tags=(), notes=f"counted once; {rate(r='1.12065')}")
    fields = {"notes": f"counted once; {rate(r='1.1206')}"}
    said = keep_user_edits(fields, old, own)  # type: ignore[arg-type]
    assert fields["notes"] == "counted once; FTS exchange rate 1.1206"
    assert said == ["FTS exchange rate 1.12065"]


def test_an_importers_wording_with_a_sentence_after_it_is_its_own():
    own = Wordings()
    older = own.add("{what} (older version)")
    old = SimpleNamespace(tags=(), notes=older(what="Flow A. Funds for B"))
    fields = {"notes": "Flow A"}
    said = keep_user_edits(fields, old, own)  # type: ignore[arg-type]
    assert fields["notes"] == "Flow A"
    assert said == ["Flow A. Funds for B (older version)"]


def test_a_part_running_on_without_a_joint_is_a_remark_apart():
    assert _reimport("Food assistance; Food assistance was cut in May", "Food assistance",
                     Wordings()) == ["Food assistance; Food assistance was cut in May"] * 3
    assert _reimport("rate 1.12065", "rate 1.1206", Wordings(), 1) == ["rate 1.1206"]


def test_two_remarks_after_the_same_note_keep_their_order_on_every_reimport():
    assert _reimport("X. r1; X. r2", "X", Wordings()) == ["X. r1; X. r2"] * 3
    assert _reimport("X\nr1; Y", "X; Y", Wordings()) == ["X\nr1; Y"] * 3
