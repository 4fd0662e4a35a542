"""Constant prices from a user price index."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from ledger.errors import LedgerError
from ledger.model import Entry, Period
from rates.deflate import constant_prices
from rates.normalise import to_frame


def test_constant_prices(tmp_path):
    idx = tmp_path / "deflator.csv"
    idx.write_text("area,year,index,source\nGBP,2020,100,ONS\nGBP,2021,105,ONS\nGBP,2022,110,ONS\n")
    e = Entry("a", dt.date(2020, 1, 1), "F", "P", D("2000"), "GBP",
              period=Period("over", years=D(2)))
    f = constant_prices(to_frame([e]), idx, base_year=2021)
    assert list(f.year) == [2020, 2021]
    row = f[f.year == 2020].iloc[0]
    assert row.real_value == (row.value * D(105) / D(100)).quantize(D("0.01"))
    assert (f[f.year == 2021].real_value == f[f.year == 2021].value).all()
    assert f.price_base.iloc[0] == "GBP prices of 2021"


def test_bad_index(tmp_path):
    idx = tmp_path / "d.csv"
    idx.write_text("area,year,index\nGBP,20x1,100\n")
    with pytest.raises(LedgerError, match=r"d.csv:2: column 'year'"):
        constant_prices(to_frame([]), idx, 2020)
    idx.write_text("area,year,index\nGBP,2021,100\n")
    e = Entry("a", dt.date(2020, 1, 1), "F", "P", D("1"), "GBP")
    with pytest.raises(LedgerError, match="no GBP value for 2020"):
        constant_prices(to_frame([e]), idx, 2021)
