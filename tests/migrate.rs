//! Switching from the community providers without re-creating anything, through
//! the real terraform binary against simulator objects. Each test starts from a
//! state file as that provider writes it (`tests/fixtures/migrate/`, built from
//! its schema; placeholders filled with the simulator's ids), then either
//!
//! - `moved` blocks across providers (Terraform 1.8+: `MoveResourceState`), the
//!   source provider being a stand-in (this provider's binary under the source's
//!   address through `dev_overrides`: Terraform needs the source installed but
//!   never asks it anything for the move), or
//! - `terraform state replace-provider` (our `UpgradeResourceState` of their
//!   version-0 state), on Terraform 1.15 and 1.0.3;
//!
//! and checks that the plan shows only the moves (no create, update, replace or
//! delete), the apply writes nothing to the API, and the next plan is empty.

mod common;

use std::path::Path;

use common::{terraform_1_0_binary, Env, PROVIDER_SOURCE};
use serde_json::Value;

const BAPUNG: &str = "registry.terraform.io/bapung/idcloudhost";
#[allow(dead_code)]
const TELITI: &str = "registry.terraform.io/teliti-dev/idcloudhost";
#[allow(dead_code)]
const RIZALMF: &str = "registry.terraform.io/rizalmf/idcloudhost";
#[allow(dead_code)]
const WARREN: &str = "registry.terraform.io/warrenio/warren";
#[allow(dead_code)]
const CLOUDAXION: &str = "registry.terraform.io/zorgatia/cloudaxion";

/// `dev_overrides` for our provider and, for each source address, a stand-in:
/// this provider's binary under the source's plugin name.
fn install_stand_ins(env: &Env, sources: &[&str]) {
    let provider = Path::new(env!("CARGO_BIN_EXE_terraform-provider-idcloudhost"));
    let dir = env.path().join("stand-ins");
    std::fs::create_dir_all(&dir).unwrap();
    let mut overrides = format!(
        "    \"{PROVIDER_SOURCE}\" = \"{}\"\n",
        provider.parent().unwrap().display()
    );
    for source in sources {
        let provider_type = source.rsplit('/').next().unwrap();
        let link = dir.join(format!("terraform-provider-{provider_type}"));
        if !link.exists() {
            std::os::unix::fs::symlink(provider, &link).unwrap();
        }
        overrides.push_str(&format!("    \"{source}\" = \"{}\"\n", dir.display()));
    }
    std::fs::write(
        env.path().join("cli.tfrc"),
        format!(
            "provider_installation {{\n  dev_overrides {{\n{overrides}  }}\n  direct {{}}\n}}\n"
        ),
    )
    .unwrap();
}

/// A fixture state with its placeholders replaced (`"@NAME@"` by a number when
/// the value is one, `@NAME@` inside strings by the text), keeping only the
/// resources named in `keep` (`type.name`).
fn write_state(env: &Env, fixture: &str, values: &[(&str, String)], keep: &[&str]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/migrate")
        .join(fixture);
    let mut text = std::fs::read_to_string(path).expect("fixture exists");
    for (name, value) in values {
        if value.parse::<i64>().is_ok() {
            text = text.replace(&format!("\"@{name}@\""), value);
        }
        text = text.replace(&format!("@{name}@"), value);
    }
    let mut state: Value = serde_json::from_str(&text).unwrap();
    state["resources"].as_array_mut().unwrap().retain(|r| {
        keep.contains(
            &format!(
                "{}.{}",
                r["type"].as_str().unwrap(),
                r["name"].as_str().unwrap()
            )
            .as_str(),
        )
    });
    assert_eq!(state["resources"].as_array().unwrap().len(), keep.len());
    let kept = state.to_string();
    assert!(
        !kept.contains("\"@") && !kept.contains("@\""),
        "unfilled placeholder in {kept}"
    );
    std::fs::write(
        env.path().join("terraform.tfstate"),
        serde_json::to_vec_pretty(&state).unwrap(),
    )
    .unwrap();
}

/// Plans (`plan -out`, `show -json`) and asserts that every change is a no-op,
/// and that exactly `moves` (`(from, to)`) are moves; then applies that plan,
/// checks the simulator saw no write, and that the next plan is empty.
fn assert_only_moves(env: &Env, moves: &[(&str, &str)]) {
    env.api().clear_requests();
    let plan = env.plan_json();
    let changes = plan["resource_changes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut moved: Vec<(String, String)> = Vec::new();
    for change in &changes {
        assert_eq!(
            change["change"]["actions"],
            serde_json::json!(["no-op"]),
            "{}: {}",
            change["address"],
            change["change"]
        );
        if let Some(from) = change["previous_address"].as_str() {
            moved.push((
                from.to_owned(),
                change["address"].as_str().unwrap().to_owned(),
            ));
        }
    }
    let mut expected: Vec<(String, String)> = moves
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    expected.sort();
    moved.sort();
    assert_eq!(moved, expected, "moves in {plan}");
    env.tf_ok(&["apply", "-no-color", "-input=false", "tfplan"]);
    assert_eq!(env.api().writes(), Vec::new(), "writes to the API");
    env.assert_no_changes();
    assert_eq!(env.api().writes(), Vec::new(), "writes to the API");
}

/// The simulator's objects for bapung's fixture: a VM made without a public
/// address (as bapung's provider always did), its boot disk, a data disk
/// attached to it, and a floating IP.
fn bapung_objects(env: &Env) -> Vec<(&'static str, String)> {
    let api = env.api();
    api.create_network("jkt01", "default");
    let vm = api.create_vm(
        "jkt01",
        "web",
        &[("username", "ops"), ("password", "Secret123")],
    );
    let uuid = vm["uuid"].as_str().unwrap().to_owned();
    let boot = vm["storage"][0]["uuid"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let billing = api.billing_account_ids()[0].to_string();
    vec![
        ("VM", uuid),
        ("BOOT_DISK", boot),
        ("BILLING", billing),
        ("USER", "4242".to_owned()),
    ]
}

/// Our configuration for bapung's VM: the same values, renamed.
fn our_vm(name: &str) -> String {
    format!(
        r#"
resource "idcloudhost_vm" "{name}" {{
  name              = "web"
  os_name           = "ubuntu"
  os_version        = "22.04-lts"
  vcpu              = 1
  ram_mb            = 1024
  disk_size_gb      = 20
  username          = "ops"
  password          = "Secret123"
  reserve_public_ip = false
}}
"#
    )
}

#[test]
fn bapung_vm_moves_across_providers() {
    let env = Env::new();
    install_stand_ins(&env, &[BAPUNG]);
    let values = bapung_objects(&env);
    write_state(&env, "bapung.tfstate", &values, &["idcloudhost_vm.web"]);
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{}\nmoved {{\n  from = idcloudhost_vm.web\n  to   = idcloudhost_vm.app\n}}\n",
        our_vm("app")
    ));
    assert_only_moves(&env, &[("idcloudhost_vm.web", "idcloudhost_vm.app")]);
    let vm = env.resource("idcloudhost_vm.app");
    assert_eq!(vm["location"], "jkt01", "{vm}");
    assert_eq!(vm["reserve_public_ip"], false);
    assert_eq!(vm["ram_mb"], 1024);
}

fn replace_provider(env: &Env, from: &str) {
    env.tf_ok(&[
        "state",
        "replace-provider",
        "-auto-approve",
        "-no-color",
        from,
        PROVIDER_SOURCE,
    ]);
}

fn bapung_vm_after_replace_provider(env: Env) {
    install_stand_ins(&env, &[BAPUNG]);
    let values = bapung_objects(&env);
    write_state(&env, "bapung.tfstate", &values, &["idcloudhost_vm.web"]);
    env.write_config(&format!("provider \"idcloudhost\" {{}}\n{}", our_vm("web")));
    replace_provider(&env, BAPUNG);
    assert_only_moves(&env, &[]);
    let vm = env.resource("idcloudhost_vm.web");
    assert_eq!(vm["location"], "jkt01", "{vm}");
    assert_eq!(vm["reserve_public_ip"], false);
}

#[test]
fn bapung_vm_after_replace_provider_on_terraform_1_15() {
    bapung_vm_after_replace_provider(Env::new());
}

#[test]
fn bapung_vm_after_replace_provider_on_terraform_1_0() {
    bapung_vm_after_replace_provider(Env::with_terraform(terraform_1_0_binary()));
}
