//! `idcloudhost_firewall` and `idcloudhost_firewall_attachment` through the real
//! terraform binary against the simulator.

mod common;

use common::{Action, Env};
use serde_json::{json, Value};

const PROVIDER: &str = "provider \"idcloudhost\" {}\n";
const FW: &str = "idcloudhost_firewall.fw";

/// A firewall resource `idcloudhost_firewall.fw` with the given body.
fn firewall(body: &str) -> String {
    format!("{PROVIDER}resource \"idcloudhost_firewall\" \"fw\" {{\n{body}\n}}\n")
}

const SSH: &str = r#"
  rule {
    direction   = "inbound"
    protocol    = "tcp"
    port_start  = 22
    port_end    = 22
    ip_prefixes = ["10.0.0.0/24", "192.168.1.7"]
  }"#;
const HTTP: &str = r#"
  rule {
    direction  = "inbound"
    protocol   = "tcp"
    port_start = 80
    port_end   = 81
  }"#;
/// No port_end: a single port.
const DNS: &str = r#"
  rule {
    direction  = "outbound"
    protocol   = "udp"
    port_start = 53
    ip_prefixes = []
  }"#;
const PING: &str = r#"
  rule {
    direction = "inbound"
    protocol  = "icmp"
  }"#;

fn firewalls(env: &Env, location: &str) -> Vec<Value> {
    env.api().list(location, "network/firewalls")
}

fn served(env: &Env, location: &str, uuid: &str) -> Option<Value> {
    env.api().find(location, "network/firewalls", uuid)
}

/// The served rule with this protocol and first port (`None`: no port).
fn served_rule(fw: &Value, protocol: &str, port_start: Option<i64>) -> Value {
    fw["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["protocol"] == protocol && r["port_start"] == json!(port_start))
        .cloned()
        .unwrap_or_else(|| panic!("no {protocol} rule for {port_start:?} in {fw}"))
}

fn id(env: &Env, address: &str) -> String {
    env.id_of(address)
}

/// Replaces a firewall's name and rules through the API, as someone outside
/// Terraform would.
fn put_firewall(env: &Env, location: &str, uuid: &str, name: &str, rules: Value) {
    env.api().put(
        &format!("/v1/{location}/network/firewalls/{uuid}"),
        json!({"name": name, "rules": rules}),
    );
}

/// Terraform wraps long messages: compare with whitespace collapsed.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn create_update_in_place_replace_and_destroy() {
    let env = Env::applied(&firewall(&format!(
        "  name = \"web\"\n  description = \"front\"\n{SSH}{HTTP}{DNS}{PING}"
    )));
    let uuid = id(&env, "idcloudhost_firewall.fw");
    let state = env.resource("idcloudhost_firewall.fw");
    assert_eq!(state["location"], "jkt01", "account default location");
    assert_eq!(state["name"], "web");
    assert_eq!(state["description"], "front");
    let accounts = env.api().billing_account_ids();
    assert_eq!(state["billing_account_id"], accounts[0], "default account");
    assert_eq!(state["rule"].as_array().unwrap().len(), 4);
    let dns = state["rule"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["protocol"] == "udp")
        .unwrap()
        .clone();
    assert_eq!(dns["port_end"], 53, "filled in by the server: {dns}");

    let fw = served(&env, "jkt01", &uuid).expect("created on the API");
    assert_eq!(fw["display_name"], "web");
    assert_eq!(fw["description"], "front");
    assert_eq!(fw["billing_account_id"], accounts[0]);
    assert_eq!(fw["rules"].as_array().unwrap().len(), 4);
    let ssh = served_rule(&fw, "tcp", Some(22));
    assert_eq!(ssh["direction"], "inbound");
    assert_eq!(ssh["endpoint_spec_type"], "ip_prefixes");
    assert_eq!(ssh["endpoint_spec"], json!(["10.0.0.0/24", "192.168.1.7"]));
    let http = served_rule(&fw, "tcp", Some(80));
    assert_eq!(
        (http["port_end"].clone(), http["endpoint_spec_type"].clone()),
        (json!(81), json!("any"))
    );
    let udp = served_rule(&fw, "udp", Some(53));
    assert_eq!(udp["direction"], "outbound");
    assert_eq!(udp["endpoint_spec_type"], "any");
    let icmp = served_rule(&fw, "icmp", None);
    assert_eq!(icmp["port_end"], Value::Null);
    // Port_end left to the server: no diff after apply.
    env.assert_no_changes();

    // Rules are unordered: another order in the configuration changes nothing.
    env.write_config(&firewall(&format!(
        "  name = \"web\"\n  description = \"front\"\n{PING}{DNS}{HTTP}{SSH}"
    )));
    env.assert_no_changes();

    // Name and description change in place.
    env.write_config(&firewall(&format!(
        "  name = \"web-2\"\n  description = \"front door\"\n{SSH}{HTTP}{DNS}{PING}"
    )));
    env.plan_check().assert_only(&[(FW, Action::Update)]);
    env.apply();
    assert_eq!(id(&env, "idcloudhost_firewall.fw"), uuid);
    let fw = served(&env, "jkt01", &uuid).unwrap();
    assert_eq!(fw["display_name"], "web-2");
    assert_eq!(fw["description"], "front door");
    env.assert_no_changes();

    // Billing account changes in place.
    let base = "  name = \"web-2\"\n  description = \"front door\"\n";
    let other = format!("  billing_account_id = {}\n", accounts[1]);
    env.apply_config(&firewall(&format!("{base}{other}{SSH}{HTTP}{DNS}{PING}")));
    assert_eq!(id(&env, "idcloudhost_firewall.fw"), uuid);
    assert_eq!(
        env.resource("idcloudhost_firewall.fw")["billing_account_id"],
        accounts[1]
    );
    assert_eq!(
        served(&env, "jkt01", &uuid).unwrap()["billing_account_id"],
        accounts[1]
    );
    env.assert_no_changes();

    // Add a rule: the rules that stay keep their uuids.
    let ssh_uuid = ssh["uuid"].clone();
    let https = r#"
  rule {
    direction  = "inbound"
    protocol   = "tcp"
    port_start = 443
  }"#;
    env.apply_config(&firewall(&format!(
        "{base}{other}{SSH}{HTTP}{DNS}{PING}{https}"
    )));
    assert_eq!(id(&env, "idcloudhost_firewall.fw"), uuid);
    let fw = served(&env, "jkt01", &uuid).unwrap();
    assert_eq!(fw["rules"].as_array().unwrap().len(), 5);
    assert_eq!(served_rule(&fw, "tcp", Some(443))["port_end"], 443);
    assert_eq!(served_rule(&fw, "tcp", Some(22))["uuid"], ssh_uuid);
    env.assert_no_changes();

    // Remove one.
    env.apply_config(&firewall(&format!("{base}{other}{SSH}{HTTP}{DNS}{https}")));
    let fw = served(&env, "jkt01", &uuid).unwrap();
    assert_eq!(fw["rules"].as_array().unwrap().len(), 4);
    assert!(fw["rules"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["protocol"] != "icmp"));
    env.assert_no_changes();

    // Change one: the SSH rule's prefixes.
    let ssh_changed = SSH.replace("\"192.168.1.7\"", "\"192.168.2.0/24\"");
    env.write_config(&firewall(&format!(
        "{base}{other}{ssh_changed}{HTTP}{DNS}{https}"
    )));
    let plan = env.plan_check();
    plan.assert_only(&[(FW, Action::Update)]);
    assert!(
        plan.added(FW, "rule").iter().any(|r| r["ip_prefixes"]
            .as_array()
            .unwrap()
            .contains(&json!("192.168.2.0/24"))),
        "{}",
        plan.text()
    );
    env.apply();
    assert_eq!(id(&env, "idcloudhost_firewall.fw"), uuid);
    let fw = served(&env, "jkt01", &uuid).unwrap();
    assert_eq!(
        served_rule(&fw, "tcp", Some(22))["endpoint_spec"],
        json!(["10.0.0.0/24", "192.168.2.0/24"])
    );
    assert_eq!(fw["rules"].as_array().unwrap().len(), 4);
    env.assert_no_changes();

    // Dropping the description clears it in place.
    env.apply_config(&firewall(&format!(
        "  name = \"web-2\"\n{other}{ssh_changed}{HTTP}{DNS}{https}"
    )));
    assert_eq!(id(&env, "idcloudhost_firewall.fw"), uuid);
    assert_eq!(served(&env, "jkt01", &uuid).unwrap()["description"], "");
    assert_eq!(
        env.resource("idcloudhost_firewall.fw")["description"],
        Value::Null
    );
    env.assert_no_changes();

    // Another location replaces it.
    env.write_config(&firewall(&format!(
        "{base}{other}  location = \"jkt02\"\n{HTTP}"
    )));
    env.plan_check().assert_actions(&[(FW, Action::Replace)]);
    env.apply();
    let moved = id(&env, "idcloudhost_firewall.fw");
    assert_ne!(moved, uuid);
    assert!(served(&env, "jkt01", &uuid).is_none());
    assert_eq!(
        served(&env, "jkt02", &moved).unwrap()["display_name"],
        "web-2"
    );
    env.assert_no_changes();

    env.destroy_leaving_empty("jkt02", "network/firewalls");
    assert!(firewalls(&env, "jkt01").is_empty());
}

#[test]
fn equivalent_spellings_drift_and_out_of_band_delete() {
    let env = Env::new();
    let rules = r#"
  rule {
    direction   = "inbound"
    protocol    = "tcp"
    port_start  = 22
    ip_prefixes = ["10.0.0.1/32", "10.0.0.2"]
  }
  rule {
    direction = "outbound"
    protocol  = "tcp"
    port_start = 443
  }"#;
    env.apply_config(&firewall(&format!("  name = \"edge\"\n{rules}")));
    let uuid = id(&env, "idcloudhost_firewall.fw");
    env.assert_no_changes();

    // The API spells the prefixes differently and lists rules in another order:
    // the same rules, so no diff.
    put_firewall(
        &env,
        "jkt01",
        &uuid,
        "edge",
        json!([
            {"direction": "outbound", "protocol": "tcp", "port_start": 443, "port_end": 443,
             "endpoint_spec_type": "any", "endpoint_spec": null},
            {"direction": "inbound", "protocol": "tcp", "port_start": 22,
             "endpoint_spec_type": "ip_prefixes", "endpoint_spec": ["10.0.0.2/32", "10.0.0.1"]},
        ]),
    );
    let ssh = served_rule(&served(&env, "jkt01", &uuid).unwrap(), "tcp", Some(22));
    assert_eq!(ssh["endpoint_spec"], json!(["10.0.0.2/32", "10.0.0.1"]));
    env.assert_no_changes();
    // The prior spelling is kept in state.
    let state = env.resource("idcloudhost_firewall.fw");
    let ssh_state = state["rule"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["port_start"] == 22)
        .unwrap()
        .clone();
    assert_eq!(ssh_state["ip_prefixes"], json!(["10.0.0.1/32", "10.0.0.2"]));

    // A rule changed outside Terraform: the plan shows that rule changing back.
    put_firewall(
        &env,
        "jkt01",
        &uuid,
        "edge",
        json!([
            {"direction": "outbound", "protocol": "tcp", "port_start": 443,
             "endpoint_spec_type": "any"},
            {"direction": "inbound", "protocol": "tcp", "port_start": 2222,
             "endpoint_spec_type": "ip_prefixes", "endpoint_spec": ["10.0.0.1", "10.0.0.2"]},
        ]),
    );
    let plan = env.plan_check();
    plan.assert_only(&[(FW, Action::Update)]);
    // A set: the drifted rule goes, the configured one comes back; nothing else.
    assert_eq!(plan.changed_attributes(FW), vec!["rule"], "{}", plan.text());
    let removed = plan.removed(FW, "rule");
    let added = plan.added(FW, "rule");
    assert_eq!(removed.len(), 1, "{}", plan.text());
    assert_eq!(removed[0]["port_start"], 2222, "{}", plan.text());
    assert_eq!(added.len(), 1, "{}", plan.text());
    assert_eq!(added[0]["port_start"], 22, "{}", plan.text());
    let unchanged = plan.after(FW)["rule"].as_array().unwrap().len() - added.len();
    assert_eq!(unchanged, 1, "one rule unchanged: {}", plan.text());
    env.apply();
    let fw = served(&env, "jkt01", &uuid).unwrap();
    assert_eq!(
        served_rule(&fw, "tcp", Some(22))["endpoint_spec"],
        json!(["10.0.0.1/32", "10.0.0.2"])
    );
    assert!(fw["rules"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["port_start"] != 2222));
    env.assert_no_changes();

    // Renamed outside Terraform: the plan names exactly that.
    let rules_now = served(&env, "jkt01", &uuid).unwrap()["rules"].clone();
    put_firewall(&env, "jkt01", &uuid, "renamed-by-hand", rules_now);
    env.plan_check()
        .assert_reverts(FW, "name", "renamed-by-hand", "edge");
    env.apply();
    assert_eq!(
        served(&env, "jkt01", &uuid).unwrap()["display_name"],
        "edge"
    );

    // Deleted outside Terraform: the plan creates it again.
    env.api()
        .delete(&format!("/v1/jkt01/network/firewalls/{uuid}"));
    env.plan_check().assert_only(&[(FW, Action::Create)]);
    env.apply();
    let recreated = id(&env, "idcloudhost_firewall.fw");
    assert_ne!(recreated, uuid);
    assert_eq!(
        served(&env, "jkt01", &recreated).unwrap()["rules"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    env.assert_no_changes();
}

#[test]
fn import_by_location_and_uuid_then_no_changes() {
    let env = Env::new();
    let created = env.api().post(
        "/v1/jkt02/network/firewalls",
        json!({"display_name": "imported", "rules": [
            {"direction": "inbound", "protocol": "tcp", "port_start": 22,
             "endpoint_spec_type": "ip_prefixes", "endpoint_spec": ["10.0.0.0/8"]},
            {"direction": "inbound", "protocol": "icmp", "port_start": null,
             "endpoint_spec_type": "any"},
        ]}),
    );
    let uuid = created["uuid"].as_str().unwrap().to_owned();
    // The configuration leaves port_end to the server.
    let body = r#"  name     = "imported"
  location = "jkt02"
  rule {
    direction   = "inbound"
    protocol    = "icmp"
  }
  rule {
    direction   = "inbound"
    protocol    = "tcp"
    port_start  = 22
    ip_prefixes = ["10.0.0.0/8"]
  }"#;
    env.write_config(&firewall(body));
    env.import_ok("idcloudhost_firewall.fw", &format!("jkt02/{uuid}"));
    let state = env.resource("idcloudhost_firewall.fw");
    assert_eq!(state["id"], uuid.as_str());
    assert_eq!(state["location"], "jkt02");
    assert_eq!(state["rule"].as_array().unwrap().len(), 2);
    env.assert_no_changes();

    // The plain uuid, with the location from the provider.
    env.tf_ok(&["state", "rm", "-no-color", "idcloudhost_firewall.fw"]);
    env.apply_config(&format!(
        "provider \"idcloudhost\" {{\n  location = \"jkt02\"\n}}\nresource \"idcloudhost_firewall\" \"fw\" {{\n{}\n}}\nimport {{\n  to = idcloudhost_firewall.fw\n  id = \"{uuid}\"\n}}\n",
        body.replace("  location = \"jkt02\"\n", "")
    ));
    assert_eq!(id(&env, "idcloudhost_firewall.fw"), uuid);
    assert_eq!(env.resource("idcloudhost_firewall.fw")["location"], "jkt02");
    env.assert_no_changes();
    assert_eq!(
        served(&env, "jkt02", &uuid).unwrap()["display_name"],
        "imported"
    );

    // A firewall that does not exist cannot be imported.
    env.tf_ok(&["state", "rm", "-no-color", "idcloudhost_firewall.fw"]);
    env.write_config(&firewall(body));
    let result = env.import(
        "idcloudhost_firewall.fw",
        "jkt02/00000000-0000-4000-8000-000000000000",
    );
    result.assert_failed();
    assert!(
        flat(&result.all()).contains("Cannot import non-existent remote object"),
        "{}",
        result.all()
    );
}

#[test]
fn bad_rules_fail_at_plan_naming_the_attribute() {
    let env = Env::new();
    let cases = [
        (
            "port_start = 0",
            "rule.0.port_start",
            "outside the allowed range",
        ),
        (
            "port_start = 70000",
            "rule.0.port_start",
            "outside the allowed range",
        ),
        (
            "port_start = 22\n port_end = 70000",
            "rule.0.port_end",
            "outside the allowed range",
        ),
        (
            "port_start = 90\n port_end = 80",
            "rule.0.port_start",
            "port_start (90) is greater than port_end (80)",
        ),
        ("port_end = 80", "rule.0.port_start", "without port_start"),
        (
            "port_start = 22\n ip_prefixes = [\"10.0.0.0/33\"]",
            "rule.0.ip_prefixes",
            "invalid prefix length",
        ),
        (
            "port_start = 22\n ip_prefixes = [\"10.0.0.0/33\", \"10.0.0.1\", \"300.1.1.1\"]",
            "rule.0.ip_prefixes",
            "\"10.0.0.0/33\" has an invalid prefix length (0 to 32). \"300.1.1.1\" is not a valid IP address",
        ),
        (
            "port_start = 22\n ip_prefixes = [\"not-an-ip\"]",
            "rule.0.ip_prefixes",
            "not a valid IP address",
        ),
    ];
    // A rule of `fields` fails at plan: "Invalid value for ATTR", and `message`.
    let assert_rule_refused = |fields: &str, attr: &str, message: &str| {
        env.write_config(&firewall(&format!(
            "  name = \"bad\"\n  rule {{\n {fields}\n  }}"
        )));
        let plan = env.plan();
        assert_eq!(plan.code, 1, "{fields}: {}", plan.all());
        let text = flat(&plan.all());
        assert!(
            text.contains(&format!("Invalid value for {attr}")),
            "{fields}: {text}"
        );
        assert!(text.contains(message), "{fields}: {text}");
    };
    for (fields, attr, message) in cases {
        let tcp_fields = format!("direction = \"inbound\"\n protocol = \"tcp\"\n {fields}");
        assert_rule_refused(&tcp_fields, attr, message);
    }
    let others = [
        (
            "direction = \"inbound\"\n protocol = \"gre\"",
            "rule.0.protocol",
            "\"gre\" is not one of",
        ),
        (
            "direction = \"sideways\"\n protocol = \"tcp\"",
            "rule.0.direction",
            "\"sideways\" is not one of",
        ),
        (
            "direction = \"inbound\"\n protocol = \"icmp\"\n port_start = 8",
            "rule.0.port_start",
            "ICMP has no ports",
        ),
    ];
    for (fields, attr, message) in others {
        assert_rule_refused(fields, attr, message);
    }
    // Several rules: the message says which rule (Terraform sends a set in its own
    // order, so an index would point at the wrong block in the file).
    env.write_config(&firewall(&format!(
        "  name = \"x\"\n{SSH}{HTTP}
  rule {{
    direction  = \"inbound\"
    protocol   = \"tcp\"
    port_start = 0
  }}
  rule {{
    direction  = \"inbound\"
    protocol   = \"tcp\"
    port_start = 9
    port_end   = 8
  }}"
    )));
    let plan = env.plan_fails();
    let text = flat(&plan.all());
    assert!(text.contains("Invalid value for rule.port_start"), "{text}");
    assert!(
        text.contains(
            "0 is outside the allowed range of 1 to 65535. (In the inbound tcp rule for port 0.)"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "port_start (9) is greater than port_end (8). (In the inbound tcp rule for ports 9-8.)"
        ),
        "{text}"
    );

    env.write_config(&firewall("  name = \"  \"\n"));
    env.assert_plan_fails_with(&["must not be empty"]);

    assert!(
        env.api().writes().is_empty(),
        "nothing was written: {:?}",
        env.api().writes()
    );
    assert!(firewalls(&env, "jkt01").is_empty());
}

/// A VM made through the simulator's API.
fn sim_vm(env: &Env, location: &str, name: &str) -> String {
    let vm = env
        .api()
        .create_vm(location, name, &[("os_version", "24.04-lts")]);
    vm["uuid"].as_str().unwrap().to_owned()
}

fn attachment_config(vm: &str) -> String {
    format!(
        r#"{PROVIDER}
resource "idcloudhost_firewall" "fw" {{
  name = "app"
  rule {{
    direction  = "inbound"
    protocol   = "tcp"
    port_start = 443
  }}
}}
resource "idcloudhost_firewall_attachment" "a" {{
  firewall_uuid = idcloudhost_firewall.fw.id
  vm_uuid       = "{vm}"
}}
"#
    )
}

fn assigned(env: &Env, location: &str, firewall: &str) -> Vec<String> {
    served(env, location, firewall)
        .map(|f| {
            f["resources_assigned"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| {
                    assert_eq!(a["resource_type"], "vm");
                    a["resource_uuid"].as_str().unwrap().to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn attachment_create_import_detach_replace_destroy() {
    let env = Env::new();
    let vm = sim_vm(&env, "jkt01", "app-1");
    env.apply_config(&attachment_config(&vm));
    let fw = id(&env, "idcloudhost_firewall.fw");
    let state = env.resource("idcloudhost_firewall_attachment.a");
    assert_eq!(state["id"], format!("jkt01/{fw}/{vm}"));
    assert_eq!(state["location"], "jkt01");
    assert_eq!(assigned(&env, "jkt01", &fw), vec![vm.clone()]);
    env.assert_no_changes();

    // Import with and without the location.
    for import_id in [format!("jkt01/{fw}/{vm}"), format!("{fw}/{vm}")] {
        env.tf_ok(&[
            "state",
            "rm",
            "-no-color",
            "idcloudhost_firewall_attachment.a",
        ]);
        env.import_ok("idcloudhost_firewall_attachment.a", &import_id);
        let state = env.resource("idcloudhost_firewall_attachment.a");
        assert_eq!(state["vm_uuid"], vm.as_str());
        assert_eq!(state["firewall_uuid"], fw.as_str());
        env.assert_no_changes();
    }

    // An attachment that does not exist cannot be imported.
    let other_vm = sim_vm(&env, "jkt01", "unattached");
    env.tf_ok(&[
        "state",
        "rm",
        "-no-color",
        "idcloudhost_firewall_attachment.a",
    ]);
    let result = env.import(
        "idcloudhost_firewall_attachment.a",
        &format!("jkt01/{fw}/{other_vm}"),
    );
    result.assert_failed();
    assert!(
        flat(&result.all()).contains("Cannot import non-existent remote object"),
        "{}",
        result.all()
    );
    env.import_ok("idcloudhost_firewall_attachment.a", &format!("{fw}/{vm}"));

    // Detached outside Terraform: the plan attaches it again.
    env.api().delete(&format!(
        "/v1/jkt01/network/firewalls/{fw}/vms?vm_uuid={vm}"
    ));
    assert!(assigned(&env, "jkt01", &fw).is_empty());
    env.plan_check()
        .assert_only(&[("idcloudhost_firewall_attachment.a", Action::Create)]);
    env.apply();
    assert_eq!(assigned(&env, "jkt01", &fw), vec![vm.clone()]);
    env.assert_no_changes();

    // Another VM replaces the attachment; the firewall stays.
    let vm2 = sim_vm(&env, "jkt01", "app-2");
    env.write_config(&attachment_config(&vm2));
    env.plan_check()
        .assert_actions(&[("idcloudhost_firewall_attachment.a", Action::Replace)]);
    env.apply();
    assert_eq!(id(&env, "idcloudhost_firewall.fw"), fw);
    assert_eq!(assigned(&env, "jkt01", &fw), vec![vm2.clone()]);
    env.assert_no_changes();

    // Destroy detaches, then deletes the firewall.
    env.destroy_leaving_empty("jkt01", "network/firewalls");
}

#[test]
fn attachment_of_a_deleted_vm_is_gone() {
    let env = Env::new();
    let vm = sim_vm(&env, "jkt01", "app");
    env.apply_config(&attachment_config(&vm));
    let fw = id(&env, "idcloudhost_firewall.fw");
    // The VM is deleted outside Terraform: the platform drops the assignment.
    env.api()
        .delete_form("/v1/jkt01/user-resource/vm", &[("uuid", &vm)]);
    assert!(assigned(&env, "jkt01", &fw).is_empty());
    // The attachment is gone from the state; planning it again for a VM that no
    // longer exists fails at plan time, naming vm_uuid.
    let plan = env.plan_fails();
    let text = plan.all().replace('\n', " ");
    assert!(text.contains("Invalid value for vm_uuid"), "{text}");
    assert!(text.contains(&format!("VM {vm} does not exist")), "{text}");
    // Nothing left to detach: destroy succeeds (it runs no such check).
    env.destroy_leaving_empty("jkt01", "network/firewalls");
}

fn example(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/resources")
        .join(name)
        .join("resource.tf");
    std::fs::read_to_string(path).expect("example exists")
}

#[test]
fn documented_examples_apply_cleanly_and_destroy() {
    // The firewall example: six rules, no port_end anywhere but in the range.
    let env = Env::applied(&format!("{PROVIDER}{}", example("idcloudhost_firewall")));
    env.assert_no_changes();
    let uuid = id(&env, "idcloudhost_firewall.web");
    let fw = served(&env, "jkt01", &uuid).unwrap();
    assert_eq!(fw["rules"].as_array().unwrap().len(), 6);
    assert_eq!(served_rule(&fw, "udp", Some(60000))["port_end"], 61000);
    assert_eq!(served_rule(&fw, "tcp", None)["direction"], "outbound");
    env.destroy_leaving_empty("jkt01", "network/firewalls");

    // The attachment example, with a VM managed by Terraform.
    let env = Env::applied(&format!(
        "{PROVIDER}{}",
        example("idcloudhost_firewall_attachment")
    ));
    env.assert_no_changes();
    let fw = id(&env, "idcloudhost_firewall.web");
    let vm = id(&env, "idcloudhost_vm.web");
    assert_eq!(assigned(&env, "jkt01", &fw), vec![vm.clone()]);
    assert_eq!(
        env.resource("idcloudhost_firewall_attachment.web")["id"],
        format!("jkt01/{fw}/{vm}")
    );
    // Destroy detaches before deleting the firewall and the VM.
    env.destroy_leaving_empty("jkt01", "network/firewalls");
    let vm_left = env.api().find("jkt01", "user-resource/vm/list", &vm);
    assert!(vm_left.is_none(), "{vm_left:?}");
}

#[test]
fn oldest_supported_terraform_plans_rules_the_same() {
    let env = Env::with_terraform(common::terraform_1_0_binary());
    env.apply_config(&firewall(&format!("  name = \"old\"\n{SSH}{DNS}{PING}")));
    let uuid = id(&env, "idcloudhost_firewall.fw");
    env.assert_no_changes();
    env.write_config(&firewall(&format!("  name = \"old\"\n{PING}{SSH}{DNS}")));
    env.assert_no_changes();
    env.apply_config(&firewall(&format!(
        "  name = \"old\"\n{PING}{SSH}{DNS}{HTTP}"
    )));
    assert_eq!(id(&env, "idcloudhost_firewall.fw"), uuid);
    let fw = served(&env, "jkt01", &uuid).unwrap();
    assert_eq!(fw["rules"].as_array().unwrap().len(), 4);
    assert_eq!(served_rule(&fw, "udp", Some(53))["port_end"], 53);
    env.assert_no_changes();
    env.destroy_leaving_empty("jkt01", "network/firewalls");
}

#[test]
fn lost_create_answers_are_recovered_without_duplicates() {
    let env = Env::new();
    let vm = sim_vm(&env, "jkt01", "app");
    // Every firewall POST is carried out, then answered with a 500.
    env.api().set_faults(json!({
        "error_rate": 1.0, "statuses": [500], "method": "POST",
        "path_contains": "network/firewalls", "after_effect": true
    }));
    env.apply_config(&attachment_config(&vm));
    env.api().clear_faults();
    let fw = id(&env, "idcloudhost_firewall.fw");
    let all = firewalls(&env, "jkt01");
    assert_eq!(all.len(), 1, "no duplicate firewall: {all:?}");
    assert_eq!(all[0]["uuid"], fw.as_str());
    assert_eq!(assigned(&env, "jkt01", &fw), vec![vm.clone()]);
    let posts: Vec<_> = env
        .api()
        .requests()
        .into_iter()
        .filter(|(m, p, _)| m == "POST" && p.contains("network/firewalls"))
        .collect();
    assert_eq!(posts.len(), 2, "each POST sent once: {posts:?}");
    assert!(
        posts.iter().all(|(_, _, status)| *status == 500),
        "{posts:?}"
    );
    env.assert_no_changes();
}

#[test]
fn destroying_a_firewall_attached_outside_terraform_names_the_vms() {
    let env = Env::new();
    let vm = sim_vm(&env, "jkt01", "app");
    env.apply_config(&firewall(&format!(
        "  name = \"busy\"\n{HTTP}\n  timeouts {{\n    delete = \"2s\"\n  }}"
    )));
    let fw = id(&env, "idcloudhost_firewall.fw");
    env.api().post(
        &format!("/v1/jkt01/network/firewalls/{fw}/vms?vm_uuid={vm}"),
        json!({}),
    );
    // Attachments are not part of the firewall: no drift.
    env.assert_no_changes();
    let result = env.tf(&["destroy", "-auto-approve", "-no-color"]);
    result.assert_failed();
    let text = flat(&result.all());
    assert!(
        text.contains(&format!("still attached to these VMs: VM \"app\" ({vm})")),
        "{text}"
    );
    assert!(
        text.contains("waited 2s (the delete timeout)"),
        "destroy waited for the VM until the deadline: {text}"
    );
    assert!(served(&env, "jkt01", &fw).is_some());
    env.api().delete(&format!(
        "/v1/jkt01/network/firewalls/{fw}/vms?vm_uuid={vm}"
    ));
    env.destroy_leaving_empty("jkt01", "network/firewalls");
}

/// The ports of each rule of `idcloudhost_firewall.fw` in a plan's `after` values.
fn planned_ports(env: &Env) -> (Action, Vec<(Value, Value)>) {
    let plan = env.plan_check();
    let ports = plan.after(FW)["rule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["port_start"].clone(), r["port_end"].clone()))
        .collect();
    (plan.action(FW), ports)
}

/// An omitted port_end means port_end = port_start: a range widened outside
/// Terraform is drift, and removing port_end narrows the rule back to one port.
#[test]
fn omitted_port_end_is_a_single_port_and_a_wider_range_is_drift() {
    let env = Env::new();
    let rule = |extra: &str| {
        firewall(&format!(
            "  name = \"ssh\"\n  rule {{\n    direction  = \"inbound\"\n    protocol   = \"tcp\"\n    port_start = 22\n    {extra}\n  }}"
        ))
    };
    env.write_config(&rule(""));
    let (action, ports) = planned_ports(&env);
    assert_eq!(action, Action::Create);
    assert_eq!(ports, [(json!(22), json!(22))], "known at plan time");
    env.apply();
    let uuid = id(&env, "idcloudhost_firewall.fw");
    assert_eq!(
        served_rule(&served(&env, "jkt01", &uuid).unwrap(), "tcp", Some(22))["port_end"],
        22
    );
    env.assert_no_changes();

    // Widened outside Terraform: the plan puts the single port back.
    put_firewall(
        &env,
        "jkt01",
        &uuid,
        "ssh",
        json!([{"direction": "inbound", "protocol": "tcp", "port_start": 22, "port_end": 65535,
                "endpoint_spec_type": "any"}]),
    );
    let (action, ports) = planned_ports(&env);
    assert_eq!(action, Action::Update);
    assert_eq!(ports, [(json!(22), json!(22))]);
    env.apply();
    assert_eq!(
        served_rule(&served(&env, "jkt01", &uuid).unwrap(), "tcp", Some(22))["port_end"],
        22
    );
    env.assert_no_changes();

    // A range, then port_end removed: back to one port, not the old range.
    env.apply_config(&rule("port_end = 90"));
    assert_eq!(
        served_rule(&served(&env, "jkt01", &uuid).unwrap(), "tcp", Some(22))["port_end"],
        90
    );
    env.write_config(&rule(""));
    let (action, ports) = planned_ports(&env);
    assert_eq!(action, Action::Update);
    assert_eq!(ports, [(json!(22), json!(22))]);
    env.apply();
    assert_eq!(
        served_rule(&served(&env, "jkt01", &uuid).unwrap(), "tcp", Some(22))["port_end"],
        22
    );
    env.assert_no_changes();
}

/// The rule block's declared meaning across attributes: the platform reporting
/// "every port" as the range 1-65535 is the rule the configuration says (no
/// change, the state keeps the configuration's form), while a narrower range is
/// drift of that rule alone.
#[test]
fn every_port_reported_as_the_full_range_is_the_same_rule() {
    let env = Env::new();
    let rules = r#"
  rule {
    direction = "outbound"
    protocol  = "tcp"
  }
  rule {
    direction  = "inbound"
    protocol   = "tcp"
    port_start = 22
  }"#;
    env.apply_config(&firewall(&format!("  name = \"all\"\n{rules}")));
    let uuid = id(&env, FW);
    env.assert_no_changes();

    let ssh = json!({"direction": "inbound", "protocol": "tcp", "port_start": 22, "port_end": 22,
                     "endpoint_spec_type": "any"});
    put_firewall(
        &env,
        "jkt01",
        &uuid,
        "all",
        json!([{"direction": "outbound", "protocol": "tcp", "port_start": 1, "port_end": 65535,
                "endpoint_spec_type": "any"}, ssh.clone()]),
    );
    let every = served_rule(&served(&env, "jkt01", &uuid).unwrap(), "tcp", Some(1));
    assert_eq!(every["port_end"], 65535, "{every}");
    env.assert_no_changes();
    env.refresh_only();
    let outbound: Vec<Value> = env.resource(FW)["rule"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["direction"] == "outbound")
        .cloned()
        .collect();
    assert_eq!(outbound.len(), 1, "{outbound:?}");
    assert_eq!(
        (&outbound[0]["port_start"], &outbound[0]["port_end"]),
        (&Value::Null, &Value::Null),
        "the configuration's form is kept: {outbound:?}"
    );

    // Not every port: drift, that rule only.
    put_firewall(
        &env,
        "jkt01",
        &uuid,
        "all",
        json!([{"direction": "outbound", "protocol": "tcp", "port_start": 1, "port_end": 1024,
                "endpoint_spec_type": "any"}, ssh]),
    );
    let plan = env.plan_check();
    plan.assert_updates_only(FW, &["rule"]);
    let removed = plan.removed(FW, "rule");
    assert_eq!(removed.len(), 1, "{}", plan.text());
    assert_eq!(removed[0]["port_end"], 1024, "{}", plan.text());
    let added = plan.added(FW, "rule");
    assert_eq!(added.len(), 1, "{}", plan.text());
    assert_eq!(added[0]["port_start"], Value::Null, "{}", plan.text());
    env.apply();
    env.assert_no_changes();
}
