//! `rizalmf/idcloudhost` (terraform-plugin-sdk v2, schema version 0): a state
//! has a `location` only when the configuration (or the provider's
//! `default_location`, on import) gave one.
//!
//! - VMs were always created without a public address (`reserve_public_ip =
//!   false`); `float_ip_address` assigned a floating IP, which is the separate
//!   `idcloudhost_floating_ip_assignment` here (adopted with an import block).
//! - An imported VM stores the password `"<Hidden>"`: not a password, dropped.
//! - `desired_status` is our `power_state`; `disks_uuid` the boot disk.

use super::{power_state, same_names, state, Foreign};
use crate::framework::{Obj, OpError};
use crate::resources::network::NetworkState;
use crate::resources::vm::VmState;

/// What their import writes instead of the password it cannot read.
const HIDDEN_PASSWORD: &str = "<Hidden>";

pub fn vm(s: &Foreign) -> Result<Obj, OpError> {
    state(VmState {
        id: Some(s.needed_or_id("uuid")?),
        disk_size_gb: s.positive("disks").into(),
        ram_mb: s.int("ram"),
        password: s.str("password").filter(|p| p != HIDDEN_PASSWORD),
        network_uuid: s.str("private_network_uuid"),
        reserve_public_ip: Some(false),
        power_state: power_state(s.str("desired_status")),
        boot_disk_uuid: s.str("disks_uuid"),
        ..same_names::vm(s)
    })
}

/// `idcloudhost_float_ip`: the id is the address.
pub fn floating_ip(s: &Foreign) -> Result<Obj, OpError> {
    state(same_names::floating_ip(s, s.needed_or_id("address")?))
}

/// `idcloudhost_private_network`: the uuid is `network_uuid` (and the id).
pub fn network(s: &Foreign) -> Result<Obj, OpError> {
    state(NetworkState {
        id: Some(s.needed_or_id("network_uuid")?),
        ..same_names::network(s)
    })
}

/// `idcloudhost_s3`: the id is the bucket name.
pub fn bucket(s: &Foreign) -> Result<Obj, OpError> {
    state(super::bucket(s)?)
}
