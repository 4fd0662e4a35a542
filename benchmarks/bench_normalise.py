"""How long normalising 1,000,000 generated rows takes, and the peak memory.

    .venv/bin/python benchmarks/bench_normalise.py [ROWS] [--years calendar|fiscal-uk|none]
        [--valuation entry-date|yearly-average|...]

Not a unit test: it prints timings.  The rows go through the columnar path
(``rates.normalise.normalise`` on a plain DataFrame, no Entry objects), with
amounts as decimal strings, four currencies and a mix of period kinds.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def generate(n: int, seed: int = 1):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    days = rng.integers(0, (np.datetime64("2025-12-31") - np.datetime64("2000-01-01")).astype(int), n)
    date = np.datetime64("2000-01-01") + days.astype("timedelta64[D]")
    cents = rng.integers(1, 10**13, n)
    amount = pd.Series(cents // 100).astype(str) + "." + pd.Series(cents % 100).astype(str).str.zfill(2)
    kind = rng.choice(["one-off", "over", "per-year", "fiscal-year"], n, p=[.5, .25, .15, .10])
    years = np.where(np.isin(kind, ["over", "per-year"]), rng.integers(1, 6, n).astype(str), None)
    fy = pd.Series(date).dt.year
    fiscal = (fy.astype(str) + "-" + ((fy + 1) % 100).astype(str).str.zfill(2)).to_numpy(dtype=object)
    return pd.DataFrame({
        "id": np.char.add("e", np.arange(n).astype(str)).astype(object),
        "date": date.astype("datetime64[s]"),
        "amount": amount.to_numpy(dtype=object),
        "currency": rng.choice(["GBP", "EUR", "USD", "JPY"], n),
        "period_kind": kind,
        "years": years,
        "fiscal_year": np.where(kind == "fiscal-year", fiscal, None),
    })


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", nargs="?", type=int, default=1_000_000)
    ap.add_argument("--years", default="calendar")
    ap.add_argument("--valuation", default="entry-date")
    ap.add_argument("--trace", action="store_true",
                    help="also measure Python-level peak with tracemalloc (much slower)")
    a = ap.parse_args()
    from rates.normalise import normalise
    from rates.table import RateTable

    RateTable.load()  # read the ECB file once, outside the timing
    t0 = time.perf_counter()
    frame = generate(a.rows)
    t1 = time.perf_counter()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if a.trace:
        tracemalloc.start()
    out = normalise(frame, currency="GBP", valuation=a.valuation,
                    years=None if a.years == "none" else a.years)
    t2 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if a.trace:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"rows in: {a.rows:,}  rows out: {len(out):,}  (years={a.years}, "
          f"valuation={a.valuation})")
    print(f"generate: {t1 - t0:.2f} s")
    print(f"normalise: {t2 - t1:.2f} s")
    print(f"peak memory (process max RSS): {rss:.0f} MiB "
          f"(before normalise: {rss0:.0f} MiB)")
    if a.trace:
        print(f"peak traced allocations during normalise: {peak / 2**20:.0f} MiB "
              f"(timing above includes tracemalloc overhead)")
    print(f"check: sum of value = {out['value_minor'].sum() / 100:,.2f} GBP")


if __name__ == "__main__":
    main()
