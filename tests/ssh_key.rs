//! `idcloudhost_ssh_key` through the real terraform binary against the simulator.

mod common;

use common::{hcl, Action, Env};
use serde_json::{json, Value};

const KEY: &str = "idcloudhost_ssh_key.k";

// Fixed test keys, generated with `ssh-keygen -t ed25519` / `-t rsa -b 2048`. The
// fingerprints are what OpenSSH's `ssh-keygen -lf` printed for them.
const KEY_A: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE/SbnQxYwxO4peK4HGs3htL+dDoSTB/3LTmTJ0HsDbb test@example";
const FP_A: &str = "SHA256:py8vEMde8stXbXBhrJpUq0HHPDzgxp5adYyqeJWUpK0";
const KEY_B: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCi8GUTSdajA5hcR6WYkAuE2mannCVbVo7f3MVBTjvkokxscnOr8Sj2XQgqE+69XyS1qrPDEesYIIDB+38k3H4POitpXPIkkRAJJz1wjZ5sgOFLsqokEL0ei4fwVPhq1EF4ANzDeEXSG8S55E3AL9Ka30tLaBKCExLB7RyHJR7CigmgjZxf/JT04sKLiTIF/xZ6dFQdHukw7qgfeJ1YPaX3Esc24cP4Xy22wjVMeH1qLlkPRQEKsQad+/4dYwmaZ9qo7v+kLWF5c6HgymZ8k4nPQxlQlGxuoICt0ypLMeot6LSc+YZH55Uw3v4nYahkfRIC6vJdI1quQq7cuOmFMqCl rsa@example";
const FP_B: &str = "SHA256:1UvFtLfqB6aCHsc0nrTSpfHBFjN3nGV688rnJ2wJoI8";

fn config(name: &str, key: &str) -> String {
    let public_key = format!("public_key = \"{key}\"");
    hcl::with_provider(&hcl::named("idcloudhost_ssh_key", "k", name, &public_key))
}

fn keys(env: &Env) -> Vec<Value> {
    env.api().get_list("/v1/user-resource/ssh_keys")
}

/// When OpenSSH is installed, the hard-coded fingerprint is checked against it too.
fn ssh_keygen_fingerprint(env: &Env, key: &str) -> Option<String> {
    let file = env.path().join("key.pub");
    std::fs::write(&file, format!("{key}\n")).ok()?;
    let out = std::process::Command::new("ssh-keygen")
        .arg("-lf")
        .arg(&file)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.split_whitespace().nth(1).map(str::to_owned)
}

#[test]
fn lifecycle_rename_drift_replace_delete_destroy() {
    let env = Env::new();
    env.write_config(&config("laptop", KEY_A));
    let plan = env.plan_check();
    plan.assert_only(&[(KEY, Action::Create)]);
    // The fingerprint is known at plan time: the provider computes it from the key.
    assert_eq!(plan.after(KEY)["fingerprint"], FP_A, "{}", plan.text());
    env.apply();

    let state = env.resource("idcloudhost_ssh_key.k");
    let id = state["id"].as_str().unwrap().to_owned();
    assert_eq!(state["name"], "laptop");
    assert_eq!(state["public_key"], KEY_A);
    assert_eq!(state["fingerprint"], FP_A);
    if let Some(fp) = ssh_keygen_fingerprint(&env, KEY_A) {
        assert_eq!(fp, FP_A, "ssh-keygen disagrees");
    }
    let served = keys(&env);
    assert_eq!(served.len(), 1);
    assert_eq!(served[0]["uuid"], id.as_str());
    assert_eq!(served[0]["name"], "laptop");
    assert_eq!(served[0]["public_key"], KEY_A);
    assert_eq!(state["created_at"], served[0]["created_at"]);
    env.assert_no_changes();

    // Rename in place: same id, one JSON PATCH.
    env.api().clear_requests();
    env.apply_config(&config("laptop-2", KEY_A));
    let state = env.resource("idcloudhost_ssh_key.k");
    assert_eq!(state["id"], id.as_str());
    assert_eq!(state["name"], "laptop-2");
    assert_eq!(keys(&env)[0]["name"], "laptop-2");
    let w = env.api().writes();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, "PATCH");
    assert_eq!(w[0].1, format!("/v1/user-resource/ssh_keys/{id}"));

    // Renamed outside Terraform: the plan shows exactly the name changing back.
    let path = format!("/v1/user-resource/ssh_keys/{id}");
    env.assert_outside_rename_reverted(&path, "name", "by-hand", KEY, "laptop-2");
    assert_eq!(keys(&env)[0]["name"], "laptop-2");
    env.assert_no_changes();

    // A new public key replaces the key.
    env.write_config(&config("laptop-2", KEY_B));
    let plan = env.plan_check();
    plan.assert_only(&[(KEY, Action::Replace)]);
    assert_eq!(
        plan.replace_paths(KEY),
        vec!["public_key"],
        "{}",
        plan.text()
    );
    env.apply();
    let state = env.resource("idcloudhost_ssh_key.k");
    let new_id = state["id"].as_str().unwrap().to_owned();
    assert_ne!(new_id, id);
    assert_eq!(state["fingerprint"], FP_B);
    let served = keys(&env);
    assert_eq!(served.len(), 1);
    assert_eq!(served[0]["uuid"], new_id.as_str());
    assert_eq!(served[0]["public_key"], KEY_B);

    // Deleted outside Terraform: the plan creates it again.
    env.api()
        .delete(&format!("/v1/user-resource/ssh_keys/{new_id}"));
    env.plan_check().assert_only(&[(KEY, Action::Create)]);
    env.apply();
    let recreated = env.id_of("idcloudhost_ssh_key.k");
    assert_ne!(recreated, new_id);
    assert_eq!(keys(&env)[0]["uuid"], recreated.as_str());

    env.destroy();
    assert!(keys(&env).is_empty());
}

#[test]
fn trailing_newline_from_a_file_is_not_drift() {
    let env = Env::new();
    std::fs::write(env.path().join("id.pub"), format!("{KEY_A}\n")).unwrap();
    env.apply_config(
        r#"
provider "idcloudhost" {}
resource "idcloudhost_ssh_key" "k" {
  name       = "from-file"
  public_key = file("${path.module}/id.pub")
}
"#,
    );
    assert_eq!(
        keys(&env)[0]["public_key"],
        KEY_A,
        "sent without the newline"
    );
    assert_eq!(env.resource("idcloudhost_ssh_key.k")["fingerprint"], FP_A);
    env.assert_no_changes();
}

#[test]
fn import_by_id_then_no_changes() {
    let env = Env::new();
    let created = env.api().post(
        "/v1/user-resource/ssh_keys",
        json!({"name": "desk", "public_key": KEY_B}),
    );
    let id = created["uuid"].as_str().unwrap().to_owned();
    env.write_config(&config("desk", KEY_B));
    env.import_ok("idcloudhost_ssh_key.k", &id);
    let state = env.resource("idcloudhost_ssh_key.k");
    assert_eq!(state["id"], id.as_str());
    assert_eq!(state["name"], "desk");
    assert_eq!(state["public_key"], KEY_B);
    assert_eq!(state["fingerprint"], FP_B);
    assert_eq!(state["created_at"], created["created_at"]);
    env.assert_no_changes();

    // Unknown ids and location-prefixed ids are refused.
    env.write_config(&format!(
        "{}\nresource \"idcloudhost_ssh_key\" \"other\" {{\n  name = \"other\"\n  public_key = \"{KEY_A}\"\n}}\n",
        config("desk", KEY_B)
    ));
    let result = env.import(
        "idcloudhost_ssh_key.other",
        "00000000-0000-4000-8000-000000000000",
    );
    result.assert_failed();
    result.assert_mentions("non-existent");
    let result = env.import("idcloudhost_ssh_key.other", &format!("jkt01/{id}"));
    result.assert_failed();
    result.assert_mentions("Invalid import ID");
}

#[test]
fn duplicate_name_is_a_clear_error() {
    let env = Env::new();
    let existing = env.api().post(
        "/v1/user-resource/ssh_keys",
        json!({"name": "taken", "public_key": KEY_B}),
    );
    let existing_id = existing["uuid"].as_str().unwrap();
    env.write_config(&config("taken", KEY_A));
    let result = env.apply_fails();
    // Terraform wraps long details: compare with whitespace collapsed.
    let all = result.folded();
    // The API's own message, the status, and the way out.
    assert!(
        all.contains("SSH key with this name already exists."),
        "{all}"
    );
    assert!(all.contains("409"), "{all}");
    assert!(all.contains(existing_id), "{all}");
    assert!(all.contains("terraform import"), "{all}");
    assert_eq!(keys(&env).len(), 1, "nothing created");
}

#[test]
fn invalid_public_key_fails_at_plan_and_creates_nothing() {
    let env = Env::new();
    for (key, expected) in [
        ("not-a-key", "not an OpenSSH public key line"),
        (
            "ssh-foo AAAAC3NzaC1lZDI1NTE5",
            "not an OpenSSH public key line",
        ),
        ("ssh-ed25519 AAAAC", "not valid base64"),
    ] {
        env.write_config(&config("bad", key));
        let plan = env.plan();
        assert_eq!(plan.code, 1, "{key}: {}", plan.all());
        assert!(plan.all().contains(expected), "{key}: {}", plan.all());
        plan.assert_mentions("public_key");
    }
    env.write_config(&config(" ", KEY_A));
    let plan = env.plan();
    assert_eq!(plan.code, 1);
    plan.assert_mentions("must not be empty");
    assert!(env.api().writes().is_empty(), "nothing was written");
    assert!(keys(&env).is_empty());
}

#[test]
fn brands_without_ssh_keys_say_so_at_plan() {
    // 3nv.io's API generation has no SSH keys: the plan fails before any request.
    let mut env = Env::new();
    env.env("IDCLOUDHOST_API_URL", "https://api.3nv.io");
    env.write_config(&config("k", KEY_A));
    env.assert_plan_fails_with(&["SSH keys are not available on 3nv.io"]);
}
