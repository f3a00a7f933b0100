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

use common::{hcl, terraform_1_0_binary, Action, Env, PROVIDER_SOURCE};
use serde_json::Value;

const BAPUNG: &str = "registry.terraform.io/bapung/idcloudhost";
const TELITI: &str = "registry.terraform.io/teliti-dev/idcloudhost";
const RIZALMF: &str = "registry.terraform.io/rizalmf/idcloudhost";
const WARREN: &str = "registry.terraform.io/warrenio/warren";
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
    let check = env.plan_check();
    let plan = &check.json;
    let mut moved: Vec<(String, String)> = Vec::new();
    for address in check.addresses() {
        let change = check.change(&address);
        assert_eq!(
            check.action(&address),
            Action::NoOp,
            "{address}: {}",
            change["change"]
        );
        if let Some(from) = change["previous_address"].as_str() {
            moved.push((from.to_owned(), address.clone()));
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
    bapung_objects_in(env, "jkt01")
}

fn bapung_objects_in(env: &Env, location: &str) -> Vec<(&'static str, String)> {
    let api = env.api();
    api.create_network(location, "default");
    let vm = api.create_vm(
        location,
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
    hcl::small_vm(
        name,
        "web",
        r#"disk_size_gb      = 20
  username          = "ops"
  password          = "Secret123"
  reserve_public_ip = false"#,
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

/// Makes simulator objects with this provider (`config`), then forgets them
/// (no state left): they stand for what a community provider made. The state
/// that applying `config` left, as `show -json` resources.
fn make_objects(env: &Env, config: &str) -> Vec<Value> {
    env.apply_config(&format!("provider \"idcloudhost\" {{}}\n{config}"));
    let resources = env.show()["values"]["root_module"]["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    std::fs::remove_file(env.path().join("terraform.tfstate")).unwrap();
    resources
}

fn value_of(resources: &[Value], address: &str, attr: &str) -> String {
    let resource = resources
        .iter()
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("{address} in {resources:?}"));
    match &resource["values"][attr] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A default network and an `app` network, and a VM (no public address) in `app`:
/// placeholders NET, VM, BOOT_DISK, POOL, POOL_NAME, BILLING, USER.
fn vm_in_network(env: &Env) -> Vec<(&'static str, String)> {
    let api = env.api();
    api.create_network("jkt01", "default");
    let net = api.create_network("jkt01", "app");
    let vm = api.create_vm(
        "jkt01",
        "web",
        &[
            ("username", "ops"),
            ("password", "Secret123"),
            ("network_uuid", net.as_str()),
        ],
    );
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    vec![
        ("NET", net.clone()),
        ("VM", text(&vm["uuid"])),
        ("BOOT_DISK", text(&vm["storage"][0]["uuid"])),
        ("POOL", text(&vm["designated_pool_uuid"])),
        ("POOL_NAME", text(&vm["designated_pool_name"])),
        ("BILLING", api.billing_account_ids()[0].to_string()),
        ("USER", "4242".to_owned()),
    ]
}

fn lookup(values: &[(&str, String)], name: &str) -> String {
    values
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("no {name}"))
}

/// Our VM `web` in network `net`, without a public address of its own.
fn our_vm_in(name: &str, net: &str, password: bool) -> String {
    let password = if password {
        "password          = \"Secret123\""
    } else {
        ""
    };
    hcl::small_vm(
        name,
        "web",
        &format!(
            r#"disk_size_gb      = 20
  username          = "ops"
  {password}
  network_uuid      = "{net}"
  reserve_public_ip = false"#
        ),
    )
}

fn moved_block(from: &str, to: &str) -> String {
    format!("\nmoved {{\n  from = {from}\n  to   = {to}\n}}\n")
}

/// bapung's `idcloudhost_vm_disks` is a disk and its attachment here: the disk
/// moves, the attachment is imported by their id (`<vm>/<disk>`).
#[test]
fn bapung_vm_disks_moves_as_a_disk_and_its_attachment_is_imported() {
    let env = Env::new();
    install_stand_ins(&env, &[BAPUNG]);
    let mut values = bapung_objects(&env);
    let vm = lookup(&values, "VM");
    let made = make_objects(
        &env,
        &format!(
            r#"
resource "idcloudhost_disk" "data" {{
  name    = "data"
  size_gb = 30
}}
resource "idcloudhost_disk_attachment" "data" {{
  vm_uuid   = "{vm}"
  disk_uuid = idcloudhost_disk.data.id
}}
"#
        ),
    );
    let disk = value_of(&made, "idcloudhost_disk.data", "id");
    values.push(("DISK", disk.clone()));
    write_state(
        &env,
        "bapung.tfstate",
        &values,
        &["idcloudhost_vm_disks.data"],
    );
    env.write_config(&format!(
        r#"provider "idcloudhost" {{}}
resource "idcloudhost_disk" "data" {{
  name    = "data"
  size_gb = 30
}}
resource "idcloudhost_disk_attachment" "data" {{
  vm_uuid   = "{vm}"
  disk_uuid = idcloudhost_disk.data.id
}}
import {{
  to = idcloudhost_disk_attachment.data
  id = "{vm}/{disk}"
}}
{}"#,
        moved_block("idcloudhost_vm_disks.data", "idcloudhost_disk.data")
    ));
    assert_only_moves(
        &env,
        &[("idcloudhost_vm_disks.data", "idcloudhost_disk.data")],
    );
    assert_eq!(env.resource("idcloudhost_disk.data")["location"], "jkt01");
}

/// bapung's VM and floating IP after `state replace-provider`; the floating
/// IP's stored `billing_account_id` (their user id) is not carried.
fn bapung_after_replace_provider(env: Env) {
    install_stand_ins(&env, &[BAPUNG]);
    let mut values = bapung_objects(&env);
    let made = make_objects(
        &env,
        "resource \"idcloudhost_floating_ip\" \"edge\" {\n  name = \"edge\"\n}\n",
    );
    values.push((
        "IP",
        value_of(&made, "idcloudhost_floating_ip.edge", "address"),
    ));
    write_state(
        &env,
        "bapung.tfstate",
        &values,
        &["idcloudhost_vm.web", "idcloudhost_floating_ip.edge"],
    );
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{}\nresource \"idcloudhost_floating_ip\" \"edge\" {{\n  name = \"edge\"\n}}\n",
        our_vm("web")
    ));
    replace_provider(&env, BAPUNG);
    assert_only_moves(&env, &[]);
    let vm = env.resource("idcloudhost_vm.web");
    assert_eq!(vm["location"], "jkt01", "{vm}");
    assert_eq!(vm["reserve_public_ip"], false);
    let ip = env.resource("idcloudhost_floating_ip.edge");
    assert_eq!(ip["location"], "jkt01", "{ip}");
    assert_eq!(
        ip["billing_account_id"].to_string(),
        lookup(&values, "BILLING")
    );
}

#[test]
fn bapung_vm_and_floating_ip_after_replace_provider_on_terraform_1_15() {
    bapung_after_replace_provider(Env::new());
}

#[test]
fn bapung_vm_and_floating_ip_after_replace_provider_on_terraform_1_0() {
    bapung_after_replace_provider(Env::with_terraform(terraform_1_0_binary()));
}

/// rizalmf's objects: the VM in network `app`, and a floating IP assigned to it
/// (their VM's `float_ip_address`). Placeholders as `vm_in_network`, plus IP.
fn rizalmf_objects(env: &Env) -> Vec<(&'static str, String)> {
    let mut values = vm_in_network(env);
    let vm = lookup(&values, "VM");
    let made = make_objects(
        env,
        &format!(
            r#"
resource "idcloudhost_floating_ip" "edge" {{
  name = "edge"
}}
resource "idcloudhost_floating_ip_assignment" "edge" {{
  address = idcloudhost_floating_ip.edge.address
  vm_uuid = "{vm}"
}}
"#
        ),
    );
    values.push((
        "IP",
        value_of(&made, "idcloudhost_floating_ip.edge", "address"),
    ));
    values
}

const RIZALMF_RESOURCES: &[&str] = &[
    "idcloudhost_private_network.app",
    "idcloudhost_vm.web",
    "idcloudhost_float_ip.edge",
];

/// Our configuration for rizalmf's objects, with the assignment (their VM's
/// `float_ip_address`) adopted by an import block.
fn rizalmf_config(values: &[(&str, String)], vm_name: &str, extra: &str) -> String {
    let net = lookup(values, "NET");
    let ip = lookup(values, "IP");
    format!(
        r#"provider "idcloudhost" {{}}
resource "idcloudhost_network" "app" {{
  name = "app"
}}
{}
resource "idcloudhost_floating_ip" "edge" {{
  name = "edge"
}}
resource "idcloudhost_floating_ip_assignment" "edge" {{
  address = idcloudhost_floating_ip.edge.address
  vm_uuid = idcloudhost_vm.{vm_name}.id
}}
import {{
  to = idcloudhost_floating_ip_assignment.edge
  id = "{ip}"
}}
{extra}"#,
        our_vm_in(vm_name, &net, true)
    )
}

#[test]
fn rizalmf_network_vm_and_floating_ip_move_across_providers() {
    let env = Env::new();
    install_stand_ins(&env, &[RIZALMF]);
    let values = rizalmf_objects(&env);
    write_state(&env, "rizalmf.tfstate", &values, RIZALMF_RESOURCES);
    let moves = [
        ("idcloudhost_private_network.app", "idcloudhost_network.app"),
        ("idcloudhost_vm.web", "idcloudhost_vm.app"),
        ("idcloudhost_float_ip.edge", "idcloudhost_floating_ip.edge"),
    ];
    let blocks: String = moves.iter().map(|(a, b)| moved_block(a, b)).collect();
    env.write_config(&rizalmf_config(&values, "app", &blocks));
    assert_only_moves(&env, &moves);
    let vm = env.resource("idcloudhost_vm.app");
    assert_eq!(vm["location"], "jkt01", "{vm}");
    assert_eq!(vm["public_ipv4"], lookup(&values, "IP").as_str());
}

/// After `state replace-provider`, rizalmf's VM upgrades in place; its
/// `idcloudhost_float_ip` (a type name we lack) still needs a moved block.
#[test]
fn rizalmf_vm_and_floating_ip_after_replace_provider_on_terraform_1_15() {
    let env = Env::new();
    install_stand_ins(&env, &[RIZALMF]);
    let values = rizalmf_objects(&env);
    write_state(&env, "rizalmf.tfstate", &values, &RIZALMF_RESOURCES[1..]);
    let extra = moved_block("idcloudhost_float_ip.edge", "idcloudhost_floating_ip.edge");
    let config = rizalmf_config(&values, "web", &extra).replace(
        "resource \"idcloudhost_network\" \"app\" {\n  name = \"app\"\n}\n",
        "",
    );
    env.write_config(&config);
    replace_provider(&env, RIZALMF);
    assert_only_moves(
        &env,
        &[("idcloudhost_float_ip.edge", "idcloudhost_floating_ip.edge")],
    );
    assert_eq!(env.resource("idcloudhost_vm.web")["location"], "jkt01");
}

/// Terraform 1.0 has no cross-type moves: the VM comes over by replace-provider.
#[test]
fn rizalmf_vm_after_replace_provider_on_terraform_1_0() {
    let env = Env::with_terraform(terraform_1_0_binary());
    install_stand_ins(&env, &[RIZALMF]);
    let mut values = vm_in_network(&env);
    // No floating IP: SDKv2 stores the unset `float_ip_address` as "".
    values.push(("IP", String::new()));
    write_state(&env, "rizalmf.tfstate", &values, &["idcloudhost_vm.web"]);
    let net = lookup(&values, "NET");
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{}",
        our_vm_in("web", &net, true)
    ));
    replace_provider(&env, RIZALMF);
    assert_only_moves(&env, &[]);
    assert_eq!(
        env.resource("idcloudhost_vm.web")["network_uuid"],
        net.as_str()
    );
}

/// teliti's firewall and load balancer, made through the API by this provider.
fn teliti_objects(env: &Env) -> Vec<(&'static str, String)> {
    let api = env.api();
    api.create_network("jkt01", "default");
    let net = api.create_network("jkt01", "app");
    let made = make_objects(env, &teliti_resources(&net));
    let fw = value_of(&made, "idcloudhost_firewall.web", "id");
    let lb = value_of(&made, "idcloudhost_load_balancer.web", "id");
    vec![
        ("NET", net),
        ("FW", fw),
        ("FW_RULE_1", "a1".to_owned()),
        ("FW_RULE_2", "a2".to_owned()),
        ("LB", lb),
        ("LB_RULE", "r1".to_owned()),
        (
            "LB_PRIVATE",
            value_of(&made, "idcloudhost_load_balancer.web", "private_address"),
        ),
        ("BILLING", api.billing_account_ids()[0].to_string()),
        ("USER", "4242".to_owned()),
    ]
}

/// The firewall both teliti's and CloudAxion's configurations hold: SSH from one
/// network, HTTPS from anywhere.
const WEB_FIREWALL: &str = r#"
resource "idcloudhost_firewall" "web" {
  name = "web"
  rule {
    direction   = "inbound"
    protocol    = "tcp"
    port_start  = 22
    ip_prefixes = ["203.0.113.0/24"]
  }
  rule {
    direction  = "inbound"
    protocol   = "tcp"
    port_start = 443
  }
}
"#;

/// Our configuration of teliti's firewall and load balancer.
fn teliti_resources(net: &str) -> String {
    format!(
        r#"{WEB_FIREWALL}
resource "idcloudhost_load_balancer" "web" {{
  name              = "web"
  network_uuid      = "{net}"
  reserve_public_ip = false
  forwarding_rule {{
    source_port = 80
    target_port = 8080
  }}
}}
"#
    )
}

fn teliti_after_replace_provider(env: Env, with_load_balancer: bool) {
    install_stand_ins(&env, &[TELITI]);
    let values = teliti_objects(&env);
    let net = lookup(&values, "NET");
    let (keep, config, moves): (&[&str], String, Vec<(&str, &str)>) = if with_load_balancer {
        (
            &["idcloudhost_firewall.web", "idcloudhost_loadbalancer.web"],
            format!(
                "{}{}",
                teliti_resources(&net),
                moved_block(
                    "idcloudhost_loadbalancer.web",
                    "idcloudhost_load_balancer.web"
                )
            ),
            vec![(
                "idcloudhost_loadbalancer.web",
                "idcloudhost_load_balancer.web",
            )],
        )
    } else {
        let firewall_only = teliti_resources(&net);
        let firewall_only = &firewall_only[..firewall_only
            .find("resource \"idcloudhost_load_balancer\"")
            .unwrap()];
        (
            &["idcloudhost_firewall.web"],
            firewall_only.to_owned(),
            vec![],
        )
    };
    write_state(&env, "teliti-dev.tfstate", &values, keep);
    env.write_config(&format!("provider \"idcloudhost\" {{}}\n{config}"));
    replace_provider(&env, TELITI);
    assert_only_moves(&env, &moves);
    let fw = env.resource("idcloudhost_firewall.web");
    assert_eq!(fw["location"], "jkt01", "{fw}");
    assert_eq!(fw["rule"].as_array().map(Vec::len), Some(2), "{fw}");
}

/// The firewall upgrades in place; `idcloudhost_loadbalancer` (a type name we
/// spell `idcloudhost_load_balancer`) needs a moved block after replace-provider.
#[test]
fn teliti_firewall_and_load_balancer_after_replace_provider_on_terraform_1_15() {
    teliti_after_replace_provider(Env::new(), true);
}

#[test]
fn teliti_firewall_after_replace_provider_on_terraform_1_0() {
    teliti_after_replace_provider(Env::with_terraform(terraform_1_0_binary()), false);
}

#[test]
fn teliti_load_balancer_moves_across_providers() {
    let env = Env::new();
    install_stand_ins(&env, &[TELITI]);
    let values = teliti_objects(&env);
    let net = lookup(&values, "NET");
    write_state(
        &env,
        "teliti-dev.tfstate",
        &values,
        &["idcloudhost_loadbalancer.web"],
    );
    let config = teliti_resources(&net);
    let lb_only = &config[config
        .find("resource \"idcloudhost_load_balancer\"")
        .unwrap()..];
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{lb_only}{}",
        moved_block(
            "idcloudhost_loadbalancer.web",
            "idcloudhost_load_balancer.web"
        )
    ));
    assert_only_moves(
        &env,
        &[(
            "idcloudhost_loadbalancer.web",
            "idcloudhost_load_balancer.web",
        )],
    );
    let lb = env.resource("idcloudhost_load_balancer.web");
    assert_eq!(lb["reserve_public_ip"], false, "{lb}");
    assert_eq!(lb["location"], "jkt01", "{lb}");
}

#[test]
fn warren_vm_and_floating_ip_move_across_providers() {
    let env = Env::new();
    install_stand_ins(&env, &[WARREN]);
    let mut values = vm_in_network(&env);
    let made = make_objects(
        &env,
        "resource \"idcloudhost_floating_ip\" \"edge\" {\n  name = \"edge\"\n}\n",
    );
    values.push((
        "IP",
        value_of(&made, "idcloudhost_floating_ip.edge", "address"),
    ));
    write_state(
        &env,
        "warren.tfstate",
        &values,
        &["warren_virtual_machine.web", "warren_floating_ip.edge"],
    );
    let net = lookup(&values, "NET");
    let moves = [
        ("warren_virtual_machine.web", "idcloudhost_vm.web"),
        ("warren_floating_ip.edge", "idcloudhost_floating_ip.edge"),
    ];
    let blocks: String = moves.iter().map(|(a, b)| moved_block(a, b)).collect();
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{}\nresource \"idcloudhost_floating_ip\" \"edge\" {{\n  name = \"edge\"\n}}\n{blocks}",
        our_vm_in("web", &net, false)
    ));
    assert_only_moves(&env, &moves);
    assert_eq!(
        env.resource("idcloudhost_floating_ip.edge")["id"],
        lookup(&values, "IP").as_str()
    );
}

#[test]
fn cloudaxion_vm_moves_across_providers() {
    let env = Env::new();
    install_stand_ins(&env, &[CLOUDAXION]);
    let values = vm_in_network(&env);
    write_state(&env, "cloudaxion.tfstate", &values, &["cloudaxion_vm.web"]);
    let net = lookup(&values, "NET");
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{}{}",
        our_vm_in("web", &net, true),
        moved_block("cloudaxion_vm.web", "idcloudhost_vm.web")
    ));
    assert_only_moves(&env, &[("cloudaxion_vm.web", "idcloudhost_vm.web")]);
    assert_eq!(
        env.resource("idcloudhost_vm.web")["reserve_public_ip"],
        false
    );
}

/// A source with no converter is refused at plan, naming the import to use.
#[test]
fn an_unsupported_source_is_refused_with_the_import_id() {
    let env = Env::new();
    install_stand_ins(&env, &[WARREN]);
    let values = vm_in_network(&env);
    write_state(
        &env,
        "warren.tfstate",
        &values,
        &["warren_virtual_machine.web"],
    );
    let net = lookup(&values, "NET");
    // A VM is not a disk.
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{}\nresource \"idcloudhost_disk\" \"web\" {{\n  size_gb = 20\n}}\n{}",
        our_vm_in("other", &net, false),
        moved_block("warren_virtual_machine.web", "idcloudhost_disk.web")
    ));
    env.api().clear_requests();
    let plan = env.tf(&["plan", "-no-color", "-input=false"]);
    plan.assert_failed();
    let text = plan.folded();
    assert!(text.contains("Unsupported move source"), "{text}");
    // The import block that adopts it instead, with the exact ID.
    let vm = lookup(&values, "VM");
    assert!(
        text.contains("import { to = idcloudhost_vm.<name> id = ")
            && (text.contains(&format!("id = \"{vm}\""))
                || text.contains(&format!("id = \"jkt01/{vm}\""))),
        "{text}"
    );
    assert_eq!(env.api().writes(), Vec::new());
}

/// Every guide's example (`examples/migrate/<provider>/main.tf`) is valid
/// against the provider's schema, moved and import blocks included.
#[test]
fn every_migration_example_validates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/migrate");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["bapung", "cloudaxion", "rizalmf", "teliti-dev", "warren"],
        "an example per guide"
    );
    for name in names {
        let env = Env::new();
        std::fs::copy(root.join(&name).join("main.tf"), env.path().join("main.tf")).unwrap();
        let result = env.tf(&["validate", "-no-color"]);
        assert_eq!(result.code, 0, "{name}:\n{}", result.all());
        let guide = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("docs/guides/migrate-from-{name}.md"));
        let text = std::fs::read_to_string(&guide)
            .unwrap_or_else(|_| panic!("{} exists", guide.display()));
        assert!(
            text.contains(&format!("examples/migrate/{name}")),
            "{} links its example",
            guide.display()
        );
    }
}

/// bapung's state has no location: the first read looks in the provider's
/// location (here the account's default, jkt01), then in every other one, and
/// records where the VM is; nothing moves or is replaced.
#[test]
fn a_state_without_location_is_found_in_another_location() {
    let env = Env::new();
    install_stand_ins(&env, &[BAPUNG]);
    let values = bapung_objects_in(&env, "sgp01");
    write_state(&env, "bapung.tfstate", &values, &["idcloudhost_vm.web"]);
    env.write_config(&format!("provider \"idcloudhost\" {{}}\n{}", our_vm("web")));
    replace_provider(&env, BAPUNG);
    assert_only_moves(&env, &[]);
    let vm = env.resource("idcloudhost_vm.web");
    assert_eq!(vm["location"], "sgp01", "{vm}");
    assert_eq!(vm["id"], lookup(&values, "VM").as_str());
}

/// CloudAxion's firewall and its attachment (id `firewall:vm`) move with the VM.
#[test]
fn cloudaxion_firewall_and_attachment_move_across_providers() {
    let env = Env::new();
    install_stand_ins(&env, &[CLOUDAXION]);
    let mut values = vm_in_network(&env);
    let vm = lookup(&values, "VM");
    let attachment =
        hcl::firewall_attachment("web", "idcloudhost_firewall.web.id", &hcl::quoted(&vm));
    let firewall = format!("{WEB_FIREWALL}{attachment}");
    let made = make_objects(&env, &firewall);
    values.push(("FW", value_of(&made, "idcloudhost_firewall.web", "id")));
    values.push(("FW_RULE_1", "r1".to_owned()));
    values.push(("FW_RULE_2", "r2".to_owned()));
    write_state(
        &env,
        "cloudaxion.tfstate",
        &values,
        &[
            "cloudaxion_firewall.web",
            "cloudaxion_firewall_attachment.web",
        ],
    );
    let moves = [
        ("cloudaxion_firewall.web", "idcloudhost_firewall.web"),
        (
            "cloudaxion_firewall_attachment.web",
            "idcloudhost_firewall_attachment.web",
        ),
    ];
    let blocks: String = moves.iter().map(|(a, b)| moved_block(a, b)).collect();
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\n{firewall}{blocks}"
    ));
    assert_only_moves(&env, &moves);
    let attachment = env.resource("idcloudhost_firewall_attachment.web");
    assert_eq!(
        attachment["id"],
        format!("jkt01/{}/{vm}", lookup(&values, "FW")).as_str()
    );
}
