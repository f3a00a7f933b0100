//! The resource framework: dynamic values, declarative schemas, validators and the
//! plan/apply/read logic shared by every resource and data source. Generic: what
//! it needs of the platform (defaults, brand gating, prices, cancellation) it
//! asks through `Platform`, never by importing the API client or the provider's
//! data.

pub mod action;
pub mod command;
pub mod cost;
pub mod data_source;
pub mod ephemeral;
pub mod error;
pub mod identity;
pub mod list;
pub mod nested;
pub mod platform;
pub mod provider;
pub mod resource;
pub mod schema;
pub mod typed;
pub mod validate;
pub mod value;
pub mod warnings;

pub use action::{ActionAdapter, ActionType, DynamicAction, Progress};
pub use data_source::{DataSourceAdapter, DataSourceType, DynamicDataSource};
pub use ephemeral::{DynamicEphemeralResource, EphemeralAdapter, EphemeralResourceType, Opened};
pub use error::{Diagnostics, OpError, PathStep};
pub use identity::{Identity, IdentityAttr, IdentitySpec};
pub use list::{DynamicListResource, ListAdapter, ListResourceType, Listed};
pub use nested::Semantic;
pub use platform::{Platform, Shared};
pub use provider::ProviderType;
pub use resource::{
    track_created, ClientCapabilities, DynamicResource, Managed, Plan, ResourceType, Views,
};
pub use schema::{
    timeouts_block, write_only_version, Attr, BlockSpec, Mode, Nesting, SchemaSpec, Ty,
};
pub use typed::{
    from_config, from_state, non_empty, required, required_value, to_state, ty_of, Field, NoChecks,
    Timeouts,
};
pub use validate::Validator;
pub use value::{Dyn, Obj};
pub use warnings::warn;
