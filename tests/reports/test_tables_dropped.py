"""Options that would leave entries out of the totals say so (reports/tables.py
dropped_warnings, _check_compare; ledger_tool/common.py filtered)."""
from __future__ import annotations

import ledger
from reports.tables import ReportOptions, build_report

FRANCE = "france-africa-development-2015, france-calais-humanitarian-2015"


def test_a_horizon_before_an_open_ended_start_is_a_warning_naming_them(run_cli, example_ledger,
                                                                       tmp_path):
    code, out, err = run_cli("report", example_ledger, "--out", tmp_path / "r", "--horizon", "2014")
    assert code == 0
    assert ("ledger-tool: report: warning: the horizon 2014 ends before 2 open-ended entries "
            f"start, so every total leaves them out: {FRANCE} (give a later --horizon).") in err
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "the horizon 2014 ends before 2 open-ended entries" in page
    report = build_report(ledger.load(example_ledger), ReportOptions(horizon="2016"))
    assert report.warnings == []
    report = build_report(ledger.load(example_ledger), ReportOptions(horizon="2014",
                                                                     basis="per-year"))
    assert "the by-year table leaves them out" in report.warnings[0]


def test_an_unknown_compare_funder_is_an_error(run_cli, example_ledger, tmp_path):
    code, out, err = run_cli("report", example_ledger, "--out", tmp_path / "r",
                             "--compare", "Germany", "--compare", "UK")
    assert code == 1
    assert "--compare 'Germany': no such funder among the entries reported (funders: France, UK)" \
        in err
    assert not (tmp_path / "r").exists()
    code, out, err = run_cli("report", example_ledger, "--out", tmp_path / "r",
                             "--funder", "UK", "--compare", "France")
    assert code == 1 and "'France': no such funder" in err


def test_filters_matching_nothing_warn(run_cli, example_ledger):
    for cmd in ("list", "balance"):
        code, out, err = run_cli(cmd, example_ledger, "--funder", "Nobody", "--status", "spent")
        assert "warning: no entries match the filters (--funder Nobody; --status spent): " \
               "all 8 left out" in err, cmd
