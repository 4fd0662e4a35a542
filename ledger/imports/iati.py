"""IATI activity files (XML, standard versions 1.0x and 2.0x) -> records.

Streaming: ``lxml.etree.iterparse`` hands over one ``<iati-activity>`` at a
time, which is read and then cleared, so memory stays bounded whatever the
file's size.  The parser never expands entities, never loads a DTD or
anything from the network, and refuses huge text nodes; a file with a
DOCTYPE is refused.

The mapping rules (transaction types, budgets, accounts, splits, links) are
the tables below and docs/interop.md ("IATI activity files").
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ledger.errors import LedgerError
from ledger.imports.common import (Problem, ReadResult, Record, account_part, country_name,
                                file_sha256, magnitude_problem, open_data, percentages, shares,
                                source_document, within_package)

# TransactionType codelist (2.0x codes; 1.0x letter codes map onto them).
# code -> (name, status or None when skipped)
TRANSACTION_TYPES = {
    "1": ("Incoming Funds", None),
    "2": ("Outgoing Commitment", "committed"),
    "3": ("Disbursement", "disbursed"),
    "4": ("Expenditure", "spent"),
    "5": ("Interest Payment", None),
    "6": ("Loan Repayment", None),
    "7": ("Reimbursement", "disbursed"),
    "8": ("Purchase of Equity", None),
    "9": ("Sale of Equity", None),
    "10": ("Credit Guarantee", None),
    "11": ("Incoming Commitment", "committed"),
    "12": ("Outgoing Pledge", "pledged"),
    "13": ("Incoming Pledge", "pledged"),
}
V1_CODES = {"IF": "1", "C": "2", "D": "3", "E": "4", "IR": "5", "LR": "6", "R": "7",
            "QP": "8", "QS": "9", "CG": "10"}
SKIP_REASON = {
    "1": "incoming funds are money the activity receives, recorded by the provider as its "
         "own commitment or disbursement",
    "5": "interest and loan repayments flow back to the lender: not new money",
    "6": "interest and loan repayments flow back to the lender: not new money",
    "8": "equity purchases and sales are investments, not grants or pledges",
    "9": "equity purchases and sales are investments, not grants or pledges",
    "10": "a credit guarantee is a contingent liability, not money paid or pledged",
}
BUDGET_STATUS = {"1": "pledged", "2": "committed"}          # Indicative, Committed
BUDGET_STATUS_NAME = {"1": "Indicative", "2": "Committed"}
BUDGET_TYPE = {"1": "original", "2": "revised"}
FUNDING_ROLES = ("1", "funding")
DAC_VOCABULARIES = ("1", "2", "dac", "dac-3", "")
_V1_LINE = re.compile(r"^1(\.|$)")
_VALUE_ELEMENT = re.compile(r"(<value\b[^>]*>\s*([^<\s]*)\s*</value>)")


def _tag(el) -> str:
    t = el.tag
    return t.rsplit("}", 1)[-1] if isinstance(t, str) else ""


def _kids(el, name: str):
    return [c for c in el if _tag(c) == name]


def _kid(el, name: str):
    for c in el:
        if _tag(c) == name:
            return c
    return None


def _text(el) -> str:
    """An element's human text: its first (English or unmarked) narrative
    (2.0x) or its own text (1.0x)."""
    if el is None:
        return ""
    narr = _kids(el, "narrative")
    if narr:
        lang = "{http://www.w3.org/XML/1998/namespace}lang"
        best = next((n for n in narr if n.get(lang, "en").lower().startswith("en")), narr[0])
        return " ".join((best.text or "").split())
    return " ".join((el.text or "").split())


def _date(el, attr="iso-date") -> str:
    if el is None:
        return ""
    v = (el.get(attr) or "").strip()
    if not v and attr == "iso-date":
        v = (el.text or "").strip()
    return v[:10]


def _valid_date(text: str) -> bool:
    import datetime as dt
    try:
        dt.date.fromisoformat(text)
        return True
    except ValueError:
        return False


def _pct(v: str | None) -> Decimal | None:
    if v is None or not v.strip():
        return None
    try:
        d = Decimal(v.strip())
    except InvalidOperation:
        return None
    return d if d.is_finite() and d >= 0 else None


class _Activity:
    """One <iati-activity>, read into what the transactions need."""

    def __init__(self, el, version: str, names, file: str):
        self.el, self.names, self.file = el, names, file
        self.version = el.get("version") or version
        self.v1 = bool(_V1_LINE.match(self.version or ""))
        self.id = " ".join((_kid(el, "iati-identifier").text or "").split()) \
            if _kid(el, "iati-identifier") is not None else ""
        self.line = el.sourceline or 0
        self.currency = (el.get("default-currency") or "").strip().upper()
        self.title = _text(_kid(el, "title"))
        rep = _kid(el, "reporting-org")
        self.reporting = (rep.get("ref", "").strip(), _text(rep)) if rep is not None else ("", "")
        self.org_names: dict[str, str] = {}     # ref -> a name the activity gives it
        for tag in ("reporting-org", "participating-org"):
            for o in _kids(el, tag):
                if o.get("ref", "").strip() and _text(o):
                    self.org_names.setdefault(o.get("ref").strip(), _text(o))
        for t in _kids(el, "transaction"):
            for tag in ("provider-org", "receiver-org"):
                o = _kid(t, tag)
                if o is not None and o.get("ref", "").strip() and _text(o):
                    self.org_names.setdefault(o.get("ref").strip(), _text(o))
        funders = [p for p in _kids(el, "participating-org")
                   if (p.get("role") or "").strip().lower() in FUNDING_ROLES]
        self.funding = ((funders[0].get("ref", "").strip(), _text(funders[0]))
                        if funders else ("", ""))

    # -------------------------------------------------------- accounts
    def org(self, ref: str, name: str) -> str:
        orgs = self.names["organisations"]
        if ref and ref in orgs:
            return orgs[ref]
        if name and name in orgs:
            return orgs[name]
        if not (name or self.org_names.get(ref)):
            self.names["_unnamed"]["organisations"].add(ref)
        return account_part(name or self.org_names.get(ref) or ref)

    def funder(self, el) -> tuple[str, str]:
        """(funder account, how it was found)."""
        prov = _kid(el, "provider-org") if el is not None else None
        if prov is not None and (prov.get("ref", "").strip() or _text(prov)):
            return self.org(prov.get("ref", "").strip(), _text(prov)), "provider-org"
        if any(self.funding):
            return self.org(*self.funding), "participating-org (funding)"
        if any(self.reporting):
            return self.org(*self.reporting), "reporting-org"
        return "", ""

    def purposes(self, el) -> tuple[list[tuple[str, Decimal]], list[str]]:
        """(purpose weights, notes): sector x recipient country/region; the
        transaction's own sector/country when it gives one (2.01+)."""
        notes: list[str] = []
        sec_src = el if el is not None and _kids(el, "sector") else self.el
        secs = _kids(sec_src, "sector")
        vocabs = {(s.get("vocabulary") or "").strip().lower() for s in secs}
        if len(vocabs) > 1:   # percentages add up within one vocabulary: prefer DAC
            keep = next((v for v in DAC_VOCABULARIES if v in vocabs), sorted(vocabs)[0])
            secs = [s for s in secs if (s.get("vocabulary") or "").strip().lower() == keep]
        sector_items = []
        for s in secs:
            code = (s.get("code") or "").strip()
            name = self.names["sectors"].get(code) or (
                f"{account_part(_text(s))}" if _text(s) else f"Sector {account_part(code or '?')}")
            if name.startswith("Sector ") and code not in self.names["sectors"]:
                self.names["_unnamed"]["sectors"].add(code or "?")
            sector_items.append((name, _pct(s.get("percentage"))))
        place_src = el if el is not None and (_kids(el, "recipient-country")
                                              or _kids(el, "recipient-region")) else self.el
        place_items = []
        for c in _kids(place_src, "recipient-country"):
            code = (c.get("code") or "").strip().upper()
            name = self.names["countries"].get(code) or account_part(country_name(code) if code
                                                                     else _text(c) or "?")
            place_items.append((name, _pct(c.get("percentage"))))
        for r in _kids(place_src, "recipient-region"):
            code = (r.get("code") or "").strip()
            name = self.names["regions"].get(code.upper()) or account_part(
                _text(r) or f"Region {code or '?'}")
            if name.startswith("Region ") and code.upper() not in self.names["regions"]:
                self.names["_unnamed"]["regions"].add(code or "?")
            place_items.append((name, _pct(r.get("percentage"))))
        sw, note = percentages(sector_items, "sectors")
        if note:
            notes.append(note)
        pw, note = percentages(place_items, "recipient countries/regions")
        if note:
            notes.append(note)
        sw = sw or [("Unspecified sector", Decimal(1))]
        pw = pw or [("Unspecified place", Decimal(1))]
        return [(f"{s}:{p}", a * b) for s, a in sw for p, b in pw], notes


def _value(el, act: _Activity):
    """(amount, currency, value-date, problem)."""
    v = _kid(el, "value")
    if v is None or not (v.text or "").strip():
        return None, "", "", "no <value>"
    raw = (v.text or "").strip()
    if not re.fullmatch(r"[+-]?\d{1,40}(?:\.\d{1,40})?", raw):
        return None, "", "", f"value {raw[:40]!r} is not a number (digits, an optional point)"
    amount = Decimal(raw)
    wrong = magnitude_problem(amount)
    if wrong:
        return None, "", "", f"value {wrong}"
    if amount <= 0:
        return None, "", "", (f"value {raw} is {'zero' if amount == 0 else 'negative'}: a "
                              f"correction or cancellation, not a figure to record; not imported")
    cur = (v.get("currency") or "").strip().upper() or act.currency
    if not cur:
        return None, "", "", ("no currency: the value has no @currency and the activity no "
                              "@default-currency")
    return amount, cur, _date(v, "value-date"), v


ITEMS = ("transaction", "budget", "planned-disbursement")


def read_iati(path: str | Path, *, names=None, progress=None,
              hierarchy: str | None = None) -> ReadResult:
    """Read one IATI activity file into records (never raises for bad data:
    a malformed or truncated file is one problem of kind "error" and gives no
    records).  ``hierarchy``: read only activities at this IATI hierarchy
    level (the others are skipped, one line per activity)."""
    from lxml import etree
    from ledger.imports.common import load_names

    path = Path(path)
    unnamed: dict[str, set[str]] = {"organisations": set(), "sectors": set(), "regions": set()}
    names = {**(names or load_names(None)), "_unnamed": unnamed}
    file = str(path)
    sha = file_sha256(path, "IATI file")
    records: list[Record] = []
    problems: list[Problem] = []
    quotes: dict[int, list[Record]] = {}      # source line of a <value> -> records quoting it
    doc = source_document(path, sha, "iati")
    state = {"version": "", "activity": "", "read": 0, "acts": 0}
    levels: dict[str, int] = {}
    try:
        with open_data(path, "IATI file") as fh:
            ctx = etree.iterparse(fh, events=("start", "end"), resolve_entities=False,
                                  no_network=True, huge_tree=False, load_dtd=False,
                                  remove_comments=True, remove_pis=True)
            root_seen = False
            for event, el in ctx:
                if event == "start":
                    if not root_seen:
                        root_seen = True
                        if el.getroottree().docinfo.doctype:
                            raise _Refuse("has a DOCTYPE declaration; IATI files have none "
                                          "and entities are not expanded: not read")
                        if _tag(el) != "iati-activities":
                            raise _Refuse(f"not an IATI activity file (the root element is "
                                          f"<{_tag(el)}>, expected <iati-activities>)")
                        state["version"] = (el.get("version") or "").strip()
                    elif _tag(el) == "iati-activity":
                        state["activity"] = f"activity at line {el.sourceline}"
                    continue
                if _tag(el) == "iati-identifier" and el.text and el.text.strip():
                    state["activity"] = f"activity {' '.join(el.text.split())!r}"
                if _tag(el) != "iati-activity":
                    continue
                act = _Activity(el, state["version"], names, file)
                state["activity"] = f"activity {act.id!r}" if act.id else state["activity"]
                state["acts"] += 1
                level = (el.get("hierarchy") or "1").strip()     # the standard's default: 1
                levels[level] = levels.get(level, 0) + 1
                n_items = sum(len(_kids(el, t)) for t in ITEMS)
                state["read"] += n_items
                if hierarchy is not None and level != hierarchy:
                    if n_items:
                        problems.append(Problem(file, state["activity"] or f"activity at line "
                                                f"{act.line}", f"hierarchy {level}, not "
                                                f"{hierarchy} (--hierarchy): its {n_items} "
                                                f"item(s) not imported", "skip", n_items))
                else:
                    try:
                        _read_activity(act, doc, records, problems, quotes)
                    except (ValueError, ArithmeticError, TypeError) as err:   # odd data: a message
                        problems.append(Problem(file, state["activity"], f"could not be read "
                                                f"({type(err).__name__}: {err}); its {n_items} "
                                                f"item(s) not imported", "reject", n_items))
                el.clear(keep_tail=False)
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
                if progress:     # (activities read, read activities still held by the tree)
                    progress(state["acts"], 1 + sum(1 for _ in el.itersiblings(preceding=True)))
    except _Refuse as err:
        return ReadResult(file, [], [Problem(file, "", str(err), "error")], None, sha)
    except etree.XMLSyntaxError as err:
        line = getattr(err, "lineno", 0) or 0
        what = "truncated" if "end" in str(err).lower() and "premature" in str(err).lower() \
            or "EndTag" in str(err) or "Extra content" not in str(err) and _at_end(path, line) \
            else "malformed"
        where = state["activity"] or ""
        msg = (f"line {line}: the XML is {what} ({' '.join(str(err).split())}); nothing "
               f"imported from this file ({state['acts']} complete activit"
               f"{'y' if state['acts'] == 1 else 'ies'} before it)")
        return ReadResult(file, [], [Problem(file, where, msg, "error")], None, sha)
    except OSError as err:
        raise LedgerError(f"{path}: cannot read: {err.strerror or err}") from None
    if not state["acts"]:
        problems.append(Problem(file, "", "no <iati-activity> in this file", "error"))
    if any(unnamed.values()):
        problems.append(Problem(file, "", "accounts named after their codes (give them names in "
                                "a --names file): " + "; ".join(
                                    f"{k} {', '.join(sorted(v))}" for k, v in unnamed.items() if v),
                                "note"))
    if len(levels) > 1 and hierarchy is None:
        problems.append(Problem(file, "", "activities at hierarchy levels "
                                + ", ".join(f"{k} ({v})" for k, v in sorted(levels.items()))
                                + ": a parent's budgets and its children's transactions may "
                                  "count the same money twice; import one level with "
                                  "--hierarchy N", "note"))
    _attach_quotes(path, quotes)
    return ReadResult(file, records, problems, doc, sha, state["read"])


class _Refuse(Exception):
    pass


def _at_end(path: Path, line: int) -> bool:
    """Did the parser stop at the file's last line (a truncated file)?"""
    try:
        with open_data(path, "IATI file") as fh:
            n = sum(1 for _ in fh)
        return line >= n
    except (OSError, LedgerError):
        return False


def _attach_quotes(path: Path, quotes: dict[int, list[Record]]) -> None:
    """Each record quotes its <value> element as written in the file (one
    more streaming pass, reading only the lines needed)."""
    if not quotes:
        return
    want = set(quotes)
    with open_data(path, "IATI file") as fh:
        for n, raw in enumerate(fh, 1):
            if n not in want:
                continue
            line = raw.decode("utf-8", "replace")
            found = {m.group(2): m.group(1) for m in reversed(list(_VALUE_ELEMENT.finditer(line)))}
            for rec in quotes[n]:
                hit = found.get(rec.fields["_number"])
                if hit:
                    rec.fields["source"][0]["quote"] = hit
    for recs in quotes.values():
        for rec in recs:
            src = rec.fields["source"][0]
            if not src.get("quote"):     # a <value> spread over lines: quote the number
                src["quote"] = rec.fields["_number"]
            rec.fields.pop("_number", None)


def _read_activity(act: _Activity, doc, records, problems, quotes) -> None:
    """Records for one activity's transactions, budgets and planned
    disbursements (ITEMS)."""
    from ledger.imports.table import slug

    file = act.file
    if not act.id:
        for tag in ITEMS:
            for k, item in enumerate(_kids(act.el, tag), 1):
                ref = (item.get("ref") or "").strip() if tag == "transaction" else ""
                label = f"{tag.replace('-', ' ')} {ref!r}" if ref else f"{tag.replace('-', ' ')} #{k}"
                problems.append(Problem(file, f"activity at line {act.line} {label} (line "
                                              f"{item.sourceline})",
                                        "the activity has no <iati-identifier>: not imported"))
        return
    base = f"iati-{slug(act.id)[:60]}"
    items: list[dict] = []       # per record: fields + rule data (kind, code, amount...)
    refs_seen: dict[str, int] = {}
    for k, t in enumerate(_kids(act.el, "transaction"), 1):
        ref = (t.get("ref") or "").strip()
        label = f"transaction {ref!r}" if ref else f"transaction #{k}"
        where = f"activity {act.id!r} {label} (line {t.sourceline})"
        tt = _kid(t, "transaction-type")
        raw_code = (tt.get("code") or "").strip() if tt is not None else ""
        code = raw_code.upper() if act.v1 else raw_code
        if act.v1:
            code = V1_CODES.get(code, "?" + code)
        if not raw_code:
            problems.append(Problem(file, where, "no <transaction-type> code: not imported"))
            continue
        if code not in TRANSACTION_TYPES:
            other = ("a 1.0x letter code" if raw_code.upper() in V1_CODES else
                     "a 2.0x number" if raw_code in TRANSACTION_TYPES else "")
            hint = (f" ({other}; this file declares version {act.version or '?'})"
                    if other else "")
            known = ", ".join(V1_CODES) if act.v1 else "1-13"
            problems.append(Problem(file, where, f"unknown transaction type {raw_code!r}{hint}; "
                                                 f"known: {known}; not imported"))
            continue
        tname, status = TRANSACTION_TYPES[code]
        if status is None:
            problems.append(Problem(file, where, f"type {raw_code} ({tname}) skipped: "
                                                 f"{SKIP_REASON[code]}", "skip"))
            continue
        amount, cur, vdate, v = _value(t, act)
        if amount is None:
            problems.append(Problem(file, where, f"{v}"))
            continue
        tdate = _date(_kid(t, "transaction-date"))
        date = vdate or tdate
        if not date or not _valid_date(date):
            problems.append(Problem(file, where, f"no valid date (transaction-date "
                                                 f"{tdate or 'missing'}, value-date "
                                                 f"{vdate or 'missing'}): not imported"))
            continue
        funder, how = act.funder(t)
        if not funder:
            problems.append(Problem(file, where, "no provider-org, funding participating-org "
                                                 "or reporting-org to name the funder"))
            continue
        key = ref or f"{k}"
        n = refs_seen.get(key, 0) + 1
        refs_seen[key] = n
        suffix = slug(key)[:40] + (f"-{n}" if n > 1 else "")
        notes = [f"IATI {act.version or '?'} transaction type {raw_code} ({tname})"]
        if tdate and vdate and tdate != vdate:
            notes.append(f"transaction date {tdate}; valued on its value-date {vdate}")
        if how != "provider-org":
            notes.append(f"funder from the {how}")
        items.append(dict(kind="t", code=code, status=status, amount=amount, cur=cur,
                          date=date, funder=funder, el=t, where=where, notes=notes,
                          id=f"{base}-t-{suffix}", tag=f"iati-type-{raw_code}",
                          locator=f"activity {act.id}, {label}", vline=v.sourceline,
                          number=(v.text or "").strip(),
                          recipient=_text(_kid(t, "receiver-org"))))
    budgets = []
    for k, b in enumerate(_kids(act.el, "budget"), 1):
        where = f"activity {act.id!r} budget #{k} (line {b.sourceline})"
        item = _period_item(act, b, where, problems, f"{base}-b-{k}", "budget")
        if item is None:
            continue
        st = (b.get("status") or "1").strip()
        if st not in BUDGET_STATUS:
            problems.append(Problem(file, where, f"unknown budget status {st!r} (BudgetStatus: "
                                                 f"1 Indicative, 2 Committed); not imported"))
            continue
        btype = (b.get("type") or "1").strip()
        if btype not in BUDGET_TYPE:
            problems.append(Problem(file, where, f"unknown budget type {btype!r} (BudgetType: "
                                                 f"1 Original, 2 Revised); not imported"))
            continue
        item.update(status=BUDGET_STATUS[st], btype=btype, tag=f"iati-budget-status-{st}")
        item["notes"].insert(0, f"IATI {act.version or '?'} budget, {BUDGET_TYPE[btype]}, "
                                f"status {st} ({BUDGET_STATUS_NAME[st]})")
        budgets.append(item)
    # a revised budget supersedes the original for the same period
    revised = {(i["start"], i["end"]) for i in budgets if i["btype"] == "2"}
    for i in budgets:
        if i["btype"] == "1" and (i["start"], i["end"]) in revised:
            problems.append(Problem(file, i["where"], "original budget superseded by a revised "
                                                      "budget for the same period: not imported",
                                    "skip"))
            continue
        items.append(i)
    for k, p in enumerate(_kids(act.el, "planned-disbursement"), 1):
        where = f"activity {act.id!r} planned disbursement #{k} (line {p.sourceline})"
        item = _period_item(act, p, where, problems, f"{base}-pd-{k}", "planned disbursement")
        if item is None:
            continue
        item.update(status="pledged", tag="iati-planned-disbursement")
        item["notes"].insert(0, f"IATI {act.version or '?'} planned disbursement")
        items.append(item)
    _link(items, problems, file)
    reported = set()
    for it in items:
        weights, pnotes = act.purposes(it["el"] if it["kind"] == "t" else None)
        for n in pnotes:
            if n not in reported:
                reported.add(n)
                problems.append(Problem(file, f"activity {act.id!r}", n, "note"))
        parts = shares(it["amount"], it["cur"], weights)
        f = {"id": it["id"], "date": _as_date(it["date"]), "funder": it["funder"],
             "amount": _plain(it["amount"]), "currency": it["cur"], "status": it["status"],
             "tags": ["iati", it["tag"]], "recipient": it.get("recipient", ""),
             "notes": "; ".join(it["notes"] + pnotes)}
        if it.get("period"):
            f["period"] = it["period"]
        if len(parts) > 1:
            f["split"] = [{"purpose": p, "amount": _plain(a)} for p, a in parts]
        else:
            f["purpose"] = parts[0][0] if parts else "Unspecified sector:Unspecified place"
        if it.get("link"):
            f[it["link"][0]] = it["link"][1]
        f["source"] = [{"doc": doc["id"], "locator": it["locator"]}]
        f["_number"] = it["number"]
        rec = Record(it["where"], f)
        records.append(rec)
        quotes.setdefault(it["vline"], []).append(rec)


def _as_date(text: str):
    import datetime as dt
    return dt.date.fromisoformat(text)


def _plain(d: Decimal) -> str:
    from ledger.phrases.money import plain_decimal
    return plain_decimal(d)


def _period_item(act, el, where, problems, eid, what):
    amount, cur, vdate, v = _value(el, act)
    if amount is None:
        problems.append(Problem(act.file, where, v))
        return None
    start = _date(_kid(el, "period-start"))
    end = _date(_kid(el, "period-end"))
    if not start or not _valid_date(start):
        problems.append(Problem(act.file, where, f"no valid period-start "
                                                 f"({start or 'missing'}): not imported"))
        return None
    if end and not _valid_date(end):
        problems.append(Problem(act.file, where, f"period-end {end!r} is not a date: "
                                                 f"not imported"))
        return None
    if end and end < start:
        problems.append(Problem(act.file, where, f"period ends ({end}) before it starts "
                                                 f"({start}): not imported"))
        return None
    funder, how = act.funder(el if what == "planned disbursement" else None)
    if not funder:
        problems.append(Problem(act.file, where, "no funding participating-org or reporting-org "
                                                 "to name the funder"))
        return None
    notes = [] if how in ("provider-org",) else [f"funder from the {how}"]
    if vdate and vdate != start:
        notes.append(f"valued on its value-date {vdate}")
    return dict(kind="b", amount=amount, cur=cur, date=vdate or start, start=start, end=end,
                period=f"from {start} to {end}" if end else "", funder=funder, el=None,
                where=where, notes=notes, id=eid, vline=v.sourceline,
                number=(v.text or "").strip(),
                locator=f"activity {act.id}, {what} {start}" + (f" to {end}" if end else ""),
                recipient=_text(_kid(el, "receiver-org")))


def _link(items, problems, file) -> None:
    """Within one activity, so that each figure is counted once: the first
    commitment (else the first pledge) anchors the activity; disbursements,
    expenditure and reimbursements ``disburse`` it, budgets and planned
    disbursements are ``part_of`` it, other pledges ``restate`` a commitment
    anchor -- while what they add up to, in its currency, stays within it;
    beyond that they are counted on their own (and said so)."""
    order = {"2": 0, "11": 1, "12": 2, "13": 3}
    cands = [i for i in items if i["kind"] == "t" and i["code"] in order]
    if not cands:
        return
    anchor = min(cands, key=lambda i: (order[i["code"]], items.index(i)))
    groups: dict[str, list[dict]] = {"disburses": [], "part_of": []}
    for i in items:
        if i is anchor:
            continue
        if i["kind"] == "t" and i["status"] in ("disbursed", "spent"):
            kind = "disburses"
        elif i["kind"] == "b":
            kind = "part_of"
        elif (i["kind"] == "t" and i["status"] == "pledged" and anchor["status"] == "committed"
              and i["funder"] == anchor["funder"]):
            i["link"] = ("restates", anchor["id"])
            i["notes"].append(f"the pledge that {anchor['id']} commits")
            continue
        else:
            continue
        if i["cur"] != anchor["cur"]:
            i["notes"].append(f"in {i['cur']}, not the {anchor['cur']} of {anchor['id']}: "
                              f"counted on its own")
            problems.append(Problem(file, i["where"], f"in {i['cur']} while the activity's "
                                    f"{'commitment' if anchor['status'] == 'committed' else 'pledge'}"
                                    f" {anchor['id']} is in {anchor['cur']}: counted on its own",
                                    "note"))
            continue
        groups[kind].append(i)
    for kind, group in groups.items():
        fits = within_package(anchor["amount"], anchor["cur"],
                              [(i["amount"], i["cur"]) for i in group])
        for i, ok in zip(group, fits):
            if ok:
                i["link"] = (kind, anchor["id"])
                continue
            i["notes"].append(f"beyond the {anchor['amount']} {anchor['cur']} of {anchor['id']}: "
                              f"counted on its own")
            problems.append(Problem(file, i["where"], f"with the others it exceeds "
                                    f"{anchor['id']} ({anchor['amount']} {anchor['cur']}): "
                                    f"counted on its own", "note"))
