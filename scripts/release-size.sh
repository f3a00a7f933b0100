#!/usr/bin/env bash
# Checks that a release build of the provider stays at most 10 MB (10,000,000
# bytes), when one is present: CI cannot afford a release build, so this only
# looks at one a person (or scripts/demo.sh) made. Exits 0 without a build.
#
#   bash scripts/release-size.sh [path/to/terraform-provider-idcloudhost]
#
# Without an argument it looks in $CARGO_TARGET_DIR/release (default target/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
limit=10000000
binary="${1:-${CARGO_TARGET_DIR:-$root/target}/release/terraform-provider-idcloudhost}"
if [ ! -f "$binary" ]; then
    echo "[release-size] no release build at $binary: nothing to check"
    exit 0
fi
size="$(stat -c %s "$binary")"
built="$(date -u -r "$binary" '+%Y-%m-%d %H:%M UTC')"
mb="$(awk -v s="$size" 'BEGIN { printf "%.2f", s / 1000000 }')"
if [ "$size" -gt "$limit" ]; then
    echo "[release-size] $binary is $mb MB ($size bytes, built $built): over the 10 MB limit" >&2
    echo "[release-size] look for what grew: new dependencies or features in Cargo.lock, [profile.release] in Cargo.toml" >&2
    exit 1
fi
echo "[release-size] $binary: $mb MB ($size bytes, built $built), within 10 MB"
