"""Every output of the IATI and FTS imports (and `check` of what they wrote),
recorded for two source trees and compared: a speed change must leave them
byte for byte the same.

    .venv/bin/python benchmarks/bench_import_outputs.py --tree /tmp/before --tree . \
        [--folder GENERATED_IATI_DIR ...] [--work DIR]

For each tree (``git archive`` an earlier commit into a folder to compare with
it), each case runs as a whole command in a fresh process: every real IATI and
FTS file in tests/fixtures/real imported to a dataset (``--to``) and to a
journal (``-o``), both fixture folders, the IATI folder with ``--hierarchy 1``,
the IATI files again with ``LEDGER_TOOL_MAX_MESSAGES=3``, each ``--folder``
(``benchmarks/iati_folder.py`` makes one) to a dataset and a journal, and
``check`` of the journals and datasets.  Recorded: a dataset's rows read back
and sorted, with its schema; every other file written (rejects, documents, the
archived sources, the journals); stdout, stderr and the exit code, with the
work folder's path replaced.  Prints the cases that differ; exit 1 if any.
Nothing here is a test: it takes minutes.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "fixtures" / "real"


def cases(folders: list[Path]) -> list[tuple[str, list[str], dict]]:
    """(name, the command's arguments with OUT for the output folder, extra
    environment), in order: a check follows what it reads."""
    out: list[tuple[str, list[str], dict]] = []
    for kind, ext in (("iati", "xml"), ("fts", "json")):
        for f in sorted((REAL / kind).glob(f"*.{ext}")):
            out.append((f"{kind}-{f.stem}", ["import", "--from", kind, str(f),
                                             "--to", f"OUT/ds-{kind}-{f.stem}.parquet"], {}))
            out.append((f"j-{kind}-{f.stem}", ["import", "--from", kind, str(f),
                                               "-o", f"OUT/j-{kind}-{f.stem}"], {}))
            out.append((f"chk-j-{kind}-{f.stem}", ["check", f"OUT/j-{kind}-{f.stem}"], {}))
        out.append((f"{kind}-dir", ["import", "--from", kind, str(REAL / kind),
                                    "--to", f"OUT/ds-{kind}-dir.parquet"], {}))
        out.append((f"chk-ds-{kind}-dir", ["check", f"OUT/ds-{kind}-dir.parquet"], {}))
        out.append((f"j-{kind}-dir", ["import", "--from", kind, str(REAL / kind),
                                      "-o", f"OUT/j-{kind}-dir"], {}))
        out.append((f"chk-j-{kind}-dir", ["check", f"OUT/j-{kind}-dir"], {}))
    out.append(("iati-dir-h1", ["import", "--from", "iati", "--hierarchy", "1", str(REAL / "iati"),
                                "--to", "OUT/ds-iati-dir-h1.parquet"], {}))
    capped = {"LEDGER_TOOL_MAX_MESSAGES": "3"}
    for f in sorted((REAL / "iati").glob("*.xml")):
        out.append((f"cap-iati-{f.stem}", ["import", "--from", "iati", str(f),
                                          "--to", f"OUT/ds-cap-iati-{f.stem}.parquet"], capped))
    out.append(("cap-j-iati-dir", ["import", "--from", "iati", str(REAL / "iati"),
                                   "-o", "OUT/cap-j-iati-dir"], capped))
    for k, folder in enumerate(folders):
        out.append((f"gen{k}", ["import", "--from", "iati", str(folder),
                                "--to", f"OUT/ds-gen{k}.parquet"], {}))
        out.append((f"chk-ds-gen{k}", ["check", f"OUT/ds-gen{k}.parquet"], {}))
        out.append((f"j-gen{k}", ["import", "--from", "iati", str(folder), "-o", f"OUT/j-gen{k}"], {}))
        out.append((f"chk-j-gen{k}", ["check", f"OUT/j-gen{k}"], {}))
    return out


def record(tree: Path, out: Path, folders: list[Path]) -> dict[str, str]:
    """Each case's outputs of ``tree`` (written under ``out``) as
    {what: digest}."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    got: dict[str, str] = {}
    for name, args, extra in cases(folders):
        env = dict(os.environ, PYTHONPATH=str(tree), LEDGER_TOOL_CACHE="off", **extra)
        p = subprocess.run([sys.executable, "-m", "ledger_tool",
                            *[a.replace("OUT", str(out)) for a in args]],
                           capture_output=True, env=env, cwd=out)
        for what, data in (("stdout", p.stdout), ("stderr", p.stderr),
                           ("exit", str(p.returncode).encode())):
            got[f"{name} {what}"] = _digest(data.replace(str(out).encode(), b"OUT"))
    for p in sorted(out.iterdir()):
        if p.suffix == ".parquet" and p.is_dir():
            got[f"{p.name} rows"] = _rows(p)
        for f in sorted(p.rglob("*") if p.is_dir() else [p]):
            if f.is_file() and f.suffix != ".parquet":
                got[f"{f.relative_to(out)}"] = _digest(
                    f.read_bytes().replace(str(out).encode(), b"OUT"))
    return got


def _rows(dataset: Path) -> str:
    """The dataset's schema and rows, sorted (the part files' layout aside)."""
    import pyarrow.dataset as ds

    t = ds.dataset(dataset, format="parquet", partitioning="hive").to_table()
    rows = sorted(map(tuple, zip(*[c.to_pylist() for c in t.columns])), key=repr)
    return f"{len(rows)} rows " + _digest(repr((str(t.schema), rows)).encode())


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tree", type=Path, action="append", required=True,
                    help="a source tree (twice: the two compared)")
    ap.add_argument("--folder", type=Path, action="append", default=[],
                    help="a generated IATI folder to import too")
    ap.add_argument("--work", type=Path, default=None)
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-import-outputs-"))
    folders = [f.resolve() for f in args.folder]
    got = [record(t.resolve(), work / f"out-{k}", folders) for k, t in enumerate(args.tree)]
    first = got[0]
    differ = 0
    for k, other in enumerate(got[1:], 1):
        for key in sorted(first.keys() | other.keys()):
            if first.get(key) != other.get(key):
                differ += 1
                print(f"differs: {key}: {first.get(key)} ({args.tree[0]}) against "
                      f"{other.get(key)} ({args.tree[k]})")
    print(f"{len(first)} outputs of {len(cases(folders))} commands compared, "
          f"{differ} differ ({work})")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
