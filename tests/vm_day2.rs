//! The declarative day-2 operations of `idcloudhost_vm` (for Terraform before
//! 1.14 and OpenTofu, which have no actions), through Terraform 1.15 and 1.0.3
//! against the simulator: `os_change = "reinstall"` (an in-place update, not a
//! replacement), `force_stop` (a guest that ignores a graceful shutdown), and
//! `source_uuid` without `source_replica` (a clone). Effects are checked through
//! the simulator's API and its `/__sim/vms` view of the guests.

mod common;

use std::path::PathBuf;

use common::{terraform_1_0_binary, terraform_binary, Action, Env};
use serde_json::{json, Value};

fn vm_config(os: (&str, &str), attrs: &str) -> String {
    format!(
        r#"
provider "idcloudhost" {{}}
resource "idcloudhost_vm" "web" {{
  name       = "web"
  os_name    = "{}"
  os_version = "{}"
  vcpu       = 1
  ram_mb     = 1024
  {attrs}
}}
"#,
        os.0, os.1
    )
}

fn web(env: &Env) -> Value {
    env.resource("idcloudhost_vm.web")
}

fn api_vm(env: &Env, uuid: &str) -> Value {
    env.api()
        .get(&format!("/v1/jkt01/user-resource/vm?uuid={uuid}"))
}

/// The simulator's view of the guest of `uuid` (`GET /__sim/vms`).
fn guest(env: &Env, uuid: &str) -> Value {
    env.api().guest(uuid)
}

fn set_guest(env: &Env, uuid: &str, body: Value) {
    env.api().set_guest(uuid, body);
}

fn reinstall_in_place(terraform: PathBuf) {
    let env = Env::with_terraform(terraform);
    env.apply_config(&vm_config(("ubuntu", "22.04-lts"), ""));
    let before = web(&env);
    let uuid = before["id"].as_str().unwrap().to_owned();
    set_guest(&env, &uuid, json!({"disk_data": "site content"}));

    // Without os_change: today's behaviour, a replacement.
    env.write_config(&vm_config(("debian", "12"), ""));
    assert_eq!(
        env.plan_check().action("idcloudhost_vm.web"),
        Action::Replace
    );

    // os_change = "reinstall": an update in place, and the plan warns that the
    // boot disk's content is erased.
    env.write_config(&vm_config(("debian", "12"), r#"os_change = "reinstall""#));
    let plan = env.plan_check();
    assert_eq!(plan.action("idcloudhost_vm.web"), Action::Update);
    assert_eq!(plan.after("idcloudhost_vm.web")["os_name"], "debian");
    let plan = env.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    let text = plan.all().replace('\n', " ");
    assert!(
        text.contains("will be reinstalled with debian 12") && text.contains("boot disk is erased"),
        "{}",
        plan.all()
    );

    env.api().clear_requests();
    env.apply();
    assert_eq!(
        env.api().write_lines(),
        ["POST /v1/jkt01/user-resource/vm/reinstall"],
        "reinstalled in place, nothing else"
    );
    let after = web(&env);
    assert_eq!(after["id"], before["id"], "same VM");
    assert_eq!(after["private_ipv4"], before["private_ipv4"]);
    assert_eq!(after["public_ipv4"], before["public_ipv4"]);
    assert_eq!(after["boot_disk_uuid"], before["boot_disk_uuid"]);
    assert_eq!(
        (after["os_name"].as_str(), after["os_version"].as_str()),
        (Some("debian"), Some("12"))
    );
    let vm = api_vm(&env, &uuid);
    assert_eq!(
        (vm["os_name"].as_str(), vm["status"].as_str()),
        (Some("debian"), Some("running"))
    );
    assert_eq!(
        guest(&env, &uuid)["disk_data"],
        Value::Null,
        "the disk was wiped"
    );
    env.assert_no_changes();

    // An OS the catalogue lacks fails at plan, naming the attribute, nothing sent.
    env.write_config(&vm_config(("debian", "1.0"), r#"os_change = "reinstall""#));
    env.api().clear_requests();
    let plan = env.plan();
    assert_eq!(plan.code, 1);
    plan.assert_mentions("os_version");
    assert!(env.api().write_lines().is_empty());
}

#[test]
fn os_change_reinstall_updates_in_place() {
    reinstall_in_place(terraform_binary());
}

#[test]
fn os_change_reinstall_updates_in_place_on_terraform_1_0() {
    reinstall_in_place(terraform_1_0_binary());
}

fn forced_stops(terraform: PathBuf) {
    let env = Env::with_terraform(terraform);
    let os = ("ubuntu", "22.04-lts");
    env.apply_config(&vm_config(os, ""));
    let uuid = web(&env)["id"].as_str().unwrap().to_owned();
    set_guest(&env, &uuid, json!({"ignores_shutdown": true}));

    // Without force_stop: the API's message, and what to do about it.
    env.write_config(&vm_config(os, r#"power_state = "stopped""#));
    let failed = env.tf(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    assert!(!failed.success());
    let text = failed.all().replace('\n', " ");
    assert!(text.contains("did not shut down"), "{}", failed.all());
    assert!(text.contains("force_stop = true"), "{}", failed.all());
    assert_eq!(api_vm(&env, &uuid)["status"], "running");
    assert_eq!(guest(&env, &uuid)["forced_stops"], 0);

    // With it: stopped with force, and a warning says so.
    env.write_config(&vm_config(
        os,
        "power_state = \"stopped\"\n  force_stop = true",
    ));
    let applied = env.apply();
    applied.assert_mentions("was stopped with force");
    let g = guest(&env, &uuid);
    assert_eq!(
        (g["status"].as_str(), g["forced_stops"].as_i64()),
        (Some("stopped"), Some(1))
    );
    assert_eq!(web(&env)["power_state"], "stopped");
    env.assert_no_changes();

    // A vcpu change of a running VM needs it stopped: forced again.
    env.apply_config(&vm_config(os, "force_stop = true"));
    assert_eq!(api_vm(&env, &uuid)["status"], "running");
    env.apply_config(&vm_config(os, "force_stop = true").replace("vcpu       = 1", "vcpu = 2"));
    let vm = api_vm(&env, &uuid);
    assert_eq!(
        (vm["vcpu"].as_i64(), vm["status"].as_str()),
        (Some(2), Some("running"))
    );
    assert_eq!(guest(&env, &uuid)["forced_stops"], 2);

    // A guest that obeys is stopped gracefully even with force_stop.
    set_guest(&env, &uuid, json!({"ignores_shutdown": false}));
    env.apply_config(
        &vm_config(os, "power_state = \"stopped\"\n  force_stop = true")
            .replace("vcpu       = 1", "vcpu = 2"),
    );
    let g = guest(&env, &uuid);
    assert_eq!(
        (g["last_stop"].as_str(), g["forced_stops"].as_i64()),
        (Some("graceful"), Some(2))
    );
}

#[test]
fn force_stop_stops_a_guest_that_ignores_a_graceful_shutdown() {
    forced_stops(terraform_binary());
}

#[test]
fn force_stop_stops_a_guest_that_ignores_a_graceful_shutdown_on_terraform_1_0() {
    forced_stops(terraform_1_0_binary());
}

fn clone_config(source: &str, attrs: &str) -> String {
    format!(
        r#"
provider "idcloudhost" {{}}
resource "idcloudhost_vm" "copy" {{
  name        = "golden-copy"
  source_uuid = "{source}"
  vcpu        = 2
  ram_mb      = 2048
  {attrs}
}}
"#
    )
}

fn clone_of_a_vm(terraform: PathBuf) {
    let env = Env::with_terraform(terraform);
    let api = env.api();
    let source = api.create_vm("jkt01", "golden", &[]);
    let source_uuid = source["uuid"].as_str().unwrap().to_owned();
    set_guest(&env, &source_uuid, json!({"disk_data": "app v3"}));

    // What a clone cannot take fails at plan, naming it; nothing is sent.
    env.write_config(&clone_config(&source_uuid, r#"cloud_init = "{}""#));
    api.clear_requests();
    let plan = env.plan();
    assert_eq!(plan.code, 1);
    plan.assert_mentions("cloud_init");
    assert!(env.api().write_lines().is_empty());
    // A source that does not exist, too.
    env.write_config(&clone_config("aaaaaaaa-0000-bbbb-1111-cccccccccccc", ""));
    let plan = env.plan();
    assert_eq!(plan.code, 1);
    plan.assert_mentions("source_uuid");
    assert!(env.api().write_lines().is_empty());

    env.write_config(&clone_config(&source_uuid, ""));
    assert_eq!(
        env.plan_check().action("idcloudhost_vm.copy"),
        Action::Create
    );
    api.clear_requests();
    env.apply();
    let copy = env.resource("idcloudhost_vm.copy");
    let uuid = copy["id"].as_str().unwrap().to_owned();
    assert_ne!(uuid, source_uuid);
    let sent = env.api().write_lines();
    assert!(
        sent.contains(&"POST /v1/jkt01/user-resource/vm/clone".to_owned()),
        "{sent:?}"
    );
    assert!(
        !sent.contains(&"POST /v1/jkt01/user-resource/vm".to_owned()),
        "{sent:?}"
    );
    // The source's disk and OS, the configured size, a public address.
    assert_eq!(guest(&env, &uuid)["disk_data"], "app v3");
    let vm = api_vm(&env, &uuid);
    assert_eq!(vm["os_name"], "ubuntu");
    assert_eq!(
        (vm["vcpu"].as_i64(), vm["memory"].as_i64()),
        (Some(2), Some(2048))
    );
    assert_eq!(vm["status"], "running");
    assert!(copy["public_ipv4"].is_string(), "{copy}");
    assert_eq!(copy["source_uuid"], json!(source_uuid));
    env.assert_no_changes();
    // The source is untouched.
    assert_eq!(api_vm(&env, &source_uuid)["vcpu"], 1);
    env.destroy();
    assert_eq!(api_vm(&env, &source_uuid)["status"], "running");
}

#[test]
fn source_uuid_without_source_replica_clones_the_vm() {
    clone_of_a_vm(terraform_binary());
}

#[test]
fn source_uuid_without_source_replica_clones_the_vm_on_terraform_1_0() {
    clone_of_a_vm(terraform_1_0_binary());
}
