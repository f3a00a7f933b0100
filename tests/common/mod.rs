//! End-to-end harness: the real `terraform` binary, the provider binary built by
//! cargo (loaded through `dev_overrides`), and an in-process simulator. One fresh
//! temporary directory per test.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use idcloudhost_sim::{Brand, SimConfig, Simulator};
use serde_json::Value;

pub const API_KEY: &str = "sim-key";
pub const PROVIDER_SOURCE: &str = "registry.terraform.io/idcloudhost/idcloudhost";

/// The terraform CLI to test with: `IDCLOUDHOST_TEST_TERRAFORM`, else the one
/// `scripts/tools.sh` installs.
pub fn terraform_binary() -> PathBuf {
    binary_from("IDCLOUDHOST_TEST_TERRAFORM", "terraform")
}

/// Terraform 1.0.3, the oldest version supported.
pub fn terraform_1_0_binary() -> PathBuf {
    binary_from("IDCLOUDHOST_TEST_TERRAFORM_1_0", "terraform-1.0.3")
}

fn binary_from(env: &str, name: &str) -> PathBuf {
    let path = std::env::var_os(env).map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(".tools/bin")
            .join(name)
    });
    assert!(
        path.exists(),
        "{} not found: run `bash scripts/tools.sh` (or the README's test command) first",
        path.display()
    );
    path
}

pub const SSH_PUBLIC_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4mvUhGz0qjzhd4FqzZb2NSMRGXCuQEBxV1aCsH7Xhd ops@example";

/// One object of every resource type, in jkt01 (the simulator's default location).
pub fn every_resource_type() -> String {
    let vm = "idcloudhost_vm.vm.id";
    let vm_body = "network_uuid      = idcloudhost_network.net.id
  reserve_public_ip = false
  username          = \"app\"
  password          = \"Secret123\"";
    let lb_body = format!(
        "network_uuid = idcloudhost_network.net.id\n{}{}",
        hcl::forwarding_rule(80, 8080),
        hcl::lb_target(vm)
    );
    [
        hcl::PROVIDER.to_owned(),
        hcl::named("idcloudhost_network", "net", "app", ""),
        hcl::small_vm("vm", "app-1", vm_body),
        hcl::named("idcloudhost_floating_ip", "ip", "app-public", ""),
        hcl::ip_assignment("ip", "idcloudhost_floating_ip.ip.address", vm),
        hcl::named("idcloudhost_disk", "data", "app-data", "size_gb = 30"),
        hcl::disk_attachment("data", vm, "idcloudhost_disk.data.id"),
        r#"
resource "idcloudhost_firewall" "fw" {
  name = "app"
  rule {
    direction   = "inbound"
    protocol    = "tcp"
    port_start  = 22
    ip_prefixes = ["10.0.0.0/8"]
  }
  rule {
    direction  = "inbound"
    protocol   = "tcp"
    port_start = 8000
    port_end   = 8100
  }
  rule {
    direction = "inbound"
    protocol  = "icmp"
  }
}
"#
        .to_owned(),
        hcl::firewall_attachment("fw", "idcloudhost_firewall.fw.id", vm),
        hcl::named("idcloudhost_load_balancer", "lb", "app", &lb_body),
        format!(
            r#"
resource "idcloudhost_service_package" "db" {{
  name              = "app-db"
  service           = "postgresql"
  version           = "14.0"
  vcpu              = 2
  ram_mb            = 4096
  disk_size_gb      = 40
  allowed_addresses = ["10.0.0.0/8"]
}}

resource "idcloudhost_ssh_key" "key" {{
  name       = "ops"
  public_key = "{SSH_PUBLIC_KEY}"
}}

resource "idcloudhost_bucket" "bucket" {{
  name = "app-assets"
}}

resource "idcloudhost_s3_credential" "s3" {{}}

resource "idcloudhost_vm_snapshot" "snap" {{
  vm_uuid = idcloudhost_vm.vm.id
}}
"#
        ),
    ]
    .concat()
}

pub struct TfResult {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl TfResult {
    pub fn success(&self) -> bool {
        self.code == 0
    }
    /// stdout and stderr, for assertions on messages wherever Terraform put them.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// `all()` with runs of white space folded to one space: Terraform wraps long
    /// messages, so a sentence may stand over two lines.
    pub fn folded(&self) -> String {
        self.all().split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Asserts stdout or stderr holds `text`, showing both if not.
    pub fn assert_mentions(&self, text: &str) {
        assert!(self.all().contains(text), "{}", self.all());
    }

    /// Asserts the folded output (`folded()`) holds `text`, showing it if not.
    pub fn assert_says(&self, text: &str) {
        let folded = self.folded();
        assert!(folded.contains(text), "{folded}");
    }

    /// Asserts the run failed (a non-zero exit code), showing its output if not.
    pub fn assert_failed(&self) {
        assert_ne!(self.code, 0, "{}", self.all());
    }
}

impl From<Output> for TfResult {
    fn from(out: Output) -> Self {
        TfResult {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

pub struct Env {
    pub sim: Simulator,
    pub dir: tempfile::TempDir,
    pub terraform: PathBuf,
    pub api_key: String,
    extra_env: Vec<(String, String)>,
}

impl Env {
    pub fn new() -> Env {
        Env::with_terraform(terraform_binary())
    }

    /// A fresh simulator and directory with `config` written and applied.
    pub fn applied(config: &str) -> Env {
        let env = Env::new();
        env.apply_config(config);
        env
    }

    pub fn with_terraform(terraform: PathBuf) -> Env {
        Env::with_brand(Brand::default(), terraform)
    }

    /// A simulator serving `brand`'s API, and the provider told so (`IDCLOUDHOST_BRAND`):
    /// the simulator's host alone would mean the newest generation.
    pub fn for_brand(brand: Brand, terraform: PathBuf) -> Env {
        let mut env = Env::with_brand(brand, terraform);
        env.env("IDCLOUDHOST_BRAND", brand.name());
        env
    }

    /// A simulator serving `brand`'s API on 127.0.0.1, and the provider NOT told:
    /// it assumes the newest generation, as for any host it does not know.
    pub fn serving_brand_unannounced(brand: Brand, terraform: PathBuf) -> Env {
        Env::with_brand(brand, terraform)
    }

    fn with_brand(brand: Brand, terraform: PathBuf) -> Env {
        let sim = Simulator::start(SimConfig {
            brand,
            ..SimConfig::default()
        })
        .expect("simulator starts");
        let dir = tempfile::tempdir().expect("temp dir");
        let provider = PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-idcloudhost"));
        let provider_dir = provider.parent().expect("binary dir");
        let cli_config = format!(
            "provider_installation {{\n  dev_overrides {{\n    \"{PROVIDER_SOURCE}\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
            provider_dir.display()
        );
        std::fs::write(dir.path().join("cli.tfrc"), cli_config).expect("write cli config");
        Env {
            sim,
            dir,
            terraform,
            api_key: API_KEY.to_owned(),
            extra_env: Vec::new(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Sets an environment variable for every later terraform run.
    pub fn env(&mut self, key: &str, value: &str) {
        self.extra_env.push((key.to_owned(), value.to_owned()));
    }

    /// Writes `main.tf`: the given configuration after the provider requirements.
    pub fn write_config(&self, body: &str) {
        let text = format!(
            "terraform {{\n  required_providers {{\n    idcloudhost = {{\n      source = \"idcloudhost/idcloudhost\"\n    }}\n  }}\n}}\n\n{body}\n"
        );
        std::fs::write(self.path().join("main.tf"), text).expect("write main.tf");
    }

    pub fn tf(&self, args: &[&str]) -> TfResult {
        self.command(args).output().expect("terraform runs").into()
    }

    /// The terraform command `tf` runs, to start it and act on it while it runs.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.terraform);
        cmd.args(args)
            .current_dir(self.path())
            .env("TF_CLI_CONFIG_FILE", self.path().join("cli.tfrc"))
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env("IDCLOUDHOST_API_URL", self.sim.url())
            .env("IDCLOUDHOST_API_KEY", &self.api_key)
            .env_remove("IDCLOUDHOST_LOCATION")
            .env_remove("IDCLOUDHOST_BILLING_ACCOUNT_ID")
            .env_remove("IDCLOUDHOST_BRAND")
            .env_remove("TF_LOG");
        for (k, v) in &self.extra_env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs terraform and panics with its output unless it succeeds.
    pub fn tf_ok(&self, args: &[&str]) -> TfResult {
        let result = self.tf(args);
        assert!(
            result.success(),
            "terraform {} failed ({}):\n{}",
            args.join(" "),
            result.code,
            result.all()
        );
        result
    }

    /// `terraform plan -generate-config-out=generated.tf` for the configured
    /// `import` blocks; panics unless it succeeds, and returns what was written.
    pub fn generate_config(&self) -> String {
        self.tf_ok(&[
            "plan",
            "-no-color",
            "-input=false",
            "-generate-config-out=generated.tf",
        ]);
        std::fs::read_to_string(self.path().join("generated.tf")).expect("generated.tf written")
    }

    pub fn apply(&self) -> TfResult {
        self.tf_ok(&["apply", "-auto-approve", "-no-color", "-input=false"])
    }

    /// Writes `config` (as `write_config`) and applies it.
    pub fn apply_config(&self, config: &str) -> TfResult {
        self.write_config(config);
        self.apply()
    }

    /// Renames an object outside Terraform (`PATCH path` setting `field` to `name`),
    /// asserts the plan puts back the `name` of `address`, to `configured`, and
    /// nothing else, then applies that plan.
    pub fn assert_outside_rename_reverted(
        &self,
        path: &str,
        field: &str,
        name: &str,
        address: &str,
        configured: &str,
    ) {
        self.api().patch(path, serde_json::json!({ field: name }));
        self.plan_check()
            .assert_reverts(address, "name", name, configured);
        self.apply();
    }

    /// `terraform apply` that must fail (non-zero exit); its output, for assertions
    /// on the error.
    pub fn apply_fails(&self) -> TfResult {
        let result = self.tf(&["apply", "-auto-approve", "-no-color", "-input=false"]);
        result.assert_failed();
        result
    }

    /// `terraform apply -refresh-only`: the state takes what the API serves now.
    pub fn refresh_only(&self) -> TfResult {
        self.tf_ok(&[
            "apply",
            "-refresh-only",
            "-auto-approve",
            "-no-color",
            "-input=false",
        ])
    }

    /// `terraform import ADDRESS ID`, which may fail: its result.
    pub fn import(&self, address: &str, id: &str) -> TfResult {
        self.tf(&["import", "-no-color", "-input=false", address, id])
    }

    /// `terraform import ADDRESS ID` that must succeed.
    pub fn import_ok(&self, address: &str, id: &str) -> TfResult {
        self.tf_ok(&["import", "-no-color", "-input=false", address, id])
    }

    /// `terraform destroy`, then asserts that the list endpoint `path` of `location`
    /// (`storage/disks`...) serves nothing.
    pub fn destroy_leaving_empty(&self, location: &str, path: &str) {
        self.destroy();
        let left = self.api().list(location, path);
        assert!(left.is_empty(), "left in {location}/{path}: {left:?}");
    }

    pub fn destroy(&self) -> TfResult {
        self.tf_ok(&["destroy", "-auto-approve", "-no-color", "-input=false"])
    }

    /// `terraform plan -detailed-exitcode`: 0 no changes, 1 error, 2 changes.
    pub fn plan(&self) -> TfResult {
        self.tf(&["plan", "-detailed-exitcode", "-no-color", "-input=false"])
    }

    /// A plan that must fail with an error (`-detailed-exitcode` 1); its output.
    pub fn plan_fails(&self) -> TfResult {
        let plan = self.plan();
        assert_eq!(plan.code, 1, "{}", plan.all());
        plan
    }

    /// Asserts a plan fails with an error that mentions every one of `texts`.
    pub fn assert_plan_fails_with(&self, texts: &[&str]) {
        let plan = self.plan_fails();
        for text in texts {
            plan.assert_mentions(text);
        }
    }

    /// Asserts that a plan proposes nothing.
    pub fn assert_no_changes(&self) {
        let plan = self.plan();
        assert_eq!(plan.code, 0, "expected no changes, got:\n{}", plan.all());
    }

    /// The JSON of `plan_check()`, for assertions on parts PlanCheck does not name.
    pub fn plan_json(&self) -> Value {
        self.plan_check().json
    }

    /// `terraform plan -detailed-exitcode -out` then `show -json` of that plan:
    /// the plan to assert structurally (actions per address, attributes that change,
    /// which force replacement). Panics if the plan fails.
    pub fn plan_check(&self) -> PlanCheck {
        self.plan_check_with(&[])
    }

    /// `plan_check` with more plan options (`-destroy`, `-refresh=false`...).
    pub fn plan_check_with(&self, options: &[&str]) -> PlanCheck {
        let mut args = vec![
            "plan",
            "-detailed-exitcode",
            "-no-color",
            "-input=false",
            "-out=tfplan",
        ];
        args.extend_from_slice(options);
        let result = self.tf(&args);
        assert!(
            result.code == 0 || result.code == 2,
            "terraform plan failed ({}):\n{}",
            result.code,
            result.all()
        );
        let shown = self.tf_ok(&["show", "-json", "tfplan"]);
        let json = serde_json::from_str(&shown.stdout).expect("show -json is JSON");
        PlanCheck { result, json }
    }

    pub fn outputs(&self) -> Value {
        let out = self.tf_ok(&["output", "-json"]);
        let parsed: Value = serde_json::from_str(&out.stdout).expect("output -json is JSON");
        let Value::Object(map) = parsed else {
            panic!("unexpected outputs: {}", out.stdout)
        };
        Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, v["value"].clone()))
                .collect(),
        )
    }

    /// The state as `terraform show -json` prints it.
    pub fn show(&self) -> Value {
        let out = self.tf_ok(&["show", "-json"]);
        serde_json::from_str(&out.stdout).expect("show -json is JSON")
    }

    /// Attribute values of one resource address in the state.
    pub fn resource(&self, address: &str) -> Value {
        let state = self.show();
        let resources = state["values"]["root_module"]["resources"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        resources
            .into_iter()
            .find(|r| r["address"] == address)
            .map(|r| r["values"].clone())
            .unwrap_or_else(|| panic!("{address} not in state: {state}"))
    }

    /// The `id` of the resource `address` in the state.
    pub fn id_of(&self, address: &str) -> String {
        self.resource(address)["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{address} has an id in the state"))
            .to_owned()
    }

    /// `terraform providers schema -json`: this provider's part.
    pub fn provider_schema(&self) -> Value {
        let out = self.tf_ok(&["providers", "schema", "-json"]);
        let schema: Value = serde_json::from_str(&out.stdout).expect("schema JSON");
        schema["provider_schemas"]
            .as_object()
            .and_then(|p| p.values().next())
            .cloned()
            .expect("the provider's schema")
    }

    /// Every resource type the provider serves, from `terraform providers schema`.
    pub fn provider_resource_types(&self) -> std::collections::BTreeSet<String> {
        self.provider_schema()["resource_schemas"]
            .as_object()
            .expect("resource schemas")
            .keys()
            .cloned()
            .collect()
    }

    /// Applies `every_resource_type()` and returns the resources of the state
    /// (`show -json`), after checking that they cover every resource type the
    /// provider serves: a new type fails the tests built on this until it is added.
    pub fn apply_every_resource_type(&self) -> Vec<Value> {
        // The account's default network, as a real account has: the managed one is not it.
        self.api().json(
            reqwest::Method::POST,
            "/v1/jkt01/network/network?name=default",
            serde_json::json!({}),
        );
        self.write_config(&every_resource_type());
        self.apply();
        let resources = self.show()["values"]["root_module"]["resources"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let created: std::collections::BTreeSet<String> = resources
            .iter()
            .map(|r| r["type"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            created,
            self.provider_resource_types(),
            "every_resource_type() creates one object of every resource type"
        );
        resources
    }

    /// A blocking client for the simulator's API, for out-of-band changes.
    pub fn api(&self) -> Api {
        Api {
            base: self.sim.url(),
            key: self.api_key.clone(),
            http: reqwest::blocking::Client::new(),
        }
    }
}

/// What a planned change does to one address, as `terraform show -json` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    Create,
    Update,
    /// Delete then create.
    Replace,
    /// Create then delete (`create_before_destroy`).
    ReplaceCreateFirst,
    Delete,
    Read,
    NoOp,
}

/// A plan from `Env::plan_check`: `plan -detailed-exitcode -out` and its `show -json`.
pub struct PlanCheck {
    /// The plan run itself: exit code 2 with changes, 0 without; its text for
    /// assertions where the text is the feature (warnings).
    pub result: TfResult,
    pub json: Value,
}

impl PlanCheck {
    /// The plan proposes changes (`-detailed-exitcode` 2).
    pub fn has_changes(&self) -> bool {
        self.result.code == 2
    }

    fn changes(&self) -> impl Iterator<Item = &Value> {
        self.json["resource_changes"]
            .as_array()
            .into_iter()
            .flatten()
    }

    /// Every entry of the plan's `resource_changes` (no-ops and data sources included).
    pub fn resource_changes(&self) -> Vec<Value> {
        self.changes().cloned().collect()
    }

    /// Every address the plan has a change for (no-ops and data sources included),
    /// in the plan's order.
    pub fn addresses(&self) -> Vec<String> {
        self.changes()
            .filter_map(|c| c["address"].as_str().map(str::to_owned))
            .collect()
    }

    /// The `resource_changes` entry of an address; panics if the plan has none.
    pub fn change(&self, address: &str) -> &Value {
        self.changes()
            .find(|c| c["address"] == address)
            .unwrap_or_else(|| panic!("no change for {address} in {}", self.text()))
    }

    /// The action planned for an address.
    pub fn action(&self, address: &str) -> Action {
        action_of(&self.change(address)["change"]["actions"])
    }

    /// The import id when the plan imports the address.
    pub fn importing(&self, address: &str) -> Option<String> {
        self.change(address)["change"]["importing"]["id"]
            .as_str()
            .map(str::to_owned)
    }

    /// The planned values of an address (unknown ones null).
    pub fn after(&self, address: &str) -> &Value {
        &self.change(address)["change"]["after"]
    }

    /// The prior values of an address (after refresh).
    pub fn before(&self, address: &str) -> &Value {
        &self.change(address)["change"]["before"]
    }

    /// Top-level attributes whose planned value differs from the prior one, or is
    /// unknown where the prior one was not, sorted: what the human plan marks `~`,
    /// `+` or `-` inside the resource.
    pub fn changed_attributes(&self, address: &str) -> Vec<String> {
        let change = &self.change(address)["change"];
        let empty = serde_json::Map::new();
        let before = change["before"].as_object().unwrap_or(&empty);
        let after = change["after"].as_object().unwrap_or(&empty);
        let unknown = change["after_unknown"].as_object().unwrap_or(&empty);
        let mut names: Vec<String> = before
            .keys()
            .chain(after.keys())
            .chain(unknown.keys())
            .filter(|name| {
                let was = before.get(*name).unwrap_or(&Value::Null);
                // Wholly unknown, or a collection with unknown parts.
                unknown.get(*name).is_some_and(any_unknown)
                    || after.get(*name).unwrap_or(&Value::Null) != was
            })
            .cloned()
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Top-level attributes that change to a known value (not "known after apply").
    pub fn known_changes(&self, address: &str) -> Vec<String> {
        let unknown = self.unknown_attributes(address);
        self.changed_attributes(address)
            .into_iter()
            .filter(|name| !unknown.contains(name))
            .collect()
    }

    /// Top-level attributes unknown until apply, wholly or in part, sorted: what
    /// the human plan shows as "(known after apply)".
    pub fn unknown_attributes(&self, address: &str) -> Vec<String> {
        let mut names: Vec<String> = self.change(address)["change"]["after_unknown"]
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(_, marks)| any_unknown(marks))
            .map(|(name, _)| name.clone())
            .collect();
        names.sort();
        names
    }

    /// Elements of a collection attribute or block (`forwarding_rule`, `rule`) that
    /// the plan adds: in the planned value, not in the prior one.
    pub fn added(&self, address: &str, attribute: &str) -> Vec<Value> {
        let before = self.before(address)[attribute].as_array().cloned();
        let after = self.after(address)[attribute].as_array().cloned();
        missing_from(after.unwrap_or_default(), &before.unwrap_or_default())
    }

    /// Elements of a collection attribute or block that the plan removes: in the
    /// prior value, not in the planned one.
    pub fn removed(&self, address: &str, attribute: &str) -> Vec<Value> {
        let before = self.before(address)[attribute].as_array().cloned();
        let after = self.after(address)[attribute].as_array().cloned();
        missing_from(before.unwrap_or_default(), &after.unwrap_or_default())
    }

    /// The attribute paths that force replacement, dotted (`rule.0.protocol`), sorted.
    pub fn replace_paths(&self, address: &str) -> Vec<String> {
        let mut paths: Vec<String> = self.change(address)["change"]["replace_paths"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|path| {
                path.as_array()
                    .into_iter()
                    .flatten()
                    .map(|step| match step {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(".")
            })
            .collect();
        paths.sort();
        paths
    }

    /// Every managed address the plan does something to (not no-op, or imports),
    /// with its action.
    pub fn actions(&self) -> std::collections::BTreeMap<String, Action> {
        self.changes()
            .filter(|c| c["mode"] == "managed")
            .map(|c| {
                (
                    c["address"].as_str().unwrap_or_default().to_owned(),
                    action_of(&c["change"]["actions"]),
                    c["change"]["importing"].is_object(),
                )
            })
            .filter(|(_, action, importing)| *action != Action::NoOp || *importing)
            .map(|(address, action, _)| (address, action))
            .collect()
    }

    /// Asserts the plan changes exactly these addresses (managed ones, no-ops left
    /// out unless imported), each with its action: the structural "N to add, N to
    /// change, N to destroy".
    pub fn assert_only(&self, expected: &[(&str, Action)]) {
        let expected: std::collections::BTreeMap<String, Action> = expected
            .iter()
            .map(|(address, action)| ((*address).to_owned(), *action))
            .collect();
        assert_eq!(self.actions(), expected, "{}", self.text());
        if !expected.is_empty() {
            assert!(self.has_changes(), "{}", self.text());
        }
    }

    /// Asserts the plan updates only `address`, in place, changing exactly
    /// `attribute` from the value changed outside Terraform back to the configured one.
    pub fn assert_reverts<T>(&self, address: &str, attribute: &str, drifted: T, configured: T)
    where
        T: std::fmt::Debug,
        Value: PartialEq<T>,
    {
        self.assert_only(&[(address, Action::Update)]);
        assert_eq!(self.before(address)[attribute], drifted, "{}", self.text());
        assert_eq!(
            self.after(address)[attribute],
            configured,
            "{}",
            self.text()
        );
        assert_eq!(
            self.changed_attributes(address),
            vec![attribute],
            "only {attribute} changes:\n{}",
            self.text()
        );
    }

    /// Asserts the plan updates only `address`, in place, changing exactly `attributes`.
    pub fn assert_updates_only(&self, address: &str, attributes: &[&str]) {
        self.assert_only(&[(address, Action::Update)]);
        assert_eq!(
            self.changed_attributes(address),
            attributes,
            "{}",
            self.text()
        );
    }

    /// Asserts each address has its action (others may change too).
    pub fn assert_actions(&self, expected: &[(&str, Action)]) {
        for (address, action) in expected {
            assert_eq!(self.action(address), *action, "{address}: {}", self.text());
        }
    }

    /// Asserts the plan proposes nothing to any resource.
    pub fn assert_no_changes(&self) {
        assert!(self.actions().is_empty(), "{}", self.text());
    }

    /// The human plan, for failure messages.
    pub fn text(&self) -> String {
        self.result.all()
    }
}

/// Whether `after_unknown` marks (true, or collections of marks) say any part is unknown.
fn any_unknown(marks: &Value) -> bool {
    match marks {
        Value::Bool(unknown) => *unknown,
        Value::Array(items) => items.iter().any(any_unknown),
        Value::Object(fields) => fields.values().any(any_unknown),
        _ => false,
    }
}

fn missing_from(items: Vec<Value>, other: &[Value]) -> Vec<Value> {
    items
        .into_iter()
        .filter(|item| !other.contains(item))
        .collect()
}

fn action_of(actions: &Value) -> Action {
    let actions: Vec<&str> = actions
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    match actions.as_slice() {
        ["create"] => Action::Create,
        ["update"] => Action::Update,
        ["delete", "create"] => Action::Replace,
        ["create", "delete"] => Action::ReplaceCreateFirst,
        ["delete"] => Action::Delete,
        ["read"] => Action::Read,
        ["no-op"] => Action::NoOp,
        other => panic!("unexpected actions {other:?}"),
    }
}

pub struct Api {
    pub base: String,
    pub key: String,
    http: reqwest::blocking::Client,
}

impl Api {
    /// A client of `sim`'s API and control endpoints, with the simulator's default key.
    pub fn of_simulator(sim: &Simulator) -> Api {
        Api {
            base: sim.url(),
            key: API_KEY.to_owned(),
            http: reqwest::blocking::Client::new(),
        }
    }

    fn check(resp: reqwest::blocking::Response) -> Value {
        let status = resp.status();
        let text = resp.text().unwrap_or_default();
        assert!(status.is_success(), "simulator answered {status}: {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    pub fn get(&self, path: &str) -> Value {
        Self::check(
            self.http
                .get(format!("{}{path}", self.base))
                .header("apikey", &self.key)
                .send()
                .expect("simulator reachable"),
        )
    }

    pub fn form(&self, method: reqwest::Method, path: &str, fields: &[(&str, &str)]) -> Value {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        Self::check(
            self.http
                .request(method, format!("{}{path}", self.base))
                .header("apikey", &self.key)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .expect("simulator reachable"),
        )
    }

    pub fn json(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        Self::check(
            self.http
                .request(method, format!("{}{path}", self.base))
                .header("apikey", &self.key)
                .json(&body)
                .send()
                .expect("simulator reachable"),
        )
    }

    /// `GET path` of a list: its items (none when the answer is not an array).
    pub fn get_list(&self, path: &str) -> Vec<Value> {
        self.get(path).as_array().cloned().unwrap_or_default()
    }

    /// `POST path` with a JSON body: the API's answer.
    pub fn post(&self, path: &str, body: Value) -> Value {
        self.json(reqwest::Method::POST, path, body)
    }

    /// `PATCH path` with a JSON body, as a change made outside Terraform.
    pub fn patch(&self, path: &str, body: Value) -> Value {
        self.json(reqwest::Method::PATCH, path, body)
    }

    /// `PUT path` with a JSON body, as a change made outside Terraform.
    pub fn put(&self, path: &str, body: Value) -> Value {
        self.json(reqwest::Method::PUT, path, body)
    }

    /// `DELETE path` (an empty JSON body), as a delete made outside Terraform.
    pub fn delete(&self, path: &str) -> Value {
        self.json(reqwest::Method::DELETE, path, serde_json::json!({}))
    }

    /// `POST path` with form fields: the API's answer.
    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Value {
        self.form(reqwest::Method::POST, path, fields)
    }

    /// `PATCH path` with form fields, as a change made outside Terraform.
    pub fn patch_form(&self, path: &str, fields: &[(&str, &str)]) -> Value {
        self.form(reqwest::Method::PATCH, path, fields)
    }

    /// `DELETE path` with form fields, as a delete made outside Terraform.
    pub fn delete_form(&self, path: &str, fields: &[(&str, &str)]) -> Value {
        self.form(reqwest::Method::DELETE, path, fields)
    }

    /// Every VM's guest as the simulator shows it (`GET /__sim/vms`): what the
    /// API never returns (passwords, cloud-init, the guest's power behaviour).
    pub fn guests(&self) -> Vec<Value> {
        self.get_list("/__sim/vms")
    }

    /// The guest of the VM `uuid` (`GET /__sim/vms`); panics when there is none.
    pub fn guest(&self, uuid: &str) -> Value {
        self.guests()
            .into_iter()
            .find(|g| g["uuid"] == uuid)
            .unwrap_or_else(|| panic!("no guest {uuid} in /__sim/vms"))
    }

    /// Sets how the guest of `uuid` behaves (`POST /__sim/vms/{uuid}/guest`).
    pub fn set_guest(&self, uuid: &str, body: Value) {
        self.json(
            reqwest::Method::POST,
            &format!("/__sim/vms/{uuid}/guest"),
            body,
        );
    }

    /// A list endpoint of a location (`user-resource/vm/list`, `storage/disks`...).
    pub fn list(&self, location: &str, path: &str) -> Vec<Value> {
        self.get_list(&format!("/v1/{location}/{path}"))
    }

    /// The item of a location's list endpoint whose `uuid` is `uuid`, if it is served.
    pub fn find(&self, location: &str, path: &str, uuid: &str) -> Option<Value> {
        self.list(location, path)
            .into_iter()
            .find(|item| item["uuid"] == uuid)
    }

    /// The database password of the managed service `uuid` (`sql_pass` of its secrets).
    pub fn package_secret(&self, uuid: &str) -> String {
        self.get(&format!("/v1/user-resource/service/package/{uuid}/secrets"))["sql_pass"]
            .as_str()
            .expect("sql_pass")
            .to_owned()
    }

    /// The account's billing account ids, the default one first.
    pub fn billing_account_ids(&self) -> Vec<i64> {
        let mut accounts = self
            .get("/v1/payment/billing_account/list")
            .as_array()
            .cloned()
            .unwrap_or_default();
        accounts.sort_by_key(|a| a["is_default"] != true);
        accounts.iter().filter_map(|a| a["id"].as_i64()).collect()
    }

    /// The (default, other) billing account ids of the simulator's account, which has two.
    pub fn default_and_other_billing(&self) -> (i64, i64) {
        let ids = self.billing_account_ids();
        assert_eq!(ids.len(), 2, "the account's billing accounts: {ids:?}");
        (ids[0], ids[1])
    }

    /// A VM made through the API with `create_vm`'s defaults: its uuid.
    pub fn create_vm_uuid(&self, location: &str, name: &str) -> String {
        let vm = self.create_vm(location, name, &[]);
        vm["uuid"].as_str().expect("vm uuid").to_owned()
    }

    /// A private network made through the API (the location's first one becomes
    /// its default); its uuid.
    pub fn create_network(&self, location: &str, name: &str) -> String {
        let network = self.json(
            reqwest::Method::POST,
            &format!("/v1/{location}/network/network?name={}", encode(name)),
            serde_json::json!({}),
        );
        network["uuid"].as_str().expect("network uuid").to_owned()
    }

    /// A VM made through the API: Ubuntu 22.04, 1 vCPU, 1 GB, a 20 GB disk, no
    /// public address, the default billing account; `fields` add to or replace
    /// those form fields. The API's answer.
    pub fn create_vm(&self, location: &str, name: &str, fields: &[(&str, &str)]) -> Value {
        let billing = self.billing_account_ids()[0].to_string();
        let defaults = [
            ("name", name),
            ("os_name", "ubuntu"),
            ("os_version", "22.04-lts"),
            ("vcpu", "1"),
            ("ram", "1024"),
            ("disks", "20"),
            ("reserve_public_ip", "false"),
            ("billing_account_id", billing.as_str()),
        ];
        let mut form: Vec<(&str, &str)> = defaults
            .into_iter()
            .filter(|(key, _)| !fields.iter().any(|(k, _)| k == key))
            .collect();
        form.extend_from_slice(fields);
        self.form(
            reqwest::Method::POST,
            &format!("/v1/{location}/user-resource/vm"),
            &form,
        )
    }

    /// The simulator's request log: `(method, path, status)`.
    pub fn requests(&self) -> Vec<(String, String, u16)> {
        let log: Value = self
            .http
            .get(format!("{}/__sim/requests", self.base))
            .send()
            .expect("simulator reachable")
            .json()
            .expect("request log is JSON");
        log.as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|r| {
                (
                    r["method"].as_str().unwrap_or_default().to_owned(),
                    r["path"].as_str().unwrap_or_default().to_owned(),
                    r["status"].as_u64().unwrap_or_default() as u16,
                )
            })
            .collect()
    }

    /// The writes (anything but GET) in the request log.
    pub fn writes(&self) -> Vec<(String, String, u16)> {
        self.requests()
            .into_iter()
            .filter(|(m, _, _)| m != "GET")
            .collect()
    }

    /// The writes in the request log as `METHOD path` lines.
    pub fn write_lines(&self) -> Vec<String> {
        self.writes()
            .into_iter()
            .map(|(method, path, _)| format!("{method} {path}"))
            .collect()
    }

    /// Empties the request log (`DELETE /__sim/requests`).
    pub fn clear_requests(&self) {
        self.control_delete("requests");
    }

    pub fn set_faults(&self, faults: Value) {
        let resp = self
            .http
            .post(format!("{}/__sim/faults", self.base))
            .json(&faults)
            .send()
            .expect("simulator reachable");
        assert!(resp.status().is_success());
    }

    /// Stops injecting faults (`DELETE /__sim/faults`).
    pub fn clear_faults(&self) {
        self.control_delete("faults");
    }

    /// `DELETE /__sim/WHAT`; asserts the simulator took it.
    fn control_delete(&self, what: &str) {
        let resp = self
            .http
            .delete(format!("{}/__sim/{what}", self.base))
            .send()
            .expect("simulator reachable");
        assert!(
            resp.status().is_success(),
            "DELETE /__sim/{what}: {}",
            resp.status()
        );
    }
}

/// `import {}` blocks for `(address, import id)` pairs.
pub fn import_blocks(imports: &[(&str, String)]) -> String {
    imports
        .iter()
        .map(|(to, id)| format!("import {{\n  to = {to}\n  id = \"{id}\"\n}}\n"))
        .collect()
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Generated configuration holds what a person would write: no values only the
/// API sets, none equal to its default (the account's default billing account
/// included), no timeouts, and secrets left out with Terraform's comment.
pub fn assert_written_as_a_person_would(text: &str) {
    // The resource blocks' lines (import blocks name ids: they are left out).
    let mut in_import = false;
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| {
            if line.starts_with("import {") {
                in_import = true;
            } else if in_import && line.starts_with('}') {
                in_import = false;
                return false;
            }
            !in_import
        })
        .map(str::trim)
        .collect();
    let written = |attr: &str, value: Option<&str>| {
        lines.iter().any(|l| {
            let mut words = l.split_whitespace();
            words.next() == Some(attr) && value.is_none_or(|v| words.nth(1) == Some(v))
        })
    };
    // Only the API sets these: never written.
    for attr in [
        "id",
        "created_at",
        "status",
        "fingerprint",
        "private_ipv4",
        "timeouts",
        "billing_account_id",
    ] {
        assert!(!written(attr, None), "{attr} is not written:\n{text}");
    }
    // Defaults: not written.
    for (attr, default) in [
        ("backup", "false"),
        ("power_state", "\"running\""),
        ("release_public_ip_on_destroy", "true"),
        ("reserve_public_ip", "true"),
    ] {
        assert!(
            !written(attr, Some(default)),
            "{attr} = {default} is not written:\n{text}"
        );
    }
    for secret in ["password", "cloud_init", "public_keys"] {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(secret) && l.ends_with("= null # sensitive")),
            "{secret} is left for the user, with a comment:\n{text}"
        );
    }
    assert!(!text.contains("Secret123"), "{text}");
}

/// Builders of the HCL the suites write, so that each shape of block is written once.
pub mod hcl {
    /// The provider block with no arguments: every setting from the environment.
    pub const PROVIDER: &str = "provider \"idcloudhost\" {}\n";

    /// A configuration: the provider block, then `blocks`.
    pub fn with_provider(blocks: &str) -> String {
        format!("{PROVIDER}{blocks}")
    }

    /// A `resource "KIND" "LABEL"` block around `body` (attribute lines and nested blocks).
    pub fn resource(kind: &str, label: &str, body: &str) -> String {
        format!("resource \"{kind}\" \"{label}\" {{\n{body}\n}}\n")
    }

    /// A resource whose only required argument is `name` (network, floating IP,
    /// bucket, firewall...), with `extra` lines after it.
    pub fn named(kind: &str, label: &str, name: &str, extra: &str) -> String {
        resource(kind, label, &format!("  name = \"{name}\"\n  {extra}"))
    }

    /// `idcloudhost_disk_attachment.LABEL` of the disk `disk_uuid` to the VM
    /// `vm_uuid` (HCL expressions: `idcloudhost_vm.web.id`, or a quoted uuid).
    pub fn disk_attachment(label: &str, vm_uuid: &str, disk_uuid: &str) -> String {
        let body = format!("  vm_uuid   = {vm_uuid}\n  disk_uuid = {disk_uuid}");
        resource("idcloudhost_disk_attachment", label, &body)
    }

    /// `idcloudhost_floating_ip_assignment.LABEL` of `address` to the VM `vm_uuid`
    /// (HCL expressions).
    pub fn ip_assignment(label: &str, address: &str, vm_uuid: &str) -> String {
        let body = format!("  address = {address}\n  vm_uuid = {vm_uuid}");
        resource("idcloudhost_floating_ip_assignment", label, &body)
    }

    /// `idcloudhost_firewall_attachment.LABEL` of `firewall_uuid` to the VM
    /// `vm_uuid` (HCL expressions).
    pub fn firewall_attachment(label: &str, firewall_uuid: &str, vm_uuid: &str) -> String {
        let body = format!("  firewall_uuid = {firewall_uuid}\n  vm_uuid       = {vm_uuid}");
        resource("idcloudhost_firewall_attachment", label, &body)
    }

    /// `text` as an HCL string literal (`"text"`; no escapes needed in test values).
    pub fn quoted(text: &str) -> String {
        format!("\"{text}\"")
    }

    /// A `forwarding_rule` block of a load balancer.
    pub fn forwarding_rule(source_port: u16, target_port: u16) -> String {
        format!("  forwarding_rule {{\n    source_port = {source_port}\n    target_port = {target_port}\n  }}\n")
    }

    /// A `target` block of a load balancer: the VM `vm_uuid` (an HCL expression).
    pub fn lb_target(vm_uuid: &str) -> String {
        format!("  target {{\n    target_uuid = {vm_uuid}\n  }}\n")
    }

    /// `idcloudhost_vm.web`, named `web`, of `small_vm`'s size, with `extra` lines.
    pub fn web_vm(extra: &str) -> String {
        small_vm("web", "web", extra)
    }

    /// An `idcloudhost_vm` of the smallest Ubuntu 22.04 size (1 vCPU, 1 GB) named
    /// `name`, with `extra` lines after those arguments.
    pub fn small_vm(label: &str, name: &str, extra: &str) -> String {
        resource(
            "idcloudhost_vm",
            label,
            &format!(
                "  name       = \"{name}\"\n  os_name    = \"ubuntu\"\n  os_version = \"22.04-lts\"\n  vcpu       = 1\n  ram_mb     = 1024\n  {extra}"
            ),
        )
    }
}
