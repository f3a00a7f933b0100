#!/usr/bin/env bash
# Demo: build the provider and the simulator, start the simulator, apply the
# example stack in examples/demo/ against it, then show outputs, a no-op plan,
# drift (if examples/demo/drift.sh exists) and destroy.
#
# Environment:
#   TERRAFORM   Terraform CLI to use (default: .tools/bin/terraform, 1.15.x;
#               e.g. TERRAFORM=.tools/bin/terraform-1.0.3 for the oldest one)
#   BRAND       whose API to run against: idcloudhost (default), 3nv or elastis;
#               the simulator serves that brand's API and the stack leaves out
#               what the brand lacks (the demo says what and why)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

banner() {
    printf '\n'
    printf '=%.0s' $(seq 1 72)
    printf '\n== %s\n' "$*"
    printf '=%.0s' $(seq 1 72)
    printf '\n'
}
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
fi

brand="${BRAND:-idcloudhost}"
case "$brand" in
    idcloudhost | 3nv | elastis) ;;
    *) die "BRAND must be idcloudhost, 3nv or elastis (got '$brand')" ;;
esac

banner "Tools"
bash "$root/scripts/tools.sh"
tf="${TERRAFORM:-$root/.tools/bin/terraform}"
case "$tf" in /*) ;; *) tf="$root/$tf" ;; esac
[ -x "$tf" ] || die "terraform not found at $tf"

banner "Build (cargo build --release --workspace)"
cargo build --release --workspace
target_dir="$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
provider_bin="$target_dir/release/terraform-provider-idcloudhost"
sim_bin="$target_dir/release/idcloudhost-sim"
[ -x "$provider_bin" ] || die "provider binary not found: $provider_bin"
[ -x "$sim_bin" ] || die "simulator binary not found: $sim_bin"
provider_dir="$(dirname "$provider_bin")"

work="$root/demo-work"
rm -rf "$work"
mkdir -p "$work"

banner "Simulator"
sim_pid=""
cleanup() {
    if [ -n "$sim_pid" ] && kill -0 "$sim_pid" 2>/dev/null; then
        kill "$sim_pid" 2>/dev/null || true
        wait "$sim_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

sim_out="$work/sim.stdout"
sim_err="$work/sim.stderr"
"$sim_bin" --listen 127.0.0.1:0 --brand "$brand" >"$sim_out" 2>"$sim_err" </dev/null &
sim_pid=$!

sim_line=""
for _ in $(seq 1 300); do
    # Wait for a complete first line (terminated by a newline).
    if [ -s "$sim_out" ] && [ "$(wc -l <"$sim_out")" -ge 1 ]; then
        sim_line="$(head -n1 "$sim_out")"
        break
    fi
    if ! kill -0 "$sim_pid" 2>/dev/null; then
        cat "$sim_err" >&2 || true
        die "simulator exited before it was ready"
    fi
    sleep 0.1
done
case "$sim_line" in
    "listening on http://"*) sim_url="${sim_line#listening on }" ;;
    *)
        cat "$sim_err" >&2 || true
        die "simulator did not print 'listening on http://ADDR' within 30s (got: '$sim_line')"
        ;;
esac
echo "simulator pid $sim_pid at $sim_url (logs: $sim_err)"

# Terraform CLI configuration: use the freshly built provider binary directly.
cat >"$work/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/idcloudhost/idcloudhost" = "$provider_dir"
  }
  direct {}
}
EOF
cp "$root"/examples/demo/*.tf "$work"/

export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_INPUT=0
export CHECKPOINT_DISABLE=1
export IDCLOUDHOST_API_URL="$sim_url"
export IDCLOUDHOST_API_KEY="sim-key"
# The simulator's host says nothing about the brand: tell the provider, and the
# stack (variable "brand"), which one it is.
export IDCLOUDHOST_BRAND="$brand"
export TF_VAR_brand="$brand"
# The optional drift hook may want to know where it runs, and which terraform.
export DEMO_WORK_DIR="$work"
export TF_BIN="$tf"

tf_version="$("$tf" version)"
echo "terraform:      $tf (${tf_version%%$'\n'*})"
echo "provider:       $provider_bin"
echo "work dir:       $work"
echo "CLI config:     $TF_CLI_CONFIG_FILE"
echo "IDCLOUDHOST_API_URL=$IDCLOUDHOST_API_URL IDCLOUDHOST_API_KEY=$IDCLOUDHOST_API_KEY"
echo "IDCLOUDHOST_BRAND=$IDCLOUDHOST_BRAND"

banner "Brand: $brand"
case "$brand" in
    idcloudhost)
        echo "IDCloudHost (newest API): the whole stack." ;;
    3nv)
        echo "3nv.io (middle API). Skipped:"
        echo "  - idcloudhost_ssh_key: 3nv.io's API has no SSH keys; the VMs get the key as public_keys instead." ;;
    elastis)
        echo "elastis.id (oldest API). Skipped:"
        echo "  - idcloudhost_ssh_key: elastis.id's API has no SSH keys; the VMs get the key as public_keys instead."
        echo "  - idcloudhost_firewall and its attachments: elastis.id's API has no firewalls."
        echo "  - idcloudhost_service_package (PostgreSQL): elastis.id's API has no managed services."
        echo "  - data idcloudhost_boot_images: elastis.id's API has no boot images."
        echo "  - the data disk's name: elastis.id disks have no display_name." ;;
esac

# A real account already has its default network (the first network of a location
# becomes the default and can never be deleted); give the fresh simulator account one
# too, so the demo's own network can be destroyed at the end.
curl -sS -f -X POST -H "apikey: $IDCLOUDHOST_API_KEY" \
    "$IDCLOUDHOST_API_URL/v1/jkt01/network/network?name=default" >/dev/null

cd "$work"
failed=0

banner "terraform apply -auto-approve"
"$tf" apply -auto-approve -input=false

banner "terraform output"
"$tf" output

banner "terraform plan -detailed-exitcode (expect: no changes)"
set +e
"$tf" plan -detailed-exitcode -input=false
rc=$?
set -e
case "$rc" in
    0) echo ">> plan exit code 0: no changes, the applied stack matches the configuration." ;;
    2) echo ">> plan exit code 2: UNEXPECTED changes right after apply." >&2; failed=1 ;;
    *) echo ">> plan failed (exit code $rc)." >&2; failed=1 ;;
esac

hook="$root/examples/demo/drift.sh"
if [ -f "$hook" ] && [ -x "$hook" ]; then
    banner "Drift: examples/demo/drift.sh (out-of-band changes through the simulator API)"
    "$hook"

    banner "terraform plan (shows the drift)"
    set +e
    "$tf" plan -detailed-exitcode -input=false
    rc=$?
    set -e
    case "$rc" in
        0) echo ">> plan exit code 0: no drift detected." ;;
        2) echo ">> plan exit code 2: Terraform detected the drift and plans to fix it." ;;
        *) echo ">> plan failed (exit code $rc)." >&2; failed=1 ;;
    esac

    banner "terraform apply -auto-approve (puts the drifted VM back)"
    "$tf" apply -auto-approve -input=false
else
    banner "Drift: skipped (no executable examples/demo/drift.sh)"
fi

banner "terraform destroy -auto-approve"
"$tf" destroy -auto-approve -input=false

if [ "$failed" -ne 0 ]; then
    banner "Demo finished WITH ERRORS (see above)"
    exit 1
fi
banner "Demo finished OK"
