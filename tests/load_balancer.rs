//! `idcloudhost_load_balancer` through the real terraform binary against the simulator.

mod common;

use common::{hcl, Action, Env};
use serde_json::{json, Value};

const LB: &str = "idcloudhost_load_balancer.lb";

/// The source ports of forwarding rules, sorted.
fn source_ports(rules: &[Value]) -> Vec<i64> {
    let mut ports: Vec<i64> = rules
        .iter()
        .filter_map(|r| r["source_port"].as_i64())
        .collect();
    ports.sort();
    ports
}

fn billing_accounts(env: &Env) -> Vec<i64> {
    env.api()
        .get("/v1/payment/billing_account/list")
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_i64().unwrap())
        .collect()
}

/// A VM made through the simulator's API (in the location's default network).
fn create_vm(env: &Env, location: &str, name: &str) -> Value {
    env.api().create_vm(location, name, &[])
}

fn uuid(v: &Value) -> String {
    v["uuid"].as_str().unwrap().to_owned()
}

fn lbs(env: &Env, location: &str) -> Vec<Value> {
    env.api()
        .get_list(&format!("/v1/{location}/network/load_balancers"))
}

fn lb(env: &Env, location: &str, id: &str) -> Value {
    env.api()
        .get(&format!("/v1/{location}/network/load_balancers/{id}"))
}

fn floating_ips(env: &Env, location: &str) -> Vec<Value> {
    env.api()
        .get_list(&format!("/v1/{location}/network/ip_addresses"))
}

/// `(source_port, target_port, uuid)` of the served rules, sorted.
fn served_rules(lb: &Value) -> Vec<(i64, i64, String)> {
    rules_in(&lb["forwarding_rules"])
}

/// `(source_port, target_port, uuid)` of the rules in the state, sorted.
fn state_rules(state: &Value) -> Vec<(i64, i64, String)> {
    rules_in(&state["forwarding_rule"])
}

/// `(source_port, target_port, uuid)` of a list of forwarding rules, sorted.
fn rules_in(list: &Value) -> Vec<(i64, i64, String)> {
    let mut rules: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["source_port"].as_i64().unwrap(),
                r["target_port"].as_i64().unwrap(),
                r["uuid"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    rules.sort();
    rules
}

fn served_targets(lb: &Value) -> Vec<String> {
    let mut t: Vec<String> = lb["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["target_uuid"].as_str().unwrap().to_owned())
        .collect();
    t.sort();
    t
}

/// A `forwarding_rule` block from port `source` to port `target`.
fn rule(source: u16, target: u16) -> String {
    hcl::forwarding_rule(source, target)
}

/// A `target` block naming the VM `vm` by its uuid.
fn target(vm: &str) -> String {
    hcl::lb_target(&hcl::quoted(vm))
}

fn config(name: &str, body: &str) -> String {
    hcl::with_provider(&hcl::named("idcloudhost_load_balancer", "lb", name, body))
}

#[test]
fn create_update_members_in_place_drift_and_destroy() {
    let env = Env::new();
    let vm1 = create_vm(&env, "jkt01", "web-1");
    let vm2 = create_vm(&env, "jkt01", "web-2");
    let (vm1_id, vm2_id) = (uuid(&vm1), uuid(&vm2));
    let billing = billing_accounts(&env);

    // Create with two rules and one target.
    let members = format!("{}{}{}", rule(80, 8080), rule(443, 8443), target(&vm1_id));
    env.apply_config(&config("web", &members));
    let state = env.resource(LB);
    let id = state["id"].as_str().unwrap().to_owned();
    let served = lb(&env, "jkt01", &id);
    assert_eq!(state["location"], "jkt01");
    assert_eq!(state["name"], "web");
    assert_eq!(served["display_name"], "web");
    assert_eq!(state["billing_account_id"], billing[0]);
    assert_eq!(served["billing_account_id"], billing[0]);
    assert_eq!(state["network_uuid"], served["network_uuid"]);
    // The same network as the VMs (the location's default one).
    let nets = env.api().get("/v1/jkt01/network/networks");
    let vm_net = nets
        .as_array()
        .unwrap()
        .iter()
        .find(|n| {
            n["vm_uuids"]
                .as_array()
                .unwrap()
                .iter()
                .any(|v| v == vm1_id.as_str())
        })
        .unwrap();
    assert_eq!(state["network_uuid"], vm_net["uuid"]);
    assert_eq!(state["private_address"], served["private_address"]);
    assert_eq!(state["created_at"], served["created_at"]);
    assert_eq!(state["reserve_public_ip"], true);
    assert_eq!(state["release_public_ip_on_destroy"], true);
    // The public address is the floating IP assigned to the load balancer.
    let ips = floating_ips(&env, "jkt01");
    let public: Vec<&Value> = ips
        .iter()
        .filter(|ip| ip["assigned_to"] == id.as_str())
        .collect();
    assert_eq!(public.len(), 1, "{ips:?}");
    assert_eq!(state["public_address"], public[0]["address"]);
    // Ports are what was sent (the documented example shows another target port back).
    assert_eq!(
        served_rules(&served)
            .iter()
            .map(|r| (r.0, r.1))
            .collect::<Vec<_>>(),
        vec![(80, 8080), (443, 8443)]
    );
    assert_eq!(state_rules(&state), served_rules(&served));
    for r in state["forwarding_rule"].as_array().unwrap() {
        assert_eq!(r["protocol"], "TCP");
    }
    let targets = state["target"].as_array().unwrap();
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0]["target_uuid"], vm1_id.as_str());
    assert_eq!(targets[0]["target_type"], "vm");
    assert_eq!(targets[0]["target_ip_address"], vm1["private_ipv4"]);
    assert_eq!(served_targets(&served), vec![vm1_id.clone()]);
    env.assert_no_changes();

    // In-place rename.
    env.apply_config(&config("web-renamed", &members));
    assert_eq!(env.resource(LB)["id"], id.as_str());
    assert_eq!(lb(&env, "jkt01", &id)["display_name"], "web-renamed");
    env.assert_no_changes();

    // In-place billing account change.
    let members_billed = format!("  billing_account_id = {}\n{members}", billing[1]);
    env.write_config(&config("web-renamed", &members_billed));
    let plan = env.plan_check();
    plan.assert_only(&[(LB, Action::Update)]);
    assert_eq!(plan.changed_attributes(LB), vec!["billing_account_id"]);
    env.apply();
    assert_eq!(env.resource(LB)["id"], id.as_str());
    assert_eq!(env.resource(LB)["billing_account_id"], billing[1]);
    assert_eq!(lb(&env, "jkt01", &id)["billing_account_id"], billing[1]);
    env.assert_no_changes();

    // Add a rule: the other rules keep their uuids.
    let before = served_rules(&lb(&env, "jkt01", &id));
    let members = format!(
        "  billing_account_id = {}\n{}{}{}{}",
        billing[1],
        rule(80, 8080),
        rule(443, 8443),
        rule(22, 2222),
        target(&vm1_id)
    );
    env.write_config(&config("web-renamed", &members));
    let plan = env.plan_check();
    plan.assert_only(&[(LB, Action::Update)]);
    assert_eq!(
        source_ports(&plan.added(LB, "forwarding_rule")),
        vec![22],
        "{}",
        plan.text()
    );
    assert_eq!(plan.removed(LB, "forwarding_rule"), Vec::<Value>::new());
    env.api().clear_requests();
    env.apply();
    let served = lb(&env, "jkt01", &id);
    let after = served_rules(&served);
    assert_eq!(after.len(), 3);
    for old in &before {
        assert!(after.contains(old), "{old:?} kept in {after:?}");
    }
    assert_eq!(state_rules(&env.resource(LB)), after);
    let w = env.api().writes();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].1.ends_with("/forwarding_rules"), "{w:?}");
    env.assert_no_changes();

    // Remove a rule.
    let members = format!(
        "  billing_account_id = {}\n{}{}{}",
        billing[1],
        rule(80, 8080),
        rule(22, 2222),
        target(&vm1_id)
    );
    env.apply_config(&config("web-renamed", &members));
    let served = lb(&env, "jkt01", &id);
    let remaining = served_rules(&served);
    assert_eq!(
        remaining.iter().map(|r| (r.0, r.1)).collect::<Vec<_>>(),
        vec![(22, 2222), (80, 8080)]
    );
    for r in &remaining {
        assert!(after.contains(r), "{r:?} kept its uuid");
    }
    assert_eq!(env.resource(LB)["id"], id.as_str());
    env.assert_no_changes();

    // Add a target: the existing one is not touched.
    let rules = format!(
        "  billing_account_id = {}\n{}{}",
        billing[1],
        rule(80, 8080),
        rule(22, 2222)
    );
    env.write_config(&config(
        "web-renamed",
        &format!("{rules}{}{}", target(&vm1_id), target(&vm2_id)),
    ));
    env.api().clear_requests();
    env.apply();
    let w = env.api().writes();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, "POST");
    assert!(w[0].1.ends_with(&format!("{id}/targets")), "{w:?}");
    let mut both = vec![vm1_id.clone(), vm2_id.clone()];
    both.sort();
    assert_eq!(served_targets(&lb(&env, "jkt01", &id)), both);
    let state = env.resource(LB);
    let t2 = state["target"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["target_uuid"] == vm2_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(t2["target_ip_address"], vm2["private_ipv4"]);
    env.assert_no_changes();

    // Remove a target.
    env.write_config(&config(
        "web-renamed",
        &format!("{rules}{}", target(&vm2_id)),
    ));
    env.api().clear_requests();
    env.apply();
    let w = env.api().writes();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, "DELETE");
    assert!(w[0].1.ends_with(&format!("/targets/{vm1_id}")), "{w:?}");
    assert_eq!(
        served_targets(&lb(&env, "jkt01", &id)),
        vec![vm2_id.clone()]
    );
    assert_eq!(env.resource(LB)["id"], id.as_str());
    env.assert_no_changes();

    // Changing a rule's target port drops it and adds it again, in place.
    let rules = format!(
        "  billing_account_id = {}\n{}{}",
        billing[1],
        rule(80, 9090),
        rule(22, 2222)
    );
    let final_config = config("web-renamed", &format!("{rules}{}", target(&vm2_id)));
    env.apply_config(&final_config);
    let served = lb(&env, "jkt01", &id);
    assert_eq!(
        served_rules(&served)
            .iter()
            .map(|r| (r.0, r.1))
            .collect::<Vec<_>>(),
        vec![(22, 2222), (80, 9090)]
    );
    assert_eq!(state_rules(&env.resource(LB)), served_rules(&served));
    env.assert_no_changes();

    // Drift: a rule removed through the API is planned back.
    let ssh = served_rules(&served)
        .into_iter()
        .find(|r| r.0 == 22)
        .unwrap()
        .2;
    env.api().delete(&format!(
        "/v1/jkt01/network/load_balancers/{id}/forwarding_rules/{ssh}"
    ));
    let plan = env.plan_check();
    plan.assert_only(&[(LB, Action::Update)]);
    assert_eq!(
        source_ports(&plan.added(LB, "forwarding_rule")),
        vec![22],
        "{}",
        plan.text()
    );
    env.apply();
    assert_eq!(served_rules(&lb(&env, "jkt01", &id)).len(), 2);
    env.assert_no_changes();

    // Drift: renamed through the API; the plan names exactly `name`.
    let path = format!("/v1/jkt01/network/load_balancers/{id}");
    env.assert_outside_rename_reverted(&path, "display_name", "by-hand", LB, "web-renamed");
    assert_eq!(lb(&env, "jkt01", &id)["display_name"], "web-renamed");
    env.assert_no_changes();

    // Drift: a rule added through the API is planned for removal, the others kept.
    let kept = served_rules(&lb(&env, "jkt01", &id));
    env.api().post(
        &format!("/v1/jkt01/network/load_balancers/{id}/forwarding_rules"),
        json!({"source_port": 9999, "target_port": 9999}),
    );
    let plan = env.plan_check();
    plan.assert_only(&[(LB, Action::Update)]);
    assert_eq!(
        source_ports(&plan.removed(LB, "forwarding_rule")),
        vec![9999],
        "{}",
        plan.text()
    );
    assert_eq!(plan.added(LB, "forwarding_rule"), Vec::<Value>::new());
    env.apply();
    assert_eq!(served_rules(&lb(&env, "jkt01", &id)), kept);
    env.assert_no_changes();

    // Deleted outside Terraform: the plan creates it again. (Its address stays behind,
    // as the API leaves it.)
    env.api()
        .delete(&format!("/v1/jkt01/network/load_balancers/{id}"));
    env.plan_check().assert_only(&[(LB, Action::Create)]);
    env.apply();
    let new_id = env.id_of(LB);
    assert_ne!(new_id, id);
    assert_eq!(
        served_targets(&lb(&env, "jkt01", &new_id)),
        vec![vm2_id.clone()]
    );
    env.assert_no_changes();

    // Destroy: no load balancer left, and its address released too.
    let leftover_before: Vec<String> = floating_ips(&env, "jkt01")
        .iter()
        .filter(|ip| ip["assigned_to"].is_null())
        .map(|ip| ip["address"].as_str().unwrap().to_owned())
        .collect();
    let public = env.resource(LB)["public_address"]
        .as_str()
        .unwrap()
        .to_owned();
    env.destroy_leaving_empty("jkt01", "network/load_balancers");
    let ips = floating_ips(&env, "jkt01");
    assert!(
        ips.iter().all(|ip| ip["address"] != public.as_str()),
        "{ips:?}"
    );
    let leftover_after: Vec<String> = ips
        .iter()
        .map(|ip| ip["address"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        leftover_after, leftover_before,
        "only the out-of-band delete's address remains"
    );
}

#[test]
fn network_change_replaces_and_keep_address_on_destroy() {
    let env = Env::new();
    let net_a = env
        .api()
        .post("/v1/jkt01/network/network?name=a", json!({}));
    let net_b = env
        .api()
        .post("/v1/jkt01/network/network?name=b", json!({}));
    let body = |net: &str| format!("  network_uuid = \"{net}\"\n{}", rule(80, 80));
    env.write_config(&config("edge", &body(&uuid(&net_a))));
    env.apply();
    let first = env.resource(LB);
    let first_id = first["id"].as_str().unwrap().to_owned();
    assert_eq!(first["network_uuid"], net_a["uuid"]);
    assert_eq!(lb(&env, "jkt01", &first_id)["network_uuid"], net_a["uuid"]);
    let first_public = first["public_address"].as_str().unwrap().to_owned();

    env.write_config(&config("edge", &body(&uuid(&net_b))));
    let plan = env.plan_check();
    assert_eq!(plan.action(LB), Action::Replace, "{}", plan.text());
    assert_eq!(
        plan.replace_paths(LB),
        vec!["network_uuid"],
        "{}",
        plan.text()
    );
    env.apply();
    let second = env.resource(LB);
    let second_id = second["id"].as_str().unwrap().to_owned();
    assert_ne!(second_id, first_id);
    assert_eq!(lb(&env, "jkt01", &second_id)["network_uuid"], net_b["uuid"]);
    let served: Vec<String> = lbs(&env, "jkt01").iter().map(uuid).collect();
    assert_eq!(served, vec![second_id.clone()]);
    // The replaced one's address was released with it.
    let ips = floating_ips(&env, "jkt01");
    assert_eq!(ips.len(), 1, "{ips:?}");
    assert_ne!(ips[0]["address"], first_public.as_str());
    assert_eq!(ips[0]["assigned_to"], second_id.as_str());
    env.assert_no_changes();

    // release_public_ip_on_destroy = false: changed in place, destroy keeps the address.
    env.write_config(&config(
        "edge",
        &format!(
            "  release_public_ip_on_destroy = false\n{}",
            body(&uuid(&net_b))
        ),
    ));
    env.api().clear_requests();
    env.apply();
    assert_eq!(env.resource(LB)["id"], second_id.as_str());
    assert!(
        env.api().writes().is_empty(),
        "no API call for a destroy-time setting"
    );
    let public = env.resource(LB)["public_address"]
        .as_str()
        .unwrap()
        .to_owned();
    env.destroy_leaving_empty("jkt01", "network/load_balancers");
    let ips = floating_ips(&env, "jkt01");
    assert_eq!(ips.len(), 1);
    assert_eq!(ips[0]["address"], public.as_str());
    assert!(ips[0]["assigned_to"].is_null());
}

#[test]
fn import_by_location_and_uuid_then_no_changes() {
    let env = Env::new();
    let vm = create_vm(&env, "jkt02", "app");
    let vm_id = uuid(&vm);
    let created = env.api().post("/v1/jkt02/network/load_balancers", json!({
            "display_name": "imported",
            "rules": [{"source_port": 80, "target_port": 8080}, {"source_port": 443, "target_port": 8443}],
            "targets": [{"target_uuid": vm_id, "target_type": "vm"}],
        }));
    let id = uuid(&created);
    env.write_config(&config(
        "imported",
        &format!(
            "  location = \"jkt02\"\n{}{}{}",
            rule(80, 8080),
            rule(443, 8443),
            target(&vm_id)
        ),
    ));
    env.import_ok(LB, &format!("jkt02/{id}"));
    env.assert_no_changes();
    let state = env.resource(LB);
    assert_eq!(state["id"], id.as_str());
    assert_eq!(state["location"], "jkt02");
    assert_eq!(state["reserve_public_ip"], true);
    assert_eq!(state_rules(&state), served_rules(&lb(&env, "jkt02", &id)));
    let ips = floating_ips(&env, "jkt02");
    assert_eq!(state["public_address"], ips[0]["address"]);

    // Plain uuid form (account default location), for a load balancer without a
    // public address: reserve_public_ip = false is inferred, so no replacement.
    let env2 = Env::new();
    let created = env2.api().post(
        "/v1/jkt01/network/load_balancers",
        json!({"display_name": "private", "reserve_public_ip": false,
               "rules": [{"source_port": 5432, "target_port": 5432}]}),
    );
    let id2 = uuid(&created);
    env2.write_config(&format!(
        "{}\nimport {{\n  to = {LB}\n  id = \"{id2}\"\n}}\n",
        config(
            "private",
            &format!("  reserve_public_ip = false\n{}", rule(5432, 5432))
        )
    ));
    env2.apply();
    let state = env2.resource(LB);
    assert_eq!(state["id"], id2.as_str());
    assert_eq!(state["location"], "jkt01");
    assert_eq!(state["public_address"], Value::Null);
    env2.assert_no_changes();

    // A uuid that does not exist cannot be imported.
    let result = env2.import(
        "idcloudhost_load_balancer.missing",
        "jkt01/00000000-0000-4000-8000-000000000000",
    );
    result.assert_failed();
}

#[test]
fn bad_input_fails_at_plan_and_creates_nothing() {
    let env = Env::new();
    let cases = [
        (rule(0, 80), "forwarding_rule", "outside the allowed range"),
        (
            rule(80, 65535).replace("65535", "70000"),
            "forwarding_rule",
            "outside the allowed range",
        ),
        (
            "  target {\n    target_uuid = \"x\"\n    target_type = \"lb\"\n  }\n".to_owned(),
            "target_type",
            "is not one of",
        ),
        (
            format!("{}{}", rule(80, 80), rule(80, 81)),
            "source_port",
            "more than one",
        ),
        (
            "  location = \"nowhere1\"\n".to_owned(),
            "location",
            "Unknown location \"nowhere1\"",
        ),
    ];
    for (body, attr, message) in cases {
        env.write_config(&config("bad", &body));
        let plan = env.plan();
        assert_eq!(plan.code, 1, "{body}: {}", plan.all());
        assert!(plan.all().contains(message), "{body}: {}", plan.all());
        assert!(plan.all().contains(attr), "{body}: {}", plan.all());
    }
    assert!(env.api().writes().is_empty(), "nothing was written");
    assert!(lbs(&env, "jkt01").is_empty());
}

fn vm_stack(with_b: bool) -> String {
    let vm = |name: &str| {
        format!(
            r#"
resource "idcloudhost_vm" "{name}" {{
  name         = "{name}"
  os_name      = "ubuntu"
  os_version   = "24.04-lts"
  vcpu         = 1
  ram_mb       = 1024
  disk_size_gb = 20
}}
"#
        )
    };
    let mut body = String::from("provider \"idcloudhost\" {}\n");
    body.push_str(&vm("a"));
    let mut targets = String::from("  target { target_uuid = idcloudhost_vm.a.id }\n");
    if with_b {
        body.push_str(&vm("b"));
        targets.push_str("  target { target_uuid = idcloudhost_vm.b.id }\n");
    }
    body.push_str(&format!(
        "resource \"idcloudhost_load_balancer\" \"lb\" {{\n  name = \"stack\"\n{}{targets}}}\n",
        rule(80, 8080)
    ));
    body
}

#[test]
fn with_vms_remove_target_and_vm_together_then_destroy_stack() {
    let env = Env::new();
    // Targets whose uuids are unknown until the VMs exist.
    env.apply_config(&vm_stack(true));
    let a = env.resource("idcloudhost_vm.a");
    let b = env.resource("idcloudhost_vm.b");
    let (a_id, b_id) = (
        a["id"].as_str().unwrap().to_owned(),
        b["id"].as_str().unwrap().to_owned(),
    );
    let state = env.resource(LB);
    let id = state["id"].as_str().unwrap().to_owned();
    let mut both = vec![a_id.clone(), b_id.clone()];
    both.sort();
    assert_eq!(served_targets(&lb(&env, "jkt01", &id)), both);
    for t in state["target"].as_array().unwrap() {
        let vm = if t["target_uuid"] == a_id.as_str() {
            &a
        } else {
            &b
        };
        assert_eq!(t["target_ip_address"], vm["private_ipv4"]);
    }
    env.assert_no_changes();

    // The VM and its target leave the configuration in one apply.
    env.apply_config(&vm_stack(false));
    assert_eq!(env.resource(LB)["id"], id.as_str());
    assert_eq!(served_targets(&lb(&env, "jkt01", &id)), vec![a_id.clone()]);
    let vms = env.api().get("/v1/jkt01/user-resource/vm/list");
    assert!(
        vms.as_array()
            .unwrap()
            .iter()
            .all(|v| v["uuid"] != b_id.as_str()),
        "{vms}"
    );
    env.assert_no_changes();

    // Destroying the stack destroys the load balancer before its target VM.
    let out = env.destroy();
    let lb_done = out
        .stdout
        .find("idcloudhost_load_balancer.lb: Destruction complete")
        .expect("load balancer destroyed");
    let vm_start = out
        .stdout
        .find("idcloudhost_vm.a: Destroying")
        .expect("vm destroyed");
    assert!(lb_done < vm_start, "{}", out.stdout);
    assert!(lbs(&env, "jkt01").is_empty());
    let vms = env.api().get("/v1/jkt01/user-resource/vm/list");
    assert_eq!(vms, json!([]));
    assert_eq!(floating_ips(&env, "jkt01"), Vec::<Value>::new());
}

#[test]
fn lost_answers_to_creates_are_recovered_not_repeated() {
    let env = Env::new();
    let vm1 = uuid(&create_vm(&env, "jkt01", "b-1"));
    let vm2 = uuid(&create_vm(&env, "jkt01", "b-2"));
    // Every POST under load_balancers is carried out, then answered with a 503.
    env.api().set_faults(json!({
        "error_rate": 1.0, "statuses": [503], "method": "POST",
        "path_contains": "load_balancers", "after_effect": true,
    }));
    env.write_config(&config(
        "lossy",
        &format!("{}{}", rule(80, 8080), target(&vm1)),
    ));
    env.apply();
    let id = env.id_of(LB);
    assert_eq!(lbs(&env, "jkt01").len(), 1, "created once");

    env.write_config(&config(
        "lossy",
        &format!(
            "{}{}{}{}",
            rule(80, 8080),
            rule(443, 8443),
            target(&vm1),
            target(&vm2)
        ),
    ));
    env.api().clear_requests();
    env.apply();
    let posts = env.api().writes();
    assert_eq!(posts.len(), 2, "each added once: {posts:?}");
    assert!(posts.iter().all(|(_, _, status)| *status == 503));
    env.api().clear_faults();
    let served = lb(&env, "jkt01", &id);
    assert_eq!(served_rules(&served), state_rules(&env.resource(LB)));
    assert_eq!(served_rules(&served).len(), 2);
    assert_eq!(served_targets(&served).len(), 2);
    env.assert_no_changes();
}

#[test]
fn terraform_1_0_plans_set_members_without_spurious_diffs() {
    let env = Env::with_terraform(common::terraform_1_0_binary());
    let vm1 = uuid(&create_vm(&env, "jkt01", "old-1"));
    let vm2 = uuid(&create_vm(&env, "jkt01", "old-2"));
    env.write_config(&config(
        "old",
        &format!("{}{}", rule(80, 8080), target(&vm1)),
    ));
    env.apply();
    env.assert_no_changes();
    let id = env.id_of(LB);
    let first_rule = served_rules(&lb(&env, "jkt01", &id));
    env.write_config(&config(
        "old",
        &format!(
            "{}{}{}{}",
            rule(80, 8080),
            rule(22, 22),
            target(&vm1),
            target(&vm2)
        ),
    ));
    env.apply();
    let served = lb(&env, "jkt01", &id);
    assert!(served_rules(&served).contains(&first_rule[0]));
    assert_eq!(state_rules(&env.resource(LB)), served_rules(&served));
    assert_eq!(served_targets(&served).len(), 2);
    env.assert_no_changes();
}

/// Targets are known by their VM uuid in any letter case (the declared
/// semantic): a configuration that writes the uuid in capitals, which the
/// platform reports in lower case, keeps its spelling in state and plans no
/// change, before and after a refresh; removing the target outside Terraform is
/// still drift.
#[test]
fn a_target_uuid_read_back_in_another_case_is_the_same_target() {
    let env = Env::new();
    let vm = create_vm(&env, "jkt01", "web-1");
    let vm_id = uuid(&vm);
    let shouted = vm_id.to_ascii_uppercase();
    assert_ne!(shouted, vm_id);
    env.write_config(&config(
        "web",
        &format!("{}{}", rule(80, 8080), target(&shouted)),
    ));
    env.apply();
    let id = env.id_of(LB);
    assert_eq!(served_targets(&lb(&env, "jkt01", &id)), vec![vm_id.clone()]);
    env.assert_no_changes();
    env.refresh_only();
    let state = env.resource(LB);
    assert_eq!(state["target"][0]["target_uuid"], shouted.as_str());
    assert!(
        state["target"][0]["target_ip_address"].is_string(),
        "{state}"
    );
    env.assert_no_changes();

    // Gone outside Terraform: the plan adds it back, nothing else.
    env.api().delete(&format!(
        "/v1/jkt01/network/load_balancers/{id}/targets/{vm_id}"
    ));
    assert!(served_targets(&lb(&env, "jkt01", &id)).is_empty());
    let plan = env.plan_check();
    plan.assert_updates_only(LB, &["target"]);
    env.apply();
    assert_eq!(served_targets(&lb(&env, "jkt01", &id)), vec![vm_id]);
    env.assert_no_changes();
}
