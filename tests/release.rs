//! The release as a user gets it: `scripts/release.sh` builds the zip, the registry
//! manifest and `SHA256SUMS`; Terraform installs the zip from a filesystem mirror
//! with `terraform init` (no `dev_overrides`), records its `h1:` hash in the lock
//! file, lists it in `terraform version`, locks it with `terraform providers lock
//! -fs-mirror`, and applies and destroys a small stack with it. The release is built
//! once per test run and shared by the tests (scripts/test.sh has built it already:
//! the script then finds cargo's build up to date).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use base64::Engine;
use common::{terraform_1_0_binary, terraform_binary, Env, PROVIDER_SOURCE};
use serde_json::Value;
use sha2::{Digest, Sha256};

const NAME: &str = "terraform-provider-idcloudhost";
const VERSION: &str = env!("CARGO_PKG_VERSION");

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `scripts/release.sh`'s output directory, built on first use.
fn dist() -> &'static Path {
    static DIST: OnceLock<PathBuf> = OnceLock::new();
    DIST.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dist = Path::new(env!("CARGO_TARGET_TMPDIR")).join("release-test-dist");
        let _ = std::fs::remove_dir_all(&dist);
        let out = Command::new("bash")
            .arg(root.join("scripts/release.sh"))
            .env("DIST_DIR", &dist)
            // Only linux_amd64: the platform the test runs on.
            .env("TARGETS", "")
            .current_dir(root)
            .output()
            .expect("bash runs scripts/release.sh");
        assert!(
            out.status.success(),
            "scripts/release.sh failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        dist
    })
}

fn zip_name() -> String {
    format!("{NAME}_{VERSION}_linux_amd64.zip")
}

/// Checks `SHA256SUMS` the way the README tells a user to, and against our own
/// digests: it covers exactly the zip and the manifest, each with its digest.
fn verify_sums(dist: &Path) {
    let sums_name = format!("{NAME}_{VERSION}_SHA256SUMS");
    let sums = std::fs::read_to_string(dist.join(&sums_name)).expect("SHA256SUMS written");
    let mut listed = BTreeMap::new();
    for line in sums.lines() {
        let (digest, file) = line
            .split_once("  ")
            .unwrap_or_else(|| panic!("not sha256sum format: {line:?}"));
        listed.insert(file.to_owned(), digest.to_owned());
    }
    let manifest = format!("{NAME}_{VERSION}_manifest.json");
    assert_eq!(
        listed.keys().cloned().collect::<Vec<_>>(),
        vec![zip_name(), manifest.clone()],
        "{sums}"
    );
    for (file, digest) in &listed {
        let bytes = std::fs::read(dist.join(file)).expect("listed file exists");
        assert_eq!(&sha256_hex(&bytes), digest, "digest of {file}");
    }
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dist.join(manifest)).unwrap()).unwrap();
    assert_eq!(manifest["metadata"]["protocol_versions"][0], "6.0");
    let check = Command::new("sha256sum")
        .args(["-c", &sums_name])
        .current_dir(dist)
        .output()
        .expect("sha256sum runs");
    assert!(
        check.status.success(),
        "sha256sum -c: {}",
        String::from_utf8_lossy(&check.stdout)
    );
}

/// The `h1:` hash Terraform records for a package (its "dirhash": the SHA-256 of the
/// lines `<sha256 hex>  <file name>\n` of every file, sorted by name), computed here
/// from the binary the zip holds.
fn h1_of_single_file_package(file_name: &str, contents: &[u8]) -> String {
    let summary = format!("{}  {file_name}\n", sha256_hex(contents));
    format!(
        "h1:{}",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(summary.as_bytes()))
    )
}

/// The `h1:` hashes the lock file records for the provider.
fn locked_hashes(lock: &str) -> (String, Vec<String>) {
    let block = lock
        .split(&format!("provider \"{PROVIDER_SOURCE}\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no block for {PROVIDER_SOURCE} in:\n{lock}"));
    let block = block.split("\n}").next().unwrap();
    let version = block
        .lines()
        .find_map(|l| l.trim().strip_prefix("version"))
        .and_then(|v| v.split('"').nth(1))
        .unwrap_or_default()
        .to_owned();
    let hashes = block
        .split('"')
        .filter(|s| s.starts_with("h1:") || s.starts_with("zh:"))
        .map(str::to_owned)
        .collect();
    (version, hashes)
}

fn mirror_cli_config(mirror: &Path) -> String {
    format!(
        r#"provider_installation {{
  filesystem_mirror {{
    path    = "{}"
    include = ["{PROVIDER_SOURCE}"]
  }}
  direct {{
    exclude = ["{PROVIDER_SOURCE}"]
  }}
}}
"#,
        mirror.display()
    )
}

fn installs_from_a_filesystem_mirror(terraform: PathBuf) {
    let dist = dist();
    verify_sums(dist);

    let env = Env::with_terraform(terraform);
    // The packed mirror layout: HOST/NAMESPACE/TYPE/<the release zip>.
    let mirror = env.path().join("mirror");
    let package_dir = mirror.join(PROVIDER_SOURCE);
    std::fs::create_dir_all(&package_dir).unwrap();
    std::fs::copy(dist.join(zip_name()), package_dir.join(zip_name())).unwrap();
    // No dev_overrides: the harness's CLI configuration is replaced by the mirror's.
    std::fs::write(env.path().join("cli.tfrc"), mirror_cli_config(&mirror)).unwrap();
    let (major, minor) = {
        let mut parts = VERSION.split('.');
        (parts.next().unwrap(), parts.next().unwrap())
    };
    std::fs::write(
        env.path().join("main.tf"),
        format!(
            r#"terraform {{
  required_providers {{
    idcloudhost = {{
      source  = "idcloudhost/idcloudhost"
      version = "~> {major}.{minor}"
    }}
  }}
}}

provider "idcloudhost" {{}}

data "idcloudhost_locations" "all" {{}}

resource "idcloudhost_network" "app" {{
  name = "release-test"
}}

resource "idcloudhost_floating_ip" "web" {{
  name = "release-test"
}}

output "locations" {{
  value = length(data.idcloudhost_locations.all.locations)
}}
"#
        ),
    )
    .unwrap();

    let init = env.tf_ok(&["init", "-input=false", "-no-color"]);
    assert!(
        init.stdout
            .contains(&format!("Installing idcloudhost/idcloudhost v{VERSION}")),
        "{}",
        init.all()
    );
    assert!(
        !init.all().contains("development overrides"),
        "{}",
        init.all()
    );
    let installed = env
        .path()
        .join(".terraform/providers")
        .join(PROVIDER_SOURCE)
        .join(VERSION)
        .join("linux_amd64")
        .join(format!("{NAME}_v{VERSION}"));
    assert!(installed.exists(), "{} installed", installed.display());

    // The lock file records the version and the package's h1: hash.
    let binary = std::fs::read(&installed).unwrap();
    let expected_h1 = h1_of_single_file_package(&format!("{NAME}_v{VERSION}"), &binary);
    let lock = std::fs::read_to_string(env.path().join(".terraform.lock.hcl")).unwrap();
    let (locked_version, hashes) = locked_hashes(&lock);
    assert_eq!(locked_version, VERSION, "{lock}");
    assert_eq!(hashes, vec![expected_h1.clone()], "{lock}");

    // The binary knows its version.
    let printed = Command::new(&installed).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&printed.stdout).trim(),
        format!("{NAME} {VERSION}")
    );

    // `terraform version` lists the provider with its version.
    let version = env.tf_ok(&["version"]);
    assert!(
        version
            .stdout
            .contains(&format!("provider {PROVIDER_SOURCE} v{VERSION}")),
        "{}",
        version.stdout
    );

    // `terraform providers lock -fs-mirror` records the same hash ahead of time,
    // in a fresh directory.
    let locker = env.path().join("locker");
    std::fs::create_dir_all(&locker).unwrap();
    std::fs::copy(env.path().join("main.tf"), locker.join("main.tf")).unwrap();
    let out = Command::new(&env.terraform)
        .args(["providers", "lock", "-no-color", "-platform=linux_amd64"])
        .arg(format!("-fs-mirror={}", mirror.display()))
        .current_dir(&locker)
        .env("TF_CLI_CONFIG_FILE", env.path().join("cli.tfrc"))
        .env("CHECKPOINT_DISABLE", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "providers lock: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let lock = std::fs::read_to_string(locker.join(".terraform.lock.hcl")).unwrap();
    assert_eq!(
        locked_hashes(&lock),
        (VERSION.to_owned(), vec![expected_h1]),
        "{lock}"
    );

    // A small stack applies and destroys with the installed release. The account
    // has its default network, as a real one does (that one is never deleted).
    let api = env.api();
    api.create_network("jkt01", "default");
    api.clear_requests();
    let applied = env.apply();
    assert!(
        !applied.all().contains("development overrides"),
        "{}",
        applied.all()
    );
    // Every API request names the provider's and Terraform's versions (read before
    // this test's own requests join the log).
    let agents = user_agents(&env);
    let terraform_version: Value =
        serde_json::from_str(&env.tf_ok(&["version", "-json"]).stdout).unwrap();
    let expected_agent = format!(
        "{NAME}/{VERSION} (+terraform {})",
        terraform_version["terraform_version"].as_str().unwrap()
    );
    assert!(!agents.is_empty());
    assert!(
        agents.iter().all(|a| a == &expected_agent),
        "expected {expected_agent:?}, got {agents:?}"
    );
    assert_eq!(env.outputs()["locations"], 3);
    assert_eq!(api.list("jkt01", "network/networks").len(), 2);
    assert_eq!(api.list("jkt01", "network/ip_addresses").len(), 1);

    env.destroy();
    let networks = api.list("jkt01", "network/networks");
    assert_eq!(networks.len(), 1, "{networks:?}");
    assert_eq!(networks[0]["name"], "default");
    assert!(api.list("jkt01", "network/ip_addresses").is_empty());
}

/// The `User-Agent` of every logged API request.
fn user_agents(env: &Env) -> Vec<String> {
    let log: Value = reqwest::blocking::get(format!("{}/__sim/requests", env.sim.url()))
        .unwrap()
        .json()
        .unwrap();
    log.as_array()
        .unwrap()
        .iter()
        .map(|r| r["user_agent"].as_str().unwrap_or("(none)").to_owned())
        .collect()
}

#[test]
fn release_installs_from_a_filesystem_mirror_terraform_1_15() {
    installs_from_a_filesystem_mirror(terraform_binary());
}

#[test]
fn release_installs_from_a_filesystem_mirror_terraform_1_0() {
    installs_from_a_filesystem_mirror(terraform_1_0_binary());
}

#[test]
fn version_flag_prints_the_version() {
    for flag in ["--version", "-version"] {
        let out = Command::new(env!("CARGO_BIN_EXE_terraform-provider-idcloudhost"))
            .arg(flag)
            .env_remove("TF_PLUGIN_MAGIC_COOKIE")
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("{NAME} {VERSION}\n")
        );
    }
}

/// The API client's `User-Agent` carries the Terraform version from
/// `ConfigureProvider` (here through the dev build and the harness).
#[test]
fn user_agent_names_provider_and_terraform_versions() {
    let env = Env::new();
    env.write_config("provider \"idcloudhost\" {}\n\ndata \"idcloudhost_locations\" \"all\" {}\n");
    env.tf_ok(&["plan", "-no-color", "-input=false"]);
    let terraform_version: Value =
        serde_json::from_str(&env.tf_ok(&["version", "-json"]).stdout).unwrap();
    let expected = format!(
        "{NAME}/{VERSION} (+terraform {})",
        terraform_version["terraform_version"].as_str().unwrap()
    );
    let agents = user_agents(&env);
    assert!(!agents.is_empty());
    assert!(agents.iter().all(|a| a == &expected), "{agents:?}");
}

/// `scripts/release-size.sh` with `args` (and `DIST_DIR`): its exit status and output.
fn release_size(args: &[&Path], dist_dir: &Path) -> (bool, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("bash")
        .arg(root.join("scripts/release-size.sh"))
        .args(args)
        .env("DIST_DIR", dist_dir)
        .output()
        .expect("bash runs scripts/release-size.sh");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// The release that `terraform init` installs is within the 10 MB limit.
#[test]
fn the_release_binary_is_within_10_mb() {
    let zip = dist().join(zip_name());
    let (ok, said) = release_size(&[&zip], dist());
    assert!(ok, "{said}");
    assert!(said.contains("within 10 MB"), "{said}");
    // And without an argument it finds the same zip.
    let (ok, said) = release_size(&[], dist());
    assert!(ok && said.contains(&zip_name()), "{said}");
}

/// The size check never passes without measuring: no release built, a path that
/// is not there, a zip without the provider binary, one byte over the limit.
#[test]
fn the_release_size_check_fails_when_it_cannot_measure_or_the_binary_is_too_big() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("dist");
    std::fs::create_dir_all(&empty).unwrap();
    let (ok, said) = release_size(&[], &empty);
    assert!(!ok, "no release build is a failure: {said}");
    assert!(said.contains("no release to measure"), "{said}");

    let (ok, said) = release_size(&[&dir.path().join("absent.zip")], &empty);
    assert!(!ok && said.contains("cannot measure"), "{said}");

    let not_zip = empty.join(format!("{NAME}_{VERSION}_linux_amd64.zip"));
    std::fs::write(&not_zip, b"not a zip").unwrap();
    let (ok, said) = release_size(&[], &empty);
    assert!(!ok && said.contains("cannot measure"), "{said}");

    let at_limit = dir.path().join("at-limit");
    let file = std::fs::File::create(&at_limit).unwrap();
    file.set_len(10_000_000).unwrap();
    let (ok, said) = release_size(&[&at_limit], &empty);
    assert!(ok, "10,000,000 bytes is within the limit: {said}");
    file.set_len(10_000_001).unwrap();
    let (ok, said) = release_size(&[&at_limit], &empty);
    assert!(!ok && said.contains("over the 10 MB limit"), "{said}");
}
