"""Rules across entries, written once for every reader.

The one rule engine (``ledger.read.table.check_raw``, for every input) calls
``across_entries``.  It takes the entries as columns,
one value per entry, and child rows (links, split totals, citations) with
the entry each belongs to; it looks only at the rows that can fail (linked
entries, split entries, citations), so it costs little at a million entries.
Each reader supplies its own fast id index (``find``) and hints that name
its own syntax; the rule and its wording are the same.

Rules (and codes):

- ``duplicate-id``: an id used by an earlier entry;
- ``self-link``, ``missing-link``: a link to the entry itself, or to no
  entry (an entry left out for its own errors is not called missing);
- ``link-cycle``: links that lead back to where they start (each entry in
  the cycle defers to another, so none would be counted): said once, at
  the cycle's first entry, with its path; every entry in it is refused;
- ``disburses-disbursement``: a disbursement of an entry that itself
  disburses another (a payment paid out again: paid would count the money
  twice); the link should name what both pay out;
- ``split-sum``: split parts that do not add up to the entry's amount;
- ``package-currency`` (warning), ``package-exceeded``: phased parts or
  disbursements in another currency than their target, or adding up to more
  than it (unless it is "at least" or "about"): each entry's whole amount
  over its period ("£6m a year for 2 years" is £12m), as the reports count
  it (to the currency's minor unit); an open-ended part ("£1m a year", no end) exceeds any bounded
  package, and an open-ended package's total is unbounded: only its
  open-ended parts are measured against it, a year against a year (in
  minor units too);
- ``no-source`` (warning), ``unknown-document``, ``no-quote`` (warning):
  citations;
- ``probable-duplicate`` (warning): an entry with the same funder, purpose,
  recipient, date, amount and currency as an earlier one, neither split nor linked
  (one figure twice would be counted twice); not two records of one document,
  each cited at its own place (``records_apart``).
- ``lookalike-account`` (warning): an account name that looks like another
  (``ledger.rules.lookalike``).
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple
from collections.abc import Callable, Iterable, Sequence

from ledger.minor import to_minor
from ledger.model import Period, Problem
from ledger.phrases.money import currency_digits, plain_decimal
from ledger.phrases.period import PeriodError, parse_period, total as period_total, total_minor
from ledger.rules.lookalike import lookalikes

__all__ = ["across_entries", "packages", "Package", "whole_amounts", "yearly_amounts", "same_pledge", "records_apart",
           "link_cycles", "paid_within",
           "JOURNAL_HINTS", "BULK_HINTS"]

JOURNAL_HINTS = {
    "no-source": "add an [[entry.source]] with doc and quote",
    "duplicate-id": "first used at {file}:{line}",
    "probable-duplicate": "one figure is one entry: remove this one and cite its document in "
                          "{first} (ledger-tool cite), or link it (restates) if it re-announces it",
}
BULK_HINTS = {
    "no-source": "add document ids in a 'sources' column",
    "duplicate-id": "rows of one entry (its splits) must be next to each other",
    "probable-duplicate": "one figure is one row: remove this one and add its document to "
                          "{first}'s sources, or link it (restates) if it re-announces it",
    "unknown-document": "declare it in the table's documents file (NAME.documents.csv "
                        "beside NAME.csv, a dataset's _documents.csv)",
}


def records_apart(a, b) -> bool:
    """Two entries that are two records of one document, not one figure
    twice: they cite a document in common, each citation at a place of its
    own (its locator), and no citation is shared.  ``a``, ``b``: each
    entry's citations as (document, locator) pairs.  An imported data file
    (an IATI activity's budget, an FTS flow) names each record so.  Two
    files are two documents, even two versions of one publisher's file:
    nothing in a citation tells reliably that two files have one publisher
    (docs/interop.md), and an equal figure that two publishers report of
    one transfer must stay a warning."""
    a, b = set(a), set(b)
    return (bool({d for d, _ in a} & {d for d, _ in b}) and not a & b
            and all(loc for _, loc in a | b))


def same_pledge(keys) -> list[tuple[int, int]]:
    """(entry, the first entry with its key) for each entry whose key an
    earlier one has: the probable-duplicate rule's pairs.  ``keys``: one
    hashable per entry (funder, purpose, recipient, date, amount, currency), None for an
    entry the rule leaves alone; or, from a columnar reader, the keys as
    integer codes (numpy, -1 for none)."""
    if hasattr(keys, "dtype"):                 # codes: grouped by numpy, no object per row
        import numpy as np

        codes = np.asarray(keys)
        if not len(codes):
            return []
        _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
        first_of = first[inverse]
        dup = (first_of != np.arange(len(codes))) & (codes >= 0)
        rows = np.flatnonzero(dup)
        return list(zip(rows.tolist(), first_of[rows].tolist()))
    seen: dict = {}
    out = []
    for i, k in enumerate(keys):
        if k is None:
            continue
        j = seen.setdefault(k, i)
        if j != i:
            out.append((i, j))
    return out


class Package(NamedTuple):
    """A package (or pledge) and the entries linked to it as its parts."""
    package: int             # the package's entry
    parts: list[int]         # the parts in its currency, in entry order
    other: list[int]         # the parts in another currency (not added up)
    total: Decimal           # the sum of ``parts`` (with ``whole``: their totals, or a year)
    amount: Decimal          # the package's amount (with ``whole``: its total, or a year)
    open: bool = False       # its qualifier allows more ("at least", "about")
    endless: tuple = ()      # the parts open-ended (no end), with ``whole``
    per_year: bool = False   # an open-ended package: its open-ended parts, a year each

    @property
    def exceeded(self) -> bool:
        """More than the package, and it is not "at least" or "about"."""
        more = self.total > self.amount or (bool(self.endless) and not self.per_year)
        return more and not self.open

    @property
    def short(self) -> bool:
        return self.total < self.amount


def packages(pairs: Iterable[tuple[int, int]], currency: Callable[[int], str],
             amount: Callable[[int], Decimal], qualifier: Callable[[int], str],
             whole: Callable[[int], Decimal | None] | None = None,
             yearly: Callable[[int], Decimal] | None = None) -> list[Package]:
    """The rule for phased parts and disbursements, for every reader and the
    audit: ``pairs`` (part, package) of one link kind, in entry order; the
    parts in the package's currency are added up, the others set apart.
    ``whole(i)``: entry ``i``'s amount over its whole period (None when it
    has no end); None compares the amounts as written.  A bounded package
    holds its parts' totals, and no open-ended part; an open-ended one
    (its total unbounded) holds any bounded part, and its open-ended
    parts' amounts a year are measured against its own, each as
    ``yearly(i)`` gives it (``yearly_amounts``: in minor units, as the
    reports count a year; None: as written)."""
    groups: dict[int, list[int]] = defaultdict(list)
    for i, pos in pairs:
        groups[pos].append(i)
    out = []
    for pkg, parts in groups.items():
        cur = currency(pkg)
        same = [p for p in parts if currency(p) == cur]
        other = [p for p in parts if currency(p) != cur]
        is_open = qualifier(pkg) in ("at least", "about")
        if whole is None:
            out.append(Package(pkg, same, other, sum((amount(p) for p in same), Decimal(0)),
                               amount(pkg), is_open))
            continue
        totals = {p: whole(p) for p in same}
        endless = tuple(p for p in same if totals[p] is None)
        size = whole(pkg)
        if size is None:
            year = yearly or amount
            out.append(Package(pkg, same, other, sum((year(p) for p in endless), Decimal(0)),
                               year(pkg), is_open, endless, per_year=True))
        else:
            out.append(Package(pkg, same, other,
                               sum((t for t in totals.values() if t is not None), Decimal(0)),
                               size, is_open, endless))
    return out


def whole_amounts(amount: Callable[[int], Decimal],
                  period: Callable[[int], str],
                  currency: Callable[[int], str] | None = None,
                  start: Callable[[int], dt.date | None] | None = None,
                  ) -> Callable[[int], Decimal | None]:
    """Each entry's amount over its whole period, by the period rule
    (``ledger.phrases.period.total``: a rate a year times its years, a total
    as it is; None when open-ended); ``period(i)``: its period in words (the
    Book's ``period``), each distinct one parsed once.  With ``currency(i)``:
    rounded to the currency's minor unit as the reports count it
    (``total_minor``), so the rule and the reports agree to the penny.
    ``start(i)``: the day it starts, from which N weeks or days count the
    years of their own dates, as the reports count them."""
    parsed: dict[str, Period | None] = {}
    digits: dict[str, int] = {}

    def whole(i: int) -> Decimal | None:
        text = str(period(i) or "one-off")
        if text not in parsed:
            try:
                parsed[text] = parse_period(text)
            except PeriodError:      # said by the rules on the entry itself
                parsed[text] = None
        p = parsed[text]
        on = None if start is None else start(i)
        if currency is None:
            return amount(i) if p is None else period_total(amount(i), p, on)
        cur = currency(i)
        if cur not in digits:
            digits[cur] = currency_digits(cur)
        minor = total_minor(amount(i), p or Period(), digits[cur], on)
        return None if minor is None else Decimal(minor).scaleb(-digits[cur])
    return whole


def yearly_amounts(amount: Callable[[int], Decimal],
                   currency: Callable[[int], str]) -> Callable[[int], Decimal]:
    """Each entry's amount (a year, for an open-ended one) in its currency's
    minor units, as the reports count each year (``ledger.minor.to_minor``):
    500.4 JPY a year is 500."""
    digits: dict[str, int] = {}

    def year(i: int) -> Decimal:
        cur = currency(i)
        if cur not in digits:
            digits[cur] = currency_digits(cur)
        return Decimal(to_minor(amount(i), digits[cur])).scaleb(-digits[cur])
    return year


def link_cycles(pairs: Iterable[tuple[int, int]]) -> list[tuple[list[int], list[int]]]:
    """The cycles of the link graph (``pairs``: (entry, the entry it links
    to)): each group of entries whose links lead back to one another (a
    strongly connected group, by Tarjan's algorithm without recursion),
    sorted, with the shortest cycle through its first entry as a path in
    link order.  Only links between entries that both link and are linked
    to can be on one: the others are left out first, level by level, by
    numpy (most links end at a counted entry, chains are short)."""
    import numpy as np

    pairs = list(pairs)
    if not pairs:
        return []
    src = np.fromiter((i for i, _ in pairs), dtype=np.int64, count=len(pairs))
    dst = np.fromiter((t for _, t in pairs), dtype=np.int64, count=len(pairs))
    keep = src != dst
    for _ in range(_PRUNE_LEVELS):
        on = keep & np.isin(dst, src[keep]) & np.isin(src, dst[keep])
        if on.sum() == keep.sum():
            break
        keep = on
    if not keep.any():
        return []
    edges: dict[int, list[int]] = defaultdict(list)
    for i, t in zip(src[keep].tolist(), dst[keep].tolist()):
        edges[i].append(t)
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    groups: list[list[int]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            v, k = work.pop()
            if k == 0:
                index[v] = low[v] = len(index)
                stack.append(v)
                on_stack.add(v)
            out = edges.get(v, [])
            if k < len(out):
                work.append((v, k + 1))
                w = out[k]
                if w not in index:
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            if low[v] == index[v]:
                group = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    group.append(w)
                    if w == v:
                        break
                if len(group) > 1:
                    groups.append(group)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    out_cycles = []
    for group in groups:
        members = set(group)
        first = min(group)
        # the shortest way round from the first entry, by its links in order
        back: dict[int, int] = {}
        frontier, path = [first], None
        while frontier and path is None:
            nxt = []
            for v in frontier:
                for w in edges[v]:
                    if w not in members:
                        continue
                    if w == first:
                        path = [v]
                        while path[-1] != first:
                            path.append(back[path[-1]])
                        break
                    if w not in back:
                        back[w] = v
                        nxt.append(w)
                if path is not None:
                    break
            frontier = nxt
        out_cycles.append((path[::-1] if path else sorted(group), sorted(group)))
    return sorted(out_cycles, key=lambda c: c[0][0])


def along_links(src, dst, marks, limit: int | None = None):
    """Per entry: the marks (bools, or integer bit sets) of every entry its
    links lead to, link after link, or-ed together (not its own).  ``src``,
    ``dst``: the links as integer arrays (entry, the entry it links to);
    links are acyclic (``link-cycle``), so one step a pass reaches a fixed
    point; ``limit``: at most this many steps.  Column-wise: the one walk
    along links of paid, --status and the page's status bits."""
    import numpy as np

    marks = np.asarray(marks)
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    out = np.zeros(len(marks), dtype=marks.dtype)
    for _ in range(len(marks) if limit is None else limit):
        new = np.zeros_like(out)
        np.bitwise_or.at(new, src, marks[dst] | out[dst])
        if (new == out).all():
            break
        out = new
    return out


def paid_within(n: int, src, dst, counts, uncounted=None):
    """Per entry (``n``): its payment lies within another entry's that is
    itself counted as paid, so paid must not count it again.  ``src``,
    ``dst``: the links (entry, the entry it links to) as integer arrays,
    any kind; ``counts``: per entry, counted as paid by its own status (a
    primary entry, or one that disburses or is part of another, disbursed
    or spent; never one tagged not-counted).  An entry is within when an
    entry it leads to, link after link, counts: a disbursement of a
    disbursed pledge, or of a phase of one; a restatement is passed through
    (it never counts itself), and so is an entry tagged not-counted that
    links to another.  ``uncounted``: per entry, tagged not-counted; one
    that links nowhere ends its chain in no total, so what leads to it is
    within money nothing counts and adds nothing either.  Links are acyclic
    (``link-cycle``); a chain longer than ``_PAID_LEVELS`` is followed that
    far."""
    import numpy as np

    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    counts = np.asarray(counts, dtype=bool)
    within = np.zeros(n, dtype=bool)
    if not len(src):
        return within
    if uncounted is not None:    # a chain ending at a not-counted entry: in no total
        root = np.asarray(uncounted, dtype=bool).copy()
        root[src] = False
        counts = counts | root
    return along_links(src, dst, counts, _PAID_LEVELS)


def across_entries(*, n: int, ids: Sequence[str], place: Callable[[int], tuple[str, int]],
                   currency: Callable[[int], str], qualifier: Callable[[int], str],
                   amount: Callable[[int], Decimal],
                   links: Iterable[tuple[int, str, str]] = (),
                   find: Callable[[list[str]], list[int]] | None = None,
                   duplicates: Iterable[tuple[int, int]] = (),
                   splits: Iterable[tuple[int, Decimal]] = (),
                   citations: tuple[Sequence[int], Sequence[str], Sequence[str]] | None = None,
                   uncited: Iterable[int] | None = None,
                   documents=None, rejected: Iterable[str] = (),
                   pledges=None, apart=None,
                   hints: dict | None = None,
                   check_quotes: bool = True,
                   accounts: Iterable[tuple[int, str, str]] = (),
                   limit: int | None = None,
                   period: Callable[[int], str] | None = None,
                   start: Callable[[int], dt.date | None] | None = None,
                   uncounted: Iterable[int] = (),
                   ) -> tuple[list[Problem], set[int]]:
    """Every cross-entry problem, and the entries with errors.

    ``ids[i]``, ``place(i)`` (file, line), ``currency(i)``, ``qualifier(i)``,
    ``amount(i)``: entry ``i``.  ``links``: (entry, kind, target) in entry
    order.  ``find(targets)``: each target's entry (-1 when none).
    ``duplicates``: (entry, first entry with its id).  ``splits``: (entry,
    sum of its parts).  ``pledges``: each entry's key for the probable-duplicate
    rule (``same_pledge``; None skips it); ``apart(i, j)``: True when two such
    entries are two records of one document (``records_apart``).  ``citations``: (entry of each, document id, quote),
    in entry order; None skips the citation rules.  ``uncited``: the entries
    citing nothing, when the caller knows them (column-wise).  ``documents``: known
    document ids (None: not checked).  ``rejected``: ids of entries left out
    for their own errors.  Amounts in messages are written without
    trailing zeros, whatever the reader (the bulk reader's exact decimals
    carry the file's largest number of places, a sum of the entry reader's
    Decimals may end in ".0").  ``accounts``: (entry, field, name) for
    each distinct account name at the first entry naming it, in entry
    order.  ``limit``: at most this many problems of one
    kind, then one line saying how many more (bulk tables of a million rows).
    ``period(i)``: entry ``i``'s period in words (the Book's ``period``), so
    that packages are measured over their periods (None: every amount is
    taken as a total); ``start(i)``: the day it starts (its period's start,
    or its date), from which N weeks or days count their years.
    ``uncounted``: the entries tagged not counted (a withdrawn IATI item, a
    secondary record): left out of their package's sum, as of every total."""
    hints = {**JOURNAL_HINTS, **(hints or {})}
    out: list[Problem] = []
    bad: set[int] = set()
    count: dict[str, int] = defaultdict(int)
    first_file: dict[str, tuple[str, str, str]] = {}

    def add(i: int, message: str, hint: str = "", severity: str = "error", code: str = "",
            involves: Iterable[int] = ()):
        # involves: the other entries the problem names (details["entries"], their
        # ids), so that an import finds its records at fault without reading the words
        if severity == "error":
            bad.add(i)
        count[code] += 1
        if limit is not None and count[code] > limit:
            return
        file, line = place(i)
        first_file.setdefault(code, (file, hint, severity))
        named = [str(ids[j]) for j in involves]
        out.append(Problem(file, line, str(ids[i]), message, hint, severity, code,
                           details={"entries": named} if named else None))

    def money(d: Decimal) -> str:
        return plain_decimal(d)

    # ids
    for i, first in duplicates:
        f_file, f_line = place(first)
        add(i, f"duplicate id {ids[i]!r}",
            hints["duplicate-id"].format(file=f_file, line=f_line), code="duplicate-id")

    # one figure recorded twice: counted twice in every total
    if pledges is not None:
        for i, j in same_pledge(pledges):
            if apart is not None and apart(i, j):
                continue
            f_file, f_line = place(j)
            add(i, f"probably the same pledge as {ids[j]!r} ({f_file}:{f_line}): same funder, "
                   f"purpose, recipient, date, amount and currency; both are counted in every total",
                hints["probable-duplicate"].format(first=repr(str(ids[j]))),
                severity="warning", code="probable-duplicate")

    # links: to another entry that is there
    links = list(links)
    left_out = set(rejected)
    target_of = find([t for _, _, t in links]) if links and find is not None else \
        [-1] * len(links)
    by_kind: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for (i, kind, target), pos in zip(links, target_of):
        if target == ids[i]:
            add(i, f"{kind} links the entry to itself", code="self-link")
        elif pos < 0 and target not in left_out:
            add(i, f"{kind} names a missing entry {target!r}", code="missing-link")
        elif pos >= 0:
            by_kind[kind].append((i, pos))

    # links that lead back to where they start: none of their entries counted
    in_cycle: set[int] = set()
    for cycle, group in link_cycles([p for pairs in by_kind.values() for p in pairs]):
        in_cycle.update(group)
        bad.update(group)
        steps = [str(ids[c]) for c in [*cycle, cycle[0]]]
        if len(steps) > _CYCLE_SHOWN + 2:      # one line, however long the cycle
            steps = [*steps[:_CYCLE_SHOWN], f"\u2026 {len(cycle) - _CYCLE_SHOWN - 1} more",
                     *steps[-2:]]
        path = " \u2192 ".join(steps)
        on_path = set(cycle)
        more = [str(ids[c]) for c in group if c not in on_path]
        if len(more) > _CYCLE_SHOWN:
            more = [*more[:_CYCLE_SHOWN], f"{len(more) - _CYCLE_SHOWN} more"]
        add(cycle[0], f"links form a cycle: {path}"
                      + (f" (and {', '.join(more)} in another through it)" if more else ""),
            "remove one of the links: an entry linked to another is not counted, so in a "
            "cycle none is", code="link-cycle", involves=group)

    # a disbursement pays out a pledge, not another disbursement
    pays = dict(by_kind.get("disburses", ()))
    chained = set()
    for i, pos in by_kind.get("disburses", ()):
        if pos in pays and i not in in_cycle and pos not in in_cycle:
            root, seen = pays[pos], {pos}
            while root in pays and root not in seen:
                seen.add(root)
                root = pays[root]
            chained.add(i)
            add(i, f"disburses {ids[pos]!r}, which itself disburses {ids[pays[pos]]!r}: "
                   f"the money would be paid twice",
                f"link both to what they pay out (disburses = {str(ids[root])!r})",
                code="disburses-disbursement", involves=(pos, pays[pos]))
    if chained or in_cycle:     # said once: not measured against their targets too
        by_kind = defaultdict(list, {k: [p for p in v if p[0] not in chained and p[0] not in in_cycle]
                                     for k, v in by_kind.items()})

    # splits add up to the entry
    for i, total in splits:
        a = amount(i)
        if total != a:
            cur = currency(i)
            add(i, f"split does not add up: parts sum to {money(total)} {cur}, "
                   f"the entry is {money(a)} {cur}", code="split-sum")

    # phased parts must not exceed their package, disbursements their pledge
    # (a part not counted is in no total, so not in its package's either)
    left_aside = set(uncounted)
    for kind, noun in (("part_of", "phased parts"), ("disburses", "disbursements")):
        counted = [p for p in by_kind.get(kind, ()) if p[0] not in left_aside]
        for pkg in packages(counted, currency, amount, qualifier,
                            None if period is None else whole_amounts(amount, period, currency, start),
                            None if period is None else yearly_amounts(amount, currency)):
            pkg_cur = currency(pkg.package)
            for p in pkg.other:
                add(p, f"{kind} {ids[pkg.package]!r} is in {pkg_cur}, this entry in {currency(p)}",
                    "record the part in its package's currency and restate the other",
                    severity="warning", code="package-currency")
            if not pkg.exceeded:
                continue
            if pkg.per_year:
                names = ", ".join(str(ids[p]) for p in pkg.endless)
                add(pkg.package, f"{noun} ({names}) add up to {money(pkg.total)} {pkg_cur} a "
                                 f"year, more than the {money(pkg.amount)} {pkg_cur} a year of "
                                 f"{ids[pkg.package]!r}", code="package-exceeded",
                    involves=pkg.endless)
            elif pkg.endless and pkg.total <= pkg.amount:
                names = ", ".join(str(ids[p]) for p in pkg.endless)
                add(pkg.package, f"{noun} ({names}) a year with no end add up to more than "
                                 f"the {money(pkg.amount)} {pkg_cur} of {ids[pkg.package]!r}",
                    "give the part its years or its end", code="package-exceeded",
                    involves=pkg.endless)
            else:
                names = ", ".join(str(ids[p]) for p in pkg.parts)
                add(pkg.package, f"{noun} ({names}) add up to {money(pkg.total)} {pkg_cur}"
                                 + (" and more each year" if pkg.endless else "")
                                 + f", more than the {money(pkg.amount)} {pkg_cur} of "
                                 f"{ids[pkg.package]!r}", code="package-exceeded",
                    involves=pkg.parts)

    # account names that look alike (Unicode's confusable skeleton)
    at: dict[tuple[bool, str], tuple[int, str]] = {}
    for i, field, name in accounts:          # each name at its first entry
        at.setdefault((field == "funder", name), (i, field))
    if at:
        for funders in (True, False):        # a funder and a purpose are apart anyway
            for name, other in lookalikes(n for (f, n) in at if f is funders and n):
                (i, field), (j, _) = at[funders, name], at[funders, other]
                if name.casefold() == other.casefold():   # --funder/--purpose match both
                    add(i, f"{field} {name!r} differs from {other!r} (entry {ids[j]!r}) only in case: "
                           "the two are totalled apart, the filters and --compare take both",
                        "use one spelling", severity="warning", code="lookalike-account")
                    continue
                add(i, f"{field} {name!r} looks like {other!r} (entry {ids[j]!r}) but is "
                       f"another name ({_differing(name, other)}): the two are totalled apart",
                    "use one spelling (a letter of another script, e.g. Cyrillic 'о' for "
                    "'o', looks the same)", severity="warning", code="lookalike-account")

    # citations, in entry order (an entry's own problems in the order found)
    if citations is not None or uncited is not None:
        entry_of, docs, quotes = citations if citations is not None else ((), (), ())
        if uncited is None:
            cited = [False] * n
            for i in entry_of:
                cited[i] = True
            uncited = [i for i in range(n) if not cited[i]]
        uncited = list(uncited)
        unworded = 0
        if limit is not None and len(uncited) > limit:   # counted, not all worded
            unworded = len(uncited) - limit - 1
            uncited = uncited[:limit + 1]
        found: list[tuple[int, int, tuple]] = [
            (i, -1, ("no source: every figure should cite a document", hints["no-source"],
                     "warning", "no-source")) for i in uncited]
        known = None if documents is None else set(documents)
        if known is not None or check_quotes:
            for k, i in enumerate(entry_of):
                if known is not None and docs[k] not in known:
                    found.append((i, 2 * k, (f"source names an unknown document {docs[k]!r}",
                                             hints.get("unknown-document", "declare it in a "
                                                       "[[document]] table (sources.toml)"),
                                             "error", "unknown-document")))
                if check_quotes and not str(quotes[k]).strip():
                    found.append((i, 2 * k + 1, (f"citation of {docs[k]!r} has no quote",
                                                 "quote the shortest phrase that carries the "
                                                 "figure", "warning", "no-quote")))
        found.sort(key=lambda x: (x[0], x[1]))
        for i, _, (message, hint, severity, code) in found:
            add(i, message, hint, severity, code)
        # counted after the worded ones: counted first, more than twice the
        # limit left no worded one to name the file the count line gives
        count["no-source"] += unworded
    if limit is not None:
        for code, k in count.items():
            if k > limit:
                file, hint, severity = first_file[code]
                out.append(Problem(file, 0, "", f"{k - limit} more row(s) with the problem: "
                                   + _GENERIC.get(code, code), hint, severity, code))
    return out, bad


def _differing(name: str, other: str) -> str:
    """The characters of ``name`` that ``other`` lacks, named: what makes
    two names that look alike two names."""
    odd = [c for c in dict.fromkeys(name) if c not in other][:3]
    return ", ".join(f"{c!r} is U+{ord(c):04X} {unicodedata.name(c, '')}".rstrip()
                     for c in odd) or "the same letters in another form"


# link_cycles: levels of links pruned by numpy before the walk in Python
_PRUNE_LEVELS = 16
# paid_within: the levels of links followed (chains are a pledge, a phase, a payment)
_PAID_LEVELS = 64
# the entries a link-cycle message names before it counts the rest
_CYCLE_SHOWN = 10

# each rule's message with the particulars left out (the "and N more" lines)
_GENERIC = {
    "duplicate-id": "duplicate id …", "self-link": "… links the entry to itself",
    "missing-link": "… names a missing entry …", "split-sum": "split does not add up",
    "link-cycle": "links form a cycle …",
    "disburses-disbursement": "disburses an entry that itself disburses another",
    "package-currency": "… is in another currency than its package",
    "package-exceeded": "parts add up to more than their package",
    "no-source": "no source: every figure should cite a document",
    "unknown-document": "source names an unknown document …",
    "no-quote": "citation has no quote",
    "probable-duplicate": "probably the same pledge as an earlier entry",
    "lookalike-account": "an account name looks like another",
}
