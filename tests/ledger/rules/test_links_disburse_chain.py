"""A disbursement of a disbursement (``disburses-disbursement``): both would
count as paid against one pledge (x £2m, y £1.5m disburses x, z £1.5m
disburses y: paid £3m of £2m), so the second link is refused, naming both
entries and what they pay out; linked to the pledge, the package rule
measures them together."""
from __future__ import annotations

from pathlib import Path

from ledger.read import read_book


def _journal(path: Path, entries: list[tuple[str, str, dict[str, str]]]) -> Path:
    text = '[ledger]\nname = "chain"\ncurrency = "GBP"\n'
    for i, amount, links in entries:
        text += (f'\n[[entry]]\nid = "{i}"\ndate = 2016-06-01\nfunder = "FR"\n'
                 f'purpose = "Sec"\namount = "£{amount}"\n')
        text += "".join(f'{k} = "{v}"\n' for k, v in links.items())
    path.write_text(text, encoding="utf-8")
    return path


def _errors(book):
    return [(p.entry_id, p.message, p.hint, p.code) for p in book.problems
            if p.severity == "error"]


def test_a_disbursement_of_a_disbursement_is_refused(tmp_path, run_cli):
    led = _journal(tmp_path / "l.toml", [("x", "2m", {}), ("y", "1.5m", {"disburses": "x"}),
                                         ("z", "1.5m", {"disburses": "y"})])
    assert _errors(read_book(led)) == [
        ("z", "disburses 'y', which itself disburses 'x': the money would be paid twice",
         "link both to what they pay out (disburses = 'x')", "disburses-disbursement")]
    code, out, err = run_cli("report", led, "--out", tmp_path / "r", "--format", "csv")
    assert code == 1 and not (tmp_path / "r" / "report.xlsx").exists()


def test_linked_to_the_pledge_both_are_measured_against_it(tmp_path):
    """The fix the hint asks for: £1.5m + £1.5m = £3m, more than x's £2m."""
    led = _journal(tmp_path / "l.toml", [("x", "2m", {}), ("y", "1.5m", {"disburses": "x"}),
                                         ("z", "1.5m", {"disburses": "x"})])
    assert _errors(read_book(led)) == [
        ("x", "disbursements (y, z) add up to 3000000 GBP, more than the 2000000 GBP of 'x'",
         "", "package-exceeded")]


def test_each_link_of_a_longer_chain_names_the_pledge(tmp_path):
    led = _journal(tmp_path / "l.toml", [("x", "2m", {}), ("y", "0.5m", {"disburses": "x"}),
                                         ("z", "0.5m", {"disburses": "y"}),
                                         ("w", "0.5m", {"disburses": "z"})])
    assert [(e[0], e[2]) for e in _errors(read_book(led))] == [
        ("z", "link both to what they pay out (disburses = 'x')"),
        ("w", "link both to what they pay out (disburses = 'x')")]


def test_a_disbursement_of_a_phase_is_not_a_chain(tmp_path):
    """A phase (part_of) is paid out by its disbursements: the package rule
    measures them against the phase, the phases against the package."""
    led = _journal(tmp_path / "l.toml", [("x", "2m", {}), ("y", "1.5m", {"part_of": "x"}),
                                         ("z", "1.5m", {"disburses": "y"})])
    assert _errors(read_book(led)) == []


def test_a_bulk_table_leaves_the_chained_disbursement_out(tmp_path):
    (tmp_path / "b.csv").write_text(
        "id,date,funder,purpose,amount,currency,status,disburses\n"
        "x,2016-06-01,FR,Sec,2000000,GBP,pledged,\n"
        "y,2016-07-01,FR,Sec,1500000,GBP,disbursed,x\n"
        "z,2016-08-01,FR,Sec,1500000,GBP,disbursed,y\n", encoding="utf-8")
    book = read_book(tmp_path / "b.csv")
    assert [(p.line, p.entry_id, p.code) for p in book.problems if p.severity == "error"] == \
        [(4, "z", "disburses-disbursement")]
    assert list(book.tables.entries["id"]) == ["x", "y"]
