"""Regular expressions compiled on first use.

The phrase modules hold some seventy patterns, several of them thousands of
characters long; compiling them all at import made every command pay for
them, although most commands use a few or none.
"""
from __future__ import annotations

import re
from typing import cast

# what a pattern is used for here; each is bound once, on first use
_ATTRS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split",
          "scanner", "pattern", "flags", "groups", "groupindex")


class _Lazy:
    def __init__(self, pattern: str, flags: int | re.RegexFlag = 0):
        self._args = (pattern, flags)

    def __getattr__(self, name: str):
        # only reached before the first use: then the compiled pattern's
        # attributes are this object's own, and looked up as fast as its
        rx = re.compile(*self._args)
        self.__dict__.update((a, getattr(rx, a)) for a in _ATTRS)
        self.__dict__["compiled"] = rx
        return getattr(rx, name)

    def __repr__(self) -> str:
        return f"lazy_re({self._args[0]!r})"


def lazy_re(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, compiled when first used."""
    return cast("re.Pattern[str]", _Lazy(pattern, flags))
