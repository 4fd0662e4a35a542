"""No write renames or deletes a file behind the user's back (fix48 renamed
every ``.X.<8 hex>.old`` of a folder written to, another command's live
backup and the user's own files among them); ``leftovers`` advises putting
an ``.old`` back only while its file has not been written since."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from ledger.atomic import leftovers, write_all_atomic, write_atomic

# writes a.toml and b.toml all or none, killed (as kill -9) after sys.argv[2] renames
_KILLED = textwrap.dedent("""
    import os, sys
    from ledger.atomic import write_all_atomic
    real, left = os.replace, [int(sys.argv[2])]
    def replace(*a, **k):
        if not left[0]:
            os._exit(137)
        real(*a, **k)
        left[0] -= 1
        if not left[0]:
            os._exit(137)
    os.replace = replace
    d = sys.argv[1]
    write_all_atomic({d + "/a.toml": b"a = 2\\n", d + "/b.toml": b"b = 2\\n"})
""")


def _killed_write(folder: Path, renames: int = 1) -> Path:
    """a.toml and b.toml (1), written all or none (2), killed after ``renames``."""
    (folder / "a.toml").write_bytes(b"a = 1\n")
    (folder / "b.toml").write_bytes(b"b = 1\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    r = subprocess.run([sys.executable, "-c", _KILLED, str(folder), str(renames)], env=env,
                       cwd="/", capture_output=True, text=True)
    assert r.returncode == 137, r.stderr
    [old] = folder.glob(".a.toml.*.old")
    assert old.read_bytes() == b"a = 1\n"
    assert (folder / "a.toml").read_bytes() == (b"a = 2\n" if renames else b"a = 1\n")
    return old


def test_a_write_renames_no_other_file_of_its_folder(tmp_path):
    theirs = [tmp_path / ".budget.xlsx.20261206.old", tmp_path / ".c.toml.0123abcd.old"]
    for f in theirs:
        f.write_bytes(b"keep me\n")
    (tmp_path / ".d.toml.89abcdef.old").mkdir()
    (tmp_path / ".e.toml.deadbeef.old").symlink_to(theirs[0])
    before = sorted(os.listdir(tmp_path))
    write_atomic(tmp_path / "x.csv", "a,b\n")
    write_all_atomic({tmp_path / "x.csv": b"a,b,c\n", tmp_path / "y.toml": b"y = 1\n"})
    assert sorted(os.listdir(tmp_path)) == sorted(before + ["y.toml", "x.csv"])
    assert all(f.read_bytes() == b"keep me\n" for f in theirs)


def test_the_backup_of_an_interrupted_write_is_advised_back(tmp_path):
    old = _killed_write(tmp_path)
    [said] = [s for s in leftovers(tmp_path) if s.startswith(str(old))]
    assert f"mv {old} {tmp_path / 'a.toml'}" in said, said
    # another file of the folder written: the advice is the same, the backup kept
    write_atomic(tmp_path / "b.toml", "b = 3\n")
    [said] = [s for s in leftovers(tmp_path) if s.startswith(str(old))]
    assert f"mv {old} {tmp_path / 'a.toml'}" in said and old.read_bytes() == b"a = 1\n", said


def test_a_backup_older_than_its_file_is_not_advised_back(tmp_path):
    old = _killed_write(tmp_path)
    write_atomic(tmp_path / "a.toml", "a = 3\n")
    [said] = [s for s in leftovers(tmp_path) if s.startswith(str(old))]
    assert " mv " not in said and "a.toml has changed since (written again, or copied): " \
           "compare before restoring" in said, said
    assert old.read_bytes() == b"a = 1\n"
    # the backup's ctime moved (chmod, a backup tool's hard link): still not advised back
    os.chmod(old, 0o600)
    os.link(old, tmp_path / "elsewhere")
    [said] = [s for s in leftovers(tmp_path) if s.startswith(str(old))]
    assert " mv " not in said, said


def test_a_second_name_left_before_any_rename_is_never_advised_back(tmp_path):
    """review48b: killed after the backups' links, before the first rename,
    then a.toml written whole: the backup (a = 1) must not be advised over
    the later write (a = 3), whatever its ctime says."""
    old = _killed_write(tmp_path, renames=0)
    [said] = [s for s in leftovers(tmp_path) if s.startswith(str(old))]
    assert "the same file; remove it" in said, said
    write_atomic(tmp_path / "a.toml", "a = 3\n")
    [said] = [s for s in leftovers(tmp_path) if s.startswith(str(old))]
    assert " mv " not in said and old.read_bytes() == b"a = 1\n", said
