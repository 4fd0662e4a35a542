"""Names that look alike or hide characters (ledger/rules/lookalike.py, the
account rule in ledger/rules/rows.py): one account whatever its Unicode
form, every invisible character refused, look-alikes warned, and no bidi
control sent raw in any output.  Property tests over Unicode names."""
from __future__ import annotations

import json
import re
import unicodedata

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ledger
from ledger.model import BIDI_CONTROLS
from ledger.rules import rows as rr
from ledger.rules.lookalike import lookalikes, skeleton

CF = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
RAW_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
# names as people write them: letters of several scripts, accents, spaces
LETTERS = st.characters(categories=("Lu", "Ll", "Lo", "Mn", "Nd"), exclude_characters=":")
NAMES = st.text(LETTERS, min_size=1, max_size=12).map(lambda s: "X" + s + "Y")


def test_the_format_characters_are_unicode_category_cf():
    """ledger.model.FORMAT_CHARS is written out (RE2 and re read it alike):
    it is every Cf character of this Python's Unicode."""
    pat = re.compile(f"[{ledger.model.FORMAT_CHARS}]")
    assert [c for c in map(chr, range(0x110000)) if pat.match(c)] == CF


def test_the_skeleton_is_unicodes():
    assert skeleton("UK:Ноme Office") == skeleton("UK:Home Office")    # Cyrillic Н, о
    assert skeleton("Аid") == skeleton("Aid")                          # Cyrillic А
    assert skeleton("Sécurité") == skeleton(unicodedata.normalize("NFD", "Sécurité"))
    assert skeleton("Home Office") != skeleton("Home Offices")
    assert lookalikes(["Aid", "Phase I", "Phase 1", "Аid"]) == [("Аid", "Aid")]
    assert lookalikes(["Phase I", "Phase 1"]) == []    # ASCII pairs are read as written


def _journal(path, funders):
    path.write_text("".join(
        f'[[entry]]\nid = "e{i}"\ndate = 2015-01-01\nfunder = {json.dumps(f, ensure_ascii=False)}\n'
        f'purpose = "P"\namount = "£1m"\n\n' for i, f in enumerate(funders)), encoding="utf-8")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES)
def test_nfc_and_nfd_spellings_are_one_account(tmp_path, name):
    path = tmp_path / "j.toml"
    _journal(path, [name] + [unicodedata.normalize(form, name) for form in ("NFC", "NFD")])
    book = ledger.read_book(path)
    assert not book.errors, book.errors
    assert set(book.frame()["funder"].astype(str)) == {unicodedata.normalize("NFC", name)}


@settings(max_examples=200, deadline=None)
@given(name=NAMES, cf=st.sampled_from(CF), at=st.integers(0, 20))
def test_any_format_character_in_a_name_is_refused_by_both_engines(name, cf, at):
    bad = name[:at] + cf + name[at:]
    assert rr.account_rule(bad) is rr.ACCOUNT_CONTROL
    assert rr.tag_rule(bad) is rr.BAD_TAG
    found = {rule.code for mask, rule, _, _ in rr.account_rows("funder", pa.array([bad]))
             if mask[0]}
    assert found == {"bad-account"}


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(codec="utf-8", categories=("Cf", "Cc", "Ll", "Zs", "Lo"))))
def test_no_output_sends_a_bidi_control_raw(text):
    from reports.html import esc, script_json
    from reports.pagedata import _clean
    from reports.text import show_controls
    from reports.workbook import _storable
    for shown in (show_controls(text), show_controls(text, terminal=True), esc(text),
                  script_json({"t": _clean(text)}), _storable(text)):
        assert not RAW_BIDI.search(shown)


def test_check_names_entry_and_field_of_an_invisible_character(tmp_path, run_cli):
    path = tmp_path / "j.toml"
    _journal(path, ["UK:Home Office", "UK:Home\u200bOffice", "U\ufeffK", "UK:\u061cA"])
    code, _, err = run_cli("check", path)
    assert code == 1
    assert f"{path}:11: entry 'e1': error: funder 'UK:Home\\u200bOffice' holds a control or " \
           f"invisible character" in err
    assert "entry 'e2': error: funder 'U\\ufeffK' holds" in err
    assert "entry 'e3': error: funder 'UK:\\u061cA' holds" in err
    assert not RAW_BIDI.search(err) and "\u200b" not in err and "\ufeff" not in err


def test_a_cyrillic_lookalike_is_warned_and_named(tmp_path, run_cli):
    path = tmp_path / "j.toml"
    _journal(path, ["UK:Home Office", "UK:Ноme Office"])
    code, _, err = run_cli("check", path)
    assert code == 0
    assert ("entry 'e1': warning: funder 'UK:Ноme Office' looks like 'UK:Home Office' "
            "(entry 'e0')") in err
    assert "U+041D CYRILLIC CAPITAL LETTER EN" in err


def test_the_report_page_and_workbook_hold_no_raw_bidi_control(tmp_path, run_cli):
    """Bidi controls in the ledger's name, a document's title, a note and a
    quote: the page (title, audit, data) and the workbook show them as \\uNNNN."""
    import zipfile
    f = tmp_path / "j.toml"
    f.write_text('[ledger]\nname = "Calais \\u202eevil"\n'
                 '[[document]]\nid = "d1"\ntitle = "Title \\u2067x\\u2069 \\u061c"\n\n'
                 '[[entry]]\nid = "a"\ndate = 2015-01-01\nfunder = "UK"\npurpose = "P"\n'
                 'amount = "£1m"\nnotes = "note \\u202dx"\n  [[entry.source]]\n  doc = "d1"\n'
                 '  quote = "£1m \\u200f"\n', encoding="utf-8")
    code, _, err = run_cli("report", f, "--out", tmp_path / "r")
    assert code == 0, err
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert not RAW_BIDI.search(page)
    assert "Calais \\u202eevil" in page
    with zipfile.ZipFile(tmp_path / "r" / "report.xlsx") as z:
        for name in z.namelist():
            if name.startswith("xl/media/"):   # the charts' PNG bytes are not text
                continue
            assert not RAW_BIDI.search(z.read(name).decode("utf-8", "replace")), name
    assert not RAW_BIDI.search(err)
