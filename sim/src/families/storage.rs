//! Placeholder, implemented in a later phase.

use super::Route;

pub struct Bucket {}
pub struct S3Key {}

pub fn route(_method: &str, _segs: &[&str]) -> Option<Route> {
    None
}

pub fn put_objects(
    _st: &mut crate::state::SimState,
    _name: &str,
    _count: i64,
    _size: i64,
) -> crate::http::Resp {
    crate::http::msg_err(404, "Bucket not found.")
}
