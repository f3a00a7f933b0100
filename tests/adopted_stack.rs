//! Destroying a stack whose resources do not reference each other (adopted with
//! `import {}` and `-generate-config-out`, so every id is a literal): Terraform
//! deletes everything at once, and a delete the API refuses because a dependent
//! still exists (VMs in a network, a disk or firewall still attached) waits for
//! the dependent to go, or fails at its deadline naming it.

mod common;

use std::time::{Duration, Instant};

use common::Env;
use serde_json::{json, Value};

/// `(method, path)` of the destroy's refused writes, from the simulator's log. A
/// DELETE answered 404 is not a refusal: two deletes running at once may both
/// remove the same link (a VM's delete unlinks it from a load balancer that is
/// being deleted too), and the second finds it already gone.
fn refused_writes(env: &Env) -> Vec<(String, String, u16)> {
    env.api()
        .writes()
        .into_iter()
        .filter(|(method, _, status)| *status >= 400 && !(method == "DELETE" && *status == 404))
        .collect()
}

/// What the stack made in the simulator, to find left after destroy.
fn leftovers(env: &Env, default_network: &str) -> Vec<String> {
    let api = env.api();
    let mut left = Vec::new();
    for (what, path) in [
        ("VM", "user-resource/vm/list"),
        ("disk", "storage/disks"),
        ("floating IP", "network/ip_addresses"),
        ("firewall", "network/firewalls"),
        ("load balancer", "network/load_balancers"),
        ("network", "network/networks"),
    ] {
        for item in api.list("jkt01", path) {
            if item["uuid"] != default_network {
                left.push(format!("{what} {item}"));
            }
        }
    }
    left
}

#[test]
fn destroying_an_adopted_stack_waits_for_dependents_and_leaves_nothing() {
    let env = Env::new();
    let api = env.api();
    let default_network = api.create_network("jkt01", "default");
    let network = api.create_network("jkt01", "app");
    let extra = [("network_uuid", network.as_str())];
    let web = api.create_vm("jkt01", "web", &extra)["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let worker = api.create_vm("jkt01", "worker", &extra)["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let billing = api.billing_account_ids()[0].to_string();
    let disk = api.post_form(
        "/v1/jkt01/storage/disks",
        &[("size_gb", "30"), ("billing_account_id", &billing)],
    )["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    api.post_form(
        "/v1/jkt01/user-resource/vm/storage/attach",
        &[("uuid", &web), ("storage_uuid", &disk)],
    );
    let address = api.post(
        "/v1/jkt01/network/ip_addresses",
        json!({"name": "web-public", "billing_account_id": billing.parse::<i64>().unwrap()}),
    )["address"]
        .as_str()
        .unwrap()
        .to_owned();
    api.post(
        &format!("/v1/jkt01/network/ip_addresses/{address}/assign"),
        json!({"vm_uuid": web}),
    );
    let firewall = api.post(
        "/v1/jkt01/network/firewalls",
        json!({
            "display_name": "app",
            "billing_account_id": billing.parse::<i64>().unwrap(),
            "rules": [{"direction": "inbound", "protocol": "tcp", "port_start": 22,
                       "endpoint_spec_type": "any"}],
        }),
    )["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    for vm in [&web, &worker] {
        api.post(
            &format!("/v1/jkt01/network/firewalls/{firewall}/vms?vm_uuid={vm}"),
            json!({}),
        );
    }
    let balancer = api.post(
        "/v1/jkt01/network/load_balancers",
        json!({
            "display_name": "app",
            "billing_account_id": billing.parse::<i64>().unwrap(),
            "network_uuid": network,
            "reserve_public_ip": false,
            "rules": [{"source_port": 80, "target_port": 8080}],
            "targets": [{"target_uuid": worker, "target_type": "vm"}],
        }),
    )["uuid"]
        .as_str()
        .unwrap()
        .to_owned();

    // Adopt it all: import blocks, configuration written by Terraform (literal ids).
    let imports = [
        ("idcloudhost_network.app", format!("jkt01/{network}")),
        ("idcloudhost_vm.web", format!("jkt01/{web}")),
        ("idcloudhost_vm.worker", format!("jkt01/{worker}")),
        ("idcloudhost_disk.data", format!("jkt01/{disk}")),
        (
            "idcloudhost_disk_attachment.data",
            format!("jkt01/{web}/{disk}"),
        ),
        ("idcloudhost_floating_ip.web", format!("jkt01/{address}")),
        (
            "idcloudhost_floating_ip_assignment.web",
            format!("jkt01/{address}"),
        ),
        ("idcloudhost_firewall.app", format!("jkt01/{firewall}")),
        (
            "idcloudhost_firewall_attachment.web",
            format!("jkt01/{firewall}/{web}"),
        ),
        (
            "idcloudhost_firewall_attachment.worker",
            format!("jkt01/{firewall}/{worker}"),
        ),
        ("idcloudhost_load_balancer.app", format!("jkt01/{balancer}")),
    ];
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{}",
        common::import_blocks(&imports)
    ));
    let generated = env.generate_config();
    assert!(
        !generated.contains("idcloudhost_network.app.id"),
        "no references: {generated}"
    );
    env.apply();
    let state = env.show();
    let managed = state["values"]["root_module"]["resources"]
        .as_array()
        .map(Vec::len)
        .unwrap_or_default();
    assert_eq!(managed, imports.len(), "{state}");

    // VM deletes take effect late (as live, where they take a while), so the
    // network, disk and firewall deletes run while their dependents still exist.
    api.set_faults(json!({
        "error_rate": 0.0,
        "method": "DELETE",
        "path_contains": "user-resource/vm",
        "effect_delay_ms": 1500,
    }));
    api.clear_requests();
    let destroy = env.destroy();
    api.clear_faults();
    assert!(
        leftovers(&env, &default_network).is_empty(),
        "left behind: {:?}\n{}",
        leftovers(&env, &default_network),
        destroy.all()
    );
    assert!(
        env.show()["values"].is_null()
            || env.show()["values"]["root_module"]["resources"].is_null(),
        "state is empty"
    );
    // Blocked deletes waited instead of being sent to be refused.
    assert_eq!(refused_writes(&env), vec![], "{}", destroy.all());
}

#[test]
fn a_blocker_outside_the_destroy_fails_it_at_the_deadline_naming_the_blocker() {
    let env = Env::new();
    let api = env.api();
    api.create_network("jkt01", "default");
    let network = api.create_network("jkt01", "app");
    let vm = api.create_vm("jkt01", "outsider", &[("network_uuid", network.as_str())])["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    env.write_config(&format!(
        r#"provider "idcloudhost" {{}}
{}
resource "idcloudhost_network" "app" {{
  name = "app"
  timeouts {{
    delete = "3s"
  }}
}}
"#,
        common::import_blocks(&[("idcloudhost_network.app", format!("jkt01/{network}"))])
    ));
    env.apply();

    let started = Instant::now();
    let result = env.tf(&["destroy", "-auto-approve", "-no-color", "-input=false"]);
    let took = started.elapsed();
    result.assert_failed();
    let text = result.folded();
    assert!(
        text.contains(&format!(
            "Network \"app\" ({network}) cannot be deleted while it is in use"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("VM \"outsider\" ({vm})")),
        "the blocker is named: {text}"
    );
    assert!(text.contains("waited 3s"), "{text}");
    assert!(
        took >= Duration::from_secs(3) && took < Duration::from_secs(60),
        "bounded by the delete timeout: {took:?}"
    );
    // Nothing was refused: the provider looked, it did not send deletes to fail.
    assert_eq!(refused_writes(&env), vec![]);
    assert!(api
        .list("jkt01", "network/networks")
        .iter()
        .any(|n| n["uuid"] == network));
    let state: Value = env.resource("idcloudhost_network.app");
    assert_eq!(state["id"], network, "still managed");
}
