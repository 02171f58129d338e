#!/usr/bin/env bash
# scripts/plot.py: every kind turns a results.csv (and published points) into non-trivial PNG
# and SVG files; a bad CSV or a missing column gets a clear error, exit 2 and no image.
set -euo pipefail
root="$1"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
plot() { /usr/bin/python3 "$root/scripts/plot.py" "$@"; }
cat > "$dir/results.csv" <<'CSV'
index,interface,workload.rpc_size_bytes,workload.rate_mrps,workload.client_threads,status,exit_code,throughput_mrps,p50_ns,p99_ns
0,upi_polling,64,0.5,1,ok,0,0.5,1750,2060,
1,upi_polling,1024,1,2,ok,0,1.0,3530,3670
2,upi_polling,16384,2,4,ok,0,2.0,30130,30230
3,doorbell,64,0.5,1,ok,0,0.5,4450,4480
4,doorbell,1024,1,2,ok,0,1.0,5720,5950
5,doorbell,16384,2,4,failed,1,,,
CSV
sed -i 's/,$//' "$dir/results.csv"
echo '{"title": "smoke sweep"}' > "$dir/results.json"
printf 'series,x,y,source\nupi_polling,64,1800,paper\n' > "$dir/pub_lines.csv"
printf 'group,series,y,source\n64,upi_polling,1800,paper\n' > "$dir/pub_bars.csv"
plot latency-vs-size "$dir/results.csv" --out "$dir/lvs" --overlay "$dir/pub_lines.csv"
plot load-latency "$dir/results.csv" --out "$dir/load"
plot scaling "$dir/results.csv" --out "$dir/scaling"
plot bars "$dir/results.csv" --out "$dir/bars" --metric p50_ns --group workload.rpc_size_bytes --label interface \
  --overlay "$dir/pub_bars.csv"
hdr="index,interface,batch,status,exit_code"
for s in client_software cpu_to_nic client_nic network server_nic_to_ring server_detection server_handler \
         server_software server_cpu_to_nic server_nic network_back client_nic_to_ring client_detection; do
  hdr="$hdr,bd_${s}_ns"
done
printf '%s\n0,upi_polling,1,ok,0,103,362,57,5,357,22,28,90,362,57,5,357,60\n1,doorbell,1,ok,0,113,1685,40,5,357,18,28,95,1685,40,5,357,60\n' "$hdr" > "$dir/breakdown.csv"
plot breakdown "$dir/breakdown.csv" --out "$dir/breakdown"
for s in "server handler" "network back" "client detection"; do
  grep -q "$s" "$dir/breakdown.svg" || { echo "the breakdown legend is missing $s"; exit 1; }
done
cats="polling ring transport header dispatch serialization handler waiting"
hdr="index,interface,batch,status,exit_code"; row0="0,upi_polling,1,ok,0"; row1="1,doorbell,3,ok,0"
for side in "" server_; do
  for c in $cats; do hdr="$hdr,cpu_cycles_$side$c"; done
  row0="$row0,208,278,0,24,133,16,20,0"; row1="$row1,208,400,0,24,133,16,20,35"
done
printf '%s\n%s\n%s\n' "$hdr" "$row0" "$row1" > "$dir/tax.csv"
plot tax "$dir/tax.csv" --out "$dir/tax"
plot tax "$dir/tax.csv" --out "$dir/tax_server" --side server
grep -q "serialization" "$dir/tax.svg" || { echo "the tax legend is missing a category"; exit 1; }
grep -q "transport" "$dir/tax.svg" && { echo "the tax legend shows a category that is zero in every row"; exit 1; }
mkdir "$dir/run"
cat > "$dir/run/stats.json" <<'JSON'
{"app": {"front.order": {"requests": 2, "e2e_mean_ns": 5000, "e2e_total_fs": 10000000000,
  "hops": {"client>front.order": {"occurrences": 2, "mean_ns": 3000, "total_fs": 6000000000},
           "front>back.work": {"occurrences": 2, "mean_ns": 2000, "total_fs": 4000000000}}}}}
JSON
plot hops "$dir/run" --out "$dir/hops"
grep -q "front &gt; back.work" "$dir/hops.svg" || { echo "the hops legend is missing a hop"; exit 1; }
mkdir "$dir/cal"
printf 'target,kind,measured,model,rel_error,loo_prediction,loo_rel_error\nmmio_mrps,value,4.2,4.3,0.024,4.5,0.07\nupi_p50,value,1800,1790,-0.005,,\nbulk,ordering,30000,28000,-0.07,,\n' > "$dir/cal/residuals.csv"
plot calibration "$dir/cal" --out "$dir/cal_plot"
grep -q "mmio_mrps" "$dir/cal_plot.svg" || { echo "the calibration plot is missing a target"; exit 1; }
mkdir "$dir/ts"
printf 'window_start_us,window_end_us,completed,dropped,p50_ns,p99_ns,throughput_mrps,top.ccip_port.upi.utilisation_to_fpga,drops_switch_buffer_full\n0,10,5,0,1000,2000,0.5,0.1,\n10,20,7,3,1100,2500,0.7,0.3,3\n20,25,2,0,,,0.4,0.2,\n' > "$dir/ts/timeseries.csv"
plot timeseries "$dir/ts" --out "$dir/ts_plot" --columns '*utilisation*'
grep -q "upi.utilisation_to_fpga" "$dir/ts_plot.svg" || { echo "the time series is missing its --columns"; exit 1; }
plot latency-vs-size "$dir/results.csv" --out "$dir/lvs_linear" --y linear
grep -q "peak 2.00 Mrps" "$dir/load.svg" || { echo "the load-latency plot does not star the peak"; exit 1; }
# Every plot writes what it drew: the load-latency table holds upi_polling's three p50 points.
grep -q '^round-trip latency (µs),upi_polling p50,2.0,30.13$' "$dir/load.data.csv" || { echo "load.data.csv lacks a point"; exit 1; }
for f in lvs lvs_linear load scaling bars breakdown tax tax_server hops cal_plot ts_plot; do
  [ "$(wc -l < "$dir/$f.data.csv")" -gt 2 ] || { echo "$f.data.csv holds no points"; exit 1; }
  head -1 "$dir/$f.data.csv" | grep -q '^panel,series,x,y$' || { echo "$f.data.csv has no tidy header"; exit 1; }
  for ext in png svg; do
    size=$(stat -c %s "$dir/$f.$ext")
    [ "$size" -gt 10000 ] || { echo "$f.$ext is only $size bytes"; exit 1; }
  done
done
grep -q "smoke sweep" "$dir/lvs.svg" || { echo "the title from results.json is missing"; exit 1; }
grep -q "published: paper" "$dir/lvs.svg" || { echo "the overlay is missing from the legend"; exit 1; }

expect_error() {  # expect_error PATTERN ARGS...: exit 2, the message, and no image
  local pattern="$1" rc=0 msg
  shift
  msg=$(plot "$@" --out "$dir/bad" 2>&1) || rc=$?
  [ "$rc" -eq 2 ] || { echo "plot.py $*: exit $rc, expected 2"; exit 1; }
  echo "$msg" | grep -q "$pattern" || { echo "plot.py $*: unclear error: $msg"; exit 1; }
  [ ! -e "$dir/bad.png" ] || { echo "plot.py $*: still wrote an image"; exit 1; }
}
printf 'not,a\n"results' > "$dir/bad.csv"
expect_error "plot.py: error: .*bad.csv: not a results.csv" latency-vs-size "$dir/bad.csv"
expect_error "missing column(s) workload.client_threads" scaling "$dir/pub_lines.csv"
expect_error "no such file" bars "$dir/none.csv"
echo '{"latency_ns": {}}' > "$dir/run/stats.json"
expect_error "no app section" hops "$dir/run"
expect_error "several rows per bar (interface = upi_polling)" bars "$dir/results.csv"
expect_error "missing column(s) bd_client_software_ns" breakdown "$dir/results.csv"
expect_error "missing column(s) cpu_cycles_client_polling" tax "$dir/tax.csv" --side client
expect_error "no column matches nothing_\\*" timeseries "$dir/ts" --columns 'nothing_*'
echo "plot smoke test: 9 kinds (each with its table) and 8 errors passed"
