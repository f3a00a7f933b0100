//! `idcloudhost_host_pools`: the server classes of a location and their sizing
//! limits, to pick a VM's `designated_pool_uuid`.

use async_trait::async_trait;

use crate::api::models::host_pool::MinMax;
use crate::api::vm as vm_api;
use crate::context::{ProviderData, Shared};
use crate::framework::{
    Attr, DataSourceType, Dyn, DynamicDataSource, Obj, OpError, SchemaSpec, Ty, Validator,
};
use crate::obj;

/// The data source types this module defines.
pub fn data_sources(shared: &Shared) -> Vec<(String, Box<dyn DynamicDataSource>)> {
    vec![super::register(HostPools, shared)]
}

pub struct HostPools;

fn pool_ty() -> Ty {
    Ty::Object(vec![
        ("uuid", Ty::String),
        ("name", Ty::String),
        ("description", Ty::String),
        ("is_default", Ty::Bool),
        ("vcpu_min", Ty::Number),
        ("vcpu_max", Ty::Number),
        ("ram_mb_min", Ty::Number),
        ("ram_mb_max", Ty::Number),
        ("disk_gb_min", Ty::Number),
        ("disk_gb_max", Ty::Number),
    ])
}

#[async_trait]
impl DataSourceType for HostPools {
    const NAME: &'static str = "host_pools";

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("Lists the host pools (server classes) of a location with their VM sizing limits.")
            .attr(Attr::computed("id", Ty::String).desc("The location slug."))
            .attr(
                Attr::optional_computed("location", Ty::String)
                    .desc("Location slug; defaults to the provider's `location`, else the account's default location.")
                    .validate(Validator::NotEmpty),
            )
            .attr(
                Attr::computed("pools", Ty::list(pool_ty()))
                    .desc("Every pool; the limits are null where the API reports none."),
            )
            .attr(Attr::computed("default_uuid", Ty::String).desc("Uuid of the pool VMs land in when `designated_pool_uuid` is unset."))
    }

    async fn read(&self, ctx: &ProviderData, config: &Obj) -> Result<Obj, OpError> {
        let location = ctx
            .resolve_location(config.get("location").and_then(Dyn::as_str))
            .await?;
        let pools = vm_api::host_pools(&ctx.client, &location).await?;
        let default_uuid = pools
            .iter()
            .find(|p| p.is_default_designated)
            .map(|p| p.uuid.clone());
        let items: Vec<Dyn> = pools
            .into_iter()
            .map(|p| {
                let limits = p.guest_limits.unwrap_or_default();
                let bounds = |range: &MinMax| (range.min, range.max);
                let (vcpu_min, vcpu_max) = bounds(&limits.cpu);
                let (ram_min, ram_max) = bounds(&limits.ram_mb);
                let (disk_min, disk_max) = bounds(&limits.disk_gb);
                Dyn::Object(obj! {
                    "uuid" => p.uuid,
                    "name" => p.name,
                    "description" => p.description,
                    "is_default" => p.is_default_designated,
                    "vcpu_min" => vcpu_min,
                    "vcpu_max" => vcpu_max,
                    "ram_mb_min" => ram_min,
                    "ram_mb_max" => ram_max,
                    "disk_gb_min" => disk_min,
                    "disk_gb_max" => disk_max,
                })
            })
            .collect();
        Ok(obj! {
            "id" => location.clone(),
            "location" => location,
            "pools" => items,
            "default_uuid" => default_uuid,
        })
    }
}
