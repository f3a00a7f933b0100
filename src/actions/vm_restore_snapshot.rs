//! `idcloudhost_vm_restore_snapshot`: rolls a VM back to one of its own
//! snapshots or automatic backups (`POST /vm/rebuild`). The API leaves the VM
//! stopped; one that was running is started again.

use std::time::Duration;

use async_trait::async_trait;

use super::{is_unknown, text, Invocation, Target, VmAction};
use crate::api::models::vm::Replica;
use crate::api::{replica, vm as vm_api, vm_ops};
use crate::context::ProviderData;
use crate::framework::action::elapsed;
use crate::framework::{Attr, Obj, OpError, SchemaSpec, Ty, Validator};
use crate::resources::common::its;

pub struct VmRestoreSnapshot;

const SNAPSHOT_ID: &str = "snapshot_id";

#[async_trait]
impl VmAction for VmRestoreSnapshot {
    const NAME: &'static str = "vm_restore_snapshot";
    const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20 * 60);

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("Restores a VM from one of its own snapshots or automatic backups: its boot disk gets the snapshot's content, size and operating system back, and **what was written since is lost**. The VM stays the same object (uuid, addresses, network, attachments). The API leaves the VM stopped: one that was running before is started again. If Terraform manages the VM, an operating system or disk size that differs from the configuration shows in the next plan.")
            .attr(
                Attr::required(SNAPSHOT_ID, Ty::String)
                    .desc("The snapshot or backup to restore: an `idcloudhost_vm_snapshot`'s `id`, or an `id` from `data.idcloudhost_vm_snapshots` (automatic backups included). It must be a snapshot of this VM: another VM's is a plan-time error.")
                    .validate(Validator::NotEmpty),
            )
    }

    async fn check_on(
        &self,
        ctx: &ProviderData,
        target: &Target,
        config: &Obj,
    ) -> Result<(), OpError> {
        if is_unknown(config, SNAPSHOT_ID) {
            return Ok(());
        }
        own_snapshot(ctx, target, text(config, SNAPSHOT_ID).unwrap_or_default())
            .await
            .map(|_| ())
    }

    async fn invoke(&self, run: &Invocation<'_>, config: &Obj) -> Result<(), OpError> {
        let (ctx, target) = (run.ctx, &run.target);
        let snapshot =
            own_snapshot(ctx, target, text(config, SNAPSHOT_ID).unwrap_or_default()).await?;
        let label = target.label();
        let was_running = target.vm.is_running();
        run.progress.say(format!(
            "Restoring {label} from {} {} (taken {}, {} GB): what was written since is lost",
            kind(&snapshot),
            snapshot.uuid,
            snapshot.created_at,
            snapshot.size
        ));
        let restoring = vm_ops::rebuild(
            &ctx.client,
            &target.location,
            &target.vm.uuid,
            &snapshot.uuid,
        );
        let (vm, took) = run.call(&format!("Restoring {label}"), restoring).await?;
        run.progress.say(format!(
            "{label} restored in {} ({} {}); it is {}",
            elapsed(took),
            vm.os_name,
            vm.os_version,
            vm.status
        ));
        if was_running && !vm.is_running() {
            run.progress
                .say(format!("{label} was running before: starting it again"));
            run.start().await?;
        }
        Ok(())
    }
}

fn kind(snapshot: &Replica) -> &str {
    if snapshot.r#type.is_empty() {
        "snapshot"
    } else {
        &snapshot.r#type
    }
}

/// The VM's snapshot or backup `id`; another VM's snapshot, or none at all, is
/// an error naming `snapshot_id` and what there is.
async fn own_snapshot(ctx: &ProviderData, target: &Target, id: &str) -> Result<Replica, OpError> {
    let (location, uuid) = (target.location.as_str(), target.vm.uuid.as_str());
    if let Some(found) = replica::find(&ctx.client, location, uuid, id).await? {
        return Ok(found);
    }
    let label = target.label();
    let vms = vm_api::list(&ctx.client, location).await?;
    // A replica's uuid is its disk's uuid with a timestamp appended.
    let owner = vms.iter().filter(|vm| vm.uuid != uuid).find(|vm| {
        vm.storage.iter().any(|disk| {
            disk.replica.iter().any(|r| r.uuid == id)
                || (!disk.uuid.is_empty() && id.starts_with(&disk.uuid))
        })
    });
    if let Some(owner) = owner {
        return Err(OpError::invalid(
            SNAPSHOT_ID,
            format!(
                "{id:?} is a snapshot of {}, not of {label}: a VM is restored only from its own snapshots. To build a VM from another VM's snapshot, create one with idcloudhost_vm's source_uuid and source_replica.",
                super::label(owner)
            ),
        ));
    }
    let mut own: Vec<String> = Vec::new();
    for r_type in ["snapshot", "backup"] {
        let listed = replica::list(&ctx.client, location, uuid, r_type)
            .await?
            .unwrap_or_default();
        own.extend(listed.into_iter().map(|r| r.uuid));
    }
    let known = its("snapshots and backups", &own);
    Err(OpError::invalid(
        SNAPSHOT_ID,
        format!("{label} has no snapshot or backup {id:?}; {known}."),
    ))
}
