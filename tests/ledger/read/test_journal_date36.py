"""``date = 1e400`` is a TOML float too large to hold: the parser reads it
as inf.  check said "date not a date: inf", a value the file never wrote;
it says the number is out of range (both readers: one file, a folder)."""
from __future__ import annotations

import pytest

JOURNAL = ('[[entry]]\nid = "a"\ndate = 1e400\nfunder = "A:B"\npurpose = "C:D"\n'
           'amount = "£5"\n')


@pytest.mark.parametrize("folder", [False, True])
def test_a_date_too_large_to_read_is_not_said_as_inf(run_cli, tmp_path, folder):
    (tmp_path / "p.toml").write_text(JOURNAL, encoding="utf-8")
    if folder:
        (tmp_path / "q.toml").write_text("", encoding="utf-8")
    code, out, err = run_cli("check", tmp_path if folder else tmp_path / "p.toml")
    assert code == 1
    assert "p.toml:3: entry 'a': error: date not a date: a number out of range " \
           "(read as inf) (use YYYY-MM-DD)" in out + err, out + err
