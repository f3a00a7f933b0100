//! The day-2 VM operations of the API client (`api::vm_ops`) against the
//! simulator: power with and without force, the forced stop of a guest that
//! ignores a graceful one, reinstall, rebuild, clone, boot media per brand, lost
//! answers checked with a fresh read (never blindly sent again), deadlines.

use std::time::{Duration, Instant};

mod common;
mod in_process;

use idcloudhost_sim::{Brand, Simulator};
use in_process::{clear_faults, control, runtime, set_faults};
use reqwest::Method;
use serde_json::{json, Value};
use terraform_provider_idcloudhost::api::vm::{self, NewVm};
use terraform_provider_idcloudhost::api::vm_ops::{self, BootRepository, Power, PowerChange};
use terraform_provider_idcloudhost::api::{replica, ApiClient, ErrorKind, Generation};
use terraform_provider_idcloudhost::cancel::DEADLINE;
use tokio::runtime::Runtime;

const LOC: &str = "jkt01";

/// A simulator of `brand`, a client speaking `generation`, and a runtime.
fn setup(brand: Brand, generation: Generation) -> (Simulator, ApiClient, Runtime) {
    let sim = in_process::start(brand);
    let client = in_process::client(&sim, |config| config.generation = Some(generation));
    (sim, client, runtime())
}

/// The answer to every request whose path holds `path` is lost (`status`) after
/// the request took effect.
fn lose_answers(sim: &Simulator, status: u16, path: &str) {
    set_faults(
        sim,
        json!({"error_rate": 1.0, "statuses": [status], "path_contains": path, "after_effect": true}),
    );
}

fn guest(sim: &Simulator, uuid: &str) -> Value {
    control(sim, Method::GET, "vms", None)
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["uuid"] == uuid)
        .cloned()
        .unwrap()
}

fn set_guest(sim: &Simulator, uuid: &str, body: Value) {
    control(sim, Method::POST, &format!("vms/{uuid}/guest"), Some(body));
}

/// How many requests `method` whose path ends with `suffix` were made.
fn sent(sim: &Simulator, method: &str, suffix: &str) -> usize {
    in_process::requests(sim)
        .iter()
        .filter(|(m, path, _)| m == method && path.ends_with(suffix))
        .count()
}

/// Runs `f` on `rt`; panics on an API error.
fn run<T>(
    rt: &Runtime,
    f: impl std::future::Future<Output = Result<T, terraform_provider_idcloudhost::api::ApiError>>,
) -> T {
    rt.block_on(f).unwrap()
}

fn new_vm(client: &ApiClient, rt: &Runtime, name: &str) -> String {
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
    run(rt, vm::create(client, LOC, &new)).uuid
}

#[test]
fn power_operations_are_idempotent_and_say_what_they_did() {
    let (sim, client, rt) = setup(Brand::Idcloudhost, Generation::Newest);
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
    run(&rt, vm_ops::restart(&client, LOC, &uuid, false));
    assert_eq!(guest(&sim, &uuid)["status"], "running");
    let stops = sent(&sim, "POST", "vm/stop");
    run(&rt, vm_ops::restart(&client, LOC, &uuid, false));
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
    let (sim, client, rt) = setup(Brand::Idcloudhost, Generation::Newest);
    let uuid = new_vm(&client, &rt, "hung");
    set_guest(&sim, &uuid, json!({"ignores_shutdown": true}));

    // Graceful only: the API's own message.
    let err = rt
        .block_on(vm_ops::stop(&client, LOC, &uuid, false))
        .unwrap_err();
    assert!(err.message.contains("did not shut down"), "{err}");
    assert_eq!(guest(&sim, &uuid)["status"], "running");

    let done = run(
        &rt,
        vm_ops::stop_or_force(&client, LOC, &uuid, Duration::from_secs(60)),
    );
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
    run(&rt, vm_ops::start(&client, LOC, &uuid));
    set_guest(&sim, &uuid, json!({"ignores_shutdown": false}));
    let done = run(
        &rt,
        vm_ops::stop_or_force(&client, LOC, &uuid, Duration::from_secs(60)),
    );
    assert_eq!(done, PowerChange::Done);
    assert_eq!(guest(&sim, &uuid)["forced_stops"], 1);
}

#[test]
fn a_graceful_stop_is_cut_off_at_its_window_then_forced() {
    let (sim, client, rt) = setup(Brand::Idcloudhost, Generation::Newest);
    let uuid = new_vm(&client, &rt, "slow");
    set_guest(&sim, &uuid, json!({"ignores_shutdown": true}));
    // The platform gives up on the guest after 60 s x 0.1 = 6 s; the window is 1 s.
    control(
        &sim,
        Method::POST,
        "timing",
        Some(json!({"time_factor": 0.1})),
    );
    let started = Instant::now();
    let done = run(
        &rt,
        vm_ops::stop_or_force(&client, LOC, &uuid, Duration::from_secs(1)),
    );
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
    let (sim, client, rt) = setup(Brand::Idcloudhost, Generation::Newest);
    let uuid = new_vm(&client, &rt, "lost");

    // The stop took effect, its answer was lost: done, sent once.
    lose_answers(&sim, 502, "vm/stop");
    let done = run(&rt, vm_ops::stop(&client, LOC, &uuid, false));
    assert_eq!(done, PowerChange::Done);
    assert_eq!(sent(&sim, "POST", "vm/stop"), 1);

    // A start that failed with a 500 before taking effect: not sent again.
    set_faults(
        &sim,
        json!({"error_rate": 1.0, "statuses": [500], "path_contains": "vm/start"}),
    );
    let err = rt.block_on(vm_ops::start(&client, LOC, &uuid)).unwrap_err();
    assert!(err.message.contains("did not take effect"), "{err}");
    assert_eq!(sent(&sim, "POST", "vm/start"), 1);

    // A reinstall whose answer was lost: the VM shows the new OS.
    lose_answers(&sim, 504, "vm/reinstall");
    let vm = run(
        &rt,
        vm_ops::reinstall(&client, LOC, &uuid, Some("debian"), Some("12")),
    );
    assert_eq!(vm.os_name, "debian");
    assert_eq!(sent(&sim, "POST", "vm/reinstall"), 1);

    // A clone whose answer was lost: the new VM is found and adopted.
    lose_answers(&sim, 502, "vm/clone");
    let clone = run(&rt, vm_ops::clone(&client, LOC, &uuid, "lost copy"));
    assert_eq!(clone.name, "lost copy");
    assert_ne!(clone.uuid, uuid);
    assert_eq!(sent(&sim, "POST", "vm/clone"), 1);
    clear_faults(&sim);
    let all = run(&rt, vm::list(&client, LOC));
    assert_eq!(all.len(), 2, "one clone");
}

#[test]
fn reinstall_rebuild_and_clone() {
    let (sim, client, rt) = setup(Brand::ThreeNv, Generation::Middle);
    let uuid = new_vm(&client, &rt, "app");
    set_guest(&sim, &uuid, json!({"disk_data": "v1"}));
    let snap = run(&rt, replica::create(&client, LOC, &uuid));
    set_guest(&sim, &uuid, json!({"disk_data": "v2"}));

    let vm = run(
        &rt,
        vm_ops::reinstall(&client, LOC, &uuid, Some("debian"), Some("12")),
    );
    assert_eq!(
        (vm.uuid.as_str(), vm.os_name.as_str()),
        (uuid.as_str(), "debian")
    );
    assert_eq!(guest(&sim, &uuid)["disk_data"], Value::Null, "wiped");

    let vm = run(&rt, vm_ops::rebuild(&client, LOC, &uuid, &snap.uuid));
    assert_eq!(vm.os_name, "ubuntu");
    assert!(vm.is_stopped());
    assert_eq!(guest(&sim, &uuid)["disk_data"], "v1");
    let err = rt
        .block_on(vm_ops::rebuild(&client, LOC, &uuid, "no-such-replica"))
        .unwrap_err();
    assert!(err.message.contains("No such replica"), "{err}");

    let clone = run(&rt, vm_ops::clone(&client, LOC, &uuid, "copy"));
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
    let (sim3, client3, rt) = setup(Brand::ThreeNv, Generation::Middle);
    let uuid = new_vm(&client3, &rt, "iso");
    run(&rt, vm_ops::stop(&client3, LOC, &uuid, false));
    run(
        &rt,
        vm_ops::boot_iso_media(
            &client3,
            LOC,
            &uuid,
            "e3a5f2d6-7d15-41f0-85ba-047bcbc1cb26",
            BootRepository::Platform,
        ),
    );
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
    let (sim_e, client_e, _) = setup(Brand::Elastis, Generation::Oldest);
    let uuid = new_vm(&client_e, &rt, "rescue");
    run(&rt, vm_ops::stop(&client_e, LOC, &uuid, true));
    run(&rt, vm_ops::rescue_start(&client_e, LOC, &uuid));
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
    let (_sim, client, rt) = setup(Brand::Idcloudhost, Generation::Newest);
    let uuid = new_vm(&client, &rt, "w");
    let vm = run(
        &rt,
        vm_ops::wait_for_power(&client, LOC, &uuid, Power::Running),
    );
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
    let (_sim, client, rt) = setup(Brand::Idcloudhost, Generation::Newest);
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
