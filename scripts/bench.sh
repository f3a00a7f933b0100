#!/usr/bin/env bash
# Benchmarks of issue 19 against the simulator, each figure printed next to its
# floor. Not a test: it judges nothing and fails only when a step fails.
#
#   bash scripts/bench.sh [--runs N] [--vms N] [--only fip|plan|refresh]
#
#   fip      20 idcloudhost_floating_ip creates, `terraform apply -parallelism=10`
#            (plan and apply phases together) with 500 ms API latency, against
#            the 2 s floor: two configure round trips plus two waves of creates.
#   plan     `terraform plan` of 200 imported idcloudhost_vm against the plan of
#            200 terraform_data resources with 30-key objects (Terraform's floor
#            for as many resources of that size), no latency.
#   refresh  `terraform plan` of --vms imported VMs (default 2000) spread over 4
#            locations (the simulator's three and a fourth it serves with
#            --extra-location), at a quarter, half and all of them: list calls per
#            list endpoint (floor: one per location) and time per VM (linear growth
#            keeps it flat).
#
# Figures are medians of --runs runs (default 5) of whole `terraform` commands;
# the machine is shared, so compare the ratios, not the absolute times. The plan
# runs alternate (VMs, floor, VMs, ...) and each pair gives a ratio, wall and CPU
# (user + system of Terraform and its provider processes): the median pair ratio
# holds better than a ratio of medians when the machine's load drifts.
# The provider is the release binary (scripts/release.sh, or PROVIDER_ZIP), the
# simulator a release build (or SIM_BIN); Terraform is .tools/bin/terraform
# (TERRAFORM to change).
set -euo pipefail
shopt -s inherit_errexit

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs=5
vms=2000
only=""
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --vms) vms="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        -h | --help) sed -n '2,26p' "$0"; exit 0 ;;
        *) echo "bench: unknown argument $1" >&2; exit 2 ;;
    esac
done
say() { printf '[bench] %s\n' "$*" >&2; }

if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
fi
bash scripts/tools.sh >/dev/null
tf="${TERRAFORM:-$root/.tools/bin/terraform}"

work="$(mktemp -d "${TMPDIR:-/tmp}/idcloudhost-bench.XXXXXX")"
sim_pid=""
cleanup() {
    if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# --- the release binary and the simulator ------------------------------------------
# PROVIDER_ZIP (a release zip) and SIM_BIN (a simulator binary) skip the builds.
zip="${PROVIDER_ZIP:-}"
if [ -z "$zip" ]; then
    say "release build (scripts/release.sh)"
    DIST_DIR="$work/dist" TARGETS="" bash scripts/release.sh >/dev/null
    zip="$(ls "$work"/dist/*_linux_amd64.zip)"
fi
sim_bin="${SIM_BIN:-}"
if [ -z "$sim_bin" ]; then
    say "simulator (cargo build --release -p idcloudhost-sim)"
    cargo build --release --locked -p idcloudhost-sim >/dev/null 2>&1
    sim_bin="${CARGO_TARGET_DIR:-$root/target}/release/idcloudhost-sim"
fi
mkdir -p "$work/provider"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$zip" "$work/provider"
chmod +x "$work"/provider/terraform-provider-idcloudhost_v*

# A fourth location for the refresh benchmark (the documents let an account have
# any number; the simulator serves the examples' three unless told).
extra_location=sby01
"$sim_bin" --listen 127.0.0.1:0 --extra-location "$extra_location" >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
for _ in $(seq 1 100); do [ -s "$work/sim.out" ] && break; sleep 0.1; done
sim="$(sed -n 's/^listening on //p' "$work/sim.out")"
[ -n "$sim" ] || { cat "$work/sim.err" >&2; exit 1; }

cat >"$work/cli.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/idcloudhost/idcloudhost" = "$work/provider"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
export IDCLOUDHOST_API_URL="$sim" IDCLOUDHOST_API_KEY=sim-key
unset IDCLOUDHOST_LOCATION IDCLOUDHOST_BILLING_ACCOUNT_ID IDCLOUDHOST_BRAND TF_LOG

# helper: the simulator's control endpoints, VM creation, request-log summaries.
helper() { python3 "$work/helper.py" "$sim" "$@"; }
cat >"$work/helper.py" <<'EOF'
import json, re, sys, urllib.parse, urllib.request
from collections import Counter
sim, cmd, args = sys.argv[1], sys.argv[2], sys.argv[3:]
def call(method, path, body=None, form=None):
    data, headers = None, {"apikey": "sim-key"}
    if body is not None:
        data, headers["content-type"] = json.dumps(body).encode(), "application/json"
    if form is not None:
        data = urllib.parse.urlencode(form, quote_via=urllib.parse.quote).encode()
        headers["content-type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(sim + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req) as resp:
        text = resp.read()
    return json.loads(text) if text.strip() else None
if cmd == "reset":
    call("POST", "/__sim/reset")
elif cmd == "latency":
    call("POST", "/__sim/faults", body={"error_rate": 0, "latency_ms": int(args[0])})
elif cmd == "vms":  # N LOCATION... -> vms.json {key: {location, uuid, name}}
    n, locations = int(args[0]), args[1:]
    out = {}
    for i in range(n):
        loc = locations[i % len(locations)]
        vm = call("POST", f"/v1/{loc}/user-resource/vm", form={
            "name": f"bench-{i}", "os_name": "ubuntu", "os_version": "22.04-lts",
            "vcpu": "1", "ram": "1024", "disks": "20", "reserve_public_ip": "false"})
        out[f"vm{i}"] = {"location": loc, "uuid": vm["uuid"], "name": f"bench-{i}"}
    print(json.dumps(out))
elif cmd == "clear-log":
    call("DELETE", "/__sim/requests")
elif cmd == "log":  # summary: total, per list endpoint (location folded) max calls
    log = call("GET", "/__sim/requests")
    gets = Counter()
    per_loc = Counter()
    for r in log:
        if r["method"] == "GET":
            fold = re.sub(r"^/v1/(jkt01|jkt02|sgp01|sby01)/", "/v1/{location}/", r["path"])
            gets[fold] += 1
    methods = Counter(r["method"] for r in log)
    print(json.dumps({"total": len(log), "methods": methods, "gets": gets}))
elif cmd == "median":
    xs = sorted(float(a) for a in args)
    print(f"{xs[len(xs) // 2]:.2f}")
elif cmd == "pairs":  # N A1..AN B1..BN -> the ratios Ai/Bi: median (min to max)
    n = int(args[0])
    a, b = [float(x) for x in args[1:1 + n]], [float(x) for x in args[1 + n:1 + 2 * n]]
    rs = sorted(x / y for x, y in zip(a, b))
    print(f"median {rs[len(rs) // 2]:.2f} (min {rs[0]:.2f}, max {rs[-1]:.2f}, {n} pairs)")
elif cmd == "run":  # TERRAFORM DIR OUT ARGS... -> wall and CPU seconds of one run
    import os, resource, subprocess, time
    tf, cwd, out = args[0], args[1], args[2]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    with open(out, "wb") as log:
        rc = subprocess.call([tf, *args[3:]], cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if rc != 0:
        sys.stderr.write(open(out, errors="replace").read())
        sys.exit(1)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"{wall:.3f} {cpu:.3f}")
EOF

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# time_tf DIR ARGS...: one terraform run's wall seconds (fails loudly on error).
time_tf() {
    local dir="$1"; shift
    local start end
    start="$(now)"
    if ! (cd "$dir" && "$tf" "$@" >"$work/last.out" 2>&1); then
        cat "$work/last.out" >&2
        return 1
    fi
    end="$(now)"
    elapsed "$start" "$end"
}
tf_in() { local dir="$1"; shift; (cd "$dir" && "$tf" "$@" >"$work/last.out" 2>&1) || { cat "$work/last.out" >&2; return 1; }; }
results=()
report() { results+=("$(printf '%-58s %s' "$1" "$2")"); printf '%-58s %s\n' "$1" "$2"; }

# write_vm_config DIR: idcloudhost_vm for each VM of DIR/vms.json, and the
# import blocks that adopt them (DIR/import.tf, removed by import_vms).
write_vm_config() {
    cat >"$1/import.tf" <<'EOF'
import {
  for_each = local.vms
  to       = idcloudhost_vm.vm[each.key]
  id       = "${each.value.location}/${each.value.uuid}"
}
EOF
    cat >"$1/main.tf" <<'EOF'
terraform {
  required_providers {
    idcloudhost = { source = "idcloudhost/idcloudhost" }
  }
}
provider "idcloudhost" {}
locals {
  vms = jsondecode(file("${path.module}/vms.json"))
}
resource "idcloudhost_vm" "vm" {
  for_each          = local.vms
  location          = each.value.location
  name              = each.value.name
  os_name           = "ubuntu"
  os_version        = "22.04-lts"
  vcpu              = 1
  ram_mb            = 1024
  disk_size_gb      = 20
  reserve_public_ip = false
}
EOF
}

# import_vms DIR [ARGS]: apply DIR's configuration, which imports its VMs, then
# drop the import blocks as a user may once the VMs are in the state: the timed
# plans are of imported VMs with no import left to check (the floor has none).
import_vms() {
    tf_in "$1" apply -auto-approve -input=false "${@:2}"
    rm "$1/import.tf"
}

# --- 1. 20 floating IPs at parallelism 10, 500 ms latency --------------------------
if [ -z "$only" ] || [ "$only" = fip ]; then
    say "fip: 20 floating IP creates, -parallelism=10, 500 ms latency, $runs runs"
    d="$work/fip"; mkdir -p "$d"
    cat >"$d/main.tf" <<'EOF'
terraform {
  required_providers {
    idcloudhost = { source = "idcloudhost/idcloudhost" }
  }
}
provider "idcloudhost" {}
resource "idcloudhost_floating_ip" "ip" {
  count = 20
  name  = "bench-${count.index}"
}
EOF
    times=()
    for _ in $(seq 1 "$runs"); do
        helper reset
        rm -f "$d"/terraform.tfstate*
        helper latency 500
        times+=("$(time_tf "$d" apply -auto-approve -input=false -parallelism=10)")
        calls="$(helper log)"
    done
    median="$(helper median "${times[@]}")"
    report "20 floating IP creates at parallelism 10, 500 ms latency" \
        "${median} s  floor 2.00 s  ratio $(ratio "$median" 2) (goal <= 1.60)  [runs: ${times[*]}]"
    report "  API requests of the last run" "$calls"
    helper reset
fi

# --- 2. plan of 200 imported VMs vs 200 terraform_data with 30-key objects ----------
if [ -z "$only" ] || [ "$only" = plan ]; then
    say "plan: 200 imported VMs vs 200 terraform_data (30-key objects), $runs runs each"
    helper reset
    d="$work/vms200"; mkdir -p "$d"
    helper vms 200 jkt01 >"$d/vms.json"
    write_vm_config "$d"
    import_vms "$d"
    set +e
    (cd "$d" && "$tf" plan -detailed-exitcode -input=false >"$work/last.out" 2>&1)
    rc=$?
    set -e
    [ "$rc" -eq 0 ] || { say "note: the plan after import is not empty (exit $rc)"; tail -20 "$work/last.out" >&2; }

    f="$work/data200"; mkdir -p "$f"
    python3 - "$f/main.tf" <<'EOF'
import sys
keys = "\n".join(f"    key{k:02d} = \"value-{k:02d}-${{count.index}}\"" for k in range(30))
open(sys.argv[1], "w").write(f'''resource "terraform_data" "d" {{
  count = 200
  input = {{
{keys}
  }}
}}
''')
EOF
    tf_in "$f" apply -auto-approve -input=false

    # In pairs (VMs, then the floor), each run's wall seconds and CPU seconds
    # (user + system of Terraform and the provider processes it waited for).
    vm_times=(); data_times=(); vm_cpu=(); data_cpu=()
    for _ in $(seq 1 "$runs"); do
        run="$(helper run "$tf" "$d" "$work/last.out" plan -input=false)"
        vm_times+=("${run% *}"); vm_cpu+=("${run#* }")
        run="$(helper run "$tf" "$f" "$work/last.out" plan -input=false)"
        data_times+=("${run% *}"); data_cpu+=("${run#* }")
    done
    vm_median="$(helper median "${vm_times[@]}")"
    data_median="$(helper median "${data_times[@]}")"
    report "plan of 200 imported VMs" "${vm_median} s  [runs: ${vm_times[*]}]"
    report "plan of 200 terraform_data, 30-key objects (floor)" "${data_median} s  [runs: ${data_times[*]}]"
    report "  ratio of the run pairs (wall)" "$(helper pairs "${#vm_times[@]}" "${vm_times[@]}" "${data_times[@]}")"
    report "  ratio of the run pairs (CPU: $(helper median "${vm_cpu[@]}") s vs $(helper median "${data_cpu[@]}") s)" \
        "$(helper pairs "${#vm_cpu[@]}" "${vm_cpu[@]}" "${data_cpu[@]}")"
    report "  ratio VMs / floor (medians)" "$(ratio "$vm_median" "$data_median") (goal <= 1.15)"
    helper reset
fi

# --- 3. refresh of many VMs across locations ----------------------------------------
if [ -z "$only" ] || [ "$only" = refresh ]; then
    locations=(jkt01 jkt02 sgp01 "$extra_location")
    for n in $((vms / 4)) $((vms / 2)) "$vms"; do
        say "refresh: $n VMs across ${locations[*]}"
        helper reset
        d="$work/refresh$n"; mkdir -p "$d"
        helper vms "$n" "${locations[@]}" >"$d/vms.json"
        write_vm_config "$d"
        import_vms "$d" -parallelism=20
        helper clear-log
        t="$(time_tf "$d" plan -input=false)"
        calls="$(helper log)"
        per_endpoint="$(python3 -c 'import json, sys; g = json.loads(sys.argv[1])["gets"]; print(max(g.values()) if g else 0)' "$calls")"
        report "plan (refresh) of $n VMs in ${#locations[@]} locations" \
            "${t} s  $(awk -v t="$t" -v n="$n" 'BEGIN { printf "%.2f ms/VM", 1000 * t / n }')  list calls per endpoint: max ${per_endpoint} (floor ${#locations[@]}, one per location)"
        report "  GET requests of that plan" "$(python3 -c 'import json, sys; print(json.dumps(json.loads(sys.argv[1])["gets"]))' "$calls")"
    done
    helper reset
fi

version="$("$tf" version)"
printf '\n== summary (medians; %s) ==\n' "${version%%$'\n'*}"
printf '%s\n' "${results[@]}"
