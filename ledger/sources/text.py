"""A document's text: what quotes, extraction and the audit search.

``read_source(path)`` reads a plain-text, HTML or PDF document into a
``SourceText``: its searchable text (the visible text for HTML, pypdf's text
for PDF), its SHA-256, and a map from positions in that text back to line and
column *in the file itself*, so that an auditor can open the file at the
reported place.  The archive (``ledger.sources.archive``) and the renderings
(``ledger.sources.render``) both read through here.
"""
from __future__ import annotations

import bisect
import hashlib
import html
import html.parser
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ledger.errors import LedgerError
from ledger.safe_io import open_checked, read_bytes

__all__ = ["SourceText", "Location", "read_source", "sha256_file", "html_text", "pdf_pages",
           "hidden_element", "text_shown", "SHOWN", "TEXT_SUFFIXES", "HTML_SUFFIXES",
           "PDF_SUFFIXES"]

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
PDF_SUFFIXES = (".pdf",)
TEXT_SUFFIXES = (".txt", ".text", ".md", ".csv")
MAX_PDF_PAGES = 10_000                # a long report has hundreds
MAX_PDF_TEXT = 100 * 1024 * 1024      # characters of text in one PDF
# The content streams its pages draw, added up page by page (a stream that
# several pages share counts once per page: pages x stream size).  Text
# extraction takes time in proportion to it (benchmarks/README.md); a long
# report draws a few megabytes.
MAX_PDF_CONTENT = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a document file: 1-based line and column (characters);
    ``page`` for PDF documents (1-based), else 0."""
    line: int
    column: int
    page: int = 0

    def __str__(self) -> str:
        head = f"p.{self.page} " if self.page else ""
        return f"{head}{self.line}:{self.column}"


@dataclass(frozen=True, eq=False)
class SourceText:
    """A document read for auditing.

    ``text`` is what is searched (visible text for HTML); ``source`` is the
    decoded file (the same as ``text`` for plain text).  ``origin[i]`` is the
    offset in ``source`` of ``text[i]`` (``None`` when they are the same)."""
    path: Path
    kind: str                      # "text" | "html" | "pdf"
    text: str
    sha256: str
    source: str = ""
    origin: tuple[int, ...] | None = None
    warnings: tuple[str, ...] = ()
    page_starts: tuple[int, ...] = ()   # PDF: offset in ``text`` where each page starts
    rendering_sha256: str = ""          # a web page's or PDF's text rendering (ledger.sources.render)
    _lines: list[int] = field(default_factory=list, repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def is_html(self) -> bool:
        return self.kind == "html"

    def __post_init__(self):
        src = self.source if self.origin is not None else self.text
        self._lines.extend(m.start() + 1 for m in re.finditer("\n", src))

    def source_offset(self, offset: int) -> int:
        """The offset in the file's decoded text of ``text[offset]``."""
        if self.origin is None:
            return offset
        if not self.origin:
            return 0
        return self.origin[min(max(offset, 0), len(self.origin) - 1)]

    def locate(self, offset: int) -> Location:
        """Line and column in the file (1-based) of ``text[offset]``."""
        off = self.source_offset(offset)
        i = bisect.bisect_right(self._lines, off)
        line_start = self._lines[i - 1] if i else 0
        page = bisect.bisect_right(self.page_starts, offset) if self.page_starts else 0
        return Location(i + 1, off - line_start + 1, page)

    def context(self, start: int, end: int, radius: int = 240) -> tuple[str, str, str]:
        """(before, span, after) around ``text[start:end]``, cut at word
        boundaries about ``radius`` characters either side."""
        a = max(0, start - radius)
        b = min(len(self.text), end + radius)
        before, after = self.text[a:start], self.text[end:b]
        if a > 0 and " " in before:
            before = "…" + before[before.index(" ") + 1:]
        if b < len(self.text) and " " in after:
            after = after[:after.rindex(" ")] + "…"
        return before, self.text[start:end], after



# --------------------------------------------------------------- reading
def sha256_file(path: str | Path, inside: str | Path | None = None) -> str:
    """The SHA-256 of a regular file read through ``ledger.safe_io`` (confined
    to ``inside`` when given, checked on the opened descriptor)."""
    h = hashlib.sha256()
    fd = open_checked(path, inside=inside, what="document")
    with os.fdopen(fd, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _decode(data: bytes, p: Path) -> tuple[str, list[str]]:
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise LedgerError(f"{p}: looks like UTF-16 but cannot be decoded") from None
    else:
        if b"\x00" in data[:8192]:
            raise LedgerError(f"{p}: binary file, not a text, HTML or PDF document")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            text = data.decode("cp1252", errors="replace")
            warnings.append(f"{p}: not valid UTF-8 (byte {err.start + 1}); read as cp1252")
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3",
               "h4", "h5", "h6", "section", "article", "header", "footer", "blockquote",
               "pre", "hr", "title", "dt", "dd", "figcaption", "td", "th", "main", "nav"}
_HIDDEN_TAGS = {"script", "style", "noscript", "template", "head"}
_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
              "param", "source", "track", "wbr"}


# ------------------------------------------------ what no reader of the page sees
# The markup and inline style that hide text, honoured alike by this reader
# and by the renderings (ledger.sources.render); a style sheet's rules are
# not (docs/audit.md).
def _declarations(style: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for decl in style.split(";"):
        name, sep, value = decl.partition(":")
        if sep:
            out[name.strip().lower()] = " ".join(value.lower().replace("!important", "").split())
    return out


_ZERO = re.compile(r"[+-]?(?:0+\.?0*|\.0+)(?:[a-z]+|%)?")
# a font size relative to the parent's: zero stays zero
_RELATIVE_SIZE = re.compile(r"(?:[+-]?[\d.]+(?:em|ex|ch|%|cap|ic|lh)|smaller|larger|inherit|unset)")


def hidden_element(tag: str, attrs) -> bool:
    """Whether an element and all it holds are shown to no reader: a
    ``<template>``, ``<noscript>`` (the page is read with scripts on), the ``hidden`` attribute, ``aria-hidden="true"``, an
    ``<input type=hidden>``, inline ``display:none`` or ``opacity:0``
    (``attrs``: (name, value) pairs)."""
    if tag in ("template", "noscript"):
        return True
    a = {k.lower(): (v or "").strip().lower() for k, v in attrs}
    if "hidden" in a or a.get("aria-hidden") == "true":
        return True
    if tag == "input" and a.get("type") == "hidden":
        return True
    if "style" not in a:
        return False
    d = _declarations(a["style"])
    return d.get("display") == "none" or bool(_ZERO.fullmatch(d.get("opacity", "1")))


SHOWN = (True, True)     # (visibility, font size) of the page's root: text shown


def text_shown(attrs, parent: tuple[bool, bool]) -> tuple[bool, bool]:
    """An element's (visible, sized) from its inline style and its parent's:
    ``visibility:hidden`` and ``font-size:0`` hide its text, and a child's
    ``visibility:visible`` or non-zero absolute size shows text again, as
    the browser inherits them.  Its own text is shown when both are true."""
    style = next((v or "" for k, v in attrs if k.lower() == "style"), "")
    if not style:
        return parent
    d = _declarations(style)
    visible, sized = parent
    vis = d.get("visibility")
    if vis in ("hidden", "collapse"):
        visible = False
    elif vis in ("visible", "initial"):
        visible = True
    size = d.get("font-size")
    if size:
        if _ZERO.fullmatch(size):
            sized = False
        elif not _RELATIVE_SIZE.fullmatch(size):
            sized = True
    return visible, sized


# the end tags a browser implies before a start tag: (closed, closed at most up to)
_IMPLIED_END = {"li": ({"li"}, {"ul", "ol", "menu"}), "dt": ({"dt", "dd"}, {"dl"}),
                "dd": ({"dt", "dd"}, {"dl"}), "tr": ({"tr", "td", "th"}, {"table"}),
                "td": ({"td", "th"}, {"tr", "table"}), "th": ({"td", "th"}, {"tr", "table"}),
                "option": ({"option"}, {"select"})}
_CLOSES_P = {"address", "article", "aside", "blockquote", "details", "dialog", "div", "dl",
             "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
             "h5", "h6", "header", "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre",
             "section", "table", "ul", "li", "dd", "dt"}
_P_SCOPE = {"table", "td", "th", "caption", "html", "button", "template", "object"}


class _PositionedText(html.parser.HTMLParser):
    """Visible text of an HTML document, remembering for each character the
    offset in the source where it comes from."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0] + [m.start() + 1 for m in re.finditer("\n", source)]
        self.chars: list[str] = []
        self.origin: list[int] = []
        self._skip = 0
        # the open elements: (tag, inside a hidden one, (visible, sized)),
        # and where in that list each tag is open (no scan of a deep page's list)
        self._open: list[tuple[str, bool, tuple[bool, bool]]] = []
        self._where: dict[str, list[int]] = {}

    def _hidden(self) -> bool:
        if self._skip:
            return True
        if not self._open:
            return False
        _, dropped, shown = self._open[-1]
        return dropped or not all(shown)

    def _close_to(self, names, bounds) -> None:
        """Close the innermost open element named in ``names`` (and all
        inside it), unless one named in ``bounds`` is open inside it."""
        where = self._where
        i = max((where[n][-1] for n in names if where.get(n)), default=-1)
        if i < 0 or any(where[b][-1] > i for b in bounds if where.get(b)):
            return
        for tag, _, _ in self._open[i:]:
            where[tag].pop()
        del self._open[i:]

    def _here(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _emit(self, text: str, at: int, step: bool) -> None:
        self.chars.append(text)
        self.origin.extend(range(at, at + len(text)) if step else [at] * len(text))

    def _block(self) -> None:
        if not self._skip:
            self._emit("\n", self._here(), False)

    def _push(self, tag, attrs) -> None:
        if tag in _CLOSES_P:
            self._close_to({"p"}, _P_SCOPE)
        if tag in _IMPLIED_END:
            self._close_to(*_IMPLIED_END[tag])
        if tag not in _VOID_TAGS:
            _, dropped, shown = self._open[-1] if self._open else ("", False, SHOWN)
            self._where.setdefault(tag, []).append(len(self._open))
            self._open.append((tag, dropped or hidden_element(tag, attrs),
                               text_shown(attrs, shown)))

    def handle_starttag(self, tag, attrs):
        self._push(tag, attrs)
        if tag in _HIDDEN_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self._block()

    def handle_startendtag(self, tag, attrs):
        self._push(tag, attrs)      # <div hidden/> opens a div, as a browser reads it
        if tag in _BLOCK_TAGS:
            self._block()

    def handle_endtag(self, tag):
        self._close_to({tag}, ())
        if tag in _HIDDEN_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self._block()

    def handle_data(self, data):
        if not self._hidden():
            self._emit(data, self._here(), True)

    def handle_entityref(self, name):
        if not self._hidden():
            text = html.unescape(f"&{name};")
            self._emit(text, self._here(), False)

    def handle_charref(self, name):
        if not self._hidden():
            self._emit(html.unescape(f"&#{name};"), self._here(), False)


def html_text(source: str) -> tuple[str, tuple[int, ...]]:
    parser = _PositionedText(source)
    parser.feed(source)
    parser.close()
    return "".join(parser.chars), tuple(parser.origin)


def _pdf_text(data: bytes, p: Path) -> tuple[str, tuple[int, ...]]:
    # the text of ledger.sources.render.render_pdf, line for line (extract's
    # locators name its lines), pages parted by a form feed on its own line
    # (a quote's omission never runs from one page into the next)
    pages = [t.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").strip("\n")
             for t in pdf_pages(data, p)]
    starts, at = [], 0
    for t in pages:
        starts.append(at)
        at += len(t) + 3          # the page, then "\n\f\n"
    return "\n\f\n".join(pages) + "\n", tuple(starts)


def read_source(path: str | Path, inside: str | Path | None = None) -> SourceText:
    """Read one archived document; raise ``LedgerError`` naming the file when
    it is missing, unreadable, binary or a broken PDF, and (``ledger.safe_io``)
    when it is not a regular file, is over the size cap, or lies outside the
    folder ``inside`` (symlinks followed)."""
    p = Path(path)
    data = read_bytes(p, inside=inside, what="document")
    digest = hashlib.sha256(data).hexdigest()
    suffix = p.suffix.lower()
    if suffix in PDF_SUFFIXES or data.startswith(b"%PDF-"):
        text, pages = _pdf_text(data, p)
        if not text.strip():
            return SourceText(p, "pdf", text, digest, page_starts=pages,
                              warnings=(f"{p}: the PDF has no extractable text (scanned?)",))
        return SourceText(p, "pdf", text, digest, page_starts=pages)
    source, warnings = _decode(data, p)
    if suffix in HTML_SUFFIXES or re.match(r"\s*<(!doctype\s+html|html)", source[:200], re.I):
        text, origin = html_text(source)
        return SourceText(p, "html", text, digest, source, origin, tuple(warnings))
    return SourceText(p, "text", source, digest, warnings=tuple(warnings))


def pdf_pages(data: bytes, name: str | Path) -> list[str]:
    """pypdf's text of each page of the PDF ``data`` (the bytes already read
    through ``safe_io``, never the path again).  pypdf caps each stream's
    decompression; the page count and the text as a whole are capped here,
    so that pages sharing one large content stream cannot multiply it."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise LedgerError(f"{name}: a PDF of {len(reader.pages):,} pages, more than the "
                              f"{MAX_PDF_PAGES:,} ledger-tool reads as a source document")
        seen: dict = {}
        drawn = sum(_content_size(page, seen) for page in reader.pages)
        if drawn > MAX_PDF_CONTENT:
            raise LedgerError(
                f"{name}: the PDF's {len(reader.pages):,} pages draw {drawn / 2**20:,.0f} MB of "
                f"content together (a stream shared by pages counts for each), more than the "
                f"{MAX_PDF_CONTENT // 2**20} MB ledger-tool reads as a source document")
        pages, size = [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            size += len(pages[-1])
            if size > MAX_PDF_TEXT:
                raise LedgerError(f"{name}: the PDF's text runs past {MAX_PDF_TEXT:,} "
                                  "characters; not read as a source document")
    except LedgerError:
        raise
    except (PyPdfError, ValueError, KeyError, OSError, TypeError, RecursionError) as err:
        raise LedgerError(f"{name}: cannot read PDF: {_said(err)}") from None
    except Exception as err:   # noqa: BLE001 - a malformed file breaks pypdf anywhere
        # (NotImplementedError, AttributeError, AssertionError, IndexError...):
        # whatever pypdf raises is one line naming the file, never a traceback
        raise LedgerError(f"{name}: cannot read PDF ({type(err).__name__} in the PDF "
                          f"library: {_said(err)})") from None
    return pages


def _said(err: Exception) -> str:
    """An exception's message in one short line."""
    text = " ".join(str(err).split()) or "no detail"
    return text if len(text) <= 200 else text[:200] + "…"


def _content_size(page, seen: dict) -> int:
    """The bytes of the content streams ``page`` draws (decoded once per
    stream: ``seen`` keeps each shared stream's size)."""
    contents = page.get("/Contents")
    if contents is None:
        return 0
    refs = contents if isinstance(contents, list) else [contents]
    total = 0
    for ref in refs:
        key = (getattr(ref, "idnum", None), getattr(ref, "generation", None))
        if key[0] is None or key not in seen:
            obj = ref.get_object()
            size = len(obj.get_data()) if hasattr(obj, "get_data") else 0
            if key[0] is None:
                total += size
                continue
            seen[key] = size
        total += seen[key]
    return total
