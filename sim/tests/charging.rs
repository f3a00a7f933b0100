//! Pricing and charging: each brand serves its document's policy and the month's
//! charges, which grow with the simulator's clock; billing accounts carry the
//! reseller and site their brand's document shows.

mod common;

use common::*;
use idcloudhost_sim::Brand;
use serde_json::{json, Value};

const BRANDS: [Brand; 3] = [Brand::Idcloudhost, Brand::ThreeNv, Brand::Elastis];

fn create_vm(t: &T, name: &str, extra: &[(&str, &str)]) -> String {
    let mut fields = vec![
        ("name", name),
        ("os_name", "ubuntu"),
        ("os_version", "24.04-lts"),
        ("disks", "20"),
        ("vcpu", "2"),
        ("ram", "2048"),
        ("reserve_public_ip", "false"),
    ];
    fields.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
    fields.extend_from_slice(extra);
    let (status, vm) = t.form("POST", "/v1/user-resource/vm", &fields);
    assert_eq!(status, 200, "{vm}");
    vm["uuid"].as_str().expect("uuid").to_owned()
}

fn default_billing(t: &T) -> i64 {
    let (_, accounts) = t.get("/v1/payment/billing_account/list");
    accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["is_default"] == true)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

fn usage(t: &T, billing: i64) -> Vec<Value> {
    let (status, body) = t.get(&format!("/v1/charging/usage?billing_account_id={billing}"));
    assert_eq!(status, 200, "{body}");
    body.as_array().expect("array").clone()
}

#[test]
fn every_brand_serves_the_documented_policy_and_its_billing_account_values() {
    for brand in BRANDS {
        let t = start_brand(brand);
        let (status, policy) = t.get("/v1/pricing/policy");
        assert_eq!(status, 200);
        let items = policy["policy"].as_array().expect("policy");
        assert_eq!(items.len(), 8, "{brand:?}");
        assert_eq!(
            items[0],
            json!({"numCpus": 1, "policyId": 1001, "price": 0.00521,
            "resourceType": "CPU", "serviceNameUserFriendly": "1 CPU"})
        );
        // Global: not under a location.
        assert_eq!(t.get("/v1/jkt01/pricing/policy").0, 404);
        // Each document's billing account example: reseller "Warren", site "warren".
        let (_, accounts) = t.get("/v1/payment/billing_account/list");
        for a in accounts.as_array().unwrap() {
            assert_eq!(a["reseller"], "Warren", "{brand:?}");
            assert_eq!(a["site"], "warren", "{brand:?}");
        }
        let id = default_billing(&t);
        let (_, one) = t.get(&format!(
            "/v1/payment/billing_account?billing_account_id={id}"
        ));
        assert_eq!(
            (one["reseller"].as_str(), one["site"].as_str()),
            (Some("Warren"), Some("warren"))
        );
    }
}

#[test]
fn charges_grow_with_the_clock_at_the_policy_prices() {
    for brand in BRANDS {
        let t = start_brand(brand);
        t.ctl("POST", "/__sim/clock", Some(json!({"frozen": true})));
        let vm = create_vm(&t, "metered", &[]);
        let billing = default_billing(&t);
        t.ctl("POST", "/__sim/clock", Some(json!({"advance_hours": 10})));
        let entries = usage(&t, billing);
        let entry = entries
            .iter()
            .find(|e| e["owner_uuid"] == vm.as_str())
            .expect("vm billed");
        let price = 2.0 * 0.00521 + 2048.0 * (0.00329 / 1024.0) + 20.0 * 0.0001;
        assert!(
            (entry["price"].as_f64().unwrap() - price).abs() < 1e-8,
            "{entry}"
        );
        assert!(
            (entry["hours"].as_f64().unwrap() - 10.0).abs() < 1e-8,
            "{entry}"
        );
        assert!(
            (entry["cost"].as_f64().unwrap() - 10.0 * price).abs() < 1e-7,
            "{entry}"
        );
        assert_eq!(
            entry["uptime_types"],
            json!(["VM_COMPUTE", "VM_RUNNING", "MAIN_STORAGE"])
        );
        assert_eq!(entry["configurations"][0]["cpus"], 2);
        assert_eq!(entry["price_unit"], "h");

        // Stopped: only storage is charged from then on.
        let (status, _) = t.form("POST", "/v1/user-resource/vm/stop", &[("uuid", &vm)]);
        assert_eq!(status, 200);
        t.ctl("POST", "/__sim/clock", Some(json!({"advance_hours": 5})));
        let entry = usage(&t, billing)
            .into_iter()
            .find(|e| e["owner_uuid"] == vm.as_str())
            .unwrap();
        let expected = 10.0 * price + 5.0 * 20.0 * 0.0001;
        assert!(
            (entry["cost"].as_f64().unwrap() - expected).abs() < 1e-7,
            "{entry}"
        );

        // Deleted: the month's charge stays, and stops growing.
        t.form("DELETE", "/v1/user-resource/vm", &[("uuid", &vm)]);
        t.ctl("POST", "/__sim/clock", Some(json!({"advance_hours": 100})));
        let entry = usage(&t, billing)
            .into_iter()
            .find(|e| e["owner_uuid"] == vm.as_str())
            .unwrap();
        assert!(
            (entry["cost"].as_f64().unwrap() - expected).abs() < 1e-7,
            "{entry}"
        );
    }
}

#[test]
fn windows_backup_disks_and_buckets_are_charged_and_a_dropped_price_is_not() {
    let t = start();
    t.ctl("POST", "/__sim/clock", Some(json!({"frozen": true})));
    let billing = default_billing(&t);
    let win = create_vm(
        &t,
        "win",
        &[
            ("os_name", "windows"),
            ("os_version", "2022"),
            ("backup", "true"),
        ],
    );
    let (status, disk) = t.form(
        "POST",
        "/v1/storage/disks",
        &[
            ("size_gb", "50"),
            ("billing_account_id", &billing.to_string()),
        ],
    );
    assert_eq!(status, 200, "{disk}");
    let (status, bucket) = t.form(
        "PUT",
        "/v1/storage/bucket",
        &[
            ("name", "charged-bucket"),
            ("billing_account_id", &billing.to_string()),
        ],
    );
    assert!(status < 300, "{bucket}");
    t.ctl(
        "POST",
        "/__sim/buckets/charged-bucket/objects",
        Some(json!({"count": 1, "size_bytes": 2u64 << 30})),
    );
    t.ctl("POST", "/__sim/clock", Some(json!({"advance_hours": 1})));
    let entries = usage(&t, billing);
    let price_of = |owner: &str| {
        entries
            .iter()
            .find(|e| e["owner_uuid"] == owner)
            .unwrap_or_else(|| panic!("{owner} in {entries:?}"))["price"]
            .as_f64()
            .unwrap()
    };
    let linux = 2.0 * 0.00521 + 2048.0 * (0.00329 / 1024.0) + 20.0 * 0.0001;
    let windows = linux + 20.0 * 3.42e-05 + 2.0 * 0.00548;
    assert!((price_of(&win) - windows).abs() < 1e-8, "{entries:?}");
    assert!((price_of(disk["uuid"].as_str().unwrap()) - 0.005).abs() < 1e-10);
    assert!((price_of("charged-bucket") - 2.0 * 3.42e-05).abs() < 1e-10);

    // Without the Windows licence price, the licence is not charged.
    assert_eq!(t.ctl("DELETE", "/__sim/pricing/1030", None).0, 204);
    let (_, policy) = t.get("/v1/pricing/policy");
    assert_eq!(policy["policy"].as_array().unwrap().len(), 7);
    t.ctl("POST", "/__sim/clock", Some(json!({"advance_hours": 1})));
    let entries = usage(&t, billing);
    let entry = entries
        .iter()
        .find(|e| e["owner_uuid"] == win.as_str())
        .unwrap();
    assert!((entry["price"].as_f64().unwrap() - (windows - 2.0 * 0.00548)).abs() < 1e-8);
    assert!((entry["cost"].as_f64().unwrap() - (2.0 * windows - 2.0 * 0.00548)).abs() < 1e-7);
    assert_eq!(t.ctl("DELETE", "/__sim/pricing", None).0, 204);
    let (_, policy) = t.get("/v1/pricing/policy");
    assert_eq!(policy["policy"].as_array().unwrap().len(), 8);
}

#[test]
fn usage_needs_one_of_the_callers_billing_accounts() {
    let t = start();
    assert_eq!(t.get("/v1/charging/usage").0, 400);
    assert_eq!(t.get("/v1/charging/usage?billing_account_id=1").0, 400);
}
