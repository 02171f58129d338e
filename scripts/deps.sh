# Sourced by the other scripts: installs the Debian packages daggersim needs when they are
# missing (as root), or prints the exact apt-get line to run.
DAGGERSIM_PACKAGES="build-essential cmake pkg-config libsystemc-dev libyaml-cpp-dev libboost-program-options-dev libfmt-dev catch2 nlohmann-json3-dev python3-matplotlib python3-pandas python3-yaml"
# For the single-node Slurm test (tests/slurm/run.sh) only: installed when possible; without
# them that test reports that it could not start a cluster and is skipped.
DAGGERSIM_TEST_PACKAGES="slurm-wlm munge"

# The packages among "$@" that are not installed.
daggersim_missing() {
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

daggersim_apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

daggersim_install_deps() {
  # shellcheck disable=SC2086
  local missing=($(daggersim_missing $DAGGERSIM_PACKAGES))
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing: ${missing[*]}"
    daggersim_apt_install "${missing[@]}"
  else
    echo "missing Debian packages; run:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
}

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

daggersim_build() {
  local jobs
  jobs=$(nproc 2>/dev/null || echo 2)
  cmake -S "$DAGGERSIM_ROOT" -B "$DAGGERSIM_ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$DAGGERSIM_ROOT/build" -j "$jobs"
}
