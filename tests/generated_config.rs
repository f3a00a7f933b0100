//! Configuration that Terraform generates for imported objects (`import {}` +
//! `plan -generate-config-out`) validates and plans with no changes, for every
//! resource type of the provider: the mechanism check that import, read and the
//! plan rules agree with each other.

mod common;

use common::{Action, Env};
use serde_json::Value;

/// The import ID of a resource in the state: `<location>/<id>` where the type
/// takes a location in its import ID, else its `id`.
fn import_id(resource: &Value) -> String {
    let values = &resource["values"];
    let id = values["id"].as_str().expect("every resource has an id");
    if resource["type"] == "idcloudhost_vm_snapshot" {
        let (location, vm) = (&values["location"], &values["vm_uuid"]);
        return format!(
            "{}/{}/{id}",
            location.as_str().unwrap(),
            vm.as_str().unwrap()
        );
    }
    let global = ["idcloudhost_service_package", "idcloudhost_ssh_key"];
    match values["location"].as_str() {
        Some(location)
            if !global.contains(&resource["type"].as_str().unwrap())
                && !id.starts_with(&format!("{location}/")) =>
        {
            format!("{location}/{id}")
        }
        _ => id.to_owned(),
    }
}

#[test]
fn generated_configuration_validates_and_plans_no_changes_for_every_resource_type() {
    let env = Env::new();
    let resources = env.apply_every_resource_type();

    // Forget them, then import each one with an import block and let Terraform
    // write their configuration.
    std::fs::remove_file(env.path().join("terraform.tfstate")).expect("state file");
    let imports: String = resources
        .iter()
        .map(|r| {
            format!(
                "import {{\n  to = {}\n  id = \"{}\"\n}}\n",
                r["address"].as_str().unwrap(),
                import_id(r)
            )
        })
        .collect();
    env.write_config(&format!("provider \"idcloudhost\" {{}}\n{imports}"));
    let text = env.generate_config();

    common::assert_written_as_a_person_would(&text);
    env.tf_ok(&["validate", "-no-color"]);
    let check = env.plan_check();
    let changes = check.resource_changes();
    assert_eq!(changes.len(), resources.len(), "{}", check.json);
    for change in &changes {
        let address = change["address"].as_str().unwrap();
        assert_eq!(
            check.action(address),
            Action::NoOp,
            "{address}: only imported, no change; generated configuration:\n{text}\nchange: {}",
            change["change"]
        );
        assert!(
            !change["change"]["importing"].is_null(),
            "{address} is imported: {change}"
        );
    }
    env.apply();
    env.assert_no_changes();
}
