"""Find money mentions in source documents.

``find_mentions(text)`` reports every amount that carries a currency (symbol,
ISO code or name) with its position, qualifier, period and any restatement in
brackets right after it.  Bare numbers ("2.5 million refugees", "107,500
migrants", dates) are not money and are not reported.

``read_document(path)`` reads a file for extraction with the archive's reader
(``ledger.archive.read_source``): UTF-8 (BOM and CRLF accepted) with a cp1252
fallback, HTML reduced to its visible text, PDF text extracted.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from .errors import LedgerError
from .model import FISCAL_YEAR, OVER, PER_YEAR, Money, Period
from .money import MoneyError, extend_phrase, iter_atoms, plain_decimal
from .period import span_years

__all__ = ["Mention", "find_mentions", "mentions_in", "read_document",
           "ExtractError", "html_to_text", "CSV_COLUMNS"]

CSV_COLUMNS = ("doc", "line", "column", "phrase", "amount", "currency", "qualifier",
               "per", "over_years", "fiscal_year", "restated")


class ExtractError(LedgerError, ValueError):
    """A document that cannot be read; the message names the file."""


@dataclass(frozen=True, slots=True)
class Mention:
    doc: str
    line: int                 # 1-based
    column: int               # 1-based, in characters
    phrase: str               # the exact text span
    amount: Decimal
    currency: str
    qualifier: str = "exact"
    per: str = ""             # "year" for a rate, else ""
    over_years: Decimal | None = None
    fiscal_year: str = ""
    restated: tuple[Money, ...] = ()
    period: Period = field(default_factory=Period)
    amount_text: str = ""     # qualifier + amount as written ("up to £7 million")
    period_text: str = ""     # the period as written ("over three years")
    restated_text: tuple[str, ...] = ()   # each restatement as written
    offset: int = 0           # character offset of the phrase in the text

    def row(self) -> dict[str, str]:
        """The CSV row (all strings), columns as in CSV_COLUMNS."""
        return {
            "doc": self.doc, "line": str(self.line), "column": str(self.column),
            "phrase": self.phrase, "amount": plain_decimal(self.amount),
            "currency": self.currency, "qualifier": self.qualifier, "per": self.per,
            "over_years": "" if self.over_years is None else plain_decimal(self.over_years),
            "fiscal_year": self.fiscal_year,
            "restated": ";".join(f"{m.currency} {plain_decimal(m.amount)}" for m in self.restated),
        }


def _period_fields(period: Period) -> tuple[str, Decimal | None, str]:
    per = "year" if period.kind == PER_YEAR else ""
    years = period.years
    if years is None and period.start and period.end and period.kind in (PER_YEAR, OVER):
        years = span_years(period.start, period.end)
    fiscal = period.fiscal_year or "" if period.kind == FISCAL_YEAR else ""
    return per, years, fiscal


def find_mentions(text: str, doc: str = "") -> list[Mention]:
    """Every money mention in ``text``, in order of appearance."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]
    mentions: list[Mention] = []
    consumed_to = -1
    for atom in iter_atoms(text):
        if atom.start < consumed_to:      # part of an earlier phrase's brackets
            continue
        line_idx = bisect.bisect_left(newlines, atom.start)
        line_start = newlines[line_idx - 1] + 1 if line_idx else 0
        try:
            ph = extend_phrase(text, atom, line_start=max(line_start, consumed_to))
        except MoneyError:  # pragma: no cover - non-strict extension does not raise
            continue
        consumed_to = ph.end
        per, years, fiscal = _period_fields(ph.period)
        mentions.append(Mention(
            doc=doc, line=line_idx + 1, column=ph.start - line_start + 1,
            phrase=text[ph.start:ph.end], amount=atom.amount, currency=atom.currency,
            qualifier=ph.qualifier, per=per, over_years=years, fiscal_year=fiscal,
            restated=tuple(Money(r.amount, r.currency) for r in ph.restated),
            period=ph.period, amount_text=ph.amount_text, period_text=ph.period_text,
            restated_text=tuple(r.text for r in ph.restated), offset=ph.start,
        ))
    return mentions


# ----------------------------------------------------------------- reading
def read_document(path: str | Path):
    """Read a document (text, HTML or PDF) for extraction: the archive's
    reader, so ``extract`` and ``audit`` see the same text.  Raises
    ``ExtractError`` naming the file when it is missing, unreadable or binary."""
    from .archive import read_source

    try:
        return read_source(path)
    except LedgerError as err:
        raise ExtractError(str(err)) from None


def html_to_text(source: str) -> str:
    """The visible text of an HTML document (tags dropped, entities decoded,
    block elements on their own lines, scripts and styles left out)."""
    from .archive import html_text

    return html_text(source)[0]


def mentions_in(doc, name: str = "") -> list[Mention]:
    """The money mentions of a document read by ``read_document``, with line
    and column in the *file* (for HTML, where the phrase starts in the markup;
    for PDF, in the extracted text) — the positions the audit reports."""
    out = []
    for m in find_mentions(doc.text, name or doc.path.name):
        at = doc.locate(m.offset)
        out.append(replace(m, line=at.line, column=at.column))
    return out
