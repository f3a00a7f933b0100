//! The lookup data sources (`idcloudhost_vm`, `idcloudhost_vms`, ... for every
//! resource type) through the real terraform binary against the simulator: they
//! export what the resources hold, filter and sort, fail clearly, and any number
//! of them costs a few list calls per location.

mod common;

use common::{hcl, terraform_1_0_binary, Env};
use serde_json::Value;

const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4mvUhGz0qjzhd4FqzZb2NSMRGXCuQEBxV1aCsH7Xhd ops@example";

fn resources_config() -> String {
    format!(
        r#"
provider "idcloudhost" {{}}
resource "idcloudhost_network" "net" {{
  name = "lookup-net"
}}
{web_vm}
resource "idcloudhost_floating_ip" "spare" {{
  name = "spare"
}}
resource "idcloudhost_disk" "data" {{
  name    = "data"
  size_gb = 20
}}
resource "idcloudhost_firewall" "web" {{
  name = "web-fw"
  rule {{
    direction  = "inbound"
    protocol   = "tcp"
    port_start = 22
  }}
}}
resource "idcloudhost_load_balancer" "web" {{
  name         = "web-lb"
  network_uuid = idcloudhost_network.net.id
{rule}{target}}}
resource "idcloudhost_ssh_key" "ops" {{
  name       = "ops"
  public_key = "{KEY}"
}}
resource "idcloudhost_service_package" "db" {{
  name         = "orders-db"
  service      = "postgresql"
  version      = "14.0"
  vcpu         = 2
  ram_mb       = 4096
  disk_size_gb = 40
}}
resource "idcloudhost_bucket" "assets" {{
  name = "lookup-assets"
}}
"#,
        web_vm = hcl::web_vm("network_uuid = idcloudhost_network.net.id"),
        rule = hcl::forwarding_rule(80, 80),
        target = hcl::lb_target("idcloudhost_vm.web.id"),
    )
}

/// (resource type, resource name, the name to look it up by)
const LOOKED_UP: &[(&str, &str, &str)] = &[
    ("vm", "web", "web"),
    ("network", "net", "lookup-net"),
    ("floating_ip", "spare", "spare"),
    ("disk", "data", "data"),
    ("firewall", "web", "web-fw"),
    ("load_balancer", "web", "web-lb"),
    ("ssh_key", "ops", "ops"),
    ("service_package", "db", "orders-db"),
    ("bucket", "assets", "lookup-assets"),
];

fn data_source_values(env: &Env, address: &str) -> Value {
    let state = env.show();
    state["values"]["root_module"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == address)
        .map(|r| r["values"].clone())
        .unwrap_or_else(|| panic!("{address} not in state"))
}

#[test]
fn singular_lookups_export_what_the_resources_hold_and_plurals_list_them() {
    let env = Env::new();
    let mut config = resources_config();
    env.apply_config(&config);
    for (ty, name, lookup_name) in LOOKED_UP {
        config.push_str(&format!(
            "data \"idcloudhost_{ty}\" \"{name}\" {{\n  name = \"{lookup_name}\"\n}}\n\
             data \"idcloudhost_{ty}\" \"{name}_by_id\" {{\n  id = idcloudhost_{ty}.{name}.id\n}}\n\
             data \"idcloudhost_{ty}s\" \"{name}\" {{\n  name_regex = \"^{lookup_name}$\"\n}}\n"
        ));
    }
    env.apply_config(&config);
    for (ty, name, _) in LOOKED_UP {
        let resource = env.resource(&format!("idcloudhost_{ty}.{name}"));
        let by_name = data_source_values(&env, &format!("data.idcloudhost_{ty}.{name}"));
        let by_id = data_source_values(&env, &format!("data.idcloudhost_{ty}.{name}_by_id"));
        let plural = data_source_values(&env, &format!("data.idcloudhost_{ty}s.{name}"));
        let exported = by_name.as_object().unwrap();
        assert!(exported.len() > 3, "{ty} exports its attributes");
        for (key, value) in exported {
            // What only the managing configuration knows (the address a VM
            // reserved itself) is null in a lookup, as after an import.
            if key == "reserved_public_ipv4" {
                assert_eq!(value, &Value::Null, "{ty}.{key}");
                continue;
            }
            assert_eq!(value, &resource[key], "{ty}.{key}: lookup vs resource");
            assert_eq!(value, &by_id[key], "{ty}.{key}: by name vs by id");
        }
        assert!(
            !exported.contains_key("password") && !exported.contains_key("timeouts"),
            "{ty}: no secrets, no timeouts"
        );
        let items = plural[format!("{ty}s")].as_array().unwrap();
        assert_eq!(items.len(), 1, "{ty}s by name_regex: {plural}");
        assert_eq!(&items[0], &by_name, "{ty}s item is the singular's object");
        assert_eq!(plural["ids"][0], resource["id"]);
    }
    // Data sources alone never plan changes once everything exists.
    env.assert_no_changes();
}

fn create_vm(env: &Env, location: &str, name: &str) -> String {
    let vm = env.api().post_form(
        &format!("/v1/{location}/user-resource/vm"),
        &[
            ("name", name),
            ("os_name", "debian"),
            ("os_version", "12"),
            ("vcpu", "1"),
            ("ram", "1024"),
            ("disks", "20"),
        ],
    );
    vm["uuid"].as_str().unwrap().to_owned()
}

#[test]
fn plural_filters_and_name_order() {
    let env = Env::new();
    let api = env.api();
    for name in ["c-web", "a-web", "b-db"] {
        create_vm(&env, "jkt02", name);
    }
    let stopped = create_vm(&env, "jkt02", "d-web");
    api.post_form("/v1/jkt02/user-resource/vm/stop", &[("uuid", &stopped)]);
    env.apply_config(
        r#"
provider "idcloudhost" {}
data "idcloudhost_vms" "web" {
  location   = "jkt02"
  name_regex = "-web$"
}
data "idcloudhost_vms" "running" {
  location = "jkt02"
  status   = "running"
}
data "idcloudhost_floating_ips" "free" {
  location = "jkt02"
  assigned = false
}
data "idcloudhost_floating_ips" "used" {
  location = "jkt02"
  assigned = true
}
data "idcloudhost_networks" "default" {
  location   = "jkt02"
  is_default = true
}
output "web" { value = [for vm in data.idcloudhost_vms.web.vms : vm.name] }
output "running" { value = [for vm in data.idcloudhost_vms.running.vms : vm.name] }
output "free" { value = length(data.idcloudhost_floating_ips.free.floating_ips) }
output "used" { value = [for ip in data.idcloudhost_floating_ips.used.floating_ips : ip.assigned_to] }
output "default_networks" { value = data.idcloudhost_networks.default.networks }
"#,
    );
    let out = env.outputs();
    assert_eq!(
        out["web"],
        serde_json::json!(["a-web", "c-web", "d-web"]),
        "name_regex, sorted by name"
    );
    assert_eq!(
        out["running"],
        serde_json::json!(["a-web", "b-db", "c-web"])
    );
    assert_eq!(out["free"], 0);
    assert_eq!(out["used"].as_array().unwrap().len(), 4, "{out}");
    assert!(out["used"]
        .as_array()
        .unwrap()
        .contains(&Value::from(stopped.as_str())));
    let defaults = out["default_networks"].as_array().unwrap();
    assert_eq!(defaults.len(), 1, "{out}");
    assert_eq!(defaults[0]["is_default"], true);
    assert!(env.api().writes().iter().all(|(_, p, _)| !p.contains("__")));
}

#[test]
fn thirty_lookups_cost_a_few_list_calls_per_location() {
    let env = Env::new();
    let mut config = String::from("provider \"idcloudhost\" {}\n");
    let mut lookups = 0;
    for location in ["jkt01", "jkt02"] {
        for i in 0..6 {
            let name = format!("{location}-vm-{i}");
            create_vm(&env, location, &name);
            config.push_str(&format!(
                "data \"idcloudhost_vm\" \"{name}\" {{\n  location = \"{location}\"\n  name = \"{name}\"\n}}\n"
            ));
            lookups += 1;
        }
        for i in 0..4 {
            config.push_str(&format!(
                "data \"idcloudhost_networks\" \"{location}_{i}\" {{\n  location = \"{location}\"\n}}\n\
                 data \"idcloudhost_floating_ips\" \"{location}_{i}\" {{\n  location = \"{location}\"\n  assigned = {}\n}}\n",
                i % 2 == 0
            ));
            lookups += 2;
        }
        config.push_str(&format!(
            "data \"idcloudhost_vms\" \"{location}\" {{\n  location = \"{location}\"\n  status = \"running\"\n}}\n"
        ));
        lookups += 1;
    }
    assert_eq!(lookups, 30);
    env.write_config(&config);
    env.api().clear_requests();
    let plan = env.tf(&["plan", "-no-color", "-input=false"]);
    assert!(plan.success(), "{}", plan.all());
    let requests = env.api().requests();
    for location in ["jkt01", "jkt02"] {
        let calls: Vec<&String> = requests
            .iter()
            .map(|(_, p, _)| p)
            .filter(|p| p.starts_with(&format!("/v1/{location}/")))
            .collect();
        assert!(
            !calls.is_empty() && calls.len() <= 3,
            "{location}: {} calls: {calls:?}",
            calls.len()
        );
    }
    assert!(
        requests.iter().all(|(m, _, _)| m == "GET"),
        "lookups only read"
    );
}

#[test]
fn lookups_fail_clearly_and_bad_input_fails_before_any_call() {
    let env = Env::new();
    create_vm(&env, "jkt01", "twin");
    create_vm(&env, "jkt01", "twin");
    create_vm(&env, "jkt01", "solo");

    // The plan of a lookup of the VM `name`, which fails.
    let failed_lookup = |name: &str| {
        env.write_config(&format!(
            "provider \"idcloudhost\" {{}}\ndata \"idcloudhost_vm\" \"{name}\" {{\n  name = \"{name}\"\n}}\n"
        ));
        let plan = env.plan();
        assert_eq!(plan.code, 1);
        plan
    };
    let several = failed_lookup("twin");
    let text = several.all();
    assert!(text.contains("2 VMs are named \"twin\""), "{text}");
    let uuids: Vec<String> = env
        .api()
        .get("/v1/jkt01/user-resource/vm/list")
        .as_array()
        .unwrap()
        .iter()
        .filter(|vm| vm["name"] == "twin")
        .map(|vm| vm["uuid"].as_str().unwrap().to_owned())
        .collect();
    for uuid in &uuids {
        assert!(text.contains(uuid.as_str()), "candidates listed: {text}");
    }

    let none = failed_lookup("nope");
    none.assert_mentions("No VM named \"nope\"");
    assert!(none.all().contains("solo"), "existing names listed");

    for body in [
        "data \"idcloudhost_vm\" \"x\" {}",
        "data \"idcloudhost_networks\" \"x\" {\n  name_regex = \"([\"\n}",
    ] {
        env.write_config(&format!("provider \"idcloudhost\" {{}}\n{body}"));
        env.api().clear_requests();
        let bad = env.tf(&["validate", "-no-color"]);
        assert_eq!(bad.code, 1, "{body}: {}", bad.all());
        assert!(
            bad.all().contains("name") || bad.all().contains("name_regex"),
            "{}",
            bad.all()
        );
        let plan = env.plan();
        assert_eq!(plan.code, 1);
        let located: Vec<_> = env
            .api()
            .requests()
            .into_iter()
            .filter(|(_, p, _)| p.contains("/user-resource/") || p.contains("/network/"))
            .collect();
        assert!(located.is_empty(), "nothing looked up: {located:?}");
    }
}

#[test]
fn lookup_under_terraform_1_0() {
    let env = Env::with_terraform(terraform_1_0_binary());
    let uuid = create_vm(&env, "jkt01", "old");
    env.apply_config(
        r#"
provider "idcloudhost" {}
data "idcloudhost_vm" "old" {
  name = "old"
}
data "idcloudhost_vms" "all" {}
output "id" { value = data.idcloudhost_vm.old.id }
output "count" { value = length(data.idcloudhost_vms.all.ids) }
"#,
    );
    let out = env.outputs();
    assert_eq!(out["id"], uuid.as_str());
    assert_eq!(out["count"], 1);
}

#[test]
fn lookups_of_a_type_the_brand_lacks_fail_clearly_with_nothing_sent() {
    let mut env = Env::new();
    env.env("IDCLOUDHOST_BRAND", "elastis");
    env.write_config(
        r#"
provider "idcloudhost" {}
data "idcloudhost_firewalls" "all" {}
"#,
    );
    env.api().clear_requests();
    env.assert_plan_fails_with(&["elastis.id"]);
    let asked: Vec<_> = env
        .api()
        .requests()
        .into_iter()
        .filter(|(_, p, _)| p.contains("firewalls"))
        .collect();
    assert!(asked.is_empty(), "{asked:?}");
}
