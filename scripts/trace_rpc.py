#!/usr/bin/python3
"""One RPC of a daggersim trace (daggersim run --trace FILE) as text: its stages in order, the
block (track) each ran on, when it started after the RPC's own start and how long it took, and,
under a handler's stage, the calls the handler made (an application's nested RPCs), indented.

  /usr/bin/python3 scripts/trace_rpc.py TRACE.json [--rpc 0x00010005 | --slowest | --list N]

--slowest (the default) shows the completed top-level RPC of the largest latency; --list N
prints the N slowest top-level RPCs, one line each; --rpc ID shows the first RPC with that id
(a thread's ids come back after 65536 RPCs; the trace's args.seq tells them apart). Bad input:
exit 2 with one message.
"""
import argparse
import bisect
import json
import sys


def fail(msg):
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(2)


def load(path):
    try:
        with open(path) as f:
            return parse(json.load(f)["traceEvents"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        fail(f"{path}: not a daggersim trace ({type(e).__name__}: {e})")


def parse(events):
    """Thread names by (pid, tid), each RPC's slices by start (by its seq), the arrows' events by
    id, and each RPC's id by its seq."""
    threads, slices, flows, ids = {}, {}, {}, {}
    for e in events:
        ph = e.get("ph")
        if ph == "M" and e.get("name") == "thread_name":
            threads[(e["pid"], e["tid"])] = e["args"]["name"]
        elif ph == "X":
            fs = round(e["ts"] * 1e9)
            s = {"stage": e["name"], "track": (e["pid"], e["tid"]), "start": fs,
                 "end": fs + round(e["dur"] * 1e9), "latency": e["args"].get("latency_fs")}
            slices.setdefault(e["args"]["seq"], []).append(s)
            ids[e["args"]["seq"]] = e["args"]["rpc"]
        elif ph in ("s", "t", "f"):
            flows.setdefault(e["id"], []).append(e)
    for s in slices.values():
        s.sort(key=lambda x: x["start"])
    return threads, slices, flows, ids


def by_track(slices):
    """Each track's slices by start (a track's slices never overlap): (starts, [(end, seq, index)])."""
    tracks = {}
    for seq, ss in slices.items():
        for i, s in enumerate(ss):
            tracks.setdefault(s["track"], []).append((s["start"], s["end"], seq, i))
    return {t: ([x[0] for x in sorted(v)], sorted(v)) for t, v in tracks.items()}


def enclosing(tracks, e):
    """The (seq, index) of the slice an arrow's event lies in."""
    t = round(e["ts"] * 1e9)
    starts, rows = tracks.get((e["pid"], e["tid"]), ([], []))
    k = bisect.bisect_right(starts, t) - 1
    if k >= 0 and t < rows[k][1]:
        return rows[k][2], rows[k][3]
    return None


def calls_of(slices, flows):
    """Arrows from a handler's slice to another RPC: (seq, slice index) -> [call seq, ...]."""
    calls, nested = {}, set()
    tracks = by_track(slices)
    for events in flows.values():
        a, b = enclosing(tracks, events[0]), enclosing(tracks, events[-1])
        if a and b and a[0] != b[0]:
            calls.setdefault(a, []).append(b[0])
            nested.add(b[0])
    return calls, nested


def show(seq, slices, ids, threads, calls, depth=0):
    ss = slices[seq]
    t0 = ss[0]["start"]
    pad = "    " * depth
    total = (ss[-1]["end"] - t0) / 1e6
    done = "completed" if ss[-1]["latency"] is not None else "dropped"
    print(f"{pad}rpc {ids[seq]}: {total:.1f} ns, {done}")
    for i, s in enumerate(ss):
        print(f"{pad}  {s['stage']:<20} {threads.get(s['track'], '?'):<34} "
              f"+{(s['start'] - t0) / 1e6:>10.1f} ns {(s['end'] - s['start']) / 1e6:>10.1f} ns")
        for c in sorted(calls.get((seq, i), []), key=lambda r: slices[r][0]["start"]):
            show(c, slices, ids, threads, calls, depth + 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("trace")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--rpc", help="the RPC's id as in the trace's args, e.g. 0x00010005")
    g.add_argument("--slowest", action="store_true", help="the slowest completed top-level RPC (default)")
    g.add_argument("--list", type=int, metavar="N", help="the N slowest completed top-level RPCs")
    a = ap.parse_args()
    if a.list is not None and a.list < 1:
        fail(f"--list {a.list}: must be at least 1")
    threads, slices, flows, ids = load(a.trace)
    if not slices:
        fail(f"{a.trace}: no RPC in the trace (a --trace-window or --trace-sample that kept none?)")
    calls, nested = calls_of(slices, flows)
    top = [r for r, ss in slices.items() if r not in nested and ss[-1]["latency"] is not None]
    top.sort(key=lambda r: -slices[r][-1]["latency"])
    if a.list:
        for r in top[:a.list]:
            print(f"{ids[r]} {slices[r][-1]['latency'] / 1e6:.1f} ns")
        return
    if a.rpc:
        seq = next((q for q in sorted(ids) if ids[q] == a.rpc), None)
        if seq is None:
            fail(f"{a.trace}: no RPC {a.rpc} in the trace")
    elif not top:
        fail(f"{a.trace}: no completed top-level RPC in the trace")
    else:
        seq = top[0]
    show(seq, slices, ids, threads, calls)


if __name__ == "__main__":
    main()
