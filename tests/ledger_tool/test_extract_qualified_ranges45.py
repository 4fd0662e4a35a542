"""ledger-tool extract --draft: a qualified range drafts what its
qualifier says (review45: "up to £500,000-1 million" drafted "at least
£500,000"), and the audit verifies the drafted entries: with no warning,
but for the list's "£7 million", whose quote the audit reads alone as
exact (review45b: a warning the test let pass; docs/phrases.md says so)."""
from __future__ import annotations

from tests.ledger.sources.cited import add_cited, ledger_citing

DOC = ("The plan costs up to £500,000-1 million. Roads cost about £5-7m.\n"
       "The towns get up to £600,000 and £7 million respectively.\n")


def _drafted(path) -> list[str]:
    return [line.split(" = ", 1)[1].strip('"') for line in
            path.read_text(encoding="utf-8").splitlines() if line.startswith("amount = ")]


def test_a_qualified_range_drafts_its_qualifier_and_the_audit_verifies_it(tmp_path, run_cli):
    book = ledger_citing(tmp_path, run_cli, DOC)
    draft = tmp_path / "d.toml"
    code, out, err = run_cli("extract", book / "sources" / "doc.txt", "--draft", draft)
    assert code == 0 and "Traceback" not in err, err
    # by hand: up to 1 × 10^6; about 5 × 10^6 (the range in a TODO); each
    # figure of the list up to its own: 600,000 and 7 × 10^6
    assert _drafted(draft) == ["up to £1 million", "about £5 million", "up to £600,000",
                               "up to £7 million"]
    assert "the draft records its lower bound as 'about'" in draft.read_text(encoding="utf-8")
    for i in range(1, 4):
        code, _, err = run_cli("add", book, "--from-extract", draft, "--pick", str(i),
                               "--funder", "EU:Commission", "--purpose", f"Ports:P{i}")
        assert code == 0, err
    code, out, err = run_cli("audit", book)
    assert code == 0 and "Traceback" not in err, out + err
    assert "3 citations, 3 verified; 0 error(s), 0 warning(s)" in err, out + err
    # the list's second figure quotes itself, "£7 million", which the audit
    # reads alone as exact: the one warning, expected and documented
    code, _, err = run_cli("add", book, "--from-extract", draft, "--pick", "4",
                           "--funder", "EU:Commission", "--purpose", "Ports:P4")
    assert code == 0, err
    code, out, err = run_cli("audit", book)
    assert code == 0 and "Traceback" not in err, out + err
    assert "4 citations, 4 verified; 0 error(s), 1 warning(s)" in err, out + err
    warnings = [line for line in out.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and warnings[0].startswith("warning: entry 'doc-4': doc:2:34: "
                                                         "the source's qualifier is 'exact' "
                                                         "('£7 million'); the entry's is 'up to'"), out


def test_figures_of_a_list_that_name_their_amounts_are_cited_alone_as_before(tmp_path, run_cli):
    # a ledger citing each figure by itself (as drafted before review45)
    # still verifies: the list's figures are not quoted through the list
    book = ledger_citing(tmp_path, run_cli, "The towns get up to £600,000 and £7 million "
                                            "respectively.\n")
    add_cited(run_cli, book, "a", "up to £600,000", "up to £600,000")
    add_cited(run_cli, book, "b", "£7 million", "£7 million")
    code, out, err = run_cli("audit", book)
    assert code == 0 and "Traceback" not in err, out + err
    assert "2 citations, 2 verified; 0 error(s)" in err, out + err
