"""The import graph: the layers of docs/architecture.md, no cycles, imports at
module level.

The contracts live in pyproject.toml ([tool.importlinter]) and are checked by
``lint-imports``.  import-linter's engine, grimp, reads import statements
only, so this module also adds the imports a module makes through
``importlib.import_module("…")`` with a literal name, then checks the same
layers and looks for cycles between modules on the whole graph.
"""
from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from tests.conftest import REPO

ROOT = REPO
PACKAGES = ("ledger", "rates", "reports", "ledger_tool")
HEAVY = ("pandas", "matplotlib", "openpyxl", "pyarrow", "dask")   # may load lazily, for start-up

# Cycles between modules still to break (none: the contracts in pyproject.toml
# ignore no import); a cycle not listed here fails.
KNOWN_CYCLES: set[frozenset[str]] = set()

# Function-level imports of the project's own or standard-library modules
# still to move to module level, per package or file (the count may only go
# down: lower the figure when it does).  Every other package must have none.
IMPORT_DEBT = {
    # one: ledger/__init__.py's read_book imports ledger.read when first called; at module
    # level it would load the reading stack (about 80 ms) at every command's start, --help too
    # and one in ledger/versions.py: importlib.metadata (about 30 ms to import, perf50)
    # only when a distribution's .dist-info is not found beside its module
    "ledger": 2,
}

_IMPORT_MODULE = re.compile(r"""\bimport_module\(\s*["']([\w.]+)["']""")


def _env() -> dict[str, str]:
    """This checkout first on the path, whatever is installed in the venv."""
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for f in sorted((ROOT / pkg).rglob("*.py")):
            parts = f.relative_to(ROOT).with_suffix("").parts
            out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = f
    return out


def _importlib_imports() -> set[tuple[str, str]]:
    """(importer, imported) for every ``import_module("literal")`` call."""
    return {(mod, name) for mod, f in _modules().items()
            for name in _IMPORT_MODULE.findall(f.read_text(encoding="utf-8"))
            if name.split(".")[0] in PACKAGES}


@pytest.fixture(scope="module")
def graph():
    """grimp's graph of the four packages plus the imports through importlib."""
    grimp = pytest.importorskip("grimp", reason="import-linter (the test extra) is not installed")
    sys.path.insert(0, str(ROOT))   # grimp finds the packages on sys.path: this checkout's
    try:
        g = grimp.build_graph(*PACKAGES, cache_dir=None)
    finally:
        sys.path.remove(str(ROOT))
    for importer, imported in _importlib_imports():
        g.add_import(importer=importer, imported=imported)
    return g


def _cycles(g) -> set[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's,
    without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()
    for root in sorted(g.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(g.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            v, children = work[-1]
            w = next(children, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(g.find_modules_directly_imported_by(w)))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                component = set()
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.add(w)
                    if w == v:
                        break
                if len(component) > 1:
                    found.add(frozenset(component))
    return found


def test_the_contracts_in_pyproject_hold():
    """lint-imports: layers (top level, inside the ledger, the command line)
    and no cycles between the modules of one package."""
    pytest.importorskip("importlinter", reason="import-linter (the test extra) is not installed")
    out = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                          "lint_imports_command()", "--no-cache"],
                         cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


def test_imports_through_importlib_are_seen():
    """The scan finds a literal ``import_module`` name (grimp alone cannot)."""
    assert _IMPORT_MODULE.findall('x = importlib.import_module("rates.normalise").to_frame') \
        == ["rates.normalise"]
    assert _IMPORT_MODULE.findall("import_module( 'ledger.read' )") == ["ledger.read"]
    assert _IMPORT_MODULE.findall('import_module(f"ledger_tool.cmd_{name}")') == []


def test_layers_see_an_import_through_importlib(graph):
    """The Book handing itself to rates through importlib (a cycle until
    issue 24) breaks the top layers once the scan adds it."""
    import grimp
    graph.add_import(importer="ledger.book", imported="rates.normalise")
    try:
        bad = graph.find_illegal_dependencies_for_layers(
            layers=[grimp.Layer(name) for name in ("ledger_tool", "reports", "rates", "ledger")])
    finally:
        graph.remove_import(importer="ledger.book", imported="rates.normalise")
    assert any(d.importer == "ledger" and d.imported == "rates" for d in bad), bad


def test_no_cycles_between_modules(graph):
    """Every module-level cycle of the whole graph, importlib included, is
    one of KNOWN_CYCLES (to be broken), and each known one still exists."""
    cycles = _cycles(graph)
    new = cycles - KNOWN_CYCLES
    assert not new, "import cycles: " + "; ".join(" <-> ".join(sorted(c)) for c in new)
    gone = KNOWN_CYCLES - cycles
    assert not gone, ("broken, remove from KNOWN_CYCLES (and its debt ignore in pyproject.toml): "
                      + "; ".join(" <-> ".join(sorted(c)) for c in gone))


def test_cycle_finder_finds_a_cycle(graph):
    graph.add_import(importer="ledger.model", imported="ledger_tool.cli")
    try:
        assert any({"ledger.model", "ledger_tool.cli"} <= c for c in _cycles(graph))
    finally:
        graph.remove_import(importer="ledger.model", imported="ledger_tool.cli")


def _layer(text: str):
    import grimp
    if ":" in text:
        return grimp.Layer(*(t.strip() for t in text.split(":")), independent=False)
    return grimp.Layer(*(t.strip() for t in text.split("|")), independent=True)


def test_layers_hold_with_importlib_imports(graph):
    """The layers contracts of pyproject.toml, checked again on the graph
    that includes the imports made through importlib (the Book handing
    itself to rates that way was a cycle lint-imports could not see)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    assert {c["id"] for c in contracts} >= {"top", "ledger"}
    for contract in contracts:
        ignored = [(a, b) for a, b in (tuple(s.strip() for s in i.split("->"))
                                       for i in contract.get("ignore_imports", []))
                   if graph.direct_import_exists(importer=a, imported=b)]   # lint-imports flags the rest
        for importer, imported in ignored:
            graph.remove_import(importer=importer, imported=imported)
        try:
            bad = graph.find_illegal_dependencies_for_layers(
                layers=[_layer(t) for t in contract["layers"]],
                containers=set(contract.get("containers", [])) or None)
        finally:
            for importer, imported in ignored:
                graph.add_import(importer=importer, imported=imported)
        assert not bad, (contract["name"], sorted(f"{d.importer} -> {d.imported}" for d in bad))


# ---------------------------------------------------- imports at module level
def _module_level_imports(tree: ast.Module) -> set[str]:
    """The modules a module imports when it is imported (not in functions)."""
    out: set[str] = set()
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        todo.extend(ast.iter_child_nodes(node))
    return out


def _heavy_modules(modules: dict[str, Path], trees: dict[str, ast.Module]) -> set[str]:
    """Project modules whose import loads one of HEAVY (directly or through
    another project module's module-level imports)."""
    deps = {}
    for mod, tree in trees.items():
        names = _module_level_imports(tree)
        if modules[mod].name == "__init__.py" or mod in PACKAGES:
            base = mod
        else:
            base = mod.rpartition(".")[0]
        names |= {f"{base}.{a.name}" if node.module is None else f"{base}.{node.module}"
                  for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level
                  for a in node.names}
        expanded = set()
        for n in names:   # importing a.b.c runs a and a.b too
            parts = n.split(".")
            expanded.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
        deps[mod] = expanded
    heavy = {m for m, d in deps.items() if any(n.split(".")[0] in HEAVY for n in d)}
    grew = True
    while grew:
        grew = False
        for m, d in deps.items():
            if m not in heavy and d & heavy:
                heavy.add(m)
                grew = True
    return heavy


def _absolute(mod: str, path: Path, level: int, name: str) -> str:
    """The absolute name of an import written in ``mod`` (``path``)."""
    if not level:
        return name
    parts = mod.split(".")
    base = parts if path.name == "__init__.py" else parts[:-1]
    base = base[:len(base) - (level - 1)]
    return ".".join(base + ([name.lstrip(".")] if name.lstrip(".") else []))


def _loads(name: str, heavy: set[str]) -> bool:
    """Importing ``name`` runs a heavy module (itself or a package above it)."""
    parts = name.split(".")
    return any(".".join(parts[:i]) in heavy for i in range(1, len(parts) + 1))


def _heavy_target(node: ast.AST, name: str, modules: dict[str, Path], heavy: set[str]) -> bool:
    """The import loads a heavy module: ``name`` itself, or, for ``from
    package import a, b``, each of the submodules ``a`` and ``b`` it names."""
    if _loads(name, heavy):
        return True
    if not isinstance(node, ast.ImportFrom):
        return False
    subs = [f"{name}.{a.name}" for a in node.names]
    return all(s in modules and _loads(s, heavy) for s in subs)


def _function_level_imports() -> dict[Path, list[str]]:
    """Per file: the project and standard-library modules imported inside a
    function, where nothing excuses it (a project module that loads a heavy
    library, imported lazily by a module that does not load one already)."""
    modules = _modules()
    trees = {m: ast.parse(f.read_text(encoding="utf-8"), str(f)) for m, f in modules.items()}
    heavy = _heavy_modules(modules, trees)
    out: dict[Path, list[str]] = {}
    for mod, tree in trees.items():
        found = []
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.iter_child_nodes(fn):
                todo = [node]
                while todo:
                    n = todo.pop()
                    if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        continue     # its own turn
                    todo.extend(ast.iter_child_nodes(n))
                    if isinstance(n, ast.Import):
                        names = [a.name for a in n.names]
                    elif isinstance(n, ast.ImportFrom):
                        names = ["." * n.level + (n.module or "")]
                    else:
                        continue
                    for name in names:
                        top = name.split(".")[0]
                        project = name.startswith(".") or top in PACKAGES
                        if not project and top not in sys.stdlib_module_names:
                            continue
                        if project and _heavy_target(n, _absolute(mod, modules[mod], n.level, name),
                                                     modules, heavy) and mod not in heavy:
                            continue
                        found.append(f"line {n.lineno}: {name}")
        if found:
            out[modules[mod].relative_to(ROOT)] = found
    return out


def _debt_key(path: Path) -> str:
    if path.as_posix() in IMPORT_DEBT:
        return path.as_posix()
    return path.parent.as_posix()


def test_imports_are_at_module_level():
    """Project and standard-library modules are imported at module level;
    inside a function only what would load pandas, matplotlib, openpyxl,
    pyarrow or dask into a module that has not loaded them yet."""
    per: dict[str, list[str]] = {}
    for path, found in _function_level_imports().items():
        per.setdefault(_debt_key(path), []).extend(f"{path}: {f}" for f in found)
    problems = []
    for key, found in sorted(per.items()):
        allowed = IMPORT_DEBT.get(key, 0)
        if len(found) > allowed:
            problems.append(f"{key}: {len(found)} function-level imports (at most {allowed}):\n  "
                            + "\n  ".join(found))
        elif len(found) < allowed:
            problems.append(f"{key}: {len(found)} function-level imports: lower IMPORT_DEBT to that")
    problems += [f"{key}: none left: remove it from IMPORT_DEBT"
                 for key in IMPORT_DEBT if key not in per]
    assert not problems, "\n".join(problems)
    for clean in ("rates", "ledger_tool"):
        assert clean not in IMPORT_DEBT


def test_function_level_import_count_sees_a_lazy_import(tmp_path):
    tree = ast.parse("import os\ndef f():\n    import json\n    from ledger import model\n")
    assert _module_level_imports(tree) == {"os"}


def test_from_a_package_import_of_heavy_submodules_is_excused():
    """``from reports import export`` loads reports.export (heavy), not only
    the package: it may stay in a function, as ``import reports.export``."""
    node = ast.parse("def f():\n    from reports import export\n").body[0].body[0]
    modules = {"reports": Path("reports/__init__.py"), "reports.export": Path("reports/export.py")}
    assert _heavy_target(node, "reports", modules, {"reports.export"})
    assert not _heavy_target(node, "reports", modules, set())
    both = ast.parse("from reports import export, text").body[0]
    assert not _heavy_target(both, "reports", modules, {"reports.export"})   # text: not a module here
