"""The journal reader and `ledger-tool check`: the example ledger and every bad-input case."""
from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal

import pytest

import ledger
from ledger.model import OVER, PER_YEAR, Citation, Money

GOOD = """\
[[document]]
id = "doc1"
title = "A document"

[[entry]]
id = "e1"
date = 2015-07-14
funder = "UK:Home Office"
purpose = "Security:Calais port"
amount = "£1.4 million"
restated = ["2m Euros"]
  [[entry.source]]
  doc = "doc1"
  quote = "a further £1.4 million (2m Euros)"
"""


def write(tmp_path, text, name="j.toml"):
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_example_ledger_checks_clean(example_ledger, run_cli):
    code, out, err = run_cli("check", example_ledger)
    assert code == 0, err
    assert "8 entries, 5 documents, 0 error(s), 0 warning(s)" in out


def test_example_ledger_entries(example_ledger):
    book = ledger.load(example_ledger)
    by_id = {e.id: e for e in book.entries}
    jd = by_id["uk-joint-declaration-2014"]
    assert (jd.amount, jd.currency, jd.period.kind, jd.period.years) == (
        Decimal("12000000"), "GBP", OVER, Decimal(3))
    assert set(jd.restated) == {Money(Decimal("15000000"), "EUR"), Money(Decimal("19000000"), "USD")}
    # one pledge reported by two documents: one entry with two citations
    assert [c.doc for c in jd.sources] == ["001_c33d2c2f8263bd4b", "002_e2d441578c61b003"]
    assert by_id["uk-coquelles-railhead-2015"].qualifier == "up to"
    fr = by_id["france-africa-development-2015"]
    assert (fr.qualifier, fr.period.kind, fr.amount, fr.currency) == (
        "at least", PER_YEAR, Decimal("3000000000"), "EUR")
    assert fr.period.is_open_ended
    assert sum(1 for e in book.entries for c in e.sources if "12 million" in c.quote) == 2


def test_example_quotes_are_short_and_verbatim(example_ledger, seeds_dir):
    """Quotes are short phrases found in their seed, never whole paragraphs."""
    book = ledger.load(example_ledger)
    for e in book.entries:
        for c in e.sources:
            text = (seeds_dir / book.documents[c.doc].path).read_text(encoding="utf-8")
            # the seeds use non-breaking spaces in places; compare words
            assert " ".join(c.quote.split()) in " ".join(text.split()), (e.id, c.quote)
            assert len(c.quote.split()) <= 12, (e.id, c.quote)


def test_example_records_document_metadata(example_ledger, seeds_dir):
    import hashlib
    book = ledger.load(example_ledger)
    assert {p.stem for p in seeds_dir.glob("*.txt")} == set(book.documents)
    for d in book.documents.values():
        assert d.title and d.publisher and isinstance(d.published, dt.date)
        assert hashlib.sha256((seeds_dir / d.path).read_bytes()).hexdigest() == d.sha256


def test_reads_a_single_file(tmp_path):
    entries, docs, problems, _ = ledger.load_journal(write(tmp_path, GOOD))
    assert problems == []
    (e,) = entries
    assert e.sources == (Citation("doc1", "a further £1.4 million (2m Euros)"),)
    assert e.line == 5 and e.file.endswith("j.toml")


def test_folder_of_files_loads_together(tmp_path):
    write(tmp_path, GOOD.split("[[entry]]")[0], "sources.toml")
    write(tmp_path, "[[entry]]" + GOOD.split("[[entry]]")[1], "sub/pledges.toml")
    book = ledger.load(tmp_path)
    assert [e.id for e in book.entries] == ["e1"] and "doc1" in book.documents


def test_utf8_bom_and_crlf_are_read(tmp_path):
    p = tmp_path / "j.toml"
    p.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8"))
    entries, _, problems, _ = ledger.load_journal(p)
    assert problems == [] and len(entries) == 1


BAD_CASES = {
    "broken syntax": ("[[entry]\nid = 'x'\n", "TOML syntax error", 1),
    "unknown field": (GOOD.replace('purpose =', 'purpsoe ='), "unknown field 'purpsoe'", 9),
    "unknown currency": (GOOD.replace('"£1.4 million"', '"1.4 million ZZZ"'), "ZZZ", 10),
    "unparseable amount": (GOOD.replace('"£1.4 million"', '"lots of money"'), "amount", 10),
    "zero amount": (GOOD.replace('"£1.4 million"', '"£0"'), "amount", 10),
    "negative amount": (GOOD.replace('"£1.4 million"', '"-£5m"'), "amount", 10),
    "impossible date": (GOOD.replace("2015-07-14", "2015-02-30"), "", 0),
    "impossible date as text": (GOOD.replace("2015-07-14", '"2015-02-30"'), "not a valid date", 7),
    "duplicate id": (GOOD + GOOD.split("\n\n", 1)[1], "duplicate id 'e1'", 15),
    "link to a missing id": (GOOD.replace('amount =', 'part_of = "nope"\namount ='), "missing entry 'nope'", 5),
    "unknown document": (GOOD.replace('doc = "doc1"', 'doc = "doc9"'), "unknown document 'doc9'", 5),
    "unbalanced split": (GOOD.replace('purpose = "Security:Calais port"\n', "") +
                         '  [[entry.split]]\n  purpose = "A"\n  amount = "1000000"\n'
                         '  [[entry.split]]\n  purpose = "B"\n  amount = "300000"\n',
                         "split does not add up", 5),
    "unknown status": (GOOD.replace('amount =', 'status = "promised"\namount ='), "unknown status", 10),
    "restated in own currency": (GOOD.replace('"2m Euros"', '"£2m"'), "own currency", 11),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_input_gives_one_clear_line(tmp_path, run_cli, case):
    text, expected, line = BAD_CASES[case]
    path = write(tmp_path, text)
    code, out, err = run_cli("check", path)
    assert code == 1
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ": error: " in ln]
    assert lines, err
    assert expected in err
    assert all(str(path) in ln for ln in lines)
    if line:
        assert any(ln.startswith(f"{path}:{line}:") for ln in lines), err
    if case not in ("broken syntax", "impossible date"):
        assert "entry 'e1'" in err


@pytest.mark.parametrize("content,expected", [
    (b"", "empty file"),
    (b"   \n\n", "empty file"),
    (b"\x00\x01\x02binary\x00", "binary file"),
    (b"id = '\xff\xfe'\n", "not valid UTF-8"),
])
def test_unreadable_files(tmp_path, run_cli, content, expected):
    p = tmp_path / "j.toml"
    p.write_bytes(content)
    code, out, err = run_cli("check", p)
    assert code == 1 and expected in err and str(p) in err and "Traceback" not in err


def test_missing_path(tmp_path, run_cli):
    code, out, err = run_cli("check", tmp_path / "nope")
    assert code == 1 and "no such file or folder" in err and "nope" in err


def test_empty_folder(tmp_path, run_cli):
    code, out, err = run_cli("check", tmp_path)
    assert code == 1 and "no journal files" in err


def test_all_problems_reported_in_one_run(tmp_path, run_cli):
    text = GOOD.replace('purpose =', 'purpsoe =') + GOOD.split("\n\n", 1)[1].replace(
        "2015-07-14", '"2015-13-01"').replace('id = "e1"', 'id = "e2"').replace('"£1.4 million"', '"£-1"')
    write(tmp_path, text)
    code, out, err = run_cli("check", tmp_path / "j.toml")
    assert code == 1
    assert "unknown field 'purpsoe'" in err and "entry 'e2'" in err and "not a valid date" in err
    assert "3 error(s)" in err or "4 error(s)" in err


def test_load_raises_ledger_error_listing_problems(tmp_path):
    write(tmp_path, GOOD.replace('purpose =', 'purpsoe ='))
    with pytest.raises(ledger.LedgerError, match="purpsoe"):
        ledger.load(tmp_path / "j.toml")


def test_missing_source_is_a_warning_and_strict_fails(tmp_path, run_cli):
    write(tmp_path, GOOD.split("  [[entry.source]]")[0])
    code, out, err = run_cli("check", tmp_path / "j.toml")
    assert code == 0 and "warning: no source" in err
    code, _, _ = run_cli("check", "--strict", tmp_path / "j.toml")
    assert code == 1


def test_phased_parts_exceeding_package(tmp_path, run_cli):
    pkg = GOOD.replace("[[document]]", "[[document]]", 1)
    parts = "".join(
        GOOD.split("\n\n", 1)[1].replace('id = "e1"', f'id = "p{i}"').replace(
            'amount = "£1.4 million"', f'part_of = "e1"\namount = "£{v}"')
        for i, v in ((1, "1m"), (2, "500000")))
    write(tmp_path, pkg + parts)
    code, out, err = run_cli("check", tmp_path / "j.toml")
    assert code == 1 and "phased parts (p1, p2) add up to 1500000 GBP" in err


def test_usage_error_exits_2(run_cli):
    code, out, err = run_cli("check")
    assert code == 2 and "Traceback" not in err


def test_a_link_to_an_entry_left_out_for_its_errors_is_not_called_missing(tmp_path, run_cli):
    """The entry's own errors are reported; its dependants are not sent
    looking for an entry that is there, and a truly missing target still is."""
    bad = GOOD.split("\n\n", 1)[1].replace('"£1.4 million"', '"£5 zillion"')
    payer = GOOD.split("\n\n", 1)[1].replace('id = "e1"', 'id = "pay"').replace(
        'amount = "£1.4 million"', 'disburses = "e1"\namount = "£1m"')
    lost = payer.replace('id = "pay"', 'id = "lost"').replace('disburses = "e1"',
                                                             'disburses = "e9"')
    write(tmp_path, GOOD.split("\n\n", 1)[0] + "\n\n" + bad + payer + lost)
    from ledger.read.journal import read_journal
    j = read_journal(tmp_path / "j.toml")
    assert j.rejected == ("e1",) and [e.id for e in j.entries] == ["pay", "lost"]
    code, out, err = run_cli("check", tmp_path / "j.toml")
    assert code == 1
    assert "entry 'e1': error: amount:" in err
    assert "missing entry 'e1'" not in err
    assert "entry 'lost': error: disburses names a missing entry 'e9'" in err
    assert "2 entries" in err and "2 error(s)" in err


@pytest.mark.parametrize("amount, message", [
    ('"€1m"', "split amount '€1m' is in EUR, the entry in GBP"),
    ('"£1 zillion"', "split amount: cannot understand 'zillion'"),
    ("true", "split for 'Security:Fencing' needs an amount"),
    ('"-5"', "split amount for 'Security:Fencing' must be a positive number"),
])
def test_split_amount_problems(tmp_path, run_cli, amount, message):
    entry = GOOD.split("\n\n", 1)[1].replace('purpose = "Security:Calais port"\n', "") + (
        f'  [[entry.split]]\n  purpose = "Security:Fencing"\n  amount = {amount}\n'
        '  [[entry.split]]\n  purpose = "Security:Gates"\n  amount = "400,000"\n')
    write(tmp_path, GOOD.split("\n\n", 1)[0] + "\n\n" + entry)
    code, _, err = run_cli("check", tmp_path / "j.toml")
    assert code == 1 and message in err, err
    assert err.count("error:") == 1, err   # that problem alone
    good = tmp_path / "ok"
    write(good, GOOD.split("\n\n", 1)[0] + "\n\n" + entry.replace(f"amount = {amount}",
                                                                   'amount = "£1m"'))
    assert run_cli("check", good / "j.toml")[0] == 0
