//! `zorgatia/cloudaxion` (terraform-plugin-framework, schema version 0): every
//! located state has a `location`; composite ids are `<a>:<b>`, ours `<a>/<b>`
//! (and a disk attachment's halves swap: their `volume:vm` is our `vm/disk`).
//!
//! - A VM keeps its `reserve_public_ip`; the address it reserved is not recorded
//!   as one this provider reserved (cloudaxion never released it either), so
//!   destroying the VM here does not release it.
//! - `state` is our `power_state`, `boot_disk_id` our `boot_disk_uuid`.

use super::{needed, power_state, same_names, state, Foreign};
use crate::framework::{Obj, OpError};
use crate::resources::disk::{DiskAttachmentState, DiskState};
use crate::resources::firewall::{FirewallAttachmentState, FirewallState};
use crate::resources::floating_ip::FloatingIpAssignmentState;
use crate::resources::load_balancer::{LoadBalancerState, TargetState};
use crate::resources::network::NetworkState;
use crate::resources::ssh_key::SshKeyState;
use crate::resources::storage::{BucketState, S3CredentialState};
use crate::resources::vm::VmState;

/// The two halves of a `<a>:<b>` id, else of the named attributes.
fn pair(s: &Foreign, a: &str, b: &str) -> Result<(String, String), OpError> {
    let from_id = s.str("id").and_then(|id| {
        id.split_once(':')
            .map(|(x, y)| (x.to_owned(), y.to_owned()))
    });
    match (s.str(a), s.str(b), from_id) {
        (Some(x), Some(y), _) => Ok((x, y)),
        (_, _, Some(pair)) => Ok(pair),
        _ => Err(needed::<()>(None, &format!("{a} and {b}")).unwrap_err()),
    }
}

pub fn vm(s: &Foreign) -> Result<Obj, OpError> {
    state(VmState {
        id: Some(s.needed("id")?),
        disk_size_gb: s.int("disk_gb").into(),
        ram_mb: s.int("ram"),
        public_keys: s.strings("public_keys").filter(|keys| !keys.is_empty()),
        reserve_public_ip: Some(s.bool("reserve_public_ip").unwrap_or(true)),
        power_state: power_state(s.str("state")),
        boot_disk_uuid: s.str("boot_disk_id"),
        ..same_names::vm(s)
    })
}

/// `cloudaxion_block_volume`.
pub fn disk(s: &Foreign) -> Result<Obj, OpError> {
    state(DiskState {
        id: Some(s.needed("id")?),
        source_image_type: s.str("source_type"),
        ..same_names::disk(s)
    })
}

/// `cloudaxion_volume_attachment`: id `volume:vm` → `vm/disk`.
pub fn disk_attachment(s: &Foreign) -> Result<Obj, OpError> {
    let (disk, vm) = pair(s, "volume_id", "vm_id")?;
    state(DiskAttachmentState {
        id: Some(format!("{vm}/{disk}")),
        location: s.str("location"),
        vm_uuid: Some(vm),
        disk_uuid: Some(disk),
        device_name: s.str("device"),
        timeouts: s.timeouts(),
        ..DiskAttachmentState::default()
    })
}

/// `cloudaxion_private_network`.
pub fn network(s: &Foreign) -> Result<Obj, OpError> {
    state(NetworkState {
        id: Some(s.needed("id")?),
        ..same_names::network(s)
    })
}

pub fn floating_ip(s: &Foreign) -> Result<Obj, OpError> {
    state(same_names::floating_ip(s, s.needed_or_id("address")?))
}

/// `cloudaxion_floating_ip_assignment`: `resource_id` by `resource_type`.
pub fn floating_ip_assignment(s: &Foreign) -> Result<Obj, OpError> {
    let (address, target) = pair(s, "address", "resource_id")?;
    let mut assignment = FloatingIpAssignmentState {
        id: Some(address.clone()),
        location: s.str("location"),
        address: Some(address),
        private_ip: s.str("private_ip"),
        timeouts: s.timeouts(),
        ..FloatingIpAssignmentState::default()
    };
    match s.str("resource_type").as_deref() {
        Some("load_balancer") => assignment.load_balancer_uuid = Some(target),
        Some("service") => assignment.service_uuid = Some(target),
        _ => assignment.vm_uuid = Some(target),
    }
    state(assignment)
}

pub fn firewall(s: &Foreign) -> Result<Obj, OpError> {
    state(FirewallState {
        id: Some(s.needed("id")?),
        rule: s
            .objects("rule")
            .iter()
            .flat_map(super::bapung::firewall_rules)
            .collect(),
        ..same_names::firewall(s)
    })
}

/// `cloudaxion_firewall_attachment`: id `firewall:vm`.
pub fn firewall_attachment(s: &Foreign) -> Result<Obj, OpError> {
    let (firewall, vm) = pair(s, "firewall_id", "vm_id")?;
    let location = s.str("location");
    let id = match &location {
        Some(location) => format!("{location}/{firewall}/{vm}"),
        None => format!("{firewall}/{vm}"),
    };
    state(FirewallAttachmentState {
        id: Some(id),
        location,
        firewall_uuid: Some(firewall),
        vm_uuid: Some(vm),
        timeouts: s.timeouts(),
    })
}

pub fn load_balancer(s: &Foreign) -> Result<Obj, OpError> {
    state(LoadBalancerState {
        id: Some(s.needed("id")?).into(),
        network_uuid: s.str("network_id").into(),
        reserve_public_ip: Some(s.bool("reserve_public_ip").unwrap_or(true)),
        forwarding_rule: s
            .objects("rule")
            .iter()
            .map(super::bapung::forwarding_rule)
            .collect(),
        target: s
            .objects("target")
            .iter()
            .map(|t| TargetState {
                target_uuid: t.str("id"),
                target_type: t.str("type"),
                target_ip_address: t.str("ip_address").into(),
            })
            .collect(),
        ..same_names::load_balancer(s)
    })
}

pub fn ssh_key(s: &Foreign) -> Result<Obj, OpError> {
    state(SshKeyState {
        id: Some(s.needed("id")?),
        name: s.str("name"),
        public_key: s.str("public_key"),
        created_at: s.str("created_at"),
        timeouts: s.timeouts(),
        ..SshKeyState::default()
    })
}

/// `cloudaxion_bucket`: the id is the name.
pub fn bucket(s: &Foreign) -> Result<Obj, OpError> {
    state(BucketState {
        created_at: s.str("created_at"),
        timeouts: s.timeouts(),
        ..super::bucket(s)?
    })
}

/// `cloudaxion_s3_credentials`: the id is the access key; the secret is only in
/// their state, and carried.
pub fn s3_credential(s: &Foreign) -> Result<Obj, OpError> {
    let access_key = s.needed_or_id("access_key")?;
    state(S3CredentialState {
        id: Some(access_key.clone()),
        access_key: Some(access_key),
        secret_key: s.str("secret_key").into(),
        timeouts: s.timeouts(),
        ..S3CredentialState::default()
    })
}
