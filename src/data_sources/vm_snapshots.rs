//! `idcloudhost_vm_snapshots`: the snapshots and backups of a VM, newest first.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::api::replica as api;
use crate::context::{ProviderData, Shared};
use crate::framework::{
    from_state, required, ty_of, Attr, DataSourceType, DynamicDataSource, OpError, SchemaSpec, Ty,
    Validator,
};
use crate::resources::vm_snapshot::replica_values;

/// The data source types this module defines.
pub fn data_sources(shared: &Shared) -> Vec<(String, Box<dyn DynamicDataSource>)> {
    vec![super::register(VmSnapshots, shared)]
}

pub struct VmSnapshots;

/// The object of `idcloudhost_vm_snapshots`.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct VmSnapshotsState {
    pub id: Option<String>,
    pub location: Option<String>,
    pub vm_uuid: Option<String>,
    pub r_type: Option<String>,
    pub snapshots: Option<Vec<Snapshot>>,
}

/// One of `snapshots`: the attributes `idcloudhost_vm_snapshot` maps a replica
/// to (`replica_values`), read into a struct; its schema type is derived from
/// it (`ty_of`).
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Snapshot {
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub size_gb: Option<i64>,
    pub disk_uuid: Option<String>,
    pub created_at: Option<String>,
}

const R_TYPES: &[&str] = &["all", "snapshot", "backup"];

#[async_trait]
impl DataSourceType for VmSnapshots {
    type Platform = ProviderData;
    const NAME: &'static str = "vm_snapshots";
    type State = VmSnapshotsState;

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("Lists the snapshots and backups of a VM, newest first, e.g. to build a new VM from the latest one (`source_replica`).")
            .attr(Attr::computed("id", Ty::String).desc("`<location>/<vm_uuid>/<r_type>`."))
            .attr(super::location_argument("Location slug of the VM"))
            .attr(Attr::required("vm_uuid", Ty::String).desc("Uuid of the VM.").validate(Validator::NotEmpty))
            .attr(
                Attr::optional_computed("r_type", Ty::String)
                    .desc("`all` (default), `snapshot` or `backup`.")
                    .validate(Validator::OneOf(R_TYPES)),
            )
            .attr(Attr::computed("snapshots", Ty::list(ty_of::<Snapshot>())).desc(
                "The replicas, newest first: `id` (pass it as `source_replica`), `type` (`snapshot` or `backup`), `size_gb`, `disk_uuid` and `created_at`.",
            ))
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        config: VmSnapshotsState,
    ) -> Result<VmSnapshotsState, OpError> {
        let location = ctx.resolve_location(config.location.as_deref()).await?;
        let vm_uuid = required(&config.vm_uuid, "vm_uuid")?;
        let r_type = config.r_type.as_deref().unwrap_or("all").to_owned();
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
        let snapshots = replicas
            .iter()
            .map(|r| from_state::<Snapshot>(&replica_values(r)))
            .collect::<Result<_, _>>()?;
        Ok(VmSnapshotsState {
            id: Some(format!("{location}/{vm_uuid}/{r_type}")),
            vm_uuid: Some(vm_uuid.to_owned()),
            location: Some(location),
            r_type: Some(r_type),
            snapshots: Some(snapshots),
        })
    }
}
