//! What the community providers store under our names. An attribute a source
//! does not rename keeps its name and meaning here (a VM's `os_version`, a
//! disk's `status`, every `created_at` and `timeouts`), so it is read once, for
//! all of them: each function below reads, for one of our types, every such
//! attribute that any source stores. A source without one has no such key, and
//! the value is null, as in our default. A converter then writes only what its
//! provider names otherwise or treats its own way, and takes the rest from
//! here (`..same_names::vm(s)`); its fields win over these.

use super::Foreign;
use crate::resources::disk::DiskState;
use crate::resources::firewall::FirewallState;
use crate::resources::floating_ip::FloatingIpState;
use crate::resources::load_balancer::LoadBalancerState;
use crate::resources::network::NetworkState;
use crate::resources::vm::VmState;

/// A VM's attributes named as ours; `backup` unset is `false` (the sources'
/// default), and the public address is released with the VM (our default).
pub(crate) fn vm(s: &Foreign) -> VmState {
    VmState {
        location: s.str("location"),
        name: s.str("name"),
        os_name: s.str("os_name").into(),
        os_version: s.str("os_version"),
        vcpu: s.int("vcpu"),
        username: s.str("username"),
        password: s.str("password"),
        cloud_init: s.str("cloud_init"),
        network_uuid: s.str("network_uuid"),
        designated_pool_uuid: s.str("designated_pool_uuid").into(),
        billing_account_id: s.positive("billing_account_id"),
        description: s.str("description"),
        backup: Some(s.bool("backup").unwrap_or(false)).into(),
        release_public_ip_on_destroy: Some(true),
        source_uuid: s.str("source_uuid").into(),
        source_replica: s.str("source_replica").into(),
        status: s.str("status"),
        hostname: s.str("hostname"),
        mac: s.str("mac"),
        private_ipv4: s.str("private_ipv4"),
        public_ipv4: s.str("public_ipv4").into(),
        public_ipv6: s.str("public_ipv6"),
        designated_pool_name: s.str("designated_pool_name"),
        created_at: s.str("created_at"),
        timeouts: s.timeouts(),
        ..VmState::default()
    }
}

/// A disk's attributes named as ours.
pub(crate) fn disk(s: &Foreign) -> DiskState {
    DiskState {
        location: s.str("location"),
        name: s.str("name"),
        size_gb: s.int("size_gb"),
        billing_account_id: s.positive("billing_account_id"),
        read_only_bootable: s.bool("read_only_bootable"),
        source_image_type: s.str("source_image_type"),
        source_image: s.str("source_image"),
        status: s.str("status").into(),
        created_at: s.str("created_at"),
        timeouts: s.timeouts(),
        ..DiskState::default()
    }
}

/// A network's attributes named as ours.
pub(crate) fn network(s: &Foreign) -> NetworkState {
    NetworkState {
        location: s.str("location"),
        name: s.str("name"),
        is_default: s.bool("is_default"),
        subnet: s.str("subnet"),
        subnet_ipv6: s.str("subnet_ipv6"),
        vlan_id: s.int("vlan_id"),
        created_at: s.str("created_at"),
        timeouts: s.timeouts(),
        ..NetworkState::default()
    }
}

/// A floating IP's attributes named as ours; its id is its `address` here,
/// whatever the source's id is.
pub(crate) fn floating_ip(s: &Foreign, address: String) -> FloatingIpState {
    FloatingIpState {
        id: Some(address.clone()),
        location: s.str("location"),
        name: s.str("name"),
        billing_account_id: s.positive("billing_account_id"),
        address: Some(address),
        enabled: s.bool("enabled"),
        assigned_to: s.str("assigned_to"),
        assigned_to_resource_type: s.str("assigned_to_resource_type"),
        assigned_to_private_ip: s.str("assigned_to_private_ip"),
        created_at: s.str("created_at"),
        timeouts: s.timeouts(),
    }
}

/// A firewall's attributes named as ours (its rules are each source's own).
pub(crate) fn firewall(s: &Foreign) -> FirewallState {
    FirewallState {
        location: s.str("location"),
        name: s.str("name"),
        description: s.str("description"),
        billing_account_id: s.positive("billing_account_id"),
        created_at: s.str("created_at"),
        timeouts: s.timeouts(),
        ..FirewallState::default()
    }
}

/// A load balancer's attributes named as ours (its rules and targets are each
/// source's own); the public address is released with it (our default).
pub(crate) fn load_balancer(s: &Foreign) -> LoadBalancerState {
    LoadBalancerState {
        location: s.str("location"),
        name: s.str("name"),
        billing_account_id: s.positive("billing_account_id"),
        network_uuid: s.str("network_uuid").into(),
        release_public_ip_on_destroy: Some(true),
        private_address: s.str("private_address").into(),
        public_address: s.str("public_address").into(),
        created_at: s.str("created_at").into(),
        timeouts: s.timeouts(),
        ..LoadBalancerState::default()
    }
}
