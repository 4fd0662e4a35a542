"""What the IATI and FTS readers share: records, the names file, splits by
percentage, the archived source file, and ``finish`` (the records checked
as the raw form by the one rule engine, as the spreadsheet importer checks
its rows, then new / updated / unchanged / duplicate).
"""
from __future__ import annotations

import contextlib
import functools
import gc
import re
import string
import tomllib
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Any, cast
from collections.abc import Callable, Iterable, Mapping

from ledger.errors import LedgerError
from ledger.memory import gc_paused
from ledger.book import Book
from ledger.imports.problem import import_problem
from ledger.model import NOT_COUNTED, ONCE, Entry, Money, Period, Problem
from ledger.limits import magnitude_problem
import datetime as dt
import hashlib
import os
import shutil
from ledger.atomic import atomic_file
from ledger.imports.table import _validate, record_warning, slug
from ledger.minor import plain_decimal
from ledger.phrases.money import MoneyError, currency_digits, parse_amount
from ledger.imports.rows import EntryRow, check_records, entry_rows
from ledger.safe_io import UnsafeFile, confine, load_toml, open_checked, read_bytes
from ledger.writer import entry_table
from ledger.edit import merge_entry_text, render_entry

NAME_SECTIONS = ("organisations", "sectors", "countries", "regions", "locations", "clusters",
                 "plans")


# a field's pattern a wording may give: plain words as alternatives ("plan|project")
_ALTERNATIVES = re.compile(r"[^\\|()\[\]{}.*+?^$]+(?:\|[^\\|()\[\]{}.*+?^$]+)*")


class Wording:
    """One kind of part an importer writes in an entry's note: the part made
    from a template (``str.format``), and the same template reading a part
    of an old note back as the importer's (a note an earlier version wrote
    too: a wording is changed here, in one place).  ``fields``: a field's
    alternatives where any text would not do ("plan|emergency|project")."""

    def __init__(self, template: str, **fields: str):
        self.template = template
        # each way the template reads: its literal texts, any text between
        # two of them (a field), found in order with str.find -- linear in
        # the part, where a regex of several ".*?" backtracks cubically
        shapes: list[list[str]] = [[""]]
        for literal, name, _, _ in string.Formatter().parse(template):
            shapes = [shape[:-1] + [shape[-1] + literal] for shape in shapes]
            if name is None:
                continue
            if name in fields:
                if not _ALTERNATIVES.fullmatch(fields[name]):
                    raise ValueError(f"field {name!r}: alternatives of plain words, not "
                                     f"{fields[name]!r}")
                shapes = [shape[:-1] + [shape[-1] + word] for shape in shapes
                          for word in fields[name].split("|")]
            else:
                shapes = [shape + [""] for shape in shapes]
        self.shapes = [tuple(shape) for shape in shapes]

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        return self.template.format(*args, **kwargs)

    def read(self, part: str) -> bool:
        """``part`` is this wording, its fields any text."""
        return any(_fits(part, shape) for shape in self.shapes)


def _fits(part: str, literals: tuple[str, ...]) -> bool:
    """Whether ``part`` is ``literals`` in order with any text between each
    two: the first at its start, the last at its end, the others each at
    its leftmost place after the one before (which leaves the most room)."""
    if len(literals) == 1:
        return part == literals[0]
    head, *middle, tail = literals
    end = len(part) - len(tail)
    if end < len(head) or not part.startswith(head) or not part.endswith(tail):
        return False
    pos = len(head)
    for lit in middle:
        pos = part.find(lit, pos, end)
        if pos < 0:
            return False
        pos += len(lit)
    return True


class Wordings:
    """The wordings of one importer's notes (``add`` makes each one, so none
    is written that is not listed), and those of the helpers it uses."""

    def __init__(self, *others: Wordings):
        self.listed: list[Wording] = list({id(w): w for o in others for w in o.listed}.values())

    def add(self, template: str, **fields: str) -> Wording:
        w = Wording(template, **fields)
        self.listed.append(w)
        return w

    def wrote(self, part: str) -> bool:
        """``part`` of a note is one of these wordings."""
        return any(w.read(part) for w in self.listed)


# the notes ``percentages`` writes (an importer that uses it lists them with its own)
SHARE_NOTES = Wordings()
_PERCENT_UNUSED = SHARE_NOTES.add("{what}: the percentage of {item} {why}: not used")
_GET_NOTHING = SHARE_NOTES.add("{what} {missing} without a percentage get nothing (the others "
                               "add up to {total})")
_SHARE_REST = SHARE_NOTES.add("{what} {missing} without a percentage share the remaining {rest}%")
_SCALED = SHARE_NOTES.add("{what} percentages add up to {total}, not 100: scaled to 100")


@dataclass
class Record:
    """One would-be entry: raw journal fields plus where it comes from."""
    where: str                 # "activity 'GB-1-1' transaction 'T-1'" (for messages)
    fields: dict[str, Any]


@dataclass
class ReadResult:
    """What a reader made of one file."""
    file: str
    records: list[Record]
    problems: list[Problem]
    document: dict[str, Any] | None = None      # the archived file as a [[document]]
    sha256: str = ""
    read: int = 0                               # transactions / flows seen
    notes: Wordings = field(default_factory=Wordings)   # how the reader's notes are worded


@dataclass
class DataImport:
    source: str
    new: list[dict] = field(default_factory=list)         # the new entries' tables
    # (old, table, new): the ledger's entry and the record's, as rows (no ``Entry`` made)
    updated: list[tuple[EntryRow, dict, EntryRow]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    files: list[ReadResult] = field(default_factory=list)


# ------------------------------------------------------------------ names
def load_names(path: str | Path | None) -> dict[str, dict[str, str]]:
    """The user's names file: ``[organisations] "GB-GOV-1" = "UK:FCDO"``,
    ``[sectors] "12220" = "Health:Basic health care"``, ``[countries]``,
    ``[regions]``, ``[locations]``, ``[clusters]``, ``[plans]``."""
    names: dict[str, dict[str, str]] = {k: {} for k in NAME_SECTIONS}
    if path is None:
        return names

    p = Path(path)     # a regular file within the size cap, nesting checked before the parser
    data = load_toml(p, what="names file")
    problems = []
    for k, v in data.items():
        if k not in NAME_SECTIONS:
            problems.append(f"{p}: unknown section [{k}] (expected "
                            f"{', '.join('[' + s + ']' for s in NAME_SECTIONS)})")
            continue
        if not isinstance(v, dict):
            problems.append(f"{p}: {k} must be a table ([{k}])")
            continue
        for code, name in v.items():
            if not isinstance(name, str) or not name.strip():
                problems.append(f"{p}: [{k}] {code!r} must be a non-empty account name")
            else:
                names[k][str(code).strip().upper() if k in ("countries", "regions")
                         else str(code).strip()] = name.strip()
    if problems:
        raise LedgerError("\n".join(problems))
    return names


def account_part(text: str) -> str:
    """Free text as one account component (no ':' nor runs of spaces)."""
    t = " ".join(str(text).replace(":", " -").split()).strip(" -")
    return t or "Unknown"


def country_name(code: str) -> str:
    """ISO 3166 code -> English name (babel's CLDR data), else the code."""
    return _territories().get(code.upper(), code.upper())


@functools.lru_cache(maxsize=1)
def _territories() -> dict[str, str]:
    from babel import Locale
    return dict(Locale("en").territories)


@contextlib.contextmanager
def few_collections(threshold: int = 50_000):
    """Python's cycle collector run less often while an import builds many
    small containers that live to its end (records, entries; no cycles among
    them), which each of its passes would scan again; what is loaded before
    (modules, tables) is frozen out of its passes.  Reference counting frees
    what is dropped, as always.  Also a decorator."""
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(threshold, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def kept_to_the_end() -> None:
    """Inside ``few_collections``: what is alive now lives to its end (an
    import's records and checked tables), so it is frozen out of the
    collector's passes too (``few_collections`` unfreezes it)."""
    gc.freeze()


# ------------------------------------------------------------------ splits
# babel's look-up each time an item is split: the same few currencies
_digits = functools.lru_cache(maxsize=1024)(currency_digits)


def shares(amount: Decimal, currency: str, weights: list[tuple[str, Decimal]]):
    """``amount`` divided in proportion to ``weights`` (purpose, weight), in
    the currency's minor units, remainders to the largest fractions, so the
    parts add up to the amount exactly.  Equal purposes are merged."""

    merged: dict[str, Decimal] = {}
    for p, w in weights:
        merged[p] = merged.get(p, Decimal(0)) + w
    total_w = sum(merged.values(), Decimal(0))
    if len(merged) == 1 or total_w <= 0:
        return [(next(iter(merged)), amount)] if len(merged) == 1 else []
    unit = Decimal(1).scaleb(-_digits(currency))
    minor = int((amount / unit).to_integral_value())
    if Decimal(minor) * unit != amount:            # sub-unit amounts: split the exact value
        unit = Decimal(1).scaleb(int(amount.as_tuple().exponent))   # finite: an int
        minor = int((amount / unit).to_integral_value())
    exact = [(p, Decimal(minor) * w / total_w) for p, w in merged.items()]
    floors = [(p, int(x.to_integral_value(ROUND_FLOOR)), x) for p, x in exact]
    left = minor - sum(f for _, f, _ in floors)
    order = sorted(range(len(floors)), key=lambda i: -(floors[i][2] - floors[i][1]))
    parts = [f for _, f, _ in floors]
    for i in order[:left]:
        parts[i] += 1
    return [(p, Decimal(n) * unit) for (p, _, _), n in zip(floors, parts) if n]


def percentages(items: list[tuple[str, Decimal | None]], what: str):
    """(weights, note): declared percentages, with the rule for those that do
    not add up to 100: missing percentages share what the others leave (or
    equally when none is given); a sum other than 100 is scaled to 100."""
    if not items:
        return [], ""
    # a percentage out of bounds (ledger.limits) is refused before any
    # sum or division sees it ("1e999999" made a million-digit total)
    odd = [(k, magnitude_problem(v, most=Decimal(10) ** 6, places=12)) for k, v in items
           if v is not None]
    odd = [(k, why) for k, why in odd if why]
    if odd:
        bad = dict(odd)
        items = [(k, None if k in bad else v) for k, v in items]
    given = [(k, v) for k, v in items if v is not None]
    missing = [k for k, v in items if v is None]
    note = ""
    if not given:
        return [(k, Decimal(1)) for k, _ in items], "; ".join(
            _PERCENT_UNUSED(what=what, item=k, why=why) for k, why in odd)
    total = sum((v for _, v in given), Decimal(0))
    weights = list(given)
    if missing:
        rest = max(Decimal(100) - total, Decimal(0))
        if rest == 0:
            note = _GET_NOTHING(what=what, missing=", ".join(missing), total=total)
        else:
            note = _SHARE_REST(what=what, missing=", ".join(missing), rest=rest)
        weights += [(k, rest / len(missing)) for k in missing]
        total = sum((w for _, w in weights), Decimal(0))
    if total != 100 and total > 0:
        note = (note + "; " if note else "") + _SCALED(what=what, total=plain_decimal(total))
    if odd:
        note = "; ".join([_PERCENT_UNUSED(what=what, item=k, why=why) for k, why in odd]
                         + ([note] if note else []))
    return weights, note


# ------------------------------------------------------------------ files
def open_data(path: Path, what: str):
    """A published data file opened for reading in binary, through the one
    guard (``ledger.safe_io``): a regular file within the size cap, opened
    non-blocking and checked again on the descriptor (a file swapped for a
    FIFO meanwhile cannot hang the read)."""


    fd = open_checked(path, what=what)
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_file(read: Callable[..., ReadResult], path: str | Path, **options) -> ReadResult:
    """``read(path, **options)``, one published file read; a file the guard
    refuses (over the size cap, not a regular file, gone) or the system
    cannot read (permission denied, an I/O error) is one problem of kind
    "error", as a file the reader cannot parse: named with the other
    unreadable files, the folder's others still read."""
    try:
        return read(path, **options)
    except UnsafeFile as err:
        why = err.reason
    except OSError as err:
        why = f"cannot read: {err.strerror or err}"
    return ReadResult(str(path), [], [import_problem(str(path), "", f"{why}: not read", "error")])


def file_sha256(path: Path, what: str = "data file") -> str:

    with open_data(path, what) as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def source_document(path: Path, sha: str, kind: str, title: str = "") -> dict[str, Any]:
    """The [[document]] table of an archived data file: id and archive path
    from its name and hash, so a newer file is a new document."""

    stem = slug(path.stem)[:40] or kind
    did = f"{kind}-{stem}-{sha[:10]}"
    return {"id": did, "title": title or f"{path.name} ({kind.upper()})",
            "retrieved": dt.date.today(), "path": f"{did}{path.suffix.lower()}",
            "sha256": sha, "notes": f"archived by ledger-tool import --from {kind}"}


def archive_copy(path: Path, folder: Path, document: dict[str, Any]) -> Path:
    """Copy the source file into the archive (atomically; an existing copy
    with the same hash is kept)."""


    folder.mkdir(parents=True, exist_ok=True)
    # a link left in the archive never leads the copy out of it (nor does atomic_file)
    dest = confine(folder / document["path"], folder, "archived copy")
    if dest.is_file() and file_sha256(dest, "archived copy") == document["sha256"]:
        return dest
    with open_data(path, "data file") as src, atomic_file(dest, inside=folder) as out:
        shutil.copyfileobj(src, out)
    return dest


def data_figures(quote: str, entry: Entry | EntryRow):
    """The money in a quote from a data file (IATI ``<value>`` elements, FTS
    ``"amountUSD"`` / ``"originalAmount"`` keys), as ``Money``; an XML value
    without @currency is in the entry's currency (the activity default)."""

    found = []
    for m in re.finditer(r"<value\b([^>]*)>\s*(-?\d+(?:\.\d+)?)\s*</value>", quote):
        cur = re.search(r'currency\s*=\s*["\']([A-Za-z]{3})', m.group(1))
        found.append(Money(Decimal(m.group(2)), cur.group(1).upper() if cur else entry.currency))
    ocur = re.search(r'"originalCurrency"\s*:\s*"([A-Za-z]{3})"', quote)
    for m in re.finditer(r'"(amountUSD|originalAmount)"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)',
                         quote):
        code = "USD" if m.group(1) == "amountUSD" else (ocur.group(1).upper() if ocur
                                                        else entry.currency)
        found.append(Money(Decimal(m.group(2)), code))
    if not found:     # a bare number (a <value> spread over lines)
        for n in re.findall(r"(?<![\w.-])\d+(?:\.\d+)?(?![\w.-])", quote):
            found.append(Money(Decimal(n), entry.currency))
    return found


def data_figure(quote: str, entry: Entry | EntryRow) -> str | None:
    """The audit's reading of a quote from a data file: None when a figure
    in it is the entry's amount (or a restatement), else what is wrong."""
    found = data_figures(quote, entry)
    if not found:
        return f"the quote {quote!r} carries no figure"
    have = {entry.money, *entry.restated}
    if any(m in have for m in found):
        return None
    if _netted(entry):
        return None
    said = ", ".join(f"{m.amount} {m.currency}" for m in found)
    return f"the data says {said} but the entry records {entry.amount} {entry.currency}"


def _netted(entry: Entry | EntryRow) -> bool:
    """A netted amount (an IATI value net of its reversals): one figure in
    each of the entry's quotes, and they add up to its amount."""
    if len(entry.sources) < 2:
        return False
    figures = [data_figures(c.quote, entry) for c in entry.sources]
    return all(len(f) == 1 and f[0].currency == entry.currency for f in figures) and \
        sum((f[0].amount for f in figures), Decimal(0)) == entry.amount


# ------------------------------------------------------------------ finish
def duplicate_id(entry_id: str) -> str:
    """Why an item whose id an earlier item of the import has is refused:
    the same words whatever batch the earlier one was read in."""
    return (f"duplicate id {entry_id!r}: an earlier item of this import has it "
            f"(an earlier file, or earlier in this one); not imported")


def first_of_each_id(items: list[tuple[str, Record]]) -> tuple[list[int], list[Problem]]:
    """(the items, (file, record) in input order, whose id no earlier one
    has; a problem naming each of the others): an id is the first item's
    that gives it, whether the rules then accept that item or not, so that
    what an import keeps does not depend on which items are read together
    (the journal import, a dataset import's batches).  Items without an id
    are kept (the rules refuse them)."""
    seen: set[str] = set()
    keep, problems = [], []
    for k, (file, rec) in enumerate(items):
        eid = str(rec.fields.get("id") or "")
        if eid and eid in seen:
            problems.append(import_problem(file, rec.where, duplicate_id(eid)))
            continue
        seen.add(eid)
        keep.append(k)
    return keep, problems


# the tags an importer sets (its own, and the not-counted reasons it gives: FTS's
# boundary rules, IATI's withdrawn items): replaced on each import; any other
# tag is the user's and kept
_IMPORTER_TAG = re.compile(r"^(iati|fts)(-|$)|^not-counted-(withdrawn|internal|outgoing|shared)$")
def withdrawn(view: EntryRow, where: str, note: str) -> Record:
    """An imported entry its publisher's newer statement no longer gives or
    counts (IATI's activity read again, FTS's flow set to 0 or left out of a
    complete download): the whole entry again, its figures, sources and the
    user's edits kept, tagged ``not-counted`` and ``not-counted-withdrawn``
    (left out of every total), ``note`` first in its notes."""
    fields = entry_table(cast(Entry, view))     # a row has the fields of its Entry
    fields["tags"] = [*view.tags, NOT_COUNTED, f"{NOT_COUNTED}-withdrawn"]
    fields["notes"] = "; ".join(x for x in (note, view.notes) if x)
    return Record(where, fields)


def keep_user_edits(fields: dict[str, Any], old: Entry | EntryRow, own: Wordings,
                    same: bool = False) -> list[str]:
    """An imported item's ``fields`` with what the user added to the entry
    it updates (``old``) kept: the tags the importer does not set (a
    ``not-counted`` of the user's: the one without an importer's reason
    beside it, or beside a reason of the user's) and the notes it did not
    write (``; ``-separated parts: those neither in the new note nor in
    one of the importer's wordings, ``own``, bar one for each new part in
    none, the data's own text, which replaces it: a flow's changed
    description).  Returns the
    old parts not kept that the new note lacks, for the caller to say,
    never dropped in silence.  ``same``: the item is stated by the same data
    the entry cites (``same_data``), so a remark is the user's however it is
    joined to the importer's note (", phoned")."""
    theirs = [t for t in old.tags if t != NOT_COUNTED and not _IMPORTER_TAG.match(t)]
    user_excluded = any(t.startswith(NOT_COUNTED + "-") for t in theirs) or not any(
        _IMPORTER_TAG.match(t) and t.startswith(NOT_COUNTED) for t in old.tags)
    mine = [t for t in old.tags if t in theirs or (t == NOT_COUNTED and user_excluded)]
    tags = list(fields.get("tags") or ())
    extra = [t for t in mine if t not in tags]
    if extra:
        fields["tags"] = tags + extra
    note = str(fields.get("notes") or "")
    new = [n for n in note.split("; ") if n.strip()] if note else []
    parts = [n for n in (old.notes or "").split("; ") if n.strip()]
    # a remark the user joined to one of the importer's parts otherwise than
    # with "; " (". Phoned: final", a new line): that part and the remark,
    # kept in the new part's place.  Not an importer's wording unless the
    # new part is one too (a wording's last field takes any text: the
    # joint tells), nor its own changed note ("rate 1.12065" is not "rate
    # 1.1206" and a remark: no joint), not
    # when the new part is an old part of its own (the user's "Food
    # assistance was cut" beside it is a remark apart), each old part once,
    # the first in order (the same notes on every re-import)
    glued: dict[str, str] = {}
    for n in new:
        if n in parts:
            continue
        for p in parts:
            if p not in new and p not in glued.values() and user_remark_after(p, n, same) \
                    and (own.wrote(n) or not own.wrote(p)):
                glued[n] = p
                break
    kept_new = [glued.get(n, n) for n in new]
    # the old parts the new note has or in the importer's wordings are its
    # own; of the others, in order, one is replaced by each new part in none
    # (the data's own text, a flow's changed description: the importer
    # writes it first); the rest are the user's remarks, kept
    unread_new = [n for n in new if n not in parts and n not in glued and not own.wrote(n)]
    others = [n for n in parts if n not in kept_new and not own.wrote(n)]
    replaced = others[:len(unread_new)]
    added = others[len(unread_new):]
    if added or glued:
        fields["notes"] = "; ".join([*kept_new, *added])
    # an old part in one of the importer's wordings and gone: its own, or a
    # remark worded like one: said
    return replaced + [n for n in parts if n not in kept_new and own.wrote(n)]


def user_remark_after(old: str, note: str, any_joint: bool = False) -> bool:
    """Whether the note ``old`` is the importer's ``note`` with a remark of
    the user's after it ("; more", ". Phoned: final", a new line; with
    ``any_joint``, the data unchanged, ", phoned" too): the user's text
    after the importer's note is the user's, kept."""
    rest = old[len(note):] if note and old.startswith(note) else ""
    return (any_joint or rest.startswith(_REMARK_JOINTS)) and bool(rest.strip(" ;.,\n\t"))


# what joins a remark the user wrote to the end of an importer's note: a
# sentence's end or a new line, never more of a word or number ("1.1206" and
# "5" are "1.12065", the importer's own)
_REMARK_JOINTS = (". ", ".\n", "\n")


# the fields each importer writes (by its ids' prefix); any other field of an
# entry it made is the user's, kept on every re-import
IMPORTED_FIELDS = {
    "iati": frozenset({"id", "date", "value_date", "funder", "purpose", "amount", "currency",
                       "period", "status", "disburses", "part_of", "restates", "recipient",
                       "tags", "notes", "split", "source"}),
    "fts": frozenset({"id", "date", "funder", "purpose", "amount", "currency", "period",
                      "status", "restated", "recipient", "location", "tags", "notes", "split",
                      "source"}),
}
# of those, the ones that describe rather than count: one the ledger's entry has
# and this statement lacks may be the user's (FTS flow 204307's recipient), kept
_DESCRIBING = ("recipient", "location")
_OWN_PARTS = ("id", "tags", "notes", "source")     # compared elsewhere (tags, notes) or below


def data_citation(c: Any) -> bool:
    """A citation in an importer's wording: a flow of an archived FTS file
    or an item of an archived IATI file ("flow N version V; …", "activity
    ID, transaction #N"); which of an entry's are the importer's:
    ``own_citations``."""
    doc, loc = _doc_locator(c)
    return (doc.startswith("fts-") and _FTS_LOCATOR.fullmatch(loc) is not None) or \
        (doc.startswith("iati-") and _IATI_LOCATOR.fullmatch(loc) is not None)


# the locators the importers write (iati.py, fts.py): the activity and its item
# ("transaction #3", "transaction 'REF'", "budget 2012-04-01 to 2013-03-31"), a
# netted reversal's marked; the flow, its version, reports and update
_IATI_LOCATOR = re.compile(r"activity (?P<subject>.+?), (?P<item>transaction (?:#\d+|'.*'|\".*\")"
                           r"|(?:budget|planned disbursement) \S+(?: to \S+)?)"
                           r"(?P<reversal> \(reversal\))?")
_FTS_LOCATOR = re.compile(r"flow (?P<subject>\d+) version \S+(?:; .*)?")


def _doc_locator(c: Any) -> tuple[str, str]:
    doc, loc = (c.get("doc"), c.get("locator")) if isinstance(c, dict) else (c.doc, c.locator)
    return str(doc or ""), str(loc or "")


def _named(c: Any) -> tuple[str, str, bool] | None:
    """(activity or flow, item, a reversal) a citation in an importer's
    wording names."""
    doc, loc = _doc_locator(c)
    m = (_FTS_LOCATOR if doc.startswith("fts-") else _IATI_LOCATOR).fullmatch(loc) \
        if data_citation(c) else None
    if m is None:
        return None
    groups = m.groupdict()
    return m["subject"], groups.get("item") or "", bool(groups.get("reversal"))


def own_citations(new: Iterable[Any], old: Iterable[Any]) -> list[bool]:
    """Which of an entry's citations ``old`` are the importer's, given the
    ones it writes for the entry now (``new``): those of the file the entry
    came from (the document its first citation of the entry's own item
    cites) naming, in the importer's wording, the entry's activity and item
    (or a reversal netted into it) or its flow.  Any other (another file's,
    another activity's or flow's, a locator worded otherwise) is the
    user's."""
    old = list(old)
    named_new = [n for n in map(_named, new) if n is not None]
    subjects = {n[0] for n in named_new}
    items = {(n[0], n[1]) for n in named_new}
    named_old = [_named(c) for c in old]
    # the entry's own item: one the importer names now, else (its label moved) the
    # first citation of the activity or flow
    first = next((k for k, n in enumerate(named_old) if n and (n[0], n[1]) in items), None)
    if first is None:
        first = next((k for k, n in enumerate(named_old) if n and n[0] in subjects), None)
    if first is None:
        return [False] * len(old)
    doc = _doc_locator(old[first])[0]
    item = named_old[first]
    assert item is not None
    return [n is not None and _doc_locator(c)[0] == doc and n[0] == item[0] and
            ((n[0], n[1]) in items or n[1] == item[1] or n[2])
            for c, n in zip(old, named_old)]


def _citation_key(c: dict) -> tuple[str, str, str]:
    return str(c.get("doc") or ""), str(c.get("quote") or ""), str(c.get("locator") or "")


def _comparable(name: str, v: Any) -> Any:
    """A field's value in one form, whether from an importer's fields or the
    ledger's entry (``entry_table``): amounts as numbers, a period without
    the "over" the entry's description may put before it."""
    if v in (None, "", [], ()):
        return None
    if name == "split":
        return tuple((str(s.get("purpose")), Decimal(str(s.get("amount")))) for s in v)
    if name == "amount":
        try:
            return Decimal(str(v))
        except ArithmeticError:
            return str(v)
    if isinstance(v, (list, tuple)):
        return tuple(str(x) for x in v)
    text = str(v)
    return text[5:] if name == "period" and text.startswith("over ") else text


def same_data(fields: dict[str, Any], old: Entry | EntryRow,
              same_file: Callable[[str, str], bool] | None = None) -> bool:
    """Whether an imported item (``fields``) is stated by the same data the
    entry it updates (``old``) cites: the same citations, of the same
    archived file or of a copy of it under another name (``same_file``: the
    same SHA-256); for FTS, another download of the flow's same version and
    update."""
    new_cites = [c for c in fields.get("source") or () if data_citation(c)]
    old_cites = list(entry_table(cast(Entry, old)).get("source") or ())
    theirs_old = [c for c, o in zip(old_cites, own_citations(new_cites, old_cites)) if o]
    if bool(new_cites) and len(new_cites) == len(theirs_old) and all(
            _citation_key(a)[1:] == _citation_key(b)[1:] and (
                a.get("doc") == b.get("doc") or
                same_file is not None and same_file(str(a.get("doc")), str(b.get("doc"))))
            for a, b in zip(new_cites, theirs_old)):
        return True
    kind = str(fields.get("id") or "").split("-", 1)[0]
    return kind == "fts" and bool(new_cites) and bool(theirs_old) and \
        [c.get("locator") for c in new_cites] == [c.get("locator") for c in theirs_old] and \
        all("; updated " in str(c.get("locator")) for c in new_cites)


def keep_user_parts(fields: dict[str, Any], old: Entry | EntryRow,
                    same_file: Callable[[str, str], bool] | None = None) -> list[str]:
    """An imported item's ``fields`` with the rest of what the user added to
    the entry it updates (``old``; tags and notes: ``keep_user_edits``):
    the citations that are not the importer's (``data_citation``), in their
    place among its; the fields the importer never writes; a recipient or
    location this statement lacks.  While the item is stated by the same
    data the entry cites (the same archived file; an FTS flow's same
    version and update), the ledger's value of each field it differs in is
    an edit of the user's and stays; a newer statement replaces the
    importer's fields.  Returns what the caller says, one line each: the
    user's values kept against the data and those replaced."""
    kind = str(fields.get("id") or "").split("-", 1)[0]
    mine = IMPORTED_FIELDS.get(kind)
    if mine is None:
        return []
    eid = fields.get("id")
    was = entry_table(cast(Entry, old))     # a row has the fields of its Entry
    said: list[str] = []
    new_cites = [c for c in fields.get("source") or () if data_citation(c)]
    old_cites = list(was.get("source") or ())
    own = own_citations(new_cites, old_cites)
    theirs_old = [c for c, o in zip(old_cites, own) if o]
    same = same_data(fields, old, same_file)
    # the user's citations where they were, the importer's new ones in the place of its old
    at = next((k for k, o in enumerate(own) if o), 0)
    users = [c for c, o in zip(old_cites, own) if not o]
    before = [c for c, o in zip(old_cites[:at], own) if not o]
    sources = before + new_cites + users[len(before):]
    if sources != list(fields.get("source") or ()):
        fields["source"] = sources
    given_figure = _figure(fields)
    # the same figure, qualifier and period as the entry's amount text gives them
    # ("88523.0"; never "up to 88523 GBP" nor "88523 GBP over 3 years")
    changed_figure = given_figure is None or given_figure != _figure(was)
    if not changed_figure:      # the same figure: as the entry writes it ("88523.0")
        _keep_figure(fields, was, old)
    for name in [k for k in was if k not in mine]:        # never the importer's: the user's
        fields[name] = was[name]
    if same:
        # the data has not changed since: a field the entry has otherwise is the user's
        said_of: set[str] = set()
        for name in [k for k in dict.fromkeys(("amount", "currency", *sorted(mine), *fields))
                     if k not in _OWN_PARTS]:
            given = fields.get(name)
            if name in ("amount", "currency"):     # one figure: the entry's may be a phrase
                if changed_figure and "amount" not in said_of:
                    said_of.add("amount")
                    _keep_figure(fields, was, old)
                    yours = f"{plain_decimal(old.amount)} {old.currency}"
                    if given_figure is not None and given_figure[:2] == (old.amount, old.currency):
                        yours = repr(" ".join(str(was[k]) for k in ("amount", "currency") if k in was))
                    said.append(f"entry {eid!r}: your amount {yours} is kept: the data, unchanged since the entry "
                                f"cites it, gives {_figure_text(given_figure, fields)}")
                continue
            if _comparable(name, was.get(name)) == _comparable(name, given):
                continue
            if name in was:
                fields[name] = was[name]
            else:
                fields.pop(name, None)
            said_of.add(name)
            if name == "split":
                yours, given = "your splits are kept", "other splits"
            else:
                yours = f"your {name} {_shown(was[name])} is kept" if name in was else \
                    f"{name} left out, as you have it"
                given = _shown(given)
            said.append(f"entry {eid!r}: {yours}: the data, unchanged since the entry "
                        f"cites it, gives {given}")
        return said
    for name in _DESCRIBING:
        if name in mine and was.get(name) and not fields.get(name):
            fields[name] = was[name]
            if _data_changed(new_cites, theirs_old):
                said.append(f"entry {eid!r}: {name} {_shown(was[name])} kept: this statement "
                            f"gives none (remove it if it was an earlier statement's)")
    gone = [sp for sp in old.splits if sp.purpose not in
            {str(n.get("purpose")) for n in fields.get("split") or ()}]
    if gone:      # parts of the user's, or an earlier statement's: named, never dropped unsaid
        parts = ", ".join(f"{sp.purpose} {plain_decimal(sp.amount)}" for sp in old.splits)
        now_parts = ", ".join(f"{n.get('purpose')} {n.get('amount')}"
                              for n in fields.get("split") or ()) or \
            f"purpose {_shown(fields.get('purpose'))}"
        said.append(f"entry {eid!r}: its splits ({parts} {old.currency}) are replaced by "
                    f"this statement's ({now_parts}): if they were yours, split it again")
    if not changed_figure:
        return said
    # the amount as the entry writes it: a qualifier or period said, never only its number
    was_figure = _figure(was)
    phrased = was_figure is not None and was_figure[2:] != ("exact", ONCE)
    figure = repr(" ".join(str(was[k]) for k in ("amount", "currency") if k in was)) \
        if phrased else f"{plain_decimal(old.amount)} {old.currency}"
    now = _figure_text(given_figure, fields)
    if theirs_old and all(data_figure(c.quote, old) for c, o in zip(old.sources, own) if o) \
            and not _netted(old):
        said.append(f"entry {eid!r}: amount {figure}, not the figure its data citation "
                    f"gives (an edit of yours), is replaced "
                    f"by this statement's {now}")
    elif phrased and was_figure is not None and (
            given_figure is None or given_figure[2:] != was_figure[2:]):
        said.append(f"entry {eid!r}: amount {figure} is replaced by this statement's {now}: "
                    f"the data gives no such qualifier or period (write it again if it "
                    f"was yours and still holds)")
    if "restated" in was and "restated" not in mine:
        restated = ", ".join(f"{plain_decimal(m.amount)} {m.currency}" for m in old.restated)
        said.append(f"entry {eid!r}: your restated ({restated}) is kept, made for the amount "
                    f"{figure}; this statement gives {now}: check it")
    for c in users:
        said.append(f"entry {eid!r}: your citation of {c.get('doc')!r} "
                    f"({_shown(c.get('quote'))}) is kept, made for the amount "
                    f"{figure}; this statement gives {now}: check it")
    return said


def _keep_figure(fields: dict[str, Any], was: dict[str, Any], old: Entry | EntryRow) -> None:
    """The ledger's amount and currency in ``fields``: as the importer
    writes them (a number, its currency beside it) when the entry's is
    that figure alone, else as the entry's text gives them."""
    plain = plain_decimal(old.amount)
    if "currency" not in was and was.get("amount") == f"{plain} {old.currency}":
        fields["amount"], fields["currency"] = plain, old.currency
        return
    fields["amount"] = was.get("amount")
    if "currency" in was:
        fields["currency"] = was["currency"]
    else:
        fields.pop("currency", None)


def _figure(fields: dict[str, Any]) -> tuple[Decimal, str, str, Period] | None:
    """(amount, currency, qualifier, period) of an entry's fields, the amount
    a number with its currency beside it (exact, once) or a phrase carrying
    both ("5407333 EUR", "up to 88523 GBP", "88523 GBP over 3 years")."""
    amount, currency = str(fields.get("amount") or ""), str(fields.get("currency") or "")
    try:
        if currency:
            return Decimal(amount), currency, "exact", ONCE
        phrase = parse_amount(amount)
    except (ArithmeticError, MoneyError):
        return None
    return phrase.amount, phrase.currency, phrase.qualifier, phrase.period


def _figure_text(got: tuple[Decimal, str, str, Period] | None, fields: dict[str, Any]) -> str:
    return f"{plain_decimal(got[0])} {got[1]}" if got else str(fields.get("amount"))


def _shown(v: Any) -> str:
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(map(str, v)) + "]"
    return "none" if v in (None, "") else repr(str(v))


def _data_changed(new_cites: list[dict], old_cites: list[dict]) -> bool:
    """The item's data changed (its quotes or places), not only the file cited."""
    return [(_citation_key(c)[1], _citation_key(c)[2]) for c in new_cites] != \
        [(_citation_key(c)[1], _citation_key(c)[2]) for c in old_cites]


# no collector pass over the records and tables while they are checked (none cyclic)
@gc_paused()
def finish(results: list[ReadResult], *, name: str, entries: Book | tuple[()] = (),
           documents=None, held: dict[str, tuple[str, int]] | None = None) -> DataImport:
    """Validate every record with the importer's rules against the ledger
    (``entries``: a Book, read from its tables, its entries made rows,
    ``EntryRow``, only where a record has their id; ``()`` for none;
    ``documents``): records whose id is in the ledger with the same content
    are unchanged, with other content they update it; a record repeating
    another entry's figure under another id is reported.  No ``Entry`` is
    made: the ledger's entries and the records are compared as rows."""

    documents = dict(documents or {})
    out = DataImport(name, files=results)
    items: list[tuple[str, Record]] = []
    for r in results:
        out.problems.extend(r.problems)
        items.extend((r.file, rec) for rec in r.records)
        if r.document and r.document["id"] not in documents and \
                r.document["id"] not in {d["id"] for d in out.documents}:
            out.documents.append(r.document)
    # an id given twice: the first item's (as a dataset import's batches keep it)
    first, twice = first_of_each_id(items)
    out.problems.extend(twice)
    records = [items[k][1] for k in first]
    if not isinstance(entries, Book) and entries:
        raise TypeError("a ledger's entries are given as its Book")
    book = entries if isinstance(entries, Book) else None
    existing = {e.id: e for e in (() if book is None else _entries_of(
        book, [rec.fields.get("id", "") for rec in records]))}
    new_docs_by_id = {d["id"]: d for d in out.documents}
    own = Wordings(*(r.notes for r in results))

    def sha_of(doc_id: str) -> str:
        d = new_docs_by_id.get(doc_id) or documents.get(doc_id)
        return str((d.get("sha256") if isinstance(d, dict) else getattr(d, "sha256", "")) or "")

    def same_file(a: str, b: str) -> bool:   # one file archived under two names
        return bool(sha_of(a)) and sha_of(a) == sha_of(b)
    # what is said of the user's edits, by entry: only of those the import
    # writes or finds unchanged, never of a record the rules then refuse
    of_edits: dict[str, list[Problem]] = {}
    for k in first:     # the user's tags and notes stay (docs/interop.md)
        file, rec = items[k]
        old = existing.get(rec.fields.get("id", ""))
        if old is None:
            continue
        edits = of_edits.setdefault(old.id, [])
        replaced_notes = keep_user_edits(rec.fields, old, own, same_data(rec.fields, old, same_file))
        if replaced_notes:
            edits.append(import_problem(file, rec.where, (
                f"entry {rec.fields.get('id', '')!r}: its notes {'; '.join(replaced_notes)!r} are replaced by "
                "this version's (the importer writes its note first; remarks of yours "
                "after it are kept)"), "warning"))
        for said in keep_user_parts(rec.fields, old, same_file):
            edits.append(import_problem(file, rec.where, said, "warning"))
    # first reading: which records are already there, unchanged or changed
    replaced: set[str] = set()
    todo: list[tuple[int, Record]] = []
    again = [(i, rec) for i, rec in enumerate(records, 1) if rec.fields.get("id", "") in existing]
    seen = check_records([entry_table(rec.fields) for _, rec in again], [i for i, _ in again],
                         name=name, documents={*documents, *new_docs_by_id},
                         across=False, rows=True).rows if again \
        else {}
    views = {i: seen.get(k) for k, (i, _) in enumerate(again)}
    for i, rec in enumerate(records, 1):
        eid = rec.fields.get("id", "")
        if eid in existing:
            e = views[i]
            if e is not None and _same(e, existing[eid], documents, new_docs_by_id):
                out.unchanged.append(eid)
                continue
            replaced.add(eid)
        todo.append((i, rec))
    keep: Book | tuple[()] = () if book is None else \
        book.subset(~_with_ids(book, replaced)) if replaced else book
    new_docs = {d["id"]: d for d in out.documents}
    rejects: list[Problem] = []
    raw_rows = [([i], rec.fields) for i, rec in todo]     # read, not changed
    # an update's new entry is its row of the first reading, for its message
    warned: list[Problem] = []
    accepted = _validate(raw_rows, keep, documents, new_docs, rejects, name, {}, rows=False,
                         warned=warned, held=held)
    where = {i: rec.where for i, rec in todo}
    src_of = {}
    for r in results:
        for rec in r.records:
            src_of[id(rec)] = r.file
    file_of = {i: src_of.get(id(rec), name) for i, rec in todo}
    for rj in rejects:
        out.problems.append(import_problem(file_of.get(rj.line, name), where.get(rj.line, ""),
                                           rj.message))
    for w in warned:    # what `check` will say of the entries written
        out.problems.append(record_warning(w, file_of.get(w.line, name), where.get(w.line, "")))
    view_of: dict[str, EntryRow] = {}
    for e in views.values():
        if e is not None:
            view_of.setdefault(e.id, e)     # ids twice: the first is kept, the other refused
    for eid in out.unchanged:
        out.problems.extend(of_edits.pop(eid, ()))
    for table, _ in accepted:
        eid = table["id"]
        if eid in replaced:
            out.problems.extend(of_edits.pop(eid, ()))
            out.updated.append((existing[eid], table, view_of[eid]))
        else:
            out.new.append(table)
    used = {s["doc"] for _, t, _ in out.updated for s in t.get("source", ())} | \
           {s["doc"] for t in out.new for s in t.get("source", ())}
    out.documents = [d for d in out.documents if d["id"] in used]
    return out


def _with_ids(book: Book, ids):
    """The mask of ``book``'s entries whose id is one of ``ids``."""
    import numpy as np

    # a set look-up per entry: np.isin over text (object) arrays compares
    # each id with every one given, quadratic in a big ledger
    wanted = {str(i) for i in ids}
    column = book.tables.entries["id"].tolist()
    return np.fromiter((i in wanted for i in column), dtype=bool, count=len(column))


def _entries_of(book: Book, ids) -> tuple[EntryRow, ...]:
    """The rows of ``book``'s entries whose id is one of ``ids`` (only
    those made, from the Book's tables; no ``Entry``)."""
    mask = _with_ids(book, ids)
    return entry_rows(book.subset(mask)) if mask.any() else ()


def _entry_spans(raw: bytes) -> list[tuple[int, int, int]]:
    """(line of the [[entry]] header, start byte, end byte) of each entry
    table; an entry ends where the next top-level table starts."""
    heads = [m for m in re.finditer(
        rb"(?m)^[ \t]*\[\[?[ \t]*([A-Za-z_.]+)[ \t]*\]\]?[ \t]*(?:#[^\r\n]*)?\r?$", raw)]
    names = [m.group(1).decode() for m in heads]
    # where each table's entry ends: the start of the next top-level table (one
    # backward pass; sub-tables such as [[entry.source]] belong to their entry)
    next_top, following = [len(raw)] * len(heads), len(raw)
    for k in range(len(heads) - 1, -1, -1):
        next_top[k] = following
        if not names[k].startswith("entry."):
            following = heads[k].start()
    spans, line, pos = [], 1, 0
    for k, m in enumerate(heads):
        if names[k] != "entry":
            continue
        end = next_top[k]
        # blank lines and comments before the next table belong to it, not to this entry
        lines = raw[m.start():end].split(b"\n")
        keep = len(lines)
        while keep > 1 and (not lines[keep - 1].strip() or lines[keep - 1].lstrip().startswith(b"#")):
            keep -= 1
        end = min(m.start() + sum(len(x) + 1 for x in lines[:keep]), len(raw))
        line += raw.count(b"\n", pos, m.start())     # counted on from the last entry
        pos = m.start()
        spans.append((line, m.start(), end))
    return spans


def replace_entries(path: Path, changes: Mapping[int, str | dict[str, Any]],
                    said: list[str] | None = None) -> bytes:
    """The file's bytes with the entry tables starting on the given lines
    replaced by new text (everything else byte for byte); an imported
    entry's new fields (a dict) change only what differs in its text, the
    user's lines kept (``ledger.edit.merge_entry_text``), or where its shape
    does not allow that, replace it whole (said in ``said``)."""

    raw = read_bytes(path, what="journal file")
    spans = {line: (s, e) for line, s, e in _entry_spans(raw)}
    missing = [ln for ln in changes if ln not in spans]
    if missing:
        raise LedgerError(f"{path}: no [[entry]] table at line {missing[0]} to update")
    out, pos = [], 0
    for line in sorted(changes, key=lambda ln: spans[ln][0]):
        s, e = spans[line]
        out.append(raw[pos:s])
        newline = b"\r\n" if raw[s:e].endswith(b"\r\n") else b"\n"
        change = changes[line]
        if isinstance(change, str):
            text = change
        else:
            text = raw[s:e].decode("utf-8").replace("\r\n", "\n")
            change = _as_written(text, change)
            kept = merge_entry_text(text, change, _replaced_citations(text, change))
            if kept is None and said is not None:
                said.append(f"{path}:{line}: entry {change.get('id')!r} is written anew: its "
                            f"comments and layout could not be kept")
            text = kept if kept is not None else render_entry(change)
        body = text.rstrip("\n").encode("utf-8").replace(b"\n", newline)
        out.append(body + (newline if raw[s:e].endswith(b"\n") else b""))
        pos = e
    out.append(raw[pos:])
    return b"".join(out)


def _as_written(text: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` with each field the importer never writes as the entry's
    text gives it (a restated "$2,450,000" stays so, not as the ledger
    renders it: "$2.45 million")."""
    mine = IMPORTED_FIELDS.get(str(fields.get("id") or "").split("-", 1)[0])
    try:
        table = tomllib.loads(text)["entry"][0]
    except (tomllib.TOMLDecodeError, KeyError, IndexError, TypeError):
        return fields
    if mine is None or not isinstance(table, dict):
        return fields
    users = {k: v for k, v in table.items()
             if k not in mine and k not in ("source", "split") and k in fields}
    out = {**fields, **users} if users else fields
    # the same figure as the text writes it ("88523.0", or "13158" and its currency
    # beside it where the fields give the phrase "13158 GBP"): no line changed for it
    amount = table.get("amount")
    if isinstance(amount, str) and "amount" in fields and _figure(fields) is not None and \
            _figure(table) == _figure(fields) and \
            (amount, table.get("currency")) != (fields["amount"], fields.get("currency")):
        out = dict(out, amount=amount)
        if "currency" in table:
            out["currency"] = table["currency"]
        else:
            out.pop("currency", None)
    return out


def _replaced_citations(text: str, fields: dict[str, Any]) -> Callable[[Any], bool]:
    """Which citations of an entry's text and its new ``fields`` are the
    importer's to replace: those only one of them has (the user's, kept
    by ``keep_user_parts``, and the importer's unchanged ones are in both
    and keep their lines)."""
    try:
        old = tomllib.loads(text)["entry"][0].get("source") or []
    except (tomllib.TOMLDecodeError, KeyError, IndexError, TypeError, AttributeError):
        old = []
    old_keys = {_citation_key(c) for c in old if isinstance(c, dict)}
    new_keys = {_citation_key(c) for c in fields.get("source") or () if isinstance(c, dict)}
    return lambda c: isinstance(c, dict) and _citation_key(c) in old_keys ^ new_keys


def _same(new: EntryRow, old: EntryRow, documents, new_docs) -> bool:
    """The same entry, or the same but citing another copy of the same data
    file (an unchanged transaction in an updated file keeps its citation),
    or an FTS flow's citation with its "; updated ..." where the ledger's,
    written before it was kept, has none."""
    if new.same(old):
        return True
    if len(new.sources) != len(old.sources):
        return False
    for a, b in zip(new.sources, old.sources):
        if a.doc == b.doc:
            if a.quote != b.quote or _locator(a, b) != b.locator:
                return False
            continue
        # another copy of the same kind of data (the same flow or transaction in
        # another file, this import's or one the ledger cites): the same figures
        # in the quote, the same place
        if (new_docs.get(a.doc) is None and documents.get(a.doc) is None) or \
                documents.get(b.doc) is None or \
                _kind(a.doc) != _kind(b.doc) or _locator(a, b) != b.locator or \
                sorted(map(str, data_figures(a.quote, new))) != \
                sorted(map(str, data_figures(b.quote, old))):
            return False
    return new._replace(sources=old.sources).same(old)


def _locator(new, old) -> str | None:
    """``new``'s locator, without the "; updated ..." an FTS citation ends
    with when ``old``'s (an earlier version's) has none."""
    loc = new.locator or ""
    if _kind(new.doc) == "fts" and "; updated " in loc and "; updated " not in (old.locator or ""):
        return loc[:loc.rindex("; updated ")]
    return new.locator


def _kind(doc_id: str) -> str:
    """'iati' or 'fts' from the id of an archived data file."""
    return doc_id.split("-", 1)[0]
