"""Encodings and line endings: BOM, CRLF, legacy single-byte files.

Journals are UTF-8 (a BOM and CRLF line ends are read); anything else is
refused with the file and line.  Source documents (extract, audit) fall back
to cp1252 (a superset of latin-1's printable characters) with a warning.
Rate tables and spreadsheets are read with BOM and CRLF too.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import ledger
from ledger import read_book

DOC = "001_c33d2c2f8263bd4b"


def _one_file(example_ledger: Path) -> str:
    return "\n".join((example_ledger / n).read_text(encoding="utf-8")
                     for n in ("ledger.toml", "sources.toml", "pledges.toml"))


def _summary(book):
    return [(e.id, e.amount, e.currency, e.period, e.sources, e.line) for e in book.entries]


# ------------------------------------------------------------------ journals
@pytest.mark.parametrize("bom, newline", [(True, "\n"), (False, "\r\n"), (True, "\r\n")])
def test_journal_with_bom_and_crlf_reads_the_same(tmp_path, example_ledger, bom, newline):
    text = _one_file(example_ledger)
    plain = tmp_path / "plain.toml"
    plain.write_bytes(text.encode("utf-8"))
    other = tmp_path / "other.toml"
    other.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", newline).encode("utf-8"))
    a, b = ledger.load(plain), ledger.load(other)
    assert _summary(a) == _summary(b)          # same entries, same line numbers
    assert a.documents.keys() == b.documents.keys()


def test_crlf_problem_lines_match_lf(tmp_path, example_ledger):
    text = _one_file(example_ledger).replace('amount = "£1.4 million"', 'amount = "£1.4 zillion"')
    lf, crlf = tmp_path / "lf.toml", tmp_path / "crlf.toml"
    lf.write_bytes(text.encode("utf-8"))
    crlf.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    pl = [(p.line, p.entry_id, p.message) for p in read_book(lf, use_cache=False).problems]
    pc = [(p.line, p.entry_id, p.message) for p in read_book(crlf, use_cache=False).problems]
    assert pl and pl == pc
    wanted = text.splitlines().index('amount = "£1.4 zillion"') + 1
    assert any(line == wanted for line, _, _ in pl)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_single_byte_journal_is_refused_with_file_and_line(tmp_path, example_ledger, run_cli, encoding):
    text = _one_file(example_ledger)
    f = tmp_path / "legacy.toml"
    f.write_bytes(text.encode(encoding, errors="replace"))
    first_pound = text[:text.index("£")].count("\n") + 1
    problems = read_book(f, use_cache=False).problems
    assert [(p.file, p.line) for p in problems if "UTF-8" in p.message] == [(str(f), first_pound)]
    code, out, err = run_cli("check", f)
    assert code == 1
    assert f"{f}:{first_pound}: error: not valid UTF-8" in err
    assert "Traceback" not in err


def test_utf16_journal_is_refused_clearly(tmp_path, example_ledger, run_cli):
    f = tmp_path / "utf16.toml"
    f.write_bytes(_one_file(example_ledger).encode("utf-16"))
    code, _, err = run_cli("check", f)
    assert code == 1 and str(f) in err and "Traceback" not in err


def test_lone_cr_line_ends_give_a_syntax_error_with_line(tmp_path, example_ledger, run_cli):
    f = tmp_path / "mac.toml"
    f.write_bytes(_one_file(example_ledger).replace("\n", "\r").encode("utf-8"))
    code, _, err = run_cli("check", f)
    assert code == 1 and f"{f}:1: error: TOML syntax error" in err


def test_folder_ledger_mixing_encodings_reports_only_the_bad_file(tmp_path, example_ledger):
    book = tmp_path / "book"
    shutil.copytree(example_ledger, book)
    pledges = book / "pledges.toml"
    pledges.write_bytes(b"\xef\xbb\xbf" + pledges.read_bytes().replace(b"\n", b"\r\n"))
    assert len(ledger.load(book).entries) == len(ledger.load(example_ledger).entries)
    bad = book / "extra.toml"
    bad.write_bytes('# notes written on Windows: caf\u00e9\n[ledger]\n'.encode("cp1252"))
    problems = read_book(book, use_cache=False).problems
    assert [(p.file, p.line) for p in problems] == [(str(bad), 1)]


# ------------------------------------------------------------------ source documents
@pytest.fixture(scope="module")
def seed_text(seeds_dir) -> str:
    return (seeds_dir / f"{DOC}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-8-crlf"])
def test_extract_reads_legacy_and_bom_documents(tmp_path, seed_text, encoding):
    from ledger.phrases.extract import find_mentions
    from ledger.sources.render import read_document

    f = tmp_path / f"{DOC}.txt"
    if encoding == "utf-8-crlf":
        f.write_bytes(seed_text.replace("\n", "\r\n").encode("utf-8"))
    else:
        f.write_bytes(seed_text.encode(encoding))
    doc = read_document(f)
    assert doc.text == seed_text.replace("\r\n", "\n")
    if encoding == "cp1252":
        assert any("cp1252" in w and str(f) in w for w in doc.warnings)
    else:
        assert not doc.warnings
    original = find_mentions(seed_text, DOC)
    again = find_mentions(doc.text, DOC)
    assert [(m.line, m.column, m.amount, m.currency) for m in again] == \
        [(m.line, m.column, m.amount, m.currency) for m in original]


def test_extract_cli_warns_on_cp1252_and_still_finds_pounds(tmp_path, seed_text, run_cli):
    f = tmp_path / "legacy.txt"
    f.write_bytes(seed_text.encode("cp1252"))
    code, out, err = run_cli("extract", f, "--format", "csv")
    assert code == 0
    assert "warning" in err and "cp1252" in err and str(f) in err
    assert "GBP" in out and "EUR" in out


def test_latin1_document_reads_pound_and_accents(tmp_path):
    from ledger.phrases.extract import find_mentions
    from ledger.sources.render import read_document

    f = tmp_path / "latin1.txt"
    f.write_bytes("Le ministre a annonc\u00e9 \u00a312 million pour Calais.\n".encode("latin-1"))
    doc = read_document(f)
    assert "annonc\u00e9 \u00a312 million" in doc.text and doc.warnings
    (m,) = find_mentions(doc.text, "latin1")
    assert m.currency == "GBP" and (m.line, m.column) == (1, doc.text.index("\u00a3") + 1)


def test_audit_reads_cp1252_sources_with_a_warning(tmp_path, seed_text):
    archive = pytest.importorskip("ledger.sources.archive")
    f = tmp_path / f"{DOC}.txt"
    f.write_bytes(seed_text.encode("cp1252"))
    src = archive.read_source(f)
    assert src.text == seed_text
    assert any("cp1252" in w for w in src.warnings)


def test_audit_cli_on_cp1252_archive_names_the_document(tmp_path, seeds_dir, example_ledger, run_cli):
    pytest.importorskip("ledger_tool.cmd_audit")
    archive = tmp_path / "archive"
    shutil.copytree(seeds_dir, archive)
    f = archive / f"{DOC}.txt"
    f.write_bytes(f.read_text(encoding="utf-8").encode("cp1252"))
    code, out, err = run_cli("audit", example_ledger, "--sources", archive)
    assert "Traceback" not in err
    both = out + err
    assert "cp1252" in both and DOC in both
    # the archived bytes changed, so the hash no longer matches: reported, not hidden
    assert code == 1
    assert "sha256" in both.lower() or "hash" in both.lower()


# ------------------------------------------------------------------ tables
def test_rates_csv_with_bom_and_crlf(tmp_path):
    from rates.usercsv import read_rates_csv

    rows = "date,from,to,rate,source\r\n2015-07-14,GBP,EUR,1.4123,budget\r\n"
    f = tmp_path / "rates.csv"
    f.write_bytes(b"\xef\xbb\xbf" + rows.encode("utf-8"))
    frame = read_rates_csv(f)
    assert list(frame["from"]) == ["GBP"] and str(frame["rate"][0]) == "1.4123"
    assert list(frame["source"]) == ["budget"]


def test_rates_csv_in_cp1252_is_refused_with_file(tmp_path):
    from ledger.errors import LedgerError
    from rates.usercsv import read_rates_csv

    f = tmp_path / "rates.csv"
    f.write_bytes("date,from,to,rate,source\n2015-07-14,GBP,EUR,1.41,budget \u00a3\n".encode("cp1252"))
    with pytest.raises(LedgerError) as err:
        read_rates_csv(f)
    assert str(f) in str(err.value) and "\n" not in str(err.value)


def test_import_cp1252_csv_keeps_pound_sign(tmp_path):
    importer = pytest.importorskip("ledger.imports.table")
    f = tmp_path / "pledges.csv"
    f.write_bytes("id,date,funder,purpose,amount\r\nwin-1,2015-07-14,UK,Security:Port,\u00a37 million\r\n"
                  .encode("cp1252"))
    result = importer.import_table(f)
    assert not result.rejects
    (e,) = result.entries
    assert e.currency == "GBP" and e.amount_text == "\u00a37 million"


def test_import_warns_when_a_csv_is_not_utf8(tmp_path, run_cli):
    """A spreadsheet saved as "CSV" on Windows is read as cp1252, and the
    import says so instead of re-decoding silently."""
    f = tmp_path / "pledges.csv"
    f.write_bytes("id,date,funder,purpose,amount\n"
                  "e1,2015-07-14,UK:Home Office,S\u00e9curit\u00e9:Calais,\u00a31.4 million\n"
                  .encode("cp1252"))
    code, out, err = run_cli("import", f, "-o", tmp_path / "out" / "j.toml")
    assert code == 0, err
    assert "warning" in err and "cp1252" in err and str(f) in err
    import ledger
    (e,) = ledger.load(tmp_path / "out" / "j.toml").entries
    assert e.purpose == "S\u00e9curit\u00e9:Calais" and e.currency == "GBP"
