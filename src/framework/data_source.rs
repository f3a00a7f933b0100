//! Data sources: a schema, optional cross-attribute checks, and a read.

use std::sync::Arc;

use async_trait::async_trait;

use super::error::{Diagnostics, OpError};
use super::resource::{report, with_warnings};
use super::schema::SchemaSpec;
use super::value::{Dyn, Obj};
use crate::context::{ProviderData, Shared};

#[async_trait]
pub trait DataSourceType: Send + Sync + 'static {
    /// Type name without the provider prefix.
    const NAME: &'static str;

    fn schema(&self) -> SchemaSpec;

    /// Cross-attribute checks on the configuration; values may still be unknown.
    fn validate(&self, _config: &Obj) -> Vec<OpError> {
        Vec::new()
    }

    /// Returns the whole object: the configuration's arguments plus the results.
    async fn read(&self, ctx: &ProviderData, config: &Obj) -> Result<Obj, OpError>;
}

pub struct DataSourceAdapter<D: DataSourceType> {
    data_source: Arc<D>,
    shared: Shared,
    spec: SchemaSpec,
}

impl<D: DataSourceType> DataSourceAdapter<D> {
    pub fn new(data_source: D, shared: Shared) -> Self {
        let spec = data_source.schema();
        DataSourceAdapter {
            data_source: Arc::new(data_source),
            shared,
            spec,
        }
    }

    fn check(&self, config: &Obj) -> Vec<OpError> {
        let mut errors = self.spec.check_attrs(config);
        errors.extend(self.data_source.validate(config));
        errors
    }
}

/// A data source type as the protocol server sees it.
#[async_trait]
pub trait DynamicDataSource: Send + Sync {
    fn spec(&self) -> &SchemaSpec;

    async fn validate(&self, diags: &mut Diagnostics, config: Dyn) -> Option<()>;

    async fn read(&self, diags: &mut Diagnostics, config: Dyn) -> Option<Dyn>;
}

#[async_trait]
impl<D: DataSourceType> DynamicDataSource for DataSourceAdapter<D> {
    fn spec(&self) -> &SchemaSpec {
        &self.spec
    }

    async fn validate(&self, diags: &mut Diagnostics, config: Dyn) -> Option<()> {
        let config = config.as_obj().cloned().unwrap_or_default();
        self.check(&config).iter().for_each(|e| report(diags, e));
        Some(())
    }

    async fn read(&self, diags: &mut Diagnostics, config: Dyn) -> Option<Dyn> {
        let config = config.as_obj().cloned().unwrap_or_default();
        let errors = self.check(&config);
        if !errors.is_empty() {
            errors.iter().for_each(|e| report(diags, e));
            return None;
        }
        let ctx = match self.shared.get() {
            Ok(ctx) => ctx,
            Err(e) => {
                report(diags, &e);
                return None;
            }
        };
        match with_warnings(diags, self.data_source.read(&ctx, &config)).await {
            Ok(state) => Some(Dyn::Object(self.spec.normalize(state))),
            Err(e) => {
                report(
                    diags,
                    &e.context(&format!("Reading data source {}", D::NAME)),
                );
                None
            }
        }
    }
}
