"""Shared fixtures: the seed documents, the bundled example ledger, a CLI runner,
a generated ledger."""
from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# The test files sit in folders mirroring the packages (tests/README.md): they
# name the checkout and the test data through these, never by counting parents.
TESTS = REPO / "tests"
FIXTURES = TESTS / "fixtures"
CORPUS = TESTS / "corpus"


def _seeds_dir() -> Path:
    # shared/ sits beside the checkout (../shared/seeds); LEDGER_TOOL_SEEDS overrides.
    env = os.environ.get("LEDGER_TOOL_SEEDS")
    return Path(env) if env else REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    d = _seeds_dir()
    if not d.is_dir():
        # A fresh clone has no ../shared: the tests that read the seed
        # documents are skipped with the reason; CI has them and runs them.
        pytest.skip(f"seed documents not found at {d}: they sit beside the checkout "
                    "in ../shared/seeds (or set LEDGER_TOOL_SEEDS)")
    return d


@pytest.fixture(scope="session")
def example_ledger() -> Path:
    return REPO / "examples" / "calais"


@pytest.fixture
def run_cli(capsys):
    """Run ``ledger-tool ARGS`` in-process; return (exit code, stdout, stderr)."""
    from ledger_tool.cli import main

    def run(*args: str):
        # a command interrupted by Ctrl-C ignores the next ones as it exits
        # (cli.interrupted): in-process, the tests after it must not inherit that
        handler, hook = signal.getsignal(signal.SIGINT), sys.unraisablehook
        try:
            code = main([str(a) for a in args])
        finally:
            signal.signal(signal.SIGINT, handler)
            sys.unraisablehook = hook
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def ledger_copy(tmp_path, example_ledger, seeds_dir):
    """A copy of the example ledger and of its source archive, to modify:
    (ledger folder, archive folder)."""
    book = tmp_path / "calais"
    shutil.copytree(example_ledger, book)
    archive = tmp_path / "seeds"
    shutil.copytree(seeds_dir, archive)
    return book, archive


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``text[offset]``, worked out independently
    of the code under test."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


GENERATED_ENTRIES = 3000


def generate_module():
    """benchmarks/generate.py, the synthetic-ledger generator, as a module."""
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "benchmarks" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def big(tmp_path_factory) -> Path:
    """A generated ledger of GENERATED_ENTRIES entries (journal, CSV, Parquet)."""
    d = tmp_path_factory.mktemp("scale")
    generate_module().write(d, GENERATED_ENTRIES, seed=7, parquet=True)
    return d
