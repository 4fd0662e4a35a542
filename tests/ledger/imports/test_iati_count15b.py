"""The IATI import's count-once note sums what balance sums: each split row
at its currency's minor unit, not each entry (docs/interop.md, Counting
once)."""
from __future__ import annotations

import re
from decimal import Decimal

ACTIVITY = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity default-currency="USD">
  <iati-identifier>XX-1-9</iati-identifier>
  <reporting-org ref="XX-1"><narrative>Donor</narrative></reporting-org>
  <recipient-country code="AF" percentage="33.3"/>
  <recipient-country code="PK" percentage="33.3"/>
  <recipient-country code="IN" percentage="33.4"/>
  {transactions}
 </iati-activity>
</iati-activities>
"""
TRANSACTION = ('<transaction ref="T{k}"><transaction-type code="2"/><transaction-date '
               'iso-date="2020-01-0{k}"/><value value-date="2020-01-0{k}">{v}</value>'
               '</transaction>')


def test_the_count_once_note_sums_each_split_row_as_balance_does(tmp_path, run_cli):
    values = ["1000.005", "0.015", "-0.005"]
    xml = tmp_path / "split.xml"
    xml.write_text(ACTIVITY.format(transactions="\n  ".join(
        TRANSACTION.format(k=k, v=v) for k, v in enumerate(values, 1))), encoding="utf-8")
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "iati", xml, "-o", book)
    assert code == 0, err
    (noted,) = re.findall(r"counted once per activity .*?; counted ([0-9.]+) USD;", err)
    code, out, err = run_cli("balance", book, "--currency", "USD", "--valuation", "as-stated",
                             "--format", "csv")
    assert code == 0, err
    (row,) = [r for r in out.splitlines() if r.startswith("(total),")]
    total = Decimal(row.split(",")[1])
    # the entries' sub-cent figures: each entry to the cent would not give this
    assert sum(Decimal(v) for v in values) != total
    assert Decimal(noted) == total
