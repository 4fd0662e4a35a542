"""ledger.phrases: only a figure that reads two ways ("€250.000": 250 or
250,000) is said to be unsure, and the doubt names the OTHER figure's
decimal comma (review45b, defect 2: "€1.500.000" alone was said to write
'1.500.000' with a decimal comma)."""
from __future__ import annotations

import pytest

from ledger.phrases.extract import find_mentions

COMMA_SAID = "the same sentence writes '{}' with a decimal comma: check"


def _unsure(text: str) -> list[str]:
    return [m.unsure for m in find_mentions(text)]


@pytest.mark.parametrize("text, expected", [
    # several dot groups, or dots with a decimal comma: one reading only
    ("The EU gave €1.500.000 to Chad.", [""]),
    ("The grant was EUR 12.500,50 in total.", [""]),
    ("Die Summe von 1.234,56 EUR wurde gezahlt.", [""]),
    ("Budget: €1.250.000,00 for the port.", [""]),
    ("They paid 2.000.000 euros.", [""]),
    ("They paid €1.234.567 and €2,5 million.", ["", ""]),
    ("Le budget est de 1.500.000 € et 2,5 millions d'euros.", ["", ""]),
    # one dot group reads two ways: said, naming the other figure's comma
    ("Die Kosten betragen 250.000 Euro und 1,2 Mio. Euro.", [COMMA_SAID.format("1,2")]),
    ("They paid €250.000 and €1.500.000 and €2,5 million.",
     [COMMA_SAID.format("2,5"), "", ""]),
    # the other figure may be the range's upper bound
    ("It costs between 250.000 and 1,5 million euros.", [COMMA_SAID.format("1,5")]),
    ("Entre 250.000 et 1,5 million d'euros.", [COMMA_SAID.format("1,5")]),
])
def test_only_a_figure_read_two_ways_is_said_with_the_other_figures_comma(text, expected):
    assert _unsure(text) == expected
