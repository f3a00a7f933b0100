//! Placeholder, implemented in a later phase.

use super::Route;

pub struct ServicePackage {
    pub uuid: String,
    pub location: String,
    pub deleted: bool,
    pub private_ip: String,
}

pub fn route(_method: &str, _segs: &[&str]) -> Option<Route> {
    None
}
