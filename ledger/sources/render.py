"""Text renderings of web pages and PDFs: what quotes are checked against.

A web page or a PDF is archived twice: the original bytes (their SHA-256 is
the document's ``sha256``) and a plain-text rendering next to it
(``page.html`` → ``page.html.txt``, hash in ``text_sha256``).  Quotes,
extraction and the audit read the rendering, so they do not depend on the
version of the library that made it; the original proves where it came from.

- HTML: the page's main text, as trafilatura extracts it (navigation, header,
  footer, cookie banners and scripts dropped), headings kept as ``#`` lines
  so a citation can name its section (``locator = "heading: Funding"``).
  Text no reader sees is dropped first, as ``ledger.sources.text`` reads a
  raw page (``hidden_element``, ``text_shown``: markup and inline style).
- PDF: pypdf's text, page after page, pages separated by a form feed
  (``\\f``) so a citation can name its page (``locator = "page 3"``).
"""
from __future__ import annotations

import bisect
import functools
import hashlib
import logging
import os
import re
from pathlib import Path

from ledger.errors import LedgerError
from ledger.safe_io import SIZE_ENV, check_file, max_bytes, open_checked, read_bytes
from ledger.sources.text import (PDF_SUFFIXES, SHOWN, SourceText, _decode, hidden_element, html_text,
                                 pdf_pages, read_source, sha256_file, text_shown)

__all__ = ["RENDERED_SUFFIXES", "needs_rendering", "rendering_path", "render",
           "render_html", "render_pdf", "pdf_pages", "read_rendered", "page_at", "heading_at",
           "check_locator", "locator_verdict", "locator_span", "extract_view", "locator_for", "original_stem", "read_rendering_file",
           "rendered_text", "read_document"]

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
RENDERED_SUFFIXES = HTML_SUFFIXES + PDF_SUFFIXES
MAX_SOURCE_BYTES = 50 * 1024 * 1024   # a press release or report, not a data dump
PAGE_BREAK = "\f"
# trafilatura's main-text guess grows faster than the page (its tag merging
# and readability comparison; benchmarks/README.md): a larger page keeps
# every visible block, in one pass (``_render_large_html``)
LARGE_PAGE_BYTES = 2_000_000


def needs_rendering(path: str | Path) -> bool:
    p = Path(path)
    if p.suffix.lower() in RENDERED_SUFFIXES:
        return True
    try:   # a regular file only (a FIFO would hang the read)
        with os.fdopen(open_checked(p, what="document"), "rb") as fh:
            head = fh.read(512)
    except (OSError, LedgerError):
        return False
    return head.startswith(b"%PDF-") or bool(
        re.match(rb"\s*<(!doctype\s+html|html)", head, re.IGNORECASE))


def rendering_path(original: str | Path) -> Path:
    """``page.html`` → ``page.html.txt`` (next to the original)."""
    p = Path(original)
    return p.with_name(p.name + ".txt")


def original_stem(path: str | Path) -> str:
    """The document stem of a file or of its rendering: ``page.html.txt`` → ``page``."""
    p = Path(path)
    if p.suffix.lower() == ".txt" and Path(p.stem).suffix.lower() in RENDERED_SUFFIXES:
        return Path(p.stem).stem
    return p.stem


# ---------------------------------------------------------------- render
def _read_bytes(p: Path, inside: str | Path | None = None) -> bytes:
    """The original's bytes through ``ledger.safe_io`` (a regular file, read
    race-free), capped at ``MAX_SOURCE_BYTES`` unless $LEDGER_TOOL_MAX_FILE_SIZE
    says otherwise (the size message names it)."""
    cap = max_bytes() if os.environ.get(SIZE_ENV, "").strip() else MAX_SOURCE_BYTES
    return read_bytes(p, inside=inside, what="source document", limit=cap)


def _block_text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def render_html(data: bytes, name: str = "page") -> str:
    """The main text of a web page (trafilatura), headings as ``#`` lines,
    list items as ``- `` lines, table rows as ``a | b`` lines, blocks
    separated by a blank line."""
    import lxml.html
    import trafilatura
    from lxml import etree

    page_root, unseen = _visible_root(data, name)
    if len(data) > LARGE_PAGE_BYTES:
        text = _render_large_html(page_root, name)
        if text is not None:
            return text
    # trafilatura logs what it discards; the command line says it in its own words
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    page = lxml.html.tostring(page_root, encoding="unicode") if unseen else data
    xml = trafilatura.extract(page, output_format="xml", include_comments=False,
                              include_tables=True, include_links=False, include_images=False,
                              include_formatting=False, with_metadata=False, deduplicate=False)
    if not xml:
        # too small for a main-text guess (a fragment, a one-paragraph note):
        # every visible text, as the archive's own reader sees it
        text = html_text(_decode(data, Path(name))[0])[0]
        text = "\n\n".join(" ".join(b.split()) for b in re.split(r"\n\s*\n|\n", text) if b.strip())
        if not text:
            raise LedgerError(f"{name}: no text found in the page (is it a web page?)")
        return text + "\n"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(xml.encode("utf-8"), parser)
    blocks: list[str] = []
    main = root.find("main")
    for el in (main if main is not None else root):
        tag = el.tag
        if tag == "head":
            level = re.sub(r"\D", "", el.get("rend", "") or "") or "2"
            blocks.append("#" * min(int(level), 6) + " " + _block_text(el))
        elif tag == "list":
            items = [f"- {_block_text(i)}" for i in el.iter("item")]
            blocks.append("\n".join(i for i in items if i.strip() != "-"))
        elif tag == "table":
            rows = [" | ".join(_block_text(c) for c in r.iter("cell")) for r in el.iter("row")]
            blocks.append("\n".join(r for r in rows if r.strip()))
        else:
            blocks.append(_block_text(el))
    blocks = _restore_headings(page_root, [b for b in blocks if b.strip()])
    text = "\n\n".join(blocks)
    if not text.strip():
        raise LedgerError(f"{name}: no text found in the page (is it a web page?)")
    return text + "\n"


_SKIPPED = {"nav", "aside", "footer", "script", "style", "noscript", "template", "form", "head"}
_TEXT_BLOCKS = {"p", "li", "blockquote", "pre", "td", "dd", "figcaption"}
_HEADING_TAG = re.compile(r"h[1-6]")


def _visible_root(data: bytes, name: str):
    """(the page parsed by lxml with the text no reader sees taken out, or
    None when lxml cannot parse it; whether anything was taken out).
    Dropped: what ``hidden_element`` says (with its content; the text after
    it stays); the own text of elements whose ``text_shown`` is not."""
    import lxml.html
    from lxml import etree

    try:   # decoded as the archive decodes (lxml would take bytes without a charset as Latin-1)
        root = lxml.html.fromstring(_decode(data, Path(name))[0])
    except (etree.ParserError, ValueError, LedgerError):
        return None, False
    # only the elements that can hide are looked at (a walk of every
    # element took as long as the large page's rendering)
    found = root.xpath("//*[self::template or self::noscript or self::input"
                       " or @hidden or @aria-hidden or @style]")
    dropped = [el for el in found if hidden_element(el.tag.lower(), el.items())]
    own: dict = {}         # the (visible, sized) of each element whose style sets it
    inherited: dict = {}   # ... and of the elements passed on the way up to one
    hiding = []            # where hidden text starts: shown parent, hidden self
    restyled = False
    for el in found:       # document order: an ancestor before its descendants
        if not el.get("style"):
            continue
        parent = _inherited_shown(el, own, inherited)
        shown = own[el] = text_shown(el.items(), parent)
        if shown != parent:   # said here: trafilatura would drop a child shown again
            del el.attrib["style"]
            restyled = True
            if all(parent):
                hiding.append(el)
    for top in hiding:     # each element walked once: hidden inside hidden is no new start
        stack = [(top, own[top])]
        while stack:
            el, shown = stack.pop()
            shown = own.get(el, shown)
            if not all(shown):    # its own text and the text between its children
                el.text = None
                for child in el:
                    child.tail = None
            stack.extend((child, shown) for child in el if isinstance(child.tag, str))
    for el in dropped:
        if el.getparent() is not None:
            el.drop_tree()                     # keeps its tail
        else:
            el.clear()
    return root, bool(dropped) or restyled


def _inherited_shown(el, own: dict, inherited: dict) -> tuple[bool, bool]:
    """The (visible, sized) ``el`` inherits: its nearest styled ancestor's,
    remembered for every element passed on the way up (linear on deep pages)."""
    path = []
    up = el.getparent()
    while up is not None and up not in own and up not in inherited:
        path.append(up)
        up = up.getparent()
    shown = SHOWN if up is None else own.get(up, inherited.get(up, SHOWN))
    for p in path:
        inherited[p] = shown
    return shown


def _render_large_html(root, name: str) -> str | None:
    """A page over ``LARGE_PAGE_BYTES`` rendered in time linear in its size:
    every visible block in page order (navigation, asides, footers, forms and
    scripts dropped), with the conventions of ``render_html``: headings as
    ``#`` lines, list items as ``- `` lines, table rows as ``a | b``.
    ``root``: the page as ``_visible_root`` parsed it; None when lxml could
    not (trafilatura is tried then)."""
    if root is None:
        return None
    blocks: list[str] = []
    stack: list = [root]     # elements, and the text between them, in page order
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if item.strip():
                blocks.append(" ".join(item.split()))
            continue
        tag = item.tag if isinstance(item.tag, str) else None
        if tag is None or tag in _SKIPPED:      # a comment, or left out: its tail is kept
            continue
        if _HEADING_TAG.fullmatch(tag):
            blocks.append("#" * int(tag[1]) + " " + _block_text(item))
        elif tag in ("ul", "ol"):
            items = [f"- {_block_text(i)}" for i in item.iter("li")]
            blocks.append("\n".join(i for i in items if i.strip() != "-"))
        elif tag == "table":
            rows = [" | ".join(_block_text(c) for c in r.iter("td", "th"))
                    for r in item.iter("tr")]
            blocks.append("\n".join(r for r in rows if r.strip()))
        elif tag in _TEXT_BLOCKS or tag in ("dt", "caption", "address"):
            blocks.append(_block_text(item))
        else:                                   # a container: its text, children, tails
            pending: list = [item.text or ""]
            for child in item:
                pending += [child, child.tail or ""]
            stack.extend(reversed(pending))
    text = "\n\n".join(b for b in blocks if b.strip() and b.strip("#- ").strip())
    if not text.strip():
        raise LedgerError(f"{name}: no text found in the page (is it a web page?)")
    return text + "\n"


def _restore_headings(root, blocks: list[str]) -> list[str]:
    """The rendering's blocks with the page's headings that the main-text
    extractor left out (a title above <main>, say) put back, as ``#`` lines
    before the first block of text that follows them in the page, so that a
    citation can name its section.  Headings in navigation, asides and
    footers stay out, as does any whose text never reaches the rendering or
    no reader sees.  ``root``: the page as ``_visible_root`` parsed it."""
    if root is None:
        return blocks
    fold = lambda t: " ".join(t.split()).casefold()    # noqa: E731
    have = {fold(b.lstrip("#")) for b in blocks if b.startswith("#")}
    plain = [fold(b.lstrip("- ")) for b in blocks]
    out = list(blocks)
    # the blocks sorted, so that those starting with a text are found by
    # bisection, not by a scan to the end for each text that matches none
    order = sorted(range(len(plain)), key=plain.__getitem__)
    sorted_plain = [plain[k] for k in order]
    inserted: dict[int, list[str]] = {}
    pending: list[str] = []
    at = 0

    stack = [root]     # depth first, in page order, without recursion (deep pages)
    while stack:
        el = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIPPED:
            continue
        if re.fullmatch(r"h[1-6]", tag):
            text = " ".join("".join(el.itertext()).split())
            if text and fold(text) not in have:
                pending.append("#" * int(tag[1]) + " " + text)
            continue
        if tag in _TEXT_BLOCKS:
            text = fold("".join(el.itertext()))
            j = _first_block_from(sorted_plain, order, text[:80], at) if text else None
            if j is not None:
                if pending:
                    inserted.setdefault(j, []).extend(pending)
                    have.update(fold(h.lstrip("#")) for h in pending)
                    pending = []
                at = j
            continue
        stack.extend(reversed(el))
    for j in sorted(inserted, reverse=True):
        out[j:j] = inserted[j]
    return out


def _first_block_from(sorted_plain: list[str], order: list[int], prefix: str,
                      at: int) -> int | None:
    """The first block at or after ``at`` that starts with ``prefix``
    (``sorted_plain``: the blocks sorted, ``order``: their places)."""
    best = None
    for i in range(bisect.bisect_left(sorted_plain, prefix), len(sorted_plain)):
        if not sorted_plain[i].startswith(prefix):
            break
        if order[i] >= at and (best is None or order[i] < best):
            best = order[i]
    return best


def render_pdf(data: bytes, name: str | Path) -> str:
    """pypdf's text of each page, pages separated by a form feed."""
    pages = [p.replace("\r\n", "\n").replace("\r", "\n").replace(PAGE_BREAK, "\n").strip("\n")
             for p in pdf_pages(data, name)]
    return f"\n{PAGE_BREAK}\n".join(pages) + "\n"


def render(path: str | Path, inside: str | Path | None = None) -> str:
    """The text rendering of a web page or PDF; LedgerError naming the file.
    ``inside``: the archive folder the file is read from (``safe_io``)."""
    return _render(Path(path), inside)[1]


def _render(p: Path, inside: str | Path | None = None) -> tuple[str, str]:
    """("pdf" or "html", the rendering)."""
    data = _read_bytes(p, inside)
    if p.suffix.lower() in PDF_SUFFIXES or data.startswith(b"%PDF-"):
        text = render_pdf(data, p)
        if not text.replace(PAGE_BREAK, "").strip():
            raise LedgerError(f"{p}: the PDF has no extractable text (scanned?); "
                              "archive a text version instead")
        return "pdf", text
    return "html", render_html(data, str(p))


# ----------------------------------------------------------------- read
def _pages(text: str) -> tuple[int, ...]:
    starts, at = [0], text.find(PAGE_BREAK)
    while at >= 0:
        starts.append(at + 1)
        at = text.find(PAGE_BREAK, at + 1)
    return tuple(starts) if len(starts) > 1 else ()


def read_rendered(original: Path, rendering: Path, inside: str | Path | None = None):
    """A ``SourceText`` whose text is the rendering (positions are lines and
    columns of the rendering file, with PDF pages) and whose ``sha256`` is the
    original's.  A missing rendering is made afresh, with a warning.  Both
    files are checked by ``safe_io`` (regular, within the cap, inside the
    folder ``inside``); ``UnsafeFile`` otherwise."""
    check_file(original, inside=inside, what="document")
    if rendering.is_file() or rendering.is_symlink():
        src = read_source(rendering, inside=inside)
        warnings = src.warnings
        rendered_sha = src.sha256
    else:
        text = render(original, inside)
        src = None
        warnings = (f"{rendering.name}: the text rendering is missing; quotes were checked "
                    f"against a fresh rendering of {original.name}",)
        rendered_sha = ""
    text = src.text if src is not None else text
    kind = "pdf" if original.suffix.lower() in PDF_SUFFIXES else "html"
    return SourceText(rendering, kind, text, sha256_file(original, inside), warnings=tuple(warnings),
                      page_starts=_pages(text), rendering_sha256=rendered_sha)


def rendered_text(original: str | Path):
    """A web page or PDF that has no rendering file yet, rendered now: a
    ``SourceText`` whose text is exactly what ``sources add`` would archive
    beside it (``rendering_path``), with pages and headings."""
    p = Path(original)
    kind, text = _render(p)
    return SourceText(rendering_path(p), kind, text,
                      hashlib.sha256(text.encode("utf-8")).hexdigest(), page_starts=_pages(text))


def read_rendering_file(path: str | Path):
    """A rendering read on its own (``ledger-tool extract page.html.txt``):
    plain text that knows it comes from a web page or a PDF (pages, headings)."""
    p = Path(path)
    src = read_source(p)
    kind = "pdf" if Path(p.stem).suffix.lower() in PDF_SUFFIXES else "html"
    return SourceText(p, kind, src.text, src.sha256, warnings=src.warnings,
                      page_starts=_pages(src.text))


def read_document(path: str | Path):
    """A document (text, HTML or PDF) read for extraction: the text that
    ``sources add`` archives and the audit reads, so ``extract`` and
    ``audit`` see the same text.  A web page or PDF is read as its text
    rendering (a page's main text, navigation and scripts dropped, headings
    kept): the rendering file beside it when there is one, else made afresh;
    line and column are then the rendering's.  ``LedgerError`` naming the
    file when it is missing, unreadable or binary."""
    if original_stem(path) != Path(path).stem:    # page.html.txt: a rendering
        return read_rendering_file(path)
    if needs_rendering(path):
        beside = rendering_path(path)
        if beside.is_file():
            return read_rendering_file(beside)
        return rendered_text(path)
    return read_source(path)


# ------------------------------------------------------------- locators
def page_at(source, offset: int) -> int:
    if not source.page_starts:
        return 0
    return bisect.bisect_right(source.page_starts, offset)


_HEADING = re.compile(r"^#{1,6} +(.+)$", re.MULTILINE)


def heading_at(text: str, offset: int) -> str:
    """The nearest ``#`` heading at or before ``offset`` in a rendering, or ''."""
    starts, names = _headings(text)
    i = bisect.bisect_right(starts, offset)
    return names[i - 1] if i else ""


@functools.lru_cache(maxsize=4)
def _headings(text: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Where each heading of a rendering starts, and its text: found once a
    text, not from the top for each of its mentions (a large page's draft
    was quadratic)."""
    found = [(m.start(), m.group(1).strip()) for m in _HEADING.finditer(text)]
    return tuple(a for a, _ in found), tuple(h for _, h in found)


def locator_for(source, offset: int, line: int, column: int) -> str:
    """What a draft citation's locator says: the page of a PDF, the heading of
    a web page's section, else the line and column."""
    if source.kind == "pdf" and source.page_starts:
        return f"page {page_at(source, offset)}, line {line}, column {column}"
    if source.kind == "html" and source.origin is None:
        h = heading_at(source.text, offset)
        if h:
            return f"heading: {h}"
    return f"line {line}, column {column}"


_PAGE_LOC = re.compile(r"^\s*(?:p\.|pp\.|page|pages?)\s*(\d+)\b", re.IGNORECASE)
_HEAD_LOC = re.compile(r"^\s*(?:heading|section|§)\s*:?\s*(.+?)\s*$", re.IGNORECASE)
# "line 34, column 1", "line 34", "page 2, line 5, column 17" (what locator_for writes)
_LINE_LOC = re.compile(r"(?:^|,)\s*line\s+(\d+)(?:\s*,\s*col(?:umn|\.)?\s*(\d+))?\s*$",
                       re.IGNORECASE)
# a plain-text heading: a line standing alone between blank lines, short, not a sentence
_TEXT_HEADING = re.compile(r"(?:\A|\n[ \t]*\n)[ \t]*([^\n]{1,100}?)[ \t]*(?=\n[ \t]*\n|\n?\Z)")
# a line standing alone that is no heading: a list item ("- £2 million for
# the wall", "1. Flood defences"), a label and its value ("Total committed:
# £3 million"), or one holding a money figure (a number alone is no figure:
# "Item 5", "Budget 2024-25" are headings)
_NOT_HEADING = re.compile(r"^\s*(?:[-*+\u2022\u2013\u2014]\s|\(?\d+[.)]\s|\(?[a-z][.)]\s)"
                          r"|\S:\s+\S|[\u00a3$\u20ac\u00a5]|\b(?:EUR|GBP|USD)\b"
                          r"|\d\s*(?:m|bn|k|mn|million|billion|thousand|euros?|dollars?|pounds?)\b",
                          re.IGNORECASE)
_SETEXT = re.compile(r"^[ \t]*(\S[^\n]*?)[ \t]*\n[ \t]*(?:=+|-+)[ \t]*$", re.MULTILINE)


def _fold_words(s: str) -> str:
    return " ".join(s.casefold().split())


@functools.lru_cache(maxsize=4)
def _text_headings(text: str) -> tuple[tuple[int, str], ...]:
    """The headings of a plain-text or Markdown document, (where each
    starts, its text): Markdown's ``#`` and underlined headings when it has
    any; else the lines standing alone between blank lines that do not end
    as a sentence does (a title, a section name)."""
    found = {m.start(1): m.group(1) for m in _SETEXT.finditer(text)}
    found.update((m.start(), m.group(1).strip()) for m in _HEADING.finditer(text))
    if found:
        return tuple(sorted(found.items()))
    for m in _TEXT_HEADING.finditer(text):
        line = m.group(1).rstrip()
        if (re.search(r"\w", line) and not re.search(r"[.,;:!?]['\"\u2019\u201d)]?$", line)
                and not _NOT_HEADING.search(line)):
            found.setdefault(m.start(1), line)
    return tuple(sorted(found.items()))


def _text_heading_verdict(name: str, source, offset: int) -> tuple[str, str]:
    """A heading locator checked in a plain-text document: the named line
    must stand before the quote with no other heading between them."""
    text = source.text
    want = _fold_words(name)
    named = [m.start() for m in re.finditer(r"^[ \t]*(.*?)[ \t]*$", text, re.MULTILINE)
             if _fold_words(m.group(1).lstrip("#")) == want]
    if not named:
        return "mismatch", f"no line of the document reads {name!r}"
    before = [a for a in named if a <= offset]
    heads = [(a, h) for a, h in _text_headings(text) if a <= offset]
    if not before:
        above = f" (it is under {heads[-1][1]!r})" if heads else ""
        return "mismatch", f"the quote comes before the heading {name!r}{above}"
    last = before[-1]
    # (never the quote's own line: a line standing alone may be the figure's)
    later = [(a, h) for a, h in heads if last < a and a + len(h) <= offset
             and _fold_words(h) != want]
    if later:
        return "mismatch", f"the quote is under the heading {later[-1][1]!r}"
    return "ok", ""


def locator_verdict(locator: str, source, offset: int) -> tuple[str, str]:
    """What the audit can say of a citation's locator, for the quote found
    at ``offset``: ("ok", ""), ("mismatch", what the document says), or
    ("unchecked", why not): a locator that names no page, heading, line or
    column, or one this document cannot confirm (a page in a text without
    pages).  Empty: ("ok", "")."""
    if not locator.strip():
        return "ok", ""
    m = _PAGE_LOC.match(locator)
    if m:
        if not source.page_starts:
            return "unchecked", "the document has no pages"
        page = page_at(source, offset)
        if page != int(m.group(1)):
            return "mismatch", f"the quote is on page {page}"
    line = _LINE_LOC.search(locator)
    if line and (m or re.match(r"\s*line\b", locator, re.IGNORECASE)):
        at = source.locate(offset)
        want = (int(line.group(1)), int(line.group(2)) if line.group(2) else None)
        if want[0] != at.line or (want[1] is not None and want[1] != at.column):
            return "mismatch", (f"the quote starts at line {at.line}, column {at.column}"
                                if want[1] is not None else f"the quote starts on line {at.line}")
        return "ok", ""
    if m:
        return "ok", ""
    h = _HEAD_LOC.match(locator)
    if h:
        if source.kind == "text":
            return _text_heading_verdict(h.group(1), source, offset)
        if _HEADING.search(source.text):
            here = heading_at(source.text, offset)
            if _fold_words(here) == _fold_words(h.group(1)):
                return "ok", ""
            return "mismatch", (f"the quote is under the heading {here!r}" if here
                                else "the quote comes before the first heading")
        if source.origin is None:     # a rendering without # headings
            return _text_heading_verdict(h.group(1), source, offset)
        return "unchecked", "the page's headings are not kept in its text"
    return "unchecked", "it names no page, heading, line or column"


def extract_view(source) -> SourceText | None:
    """For a web page read as raw HTML (archived without its rendering):
    the rendering ``extract`` reads (``read_document``), whose lines and
    columns its draft locators name.  None for any other document, or a
    page that cannot be read again unchanged or rendered."""
    if source.kind != "html" or source.origin is None:
        return None
    return _extract_view(source.path, source.sha256)


@functools.lru_cache(maxsize=8)
def _extract_view(path: Path, sha256: str) -> SourceText | None:
    try:
        data = _read_bytes(path, path.parent)
        if hashlib.sha256(data).hexdigest() != sha256:
            return None        # changed since it was read
        text = render_html(data, str(path))
    except (LedgerError, OSError):
        return None
    return SourceText(rendering_path(path), "html", text, sha256, page_starts=_pages(text))


def locator_span(locator: str, source, *, column: bool = True) -> tuple[int, int] | None:
    """The stretch ``(start, end)`` of ``source.text`` that a page, line, or
    line-and-column locator names (empty when the document has no such
    place); None for a locator of another kind, or when the text's lines
    are not the file's (a web page read raw).  ``column=False``: the
    whole line, whatever column the locator says."""
    if source.origin is not None:
        return None
    text = source.text
    lo, hi = 0, len(text)
    m = _PAGE_LOC.match(locator)
    if m:
        if not source.page_starts:
            return None
        page, starts = int(m.group(1)), source.page_starts
        if not 1 <= page <= len(starts):
            return 0, 0
        lo, hi = starts[page - 1], starts[page] if page < len(starts) else len(text)
    line = _LINE_LOC.search(locator)
    if line and (m or re.match(r"\s*line\b", locator, re.IGNORECASE)):
        n, lines = int(line.group(1)), source._lines
        if not 1 <= n <= len(lines) + 1:
            return 0, 0
        a = lines[n - 2] if n > 1 else 0
        b = lines[n - 1] if n <= len(lines) else len(text)
        if line.group(2) and column:
            a += int(line.group(2)) - 1
            b = a + 1 if a < b else a
        lo, hi = max(lo, a), min(hi, b)
        return (lo, hi) if lo < hi else (0, 0)
    return (lo, hi) if m else None


def check_locator(locator: str, source, offset: int) -> str | None:
    """None when the citation's locator agrees with where the quote was
    found (or says nothing we can check); else what the document says."""
    verdict, said = locator_verdict(locator, source, offset)
    return said if verdict == "mismatch" else None
