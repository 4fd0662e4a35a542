"""Links that form a cycle (``link-cycle``): each entry in it defers to
another, so none would be counted; the rule across entries refuses the
cycle, said once at its first entry with its path, for every input (a
journal, a bulk CSV, a dataset whose cycle crosses partitions)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings, strategies as st

from ledger.read import read_book
from ledger.read.dataset import scan
from ledger.rules import across_entries, link_cycles
from tests.ledger.read.test_dataset import write_dataset

HINT = "remove one of the links: an entry linked to another is not counted, so in a cycle none is"


def _journal(path: Path, entries: list[tuple[str, str, str, str]]) -> Path:
    """``entries``: (id, amount, link kind, target) in order, one a line pair."""
    text = '[ledger]\nname = "cycle"\ncurrency = "GBP"\n'
    for i, amount, kind, target in entries:
        text += (f'\n[[entry]]\nid = "{i}"\ndate = 2016-05-01\nfunder = "UK"\n'
                 f'purpose = "Hum"\namount = "£{amount}"\n')
        if kind:
            text += f'{kind} = "{target}"\n'
    path.write_text(text, encoding="utf-8")
    return path


def _errors(book):
    return [(p.line, p.entry_id, p.message, p.hint) for p in book.problems
            if p.severity == "error"]


def test_two_entries_restating_each_other_are_one_cycle(tmp_path, run_cli):
    led = _journal(tmp_path / "l.toml", [("a", "5m", "restates", "b"),
                                         ("b", "6m", "restates", "a"), ("x", "2m", "", "")])
    # entry a's [[entry]] is line 5 (three [ledger] lines, a blank line)
    assert _errors(read_book(led)) == [(5, "a", "links form a cycle: a → b → a", HINT)]
    code, out, err = run_cli("balance", led, "--currency", "GBP")
    assert code == 1 and out == "" and "links form a cycle: a → b → a" in err
    code, _, err = run_cli("check", led)
    assert code == 1 and err.count("links form a cycle") == 1


def test_a_cycle_of_three_kinds_is_named_in_link_order(tmp_path):
    led = _journal(tmp_path / "l.toml", [("p", "5m", "part_of", "q"),
                                         ("q", "5m", "disburses", "r"),
                                         ("r", "5m", "restates", "p")])
    errors = _errors(read_book(led))
    assert [(e[1], e[2]) for e in errors] == [("p", "links form a cycle: p → q → r → p")]


def test_an_entry_linking_into_a_cycle_is_not_in_it(tmp_path):
    led = _journal(tmp_path / "l.toml", [("w", "1m", "restates", "b"),
                                         ("b", "5m", "restates", "c"),
                                         ("c", "5m", "restates", "b")])
    assert [(e[1], e[2]) for e in _errors(read_book(led))] == \
        [("b", "links form a cycle: b → c → b")]


def test_a_chain_without_a_cycle_passes(tmp_path):
    led = _journal(tmp_path / "l.toml", [("a", "5m", "", ""), ("b", "5m", "restates", "a"),
                                         ("c", "5m", "restates", "b")])
    assert _errors(read_book(led)) == []


def test_a_bulk_table_refuses_every_entry_of_the_cycle(tmp_path, run_cli):
    (tmp_path / "b.csv").write_text(
        "id,date,funder,purpose,amount,currency,restates\n"
        "a,2016-05-01,UK,Hum,5000000,GBP,b\n"
        "b,2016-06-01,UK,Hum,6000000,GBP,a\n"
        "x,2016-06-01,FR,Sec,2000000,GBP,\n", encoding="utf-8")
    book = read_book(tmp_path / "b.csv")
    assert _errors(book) == [(2, "a", "links form a cycle: a → b → a", HINT)]
    assert list(book.tables.entries["id"]) == ["x"]      # a and b both left out, said once
    code, out, err = run_cli("balance", tmp_path / "b.csv", "--currency", "GBP")
    assert code == 1 and out == ""


def test_a_cycle_across_partitions_is_refused_once(tmp_path, run_cli):
    ds = write_dataset(tmp_path / "c.parquet", [
        {"id": "p", "date": "2019-12-30", "funder": "UK", "purpose": "P", "amount": "10",
         "currency": "GBP", "part_of": "q", "sources": "d"},
        {"id": "q", "date": "2020-01-02", "funder": "UK", "purpose": "P", "amount": "10",
         "currency": "GBP", "disburses": "p", "sources": "d"},
        {"id": "s", "date": "2020-02-02", "funder": "UK", "purpose": "P", "amount": "3",
         "currency": "GBP", "sources": "d"},
        {"id": "t", "date": "2020-02-03", "funder": "UK", "purpose": "P", "amount": "3",
         "currency": "GBP", "disburses": "s", "part_of": "", "sources": "d"}])
    errors = scan(ds).errors
    assert [(p.code, p.entry_id, p.message) for p in errors] == \
        [("link-cycle", "p", "links form a cycle: p → q → p")]
    assert errors[0].file.endswith("year=2019/part-0.parquet")
    code, out, err = run_cli("balance", ds)
    assert code == 1 and "links form a cycle: p → q → p" in err and out == ""


def test_a_cycle_within_one_partition_is_said_once(tmp_path):
    ds = write_dataset(tmp_path / "c.parquet", [
        {"id": "p", "date": "2020-01-01", "funder": "UK", "purpose": "P", "amount": "10",
         "currency": "GBP", "part_of": "q", "sources": "d"},
        {"id": "q", "date": "2020-01-02", "funder": "UK", "purpose": "P", "amount": "10",
         "currency": "GBP", "part_of": "p", "sources": "d"}])
    assert [(p.code, p.entry_id) for p in scan(ds).errors] == [("link-cycle", "p")]


# ---------------------------------------------------------------- property

def _on_a_cycle(n: int, edges: list[tuple[int, int]]) -> dict[int, frozenset[int]]:
    """Each entry that its links lead back to, with the entries it and they
    reach each other through (worked out by brute force: reachability)."""
    reach = [{t for s, t in edges if s == i} for i in range(n)]
    changed = True
    while changed:
        changed = False
        for i in range(n):
            more = set().union(*(reach[j] for j in reach[i])) - reach[i] if reach[i] else set()
            if more:
                reach[i] |= more
                changed = True
    return {i: frozenset(j for j in range(n) if j in reach[i] and i in reach[j])
            for i in range(n) if i in reach[i]}


links_st = st.integers(2, 9).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.sampled_from(
        ["restates", "part_of", "disburses"]), st.integers(0, n - 1)), max_size=14)))


@settings(max_examples=150, deadline=None)
@given(links_st)
def test_every_cycle_of_a_random_link_graph_is_refused(case):
    """Random links (one per entry and kind, as a journal has them): every
    entry on a cycle is refused, no other entry is, and each group of
    entries that reach each other is said once, at its lowest entry, with a
    path whose every step is a link."""
    n, raw = case
    one: dict[tuple[int, str], int] = {}
    for i, kind, t in raw:
        if t != i:                 # a link to itself is the self-link rule's
            one.setdefault((i, kind), t)
    links = sorted(((i, kind, f"e{t}") for (i, kind), t in one.items()), key=lambda x: x[0])
    edges = [(i, int(t[1:])) for i, _, t in links]
    problems, bad = across_entries(
        n=n, ids=[f"e{i}" for i in range(n)], place=lambda i: ("l.toml", i + 1),
        currency=lambda i: "GBP", qualifier=lambda i: "exact", amount=lambda i: Decimal(1),
        links=links, find=lambda targets: [int(t[1:]) for t in targets])
    cyclic = _on_a_cycle(n, edges)
    said = [p for p in problems if p.code == "link-cycle"]
    assert bad >= set(cyclic)
    assert {int(p.entry_id[1:]) for p in said} == {min(g) for g in cyclic.values()}
    for p in said:
        head, _, rest = p.message.removeprefix("links form a cycle: ").partition(" (and ")
        path = [int(x[1:]) for x in head.split(" → ")]
        group = cyclic[path[0]]
        assert path[0] == path[-1] == int(p.entry_id[1:])
        assert all(step in edges for step in zip(path, path[1:]))
        assert set(path) <= group
        named = {int(x[1:]) for x in rest.removesuffix(" in another through it)").split(", ")
                 } if rest else set()
        assert set(path) | named == group          # every entry refused is named
    groups = [frozenset(g) for _, g in link_cycles(edges)]
    assert len(groups) == len(set(groups)) and set(groups) == set(cyclic.values())


def test_a_long_cycle_is_said_on_one_short_line():
    """A cycle through 30 entries: its first ten, how many more, its last."""
    n = 30
    problems, bad = across_entries(
        n=n, ids=[f"e{i}" for i in range(n)], place=lambda i: ("l.toml", i + 1),
        currency=lambda i: "GBP", qualifier=lambda i: "exact", amount=lambda i: Decimal(1),
        links=[(i, "restates", f"e{(i + 1) % n}") for i in range(n)],
        find=lambda targets: [int(t[1:]) for t in targets])
    assert [p.message for p in problems] == [
        "links form a cycle: " + " → ".join(f"e{i}" for i in range(10)) + " → … 19 more → e29 → e0"]
    assert bad == set(range(n))
