//! Placeholder, implemented in a later phase.

use super::Route;

pub struct Firewall {
    pub vms: Vec<String>,
}

impl Firewall {
    pub fn unassign_vm(&mut self, vm: &str) {
        self.vms.retain(|v| v != vm);
    }
}

pub fn route(_method: &str, _segs: &[&str]) -> Option<Route> {
    None
}
