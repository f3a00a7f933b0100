//! `TF_LOG`: the provider's API requests and plugin RPCs show in Terraform's log,
//! and no secret ever does.

mod common;

use common::{hcl, Env};

const VM_PASSWORD: &str = "Log9edNeverPw";

fn config() -> String {
    format!(
        r##"
provider "idcloudhost" {{}}

{app_vm}

resource "idcloudhost_service_package" "db" {{
  name         = "logged-db"
  service      = "postgresql"
  version      = "14.0"
  vcpu         = 1
  ram_mb       = 1024
  disk_size_gb = 20
}}

resource "idcloudhost_s3_credential" "app" {{}}
"##,
        app_vm = hcl::small_vm(
            "app",
            "logged",
            &format!(
                r##"disk_size_gb = 20
  username     = "deploy"
  password     = "{VM_PASSWORD}"
  cloud_init   = "#cloud-config\nruncmd: [echo cloudinitmarker]""##
            )
        )
    )
}

#[test]
fn trace_log_shows_requests_and_rpcs_but_no_secret() {
    let mut env = Env::new();
    let log_path = env.path().join("terraform.log");
    env.env("TF_LOG", "trace");
    env.env("TF_LOG_PATH", log_path.to_str().unwrap());
    env.apply_config(&config());
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

/// Sensitive and write-only values in bad input, each read from a file so the
/// configuration's own lines (which Terraform quotes in a diagnostic) hold none of
/// it: a private key pasted by mistake into `public_keys`, a weak `password`, a
/// weak write-only `password_wo`, and malformed YAML in `cloud_init` around a
/// password. The plan fails at validation naming each, and neither Terraform's
/// output nor the trace log holds any part of any of them (no 12 characters in a
/// row).
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
    let weak_password = "onlylowercasepasswordzq";
    let weak_write_only = "writeonlylowercasexkcdqv";
    let cloud_secret = "Yaml7SecretInsideBrokenDoc";
    let cloud_init =
        format!("#cloud-config\nchpasswd:\n  list: [root:{cloud_secret}\nruncmd: {{\n");
    let mut env = Env::new();
    for (file, text) in [
        ("id_ed25519", private_key.as_str()),
        ("password.txt", weak_password),
        ("password_wo.txt", weak_write_only),
        ("cloud_init.yaml", cloud_init.as_str()),
    ] {
        std::fs::write(env.path().join(file), text).unwrap();
    }
    let log_path = env.path().join("terraform.log");
    env.env("TF_LOG", "trace");
    env.env("TF_LOG_PATH", log_path.to_str().unwrap());
    let vm = |name: &str, bad: &str| {
        hcl::small_vm(
            name,
            name,
            &format!(
                "reserve_public_ip = false
  {bad}"
            ),
        )
    };
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{}{}{}{}",
        vm("keyed", r#"public_keys = [file("${path.module}/id_ed25519")]"#),
        vm(
            "weak",
            "username = \"deploy\"\n  password = file(\"${path.module}/password.txt\")"
        ),
        vm(
            "weakwo",
            "username = \"deploy\"\n  password_wo = file(\"${path.module}/password_wo.txt\")\n  password_wo_version = 1"
        ),
        vm("broken", r#"cloud_init = file("${path.module}/cloud_init.yaml")"#),
    ));
    let plan = env.plan_fails();
    let said = plan.folded();
    for expected in [
        "not a public key line",
        "Invalid value for password with",
        "Invalid value for password_wo with",
        "cloud_init is not valid YAML",
    ] {
        assert!(
            said.contains(expected),
            "the error says {expected:?}: {said}"
        );
    }
    let log = std::fs::read_to_string(&log_path).unwrap();
    // The log did record the validation and its diagnostics.
    assert!(log.contains("tf_rpc=ValidateResourceConfig"), "{log}");
    assert!(
        log.contains("is not valid YAML"),
        "the diagnostics are logged"
    );
    let secrets: Vec<&str> = body
        .iter()
        .copied()
        .chain([weak_password, weak_write_only, cloud_secret])
        .collect();
    for (place, text) in [("the output", plan.all()), ("the log", log)] {
        for secret in &secrets {
            for start in 0..=secret.len() - 12 {
                let part = &secret[start..start + 12];
                assert!(
                    !text.contains(part),
                    "{place} shows part of a secret: {part}"
                );
            }
        }
    }
    assert!(env.api().writes().is_empty(), "nothing is sent");
}
