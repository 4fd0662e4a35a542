"""The account tree: accounts are paths ``A:B:C``; a parent's total
includes its children's (``roll_up``: the one roll-up of ``balance``, the
report's tree tables and the page's data)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import numpy as np
import pandas as pd


def truncate(accounts: pd.Series, depth: int | None) -> pd.Series:
    """Account paths cut to ``depth`` levels (vectorised)."""
    if not depth:
        return accounts.astype(object)
    if isinstance(accounts.dtype, pd.CategoricalDtype):   # on the few accounts, codes move
        cut = [":".join(str(a).split(":")[:depth]) for a in accounts.cat.categories]
        cats = sorted(set(cut))
        where = {c: k for k, c in enumerate(cats)}
        remap = np.array([where[c] for c in cut] + [-1], dtype=np.int64)
        codes = accounts.cat.codes.to_numpy()
        return pd.Series(pd.Categorical.from_codes(
            remap[np.where(codes < 0, len(cut), codes)],
            categories=pd.Index(pd.array(cats, dtype="str"))), index=accounts.index)
    return accounts.astype(str).str.split(":").str[:depth].str.join(":").astype(object)


def top_level(accounts: pd.Series) -> pd.Series:
    return accounts.astype(str).str.split(":").str[0]


def parents(account: str) -> list[str]:
    """``A``, ``A:B``, ``A:B:C`` for ``A:B:C``: the account and every parent, top first."""
    parts = account.split(":")
    return [":".join(parts[: i + 1]) for i in range(len(parts))]


def roll_up(sums: Mapping, depth: int | None = None) -> dict:
    """The account tree's totals: every account of ``sums`` and each of its
    parents, to ``depth`` levels, with its own sum plus its children's.
    ``sums`` maps an account, or a tuple whose first item is the account
    (e.g. (account, currency), (account, year)), to an amount (int minor
    units or ``Decimal``; summed exactly).  The one roll-up of ``balance``,
    the report's tree tables and the page's data."""
    out: dict = defaultdict(int)
    for key, v in sums.items():
        account, rest = (key[0], key[1:]) if isinstance(key, tuple) else (key, None)
        for a in parents(str(account))[:depth]:
            out[a if rest is None else (a, *rest)] += v
    return out
