"""A mapping's year-first date_format alone decides year-first cells: with
"%Y/%d/%m", "2015/03/07" is 3 July and "2015/07/30" (no month 30) is
refused, not read the other way round beside it.  With a day-first
date_format, or none, a four-digit year first keeps its one reading."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from ledger.imports.table import parse_dates


def test_a_year_first_date_format_decides_year_first_cells():
    dates, reasons = parse_dates(pd.Series(["2015/03/07", "2015/07/30"]), "%Y/%d/%m")
    assert dates[0] == dt.date(2015, 7, 3) and reasons[0] == ""
    assert dates[1] is None and "2015/07/30" in reasons[1] and "%Y/%d/%m" in reasons[1]


def test_a_day_first_date_format_still_reads_a_year_first_cell():
    dates, reasons = parse_dates(pd.Series(["30/07/2015", "2015/07/30", "2015-7-30"]),
                                 "%d/%m/%Y")
    assert list(dates) == [dt.date(2015, 7, 30)] * 3 and not any(reasons)
