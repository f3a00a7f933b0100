//! Block storage disks. The VM's own disks (boot disk, disks added through
//! `/vm/storage`) live in the same per-location store as `storage/disks`.

use serde_json::{json, Value};

use super::{config, located, Route};
use crate::http::{
    field_err, msg_err, no_content, ok, opt_bool, opt_int, Errs, Req, Resp, MISSING, NOT_BOOL,
};
use crate::state::{Loc, SimState};
use crate::util;

/// A VM replica (snapshot or backup) of a disk, as listed in `storage[].replica`.
#[derive(Clone)]
pub struct Replica {
    pub id: i64,
    pub uuid: String,
    pub created_at: String,
    pub size: i64,
    pub kind: String,
    /// The operating system on the disk when the replica was taken (boot disks).
    pub os: Option<(String, String)>,
    /// What the guest had written on the disk then (`Disk::guest_data`).
    pub guest_data: Option<String>,
}

/// A block-storage snapshot (`storage/disks/{uuid}/snapshots`).
#[derive(Clone)]
pub struct Snapshot {
    pub uuid: String,
    pub size_gb: i64,
    pub display_name: Option<String>,
    pub created_at: String,
}

#[derive(Clone)]
pub struct Disk {
    pub id: i64,
    pub uuid: String,
    pub display_name: Option<String>,
    pub size_gb: i64,
    pub billing_account_id: i64,
    pub source_image_type: String,
    pub source_image: Option<String>,
    /// `2022-09-01T12:03:14.355+0000` style (storage API)
    pub created_at: String,
    pub updated_at: String,
    /// `2022-09-08 14:20:16` style (VM storage view)
    pub vm_created_at: String,
    pub vm_updated_at: Option<String>,
    pub snapshots: Vec<Snapshot>,
    pub replicas: Vec<Replica>,
    pub read_only_bootable: bool,
    /// VM this disk is attached to.
    pub attached_to: Option<String>,
    /// Device name inside the VM (`vda`, `vdb`, ...).
    pub device: Option<String>,
    pub primary: bool,
    /// Created together with a VM (boot disk or `/vm/storage` add): deleted with it.
    pub owned_by_vm: bool,
    /// What the guest wrote on the disk (set by `POST /__sim/vms/{uuid}/guest`), so
    /// tests can see what reinstall wipes, rebuild restores and clone copies.
    pub guest_data: Option<String>,
}

pub const STORAGE_POOL_UUID: &str = "57a219ef-83fd-412c-8b6a-953ac292bc37";

impl Disk {
    pub fn new(id: i64, size_gb: i64, billing: i64) -> Disk {
        Disk {
            id,
            uuid: util::uuid_v4(),
            display_name: None,
            size_gb,
            billing_account_id: billing,
            source_image_type: "EMPTY".to_string(),
            source_image: None,
            created_at: util::ts_millis_offset(),
            updated_at: util::ts_millis_offset(),
            vm_created_at: util::ts(),
            vm_updated_at: None,
            snapshots: Vec::new(),
            replicas: Vec::new(),
            read_only_bootable: false,
            attached_to: None,
            device: None,
            primary: false,
            owned_by_vm: false,
            guest_data: None,
        }
    }

    pub fn touch(&mut self) {
        self.updated_at = util::ts_millis_offset();
        self.vm_updated_at = Some(util::ts());
    }

    pub fn replica_json(&self, r: &Replica) -> Value {
        json!({
            "created_at": r.created_at,
            "id": r.id,
            "master_id": self.id,
            "master_uuid": self.uuid,
            "pool": "",
            "size": r.size,
            "type": r.kind,
            "updated_at": null,
            "uuid": r.uuid,
        })
    }

    /// The disk as it appears in a VM's `storage` list.
    pub fn storage_json(&self, user_id: i64) -> Value {
        let replicas: Vec<Value> = self.replicas.iter().map(|r| self.replica_json(r)).collect();
        json!({
            "created_at": self.vm_created_at,
            "name": self.device.clone().unwrap_or_default(),
            "pool": "default",
            "primary": self.primary,
            "replica": replicas,
            "shared": false,
            "size": self.size_gb,
            "type": "block",
            "updated_at": self.vm_updated_at,
            "user_id": user_id,
            "uuid": self.uuid,
        })
    }

    /// The disk as served by `storage/disks`.
    pub fn to_json(&self, user_id: i64) -> Value {
        let snaps: Vec<Value> = self
            .snapshots
            .iter()
            .map(|s| {
                let mut v = json!({
                    "uuid": s.uuid,
                    "size_gb": s.size_gb,
                    "created_at": s.created_at,
                    "disk_uuid": self.uuid,
                });
                if let Some(n) = &s.display_name {
                    v["display_name"] = json!(n);
                }
                v
            })
            .collect();
        let mut v = json!({
            "uuid": self.uuid,
            "status": "Active",
            "snapshots": snaps,
            "user_id": user_id,
            "billing_account_id": self.billing_account_id,
            "size_gb": self.size_gb,
            "source_image_type": self.source_image_type,
            "read_only_bootable": self.read_only_bootable,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "storage_pool_uuid": STORAGE_POOL_UUID,
        });
        if let Some(n) = &self.display_name {
            v["display_name"] = json!(n);
        }
        if let Some(s) = &self.source_image {
            v["source_image"] = json!(s);
        }
        v
    }
}

/// Next free device name (`vdb`, `vdc`, ...) among the disks attached to `vm`.
pub fn next_device(disks: &[Disk], vm: &str) -> String {
    let used: Vec<&str> = disks
        .iter()
        .filter(|d| d.attached_to.as_deref() == Some(vm))
        .filter_map(|d| d.device.as_deref())
        .collect();
    for c in b'b'..=b'z' {
        let name = format!("vd{}", c as char);
        if !used.contains(&name.as_str()) {
            return name;
        }
    }
    format!("vd{}", util::random_alnum(2).to_ascii_lowercase())
}

pub fn route(method: &str, segs: &[&str]) -> Option<Route> {
    match (method, segs) {
        ("GET", ["storage", "disks"]) => located(list),
        ("POST", ["storage", "disks"]) => located(create),
        ("GET", ["storage", "disks", id]) => {
            let id = id.to_string();
            located(move |st, rq| get(st, rq, &id))
        }
        ("PATCH", ["storage", "disks", id]) => {
            let id = id.to_string();
            located(move |st, rq| modify(st, rq, &id))
        }
        ("DELETE", ["storage", "disks", id]) => {
            let id = id.to_string();
            located(move |st, rq| delete(st, rq, &id))
        }
        ("GET", ["storage", "disks", id, "snapshots"]) => {
            let id = id.to_string();
            located(move |st, rq| list_snapshots(st, rq, &id))
        }
        ("POST", ["storage", "disks", id, "snapshots"]) => {
            let id = id.to_string();
            located(move |st, rq| create_snapshot(st, rq, &id))
        }
        ("DELETE", ["storage", "disks", id, "snapshots", snap]) => {
            let id = id.to_string();
            let snap = snap.to_string();
            located(move |st, rq| delete_snapshot(st, rq, &id, &snap))
        }
        _ => None,
    }
}

const NOT_FOUND: &str = "Disk not found.";

/// The largest disk a location takes: the largest `disk_gb` max of its host
/// pools (the field notes: sizing limits live on the pools), as a disk may be
/// attached to a VM of any of them.
fn max_disk_gb(slug: &str) -> i64 {
    config::host_pools(slug)
        .iter()
        .map(|p| p.limits.disk_gb.1)
        .max()
        .unwrap_or(0)
}

fn find(loc: &Loc, id: &str) -> Option<usize> {
    loc.disks
        .iter()
        .position(|d| d.uuid.eq_ignore_ascii_case(id))
}

fn list(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return ok(json!([]));
    };
    let user_id = acc.user_id;
    let only_ro = match rq.q("read_only_bootable") {
        None | Some("") => None,
        Some(v) => match util::parse_bool(v) {
            Some(b) => Some(b),
            None => return field_err("read_only_bootable", NOT_BOOL),
        },
    };
    let loc = acc.loc(&rq.slug);
    ok(Value::Array(
        loc.disks
            .iter()
            .filter(|d| only_ro != Some(true) || d.read_only_bootable)
            .map(|d| d.to_json(user_id))
            .collect(),
    ))
}

fn get(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let user_id = acc.user_id;
    let loc = acc.loc(&rq.slug);
    match find(loc, id) {
        Some(i) => ok(loc.disks[i].to_json(user_id)),
        None => msg_err(404, NOT_FOUND),
    }
}

fn create(st: &mut SimState, rq: &Req) -> Resp {
    let Some((acc, al)) = st.split(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let user_id = acc.user_id;
    let mut errs = Errs::default();
    let size = opt_int(rq, "size_gb", &mut errs);
    let billing = opt_int(rq, "billing_account_id", &mut errs)
        .filter(|b| *b != 0)
        .unwrap_or_else(|| acc.default_billing_id());
    if !acc.has_billing(billing) {
        errs.add("billing_account_id", "Invalid billing account.");
    }
    let display_name = rq.f("display_name").map(str::to_string);
    let ro = opt_bool(rq, "read_only_bootable", false, &mut errs);
    let kind = rq
        .f_nonempty("source_image_type")
        .map(|s| s.trim().to_ascii_uppercase())
        .unwrap_or_else(|| "EMPTY".to_string());
    let source = rq.f_nonempty("source_image").map(|s| s.trim().to_string());
    let loc = acc.loc(&rq.slug);
    let mut min_size = 1;
    match kind.as_str() {
        "EMPTY" => {
            if size.is_none() && !errs.0.iter().any(|(f, _)| f == "size_gb") {
                errs.add("size_gb", MISSING);
            }
        }
        "OS_BASE" => match &source {
            None => errs.add("source_image", MISSING),
            Some(src) => {
                let ok_img = src
                    .split_once('_')
                    .is_some_and(|(n, v)| config::find_image(n, v).is_ok());
                if !ok_img {
                    errs.add("source_image", "No such OS base image exists.");
                }
                min_size = 20;
            }
        },
        "DISK" => match &source {
            None => errs.add("source_image", MISSING),
            Some(src) => match find(loc, src) {
                Some(i) => min_size = loc.disks[i].size_gb,
                None => errs.add("source_image", "No such disk exists."),
            },
        },
        "SNAPSHOT" => match &source {
            None => errs.add("source_image", MISSING),
            Some(src) => {
                match loc
                    .disks
                    .iter()
                    .flat_map(|d| d.snapshots.iter())
                    .find(|s| s.uuid.eq_ignore_ascii_case(src))
                {
                    Some(s) => min_size = s.size_gb,
                    None => errs.add("source_image", "No such snapshot exists."),
                }
            }
        },
        _ => errs.add(
            "source_image_type",
            "Must be one of: OS_BASE, DISK, SNAPSHOT, EMPTY.",
        ),
    }
    if let Some(s) = size {
        let max = max_disk_gb(&rq.slug);
        if s < min_size || s > max {
            errs.add(
                "size_gb",
                format!(
                    "Must be greater than or equal to {min_size} and less than or equal to {max}."
                ),
            );
        }
    }
    if !errs.is_empty() {
        return errs.into_resp();
    }
    let mut d = Disk::new(al.next_id(), size.unwrap_or(min_size), billing);
    d.display_name = display_name;
    d.source_image_type = kind;
    d.source_image = source;
    d.read_only_bootable = ro;
    let out = d.to_json(user_id);
    loc.disks.push(d);
    ok(out)
}

fn modify(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let user_id = acc.user_id;
    let mut errs = Errs::default();
    let billing = opt_int(rq, "billing_account_id", &mut errs);
    if let Some(b) = billing {
        if !acc.has_billing(b) {
            errs.add("billing_account_id", "Invalid billing account.");
        }
    }
    let ro = match rq.f_nonempty("read_only_bootable") {
        None => None,
        Some(v) => match util::parse_bool(v) {
            Some(b) => Some(b),
            None => {
                errs.add("read_only_bootable", NOT_BOOL);
                None
            }
        },
    };
    let display_name = rq.f("display_name").map(str::to_string);
    let loc = acc.loc(&rq.slug);
    let Some(i) = find(loc, id) else {
        return msg_err(404, NOT_FOUND);
    };
    if !errs.is_empty() {
        return errs.into_resp();
    }
    let d = &mut loc.disks[i];
    if let Some(b) = billing {
        d.billing_account_id = b;
    }
    if let Some(n) = display_name {
        d.display_name = Some(n);
    }
    if let Some(r) = ro {
        if r && d.attached_to.is_some() {
            return msg_err(
                400,
                "A disk attached to a virtual machine cannot be read-only bootable.",
            );
        }
        d.read_only_bootable = r;
    }
    d.touch();
    ok(d.to_json(user_id))
}

fn delete(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let loc = acc.loc(&rq.slug);
    let Some(i) = find(loc, id) else {
        return msg_err(404, NOT_FOUND);
    };
    if loc.disks[i].attached_to.is_some() {
        return msg_err(
            409,
            "Disk is attached to a virtual machine. Detach it before deleting.",
        );
    }
    loc.disks.remove(i);
    no_content()
}

fn snapshot_json(s: &Snapshot, disk: &str) -> Value {
    let mut v = json!({
        "uuid": s.uuid,
        "size_gb": s.size_gb,
        "created_at": s.created_at,
        "disk_uuid": disk,
    });
    if let Some(n) = &s.display_name {
        v["display_name"] = json!(n);
    }
    v
}

fn list_snapshots(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let loc = acc.loc(&rq.slug);
    let Some(i) = find(loc, id) else {
        return msg_err(404, NOT_FOUND);
    };
    let d = &loc.disks[i];
    ok(Value::Array(
        d.snapshots
            .iter()
            .map(|s| snapshot_json(s, &d.uuid))
            .collect(),
    ))
}

fn create_snapshot(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let loc = acc.loc(&rq.slug);
    let Some(i) = find(loc, id) else {
        return msg_err(404, NOT_FOUND);
    };
    let d = &mut loc.disks[i];
    let s = Snapshot {
        uuid: util::uuid_v4(),
        size_gb: d.size_gb,
        display_name: rq
            .f_nonempty("display_name")
            .or_else(|| rq.q("display_name"))
            .map(str::to_string),
        created_at: util::ts_millis_offset(),
    };
    let out = snapshot_json(&s, &d.uuid);
    d.snapshots.insert(0, s);
    ok(out)
}

fn delete_snapshot(st: &mut SimState, rq: &Req, id: &str, snap: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let loc = acc.loc(&rq.slug);
    let Some(i) = find(loc, id) else {
        return msg_err(404, NOT_FOUND);
    };
    let d = &mut loc.disks[i];
    let before = d.snapshots.len();
    d.snapshots.retain(|s| !s.uuid.eq_ignore_ascii_case(snap));
    if d.snapshots.len() == before {
        return msg_err(404, "Snapshot not found.");
    }
    no_content()
}
