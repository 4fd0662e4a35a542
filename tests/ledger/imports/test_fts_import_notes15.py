"""What an import says: the same FTS flow given again by another file of a
folder is named as such, not rejected as a duplicate id; IATI's count-once
note gives the total balance gives (each entry at its currency's minor
unit), worked here from the XML's values."""
from __future__ import annotations

import re
import shutil
from decimal import ROUND_HALF_UP, Decimal

from tests.conftest import FIXTURES

PAGE = FIXTURES / "real" / "fts" / "location-171-2020-page-3.json"


def test_identical_copies_in_a_folder_are_the_same_flow_given_again(tmp_path, run_cli):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(PAGE, folder / "a.json")
    shutil.copyfile(PAGE, folder / "b.json")       # the same page saved twice
    code, _, err = run_cli("import", "--from", "fts", folder, "-o", tmp_path / "book")
    assert code == 0, err
    assert "duplicate id" not in err
    summary = err.strip().splitlines()[-1]
    assert re.search(r" 0 rejected, 0 skipped by rule", summary), summary
    assert re.search(r"b\.json: 24 flows given again, the same in every field, by \S*a\.json", err)


VALUES = ["1000.005", "2.004", "0.335"]      # USD, finer than its cents


def test_iati_counted_note_is_what_balance_counts(tmp_path, run_cli):
    txs = "".join(
        f'  <transaction ref="C{k}"><transaction-type code="2"/>'
        f'<transaction-date iso-date="2020-01-0{k + 1}"/>'
        f'<value value-date="2020-01-0{k + 1}">{v}</value></transaction>\n'
        for k, v in enumerate(VALUES))
    acts = "".join(
        f' <iati-activity default-currency="USD">\n'
        f'  <iati-identifier>XX-1-{k}</iati-identifier>\n'
        f'  <reporting-org ref="XX-1"><narrative>Donor</narrative></reporting-org>\n'
        + txs.replace('ref="C', f'ref="A{k}C') + " </iati-activity>\n" for k in range(2))
    xml = tmp_path / "a.xml"
    xml.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
                   + acts + "</iati-activities>\n", encoding="utf-8")
    # each entry at the cent, half away from zero, as the ledger counts money
    cents = sum(Decimal(v).quantize(Decimal("0.01"), ROUND_HALF_UP) for v in VALUES) * 2
    code, _, err = run_cli("import", "--from", "iati", xml, "-o", tmp_path / "book")
    assert code == 0, err
    said = re.search(r"counted ([0-9.]+) USD", err)
    assert said and Decimal(said.group(1)) == cents, err
    code, out, err = run_cli("balance", tmp_path / "book", "--format", "csv")
    assert code == 0, err
    (row,) = [r for r in out.splitlines() if r.startswith("(total),")]
    assert Decimal(row.split(",")[-1]) == cents


def test_a_file_that_is_no_download_beside_a_page_is_one_line(tmp_path, run_cli):
    """The first pass over a folder (which copy of each flow is newest, which
    files are one download) reads odd files as the reader does: one line."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_text('{"data": [1, 2], "meta": {"count": 1e999999999}}',
                                   encoding="utf-8")
    shutil.copyfile(PAGE, folder / "b.json")
    code, _, err = run_cli("import", "--from", "fts", folder, "-o", tmp_path / "book")
    assert code == 1
    assert "a.json: not an FTS flows file: no data.flows list" in err
    assert "Traceback" not in err
