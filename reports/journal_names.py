"""How hledger and beancount spell what an export writes: account names,
amounts to their currency's minor unit, tag and metadata values, quoted
text.  Shared by the export's header (``reports.export``) and its body
(``reports.export_text``), so neither imports the other.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from decimal import Decimal

from ledger.model import LINK_KINDS
from ledger.text_safety import show_bidi
from rates.table import currency_digits

_BC_ROOTS = {"Funders": "Income:Funders", "Purposes": "Expenses:Purposes"}


@functools.cache      # once per currency, not once per posting
def _digits(code: str) -> int:
    return currency_digits(code)


@functools.cache
def _quantum(code: str) -> Decimal:
    return Decimal(1).scaleb(-_digits(code))


def _num(amount: Decimal, code: str) -> str:
    q = _quantum(code)
    return format(amount.quantize(q) if amount == amount.quantize(q) else amount, "f")


# what hledger's parser takes for white space (Haskell's isSpace): within a
# name it reads each one as an ASCII space, and two in a row end the name
_HLEDGER_SPACE = re.compile(r"[\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


@functools.lru_cache(maxsize=1 << 16)   # an export names the same accounts again and again
def hledger_account(account: str) -> str:
    """The name hledger reads back: each run of white space one space, all
    else as is.  Brackets, ';', '#', '@' and '=' inside a name are plain
    text to hledger (only a whole name in brackets is a virtual posting, and
    an exported name starts with its root, Funders: or Purposes:).  Two
    names may so become one: ``reports.export.hledger_names`` refuses that."""
    return ":".join(_HLEDGER_SPACE.sub(" ", p) for p in account.split(":"))


# ledger 3 reads a '[' followed by a digit or '=' anywhere in a transaction's
# or posting's note as its date (item_t::parse_tags: "[2020-06-01]", "[=…]",
# and "[1]" refuses the whole file), so on a comment line that '[' is written
# as the full-width '［'; hledger reads it as plain text either way
_LEDGER_DATE = re.compile(r"\[(?=[0-9=])")
NOTE_BRACKET = "\uff3b"


def _note_safe(text: str) -> str:
    return _LEDGER_DATE.sub(NOTE_BRACKET, text)


def _tag_value(text: str) -> str:
    # a tag value ends at a comma or the line end
    t = " ".join(str(text).split())
    t = re.sub(r"(?<=\d),(?=\d{3})", "", t)
    return _note_safe(t.replace(",", " ;"))


# the tag names the hledger export writes itself; hledger compares tag names
# without case, so a user tag is renamed when its name is one of these in any case
EXPORT_TAGS = frozenset({"id", "status", "period", "qualifier", "year", "secondary",
                         "source", *LINK_KINDS})
USER_TAG_PREFIX = "tag-"


def _tag_name(tag: str) -> str:
    """A user tag as an hledger tag name (word characters and '-'), never
    one of the export's own (``EXPORT_TAGS``): those, and for the renaming
    to stay one-to-one those starting with ``USER_TAG_PREFIX``, get that
    prefix ("secondary" -> "tag-secondary", "tag-x" -> "tag-tag-x")."""
    t = re.sub(r"[^\w-]", "-", tag)
    low = t.casefold()
    return USER_TAG_PREFIX + t if low in EXPORT_TAGS or low.startswith(USER_TAG_PREFIX) else t


def _one_line(text: str) -> str:
    """Text on one line, runs of white space made one space."""
    return " ".join(str(text).split())


def _comment_text(text: str) -> str:
    """Free text on an hledger comment line (a quote), one line, where no
    word can become a tag: hledger reads any "word:" in a comment as a tag
    (a quote's "year:2020" would be one), so a ':' is written as the
    full-width '：'; and a '[' before a digit or '=' as '［' (``_note_safe``)."""
    return _note_safe(_one_line(text).replace(":", "\uff1a"))


def _description(text: str) -> str:
    """Text in an hledger transaction's first line, kept on it (each white
    space character other than a space made a space): a ';' there starts the
    transaction's comment (and its tags), so it is written '；'."""
    return re.sub(r"[^\S ]", " ", str(text)).replace(";", "\uff1b")


def _as_written(text: str) -> str:
    """The amount as written, exactly and on one line (a JSON string: quotes,
    backslashes and line breaks escaped, ':' as \\u003a so no word in it
    reads as an hledger tag, '[' as \\u005b so ledger 3 reads no date in it;
    everything else as is)."""
    return json.dumps(text, ensure_ascii=False).replace(":", "\\u003a") \
        .replace("[", "\\u005b")


@functools.cache
def _bc_char(c: str) -> str:
    """One character of an account component as beancount takes it
    (``beancount.core.account.ACCOUNT_RE``, which bean-format checks: letters,
    decimal digits and '-'): a Latin letter folded to ASCII ("é" -> "e"), a
    letter or decimal digit of another script kept ("日", "Ω"), a combining
    mark or variation selector dropped (not a letter there), anything else
    (space, punctuation, symbols, invisible controls) '-'."""
    if c.isascii():
        return c if c.isalnum() else "-"
    d = unicodedata.normalize("NFKD", c)
    folded = d.encode("ascii", "ignore").decode()
    if folded and all(x.isascii() or unicodedata.category(x)[0] == "M" for x in d):
        return re.sub(r"[^A-Za-z0-9]", "-", folded)
    cat = unicodedata.category(c)
    return c if cat[0] == "L" or cat == "Nd" else "" if cat[0] == "M" else "-"


# before a component whose first letter has no capital ("日本" -> "X-日本"):
# beancount wants a capital letter or a digit first
NO_CAPITAL = "X-"


def _capital_first(t: str) -> str:
    if unicodedata.category(t[0]) in ("Lu", "Nd"):
        return t
    up = t[0].upper()
    if unicodedata.category(up[0]) == "Lu" and all(
            unicodedata.category(x)[0] == "L" for x in up):
        return up + t[1:]                       # "ßeta" -> "SSeta", "ǆ" -> "Ǆ"
    return NO_CAPITAL + t


def beancount_component(part: str) -> str:
    """One account component: letters, decimal digits and '-', starting with
    a capital letter or digit, as ``beancount.core.account.is_valid`` wants
    ("Home Office" -> "Home-Office", "ωμέγα" -> "Ωμέγα", "日本" -> "X-日本").
    Two names that so become one are refused by ``reports.export``."""
    t = "".join(_bc_char(c) for c in unicodedata.normalize("NFC", part)).strip("-")
    t = re.sub(r"-{2,}", "-", t)
    return _capital_first(t) if t else "X"


@functools.lru_cache(maxsize=1 << 16)
def beancount_account(account: str) -> str:
    root, _, rest = account.partition(":")
    base = _BC_ROOTS.get(root, "Equity:" + beancount_component(root))
    return ":".join([base] + [beancount_component(p) for p in rest.split(":") if p])


def _bq_inner(text: str) -> str:
    t = " ".join(show_bidi(str(text)).split())
    return t.replace("\\", "\\\\").replace('"', '\\"')


def _bq(text: str) -> str:
    """A beancount string on one line."""
    return '"' + _bq_inner(text) + '"'


def _bc_word(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_./-]+", "-", text).strip("-") or "x"


def _bc_exact(text: str) -> str:
    """A beancount string holding ``text`` exactly (line breaks included)."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'
