#!/usr/bin/env bash
# The whole test suite: tools, formatting, lints, and every workspace test
# (unit tests and the Terraform acceptance tests against the simulator).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

banner() { printf '\n==> %s\n' "$*"; }

if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
fi

banner "tools"
bash "$root/scripts/tools.sh"

export IDCLOUDHOST_TEST_TERRAFORM="$root/.tools/bin/terraform"
export IDCLOUDHOST_TEST_TERRAFORM_1_0="$root/.tools/bin/terraform-1.0.3"
# No network here: never let Terraform try its version/upgrade check.
export CHECKPOINT_DISABLE=1

banner "cargo fmt --all -- --check"
cargo fmt --all -- --check

banner "cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

# One release build for the whole run: the size check measures it, and the release
# tests (tests/release.rs) run scripts/release.sh again, which finds it up to date.
banner "release build (scripts/release.sh) and its size (scripts/release-size.sh)"
bash "$root/scripts/release.sh"
bash "$root/scripts/release-size.sh"

banner "cargo test --workspace"
echo "IDCLOUDHOST_TEST_TERRAFORM=$IDCLOUDHOST_TEST_TERRAFORM"
echo "IDCLOUDHOST_TEST_TERRAFORM_1_0=$IDCLOUDHOST_TEST_TERRAFORM_1_0"
cargo test --workspace --no-fail-fast

banner "all checks passed"
