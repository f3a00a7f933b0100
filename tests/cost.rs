//! What a plan costs (issue 21), through the real `terraform` binary against the
//! simulator, on the newest Terraform and on 1.0.3:
//!
//! - a plan creating VMs (Linux and Windows, backup on and off), a disk, a snapshot
//!   and a bucket shows every estimate known and equal to the formula computed
//!   here from the simulator's policy; re-planning after apply is empty;
//! - a VM resize plans the old and the new estimate in the same diff;
//! - `idcloudhost_usage` is the simulator's charges, and a month of them is what
//!   the monthly estimate said;
//! - changed prices show on the next refresh, and the plan after it stays empty;
//! - a price missing from the policy leaves the estimate null with a warning.

mod common;

use std::path::PathBuf;

use common::{terraform_1_0_binary, terraform_binary, Action, Env};
use serde_json::{json, Value};

/// The policy's prices per hour, read here independently of the provider.
struct Prices {
    cpu: f64,
    ram_mb: f64,
    main: f64,
    backup: f64,
    snapshot: f64,
    windows: f64,
    object_gb: f64,
}

fn prices(policy: &Value) -> Prices {
    let items = policy["policy"].as_array().expect("policy");
    let kind = |t: &str, k: &str| {
        items
            .iter()
            .find(|p| p["resourceType"] == t && p["serviceNameInUptime"] == k)
            .map(|p| p["price"].as_f64().unwrap())
            .unwrap_or(f64::NAN)
    };
    let cpu = items.iter().find(|p| p["resourceType"] == "CPU").unwrap();
    let ram = items
        .iter()
        .filter(|p| p["resourceType"] == "RAM")
        .max_by_key(|p| p["megsRam"].as_i64().unwrap())
        .unwrap();
    Prices {
        cpu: cpu["price"].as_f64().unwrap() / cpu["numCpus"].as_f64().unwrap(),
        ram_mb: ram["price"].as_f64().unwrap() / ram["megsRam"].as_f64().unwrap(),
        main: kind("STORAGE", "main"),
        backup: kind("STORAGE", "backup"),
        snapshot: kind("STORAGE", "snapshot"),
        windows: kind("LICENSE", "windows"),
        object_gb: kind("OBJECT_STORAGE", "object_storage"),
    }
}

impl Prices {
    fn vm(&self, vcpu: f64, ram_mb: f64, disk_gb: f64, backup: bool, windows: bool) -> f64 {
        let mut h = vcpu * self.cpu + ram_mb * self.ram_mb + disk_gb * self.main;
        if backup {
            h += disk_gb * self.backup;
        }
        if windows {
            h += vcpu * self.windows;
        }
        h
    }
}

fn policy(env: &Env) -> Value {
    env.api().get("/v1/pricing/policy")
}

fn control(env: &Env, method: reqwest::Method, path: &str, body: Option<Value>) {
    let http = reqwest::blocking::Client::new();
    let mut req = http.request(method, format!("{}{path}", env.sim.url()));
    if let Some(body) = body {
        req = req.json(&body);
    }
    let resp = req.send().expect("simulator reachable");
    assert!(resp.status().is_success(), "{path}: {}", resp.status());
}

/// Asserts an estimate pair is known and equal to `hourly` (and × 730).
fn assert_estimate(address: &str, values: &Value, hourly: f64) {
    let got = values["estimated_hourly_cost"]
        .as_f64()
        .unwrap_or_else(|| panic!("{address}: hourly estimate not known: {values}"));
    assert!(
        (got - hourly).abs() < 1e-8,
        "{address}: hourly {got}, formula {hourly}"
    );
    let monthly = values["estimated_monthly_cost"]
        .as_f64()
        .unwrap_or_else(|| panic!("{address}: monthly estimate not known: {values}"));
    assert!(
        (monthly - hourly * 730.0).abs() <= 0.005 + 1e-9,
        "{address}: monthly {monthly}, formula {}",
        hourly * 730.0
    );
}

const BASE: &str = r#"
provider "idcloudhost" {}

resource "idcloudhost_vm" "base" {
  name       = "base"
  os_name    = "ubuntu"
  os_version = "24.04-lts"
  vcpu       = 1
  ram_mb     = 1024
  reserve_public_ip = false
}
"#;

fn stack(linux_vcpu: i64, linux_ram: i64, extra: &str) -> String {
    format!(
        r#"{BASE}
resource "idcloudhost_vm" "linux" {{
  name         = "linux"
  os_name      = "ubuntu"
  os_version   = "24.04-lts"
  vcpu         = {linux_vcpu}
  ram_mb       = {linux_ram}
  disk_size_gb = 20
  reserve_public_ip = false
}}

resource "idcloudhost_vm" "linux_backup" {{
  name         = "linux-backup"
  os_name      = "ubuntu"
  os_version   = "24.04-lts"
  vcpu         = 1
  ram_mb       = 1024
  disk_size_gb = 30
  backup       = true
  reserve_public_ip = false
}}

resource "idcloudhost_vm" "windows" {{
  name         = "windows"
  os_name      = "windows"
  os_version   = "2022"
  vcpu         = 2
  ram_mb       = 2048
  disk_size_gb = 40
  reserve_public_ip = false
}}

resource "idcloudhost_disk" "data" {{
  size_gb = 50
}}

resource "idcloudhost_vm_snapshot" "base" {{
  vm_uuid = idcloudhost_vm.base.id
}}

resource "idcloudhost_bucket" "files" {{
  name = "cost-files"
}}
{extra}"#
    )
}

/// The expected hourly estimate of each address of `stack(linux_vcpu, linux_ram)`.
fn expected(p: &Prices, linux_vcpu: f64, linux_ram: f64) -> Vec<(&'static str, f64)> {
    vec![
        (
            "idcloudhost_vm.linux",
            p.vm(linux_vcpu, linux_ram, 20.0, false, false),
        ),
        (
            "idcloudhost_vm.linux_backup",
            p.vm(1.0, 1024.0, 30.0, true, false),
        ),
        (
            "idcloudhost_vm.windows",
            p.vm(2.0, 2048.0, 40.0, false, true),
        ),
        ("idcloudhost_disk.data", 50.0 * p.main),
        ("idcloudhost_vm_snapshot.base", 20.0 * p.snapshot),
        ("idcloudhost_bucket.files", 0.0 * p.object_gb),
    ]
}

fn resource_values(state: &Value, address: &str) -> Value {
    state["values"]["root_module"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("{address} not in state"))["values"]
        .clone()
}

fn plans_and_charges(terraform: PathBuf) {
    let env = Env::with_terraform(terraform);
    env.apply_config(BASE);

    // Every estimate of the creates is known in the plan and is the formula.
    env.write_config(&stack(2, 2048, ""));
    let p = prices(&policy(&env));
    env.api().clear_requests();
    let plan = env.plan_check();
    // Seven estimates, one provider process for the plan: one read of the policy.
    let reads = env
        .api()
        .requests()
        .into_iter()
        .filter(|(m, path, _)| m == "GET" && path.starts_with("/v1/pricing/policy"))
        .count();
    assert_eq!(reads, 1, "the policy is read once per provider process");
    for (address, hourly) in expected(&p, 2.0, 2048.0) {
        assert_eq!(plan.action(address), Action::Create, "{address}");
        assert_estimate(address, plan.after(address), hourly);
    }
    env.apply();
    env.assert_no_changes();
    let state = env.show();
    for (address, hourly) in expected(&p, 2.0, 2048.0) {
        assert_estimate(address, &resource_values(&state, address), hourly);
    }

    // A resize plans the old and the new estimate in the same diff.
    env.write_config(&stack(4, 4096, ""));
    let plan = env.plan_check();
    assert_eq!(plan.action("idcloudhost_vm.linux"), Action::Update);
    assert_estimate(
        "before",
        plan.before("idcloudhost_vm.linux"),
        p.vm(2.0, 2048.0, 20.0, false, false),
    );
    assert_estimate(
        "after",
        plan.after("idcloudhost_vm.linux"),
        p.vm(4.0, 4096.0, 20.0, false, false),
    );
    env.write_config(&stack(2, 2048, ""));

    // A month of charges: the usage data source is the simulator's, and each VM
    // costs what its monthly estimate said (it ran a few seconds before the clock
    // was frozen).
    control(
        &env,
        reqwest::Method::POST,
        "/__sim/clock",
        Some(json!({"frozen": true, "advance_hours": 730})),
    );
    let billing = env.api().billing_account_ids()[0];
    let usage_config = format!(
        r#"
data "idcloudhost_usage" "now" {{}}
output "usage" {{ value = data.idcloudhost_usage.now }}
data "idcloudhost_usage" "named" {{
  billing_account_id = {billing}
}}
output "named" {{ value = data.idcloudhost_usage.named }}
data "idcloudhost_pricing" "now" {{}}
output "pricing" {{ value = data.idcloudhost_pricing.now.policy }}
"#
    );
    env.apply_config(&stack(2, 2048, &usage_config));
    let outputs = env.outputs();
    let usage = outputs["usage"].clone();
    // The account named explicitly is the provider's default one: the same charges.
    assert_eq!(outputs["named"], usage);

    // The pricing data source is the policy, entry by entry, renamed.
    let served = policy(&env);
    let served = served["policy"].as_array().unwrap();
    let listed = outputs["pricing"].as_array().expect("policy list");
    assert_eq!(listed.len(), served.len(), "{listed:?}");
    for (entry, price) in listed.iter().zip(served) {
        assert_eq!(entry["policy_id"], price["policyId"], "{entry}");
        assert_eq!(entry["resource_type"], price["resourceType"], "{entry}");
        assert_eq!(entry["name"], price["serviceNameUserFriendly"], "{entry}");
        assert_eq!(entry["price"].as_f64(), price["price"].as_f64(), "{entry}");
        assert_eq!(entry["num_cpus"], price["numCpus"], "{entry}");
        assert_eq!(entry["megs_ram"], price["megsRam"], "{entry}");
        assert_eq!(entry["kind"], price["serviceNameInUptime"], "{entry}");
    }
    let charges = env
        .api()
        .get(&format!("/v1/charging/usage?billing_account_id={billing}"));
    let charges = charges.as_array().unwrap();
    let entries = usage["entries"].as_array().unwrap();
    assert_eq!(entries.len(), charges.len(), "{usage}");
    for (entry, charge) in entries.iter().zip(charges) {
        for key in ["owner_uuid", "description", "uptime_types"] {
            assert_eq!(entry[key], charge[key], "{key} of {charge}");
        }
        for key in ["hours", "price", "cost"] {
            assert_eq!(
                entry[key].as_f64(),
                charge[key].as_f64(),
                "{key} of {charge}"
            );
        }
    }
    let total: f64 = charges.iter().map(|c| c["cost"].as_f64().unwrap()).sum();
    assert!((usage["total_cost"].as_f64().unwrap() - total).abs() < 1e-7);
    assert_eq!(usage["billing_account_id"], billing);
    let state = env.show();
    for address in [
        "idcloudhost_vm.linux",
        "idcloudhost_vm.windows",
        "idcloudhost_disk.data",
    ] {
        let values = resource_values(&state, address);
        let uuid = values["id"].as_str().unwrap();
        let charged = charges
            .iter()
            .find(|c| c["owner_uuid"] == uuid)
            .unwrap_or_else(|| panic!("{address} not charged"))["cost"]
            .as_f64()
            .unwrap();
        let monthly = values["estimated_monthly_cost"].as_f64().unwrap();
        assert!(
            (charged - monthly).abs() < 0.02,
            "{address}: charged {charged} for 730 h, estimated {monthly}"
        );
    }

    // A bucket is estimated by what it stores: 3 GiB written to it show on the
    // next refresh, and the plan after it is empty.
    env.apply_config(&stack(2, 2048, ""));
    control(
        &env,
        reqwest::Method::POST,
        "/__sim/buckets/cost-files/objects",
        Some(json!({"count": 3, "size_bytes": 3_i64 * 1024 * 1024 * 1024})),
    );
    env.refresh_only();
    assert_estimate(
        "idcloudhost_bucket.files",
        &resource_values(&env.show(), "idcloudhost_bucket.files"),
        3.0 * p.object_gb,
    );
    env.assert_no_changes();

    // Changed prices show on the next refresh, and the plan after it is empty.
    let mut changed = policy(&env);
    for item in changed["policy"].as_array_mut().unwrap() {
        if item["resourceType"] == "CPU" {
            item["price"] = json!(item["price"].as_f64().unwrap() * 2.0);
        }
    }
    control(
        &env,
        reqwest::Method::PUT,
        "/__sim/pricing",
        Some(changed.clone()),
    );
    let doubled = prices(&changed);
    env.refresh_only();
    let state = env.show();
    assert_estimate(
        "idcloudhost_vm.linux",
        &resource_values(&state, "idcloudhost_vm.linux"),
        doubled.vm(2.0, 2048.0, 20.0, false, false),
    );
    env.assert_no_changes();
}

fn missing_price(terraform: PathBuf) {
    let env = Env::with_terraform(terraform);
    env.apply_config(&stack(2, 2048, ""));
    // No Windows licence price (policyId 1030 in the documents).
    control(&env, reqwest::Method::DELETE, "/__sim/pricing/1030", None);
    assert!(!policy(&env).to_string().contains("windows"));
    let p = prices(&policy(&env));
    let extra = r#"
resource "idcloudhost_vm" "windows2" {
  name       = "windows2"
  os_name    = "windows"
  os_version = "2022"
  vcpu       = 2
  ram_mb     = 2048
  reserve_public_ip = false
}
"#;
    env.write_config(&stack(2, 2048, extra));
    let plan = env.plan_check();
    let change = plan.change("idcloudhost_vm.windows2").clone();
    for name in ["estimated_hourly_cost", "estimated_monthly_cost"] {
        assert_eq!(change["change"]["after"][name], Value::Null, "{change}");
        assert_ne!(
            change["change"]["after_unknown"][name],
            json!(true),
            "{change}"
        );
    }
    // Linux VMs keep a known estimate; the refreshed Windows VM has none.
    assert_estimate(
        "idcloudhost_vm.linux",
        plan.after("idcloudhost_vm.linux"),
        p.vm(2.0, 2048.0, 20.0, false, false),
    );
    let windows = plan.after("idcloudhost_vm.windows");
    assert_eq!(windows["estimated_hourly_cost"], Value::Null, "{windows}");
    // The warning names the missing price (the text is the feature).
    let out = env.tf(&["plan", "-no-color", "-input=false"]);
    assert!(out.success(), "{}", out.all());
    let text = out.all();
    assert!(
        text.contains("No cost estimate for idcloudhost_vm")
            && text.contains("no price for LICENSE windows"),
        "{text}"
    );
    env.apply();
    let state = env.show();
    assert_eq!(
        resource_values(&state, "idcloudhost_vm.windows2")["estimated_monthly_cost"],
        Value::Null
    );
    env.assert_no_changes();
}

#[test]
fn estimates_in_plans_and_charges_terraform_newest() {
    plans_and_charges(terraform_binary());
}

#[test]
fn estimates_in_plans_and_charges_terraform_1_0() {
    plans_and_charges(terraform_1_0_binary());
}

#[test]
fn a_missing_price_leaves_the_estimate_null_with_a_warning_terraform_newest() {
    missing_price(terraform_binary());
}

#[test]
fn a_missing_price_leaves_the_estimate_null_with_a_warning_terraform_1_0() {
    missing_price(terraform_1_0_binary());
}

const GUIDE_EXAMPLE: &str = include_str!("../examples/guides/cost/main.tf");

/// The cost guide's example: the configuration's monthly cost is an output known
/// in the plan, before anything exists, equal to the formula; a change of
/// `workers` plans the new total.
#[test]
fn the_guides_example_shows_the_configurations_cost_at_plan() {
    let guide = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/guides/cost.md"),
    )
    .unwrap();
    // Its configuration part (the comment line above it is the guide's prose).
    let shown = GUIDE_EXAMPLE
        .split("\n\n# This month's charges")
        .next()
        .and_then(|text| text.find("variable").map(|at| &text[at..]))
        .unwrap();
    assert!(
        guide.contains(shown),
        "the guide shows examples/guides/cost/main.tf as it is"
    );
    let env = Env::new();
    env.write_config(&format!("provider \"idcloudhost\" {{}}\n{GUIDE_EXAMPLE}"));
    let p = prices(&policy(&env));
    let total = |workers: f64| {
        // Each estimate is rounded to the cent; the sum of 4 or 6 of them.
        (workers * p.vm(2.0, 4096.0, 20.0, true, false) + 100.0 * p.main) * 730.0
    };
    let monthly = |plan: &Value| {
        assert_eq!(
            plan["output_changes"]["monthly_cost"]["after_unknown"],
            json!(false),
            "known at plan: {}",
            plan["output_changes"]
        );
        plan["planned_values"]["outputs"]["monthly_cost"]["value"]
            .as_f64()
            .unwrap_or_else(|| panic!("{}", plan["planned_values"]["outputs"]))
    };
    let planned = monthly(&env.plan_json());
    assert!(
        (planned - total(3.0)).abs() < 0.03,
        "{planned} vs {}",
        total(3.0)
    );
    env.tf_ok(&[
        "plan",
        "-no-color",
        "-input=false",
        "-var",
        "workers=5",
        "-out=tfplan",
    ]);
    let five: Value =
        serde_json::from_str(&env.tf_ok(&["show", "-json", "tfplan"]).stdout).unwrap();
    let planned = monthly(&five);
    assert!(
        (planned - total(5.0)).abs() < 0.03,
        "{planned} vs {}",
        total(5.0)
    );
    env.apply();
    assert_eq!(
        env.outputs()["monthly_cost"].as_f64(),
        Some(monthly(&env.plan_json()))
    );
    assert!(env.outputs()["charged_this_month"].is_number());
}
