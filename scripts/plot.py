#!/usr/bin/python3
"""Plots a daggersim sweep's results.csv.

    /usr/bin/python3 scripts/plot.py latency-vs-size results/latency_vs_size/results.csv \
        --out results/latency_vs_size/latency_vs_size

writes OUT.png and OUT.svg: p50 and p99 latency against RPC size (log2 axis), one line pair per
value of --label (by default the sweep's `interface` label, else nic.host_interface.kind) when
the sweep has one.
Uses Debian's python3-matplotlib and python3-pandas (run with /usr/bin/python3).
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

SIZE = "workload.rpc_size_bytes"


def fail(msg):
    print(f"plot.py: error: {msg}", file=sys.stderr)
    sys.exit(2)


def load(path, needed):
    try:
        df = pd.read_csv(path)
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        fail(f"{path}: not a results.csv ({e})")
    missing = [c for c in needed if c not in df.columns]
    if missing:
        fail(f"{path}: missing column(s) {', '.join(missing)}; columns are {', '.join(df.columns)}")
    if "status" in df.columns:
        df = df[df["status"] == "ok"]
    if df.empty:
        fail(f"{path}: no successful points to plot")
    return df


def save(fig, out):
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    for ext in ("png", "svg"):
        tmp = f"{out}.{ext}.tmp"
        fig.savefig(tmp, format=ext, dpi=150, bbox_inches="tight")
        os.replace(tmp, f"{out}.{ext}")  # never a half-written image
    print(f"wrote {out}.png and {out}.svg")


def latency_vs_size(args):
    df = load(args.csv, [SIZE, "p50_ns", "p99_ns"])
    label = args.label or next((c for c in ("interface", "nic.host_interface.kind") if c in df.columns), None)
    if args.label and args.label not in df.columns:
        fail(f"{args.csv}: no column {args.label}; columns are {', '.join(df.columns)}")
    groups = [(None, df)] if label is None else list(df.groupby(label, sort=False))
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, g in groups:
        g = g.sort_values(SIZE)
        tag = "" if name is None else f"{name} "
        line, = ax.plot(g[SIZE], g["p50_ns"] / 1000, marker="o", label=f"{tag}p50")
        ax.plot(g[SIZE], g["p99_ns"] / 1000, marker="^", linestyle="--", color=line.get_color(), label=f"{tag}p99")
    ax.set_xscale("log", base=2)
    sizes = sorted(df[SIZE].unique())
    ax.set_xticks(sizes)
    ax.set_xticklabels([str(int(v)) for v in sizes])
    ax.minorticks_off()
    ax.set_xlabel("RPC size (bytes of arguments; 52 B fill one 64 B line)")
    ax.set_ylabel("round-trip latency (µs)")
    ax.set_ylim(bottom=0)
    ax.set_title(args.title or "daggersim: latency vs RPC size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    save(fig, args.out)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="kind", required=True)
    s = sub.add_parser("latency-vs-size", help="p50/p99 latency against RPC size")
    s.add_argument("csv")
    s.add_argument("--out", required=True, help="output path without extension")
    s.add_argument("--label", help="column that names each line (default: interface, else nic.host_interface.kind)")
    s.add_argument("--title")
    args = p.parse_args()
    latency_vs_size(args)


if __name__ == "__main__":
    main()
