//! The cost estimates of the resources billed by the hour (`estimated_hourly_cost`,
//! `estimated_monthly_cost`): what each is metered by, and the schema attributes.
//! The plan and refresh rules are the framework's (`framework::cost`), the prices
//! the platform's (`platform::pricing`).

use super::disk::DiskState;
use super::storage::BucketState;
use super::vm::VmState;
use super::vm_snapshot::VmSnapshotState;
use crate::api::vm as vm_api;
use crate::context::ProviderData;
use crate::framework::{Field, OpError, SchemaSpec};
use crate::platform::pricing::{attrs, Meter};

/// Adds the two cost attributes to a schema, described with the resource's
/// hourly `formula`.
pub fn with_cost_attrs(spec: SchemaSpec, formula: &str) -> SchemaSpec {
    let [hourly, monthly] = attrs(formula);
    spec.attr(hourly).attr(monthly)
}

pub const VM_FORMULA: &str = "`vcpu` × the price of one CPU (a `CPU` entry's `price` over its `numCpus`) + `ram_mb` × the price of one MB of RAM (the `RAM` entry with the most `megsRam`, its `price` over its `megsRam`) + `disk_size_gb` × the `STORAGE` `main` price + when `backup` is true, `disk_size_gb` × the `STORAGE` `backup` price + when `os_name` is `windows`, `vcpu` × the `LICENSE` `windows` price (per core)";
pub const DISK_FORMULA: &str = "`size_gb` × the `STORAGE` `main` price";
pub const SNAPSHOT_FORMULA: &str = "`size_gb` (the snapshotted disk's size; at plan time, the size of the VM's boot disk) × the `STORAGE` `snapshot` price";
pub const BUCKET_FORMULA: &str = "`size_bytes` / 1024³ (stored GiB; 0 for a new bucket) × the `OBJECT_STORAGE` `object_storage` price";

/// Whether an `os_name` is a Windows image (licensed per core).
pub fn is_windows(os_name: &str) -> bool {
    os_name.to_ascii_lowercase().starts_with("windows")
}

/// A VM: vcpu, RAM, boot disk, backup and Windows licence. Unknown while any of
/// them is; a null `backup` or `os_name` is no backup, no licence.
pub fn vm(state: &VmState) -> Meter {
    let (Some(&vcpu), Some(&ram_mb), Some(&disk_gb)) = (
        state.vcpu.as_ref(),
        state.ram_mb.as_ref(),
        state.disk_size_gb.known(),
    ) else {
        return Meter::Unknown;
    };
    let backup = match &state.backup {
        Field::Unknown => return Meter::Unknown,
        Field::Known(backup) => *backup,
        Field::Null => false,
    };
    let windows = match &state.os_name {
        Field::Unknown => return Meter::Unknown,
        Field::Known(os_name) => is_windows(os_name),
        Field::Null => false,
    };
    Meter::Vm {
        vcpu,
        ram_mb,
        disk_gb,
        backup,
        windows,
    }
}

/// A disk: its size.
pub fn disk(state: &DiskState) -> Meter {
    match state.size_gb {
        Some(size_gb) => Meter::Disk { size_gb },
        None => Meter::Unknown,
    }
}

/// A bucket: the bytes it stores (a new one stores none; an update keeps the
/// stored size).
pub fn bucket(state: &BucketState, prior: Option<&BucketState>) -> Meter {
    let size_bytes = state
        .size_bytes
        .or_else(|| prior.and_then(|prior| prior.size_bytes))
        .unwrap_or(0);
    Meter::Bucket { size_bytes }
}

/// A VM snapshot: the snapshotted disk's size, known from the VM's boot disk
/// before the snapshot exists.
pub async fn snapshot(ctx: &ProviderData, state: &VmSnapshotState) -> Result<Meter, OpError> {
    if let Some(size_gb) = state.size_gb {
        return Ok(Meter::Snapshot { size_gb });
    }
    let (Some(location), Some(vm_uuid)) = (state.location.as_deref(), state.vm_uuid.as_deref())
    else {
        return Ok(Meter::Unknown);
    };
    let vm = vm_api::find(&ctx.client, location, vm_uuid).await?;
    Ok(match vm.as_ref().and_then(|vm| vm.primary_storage()) {
        Some(disk) => Meter::Snapshot { size_gb: disk.size },
        None => Meter::Unknown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::typed::from_state;
    use crate::framework::Dyn;
    use crate::obj;

    // From the dynamic values a plan holds, as the adapter reads them.
    fn vm_of(values: &crate::framework::Obj) -> Meter {
        vm(&from_state(values).unwrap())
    }

    #[test]
    fn a_vm_is_metered_when_its_inputs_are_known() {
        let known = obj! { "vcpu" => 2i64, "ram_mb" => 2048i64, "disk_size_gb" => 20i64,
        "backup" => true, "os_name" => "windows" };
        assert_eq!(
            vm_of(&known),
            Meter::Vm {
                vcpu: 2,
                ram_mb: 2048,
                disk_gb: 20,
                backup: true,
                windows: true
            }
        );
        for name in ["vcpu", "ram_mb", "disk_size_gb", "backup", "os_name"] {
            let mut unknown = known.clone();
            unknown.insert(name.into(), Dyn::Unknown);
            assert_eq!(vm_of(&unknown), Meter::Unknown, "{name} unknown");
        }
        // Null backup and OS: no backup, no licence.
        let mut plain = known.clone();
        plain.insert("backup".into(), Dyn::Null);
        plain.remove("os_name");
        assert_eq!(
            vm_of(&plain),
            Meter::Vm {
                vcpu: 2,
                ram_mb: 2048,
                disk_gb: 20,
                backup: false,
                windows: false
            }
        );
    }

    #[test]
    fn a_bucket_update_keeps_the_stored_size() {
        let prior: BucketState = from_state(&obj! { "size_bytes" => 5i64 }).unwrap();
        let planned: BucketState = from_state(&obj! { "size_bytes" => Dyn::Unknown }).unwrap();
        assert_eq!(
            bucket(&planned, Some(&prior)),
            Meter::Bucket { size_bytes: 5 }
        );
        assert_eq!(bucket(&planned, None), Meter::Bucket { size_bytes: 0 });
    }
}
