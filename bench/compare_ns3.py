"""daggersim's speed against ns-3, run by ./scripts/compare-ns3: the same closed-loop echo of
64 B UDP requests between two hosts on one 40 GbE cable, with 1 and then 8 requests outstanding,
for about N round trips in each simulator, as wall time per round trip (the whole process, as a
user waits for it). ns-3 models the link and the IP/UDP stacks only (4 events per round trip);
daggersim also models the CPU threads, the rings, the CCI-P port and the NIC pipelines, so the
ratio is what that detail costs, not two models of the same thing. Figures, not a test. Writes
results/compare_ns3.json."""

import argparse
import datetime
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

from benchio import write_atomically

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "daggersim")
WINDOWS = (1, 8)
# rack_udp.yaml's two hosts and UDP transport on one cable instead of through its switch.
DAGGERSIM_RUN = ["run", "configs/rack_udp.yaml", "--set", "network.kind=point_to_point",
                 "--set", "workload.pattern=closed_loop", "--set", "simulation.warmup_us=0"]
CALIBRATION_US = 2000  # a short run to learn the round-trip rate: long enough to be steady


def timed(cmd):
    """Runs `cmd` from the repository root; returns its stdout, wall time and CPU time (user +
    system: on a busy machine it shows how much of the wall time was waiting for a core)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # run() has reaped the child: it counts
    if p.returncode != 0:
        sys.exit(f"compare-ns3: {' '.join(cmd)} exited {p.returncode}: {p.stderr.decode(errors='replace').strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return p.stdout.decode(), wall, cpu


def row(tool, round_trips, timing, run_wall, events, simulated_ns):
    wall, cpu = timing
    return {
        "tool": tool,
        "round_trips": round_trips,
        "wall_s": round(wall, 4),
        "cpu_s": round(cpu, 4),
        "wall_us_per_round_trip": round(wall / round_trips * 1e6, 4),
        # the simulation alone: ns-3's Simulator::Run, daggersim's stats.json simulation.wall_s
        "run_wall_s": round(run_wall, 4),
        "events_per_round_trip": round(events / round_trips, 2) if events is not None else None,
        "simulated_us": round(simulated_ns / 1e3, 3),
    }


def ns3(binary, window, n):
    out, wall, cpu = timed([binary, f"--window={window}", f"--round-trips={n}"])
    f = dict(kv.split("=", 1) for kv in out.split())
    return row("ns-3", int(f["round_trips"]), (wall, cpu), float(f["run_wall_s"]), int(f["events"]),
               float(f["simulated_ns"]))


def daggersim(window, n, tmp):
    """Runs daggersim for the simulated time that completes about n round trips, found by a
    short run at the same window (closed loop: the rate is steady from the first RPC)."""
    def run(duration_us, name):
        out = os.path.join(tmp, name)
        args = [BIN, *DAGGERSIM_RUN, "--set", f"workload.outstanding={window}",
                "--set", f"simulation.duration_us={duration_us:g}", "--out", out, "--quiet"]
        _, wall, cpu = timed(args)
        with open(os.path.join(out, "stats.json")) as f:
            return json.load(f), (wall, cpu), args

    s, _, _ = run(CALIBRATION_US, f"w{window}_calibration")
    per_us = s["rpcs"]["completed"] / CALIBRATION_US
    duration_us = math.ceil(n / per_us)
    s, timing, args = run(duration_us, f"w{window}")
    r = row("daggersim", s["rpcs"]["completed"], timing, s["simulation"]["wall_s"], s["simulation"]["events"],
            s["simulation"]["simulated_ns"])
    r["command"] = " ".join(os.path.relpath(a, ROOT) if a == BIN else a for a in args[:-3])
    return r


def show(window, r):
    ev = f"{r['events_per_round_trip']:>8} events/RT" if r["events_per_round_trip"] is not None else ""
    print(f"W={window}  {r['tool']:<10} {r['round_trips']:>8} round trips  {r['wall_s']:>8.3f} s wall  "
          f"{r['wall_us_per_round_trip']:>9.3f} us/RT  (CPU {r['cpu_s']:.3f} s, simulation alone {r['run_wall_s']:.3f} s)  {ev}",
          flush=True)


def main():
    ap = argparse.ArgumentParser(prog="scripts/compare-ns3", description=__doc__)
    ap.add_argument("--round-trips", type=int, default=200000, help="round trips per run (default 200000)")
    ap.add_argument("--quick", action="store_true", help="20000 round trips")
    ap.add_argument("--ns3-bin", default=os.path.join(ROOT, "build", "ns3", "udp_echo_rtt"), help=argparse.SUPPRESS)
    ap.add_argument("--out", default=os.path.join(ROOT, "results", "compare_ns3.json"), help="JSON file to write")
    a = ap.parse_args()
    n = 20000 if a.quick else a.round_trips
    for b in (BIN, a.ns3_bin):
        if not os.access(b, os.X_OK):
            sys.exit(f"compare-ns3: {b} is not built (run ./scripts/compare-ns3)")
    windows = {}
    with tempfile.TemporaryDirectory(prefix="daggersim_compare_ns3_") as tmp:
        for w in WINDOWS:
            results = [ns3(a.ns3_bin, w, n), daggersim(w, n, tmp)]
            for r in results:
                show(w, r)
            ratio = results[0]["wall_us_per_round_trip"] / results[1]["wall_us_per_round_trip"]
            windows[str(w)] = {"ns3": results[0], "daggersim": results[1], "ratio": round(ratio, 4)}
            print(f"W={w}  ns-3 / daggersim wall per round trip: {ratio:.3f}", flush=True)
    # Both windows count: one is latency-bound, the other keeps both simulators' queues busy.
    ratio = math.exp(sum(math.log(v["ratio"]) for v in windows.values()) / len(windows))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    doc = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "commit": commit,
           "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "loadavg_1min": os.getloadavg()[0]},
           "round_trips": n, "ns3_link": "40Gbps, 10 ns (daggersim's network.link.cable_m 2 m at 5 ns/m)",
           "windows": windows, "ratio": round(ratio, 4),
           "ratio_is": "geometric mean over windows 1 and 8 of ns-3's wall time per round trip over daggersim's"}
    write_atomically(a.out, doc)
    print("ratio below: ns-3's wall time per round trip over daggersim's, geometric mean over windows 1 and 8")
    print(f"ratio: {ratio:.3f}")


if __name__ == "__main__":
    main()
