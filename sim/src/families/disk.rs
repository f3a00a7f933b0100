//! Placeholder, implemented in a later phase.

use super::Route;

pub struct Disk {}

pub fn route(_method: &str, _segs: &[&str]) -> Option<Route> {
    None
}
