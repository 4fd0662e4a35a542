"""A bulk file's period reject names the column at fault (period_kind,
years, start, end, fiscal_year), not always 'period'."""
from __future__ import annotations

import pytest

HEAD = "id,date,funder,purpose,amount,currency,period,period_kind,years,start,end,fiscal_year\n"
OK = "ok,2020-06-01,UK,P:ok,10,GBP,,one-off,,,,\n"


@pytest.mark.parametrize("row, column", [
    ("r,2020-06-01,UK,P:b,10,GBP,,weekly,,,,", "period_kind"),
    ("r,2020-06-01,UK,P:b,10,GBP,,per-year,-2,,,", "years"),
    ("r,2020-06-01,UK,P:b,10,GBP,,per-year,abc,,,", "years"),
    ("r,2020-06-01,UK,P:b,10,GBP,,over,,2020-13-01,,", "start"),
    ("r,2020-06-01,UK,P:b,10,GBP,,over,,2021-01-01,2020-01-01,", "end"),
    ("r,2020-06-01,UK,P:b,10,GBP,,fiscal-year,,,,2020-22", "fiscal_year"),
    ("r,2020-06-01,UK,P:b,10,GBP,blah,,,,,", "period"),
])
def test_a_period_reject_names_its_column(tmp_path, run_cli, row, column):
    src = tmp_path / "b.csv"
    src.write_text(HEAD + OK + row + "\n", encoding="utf-8")
    dest = tmp_path / "new" / "b.toml"
    dest.parent.mkdir()
    code, _, err = run_cli("import", src, "-o", dest)
    lines = [x for x in err.splitlines() if "row 3" in x and "warning" not in x]
    assert len(lines) == 1, err
    assert f"row 3: column {column!r}: entry 'r':" in lines[0]
    assert 'id = "ok"' in dest.read_text(encoding="utf-8")
