//! Day-2 operations on an existing VM: power (start, stop graceful or forced,
//! restart), reinstall, rebuild from a replica, boot media (`boot_iso_media` on the
//! newer generations, `rescue_start` on elastis), clone; and waits for a power
//! state. Snapshots are `api::replica::create`.
//!
//! Every call is `POST /v1/{slug}/user-resource/vm/...`, form-encoded and
//! synchronous (the answer comes when the operation is done: a graceful stop takes
//! about 22 s live, a reinstall or clone about as long as a create). The rules
//! every function here follows:
//! - A write that failed in a way that may have taken effect (a 5xx, a lost answer,
//!   a request cut off at the deadline) is checked with a fresh read of the VM; it
//!   is never blindly sent again. Power and boot writes, whose effect the read
//!   shows, are sent again (`recover_write`) when it shows none and the failure
//!   was transient; a reinstall or rebuild, whose effect a read cannot always
//!   tell, never is.
//! - Endpoints a brand lacks are never called: `boot_iso_media` and
//!   `rescue_start` fail with an `Unsupported` error naming the brands that have
//!   them (the client's backstop; plan-time checks belong to the callers).
//! - Every wait ends at the operation's deadline (`cancel::DEADLINE`, set by the
//!   framework from the `timeouts`), or when Terraform is interrupted (the
//!   client's `Cancel`); writes are not started after the deadline.
//!
//! "Not found" (the VM is gone) is an `ApiError` with `ErrorKind::NotFound`.

use std::future::Future;
use std::time::{Duration, Instant};

use super::models::vm::Vm;
use super::{create_listed, vm, ApiClient, ApiError, ErrorKind};
use crate::cancel::{fresh_lists, Waited, DEADLINE, INTERRUPTED};
use crate::logging::{self, Level, MODULE_API};

/// A VM's power state, as the API reports it (`status`): only `running` and
/// `stopped` are ever seen live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Power {
    Running,
    Stopped,
}

impl Power {
    pub fn as_str(self) -> &'static str {
        match self {
            Power::Running => "running",
            Power::Stopped => "stopped",
        }
    }

    /// Whether `vm` is in this power state.
    pub fn of(self, vm: &Vm) -> bool {
        match self {
            Power::Running => vm.is_running(),
            Power::Stopped => vm.is_stopped(),
        }
    }
}

/// What a power operation did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PowerChange {
    /// The VM was already in the wanted state: nothing was sent.
    Already,
    /// Started, or stopped gracefully (ACPI shutdown).
    Done,
    /// Stopped with `force=true` ("pull the plug"), as asked.
    Forced,
    /// The guest did not shut down gracefully (the reason: the API's message, or
    /// that the graceful window passed), so it was stopped with `force=true`.
    ForcedAfterGraceful { reason: String },
}

/// Where `boot_iso_media` takes the image from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BootRepository {
    /// A published image of `GET /config/boot_images` (the API's default).
    #[default]
    Platform,
    /// A disk of the account with `read_only_bootable = true` holding an ISO 9660
    /// file system.
    Private,
}

impl BootRepository {
    pub fn as_str(self) -> &'static str {
        match self {
            BootRepository::Platform => "platform",
            BootRepository::Private => "private",
        }
    }
}

fn gone(uuid: &str) -> ApiError {
    ApiError {
        kind: ErrorKind::NotFound,
        message: format!("No such virtual machine exists. {uuid}"),
        ..ApiError::transport("", "", "")
    }
}

/// The VM read afresh (not from a list fetched before a write); `NotFound` when
/// it is gone.
pub async fn read(client: &ApiClient, location: &str, uuid: &str) -> Result<Vm, ApiError> {
    fresh_lists(vm::find(client, location, uuid))
        .await?
        .ok_or_else(|| gone(uuid))
}

/// Sends a write that must not be repeated blindly. When it fails in a way that
/// may have taken effect, `check` (run with lists read fresh, and only then) says
/// whether it did: `Some` is taken as the write's result, `None` returns the
/// original error with `not_done` as a note.
async fn checked_write<T>(
    send: impl Future<Output = Result<T, ApiError>>,
    check: impl Future<Output = Result<Option<T>, ApiError>>,
    not_done: &str,
) -> Result<T, ApiError> {
    let error = match send.await {
        Ok(done) => return Ok(done),
        Err(error) if !error.may_have_taken_effect() => return Err(error),
        Err(error) => error,
    };
    match fresh_lists(check).await {
        Ok(Some(done)) => {
            logging::log(
                Level::Info,
                MODULE_API,
                "A write whose answer was lost had taken effect",
                &[
                    ("http_method", error.method.as_str().into()),
                    ("http_path", error.path.as_str().into()),
                    ("error", error.message.as_str().into()),
                ],
            );
            Ok(done)
        }
        Ok(None) => Err(error.note(not_done)),
        Err(lookup) => Err(error.note(format!(
            "it may have taken effect, and reading the VM afterwards failed too: {lookup}"
        ))),
    }
}

/// `POST /vm/stop` once, graceful or with `force=true`; checked on the VM when
/// the answer is lost.
async fn send_stop(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    force: bool,
) -> Result<(), ApiError> {
    let request =
        vm::operation(client, location, "stop", uuid).form_opt("force", force.then_some("true"));
    vm::checked_operation(client, location, uuid, request, Vm::is_stopped).await
}

/// Starts the VM (`POST /vm/start`). Idempotent: a running VM is left alone
/// (`PowerChange::Already`, nothing sent).
pub async fn start(
    client: &ApiClient,
    location: &str,
    uuid: &str,
) -> Result<PowerChange, ApiError> {
    if read(client, location, uuid).await?.is_running() {
        return Ok(PowerChange::Already);
    }
    let request = vm::operation(client, location, "start", uuid);
    vm::checked_operation(client, location, uuid, request, Vm::is_running).await?;
    Ok(PowerChange::Done)
}

/// Stops the VM (`POST /vm/stop`): gracefully (an ACPI shutdown the guest may
/// ignore: the API then answers an error, shown as it is) or, with `force`, by
/// pulling the plug. Idempotent: a stopped VM is left alone.
pub async fn stop(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    force: bool,
) -> Result<PowerChange, ApiError> {
    if read(client, location, uuid).await?.is_stopped() {
        return Ok(PowerChange::Already);
    }
    send_stop(client, location, uuid, force).await?;
    Ok(if force {
        PowerChange::Forced
    } else {
        PowerChange::Done
    })
}

/// How long a graceful stop may take under the current deadline when a forced
/// stop is to follow if it fails: the time left minus a reserve (a quarter of it,
/// between 10 s and 2 min) for the forced stop and what comes after it. Without a
/// deadline, 5 minutes.
pub fn graceful_window() -> Duration {
    let Ok(left) = DEADLINE.try_with(|d| d.saturating_duration_since(Instant::now())) else {
        return Duration::from_secs(300);
    };
    let reserve = (left / 4).clamp(Duration::from_secs(10), Duration::from_secs(120));
    left.saturating_sub(reserve)
}

/// Stops the VM gracefully, and with `force=true` when the guest does not shut
/// down within `window` (see `graceful_window`): the graceful stop failed (the
/// API's message is the reason) or was cut off at the window, and a fresh read
/// shows the VM still running. Idempotent: a stopped VM is left alone.
pub async fn stop_or_force(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    window: Duration,
) -> Result<PowerChange, ApiError> {
    if read(client, location, uuid).await?.is_stopped() {
        return Ok(PowerChange::Already);
    }
    let cutoff = Instant::now() + window;
    let cutoff = DEADLINE.try_with(|d| cutoff.min(*d)).unwrap_or(cutoff);
    let graceful = DEADLINE
        .scope(cutoff, send_stop(client, location, uuid, false))
        .await;
    let reason = match graceful {
        Ok(()) => return Ok(PowerChange::Done),
        Err(e) if e.is_not_found() || e.kind == ErrorKind::Unsupported => return Err(e),
        Err(_) if Instant::now() >= cutoff => {
            format!("the guest did not shut down within {}s", window.as_secs())
        }
        Err(e) => e.message,
    };
    if read(client, location, uuid).await?.is_stopped() {
        return Ok(PowerChange::Done);
    }
    logging::log(
        Level::Info,
        MODULE_API,
        "The VM did not stop gracefully: stopping it with force",
        &[("vm_uuid", uuid.into()), ("reason", reason.as_str().into())],
    );
    send_stop(client, location, uuid, true).await?;
    Ok(PowerChange::ForcedAfterGraceful { reason })
}

/// Restarts the VM: a stop (graceful, or with `force`) then a start; there is no
/// restart endpoint. A stopped VM is just started.
pub async fn restart(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    force: bool,
) -> Result<(), ApiError> {
    stop(client, location, uuid, force).await?;
    start(client, location, uuid).await?;
    Ok(())
}

/// Reinstalls the VM's operating system in place (`POST /vm/reinstall`): the boot
/// disk is overwritten with the base image (its content is lost); uuid, addresses,
/// network, attached disks, firewalls and load-balancer membership stay. `None`
/// sends nothing: the API then keeps the VM's current OS (and version). The VM is
/// running afterwards. A lost answer is checked: the VM shows the asked OS, and a
/// different OS or `updated_at` than before (a reinstall of the same OS within
/// the same second cannot be told apart: an error that says so).
pub async fn reinstall(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    os_name: Option<&str>,
    os_version: Option<&str>,
) -> Result<Vm, ApiError> {
    let before = read(client, location, uuid).await?;
    let request = vm::operation(client, location, "reinstall", uuid)
        .form_opt("os_name", os_name)
        .form_opt("os_version", os_version);
    checked_write(
        request.send::<Vm>(),
        async {
            Ok(vm::find(client, location, uuid).await?.filter(|vm| {
                let asked = os_name.is_none_or(|n| vm.os_name == n)
                    && os_version.is_none_or(|v| vm.os_version == v);
                let changed = vm.os_name != before.os_name
                    || vm.os_version != before.os_version
                    || vm.updated_at != before.updated_at;
                asked && changed
            }))
        },
        "it may have taken effect: a fresh read of the VM cannot tell (the same operating system as before, or not the one asked for); check the VM before reinstalling again",
    )
    .await
}

/// Restores the VM from one of its replicas (`POST /vm/rebuild`): a snapshot or an
/// automatic backup (`api::replica::list`/`find`). The disk gets the replica's
/// content and size back, the boot disk also its OS; the VM is left stopped (as the
/// API's example answer shows; start it after). A replica of another VM is
/// refused by the API (`NotFound`: "No such replica exists").
pub async fn rebuild(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    replica_uuid: &str,
) -> Result<Vm, ApiError> {
    let before = read(client, location, uuid).await?;
    let request =
        vm::operation(client, location, "rebuild", uuid).form("replica_uuid", replica_uuid);
    checked_write(
        request.send::<Vm>(),
        async {
            Ok(vm::find(client, location, uuid).await?.filter(|vm| {
                let changed = before.is_running()
                    || vm.updated_at != before.updated_at
                    || vm.os_name != before.os_name
                    || vm.os_version != before.os_version;
                vm.is_stopped() && changed
            }))
        },
        "it may have taken effect: a fresh read of the VM cannot tell; check the VM before restoring again",
    )
    .await
}

/// Boots a stopped VM once from a live or installation image
/// (`POST /vm/boot_iso_media`; IDCloudHost and 3nv.io): a published image
/// (`BootRepository::Platform`, `api::config` boot images) or a private disk with
/// `read_only_bootable`. The next start boots the disk again. A running VM is
/// refused by the API: stop it first. elastis.id lacks the endpoint
/// (`Unsupported`; it has `rescue_start`).
pub async fn boot_iso_media(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    image_uuid: &str,
    repository: BootRepository,
) -> Result<(), ApiError> {
    let request = vm::operation(client, location, "boot_iso_media", uuid)
        .form("boot_image_uuid", image_uuid)
        .form("boot_image_repository", repository.as_str());
    vm::checked_operation(client, location, uuid, request, Vm::is_running).await
}

/// Boots a stopped VM once from the platform's rescue image
/// (`POST /vm/rescue_start`; elastis.id only, the others have `boot_iso_media`:
/// `Unsupported` there). The next start boots the disk again.
pub async fn rescue_start(client: &ApiClient, location: &str, uuid: &str) -> Result<(), ApiError> {
    let request = vm::operation(client, location, "rescue_start", uuid);
    vm::checked_operation(client, location, uuid, request, Vm::is_running).await
}

/// Clones the VM (`POST /vm/clone`): a new running VM named `name` with the
/// source's size, OS, network and billing account, and a copy of its boot disk.
/// No public IPv4 is reserved for the clone (`vm::reserve_public_ip` does that).
/// Like a create, a lost answer is looked for (a new VM of that name) and adopted,
/// never sent again blindly.
pub async fn clone(
    client: &ApiClient,
    location: &str,
    source_uuid: &str,
    name: &str,
) -> Result<Vm, ApiError> {
    let request = vm::operation(client, location, "clone", source_uuid).form("name", name);
    create_listed(
        client,
        request,
        || vm::list(client, location),
        |v| v.name == name,
    )
    .await
}

/// First and longest pause between two reads of `wait_for_power`.
const POLL_FIRST: Duration = Duration::from_secs(1);
const POLL_MAX: Duration = Duration::from_secs(10);

/// Waits until the VM is in power state `want` (fresh reads, 1 s apart growing to
/// 10 s) and returns it; fails when the VM is gone, when the operation's deadline
/// passes first (the error says what state it was left in), or when Terraform is
/// interrupted. The API's writes are
/// synchronous, so this is for what the API does on its own (a guest shutting
/// itself down) and for confirming a write whose answer was lost.
pub async fn wait_for_power(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    want: Power,
) -> Result<Vm, ApiError> {
    let mut poll = POLL_FIRST;
    loop {
        let vm = read(client, location, uuid).await?;
        if want.of(&vm) {
            return Ok(vm);
        }
        let left = DEADLINE
            .try_with(|d| d.saturating_duration_since(Instant::now()))
            .unwrap_or(Duration::MAX);
        if left <= poll {
            return Err(ApiError::transport(
                "GET",
                &format!("/v1/{location}/user-resource/vm"),
                format!(
                    "VM {uuid} is still {} at the operation's deadline (waited for it to be {})",
                    vm.status,
                    want.as_str()
                ),
            ));
        }
        if client.cancel().sleep(poll).await == Waited::Cancelled {
            return Err(ApiError::transport(
                "GET",
                &format!("/v1/{location}/user-resource/vm"),
                format!(
                    "VM {uuid} is {} ({INTERRUPTED} for it to be {})",
                    vm.status,
                    want.as_str()
                ),
            ));
        }
        poll = (poll * 2).min(POLL_MAX);
    }
}
