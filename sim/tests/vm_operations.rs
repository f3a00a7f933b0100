//! Day-2 VM operations: start/stop (graceful, forced, a guest that ignores the
//! shutdown signal), reinstall, rebuild from a replica, clone, one-shot boot
//! media per brand, and the time the live API takes for them.

mod common;

use std::time::{Duration, Instant};

use common::*;
use idcloudhost_sim::{Brand, SimConfig, Simulator};
use serde_json::{json, Value};

const VM: &str = "/v1/user-resource/vm";

fn create_vm(t: &T, name: &str) -> String {
    let (s, b) = t.form(
        "POST",
        VM,
        &[
            ("name", name),
            ("os_name", "ubuntu"),
            ("os_version", "22.04-lts"),
            ("disks", "20"),
            ("vcpu", "1"),
            ("ram", "1024"),
            ("username", "example"),
            ("password", "Password123"),
        ],
    );
    assert_eq!(s, 200, "{b}");
    b["uuid"].as_str().expect("uuid").to_string()
}

/// The VM as `GET /__sim/vms` shows it.
fn guest(t: &T, uuid: &str) -> Value {
    let (_, all) = t.ctl("GET", "/__sim/vms", None);
    all.as_array()
        .and_then(|a| a.iter().find(|v| v["uuid"] == uuid))
        .cloned()
        .unwrap_or_else(|| panic!("no {uuid} in {all}"))
}

fn set_guest(t: &T, uuid: &str, body: Value) {
    let (s, b) = t.ctl("POST", &format!("/__sim/vms/{uuid}/guest"), Some(body));
    assert_eq!(s, 200, "{b}");
}

fn vm(t: &T, uuid: &str) -> Value {
    let (s, b) = t.get(&format!("{VM}?uuid={uuid}"));
    assert_eq!(s, 200, "{b}");
    b
}

#[test]
fn graceful_stop_of_a_guest_that_ignores_it_fails_and_force_pulls_the_plug() {
    let t = start();
    let uuid = create_vm(&t, "hung");
    set_guest(&t, &uuid, json!({"ignores_shutdown": true}));

    let (s, e) = t.form("POST", &format!("{VM}/stop"), &[("uuid", &uuid)]);
    assert_eq!(s, 400, "{e}");
    assert!(
        e["errors"]["Error"]
            .as_str()
            .is_some_and(|m| m.contains("force=true")),
        "{e}"
    );
    assert_eq!(vm(&t, &uuid)["status"], "running");

    // The document's own spelling, `force=True`.
    let (s, b) = t.form(
        "POST",
        &format!("{VM}/stop"),
        &[("uuid", &uuid), ("force", "True")],
    );
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status"], "stopped");
    let g = guest(&t, &uuid);
    assert_eq!(g["last_stop"], "forced");
    assert_eq!(g["forced_stops"], 1);
    assert_eq!(g["ignores_shutdown"], true);

    // Idempotent: stopping a stopped VM changes nothing (not counted again).
    let (s, _) = t.form(
        "POST",
        &format!("{VM}/stop"),
        &[("uuid", &uuid), ("force", "true")],
    );
    assert_eq!(s, 200);
    assert_eq!(guest(&t, &uuid)["forced_stops"], 1);

    // A guest that obeys stops gracefully.
    let (s, _) = t.form("POST", &format!("{VM}/start"), &[("uuid", &uuid)]);
    assert_eq!(s, 200);
    set_guest(&t, &uuid, json!({"ignores_shutdown": false}));
    let (s, b) = t.form("POST", &format!("{VM}/stop"), &[("uuid", &uuid)]);
    assert_eq!(s, 200, "{b}");
    assert_eq!(guest(&t, &uuid)["last_stop"], "graceful");

    let (s, e) = t.form(
        "POST",
        &format!("{VM}/stop"),
        &[("uuid", &uuid), ("force", "maybe")],
    );
    assert_eq!(s, 400);
    assert!(e["errors"]["force"].is_string(), "{e}");
}

#[test]
fn reinstall_replaces_the_os_and_wipes_the_disk_keeping_the_vm() {
    let t = start();
    let uuid = create_vm(&t, "web");
    set_guest(&t, &uuid, json!({"disk_data": "orders.db"}));
    let before = vm(&t, &uuid);
    assert_eq!(guest(&t, &uuid)["disk_data"], "orders.db");

    let (s, r) = t.form(
        "POST",
        &format!("{VM}/reinstall"),
        &[("uuid", &uuid), ("os_name", "debian"), ("os_version", "12")],
    );
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["uuid"], json!(uuid));
    assert_eq!(r["os_name"], "debian");
    assert_eq!(r["os_version"], "12");
    assert_eq!(r["status"], "running");
    assert_eq!(r["private_ipv4"], before["private_ipv4"]);
    assert_eq!(r["storage"][0]["uuid"], before["storage"][0]["uuid"]);
    let g = guest(&t, &uuid);
    assert_eq!(g["disk_data"], Value::Null, "wiped: {g}");
    assert_eq!(g["disk_source"]["image"], "debian_12");

    // Without os_name/os_version: the same OS again.
    let (s, r) = t.form("POST", &format!("{VM}/reinstall"), &[("uuid", &uuid)]);
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["os_name"], "debian");

    let (s, e) = t.form(
        "POST",
        &format!("{VM}/reinstall"),
        &[
            ("uuid", &uuid),
            ("os_name", "ubuntu"),
            ("os_version", "1.0"),
        ],
    );
    assert_eq!(s, 400);
    assert!(e["errors"]["os_version"].is_string(), "{e}");
    // Windows needs 2 vcpu; this VM has 1.
    let (s, e) = t.form(
        "POST",
        &format!("{VM}/reinstall"),
        &[("uuid", &uuid), ("os_name", "windows")],
    );
    assert_eq!(s, 400, "{e}");
    assert_eq!(vm(&t, &uuid)["os_name"], "debian");
}

#[test]
fn rebuild_restores_the_replicas_os_size_and_data_and_leaves_the_vm_stopped() {
    let t = start();
    let uuid = create_vm(&t, "db");
    set_guest(&t, &uuid, json!({"disk_data": "v1"}));
    let (s, r) = t.form("POST", &format!("{VM}/replica"), &[("uuid", &uuid)]);
    assert_eq!(s, 200, "{r}");
    let replica = r["replica"][0]["uuid"]
        .as_str()
        .expect("replica")
        .to_string();
    assert_eq!(r["replica"][0]["size"], 20);

    // Changes after the snapshot: data, OS, a bigger disk.
    set_guest(&t, &uuid, json!({"disk_data": "v2"}));
    let (s, _) = t.form(
        "POST",
        &format!("{VM}/reinstall"),
        &[("uuid", &uuid), ("os_name", "debian"), ("os_version", "12")],
    );
    assert_eq!(s, 200);
    let disk = vm(&t, &uuid)["storage"][0]["uuid"]
        .as_str()
        .expect("disk")
        .to_string();
    let (s, b) = t.form(
        "PATCH",
        &format!("{VM}/storage"),
        &[("uuid", &uuid), ("disk_uuid", &disk), ("size_gb", "40")],
    );
    assert_eq!(s, 200, "{b}");

    let (s, b) = t.form(
        "POST",
        &format!("{VM}/rebuild"),
        &[("uuid", &uuid), ("replica_uuid", &replica)],
    );
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["uuid"], json!(uuid));
    assert_eq!(b["os_name"], "ubuntu");
    assert_eq!(b["os_version"], "22.04-lts");
    assert_eq!(b["status"], "stopped");
    assert_eq!(b["storage"][0]["size"], 20);
    assert_eq!(guest(&t, &uuid)["disk_data"], "v1");

    // A replica of another VM is not this VM's to restore.
    let other = create_vm(&t, "other");
    let (s, e) = t.form(
        "POST",
        &format!("{VM}/rebuild"),
        &[("uuid", &other), ("replica_uuid", &replica)],
    );
    assert_eq!(s, 400, "{e}");
    assert!(e["errors"]["Error"].is_string(), "{e}");
}

#[test]
fn automatic_backups_are_replicas_of_type_backup() {
    let t = start();
    let uuid = create_vm(&t, "app");
    set_guest(&t, &uuid, json!({"disk_data": "nightly"}));
    let (s, backup) = t.ctl("POST", &format!("/__sim/vms/{uuid}/backup"), None);
    assert_eq!(s, 200, "{backup}");
    assert_eq!(backup["type"], "backup");
    let (_, snapshots) = t.get(&format!("{VM}/replica?uuid={uuid}"));
    assert_eq!(snapshots, json!([]));
    let (_, backups) = t.get(&format!("{VM}/replica?uuid={uuid}&r_type=backup"));
    assert_eq!(backups[0]["uuid"], backup["uuid"]);
    set_guest(&t, &uuid, json!({"disk_data": "broken"}));
    let rid = backup["uuid"].as_str().expect("uuid");
    let (s, _) = t.form(
        "POST",
        &format!("{VM}/rebuild"),
        &[("uuid", &uuid), ("replica_uuid", rid)],
    );
    assert_eq!(s, 200);
    assert_eq!(guest(&t, &uuid)["disk_data"], "nightly");
}

#[test]
fn clone_copies_the_source_disk_os_and_size() {
    let t = start();
    let uuid = create_vm(&t, "golden");
    set_guest(&t, &uuid, json!({"disk_data": "app v3"}));
    let (s, c) = t.form(
        "POST",
        &format!("{VM}/clone"),
        &[("uuid", &uuid), ("name", "golden copy")],
    );
    assert_eq!(s, 200, "{c}");
    let clone = c["uuid"].as_str().expect("uuid");
    assert_ne!(clone, uuid);
    assert_eq!(c["name"], "golden copy");
    assert_eq!(c["status"], "running");
    assert_eq!(c["os_name"], "ubuntu");
    assert_eq!(c["vcpu"], 1);
    assert_eq!(c["storage"][0]["size"], 20);
    let g = guest(&t, clone);
    assert_eq!(g["disk_data"], "app v3");
    assert_eq!(g["booted_from"], "disk");
    // The clone's disk is its own.
    set_guest(&t, clone, json!({"disk_data": "changed"}));
    assert_eq!(guest(&t, &uuid)["disk_data"], "app v3");

    let (s, e) = t.form("POST", &format!("{VM}/clone"), &[("uuid", &uuid)]);
    assert_eq!(s, 400);
    assert!(e["errors"]["name"].is_string(), "{e}");
}

#[test]
fn boot_media_boot_once_then_the_disk_again() {
    let t = start();
    let uuid = create_vm(&t, "rescue-me");
    let (_, images) = t.get("/v1/config/boot_images");
    let image = images[0]["uuid"].as_str().expect("uuid").to_string();
    let (s, _) = t.form("POST", &format!("{VM}/stop"), &[("uuid", &uuid)]);
    assert_eq!(s, 200);
    let (s, b) = t.form(
        "POST",
        &format!("{VM}/boot_iso_media"),
        &[("uuid", &uuid), ("boot_image_uuid", &image)],
    );
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status"], "running");
    assert_eq!(guest(&t, &uuid)["booted_from"], format!("platform:{image}"));

    // One-shot: the next stop/start boots the disk.
    t.form("POST", &format!("{VM}/stop"), &[("uuid", &uuid)]);
    assert_eq!(
        guest(&t, &uuid)["booted_from"],
        format!("platform:{image}"),
        "the latest launch until the next one"
    );
    t.form("POST", &format!("{VM}/start"), &[("uuid", &uuid)]);
    assert_eq!(guest(&t, &uuid)["booted_from"], "disk");

    // A private ISO: a disk with read_only_bootable.
    let (s, d) = t.form(
        "POST",
        "/v1/storage/disks",
        &[("size_gb", "1"), ("read_only_bootable", "true")],
    );
    assert_eq!(s, 200, "{d}");
    let iso = d["uuid"].as_str().expect("uuid").to_string();
    t.form(
        "POST",
        &format!("{VM}/stop"),
        &[("uuid", &uuid), ("force", "true")],
    );
    let (s, b) = t.form(
        "POST",
        &format!("{VM}/boot_iso_media"),
        &[
            ("uuid", &uuid),
            ("boot_image_uuid", &iso),
            ("boot_image_repository", "private"),
        ],
    );
    assert_eq!(s, 200, "{b}");
    assert_eq!(guest(&t, &uuid)["booted_from"], format!("private:{iso}"));

    // Not elastis' rescue_start on this brand.
    let (s, _) = t.form("POST", &format!("{VM}/rescue_start"), &[("uuid", &uuid)]);
    assert_eq!(s, 404);
}

#[test]
fn elastis_boots_its_rescue_image_and_has_no_boot_iso_media() {
    let t = start_brand(Brand::Elastis);
    let uuid = create_vm(&t, "old");
    let (s, e) = t.form("POST", &format!("{VM}/rescue_start"), &[("uuid", &uuid)]);
    assert_eq!(s, 400, "running: {e}");
    t.form("POST", &format!("{VM}/stop"), &[("uuid", &uuid)]);
    let (s, b) = t.form("POST", &format!("{VM}/rescue_start"), &[("uuid", &uuid)]);
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status"], "running");
    assert_eq!(guest(&t, &uuid)["booted_from"], "rescue");
    t.form("POST", &format!("{VM}/stop"), &[("uuid", &uuid)]);
    t.form("POST", &format!("{VM}/start"), &[("uuid", &uuid)]);
    assert_eq!(guest(&t, &uuid)["booted_from"], "disk");
    let (s, _) = t.form(
        "POST",
        &format!("{VM}/boot_iso_media"),
        &[
            ("uuid", &uuid),
            ("boot_image_uuid", "e3a5f2d6-7d15-41f0-85ba-047bcbc1cb26"),
        ],
    );
    assert_eq!(s, 404);
    // Every brand has the rest.
    for path in ["reinstall", "clone", "rebuild", "replica", "start", "stop"] {
        let (s, b) = t.form("POST", &format!("{VM}/{path}"), &[]);
        assert_eq!(s, 400, "{path}: {b}");
    }
}

fn timed(t: &T, path: &str, fields: &[(&str, &str)]) -> (u16, Duration) {
    let started = Instant::now();
    let (s, _) = t.form("POST", &format!("{VM}/{path}"), fields);
    (s, started.elapsed())
}

#[test]
fn the_time_factor_scales_the_live_durations() {
    // 0.02: a stop takes 22 s x 0.02 = 0.44 s, a start 0.08 s.
    let sim = Simulator::start(SimConfig {
        time_factor: 0.02,
        ..SimConfig::default()
    })
    .expect("start");
    let t = T {
        sim,
        client: reqwest::blocking::Client::new(),
        key: "sim-key".into(),
    };
    let (_, timing) = t.ctl("GET", "/__sim/timing", None);
    assert_eq!(timing["time_factor"], 0.02);
    let uuid = create_vm(&t, "slow");
    let (s, took) = timed(&t, "stop", &[("uuid", &uuid)]);
    assert_eq!(s, 200);
    assert!(took >= Duration::from_millis(440), "stop took {took:?}");
    // Already stopped: nothing to wait for.
    let (_, took) = timed(&t, "stop", &[("uuid", &uuid)]);
    assert!(took < Duration::from_millis(300), "{took:?}");
    let (s, took) = timed(&t, "start", &[("uuid", &uuid)]);
    assert_eq!(s, 200);
    assert!(took >= Duration::from_millis(80), "start took {took:?}");
    // A guest that ignores the signal: the platform waits 60 s (1.2 s here).
    set_guest(&t, &uuid, json!({"ignores_shutdown": true}));
    let (s, took) = timed(&t, "stop", &[("uuid", &uuid)]);
    assert_eq!(s, 400);
    assert!(took >= Duration::from_millis(1200), "{took:?}");
    let (s, took) = timed(&t, "stop", &[("uuid", &uuid), ("force", "true")]);
    assert_eq!(s, 200);
    assert!(took < Duration::from_millis(440), "forced: {took:?}");

    // Changed at run time; 0 answers at once.
    let (s, _) = t.ctl("POST", "/__sim/timing", Some(json!({"time_factor": 0})));
    assert_eq!(s, 200);
    let (_, took) = timed(&t, "start", &[("uuid", &uuid)]);
    assert!(took < Duration::from_millis(80), "{took:?}");
    let (s, _) = t.ctl("POST", "/__sim/timing", Some(json!({"time_factor": -1})));
    assert_eq!(s, 400);
}
