//! `idcloudhost_vm_snapshot`: a snapshot (replica) of a VM's storage
//! (`POST`/`GET`/`DELETE /v1/{slug}/user-resource/vm/replica`). New VMs are built
//! from it with `idcloudhost_vm`'s `source_uuid` + `source_replica`.

use crate::framework::DynamicResource;
use crate::framework::{NoChecks, Timeouts};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::common::{
    check_reference, created_at_attr, id_attr, located, location_and_id, location_attr,
    parse_located_import_id, Referenced,
};
use crate::api::models::vm::Replica;
use crate::api::replica as api;
use crate::context::{ProviderData, Shared};
use crate::framework::cost;
use crate::framework::{
    non_empty, required, timeouts_block, to_state, Attr, Identity, Obj, OpError, Plan,
    ResourceType, SchemaSpec, Ty, Validator,
};

/// The resource types this module defines.
pub fn resources(shared: &Shared) -> Vec<(String, Box<dyn DynamicResource>)> {
    vec![super::register(VmSnapshotResource, shared)]
}

/// The state of an `idcloudhost_vm_snapshot`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct VmSnapshotState {
    pub id: Option<String>,
    pub location: Option<String>,
    pub vm_uuid: Option<String>,
    pub size_gb: Option<i64>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub disk_uuid: Option<String>,
    pub created_at: Option<String>,
    pub estimated_hourly_cost: Option<f64>,
    pub estimated_monthly_cost: Option<f64>,
    pub timeouts: Vec<Timeouts>,
}

#[derive(Default)]
pub struct VmSnapshotResource;

fn snapshot_state(location: Option<&str>, vm_uuid: Option<&str>, r: &Replica) -> VmSnapshotState {
    VmSnapshotState {
        id: Some(r.uuid.clone()),
        location: location.map(str::to_owned),
        vm_uuid: vm_uuid.map(str::to_owned),
        kind: non_empty(&r.r#type),
        size_gb: Some(r.size),
        disk_uuid: non_empty(&r.master_uuid),
        created_at: non_empty(&r.created_at),
        timeouts: Vec::new(),
        ..VmSnapshotState::default()
    }
}

/// The attributes a replica maps to, shared with the `idcloudhost_vm_snapshots`
/// data source.
pub fn replica_values(r: &Replica) -> Obj {
    let mut values = to_state(&snapshot_state(None, None, r));
    let costs = [cost::HOURLY, cost::MONTHLY];
    for resource_only in ["location", "vm_uuid", "timeouts"].into_iter().chain(costs) {
        values.remove(resource_only);
    }
    values
}

fn state_of(location: &str, vm_uuid: &str, r: &Replica) -> VmSnapshotState {
    snapshot_state(Some(location), Some(vm_uuid), r)
}

#[async_trait]
impl ResourceType for VmSnapshotResource {
    type Platform = ProviderData;
    const NAME: &'static str = "vm_snapshot";
    const IDENTITY: Identity = Identity::located(&["vm_uuid", "id"]);
    type State = VmSnapshotState;
    type Config = NoChecks;

    fn schema(&self) -> SchemaSpec {
        let spec = SchemaSpec::new("A snapshot of a VM's storage. Build new VMs from it with `idcloudhost_vm`'s `source_uuid` and `source_replica`.")
            .attr(id_attr("The snapshot's (replica's) uuid: the disk's uuid with a timestamp appended; pass it as `source_replica`."))
            .attr(location_attr())
            .attr(
                Attr::required("vm_uuid", Ty::String)
                    .desc("Uuid of the VM whose storage is snapshotted.")
                    .force_new()
                    .validate(Validator::NotEmpty),
            )
            .attr(Attr::computed("size_gb", Ty::Number).desc("Size of the snapshot in GB.").stable())
            .attr(Attr::computed("type", Ty::String).desc("The replica type the API reports (`snapshot`).").stable())
            .attr(Attr::computed("disk_uuid", Ty::String).desc("Uuid of the snapshotted disk (the VM's boot disk).").stable())
            .attr(created_at_attr())
            .block(timeouts_block(&["create", "delete"]));
        super::cost::with_cost_attrs(spec, super::cost::SNAPSHOT_FORMULA)
    }

    async fn meter(
        &self,
        ctx: &ProviderData,
        values: &VmSnapshotState,
        _prior: Option<&VmSnapshotState>,
    ) -> Result<Option<crate::platform::pricing::Meter>, OpError> {
        super::cost::snapshot(ctx, values).await.map(Some)
    }

    /// The VM to snapshot must exist in the snapshot's location: checked at plan.
    async fn modify_plan(&self, ctx: &ProviderData, plan: &mut Plan) -> Result<(), OpError> {
        if !(plan.is_create() || plan.changes("vm_uuid")) {
            return Ok(());
        }
        let planned = plan.typed::<VmSnapshotState>()?.planned;
        if let (Some(vm), Some(location)) = (planned.vm_uuid, planned.location) {
            check_reference(
                ctx,
                "vm_uuid",
                Referenced::Vm,
                &vm,
                &location,
                "this snapshot",
            )
            .await?;
        }
        Ok(())
    }

    async fn create(
        &self,
        ctx: &ProviderData,
        planned: VmSnapshotState,
    ) -> Result<VmSnapshotState, OpError> {
        let location = located(&planned.location)?;
        let vm_uuid = required(&planned.vm_uuid, "vm_uuid")?;
        let replica = api::create(&ctx.client, location, vm_uuid).await?;
        Ok(state_of(location, vm_uuid, &replica))
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        state: VmSnapshotState,
    ) -> Result<Option<VmSnapshotState>, OpError> {
        let location = located(&state.location)?;
        let vm_uuid = required(&state.vm_uuid, "vm_uuid")?;
        Ok(
            api::find(&ctx.client, location, vm_uuid, required(&state.id, "id")?)
                .await?
                .map(|r| state_of(location, vm_uuid, &r)),
        )
    }

    async fn delete(&self, ctx: &ProviderData, state: &VmSnapshotState) -> Result<(), OpError> {
        let (location, id) = location_and_id(&state.location, &state.id)?;
        Ok(api::delete(&ctx.client, location, id).await?)
    }

    async fn import(&self, ctx: &ProviderData, id: &str) -> Result<VmSnapshotState, OpError> {
        let (location, parts) =
            parse_located_import_id(ctx, id, &["vm_uuid", "replica_uuid"]).await?;
        Ok(VmSnapshotState {
            id: Some(parts[1].clone()),
            location: Some(location),
            vm_uuid: Some(parts[0].clone()),
            ..VmSnapshotState::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::typed::state_matches_schema;

    #[test]
    fn state_struct_matches_the_schema() {
        assert_eq!(state_matches_schema(&VmSnapshotResource), Ok(()));
    }
}
