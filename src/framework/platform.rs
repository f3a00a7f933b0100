//! What the framework needs of the platform a provider serves, and nothing more:
//! the framework is generic, and one provider-level type implements `Platform`
//! (here `crate::platform`, for the configured provider's `ProviderData`). Every
//! type trait (`ResourceType`, `DataSourceType`, `ListResourceType`,
//! `ActionType`, `EphemeralResourceType`) names it as `type Platform`, and the
//! type's operations get it as their context (`ctx`).

use std::sync::{Arc, RwLock};

use async_trait::async_trait;

use super::cost::{Estimate, Measure};
use super::error::OpError;
use super::resource::Plan;
use super::schema::{Attr, SchemaSpec};
use super::value::Obj;
use crate::cancel::Cancel;

#[async_trait]
pub trait Platform: Send + Sync + 'static {
    /// What some deployments of the platform lack (an API feature some brands
    /// lack): a type's `FEATURE`, an attribute's `Attr::only_on`.
    type Feature: Copy + Send + Sync + 'static;

    /// What a billed object is metered by (`ResourceType::meter`, `framework::cost`).
    type Meter: Measure;

    /// The prefix of every type name (`idcloudhost_` of `idcloudhost_vm`).
    const TYPE_PREFIX: &'static str;

    /// Refuses, before any request, what the configured deployment lacks: the
    /// type itself (its `feature`; `type_name` names it) or what a configured
    /// attribute among `attrs` does (`Attr::only_on`).
    fn check_available(
        &self,
        type_name: &str,
        feature: Option<Self::Feature>,
        attrs: &[Attr],
        config: &Obj,
    ) -> Result<(), OpError>;

    /// The platform's plan rules every managed resource shares, after the
    /// generic ones and before the resource's own `modify_plan` (the provider-wide
    /// defaults of attributes such as `location`).
    async fn plan_rules(&self, spec: &SchemaSpec, plan: &mut Plan) -> Result<(), OpError>;

    /// Where to look, in order, for an object whose state has no `location`
    /// (one taken over from a provider that stored none).
    async fn search_locations(&self) -> Result<Vec<String>, OpError>;

    /// Leaves out of a generated configuration (`terraform plan
    /// -generate-config-out`) the values `plan_rules` would choose by itself.
    async fn leave_out_defaults(&self, config: &mut Obj);

    /// The provider's cancellation signal (Terraform's `StopProvider`, Ctrl-C).
    fn cancel(&self) -> &Cancel;

    /// What a known `meter` costs per hour; `what` names the object in the
    /// warning that says why there is no estimate.
    async fn hourly_cost(&self, meter: &Self::Meter, what: &str) -> Estimate;
}

/// The full type name of a type of platform `P` named `name`.
pub fn type_name<P: Platform>(name: &str) -> String {
    format!("{}{name}", P::TYPE_PREFIX)
}

/// What `configure` produces, shared by every type registered before it: each
/// adapter holds a handle that configure fills.
pub struct Shared<P>(Arc<RwLock<Option<Arc<P>>>>);

impl<P> Clone for Shared<P> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<P> Default for Shared<P> {
    fn default() -> Self {
        Shared(Arc::new(RwLock::new(None)))
    }
}

impl<P> Shared<P> {
    pub fn set(&self, data: P) {
        *self.0.write().expect("provider data lock") = Some(Arc::new(data));
    }

    pub fn get(&self) -> Result<Arc<P>, OpError> {
        self.0.read().expect("provider data lock").clone().ok_or_else(|| {
            OpError::new("The provider is not configured")
                .detail("Terraform called the provider before configuring it, or its configuration failed.")
        })
    }
}

/// A platform for the framework's own unit tests: it has every feature, no plan
/// rules and no prices.
#[cfg(test)]
#[derive(Default)]
pub(crate) struct TestPlatform {
    cancel: Cancel,
}

#[cfg(test)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TestFeature;

#[cfg(test)]
impl Measure for () {
    fn is_unknown(&self) -> bool {
        false
    }
}

#[cfg(test)]
#[async_trait]
impl Platform for TestPlatform {
    type Feature = TestFeature;
    type Meter = ();
    const TYPE_PREFIX: &'static str = "test_";

    fn check_available(
        &self,
        _type_name: &str,
        _feature: Option<TestFeature>,
        _attrs: &[Attr],
        _config: &Obj,
    ) -> Result<(), OpError> {
        Ok(())
    }

    async fn plan_rules(&self, _spec: &SchemaSpec, _plan: &mut Plan) -> Result<(), OpError> {
        Ok(())
    }

    async fn search_locations(&self) -> Result<Vec<String>, OpError> {
        Ok(Vec::new())
    }

    async fn leave_out_defaults(&self, _config: &mut Obj) {}

    fn cancel(&self) -> &Cancel {
        &self.cancel
    }

    async fn hourly_cost(&self, _meter: &(), _what: &str) -> Estimate {
        Estimate::None
    }
}
