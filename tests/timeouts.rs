//! Every resource takes a `timeouts` block, the deadline it sets bounds the
//! operation (a create cut off by it is adopted, not lost), and changing only the
//! timeouts sends nothing to the API.

mod common;

use std::time::{Duration, Instant};

use common::{Action, Env};
use serde_json::{json, Value};

#[test]
fn every_resource_has_a_timeouts_block() {
    let env = Env::new();
    env.write_config("");
    let provider = env.provider_schema();
    let resources = provider["resource_schemas"].as_object().unwrap();
    assert!(resources.len() >= 14);
    for (name, resource) in resources {
        let timeouts = &resource["block"]["block_types"]["timeouts"];
        assert!(
            timeouts["nesting_mode"] == "single" || timeouts["max_items"] == 1,
            "{name} has one timeouts block: {timeouts}"
        );
        let ops = timeouts["block"]["attributes"].as_object().unwrap();
        assert!(
            ops.contains_key("create") && ops.contains_key("delete"),
            "{name}: {ops:?}"
        );
    }
}

#[test]
fn a_network_create_is_bounded_by_its_deadline_and_adopted() {
    let env = Env::new();
    env.write_config(
        r#"
provider "idcloudhost" {}
resource "idcloudhost_network" "net" {
  name = "slow"
  timeouts {
    create = "2s"
  }
}
"#,
    );
    // The API creates the network but answers only after 15 s.
    env.api().set_faults(json!({
        "error_rate": 1.0,
        "statuses": [503],
        "after_effect": true,
        "latency_ms": 15000,
        "method": "POST",
        "path_contains": "network/network"
    }));
    let started = Instant::now();
    env.apply();
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "the 2 s deadline cut the wait short: {:?}",
        started.elapsed()
    );
    env.api().clear_faults();
    let state = env.resource("idcloudhost_network.net");
    let networks = env.api().get("/v1/jkt01/network/networks");
    let slow: Vec<&Value> = networks
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["name"] == "slow")
        .collect();
    assert_eq!(slow.len(), 1, "created once: {networks}");
    assert_eq!(state["id"], slow[0]["uuid"], "adopted, not lost");
}

#[test]
fn changing_only_timeouts_sends_nothing() {
    let env = Env::new();
    let config = |timeouts: &str| {
        format!(
            r#"
provider "idcloudhost" {{}}
resource "idcloudhost_firewall" "fw" {{
  name = "fw"
  rule {{
    direction  = "inbound"
    protocol   = "tcp"
    port_start = 22
  }}
  {timeouts}
}}
resource "idcloudhost_ssh_key" "k" {{
  name       = "k"
  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4mvUhGz0qjzhd4FqzZb2NSMRGXCuQEBxV1aCsH7Xhd k@example"
  {timeouts}
}}
"#
        )
    };
    env.apply_config(&config(""));
    env.write_config(&config("timeouts {\n    update = \"1m\"\n  }"));
    let plan = env.plan_check();
    for address in ["idcloudhost_firewall.fw", "idcloudhost_ssh_key.k"] {
        assert_eq!(plan.action(address), Action::Update);
    }
    env.api().clear_requests();
    env.apply();
    assert!(env.api().writes().is_empty(), "{:?}", env.api().writes());
    assert_eq!(
        env.resource("idcloudhost_firewall.fw")["timeouts"][0]["update"],
        "1m"
    );
    env.assert_no_changes();
}
