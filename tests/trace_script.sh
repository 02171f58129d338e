#!/usr/bin/env bash
# scripts/trace_rpc.py on a real trace: the slowest flight registration with the calls its
# check-in handler made, indented under the handler's stage; bad input exits 2.
set -euo pipefail
root="$1" daggersim="$2"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$daggersim" run "$root/configs/apps/flight_registration.yaml" --set simulation.duration_us=1500 \
  --out "$dir/run" --quiet --trace "$dir/t.json"
script() { /usr/bin/python3 "$root/scripts/trace_rpc.py" "$@"; }
[ "$(script "$dir/t.json" --list 3 | wc -l)" -eq 3 ] || { echo "--list 3: not three lines"; exit 1; }
out=$(script "$dir/t.json" --slowest)
# (here-strings, not pipes: grep -q stops reading early, which pipefail would count as failure)
grep -q '^rpc 0x[0-9a-f]*: .* ns, completed$' <<< "${out%%$'\n'*}" || { echo "no header: $out"; exit 1; }
# The registration's handler stage, then a call indented under it, from check-in's caller.
grep -q '^    rpc 0x' <<< "$(grep -A1 '^  server_handler' <<< "$out")" || { echo "no call under the handler"; exit 1; }
grep -q '^      client_software *host0.check_in_caller' <<< "$out" || { echo "no caller track"; exit 1; }
echo '{"traceEvents": 5}' > "$dir/bad.json"
set +e
script "$dir/bad.json" 2> "$dir/err"; rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "not a daggersim trace" "$dir/err" || { echo "bad trace: exit $rc"; exit 1; }
echo "trace_rpc.py: ok"
