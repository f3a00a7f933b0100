mod common;

use common::*;
use serde_json::{json, Value};

fn vm(t: &T) -> String {
    let (s, b) = t.form(
        "POST",
        "/v1/user-resource/vm",
        &[
            ("name", "db"),
            ("os_name", "debian"),
            ("os_version", "12"),
            ("disks", "20"),
            ("vcpu", "1"),
            ("ram", "1024"),
            ("reserve_public_ip", "false"),
        ],
    );
    assert_eq!(s, 200, "{b}");
    b["uuid"].as_str().expect("uuid").to_string()
}

#[test]
fn disk_crud_attach_detach() {
    let t = start();
    let (s, d) = t.form(
        "POST",
        "/v1/storage/disks",
        &[("size_gb", "50"), ("display_name", "DB data")],
    );
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["status"], "Active");
    assert_eq!(d["display_name"], "DB data");
    assert_eq!(d["size_gb"], json!(50));
    let du = d["uuid"].as_str().expect("uuid").to_string();

    // JSON body ignored
    let (s, e) = t.json("POST", "/v1/storage/disks", json!({"size_gb": 10}));
    assert_eq!(s, 400);
    assert!(e["errors"]["size_gb"].is_string());

    let (s, _) = t.get(&format!("/v1/jkt02/storage/disks/{du}"));
    assert_eq!(s, 404);

    let vu = vm(&t);
    let (s, a) = t.form(
        "POST",
        "/v1/user-resource/vm/storage/attach",
        &[("uuid", &vu), ("storage_uuid", &du)],
    );
    assert_eq!(s, 200);
    assert_eq!(a["name"], "vdb");
    let (s, e) = t.call("DELETE", &format!("/v1/storage/disks/{du}"));
    assert!(s >= 400, "attached disk delete refused");
    assert!(e["message"].is_string());
    let (_, v) = t.get(&format!("/v1/user-resource/vm?uuid={vu}"));
    assert_eq!(v["storage"].as_array().map(|a| a.len()), Some(2));
    let (s, _) = t.form(
        "POST",
        "/v1/user-resource/vm/storage/detach",
        &[("uuid", &vu), ("storage_uuid", &du)],
    );
    assert_eq!(s, 200);

    let (s, m) = t.form(
        "PATCH",
        &format!("/v1/storage/disks/{du}"),
        &[("display_name", "renamed disk")],
    );
    assert_eq!(s, 200);
    assert_eq!(m["display_name"], "renamed disk");

    let (s, sn) = t.form(
        "POST",
        &format!("/v1/storage/disks/{du}/snapshots"),
        &[("display_name", "before")],
    );
    assert_eq!(s, 200);
    let (_, g) = t.get(&format!("/v1/storage/disks/{du}"));
    assert_eq!(g["snapshots"][0]["uuid"], sn["uuid"]);
    let (s, c) = t.form(
        "POST",
        "/v1/storage/disks",
        &[
            ("source_image_type", "SNAPSHOT"),
            ("source_image", sn["uuid"].as_str().expect("uuid")),
        ],
    );
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["size_gb"], json!(50));

    let (s, b) = t.call("DELETE", &format!("/v1/storage/disks/{du}"));
    assert_eq!(s, 204);
    assert_eq!(b, Value::Null);
    let (s, e) = t.get(&format!("/v1/storage/disks/{du}"));
    assert_eq!(s, 404);
    assert!(e["message"].is_string());
}

#[test]
fn buckets_and_keys() {
    let t = start_with(&["a", "b"]);
    let (s, e) = t.get("/v1/storage/user/keys");
    assert_eq!(s, 404);
    assert_eq!(e, json!({"message": "Storage account not found."}));
    let (s, l) = t.get("/v1/storage/bucket/list");
    assert_eq!(s, 200);
    assert_eq!(l, json!([]));

    let (s, b) = t.form("PUT", "/v1/storage/bucket", &[("name", "my-bucket-1")]);
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["num_objects"], json!(0));
    // globally unique
    let (s, _) = done(
        t.req_key("b", "PUT", "/v1/storage/bucket")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("name=my-bucket-1")
            .send()
            .expect("send"),
    );
    assert_eq!(s, 409);
    let (s, _) = t.form("PUT", "/v1/storage/bucket", &[("name", "Bad_Name")]);
    assert_eq!(s, 400);

    let (s, u) = t.get("/v1/storage/user");
    assert_eq!(s, 200);
    assert_eq!(u["s3Credentials"].as_array().map(|a| a.len()), Some(1));
    let (s, keys) = t.call("POST", "/v1/storage/user/keys");
    assert_eq!(s, 200);
    assert_eq!(keys.as_array().map(|a| a.len()), Some(2));
    let ak = keys[0]["accessKey"].as_str().expect("key").to_string();
    let (s, _) = t.form("DELETE", "/v1/storage/user/keys", &[("access_key", &ak)]);
    assert_eq!(s, 200);
    let (_, keys) = t.get("/v1/storage/user/keys");
    assert_eq!(keys.as_array().map(|a| a.len()), Some(1));

    let (s, o) = t.ctl(
        "POST",
        "/__sim/buckets/my-bucket-1/objects",
        Some(json!({"count": 3, "size_bytes": 1000})),
    );
    assert_eq!(s, 200);
    assert_eq!(o["num_objects"], json!(3));
    let (s, e) = done(
        t.req("DELETE", "/v1/storage/bucket?name=my-bucket-1")
            .send()
            .expect("send"),
    );
    assert!(s >= 400);
    assert!(e["message"].is_string());
    let (_, bas) = t.get("/v1/payment/billing_account/list");
    let b2 = bas[1]["id"].as_i64().expect("id").to_string();
    let (s, m) = t.form(
        "PATCH",
        "/v1/storage/bucket",
        &[("name", "my-bucket-1"), ("billing_account_id", &b2)],
    );
    assert_eq!(s, 200);
    assert_eq!(m["billing_account_id"].to_string(), b2);
    t.ctl("DELETE", "/__sim/buckets/my-bucket-1/objects", None);
    let (s, _) = t.form("DELETE", "/v1/storage/bucket", &[("name", "my-bucket-1")]);
    assert_eq!(s, 204);
    let (s, _) = t.get("/v1/storage/bucket?name=my-bucket-1");
    assert_eq!(s, 404);
    let (_, s3) = t.get("/v1/storage/api/s3");
    assert!(s3["url"].is_string());
    // object storage is global: not under a slug
    let (s, _) = t.get("/v1/jkt01/storage/bucket/list");
    assert_eq!(s, 404);
}

#[test]
fn a_disk_may_be_as_large_as_the_largest_host_pool_of_its_location_takes() {
    let t = start();
    // jkt01: General up to 2000 GB, Performance up to 4000 GB.
    let (s, d) = t.form("POST", "/v1/jkt01/storage/disks", &[("size_gb", "4000")]);
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["size_gb"], json!(4000));
    let (s, e) = t.form("POST", "/v1/jkt01/storage/disks", &[("size_gb", "4001")]);
    assert_eq!(s, 400, "{e}");
    assert!(
        e["errors"]["size_gb"]
            .as_str()
            .is_some_and(|m| m.contains("less than or equal to 4000")),
        "{e}"
    );
    // sgp01's only pool takes up to 500 GB.
    let (s, e) = t.form("POST", "/v1/sgp01/storage/disks", &[("size_gb", "501")]);
    assert_eq!(s, 400, "{e}");
    let (s, _) = t.form("POST", "/v1/sgp01/storage/disks", &[("size_gb", "500")]);
    assert_eq!(s, 200);
}
