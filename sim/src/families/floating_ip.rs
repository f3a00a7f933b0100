//! Floating IPs (`/v1/{slug}/network/ip_addresses*`), addressed by their IPv4 address.

use serde_json::{json, Map, Value};

use super::{located, Route};
use crate::http::{field_err, json_int, msg_err, ok, Errs, Req, Resp, MISSING, NOT_INT};
use crate::state::{Account, Alloc, SimState};
use crate::util;

pub struct FloatingIp {
    pub id: i64,
    pub uuid: String,
    pub address: String,
    pub name: String,
    pub billing_account_id: i64,
    pub created_at: String,
    pub updated_at: String,
    pub assigned_to: Option<String>,
    pub assigned_type: Option<String>,
    pub assigned_private_ip: Option<String>,
    pub unassigned_at: Option<String>,
}

pub const TYPE_VM: &str = "virtual_machine";
pub const TYPE_LB: &str = "load_balancer";
pub const TYPE_SERVICE: &str = "service";

impl FloatingIp {
    pub fn new(al: &mut Alloc, slug: &str, name: &str, billing: i64) -> FloatingIp {
        let now = util::ts();
        FloatingIp {
            id: al.next_id(),
            uuid: util::uuid_v4(),
            address: al.public_ip(slug),
            name: name.to_string(),
            billing_account_id: billing,
            created_at: now.clone(),
            updated_at: now,
            assigned_to: None,
            assigned_type: None,
            assigned_private_ip: None,
            unassigned_at: None,
        }
    }

    pub fn assign(&mut self, to: &str, kind: &str, private_ip: Option<String>) {
        self.assigned_to = Some(to.to_string());
        self.assigned_type = Some(kind.to_string());
        self.assigned_private_ip = private_ip;
        self.updated_at = util::ts();
    }

    pub fn unassign(&mut self) {
        self.assigned_to = None;
        self.assigned_type = None;
        self.assigned_private_ip = None;
        let now = util::ts();
        self.unassigned_at = Some(now.clone());
        self.updated_at = now;
    }

    pub fn to_json(&self, user_id: i64) -> Value {
        json!({
            "id": self.id,
            "uuid": self.uuid,
            "address": self.address,
            "user_id": user_id,
            "billing_account_id": self.billing_account_id,
            "type": "public",
            "network_id": null,
            "name": self.name,
            "enabled": true,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "unassigned_at": self.unassigned_at,
            "is_deleted": false,
            "is_virtual": false,
            "assigned_to": self.assigned_to,
            "assigned_to_resource_type": self.assigned_type,
            "assigned_to_private_ip": self.assigned_private_ip,
        })
    }
}

/// Unassign every floating IP held by a resource (it stays reserved and billed).
pub fn release_all(acc: &mut Account, slug: &str, resource: &str) {
    for ip in &mut acc.loc(slug).floating_ips {
        if ip.assigned_to.as_deref() == Some(resource) {
            ip.unassign();
        }
    }
}

/// The private address of an assignable resource, if it exists in the location.
fn target_private_ip(acc: &mut Account, slug: &str, kind: &str, uuid: &str) -> Option<String> {
    match kind {
        TYPE_VM => acc
            .loc(slug)
            .vms
            .iter()
            .find(|v| v.uuid.eq_ignore_ascii_case(uuid))
            .map(|v| v.private_ipv4.clone()),
        TYPE_LB => acc
            .loc(slug)
            .load_balancers
            .iter()
            .find(|l| l.uuid.eq_ignore_ascii_case(uuid))
            .map(|l| l.private_address.clone()),
        TYPE_SERVICE => acc
            .services
            .iter()
            .find(|s| s.uuid.eq_ignore_ascii_case(uuid) && s.location == slug && !s.deleted)
            .map(|s| s.private_ip.clone()),
        _ => None,
    }
}

pub fn route(method: &str, segs: &[&str]) -> Option<Route> {
    match (method, segs) {
        ("GET", ["network", "ip_addresses"]) => located(list),
        ("POST", ["network", "ip_addresses"]) => located(create),
        ("GET", ["network", "ip_addresses", a]) => {
            let a = a.to_string();
            located(move |st, rq| get(st, rq, &a))
        }
        ("PATCH", ["network", "ip_addresses", a]) => {
            let a = a.to_string();
            located(move |st, rq| update(st, rq, &a))
        }
        ("DELETE", ["network", "ip_addresses", a]) => {
            let a = a.to_string();
            located(move |st, rq| delete(st, rq, &a))
        }
        ("POST", ["network", "ip_addresses", a, "assign"]) => {
            let a = a.to_string();
            located(move |st, rq| assign(st, rq, &a))
        }
        ("POST", ["network", "ip_addresses", a, "unassign"]) => {
            let a = a.to_string();
            located(move |st, rq| unassign(st, rq, &a))
        }
        _ => None,
    }
}

const NOT_FOUND: &str = "Floating IP not found.";

fn list(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return ok(json!([]));
    };
    let user_id = acc.user_id;
    let billing = match rq.q("billing_account_id").filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => match v.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => return field_err("billing_account_id", NOT_INT),
        },
    };
    let vm = rq
        .q("vm_uuid")
        .filter(|v| !v.is_empty())
        .map(|v| v.to_ascii_lowercase());
    let out: Vec<Value> = acc
        .loc(&rq.slug)
        .floating_ips
        .iter()
        .filter(|ip| billing.is_none_or(|b| ip.billing_account_id == b))
        .filter(|ip| {
            vm.as_deref().is_none_or(|v| {
                ip.assigned_type.as_deref() == Some(TYPE_VM) && ip.assigned_to.as_deref() == Some(v)
            })
        })
        .map(|ip| ip.to_json(user_id))
        .collect();
    ok(Value::Array(out))
}

fn body_or_err(rq: &Req) -> Result<Map<String, Value>, Resp> {
    if rq.json_invalid {
        return Err(msg_err(400, "Request body is not valid JSON."));
    }
    Ok(rq.jobj())
}

fn create(st: &mut SimState, rq: &Req) -> Resp {
    let body = match body_or_err(rq) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some((acc, al)) = st.split(&rq.key) else {
        return msg_err(400, NOT_FOUND);
    };
    let mut errs = Errs::default();
    let billing = match body.get("billing_account_id") {
        None | Some(Value::Null) => {
            errs.add("billing_account_id", MISSING);
            0
        }
        Some(v) => match json_int(v) {
            Some(n) => n,
            None => {
                errs.add("billing_account_id", NOT_INT);
                0
            }
        },
    };
    let name = match body.get("name") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            errs.add("name", "Not a valid string.");
            String::new()
        }
    };
    if !errs.is_empty() {
        return errs.into_resp();
    }
    if !acc.has_billing(billing) {
        return msg_err(400, "Billing account not found.");
    }
    let user_id = acc.user_id;
    let ip = FloatingIp::new(al, &rq.slug, &name, billing);
    let out = ip.to_json(user_id);
    acc.loc(&rq.slug).floating_ips.push(ip);
    ok(out)
}

fn get(st: &mut SimState, rq: &Req, addr: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let user_id = acc.user_id;
    match acc
        .loc(&rq.slug)
        .floating_ips
        .iter()
        .find(|ip| ip.address == addr)
    {
        Some(ip) => ok(ip.to_json(user_id)),
        None => msg_err(404, NOT_FOUND),
    }
}

fn update(st: &mut SimState, rq: &Req, addr: &str) -> Resp {
    let body = match body_or_err(rq) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let user_id = acc.user_id;
    let mut billing = None;
    if let Some(v) = body.get("billing_account_id").filter(|v| !v.is_null()) {
        match json_int(v) {
            Some(n) if acc.has_billing(n) => billing = Some(n),
            Some(_) => return msg_err(400, "Billing account not found."),
            None => return field_err("billing_account_id", NOT_INT),
        }
    }
    let name = match body.get("name") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return field_err("name", "Not a valid string."),
    };
    let Some(ip) = acc
        .loc(&rq.slug)
        .floating_ips
        .iter_mut()
        .find(|ip| ip.address == addr)
    else {
        return msg_err(404, NOT_FOUND);
    };
    if let Some(n) = name {
        ip.name = n;
    }
    if let Some(b) = billing {
        ip.billing_account_id = b;
    }
    ip.updated_at = util::ts();
    ok(ip.to_json(user_id))
}

fn delete(st: &mut SimState, rq: &Req, addr: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let loc = acc.loc(&rq.slug);
    let Some(ip) = loc.floating_ips.iter().find(|ip| ip.address == addr) else {
        return msg_err(404, NOT_FOUND);
    };
    if ip.assigned_to.is_some() {
        return msg_err(
            400,
            "Floating IP is assigned to a resource. Unassign it before deleting.",
        );
    }
    loc.floating_ips.retain(|ip| ip.address != addr);
    Resp {
        status: 200,
        body: None,
        headers: Vec::new(),
    }
}

fn assign(st: &mut SimState, rq: &Req, addr: &str) -> Resp {
    let body = match body_or_err(rq) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let user_id = acc.user_id;
    let str_of = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .map(|s| s.trim().to_ascii_lowercase())
            .filter(|s| !s.is_empty())
    };
    let (target, kind) = if let Some(vm) = str_of("vm_uuid") {
        (vm, TYPE_VM.to_string())
    } else if let Some(t) = str_of("assigned_to") {
        let kind = str_of("assigned_to_resource_type").unwrap_or_else(|| TYPE_VM.to_string());
        if ![TYPE_VM, TYPE_LB, TYPE_SERVICE].contains(&kind.as_str()) {
            return field_err(
                "assigned_to_resource_type",
                "Must be one of: virtual_machine, service, load_balancer.",
            );
        }
        (t, kind)
    } else {
        return field_err("vm_uuid", MISSING);
    };
    if !acc
        .loc(&rq.slug)
        .floating_ips
        .iter()
        .any(|ip| ip.address == addr)
    {
        return msg_err(404, NOT_FOUND);
    }
    let Some(private_ip) = target_private_ip(acc, &rq.slug, &kind, &target) else {
        return msg_err(
            404,
            match kind.as_str() {
                TYPE_LB => "Load balancer not found.",
                TYPE_SERVICE => "Service not found.",
                _ => "Virtual machine not found.",
            },
        );
    };
    let loc = acc.loc(&rq.slug);
    if loc
        .floating_ips
        .iter()
        .any(|ip| ip.address != addr && ip.assigned_to.as_deref() == Some(target.as_str()))
    {
        return msg_err(400, "The resource already has a floating IP assigned.");
    }
    let Some(ip) = loc.floating_ips.iter_mut().find(|ip| ip.address == addr) else {
        return msg_err(404, NOT_FOUND);
    };
    if let Some(cur) = &ip.assigned_to {
        if cur != &target {
            return msg_err(400, "Floating IP is already assigned to another resource.");
        }
    }
    ip.assign(&target, &kind, Some(private_ip));
    ok(ip.to_json(user_id))
}

fn unassign(st: &mut SimState, rq: &Req, addr: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let user_id = acc.user_id;
    let Some(ip) = acc
        .loc(&rq.slug)
        .floating_ips
        .iter_mut()
        .find(|ip| ip.address == addr)
    else {
        return msg_err(404, NOT_FOUND);
    };
    if ip.assigned_to.is_some() {
        ip.unassign();
    }
    ok(ip.to_json(user_id))
}
