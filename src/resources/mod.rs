//! Managed resources, one module each.

use std::collections::HashMap;

use tf_provider::DynamicResource;

use crate::context::Shared;

/// Every resource type, keyed by its name without the provider prefix.
pub fn all(_shared: &Shared) -> HashMap<String, Box<dyn DynamicResource>> {
    HashMap::new()
}
