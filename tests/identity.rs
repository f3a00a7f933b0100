//! Resource identity (Terraform 1.12+): every resource type declares one, the
//! state holds it after apply, `import { identity = {...} }` imports every
//! resource type (with or without `location`), and a wrong identity is a clear
//! error with nothing sent to the API.

mod common;

use std::collections::BTreeSet;

use common::{Action, Env};
use serde_json::{Map, Value};

/// The identity a resource of the state should have: its identity attributes'
/// values.
fn expected_identity(schema: &Value, values: &Value) -> Value {
    let attributes = schema["attributes"]
        .as_object()
        .expect("identity attributes");
    Value::Object(
        attributes
            .keys()
            .map(|name| (name.clone(), values[name].clone()))
            .collect(),
    )
}

/// An import block by identity: the attributes required for import and, when
/// `with_location`, the optional ones (`location`).
fn import_block(resource: &Value, schema: &Value, with_location: bool) -> String {
    let mut identity = Map::new();
    for (name, attribute) in schema["attributes"].as_object().unwrap() {
        let required = attribute["required_for_import"] == true;
        if required || with_location {
            identity.insert(name.clone(), resource["values"][name].clone());
        }
    }
    let fields: String = identity
        .iter()
        .map(|(name, value)| format!("    {name} = {value}\n"))
        .collect();
    format!(
        "import {{\n  to = {}\n  identity = {{\n{fields}  }}\n}}\n",
        resource["address"].as_str().unwrap()
    )
}

#[test]
fn every_resource_type_imports_by_identity_and_keeps_it_in_state() {
    let env = Env::new();
    let resources = env.apply_every_resource_type();
    let schemas = env.provider_schema()["resource_identity_schemas"].clone();
    let with_identity: BTreeSet<String> = schemas.as_object().unwrap().keys().cloned().collect();
    assert_eq!(with_identity, env.provider_resource_types());

    // After apply, the state holds every resource's identity.
    let mut identities = Map::new();
    for resource in &resources {
        let address = resource["address"].as_str().unwrap();
        let schema = &schemas[resource["type"].as_str().unwrap()];
        let identity = expected_identity(schema, &resource["values"]);
        assert!(
            identity
                .as_object()
                .unwrap()
                .values()
                .all(|v| v.is_string()),
            "{address}: {identity}"
        );
        assert_eq!(resource["identity"], identity, "{address}");
        assert_eq!(resource["identity_schema_version"], 0, "{address}");
        identities.insert(address.to_owned(), identity);
    }

    // Forget them, then import each one by identity, every other one without
    // its location (the provider's default: jkt01, where they all are).
    std::fs::remove_file(env.path().join("terraform.tfstate")).expect("state file");
    let imports: String = resources
        .iter()
        .enumerate()
        .map(|(i, r)| import_block(r, &schemas[r["type"].as_str().unwrap()], i % 2 == 0))
        .collect();
    env.write_config(&format!("provider \"idcloudhost\" {{}}\n{imports}"));
    env.generate_config();

    env.api().clear_requests();
    let check = env.plan_check();
    let changes = check.resource_changes();
    assert_eq!(changes.len(), resources.len(), "{}", check.json);
    for change in &changes {
        let address = change["address"].as_str().unwrap();
        assert_eq!(check.action(address), Action::NoOp, "{address}: {change}");
        let after = check.after(address);
        let original = resources.iter().find(|r| r["address"] == address).unwrap();
        for (name, value) in identities[address].as_object().unwrap() {
            assert_eq!(&after[name], value, "{address}.{name}");
        }
        let identity = &change["change"]["importing"]["identity"];
        assert_eq!(identity, &identities[address], "{address}: {change}");
        assert_eq!(
            change["change"]["after_identity"], identities[address],
            "{address}"
        );
        assert_eq!(after["id"], original["values"]["id"], "{address}");
    }
    assert!(env.api().writes().is_empty(), "{:?}", env.api().writes());

    env.apply();
    for resource in env.show()["values"]["root_module"]["resources"]
        .as_array()
        .unwrap()
    {
        let address = resource["address"].as_str().unwrap();
        assert_eq!(resource["identity"], identities[address], "{address}");
    }

    // Changed outside Terraform: the in-place update keeps the identity.
    let network = &identities["idcloudhost_network.net"];
    env.api().json(
        reqwest::Method::PATCH,
        &format!(
            "/v1/{}/network/network/{}",
            network["location"].as_str().unwrap(),
            network["id"].as_str().unwrap()
        ),
        serde_json::json!({"name": "renamed-by-hand"}),
    );
    let plan = env.plan_check();
    assert_eq!(plan.action("idcloudhost_network.net"), Action::Update);
    let change = plan.change("idcloudhost_network.net");
    assert_eq!(change["change"]["before_identity"], *network);
    assert_eq!(change["change"]["after_identity"], *network);
}

#[test]
fn a_wrong_or_missing_identity_is_a_clear_error() {
    let env = Env::new();
    let import = |identity: &str| {
        env.write_config(&format!(
            "provider \"idcloudhost\" {{}}\n\nimport {{\n  to = idcloudhost_network.net\n  identity = {{ {identity} }}\n}}\n\nresource \"idcloudhost_network\" \"net\" {{\n  name = \"app\"\n}}\n"
        ));
        let plan = env.plan();
        assert_eq!(plan.code, 1, "{identity}: {}", plan.all());
        plan.all()
    };
    let cases = [
        // Missing: Terraform checks the identity schema's required attributes.
        (r#"location = "jkt01""#, r#""id" is required"#),
        (
            r#"id = "jkt01/3d91aa31-16ec-44ee-b8b3-22a0bda6559e""#,
            "Invalid import identity for idcloudhost_network",
        ),
        (
            r#"id = "3d91aa31-16ec-44ee-b8b3-22a0bda6559e", location = "mars01""#,
            r#"Unknown location "mars01""#,
        ),
        (
            r#"id = "3d91aa31-16ec-44ee-b8b3-22a0bda6559e""#,
            "Cannot import non-existent remote object",
        ),
    ];
    for (identity, message) in cases {
        let output = import(identity);
        assert!(
            output.contains(message),
            "{identity}: expected {message:?} in:\n{output}"
        );
    }
    assert!(env.api().writes().is_empty(), "{:?}", env.api().writes());
}

/// Terraform 1.0.3 never asks for identities: importing by ID and planning work
/// as before. The state it wrote has none; Terraform 1.15 then records the
/// identity on its first refresh.
#[test]
fn terraform_1_0_imports_by_id_and_a_later_terraform_adds_the_identity() {
    let mut env = Env::with_terraform(common::terraform_1_0_binary());
    let config = "provider \"idcloudhost\" {}\n\nresource \"idcloudhost_network\" \"net\" {\n  name = \"app\"\n}\n";
    env.apply_config(config);
    let id = env.id_of("idcloudhost_network.net");
    env.tf_ok(&["state", "rm", "idcloudhost_network.net"]);
    env.tf_ok(&[
        "import",
        "-no-color",
        "-input=false",
        "idcloudhost_network.net",
        &format!("jkt01/{id}"),
    ]);
    env.assert_no_changes();

    // The same state, now with the newest Terraform.
    env.terraform = common::terraform_binary();
    env.refresh_only();
    let state = env.show();
    let resource = &state["values"]["root_module"]["resources"][0];
    assert_eq!(
        resource["identity"],
        serde_json::json!({"id": id, "location": "jkt01"})
    );
    env.assert_no_changes();
    env.destroy();
}
