"""entries/sources .csv and .parquet (reports.datafiles): Arrow columns as
Arrow itself would make them, text inert in spreadsheets and its bidi
controls shown, even on a row made inert."""
from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ledger
from ledger.model import Citation, Entry
from reports.datafiles import _arrow_table, _may_start_with, write_full_tables
from reports.text import FORMULA_PREFIXES
from reports.tables import ReportOptions, build_report


def test_object_columns_convert_as_arrow_converts_them():
    one, fine, third = Decimal("1"), Decimal("0.603189413860378"), Decimal("1.000")
    frame = pd.DataFrame({
        # shared objects (as the valuation's rates are), and equal values
        # written with other exponents: the inferred scale must see them all
        "rate": pd.Series([one, fine, one, third, None, fine] * 3, dtype=object),
        "mixed": pd.Series([dt.date(2020, 1, 2), "", None, dt.date(2021, 3, 4), "", ""] * 3,
                           dtype=object),
        "one": pd.Series([Decimal("2.5")], dtype=object).repeat(18).reset_index(drop=True),
    })
    got = _arrow_table(frame)
    assert got.column("rate").combine_chunks().equals(pa.array(frame["rate"], from_pandas=True))
    assert got.column("rate").type == pa.decimal128(16, 15)
    assert got.column("one").combine_chunks().equals(pa.array(frame["one"], from_pandas=True))
    # a column Arrow refuses as it is becomes text, as before
    assert got.column("mixed").type == pa.string()
    assert got.column("mixed").to_pylist()[:3] == ["2020-01-02", "", None]


def test_a_row_made_inert_still_has_its_bidi_controls_shown(tmp_path):
    texts = ["=1+1\u202e", "plain \u2066text", "fine", "@A1"]
    entries = tuple(Entry(id=f"e{i}", date=dt.date(2015, 1, 1), funder="F", purpose="P",
                          amount=Decimal(100 - i), currency="GBP", amount_text=q,
                          sources=(Citation("d1", q),)) for i, q in enumerate(texts))
    report = build_report(ledger.Ledger(entries, {}, {}, None), ReportOptions())
    write_full_tables(report, tmp_path)
    with (tmp_path / "entries.csv").open(encoding="utf-8") as fh:
        written = {r["id"]: r["amount as written"] for r in csv.DictReader(fh)}
    assert written == {"e0": "'=1+1\\u202e", "e1": "plain \\u2066text", "e2": "fine",
                       "e3": "'@A1"}
    parquet = dict(zip(*(pq.read_table(tmp_path / "entries.parquet")
                         .column(c).to_pylist() for c in ("id", "amount as written"))))
    assert parquet == {"e0": "=1+1\\u202e", "e1": "plain \\u2066text", "e2": "fine",
                       "e3": "@A1"}
    with (tmp_path / "sources.csv").open(encoding="utf-8") as fh:
        quotes = sorted(r["quote"] for r in csv.DictReader(fh))
    assert quotes == sorted(["'=1+1\\u202e", "plain \\u2066text", "fine", "'@A1"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.none() | st.text(st.sampled_from(["a", "=", "+", "-", "@", "\t", "\r", "é", " "]),
                                    max_size=3), max_size=10),
       st.integers(0, 3), st.booleans(), st.booleans())
def test_values_starting_with_a_formula_character_are_found(values, cut, large, chunked):
    """``_may_start_with`` finds a column with a value starting with a formula
    character (sliced, chunked, nulls, large or not), and only such a column."""
    arr = pa.array(values, type=pa.large_string() if large else pa.string())[cut:]
    column = pa.chunked_array([arr[:2], arr[2:]] if chunked else [arr], type=arr.type)
    want = any(v and v[0] in FORMULA_PREFIXES for v in values[cut:])
    assert _may_start_with(column, FORMULA_PREFIXES) == want


@pytest.mark.parametrize("sendfile_works", [True, False])
def test_table_files_made_before_are_copied_whole(tmp_path, monkeypatch, sendfile_works):
    """``table_files`` (made before the report's folder exists) copied into
    it by ``write_full_tables``: the same bytes as written there directly,
    by sendfile or, where it cannot copy between files, by reads at offsets."""
    import errno
    import os
    from types import SimpleNamespace

    from reports.datafiles import table_files

    frame = pd.DataFrame({"document": ["a", "=b", "c\u202e"] * 50_000, "n": range(150_000)})
    # what write_full_tables reads of a report
    report = SimpleNamespace(entries=frame.rename(columns={"document": "id"}), sources=frame,
                             extra={})
    write_full_tables(report, tmp_path / "direct")
    if not sendfile_works:
        def refuse(*_args):
            raise OSError(errno.EINVAL, "not a socket")
        monkeypatch.setattr(os, "sendfile", refuse)
    report.extra["table files"] = {"sources": table_files(frame)}
    write_full_tables(report, tmp_path / "made")
    for name in ("sources.csv", "sources.parquet", "entries.csv"):
        assert (tmp_path / "made" / name).read_bytes() == (tmp_path / "direct" / name).read_bytes()
    assert (tmp_path / "made" / "sources.csv").stat().st_size > 1 << 20   # more than one read
