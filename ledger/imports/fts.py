"""OCHA Financial Tracking Service flows (the API's JSON: ``data.flows[]``)
-> records.

One flow is one entry, ``fts-<id>``; its ``versionId`` is kept as the tag
``fts-version-N``, so a re-import of a newer version updates the entry and an
older one is left out.  Flows are counted as FTS counts a location's funding
(``data.incoming.fundingTotal``): incoming flows not shared on the boundary;
internal, outgoing and shared flows are recorded, tagged ``not-counted`` (and
``not-counted-internal`` ...), which leaves them out of every total.  The rules
are in docs/interop.md ("OCHA FTS flows").
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

from ledger.imports.common import (Problem, ReadResult, Record, Wordings, account_part, import_problem, shares,
                                   source_document)
from ledger.errors import LedgerError
from ledger.book import Book
from ledger.imports.problem import kind_of, where_of
from ledger.imports.rows import Held, HeldEntries
from ledger.model import NOT_COUNTED as NOT_COUNTED_TAG
from ledger.model import Entry
from ledger.limits import json_depth, magnitude_problem
import datetime as dt
import hashlib
from ledger.imports.common import load_names
from ledger.phrases.money import format_amount_phrase, plain_decimal
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


def read_fts(path: str | Path, *, names=None, entries: Book | Iterable[Entry] = (),
             newest: Mapping[str, tuple[int, str]] | None = None) -> ReadResult:
    """Read one FTS flows file (never raises for bad data: a malformed or
    truncated file is one problem of kind "error" and gives no records).
    ``entries``: the ledger's (a Book, read from its tables, or ``Entry``
    objects): the versions and figures of its flows.
    ``newest``: flow id -> (its newest version, the first file giving it)
    over the other files of the same import (``newest_versions``); a flow
    whose newer version another file gives is superseded, as within a file."""


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
        data = json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except json.JSONDecodeError as err:
        near = _flow_near(text, err.pos)
        rest = text[err.pos:]
        what = ("truncated" if err.pos >= len(text.rstrip()) or
                (err.msg.startswith("Unterminated") and '"' not in rest[1:]) else "malformed")
        return ReadResult(file, [], [import_problem(file, near, f"line {err.lineno} column {err.colno}: "
                                             f"the JSON is {what} ({err.msg}); nothing imported "
                                             f"from this file", "error")], None, sha)
    flows = data.get("data", {}).get("flows") if isinstance(data, dict) and \
        isinstance(data.get("data"), dict) else None
    if not isinstance(flows, list):
        return ReadResult(file, [], [import_problem(file, "", "not an FTS flows file: no data.flows "
                                                       "list", "error")], None, sha)
    doc = source_document(path, sha, "fts")
    problems: list[Problem] = []
    # the newest version of each flow
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
            older, newer = sorted((old, f), key=_version)
            problems.append(import_problem(file, f"flow {fid!r} version {_version(older)}",
                                    f"superseded by version {_version(newer)} in the same file: "
                                    f"not imported", "skip"))
            f = newer
        latest[fid] = f
    held = HeldEntries(entries, "fts-").rows
    ledger_versions = {e.id: _ledger_version(e) for e in held}
    quotes = _Quotes(text)
    items = []
    for fid, f in latest.items():
        where = f"flow {fid!r} version {_version(f)}"
        eid = f"fts-{fid}"
        other = (newest or {}).get(fid)
        if other is not None and other[0] > _version(f):
            problems.append(import_problem(file, where, f"superseded by version {other[0]} in "
                                                 f"{other[1]}: not imported", "skip"))
            continue
        if eid in ledger_versions and ledger_versions[eid] > _version(f):
            problems.append(import_problem(file, where, f"older than version {ledger_versions[eid]} in "
                                                 f"the ledger: not imported", "skip"))
            continue
        try:
            item = _flow(f, fid, where, names, doc, quotes, problems, file)
        except (ValueError, ArithmeticError, TypeError, AttributeError) as err:
            problems.append(import_problem(file, where, f"could not be read ({type(err).__name__}: "
                                                 f"{err}); not imported"))
            continue
        if item is not None:
            items.append(item)
        elif eid in ledger_versions and problems and kind_of(problems[-1]) == "skip" \
                and where_of(problems[-1]) == where:
            problems.append(import_problem(file, where, (
                f"the ledger still counts version {ledger_versions[eid]} of this flow ({eid}), "
                f"which this newer download does not count: remove {eid} from the ledger to "
                f"count as FTS now does"), "warning"))
    _family_warnings(items, held, problems, file)
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
    records = [Record(i["where"], i["fields"]) for i in items]
    return ReadResult(file, records, problems, doc, sha, len(flows), NOTES)


def newest_versions(paths, versions=None) -> dict[str, tuple[int, str]]:
    """flow id -> (its newest version, the first of ``paths`` giving it),
    for the flows that more than one of the files gives: what a folder
    import keeps, whatever the files' order (as one-by-one imports keep
    the newest).  A file that cannot be read gives nothing here: its
    reading reports it.  ``versions``: each file's ``flow_versions``, when
    read already (by workers)."""
    best: dict[str, tuple[int, str]] = {}
    files: dict[str, int] = {}
    for k, p in enumerate(paths):
        found = versions[k] if versions is not None else flow_versions(p)
        for fid, version in found.items():
            files[fid] = files.get(fid, 0) + 1
            if fid not in best or version > best[fid][0]:
                best[fid] = (version, str(p))
    return {fid: best[fid] for fid, n in files.items() if n > 1}


def flow_versions(path) -> dict[str, int]:
    """flow id -> its newest version in one file (the checks of ``read_fts``)."""
    try:
        text = read_bytes(Path(path), what="FTS file").decode("utf-8-sig")
        if json_depth(text) > MAX_DEPTH:
            return {}
        data = json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except (OSError, LedgerError, UnicodeDecodeError, ValueError):
        return {}
    flows = (data.get("data") or {}).get("flows") if isinstance(data, dict) and \
        isinstance(data.get("data"), dict) else None
    out: dict[str, int] = {}
    for f in flows if isinstance(flows, list) else ():
        if not isinstance(f, dict) or f.get("id") in (None, ""):
            continue
        fid = _id(f["id"])
        if fid is None or _version_problem(f.get("versionId")):
            continue
        out[fid] = max(out.get(fid, -1), _version(f))
    return out


def _id(v) -> str | None:
    """A flow id as digits (FTS ids are whole numbers), or None when it is not one."""
    t = str(v).strip()
    if isinstance(v, Decimal):
        if not v.is_finite() or v.adjusted() >= MAX_ID_DIGITS or v != v.to_integral_value():
            return None
        t = format(v, "f")
    return t if t.isdigit() and len(t) <= MAX_ID_DIGITS else None


def _version_problem(v) -> str | None:
    """Why a versionId cannot be read (checked before int() sees it)."""
    if v in (None, ""):
        return None
    try:
        d = v if isinstance(v, Decimal) else Decimal(str(v).strip())
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
              "amount": _plain(amount), "currency": cur, "status": STATUS[status_raw],
              "tags": tags,
              "recipient": ", ".join(str(o.get("name", "")) for o in _objects(dst, "Organization")),
              "location": ", ".join(str(o.get("name", "")) for o in _objects(dst, "Location"))}
    if years:
        fields["period"] = f"from {years[0]}-01-01 to {years[-1]}-12-31"
    if len(parts) > 1:
        fields["split"] = [{"purpose": p, "amount": _plain(a)} for p, a in parts]
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
    locator = f"flow {fid} version {_version(f)}" + (f"; {rep}" if rep else "")
    quote = quotes.find(key, amount, usd, cur)
    fields["source"] = [{"doc": doc["id"], "quote": quote, "locator": locator}]
    if "restated" in fields and '"amountUSD"' not in quote:
        # FTS's own conversion cited where the file states it (the audit finds it there)
        fields["source"].append({"doc": doc["id"], "quote": quotes.find("amountUSD", usd),
                                 "locator": locator})
    return {"fields": fields, "where": where, "fid": fid, "parent": parent, "uncounted": uncounted,
            "usd": usd if usd is not None else (amount if cur == "USD" else None)}


def _plain(d: Decimal) -> str:
    return plain_decimal(d)


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
        return self.single.get((key, amount)) or f'"{key}": {_plain(amount)}'


def _number(s: str) -> Decimal | None:
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
                f"its child flows {names} add up to US${_plain(total)}, more than parent flow "
                f"fts-{pid} (US${_plain(have)}); FTS counts each, so both are kept"), "warning"))
