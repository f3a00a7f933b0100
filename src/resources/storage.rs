//! (being written)

use tf_provider::DynamicResource;

use crate::context::Shared;

/// The resource types this module defines.
pub fn resources(_shared: &Shared) -> Vec<(String, Box<dyn DynamicResource>)> {
    Vec::new()
}
