//! (being written)

use tf_provider::DynamicDataSource;

use crate::context::Shared;

/// The data source types this module defines.
pub fn data_sources(_shared: &Shared) -> Vec<(String, Box<dyn DynamicDataSource>)> {
    Vec::new()
}
