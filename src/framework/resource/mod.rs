//! The plan logic every managed resource shares, written once (as the plugin
//! framework does with plan modifiers). A resource implements `ResourceType`: its
//! schema, its API mapping and its real special cases; `Managed<R>` turns that into
//! a `DynamicResource`, which the protocol server (`crate::protocol`) calls.
//!
//! - `plan`: the plan engine (checks, generic plan rules, `Plan`);
//! - `apply`: the adapter to the protocol server (`DynamicResource`);
//! - `deadline`: deadlines, cancellation and destroy waiting for what blocks it.

mod apply;
mod deadline;
mod plan;
#[cfg(test)]
mod tests;

use std::future::Future;
use std::sync::Arc;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::error::{Diagnostics, OpError};
use super::identity::{Identity, IdentitySpec};
use super::platform::{type_name, Platform, Shared};
use super::schema::SchemaSpec;
use super::value::{Dyn, Obj};
use super::warnings::collecting;
use apply::numbers_typed;

pub use apply::DynamicResource;
pub use deadline::{track_created, DEFAULT_TIMEOUT};
pub use plan::{same_value, Plan, Views};

/// The attribute that places an object in one of the platform's locations: it
/// completes the object's identity and import ID, and the platform plans its
/// default (`Platform::plan_rules`).
pub const LOCATION: &str = "location";

/// The platform's feature and meter types of resource type `R`.
type FeatureOf<R> = <<R as ResourceType>::Platform as Platform>::Feature;
type MeterOf<R> = <<R as ResourceType>::Platform as Platform>::Meter;

/// What the Terraform calling the provider can do, as it says in
/// `ValidateResourceConfig`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientCapabilities {
    /// Terraform 1.11+: it sends write-only values at apply and never stores them.
    /// An older one would store them like any other attribute.
    pub write_only_attributes: bool,
}

#[async_trait]
pub trait ResourceType: Send + Sync + 'static {
    /// The platform the resource runs on (`framework::Platform`): what its
    /// operations get as their context.
    type Platform: Platform;

    /// Type name without the provider prefix (`vm` for `idcloudhost_vm`).
    const NAME: &'static str;

    /// The API feature the whole resource needs, when some brands lack it: planning
    /// it there fails before any request.
    const FEATURE: Option<FeatureOf<Self>> = None;

    /// The state attributes that identify the remote object (resource identity,
    /// Terraform 1.12+): the pieces of the import ID, in order, and whether
    /// `location` completes them. `id`, plus `location` when the schema has one,
    /// unless a resource says otherwise.
    const IDENTITY: Identity = Identity::ID;
    /// The state as a struct (see `framework::typed`): one field per attribute and
    /// block of the schema.
    type State: Serialize + DeserializeOwned + Send + Sync + 'static;
    /// The configuration as `validate` reads it: a view naming the attributes
    /// and blocks its checks need, each a `Field` since any value may still be
    /// unknown (see `framework::typed::from_config`); `NoChecks` without checks.
    type Config: Serialize + DeserializeOwned + Send + Sync + 'static;

    fn schema(&self) -> SchemaSpec;

    /// Cross-attribute checks on the configuration (`Self::Config`), before any
    /// plan. A check runs on known values only: an unknown value is checked once
    /// known (at plan or apply time), never reported, nor taken for null.
    fn validate(&self, _config: &Self::Config) -> Vec<OpError> {
        Vec::new()
    }

    /// Special cases after the generic plan rules (which already applied defaults,
    /// marked computed values unknown, and collected replacement triggers).
    async fn modify_plan(&self, _ctx: &Self::Platform, _plan: &mut Plan) -> Result<(), OpError> {
        Ok(())
    }

    /// Creates the object from the planned state (with the configured write-only
    /// values) and returns its state. A failure after the object exists returns
    /// the state known so far with the error (`OpError::with_state`), or records
    /// it as it goes (`track_created`).
    async fn create(
        &self,
        ctx: &Self::Platform,
        planned: Self::State,
    ) -> Result<Self::State, OpError>;

    /// The current state, or `None` when the object is gone. Gone means gone: an
    /// auth failure, unknown location or server error is an `Err`.
    async fn read(
        &self,
        ctx: &Self::Platform,
        state: Self::State,
    ) -> Result<Option<Self::State>, OpError>;

    /// Applies an in-place change. A change of only the timeouts never gets here
    /// (the adapter records it), so a resource whose every argument forces
    /// replacement keeps this default.
    async fn update(
        &self,
        _ctx: &Self::Platform,
        prior: Self::State,
        _planned: Self::State,
    ) -> Result<Self::State, OpError> {
        Ok(prior)
    }

    /// Deletes the object (gone already is success). Given by reference: destroy
    /// may ask again after `blocked_by` (see `Managed::delete_when_unblocked`).
    async fn delete(&self, ctx: &Self::Platform, state: &Self::State) -> Result<(), OpError>;

    /// What keeps the API from deleting the object now (VMs still in a network, the
    /// VM a disk is attached to), as the error that names it; `None` when nothing
    /// does or the object is gone. Destroy waits while something does: it may be
    /// going away in the same run (see `Managed::delete_when_unblocked`).
    async fn blocked_by(
        &self,
        _ctx: &Self::Platform,
        _state: &Self::State,
    ) -> Result<Option<OpError>, OpError> {
        Ok(None)
    }

    /// Builds enough state from an import ID for `read` to fill in the rest.
    async fn import(&self, ctx: &Self::Platform, id: &str) -> Result<Self::State, OpError>;

    /// What the object is billed by, from its planned or stored `values` (`prior`:
    /// the stored values during a plan of an update): resources with the cost
    /// attributes (`cost::attrs`) return `Some`, and the adapter keeps their
    /// estimates (see `framework::cost`). The adapter asks only resources whose
    /// schema has those attributes. An input a plan may not know yet, where that
    /// must give `Meter::Unknown` rather than a default, is a `Field` in the state
    /// struct (a plain `Option` reads unknown as `None`).
    async fn meter(
        &self,
        _ctx: &Self::Platform,
        _values: &Self::State,
        _prior: Option<&Self::State>,
    ) -> Result<Option<MeterOf<Self>>, OpError> {
        Ok(None)
    }
}

pub struct Managed<R: ResourceType> {
    resource: Arc<R>,
    shared: Shared<R::Platform>,
    spec: SchemaSpec,
    identity: IdentitySpec,
}

impl<R: ResourceType> Managed<R> {
    /// The full type name (`idcloudhost_vm`).
    fn type_name() -> String {
        type_name::<R::Platform>(R::NAME)
    }

    fn incoming(&self, value: Dyn) -> Obj {
        numbers_typed(&self.spec, value)
    }

    pub fn new(resource: R, shared: Shared<R::Platform>) -> Self {
        let spec = resource.schema();
        let identity = R::IDENTITY.resolve(&Self::type_name(), &spec);
        Managed {
            resource: Arc::new(resource),
            shared,
            spec,
            identity,
        }
    }
}

pub(crate) fn report(diags: &mut Diagnostics, error: &OpError) {
    diags.error(error);
}

/// Reports each of a check's findings: every adapter's validation reports all it
/// found, not just the first.
pub(crate) fn report_errors(diags: &mut Diagnostics, errors: &[OpError]) {
    for error in errors {
        report(diags, error);
    }
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
