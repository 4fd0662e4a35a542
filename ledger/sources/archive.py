"""The source archive: the folder of documents behind a ledger's figures.

Each document is declared in the ledger's sources file as a ``[[document]]``
table (title, publisher, published, url, retrieved, path, sha256); ``path`` is
relative to the archive folder given to ``ledger-tool audit --sources DIR``.

- ``read_source(path)`` reads a plain-text, HTML or PDF document into a
  ``SourceText``: its searchable text (the visible text for HTML, the
  extracted text for PDF), its SHA-256, and a map from positions in that text
  back to line and column *in the file itself*, so that an auditor can open
  the file at the reported place.
- ``Archive(folder)`` finds and reads the declared documents (cached).
- ``ledger_archive(ledger)`` is the ledger's own archive folder (its
  ``archive`` option, default ``sources``, inside the ledger folder).
- ``add_document(...)`` copies a document (and a web page's or PDF's text
  rendering) into the archive, named by its id, and records it in the
  sources file with tomlkit (comments and layout kept), atomically, refusing
  duplicates; ``remove_document(...)`` takes one out again.
- ``archived_document(file)`` is the recorded document a file is (by place
  in the archive or by SHA-256), for drafts that cite it.
- ``document_rows(...)`` is the table behind ``ledger-tool sources list``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tomllib
from collections import Counter
from pathlib import Path
from collections.abc import Callable, Iterable
from typing import NamedTuple

from ledger.atomic import (open_folder, read_only, real_path, unlink_at, write_atomic,
                           write_atomic_at)
from ledger.book import Book, _where_parts
from ledger.edit import checked_edit, remove_tables, table_spans, write_edits, writing
from ledger.errors import LedgerError
from ledger.model import is_slug
from ledger.model import KEEPS_ZEROS, Document
from ledger.read import read_book
from ledger.read.documents import read_documents
from ledger.read.journal import parse_file, read_tables
from ledger.rules.options import archive_problem
from ledger.safe_io import (DEFAULT_ARCHIVE, UnsafeFile, archive_parts, check_file, check_nesting,
                            confine, journal_files, read_bytes, read_text, unread_reason)
from ledger.sources.render import needs_rendering, read_rendered, render, rendering_path
from ledger.sources.text import (HTML_SUFFIXES, PDF_SUFFIXES, TEXT_SUFFIXES, Location, SourceText,
                                 read_source, sha256_file)

__all__ = ["SourceText", "Location", "Archive", "read_source", "sha256_file",
           "sources_file", "add_document", "remove_document", "ledger_archive",
           "archived_document", "document_rows", "TEXT_SUFFIXES",
           "HTML_SUFFIXES", "PDF_SUFFIXES", "DEFAULT_ARCHIVE", "read_as_journal"]

SOURCES_FILE = "sources.toml"




def named_archive(root: str | Path, name: str) -> Path:
    """The archive folder a ledger names (``archive = "sources"`` in its
    ``[ledger]`` table), resolved inside the ledger folder ``root``: a ledger
    file is input like any other and may not point reads or writes at the
    rest of the machine.  Raises ``LedgerError`` (``UnsafeFile``) otherwise:
    as ``check`` says it (``ledger.rules.options.archive_problem``), then a
    link inside that leads out."""
    if why := archive_problem(name, root):
        raise UnsafeFile(root, why)
    return confine(Path(root) / name, root, what="archive folder named by the ledger")


class Archive:
    """A folder of source documents; reads each declared document once."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        if not self.folder.exists():
            raise LedgerError(f"source archive folder {self.folder} not found "
                              "(give the folder holding the documents with --sources DIR)")
        if not self.folder.is_dir():
            raise LedgerError(f"source archive {self.folder} is not a folder")
        self._cache: dict[Path, SourceText] = {}

    def path_of(self, doc: Document) -> Path:
        """The document's file: ``path`` when given, else its id with a
        known suffix (the first that exists; ``<id>.txt`` otherwise)."""
        if doc.path:
            return self.folder / doc.path
        for suffix in (*TEXT_SUFFIXES, *HTML_SUFFIXES, *PDF_SUFFIXES):
            cand = self.folder / f"{doc.id}{suffix}"
            if cand.is_file():
                return cand
        return self.folder / f"{doc.id}.txt"

    def rendering_of(self, doc: Document) -> Path | None:
        """The text rendering of a web page or PDF recorded with one."""
        return self.folder / doc.text if doc.text else None

    def read(self, doc: Document) -> SourceText:
        """The document's text; a path leaving the archive (``..``, absolute,
        a symlink out), a FIFO, device or socket, or a file over the size
        cap is refused with a ``LedgerError`` naming the document."""
        p = self.path_of(doc)
        if p not in self._cache:
            where = f"{doc.file}:{doc.line}: " if doc.file else ""
            if not p.is_file() and not p.exists() and not p.is_symlink():
                raise LedgerError(f"{where}document {doc.id!r}: file {doc.path or p.name!r} "
                                  f"not found in the source archive {self.folder}")
            rendering = self.rendering_of(doc)
            try:   # a web page or PDF: its text rendering, confined like the original
                if rendering is not None:
                    self._cache[p] = read_rendered(p, rendering, inside=self.folder)
                else:
                    self._cache[p] = read_source(p, inside=self.folder)
            except UnsafeFile as err:
                raise LedgerError(f"{where}document {doc.id!r}: {err}") from None
        return self._cache[p]

    def files(self) -> list[Path]:
        """Every document file in the folder (hidden files skipped)."""
        return sorted(f for f in self.folder.rglob("*")
                      if f.is_file() and not any(part.startswith(".")
                                                 for part in f.relative_to(self.folder).parts))


# ---------------------------------------------------------- sources file
def sources_file(ledger_path: str | Path) -> Path:
    """Where ``sources add`` writes: ``sources.toml`` in a ledger folder, or
    the ledger file itself for a one-file ledger."""
    p = Path(ledger_path)
    if p.is_dir():
        return p / SOURCES_FILE
    if p.suffix == ".toml" and p.is_file():
        return p
    if not p.exists():
        raise LedgerError(f"{p}: no such ledger (a folder of .toml files or one .toml file)")
    raise LedgerError(f"{p}: not a ledger (expected a folder or a .toml file)")


NEW_SOURCES_HEADER = """\
# Source documents of this ledger: one [[document]] table each (ledger-tool sources add).
# `path` and `text` are relative to the ledger's archive folder (its `archive` option);
# `sha256` is the hash of the archived file, checked by the audit.
"""


def _slug_from(name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-._")
    return s


def _journal_tables(ledger_path: str | Path, strict: bool = False
                    ) -> tuple[dict[str, Document], dict]:
    """The documents and options of the journal at ``ledger_path`` (its
    ``[[document]]`` and ``[ledger]`` tables, by the journal's own readers
    of them; its entries are not read).  Nothing when it is not there.
    A file that cannot be parsed is passed over, or with ``strict`` a
    ``LedgerError``."""
    p = Path(ledger_path)
    documents: dict[str, Document] = {}
    options: dict = {}
    if not p.exists():
        return documents, options
    for f in journal_files(p):
        text, data, _ = parse_file(f, p if p.is_dir() else None)
        if text is None or data is None:
            if strict:
                raise LedgerError(f"{f}: cannot be read")
            continue
        read_tables(f, text, data, documents, [], options)
    return documents, options


def ledger_archive(ledger_path: str | Path, options: dict | None = None) -> Path:
    """The archive folder of a ledger: its ``archive`` option (default
    ``"sources"``, what ``ledger-tool init`` writes), inside the ledger's
    folder (a one-file ledger's: the file's folder)."""
    p = Path(ledger_path)
    if options is None:
        options = _journal_tables(p)[1]
    name = str((options or {}).get("archive") or "").strip() or DEFAULT_ARCHIVE
    return named_archive(p if p.is_dir() else p.parent, name)


def add_document(ledger_path: str | Path, file: str | Path, *, title: str, publisher: str,
                 published: dt.date, url: str = "", retrieved: dt.date | None = None,
                 doc_id: str | None = None, archive: str | Path | None = None,
                 notes: str = "") -> Document:
    """Record ``file`` as a source document of the ledger and return it.

    ``archive`` is the source archive folder (default: the ledger's own,
    ``ledger_archive``, made if missing).  A file outside it is copied in
    under the document's id (``<id>.html``), its text rendering beside it
    (``<id>.html.txt``); a file already inside keeps its place.  The new
    ``[[document]]`` table is appended to the sources file with tomlkit,
    keeping its comments and layout, and written atomically; on any failure
    the copies made are removed.  Refuses an id, file or content (SHA-256)
    that the ledger already records.  The ledger's write lock is held from
    reading its records until the sources file is renamed."""
    with writing(ledger_path):
        return _add_document(ledger_path, file, title=title, publisher=publisher,
                             published=published, url=url, retrieved=retrieved, doc_id=doc_id,
                             archive=archive, notes=notes)


def _add_document(ledger_path: str | Path, file: str | Path, *, title: str, publisher: str,
                  published: dt.date, url: str, retrieved: dt.date | None,
                  doc_id: str | None, archive: str | Path | None, notes: str) -> Document:
    import tomlkit

    src = Path(file)
    if not src.is_file():
        raise LedgerError(f"{src}: no such file" if not src.exists() else f"{src}: not a file")
    digest = read_source(src).sha256   # refuses binary or unreadable documents
    rendered = render(src) if needs_rendering(src) else None   # web page or PDF: its text
    out = sources_file(ledger_path)
    known, options = _journal_tables(ledger_path)
    if archive is not None:
        folder = Path(archive)
        if not folder.is_dir():
            raise LedgerError(f"source archive folder {folder} not found")
    else:
        folder = ledger_archive(ledger_path, options)
        if folder.exists() and not folder.is_dir():
            raise LedgerError(f"the ledger's archive {folder} is not a folder")
    _refuse_link_out(src, folder)
    doc_id = doc_id if doc_id is not None else _slug_from(src.stem)
    if not is_slug(doc_id or ""):
        raise LedgerError(f"{src}: {doc_id!r} cannot be a document id (letters, digits, "
                          ". _ -); give one with --id")
    try:
        rel = src.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        rel = Path(doc_id + src.suffix.lower())      # copied in, named by its id
    target = folder / rel
    _refuse_read_as_journal(src, target, Path(ledger_path))
    for label, value in (("title", title), ("publisher", publisher)):
        if not value.strip():
            raise LedgerError(f"{src}: the document needs a {label} (--{label})")

    posix = rel.as_posix()
    for d in known.values():
        where = f"{d.file}:{d.line}" if d.file else str(out)
        if d.id == doc_id:
            raise LedgerError(f"{src}: document id {doc_id!r} is already recorded at {where}; "
                              "give another with --id")
        if d.sha256 and d.sha256.lower() == digest:
            raise LedgerError(f"{src}: this file is already recorded as document {d.id!r} "
                              f"at {where} (same SHA-256)")
        if d.path and d.path == posix:
            raise LedgerError(f"{src}: path {posix!r} is already recorded as document "
                              f"{d.id!r} at {where}")

    # writes stay in the archive and the ledger (ledger.atomic): no link leads them out
    inside_ledger = Path(ledger_path) if Path(ledger_path).is_dir() else None
    _refuse_archive_link_out(folder, inside_ledger)
    copy = target.resolve() != src.resolve()
    if copy and target.exists() and sha256_file(target, inside=folder) != digest:
        raise LedgerError(f"{src}: the archive {folder} already has a different "
                          f"file named {rel.name!r}; give another --id")
    text_rel = ""
    if rendered is not None:
        text_target = rendering_path(target)
        data = rendered.encode("utf-8")
        if text_target.exists() and _read_archived(text_target, folder) != data:
            raise LedgerError(f"{src}: the archive {folder} already has a different "
                              f"{text_target.name}; remove it or give another --id")
        text_rel = rendering_path(rel).as_posix()
    existing = read_text(out, what="sources file") if out.exists() else NEW_SOURCES_HEADER
    check_nesting(existing, out)   # before tomlkit, which recurses per level
    try:
        parsed = tomlkit.parse(existing)
    except Exception as err:  # tomlkit's ParseError carries line and column
        raise LedgerError(f"{out}: not valid TOML ({err}); fix it with "
                          f"'ledger-tool check' first") from None
    if "document" in parsed and not isinstance(parsed["document"], tomlkit.items.AoT):
        raise LedgerError(f"{out}: 'document' must be [[document]] tables")
    table = tomlkit.table()
    table["id"] = doc_id
    table["title"] = title.strip()
    table["publisher"] = publisher.strip()
    table["published"] = published
    if url:
        table["url"] = url
    if retrieved is not None:
        table["retrieved"] = retrieved
    table["path"] = posix
    table["sha256"] = digest
    text_sha = hashlib.sha256(rendered.encode("utf-8")).hexdigest() if rendered is not None else ""
    if rendered is not None:
        table["text"] = text_rel
        table["text_sha256"] = text_sha
    if notes:
        table["notes"] = notes
    new = tomlkit.document()
    new.append("document", tomlkit.aot())
    new["document"].append(table)
    # Appending a [[document]] table at the end is valid TOML wherever the
    # file's other tables are, and leaves every existing byte as it was.
    text = existing.rstrip("\n") + "\n\n" + tomlkit.dumps(new).strip("\n") + "\n"
    made: list[str] = []
    _toml_check(text, out)
    # every write in the archive is made below one descriptor of it, opened
    # without following links and checked after opening: a link swapped in
    # for the archive, or planted in it, cannot take the copies elsewhere
    afd = _open_archive(folder, inside_ledger)
    try:
        if copy and not target.exists():
            _copy_in(src, afd, rel.as_posix(), target, folder)
            made.append(rel.as_posix())
        if rendered is not None and not text_target.exists():
            write_atomic_at(afd, text_rel, data, shown=text_target)
            made.append(text_rel)
        write_atomic(out, text, inside=inside_ledger)
    except BaseException:
        for name in made:     # nothing half-done: the copies go with the record
            unlink_at(afd, name)
        raise
    finally:
        os.close(afd)
    return Document(id=doc_id, title=title.strip(), publisher=publisher.strip(),
                    published=published, url=url, retrieved=retrieved, path=posix,
                    sha256=digest, notes=notes, file=str(out), text=text_rel,
                    text_sha256=text_sha)


def archived_document(file: str | Path, ledger: str | Path | None = None) -> Document | None:
    """The recorded document that ``file`` is (its archived original or
    text rendering), or None.  ``ledger``: the ledger to look in; without
    it, the ledger folder (holding ledger.toml) whose archive the file lies
    in.  A file is the document whose archived path or rendering it is, or
    whose recorded SHA-256 (original or rendering) it has."""
    f = Path(file)
    try:
        real = f.resolve()
    except OSError:
        return None
    if ledger is None:
        ledger = next((d for d in real.parents[:4] if (d / "ledger.toml").is_file()), None)
        if ledger is None:
            return None
    documents, options = _journal_tables(ledger)
    if not documents:
        return None
    try:
        folder = ledger_archive(ledger, options).resolve()
    except LedgerError:
        folder = None
    for d in documents.values():
        if folder is not None:
            named = [folder / d.path] if d.path else []
            named += [folder / d.text] if d.text else \
                [rendering_path(folder / d.path)] if d.path else []
            if real in {p.resolve() for p in named}:
                return d
    if not real.is_file():
        return None
    digest = sha256_file(real)
    for d in documents.values():
        if digest in (d.sha256.lower(), (d.text_sha256 or "").lower()):
            return d
    return None


# (archived files, real paths to pass over) -> the ledgers whose archive may hold them
Sharing = Callable[[list[Path], set[Path]], Iterable[Path]]


class Removed(NamedTuple):
    """What ``remove_document`` took out."""
    document: Document
    files: tuple[Path, ...]                 # archived original and rendering deleted
    citations: tuple[tuple[str, str], ...]  # (entry id, quote) of the citations removed
    kept: tuple[tuple[Path, str], ...] = ()  # archived files left in place, and why


def remove_document(ledger_path: str | Path, doc_id: str, *, force: bool = False,
                    archive: str | Path | None = None, dry_run: bool = False,
                    sharing: Sharing | None = None) -> Removed:
    """Take the document ``doc_id`` out of the ledger: its ``[[document]]``
    table and its archived files (original and rendering).  Refused while an
    entry cites it, unless ``force``, which removes those citations too.
    The ledger is validated with the change and written atomically
    (``ledger.edit.write_edits``); other bytes of its files are kept.
    ``sharing(files, skip)``: the ledgers whose archive may hold one of the
    archived files, none whose real path is in ``skip``
    (``ledger_tool.common.ledgers_around``); a file one of them still
    records is kept, and all are when one cannot be read to tell."""
    with writing(ledger_path):
        return _remove_document(Path(ledger_path), doc_id, force, archive, dry_run, sharing)


def _remove_document(root: Path, doc_id: str, force: bool, archive: str | Path | None,
                     dry_run: bool, sharing: Sharing | None = None) -> Removed:
    journal = read_book(root)
    doc = journal.documents.get(doc_id)
    if doc is None:
        known = ", ".join(sorted(journal.documents)[:8]) or "none recorded"
        raise LedgerError(f"{root}: no document {doc_id!r} (documents: {known})")
    citing = _citations_of(journal, doc_id)
    if citing and not force:
        ids = ", ".join(sorted({c.entry for c in citing}))
        raise LedgerError(f"document {doc_id!r} is cited by {len(citing)} citation(s) of "
                          f"entr{'y' if len({c.entry for c in citing}) == 1 else 'ies'} {ids}; "
                          "nothing removed (--force removes those citations too)")
    if doc.notes.startswith(KEEPS_ZEROS) and not force:
        raise LedgerError(f"document {doc_id!r} keeps an FTS download's copies of 0 "
                          f"({doc.notes[len(KEEPS_ZEROS):].split(' it gives', 1)[0]}): without "
                          "it, an older download imported later counts those flows again; "
                          "nothing removed (--force removes it anyway)")
    # what goes from each file: (entry index, citation index) or the document
    drops: dict[Path, list] = {}
    drops.setdefault(Path(doc.file), []).append(("document", doc.line))
    for c in citing:    # an entry citing it twice is edited once (all its citations of it)
        at = drops.setdefault(Path(c.file), [])
        if ("entry", c.line) not in at:
            at.append(("entry", c.line))
    edits = {}
    for f, what in drops.items():
        old = read_bytes(f, what="journal file")
        text = old.decode("utf-8-sig")
        bom = old[:3] if old.startswith(b"\xef\xbb\xbf") else b""
        spans = table_spans(text)
        cut, doc_k = [], None
        tops = [(n, a, b) for n, a, b in spans if "." not in n]
        for name, line in what:
            k = next((k for k, (n, a, _) in enumerate(tops) if n == name and text.count("\n", 0, a) + 1 == line),
                     None)
            if k is None:
                raise LedgerError(f"{f}:{line}: cannot find the {name} table to edit; "
                                  "nothing removed")
            n, a, b = tops[k]
            idx = sum(1 for m, _, _ in tops[:k] if m == n)
            if name == "document":
                cut.append((a, b))
                doc_k = idx
            else:
                subs = [(sa, sb) for sn, sa, sb in spans if sn == "entry.source" and a <= sa < b]
                for sa, sb in subs:
                    try:
                        cited = tomllib.loads("[[entry]]\n" + text[sa:sb])["entry"][0]
                        cited = cited["source"][0].get("doc")
                    except (tomllib.TOMLDecodeError, KeyError, IndexError):
                        cited = None     # the check after the edit refuses what this misses
                    if cited == doc_id:
                        cut.append((sa, sb))
        new_text = remove_tables(text, cut)
        if _INLINE_SOURCE.search(new_text):    # ``source = [{…}, …]`` as cite writes it
            new_text = _without_inline_citations(new_text, doc_id)
        new = bom + new_text.encode("utf-8")

        def expect(data, doc_k=doc_k):
            for e in data.get("entry", []):
                had = e.get("source")
                if isinstance(had, dict) and had.get("doc") == doc_id:
                    del e["source"]
                elif isinstance(had, list):
                    kept = [c for c in had if not (isinstance(c, dict) and c.get("doc") == doc_id)]
                    if kept:
                        e["source"] = kept
                    else:
                        del e["source"]
            if doc_k is not None:
                del data["document"][doc_k]
                if not data["document"]:
                    del data["document"]
        checked_edit(f, old, new, expect)
        edits[f] = (old, new)
    folder = Path(archive) if archive is not None else ledger_archive(root, journal.options)
    files, kept = [], []
    if folder.is_dir():
        # another record may spell the same file differently ("./x", "X" on a
        # case-insensitive disk, a hard link): the file itself is compared
        others = {_file_id(folder / r): d.id for d in journal.documents.values()
                  if d.id != doc_id for r in (d.path, d.text) if r}
        others.pop(None, None)
        for rel, digest in ((doc.path or "", doc.sha256), (doc.text or "", doc.text_sha256)):
            if not rel:
                continue
            p = folder / rel
            try:
                confine(p, folder, what="archived document")
            except LedgerError:      # never delete outside the archive
                kept.append((p, "it is not inside the archive (its path or a link leads out)"))
                continue
            if p.is_symlink():
                kept.append((p, "it is a symbolic link, not the archived file"))
                continue
            if not p.is_file():
                if os.path.lexists(p):
                    kept.append((p, "it is not a regular file"))
                continue             # gone already: nothing to keep
            try:
                digest_now = sha256_file(p, inside=folder)
            except UnsafeFile as err:   # over the size cap, changed meanwhile
                digest_now, why = None, err.reason
            except OSError as err:
                digest_now, why = None, err.strerror or str(err)
            if _file_id(p) in others:
                kept.append((p, f"document {others[_file_id(p)]!r} uses it too"))
            elif root.is_dir() and read_as_journal(p, root):
                kept.append((p, "the ledger reads it as one of its files"))
            elif read_only(os.lstat(p)):
                kept.append((p, "it is read-only"))
            elif digest_now is None:
                kept.append((p, f"cannot hash it: {why}"))
            elif digest_now != (digest or "").lower():
                kept.append((p, "its SHA-256 is not the one the document records"))
            else:
                files.append(p)
        if sharing is not None and files:
            held = _recorded_elsewhere(files, root, sharing)
            kept += [(p, held[p]) for p in files if p in held]
            files = [p for p in files if p not in held]
    # the citing files first, the declaring one last: a kill between two
    # renames leaves a document no entry cites, never a citation of nothing
    write_edits(root, dict(sorted(edits.items(), key=lambda fe: fe[0] == Path(doc.file))),
                dry_run=dry_run)
    if not dry_run:
        for p in files:
            p.unlink(missing_ok=True)
    return Removed(doc, tuple(files), tuple((c.entry, c.quote) for c in citing), tuple(kept))


def _recorded_elsewhere(files: list[Path], root: Path, sharing: Sharing) -> dict[Path, str]:
    """Why each of the archived ``files`` that stays for another ledger whose
    archive may hold it (``sharing``) stays: a document it records is that
    file (compared as a file, however spelled); when one cannot be read to
    tell, every file stays.  Each such ledger is read once, and the files of
    ``root`` itself never (a folder holding two one-file ledgers reads
    both; a ledger folder above may read ``root``'s files as its own)."""
    mine = {real_path(f) for f in journal_files(root)}
    target = {_file_id(p): p for p in files}
    why: dict[Path, str] = {}
    for other in sharing(files, mine | {real_path(root)}):
        try:
            documents, folder = _records_of(other)
        except LedgerError:
            unread = f"the ledger {other} may record it too and cannot be read to tell"
            return {p: why.get(p, unread) for p in files}
        if folder is None or not folder.is_dir():
            continue
        shelf = Archive(folder)
        for d in documents:
            if d.file and real_path(Path(d.file)) in mine:
                continue
            for q in (shelf.path_of(d), shelf.rendering_of(d) or rendering_path(shelf.path_of(d))):
                if (p := target.get(_file_id(q))) is not None and p not in why:
                    why[p] = f"another ledger records it too (document {d.id!r} in {d.file or other})"
        if len(why) == len(files):
            break
    return why


def _records_of(ledger: Path) -> tuple[list[Document], Path | None]:
    """The documents ``ledger`` records and its own archive folder; a
    ``LedgerError`` when a file of it cannot be read (a journal not TOML,
    a documents table not readable) or its archive option is refused."""
    if ledger.is_file() and ledger.suffix.lower() != ".toml":    # a bulk table: its documents table
        found, problems = read_documents(ledger)
        if any(x.severity == "error" for x in problems):
            raise LedgerError(f"{ledger}: its documents table cannot be read")
        return list((found or {}).values()), ledger.parent / DEFAULT_ARCHIVE
    documents, options = _journal_tables(ledger, strict=True)
    return list(documents.values()), ledger_archive(ledger, options)


def _file_id(p: Path) -> tuple[int, int] | None:
    """The (device, inode) of the file at ``p``, None when there is none."""
    try:
        st = os.stat(p)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


class _Cited(NamedTuple):
    """A citation of a document: its entry's id, file and line, its quote."""
    entry: str
    file: str
    line: int
    quote: str


def _citations_of(book: Book, doc_id: str) -> list[_Cited]:
    """The citations of ``doc_id`` in ``book``, entry by entry and each
    entry's in its order (as its ``Entry`` would list them), read from the
    Book's tables: no ``Entry`` made."""
    t = book.tables
    c = t.citations
    found = sorted(((e, q) for e, d, q in zip(c["entry"].tolist(), c["doc"].astype(object).tolist(),
                                              c["quote"].astype(object).tolist())
                    if str(d) == doc_id), key=lambda x: x[0])   # stable: each entry's in order
    ids, where = t.entries["id"], t.entries["where"]
    out = []
    for e, q in found:
        eid = str(ids.iloc[e])
        file, line = _where_parts(str(where.iloc[e] or ""), eid)
        out.append(_Cited(eid, file, line, str(q or "")))
    return out
_INLINE_SOURCE = re.compile(r"^[ \t]*source[ \t]*[=.]", re.M)


def _without_inline_citations(text: str, doc_id: str) -> str:
    """``text`` without the citations of ``doc_id`` written inline in an
    entry (``source = [{…}, …]``, ``source = {…}``, ``source.doc = …``);
    the file's other bytes as they were (tomlkit keeps them)."""
    import tomlkit
    from tomlkit.items import AoT, Array

    doc = tomlkit.parse(text)
    entries = doc.get("entry")
    if not isinstance(entries, (AoT, list)):
        return text
    changed = False
    for entry in entries:
        had = entry.get("source") if hasattr(entry, "get") else None
        if had is None or isinstance(had, AoT):
            continue           # none, or [[entry.source]] tables: cut as text already
        if isinstance(had, Array):
            gone = [i for i, c in enumerate(had) if hasattr(c, "get") and c.get("doc") == doc_id]
            for i in reversed(gone):
                del had[i]
            if gone and not len(had):
                del entry["source"]
            changed = changed or bool(gone)
        elif hasattr(had, "get") and had.get("doc") == doc_id:
            del entry["source"]
            changed = True
    return tomlkit.dumps(doc) if changed else text


def _refuse_link_out(src: Path, folder: Path) -> None:
    """A file named inside the archive keeps its place there, so it must be
    there: a symbolic link in the archive leading out (to /etc/shadow, say)
    is refused, as the journal refuses a document path leading out."""
    try:
        placed = real_path(src.parent) / src.name      # where it sits, its own link unfollowed
        real_folder = real_path(folder)
    except LedgerError:
        return      # a loop: read_source has refused it already
    if placed.is_relative_to(real_folder):
        confine(src, folder, what="document in the source archive")


def _refuse_read_as_journal(src: Path, target: Path, ledger: Path) -> None:
    """A document archived where the ledger reads journal files (an archive
    that is the ledger folder itself, or named by an option outside
    ``ledger.toml``) would become part of the ledger: refused."""
    if ledger.is_dir() and read_as_journal(target, ledger):
        raise LedgerError(f"{src}: archived as {target} it would be read as part of the ledger "
                          f"{ledger} (a .toml file where the ledger reads its journal files); "
                          "nothing recorded: give the ledger an archive subfolder (archive = "
                          f'"{DEFAULT_ARCHIVE}" in its ledger.toml)')


def read_as_journal(target: Path, ledger: Path) -> bool:
    """Whether the ledger folder ``ledger`` reads ``target`` as one of its
    files (journal, sources.toml, ledger.toml): the rule of ``sources add``,
    ``sources remove`` and the importers' archive copies."""
    try:
        rel = real_path(target).relative_to(real_path(ledger))
    except ValueError:
        return False
    return unread_reason(rel.parts, archive_parts(ledger)) is None


def _refuse_archive_link_out(folder: Path, ledger: Path | None) -> None:
    """An archive folder named inside the ledger folder must resolve inside
    it (a link there leading out would take the copies out)."""
    if ledger is not None and Path(os.path.abspath(folder)).is_relative_to(
            Path(os.path.abspath(ledger))):
        confine(folder, ledger, what="source archive folder")


def _open_archive(folder: Path, ledger: Path | None) -> int:
    """A descriptor of the archive ``folder`` (made if missing), opened from
    ``/`` with O_NOFOLLOW at every step.  An archive named inside the ledger
    must resolve inside it; after opening, the folder its path names now must
    be the one opened (same device and inode), else it was swapped meanwhile."""
    real = real_path(folder)
    if ledger is not None and Path(os.path.abspath(folder)).is_relative_to(
            Path(os.path.abspath(ledger))):
        root = real_path(ledger)
        if real != root and not real.is_relative_to(root):
            raise LedgerError(f"source archive folder {folder}: resolves to {real}, outside "
                              f"the ledger {ledger}; ledger-tool does not write there")
    try:
        fd = open_folder(real, create=True)
    except OSError as err:
        raise LedgerError(f"source archive folder {folder}: cannot open it: "
                          f"{err.strerror or err}") from None
    try:
        opened = os.fstat(fd)
        try:
            now = os.stat(folder)
        except OSError:
            now = None
        if now is None or (now.st_dev, now.st_ino) != (opened.st_dev, opened.st_ino):
            raise LedgerError(f"source archive folder {folder}: it changed while being "
                              f"opened (a symbolic link swapped in?); nothing written")
    except BaseException:
        os.close(fd)
        raise
    return fd


def _copy_in(src: Path, afd: int, name: str, target: Path, folder: Path) -> None:
    """``src`` copied to ``name`` below the open archive folder ``afd`` (never
    through a link); errors name the user's file."""
    try:
        write_atomic_at(afd, name, read_bytes(src, what="document"), shown=target)
    except OSError as err:
        raise LedgerError(f"{src}: cannot copy it into the archive {folder}: "
                          f"{err.strerror or err}") from None


def _read_archived(path: Path, folder: Path) -> bytes:
    return read_bytes(path, inside=folder, what="document")


def _toml_check(text: str, out: Path) -> None:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:  # pragma: no cover - defensive
        raise LedgerError(f"{out}: adding the document would make invalid TOML ({err})") from None


def document_rows(book: Book, archive: Archive | None = None) -> list[dict]:
    """One row per document ``book`` declares: metadata, how many of its
    citations use it (its citations table's: no ``Entry`` made), and (with
    an archive) whether its file is there and unchanged."""
    cites = Counter(str(d) for d in book.tables.citations["doc"].astype(object).tolist())
    rows = []
    for d in sorted(book.documents.values(), key=lambda d: (d.published or dt.date.min, d.id)):
        row = {"id": d.id, "published": d.published, "publisher": d.publisher,
               "title": d.title, "path": d.path, "citations": cites.get(d.id, 0),
               "sha256": d.sha256[:12]}
        if archive is not None:
            p = archive.path_of(d)
            try:   # the hash is read only from a regular file inside the archive
                check_file(p, inside=archive.folder, what="document")
            except UnsafeFile as err:
                row["file"] = ("MISSING" if not (p.exists() or p.is_symlink())
                               else "REFUSED: " + err.reason)
            else:
                row["file"] = ("no hash recorded" if not d.sha256 else
                               "ok" if sha256_file(p, archive.folder) == d.sha256.lower()
                               else "CHANGED")
        rows.append(row)
    return rows
