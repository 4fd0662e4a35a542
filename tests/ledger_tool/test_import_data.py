"""ledger_tool.import_data: a dataset import's problems summed up batch by
batch where each batch is read (``_Told``) tell the same as the problems
one at a time: the rejects file (``_rejects_csv``, the journal import's),
the counts, and the capped messages (``capped``)."""
from __future__ import annotations

import contextlib
import io
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.imports.problem import dropped, import_problem, items_of, kind_of
from ledger_tool.common import capped
from ledger_tool.import_data import _line, _ProblemSink, _rejects_csv, _Told

_KINDS = ("reject", "skip", "error", "note", "warning")
_problem = st.builds(
    lambda kind, n, item, reason, k: import_problem(f"f{k}.xml", f"activity {k}", reason, kind,
                                                    n, item),
    st.sampled_from(_KINDS), st.integers(1, 3), st.none() | st.integers(1, 4),
    st.text(alphabet='ab,"\n\r=+ é', max_size=12), st.integers(0, 3))


@settings(max_examples=150, deadline=None)
@given(problems=st.lists(_problem, max_size=40), cuts=st.lists(st.integers(0, 40), max_size=5),
       cap=st.integers(1, 6))
def test_batches_told_as_the_problems_one_by_one(tmp_path_factory, problems, cuts, cap):
    path = tmp_path_factory.mktemp("told") / "_rejects.csv"
    old = os.environ.get("LEDGER_TOOL_MAX_MESSAGES")
    os.environ["LEDGER_TOOL_MAX_MESSAGES"] = str(cap)
    try:
        sink = _ProblemSink(path)
        edges = [0, *sorted(min(c, len(problems)) for c in cuts), len(problems)]
        for a, b in zip(edges, edges[1:]):
            sink.merge(_Told(problems[a:b], cap))
        sink.close()
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            sink.print("R.csv")
        out = [pr for pr in problems if dropped(pr)]
        expected = "".join(f"ledger-tool: import: {text}\n"
                           for text in capped(out, "R.csv", line=_line)
                           + capped([pr for pr in problems if not dropped(pr)], "", line=_line))
    finally:
        if old is None:
            del os.environ["LEDGER_TOOL_MAX_MESSAGES"]
        else:
            os.environ["LEDGER_TOOL_MAX_MESSAGES"] = old
    assert path.read_bytes().decode("utf-8") == _rejects_csv(problems)
    assert err.getvalue() == expected
    # a named item (a spreadsheet's row) counts once per kind, whatever the batch
    for kind in ("reject", "skip"):
        first: dict = {}
        for pr in problems:
            if kind_of(pr) == kind and pr.detail("item") is not None:
                first.setdefault(pr.detail("item"), items_of(pr))
        assert sink.items[kind] == sum(items_of(pr) for pr in problems
                                       if kind_of(pr) == kind and pr.detail("item") is None) \
            + sum(first.values())
    assert sink.warnings == sum(kind_of(pr) == "warning" for pr in problems)
    assert sink.errors == sum(kind_of(pr) == "error" for pr in problems)
    assert sink.dropped == sum(bool(dropped(pr)) or kind_of(pr) == "error" for pr in problems)
