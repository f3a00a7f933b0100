//! The plan logic every managed resource shares, written once (as the plugin
//! framework does with plan modifiers). A resource implements `ResourceType`: its
//! schema, its API mapping and its real special cases; `Managed<R>` turns that into
//! a `DynamicResource`, which the protocol server (`crate::protocol`) calls.

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::cost::{self, Meter};
use super::error::{Diagnostics, OpError};
use super::identity::{Identity, IdentitySpec};
use super::schema::{Attr, Mode, Nesting, OnChange, SchemaSpec, Ty, WRITE_ONLY_TERRAFORM};
use super::validate::parse_duration;
use super::value::{Dyn, Obj};
use super::warnings::collecting;
use crate::api::cancel::{Waited, INTERRUPTED};
use crate::api::client::{fresh_lists, DEADLINE, DEADLINE_GRACE};
use crate::api::{Feature, Generation};
use crate::context::{ProviderData, Shared};
use crate::logging::{self, Level, MODULE_RPC};

type CreatedSlot = Arc<std::sync::Mutex<Option<Obj>>>;

tokio::task_local! {
    /// The state of the object a create made, once it exists (see `track_created`).
    static CREATED: CreatedSlot;
}

/// Records, inside a resource's `create`, that the object exists, with the state
/// known so far. Whatever fails afterwards, including the backstop deadline that
/// abandons the operation, Terraform keeps tracking it (an error's own
/// `with_state` takes precedence). Outside a create it does nothing.
pub fn track_created(state: &Obj) {
    let _ = CREATED.try_with(|slot| *slot.lock().expect("created slot") = Some(state.clone()));
}

/// Attribute names with provider-wide plan rules.
pub const LOCATION: &str = "location";
pub const BILLING_ACCOUNT: &str = "billing_account_id";

/// Default deadlines when the `timeouts` block leaves one unset.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20 * 60);

/// How often a blocked delete looks again at what blocks it: the first look
/// after `BLOCKED_POLL_FIRST`, then twice as late each time, up to `BLOCKED_POLL_MAX`.
const BLOCKED_POLL_FIRST: Duration = Duration::from_millis(500);
const BLOCKED_POLL_MAX: Duration = Duration::from_secs(10);

/// What the Terraform calling the provider can do, as it says in
/// `ValidateResourceConfig`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientCapabilities {
    /// Terraform 1.11+: it sends write-only values at apply and never stores them.
    /// An older one would store them like any other attribute.
    pub write_only_attributes: bool,
}

/// A plan being computed: the generic rules have run; `modify_plan` may refine it.
pub struct Plan {
    /// Prior state; `None` when the resource is being created.
    pub prior: Option<Obj>,
    pub config: Obj,
    pub planned: Obj,
    /// Attributes whose change forces replacement.
    pub replace: BTreeSet<String>,
}

impl Plan {
    pub fn is_create(&self) -> bool {
        self.prior.is_none()
    }

    pub fn config(&self, name: &str) -> &Dyn {
        static NULL: Dyn = Dyn::Null;
        self.config.get(name).unwrap_or(&NULL)
    }

    pub fn planned(&self, name: &str) -> &Dyn {
        static NULL: Dyn = Dyn::Null;
        self.planned.get(name).unwrap_or(&NULL)
    }

    pub fn prior(&self, name: &str) -> &Dyn {
        static NULL: Dyn = Dyn::Null;
        self.prior
            .as_ref()
            .and_then(|p| p.get(name))
            .unwrap_or(&NULL)
    }

    /// True when the planned value differs from the prior state (always on create).
    pub fn changes(&self, name: &str) -> bool {
        self.prior.is_none() || self.prior(name) != self.planned(name)
    }

    pub fn set(&mut self, name: &str, value: impl Into<Dyn>) {
        self.planned.insert(name.to_owned(), value.into());
    }

    pub fn set_unknown(&mut self, name: &str) {
        self.set(name, Dyn::Unknown);
    }

    pub fn require_replace(&mut self, name: &str) {
        if self.prior.is_some() {
            self.replace.insert(name.to_owned());
        }
    }
}

#[async_trait]
pub trait ResourceType: Send + Sync + 'static {
    /// Type name without the provider prefix (`vm` for `idcloudhost_vm`).
    const NAME: &'static str;

    /// The API feature the whole resource needs, when some brands lack it: planning
    /// it there fails before any request.
    const FEATURE: Option<Feature> = None;

    /// The state attributes that identify the remote object (resource identity,
    /// Terraform 1.12+): the pieces of the import ID, in order, and whether
    /// `location` completes them. `id`, plus `location` when the schema has one,
    /// unless a resource says otherwise.
    const IDENTITY: Identity = Identity::ID;
    /// The state as a struct (see `framework::typed`): one field per attribute and
    /// block of the schema.
    type State: Serialize + DeserializeOwned + Send + Sync + 'static;

    fn schema(&self) -> SchemaSpec;

    /// Cross-attribute checks on the configuration; values may still be unknown.
    fn validate(&self, _config: &Obj) -> Vec<OpError> {
        Vec::new()
    }

    /// Special cases after the generic plan rules (which already applied defaults,
    /// marked computed values unknown, and collected replacement triggers).
    async fn modify_plan(&self, _ctx: &ProviderData, _plan: &mut Plan) -> Result<(), OpError> {
        Ok(())
    }

    async fn create(&self, ctx: &ProviderData, planned: &Obj) -> Result<Obj, OpError>;

    /// The current state, or `None` when the object is gone. Gone means gone: an
    /// auth failure, unknown location or server error is an `Err`.
    async fn read(&self, ctx: &ProviderData, state: &Obj) -> Result<Option<Obj>, OpError>;

    /// Applies an in-place change. A change of only the timeouts never gets here
    /// (the adapter records it), so a resource whose every argument forces
    /// replacement keeps this default.
    async fn update(
        &self,
        _ctx: &ProviderData,
        prior: &Obj,
        _planned: &Obj,
    ) -> Result<Obj, OpError> {
        Ok(prior.clone())
    }

    async fn delete(&self, ctx: &ProviderData, state: &Obj) -> Result<(), OpError>;

    /// What keeps the API from deleting the object now (VMs still in a network, the
    /// VM a disk is attached to), as the error that names it; `None` when nothing
    /// does or the object is gone. Destroy waits while something does: it may be
    /// going away in the same run (see `Managed::delete_when_unblocked`).
    async fn blocked_by(
        &self,
        _ctx: &ProviderData,
        _state: &Obj,
    ) -> Result<Option<OpError>, OpError> {
        Ok(None)
    }

    /// Builds enough state from an import ID for `read` to fill in the rest.
    async fn import(&self, ctx: &ProviderData, id: &str) -> Result<Obj, OpError>;

    /// What the object is billed by, from its planned or stored `values` (`prior`:
    /// the stored values during a plan of an update): resources with the cost
    /// attributes (`cost::attrs`) return `Some`, and the adapter keeps their
    /// estimates (see `framework::cost`).
    async fn meter(
        &self,
        _ctx: &ProviderData,
        _values: &Obj,
        _prior: Option<&Obj>,
    ) -> Result<Option<Meter>, OpError> {
        Ok(None)
    }
}

pub struct Managed<R: ResourceType> {
    resource: Arc<R>,
    shared: Shared,
    spec: SchemaSpec,
    identity: IdentitySpec,
}

impl<R: ResourceType> Managed<R> {
    fn incoming(&self, value: Dyn) -> Obj {
        numbers_typed(&self.spec, value)
    }

    pub fn new(resource: R, shared: Shared) -> Self {
        let spec = resource.schema();
        let identity = R::IDENTITY.resolve(&format!("idcloudhost_{}", R::NAME), &spec);
        Managed {
            resource: Arc::new(resource),
            shared,
            spec,
            identity,
        }
    }
}

/// A value Terraform sent, as an object whose number attributes are numbers:
/// msgpack carries a number that is not exactly a float64 (a fraction such as an
/// estimate, `0.0105`) as its decimal string.
fn numbers_typed(spec: &SchemaSpec, value: Dyn) -> Obj {
    let mut obj = as_obj(value);
    for attr in spec.attrs.iter().filter(|a| a.ty == Ty::Number) {
        if let Some(value) = obj.get_mut(attr.name) {
            if let Dyn::String(text) = value {
                if let Ok(n) = text.trim().parse::<f64>() {
                    *value = Dyn::Number(n);
                }
            }
        }
    }
    obj
}

fn as_obj(value: Dyn) -> Obj {
    match value {
        Dyn::Object(obj) => obj,
        _ => Obj::new(),
    }
}

/// Private state of an imported object: its not-read-back values are unknown (null),
/// so setting them records them instead of forcing replacement. A successful
/// update, which applies the configured values, clears it.
fn imported_marker() -> Dyn {
    Dyn::Object(crate::obj! { "imported" => true })
}

fn is_imported(private: &Dyn) -> bool {
    private.get("imported") == &Dyn::Bool(true)
}

pub(crate) fn report(diags: &mut Diagnostics, error: &OpError) {
    diags.error(error);
}

pub(crate) fn report_warnings(diags: &mut Diagnostics, warnings: &[OpError]) {
    for warning in warnings {
        diags.warning(warning);
    }
}

/// Awaits `work` and reports the warnings it raised (see `warnings::warn`).
pub(crate) async fn with_warnings<F: Future>(diags: &mut Diagnostics, work: F) -> F::Output {
    let (output, warnings) = collecting(work).await;
    report_warnings(diags, &warnings);
    output
}

/// Equality that ignores order where the schema says a collection is a set.
pub fn same_value(ty: &Ty, a: &Dyn, b: &Dyn) -> bool {
    match (ty, a, b) {
        (Ty::Set(inner), Dyn::List(x), Dyn::List(y)) => {
            same_unordered(x, y, |p, q| same_value(inner, p, q))
        }
        (Ty::List(inner), Dyn::List(x), Dyn::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(inner, p, q))
        }
        (Ty::Object(fields), Dyn::Object(_), Dyn::Object(_)) => fields
            .iter()
            .all(|(name, t)| same_value(t, a.get(name), b.get(name))),
        (Ty::Map(inner), Dyn::Object(x), Dyn::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_value(inner, v, w)))
        }
        _ => a == b,
    }
}

fn same_unordered(x: &[Dyn], y: &[Dyn], eq: impl Fn(&Dyn, &Dyn) -> bool) -> bool {
    if x.len() != y.len() {
        return false;
    }
    let mut used = vec![false; y.len()];
    x.iter()
        .all(|p| match (0..y.len()).find(|&i| !used[i] && eq(p, &y[i])) {
            Some(i) => {
                used[i] = true;
                true
            }
            None => false,
        })
}

impl<R: ResourceType> Managed<R> {
    fn ctx(&self, diags: &mut Diagnostics) -> Option<Arc<ProviderData>> {
        match self.shared.get() {
            Ok(ctx) => Some(ctx),
            Err(e) => {
                report(diags, &e);
                None
            }
        }
    }

    /// Runs every attribute validator on the known values of `config`.
    fn check_attributes(&self, config: &Obj) -> Vec<OpError> {
        let mut errors = Vec::new();
        let check = |attr: &Attr, value: &Dyn, path: String, errors: &mut Vec<OpError>| {
            for validator in &attr.validators {
                if let Err(message) = validator.check(value) {
                    errors.push(OpError::invalid(&path, message));
                }
            }
        };
        for attr in &self.spec.attrs {
            if let Some(value) = config.get(attr.name) {
                check(attr, value, attr.name.to_owned(), &mut errors);
            }
        }
        for block in &self.spec.blocks {
            let items = config.get(block.name).map(Dyn::as_list).unwrap_or(&[]);
            for (index, item) in items.iter().enumerate() {
                for attr in &block.attrs {
                    // Terraform orders set elements its own way, so an index into a
                    // set block would point at the wrong block: name the attribute.
                    let path = match block.nesting {
                        Nesting::Set => format!("{}.{}", block.name, attr.name),
                        _ => format!("{}.{}.{}", block.name, index, attr.name),
                    };
                    check(attr, item.get(attr.name), path, &mut errors);
                }
            }
        }
        errors
    }

    /// The rules of write-only attributes: not with the stored attribute they
    /// replace, a version only with its value, and only on a Terraform that never
    /// stores them.
    fn check_write_only(&self, config: &Obj, client: ClientCapabilities) -> Vec<OpError> {
        let set = |name: &str| config.get(name).is_some_and(|v| !v.is_null());
        let mut errors = Vec::new();
        for attr in &self.spec.attrs {
            let Some(write_only) = attr.write_only else {
                continue;
            };
            let name = attr.name;
            if !set(name) {
                if set(write_only.version) {
                    let version = write_only.version;
                    errors.push(
                        OpError::new(format!("{version} is set without {name}"))
                            .detail(format!("{version} only says when to send {name}, which is not set: set {name} too, or remove {version}."))
                            .at(version),
                    );
                }
                continue;
            }
            if !client.write_only_attributes {
                let instead = write_only
                    .instead_of
                    .map(|stored| format!(" or use {stored} instead (it is stored in the state)"))
                    .unwrap_or_default();
                errors.push(
                    OpError::new(format!("{name} needs Terraform {WRITE_ONLY_TERRAFORM} or later"))
                        .detail(format!("{name} is write-only: Terraform {WRITE_ONLY_TERRAFORM} or later sends it without storing it. This Terraform does not support write-only attributes and would store its value in the plan and state. Upgrade Terraform{instead}."))
                        .at(name),
                );
            }
            if let Some(stored) = write_only.instead_of.filter(|stored| set(stored)) {
                errors.push(
                    OpError::new(format!("{stored} and {name} conflict"))
                        .detail(format!("Set only one of them: {name} (never stored) on Terraform {WRITE_ONLY_TERRAFORM} or later, {stored} (stored in the state) otherwise."))
                        .at(name),
                );
            }
        }
        errors
    }

    /// What the resource's create or update is given: the planned state plus the
    /// configured write-only values it must send (on create all of them, on update
    /// those whose version changed).
    fn with_write_only(&self, mut planned: Obj, config: &Obj, prior: Option<&Obj>) -> Obj {
        for attr in &self.spec.attrs {
            let Some(write_only) = attr.write_only else {
                continue;
            };
            let send = prior.is_none_or(|prior| {
                prior.get(write_only.version).unwrap_or(&Dyn::Null)
                    != planned.get(write_only.version).unwrap_or(&Dyn::Null)
            });
            let value = config.get(attr.name).cloned().unwrap_or_default();
            planned.insert(attr.name.to_owned(), if send { value } else { Dyn::Null });
        }
        planned
    }

    fn timeout(&self, state: &Obj, operation: &str) -> Duration {
        state
            .get("timeouts")
            .and_then(|t| t.as_list().first())
            .and_then(|t| t.get(operation).as_str())
            .and_then(|text| parse_duration(text).ok())
            .unwrap_or(DEFAULT_TIMEOUT)
    }

    async fn with_deadline<T>(
        &self,
        operation: &str,
        limit: Duration,
        work: impl Future<Output = Result<T, OpError>>,
    ) -> Result<T, OpError> {
        let deadline = Instant::now() + limit;
        // The client cuts requests off at the deadline (a cut-off create is then
        // looked for, not lost); this outer limit is only a backstop.
        let backstop = limit + DEADLINE_GRACE * 2;
        let timed_out = || {
            OpError::new(format!(
                "{} {operation} timed out after {:?}",
                R::NAME,
                limit
            ))
            .detail("Raise the deadline in the resource's timeouts block if the API is slow.")
        };
        match tokio::time::timeout(backstop, DEADLINE.scope(deadline, work)).await {
            Ok(Err(e)) if Instant::now() >= deadline && !e.deadline_explained => {
                let partial = e.partial_state.clone();
                let mut error = timed_out().detail(format!(
                    "Raise the deadline in the resource's timeouts block if the API is slow. The last error: {}",
                    e.summary
                ));
                error.partial_state = partial;
                Err(error)
            }
            Ok(result) => result,
            Err(_) => Err(timed_out()),
        }
    }

    /// Deletes once nothing the API counts as a dependent holds the object. In a
    /// stack without references between resources (adopted with
    /// `-generate-config-out`, or written with literal ids) Terraform deletes
    /// everything at once, so a network's VMs or a disk's VM may be going away
    /// right now: look again, in lists read fresh, until they are gone, then
    /// delete; at the deadline (`timeouts.delete`) fail naming what still blocks.
    async fn delete_when_unblocked(
        &self,
        ctx: &ProviderData,
        state: &Obj,
        limit: Duration,
    ) -> Result<(), OpError> {
        let mut poll = BLOCKED_POLL_FIRST;
        loop {
            let blocked = match fresh_lists(self.resource.blocked_by(ctx, state)).await? {
                Some(blocked) => blocked,
                None => match self.resource.delete(ctx, state).await {
                    Ok(()) => return Ok(()),
                    // Refused: by a dependent that appeared since the look?
                    Err(refused) => match fresh_lists(self.resource.blocked_by(ctx, state)).await {
                        Ok(Some(blocked)) => blocked,
                        _ => return Err(refused),
                    },
                },
            };
            let left = DEADLINE
                .try_with(|deadline| deadline.saturating_duration_since(Instant::now()))
                .unwrap_or(limit);
            if left.is_zero() {
                let mut error = blocked;
                error.detail = format!(
                    "{} Destroy waited {limit:?} (the delete timeout) for it to go away.",
                    error.detail
                )
                .trim_start()
                .to_owned();
                error.deadline_explained = true;
                return Err(error);
            }
            logging::log(
                Level::Info,
                MODULE_RPC,
                "Delete blocked by a dependent: waiting for it to go away",
                &[
                    (
                        "tf_resource_type",
                        format!("idcloudhost_{}", R::NAME).into(),
                    ),
                    ("blocked_by", blocked.summary.as_str().into()),
                    ("wait_ms", (poll.min(left).as_millis() as u64).into()),
                ],
            );
            if ctx.client.cancel().sleep(poll.min(left)).await == Waited::Cancelled {
                let mut error = blocked;
                error.detail = format!("{} {INTERRUPTED}; nothing was deleted.", error.detail)
                    .trim_start()
                    .to_owned();
                error.deadline_explained = true;
                return Err(error);
            }
            poll = (poll * 2).min(BLOCKED_POLL_MAX);
        }
    }

    /// `ResourceType::read`, after finding the object when the state has no
    /// location (one taken over from a provider that stored none, see
    /// `crate::migrate`): in the provider's location first, then in every other.
    async fn read_located(&self, ctx: &ProviderData, prior: &Obj) -> Result<Option<Obj>, OpError> {
        let unlocated = self.spec.attr_spec(LOCATION).is_some()
            && prior.get(LOCATION).is_none_or(Dyn::is_null)
            && prior.get("id").is_some_and(|id| !id.is_null());
        if !unlocated {
            return self.resource.read(ctx, prior).await;
        }
        let first = ctx.resolve_location(None).await?;
        let others = ctx.locations().await?.into_iter().map(|l| l.slug);
        let mut slugs = vec![first.clone()];
        slugs.extend(others.filter(|slug| *slug != first));
        for slug in slugs {
            let mut located = prior.clone();
            located.insert(LOCATION.to_owned(), Dyn::str(slug));
            if let Some(current) = self.resource.read(ctx, &located).await? {
                return Ok(Some(current));
            }
        }
        Ok(None)
    }

    /// Keeps what the API cannot report from the prior state: meta blocks (timeouts)
    /// and values it never returns.
    fn carry_over(&self, prior: &Obj, mut new: Obj) -> Obj {
        for block in self.spec.blocks.iter().filter(|b| b.meta) {
            if let Some(v) = prior.get(block.name) {
                new.insert(block.name.to_owned(), v.clone());
            }
        }
        for attr in self.spec.attrs.iter().filter(|a| a.not_read_back) {
            let missing = new.get(attr.name).is_none_or(Dyn::is_null);
            if let (true, Some(v)) = (missing, prior.get(attr.name)) {
                new.insert(attr.name.to_owned(), v.clone());
            }
        }
        self.spec.normalize(new)
    }

    /// `state` after an update, with the planned create-only values: an update
    /// never sends them, it only records them (see `keep_create_only`).
    fn recorded(&self, planned: &Obj, mut state: Obj) -> Obj {
        for attr in self.spec.attrs.iter().filter(|a| a.is_create_only()) {
            let value = planned.get(attr.name).cloned().unwrap_or_default();
            state.insert(attr.name.to_owned(), value);
        }
        state
    }

    /// The state an import records from what `ResourceType::import` built.
    fn imported(&self, mut state: Obj) -> Obj {
        // Values the API never reports start at their defaults, so a config
        // that relies on the defaults plans no change after import. Null counts
        // as unset (a typed state writes every field).
        for attr in self.spec.attrs.iter().filter(|a| a.not_read_back) {
            if let Some(default) = &attr.default {
                let value = state.entry(attr.name.to_owned()).or_default();
                if value.is_null() {
                    *value = default.clone();
                }
            }
        }
        self.spec.normalize(state)
    }

    /// The state `terraform import` of `id` leaves after the refresh that follows
    /// it (`None` when the object is gone): what a list resource returns for each
    /// object, so the configuration generated from it plans no change.
    pub async fn import_and_read(
        &self,
        ctx: &ProviderData,
        id: &str,
    ) -> Result<Option<Obj>, OpError> {
        let imported = self.imported(self.resource.import(ctx, id).await?);
        match self.resource.read(ctx, &imported).await? {
            Some(current) => {
                let current = self.carry_over(&imported, current);
                self.state_costs(ctx, current, None).await.map(Some)
            }
            None => Ok(None),
        }
    }

    /// What the selected brand's API lacks: the resource itself (`FEATURE`) or what
    /// a configured attribute does (`Attr::only_on`).
    fn check_brand(&self, generation: Generation, config: &Obj) -> Result<(), OpError> {
        if let Some(feature) = R::FEATURE.filter(|f| !generation.supports(*f)) {
            return Err(OpError::new(format!(
                "idcloudhost_{} is not available on {}",
                R::NAME,
                generation.brand()
            ))
            .detail(feature.unavailable(generation)));
        }
        for attr in &self.spec.attrs {
            if let Some(rule) = &attr.only_on {
                let value = config.get(attr.name).unwrap_or(&Dyn::Null);
                rule.check(attr.name, value, generation)?;
            }
        }
        Ok(())
    }

    /// True when nothing but meta blocks (timeouts) differs between two states.
    fn only_meta_changes(&self, prior: &Obj, planned: &Obj) -> bool {
        let same = |name: &str, ty: &Ty| {
            same_value(
                ty,
                prior.get(name).unwrap_or(&Dyn::Null),
                planned.get(name).unwrap_or(&Dyn::Null),
            )
        };
        self.spec
            .attrs
            .iter()
            .filter(|a| !a.is_create_only())
            .all(|a| same(a.name, &a.ty))
            && self.spec.blocks.iter().filter(|b| !b.meta).all(|b| {
                let ty = match b.nesting {
                    Nesting::Set => Ty::set(b.item_ty()),
                    _ => Ty::list(b.item_ty()),
                };
                same(b.name, &ty)
            })
    }

    /// The generic plan rules; see the module documentation of `schema.rs`.
    async fn plan(
        &self,
        ctx: &ProviderData,
        prior: Option<Obj>,
        proposed: Obj,
        config: Obj,
        imported: bool,
    ) -> Result<Plan, OpError> {
        self.check_brand(ctx.client.generation(), &config)?;
        let mut plan = Plan {
            prior,
            config,
            planned: proposed,
            replace: BTreeSet::new(),
        };
        // Never planned: Terraform keeps write-only values out of plans and state.
        for attr in self.spec.attrs.iter().filter(|a| a.write_only.is_some()) {
            plan.set(attr.name, Dyn::Null);
        }
        for attr in &self.spec.attrs {
            let configured = plan.config(attr.name).clone();
            if !configured.is_null() {
                continue;
            }
            if let Some(default) = &attr.default {
                plan.set(attr.name, default.clone());
            } else if attr.is_computed() && plan.is_create() {
                plan.set_unknown(attr.name);
            }
        }
        if let Some(prior) = plan.prior.clone() {
            self.keep_create_only(&mut plan, &prior);
            let changed: Vec<String> = self
                .spec
                .attrs
                .iter()
                .filter(|a| a.is_configurable())
                .filter(|a| {
                    !same_value(
                        &a.ty,
                        prior.get(a.name).unwrap_or(&Dyn::Null),
                        plan.planned(a.name),
                    )
                })
                .map(|a| a.name.to_owned())
                .chain(
                    self.spec
                        .blocks
                        .iter()
                        .filter(|b| !b.meta)
                        .filter(|b| {
                            let ty = match b.nesting {
                                Nesting::Set => Ty::set(b.item_ty()),
                                _ => Ty::list(b.item_ty()),
                            };
                            !same_value(
                                &ty,
                                prior.get(b.name).unwrap_or(&Dyn::Null),
                                plan.planned(b.name),
                            )
                        })
                        .map(|b| b.name.to_owned()),
                )
                .collect();
            for name in &changed {
                let forces = self
                    .spec
                    .attr_spec(name)
                    .map(|a| a.on_change == OnChange::Replace)
                    .or_else(|| {
                        self.spec
                            .blocks
                            .iter()
                            .find(|b| b.name == name)
                            .map(|b| b.on_change == OnChange::Replace)
                    })
                    .unwrap_or(false);
                // A value never read back (null after import) only gets recorded.
                let imported_unset = imported
                    && prior.get(name).is_none_or(Dyn::is_null)
                    && self.spec.attr_spec(name).is_some_and(|a| a.not_read_back);
                if forces && !imported_unset {
                    plan.require_replace(name);
                }
            }
            // Recording a create-only value changes nothing on the object.
            let changes_object = changed.iter().any(|name| {
                self.spec
                    .attr_spec(name)
                    .is_none_or(|a| !a.is_create_only())
            });
            if changes_object {
                for attr in &self.spec.attrs {
                    if attr.mode == Mode::Computed && !attr.stable {
                        plan.set_unknown(attr.name);
                    }
                }
            }
        }
        // Each may need one API list the first time this process asks: together.
        let (location, billing_account) = tokio::join!(
            self.plan_location(ctx, &plan),
            self.plan_billing_account(ctx, &plan)
        );
        if let Some(slug) = location? {
            if plan.prior(LOCATION).as_str() != Some(slug.as_str()) {
                plan.require_replace(LOCATION);
            }
            plan.set(LOCATION, slug);
        }
        if let Some(id) = billing_account? {
            plan.set(BILLING_ACCOUNT, id);
        }
        self.resource.modify_plan(ctx, &mut plan).await?;
        self.plan_costs(ctx, &mut plan).await?;
        Ok(plan)
    }

    /// Create-only attributes (`Attr::create_only`) after creation: a new value,
    /// known or not, keeps the prior one and says so in a warning, so a source
    /// deleted and created again never replaces what was built from it. A value
    /// set where there was none (after an import) or removed is only recorded.
    fn keep_create_only(&self, plan: &mut Plan, prior: &Obj) {
        for attr in self.spec.attrs.iter().filter(|a| a.is_create_only()) {
            let before = prior.get(attr.name).unwrap_or(&Dyn::Null);
            let planned = plan.planned(attr.name);
            if before.is_null() || planned.is_null() || same_value(&attr.ty, before, planned) {
                continue;
            }
            let shown = |value: &Dyn| match value {
                Dyn::Unknown => "(known after apply)".to_owned(),
                Dyn::String(text) => format!("{text:?}"),
                Dyn::Number(n) => n.to_string(),
                Dyn::Bool(b) => b.to_string(),
                _ => "a list".to_owned(),
            };
            let kind = R::NAME;
            let what = if attr.sensitive {
                format!("The configuration now gives a value other than the one this idcloudhost_{kind} was created with (not shown: it is sensitive).")
            } else {
                format!(
                    "The configuration now gives {}; this idcloudhost_{kind} was created with {}.",
                    shown(planned),
                    shown(before)
                )
            };
            super::warnings::warn(
                OpError::new(format!(
                    "{} changed, but it is only used when the {kind} is created",
                    attr.name
                ))
                .detail(format!(
                    "{what} The {kind} is kept as it is, not replaced, and the plan keeps the value it was created with: this happens, for example, when the snapshot or image it was built from is deleted and created again. To rebuild it from the new value, replace it explicitly: terraform apply -replace=ADDRESS. To keep the old value without this warning, add {name} to the resource's lifecycle ignore_changes.",
                    name = attr.name
                ))
                .at(attr.name),
            );
            plan.set(attr.name, before.clone());
        }
    }

    /// The cost estimates of a plan (`framework::cost`).
    async fn plan_costs(&self, ctx: &ProviderData, plan: &mut Plan) -> Result<(), OpError> {
        let prior = plan.prior.as_ref();
        let Some(planned_meter) = self.resource.meter(ctx, &plan.planned, prior).await? else {
            return Ok(());
        };
        let prior_meter = match prior {
            Some(prior) => self.resource.meter(ctx, prior, None).await?,
            None => None,
        };
        let what = format!("idcloudhost_{}", R::NAME);
        cost::plan(
            ctx,
            &what,
            &mut plan.planned,
            plan.prior.as_ref(),
            &planned_meter,
            prior_meter.as_ref(),
        )
        .await;
        Ok(())
    }

    /// The cost estimates of a state just read (`planned: None`) or written.
    async fn state_costs(
        &self,
        ctx: &ProviderData,
        mut state: Obj,
        planned: Option<&Obj>,
    ) -> Result<Obj, OpError> {
        if let Some(meter) = self.resource.meter(ctx, &state, None).await? {
            let what = format!("idcloudhost_{}", R::NAME);
            cost::state(ctx, &what, &mut state, &meter, planned).await;
        }
        Ok(state)
    }

    /// `location`: the resource's own, else the provider's, else the account default;
    /// validated against the API's locations so a typo fails at plan time. A changed
    /// provider default moves (replaces) resources that rely on it. The slug to plan,
    /// if any.
    async fn plan_location(
        &self,
        ctx: &ProviderData,
        plan: &Plan,
    ) -> Result<Option<String>, OpError> {
        if self.spec.attr_spec(LOCATION).is_none() {
            return Ok(None);
        }
        let wanted = match plan.config(LOCATION) {
            Dyn::Unknown => return Ok(None),
            Dyn::String(slug) => Some(slug.clone()),
            _ if !plan.is_create() && ctx.default_location.is_none() => return Ok(None),
            _ => None,
        };
        if !plan.is_create()
            && wanted.is_some()
            && plan.prior(LOCATION).as_str() == wanted.as_deref()
        {
            return Ok(None);
        }
        Ok(Some(ctx.resolve_location(wanted.as_deref()).await?))
    }

    /// `billing_account_id`: the resource's own, else the provider's, else the
    /// account's default billing account (known at plan time, on every plan). A
    /// configured id, the resource's or the provider's, that is not one of the
    /// account's billing accounts fails the plan when it would be applied.
    /// The id to plan, if any.
    async fn plan_billing_account(
        &self,
        ctx: &ProviderData,
        plan: &Plan,
    ) -> Result<Option<i64>, OpError> {
        if self.spec.attr_spec(BILLING_ACCOUNT).is_none() {
            return Ok(None);
        }
        let configured = match plan.config(BILLING_ACCOUNT) {
            Dyn::Null => None,
            value => match value.as_i64() {
                Some(id) => Some(id),
                None => return Ok(None),
            },
        };
        // The same default on every plan: a billing account moved outside
        // Terraform shows as drift back to it.
        let id = ctx.resolve_billing_account(configured).await?;
        let chosen = configured.is_some() || ctx.default_billing_account.is_some();
        let changes = plan.is_create() || plan.prior(BILLING_ACCOUNT).as_i64() != Some(id);
        if chosen && changes {
            let attr = if configured.is_some() {
                BILLING_ACCOUNT
            } else {
                ""
            };
            ctx.check_billing_account(id, attr).await?;
        }
        Ok(Some(id))
    }
}

/// Nulls what a person would not write in a configuration of the object: values
/// only the API sets, values equal to their default, and secrets (Terraform
/// writes a null secret as `null # sensitive`, for the user to fill in).
fn leave_out_unwritten(attrs: &[Attr], config: &mut Obj) {
    for attr in attrs {
        let Some(value) = config.get_mut(attr.name) else {
            continue;
        };
        let is_default = attr
            .default
            .as_ref()
            .is_some_and(|default| same_value(&attr.ty, default, value));
        if !attr.is_configurable() || attr.sensitive || is_default {
            *value = Dyn::Null;
        }
    }
}

/// A managed resource type as the protocol server sees it: dynamic values in,
/// dynamic values and diagnostics out. `Managed<R>` is the one implementation.
#[async_trait]
pub trait DynamicResource: Send + Sync {
    fn spec(&self) -> &SchemaSpec;

    /// The field names of the resource's state struct.
    fn state_fields(&self) -> &'static [&'static str];

    async fn validate(
        &self,
        diags: &mut Diagnostics,
        config: Dyn,
        client: ClientCapabilities,
    ) -> Option<()>;

    /// The current state (null when gone) and private state.
    async fn read(
        &self,
        diags: &mut Diagnostics,
        state: Dyn,
        private_state: Dyn,
    ) -> Option<(Dyn, Dyn)>;

    /// Planned state and private state.
    async fn plan_create(
        &self,
        diags: &mut Diagnostics,
        proposed_state: Dyn,
        config_state: Dyn,
    ) -> Option<(Dyn, Dyn)>;

    /// Planned state, private state and the attributes whose change forces
    /// replacement.
    async fn plan_update(
        &self,
        diags: &mut Diagnostics,
        prior_state: Dyn,
        proposed_state: Dyn,
        config_state: Dyn,
        prior_private_state: Dyn,
    ) -> Option<(Dyn, Dyn, Vec<String>)>;

    /// New state and private state; a failed create may still return the state
    /// of what it created. `config_state` carries the write-only values.
    async fn create(
        &self,
        diags: &mut Diagnostics,
        planned_state: Dyn,
        config_state: Dyn,
        planned_private_state: Dyn,
    ) -> Option<(Dyn, Dyn)>;

    async fn update(
        &self,
        diags: &mut Diagnostics,
        prior_state: Dyn,
        planned_state: Dyn,
        config_state: Dyn,
        planned_private_state: Dyn,
    ) -> Option<(Dyn, Dyn)>;

    async fn destroy(&self, diags: &mut Diagnostics, prior_state: Dyn) -> Option<()>;

    async fn import(&self, diags: &mut Diagnostics, id: String) -> Option<(Dyn, Dyn)>;

    /// The identity schema (Terraform 1.12+).
    fn identity_schema(&self) -> &IdentitySpec;

    /// The identity of a state (null for a null state; unknown parts while
    /// planned).
    fn identity(&self, state: &Dyn) -> Dyn;

    /// Imports from an identity (`import { identity = {...} }`): the state and
    /// private state, as `import` returns them.
    async fn import_identity(&self, diags: &mut Diagnostics, identity: Dyn) -> Option<(Dyn, Dyn)>;

    /// A stored identity (decoded from JSON) written with identity schema
    /// `version`, shaped to the current identity schema.
    fn upgrade_identity(&self, diags: &mut Diagnostics, version: i64, identity: Dyn)
        -> Option<Dyn>;

    /// Stored state (decoded from JSON) written with schema `version`, shaped
    /// to the current schema.
    fn upgrade(&self, diags: &mut Diagnostics, version: i64, state: Dyn) -> Option<Dyn>;

    /// A configuration that would produce `state`: what `terraform plan
    /// -generate-config-out` and `terraform query -generate-config-out` write.
    async fn generate_config(&self, state: Dyn) -> Dyn;
}

#[async_trait]
impl<R: ResourceType> DynamicResource for Managed<R> {
    fn spec(&self) -> &SchemaSpec {
        &self.spec
    }

    fn state_fields(&self) -> &'static [&'static str] {
        super::typed::state_fields::<R::State>()
    }

    async fn validate(
        &self,
        diags: &mut Diagnostics,
        config: Dyn,
        client: ClientCapabilities,
    ) -> Option<()> {
        let config = self.incoming(config);
        let mut errors = self.check_attributes(&config);
        errors.extend(self.check_write_only(&config, client));
        errors.extend(self.resource.validate(&config));
        for error in &errors {
            report(diags, error);
        }
        Some(())
    }

    async fn read(
        &self,
        diags: &mut Diagnostics,
        state: Dyn,
        private_state: Dyn,
    ) -> Option<(Dyn, Dyn)> {
        let prior = self.incoming(state);
        let ctx = self.ctx(diags)?;
        let read = async {
            match self.read_located(&ctx, &prior).await? {
                Some(current) => self
                    .state_costs(&ctx, self.carry_over(&prior, current), None)
                    .await
                    .map(Some),
                None => Ok(None),
            }
        };
        match with_warnings(diags, read).await {
            Ok(Some(current)) => Some((Dyn::Object(current), private_state)),
            // Gone: a null state makes Terraform plan to create it again.
            Ok(None) => Some((Dyn::Null, Dyn::Null)),
            Err(e) => {
                report(diags, &e.context(&format!("Reading {}", R::NAME)));
                None
            }
        }
    }

    async fn plan_create(
        &self,
        diags: &mut Diagnostics,
        proposed_state: Dyn,
        config_state: Dyn,
    ) -> Option<(Dyn, Dyn)> {
        if super::command::destroying() {
            // The refresh before a destroy: Terraform keeps only the refreshed
            // state, so nothing about changes is checked (see `command`).
            return Some((
                Dyn::Object(self.spec.normalize(as_obj(proposed_state))),
                Dyn::Null,
            ));
        }
        let config = self.incoming(config_state);
        let errors = self.check_attributes(&config);
        if !errors.is_empty() {
            errors.iter().for_each(|e| report(diags, e));
            return None;
        }
        let ctx = self.ctx(diags)?;
        match with_warnings(
            diags,
            self.plan(&ctx, None, self.incoming(proposed_state), config, false),
        )
        .await
        {
            Ok(plan) => Some((Dyn::Object(self.spec.normalize(plan.planned)), Dyn::Null)),
            Err(e) => {
                report(diags, &e);
                None
            }
        }
    }

    async fn plan_update(
        &self,
        diags: &mut Diagnostics,
        prior_state: Dyn,
        proposed_state: Dyn,
        config_state: Dyn,
        prior_private_state: Dyn,
    ) -> Option<(Dyn, Dyn, Vec<String>)> {
        if super::command::destroying() {
            // The refresh before a destroy: Terraform keeps only the refreshed
            // state, so no check that only concerns changes (a disk that cannot
            // shrink back, a source gone) may block the destroy (see `command`).
            return Some((
                Dyn::Object(self.spec.normalize(as_obj(proposed_state))),
                prior_private_state,
                Vec::new(),
            ));
        }
        let config = self.incoming(config_state);
        let errors = self.check_attributes(&config);
        if !errors.is_empty() {
            errors.iter().for_each(|e| report(diags, e));
            return None;
        }
        let ctx = self.ctx(diags)?;
        let prior = self.incoming(prior_state);
        let imported = is_imported(&prior_private_state);
        match with_warnings(
            diags,
            self.plan(
                &ctx,
                Some(prior),
                self.incoming(proposed_state),
                config,
                imported,
            ),
        )
        .await
        {
            Ok(plan) => Some((
                Dyn::Object(self.spec.normalize(plan.planned)),
                prior_private_state,
                plan.replace.into_iter().collect(),
            )),
            Err(e) => {
                report(diags, &e);
                None
            }
        }
    }

    async fn create(
        &self,
        diags: &mut Diagnostics,
        planned_state: Dyn,
        config_state: Dyn,
        _planned_private_state: Dyn,
    ) -> Option<(Dyn, Dyn)> {
        let planned = self.incoming(planned_state);
        let ctx = self.ctx(diags)?;
        let limit = self.timeout(&planned, "create");
        let created = CreatedSlot::default();
        let desired = self.with_write_only(planned.clone(), &self.incoming(config_state), None);
        let result = with_warnings(
            diags,
            CREATED.scope(
                created.clone(),
                self.with_deadline("create", limit, self.resource.create(&ctx, &desired)),
            ),
        )
        .await;
        match result {
            Ok(state) => {
                let state = self.carry_over(&planned, state);
                let state = match with_warnings(
                    diags,
                    self.state_costs(&ctx, state.clone(), Some(&planned)),
                )
                .await
                {
                    Ok(with_costs) => with_costs,
                    Err(e) => {
                        diags.warning(&e.context(&format!("Estimating the cost of {}", R::NAME)));
                        state
                    }
                };
                Some((Dyn::Object(state), Dyn::Null))
            }
            Err(mut e) => {
                // Created on the server but a later step failed (or the backstop cut
                // the operation off): keep tracking it.
                let partial = e
                    .partial_state
                    .take()
                    .or_else(|| created.lock().expect("created slot").take());
                report(diags, &e.context(&format!("Creating {}", R::NAME)));
                partial.map(|state| {
                    let state = Dyn::Object(self.carry_over(&planned, state)).unknown_as_null();
                    (state, Dyn::Null)
                })
            }
        }
    }

    async fn update(
        &self,
        diags: &mut Diagnostics,
        prior_state: Dyn,
        planned_state: Dyn,
        config_state: Dyn,
        planned_private_state: Dyn,
    ) -> Option<(Dyn, Dyn)> {
        let prior = self.incoming(prior_state);
        let planned = self.incoming(planned_state);
        if self.only_meta_changes(&prior, &planned) {
            // A new deadline (timeouts) or create-only value is recorded, never
            // sent to the API.
            return Some((
                Dyn::Object(self.recorded(&planned, self.carry_over(&planned, prior))),
                planned_private_state,
            ));
        }
        let ctx = self.ctx(diags)?;
        let limit = self.timeout(&planned, "update");
        let desired =
            self.with_write_only(planned.clone(), &self.incoming(config_state), Some(&prior));
        let result = with_warnings(
            diags,
            self.with_deadline(
                "update",
                limit,
                self.resource.update(&ctx, &prior, &desired),
            ),
        )
        .await;
        match result {
            // The configured not-read-back values are now applied: no longer "imported".
            Ok(state) => {
                let state = self.recorded(&planned, self.carry_over(&planned, state));
                let state = match with_warnings(
                    diags,
                    self.state_costs(&ctx, state.clone(), Some(&planned)),
                )
                .await
                {
                    Ok(with_costs) => with_costs,
                    Err(e) => {
                        diags.warning(&e.context(&format!("Estimating the cost of {}", R::NAME)));
                        state
                    }
                };
                Some((Dyn::Object(state), Dyn::Null))
            }
            Err(mut e) => {
                // Keep what is known to have been applied; the prior state otherwise.
                let partial = e.partial_state.take().unwrap_or_else(|| prior.clone());
                report(diags, &e.context(&format!("Updating {}", R::NAME)));
                Some((
                    Dyn::Object(self.carry_over(&prior, partial)),
                    planned_private_state,
                ))
            }
        }
    }

    async fn destroy(&self, diags: &mut Diagnostics, prior_state: Dyn) -> Option<()> {
        let prior = self.incoming(prior_state);
        let ctx = self.ctx(diags)?;
        let limit = self.timeout(&prior, "delete");
        match with_warnings(
            diags,
            self.with_deadline(
                "delete",
                limit,
                self.delete_when_unblocked(&ctx, &prior, limit),
            ),
        )
        .await
        {
            Ok(()) => Some(()),
            Err(e) => {
                report(diags, &e.context(&format!("Deleting {}", R::NAME)));
                None
            }
        }
    }

    async fn import(&self, diags: &mut Diagnostics, id: String) -> Option<(Dyn, Dyn)> {
        let ctx = self.ctx(diags)?;
        // A resource type the brand lacks is refused here as at plan time.
        if let Err(e) = self.check_brand(ctx.client.generation(), &Obj::new()) {
            report(diags, &e.context(&format!("Importing {}", R::NAME)));
            return None;
        }
        match with_warnings(diags, self.resource.import(&ctx, id.trim())).await {
            Ok(state) => Some((Dyn::Object(self.imported(state)), imported_marker())),
            Err(e) => {
                report(diags, &e.context(&format!("Importing {}", R::NAME)));
                None
            }
        }
    }

    fn identity_schema(&self) -> &IdentitySpec {
        &self.identity
    }

    fn identity(&self, state: &Dyn) -> Dyn {
        self.identity.of_state(state)
    }

    async fn import_identity(&self, diags: &mut Diagnostics, identity: Dyn) -> Option<(Dyn, Dyn)> {
        match self.identity.import_id(&identity) {
            Ok(id) => self.import(diags, id).await,
            Err(e) => {
                report(diags, &e);
                None
            }
        }
    }

    fn upgrade_identity(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        identity: Dyn,
    ) -> Option<Dyn> {
        self.identity
            .upgrade(version, identity)
            .map_err(|e| report(diags, &e))
            .ok()
    }

    fn upgrade(&self, diags: &mut Diagnostics, version: i64, state: Dyn) -> Option<Dyn> {
        if version > self.spec.version {
            report(
                diags,
                &OpError::new(format!(
                    "The state of this {} was written by a newer provider",
                    R::NAME
                ))
                .detail(format!(
                    "Its schema version is {version}; this provider knows versions up to {}. Upgrade the provider.",
                    self.spec.version
                )),
            );
            return None;
        }
        // Every schema change so far only added or removed attributes:
        // shaping to the current schema is the whole upgrade.
        Some(Dyn::Object(self.spec.normalize(as_obj(state))))
    }

    async fn generate_config(&self, state: Dyn) -> Dyn {
        let mut config = self.spec.normalize(as_obj(state));
        leave_out_unwritten(&self.spec.attrs, &mut config);
        // The billing account every plan picks when none is configured (the
        // provider's, else the account's default) goes without saying.
        if let (Some(id), Ok(ctx)) = (
            config.get(BILLING_ACCOUNT).and_then(Dyn::as_i64),
            self.shared.get(),
        ) {
            if ctx.resolve_billing_account(None).await.ok() == Some(id) {
                config.insert(BILLING_ACCOUNT.to_owned(), Dyn::Null);
            }
        }
        for block in &self.spec.blocks {
            let items = match config.get_mut(block.name) {
                // Meta blocks (timeouts) describe the provider's behaviour, not the object.
                Some(items) if block.meta => {
                    *items = Dyn::List(Vec::new());
                    continue;
                }
                Some(Dyn::List(items)) => items,
                _ => continue,
            };
            for item in items.iter_mut() {
                if let Dyn::Object(fields) = item {
                    leave_out_unwritten(&block.attrs, fields);
                }
            }
        }
        Dyn::Object(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::schema::write_only_version;
    use crate::obj;

    /// A resource with a stored password and its write-only replacement.
    struct Login;

    #[derive(serde::Serialize, serde::Deserialize)]
    struct LoginState {
        id: Option<String>,
        password: Option<String>,
        password_wo: Option<String>,
        password_wo_version: Option<i64>,
    }

    #[async_trait]
    impl ResourceType for Login {
        const NAME: &'static str = "login";
        type State = LoginState;

        fn schema(&self) -> SchemaSpec {
            SchemaSpec::new("t")
                .attr(Attr::computed("id", Ty::String))
                .attr(Attr::optional("password", Ty::String).sensitive())
                .attr(
                    Attr::optional("password_wo", Ty::String)
                        .write_only("password_wo_version")
                        .instead_of("password"),
                )
                .attr(write_only_version("password_wo_version", "password_wo"))
        }

        async fn create(&self, _: &ProviderData, _: &Obj) -> Result<Obj, OpError> {
            unreachable!()
        }
        async fn read(&self, _: &ProviderData, _: &Obj) -> Result<Option<Obj>, OpError> {
            unreachable!()
        }
        async fn delete(&self, _: &ProviderData, _: &Obj) -> Result<(), OpError> {
            unreachable!()
        }
        async fn import(&self, _: &ProviderData, _: &str) -> Result<Obj, OpError> {
            unreachable!()
        }
    }

    fn login() -> Managed<Login> {
        Managed::new(Login, Shared::default())
    }

    #[test]
    fn the_state_struct_has_the_write_only_attributes_too() {
        assert_eq!(
            super::super::typed::state_fields_match::<LoginState>(&Login.schema()),
            Ok(())
        );
    }

    const NEW_TERRAFORM: ClientCapabilities = ClientCapabilities {
        write_only_attributes: true,
    };

    fn attrs(errors: &[OpError]) -> Vec<&str> {
        errors.iter().map(|e| e.attr.as_str()).collect()
    }

    #[test]
    fn write_only_attributes_are_configurable_and_never_stored() {
        let spec = login().spec;
        let attr = spec.attr_spec("password_wo").unwrap();
        assert!(attr.write_only.is_some() && attr.is_configurable() && !attr.is_computed());
        let version = spec.attr_spec("password_wo_version").unwrap();
        assert!(version.write_only.is_none() && version.not_read_back);
        let shaped = spec.normalize(obj! {
            "password_wo" => "Secret123",
            "password_wo_version" => 2,
        });
        assert_eq!(shaped["password_wo"], Dyn::Null);
        assert_eq!(shaped["password_wo_version"], Dyn::from(2));
    }

    #[test]
    fn write_only_needs_a_terraform_that_does_not_store_it() {
        let managed = login();
        let config = obj! { "password_wo" => "Secret123", "password_wo_version" => 1 };
        assert!(managed.check_write_only(&config, NEW_TERRAFORM).is_empty());
        let errors = managed.check_write_only(&config, ClientCapabilities::default());
        assert_eq!(attrs(&errors), ["password_wo"]);
        assert_eq!(
            errors[0].summary,
            "password_wo needs Terraform 1.11 or later"
        );
        assert!(errors[0].detail.contains("use password instead"));
        // Unset, it is no problem for older Terraform.
        let stored = obj! { "password" => "Secret123", "password_wo" => Dyn::Null };
        assert!(managed
            .check_write_only(&stored, ClientCapabilities::default())
            .is_empty());
        // Unknown until apply still means configured.
        let unknown = obj! { "password_wo" => Dyn::Unknown };
        assert_eq!(
            attrs(&managed.check_write_only(&unknown, ClientCapabilities::default())),
            ["password_wo"]
        );
    }

    #[test]
    fn write_only_conflicts_with_the_stored_attribute_it_replaces() {
        let errors = login().check_write_only(
            &obj! { "password" => "Secret123", "password_wo" => "Other123" },
            NEW_TERRAFORM,
        );
        assert_eq!(attrs(&errors), ["password_wo"]);
        assert_eq!(errors[0].summary, "password and password_wo conflict");
    }

    #[test]
    fn a_version_needs_its_write_only_value() {
        let errors = login().check_write_only(&obj! { "password_wo_version" => 1 }, NEW_TERRAFORM);
        assert_eq!(attrs(&errors), ["password_wo_version"]);
        assert_eq!(
            errors[0].summary,
            "password_wo_version is set without password_wo"
        );
    }

    #[test]
    fn write_only_values_reach_a_create_and_an_update_that_changes_their_version() {
        let managed = login();
        let config = obj! { "password_wo" => "Secret123", "password_wo_version" => 2 };
        let planned = obj! { "id" => "a", "password_wo" => Dyn::Null, "password_wo_version" => 2 };
        let created = managed.with_write_only(planned.clone(), &config, None);
        assert_eq!(created["password_wo"], Dyn::str("Secret123"));

        let bumped = obj! { "id" => "a", "password_wo_version" => 1 };
        let updated = managed.with_write_only(planned.clone(), &config, Some(&bumped));
        assert_eq!(updated["password_wo"], Dyn::str("Secret123"));

        // Any other update leaves it out: Terraform cannot say it changed.
        let same = obj! { "id" => "a", "password_wo_version" => 2 };
        let updated = managed.with_write_only(planned, &config, Some(&same));
        assert_eq!(updated["password_wo"], Dyn::Null);
    }

    /// A resource built from a source that only matters at creation.
    struct Copy;

    #[derive(serde::Serialize, serde::Deserialize)]
    struct CopyState {
        id: Option<String>,
        name: Option<String>,
        source: Option<String>,
    }

    #[async_trait]
    impl ResourceType for Copy {
        const NAME: &'static str = "copy";
        type State = CopyState;

        fn schema(&self) -> SchemaSpec {
            SchemaSpec::new("t")
                .attr(Attr::computed("id", Ty::String))
                .attr(Attr::required("name", Ty::String))
                .attr(Attr::optional("source", Ty::String).create_only())
        }

        async fn create(&self, _: &ProviderData, _: &Obj) -> Result<Obj, OpError> {
            unreachable!()
        }
        async fn read(&self, _: &ProviderData, _: &Obj) -> Result<Option<Obj>, OpError> {
            unreachable!()
        }
        async fn delete(&self, _: &ProviderData, _: &Obj) -> Result<(), OpError> {
            unreachable!()
        }
        async fn import(&self, _: &ProviderData, _: &str) -> Result<Obj, OpError> {
            unreachable!()
        }
    }

    fn plan_of(prior: Obj, planned: Obj) -> Plan {
        Plan {
            prior: Some(prior),
            config: planned.clone(),
            planned,
            replace: BTreeSet::new(),
        }
    }

    #[tokio::test]
    async fn a_create_only_value_that_changes_keeps_the_prior_one_and_warns() {
        let managed = Managed::new(Copy, Shared::default());
        let prior = obj! { "id" => "a", "name" => "x", "source" => "snap-1" };
        for new in [Dyn::Unknown, Dyn::str("snap-2")] {
            let mut plan = plan_of(
                prior.clone(),
                obj! { "id" => "a", "name" => "x", "source" => new },
            );
            let ((), warnings) =
                collecting(async { managed.keep_create_only(&mut plan, &prior) }).await;
            assert_eq!(plan.planned("source"), &Dyn::str("snap-1"));
            assert!(plan.replace.is_empty());
            assert_eq!(warnings.len(), 1);
            assert_eq!(warnings[0].attr, "source");
            assert_eq!(
                warnings[0].summary,
                "source changed, but it is only used when the copy is created"
            );
            assert!(warnings[0].detail.contains("\"snap-1\""));
        }
        // Removed (or set after an import): recorded, silently.
        let mut plan = plan_of(
            prior.clone(),
            obj! { "id" => "a", "name" => "x", "source" => Dyn::Null },
        );
        let ((), warnings) =
            collecting(async { managed.keep_create_only(&mut plan, &prior) }).await;
        assert_eq!(plan.planned("source"), &Dyn::Null);
        assert!(warnings.is_empty());
        // Only a create-only value differs: the update only records it.
        let planned = obj! { "id" => "a", "name" => "x", "source" => Dyn::Null };
        assert!(managed.only_meta_changes(&prior, &planned));
        let state = managed.recorded(&planned, prior.clone());
        assert_eq!(state["source"], Dyn::Null);
        assert!(Copy
            .schema()
            .attr_spec("source")
            .unwrap()
            .full_description()
            .contains("terraform apply -replace"));
    }

    #[test]
    fn write_only_values_never_reach_the_returned_state() {
        let managed = login();
        let prior = obj! { "id" => "a", "password_wo_version" => 1 };
        // Whatever the resource returns (here the value it was given).
        let returned = obj! { "id" => "a", "password_wo" => "Secret123" };
        let state = managed.carry_over(&prior, returned);
        assert_eq!(state["password_wo"], Dyn::Null);
        assert_eq!(state["password_wo_version"], Dyn::from(1));
    }
}
