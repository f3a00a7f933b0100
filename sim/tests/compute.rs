mod common;

use common::*;
use serde_json::{json, Value};

const VM: &str = "/v1/user-resource/vm";

fn create_vm(t: &T, extra: &[(&str, &str)]) -> Value {
    let mut f: Vec<(&str, &str)> = vec![
        ("name", "web-1"),
        ("os_name", "ubuntu"),
        ("os_version", "22.04-lts"),
        ("disks", "20"),
        ("vcpu", "2"),
        ("ram", "2048"),
        ("username", "example"),
        ("password", "Password123"),
    ];
    for (k, v) in extra {
        f.retain(|(a, _)| a != k);
        f.push((k, v));
    }
    let (s, b) = t.form("POST", VM, &f);
    assert_eq!(s, 200, "{b}");
    b
}

#[test]
fn create_get_list_delete() {
    let t = start();
    let vm = create_vm(&t, &[]);
    assert_eq!(vm["status"], "running");
    for k in ["id", "tags", "public_ipv4"] {
        assert!(vm.get(k).is_none(), "{k} must be absent");
    }
    assert!(vm.get("public_ipv6").is_some());
    assert!(vm.get("password").is_none());
    let st = vm["storage"].as_array().expect("storage");
    assert_eq!(st.len(), 1);
    assert_eq!(st[0]["name"], "vda");
    assert_eq!(st[0]["primary"], json!(true));
    assert_eq!(st[0]["size"], json!(20));
    assert_eq!(st[0]["replica"], json!([]));
    let uuid = vm["uuid"].as_str().expect("uuid").to_string();
    assert!(vm["billing_account"].is_i64());

    let (s, got) = t.get(&format!("{VM}?uuid={uuid}"));
    assert_eq!(s, 200);
    assert_eq!(got["uuid"], vm["uuid"]);
    let (_, list) = t.get(&format!("{VM}/list"));
    assert_eq!(list.as_array().map(|a| a.len()), Some(1));

    // public IPv4 via the floating IP list
    let (_, ips) = t.get(&format!("/v1/network/ip_addresses?vm_uuid={uuid}"));
    assert_eq!(ips.as_array().map(|a| a.len()), Some(1));
    assert_eq!(ips[0]["assigned_to"], json!(uuid));
    assert_eq!(ips[0]["assigned_to_resource_type"], "virtual_machine");
    assert_eq!(ips[0]["assigned_to_private_ip"], vm["private_ipv4"]);
    let addr = ips[0]["address"].as_str().expect("addr").to_string();

    // network membership
    let (_, nets) = t.get("/v1/network/networks");
    assert_eq!(nets.as_array().map(|a| a.len()), Some(1));
    assert_eq!(nets[0]["is_default"], json!(true));
    assert_eq!(nets[0]["vm_uuids"], json!([uuid]));
    assert!(nets[0].get("vlan_id").is_none());
    assert_eq!(nets[0]["subnet_ipv6"], "");

    let (s, _) = t.form("DELETE", VM, &[("uuid", &uuid)]);
    assert_eq!(s, 200);
    let (s, b) = t.get(&format!("{VM}?uuid={uuid}"));
    assert_eq!(s, 400);
    assert_eq!(
        b,
        json!({"errors": {"Error": format!("No such virtual machine exists. {uuid}")}})
    );
    // the floating IP survives, unassigned
    let (s, ip) = t.get(&format!("/v1/network/ip_addresses/{addr}"));
    assert_eq!(s, 200);
    assert_eq!(ip["assigned_to"], Value::Null);
}

#[test]
fn no_public_ip_means_no_ipv6_key() {
    let t = start();
    let vm = create_vm(&t, &[("reserve_public_ip", "false")]);
    assert!(vm.get("public_ipv6").is_none());
    let (_, ips) = t.get("/v1/network/ip_addresses");
    assert_eq!(ips, json!([]));
}

#[test]
fn json_body_is_ignored_on_vm_create() {
    let t = start();
    let (s, b) = t.json(
        "POST",
        VM,
        json!({"name": "a", "vcpu": 1, "ram": 1024, "disks": 20}),
    );
    assert_eq!(s, 400);
    assert!(b["errors"]["name"].is_string(), "{b}");
    assert!(b["errors"]["vcpu"].is_string(), "{b}");
}

#[test]
fn validation_against_host_pool_limits() {
    let t = start();
    let (s, b) = t.form(
        "POST",
        "/v1/sgp01/user-resource/vm",
        &[
            ("name", "x"),
            ("vcpu", "12"),
            ("ram", "1024"),
            ("disks", "20"),
        ],
    );
    assert_eq!(s, 400);
    assert!(b["errors"]["vcpu"].is_string(), "{b}");
    // same size is fine in jkt01
    let (s, b) = t.form(
        "POST",
        VM,
        &[
            ("name", "x"),
            ("vcpu", "12"),
            ("ram", "1024"),
            ("disks", "500"),
        ],
    );
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["os_name"], "_custom");
    let (s, b) = t.form(
        "POST",
        VM,
        &[
            ("name", "x"),
            ("vcpu", "1"),
            ("ram", "1024"),
            ("disks", "20"),
            ("public_key", "not a key"),
        ],
    );
    assert_eq!(s, 400);
    assert!(b["errors"]["public_key"].is_string());
    let (s, b) = t.form(
        "POST",
        VM,
        &[
            ("name", "x"),
            ("vcpu", "1"),
            ("ram", "1024"),
            ("disks", "20"),
            ("os_name", "ubuntu"),
            ("os_version", "16.04"),
        ],
    );
    assert_eq!(s, 400, "unpublished version");
    assert!(b["errors"]["os_version"].is_string());
}

#[test]
fn repeated_public_keys_and_spaces() {
    let t = start();
    let k1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMock user@host";
    let k2 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDC other@host";
    let vm = create_vm(&t, &[("public_keys", k1)]);
    assert_eq!(vm["status"], "running");
    // repeated keys via raw body
    let body = format!(
        "name=a&vcpu=1&ram=1024&disks=20&public_keys={}&public_keys={}",
        enc(k1),
        enc(k2)
    );
    let (s, _) = done(
        t.req("POST", VM)
            .header(
                "content-type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )
            .body(body)
            .send()
            .expect("send"),
    );
    assert_eq!(s, 200);
    // `+` is a literal plus, as on the live API: a key sent with + for spaces
    // arrives corrupted and is refused.
    let body = "name=b&vcpu=1&ram=1024&disks=20&public_key=ssh-ed25519+AAAAC3Nz+me";
    let (s, _) = done(
        t.req("POST", VM)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .expect("send"),
    );
    assert_eq!(s, 400);
}

#[test]
fn modify_rules() {
    let t = start();
    let vm = create_vm(&t, &[]);
    let uuid = vm["uuid"].as_str().expect("uuid").to_string();
    // running: vcpu change refused
    let (s, b) = t.form("PATCH", VM, &[("uuid", &uuid), ("vcpu", "4")]);
    assert_eq!(s, 400);
    assert!(b["errors"]["Error"].is_string());
    // rename allowed while running
    let (s, b) = t.form("PATCH", VM, &[("uuid", &uuid), ("name", "renamed")]);
    assert_eq!(s, 200);
    assert_eq!(b["name"], "renamed");
    let (s, b) = t.form("POST", &format!("{VM}/stop"), &[("uuid", &uuid)]);
    assert_eq!(s, 200);
    assert_eq!(b["status"], "stopped");
    // unchanged value refused
    let (s, _) = t.form("PATCH", VM, &[("uuid", &uuid), ("vcpu", "2")]);
    assert_eq!(s, 400);
    let (s, b) = t.form(
        "PATCH",
        VM,
        &[("uuid", &uuid), ("vcpu", "4"), ("ram", "4096")],
    );
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["vcpu"], json!(4));
    assert_eq!(b["memory"], json!(4096));
    // password change refused while stopped
    let (s, _) = t.form(
        "PATCH",
        &format!("{VM}/user"),
        &[
            ("uuid", &uuid),
            ("username", "example"),
            ("password", "NewPass123"),
        ],
    );
    assert_eq!(s, 400);
    t.form("POST", &format!("{VM}/start"), &[("uuid", &uuid)]);
    let (s, b) = t.form(
        "PATCH",
        &format!("{VM}/user"),
        &[
            ("uuid", &uuid),
            ("username", "example"),
            ("password", "NewPass123"),
        ],
    );
    assert_eq!(s, 200);
    assert_eq!(b, json!({"success": true}));
    // backup toggle
    let (_, b) = t.form("POST", &format!("{VM}/backup"), &[("uuid", &uuid)]);
    assert_eq!(b["backup"], json!(true));
    let (_, b) = t.form("POST", &format!("{VM}/backup"), &[("uuid", &uuid)]);
    assert_eq!(b["backup"], json!(false));
}

#[test]
fn locations_and_accounts_are_isolated() {
    let t = start_with(&["a", "b"]);
    let vm = create_vm(&t, &[]);
    let uuid = vm["uuid"].as_str().expect("uuid").to_string();
    let (s, _) = t.get(&format!("/v1/jkt02/user-resource/vm?uuid={uuid}"));
    assert_eq!(s, 400);
    let (s, _) = t.get(&format!("/v1/jkt01/user-resource/vm?uuid={uuid}"));
    assert_eq!(s, 200);
    let (s, _) = done(
        t.req_key("b", "GET", &format!("/v1/user-resource/vm?uuid={uuid}"))
            .send()
            .expect("send"),
    );
    assert_eq!(s, 400);
    let (_, l) = done(
        t.req_key("b", "GET", "/v1/user-resource/vm/list")
            .send()
            .expect("send"),
    );
    assert_eq!(l, json!([]));
}

#[test]
fn attached_storage_and_replicas() {
    let t = start();
    let vm = create_vm(&t, &[]);
    let uuid = vm["uuid"].as_str().expect("uuid").to_string();
    let (s, d) = t.form(
        "POST",
        &format!("{VM}/storage"),
        &[("uuid", &uuid), ("size_gb", "50")],
    );
    assert_eq!(s, 200);
    assert_eq!(d["name"], "vdb");
    let du = d["uuid"].as_str().expect("uuid").to_string();
    let (s, _) = t.form(
        "PATCH",
        &format!("{VM}/storage"),
        &[("uuid", &uuid), ("disk_uuid", &du), ("size_gb", "40")],
    );
    assert_eq!(s, 400);
    let (s, d) = t.form(
        "PATCH",
        &format!("{VM}/storage"),
        &[("uuid", &uuid), ("disk_uuid", &du), ("size_gb", "60")],
    );
    assert_eq!(s, 200);
    assert_eq!(d["size"], json!(60));
    let (_, got) = t.get(&format!("{VM}?uuid={uuid}"));
    assert_eq!(got["storage"].as_array().map(|a| a.len()), Some(2));
    let (s, _) = t.form(
        "DELETE",
        &format!("{VM}/storage"),
        &[("uuid", &uuid), ("storage_uuid", &du)],
    );
    assert_eq!(s, 200);

    let (s, r) = t.form("POST", &format!("{VM}/replica"), &[("uuid", &uuid)]);
    assert_eq!(s, 200);
    let rep = r["replica"][0]["uuid"]
        .as_str()
        .expect("replica")
        .to_string();
    let (_, reps) = t.get(&format!("{VM}/replica?uuid={uuid}"));
    assert_eq!(reps.as_array().map(|a| a.len()), Some(1));
    let (s, _) = t.form(
        "POST",
        &format!("{VM}/rebuild"),
        &[("uuid", &uuid), ("replica_uuid", &rep)],
    );
    assert_eq!(s, 200);
    let (s, _) = t.form(
        "DELETE",
        &format!("{VM}/replica"),
        &[("replica_uuid", &rep)],
    );
    assert_eq!(s, 200);
}

#[test]
fn networks_rules() {
    let t = start();
    let (s, a) = t.call("POST", "/v1/network/network?name=first");
    assert_eq!(s, 200);
    assert_eq!(a["is_default"], json!(true));
    let (_, b) = t.call("POST", "/v1/network/network?name=second%20net");
    assert_eq!(b["is_default"], json!(false));
    assert_eq!(b["name"], "second net");
    let bu = b["uuid"].as_str().expect("uuid").to_string();
    let au = a["uuid"].as_str().expect("uuid").to_string();
    let vm = create_vm(&t, &[("network_uuid", &bu)]);
    let (_, nb) = t.get(&format!("/v1/network/network/{bu}"));
    assert_eq!(nb["vm_uuids"], json!([vm["uuid"]]));
    let (s, e) = t.call("DELETE", &format!("/v1/network/network/{bu}"));
    assert_eq!(s, 400);
    assert!(e["message"].is_string());
    let (s, _) = t.call("DELETE", &format!("/v1/network/network/{au}"));
    assert_eq!(s, 400, "default network");
    let (s, r) = t.json(
        "PATCH",
        &format!("/v1/network/network/{au}"),
        json!({"name": "renamed"}),
    );
    assert_eq!(s, 200);
    assert_eq!(r["name"], "renamed");
    let (s, d) = t.call("PUT", &format!("/v1/network/network/{bu}/default"));
    assert_eq!(s, 200);
    assert_eq!(d["is_default"], json!(true));
    let (s, _) = t.call("DELETE", &format!("/v1/network/network/{au}"));
    assert_eq!(s, 200);
    let (s, e) = t.get(&format!("/v1/network/network/{au}"));
    assert_eq!(s, 400);
    assert_eq!(e, json!({"message": "Network UUID is invalid."}));
}

#[test]
fn floating_ips_crud_and_assign() {
    let t = start();
    let (_, bas) = t.get("/v1/payment/billing_account/list");
    let b1 = bas[0]["id"].as_i64().expect("id");
    let b2 = bas[1]["id"].as_i64().expect("id");
    let (s, ip) = t.json(
        "POST",
        "/v1/network/ip_addresses",
        json!({"name": "my ip", "billing_account_id": b1}),
    );
    assert_eq!(s, 200);
    let addr = ip["address"].as_str().expect("addr").to_string();
    assert_eq!(ip["enabled"], json!(true));
    assert!(ip["created_at"].is_string());
    let (s, ip) = t.json(
        "PATCH",
        &format!("/v1/network/ip_addresses/{addr}"),
        json!({"billing_account_id": b2, "name": "renamed"}),
    );
    assert_eq!(s, 200);
    assert_eq!(ip["billing_account_id"], json!(b2));
    let (_, l) = t.get(&format!("/v1/network/ip_addresses?billing_account_id={b1}"));
    assert_eq!(l, json!([]));

    let vm = create_vm(&t, &[("reserve_public_ip", "false")]);
    let vu = vm["uuid"].as_str().expect("uuid");
    let (s, a) = t.json(
        "POST",
        &format!("/v1/network/ip_addresses/{addr}/assign"),
        json!({"vm_uuid": vu}),
    );
    assert_eq!(s, 200, "{a}");
    assert_eq!(a["assigned_to"], json!(vu));
    let (s, _) = t.call("DELETE", &format!("/v1/network/ip_addresses/{addr}"));
    assert_eq!(s, 400, "assigned IP cannot be deleted");
    let (s, u) = t.call("POST", &format!("/v1/network/ip_addresses/{addr}/unassign"));
    assert_eq!(s, 200);
    assert_eq!(u["assigned_to"], Value::Null);
    let (s, a) = t.json(
        "POST",
        &format!("/v1/network/ip_addresses/{addr}/assign"),
        json!({"assigned_to": vu, "assigned_to_resource_type": "virtual_machine"}),
    );
    assert_eq!(s, 200);
    assert_eq!(a["assigned_to_private_ip"], vm["private_ipv4"]);
    t.call("POST", &format!("/v1/network/ip_addresses/{addr}/unassign"));
    let (s, _) = t.call("DELETE", &format!("/v1/network/ip_addresses/{addr}"));
    assert_eq!(s, 200);
    let (s, e) = t.get(&format!("/v1/network/ip_addresses/{addr}"));
    assert_eq!(s, 404);
    assert!(e["message"].is_string());
}

#[test]
fn billing_resources_and_move() {
    let t = start();
    let (_, bas) = t.get("/v1/payment/billing_account/list");
    let b1 = bas[0]["id"].as_i64().expect("id");
    let b2 = bas[1]["id"].as_i64().expect("id");
    let vm = create_vm(&t, &[]);
    assert_eq!(vm["billing_account"], json!(b1));
    let uuid = vm["uuid"].as_str().expect("uuid");
    let (s, l) = t.get(&format!("/v1/user-resource/billing_resources?id={b1}"));
    assert_eq!(s, 200);
    assert_eq!(l.as_array().map(|a| a.len()), Some(1));
    let (s, _) = t.form(
        "POST",
        "/v1/user-resource/resource_billing",
        &[("billing_account_id", &b2.to_string()), ("uuid", uuid)],
    );
    assert_eq!(s, 200);
    let (_, got) = t.get(&format!("{VM}?uuid={uuid}"));
    assert_eq!(got["billing_account"], json!(b2));
    let (_, l) = t.get(&format!("/v1/user-resource/billing_resources?id={b1}"));
    assert_eq!(l, json!([]));
}

#[test]
fn clone_reinstall_public_ip_and_boot_media() {
    let t = start();
    let vm = create_vm(&t, &[]);
    let uuid = vm["uuid"].as_str().expect("uuid").to_string();
    let (s, c) = t.form(
        "POST",
        &format!("{VM}/clone"),
        &[("uuid", &uuid), ("name", "the clone")],
    );
    assert_eq!(s, 200);
    assert_ne!(c["uuid"], vm["uuid"]);
    assert_eq!(c["name"], "the clone");
    let (s, r) = t.form(
        "POST",
        &format!("{VM}/reinstall"),
        &[("uuid", &uuid), ("os_name", "debian"), ("os_version", "12")],
    );
    assert_eq!(s, 200);
    assert_eq!(r["os_name"], "debian");
    let (s, _) = t.form("DELETE", &format!("{VM}/ip/public"), &[("uuid", &uuid)]);
    assert_eq!(s, 200);
    let (_, ips) = t.get(&format!("/v1/network/ip_addresses?vm_uuid={uuid}"));
    assert_eq!(ips, json!([]));
    let (s, _) = t.form("POST", &format!("{VM}/ip/public"), &[("uuid", &uuid)]);
    assert_eq!(s, 200);
    let (_, ips) = t.get(&format!("/v1/network/ip_addresses?vm_uuid={uuid}"));
    assert_eq!(ips.as_array().map(|a| a.len()), Some(1));
    let (_, all) = t.get("/v1/network/ip_addresses");
    assert_eq!(all.as_array().map(|a| a.len()), Some(2));

    let (_, boot) = t.get("/v1/config/boot_images");
    let img = boot[0]["uuid"].as_str().expect("uuid").to_string();
    let (s, _) = t.form(
        "POST",
        &format!("{VM}/boot_iso_media"),
        &[("uuid", &uuid), ("boot_image_uuid", &img)],
    );
    assert_eq!(s, 400, "running VM");
    t.form("POST", &format!("{VM}/stop"), &[("uuid", &uuid)]);
    let (s, b) = t.form(
        "POST",
        &format!("{VM}/boot_iso_media"),
        &[("uuid", &uuid), ("boot_image_uuid", &img)],
    );
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status"], "running");
}
