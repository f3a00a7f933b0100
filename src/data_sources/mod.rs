//! Data sources, one module each.

mod billing_accounts;
mod boot_images;
mod cost;
mod host_pools;
mod locations;
pub(crate) mod lookup;
mod storage;
mod vm_images;
mod vm_snapshots;

use std::collections::HashMap;

use crate::framework::DynamicDataSource;

use crate::context::Shared;
use crate::framework::{DataSourceAdapter, DataSourceType};

pub use boot_images::BootImages;
pub use host_pools::HostPools;
pub use locations::Locations;
pub use vm_images::VmImages;

/// A registry entry, for family modules.
#[allow(dead_code)] // used as the family modules land
pub(crate) fn register<D: DataSourceType>(
    data_source: D,
    shared: &Shared,
) -> (String, Box<dyn DynamicDataSource>) {
    (
        D::NAME.to_owned(),
        Box::new(DataSourceAdapter::new(data_source, shared.clone())),
    )
}

/// Every data source type, keyed by its name without the provider prefix.
pub fn all(shared: &Shared) -> HashMap<String, Box<dyn DynamicDataSource>> {
    let mut map = HashMap::from([
        register(Locations, shared),
        register(VmImages, shared),
        register(BootImages, shared),
        register(HostPools, shared),
        register(billing_accounts::BillingAccounts, shared),
        register(vm_snapshots::VmSnapshots, shared),
        register(cost::Pricing, shared),
        register(cost::Usage, shared),
    ]);
    map.extend(storage::data_sources(shared));
    map.extend(lookup::data_sources(shared));
    map
}
