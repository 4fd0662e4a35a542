"""Where ledger-tool keeps what it may throw away: the parsed-ledger cache
(``ledger.read.cache``) and the stored rate series (``rates.table``).

A module of its own so that ``rates`` finds the folder without importing
the ledger cache (``ledger.read.cache`` reads journals; rates takes a Book).
"""
from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path | None:
    """``$LEDGER_TOOL_CACHE`` if set (``off``, ``0``, ``no``, ``false`` or
    empty: None, the cache is off), else ``$XDG_CACHE_HOME/ledger-tool`` or
    ``~/.cache/ledger-tool``."""
    env = os.environ.get("LEDGER_TOOL_CACHE")
    if env is not None:
        return None if env.strip().lower() in ("", "0", "off", "no", "false") else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ledger-tool"
