"""Account names are one line: the line and paragraph separators (U+2028,
U+2029) are refused in a funder or purpose as the other control characters
are (``ledger.model.CONTROL_CHARS``), in every input format, with the usual
one line: file, line, entry id, what is wrong."""
from __future__ import annotations

import pytest

from ledger.model import ACCOUNT_HOLDS_CONTROL
from tests.ledger.rules.test_rows import FORMATS, GOOD, _read


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("field", ["funder", "purpose"])
@pytest.mark.parametrize("sep", ["\u2028", "\u2029"])
def test_a_line_separator_in_an_account_name_is_refused(tmp_path, monkeypatch, fmt, field, sep):
    name = f"UK:Home{sep}Office"
    rows = [{**GOOD, field: name}]
    path, at, problems = _read(tmp_path, fmt, rows, monkeypatch)
    errors = [p for p in problems if p.severity == "error"]
    # the name as Python's repr writes it: the separator escaped, one line
    shown = f"'UK:Home\\u{ord(sep):04x}Office'"
    want = (f"{path}:{at[0][field]}: entry 'a': error: {field} {shown} "
            f"{ACCOUNT_HOLDS_CONTROL[0]} (hint: {ACCOUNT_HOLDS_CONTROL[1]})")
    assert [str(p) for p in errors] == [want]
    assert [p.code for p in errors] == ["bad-account"]
    assert "\n" not in str(errors[0]) and sep not in str(errors[0])


def test_check_refuses_it_in_one_line_and_exits_1(tmp_path, run_cli):
    path = tmp_path / "entries.csv"
    cols = ["id", "date", "funder", "purpose", "amount", "currency", "sources"]
    path.write_text(",".join(cols) + "\n"
                    + "a,2015-01-01,UK:Home\u2028Office,Security,5000000,GBP,\n", encoding="utf-8")
    code, _, err = run_cli("check", str(path))
    assert code == 1
    lines = [ln for ln in err.splitlines() if ": error: " in ln]
    assert lines == [f"{path}:2: entry 'a': error: funder 'UK:Home\\u2028Office' "
                     f"{ACCOUNT_HOLDS_CONTROL[0]} (hint: {ACCOUNT_HOLDS_CONTROL[1]})"], err
    assert "Traceback" not in err
