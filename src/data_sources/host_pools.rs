//! `idcloudhost_host_pools`: the server classes of a location and their sizing
//! limits, to pick a VM's `designated_pool_uuid`.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::api::models::host_pool::HostPool;
use crate::api::vm as vm_api;
use crate::context::{ProviderData, Shared};
use crate::framework::{ty_of, Attr, DataSourceType, DynamicDataSource, OpError, SchemaSpec, Ty};

/// The data source types this module defines.
pub fn data_sources(shared: &Shared) -> Vec<(String, Box<dyn DynamicDataSource>)> {
    vec![super::register(HostPools, shared)]
}

pub struct HostPools;

/// The object of `idcloudhost_host_pools`.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct HostPoolsState {
    pub id: Option<String>,
    pub location: Option<String>,
    pub pools: Option<Vec<Pool>>,
    pub default_uuid: Option<String>,
}

/// One of `pools`; its schema type is derived from it (`ty_of`).
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Pool {
    pub uuid: String,
    pub name: String,
    pub description: String,
    pub is_default: bool,
    pub vcpu_min: Option<i64>,
    pub vcpu_max: Option<i64>,
    pub ram_mb_min: Option<i64>,
    pub ram_mb_max: Option<i64>,
    pub disk_gb_min: Option<i64>,
    pub disk_gb_max: Option<i64>,
}

fn pool(p: HostPool) -> Pool {
    let limits = p.guest_limits.unwrap_or_default();
    Pool {
        uuid: p.uuid,
        name: p.name,
        description: p.description,
        is_default: p.is_default_designated,
        vcpu_min: limits.cpu.min,
        vcpu_max: limits.cpu.max,
        ram_mb_min: limits.ram_mb.min,
        ram_mb_max: limits.ram_mb.max,
        disk_gb_min: limits.disk_gb.min,
        disk_gb_max: limits.disk_gb.max,
    }
}

#[async_trait]
impl DataSourceType for HostPools {
    type Platform = ProviderData;
    const NAME: &'static str = "host_pools";
    type State = HostPoolsState;

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new(
            "Lists the host pools (server classes) of a location with their VM sizing limits.",
        )
        .attr(Attr::computed("id", Ty::String).desc("The location slug."))
        .attr(super::location_argument("Location slug"))
        .attr(
            Attr::computed("pools", Ty::list(ty_of::<Pool>()))
                .desc("Every pool; the limits are null where the API reports none."),
        )
        .attr(
            Attr::computed("default_uuid", Ty::String)
                .desc("Uuid of the pool VMs land in when `designated_pool_uuid` is unset."),
        )
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        config: HostPoolsState,
    ) -> Result<HostPoolsState, OpError> {
        let location = ctx.resolve_location(config.location.as_deref()).await?;
        let pools = vm_api::host_pools(&ctx.client, &location).await?;
        let default_uuid = pools
            .iter()
            .find(|p| p.is_default_designated)
            .map(|p| p.uuid.clone());
        Ok(HostPoolsState {
            id: Some(location.clone()),
            location: Some(location),
            pools: Some(pools.into_iter().map(pool).collect()),
            default_uuid,
        })
    }
}
