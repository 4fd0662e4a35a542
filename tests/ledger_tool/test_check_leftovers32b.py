"""``check`` names the files a killed write left behind (``.NAME.x.tmp``,
``.NAME.x.old``), one line each with what to do, and deletes none: an
``.old`` may be the only copy of a journal file as it was."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap


def test_check_names_a_killed_writes_files(tmp_path, run_cli):
    book = tmp_path / "book"
    code, _, err = run_cli("init", book)
    assert code == 0, err
    (book / "z.toml").write_text('[[entry]]\nid = "e0"\ndate = 2020-01-01\nfunder = "Gov"\n'
                                 'purpose = "P"\namount = "£5m"\n', encoding="utf-8")
    # a write of both files killed after its first rename, as by kill -9
    script = textwrap.dedent(f"""
        import os, signal
        from ledger.atomic import write_all_atomic
        real, n = os.replace, []
        def replace(src, dst, **kw):
            if not str(dst).startswith("."):
                n.append(dst)
                if len(n) == 2:
                    os.kill(os.getpid(), signal.SIGKILL)
            return real(src, dst, **kw)
        os.replace = replace
        write_all_atomic({{{str(book / "sources.toml")!r}: b"# new sources\\n",
                          {str(book / "z.toml")!r}: b"# new z\\n"}})
    """)
    old_sources = (book / "sources.toml").read_bytes()
    r = subprocess.run([sys.executable, "-c", script], env={**os.environ,
                       "PYTHONPATH": os.getcwd()}, capture_output=True, text=True)
    assert r.returncode == -signal.SIGKILL, r.stderr
    left = sorted(n for n in os.listdir(book) if n.startswith("."))
    assert sorted(n.rsplit(".", 2)[0] + "." + n.rsplit(".", 1)[1] for n in left) == \
        [".sources.toml.old", ".z.toml.old", ".z.toml.tmp"], left
    code, out, err = run_cli("check", book)
    lines = [ln for ln in err.splitlines() if "/." in ln]
    assert len(lines) == 3, err
    by = {n: next(ln for ln in lines if f"/{n}:" in ln) for n in left}
    sources_old = next(n for n in left if n.startswith(".sources"))
    assert f"mv {book / sources_old} {book / 'sources.toml'}" in by[sources_old]
    assert "the same file; remove it" in by[next(n for n in left if n.endswith(".old")
                                                 and n.startswith(".z"))]
    assert "never put in place" in by[next(n for n in left if n.endswith(".tmp"))]
    # nothing deleted: the old sources.toml is still there, byte for byte
    assert (book / sources_old).read_bytes() == old_sources
    assert sorted(n for n in os.listdir(book) if n.startswith(".")) == left
