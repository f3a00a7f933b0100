//! The day-2 VM operations of the API client (`api::vm_ops`) against the
//! simulator: power with and without force, the forced stop of a guest that
//! ignores a graceful one, reinstall, rebuild, clone, boot media per brand, lost
//! answers checked with a fresh read (never blindly sent again), deadlines.

use std::time::{Duration, Instant};

use idcloudhost_sim::{Brand, SimConfig, Simulator};
use serde_json::{json, Value};
use terraform_provider_idcloudhost::api::vm::{self, NewVm};
use terraform_provider_idcloudhost::api::vm_ops::{self, BootRepository, Power, PowerChange};
use terraform_provider_idcloudhost::api::{
    replica, ApiClient, ClientConfig, ErrorKind, Generation,
};
use terraform_provider_idcloudhost::cancel::DEADLINE;

const LOC: &str = "jkt01";

fn sim(brand: Brand) -> Simulator {
    Simulator::start(SimConfig {
        brand,
        ..SimConfig::default()
    })
    .unwrap()
}

fn client(sim: &Simulator, generation: Generation) -> ApiClient {
    let mut config = ClientConfig::new(sim.url(), "sim-key");
    config.generation = Some(generation);
    config.base_backoff = Duration::from_millis(1);
    config.max_backoff = Duration::from_millis(5);
    ApiClient::new(config).unwrap()
}

fn control(sim: &Simulator, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
    let http = reqwest::blocking::Client::new();
    let mut req = http.request(method, format!("{}/__sim/{path}", sim.url()));
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().unwrap().json().unwrap_or(Value::Null)
}

fn guest(sim: &Simulator, uuid: &str) -> Value {
    control(sim, reqwest::Method::GET, "vms", None)
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["uuid"] == uuid)
        .cloned()
        .unwrap()
}

fn set_guest(sim: &Simulator, uuid: &str, body: Value) {
    control(
        sim,
        reqwest::Method::POST,
        &format!("vms/{uuid}/guest"),
        Some(body),
    );
}

/// How many requests `method` whose path ends with `suffix` were made.
fn sent(sim: &Simulator, method: &str, suffix: &str) -> usize {
    control(sim, reqwest::Method::GET, "requests", None)
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["method"] == method && r["path"].as_str().unwrap().ends_with(suffix))
        .count()
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn run<T>(
    rt: &tokio::runtime::Runtime,
    f: impl std::future::Future<Output = Result<T, terraform_provider_idcloudhost::api::ApiError>>,
) -> T {
    rt.block_on(f).unwrap()
}

fn new_vm(client: &ApiClient, rt: &tokio::runtime::Runtime, name: &str) -> String {
    let new = NewVm {
        name: name.into(),
        os_name: Some("ubuntu".into()),
        os_version: Some("22.04-lts".into()),
        disk_size_gb: Some(20),
        vcpu: 1,
        ram_mb: 1024,
        reserve_public_ip: false,
        ..NewVm::default()
    };
    rt.block_on(vm::create(client, LOC, &new)).unwrap().uuid
}

#[test]
fn power_operations_are_idempotent_and_say_what_they_did() {
    let sim = sim(Brand::Idcloudhost);
    let client = client(&sim, Generation::Newest);
    let rt = rt();
    let uuid = new_vm(&client, &rt, "p");
    assert_eq!(
        run(&rt, vm_ops::start(&client, LOC, &uuid)),
        PowerChange::Already
    );
    assert_eq!(sent(&sim, "POST", "vm/start"), 0, "nothing sent");
    assert_eq!(
        run(&rt, vm_ops::stop(&client, LOC, &uuid, false)),
        PowerChange::Done
    );
    assert_eq!(guest(&sim, &uuid)["last_stop"], "graceful");
    assert_eq!(
        run(&rt, vm_ops::stop(&client, LOC, &uuid, true)),
        PowerChange::Already
    );
    assert_eq!(
        run(&rt, vm_ops::start(&client, LOC, &uuid)),
        PowerChange::Done
    );
    assert_eq!(
        run(&rt, vm_ops::stop(&client, LOC, &uuid, true)),
        PowerChange::Forced
    );
    assert_eq!(guest(&sim, &uuid)["forced_stops"], 1);
    // Restart of a stopped VM: just started; of a running one: stopped and started.
    rt.block_on(vm_ops::restart(&client, LOC, &uuid, false))
        .unwrap();
    assert_eq!(guest(&sim, &uuid)["status"], "running");
    let stops = sent(&sim, "POST", "vm/stop");
    rt.block_on(vm_ops::restart(&client, LOC, &uuid, false))
        .unwrap();
    assert_eq!(sent(&sim, "POST", "vm/stop"), stops + 1);
    assert_eq!(guest(&sim, &uuid)["status"], "running");

    let err = rt
        .block_on(vm_ops::start(
            &client,
            LOC,
            "aaaaaaaa-0000-bbbb-1111-cccccccccccc",
        ))
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
}

#[test]
fn a_guest_that_ignores_a_graceful_stop_is_stopped_with_force_only_when_asked() {
    let sim = sim(Brand::Idcloudhost);
    let client = client(&sim, Generation::Newest);
    let rt = rt();
    let uuid = new_vm(&client, &rt, "hung");
    set_guest(&sim, &uuid, json!({"ignores_shutdown": true}));

    // Graceful only: the API's own message.
    let err = rt
        .block_on(vm_ops::stop(&client, LOC, &uuid, false))
        .unwrap_err();
    assert!(err.message.contains("did not shut down"), "{err}");
    assert_eq!(guest(&sim, &uuid)["status"], "running");

    let done = rt
        .block_on(vm_ops::stop_or_force(
            &client,
            LOC,
            &uuid,
            Duration::from_secs(60),
        ))
        .unwrap();
    match done {
        PowerChange::ForcedAfterGraceful { reason } => {
            assert!(reason.contains("did not shut down"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    let g = guest(&sim, &uuid);
    assert_eq!(
        (g["status"].as_str(), g["forced_stops"].as_i64()),
        (Some("stopped"), Some(1))
    );

    // A guest that obeys is never forced.
    rt.block_on(vm_ops::start(&client, LOC, &uuid)).unwrap();
    set_guest(&sim, &uuid, json!({"ignores_shutdown": false}));
    let done = rt
        .block_on(vm_ops::stop_or_force(
            &client,
            LOC,
            &uuid,
            Duration::from_secs(60),
        ))
        .unwrap();
    assert_eq!(done, PowerChange::Done);
    assert_eq!(guest(&sim, &uuid)["forced_stops"], 1);
}

#[test]
fn a_graceful_stop_is_cut_off_at_its_window_then_forced() {
    let sim = sim(Brand::Idcloudhost);
    let client = client(&sim, Generation::Newest);
    let rt = rt();
    let uuid = new_vm(&client, &rt, "slow");
    set_guest(&sim, &uuid, json!({"ignores_shutdown": true}));
    // The platform gives up on the guest after 60 s x 0.1 = 6 s; the window is 1 s.
    control(
        &sim,
        reqwest::Method::POST,
        "timing",
        Some(json!({"time_factor": 0.1})),
    );
    let started = Instant::now();
    let done = rt
        .block_on(vm_ops::stop_or_force(
            &client,
            LOC,
            &uuid,
            Duration::from_secs(1),
        ))
        .unwrap();
    let took = started.elapsed();
    match done {
        PowerChange::ForcedAfterGraceful { reason } => {
            assert!(reason.contains("within 1s"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    assert!(
        took < Duration::from_secs(4),
        "cut off at the window: {took:?}"
    );
    assert_eq!(guest(&sim, &uuid)["last_stop"], "forced");
}

#[test]
fn lost_answers_are_checked_with_a_fresh_read_never_sent_again() {
    let sim = sim(Brand::Idcloudhost);
    let client = client(&sim, Generation::Newest);
    let rt = rt();
    let uuid = new_vm(&client, &rt, "lost");

    // The stop took effect, its answer was lost: done, sent once.
    control(
        &sim,
        reqwest::Method::POST,
        "faults",
        Some(
            json!({"error_rate": 1.0, "statuses": [502], "path_contains": "vm/stop", "after_effect": true}),
        ),
    );
    let done = rt
        .block_on(vm_ops::stop(&client, LOC, &uuid, false))
        .unwrap();
    assert_eq!(done, PowerChange::Done);
    assert_eq!(sent(&sim, "POST", "vm/stop"), 1);

    // A start that failed with a 500 before taking effect: not sent again.
    control(
        &sim,
        reqwest::Method::POST,
        "faults",
        Some(json!({"error_rate": 1.0, "statuses": [500], "path_contains": "vm/start"})),
    );
    let err = rt.block_on(vm_ops::start(&client, LOC, &uuid)).unwrap_err();
    assert!(err.message.contains("did not take effect"), "{err}");
    assert_eq!(sent(&sim, "POST", "vm/start"), 1);

    // A reinstall whose answer was lost: the VM shows the new OS.
    control(
        &sim,
        reqwest::Method::POST,
        "faults",
        Some(
            json!({"error_rate": 1.0, "statuses": [504], "path_contains": "vm/reinstall", "after_effect": true}),
        ),
    );
    let vm = rt
        .block_on(vm_ops::reinstall(
            &client,
            LOC,
            &uuid,
            Some("debian"),
            Some("12"),
        ))
        .unwrap();
    assert_eq!(vm.os_name, "debian");
    assert_eq!(sent(&sim, "POST", "vm/reinstall"), 1);

    // A clone whose answer was lost: the new VM is found and adopted.
    control(
        &sim,
        reqwest::Method::POST,
        "faults",
        Some(
            json!({"error_rate": 1.0, "statuses": [502], "path_contains": "vm/clone", "after_effect": true}),
        ),
    );
    let clone = rt
        .block_on(vm_ops::clone(&client, LOC, &uuid, "lost copy"))
        .unwrap();
    assert_eq!(clone.name, "lost copy");
    assert_ne!(clone.uuid, uuid);
    assert_eq!(sent(&sim, "POST", "vm/clone"), 1);
    control(&sim, reqwest::Method::DELETE, "faults", None);
    let all = rt.block_on(vm::list(&client, LOC)).unwrap();
    assert_eq!(all.len(), 2, "one clone");
}

#[test]
fn reinstall_rebuild_and_clone() {
    let sim = sim(Brand::ThreeNv);
    let client = client(&sim, Generation::Middle);
    let rt = rt();
    let uuid = new_vm(&client, &rt, "app");
    set_guest(&sim, &uuid, json!({"disk_data": "v1"}));
    let snap = rt.block_on(replica::create(&client, LOC, &uuid)).unwrap();
    set_guest(&sim, &uuid, json!({"disk_data": "v2"}));

    let vm = rt
        .block_on(vm_ops::reinstall(
            &client,
            LOC,
            &uuid,
            Some("debian"),
            Some("12"),
        ))
        .unwrap();
    assert_eq!(
        (vm.uuid.as_str(), vm.os_name.as_str()),
        (uuid.as_str(), "debian")
    );
    assert_eq!(guest(&sim, &uuid)["disk_data"], Value::Null, "wiped");

    let vm = rt
        .block_on(vm_ops::rebuild(&client, LOC, &uuid, &snap.uuid))
        .unwrap();
    assert_eq!(vm.os_name, "ubuntu");
    assert!(vm.is_stopped());
    assert_eq!(guest(&sim, &uuid)["disk_data"], "v1");
    let err = rt
        .block_on(vm_ops::rebuild(&client, LOC, &uuid, "no-such-replica"))
        .unwrap_err();
    assert!(err.message.contains("No such replica"), "{err}");

    let clone = rt
        .block_on(vm_ops::clone(&client, LOC, &uuid, "copy"))
        .unwrap();
    assert!(clone.is_running());
    assert_eq!(guest(&sim, &clone.uuid)["disk_data"], "v1");
    let err = rt
        .block_on(vm_ops::reinstall(
            &client,
            LOC,
            &uuid,
            Some("ubuntu"),
            Some("0.1"),
        ))
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Validation, "{err}");
}

#[test]
fn boot_media_per_brand_and_never_an_endpoint_the_brand_lacks() {
    // 3nv.io: boot_iso_media; rescue_start refused before anything is sent.
    let sim3 = sim(Brand::ThreeNv);
    let client3 = client(&sim3, Generation::Middle);
    let rt = rt();
    let uuid = new_vm(&client3, &rt, "iso");
    rt.block_on(vm_ops::stop(&client3, LOC, &uuid, false))
        .unwrap();
    rt.block_on(vm_ops::boot_iso_media(
        &client3,
        LOC,
        &uuid,
        "e3a5f2d6-7d15-41f0-85ba-047bcbc1cb26",
        BootRepository::Platform,
    ))
    .unwrap();
    assert_eq!(
        guest(&sim3, &uuid)["booted_from"],
        "platform:e3a5f2d6-7d15-41f0-85ba-047bcbc1cb26"
    );
    let err = rt
        .block_on(vm_ops::rescue_start(&client3, LOC, &uuid))
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unsupported);
    assert!(
        err.message.contains("elastis.id (brand = \"elastis\")"),
        "{err}"
    );
    assert_eq!(sent(&sim3, "POST", "rescue_start"), 0);

    // elastis.id: rescue_start; boot_iso_media refused, naming the brands with it.
    let sim_e = sim(Brand::Elastis);
    let client_e = client(&sim_e, Generation::Oldest);
    let uuid = new_vm(&client_e, &rt, "rescue");
    rt.block_on(vm_ops::stop(&client_e, LOC, &uuid, true))
        .unwrap();
    rt.block_on(vm_ops::rescue_start(&client_e, LOC, &uuid))
        .unwrap();
    assert_eq!(guest(&sim_e, &uuid)["booted_from"], "rescue");
    let err = rt
        .block_on(vm_ops::boot_iso_media(
            &client_e,
            LOC,
            &uuid,
            "e3a5f2d6-7d15-41f0-85ba-047bcbc1cb26",
            BootRepository::Platform,
        ))
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unsupported);
    assert!(err.message.contains("3nv.io"), "{err}");
    assert_eq!(sent(&sim_e, "POST", "boot_iso_media"), 0);
}

#[test]
fn waiting_for_a_power_state_ends_at_the_deadline() {
    let sim = sim(Brand::Idcloudhost);
    let client = client(&sim, Generation::Newest);
    let rt = rt();
    let uuid = new_vm(&client, &rt, "w");
    let vm = rt
        .block_on(vm_ops::wait_for_power(&client, LOC, &uuid, Power::Running))
        .unwrap();
    assert!(vm.is_running());
    let started = Instant::now();
    let err = rt
        .block_on(DEADLINE.scope(
            Instant::now() + Duration::from_millis(1500),
            vm_ops::wait_for_power(&client, LOC, &uuid, Power::Stopped),
        ))
        .unwrap_err();
    assert!(err.message.contains("still running"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn waiting_for_a_power_state_ends_when_terraform_is_interrupted() {
    let sim = sim(Brand::Idcloudhost);
    let client = client(&sim, Generation::Newest);
    let rt = rt();
    let uuid = new_vm(&client, &rt, "w");
    let cancel = client.cancel().clone();
    let started = Instant::now();
    let err = rt
        .block_on(async {
            let waiting = vm_ops::wait_for_power(&client, LOC, &uuid, Power::Stopped);
            let interrupt = async {
                tokio::time::sleep(Duration::from_millis(300)).await;
                cancel.cancel();
                std::future::pending::<()>().await;
            };
            tokio::select! {
                result = waiting => result,
                () = interrupt => unreachable!(),
            }
        })
        .unwrap_err();
    assert!(err.message.contains("interrupted"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
}
