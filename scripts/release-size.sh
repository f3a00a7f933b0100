#!/usr/bin/env bash
# Checks that the release binary (the one Terraform installs) stays at most 10 MB
# (10,000,000 bytes). Fails when there is nothing to measure: scripts/test.sh runs
# scripts/release.sh first, so CI always measures a fresh release build.
#
#   bash scripts/release-size.sh [BINARY | RELEASE-ZIP]
#
# Without an argument it measures the binary inside the newest
# dist/terraform-provider-idcloudhost_*_linux_amd64.zip (DIST_DIR to look elsewhere).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
limit=10000000
fail() { echo "[release-size] $*" >&2; exit 1; }

subject="${1:-}"
if [ -z "$subject" ]; then
    dist="${DIST_DIR:-$root/dist}"
    subject="$(ls -t "$dist"/terraform-provider-idcloudhost_*_linux_amd64.zip 2>/dev/null | head -n1 || true)"
    [ -n "$subject" ] ||
        fail "no release to measure in $dist: run 'bash scripts/release.sh' first (scripts/test.sh does)"
fi
[ -f "$subject" ] || fail "cannot measure $subject: no such file"

case "$subject" in
    *.zip)
        # The unpacked binary's size, as Terraform installs it.
        size="$(python3 - "$subject" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    members = [i for i in z.infolist() if i.filename.startswith("terraform-provider-idcloudhost_v")]
    if len(members) != 1:
        sys.exit(f"{sys.argv[1]} holds {len(members)} provider binaries, not one")
    print(members[0].file_size)
EOF
)" || fail "cannot measure $subject: not a release zip holding one provider binary"
        ;;
    *) size="$(stat -c %s "$subject")" || fail "cannot measure $subject" ;;
esac
[[ "$size" =~ ^[0-9]+$ ]] && [ "$size" -gt 0 ] || fail "cannot measure $subject: size '$size'"

built="$(date -u -r "$subject" '+%Y-%m-%d %H:%M UTC')"
mb="$(awk -v s="$size" 'BEGIN { printf "%.2f", s / 1000000 }')"
if [ "$size" -gt "$limit" ]; then
    echo "[release-size] $subject: binary is $mb MB ($size bytes, built $built): over the 10 MB limit" >&2
    echo "[release-size] look for what grew: new dependencies or features in Cargo.lock, [profile.release] in Cargo.toml" >&2
    exit 1
fi
echo "[release-size] $subject: binary $mb MB ($size bytes, built $built), within 10 MB"
