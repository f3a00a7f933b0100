#!/usr/bin/env bash
# Builds a release of the provider in the layout the Terraform Registry (and
# GoReleaser) uses, into dist/:
#
#   terraform-provider-idcloudhost_VERSION_OS_ARCH.zip   holding terraform-provider-idcloudhost_vVERSION
#   terraform-provider-idcloudhost_VERSION_manifest.json the registry manifest
#   terraform-provider-idcloudhost_VERSION_SHA256SUMS    sha256sum lines for the zips and the manifest
#
#   bash scripts/release.sh [VERSION]        VERSION like 0.3.0; default: the crate's version
#
# linux_amd64 is always built, and linked statically so that it runs on any
# x86-64 Linux whatever its C library: with the x86_64-unknown-linux-musl target
# (added with rustup when missing and rustup can fetch it), else glibc's static
# libraries (-C target-feature=+crt-static). The script checks the result: an ELF
# with no program interpreter and no NEEDED shared library, or it fails.
#
# Environment:
#   TARGETS    other Rust targets to build, space-separated (default: every target
#              below); each one whose rust-std is installed is built, the others are
#              listed as skipped. Known: aarch64-unknown-linux-musl,
#              aarch64-unknown-linux-gnu (linux_arm64), x86_64-apple-darwin
#              (darwin_amd64), aarch64-apple-darwin (darwin_arm64),
#              x86_64-pc-windows-gnu (windows_amd64), x86_64-unknown-freebsd
#              (freebsd_amd64). A cross target also needs its linker (cargo's
#              usual CARGO_TARGET_<TRIPLE>_LINKER).
#   DIST_DIR   where to write (default: dist/ in the repository); files of other
#              versions there are left alone, this version's are replaced.
#   CARGO_TARGET_DIR  as for cargo (default: target/).
set -euo pipefail
shopt -s inherit_errexit

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { printf '[release] %s\n' "$*"; }
die() { printf '[release] error: %s\n' "$*" >&2; exit 1; }

if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
fi

# Run from cargo (a test), the caller's package variables would reach the build
# scripts of our dependencies (ring reruns when CARGO_MANIFEST_DIR changes) and
# make cargo rebuild what a plain run built (ring also reruns on OUT_DIR): drop them.
for var in $(compgen -e); do
    case "$var" in
        OUT_DIR | CARGO_MANIFEST_* | CARGO_PKG_* | CARGO_BIN_EXE_* | CARGO_CRATE_* | CARGO_PRIMARY_PACKAGE | CARGO_TARGET_TMPDIR | CARGO_RUSTC_CURRENT_DIR) unset "$var" ;;
    esac
done

name="terraform-provider-idcloudhost"
crate_version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)"
version="${1:-$crate_version}"
version="${version#v}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] ||
    die "VERSION must look like 1.2.3 (or 1.2.3-rc.1), got '$version'"

dist="${DIST_DIR:-$root/dist}"
mkdir -p "$dist"
dist="$(cd "$dist" && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac

installed_targets="$(rustup target list --installed 2>/dev/null || rustc -vV | sed -n 's/^host: //p')"
is_installed() { grep -qx "$1" <<<"$installed_targets"; }

# Reproducible zips: every entry dated from the last commit (or SOURCE_DATE_EPOCH).
epoch="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 315532800)}"

rm -f "$dist/${name}_${version}_"*
built=()

# build TRIPLE [extra RUSTFLAGS]: cargo build --release for one target; prints the binary's path.
build() {
    local triple="$1" flags="${2:-}"
    # The version the binary reports (src/version.rs): set only when it is not the
    # crate's, so that a build of the crate's version is the one cargo already has.
    local env=()
    if [ "$version" != "$crate_version" ]; then
        env+=(IDCLOUDHOST_PROVIDER_VERSION="$version")
    else
        env+=(-u IDCLOUDHOST_PROVIDER_VERSION)
    fi
    if [ -n "$flags" ]; then
        env+=("CARGO_TARGET_$(tr 'a-z-' 'A-Z_' <<<"$triple")_RUSTFLAGS=$flags")
    fi
    # ring compiles C for the target: for musl, Debian's musl-gcc when installed,
    # else the system gcc (ring's C needs no C library headers beyond the compiler's).
    local cc_var="CC_$(tr '-' '_' <<<"$triple")"
    if [[ "$triple" == x86_64-unknown-linux-musl ]] && [ -z "${!cc_var:-}" ]; then
        if command -v musl-gcc >/dev/null 2>&1; then env+=("$cc_var=musl-gcc"); else env+=("$cc_var=gcc"); fi
    fi
    say "cargo build --release --target $triple${flags:+ (RUSTFLAGS $flags)}" >&2
    env "${env[@]}" cargo build --release --locked --target "$triple" --bin "$name" >&2
    local exe=""
    [[ "$triple" == *windows* ]] && exe=".exe"
    printf '%s\n' "$target_dir/$triple/release/$name$exe"
}

# package OS_ARCH BINARY: the zip holding terraform-provider-idcloudhost_vVERSION.
package() {
    local platform="$1" binary="$2" exe=""
    [[ "$binary" == *.exe ]] && exe=".exe"
    local zip="$dist/${name}_${version}_${platform}.zip"
    python3 - "$binary" "$zip" "${name}_v${version}${exe}" "$epoch" <<'EOF'
import sys, time, zipfile
binary, out, member, epoch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
info = zipfile.ZipInfo(member, date_time=time.gmtime(max(epoch, 315532800))[:6])
info.compress_type = zipfile.ZIP_DEFLATED
info.external_attr = (0o100755 & 0xFFFF) << 16
info.create_system = 3  # Unix, so the mode above is honoured when unpacked
with open(binary, "rb") as f, zipfile.ZipFile(out, "w") as z:
    z.writestr(info, f.read(), compresslevel=9)
EOF
    built+=("$platform")
    say "wrote $zip" >&2
}

# --- linux_amd64: static, so no dependency on the build machine's glibc -------------
musl=x86_64-unknown-linux-musl
if ! is_installed "$musl" && command -v rustup >/dev/null 2>&1; then
    say "adding the $musl target (rustup target add)" >&2
    if timeout 300 rustup target add "$musl" >&2; then
        installed_targets="$(rustup target list --installed)"
    else
        say "rustup could not add $musl: linking glibc statically instead" >&2
    fi
fi
if is_installed "$musl"; then
    linux_amd64="$(build "$musl")"
    how="x86_64-unknown-linux-musl, statically linked"
else
    linux_amd64="$(build x86_64-unknown-linux-gnu "-C target-feature=+crt-static")"
    how="x86_64-unknown-linux-gnu with glibc linked statically (+crt-static)"
fi
[ -x "$linux_amd64" ] || die "no binary at $linux_amd64"
# The check the README promises: no program interpreter (ld-linux), no NEEDED library.
if LC_ALL=C readelf -l "$linux_amd64" | grep -q 'Requesting program interpreter'; then
    die "$linux_amd64 asks for a dynamic loader: $(LC_ALL=C readelf -l "$linux_amd64" | grep interpreter)"
fi
if LC_ALL=C readelf -d "$linux_amd64" | grep -q '(NEEDED)'; then
    die "$linux_amd64 needs shared libraries: $(LC_ALL=C readelf -d "$linux_amd64" | grep NEEDED | tr -s ' ')"
fi
say "linux_amd64: $how; $(file -b "$linux_amd64" 2>/dev/null | cut -d, -f1-5 || echo 'static ELF')" >&2
printed="$("$linux_amd64" --version)"
[ "$printed" = "$name $version" ] || die "$linux_amd64 --version printed '$printed', not '$name $version'"
package linux_amd64 "$linux_amd64"

# --- every other platform whose target is installed ---------------------------------
platform_of() {
    case "$1" in
        aarch64-unknown-linux-musl | aarch64-unknown-linux-gnu) echo linux_arm64 ;;
        x86_64-apple-darwin) echo darwin_amd64 ;;
        aarch64-apple-darwin) echo darwin_arm64 ;;
        x86_64-pc-windows-gnu | x86_64-pc-windows-msvc) echo windows_amd64 ;;
        x86_64-unknown-freebsd) echo freebsd_amd64 ;;
        *) return 1 ;;
    esac
}
skipped=()
for triple in ${TARGETS-aarch64-unknown-linux-musl aarch64-unknown-linux-gnu x86_64-apple-darwin aarch64-apple-darwin x86_64-pc-windows-gnu x86_64-unknown-freebsd}; do
    platform="$(platform_of "$triple")" || die "unknown target $triple (known: see the top of $0)"
    if [[ " ${built[*]} " == *" $platform "* ]]; then
        continue
    fi
    if ! is_installed "$triple"; then
        skipped+=("$triple")
        continue
    fi
    binary="$(build "$triple")"
    package "$platform" "$binary"
done

# --- the manifest and the sums --------------------------------------------------------
cp terraform-registry-manifest.json "$dist/${name}_${version}_manifest.json"
(
    cd "$dist"
    sha256sum "${name}_${version}_"*.zip "${name}_${version}_manifest.json" >"${name}_${version}_SHA256SUMS"
    sha256sum --quiet -c "${name}_${version}_SHA256SUMS"
)

say "version $version: built ${built[*]}"
[ "${#skipped[@]}" -eq 0 ] || say "skipped (Rust target not installed): ${skipped[*]}"
say "in $dist:"
(cd "$dist" && ls -l "${name}_${version}_"* | awk '{ printf "[release]   %10d  %s\n", $5, $9 }')
