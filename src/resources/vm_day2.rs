//! `idcloudhost_vm`'s day-2 arguments: the declarative side of the VM operations,
//! for Terraform before 1.14 and OpenTofu, which have no actions.
//!
//! - `os_change = "reinstall"`: a changed `os_name`/`os_version` reinstalls the
//!   VM in place (`vm/reinstall`: same uuid, addresses, network, attachments; the
//!   boot disk's content is erased, which the plan says in a warning) instead of
//!   replacing it (`"replace"`, the default when unset).
//! - `force_stop`: when the provider has to stop the VM (`power_state =
//!   "stopped"`, a vcpu/RAM change) and the guest does not shut down gracefully,
//!   it is stopped with `force=true` (a warning says so) instead of failing.
//! - `source_uuid` without `source_replica`: the VM is a clone of that VM
//!   (`vm/clone`), which keeps the source's disk, operating system, users, keys,
//!   host pool and network.
//!
//! Neither `os_change` nor `force_stop` has a schema default: unset means
//! `"replace"` / `false`, so state written before they existed plans no change.

use super::common::check_image;
use super::vm::{VmConfig, VmState};
use crate::api::vm_ops::{self, PowerChange};
use crate::api::{network, vm as api};
use crate::context::ProviderData;
use crate::framework::{warn, Attr, Field, OpError, Plan, Ty, Validator, Views};

pub const OS_CHANGE: &str = "os_change";
pub const FORCE_STOP: &str = "force_stop";
const REPLACE: &str = "replace";
const REINSTALL: &str = "reinstall";

pub fn os_change_attr() -> Attr {
    Attr::optional(OS_CHANGE, Ty::String)
        .desc("What a changed `os_name` or `os_version` does: `replace` (the default when unset) destroys the VM and creates a new one; `reinstall` reinstalls the operating system in place (same uuid, addresses, network, attached disks, firewalls and load-balancer membership) and erases the content of the boot disk, which the plan says in a warning. Changed in place.")
        .validate(Validator::OneOf(&[REPLACE, REINSTALL]))
        .not_read_back()
}

pub fn force_stop_attr() -> Attr {
    Attr::optional(FORCE_STOP, Ty::Bool)
        .desc("When the provider has to stop the VM (`power_state = \"stopped\"`, or a `vcpu`/`ram_mb` change) and the guest does not shut down gracefully (the API reports that it ignored the ACPI shutdown signal, or it is still running when the operation's timeout is near: a quarter of the time left, between 10 seconds and 2 minutes, is kept for the forced stop), stop it with force, like pulling the plug, instead of failing; a warning says so. Default false. Deleting a VM never needs a stop.")
        .not_read_back()
}

/// Whether the VM is (or is to be) a clone: `source_uuid` without `source_replica`.
pub fn is_clone(source_uuid: &Field<String>, source_replica: &Field<String>) -> bool {
    !source_uuid.is_null() && source_replica.is_null()
}

/// Configuration checks of the clone (the rest of `source_uuid`'s rules stay in
/// `vm.rs`): what a clone cannot honour (it gets the source's disk, with its
/// users, keys and cloud-init already run, host pool and description; the API
/// takes only a name) is an error where set, unknown included.
pub fn validate(config: &VmConfig, errors: &mut Vec<OpError>) {
    if !is_clone(&config.source_uuid, &config.source_replica) {
        return;
    }
    let not_with_clone = [
        ("os_name", !config.os_name.is_null()),
        ("os_version", !config.os_version.is_null()),
        ("username", !config.username.is_null()),
        ("password", !config.password.is_null()),
        ("password_wo", !config.password_wo.is_null()),
        ("public_keys", !config.public_keys.is_null()),
        ("ssh_key_ids", !config.ssh_key_ids.is_null()),
        ("cloud_init", !config.cloud_init.is_null()),
        ("cloud_init_wo", !config.cloud_init_wo.is_null()),
        (
            "designated_pool_uuid",
            !config.designated_pool_uuid.is_null(),
        ),
        ("description", !config.description.is_null()),
    ];
    for (name, _) in not_with_clone.into_iter().filter(|(_, set)| *set) {
        if !errors.iter().any(|e| e.attr == name) {
            errors.push(OpError::invalid(
                name,
                format!("{name} cannot be combined with source_uuid without source_replica: the VM is then a clone of source_uuid, which keeps the source's disk (operating system, users, keys), host pool and description. Set source_replica to create from a snapshot instead."),
            ));
        }
    }
}

/// Plan of the day-2 arguments: a reinstall instead of a replacement, and the
/// checks of a clone's source.
pub async fn modify_plan(ctx: &ProviderData, plan: &mut Plan) -> Result<(), OpError> {
    let views = plan.typed::<VmState>()?;
    let Some(prior) = &views.prior else {
        return plan_clone(ctx, &views).await;
    };
    let planned = &views.planned;
    let os_changes = plan.changes("os_name") || plan.changes("os_version");
    if !os_changes || planned.os_change.as_deref() != Some(REINSTALL) {
        return Ok(());
    }
    plan.replace.remove("os_name");
    plan.replace.remove("os_version");
    let (os_name, os_version) = (planned.os_name.as_deref(), planned.os_version.as_deref());
    if os_name == Some(super::vm::EMPTY_DISK_OS) {
        return Err(OpError::invalid(
            "os_name",
            "An empty disk (\"_custom\") cannot be reinstalled: a reinstall writes a base image. Use os_change = \"replace\" for a new VM with an empty disk.",
        ));
    }
    if let Some(name) = os_name {
        check_image(ctx, name, os_version, ("os_name", "os_version")).await?;
    }
    let target = match (os_name, os_version) {
        (Some(n), Some(v)) => format!("{n} {v}"),
        _ => "the new operating system".to_owned(),
    };
    let vm = planned
        .name
        .as_deref()
        .or(prior.id.as_deref())
        .unwrap_or("the VM")
        .to_owned();
    warn(
        OpError::new(format!(
            "VM {vm:?} will be reinstalled with {target}: the content of its boot disk is erased"
        ))
        .at("os_name")
        .detail(format!(
            "os_change = \"reinstall\": the VM keeps its uuid, addresses, network, attached disks, firewalls and load-balancer membership, but everything on its boot disk is replaced by a fresh {target} image. Take a snapshot first (idcloudhost_vm_snapshot) if its data matters."
        )),
    );
    Ok(())
}

/// A clone's source must exist in the VM's location; a configured network must
/// be the source's (the clone joins it) and a configured disk size at least the
/// source's (the clone's disk starts as a copy).
async fn plan_clone(ctx: &ProviderData, plan: &Views<VmState>) -> Result<(), OpError> {
    let (Some(source), Some(location)) = (
        plan.config.source_uuid.as_deref(),
        plan.planned.location.as_deref(),
    ) else {
        return Ok(());
    };
    if !plan.config.source_replica.is_null() {
        return Ok(());
    }
    let Some(vm) = api::find(&ctx.client, location, source).await? else {
        return Err(OpError::invalid(
            "source_uuid",
            format!("No VM {source} in location {location} to clone."),
        ));
    };
    if let Some(&size) = plan.config.disk_size_gb.known() {
        let source_size = vm.primary_storage().map(|d| d.size).unwrap_or(0);
        if size < source_size {
            return Err(OpError::invalid(
                "disk_size_gb",
                format!("The clone's boot disk is a copy of the source's {source_size} GB disk: it can grow, not shrink to {size} GB."),
            ));
        }
    }
    if let Some(wanted) = plan.config.network_uuid.as_deref() {
        let source_network = network::list(&ctx.client, location)
            .await?
            .into_iter()
            .find(|n| n.contains_vm(source))
            .map(|n| n.uuid);
        if source_network.as_deref().is_some_and(|n| n != wanted) {
            return Err(OpError::invalid(
                "network_uuid",
                format!(
                    "A clone joins its source's network ({}); network_uuid {wanted} differs. Leave network_uuid unset, or set it to the source's network.",
                    source_network.unwrap_or_default()
                ),
            ));
        }
    }
    Ok(())
}

/// Reinstalls the VM when `os_change = "reinstall"` and the OS changed; the VM
/// is running afterwards (the rest of the update sets its power state).
pub async fn reinstall_if_asked(
    ctx: &ProviderData,
    location: &str,
    uuid: &str,
    prior: &VmState,
    plan: &VmState,
) -> Result<(), OpError> {
    let changed = prior.os_name != plan.os_name || prior.os_version != plan.os_version;
    if !changed || plan.os_change.as_deref() != Some(REINSTALL) {
        return Ok(());
    }
    vm_ops::reinstall(
        &ctx.client,
        location,
        uuid,
        plan.os_name.as_deref(),
        plan.os_version.as_deref(),
    )
    .await
    .map_err(|e| OpError::from(e).context("Reinstalling the VM"))?;
    Ok(())
}

/// Stops the VM because `why` needs it stopped: gracefully; with `force_stop`,
/// by force when the guest does not shut down within the graceful window
/// (`vm_ops::graceful_window`), with a warning.
pub async fn stop_for_change(
    ctx: &ProviderData,
    location: &str,
    uuid: &str,
    force_stop: bool,
    why: &str,
) -> Result<(), OpError> {
    let client = &ctx.client;
    if !force_stop {
        return match vm_ops::stop(client, location, uuid, false).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_not_found() => Err(e.into()),
            Err(e) => {
                let mut error = OpError::from(e).context(&format!("Stopping the VM {why}"));
                error.detail = format!(
                    "{} If the guest does not shut down gracefully, set force_stop = true: the provider then stops it with force (like pulling the plug).",
                    error.detail
                )
                .trim_start()
                .to_owned();
                Err(error)
            }
        };
    }
    let done = vm_ops::stop_or_force(client, location, uuid, vm_ops::graceful_window())
        .await
        .map_err(|e| OpError::from(e).context(&format!("Stopping the VM {why}")))?;
    if let PowerChange::ForcedAfterGraceful { reason } = done {
        warn(
            OpError::new(format!("VM {uuid} was stopped with force"))
                .at(FORCE_STOP)
                .detail(format!(
                    "It did not shut down gracefully ({reason}); force_stop = true, so it was stopped like pulling the plug, {why}. Data the guest had not written to disk may be lost."
                )),
        );
    }
    Ok(())
}
