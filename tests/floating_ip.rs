//! `idcloudhost_floating_ip` and `idcloudhost_floating_ip_assignment` through the
//! real terraform binary against the simulator.

mod common;

use common::{hcl, Action, Env};
use serde_json::{json, Value};

const IP: &str = "idcloudhost_floating_ip.ip";
const ASSIGNMENT: &str = "idcloudhost_floating_ip_assignment.a";

fn ip_config(name: &str, extra: &str) -> String {
    hcl::with_provider(&hcl::named("idcloudhost_floating_ip", "ip", name, extra))
}

/// A floating IP and its assignment to `vm_uuid`.
fn assigned_config(vm_uuid: &str) -> String {
    hcl::with_provider(&ip_assigned_to(&hcl::quoted(vm_uuid)))
}

/// The floating IP `ip` (named web) and its assignment `a` to the VM `vm_uuid` (HCL).
fn ip_assigned_to(vm_uuid: &str) -> String {
    let ip = hcl::named("idcloudhost_floating_ip", "ip", "web", "");
    ip + &hcl::ip_assignment("a", "idcloudhost_floating_ip.ip.address", vm_uuid)
}

/// An assignment `label` of the existing `address` to the VM `vm_uuid`.
fn assignment_of(label: &str, address: &str, vm_uuid: &str) -> String {
    hcl::ip_assignment(label, &hcl::quoted(address), &hcl::quoted(vm_uuid))
}

fn served_ips(env: &Env, location: &str) -> Vec<Value> {
    env.api()
        .get_list(&format!("/v1/{location}/network/ip_addresses"))
}

fn served_ip(env: &Env, location: &str, address: &str) -> Option<Value> {
    served_ips(env, location)
        .into_iter()
        .find(|ip| ip["address"] == address)
}

/// A VM created through the simulator's API (idcloudhost_vm is not here yet):
/// (uuid, private_ipv4).
fn create_vm(env: &Env, location: &str, name: &str) -> (String, String) {
    let vm = env.api().create_vm(location, name, &[]);
    (
        vm["uuid"].as_str().expect("vm uuid").to_owned(),
        vm["private_ipv4"].as_str().expect("private ip").to_owned(),
    )
}

fn reserve_ip(env: &Env, location: &str, name: &str) -> String {
    let (billing, _) = env.api().default_and_other_billing();
    let ip = env.api().post(
        &format!("/v1/{location}/network/ip_addresses"),
        json!({"name": name, "billing_account_id": billing}),
    );
    ip["address"].as_str().expect("address").to_owned()
}

fn assign(env: &Env, location: &str, address: &str, vm_uuid: &str) {
    let ip = env.api().post(
        &format!("/v1/{location}/network/ip_addresses/{address}/assign"),
        json!({ "vm_uuid": vm_uuid }),
    );
    assert_eq!(ip["assigned_to"], vm_uuid);
}

fn unassign(env: &Env, location: &str, address: &str) {
    env.api().post(
        &format!("/v1/{location}/network/ip_addresses/{address}/unassign"),
        json!({}),
    );
}

fn str_at(value: &Value, key: &str) -> String {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing in {value}"))
        .to_owned()
}

#[test]
fn floating_ip_lifecycle_update_drift_replace_destroy() {
    let env = Env::new();
    let (default_billing, other_billing) = env.api().default_and_other_billing();
    env.apply_config(&ip_config("web", ""));
    let state = env.resource("idcloudhost_floating_ip.ip");
    let address = str_at(&state, "address");
    assert_eq!(state["id"], address.as_str(), "id is the address");
    assert_eq!(state["location"], "jkt01", "account default location");
    assert_eq!(state["name"], "web");
    assert_eq!(state["billing_account_id"], default_billing);
    assert_eq!(state["enabled"], true);
    assert_eq!(state["assigned_to"], Value::Null);
    let served = served_ip(&env, "jkt01", &address).expect("reserved on the API");
    assert_eq!(served["name"], "web");
    assert_eq!(served["billing_account_id"], default_billing);
    assert_eq!(state["created_at"], served["created_at"]);
    // Created with the documented JSON body on the location's path.
    assert!(env
        .api()
        .writes()
        .iter()
        .any(|(m, p, s)| m == "POST" && p == "/v1/jkt01/network/ip_addresses" && *s == 200));
    env.assert_no_changes();

    // In-place rename keeps the address.
    env.write_config(&ip_config("web-2", ""));
    env.plan_check().assert_only(&[(IP, Action::Update)]);
    env.apply();
    let state = env.resource("idcloudhost_floating_ip.ip");
    assert_eq!(state["id"], address.as_str());
    assert_eq!(served_ip(&env, "jkt01", &address).unwrap()["name"], "web-2");

    // In-place move to the other billing account keeps the address.
    env.write_config(&ip_config(
        "web-2",
        &format!("billing_account_id = {other_billing}"),
    ));
    let plan = env.plan_check();
    plan.assert_only(&[(IP, Action::Update)]);
    assert_eq!(plan.before(IP)["billing_account_id"], default_billing);
    assert_eq!(plan.after(IP)["billing_account_id"], other_billing);
    env.apply();
    let state = env.resource("idcloudhost_floating_ip.ip");
    assert_eq!(state["id"], address.as_str());
    assert_eq!(state["billing_account_id"], other_billing);
    assert_eq!(
        served_ip(&env, "jkt01", &address).unwrap()["billing_account_id"],
        other_billing
    );
    assert!(
        env.api()
            .writes()
            .iter()
            .any(|(m, p, _)| m == "PATCH"
                && p == &format!("/v1/jkt01/network/ip_addresses/{address}"))
    );
    env.assert_no_changes();

    // Renamed outside Terraform: the plan shows exactly the name changing back.
    let path = format!("/v1/jkt01/network/ip_addresses/{address}");
    env.assert_outside_rename_reverted(&path, "name", "renamed-by-hand", IP, "web-2");
    assert_eq!(served_ip(&env, "jkt01", &address).unwrap()["name"], "web-2");
    env.assert_no_changes();

    // Moving it to another location replaces it.
    env.write_config(&ip_config(
        "web-2",
        &format!("billing_account_id = {other_billing}\n  location = \"jkt02\""),
    ));
    env.plan_check().assert_actions(&[(IP, Action::Replace)]);
    env.apply();
    let state = env.resource("idcloudhost_floating_ip.ip");
    let moved = str_at(&state, "address");
    assert_eq!(state["location"], "jkt02");
    assert!(
        served_ip(&env, "jkt01", &address).is_none(),
        "old address released"
    );
    assert_eq!(served_ip(&env, "jkt02", &moved).unwrap()["name"], "web-2");

    // Deleted outside Terraform: the plan creates it again.
    env.api()
        .delete(&format!("/v1/jkt02/network/ip_addresses/{moved}"));
    env.plan_check().assert_only(&[(IP, Action::Create)]);
    env.apply();
    let recreated = str_at(&env.resource("idcloudhost_floating_ip.ip"), "address");
    assert_ne!(recreated, moved);
    assert!(served_ip(&env, "jkt02", &recreated).is_some());

    // Assigned outside Terraform (e.g. by an assignment resource elsewhere): its
    // assigned_to* refresh without any planned change.
    let (vm, private_ip) = create_vm(&env, "jkt02", "holder");
    assign(&env, "jkt02", &recreated, &vm);
    env.assert_no_changes();
    env.refresh_only();
    let state = env.resource("idcloudhost_floating_ip.ip");
    assert_eq!(state["assigned_to"], vm.as_str());
    assert_eq!(state["assigned_to_resource_type"], "virtual_machine");
    assert_eq!(state["assigned_to_private_ip"], private_ip.as_str());
    env.assert_no_changes();

    // Destroy releases it, unassigning it first (the API refuses to release an
    // assigned address).
    env.destroy();
    assert!(served_ip(&env, "jkt02", &recreated).is_none());
    assert!(served_ips(&env, "jkt01").is_empty());
    assert!(served_ips(&env, "jkt02").is_empty());
}

#[test]
fn floating_ip_import_by_address_and_by_location_then_no_changes() {
    let env = Env::new();
    let (_, other_billing) = env.api().default_and_other_billing();
    let created = env.api().post(
        "/v1/jkt02/network/ip_addresses",
        json!({"name": "imported", "billing_account_id": other_billing}),
    );
    let address = str_at(&created, "address");
    env.write_config(&ip_config(
        "imported",
        &format!("location = \"jkt02\"\n  billing_account_id = {other_billing}"),
    ));
    env.import_ok("idcloudhost_floating_ip.ip", &format!("jkt02/{address}"));
    env.assert_no_changes();
    let state = env.resource("idcloudhost_floating_ip.ip");
    assert_eq!(state["id"], address.as_str());
    assert_eq!(state["location"], "jkt02");
    assert_eq!(state["billing_account_id"], other_billing);

    // Plain address form, with the location from the provider (account default).
    let env2 = Env::new();
    let (default_billing, _) = env2.api().default_and_other_billing();
    let created = env2.api().post(
        "/v1/jkt01/network/ip_addresses",
        json!({"name": "other", "billing_account_id": default_billing}),
    );
    let address2 = str_at(&created, "address");
    env2.apply_config(&format!(
        "{}\nimport {{\n  to = idcloudhost_floating_ip.ip\n  id = \"{address2}\"\n}}\n",
        ip_config("other", "")
    ));
    let state = env2.resource("idcloudhost_floating_ip.ip");
    assert_eq!(state["id"], address2.as_str());
    assert_eq!(state["location"], "jkt01");
    env2.assert_no_changes();

    // An address that is not reserved cannot be imported; a malformed ID is refused.
    env2.write_config(&format!(
        "{}\nresource \"idcloudhost_floating_ip\" \"missing\" {{\n  name = \"m\"\n}}\n",
        ip_config("other", "")
    ));
    let result = env2.import("idcloudhost_floating_ip.missing", "jkt01/198.51.100.254");
    result.assert_failed();
    result.assert_mentions("non-existent remote object");
    let result = env2.import("idcloudhost_floating_ip.missing", "jkt01/not-an-ip");
    result.assert_failed();
    result.assert_mentions("is not an IPv4 address");
}

#[test]
fn floating_ip_bad_input_fails_at_plan_and_creates_nothing() {
    let env = Env::new();
    env.write_config(&ip_config("x", "location = \"nowhere1\""));
    env.assert_plan_fails_with(&["Unknown location \"nowhere1\""]);

    env.write_config(&ip_config("  ", ""));
    env.assert_plan_fails_with(&["Invalid value for name", "must not be empty"]);

    env.write_config(&ip_config("x", "billing_account_id = 0"));
    env.assert_plan_fails_with(&["Invalid value for billing_account_id"]);

    assert!(env.api().writes().is_empty(), "nothing was written");
    assert!(served_ips(&env, "jkt01").is_empty());
}

#[test]
fn assignment_lifecycle_drift_move_replace_destroy() {
    let env = Env::new();
    let (vm1, private1) = create_vm(&env, "jkt01", "vm1");
    let (vm2, _) = create_vm(&env, "jkt01", "vm2");
    env.apply_config(&assigned_config(&vm1));
    let address = str_at(&env.resource("idcloudhost_floating_ip.ip"), "address");
    let state = env.resource("idcloudhost_floating_ip_assignment.a");
    assert_eq!(state["id"], address.as_str());
    assert_eq!(state["address"], address.as_str());
    assert_eq!(state["vm_uuid"], vm1.as_str());
    assert_eq!(state["location"], "jkt01");
    assert_eq!(state["private_ip"], private1.as_str());
    let served = served_ip(&env, "jkt01", &address).unwrap();
    assert_eq!(served["assigned_to"], vm1.as_str());
    assert_eq!(served["assigned_to_resource_type"], "virtual_machine");
    assert_eq!(served["assigned_to_private_ip"], private1.as_str());

    // Right after the apply that created the assignment, nothing is planned (the
    // floating IP's assigned_to* just refresh).
    env.assert_no_changes();
    env.refresh_only();
    let ip_state = env.resource("idcloudhost_floating_ip.ip");
    assert_eq!(ip_state["assigned_to"], vm1.as_str());
    assert_eq!(ip_state["assigned_to_private_ip"], private1.as_str());
    env.assert_no_changes();

    // Renaming the assigned floating IP changes only it, in place: the assignment
    // (which references its address) is untouched and the address stays assigned.
    env.write_config(&assigned_config(&vm1).replace("\"web\"", "\"web-renamed\""));
    env.plan_check().assert_only(&[(IP, Action::Update)]);
    env.apply();
    let served = served_ip(&env, "jkt01", &address).unwrap();
    assert_eq!(served["name"], "web-renamed");
    assert_eq!(served["assigned_to"], vm1.as_str());
    assert_eq!(
        env.resource("idcloudhost_floating_ip.ip")["assigned_to"],
        vm1.as_str()
    );
    env.assert_no_changes();
    env.apply_config(&assigned_config(&vm1));

    // Unassigned outside Terraform: the plan assigns it again, nothing else.
    unassign(&env, "jkt01", &address);
    env.plan_check()
        .assert_only(&[(ASSIGNMENT, Action::Create)]);
    env.apply();
    assert_eq!(
        served_ip(&env, "jkt01", &address).unwrap()["assigned_to"],
        vm1.as_str()
    );
    env.assert_no_changes();

    // Moved to another VM outside Terraform: the plan replaces the assignment, and
    // the apply moves the address back.
    unassign(&env, "jkt01", &address);
    assign(&env, "jkt01", &address, &vm2);
    let plan = env.plan_check();
    plan.assert_only(&[(ASSIGNMENT, Action::Replace)]);
    assert_eq!(plan.before(ASSIGNMENT)["vm_uuid"], vm2.as_str());
    assert_eq!(plan.after(ASSIGNMENT)["vm_uuid"], vm1.as_str());
    assert!(
        plan.replace_paths(ASSIGNMENT)
            .contains(&"vm_uuid".to_owned()),
        "{}",
        plan.text()
    );
    env.apply();
    assert_eq!(
        served_ip(&env, "jkt01", &address).unwrap()["assigned_to"],
        vm1.as_str()
    );
    env.assert_no_changes();

    // Another VM in the configuration replaces the assignment; the address stays.
    env.write_config(&assigned_config(&vm2));
    // The floating IP itself is untouched.
    env.plan_check()
        .assert_only(&[(ASSIGNMENT, Action::Replace)]);
    env.apply();
    let state = env.resource("idcloudhost_floating_ip_assignment.a");
    assert_eq!(state["vm_uuid"], vm2.as_str());
    assert_eq!(state["address"], address.as_str());
    assert_eq!(
        served_ip(&env, "jkt01", &address).unwrap()["assigned_to"],
        vm2.as_str()
    );
    env.assert_no_changes();

    // Removing the assignment unassigns the address, which stays reserved.
    env.apply_config(&ip_config("web", ""));
    let served = served_ip(&env, "jkt01", &address).expect("still reserved");
    assert_eq!(served["assigned_to"], Value::Null);
    env.assert_no_changes();

    env.destroy_leaving_empty("jkt01", "network/ip_addresses");
}

#[test]
fn assignment_import_forms_and_destroy_when_already_unassigned() {
    let env = Env::new();
    let (vm, private_ip) = create_vm(&env, "jkt02", "web");
    let address = reserve_ip(&env, "jkt02", "web");
    assign(&env, "jkt02", &address, &vm);
    env.write_config(&format!(
        r#"
provider "idcloudhost" {{}}
resource "idcloudhost_floating_ip_assignment" "a" {{
  location = "jkt02"
  address  = "{address}"
  vm_uuid  = "{vm}"
}}
"#
    ));
    env.import_ok(
        "idcloudhost_floating_ip_assignment.a",
        &format!("jkt02/{address}"),
    );
    env.assert_no_changes();
    let state = env.resource("idcloudhost_floating_ip_assignment.a");
    assert_eq!(state["vm_uuid"], vm.as_str());
    assert_eq!(state["private_ip"], private_ip.as_str());

    // Unassigned outside Terraform, then destroyed without a refresh: the destroy
    // tolerates it and sends nothing.
    unassign(&env, "jkt02", &address);
    env.api().clear_requests();
    env.tf_ok(&["destroy", "-auto-approve", "-no-color", "-refresh=false"]);
    assert!(env.api().writes().is_empty(), "{:?}", env.api().writes());
    assert!(served_ip(&env, "jkt02", &address).is_some(), "address kept");

    // The plain address form uses the provider's (account default) location.
    let env2 = Env::new();
    let (vm, _) = create_vm(&env2, "jkt01", "web");
    let address = reserve_ip(&env2, "jkt01", "web");
    assign(&env2, "jkt01", &address, &vm);
    env2.apply_config(&hcl::with_provider(
        &(assignment_of("a", &address, &vm)
            + &common::import_blocks(&[(ASSIGNMENT, address.clone())])),
    ));
    let state = env2.resource("idcloudhost_floating_ip_assignment.a");
    assert_eq!(state["location"], "jkt01");
    assert_eq!(state["vm_uuid"], vm.as_str());
    env2.assert_no_changes();

    // An address assigned to nothing has no assignment to import.
    let spare = reserve_ip(&env2, "jkt01", "spare");
    env2.write_config(&hcl::with_provider(
        &(assignment_of("a", &address, &vm) + &assignment_of("other", &spare, &vm)),
    ));
    let result = env2.import("idcloudhost_floating_ip_assignment.other", &spare);
    result.assert_failed();
    result.assert_mentions("is not assigned to anything");

    // Destroy unassigns; the address stays reserved.
    env2.destroy();
    let served = served_ip(&env2, "jkt01", &address).expect("address kept");
    assert_eq!(served["assigned_to"], Value::Null);
}

#[test]
fn assignment_bad_input_fails_at_plan_and_taken_address_is_refused() {
    let env = Env::new();
    env.write_config(
        r#"
provider "idcloudhost" {}
resource "idcloudhost_floating_ip_assignment" "a" {
  address = "300.1.2.3"
  vm_uuid = "not-a-uuid"
}
"#,
    );
    env.assert_plan_fails_with(&[
        "Invalid value for address",
        "is not an IPv4 address",
        "Invalid value for vm_uuid",
    ]);

    env.write_config(
        r#"
provider "idcloudhost" {}
resource "idcloudhost_floating_ip_assignment" "a" {
  location = "nowhere1"
  address  = "203.0.113.10"
  vm_uuid  = "00000000-0000-4000-8000-000000000000"
}
"#,
    );
    env.assert_plan_fails_with(&["Unknown location \"nowhere1\""]);
    assert!(env.api().writes().is_empty(), "nothing was written");

    // An address held by another VM is refused at apply with a clear message, and
    // left where it is.
    let (vm1, _) = create_vm(&env, "jkt01", "vm1");
    let (vm2, _) = create_vm(&env, "jkt01", "vm2");
    let address = reserve_ip(&env, "jkt01", "taken");
    assign(&env, "jkt01", &address, &vm2);
    env.write_config(&hcl::with_provider(&assignment_of("a", &address, &vm1)));
    let result = env.apply_fails();
    result.assert_mentions(&format!("already assigned to virtual_machine {vm2}"));
    assert_eq!(
        served_ip(&env, "jkt01", &address).unwrap()["assigned_to"],
        vm2.as_str()
    );
}

#[test]
fn assignment_to_a_terraform_vm_refreshes_its_public_ipv4_without_changes() {
    let vm = hcl::web_vm("disk_size_gb      = 20\n  reserve_public_ip = false");
    let env = Env::applied(&hcl::with_provider(
        &(vm + &ip_assigned_to("idcloudhost_vm.web.id")),
    ));
    let vm = str_at(&env.resource("idcloudhost_vm.web"), "id");
    let address = str_at(&env.resource("idcloudhost_floating_ip.ip"), "address");
    let served = served_ip(&env, "jkt01", &address).unwrap();
    assert_eq!(served["assigned_to"], vm.as_str());
    assert_eq!(
        env.resource("idcloudhost_floating_ip_assignment.a")["vm_uuid"],
        vm.as_str()
    );

    // The next plan changes nothing: the VM's public_ipv4 and the floating IP's
    // assigned_to simply refresh to the assignment.
    env.assert_no_changes();
    env.refresh_only();
    assert_eq!(
        env.resource("idcloudhost_vm.web")["public_ipv4"],
        address.as_str()
    );
    assert_eq!(
        env.resource("idcloudhost_floating_ip.ip")["assigned_to"],
        vm.as_str()
    );
    env.assert_no_changes();

    // Destroy unassigns, releases the address and deletes the VM.
    env.destroy_leaving_empty("jkt01", "network/ip_addresses");
    let vms = env.api().get("/v1/jkt01/user-resource/vm/list");
    assert!(
        vms.as_array().is_none_or(|v| v.is_empty()),
        "VM deleted: {vms}"
    );
}

#[test]
fn lost_answers_to_create_and_assign_adopt_instead_of_repeating() {
    let env = Env::new();
    let (vm, _) = create_vm(&env, "jkt01", "vm1");
    // Both POSTs are carried out but answered with a 502: never send them again blindly.
    env.api().set_faults(json!({
        "error_rate": 1.0, "statuses": [502], "method": "POST",
        "path_contains": "ip_addresses", "after_effect": true
    }));
    env.write_config(&assigned_config(&vm));
    env.api().clear_requests();
    let result = env.tf(&["apply", "-auto-approve", "-no-color"]);
    env.api().clear_faults();
    assert_eq!(result.code, 0, "{}", result.all());
    let served = served_ips(&env, "jkt01");
    assert_eq!(served.len(), 1, "exactly one address reserved: {served:?}");
    assert_eq!(served[0]["assigned_to"], vm.as_str());
    let address = str_at(&served[0], "address");
    let sent = env.api().writes();
    let count = |path: &str| {
        sent.iter()
            .filter(|(m, p, _)| m == "POST" && p == path)
            .count()
    };
    assert_eq!(count("/v1/jkt01/network/ip_addresses"), 1, "{sent:?}");
    assert_eq!(
        count(&format!("/v1/jkt01/network/ip_addresses/{address}/assign")),
        1,
        "{sent:?}"
    );
    assert_eq!(
        env.resource("idcloudhost_floating_ip.ip")["address"],
        address.as_str()
    );
    assert_eq!(
        env.resource("idcloudhost_floating_ip_assignment.a")["vm_uuid"],
        vm.as_str()
    );
    env.assert_no_changes();
}
