"""The raw-page reader (ledger.sources.text.html_text): the elements it
tracks to drop hidden text cost time linear in the page, however deep."""
from __future__ import annotations

import time

from ledger.sources.text import html_text


def test_a_deep_page_is_read_in_linear_time():
    # each start tag looked down the open elements for a <p> to close: a
    # <button> stops that look, so 20,000 divs inside one took 10 s
    n = 200_000
    started = time.process_time()
    text = html_text("<p><button>" + "<div>x" * n)[0]
    stray = html_text("<span>" + "<b>" * n + "</i>" * n + "y")[0]
    assert time.process_time() - started < 30
    assert text.count("x") == n and stray.endswith("y")


def test_an_end_tag_a_browser_implies_ends_the_hidden_element():
    text = html_text("<ul><li hidden>£6m<li>£7m</ul><p hidden>£8m<div>£9m</div>"
                     "<table><tr><td hidden>£1m<td>£2m</table>")[0]
    assert "£6m" not in text and "£8m" not in text and "£1m" not in text
    assert "£7m" in text and "£9m" in text and "£2m" in text
