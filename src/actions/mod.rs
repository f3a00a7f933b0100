//! Actions (Terraform 1.14+), one module each: day-2 operations on a VM that
//! change no managed state. An action implements `VmAction` (below); `OnVm`
//! makes it a `framework::ActionType`, whose adapter supplies validation, brand
//! rules, the `timeout` and progress. Shared here: the `vm_uuid` / `vm_name` /
//! `location` arguments, finding the VM, and the power steps several actions
//! take.

pub(crate) mod vm_boot_media;
pub(crate) mod vm_power;
pub(crate) mod vm_reinstall;
pub(crate) mod vm_restore_snapshot;
pub(crate) mod vm_take_snapshot;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use crate::api::models::vm::Vm;
use crate::api::vm as api;
use crate::api::vm_ops::{self, PowerChange};
use crate::api::Feature;
use crate::context::{ProviderData, Shared};
use crate::framework::action::elapsed;
use crate::framework::{
    ActionAdapter, ActionType, Attr, Dyn, DynamicAction, Obj, OpError, Progress, SchemaSpec, Ty,
    Validator,
};

fn entry<A: VmAction>(action: A, shared: &Shared) -> (String, Arc<dyn DynamicAction>) {
    (
        A::NAME.to_owned(),
        Arc::new(ActionAdapter::new(OnVm(action), shared.clone())),
    )
}

/// Every action type, keyed by its name without the provider prefix.
pub fn all(shared: &Shared) -> HashMap<String, Arc<dyn DynamicAction>> {
    HashMap::from([
        entry(vm_power::VmPower, shared),
        entry(vm_reinstall::VmReinstall, shared),
        entry(vm_restore_snapshot::VmRestoreSnapshot, shared),
        entry(vm_boot_media::VmBootMedia, shared),
        entry(vm_take_snapshot::VmTakeSnapshot, shared),
    ])
}

/// An action on one VM (every action here): what it adds to what all of them
/// share. `OnVm` supplies the shared part once: the `vm_uuid` / `vm_name` /
/// `location` arguments, the check that exactly one of `vm_uuid` and `vm_name`
/// is set, and finding the VM (at plan when its arguments are known, at invoke
/// always), so an action's own methods start from the VM.
#[async_trait]
pub trait VmAction: Send + Sync + 'static {
    /// `ActionType::NAME`.
    const NAME: &'static str;

    /// `ActionType::FEATURE`: the API feature the whole action needs, when
    /// some brands lack it.
    const FEATURE: Option<Feature> = None;

    /// `ActionType::DEFAULT_TIMEOUT`.
    const DEFAULT_TIMEOUT: Duration;

    /// The description and the action's own arguments; `OnVm` puts the VM's
    /// arguments first (and the adapter `timeout` last).
    fn schema(&self) -> SchemaSpec;

    /// Cross-attribute checks of the action's own arguments, without the API
    /// (after the VM choice's); values may be unknown.
    fn validate(&self, _config: &Obj) -> Vec<OpError> {
        Vec::new()
    }

    /// Read-only API checks of the action's own arguments, before the VM is
    /// looked up (the image is in the catalogue...).
    async fn check_args(&self, _ctx: &ProviderData, _config: &Obj) -> Result<(), OpError> {
        Ok(())
    }

    /// Read-only API checks against the VM, once it is found: at plan only when
    /// its arguments are known, and again at invoke.
    async fn check_on(
        &self,
        _ctx: &ProviderData,
        _target: &Target,
        _config: &Obj,
    ) -> Result<(), OpError> {
        Ok(())
    }

    /// Does the work on the VM (`ActionType::invoke`, the VM found again).
    async fn invoke(&self, run: &Invocation<'_>, config: &Obj) -> Result<(), OpError>;
}

/// A `VmAction` as the framework's `ActionType`, with the VM's arguments and
/// lookup added.
pub struct OnVm<A>(A);

#[async_trait]
impl<A: VmAction> ActionType for OnVm<A> {
    type Platform = ProviderData;
    const NAME: &'static str = A::NAME;
    const FEATURE: Option<Feature> = A::FEATURE;
    const DEFAULT_TIMEOUT: Duration = A::DEFAULT_TIMEOUT;

    fn schema(&self) -> SchemaSpec {
        let mut spec = self.0.schema();
        spec.attrs.splice(0..0, vm_attrs());
        spec
    }

    fn validate(&self, config: &Obj) -> Vec<OpError> {
        let mut errors = check_vm_choice(config);
        errors.extend(self.0.validate(config));
        errors
    }

    async fn check(&self, ctx: &ProviderData, config: &Obj) -> Result<(), OpError> {
        self.0.check_args(ctx, config).await?;
        match target(ctx, config).await? {
            Some(target) => self.0.check_on(ctx, &target, config).await,
            None => Ok(()),
        }
    }

    async fn invoke(
        &self,
        ctx: &ProviderData,
        config: &Obj,
        progress: &Progress,
    ) -> Result<(), OpError> {
        let run = Invocation {
            ctx,
            target: known_target(ctx, config).await?,
            progress,
        };
        self.0.invoke(&run, config).await
    }
}

pub const VM_UUID: &str = "vm_uuid";
pub const VM_NAME: &str = "vm_name";
pub const LOCATION: &str = "location";
pub const FORCE: &str = "force";

/// `vm_uuid` (or `vm_name`) and `location`: every action works on one VM.
fn vm_attrs() -> [Attr; 3] {
    [
        Attr::optional(VM_UUID, Ty::String)
            .desc("Uuid of the VM (e.g. `idcloudhost_vm.web.id`). A VM that does not exist in the location is a plan-time error. Set this or `vm_name`.")
            .validate(Validator::NotEmpty),
        Attr::optional(VM_NAME, Ty::String)
            .desc("Name of the VM, instead of `vm_uuid`; exactly one VM of the location must have it. For a VM's own `before_create`/`before_update` triggers, where referring to the VM's `id` would be a cycle: give the VM and the action the same name (e.g. from a `local`).")
            .validate(Validator::NotEmpty),
        Attr::optional(LOCATION, Ty::String)
            .desc("Location slug of the VM (e.g. `jkt01`); defaults to the provider's `location`, else the account's default location.")
            .validate(Validator::NotEmpty),
    ]
}

/// `force`: how a running VM is stopped.
pub fn force_attr(what: &str) -> Attr {
    Attr::optional(FORCE, Ty::Bool).desc(format!(
        "Default `false`: {what} the guest is asked to shut down (ACPI), and a guest that does not is an error. `true` pulls the plug (`force=true`): immediate, but unsaved data in the guest may be lost."
    ))
}

/// A string argument: `Some` when known and set.
pub fn text<'a>(config: &'a Obj, name: &str) -> Option<&'a str> {
    config.get(name).and_then(Dyn::as_str)
}

pub fn is_unknown(config: &Obj, name: &str) -> bool {
    config.get(name) == Some(&Dyn::Unknown)
}

fn is_set(config: &Obj, name: &str) -> bool {
    config.get(name).is_some_and(|v| !v.is_null())
}

/// Exactly one of `vm_uuid` and `vm_name`.
fn check_vm_choice(config: &Obj) -> Vec<OpError> {
    match (is_set(config, VM_UUID), is_set(config, VM_NAME)) {
        (true, false) | (false, true) => Vec::new(),
        (true, true) => vec![OpError::invalid(
            VM_NAME,
            "Set vm_uuid or vm_name, not both.",
        )],
        (false, false) => vec![OpError::invalid(
            VM_UUID,
            "The VM is not given: set vm_uuid (or vm_name).",
        )],
    }
}

pub fn flag(config: &Obj, name: &str) -> bool {
    config.get(name).and_then(Dyn::as_bool).unwrap_or(false)
}

/// The VM an action works on, and its location.
pub struct Target {
    pub location: String,
    pub vm: Vm,
}

impl Target {
    /// `VM "web" (uuid)`: how messages name it.
    pub fn label(&self) -> String {
        label(&self.vm)
    }
}

pub fn label(vm: &Vm) -> String {
    format!("VM {:?} ({})", vm.name, vm.uuid)
}

/// Finds the VM, or `None` while `vm_uuid` or `location` is unknown (at plan,
/// for a VM created in the same run). A wrong location or uuid is an error
/// naming the attribute.
async fn target(ctx: &ProviderData, config: &Obj) -> Result<Option<Target>, OpError> {
    if [VM_UUID, VM_NAME, LOCATION]
        .iter()
        .any(|name| is_unknown(config, name))
    {
        return Ok(None);
    }
    let location = ctx.resolve_location(text(config, LOCATION)).await?;
    if let Some(name) = text(config, VM_NAME) {
        let named: Vec<Vm> = api::list(&ctx.client, &location)
            .await?
            .into_iter()
            .filter(|vm| vm.name == name)
            .collect();
        return match <[Vm; 1]>::try_from(named) {
            Ok([vm]) => Ok(Some(Target { location, vm })),
            Err(named) if named.is_empty() => Err(OpError::invalid(
                VM_NAME,
                format!("There is no VM named {name:?} in location {location}."),
            )),
            Err(named) => Err(OpError::invalid(
                VM_NAME,
                format!(
                    "{} VMs of location {location} are named {name:?} ({}): set vm_uuid to say which.",
                    named.len(),
                    named.iter().map(|vm| vm.uuid.as_str()).collect::<Vec<_>>().join(", ")
                ),
            )),
        };
    }
    let uuid = text(config, VM_UUID).unwrap_or_default();
    match api::find(&ctx.client, &location, uuid).await? {
        Some(vm) => Ok(Some(Target { location, vm })),
        None => Err(OpError::invalid(
            VM_UUID,
            format!("There is no VM {uuid:?} in location {location}."),
        )),
    }
}

/// The VM at invoke, when every argument is known.
async fn known_target(ctx: &ProviderData, config: &Obj) -> Result<Target, OpError> {
    target(ctx, config)
        .await?
        .ok_or_else(|| OpError::new("The VM is not known yet"))
}

/// One invocation of an action on its VM: the provider's context, the VM and
/// where the progress goes. The steps actions share are its methods, so each
/// step takes the one value instead of the three.
pub struct Invocation<'a> {
    pub ctx: &'a ProviderData,
    pub target: Target,
    pub progress: &'a Progress,
}

impl Invocation<'_> {
    /// Waits for `work`, an API call on the VM, while the progress says what it
    /// is `doing` ("Restoring VM ..."); a failure is an error in that context.
    /// What the call returned, and how long it took.
    pub async fn call<T, E: Into<OpError>>(
        &self,
        doing: &str,
        work: impl Future<Output = Result<T, E>>,
    ) -> Result<(T, Duration), OpError> {
        let mut waiting = doing.to_owned();
        if let Some(first) = waiting.get_mut(..1) {
            first.make_ascii_lowercase();
        }
        self.progress
            .wait(&waiting, async {
                work.await.map_err(|e| e.into().context(doing))
            })
            .await
    }

    /// Says that it starts `doing` ("Starting VM ..."), then waits for `work` as
    /// `call` does: the steps whose announcement and wait have the same words.
    pub async fn step<T, E: Into<OpError>>(
        &self,
        doing: &str,
        work: impl Future<Output = Result<T, E>>,
    ) -> Result<(T, Duration), OpError> {
        self.progress.say(doing);
        self.call(doing, work).await
    }

    /// The VM as it is now (fresh from the API, not the list read before a write).
    pub async fn reread(&self) -> Result<Vm, OpError> {
        let target = &self.target;
        Ok(vm_ops::read(&self.ctx.client, &target.location, &target.vm.uuid).await?)
    }

    /// Stops the VM, gracefully or with `force`, saying what it does and how long
    /// it took. A guest that ignores the shutdown signal fails with the API's
    /// message and what to do about it.
    pub async fn stop(&self, force: bool) -> Result<(), OpError> {
        let target = &self.target;
        let label = target.label();
        let how = if force {
            "forcibly (force = true: pulling the plug)"
        } else {
            "gracefully (ACPI shutdown)"
        };
        self.progress.say(format!("Stopping {label} {how}"));
        let stopping = async {
            vm_ops::stop(&self.ctx.client, &target.location, &target.vm.uuid, force)
                .await
                .map_err(|e| {
                    let e = OpError::from(e);
                    if force {
                        e
                    } else {
                        let detail = format!(
                            "{} If the guest does not respond to the shutdown signal, set force = true to pull the plug.",
                            e.detail
                        );
                        e.detail(detail.trim_start().to_owned())
                    }
                })
        };
        let (change, took) = self.call(&format!("Stopping {label}"), stopping).await?;
        self.progress.say(match change {
            PowerChange::Already => format!("{label} was already stopped"),
            _ => format!("{label} stopped in {}", elapsed(took)),
        });
        Ok(())
    }

    /// Starts the VM, saying what it does and how long it took.
    pub async fn start(&self) -> Result<(), OpError> {
        let target = &self.target;
        let label = target.label();
        let starting = vm_ops::start(&self.ctx.client, &target.location, &target.vm.uuid);
        let (change, took) = self.step(&format!("Starting {label}"), starting).await?;
        self.progress.say(match change {
            PowerChange::Already => format!("{label} was already running"),
            _ => format!("{label} started in {}", elapsed(took)),
        });
        Ok(())
    }
}
