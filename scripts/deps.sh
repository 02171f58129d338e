# Sourced by the other scripts: installs the Debian packages daggersim needs when they are
# missing (as root), or prints the exact apt-get line to run.
DAGGERSIM_PACKAGES="build-essential cmake pkg-config libsystemc-dev libyaml-cpp-dev libboost-program-options-dev libfmt-dev catch2 nlohmann-json3-dev libnlopt-cxx-dev python3-matplotlib python3-pandas python3-yaml"
# For the single-node Slurm test (tests/slurm/run.sh) only: installed when possible; without
# them that test reports that it could not start a cluster and is skipped.
DAGGERSIM_TEST_PACKAGES="slurm-wlm munge"
# For ./scripts/sanitize and ./scripts/fuzz: clang with its sanitizer and libFuzzer runtimes.
DAGGERSIM_CLANG_PACKAGES="clang libclang-rt-dev"

# The packages among "$@" that are not installed.
daggersim_missing() {
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

# Seconds to wait for another package manager (e.g. unattended-upgrades on a fresh machine)
# to release the apt/dpkg locks before giving up.
DAGGERSIM_APT_LOCK_TIMEOUT="${DAGGERSIM_APT_LOCK_TIMEOUT:-900}"

# apt-get "$@", waiting (up to DAGGERSIM_APT_LOCK_TIMEOUT seconds) while another process holds
# an apt/dpkg lock instead of failing. apt waits for the dpkg locks itself
# (DPkg::Lock::Timeout) but not for /var/lib/apt/lists/lock (apt-get update) or
# /var/cache/apt/archives/lock, so an apt-get that failed only on a lock (it changes nothing
# then) is retried every few seconds. The first try does not wait, so that the message is
# printed before any wait. Messages are matched in English (LC_ALL=C).
daggersim_apt_get() {
  local timeout="$DAGGERSIM_APT_LOCK_TIMEOUT" start=$SECONDS wait=0 announced=0 err rc lock line
  while :; do
    rc=0
    { err=$(LC_ALL=C apt-get -o DPkg::Lock::Timeout="$wait" "$@" 2>&1 1>&3 3>&-); } 3>&1 || rc=$?
    if [ "$rc" -eq 0 ] || [[ "$err" != *"Could not get lock"* && "$err" != *"Unable to acquire the dpkg frontend lock"* ]]; then
      [ -n "$err" ] && printf '%s\n' "$err" >&2
      return "$rc"
    fi
    lock=""
    while IFS= read -r line; do
      if [[ "$line" == "E: Could not get lock "* ]]; then lock=${line#E: }; break; fi
    done <<<"$err"
    wait=$((timeout - (SECONDS - start)))
    if [ "$wait" -le 0 ]; then
      printf '%s\n' "$err" >&2
      echo "error: gave up after ${timeout}s waiting for another package manager (apt/dpkg) to release its lock (${lock:-apt/dpkg lock}); let it finish, or raise DAGGERSIM_APT_LOCK_TIMEOUT, and run this again" >&2
      return 1
    fi
    if [ "$announced" -eq 0 ]; then
      echo "waiting for another package manager (apt/dpkg) to finish (${lock:-apt/dpkg lock}), up to ${timeout}s..." >&2
      announced=1
    fi
    sleep $((wait < 5 ? wait : 5))
    wait=$((timeout - (SECONDS - start)))
    [ "$wait" -lt 0 ] && wait=0
  done
}

daggersim_apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  daggersim_apt_get update -qq && daggersim_apt_get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Installs the missing ones of the packages "${@:2}" as root (saying so, with $1 after
# "installing"), or prints the exact apt-get line to run and fails.
daggersim_require() {
  local what="$1"
  shift
  # shellcheck disable=SC2207
  local missing=($(daggersim_missing "$@"))
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing${what}: ${missing[*]}"
    daggersim_apt_install "${missing[@]}"
  else
    echo "missing Debian packages; run:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
}

# shellcheck disable=SC2086
daggersim_install_deps() { daggersim_require "" $DAGGERSIM_PACKAGES; }

daggersim_install_test_deps() {
  # shellcheck disable=SC2086
  local missing=($(daggersim_missing $DAGGERSIM_TEST_PACKAGES))
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "not root: ${missing[*]} not installed, the Slurm test will be skipped" >&2
  elif echo "installing (Slurm test): ${missing[*]}" && ! daggersim_apt_install "${missing[@]}"; then
    echo "could not install ${missing[*]}: the Slurm test will be skipped" >&2
  fi
}

# shellcheck disable=SC2086
daggersim_install_clang() { daggersim_require " (sanitizers, fuzzing)" $DAGGERSIM_CLANG_PACKAGES; }

daggersim_build() {
  local jobs
  jobs=$(nproc 2>/dev/null || echo 2)
  # -O2 without debug information: half the compile time of RelWithDebInfo (CMake's default
  # here), the same results; for a debugger, configure build/ with -DCMAKE_BUILD_TYPE=RelWithDebInfo.
  cmake -S "$DAGGERSIM_ROOT" -B "$DAGGERSIM_ROOT/build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" >/dev/null
  cmake --build "$DAGGERSIM_ROOT/build" -j "$jobs"
}

# A clang build in $1 (build-asan) under AddressSanitizer + UndefinedBehaviorSanitizer, with the
# libFuzzer targets ($1/fuzz/) and the libraries instrumented for them, configured with the
# further options "${@:2}".
# Optimised (-O2): the sanitised suite is several times slower than the plain one; line tables
# only, enough for stack traces.
daggersim_configure_clang() {
  local dir="$1"
  shift
  CC=clang CXX=clang++ cmake -S "$DAGGERSIM_ROOT" -B "$DAGGERSIM_ROOT/$dir" -DCMAKE_BUILD_TYPE=Sanitize \
    -DCMAKE_CXX_FLAGS_SANITIZE="-O2 -gline-tables-only" -DDAGGERSIM_SANITIZE=ON -DDAGGERSIM_FUZZ=ON "$@" >/dev/null
}

# The sanitizers' settings for every process of a sanitized run (the tests start daggersim
# and the sweeps start more). No SystemC process is an SC_THREAD, so the kernel switches no
# coroutine stacks; detect_stack_use_after_return stays off all the same, since a fake stack
# could not follow QuickThreads' switches if a thread were ever added.
daggersim_sanitizer_env() {
  export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=0:abort_on_error=0:exitcode=86${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=87${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
}
