"""A mapping's date_format giving a directive twice is refused in one line,
no traceback (hunt20 r7: pandas raised re.error)."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("fmt", ["%d/%d/%Y", "%Y%Y"])
def test_a_date_format_repeating_a_directive_is_one_line(tmp_path, run_cli, fmt):
    csv = tmp_path / "m.csv"
    csv.write_text("id,date,funder,purpose,amount,currency\n"
                   "a1,30/07/2015,UK:A,P:B,100,GBP\n", encoding="utf-8")
    mapping = tmp_path / "map.toml"
    mapping.write_text(f'date_format = "{fmt}"\n', encoding="utf-8")
    code, out, err = run_cli("import", csv, "-o", tmp_path / "out/", "-n", "--map", mapping)
    assert code == 1 and "Traceback" not in out + err
    assert err.strip() == (f"ledger-tool: {mapping}: date_format {fmt!r} cannot read dates: "
                           'it gives a directive twice (write it like "%d/%m/%Y")')
