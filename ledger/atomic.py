"""Every file ledger-tool writes goes through ``atomic_file`` (docs/guarantees.md).

- Atomic: the bytes go to a new temporary file beside the target, are
  fsynced, and the file is renamed over the target; a failed, killed or
  interrupted command leaves the target as it was and no temporary file.
- Never through a symbolic link that leads out: the target's folder is
  resolved once, then opened component by component from ``/`` with
  ``O_NOFOLLOW`` (a link planted in the path meanwhile is refused, not
  followed); the temporary file is made with ``O_CREAT|O_EXCL|O_NOFOLLOW``
  relative to that folder's descriptor and renamed with it.  A target that is
  itself a link is written through only to an existing file inside ``inside``
  (the ledger, its archive; by default the link's own folder): a dangling
  link, a loop or a link leading out is refused in one line.
- Temporary names stay under 255 bytes however long the target's name is;
  errors name the user's file, never the temporary one.
- One writer per ledger (``ledger_lock``): a command that edits a ledger holds
  an exclusive lock on it from reading it until its last rename, so two edits
  at once cannot both read the old file and the second rename drop the first.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import io
import json
import os
import re
import secrets
import signal
import stat
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ledger.errors import LedgerError

__all__ = ["atomic_file", "atomic_file_at", "write_atomic", "write_atomic_at", "write_new",
           "write_all_atomic", "PartlyWritten", "leftovers",
           "unlink_at", "open_folder", "real_path", "temp_name", "ctrl_c_held", "UnsafeWrite",
           "write_manifest", "manifest_mismatch", "remove_listed", "MANIFEST",
           "ledger_lock", "folder_name_lock", "LOCK_WAIT", "read_only"]

NAME_MAX = 255


class UnsafeWrite(LedgerError):
    """A write refused: a link leading out, dangling or looping; a path that
    changed while being written."""

    def __init__(self, path, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")


def _fit(stem: str, tail: str) -> str:
    """``stem + tail``, the stem cut so the name stays within NAME_MAX bytes."""
    room = NAME_MAX - len(tail.encode())
    return stem.encode("utf-8", "surrogateescape")[:room].decode("utf-8", "ignore") + tail


def temp_name(name: str, suffix: str = ".tmp", token: str | None = None) -> str:
    """A hidden name for a temporary file or folder beside ``name``: unique
    (``token``: 8 hex digits of the caller's instead of random ones), and
    under NAME_MAX bytes however long ``name`` is."""
    return _fit("." + name, f".{token or secrets.token_hex(4)}{suffix}")


def _file_token(st: os.stat_result) -> str:
    """8 hex digits naming one version of a file (its inode and mtime): an
    ``.old`` backup carries its replacement's, so ``leftovers`` can tell
    whether NAME is still the file that replaced it."""
    return hashlib.blake2b(f"{st.st_ino}:{st.st_mtime_ns}".encode(), digest_size=4).hexdigest()


def real_path(path: str | os.PathLike) -> Path:
    """``path`` absolute with every symbolic link resolved (missing tail
    components kept); ``UnsafeWrite`` for a link loop."""
    p = Path(os.path.abspath(path))
    try:
        return p.resolve()
    except (RuntimeError, OSError) as err:   # 3.11: RuntimeError("Symlink loop")
        raise UnsafeWrite(path, f"a symbolic-link loop ({getattr(err, 'strerror', None) or err})"
                          ) from None


def _refuse_dangling(p: Path) -> None:
    """A link in ``p`` (any component) whose target does not exist would make
    the write create that target, wherever it is."""
    for q in (p, *p.parents):
        if q.is_symlink() and not q.exists():
            real_path(q)   # a loop says so
            raise UnsafeWrite(q, f"a symbolic link to {os.readlink(q)!r}, which does not "
                                 f"exist; ledger-tool does not write through it")


def _within(p: Path, root: Path) -> bool:
    return p == root or p.is_relative_to(root)


def _target(path: Path, inside) -> tuple[Path, str]:
    """(the real folder to write in, the file name in it)."""
    p = Path(os.path.abspath(path))
    if p.name in ("", ".", ".."):
        raise UnsafeWrite(path, "not a file name")
    _refuse_dangling(p)
    if p.is_symlink():
        real = real_path(p)
        bound = real_path(inside) if inside is not None else real_path(p.parent)
        if not _within(real, bound):
            raise UnsafeWrite(path, f"a symbolic link to {real}, outside {bound}; "
                                    f"ledger-tool does not write through it")
        if not real.is_file():
            raise UnsafeWrite(path, f"a symbolic link to {real}, not a file")
        p = real
    return _folder_of(p, inside), p.name


def _folder_of(path: Path, inside) -> Path:
    """The real folder a new file ``path`` goes in (no link in it leads out
    of ``inside``, none dangles)."""
    p = Path(os.path.abspath(path))
    _refuse_dangling(p.parent)
    folder = real_path(p.parent)
    if inside is not None and not _within(folder, real_path(inside)):
        raise UnsafeWrite(path, f"resolves to {folder / p.name}, outside {inside}; "
                                f"ledger-tool does not write there")
    return folder


def open_folder(folder: str | os.PathLike, *, create: bool = False,
                mode: int = 0o777) -> int:
    """A descriptor of the real folder ``folder`` (no link in it: see
    ``real_path``), opened from ``/`` one component at a time with
    O_NOFOLLOW, so a link swapped in meanwhile is refused; missing folders
    are made (``mode``, less the umask) when ``create``."""
    parts = Path(folder).parts
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(parts[0], flags)
    try:
        for part in parts[1:]:
            try:
                nxt = os.open(part, flags, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, mode, dir_fd=fd)
                nxt = os.open(part, flags, dir_fd=fd)
            except OSError as err:
                if err.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise UnsafeWrite(folder, f"{part!r} is not a folder or became a symbolic "
                                              f"link; ledger-tool does not write through it"
                                      ) from None
                raise
            os.close(fd)
            fd = nxt
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextlib.contextmanager
def ctrl_c_held():
    """Ctrl-C (SIGINT) held back in the block and raised as it ends: a
    folder made there and the name it is kept under, or a child forked there
    and its handle, come into being together, so the clean-up that a
    KeyboardInterrupt runs always knows them.  Held by Python's own handler,
    not the signal mask: the kernel may hand the signal to any thread (a
    thread pool's), whose C handler would still interrupt the block.  A no-op
    outside the main thread.  SIGTERM too, where Python handles it (an
    import making it stop as Ctrl-C does): its handler runs as the block ends."""
    got: list[int] = []
    try:
        old = signal.signal(signal.SIGINT, lambda signum, frame: got.append(signum))
    except (ValueError, OSError):   # not the main thread: signals are not ours to hold
        yield got
        return
    term = signal.getsignal(signal.SIGTERM)
    if callable(term):
        signal.signal(signal.SIGTERM, lambda signum, frame: got.append(signum))
    try:
        yield got       # the block may look, and clear it to act on Ctrl-C itself
    finally:
        signal.signal(signal.SIGINT, old)
        if callable(term):
            signal.signal(signal.SIGTERM, term)
            if signal.SIGTERM in got:
                term(signal.SIGTERM, None)
        if signal.SIGINT in got and old is not signal.SIG_IGN:
            if callable(old):
                old(signal.SIGINT, None)     # Python's default: raises KeyboardInterrupt
            else:
                raise KeyboardInterrupt


LOCK_WAIT = 120.0        # seconds a second writer waits for the first
_held: dict[tuple[int, int], int] = {}    # (device, inode) of a folder locked here: depth


def _say_waiting(ledger) -> None:
    print(f"ledger-tool: {ledger}: another ledger-tool command is writing this ledger; "
          "waiting for it to finish", file=sys.stderr, flush=True)


@contextlib.contextmanager
def ledger_lock(ledger: str | os.PathLike, *, wait: float | None = None,
                waiting: Callable[[str | os.PathLike], None] = _say_waiting) -> Iterator[None]:
    """Hold the ledger's write lock: an exclusive ``flock`` on the ledger's
    folder (a one-file ledger: the folder holding it) itself, so the lock
    leaves no file behind and none the reader could take for a journal.
    Another process holding it is waited for (``waiting`` is told after a
    moment) up to ``wait`` seconds (default ``LOCK_WAIT``), then refused with
    a ``LedgerError``.  Held again within one process, it is simply kept.
    A file system that cannot lock (some network mounts) gets one warning
    and the write goes ahead, as before locks.  Writers also lock the
    folder of each file they rewrite (``ledger.edit.writing``), so two
    commands naming one file through different ledgers still take turns."""
    path = Path(ledger)
    folder = path if path.is_dir() else Path(os.path.abspath(path)).parent
    try:
        fd = os.open(real_path(folder), os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise LedgerError(f"{ledger}: cannot open the ledger's folder to lock it: "
                          f"{err.strerror or err}") from None
    with _holding(fd, ledger, wait, waiting):
        yield


@contextlib.contextmanager
def folder_name_lock(folder: str | os.PathLike, *, wait: float | None = None,
                     waiting: Callable[[str | os.PathLike], None] = _say_waiting
                     ) -> Iterator[None]:
    """An exclusive lock on the real path ``folder`` names, whether the folder
    exists or not: a file named by the path's digest in this user's lock
    folder (``LOCK_DIR``), so two commands writing into a folder neither has
    made yet, or one made it meanwhile, still contend.  Waits as
    ``ledger_lock``.  A lock folder that cannot be used (another user's, a
    stale ``XDG_RUNTIME_DIR``) gets one warning and the write goes ahead."""
    key = hashlib.sha256(os.fsencode(str(real_path(folder)))).hexdigest()
    base = Path(os.environ.get("XDG_RUNTIME_DIR") or "/tmp") / f"ledger-tool-locks-{os.getuid()}"
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        with contextlib.suppress(FileExistsError):
            os.mkdir(base, 0o700)
        st = os.lstat(base)
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
            raise OSError(errno.EPERM, f"{base} is not this user's folder")
        fd = os.open(base / key, flags, 0o600)
    except OSError as err:
        # the folders' own locks still hold; only a folder made meanwhile by
        # another command goes unguarded, as on a file system that cannot lock
        print(f"ledger-tool: warning: {folder}: cannot use the lock folder "
              f"({err.strerror or err}); another command making this folder at the same "
              "time could undo this one", file=sys.stderr)
        yield
        return
    with _holding(fd, folder, wait, waiting):
        yield


@contextlib.contextmanager
def _holding(fd: int, ledger, wait: float | None,
             waiting: Callable[[str | os.PathLike], None]) -> Iterator[None]:
    """``flock`` ``fd`` (closed after), waiting as ``ledger_lock`` says."""
    try:
        st = os.fstat(fd)
        key = (st.st_dev, st.st_ino)
        if key in _held:             # this process holds it already (a nested edit)
            _held[key] += 1
            try:
                yield
            finally:
                _held[key] -= 1
            return
        limit = LOCK_WAIT if wait is None else wait
        start = time.monotonic()
        told = locked = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = True
                break
            except BlockingIOError:
                pass
            except OSError as err:
                print(f"ledger-tool: warning: {ledger}: cannot lock the ledger's folder "
                      f"({err.strerror or err}); another command writing it at the same "
                      "time could undo this one", file=sys.stderr)
                break
            waited = time.monotonic() - start
            if waited >= limit:
                raise LedgerError(f"{ledger}: another ledger-tool command has been writing this "
                                  f"ledger for over {limit:g} s; nothing written, run the "
                                  "command again when it has finished")
            if not told and waited >= 0.5:
                waiting(ledger)
                told = True
            time.sleep(0.05)
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
            if locked:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_only(st: os.stat_result) -> bool:
    """Whether the file of ``st`` is one its user may not write, by its mode
    bits (a rename over it needs only the folder's permission, and root's
    access ignores the bits: a file chmod'ed 444 is read-only even for root)."""
    if os.geteuid() == 0:
        return not st.st_mode & 0o222
    if st.st_uid == os.geteuid():
        return not st.st_mode & 0o200
    if st.st_gid == os.getegid() or st.st_gid in os.getgroups():
        return not st.st_mode & 0o020
    return not st.st_mode & 0o002


def _mode_of_existing(dfd: int, name: str, shown) -> int | None:
    """The mode bits of the file ``name`` in ``dfd`` (None when there is
    none); ``UnsafeWrite`` when it is read-only: never replaced."""
    try:
        st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
    except FileNotFoundError:
        return None
    if read_only(st):
        raise UnsafeWrite(shown, f"read-only (mode {st.st_mode & 0o7777:04o}): ledger-tool "
                                 "does not replace it; make it writable to change it")
    return st.st_mode & 0o7777


def _as_user_error(err: OSError, path) -> OSError:
    """The same error naming the user's file, not a temporary one."""
    return OSError(err.errno, err.strerror or str(err), str(path))


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike, *, inside: str | os.PathLike | None = None,
                mode: int | None = None, folder_mode: int = 0o777, text: bool = False,
                encoding: str = "utf-8", newline: str | None = ""):
    """Yield a file object (binary; ``text``: a text stream with
    ``encoding``/``newline``) for the new content of ``path``; on success it
    is fsynced and renamed over ``path``, else removed (``path`` as it was).

    ``inside``: the folder the write must stay in (the ledger, its archive);
    ``mode``: the file's mode (default: the existing file's, else 0666 less
    the umask); ``folder_mode``: for missing parent folders, made here.
    Raises ``UnsafeWrite`` (a ``LedgerError``) for a link or path leading
    out, and ``OSError`` naming ``path`` when the system refuses."""
    shown = path
    folder, name = _target(Path(path), inside)
    try:
        dfd = open_folder(folder, create=True, mode=folder_mode)
    except OSError as err:
        raise _as_user_error(err, shown) from None
    try:
        with _replaced_in(dfd, name, shown, mode, text, encoding, newline) as out:
            yield out
    finally:
        os.close(dfd)


@contextlib.contextmanager
def atomic_file_at(dfd: int, name: str, *, shown: str | os.PathLike | None = None,
                   mode: int | None = None, text: bool = False, encoding: str = "utf-8",
                   newline: str | None = ""):
    """``atomic_file`` for ``name``, a relative POSIX path below the open
    folder ``dfd``: its folders are opened (made if missing) with O_NOFOLLOW
    from ``dfd``, so the write stays below that folder whatever links are
    planted or swapped in meanwhile.  Errors name ``shown`` (default ``name``)."""
    shown = name if shown is None else shown
    *folders, leaf = name.split("/")
    if any(part in ("", ".", "..") for part in (*folders, leaf)):
        raise UnsafeWrite(shown, "not a plain path below its folder")
    try:
        sub = _open_sub(dfd, folders, create=True)
    except OSError as err:
        if err.errno in (errno.ELOOP, errno.ENOTDIR):
            raise UnsafeWrite(shown, "a folder on the way is a symbolic link or not a "
                                     "folder; ledger-tool does not write through it") from None
        raise _as_user_error(err, shown) from None
    try:
        with _replaced_in(sub, leaf, shown, mode, text, encoding, newline) as out:
            yield out
    finally:
        if sub != dfd:
            os.close(sub)


@contextlib.contextmanager
def _replaced_in(dfd: int, name: str, shown, mode: int | None, text: bool, encoding: str,
                 newline: str | None):
    """The new content of the file ``name`` in the open folder ``dfd``: a
    temporary file made there (O_EXCL, O_NOFOLLOW), fsynced and renamed over
    ``name`` on success, removed otherwise."""
    tmp = None
    try:
        had = _mode_of_existing(dfd, name, shown)
        if mode is None:
            mode = had if had is not None else 0o666 & ~_umask()
        for _ in range(100):
            tmp = temp_name(name)
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                             | getattr(os, "O_CLOEXEC", 0), 0o600, dir_fd=dfd)
                break
            except FileExistsError:
                continue
        else:
            raise FileExistsError(errno.EEXIST, "no free temporary name", str(shown))
        fh = os.fdopen(fd, "wb")
        os.fchmod(fd, mode)
        out = io.TextIOWrapper(fh, encoding=encoding, newline=newline) if text else fh
        try:
            yield out
            out.flush()
            os.fsync(fd)
        finally:
            out.close()
        os.replace(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
        tmp = None
        with contextlib.suppress(OSError):
            os.fsync(dfd)
    except OSError as err:
        if getattr(err, "filename", None) not in (None, tmp, name):
            raise   # the caller's own error (reading another file, say)
        raise _as_user_error(err, shown) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=dfd)


def write_atomic(path: str | os.PathLike, data: str | bytes, encoding: str = "utf-8", *,
                 inside: str | os.PathLike | None = None, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through ``atomic_file``."""
    if isinstance(data, str):
        data = data.encode(encoding)
    with atomic_file(path, inside=inside, mode=mode) as fh:
        fh.write(data)


def write_atomic_at(dfd: int, name: str, data: str | bytes, encoding: str = "utf-8", *,
                    shown: str | os.PathLike | None = None, mode: int | None = None) -> None:
    """Write ``data`` to ``name`` below the open folder ``dfd`` through
    ``atomic_file_at``."""
    if isinstance(data, str):
        data = data.encode(encoding)
    with atomic_file_at(dfd, name, shown=shown, mode=mode) as fh:
        fh.write(data)


class PartlyWritten(LedgerError):
    """Several files were to be written all or none, a rename failed and some
    already renamed could not be put back: which are new and which are not."""


def _refuse_same_file(files) -> None:
    """Two keys naming one file (spelt differently, through a link, or hard
    links of one file) would both be renamed over it and the last win."""
    seen: dict[Any, Any] = {}
    for path in files:
        real = real_path(path)
        keys: list[Any] = [real]
        with contextlib.suppress(OSError):
            st = os.stat(real)
            keys.append((st.st_dev, st.st_ino))
        for key in keys:
            if key in seen:
                raise LedgerError(f"{path}: the same file as {seen[key]}, given twice to one "
                                  f"write; nothing written")
        for key in keys:
            seen[key] = path


def write_all_atomic(files: Mapping[str | os.PathLike, bytes], *,
                     inside: str | os.PathLike | Mapping | None = None) -> None:
    """Write several files all or none (an edit of several journal files).
    Every new file is staged first, each a temporary file beside its target,
    fsynced, and the old file given a second (hidden) name; only when all are
    staged are they renamed over their targets, Ctrl-C held meanwhile.  A
    failure while staging (a full disk, a refused path) removes the temporary
    files and leaves every target byte for byte; a rename that fails (or any
    interruption) puts back those already made from their second names.
    Where one cannot be put back (no hard links on that file system), a
    ``PartlyWritten`` names the files written and those not, and a second
    name still holding an old file is kept and named.  Two keys naming one
    file are refused (``LedgerError``) before anything is written.  Errors
    name the user's file, as ``atomic_file``'s; ``inside`` as there, or a
    mapping giving each file's (a file not in it: None)."""
    _refuse_same_file(files)
    staged: list[dict[str, Any]] = []    # per file: dfd, name, tmp, old (second name), shown
    try:
        for path, data in files.items():
            bound = inside.get(path) if isinstance(inside, Mapping) else inside
            folder, name = _target(Path(path), bound)
            try:
                one: dict[str, Any] = {"dfd": open_folder(folder, create=True), "name": name,
                                       "tmp": None, "old": None, "shown": path, "new": False}
                staged.append(one)
                dfd = one["dfd"]
                had = _mode_of_existing(dfd, name, path)
                if had is None:
                    mode, one["new"] = 0o666 & ~_umask(), True
                else:
                    mode = had
                tmp = temp_name(name)
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                             | getattr(os, "O_CLOEXEC", 0), 0o600, dir_fd=dfd)
                one["tmp"] = tmp
                with os.fdopen(fd, "wb") as fh:
                    os.fchmod(fd, mode)
                    fh.write(data)
                    fh.flush()
                    os.fsync(fd)
                    version = _file_token(os.fstat(fd))
                if not one["new"]:
                    old = temp_name(name, ".old", version)
                    try:
                        os.link(name, old, src_dir_fd=dfd, dst_dir_fd=dfd, follow_symlinks=False)
                        one["old"] = old
                    except OSError as err:   # no hard links here: no way back after a rename
                        if err.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK):
                            raise
            except OSError as err:
                raise _as_user_error(err, path) from None
        done: list[dict[str, Any]] = []
        # new files first: a kill between two renames leaves a new file (a
        # journal declaring documents) that nothing cites yet, never an edited
        # one citing what is not there; the rest in the caller's order
        # (declarations before the files citing them)
        order = sorted(staged, key=lambda one: not one["new"])
        # Ctrl-C between two renames would leave half an edit: held, then all undone
        with ctrl_c_held() as pressed:
            for one in order:
                try:
                    if pressed:
                        raise KeyboardInterrupt
                    os.replace(one["tmp"], one["name"], src_dir_fd=one["dfd"],
                               dst_dir_fd=one["dfd"])
                except BaseException as err:
                    pressed.clear()
                    _put_back(done, staged, one, err)
                    if isinstance(err, OSError):
                        raise _as_user_error(err, one["shown"]) from None
                    raise
                one["tmp"] = None
                done.append(one)
            if pressed:      # during the last rename: undone too
                pressed.clear()
                _put_back(done, staged, None, KeyboardInterrupt())
                raise KeyboardInterrupt
        for one in staged:
            with contextlib.suppress(OSError):
                os.fsync(one["dfd"])
    finally:
        for one in staged:
            for left in (one["tmp"], one["old"]):
                if left is not None and not one.get("kept"):
                    with contextlib.suppress(OSError):
                        os.unlink(left, dir_fd=one["dfd"])
            os.close(one["dfd"])


def _put_back(done: list[dict[str, Any]], staged: list[dict[str, Any]],
              failed: dict[str, Any] | None, err: BaseException) -> None:
    """Undo the renames in ``done`` (``write_all_atomic``); raise
    ``PartlyWritten`` when some cannot be undone."""
    stuck = []
    for back in reversed(done):
        try:
            if back["old"] is not None:
                os.replace(back["old"], back["name"], src_dir_fd=back["dfd"],
                           dst_dir_fd=back["dfd"])
                back["old"] = None
            elif back["new"]:
                os.unlink(back["name"], dir_fd=back["dfd"])
            else:
                stuck.append(back)
        except OSError:
            back["kept"] = back["old"] is not None
            stuck.append(back)
    if not stuck:
        return
    written = [str(b["shown"]) for b in reversed(stuck)]
    unwritten = [str(o["shown"]) for o in staged if o not in stuck]
    why = (getattr(err, "strerror", None) or str(err)) if isinstance(err, OSError) \
        else "interrupted"
    olds = [f"{Path(b['shown']).parent / b['old']}" for b in stuck if b.get("kept")]
    raise PartlyWritten(
        f"{failed['shown'] if failed else written[0]}: cannot write ({why}); written: {', '.join(written)}; "
        f"not written: {', '.join(unwritten)}; the written ones could not be put back"
        + (f" (their old versions are kept as {', '.join(olds)})" if olds else
           " (this file system keeps no second name to restore them from)")
        + "; check the ledger before using it") from None


_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?P<token>[0-9a-f]{8})\.(?P<kind>tmp|old)")


def leftovers(folder: str | os.PathLike) -> list[str]:
    """One line per file a killed write left in ``folder`` (``.NAME.xxxxxxxx.tmp``,
    the new NAME never put in place; ``.NAME.xxxxxxxx.old``, NAME's second
    name from ``write_all_atomic``), saying what it holds and what to do.
    Never removed or renamed here (nor by any write): an ``.old`` may be the
    only copy of a file as it was."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    said = []
    for n in names:
        m = _LEFTOVER.fullmatch(n)
        if not m:
            continue
        left, target = Path(folder) / n, Path(folder) / m["name"]
        with contextlib.suppress(OSError):
            if not stat.S_ISREG(os.lstat(left).st_mode):
                continue
        if m["kind"] == "tmp":
            said.append(f"{left}: the new {target.name} of a write that was interrupted, never "
                        f"put in place; remove it")
            continue
        try:
            same = os.path.samefile(left, target)
        except OSError:
            same = False
        if same:
            said.append(f"{left}: a second name of {target.name} left by an interrupted write, "
                        f"the same file; remove it")
        elif not _still_replacing(m["token"], target):
            said.append(f"{left}: {target.name} as it was before a write that was interrupted; "
                        f"{target.name} has changed since (written again, or copied): compare "
                        f"before restoring (restoring would undo any later write)")
        else:
            said.append(f"{left}: {target.name} as it was before a write that was interrupted "
                        f"after replacing it; if the ledger's other files were not written, "
                        f"put it back (mv {left} {target}), else remove it")
    return said


def _still_replacing(token: str, target: Path) -> bool:
    """Is ``target`` still the file whose write left the ``.old`` named with
    ``token``?  Anything else (a later write, a copy, a missing file) is
    "no": restoring the backup could undo a later write."""
    try:
        return _file_token(os.stat(target)) == token
    except OSError:
        return False


def write_new(path: str | os.PathLike, data: str | bytes, encoding: str = "utf-8", *,
              inside: str | os.PathLike | None = None, mode: int = 0o666,
              numbered: bool = True) -> Path:
    """Write ``data`` to a file that does not exist yet: ``path``, or when it
    exists ``stem-2.suffix``, ``stem-3.suffix``, ... (``numbered=False``:
    FileExistsError instead); never replaces a file.  ``mode``: less the umask.
    Atomic: the complete file appears under its name by a hard link (which
    fails rather than replace), so two runs at once cannot take one name.
    Returns the path written."""
    path = Path(path)
    if isinstance(data, str):
        data = data.encode(encoding)
    folder = _folder_of(path, inside)
    dfd = open_folder(folder, create=True)
    tmp = temp_name(path.name)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                     | getattr(os, "O_CLOEXEC", 0), mode, dir_fd=dfd)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        for n in range(1, 10_000 if numbered else 2):
            cand = path.name if n == 1 else _fit(path.stem, f"-{n}{path.suffix}")
            try:
                os.link(tmp, cand, src_dir_fd=dfd, dst_dir_fd=dfd, follow_symlinks=False)
            except FileExistsError:
                continue
            with contextlib.suppress(OSError):
                os.fsync(dfd)
            return path.with_name(cand)
        raise FileExistsError(errno.EEXIST, "no free name after 10,000 tries" if numbered
                              else "exists", str(path))
    except OSError as err:
        raise _as_user_error(err, path) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=dfd)
        os.close(dfd)


# ------------------------------------------------------------ output folders
# A folder command (``report --out DIR``) writes a manifest listing what it
# wrote; ``--force`` replaces the folder only while the manifest matches what
# is there, and then deletes only the files it lists.
MANIFEST = "report-manifest.json"
MANIFEST_KIND = "ledger-tool report"


def _file_digest(name: str, dfd: int) -> tuple[int, str]:
    """Size and SHA-256 of the regular file ``name`` (a relative POSIX path:
    its folders are opened with O_NOFOLLOW from ``dfd``)."""
    *folders, leaf = name.split("/")
    sub = _open_sub(dfd, folders)
    try:
        fd = os.open(leaf, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_CLOEXEC", 0), dir_fd=sub)
    finally:
        if sub != dfd:
            os.close(sub)
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", name)
        os.set_blocking(fd, True)
        h = hashlib.sha256()
        size = 0
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return size, h.hexdigest()


def _open_sub(dfd: int, folders, create: bool = False) -> int:
    """A descriptor of the subfolder ``folders`` of ``dfd`` (``dfd`` itself
    for none), each step O_NOFOLLOW: a link in its place is refused; missing
    folders are made when ``create``."""
    fd = dfd
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    for part in folders:
        try:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o777, dir_fd=fd)
            nxt = os.open(part, flags, dir_fd=fd)
        finally:
            if fd != dfd:
                os.close(fd)
        fd = nxt
    return fd


def _in_sub(dfd: int, name: str, op) -> None:
    """``op(leaf, dir_fd=…)`` on the relative path ``name`` below ``dfd``,
    its folders opened without following links."""
    *folders, leaf = name.split("/")
    sub = _open_sub(dfd, folders)
    try:
        op(leaf, dir_fd=sub)
    finally:
        if sub != dfd:
            os.close(sub)


def unlink_at(dfd: int, name: str) -> None:
    """Remove the file ``name`` (a relative POSIX path) below the open folder
    ``dfd``, its folders opened without following links; gone already is fine."""
    with contextlib.suppress(FileNotFoundError):
        _in_sub(dfd, name, os.unlink)


def _walk(dfd: int, prefix: str = ""):
    """Every name below ``dfd`` as relative POSIX paths: (path, is a real
    folder); a link is never followed."""
    for name in sorted(os.listdir(dfd)):
        path = prefix + name
        st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
        if stat.S_ISDIR(st.st_mode):
            yield path, True
            sub = _open_sub(dfd, [name])
            try:
                yield from _walk(sub, path + "/")
            finally:
                os.close(sub)
        else:
            yield path, False


def write_manifest(folder: str | os.PathLike, names) -> Path:
    """``folder/report-manifest.json`` listing each file ``names`` (paths
    relative to ``folder``, "/" between folders) with its size and SHA-256."""
    folder = Path(folder)
    dfd = open_folder(real_path(folder))
    try:
        files = {}
        for name in sorted(set(names)):
            size, digest = _file_digest(name, dfd)
            files[name] = {"bytes": size, "sha256": digest}
    finally:
        os.close(dfd)
    text = json.dumps({"written_by": MANIFEST_KIND, "version": 1, "files": files},
                      indent=1, ensure_ascii=False) + "\n"
    write_atomic(folder / MANIFEST, text, inside=folder)
    return folder / MANIFEST


def _listed(dfd: int) -> dict | None:
    try:
        fd = os.open(MANIFEST, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0),
                     dir_fd=dfd)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        raw = fh.read(1 << 20)
    try:
        meta = json.loads(raw)
        files = meta["files"]
        ok = (meta.get("written_by") == MANIFEST_KIND and isinstance(files, dict)
              and all(isinstance(n, str) and n != MANIFEST and isinstance(v, dict)
                      and all(part and not part.startswith(".") for part in n.split("/"))
                      for n, v in files.items()))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return files if ok else None


def manifest_mismatch(folder: str | os.PathLike) -> str | None:
    """None when ``folder`` holds exactly what its manifest lists (files the
    report wrote, unchanged; some may be gone), else why it does not."""
    try:
        dfd = open_folder(real_path(folder))
    except (OSError, LedgerError) as err:
        return f"cannot open it ({getattr(err, 'strerror', None) or err})"
    try:
        files = _listed(dfd)
        if files is None:
            return f"no {MANIFEST} of ledger-tool report in it"
        folders = {n.rsplit("/", 1)[0] for n in files if "/" in n}
        folders |= {f.rsplit("/", k)[0] for f in list(folders) for k in range(1, f.count("/") + 1)}
        for name, is_folder in _walk(dfd):
            if name == MANIFEST:
                continue
            if is_folder:
                if name not in folders:
                    return f"it holds {name!r}, which the report did not write"
                continue
            if name not in files:
                return f"it holds {name!r}, which the report did not write"
            try:
                size, digest = _file_digest(name, dfd)
            except OSError:
                return f"{name!r} is not the regular file the report wrote"
            want = files[name]
            if (size, digest) != (want.get("bytes"), want.get("sha256")):
                return f"{name!r} changed since the report wrote it"
        for name in (*files, MANIFEST):
            why = _read_only_at(dfd, name)
            if why:
                return why
        return None
    finally:
        os.close(dfd)


def _read_only_at(dfd: int, name: str) -> str | None:
    """Why the file ``name`` below ``dfd`` is never deleted nor replaced (it
    is read-only: docs/guarantees.md), else None (gone too)."""
    found: list[os.stat_result] = []
    with contextlib.suppress(OSError):
        _in_sub(dfd, name, lambda leaf, dir_fd: found.append(
            os.stat(leaf, dir_fd=dir_fd, follow_symlinks=False)))
    if found and read_only(found[0]):
        return (f"{name!r} is read-only (mode {found[0].st_mode & 0o7777:04o}): ledger-tool "
                f"never replaces nor deletes it; make it writable to change it")
    return None


def remove_listed(folder: str | os.PathLike) -> bool:
    """Delete the files ``folder``'s manifest lists, the manifest, then the
    folder if that left it empty; nothing else.  True when it is gone."""
    try:
        dfd = open_folder(real_path(folder))
    except (OSError, LedgerError):
        return False
    try:
        listed = [*(_listed(dfd) or {}), MANIFEST]
        for name in listed:
            if _read_only_at(dfd, name):        # made read-only meanwhile: kept
                continue
            with contextlib.suppress(OSError):   # a folder in its place stays
                _in_sub(dfd, name, os.unlink)
        # then the subfolders it wrote, deepest first, if that left them empty
        subs = {n.rsplit("/", k)[0] for n in listed for k in range(1, n.count("/") + 1)}
        for sub_name in sorted(subs, key=lambda n: -n.count("/")):
            with contextlib.suppress(OSError):
                _in_sub(dfd, sub_name, os.rmdir)
    finally:
        os.close(dfd)
    try:
        os.rmdir(folder)
        return True
    except OSError:
        return False
