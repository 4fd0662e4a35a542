"""An imported entry rewritten with new fields (``replace_entries`` given a
table, ``ledger.edit.merge_entry_text``): only what differs changes, the
user's lines stay byte for byte, and a shape it cannot rewrite is written
anew and said."""
from __future__ import annotations

import tomllib
from pathlib import Path

from ledger.edit import render_entry
from ledger.imports.common import data_citation, replace_entries

OLD = '''# my ledger
[[entry]]
id = "fts-1"
# a comment of mine
recipient = "Mine"  # my own
date = 2020-01-13
funder = "F"
purpose = "P:Q"
amount = "100"  # as FTS said
currency = "EUR"
restated = [
  "$110",
]
tags = ["fts", "fts-version-1", "mine"]
  [[entry.source]]
  doc = "report"
  quote = "100"
  [[entry.source]]
  doc = "fts-a-1"
  quote = "\\"originalAmount\\": 100"
  locator = "flow 1 version 1"
  # the importer's, checked

[[entry]]
id = "other"
'''

NEW = {"id": "fts-1", "date": "2020-01-13", "funder": "F", "purpose": "P:Q", "amount": "90",
       "currency": "EUR", "period": "from 2020-01-01 to 2020-12-31",
       "recipient": "Mine", "tags": ["fts", "fts-version-2", "mine"],
       "source": [{"doc": "report", "quote": "100"},
                  {"doc": "fts-a-2", "quote": '"originalAmount": 90', "locator": "flow 1 version 2"}]}


def _write(tmp_path: Path, text: str, newline: str = "\n") -> Path:
    f = tmp_path / "fts.toml"
    f.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return f


def _new(fields: dict) -> dict:
    import datetime as dt
    return {**fields, "date": dt.date.fromisoformat(fields["date"])}


def test_only_what_differs_changes(tmp_path):
    f = _write(tmp_path, OLD)
    said: list[str] = []
    got = replace_entries(f, {2: _new(NEW)}, said).decode("utf-8")
    assert not said
    assert got == OLD.replace('amount = "100"  # as FTS said', 'amount = "90"  # as FTS said') \
        .replace('restated = [\n  "$110",\n]\n', 'period = "from 2020-01-01 to 2020-12-31"\n') \
        .replace('"fts-version-1"', '"fts-version-2"') \
        .replace('  doc = "fts-a-1"\n  quote = "\\"originalAmount\\": 100"\n'
                 '  locator = "flow 1 version 1"\n',
                 '  doc = "fts-a-2"\n  quote = "\\"originalAmount\\": 90"\n'
                 '  locator = "flow 1 version 2"\n')
    (entry, _) = tomllib.loads(got)["entry"]
    assert entry == tomllib.loads(render_entry(_new(NEW)))["entry"][0]


def test_crlf_lines_stay_crlf(tmp_path):
    f = _write(tmp_path, OLD, "\r\n")
    got = replace_entries(f, {2: _new(NEW)})
    assert b"\r\n" in got and b"\n" not in got.replace(b"\r\n", b"")
    assert b'# a comment of mine\r\nrecipient = "Mine"  # my own\r\n' in got


def test_an_inline_citation_list_is_written_anew_and_said(tmp_path):
    old = OLD.replace('''  [[entry.source]]
  doc = "report"
  quote = "100"
  [[entry.source]]
  doc = "fts-a-1"
  quote = "\\"originalAmount\\": 100"
  locator = "flow 1 version 1"
  # the importer's, checked
''', '''source = [{doc = "report", quote = "100"}, {doc = "fts-a-1", quote = "100", locator = "flow 1 version 1"}]
''')
    f = _write(tmp_path, old)
    said: list[str] = []
    got = replace_entries(f, {2: _new(NEW)}, said).decode("utf-8")
    assert len(said) == 1 and "'fts-1'" in said[0] and "written anew" in said[0]
    assert tomllib.loads(got)["entry"][0] == tomllib.loads(render_entry(_new(NEW)))["entry"][0]
    assert got.startswith("# my ledger\n") and got.endswith('[[entry]]\nid = "other"\n')


def test_whose_citations_are_the_importers():
    assert data_citation({"doc": "fts-x-1", "locator": "flow 1 version 2; updated 2020"})
    assert data_citation({"doc": "iati-x-1", "locator": "activity A, transaction #3"})
    assert not data_citation({"doc": "myrep", "locator": "flow 1 version 2"})
    assert not data_citation({"doc": "fts-x-1", "locator": "page 2"})
