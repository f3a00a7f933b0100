//! `warrenio/warren` (the Warren platform's own provider, terraform-plugin-framework,
//! schema version 0): states carry no location (it is the last segment of the
//! provider's `api_url`), and the billing account is `billing_account`.
//!
//! - A VM's `reserve_public_ip` left unset reserved nothing: false.
//! - A floating IP's id is the platform's numeric id; ours is the address.
//! - A disk attached through `server_uuid` is a disk plus an
//!   `idcloudhost_disk_attachment` here (adopted with an import block,
//!   `<vm_uuid>/<disk_uuid>`).

use super::{power_state, primary_disk_uuid, same_names, state, Foreign};
use crate::framework::{Obj, OpError};
use crate::resources::disk::DiskState;
use crate::resources::floating_ip::FloatingIpState;
use crate::resources::network::NetworkState;
use crate::resources::vm::VmState;

pub fn vm(s: &Foreign) -> Result<Obj, OpError> {
    state(VmState {
        id: Some(s.needed("id")?),
        disk_size_gb: s.int("disk_size_in_gb").into(),
        ram_mb: s.int("memory"),
        public_keys: s.str("public_key").map(|key| vec![key]),
        billing_account_id: s.positive("billing_account"),
        reserve_public_ip: Some(s.bool("reserve_public_ip").unwrap_or(false)),
        power_state: power_state(s.str("status")),
        boot_disk_uuid: primary_disk_uuid(s),
        ..same_names::vm(s)
    })
}

pub fn disk(s: &Foreign) -> Result<Obj, OpError> {
    state(DiskState {
        id: Some(s.needed("id")?),
        size_gb: s.int("size_in_gb"),
        billing_account_id: s.positive("billing_account"),
        source_image: s.str("source_image_uuid"),
        attached_to: s.str("server_uuid").into(),
        ..same_names::disk(s)
    })
}

/// The numeric id is dropped: a floating IP is its address here.
pub fn floating_ip(s: &Foreign) -> Result<Obj, OpError> {
    state(FloatingIpState {
        billing_account_id: s.positive("billing_account"),
        ..same_names::floating_ip(s, s.needed("address")?)
    })
}

pub fn network(s: &Foreign) -> Result<Obj, OpError> {
    state(NetworkState {
        id: Some(s.needed("id")?),
        subnet: s.str("subnet_ipv4"),
        vm_uuids: s.strings("server_uuids").into(),
        ..same_names::network(s)
    })
}
