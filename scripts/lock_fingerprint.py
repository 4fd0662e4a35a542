"""The fingerprint of what pyproject.toml asks to install, as a lock records it.

    python3 scripts/lock_fingerprint.py            # prints the line a lock starts with
    python3 scripts/lock_fingerprint.py --check L  # exit 1, one line, if lock L is stale

The fingerprint hashes the parsed requirement lists (dependencies, every
optional extra, the build requirements, requires-python), not the file's
text: a comment in pyproject.toml does not make the locks stale, a changed
range does.  scripts/lock writes it at the top of each lock; scripts/test and
scripts/demo refuse a lock whose fingerprint is not pyproject's.
"""
from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "# pyproject.toml requirements sha256: "


def fingerprint(pyproject: Path = ROOT / "pyproject.toml") -> str:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = data.get("project", {})
    wanted = {"dependencies": project.get("dependencies", []),
              "optional-dependencies": project.get("optional-dependencies", {}),
              "requires-python": project.get("requires-python", ""),
              "build-system": data.get("build-system", {}).get("requires", [])}
    return hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest()


def recorded(lock: Path) -> str | None:
    for line in lock.read_text(encoding="utf-8").splitlines()[:5]:
        if line.startswith(PREFIX):
            return line[len(PREFIX):].strip()
    return None


def main(argv: list[str]) -> int:
    if argv[:1] == ["--check"]:
        lock = Path(argv[1])
        if recorded(lock) != fingerprint():
            print(f"{lock}: written for other requirements than pyproject.toml's now: "
                  f"run ./scripts/lock, then commit the locks", file=sys.stderr)
            return 1
        return 0
    print(PREFIX + fingerprint())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
