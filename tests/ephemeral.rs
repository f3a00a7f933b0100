//! Secrets that never touch state, through the real terraform binary against the
//! simulator: the ephemeral resources (opened and closed in plan and in apply,
//! their values flowing into write-only arguments, never in a plan file, `show
//! -json` or the state file) and the opt-outs of the resources that store a
//! secret (`store_secret_key`, `store_password`).

mod common;

use common::{hcl, terraform_1_0_binary, Action, Env};
use serde_json::{json, Value};

/// The account's S3 key pairs (access keys), as the API lists them.
fn access_keys(env: &Env) -> Vec<String> {
    let mut keys: Vec<String> = env
        .api()
        .get("/v1/storage/user/keys")
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| k["accessKey"].as_str().map(str::to_owned))
        .collect();
    keys.sort();
    keys
}

/// The key-pair writes of the request log since it was last cleared.
fn key_writes(env: &Env) -> Vec<String> {
    env.api()
        .writes()
        .into_iter()
        .filter(|(_, path, _)| path.starts_with("/v1/storage/user/keys"))
        .map(|(method, path, status)| format!("{method} {path} {status}"))
        .collect()
}

/// What the simulator's guest of `uuid` was given (the API never returns it).
fn guest(env: &Env, uuid: &str) -> Value {
    env.api().guest(uuid)
}

/// The plan file as `show -json` prints it, the state as `show -json` prints it
/// and the raw state file: where a secret must never be.
fn plan_and_state_texts(env: &Env) -> Vec<(&'static str, String)> {
    let mut texts = Vec::new();
    if env.path().join("tfplan").exists() {
        texts.push((
            "the plan file",
            env.tf_ok(&["show", "-json", "tfplan"]).stdout,
        ));
    }
    texts.push(("show -json", env.tf_ok(&["show", "-json"]).stdout));
    texts.push((
        "the state file",
        std::fs::read_to_string(env.path().join("terraform.tfstate")).unwrap_or_default(),
    ));
    texts
}

fn assert_nowhere_stored(env: &Env, secret: &str, what: &str) {
    assert!(secret.len() >= 8, "{what}: {secret:?} is not a real secret");
    for (place, text) in plan_and_state_texts(env) {
        assert!(!text.contains(secret), "{what} is in {place}: {text}");
    }
}

/// Terraform's own lines for an ephemeral resource opened and then closed in
/// one run (`ephemeral.TYPE.NAME: Opening...`, `...: Closing...`), in order.
fn assert_opened_and_closed(output: &str, address: &str, run: &str) {
    let at = |what: &str| {
        output
            .lines()
            .position(|l| l.trim() == format!("ephemeral.{address}: {what}..."))
            .unwrap_or_else(|| panic!("{run}: no {what} of {address} in:\n{output}"))
    };
    assert!(at("Opening") < at("Closing"), "{run}:\n{output}");
}

fn vm(password_wo: &str, extra: &str) -> String {
    hcl::web_vm(&format!(
        r#"reserve_public_ip   = false
  username            = "deploy"
  password_wo         = {password_wo}
  password_wo_version = 1
  {extra}"#
    ))
}

/// A VM whose password is the secret key (40 letters and digits) of an ephemeral S3
/// key pair, made to pass the VM's password rule.
fn vm_with_s3_secret_password() -> String {
    format!(
        r#"
provider "idcloudhost" {{}}
ephemeral "idcloudhost_s3_credential" "upload" {{}}
{}
"#,
        vm(
            r#""Aa1${ephemeral.idcloudhost_s3_credential.upload.secret_key}""#,
            ""
        )
    )
}

/// An S3 key pair for one run: generated and deleted in plan, again in apply
/// (where its secret reaches a write-only argument), and none left over; its
/// secret in no plan or state.
#[test]
fn s3_credential_is_opened_and_closed_in_plan_and_in_apply() {
    let env = Env::new();
    // The account's object storage user, with the pair the API makes with it.
    env.api().get("/v1/storage/user");
    let before = access_keys(&env);
    assert_eq!(before.len(), 1);
    env.write_config(&vm_with_s3_secret_password());

    env.api().clear_requests();
    env.tf_ok(&["plan", "-no-color", "-input=false", "-out=tfplan"]);
    assert_eq!(
        key_writes(&env),
        [
            "POST /v1/storage/user/keys 200",
            "DELETE /v1/storage/user/keys 200"
        ],
        "plan opens and closes it"
    );
    assert_eq!(access_keys(&env), before, "nothing left after the plan");

    env.api().clear_requests();
    env.tf_ok(&["apply", "-no-color", "-input=false", "tfplan"]);
    assert_eq!(
        key_writes(&env),
        [
            "POST /v1/storage/user/keys 200",
            "DELETE /v1/storage/user/keys 200"
        ],
        "apply opens and closes it again"
    );
    assert_eq!(access_keys(&env), before, "nothing left after the apply");

    // The secret reached the VM through password_wo, and nothing stored it.
    let uuid = env.id_of("idcloudhost_vm.web");
    let password = guest(&env, &uuid)["password"].as_str().unwrap().to_owned();
    let secret = password.strip_prefix("Aa1").expect("the ephemeral secret");
    assert_eq!(secret.len(), 40, "{password}");
    assert!(secret.chars().all(|c| c.is_ascii_alphanumeric()));
    assert_nowhere_stored(&env, secret, "the S3 secret key");

    // The next plan opens and closes another pair and plans nothing.
    env.api().clear_requests();
    env.assert_no_changes();
    assert_eq!(key_writes(&env).len(), 2, "{:?}", key_writes(&env));
    assert_eq!(access_keys(&env), before);
    env.destroy();
    assert_eq!(access_keys(&env), before, "nothing left after destroy");
}

/// An apply that fails after opening the key pair still closes it: the pair is
/// deleted and the failure is the API's own. (Terraform 1.15 skips the close of
/// an ephemeral resource whose user failed; the provider closes it at shutdown.)
#[test]
fn s3_credential_is_closed_when_the_apply_fails() {
    let env = Env::new();
    env.api().get("/v1/storage/user");
    let before = access_keys(&env);
    env.write_config(&vm_with_s3_secret_password());
    env.tf_ok(&["plan", "-no-color", "-input=false", "-out=tfplan"]);
    env.api().set_faults(json!({
        "error_rate": 1.0,
        "statuses": [400],
        "method": "POST",
        "path_contains": "user-resource/vm",
    }));
    env.api().clear_requests();
    let failed = env.tf(&["apply", "-no-color", "-input=false", "tfplan"]);
    assert_eq!(failed.code, 1, "{}", failed.all());
    failed.assert_mentions("Creating vm");
    env.api().clear_faults();
    let writes = key_writes(&env);
    assert_eq!(
        writes,
        [
            "POST /v1/storage/user/keys 200",
            "DELETE /v1/storage/user/keys 200"
        ],
        "opened, then closed although the apply failed"
    );
    assert_eq!(access_keys(&env), before, "nothing left after the failure");
}

/// A generated password reaches the VM through password_wo and is in no plan
/// or state; a new one each run is never sent while the version stays.
#[test]
fn vm_password_flows_into_password_wo_and_is_never_stored() {
    let env = Env::new();
    env.write_config(&format!(
        r#"
provider "idcloudhost" {{}}
ephemeral "idcloudhost_vm_password" "web" {{
  length             = 31
  special            = true
  special_characters = "~"
}}
{}
"#,
        vm("ephemeral.idcloudhost_vm_password.web.password", "")
    ));
    let planned = env.tf_ok(&["plan", "-no-color", "-input=false", "-out=tfplan"]);
    assert_opened_and_closed(&planned.stdout, "idcloudhost_vm_password.web", "plan");
    let applied = env.tf_ok(&["apply", "-no-color", "-input=false", "tfplan"]);
    assert_opened_and_closed(&applied.stdout, "idcloudhost_vm_password.web", "apply");
    let uuid = env.id_of("idcloudhost_vm.web");
    let password = guest(&env, &uuid)["password"].as_str().unwrap().to_owned();
    // The ephemeral one: its length and classes as configured.
    assert_eq!(password.len(), 31, "{password}");
    assert!(
        password.contains('~')
            && password.chars().any(|c| c.is_ascii_lowercase())
            && password.chars().any(|c| c.is_ascii_uppercase())
            && password.chars().any(|c| c.is_ascii_digit())
            && password
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '~'),
        "{password}"
    );
    assert_nowhere_stored(&env, &password, "the generated password");
    // Each run generates another; the version says when to send one.
    env.assert_no_changes();
    assert_eq!(guest(&env, &uuid)["password"], password.as_str());
    env.destroy();
}

/// With no argument at all: 24 characters that the API's password rule
/// accepts (the VM is created with it), never stored.
#[test]
fn vm_password_defaults_satisfy_the_apis_password_rule() {
    let env = Env::new();
    env.write_config(&format!(
        r#"
provider "idcloudhost" {{}}
ephemeral "idcloudhost_vm_password" "web" {{}}
{}
"#,
        vm("ephemeral.idcloudhost_vm_password.web.password", "")
    ));
    env.tf_ok(&["plan", "-no-color", "-input=false", "-out=tfplan"]);
    env.tf_ok(&["apply", "-no-color", "-input=false", "tfplan"]);
    let uuid = env.id_of("idcloudhost_vm.web");
    let password = guest(&env, &uuid)["password"].as_str().unwrap().to_owned();
    assert_eq!(password.chars().count(), 24, "{password}");
    assert!(
        password.chars().any(|c| c.is_ascii_lowercase())
            && password.chars().any(|c| c.is_ascii_uppercase())
            && password.chars().any(|c| c.is_ascii_digit()),
        "{password}"
    );
    assert_nowhere_stored(&env, &password, "the generated password");
    env.destroy();
}

#[test]
fn vm_password_bad_arguments_fail_at_plan_naming_them() {
    let env = Env::new();
    env.write_config(
        r#"
provider "idcloudhost" {}
ephemeral "idcloudhost_vm_password" "short" {
  length = 4
}
ephemeral "idcloudhost_vm_password" "nothing" {
  lower   = false
  upper   = false
  numeric = false
}
"#,
    );
    let plan = env.plan_fails();
    let text = plan.all();
    assert!(text.contains("Invalid value for length"), "{text}");
    assert!(text.contains("4 is"), "{text}");
    assert!(text.contains("every character class is disabled"), "{text}");
    assert!(env.api().writes().is_empty());
}

/// A database whose password stays out of the state (`store_password = false`),
/// its credentials read by the ephemeral resource into a VM's write-only
/// arguments in the same apply (the package is created first); nothing stored.
#[test]
fn service_package_credentials_flow_into_write_only_arguments() {
    let env = Env::new();
    let config = |store: &str| {
        format!(
            r#"
provider "idcloudhost" {{}}
resource "idcloudhost_service_package" "db" {{
  name           = "orders"
  service        = "postgresql"
  version        = "14.0"
  vcpu           = 1
  ram_mb         = 1024
  disk_size_gb   = 20
  {store}
}}
ephemeral "idcloudhost_service_package_credentials" "db" {{
  service_uuid = idcloudhost_service_package.db.id
}}
locals {{
  db = ephemeral.idcloudhost_service_package_credentials.db
}}
{}
"#,
            vm(
                r#""Aa1${local.db.password}""#,
                r#"cloud_init_wo = jsonencode({
    write_files = [{
      path    = "/etc/app/database.url"
      content = "postgres://${local.db.username}:${local.db.password}@${local.db.host}:${local.db.port}/${local.db.database}"
    }]
  })"#
            )
        )
    };
    env.write_config(&config("store_password = false"));
    env.tf_ok(&["plan", "-no-color", "-input=false", "-out=tfplan"]);
    // The package does not exist at this plan: opened in the apply, once it does.
    let applied = env.tf_ok(&["apply", "-no-color", "-input=false", "tfplan"]);
    let address = "idcloudhost_service_package_credentials.db";
    assert_opened_and_closed(&applied.stdout, address, "apply");

    let db = env.resource("idcloudhost_service_package.db");
    assert_eq!(db["password"], Value::Null, "store_password = false");
    assert_eq!(db["store_password"], false);
    let uuid = db["id"].as_str().unwrap().to_owned();
    let served = env
        .api()
        .get(&format!("/v1/user-resource/service/package/{uuid}"));
    let secret = env.api().package_secret(&uuid);
    let vm_uuid = env.id_of("idcloudhost_vm.web");
    let guest = guest(&env, &vm_uuid);
    assert_eq!(guest["password"], format!("Aa1{secret}"));
    let url = format!(
        "postgres://{}:{secret}@{}:{}/postgres",
        served["properties"]["sql_user"].as_str().unwrap(),
        served["properties"]["service_ip"].as_str().unwrap(),
        served["properties"]["port"]
    );
    assert!(
        guest["cloud_init"]
            .as_str()
            .unwrap_or_default()
            .contains(&url),
        "{guest}"
    );
    assert_nowhere_stored(&env, &secret, "the database password");
    // Opened again in a plan (the package known now): still nothing to change.
    let replanned = env.tf(&["plan", "-no-color", "-input=false", "-detailed-exitcode"]);
    assert_eq!(replanned.code, 0, "{}", replanned.all());
    assert_opened_and_closed(&replanned.stdout, address, "plan");
    env.assert_no_changes();

    // Storing it again is an in-place change that reads it back; and out again.
    env.write_config(&config("store_password = true"));
    let plan = env.plan_check();
    assert_eq!(
        plan.action("idcloudhost_service_package.db"),
        Action::Update
    );
    env.tf_ok(&["apply", "-no-color", "-input=false", "tfplan"]);
    assert_eq!(
        env.resource("idcloudhost_service_package.db")["password"],
        secret.as_str()
    );
    env.apply_config(&config("store_password = false"));
    let db = env.resource("idcloudhost_service_package.db");
    assert_eq!(db["password"], Value::Null);
    let raw = std::fs::read_to_string(env.path().join("terraform.tfstate")).unwrap();
    assert!(!raw.contains(&secret), "the password is back in the state");
    env.assert_no_changes();
    env.destroy();
}

/// elastis.id has no managed databases: the credentials fail at plan, naming
/// the brands that have them, and nothing is sent.
#[test]
fn service_package_credentials_on_a_brand_without_them_fail_naming_the_brands_that_have_them() {
    let env = Env::for_brand(idcloudhost_sim::Brand::Elastis, common::terraform_binary());
    env.write_config(
        r#"
provider "idcloudhost" {}
ephemeral "idcloudhost_service_package_credentials" "db" {
  service_uuid = "00000000-0000-0000-0000-000000000000"
}
"#,
    );
    env.api().clear_requests();
    let plan = env.plan_fails();
    let text = plan.folded();
    assert!(
        text.contains("idcloudhost_service_package_credentials is not available on elastis.id")
            && text.contains("(brand = \"elastis\")")
            && text.contains("Available on IDCloudHost (brand = \"idcloudhost\")"),
        "{text}"
    );
    assert_eq!(env.api().writes(), []);
    assert!(
        !env.api()
            .requests()
            .iter()
            .any(|(_, path, _)| path.contains("service/package")),
        "asked the API about a package"
    );
}

#[test]
fn service_package_credentials_of_a_missing_package_fail_naming_it() {
    let env = Env::new();
    env.write_config(
        r#"
provider "idcloudhost" {}
ephemeral "idcloudhost_service_package_credentials" "db" {
  service_uuid = "00000000-0000-0000-0000-000000000000"
}
"#,
    );
    let plan = env.plan_fails();
    plan.assert_mentions("Service package \"00000000-0000-0000-0000-000000000000\" not found");
}

/// `store_secret_key = false`: the key pair's secret is null in the state, a
/// re-plan is empty; switching keeps the same pair.
fn s3_credential_opt_out(env: &Env) {
    let config = |store: &str| {
        format!(
            "provider \"idcloudhost\" {{}}\nresource \"idcloudhost_s3_credential\" \"app\" {{\n  {store}\n}}\n"
        )
    };
    env.apply_config(&config("store_secret_key = false"));
    let key = env.resource("idcloudhost_s3_credential.app");
    assert_eq!(key["secret_key"], Value::Null);
    assert_eq!(key["store_secret_key"], false);
    let access_key = key["access_key"].as_str().unwrap().to_owned();
    let served = env.api().get("/v1/storage/user/keys");
    let secret = served
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["accessKey"] == access_key.as_str())
        .and_then(|k| k["secretKey"].as_str())
        .unwrap()
        .to_owned();
    for (place, text) in plan_and_state_texts(env) {
        assert!(!text.contains(&secret), "the secret is in {place}");
    }
    env.assert_no_changes();

    // Back on: the same pair, its secret read into the state, in place.
    env.apply_config(&config(""));
    let key = env.resource("idcloudhost_s3_credential.app");
    assert_eq!(key["access_key"], access_key.as_str());
    assert_eq!(key["secret_key"], secret.as_str());
    env.assert_no_changes();
    env.destroy();
}

#[test]
fn s3_credential_store_secret_key_false_keeps_the_secret_out_of_state() {
    s3_credential_opt_out(&Env::new());
}

/// The opt-out needs no new Terraform: 1.0.3, which knows no ephemeral resources,
/// keeps working with this provider and honours it.
#[test]
fn s3_credential_opt_out_works_on_terraform_1_0() {
    s3_credential_opt_out(&Env::with_terraform(terraform_1_0_binary()));
}

/// `store_password = false` on Terraform 1.0.3 (no ephemeral resources, no
/// write-only arguments): the database password is null in the state and in no
/// state text, and the re-plan is empty.
#[test]
fn service_package_store_password_false_works_on_terraform_1_0() {
    let env = Env::with_terraform(terraform_1_0_binary());
    env.apply_config(
        r#"
provider "idcloudhost" {}
resource "idcloudhost_service_package" "db" {
  name           = "orders"
  service        = "postgresql"
  version        = "14.0"
  vcpu           = 1
  ram_mb         = 1024
  disk_size_gb   = 20
  store_password = false
}
"#,
    );
    let db = env.resource("idcloudhost_service_package.db");
    assert_eq!(db["password"], Value::Null);
    let uuid = db["id"].as_str().unwrap();
    let secret = env.api().package_secret(uuid);
    assert_nowhere_stored(&env, &secret, "the database password");
    env.assert_no_changes();
    env.destroy();
}

const GUIDE_EXAMPLE: &str = include_str!("../examples/guides/secrets-out-of-state/main.tf");

/// The guide's complete example, as the guide shows it, applied: the database
/// password and the VM's password reach the VM, and neither is in the state; a
/// second plan is empty.
#[test]
fn the_guides_example_stores_no_secret() {
    let guide = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs/guides/secrets-out-of-state.md"),
    )
    .unwrap();
    assert!(
        guide.contains(&format!("```terraform\n{GUIDE_EXAMPLE}```\n")),
        "the guide shows examples/guides/secrets-out-of-state/main.tf as it is"
    );
    let env = Env::new();
    std::fs::write(env.path().join("main.tf"), GUIDE_EXAMPLE).unwrap();
    env.tf_ok(&["plan", "-no-color", "-input=false", "-out=tfplan"]);
    env.tf_ok(&["apply", "-no-color", "-input=false", "tfplan"]);

    let db = env.resource("idcloudhost_service_package.db");
    let uuid = db["id"].as_str().unwrap();
    let secret = env.api().package_secret(uuid);
    let vm_uuid = env.id_of("idcloudhost_vm.app");
    let guest = guest(&env, &vm_uuid);
    let password = guest["password"].as_str().unwrap().to_owned();
    assert_eq!(password.len(), 32, "the generated password: {guest}");
    assert!(
        guest["cloud_init"]
            .as_str()
            .unwrap_or_default()
            .contains(&secret),
        "the database password reached the guest: {guest}"
    );
    assert_nowhere_stored(&env, &secret, "the database password");
    assert_nowhere_stored(&env, &password, "the VM's password");
    // What the guide's jq check looks at: no stored value of these attributes.
    let raw: Value = serde_json::from_str(
        &std::fs::read_to_string(env.path().join("terraform.tfstate")).unwrap(),
    )
    .unwrap();
    for resource in raw["resources"].as_array().unwrap() {
        for instance in resource["instances"].as_array().unwrap() {
            for key in ["password", "cloud_init", "secret_key"] {
                assert!(
                    instance["attributes"][key].is_null(),
                    "{}.{key} is stored",
                    resource["type"]
                );
            }
        }
    }
    env.assert_no_changes();
    env.destroy();
}

/// Over the protocol, without Terraform: the metadata and schemas declare the
/// three types; an open's private bytes carry the access key to the close,
/// which deletes that pair; and a pair Terraform never closed is deleted when
/// the provider shuts down.
mod protocol {
    use terraform_provider_idcloudhost::framework::Dyn;
    use terraform_provider_idcloudhost::obj;
    use terraform_provider_idcloudhost::protocol::tfplugin6 as tf;
    use terraform_provider_idcloudhost::protocol::tfplugin6::provider_server::Provider;
    use terraform_provider_idcloudhost::protocol::ProviderServer;
    use terraform_provider_idcloudhost::IdcloudhostProvider;
    use tonic::Request;

    const TYPES: [&str; 3] = [
        "idcloudhost_s3_credential",
        "idcloudhost_service_package_credentials",
        "idcloudhost_vm_password",
    ];

    fn value(v: &Dyn) -> Option<tf::DynamicValue> {
        Some(tf::DynamicValue {
            msgpack: v.to_msgpack(),
            json: Vec::new(),
        })
    }

    async fn configured(sim: &idcloudhost_sim::Simulator) -> ProviderServer {
        let server = ProviderServer::new("idcloudhost", IdcloudhostProvider::new());
        let config = Dyn::Object(obj! { "api_key" => "sim-key", "api_url" => sim.url() });
        let response = server
            .configure_provider(Request::new(tf::configure_provider::Request {
                config: value(&config),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        assert!(
            response.diagnostics.is_empty(),
            "{:?}",
            response.diagnostics
        );
        server
    }

    async fn access_keys(sim: &idcloudhost_sim::Simulator) -> Vec<String> {
        let keys: serde_json::Value = reqwest::Client::new()
            .get(format!("{}/v1/storage/user/keys", sim.url()))
            .header("apikey", "sim-key")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        keys.as_array()
            .into_iter()
            .flatten()
            .filter_map(|k| k["accessKey"].as_str().map(str::to_owned))
            .collect()
    }

    async fn open(server: &ProviderServer) -> (String, Vec<u8>) {
        let response = server
            .open_ephemeral_resource(Request::new(tf::open_ephemeral_resource::Request {
                type_name: TYPES[0].into(),
                config: value(&Dyn::Object(obj! {})),
                client_capabilities: None,
            }))
            .await
            .unwrap()
            .into_inner();
        assert!(
            response.diagnostics.is_empty(),
            "{:?}",
            response.diagnostics
        );
        assert!(response.renew_at.is_none(), "nothing to renew");
        let result = Dyn::from_msgpack(&response.result.unwrap().msgpack).unwrap();
        let access_key = result.get("access_key").as_str().unwrap().to_owned();
        assert!(!result.get("secret_key").as_str().unwrap().is_empty());
        assert!(result.get("endpoint").as_str().unwrap().starts_with("http"));
        let private = response.private.expect("private bytes");
        assert!(
            !String::from_utf8_lossy(&private).contains(result.get("secret_key").as_str().unwrap()),
            "the private bytes hold no secret"
        );
        (access_key, private)
    }

    #[tokio::test]
    async fn metadata_and_schemas_declare_the_ephemeral_types() {
        let server = ProviderServer::new("idcloudhost", IdcloudhostProvider::new());
        let metadata = server
            .get_metadata(Request::new(Default::default()))
            .await
            .unwrap()
            .into_inner();
        let mut names: Vec<String> = metadata
            .ephemeral_resources
            .into_iter()
            .map(|e| e.type_name)
            .collect();
        names.sort();
        assert_eq!(names, TYPES);
        let schemas = server
            .get_provider_schema(Request::new(Default::default()))
            .await
            .unwrap()
            .into_inner()
            .ephemeral_resource_schemas;
        let sensitive = |ty: &str, attr: &str| {
            schemas[ty]
                .block
                .as_ref()
                .unwrap()
                .attributes
                .iter()
                .find(|a| a.name == attr)
                .unwrap_or_else(|| panic!("{ty}.{attr}"))
                .sensitive
        };
        assert!(sensitive(TYPES[0], "secret_key"));
        assert!(sensitive(TYPES[1], "password"));
        assert!(sensitive(TYPES[2], "password"));
        assert!(!sensitive(TYPES[0], "access_key"));
    }

    #[tokio::test]
    async fn close_deletes_the_pair_its_open_made_and_shutdown_the_rest() {
        let sim = idcloudhost_sim::Simulator::start(Default::default()).unwrap();
        let server = configured(&sim).await;
        let (first, private) = open(&server).await;
        let (second, _) = open(&server).await;
        assert_ne!(first, second);
        let keys = access_keys(&sim).await;
        assert!(keys.contains(&first) && keys.contains(&second), "{keys:?}");

        let closed = server
            .close_ephemeral_resource(Request::new(tf::close_ephemeral_resource::Request {
                type_name: TYPES[0].into(),
                private: Some(private),
            }))
            .await
            .unwrap()
            .into_inner();
        assert!(closed.diagnostics.is_empty(), "{:?}", closed.diagnostics);
        let keys = access_keys(&sim).await;
        assert!(!keys.contains(&first) && keys.contains(&second), "{keys:?}");

        // The second was never closed: the shutdown deletes it.
        server.close_leftover_ephemerals().await;
        assert!(!access_keys(&sim).await.contains(&second));
    }

    #[tokio::test]
    async fn an_unknown_type_is_an_error_not_a_crash() {
        let server = ProviderServer::new("idcloudhost", IdcloudhostProvider::new());
        let response = server
            .validate_ephemeral_resource_config(Request::new(
                tf::validate_ephemeral_resource_config::Request {
                    type_name: "idcloudhost_nope".into(),
                    config: None,
                },
            ))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(
            response.diagnostics[0].summary,
            "This provider has no ephemeral resource type \"idcloudhost_nope\""
        );
    }
}
