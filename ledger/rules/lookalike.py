"""Names that look alike: Unicode's confusable skeleton (UTS #39, section 4).

"UK:Ноme Office" with a Cyrillic "Н" and "о" is a second funder that no
reader can tell from "UK:Home Office" on a page: its money is totalled apart.
Two account names whose skeletons are equal look alike; the ledger is
warned (``ledger.rules.across_entries``, code ``lookalike-account``).

The data is Unicode's ``confusables.txt`` as the well-kept PyPI package
confusable-homoglyphs ships it (each character with the characters it can
be confused with): each such group of single characters is replaced by one
member, an ASCII one where the group has one, so confusable names share a
skeleton.  Pairs of plain ASCII names ("Phase I", "Phase 1") are not
warned: both are typed on any keyboard and read as written; a look-alike
needs a letter from beyond ASCII.  Names equal but for case ("UK:HO",
"uk:ho") are warned whatever their letters: the filters and --compare
match accounts ignoring case, so the one account would be totalled apart.
"""
from __future__ import annotations

import functools
import json
import unicodedata
from importlib.resources import files
from collections.abc import Iterable

__all__ = ["skeleton", "lookalikes", "none_alike"]

@functools.cache
def _prototypes() -> dict[int, str]:
    """Code point -> the one member that stands for its group of
    confusables (union-find over the package's groups; ASCII first, then
    the lowest code point)."""
    parent: dict[str, str] = {}

    def root(c: str) -> str:
        while parent.setdefault(c, c) != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    def rank(c: str) -> tuple[bool, int]:
        return (not c.isascii(), ord(c))

    data = json.loads(files("confusable_homoglyphs").joinpath("confusables.json")
                      .read_text(encoding="utf-8"))
    for char, alike in data.items():
        for other in (a["c"] for a in alike):
            if len(char) != 1 or len(other) != 1:
                continue
            a, b = root(char), root(other)
            if a != b:
                keep, drop = sorted((a, b), key=rank)
                parent[drop] = keep
    return {ord(c): root(c) for c in parent if root(c) != c}


def skeleton(text: str) -> str:
    """UTS #39's skeleton: NFD, each character replaced by its prototype,
    NFD again (default-ignorable characters are refused in names before
    this is asked)."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", text)
                                 .translate(_prototypes()))


def lookalikes(names: Iterable[str]) -> list[tuple[str, str]]:
    """(name, an earlier name it looks like) for each distinct name, in
    order, equal to an earlier name but for case ("uk:ho", "UK:HO": the
    filters and --compare name them as one account, the totals keep them
    apart), or whose skeleton is an earlier name's with at least one of the
    two not ASCII.  The skeletons cost nothing when every name is ASCII."""
    names = list(dict.fromkeys(names))
    skeletons = not all(n.isascii() for n in names)
    folded: dict[str, str] = {}
    first: dict[str, str] = {}
    out = []
    for name in names:
        other = folded.setdefault(name.casefold(), name)
        if skeletons:
            alike = first.setdefault(skeleton(name), name)
            if other == name and not (name.isascii() and alike.isascii()):
                other = alike
        if other != name:
            out.append((name, other))
    return out


def none_alike(names) -> bool:
    """True when ``lookalikes`` has nothing to say of ``names`` (an Arrow
    string array): every name ASCII and none equal to another but for
    case.  Column-wise: the readers' shortcut past the rule."""
    import pyarrow.compute as pc

    distinct = pc.unique(names)
    if not pc.all(pc.string_is_ascii(distinct)).as_py():
        return False
    return len(pc.unique(pc.utf8_lower(distinct))) == len(distinct)
