//! Placeholder, implemented in a later phase.

use super::Route;

pub struct LoadBalancer {
    pub uuid: String,
    pub private_address: String,
    pub targets: Vec<String>,
}

impl LoadBalancer {
    pub fn remove_target(&mut self, vm: &str) {
        self.targets.retain(|v| v != vm);
    }
}

pub fn route(_method: &str, _segs: &[&str]) -> Option<Route> {
    None
}
