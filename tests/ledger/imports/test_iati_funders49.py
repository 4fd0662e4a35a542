"""An activity's items each get the funder their own <provider-org> names,
though the reader finds each provider once per activity (``_Activity.funder``):
two provider-orgs alike but for their name, or for their organisation type,
are two funders."""
from __future__ import annotations

import csv
import io
from importlib.resources import files

from ledger.imports.iati import read_iati


def _transaction(ref: str, provider: str) -> str:
    return (f'<transaction ref="{ref}"><transaction-type code="3"/>'
            f'<transaction-date iso-date="2020-01-0{len(ref)}"/>'
            f'<value value-date="2020-01-01">{100 * len(ref)}</value>{provider}</transaction>')


def test_each_item_has_its_own_providers_funder(tmp_path):
    providers = {
        "a": '<provider-org ref="XM-1"><narrative>Alpha Fund</narrative></provider-org>',
        "bb": '<provider-org ref="XM-1"><narrative>Beta Fund</narrative></provider-org>',
        "ccc": '<provider-org type="10"/>',
        "dddd": '<provider-org type="21"/>',
        "eeeee": '<provider-org ref="XM-1"><narrative>Alpha Fund</narrative></provider-org>',
    }
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
           '<iati-activity default-currency="GBP"><iati-identifier>XM-1-A</iati-identifier>'
           '<reporting-org ref="XM-R"><narrative>Reporter</narrative></reporting-org>'
           + "".join(_transaction(ref, p) for ref, p in providers.items())
           + "</iati-activity>\n</iati-activities>\n")
    path = tmp_path / "a.xml"
    path.write_text(xml, encoding="utf-8")
    got = {r.fields["id"].rsplit("-", 1)[1]: r.fields["funder"] for r in read_iati(path).records}
    # the organisation types' names, read here from the codelist the reader ships
    text = files("ledger.imports").joinpath("codelists", "organisation-type.csv").read_text(
        encoding="utf-8")
    types = {r["code"]: r["name"] for r in csv.DictReader(io.StringIO(text))}
    assert got == {"a": "Alpha Fund", "bb": "Beta Fund", "ccc": types["10"],
                   "dddd": types["21"], "eeeee": "Alpha Fund"}
    assert types["10"] != types["21"]
