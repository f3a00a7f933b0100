//! `warrenio/warren` (the Warren platform's own provider, terraform-plugin-framework,
//! schema version 0): states carry no location (it is the last segment of the
//! provider's `api_url`), and the billing account is `billing_account`.
//!
//! - A VM's `reserve_public_ip` left unset reserved nothing: false.
//! - A floating IP's id is the platform's numeric id; ours is the address.
//! - A disk attached through `server_uuid` is a disk plus an
//!   `idcloudhost_disk_attachment` here (adopted with an import block,
//!   `<vm_uuid>/<disk_uuid>`).

use super::{power_state, primary_disk_uuid, state, Foreign};
use crate::framework::{Obj, OpError};
use crate::resources::disk::DiskState;
use crate::resources::floating_ip::FloatingIpState;
use crate::resources::network::NetworkState;
use crate::resources::vm::VmState;

pub fn vm(s: &Foreign) -> Result<Obj, OpError> {
    state(VmState {
        id: Some(s.needed("id")?),
        name: s.str("name"),
        os_name: s.str("os_name").into(),
        os_version: s.str("os_version"),
        disk_size_gb: s.int("disk_size_in_gb").into(),
        vcpu: s.int("vcpu"),
        ram_mb: s.int("memory"),
        username: s.str("username"),
        password: s.str("password"),
        public_keys: s.str("public_key").map(|key| vec![key]),
        cloud_init: s.str("cloud_init"),
        network_uuid: s.str("network_uuid"),
        billing_account_id: s.positive("billing_account"),
        description: s.str("description"),
        backup: Some(s.bool("backup").unwrap_or(false)).into(),
        reserve_public_ip: Some(s.bool("reserve_public_ip").unwrap_or(false)),
        release_public_ip_on_destroy: Some(true),
        power_state: power_state(s.str("status")),
        source_uuid: s.str("source_uuid").into(),
        source_replica: s.str("source_replica").into(),
        status: s.str("status"),
        hostname: s.str("hostname"),
        mac: s.str("mac"),
        private_ipv4: s.str("private_ipv4"),
        public_ipv6: s.str("public_ipv6"),
        boot_disk_uuid: primary_disk_uuid(s),
        created_at: s.str("created_at"),
        ..VmState::default()
    })
}

pub fn disk(s: &Foreign) -> Result<Obj, OpError> {
    state(DiskState {
        id: Some(s.needed("id")?),
        size_gb: s.int("size_in_gb"),
        billing_account_id: s.positive("billing_account"),
        source_image_type: s.str("source_image_type"),
        source_image: s.str("source_image_uuid"),
        status: s.str("status").into(),
        attached_to: s.str("server_uuid").into(),
        created_at: s.str("created_at"),
        ..DiskState::default()
    })
}

/// The numeric id is dropped: a floating IP is its address here.
pub fn floating_ip(s: &Foreign) -> Result<Obj, OpError> {
    let address = s.needed("address")?;
    state(FloatingIpState {
        id: Some(address.clone()),
        name: s.str("name"),
        billing_account_id: s.positive("billing_account"),
        address: Some(address),
        enabled: s.bool("enabled"),
        assigned_to: s.str("assigned_to"),
        assigned_to_resource_type: s.str("assigned_to_resource_type"),
        assigned_to_private_ip: s.str("assigned_to_private_ip"),
        created_at: s.str("created_at"),
        ..FloatingIpState::default()
    })
}

pub fn network(s: &Foreign) -> Result<Obj, OpError> {
    state(NetworkState {
        id: Some(s.needed("id")?),
        name: s.str("name"),
        is_default: s.bool("is_default"),
        subnet: s.str("subnet_ipv4"),
        subnet_ipv6: s.str("subnet_ipv6"),
        vlan_id: s.int("vlan_id"),
        vm_uuids: s.strings("server_uuids").into(),
        created_at: s.str("created_at"),
        ..NetworkState::default()
    })
}
