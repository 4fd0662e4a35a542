"""ledger/writer.py: ``render`` hands each record to ``render_entry`` as it
is, the values that are not text, lists or dates converted there
(``convert``): Decimals as plain text, datetimes as their day, tuples as
arrays, empty values left out, in sub-tables too."""
from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal

from ledger.writer import render


def test_values_converted_where_they_are_written():
    record = {"id": 'a"b', "date": dt.datetime(2020, 1, 2, 3, 4), "amount": Decimal("1.50"),
              "tags": ("x", "y\n"), "notes": "", "weird key": "v", "extra": Decimal("2"),
              "status": None, "split": (),
              "source": [{"doc": "d", "page": 3, "quote": Decimal("1E+3"), "locator": ""}]}
    text = render([record])
    assert text == ('[[entry]]\nid = "a\\"b"\ndate = 2020-01-02\namount = "1.5"\n'
                    'tags = ["x", "y\\n"]\n"weird key" = "v"\nextra = "2"\n'
                    '  [[entry.source]]\n  doc = "d"\n  page = 3\n  quote = "1000"\n')
    assert tomllib.loads(text)["entry"][0]["source"] == [{"doc": "d", "page": 3, "quote": "1000"}]
