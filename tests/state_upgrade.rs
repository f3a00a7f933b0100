//! State written by an earlier release upgrades to the current schemas
//! (`UpgradeResourceState`). The fixtures in `tests/fixtures/state-upgrade/` were
//! recorded by `record_release_state` with the provider of that release (through
//! real Terraform, against the simulator) and are never re-recorded: they stand for
//! what users' state files hold.
//!
//! - through Terraform: planning the recorded configuration against a recorded
//!   state without refreshing plans no change, and the upgraded state has exactly
//!   the current schema's attributes and blocks, with the stored values kept;
//! - through the protocol: `UpgradeResourceState` of every stored resource.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{terraform_1_0_binary, terraform_binary, Action, Env};
use serde_json::Value;
use terraform_provider_idcloudhost::framework::Dyn;
use terraform_provider_idcloudhost::protocol::tfplugin6 as tf;
use terraform_provider_idcloudhost::protocol::tfplugin6::provider_server::Provider;
use terraform_provider_idcloudhost::protocol::ProviderServer;
use terraform_provider_idcloudhost::IdcloudhostProvider;

const CONFIG: &str = include_str!("fixtures/state-upgrade/main.tf");
/// Recorded with the newest Terraform the tests use.
const STATE: &str = "state.tfstate";
/// Recorded with Terraform 1.0.3, the oldest supported.
const STATE_TF_1_0: &str = "state-tf1.0.tfstate";

/// Every resource type the provider has, for checking the fixtures cover them all.
const RESOURCE_TYPES: usize = 14;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/state-upgrade")
}

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture_dir().join(name)).expect("fixture state exists");
    serde_json::from_str(&text).expect("fixture state is JSON")
}

/// The managed resource instances of a state file: (type, schema version, attributes).
fn stored_resources(state: &Value) -> Vec<(String, i64, Value)> {
    state["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter(|r| r["mode"] == "managed")
        .flat_map(|r| {
            r["instances"]
                .as_array()
                .expect("instances")
                .iter()
                .map(|i| {
                    (
                        r["type"].as_str().expect("type").to_owned(),
                        i["schema_version"].as_i64().unwrap_or(0),
                        i["attributes"].clone(),
                    )
                })
        })
        .collect()
}

/// Records a fixture state with the provider as built now. Only for adding the
/// state of a new release (under a new file name): the existing fixtures must
/// keep what their release wrote.
#[test]
#[ignore = "records fixtures; run by hand with RECORD_STATE_AS=<file name>"]
fn record_release_state() {
    let name = std::env::var("RECORD_STATE_AS").expect("RECORD_STATE_AS=<file name>");
    let terraform = if std::env::var_os("RECORD_WITH_TERRAFORM_1_0").is_some() {
        terraform_1_0_binary()
    } else {
        terraform_binary()
    };
    let env = Env::with_terraform(terraform);
    env.apply_config(CONFIG);
    std::fs::copy(
        env.path().join("terraform.tfstate"),
        fixture_dir().join(name),
    )
    .expect("copy the state");
}

#[test]
fn fixtures_cover_every_resource_type() {
    for name in [STATE, STATE_TF_1_0] {
        let types: BTreeSet<String> = stored_resources(&fixture(name))
            .into_iter()
            .map(|(ty, _, _)| ty)
            .collect();
        assert_eq!(types.len(), RESOURCE_TYPES, "{name}: {types:?}");
    }
    let registered = IdcloudhostProvider::new();
    let server = ProviderServer::new("idcloudhost", registered);
    let schemas = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(resource_schemas(&server));
    assert_eq!(schemas.len(), RESOURCE_TYPES, "{:?}", schemas.keys());
}

/// Of every resource type's current schema: its version, its attribute and
/// block names, and its block names.
type Schemas = BTreeMap<String, (i64, BTreeSet<String>, BTreeSet<String>)>;

async fn resource_schemas(server: &ProviderServer) -> Schemas {
    let response = server
        .get_provider_schema(tonic::Request::new(Default::default()))
        .await
        .unwrap()
        .into_inner();
    response
        .resource_schemas
        .into_iter()
        .map(|(name, schema)| {
            let block = schema.block.expect("schema block");
            let blocks: BTreeSet<String> = block
                .block_types
                .iter()
                .map(|b| b.type_name.clone())
                .collect();
            let names = block
                .attributes
                .iter()
                .map(|a| a.name.clone())
                .chain(blocks.iter().cloned())
                .collect();
            (name, (schema.version, names, blocks))
        })
        .collect()
}

/// `UpgradeResourceState` of every resource stored in the fixtures: no
/// diagnostics, exactly the current schema's names, the stored values kept and
/// what the stored state lacks null (blocks empty).
#[tokio::test]
async fn every_stored_resource_upgrades_through_the_protocol() {
    let server = ProviderServer::new("idcloudhost", IdcloudhostProvider::new());
    let schemas = resource_schemas(&server).await;
    for name in [STATE, STATE_TF_1_0] {
        for (ty, version, attributes) in stored_resources(&fixture(name)) {
            let (current_version, names, blocks) = &schemas[&ty];
            assert!(
                version <= *current_version,
                "{name} {ty}: version {version}"
            );
            let response = server
                .upgrade_resource_state(tonic::Request::new(tf::upgrade_resource_state::Request {
                    type_name: ty.clone(),
                    version,
                    raw_state: Some(tf::RawState {
                        json: serde_json::to_vec(&attributes).unwrap(),
                        flatmap: Default::default(),
                    }),
                }))
                .await
                .unwrap()
                .into_inner();
            assert!(
                response.diagnostics.is_empty(),
                "{name} {ty}: {:?}",
                response.diagnostics
            );
            let upgraded = Dyn::from_msgpack(&response.upgraded_state.expect("state").msgpack)
                .expect("msgpack");
            let upgraded = upgraded.as_obj().expect("an object");
            let keys: BTreeSet<String> = upgraded.keys().cloned().collect();
            assert_eq!(&keys, names, "{name} {ty}");
            let stored = attributes.as_object().expect("attributes");
            for key in names {
                let expected = match stored.get(key) {
                    Some(value) => Dyn::from_json(value),
                    None if blocks.contains(key) => Dyn::List(vec![]),
                    None => Dyn::Null,
                };
                assert_eq!(upgraded[key], expected, "{name} {ty}.{key}");
            }
        }
    }
}

/// Plans `CONFIG` against a fixture state without refreshing: nothing to change,
/// and the upgraded (prior) state has every current attribute, stored values kept.
fn assert_plans_no_change(env: &Env, name: &str) {
    // The file as recorded, byte for byte.
    std::fs::copy(
        fixture_dir().join(name),
        env.path().join("terraform.tfstate"),
    )
    .unwrap();
    let state = &fixture(name);
    env.write_config(CONFIG);
    let plan = env.plan_check_with(&["-refresh=false"]);
    let addresses = plan.addresses();
    assert_eq!(addresses.len(), stored_resources(state).len());
    let written_by_1_0 = state["terraform_version"] == "1.0.3";
    for address in &addresses {
        let change = &plan.change(address)["change"];
        if written_by_1_0 && plan.action(address) == Action::Update {
            // Terraform 1.0 did not record the schema's sensitive attributes in
            // the state; newer Terraform plans marking them once (no value changes).
            assert_eq!(change["before"], change["after"], "{address}: {change}");
            continue;
        }
        assert_eq!(plan.action(address), Action::NoOp, "{address}: {change}");
    }
    let schemas: Value =
        serde_json::from_str(&env.tf_ok(&["providers", "schema", "-json"]).stdout).unwrap();
    let schemas = schemas["provider_schemas"]
        .as_object()
        .and_then(|p| p.values().next())
        .map(|p| p["resource_schemas"].clone())
        .expect("provider schema");
    let prior = plan.json["prior_state"]["values"]["root_module"]["resources"]
        .as_array()
        .expect("prior state");
    assert_eq!(prior.len(), addresses.len());
    for resource in prior {
        let ty = resource["type"].as_str().unwrap();
        let block = &schemas[ty]["block"];
        let names: BTreeSet<&str> = block["attributes"]
            .as_object()
            .into_iter()
            .flatten()
            .chain(block["block_types"].as_object().into_iter().flatten())
            .map(|(k, _)| k.as_str())
            .collect();
        let values = resource["values"].as_object().expect("values");
        let keys: BTreeSet<&str> = values.keys().map(String::as_str).collect();
        assert_eq!(keys, names, "{}", resource["address"]);
        let stored = stored_resources(state)
            .into_iter()
            .find(|(t, _, a)| t == ty && a["id"] == values["id"])
            .map(|(_, _, a)| a)
            .expect("stored instance");
        for (key, value) in values {
            if let Some(old) = stored.get(key) {
                assert_eq!(value, old, "{}.{key}", resource["address"]);
            }
        }
    }
}

#[test]
fn release_state_plans_no_change_after_upgrade() {
    for name in [STATE, STATE_TF_1_0] {
        let env = Env::new();
        assert_plans_no_change(&env, name);
    }
}

#[test]
fn release_state_plans_no_change_after_upgrade_with_terraform_1_0() {
    let env = Env::with_terraform(terraform_1_0_binary());
    assert_plans_no_change(&env, STATE_TF_1_0);
}

/// An attribute a release stored that the current schema no longer has (and one
/// it lacks: removed here) is shaped away (and back, as null): the upgrade, not
/// Terraform, makes the state fit.
#[test]
fn attributes_added_and_removed_since_the_release_are_shaped() {
    let mut state = fixture(STATE);
    for resource in state["resources"].as_array_mut().unwrap() {
        for instance in resource["instances"].as_array_mut().unwrap() {
            let attributes = instance["attributes"].as_object_mut().unwrap();
            attributes.insert("removed_since".into(), Value::from("old"));
            attributes.remove("created_at");
        }
    }
    let env = Env::new();
    std::fs::write(
        env.path().join("terraform.tfstate"),
        serde_json::to_vec_pretty(&state).unwrap(),
    )
    .unwrap();
    env.write_config(CONFIG);
    env.tf_ok(&[
        "plan",
        "-refresh=false",
        "-no-color",
        "-input=false",
        "-out=tfplan",
    ]);
    let plan: Value =
        serde_json::from_str(&env.tf_ok(&["show", "-json", "tfplan"]).stdout).unwrap();
    for resource in plan["prior_state"]["values"]["root_module"]["resources"]
        .as_array()
        .unwrap()
    {
        let values = resource["values"].as_object().unwrap();
        assert!(
            !values.contains_key("removed_since"),
            "{}",
            resource["address"]
        );
        if let Some(created_at) = values.get("created_at") {
            assert_eq!(created_at, &Value::Null, "{}", resource["address"]);
        }
    }
}
