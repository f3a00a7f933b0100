//! Terraform provider for the IDCloudHost cloud API and its sister brands
//! (elastis.id, 3nv.io). Layers, data flowing one way: provider configuration →
//! API client (`api`) → typed models (`api::models`) → resources and data sources,
//! whose shared plan logic lives in `framework`.

pub mod actions;
pub mod api;
pub mod cancel;
pub mod context;
pub mod data_sources;
pub mod ephemeral_resources;
pub mod framework;
pub mod list_resources;
pub mod logging;
pub mod migrate;
pub mod platform;
pub mod protocol;
pub mod provider;
pub mod resources;
pub mod version;

pub use provider::IdcloudhostProvider;
