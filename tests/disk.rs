//! `idcloudhost_disk` and `idcloudhost_disk_attachment` through the real terraform
//! binary against the simulator.

mod common;

use common::{hcl, Action, Env};
use serde_json::Value;

const HEADER: &str = "provider \"idcloudhost\" {}\n";

fn disk_config(body: &str) -> String {
    format!("{HEADER}resource \"idcloudhost_disk\" \"d\" {{\n{body}\n}}\n")
}

/// A disk in jkt01 attached to `vm_uuid`.
fn attached_config(vm_uuid: &str, disk_body: &str) -> String {
    format!(
        r#"{HEADER}
resource "idcloudhost_disk" "d" {{
{disk_body}
}}
resource "idcloudhost_disk_attachment" "a" {{
  vm_uuid   = "{vm_uuid}"
  disk_uuid = idcloudhost_disk.d.id
}}
"#
    )
}

fn served_disks(env: &Env, location: &str) -> Vec<Value> {
    env.api().list(location, "storage/disks")
}

fn served_disk(env: &Env, location: &str, uuid: &str) -> Option<Value> {
    env.api().find(location, "storage/disks", uuid)
}

fn served_vm(env: &Env, location: &str, uuid: &str) -> Value {
    env.api()
        .find(location, "user-resource/vm/list", uuid)
        .unwrap_or_else(|| panic!("VM {uuid} not served"))
}

/// The VM's `storage[]` entry of a disk, if attached.
fn vm_storage(env: &Env, location: &str, vm: &str, disk: &str) -> Option<Value> {
    served_vm(env, location, vm)["storage"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|s| s["uuid"] == disk)
}

/// Only reads happened since the log was last cleared.
fn assert_no_writes(env: &Env) {
    let writes: Vec<_> = env
        .api()
        .requests()
        .into_iter()
        .filter(|(m, _, _)| m != "GET")
        .collect();
    assert!(writes.is_empty(), "unexpected writes: {writes:?}");
}

#[test]
fn disk_lifecycle_in_place_updates_drift_replace_destroy() {
    let env = Env::new();
    let (default_billing, other_billing) = env.api().default_and_other_billing();
    env.apply_config(&disk_config("  name = \"data\"\n  size_gb = 10"));
    let state = env.resource("idcloudhost_disk.d");
    let uuid = env.id_of("idcloudhost_disk.d");
    assert_eq!(state["location"], "jkt01");
    assert_eq!(state["name"], "data");
    assert_eq!(state["size_gb"], 10);
    assert_eq!(state["source_image_type"], "EMPTY");
    assert_eq!(state["source_image"], Value::Null);
    assert_eq!(state["read_only_bootable"], false);
    assert_eq!(state["billing_account_id"], default_billing);
    assert_eq!(state["attached_to"], Value::Null);
    let served = served_disk(&env, "jkt01", &uuid).expect("disk served");
    assert_eq!(served["display_name"], "data");
    assert_eq!(served["size_gb"], 10);
    assert_eq!(state["status"], served["status"]);
    assert_eq!(state["storage_pool_uuid"], served["storage_pool_uuid"]);
    assert_eq!(state["created_at"], served["created_at"]);
    assert_eq!(state["snapshots"], serde_json::json!([]));
    // Disks are form-encoded (the live API ignores JSON there).
    env.assert_no_changes();

    // Name, read-only-bootable flag and billing account change in place.
    env.write_config(&disk_config(&format!(
        "  name = \"data-2\"\n  size_gb = 10\n  read_only_bootable = true\n  billing_account_id = {other_billing}"
    )));
    let plan = env.plan_check();
    plan.assert_only(&[("idcloudhost_disk.d", Action::Update)]);
    assert_eq!(
        plan.changed_attributes("idcloudhost_disk.d"),
        vec!["billing_account_id", "name", "read_only_bootable"]
    );
    env.apply();
    assert_eq!(env.id_of("idcloudhost_disk.d"), uuid);
    let served = served_disk(&env, "jkt01", &uuid).unwrap();
    assert_eq!(served["display_name"], "data-2");
    assert_eq!(served["read_only_bootable"], true);
    assert_eq!(served["billing_account_id"], other_billing);
    let state = env.resource("idcloudhost_disk.d");
    assert_eq!(state["read_only_bootable"], true);
    assert_eq!(state["billing_account_id"], other_billing);
    env.assert_no_changes();

    // Renamed outside Terraform: the plan shows exactly the name changing back.
    env.api().patch_form(
        &format!("/v1/jkt01/storage/disks/{uuid}"),
        &[("display_name", "by-hand")],
    );
    let plan = env.plan_check();
    plan.assert_only(&[("idcloudhost_disk.d", Action::Update)]);
    assert_eq!(plan.before("idcloudhost_disk.d")["name"], "by-hand");
    assert_eq!(plan.after("idcloudhost_disk.d")["name"], "data-2");
    assert_eq!(plan.changed_attributes("idcloudhost_disk.d"), vec!["name"]);
    env.apply();
    assert_eq!(
        served_disk(&env, "jkt01", &uuid).unwrap()["display_name"],
        "data-2"
    );
    env.assert_no_changes();

    // Removing the name clears it on the API.
    env.apply_config(&disk_config(&format!(
        "  size_gb = 10\n  read_only_bootable = true\n  billing_account_id = {other_billing}"
    )));
    assert_eq!(env.id_of("idcloudhost_disk.d"), uuid);
    let served = served_disk(&env, "jkt01", &uuid).unwrap();
    assert!(
        served["display_name"].is_null() || served["display_name"] == "",
        "{served}"
    );
    env.assert_no_changes();

    // Shrinking is a plan-time error naming size_gb; nothing is written.
    env.write_config(&disk_config(&format!(
        "  size_gb = 5\n  read_only_bootable = true\n  billing_account_id = {other_billing}"
    )));
    env.api().clear_requests();
    let plan = env.plan_fails();
    plan.assert_mentions("size_gb");
    plan.assert_mentions("cannot shrink");
    assert_no_writes(&env);

    // Growing a detached disk is a plan-time error naming size_gb, never a
    // replacement (which would lose the data); nothing is written.
    env.write_config(&disk_config(&format!(
        "  size_gb = 15\n  billing_account_id = {other_billing}"
    )));
    env.api().clear_requests();
    let plan = env.plan_fails();
    plan.assert_mentions("size_gb");
    plan.assert_mentions("Attach it first");
    assert_no_writes(&env);
    env.apply_config(&disk_config(&format!(
        "  size_gb = 10\n  billing_account_id = {other_billing}"
    )));
    let replaced = env.id_of("idcloudhost_disk.d");
    assert_eq!(replaced, uuid);
    assert_eq!(
        served_disk(&env, "jkt01", &uuid).unwrap()["read_only_bootable"],
        false
    );
    env.assert_no_changes();

    // Moving it to another location replaces it.
    env.apply_config(&disk_config(&format!(
        "  size_gb = 10\n  location = \"jkt02\"\n  billing_account_id = {other_billing}"
    )));
    let moved = env.id_of("idcloudhost_disk.d");
    assert_ne!(moved, replaced);
    assert!(served_disk(&env, "jkt01", &replaced).is_none());
    assert_eq!(served_disk(&env, "jkt02", &moved).unwrap()["size_gb"], 10);

    // Deleted outside Terraform: the plan creates it again.
    env.api()
        .delete_form(&format!("/v1/jkt02/storage/disks/{moved}"), &[]);
    env.plan_check()
        .assert_only(&[("idcloudhost_disk.d", Action::Create)]);
    env.apply();
    let recreated = env.id_of("idcloudhost_disk.d");
    assert_ne!(recreated, moved);

    env.destroy_leaving_empty("jkt01", "storage/disks");
    assert!(served_disks(&env, "jkt02").is_empty());
}

#[test]
fn disk_from_sources_takes_size_from_source_and_keeps_the_disk_on_source_change() {
    let env = Env::new();
    let config = |image: &str| {
        format!(
            r#"{HEADER}
resource "idcloudhost_disk" "os" {{
  name              = "os"
  source_image_type = "OS_BASE"
  source_image      = "{image}"
}}
resource "idcloudhost_disk" "copy" {{
  source_image_type = "DISK"
  source_image      = idcloudhost_disk.os.id
  size_gb           = 25
}}
"#
        )
    };
    env.apply_config(&config("ubuntu_22.04-lts"));
    let os = env.resource("idcloudhost_disk.os");
    let os_uuid = os["id"].as_str().unwrap().to_owned();
    let served = served_disk(&env, "jkt01", &os_uuid).unwrap();
    assert_eq!(os["size_gb"], served["size_gb"], "size from the image");
    assert!(os["size_gb"].as_i64().unwrap() > 0);
    assert_eq!(served["source_image_type"], "OS_BASE");
    assert_eq!(served["source_image"], "ubuntu_22.04-lts");
    let copy = env.resource("idcloudhost_disk.copy");
    assert_eq!(copy["source_image"], os_uuid.as_str());
    assert_eq!(copy["size_gb"], 25);
    let copy_uuid = copy["id"].as_str().unwrap().to_owned();
    assert_eq!(
        served_disk(&env, "jkt01", &copy_uuid).unwrap()["source_image"],
        os_uuid.as_str()
    );
    env.assert_no_changes();

    // A snapshot taken outside Terraform shows up in the computed list, without a diff.
    let snap = env.api().post_form(
        &format!("/v1/jkt01/storage/disks/{os_uuid}/snapshots"),
        &[("display_name", "before update")],
    );
    env.assert_no_changes();
    env.refresh_only();
    let snapshots = env.resource("idcloudhost_disk.os")["snapshots"].clone();
    assert_eq!(snapshots[0]["uuid"], snap["uuid"]);
    assert_eq!(snapshots[0]["name"], "before update");
    assert_eq!(snapshots[0]["size_gb"], served["size_gb"]);
    assert_eq!(snapshots[0]["created_at"], snap["created_at"]);

    // A disk made from that snapshot.
    let snap_uuid = snap["uuid"].as_str().unwrap();
    env.apply_config(&format!(
        "{}\nresource \"idcloudhost_disk\" \"from_snap\" {{\n  source_image_type = \"SNAPSHOT\"\n  source_image = \"{snap_uuid}\"\n}}\n",
        config("ubuntu_22.04-lts")
    ));
    let from_snap = env.resource("idcloudhost_disk.from_snap");
    assert_eq!(from_snap["source_image_type"], "SNAPSHOT");
    assert_eq!(from_snap["size_gb"], served["size_gb"]);

    // Another source image only applies at creation: the disk (and its data) is
    // kept, and the plan says so; asked for explicitly, it is rebuilt.
    env.write_config(&config("ubuntu_24.04-lts"));
    let plan = env.plan_check();
    // (Only the disk made from the snapshot, no longer configured, goes.)
    plan.assert_only(&[("idcloudhost_disk.from_snap", Action::Delete)]);
    assert!(
        plan.result
            .all()
            .contains("source_image changed, but it is only used when the disk is created"),
        "{}",
        plan.text()
    );
    assert_eq!(env.id_of("idcloudhost_disk.os"), os_uuid);
    env.tf_ok(&[
        "apply",
        "-auto-approve",
        "-no-color",
        "-input=false",
        "-replace=idcloudhost_disk.os",
    ]);
    let new_os = env.id_of("idcloudhost_disk.os");
    assert_ne!(new_os, os_uuid);
    assert_eq!(
        served_disk(&env, "jkt01", &new_os).unwrap()["source_image"],
        "ubuntu_24.04-lts"
    );
    // The copy of the old disk is a disk of its own: kept, still recording its source.
    assert_eq!(env.id_of("idcloudhost_disk.copy"), copy_uuid);
    assert_eq!(
        env.resource("idcloudhost_disk.copy")["source_image"],
        os_uuid.as_str()
    );
    env.assert_no_changes();
    env.destroy_leaving_empty("jkt01", "storage/disks");
}

#[test]
fn attachment_grow_in_place_drift_detach_and_delete_guard() {
    let env = Env::new();
    let vm = env.api().create_vm_uuid("jkt01", "app");
    env.apply_config(&attached_config(&vm, "  name = \"data\"\n  size_gb = 10"));
    let disk = env.id_of("idcloudhost_disk.d");
    let att = env.resource("idcloudhost_disk_attachment.a");
    assert_eq!(att["id"], format!("{vm}/{disk}"));
    assert_eq!(att["location"], "jkt01");
    let entry = vm_storage(&env, "jkt01", &vm, &disk).expect("attached on the API");
    assert_eq!(att["device_name"], entry["name"]);
    assert_eq!(att["device_name"], "vdb");
    assert_eq!(
        att["device_path"],
        format!("/dev/disk/by-id/virtio-{}", &disk[..20])
    );
    env.assert_no_changes();
    // The disk reports the VM it is attached to.
    env.refresh_only();
    assert_eq!(
        env.resource("idcloudhost_disk.d")["attached_to"],
        vm.as_str()
    );

    // Growing an attached disk happens in place through the VM storage endpoint.
    env.write_config(&attached_config(&vm, "  name = \"data\"\n  size_gb = 30"));
    let plan = env.plan_check();
    plan.assert_only(&[("idcloudhost_disk.d", Action::Update)]);
    // The cost estimates follow the size (issue 21).
    assert_eq!(
        plan.changed_attributes("idcloudhost_disk.d"),
        vec!["estimated_hourly_cost", "estimated_monthly_cost", "size_gb"]
    );
    env.api().clear_requests();
    env.apply();
    assert_eq!(env.id_of("idcloudhost_disk.d"), disk);
    assert_eq!(served_disk(&env, "jkt01", &disk).unwrap()["size_gb"], 30);
    assert_eq!(vm_storage(&env, "jkt01", &vm, &disk).unwrap()["size"], 30);
    assert!(env
        .api()
        .requests()
        .iter()
        .any(|(m, p, s)| m == "PATCH" && p == "/v1/jkt01/user-resource/vm/storage" && *s == 200));
    assert_eq!(env.resource("idcloudhost_disk.d")["size_gb"], 30);
    env.assert_no_changes();

    // Grown outside Terraform: a plan cannot shrink it back and says so, naming size_gb.
    env.api().patch_form(
        "/v1/jkt01/user-resource/vm/storage",
        &[("uuid", &vm), ("disk_uuid", &disk), ("size_gb", "40")],
    );
    env.assert_plan_fails_with(&["size_gb", "40 GiB"]);
    env.write_config(&attached_config(&vm, "  name = \"data\"\n  size_gb = 40"));
    env.assert_no_changes();

    // Detached outside Terraform: the attachment is gone and is planned again.
    env.api().post_form(
        "/v1/jkt01/user-resource/vm/storage/detach",
        &[("uuid", &vm), ("storage_uuid", &disk)],
    );
    env.plan_check()
        .assert_only(&[("idcloudhost_disk_attachment.a", Action::Create)]);
    env.apply();
    assert!(vm_storage(&env, "jkt01", &vm, &disk).is_some());
    env.assert_no_changes();

    // Import in both forms, then no changes.
    for id in [format!("jkt01/{vm}/{disk}"), format!("{vm}/{disk}")] {
        env.tf_ok(&["state", "rm", "idcloudhost_disk_attachment.a"]);
        env.import_ok("idcloudhost_disk_attachment.a", &id);
        let att = env.resource("idcloudhost_disk_attachment.a");
        assert_eq!(att["device_name"], "vdb");
        assert_eq!(att["location"], "jkt01");
        env.assert_no_changes();
    }

    // Deleting a disk that is still attached (outside Terraform's knowledge) waits
    // for the attachment to go until its delete deadline, then fails with the VM
    // named; the disk stays.
    env.tf_ok(&["state", "rm", "idcloudhost_disk_attachment.a"]);
    env.apply_config(&disk_config(
        "  name = \"data\"\n  size_gb = 40\n  timeouts {\n    delete = \"2s\"\n  }",
    ));
    let result = env.tf(&["destroy", "-auto-approve", "-no-color"]);
    result.assert_failed();
    result.assert_mentions("attached to VM");
    result.assert_mentions("waited 2s");
    result.assert_mentions("\"app\"");
    result.assert_mentions(&vm);
    assert!(served_disk(&env, "jkt01", &disk).is_some());

    // With the attachment managed again, one destroy detaches then deletes.
    env.write_config(&attached_config(&vm, "  name = \"data\"\n  size_gb = 40"));
    env.import_ok("idcloudhost_disk_attachment.a", &format!("{vm}/{disk}"));
    env.destroy();
    assert!(served_disk(&env, "jkt01", &disk).is_none());
    let vm_after = served_vm(&env, "jkt01", &vm);
    assert_eq!(
        vm_after["storage"].as_array().unwrap().len(),
        1,
        "boot disk only"
    );
}

#[test]
fn vm_deleted_outside_terraform_drops_the_attachment() {
    let env = Env::new();
    let vm = env.api().create_vm_uuid("jkt02", "gone");
    env.apply_config(&format!(
        r#"{HEADER}
resource "idcloudhost_disk" "d" {{
  location = "jkt02"
  size_gb  = 10
}}
resource "idcloudhost_disk_attachment" "a" {{
  location  = "jkt02"
  vm_uuid   = "{vm}"
  disk_uuid = idcloudhost_disk.d.id
}}
"#
    ));
    let disk = env.id_of("idcloudhost_disk.d");
    env.api()
        .delete_form("/v1/jkt02/user-resource/vm", &[("uuid", &vm)]);
    // The attachment is gone, and re-attaching to the missing VM is a plan-time
    // error naming vm_uuid; the disk, detached by the VM's deletion, is still there.
    env.assert_plan_fails_with(&["vm_uuid", "does not exist"]);
    assert!(served_disk(&env, "jkt02", &disk).is_some());
    env.tf_ok(&["state", "rm", "idcloudhost_disk_attachment.a"]);
    env.write_config(&format!(
        "{HEADER}resource \"idcloudhost_disk\" \"d\" {{\n  location = \"jkt02\"\n  size_gb = 10\n}}\n"
    ));
    env.destroy();
    assert!(served_disk(&env, "jkt02", &disk).is_none());
}

#[test]
fn import_disk_by_uuid_and_by_location_then_no_changes() {
    let env = Env::new();
    let created = env.api().post_form(
        "/v1/jkt02/storage/disks",
        &[("display_name", "imported"), ("size_gb", "12")],
    );
    let uuid = created["uuid"].as_str().unwrap().to_owned();
    env.write_config(&disk_config(
        "  location = \"jkt02\"\n  name = \"imported\"\n  size_gb = 12",
    ));
    env.import_ok("idcloudhost_disk.d", &format!("jkt02/{uuid}"));
    let state = env.resource("idcloudhost_disk.d");
    assert_eq!(state["id"], uuid.as_str());
    assert_eq!(state["size_gb"], 12);
    assert_eq!(state["source_image_type"], "EMPTY");
    env.assert_no_changes();

    // Plain uuid: the account's default location.
    let created = env.api().post_form(
        "/v1/jkt01/storage/disks",
        &[
            ("source_image_type", "OS_BASE"),
            ("source_image", "ubuntu_22.04-lts"),
        ],
    );
    let uuid2 = created["uuid"].as_str().unwrap().to_owned();
    env.apply_config(&format!(
        "{}\nresource \"idcloudhost_disk\" \"os\" {{\n  source_image_type = \"OS_BASE\"\n  source_image = \"ubuntu_22.04-lts\"\n}}\nimport {{\n  to = idcloudhost_disk.os\n  id = \"{uuid2}\"\n}}\n",
        disk_config("  location = \"jkt02\"\n  name = \"imported\"\n  size_gb = 12")
    ));
    let state = env.resource("idcloudhost_disk.os");
    assert_eq!(state["id"], uuid2.as_str());
    assert_eq!(state["location"], "jkt01");
    assert_eq!(state["size_gb"], created["size_gb"]);
    env.assert_no_changes();

    // A disk that does not exist cannot be imported; a malformed ID is refused.
    let result = env.import(
        "idcloudhost_disk.missing",
        "jkt01/00000000-0000-4000-8000-000000000000",
    );
    result.assert_failed();
    let result = env.import("idcloudhost_disk.d", "a/b/c");
    result.assert_failed();
}

#[test]
fn bad_input_fails_at_plan_and_creates_nothing() {
    let env = Env::new();
    let vm = env.api().create_vm_uuid("jkt01", "x");
    env.api().clear_requests();
    let cases: Vec<(String, &str, &str)> = vec![
        (
            disk_config("  name = \"x\""),
            "size_gb",
            "required when source_image_type is EMPTY",
        ),
        (
            disk_config("  source_image_type = \"OS_BASE\""),
            "source_image",
            "source_image is required when source_image_type is OS_BASE",
        ),
        (
            disk_config("  size_gb = 10\n  source_image = \"ubuntu_22.04-lts\""),
            "source_image",
            "only used when source_image_type",
        ),
        (
            disk_config("  size_gb = 10\n  source_image_type = \"ISO\""),
            "source_image_type",
            "is not one of",
        ),
        (
            disk_config("  size_gb = 0"),
            "size_gb",
            "outside the allowed range",
        ),
        (
            disk_config("  size_gb = 10\n  name = \"\""),
            "name",
            "must not be empty",
        ),
        (
            disk_config("  size_gb = 10\n  location = \"nowhere1\""),
            "location",
            "Unknown location",
        ),
        (
            hcl::with_provider(&hcl::disk_attachment("a", &hcl::quoted(&vm), "\"\"")),
            "disk_uuid",
            "\"\" is not a UUID",
        ),
    ];
    for (config, attr, message) in cases {
        env.write_config(&config);
        env.assert_plan_fails_with(&[attr, message]);
    }
    assert_no_writes(&env);
    assert!(
        served_disks(&env, "jkt01")
            .iter()
            .all(|d| d["source_image_type"] == "OS_BASE"),
        "only the VM's boot disk"
    );
}

#[test]
fn vm_disk_attachment_stack_grows_in_place_and_destroys_in_one_run() {
    let env = Env::new();
    let stack = |size: i64| {
        format!(
            r#"{HEADER}
{x_vm}
resource "idcloudhost_disk" "d" {{
  name    = "data"
  size_gb = {size}
}}
resource "idcloudhost_disk_attachment" "a" {{
  vm_uuid   = idcloudhost_vm.x.id
  disk_uuid = idcloudhost_disk.d.id
}}
output "path" {{
  value = idcloudhost_disk_attachment.a.device_path
}}
"#,
            x_vm = hcl::small_vm(
                "x",
                "x",
                "disk_size_gb      = 20
  reserve_public_ip = false"
            )
        )
    };
    env.apply_config(&stack(10));
    let vm = env.id_of("idcloudhost_vm.x");
    let disk = env.id_of("idcloudhost_disk.d");
    let entry = vm_storage(&env, "jkt01", &vm, &disk).expect("attached");
    assert_eq!(
        env.resource("idcloudhost_disk_attachment.a")["device_name"],
        entry["name"]
    );
    assert_eq!(
        env.outputs()["path"],
        format!("/dev/disk/by-id/virtio-{}", &disk[..20])
    );
    // The attached disk is not mistaken for the VM's boot disk.
    assert_eq!(env.resource("idcloudhost_vm.x")["disk_size_gb"], 20);
    env.assert_no_changes();

    // Growing the attached disk changes only the disk, in place.
    env.write_config(&stack(25));
    env.plan_check()
        .assert_only(&[("idcloudhost_disk.d", Action::Update)]);
    env.apply();
    assert_eq!(env.id_of("idcloudhost_disk.d"), disk);
    assert_eq!(vm_storage(&env, "jkt01", &vm, &disk).unwrap()["size"], 25);
    assert_eq!(env.resource("idcloudhost_vm.x")["disk_size_gb"], 20);
    env.assert_no_changes();

    // One destroy: detach, then delete the disk and the VM.
    env.destroy();
    assert!(served_disk(&env, "jkt01", &disk).is_none());
    let vm_left = env.api().find("jkt01", "user-resource/vm/list", &vm);
    assert!(vm_left.is_none(), "{vm_left:?}");
    assert!(served_disks(&env, "jkt01").is_empty());
}

/// Issue 8, item 2: the size changes in the same apply as the attachment.
#[test]
fn growing_while_detaching_keeps_the_disk_and_growing_while_attaching_fails_at_plan() {
    let env = Env::new();
    let vm = env.api().create_vm_uuid("jkt01", "app");
    env.apply_config(&attached_config(&vm, "  name = \"data\"\n  size_gb = 10"));
    let disk = env.id_of("idcloudhost_disk.d");

    // Detach and grow in one apply: the plan updates the disk in place, and the
    // apply does exactly that.
    env.write_config(&disk_config("  name = \"data\"\n  size_gb = 30"));
    let plan = env.plan_check();
    assert_eq!(plan.action("idcloudhost_disk.d"), Action::Update);
    assert_eq!(plan.action("idcloudhost_disk_attachment.a"), Action::Delete);
    env.apply();
    assert_eq!(
        env.id_of("idcloudhost_disk.d"),
        disk,
        "same disk, data kept"
    );
    assert_eq!(served_disk(&env, "jkt01", &disk).unwrap()["size_gb"], 30);
    assert!(vm_storage(&env, "jkt01", &vm, &disk).is_none(), "detached");
    env.assert_no_changes();

    // Attach and grow in one apply: a plan-time error saying what to do; nothing sent.
    env.write_config(&attached_config(&vm, "  name = \"data\"\n  size_gb = 40"));
    env.api().clear_requests();
    env.assert_plan_fails_with(&["size_gb", "Attach it first"]);
    assert_no_writes(&env);
    // Done in two applies, as the error says.
    env.apply_config(&attached_config(&vm, "  name = \"data\"\n  size_gb = 30"));
    env.apply_config(&attached_config(&vm, "  name = \"data\"\n  size_gb = 40"));
    assert_eq!(env.id_of("idcloudhost_disk.d"), disk);
    assert_eq!(vm_storage(&env, "jkt01", &vm, &disk).unwrap()["size"], 40);
    env.assert_no_changes();
}

#[test]
fn bad_attachments_fail_at_plan_naming_the_attribute() {
    let env = Env::new();
    let vm = env.api().create_vm_uuid("jkt01", "app");
    let other_vm = env.api().create_vm_uuid("jkt02", "far");
    let far_disk = env
        .api()
        .post_form("/v1/jkt02/storage/disks", &[("size_gb", "5")])["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let media = env.api().post_form(
        "/v1/jkt01/storage/disks",
        &[("size_gb", "5"), ("read_only_bootable", "true")],
    )["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let attach = |vm_uuid: &str, disk_uuid: &str| {
        format!(
            "{HEADER}resource \"idcloudhost_disk_attachment\" \"a\" {{\n  vm_uuid   = \"{vm_uuid}\"\n  disk_uuid = \"{disk_uuid}\"\n}}\n"
        )
    };
    let cases = [
        (attach("web-1", &media), "vm_uuid", "a UUID".to_owned()),
        (attach(&vm, "data"), "disk_uuid", "a UUID".to_owned()),
        (
            attach(&vm, &far_disk),
            "disk_uuid",
            "is in jkt02, the VM is in jkt01".to_owned(),
        ),
        (
            attach(&other_vm, &media),
            "vm_uuid",
            "is in jkt02, this attachment is in jkt01".to_owned(),
        ),
        (
            attach(&vm, &media),
            "disk_uuid",
            "read-only bootable".to_owned(),
        ),
    ];
    env.api().clear_requests();
    for (config, attr, message) in cases {
        env.write_config(&config);
        let plan = env.plan();
        // Terraform wraps long messages: compare with the line breaks undone.
        let said = plan.folded();
        assert_eq!(plan.code, 1, "{config}\n{}", plan.all());
        assert!(said.contains(attr), "{attr}: {}", plan.all());
        assert!(said.contains(&message), "{message}: {}", plan.all());
    }
    assert_no_writes(&env);

    // Marking an attached disk as read-only bootable media.
    env.apply_config(&attached_config(&vm, "  size_gb = 10"));
    env.write_config(&attached_config(
        &vm,
        "  size_gb = 10\n  read_only_bootable = true",
    ));
    env.api().clear_requests();
    env.assert_plan_fails_with(&["read_only_bootable", "attached to VM"]);
    assert_no_writes(&env);
}
