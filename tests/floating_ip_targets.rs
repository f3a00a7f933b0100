//! `idcloudhost_floating_ip_assignment` to a load balancer and to a managed
//! service (`assigned_to` + `assigned_to_resource_type`), not only to a VM:
//! create, drift, import then an empty plan, replacement, destroy, bad input.

mod common;

use common::{Action, Env};
use reqwest::Method;
use serde_json::Value;

fn config(target: &str) -> String {
    format!(
        r#"
provider "idcloudhost" {{}}
resource "idcloudhost_network" "net" {{
  name = "net"
}}
resource "idcloudhost_load_balancer" "lb" {{
  name              = "lb"
  network_uuid      = idcloudhost_network.net.id
  reserve_public_ip = false
}}
resource "idcloudhost_service_package" "db" {{
  name         = "db"
  service      = "postgresql"
  version      = "14.0"
  vcpu         = 2
  ram_mb       = 4096
  disk_size_gb = 40
}}
resource "idcloudhost_floating_ip" "ip" {{
  name = "front"
}}
resource "idcloudhost_floating_ip_assignment" "a" {{
  address = idcloudhost_floating_ip.ip.address
  {target}
}}
"#
    )
}

fn api_ip(env: &Env, address: &str) -> Value {
    env.api()
        .get(&format!("/v1/jkt01/network/ip_addresses/{address}"))
}

#[test]
fn assign_to_a_load_balancer_then_a_service() {
    let env = Env::applied(&config(
        "load_balancer_uuid = idcloudhost_load_balancer.lb.id",
    ));
    let lb = env.resource("idcloudhost_load_balancer.lb");
    let assignment = env.resource("idcloudhost_floating_ip_assignment.a");
    let address = assignment["address"].as_str().unwrap().to_owned();
    let ip = api_ip(&env, &address);
    assert_eq!(ip["assigned_to"], lb["id"]);
    assert_eq!(ip["assigned_to_resource_type"], "load_balancer");
    assert_eq!(assignment["load_balancer_uuid"], lb["id"]);
    assert_eq!(assignment["vm_uuid"], Value::Null);
    assert_eq!(assignment["private_ip"], lb["private_address"]);
    env.assert_no_changes();

    // Import, then an empty plan.
    env.tf_ok(&["state", "rm", "idcloudhost_floating_ip_assignment.a"]);
    env.import_ok(
        "idcloudhost_floating_ip_assignment.a",
        &format!("jkt01/{address}"),
    );
    env.assert_no_changes();

    // Unassigned outside Terraform: planned for re-creation.
    env.api().json(
        Method::POST,
        &format!("/v1/jkt01/network/ip_addresses/{address}/unassign"),
        serde_json::json!({}),
    );
    let plan = env.plan_check();
    assert_eq!(
        plan.action("idcloudhost_floating_ip_assignment.a"),
        Action::Create
    );
    env.apply();
    assert_eq!(api_ip(&env, &address)["assigned_to"], lb["id"]);

    // Moving it to the service replaces the assignment.
    env.write_config(&config("service_uuid = idcloudhost_service_package.db.id"));
    let plan = env.plan_check();
    assert_eq!(
        plan.action("idcloudhost_floating_ip_assignment.a"),
        Action::Replace
    );
    env.apply();
    let db = env.resource("idcloudhost_service_package.db");
    let ip = api_ip(&env, &address);
    assert_eq!(ip["assigned_to"], db["id"]);
    assert_eq!(ip["assigned_to_resource_type"], "service");
    env.assert_no_changes();

    env.destroy();
    let left = env.api().get("/v1/jkt01/network/ip_addresses");
    assert!(left.as_array().unwrap().is_empty(), "{left}");
}

#[test]
fn exactly_one_target_is_required_at_plan() {
    let env = Env::new();
    for target in [
        "",
        "vm_uuid = \"3f1c2c5e-0000-4000-8000-000000000001\"\n  load_balancer_uuid = \"3f1c2c5e-0000-4000-8000-000000000002\"",
    ] {
        env.write_config(&format!(
            r#"
provider "idcloudhost" {{}}
resource "idcloudhost_floating_ip_assignment" "a" {{
  address = "103.150.100.10"
  {target}
}}
"#
        ));
        env.api().clear_requests();
        let plan = env.plan_fails();
        let text = plan.all();
        assert!(
            text.contains("vm_uuid")
                && text.contains("load_balancer_uuid")
                && text.contains("service_uuid"),
            "{text}"
        );
        assert!(env.api().writes().is_empty());
    }
}
