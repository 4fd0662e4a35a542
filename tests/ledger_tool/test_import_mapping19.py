"""A mapping's date_format the date parser cannot use ("%Q", "%s", "%W"
without day and year) is one line naming the mapping file and date_format,
exit 1, when the mapping is read: with -o and with --to, before any row."""
from __future__ import annotations

import pytest

ROWS = "id,date,funder,purpose,amount,currency,source\nf1,30/07/2015,UK:A,P:A,100,GBP,doc\n"


@pytest.mark.parametrize("fmt", ["%Q", "%s", "%W", "%U/%Y", "%-d/%m/%Y", "%"])
@pytest.mark.parametrize("to", ["-o", "--to"])
def test_a_bad_date_format_is_one_line(tmp_path, run_cli, fmt, to):
    (tmp_path / "rows.csv").write_text(ROWS, encoding="utf-8")
    (tmp_path / "map.toml").write_text(f'date_format = "{fmt}"\n', encoding="utf-8")
    out = tmp_path / ("out.toml" if to == "-o" else "out.parquet")
    code, _, err = run_cli("import", tmp_path / "rows.csv", "--map", tmp_path / "map.toml",
                           to, out)
    assert code == 1
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "map.toml" in lines[0] and f"date_format {fmt!r}" in lines[0], err
    assert not out.exists()


def test_a_good_date_format_still_reads_the_day(tmp_path, run_cli):
    (tmp_path / "rows.csv").write_text(ROWS, encoding="utf-8")
    (tmp_path / "map.toml").write_text('date_format = "%d/%m/%Y"\n', encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "rows.csv", "--map", tmp_path / "map.toml",
                           "-o", tmp_path / "out.toml")
    assert code == 0, err
    assert "date = 2015-07-30" in (tmp_path / "out.toml").read_text(encoding="utf-8")
