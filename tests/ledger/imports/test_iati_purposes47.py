"""IATI reader: an activity's purposes (sector x place weights) worked out
once per distinct set of sectors and places in a file, and activities that
differ in any attribute or name read apart."""
from __future__ import annotations

from decimal import Decimal

from ledger.imports import iati
from ledger.imports.iati import read_iati


def _activity(k: int, sectors: str, places: str) -> str:
    return f"""<iati-activity default-currency="GBP">
 <iati-identifier>XM-T-{k}</iati-identifier>
 <reporting-org ref="XM-T"><narrative>Donor</narrative></reporting-org>
 {places}
 {sectors}
 <transaction ref="C"><transaction-type code="2"/><transaction-date iso-date="2016-01-01"/>
  <value value-date="2016-01-01">1000</value></transaction>
</iati-activity>
"""


def _write(path, activities):
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
                    + "".join(activities) + "</iati-activities>\n", encoding="utf-8")


HEALTH = ('<sector vocabulary="1" code="12220" percentage="60"/>'
          '<sector vocabulary="1" code="11220" percentage="40"/>')
KENYA = '<recipient-country code="KE" percentage="100"/>'


def test_the_same_sectors_and_places_are_weighed_once(tmp_path, monkeypatch):
    calls = []
    real = iati.percentages

    def counted(items, what):
        calls.append(what)
        return real(items, what)

    monkeypatch.setattr(iati, "percentages", counted)
    f = tmp_path / "a.xml"
    _write(f, [_activity(k, HEALTH, KENYA) for k in range(30)])
    r = read_iati(f)
    assert len(r.records) == 30
    # one sector set and one place set, each weighed once for the 30 activities
    assert sorted(calls) == ["recipient countries/regions", "sectors"]
    # and the weights are each activity's: 1000 split 60/40
    for rec in r.records:
        assert [(s["purpose"], Decimal(s["amount"])) for s in rec.fields["split"]] == [
            ("Basic health care:Kenya", Decimal(600)), ("Primary education:Kenya", Decimal(400))]


def test_activities_that_differ_in_a_sector_or_place_are_read_apart(tmp_path):
    f = tmp_path / "a.xml"
    _write(f, [
        _activity(0, HEALTH, KENYA),
        # another percentage
        _activity(1, HEALTH.replace('"60"', '"50"').replace('"40"', '"50"'), KENYA),
        # another vocabulary: a DAC 3-digit category
        _activity(2, '<sector vocabulary="2" code="122" percentage="100"/>', KENYA),
        # a sector code not listed: named by its narrative
        _activity(3, '<sector vocabulary="99" code="X1"><narrative>Own A</narrative></sector>',
                  KENYA),
        _activity(4, '<sector vocabulary="99" code="X1"><narrative>Own B</narrative></sector>',
                  KENYA),
        # another place: a region, then the same code as a country
        _activity(5, HEALTH, '<recipient-region code="289" percentage="100"/>'),
        _activity(6, HEALTH, '<recipient-country code="UG" percentage="100"/>'),
    ])
    got = {r.fields["id"]: sorted((s["purpose"], s["amount"]) for s in r.fields["split"])
           if "split" in r.fields else [(r.fields["purpose"], r.fields["amount"])]
           for r in read_iati(f).records}
    assert got == {
        "iati-xm-t-0-t-c": [("Basic health care:Kenya", "600"), ("Primary education:Kenya", "400")],
        "iati-xm-t-1-t-c": [("Basic health care:Kenya", "500"), ("Primary education:Kenya", "500")],
        "iati-xm-t-2-t-c": [("Basic Health:Kenya", "1000")],
        "iati-xm-t-3-t-c": [("Own A:Kenya", "1000")],
        "iati-xm-t-4-t-c": [("Own B:Kenya", "1000")],
        "iati-xm-t-5-t-c": [("Basic health care:South of Sahara, regional", "600"),
                            ("Primary education:South of Sahara, regional", "400")],
        "iati-xm-t-6-t-c": [("Basic health care:Uganda", "600"),
                            ("Primary education:Uganda", "400")],
    }


def test_a_ref_without_a_name_takes_the_first_name_the_activity_gives_it(tmp_path):
    def act(k, orgs, provider):
        return f"""<iati-activity default-currency="GBP">
 <iati-identifier>XM-O-{k}</iati-identifier>
 {orgs}
 <transaction ref="C"><transaction-type code="2"/><transaction-date iso-date="2016-01-01"/>
  <value>1000</value>{provider}<receiver-org ref="XM-R"><narrative>Late name</narrative>
  </receiver-org></transaction>
 <transaction ref="D"><transaction-type code="3"/><transaction-date iso-date="2016-02-01"/>
  <value>10</value><provider-org ref="XM-R"/></transaction>
</iati-activity>
"""
    f = tmp_path / "o.xml"
    _write(f, [
        # the reporting-org's name before a participating-org's for the same ref
        act(0, '<reporting-org ref="XM-A"><narrative>First</narrative></reporting-org>'
               '<participating-org ref="XM-A" role="1"><narrative>Second</narrative>'
               '</participating-org>', '<provider-org ref="XM-A"/>'),
        # a name given only by a transaction's receiver-org, after the item asking
        act(1, '<reporting-org ref="XM-B"><narrative>Reporter</narrative></reporting-org>',
            '<provider-org ref="XM-R"/>'),
        # a ref no element names: the ref itself, said once as unnamed
        act(2, '<reporting-org ref="XM-B"><narrative>Reporter</narrative></reporting-org>',
            '<provider-org ref="XM-NONE"/>'),
    ])
    r = read_iati(f)
    funders = {rec.fields["id"]: rec.fields["funder"] for rec in r.records}
    assert funders["iati-xm-o-0-t-c"] == "First"
    assert funders["iati-xm-o-1-t-c"] == "Late name"
    assert funders["iati-xm-o-1-t-d"] == "Late name"
    assert funders["iati-xm-o-2-t-c"] == "XM-NONE"
    unnamed = [p for p in r.problems if "accounts named after their codes" in str(p)]
    assert len(unnamed) == 1 and "organisations XM-NONE" in str(unnamed[0])
