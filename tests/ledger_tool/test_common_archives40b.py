"""refuse_ledger_output's archives (ledger_tool/common.py): every ledger
folder above an output keeps its archive, not only the nearest; an empty or
comment-only .toml file is no one-file ledger; and deciding reads no file
that reports no size (a link to /proc/kmsg, which reading consumes)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

HARBOUR = Path(__file__).resolve().parents[2] / "examples" / "harbour"
DOC = "wenlock-minutes-2024.txt"


def test_an_outer_ledger_folder_keeps_its_archive(tmp_path, run_cli):
    o = tmp_path / "O"
    shutil.copytree(HARBOUR, o, ignore=shutil.ignore_patterns("sources"))
    (o / "ledger.toml").write_text('[ledger]\narchive = "docs"\n', encoding="utf-8")
    x = o / "docs" / "x"      # archived journals: a ledger folder of its own
    x.mkdir(parents=True)
    for n in ("a.toml", "b.toml"):
        shutil.copy(HARBOUR / "pledges.toml", x / n)
    doc = x / DOC
    shutil.copy(HARBOUR / "sources" / DOC, doc)
    code, _, err = run_cli("export", HARBOUR, "-o", doc, "--to", "csv", "--force")
    assert code == 1 and "source archive docs/" in err and str(o) in err, err
    assert doc.read_bytes() == (HARBOUR / "sources" / DOC).read_bytes()


@pytest.mark.parametrize("text", ["", "# settings for some tool\nedition = 2021\n",
                                  "# only a comment\n"])
def test_a_toml_file_without_records_is_no_ledger(tmp_path, run_cli, text):
    w = tmp_path / "w"
    (w / "sources").mkdir(parents=True)
    (w / "settings.toml").write_text(text, encoding="utf-8")
    old = w / "sources" / "old.csv"      # not an archive: nothing names it
    old.write_text("x\n", encoding="utf-8")
    code, _, err = run_cli("export", HARBOUR, "-o", old, "--to", "csv", "--force")
    assert code == 0, err
    (w / "book.toml").write_text((HARBOUR / "pledges.toml").read_text(encoding="utf-8"),
                                 encoding="utf-8")     # a journal with entries is one
    code, _, err = run_cli("export", HARBOUR, "-o", old, "--to", "csv", "--force")
    assert code == 1 and "source archive sources/" in err, err   # (w, two journals, for "")


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """Where every ``os.open`` in the test leads."""
    seen: list[str] = []
    real = os.open

    def spy(*args, **kwargs):
        fd = real(*args, **kwargs)
        try:
            seen.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
        return fd

    monkeypatch.setattr(os, "open", spy)
    return seen


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux /proc")
@pytest.mark.parametrize("name", ["k.toml", "ledger.toml", "t.csv", "t.parquet"])
def test_a_link_to_proc_is_never_read(tmp_path, run_cli, opened, name):
    w = tmp_path / "w"
    (w / "sources").mkdir(parents=True)
    (w / name).symlink_to("/proc/self/status")   # like /proc/kmsg: a size of 0
    out = w / "sources" / "out.csv"
    out.write_text("x\n", encoding="utf-8")
    code, _, err = run_cli("export", HARBOUR, "-o", out, "--to", "csv", "--force")
    assert len(err.strip().splitlines()) == 1, err
    assert not [p for p in opened if p.startswith("/proc/")], opened
