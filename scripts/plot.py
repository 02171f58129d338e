#!/usr/bin/python3
"""Plots a daggersim sweep's results.csv as PNG and SVG (OUT.png, OUT.svg), and writes what it drew
as a tidy table (OUT.data.csv: panel, series, x, y).

    plot.py latency-vs-size RESULTS.csv --out OUT   p50/p99 latency against RPC size (log2 axis; --y log
                                                    or linear latency axis, default log)
    plot.py load-latency    RESULTS.csv --out OUT   p50/p99 latency against achieved throughput, each
                                                    series' peak (highest throughput) starred
    plot.py scaling         RESULTS.csv --out OUT   throughput against client threads
    plot.py bars            RESULTS.csv --out OUT   grouped bars of --metric by --group
    plot.py breakdown       RESULTS.csv --out OUT   stacked bars of the latency breakdown per row
    plot.py tax             RESULTS.csv --out OUT   stacked bars of the CPU cycles per RPC by category per
                                                    row (--side all, client or server)
    plot.py hops            RUN [RUN...] --out OUT  an application's latency per request type, stacked
                                                    by hop (RUN: a run directory or its stats.json)
    plot.py calibration     DIR --out OUT           `daggersim calibrate`'s residuals.csv: each target's
                                                    model value and leave-one-out prediction against
                                                    the measured one
    plot.py timeseries      RUN --out OUT           a run's timeseries.csv (daggersim run --timeseries-us W):
                                                    throughput, p50 / p99 and drops per window, and the
                                                    columns --columns names (globs) on a third axis

Every kind draws one line (or bar series) per value of --label (default: the sweep's
`interface` column if it has one). --overlay PUBLISHED.csv adds published points, drawn as
black markers and named by their source: columns `series,x,y,source` (bars: `group,y,source`
and optionally `series`),
with y in the plot's unit (ns for latency, Mrps for throughput). The title defaults to the
sweep's title, read from results.json next to the CSV. Only rows with status ok are plotted.
Uses Debian's python3-matplotlib and python3-pandas (run with /usr/bin/python3).
"""
import argparse
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
import pandas as pd  # noqa: E402

SIZE = "workload.rpc_size_bytes"
# The stages of stats.json's breakdown_ns, in order, as sweep metrics (bd_<stage>_ns).
STAGES = ["client_software", "cpu_to_nic", "client_nic", "network", "server_nic_to_ring", "server_detection",
          "server_handler", "server_software", "server_cpu_to_nic", "server_nic", "network_back", "client_nic_to_ring",
          "client_detection"]
THREADS = "workload.client_threads"
# The categories of stats.json's cpu section, in order, as sweep metrics (cpu_cycles[_<side>]_<category>).
CPU_CATEGORIES = ["polling", "ring", "transport", "header", "dispatch", "serialization", "handler", "waiting"]


def fail(msg):
    print(f"plot.py: error: {msg}", file=sys.stderr)
    sys.exit(2)


def read_csv(path, what):
    try:
        return pd.read_csv(path)
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        fail(f"{path}: not a {what} ({e})")


def require(df, path, columns):
    missing = [c for c in columns if c and c not in df.columns]
    if missing:
        fail(f"{path}: missing column(s) {', '.join(missing)}; columns are {', '.join(map(str, df.columns))}")


def load(args, needed):
    df = read_csv(args.csv, "results.csv")
    require(df, args.csv, needed + ([args.label] if args.label else []))
    if "status" in df.columns:
        df = df[df["status"] == "ok"]
    if df.empty:
        fail(f"{args.csv}: no successful points to plot")
    return df


def label_column(args, df):
    if args.label:
        return args.label
    return "interface" if "interface" in df.columns else None


def groups(df, label):
    return [(None, df)] if label is None else list(df.groupby(label, sort=False, dropna=False))


def title(args, default):
    if args.title:
        return args.title
    if not getattr(args, "csv", None):
        return default
    meta = os.path.join(os.path.dirname(os.path.abspath(args.csv)), "results.json")
    try:
        with open(meta) as f:
            return json.load(f).get("title") or default
    except (OSError, ValueError):
        return default


def overlay(ax, args, x_col="x", y_scale=1.0):
    """Published points on top of the model's, one marker per source."""
    if not args.overlay:
        return
    pub = read_csv(args.overlay, "published-points CSV")
    require(pub, args.overlay, [x_col, "y", "source"])
    markers = iter("XPD*v<>")
    for source, g in pub.groupby("source", sort=False):
        ax.scatter(g[x_col], g["y"] * y_scale, marker=next(markers, "X"), s=70, color="black", zorder=5,
                   label=f"published: {source}")


def finish(fig, ax, args, default_title):
    ax.set_title(title(args, default_title))
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="small")
    out = args.out
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    for ext in ("png", "svg"):
        tmp = f"{out}.{ext}.tmp"
        fig.savefig(tmp, format=ext, dpi=150, bbox_inches="tight")
        os.replace(tmp, f"{out}.{ext}")  # never a half-written image
    # Not OUT.csv: `--out results` next to a results.csv would overwrite the sweep's own.
    drawn(fig).to_csv(f"{out}.data.csv.tmp", index=False)
    os.replace(f"{out}.data.csv.tmp", f"{out}.data.csv")
    print(f"wrote {out}.png, {out}.svg and {out}.data.csv")


def drawn(fig):
    """What the figure shows, as a tidy table: one row per point of every line and every bar
    (panel: the axis' y label; series: the legend's name; x: the value, or for bars the tick
    label of the bar; y: the value drawn, a bar's own height without what it stacks on)."""
    rows = []
    for ax in fig.axes:
        panel = ax.get_ylabel()
        ticks = {round(t, 6): lbl.get_text() for t, lbl in zip(ax.get_xticks(), ax.get_xticklabels())}
        for line in ax.get_lines():
            if line.get_label().startswith("_"):
                continue
            for x, y in zip(line.get_xdata(), line.get_ydata()):
                rows.append({"panel": panel, "series": line.get_label(), "x": x, "y": y})
        for points in ax.collections:  # scatter markers
            if not points.get_label().startswith("_"):
                for x, y in points.get_offsets():
                    rows.append({"panel": panel, "series": points.get_label(), "x": x, "y": y})
        for bars in (c for c in ax.containers if isinstance(c, BarContainer)):
            for patch in bars:
                centre = patch.get_x() + patch.get_width() / 2
                rows.append({"panel": panel, "series": bars.get_label(),
                             "x": ticks.get(round(centre, 6), centre), "y": patch.get_height()})
    return pd.DataFrame(rows, columns=["panel", "series", "x", "y"])


def p50_p99(ax, g, x, tag):
    g = g.sort_values(x)
    line, = ax.plot(g[x], g["p50_ns"] / 1000, marker="o", label=f"{tag}p50")
    ax.plot(g[x], g["p99_ns"] / 1000, marker="^", linestyle="--", color=line.get_color(), label=f"{tag}p99")


def latency_vs_size(args):
    df = load(args, [SIZE, "p50_ns", "p99_ns"])
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, g in groups(df, label_column(args, df)):
        p50_p99(ax, g, SIZE, "" if name is None else f"{name} ")
    overlay(ax, args, y_scale=1e-3)
    ax.set_xscale("log", base=2)
    sizes = sorted(df[SIZE].unique())
    ax.set_xticks(sizes)
    ax.set_xticklabels([str(int(v)) for v in sizes])
    ax.minorticks_off()
    ax.set_xlabel("RPC size (bytes of arguments; 52 B fill one 64 B line)")
    # Latencies span two orders of magnitude from 64 B to 64 KiB: a log axis keeps the small
    # sizes, where the interfaces differ by a microsecond, readable beside the large ones.
    ax.set_yscale(args.y)
    ax.set_ylabel("round-trip latency (µs, log scale)" if args.y == "log" else "round-trip latency (µs)")
    if args.y == "linear":
        ax.set_ylim(bottom=0)
    finish(fig, ax, args, "daggersim: latency vs RPC size")


def load_latency(args):
    df = load(args, ["throughput_mrps", "p50_ns", "p99_ns"])
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, g in groups(df, label_column(args, df)):
        tag = "" if name is None else f"{name} "
        p50_p99(ax, g, "throughput_mrps", tag)
        peak = g.loc[g["throughput_mrps"].astype(float).idxmax()]  # the highest load the series reached
        ax.plot([peak["throughput_mrps"]], [peak["p99_ns"] / 1000], marker="*", markersize=14, color="black",
                linestyle="none", label=f"{tag}peak {float(peak['throughput_mrps']):.2f} Mrps")
    overlay(ax, args, y_scale=1e-3)
    ax.set_xlabel("achieved throughput (Mrps)")
    ax.set_ylabel("round-trip latency (µs)")
    ax.set_ylim(bottom=0)
    finish(fig, ax, args, "daggersim: latency vs load")


def scaling(args):
    # configs/paper/thread_scaling.yaml labels its points `threads`; a grid sweep names the key.
    df = load(args, [])
    x = args.x or ("threads" if "threads" in df.columns else THREADS)
    require(df, args.csv, [x, "throughput_mrps"])
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, g in groups(df, label_column(args, df)):
        g = g.sort_values(x)
        tag = "" if name is None else f"{name}: "
        ax.plot(g[x], g["throughput_mrps"], marker="o", label=f"{tag}end to end (throughput_mrps)")
        if "nic_accept_mrps" in g.columns:  # Dagger's NIC counter: requests accepted from the CPU
            ax.plot(g[x], g["nic_accept_mrps"], marker="s", linestyle="--", label=f"{tag}NIC accepted (nic_accept_mrps)")
    overlay(ax, args)
    ax.set_xlabel(x.replace("workload.", "").replace("_", " "))
    ax.set_ylabel("throughput (Mrps)")
    ax.set_ylim(bottom=0)
    finish(fig, ax, args, "daggersim: throughput scaling")


def bars(args):
    columns = read_csv(args.csv, "results.csv").columns
    group = args.group or ("interface" if "interface" in columns else "index")
    df = load(args, [group, args.metric])
    series_col = args.label if args.label and args.label != group else None
    keys = [group] + ([series_col] if series_col else [])
    dup = df[df.duplicated(keys, keep=False)]
    if not dup.empty:
        fail(f"{args.csv}: several rows per bar ({', '.join(keys)} = {', '.join(map(str, dup.iloc[0][keys]))}); "
             "choose --group/--label columns that tell the rows apart")
    series = [(None, df)] if series_col is None else list(df.groupby(series_col, sort=False, dropna=False))
    cats = list(dict.fromkeys(df[group].astype(str)))
    width = 0.8 / len(series)
    fig, ax = plt.subplots(figsize=(max(6, 1.1 * len(cats) * len(series)), 4.5))
    for i, (name, g) in enumerate(series):
        vals = g.set_index(g[group].astype(str))[args.metric]
        xs = [cats.index(c) + (i - (len(series) - 1) / 2) * width for c in vals.index]
        ax.bar(xs, vals.values, width, label=args.metric if name is None else f"{series_col} {name}")
    if args.overlay:
        pub = read_csv(args.overlay, "published-points CSV")
        require(pub, args.overlay, ["group", "y", "source"])
        names = [str(n) for n, _ in series]

        def place(row):  # over its group, and over its series' bar when it names one
            offset = 0.0
            if series_col and "series" in pub.columns and str(row["series"]) in names:
                offset = (names.index(str(row["series"])) - (len(series) - 1) / 2) * width
            return cats.index(str(row["group"])) + offset

        for source, g in pub.groupby("source", sort=False):
            g = g[g["group"].astype(str).isin(cats)]
            xs = [place(row) for _, row in g.iterrows()]
            ys = list(g["y"])
            ax.scatter(xs, ys, marker="X", s=80, color="black", zorder=5, label=f"published: {source}")
    ax.set_xticks(range(len(cats)))
    ax.set_xticklabels(cats)
    ax.set_xlabel(group)
    unit = "Mrps" if args.metric.endswith("_mrps") else "ns" if args.metric.endswith("_ns") else ""
    ax.set_ylabel(f"{args.metric} ({unit})" if unit else args.metric)
    finish(fig, ax, args, f"daggersim: {args.metric}")


def breakdown(args):
    columns = [f"bd_{s}_ns" for s in STAGES]
    df = load(args, columns)
    labels, names = row_names(args, df)
    fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(df) + 3), 4.8))
    stacked(ax, df, names, [(s.replace("_", " "), col) for s, col in zip(STAGES, columns)], scale=1 / 1000)
    ax.set_xlabel(" ".join(labels))
    ax.set_ylabel("mean latency (us)")
    finish(fig, ax, args, "daggersim: where the time goes")


def row_names(args, df):
    """Each row named by --label, or by the sweep's label and axis columns (those results.csv puts
    between index and status), or by its index."""
    cols = list(df.columns)
    point = cols[1:cols.index("status")] if "status" in cols and cols[:1] == ["index"] else []
    labels = [args.label] if args.label else point
    labels = labels or ["index"]
    return labels, [" ".join(str(row[c]) for c in labels) for _, row in df.iterrows()]


def stacked(ax, df, names, parts, scale=1.0):
    """One stacked bar per row: each (label, column) of parts a segment."""
    bottom = [0.0] * len(df)
    colors = plt.cm.tab20.colors if len(parts) > 10 else [None] * len(parts)  # no colour twice
    for (label, col), color in zip(parts, colors):
        vals = [float(v) * scale for v in df[col]]
        ax.bar(range(len(df)), vals, 0.6, bottom=bottom, label=label, color=color)
        bottom = [b + v for b, v in zip(bottom, vals)]
    ax.set_xticks(range(len(df)))
    ax.set_xticklabels(names, rotation=20 if max(map(len, names)) > 12 else 0, ha="right")


def tax(args):
    prefix = "cpu_cycles_" if args.side == "all" else f"cpu_cycles_{args.side}_"
    columns = [prefix + c for c in CPU_CATEGORIES]
    df = load(args, columns)
    labels, names = row_names(args, df)
    fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(df) + 3), 4.8))
    stacked(ax, df, names, [(c, col) for c, col in zip(CPU_CATEGORIES, columns) if df[col].astype(float).any()])
    ax.set_xlabel(" ".join(labels))
    side = "all threads" if args.side == "all" else f"{args.side} threads"
    ax.set_ylabel(f"CPU cycles per RPC ({side})")
    finish(fig, ax, args, "daggersim: where the CPU cycles go")


def read_app(run):
    path = run if run.endswith(".json") else os.path.join(run, "stats.json")
    try:
        with open(path) as f:
            stats = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{path}: cannot read stats.json ({e})")
    if "app" not in stats:
        fail(f"{path}: no app section (the run had no `app:` service graph)")
    return stats["app"]


def hops(args):
    """One bar per request type (and run), stacked by each hop's mean share of its latency: the
    shares add up to the mean end-to-end latency (the critical path, docs/workloads.md)."""
    bars_, names = [], []
    for run in args.runs:
        tag = os.path.basename(os.path.normpath(run if not run.endswith(".json") else os.path.dirname(run) or "."))
        for rtype, t in read_app(run).items():
            names.append(rtype if len(args.runs) == 1 else f"{tag}\n{rtype}")
            bars_.append({hop: h["mean_ns"] / 1000 for hop, h in t["hops"].items()})
    order = []
    for b in bars_:
        order += [h for h in b if h not in order]
    fig, ax = plt.subplots(figsize=(max(6, 1.6 * len(bars_) + 4), 5))
    bottom = [0.0] * len(bars_)
    for hop in order:
        vals = [b.get(hop, 0.0) for b in bars_]
        ax.bar(range(len(bars_)), vals, 0.6, bottom=bottom, label=hop.replace(">", " > "))
        bottom = [x + v for x, v in zip(bottom, vals)]
    ax.set_xticks(range(len(bars_)))
    ax.set_xticklabels(names)
    ax.set_ylabel("mean end-to-end latency (us), by hop")
    finish(fig, ax, args, "daggersim: where each request type's time goes, hop by hop")


def calibration(args):
    """Model over measured for every value target at the fit (filled) and as predicted by the
    refit without it (hollow): 1 is a perfect fit, and the distance of the hollow marker is the
    honest error."""
    path = os.path.join(args.dir, "residuals.csv")
    df = read_csv(path, "residuals.csv")
    require(df, path, ["target", "kind", "measured", "model", "loo_prediction"])
    df = df[df["kind"] == "value"]
    if df.empty:
        fail(f"{path}: no value targets")
    y = list(range(len(df)))[::-1]
    fig, ax = plt.subplots(figsize=(8, max(3, 0.35 * len(df) + 1.5)))
    ax.axvspan(0.9, 1.1, color="green", alpha=0.1, label="within 10%")
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.scatter(df["model"] / df["measured"], y, marker="o", color="C0", zorder=4, label="model at the fit")
    loo = df["loo_prediction"] / df["measured"]
    ax.scatter(loo, y, marker="o", facecolors="none", edgecolors="C3", zorder=4, label="leave-one-out prediction")
    ax.set_yticks(y)
    ax.set_yticklabels(df["target"])
    ax.set_xlabel("model / measured")
    finish(fig, ax, args, "daggersim calibrate: each target, fitted and left out")


def timeseries(args):
    """Throughput, p50 / p99 and drops of each window against simulated time; --columns adds
    the component columns matching its globs (utilisations, counters, high-water marks)."""
    import fnmatch
    path = args.run if args.run.endswith(".csv") else os.path.join(args.run, "timeseries.csv")
    df = read_csv(path, "timeseries.csv")
    require(df, path, ["window_end_us", "throughput_mrps", "dropped"])
    extra = [c for c in df.columns if any(fnmatch.fnmatch(c, g) for g in args.columns or [])]
    if args.columns and not extra:
        fail(f"{path}: no column matches {' '.join(args.columns)}")
    rows = 3 if extra else 2
    fig, axes = plt.subplots(rows, 1, figsize=(8, 2.6 * rows), sharex=True)
    t = df["window_end_us"]
    drops = axes[0].twinx()  # drops on their own scale, behind the throughput line
    start = df["window_start_us"] if "window_start_us" in df.columns else t
    drops.bar((start + t) / 2, df["dropped"], width=(t - start) * 0.8, color="C3", alpha=0.4,
              label="RPCs dropped in the window")  # each bar over its window
    drops.set_ylabel("RPCs dropped", color="C3")
    axes[0].set_zorder(drops.get_zorder() + 1)
    axes[0].patch.set_visible(False)
    axes[0].plot(t, df["throughput_mrps"], label="throughput")
    axes[0].plot([], [], color="C3", alpha=0.4, linewidth=6, label="RPCs dropped in the window")  # in the legend
    axes[0].set_ylabel("throughput (Mrps)")
    for q, style in (("p50_ns", "-"), ("p99_ns", "--")):
        if q in df.columns:
            axes[1].plot(t, df[q] / 1000, style, label=q[:3])
    axes[1].set_ylabel("latency (µs)")
    for c in extra:
        axes[-1].plot(t, df[c], label=c)
    axes[-1].set_xlabel("simulated time at the window's end (µs)")
    for ax in axes[1:]:
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    finish(fig, axes[0], args, "daggersim: the run over time")  # the title above the top axis


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="kind", required=True)
    kinds = {"latency-vs-size": latency_vs_size, "load-latency": load_latency, "scaling": scaling, "bars": bars,
             "breakdown": breakdown, "tax": tax}
    h = sub.add_parser("hops")
    h.add_argument("runs", nargs="+", help="run directories (or their stats.json) of an application")
    h.add_argument("--out", required=True, help="output path without extension")
    h.add_argument("--title")
    t = sub.add_parser("timeseries")
    t.add_argument("run", help="a run directory (or its timeseries.csv)")
    t.add_argument("--out", required=True, help="output path without extension")
    t.add_argument("--columns", nargs="+", help="globs of further columns to draw (e.g. '*utilisation*')")
    t.add_argument("--title")
    c = sub.add_parser("calibration")
    c.add_argument("dir", help="the output directory of `daggersim calibrate`")
    c.add_argument("--out", required=True, help="output path without extension")
    c.add_argument("--title")
    for kind in kinds:
        s = sub.add_parser(kind)
        s.add_argument("csv", help="a sweep's results.csv")
        s.add_argument("--out", required=True, help="output path without extension")
        s.add_argument("--label", help="column naming each line or bar series (default: interface, if present)")
        s.add_argument("--overlay", help="published points to draw on top (CSV)")
        s.add_argument("--title")
        if kind == "scaling":
            s.add_argument("--x", help=f"the x column (default: {THREADS})")
        if kind == "latency-vs-size":
            s.add_argument("--y", choices=["log", "linear"], default="log", help="the latency axis (default: log)")
        if kind == "bars":
            s.add_argument("--metric", default="throughput_mrps", help="the metric column (default: throughput_mrps)")
            s.add_argument("--group", help="the column of the bar groups (default: interface, else index)")
        if kind == "tax":
            s.add_argument("--side", choices=["all", "client", "server"], default="all",
                           help="the threads whose cycles are drawn (default: all)")
    args = p.parse_args()
    {"hops": hops, "calibration": calibration, "timeseries": timeseries, **kinds}[args.kind](args)


if __name__ == "__main__":
    main()
