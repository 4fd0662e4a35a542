"""ledger-tool init, and import into a new or existing ledger: only the
ledger's own files count, and a figure already in the ledger is not added
again under another id."""
from __future__ import annotations

import tomllib

import ledger


def test_init_makes_an_empty_valid_ledger(run_cli, tmp_path):
    book = tmp_path / "new"
    code, _, err = run_cli("init", book, "--name", "Aid to Calais", "--currency", "eur",
                           "--fiscal-year-start", "01-01")
    assert code == 0, err
    opts = tomllib.loads((book / "ledger.toml").read_text(encoding="utf-8"))["ledger"]
    assert opts == {"name": "Aid to Calais", "currency": "EUR", "locale": "en_GB",
                    "fiscal_year_start": "01-01", "archive": "sources"}
    assert (book / "sources.toml").read_text(encoding="utf-8").startswith("# Source documents")
    assert (book / "sources").is_dir()
    code, out, err = run_cli("check", book)
    assert code == 0 and "0 error(s), 0 warning(s)" in out + err
    assert ledger.load(book).entries == ()


def test_init_refuses_a_non_empty_folder_and_bad_options(run_cli, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x", encoding="utf-8")
    code, _, err = run_cli("init", tmp_path / "full")
    assert code == 1 and "not empty" in err
    code, _, err = run_cli("init", tmp_path / "b", "--currency", "XQZ")
    assert code == 1 and "unknown currency" in err and not (tmp_path / "b").exists()
    code, _, err = run_cli("init", tmp_path / "c", "--fiscal-year-start", "13-01")
    assert code == 1 and "MM-DD" in err


CSV = "date,funder,purpose,amount,source\n2016-03-03,UK:Home Office,Security:Calais port,£17m,doc-a\n"


def test_import_beside_a_pyproject_reads_only_the_ledger(run_cli, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (tmp_path / "rows.csv").write_text(CSV, encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "rows.csv", "-o", tmp_path / "new.toml")
    assert code == 0, err
    assert "pyproject.toml" not in err and "already has" not in err
    assert len(ledger.load(tmp_path / "new.toml").entries) == 1


def test_import_into_a_new_folder_creates_the_ledger(run_cli, tmp_path):
    (tmp_path / "rows.csv").write_text(CSV, encoding="utf-8")
    book = tmp_path / "book"
    code, _, err = run_cli("import", tmp_path / "rows.csv", "-o", book)
    assert code == 0, err
    assert (book / "ledger.toml").exists() and (book / "imported.toml").exists()
    assert run_cli("check", book)[0] == 0


def test_a_row_repeating_an_entry_is_reported_not_added(run_cli, tmp_path):
    (tmp_path / "rows.csv").write_text(CSV, encoding="utf-8")
    book = tmp_path / "book"
    assert run_cli("import", tmp_path / "rows.csv", "-o", book)[0] == 0
    # the same figure again, under an explicit new id
    (tmp_path / "again.csv").write_text(
        "id,date,funder,purpose,amount,source\n"
        "other-id,2016-03-03,UK:Home Office,Security:Calais port,£17m,doc-a\n", encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "again.csv", "-o", book)
    assert code == 1
    assert "row 2" in err and "the same figure as entry 'uk-home-office-2016-03-03-17m-gbp'" in err
    assert len(ledger.load(book).entries) == 1


def test_a_failed_import_creates_no_ledger(run_cli, tmp_path):
    (tmp_path / "bad.csv").write_text("date,funder,purpose,amount\n2016-03-03,UK,X,lots\n",
                                      encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "bad.csv", "-o", tmp_path / "book")
    assert code == 1 and "nothing imported" in err and not (tmp_path / "book").exists()


def test_fiscal_year_start_is_read_as_the_reports_read_it(run_cli, tmp_path):
    """One rule: what the reports accept (4-6 for 6 April) init accepts, and
    writes as MM-DD; 29 February is refused as the reports refuse it."""
    import tomllib
    code, _, err = run_cli("init", tmp_path / "a", "--fiscal-year-start", "4-6")
    assert code == 0, err
    opts = tomllib.loads((tmp_path / "a" / "ledger.toml").read_text(encoding="utf-8"))["ledger"]
    assert opts["fiscal_year_start"] == "04-06"
    code, _, err = run_cli("init", tmp_path / "b", "--fiscal-year-start", "02-29")
    assert code == 1 and "MM-DD" in err and not (tmp_path / "b").exists()
