//! Managed service packages (global, JSON) and their whitelist (location-scoped, form).

use std::net::IpAddr;

use serde_json::{json, Map, Value};

use super::{floating_ip, global, located, network, Route};
use crate::http::{field_err, json_int, msg_err, ok, Errs, Req, Resp, MISSING};
use crate::state::{serves_location, Account, SimState, DEFAULT_LOCATION};
use crate::util;

pub struct ServiceVm {
    pub uuid: String,
    pub disk_uuid: String,
}

pub struct ServicePackage {
    pub uuid: String,
    pub location: String,
    pub deleted: bool,
    pub private_ip: String,
    pub display_name: String,
    pub billing_account_id: i64,
    pub service: String,
    pub version: String,
    pub vm_cpu: i64,
    pub vm_ram: i64,
    pub vm_disk_gb: i64,
    pub is_multi_node: bool,
    pub package_parameters: Value,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
    pub sql_pass: String,
    pub vip_uuid: Option<String>,
    pub vms: Vec<ServiceVm>,
    pub whitelist: Vec<String>,
}

const PRICES: &str = r#"[
    {"priceMultiplier": 3.0, "resourceType": "CPU"},
    {"priceMultiplier": 3.0, "resourceType": "RAM"},
    {"priceMultiplier": 3.0, "resourceType": "STORAGE", "serviceNameInUptime": "main"},
    {"priceMultiplier": 3.0, "resourceType": "STORAGE", "serviceNameInUptime": "block"},
    {"priceMultiplier": 0.0, "resourceType": "STORAGE", "serviceNameInUptime": "snapshot"},
    {"priceMultiplier": 0.0, "resourceType": "STORAGE", "serviceNameInUptime": "backup"},
    {"priceMultiplier": 0.0, "resourceType": "OBJECT_STORAGE"},
    {"priceMultiplier": 0.0, "resourceType": "LICENSE", "serviceNameInUptime": "windows"},
    {"priceMultiplier": 0.0, "resourceType": "UNASSIGNED_FLOATING_IP"}
]"#;

impl ServicePackage {
    fn to_json(&self, user_id: i64) -> Value {
        let mut resources = Vec::new();
        if let Some(vip) = &self.vip_uuid {
            resources.push(json!({
                "resource_allocation": if self.deleted { json!({}) } else { json!({"address": self.private_ip}) },
                "resource_id": vip,
                "resource_location": self.location,
                "resource_type": "virtual_ip",
            }));
        }
        for vm in &self.vms {
            let alloc = if self.deleted {
                json!({})
            } else {
                json!({
                    "memory": self.vm_ram,
                    "vcpu": self.vm_cpu,
                    "status": "running",
                    "storage": [{
                        "primary": true,
                        "size": self.vm_disk_gb,
                        "uuid": vm.disk_uuid,
                        "replica": [],
                    }],
                })
            };
            resources.push(json!({
                "resource_allocation": alloc,
                "resource_id": vm.uuid,
                "resource_location": self.location,
                "resource_type": "vm",
            }));
        }
        let mut v = json!({
            "billing_account_id": self.billing_account_id,
            "created_at": self.created_at,
            "display_name": self.display_name,
            "is_deleted": self.deleted,
            "is_multi_node": self.is_multi_node,
            "prices": serde_json::from_str::<Value>(PRICES).unwrap_or(Value::Array(vec![])),
            "properties": {
                "service_ip": self.private_ip,
                "location": self.location,
                "sql_user": "wadmin",
                "port": 5432,
            },
            "resources": resources,
            "service": self.service,
            "status": if self.deleted { "deleted" } else { "active" },
            "updated_at": self.updated_at,
            "user_id": user_id,
            "uuid": self.uuid,
            "version": self.version,
        });
        if let Some(d) = &self.deleted_at {
            v["deleted_at"] = json!(d);
        }
        v
    }
}

pub fn route(method: &str, segs: &[&str]) -> Option<Route> {
    match (method, segs) {
        ("GET", ["user-resource", "service", "packages"]) => global(list),
        ("POST", ["user-resource", "service", "package"]) => global(create),
        ("GET", ["user-resource", "service", "package", id]) => {
            let id = id.to_string();
            global(move |st, rq| get(st, rq, &id))
        }
        ("PATCH", ["user-resource", "service", "package", id]) => {
            let id = id.to_string();
            global(move |st, rq| update(st, rq, &id))
        }
        ("DELETE", ["user-resource", "service", "package", id]) => {
            let id = id.to_string();
            global(move |st, rq| delete(st, rq, &id))
        }
        ("GET", ["user-resource", "service", "package", id, "secrets"]) => {
            let id = id.to_string();
            global(move |st, rq| secrets(st, rq, &id))
        }
        ("GET", ["user-resource", "service", "package", id, "whitelist_addresses"]) => {
            let id = id.to_string();
            located(move |st, rq| whitelist(st, rq, &id, None))
        }
        ("POST", ["user-resource", "service", "package", id, "whitelist_addresses"]) => {
            let id = id.to_string();
            located(move |st, rq| whitelist(st, rq, &id, Some(true)))
        }
        ("DELETE", ["user-resource", "service", "package", id, "whitelist_addresses"]) => {
            let id = id.to_string();
            located(move |st, rq| whitelist(st, rq, &id, Some(false)))
        }
        _ => None,
    }
}

const NOT_FOUND: &str = "Service package not found.";

fn body(rq: &Req) -> Result<Map<String, Value>, Resp> {
    if rq.json_invalid {
        return Err(msg_err(400, "Request body is not valid JSON."));
    }
    Ok(rq.jobj())
}

fn find<'a>(acc: &'a mut Account, id: &str) -> Option<&'a mut ServicePackage> {
    acc.services
        .iter_mut()
        .find(|s| s.uuid.eq_ignore_ascii_case(id))
}

fn list(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return ok(json!([]));
    };
    let user_id = acc.user_id;
    ok(Value::Array(
        acc.services
            .iter()
            .filter(|s| !s.deleted)
            .map(|s| s.to_json(user_id))
            .collect(),
    ))
}

fn get(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let user_id = acc.user_id;
    match find(acc, id) {
        Some(s) => ok(s.to_json(user_id)),
        None => msg_err(404, NOT_FOUND),
    }
}

fn int_field(b: &Map<String, Value>, k: &str, errs: &mut Errs) -> Option<i64> {
    match b.get(k) {
        None | Some(Value::Null) => {
            errs.add(k, MISSING);
            None
        }
        Some(v) => match json_int(v) {
            Some(n) => Some(n),
            None => {
                errs.add(k, "Not a valid integer.");
                None
            }
        },
    }
}

fn create(st: &mut SimState, rq: &Req) -> Resp {
    let b = match body(rq) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let st_extra = st.extra_locations.clone();
    let Some((acc, al)) = st.split(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let user_id = acc.user_id;
    let mut errs = Errs::default();
    let s = |k: &str| {
        b.get(k)
            .and_then(Value::as_str)
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
    };
    let billing = int_field(&b, "billing_account_id", &mut errs);
    let service = s("service");
    let version = s("version");
    let display_name = s("display_name");
    for (k, v) in [
        ("service", &service),
        ("version", &version),
        ("display_name", &display_name),
    ] {
        if v.is_none() {
            errs.add(k, MISSING);
        }
    }
    let cpu = int_field(&b, "vm_cpu", &mut errs);
    let ram = int_field(&b, "vm_ram", &mut errs);
    let disk = int_field(&b, "vm_disk_gb", &mut errs);
    let multi = match b.get("is_multi_node") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(x)) => *x,
        Some(Value::String(x)) => util::parse_bool(x).unwrap_or_else(|| {
            errs.add("is_multi_node", "Not a valid boolean.");
            false
        }),
        Some(_) => {
            errs.add("is_multi_node", "Not a valid boolean.");
            false
        }
    };
    let params = match b.get("package_parameters") {
        None | Some(Value::Null) => json!({}),
        Some(Value::String(x)) if x.trim().is_empty() => json!({}),
        Some(Value::String(x)) => match serde_json::from_str::<Value>(x) {
            Ok(v @ Value::Object(_)) => v,
            _ => {
                errs.add("package_parameters", "Not a valid JSON object.");
                json!({})
            }
        },
        Some(v @ Value::Object(_)) => v.clone(),
        Some(_) => {
            errs.add("package_parameters", "Not a valid JSON object.");
            json!({})
        }
    };
    check(&mut errs, "vm_cpu", cpu, 1, 16);
    check(&mut errs, "vm_ram", ram, 1024, 65536);
    check(&mut errs, "vm_disk_gb", disk, 20, 2000);
    if !errs.is_empty() {
        return errs.into_resp();
    }
    let (Some(billing), Some(service), Some(version), Some(display_name)) =
        (billing, service, version, display_name)
    else {
        return field_err("service", MISSING);
    };
    if !acc.has_billing(billing) {
        return msg_err(400, "Billing account not found.");
    }
    if service != "postgresql" || version != "14.0" {
        return msg_err(
            400,
            format!(
                "Service {service} version {version} is not available. Available: postgresql 14.0."
            ),
        );
    }
    let location = params
        .get("location")
        .and_then(Value::as_str)
        .filter(|l| serves_location(&st_extra, l))
        .unwrap_or(DEFAULT_LOCATION)
        .to_string();
    let uuid = util::uuid_v4();
    let loc = acc.loc(&location);
    let ni = network::ensure_default(loc, al);
    let private_ip = loc.networks[ni].alloc_ip();
    loc.networks[ni].other_resources.push(uuid.clone());
    let n_vms = if multi { 2 } else { 1 };
    let vms = (0..n_vms)
        .map(|_| ServiceVm {
            uuid: util::uuid_v4(),
            disk_uuid: util::uuid_v4(),
        })
        .collect();
    let now = util::ts();
    let svc = ServicePackage {
        uuid,
        location,
        deleted: false,
        private_ip,
        display_name,
        billing_account_id: billing,
        service,
        version,
        vm_cpu: cpu.unwrap_or(1),
        vm_ram: ram.unwrap_or(1024),
        vm_disk_gb: disk.unwrap_or(20),
        is_multi_node: multi,
        package_parameters: params,
        created_at: now.clone(),
        updated_at: now,
        deleted_at: None,
        sql_pass: format!("{}-{}", util::random_alnum(3), util::random_alnum(9)),
        vip_uuid: if multi { Some(util::uuid_v4()) } else { None },
        vms,
        whitelist: Vec::new(),
    };
    let out = svc.to_json(user_id);
    acc.services.push(svc);
    ok(out)
}

fn check(errs: &mut Errs, k: &str, v: Option<i64>, min: i64, max: i64) {
    if let Some(v) = v {
        if v < min || v > max {
            errs.add(
                k,
                format!("Must be greater than or equal to {min} and less than or equal to {max}."),
            );
        }
    }
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
    let billing = match b.get("billing_account_id") {
        None | Some(Value::Null) => None,
        Some(v) => match json_int(v) {
            Some(n) if acc.has_billing(n) => Some(n),
            Some(_) => return msg_err(400, "Billing account not found."),
            None => return field_err("billing_account_id", "Not a valid integer."),
        },
    };
    let name = match b.get("display_name") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(_) => return field_err("display_name", "Field may not be empty."),
    };
    let Some(s) = find(acc, id).filter(|s| !s.deleted) else {
        return msg_err(404, NOT_FOUND);
    };
    if let Some(b) = billing {
        s.billing_account_id = b;
    }
    if let Some(n) = name {
        s.display_name = n;
    }
    s.updated_at = util::ts();
    ok(s.to_json(user_id))
}

fn delete(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let user_id = acc.user_id;
    let Some(s) = find(acc, id).filter(|s| !s.deleted) else {
        return msg_err(404, NOT_FOUND);
    };
    s.deleted = true;
    s.deleted_at = Some(util::ts());
    let (uuid, location) = (s.uuid.clone(), s.location.clone());
    let out = s.to_json(user_id);
    network::detach_resource(acc.loc(&location), &uuid);
    floating_ip::release_all(acc, &location, &uuid);
    ok(out)
}

fn secrets(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    match find(acc, id).filter(|s| !s.deleted) {
        Some(s) => ok(json!({"sql_pass": s.sql_pass})),
        None => msg_err(404, NOT_FOUND),
    }
}

fn valid_entry(s: &str) -> bool {
    let (addr, len) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let Ok(ip) = addr.parse::<IpAddr>() else {
        return false;
    };
    match len {
        None => true,
        Some(l) => l
            .parse::<u8>()
            .is_ok_and(|n| n <= if ip.is_ipv4() { 32 } else { 128 }),
    }
}

/// `add`: None = read, Some(true) = add entry, Some(false) = delete entry.
fn whitelist(st: &mut SimState, rq: &Req, id: &str, add: Option<bool>) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let slug = rq.slug.clone();
    let Some(s) = find(acc, id).filter(|s| !s.deleted && s.location == slug) else {
        return msg_err(404, NOT_FOUND);
    };
    let Some(add) = add else {
        return ok(json!(s.whitelist));
    };
    let Some(entry) = rq.f_nonempty("ip_address").map(str::trim) else {
        return field_err("ip_address", MISSING);
    };
    if add {
        if !valid_entry(entry) {
            return field_err(
                "ip_address",
                "Not a valid IP address or CIDR subnet prefix.",
            );
        }
        if s.whitelist.iter().any(|e| e == entry) {
            return msg_err(409, "The address is already in the whitelist.");
        }
        s.whitelist.push(entry.to_string());
    } else {
        let before = s.whitelist.len();
        s.whitelist.retain(|e| e != entry);
        if s.whitelist.len() == before {
            return msg_err(404, "The address is not in the whitelist.");
        }
    }
    s.updated_at = util::ts();
    ok(json!(s.whitelist))
}
