//! Writes whose answer is lost, against the simulator, in process: over 30 seeds
//! of lost answers on every kind of request (lookups included), every resource
//! type that `POST`s ends with exactly what its create reported: one object when
//! it succeeded (the one it returned), none when it failed; never an object made
//! but not reported (an orphan) and never two (a duplicate).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

mod common;
mod in_process;

use idcloudhost_sim::{Brand, Simulator};
use in_process::{clear_faults, clear_requests, control, requests, runtime, set_faults};
use serde_json::{json, Value};
use terraform_provider_idcloudhost::api::disk::NewDisk;
use terraform_provider_idcloudhost::api::firewall::RuleInput;
use terraform_provider_idcloudhost::api::load_balancer::NewLoadBalancer;
use terraform_provider_idcloudhost::api::service::NewPackage;
use terraform_provider_idcloudhost::api::vm::NewVm;
use terraform_provider_idcloudhost::api::{
    disk, firewall, floating_ip, load_balancer, network, replica, service, ssh_key, storage, vm,
    ApiClient, ApiError, Loc,
};
use terraform_provider_idcloudhost::cancel::DEADLINE;

const LOC: &str = "jkt01";
const SEEDS: u64 = 30;
const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4mvUhGz0qjzhd4FqzZb2NSMRGXCuQEBxV1aCsH7Xhd ops@seed";

/// A client of `sim` that retries up to `max_retries` times, backing off 1 to 10 ms.
fn client_retrying(sim: &Simulator, max_retries: u32) -> ApiClient {
    in_process::client(sim, |config| {
        config.max_retries = max_retries;
        config.max_backoff = Duration::from_millis(10);
    })
}

/// A client of `sim` with the provider's default of 4 retries.
fn client(sim: &Simulator) -> ApiClient {
    client_retrying(sim, 4)
}

/// What the creates of one seed need that is not under test.
struct Fixture {
    billing: i64,
    vm: String,
    address: String,
    disk: String,
    firewall: String,
    lb: String,
    /// The object storage account's first key pair.
    key: String,
}

async fn fixture(c: &ApiClient) -> Fixture {
    let billing = terraform_provider_idcloudhost::api::billing::list_accounts(c)
        .await
        .unwrap()[0]
        .id;
    let vm = vm::create(c, LOC, &new_vm("fixture-vm"))
        .await
        .unwrap()
        .uuid;
    let address = floating_ip::create(c, LOC, "fixture-ip", billing)
        .await
        .unwrap()
        .address;
    let disk = disk::create(c, LOC, &new_disk("fixture-disk"))
        .await
        .unwrap()
        .uuid;
    let firewall = firewall::create(c, LOC, "fixture-fw", None, &[rule()])
        .await
        .unwrap()
        .uuid;
    let lb = load_balancer::create(c, LOC, &new_lb("fixture-lb", billing))
        .await
        .unwrap()
        .uuid;
    // The object storage account (and its first key pair) exists before the test.
    c.get(Loc::Global, "storage/user")
        .send::<Value>()
        .await
        .unwrap();
    let keys = storage::list_keys(c).await.unwrap();
    assert_eq!(keys.len(), 1);
    let key = keys[0].access_key.clone();
    Fixture {
        billing,
        vm,
        address,
        disk,
        firewall,
        lb,
        key,
    }
}

fn new_vm(name: &str) -> NewVm {
    NewVm {
        name: name.to_owned(),
        os_name: Some("ubuntu".into()),
        os_version: Some("22.04-lts".into()),
        disk_size_gb: Some(20),
        vcpu: 1,
        ram_mb: 1024,
        username: Some("app".into()),
        password: Some("Secret123".into()),
        ..NewVm::default()
    }
}

fn new_disk(name: &str) -> NewDisk<'_> {
    NewDisk {
        size_gb: Some(20),
        billing_account_id: None,
        name: Some(name),
        source_image_type: "EMPTY",
        source_image: None,
    }
}

fn new_lb(name: &str, billing: i64) -> NewLoadBalancer<'_> {
    NewLoadBalancer {
        name,
        billing_account_id: billing,
        network_uuid: None,
        reserve_public_ip: false,
        rules: vec![(80, 8080)],
        targets: Vec::new(),
    }
}

fn rule() -> RuleInput {
    RuleInput {
        uuid: None,
        direction: "inbound".into(),
        protocol: "tcp".into(),
        port_start: Some(80),
        port_end: None,
        ip_prefixes: Vec::new(),
    }
}

type Outcome = Result<String, ApiError>;

/// One create of every type, under the faults; what each reported.
async fn creates(c: &ApiClient, fx: &Fixture, seed: u64) -> BTreeMap<&'static str, Outcome> {
    let name = |kind: &str| format!("{kind}-{seed}");
    let mut out = BTreeMap::new();
    out.insert(
        "network",
        network::create(c, LOC, &name("net")).await.map(|n| n.uuid),
    );
    out.insert(
        "ssh_key",
        ssh_key::create(c, &name("key"), KEY).await.map(|k| k.uuid),
    );
    out.insert(
        "firewall",
        firewall::create(c, LOC, &name("fw"), None, &[rule()])
            .await
            .map(|f| f.uuid),
    );
    out.insert(
        "floating_ip",
        floating_ip::create(c, LOC, &name("ip"), fx.billing)
            .await
            .map(|ip| ip.address),
    );
    out.insert(
        "disk",
        disk::create(c, LOC, &new_disk(&name("disk")))
            .await
            .map(|d| d.uuid),
    );
    out.insert(
        "load_balancer",
        load_balancer::create(c, LOC, &new_lb(&name("lb"), fx.billing))
            .await
            .map(|lb| lb.uuid),
    );
    out.insert(
        "vm",
        vm::create(c, LOC, &new_vm(&name("vm")))
            .await
            .map(|v| v.uuid),
    );
    let package = NewPackage {
        name: &name("pg"),
        billing_account_id: fx.billing,
        service: "postgresql",
        version: "14.0",
        vcpu: 1,
        ram_mb: 1024,
        disk_size_gb: 20,
        multi_node: false,
        parameters: BTreeMap::from([("location".to_owned(), LOC.to_owned())]),
    };
    out.insert(
        "service_package",
        service::create(c, &package).await.map(|p| p.uuid),
    );
    out.insert(
        "s3_bucket",
        storage::create_bucket(c, &name("bucket"), fx.billing)
            .await
            .map(|b| b.bucket.name),
    );
    out.insert(
        "s3_credential",
        storage::create_key(c).await.map(|k| k.access_key),
    );
    out.insert(
        "vm_snapshot",
        replica::create(c, LOC, &fx.vm).await.map(|r| r.uuid),
    );
    out.insert(
        "disk_attachment",
        disk::attach(c, LOC, &fx.vm, &fx.disk)
            .await
            .map(|_| fx.disk.clone()),
    );
    out.insert(
        "firewall_attachment",
        firewall::assign(c, LOC, &fx.firewall, &fx.vm)
            .await
            .map(|_| fx.vm.clone()),
    );
    out.insert(
        "floating_ip_assignment",
        floating_ip::assign_to_vm(c, LOC, &fx.address, &fx.vm)
            .await
            .map(|ip| ip.address),
    );
    out.insert(
        "load_balancer_target",
        load_balancer::add_target(c, LOC, &fx.lb, &fx.vm, "vm")
            .await
            .map(|t| t.target_uuid),
    );
    out
}

/// What the account holds of each create, read without faults.
async fn held(c: &ApiClient, fx: &Fixture, seed: u64) -> BTreeMap<&'static str, Vec<String>> {
    let name = |kind: &str| format!("{kind}-{seed}");
    let mut out = BTreeMap::new();
    let names = |items: Vec<(String, String)>, wanted: String| -> Vec<String> {
        items
            .into_iter()
            .filter(|(n, _)| *n == wanted)
            .map(|(_, id)| id)
            .collect()
    };
    out.insert(
        "network",
        names(
            network::list(c, LOC)
                .await
                .unwrap()
                .into_iter()
                .map(|n| (n.name, n.uuid))
                .collect(),
            name("net"),
        ),
    );
    out.insert(
        "ssh_key",
        names(
            ssh_key::list(c)
                .await
                .unwrap()
                .into_iter()
                .map(|k| (k.name, k.uuid))
                .collect(),
            name("key"),
        ),
    );
    out.insert(
        "firewall",
        names(
            firewall::list(c, LOC)
                .await
                .unwrap()
                .into_iter()
                .map(|f| (f.display_name().to_owned(), f.uuid))
                .collect(),
            name("fw"),
        ),
    );
    out.insert(
        "floating_ip",
        names(
            floating_ip::list(c, LOC)
                .await
                .unwrap()
                .into_iter()
                .filter(|ip| !ip.is_deleted)
                .map(|ip| (ip.name, ip.address))
                .collect(),
            name("ip"),
        ),
    );
    out.insert(
        "disk",
        names(
            disk::list(c, LOC)
                .await
                .unwrap()
                .into_iter()
                .map(|d| (d.display_name.unwrap_or_default(), d.uuid))
                .collect(),
            name("disk"),
        ),
    );
    let lbs = load_balancer::list(c, LOC).await.unwrap();
    out.insert(
        "load_balancer",
        names(
            lbs.iter()
                .filter(|lb| !lb.is_deleted)
                .map(|lb| (lb.display_name.clone(), lb.uuid.clone()))
                .collect(),
            name("lb"),
        ),
    );
    let vms = vm::list(c, LOC).await.unwrap();
    out.insert(
        "vm",
        names(
            vms.iter()
                .map(|v| (v.name.clone(), v.uuid.clone()))
                .collect(),
            name("vm"),
        ),
    );
    out.insert(
        "service_package",
        names(
            service::list(c)
                .await
                .unwrap()
                .into_iter()
                .map(|p| (p.display_name, p.uuid))
                .collect(),
            name("pg"),
        ),
    );
    out.insert(
        "s3_bucket",
        storage::list_buckets(c)
            .await
            .unwrap()
            .into_iter()
            .filter(|b| b.name == name("bucket"))
            .map(|b| b.name)
            .collect(),
    );
    out.insert(
        "s3_credential",
        storage::list_keys(c)
            .await
            .unwrap()
            .into_iter()
            .map(|k| k.access_key)
            .filter(|k| *k != fx.key)
            .collect(),
    );
    out.insert(
        "vm_snapshot",
        replica::list(c, LOC, &fx.vm, "snapshot")
            .await
            .unwrap()
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.uuid)
            .collect(),
    );
    let vm = vms.iter().find(|v| v.uuid == fx.vm).unwrap();
    out.insert(
        "disk_attachment",
        vm.storage
            .iter()
            .filter(|s| s.uuid == fx.disk)
            .map(|s| s.uuid.clone())
            .collect(),
    );
    out.insert(
        "firewall_attachment",
        firewall::list(c, LOC)
            .await
            .unwrap()
            .into_iter()
            .filter(|f| f.uuid == fx.firewall)
            .flat_map(|f| f.resources_assigned)
            .map(|a| a.resource_uuid)
            .collect(),
    );
    out.insert(
        "floating_ip_assignment",
        floating_ip::assigned_to(c, LOC, &fx.vm)
            .await
            .unwrap()
            .map(|ip| ip.address)
            .into_iter()
            .collect(),
    );
    out.insert(
        "load_balancer_target",
        lbs.iter()
            .filter(|lb| lb.uuid == fx.lb)
            .flat_map(|lb| lb.targets.iter().map(|t| t.target_uuid.clone()))
            .collect(),
    );
    out
}

#[test]
fn lost_create_answers_never_orphan_or_duplicate_over_30_seeds() {
    let sim = in_process::start(Brand::default());
    let rt = runtime();
    let clean = client(&sim);
    let mut problems = Vec::new();
    let mut recovered = 0;
    for seed in 0..SEEDS {
        control(&sim, reqwest::Method::POST, "reset", None);
        let fx = rt.block_on(fixture(&clean));
        // Half of every request (reads included) fails after taking effect, the
        // writes landing a moment after they arrive.
        set_faults(
            &sim,
            json!({
                "error_rate": 0.5,
                "statuses": [502, 503, 504],
                "after_effect": true,
                "effect_delay_ms": 3,
                "seed": seed,
            }),
        );
        let faulty = client(&sim);
        let deadline = Instant::now() + Duration::from_secs(120);
        let outcomes = rt.block_on(DEADLINE.scope(deadline, creates(&faulty, &fx, seed)));
        clear_faults(&sim);
        let fresh = client(&sim);
        let held = rt.block_on(held(&fresh, &fx, seed));
        for (kind, outcome) in &outcomes {
            let there = &held[kind];
            match outcome {
                Ok(id) if there == &vec![id.clone()] => recovered += 1,
                Ok(id) => problems.push(format!(
                    "seed {seed} {kind}: created {id}, the account holds {there:?}"
                )),
                Err(_) if there.is_empty() => {}
                Err(e) => problems.push(format!(
                    "seed {seed} {kind}: failed ({e}) but the account holds {there:?}"
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        recovered > SEEDS as usize * 12,
        "most creates succeed despite the faults: {recovered}"
    );
}

/// Every kind of write an in-place update or a destroy sends (PATCH, PUT, DELETE,
/// vm/stop, vm/start, the backup toggle), refused before taking effect (503, 429):
/// each is sent again until it takes effect, checked by a fresh read where a
/// blind repeat would do harm. In process, so the seeded faults fall on the same
/// requests every run.
#[test]
fn every_kind_of_write_refused_before_taking_effect_is_sent_again() {
    let sim = in_process::start(Brand::default());
    let rt = runtime();
    let c = client(&sim);
    let fx = rt.block_on(fixture(&c));
    // As many retries as the provider's max_retries allows.
    let c = client_retrying(&sim, 10);
    // Seeds whose first request is refused.
    let writes: [(&str, &str, u64); 7] = [
        ("POST", "user-resource/vm/stop", 2),
        ("PATCH", "user-resource/vm", 3),
        ("POST", "user-resource/vm/backup", 5),
        ("POST", "user-resource/vm/start", 6),
        ("PUT", "network/firewalls/", 7),
        ("PATCH", "network/network/", 8),
        ("DELETE", "storage/disks/", 2),
    ];
    for (method, path, seed) in writes {
        clear_requests(&sim);
        // Most of these writes are refused (which ones: seeded).
        set_faults(
            &sim,
            json!({
                "method": method,
                "path_contains": path,
                "error_rate": 0.5,
                "statuses": [503, 429],
                "seed": seed,
            }),
        );
        let done = rt.block_on(async {
            match path {
                "user-resource/vm/stop" => vm::stop(&c, LOC, &fx.vm).await,
                "user-resource/vm" => vm::modify(&c, LOC, &fx.vm, None, Some(2), None)
                    .await
                    .map(|_| ()),
                "user-resource/vm/backup" => vm::toggle_backup(&c, LOC, &fx.vm, true).await,
                "user-resource/vm/start" => vm::start(&c, LOC, &fx.vm).await,
                "network/firewalls/" => {
                    let mut wide = rule();
                    wide.port_start = Some(8080);
                    firewall::update(
                        &c,
                        LOC,
                        &fx.firewall,
                        &firewall::Update {
                            name: "fixture-fw",
                            description: "",
                            billing_account_id: None,
                            rules: &[wide],
                        },
                    )
                    .await
                    .map(|_| ())
                }
                "network/network/" => {
                    let net = network::create(&c, LOC, "renamed-later").await.unwrap();
                    network::rename(&c, LOC, &net.uuid, "renamed").await
                }
                _ => disk::delete(&c, LOC, &fx.disk).await,
            }
        });
        clear_faults(&sim);
        let sent: Vec<u16> = requests(&sim)
            .into_iter()
            .filter(|(m, p, _)| m == method && p.contains(path) && !p.ends_with("/list"))
            .filter(|(_, p, _)| path != "user-resource/vm" || p.ends_with("user-resource/vm"))
            .map(|(_, _, status)| status)
            .collect();
        assert!(done.is_ok(), "{method} {path}: {done:?} after {sent:?}");
        assert!(
            sent.iter().any(|s| matches!(s, 429 | 503))
                && sent.last().is_some_and(|s| matches!(s, 200 | 204)),
            "{method} {path}: refused, then sent again until done: {sent:?}"
        );
    }
    // Each took effect once.
    let vm = rt
        .block_on(vm::find(&client(&sim), LOC, &fx.vm))
        .unwrap()
        .unwrap();
    assert_eq!((vm.vcpu, vm.backup, vm.is_running()), (2, true, true));
    let disks = rt.block_on(disk::list(&client(&sim), LOC)).unwrap();
    assert!(disks.iter().all(|d| d.uuid != fx.disk));
}
