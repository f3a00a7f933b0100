//! VM storage replicas (snapshots and backups): `/v1/{slug}/user-resource/vm/replica`,
//! form-encoded like every `/user-resource/vm*` call. A replica belongs to the VM's
//! boot disk; its uuid is that disk's uuid with a timestamp appended.

use std::collections::HashSet;

use super::models::vm::{Replica, VmStorage};
use super::{recover_create, vm, ApiClient, ApiError, Loc, NotFoundExt};

/// The VM's replicas of one type (`snapshot` or `backup`), as the API lists them
/// (`GET /vm/replica?uuid=&r_type=`). `None` when the VM does not exist.
pub async fn list(
    client: &ApiClient,
    location: &str,
    vm_uuid: &str,
    r_type: &str,
) -> Result<Option<Vec<Replica>>, ApiError> {
    client
        .get(Loc::At(location), "user-resource/vm/replica")
        .query("uuid", vm_uuid)
        .query("r_type", r_type)
        .send::<Vec<Replica>>()
        .await
        .found()
}

/// One replica of the VM, or `None` when it (or the VM) is gone. Served from the
/// shared VM list, whose storage entries carry their replicas; the replica
/// endpoint is asked only when the list does not show it.
pub async fn find(
    client: &ApiClient,
    location: &str,
    vm_uuid: &str,
    replica_uuid: &str,
) -> Result<Option<Replica>, ApiError> {
    let Some(vm) = vm::find(client, location, vm_uuid).await? else {
        return Ok(None);
    };
    let listed = vm
        .storage
        .iter()
        .flat_map(|s| s.replica.iter())
        .find(|r| r.uuid == replica_uuid);
    if let Some(replica) = listed {
        return Ok(Some(replica.clone()));
    }
    for r_type in ["snapshot", "backup"] {
        let found = list(client, location, vm_uuid, r_type)
            .await?
            .unwrap_or_default()
            .into_iter()
            .find(|r| r.uuid == replica_uuid);
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// Takes a snapshot of the VM's storage. The answer is the disk with all its
/// replicas; the new one is the one that was not there before. A create whose
/// answer was lost is looked for (fresh list) before it fails, never re-sent.
pub async fn create(
    client: &ApiClient,
    location: &str,
    vm_uuid: &str,
) -> Result<Replica, ApiError> {
    let before: HashSet<String> = list(client, location, vm_uuid, "snapshot")
        .await?
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.uuid)
        .collect();
    let new_ones = |replicas: Vec<Replica>| -> Vec<Replica> {
        replicas
            .into_iter()
            .filter(|r| !before.contains(&r.uuid))
            .collect()
    };
    let request = vm::operation(client, location, "replica", vm_uuid);
    recover_create(
        client,
        || async {
            let disk = request.clone().send::<VmStorage>().await?;
            new_ones(disk.replica)
                .into_iter()
                .max_by(|a, b| a.created_at.cmp(&b.created_at))
                .ok_or_else(|| {
                    ApiError::transport(
                        "POST",
                        "user-resource/vm/replica",
                        "the answer lists no new snapshot",
                    )
                })
        },
        || async {
            Ok(list(client, location, vm_uuid, "snapshot")
                .await?
                .map(new_ones)
                .unwrap_or_default())
        },
    )
    .await
}

/// Deletes a replica; one already gone counts as deleted.
pub async fn delete(
    client: &ApiClient,
    location: &str,
    replica_uuid: &str,
) -> Result<(), ApiError> {
    client
        .delete(Loc::At(location), "user-resource/vm/replica")
        .form("replica_uuid", replica_uuid)
        .send_empty()
        .await
        .ok_if_not_found()
}
