//! Block storage disks (`/v1/{slug}/storage/disks*`, form-encoded: the live API
//! ignores a JSON body there) and attaching them to VMs, which goes through the VM
//! endpoints (`/v1/{slug}/user-resource/vm/storage/attach|detach`, `PATCH vm/storage`).
//!
//! A disk's payload does not say which VM it is attached to: that is only visible in
//! the VMs' `storage[]` lists, so attachment lookups read the VM list (one cached
//! call per location, shared with every other VM read of the same refresh).

use super::client::RequestBuilder;
use super::models::disk::Disk;
use super::models::vm::{Vm, VmStorage};
use super::{create_listed, recover_create, vm, ApiClient, ApiError, Loc};

/// Every disk of the location (shared per process until the next write).
pub async fn list(client: &ApiClient, location: &str) -> Result<Vec<Disk>, ApiError> {
    client.list(Loc::At(location), LIST).await
}

const LIST: &str = "storage/disks";

/// One disk, or `None` when it does not exist (404). Served from the list when it is
/// there; a single GET confirms before declaring it gone.
pub async fn find(
    client: &ApiClient,
    location: &str,
    uuid: &str,
) -> Result<Option<Disk>, ApiError> {
    let keys = |d: &Disk| vec![d.uuid.to_ascii_lowercase()];
    let get = client.get(Loc::At(location), &format!("storage/disks/{uuid}"));
    let key = uuid.to_ascii_lowercase();
    client.find_listed(location, LIST, keys, &key, get).await
}

/// What a new disk is made of.
#[derive(Debug, Clone, Default)]
pub struct NewDisk<'a> {
    pub size_gb: Option<i64>,
    pub billing_account_id: Option<i64>,
    /// `display_name`; never sent to the oldest API generation, which has no such field.
    pub name: Option<&'a str>,
    /// `EMPTY`, `OS_BASE`, `DISK` or `SNAPSHOT`.
    pub source_image_type: &'a str,
    pub source_image: Option<&'a str>,
}

/// Creates a disk. A POST that may have taken effect is not repeated: the new disk is
/// looked for instead (exactly one disk that was not there before and matches).
pub async fn create(
    client: &ApiClient,
    location: &str,
    new: &NewDisk<'_>,
) -> Result<Disk, ApiError> {
    let request = client
        .post(Loc::At(location), "storage/disks")
        .form_opt("size_gb", new.size_gb)
        .form_opt("billing_account_id", new.billing_account_id)
        .form_opt("display_name", new.name)
        .form("source_image_type", new.source_image_type)
        .form_opt("source_image", new.source_image);
    let made = |d: &Disk| {
        d.source_image_type
            .eq_ignore_ascii_case(new.source_image_type)
            && (new.source_image.is_none() || d.source_image.as_deref() == new.source_image)
            && new.size_gb.is_none_or(|size| d.size_gb == size)
            && (new.name.is_none() || d.display_name.as_deref() == new.name)
    };
    create_listed(client, request, || list(client, location), made).await
}

/// The disk metadata `PATCH storage/disks/{uuid}` changes; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct DiskChanges<'a> {
    /// `display_name`; `Some("")` clears it.
    pub name: Option<&'a str>,
    pub billing_account_id: Option<i64>,
    pub read_only_bootable: Option<bool>,
}

impl DiskChanges<'_> {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.billing_account_id.is_none()
            && self.read_only_bootable.is_none()
    }
}

pub async fn modify(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    changes: &DiskChanges<'_>,
) -> Result<Disk, ApiError> {
    client
        .patch(Loc::At(location), &format!("storage/disks/{uuid}"))
        .form_opt("display_name", changes.name)
        .form_opt("billing_account_id", changes.billing_account_id)
        .form_opt("read_only_bootable", changes.read_only_bootable)
        .send::<Disk>()
        .await
}

/// Deletes a disk and its snapshots (204).
pub async fn delete(client: &ApiClient, location: &str, uuid: &str) -> Result<(), ApiError> {
    client
        .delete_object(Loc::At(location), &format!("storage/disks/{uuid}"))
        .await
}

// ------------------------------------------------------------------ attachments

/// The VM a disk is attached to, and the disk's entry in that VM's `storage[]`
/// (its device name is `name`). `None` when no VM of the location lists the disk.
pub async fn attachment_of(
    client: &ApiClient,
    location: &str,
    disk_uuid: &str,
) -> Result<Option<(Vm, VmStorage)>, ApiError> {
    Ok(vm::list(client, location)
        .await?
        .into_iter()
        .find_map(|vm| {
            let entry = vm
                .storage
                .iter()
                .find(|s| s.uuid.eq_ignore_ascii_case(disk_uuid))
                .cloned();
            entry.map(|entry| (vm, entry))
        }))
}

/// The disk's entry in the VM's `storage[]`: `Ok(None)` when the VM is gone or no
/// longer has the disk (detached outside Terraform).
pub async fn find_attachment(
    client: &ApiClient,
    location: &str,
    vm_uuid: &str,
    disk_uuid: &str,
) -> Result<Option<VmStorage>, ApiError> {
    Ok(vm::find(client, location, vm_uuid).await?.and_then(|vm| {
        vm.storage
            .into_iter()
            .find(|s| s.uuid.eq_ignore_ascii_case(disk_uuid))
    }))
}

/// Attaches a disk to a VM; the answer's `name` is the device name (`vdb`). A POST
/// that may have taken effect is not repeated: the VM's storage list is checked.
pub async fn attach(
    client: &ApiClient,
    location: &str,
    vm_uuid: &str,
    disk_uuid: &str,
) -> Result<VmStorage, ApiError> {
    let request = storage_action(client, location, "attach", vm_uuid, disk_uuid);
    recover_create(
        client,
        || request.clone().send::<VmStorage>(),
        || find_attachment(client, location, vm_uuid, disk_uuid),
    )
    .await
}

/// Detaches a disk from a VM (the disk and its data are kept). When the POST
/// failed in a way that may have taken effect, the VM is checked: detached is done,
/// still attached after a transient failure is sent again.
pub async fn detach(
    client: &ApiClient,
    location: &str,
    vm_uuid: &str,
    disk_uuid: &str,
) -> Result<(), ApiError> {
    let request = storage_action(client, location, "detach", vm_uuid, disk_uuid);
    recover_create(
        client,
        || request.clone().send_empty(),
        || async {
            let attached = find_attachment(client, location, vm_uuid, disk_uuid).await?;
            Ok(attached.is_none().then_some(()))
        },
    )
    .await
}

/// `POST vm/storage/{action}` (`attach` or `detach`) of one disk and one VM.
fn storage_action<'a>(
    client: &'a ApiClient,
    location: &str,
    action: &str,
    vm_uuid: &str,
    disk_uuid: &str,
) -> RequestBuilder<'a> {
    vm::operation(client, location, &format!("storage/{action}"), vm_uuid)
        .form("storage_uuid", disk_uuid)
}

/// Grows a disk attached to a VM (`PATCH vm/storage`; the API refuses to shrink).
pub async fn resize_attached(
    client: &ApiClient,
    location: &str,
    vm_uuid: &str,
    disk_uuid: &str,
    size_gb: i64,
) -> Result<VmStorage, ApiError> {
    client
        .patch(Loc::At(location), "user-resource/vm/storage")
        .form("uuid", vm_uuid)
        .form("disk_uuid", disk_uuid)
        .form("size_gb", size_gb)
        .send::<VmStorage>()
        .await
}
