"""An installed distribution's version, cheaply: from its ``.dist-info``
folder's name beside the module, else as importlib.metadata says (its
import, and its parsing of the whole METADATA file, is a cost every
command would pay: benchmarks/README.md, perf50)."""
from __future__ import annotations

import functools
import importlib.util
import os
import re
from pathlib import Path


def installed_version(dist: str) -> str:
    """The installed version of ``dist`` ("" when it is not installed)."""
    want = re.sub(r"[-_.]+", "_", dist).lower()
    try:   # where the module is imported from (found, not imported)
        spec = importlib.util.find_spec(dist)
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.origin:
        top = Path(spec.origin).parent
        folder = top.parent if spec.submodule_search_locations else top
        for name in _listing(str(folder)):
            if name.endswith(".dist-info") and "-" in name:
                project, _, version = name[:-len(".dist-info")].partition("-")
                if re.sub(r"[-_.]+", "_", project).lower() == want:
                    return version
    from importlib import metadata   # rarely needed: its import is a cost every command paid

    try:
        return metadata.version(dist)
    except Exception:   # noqa: BLE001 - not installed: its name stands for it
        return ""


@functools.cache
def _listing(folder: str) -> tuple[str, ...]:
    try:
        return tuple(os.listdir(folder or "."))
    except OSError:
        return ()
