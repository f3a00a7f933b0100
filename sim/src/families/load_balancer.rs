//! Network load balancers (`/v1/{slug}/network/load_balancers*`), JSON bodies, TCP only.

use serde_json::{json, Map, Value};

use super::floating_ip::{self, FloatingIp, TYPE_LB};
use super::{located, network, Route};
use crate::http::{field_err, json_int, msg_err, ok, Errs, Req, Resp, MISSING};
use crate::state::{Loc, SimState};
use crate::util;

pub struct FwdRule {
    pub uuid: String,
    pub source_port: i64,
    pub target_port: i64,
    pub created_at: String,
}

pub struct Target {
    pub vm: String,
    pub created_at: String,
}

pub struct LoadBalancer {
    pub uuid: String,
    pub display_name: String,
    pub network_uuid: String,
    pub billing_account_id: i64,
    pub created_at: String,
    pub updated_at: String,
    pub private_address: String,
    pub rules: Vec<FwdRule>,
    pub targets: Vec<Target>,
}

impl LoadBalancer {
    pub fn remove_target(&mut self, vm: &str) {
        self.targets.retain(|t| t.vm != vm);
    }

    fn target_json(t: &Target, loc: &Loc) -> Value {
        let ip = loc
            .vms
            .iter()
            .find(|v| v.uuid == t.vm)
            .map(|v| v.private_ipv4.clone());
        json!({
            "created_at": t.created_at,
            "target_uuid": t.vm,
            "target_type": "vm",
            "target_ip_address": ip,
        })
    }

    fn to_json(&self, loc: &Loc, user_id: i64) -> Value {
        json!({
            "uuid": self.uuid,
            "display_name": self.display_name,
            "network_uuid": self.network_uuid,
            "user_id": user_id,
            "billing_account_id": self.billing_account_id,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "is_deleted": false,
            "private_address": self.private_address,
            "forwarding_rules": self.rules.iter().map(|r| json!({
                "uuid": r.uuid,
                "protocol": "TCP",
                "created_at": r.created_at,
                "source_port": r.source_port,
                "target_port": r.target_port,
                "settings": {"connection_limit": 10000, "session_persistence": "SOURCE_IP"},
            })).collect::<Vec<_>>(),
            "targets": self.targets.iter().map(|t| Self::target_json(t, loc)).collect::<Vec<_>>(),
        })
    }
}

pub fn route(method: &str, segs: &[&str]) -> Option<Route> {
    let rest = match segs {
        ["network", "load_balancers", rest @ ..] => rest,
        _ => return None,
    };
    let owned: Vec<String> = rest.iter().map(|s| s.to_string()).collect();
    match (method, rest) {
        ("GET", []) => located(list),
        ("POST", []) => located(create),
        ("GET", [_]) => located(move |st, rq| get(st, rq, &owned[0])),
        ("PATCH", [_]) => located(move |st, rq| rename(st, rq, &owned[0])),
        ("DELETE", [_]) => located(move |st, rq| delete(st, rq, &owned[0])),
        ("POST", [_, "targets"]) => located(move |st, rq| add_target(st, rq, &owned[0])),
        ("DELETE", [_, "targets", _]) => {
            located(move |st, rq| remove_target(st, rq, &owned[0], &owned[2]))
        }
        ("POST", [_, "forwarding_rules"]) => located(move |st, rq| add_rule(st, rq, &owned[0])),
        ("DELETE", [_, "forwarding_rules", _]) => {
            located(move |st, rq| drop_rule(st, rq, &owned[0], &owned[2]))
        }
        ("PUT", [_, "billing_account"]) => located(move |st, rq| set_billing(st, rq, &owned[0])),
        _ => None,
    }
}

const NOT_FOUND: &str = "Load balancer not found.";

fn empty_200() -> Resp {
    Resp {
        status: 200,
        body: None,
        headers: Vec::new(),
    }
}

fn body(rq: &Req) -> Result<Map<String, Value>, Resp> {
    if rq.json_invalid {
        return Err(msg_err(400, "Request body is not valid JSON."));
    }
    Ok(rq.jobj())
}

fn find(loc: &Loc, id: &str) -> Option<usize> {
    loc.load_balancers
        .iter()
        .position(|l| l.uuid.eq_ignore_ascii_case(id))
}

/// The caller's location, the index of load balancer `id` in it and the caller's
/// user id; the API's 404 when either is missing.
fn locate<'a>(st: &'a mut SimState, rq: &Req, id: &str) -> Result<(&'a mut Loc, usize, i64), Resp> {
    let acc = st.account(&rq.key).ok_or_else(|| msg_err(404, NOT_FOUND))?;
    let user_id = acc.user_id;
    let loc = acc.loc(&rq.slug);
    let i = find(loc, id).ok_or_else(|| msg_err(404, NOT_FOUND))?;
    Ok((loc, i, user_id))
}

fn port(o: &Map<String, Value>, k: &str, errs: &mut Errs) -> Option<i64> {
    match o.get(k) {
        None | Some(Value::Null) => {
            errs.add(k, MISSING);
            None
        }
        Some(v) => match json_int(v) {
            Some(p) if (1..=65535).contains(&p) => Some(p),
            Some(_) => {
                errs.add(
                    k,
                    "Must be greater than or equal to 1 and less than or equal to 65535.",
                );
                None
            }
            None => {
                errs.add(k, "Not a valid integer.");
                None
            }
        },
    }
}

fn parse_rule(o: &Map<String, Value>) -> Result<(i64, i64), Resp> {
    let mut errs = Errs::default();
    if let Some(p) = o.get("protocol").and_then(Value::as_str) {
        if !p.eq_ignore_ascii_case("tcp") {
            errs.add("protocol", "Only TCP is supported.");
        }
    }
    let s = port(o, "source_port", &mut errs);
    let t = port(o, "target_port", &mut errs);
    match (s, t) {
        (Some(s), Some(t)) if errs.is_empty() => Ok((s, t)),
        _ => Err(errs.into_resp()),
    }
}

/// Validate a target; returns the VM uuid.
fn parse_target(o: &Map<String, Value>, loc: &Loc, network: &str) -> Result<String, Resp> {
    let mut errs = Errs::default();
    let uuid = o
        .get("target_uuid")
        .and_then(Value::as_str)
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty());
    if uuid.is_none() {
        errs.add("target_uuid", MISSING);
    }
    match o.get("target_type").and_then(Value::as_str) {
        None => errs.add("target_type", MISSING),
        Some("vm") => {}
        Some(_) => errs.add("target_type", "Must be one of: vm."),
    }
    if !errs.is_empty() {
        return Err(errs.into_resp());
    }
    let uuid = uuid.unwrap_or_default();
    match loc.vms.iter().find(|v| v.uuid == uuid) {
        None => Err(msg_err(404, format!("Virtual machine {uuid} not found."))),
        Some(v) if v.network_uuid != network => Err(msg_err(
            400,
            "Target virtual machine is not in the load balancer's network.",
        )),
        Some(_) => Ok(uuid),
    }
}

fn list(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return ok(json!([]));
    };
    let user_id = acc.user_id;
    let loc = acc.loc(&rq.slug);
    ok(Value::Array(
        loc.load_balancers
            .iter()
            .map(|l| l.to_json(loc, user_id))
            .collect(),
    ))
}

fn get(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let user_id = acc.user_id;
    let loc = acc.loc(&rq.slug);
    match find(loc, id) {
        Some(i) => ok(loc.load_balancers[i].to_json(loc, user_id)),
        None => msg_err(404, NOT_FOUND),
    }
}

fn create(st: &mut SimState, rq: &Req) -> Resp {
    let b = match body(rq) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some((acc, al)) = st.split(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let user_id = acc.user_id;
    let billing = match b.get("billing_account_id") {
        None | Some(Value::Null) => acc.default_billing_id(),
        Some(v) => match json_int(v) {
            Some(n) => n,
            None => return field_err("billing_account_id", "Not a valid integer."),
        },
    };
    if !acc.has_billing(billing) {
        return msg_err(400, "Billing account not found.");
    }
    let reserve = match b.get("reserve_public_ip") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(x)) => *x,
        Some(Value::String(s)) => match util::parse_bool(s) {
            Some(x) => x,
            None => return field_err("reserve_public_ip", "Not a valid boolean."),
        },
        Some(_) => return field_err("reserve_public_ip", "Not a valid boolean."),
    };
    let display_name = b
        .get("display_name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let slug = rq.slug.clone();
    let loc = acc.loc(&slug);
    let net_idx = match b.get("network_uuid").and_then(Value::as_str).map(str::trim) {
        Some(n) if !n.is_empty() => match loc
            .networks
            .iter()
            .position(|x| x.uuid.eq_ignore_ascii_case(n))
        {
            Some(i) => Some(i),
            None => return msg_err(400, network::INVALID),
        },
        _ => None,
    };
    let mut rules = Vec::new();
    match b.get("rules") {
        None | Some(Value::Null) => {}
        Some(Value::Array(a)) => {
            for r in a {
                let Some(o) = r.as_object() else {
                    return field_err("rules", "Not a valid rule object.");
                };
                match parse_rule(o) {
                    Ok((s, t)) => {
                        if rules.iter().any(|x: &FwdRule| x.source_port == s) {
                            return msg_err(400, format!("Duplicate source port {s}."));
                        }
                        rules.push(FwdRule {
                            uuid: util::uuid_v4(),
                            source_port: s,
                            target_port: t,
                            created_at: util::ts(),
                        })
                    }
                    Err(e) => return e,
                }
            }
        }
        Some(_) => return field_err("rules", "Not a valid list."),
    }
    // the network is decided before targets can be checked against it
    let net_uuid_pre = match net_idx {
        Some(i) => Some(loc.networks[i].uuid.clone()),
        None => loc
            .networks
            .iter()
            .find(|n| n.is_default)
            .map(|n| n.uuid.clone()),
    };
    let mut targets = Vec::new();
    match b.get("targets") {
        None | Some(Value::Null) => {}
        Some(Value::Array(a)) => {
            for t in a {
                let Some(o) = t.as_object() else {
                    return field_err("targets", "Not a valid target object.");
                };
                let net = net_uuid_pre.clone().unwrap_or_default();
                match parse_target(o, loc, &net) {
                    Ok(vm) => {
                        if !targets.iter().any(|x: &Target| x.vm == vm) {
                            targets.push(Target {
                                vm,
                                created_at: util::ts(),
                            });
                        }
                    }
                    Err(e) => return e,
                }
            }
        }
        Some(_) => return field_err("targets", "Not a valid list."),
    }
    let net_idx = match net_idx {
        Some(i) => i,
        None => network::ensure_default(loc, al),
    };
    let uuid = util::uuid_v4();
    let private_address = loc.networks[net_idx].alloc_ip();
    loc.networks[net_idx].other_resources.push(uuid.clone());
    let now = util::ts();
    let lb = LoadBalancer {
        uuid: uuid.clone(),
        display_name,
        network_uuid: loc.networks[net_idx].uuid.clone(),
        billing_account_id: billing,
        created_at: now.clone(),
        updated_at: now,
        private_address: private_address.clone(),
        rules,
        targets,
    };
    if reserve {
        let mut ip = FloatingIp::new(al, &slug, &lb.display_name, billing);
        ip.assign(&uuid, TYPE_LB, Some(private_address));
        loc.floating_ips.push(ip);
    }
    let out = lb.to_json(loc, user_id);
    loc.load_balancers.push(lb);
    ok(out)
}

fn rename(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let b = match body(rq) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let (loc, i, user_id) = match locate(st, rq, id) {
        Ok(found) => found,
        Err(resp) => return resp,
    };
    let Some(name) = b.get("display_name").and_then(Value::as_str) else {
        return field_err("display_name", MISSING);
    };
    let lb = &mut loc.load_balancers[i];
    lb.display_name = name.to_string();
    lb.updated_at = util::ts();
    ok(loc.load_balancers[i].to_json(loc, user_id))
}

fn delete(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let loc = acc.loc(&rq.slug);
    let Some(i) = find(loc, id) else {
        return msg_err(404, NOT_FOUND);
    };
    let lb = loc.load_balancers.remove(i);
    network::detach_resource(loc, &lb.uuid);
    floating_ip::release_all(acc, &rq.slug, &lb.uuid);
    empty_200()
}

fn add_target(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let b = match body(rq) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let (loc, i, _) = match locate(st, rq, id) {
        Ok(found) => found,
        Err(resp) => return resp,
    };
    let net = loc.load_balancers[i].network_uuid.clone();
    let vm = match parse_target(&b, loc, &net) {
        Ok(v) => v,
        Err(e) => return e,
    };
    if loc.load_balancers[i].targets.iter().any(|t| t.vm == vm) {
        return msg_err(409, "Target already exists on this load balancer.");
    }
    let t = Target {
        vm,
        created_at: util::ts(),
    };
    let out = LoadBalancer::target_json(&t, loc);
    let lb = &mut loc.load_balancers[i];
    lb.targets.push(t);
    lb.updated_at = util::ts();
    ok(out)
}

fn remove_target(st: &mut SimState, rq: &Req, id: &str, target: &str) -> Resp {
    let (loc, i, _) = match locate(st, rq, id) {
        Ok(found) => found,
        Err(resp) => return resp,
    };
    let lb = &mut loc.load_balancers[i];
    let before = lb.targets.len();
    lb.targets.retain(|t| !t.vm.eq_ignore_ascii_case(target));
    if lb.targets.len() == before {
        return msg_err(404, "Target not found.");
    }
    lb.updated_at = util::ts();
    empty_200()
}

fn add_rule(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let b = match body(rq) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let (loc, i, _) = match locate(st, rq, id) {
        Ok(found) => found,
        Err(resp) => return resp,
    };
    let (s, t) = match parse_rule(&b) {
        Ok(x) => x,
        Err(e) => return e,
    };
    let lb = &mut loc.load_balancers[i];
    if lb.rules.iter().any(|r| r.source_port == s) {
        return msg_err(
            409,
            format!("A forwarding rule for source port {s} already exists."),
        );
    }
    lb.rules.push(FwdRule {
        uuid: util::uuid_v4(),
        source_port: s,
        target_port: t,
        created_at: util::ts(),
    });
    lb.updated_at = util::ts();
    // no rule uuid in the answer: re-read the load balancer to learn it
    ok(json!({"source_port": s, "target_port": t}))
}

fn drop_rule(st: &mut SimState, rq: &Req, id: &str, rule: &str) -> Resp {
    let (loc, i, _) = match locate(st, rq, id) {
        Ok(found) => found,
        Err(resp) => return resp,
    };
    let lb = &mut loc.load_balancers[i];
    let before = lb.rules.len();
    lb.rules.retain(|r| !r.uuid.eq_ignore_ascii_case(rule));
    if lb.rules.len() == before {
        return msg_err(404, "Forwarding rule not found.");
    }
    lb.updated_at = util::ts();
    empty_200()
}

fn set_billing(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let b = match body(rq) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let user_id = acc.user_id;
    let set_id = match b.get("set_id") {
        None | Some(Value::Null) => return field_err("set_id", MISSING),
        Some(v) => match json_int(v) {
            Some(n) => n,
            None => return field_err("set_id", "Not a valid integer."),
        },
    };
    if !acc.has_billing(set_id) {
        return msg_err(400, "Billing account not found.");
    }
    let loc = acc.loc(&rq.slug);
    let Some(i) = find(loc, id) else {
        return msg_err(404, NOT_FOUND);
    };
    let lb = &mut loc.load_balancers[i];
    lb.billing_account_id = set_id;
    lb.updated_at = util::ts();
    ok(loc.load_balancers[i].to_json(loc, user_id))
}
