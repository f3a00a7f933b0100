//! The provider itself as the protocol server sees it: its configuration
//! schema, `configure`, and the registry of resource and data source types.

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;

use super::action::DynamicAction;
use super::data_source::DynamicDataSource;
use super::ephemeral::DynamicEphemeralResource;
use super::error::Diagnostics;
use super::list::DynamicListResource;
use super::resource::DynamicResource;
use super::schema::SchemaSpec;
use super::value::Dyn;

#[async_trait]
pub trait ProviderType: Send + Sync + 'static {
    fn schema(&self) -> SchemaSpec;

    /// Checks the `provider` block; values may still be unknown.
    fn validate(&self, _config: &Dyn) -> Diagnostics {
        Diagnostics::default()
    }

    /// Sets up what resources and data sources share (the API client).
    async fn configure(&self, diags: &mut Diagnostics, terraform_version: &str, config: Dyn);

    /// Terraform asked the provider to stop (`StopProvider`, Ctrl-C), or the
    /// process is ending: every wait in progress ends now.
    fn stop(&self) {}

    /// Resource types, keyed by name without the provider prefix.
    fn resources(&self) -> HashMap<String, Box<dyn DynamicResource>>;

    /// Data source types, keyed by name without the provider prefix.
    fn data_sources(&self) -> HashMap<String, Box<dyn DynamicDataSource>>;

    /// List resource types (`terraform query`), keyed by name without the
    /// provider prefix: each has the name of the resource type it lists.
    fn list_resources(&self) -> HashMap<String, Box<dyn DynamicListResource>> {
        HashMap::new()
    }

    /// Action types (Terraform 1.14+), keyed by name without the provider prefix.
    fn actions(&self) -> HashMap<String, Arc<dyn DynamicAction>> {
        HashMap::new()
    }

    /// Ephemeral resource types (`ephemeral` blocks), keyed by name without the
    /// provider prefix.
    fn ephemeral_resources(&self) -> HashMap<String, Box<dyn DynamicEphemeralResource>> {
        HashMap::new()
    }
}
