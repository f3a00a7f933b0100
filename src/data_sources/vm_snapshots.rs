//! `idcloudhost_vm_snapshots`: the snapshots and backups of a VM, newest first.

use async_trait::async_trait;

use crate::api::replica as api;
use crate::context::{ProviderData, Shared};
use crate::framework::{
    Attr, DataSourceType, Dyn, DynamicDataSource, Obj, OpError, SchemaSpec, Ty, Validator,
};
use crate::obj;
use crate::resources::vm_snapshot::replica_values;

/// The data source types this module defines.
pub fn data_sources(shared: &Shared) -> Vec<(String, Box<dyn DynamicDataSource>)> {
    vec![super::register(VmSnapshots, shared)]
}

pub struct VmSnapshots;

const R_TYPES: &[&str] = &["all", "snapshot", "backup"];

fn snapshot_ty() -> Ty {
    Ty::Object(vec![
        ("id", Ty::String),
        ("type", Ty::String),
        ("size_gb", Ty::Number),
        ("disk_uuid", Ty::String),
        ("created_at", Ty::String),
    ])
}

#[async_trait]
impl DataSourceType for VmSnapshots {
    const NAME: &'static str = "vm_snapshots";

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("Lists the snapshots and backups of a VM, newest first, e.g. to build a new VM from the latest one (`source_replica`).")
            .attr(Attr::computed("id", Ty::String).desc("`<location>/<vm_uuid>/<r_type>`."))
            .attr(
                Attr::optional_computed("location", Ty::String)
                    .desc("Location slug of the VM; defaults to the provider's `location`, else the account's default location.")
                    .validate(Validator::NotEmpty),
            )
            .attr(Attr::required("vm_uuid", Ty::String).desc("Uuid of the VM.").validate(Validator::NotEmpty))
            .attr(
                Attr::optional_computed("r_type", Ty::String)
                    .desc("`all` (default), `snapshot` or `backup`.")
                    .validate(Validator::OneOf(R_TYPES)),
            )
            .attr(Attr::computed("snapshots", Ty::list(snapshot_ty())).desc(
                "The replicas, newest first: `id` (pass it as `source_replica`), `type` (`snapshot` or `backup`), `size_gb`, `disk_uuid` and `created_at`.",
            ))
    }

    async fn read(&self, ctx: &ProviderData, config: &Obj) -> Result<Obj, OpError> {
        let location = ctx
            .resolve_location(config.get("location").and_then(Dyn::as_str))
            .await?;
        let vm_uuid = config
            .get("vm_uuid")
            .and_then(Dyn::as_str)
            .ok_or_else(|| OpError::new("vm_uuid is not set").at("vm_uuid"))?;
        let r_type = config
            .get("r_type")
            .and_then(Dyn::as_str)
            .unwrap_or("all")
            .to_owned();
        let types: &[&str] = match r_type.as_str() {
            "all" => &["snapshot", "backup"],
            "backup" => &["backup"],
            _ => &["snapshot"],
        };
        let mut replicas = Vec::new();
        for t in types {
            let Some(found) = api::list(&ctx.client, &location, vm_uuid, t).await? else {
                return Err(
                    OpError::new(format!("No VM {vm_uuid} in location {location:?}")).at("vm_uuid"),
                );
            };
            replicas.extend(found);
        }
        // Newest first: the API's timestamps of one deployment share one format.
        replicas.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        Ok(obj! {
            "id" => format!("{location}/{vm_uuid}/{r_type}"),
            "location" => location,
            "vm_uuid" => vm_uuid,
            "r_type" => r_type,
            "snapshots" => replicas.iter().map(|r| Dyn::Object(replica_values(r))).collect::<Vec<_>>(),
        })
    }
}
