"""Find money mentions in source documents.

``find_mentions(text)`` reports every amount that carries a currency (symbol,
ISO code or name) with its position, qualifier, period and any restatement in
brackets right after it.  Bare numbers ("2.5 million refugees", "107,500
migrants", dates) are not money and are not reported.

``read_document(path)`` reads a file for extraction: UTF-8 (BOM and CRLF
accepted) with a cp1252 fallback, HTML reduced to its text.
"""
from __future__ import annotations

import bisect
import html.parser
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .model import FISCAL_YEAR, OVER, PER_YEAR, Money, Period
from .money import MoneyError, extend_phrase, iter_atoms, plain_decimal
from .period import span_years

__all__ = ["Mention", "find_mentions", "read_document", "DocumentText",
           "ExtractError", "html_to_text", "CSV_COLUMNS"]

CSV_COLUMNS = ("doc", "line", "column", "phrase", "amount", "currency", "qualifier",
               "per", "over_years", "fiscal_year", "restated")


class ExtractError(ValueError):
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
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3",
               "h4", "h5", "h6", "section", "article", "header", "footer", "blockquote",
               "pre", "hr", "title", "dt", "dd", "figcaption", "td", "th"}


class _TextOnly(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "noscript", "template"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(source: str) -> str:
    """The visible text of an HTML document: tags dropped, entities decoded,
    block elements on their own lines, scripts and styles left out."""
    parser = _TextOnly()
    parser.feed(source)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]*\n[ \t\r\f\v]*", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


@dataclass(frozen=True)
class DocumentText:
    path: Path
    text: str
    warnings: tuple[str, ...] = ()
    is_html: bool = False

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def stem(self) -> str:
        return self.path.stem


def read_document(path: str | Path) -> DocumentText:
    """Read a document for extraction; raises ExtractError naming the file
    when it is missing, unreadable or binary."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ExtractError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise ExtractError(f"{p}: is a directory, not a document") from None
    except PermissionError:
        raise ExtractError(f"{p}: permission denied") from None
    except OSError as err:
        raise ExtractError(f"{p}: cannot read: {err.strerror or err}") from None
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ExtractError(f"{p}: looks like UTF-16 but cannot be decoded") from None
    else:
        if b"\x00" in data[:8192]:
            raise ExtractError(f"{p}: binary file, not a text document")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            text = data.decode("cp1252", errors="replace")
            warnings.append(f"{p}: not valid UTF-8 (byte {err.start + 1}); read as cp1252")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    is_html = p.suffix.lower() in (".html", ".htm")
    if is_html:
        text = html_to_text(text)
    return DocumentText(p, text, tuple(warnings), is_html)
