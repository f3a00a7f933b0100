//! What the framework needs of the platform a provider serves: the configured
//! provider's data, shared by every registered type (`Shared`).

use std::sync::{Arc, RwLock};

use super::error::OpError;

/// What `configure` produces, shared by every type registered before it: each
/// adapter holds a handle that configure fills.
pub struct Shared<P>(Arc<RwLock<Option<Arc<P>>>>);

impl<P> Clone for Shared<P> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<P> Default for Shared<P> {
    fn default() -> Self {
        Shared(Arc::new(RwLock::new(None)))
    }
}

impl<P> Shared<P> {
    pub fn set(&self, data: P) {
        *self.0.write().expect("provider data lock") = Some(Arc::new(data));
    }

    pub fn get(&self) -> Result<Arc<P>, OpError> {
        self.0.read().expect("provider data lock").clone().ok_or_else(|| {
            OpError::new("The provider is not configured")
                .detail("Terraform called the provider before configuring it, or its configuration failed.")
        })
    }
}
