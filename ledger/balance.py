"""Account balances: the double-entry view, rolled up the account tree."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Iterable

from ledger.model import Entry


def parents(account: str) -> list[str]:
    """``A:B:C`` → ``[A, A:B, A:B:C]``."""
    parts = account.split(":")
    return [":".join(parts[: i + 1]) for i in range(len(parts))]


def balances(entries: Iterable[Entry], depth: int | None = None) -> dict[tuple[str, str], Decimal]:
    """Balance per (account, currency), every parent account including its
    children.  ``depth`` keeps accounts at most that many levels deep."""
    out: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for e in entries:
        for p in e.postings():
            for acct in parents(p.account):
                if depth is None or acct.count(":") < depth:
                    out[(acct, p.currency)] += p.amount
    return dict(sorted(out.items()))


def totals(entries: Iterable[Entry]) -> dict[str, Decimal]:
    """Sum of all postings per currency: zero in a balanced ledger."""
    out: dict[str, Decimal] = defaultdict(Decimal)
    for e in entries:
        for p in e.postings():
            out[p.currency] += p.amount
    return dict(out)
