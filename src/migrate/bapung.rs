//! `bapung/idcloudhost` and its fork `teliti-dev/idcloudhost` (terraform-plugin-sdk
//! v2, schema version 0): their states carry no location (the provider's
//! `region` decides it), SDKv2 writes `""`/`0`/`false` for what was never set,
//! and the state `id` is what `SetId` was given (the uuid; a floating IP's
//! address; `<vm>/<disk>` for a disk).
//!
//! - VMs were always created without a public address: `reserve_public_ip = false`.
//! - A floating IP's `billing_account_id` holds the owner's user id (their read
//!   stores the wrong field), so it is dropped; the first read fills the real one.
//!   A non-empty `assigned_to` is the separate `idcloudhost_floating_ip_assignment`
//!   here, adopted with an import block.
//! - `idcloudhost_vm_disks` is a disk and its attachment here: the disk moves, the
//!   attachment is imported (its import ID is their state id, `<vm>/<disk>`).

use super::{needed, power_state, primary_disk_uuid, same_names, state, Foreign};
use crate::framework::{Obj, OpError};
use crate::resources::disk::DiskState;
use crate::resources::firewall::{FirewallRuleState, FirewallState};
use crate::resources::floating_ip::FloatingIpState;
use crate::resources::load_balancer::{ForwardingRuleState, LoadBalancerState, TargetState};
use crate::resources::network::NetworkState;
use crate::resources::storage::BucketState;
use crate::resources::vm::VmState;

pub fn vm(s: &Foreign) -> Result<Obj, OpError> {
    state(VmState {
        id: Some(s.needed_or_id("uuid")?),
        disk_size_gb: s.int("disks").into(),
        ram_mb: s.int("memory"),
        password: s.str("initial_password"),
        public_keys: s.str("public_key").map(|key| vec![key]),
        reserve_public_ip: Some(false),
        power_state: power_state(s.str("status")),
        boot_disk_uuid: primary_disk_uuid(s),
        ..same_names::vm(s)
    })
}

pub fn floating_ip(s: &Foreign) -> Result<Obj, OpError> {
    state(FloatingIpState {
        // Their billing_account_id is the user id: not carried.
        billing_account_id: None,
        // Their assignment is the separate idcloudhost_floating_ip_assignment.
        assigned_to: None,
        ..same_names::floating_ip(s, s.needed_or_id("address")?)
    })
}

/// `idcloudhost_vm_disks`: id `<vm_uuid>/<disk_uuid>`; the disk half.
pub fn disk(s: &Foreign) -> Result<Obj, OpError> {
    let id = s.str("id").unwrap_or_default();
    let disk_uuid = s
        .str("uuid")
        .or_else(|| id.split_once('/').map(|(_, disk)| disk.to_owned()));
    state(DiskState {
        id: Some(needed(disk_uuid, "disk uuid")?),
        size_gb: s.int("size"),
        attached_to: s.str("vm_uuid").into(),
        ..same_names::disk(s)
    })
}

/// teliti's `idcloudhost_network`.
pub fn network(s: &Foreign) -> Result<Obj, OpError> {
    state(NetworkState {
        id: Some(s.needed_or_id("uuid")?),
        is_default: s.bool("default"),
        ..same_names::network(s)
    })
}

/// teliti's `idcloudhost_firewall`: `display_name` → `name`, the `rules` list →
/// the `rule` set; `endpoint_spec_type = "any"` means every address (no
/// `ip_prefixes`); a rule's description has no equivalent.
pub fn firewall(s: &Foreign) -> Result<Obj, OpError> {
    state(FirewallState {
        id: Some(s.needed_or_id("uuid")?),
        name: s.str("display_name"),
        rule: s.objects("rules").iter().flat_map(firewall_rules).collect(),
        ..same_names::firewall(s)
    })
}

/// One of their rules as ours; protocol `any` is a rule per protocol here.
pub(super) fn firewall_rules(r: &Foreign) -> Vec<FirewallRuleState> {
    let prefixes = match r.str("endpoint_spec_type").as_deref() {
        Some("any") => None,
        _ => r
            .strings("endpoint_spec")
            .or_else(|| r.strings("ip_prefixes"))
            .filter(|p| !p.is_empty()),
    };
    let protocols: Vec<String> = match r.str("protocol").as_deref() {
        Some("any") | None => ["tcp", "udp", "icmp"].map(str::to_owned).to_vec(),
        Some(one) => vec![one.to_owned()],
    };
    protocols
        .into_iter()
        .map(|protocol| {
            let ports = protocol != "icmp";
            let port_start = r.int("port_start").filter(|p| ports && *p > 0);
            FirewallRuleState {
                direction: r.str("direction"),
                port_start,
                port_end: r.int("port_end").filter(|p| ports && *p > 0).or(port_start),
                protocol: Some(protocol),
                ip_prefixes: prefixes.clone(),
            }
        })
        .collect()
}

/// teliti's `idcloudhost_loadbalancer`.
pub fn load_balancer(s: &Foreign) -> Result<Obj, OpError> {
    state(LoadBalancerState {
        id: Some(s.needed_or_id("uuid")?).into(),
        name: s.str("display_name"),
        reserve_public_ip: Some(s.bool("reserve_public_ip").unwrap_or(false)),
        forwarding_rule: s
            .objects("forwarding_rules")
            .iter()
            .map(forwarding_rule)
            .collect(),
        target: s
            .objects("targets")
            .iter()
            .map(|t| TargetState {
                target_uuid: t.str("target_uuid"),
                target_type: t.str("target_type"),
                target_ip_address: t.str("target_ip_address").into(),
            })
            .collect(),
        ..same_names::load_balancer(s)
    })
}

/// One of their load balancer's forwarding rules (cloudaxion's too) as ours.
pub(super) fn forwarding_rule(r: &Foreign) -> ForwardingRuleState {
    ForwardingRuleState {
        source_port: r.int("source_port"),
        target_port: r.int("target_port"),
        uuid: r.str("uuid").into(),
        protocol: r.str("protocol").into(),
    }
}

/// teliti's `idcloudhost_objectstorage`: the id is the bucket name.
pub fn bucket(s: &Foreign) -> Result<Obj, OpError> {
    state(BucketState {
        size_bytes: s.int("size_bytes"),
        num_objects: s.int("num_objects"),
        is_suspended: s.bool("is_suspended"),
        created_at: s.str("created_at"),
        modified_at: s.str("modified_at"),
        timeouts: s.timeouts(),
        ..super::bucket(s)?
    })
}
