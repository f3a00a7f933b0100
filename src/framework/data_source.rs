//! Data sources: a schema, optional cross-attribute checks, and a read.

use std::sync::Arc;

use async_trait::async_trait;

use super::error::{Diagnostics, OpError};
use super::resource::{report, with_warnings};
use super::schema::SchemaSpec;
use super::value::{Dyn, Obj};
use crate::context::{ProviderData, Shared};

/// The configuration's problems, as the data-source and list adapters check it:
/// every attribute validator of `spec`, then the type's own cross-attribute checks.
pub(crate) fn config_errors(spec: &SchemaSpec, config: &Obj, own: Vec<OpError>) -> Vec<OpError> {
    let mut errors = spec.check_attrs(config);
    errors.extend(own);
    errors
}

/// Where a data-source read and a list start: the configuration's problems
/// reported, then the configured provider's data; `None` after an error diagnostic.
pub(crate) fn checked_context(
    diags: &mut Diagnostics,
    errors: Vec<OpError>,
    shared: &Shared,
) -> Option<Arc<ProviderData>> {
    if !errors.is_empty() {
        errors.iter().for_each(|e| report(diags, e));
        return None;
    }
    match shared.get() {
        Ok(ctx) => Some(ctx),
        Err(e) => {
            report(diags, &e);
            None
        }
    }
}

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
        config_errors(&self.spec, config, self.data_source.validate(config))
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
        let ctx = checked_context(diags, self.check(&config), &self.shared)?;
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
