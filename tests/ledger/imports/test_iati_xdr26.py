"""XDR (the IMF's Special Drawing Right) is on IATI's Currency codelist
(IATI-Codelists-NonEmbedded, xml/Currency.xml) and multilateral banks
publish in it (the African Development Bank's activities in D-Portal's
extract): an XDR transaction imports and counts in XDR, as published; a
conversion asks for its rates in one line, as for any currency the ECB
does not publish."""
from __future__ import annotations

from pathlib import Path

XML = ('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
       '<iati-activity default-currency="XDR"><iati-identifier>46002-P-XX-001</iati-identifier>'
       '<reporting-org ref="46002"><narrative>African Development Bank</narrative></reporting-org>'
       '<transaction><transaction-type code="2"/><transaction-date iso-date="2019-05-01"/>'
       '<value value-date="2019-05-01">10000000</value></transaction>'
       '<transaction><transaction-type code="3"/><transaction-date iso-date="2020-02-03"/>'
       '<value currency="XDR" value-date="2020-02-03">2500000.50</value></transaction>'
       '</iati-activity>\n</iati-activities>\n')


def test_an_xdr_activity_imports_and_counts_as_published(tmp_path: Path, run_cli):
    src = tmp_path / "afdb.xml"
    src.write_text(XML, encoding="utf-8")
    code, _, err = run_cli("import", "--from", "iati", src, "-o", tmp_path / "l")
    assert code == 0, err
    assert "unknown currency" not in err, err
    code, out, err = run_cli("balance", tmp_path / "l", "--format", "csv")
    assert code == 0, err
    # the commitment counts; its disbursement pays it (linked), as for any currency
    assert "(total),XDR,10000000" in out.splitlines(), out
    code, _, err = run_cli("balance", tmp_path / "l", "--currency", "GBP")
    assert code == 1 and "Traceback" not in err
    assert "no exchange rates for XDR" in err and "--rates" in err, err
