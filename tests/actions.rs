//! Actions through Terraform 1.15: `terraform apply -invoke=action.TYPE.NAME`
//! and `lifecycle { action_trigger {...} }`, their progress lines in the
//! output, their effect seen through the simulator's API, bad input failing at
//! plan with nothing sent, and brand rules naming the brand that has it.

mod common;

use common::{hcl, Env};
use idcloudhost_sim::Brand;
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

/// `terraform plan -invoke=action.ADDRESS`: the plan only (`PlanAction`), no
/// invocation.
fn plan_invoke(env: &Env, address: &str) -> common::TfResult {
    env.tf(&[
        "plan",
        "-no-color",
        "-input=false",
        &format!("-invoke=action.{address}"),
    ])
}

/// Invoking `address` is refused with `expected` (Terraform's line wrapping
/// undone) already by `plan -invoke`, which never invokes, and again by `apply
/// -invoke`; neither sends anything to the API.
fn assert_refused_at_plan(env: &Env, address: &str, expected: &str) {
    for (what, result) in [
        ("plan -invoke", {
            env.api().clear_requests();
            plan_invoke(env, address)
        }),
        ("apply -invoke", {
            env.api().clear_requests();
            invoke(env, address)
        }),
    ] {
        assert!(
            !result.success(),
            "{what} {address} succeeded:\n{}",
            result.all()
        );
        assert!(
            flat(&result.all()).contains(expected),
            "{what} {address}: expected {expected:?} in:\n{}",
            result.all()
        );
        assert_eq!(env.api().writes(), [], "{what} {address} sent something");
    }
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

/// Terraform's output with its line wrapping undone, for messages.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A VM made through the API in jkt01; its uuid.
fn api_vm(env: &Env, name: &str) -> String {
    let vm = env.api().create_vm("jkt01", name, &[]);
    vm["uuid"].as_str().expect("vm uuid").to_owned()
}

fn vm_status(env: &Env, uuid: &str) -> String {
    env.api()
        .find("jkt01", "user-resource/vm/list", uuid)
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

    let label = format!("VM \"web\" ({uuid})");
    // (action, its first progress line, the word of the second, the VM's status after)
    let steps = [
        (
            "stop",
            format!("Stopping {label} gracefully (ACPI shutdown)"),
            "stopped",
            "stopped",
        ),
        ("start", format!("Starting {label}"), "started", "running"),
    ];
    for (action, first_line, done, status) in steps {
        let address = format!("idcloudhost_vm_power.{action}");
        let out = invoke_ok(&env, &address);
        let lines = progress_lines(&out, &address);
        assert_eq!(lines[0], first_line);
        assert!(
            lines[1].starts_with(&format!("{label} {done} in ")),
            "{out}"
        );
        assert_eq!(vm_status(&env, &uuid), status);

        // Again: nothing sent, and the output says why.
        env.api().clear_requests();
        let out = invoke_ok(&env, &address);
        assert_eq!(
            progress_lines(&out, &address),
            [format!("{label} is already {status}: nothing to do")]
        );
        assert_eq!(env.api().writes(), []);
    }
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
        (
            format!(
                r#"
action "idcloudhost_vm_reinstall" "a" {{
  config {{
    vm_uuid    = "{uuid}"
    os_name    = "ubuntu"
    os_version = "12.04"
  }}
}}
"#
            ),
            "idcloudhost_vm_reinstall.a",
            "ubuntu has no published version \"12.04\"",
        ),
        (
            format!(
                r#"
action "idcloudhost_vm_reinstall" "a" {{
  config {{
    vm_uuid    = "{uuid}"
    os_name    = "beos"
    os_version = "5"
  }}
}}
"#
            ),
            "idcloudhost_vm_reinstall.a",
            "\"beos\" is not an image of this API",
        ),
        (
            format!(
                r#"
action "idcloudhost_vm_restore_snapshot" "a" {{
  config {{
    vm_uuid     = "{uuid}"
    snapshot_id = "{uuid}2020-01-01-00-00-00"
  }}
}}
"#
            ),
            "idcloudhost_vm_restore_snapshot.a",
            "has no snapshot or backup",
        ),
        (
            format!(
                r#"
action "idcloudhost_vm_boot_media" "a" {{
  config {{
    vm_uuid = "{uuid}"
  }}
}}
"#
            ),
            "idcloudhost_vm_boot_media.a",
            "boot_image_uuid is required on IDCloudHost (brand = \"idcloudhost\")",
        ),
        (
            format!(
                r#"
action "idcloudhost_vm_boot_media" "a" {{
  config {{
    vm_uuid         = "{uuid}"
    boot_image_uuid = "not-an-image"
  }}
}}
"#
            ),
            "idcloudhost_vm_boot_media.a",
            "\"not-an-image\" is not a boot image of the platform",
        ),
    ];
    for (config, address, expected) in cases {
        env.write_config(&format!("provider \"idcloudhost\" {{}}\n{config}"));
        assert_refused_at_plan(&env, address, expected);
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
    let uuid = env.id_of("idcloudhost_vm.web");
    let snapshots = |env: &Env| -> Vec<Value> {
        env.api().get_list(&format!(
            "/v1/jkt01/user-resource/vm/replica?uuid={uuid}&r_type=snapshot"
        ))
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

/// The snapshot action on demand (`apply -invoke`), by uuid and by name: each
/// invocation a new snapshot the API lists, with the size of the VM's disk; a
/// VM that does not exist fails at plan, nothing taken.
#[test]
fn a_snapshot_is_taken_on_demand_by_invoke() {
    let env = Env::new();
    let uuid = api_vm(&env, "web");
    let snapshots = |env: &Env| -> Vec<Value> {
        env.api().get_list(&format!(
            "/v1/jkt01/user-resource/vm/replica?uuid={uuid}&r_type=snapshot"
        ))
    };
    env.write_config(&format!(
        r#"
provider "idcloudhost" {{}}

action "idcloudhost_vm_take_snapshot" "by_uuid" {{
  config {{
    vm_uuid = "{uuid}"
  }}
}}

action "idcloudhost_vm_take_snapshot" "by_name" {{
  config {{
    vm_name  = "web"
    location = "jkt01"
  }}
}}

action "idcloudhost_vm_take_snapshot" "missing" {{
  config {{
    vm_name = "no-such-vm"
  }}
}}
"#
    ));
    assert_refused_at_plan(&env, "idcloudhost_vm_take_snapshot.missing", "no-such-vm");
    assert_eq!(snapshots(&env).len(), 0);

    let label = format!("VM \"web\" ({uuid})");
    let mut taken: Vec<String> = Vec::new();
    for address in [
        "idcloudhost_vm_take_snapshot.by_uuid",
        "idcloudhost_vm_take_snapshot.by_name",
    ] {
        env.api().clear_requests();
        let out = invoke_ok(&env, address);
        let lines = progress_lines(&out, address);
        assert_eq!(lines[0], format!("Taking a snapshot of {label}"), "{out}");
        let listed = snapshots(&env);
        assert_eq!(listed.len(), taken.len() + 1, "{listed:?}");
        let new = listed
            .iter()
            .map(|r| r["uuid"].as_str().unwrap().to_owned())
            .find(|id| !taken.contains(id))
            .expect("a new snapshot");
        let size = listed.iter().find(|r| r["uuid"] == new.as_str()).unwrap()["size"].clone();
        assert!(
            lines.iter().any(
                |l| l.starts_with(&format!("Snapshot {new} of {label} taken in "))
                    && l.contains(&format!("({size} GB)"))
            ),
            "{lines:?}"
        );
        let replicas: Vec<String> = env.api().write_lines();
        assert_eq!(replicas, ["POST /v1/jkt01/user-resource/vm/replica"]);
        taken.push(new);
    }
    assert_eq!(vm_status(&env, &uuid), "running");
}

#[test]
fn a_new_vm_is_restarted_after_create() {
    let env = Env::new();
    env.write_config(&format!(
        r#"
provider "idcloudhost" {{}}

{worker_vm}

action "idcloudhost_vm_power" "restart" {{
  config {{
    vm_uuid   = idcloudhost_vm.worker.id
    location  = idcloudhost_vm.worker.location
    operation = "restart"
  }}
}}
"#,
        worker_vm = hcl::small_vm(
            "worker",
            "worker",
            "reserve_public_ip = false
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.idcloudhost_vm_power.restart]
    }
  }"
        )
    ));
    let applied = env.apply();
    let uuid = env.id_of("idcloudhost_vm.worker");
    let label = format!("VM \"worker\" ({uuid})");
    let lines = progress_lines(&applied.stdout, "idcloudhost_vm_power.restart");
    assert!(
        lines.contains(&format!("Stopping {label} gracefully (ACPI shutdown)"))
            && lines.contains(&format!("Starting {label}")),
        "{}",
        applied.stdout
    );
    // The stop and the start reached the API, in that order, after the create.
    let writes: Vec<String> = env.api().write_lines();
    let at = |what: &str| writes.iter().position(|w| w.ends_with(what)).unwrap();
    assert!(at("/user-resource/vm") < at("/vm/stop") && at("/vm/stop") < at("/vm/start"));
    assert_eq!(vm_status(&env, &uuid), "running");
    // The guest saw the graceful stop of the restart.
    assert_eq!(guest(&env, &uuid)["last_stop"], "graceful");
    env.assert_no_changes();
}

#[test]
fn boot_media_on_elastis_names_the_brands_that_have_an_image() {
    let env = Env::for_brand(Brand::Elastis, common::terraform_binary());
    let uuid = api_vm(&env, "web");
    env.write_config(&format!(
        r#"
provider "idcloudhost" {{}}

action "idcloudhost_vm_boot_media" "iso" {{
  config {{
    vm_uuid         = "{uuid}"
    boot_image_uuid = "some-image"
  }}
}}
"#
    ));
    for expected in [
        "not available on elastis.id (brand = \"elastis\")",
        "IDCloudHost (brand = \"idcloudhost\") and 3nv.io (brand = \"3nv\")",
        "boot_image_uuid",
    ] {
        assert_refused_at_plan(&env, "idcloudhost_vm_boot_media.iso", expected);
    }
}

/// The other way round: the rescue image (no `boot_image_uuid`) is elastis.id's
/// alone, and the newer brands say so at plan.
#[test]
fn boot_media_without_an_image_names_the_brand_with_a_rescue_image() {
    let env = Env::new();
    let uuid = api_vm(&env, "web");
    env.write_config(&format!(
        r#"
provider "idcloudhost" {{}}

action "idcloudhost_vm_boot_media" "rescue" {{
  config {{
    vm_uuid = "{uuid}"
  }}
}}
"#
    ));
    assert_refused_at_plan(
        &env,
        "idcloudhost_vm_boot_media.rescue",
        "(POST /vm/rescue_start) is available on elastis.id (brand = \"elastis\")",
    );
    assert_eq!(
        guest(&env, &uuid)["booted_from"],
        "disk",
        "booted its own disk"
    );
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
        [
            "idcloudhost_vm_boot_media",
            "idcloudhost_vm_power",
            "idcloudhost_vm_reinstall",
            "idcloudhost_vm_restore_snapshot",
            "idcloudhost_vm_take_snapshot",
        ]
    );
    let power = &actions["idcloudhost_vm_power"]["block"]["attributes"];
    assert_eq!(power["vm_uuid"]["optional"], true);
    assert_eq!(power["vm_name"]["optional"], true);
    assert_eq!(power["operation"]["required"], true);
    assert_eq!(power["force"]["optional"], true);
    assert_eq!(power["timeout"]["optional"], true);
    assert_eq!(power["location"]["optional"], true);
}

/// One VM as `GET /__sim/vms` shows it (what happened to its guest).
fn guest(env: &Env, uuid: &str) -> Value {
    env.api().guest(uuid)
}

fn set_guest(env: &Env, uuid: &str, body: Value) {
    env.api().set_guest(uuid, body);
}

#[test]
fn a_guest_that_ignores_shutdown_needs_force() {
    let env = Env::new();
    let uuid = api_vm(&env, "hung");
    set_guest(&env, &uuid, serde_json::json!({"ignores_shutdown": true}));
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{}{}",
        power_action("stop", &uuid, "stop", ""),
        power_action("kill", &uuid, "stop", "force = true"),
    ));
    let refused = invoke(&env, "idcloudhost_vm_power.stop");
    refused.assert_failed();
    let text = refused.all();
    assert!(
        text.contains("did not shut down"),
        "the API's message:\n{text}"
    );
    assert!(text.contains("set force = true"), "{text}");
    assert_eq!(vm_status(&env, &uuid), "running");

    let out = invoke_ok(&env, "idcloudhost_vm_power.kill");
    let label = format!("VM \"hung\" ({uuid})");
    assert!(
        progress_lines(&out, "idcloudhost_vm_power.kill").contains(&format!(
            "Stopping {label} forcibly (force = true: pulling the plug)"
        )),
        "{out}"
    );
    let seen = guest(&env, &uuid);
    assert_eq!(seen["status"], "stopped");
    assert_eq!(seen["last_stop"], "forced");
    assert_eq!(seen["forced_stops"], 1);
}

/// The id of `idcloudhost_vm.web`, as HCL.
const WEB_ID: &str = "idcloudhost_vm.web.id";

#[test]
fn reinstall_keeps_the_vm_and_erases_its_disk() {
    let env = Env::new();
    env.api().create_network("jkt01", "default");
    let vm = hcl::web_vm(
        "network_uuid      = idcloudhost_network.app.id
  reserve_public_ip = false
  lifecycle {
    ignore_changes = [os_name, os_version]
  }",
    );
    let firewall = r#"
resource "idcloudhost_firewall" "web" {
  name = "web"
  rule {
    direction  = "inbound"
    protocol   = "tcp"
    port_start = 443
  }
}
"#;
    let balancer = format!(
        "network_uuid      = idcloudhost_network.app.id\n  reserve_public_ip = false\n{}{}",
        hcl::forwarding_rule(80, 80),
        hcl::lb_target(WEB_ID)
    );
    let reinstall = r#"
action "idcloudhost_vm_reinstall" "web" {
  config {
    vm_uuid    = idcloudhost_vm.web.id
    os_name    = "debian"
    os_version = "12"
  }
}
"#;
    env.apply_config(&hcl::with_provider(
        &[
            hcl::named("idcloudhost_network", "app", "app", ""),
            vm,
            hcl::named("idcloudhost_disk", "data", "data", "size_gb = 20"),
            hcl::disk_attachment("data", WEB_ID, "idcloudhost_disk.data.id"),
            firewall.to_owned(),
            hcl::firewall_attachment("web", "idcloudhost_firewall.web.id", WEB_ID),
            hcl::named("idcloudhost_load_balancer", "web", "web", &balancer),
            hcl::named("idcloudhost_floating_ip", "web", "web", ""),
            hcl::ip_assignment("web", "idcloudhost_floating_ip.web.address", WEB_ID),
            reinstall.to_owned(),
        ]
        .concat(),
    ));
    let before = env.resource("idcloudhost_vm.web");
    let uuid = before["id"].as_str().unwrap().to_owned();
    set_guest(&env, &uuid, serde_json::json!({"disk_data": "hello"}));
    // What the VM is part of, as the API shows it.
    let membership = |env: &Env| {
        let api = env.api();
        let firewall = env.resource("idcloudhost_firewall.web")["id"].clone();
        let firewall = api
            .list("jkt01", "network/firewalls")
            .into_iter()
            .find(|f| f["uuid"] == firewall)
            .expect("the firewall");
        let balancer = env.resource("idcloudhost_load_balancer.web")["id"].clone();
        let balancer = api.get(&format!(
            "/v1/jkt01/network/load_balancers/{}",
            balancer.as_str().unwrap()
        ));
        let address = env.resource("idcloudhost_floating_ip.web")["address"].clone();
        let ip = api.get(&format!(
            "/v1/jkt01/network/ip_addresses/{}",
            address.as_str().unwrap()
        ));
        (
            firewall["resources_assigned"].clone(),
            balancer["targets"].clone(),
            ip["assigned_to"].clone(),
        )
    };
    let member_before = membership(&env);

    let out = invoke_ok(&env, "idcloudhost_vm_reinstall.web");
    let label = format!("VM \"web\" ({uuid})");
    let lines = progress_lines(&out, "idcloudhost_vm_reinstall.web");
    assert_eq!(
        lines[0],
        format!(
            "Reinstalling {label} with debian 12 (was ubuntu 22.04-lts): its boot disk is erased"
        )
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("{label} reinstalled with debian 12 in "))),
        "{lines:?}"
    );
    let seen = guest(&env, &uuid);
    assert_eq!(
        (seen["os_name"].as_str(), seen["os_version"].as_str()),
        (Some("debian"), Some("12"))
    );
    assert_eq!(seen["disk_data"], Value::Null, "the boot disk was erased");
    assert_eq!(seen["status"], "running");
    // The same VM: uuid, address, network, attached disk.
    env.apply();
    let after = env.resource("idcloudhost_vm.web");
    for kept in ["id", "private_ipv4", "network_uuid", "mac"] {
        assert_eq!(after[kept], before[kept], "{kept}");
    }
    assert_eq!(after["os_name"], "debian");
    let data = env.resource("idcloudhost_disk.data")["id"].clone();
    let vm = env
        .api()
        .list("jkt01", "user-resource/vm/list")
        .into_iter()
        .find(|v| v["uuid"] == uuid.as_str())
        .unwrap();
    let storage = vm["storage"].as_array().cloned().unwrap_or_default();
    assert!(
        storage.iter().any(|d| d["uuid"] == data),
        "still attached: {vm}"
    );
    // Its firewall, its load balancer membership and its floating IP stay.
    assert_eq!(membership(&env), member_before);
    let (firewall, targets, assigned) = member_before;
    assert!(firewall.to_string().contains(&uuid), "{firewall}");
    assert!(targets.to_string().contains(&uuid), "{targets}");
    assert_eq!(assigned, uuid.as_str());
    env.assert_no_changes();
}

#[test]
fn restore_brings_a_snapshot_back_and_refuses_another_vms() {
    let env = Env::new();
    let uuid = api_vm(&env, "web");
    let other = api_vm(&env, "other");
    set_guest(&env, &uuid, serde_json::json!({"disk_data": "v1"}));
    let disk = env.api().post_form(
        "/v1/jkt01/user-resource/vm/replica",
        &[("uuid", uuid.as_str())],
    );
    let snapshot = disk["replica"][0]["uuid"].as_str().unwrap().to_owned();
    let theirs = env.api().post_form(
        "/v1/jkt01/user-resource/vm/replica",
        &[("uuid", other.as_str())],
    )["replica"][0]["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    // After the snapshot: another operating system, another disk content.
    env.api().post_form(
        "/v1/jkt01/user-resource/vm/reinstall",
        &[
            ("uuid", uuid.as_str()),
            ("os_name", "debian"),
            ("os_version", "12"),
        ],
    );
    assert_eq!(guest(&env, &uuid)["os_name"], "debian");
    set_guest(&env, &uuid, serde_json::json!({"disk_data": "v2"}));
    let restore = |name: &str, id: &str| {
        format!(
            r#"
action "idcloudhost_vm_restore_snapshot" "{name}" {{
  config {{
    vm_uuid     = "{uuid}"
    snapshot_id = "{id}"
  }}
}}
"#
        )
    };
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{}{}",
        restore("mine", &snapshot),
        restore("theirs", &theirs)
    ));

    assert_refused_at_plan(
        &env,
        "idcloudhost_vm_restore_snapshot.theirs",
        &format!("is a snapshot of VM \"other\" ({other}), not of VM \"web\" ({uuid})"),
    );
    assert_eq!(guest(&env, &uuid)["disk_data"], "v2");

    let out = invoke_ok(&env, "idcloudhost_vm_restore_snapshot.mine");
    let label = format!("VM \"web\" ({uuid})");
    let lines = progress_lines(&out, "idcloudhost_vm_restore_snapshot.mine");
    assert!(
        lines[0].starts_with(&format!("Restoring {label} from snapshot {snapshot}")),
        "{lines:?}"
    );
    assert!(
        lines.contains(&format!("{label} was running before: starting it again")),
        "{lines:?}"
    );
    let seen = guest(&env, &uuid);
    assert_eq!(seen["disk_data"], "v1");
    assert_eq!(seen["status"], "running");
    // The snapshot's operating system is back, as the API shows it.
    let vm = env
        .api()
        .list("jkt01", "user-resource/vm/list")
        .into_iter()
        .find(|v| v["uuid"] == uuid.as_str())
        .unwrap();
    assert_eq!(vm["os_name"], "ubuntu", "{vm}");

    // An automatic backup restores the same way.
    let backup = env.api().json(
        reqwest::Method::POST,
        &format!("/__sim/vms/{uuid}/backup"),
        serde_json::json!({}),
    );
    set_guest(&env, &uuid, serde_json::json!({"disk_data": "v3"}));
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{}",
        restore("backup", backup["uuid"].as_str().unwrap())
    ));
    invoke_ok(&env, "idcloudhost_vm_restore_snapshot.backup");
    assert_eq!(guest(&env, &uuid)["disk_data"], "v1");
}

#[test]
fn boot_media_stops_the_vm_and_boots_the_image_once() {
    let env = Env::new();
    let uuid = api_vm(&env, "web");
    let images = env.api().get("/v1/config/boot_images");
    let image = images[0]["uuid"].as_str().unwrap().to_owned();
    // The account's own ISO: a disk with read_only_bootable = true.
    let iso = env.api().post_form(
        "/v1/jkt01/storage/disks",
        &[
            ("size_gb", "1"),
            ("display_name", "rescue-iso"),
            ("read_only_bootable", "true"),
        ],
    )["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let not_bootable = env.api().post_form(
        "/v1/jkt01/storage/disks",
        &[("size_gb", "5"), ("display_name", "iso")],
    )["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    env.write_config(&format!(
        r#"
provider "idcloudhost" {{}}

action "idcloudhost_vm_boot_media" "rescue" {{
  config {{
    vm_uuid         = "{uuid}"
    boot_image_uuid = "{image}"
  }}
}}

action "idcloudhost_vm_boot_media" "private" {{
  config {{
    vm_uuid               = "{uuid}"
    boot_image_uuid       = "{not_bootable}"
    boot_image_repository = "private"
  }}
}}

action "idcloudhost_vm_power" "restart" {{
  config {{
    vm_uuid   = "{uuid}"
    operation = "restart"
    force     = true
  }}
}}

action "idcloudhost_vm_boot_media" "own_iso" {{
  config {{
    vm_uuid               = "{uuid}"
    boot_image_uuid       = "{iso}"
    boot_image_repository = "private"
    force                 = true
  }}
}}
"#
    ));
    assert_refused_at_plan(
        &env,
        "idcloudhost_vm_boot_media.private",
        "read_only_bootable = true",
    );

    let out = invoke_ok(&env, "idcloudhost_vm_boot_media.rescue");
    let label = format!("VM \"web\" ({uuid})");
    let lines = progress_lines(&out, "idcloudhost_vm_boot_media.rescue");
    assert_eq!(
        lines[0],
        format!("{label} is running: it is stopped first"),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("Booting {label} from image "))),
        "{lines:?}"
    );
    let seen = guest(&env, &uuid);
    assert_eq!(seen["booted_from"], format!("platform:{image}"));
    assert_eq!(seen["status"], "running");
    assert_eq!(seen["last_stop"], "graceful");

    // The account's own ISO (a private read-only bootable disk), the running VM
    // stopped with force first.
    let out = invoke_ok(&env, "idcloudhost_vm_boot_media.own_iso");
    let lines = progress_lines(&out, "idcloudhost_vm_boot_media.own_iso");
    assert!(
        lines.contains(&format!(
            "Stopping {label} forcibly (force = true: pulling the plug)"
        )),
        "{lines:?}"
    );
    let seen = guest(&env, &uuid);
    assert_eq!(seen["booted_from"], format!("private:{iso}"));
    assert_eq!(seen["status"], "running");
    assert_eq!(seen["last_stop"], "forced");

    // Once only: the next restart boots the VM's own disk.
    invoke_ok(&env, "idcloudhost_vm_power.restart");
    assert_eq!(guest(&env, &uuid)["booted_from"], "disk");
}

#[test]
fn boot_media_on_elastis_boots_the_rescue_image() {
    let env = Env::for_brand(Brand::Elastis, common::terraform_binary());
    let uuid = api_vm(&env, "web");
    env.write_config(&format!(
        r#"
provider "idcloudhost" {{}}

action "idcloudhost_vm_boot_media" "rescue" {{
  config {{
    vm_uuid = "{uuid}"
    force   = true
  }}
}}
"#
    ));
    let out = invoke_ok(&env, "idcloudhost_vm_boot_media.rescue");
    let lines = progress_lines(&out, "idcloudhost_vm_boot_media.rescue");
    assert!(
        lines.contains(&format!(
            "Booting VM \"web\" ({uuid}) from the rescue image"
        )),
        "{lines:?}"
    );
    let seen = guest(&env, &uuid);
    assert_eq!(seen["booted_from"], "rescue");
    assert_eq!(seen["last_stop"], "forced");
}

#[test]
fn a_long_wait_says_it_is_still_waiting() {
    let env = Env::new();
    let uuid = api_vm(&env, "slow");
    // The live API's graceful stop (22 s) at half speed: 11 s.
    env.api().json(
        reqwest::Method::POST,
        "/__sim/timing",
        serde_json::json!({"time_factor": 0.5}),
    );
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{}",
        power_action("stop", &uuid, "stop", "")
    ));
    let out = invoke_ok(&env, "idcloudhost_vm_power.stop");
    let label = format!("VM \"slow\" ({uuid})");
    let lines = progress_lines(&out, "idcloudhost_vm_power.stop");
    assert_eq!(
        lines[0],
        format!("Stopping {label} gracefully (ACPI shutdown)")
    );
    assert_eq!(lines[1], format!("Still stopping {label} (10s elapsed)"));
    assert!(
        lines[2].starts_with(&format!("{label} stopped in 1")),
        "{lines:?}"
    );
}

#[test]
fn the_timeout_ends_the_action_saying_what_it_waited_for() {
    let env = Env::new();
    let uuid = api_vm(&env, "slow");
    env.api().json(
        reqwest::Method::POST,
        "/__sim/timing",
        serde_json::json!({"time_factor": 0.5}),
    );
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{}",
        power_action("stop", &uuid, "stop", "timeout = \"2s\"")
    ));
    let started = std::time::Instant::now();
    let result = invoke(&env, "idcloudhost_vm_power.stop");
    result.assert_failed();
    let text = flat(&result.all());
    assert!(
        text.contains("idcloudhost_vm_power timed out after 2s")
            && text.contains("did not finish within its timeout (2s)"),
        "{text}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "ended at the timeout, not when the stop finished"
    );
}

#[test]
fn a_lost_answer_is_checked_on_the_vm_never_sent_again() {
    let env = Env::new();
    let uuid = api_vm(&env, "web");
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{}{}",
        power_action("stop", &uuid, "stop", ""),
        power_action("start", &uuid, "start", "")
    ));
    let api = env.api();
    let label = format!("VM \"web\" ({uuid})");
    // The stop is carried out, and its answer lost (503).
    api.set_faults(serde_json::json!({
        "error_rate": 1.0, "statuses": [503], "after_effect": true,
        "method": "POST", "path_contains": "/vm/stop",
    }));
    api.clear_requests();
    let out = invoke_ok(&env, "idcloudhost_vm_power.stop");
    assert!(
        progress_lines(&out, "idcloudhost_vm_power.stop")
            .iter()
            .any(|l| l.starts_with(&format!("{label} stopped in "))),
        "{out}"
    );
    let stops = api
        .writes()
        .into_iter()
        .filter(|(_, path, _)| path.ends_with("/vm/stop"))
        .count();
    assert_eq!(stops, 1, "a stop that took effect is not sent again");
    assert_eq!(vm_status(&env, &uuid), "stopped");

    // Refused before taking effect (429): sent again, and it starts.
    api.clear_faults();
    api.set_faults(serde_json::json!({
        "error_rate": 0.5, "statuses": [429], "seed": 7,
        "method": "POST", "path_contains": "/vm/start",
    }));
    api.clear_requests();
    invoke_ok(&env, "idcloudhost_vm_power.start");
    api.clear_faults();
    let starts: Vec<u16> = api
        .writes()
        .into_iter()
        .filter(|(_, path, _)| path.ends_with("/vm/start"))
        .map(|(_, _, status)| status)
        .collect();
    assert!(
        starts.first() == Some(&429) && starts.last().is_some_and(|s| *s < 300),
        "refused, then sent again: {starts:?}"
    );
    assert_eq!(vm_status(&env, &uuid), "running");
}

/// Ctrl-C while an action waits for the VM: Terraform's interrupt reaches the
/// provider (StopProvider), the wait ends at once with what was going on, and
/// the stop already sent is not sent again.
#[test]
fn ctrl_c_ends_an_action_waiting_for_the_vm() {
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    let env = Env::new();
    let uuid = api_vm(&env, "slow");
    // The live API's graceful stop (22 s) twenty times slower: 7 minutes.
    env.api().json(
        reqwest::Method::POST,
        "/__sim/timing",
        serde_json::json!({"time_factor": 20.0}),
    );
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{}",
        power_action("stop", &uuid, "stop", "")
    ));
    env.api().clear_requests();
    let child = env
        .command(&[
            "apply",
            "-auto-approve",
            "-no-color",
            "-input=false",
            "-invoke=action.idcloudhost_vm_power.stop",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .expect("terraform starts");
    // Terraform's output as it comes, until the stop is under way.
    let mut child = child;
    let stdout = child.stdout.take().unwrap();
    let (line_tx, lines) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = line_tx.send(line);
        }
    });
    let mut seen = Vec::new();
    let label = format!("VM \"slow\" ({uuid})");
    let started = Instant::now();
    while !seen
        .iter()
        .any(|l: &String| l.contains(&format!("Stopping {label} gracefully")))
    {
        let left = Duration::from_secs(60).saturating_sub(started.elapsed());
        match lines.recv_timeout(left) {
            Ok(line) => seen.push(line),
            Err(_) => panic!("the stop never started:\n{}", seen.join("\n")),
        }
    }
    let pid = child.id();
    let sent = Instant::now();
    let status = std::process::Command::new("kill")
        .args(["-INT", "--", &format!("-{pid}")])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let (done, exited) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    let output = match exited.recv_timeout(Duration::from_secs(30)) {
        Ok(output) => output.expect("terraform output"),
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .status();
            panic!("terraform was still running 30 s after the interrupt");
        }
    };
    reader.join().unwrap();
    seen.extend(lines.try_iter());
    let took = sent.elapsed();
    let text = flat(&format!(
        "{}\n{}",
        seen.join("\n"),
        String::from_utf8_lossy(&output.stderr)
    ));
    assert!(took < Duration::from_secs(10), "took {took:?}:\n{text}");
    assert!(!output.status.success(), "{text}");
    assert!(text.contains("Interrupt received"), "{text}");
    assert!(
        text.contains("Terraform was interrupted: the provider stopped waiting for the action")
            && text.contains(&format!("It was stopping {label} for"))
            && text.contains("check the VM before running the action again"),
        "{text}"
    );
}
