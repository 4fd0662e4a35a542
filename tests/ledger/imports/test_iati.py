"""IATI activity files: the fixtures in tests/fixtures/iati (written from the
IATI activity standard 1.05 / 2.03 and its codelists) through the reader, the
import command, check and audit."""
from __future__ import annotations

import csv
import shutil
from decimal import Decimal
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import ledger
from ledger.imports.common import load_names, percentages, shares
from ledger.imports.iati import TRANSACTION_TYPES, V1_CODES, read_iati
from tests.conftest import FIXTURES
from ledger.imports.problem import dropped, items_of, kind_of, where_of
from ledger.model import IMPORT, said

FIX = FIXTURES / "iati"
V2, V1 = FIX / "activities-v2.xml", FIX / "activities-v1.xml"


def _by_id(result):
    return {r.fields["id"]: r.fields for r in result.records}


def test_every_transaction_type_is_mapped_or_skipped_by_rule():
    r = read_iati(V2)
    recs = _by_id(r)
    got = {f["tags"][1]: f["status"] for f in recs.values() if f["tags"][1].startswith("iati-type")}
    assert got == {"iati-type-12": "pledged", "iati-type-13": "pledged",
                   "iati-type-2": "committed", "iati-type-11": "committed",
                   "iati-type-3": "disbursed", "iati-type-7": "disbursed",
                   "iati-type-4": "spent"}
    skipped = {where_of(p).split("'")[3] for p in r.problems
               if kind_of(p) == "skip" and "transaction" in where_of(p)}
    # NEG: a negative disbursement with no disbursement to net it into (a reversal, never
    # a figure of its own)
    assert skipped == {"IF1", "X5", "X6", "X8", "X9", "X10", "NEG"}
    # the mapping table covers the whole 2.0x codelist and the 1.0x letters
    assert set(TRANSACTION_TYPES) == {str(i) for i in range(1, 14)}
    assert set(V1_CODES.values()) == {str(i) for i in range(1, 11)}
    # the raw code stays beside the mapped status
    assert recs["iati-gb-gov-1-300001-t-d1"]["notes"].startswith(
        "IATI 2.03 transaction type 3 (Disbursement)")


def test_version_1_letter_codes():
    r = read_iati(V1)
    recs = _by_id(r)
    assert recs["iati-gb-1-200001-t-c-2013"]["status"] == "committed"
    assert recs["iati-gb-1-200001-t-d-2013"]["status"] == "disbursed"
    assert recs["iati-gb-1-200001-t-e-2013"]["status"] == "spent"
    assert recs["iati-gb-1-200001-t-r-2013"]["status"] == "disbursed"
    assert recs["iati-gb-1-200001-t-c-2013"]["funder"] == "Department for International Development"
    # a 2.0x number under 1.05: no 1.0x code is a number, so it reads as 2.0x, said once
    assert recs["iati-gb-1-200001-t-n-2013"]["status"] == "disbursed"
    assert not [p for p in r.problems if kind_of(p) == "reject"]
    said_numbers = [p for p in r.problems if "2.0x transaction type numbers" in p.message]
    assert len(said_numbers) == 1 and "activities-v1.xml" in said(said_numbers[0], IMPORT)


def test_currency_falls_back_to_default_and_transaction_date_is_the_entry_date():
    """The transaction-date dates the entry; the value-date (IATI's date for
    the exchange rate) is its value_date, said in the notes (issue 21:
    commitments of 2006-07 with a 2021 value-date landed in 2021)."""
    recs = _by_id(read_iati(V2))
    d1 = recs["iati-gb-gov-1-300001-t-d1"]          # <value> without @currency
    assert (d1["currency"], d1["amount"]) == ("GBP", "1000000")
    c2 = recs["iati-gb-gov-1-300002-t-c2"]          # value-date 06-01, transaction-date 06-10
    assert c2["currency"] == "EUR" and str(c2["date"]) == "2016-06-10"
    assert "value-date 2016-06-01: the date IATI gives for its exchange rate" in c2["notes"]
    assert str(c2["value_date"]) == "2016-06-01"
    assert "value_date" not in d1 or str(d1["value_date"]) == str(d1["date"])


def test_budgets_fiscal_periods_status_and_revisions():
    r = read_iati(V2)
    recs = _by_id(r)
    revised = recs["iati-gb-gov-1-300001-b-2"]
    assert revised["period"] == "from 2016-04-01 to 2017-03-31"
    assert revised["status"] == "committed" and revised["amount"] == "2500000"
    nxt = recs["iati-gb-gov-1-300001-b-3"]
    assert nxt["status"] == "pledged" and nxt["period"] == "from 2017-04-01 to 2018-03-31"
    # the original budget is replaced by the revised one for its period: linked, not counted
    assert recs["iati-gb-gov-1-300001-b-1"]["restates"] == "iati-gb-gov-1-300001-b-2"
    assert "replaced by the revised budget" in recs["iati-gb-gov-1-300001-b-1"]["notes"]
    pd1 = recs["iati-gb-gov-1-300002-pd-1"]
    assert pd1["status"] == "pledged" and pd1["period"] == "from 2017-01-01 to 2017-12-31"


def test_percentages_that_do_not_add_up_are_scaled_and_said():
    r = read_iati(V2)
    recs = _by_id(r)
    c1 = recs["iati-gb-gov-1-300001-t-c1"]              # sectors 60 + 30 = 90
    assert c1["split"] == [{"purpose": "Basic health care:Kenya", "amount": "3333333.33"},
                           {"purpose": "Primary education:Kenya", "amount": "1666666.67"}]
    c2 = recs["iati-gb-gov-1-300002-t-c2"]              # countries 50 + 30 = 80
    parts = {s["purpose"]: Decimal(s["amount"]) for s in c2["split"]}
    # country names from the IATI Country codelist (ledger/imports/codelists/country.csv)
    assert parts == {"Material relief assistance and services:Syrian Arab Republic (the)":
                     Decimal("1875000"),
                     "Material relief assistance and services:Lebanon": Decimal("1125000")}
    notes = [p.message for p in r.problems if kind_of(p) == "note" and "percentages" in p.message]
    assert any("add up to 90" in n for n in notes) and any("add up to 80" in n for n in notes)


def test_shares_add_up_exactly_and_missing_percentages_share_the_rest():
    parts = shares(Decimal("100"), "GBP", [("a", Decimal(1)), ("b", Decimal(1)), ("c", Decimal(1))])
    assert sum(a for _, a in parts) == Decimal("100")
    assert sorted(a for _, a in parts) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    w, note = percentages([("x", Decimal(70)), ("y", None)], "sectors")
    assert dict(w) == {"x": Decimal(70), "y": Decimal(30)} and "remaining 30%" in note


def test_links_count_each_figure_once():
    recs = _by_id(read_iati(V2))
    c1 = "iati-gb-gov-1-300001-t-c1"
    assert recs["iati-gb-gov-1-300001-t-d1"]["disburses"] == c1
    assert recs["iati-gb-gov-1-300001-t-e1"]["disburses"] == c1
    assert recs["iati-gb-gov-1-300001-b-2"]["part_of"] == c1
    assert recs["iati-gb-gov-1-300001-t-p1"]["restates"] == c1      # same funder's pledge
    # counted once per activity: another funder's pledge and the incoming commitment are the
    # money the activity's commitment passes on (they were counted on top of it before)
    assert recs["iati-gb-gov-1-300001-t-ip1"]["restates"] == c1
    assert recs["iati-gb-gov-1-300001-t-ic1"]["restates"] == c1
    assert "disburses" not in recs["iati-gb-gov-1-300001-t-ic1"]
    primary = [f for f in recs.values() if not ({"disburses", "part_of", "restates"} & set(f))]
    assert sorted(f["id"] for f in primary) == ["iati-gb-gov-1-300001-t-c1",
                                                "iati-gb-gov-1-300002-t-c2"]


def test_bad_inputs_name_file_activity_and_problem():
    r = read_iati(V2)
    msgs = [said(p, IMPORT) for p in r.problems if kind_of(p) == "reject"]
    assert any("activity 'GB-GOV-1-300003' transaction 'NC'" in m and "no currency" in m
               for m in msgs)
    assert any("transaction 'U1'" in m and "unknown transaction type '99'" in m for m in msgs)
    assert any("transaction 'BADCUR'" in m and "unknown currency 'XQZ'" in m for m in msgs)
    skips = [said(p, IMPORT) for p in r.problems if kind_of(p) == "skip"]
    assert any("transaction 'NEG'" in m and "negative value -5000 GBP: a reversal" in m
               for m in skips)
    assert any("budget #1" in m and "unknown budget status '3'" in m for m in msgs)
    assert any("activity at line 138 transaction 'ORPHAN'" in m and "no <iati-identifier>" in m
               for m in msgs)
    assert all(m.startswith(str(V2)) for m in msgs)
    for name, word in (("truncated.xml", "truncated"), ("malformed.xml", "malformed")):
        bad = read_iati(FIX / name)
        assert not bad.records
        (p,) = bad.problems
        assert kind_of(p) == "error" and word in p.message and "activity 'GB-GOV-1-300002'" in where_of(p)
        assert "1 complete activity before it" in p.message


def test_entities_are_never_expanded():
    r = read_iati(FIX / "doctype.xml")
    assert not r.records and "DOCTYPE" in r.problems[0].message


def test_names_file_gives_readable_accounts(tmp_path):
    names = tmp_path / "names.toml"
    names.write_text('[organisations]\n"GB-GOV-1" = "UK:FCDO"\n'
                     '[sectors]\n"12220" = "Health:Basic care"\n[countries]\nke = "Africa:Kenya"\n',
                     encoding="utf-8")
    recs = _by_id(read_iati(V2, names=load_names(names)))
    c1 = recs["iati-gb-gov-1-300001-t-c1"]
    assert c1["funder"] == "UK:FCDO"
    assert c1["split"][0]["purpose"] == "Health:Basic care:Africa:Kenya"
    bad = tmp_path / "bad.toml"
    bad.write_text('[sector]\n"1" = "x"\n', encoding="utf-8")
    with pytest.raises(ledger.LedgerError, match="unknown section"):
        load_names(bad)


# ------------------------------------------------------------------ command line
def test_import_check_audit_and_reimport(tmp_path, run_cli):
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "iati", V2, "-o", book)
    assert code == 0, err
    # 13: the original budget is linked to the revised one now (it was skipped); 5 rejected:
    # the negative value is a skipped reversal, no longer a rejected figure
    assert "13 new, 0 updated, 0 unchanged, 5 rejected, 7 skipped by rule" in err
    code, out, err = run_cli("check", book)
    assert code == 0, err
    code, out, err = run_cli("audit", book, "--sources", book / "sources")
    assert code == 0, out + err
    assert "13 verified; 0 error(s)" in err
    loaded = ledger.load(book)
    doc = next(iter(loaded.documents.values()))
    archived = book / "sources" / doc.path
    assert archived.read_bytes() == V2.read_bytes() and len(doc.sha256) == 64
    # every rejected or skipped item is in the rejects file
    rows = list(csv.DictReader(open(book / "iati.rejects.csv", encoding="utf-8")))
    assert len(rows) == 5 + 7 and {r["kind"] for r in rows} == {"reject", "skip"}
    # the same file again adds nothing
    before = (book / "iati.toml").read_bytes()
    code, _, err = run_cli("import", "--from", "iati", V2, "-o", book)
    assert code == 0 and "0 new, 0 updated, 13 unchanged" in err
    assert (book / "iati.toml").read_bytes() == before
    # a newer file: one changed transaction is updated and named
    newer = tmp_path / "activities-v2.xml"
    newer.write_text(V2.read_text(encoding="utf-8").replace(">1000000</value>", ">1100000</value>"),
                     encoding="utf-8")
    code, _, err = run_cli("import", "--from", "iati", newer, "-o", book)
    assert code == 0 and "0 new, 1 updated, 12 unchanged" in err
    assert "updated iati-gb-gov-1-300001-t-d1" in err and "amount 1000000 -> 1100000" in err
    again = ledger.load(book)
    assert again.entry("iati-gb-gov-1-300001-t-d1").amount == Decimal("1100000")
    assert len(again.entries) == 13
    code, out, err = run_cli("audit", book, "--sources", book / "sources")
    assert code == 0, out + err


def test_import_a_folder_with_broken_files(tmp_path, run_cli):
    """All or nothing: three unreadable files stop the import, each named."""
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "iati", FIX, "-o", book)
    assert code == 1
    assert "22 new" in err and "3 file(s) unreadable" in err
    assert "nothing written: 3 file(s) could not be read" in err
    for name in ("truncated.xml", "malformed.xml", "doctype.xml"):
        assert f"{name}:" in err
    assert not book.exists()
    good = tmp_path / "good"
    good.mkdir()
    for name in ("activities-v1.xml", "activities-v2.xml", "hierarchy.xml"):
        shutil.copy(FIX / name, good / name)
    code, _, err = run_cli("import", "--from", "iati", good, "-o", book)
    assert code == 0 and "22 new" in err
    assert run_cli("check", book)[0] == 0


def test_import_a_folder_reads_only_files_inside_it(tmp_path, run_cli):
    """A link inside the folder to a file outside it is refused by name (the
    journal reader's rule); a link to a file inside is read once."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(FIX / "activities-v2.xml", outside / "secret.xml")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIX / "activities-v1.xml", folder / "a.xml")
    (folder / "again.xml").symlink_to(folder / "a.xml")
    (folder / "leak.xml").symlink_to(outside / "secret.xml")
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "iati", folder, "-o", book)
    assert code == 1 and not book.exists()
    assert err.strip().splitlines() == [
        f"ledger-tool: import: {folder / 'leak.xml'}: a link to {outside / 'secret.xml'}, "
        f"outside the folder {folder}: not read"]
    (folder / "leak.xml").unlink()
    code, _, err = run_cli("import", "--from", "iati", folder, "-o", book)
    assert code == 0, err
    alone = tmp_path / "alone"
    assert run_cli("import", "--from", "iati", folder / "a.xml", "-o", alone)[0] == 0
    assert len(ledger.load(book).entries) == len(ledger.load(alone).entries) > 0


def test_bounded_memory_streaming(tmp_path):
    """A file of many activities is read one activity at a time: after each,
    the tree holds at most that one (emptied) activity (checked through the
    reader's progress hook; benchmarks/bench_iati.py measures the memory)."""

    one = V1.read_text(encoding="utf-8")
    head, body = one.split("<iati-activity ", 1)
    body, tail = ("<iati-activity " + body).rsplit("</iati-activities>", 1)
    many = tmp_path / "many.xml"
    with open(many, "w", encoding="utf-8") as fh:
        fh.write(head)
        for k in range(300):
            fh.write(body.replace("GB-1-200001", f"GB-1-2{k:05d}"))
        fh.write("</iati-activities>\n")
    seen = []
    r = read_iati(many, progress=lambda n, held: seen.append((n, held)))
    assert seen[-1][0] == 300 and len(r.records) == 300 * 6
    assert max(held for _, held in seen) <= 1


def test_dry_run_writes_nothing(tmp_path, run_cli):
    book = tmp_path / "book"
    code, out, err = run_cli("import", "--from", "iati", V2, "-o", book, "--dry-run")
    assert code == 0, err
    assert out.count("[[entry]]") == 13 and out.count("[[document]]") == 1
    assert "dry run: 13 new" in err and not book.exists()


def test_hostile_values_are_refused_not_computed(tmp_path):
    text = V1.read_text(encoding="utf-8")
    for bad, word in (("1e999999", "not a number"), ("9" * 30, "the largest ledger-tool takes"),
                      ("1.0000000000000001", "too many digits"), ("12,000", "not a number")):
        f = tmp_path / "bad.xml"
        f.write_text(text.replace(">1500000</value>", f">{bad}</value>"), encoding="utf-8")
        r = read_iati(f)
        assert any("transaction 'D-2013'" in where_of(p) and word in p.message for p in r.problems), bad
        assert "iati-gb-1-200001-t-d-2013" not in _by_id(r)


def test_mutated_files_never_raise_and_lose_nothing(tmp_path):
    """Random edits of the fixture: the reader never raises, and every
    transaction, budget and planned disbursement is an entry or a message."""
    import random

    base = V2.read_text(encoding="utf-8")
    rnd = random.Random(15)
    edits = [">-", ">x", "code=\"", "currency=\"", "percentage=\"1", "iso-date=\"20",
             "<value>", "</transaction>", "&amp;", "\u00e9", "", "<!-- x -->"]
    for k in range(60):
        chars = list(base)
        for _ in range(rnd.randint(1, 4)):
            i = rnd.randrange(len(chars))
            chars[i:i + rnd.randint(0, 6)] = rnd.choice(edits)
        f = tmp_path / f"m{k}.xml"
        f.write_text("".join(chars), encoding="utf-8")
        r = read_iati(f)
        if any(kind_of(p) == "error" for p in r.problems):
            assert not r.records
            continue
        left_out = sum(dropped(p) for p in r.problems)
        assert len(r.records) + left_out == r.read, [said(p, IMPORT) for p in r.problems]


def test_hierarchy_levels(tmp_path, run_cli):
    mixed = read_iati(FIX / "hierarchy.xml")
    assert len(mixed.records) == 3
    assert any(kind_of(p) == "note" and "hierarchy levels 1 (1), 2 (1)" in p.message
               for p in mixed.problems)
    only = read_iati(FIX / "hierarchy.xml", hierarchy="2")
    assert sorted(_by_id(only)) == ["iati-gb-gov-1-400000-101-t-c", "iati-gb-gov-1-400000-101-t-d"]
    (skip,) = [p for p in only.problems if kind_of(p) == "skip"]
    assert where_of(skip) == "activity 'GB-GOV-1-400000'" and items_of(skip) == 1
    assert len(only.records) + sum(dropped(p) for p in only.problems) == only.read == 3
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "iati", FIX / "hierarchy.xml", "-o", book,
                           "--hierarchy", "2")
    assert code == 0 and "2 new, 0 updated, 0 unchanged, 0 rejected, 1 skipped by rule" in err


def test_codes_without_names_are_listed_for_the_names_file(tmp_path):
    import re as _re
    text = _re.sub(r"<narrative>[^<]*</narrative>", "", V2.read_text(encoding="utf-8"))
    f = tmp_path / "bare.xml"
    f.write_text(text, encoding="utf-8")
    r = read_iati(f)
    (note,) = [p for p in r.problems if "named after their codes" in p.message]
    assert "organisations GB-GOV-1, GB-GOV-3, XM-DAC-41114" in note.message
    # sectors without a narrative take the IATI Sector codelist's names
    assert "sectors" not in note.message
    assert _by_id(r)["iati-gb-gov-1-300001-t-c1"]["split"][0]["purpose"] == \
        "Basic health care:Kenya"
    assert _by_id(r)["iati-gb-gov-1-300001-t-c1"]["funder"] == "GB-GOV-1"


def test_an_archive_that_cannot_be_made_is_refused_before_anything_is_written(tmp_path, run_cli):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code, _, err = run_cli("import", "--from", "iati", V2, "--archive", tmp_path / "afile" / "sub",
                           "-o", tmp_path / "book")
    assert code == 1 and "afile is not a folder" in err and "Traceback" not in err
    assert not (tmp_path / "book").exists()
    assert not list(tmp_path.glob("*.rejects*.csv"))


def test_the_ledger_cannot_point_the_import_archive_outside_itself(run_cli, tmp_path):
    """The archive option of a ledger is confined to its folder: the import
    copies files there, so '../elsewhere' is refused and nothing is written."""
    book = tmp_path / "book"
    assert run_cli("init", book)[0] == 0
    options = book / "ledger.toml"
    text, n = re.subn(r'(?m)^archive = "[^"]*"', 'archive = "../elsewhere"',
                      options.read_text(encoding="utf-8"))
    assert n == 1
    options.write_text(text, encoding="utf-8")
    before = sorted(p.name for p in book.iterdir())
    code, _, err = run_cli("import", "--from", "iati", V2, "-o", book)
    assert code == 1 and "outside" in err and "--archive" in err and "Traceback" not in err
    assert not (tmp_path / "elsewhere").exists()
    assert sorted(p.name for p in book.iterdir()) == before


# ------------------------------------------------------------------ counting once
ISSUE_21 = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
  <iati-activity default-currency="GBP">
    <iati-identifier>XX-1-A</iati-identifier>
    <reporting-org ref="XX-1"><narrative>Donor</narrative></reporting-org>
    <sector vocabulary="1" code="12220"/>
    <budget type="Original" status="Committed"><period-start iso-date="2016-04-01"/><period-end iso-date="2017-03-31"/>
      <value value-date="2016-04-01">2000000</value></budget>
    <planned-disbursement><period-start iso-date="2016-04-01"/><period-end iso-date="2016-09-30"/>
      <value value-date="2016-04-01">1500000</value></planned-disbursement>
    <planned-disbursement><period-start iso-date="2016-10-01"/><period-end iso-date="2017-03-31"/>
      <value value-date="2016-10-01">500000</value></planned-disbursement>
    <transaction ref="C"><transaction-type code="2"/><transaction-date iso-date="2006-07-01"/>
      <value value-date="2021-03-01">2000000</value></transaction>
    <transaction ref="D1"><transaction-type code="3"/><transaction-date iso-date="2016-05-01"/>
      <value value-date="2016-05-01">1500000</value></transaction>
    <transaction ref="D2"><transaction-type code="3"/><transaction-date iso-date="2016-11-01"/>
      <value value-date="2016-11-01">500000</value></transaction>
    <transaction ref="D2"><transaction-type code="3"/><transaction-date iso-date="2016-11-01"/>
      <value value-date="2016-11-01">500000</value></transaction>
  </iati-activity>
  <iati-activity default-currency="GBP">
    <iati-identifier>XX-1-B</iati-identifier>
    <reporting-org ref="XX-1"><narrative>Donor</narrative></reporting-org>
    <transaction ref="C1"><transaction-type code="2"/><transaction-date iso-date="2015-01-01"/><value>78791</value></transaction>
    <transaction ref="C1-X"><transaction-type code="2"/><transaction-date iso-date="2015-06-01"/><value>-78791</value></transaction>
    <transaction ref="C2"><transaction-type code="2"/><transaction-date iso-date="2015-02-01"/><value>100000</value></transaction>
    <transaction ref="C2-X"><transaction-type code="2"/><transaction-date iso-date="2015-07-01"/><value>-30000</value></transaction>
    <budget type="Revised"><period-start iso-date="2015-01-01"/><period-end iso-date="2015-12-31"/><value>70000</value></budget>
  </iati-activity>
</iati-activities>
"""


def test_issue_21_activity_is_counted_once_and_reversals_netted(tmp_path, run_cli):
    """Commitment 2.0m; disbursements 1.5m + 0.5m (the 0.5m repeated
    identically); budget 2.0m; planned disbursements 1.5m + 0.5m: counted
    2.0m, not 4.0m.  A commitment of 78,791 cancelled by -78,791 and one of
    100,000 reduced by 30,000: counted 70,000."""
    f = tmp_path / "issue21.xml"
    f.write_text(ISSUE_21, encoding="utf-8")
    r = read_iati(f)
    recs = _by_id(r)
    a = "iati-xx-1-a"
    assert recs[f"{a}-t-c"]["date"].isoformat() == "2006-07-01"         # not the 2021 value-date
    assert "value-date 2021-03-01" in recs[f"{a}-t-c"]["notes"]
    assert recs[f"{a}-t-d1"]["disburses"] == recs[f"{a}-t-d2"]["disburses"] == f"{a}-t-c"
    assert recs[f"{a}-b-1"]["part_of"] == f"{a}-t-c"
    # planned disbursements phase the budget, which is part of the commitment: each measure
    # fits the commitment on its own (the check adds up the parts of a package)
    assert recs[f"{a}-pd-1"]["part_of"] == recs[f"{a}-pd-2"]["part_of"] == f"{a}-b-1"
    (dup,) = [p for p in r.problems if "probable duplicate" in p.message]
    assert kind_of(dup) == "skip" and "transaction 'D2'" in where_of(dup)
    assert "repeated identically" in recs[f"{a}-t-d2"]["notes"]
    b = "iati-xx-1-b"
    assert f"{b}-t-c1" not in recs and f"{b}-t-c1-x" not in recs
    assert recs[f"{b}-t-c2"]["amount"] == "70000"
    assert [s["quote"] for s in recs[f"{b}-t-c2"]["source"]] == ["<value>100000</value>",
                                                                 "<value>-30000</value>"]
    assert recs[f"{b}-b-1"]["part_of"] == f"{b}-t-c2"
    reasons = " | ".join(p.message for p in r.problems if kind_of(p) == "skip")
    assert "cancelled by the reversal(s) transaction 'C1-X'" in reasons
    assert "negative value -78791 GBP: a reversal, netted into transaction 'C1'" in reasons
    assert len(r.records) + sum(dropped(p) for p in r.problems) == r.read
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "iati", f, "-o", book)
    assert code == 0, err
    assert "2 by its commitments; counted 2070000 GBP" in err
    code, out, err = run_cli("check", book)
    assert code == 0 and "0 error(s), 0 warning(s)" in out + err
    counted = sum(e.amount for e in ledger.load(book).entries if e.is_primary)
    assert counted == Decimal("2070000")
    code, out, err = run_cli("audit", book, "--sources", book / "sources")
    assert code == 0, out + err                     # the netted amount is its quotes' sum


def test_a_file_without_version_reads_letter_codes_and_type_names(tmp_path):
    text = V1.read_text(encoding="utf-8").replace(' version="1.05"', "")
    text = text.replace('<budget type="1">', '<budget type="Original">')
    text = text.replace('<transaction-type code="R">Reimbursement</transaction-type>',
                        '<transaction-type>Reimbursement</transaction-type>')
    f = tmp_path / "noversion.xml"
    f.write_text(text, encoding="utf-8")
    r = read_iati(f)
    recs = _by_id(r)
    assert recs["iati-gb-1-200001-t-c-2013"]["status"] == "committed"
    assert recs["iati-gb-1-200001-t-r-2013"]["status"] == "disbursed"
    assert "iati-gb-1-200001-b-1" in recs
    assert recs["iati-gb-1-200001-t-c-2013"]["notes"].startswith(
        "IATI 1.0x (no @version; letter codes) transaction type C (Outgoing Commitment)")
    assert any("read as IATI 1.0x" in p.message for p in r.problems if kind_of(p) == "note")


_stage_values = st.lists(st.integers(-5_000, 20_000).filter(bool), max_size=4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(commitments=_stage_values, disbursements=_stage_values, budgets=_stage_values,
       planned=_stage_values, expenditure=_stage_values)
def test_counted_total_is_the_count_once_rule(tmp_path, commitments, disbursements, budgets,
                                              planned, expenditure):
    """Any mix of stages and reversals: the records left uncounted by links
    add up to the rule computed independently from the XML (the real-data
    test's reading), and nothing is lost."""
    from tests.ledger.imports.test_iati_real import count_once

    rows = []
    for code, values in (("2", commitments), ("3", disbursements), ("4", expenditure)):
        rows += [f'<transaction><transaction-type code="{code}"/><transaction-date '
                 f'iso-date="2016-0{1 + k % 9}-01"/><value>{v}</value></transaction>'
                 for k, v in enumerate(values)]
    for tag, values in (("budget", budgets), ("planned-disbursement", planned)):
        rows += [f'<{tag}><period-start iso-date="201{k}-01-01"/><period-end '
                 f'iso-date="201{k}-12-31"/><value>{v}</value></{tag}>'
                 for k, v in enumerate(values)]
    f = tmp_path / "gen.xml"
    f.write_text('<iati-activities version="2.03"><iati-activity default-currency="GBP">'
                 '<iati-identifier>XX-1</iati-identifier><reporting-org ref="XX"/>'
                 + "".join(rows) + "</iati-activity></iati-activities>", encoding="utf-8")
    r = read_iati(f)
    counted = sum((Decimal(x.fields["amount"]) for x in r.records
                   if not {"disburses", "part_of", "restates"} & set(x.fields)), Decimal(0))
    assert counted == count_once(f).get("GBP", Decimal(0))
    assert len(r.records) + sum(dropped(p) for p in r.problems) == r.read
def test_an_over_deep_file_is_called_nested_too_deep_not_truncated(tmp_path):
    """lxml stops at 256 levels; the file is whole, so "truncated" sent the
    user looking for a cut-off download."""
    f = tmp_path / "deep.xml"
    f.write_text('<?xml version="1.0"?>\n<iati-activities version="2.03">\n<iati-activity>'
                 + "<x>" * 300 + "y" + "</x>" * 300 + "</iati-activity>\n</iati-activities>\n",
                 encoding="utf-8")
    (p,) = read_iati(f).problems
    assert kind_of(p) == "error" and "the XML is nested too deep" in p.message
    assert "truncated" not in p.message


MIXED_CURRENCIES = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
  <iati-activity default-currency="GBP">
    <iati-identifier>XX-1-M</iati-identifier>
    <reporting-org ref="XX-1"><narrative>Donor</narrative></reporting-org>
    <transaction ref="CG"><transaction-type code="2"/><transaction-date iso-date="2016-01-01"/><value>1000</value></transaction>
    <transaction ref="CE"><transaction-type code="2"/><transaction-date iso-date="2016-01-01"/>
      <value currency="EUR">500</value></transaction>
    <transaction ref="DU"><transaction-type code="3"/><transaction-date iso-date="2016-02-01"/>
      <value currency="USD">50</value></transaction>
    <transaction ref="DE"><transaction-type code="3"/><transaction-date iso-date="2016-02-01"/>
      <value currency="EUR">200</value></transaction>
    <budget><period-start iso-date="2016-01-01"/><period-end iso-date="2016-12-31"/><value>800</value></budget>
    <budget><period-start iso-date="2016-01-01"/><period-end iso-date="2016-12-31"/><value currency="EUR">400</value></budget>
    <planned-disbursement><period-start iso-date="2016-01-01"/><value currency="EUR">300</value></planned-disbursement>
    <planned-disbursement><period-start iso-date="2016-02-01"/><value>150</value></planned-disbursement>
    <planned-disbursement><period-start iso-date="2016-03-01"/><value>700</value></planned-disbursement>
  </iati-activity>
</iati-activities>
"""


def test_items_are_linked_within_their_currency(tmp_path):
    """Counted by its commitments (1,000 GBP and 500 EUR): each item is
    linked to what counts it in its own currency, planned disbursements to
    a budget of theirs first; what fits nowhere in its currency restates
    the first commitment, saying why."""
    f = tmp_path / "mixed.xml"
    f.write_text(MIXED_CURRENCIES, encoding="utf-8")
    recs = _by_id(read_iati(f))
    a = "iati-xx-1-m"
    links = {k.removeprefix(a + "-"): next((lk, v.removeprefix(a + "-")) for lk, v in fields.items()
                                            if lk in ("disburses", "part_of", "restates"))
             for k, fields in recs.items() if k not in (f"{a}-t-cg", f"{a}-t-ce")}
    assert links == {
        "t-du": ("restates", "t-cg"),       # no USD commitment
        "t-de": ("disburses", "t-ce"),
        "b-1": ("part_of", "t-cg"),         # 800 of the 1,000 GBP
        "b-2": ("part_of", "t-ce"),
        "pd-1": ("part_of", "b-2"),         # 300 EUR within the 400 EUR budget
        "pd-2": ("part_of", "b-1"),         # 150 GBP within the 800 GBP budget
        "pd-3": ("restates", "t-cg")}       # 700 GBP: 650 left of b-1, 200 of t-cg
    assert "in USD, not in the currency of its commitments" in recs[f"{a}-t-du"]["notes"]
    assert "beyond what is left of its commitments in GBP" in recs[f"{a}-pd-3"]["notes"]


def _nets_by_the_rule(values: list[int]) -> list[int]:
    """What each value nets to by the rule as docs/interop.md words it,
    plainly (every value scanned for every reversal): a reversal comes off
    the positive value it equals (the latest before it, else the first
    after), else off those before it, latest first, then those after."""
    net = [max(v, 0) for v in values]
    live = [j for j, v in enumerate(values) if v > 0]
    for k, v in enumerate(values):
        if v >= 0:
            continue
        left = -v
        equal = [j for j in live if net[j] == left]
        order = [j for j in equal if j < k][-1:] or equal[:1] or \
            [j for j in reversed(live) if j < k] + [j for j in live if j > k]
        for j in order:
            take = min(left, net[j])
            net[j] -= take
            left -= take
    return net


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.sampled_from([-300, -100, -50, -20, 20, 50, 100, 300]), max_size=40))
def test_each_reversal_is_netted_by_the_rule(tmp_path, values):
    """Many reversals in one stage: each disbursement is recorded at what
    the rule leaves of it, a plain reading of the values, and one netted to
    nothing is not recorded."""
    rows = "".join(f'<transaction ref="D{k}"><transaction-type code="3"/><transaction-date '
                   f'iso-date="2016-01-01"/><value>{v}</value></transaction>'
                   for k, v in enumerate(values))
    f = tmp_path / "reversals.xml"
    f.write_text('<iati-activities version="2.03"><iati-activity default-currency="GBP">'
                 '<iati-identifier>XX-1</iati-identifier><reporting-org ref="XX"/>'
                 + rows + "</iati-activity></iati-activities>", encoding="utf-8")
    got = {k: Decimal(fields["amount"]) for k, fields in _by_id(read_iati(f)).items()}
    want = {f"iati-xx-1-t-d{k}": Decimal(n) for k, n in enumerate(_nets_by_the_rule(values)) if n}
    assert got == want


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(budgets=st.lists(st.sampled_from([100, 300, 1000, 1600]), max_size=12),
       planned=st.lists(st.sampled_from([50, 100, 250, 600, 2000]), max_size=25))
def test_each_planned_disbursement_phases_the_first_budget_with_room(tmp_path, budgets, planned):
    """Many budgets and planned disbursements: each planned disbursement is
    part of the first budget with room left for it, else of the
    commitment while it has room, else restates it (a plain reading, every
    budget tried in turn)."""
    commitment = 3000
    rows = [f'<budget><period-start iso-date="{2000 + k}-01-01"/><period-end '
            f'iso-date="{2000 + k}-12-31"/><value>{v}</value></budget>' for k, v in enumerate(budgets)]
    # each its own day: one repeated identically would count once
    rows += [f'<planned-disbursement><period-start iso-date="2016-01-{k + 1:02d}"/><value>{v}'
             f'</value></planned-disbursement>' for k, v in enumerate(planned)]
    f = tmp_path / "planned.xml"
    f.write_text('<iati-activities version="2.03"><iati-activity default-currency="GBP">'
                 '<iati-identifier>XX-1</iati-identifier><reporting-org ref="XX"/>'
                 '<transaction ref="C"><transaction-type code="2"/><transaction-date '
                 f'iso-date="2016-01-01"/><value>{commitment}</value></transaction>'
                 + "".join(rows) + "</iati-activity></iati-activities>", encoding="utf-8")
    recs = _by_id(read_iati(f))
    room = {f"b-{k + 1}": v for k, v in enumerate(budgets)}
    room["t-c"] = commitment
    for v in budgets:       # the budgets are part of the commitment while they fit
        room["t-c"] -= v if room["t-c"] >= v else 0
    for k, v in enumerate(planned):
        host = next((h for h in room if room[h] >= v), None)
        fields = recs[f"iati-xx-1-pd-{k + 1}"]
        if host is None:
            assert fields.get("restates") == "iati-xx-1-t-c"
        else:
            room[host] -= v
            assert fields.get("part_of") == f"iati-xx-1-{host}"
