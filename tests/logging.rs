//! `TF_LOG`: the provider's API requests and plugin RPCs show in Terraform's log,
//! and no secret ever does.

mod common;

use common::Env;

const VM_PASSWORD: &str = "Log9edNeverPw";

fn config() -> String {
    format!(
        r##"
provider "idcloudhost" {{}}

resource "idcloudhost_vm" "app" {{
  name         = "logged"
  os_name      = "ubuntu"
  os_version   = "22.04-lts"
  vcpu         = 1
  ram_mb       = 1024
  disk_size_gb = 20
  username     = "deploy"
  password     = "{VM_PASSWORD}"
  cloud_init   = "#cloud-config\nruncmd: [echo cloudinitmarker]"
}}

resource "idcloudhost_service_package" "db" {{
  name         = "logged-db"
  service      = "postgresql"
  version      = "14.0"
  vcpu         = 1
  ram_mb       = 1024
  disk_size_gb = 20
}}

resource "idcloudhost_s3_credential" "app" {{}}
"##
    )
}

#[test]
fn trace_log_shows_requests_and_rpcs_but_no_secret() {
    let mut env = Env::new();
    let log_path = env.path().join("terraform.log");
    env.env("TF_LOG", "trace");
    env.env("TF_LOG_PATH", log_path.to_str().unwrap());
    env.write_config(&config());
    env.apply();
    env.tf_ok(&["plan", "-no-color", "-input=false"]);

    let service_secret = env.resource("idcloudhost_service_package.db")["password"]
        .as_str()
        .unwrap()
        .to_owned();
    let s3_secret = env.resource("idcloudhost_s3_credential.app")["secret_key"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!service_secret.is_empty() && !s3_secret.is_empty());
    env.destroy();

    let log = std::fs::read_to_string(&log_path).unwrap();
    // Every API request, with its method, path, status and attempt (Terraform
    // prints a record's fields as `key=value`, in no fixed order).
    let logged = |method: &str, path: &str| {
        log.lines().any(|l| {
            l.contains("API request")
                && l.contains(&format!("http_method={method} "))
                && l.split(' ').any(|word| word == format!("http_path={path}"))
        })
    };
    for (method, path) in [
        ("POST", "/v1/jkt01/user-resource/vm"),
        ("POST", "/v1/user-resource/service/package"),
        ("DELETE", "/v1/storage/user/keys"),
        ("DELETE", "/v1/jkt01/user-resource/vm"),
    ] {
        assert!(
            logged(method, path),
            "no log line for {method} {path}:\n{}",
            log.lines()
                .filter(|l| l.contains("API request"))
                .take(3)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    assert!(log.contains("http_status=200"), "statuses are logged");
    assert!(log.contains("attempt=1"), "attempts are logged");
    assert!(log.contains("elapsed_ms="), "durations are logged");
    // The plugin RPCs, as Terraform's own SDKs log them.
    for rpc in [
        "tf_rpc=ConfigureProvider",
        "tf_rpc=PlanResourceChange",
        "tf_rpc=ApplyResourceChange",
        "tf_rpc=ReadResource",
        "tf_resource_type=idcloudhost_vm",
    ] {
        assert!(log.contains(rpc), "no {rpc:?} in the log");
    }
    assert!(log.contains("Received request") && log.contains("Served request"));

    for (what, secret) in [
        ("the API key", env.api_key.as_str()),
        ("the VM password", VM_PASSWORD),
        ("the service secret", service_secret.as_str()),
        ("the S3 secret key", s3_secret.as_str()),
        ("cloud_init", "cloudinitmarker"),
    ] {
        assert!(!log.contains(secret), "{what} appears in the log");
    }
}

/// A private key pasted by mistake into `public_keys` (sensitive): the plan fails
/// at validation, and neither Terraform's output nor the trace log holds any part
/// of the key.
#[test]
fn a_secret_in_bad_input_appears_nowhere() {
    let body = [
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
        "QyNTUxOQAAACBQx7JkQ2Vt9yZmFrZXNlY3JldGtleW1hdGVyaWFsZm9ydGVzdHNvbmx5AA",
        "AAiJpZ3Vlc3Nwcml2YXRla2V5Ym9keWxpbmV0aHJlZWZha2VmYWtlZmFrZWZha2VmYWtlZg",
    ];
    let private_key = format!(
        "-----BEGIN OPENSSH PRIVATE KEY-----\n{}\n-----END OPENSSH PRIVATE KEY-----\n",
        body.join("\n")
    );
    let mut env = Env::new();
    std::fs::write(env.path().join("id_ed25519"), &private_key).unwrap();
    let log_path = env.path().join("terraform.log");
    env.env("TF_LOG", "trace");
    env.env("TF_LOG_PATH", log_path.to_str().unwrap());
    env.write_config(
        r#"
provider "idcloudhost" {}

resource "idcloudhost_vm" "app" {
  name              = "keyed"
  os_name           = "ubuntu"
  os_version        = "22.04-lts"
  vcpu              = 1
  ram_mb            = 1024
  reserve_public_ip = false
  public_keys       = [file("${path.module}/id_ed25519")]
}
"#,
    );
    let plan = env.plan();
    assert_eq!(plan.code, 1, "{}", plan.all());
    assert!(
        plan.all().contains("not a public key line"),
        "the error says what is wrong: {}",
        plan.all()
    );
    let log = std::fs::read_to_string(&log_path).unwrap();
    for (place, text) in [("the output", plan.all()), ("the log", log)] {
        for line in body {
            for start in (0..line.len() - 12).step_by(6) {
                let part = &line[start..start + 12];
                assert!(
                    !text.contains(part),
                    "{place} shows part of the key: {part}"
                );
            }
        }
    }
    assert!(env.api().writes().is_empty(), "nothing is sent");
}
