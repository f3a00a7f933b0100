//! `idcloudhost_network` through the real terraform binary against the simulator.

mod common;

use common::{hcl, Action, Env};
use serde_json::{json, Value};

const NET: &str = "idcloudhost_network.net";

fn config(name: &str, extra: &str) -> String {
    hcl::with_provider(&hcl::named("idcloudhost_network", "net", name, extra))
}

fn networks(env: &Env, location: &str) -> Vec<Value> {
    env.api()
        .get_list(&format!("/v1/{location}/network/networks"))
}

/// The first network of a location becomes its default, which can never be deleted:
/// give each location one up front, as a real account has.
fn seed_default_networks(env: &Env) {
    for location in ["jkt01", "jkt02"] {
        let net = env.api().post(
            &format!("/v1/{location}/network/network?name=default"),
            json!({}),
        );
        assert_eq!(net["is_default"], true);
    }
}

#[test]
fn lifecycle_update_drift_replace_destroy() {
    let env = Env::new();
    seed_default_networks(&env);
    env.apply_config(&config("backend", ""));
    let state = env.resource("idcloudhost_network.net");
    let uuid = state["id"].as_str().unwrap().to_owned();
    assert_eq!(state["location"], "jkt01", "account default location");
    assert_eq!(state["name"], "backend");
    assert!(state["subnet"].as_str().unwrap().contains('/'));
    assert_eq!(state["vlan_id"], Value::Null);
    let served = networks(&env, "jkt01");
    assert!(served
        .iter()
        .any(|n| n["uuid"] == uuid.as_str() && n["name"] == "backend"));
    env.assert_no_changes();

    // In-place rename keeps the uuid.
    env.apply_config(&config("backend-2", ""));
    let state = env.resource("idcloudhost_network.net");
    assert_eq!(state["id"], uuid.as_str());
    assert!(networks(&env, "jkt01")
        .iter()
        .any(|n| n["uuid"] == uuid.as_str() && n["name"] == "backend-2"));

    // Renamed outside Terraform: plan shows exactly the name changing back.
    let path = format!("/v1/jkt01/network/network/{uuid}");
    env.assert_outside_rename_reverted(&path, "name", "renamed-by-hand", NET, "backend-2");
    env.assert_no_changes();

    // Moving it to another location replaces it.
    env.write_config(&config("backend-2", "location = \"jkt02\""));
    env.plan_check().assert_actions(&[(NET, Action::Replace)]);
    env.apply();
    let state = env.resource("idcloudhost_network.net");
    assert_ne!(state["id"], uuid.as_str());
    assert_eq!(state["location"], "jkt02");
    assert!(networks(&env, "jkt01")
        .iter()
        .all(|n| n["uuid"] != uuid.as_str()));

    // Deleted outside Terraform: the plan creates it again.
    let new_uuid = state["id"].as_str().unwrap().to_owned();
    env.api()
        .delete_form(&format!("/v1/jkt02/network/network/{new_uuid}"), &[]);
    env.plan_check().assert_only(&[(NET, Action::Create)]);
    env.apply();
    let recreated = env.id_of("idcloudhost_network.net");
    assert_ne!(recreated, new_uuid);

    env.destroy();
    assert!(networks(&env, "jkt02")
        .iter()
        .all(|n| n["uuid"] != recreated.as_str()));
}

#[test]
fn is_default_moves_and_other_networks_do_not_drift() {
    let env = Env::applied(
        r#"
provider "idcloudhost" {}
resource "idcloudhost_network" "a" { name = "a" }
resource "idcloudhost_network" "b" {
  name = "b"
  is_default = true
  depends_on = [idcloudhost_network.a]
}
"#,
    );
    assert_eq!(env.resource("idcloudhost_network.b")["is_default"], true);
    // a was the default until b took over; its own refresh sees that without a diff.
    env.assert_no_changes();
    env.refresh_only();
    assert_eq!(env.resource("idcloudhost_network.a")["is_default"], false);
    env.assert_no_changes();
    let served = networks(&env, "jkt01");
    assert_eq!(served.iter().filter(|n| n["is_default"] == true).count(), 1);

    // Made default by hand: b's plan shows is_default changing back.
    let a = env.id_of("idcloudhost_network.a");
    env.api()
        .put(&format!("/v1/jkt01/network/network/{a}/default"), json!({}));
    let plan = env.plan_check();
    plan.assert_only(&[("idcloudhost_network.b", Action::Update)]);
    assert!(
        plan.changed_attributes("idcloudhost_network.b")
            .contains(&"is_default".to_owned()),
        "{}",
        plan.text()
    );
    env.apply();
    assert_eq!(env.resource("idcloudhost_network.b")["is_default"], true);

    // The API never deletes the default network: removing b from the configuration
    // completes, leaves b in place and says so.
    let b = env.id_of("idcloudhost_network.b");
    env.write_config(
        r#"
provider "idcloudhost" {}
resource "idcloudhost_network" "a" { name = "a" }
"#,
    );
    let result = env.apply();
    assert!(
        result.all().contains("Warning:") && result.all().contains(&b),
        "{}",
        result.all()
    );
    assert!(networks(&env, "jkt01")
        .iter()
        .any(|n| n["uuid"] == b.as_str()));
    env.assert_no_changes();
}

/// An account without networks: its first network becomes the default, which the
/// API never deletes. Destroy completes, leaves it in place and warns, naming it.
#[test]
fn destroying_the_default_network_completes_with_a_warning() {
    let env = Env::new();
    assert!(networks(&env, "jkt01").is_empty());
    env.apply_config(&config("first", ""));
    let state = env.resource("idcloudhost_network.net");
    assert_eq!(state["is_default"], true);
    let uuid = state["id"].as_str().unwrap().to_owned();
    let result = env.destroy();
    let text = result.all().replace('\n', " ");
    assert!(text.contains("Warning:"), "{text}");
    assert!(
        text.contains(&uuid),
        "the warning names the network: {text}"
    );
    assert!(
        text.contains("default network of location jkt01"),
        "the warning says why: {text}"
    );
    let state = env.show();
    assert!(
        state["values"]["root_module"]["resources"]
            .as_array()
            .is_none_or(|r| r.is_empty()),
        "{state}"
    );
    let served = networks(&env, "jkt01");
    assert_eq!(served.len(), 1, "left in place: {served:?}");
    assert_eq!(served[0]["uuid"], uuid.as_str());
    // Nothing is left to destroy.
    env.destroy();
}

#[test]
fn import_by_uuid_and_by_location_then_no_changes() {
    let env = Env::new();
    let created = env
        .api()
        .post("/v1/jkt02/network/network?name=imported", json!({}));
    let uuid = created["uuid"].as_str().unwrap().to_owned();
    env.write_config(&config("imported", "location = \"jkt02\""));
    env.import_ok("idcloudhost_network.net", &format!("jkt02/{uuid}"));
    env.assert_no_changes();
    assert_eq!(env.resource("idcloudhost_network.net")["id"], uuid.as_str());

    // Plain uuid form, with the location from the provider.
    let env2 = Env::new();
    let created = env2
        .api()
        .post("/v1/jkt01/network/network?name=other", json!({}));
    let uuid2 = created["uuid"].as_str().unwrap().to_owned();
    env2.apply_config(&format!(
        "{}\nimport {{\n  to = idcloudhost_network.net\n  id = \"{uuid2}\"\n}}\n",
        config("other", "")
    ));
    assert_eq!(
        env2.resource("idcloudhost_network.net")["id"],
        uuid2.as_str()
    );
    env2.assert_no_changes();

    // A uuid that does not exist cannot be imported.
    let result = env2.import(
        "idcloudhost_network.missing",
        "jkt01/00000000-0000-4000-8000-000000000000",
    );
    result.assert_failed();
}

#[test]
fn bad_input_fails_at_plan_and_creates_nothing() {
    let env = Env::new();
    // The location's first network becomes its default: is_default = false cannot hold.
    env.write_config(&config("x", "is_default = false"));
    let plan = env.plan();
    assert_eq!(plan.code, 1);
    assert!(
        plan.all().contains("Invalid value for is_default")
            && plan.all().contains("its first network becomes its default"),
        "{}",
        plan.all()
    );

    env.write_config(&config("x", "location = \"nowhere1\""));
    let plan = env.plan();
    assert_eq!(plan.code, 1);
    plan.assert_mentions("Unknown location \"nowhere1\"");
    plan.assert_mentions("location");

    env.write_config(&config("  ", ""));
    let plan = env.plan();
    assert_eq!(plan.code, 1);
    plan.assert_mentions("must not be empty");
    assert!(
        env.api().requests().iter().all(|(m, _, _)| m == "GET"),
        "nothing was written"
    );

    // Once the location has a default network, another one may say it is not it.
    seed_default_networks(&env);
    env.apply_config(&config("x", "is_default = false"));
    assert_eq!(env.resource("idcloudhost_network.net")["is_default"], false);
    env.assert_no_changes();
}
