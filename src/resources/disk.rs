//! `idcloudhost_disk` (a block storage disk) and `idcloudhost_disk_attachment`
//! (a disk attached to a VM).
//!
//! The disk payload never says which VM holds a disk; the VMs' `storage[]` lists do
//! (read through the location's cached VM list). Growing a disk is only possible while
//! it is attached (`PATCH vm/storage`); growing a detached disk is a plan-time error,
//! never a replacement (which would wipe its data).

use crate::framework::DynamicResource;
use crate::framework::Timeouts;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::common::{
    billing_account_attr, billing_change, check_image, check_reference, created_at_attr,
    gone_during_update, id_attr, import_uuid, located, location_and_id, location_attr,
    parse_located_import_id, reported_billing, uuid_validator, Referenced,
};
use crate::api::disk as api;
use crate::api::models::disk::Disk;
use crate::api::Feature;
use crate::api::NotFoundExt;
use crate::context::{ProviderData, Shared};
use crate::framework::{
    non_empty, required, timeouts_block, ty_of, Attr, Field, Identity, NoChecks, OpError, Plan,
    ResourceType, SchemaSpec, Ty, Validator, Views,
};
use crate::platform::pricing::Meter;

/// The resource types this module defines.
pub fn resources(shared: &Shared) -> Vec<(String, Box<dyn DynamicResource>)> {
    vec![
        super::register(DiskResource, shared),
        super::register(DiskAttachmentResource, shared),
    ]
}

const EMPTY: &str = "EMPTY";
const SOURCE_TYPES: &[&str] = &["EMPTY", "OS_BASE", "DISK", "SNAPSHOT"];

/// Inside the guest an attached disk appears under this prefix followed by the first
/// 20 characters of its uuid.
const DEVICE_PATH_PREFIX: &str = "/dev/disk/by-id/virtio-";

pub fn device_path(disk_uuid: &str) -> String {
    format!(
        "{DEVICE_PATH_PREFIX}{}",
        disk_uuid.chars().take(20).collect::<String>()
    )
}

// ======================================================================= disk

/// The state of an `idcloudhost_disk`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct DiskState {
    pub id: Option<String>,
    pub location: Option<String>,
    pub name: Option<String>,
    pub size_gb: Option<i64>,
    pub billing_account_id: Option<i64>,
    pub read_only_bootable: Option<bool>,
    pub source_image_type: Option<String>,
    pub source_image: Option<String>,
    // `Field`: an in-place update plans the prior values over unknown ones.
    pub status: Field<String>,
    pub storage_pool_uuid: Option<String>,
    pub created_at: Option<String>,
    pub attached_to: Field<String>,
    pub snapshots: Field<Vec<DiskSnapshotState>>,
    pub estimated_hourly_cost: Option<f64>,
    pub estimated_monthly_cost: Option<f64>,
    pub timeouts: Vec<Timeouts>,
}

/// One of a disk's `snapshots`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct DiskSnapshotState {
    pub uuid: Option<String>,
    pub name: Option<String>,
    pub size_gb: Option<i64>,
    pub created_at: Option<String>,
}

/// What `validate` reads of a disk's configuration (unknown is set, not null).
#[derive(Serialize, Deserialize, Debug, Default)]
#[serde(default)]
pub struct DiskConfig {
    pub size_gb: Field<f64>,
    pub source_image_type: Field<String>,
    pub source_image: Field<String>,
}

#[derive(Default)]
pub struct DiskResource;

/// State from the API's disk. What the API may leave out is taken from `prior`:
/// `read_only_bootable` (absent from every document example) and the billing account.
fn disk_state(
    location: &str,
    disk: &Disk,
    attached_to: Option<&str>,
    prior: &DiskState,
) -> DiskState {
    let named = |name: &Option<String>| name.clone().filter(|n| !n.is_empty());
    let snapshots = disk
        .snapshots
        .iter()
        .map(|s| DiskSnapshotState {
            uuid: Some(s.uuid.clone()),
            name: named(&s.display_name),
            size_gb: Some(s.size_gb),
            created_at: Some(s.created_at.clone()),
        })
        .collect();
    let billing_account_id = reported_billing(disk.billing_account_id, prior.billing_account_id);
    let read_only_bootable = disk
        .read_only_bootable
        .or(prior.read_only_bootable)
        .unwrap_or(false);
    DiskState {
        id: Some(disk.uuid.clone()),
        location: Some(location.to_owned()),
        name: named(&disk.display_name),
        size_gb: Some(disk.size_gb),
        billing_account_id,
        read_only_bootable: Some(read_only_bootable),
        source_image_type: Some(disk.source_image_type.to_ascii_uppercase()),
        source_image: named(&disk.source_image),
        status: non_empty(&disk.status).into(),
        storage_pool_uuid: named(&disk.storage_pool_uuid),
        created_at: non_empty(&disk.created_at),
        attached_to: attached_to.map(str::to_owned).into(),
        snapshots: Field::Known(snapshots),
        timeouts: Vec::new(),
        ..DiskState::default()
    }
}

/// The disk's current state, `None` when it is gone.
async fn current_disk(
    ctx: &ProviderData,
    location: &str,
    uuid: &str,
    prior: &DiskState,
) -> Result<Option<DiskState>, OpError> {
    let Some(disk) = api::find(&ctx.client, location, uuid).await? else {
        return Ok(None);
    };
    let attached = api::attachment_of(&ctx.client, location, &disk.uuid).await?;
    let vm = attached.as_ref().map(|(vm, _)| vm.uuid.as_str());
    Ok(Some(disk_state(location, &disk, vm, prior)))
}

/// Plan-time checks of a disk to be created: its `source_image` exists (an image
/// of the catalogue, a disk or a snapshot of the location) and `size_gb` is within
/// what the location's host pools take and not below the source's size.
async fn check_source_and_size(ctx: &ProviderData, plan: &Views<DiskState>) -> Result<(), OpError> {
    let Some(location) = plan.planned.location.as_deref() else {
        return Ok(());
    };
    let source_type = plan.planned.source_image_type.as_deref().unwrap_or(EMPTY);
    let source = plan.config.source_image.as_deref();
    let mut source_size = None;
    match (source_type, source) {
        ("OS_BASE", Some(image)) => {
            let (os_name, version) = image.split_once('_').ok_or_else(|| {
                OpError::invalid(
                    "source_image",
                    format!("{image:?} is not an OS base image name like \"ubuntu_22.04-lts\" (<os_name>_<os_version>)."),
                )
            })?;
            check_image(
                ctx,
                os_name,
                Some(version),
                ("source_image", "source_image"),
            )
            .await?;
        }
        ("DISK", Some(uuid)) => {
            let disks = api::list(&ctx.client, location).await?;
            let disk = disks.iter().find(|d| d.uuid == uuid).ok_or_else(|| {
                OpError::invalid(
                    "source_image",
                    format!("{uuid:?} is not a disk of location {location}."),
                )
            })?;
            source_size = Some(disk.size_gb);
        }
        ("SNAPSHOT", Some(uuid)) => {
            let disks = api::list(&ctx.client, location).await?;
            let snapshot = disks
                .iter()
                .flat_map(|d| &d.snapshots)
                .find(|s| s.uuid == uuid)
                .ok_or_else(|| {
                    OpError::invalid(
                        "source_image",
                        format!("{uuid:?} is not a disk snapshot of location {location}."),
                    )
                })?;
            source_size = Some(snapshot.size_gb);
        }
        _ => {}
    }
    let Some(size) = plan.config.size_gb else {
        return Ok(());
    };
    if let Some(minimum) = source_size.filter(|m| size < *m) {
        return Err(OpError::invalid(
            "size_gb",
            format!("{size} GiB is smaller than the source ({minimum} GiB); a copy cannot shrink."),
        ));
    }
    // The largest disk any host pool of the location takes: a bigger disk could
    // never be used there.
    let Some(pools) = crate::api::vm::host_pools(&ctx.client, location)
        .await
        .found()?
    else {
        return Ok(());
    };
    let maximum = pools
        .iter()
        .filter_map(|p| p.guest_limits.as_ref()?.disk_gb.max)
        .max();
    if let Some(maximum) = maximum.filter(|m| size > *m) {
        return Err(OpError::invalid(
            "size_gb",
            format!("{size} GiB is more than the largest disk location {location} takes ({maximum} GiB)."),
        ));
    }
    Ok(())
}

#[async_trait]
impl ResourceType for DiskResource {
    type Platform = ProviderData;
    const NAME: &'static str = "disk";
    type State = DiskState;
    type Config = DiskConfig;

    fn schema(&self) -> SchemaSpec {
        let spec = SchemaSpec::new("A block storage disk: empty, or a copy of an OS base image, another disk or a snapshot. Attach it to a VM with `idcloudhost_disk_attachment`.")
            .attr(id_attr("The disk's uuid."))
            .attr(location_attr())
            .attr(
                Attr::optional("name", Ty::String)
                    .desc("Descriptive name of the disk (the API's `display_name`); changed in place. Not available on elastis.id.")
                    .validate(Validator::NotEmpty)
                    .only_on(Feature::DiskDisplayName),
            )
            .attr(
                Attr::optional_computed("size_gb", Ty::Number)
                    .desc("Size in GiB. Required when `source_image_type` is `EMPTY`; otherwise it defaults to the size of the source. Grows in place through the VM it is attached to (the API grows only attached disks): growing a detached disk is a plan-time error, never a replacement; shrinking is refused. At plan time it must not exceed the largest disk the location's host pools take, nor be below a `DISK` or `SNAPSHOT` source's size.")
                    .validate(Validator::IntRange(1, i64::MAX)),
            )
            .attr(billing_account_attr())
            .attr(
                Attr::optional("read_only_bootable", Ty::Bool)
                    .default(false)
                    .desc("Mark the disk as read-only bootable media (an ISO 9660 image a VM can boot from with `boot_image_repository = \"private\"`); changed in place. Not available on elastis.id.")
                    .read_desc("Whether the disk is read-only bootable media (an ISO 9660 image a VM can boot from with `boot_image_repository = \"private\"`).")
                    .only_on(Feature::ReadOnlyBootableDisks),
            )
            .attr(
                Attr::optional("source_image_type", Ty::String)
                    .default(EMPTY)
                    .create_only()
                    .desc("What the disk starts as: `EMPTY` (default), `OS_BASE` (an OS image), `DISK` (a copy of another disk) or `SNAPSHOT` (a copy of a disk snapshot).")
                    .validate(Validator::OneOf(SOURCE_TYPES)),
            )
            .attr(
                Attr::optional("source_image", Ty::String)
                    .create_only()
                    .desc("The source to copy: an OS image such as `ubuntu_22.04-lts` for `OS_BASE`, a disk uuid for `DISK`, a snapshot uuid for `SNAPSHOT`. Required unless `source_image_type` is `EMPTY`. Checked at plan time: a published image of the catalogue, or a disk or snapshot of the disk's location.")
                    .validate(Validator::NotEmpty),
            )
            .attr(Attr::computed("status", Ty::String).desc("Status as the API reports it (`Active`)."))
            .attr(Attr::computed("storage_pool_uuid", Ty::String).desc("Storage pool holding the disk; null when the API does not report one.").stable())
            .attr(created_at_attr())
            .attr(Attr::computed("attached_to", Ty::String).desc("Uuid of the VM the disk is attached to (found in the VMs' storage lists); null when detached."))
            .attr(Attr::computed("snapshots", Ty::list(ty_of::<DiskSnapshotState>())).desc("Snapshots of the disk: `uuid`, `name` (null when unnamed), `size_gb`, `created_at`."))
            .block(timeouts_block(&["create", "update", "delete"]));
        super::cost::with_cost_attrs(spec, super::cost::DISK_FORMULA)
    }

    async fn meter(
        &self,
        _ctx: &ProviderData,
        values: &DiskState,
        _prior: Option<&DiskState>,
    ) -> Result<Option<Meter>, OpError> {
        Ok(Some(super::cost::disk(values)))
    }

    fn validate(&self, config: &DiskConfig) -> Vec<OpError> {
        let mut errors = Vec::new();
        let source_type = match &config.source_image_type {
            Field::Null => EMPTY,
            Field::Known(kind) => kind.as_str(),
            Field::Unknown => return errors,
        };
        if source_type == EMPTY {
            if !config.source_image.is_null() {
                errors.push(OpError::invalid(
                    "source_image",
                    "source_image is only used when source_image_type is OS_BASE, DISK or SNAPSHOT; an EMPTY disk has no source. Set source_image_type or remove source_image.",
                ));
            }
            if config.size_gb.is_null() {
                errors.push(OpError::invalid(
                    "size_gb",
                    "size_gb is required when source_image_type is EMPTY (the default): an empty disk has no source to take its size from.",
                ));
            }
        } else if SOURCE_TYPES.contains(&source_type) && config.source_image.is_null() {
            errors.push(OpError::invalid(
                "source_image",
                format!("source_image is required when source_image_type is {source_type}."),
            ));
        }
        errors
    }

    async fn modify_plan(&self, ctx: &ProviderData, plan: &mut Plan) -> Result<(), OpError> {
        let views = plan.typed::<DiskState>()?;
        let (planned, prior) = (&views.planned, views.prior.as_ref());
        if planned.read_only_bootable == Some(true)
            && prior.is_none_or(|p| p.read_only_bootable != planned.read_only_bootable)
        {
            if let Some(vm) = prior.and_then(|p| p.attached_to.known()) {
                return Err(OpError::invalid(
                    "read_only_bootable",
                    format!("The disk is attached to VM {vm}: read-only bootable media is booted from (boot_image_repository = \"private\"), not attached. Detach it first (remove its idcloudhost_disk_attachment and apply), or keep read_only_bootable = false."),
                ));
            }
        }
        let Some(prior) = prior.filter(|_| plan.replace.is_empty()) else {
            return check_source_and_size(ctx, &views).await;
        };
        // No in-place change (metadata, growing) touches the status, the snapshots
        // or the attachment: the update records the attachment it was planned
        // with (an attachment changed in the same apply shows at the next refresh).
        plan.update_planned(|planned: &mut DiskState| {
            planned.status = prior.status.clone();
            planned.snapshots = prior.snapshots.clone();
            planned.attached_to = prior.attached_to.clone();
        })?;
        let (Some(old), Some(new)) = (prior.size_gb, planned.size_gb) else {
            return Ok(());
        };
        if new < old {
            return Err(OpError::invalid(
                "size_gb",
                format!("The disk is {old} GiB and cannot shrink to {new} GiB: disks only grow. Set size_gb to {old} or more (or create a new, smaller disk)."),
            ));
        }
        // The API grows only attached disks, and never through a replacement, which
        // would wipe the data. The decision rests on the refreshed state, not on a
        // fresh lookup, so the plan Terraform checks again at apply time (after an
        // attachment removed in the same apply has detached the disk) is the same.
        if new > old && prior.attached_to.is_null() {
            return Err(OpError::invalid(
                "size_gb",
                format!("The disk is not attached to a VM, and the API can grow a disk only through the VM it is attached to. Attach it first (apply its idcloudhost_disk_attachment with size_gb = {old}), then grow it to {new} GiB in a second apply; replacing it would lose its data."),
            ));
        }
        Ok(())
    }

    async fn create(&self, ctx: &ProviderData, planned: DiskState) -> Result<DiskState, OpError> {
        let location = located(&planned.location)?;
        let source_type = planned.source_image_type.as_deref().unwrap_or(EMPTY);
        let new = api::NewDisk {
            size_gb: planned.size_gb,
            billing_account_id: planned.billing_account_id,
            name: planned.name.as_deref(),
            source_image_type: source_type,
            source_image: planned
                .source_image
                .as_deref()
                .filter(|_| source_type != EMPTY),
        };
        if let Some(name) = new.name {
            let listed = api::list(&ctx.client, location).await?.into_iter();
            let listed = listed.map(|d| (d.display_name.unwrap_or_default(), d.uuid));
            super::common::warn_same_named("disk", name, listed);
        }
        let created = api::create(&ctx.client, location, &new).await?;
        let created_state = || disk_state(location, &created, None, &planned);
        if planned.read_only_bootable == Some(true) {
            let changes = api::DiskChanges {
                read_only_bootable: Some(true),
                ..Default::default()
            };
            if let Err(e) = api::modify(&ctx.client, location, &created.uuid, &changes).await {
                let state = DiskState {
                    read_only_bootable: Some(false),
                    ..created_state()
                };
                return Err(OpError::from(e).with_state(&state));
            }
        }
        // The create answer lacks fields (display_name, snapshots): read the disk back.
        match current_disk(ctx, location, &created.uuid, &planned).await {
            Ok(Some(state)) => Ok(state),
            Ok(None) => Err(OpError::new(format!(
                "The disk {} was created but the API no longer lists it",
                created.uuid
            ))),
            Err(e) => Err(e.with_state(&created_state())),
        }
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        state: DiskState,
    ) -> Result<Option<DiskState>, OpError> {
        let (location, uuid) = location_and_id(&state.location, &state.id)?;
        current_disk(ctx, location, uuid, &state).await
    }

    async fn update(
        &self,
        ctx: &ProviderData,
        prior: DiskState,
        planned: DiskState,
    ) -> Result<DiskState, OpError> {
        let (location, uuid) = location_and_id(&prior.location, &prior.id)?;
        let mut changes = api::DiskChanges::default();
        if prior.name != planned.name {
            // An empty display_name clears the name.
            changes.name = Some(planned.name.as_deref().unwrap_or(""));
        }
        changes.billing_account_id =
            billing_change(prior.billing_account_id, planned.billing_account_id);
        if prior.read_only_bootable != planned.read_only_bootable {
            changes.read_only_bootable = planned.read_only_bootable;
        }
        if !changes.is_empty() {
            api::modify(&ctx.client, location, uuid, &changes).await?;
        }
        if let (Some(old), Some(new)) = (prior.size_gb, planned.size_gb) {
            if new > old {
                let attached_to = prior.attached_to.known().map(String::as_str);
                let grown = grow(ctx, location, uuid, attached_to, new).await;
                if let Err(e) = grown {
                    // The metadata changes may have been applied: record what is there now.
                    return Err(match current_disk(ctx, location, uuid, &planned).await {
                        Ok(Some(state)) => e.with_state(&state),
                        _ => e,
                    });
                }
            }
        }
        let mut state = current_disk(ctx, location, uuid, &planned)
            .await?
            .ok_or_else(|| gone_during_update(&format!("The disk {uuid}")))?;
        // As planned (see modify_plan).
        state.attached_to = prior.attached_to.clone();
        Ok(state)
    }

    async fn delete(&self, ctx: &ProviderData, state: &DiskState) -> Result<(), OpError> {
        let (location, uuid) = location_and_id(&state.location, &state.id)?;
        if api::find(&ctx.client, location, uuid).await?.is_none() {
            return Ok(());
        }
        Ok(api::delete(&ctx.client, location, uuid)
            .await
            .ok_if_not_found()?)
    }

    /// The VM it is attached to.
    async fn blocked_by(
        &self,
        ctx: &ProviderData,
        state: &DiskState,
    ) -> Result<Option<OpError>, OpError> {
        let (location, uuid) = location_and_id(&state.location, &state.id)?;
        let Some((vm, entry)) = api::attachment_of(&ctx.client, location, uuid).await? else {
            return Ok(None);
        };
        let how = if entry.primary {
            "It is that VM's boot disk, which goes away with the VM.".to_owned()
        } else {
            format!(
                "Detach it first (destroy its idcloudhost_disk_attachment, or detach device {} from the VM), then destroy the disk.",
                if entry.name.is_empty() { "?" } else { entry.name.as_str() }
            )
        };
        Ok(Some(
            OpError::new(format!(
                "Disk {uuid} cannot be deleted while it is attached to VM {:?} ({})",
                vm.name, vm.uuid
            ))
            .detail(how),
        ))
    }

    async fn import(&self, ctx: &ProviderData, id: &str) -> Result<DiskState, OpError> {
        import_uuid(ctx, id).await
    }
}

/// Grows a disk through the VM it is attached to. One detached in the same apply
/// (its attachment removed along with the change of size: Terraform destroys the
/// attachment first) is grown through the VM it was attached to when the plan was
/// made, briefly attached again, so the planned change happens and the data stays.
async fn grow(
    ctx: &ProviderData,
    location: &str,
    uuid: &str,
    planned_vm: Option<&str>,
    size_gb: i64,
) -> Result<(), OpError> {
    let client = &ctx.client;
    if let Some((vm, _)) = api::attachment_of(client, location, uuid).await? {
        api::resize_attached(client, location, &vm.uuid, uuid, size_gb).await?;
        return Ok(());
    }
    let Some(vm) = planned_vm else {
        return Err(OpError::new(format!(
            "Disk {uuid} is not attached to a VM, so it cannot grow"
        ))
        .detail("The API grows only attached disks. Attach it, then grow it.")
        .at("size_gb"));
    };
    api::attach(client, location, vm, uuid).await.map_err(|e| {
        OpError::from(e).context(&format!(
            "Disk {uuid} was detached in this apply; attaching it again to VM {vm} to grow it failed"
        ))
    })?;
    let grown = api::resize_attached(client, location, vm, uuid, size_gb).await;
    let detached = api::detach(client, location, vm, uuid).await;
    grown?;
    detached?;
    Ok(())
}

// ============================================================ disk attachment

/// The state of an `idcloudhost_disk_attachment`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct DiskAttachmentState {
    pub id: Option<String>,
    pub location: Option<String>,
    pub vm_uuid: Option<String>,
    pub disk_uuid: Option<String>,
    pub device_name: Option<String>,
    pub device_path: Option<String>,
    pub timeouts: Vec<Timeouts>,
}

#[derive(Default)]
pub struct DiskAttachmentResource;

fn attachment_state(
    location: &str,
    vm_uuid: &str,
    disk_uuid: &str,
    device: &str,
) -> DiskAttachmentState {
    DiskAttachmentState {
        id: Some(format!("{vm_uuid}/{disk_uuid}")),
        location: Some(location.to_owned()),
        vm_uuid: Some(vm_uuid.to_owned()),
        disk_uuid: Some(disk_uuid.to_owned()),
        device_name: non_empty(device),
        device_path: Some(device_path(disk_uuid)),
        timeouts: Vec::new(),
    }
}

/// The location, VM and disk of an attachment's state.
fn attachment_of(state: &DiskAttachmentState) -> Result<(&str, &str, &str), OpError> {
    Ok((
        located(&state.location)?,
        required(&state.vm_uuid, "vm_uuid")?,
        required(&state.disk_uuid, "disk_uuid")?,
    ))
}

#[async_trait]
impl ResourceType for DiskAttachmentResource {
    type Platform = ProviderData;
    const NAME: &'static str = "disk_attachment";
    const IDENTITY: Identity = Identity::located(&["vm_uuid", "disk_uuid"]);
    type State = DiskAttachmentState;
    type Config = NoChecks;

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("Attaches an `idcloudhost_disk` to a VM of the same location. Destroying it detaches the disk (its data is kept).")
            .attr(id_attr("`<vm_uuid>/<disk_uuid>`."))
            .attr(location_attr())
            .attr(
                Attr::required("vm_uuid", Ty::String)
                    .force_new()
                    .desc("The VM to attach the disk to, in the same `location`.")
                    .validate(uuid_validator()),
            )
            .attr(
                Attr::required("disk_uuid", Ty::String)
                    .force_new()
                    .desc("The disk to attach (an `idcloudhost_disk` id), in the same `location`. A read-only bootable disk cannot be attached.")
                    .validate(uuid_validator()),
            )
            .attr(Attr::computed("device_name", Ty::String).desc("Device name the VM gives the disk, e.g. `vdb`.").stable())
            .attr(Attr::computed("device_path", Ty::String).desc("Stable path of the disk inside the guest: `/dev/disk/by-id/virtio-` followed by the first 20 characters of the disk uuid (when the guest OS supports serial-based device ids).").stable())
            .block(timeouts_block(&["create", "delete"]))
    }

    /// References to another location, or to read-only bootable media, fail at plan.
    async fn modify_plan(&self, ctx: &ProviderData, plan: &mut Plan) -> Result<(), OpError> {
        if !plan.is_create() {
            return Ok(());
        }
        let planned = plan.typed::<DiskAttachmentState>()?.planned;
        let Some(location) = planned.location else {
            return Ok(());
        };
        let mut holder = "this attachment";
        if let Some(vm_uuid) = planned.vm_uuid.as_deref() {
            check_reference(ctx, "vm_uuid", Referenced::Vm, vm_uuid, &location, holder).await?;
            holder = "the VM";
        }
        if let Some(disk_uuid) = planned.disk_uuid.as_deref() {
            check_reference(
                ctx,
                "disk_uuid",
                Referenced::Disk,
                disk_uuid,
                &location,
                holder,
            )
            .await?;
            let disk = api::find(&ctx.client, &location, disk_uuid).await?;
            if disk.is_some_and(|d| d.read_only_bootable == Some(true)) {
                return Err(OpError::invalid(
                    "disk_uuid",
                    format!("Disk {disk_uuid} is read-only bootable media: a VM boots from it (boot_image_repository = \"private\"), it is not attached. Set read_only_bootable = false on the disk first, or boot from it instead."),
                ));
            }
        }
        Ok(())
    }

    async fn create(
        &self,
        ctx: &ProviderData,
        planned: DiskAttachmentState,
    ) -> Result<DiskAttachmentState, OpError> {
        let (location, vm_uuid, disk_uuid) = attachment_of(&planned)?;
        let entry = api::attach(&ctx.client, location, vm_uuid, disk_uuid).await?;
        let mut device = entry.name;
        if device.is_empty() {
            // Not in the answer: the VM's storage list has it.
            if let Ok(Some(found)) =
                api::find_attachment(&ctx.client, location, vm_uuid, disk_uuid).await
            {
                device = found.name;
            }
        }
        Ok(attachment_state(location, vm_uuid, disk_uuid, &device))
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        state: DiskAttachmentState,
    ) -> Result<Option<DiskAttachmentState>, OpError> {
        let (location, vm_uuid, disk_uuid) = attachment_of(&state)?;
        Ok(
            api::find_attachment(&ctx.client, location, vm_uuid, disk_uuid)
                .await?
                .map(|entry| attachment_state(location, vm_uuid, disk_uuid, &entry.name)),
        )
    }

    async fn delete(&self, ctx: &ProviderData, state: &DiskAttachmentState) -> Result<(), OpError> {
        let (location, vm_uuid, disk_uuid) = attachment_of(state)?;
        if api::find_attachment(&ctx.client, location, vm_uuid, disk_uuid)
            .await?
            .is_none()
        {
            return Ok(());
        }
        match api::detach(&ctx.client, location, vm_uuid, disk_uuid).await {
            Ok(()) => Ok(()),
            Err(e) => {
                // Detached meanwhile (or the VM went away): nothing left to do.
                match api::find_attachment(&ctx.client, location, vm_uuid, disk_uuid).await {
                    Ok(None) => Ok(()),
                    _ => Err(e.into()),
                }
            }
        }
    }

    async fn import(&self, ctx: &ProviderData, id: &str) -> Result<DiskAttachmentState, OpError> {
        let (location, parts) = parse_located_import_id(ctx, id, &["vm_uuid", "disk_uuid"]).await?;
        Ok(DiskAttachmentState {
            id: Some(format!("{}/{}", parts[0], parts[1])),
            location: Some(location),
            vm_uuid: Some(parts[0].clone()),
            disk_uuid: Some(parts[1].clone()),
            ..DiskAttachmentState::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::from_config;
    use crate::framework::typed::{config_view_matches, state_matches_schema};
    use crate::framework::{Dyn, Obj};
    use crate::obj;

    #[test]
    fn device_path_uses_first_20_characters() {
        assert_eq!(
            device_path("3d91aa31-16ec-44ee-b8b3-22a0bda6559e"),
            "/dev/disk/by-id/virtio-3d91aa31-16ec-44ee-b"
        );
    }

    #[test]
    fn oldest_generation_refuses_name_and_read_only_bootable() {
        use crate::api::Generation;
        let spec = DiskResource.schema();
        let check = |attr: &str, value: Dyn, generation| {
            let rule = spec
                .attr_spec(attr)
                .and_then(|a| a.only_on.clone())
                .expect("a brand rule");
            crate::platform::check_only_on(&rule, attr, &value, generation)
        };
        let err = check("name", "data".into(), Generation::Oldest).unwrap_err();
        assert_eq!(err.attr, "name");
        assert!(err.detail.contains("elastis.id"), "{}", err.detail);
        assert!(err.detail.contains("3nv.io"), "{}", err.detail);
        let err = check("read_only_bootable", true.into(), Generation::Oldest).unwrap_err();
        assert_eq!(err.attr, "read_only_bootable");
        assert!(check("read_only_bootable", false.into(), Generation::Oldest).is_ok());
        assert!(check("name", Dyn::Null, Generation::Oldest).is_ok());
        assert!(check("name", "data".into(), Generation::Newest).is_ok());
        assert!(check("read_only_bootable", true.into(), Generation::Middle).is_ok());
    }

    #[test]
    fn validate_source_rules() {
        let r = DiskResource;
        let attrs = |config: Obj| {
            let errors = r.validate(&from_config(&config).unwrap());
            errors.into_iter().map(|e| e.attr).collect::<Vec<_>>()
        };
        assert_eq!(attrs(obj! {}), vec!["size_gb"]);
        assert!(attrs(obj! { "size_gb" => 10i64 }).is_empty());
        assert_eq!(
            attrs(obj! { "size_gb" => 10i64, "source_image" => "x" }),
            vec!["source_image"]
        );
        assert_eq!(
            attrs(obj! { "source_image_type" => "OS_BASE" }),
            vec!["source_image"]
        );
        assert!(
            attrs(obj! { "source_image_type" => "DISK", "source_image" => Dyn::Unknown })
                .is_empty()
        );
        assert!(attrs(obj! { "source_image_type" => Dyn::Unknown }).is_empty());
        // An unknown size is set: no error for an EMPTY disk.
        assert!(attrs(obj! { "size_gb" => Dyn::Unknown }).is_empty());
    }

    #[test]
    fn state_struct_matches_the_schema() {
        assert_eq!(state_matches_schema(&DiskResource), Ok(()));
        assert_eq!(state_matches_schema(&DiskAttachmentResource), Ok(()));
        assert_eq!(config_view_matches(&DiskResource), Ok(()));
    }
}
