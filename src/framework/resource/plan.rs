//! The plan engine: configuration checks, the generic plan rules every resource
//! shares (defaults, unknowns, replacement, create-only values, costs), the
//! platform's (`Platform::plan_rules`: location and billing account), then the
//! resource's own `modify_plan`.

use std::collections::BTreeSet;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{ClientCapabilities, Managed, ResourceType};
use crate::framework::cost;
use crate::framework::error::OpError;
use crate::framework::nested;
use crate::framework::platform::Platform;
use crate::framework::schema::{Attr, Mode, Nesting, OnChange, Ty, WRITE_ONLY_TERRAFORM};
use crate::framework::typed::{from_state, to_state};
use crate::framework::value::{Dyn, Obj};

/// A plan being computed: the generic rules have run; `modify_plan` may refine it.
pub struct Plan {
    /// Prior state; `None` when the resource is being created.
    pub prior: Option<Obj>,
    pub config: Obj,
    pub planned: Obj,
    /// Attributes whose change forces replacement.
    pub replace: BTreeSet<String>,
}

/// A plan's values as the resource's state struct (`Plan::typed`). Unknown
/// values read as `None`, except in `Field`s.
#[derive(Debug)]
pub struct Views<S> {
    /// The prior state; `None` when the resource is being created.
    pub prior: Option<S>,
    /// The configuration (what it leaves out is null).
    pub config: S,
    /// The planned values so far.
    pub planned: S,
}

impl Plan {
    pub fn is_create(&self) -> bool {
        self.prior.is_none()
    }

    /// The prior state, the configuration and the planned values as the
    /// resource's state struct.
    pub fn typed<S: DeserializeOwned>(&self) -> Result<Views<S>, OpError> {
        Ok(Views {
            prior: self.prior.as_ref().map(from_state).transpose()?,
            config: from_state(&self.config)?,
            planned: from_state(&self.planned)?,
        })
    }

    /// Changes the planned values through the resource's state struct. Only the
    /// attributes and blocks `change` modifies are written back: the others keep
    /// their planned value, unknown included. (A plain `Option` reads unknown as
    /// `None`, so making a value unknown, or null where it is unknown, takes a
    /// `Field`.)
    pub fn update_planned<S, T>(&mut self, change: impl FnOnce(&mut S) -> T) -> Result<T, OpError>
    where
        S: Serialize + DeserializeOwned,
    {
        let mut planned: S = from_state(&self.planned)?;
        let before = to_state(&planned);
        let out = change(&mut planned);
        for (name, value) in to_state(&planned) {
            if before.get(&name) != Some(&value) {
                self.planned.insert(name, value);
            }
        }
        Ok(out)
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

pub(super) fn same_unordered(x: &[Dyn], y: &[Dyn], eq: impl Fn(&Dyn, &Dyn) -> bool) -> bool {
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
    /// Runs every attribute validator on the known values of `config`.
    pub(super) fn check_attributes(&self, config: &Obj) -> Vec<OpError> {
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
    pub(super) fn check_write_only(
        &self,
        config: &Obj,
        client: ClientCapabilities,
    ) -> Vec<OpError> {
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

    /// Brand gating (`Platform::check_available`) for this resource type.
    pub(super) fn check_brand(&self, ctx: &R::Platform, config: &Obj) -> Result<(), OpError> {
        ctx.check_available(&Self::type_name(), R::FEATURE, &self.spec.attrs, config)
    }

    /// True when nothing but meta blocks (timeouts) differs between two states.
    pub(super) fn only_meta_changes(&self, prior: &Obj, planned: &Obj) -> bool {
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
            && self
                .spec
                .blocks
                .iter()
                .filter(|b| !b.meta)
                .all(|b| same(b.name, &b.value_ty()))
    }

    /// The generic plan rules; see the module documentation of `schema.rs`.
    pub(super) async fn plan(
        &self,
        ctx: &R::Platform,
        prior: Option<Obj>,
        proposed: Obj,
        config: Obj,
        imported: bool,
    ) -> Result<Plan, OpError> {
        self.check_brand(ctx, &config)?;
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
        // Declared nested blocks (`framework::nested`): from the configuration,
        // not Terraform's proposal (which carries a prior value into an element
        // that leaves it out).
        for block in self.spec.blocks.iter().filter(|b| b.is_declared()) {
            if let Dyn::List(config) = plan.config(block.name).clone() {
                let planned = nested::plan(block, &config, plan.prior(block.name).as_list());
                plan.set(block.name, planned);
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
                            !same_value(
                                &b.value_ty(),
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
        ctx.plan_rules(&self.spec, &mut plan).await?;
        self.resource.modify_plan(ctx, &mut plan).await?;
        self.plan_costs(ctx, &mut plan).await?;
        Ok(plan)
    }

    /// Create-only attributes (`Attr::create_only`) after creation: a new value,
    /// known or not, keeps the prior one and says so in a warning, so a source
    /// deleted and created again never replaces what was built from it. A value
    /// set where there was none (after an import) or removed is only recorded.
    pub(super) fn keep_create_only(&self, plan: &mut Plan, prior: &Obj) {
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
            let type_name = Self::type_name();
            let what = if attr.sensitive {
                format!("The configuration now gives a value other than the one this {type_name} was created with (not shown: it is sensitive).")
            } else {
                format!(
                    "The configuration now gives {}; this {type_name} was created with {}.",
                    shown(planned),
                    shown(before)
                )
            };
            crate::framework::warnings::warn(
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
    pub(super) async fn plan_costs(
        &self,
        ctx: &R::Platform,
        plan: &mut Plan,
    ) -> Result<(), OpError> {
        if !self.metered() {
            return Ok(());
        }
        let planned: R::State = from_state(&plan.planned)?;
        let prior: Option<R::State> = plan.prior.as_ref().map(from_state).transpose()?;
        let Some(planned_meter) = self.resource.meter(ctx, &planned, prior.as_ref()).await? else {
            return Ok(());
        };
        let prior_meter = match &prior {
            Some(prior) => self.resource.meter(ctx, prior, None).await?,
            None => None,
        };
        let what = Self::type_name();
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
}
