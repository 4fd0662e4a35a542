"""Records that break a rule only together with the ledger's entries (phases
that push a ledger package over its amount, disbursements over a pledge
already in the ledger) are refused at their own row or item, the ledger
left as it was for them: ``check`` passes after every import that says it
imported."""
from __future__ import annotations

import csv
from decimal import Decimal

import ledger

LEDGER = '''[[entry]]
id = "pkg"
date = 2020-01-01
funder = "UK:FCDO"
purpose = "Health:Chad"
amount = "1000 GBP"
status = "committed"

[[entry]]
id = "ph1"
date = 2020-02-01
funder = "UK:FCDO"
purpose = "Health:Chad"
amount = "600 GBP"
status = "committed"
part_of = "pkg"
'''

# 600 in the ledger + 300 + 300 = 1200 > 1000: both phases refused; the
# unlinked 50 imported
ROWS = '''id,date,funder,purpose,amount,currency,status,part_of
ph2,2020-03-01,UK:FCDO,Health:Chad,300,GBP,committed,pkg
ph3,2020-04-01,UK:FCDO,Health:Chad,300,GBP,committed,pkg
ok1,2020-04-01,UK:FCDO,Health:Chad,50,GBP,committed,
'''


def _check_passes(run_cli, book):
    code, out, err = run_cli("check", book)
    assert code == 0 and "0 error(s)" in out + err, out + err


def test_phases_over_a_ledger_package_are_refused_at_their_rows(tmp_path, run_cli):
    book = tmp_path / "book"
    book.mkdir()
    (book / "main.toml").write_text(LEDGER, encoding="utf-8")
    _check_passes(run_cli, book)
    table = tmp_path / "phases.csv"
    table.write_text(ROWS, encoding="utf-8")
    code, _, err = run_cli("import", table, "-o", book)
    assert code == 0, err
    for row, eid in ((2, "ph2"), (3, "ph3")):
        line = next(ln for ln in err.splitlines() if f"row {row}:" in ln and "warning:" not in ln)
        assert f"entry {eid!r}" in line and "column 'part_of'" in line
        assert "1200 GBP, more than the 1000 GBP of 'pkg'" in line and "main.toml:1" in line
    assert "2 row(s) rejected" in err and "1 entry written" in err
    entries = {e.id: e.amount for e in ledger.load(book).entries}
    assert entries == {"pkg": Decimal(1000), "ph1": Decimal(600), "ok1": Decimal(50)}
    with open(book / "imported.rejects.csv", encoding="utf-8", newline="") as fh:
        assert sorted((r["row"], r["id"]) for r in csv.DictReader(fh)) == \
            [("2", "ph2"), ("3", "ph3")]
    _check_passes(run_cli, book)


def _iati(*transactions: tuple[str, str, str, str]) -> str:
    tx = "".join(f'<transaction ref="{ref}"><transaction-type code="{code}"/>'
                 f'<transaction-date iso-date="{day}"/><value>{value}</value></transaction>\n'
                 for ref, code, day, value in transactions)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
            '<iati-activity default-currency="GBP"><iati-identifier>XX-1-A</iati-identifier>\n'
            '<reporting-org ref="XX-1"><narrative>Donor</narrative></reporting-org>\n'
            f'<sector vocabulary="1" code="12220"/>\n{tx}</iati-activity>\n</iati-activities>\n')


def test_a_newer_file_s_disbursement_over_a_ledger_commitment_is_refused(tmp_path, run_cli):
    """The activity imported (commitment 1000, disbursed 400) and a
    disbursement of 500 of it written by hand; then a newer file of the
    activity with another disbursement of 200 (600 of 1000 in the file):
    400 + 500 + 200 = 1100 > 1000, refused at its transaction; the ledger's
    900 left as it was, ``check`` passing."""
    book = tmp_path / "book"
    first = tmp_path / "first.xml"
    first.write_text(_iati(("C", "2", "2020-01-01", "1000"), ("D1", "3", "2020-02-01", "400")),
                     encoding="utf-8")
    code, _, err = run_cli("import", "--from", "iati", first, "-o", book)
    assert code == 0, err
    (book / "hand.toml").write_text(
        '[[entry]]\nid = "by-hand"\ndate = 2020-02-15\nfunder = "Donor"\n'
        'purpose = "Basic health care:Unspecified place"\namount = "500 GBP"\n'
        'status = "disbursed"\ndisburses = "iati-xx-1-a-t-c"\n', encoding="utf-8")
    _check_passes(run_cli, book)
    newer = tmp_path / "newer.xml"
    newer.write_text(_iati(("C", "2", "2020-01-01", "1000"), ("D1", "3", "2020-02-01", "400"),
                           ("D2", "3", "2020-03-01", "200")), encoding="utf-8")
    code, _, err = run_cli("import", "--from", "iati", newer, "-o", book)
    assert code == 0, err
    line = next(ln for ln in err.splitlines() if "transaction 'D2'" in ln)
    assert str(newer) in line and "iati-xx-1-a-t-d2" in line and "iati.toml:" in line
    assert "1100 GBP, more than the 1000 GBP of 'iati-xx-1-a-t-c'" in line
    assert "0 new" in err and "2 unchanged" in err and "1 rejected" in err
    paid = sum(e.amount for e in ledger.load(book).entries if e.link("disburses"))
    assert paid == Decimal(900)
    _check_passes(run_cli, book)
