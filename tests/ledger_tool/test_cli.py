"""`ledger-tool list` and `balance` on the example ledger."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from tests.conftest import REPO


def test_list_csv_has_the_documented_columns(example_ledger, run_cli):
    code, out, err = run_cli("list", example_ledger, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"id", "date", "funder", "purpose", "amount", "currency", "qualifier", "period",
            "status", "sources"} <= set(rows[0])
    jd = next(r for r in rows if r["id"] == "uk-joint-declaration-2014")
    assert (jd["amount"], jd["currency"], jd["period"]) == ("12000000", "GBP", "over 3 years")
    assert jd["sources"] == "001_c33d2c2f8263bd4b;002_e2d441578c61b003"


def test_list_filters(example_ledger, run_cli):
    code, out, _ = run_cli("list", example_ledger, "--format", "json", "--funder", "France")
    rows = json.loads(out)
    assert {r["id"] for r in rows} == {"france-africa-development-2015", "france-calais-humanitarian-2015"}
    code, out, _ = run_cli("list", example_ledger, "--format", "json", "--purpose", "Security",
                           "--from", "2015-01-01")
    assert {r["id"] for r in json.loads(out)} == {"uk-calais-lorry-waiting-area-2015",
                                                  "uk-coquelles-railhead-2015"}
    code, out, _ = run_cli("list", example_ledger, "--format", "json", "--status", "committed")
    assert all(r["status"] == "committed" for r in json.loads(out)) and len(json.loads(out)) == 2


def test_list_table_formats_amounts_for_the_locale(example_ledger, run_cli):
    _, out_gb, _ = run_cli("list", example_ledger)
    from babel.numbers import format_currency
    assert format_currency(12_000_000, "GBP", locale="en_GB") in out_gb
    _, out_fr, _ = run_cli("list", example_ledger, "--locale", "fr_FR")
    assert format_currency(12_000_000, "GBP", locale="fr_FR") in out_fr


def test_unknown_locale_is_a_clear_error(example_ledger, run_cli):
    code, _, err = run_cli("list", example_ledger, "--locale", "xx_YY")
    assert code == 1 and "unknown locale 'xx_YY'" in err


def test_balance_rolls_up_and_sums_to_zero(example_ledger, run_cli):
    code, out, err = run_cli("balance", example_ledger, "--format", "json")
    assert code == 0, err
    rows = {(r["account"], r["currency"]): Decimal(str(r["amount"])) for r in json.loads(out)}
    assert rows[("Purposes:Security", "GBP")] == (rows[("Purposes:Security:Calais port", "GBP")]
                                                  + rows[("Purposes:Security:Channel Tunnel railhead", "GBP")])
    assert rows[("Purposes:Security:Calais port", "GBP")] == Decimal("13400000")
    assert rows[("Funders:UK", "GBP")] == -Decimal("337400000")
    assert rows[("(total)", "GBP")] == rows[("Purposes", "GBP")] == -rows[("Funders", "GBP")]
    assert rows[("(total)", "EUR")] == rows[("Purposes", "EUR")]
    assert rows[("Funders", "EUR")] == -rows[("Purposes", "EUR")]


def test_balance_depth(example_ledger, run_cli):
    _, out, _ = run_cli("balance", example_ledger, "--format", "csv", "--depth", "2")
    accounts = {r["account"] for r in csv.DictReader(io.StringIO(out))}
    assert "Purposes:Security" in accounts and "Purposes:Security:Calais port" not in accounts


def test_python_dash_m_and_help():
    out = subprocess.run([sys.executable, "-m", "ledger_tool", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "check" in out.stdout and "balance" in out.stdout


def test_every_message_carries_one_prefix(run_cli, tmp_path):
    code, _, err = run_cli("check")                       # a usage error names its command
    assert code == 2 and err.startswith("ledger-tool check: ") and err.count("ledger-tool:") == 0
    code, _, err = run_cli("audit", tmp_path / "nowhere")   # a LedgerError
    assert code == 1 and err.startswith("ledger-tool: ") and "ledger-tool: ledger-tool" not in err


def test_version_is_the_packages():
    import tomllib

    want = tomllib.loads((REPO / "pyproject.toml")
                         .read_text(encoding="utf-8"))["project"]["version"]
    out = subprocess.run([sys.executable, "-m", "ledger_tool", "--version"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == f"ledger-tool {want}"


def test_a_command_reads_no_distribution_metadata():
    """The installed distribution's metadata (``--version``'s) is read only
    for --version: ``import``'s parser, and the journal reader it loads,
    import no ``importlib.metadata`` (``check`` loads it with the rates)."""
    code = ("import sys, ledger_tool.cli as c, ledger.read.journal_columns\n"
            "c.build_parser('import').parse_args(['import', 'x', '-o', 'y.toml'])\n"
            "print('importlib.metadata' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    assert out.returncode == 0 and out.stdout.strip() == "False", out.stderr


def _helps():
    """(command, its help line in the top-level help, its own --help text)."""
    from ledger_tool.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    lines = {c.dest: c.help for c in sub._choices_actions}
    return parser, {name: (lines[name], p) for name, p in sub.choices.items()}


def test_every_help_lists_every_format_and_names_what_it_writes():
    _, helps = _helps()
    for name, (line, p) in helps.items():
        text = p.format_help()
        for action in p._actions:
            if action.dest in ("fmt", "format", "source") and action.choices:
                for choice in action.choices:     # every format, in the line and the page
                    assert choice in text, (name, choice)
                    if name == "export":
                        assert choice.lower() in line.lower().replace("fiscal data package",
                                                                        "fdp"), (name, choice)
    assert "fdp" in helps["export"][1].format_help() and "datapackage.json" in \
        helps["export"][1].format_help()
    import_help = " ".join(helps["import"][1].format_help().split())
    for written in ("imported.toml", "iati.toml", "fts.toml"):
        assert written in import_help and written in helps["import"][0]
    for written in ("report.xlsx", "report.html", "summary.csv"):
        assert written in helps["report"][0]
    assert "--draft" in helps["extract"][0]


def test_the_import_help_names_the_file_iati_writes(run_cli, tmp_path):
    from ledger_tool.cmd_import import DATA_FILE
    from ledger_tool.import_data import DATA_FILE as written
    assert written is DATA_FILE      # one table: the help cannot name another file


def test_a_folder_is_printed_with_one_slash(example_ledger, run_cli, tmp_path):
    out = tmp_path / "fdp"
    code, _, err = run_cli("export", example_ledger, "--to", "fdp", "-o", f"{out}/")
    assert code == 0, err
    assert f"{out}/ " in err and "//" not in err


def test_help_lists_each_command_without_importing_it():
    """--help and a usage error import no command's module, and list each
    command with the same line as the command's own registration."""
    code = ("import sys, ledger_tool.cli as c\n"
            "c.build_parser('').format_help()\n"
            "print(sorted(m for m in sys.modules if m.startswith('ledger_tool.cmd_')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr
    from ledger_tool.cli import COMMANDS, build_parser
    lazy = next(a for a in build_parser("")._actions if a.dest == "command")
    _, helps = _helps()
    assert {c.dest: c.help for c in lazy._choices_actions} == {n: h[0] for n, h in helps.items()} \
        == COMMANDS
    one = next(a for a in build_parser("check")._actions if a.dest == "command")
    assert one.choices["check"].format_help() == helps["check"][1].format_help()


def test_each_commands_line_is_written_once():
    """A command's line in --help is ``COMMANDS``'s: no cmd_<name>.py passes
    its own ``help=`` to its parser (a second copy drifts)."""
    import ast

    from ledger_tool.cli import COMMANDS
    root = REPO / "ledger_tool"
    for name in COMMANDS:
        tree = ast.parse((root / f"cmd_{name}.py").read_text(encoding="utf-8"))
        own = [c for c in ast.walk(tree) if isinstance(c, ast.Call)
               and getattr(c.func, "attr", "") == "add_parser" and c.args
               and getattr(c.args[0], "value", None) == name]
        assert own, name
        assert not [k for c in own for k in c.keywords if k.arg == "help"], name


def test_every_line_of_an_error_is_prefixed():
    from ledger_tool.cli import prefixed

    assert prefixed("a: bad\nb: bad\n\nledger-tool check: c") == \
        "ledger-tool: a: bad\nledger-tool: b: bad\n\nledger-tool check: c"
    # a file in a folder named ledger-tool-x/ is one more line to prefix
    assert prefixed("a: bad\nledger-tool-x/b.toml: bad") == \
        "ledger-tool: a: bad\nledger-tool: ledger-tool-x/b.toml: bad"
