"""Where ledger-tool keeps what it may throw away: the parsed-ledger cache
(``ledger.read.cache``) and the stored rate series (``rates.table``).

A module of its own so that ``rates`` finds the folder without importing
the ledger cache (``ledger.read.cache`` reads journals; rates takes a Book).

A cache folder may be shared or planted (``LEDGER_TOOL_CACHE=/tmp/x``), so:

- the folder used is the cache's own: made by it (mode 0700) with a marker
  file (``CACHEDIR.TAG``); a folder named by ``LEDGER_TOOL_CACHE`` that the
  cache did not make gets a subfolder ``ledger-tool-cache`` made inside it,
  so nothing the cache did not create is ever deleted;
- a folder not owned by the user, or writable by group or others, is refused
  with one warning line, and the command runs without the cache;
- files are made 0600, and each is sealed (``seal``/``unseal``): an HMAC
  with a per-user key kept 0600 in the folder, so a planted or altered file
  is a miss, never a result.
- a large file read often (the cached Book's tables) is memory-mapped
  (``map_sealed``), and its seal is checked once: the caller keeps the
  file's identity (size, mtime and ctime in ns, inode, device), taken when
  the seal held and the file had been quiet for ``QUIET_NS``, in its own
  sealed metadata, and while the file's identity is still that one its bytes
  are the ones checked.  Writing a file, or setting its times back, sets its
  ctime to now, and a replaced file has a new inode; a file changed within
  one tick of the clock of its check would keep its times, so a file not yet
  quiet is checked every time (git's "racily clean" rule, as for the
  journal's files in ``ledger.read.cache``).
"""
from __future__ import annotations

import hashlib
import hmac
import mmap
import os
import stat
import sys
import time
from pathlib import Path

from ledger.atomic import atomic_file, open_folder, real_path, write_atomic, write_new
from ledger.safe_io import read_bytes

MARKER = "CACHEDIR.TAG"
MARKER_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n"
               "# This folder is a cache made by ledger-tool; it may be deleted.\n")
SUBFOLDER = "ledger-tool-cache"
KEY_FILE = "key"
MAC_BYTES = 32
_warned: set[str] = set()


def configured() -> tuple[Path | None, bool]:
    """(the folder asked for, whether it is the default one named after us):
    ``$LEDGER_TOOL_CACHE`` if set (``off``, ``0``, ``no``, ``false`` or empty:
    None, the cache is off), else ``$XDG_CACHE_HOME/ledger-tool`` or
    ``~/.cache/ledger-tool``."""
    env = os.environ.get("LEDGER_TOOL_CACHE")
    if env is not None:
        return (None if env.strip().lower() in ("", "0", "off", "no", "false")
                else Path(env)), False
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ledger-tool", True


def cache_dir() -> Path | None:
    """The cache's own folder (made when missing), or None: the cache is off,
    or the folder is refused (said once, on stderr)."""
    base, default = configured()
    if base is None:
        return None
    try:
        folder = _own(base, default)
        _check(folder)
        _keys[str(folder)] = _key(folder)
    except _Refused as err:
        _warn(f"ledger-tool: warning: cache folder {err}; running without the cache")
        return None
    except OSError as err:
        _warn(f"ledger-tool: warning: cache folder {base}: {err.strerror or err}; "
              f"running without the cache")
        return None
    return folder


class _Refused(Exception):
    pass


def _warn(line: str) -> None:
    if line not in _warned:
        _warned.add(line)
        print(line, file=sys.stderr)


def _make(folder: Path) -> None:
    """A new cache folder, 0700, with its marker (the folder made here and
    only here: an existing one is not taken over)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    os.mkdir(folder, 0o700)
    write_atomic(folder / MARKER, MARKER_TEXT, inside=folder, mode=0o600)


def _own(base: Path, default: bool) -> Path:
    if not base.exists() and not base.is_symlink():
        try:
            _make(base)
        except FileExistsError:
            pass
        else:
            return base
    if (base / MARKER).is_file() and not (base / MARKER).is_symlink():
        return base
    if default and base.is_dir() and not base.is_symlink():   # ours by name (older versions)
        _check(base)
        os.chmod(base, 0o700)   # older versions made it with the umask's mode
        write_atomic(base / MARKER, MARKER_TEXT, inside=base, mode=0o600)
        return base
    sub = base / SUBFOLDER
    if not sub.exists() and not sub.is_symlink():
        _check(base, writable_ok=True)
        try:
            _make(sub)
        except FileExistsError:
            pass
    if not (sub / MARKER).is_file() or (sub / MARKER).is_symlink():
        raise _Refused(f"{sub}: not made by ledger-tool's cache (no {MARKER})")
    return sub


def _check(folder: Path, writable_ok: bool = False) -> None:
    """Refuse a folder that is a link, not the user's, or writable by
    group or others (``writable_ok``: a parent we only make our folder in,
    e.g. /tmp; that folder is checked in its turn)."""
    st = os.lstat(folder)
    if stat.S_ISLNK(st.st_mode) and not writable_ok:
        raise _Refused(f"{folder}: a symbolic link")
    if writable_ok:
        st = os.stat(folder)
    if not stat.S_ISDIR(st.st_mode):
        raise _Refused(f"{folder}: not a folder")
    if st.st_uid != os.getuid() and not writable_ok:
        raise _Refused(f"{folder}: owned by another user")
    if not writable_ok and st.st_mode & 0o022:
        raise _Refused(f"{folder}: writable by group or others (chmod 700 it)")


def _key(folder: Path) -> bytes:
    """The per-user key that seals the cache's files: made once (0600), then
    read only when it is the user's own regular file, 0600."""
    if not os.path.lexists(folder / KEY_FILE):
        try:   # the first key made wins: never replaced, so files sealed with it stay valid
            write_new(folder / KEY_FILE, os.urandom(32), inside=folder, mode=0o600,
                      numbered=False)
        except FileExistsError:
            pass
    dfd = open_folder(real_path(folder))
    try:
        try:
            fd = os.open(KEY_FILE, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dfd)
        except OSError:
            raise _Refused(f"{folder / KEY_FILE}: not a regular file") from None
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
                raise _Refused(f"{folder / KEY_FILE}: not the user's own 0600 key")
            key = fh.read(33)
        if len(key) != 32:   # the user's own key, damaged: a new one (old files: misses)
            key = os.urandom(32)
            write_atomic(folder / KEY_FILE, key, inside=folder, mode=0o600)
        return key
    finally:
        os.close(dfd)


_keys: dict[str, bytes] = {}


def _mac(folder: Path, name: str, data) -> bytes:
    key = _keys.get(str(folder))
    if key is None:   # read once a run (the folder is the user's alone: checked)
        key = _keys[str(folder)] = _key(folder)
    h = hmac.new(key, name.encode() + b"\0", hashlib.sha256)
    h.update(data)   # a buffer: no copy of the file's bytes
    return h.digest()


def seal(folder: Path, name: str, data) -> bytes:
    """``data`` with its HMAC in front (the file name is part of it)."""
    return _mac(folder, name, data) + bytes(data)


def unseal(folder: Path, name: str, raw: bytes) -> memoryview | None:
    """The data of a sealed file, or None when its HMAC does not hold."""
    view = memoryview(raw)
    if len(view) < MAC_BYTES:
        return None
    body = view[MAC_BYTES:]
    return body if hmac.compare_digest(bytes(view[:MAC_BYTES]), _mac(folder, name, body)) \
        else None


def write_sealed(folder: Path, rel: str, data) -> None:
    """``folder/rel`` (0600, parent folders 0700) holding ``data`` sealed."""
    with atomic_file(folder / rel, inside=folder, mode=0o600, folder_mode=0o700) as fh:
        fh.write(seal(folder, rel, data))


QUIET_NS = 2_000_000_000   # = ledger.read.cache.RACY_NS


def _identity(st: os.stat_result) -> tuple:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def map_sealed(folder: Path, rel: str, trusted: tuple | None = None
               ) -> tuple[memoryview | None, tuple | None]:
    """``(data, identity)`` of ``folder/rel`` (a name in the folder):
    ``data`` a read-only memory-mapped view of its sealed data, or None when
    it is not the user's own regular file or its seal does not hold;
    ``identity`` the file's identity when its seal held and it had been
    quiet for ``QUIET_NS`` (for the caller to keep in its sealed metadata),
    else None.  When ``trusted`` (an identity so kept) is the file's identity
    now, its bytes are the ones checked then: not hashed again."""
    try:
        dfd = open_folder(real_path(folder))
    except Exception:   # noqa: BLE001 - a cache file that cannot be read is a miss
        return None, None
    try:
        fd = os.open(rel, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
                     | getattr(os, "O_CLOEXEC", 0), dir_fd=dfd)
    except OSError:
        return None, None
    finally:
        os.close(dfd)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid() \
                or st.st_mode & 0o022 or st.st_size < MAC_BYTES:
            return None, None
        mapped = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
        body = memoryview(mapped)[MAC_BYTES:]
        now = _identity(st)
        if trusted is not None and tuple(trusted) == now and len(mapped) == st.st_size:
            return body, now
        if not hmac.compare_digest(bytes(memoryview(mapped)[:MAC_BYTES]),
                                   _mac(folder, rel, body)):
            return None, None
        # changed while being hashed, or too recently to be told by its times: checked
        # again next time
        settled = _identity(os.fstat(fd)) == now and \
            max(now[1], now[2]) < time.time_ns() - QUIET_NS
        return body, (now if settled else None)
    except (OSError, ValueError):
        return None, None
    finally:
        os.close(fd)


def read_sealed(folder: Path, rel: str) -> memoryview | None:
    """The data of ``folder/rel`` when sealed with the user's key, else None."""
    try:
        raw = read_bytes(folder / rel, inside=folder, what="cache file")
    except Exception:   # noqa: BLE001 - a cache file that cannot be read is a miss
        return None
    return unseal(folder, rel, raw)
