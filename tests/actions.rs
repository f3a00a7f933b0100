//! Actions through Terraform 1.15: `terraform apply -invoke=action.TYPE.NAME`
//! and `lifecycle { action_trigger {...} }`, their progress lines in the
//! output, their effect seen through the simulator's API, bad input failing at
//! plan with nothing sent, and brand rules naming the brand that has it.

mod common;

use common::Env;
use serde_json::Value;

/// `terraform apply -invoke=action.ADDRESS`, auto-approved.
fn invoke(env: &Env, address: &str) -> common::TfResult {
    env.tf(&[
        "apply",
        "-auto-approve",
        "-no-color",
        "-input=false",
        &format!("-invoke=action.{address}"),
    ])
}

fn invoke_ok(env: &Env, address: &str) -> String {
    let result = invoke(env, address);
    assert!(
        result.success(),
        "invoking {address} failed:\n{}",
        result.all()
    );
    result.stdout
}

/// The progress lines Terraform printed for one action.
fn progress_lines(output: &str, address: &str) -> Vec<String> {
    // `Action action.ADDRESS (triggered by WHAT): message`
    let prefix = format!("Action action.{address} (");
    output
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .filter_map(|l| l.split_once("): ").map(|(_, message)| message))
        .map(|l| l.trim().to_owned())
        .collect()
}

/// A VM made through the API in jkt01; its uuid.
fn api_vm(env: &Env, name: &str) -> String {
    let vm = env.api().create_vm("jkt01", name, &[]);
    vm["uuid"].as_str().expect("vm uuid").to_owned()
}

fn vm_status(env: &Env, uuid: &str) -> String {
    env.api()
        .list("jkt01", "user-resource/vm/list")
        .into_iter()
        .find(|v| v["uuid"] == uuid)
        .map(|v| v["status"].as_str().unwrap_or_default().to_owned())
        .expect("the VM")
}

fn power_action(name: &str, uuid: &str, operation: &str, extra: &str) -> String {
    format!(
        r#"
action "idcloudhost_vm_power" "{name}" {{
  config {{
    vm_uuid   = "{uuid}"
    operation = "{operation}"
    {extra}
  }}
}}
"#
    )
}

#[test]
fn power_by_invoke_is_idempotent_and_says_what_it_did() {
    let env = Env::new();
    let uuid = api_vm(&env, "web");
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{}{}",
        power_action("stop", &uuid, "stop", ""),
        power_action("start", &uuid, "start", "")
    ));

    let out = invoke_ok(&env, "idcloudhost_vm_power.stop");
    let lines = progress_lines(&out, "idcloudhost_vm_power.stop");
    let label = format!("VM \"web\" ({uuid})");
    assert_eq!(
        lines[0],
        format!("Stopping {label} gracefully (ACPI shutdown)")
    );
    assert!(
        lines[1].starts_with(&format!("{label} stopped in ")),
        "{out}"
    );
    assert_eq!(vm_status(&env, &uuid), "stopped");

    // Again: nothing sent, and the output says why.
    env.api().clear_requests();
    let out = invoke_ok(&env, "idcloudhost_vm_power.stop");
    assert_eq!(
        progress_lines(&out, "idcloudhost_vm_power.stop"),
        [format!("{label} is already stopped: nothing to do")]
    );
    assert_eq!(env.api().writes(), []);

    let out = invoke_ok(&env, "idcloudhost_vm_power.start");
    let lines = progress_lines(&out, "idcloudhost_vm_power.start");
    assert_eq!(lines[0], format!("Starting {label}"));
    assert!(
        lines[1].starts_with(&format!("{label} started in ")),
        "{out}"
    );
    assert_eq!(vm_status(&env, &uuid), "running");

    env.api().clear_requests();
    let out = invoke_ok(&env, "idcloudhost_vm_power.start");
    assert_eq!(
        progress_lines(&out, "idcloudhost_vm_power.start"),
        [format!("{label} is already running: nothing to do")]
    );
    assert_eq!(env.api().writes(), []);
}

#[test]
fn bad_action_input_fails_at_plan_with_nothing_sent() {
    let env = Env::new();
    let uuid = api_vm(&env, "web");
    let cases = [
        (
            power_action("a", &uuid, "reboot", ""),
            "idcloudhost_vm_power.a",
            "operation",
        ),
        (
            power_action("a", &uuid, "start", "force = true"),
            "idcloudhost_vm_power.a",
            "force",
        ),
        (
            power_action("a", "no-such-vm", "stop", ""),
            "idcloudhost_vm_power.a",
            "There is no VM \"no-such-vm\" in location jkt01",
        ),
        (
            power_action("a", &uuid, "stop", "vm_name = \"web\""),
            "idcloudhost_vm_power.a",
            "Set vm_uuid or vm_name, not both.",
        ),
        (
            power_action("a", &uuid, "stop", "timeout = \"soon\""),
            "idcloudhost_vm_power.a",
            "timeout",
        ),
        (
            power_action("a", &uuid, "stop", "location = \"mars01\""),
            "idcloudhost_vm_power.a",
            "Unknown location \"mars01\"",
        ),
    ];
    for (config, address, expected) in cases {
        env.write_config(&format!("provider \"idcloudhost\" {{}}\n{config}"));
        env.api().clear_requests();
        let result = invoke(&env, address);
        assert!(!result.success(), "{address} succeeded:\n{}", result.all());
        assert!(
            result.all().contains(expected),
            "{address}: expected {expected:?} in:\n{}",
            result.all()
        );
        assert_eq!(env.api().writes(), [], "{address} sent something");
        assert_eq!(vm_status(&env, &uuid), "running");
    }
}

#[test]
fn a_snapshot_is_taken_before_every_update() {
    let env = Env::new();
    let config = |vcpu: u8| {
        format!(
            r#"
provider "idcloudhost" {{}}

locals {{
  name = "web"
}}

resource "idcloudhost_vm" "web" {{
  name              = local.name
  os_name           = "ubuntu"
  os_version        = "22.04-lts"
  vcpu              = {vcpu}
  ram_mb            = 1024
  reserve_public_ip = false

  lifecycle {{
    action_trigger {{
      events  = [before_update]
      actions = [action.idcloudhost_vm_take_snapshot.web]
    }}
  }}
}}

# The VM's id would be a cycle (the action runs before the VM's update).
action "idcloudhost_vm_take_snapshot" "web" {{
  config {{
    vm_name = local.name
  }}
}}

data "idcloudhost_vm_snapshots" "web" {{
  vm_uuid = idcloudhost_vm.web.id
  r_type  = "snapshot"
}}

output "snapshots" {{
  value = data.idcloudhost_vm_snapshots.web.snapshots[*].id
}}
"#
        )
    };
    env.write_config(&config(1));
    let created = env.apply();
    // A create is no update: no snapshot.
    assert!(
        !created.stdout.contains("Taking a snapshot"),
        "{}",
        created.stdout
    );
    let uuid = env.resource("idcloudhost_vm.web")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let snapshots = |env: &Env| -> Vec<Value> {
        env.api()
            .get(&format!(
                "/v1/jkt01/user-resource/vm/replica?uuid={uuid}&r_type=snapshot"
            ))
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(snapshots(&env).len(), 0);

    env.write_config(&config(2));
    let updated = env.apply();
    let lines = progress_lines(&updated.stdout, "idcloudhost_vm_take_snapshot.web");
    let label = format!("VM \"web\" ({uuid})");
    assert!(
        lines.contains(&format!("Taking a snapshot of {label}")),
        "{}",
        updated.stdout
    );
    let taken = snapshots(&env);
    assert_eq!(taken.len(), 1, "{taken:?}");
    let id = taken[0]["uuid"].as_str().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("Snapshot {id} of {label} taken in "))),
        "{lines:?}"
    );
    // Not managed: the state has no snapshot resource, the data source lists it.
    env.apply();
    assert_eq!(env.outputs()["snapshots"], serde_json::json!([id]));
    assert_eq!(snapshots(&env).len(), 1, "an unchanged VM: no new snapshot");
}

#[test]
fn a_new_vm_is_restarted_after_create() {
    let env = Env::new();
    env.write_config(
        r#"
provider "idcloudhost" {}

resource "idcloudhost_vm" "worker" {
  name              = "worker"
  os_name           = "ubuntu"
  os_version        = "22.04-lts"
  vcpu              = 1
  ram_mb            = 1024
  reserve_public_ip = false

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.idcloudhost_vm_power.restart]
    }
  }
}

action "idcloudhost_vm_power" "restart" {
  config {
    vm_uuid   = idcloudhost_vm.worker.id
    location  = idcloudhost_vm.worker.location
    operation = "restart"
  }
}
"#,
    );
    let applied = env.apply();
    let uuid = env.resource("idcloudhost_vm.worker")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let label = format!("VM \"worker\" ({uuid})");
    let lines = progress_lines(&applied.stdout, "idcloudhost_vm_power.restart");
    assert!(
        lines.contains(&format!("Stopping {label} gracefully (ACPI shutdown)"))
            && lines.contains(&format!("Starting {label}")),
        "{}",
        applied.stdout
    );
    // The stop and the start reached the API, in that order, after the create.
    let writes: Vec<String> = env
        .api()
        .writes()
        .into_iter()
        .map(|(m, p, _)| format!("{m} {p}"))
        .collect();
    let at = |what: &str| writes.iter().position(|w| w.ends_with(what)).unwrap();
    assert!(at("/user-resource/vm") < at("/vm/stop") && at("/vm/stop") < at("/vm/start"));
    assert_eq!(vm_status(&env, &uuid), "running");
    env.assert_no_changes();
}

#[test]
fn providers_schema_lists_the_action_schemas() {
    let env = Env::new();
    env.write_config("provider \"idcloudhost\" {}\n");
    let schema = env.provider_schema();
    let actions = schema["action_schemas"]
        .as_object()
        .expect("action_schemas");
    let mut names: Vec<&str> = actions.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(
        names,
        ["idcloudhost_vm_power", "idcloudhost_vm_take_snapshot"]
    );
    let power = &actions["idcloudhost_vm_power"]["block"]["attributes"];
    assert_eq!(power["vm_uuid"]["optional"], true);
    assert_eq!(power["vm_name"]["optional"], true);
    assert_eq!(power["operation"]["required"], true);
    assert_eq!(power["force"]["optional"], true);
    assert_eq!(power["timeout"]["optional"], true);
    assert_eq!(power["location"]["optional"], true);
}
