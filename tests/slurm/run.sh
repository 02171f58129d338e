#!/usr/bin/env bash
# A real single-node Slurm (Debian slurm-wlm + munge, controller and node daemon on localhost):
# runs tests/slurm/sweep.yaml as a job array through `daggersim sweep --slurm`, then compares its
# results.csv with a local `--jobs 2` run of the same sweep. Tears the cluster down on exit.
# Exits 77 (CTest: skipped) with the reason when the cluster cannot be started here: not root,
# slurm-wlm or munge not installed (./scripts/test installs them as root), daemons that fail.
# See shared/reference/slurm-single-node.md.
set -euo pipefail
root="$1"
daggersim="$2"
skip() { echo "SKIPPED: could not start a single-node Slurm: $*"; exit 77; }

[ "$(id -u)" -eq 0 ] || skip "not root (the daemons need it)"
for b in slurmctld slurmd sbatch squeue sinfo munged munge; do
  command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] || skip "$b not installed (apt-get install slurm-wlm munge)"
done
PATH="$PATH:/usr/sbin"

scratch=$(mktemp -d /tmp/daggersim-slurm.XXXXXX)
export SLURM_CONF="$scratch/slurm.conf"
started_munge=0
cleanup() {
  for pid in "$scratch/slurmd.pid" "$scratch/slurmctld.pid"; do
    [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null || true
  done
  sleep 1
  if [ "$started_munge" -eq 1 ] && [ -f /run/munge/munged.pid ]; then kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# munge: the package's key, or a fresh one.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null
    chown munge:munge /etc/munge/munge.key 2>/dev/null || true
    chmod 400 /etc/munge/munge.key
  fi
  mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null || true
  runuser -u munge -- /usr/sbin/munged 2>"$scratch/munged.err" || skip "munged did not start: $(cat "$scratch/munged.err")"
  started_munge=1
  sleep 1
  munge -n | unmunge >/dev/null 2>&1 || skip "munge does not work"
fi

host=$(hostname -s)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
mkdir -p "$scratch/state" "$scratch/spool"
cat > "$SLURM_CONF" <<CONF
ClusterName=daggersim-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$scratch/state
SlurmdSpoolDir=$scratch/spool
SlurmctldPidFile=$scratch/slurmctld.pid
SlurmdPidFile=$scratch/slurmd.pid
SlurmctldLogFile=$scratch/slurmctld.log
SlurmdLogFile=$scratch/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$host CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

slurmctld -c || skip "slurmctld did not start: $(tail -3 "$scratch/slurmctld.log" 2>/dev/null)"
slurmd || skip "slurmd did not start: $(tail -3 "$scratch/slurmd.log" 2>/dev/null)"
for _ in $(seq 60); do
  sinfo -h -o %T 2>/dev/null | grep -q idle && break
  sleep 1
done
sinfo -h -o %T 2>/dev/null | grep -q idle || skip "the node never became idle: $(sinfo 2>&1 | tail -2)"
echo "single-node Slurm up on $host"

out="$scratch/out"
submitted=$("$daggersim" sweep "$root/tests/slurm/sweep.yaml" --slurm --out "$out")
echo "$submitted"
collect=$(echo "$submitted" | sed -n 's/.*collect job \([0-9]*\).*/\1/p')
[ -n "$collect" ] || { echo "FAIL: no collect job id in: $submitted"; exit 1; }
for _ in $(seq 300); do
  [ -z "$(squeue -h -j "$collect" 2>/dev/null)" ] && break
  sleep 1
done
[ -z "$(squeue -h 2>/dev/null)" ] || { echo "FAIL: jobs still queued after 300 s"; squeue; exit 1; }
[ -f "$out/results.csv" ] || { echo "FAIL: no results.csv; collect output:"; cat "$out/slurm/collect.out" 2>/dev/null; exit 1; }

"$daggersim" sweep "$root/tests/slurm/sweep.yaml" --jobs 2 --out "$scratch/local" >/dev/null
if ! diff "$scratch/local/results.csv" "$out/results.csv"; then
  echo "FAIL: Slurm and local results.csv differ"; exit 1
fi
rows=$(($(wc -l < "$out/results.csv") - 1))
grep -q ",failed," "$out/results.csv" && { echo "FAIL: a point failed"; cat "$out/results.csv"; exit 1; }
echo "slurm test: $rows points through a job array, results.csv identical to a local --jobs 2 run: passed"
