"""OCHA Financial Tracking Service flows (the API's JSON: ``data.flows[]``)
-> records.

One flow is one entry, ``fts-<id>``; its ``versionId`` is kept as the tag
``fts-version-N`` and its ``updatedAt`` in the citation's locator, so a
re-import of a newer copy (a higher version, else a later ``updatedAt``)
updates the entry and an older one is left out.  Flows are counted as FTS counts a location's funding
(``data.incoming.fundingTotal``): incoming flows not shared on the boundary;
internal, outgoing and shared flows are recorded, tagged ``not-counted`` (and
``not-counted-internal`` ...), which leaves them out of every total.  The rules
are in docs/interop.md ("OCHA FTS flows").
"""
from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, cast
from decimal import Decimal
from pathlib import Path

from ledger.imports.common import (Problem, ReadResult, Record, Wordings, account_part, import_problem, shares, source_document, withdrawn)
from ledger.imports.common import data_citation
from ledger.errors import LedgerError
from ledger.book import Book
from ledger.imports.problem import kind_of, where_of
from ledger.imports.rows import EntryRow, Held, HeldEntries
from ledger.model import NOT_COUNTED as NOT_COUNTED_TAG
from ledger.model import KEEPS_ZEROS, Entry
from ledger.limits import date_problem, foreign_digits, json_depth, magnitude_problem
from ledger.rules.rows import currency_rule
import datetime as dt
import hashlib
from ledger.imports.common import load_names
from ledger.imports.iati import _archived
from ledger.phrases.money import format_amount_phrase, plain_decimal
from ledger.writer import entry_table
from ledger.safe_io import read_bytes

STATUS = {"pledge": "pledged", "commitment": "committed", "paid": "disbursed"}
MAX_DEPTH = 64            # nesting of the JSON, checked before json.loads sees it
MAX_VERSION = 10**9       # a versionId beyond it is refused before int() sees it
MAX_ID_DIGITS = 20        # flow ids are whole numbers of at most this many digits
UNKNOWN_FUNDER = "Unknown funder"
# what FTS leaves out of a location's incoming funding (docs/interop.md: the FTS
# glossary's "boundary" and "multiple value parameters")
NOT_COUNTED = {
    "internal": "an internal flow (source and destination both inside the download's "
                "boundary): FTS does not count it in the location's incoming funding",
    "outgoing": "an outgoing flow (it leaves the download's boundary): FTS does not count "
                "it in the location's incoming funding",
    "shared": "shared on the boundary (several destination locations or years): FTS leaves "
              "it out of each one's funding totals",
}

# the parts of an entry's note this reader writes, each in its wording (the
# flow's description is FTS's own text, in none): a re-import tells them
# from the user's remarks (``common.keep_user_edits``)
NOTES = Wordings()
_UNCOUNTED = NOTES.add("not counted: {reason}")
_ORIGINAL_ZERO = NOTES.add("originalAmount 0: the amountUSD FTS states is the figure")
_NO_FUNDER = NOTES.add("FTS names no source organisation")
_OTHER_FUNDERS = NOTES.add("other source organisations: {names}")
_DESTINATION = NOTES.add("{kind}: {name}", kind="plan|emergency|project")
_CHILD = NOTES.add("child of flow {parent} (FTS counts each flow of the chain that crosses the "
                   "boundary)")
_SPLIT = NOTES.add("split equally over {n} cluster/location pairs (FTS gives no shares)")
_RATE = NOTES.add("FTS exchange rate {rate}")
_ZEROED = NOTES.add("not counted: {file} gives this flow as 0 ({copy})")
# a download no entry cites, kept for its copies of 0 (its [[document]]'s notes)
_UNCITED = (KEEPS_ZEROS + "{n} flow{s} it gives as 0 "
            "({flows}), where the import left {them}: kept so that an older copy imported "
            "later is not counted again")
# an import's note (not an entry's)
_UNLISTED = ("{n} flow(s) of the ledger for location {location} year {year}, counted, are "
                    "not listed by this import ({ids}): left as they are (a download may be "
                    "filtered; withdraw them by hand if FTS dropped them)")


def _objects(objs, kind: str) -> list[dict]:
    if not isinstance(objs, list):
        return []
    return [o for o in objs if isinstance(o, dict) and o.get("type") == kind]


def _name(o: dict, names: dict[str, str]) -> str:
    oid, name = str(o.get("id", "")).strip(), " ".join(str(o.get("name") or "").split())
    return names.get(oid) or names.get(name) or account_part(name or oid or "Unknown")


def _flow_near(text: str, pos: int) -> str:
    ids = list(re.finditer(r'"id"\s*:\s*"?(\w+)"?', text[:pos]))
    return f"flow {ids[-1].group(1)!r} (the last flow id before the error)" if ids else ""


def _loads(text: str):
    """The JSON, and its first key given twice in one object (key, first
    value, second value, the object), or None: json keeps the last silently,
    so an "originalAmount" written twice was imported as its second figure."""
    twice: list[tuple] = []

    def pairs(items):
        d: dict = {}
        for k, v in items:
            if k in d and not twice:
                twice.append((k, d[k], v, d))
            d[k] = v
        return d

    data = json.loads(text, parse_float=Decimal, parse_int=Decimal, object_pairs_hook=pairs)
    return data, (twice[0] if twice else None)


def _holds(node, target) -> bool:
    if node is target:
        return True
    items = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    return any(_holds(v, target) for v in items)


def _twice_message(data, twice) -> tuple[str, str]:
    """(the flow holding the key given twice, what is wrong) for a message."""
    key, first, second, holder = twice
    flows = data.get("data", {}).get("flows") if isinstance(data, dict) and \
        isinstance(data.get("data"), dict) else None
    where = next((f"flow {str(f.get('id'))!r}" for f in flows or ()
                  if isinstance(f, dict) and _holds(f, holder)), "") \
        if isinstance(flows, list) else ""

    def shown(v) -> str:
        t = str(v) if isinstance(v, Decimal) else json.dumps(v, default=str)
        return t if len(t) <= 40 else t[:40] + "…"

    return where, (f"key {key!r} is given twice in one object ({shown(first)}, then "
                   f"{shown(second)}): which one the source means is unknown; nothing "
                   f"imported from this file")


def read_fts(path: str | Path, *, names=None, entries: Book | tuple[()] = (),
             newest: ImportFlows | None = None) -> ReadResult:
    """Read one FTS flows file (never raises for bad data: a malformed or
    truncated file is one problem of kind "error" and gives no records).
    ``entries``: the ledger's (a Book, read from its tables; ``()`` for
    none): the versions and figures of its flows.
    ``newest``: what the other files of the same import give
    (``newest_versions``): a flow several files give is taken as importing
    the files one by one in their order would (``fold``); the files are
    grouped into downloads
    (``Download``), said to be partial when fewer than ``meta.count``."""


    path = Path(path)
    names = names or load_names(None)
    file = str(path)
    raw = read_bytes(path, what="FTS file")     # a regular file within the size cap
    sha = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return ReadResult(file, [], [import_problem(file, "", f"not UTF-8 text (byte {err.start + 1}): "
                                                       f"not read", "error")], None, sha)
    if json_depth(text) > MAX_DEPTH:
        return ReadResult(file, [], [import_problem(file, "", f"JSON nested deeper than {MAX_DEPTH} "
                                                       f"levels: not read", "error")], None, sha)
    try:
        data, twice = _loads(text)
    except json.JSONDecodeError as err:
        near = _flow_near(text, err.pos)
        rest = text[err.pos:]
        what = ("truncated" if err.pos >= len(text.rstrip()) or
                (err.msg.startswith("Unterminated") and '"' not in rest[1:]) else "malformed")
        return ReadResult(file, [], [import_problem(file, near, f"line {err.lineno} column {err.colno}: "
                                             f"the JSON is {what} ({err.msg}); nothing imported "
                                             f"from this file", "error")], None, sha)
    if twice:
        where, wrong = _twice_message(data, twice)
        return ReadResult(file, [], [import_problem(file, where, wrong, "error")], None, sha)
    flows = data.get("data", {}).get("flows") if isinstance(data, dict) and \
        isinstance(data.get("data"), dict) else None
    if not isinstance(flows, list):
        return ReadResult(file, [], [import_problem(file, "", "not an FTS flows file: no data.flows "
                                                       "list", "error")], None, sha)
    doc = source_document(path, sha, "fts")
    problems: list[Problem] = []
    # the newest copy of each flow: the highest version, then the latest updatedAt
    latest: dict[str, dict] = {}
    for k, f in enumerate(flows, 1):
        if not isinstance(f, dict) or f.get("id") in (None, ""):
            problems.append(import_problem(file, f"flow #{k}", "no flow id: not imported"))
            continue
        fid = _id(f["id"])
        if fid is None:
            problems.append(import_problem(file, f"flow #{k}", f"flow id {str(f['id'])[:40]!r} is not "
                                    f"a whole number of at most {MAX_ID_DIGITS} digits: not "
                                    f"imported"))
            continue
        bad = _version_problem(f.get("versionId"))
        if bad:
            problems.append(import_problem(file, f"flow {fid!r}", bad))
            continue
        old = latest.get(fid)
        if old is not None:
            if _newer(_order_of(f), _order_of(old)):
                older, newer = old, f
                reason = f"superseded by {_copy(newer)} in the same file"
            else:
                older, newer = f, old
                reason = (f"superseded by {_copy(newer)} in the same file" if
                          _newer(_order_of(old), _order_of(f)) else
                          f"nothing says it is newer than {_copy(newer)} before it in the "
                          f"same file, which is kept")
            problems.append(import_problem(file, f"flow {fid!r} version {_version(older)}",
                                           f"{reason}: not imported", "skip"))
            f = newer
        latest[fid] = f
    own = _download(file, data, latest)
    if newest is None:
        newest = ImportFlows({}, (own,) if own is not None else (), frozenset(latest))
    held_entries = HeldEntries(entries, "fts-")
    # only entries an FTS import made (an FTS file cited) are compared, updated or
    # withdrawn: an ``fts-`` id typed by hand is the user's
    held = [e for e in held_entries.rows if _cites_fts(e)]
    mine_ids = {e.id for e in held}
    hand = {e.id: e for e in held_entries.rows if e.id not in mine_ids}
    ledger_order = {e.id: (_ledger_version(e), _ledger_updated(e)) for e in held}
    counted = {e.id for e in held if NOT_COUNTED_TAG not in e.tags}
    # left out by the user (no importer's reason beside the tag): never rewritten
    users = {e.id for e in held if NOT_COUNTED_TAG in e.tags
             and not any(t.startswith(NOT_COUNTED_TAG + "-") for t in e.tags)}
    mine = [g for g in newest.downloads if file in g.files]
    quotes = _Quotes(text)
    import_files = newest.files
    items = []
    again: dict[str, int] = {}
    zeroed: list[tuple[str, str, dict]] = []
    zeros: list[str] = []       # FtsRead.zeros
    even: list[str] = []        # same version, nothing says which copy is newer
    for fid, f in latest.items():
        where = f"flow {fid!r} version {_version(f)}"
        eid = f"fts-{fid}"
        stamp = f.get("updatedAt")
        if stamp is not None and not (isinstance(stamp, str) and not stamp.strip()) \
                and not _updated(f):
            shown = stamp.strip() if isinstance(stamp, str) else json.dumps(stamp, default=str)
            problems.append(import_problem(file, where, (
                f"updatedAt {shown[:40]!r} is not a readable date and time: "
                f"ignored (the copy is ordered by its versionId alone)"), "warning"))
        if eid in hand:
            h = hand[eid]
            problems.append(import_problem(file, where, (
                f"entry {eid!r} ({h.file}:{h.line}) is in the ledger without an FTS file "
                f"cited (typed by hand?): left as it is; this flow is not imported"), "skip"))
            continue
        zero_note = None
        mute = False        # a copy of 0 or refused that changes nothing: its reason only
        got = newest.folded(fid, ledger_order.get(eid), eid in counted and eid not in users)
        if got is not None:
            if got.kept is not None and got.kept.file == file:
                if got.withdrawn is not None:
                    zero_note = _ZEROED(file=Path(got.withdrawn.file).name,
                                        copy=got.withdrawn.named)
            elif not (got.kept is None and got.withdrawn is not None
                      and got.withdrawn.file == file):
                reason, by = got.lost.get(file, ("", None))
                if reason == "again" and by is not None:
                    if by.file not in import_files:     # the ledger's archived 0: read here
                        reason = ""
                    else:
                        again[by.file] = again.get(by.file, 0) + 1
                        continue
                if reason == "even" and by is None:
                    pass    # even with the ledger's entry alone: read against it, as alone
                elif reason:
                    problems.append(import_problem(file, where, _lost(reason, by,
                                                                      ledger_order.get(eid))
                                                   + ": not imported", "skip"))
                    continue
                else:
                    mute = True
        tie = False
        if eid in ledger_order:
            v, u = ledger_order[eid]
            mine_v, mine_u = _order_of(f)
            if v > mine_v or (v == mine_v and u and mine_u and u > mine_u):
                problems.append(import_problem(file, where, f"older than version {v}"
                                                     + (f" (updated {u})" if u else "")
                                                     + " in the ledger: not imported", "skip"))
                continue
            # the same version, and the same updatedAt or one of them unknown: nothing
            # says this copy is newer, so the ledger's stays (if its figures differ)
            tie = v == mine_v and not (u and mine_u and mine_u > u)
        try:
            item = _flow(f, fid, where, names, doc, quotes, problems, file)
        except (ValueError, ArithmeticError, TypeError, AttributeError) as err:
            problems.append(import_problem(file, where, f"could not be read ({type(err).__name__}: "
                                                 f"{err}); not imported"))
            continue
        if item is None and problems and kind_of(problems[-1]) == "skip" and \
                where_of(problems[-1]) == where and (
                    got.last is not None and got.last.file == file if got is not None else
                    eid not in ledger_order or _newer(_order_of(f), ledger_order[eid])):
            zeros.append(fid)       # this copy of 0 is where the flow's order ends
        if item is not None and tie:
            item["tie"] = True
        if item is not None:
            if zero_note is not None and not item["uncounted"]:
                item["fields"]["tags"] += [NOT_COUNTED_TAG, f"{NOT_COUNTED_TAG}-withdrawn"]
                item["fields"]["notes"] = "; ".join(x for x in (zero_note, item["fields"]["notes"])
                                                    if x)
                item["uncounted"] = "withdrawn"
            items.append(item)
        elif not mute and eid in counted and problems and kind_of(problems[-1]) == "skip" \
                and where_of(problems[-1]) == where:
            problems.pop()
            if tie:     # nothing says the copy of 0 is newer: the ledger's stays
                even.append(eid)
            else:       # a newer copy FTS counts nothing for: no longer counted
                zeroed.append((eid, where, f))
    items = _keep_ties(items, held_entries, even)
    if even:
        problems.append(import_problem(file, "", (
            f"{len(even):,} flow{'' if len(even) == 1 else 's'} of the same version as the "
            f"ledger's differ from it with nothing saying which is newer (the same updatedAt, "
            f"or none in one of the citations): the ledger's copy is kept, not updated ("
            + ", ".join(even[:5]) + (", ..." if len(even) > 5 else "") + ")"), "note"))
    if again:
        n = sum(again.values())
        problems.append(import_problem(file, "", (
            f"{n:,} flow{'' if n == 1 else 's'} given again, the same in every field, by "
            + ", ".join(sorted(again)) + ": each read once, from there"), "note"))
    _family_warnings(items, held, problems, file)
    records = [Record(i["where"], i["fields"]) for i in items]
    records += _withdraw(held_entries, held, zeroed, problems, file)
    _unlisted(held_entries, held, mine, newest, problems, file)
    _completeness(mine, problems, file)
    why: dict[str, int] = {}
    for i in items:
        if i["uncounted"]:
            why[i["uncounted"]] = why.get(i["uncounted"], 0) + 1
    if why:
        n = sum(why.values())
        problems.append(import_problem(file, "", (
            f"{n:,} flow{'' if n == 1 else 's'} recorded but not counted in the location's "
            f"funding totals, as FTS counts them ("
            + ", ".join(f"{k}: {v:,}" for k, v in sorted(why.items()))
            + f"): tagged {NOT_COUNTED_TAG}"), "note"))
    return FtsRead(file, records, problems, doc, sha, len(flows), NOTES, tuple(zeros))


@dataclass
class FtsRead(ReadResult):
    """``read_fts``'s reading of one file, with ``zeros``: the flows whose
    order the import leaves at this file's copy of 0 (none made an entry,
    or the copy withdrew one).  A later import must find that copy among
    the ledger's archived downloads (``ledger_zeros``), so the file is
    archived and recorded even when no entry cites it (``uncited_document``)."""
    zeros: tuple[str, ...] = ()


def uncited_document(read: ReadResult) -> dict | None:
    """The ``[[document]]`` table of a file no entry cites but whose copies of
    0 decide flows (``FtsRead.zeros``), its notes saying why it is kept;
    None for any other file."""
    if not isinstance(read, FtsRead) or not read.zeros or read.document is None:
        return None
    ids = sorted(read.zeros, key=lambda i: (len(i), i))
    flows = ", ".join(ids[:5]) + (f" and {len(ids) - 5:,} more" if len(ids) > 5 else "")
    return dict(read.document, notes=_UNCITED.format(
        n=f"{len(ids):,}", s="" if len(ids) == 1 else "s", flows=flows,
        them="it" if len(ids) == 1 else "them"))


@dataclass(frozen=True)
class Download:
    """Files as pages of one FTS download: what every page of a download
    repeats (``meta.count``, the ``data.incoming`` totals), the query every
    flow answers (the location and usage year all of them touch), the
    newest ``updatedAt`` of its flows and their ids.  The query is a guess,
    for notes only: a filtered download (by plan, organisation, ids) looks
    the same, so nothing is withdrawn on its strength."""
    files: tuple[str, ...]
    pages: str
    count: int | None
    place: tuple[str, str] | None      # (location id, name)
    year: str
    ids: frozenset[str]

    @property
    def query(self) -> str:
        return f"location {self.place[0] if self.place else '?'} year {self.year or '?'}"


class Copy(NamedTuple):
    """One file's copy of a flow several files of an import give."""
    order: tuple          # (version, updatedAt): ``_order_of``
    file: str
    digest: str
    named: str            # "version 2 (updated ...)"
    refused: str          # "" read, "zero" FTS counts nothing for it, "reject" refused


@dataclass(frozen=True)
class ImportFlows:
    """What all the files of one import give: ``copies``, flow id -> its
    copies in the files' order, for the flows several files give;
    ``downloads``, the files grouped into downloads; ``given``, every flow id."""
    copies: dict[str, tuple[Copy, ...]]
    downloads: tuple[Download, ...]
    given: frozenset[str]

    @property
    def files(self) -> set[str]:
        """The files of the import (not the ledger's archived copies)."""
        return {f for d in self.downloads for f in d.files}
    # each flow folded once, whichever of its files asks (every one does)
    _folded: dict[tuple, Folded] = field(default_factory=dict, compare=False, repr=False)

    def folded(self, fid: str, ledger: tuple | None, counted: bool) -> Folded | None:
        """``fold`` of the flow's copies, None when one file alone gives it."""
        copies = self.copies.get(fid)
        if copies is None:
            return None
        key = (fid, ledger, counted)
        got = self._folded.get(key)
        if got is None:
            got = self._folded[key] = fold(copies, ledger, counted)
        return got


class Folded(NamedTuple):
    """What importing a flow's copies one file after another leaves (``fold``)."""
    kept: Copy | None               # the copy the entry ends with; None: the ledger's, or none
    withdrawn: Copy | None          # a newer copy of 0 after it: the entry no longer counted
    lost: dict[str, tuple[str, Copy | None]]   # file -> why its copy is not kept, and to
    #                                 which copy (None: the ledger's): "older", "even",
    #                                 "again" (the same in every field), "superseded"
    last: Copy | None = None        # the copy the flow's order ends at (None: the ledger's):
    #                                 a copy of 0 there is what a later import must remember


def fold(copies: Iterable[Copy], ledger: tuple | None, counted: bool) -> Folded:
    """Each copy, as it comes, against what is kept so far (the ledger's
    entry of order ``ledger``, counted or not, at the start), exactly as
    importing the files one by one in their order does: a copy replaces
    what is kept only when ``_newer``; one FTS counts nothing for (0)
    leaves a counted entry uncounted, with its figures, and is kept where
    no entry counts (no entry is made of it; an older copy after it is
    not counted again: the ledger's archived downloads give it across
    imports, ``ledger_zeros``); one the import refuses changes nothing."""
    state, kept, withdrawn = ledger, None, None
    top: Copy | None = None       # the copy of order ``state`` (None: the ledger's)
    lost: dict[str, tuple[str, Copy | None]] = {}
    refused: dict[str, Copy] = {}      # digest -> the first such copy of 0 or refused
    # digest -> the first copy nothing says is newer than the ledger's entry: it is read
    # as alone against the entry (unchanged when alike), an identical one after it again
    even: dict[str, Copy] = {}
    for c in copies:
        if c.refused:
            if c.digest in refused:     # the same in every field: read once, from there
                lost[c.file] = ("again", refused[c.digest])
                continue
            refused[c.digest] = c
        if state is not None and not _newer(c.order, state):
            if top is not None and top.refused and c.refused == "zero":
                continue        # 0 after 0 changes nothing: its own reading says so
            why = ("again" if top is not None and not top.refused and top.digest == c.digest
                   else "older" if _newer(state, c.order) else "even")
            if why == "even" and top is None:
                if c.digest in even:
                    lost[c.file] = ("again", even[c.digest])
                    continue
                even[c.digest] = c
            lost[c.file] = (why, top)
            continue
        if c.refused == "reject":
            continue
        if c.refused == "zero":
            if state is not None and counted:
                withdrawn = c
            state, top, counted = c.order, c, False
            continue
        for old in (kept, withdrawn):
            if old is not None:
                lost[old.file] = ("superseded", c)
        state, top, kept, withdrawn, counted = c.order, c, c, None, True
    # an older copy is older than what is kept at the end too (``_newer`` is
    # transitive): that one is named
    # a copy even with the ledger's entry, which a later copy then replaced: replaced by it
    return Folded(kept, withdrawn, {f: _named(why, by, top) for f, (why, by) in lost.items()},
                  top)


def _named(why: str, by: Copy | None, top: Copy | None) -> tuple[str, Copy | None]:
    """Why a copy is lost, and to which copy, once the fold is done (``fold``)."""
    if top is None or why == "again" or (why == "even" and by is not None):
        return why, by
    return ("superseded" if why == "even" else why), top


def _lost(why: str, by: Copy | None, ledger: tuple | None) -> str:
    """Why a copy is not kept (``fold``), in words."""
    if by is None:
        v, u = ledger or (0, "")
        named = f"version {v}" + (f" (updated {u})" if u else "") + " in the ledger"
    else:
        named = f"{by.named} in {by.file}"
    if why == "even":
        return f"nothing says it is newer than {named}, kept before it"
    return f"{'older than' if by is None else 'superseded by'} {named}"


def ledger_zeros(entries: Book | tuple[()], documents, archive: Path | Sequence[Path],
                 said: list[str] | None = None, wanted: Collection[str] | None = None
                 ) -> dict[str, tuple[Copy, ...]]:
    """flow id -> the copies of 0 the ledger's archived FTS downloads give
    (``documents``: id -> ``Document``, its path within ``archive``), for
    the flows the ledger has no counted entry of (none, one a copy of 0
    withdrew, one FTS does not count): an import remembers them as it
    remembers a copy of 0 within one import (``fold``), so an older copy
    of a flow FTS no longer counts is not counted again.  Only a copy that
    is what the ledger recorded is read (as ``iati.ledger_copies``: inside
    the archive, a regular file within the size cap, of the recorded
    SHA-256); any other is left out and said in ``said``, one line each.
    ``wanted``: the flow ids the import gives, the only ones it asks of;
    a download giving none of them (its text says so: ``_flow_ids``) is
    not parsed."""
    # an entry a copy of 0 withdrew keeps its own version: the 0's is in the archive;
    # so does one FTS never counted (internal, outgoing, shared) that a 0 then followed
    have = {e.id for e in HeldEntries(entries, "fts-").rows if NOT_COUNTED_TAG not in e.tags}
    if wanted is not None:
        wanted = {fid for fid in wanted if f"fts-{fid}" not in have}
        if not wanted:
            return {}
    out: dict[str, list[Copy]] = {}
    untrusted: list[str] = []
    for doc_id, doc in documents.items():
        if not doc_id.startswith("fts-") or not doc.path:
            continue
        try:
            path = _archived(archive, doc, what="copy of an archived FTS file")
        except LedgerError as err:
            where = f"{doc.file}:{doc.line}: " if doc.file else ""
            untrusted.append(f"{where}document {doc_id!r}: the ledger's archived copy is not "
                             f"used ({err}): the flows it gives as 0 are not remembered; "
                             f"restore {doc.path!r} to compare them")
            continue
        if wanted is not None:
            ids = _flow_ids(path)
            if "*" not in ids and not ids & wanted:
                continue
        for fid, (version, updated, digest, named, refused) in \
                flow_versions(path, True, wanted)[0].items():
            if refused == "zero" and f"fts-{fid}" not in have:
                out.setdefault(fid, []).append(Copy((version, updated), str(path), digest,
                                                    named, refused))
    if said is not None:
        said.extend(untrusted[:_SAID])
        if len(untrusted) > _SAID:
            said.append(f"and {len(untrusted) - _SAID} more archived FTS file(s) not used: "
                        f"restore them to compare")
    return {fid: tuple(cs) for fid, cs in out.items()}


_SAID = 5    # archived copies not used, each said; more in one line


def newest_versions(paths, facts=None,
                    archived: dict[str, tuple[Copy, ...]] | None = None) -> ImportFlows:
    """The flows of several files, each with its copies in the files'
    order (``fold`` ranks them, as importing the files one by one would),
    and the files grouped into downloads.  A file that cannot be read
    gives nothing here: its reading reports it.  ``facts``: each file's
    ``flow_versions``, when read already (by workers).  ``archived``: the
    ledger's archived copies of 0 (``ledger_zeros``), each flow's before
    the import's."""
    found = [facts[k] if facts is not None else flow_versions(p) for k, p in enumerate(paths)]
    groups: dict[tuple, list[Download]] = {}
    for _, d in found:
        if d is not None:
            groups.setdefault((d.pages, d.place, d.year), []).append(d)
    downloads = tuple(Download(tuple(f for d in ds for f in d.files), ds[0].pages, ds[0].count,
                               ds[0].place, ds[0].year, frozenset().union(*(d.ids for d in ds)))
                      for ds in groups.values())
    copies: dict[str, list[Copy]] = {}
    for p, (flows, _) in zip(paths, found):
        for fid in flows:
            if archived and fid in archived and fid not in copies:
                copies[fid] = list(archived[fid])
        for fid, (version, updated, digest, named, refused) in flows.items():
            copies.setdefault(fid, []).append(Copy((version, updated), str(p), digest, named,
                                                   refused))
    return ImportFlows({fid: tuple(cs) for fid, cs in copies.items() if len(cs) > 1}, downloads,
                       frozenset(copies))


def _flow_ids(path: Path) -> set[str]:
    """Every id an FTS file's text gives (its flows', and its objects'),
    read without parsing it; every id a parse could find is there, a
    number written otherwise (``2.1E5``) as ``_id`` reads it.  A file
    escaping the characters of an id or its key (``\\u0031``) gives
    ``{"*"}``: it must be parsed to tell."""
    try:
        text = read_bytes(path, what="FTS file").decode("utf-8-sig", errors="replace")
    except (OSError, LedgerError):
        return set()
    if _ESCAPED.search(text):
        return {"*"}
    out = set()
    for m in _ID.finditer(text):
        value = m.group(1)
        if "\\" in value:
            return {"*"}   # an escape inside the value ("\t100000"): the parser decodes it
        t = value.strip().strip('"').strip()
        if foreign_digits(t):
            continue       # no number: the parser refuses such a flow too
        if not t.isdigit():
            try:
                t = _id(Decimal(t)) or ""
            except ArithmeticError:
                continue   # no number: the parser refuses such a flow too
        out.add(t)
    return out


# an id's whole value, up to the next separator, whatever its length
_ID = re.compile(r'"id"\s*:\s*([^,}\]]*)')
_ESCAPED = re.compile(r"\\u00(?:3[0-9]|6[49])", re.IGNORECASE)


def flow_versions(path, zeros_only: bool = False, wanted: Collection[str] | None = None
                  ) -> tuple[dict[str, tuple[int, str, str, str, str]], Download | None]:
    """One file's flows, id -> (version, updatedAt, digest of the flow,
    how to name it, "zero" or "reject" when ``read_fts`` would not make
    it an entry), each its newest copy in the file (the checks of
    ``read_fts``), and the download it is a page of.  ``zeros_only``: only
    the flows with an amount of 0, which alone can be copies of 0 (the
    ledger's archived copies, ``ledger_zeros``), of ``wanted`` ids when
    given (its download then not said)."""
    try:
        text = read_bytes(Path(path), what="FTS file").decode("utf-8-sig")
        if json_depth(text) > MAX_DEPTH:
            return {}, None
        data, twice = _loads(text)
    except (OSError, LedgerError, UnicodeDecodeError, ValueError):
        return {}, None
    if twice:   # read_fts refuses the file
        return {}, None
    flows = (data.get("data") or {}).get("flows") if isinstance(data, dict) and \
        isinstance(data.get("data"), dict) else None
    out: dict[str, dict] = {}
    for f in flows if isinstance(flows, list) else ():
        if not isinstance(f, dict) or f.get("id") in (None, ""):
            continue
        fid = _id(f["id"])
        if fid is None or _version_problem(f.get("versionId")):
            continue
        if fid not in out or _newer(_order_of(f), _order_of(out[fid])):
            out[fid] = f
    own = None if zeros_only else _download(str(path), data, out)
    if zeros_only:
        out = {fid: f for fid, f in out.items()
               if (wanted is None or fid in wanted) and any(
                   isinstance(f.get(k), Decimal) and f[k] == 0
                   for k in ("amountUSD", "originalAmount"))}
    # a copy of 0 is refused or not whatever its quote (no entry is made of it)
    names, quotes = load_names(None), _Quotes("" if zeros_only else text)
    return {fid: (*_order_of(f), _digest(f), _copy(f), _refused(f, fid, names, quotes))
            for fid, f in out.items()}, own


def _refused(f: dict, fid: str, names, quotes) -> str:
    """Why ``read_fts`` makes no entry of the flow (``_flow``'s own checks):
    "zero" (FTS counts nothing for it), "reject", "" when it makes one."""
    problems: list[Problem] = []
    try:
        item = _flow(f, fid, "", names, {"id": ""}, quotes, problems, "")
    except (ValueError, ArithmeticError, TypeError, AttributeError):
        return "reject"
    if item is not None:
        return "reject" if _rows_refuse(item["fields"]) else ""
    return "zero" if problems and kind_of(problems[-1]) == "skip" else "reject"


def _rows_refuse(fields: dict) -> bool:
    """The row rules (``ledger.rules.rows``, ``ledger.limits``) refuse what
    ``_flow`` made of a flow: its currency, date or period's ends; the
    fold then knows the copy changes nothing, as its import would."""
    ends = str(fields.get("period") or "").split()[1::2]    # "from A to B"
    return currency_rule(fields["currency"]) is not None or \
        any(date_problem(d) for d in [fields["date"], *map(dt.date.fromisoformat, ends)])


def _download(file: str, data, flows: dict[str, dict]) -> Download | None:
    """The download ``file`` is a page of (``Download``), None when it says nothing of one."""
    meta = data.get("meta") if isinstance(data, dict) else None
    count = meta.get("count") if isinstance(meta, dict) else None
    count = int(count) if isinstance(count, Decimal) and count.is_finite() and \
        count == count.to_integral_value() and 0 <= count < MAX_VERSION else None
    inner = data.get("data") if isinstance(data, dict) else None
    incoming = inner.get("incoming") if isinstance(inner, dict) else None
    pages = json.dumps([str(count), incoming if isinstance(incoming, dict) else None],
                       sort_keys=True, default=str)
    places: set[tuple[str, str]] | None = None
    years: set[str] | None = None
    for f in flows.values():
        objs = _ends(f)
        here = {(str(o.get("id", "")).strip(), " ".join(str(o.get("name") or "").split()))
                for o in objs if o.get("type") == "Location"}
        when = {str(o.get("name", "")).strip() for o in objs if o.get("type") == "UsageYear"}
        places = here if places is None else places & here
        years = when if years is None else years & when
    place = sorted(places)[0] if places and len(places) == 1 else None
    year = sorted(years)[0] if years and len(years) == 1 else ""
    return Download((file,), pages, count, place, year if re.fullmatch(r"\d{4}", year) else "",
                    frozenset(flows))


def _ends(f: dict) -> list[dict]:
    """The flow's source and destination objects."""
    out: list[dict] = []
    for k in ("sourceObjects", "destinationObjects"):
        got = f.get(k)
        out += [o for o in got if isinstance(o, dict)] if isinstance(got, list) else []
    return out


def _touches(f: dict, place: tuple[str, str], year: str) -> bool:
    objs = _ends(f)
    return any(o.get("type") == "Location" and str(o.get("id", "")).strip() == place[0]
               for o in objs) and \
        any(o.get("type") == "UsageYear" and str(o.get("name", "")).strip() == year for o in objs)


_COMPARED = ("date", "funder", "amount", "currency", "status", "recipient", "location", "period",
             "purpose", "split", "restated")


def _keep_ties(items: list[dict], held_entries: HeldEntries, even: list[str]) -> list[dict]:
    """``items`` without the copies of the ledger's version that nothing says
    are newer (``item["tie"]``) and that differ from the entry (figures,
    citations bar their "; updated ...", the importer's notes and tags):
    the ledger's copy stays, their ids go to ``even``.  A copy alike is
    unchanged: it takes the ledger's locators, so a stamp missing or
    unreadable in it does not rewrite the ledger's (which a later update
    is then compared with)."""
    ties = {i["fields"]["id"] for i in items if i.get("tie")}
    if not ties:
        return items
    views = {v.id: v for v in held_entries.whole(ties)}
    out = []
    for i in items:
        old = views.get(i["fields"]["id"]) if i.get("tie") else None
        if old is not None:
            if not _alike(i["fields"], old):
                even.append(i["fields"]["id"])
                continue
            for c, was in zip(i["fields"]["source"], filter(data_citation, old.sources)):
                c["locator"] = was.locator or ""
            if f"{NOT_COUNTED_TAG}-withdrawn" in old.tags and not i["uncounted"]:
                # a copy of 0 withdrew it, and nothing says this copy is newer
                # than that: not counted again (as ``fold`` leaves it)
                zero = next((p for p in old.notes.split("; ") if _ZEROED.read(p)), "")
                i["fields"]["tags"] += [NOT_COUNTED_TAG, f"{NOT_COUNTED_TAG}-withdrawn"]
                i["fields"]["notes"] = "; ".join(x for x in (zero, i["fields"]["notes"]) if x)
                i["uncounted"] = "withdrawn"
        out.append(i)
    return out


def _alike(fields: dict, old: EntryRow) -> bool:
    """A flow's fields as the ledger's entry has them, bar the document cited
    and the user's additions (tags, remarks after the importer's note)."""
    def cites(sources) -> list[str]:    # a quote's spacing differs from file to file
        return [re.sub(r"; updated \S+$", "", str(c["locator"])) for c in sources]
    notes = str(fields.get("notes") or "")
    # a row has the fields of its Entry
    return _figures(entry_table(cast(Entry, old))) == _figures(fields) and \
        cites(fields["source"]) == cites({"locator": c.locator or ""} for c in old.sources
                                         if data_citation(c)) and \
        set(fields["tags"]) <= set(old.tags) and \
        (not notes or old.notes == notes or old.notes.startswith(notes + "; "))


def _figures(fields: dict) -> tuple:
    """The figures of an entry's table (``entry_table``'s form: "N CUR", "over
    from A to B") or of a flow's fields (``_flow``'s), in one form."""
    got = dict(fields)
    if got.get("currency"):
        got["amount"], got["currency"] = f"{got['amount']} {got['currency']}", ""
    period = str(got.get("period") or "")
    got["period"] = period[5:] if period.startswith("over ") else period
    return tuple(_plain_value(got.get(k)) for k in _COMPARED)


def _plain_value(v):
    if isinstance(v, (list, tuple)):
        return tuple(_plain_value(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, _plain_value(x)) for k, x in v.items()))
    if isinstance(v, Decimal):
        return plain_decimal(v)
    return "" if v is None else str(v)


def _withdraw(held_entries: HeldEntries, held: list[Held], zeroed, problems, file) -> list[Record]:
    """The ledger's entries a newer copy in this file gives as 0 (``zeroed``),
    no longer counted.  A flow a download does not list is never withdrawn
    (``_unlisted``): a download may be filtered, and the file does not say."""
    name = Path(file).name
    by_id = {e.id: e for e in held}
    views = {v.id: v for v in held_entries.whole(eid for eid, _, _ in zeroed)}
    out = []
    for eid, where, f in zeroed:
        v = views.get(eid)
        if v is None:
            continue
        e = by_id[eid]
        out.append(withdrawn(v, where, _ZEROED(file=name, copy=_copy(f))))
        loc = f"{e.file}:{e.line}" if e.line else e.file
        problems.append(import_problem(file, where, (
            f"entry {eid!r} ({loc}), counted from an earlier download: this newer one "
            f"gives it as 0 ({_copy(f)}): tagged {NOT_COUNTED_TAG}-withdrawn, kept with its "
            f"figures and sources, left out of every total"), "warning"))
    return out


def _unlisted(held_entries: HeldEntries, held: list[Held], mine: list[Download],
              newest: ImportFlows, problems, file) -> None:
    """One note, with the first page of a download whose flows all touch one
    location and year: how many counted flows of the ledger there no file of
    the import lists.  They stay as they are: an FTS file does not say which
    query made it (a plan, an organisation, a few ids filter a location's
    flows), so it cannot tell a flow FTS dropped from one left out."""
    first = [g for g in mine if g.place is not None and g.year and g.files[0] == file]
    if not first:
        return
    left = [e.id for e in held if NOT_COUNTED_TAG not in e.tags and e.id[4:] not in newest.given]
    views = held_entries.whole(left) if left else []
    for g in first:
        assert g.place is not None
        ids = sorted((v.id for v in views if _located(v, g.place[1], g.year)),
                     key=lambda i: (len(i), i))
        if ids:
            problems.append(import_problem(file, "", _UNLISTED.format(
                n=f"{len(ids):,}", location=f"{g.place[0]} ({g.place[1]})", year=g.year,
                ids=", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")), "note"))


def _located(v: EntryRow, place: str, year: str) -> bool:
    """An entry whose destinations name ``place`` and whose period (else date) is in ``year``."""
    loc = v.location
    if not (loc == place or loc.startswith(place + ", ") or loc.endswith(", " + place)
            or f", {place}, " in loc):
        return False
    start, end = v.period.start, v.period.end
    if start is not None and end is not None:
        return start.year <= int(year) <= end.year
    return v.date.year == int(year)


def _completeness(mine: list[Download], problems, file) -> None:
    """Say when this file's download is partial (fewer flows than ``meta.count``)."""
    for g in mine:
        if g.count is not None and g.place is not None and g.year and g.files[0] == file \
                and len(g.ids) < g.count:
            problems.append(import_problem(file, "", (
                f"a partial download of {g.query}: {len(g.ids):,} of its {g.count:,} flows "
                f"(meta.count) in {len(g.files)} file(s) (import all its pages together, as "
                f"one folder)"), "note"))


def _cites_fts(e: Held) -> bool:
    """An entry an FTS import made: it cites a flow of an archived FTS file."""
    return any(c.doc.startswith("fts-") and (c.locator or "").startswith("flow ")
               for c in e.sources)


def _order_of(f: dict) -> tuple[int, str]:
    """Which copy of a flow is newer (``_newer``): its versionId and
    updatedAt ('' when none or unreadable)."""
    return _version(f), _updated(f)


def _newer(a: tuple, b: tuple) -> bool:
    """The copy of order ``a`` (``_order_of``) is newer than ``b``'s: the
    higher versionId, then the later updatedAt (FTS changes flows without a
    new version).  At one version an updatedAt missing or unreadable in
    one copy, or the same in both, says nothing: neither is newer and what
    is kept stays (``fold``; the ledger's entry, the first row's)."""
    if a[0] != b[0]:
        return a[0] > b[0]
    return bool(a[1]) and bool(b[1]) and a[1] > b[1]


def _copy(f: dict) -> str:
    u = _updated_text(f)
    return f"version {_version(f)}" + (f" (updated {u})" if u else "")


def _digest(f: dict) -> str:
    return hashlib.sha256(json.dumps(f, sort_keys=True, default=str).encode()).hexdigest()[:20]


def _updated_text(f: dict) -> str:
    v = f.get("updatedAt")
    return v.strip()[:40] if isinstance(v, str) and _when(v) else ""


def _updated(f: dict) -> str:
    """The flow's updatedAt in one form (UTC, microseconds), '' when none or unreadable."""
    v = f.get("updatedAt")
    return _when(v) if isinstance(v, str) else ""


def _when(text: str) -> str:
    t = text.strip()
    if len(t) > 40 or not re.fullmatch(r"\d{4}-\d\d-\d\d[T ][0-9:.]{2,20}(Z|[+-]\d\d:?\d\d)?", t):
        return ""
    try:
        when = dt.datetime.fromisoformat(t.replace("Z", "+00:00"))
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        # a time near the ends of the calendar leaves it in UTC: OverflowError
        return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    except (ValueError, OverflowError):
        return ""


def _ledger_updated(e) -> str:
    """The updatedAt the ledger's entry cites (its locator's "updated ..."), '' when none."""
    for c in e.sources:
        m = re.search(r"; updated (\S{10,40})$", c.locator or "")
        if m and c.locator.startswith("flow "):
            return _when(m.group(1))
    return ""


def _id(v) -> str | None:
    """A flow id as digits (FTS ids are whole numbers), or None when it is not one."""
    t = str(v).strip()
    if isinstance(v, Decimal):
        if not v.is_finite() or v.adjusted() >= MAX_ID_DIGITS or v != v.to_integral_value():
            return None
        t = format(v, "f")
    return t if not foreign_digits(t) and t.isdigit() and len(t) <= MAX_ID_DIGITS else None


def _version_problem(v) -> str | None:
    """Why a versionId cannot be read (checked before int() sees it)."""
    if v in (None, ""):
        return None
    try:
        d = v if isinstance(v, Decimal) else \
            Decimal(str(v).strip()) if not foreign_digits(str(v)) else None
    except ArithmeticError:
        d = None
    if d is None or not d.is_finite() or d.adjusted() > 9 or d < 0 or \
            d != d.to_integral_value() or d > MAX_VERSION:
        return (f"versionId {str(v)[:40]!r} is not a whole number from 0 to {MAX_VERSION:,}: "
                f"not imported")
    return None


def _version(f: dict) -> int:
    """The flow's versionId (bounded by ``_version_problem`` first); none is 0."""
    v = f.get("versionId")
    return 0 if v in (None, "") else int(Decimal(str(v).strip()))


def _ledger_version(e) -> int:
    for t in e.tags:
        m = re.fullmatch(r"fts-version-(\d{1,10})", t)
        if m:
            return int(m.group(1))
    return 0


def _tag(text) -> str:
    """A value as a tag word: 'Pass through' -> 'pass-through'."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "none"


def _usd(f) -> Decimal | None:
    usd = f.get("amountUSD")
    return usd if isinstance(usd, Decimal) and usd.is_finite() and usd > 0 else None


def _flow(f, fid, where, names, doc, quotes, problems, file):
    def reject(reason, kind="reject"):
        problems.append(import_problem(file, where, reason, kind))
        return None
    boundary = _tag(f["boundary"]) if f.get("boundary") not in (None, "") else ""
    on = _tag(f["onBoundary"]) if f.get("onBoundary") not in (None, "") else ""
    if boundary and boundary not in ("incoming", "internal", "outgoing"):
        return reject(f"unknown boundary {str(f['boundary'])[:40]!r} (FTS uses incoming, "
                      f"internal, outgoing); not imported")
    # recorded, but out of the location's funding totals, as FTS counts them
    uncounted = boundary if boundary in NOT_COUNTED else "shared" if on == "shared" else ""
    status_raw = str(f.get("status") or "").strip().lower()
    if status_raw not in STATUS:
        return reject(f"unknown status {str(f.get('status'))[:40]!r} (FTS uses pledge, "
                      f"commitment, paid); not imported")
    orig, ocur = f.get("originalAmount"), (f.get("originalCurrency") or "")
    usd = _usd(f)
    ocur = str(ocur).strip().upper()
    notes = []
    if isinstance(orig, Decimal) and orig == 0 and usd is not None:
        notes.append(_ORIGINAL_ZERO())
        orig = None
    if orig is not None and not ocur:
        return reject(f"originalAmount {str(orig)[:40]} has no originalCurrency; not imported")
    if orig is not None:
        amount, cur, key = orig, ocur, "originalAmount"
    elif f.get("amountUSD") is not None:
        amount, cur, key = f.get("amountUSD"), "USD", "amountUSD"
    else:
        return reject("no amount (neither originalAmount nor amountUSD): not imported")
    if isinstance(amount, Decimal) and amount == 0:
        return reject(f"{key} 0: FTS counts nothing for this flow; not imported", "skip")
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        return reject(f"{key} {str(amount)[:40]!r} is not a positive number: not imported")
    wrong = magnitude_problem(amount)
    if wrong:
        return reject(f"{key} {wrong}: not imported")
    if usd is not None and magnitude_problem(usd):
        return reject(f"amountUSD {magnitude_problem(usd)}: not imported")
    date = str(f.get("date") or f.get("decisionDate") or f.get("firstReportedDate") or "")[:10]
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return reject(f"no valid date ({date or 'missing'}): not imported")
    src, dst = f.get("sourceObjects") or [], f.get("destinationObjects") or []
    funders = _objects(src, "Organization")
    if funders:
        funder = _name(funders[0], names["organisations"])
    else:
        funder = names["organisations"].get(UNKNOWN_FUNDER) or UNKNOWN_FUNDER
        problems.append(import_problem(file, where, f"no source Organization: the funder is recorded "
                                             f"as {funder!r}", "warning"))
        notes.append(_NO_FUNDER())
    if f.get("description"):
        notes.append(" ".join(str(f["description"]).split()))
    if len(funders) > 1:
        notes.append(_OTHER_FUNDERS(names=", ".join(str(o.get("name", "")) for o in funders[1:])))
    locs = [_name(o, names["locations"]) for o in _objects(dst, "Location")] or \
        ["Unspecified location"]
    clusters = [_name(o, names["clusters"]) for o in _objects(dst, "GlobalCluster")] or \
        ["Unspecified cluster"]
    weights = [(f"{c}:{lo}", Decimal(1)) for c in clusters for lo in locs]
    parts = shares(amount, cur, weights)
    for kind in ("Plan", "Emergency", "Project"):
        for o in _objects(dst, kind):
            notes.append(_DESTINATION(kind=kind.lower(), name=" ".join(str(o.get("name", "")).split())))
    years = sorted({int(y) for o in (_objects(dst, "UsageYear") or _objects(src, "UsageYear"))
                    for y in [str(o.get("name", "")).strip()] if y.isdigit() and len(y) == 4})
    tags = ["fts", f"fts-version-{_version(f)}"]
    if boundary:
        tags.append(f"fts-boundary-{boundary}")
    if on:
        tags.append(f"fts-on-boundary-{on}")
    if f.get("flowType") not in (None, ""):
        tags.append(f"fts-flow-type-{_tag(f['flowType'])}")
    if uncounted:
        tags += [NOT_COUNTED_TAG, f"{NOT_COUNTED_TAG}-{uncounted}"]
        notes.insert(0, _UNCOUNTED(reason=NOT_COUNTED[uncounted]))
    parent = _id(f["parentFlowId"]) if f.get("parentFlowId") not in (None, "") else None
    if parent:
        tags.append(f"fts-parent-{parent}")
        notes.append(_CHILD(parent=parent))
    fields = {"id": f"fts-{fid}", "date": day, "funder": funder,
              "amount": plain_decimal(amount), "currency": cur, "status": STATUS[status_raw],
              "tags": tags,
              "recipient": ", ".join(str(o.get("name", "")) for o in _objects(dst, "Organization")),
              "location": ", ".join(str(o.get("name", "")) for o in _objects(dst, "Location"))}
    if years:
        fields["period"] = f"from {years[0]}-01-01 to {years[-1]}-12-31"
    if len(parts) > 1:
        fields["split"] = [{"purpose": p, "amount": plain_decimal(a)} for p, a in parts]
        notes.append(_SPLIT(n=len(parts)))
    else:
        fields["purpose"] = parts[0][0]
    if cur != "USD" and usd is not None:
        fields["restated"] = [format_amount_phrase(usd, "USD")]
    rate = f.get("exchangeRate")
    if rate not in (None, "") and not (isinstance(rate, Decimal) and magnitude_problem(rate)):
        notes.append(_RATE(rate=str(rate)[:40]))
    fields["notes"] = "; ".join(notes)
    reports = [r for r in (f.get("reportDetails") or []) if isinstance(r, dict)]
    rep = "; ".join(
        "reported by " + " ".join(str(r.get("organization") or "?").split())
        + " (" + ", ".join(x for x in (str(r.get("sourceType") or ""),
                                       str(r.get("reportChannel") or ""),
                                       str(r.get("date") or "")[:10]) if x) + ")"
        for r in reports)
    updated = _updated_text(f)
    locator = f"flow {fid} version {_version(f)}" + (f"; {rep}" if rep else "") + \
        (f"; updated {updated}" if updated else "")
    quote = quotes.find(key, amount, usd, cur)
    fields["source"] = [{"doc": doc["id"], "quote": quote, "locator": locator}]
    if "restated" in fields and '"amountUSD"' not in quote:
        # FTS's own conversion cited where the file states it (the audit finds it there)
        fields["source"].append({"doc": doc["id"], "quote": quotes.find("amountUSD", usd),
                                 "locator": locator})
    return {"fields": fields, "where": where, "fid": fid, "parent": parent, "uncounted": uncounted,
            "usd": usd if usd is not None else (amount if cur == "USD" else None)}



_NUMBER = r"(-?[0-9][0-9.eE+-]{0,60})"


class _Quotes:
    """The figures as written in the file, found in one pass over its text:
    ``"originalAmount": N`` (with the ``amountUSD`` and ``originalCurrency``
    around it when they sit together, so the quote carries the restatement
    too).  Each flow then looks its quote up instead of searching the text."""

    def __init__(self, text: str):
        self.single: dict[tuple[str, Decimal], str] = {}
        self.triple: dict[tuple[Decimal, Decimal, str], str] = {}
        for m in re.finditer(r'"(amountUSD|originalAmount)"\s*:\s*' + _NUMBER, text):
            d = _number(m.group(2))
            if d is not None:
                self.single.setdefault((m.group(1), d), m.group(0))
        for m in re.finditer(r'"amountUSD"\s*:\s*' + _NUMBER + r'\s*,\s*"originalAmount"\s*:\s*'
                             + _NUMBER + r'\s*,\s*"originalCurrency"\s*:\s*"([A-Za-z]{3})"', text):
            a, b = _number(m.group(1)), _number(m.group(2))
            if a is not None and b is not None:
                self.triple.setdefault((a, b, m.group(3).upper()), m.group(0))

    def find(self, key: str, amount: Decimal, usd=None, cur: str = "") -> str:
        if key == "originalAmount" and cur != "USD" and usd is not None:
            got = self.triple.get((usd, amount, cur))
            if got:
                return got
        return self.single.get((key, amount)) or f'"{key}": {plain_decimal(amount)}'


def _number(s: str) -> Decimal | None:
    if foreign_digits(s):
        return None
    try:
        d = Decimal(s)
    except ArithmeticError:
        return None
    return d if d.is_finite() and not magnitude_problem(d) else None


def _family_warnings(items, entries: list[Held], problems, file) -> None:
    """A parent flow whose child flows (in this file or already in the ledger)
    add up to more US dollars than it: a warning naming both.  FTS counts
    each flow that crosses the boundary, parent and child alike, so nothing
    is linked or left out: the import is the same whatever order pages come in."""
    usd: dict[str, Decimal | None] = {}
    kids: dict[str, dict[str, Decimal]] = {}
    parent_of: dict[str, str] = {}
    for e in entries:
        if not e.id.startswith("fts-"):
            continue
        fid = e.id[4:]
        usd[fid] = e.amount if e.currency == "USD" else next(
            (m.amount for m in e.restated if m.currency == "USD"), None)
        for t in e.tags:
            amount = usd[fid]
            if t.startswith("fts-parent-") and amount is not None:
                kids.setdefault(t[11:], {})[fid] = amount
                parent_of[fid] = t[11:]
    touched = set()
    for i in items:
        usd[i["fid"]] = i["usd"]
        touched.add(i["fid"])
        if i["fid"] in parent_of:     # a newer version of a child replaces its figure
            kids[parent_of[i["fid"]]].pop(i["fid"], None)
    for i in items:
        if i["parent"] and i["usd"] is not None:
            kids.setdefault(i["parent"], {})[i["fid"]] = i["usd"]
            touched.add(i["parent"])
    for pid in sorted(touched & kids.keys()):
        total, have = sum(kids[pid].values(), Decimal(0)), usd.get(pid)
        if have is not None and total > have:
            names = ", ".join(f"fts-{k}" for k in sorted(kids[pid]))
            problems.append(import_problem(file, f"flow {pid!r}", (
                f"its child flows {names} add up to US${plain_decimal(total)}, more than parent flow "
                f"fts-{pid} (US${plain_decimal(have)}); FTS counts each, so both are kept"), "warning"))
