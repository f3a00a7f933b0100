//! `idcloudhost_service_package` through the real terraform binary against the
//! simulator.

mod common;

use common::{hcl, Action, Env};
use serde_json::{json, Value};

const DB: &str = "idcloudhost_service_package.db";
const PRIMARY_BILLING: i64 = 129001;
const PROJECTS_BILLING: i64 = 129002;

/// A PostgreSQL 14 package `db` named `name` of the smallest size, with `extra` lines.
fn config(name: &str, extra: &str) -> String {
    let body = format!(
        "service      = \"postgresql\"
  version      = \"14.0\"
  vcpu         = 1
  ram_mb       = 1024
  disk_size_gb = 20
  {extra}"
    );
    hcl::with_provider(&hcl::named(
        "idcloudhost_service_package",
        "db",
        name,
        &body,
    ))
}

fn package(env: &Env, uuid: &str) -> Value {
    env.api()
        .get(&format!("/v1/user-resource/service/package/{uuid}"))
}

fn packages(env: &Env) -> Vec<Value> {
    env.api().get_list("/v1/user-resource/service/packages")
}

fn whitelist(env: &Env, location: &str, uuid: &str) -> Vec<String> {
    let mut list: Vec<String> = env
        .api()
        .get_list(&format!(
            "/v1/{location}/user-resource/service/package/{uuid}/whitelist_addresses"
        ))
        .into_iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    list.sort();
    list
}

fn id_of(env: &Env) -> String {
    env.id_of("idcloudhost_service_package.db")
}

#[test]
fn lifecycle_update_whitelist_drift_replace_delete_destroy() {
    let env = Env::applied(&config("orders", r#"allowed_addresses = ["10.0.0.0/24"]"#));

    // Created as requested; every computed value is what the API serves.
    let state = env.resource("idcloudhost_service_package.db");
    let uuid = state["id"].as_str().unwrap().to_owned();
    let served = package(&env, &uuid);
    assert_eq!(served["display_name"], "orders");
    assert_eq!(served["service"], "postgresql");
    assert_eq!(served["version"], "14.0");
    assert_eq!(served["status"], "active");
    assert_eq!(state["name"], "orders");
    assert_eq!(state["location"], "jkt01", "account default location");
    assert_eq!(state["location"], served["properties"]["location"]);
    assert_eq!(state["billing_account_id"], PRIMARY_BILLING);
    assert_eq!(state["billing_account_id"], served["billing_account_id"]);
    assert_eq!(state["status"], "active");
    assert_eq!(state["service_ip"], served["properties"]["service_ip"]);
    assert_eq!(state["port"], served["properties"]["port"]);
    assert_eq!(state["port"], 5432);
    assert_eq!(state["sql_user"], served["properties"]["sql_user"]);
    assert_eq!(state["created_at"], served["created_at"]);
    assert_eq!(state["multi_node"], false);
    assert_eq!(
        (
            state["vcpu"].clone(),
            state["ram_mb"].clone(),
            state["disk_size_gb"].clone()
        ),
        (json!(1), json!(1024), json!(20))
    );
    let vm = &served["resources"][0];
    assert_eq!(vm["resource_allocation"]["vcpu"], 1);
    assert_eq!(vm["resource_allocation"]["memory"], 1024);
    assert_eq!(state["resources"][0]["resource_id"], vm["resource_id"]);
    assert_eq!(state["resources"][0]["resource_type"], "vm");
    assert_eq!(state["resources"][0]["resource_location"], "jkt01");
    let password = state["password"].as_str().unwrap().to_owned();
    assert!(!password.is_empty());
    assert_eq!(password, env.api().package_secret(&uuid));
    assert_eq!(whitelist(&env, "jkt01", &uuid), vec!["10.0.0.0/24"]);
    assert_eq!(
        state["allowed_addresses"].as_array().unwrap().len(),
        1,
        "{state}"
    );
    // The password is sensitive: never printed.
    let plan = env.plan();
    assert_eq!(plan.code, 0, "{}", plan.all());
    assert!(!plan.all().contains(&password));

    // Name and billing account change in place: one PATCH, same package.
    env.api().clear_requests();
    env.write_config(&config(
        "orders-2",
        &format!(
            "billing_account_id = {PROJECTS_BILLING}\n  allowed_addresses = [\"10.0.0.0/24\"]"
        ),
    ));
    let plan = env.plan_check();
    plan.assert_only(&[(DB, Action::Update)]);
    assert_eq!(plan.unknown_attributes(DB), Vec::<String>::new());
    env.apply();
    assert_eq!(id_of(&env), uuid);
    let served = package(&env, &uuid);
    assert_eq!(served["display_name"], "orders-2");
    assert_eq!(served["billing_account_id"], PROJECTS_BILLING);
    let w = env.api().writes();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, "PATCH");
    assert_eq!(w[0].1, format!("/v1/user-resource/service/package/{uuid}"));
    let state = env.resource("idcloudhost_service_package.db");
    assert_eq!(state["password"], password.as_str());

    // The whitelist changes in place, through the location's whitelist endpoints;
    // additions go first so it never passes through "empty" (= open to all).
    env.api().clear_requests();
    let body = |list: &str| {
        config(
            "orders-2",
            &format!("billing_account_id = {PROJECTS_BILLING}\n  allowed_addresses = {list}"),
        )
    };
    env.apply_config(&body(r#"["192.168.1.5", "10.1.0.0/16"]"#));
    assert_eq!(id_of(&env), uuid);
    assert_eq!(
        whitelist(&env, "jkt01", &uuid),
        vec!["10.1.0.0/16", "192.168.1.5"]
    );
    let w = env.api().writes();
    let path = format!("/v1/jkt01/user-resource/service/package/{uuid}/whitelist_addresses");
    assert_eq!(w.len(), 3, "{w:?}");
    assert!(w.iter().all(|(_, p, s)| *p == path && *s == 200), "{w:?}");
    assert_eq!(
        w.iter().map(|(m, _, _)| m.as_str()).collect::<Vec<_>>(),
        vec!["POST", "POST", "DELETE"]
    );
    env.assert_no_changes();

    // Renamed outside Terraform: the plan shows exactly the name changing back.
    let path = format!("/v1/user-resource/service/package/{uuid}");
    env.assert_outside_rename_reverted(&path, "display_name", "by-hand", DB, "orders-2");
    assert_eq!(package(&env, &uuid)["display_name"], "orders-2");

    // A whitelist entry removed outside Terraform: the plan adds it back.
    env.api().delete_form(
        &format!("/v1/jkt01/user-resource/service/package/{uuid}/whitelist_addresses"),
        &[("ip_address", "192.168.1.5")],
    );
    let plan = env.plan_check();
    plan.assert_updates_only(DB, &["allowed_addresses"]);
    let readded = json!("192.168.1.5");
    let before = plan.before(DB)["allowed_addresses"].as_array().unwrap();
    let after = plan.after(DB)["allowed_addresses"].as_array().unwrap();
    assert!(!before.contains(&readded), "{}", plan.text());
    assert!(after.contains(&readded), "{}", plan.text());
    env.apply();
    assert_eq!(
        whitelist(&env, "jkt01", &uuid),
        vec!["10.1.0.0/16", "192.168.1.5"]
    );
    env.assert_no_changes();

    // More vCPUs: the package is replaced.
    env.write_config(
        &body(r#"["192.168.1.5", "10.1.0.0/16"]"#).replace("vcpu         = 1", "vcpu = 2"),
    );
    let plan = env.plan_check();
    plan.assert_only(&[(DB, Action::Replace)]);
    assert_eq!(plan.replace_paths(DB), vec!["vcpu"], "{}", plan.text());
    env.apply();
    let new_uuid = id_of(&env);
    assert_ne!(new_uuid, uuid);
    assert_eq!(package(&env, &uuid)["status"], "deleted");
    let served = package(&env, &new_uuid);
    assert_eq!(served["resources"][0]["resource_allocation"]["vcpu"], 2);
    assert_eq!(
        whitelist(&env, "jkt01", &new_uuid),
        vec!["10.1.0.0/16", "192.168.1.5"]
    );
    let state = env.resource("idcloudhost_service_package.db");
    assert_eq!(
        state["password"],
        env.api().package_secret(&new_uuid).as_str()
    );
    env.assert_no_changes();

    // Deleted outside Terraform (it reads back as status "deleted"): the plan
    // creates it again.
    env.api()
        .delete(&format!("/v1/user-resource/service/package/{new_uuid}"));
    env.plan_check().assert_only(&[(DB, Action::Create)]);
    env.apply();
    let recreated = id_of(&env);
    assert_ne!(recreated, new_uuid);

    env.destroy();
    assert!(packages(&env).is_empty());
    assert_eq!(package(&env, &recreated)["status"], "deleted");
}

#[test]
fn other_location_parameters_and_unmanaged_whitelist() {
    let env = Env::applied(&config(
        "analytics",
        "location = \"jkt02\"\n  multi_node = true\n  parameters = { timezone = \"Asia/Jakarta\" }",
    ));
    let state = env.resource("idcloudhost_service_package.db");
    let uuid = state["id"].as_str().unwrap().to_owned();
    assert_eq!(state["location"], "jkt02");
    let served = package(&env, &uuid);
    assert_eq!(served["properties"]["location"], "jkt02");
    assert_eq!(served["is_multi_node"], true);
    assert_eq!(state["multi_node"], true);
    // A multi-node package: a virtual IP and two VMs.
    let types: Vec<&str> = state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["resource_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, vec!["virtual_ip", "vm", "vm"]);
    // Left unset, the whitelist is reported, not managed.
    assert_eq!(state["allowed_addresses"], json!([]));
    env.assert_no_changes();
    env.api().post_form(
        &format!("/v1/jkt02/user-resource/service/package/{uuid}/whitelist_addresses"),
        &[("ip_address", "1.2.3.4")],
    );
    env.assert_no_changes();
    env.refresh_only();
    assert_eq!(
        env.resource("idcloudhost_service_package.db")["allowed_addresses"],
        json!(["1.2.3.4"])
    );

    // Once set, it is managed in the package's location.
    env.api().clear_requests();
    env.apply_config(&config(
        "analytics",
        "location = \"jkt02\"\n  multi_node = true\n  parameters = { timezone = \"Asia/Jakarta\" }\n  allowed_addresses = [\"5.6.7.8/32\"]",
    ));
    assert_eq!(whitelist(&env, "jkt02", &uuid), vec!["5.6.7.8/32"]);
    assert!(
        env.api()
            .writes()
            .iter()
            .all(|(_, p, _)| p.starts_with("/v1/jkt02/")),
        "{:?}",
        env.api().writes()
    );

    // Parameters are sent once and never reported: a change replaces the package.
    env.write_config(&config(
        "analytics",
        "location = \"jkt02\"\n  multi_node = true\n  parameters = { timezone = \"UTC\" }\n  allowed_addresses = [\"5.6.7.8/32\"]",
    ));
    env.plan_check().assert_actions(&[(DB, Action::Replace)]);
    env.destroy();
    assert!(packages(&env).is_empty());
}

#[test]
fn import_by_id_then_no_changes() {
    let env = Env::new();
    let created = env.api().post(
        "/v1/user-resource/service/package",
        json!({
            "billing_account_id": PRIMARY_BILLING,
            "service": "postgresql",
            "version": "14.0",
            "display_name": "legacy",
            "vm_cpu": 2,
            "vm_ram": 2048,
            "vm_disk_gb": 40,
            "package_parameters": "{\"location\":\"jkt02\"}",
        }),
    );
    let uuid = created["uuid"].as_str().unwrap().to_owned();
    env.api().post_form(
        &format!("/v1/jkt02/user-resource/service/package/{uuid}/whitelist_addresses"),
        &[("ip_address", "10.9.0.0/16")],
    );
    env.write_config(
        r#"
provider "idcloudhost" {}
resource "idcloudhost_service_package" "db" {
  name              = "legacy"
  location          = "jkt02"
  service           = "postgresql"
  version           = "14.0"
  vcpu              = 2
  ram_mb            = 2048
  disk_size_gb      = 40
  allowed_addresses = ["10.9.0.0/16"]
}
"#,
    );
    env.import_ok("idcloudhost_service_package.db", &uuid);
    let state = env.resource("idcloudhost_service_package.db");
    assert_eq!(state["id"], uuid.as_str());
    assert_eq!(state["location"], "jkt02");
    assert_eq!(state["vcpu"], 2);
    assert_eq!(state["ram_mb"], 2048);
    assert_eq!(state["disk_size_gb"], 40);
    assert_eq!(state["billing_account_id"], PRIMARY_BILLING);
    assert_eq!(state["password"], env.api().package_secret(&uuid).as_str());
    assert_eq!(state["allowed_addresses"], json!(["10.9.0.0/16"]));
    env.assert_no_changes();

    // A package that does not exist cannot be imported; nor can a location-prefixed id.
    let result = env.import(
        "idcloudhost_service_package.db",
        "00000000-0000-4000-8000-000000000000",
    );
    result.assert_failed();
    let env2 = Env::new();
    env2.write_config(&config("x", ""));
    let result = env2.import(
        "idcloudhost_service_package.db",
        "jkt01/00000000-0000-4000-8000-000000000000",
    );
    result.assert_failed();
    result.assert_mentions("Invalid import ID");
}

/// A service or version the API does not offer fails at plan, naming the
/// attribute, with nothing sent.
#[test]
fn service_or_version_not_offered_fails_at_plan() {
    let env = Env::new();
    for (service, version, attr, expected) in [
        (
            "mysql",
            "8.0",
            "service",
            "\"mysql\" is not one of \"postgresql\"",
        ),
        (
            "postgresql",
            "13.0",
            "version",
            "postgresql \"13.0\" is not offered; offered versions: 14.0.",
        ),
    ] {
        env.write_config(
            &config("x", "")
                .replace("postgresql", service)
                .replace("14.0", version),
        );
        let plan = env.plan_fails();
        let all = plan.folded();
        assert!(all.contains(&format!("Invalid value for {attr}")), "{all}");
        assert!(all.contains(expected), "{all}");
    }
    assert!(env.api().writes().is_empty(), "nothing was sent");
    assert!(packages(&env).is_empty());
}

#[test]
fn bad_input_fails_at_plan_and_creates_nothing() {
    let env = Env::new();
    for (extra, expected) in [
        (
            r#"allowed_addresses = ["10.0.0.0/33"]"#,
            "invalid prefix length",
        ),
        (
            r#"allowed_addresses = ["10.0.0.1", "not-an-ip"]"#,
            "not a valid IP address",
        ),
        (
            r#"parameters = { location = "jkt02" }"#,
            "`location` argument",
        ),
    ] {
        env.write_config(&config("x", extra));
        let plan = env.plan();
        assert_eq!(plan.code, 1, "{extra}: {}", plan.all());
        assert!(plan.all().contains(expected), "{extra}: {}", plan.all());
    }
    env.write_config(&config("x", r#"allowed_addresses = ["10.0.0.0/33"]"#));
    assert!(env.plan().all().contains("allowed_addresses"));
    env.write_config(&config("x", "").replace("vcpu         = 1", "vcpu = 0"));
    let plan = env.plan();
    assert_eq!(plan.code, 1);
    plan.assert_mentions("Invalid value for vcpu");
    env.write_config(&config("x", "").replace("ram_mb       = 1024", "ram_mb = -5"));
    let plan = env.plan();
    assert_eq!(plan.code, 1);
    plan.assert_mentions("Invalid value for ram_mb");
    env.write_config(&config("x", "location = \"nowhere1\""));
    let plan = env.plan();
    assert_eq!(plan.code, 1);
    plan.assert_mentions("Unknown location");
    assert!(env.api().writes().is_empty(), "nothing was written");
    assert!(packages(&env).is_empty());
}
