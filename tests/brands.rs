//! Every API generation end to end: the simulator serves one brand's document, the
//! provider is told the brand (`IDCLOUDHOST_BRAND`), and the resources that brand has
//! go through apply, an empty plan, an in-place update, drift, import and destroy.
//! What a brand lacks fails at plan time, naming the brand, with nothing sent.

mod common;

use common::*;
use idcloudhost_sim::Brand;
use serde_json::{json, Value};

const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4mvUhGz0qjzhd4FqzZb2NSMRGXCuQEBxV1aCsH7Xhd ops@brands";
const KEY_2: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB two";
/// A cloud-init document every generation takes (the oldest: JSON, runcmd/write_files).
const CLOUD_INIT: &str =
    r#"{"runcmd": ["touch /ready"], "write_files": [{"path": "/etc/motd", "content": "hello"}]}"#;

/// The stack every brand has: network, VM (one public key, cloud-init), disk and its
/// attachment, floating IP and its assignment, load balancer, bucket.
fn common_stack(vm_name: &str) -> String {
    let vm = "idcloudhost_vm.web.id";
    let lb_body = format!(
        "network_uuid = idcloudhost_network.app.id\n{}{}",
        hcl::forwarding_rule(80, 80),
        hcl::lb_target(vm)
    );
    [
        hcl::named("idcloudhost_network", "app", "brand-app", ""),
        format!(
            r#"
resource "idcloudhost_vm" "web" {{
  name              = "{vm_name}"
  os_name           = "ubuntu"
  os_version        = "24.04-lts"
  vcpu              = 1
  ram_mb            = 1024
  username          = "ops"
  public_keys       = ["{KEY}"]
  cloud_init        = {cloud_init}
  network_uuid      = idcloudhost_network.app.id
  reserve_public_ip = false
}}

resource "idcloudhost_disk" "data" {{
  size_gb = 30
}}
"#,
            cloud_init = serde_json::to_string(CLOUD_INIT).unwrap()
        ),
        hcl::disk_attachment("data", vm, "idcloudhost_disk.data.id"),
        hcl::named("idcloudhost_floating_ip", "web", "brand-web", ""),
        hcl::ip_assignment("web", "idcloudhost_floating_ip.web.address", vm),
        hcl::named("idcloudhost_load_balancer", "web", "brand-web", &lb_body),
        hcl::named(
            "idcloudhost_bucket",
            "assets",
            "brand-assets-${substr(idcloudhost_network.app.id, 0, 8)}",
            "",
        ),
    ]
    .concat()
}

/// What 3nv.io adds: a firewall on the VM and a managed PostgreSQL.
fn middle_extras() -> String {
    let firewall = r#"
resource "idcloudhost_firewall" "web" {
  name = "brand-web"

  rule {
    direction  = "inbound"
    protocol   = "tcp"
    port_start = 80
  }
}
"#;
    let database = r#"
resource "idcloudhost_service_package" "db" {
  name              = "brand-db"
  service           = "postgresql"
  version           = "14.0"
  vcpu              = 1
  ram_mb            = 1024
  disk_size_gb      = 20
  allowed_addresses = [idcloudhost_vm.web.private_ipv4]
}
"#;
    let attachment = hcl::firewall_attachment(
        "web",
        "idcloudhost_firewall.web.id",
        "idcloudhost_vm.web.id",
    );
    format!("{firewall}{attachment}{database}")
}

fn stack(brand: Brand, vm_name: &str) -> String {
    match brand {
        Brand::ThreeNv => hcl::with_provider(&(common_stack(vm_name) + &middle_extras())),
        _ => hcl::with_provider(&common_stack(vm_name)),
    }
}

/// A real account already has its default network, which is never deleted; give the
/// fresh simulator account one, so "nothing left" means nothing of the stack's.
fn with_default_network(env: &Env) {
    env.api().create_network("jkt01", "default");
}

fn list(env: &Env, path: &str) -> Vec<Value> {
    env.api().get_list(path)
}

/// Every list the stack's resources appear in, with how many items each holds.
fn inventory(env: &Env, brand: Brand) -> Vec<(&'static str, usize)> {
    let mut lists = vec![
        ("vms", "/v1/user-resource/vm/list"),
        ("disks", "/v1/storage/disks"),
        ("floating ips", "/v1/network/ip_addresses"),
        ("load balancers", "/v1/network/load_balancers"),
        ("buckets", "/v1/storage/bucket/list"),
    ];
    if brand == Brand::ThreeNv {
        lists.push(("firewalls", "/v1/network/firewalls"));
        lists.push(("service packages", "/v1/user-resource/service/packages"));
    }
    let mut counts: Vec<(&str, usize)> = lists
        .into_iter()
        .map(|(name, path)| (name, list(env, path).len()))
        .collect();
    let networks = list(env, "/v1/network/networks");
    let own = networks.iter().filter(|n| n["name"] != "default").count();
    counts.push(("networks besides the default", own));
    counts
}

fn guests(env: &Env) -> Vec<Value> {
    env.api().guests()
}

fn run_stack(brand: Brand, env: &Env) {
    with_default_network(env);
    env.write_config(&stack(brand, "brand-web"));

    // Apply, then an empty plan.
    env.apply();
    for (what, count) in inventory(env, brand) {
        let expected = match what {
            "disks" => 2,        // the VM's boot disk and the data disk
            "floating ips" => 2, // the VM's and the one the load balancer reserved
            _ => 1,
        };
        assert_eq!(count, expected, "{brand:?}: {what}");
    }
    let vm = env.resource("idcloudhost_vm.web");
    let guest = guests(env);
    assert_eq!(guest.len(), 1);
    assert_eq!(
        guest[0]["public_keys"],
        json!([KEY]),
        "{brand:?}: the key arrived"
    );
    assert_eq!(guest[0]["cloud_init"], json!(CLOUD_INIT));
    assert_eq!(guest[0]["uuid"], vm["id"]);
    let s3 = env.api().get("/v1/storage/api/s3")["url"].clone();
    assert_eq!(s3, json!(brand_s3(brand)));
    env.assert_no_changes();

    // One in-place update; applied, nothing is left to do.
    let assert_renamed_in_place = || {
        let plan = env.plan_check();
        assert_eq!(plan.action("idcloudhost_vm.web"), Action::Update);
        assert_eq!(
            plan.after("idcloudhost_vm.web")["name"],
            "brand-web-renamed"
        );
        env.apply();
        env.assert_no_changes();
    };
    env.write_config(&stack(brand, "brand-web-renamed"));
    assert_renamed_in_place();

    // Drift: renamed outside Terraform, put back.
    let uuid = vm["id"].as_str().unwrap().to_owned();
    env.api().patch_form(
        "/v1/user-resource/vm",
        &[("uuid", &uuid), ("name", "changed-outside")],
    );
    assert_renamed_in_place();

    // Import: forgotten, imported again, no changes.
    let mut imports = vec!["idcloudhost_network.app", "idcloudhost_disk.data"];
    if brand == Brand::ThreeNv {
        imports.push("idcloudhost_firewall.web");
    }
    for address in imports {
        let id = env.id_of(address);
        env.tf_ok(&["state", "rm", address]);
        env.tf_ok(&["import", "-no-color", "-input=false", address, &id]);
        assert_eq!(env.resource(address)["id"], json!(id));
    }
    env.assert_no_changes();

    // Destroy: nothing of the stack is left.
    env.destroy();
    for (what, count) in inventory(env, brand) {
        assert_eq!(count, 0, "{brand:?}: {what} left after destroy");
    }
}

fn brand_s3(brand: Brand) -> &'static str {
    match brand {
        Brand::Idcloudhost => "https://s3.idcloudhost.com:8080/",
        Brand::ThreeNv => "https://s3.3nv.io:8080/",
        Brand::Elastis => "https://s3.elastis.id:8080/",
    }
}

#[test]
fn elastis_stack_end_to_end() {
    run_stack(
        Brand::Elastis,
        &Env::for_brand(Brand::Elastis, terraform_binary()),
    );
}

#[test]
fn elastis_stack_end_to_end_terraform_1_0() {
    run_stack(
        Brand::Elastis,
        &Env::for_brand(Brand::Elastis, terraform_1_0_binary()),
    );
}

#[test]
fn threenv_stack_with_firewall_and_service_package_end_to_end() {
    run_stack(
        Brand::ThreeNv,
        &Env::for_brand(Brand::ThreeNv, terraform_binary()),
    );
}

/// A configuration a brand lacks something of: the plan fails naming the brand, what
/// is missing and the brands that have it, and nothing is written.
fn assert_refused(env: &Env, config: &str, expected: &[&str]) {
    env.api().clear_requests();
    env.write_config(&format!("provider \"idcloudhost\" {{}}\n{config}"));
    let plan = env.plan();
    assert_eq!(plan.code, 1, "{config}\n{}", plan.all());
    // Terraform wraps long diagnostics: compare with whitespace collapsed.
    let text = plan.folded();
    for fragment in expected {
        assert!(
            text.contains(fragment),
            "missing {fragment:?} for {config}\nin: {text}"
        );
    }
    assert!(env.api().writes().is_empty(), "nothing sent for {config}");
}

/// Another brand's API behind a host the provider does not know, `brand` unset:
/// the API's "no route" is blamed on the brand, not on the location, and the
/// error says which `brand` to set.
#[test]
fn a_brand_mismatch_suggests_setting_brand() {
    let env = Env::serving_brand_unannounced(Brand::Elastis, terraform_binary());
    for config in [
        r#"data "idcloudhost_boot_images" "x" {}"#,
        r#"data "idcloudhost_firewalls" "x" {}"#,
    ] {
        env.write_config(&format!("provider \"idcloudhost\" {{}}\n{config}"));
        let plan = env.plan();
        assert_eq!(plan.code, 1, "{config}\n{}", plan.all());
        let text = plan.folded();
        assert!(text.contains("no route"), "the API's message: {text}");
        assert!(
            text.contains("set the provider's `brand`") && text.contains("brand = \"elastis\""),
            "suggests the brand: {text}"
        );
        assert!(
            !text.contains("location slug"),
            "the location is not blamed: {text}"
        );
    }
}

fn vm(extra: &str) -> String {
    format!(
        r#"resource "idcloudhost_vm" "x" {{
  name    = "x"
  vcpu    = 1
  ram_mb  = 1024
{extra}
}}"#
    )
}

const UBUNTU: &str = "  os_name = \"ubuntu\"\n  os_version = \"24.04-lts\"";

#[test]
fn elastis_refuses_at_plan_what_its_api_lacks() {
    let env = Env::for_brand(Brand::Elastis, terraform_binary());
    let newer = "Available on IDCloudHost (brand = \"idcloudhost\") and 3nv.io (brand = \"3nv\")";
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            r#"resource "idcloudhost_firewall" "x" { name = "x" }"#.into(),
            vec![
                "idcloudhost_firewall is not available on elastis.id",
                "Firewalls are not available",
                newer,
            ],
        ),
        (
            r#"resource "idcloudhost_service_package" "x" {
  name = "x"
  service = "postgresql"
  version = "14.0"
  vcpu = 1
  ram_mb = 1024
  disk_size_gb = 20
}"#
            .into(),
            vec![
                "idcloudhost_service_package is not available on elastis.id",
                newer,
            ],
        ),
        (
            r#"data "idcloudhost_boot_images" "x" {}"#.into(),
            vec!["Boot images are not available on elastis.id", newer],
        ),
        (
            r#"resource "idcloudhost_disk" "x" {
  size_gb = 10
  name = "data"
}"#
            .into(),
            vec![
                "Invalid value for name",
                "Disk names are not available on elastis.id",
                newer,
            ],
        ),
        (
            r#"resource "idcloudhost_disk" "x" {
  size_gb = 10
  read_only_bootable = true
}"#
            .into(),
            vec![
                "Invalid value for read_only_bootable",
                "Read-only bootable disks are not available on elastis.id",
                newer,
            ],
        ),
        (
            vm("  os_name = \"_custom\"\n  os_version = \"_\""),
            vec![
                "Invalid value for os_name",
                "VMs with an empty disk are not available on elastis.id",
                newer,
            ],
        ),
        (
            vm(&format!(
                "{UBUNTU}\n  cloud_init = \"#cloud-config\\nruncmd: [ls]\\n\""
            )),
            vec![
                "Invalid value for cloud_init",
                "are not available on elastis.id",
                newer,
            ],
        ),
        (
            vm(&format!(
                "{UBUNTU}\n  cloud_init = jsonencode({{users = []}})"
            )),
            vec!["Invalid value for cloud_init", "runcmd and write_files"],
        ),
        (
            vm(&format!(
                "{UBUNTU}\n  username = \"ops\"\n  public_keys = [\"{KEY}\", \"{KEY_2}\"]"
            )),
            vec![
                "Invalid value for public_keys",
                "not available on elastis.id",
                "Available on IDCloudHost (brand = \"idcloudhost\").",
            ],
        ),
        (
            SSH_KEY_X.into(),
            vec![
                "idcloudhost_ssh_key is not available on elastis.id",
                "Available on IDCloudHost",
            ],
        ),
    ];
    for (config, expected) in cases {
        assert_refused(&env, &config, &expected);
    }
}

/// An SSH key, which only the newest generation has.
const SSH_KEY_X: &str = r#"resource "idcloudhost_ssh_key" "x" {
  name = "x"
  public_key = "ssh-ed25519 AAAA x"
}"#;

#[test]
fn threenv_refuses_at_plan_what_only_idcloudhost_has() {
    let env = Env::for_brand(Brand::ThreeNv, terraform_binary());
    let newest = "Available on IDCloudHost (brand = \"idcloudhost\").";
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            SSH_KEY_X.into(),
            vec![
                "idcloudhost_ssh_key is not available on 3nv.io",
                "SSH keys are not available on 3nv.io",
                newest,
            ],
        ),
        (
            vm(&format!("{UBUNTU}\n  ssh_key_ids = [\"abc\"]")),
            vec![
                "Invalid value for ssh_key_ids",
                "SSH keys are not available on 3nv.io",
                newest,
            ],
        ),
        (
            vm(&format!(
                "{UBUNTU}\n  username = \"ops\"\n  public_keys = [\"{KEY}\", \"{KEY_2}\"]"
            )),
            vec![
                "Invalid value for public_keys",
                "not available on 3nv.io",
                newest,
            ],
        ),
    ];
    for (config, expected) in cases {
        assert_refused(&env, &config, &expected);
    }
    // An import of what the brand lacks is refused the same way, with no request.
    env.api().clear_requests();
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\nresource \"idcloudhost_ssh_key\" \"x\" {{\n  name = \"x\"\n  public_key = \"{KEY}\"\n}}"
    ));
    let import = env.import("idcloudhost_ssh_key.x", "abc");
    import.assert_failed();
    let text = import.folded();
    assert!(
        text.contains("Importing ssh_key: idcloudhost_ssh_key is not available on 3nv.io"),
        "{text}"
    );
    assert!(env.api().requests().is_empty(), "nothing sent");
    // What 3nv.io has and elastis.id lacks plans fine.
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{}\nresource \"idcloudhost_disk\" \"d\" {{\n  size_gb = 10\n  name = \"data\"\n}}\ndata \"idcloudhost_boot_images\" \"b\" {{}}",
        vm("  os_name = \"_custom\"\n  os_version = \"_\"\n  cloud_init = \"#cloud-config\\nruncmd: [ls]\\n\"")
    ));
    let plan = env.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
}

#[test]
fn elastis_disk_snapshots_read_from_size_gb_camel_case() {
    let env = Env::for_brand(Brand::Elastis, terraform_binary());
    env.apply_config(
        "provider \"idcloudhost\" {}\nresource \"idcloudhost_disk\" \"d\" {\n  size_gb = 25\n}",
    );
    let uuid = env.id_of("idcloudhost_disk.d");
    env.api()
        .post_form(&format!("/v1/storage/disks/{uuid}/snapshots"), &[]);
    let raw = env.api().get(&format!("/v1/storage/disks/{uuid}"));
    assert_eq!(
        raw["snapshots"][0]["sizeGb"],
        json!(25),
        "the oldest spelling: {raw}"
    );
    env.refresh_only();
    let disk = env.resource("idcloudhost_disk.d");
    assert_eq!(disk["snapshots"][0]["size_gb"], json!(25), "{disk}");
    assert_eq!(disk["name"], Value::Null);
    env.destroy();
}

#[test]
fn unset_brand_on_an_unknown_host_speaks_the_newest() {
    // The simulator in elastis.id mode under its own host, brand unset: the provider
    // takes the host for the newest generation, and the simulator refuses what
    // elastis.id lacks with the live "no route" answer, which the plan reports.
    let mut env = Env::with_terraform(terraform_binary());
    env.sim = idcloudhost_sim::Simulator::start(idcloudhost_sim::SimConfig {
        brand: Brand::Elastis,
        ..Default::default()
    })
    .unwrap();
    env.write_config("provider \"idcloudhost\" {}\ndata \"idcloudhost_boot_images\" \"b\" {}");
    env.assert_plan_fails_with(&["no route"]);
    // Told the brand, it refuses before asking.
    env.env("IDCLOUDHOST_BRAND", "elastis");
    env.api().clear_requests();
    let plan = env.plan();
    assert_eq!(plan.code, 1);
    plan.assert_mentions("Boot images are not available on elastis.id");
    assert!(
        !env.api()
            .requests()
            .iter()
            .any(|(_, path, _)| path.contains("boot_images")),
        "not asked"
    );
}
