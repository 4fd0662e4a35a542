"""Amounts written with either decimal mark read back to the same Decimal
(ledger.phrases.money: ``decimal_mark``, ``read_number``, the column-wise
``plain_numbers``, ``parse_number``), whatever the grouping of thousands."""
from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ledger.phrases.money import (COMMA, POINT, decimal_mark, parse_amount, parse_amounts,
                                  parse_number, plain_decimal, plain_numbers, read_number,
                                  says_mark)

GROUPS = {POINT: (",", " ", "\u00a0", ""), COMMA: (".", " ", "\u202f", "")}

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10) ** 12, places=4,
                      allow_nan=False, allow_infinity=False)


def written(d: Decimal, mark: str, group: str) -> str:
    """``d`` as a spreadsheet writes it: thousands set apart by ``group``."""
    whole, _, frac = format(d.normalize(), "f").partition(".")
    if group:
        head = len(whole) % 3 or 3
        whole = group.join([whole[:head]] + [whole[i:i + 3] for i in range(head, len(whole), 3)])
    return whole + (mark + frac if frac else "")


def _unambiguous(cell: str) -> bool:
    return (read_number(cell, POINT) is None) != (read_number(cell, COMMA) is None)


@settings(deadline=None)   # the first example loads pyarrow.compute
@example(POINT, [(Decimal("180.8010"), 0), (Decimal("1000000.0001"), 0)], COMMA)
@given(st.sampled_from([POINT, COMMA]), st.lists(st.tuples(amounts, st.integers(0, 3)),
                                                 min_size=1, max_size=12),
       st.sampled_from([POINT, COMMA]))
def test_a_column_reads_back_in_its_own_convention(mark, column, hint):
    cells = [written(d, mark, GROUPS[mark][g]) for d, g in column]
    values = [d for d, _ in column]
    told = any(_unambiguous(c) for c in cells)
    for given_cells in (cells, pa.array(cells, pa.string())):
        got = decimal_mark(given_cells, hint)
        assert got.mark == (mark if told else hint)
        # "1,500" (1.5 or 1500) is refused when the cells that tell say the other mark
        # than the file's default, unless one of them says it alone ("1,000,000.5":
        # no slip of the other convention), which the ambiguous ones then follow
        ambiguous = [None not in (read_number(c, POINT), read_number(c, COMMA))
                     and read_number(c, POINT) != read_number(c, COMMA) for c in cells]
        said = any(says_mark(c, mark) for c in cells)
        assert got.contrary.tolist() == [a and told and mark != hint and not said
                                         for a in ambiguous]
        followed = [False] * len(cells) if got.followed is None else got.followed.tolist()
        assert followed == [a and told and mark != hint and said for a in ambiguous]
    if told or hint == mark:
        assert [read_number(c, mark) for c in cells] == values
        plain = plain_numbers(pa.array(cells, pa.string()), mark).to_pylist()
        assert [Decimal(p) for p in plain] == values
    for c, d in zip(cells, values):   # one number alone: the one way it reads
        if _unambiguous(c):
            assert parse_number(c) == d


@given(amounts, amounts)
def test_a_cell_of_the_other_convention_is_contrary(a, b):
    # "1,5" among decimal points: refused, never read as 15
    column = ["1,500,000.25", written(a, POINT, ","), written(b, COMMA, ".")]
    got = decimal_mark(column)
    assert got.mark == POINT and got.example == 0
    assert got.contrary[2] == (read_number(column[2], POINT) is None)
    if got.contrary[2]:
        assert read_number(column[2], COMMA) == b


@settings(deadline=None)   # the first example loads babel's currencies
@given(amounts, st.sampled_from([POINT, COMMA]), st.integers(0, 3))
@example(Decimal("1000.0000"), COMMA, 0)   # "1.000 EUR": the column path gave "1.000"
def test_a_phrase_reads_its_number_as_parse_number_does(d, mark, g):
    # the phrase grammar, its fast paths (one phrase, a column) and parse_number agree
    cell = written(d, mark, GROUPS[mark][g])
    phrase = f"{cell} EUR"
    value = parse_number(cell)
    assert parse_amount(phrase).amount == value
    assert parse_amounts([phrase]).amount.to_pylist() == [plain_decimal(value)]
    if _unambiguous(cell):
        assert value == d
