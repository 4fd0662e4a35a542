"""An amount phrase written in digits other than 0-9 is refused wherever an
amount is read (``parse_amount``: add, journals, imports), never read as
the number Python's Decimal() makes of it ("£٧ million" was £7,000,000
through add while a spreadsheet import refused it)."""
from __future__ import annotations

import pytest

from ledger.phrases.money import MoneyError, parse_amount, parse_amounts

SEVEN = "\u0667"     # ٧


@pytest.mark.parametrize("text", [f"£{SEVEN} million", f"{SEVEN}00 GBP", "£\u0967\u0966"])
def test_an_amount_in_other_digits_is_refused(text):
    with pytest.raises(MoneyError, match="digits other than 0-9"):
        parse_amount(text)
    assert parse_amount(text.replace(SEVEN, "7").replace("\u0967\u0966", "10")).amount > 0


def test_the_column_reader_leaves_it_to_the_one_by_one_reader():
    got = parse_amounts([f"£{SEVEN} million", "£7 million"])
    assert list(got.slow) == [True, False] and got.amount[1].as_py() == "7000000"


def test_add_refuses_it(tmp_path, run_cli):
    book = tmp_path / "book"
    assert run_cli("init", book)[0] == 0
    code, _, err = run_cli("add", book, "--id", "x", "--date", "2020-01-01", "--funder", "F",
                           "--purpose", "P", "--amount", f"£{SEVEN} million")
    assert code == 1 and "Traceback" not in err and "digits other than 0-9" in err, err
    assert "7000000" not in "".join(p.read_text("utf-8") for p in book.glob("*.toml"))
