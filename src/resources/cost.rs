//! The cost estimates of the resources billed by the hour (`estimated_hourly_cost`,
//! `estimated_monthly_cost`): what each is metered by, and the schema attributes.
//! The plan and refresh rules are the framework's (`framework::cost`).

use crate::api::vm as vm_api;
use crate::context::ProviderData;
use crate::framework::cost::{attrs, int_input, Meter};
use crate::framework::{Dyn, Obj, OpError, SchemaSpec};

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

/// A VM: vcpu, RAM, boot disk, backup and Windows licence.
pub fn vm(values: &Obj) -> Meter {
    let ints = (
        int_input(values, "vcpu"),
        int_input(values, "ram_mb"),
        int_input(values, "disk_size_gb"),
    );
    let (Some(Some(vcpu)), Some(Some(ram_mb)), Some(Some(disk_gb))) = ints else {
        return Meter::Unknown;
    };
    let backup = match values.get("backup") {
        Some(Dyn::Unknown) => return Meter::Unknown,
        Some(v) => v.as_bool().unwrap_or(false),
        None => false,
    };
    let windows = match values.get("os_name") {
        Some(Dyn::Unknown) => return Meter::Unknown,
        Some(v) => v.as_str().is_some_and(is_windows),
        None => false,
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
pub fn disk(values: &Obj) -> Meter {
    match int_input(values, "size_gb") {
        Some(Some(size_gb)) => Meter::Disk { size_gb },
        _ => Meter::Unknown,
    }
}

/// A bucket: the bytes it stores (a new one stores none; an update keeps the
/// stored size).
pub fn bucket(values: &Obj, prior: Option<&Obj>) -> Meter {
    let size = |v: &Obj| int_input(v, "size_bytes");
    let size_bytes = match (size(values), prior.map(size)) {
        (Some(Some(n)), _) => n,
        (_, Some(Some(Some(n)))) => n,
        _ => 0,
    };
    Meter::Bucket { size_bytes }
}

/// A VM snapshot: the snapshotted disk's size, known from the VM's boot disk
/// before the snapshot exists.
pub async fn snapshot(ctx: &ProviderData, values: &Obj) -> Result<Meter, OpError> {
    if let Some(Some(size_gb)) = int_input(values, "size_gb") {
        return Ok(Meter::Snapshot { size_gb });
    }
    let (Some(location), Some(vm_uuid)) = (
        values.get("location").and_then(Dyn::as_str),
        values.get("vm_uuid").and_then(Dyn::as_str),
    ) else {
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
    use crate::obj;

    #[test]
    fn a_vm_is_metered_when_its_inputs_are_known() {
        let known = obj! { "vcpu" => 2i64, "ram_mb" => 2048i64, "disk_size_gb" => 20i64,
        "backup" => true, "os_name" => "windows" };
        assert_eq!(
            vm(&known),
            Meter::Vm {
                vcpu: 2,
                ram_mb: 2048,
                disk_gb: 20,
                backup: true,
                windows: true
            }
        );
        let mut unknown = known.clone();
        unknown.insert("disk_size_gb".into(), Dyn::Unknown);
        assert_eq!(vm(&unknown), Meter::Unknown);
    }

    #[test]
    fn a_bucket_update_keeps_the_stored_size() {
        let prior = obj! { "size_bytes" => 5i64 };
        let planned = obj! { "size_bytes" => Dyn::Unknown };
        assert_eq!(
            bucket(&planned, Some(&prior)),
            Meter::Bucket { size_bytes: 5 }
        );
        assert_eq!(bucket(&planned, None), Meter::Bucket { size_bytes: 0 });
    }
}
