"""What a report is asked for and what it holds: ``ReportOptions`` (the
command's options), ``Report`` (every computed table with the notes that
explain them) and the Book a report reads (``as_book``, ``select_entries``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ledger.book import Book
from reports.filters import Filters, select

OTHER = "(other)"


TOTAL = "Total"


PAID_STATUSES = ("disbursed", "spent")


YEAR_MODE_TEXT = {
    "calendar": "calendar years (1 January to 31 December)",
    "fiscal-uk": "UK fiscal years (1 April to 31 March)",
    "fiscal-us": "US federal fiscal years (1 October to 30 September)",
}


@dataclass(frozen=True)
class ReportOptions:
    """What to report and how.  Filters mean the same as in ``ledger-tool list``."""
    currency: str = "GBP"
    valuation: str = "entry-date"         # entry-date | YYYY-MM-DD | yearly-average | as-stated
    basis: str = "total"                  # total | per-year
    years: str = "calendar"               # calendar | fiscal-uk | fiscal-us | fiscal
    fiscal_start: str | None = None       # MM-DD, for years="fiscal" (default: the ledger's)
    horizon: str | int | None = None      # last year counted for open-ended "per year" amounts
    locale: str = "en_GB"
    funder: tuple[str, ...] = ()
    purpose: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    compare: tuple[str, ...] = ()         # funders side by side (default: top-level funders)
    depth: int | None = None              # account depth for funder/purpose tables
    top: int = 12                         # charts: top N purposes, the rest as "(other)"
    rates: str | None = None              # a user rate table (CSV), else the ledger's / ECB
    title: str | None = None
    amounts: str = "compact"              # amounts in sentences: compact (£12m) | exact
    deflator: str | None = None           # a price index CSV (area,year,index): constant prices
    base_year: int | None = None          # ... of this year


@dataclass
class Report:
    """Every computed table plus the options and notes that explain them."""
    options: ReportOptions
    ledger_name: str
    generated: dt.datetime
    horizon: str | None                   # horizon actually used (None: none needed)
    year_label: str                       # "calendar years (…)" / "fiscal years starting …"
    frame: pd.DataFrame                   # normalised rows on the chosen basis (not spread)
    spread: pd.DataFrame                  # normalised rows spread into years (total basis)
    summary: pd.DataFrame                 # funder, purpose, amount, currency, qualifiers
    matrix: pd.DataFrame                  # purpose × funder (index purpose, columns funders)
    by_purpose: pd.DataFrame
    by_funder: pd.DataFrame
    by_year: pd.DataFrame                 # index year, columns funders
    by_status: pd.DataFrame
    comparison: pd.DataFrame              # index purpose, one column per compared funder
    funder_tree: pd.DataFrame
    purpose_tree: pd.DataFrame
    entries: pd.DataFrame                 # one row per entry × allocation, for people
    sources: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    # options that left entries out of every total, naming them (also in notes)
    warnings: list[str] = field(default_factory=list)
    rate_sources: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    facts: Any = None     # per entry: tags, open-ended, pays another (entry_facts)
    last_bounded: str | None = None       # last year a bounded entry reaches (None: none)
    projected: tuple[str, ...] = ()       # by-year years past it: only "a year" pledges
    open_by_year: pd.DataFrame | None = None   # the part of by_year from open-ended pledges

    @property
    def currency(self) -> str:
        return self.options.currency

    def basis_text(self) -> str:
        """One line stating currency, valuation and basis (for titles and captions)."""
        o = self.options
        basis = "total over each period" if o.basis == "total" else "amount per year"
        return f"{o.currency}, {basis}, valued at {self.valuation_text()}"

    def valuation_text(self) -> str:
        """How amounts are valued, with the price base when deflated (every
        title and caption that names the valuation names the base year)."""
        v = self.options.valuation
        text = {"entry-date": "rates at each entry's date",
                "yearly-average": "yearly average rates",
                "as-stated": "the sources' own conversions where given"}.get(v, f"rates on {v}")
        return text + ("," + price_base(self.options) if self.options.deflator else "")


def as_book(ledger):
    """A ``ledger.book.Book`` for ``ledger`` (a Book, or anything with ``.entries``)."""
    if isinstance(ledger, Book):
        return ledger
    return Book.from_entries(getattr(ledger, "entries", ledger),
                             getattr(ledger, "documents", None) or {},
                             getattr(ledger, "options", None) or {}, (),
                             getattr(ledger, "root", None))


def select_entries(ledger, options: ReportOptions):
    """The Book of the entries the report's filters choose (column-wise),
    split entries cut to their --purpose shares (``reports.filters.select``)."""
    return select(as_book(ledger), Filters.of(options))


def price_base(options) -> str:
    """" in GBP prices of 2015" when the figures are deflated, else ""."""
    if not getattr(options, "deflator", None):
        return ""
    return f" in {options.currency.upper()} prices of {options.base_year}"
