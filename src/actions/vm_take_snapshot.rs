//! `idcloudhost_vm_take_snapshot`: a snapshot of the VM's storage
//! (`POST /vm/replica`), not managed by Terraform. Made for
//! `action_trigger { events = [before_update] }`: a snapshot before every change.

use std::time::Duration;

use async_trait::async_trait;

use super::{Invocation, VmAction};
use crate::api::replica;
use crate::framework::action::elapsed;
use crate::framework::{Obj, OpError, SchemaSpec};

pub struct VmTakeSnapshot;

#[async_trait]
impl VmAction for VmTakeSnapshot {
    const NAME: &'static str = "vm_take_snapshot";
    const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20 * 60);

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("Takes a snapshot of a VM's storage. The snapshot is not managed by Terraform (it stays until deleted): `data.idcloudhost_vm_snapshots` lists it, `idcloudhost_vm_restore_snapshot` restores it, and `idcloudhost_vm`'s `source_replica` builds a new VM from it. Made for `lifecycle { action_trigger { events = [before_update] } }`: a snapshot before every change of the VM. For a snapshot Terraform manages, use the `idcloudhost_vm_snapshot` resource.")
    }

    async fn invoke(&self, run: &Invocation<'_>, _config: &Obj) -> Result<(), OpError> {
        let target = &run.target;
        let label = target.label();
        let taking = replica::create(&run.ctx.client, &target.location, &target.vm.uuid);
        let (snapshot, took) = run
            .step(&format!("Taking a snapshot of {label}"), taking)
            .await?;
        run.progress.say(format!(
            "Snapshot {} of {label} taken in {} ({} GB); data.idcloudhost_vm_snapshots lists it",
            snapshot.uuid,
            elapsed(took),
            snapshot.size
        ));
        Ok(())
    }
}
