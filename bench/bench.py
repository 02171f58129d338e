"""daggersim's speed benchmarks (issue 21), run by ./scripts/bench: each runs the built
daggersim on a scenario and reports simulated RPCs per wall-second, kernel events per RPC, the
slowdown against real time (wall time over simulated time) and the peak resident memory, as one
JSON file; --compare OLD.json prints each figure's ratio against an earlier run. Not a test:
figures, not pass or fail. rpcs_per_wall_s is what a user waits for (the whole command: start-up,
configuration, output; parallel runs overlap); rpcs_per_simulation_s counts only the simulations'
own wall time, summed."""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

from benchio import write_atomically

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "daggersim")
UPI = "configs/dagger_upi.yaml"
SATURATE = ["--set", "workload.pattern=closed_loop", "--set", "workload.outstanding=32"]

# name: (what it measures, daggersim arguments before --out). Durations are simulated time.
BENCHMARKS = {
    "a_upi_saturating": ("UPI loopback, one client thread, closed loop with 32 outstanding, 10 ms",
                         ["run", UPI, *SATURATE, "--set", "simulation.duration_us=10000"]),
    "b_eight_threads": ("UPI loopback, eight client and server threads on eight flows, two to a core, closed loop, 2 ms",
                        ["run", UPI, *SATURATE, "--set", "workload.client_threads=8", "--set",
                         "workload.server_threads=8", "--set", "nic.flows=8", "--set", "host.placement=smt_pairs",
                         "--set", "simulation.duration_us=2000"]),
    "c_rack16_reliable": ("the 16-host rack with the reliable transport and credits, 2 ms",
                          ["run", "configs/rack16.yaml", "--set", "nic.transport.kind=reliable", "--set",
                           "nic.flow_control=credits", "--set", "simulation.duration_us=2000"]),
    "d_low_load": ("UPI loopback at 1% of its 8 Mrps peak (0.08 Mrps, Poisson) for 100 ms",
                   ["run", UPI, "--set", "workload.rate_mrps=0.08", "--set", "simulation.duration_us=100000"]),
    "e_kvs_sweep": ("the key-value store sweep, configs/paper/kvs.yaml, with --jobs 2",
                    ["sweep", "configs/paper/kvs.yaml", "--jobs", "2", "--quiet"]),
    "f_flight_app": ("the flight registration application, configs/apps/flight_registration.yaml",
                     ["run", "configs/apps/flight_registration.yaml"]),
    "g_calibration": ("the interface table's calibration, configs/paper/calibration.yaml, without leave-one-out",
                      ["calibrate", "configs/paper/calibration.yaml", "--no-loo", "--quiet"]),
}


def stats_files(out):
    """Every stats.json a command wrote under `out` (one for run, one per run of a sweep)."""
    for d, _, files in os.walk(out):
        if "stats.json" in files:
            yield os.path.join(d, "stats.json")


def measure(args, out):
    """Runs daggersim with `args`, writing into `out`; returns its wall time and peak RSS."""
    start = time.monotonic()
    p = subprocess.Popen([BIN, *args, "--out", out], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - start
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"bench: {' '.join(args)} exited {code}: {err.strip()}")
    return wall, usage.ru_maxrss / 1024.0  # ru_maxrss is in KiB on Linux: MiB


def figures(name, args):
    with tempfile.TemporaryDirectory(prefix=f"daggersim_bench_{name}_") as tmp:
        out = os.path.join(tmp, "out")
        wall, rss = measure(args, out)
        rpcs = events = simulated_s = kernel_s = 0.0
        for path in stats_files(out):
            with open(path) as f:
                s = json.load(f)
            rpcs += s["rpcs"]["completed"]
            events += s["simulation"]["events"]
            simulated_s += s["simulation"]["simulated_ns"] * 1e-9
            kernel_s += s["simulation"]["wall_s"]
    return {
        "what": BENCHMARKS[name][0],
        "command": "daggersim " + " ".join(args),
        "wall_s": round(wall, 3),
        "rpcs": rpcs,
        "rpcs_per_wall_s": round(rpcs / wall) if wall > 0 else 0,
        # the simulation alone (SystemC's elaboration and run, no start-up, config or output)
        "simulation_wall_s": round(kernel_s, 3),
        "rpcs_per_simulation_s": round(rpcs / kernel_s) if kernel_s > 0 else 0,
        "events": events,
        "events_per_rpc": round(events / rpcs, 2) if rpcs else None,
        "simulated_s": simulated_s,
        "slowdown": round(wall / simulated_s, 1) if simulated_s else None,
        "peak_rss_mib": round(rss, 1),
    }


def compare(new, old_file):
    with open(old_file) as f:
        old = json.load(f)["benchmarks"]
    print(f"against {old_file} (new / old; for rpcs_per_wall_s higher is faster, for the others lower is better)")
    keys = ["wall_s", "rpcs_per_wall_s", "rpcs_per_simulation_s", "events_per_rpc", "slowdown", "peak_rss_mib"]
    print(f"{'benchmark':<20}" + "".join(f"{k:>23}" for k in keys))
    for name, b in new.items():
        if name not in old:
            continue
        cells = []
        for k in keys:
            o, n = old[name].get(k), b.get(k)
            cells.append(f"{n / o:>23.3f}" if o and n is not None else f"{'-':>23}")
        print(f"{name:<20}" + "".join(cells))


def main():
    ap = argparse.ArgumentParser(prog="scripts/bench", description=__doc__)
    ap.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="run these benchmarks only")
    ap.add_argument("--out", default=os.path.join(ROOT, "results", "bench.json"), help="JSON file to write")
    ap.add_argument("--compare", metavar="OLD.json", help="print the ratios against an earlier run's JSON")
    a = ap.parse_args()
    if not os.access(BIN, os.X_OK):
        sys.exit("bench: build first (cmake -B build && cmake --build build)")
    results = {}
    for name in a.only or BENCHMARKS:
        b = figures(name, BENCHMARKS[name][1])
        results[name] = b
        print(f"{name:<20} {b['rpcs_per_wall_s']:>10} RPCs/wall-s ({b['rpcs_per_simulation_s']} in the simulation)  "
              f"{b['events_per_rpc']} events/RPC  "
              f"slowdown {b['slowdown']}  {b['peak_rss_mib']} MiB  ({b['wall_s']} s)", flush=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    doc = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "commit": commit,
           "machine": {"cpus": os.cpu_count(), "platform": platform.platform()}, "benchmarks": results}
    write_atomically(a.out, doc)
    if a.compare:
        compare(results, a.compare)


if __name__ == "__main__":
    main()
