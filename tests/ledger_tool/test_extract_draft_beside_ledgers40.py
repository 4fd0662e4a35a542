"""A draft below a folder of two one-file ledgers: `check` reads that folder
as one ledger, so a .toml draft anywhere below it would be read as one of
its journal files; the refusal says so and what to do instead (a folder
outside it, or a hidden name, which check does not read)."""
from __future__ import annotations

from pathlib import Path

HARBOUR = Path(__file__).resolve().parents[2] / "examples" / "harbour"
DOC = HARBOUR / "sources" / "wenlock-minutes-2024.txt"


def test_a_draft_below_two_one_file_ledgers(tmp_path, run_cli):
    w = tmp_path / "w"
    w.mkdir()
    for name in ("a.toml", "b.toml"):
        (w / name).write_bytes((HARBOUR / "sources.toml").read_bytes()
                               + (HARBOUR / "pledges.toml").read_bytes().replace(
                                   b'id = "', f'id = "{name[0]}-'.encode()))
    draft = w / "work" / "draft.toml"
    code, _, err = run_cli("extract", DOC, "--draft", draft)
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert f"'check {w}'" in err and "hidden name" in err and "outside" in err, err
    hidden = w / "work" / ".draft.toml"
    code, _, err = run_cli("extract", DOC, "--draft", hidden)
    assert code == 0 and hidden.is_file(), err
    # check reads the folder as it did, the hidden draft left out
    code, out, err = run_cli("check", w)
    assert ".draft.toml" not in out + err
