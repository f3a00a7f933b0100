//! Pricing and charging (global): `GET /pricing/policy` and
//! `GET /charging/usage?billing_account_id=`.
//!
//! The policy is the documents' example (the same in all three) until a test
//! replaces it (`PUT /__sim/pricing`). Charges grow from the account's resources
//! and the simulator's clock: every resource has a meter, opened when it first
//! exists, that accrues its current hourly price for every hour that passes
//! (`POST /__sim/clock` moves the clock; a running VM pays for CPU, RAM, its
//! boot disk, backup and Windows licence, a stopped one only for storage) and
//! stops when the resource is deleted. A price the policy lacks is not charged.

use serde_json::{json, Value};

use super::{global, Route};
use crate::http::{field_err, ok, vm_err, Req, Resp, MISSING, NOT_INT};
use crate::state::SimState;

pub fn route(method: &str, segs: &[&str]) -> Option<Route> {
    match (method, segs) {
        ("GET", ["pricing", "policy"]) => global(pricing_policy),
        ("GET", ["charging", "usage"]) => global(charging_usage),
        _ => None,
    }
}

/// The pricing policy of the documents' "Pricing policy" example.
pub fn documented_policy() -> Value {
    json!({"policy": [
        {"numCpus": 1, "policyId": 1001, "price": 0.00521, "resourceType": "CPU",
         "serviceNameUserFriendly": "1 CPU"},
        {"megsRam": 512, "policyId": 1010, "price": 0.001645, "resourceType": "RAM",
         "serviceNameUserFriendly": "0.5 GB RAM"},
        {"megsRam": 1024, "policyId": 1011, "price": 0.00329, "resourceType": "RAM",
         "serviceNameUserFriendly": "1 GB RAM"},
        {"policyId": 1021, "price": 3.42e-05, "resourceType": "STORAGE",
         "serviceNameInUptime": "backup", "serviceNameUserFriendly": "Backup"},
        {"policyId": 1022, "price": 0.0001, "resourceType": "STORAGE",
         "serviceNameInUptime": "snapshot", "serviceNameUserFriendly": "Snapshot"},
        {"policyId": 1023, "price": 0.0001, "resourceType": "STORAGE",
         "serviceNameInUptime": "main", "serviceNameUserFriendly": "Storage"},
        {"policyId": 1030, "price": 0.00548, "resourceType": "LICENSE",
         "serviceNameInUptime": "windows",
         "serviceNameUserFriendly": "Windows license per core per hour"},
        {"policyId": 1040, "price": 3.42e-05, "resourceType": "OBJECT_STORAGE",
         "serviceNameInUptime": "object_storage",
         "serviceNameUserFriendly": "Object storage per gigabyte per hour"}
    ]})
}

/// The simulator's clock, in hours: real time plus what tests added, or frozen.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    pub offset_hours: f64,
    pub frozen_at: Option<f64>,
}

impl Clock {
    pub fn now_hours(&self) -> f64 {
        match self.frozen_at {
            Some(h) => h,
            None => crate::util::unix_now_f64() / 3600.0 + self.offset_hours,
        }
    }
}

/// The running charge of one resource this month.
#[derive(Clone, Debug)]
pub struct Meter {
    pub key: String,
    pub owner_uuid: String,
    pub billing_account_id: i64,
    pub user_id: i64,
    pub description: String,
    pub uptime_types: Vec<String>,
    pub configurations: Vec<Value>,
    /// The current price per hour.
    pub price: f64,
    pub hours: f64,
    pub cost: f64,
    pub last_hours: f64,
    pub alive: bool,
}

/// Prices read from a policy document (per hour).
struct Prices {
    cpu: f64,
    ram_mb: f64,
    main: f64,
    backup: f64,
    snapshot: f64,
    windows: f64,
    object_gb: f64,
}

fn prices(policy: &Value) -> Prices {
    let items: Vec<&Value> = policy["policy"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let price = |v: &Value| v["price"].as_f64().unwrap_or(0.0);
    let of_kind = |t: &str, kind: &str| {
        items
            .iter()
            .find(|p| p["resourceType"] == t && p["serviceNameInUptime"] == kind)
            .map(|p| price(p))
            .unwrap_or(0.0)
    };
    let cpu = items
        .iter()
        .filter(|p| p["resourceType"] == "CPU")
        .filter_map(|p| {
            let n = p["numCpus"].as_i64().unwrap_or(1);
            (n > 0).then(|| (n, price(p) / n as f64))
        })
        .min_by_key(|(n, _)| *n)
        .map(|(_, per)| per)
        .unwrap_or(0.0);
    let ram_mb = items
        .iter()
        .filter(|p| p["resourceType"] == "RAM")
        .filter_map(|p| {
            let m = p["megsRam"].as_i64().filter(|m| *m > 0)?;
            Some((m, price(p) / m as f64))
        })
        .max_by_key(|(m, _)| *m)
        .map(|(_, per)| per)
        .unwrap_or(0.0);
    Prices {
        cpu,
        ram_mb,
        main: of_kind("STORAGE", "main"),
        backup: of_kind("STORAGE", "backup"),
        snapshot: of_kind("STORAGE", "snapshot"),
        windows: of_kind("LICENSE", "windows"),
        object_gb: of_kind("OBJECT_STORAGE", "object_storage"),
    }
}

/// What is billed right now: one meter per resource, with its current price.
fn billed_now(st: &SimState) -> Vec<Meter> {
    let p = prices(&st.policy);
    let mut out = Vec::new();
    let meter = |key: &str, uuid: &str, billing: i64, user_id: i64| Meter {
        key: key.to_string(),
        owner_uuid: uuid.to_string(),
        billing_account_id: billing,
        user_id,
        description: String::new(),
        uptime_types: Vec::new(),
        configurations: Vec::new(),
        price: 0.0,
        hours: 0.0,
        cost: 0.0,
        last_hours: 0.0,
        alive: true,
    };
    for (key, acc) in &st.accounts {
        let user_id = acc.user_id;
        for loc in acc.locs.values() {
            for vm in &loc.vms {
                let boot = loc
                    .disks
                    .iter()
                    .find(|d| d.primary && d.attached_to.as_deref() == Some(vm.uuid.as_str()));
                let disk_gb = boot.map(|d| d.size_gb).unwrap_or(0) as f64;
                let running = vm.status == super::vm::RUNNING;
                let windows = vm.os_name.to_ascii_lowercase().starts_with("windows");
                let mut types = vec!["VM_COMPUTE".to_string()];
                let mut price = p.main * disk_gb;
                if running {
                    types.push("VM_RUNNING".into());
                    price += p.cpu * vm.vcpu as f64 + p.ram_mb * vm.memory as f64;
                    if windows {
                        types.push("WINDOWS_LICENSE".into());
                        price += p.windows * vm.vcpu as f64;
                    }
                }
                types.push("MAIN_STORAGE".into());
                if vm.backup {
                    types.push("BACKUP_STORAGE".into());
                    price += p.backup * disk_gb;
                }
                let mut m = meter(key, &vm.uuid, vm.billing_account, user_id);
                m.description = format!(
                    "{}, {} CPUs, {} GB RAM, {} GB disk",
                    vm.name,
                    vm.vcpu,
                    vm.memory as f64 / 1024.0,
                    disk_gb
                );
                m.uptime_types = types;
                m.configurations = vec![json!({
                    "cpus": vm.vcpu,
                    "disk_size_GB": disk_gb as i64,
                    "os_name": vm.os_name,
                    "ram_MB": vm.memory,
                    "vm_name": vm.name,
                })];
                m.price = price;
                out.push(m);
            }
            for d in &loc.disks {
                if !d.primary {
                    let mut m = meter(key, &d.uuid, d.billing_account_id, user_id);
                    m.description = format!(
                        "Disk {}, {} GB",
                        d.display_name.as_deref().unwrap_or(&d.uuid),
                        d.size_gb
                    );
                    m.uptime_types = vec!["MAIN_STORAGE".into()];
                    m.price = p.main * d.size_gb as f64;
                    out.push(m);
                }
                let snapshots = d
                    .replicas
                    .iter()
                    .map(|r| (&r.uuid, r.size))
                    .chain(d.snapshots.iter().map(|s| (&s.uuid, s.size_gb)));
                for (uuid, size) in snapshots {
                    let mut m = meter(key, uuid, d.billing_account_id, user_id);
                    m.description = format!("Snapshot of disk {}, {} GB", d.uuid, size);
                    m.uptime_types = vec!["SNAPSHOT_STORAGE".into()];
                    m.price = p.snapshot * size as f64;
                    out.push(m);
                }
            }
        }
        for b in &acc.buckets {
            let mut m = meter(key, &b.name, b.billing_account_id, user_id);
            m.description = format!("Bucket {}, {} bytes", b.name, b.size_bytes);
            m.uptime_types = vec!["OBJECT_STORAGE".into()];
            m.price = p.object_gb * b.size_bytes as f64 / (1024.0 * 1024.0 * 1024.0);
            out.push(m);
        }
    }
    out
}

/// Brings every meter up to the clock: the time since the last look is charged at
/// the prices of then, new resources get a meter, deleted ones stop.
pub fn tick(st: &mut SimState) {
    let now = st.clock.now_hours();
    for m in st.meters.iter_mut().filter(|m| m.alive) {
        let dt = (now - m.last_hours).max(0.0);
        m.hours += dt;
        m.cost += m.price * dt;
        m.last_hours = now;
    }
    let current = billed_now(st);
    for m in st.meters.iter_mut().filter(|m| m.alive) {
        if !current
            .iter()
            .any(|c| c.key == m.key && c.owner_uuid == m.owner_uuid)
        {
            m.alive = false;
        }
    }
    for c in current {
        match st
            .meters
            .iter_mut()
            .find(|m| m.alive && m.key == c.key && m.owner_uuid == c.owner_uuid)
        {
            Some(m) => {
                m.price = c.price;
                m.description = c.description;
                m.uptime_types = c.uptime_types;
                m.configurations = c.configurations;
                m.billing_account_id = c.billing_account_id;
            }
            None => st.meters.push(Meter {
                last_hours: now,
                ..c
            }),
        }
    }
}

fn round8(x: f64) -> f64 {
    (x * 1e8).round() / 1e8
}

fn pricing_policy(st: &mut SimState, _rq: &Req) -> Resp {
    ok(st.policy.clone())
}

fn charging_usage(st: &mut SimState, rq: &Req) -> Resp {
    let id = match rq.q("billing_account_id").map(str::trim) {
        None | Some("") => return field_err("billing_account_id", MISSING),
        Some(v) => match v.parse::<i64>() {
            Ok(n) => n,
            Err(_) => return field_err("billing_account_id", NOT_INT),
        },
    };
    if !st.account(&rq.key).is_some_and(|a| a.has_billing(id)) {
        return vm_err(400, "Provided billing account is incorrect.");
    }
    tick(st);
    let entries: Vec<Value> = st
        .meters
        .iter()
        .filter(|m| m.key == rq.key && m.billing_account_id == id)
        .map(|m| {
            json!({
                "billing_account_id": m.billing_account_id,
                "configurations": m.configurations,
                "cost": round8(m.cost),
                "description": m.description,
                "hours": round8(m.hours),
                "owner_uuid": m.owner_uuid,
                "price": round8(m.price),
                "price_unit": "h",
                "uptime_types": m.uptime_types,
                "user_id": m.user_id,
            })
        })
        .collect();
    ok(Value::Array(entries))
}
