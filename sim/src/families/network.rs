//! Private networks (`/v1/{slug}/network/network*`).

use serde_json::{json, Value};

use super::{located, Route};
use crate::http::{msg_err, ok, Req, Resp};
use crate::state::{Alloc, Loc, SimState};
use crate::util;

pub struct Network {
    pub uuid: String,
    pub name: String,
    /// `10.a.b` (the /24 prefix)
    pub prefix: String,
    pub created_at: String,
    pub updated_at: String,
    pub is_default: bool,
    pub vm_uuids: Vec<String>,
    /// Other resources holding an address here (load balancers, service packages).
    pub other_resources: Vec<String>,
    next_host: u32,
}

impl Network {
    pub fn new(name: &str, al: &mut Alloc, is_default: bool) -> Network {
        let now = util::ts();
        Network {
            uuid: util::uuid_v4(),
            name: name.to_string(),
            prefix: al.subnet(),
            created_at: now.clone(),
            updated_at: now,
            is_default,
            vm_uuids: Vec::new(),
            other_resources: Vec::new(),
            next_host: 10,
        }
    }

    /// Next free private address in this network.
    pub fn alloc_ip(&mut self) -> String {
        let h = self.next_host;
        self.next_host = if h >= 250 { 10 } else { h + 1 };
        format!("{}.{}", self.prefix, h)
    }

    pub fn to_json(&self) -> Value {
        json!({
            "subnet": format!("{}.0/24", self.prefix),
            "subnet_ipv6": "",
            "name": self.name,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "uuid": self.uuid,
            "type": "private",
            "is_default": self.is_default,
            "vm_uuids": self.vm_uuids,
            "resources_count": self.vm_uuids.len() + self.other_resources.len(),
        })
    }
}

/// The location's default network, created (as "Default network") when none exists.
/// Returns its index in `loc.networks`.
pub fn ensure_default(loc: &mut Loc, al: &mut Alloc) -> usize {
    if let Some(i) = loc.networks.iter().position(|n| n.is_default) {
        return i;
    }
    if loc.networks.is_empty() {
        loc.networks.push(Network::new("Default network", al, true));
        return loc.networks.len() - 1;
    }
    // Networks exist but none is default (cannot normally happen): promote the first.
    loc.networks[0].is_default = true;
    0
}

/// Remove a resource (VM or other) from whatever network holds it.
pub fn detach_resource(loc: &mut Loc, uuid: &str) {
    for n in &mut loc.networks {
        n.vm_uuids.retain(|u| u != uuid);
        n.other_resources.retain(|u| u != uuid);
    }
}

pub const INVALID: &str = "Network UUID is invalid.";

pub fn route(method: &str, segs: &[&str]) -> Option<Route> {
    match (method, segs) {
        ("GET", ["network", "networks"]) => located(list),
        ("POST", ["network", "network"]) => located(create),
        ("GET", ["network", "network", id]) => {
            let id = id.to_string();
            located(move |st, rq| get(st, rq, &id))
        }
        ("PATCH", ["network", "network", id]) => {
            let id = id.to_string();
            located(move |st, rq| rename(st, rq, &id))
        }
        ("DELETE", ["network", "network", id]) => {
            let id = id.to_string();
            located(move |st, rq| delete(st, rq, &id))
        }
        ("PUT", ["network", "network", id, "default"]) => {
            let id = id.to_string();
            located(move |st, rq| set_default(st, rq, &id))
        }
        _ => None,
    }
}

fn list(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return ok(json!([]));
    };
    let loc = acc.loc(&rq.slug);
    ok(Value::Array(
        loc.networks.iter().map(|n| n.to_json()).collect(),
    ))
}

fn find<'a>(loc: &'a mut Loc, id: &str) -> Option<&'a mut Network> {
    loc.networks
        .iter_mut()
        .find(|n| n.uuid.eq_ignore_ascii_case(id))
}

fn get(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(400, INVALID);
    };
    match find(acc.loc(&rq.slug), id) {
        Some(n) => ok(n.to_json()),
        None => msg_err(400, INVALID),
    }
}

fn create(st: &mut SimState, rq: &Req) -> Resp {
    let Some((acc, al)) = st.split(&rq.key) else {
        return msg_err(400, INVALID);
    };
    let loc = acc.loc(&rq.slug);
    let name = rq.q("name").map(str::trim).filter(|n| !n.is_empty());
    match name {
        None => {
            let i = ensure_default(loc, al);
            ok(loc.networks[i].to_json())
        }
        Some(name) => {
            if name.chars().count() > 64 {
                return msg_err(400, "Network name is too long.");
            }
            let first = loc.networks.is_empty();
            loc.networks.push(Network::new(name, al, first));
            ok(loc.networks[loc.networks.len() - 1].to_json())
        }
    }
}

fn rename(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(400, INVALID);
    };
    let body = rq.jobj();
    let Some(n) = find(acc.loc(&rq.slug), id) else {
        return msg_err(400, INVALID);
    };
    match body.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => {
            n.name = s.clone();
            n.updated_at = util::ts();
            ok(n.to_json())
        }
        Some(_) => msg_err(400, "Network name must be a non-empty string."),
        None => ok(n.to_json()),
    }
}

fn set_default(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(400, INVALID);
    };
    let loc = acc.loc(&rq.slug);
    if find(loc, id).is_none() {
        return msg_err(400, INVALID);
    }
    let now = util::ts();
    let mut out = Value::Null;
    for n in &mut loc.networks {
        let is = n.uuid.eq_ignore_ascii_case(id);
        if n.is_default != is {
            n.is_default = is;
            n.updated_at = now.clone();
        }
        if is {
            out = n.to_json();
        }
    }
    ok(out)
}

fn delete(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(400, INVALID);
    };
    let loc = acc.loc(&rq.slug);
    let Some(n) = find(loc, id) else {
        return msg_err(400, INVALID);
    };
    if n.is_default {
        return msg_err(
            400,
            "Default network cannot be deleted. Set another network as default first.",
        );
    }
    if !n.vm_uuids.is_empty() || !n.other_resources.is_empty() {
        return msg_err(
            400,
            "Network cannot be deleted, because it has resources attached to it.",
        );
    }
    let uuid = n.uuid.clone();
    loc.networks.retain(|n| n.uuid != uuid);
    Resp {
        status: 200,
        body: None,
        headers: Vec::new(),
    }
}
