"""A registry-like folder of IATI activity files, made from the real published
files in tests/fixtures/real/iati: copies with new activity identifiers (each
copy's identifiers end in ``-G<copy>``), so no two files share an entry id.

    .venv/bin/python benchmarks/iati_folder.py OUT_DIR --mb 1000

Used by ``benchmarks/bench_import_dataset.py``; writes files until the folder
holds about ``--mb`` megabytes of XML.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REAL = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "real" / "iati"
_ID = re.compile(rb"(<iati-identifier>\s*)([^<]*?)(\s*</iati-identifier>)")


def make_folder(out: Path, megabytes: float) -> tuple[int, int]:
    """(files written, bytes written)."""
    out.mkdir(parents=True, exist_ok=True)
    sources = [(p.stem, p.read_bytes()) for p in sorted(REAL.glob("*.xml"))]
    want, size, k = int(megabytes * 1_000_000), 0, 0
    while size < want:
        stem, raw = sources[k % len(sources)]
        tag = f"-G{k}".encode()
        copy = _ID.sub(lambda m, tag=tag: m.group(1) + m.group(2) + tag + m.group(3), raw)
        # the file's own <iati-identifier>s only: refs to other activities keep theirs
        (out / f"{k:06d}-{stem}.xml").write_bytes(copy)
        size += len(copy)
        k += 1
    return k, size


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--mb", type=float, default=100)
    args = ap.parse_args(argv)
    n, size = make_folder(args.out, args.mb)
    print(f"{n} files, {size / 1e6:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
