//! A whole stack under injected faults (seeded): transient 429/503 on every call,
//! and lost answers to writes whose effect lands while other requests are served.
//! Every apply succeeds on its first try, with no duplicate and nothing untracked;
//! every destroy completes.

mod common;

use common::{hcl, Action, Env};
use serde_json::{json, Value};

const VMS: usize = 6;
const FLOATING_IPS: usize = 3;
const DISKS: usize = 4;
const FIREWALLS: usize = 3;
/// Every resource of the stack.
const RESOURCES: usize = 2 + VMS + 2 * FLOATING_IPS + 2 * DISKS + FIREWALLS + VMS + 1;

/// 32 resources: a network, an SSH key, 6 VMs, 3 floating IPs with their
/// assignments, 4 disks with their attachments, 3 firewalls each attached to two
/// VMs, a load balancer in front of the VMs.
fn stack() -> String {
    stack_with(&Sizing::default())
}

/// What an in-place update of the stack changes.
struct Sizing {
    vcpu: i64,
    /// The firewalls' port (a change is a `PUT` of each).
    port: i64,
    /// `power_state` of the first VM (the others run).
    first_vm: &'static str,
}

impl Default for Sizing {
    fn default() -> Self {
        Sizing {
            vcpu: 1,
            port: 80,
            first_vm: "running",
        }
    }
}

fn stack_with(sizing: &Sizing) -> String {
    let Sizing {
        vcpu,
        port,
        first_vm,
    } = sizing;
    format!(
        r#"
provider "idcloudhost" {{
  max_retries = 10
}}

resource "idcloudhost_network" "app" {{
  name = "fault-app"
}}

resource "idcloudhost_ssh_key" "ops" {{
  name       = "fault-ops"
  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4mvUhGz0qjzhd4FqzZb2NSMRGXCuQEBxV1aCsH7Xhd ops@fault"
}}

resource "idcloudhost_vm" "web" {{
  count             = {VMS}
  name              = "fault-web-${{count.index}}"
  os_name           = "ubuntu"
  os_version        = "22.04-lts"
  vcpu              = {vcpu}
  ram_mb            = 1024
  disk_size_gb      = 20
  network_uuid      = idcloudhost_network.app.id
  ssh_key_ids       = [idcloudhost_ssh_key.ops.id]
  reserve_public_ip = false
  power_state       = count.index == 0 ? "{first_vm}" : "running"
}}

resource "idcloudhost_floating_ip" "web" {{
  count = {FLOATING_IPS}
  name  = "fault-ip-${{count.index}}"
}}

resource "idcloudhost_floating_ip_assignment" "web" {{
  count   = {FLOATING_IPS}
  address = idcloudhost_floating_ip.web[count.index].address
  vm_uuid = idcloudhost_vm.web[count.index].id
}}

resource "idcloudhost_disk" "data" {{
  count   = {DISKS}
  name    = "fault-data-${{count.index}}"
  size_gb = 20
}}

resource "idcloudhost_disk_attachment" "data" {{
  count     = {DISKS}
  vm_uuid   = idcloudhost_vm.web[count.index].id
  disk_uuid = idcloudhost_disk.data[count.index].id
}}

resource "idcloudhost_firewall" "web" {{
  count = {FIREWALLS}
  name  = "fault-web-${{count.index}}"
  rule {{
    direction  = "inbound"
    protocol   = "tcp"
    port_start = {port}
  }}
}}

resource "idcloudhost_firewall_attachment" "web" {{
  count         = {VMS}
  firewall_uuid = idcloudhost_firewall.web[count.index % {FIREWALLS}].id
  vm_uuid       = idcloudhost_vm.web[count.index].id
}}

resource "idcloudhost_load_balancer" "web" {{
  name              = "fault-lb"
  network_uuid      = idcloudhost_network.app.id
  reserve_public_ip = false

  forwarding_rule {{
    source_port = 80
    target_port = 80
  }}

  dynamic "target" {{
    for_each = idcloudhost_vm.web
    content {{
      target_uuid = target.value.id
    }}
  }}
}}
"#
    )
}

fn list(env: &Env, path: &str) -> Vec<Value> {
    env.api().get_list(path)
}

fn live<'a>(items: &'a [Value], flag: &str) -> Vec<&'a Value> {
    items
        .iter()
        .filter(|i| !i[flag].as_bool().unwrap_or(false))
        .collect()
}

/// What the account holds: (VMs, networks, floating IPs, data disks, firewalls,
/// load balancers, SSH keys, firewall assignments, attached data disks).
fn account(env: &Env) -> [usize; 9] {
    let vms = list(env, "/v1/jkt01/user-resource/vm/list");
    let ips = list(env, "/v1/jkt01/network/ip_addresses");
    let disks = list(env, "/v1/jkt01/storage/disks");
    let data_disks: Vec<&Value> = disks
        .iter()
        .filter(|d| d["source_image_type"] == "EMPTY")
        .collect();
    let firewalls = list(env, "/v1/jkt01/network/firewalls");
    let lbs = list(env, "/v1/jkt01/network/load_balancers");
    let attached = vms
        .iter()
        .flat_map(|vm| vm["storage"].as_array().cloned().unwrap_or_default())
        .filter(|s| {
            data_disks
                .iter()
                .any(|d| d["uuid"].as_str() == s["uuid"].as_str())
        })
        .count();
    let assignments = firewalls
        .iter()
        .map(|f| f["resources_assigned"].as_array().map_or(0, Vec::len))
        .sum();
    [
        vms.len(),
        list(env, "/v1/jkt01/network/networks").len(),
        live(&ips, "is_deleted").len(),
        data_disks.len(),
        firewalls.len(),
        live(&lbs, "is_deleted").len(),
        list(env, "/v1/user-resource/ssh_keys").len(),
        assignments,
        attached,
    ]
}

fn state_addresses(env: &Env) -> usize {
    env.tf_ok(&["state", "list"]).stdout.lines().count()
}

/// Applies the stack once (it must succeed on the first try), checks that the
/// account holds exactly what the state tracks, then destroys it completely.
fn apply_and_destroy_under(faults: Value) {
    let env = Env::new();
    env.write_config(&stack());
    env.tf_ok(&["init", "-input=false", "-no-color"]);
    env.api().set_faults(faults.clone());
    env.apply();
    assert_eq!(
        state_addresses(&env),
        RESOURCES,
        "every resource is tracked"
    );
    env.api().clear_faults();
    let expected = [VMS, 1, FLOATING_IPS, DISKS, FIREWALLS, 1, 1, VMS, DISKS];
    assert_eq!(
        account(&env),
        expected,
        "exactly the stack's objects: no duplicate, nothing untracked"
    );
    // Whatever the faults did, the state matches the account.
    env.assert_no_changes();
    let firewall = env.resource("idcloudhost_firewall.web[0]");
    assert!(firewall["id"].as_str().is_some_and(|id| !id.is_empty()));

    env.api().set_faults(faults);
    let destroyed = env.destroy();
    env.api().clear_faults();
    // The API never deletes a location's default network (the first one is): the
    // provider leaves it, saying so.
    assert_eq!(
        account(&env),
        [0, 1, 0, 0, 0, 0, 0, 0, 0],
        "destroy leaves nothing else behind (floating IPs included)"
    );
    assert_eq!(
        list(&env, "/v1/jkt01/network/networks")[0]["is_default"],
        true
    );
    assert!(
        destroyed.stdout.contains("left in place"),
        "{}",
        destroyed.stdout
    );
}

#[test]
fn stack_applies_and_destroys_first_try_under_transient_429_and_503() {
    apply_and_destroy_under(json!({
        "error_rate": 0.2,
        "statuses": [429, 503],
        "seed": 20,
    }));
}

#[test]
fn stack_applies_and_destroys_first_try_when_a_third_of_write_answers_are_lost() {
    // The write takes effect a moment after it arrives (other requests, reads of
    // the same lists included, are served meanwhile), then its answer is lost.
    apply_and_destroy_under(json!({
        "method": "POST",
        "error_rate": 0.33,
        "statuses": [502, 503, 504],
        "after_effect": true,
        "effect_delay_ms": 150,
        "seed": 33,
    }));
}

/// `(vcpu, status)` of every VM of the account, by name.
fn vm_sizes(env: &Env) -> Vec<(String, i64, String)> {
    let mut vms: Vec<(String, i64, String)> = list(env, "/v1/jkt01/user-resource/vm/list")
        .iter()
        .map(|vm| {
            (
                vm["name"].as_str().unwrap_or_default().to_owned(),
                vm["vcpu"].as_i64().unwrap_or_default(),
                vm["status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    vms.sort();
    vms
}

fn expected_sizes(vcpu: i64, first_vm: &str) -> Vec<(String, i64, String)> {
    (0..VMS)
        .map(|i| {
            let status = if i == 0 { first_vm } else { "running" };
            (format!("fault-web-{i}"), vcpu, status.to_owned())
        })
        .collect()
}

/// The firewalls' ports, as the API serves them.
fn firewall_ports(env: &Env) -> Vec<i64> {
    let mut ports: Vec<i64> = list(env, "/v1/jkt01/network/firewalls")
        .iter()
        .flat_map(|f| f["rules"].as_array().cloned().unwrap_or_default())
        .map(|r| r["port_start"].as_i64().unwrap_or_default())
        .collect();
    ports.sort();
    ports
}

/// The kinds of write an in-place update of the stack sends: the resize, the
/// firewall rules, and the stop and start around the resize.
const UPDATE_WRITES: [(&str, &str); 4] = [
    ("PATCH", "/user-resource/vm"),
    ("PUT", "/network/firewalls/"),
    ("POST", "/user-resource/vm/stop"),
    ("POST", "/user-resource/vm/start"),
];

fn is_kind(kind: (&str, &str), method: &str, path: &str) -> bool {
    let (wanted, place) = kind;
    method == wanted
        && if place.ends_with('/') {
            path.contains(place)
        } else {
            path.ends_with(place)
        }
}

#[test]
fn stack_applies_updates_in_place_and_destroys_first_try_under_30_percent_429_and_503_on_every_method(
) {
    // Before taking effect, on every method: PATCH (resize), PUT (firewall rules),
    // POST vm/stop and vm/start included.
    let faults = json!({
        "error_rate": 0.3,
        "statuses": [429, 503],
        "seed": 33,
    });
    let env = Env::new();
    let first = Sizing {
        first_vm: "stopped",
        ..Sizing::default()
    };
    env.write_config(&stack_with(&first));
    env.tf_ok(&["init", "-input=false", "-no-color"]);
    env.api().set_faults(faults.clone());
    env.apply();
    env.api().clear_faults();
    assert_eq!(
        state_addresses(&env),
        RESOURCES,
        "every resource is tracked"
    );
    assert_eq!(vm_sizes(&env), expected_sizes(1, "stopped"));
    assert_eq!(firewall_ports(&env), vec![80; FIREWALLS]);

    // In place, up and back down: every VM resized (stopped, PATCHed, started
    // again unless it is configured stopped), every firewall's rules replaced
    // (PUT), the first VM started, then stopped again. Each apply must succeed on
    // its first try with nothing replaced, and leave every VM in its configured
    // power state. Which writes the seeded faults hit depends on the order
    // Terraform sends them in, so the cycle is repeated (at most 4 times) until
    // each kind of update write has been refused at least once: the test proves
    // that every kind is sent again, not only the ones a lucky order hit.
    let second = Sizing {
        vcpu: 2,
        port: 8080,
        first_vm: "running",
    };
    let mut refused: Vec<(String, String, u16)> = Vec::new();
    let missing = |refused: &[(String, String, u16)]| -> Vec<(&str, &str)> {
        UPDATE_WRITES
            .into_iter()
            .filter(|kind| {
                !refused
                    .iter()
                    .any(|(method, path, _)| is_kind(*kind, method, path))
            })
            .collect()
    };
    let mut cycles = 0;
    while cycles < 4 && (cycles == 0 || !missing(&refused).is_empty()) {
        cycles += 1;
        for (sizing, vcpu, first_state, port) in
            [(&second, 2, "running", 8080), (&first, 1, "stopped", 80)]
        {
            env.write_config(&stack_with(sizing));
            let plan = env.plan_check();
            for address in plan.addresses() {
                let action = plan.action(&address);
                assert!(
                    matches!(action, Action::Update | Action::NoOp),
                    "only in-place updates: {address} {action:?}"
                );
            }
            env.api().clear_requests();
            env.api().set_faults(faults.clone());
            env.apply();
            env.api().clear_faults();
            refused.extend(
                env.api()
                    .writes()
                    .into_iter()
                    .filter(|(_, _, status)| matches!(status, 429 | 503)),
            );
            assert_eq!(
                vm_sizes(&env),
                expected_sizes(vcpu, first_state),
                "cycle {cycles}: every VM resized and in its configured power state"
            );
            assert_eq!(firewall_ports(&env), vec![port; FIREWALLS]);
            assert_eq!(state_addresses(&env), RESOURCES);
            env.assert_no_changes();
        }
    }
    assert!(
        missing(&refused).is_empty(),
        "after {cycles} cycles the faults never refused {:?}: {refused:?}",
        missing(&refused)
    );

    env.api().set_faults(faults);
    env.destroy();
    env.api().clear_faults();
    assert_eq!(
        account(&env),
        [0, 1, 0, 0, 0, 0, 0, 0, 0],
        "destroy leaves nothing else behind"
    );
}

#[test]
fn an_update_that_fails_anyway_puts_the_vm_back_in_its_power_state_and_says_so() {
    let env = Env::new();
    env.write_config(&vm_only(1));
    env.tf_ok(&["init", "-input=false", "-no-color"]);
    env.apply();
    // Every resize is refused: the VM was stopped for it, and must run again.
    env.api().set_faults(json!({
        "method": "PATCH",
        "path_contains": "user-resource/vm",
        "error_rate": 1.0,
        "statuses": [503],
    }));
    env.write_config(&vm_only(2));
    let failed = env.tf(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    env.api().clear_faults();
    failed.assert_failed();
    let all = failed.all().replace('\n', " ");
    assert!(
        all.contains("The VM was started again: it was running before the update"),
        "{all}"
    );
    let vms = list(&env, "/v1/jkt01/user-resource/vm/list");
    assert_eq!(vms.len(), 1);
    assert_eq!(vms[0]["status"], "running", "back in its power state");
    assert_eq!(vms[0]["vcpu"], 1);
    // The next apply, without faults, resizes it.
    env.apply();
    let vms = list(&env, "/v1/jkt01/user-resource/vm/list");
    assert_eq!(
        (vms[0]["vcpu"].as_i64(), vms[0]["status"].as_str()),
        (Some(2), Some("running"))
    );
}

/// The same with every `vm/stop` refused: the resize never starts, the VM runs on;
/// and with every `vm/start` refused: the VM cannot be started after the resize,
/// and the error says it is stopped now. The next apply without faults completes
/// the change either way.
#[test]
fn a_resize_whose_stop_or_start_is_refused_says_what_power_state_it_left() {
    for (path, says, status_after) in [
        (
            "user-resource/vm/stop",
            "The VM is running, as it was before the update",
            "running",
        ),
        (
            "user-resource/vm/start",
            "The VM was running before the update and is now stopped: putting it back failed too",
            "stopped",
        ),
    ] {
        let env = Env::new();
        env.write_config(&vm_only(1));
        env.tf_ok(&["init", "-input=false", "-no-color"]);
        env.apply();
        env.api().set_faults(json!({
            "method": "POST",
            "path_contains": path,
            "error_rate": 1.0,
            "statuses": [503],
        }));
        env.write_config(&vm_only(2));
        let failed = env.tf(&["apply", "-auto-approve", "-no-color", "-input=false"]);
        env.api().clear_faults();
        assert_ne!(failed.code, 0, "{path}: {}", failed.all());
        let all = failed.folded();
        assert!(all.contains(says), "{path}: {all}");
        // Sent again within max_retries (2) before giving up: 3 tries.
        let tries = env
            .api()
            .writes()
            .iter()
            .filter(|(m, p, _)| m == "POST" && p.ends_with(path))
            .count();
        assert!(tries >= 3, "{path}: sent {tries} times");
        let vms = list(&env, "/v1/jkt01/user-resource/vm/list");
        assert_eq!(vms.len(), 1);
        assert_eq!(vms[0]["status"], status_after, "{path}");
        env.apply();
        let vms = list(&env, "/v1/jkt01/user-resource/vm/list");
        assert_eq!(
            (vms[0]["vcpu"].as_i64(), vms[0]["status"].as_str()),
            (Some(2), Some("running")),
            "{path}"
        );
        env.assert_no_changes();
    }
}

fn vm_only(vcpu: i64) -> String {
    format!(
        r#"
provider "idcloudhost" {{
  max_retries = 2
}}

resource "idcloudhost_vm" "web" {{
  name              = "resized"
  os_name           = "ubuntu"
  os_version        = "22.04-lts"
  vcpu              = {vcpu}
  ram_mb            = 1024
  disk_size_gb      = 20
  reserve_public_ip = false
}}
"#
    )
}

#[test]
fn a_vm_stays_tracked_when_the_step_after_its_create_fails() {
    let env = Env::new();
    env.write_config(&format!(
        r#"
provider "idcloudhost" {{
  max_retries = 0
}}

{web_vm}
"#,
        web_vm = hcl::small_vm("web", "tracked", "disk_size_gb = 20")
    ));
    env.tf_ok(&["init", "-input=false", "-no-color"]);
    // The public address read right after the create fails.
    env.api().set_faults(json!({
        "method": "GET",
        "path_contains": "network/ip_addresses",
        "error_rate": 1.0,
        "statuses": [500],
    }));
    let failed = env.tf(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    env.api().clear_faults();
    failed.assert_failed();
    failed.assert_mentions("Creating vm");
    let vms = list(&env, "/v1/jkt01/user-resource/vm/list");
    assert_eq!(vms.len(), 1);
    let tracked = env.resource("idcloudhost_vm.web");
    assert_eq!(
        tracked["id"], vms[0]["uuid"],
        "the created VM is in the state"
    );
    // The next apply completes it instead of creating a second VM.
    env.apply();
    assert_eq!(list(&env, "/v1/jkt01/user-resource/vm/list").len(), 1);
    env.assert_no_changes();
    env.destroy_leaving_empty("jkt01", "user-resource/vm/list");
}

#[test]
fn max_retries_outside_0_to_10_fails_at_plan_naming_it() {
    let env = Env::new();
    env.write_config(
        r#"
provider "idcloudhost" {
  max_retries = 11
}

resource "idcloudhost_network" "n" {
  name = "never"
}
"#,
    );
    env.assert_plan_fails_with(&["max_retries"]);
    assert!(env.api().writes().is_empty(), "nothing is sent");
}

#[test]
fn a_create_beside_a_same_named_object_warns_to_import_it_instead() {
    // What a lost answer whose lookups all failed leaves: the object exists,
    // tracked by no state. The next apply must not duplicate it silently.
    let env = Env::new();
    let left = env.api().post(
        "/v1/jkt01/network/firewalls",
        json!({"display_name": "left-behind", "rules": []}),
    );
    let left = left["uuid"].as_str().expect("firewall uuid").to_owned();
    env.write_config(
        r#"
resource "idcloudhost_firewall" "web" {
  name = "left-behind"
}
"#,
    );
    let applied = env.apply();
    let text = applied.folded();
    assert!(
        text.contains(r#"Another firewall is already named "left-behind""#)
            && text.contains(&left)
            && text.contains("terraform import"),
        "{text}"
    );
}
