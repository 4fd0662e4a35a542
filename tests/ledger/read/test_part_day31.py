"""A length that is part of a day ("over 1.5 days", "£1m over 10.5 weeks")
is refused by check, in a journal and in a bulk file alike, as the reports
refuse to spread it: an amount is spread over whole days.  Whole days and
weeks read as before."""
from __future__ import annotations

from ledger.read import read_book

ENTRIES = [("a", "£1m", "over 1.5 days"), ("b", "£1m over 10.5 weeks", ""),
           ("c", "£1m over 3 days", ""), ("d", "£1m", "over 2 weeks")]
WANT = {("a", "period of 1.5 days"), ("b", "period of 10.5 weeks")}


def _problems(book) -> set[tuple[str, str]]:
    return {(p.entry_id, p.message.split(":")[0]) for p in book.problems
            if p.severity == "error"}


def test_a_journal_refuses_part_days(tmp_path):
    text = "".join(f'[[entry]]\nid = "{i}"\ndate = 2015-06-01\nfunder = "F"\npurpose = "P"\n'
                   f'amount = "{a}"\nstatus = "pledged"\n'
                   + (f'period = "{p}"\n' if p else "") + "\n" for i, a, p in ENTRIES)
    (tmp_path / "p.toml").write_text(text, encoding="utf-8")
    assert _problems(read_book(tmp_path / "p.toml")) == WANT


def test_a_bulk_file_refuses_part_days(tmp_path):
    periods = ["over 1.5 days", "over 10.5 weeks", "over 3 days", "over 2 weeks"]
    rows = ["id,date,funder,purpose,amount,currency,status,period,sources"] + [
        f'{i},2015-06-01,F,P,1000000,GBP,pledged,{p},' for (i, _, _), p in zip(ENTRIES, periods)]
    (tmp_path / "b.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert _problems(read_book(tmp_path / "b.csv")) == WANT
