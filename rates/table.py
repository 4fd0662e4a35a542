"""A rate table: the embedded ECB history plus any user tables, with lookups.

Every rate answers "1 FROM = rate TO".  A pair's series is built from

1. user quotes for the pair itself (either direction; the other direction is
   inverted), which win over everything else on the same date;
2. otherwise the cross through the euro, ``TO per EUR / FROM per EUR``, where
   each leg is the ECB rate unless a user table gives EUR<->X on that date.

Inverses and crosses are Decimal quotients rounded to ``RATE_DIGITS``
significant digits; that rounded rate is the one recorded *and* used, so
``amount × rate`` always reproduces the converted value.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import shutil
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

import numpy as np
import pandas as pd

from ledger.cachedir import cache_dir, read_sealed, write_sealed
from ledger.errors import LedgerError
from ledger.limits import rate_problem
from ledger.phrases.money import currency_digits

from . import ecb
from ._dates import fiscal_index
from .usercsv import read_rates_csv

RATE_DIGITS = 15
# the most days a policy bridges from a published rate: the ECB's longest
# holiday closure (Easter, Christmas) is 5 days; a longer stretch is a hole
# in the data (ISK: none from 2008-12-10 to 2018-01-31), never a weekend
MAX_GAP_DAYS = 7
_GAP = np.timedelta64(MAX_GAP_DAYS, "D")
POLICIES = ("previous", "next", "nearest", "strict")
EURO = ecb.EURO
SAME_CURRENCY = "same currency"
LEDGER_RATES_FILE = "rates.csv"


def round_money(amount: Decimal, currency: str) -> Decimal:
    q = Decimal(1).scaleb(-currency_digits(currency))
    with localcontext() as ctx:
        ctx.prec = 80
        out = amount.quantize(q, rounding=ROUND_HALF_UP)
    # -0.004 GBP counts as 0.00, not -0.00 (which prints "-£0.00")
    return out if out else out.copy_abs()


def _recip(values: np.ndarray) -> np.ndarray:
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = RATE_DIGITS, ROUND_HALF_EVEN
        return _each_without_trailing_zeros(1 / values.astype(object))   # Decimal's division, at RATE_DIGITS


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = RATE_DIGITS, ROUND_HALF_EVEN
        return _each_without_trailing_zeros(np.divide(num.astype(object), den.astype(object)))


def _cross_ratio(nq, dq, nb, db) -> np.ndarray:
    """``(nq/dq) / (nb/db)`` rounded once to RATE_DIGITS (each leg is kept
    as its exact fraction, so an inverted user leg is not rounded twice)."""
    with localcontext() as ctx:
        ctx.prec = 80
        top = [a * b for a, b in zip(nq, db)]
        bottom = [a * b for a, b in zip(dq, nb)]
        ctx.prec, ctx.rounding = RATE_DIGITS, ROUND_HALF_EVEN
        out = np.empty(len(top), dtype=object)
        out[:] = [a / b for a, b in zip(top, bottom)]
    return _each_without_trailing_zeros(out)


def _year_end(dates: np.ndarray) -> np.ndarray:
    d = np.asarray(dates).astype("datetime64[D]")
    return (d.astype("datetime64[Y]") + 1).astype("datetime64[D]") - np.timedelta64(1, "D")


def _ones(n: int) -> np.ndarray:
    out = np.empty(n, dtype=object)
    out[:] = [Decimal(1)] * n
    return out


def _each_without_trailing_zeros(values: np.ndarray) -> np.ndarray:
    """The same Decimals without trailing zeros (0.8846, not 0.884600000000000)."""
    out = np.empty(len(values), dtype=object)
    out[:] = [_no_trailing_zeros(v) for v in values]
    return out


def _no_trailing_zeros(value: Decimal) -> Decimal:
    if not value.is_finite() or value == value.to_integral_value():
        return value.quantize(Decimal(1)) if value.is_finite() else value
    return value.normalize()


def _last_covered(frame: pd.DataFrame) -> np.datetime64:
    """The last day a leg's rates cover: an ECB rate its own day; a rate
    from a user table (priority > 0) holds to 31 December of its year, so a
    yearly rate given once (a peg, a planning rate) covers its year."""
    dates = frame["date"].to_numpy().astype("datetime64[D]")
    user = frame["priority"].to_numpy() > 0
    year_end = (dates.astype("datetime64[Y]") + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    return np.where(user, year_end, dates).max()


def _fmt_date(d) -> str:
    return str(np.datetime64(d, "D"))


class NoRateRoute(LedgerError):
    """No quote for a pair and no cross through the euro for it."""

    def __init__(self, base: str, quote: str, why: str):
        super().__init__(f"no exchange rate for {base}->{quote}: {why}")
        self.base, self.quote, self.why = base, quote, why

    def __reduce__(self):
        # raised in a Dask worker, it reaches the client whole
        return (type(self), (self.base, self.quote, self.why))


@dataclass(frozen=True)
class Series:
    """One pair's observations, sorted by date (one per date)."""
    base: str
    quote: str
    dates: np.ndarray        # datetime64[D]
    rate: np.ndarray         # Decimal objects
    source: np.ndarray       # str objects
    until: np.datetime64 | None = None   # the last day covered (None: the last date)
    reach: np.ndarray | None = None      # each rate's last day (None: MAX_GAP_DAYS on)
    held: np.ndarray | None = None       # each rate a user table's (None: none is)

    @property
    def reaches(self) -> np.ndarray:
        """The last day each rate may stand for: a published (ECB) rate
        MAX_GAP_DAYS on; a user table's rate to 31 December of its year."""
        return self.dates + _GAP if self.reach is None else self.reach

    @property
    def helds(self) -> np.ndarray:
        """Whether each rate is a user table's (held to its reach) rather
        than a published one (standing for its own day)."""
        return np.zeros(len(self.dates), dtype=bool) if self.held is None else self.held

    @property
    def covered_to(self) -> np.datetime64:
        return self.dates[-1] if self.until is None else max(self.until, self.dates[-1])

    def __len__(self) -> int:
        return len(self.dates)

    @functools.cached_property
    def ratio(self) -> tuple[np.ndarray, np.ndarray]:
        """The rates as exact integer fractions (numerators, denominators)."""
        pairs = [r.as_integer_ratio() for r in self.rate]
        num = np.empty(len(pairs), dtype=object)
        den = np.empty(len(pairs), dtype=object)
        num[:] = [p[0] for p in pairs]
        den[:] = [p[1] for p in pairs]
        return num, den

    @functools.cached_property
    def approx(self) -> np.ndarray:
        """The rates as (correctly rounded) floats, for estimates only."""
        return np.array([float(r) for r in self.rate], dtype=np.float64)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({"date": self.dates.astype("datetime64[s]"),
                             "rate": self.rate, "source": self.source})


@dataclass(frozen=True)
class Conversion:
    """One converted amount and where its rate came from."""
    amount: Decimal          # in ``currency``, rounded to its minor unit
    currency: str
    original: Decimal
    original_currency: str
    rate: Decimal            # 1 original_currency = rate currency
    rate_date: dt.date | None
    date: dt.date            # the date asked for
    source: str
    policy: str

    def as_dict(self) -> dict:
        return {"amount": str(self.amount), "currency": self.currency,
                "original": str(self.original),
                "original_currency": self.original_currency,
                "rate": str(self.rate),
                "rate_date": self.rate_date.isoformat() if self.rate_date else None,
                "date": self.date.isoformat(), "source": self.source,
                "policy": self.policy}


class RateTable:
    """The embedded ECB rates (unless ``embedded=False``) overlaid with user
    tables; later tables override earlier ones on the same date and pair."""

    def __init__(self, user_tables=(), *, embedded: bool = True):
        self.embedded = embedded
        self.files: list[str] = []
        frames = []
        for prio, table in enumerate(user_tables, start=1):
            if not isinstance(table, pd.DataFrame):
                self.files.append(str(table))
                table = read_rates_csv(table)
            table = table.copy()
            table["priority"] = prio
            frames.append(table)
        cols = ["date", "from", "to", "rate", "source", "origin", "priority"]
        self.user = (pd.concat(frames, ignore_index=True) if frames
                     else pd.DataFrame({c: [] for c in cols}))
        self.user["date"] = pd.to_datetime(self.user["date"]).to_numpy().astype("datetime64[D]")
        self._series: dict[tuple[str, str], Series] = {}
        # the embedded-only table keeps its pair series on disk between runs
        # (ledger.read.cache's folder): building one is pandas and Decimal
        # work, and a report needs one per currency
        self._stored = embedded and not frames

    @functools.cached_property
    def _ecb(self):
        return ecb.load_ecb() if self.embedded else None

    @functools.cached_property
    def data_end(self) -> np.datetime64 | None:
        """The embedded data's last day (USD is quoted on every ECB day)."""
        return ecb.per_euro("USD")[0][-1] if self.embedded else None

    # -- construction helpers ---------------------------------------------
    @classmethod
    def load(cls, rates=None, *, root=None, embedded: bool = True) -> RateTable:
        """``rates``: a RateTable (returned as is), a path, or a list of paths.
        ``root``: a ledger folder; its ``rates.csv`` is used when present
        (explicit tables override it)."""
        if isinstance(rates, RateTable):
            return rates
        tables = []
        if root is not None:
            auto = Path(root) / LEDGER_RATES_FILE
            if auto.is_file():
                tables.append(auto)
        if rates is not None:
            if isinstance(rates, (str, Path, pd.DataFrame)):
                rates = [rates]
            tables.extend(rates)
        if not tables and embedded and cls is RateTable:
            return _embedded_only()
        return cls(tables, embedded=embedded)

    @functools.cached_property
    def currencies(self) -> frozenset[str]:
        if self._stored:
            stored = _stored_currencies()
            if stored:
                return stored
        codes = set(self.user["from"]) | set(self.user["to"])
        if self._ecb is not None:
            codes |= set(self._ecb["currency"].unique()) | {EURO}
        if self._stored:
            _store_currencies(codes)
        return frozenset(codes)

    def check_currency(self, code: str, where: str = "") -> None:
        from babel.numbers import is_currency

        prefix = f"{where}: " if where else ""
        if code in self.currencies:
            return
        if not (len(code) == 3 and code.isalpha() and code.isupper()) or not is_currency(code):
            raise LedgerError(f"{prefix}unknown currency code {code!r} "
                              f"(expected an ISO 4217 code such as GBP, EUR, USD)")
        raise LedgerError(f"{prefix}no exchange rates for {code}: it is not among the "
                          f"ECB reference currencies; give its rates in a rate table "
                          f"(--rates FILE or the ledger's {LEDGER_RATES_FILE})")

    def _per_euro(self, code: str) -> pd.DataFrame:
        """Units of ``code`` per euro by date: date, rate, source, priority
        (made once per code: every cross rate into GBP needs GBP's; callers
        only read it, and pandas copies on write)."""
        memo = self.__dict__.setdefault("_per_euro_memo", {})
        if code not in memo:
            memo[code] = self._make_per_euro(code)
        return memo[code]

    def _make_per_euro(self, code: str) -> pd.DataFrame:
        parts = []
        if self._ecb is not None:
            dates, values = ecb.per_euro(code)
            if len(dates):
                parts.append(pd.DataFrame({"date": dates, "rate": values.copy(),
                                           "num": values.copy(), "den": _ones(len(dates)),
                                           "source": ecb.source_name(), "priority": 0,
                                           "reach": dates + _GAP, "held": False}))
        u = self.user
        fwd = u[(u["from"] == EURO) & (u["to"] == code)]
        inv = u[(u["from"] == code) & (u["to"] == EURO)]
        # a table's EUR->X row outranks its X->EUR row on the same date
        if len(fwd):
            parts.append(pd.DataFrame({"date": fwd["date"].to_numpy(),
                                       "rate": fwd["rate"].to_numpy(),
                                       "num": fwd["rate"].to_numpy(), "den": _ones(len(fwd)),
                                       "source": fwd["source"].to_numpy(),
                                       "priority": 2 * fwd["priority"].to_numpy() + 1,
                                       "reach": _year_end(fwd["date"].to_numpy()),
                                       "held": True}))
        if len(inv):
            parts.append(pd.DataFrame({"date": inv["date"].to_numpy(),
                                       "rate": _recip(inv["rate"].to_numpy()),
                                       "num": _ones(len(inv)), "den": inv["rate"].to_numpy(),
                                       "source": inv["source"].to_numpy(),
                                       "priority": 2 * inv["priority"].to_numpy(),
                                       "reach": _year_end(inv["date"].to_numpy()),
                                       "held": True}))
        return _latest_priority(parts)

    def series(self, base: str, quote: str) -> Series:
        """All observations of 1 ``base`` = rate ``quote``."""
        key = (base, quote)
        if key in self._series:
            return self._series[key]
        if self._stored:
            got = _stored_series(base, quote)
            if got is not None:
                self._series[key] = got
                return got
        self.check_currency(base)
        self.check_currency(quote)
        u = self.user
        parts = []
        fwd = u[(u["from"] == base) & (u["to"] == quote)]
        inv = u[(u["from"] == quote) & (u["to"] == base)]
        # direct quotes outrank the cross through EUR on the same date, and
        # a table's row for the pair as asked outranks its inverse
        if len(fwd):
            parts.append(pd.DataFrame({"date": fwd["date"].to_numpy(),
                                       "rate": fwd["rate"].to_numpy(),
                                       "source": fwd["source"].to_numpy(),
                                       "priority": 2 * fwd["priority"].to_numpy() + 1 + 10**6,
                                       "reach": _year_end(fwd["date"].to_numpy()),
                                       "held": True}))
        if len(inv):
            parts.append(pd.DataFrame({"date": inv["date"].to_numpy(),
                                       "rate": _recip(inv["rate"].to_numpy()),
                                       "source": inv["source"].to_numpy(),
                                       "priority": 2 * inv["priority"].to_numpy() + 10**6,
                                       "reach": _year_end(inv["date"].to_numpy()),
                                       "held": True}))
        n_own = len(parts)
        if base == EURO:
            parts.append(self._per_euro(quote).drop(columns=["num", "den"]))
        elif quote == EURO:
            b = self._per_euro(base)
            parts.append(b.assign(rate=_ratio(b["den"].to_numpy(), b["num"].to_numpy()))
                         .drop(columns=["num", "den"]))
        else:
            b, q = self._per_euro(base), self._per_euro(quote)
            if len(b) and len(q):
                j, cross_until = _cross(b, q)
                same = j["source_b"] == j["source_q"]
                parts.append(pd.DataFrame({
                    "date": j["date"].to_numpy(),
                    "rate": _cross_ratio(j["num_q"].to_numpy(), j["den_q"].to_numpy(),
                                         j["num_b"].to_numpy(), j["den_b"].to_numpy()),
                    "source": np.where(same, j["source_b"],
                                       j["source_b"] + " + " + j["source_q"]),
                    "priority": np.maximum(j["priority_b"], j["priority_q"]),
                    "reach": np.minimum(j["reach_b"].to_numpy(), j["reach_q"].to_numpy()),
                    "held": j["held_b"].to_numpy(bool) & j["held_q"].to_numpy(bool),
                    "until": cross_until}))
        if len(fwd) or len(inv):
            # the pair's own table rates replace the rest over their cover (to
            # the next one, the last to 31 December): a yearly rate given on
            # 1 January is that year's rate for every date and for its average
            own = np.unique(np.concatenate([fwd["date"].to_numpy(), inv["date"].to_numpy()])
                            .astype("datetime64[D]"))
            parts = parts[:n_own] + [_outside_cover(p, own) for p in parts[n_own:]]
        s = _latest_priority(parts)
        if not len(s):
            raise NoRateRoute(base, quote, self._no_route(base, quote))
        out = Series(base, quote, s["date"].to_numpy().astype("datetime64[D]"),
                     s["rate"].to_numpy(dtype=object), s["source"].to_numpy(dtype=object),
                     _series_until(parts), s["reach"].to_numpy().astype("datetime64[D]"),
                     s["held"].to_numpy(dtype=bool))
        self._series[key] = out
        if self._stored:
            _store_series(out)
        return out

    def _no_route(self, base: str, quote: str) -> str:
        """Why no quote and no cross through the euro connects the pair: a
        missing EUR leg (and what the tables give that currency against),
        or legs whose dates never meet."""
        legs = [c for c in (base, quote) if c != EURO]
        missing = [c for c in legs if not len(self._per_euro(c))]
        if missing:
            why = []
            for c in missing:
                u = self.user
                others = sorted(set(u.loc[u["from"] == c, "to"]) | set(u.loc[u["to"] == c, "from"]))
                known = (f"the rate tables give {c} only against {', '.join(others)}"
                         if others else f"no rate table gives {c}")
                why.append(f"there are no {c}<->EUR rates ({known})")
            give = (f"{base}->{quote} rates" if EURO in (base, quote) else
                    f"{base}->{quote} rates, or "
                    f"{' and '.join(f'{c}->EUR' for c in missing)} rates,")
            return (f"{'; '.join(why)}, and a pair without its own rates is crossed "
                    f"only through the euro (give {give} in a rate table: --rates FILE "
                    f"or the ledger's {LEDGER_RATES_FILE})")
        def cover(c: str) -> str:
            p = self._per_euro(c)
            return (f"the EUR->{c} rates cover {_fmt_date(p['date'].iloc[0])} to "
                    f"{_fmt_date(_last_covered(p))}")
        return (f"{' and '.join(cover(c) for c in legs)}, and no date has a rate "
                f"of both (give {base}->{quote} rates for the dates in a rate table "
                f"with --rates FILE)")

    def _series_at(self, base: str, quote: str, first, labels) -> Series:
        """``series``, its error naming the first row asked for (``labels``)
        and its date (``first``: that date, or none)."""
        try:
            return self.series(base, quote)
        except NoRateRoute as err:
            if not len(first):
                raise
            raise LedgerError(f"{_label(labels, 0)}no {base}->{quote} rate on "
                              f"{_fmt_date(first[0])}: {err.why}") from None

    # -- lookups ----------------------------------------------------------
    def locate(self, base: str, quote: str, dates, *, policy: str = "previous",
               clamp: bool = False, labels=None) -> tuple[Series, np.ndarray]:
        """Index into ``series(base, quote)`` for each date (vectorised).

        ``labels`` (same length as ``dates``) name the rows in messages."""
        check_policy(policy)
        d = np.asarray(dates).astype("datetime64[D]")
        s = self._series_at(base, quote, d[:1], labels)
        sd, n = s.dates, len(s)
        before, after = d < sd[0], d > s.covered_to
        outside = before | after
        if outside.any() and not clamp:
            i = int(np.flatnonzero(outside)[0])
            raise LedgerError(
                f"{_label(labels, i)}no {base}->{quote} rate on {_fmt_date(d[i])}: "
                f"the rates run from {_fmt_date(sd[0])} to {_fmt_date(s.covered_to)} "
                f"(give a rate table that covers it with --rates CSV, which report, "
                f"export and rates accept; 'rates convert --clamp' takes the nearest "
                f"end's rate for one conversion)")
        nxt = np.searchsorted(sd, d, side="left")
        prev = np.searchsorted(sd, d, side="right") - 1
        nxt_c = np.minimum(nxt, n - 1)
        prev_c = np.maximum(prev, 0)
        exact = sd[nxt_c] == d
        # a rate stands for the days up to its reach (a published rate
        # MAX_GAP_DAYS, a user table's to the end of its year); a later one
        # is taken at most MAX_GAP_DAYS ahead
        reach = s.reaches
        ok_prev = (prev >= 0) & (d <= reach[prev_c])
        ok_next = (nxt < n) & (sd[nxt_c] - d <= _GAP)
        if policy == "previous":
            idx, ok = prev_c, ok_prev
        elif policy == "next":
            held = ok_prev & (reach[prev_c] > sd[prev_c] + _GAP)   # a user rate's year
            idx, ok = np.where(ok_next | ~held, nxt_c, prev_c), ok_next | held
        elif policy == "nearest":
            closer = (d - sd[prev_c]) <= (sd[nxt_c] - d)
            idx = np.where(ok_prev & (closer | ~ok_next), prev_c, nxt_c)
            ok = ok_prev | ok_next
        else:  # strict
            missing = ~exact & ~outside
            if missing.any():
                i = int(np.flatnonzero(missing)[0])
                raise LedgerError(
                    f"{_label(labels, i)}no {base}->{quote} rate on {_fmt_date(d[i])} "
                    f"(not a trading day in the data) and the policy is 'strict'; "
                    f"use policy previous, next or nearest")
            idx, ok = nxt_c, exact
        bad = ~ok & ~outside
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise LedgerError(f"{_label(labels, i)}{_gap_message(s, d[i], prev[i], nxt[i], policy)}")
        idx = np.where(before, 0, np.where(after, n - 1, idx))
        return s, idx

    def stated_only(self, code: str) -> bool:
        """An ISO 4217 currency with no published rates in this table: its
        entries are valued by their own restatements
        (``rates.normalise.stated_fallback``)."""
        from babel.numbers import is_currency

        return code not in self.currencies and len(code) == 3 and code.isupper() and \
            is_currency(code)

    def rate(self, base: str, quote: str, date, *, policy="previous", clamp=False):
        """(rate, rate_date, source) for one date."""
        if base == quote:
            self.check_currency(base)
            return Decimal(1), _to_date(date), SAME_CURRENCY
        s, idx = self.locate(base, quote, [np.datetime64(_to_date(date), "D")],
                             policy=policy, clamp=clamp)
        i = int(idx[0])
        return s.rate[i], _to_date(s.dates[i]), str(s.source[i])

    def convert(self, amount, base: str, quote: str, date, *, policy="previous",
                clamp=False) -> Conversion:
        amount = Decimal(amount)
        date = _to_date(date)
        rate, rate_date, source = self.rate(base, quote, date, policy=policy, clamp=clamp)
        why = rate_problem(rate)   # a cross of two rows in bounds need not be
        if why:
            raise LedgerError(f"the {base}->{quote} rate on {_fmt_date(rate_date)} ({source}): "
                              f"{why} (give the pair's own rate with --rates CSV)")
        with localcontext() as ctx:
            ctx.prec = 80
            # counted at its own minor unit first, half up, as every report counts it
            value = round_money(round_money(amount, base) * rate, quote)
        return Conversion(value, quote, amount, base, rate, rate_date, date, source, policy)

    def yearly_averages(self, base: str, quote: str, start_month: int = 1,
                        start_day: int = 1, *, at=(), labels=None) -> pd.DataFrame:
        """Per (calendar or fiscal) year, indexed by the year's starting
        year, the mean over the year's rate days of the rate in force on
        each (``_in_force``): rate, count (the days), first, last (the first
        and last of them), reach (the last day their rates cover), source.
        ``at`` (a date) and ``labels`` (its row's name) name the first row
        in an error."""
        s = self._series_at(base, quote, np.asarray(at).astype("datetime64[D]"), labels)
        days, idx, fy = self._in_force(s, start_month, start_day)
        n = len(days)
        if not n:
            return pd.DataFrame({"rate": [], "count": [], "first": [], "last": [],
                                 "reach": [], "source": []}, index=pd.Index([], name="fy"))
        # runs of days with one year and one rate: (year, rate) weighted by days
        cut = np.ones(n, dtype=bool)
        cut[1:] = (fy[1:] != fy[:-1]) | (idx[1:] != idx[:-1])
        runs = np.flatnonzero(cut)
        weight = np.diff(np.append(runs, n))
        run_i, run_fy = idx[runs], fy[runs]
        year_runs = np.flatnonzero(np.append(True, run_fy[1:] != run_fy[:-1]))
        year_days = np.flatnonzero(np.append(True, fy[1:] != fy[:-1]))
        counts = np.add.reduceat(weight, year_runs)
        with localcontext() as ctx:
            ctx.prec = 80   # exact: sums of at most 15-digit rates times day counts
            terms = s.rate[run_i] if (weight == 1).all() else s.rate[run_i] * weight.astype(object)
            sums = np.add.reduceat(terms, year_runs)
            ctx.prec, ctx.rounding = RATE_DIGITS, ROUND_HALF_EVEN
            means = [+(a / int(b)) for a, b in zip(sums, counts)]
        src = s.source[run_i]
        ends = np.append(year_runs[1:], len(runs))
        return pd.DataFrame({
            "rate": np.array(means, dtype=object), "count": counts,
            "first": days[year_days], "last": days[np.append(year_days[1:], n) - 1],
            "reach": np.maximum.reduceat(s.reaches[run_i], year_runs),
            "source": [" + ".join(dict.fromkeys(src[a:b])) for a, b in zip(year_runs, ends)],
        }, index=pd.Index(run_fy[year_runs], name="fy"))

    def _in_force(self, s: Series, start_month: int = 1, start_day: int = 1
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rate days that have a rate in force, the index in ``s`` of
        that rate, and each day's (fiscal) year: the as-of lookup of policy
        previous, where a published (ECB) rate stands for its own day only
        (a day it is bridged to is not one of its days) and a user table's
        rate (``Series.helds``) for each day up to the pair's next rate or
        its reach.  The rate days are the ECB's business days
        (``_is_rate_day``); a year in which none of them has a rate in force
        (only a user rate of a weekend at its end) counts its calendar days
        instead.  Without user tables they are the series' own dates."""
        if not len(self.user):
            return s.dates, np.arange(len(s)), fiscal_index(s.dates, start_month, start_day)
        reach, held = s.reaches, s.helds
        days = np.arange(s.dates[0], max(reach.max(), s.dates[-1]) + np.timedelta64(1, "D"),
                         dtype="datetime64[D]")
        i = np.searchsorted(s.dates, days, side="right") - 1
        ic = np.maximum(i, 0)
        ok = (i >= 0) & ((s.dates[ic] == days) | (held[ic] & (days <= reach[ic])))
        days, ic = days[ok], ic[ok]
        fy = fiscal_index(days, start_month, start_day)
        rate_day = _is_rate_day(days, self.embedded)
        if not rate_day.all():
            keep = rate_day | ~np.isin(fy, np.unique(fy[rate_day]))
            days, ic, fy = days[keep], ic[keep], fy[keep]
        return days, ic, fy


@functools.cache
def _ecb_days() -> np.ndarray:
    """The ECB's business days: every date of its file (any currency)."""
    return np.unique(ecb.load_ecb()["date"].to_numpy().astype("datetime64[D]"))


def _is_rate_day(days: np.ndarray, embedded: bool) -> np.ndarray:
    """Whether each day counts in a yearly average: the ECB's business days
    within the span of its data, every calendar day outside it (years
    before 1999 or after the data's end, or with no embedded rates), where
    only user tables give rates."""
    if not embedded:
        return np.ones(len(days), dtype=bool)
    ecb_days = _ecb_days()
    outside = (days < ecb_days[0]) | (days > ecb_days[-1])
    return outside | np.isin(days, ecb_days)


# ------------------------------------------------ stored series (ECB only)
_STORE_FORMAT = 3   # 2: each rate's exact fraction and float stored too; 3: reach


def _store_folder() -> Path | None:
    """Where the embedded table's series are kept: one folder per ECB data
    version and version of this code (a change of either starts afresh)."""

    folder = cache_dir()
    return None if folder is None else folder / f"rates-{_store_key()}"


@functools.cache
def _store_key() -> str:
    h = hashlib.blake2b(digest_size=8)
    h.update(f"{_STORE_FORMAT} {ecb.data_version()} {RATE_DIGITS}".encode())
    for mod in (Path(__file__), Path(ecb.__file__)):
        try:
            h.update(mod.read_bytes())
        except OSError:
            h.update(str(mod).encode())
    return h.hexdigest()


def _stored_series(base: str, quote: str) -> Series | None:
    """A pair's series as stored by ``_store_series``, or None (not stored,
    unreadable, or from something else): then it is built afresh."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    folder = _store_folder()
    if folder is None or not (base.isalpha() and quote.isalpha()):
        return None

    try:
        data = read_sealed(folder.parent, f"{folder.name}/{base}-{quote}.arrow")
        if data is None:   # not stored, or planted / altered: built afresh
            return None
        t = ipc.open_file(pa.py_buffer(data)).read_all()
        meta = t.schema.metadata or {}
        if meta.get(b"pair") != f"{base}-{quote}".encode():
            return None
        rates = np.empty(t.num_rows, dtype=object)
        rates[:] = [Decimal(v) for v in t.column("rate").to_pylist()]
        out = Series(base, quote, t.column("date").to_numpy().astype("datetime64[D]"),
                     rates, np.asarray(t.column("source").to_pylist(), dtype=object))
        if "num" in t.column_names:   # the exact fractions and floats, as stored
            num, den = (t.column(c).to_numpy().astype(object) for c in ("num", "den"))
            out.__dict__["ratio"] = (num, den)   # the cached properties' values
            out.__dict__["approx"] = t.column("approx").to_numpy()
        return out
    except (OSError, pa.ArrowException, KeyError, ValueError, ArithmeticError):
        return None


def _make_store(folder: Path) -> None:
    """Create the store folder (0700) in the cache's own folder
    (``ledger.cachedir``); the first time, remove the stores of other data or
    code versions beside it (they can never be read again)."""

    if folder.is_dir():
        return
    folder.mkdir(mode=0o700, exist_ok=True)
    for old in folder.parent.glob("rates-*"):
        if old != folder and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def _store_series(s: Series) -> None:
    """Keep a built series for the next run; a store that cannot be written
    is skipped (it never changes a result)."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    folder = _store_folder()
    if folder is None:
        return
    try:
        _make_store(folder)
        cols = {"date": pa.array(s.dates, pa.date32()),
                "rate": pa.array([str(r) for r in s.rate], pa.string()),
                "source": pa.array(list(s.source), pa.string())}
        num, den = s.ratio
        if all(-2**63 <= v < 2**63 for v in (*num, *den)):   # else made afresh each run
            cols.update(num=pa.array(list(num), pa.int64()), den=pa.array(list(den), pa.int64()),
                        approx=pa.array(s.approx, pa.float64()))
        t = pa.table(cols).replace_schema_metadata({b"pair": f"{s.base}-{s.quote}".encode()})
        sink = pa.BufferOutputStream()
        with ipc.new_file(sink, t.schema) as w:
            w.write_table(t)
        write_sealed(folder.parent, f"{folder.name}/{s.base}-{s.quote}.arrow", sink.getvalue())
    except Exception:
        pass


def _stored_currencies() -> frozenset[str] | None:
    folder = _store_folder()
    try:
        data = read_sealed(folder.parent, f"{folder.name}/currencies.txt") if folder else b""
        if data is None:
            return None
        codes = bytes(data).decode("ascii").split()
    except UnicodeDecodeError:
        return None
    ok = codes and codes[-1] == "end" and all(len(c) == 3 and c.isalpha() for c in codes[:-1])
    return frozenset(codes[:-1]) if ok else None


def _store_currencies(codes) -> None:
    folder = _store_folder()
    if folder is None:
        return
    try:
        _make_store(folder)
        write_sealed(folder.parent, f"{folder.name}/currencies.txt",
                     (" ".join(sorted(codes)) + " end\n").encode())
    except Exception:
        pass


@functools.cache
def _embedded_only() -> RateTable:
    """The shared ECB-only table (its pair series are cached across calls)."""
    return RateTable()


def check_policy(policy: str) -> None:
    if policy not in POLICIES:
        raise LedgerError(f"unknown rate policy {policy!r}; choose one of "
                          f"{', '.join(POLICIES)}")


def _gap_message(s: Series, day, prev: int, nxt: int, policy: str) -> str:
    """No rate near ``day``: name the rates on each side and the bound."""
    def side(i: int) -> str:
        return f"{s.rate[i]} on {_fmt_date(s.dates[i])}" if 0 <= i < len(s) else "none"
    return (f"no {s.base}->{s.quote} rate on {_fmt_date(day)}: the nearest rates are "
            f"{side(prev)} and {side(nxt)} (policy {policy} bridges at most "
            f"{MAX_GAP_DAYS} days, a user table's rate to the end of its year; give "
            f"a rate table that covers the date with --rates CSV)")


def _label(labels, i) -> str:
    if labels is None:
        return ""
    return f"{labels[i]}: "


def _to_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return dt.date.fromisoformat(str(value.astype("datetime64[D]")))
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise LedgerError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    return pd.Timestamp(value).date()


def _cross(b: pd.DataFrame, q: pd.DataFrame) -> tuple[pd.DataFrame, np.datetime64]:
    """The two per-euro legs of a cross, side by side (``rate_b``,
    ``rate_q``, …), and the last day they both cover.  ECB legs pair up on
    their common dates; with a user table's leg each leg's latest rate is
    taken on every date either has, within both legs' cover (a peg given
    once holds against the daily rates of the other currency)."""
    until = min(_last_covered(b), _last_covered(q))
    if not ((b["priority"] > 0).any() or (q["priority"] > 0).any()):
        j = b.merge(q, on="date", suffixes=("_b", "_q"))
        return j, (np.datetime64(j["date"].max(), "D") if len(j) else until)
    bd = b["date"].to_numpy().astype("datetime64[D]")
    qd = q["date"].to_numpy().astype("datetime64[D]")
    dates = np.union1d(bd, qd)
    dates = dates[(dates >= max(bd[0], qd[0])) & (dates <= until)]
    ib = np.searchsorted(bd, dates, side="right") - 1
    iq = np.searchsorted(qd, dates, side="right") - 1
    j = pd.DataFrame({"date": dates})
    for leg, idx, sfx in ((b, ib, "_b"), (q, iq, "_q")):
        for c in ("rate", "num", "den", "source", "priority", "reach", "held"):
            j[c + sfx] = leg[c].to_numpy()[idx]
    # a leg's latest rate beyond its reach (a hole in its data) makes no cross
    fresh = dates <= np.minimum(j["reach_b"].to_numpy(), j["reach_q"].to_numpy())
    # two published legs pair up on their common dates only, as without user
    # rows: a user row elsewhere in a leg must not bridge the other leg's
    # dates (ISK->GBP to 2008-12-16 past ISK's last rate of 12-09)
    user = j["held_b"].to_numpy(bool) | j["held_q"].to_numpy(bool)
    both = (bd[ib] == dates) & (qd[iq] == dates)
    return j[fresh & (user | both)].reset_index(drop=True), until


def _series_until(parts) -> np.datetime64 | None:
    """The last day a pair's parts cover (``_last_covered``; a cross: its
    ``until``), or None when that is its last date."""
    ends = []
    for p in parts:
        if not len(p):
            continue
        if "until" in p:
            ends.append(np.datetime64(p["until"].iloc[0], "D"))
        else:
            ends.append(_last_covered(p))
    return max(ends) if ends else None


def _outside_cover(part: pd.DataFrame, own: np.ndarray) -> pd.DataFrame:
    """The rows of ``part`` on dates no rate of ``own`` (sorted dates of a
    pair's user rates) covers: from one to 31 December of its year."""
    if not len(part):
        return part
    d = part["date"].to_numpy().astype("datetime64[D]")
    i = np.searchsorted(own, d, side="right") - 1
    covered = (i >= 0) & (d <= _year_end(own[np.maximum(i, 0)]))
    return part[~covered]


def _latest_priority(parts) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    if not parts:   # a leg's columns too (num, den), so a cross finds none
        return pd.DataFrame({"date": np.array([], dtype="datetime64[D]"), "rate": [],
                             "num": [], "den": [], "source": [], "priority": [],
                             "reach": np.array([], dtype="datetime64[D]"),
                             "held": np.array([], dtype=bool)})
    s = pd.concat(parts, ignore_index=True)
    s = s.sort_values(["date", "priority"], kind="stable")
    return s.drop_duplicates("date", keep="last").reset_index(drop=True)


def load_rates(rates=None, *, root=None, embedded: bool = True) -> RateTable:
    """See ``RateTable.load``."""
    return RateTable.load(rates, root=root, embedded=embedded)
