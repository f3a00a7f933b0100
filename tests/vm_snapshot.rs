//! `idcloudhost_vm_snapshot` and `idcloudhost_vm_snapshots` through the real
//! terraform binary against the simulator: a VM → snapshot → new VM round trip
//! that leaves nothing behind, replacement, out-of-band delete, import, bad input.

mod common;

use common::{hcl, terraform_1_0_binary, Action, Env};
use serde_json::Value;

/// The VM `src` and a snapshot `s` of the VM `vm` with `extra` lines.
fn snapshot_of(vm: &str, extra: &str) -> String {
    let snapshot = hcl::resource(
        "idcloudhost_vm_snapshot",
        "s",
        &format!("  vm_uuid = idcloudhost_vm.{vm}.id\n  {extra}"),
    );
    hcl::with_provider(&(hcl::small_vm("src", "src", "") + &snapshot))
}

/// The VM `src` and a snapshot `s` of it with `extra` lines.
fn snapshot_config(extra: &str) -> String {
    snapshot_of("src", extra)
}

/// The VM's snapshots as the API lists them.
fn api_snapshots(env: &Env, vm_uuid: &str) -> Vec<Value> {
    env.api().get_list(&format!(
        "/v1/jkt01/user-resource/vm/replica?uuid={vm_uuid}&r_type=snapshot"
    ))
}

fn api_list(env: &Env, path: &str) -> Vec<Value> {
    env.api().get_list(&format!("/v1/jkt01/{path}"))
}

#[test]
fn snapshot_then_a_new_vm_from_it_then_destroy_leaves_nothing() {
    let env = Env::new();
    let config = format!(
        r#"{}
data "idcloudhost_vm_snapshots" "src" {{
  vm_uuid    = idcloudhost_vm.src.id
  depends_on = [idcloudhost_vm_snapshot.s]
}}
resource "idcloudhost_vm" "copy" {{
  name           = "copy"
  vcpu           = 1
  ram_mb         = 1024
  source_uuid    = idcloudhost_vm.src.id
  source_replica = data.idcloudhost_vm_snapshots.src.snapshots[0].id
}}
output "latest" {{ value = data.idcloudhost_vm_snapshots.src.snapshots[0] }}
"#,
        snapshot_config("")
    );
    env.apply_config(&config);
    let snapshot = env.resource("idcloudhost_vm_snapshot.s");
    let src = env.resource("idcloudhost_vm.src");
    let src_uuid = src["id"].as_str().unwrap();
    let listed = api_snapshots(&env, src_uuid);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(snapshot["id"], listed[0]["uuid"]);
    assert_eq!(snapshot["size_gb"], listed[0]["size"]);
    assert_eq!(snapshot["type"], "snapshot");
    assert_eq!(snapshot["disk_uuid"], listed[0]["master_uuid"]);
    assert_eq!(snapshot["created_at"], listed[0]["created_at"]);
    assert_eq!(snapshot["location"], "jkt01");
    assert_eq!(env.outputs()["latest"]["id"], snapshot["id"]);

    let copy = env.resource("idcloudhost_vm.copy");
    let boot_disk = api_list(&env, "storage/disks")
        .into_iter()
        .find(|d| d["uuid"] == copy["boot_disk_uuid"])
        .expect("the copy's boot disk is listed");
    assert_eq!(boot_disk["source_image_type"], "SNAPSHOT");
    assert_eq!(
        boot_disk["source_image"], snapshot["id"],
        "built from the snapshot"
    );
    assert_eq!(copy["disk_size_gb"], snapshot["size_gb"]);
    env.assert_no_changes();

    env.destroy();
    assert!(
        api_list(&env, "user-resource/vm/list").is_empty(),
        "no VM left"
    );
    assert!(api_list(&env, "storage/disks").is_empty(), "no disk left");
    assert!(
        api_list(&env, "network/ip_addresses").is_empty(),
        "no address left"
    );
}

#[test]
fn replacement_out_of_band_delete_import_and_timeouts() {
    let env = Env::applied(&snapshot_config(""));
    let first = env.resource("idcloudhost_vm_snapshot.s");
    let id = first["id"].as_str().unwrap().to_owned();
    let vm_uuid = first["vm_uuid"].as_str().unwrap().to_owned();
    env.assert_no_changes();

    // Only the timeouts change in place: nothing is sent.
    env.write_config(&snapshot_config("timeouts {\n    create = \"5m\"\n  }"));
    env.api().clear_requests();
    let plan = env.plan_check();
    assert_eq!(plan.action("idcloudhost_vm_snapshot.s"), Action::Update);
    env.apply();
    assert!(
        env.api().write_lines().is_empty(),
        "{:?}",
        env.api().write_lines()
    );
    assert_eq!(env.resource("idcloudhost_vm_snapshot.s")["id"], id.as_str());

    // Deleted outside Terraform: planned for re-creation.
    env.api().delete_form(
        "/v1/jkt01/user-resource/vm/replica",
        &[("replica_uuid", &id)],
    );
    let plan = env.plan_check();
    assert_eq!(plan.action("idcloudhost_vm_snapshot.s"), Action::Create);
    env.apply();
    let second = env.resource("idcloudhost_vm_snapshot.s");
    assert_ne!(second["id"], id.as_str());
    assert_eq!(api_snapshots(&env, &vm_uuid).len(), 1);

    // Import, then an empty plan.
    let second_id = second["id"].as_str().unwrap().to_owned();
    env.tf_ok(&["state", "rm", "idcloudhost_vm_snapshot.s"]);
    env.import_ok(
        "idcloudhost_vm_snapshot.s",
        &format!("jkt01/{vm_uuid}/{second_id}"),
    );
    let imported = env.resource("idcloudhost_vm_snapshot.s");
    assert_eq!(imported["size_gb"], second["size_gb"]);
    assert_eq!(imported["created_at"], second["created_at"]);
    env.write_config(&snapshot_config(""));
    env.assert_no_changes();

    // Another VM forces a new snapshot.
    let config = snapshot_of("other", "") + &hcl::small_vm("other", "other", "");
    env.write_config(&config);
    let plan = env.plan_check();
    assert_eq!(plan.action("idcloudhost_vm_snapshot.s"), Action::Replace);
    env.apply();
    assert!(api_snapshots(&env, &vm_uuid).is_empty(), "old one deleted");
    env.destroy_leaving_empty("jkt01", "user-resource/vm/list");
}

#[test]
fn bad_input_fails_at_plan_with_nothing_sent() {
    let env = Env::new();
    for (body, attr) in [
        (
            "resource \"idcloudhost_vm_snapshot\" \"s\" {\n  vm_uuid = \"\"\n}",
            "vm_uuid",
        ),
        (
            "resource \"idcloudhost_vm_snapshot\" \"s\" {\n  vm_uuid = \"x\"\n  location = \"nowhere\"\n}",
            "location",
        ),
        (
            "data \"idcloudhost_vm_snapshots\" \"s\" {\n  vm_uuid = \"x\"\n  r_type = \"daily\"\n}",
            "r_type",
        ),
    ] {
        env.write_config(&format!("provider \"idcloudhost\" {{}}\n{body}"));
        env.api().clear_requests();
        let plan = env.plan();
        assert_eq!(plan.code, 1, "{body}: {}", plan.all());
        assert!(plan.all().contains(attr), "{attr}: {}", plan.all());
        assert!(env.api().write_lines().is_empty(), "nothing sent: {:?}", env.api().write_lines());
    }
    // An unknown import ID shape is a clear error.
    env.write_config(
        "provider \"idcloudhost\" {}\nresource \"idcloudhost_vm_snapshot\" \"s\" {\n  vm_uuid = \"x\"\n}",
    );
    let bad = env.import("idcloudhost_vm_snapshot.s", "only-one");
    assert_eq!(bad.code, 1);
    bad.assert_mentions("<vm_uuid>/<replica_uuid>");
}

#[test]
fn snapshot_smoke_under_terraform_1_0() {
    let env = Env::with_terraform(terraform_1_0_binary());
    env.apply_config(&snapshot_config(""));
    let vm_uuid = env.id_of("idcloudhost_vm.src");
    assert_eq!(api_snapshots(&env, &vm_uuid).len(), 1);
    env.assert_no_changes();
    env.destroy_leaving_empty("jkt01", "user-resource/vm/list");
}
