//! Data sources, one module each.

mod billing_accounts;
mod boot_images;
mod cost;
mod host_pools;
mod locations;
pub(crate) mod lookup;
mod lookup_words;
mod storage;
mod vm_images;
mod vm_snapshots;

use std::collections::HashMap;

use crate::framework::DynamicDataSource;

use crate::context::{ProviderData, Shared};
use crate::framework::resource::LOCATION;
use crate::framework::{Attr, DataSourceAdapter, DataSourceType, OpError, Ty, Validator};

pub use boot_images::BootImages;
pub use host_pools::HostPools;
pub use locations::Locations;
pub use vm_images::VmImages;

pub(crate) use storage::s3_url;

/// `location`, a data source's argument: what it is (`slug`: "Location slug of
/// the VM"), and that it defaults as every location does.
pub(crate) fn location_argument(slug: &str) -> Attr {
    Attr::optional_computed(LOCATION, Ty::String)
        .desc(format!(
            "{slug}; defaults to the provider's `location`, else the account's default location."
        ))
        .validate(Validator::NotEmpty)
}

/// `name_regex`, the argument that filters by name what a data source or list
/// resource lists (the plural lookups', the list resources',
/// `idcloudhost_boot_images`'): optional, checked as a regular expression at
/// plan time (`name_matches` reads it); `description` says what it matches.
pub(crate) fn name_regex_argument(description: impl Into<String>) -> Attr {
    Attr::optional(lookup::NAME_REGEX, Ty::String)
        .desc(description)
        .validate(Validator::Regex)
}

/// Whether a name matches the configured `name_regex` (`name_regex_argument`):
/// every name does when it is unset. An invalid one is an error on that
/// attribute, as its validator (`Validator::Regex`) says at plan time.
pub(crate) fn name_matches(name_regex: Option<&str>) -> Result<impl Fn(&str) -> bool, OpError> {
    let pattern = name_regex
        .map(regex::Regex::new)
        .transpose()
        .map_err(|e| OpError::invalid(lookup::NAME_REGEX, e.to_string()))?;
    Ok(move |name: &str| pattern.as_ref().is_none_or(|re| re.is_match(name)))
}

/// A registry entry: each module's `data_sources` lists its types with this.
pub(crate) fn register<D: DataSourceType<Platform = ProviderData>>(
    data_source: D,
    shared: &Shared,
) -> (String, Box<dyn DynamicDataSource>) {
    (
        D::NAME.to_owned(),
        Box::new(DataSourceAdapter::new(data_source, shared.clone())),
    )
}

/// Every data source type, keyed by its name without the provider prefix: each
/// module registers its own (the lookups, generated per resource type, two each).
pub fn all(shared: &Shared) -> HashMap<String, Box<dyn DynamicDataSource>> {
    [
        locations::data_sources,
        vm_images::data_sources,
        boot_images::data_sources,
        host_pools::data_sources,
        billing_accounts::data_sources,
        vm_snapshots::data_sources,
        cost::data_sources,
        storage::data_sources,
        lookup::data_sources,
    ]
    .into_iter()
    .flat_map(|family| family(shared))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_source_has_a_state_struct_matching_its_schema() {
        let data_sources = all(&Shared::default());
        assert!(
            data_sources.len() >= 27,
            "{} data source types",
            data_sources.len()
        );
        let mismatches: Vec<String> = data_sources
            .iter()
            .filter_map(|(name, ds)| {
                ds.state_matches_schema()
                    .err()
                    .map(|e| format!("{name}: {e}"))
            })
            .collect();
        assert!(mismatches.is_empty(), "{mismatches:#?}");
    }

    #[test]
    fn name_regex_matches_anywhere_in_a_name_and_every_name_when_unset() {
        let matches = name_matches(Some("web-")).unwrap();
        assert!(matches("web-1") && matches("old-web-1"));
        assert!(!matches("db-1"));
        let every = name_matches(None).unwrap();
        assert!(every("db-1") && every(""));
        let Err(invalid) = name_matches(Some("web-(")) else {
            panic!("an invalid regular expression is an error");
        };
        assert_eq!(invalid.attr, lookup::NAME_REGEX);
        let arg = name_regex_argument("Only what matches.");
        assert_eq!(arg.name, lookup::NAME_REGEX);
        assert!(matches!(arg.validators.as_slice(), [Validator::Regex]));
    }
}
