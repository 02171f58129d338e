#!/usr/bin/env bash
# The layers never include upwards (docs/architecture.md):
#   core (src/core) -> models (models/common -> models/<subsystem>, workloads/)
#   -> assembly (src/assembly) -> machinery (src/config, src/sim, src/sweep, src/golden, src/calibrate) -> CLI (src/cli).
# Prints every include that points up a layer and fails if there is one.
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root"
bad=0
# check DIR ALLOWED_PREFIXES...: every project include in DIR starts with one of the prefixes.
check() {
  local dir="$1"; shift
  local allowed="$*"
  while IFS= read -r hit; do
    local file="${hit%%:*}" inc
    inc=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$hit")
    local ok=0
    for p in $allowed; do [[ "$inc" == "$p"* ]] && ok=1; done
    [[ "$inc" != */* ]] && ok=1  # a sibling header by bare name
    if [ "$ok" -eq 0 ]; then
      echo "layer violation: $file includes \"$inc\" (allowed from $dir: $allowed)"
      bad=1
    fi
  done < <(grep -rHn '#include "' "$dir" --include='*.hpp' --include='*.cpp' || true)
}
check src/core core/
check models/common core/ models/common/
check models core/ models/ workloads/
check workloads core/ models/common/ workloads/
check src/assembly core/ models/ workloads/ assembly/
for d in src/config src/sim src/sweep src/golden src/calibrate; do
  check "$d" core/ models/ workloads/ assembly/ config/ sim/ sweep/ golden/ calibrate/
done
if [ "$bad" -ne 0 ]; then exit 1; fi
echo "layers: no include points up a layer"
