"""The embedded ECB history read straight from its file, for tests that
work out expected figures independently of ``rates``."""
from __future__ import annotations

import datetime as dt
import functools
import zipfile
from decimal import Decimal

from rates import ecb


@functools.lru_cache(maxsize=1)
def ecb_rates() -> dict[str, dict[dt.date, Decimal]]:
    """{code: {date: euro reference rate}}, as published ('N/A' and blank
    cells left out)."""
    with ecb.data_file().open("rb") as fh, zipfile.ZipFile(fh) as zf:
        lines = zf.read(zf.namelist()[0]).decode().strip().splitlines()
    head = lines[0].split(",")
    out: dict[str, dict[dt.date, Decimal]] = {}
    for line in lines[1:]:
        cells = line.split(",")
        day = dt.date.fromisoformat(cells[0])
        for h, c in zip(head[1:], cells[1:]):
            if h and c not in ("", "N/A"):
                out.setdefault(h, {})[day] = Decimal(c)
    return out
