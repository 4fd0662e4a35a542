"""reports.background.in_background: report work in a forked child (the
charts, the full tables); its result, its errors in one line, an OS error
naming the file, and no child left running after a cancel."""
from __future__ import annotations

import errno
import os
import re
import time

import pytest

from ledger.errors import LedgerError
from reports.background import in_background

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")


def _pid_and_sum(*xs):
    return os.getpid(), sum(xs)


def _fails():
    raise ValueError("bad\nvalue")


def _disk_full(path):
    raise OSError(errno.ENOSPC, "No space left on device", str(path))


def _writes_late(path):
    time.sleep(1.5)
    path.write_text("late")


def test_the_result_comes_from_another_process_once():
    wait = in_background("adding", _pid_and_sum, 1, 2, 3)
    pid, total = wait()
    assert total == 6 and pid != os.getpid()
    assert wait() is None            # the child is reaped: never waited for (or killed) twice


def test_a_failure_is_one_line_naming_the_work():
    with pytest.raises(LedgerError) as err:
        in_background("adding", _fails)()
    assert str(err.value) == "report: adding failed: ValueError: bad value"


def test_an_os_error_is_raised_again_as_itself(tmp_path):
    with pytest.raises(OSError) as err:
        in_background("writing", _disk_full, tmp_path / "entries.csv")()
    assert err.value.errno == errno.ENOSPC and err.value.filename == str(tmp_path / "entries.csv")


def test_cancel_kills_the_child_before_it_writes(tmp_path):
    wait = in_background("writing", _writes_late, tmp_path / "late.txt")
    assert wait(cancel=True) is None
    time.sleep(2.0)                  # a child left running would have written by now
    assert not (tmp_path / "late.txt").exists()


def _page(path) -> str:
    """The page without the minute it was generated."""
    return re.sub(r"<th>Generated</th><td>[^<]*</td>", "", path.read_text())


def test_report_full_tables_written_apart_are_the_same(run_cli, example_ledger, tmp_path,
                                                       monkeypatch):
    """A big report's full tables and page are written by children of their
    own: the same bytes as when the parent writes them (the example ledger
    is small, so the threshold is lowered)."""
    import ledger_tool.cmd_report

    here, apart = tmp_path / "here", tmp_path / "apart"
    assert run_cli("report", example_ledger, "--out", here)[0] == 0
    monkeypatch.setattr(ledger_tool.cmd_report, "TABLES_APART_FROM", 0)
    code, _, err = run_cli("report", example_ledger, "--out", apart)
    assert code == 0, err
    for name in ("entries.csv", "entries.parquet", "sources.csv", "sources.parquet"):
        assert (apart / name).read_bytes() == (here / name).read_bytes(), name
    assert _page(apart / "report.html") == _page(here / "report.html")
    assert "<th>Generated</th>" in (apart / "report.html").read_text()
    manifest = (apart / "report-manifest.json").read_text()
    assert "entries.parquet" in manifest and "report.html" in manifest


@pytest.mark.parametrize("module, writer, name", [
    ("reports.workbook", "write_full_tables", "entries.parquet"),
    ("reports.html", "write_html", "report.html")])
def test_report_file_failing_in_its_child_names_the_file(run_cli, example_ledger, tmp_path,
                                                         children_before,
                                                         monkeypatch, module, writer, name):
    """A big report's full tables and page are written by children: a full
    disk there is the same one line as in the parent, naming --out's file,
    and nothing is left."""
    import importlib

    import ledger_tool.cmd_report

    monkeypatch.setattr(ledger_tool.cmd_report, "TABLES_APART_FROM", 0)

    def full_disk(*args, **kwargs):   # (report, folder) or (path, report, ...)
        where = args[1] / name if writer == "write_full_tables" else args[0]
        raise OSError(errno.ENOSPC, "No space left on device", str(where))   # the hidden folder
    monkeypatch.setattr(importlib.import_module(module), writer, full_disk)
    out = tmp_path / "r"
    code, _, err = run_cli("report", example_ledger, "--out", out)
    assert code == 1
    assert err.strip().splitlines()[-1] == (
        f"ledger-tool: report: cannot write {out / name}: No space left on "
        f"device; nothing written to {out}")
    assert _no_child_left(children_before)
    assert list(tmp_path.iterdir()) == []


CHART_FILES = [f"chart-{n}.{e}" for n in ("purpose", "timeline", "comparison", "status")
               for e in ("png", "svg")]


def _children() -> set[int]:
    """This process's children, reaped or not (a zombie is still listed);
    from /proc, as other tests' fixtures (a LocalCluster, a browser) may
    keep children of their own alive."""
    me, found = os.getpid(), set()
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as f:
                    stat = f.read()
            except OSError:          # gone meanwhile
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == me:
                found.add(int(entry.name))
    return found


@pytest.fixture
def children_before() -> set[int]:
    if not os.path.isdir("/proc"):
        pytest.skip("needs /proc to list a process's children")
    return _children()


def _no_child_left(before: set[int]) -> bool:
    """No child the command started is left, running or unreaped."""
    return not (_children() - before)


@pytest.mark.parametrize("split_below", [0, 10 ** 9])   # one chart process; or it and one more
def test_charts_drawn_by_the_process_started_first_are_the_same(
        run_cli, example_ledger, tmp_path, monkeypatch, split_below, children_before):
    """The charts are drawn by a process started before the ledger is loaded
    (``ChartProcess``), from the report's tables sent to it (a small
    report's other half by a child forked from the report): the same bytes
    as the charts forked from the built report."""
    import matplotlib

    import reports.charts

    monkeypatch.setitem(matplotlib.rcParams, "svg.hashsalt", "same ids")  # else random ids
    monkeypatch.setattr(reports.charts, "SPLIT_CHARTS_BELOW", split_below)
    here, first = tmp_path / "here", tmp_path / "first"
    start = reports.charts.ChartProcess.start
    monkeypatch.setattr(reports.charts.ChartProcess, "start", classmethod(lambda cls: None))
    assert run_cli("report", example_ledger, "--out", here)[0] == 0     # forked from the report
    started = []
    monkeypatch.setattr(reports.charts.ChartProcess, "start",
                        classmethod(lambda cls: started.append(1) or start()))
    code, _, err = run_cli("report", example_ledger, "--out", first)
    assert code == 0, err
    assert started == [1]
    for name in CHART_FILES:
        assert (first / name).read_bytes() == (here / name).read_bytes(), name
    assert _no_child_left(children_before)


def test_chart_process_stopped_when_the_report_fails(run_cli, example_ledger, tmp_path,
                                                     children_before,
                                                     monkeypatch):
    """The report fails after the chart process started: it is stopped and
    reaped, and nothing is written."""
    import ledger_tool.cmd_report

    def fails(*args, **kwargs):
        raise LedgerError("report: no figures")
    monkeypatch.setattr(ledger_tool.cmd_report, "build_report", fails)
    code, _, err = run_cli("report", example_ledger, "--out", tmp_path / "r")
    assert code == 1 and err.strip().splitlines()[-1] == "ledger-tool: report: no figures"
    assert _no_child_left(children_before)
    assert list(tmp_path.iterdir()) == []


def test_chart_process_failing_is_one_line(run_cli, example_ledger, tmp_path, monkeypatch,
                                          children_before):
    """The chart process fails: one line naming the work, nothing written."""
    import reports.charts

    def fails(*args, **kwargs):
        raise ValueError("no font")
    monkeypatch.setattr(reports.charts, "SPLIT_CHARTS_BELOW", 0)
    monkeypatch.setattr(reports.charts, "write_charts", fails)
    out = tmp_path / "r"
    code, _, err = run_cli("report", example_ledger, "--out", out)
    assert code == 1
    assert err.strip().splitlines()[-1] == (
        "ledger-tool: report: drawing the charts failed: ValueError: no font")
    assert _no_child_left(children_before)
    assert list(tmp_path.iterdir()) == []


def test_chart_process_stopped_when_the_ledger_does_not_load(run_cli, tmp_path, children_before):
    """The chart process starts before the ledger is read: a ledger that
    does not load stops it too."""
    bad = tmp_path / "bad.toml"
    bad.write_text("[[entry]\n")
    code, _, err = run_cli("report", bad, "--out", tmp_path / "r")
    assert code == 1 and "bad.toml" in err
    assert _no_child_left(children_before)
    assert not (tmp_path / "r").exists()


def test_chart_process_stopped_on_ctrl_c_as_it_starts(run_cli, example_ledger, tmp_path,
                                                      monkeypatch, children_before):
    """Ctrl-C while the chart process is forked is held, and raised as the
    fork's guarded block ends: the process is still stopped and reaped."""
    import signal

    import reports.charts

    start = reports.charts.ChartProcess.start

    def start_then_ctrl_c(cls):
        started = start()
        os.kill(os.getpid(), signal.SIGINT)    # held until the block ends
        return started
    monkeypatch.setattr(reports.charts.ChartProcess, "start", classmethod(start_then_ctrl_c))
    # a suite started in the background ('&' in a shell) ignores Ctrl-C, as
    # ledger-tool then rightly does: this test needs Python's own handler
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        code, _, err = run_cli("report", example_ledger, "--out", tmp_path / "r")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert code == 130 and err.strip().splitlines()[-1] == "ledger-tool: interrupted"
    assert _no_child_left(children_before)
    assert list(tmp_path.iterdir()) == []
