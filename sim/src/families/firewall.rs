//! Firewalls (`/v1/{slug}/network/firewalls*`), JSON bodies.

use std::net::IpAddr;

use serde_json::{json, Map, Value};

use super::{located, Route};
use crate::http::{json_int, msg_err, no_content, ok, Errs, Req, Resp, MISSING};
use crate::state::{Account, SimState};
use crate::util;

#[derive(Clone)]
pub struct Rule {
    pub uuid: String,
    pub protocol: String,
    pub direction: String,
    pub port_start: Option<i64>,
    pub port_end: Option<i64>,
    pub spec_type: String,
    pub spec: Vec<String>,
}

impl Rule {
    fn to_json(&self) -> Value {
        json!({
            "uuid": self.uuid,
            "direction": self.direction,
            "protocol": self.protocol,
            "port_start": self.port_start,
            "port_end": self.port_end,
            "endpoint_spec_type": self.spec_type,
            "endpoint_spec": if self.spec_type == "any" { Value::Null } else { json!(self.spec) },
        })
    }
}

pub struct Firewall {
    pub uuid: String,
    pub display_name: String,
    pub description: String,
    pub billing_account_id: i64,
    pub created_at: String,
    pub updated_at: String,
    pub rules: Vec<Rule>,
    pub vms: Vec<String>,
}

impl Firewall {
    pub fn unassign_vm(&mut self, vm: &str) {
        self.vms.retain(|v| v != vm);
    }

    fn assigned_json(&self) -> Value {
        Value::Array(
            self.vms
                .iter()
                .map(|v| json!({"resource_type": "vm", "resource_uuid": v}))
                .collect(),
        )
    }

    fn to_json(&self, user_id: i64) -> Value {
        json!({
            "uuid": self.uuid,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "deleted_at": null,
            "display_name": self.display_name,
            "description": self.description,
            "user_id": user_id,
            "billing_account_id": self.billing_account_id,
            "rules": self.rules.iter().map(Rule::to_json).collect::<Vec<_>>(),
            "resources_assigned": self.assigned_json(),
        })
    }

    /// The server keeps rules in its own order (by rule uuid), not in the order sent.
    fn sort_rules(&mut self) {
        self.rules.sort_by(|a, b| a.uuid.cmp(&b.uuid));
    }
}

pub fn route(method: &str, segs: &[&str]) -> Option<Route> {
    match (method, segs) {
        ("GET", ["network", "firewalls"]) => located(list),
        ("POST", ["network", "firewalls"]) => located(create),
        ("PUT", ["network", "firewalls", id]) => {
            let id = id.to_string();
            located(move |st, rq| update(st, rq, &id))
        }
        ("DELETE", ["network", "firewalls", id]) => {
            let id = id.to_string();
            located(move |st, rq| delete(st, rq, &id))
        }
        ("POST", ["network", "firewalls", id, "vms"]) => {
            let id = id.to_string();
            located(move |st, rq| assign(st, rq, &id))
        }
        ("DELETE", ["network", "firewalls", id, "vms"]) => {
            let id = id.to_string();
            located(move |st, rq| unassign(st, rq, &id))
        }
        _ => None,
    }
}

const NOT_FOUND: &str = "Firewall not found.";

fn valid_prefix(s: &str) -> bool {
    let (addr, len) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let Ok(ip) = addr.trim().parse::<IpAddr>() else {
        return false;
    };
    match len {
        None => true,
        Some(l) => match l.parse::<u8>() {
            Ok(n) => n <= if ip.is_ipv4() { 32 } else { 128 },
            Err(_) => false,
        },
    }
}

fn port_of(v: Option<&Value>) -> Result<Option<i64>, ()> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(v) => json_int(v).map(Some).ok_or(()),
    }
}

/// Validate the `rules` array; existing rule uuids are kept when sent back.
fn parse_rules(v: Option<&Value>, existing: &[Rule]) -> Result<Vec<Rule>, Resp> {
    let arr = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(a)) => a,
        Some(_) => return Err(rule_err(None, "rules", "Not a valid list.")),
    };
    let mut out = Vec::new();
    for (i, r) in arr.iter().enumerate() {
        let Some(o) = r.as_object() else {
            return Err(rule_err(Some(i), "rules", "Not a valid rule object."));
        };
        let s = |k: &str| {
            o.get(k)
                .and_then(Value::as_str)
                .map(|x| x.trim().to_string())
        };
        let protocol = s("protocol").map(|p| p.to_ascii_lowercase());
        let protocol = match protocol.as_deref() {
            None => return Err(rule_err(Some(i), "protocol", MISSING)),
            Some(p @ ("tcp" | "udp" | "icmp" | "any")) => p.to_string(),
            Some(_) => {
                return Err(rule_err(
                    Some(i),
                    "protocol",
                    "Must be one of: tcp, udp, icmp, any.",
                ))
            }
        };
        let direction = match s("direction").as_deref() {
            None => return Err(rule_err(Some(i), "direction", MISSING)),
            Some(d @ ("inbound" | "outbound")) => d.to_string(),
            Some(_) => {
                return Err(rule_err(
                    Some(i),
                    "direction",
                    "Must be one of: inbound, outbound.",
                ))
            }
        };
        let Ok(port_start) = port_of(o.get("port_start")) else {
            return Err(rule_err(Some(i), "port_start", "Not a valid integer."));
        };
        let Ok(mut port_end) = port_of(o.get("port_end")) else {
            return Err(rule_err(Some(i), "port_end", "Not a valid integer."));
        };
        for (f, p) in [("port_start", port_start), ("port_end", port_end)] {
            if let Some(p) = p {
                if !(1..=65535).contains(&p) {
                    return Err(rule_err(
                        Some(i),
                        f,
                        "Must be greater than or equal to 1 and less than or equal to 65535.",
                    ));
                }
            }
        }
        if port_end.is_none() {
            port_end = port_start;
        }
        if port_start.is_none() && port_end.is_some() {
            return Err(rule_err(
                Some(i),
                "port_start",
                "port_start is required when port_end is set.",
            ));
        }
        if let (Some(a), Some(b)) = (port_start, port_end) {
            if a > b {
                return Err(rule_err(
                    Some(i),
                    "port_start",
                    "port_start cannot be greater than port_end.",
                ));
            }
        }
        let spec_type = match s("endpoint_spec_type").as_deref() {
            None => return Err(rule_err(Some(i), "endpoint_spec_type", MISSING)),
            Some(t @ ("any" | "ip_prefixes")) => t.to_string(),
            Some(_) => {
                return Err(rule_err(
                    Some(i),
                    "endpoint_spec_type",
                    "Must be one of: any, ip_prefixes.",
                ))
            }
        };
        let mut spec = Vec::new();
        if spec_type == "ip_prefixes" {
            let Some(list) = o.get("endpoint_spec").and_then(Value::as_array) else {
                return Err(rule_err(
                    Some(i),
                    "endpoint_spec",
                    "A list of IP addresses or CIDR prefixes is required.",
                ));
            };
            if list.is_empty() {
                return Err(rule_err(
                    Some(i),
                    "endpoint_spec",
                    "A list of IP addresses or CIDR prefixes is required.",
                ));
            }
            for p in list {
                match p.as_str() {
                    Some(p) if valid_prefix(p) => spec.push(p.trim().to_string()),
                    _ => {
                        return Err(rule_err(
                            Some(i),
                            "endpoint_spec",
                            &format!("Not a valid IP address or CIDR prefix: {p}"),
                        ))
                    }
                }
            }
        }
        let uuid = match s("uuid") {
            Some(u) if existing.iter().any(|r| r.uuid == u) => u,
            _ => util::uuid_v4(),
        };
        out.push(Rule {
            uuid,
            protocol,
            direction,
            port_start,
            port_end,
            spec_type,
            spec,
        });
    }
    Ok(out)
}

fn rule_err(i: Option<usize>, field: &str, msg: &str) -> Resp {
    let mut m = Map::new();
    let key = match i {
        Some(i) => format!("rules.{i}.{field}"),
        None => field.to_string(),
    };
    m.insert(key, json!(msg));
    Resp::json(400, json!({ "errors": Value::Object(m) }))
}

fn body(rq: &Req) -> Result<Map<String, Value>, Resp> {
    if rq.json_invalid {
        return Err(msg_err(400, "Request body is not valid JSON."));
    }
    Ok(rq.jobj())
}

fn list(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return ok(json!([]));
    };
    let user_id = acc.user_id;
    ok(Value::Array(
        acc.loc(&rq.slug)
            .firewalls
            .iter()
            .map(|f| f.to_json(user_id))
            .collect(),
    ))
}

fn create(st: &mut SimState, rq: &Req) -> Resp {
    let b = match body(rq) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let user_id = acc.user_id;
    let mut errs = Errs::default();
    let name = b
        .get("display_name")
        .and_then(Value::as_str)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    if name.is_none() {
        errs.add("display_name", MISSING);
    }
    let billing = match b.get("billing_account_id") {
        None | Some(Value::Null) => acc.default_billing_id(),
        Some(v) => match json_int(v) {
            Some(n) => n,
            None => {
                errs.add("billing_account_id", "Not a valid integer.");
                0
            }
        },
    };
    if !errs.is_empty() {
        return errs.into_resp();
    }
    if !acc.has_billing(billing) {
        return msg_err(400, "Billing account not found.");
    }
    let rules = match parse_rules(b.get("rules"), &[]) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let now = util::ts();
    let mut fw = Firewall {
        uuid: util::uuid_v4(),
        display_name: name.unwrap_or_default(),
        description: b
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        billing_account_id: billing,
        created_at: now.clone(),
        updated_at: now,
        rules,
        vms: Vec::new(),
    };
    fw.sort_rules();
    let out = fw.to_json(user_id);
    acc.loc(&rq.slug).firewalls.push(fw);
    ok(out)
}

fn find<'a>(acc: &'a mut Account, slug: &str, id: &str) -> Option<&'a mut Firewall> {
    acc.loc(slug)
        .firewalls
        .iter_mut()
        .find(|f| f.uuid.eq_ignore_ascii_case(id))
}

fn update(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let b = match body(rq) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let user_id = acc.user_id;
    // The body is a `Firewall` object: its billing account can change too.
    let billing = match b.get("billing_account_id") {
        None | Some(Value::Null) => None,
        Some(v) => match json_int(v) {
            Some(n) if acc.has_billing(n) => Some(n),
            Some(_) => return msg_err(400, "Billing account not found."),
            None => return crate::http::field_err("billing_account_id", "Not a valid integer."),
        },
    };
    let Some(fw) = find(acc, &rq.slug, id) else {
        return msg_err(404, NOT_FOUND);
    };
    let rules = match parse_rules(b.get("rules"), &fw.rules) {
        Ok(r) => r,
        Err(r) => return r,
    };
    if let Some(n) = b.get("name") {
        match n.as_str().map(str::trim) {
            Some(n) if !n.is_empty() => fw.display_name = n.to_string(),
            _ => return crate::http::field_err("name", "Field may not be empty."),
        }
    }
    if let Some(d) = b.get("description") {
        fw.description = d.as_str().unwrap_or("").to_string();
    }
    if let Some(n) = billing {
        fw.billing_account_id = n;
    }
    fw.rules = rules;
    fw.sort_rules();
    fw.updated_at = util::ts();
    ok(fw.to_json(user_id))
}

fn delete(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let Some(fw) = find(acc, &rq.slug, id) else {
        return msg_err(404, NOT_FOUND);
    };
    if !fw.vms.is_empty() {
        return msg_err(
            409,
            "Firewall is assigned to virtual machines. Unassign it before deleting.",
        );
    }
    let uuid = fw.uuid.clone();
    acc.loc(&rq.slug).firewalls.retain(|f| f.uuid != uuid);
    no_content()
}

fn vm_param(rq: &Req) -> Result<String, Resp> {
    rq.q("vm_uuid")
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| crate::http::field_err("vm_uuid", MISSING))
}

fn assign(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let vm = match vm_param(rq) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    if !acc.loc(&rq.slug).vms.iter().any(|v| v.uuid == vm) {
        return msg_err(404, "Virtual machine not found.");
    }
    let Some(fw) = find(acc, &rq.slug, id) else {
        return msg_err(404, NOT_FOUND);
    };
    if !fw.vms.contains(&vm) {
        fw.vms.push(vm);
        fw.updated_at = util::ts();
    }
    ok(fw.assigned_json())
}

fn unassign(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let vm = match vm_param(rq) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let Some(fw) = find(acc, &rq.slug, id) else {
        return msg_err(404, NOT_FOUND);
    };
    if !fw.vms.contains(&vm) {
        return msg_err(404, "Firewall is not assigned to this virtual machine.");
    }
    fw.unassign_vm(&vm);
    fw.updated_at = util::ts();
    no_content()
}
