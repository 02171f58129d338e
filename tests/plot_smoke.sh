#!/usr/bin/env bash
# scripts/plot.py: a results.csv gives non-trivial PNG and SVG files; a bad CSV a clear error.
set -euo pipefail
root="$1"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/results.csv" <<'CSV'
index,workload.rpc_size_bytes,status,exit_code,issued,completed,dropped,throughput_mrps,mean_ns,p50_ns,p90_ns,p99_ns,p999_ns,max_ns
0,16,ok,0,100,100,0,0.5,1850,1850,1950,2010,2100,2100
1,32,ok,0,100,100,0,0.5,1860,1855,1960,2020,2100,2100
2,64,ok,0,100,100,0,0.5,1870,1860,1970,2030,2100,2100
CSV
/usr/bin/python3 "$root/scripts/plot.py" latency-vs-size "$dir/results.csv" --out "$dir/plot"
for ext in png svg; do
  size=$(stat -c %s "$dir/plot.$ext")
  [ "$size" -gt 10000 ] || { echo "plot.$ext is only $size bytes"; exit 1; }
done
printf 'not,a\n"results' > "$dir/bad.csv"
set +e
msg=$(/usr/bin/python3 "$root/scripts/plot.py" latency-vs-size "$dir/bad.csv" --out "$dir/bad" 2>&1)
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "bad CSV: exit $rc, expected 2"; exit 1; }
echo "$msg" | grep -q "plot.py: error: .*bad.csv" || { echo "unclear error: $msg"; exit 1; }
[ ! -e "$dir/bad.png" ] || { echo "bad CSV still wrote an image"; exit 1; }
echo "plot smoke test: 2 passed, 0 failed"
