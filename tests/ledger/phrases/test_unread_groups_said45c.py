"""ledger.phrases: the doubt said of digit groups or words left beside a
figure, worded by one function for the three places that say it
(review45b, item 4).  The full text is pinned so that sharing it changes
no message."""
from __future__ import annotations

import pytest

from ledger.phrases.extract import find_mentions

TAIL = "(a count of {}, or of the money: check the document)"


@pytest.mark.parametrize("text, said", [
    ("It costs £1 million 200 thousand people.",
     "'200 thousand' after it, before 'people.', is not read as part of it "
     + TAIL.format("what follows")),
    ("It costs £3.5 million 200 thousand people.",
     "'200 thousand' after it is not read as part of it " + TAIL.format("what follows")),
    ("They gave 1 million 500 pounds.",
     "'1 million' right before it is not read as part of it " + TAIL.format("something else")),
])
def test_groups_left_beside_a_figure_are_said_in_full(text, said):
    assert [m.unsure for m in find_mentions(text)] == [said]
