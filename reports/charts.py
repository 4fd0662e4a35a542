"""Charts of a :class:`reports.tables.Report` with matplotlib (Agg, no display).

Each ``*_figure(report)`` returns a matplotlib ``Figure`` built from the
report's tables (so tests can inspect the bars before anything is saved);
``write_charts(report, folder)`` saves every chart as PNG and SVG.

- ``purpose_figure``: a bar for each funder's funding of each purpose; the top
  N purposes (``options.top``) and the rest as "(other)".
- ``timeline_figure``: money falling in each (calendar/fiscal) year, bars
  grouped by funder; open-ended pledges hatched, projected years shaded.
- ``comparison_figure``: the compared funders side by side per purpose.
- ``status_figure``: per funder, pledged → committed or further → paid.

Every bar carries its value (``--amounts`` compact or exact, qualifiers kept:
"up to £7m"); the money axis is log when the bars span two orders of magnitude
or more (``--scale auto``), so a £1.4m pledge stays readable beside €3bn a
year.  The title says what is drawn, the line under it says currency, basis,
horizon and valuation once; money ticks use babel's compact currency format.
"""
from __future__ import annotations

import dataclasses
import gc
import math
import os
import pickle
import textwrap
from decimal import Decimal, localcontext
from pathlib import Path

import numpy as np
import pandas as pd

from ledger.atomic import atomic_file
from reports.amounts import format_amount, qualified
from reports.background import in_background
from reports.notes import report_horizon
from reports.tables import OTHER, TOTAL, Report
from reports.text import show_controls

CHARTS = ("purpose", "timeline", "comparison", "status")


def _plt():
    import matplotlib
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    # SVG text stays text (editable, searchable, selectable), not outlines;
    # the viewer's font draws it: sans-serif, named in each element's style
    plt.rcParams["svg.fonttype"] = "none"
    return plt


def money_formatter(currency: str, locale: str):
    """A matplotlib tick formatter: compact amounts for the locale, written by
    the labels' own formatter (grouped alike), with the digits a tick needs."""
    from matplotlib.ticker import FuncFormatter

    def fmt(x, _pos=None):
        # 15 significant digits: a tick's float noise (0.30000000000000004) goes
        value = Decimal(format(x, ".15g")).normalize()
        return format_amount(value, currency, locale, "compact", digits=_compact_digits(x))

    return FuncFormatter(fmt)


def _compact_digits(x: float) -> int:
    """Fraction digits that show a tick value exactly in compact form
    (1.6e9 -> 1 for "£1.6B"; 2.5e8 -> 0 for "£250M"; 1.25e4 -> 2 for ja_JP's
    "£1.25万"), at most 2: enough for any power of ten a locale abbreviates by
    (thousands, 万, lakh), since babel's fraction digits are a maximum."""
    need = 0
    unit = 1000
    while unit <= abs(x) and need < 2:
        scaled = abs(x) / unit
        need = max(need, next((k for k in range(2) if
                               abs(scaled * 10 ** k - round(scaled * 10 ** k)) < 1e-6), 2))
        unit *= 10
    return need


def _floats(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(lambda c: c.map(float)).astype(float)


def _top_n(matrix: pd.DataFrame, n: int) -> pd.DataFrame:
    """Rows ordered by total, largest first; rows after the n-th summed into OTHER."""
    order = matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index
    m = matrix.loc[order]
    if n and len(m) > n:
        rest = m.iloc[n - 1:].sum().to_frame(OTHER).T
        m = pd.concat([m.iloc[: n - 1], rest])
    return m


# the page's timeline palette (reports/page/page.js PALETTE): grey last, so that with more
# funders than colours the nine kept ones are never grey, grey being the others' bar
PALETTE = ("#3a78c2", "#e07b39", "#4a9e5c", "#b8486b", "#7c5fb0", "#8c6d46", "#d4a017", "#2a9d9d",
           "#c23a3a", "#666666")
OTHER_COLOUR = "#a0a0a0"


def timeline_groups(by_year: pd.DataFrame) -> tuple[dict[str, list], str | None]:
    """The timeline's bars, as the page draws them: with more funders than
    colours, the ``len(PALETTE) - 1`` largest over the years shown (ties by
    name) apiece, in the table's order, and the others as one bar named
    "(other: N funders)", last.  Bar name -> the funders it sums; the
    others' bar name (None when every funder has its own)."""
    funders = list(by_year.columns)
    if len(funders) <= len(PALETTE):
        return {f: [f] for f in funders}, None
    with localcontext() as ctx:
        ctx.prec = 80           # exact: a sum of Decimals past 28 digits
        total = {f: sum(by_year[f], Decimal(0)) for f in funders}
    kept = set(sorted(funders, key=lambda f: (-total[f], str(f)))[: len(PALETTE) - 1])
    rest = [f for f in funders if f not in kept]
    other = f"(other: {len(rest)} funders)"
    return {**{f: [f] for f in funders if f in kept}, other: rest}, other


def _grouped(frame: pd.DataFrame, groups: dict[str, list]) -> pd.DataFrame:
    """``frame``'s columns summed into ``groups`` (missing columns: none)."""
    with localcontext() as ctx:
        ctx.prec = 80
        return pd.DataFrame({name: [sum((row[f] for f in members if f in frame.columns), Decimal(0))
                                    for _, row in frame.iterrows()]
                             for name, members in groups.items()}, index=frame.index)


def _short(label: str, width: int = 42) -> str:
    """A chart label: cut to ``width``; control characters shown as \\xNN (SVG is
    XML, which cannot hold them) and "$" kept literal (not matplotlib mathtext,
    which fails on e.g. "$\\foo$")."""
    label = label if len(label) <= width else label[: width - 1] + "…"
    return show_controls(label).replace("$", r"\$")


LOG_RATIO = 100     # auto scale: log when the bars span 100 times or more
PROJECTED_COLOUR = "#efe9f8"


def use_log(values, scale: str = "auto") -> bool:
    """The money axis: "log", "linear", or "auto" (log when the largest bar is
    LOG_RATIO times the smallest or more, so that £1.4m stays readable beside
    €3bn a year)."""
    if scale in ("log", "linear"):
        return scale == "log"
    if any(float(v) < 0 for v in values):    # a log axis cannot show a negative bar
        return False
    pos = [float(v) for v in values if float(v) > 0]
    return len(pos) > 1 and max(pos) / min(pos) >= LOG_RATIO


def _subtitle(report: Report) -> str:
    """Currency, basis, horizon and valuation: said once, under the title."""
    o = report.options
    basis = "total over each period" if o.basis == "total" else "amount per year"
    horizon = (f" (open-ended 'a year' pledges to {report_horizon(report)})"
               if report.horizon and o.basis == "total" else "")
    return f"{o.currency}, {basis}{horizon}, valued at {report.valuation_text()}"


def _wrap(text: str, width: int = 100) -> str:
    return "\n".join(textwrap.wrap(text, width))


def _scale_words(log: bool) -> str:
    return "amount (log scale: each gridline is ten times the last)" if log else "amount"


def _label(value, quals, report: Report, amounts: str) -> str:
    text = format_amount(value, report.currency, report.options.locale, amounts)
    return qualified(text, quals)


def _pair_qualifiers(report: Report) -> dict:
    """(funder, purpose) → the qualifiers of the counted figures behind it."""
    out: dict = {}
    # the distinct triples first (on a million rows, text for each row costs seconds)
    for fu, pu, q in _counted_triples(report.frame).astype(str).drop_duplicates().itertuples(
            index=False):   # the few
        out.setdefault((fu, pu), set()).add(q)
    return out


def _counted_triples(frame: pd.DataFrame) -> pd.DataFrame:
    """The distinct (funder, purpose, qualifier) of the counted rows."""
    prim = frame.loc[frame["primary"].to_numpy(dtype=bool), ["funder", "purpose", "qualifier"]]
    return prim.drop_duplicates()


def _money_axis(ax, report: Report, log: bool, axis: str = "x"):
    target = ax.xaxis if axis == "x" else ax.yaxis
    if log:
        (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
        from matplotlib.ticker import LogLocator, NullFormatter
        target.set_major_locator(LogLocator(base=10))
        target.set_minor_formatter(NullFormatter())
    target.set_major_formatter(money_formatter(report.currency, report.options.locale))
    (ax.set_xlabel if axis == "x" else ax.set_ylabel)(_scale_words(log))


def _lay_out(fig) -> None:
    """Tight layout, done once: matplotlib then leaves a placeholder layout
    engine on the figure, which makes every ``savefig`` draw the whole figure
    twice (a layout pass, then the real one); with no engine it draws once."""
    fig.tight_layout()
    fig.set_layout_engine(None)


# the PNG's resolution, also the figure's own: the layout is measured with the
# renderer the PNG is then drawn with, so its text is measured once, not twice
PNG_DPI = 110


# the corners of matplotlib's unit rectangle, as its outline visits them
_RECT_CORNERS = np.array([[0, 0], [1, 0], [1, 0], [1, 1], [1, 1], [0, 1], [0, 1], [0, 0]],
                         dtype=float)


def _bars(ax, horizontal: bool, *args, **kwargs):
    """``ax.bar`` (or ``barh``) with the data limits updated once for all
    the bars: matplotlib updates them bar by bar, walking each rectangle's
    outline as Bézier curves, which is most of the time of a timeline with
    hundreds of bars.  The same corners through the same transform give
    the same limits."""
    ax._update_patch_limits = lambda patch: None     # this Axes, these bars only
    try:
        bars = (ax.barh if horizontal else ax.bar)(*args, **kwargs)
    finally:
        del ax._update_patch_limits
    # matplotlib leaves out bars of no width and no height
    shown = [r for r in bars if r.get_width() or r.get_height()]
    if shown:
        ax.update_datalim(np.concatenate(
            [r.get_patch_transform().transform(_RECT_CORNERS) for r in shown]))
    return bars


MAX_BARS = 40      # more (purpose, funder) bars than this: one bar per purpose


def _hbar_rows(matrix: pd.DataFrame, top: int):
    """(purpose label, funder, value) rows: purposes by total (top N, the rest
    as "(other)"), then each funder's non-zero bar within the purpose.  When
    that makes more than MAX_BARS bars, one bar per purpose ("all N funders")."""
    m = _top_n(_floats(matrix), top)
    rows = []
    for purpose, r in m.iterrows():
        for funder, v in sorted(r.items(), key=lambda kv: -kv[1]):
            if v > 0:
                rows.append((str(purpose), str(funder), float(v)))
    if len(rows) > MAX_BARS:
        name = f"all {len(m.columns)} funders together"
        return [(str(p), name, float(v)) for p, v in m.sum(axis=1).items() if v > 0], [name]
    return rows, list(m.columns)


def _draw_hbars(fig, ax, report: Report, rows, series, quals, amounts: str, scale: str,
                title: str):
    """One bar per (label, series) row, coloured by series, a value label on
    every bar, purposes labelled once per group."""
    log = use_log([v for _, _, v in rows], scale)
    colours = {name: f"C{k % 10}" for k, name in enumerate(series)}
    ys = list(range(len(rows)))
    for name in series:
        pos = [(y, v) for y, (_, f, v) in zip(ys, rows) if f == name]
        _bars(ax, True, [y for y, _ in pos], [v for _, v in pos], color=colours[name],
              label=_short(str(name), 60))
    ax.set_yticks(ys, [_short(lab) for lab, _, _ in rows])
    ax.invert_yaxis()
    _money_axis(ax, report, log, "x")
    top = max((v for _, _, v in rows), default=1)
    for y, (lab, f, v) in zip(ys, rows):
        ax.annotate(_short(_label(v, quals.get((f, lab), ()), report, amounts), 40), (v, y),
                    xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    if log:
        lo = min((v for _, _, v in rows), default=1)
        ax.set_xlim(10 ** (math.floor(math.log10(lo)) - 1),
                    10 ** (math.ceil(math.log10(top)) + 0.6))
    else:
        ax.set_xlim(0, top * 1.25)
    ax.set_title(f"{title}\n{_wrap(_subtitle(report))}", fontsize=10)
    if series:
        ax.legend(title="funder", fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    _lay_out(fig)
    return fig


def purpose_figure(report: Report, amounts: str = "compact", scale: str = "auto"):
    """A bar for each funder's funding of each purpose (the top N purposes,
    the rest as "(other)"), a value label on every bar; log scale when the
    bars span orders of magnitude (``scale``)."""
    plt = _plt()
    m = report.matrix
    rows, series = _hbar_rows(m, report.options.top) if not m.empty else ([], [])
    fig, ax = plt.subplots(figsize=(10, 1.8 + 0.34 * max(len(rows), 1)), dpi=PNG_DPI)
    quals = _pair_qualifiers(report)
    if len(series) == 1 and series[0].startswith("all "):
        for (_, pu), qs in list(quals.items()):
            quals.setdefault((series[0], pu), set()).update(qs)
    return _draw_hbars(fig, ax, report, rows, series, quals, amounts, scale,
                       "Funding by purpose and funder")


def comparison_figure(report: Report, amounts: str = "compact", scale: str = "auto"):
    """The compared funders side by side per purpose (top N + "(other)")."""
    plt = _plt()
    c = report.comparison.drop(index=TOTAL, errors="ignore")
    rows, series = _hbar_rows(c, report.options.top) if not c.empty else ([], [])
    fig, ax = plt.subplots(figsize=(10, 1.8 + 0.34 * max(len(rows), 1)), dpi=PNG_DPI)
    q = _pair_qualifiers(report)
    quals: dict = {}
    together = len(series) == 1 and series[0].startswith("all ")
    for (fu, pu), qs in q.items():
        if together:
            quals.setdefault((series[0], pu), set()).update(qs)
        for name in series:
            if fu.casefold() == name.casefold() or fu.casefold().startswith(name.casefold() + ":"):
                quals.setdefault((name, pu), set()).update(qs)
    names = " and ".join(str(x) for x in series)
    return _draw_hbars(fig, ax, report, rows, series, quals, amounts, scale,
                       f"{names} compared, by purpose")


def timeline_figure(report: Report, amounts: str = "compact", scale: str = "auto"):
    """Bars per year, one per funder (more funders than colours: the
    largest apiece and the others as one, timeline_groups); the part from open-ended "a year"
    pledges hatched, and the years past the last bounded pledge shaded and
    marked "projected"."""
    plt = _plt()
    groups, other = timeline_groups(report.by_year)
    data = _floats(_grouped(report.by_year, groups)) if not report.by_year.empty else pd.DataFrame()
    fig, ax = plt.subplots(figsize=(12, 5.2), dpi=PNG_DPI)
    n = max(len(data.columns), 1)
    width = 0.8 / n
    xs = list(range(len(data.index)))
    log = use_log(data.to_numpy().ravel() if len(data) else [], scale)
    for k, funder in enumerate(data.columns):
        _bars(ax, False, [x - 0.4 + width * (k + 0.5) for x in xs], data[funder], width=width,
              color=OTHER_COLOUR if funder == other else PALETTE[k % len(PALETTE)],
              label=_short(str(funder), 60))
    opened = report.open_by_year
    if opened is not None and len(data):
        o = _floats(_grouped(opened, groups))
        for k, funder in enumerate(data.columns):
            part = o[funder] if funder in o else pd.Series(0.0, index=data.index)
            total = data[funder]
            # the open-ended share of each bar, hatched (log axes: the top of the bar)
            base = [max(t - p, 0.0) for t, p in zip(total, part)]
            bottom = [b if not log else max(b, 1e-9) for b in base]
            heights = [t - b for t, b in zip(total, bottom)]
            keep = [p > 0 for p in part]
            if any(keep):
                _bars(ax, False, [x - 0.4 + width * (k + 0.5) for x, kp in zip(xs, keep) if kp],
                      [h for h, kp in zip(heights, keep) if kp], width=width,
                      bottom=[b for b, kp in zip(bottom, keep) if kp], fill=False,
                      hatch="///", edgecolor="white", linewidth=0)
    if len(data) and len(data.index) * n <= 60:
        for k, funder in enumerate(data.columns):
            for x, v in zip(xs, data[funder]):
                if v > 0:
                    ax.annotate(format_amount(v, report.currency, report.options.locale, amounts),
                                (x - 0.4 + width * (k + 0.5), v), xytext=(0, 2),
                                textcoords="offset points", ha="center", va="bottom",
                                fontsize=7, rotation=90 if n > 3 else 0)
    years = [str(y) for y in data.index]
    for x, y in zip(xs, years):
        if y in report.projected:
            ax.axvspan(x - 0.5, x + 0.5, color=PROJECTED_COLOUR, zorder=0)
    ax.set_xticks(xs, [f"{y}\nprojected" if y in report.projected else y for y in years])
    _money_axis(ax, report, log, "y")
    if log and len(data):
        pos = data.to_numpy().ravel()
        pos = pos[pos > 0]
        if len(pos):
            ax.set_ylim(10 ** (math.floor(math.log10(pos.min())) - 1),
                        10 ** (math.ceil(math.log10(pos.max())) + 0.5))
    elif len(data):
        ax.set_ylim(0, float(data.to_numpy().max()) * 1.2 or 1)
    ax.set_xlabel(report.year_label)
    o = report.options
    proj = (f"; shaded: years after {report.last_bounded}, only open-ended pledges "
            f"(projection)" if report.projected else "")
    horizon = f", open-ended pledges to {report_horizon(report)}" if report.horizon else ""
    cut = (f"the {len(groups) - 1} largest of {len(report.by_year.columns)} funders apiece, "
           f"the others as one; " if other else "")
    ax.set_title("Funding per year by funder\n" + _wrap(
        f"{cut}{o.currency}, amounts spread over their years{horizon}, valued at "
        f"{report.valuation_text()}{proj}"), fontsize=10)
    if len(data.columns):
        from matplotlib.patches import Patch
        handles, _ = ax.get_legend_handles_labels()
        if opened is not None and len(data) and (_floats(opened).to_numpy() > 0).any():
            handles.append(Patch(facecolor="#888888", hatch="///", edgecolor="white",
                                 label="hatched: open-ended 'a year' pledges"))
        if report.projected:
            handles.append(Patch(facecolor=PROJECTED_COLOUR, label="projected year"))
        ax.legend(handles=handles, title="funder", fontsize=8, loc="upper left",
                  bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    ax.grid(axis="y", alpha=0.3)
    _lay_out(fig)
    return fig


STAGES = (("pledged", "pledged (every counted entry)"),
          ("committed", "committed or further"),
          ("paid", "disbursed or spent (paid)"))


def status_stages(report: Report) -> pd.DataFrame:
    """Per funder: every counted amount (pledged), the part committed or
    further along, and the part paid.  Committed or further is committed +
    disbursed + spent by the counted entries' own status, but never less
    than paid: a payment linked to a pledge shows the pledge reached that
    stage (a £20m pledge with £4m of it disbursed: £4m), as the page does."""
    st = report.by_status
    if st.empty:
        return pd.DataFrame(columns=[k for k, _ in STAGES])
    out = pd.DataFrame({
        "pledged": st["total"].to_numpy(),
        "committed": [max(c + d + s, p) for c, d, s, p in
                      zip(st["committed"], st["disbursed"], st["spent"], st["paid"])],
        "paid": st["paid"].to_numpy()}, index=st["funder"].astype(str))
    return out


def status_figure(report: Report, amounts: str = "compact", scale: str = "auto"):
    """From pledge to payment: per funder, what was pledged, what is committed
    or further along, and what was paid (disbursed or spent)."""
    plt = _plt()
    data = _floats(status_stages(report))
    rows = [(funder, stage, float(data.loc[funder, stage])) for funder in data.index
            for stage, _ in STAGES]
    fig, ax = plt.subplots(figsize=(10, 1.8 + 0.3 * max(len(rows), 1)), dpi=PNG_DPI)
    log = use_log([v for _, _, v in rows], scale)
    ys = list(range(len(rows)))
    names = dict(STAGES)
    for k, (stage, text) in enumerate(STAGES):
        pos = [(y, v) for y, (_, s, v) in zip(ys, rows) if s == stage]
        _bars(ax, True, [y for y, _ in pos], [v for _, v in pos], color=f"C{k}", label=text)
    labels, prev = [], None
    for f, _, _ in rows:
        labels.append(_short(f) if f != prev else "")
        prev = f
    ax.set_yticks(ys, labels)
    ax.invert_yaxis()
    _money_axis(ax, report, log, "x")
    drawn = [v for _, _, v in rows if v > 0]
    lo = min(drawn, default=1.0)
    top = max(drawn, default=1.0)
    left = 10 ** (math.floor(math.log10(lo)) - 1) if log else 0
    for y, (_, s, v) in zip(ys, rows):
        text = (format_amount(v, report.currency, report.options.locale, amounts) if v > 0
                else f"none {names[s].split(' (')[0]}")
        ax.annotate(text, (v if v > 0 else left, y), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=8)
    if log:
        ax.set_xlim(left, 10 ** (math.ceil(math.log10(top)) + 0.6))
    else:
        ax.set_xlim(0, top * 1.25)
    ax.set_title("From pledge to payment, by funder (each stage includes the later ones)\n"
                 f"{_wrap(_subtitle(report))}", fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    _lay_out(fig)
    return fig


FIGURES = {"purpose": purpose_figure, "timeline": timeline_figure,
           "comparison": comparison_figure, "status": status_figure}


def figures(report: Report, amounts: str = "compact", scale: str = "auto") -> dict:
    return {name: make(report, amounts, scale) for name, make in FIGURES.items()}


def write_charts(report: Report, folder, progress=None, amounts: str = "compact",
                 scale: str = "auto", names=None) -> dict[str, dict[str, Path]]:
    """Save every chart (or those in ``names``) as ``chart-<name>.png`` and
    ``.svg`` (atomically); returns {name: {"png": path, "svg": path}}."""

    plt = _plt()
    folder = Path(folder)
    out: dict[str, dict[str, Path]] = {}
    for name, make in FIGURES.items():
        if names is not None and name not in names:
            continue
        if progress is not None:
            progress.step(f"drawing the {name} chart")
        fig = make(report, amounts, scale)
        try:
            out[name] = {}
            for ext in ("png", "svg"):
                path = folder / f"chart-{name}.{ext}"
                with atomic_file(path) as fh:
                    fig.savefig(fh, format=ext, dpi=PNG_DPI if ext == "png" else None,
                                metadata={"Date": None} if ext == "svg" else None)
                out[name][ext] = path
        finally:
            plt.close(fig)
    return out


SPLIT_CHARTS_BELOW = 20_000     # entries rows: below, the charts are drawn by two children


class ChartProcess:
    """The child process that will draw a big report's charts, started
    (``start``) before the report is built: it imports matplotlib while this
    process values the ledger, then draws (``draw``) from the report's small
    tables, sent through a pipe; a child forked from this process once the
    report is built would share its memory, copied page by page as either
    writes."""

    def __init__(self, request: int, wait):
        self._request = request        # the pipe's end the report's tables are sent on
        self._wait = wait

    @classmethod
    def start(cls) -> ChartProcess | None:
        """Fork the child now (None without ``os.fork``)."""
        if not hasattr(os, "fork"):
            return None
        rd, wr = os.pipe()
        try:
            wait = in_background("drawing the charts", _serve, rd, wr)
        except BaseException:
            os.close(wr)
            raise
        finally:
            os.close(rd)
        return cls(wr, wait)

    def draw(self, report: Report, folder, amounts: str, scale: str, names):
        """Send what the charts need; returns the child's ``wait(cancel)``."""
        data = pickle.dumps((chart_view(report), folder, amounts, scale, names))
        try:
            while data:
                data = data[os.write(self._request, data):]
        except BrokenPipeError:        # the child ended early: its wait says why
            pass
        finally:
            self.close()
        return self._wait

    def cancel(self) -> None:
        """Stop the child when it will draw nothing (the report failed)."""
        self.close()
        self._wait(True)

    def close(self) -> None:
        if self._request >= 0:
            os.close(self._request)
            self._request = -1


def _serve(rd: int, wr: int):
    """The chart process: matplotlib imported while the parent works, then
    ``write_charts`` on what the parent sends (nothing: the report failed)."""
    os.close(wr)
    gc.freeze()       # the parent's objects, inherited: left alone (no page copied for them)
    _plt()
    with os.fdopen(rd, "rb") as fh:
        data = fh.read()
    if not data:
        return None
    report, folder, amounts, scale, names = pickle.loads(data)   # our parent's bytes
    return write_charts(report, folder, None, amounts, scale, names)


def chart_view(report: Report) -> Report:
    """The report as the charts read it: its tables, with the rows per entry
    left out (the charts read only the distinct qualifiers of each funder
    and purpose's counted rows)."""
    kept = _counted_triples(report.frame).assign(primary=True).reset_index(drop=True)
    none = pd.DataFrame()
    return dataclasses.replace(report, frame=kept, spread=none, summary=none, entries=none,
                               sources=none, funder_tree=none, purpose_tree=none,
                               extra={}, facts=None)


def charts_in_background(report: Report, folder, amounts: str = "compact",
                         scale: str = "auto", process: ChartProcess | None = None):
    """Start drawing the charts (``write_charts``) in forked child processes
    (two for a small report, else one), so that matplotlib's drawing (~0.4 s a chart
    whatever the ledger's size) runs beside the workbook, the page and the
    full tables; ``process``, a ``ChartProcess`` started earlier, draws
    them (a small report's first half).  Returns ``finish()``: waits for the
    children and gives ``write_charts``'s dict, raises ``LedgerError`` with
    a child's one-line error; ``finish(cancel=True)`` kills them.  Without
    ``os.fork`` (not POSIX) the charts are drawn at once, in this process."""
    if not hasattr(os, "fork"):
        done = write_charts(report, folder, None, amounts, scale)
        return lambda cancel=False: done
    names = list(FIGURES)
    # two children when the rest of the report is small (the cores would idle);
    # for a big ledger one, beside the parent's own long work
    two = (os.cpu_count() or 1) > 1 and len(report.frame) < SPLIT_CHARTS_BELOW
    if two and process is None:     # imported once, before the forks: both children have it
        _plt()
    # one child imports matplotlib itself: the import is not on the parent's path
    groups = [names[i::2] for i in range(2)] if two else [names]
    children = []
    try:
        if process is not None:
            children.append(process.draw(report, folder, amounts, scale, groups.pop(0)))
        for g in groups:
            children.append(_fork_charts(report, folder, amounts, scale, g))
    except BaseException:   # Ctrl-C between two forks: no child outlives the report
        for child in children:
            child(True)
        if process is not None:
            process.cancel()
        raise
    state: dict = {}

    def finish(cancel: bool = False):
        if "result" in state:
            return state["result"]
        state["result"] = None
        merged: dict = {}
        failed = None
        # every child reaped; after a failure the rest killed
        for i, child in enumerate(children):
            try:
                got = child(cancel or failed is not None)
            except Exception as err:   # noqa: BLE001 - the first failure is raised below
                failed = err
                continue
            except BaseException:      # Ctrl-C while waiting: no child outlives the report
                for rest in children[i + 1:]:
                    rest(True)
                raise
            merged.update(got or {})
        if failed is not None:
            raise failed
        if not cancel:
            state["result"] = {k: merged[k] for k in names if k in merged}
        return state["result"]

    return finish


def _fork_charts(report: Report, folder, amounts: str, scale: str, names):
    """One child drawing ``names``; returns its ``wait(cancel)``."""
    return in_background("drawing the charts", write_charts, report, folder, None, amounts,
                         scale, names)
