//! `rizalmf/idcloudhost` (terraform-plugin-sdk v2, schema version 0): a state
//! has a `location` only when the configuration (or the provider's
//! `default_location`, on import) gave one.
//!
//! - VMs were always created without a public address (`reserve_public_ip =
//!   false`); `float_ip_address` assigned a floating IP, which is the separate
//!   `idcloudhost_floating_ip_assignment` here (adopted with an import block).
//! - An imported VM stores the password `"<Hidden>"`: not a password, dropped.
//! - `desired_status` is our `power_state`; `disks_uuid` the boot disk.

use super::{needed, power_state, state, Foreign};
use crate::framework::{Obj, OpError};
use crate::resources::floating_ip::FloatingIpState;
use crate::resources::network::NetworkState;
use crate::resources::storage::BucketState;
use crate::resources::vm::VmState;

/// What their import writes instead of the password it cannot read.
const HIDDEN_PASSWORD: &str = "<Hidden>";

pub fn vm(s: &Foreign) -> Result<Obj, OpError> {
    state(VmState {
        id: Some(needed(s.str("uuid").or_else(|| s.str("id")), "uuid")?),
        location: s.str("location"),
        name: s.str("name"),
        os_name: s.str("os_name").into(),
        os_version: s.str("os_version"),
        disk_size_gb: s.int("disks").filter(|gb| *gb > 0).into(),
        vcpu: s.int("vcpu"),
        ram_mb: s.int("ram"),
        username: s.str("username"),
        password: s.str("password").filter(|p| p != HIDDEN_PASSWORD),
        network_uuid: s.str("private_network_uuid"),
        billing_account_id: s.int("billing_account_id").filter(|id| *id > 0),
        backup: Some(false).into(),
        reserve_public_ip: Some(false),
        release_public_ip_on_destroy: Some(true),
        power_state: power_state(s.str("desired_status")),
        boot_disk_uuid: s.str("disks_uuid"),
        ..VmState::default()
    })
}

/// `idcloudhost_float_ip`: the id is the address.
pub fn floating_ip(s: &Foreign) -> Result<Obj, OpError> {
    let address = needed(s.str("address").or_else(|| s.str("id")), "address")?;
    state(FloatingIpState {
        id: Some(address.clone()),
        location: s.str("location"),
        name: s.str("name"),
        billing_account_id: s.int("billing_account_id").filter(|id| *id > 0),
        address: Some(address),
        ..FloatingIpState::default()
    })
}

/// `idcloudhost_private_network`: the uuid is `network_uuid` (and the id).
pub fn network(s: &Foreign) -> Result<Obj, OpError> {
    state(NetworkState {
        id: Some(needed(
            s.str("network_uuid").or_else(|| s.str("id")),
            "network_uuid",
        )?),
        location: s.str("location"),
        name: s.str("name"),
        ..NetworkState::default()
    })
}

/// `idcloudhost_s3`: the id is the bucket name.
pub fn bucket(s: &Foreign) -> Result<Obj, OpError> {
    let name = needed(s.str("name").or_else(|| s.str("id")), "name")?;
    state(BucketState {
        id: Some(name.clone()),
        name: Some(name),
        billing_account_id: s.int("billing_account_id").filter(|id| *id > 0),
        ..BucketState::default()
    })
}
