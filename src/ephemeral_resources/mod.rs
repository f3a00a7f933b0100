//! Ephemeral resources (`ephemeral` blocks, Terraform 1.10+), one module each: a
//! value for one run that never reaches a plan or the state. Each implements
//! `framework::EphemeralResourceType`; the framework supplies validation, defaults
//! and the private bytes that carry what a close cleans up.

mod s3_credential;
mod service_package_credentials;
mod vm_password;

use std::collections::HashMap;

use crate::context::{ProviderData, Shared};
use crate::framework::{DynamicEphemeralResource, EphemeralAdapter, EphemeralResourceType};

pub use s3_credential::S3Credential;
pub use service_package_credentials::ServicePackageCredentials;
pub use vm_password::{generate_password, PasswordRule, VmPassword};

fn register<E: EphemeralResourceType<Platform = ProviderData>>(
    ephemeral: E,
    shared: &Shared,
) -> (String, Box<dyn DynamicEphemeralResource>) {
    (
        E::NAME.to_owned(),
        Box::new(EphemeralAdapter::new(ephemeral, shared.clone())),
    )
}

/// Every ephemeral resource type, keyed by its name without the provider prefix.
pub fn all(shared: &Shared) -> HashMap<String, Box<dyn DynamicEphemeralResource>> {
    HashMap::from([
        register(S3Credential, shared),
        register(ServicePackageCredentials, shared),
        register(VmPassword, shared),
    ])
}
