"""ledger-tool import under the message cap (LEDGER_TOOL_MAX_MESSAGES): when
the cap cuts a group of messages its errors come first (a flood of skipped
reversals never hides a rejected item or an unreadable file); when it does
not, the messages keep their order.  Both for a journal (-o) and a dataset
(--to)."""
from __future__ import annotations

import pytest

_HEAD = ('<iati-activities version="2.03"><iati-activity default-currency="GBP">'
         '<iati-identifier>{}</iati-identifier><reporting-org ref="XX"/>')
_TX = ('<transaction><transaction-type code="{}"/><transaction-date iso-date="2016-01-0{}"/>'
       '<value>{}</value></transaction>')
_TAIL = "</iati-activity></iati-activities>"
REVERSALS = 5      # per file: disbursements of -10 .. -14 with nothing to net into


def _reversals(ident: str) -> str:
    """An activity committing 100 GBP, then REVERSALS negative disbursements:
    each one skipped by rule (a reversal with no positive value)."""
    return (_HEAD.format(ident) + _TX.format(2, 1, 100)
            + "".join(_TX.format(3, i + 1, -10 - i) for i in range(REVERSALS)) + _TAIL)


def _folder(tmp_path):
    """a.xml, a2.xml: REVERSALS skipped each; m.xml: one rejected (a value
    that is no number); z.xml: truncated, unreadable.  Read in name order."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.xml").write_text(_reversals("XX-1"))
    (d / "a2.xml").write_text(_reversals("XX-4"))
    (d / "m.xml").write_text(_HEAD.format("XX-3") + _TX.format(2, 1, "lots") + _TAIL)
    (d / "z.xml").write_text(_HEAD.format("XX-2"))
    return d


OUTPUTS = [("-o", "out.toml", "-n"), ("-o", "out.toml"), ("--to", "out.parquet")]


def _messages(err: str) -> list[str]:
    """The import's problem lines and counts, without progress and summary."""
    return [line.removeprefix("ledger-tool: import: ") for line in err.splitlines()
            if not line.startswith(("ledger-tool: import: reading ",
                                    "ledger-tool: import: dry run:",
                                    "ledger-tool: import: nothing written",
                                    "ledger-tool: import: rejected and skipped",
                                    "ledger-tool: import: 2 new"))]


@pytest.mark.parametrize("output", OUTPUTS, ids=" ".join)
def test_under_a_cap_the_errors_are_shown_first(tmp_path, run_cli, monkeypatch, output):
    d = _folder(tmp_path)
    monkeypatch.setenv("LEDGER_TOOL_MAX_MESSAGES", "3")
    code, _, err = run_cli("import", "--from", "iati", d, *(
        str(tmp_path / o) if o.startswith("out") else o for o in output))
    assert code == 1, err        # z.xml cannot be read: nothing written
    lines = _messages(err)
    # the rejected and skipped ones: 2 x REVERSALS skipped + 1 rejected, 3 shown
    assert lines[0].startswith(f"{d / 'm.xml'}: activity 'XX-3' transaction #1"), lines
    assert "'lots' is not a number" in lines[0]
    assert [x.startswith(f"skipped: {d / 'a.xml'}: ") for x in lines[1:3]] == [True, True]
    assert lines[3].startswith(f"... and {2 * REVERSALS + 1 - 3} more message(s) not shown")
    # the rest: the unreadable file first, then the warning, ahead of the notes
    assert lines[4].startswith(f"{d / 'z.xml'}: activity 'XX-2': "), lines
    assert "truncated" in lines[4]
    assert lines[5].startswith(f"warning: {d / 'a2.xml'}: ") and "probably the same" in lines[5]
    assert lines[6].startswith("note: ")
    assert lines[7].startswith("... and ")
    assert len(lines) == 8, lines


@pytest.mark.parametrize("output", OUTPUTS, ids=" ".join)
def test_uncut_the_messages_keep_their_order(tmp_path, run_cli, monkeypatch, output):
    """Nothing cut: the files' messages in reading order, the rejected item
    of m.xml after the skipped ones of a.xml and a2.xml, the unreadable
    z.xml after the notes of the others."""
    d = _folder(tmp_path)
    monkeypatch.setenv("LEDGER_TOOL_MAX_MESSAGES", "0")
    code, _, err = run_cli("import", "--from", "iati", d, *(
        str(tmp_path / o) if o.startswith("out") else o for o in output))
    assert code == 1, err
    lines = _messages(err)
    files = [next((f for f in ("a.xml", "a2.xml", "m.xml", "z.xml") if f"{d / f}: " in x), x)
             for x in lines]
    kinds = [x.split(": ")[0] if x.startswith(("skipped: ", "note: ", "warning: ")) else "-"
             for x in lines]
    group = files[:2 * REVERSALS + 1]
    assert group == ["a.xml"] * REVERSALS + ["a2.xml"] * REVERSALS + ["m.xml"], lines
    assert kinds[:2 * REVERSALS + 1] == ["skipped"] * 2 * REVERSALS + ["-"]
    rest = list(zip(files, kinds))[2 * REVERSALS + 1:]
    assert rest.index(("z.xml", "-")) > max(i for i, (_, k) in enumerate(rest) if k == "note")
    assert not any(x.startswith("... and ") for x in lines)


def test_a_bad_cap_leaves_no_folder_behind(tmp_path, run_cli, monkeypatch):
    """LEDGER_TOOL_MAX_MESSAGES=-1 is refused in one line before --to makes
    its temporary folder: nothing is left half-written."""
    d = _folder(tmp_path)
    monkeypatch.setenv("LEDGER_TOOL_MAX_MESSAGES", "-1")
    code, _, err = run_cli("import", "--from", "iati", d, "--to", tmp_path / "out.parquet")
    assert code == 1 and "LEDGER_TOOL_MAX_MESSAGES" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]
