"""ledger/edit.py's in-place edits: a citation added to an existing entry
(`ledger-tool cite`), tables found and removed without touching the rest."""
from __future__ import annotations

import tomllib

import pytest
import tomlkit
from hypothesis import given, settings
from hypothesis import strategies as st

import ledger
from ledger.edit import add_citation, remove_tables, render_entry, table_spans
from ledger.errors import LedgerError

JOURNAL = """\ufeff# my ledger\r
[ledger]\r
name = "x"\r
\r
[[document]]\r
id = "a"\r
title = "A"\r
publisher = "P"\r
published = 2024-03-03\r
\r
[[document]]\r
id = "b"\r
title = "B"\r
publisher = "P"\r
published = 2024-03-04\r
\r
[[entry]]   # the first\r
id = "one"\r
date = 2024-03-03\r
funder = "UK"\r
purpose = "Harbour"\r
amount = "£12m"\r
    [[entry.source]]\r
    doc = "a"\r
    quote = "£12m"\r
\r
# the second entry\r
[[entry]]\r
id = "two"\r
date = 2024-03-04\r
funder = "UK"\r
purpose = "Other"\r
amount = "£3m"\r
"""


@pytest.fixture
def book(tmp_path):
    p = tmp_path / "book.toml"
    p.write_bytes(JOURNAL.encode("utf-8"))
    return p


def test_cite_adds_a_second_source_and_keeps_every_other_byte(book, run_cli):
    code, _, err = run_cli("cite", book, "one", "--source", "b", "--quote", "a further £12m",
                           "--locator", "heading: Funding")
    assert code == 0, err
    assert "now cites 'b'" in err
    new = book.read_bytes()
    old = JOURNAL.encode("utf-8")
    added = b'    [[entry.source]]\r\n    doc = "b"\r\n    quote = "a further \xc2\xa312m"\r\n' \
            b'    locator = "heading: Funding"\r\n'
    at = old.index(b'\r\n# the second entry')
    assert new == old[:at] + added + old[at:]
    e = ledger.load(book).entry("one")
    assert [(c.doc, c.quote) for c in e.sources] == [("a", "£12m"), ("b", "a further £12m")]


def test_cite_the_last_entry_and_dry_run(book, run_cli):
    before = book.read_bytes()
    code, out, err = run_cli("cite", book, "two", "--source", "a", "--quote", "£3m", "--dry-run")
    assert code == 0 and "nothing written" in err and 'doc = "a"' in out
    assert book.read_bytes() == before
    assert run_cli("cite", book, "two", "--source", "a", "--quote", "£3m")[0] == 0
    assert book.read_bytes().startswith(before)
    assert [c.doc for c in ledger.load(book).entry("two").sources] == ["a"]


def test_cite_refuses_what_would_be_wrong_and_writes_nothing(book, run_cli):
    before = book.read_bytes()
    for args, said in ((("nobody", "--source", "a", "--quote", "x"), "no entry 'nobody'"),
                       (("one", "--source", "zz", "--quote", "x"), "no document 'zz'"),
                       (("one", "--source", "a", "--quote", "£12m"), "already cites"),
                       (("one", "--source", "a", "--quote", " "), "give the quote")):
        code, _, err = run_cli("cite", book, *args)
        assert code == 1 and said in err and "Traceback" not in err, err
        assert book.read_bytes() == before


def test_cite_refuses_a_bulk_table(tmp_path, run_cli):
    t = tmp_path / "t.csv"
    t.write_text("id,date,funder,purpose,amount,currency\n", encoding="utf-8")
    code, _, err = run_cli("cite", t, "x", "--source", "a", "--quote", "q")
    assert code == 1 and "bulk table" in err


def test_cite_in_a_folder_ledger(tmp_path, run_cli):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "sources.toml").write_text(JOURNAL.split("[[entry]]")[0].lstrip("\ufeff"),
                                         encoding="utf-8")
    (folder / "pledges.toml").write_text("[[entry]]" + JOURNAL.split("[[entry]]", 1)[1],
                                         encoding="utf-8")
    assert run_cli("cite", folder, "two", "--source", "b", "--quote", "£3m")[0] == 0
    assert [c.doc for c in ledger.load(folder).entry("two").sources] == ["b"]


def test_a_header_inside_a_multiline_string_is_refused_not_misread(tmp_path):
    p = tmp_path / "b.toml"
    p.write_text(JOURNAL.replace('purpose = "Harbour"', 'purpose = "Harbour"\nnotes = """\n'
                                 '[[entry]]\nnot a table\n"""').lstrip("\ufeff"),
                 encoding="utf-8")
    before = p.read_bytes()
    with pytest.raises(LedgerError, match="in place safely|cannot find"):
        add_citation(p, "one", {"doc": "b", "quote": "x"})
    assert p.read_bytes() == before


names = st.sampled_from(["document", "entry"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(names, st.integers(0, 2), st.booleans()), min_size=1, max_size=6),
       st.data())
def test_removing_tables_removes_exactly_them(tables, data):
    parts = []
    for k, (name, subs, comment) in enumerate(tables):
        text = (f"# about {k}\n" if comment else "") + f"[[{name}]]\nid = \"t{k}\"\n"
        if name == "entry":
            text += "".join(f"  [[entry.source]]\n  doc = \"d{j}\"\n" for j in range(subs))
        parts.append(text)
    text = "\n".join(parts)
    spans = [s for s in table_spans(text) if "." not in s[0]]
    assert [s[0] for s in spans] == [t[0] for t in tables]
    drop = data.draw(st.sets(st.integers(0, len(tables) - 1)))
    out = remove_tables(text, [(a, b) for k, (_, a, b) in enumerate(spans) if k in drop])
    got = tomllib.loads(out)
    want = tomllib.loads(text)
    for name in ("document", "entry"):
        keep = [t for k, t in enumerate(want.get(name, [])) if
                [i for i, x in enumerate(tables) if x[0] == name][k] not in drop]
        assert got.get(name, []) == keep
    for k in set(range(len(tables))) - drop:      # the comments before a kept table stay
        if tables[k][2]:
            assert f"# about {k}\n" in out


@given(st.text(), st.lists(st.text(), max_size=3), st.sampled_from(["odd key", 'k"y', "plain_k"]))
@settings(max_examples=300, deadline=None)
def test_rendered_text_is_what_tomlkit_writes(text, texts, key):
    # text and lists of text are written without tomlkit, escaped as it escapes them
    got = render_entry({"id": "x", "notes": text, "tags": texts, key: "v" + text})
    want = ["[[entry]]", 'id = "x"']
    want += [f"tags = {tomlkit.item(texts).as_string()}"] if texts else []
    want += [f"notes = {tomlkit.item(text).as_string()}"] if text else []
    want += [f"{tomlkit.key(key).as_string()} = {tomlkit.item('v' + text).as_string()}"]
    assert got == "\n".join(want) + "\n"
    assert tomllib.loads(got)["entry"][0][key] == "v" + text
