"""``cite`` on an entry whose citation is written as dotted keys or a
``[entry.source]`` table finds keys as TOML reads them: never a line inside
a multi-line string, a multi-line value moved whole, quoted keys and the
comments between the keys moved with them, every other byte kept."""
from __future__ import annotations

import tomllib

import pytest

LEDGER = ('[ledger]\ncurrency = "GBP"\n\n[[document]]\nid = "d1"\ntitle = "D1"\n'
          'published = 2020-01-01\n\n[[document]]\nid = "d2"\ntitle = "D2"\n'
          'published = 2020-01-01\n')
HEAD = '[[entry]]\nid = "e1"\ndate = 2020-01-01\nfunder = "F"\npurpose = "P"\namount = "£6m"\n'
NEXT = ('\n# next\n[[entry]]\nid = "e2"\ndate = 2020-01-01\nfunder = "F"\npurpose = "Q"\n'
        'amount = "£6m"\n  [[entry.source]]\n  doc = "d1"\n  quote = "£6m"\n')
ADDED = '  [[entry.source]]\n  doc = "d2"\n  quote = "£6m again"\n'
AOT = '  [[entry.source]]\n'

# (the entry's lines after HEAD as written, the same after cite: by hand)
CASES = {
    "a source. line inside notes": (
        'notes = """\nsee\nsource.gov.uk press note\n"""\n' + AOT + '  doc = "d1"\n'
        '  quote = "£6m"\n',
        'notes = """\nsee\nsource.gov.uk press note\n"""\n' + AOT + '  doc = "d1"\n'
        '  quote = "£6m"\n' + ADDED),
    "a multi-line quote": (
        'source.doc = "d1"\nsource.quote = """\n£6m"""\n',
        AOT + '  doc = "d1"\n  quote = """\n£6m"""\n' + ADDED),
    "quoted keys": (
        '"source".doc = "d1"\nsource."quote" = "£6m"  # c\n',
        AOT + '  doc = "d1"\n  "quote" = "£6m"  # c\n' + ADDED),
    "a header line inside notes": (
        'notes = """\n[entry.source]\n"""\nsource.doc = "d1"\nsource.quote = "£6m"\n',
        'notes = """\n[entry.source]\n"""\n' + AOT + '  doc = "d1"\n  quote = "£6m"\n' + ADDED),
    "a comment between the keys": (
        'source.doc = "d1"\n# about the quote\nsource.quote = "£6m"\n',
        AOT + '  doc = "d1"\n  # about the quote\n  quote = "£6m"\n' + ADDED),
}


@pytest.mark.parametrize("case", list(CASES))
def test_cite_adds_to_any_form_keeping_every_byte(tmp_path, run_cli, case):
    written, expected = CASES[case]
    (tmp_path / "ledger.toml").write_text(LEDGER, encoding="utf-8")
    journal = tmp_path / "pledges.toml"
    journal.write_bytes((HEAD + written + NEXT).encode("utf-8"))
    was = tomllib.loads(journal.read_text(encoding="utf-8"))["entry"][0]["source"]
    was = [was] if isinstance(was, dict) else was
    code, _, err = run_cli("cite", tmp_path, "e1", "--source", "d2", "--quote", "£6m again")
    assert code == 0, err
    got = journal.read_text(encoding="utf-8")
    assert got == HEAD + expected + NEXT
    assert tomllib.loads(got)["entry"][0]["source"] == \
        was + [{"doc": "d2", "quote": "£6m again"}]
    assert run_cli("check", tmp_path)[0] == 0
