//! Block storage disks. The VM's own disks (boot disk, disks added through
//! `/vm/storage`) live in the same per-location store as `storage/disks`.

use serde_json::{json, Value};

use super::Route;
use crate::util;

/// A VM replica (snapshot or backup) of a disk, as listed in `storage[].replica`.
#[derive(Clone)]
pub struct Replica {
    pub id: i64,
    pub uuid: String,
    pub created_at: String,
    pub size: i64,
    pub kind: String,
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
            "id": self.id,
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

pub fn route(_method: &str, _segs: &[&str]) -> Option<Route> {
    None
}
