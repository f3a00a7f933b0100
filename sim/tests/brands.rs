//! Each brand mode serves exactly its document: what it lacks is the live "no route"
//! 404, fields are that document's.

mod common;

use common::*;
use idcloudhost_sim::Brand;
use serde_json::{json, Value};

const NO_ROUTE: &str = "no route and no API found with those values";
const KEY_A: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA a";
const KEY_B: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB b";

fn vm_fields<'a>(name: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("name", name),
        ("disks", "20"),
        ("vcpu", "1"),
        ("ram", "1024"),
        ("reserve_public_ip", "false"),
    ];
    fields.extend_from_slice(extra);
    fields
}

const UBUNTU: [(&str, &str); 2] = [("os_name", "ubuntu"), ("os_version", "24.04-lts")];

fn is_no_route(status: u16, body: &Value) -> bool {
    status == 404 && body["message"] == NO_ROUTE
}

/// (method, path) of endpoints only some documents have.
fn probes() -> Vec<(&'static str, &'static str)> {
    vec![
        ("GET", "/v1/user-resource/ssh_keys"),
        ("GET", "/v1/network/firewalls"),
        ("GET", "/v1/user-resource/service/packages"),
        ("GET", "/v1/config/boot_images"),
        ("POST", "/v1/user-resource/vm/boot_iso_media"),
        ("POST", "/v1/user-resource/vm/rescue_start"),
    ]
}

#[test]
fn each_brand_answers_no_route_for_what_its_document_lacks() {
    // (brand, which probes exist) in the order of `probes()`.
    let expected = [
        (Brand::Idcloudhost, [true, true, true, true, true, false]),
        (Brand::ThreeNv, [false, true, true, true, true, false]),
        (Brand::Elastis, [false, false, false, false, false, true]),
    ];
    for (brand, exists) in expected {
        let t = start_brand(brand);
        for ((method, path), exists) in probes().into_iter().zip(exists) {
            let (status, body) = t.form(method, path, &[("uuid", "x")]);
            assert_eq!(
                !is_no_route(status, &body),
                exists,
                "{brand:?} {method} {path}: {status} {body}"
            );
        }
        // What every document has.
        let (status, body) = t.get("/v1/user-resource/vm/list");
        assert_eq!(status, 200, "{brand:?}: {body}");
    }
}

#[test]
fn s3_endpoint_is_the_brands() {
    for (brand, url) in [
        (Brand::Idcloudhost, "https://s3.idcloudhost.com:8080/"),
        (Brand::ThreeNv, "https://s3.3nv.io:8080/"),
        (Brand::Elastis, "https://s3.elastis.id:8080/"),
    ] {
        let t = start_brand(brand);
        let (status, body) = t.get("/v1/storage/api/s3");
        assert_eq!((status, body["url"].as_str()), (200, Some(url)));
    }
}

#[test]
fn oldest_disks_speak_the_oldest_field_names() {
    let t = start_brand(Brand::Elastis);
    let (status, disk) = t.form(
        "POST",
        "/v1/storage/disks",
        &[
            ("size_gb", "10"),
            ("display_name", "data"),
            ("read_only_bootable", "true"),
        ],
    );
    assert_eq!(status, 200, "{disk}");
    for key in ["display_name", "read_only_bootable", "storage_pool_uuid"] {
        assert!(disk.get(key).is_none(), "{key} in {disk}");
    }
    let uuid = disk["uuid"].as_str().unwrap();
    // Not read: the disk is not read-only bootable.
    let (_, bootable) = t.get("/v1/storage/disks?read_only_bootable=true");
    assert_eq!(bootable, json!([]));
    let (status, _) = t.form(
        "POST",
        &format!("/v1/storage/disks/{uuid}/snapshots"),
        &[("display_name", "before")],
    );
    assert_eq!(status, 200);
    let (_, disk) = t.get(&format!("/v1/storage/disks/{uuid}"));
    let snapshot = &disk["snapshots"][0];
    assert_eq!(snapshot["sizeGb"], json!(10), "{disk}");
    assert!(snapshot.get("size_gb").is_none() && snapshot.get("display_name").is_none());

    // The newer documents keep their names.
    let t = start_brand(Brand::ThreeNv);
    let (_, disk) = t.form(
        "POST",
        "/v1/storage/disks",
        &[("size_gb", "10"), ("display_name", "data")],
    );
    assert_eq!(disk["display_name"], "data");
    assert!(disk["storage_pool_uuid"].is_string());
}

#[test]
fn only_the_newest_reads_repeated_public_keys() {
    for (brand, installed) in [
        (Brand::Idcloudhost, vec![KEY_A, KEY_B]),
        (Brand::ThreeNv, vec![KEY_A]),
        (Brand::Elastis, vec![KEY_A]),
    ] {
        let t = start_brand(brand);
        let mut extra = UBUNTU.to_vec();
        extra.extend([
            ("public_key", KEY_A),
            ("public_keys", KEY_B),
            ("username", "admin"),
        ]);
        let (status, vm) = t.form("POST", "/v1/user-resource/vm", &vm_fields("web", &extra));
        assert_eq!(status, 200, "{brand:?}: {vm}");
        let (_, guests) = t.ctl("GET", "/__sim/vms", None);
        assert_eq!(guests[0]["public_keys"], json!(installed), "{brand:?}");
    }
}

#[test]
fn oldest_refuses_empty_disk_vms_and_other_cloud_init() {
    let t = start_brand(Brand::Elastis);
    let create =
        |extra: &[(&str, &str)]| t.form("POST", "/v1/user-resource/vm", &vm_fields("web", extra));
    let (status, body) = create(&[("os_name", "_custom"), ("os_version", "_")]);
    assert_eq!(
        (status, body["errors"]["os_name"].is_string()),
        (400, true),
        "{body}"
    );
    let (status, body) = create(&[]);
    assert_eq!(
        (status, body["errors"]["os_name"].is_string()),
        (400, true),
        "{body}"
    );
    let mut yaml = UBUNTU.to_vec();
    yaml.push(("cloud_init", "#cloud-config\nruncmd: [ls]\n"));
    let (status, body) = create(&yaml);
    assert_eq!(
        (status, body["errors"]["cloud_init"].is_string()),
        (400, true),
        "{body}"
    );
    let mut users = UBUNTU.to_vec();
    users.push(("cloud_init", r#"{"users": []}"#));
    assert_eq!(create(&users).0, 400);
    let mut runcmd = UBUNTU.to_vec();
    runcmd.push(("cloud_init", r#"{"runcmd": ["ls"], "write_files": []}"#));
    let (status, body) = create(&runcmd);
    assert_eq!(status, 200, "{body}");
    let (_, guests) = t.ctl("GET", "/__sim/vms", None);
    assert_eq!(
        guests.as_array().map(Vec::len),
        Some(1),
        "nothing else was created"
    );

    // The middle generation has both.
    let t = start_brand(Brand::ThreeNv);
    let (status, vm) = t.form(
        "POST",
        "/v1/user-resource/vm",
        &vm_fields(
            "iso",
            &[
                ("os_name", "_custom"),
                ("os_version", "_"),
                ("cloud_init", "runcmd: [ls]"),
            ],
        ),
    );
    assert_eq!(
        (status, vm["os_name"].as_str()),
        (200, Some("_custom")),
        "{vm}"
    );
}
