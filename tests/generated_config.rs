//! Configuration that Terraform generates for imported objects (`import {}` +
//! `plan -generate-config-out`) validates and plans with no changes, for every
//! resource type of the provider: the mechanism check that import, read and the
//! plan rules agree with each other.

mod common;

use std::collections::BTreeSet;

use common::Env;
use reqwest::Method;
use serde_json::{json, Value};

const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4mvUhGz0qjzhd4FqzZb2NSMRGXCuQEBxV1aCsH7Xhd ops@example";

/// One object of every resource type, in jkt01 (whose default network exists).
fn everything() -> String {
    format!(
        r#"
provider "idcloudhost" {{}}

resource "idcloudhost_network" "net" {{
  name = "app"
}}

resource "idcloudhost_vm" "vm" {{
  name              = "app-1"
  os_name           = "ubuntu"
  os_version        = "22.04-lts"
  vcpu              = 1
  ram_mb            = 1024
  network_uuid      = idcloudhost_network.net.id
  reserve_public_ip = false
  username          = "app"
  password          = "Secret123"
}}

resource "idcloudhost_floating_ip" "ip" {{
  name = "app-public"
}}

resource "idcloudhost_floating_ip_assignment" "ip" {{
  address = idcloudhost_floating_ip.ip.address
  vm_uuid = idcloudhost_vm.vm.id
}}

resource "idcloudhost_disk" "data" {{
  name    = "app-data"
  size_gb = 30
}}

resource "idcloudhost_disk_attachment" "data" {{
  vm_uuid   = idcloudhost_vm.vm.id
  disk_uuid = idcloudhost_disk.data.id
}}

resource "idcloudhost_firewall" "fw" {{
  name = "app"
  rule {{
    direction   = "inbound"
    protocol    = "tcp"
    port_start  = 22
    ip_prefixes = ["10.0.0.0/8"]
  }}
  rule {{
    direction  = "inbound"
    protocol   = "tcp"
    port_start = 8000
    port_end   = 8100
  }}
  rule {{
    direction = "inbound"
    protocol  = "icmp"
  }}
}}

resource "idcloudhost_firewall_attachment" "fw" {{
  firewall_uuid = idcloudhost_firewall.fw.id
  vm_uuid       = idcloudhost_vm.vm.id
}}

resource "idcloudhost_load_balancer" "lb" {{
  name         = "app"
  network_uuid = idcloudhost_network.net.id
  forwarding_rule {{
    source_port = 80
    target_port = 8080
  }}
  target {{
    target_uuid = idcloudhost_vm.vm.id
  }}
}}

resource "idcloudhost_service_package" "db" {{
  name              = "app-db"
  service           = "postgresql"
  version           = "14.0"
  vcpu              = 2
  ram_mb            = 4096
  disk_size_gb      = 40
  allowed_addresses = ["10.0.0.0/8"]
}}

resource "idcloudhost_ssh_key" "key" {{
  name       = "ops"
  public_key = "{KEY}"
}}

resource "idcloudhost_bucket" "bucket" {{
  name = "app-assets"
}}

resource "idcloudhost_s3_credential" "s3" {{}}

resource "idcloudhost_vm_snapshot" "snap" {{
  vm_uuid = idcloudhost_vm.vm.id
}}
"#
    )
}

/// The import ID of a resource in the state: `<location>/<id>` where the type
/// takes a location in its import ID, else its `id`.
fn import_id(resource: &Value) -> String {
    let values = &resource["values"];
    let id = values["id"].as_str().expect("every resource has an id");
    if resource["type"] == "idcloudhost_vm_snapshot" {
        let (location, vm) = (&values["location"], &values["vm_uuid"]);
        return format!(
            "{}/{}/{id}",
            location.as_str().unwrap(),
            vm.as_str().unwrap()
        );
    }
    let global = ["idcloudhost_service_package", "idcloudhost_ssh_key"];
    match values["location"].as_str() {
        Some(location)
            if !global.contains(&resource["type"].as_str().unwrap())
                && !id.starts_with(&format!("{location}/")) =>
        {
            format!("{location}/{id}")
        }
        _ => id.to_owned(),
    }
}

/// Every resource type the provider serves, from `terraform providers schema`.
fn provider_resource_types(env: &Env) -> BTreeSet<String> {
    let out = env.tf_ok(&["providers", "schema", "-json"]);
    let schema: Value = serde_json::from_str(&out.stdout).expect("schema JSON");
    schema["provider_schemas"]
        .as_object()
        .and_then(|p| p.values().next())
        .and_then(|p| p["resource_schemas"].as_object())
        .expect("resource schemas")
        .keys()
        .cloned()
        .collect()
}

#[test]
fn generated_configuration_validates_and_plans_no_changes_for_every_resource_type() {
    let env = Env::new();
    // The account's default network, as a real account has: the managed one is not it.
    env.api().json(
        Method::POST,
        "/v1/jkt01/network/network?name=default",
        json!({}),
    );
    env.write_config(&everything());
    env.apply();
    let state = env.show();
    let resources = state["values"]["root_module"]["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let created: BTreeSet<String> = resources
        .iter()
        .map(|r| r["type"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        created,
        provider_resource_types(&env),
        "the test creates one object of every resource type"
    );

    // Forget them, then import each one with an import block and let Terraform
    // write their configuration.
    std::fs::remove_file(env.path().join("terraform.tfstate")).expect("state file");
    let imports: String = resources
        .iter()
        .map(|r| {
            format!(
                "import {{\n  to = {}\n  id = \"{}\"\n}}\n",
                r["address"].as_str().unwrap(),
                import_id(r)
            )
        })
        .collect();
    env.write_config(&format!("provider \"idcloudhost\" {{}}\n{imports}"));
    let generated = env.tf(&[
        "plan",
        "-no-color",
        "-input=false",
        "-generate-config-out=generated.tf",
    ]);
    let text = std::fs::read_to_string(env.path().join("generated.tf")).unwrap_or_default();
    assert!(
        generated.success(),
        "the plan that generates configuration fails:\n{}\n{text}",
        generated.all()
    );

    env.tf_ok(&["validate", "-no-color"]);
    let plan = env.plan_json();
    let changes = plan["resource_changes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(changes.len(), resources.len(), "{plan}");
    for change in &changes {
        let address = change["address"].as_str().unwrap();
        let (actions, _) = Env::planned_change(&plan, address);
        assert_eq!(
            actions,
            ["no-op"],
            "{address}: only imported, no change; generated configuration:\n{text}\nchange: {}",
            change["change"]
        );
        assert!(
            !change["change"]["importing"].is_null(),
            "{address} is imported: {change}"
        );
    }
    env.apply();
    env.assert_no_changes();
}
