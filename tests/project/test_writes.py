"""Writes (ledger/atomic.py, ledger/safe_io.guard_output, report/export/import):
a report folder appears whole or not at all; OS errors are one line naming
the path; a ledger's journal is never overwritten, anything else only with
--force."""
from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from tests.conftest import FIXTURES, REPO


def _report(run_cli, ledger, out, *extra):
    return run_cli("report", ledger, "--out", out, *extra)


def test_report_folder_is_renamed_into_place_and_nothing_is_left_on_failure(
        run_cli, example_ledger, tmp_path, monkeypatch):
    out = tmp_path / "r"
    code, _, err = _report(run_cli, example_ledger, out)
    assert code == 0, err
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len(before) >= 10

    import reports.html

    def full_disk(path, *a, **k):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))
    monkeypatch.setattr(reports.html, "write_html", full_disk)
    code, out_text, err = _report(run_cli, example_ledger, out, "--force")
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[-1].startswith("ledger-tool: report: cannot write ") and \
        "No space left on device" in lines[-1] and "report.html" in lines[-1]
    assert "Traceback" not in err
    # the earlier report is untouched and no temporary folder is left behind
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]
    code, _, err = _report(run_cli, example_ledger, tmp_path / "new")
    assert code == 1 and not (tmp_path / "new").exists()


def test_report_refuses_an_existing_folder_without_force(run_cli, example_ledger, tmp_path):
    out = tmp_path / "r"
    assert _report(run_cli, example_ledger, out)[0] == 0
    (out / "stale.txt").write_text("from an older run")
    code, _, err = _report(run_cli, example_ledger, out)
    assert code == 1 and "give --force" in err
    assert (out / "stale.txt").exists()
    # a file the report did not write: --force refuses too, and keeps it
    code, _, err = _report(run_cli, example_ledger, out, "--force")
    assert code == 1 and "'stale.txt', which the report did not write" in err
    assert len(err.strip().splitlines()) == 1 and (out / "stale.txt").exists()
    (out / "stale.txt").unlink()
    code, _, err = _report(run_cli, example_ledger, out, "--force")
    assert code == 0, err
    assert (out / "report.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_report_never_replaces_a_ledger_or_a_folder_that_is_not_a_report(
        run_cli, example_ledger, tmp_path):
    book = tmp_path / "book"
    shutil.copytree(example_ledger, book)
    before = {p.name: p.read_bytes() for p in book.iterdir()}
    for out in (book, tmp_path):
        code, _, err = _report(run_cli, book, out, "--force")
        assert code == 1 and "never overwrites a journal" in err, err
    other = tmp_path / "photos"
    other.mkdir()
    (other / "cat.jpg").write_bytes(b"\xff\xd8")
    code, _, err = _report(run_cli, book, other, "--force")
    assert code == 1 and "not an earlier report" in err
    assert (other / "cat.jpg").exists()
    assert {p.name: p.read_bytes() for p in book.iterdir()} == before


def test_export_never_overwrites_the_journal_and_asks_for_force(run_cli, example_ledger,
                                                                tmp_path):
    book = tmp_path / "book"
    shutil.copytree(example_ledger, book)
    journal = (book / "pledges.toml").read_bytes()
    code, _, err = run_cli("export", book, "-o", book / "pledges.toml", "--to", "csv", "--force")
    assert code == 1 and "is a journal file of the ledger" in err
    assert (book / "pledges.toml").read_bytes() == journal
    target = tmp_path / "out.csv"
    target.write_text("keep me")
    code, _, err = run_cli("export", book, "-o", target)
    assert code == 1 and "exists; give --force" in err and target.read_text() == "keep me"
    code, _, err = run_cli("export", book, "-o", target, "--force")
    assert code == 0 and target.read_text() != "keep me"


def test_os_errors_are_one_line_naming_the_path(run_cli, example_ledger, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run_cli("export", example_ledger, "-o", blocker / "out.csv")
    assert code == 1 and str(blocker) in err and len(err.strip().splitlines()) == 1
    code, _, err = _report(run_cli, example_ledger, blocker / "r")
    assert code == 1 and "is not a folder" in err and len(err.strip().splitlines()) == 1


def test_report_into_a_symlinked_folder_keeps_the_link(run_cli, example_ledger, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    code, _, err = _report(run_cli, example_ledger, link)
    assert code == 0, err
    assert link.is_symlink() and (real / "report.html").is_file()
    assert f"wrote {link / 'report.html'}" in err


def test_import_os_errors_are_one_line(tmp_path, run_cli):
    src = tmp_path / "t.csv"
    src.write_text("date,funder,purpose,amount\n2015-01-01,UK,P,£1m\n", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run_cli("import", src, "-o", blocker / "o.toml")
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert f"{blocker} is not a folder" in err
    assert "Traceback" not in err


def test_export_never_writes_a_new_journal_into_the_ledger(run_cli, example_ledger, tmp_path):
    book = tmp_path / "book"
    shutil.copytree(example_ledger, book)
    code, _, err = run_cli("export", book, "-o", book / "sub" / "new.toml", "--to", "csv")
    assert code == 1 and "would be read as one of its journal files" in err
    assert not (book / "sub").exists()
    assert run_cli("check", book)[0] == 0


def test_a_folder_that_cannot_be_made_names_the_out_given(run_cli, example_ledger, tmp_path):
    """The report is written in a hidden folder beside --out; when that cannot
    be made, the message names the --out the user gave, not the hidden name."""
    target = Path("/proc") / "ledger-tool-cannot-write-here"
    code, _, err = run_cli("report", example_ledger, "--out", target)
    assert code == 1 and f"--out {target}" in err and ".tmp" not in err
    assert "Traceback" not in err


# ------------------------------------------------------------ report --force: the manifest
def test_force_never_replaces_another_ledger_or_a_folder_with_a_summary_csv(
        run_cli, example_ledger, tmp_path):
    """--force used to replace any folder holding summary.csv (or a report's
    file name), journal files and all, exit 0."""
    other = tmp_path / "other-ledger"
    shutil.copytree(example_ledger, other)
    (other / "summary.csv").write_text("funder,purpose,amount,currency\n")
    loose = tmp_path / "loose"
    loose.mkdir()
    for name in ("summary.csv", "report.html", "report.xlsx"):
        (loose / name).write_text("mine")
    for out in (other, loose):
        before = {p.name: p.read_bytes() for p in out.iterdir()}
        code, _, err = _report(run_cli, example_ledger, out, "--force")
        assert code == 1 and "not an earlier report" in err, err
        assert len(err.strip().splitlines()) == 1
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_force_replaces_a_report_only_while_its_manifest_matches(
        run_cli, example_ledger, tmp_path):
    import json

    out = tmp_path / "r"
    assert _report(run_cli, example_ledger, out)[0] == 0
    manifest = json.loads((out / "report-manifest.json").read_text())
    assert set(manifest["files"]) == {p.name for p in out.iterdir()} - {"report-manifest.json"}
    # a listed file edited by hand: not replaced (the user's edit is kept)
    (out / "summary.csv").write_text("edited")
    code, _, err = _report(run_cli, example_ledger, out, "--force")
    assert code == 1 and "'summary.csv' changed since the report wrote it" in err
    assert (out / "summary.csv").read_text() == "edited"
    # a forged manifest listing a file that is not the report's
    (out / "summary.csv").unlink()
    (out / "journal.toml").write_text("[[entry]]\n")
    manifest["files"]["journal.toml"] = {"bytes": 1, "sha256": "0" * 64}
    (out / "report-manifest.json").write_text(json.dumps(manifest))
    code, _, err = _report(run_cli, example_ledger, out, "--force")
    assert code == 1 and (out / "journal.toml").exists()
    # as written (a listed file may be gone): replaced, nothing else left
    (out / "journal.toml").unlink()
    del manifest["files"]["journal.toml"]
    (out / "report-manifest.json").write_text(json.dumps(manifest))
    code, _, err = _report(run_cli, example_ledger, out, "--force")
    assert code == 0, err
    assert (out / "summary.csv").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_a_report_with_its_shipped_documents_is_replaced_whole_and_only_it(
        run_cli, example_ledger, seeds_dir, tmp_path):
    """The cited documents shipped in sources/ are listed one by one in the
    manifest: --force replaces such a report, and refuses one where a file
    or folder the report did not write appeared in sources/."""
    import hashlib
    import json

    out = tmp_path / "r"
    assert _report(run_cli, example_ledger, out, "--sources", seeds_dir)[0] == 0
    listed = json.loads((out / "report-manifest.json").read_text())["files"]
    shipped = sorted(p.relative_to(out).as_posix() for p in (out / "sources").iterdir())
    assert shipped and set(shipped) <= set(listed)
    for name in shipped:
        data = (out / name).read_bytes()
        assert listed[name] == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    code, _, err = _report(run_cli, example_ledger, out, "--sources", seeds_dir, "--force")
    assert code == 0, err
    (out / "sources" / "mine.txt").write_text("kept")
    code, _, err = _report(run_cli, example_ledger, out, "--force")
    assert code == 1 and "'sources/mine.txt', which the report did not write" in err
    assert (out / "sources" / "mine.txt").read_text() == "kept"
    (out / "sources" / "mine.txt").unlink()
    code, _, err = _report(run_cli, example_ledger, out, "--force")     # no --sources now
    assert code == 0, err
    assert not (out / "sources").exists()


def test_only_listed_files_are_deleted_when_the_old_report_is_moved_aside(tmp_path):
    """A file that appears in the old report after the check (a race) is
    kept, not deleted with the listed outputs."""
    from ledger.atomic import remove_listed, write_manifest

    old = tmp_path / "old"
    old.mkdir()
    (old / "summary.csv").write_text("x")
    write_manifest(old, ["summary.csv"])
    (old / "late.txt").write_text("keep")
    assert remove_listed(old) is False
    assert sorted(p.name for p in old.iterdir()) == ["late.txt"]


# ------------------------------------------------------------ loops, long names, Ctrl-C
def test_a_link_loop_is_one_line_for_report_and_export(run_cli, example_ledger, tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    for args in (("report", tmp_path / "a", "--out", tmp_path / "r"),
                 ("report", example_ledger, "--out", tmp_path / "a"),
                 ("report", example_ledger, "--out", tmp_path / "a" / "x"),
                 ("export", tmp_path / "a", "-o", tmp_path / "x.csv"),
                 ("export", example_ledger, "-o", tmp_path / "a" / "x.csv", "--force"),
                 ("export", example_ledger, "--to", "fdp", "-o", tmp_path / "a", "--force")):
        code, _, err = run_cli(*args)
        assert code == 1 and len(err.strip().splitlines()) <= 2, (args, err)
        assert "Traceback" not in err and "RuntimeError" not in err


def test_long_file_names_are_written(run_cli, example_ledger, tmp_path):
    name = "a" * 251 + ".csv"      # 255 bytes: the longest name; its temporary name is cut
    code, _, err = run_cli("export", example_ledger, "-o", tmp_path / name, "--to", "csv")
    assert code == 0, err
    assert (tmp_path / name).is_file() and sorted(p.name for p in tmp_path.iterdir()) == [name]
    code, _, err = _report(run_cli, example_ledger, tmp_path / ("r" * 255))
    assert code == 0, err


def test_ctrl_c_while_the_charts_are_awaited_stops_them_and_leaves_nothing(
        run_cli, example_ledger, tmp_path, monkeypatch):
    """Ctrl-C while the workbook waits for the chart processes: they are
    stopped before the hidden folder is removed (they drew on after exit 130,
    into a folder they made again beside --out)."""
    import signal
    import sys
    import time

    import reports.charts
    import reports.workbook

    real_charts, real_workbook = reports.charts.write_charts, reports.workbook.write_workbook

    def slow_charts(*a, **k):            # runs in the forked children
        time.sleep(1.0)
        return real_charts(*a, **k)

    def ctrl_c(*_):
        raise KeyboardInterrupt

    def workbook_interrupted_while_waiting(path, report, *a, charts=None, **k):
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        try:
            charts()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        return real_workbook(path, report, *a, charts=charts, **k)

    monkeypatch.setattr(reports.charts, "write_charts", slow_charts)
    monkeypatch.setattr(reports.workbook, "write_workbook", workbook_interrupted_while_waiting)
    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)
    old_int = signal.getsignal(signal.SIGINT)
    old_alarm = signal.signal(signal.SIGALRM, ctrl_c)
    try:
        code, _, err = _report(run_cli, example_ledger, tmp_path / "r")
    finally:
        signal.signal(signal.SIGALRM, old_alarm)
        signal.signal(signal.SIGINT, old_int)   # interrupted() ignores a second Ctrl-C
    assert code == 130 and err.strip().splitlines()[-1] == "ledger-tool: interrupted", err
    time.sleep(2.5)                          # a child left running would have written by now
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_at_any_point_is_one_line_and_leaves_nothing(example_ledger, tmp_path):
    """SIGINT to the whole process group (as a terminal sends it) at several
    moments of a report: exit 130, one line, no traceback, and --out either
    absent or a whole report; no hidden folder left beside it."""
    import signal
    import subprocess
    import sys
    import time

    env = {**os.environ, "PYTHONPATH": str(REPO),
           "LEDGER_TOOL_CACHE": "off"}
    for delay in (0.15, 0.3, 1.0, 1.6, 2.2, 3.0):
        out = tmp_path / f"r{delay}"
        p = subprocess.Popen([sys.executable, "-m", "ledger_tool", "report", str(example_ledger),
                              "--out", str(out)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, env=env, start_new_session=True)
        time.sleep(delay)
        os.killpg(p.pid, signal.SIGINT)
        _, err = p.communicate(timeout=120)
        err = err.decode()
        if "init_import_site" in err:   # Python's own start-up, before any code of ours
            continue
        if p.returncode == 130:
            assert err.strip().splitlines() == ["ledger-tool: interrupted"], err
        elif p.returncode == -signal.SIGINT:   # a shell shows it as 130 too
            # at start-up, or at exit once the report was written whole
            assert err in ("", "ledger-tool: interrupted\n") or \
                (out / "report-manifest.json").is_file(), err
        else:   # finished before the signal
            assert p.returncode == 0, err
        assert "Traceback" not in err and "Exception ignored" not in err
        assert not out.exists() or (out / "report-manifest.json").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("planted", ["iati.toml", "archive copy", "archive"])
def test_iati_import_never_writes_through_a_link_out_of_the_ledger(run_cli, tmp_path, planted):
    """The IATI importer updates the journal and archives its file: a link
    planted as either (or as the archive folder), leading out, is refused or
    left alone, and nothing outside the ledger changes (a journal linked out
    was rewritten, exit 0)."""
    v2 = FIXTURES / "iati" / "activities-v2.xml"
    book = tmp_path / "book"
    assert run_cli("import", "--from", "iati", v2, "-o", book)[0] == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    if planted == "iati.toml":
        shutil.move(book / "iati.toml", outside / "iati.toml")
        (book / "iati.toml").symlink_to(outside / "iati.toml")
    elif planted == "archive":
        shutil.move(book / "sources", outside / "sources")
        (book / "sources").symlink_to(outside / "sources")
    else:
        (copy,) = (book / "sources").iterdir()
        copy.unlink()
        copy.symlink_to(outside / "planted.xml")          # dangling, leading out
    before = {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()}
    newer = tmp_path / "newer.xml"
    newer.write_bytes(v2.read_bytes().replace(b"2012-01-01", b"2012-01-02", 1)
                      .replace(b'value-date="', b'value-date="', 1) + b"\n<!-- newer -->\n")
    code, _, err = run_cli("import", "--from", "iati", newer, "-o", book)
    assert "Traceback" not in err
    assert {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()} == before
    assert not (outside / "planted.xml").exists()
