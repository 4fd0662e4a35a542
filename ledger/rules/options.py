"""The rules of a ledger's ``[ledger]`` options, written once: ``check``
refuses what a later command would (report, balance, export read them), in
one line naming the file, the option and what is wrong.

- ``fiscal_year_start``: MM-DD, a real day of a common year ("13-45" and
  "02-29" are not);
- ``locale``: a locale babel knows.  POSIX forms are read as the locale they
  name ("en_GB.UTF-8" is en_GB, "fr_FR@euro" is fr_FR, "C" and "POSIX" are
  en), so the name kept is one a browser takes as a BCP 47 tag once "_" is
  "-" (a page given "fr-FR@euro" stopped with a RangeError);
- ``currency``: an ISO 4217 code the ledger knows;
- ``name``, ``description``, ``rates``, ``archive``: text;
- ``archive``: a folder inside the ledger's folder, named relative to it
  (``archive_problem``: not absolute, not above it through ``..``), as
  ``audit``, ``report`` and ``sources add`` read it
  (``ledger.sources.archive.named_archive``);
- one ledger, one value of each: two files' ``[ledger]`` tables that give
  one option two values (as commands read them) are refused at the later
  one's line, naming the first (``option_conflict``), not one of them
  kept unsaid.
"""
from __future__ import annotations

import datetime as dt
import ntpath
import posixpath
import re
from pathlib import Path
from typing import Any

from ledger.phrases.money import known_currencies

__all__ = ["archive_problem", "fiscal_start", "locale_name", "option_problem", "option_conflict",
           "OptionError"]


class OptionError(ValueError):
    """An option's value a command cannot use; the message says why."""


def fiscal_start(value: Any) -> tuple[int, int]:
    """(month, day) from "MM-DD" (or "--MM-DD", or a pair); raises OptionError."""
    given = value
    if isinstance(value, str):
        m = re.fullmatch(r"(?:--)?(\d{1,2})-(\d{1,2})", value.strip())
        if not m:
            raise OptionError(f"fiscal year start {value[:40]!r} is not MM-DD (e.g. 04-01)")
        value = (int(m[1]), int(m[2]))
    try:
        month, day = (int(v) for v in value)
        dt.date(2001, month, day)
    except (TypeError, ValueError, OverflowError):
        raise OptionError(f"fiscal year start {str(given)[:40]!r} is not a valid month and day "
                          f"(29 February is not allowed)") from None
    return month, day


_POSIX_DEFAULT = {"C", "POSIX"}


def locale_name(text: Any) -> str:
    """babel's name of a locale written as babel (en_GB), BCP 47 (en-GB) or
    POSIX (en_GB.UTF-8, fr_FR@euro, C) writes it: language, script and
    territory only, which "_" -> "-" makes a tag every browser takes.
    Raises OptionError."""
    from babel import Locale, UnknownLocaleError
    if not isinstance(text, str) or not text.strip() or len(text) > 64:
        raise OptionError(f"locale {str(text)[:40]!r} is not a locale (e.g. en_GB, fr_FR)")
    base = re.split(r"[.@]", text.strip(), maxsplit=1)[0]
    if base in _POSIX_DEFAULT:
        return "en"
    try:
        loc = Locale.parse(base.replace("-", "_"))
        if loc.language in ("root", "und") or not re.fullmatch(r"[a-z]{2,3}", loc.language):
            raise ValueError
        return str(Locale(loc.language, loc.territory, loc.script))
    except (ValueError, TypeError, UnknownLocaleError):
        raise OptionError(f"unknown locale {text[:40]!r} (try en_GB, fr_FR, en_US)") from None


def archive_problem(name: str, root: str | Path | None = None) -> str:
    """'' when the ``archive`` option ``name`` names a folder inside the
    ledger's folder ``root`` (resolved, as ``ledger.safe_io.confine``
    decides: an absolute path inside is inside), else what is wrong: the one
    wording of check's warning and of the refusal of the commands that read
    the archive (which take another with --sources).  Without ``root``,
    read as written."""
    if root is not None:
        base = Path(root).resolve()
        at = (base / name).resolve()
        if at == base or base in at.parents:
            return ""
    norm = posixpath.normpath(name.replace("\\", "/"))
    if posixpath.isabs(norm) or ntpath.splitdrive(name)[0]:
        where = "is an absolute path outside the ledger folder"
    elif norm == ".." or norm.startswith("../") or root is not None:
        where = "leads outside the ledger folder"
    else:
        return ""
    return (f"archive {name[:80]!r} {where}; an archive folder named by the ledger must lie "
            f"inside the ledger folder (e.g. archive = \"sources\"); for an archive "
            f"elsewhere, give it with --sources DIR")


def option_problem(key: str, value: Any) -> tuple[Any, str]:
    """An option's value as commands read it, and '' or what is wrong."""
    try:
        if key == "fiscal_year_start":
            fiscal_start(value)
        elif key == "locale":
            return locale_name(value), ""
        elif key == "currency":
            if not isinstance(value, str) or value.strip().upper() not in known_currencies():
                raise OptionError(f"currency {str(value)[:40]!r} is not an ISO 4217 code the "
                                  f"ledger knows (e.g. GBP, EUR, USD)")
            return value.strip().upper(), ""
        elif not isinstance(value, str):
            raise OptionError(f"{key} must be text, not {type(value).__name__}")
    except OptionError as err:
        return value, str(err)
    return value, ""


OPTION_CONFLICT_HINT = ("a ledger has one value of each option: give it in one file's [ledger] "
                        "table, or the same value in each")


def option_conflict(key: str, value: Any, first: Any, at: str) -> str:
    """'' when ``value`` (read by ``option_problem``) is the option's
    ``first`` value given at ``at`` (FILE:LINE) as commands read it (a
    fiscal year start's month and day), else what is wrong."""
    if key == "fiscal_year_start":
        try:
            same = fiscal_start(value) == fiscal_start(first)
        except OptionError:   # refused on its own already
            return ""
    else:
        same = value == first
    if same:
        return ""
    return f"option {key} {value!r} disagrees with {first!r} at {at}"
