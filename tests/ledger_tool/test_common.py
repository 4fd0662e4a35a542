"""Bounded output and exit status (ledger_tool/common.py capped): a flood of
problems prints at most LEDGER_TOOL_MAX_MESSAGES lines and a count of the
rest; report exits 1 when its embedded audit finds errors."""
from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger_tool.common import MAX_MESSAGES, capped


def test_a_junk_spreadsheet_prints_a_bounded_number_of_lines(tmp_path, run_cli):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["date", "funder", "purpose", "amount"])
    for i in range(3000):
        ws.append([f"junk {i}", "F", "P", "lots"])
    wb.save(tmp_path / "junk.xlsx")
    code, _, err = run_cli("import", tmp_path / "junk.xlsx", "-o", tmp_path / "o.toml")
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) <= MAX_MESSAGES + 5
    assert f"... and {3000 - MAX_MESSAGES:,} more message(s) not shown (all of them are in " \
           f"the rejects file)" in err
    assert sum(1 for _ in open(tmp_path / "o.rejects.csv", encoding="utf-8")) > 3000


def test_check_caps_its_problem_lines_and_the_cap_can_be_lifted(tmp_path, run_cli, monkeypatch):
    f = tmp_path / "bad.toml"
    f.write_text("".join(f'[[entry]]\nid = "e{i}"\n\n' for i in range(500)), encoding="utf-8")
    code, _, err = run_cli("check", f)
    assert code == 1
    assert len(err.strip().splitlines()) == MAX_MESSAGES + 2     # + count + summary
    assert "more message(s) not shown (set LEDGER_TOOL_MAX_MESSAGES=0" in err
    monkeypatch.setenv("LEDGER_TOOL_MAX_MESSAGES", "0")
    code, _, err = run_cli("check", f)
    assert len(err.strip().splitlines()) > 1000


def test_report_exits_1_when_its_audit_finds_errors(tmp_path, run_cli, example_ledger, seeds_dir):
    archive = tmp_path / "seeds"
    shutil.copytree(seeds_dir, archive)
    code, _, err = run_cli("report", example_ledger, "--out", tmp_path / "ok", "--sources", archive)
    assert code == 0, err
    doc = sorted(archive.glob("001_*.txt"))[0]
    doc.write_text(doc.read_text(encoding="utf-8").replace("£12 million", "£13 million"),
                   encoding="utf-8")
    code, _, err = run_cli("report", example_ledger, "--out", tmp_path / "bad", "--sources", archive)
    assert code == 1
    assert (tmp_path / "bad" / "report.html").is_file()     # written all the same
    assert "ledger-tool: report: audit: " in err and "the audit FAILED" in err


def test_the_advice_for_a_missing_rate_names_options_that_work(tmp_path, run_cli):
    """The error once advised --clamp, which report refuses; the advice given
    now is followed and works."""
    f = tmp_path / "old.toml"
    f.write_text('[[entry]]\nid = "a"\ndate = 1950-01-01\nfunder = "UK"\npurpose = "P"\n'
                 'amount = "€5"\n', encoding="utf-8")
    code, _, err = run_cli("report", f, "--out", tmp_path / "r")
    assert code == 1 and "no EUR->GBP rate on 1950-01-01" in err
    assert "--rates CSV" in err
    code, _, usage = run_cli("report", f, "--out", tmp_path / "r", "--clamp")
    assert code == 2          # report has no --clamp: the advice must not name it for report
    assert "--clamp takes" not in err and "(use clamp / --clamp" not in err
    rates = tmp_path / "rates.csv"
    rates.write_text("date,from,to,rate,source\n1950-01-01,EUR,GBP,0.5,test\n", encoding="utf-8")
    code, out, err = run_cli("report", f, "--out", tmp_path / "r", "--rates", rates,
                             "--format", "csv")
    assert code == 0, err
    assert "2.50" in out


@pytest.mark.parametrize("value", ["-5", "+3", "1e9", "９"])
def test_a_negative_or_odd_message_cap_is_refused_in_one_line(tmp_path, run_cli, monkeypatch,
                                                              value):
    """LEDGER_TOOL_MAX_MESSAGES=-5 used to mean "no limit" (only 0 says that)."""
    f = tmp_path / "bad.toml"
    f.write_text("".join(f'[[entry]]\nid = "e{i}"\n\n' for i in range(500)), encoding="utf-8")
    monkeypatch.setenv("LEDGER_TOOL_MAX_MESSAGES", value)
    code, _, err = run_cli("check", f)
    assert code == 1
    assert f"LEDGER_TOOL_MAX_MESSAGES={value!r}: give a whole number from 0 (no limit)" in err
    assert len(err.strip().splitlines()) < 5


def _warned_then_wrong(path, warned: int, wrong: int) -> list[str]:
    """A journal of ``warned`` entries with a purpose beside their splits (a
    warning each, at its line) followed by ``wrong`` entries with no amount
    in their amount (an error each, further down); returns the wrong
    entries' ids."""
    text = "".join(f'[[entry]]\nid = "w{i}"\ndate = 2015-01-01\nfunder = "UK:F"\n'
                   f'purpose = "P:{i}"\namount = "£2 million"\n'
                   + "".join(f'  [[entry.split]]\n  purpose = "{x}:{i}"\n  amount = "£1 million"\n'
                             for x in "AB") + "\n" for i in range(warned))
    text += "".join(f'[[entry]]\nid = "bad{i}"\ndate = 2015-02-01\nfunder = "UK:G"\n'
                    f'purpose = "Q:{i}"\namount = "lots"\n\n' for i in range(wrong))
    path.write_text(text, encoding="utf-8")
    return [f"bad{i}" for i in range(wrong)]


@pytest.mark.parametrize("cap", ["", "3"])
def test_warnings_under_the_cap_never_hide_an_error(tmp_path, run_cli, monkeypatch, cap):
    """Every error that makes check exit 1 is shown, ahead of the warnings,
    when the warnings alone would fill the cap."""
    f = tmp_path / "bad.toml"
    wrong = _warned_then_wrong(f, MAX_MESSAGES + 60, 5)
    monkeypatch.setenv("LEDGER_TOOL_MAX_MESSAGES", cap)
    code, _, err = run_cli("check", f)
    assert code == 1
    lines = err.strip().splitlines()
    shown = int(cap or MAX_MESSAGES)
    assert len(lines) == shown + 2     # + count + summary
    errors = [line for line in lines if ": error: " in line]
    assert [line.split("'")[1] for line in errors] == wrong[:shown]
    assert lines[:len(errors)] == errors                   # before any warning
    problems = 2 * (MAX_MESSAGES + 60) + 5     # each warned entry: its purpose, no source
    assert f"... and {problems - shown:,} more message(s) not shown" in lines[-2]


def test_a_cap_that_does_not_bite_leaves_the_lines_as_they_were(tmp_path, run_cli, monkeypatch):
    """Errors go first only when some line is cut: a cap of exactly the
    number of problems prints what no cap prints, in the same order."""
    f = tmp_path / "bad.toml"
    wrong = _warned_then_wrong(f, 30, 2)
    monkeypatch.setenv("LEDGER_TOOL_MAX_MESSAGES", "0")
    _, _, everything = run_cli("check", f)
    monkeypatch.setenv("LEDGER_TOOL_MAX_MESSAGES", "62")
    code, _, err = run_cli("check", f)
    assert code == 1 and err == everything
    lines = err.strip().splitlines()[:-1]
    ids = [line.split("'")[1] for line in lines]
    assert sorted(ids) == sorted([f"w{i}" for i in range(30)] * 2 + wrong)
    # the rules' order, as uncapped: the purpose warnings, the errors, then
    # the no-source warnings (errors first would put them at the top)
    assert ids[30:32] == wrong and ": warning: " in lines[0]


@dataclass(frozen=True)
class _Said:
    severity: str
    n: int


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["error", "warning", "info"]), max_size=12),
       st.integers(min_value=1, max_value=6))
def test_capped_reads_lazily_what_a_full_sort_would_show(kinds, cap):
    """``capped`` of a generator, holding only what the cap may show, says
    what the whole list says: uncut, all in order; cut, the errors first (in
    their order), then the warnings, then the rest, then the count of those
    not shown."""
    items = [_Said(k, i) for i, k in enumerate(kinds)]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LEDGER_TOOL_MAX_MESSAGES", str(cap))
        worded: list[int] = []
        got = capped((p for p in items), line=lambda p: worded.append(p.n) or f"{p.n}")
    if len(items) <= cap:
        assert got == [f"{p.n}" for p in items]
        return
    by_rank = [[p for p in items if p.severity == k] for k in ("error", "warning", "info")]
    assert got == [f"{p.n}" for p in sum(by_rank, [])[:cap]] + [
        f"... and {len(items) - cap:,} more message(s) not shown "
        "(set LEDGER_TOOL_MAX_MESSAGES=0 to see them all)"]
    assert len(worded) == cap      # only the lines shown are worded
