//! Plan rules that protect what already exists, through the real terraform
//! binary against the simulator: create-only arguments never replace, destroy
//! never runs checks that only concern changes, plan-time checks do not depend
//! on the order Terraform plans in.

mod common;

use common::{hcl, Action, Env};

use reqwest::Method;
use serde_json::Value;

/// A golden VM, its snapshot, and a VM cloned from that snapshot.
fn cloned() -> String {
    hcl::with_provider(&(hcl::small_vm("golden", "golden", "") + CLONE_OF_GOLDEN))
}

/// The snapshot of the golden VM and a VM cloned from it.
const CLONE_OF_GOLDEN: &str = r#"
resource "idcloudhost_vm_snapshot" "golden" {
  vm_uuid = idcloudhost_vm.golden.id
}
resource "idcloudhost_vm" "clone" {
  name           = "clone"
  vcpu           = 1
  ram_mb         = 1024
  source_uuid    = idcloudhost_vm.golden.id
  source_replica = idcloudhost_vm_snapshot.golden.id
}
"#;

fn warnings_about(output: &str, attr: &str) -> bool {
    output.contains(&format!(
        "{attr} changed, but it is only used when the vm is created"
    ))
}

#[test]
fn a_vm_cloned_from_a_snapshot_deleted_outside_terraform_is_not_replaced() {
    let env = Env::applied(&cloned());
    let clone = env.resource("idcloudhost_vm.clone");
    let clone_id = clone["id"].as_str().unwrap().to_owned();
    let snapshot = env.resource("idcloudhost_vm_snapshot.golden");
    let snapshot_id = snapshot["id"].as_str().unwrap().to_owned();
    assert_eq!(clone["source_replica"], snapshot_id.as_str());
    env.assert_no_changes();

    // A retention policy deletes the snapshot.
    env.api().delete_form(
        "/v1/jkt01/user-resource/vm/replica",
        &[("replica_uuid", &snapshot_id)],
    );
    let plan = env.plan_check();
    assert_eq!(
        plan.action("idcloudhost_vm_snapshot.golden"),
        Action::Create
    );
    let clone = "idcloudhost_vm.clone";
    assert_eq!(plan.action(clone), Action::NoOp, "{}", plan.json);
    assert_eq!(plan.after(clone)["source_replica"], snapshot_id.as_str());
    assert_eq!(plan.after(clone)["id"], clone_id.as_str());
    let shown = env.plan();
    assert_eq!(shown.code, 2, "{}", shown.all());
    assert!(
        warnings_about(&shown.all(), "source_replica"),
        "{}",
        shown.all()
    );
    shown.assert_mentions("-replace=");

    // Applied: a new snapshot, the same clone, still recording what it was built from.
    env.apply();
    let clone = env.resource("idcloudhost_vm.clone");
    assert_eq!(clone["id"], clone_id.as_str());
    assert_eq!(clone["source_replica"], snapshot_id.as_str());
    let new_snapshot = env.resource("idcloudhost_vm_snapshot.golden");
    assert_ne!(new_snapshot["id"], snapshot_id.as_str());

    // The new id is known now: still no replacement, still said.
    assert_eq!(
        env.plan_check().action("idcloudhost_vm.clone"),
        Action::NoOp
    );
    let shown = env.plan();
    assert_eq!(shown.code, 0, "{}", shown.all());
    assert!(
        warnings_about(&shown.all(), "source_replica"),
        "{}",
        shown.all()
    );

    // Asked for explicitly, it is rebuilt from the new snapshot.
    env.tf_ok(&[
        "apply",
        "-auto-approve",
        "-no-color",
        "-input=false",
        "-replace=idcloudhost_vm.clone",
    ]);
    let rebuilt = env.resource("idcloudhost_vm.clone");
    assert_ne!(rebuilt["id"], clone_id.as_str());
    assert_eq!(rebuilt["source_replica"], new_snapshot["id"]);
    let shown = env.plan();
    assert_eq!(shown.code, 0, "{}", shown.all());
    assert!(!shown.all().contains("only used when"), "{}", shown.all());
    env.destroy();
}

#[test]
fn create_only_arguments_are_recorded_without_replacing_or_calling_the_api() {
    let env = Env::new();
    let config = &hcl::with_provider(&hcl::web_vm(
        r##"cloud_init = "#cloud-config\npackages: [nginx]\n""##,
    ));
    env.apply_config(config);
    let id = env.resource("idcloudhost_vm.web")["id"].clone();

    // A new cloud_init keeps the VM (it only ran at creation), without
    // showing the sensitive value in the warning.
    env.write_config(&config.replace("[nginx]", "[apache2]"));
    let plan = env.plan_check();
    assert_eq!(
        plan.action("idcloudhost_vm.web"),
        Action::NoOp,
        "{}",
        plan.json
    );
    let shown = env.plan();
    assert!(
        warnings_about(&shown.all(), "cloud_init"),
        "{}",
        shown.all()
    );
    shown.assert_mentions("it is sensitive");
    assert!(!shown.all().contains("nginx"), "{}", shown.all());

    // Removed: recorded in place, nothing sent, nothing replaced.
    env.write_config(&config.replace(
        "  cloud_init = \"#cloud-config\\npackages: [nginx]\\n\"\n",
        "",
    ));
    let plan = env.plan_check();
    assert_eq!(
        plan.action("idcloudhost_vm.web"),
        Action::Update,
        "{}",
        plan.json
    );
    env.api().clear_requests();
    env.apply();
    assert!(env.api().writes().is_empty(), "{:?}", env.api().writes());
    let vm = env.resource("idcloudhost_vm.web");
    assert_eq!(vm["id"], id);
    assert_eq!(vm["cloud_init"], Value::Null);
    env.assert_no_changes();
}

/// A VM with a 20 GB boot disk, and a 10 GiB disk attached to it.
fn grown() -> String {
    hcl::with_provider(
        &[
            hcl::small_vm("app", "app", "disk_size_gb = 20"),
            hcl::named("idcloudhost_disk", "data", "data", "size_gb = 10"),
            hcl::disk_attachment("data", "idcloudhost_vm.app.id", "idcloudhost_disk.data.id"),
        ]
        .concat(),
    )
}

fn grow_outside_terraform(env: &Env, vm: &str, disk: &str, size_gb: &str) {
    env.api().patch_form(
        "/v1/jkt01/user-resource/vm/storage",
        &[("uuid", vm), ("disk_uuid", disk), ("size_gb", size_gb)],
    );
}

#[test]
fn disks_grown_outside_terraform_fail_the_plan_but_never_block_destroy() {
    let env = Env::applied(&grown());
    let vm = env.resource("idcloudhost_vm.app");
    let vm_uuid = vm["id"].as_str().unwrap().to_owned();
    let boot = vm["boot_disk_uuid"].as_str().unwrap().to_owned();
    let disk = env.id_of("idcloudhost_disk.data");
    grow_outside_terraform(&env, &vm_uuid, &disk, "15");
    grow_outside_terraform(&env, &vm_uuid, &boot, "30");
    env.api().clear_requests();

    // The ordinary plan: an error at plan time naming each attribute and what to set.
    let plan = env.plan_fails();
    let text = plan.all().replace('\n', " ");
    assert!(text.contains("Set size_gb to 15 or more"), "{text}");
    assert!(text.contains("Set disk_size_gb to 30 or more"), "{text}");
    assert!(env.api().writes().is_empty(), "{:?}", env.api().writes());

    // Destroy is not about changes: it completes, in every form.
    let planned = env.plan_check_with(&["-destroy"]);
    for address in [
        "idcloudhost_vm.app",
        "idcloudhost_disk.data",
        "idcloudhost_disk_attachment.data",
    ] {
        assert_eq!(planned.action(address), Action::Delete, "{address}");
    }
    env.destroy();
    assert!(env.api().list("jkt01", "user-resource/vm/list").is_empty());
    assert!(env.api().list("jkt01", "storage/disks").is_empty());
}

/// A VM managed here, a floating IP, and an assignment naming the VM by a
/// literal uuid: no reference, so Terraform plans the two in any order.
fn literal_assignment(vm_uuid: &str, reserve: bool, assignment_extra: &str) -> String {
    format!(
        r#"
provider "idcloudhost" {{}}
{web_vm}
resource "idcloudhost_floating_ip" "ip" {{
  name = "web"
}}
resource "idcloudhost_floating_ip_assignment" "a" {{
  address = idcloudhost_floating_ip.ip.address
  vm_uuid = "{vm_uuid}"
  {assignment_extra}
}}
"#,
        web_vm = hcl::web_vm(&format!("reserve_public_ip = {reserve}"))
    )
}

fn served_ips(env: &Env) -> Vec<Value> {
    env.api().list("jkt01", "network/ip_addresses")
}

#[test]
fn an_assignment_to_a_literal_vm_uuid_plans_the_same_whatever_the_order() {
    let env = Env::applied(&hcl::with_provider(&hcl::web_vm("")));
    let vm = env.resource("idcloudhost_vm.web");
    let vm_uuid = vm["id"].as_str().unwrap().to_owned();
    let own = vm["reserved_public_ipv4"].as_str().unwrap().to_owned();

    // The VM keeps its own address: every plan passes the same way, warning that
    // the VM holds an address; the apply waits for it, then fails naming it.
    env.write_config(&literal_assignment(
        &vm_uuid,
        true,
        "timeouts {\n    create = \"3s\"\n  }",
    ));
    for _ in 0..3 {
        let plan = env.plan();
        assert_eq!(plan.code, 2, "{}", plan.all());
        plan.assert_mentions(&format!("VM {vm_uuid} holds the public address {own} now"));
    }
    let failed = env.apply_fails();
    let text = failed.all().replace('\n', " ");
    assert!(
        text.contains(&format!("already holds the public address {own}")),
        "{text}"
    );
    assert!(
        text.contains("set reserve_public_ip = false on the VM"),
        "{text}"
    );
    let held: Vec<_> = served_ips(&env)
        .into_iter()
        .filter(|ip| ip["assigned_to"] == vm_uuid.as_str())
        .map(|ip| ip["address"].clone())
        .collect();
    assert_eq!(held, vec![Value::from(own.as_str())]);

    // Given up in the same apply: the assignment waits for the VM to release it.
    env.apply_config(&literal_assignment(&vm_uuid, false, ""));
    let address = env.resource("idcloudhost_floating_ip.ip")["address"].clone();
    let served = served_ips(&env);
    assert!(
        served.iter().all(|ip| ip["address"] != own.as_str()),
        "{served:?}"
    );
    assert!(
        served
            .iter()
            .any(|ip| ip["address"] == address && ip["assigned_to"] == vm_uuid.as_str()),
        "{served:?}"
    );
    env.destroy();
}

/// A VM made outside Terraform holding a floating IP it did not reserve, adopted
/// with import blocks: `(vm uuid, address)`.
fn adopted_vm_with_address(env: &Env, with_floating_ip: bool) -> (String, String) {
    let api = env.api();
    let vm = api.create_vm("jkt01", "web", &[])["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let billing: i64 = api.billing_account_ids()[0];
    let address = api.json(
        Method::POST,
        "/v1/jkt01/network/ip_addresses",
        serde_json::json!({"name": "web-public", "billing_account_id": billing}),
    )["address"]
        .as_str()
        .unwrap()
        .to_owned();
    api.json(
        Method::POST,
        &format!("/v1/jkt01/network/ip_addresses/{address}/assign"),
        serde_json::json!({"vm_uuid": vm}),
    );
    let mut imports = vec![("idcloudhost_vm.web", format!("jkt01/{vm}"))];
    if with_floating_ip {
        imports.push(("idcloudhost_floating_ip.web", format!("jkt01/{address}")));
    }
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{}",
        common::import_blocks(&imports)
    ));
    env.generate_config();
    env.apply();
    (vm, address)
}

#[test]
fn destroy_warns_about_an_address_left_only_when_it_is_left() {
    // Released by the same destroy (its idcloudhost_floating_ip is adopted too),
    // the unassignment taking effect after the VM's delete looked: no warning.
    let env = Env::new();
    let (_, address) = adopted_vm_with_address(&env, true);
    env.api().set_faults(serde_json::json!({
        "error_rate": 0.0,
        "method": "POST",
        "path_contains": "/unassign",
        "effect_delay_ms": 2000,
    }));
    let destroy = env.destroy();
    env.api().clear_faults();
    let text = destroy.all().replace('\n', " ");
    assert!(!text.contains("left reserved"), "{text}");
    assert!(served_ips(&env).is_empty(), "{:?}", served_ips(&env));

    // Nothing releases it: the warning names it, and it is indeed still there.
    let env = Env::new();
    let (_, address2) = adopted_vm_with_address(&env, false);
    let destroy = env.destroy();
    let text = destroy.all().replace('\n', " ");
    assert!(
        text.contains(&format!("Public address {address2} was left reserved")),
        "{text}"
    );
    assert!(served_ips(&env)
        .iter()
        .any(|ip| ip["address"] == address2.as_str()));
    assert_ne!(address, "");
}

#[test]
fn small_bad_inputs_fail_at_plan_naming_the_attribute() {
    let env = Env::new();
    let vm = |extra: &str| {
        format!(
            "provider \"idcloudhost\" {{}}\nresource \"idcloudhost_vm\" \"v\" {{\n  name = \"v\"\n  os_name = \"ubuntu\"\n  os_version = \"22.04-lts\"\n  vcpu = 1\n  ram_mb = 1024\n  {extra}\n}}\n"
        )
    };
    let missing = "00000000-0000-4000-8000-000000000000";
    let cases = [
        (
            vm("timeouts {\n    create = \"0s\"\n  }"),
            "timeouts.0.create",
            "longer than zero",
        ),
        (
            vm("").replace("  os_version = \"22.04-lts\"\n", ""),
            "os_version",
            "os_version is required with os_name",
        ),
        (
            vm("username = \"Bad User\""),
            "username",
            "Linux user name",
        ),
        (
            vm("").replace("name = \"v\"", &format!("name = \"{}\"", "v".repeat(256))),
            "name",
            "at most 255",
        ),
        (
            format!(
                "provider \"idcloudhost\" {{}}\nresource \"idcloudhost_network\" \"n\" {{\n  name = \"{}\"\n}}\n",
                "n".repeat(65)
            ),
            "name",
            "at most 64",
        ),
        (
            format!(
                "provider \"idcloudhost\" {{}}\nresource \"idcloudhost_vm_snapshot\" \"s\" {{\n  vm_uuid = \"{missing}\"\n}}\n"
            ),
            "vm_uuid",
            "does not exist",
        ),
        (
            hcl::with_provider(&hcl::firewall_attachment(
                "a",
                &hcl::quoted(missing),
                &hcl::quoted(missing),
            )),
            "firewall_uuid",
            "does not exist",
        ),
    ];
    for (config, attr, says) in cases {
        env.write_config(&config);
        let plan = env.plan();
        let text = plan.all().replace('\n', " ");
        assert_eq!(plan.code, 1, "{attr}: {text}");
        assert!(
            text.contains(&format!("Invalid value for {attr}")),
            "{attr}: {text}"
        );
        assert!(text.contains(says), "{attr}: {text}");
    }
    assert!(env.api().writes().is_empty(), "{:?}", env.api().writes());
}

#[test]
fn renames_and_growth_keep_what_they_cannot_change() {
    let env = Env::new();
    let config = |ip_name: &str, size: u32| {
        format!(
            r#"
provider "idcloudhost" {{}}
{web_vm}
resource "idcloudhost_floating_ip" "ip" {{
  name = "{ip_name}"
}}
{assignment}
resource "idcloudhost_disk" "d" {{
  name    = "data"
  size_gb = {size}
}}
{attachment}
"#,
            web_vm = hcl::web_vm("reserve_public_ip = false"),
            assignment = hcl::ip_assignment(
                "a",
                "idcloudhost_floating_ip.ip.address",
                "idcloudhost_vm.web.id"
            ),
            attachment =
                hcl::disk_attachment("d", "idcloudhost_vm.web.id", "idcloudhost_disk.d.id"),
        )
    };
    env.apply_config(&config("web", 10));
    let vm = env.resource("idcloudhost_vm.web")["id"].clone();
    env.write_config(&config("web-renamed", 20));
    let plan = env.plan_json();
    let change = |address: &str| {
        plan["resource_changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["address"] == address)
            .unwrap()["change"]
            .clone()
    };
    let ip = change("idcloudhost_floating_ip.ip");
    assert_eq!(ip["actions"], serde_json::json!(["update"]));
    assert_eq!(ip["after"]["assigned_to"], vm, "{ip}");
    assert_eq!(
        ip["after"]["assigned_to_resource_type"], "virtual_machine",
        "{ip}"
    );
    assert!(ip["after_unknown"]["assigned_to"].is_null(), "{ip}");
    let disk = change("idcloudhost_disk.d");
    assert_eq!(disk["actions"], serde_json::json!(["update"]));
    assert_eq!(disk["after"]["attached_to"], vm, "{disk}");
    assert!(disk["after_unknown"]["attached_to"].is_null(), "{disk}");
    env.apply();
    env.assert_no_changes();
    assert_eq!(env.resource("idcloudhost_disk.d")["attached_to"], vm);
    assert_eq!(
        env.resource("idcloudhost_floating_ip.ip")["assigned_to"],
        vm
    );
    env.destroy();
}

#[test]
fn a_lookup_that_finds_nothing_names_unnamed_objects_by_id() {
    let env = Env::new();
    let api = env.api();
    let billing: i64 = api.billing_account_ids()[0];
    let mut unnamed = Vec::new();
    for name in ["", "admin-data", ""] {
        let ip = api.json(
            Method::POST,
            "/v1/jkt01/network/ip_addresses",
            serde_json::json!({"name": name, "billing_account_id": billing}),
        );
        if name.is_empty() {
            unnamed.push(ip["address"].as_str().unwrap().to_owned());
        }
    }
    env.write_config(
        r#"
provider "idcloudhost" {}
data "idcloudhost_floating_ip" "ip" {
  name = "nope"
}
"#,
    );
    let plan = env.plan_fails();
    let text = plan.folded();
    assert!(text.contains("The names there:"), "{text}");
    assert!(text.contains("admin-data"), "{text}");
    for address in &unnamed {
        assert!(
            text.contains(&format!("(unnamed, id {address})")),
            "{address}: {text}"
        );
    }
    assert!(!text.contains(", ,") && !text.contains(": ,"), "{text}");
}
