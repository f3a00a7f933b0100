//! `idcloudhost_vm` through the real terraform binary against the simulator:
//! create, each in-place change, each replacement, drift, import, destroy, bad input.

mod common;

use common::{hcl, Action, Env};
use reqwest::Method;
use serde_json::Value;

const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4mvUhGz0qjzhd4FqzZb2NSMRGXCuQEBxV1aCsH7Xhd ops@example";

fn vm_config(attrs: &str) -> String {
    hcl::with_provider(&hcl::web_vm(attrs))
}

/// The uuid of `idcloudhost_vm.web` in the state.
fn web_id(env: &Env) -> String {
    env.id_of("idcloudhost_vm.web")
}

fn api_vm(env: &Env, location: &str, uuid: &str) -> Value {
    env.api()
        .get(&format!("/v1/{location}/user-resource/vm?uuid={uuid}"))
}

fn vms(env: &Env, location: &str) -> Vec<Value> {
    env.api().list(location, "user-resource/vm/list")
}

fn floating_ips(env: &Env, location: &str) -> Vec<Value> {
    env.api().list(location, "network/ip_addresses")
}

fn vm_form(env: &Env, method: Method, path: &str, fields: &[(&str, &str)]) -> Value {
    env.api()
        .form(method, &format!("/v1/jkt01/user-resource/{path}"), fields)
}

const WEB: &str = "idcloudhost_vm.web";

#[test]
fn create_with_every_optional_attribute() {
    let env = Env::new();
    // The first network of a location becomes its undeletable default.
    env.api().create_network("jkt01", "default");
    let accounts = env.api().billing_account_ids();
    let pools = env.api().get("/v1/jkt01/user-resource/host_pool/list");
    let pool = pools.as_array().unwrap().last().unwrap()["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    env.apply_config(&format!(
        r##"
provider "idcloudhost" {{}}
resource "idcloudhost_network" "net" {{ name = "app" }}
resource "idcloudhost_vm" "web" {{
  location             = "jkt01"
  name                 = "web"
  os_name              = "ubuntu"
  os_version           = "22.04-lts"
  disk_size_gb         = 40
  vcpu                 = 2
  ram_mb               = 2048
  username             = "deploy"
  password             = "Sup3rSecret"
  public_keys          = ["{KEY}"]
  cloud_init           = "#cloud-config\nruncmd:\n  - echo hello world\n"
  network_uuid         = idcloudhost_network.net.id
  designated_pool_uuid = "{pool}"
  billing_account_id   = {billing}
  description          = "front end"
  backup               = true
  reserve_public_ip    = true
  power_state          = "running"
  timeouts {{
    create = "10m"
  }}
}}
output "password" {{
  value     = idcloudhost_vm.web.password
  sensitive = true
}}
"##,
        billing = accounts[1]
    ));
    let state = env.resource("idcloudhost_vm.web");
    let uuid = state["id"].as_str().unwrap();
    let vm = api_vm(&env, "jkt01", uuid);
    assert_eq!(vm["name"], "web");
    assert_eq!(vm["vcpu"], 2);
    assert_eq!(vm["memory"], 2048);
    assert_eq!(vm["storage"][0]["size"], 40);
    assert_eq!(vm["username"], "deploy");
    assert_eq!(vm["backup"], true);
    assert_eq!(vm["billing_account"], accounts[1]);
    assert_eq!(vm["description"], "front end");
    assert_eq!(vm["designated_pool_uuid"], pool.as_str());
    assert_eq!(vm["status"], "running");
    for key in ["hostname", "mac", "private_ipv4"] {
        assert_eq!(state[key], vm[key], "{key}");
    }
    assert_eq!(state["status"], "running");
    assert_eq!(state["disk_size_gb"], 40);
    assert_eq!(state["boot_disk_uuid"], vm["storage"][0]["uuid"]);
    // The public IPv4 and the network come from other endpoints than the VM's.
    let ip = floating_ips(&env, "jkt01")
        .into_iter()
        .find(|ip| ip["assigned_to"] == uuid)
        .expect("a reserved address");
    assert_eq!(state["public_ipv4"], ip["address"]);
    assert_eq!(state["reserved_public_ipv4"], ip["address"]);
    let net = env.resource("idcloudhost_network.net");
    assert_eq!(state["network_uuid"], net["id"]);
    env.tf_ok(&["apply", "-refresh-only", "-auto-approve"]);
    let net = env.resource("idcloudhost_network.net");
    assert_eq!(net["vm_uuids"][0], uuid);
    // Secrets stay as configured (the API never returns them) and cause no diff.
    assert_eq!(env.outputs()["password"], "Sup3rSecret");
    env.assert_no_changes();
    env.destroy_leaving_empty("jkt01", "user-resource/vm/list");
    assert!(
        floating_ips(&env, "jkt01").is_empty(),
        "no leaked floating IP"
    );
}

#[test]
fn in_place_changes_keep_the_vm() {
    let env = Env::applied(&vm_config(
        "username = \"deploy\"\n  password = \"Sup3rSecret\"",
    ));
    let uuid = web_id(&env);
    let same_vm = |env: &Env| {
        assert_eq!(env.resource("idcloudhost_vm.web")["id"], uuid.as_str());
        assert_eq!(vms(env, "jkt01").len(), 1);
    };
    let login = "username = \"deploy\"\n  password = \"Sup3rSecret\"";

    // Rename.
    env.write_config(&vm_config(login).replace("\"web\"\n", "\"web-1\"\n"));
    env.api().clear_requests();
    env.apply();
    same_vm(&env);
    assert_eq!(api_vm(&env, "jkt01", &uuid)["name"], "web-1");
    assert_eq!(
        env.api().write_lines(),
        vec!["PATCH /v1/jkt01/user-resource/vm"],
        "a rename is one PATCH"
    );

    // vcpu + ram on a running VM: stopped, patched, started again.
    let sized = vm_config(login)
        .replace("vcpu       = 1", "vcpu       = 2")
        .replace("ram_mb     = 1024", "ram_mb     = 4096");
    env.write_config(&sized);
    env.api().clear_requests();
    env.apply();
    same_vm(&env);
    let vm = api_vm(&env, "jkt01", &uuid);
    assert_eq!(
        (vm["vcpu"].as_i64(), vm["memory"].as_i64()),
        (Some(2), Some(4096))
    );
    assert_eq!(vm["status"], "running");
    assert_eq!(vm["name"], "web", "the rename back went with the resize");
    assert_eq!(
        env.api().write_lines(),
        vec![
            "POST /v1/jkt01/user-resource/vm/stop",
            "PATCH /v1/jkt01/user-resource/vm",
            "POST /v1/jkt01/user-resource/vm/start",
        ]
    );

    // Disk grow, password, backup, billing account: one apply, same VM.
    let accounts = env.api().billing_account_ids();
    let current = env.resource("idcloudhost_vm.web")["billing_account_id"]
        .as_i64()
        .unwrap();
    let other = *accounts.iter().find(|a| **a != current).unwrap();
    env.write_config(
        &sized
            .replace("Sup3rSecret", "N3wSecretPass")
            .replace("ram_mb     = 4096", &format!("ram_mb     = 4096\n  disk_size_gb = 60\n  backup = true\n  billing_account_id = {other}")),
    );
    env.api().clear_requests();
    env.apply();
    same_vm(&env);
    let vm = api_vm(&env, "jkt01", &uuid);
    assert_eq!(vm["storage"][0]["size"], 60);
    assert_eq!(vm["backup"], true);
    assert_eq!(vm["billing_account"], other);
    let w = env.api().write_lines();
    assert!(
        w.contains(&"PATCH /v1/jkt01/user-resource/vm/user".to_owned()),
        "{w:?}"
    );
    assert!(
        w.contains(&"PATCH /v1/jkt01/user-resource/vm/storage".to_owned()),
        "{w:?}"
    );
    assert!(
        w.contains(&"POST /v1/jkt01/user-resource/vm/backup".to_owned()),
        "{w:?}"
    );
    assert!(
        w.contains(&"POST /v1/jkt01/user-resource/resource_billing".to_owned()),
        "{w:?}"
    );
    env.assert_no_changes();

    // Power state.
    let stopped = sized
        .replace("Sup3rSecret", "N3wSecretPass")
        .replace("ram_mb     = 4096", &format!("ram_mb     = 4096\n  disk_size_gb = 60\n  backup = true\n  billing_account_id = {other}\n  power_state = \"stopped\""));
    env.apply_config(&stopped);
    same_vm(&env);
    assert_eq!(api_vm(&env, "jkt01", &uuid)["status"], "stopped");
    assert_eq!(env.resource("idcloudhost_vm.web")["status"], "stopped");
    env.assert_no_changes();

    // A shrink is refused at plan time, naming the attribute.
    env.write_config(&stopped.replace("disk_size_gb = 60", "disk_size_gb = 30"));
    env.assert_plan_fails_with(&["disk_size_gb", "can grow but not shrink"]);

    env.write_config(&stopped);
    env.destroy_leaving_empty("jkt01", "user-resource/vm/list");
    assert!(floating_ips(&env, "jkt01").is_empty());
}

#[test]
fn forcing_changes_replace_the_vm() {
    let env = Env::applied(&vm_config(""));
    let first = web_id(&env);
    for (change, attribute) in [
        (
            vm_config("").replace("22.04-lts", "24.04-lts"),
            "os_version",
        ),
        (
            vm_config("description = \"new\"").replace("22.04-lts", "24.04-lts"),
            "description",
        ),
        (
            vm_config("description = \"new\"\n  location = \"jkt02\"")
                .replace("22.04-lts", "24.04-lts"),
            "location",
        ),
    ] {
        let before = web_id(&env);
        env.write_config(&change);
        let plan = env.plan_check();
        plan.assert_only(&[(WEB, Action::Replace)]);
        assert!(
            plan.replace_paths(WEB).contains(&attribute.to_owned()),
            "{attribute}: {}",
            plan.text()
        );
        env.apply();
        let after = web_id(&env);
        assert_ne!(before, after);
    }
    assert!(vms(&env, "jkt01").is_empty(), "the jkt01 VM is gone");
    assert_eq!(vms(&env, "jkt02").len(), 1);
    assert!(vms(&env, "jkt02")
        .iter()
        .all(|v| v["uuid"] != first.as_str()));
    assert!(
        floating_ips(&env, "jkt01").is_empty(),
        "replaced VMs leave no address behind"
    );
    env.destroy_leaving_empty("jkt02", "user-resource/vm/list");
    assert!(floating_ips(&env, "jkt02").is_empty());
}

#[test]
fn drift_shows_exactly_what_changed() {
    let env = Env::applied(&vm_config(""));
    let uuid = web_id(&env);
    let accounts = env.api().billing_account_ids();
    let current = env.resource("idcloudhost_vm.web")["billing_account_id"]
        .as_i64()
        .unwrap();
    let other = accounts
        .iter()
        .find(|a| **a != current)
        .unwrap()
        .to_string();

    type OutOfBand<'a> = Box<dyn Fn(&Env) + 'a>;
    let cases: Vec<(&str, OutOfBand, Vec<&str>)> = vec![
        (
            "renamed",
            Box::new(|env: &Env| {
                vm_form(
                    env,
                    Method::PATCH,
                    "vm",
                    &[("uuid", &uuid), ("name", "hand-made")],
                );
            }),
            vec!["name"],
        ),
        (
            "stopped",
            Box::new(|env: &Env| {
                vm_form(env, Method::POST, "vm/stop", &[("uuid", &uuid)]);
            }),
            vec!["power_state", "status"],
        ),
        (
            "resized",
            Box::new(|env: &Env| {
                vm_form(env, Method::POST, "vm/stop", &[("uuid", &uuid)]);
                vm_form(
                    env,
                    Method::PATCH,
                    "vm",
                    &[("uuid", &uuid), ("vcpu", "2"), ("ram", "2048")],
                );
                vm_form(env, Method::POST, "vm/start", &[("uuid", &uuid)]);
            }),
            // The cost estimates follow the size back (issue 21).
            vec![
                "estimated_hourly_cost",
                "estimated_monthly_cost",
                "ram_mb",
                "vcpu",
            ],
        ),
        (
            "backup toggled",
            Box::new(|env: &Env| {
                vm_form(env, Method::POST, "vm/backup", &[("uuid", &uuid)]);
            }),
            vec!["backup", "estimated_hourly_cost", "estimated_monthly_cost"],
        ),
        (
            "billing account moved",
            Box::new(|env: &Env| {
                vm_form(
                    env,
                    Method::POST,
                    "resource_billing",
                    &[("uuid", &uuid), ("billing_account_id", &other)],
                );
            }),
            vec!["billing_account_id"],
        ),
        (
            "public IP released",
            Box::new(|env: &Env| {
                vm_form(env, Method::DELETE, "vm/ip/public", &[("uuid", &uuid)]);
            }),
            // Still reserved: the same address comes back (a known value).
            vec!["public_ipv4"],
        ),
    ];
    for (what, change, expected) in cases {
        change(&env);
        let plan = env.plan_check();
        assert_eq!(
            plan.changed_attributes(WEB),
            expected,
            "{what}: {}",
            plan.text()
        );
        plan.assert_only(&[(WEB, Action::Update)]);
        env.apply();
        env.assert_no_changes();
        assert_eq!(
            env.resource("idcloudhost_vm.web")["id"],
            uuid.as_str(),
            "{what}"
        );
    }
    let vm = api_vm(&env, "jkt01", &uuid);
    assert_eq!(vm["name"], "web");
    assert_eq!(vm["status"], "running");
    assert_eq!(vm["vcpu"], 1);
    assert_eq!(vm["backup"], false);
    assert_eq!(vm["billing_account"], current);
    let public = env.resource("idcloudhost_vm.web")["public_ipv4"].clone();
    assert!(floating_ips(&env, "jkt01")
        .iter()
        .any(|ip| ip["address"] == public && ip["assigned_to"] == uuid.as_str()));

    // Deleted outside Terraform: the plan creates it again.
    vm_form(&env, Method::DELETE, "vm", &[("uuid", &uuid)]);
    env.plan_check().assert_only(&[(WEB, Action::Create)]);
    env.apply();
    assert_ne!(env.resource("idcloudhost_vm.web")["id"], uuid.as_str());
    env.destroy();
}

#[test]
fn import_both_forms_then_no_changes() {
    let env = Env::new();
    let accounts = env.api().billing_account_ids();
    let created = env.api().post_form(
        "/v1/jkt02/user-resource/vm",
        &[
            ("name", "legacy"),
            ("os_name", "ubuntu"),
            ("os_version", "22.04-lts"),
            ("vcpu", "1"),
            ("ram", "1024"),
            ("disks", "20"),
            ("username", "ops"),
            ("billing_account_id", &accounts[0].to_string()),
        ],
    );
    let uuid = created["uuid"].as_str().unwrap().to_owned();
    let config = r#"
provider "idcloudhost" {}
resource "idcloudhost_vm" "web" {
  location     = "jkt02"
  name         = "legacy"
  os_name      = "ubuntu"
  os_version   = "22.04-lts"
  vcpu         = 1
  ram_mb       = 1024
  disk_size_gb = 20
  username     = "ops"
}
"#;
    env.write_config(config);
    env.import_ok("idcloudhost_vm.web", &format!("jkt02/{uuid}"));
    env.assert_no_changes();
    let state = env.resource("idcloudhost_vm.web");
    assert_eq!(state["reserve_public_ip"], true);
    assert!(state["public_ipv4"].is_string());

    // The uuid-only form with an import block, the location from the provider.
    let env2 = Env::new();
    let uuid2 = env2.api().create_vm_uuid("jkt01", "other");
    env2.apply_config(&format!(
        r#"
provider "idcloudhost" {{
  location = "jkt01"
}}
import {{
  to = idcloudhost_vm.web
  id = "{uuid2}"
}}
{web_vm}
"#,
        web_vm = hcl::small_vm("web", "other", "reserve_public_ip = false")
    ));
    assert_eq!(env2.resource("idcloudhost_vm.web")["id"], uuid2.as_str());
    env2.assert_no_changes();
    // Setting a secret after import is an in-place update, never a replacement.
    env2.write_config(&format!(
        r##"
provider "idcloudhost" {{
  location = "jkt01"
}}
{web_vm}
"##,
        web_vm = hcl::small_vm(
            "web",
            "other",
            r##"reserve_public_ip = false
  cloud_init        = "#cloud-config\n""##
        )
    ));
    env2.plan_check().assert_only(&[(WEB, Action::Update)]);
    env2.apply();
    assert_eq!(env2.resource("idcloudhost_vm.web")["id"], uuid2.as_str());
    env2.assert_no_changes();
    // Once recorded, changing it keeps the VM too (cloud-init only runs at
    // creation), and the plan says so.
    let config = std::fs::read_to_string(env2.path().join("main.tf"))
        .unwrap()
        .replace("#cloud-config\\n", "#cloud-config\\nruncmd: [true]\\n");
    std::fs::write(env2.path().join("main.tf"), config).unwrap();
    let plan = env2.plan();
    assert_eq!(plan.code, 0, "{}", plan.all());
    plan.assert_mentions("cloud_init changed, but it is only used when the vm is created");
}

#[test]
fn cloud_init_users_suppress_username() {
    let env = Env::applied(&vm_config(
        "username = \"deploy\"\n  password = \"Sup3rSecret\"\n  cloud_init = \"#cloud-config\\nusers:\\n  - name: admin\\n\"",
    ));
    let uuid = web_id(&env);
    let vm = api_vm(&env, "jkt01", &uuid);
    assert!(
        vm["username"].is_null() || vm["username"] == "",
        "username must not reach the API: {vm}"
    );
    env.assert_no_changes();
}

#[test]
fn bad_inputs_fail_at_plan_and_create_nothing() {
    let env = Env::new();
    let cases = [
        (
            vm_config("password = \"weak\"\n  username = \"a\""),
            "password",
        ),
        (vm_config("public_keys = [\"not a key\"]"), "public_keys"),
        (vm_config("power_state = \"paused\""), "power_state"),
        (
            vm_config("disk_uuid = \"0b6f5c2e-1111-4222-8333-444455556666\""),
            "os_name",
        ),
        (vm_config("").replace("22.04-lts", "99.99"), "os_version"),
        (vm_config("").replace("\"ubuntu\"", "\"beos\""), "os_name"),
        (
            vm_config("location = \"sgp01\"").replace("vcpu       = 1", "vcpu       = 64"),
            "vcpu",
        ),
        (
            vm_config("").replace("ram_mb     = 1024", "ram_mb     = 99999999"),
            "ram_mb",
        ),
        (vm_config("location = \"atlantis\""), "location"),
        (
            vm_config("designated_pool_uuid = \"nope\""),
            "designated_pool_uuid",
        ),
        (
            vm_config("timeouts {\n    create = \"soon\"\n  }"),
            "create",
        ),
    ];
    for (config, attribute) in cases {
        env.write_config(&config);
        let plan = env.plan();
        assert_eq!(plan.code, 1, "{attribute}: {}", plan.all());
        assert!(
            plan.stderr.contains(attribute) || plan.stdout.contains(attribute),
            "{attribute}: {}",
            plan.all()
        );
    }
    assert!(
        env.api().write_lines().is_empty(),
        "nothing was written: {:?}",
        env.api().write_lines()
    );
}

#[test]
fn created_vm_is_kept_in_state_when_a_later_step_fails() {
    let env = Env::new();
    // The VM is created, but stopping it (power_state = "stopped") fails.
    env.api().set_faults(serde_json::json!({
        "error_rate": 1.0, "statuses": [500], "method": "POST", "path_contains": "vm/stop"
    }));
    env.write_config(&vm_config("power_state = \"stopped\""));
    let result = env.tf(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(result.code, 1, "{}", result.all());
    result.assert_mentions("could not be stopped");
    let state = env.resource("idcloudhost_vm.web");
    let uuid = state["id"].as_str().expect("the VM is tracked").to_owned();
    assert_eq!(vms(&env, "jkt01").len(), 1);
    env.api().clear_faults();
    // Terraform keeps tracking it (tainted: the next apply replaces it, no orphan).
    env.apply();
    assert_eq!(vms(&env, "jkt01").len(), 1);
    assert_eq!(
        api_vm(
            &env,
            "jkt01",
            env.resource("idcloudhost_vm.web")["id"].as_str().unwrap()
        )["status"],
        "stopped"
    );
    assert!(vms(&env, "jkt01")
        .iter()
        .all(|v| v["uuid"] != uuid.as_str()));
    env.destroy_leaving_empty("jkt01", "user-resource/vm/list");
}

#[test]
fn create_whose_answer_was_lost_adopts_the_vm_instead_of_a_duplicate() {
    let env = Env::new();
    // The create is carried out but answered with a 502: never POST it again blindly.
    env.api().set_faults(serde_json::json!({
        "error_rate": 1.0, "statuses": [502], "method": "POST",
        "path_contains": "user-resource/vm", "after_effect": true
    }));
    env.write_config(&vm_config("reserve_public_ip = false"));
    env.api().clear_requests();
    let result = env.tf(&["apply", "-auto-approve", "-no-color"]);
    env.api().clear_faults();
    assert_eq!(result.code, 0, "{}", result.all());
    assert_eq!(vms(&env, "jkt01").len(), 1, "exactly one VM");
    let creates = env
        .api()
        .write_lines()
        .into_iter()
        .filter(|w| w == "POST /v1/jkt01/user-resource/vm")
        .count();
    assert_eq!(creates, 1, "the create was sent once");
    assert_eq!(
        env.resource("idcloudhost_vm.web")["id"],
        vms(&env, "jkt01")[0]["uuid"]
    );
    env.assert_no_changes();
}

#[test]
fn refreshing_many_vms_costs_a_few_list_calls_per_location() {
    let env =
        Env::applied(&vm_config("count = 6").replace("\"web\"\n", "\"web-${count.index}\"\n"));
    assert_eq!(vms(&env, "jkt01").len(), 6);
    env.api().clear_requests();
    env.assert_no_changes();
    let requests = env.api().requests();
    let count = |suffix: &str| {
        requests
            .iter()
            .filter(|(_, p, _)| p.ends_with(suffix))
            .count()
    };
    assert_eq!(count("user-resource/vm/list"), 1, "{requests:?}");
    assert_eq!(count("network/ip_addresses"), 1, "{requests:?}");
    assert_eq!(count("network/networks"), 1, "{requests:?}");
    assert_eq!(
        count("user-resource/vm"),
        0,
        "no per-VM reads: {requests:?}"
    );
    assert!(
        requests.len() <= 8,
        "a handful of calls for six VMs: {requests:?}"
    );
}

#[test]
fn works_under_terraform_1_0() {
    let env = Env::with_terraform(common::terraform_1_0_binary());
    env.apply_config(&vm_config(""));
    let uuid = web_id(&env);
    env.assert_no_changes();
    env.apply_config(&vm_config("").replace("vcpu       = 1", "vcpu       = 2"));
    assert_eq!(env.resource("idcloudhost_vm.web")["id"], uuid.as_str());
    assert_eq!(api_vm(&env, "jkt01", &uuid)["vcpu"], 2);
    vm_form(&env, Method::POST, "vm/stop", &[("uuid", &uuid)]);
    assert_eq!(env.plan().code, 2, "drift is seen");
    env.apply();
    env.destroy_leaving_empty("jkt01", "user-resource/vm/list");
}

#[test]
fn ssh_key_ids_send_the_keys_and_unknown_ids_fail_clearly() {
    let env = Env::applied(&format!(
        r#"
provider "idcloudhost" {{}}
resource "idcloudhost_ssh_key" "ops" {{
  name       = "ops"
  public_key = "{KEY}"
}}
{web_vm}
"#,
        web_vm = hcl::web_vm("ssh_key_ids = [idcloudhost_ssh_key.ops.id]")
    ));
    assert_eq!(vms(&env, "jkt01").len(), 1);
    env.assert_no_changes();

    // A key id that does not exist fails, naming the attribute; no VM is created.
    env.destroy();
    env.write_config(&vm_config(
        "ssh_key_ids = [\"00000000-0000-4000-8000-000000000000\"]",
    ));
    let result = env.tf(&["apply", "-auto-approve", "-no-color"]);
    assert_eq!(result.code, 1, "{}", result.all());
    result.assert_mentions("ssh_key_ids");
    assert!(vms(&env, "jkt01").is_empty());
}

#[test]
fn read_failures_are_errors_never_deletions() {
    let mut env = Env::new();
    env.apply_config(&vm_config(""));
    let uuid = web_id(&env);

    // A server error while refreshing: the plan fails; the VM stays in state.
    env.api()
        .set_faults(serde_json::json!({"error_rate": 1.0, "statuses": [500], "method": "GET"}));
    let plan = env.plan();
    env.api().clear_faults();
    assert_eq!(plan.code, 1, "{}", plan.all());
    plan.assert_mentions("Reading vm");
    assert_eq!(env.resource("idcloudhost_vm.web")["id"], uuid.as_str());

    // A revoked API key: an authentication error, not "gone".
    env.api_key = "revoked".into();
    env.assert_plan_fails_with(&["Invalid authentication credentials"]);
    env.api_key = common::API_KEY.into();
    env.assert_no_changes();
    assert_eq!(env.resource("idcloudhost_vm.web")["id"], uuid.as_str());
}

#[test]
fn more_forcing_changes_replace_the_vm() {
    let env = Env::new();
    let pools = env.api().get("/v1/jkt01/user-resource/host_pool/list");
    let pools: Vec<String> = pools
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["uuid"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        pools.len() >= 2,
        "the simulator offers several pools: {pools:?}"
    );
    // (public_keys and cloud_init are only used at creation: they never replace,
    // see tests/plan_rules.rs.)
    let steps = [
        ("username = \"a\"".to_owned(), "username"),
        (
            format!(
                "username = \"a\"\n  public_keys = [\"{KEY}\"]\n  cloud_init = \"#cloud-config\\n\"\n  reserve_public_ip = false\n  designated_pool_uuid = \"{}\"",
                pools[1]
            ),
            "designated_pool_uuid",
        ),
    ];
    env.apply_config(&vm_config(""));
    for (attrs, attribute) in steps {
        let before = web_id(&env);
        let mut config = vm_config(&attrs);
        if attribute == "designated_pool_uuid" {
            // The other pool is a bigger server class.
            config = config
                .replace("vcpu       = 1", "vcpu       = 2")
                .replace("ram_mb     = 1024", "ram_mb     = 4096");
        }
        env.write_config(&config);
        let plan = env.plan_check();
        assert_eq!(plan.action(WEB), Action::Replace, "{attribute}");
        assert!(
            plan.replace_paths(WEB).contains(&attribute.to_owned()),
            "{attribute}: {}",
            plan.text()
        );
        env.apply();
        let after = web_id(&env);
        assert_ne!(before, after, "{attribute}");
        assert_eq!(
            vms(&env, "jkt01").len(),
            1,
            "{attribute}: the old VM is gone"
        );
        env.assert_no_changes();
    }
    let state = env.resource("idcloudhost_vm.web");
    assert_eq!(state["designated_pool_uuid"], pools[1].as_str());
    assert_eq!(state["public_ipv4"], Value::Null);
    assert!(
        floating_ips(&env, "jkt01").is_empty(),
        "replaced VMs left no address"
    );
    env.destroy();
}

#[test]
fn create_from_an_existing_disk_and_from_a_snapshot() {
    let env = Env::new();
    // A snapshot of another VM's boot disk, and an unattached disk.
    let source = env.api().post_form(
        "/v1/jkt01/user-resource/vm",
        &[
            ("name", "source"),
            ("os_name", "debian"),
            ("os_version", "12"),
            ("vcpu", "1"),
            ("ram", "1024"),
            ("disks", "25"),
            ("reserve_public_ip", "false"),
        ],
    );
    let source_uuid = source["uuid"].as_str().unwrap().to_owned();
    let snapshot = vm_form(&env, Method::POST, "vm/replica", &[("uuid", &source_uuid)]);
    let replica = snapshot["replica"][0]["uuid"].as_str().unwrap().to_owned();
    let disk = env
        .api()
        .post_form("/v1/jkt01/storage/disks", &[("size_gb", "30")]);
    let disk_uuid = disk["uuid"].as_str().unwrap().to_owned();

    env.write_config(&format!(
        r#"
provider "idcloudhost" {{}}
resource "idcloudhost_vm" "copy" {{
  name              = "copy"
  vcpu              = 1
  ram_mb            = 1024
  source_uuid       = "{source_uuid}"
  source_replica    = "{replica}"
  reserve_public_ip = false
}}
resource "idcloudhost_vm" "from_disk" {{
  name              = "from-disk"
  vcpu              = 1
  ram_mb            = 1024
  disk_uuid         = "{disk_uuid}"
  reserve_public_ip = false
}}
"#
    ));
    let plan = env.plan_check();
    for address in ["idcloudhost_vm.copy", "idcloudhost_vm.from_disk"] {
        assert!(
            plan.unknown_attributes(address)
                .contains(&"disk_size_gb".to_owned()),
            "{address}: {}",
            plan.text()
        );
    }
    env.apply();
    let copy = env.resource("idcloudhost_vm.copy");
    let from_disk = env.resource("idcloudhost_vm.from_disk");
    let api_copy = api_vm(&env, "jkt01", copy["id"].as_str().unwrap());
    assert_eq!(copy["disk_size_gb"], api_copy["storage"][0]["size"]);
    assert_eq!(copy["os_name"], api_copy["os_name"]);
    let api_from_disk = api_vm(&env, "jkt01", from_disk["id"].as_str().unwrap());
    assert_eq!(api_from_disk["storage"][0]["uuid"], disk_uuid.as_str());
    assert_eq!(from_disk["boot_disk_uuid"], disk_uuid.as_str());
    assert_eq!(from_disk["disk_size_gb"], 30);
    env.assert_no_changes();
    env.destroy();
}

#[test]
fn a_create_cut_off_by_its_deadline_is_adopted_not_lost() {
    let env = Env::new();
    // The API makes the VM but answers only after the resource's create deadline.
    env.api().set_faults(serde_json::json!({
        "latency_ms": 6000, "after_effect": true,
        "method": "POST", "path_contains": "user-resource/vm"
    }));
    env.write_config(&vm_config(
        "reserve_public_ip = false\n  timeouts {\n    create = \"2s\"\n  }",
    ));
    env.api().clear_requests();
    let result = env.tf(&["apply", "-auto-approve", "-no-color"]);
    env.api().clear_faults();
    assert_eq!(vms(&env, "jkt01").len(), 1, "{}", result.all());
    // Whatever the outcome, the VM is tracked: nothing half-created and lost.
    let state = env.resource("idcloudhost_vm.web");
    assert_eq!(
        state["id"],
        vms(&env, "jkt01")[0]["uuid"],
        "{}",
        result.all()
    );
    // One VM: the cut-off create was looked for, not sent again.
    assert_eq!(result.code, 0, "adopted: {}", result.all());
    env.assert_no_changes();
}

/// A VM whose public address is a managed floating IP (issue 8, item 1).
const MANAGED_ADDRESS: &str = r#"
provider "idcloudhost" {}
resource "idcloudhost_floating_ip" "web" {
  name = "web-public"
}
resource "idcloudhost_floating_ip_assignment" "web" {
  address = idcloudhost_floating_ip.web.address
  vm_uuid = idcloudhost_vm.web.id
}
resource "idcloudhost_vm" "web" {
  name              = "web"
  os_name           = "ubuntu"
  os_version        = "22.04-lts"
  vcpu              = 1
  ram_mb            = 1024
  reserve_public_ip = false
}
"#;

/// No plan replaces or deletes the VM, and the managed address is still served and
/// assigned to it.
fn assert_vm_kept_with_managed_address(env: &Env, uuid: &str, address: &str, form: &str) {
    let action = env.plan_check().action(WEB);
    assert!(
        !matches!(
            action,
            Action::Delete | Action::Replace | Action::ReplaceCreateFirst
        ),
        "{form}: the VM must not be replaced: {action:?}"
    );
    env.apply();
    assert_eq!(web_id(env), uuid, "{form}");
    let ip = floating_ips(env, "jkt01")
        .into_iter()
        .find(|ip| ip["address"] == address)
        .unwrap_or_else(|| panic!("{form}: the managed address {address} was released"));
    assert_eq!(ip["assigned_to"], uuid, "{form}");
    env.assert_no_changes();
    let state = env.resource("idcloudhost_vm.web");
    assert!(state["reserved_public_ipv4"].is_null(), "{form}: {state}");
}

#[test]
fn importing_a_vm_never_claims_its_managed_floating_ip() {
    let env = Env::applied(MANAGED_ADDRESS);
    let uuid = web_id(&env);
    let address = env.resource("idcloudhost_floating_ip.web")["address"]
        .as_str()
        .unwrap()
        .to_owned();

    // CLI import, with the configuration that matches the VM.
    env.tf_ok(&["state", "rm", "idcloudhost_vm.web"]);
    env.import_ok("idcloudhost_vm.web", &uuid);
    assert_vm_kept_with_managed_address(&env, &uuid, &address, "terraform import");

    // An import block.
    env.tf_ok(&["state", "rm", "idcloudhost_vm.web"]);
    let import_block =
        format!("import {{\n  to = idcloudhost_vm.web\n  id = \"jkt01/{uuid}\"\n}}\n");
    env.write_config(&format!("{MANAGED_ADDRESS}{import_block}"));
    assert_vm_kept_with_managed_address(&env, &uuid, &address, "import block");

    // Configuration generated from the import.
    env.tf_ok(&["state", "rm", "idcloudhost_vm.web"]);
    // The configuration without the VM's block (generated next), so the
    // assignment names the VM by its uuid.
    let without_vm = MANAGED_ADDRESS
        .split("resource \"idcloudhost_vm\"")
        .next()
        .unwrap()
        .replace("idcloudhost_vm.web.id", &format!("\"{uuid}\""));
    env.write_config(&format!("{without_vm}{import_block}"));
    env.generate_config();
    assert_vm_kept_with_managed_address(&env, &uuid, &address, "generated configuration");

    // Destroying the VM (and its assignment) keeps the floating IP it did not reserve.
    std::fs::remove_file(env.path().join("generated.tf")).unwrap();
    env.apply_config(
        "provider \"idcloudhost\" {}\nresource \"idcloudhost_floating_ip\" \"web\" {\n  name = \"web-public\"\n}\n",
    );
    assert!(vms(&env, "jkt01").is_empty());
    let ips = floating_ips(&env, "jkt01");
    assert_eq!(ips.len(), 1, "{ips:?}");
    assert_eq!(ips[0]["address"], address.as_str());
    env.destroy_leaving_empty("jkt01", "network/ip_addresses");
}

#[test]
fn a_reserved_address_unassigned_outside_terraform_is_assigned_again() {
    let env = Env::applied(&vm_config(""));
    let uuid = web_id(&env);
    let address = env.resource("idcloudhost_vm.web")["reserved_public_ipv4"]
        .as_str()
        .expect("the VM reserved an address")
        .to_owned();
    // Unassigned, still reserved (and billed).
    vm_form(&env, Method::DELETE, "vm/ip/public", &[("uuid", &uuid)]);

    let plan = env.plan_check();
    assert_eq!(plan.action(WEB), Action::Update);
    assert_eq!(
        plan.after(WEB)["public_ipv4"],
        address.as_str(),
        "the plan shows the same address coming back"
    );
    env.apply();
    let ips = floating_ips(&env, "jkt01");
    assert_eq!(ips.len(), 1, "no second address: {ips:?}");
    assert_eq!(ips[0]["address"], address.as_str());
    assert_eq!(ips[0]["assigned_to"], uuid.as_str());
    env.assert_no_changes();

    // Released for good outside Terraform: a new one is reserved, and destroy
    // releases that one.
    vm_form(&env, Method::DELETE, "vm/ip/public", &[("uuid", &uuid)]);
    env.api().json(
        Method::DELETE,
        &format!("/v1/jkt01/network/ip_addresses/{address}"),
        Value::Null,
    );
    env.apply();
    let renewed = env.resource("idcloudhost_vm.web")["reserved_public_ipv4"].clone();
    assert!(
        renewed.is_string() && renewed != address.as_str(),
        "{renewed}"
    );
    env.destroy();
    assert!(
        floating_ips(&env, "jkt01").is_empty(),
        "nothing left billing"
    );
}

#[test]
fn a_vm_deleted_outside_terraform_warns_about_the_address_it_left_behind() {
    let env = Env::applied(&vm_config(""));
    let uuid = web_id(&env);
    let address = env.resource("idcloudhost_vm.web")["reserved_public_ipv4"]
        .as_str()
        .unwrap()
        .to_owned();
    vm_form(&env, Method::DELETE, "vm", &[("uuid", &uuid)]);
    env.api().clear_requests();

    assert_eq!(env.plan_check().action(WEB), Action::Create);
    let output = env.plan().all();
    assert!(output.contains("Warning"), "{output}");
    assert!(output.contains(&address), "names the address: {output}");
    assert!(
        output.contains(&format!(
            "terraform import idcloudhost_floating_ip.NAME jkt01/{address}"
        )),
        "says how to import it: {output}"
    );
    assert!(env.api().writes().is_empty(), "reads never write");
    // Still reserved, unassigned.
    assert!(floating_ips(&env, "jkt01")
        .iter()
        .any(|ip| ip["address"] == address.as_str() && ip["assigned_to"].is_null()));
}

#[test]
fn reserve_public_ip_changes_in_place_and_a_vm_moves_to_a_managed_address() {
    let env = Env::new();
    // Assigning a floating IP to a VM that holds its own address: whether the
    // same apply releases it is not the assignment's to know, so every plan
    // warns, naming vm_uuid and what to do (the apply waits, then fails).
    env.apply_config(&vm_config(""));
    let uuid = web_id(&env);
    let own = env.resource("idcloudhost_vm.web")["reserved_public_ipv4"]
        .as_str()
        .unwrap()
        .to_owned();
    env.write_config(&MANAGED_ADDRESS.replace("reserve_public_ip = false", ""));
    env.api().clear_requests();
    let plan = env.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    plan.assert_mentions("vm_uuid");
    assert!(
        plan.all()
            .replace('\n', " ")
            .contains("reserve_public_ip = false"),
        "{}",
        plan.all()
    );
    assert!(env.api().writes().is_empty(), "nothing sent");

    // Moving to the managed address: the VM is updated in place.
    env.write_config(MANAGED_ADDRESS);
    assert_eq!(env.plan_check().action(WEB), Action::Update);
    env.apply();
    assert_eq!(web_id(&env), uuid, "the VM is kept");
    let managed = env.resource("idcloudhost_floating_ip.web")["address"].clone();
    let ips = floating_ips(&env, "jkt01");
    assert_eq!(ips.len(), 1, "its own address was released: {ips:?}");
    assert_eq!(ips[0]["address"], managed);
    assert_eq!(ips[0]["assigned_to"], uuid.as_str());
    assert_ne!(managed, own.as_str());
    assert!(env.resource("idcloudhost_vm.web")["reserved_public_ipv4"].is_null());
    env.assert_no_changes();

    // And back: the assignment goes, the VM reserves an address again, in place.
    env.write_config(&vm_config(""));
    assert_eq!(env.plan_check().action(WEB), Action::Update);
    env.apply();
    assert_eq!(web_id(&env), uuid);
    let state = env.resource("idcloudhost_vm.web");
    assert!(state["reserved_public_ipv4"].is_string(), "{state}");
    assert_eq!(state["public_ipv4"], state["reserved_public_ipv4"]);
    env.assert_no_changes();
    env.destroy_leaving_empty("jkt01", "network/ip_addresses");
}

/// Issue 8, item 3: what depends on an assignment or attachment made in the same
/// apply reads it from that resource, which is right after the first apply.
#[test]
fn first_apply_outputs_from_assignment_and_attachment_are_right() {
    let env = Env::applied(&format!(
        r#"{MANAGED_ADDRESS}
resource "idcloudhost_disk" "data" {{
  size_gb = 10
}}
resource "idcloudhost_disk_attachment" "data" {{
  vm_uuid   = idcloudhost_vm.web.id
  disk_uuid = idcloudhost_disk.data.id
}}
output "public_ipv4" {{
  value = idcloudhost_floating_ip_assignment.web.address
}}
output "private_ip" {{
  value = idcloudhost_floating_ip_assignment.web.private_ip
}}
output "data_disk_vm" {{
  value = idcloudhost_disk_attachment.data.vm_uuid
}}
output "data_disk_path" {{
  value = idcloudhost_disk_attachment.data.device_path
}}
"#
    ));
    let outputs = env.outputs();
    let uuid = web_id(&env);
    let vm = api_vm(&env, "jkt01", &uuid);
    let held = floating_ips(&env, "jkt01")
        .into_iter()
        .find(|ip| ip["assigned_to"] == uuid.as_str())
        .expect("the VM holds the floating IP");
    assert_eq!(outputs["public_ipv4"], held["address"]);
    assert_eq!(outputs["private_ip"], vm["private_ipv4"]);
    assert_eq!(outputs["data_disk_vm"], uuid.as_str());
    let disk = env.id_of("idcloudhost_disk.data");
    assert!(vm["storage"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["uuid"] == disk.as_str()));
    assert_eq!(
        outputs["data_disk_path"],
        format!("/dev/disk/by-id/virtio-{}", &disk[..20])
    );
    // The next refresh fills the values read from the API, and nothing changes.
    env.assert_no_changes();
    env.refresh_only();
    assert_eq!(
        env.resource("idcloudhost_vm.web")["public_ipv4"],
        held["address"]
    );
    assert_eq!(
        env.resource("idcloudhost_disk.data")["attached_to"],
        uuid.as_str()
    );
    env.destroy();
}
