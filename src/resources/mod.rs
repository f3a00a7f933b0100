//! Managed resources, one module each. A resource implements
//! `framework::ResourceType` (schema, API mapping, special cases); the framework
//! supplies the plan logic, timeouts, location and billing-account defaults.

pub mod common;
mod network;

use std::collections::HashMap;

use tf_provider::DynamicResource;

use crate::context::Shared;
use crate::framework::{Managed, ResourceType};

fn entry<R: ResourceType>(resource: R, shared: &Shared) -> (String, Box<dyn DynamicResource>) {
    (
        R::NAME.to_owned(),
        Box::new(Managed::new(resource, shared.clone())),
    )
}

/// Every resource type, keyed by its name without the provider prefix.
pub fn all(shared: &Shared) -> HashMap<String, Box<dyn DynamicResource>> {
    HashMap::from([entry(network::NetworkResource, shared)])
}
