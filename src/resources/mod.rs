//! Managed resources, one module each. A resource implements
//! `framework::ResourceType` (schema, API mapping, special cases); the framework
//! supplies the plan logic, timeouts, location and billing-account defaults.

pub mod common;
pub(crate) mod cost;
pub(crate) mod disk;
pub(crate) mod firewall;
pub(crate) mod floating_ip;
pub(crate) mod load_balancer;
pub(crate) mod network;
pub(crate) mod service_package;
pub(crate) mod ssh_key;
pub(crate) mod storage;
pub mod vm;
pub(crate) mod vm_day2;
pub(crate) mod vm_snapshot;

use std::collections::HashMap;

use crate::framework::DynamicResource;

use crate::context::{ProviderData, Shared};
use crate::framework::{Managed, ResourceType};

/// Every resource type, keyed by its name without the provider prefix.
pub fn all(shared: &Shared) -> HashMap<String, Box<dyn DynamicResource>> {
    let mut map = HashMap::from([
        register(network::NetworkResource, shared),
        register(vm::VmResource, shared),
    ]);
    // Each family module registers its own resource types.
    for family in [
        floating_ip::resources,
        disk::resources,
        storage::resources,
        firewall::resources,
        load_balancer::resources,
        service_package::resources,
        ssh_key::resources,
        vm_snapshot::resources,
    ] {
        map.extend(family(shared));
    }
    map
}

/// A registry entry: the type's name and its adapter (`all`, and the family
/// modules' `resources`).
pub(crate) fn register<R: ResourceType<Platform = ProviderData>>(
    resource: R,
    shared: &Shared,
) -> (String, Box<dyn DynamicResource>) {
    (
        R::NAME.to_owned(),
        Box::new(Managed::new(resource, shared.clone())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::typed::fields_match;
    use crate::framework::Field;

    #[test]
    fn state_structs_never_debug_print_their_secrets() {
        let vm = crate::resources::vm::VmState {
            name: Some("web".into()),
            password: Some("Hunter2pass".into()),
            cloud_init: Some("#cloud-config\nchpasswd: x".into()),
            public_keys: Some(vec!["-----BEGIN OPENSSH PRIVATE KEY-----".into()]),
            ..Default::default()
        };
        let service = crate::resources::service_package::ServicePackageState {
            password: Field::Known("dbSecret99".into()),
            ..Default::default()
        };
        let s3 = crate::resources::storage::S3CredentialState {
            secret_key: Field::Known("s3SecretKey".into()),
            ..Default::default()
        };
        let printed = format!("{vm:?} {service:?} {s3:?} {vm:#?}");
        for secret in ["Hunter2", "chpasswd", "PRIVATE", "dbSecret", "s3Secret"] {
            assert!(!printed.contains(secret), "{secret} in {printed}");
        }
        assert!(
            printed.contains("\"web\"") && printed.contains("***"),
            "{printed}"
        );
    }

    /// Every registered resource type has a state struct (`ResourceType::State`)
    /// whose fields are exactly its schema's attribute and block names.
    #[test]
    fn every_resource_has_a_state_struct_matching_its_schema() {
        let resources = all(&Shared::default());
        assert!(resources.len() >= 14, "{} resource types", resources.len());
        let mismatches: Vec<String> = resources
            .iter()
            .filter_map(|(name, r)| {
                fields_match(r.state_fields(), r.spec())
                    .err()
                    .map(|e| format!("{name}: {e}"))
            })
            .collect();
        assert!(mismatches.is_empty(), "{mismatches:#?}");
    }

    /// A resource's configuration view (`ResourceType::Config`) names only its
    /// schema's attributes and blocks: a misspelt field would read as null and
    /// its check never run.
    #[test]
    fn every_resource_has_a_config_view_within_its_schema() {
        let mismatches: Vec<String> = all(&Shared::default())
            .iter()
            .filter_map(|(name, r)| {
                r.config_view_matches()
                    .err()
                    .map(|e| format!("{name}: {e}"))
            })
            .collect();
        assert!(mismatches.is_empty(), "{mismatches:#?}");
    }
}
