"""The audit counts N weeks or days as the reports and the package rule do:
by the years of their own dates, from the entry's start, in the currency's
minor units (``total_minor``); a rate's length agrees with the entry's when
both end on the same day from the same start.  Figures by hand below."""
from __future__ import annotations

import hashlib
import json

DOC = ("Funding note.\n"
       "France will pay £365,000 a year for 52 weeks to the shelter.\n")
QUOTE = "£365,000 a year for 52 weeks"


def _ledger(tmp_path, entries: list[tuple[str, str, str, str]]):
    """A ledger of ``(id, date, amount, period)`` entries, each citing QUOTE."""
    book = tmp_path / "book"
    (book / "sources").mkdir(parents=True)
    (book / "sources" / "d1.txt").write_text(DOC, encoding="utf-8")
    sha = hashlib.sha256(DOC.encode("utf-8")).hexdigest()
    (book / "ledger.toml").write_text('[ledger]\nname = "B"\ncurrency = "GBP"\n'
                                      'archive = "sources"\n', encoding="utf-8")
    (book / "sources.toml").write_text(
        f'[[document]]\nid = "d1"\ntitle = "T"\npublisher = "P"\npublished = 2015-01-01\n'
        f'path = "d1.txt"\nsha256 = "{sha}"\n', encoding="utf-8")
    text = "".join(
        f'[[entry]]\nid = "{i}"\ndate = {d}\nfunder = "F{i}"\npurpose = "P:{i}"\n'
        f'amount = "{a}"\nperiod = "{p}"\n[[entry.source]]\ndoc = "d1"\nquote = "{QUOTE}"\n\n'
        for i, d, a, p in entries)
    (book / "e.toml").write_text(text, encoding="utf-8")
    return book


def _errors(run_cli, book) -> dict[str, list[str]]:
    _, out, err = run_cli("audit", book, "--format", "json")
    assert "Traceback" not in err
    return {f["entry"]: sorted(x["code"] for x in f["findings"] if x["severity"] == "error")
            for f in json.loads(out)["figures"]}


def test_a_rate_for_weeks_matches_its_total_in_pence(tmp_path, run_cli):
    # 52 weeks from 2016-01-01 end 2016-12-29: 364 of the leap year's 366 days;
    # £365,000 × 364/366 = £363,005.4645… → 36300546 pence, £363,005.46
    # (not 363005.464481 to six places); from 2015-01-01, 364/365: £364,000
    book = _ledger(tmp_path, [("E2", "2016-01-01", "£363005.46", "over 52 weeks"),
                              ("E3", "2016-01-01", "£364000", "over 52 weeks"),
                              ("E1", "2015-01-01", "£364000", "over 52 weeks"),
                              ("E9", "2016-01-01", "£363005.47", "over 52 weeks")])
    got = _errors(run_cli, book)
    assert got["E2"] == [] and got["E1"] == []
    assert got["E3"] == ["amount-mismatch"] and got["E9"] == ["amount-mismatch"]


def test_a_rate_for_weeks_agrees_with_the_same_days_written_as_dates(tmp_path, run_cli):
    # 52 weeks are 364 days: from 2015-01-01 they end 2015-12-30, as the span
    # written as dates does (£365,000 × 364/365 = £364,000 either way); their
    # rounded years (52 × 7 / 365.25 = 0.9966) are no span's.  A span one day
    # longer (to 2015-12-31, 365 days) is another length.
    book = _ledger(tmp_path, [("E6", "2015-01-01", "£364000", "from 2015-01-01 to 2015-12-30"),
                              ("E7", "2015-01-01", "£364000", "over 364 days"),
                              ("E8", "2015-01-01", "£364000", "from 2015-01-01 to 2015-12-31")])
    got = _errors(run_cli, book)
    assert got["E6"] == [] and got["E7"] == []
    assert got["E8"] == ["period-mismatch"]


def _doubles(run_cli, tmp_path, later: str) -> list[dict]:
    book = _ledger(tmp_path, [])
    (book / "e.toml").write_text(
        '[[entry]]\nid = "A"\ndate = 2015-01-01\nfunder = "UK"\npurpose = "P:x"\n'
        'amount = "£364000"\nperiod = "over 52 weeks"\n\n'
        f'[[entry]]\nid = "B"\ndate = {later}\nfunder = "UK"\npurpose = "P:x"\n'
        'amount = "£364000"\nperiod = "over 52 weeks"\n', encoding="utf-8")
    _, out, err = run_cli("audit", book, "--window", "0", "--format", "json")
    assert "Traceback" not in err
    return [x for f in json.loads(out)["figures"] for x in f["findings"]
            if x["code"] == "possible-double-count"]


def test_a_period_of_weeks_runs_to_its_calendar_end(tmp_path, run_cli):
    # 52 weeks from 2015-01-01: 364 days, the last 2015-12-30 (not
    # 0.9966 × 365.25 = 364 days after the start, 2015-12-31)
    (found,) = _doubles(run_cli, tmp_path / "a", "2015-12-30")
    assert "until 2015-12-30" in found["message"]
    assert _doubles(run_cli, tmp_path / "b", "2015-12-31") == []
