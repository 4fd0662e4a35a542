"""A horizon the export cannot use is refused in one line that names the
command, as the export's other errors do ("ledger-tool: export: …")."""
from __future__ import annotations

import pytest

LEDGER = """\
[ledger]
name = "h"
currency = "GBP"
fiscal_year_start = "07-01"

[[entry]]
id = "open"
date = 2018-02-01
funder = "UK"
purpose = "Aid"
amount = "£2m a year"
"""


@pytest.mark.parametrize("fmt,basis", [("csv", "total"), ("parquet", "per-year"),
                                       ("hledger", "total"), ("beancount", "total"),
                                       ("fdp", None)])
def test_a_calendar_horizon_with_fiscal_years_names_export(tmp_path, run_cli, fmt, basis):
    (tmp_path / "L").mkdir()
    (tmp_path / "L" / "ledger.toml").write_text(LEDGER, encoding="utf-8")
    out = tmp_path / ("fdp" if fmt == "fdp" else f"t.{fmt}")
    code, _, err = run_cli("export", tmp_path / "L", "--to", fmt,
                           *(["--basis", basis] if basis else []),
                           "--horizon", "2019-21", "--years", "fiscal", "-o", out)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("ledger-tool: export: horizon '2019-21': "), err
    assert "2019-20" in lines[0]          # what to give instead
    assert not out.exists()
