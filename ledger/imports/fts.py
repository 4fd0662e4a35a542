"""OCHA Financial Tracking Service flows (the API's JSON: ``data.flows[]``)
-> records.

One flow is one entry, ``fts-<id>``; its ``versionId`` is kept as the tag
``fts-version-N``, so a re-import of a newer version updates the entry and an
older one is left out.  The rules are in docs/interop.md ("OCHA FTS flows").
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

from ledger.imports.common import (Problem, ReadResult, Record, account_part,
                                magnitude_problem, shares, source_document,
                                within_package)

STATUS = {"pledge": "pledged", "commitment": "committed", "paid": "disbursed"}
MAX_DEPTH = 64            # nesting of the JSON, checked before json.loads sees it


def _depth_ok(text: str) -> bool:
    depth = 0
    in_str = esc = False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


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


def read_fts(path: str | Path, *, names=None, entries=()) -> ReadResult:
    """Read one FTS flows file (never raises for bad data: a malformed or
    truncated file is one problem of kind "error" and gives no records)."""
    import hashlib

    from ledger.imports.common import load_names
    from ledger.safe_io import read_bytes

    path = Path(path)
    names = names or load_names(None)
    file = str(path)
    raw = read_bytes(path, what="FTS file")     # a regular file within the size cap
    sha = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return ReadResult(file, [], [Problem(file, "", f"not UTF-8 text (byte {err.start + 1}): "
                                                       f"not read", "error")], None, sha)
    if not _depth_ok(text):
        return ReadResult(file, [], [Problem(file, "", f"JSON nested deeper than {MAX_DEPTH} "
                                                       f"levels: not read", "error")], None, sha)
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except json.JSONDecodeError as err:
        near = _flow_near(text, err.pos)
        rest = text[err.pos:]
        what = ("truncated" if err.pos >= len(text.rstrip()) or
                (err.msg.startswith("Unterminated") and '"' not in rest[1:]) else "malformed")
        return ReadResult(file, [], [Problem(file, near, f"line {err.lineno} column {err.colno}: "
                                             f"the JSON is {what} ({err.msg}); nothing imported "
                                             f"from this file", "error")], None, sha)
    flows = data.get("data", {}).get("flows") if isinstance(data, dict) and \
        isinstance(data.get("data"), dict) else None
    if not isinstance(flows, list):
        return ReadResult(file, [], [Problem(file, "", "not an FTS flows file: no data.flows "
                                                       "list", "error")], None, sha)
    doc = source_document(path, sha, "fts")
    problems: list[Problem] = []
    # the newest version of each flow
    latest: dict[str, dict] = {}
    for k, f in enumerate(flows, 1):
        if not isinstance(f, dict) or f.get("id") in (None, ""):
            problems.append(Problem(file, f"flow #{k}", "no flow id: not imported"))
            continue
        fid = _id(f["id"])
        f["_n"] = k
        old = latest.get(fid)
        if old is not None:
            older, newer = sorted((old, f), key=lambda x: _version(x))
            problems.append(Problem(file, f"flow {fid!r} version {_version(older)}",
                                    f"superseded by version {_version(newer)} in the same file: "
                                    f"not imported", "skip"))
            f = newer
        latest[fid] = f
    ledger_versions = {e.id: _ledger_version(e) for e in entries if e.id.startswith("fts-")}
    items = []
    for fid, f in latest.items():
        where = f"flow {fid!r} version {_version(f)}"
        eid = f"fts-{fid}"
        if eid in ledger_versions and ledger_versions[eid] > _version(f):
            problems.append(Problem(file, where, f"older than version {ledger_versions[eid]} in "
                                                 f"the ledger: not imported", "skip"))
            continue
        try:
            item = _flow(f, fid, where, names, doc, text, problems, file)
        except (ValueError, ArithmeticError, TypeError, AttributeError) as err:
            problems.append(Problem(file, where, f"could not be read ({type(err).__name__}: "
                                                 f"{err}); not imported"))
            continue
        if item is not None:
            items.append(item)
    _link_children(items, {e.id: e for e in entries}, problems, file)
    records = [Record(i["where"], i["fields"]) for i in items]
    return ReadResult(file, records, problems, doc, sha, len(flows))


def _id(v) -> str:
    return format(v, "f") if isinstance(v, Decimal) else str(v).strip()


def _version(f: dict) -> int:
    try:
        return int(Decimal(str(f.get("versionId") or 0)))
    except Exception:   # noqa: BLE001 - a version that is not a number sorts first
        return 0


def _ledger_version(e) -> int:
    for t in e.tags:
        m = re.fullmatch(r"fts-version-(\d+)", t)
        if m:
            return int(m.group(1))
    return 0


def _flow(f, fid, where, names, doc, text, problems, file):
    def reject(reason):
        problems.append(Problem(file, where, reason))
        return None
    status_raw = str(f.get("status") or "").strip().lower()
    if status_raw not in STATUS:
        return reject(f"unknown status {f.get('status')!r} (FTS uses pledge, commitment, paid); "
                      f"not imported")
    orig, ocur = f.get("originalAmount"), (f.get("originalCurrency") or "")
    usd = f.get("amountUSD")
    ocur = str(ocur).strip().upper()
    if orig is not None and not ocur:
        return reject(f"originalAmount {orig} has no originalCurrency; not imported")
    if orig is not None:
        amount, cur, key = orig, ocur, "originalAmount"
    elif usd is not None:
        amount, cur, key = usd, "USD", "amountUSD"
    else:
        return reject("no amount (neither originalAmount nor amountUSD): not imported")
    if not isinstance(amount, Decimal) or amount <= 0:
        return reject(f"{key} {str(amount)[:40]!r} is not a positive number: not imported")
    wrong = magnitude_problem(amount)
    if wrong:
        return reject(f"{key} {wrong}: not imported")
    date = str(f.get("date") or f.get("decisionDate") or f.get("firstReportedDate") or "")[:10]
    import datetime as dt
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return reject(f"no valid date ({date or 'missing'}): not imported")
    src, dst = f.get("sourceObjects") or [], f.get("destinationObjects") or []
    funders = _objects(src, "Organization")
    if not funders:
        return reject("no source Organization to name the funder: not imported")
    funder = _name(funders[0], names["organisations"])
    notes = []
    if f.get("description"):
        notes.append(" ".join(str(f["description"]).split()))
    if len(funders) > 1:
        notes.append("other source organisations: " + ", ".join(
            str(o.get("name", "")) for o in funders[1:]))
    locs = [_name(o, names["locations"]) for o in _objects(dst, "Location")] or \
        ["Unspecified location"]
    clusters = [_name(o, names["clusters"]) for o in _objects(dst, "GlobalCluster")] or \
        ["Unspecified cluster"]
    weights = [(f"{c}:{lo}", Decimal(1)) for c in clusters for lo in locs]
    parts = shares(amount, cur, weights)
    for kind in ("Plan", "Emergency", "Project"):
        for o in _objects(dst, kind):
            notes.append(f"{kind.lower()}: {' '.join(str(o.get('name', '')).split())}")
    years = sorted({int(y) for o in (_objects(dst, "UsageYear") or _objects(src, "UsageYear"))
                    for y in [str(o.get("name", "")).strip()] if y.isdigit()})
    fields = {"id": f"fts-{fid}", "date": day, "funder": funder,
              "amount": _plain(amount), "currency": cur, "status": STATUS[status_raw],
              "tags": ["fts", f"fts-version-{_version(f)}"],
              "recipient": ", ".join(str(o.get("name", "")) for o in _objects(dst, "Organization")),
              "location": ", ".join(str(o.get("name", "")) for o in _objects(dst, "Location"))}
    if years:
        fields["period"] = f"from {years[0]}-01-01 to {years[-1]}-12-31"
    if len(parts) > 1:
        fields["split"] = [{"purpose": p, "amount": _plain(a)} for p, a in parts]
        notes.append(f"split equally over {len(parts)} cluster/location pairs (FTS gives no shares)")
    else:
        fields["purpose"] = parts[0][0]
    if cur != "USD" and usd is not None and isinstance(usd, Decimal) and usd > 0:
        from ledger.phrases.money import format_amount_phrase
        fields["restated"] = [format_amount_phrase(usd, "USD")]
    if f.get("exchangeRate") not in (None, ""):
        notes.append(f"FTS exchange rate {f['exchangeRate']}")
    fields["notes"] = "; ".join(notes)
    reports = [r for r in (f.get("reportDetails") or []) if isinstance(r, dict)]
    rep = "; ".join(
        "reported by " + " ".join(str(r.get("organization") or "?").split())
        + " (" + ", ".join(x for x in (str(r.get("sourceType") or ""),
                                       str(r.get("reportChannel") or ""),
                                       str(r.get("date") or "")[:10]) if x) + ")"
        for r in reports)
    locator = f"flow {fid} version {_version(f)}" + (f"; {rep}" if rep else "")
    fields["source"] = [{"doc": doc["id"], "quote": _quote(text, key, amount, usd, cur),
                         "locator": locator}]
    return {"fields": fields, "where": where, "fid": fid, "parent": f.get("parentFlowId"),
            "amount": amount, "cur": cur}


def _plain(d: Decimal) -> str:
    from ledger.phrases.money import plain_decimal
    return plain_decimal(d)


def _quote(text: str, key: str, amount: Decimal, usd=None, cur: str = "") -> str:
    """The figure as written in the file: ``"originalAmount": N`` (with the
    ``amountUSD`` and ``originalCurrency`` around it when they sit together,
    so the quote carries the restatement too)."""
    def num_ok(s, want):
        try:
            return want is not None and Decimal(s) == want
        except Exception:   # noqa: BLE001
            return False
    if key == "originalAmount" and cur != "USD" and usd is not None:
        pat = (r'"amountUSD"\s*:\s*(-?[0-9][0-9.eE+-]*)\s*,\s*"originalAmount"\s*:\s*'
               r'(-?[0-9][0-9.eE+-]*)\s*,\s*"originalCurrency"\s*:\s*"' + re.escape(cur) + '"')
        for m in re.finditer(pat, text):
            if num_ok(m.group(1), usd) and num_ok(m.group(2), amount):
                return m.group(0)
    for m in re.finditer(r'"' + key + r'"\s*:\s*(-?[0-9][0-9.eE+-]*)', text):
        if num_ok(m.group(1), amount):
            return m.group(0)
    return f'"{key}": {_plain(amount)}'


def _link_children(items, ledger, problems, file) -> None:
    """Children are ``part_of`` their parent (in the file or the ledger),
    while they fit within it; an absent parent leaves the child counted on
    its own, said so."""
    by_fid = {i["fid"]: i for i in items}
    groups: dict[str, list[dict]] = {}
    for i in items:
        p = i["parent"]
        if p in (None, ""):
            continue
        pid = _id(p)
        if pid not in by_fid and f"fts-{pid}" not in ledger:
            problems.append(Problem(file, i["where"], f"parent flow {pid} is neither in this "
                                                      f"file nor in the ledger: counted on its own",
                                    "note"))
            i["fields"]["notes"] += f"; parent flow {pid} not imported"
            continue
        groups.setdefault(pid, []).append(i)
    for pid, kids in groups.items():
        parent = by_fid.get(pid)
        if parent is not None:
            amount, cur = parent["amount"], parent["cur"]
        else:
            e = ledger[f"fts-{pid}"]
            amount, cur = e.amount, e.currency
        for i, ok in zip(kids, within_package(amount, cur, [(k["amount"], k["cur"]) for k in kids])):
            if ok:
                i["fields"]["part_of"] = f"fts-{pid}"
            else:
                problems.append(Problem(file, i["where"], f"with its siblings it exceeds parent "
                                                          f"flow {pid}: counted on its own", "note"))
