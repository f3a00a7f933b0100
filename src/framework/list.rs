//! List resources (`list` blocks of `terraform query`, Terraform 1.14+): a
//! configuration schema (the filters), its checks, and a listing that returns,
//! for each object found, a display name and the state the resource of the same
//! type would hold after importing it. The protocol server adds each object's
//! identity from that resource.

use std::sync::Arc;

use async_trait::async_trait;

use super::data_source::{checked_context, config_errors};
use super::error::{Diagnostics, OpError};
use super::platform::{Platform, Shared};
use super::resource::{report, report_errors, with_warnings};
use super::schema::SchemaSpec;
use super::value::{Dyn, Obj};

/// One object a list resource found.
#[derive(Clone, Debug, PartialEq)]
pub struct Listed {
    /// What a person recognises the object by (name, location, address).
    pub display_name: String,
    /// The state of the resource of the same type, as after an import.
    pub state: Obj,
}

#[async_trait]
pub trait ListResourceType: Send + Sync + 'static {
    /// The platform the type runs on (`framework::Platform`): what `list` gets
    /// as its context.
    type Platform: Platform;

    /// Type name without the provider prefix: the managed resource's own.
    const NAME: &'static str;

    /// The `config` block of the `list` block.
    fn schema(&self) -> SchemaSpec;

    /// Cross-attribute checks on the configuration.
    fn validate(&self, _config: &Obj) -> Vec<OpError> {
        Vec::new()
    }

    /// The objects the configuration selects, at most `limit` of them.
    async fn list(
        &self,
        ctx: &Self::Platform,
        config: &Obj,
        limit: usize,
    ) -> Result<Vec<Listed>, OpError>;
}

pub struct ListAdapter<L: ListResourceType> {
    list: Arc<L>,
    shared: Shared<L::Platform>,
    spec: SchemaSpec,
}

impl<L: ListResourceType> ListAdapter<L> {
    pub fn new(list: L, shared: Shared<L::Platform>) -> Self {
        let spec = list.schema();
        ListAdapter {
            list: Arc::new(list),
            shared,
            spec,
        }
    }

    fn check(&self, config: &Obj) -> Vec<OpError> {
        config_errors(&self.spec, config, self.list.validate(config))
    }
}

/// A list resource type as the protocol server sees it.
#[async_trait]
pub trait DynamicListResource: Send + Sync {
    fn spec(&self) -> &SchemaSpec;

    fn validate(&self, diags: &mut Diagnostics, config: Dyn);

    /// The objects found (at most `limit`), or `None` after an error diagnostic.
    async fn list(&self, diags: &mut Diagnostics, config: Dyn, limit: usize)
        -> Option<Vec<Listed>>;
}

#[async_trait]
impl<L: ListResourceType> DynamicListResource for ListAdapter<L> {
    fn spec(&self) -> &SchemaSpec {
        &self.spec
    }

    fn validate(&self, diags: &mut Diagnostics, config: Dyn) {
        let config = config.into_obj();
        report_errors(diags, &self.check(&config));
    }

    async fn list(
        &self,
        diags: &mut Diagnostics,
        config: Dyn,
        limit: usize,
    ) -> Option<Vec<Listed>> {
        let config = self.spec.normalize(config.into_obj());
        let ctx = checked_context(diags, self.check(&config), &self.shared)?;
        match with_warnings(diags, self.list.list(&ctx, &config, limit)).await {
            Ok(mut found) => {
                found.truncate(limit);
                Some(found)
            }
            Err(e) => {
                report(diags, &e.context(&format!("Listing {}", L::NAME)));
                None
            }
        }
    }
}
