//! The apply adapter: `DynamicResource`, what the protocol server calls, and
//! `Managed<R>`, its one implementation, which turns Terraform's dynamic values
//! into a resource's calls and its results back into state and diagnostics.

use std::sync::Arc;

use async_trait::async_trait;

use super::deadline::CreatedSlot;
use super::deadline::CREATED;
use super::plan::same_value;
use super::{
    report, report_errors, with_warnings, ClientCapabilities, Managed, ResourceType, LOCATION,
};
use crate::framework::cost;
use crate::framework::data_source::checked_context;
use crate::framework::error::{Diagnostics, OpError};
use crate::framework::identity::IdentitySpec;
use crate::framework::nested;
use crate::framework::platform::Platform;
use crate::framework::schema::{Attr, SchemaSpec, Ty};
use crate::framework::typed::{from_config, from_state, to_state};
use crate::framework::value::{Dyn, Obj};

/// A value Terraform sent, as an object whose number attributes are numbers:
/// msgpack carries a number that is not exactly a float64 (a fraction such as an
/// estimate, `0.0105`) as its decimal string.
pub(super) fn numbers_typed(spec: &SchemaSpec, value: Dyn) -> Obj {
    let mut obj = value.into_obj();
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

/// Private state of an imported object: its not-read-back values are unknown (null),
/// so setting them records them instead of forcing replacement. A successful
/// update, which applies the configured values, clears it.
pub(super) fn imported_marker() -> Dyn {
    Dyn::Object(crate::obj! { "imported" => true })
}

pub(super) fn is_imported(private: &Dyn) -> bool {
    private.get("imported") == &Dyn::Bool(true)
}

impl<R: ResourceType> Managed<R> {
    pub(super) fn ctx(&self, diags: &mut Diagnostics) -> Option<Arc<R::Platform>> {
        checked_context(diags, Vec::new(), &self.shared)
    }

    /// What the resource's create or update is given: the planned state plus the
    /// configured write-only values it must send (on create all of them, on update
    /// those whose version changed).
    pub(super) fn with_write_only(
        &self,
        mut planned: Obj,
        config: &Obj,
        prior: Option<&Obj>,
    ) -> Obj {
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

    /// `ResourceType::read`, after finding the object when the state has no
    /// location (one taken over from a provider that stored none, see
    /// `crate::migrate`): in each location the platform says to search, in order
    /// (`Platform::search_locations`).
    pub(super) async fn read_located(
        &self,
        ctx: &R::Platform,
        prior: &Obj,
    ) -> Result<Option<Obj>, OpError> {
        let unlocated = self.spec.attr_spec(LOCATION).is_some()
            && prior.get(LOCATION).is_none_or(Dyn::is_null)
            && prior.get("id").is_some_and(|id| !id.is_null());
        if !unlocated {
            return self.read_typed(ctx, prior).await;
        }
        for slug in ctx.search_locations().await? {
            let mut located = prior.clone();
            located.insert(LOCATION.to_owned(), Dyn::str(slug));
            if let Some(current) = self.read_typed(ctx, &located).await? {
                return Ok(Some(current));
            }
        }
        Ok(None)
    }

    // The resource's typed operations: the one place where the adapter's objects
    // become the resource's state struct (`from_state`) and back (`to_state`).

    /// `ResourceType::read` of a state object.
    pub(super) async fn read_typed(
        &self,
        ctx: &R::Platform,
        state: &Obj,
    ) -> Result<Option<Obj>, OpError> {
        let current = self.resource.read(ctx, from_state(state)?).await?;
        Ok(current.map(|s| to_state(&s)))
    }

    /// `ResourceType::create` of a planned state object.
    pub(super) async fn create_typed(
        &self,
        ctx: &R::Platform,
        planned: &Obj,
    ) -> Result<Obj, OpError> {
        let created = self.resource.create(ctx, from_state(planned)?).await?;
        Ok(to_state(&created))
    }

    /// `ResourceType::update` of state objects.
    pub(super) async fn update_typed(
        &self,
        ctx: &R::Platform,
        prior: &Obj,
        planned: &Obj,
    ) -> Result<Obj, OpError> {
        let (prior, planned) = (from_state(prior)?, from_state(planned)?);
        Ok(to_state(&self.resource.update(ctx, prior, planned).await?))
    }

    /// `ResourceType::import`, as a state object.
    pub(super) async fn import_typed(&self, ctx: &R::Platform, id: &str) -> Result<Obj, OpError> {
        Ok(to_state(&self.resource.import(ctx, id).await?))
    }

    /// Keeps what the API cannot report from the prior state (the plan after an
    /// apply): meta blocks (timeouts), values it never returns, and the spelling of
    /// the elements of declared nested blocks it reports with the same meaning
    /// (`nested::reconcile`).
    pub(super) fn carry_over(&self, prior: &Obj, mut new: Obj) -> Obj {
        for block in self.spec.blocks.iter().filter(|b| b.meta) {
            if let Some(v) = prior.get(block.name) {
                new.insert(block.name.to_owned(), v.clone());
            }
        }
        for block in self.spec.blocks.iter().filter(|b| b.is_declared()) {
            let reference = prior.get(block.name).map(Dyn::as_list).unwrap_or(&[]);
            if let Some(Dyn::List(served)) = new.get(block.name) {
                let reconciled = nested::reconcile(block, reference, served);
                new.insert(block.name.to_owned(), Dyn::List(reconciled));
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
    pub(super) fn recorded(&self, planned: &Obj, mut state: Obj) -> Obj {
        for attr in self.spec.attrs.iter().filter(|a| a.is_create_only()) {
            let value = planned.get(attr.name).cloned().unwrap_or_default();
            state.insert(attr.name.to_owned(), value);
        }
        state
    }

    /// The state an import records from what `ResourceType::import` built.
    pub(super) fn imported(&self, mut state: Obj) -> Obj {
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
        ctx: &R::Platform,
        id: &str,
    ) -> Result<Option<Obj>, OpError> {
        let imported = self.imported(self.import_typed(ctx, id).await?);
        match self.read_typed(ctx, &imported).await? {
            Some(current) => {
                let current = self.carry_over(&imported, current);
                self.state_costs(ctx, current, None).await.map(Some)
            }
            None => Ok(None),
        }
    }

    /// Whether the resource has the cost attributes, so `ResourceType::meter` is
    /// asked (the others skip reading their state struct for it).
    pub(super) fn metered(&self) -> bool {
        self.spec.attrs.iter().any(|attr| attr.name == cost::HOURLY)
    }

    /// The cost estimates of a state just read (`planned: None`) or written.
    pub(super) async fn state_costs(
        &self,
        ctx: &R::Platform,
        mut state: Obj,
        planned: Option<&Obj>,
    ) -> Result<Obj, OpError> {
        if !self.metered() {
            return Ok(state);
        }
        if let Some(meter) = self.resource.meter(ctx, &from_state(&state)?, None).await? {
            let what = Self::type_name();
            cost::state(ctx, &what, &mut state, &meter, planned).await;
        }
        Ok(state)
    }
}

impl<R: ResourceType> Managed<R> {
    /// The cost estimates of a state just created or updated. An estimate that
    /// fails is a warning: the object exists, its state must be recorded.
    async fn applied_costs(
        &self,
        diags: &mut Diagnostics,
        ctx: &R::Platform,
        state: Obj,
        planned: &Obj,
    ) -> Obj {
        match with_warnings(diags, self.state_costs(ctx, state.clone(), Some(planned))).await {
            Ok(with_costs) => with_costs,
            Err(e) => {
                diags.warning(&e.context(&format!("Estimating the cost of {}", R::NAME)));
                state
            }
        }
    }
}

/// Nulls what a person would not write in a configuration of the object: values
/// only the API sets, values equal to their default, and secrets (Terraform
/// writes a null secret as `null # sensitive`, for the user to fill in).
pub(super) fn leave_out_unwritten(attrs: &[Attr], config: &mut Obj) {
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

    /// `Err` naming them when the resource's configuration view has names the
    /// schema lacks (`framework::typed::config_view_matches`).
    fn config_view_matches(&self) -> Result<(), String>;

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
        crate::framework::typed::state_fields::<R::State>()
    }

    fn config_view_matches(&self) -> Result<(), String> {
        crate::framework::typed::config_view_matches(&*self.resource)
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
        match from_config::<R::Config>(&config) {
            Ok(view) => errors.extend(self.resource.validate(&view)),
            Err(error) => errors.push(error),
        }
        report_errors(diags, &errors);
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
        if crate::framework::command::destroying() {
            // The refresh before a destroy: Terraform keeps only the refreshed
            // state, so nothing about changes is checked (see `command`).
            return Some((
                Dyn::Object(self.spec.normalize(proposed_state.into_obj())),
                Dyn::Null,
            ));
        }
        let config = self.incoming(config_state);
        let ctx = checked_context(diags, self.check_attributes(&config), &self.shared)?;
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
        if crate::framework::command::destroying() {
            // The refresh before a destroy: Terraform keeps only the refreshed
            // state, so no check that only concerns changes (a disk that cannot
            // shrink back, a source gone) may block the destroy (see `command`).
            return Some((
                Dyn::Object(self.spec.normalize(proposed_state.into_obj())),
                prior_private_state,
                Vec::new(),
            ));
        }
        let config = self.incoming(config_state);
        let ctx = checked_context(diags, self.check_attributes(&config), &self.shared)?;
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
                self.with_deadline("create", limit, self.create_typed(&ctx, &desired)),
            ),
        )
        .await;
        match result {
            Ok(state) => {
                let state = self.carry_over(&planned, state);
                let state = self.applied_costs(diags, &ctx, state, &planned).await;
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
            self.with_deadline("update", limit, self.update_typed(&ctx, &prior, &desired)),
        )
        .await;
        match result {
            // The configured not-read-back values are now applied: no longer "imported".
            Ok(state) => {
                let state = self.recorded(&planned, self.carry_over(&planned, state));
                let state = self.applied_costs(diags, &ctx, state, &planned).await;
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
        if let Err(e) = self.check_brand(&ctx, &Obj::new()) {
            report(diags, &e.context(&format!("Importing {}", R::NAME)));
            return None;
        }
        match with_warnings(diags, self.import_typed(&ctx, id.trim())).await {
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
        Some(Dyn::Object(self.spec.normalize(state.into_obj())))
    }

    async fn generate_config(&self, state: Dyn) -> Dyn {
        let mut config = self.spec.normalize(state.into_obj());
        leave_out_unwritten(&self.spec.attrs, &mut config);
        // What every plan picks by itself goes without saying.
        if let Ok(ctx) = self.shared.get() {
            ctx.leave_out_defaults(&mut config).await;
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
