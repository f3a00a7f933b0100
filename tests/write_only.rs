//! Write-only secrets (Terraform 1.11+): `idcloudhost_vm.password_wo` reaches the
//! API and never a plan or the state; its version sends it again, in place.
//! Older Terraform gets a plan-time error instead of storing it.

mod common;

use common::{hcl, terraform_1_0_binary, Action, Env, PlanCheck};
use serde_json::Value;

const FIRST: &str = "WriteOnly1st";
const SECOND: &str = "WriteOnly2nd";

/// A VM whose password comes from an ephemeral variable (the usual source of a
/// write-only value, never stored either) at `version`.
fn config(version: u32) -> String {
    format!(
        r#"
provider "idcloudhost" {{}}
variable "vm_password" {{
  type      = string
  sensitive = true
  ephemeral = true
}}
{web_vm}
"#,
        web_vm = hcl::web_vm(&format!(
            r#"username            = "deploy"
  password_wo         = var.vm_password
  password_wo_version = {version}"#
        ))
    )
}

/// What the simulator's guest of `uuid` was given (the API never returns it).
fn guest(env: &Env, uuid: &str) -> Value {
    env.api().guest(uuid)
}

/// The latest password the simulator's guest of `uuid` was given.
fn guest_password(env: &Env, uuid: &str) -> Option<String> {
    guest(env, uuid)["password"].as_str().map(str::to_owned)
}

/// `plan -out`, then the plan file and the state as `show -json` prints them, raw,
/// with the plan to assert structurally.
fn plan_file_json(env: &Env) -> (PlanCheck, String) {
    let check = env.plan_check();
    (check, env.tf_ok(&["show", "-json", "tfplan"]).stdout)
}

fn action(plan: &PlanCheck) -> Action {
    plan.action("idcloudhost_vm.web")
}

#[test]
fn password_wo_reaches_the_api_and_never_the_plan_or_state() {
    let mut env = Env::new();
    env.env("TF_VAR_vm_password", FIRST);
    env.write_config(&config(1));

    let (check, plan) = plan_file_json(&env);
    assert_eq!(action(&check), Action::Create);
    assert!(!plan.contains(FIRST), "the password is in the plan: {plan}");
    env.tf_ok(&["apply", "-no-color", "-input=false", "tfplan"]);

    let state = env.tf_ok(&["show", "-json"]).stdout;
    assert!(
        !state.contains(FIRST),
        "the password is in the state: {state}"
    );
    let raw_state = std::fs::read_to_string(env.path().join("terraform.tfstate")).unwrap();
    assert!(
        !raw_state.contains(FIRST),
        "the password is in the state file"
    );
    let vm = env.resource("idcloudhost_vm.web");
    assert_eq!(vm["password_wo"], Value::Null);
    assert_eq!(vm["password_wo_version"], 1);
    let uuid = vm["id"].as_str().unwrap().to_owned();
    assert_eq!(guest_password(&env, &uuid).as_deref(), Some(FIRST));

    // Nothing to do while the version stays, even with another value.
    env.env("TF_VAR_vm_password", SECOND);
    env.assert_no_changes();

    // A new version: the same VM, its password changed in place.
    env.write_config(&config(2));
    let (check, plan) = plan_file_json(&env);
    assert_eq!(action(&check), Action::Update, "in place, not replaced");
    assert!(!plan.contains(SECOND), "the new password is in the plan");
    env.api().clear_requests();
    env.tf_ok(&["apply", "-no-color", "-input=false", "tfplan"]);
    let writes: Vec<String> = env.api().write_lines();
    assert_eq!(writes, ["PATCH /v1/jkt01/user-resource/vm/user"]);
    assert_eq!(guest_password(&env, &uuid).as_deref(), Some(SECOND));
    let vm = env.resource("idcloudhost_vm.web");
    assert_eq!(vm["id"], uuid.as_str());
    assert_eq!(vm["password_wo_version"], 2);
    let state = env.tf_ok(&["show", "-json"]).stdout;
    assert!(!state.contains(SECOND), "the new password is in the state");
    env.assert_no_changes();

    env.destroy();
}

#[test]
fn password_wo_value_never_appears_in_the_log() {
    let mut env = Env::new();
    let log_path = env.path().join("terraform.log");
    env.env("TF_LOG", "trace");
    env.env("TF_LOG_PATH", log_path.to_str().unwrap());
    env.env("TF_VAR_vm_password", FIRST);
    env.apply_config(&config(1));
    env.env("TF_VAR_vm_password", SECOND);
    env.apply_config(&config(2));
    env.destroy();
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.contains("tf_rpc=ApplyResourceChange"),
        "the log is written"
    );
    assert!(
        !log.contains(FIRST),
        "the first password appears in the log"
    );
    assert!(
        !log.contains(SECOND),
        "the second password appears in the log"
    );
}

#[test]
fn password_and_password_wo_conflict_at_plan_time() {
    let env = Env::new();
    env.write_config(&config(1).replace(
        "password_wo ",
        "password            = \"Stored123x\"\n  password_wo ",
    ));
    let plan = env.tf(&[
        "plan",
        "-no-color",
        "-input=false",
        "-var=vm_password=Other123x",
    ]);
    assert_eq!(plan.code, 1, "{}", plan.all());
    plan.assert_mentions("password and password_wo conflict");
    assert!(env.api().writes().is_empty(), "nothing is sent");
}

#[test]
fn terraform_before_1_11_is_told_to_upgrade_or_use_password() {
    let env = Env::with_terraform(terraform_1_0_binary());
    // Terraform 1.0 has no ephemeral variables: a plain one.
    env.write_config(&hcl::with_provider(&hcl::web_vm(
        r#"username            = "deploy"
  password_wo         = "OldTerraform1"
  password_wo_version = 1"#,
    )));
    let plan = env.tf(&["plan", "-no-color", "-input=false"]);
    assert_eq!(plan.code, 1, "{}", plan.all());
    let text = plan.all();
    assert!(
        text.contains("password_wo needs Terraform 1.11 or later"),
        "{text}"
    );
    assert!(text.contains("use password instead"), "{text}");
    assert!(env.api().writes().is_empty(), "nothing is sent");

    // The stored password still works there.
    env.apply_config(&config_1_0_stored());
    let vm = env.resource("idcloudhost_vm.web");
    let uuid = vm["id"].as_str().unwrap();
    assert_eq!(guest_password(&env, uuid).as_deref(), Some("OldTerraform1"));
    env.destroy();
}

fn config_1_0_stored() -> String {
    hcl::with_provider(&hcl::web_vm(
        r#"username   = "deploy"
  password   = "OldTerraform1""#,
    ))
}

#[test]
fn cloud_init_wo_reaches_the_guest_and_its_version_replaces_the_vm() {
    let mut env = Env::new();
    let document = |marker: &str| format!("#cloud-config\nruncmd: [echo {marker}]\n");
    env.env("TF_VAR_user_data", &document("firstmarker"));
    let config = |version: u32| {
        format!(
            r#"
provider "idcloudhost" {{}}
variable "user_data" {{
  type      = string
  ephemeral = true
}}
{web_vm}
"#,
            web_vm = hcl::web_vm(&format!(
                "cloud_init_wo         = var.user_data
  cloud_init_wo_version = {version}"
            ))
        )
    };
    env.write_config(&config(1));
    let (_, plan) = plan_file_json(&env);
    assert!(!plan.contains("firstmarker"), "cloud-init is in the plan");
    env.tf_ok(&["apply", "-no-color", "-input=false", "tfplan"]);
    let state = env.tf_ok(&["show", "-json"]).stdout;
    assert!(!state.contains("firstmarker"), "cloud-init is in the state");
    let first = env.id_of("idcloudhost_vm.web");
    assert_eq!(
        guest(&env, &first)["cloud_init"],
        document("firstmarker").as_str()
    );

    // cloud-init runs only at creation: a new version is a new VM.
    env.env("TF_VAR_user_data", &document("secondmarker"));
    env.write_config(&config(2));
    let (check, plan) = plan_file_json(&env);
    assert_eq!(action(&check), Action::Replace);
    assert!(!plan.contains("secondmarker"), "cloud-init is in the plan");
    env.tf_ok(&["apply", "-no-color", "-input=false", "tfplan"]);
    let second = env.id_of("idcloudhost_vm.web");
    assert_ne!(first, second);
    assert_eq!(
        guest(&env, &second)["cloud_init"],
        document("secondmarker").as_str()
    );
    env.assert_no_changes();
    env.destroy();
}
