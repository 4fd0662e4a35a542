"""A phrase with no digit and no scale word is no amount: said without
compiling the currency table's pattern (0.1 s a `check` with one such
amount paid over a clean one)."""
import pytest

from ledger.phrases import money
from ledger.phrases.money import MoneyError, parse_amount


@pytest.mark.parametrize("text", ["lots", "about lots", "£lots", "  plenty  of   euros "])
def test_no_figure_said_without_the_currency_pattern(text):
    money._atom_re.cache_clear()
    with pytest.raises(MoneyError) as err:
        parse_amount(text)
    assert str(err.value) == (f"no amount found in {text!r} "
                              "(write e.g. '£12 million' or 'twelve million pounds')")
    assert money._atom_re.cache_info().currsize == 0


@pytest.mark.parametrize("text, message", [
    ("twelve million", "no currency in 'twelve million' (write e.g. 'twelve million pounds' "
                       "or '£12 million')"),
    ("12 lots", "unknown currency 'lots' in '12 lots'"),
])
def test_a_figure_still_reads_the_table(text, message):
    with pytest.raises(MoneyError) as err:
        parse_amount(text)
    assert str(err.value) == message
