"""reports/listing.py: the list table's CSV, written column-wise, is what
Python's csv module (QUOTE_MINIMAL) writes of the same inert cells, except
that a field holding a bare carriage return is quoted too (the csv module,
with "\n" as line end, leaves it bare, which other readers take for a line
break)."""
from __future__ import annotations

import csv
import io

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.listing import write_csv
from reports.text import inert

TRICKY = ["plain", "", "a,b", 'say "hi"', "two\nlines", "cr\ronly", "=SUM(A1)", "+44 20",
          "-12", "-x", "@home", "\tTab", " lead", "trail ", "ünïcode, “quoted”", '"', ",",
          "12000000", "1.5", "=1+1,\n\"x\""]


def _reference(frame: pd.DataFrame) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        w.writerow(inert(v) for v in row)
    return buf.getvalue()


def _ours(frame: pd.DataFrame, chunk: int = 200_000) -> str:
    buf = io.StringIO()
    write_csv(frame, buf, chunk=chunk)
    return buf.getvalue()


def _check(frame: pd.DataFrame, chunk: int) -> None:
    ours = _ours(frame, chunk)
    back = list(csv.reader(io.StringIO(ours, newline="")))
    assert back == [list(frame.columns)] + [[inert(v) for v in row]
                                            for row in frame.itertuples(index=False)]
    if not frame.apply(lambda c: c.str.contains("\r")).any().any():
        assert ours == _reference(frame)
    else:
        assert all(('\r' not in line) or line.count('"') for line in ours.split("\n"))


def test_tricky_cells_are_quoted_and_made_inert_as_the_csv_module_does():
    frame = pd.DataFrame({"a": TRICKY, "b": list(reversed(TRICKY))}, dtype=object)
    _check(frame, 200_000)
    _check(frame, 3)                                    # chunk joins are seamless
    plain = frame[~frame["a"].str.contains("\r") & ~frame["b"].str.contains("\r")]
    assert _ours(plain) == _reference(plain)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=12), st.text(max_size=12)), min_size=1, max_size=8))
def test_any_text_is_written_as_the_csv_module_writes_it(rows):
    frame = pd.DataFrame(rows, columns=["x", "y"], dtype=object)
    _check(frame, 3)
