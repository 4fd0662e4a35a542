"""extract --draft: an amount that shares its currency with the next one
("five million and two million pounds") is drafted as a readable amount
(£5 million), and a word range's lower bound shares the upper's hundreds."""
from __future__ import annotations


def test_draft_amounts_read_back(tmp_path, run_cli):
    doc = tmp_path / "d.txt"
    doc.write_text("The fund gave five million and two million pounds.\n"
                   "It gave between two and three hundred thousand pounds.\n", encoding="utf-8")
    out = tmp_path / "draft.toml"
    code, _, err = run_cli("extract", doc, "--draft", out)
    assert code == 0, err
    amounts = [x for x in out.read_text(encoding="utf-8").splitlines() if x.startswith("amount")]
    # by hand: £5m and £2m; the range's lower bound two hundred thousand
    assert amounts == ['amount = "£5 million"', 'amount = "two million pounds"',
                       'amount = "at least £200,000"']
