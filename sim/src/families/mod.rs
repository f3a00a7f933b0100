//! Resource families. Each module exposes `route(method, segments)` returning the handler
//! for a request path (segments after `/v1` and the optional location slug).

pub mod billing;
pub mod charging;
pub mod config;
pub mod disk;
pub mod firewall;
pub mod floating_ip;
pub mod load_balancer;
pub mod network;
pub mod service;
pub mod ssh_key;
pub mod storage;
pub mod user;
pub mod vm;

use crate::http::{Req, Resp};
use crate::state::SimState;

pub type Handler = Box<dyn FnOnce(&mut SimState, &Req) -> Resp + Send>;

/// A matched route: whether it is location-scoped, and its handler.
pub struct Route {
    pub scoped: bool,
    pub handler: Handler,
}

/// A location-scoped route (`/v1/{slug}/...` or `/v1/...` for the default location).
pub fn located(f: impl FnOnce(&mut SimState, &Req) -> Resp + Send + 'static) -> Option<Route> {
    Some(Route {
        scoped: true,
        handler: Box::new(f),
    })
}

/// A global route (never under a location slug).
pub fn global(f: impl FnOnce(&mut SimState, &Req) -> Resp + Send + 'static) -> Option<Route> {
    Some(Route {
        scoped: false,
        handler: Box::new(f),
    })
}

/// Find the route for a request.
pub fn route(method: &str, segs: &[&str]) -> Option<Route> {
    config::route(method, segs)
        .or_else(|| billing::route(method, segs))
        .or_else(|| charging::route(method, segs))
        .or_else(|| user::route(method, segs))
        .or_else(|| vm::route(method, segs))
        .or_else(|| network::route(method, segs))
        .or_else(|| floating_ip::route(method, segs))
        .or_else(|| disk::route(method, segs))
        .or_else(|| storage::route(method, segs))
        .or_else(|| firewall::route(method, segs))
        .or_else(|| load_balancer::route(method, segs))
        .or_else(|| service::route(method, segs))
        .or_else(|| ssh_key::route(method, segs))
}
