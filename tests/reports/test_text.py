"""Control characters in ledger text (reports/text.py show_controls): refused
in account names by check, shown as \\xNN on the terminal and in the HTML
audit section, never sent raw."""
from __future__ import annotations

import re

import pytest

from reports.text import format_table, show_controls

RAW = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@pytest.mark.parametrize("name,shown", [("UK:\\u001b[2JHome", r"'UK:\x1b[2JHome'"),
                                        ("UK:Home\\u202eOffice", r"'UK:Home\u202eOffice'"),
                                        ("UK:\\u0085x", r"'UK:\x85x'")])
def test_check_refuses_control_characters_in_account_names(tmp_path, run_cli, name, shown):
    f = tmp_path / "j.toml"
    f.write_text(f'[[entry]]\nid = "a"\ndate = 2015-01-01\nfunder = "{name}"\npurpose = "P"\n'
                 f'amount = "£1m"\n', encoding="utf-8")
    code, out, err = run_cli("check", f)
    assert code == 1
    assert f"error: funder {shown} holds a control or invisible character" in err
    assert "\x1b" not in err and "\u202e" not in err


@pytest.mark.parametrize("name,shown", [("UK:\x1b[2JHome", r"'UK:\x1b[2JHome'"),
                                        ("UK:Home\u202eOffice", r"'UK:Home\u202eOffice'")])
def test_a_bulk_table_words_control_characters_as_the_journal_does(tmp_path, run_cli, name,
                                                                    shown):
    f = tmp_path / "entries.csv"
    f.write_text("id,date,funder,purpose,amount,currency\n"
                 f'a,2015-01-01,"{name}",Security,12,GBP\nb,2015-01-01,UK:,Security,12,GBP\n',
                 encoding="utf-8")
    code, out, err = run_cli("check", f)
    assert code == 1
    assert f"entries.csv:2: entry 'a': error: funder {shown} holds a control or invisible character" in err
    assert "entries.csv:3: entry 'b': error: funder 'UK:' is not a valid account name" in err
    assert "\x1b" not in err and "\u202e" not in err


def test_terminal_tables_show_control_characters():
    text = format_table([{"title": "evil\x1b[2J\x07\x9b31m\u202eend\ttab\nline"}])
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u202e]", text.replace("\n", ""))
    assert r"evil\x1b[2J\x07\x9b31m\u202eend\x09tab\x0aline" in text
    assert show_controls("a\tb\nc\x00") == "a\tb\nc\\x00"


def test_sources_list_escapes_a_document_title(tmp_path, run_cli):
    f = tmp_path / "j.toml"
    f.write_text('[[document]]\nid = "d1"\ntitle = "Title \\u001b]0;pwned\\u0007 here"\n',
                 encoding="utf-8")
    code, out, err = run_cli("sources", "list", f)
    assert "\x1b" not in out and "\x07" not in out
    assert r"Title \x1b]0;pwned\x07 here" in out


def test_html_audit_section_shows_control_characters_as_xNN(run_cli, ledger_copy, tmp_path):
    book, archive = ledger_copy
    doc = sorted(archive.glob("001_*.txt"))[0]
    text = doc.read_text(encoding="utf-8")
    i = text.index("£12 million financed")
    doc.write_text(text[:i - 1] + "\x1b[31m\x07 " + text[i:], encoding="utf-8")
    sources = book / "sources.toml"
    s = sources.read_text(encoding="utf-8")
    s = s.replace('title = "Joint action between', 'title = "\\u0007Joint action between')
    sources.write_text(s, encoding="utf-8")
    code, out, err = run_cli("report", book, "--out", tmp_path / "r", "--sources", archive)
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    audit = page[page.index('<div class="audit">'):]
    assert not RAW.search(audit)
    assert r"\x1b[31m\x07" in audit and r"\x07Joint action" in audit



def test_a_file_name_with_escape_codes_reaches_the_terminal_escaped(tmp_path, run_cli):
    """Every message goes to stderr through ledger_tool.cli.InertMessages:
    a file's name (or anything in a message) cannot move the cursor, clear
    the screen or reorder the line."""
    folder = tmp_path / "e\x1b[2Jvil\u202e"
    folder.mkdir()
    (folder / "j\x07.toml").write_text('[[entry]]\nid = "a"\n', encoding="utf-8")
    code, _, err = run_cli("check", folder)
    assert code == 1
    assert r"e\x1b[2Jvil\u202e/j\x07.toml" in err
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", err)
    code, _, err = run_cli("check", tmp_path / "gone\x1b]0;x\x07")
    assert code == 1 and r"gone\x1b]0;x\x07" in err and "\x1b" not in err
