//! Virtual machines (`/v1/{slug}/user-resource/vm*`), all form-encoded.

use std::sync::OnceLock;

use regex::Regex;
use serde_json::{json, Value};

use super::config::{self, find_image, find_pool, BOOT_IMAGES, PUBLIC_KEY_REGEX};
use super::disk::{next_device, Disk, Replica};
use super::floating_ip::{self, FloatingIp, TYPE_VM};
use super::network;
use super::{located, Route};
use crate::http::{
    field_err, ok, opt_bool, opt_int, req_int, req_uuid, success, vm_err, Errs, Req, Resp, MISSING,
};
use crate::state::{Account, Loc, SimState};
use crate::util;

pub struct Vm {
    pub id: i64,
    pub uuid: String,
    pub name: String,
    pub hostname: String,
    pub description: String,
    pub status: String,
    pub vcpu: i64,
    pub memory: i64,
    pub os_name: String,
    pub os_version: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub public_keys: Vec<String>,
    pub cloud_init: Option<String>,
    pub backup: bool,
    pub billing_account: i64,
    pub created_at: String,
    pub updated_at: Option<String>,
    pub mac: String,
    pub private_ipv4: String,
    pub public_ipv6: Option<String>,
    pub pool_uuid: String,
    pub pool_name: String,
    pub network_uuid: String,
    /// What the VM's latest launch booted from: `disk` (a normal launch),
    /// `platform:<image uuid>` / `private:<disk uuid>` (`boot_iso_media`), or
    /// `rescue` (`rescue_start`). One-shot: the next start boots the disk again.
    pub booted_from: String,
    /// The guest ignores the ACPI shutdown signal (`POST /__sim/vms/{uuid}/guest`):
    /// a graceful stop then fails after `SHUTDOWN_WAIT_S`, only `force=true` stops it.
    pub ignores_shutdown: bool,
    /// How the VM was last stopped: `graceful` or `forced`.
    pub last_stop: Option<String>,
    /// How many times it was stopped with `force=true` while running.
    pub forced_stops: i64,
}

pub const RUNNING: &str = "running";
pub const STOPPED: &str = "stopped";
/// `booted_from` of a normal launch.
pub const BOOT_DISK: &str = "disk";

/// How long the live API answers take (field notes: create ~33 s, stop ~22 s,
/// start ~4 s, delete ~1 s), before `SimState::time_factor` scales them.
pub const CREATE_S: f64 = 33.0;
pub const STOP_S: f64 = 22.0;
pub const START_S: f64 = 4.0;
pub const DELETE_S: f64 = 1.0;
/// A forced stop ("pull the plug") is immediate on the platform; a second here.
pub const FORCED_STOP_S: f64 = 1.0;
/// How long a graceful stop waits for a guest that ignores the shutdown signal
/// before it gives up (not in the field notes: a choice).
pub const SHUTDOWN_WAIT_S: f64 = 60.0;

impl Vm {
    fn touch(&mut self) {
        self.updated_at = Some(util::ts());
    }
}

/// The VM payload as served by every VM endpoint (no `id`, `tags` or `public_ipv4`).
pub fn vm_json(vm: &Vm, disks: &[Disk], user_id: i64) -> Value {
    let mut attached: Vec<&Disk> = disks
        .iter()
        .filter(|d| d.attached_to.as_deref() == Some(vm.uuid.as_str()))
        .collect();
    attached.sort_by(|a, b| {
        b.primary
            .cmp(&a.primary)
            .then_with(|| a.device.cmp(&b.device))
    });
    let storage: Vec<Value> = attached.iter().map(|d| d.storage_json(user_id)).collect();
    let mut v = json!({
        "backup": vm.backup,
        "billing_account": vm.billing_account,
        "created_at": vm.created_at,
        "description": vm.description,
        "designated_pool_name": vm.pool_name,
        "designated_pool_uuid": vm.pool_uuid,
        "hostname": vm.hostname,
        "mac": vm.mac,
        "memory": vm.memory,
        "name": vm.name,
        "os_name": vm.os_name,
        "os_version": vm.os_version,
        "private_ipv4": vm.private_ipv4,
        "status": vm.status,
        "storage": storage,
        "updated_at": vm.updated_at,
        "user_id": user_id,
        "username": vm.username,
        "uuid": vm.uuid,
        "vcpu": vm.vcpu,
    });
    if let Some(v6) = &vm.public_ipv6 {
        v["public_ipv6"] = json!(v6);
    }
    v
}

pub fn no_such_vm(uuid: &str) -> Resp {
    vm_err(400, format!("No such virtual machine exists. {uuid}"))
}

pub fn route(method: &str, segs: &[&str]) -> Option<Route> {
    let rest = match segs {
        ["user-resource", "vm", rest @ ..] => rest,
        _ => return None,
    };
    match (method, rest) {
        ("POST", []) => located(create),
        ("GET", []) => located(get),
        ("PATCH", []) => located(modify),
        ("DELETE", []) => located(delete),
        ("GET", ["list"]) => located(list),
        ("POST", ["start"]) => located(start),
        ("POST", ["stop"]) => located(stop),
        ("PATCH", ["user"]) => located(change_password),
        ("POST", ["reinstall"]) => located(reinstall),
        ("POST", ["clone"]) => located(clone),
        ("POST", ["backup"]) => located(toggle_backup),
        ("GET", ["replica"]) => located(list_replicas),
        ("POST", ["replica"]) => located(create_replica),
        ("DELETE", ["replica"]) => located(delete_replica),
        ("POST", ["rebuild"]) => located(rebuild),
        ("POST", ["ip", "public"]) => located(reserve_public_ip),
        ("DELETE", ["ip", "public"]) => located(release_public_ip),
        ("POST", ["storage"]) => located(add_storage),
        ("PATCH", ["storage"]) => located(modify_storage),
        ("DELETE", ["storage"]) => located(delete_storage),
        ("POST", ["storage", "attach"]) => located(attach_storage),
        ("POST", ["storage", "detach"]) => located(detach_storage),
        ("POST", ["boot_iso_media"]) => located(boot_iso_media),
        ("POST", ["rescue_start"]) => located(rescue_start),
        _ => None,
    }
}

// ---------------------------------------------------------------- validation

fn pk_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(PUBLIC_KEY_REGEX).ok())
        .as_ref()
}

pub fn valid_public_key(k: &str) -> bool {
    pk_regex().is_some_and(|re| re.is_match(k.trim_end_matches(['\r', '\n'])))
}

/// `^(?=.{1,30}$)[a-zA-Z_][0-9a-zA-Z_-]*$`
fn valid_username(u: &str) -> bool {
    let n = u.chars().count();
    let mut cs = u.chars();
    (1..=30).contains(&n)
        && cs
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `^(?=.*[a-z])(?=.*[A-Z])(?=.*\d).{8,}$`
pub fn valid_password(p: &str) -> bool {
    p.chars().count() >= 8
        && p.chars().any(|c| c.is_ascii_lowercase())
        && p.chars().any(|c| c.is_ascii_uppercase())
        && p.chars().any(|c| c.is_ascii_digit())
}

const PASSWORD_MSG: &str = "Password must be at least 8 characters long and contain a lower case letter, an upper case letter and a digit.";
const USERNAME_MSG: &str = "Username must be 1-30 characters: letters, digits, '_' or '-', not starting with a digit or '-'.";
const PUBLIC_KEY_MSG: &str = "Not a valid OpenSSH public key.";

fn range_msg(min: i64, max: i64) -> String {
    format!("Must be greater than or equal to {min} and less than or equal to {max}.")
}

fn check_range(errs: &mut Errs, field: &str, v: Option<i64>, r: (i64, i64)) {
    if let Some(v) = v {
        if v < r.0 || v > r.1 {
            errs.add(field, range_msg(r.0, r.1));
        }
    }
}

fn hostname_of(name: &str) -> String {
    let h: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let h = h.trim_matches('-').to_string();
    if h.is_empty() {
        "vm".to_string()
    } else {
        h.chars().take(63).collect()
    }
}

/// Find a VM by uuid in the location; the standard error when absent.
fn vm_index(loc: &Loc, uuid: &str) -> Result<usize, Resp> {
    loc.vms
        .iter()
        .position(|v| v.uuid.eq_ignore_ascii_case(uuid))
        .ok_or_else(|| no_such_vm(uuid))
}

/// Parse the required `uuid` form field and locate the VM.
fn vm_from_form(rq: &Req, loc: &Loc) -> Result<usize, Resp> {
    let raw = rq.f_nonempty("uuid").map(str::trim);
    match raw {
        None => Err(field_err("uuid", MISSING)),
        Some(u) => vm_index(loc, u),
    }
}

macro_rules! acct {
    ($st:expr, $rq:expr) => {
        match $st.split(&$rq.key) {
            Some(x) => x,
            None => return vm_err(500, "account missing"),
        }
    };
}

macro_rules! tryr {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(r) => return r,
        }
    };
}

fn json_of(acc: &mut Account, slug: &str, i: usize) -> Value {
    let user_id = acc.user_id;
    let loc = acc.loc(slug);
    vm_json(&loc.vms[i], &loc.disks, user_id)
}

// ---------------------------------------------------------------- create

enum Os {
    Custom,
    Image(String, String),
}

fn create(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, al) = acct!(st, rq);
    let user_id = acc.user_id;
    let slug = rq.slug.clone();
    let mut errs = Errs::default();

    let name = rq.f_nonempty("name").map(|s| s.trim().to_string());
    if name.is_none() {
        errs.add("name", MISSING);
    }
    if let Some(n) = &name {
        if n.chars().count() > 255 {
            errs.add("name", "Longer than maximum length 255.");
        }
    }
    let vcpu = req_int(rq, "vcpu", &mut errs);
    let ram = req_int(rq, "ram", &mut errs);

    // boot disk sources
    let disk_uuid = rq
        .f_nonempty("disk_uuid")
        .map(|s| s.trim().to_ascii_lowercase());
    if let Some(d) = &disk_uuid {
        if !util::is_uuid(d) {
            errs.add("disk_uuid", crate::http::NOT_UUID);
        }
    }
    let source_uuid = rq
        .f_nonempty("source_uuid")
        .map(|s| s.trim().to_ascii_lowercase());
    let source_replica = rq
        .f_nonempty("source_replica")
        .map(|s| s.trim().to_string());
    if source_uuid.is_some() != source_replica.is_some() {
        if source_uuid.is_none() {
            errs.add("source_uuid", MISSING);
        } else {
            errs.add("source_replica", MISSING);
        }
    }
    let disks = if disk_uuid.is_some() || source_replica.is_some() {
        opt_int(rq, "disks", &mut errs)
    } else {
        req_int(rq, "disks", &mut errs)
    };

    // host pool
    let pool = match rq.f_nonempty("designated_pool_uuid") {
        Some(u) => {
            let p = find_pool(&slug, Some(u.trim()));
            if p.is_none() {
                errs.add(
                    "designated_pool_uuid",
                    "No such host pool exists in this location.",
                );
            }
            p
        }
        None => find_pool(&slug, None),
    };

    // OS image
    let os_name = rq.f_nonempty("os_name").map(|s| s.trim().to_string());
    let os_version = rq.f_nonempty("os_version").map(|s| s.trim().to_string());
    let os = match (os_name.as_deref(), os_version.as_deref()) {
        (None, None) | (Some("_custom"), _) => Os::Custom,
        (None, Some(_)) => {
            errs.add("os_name", MISSING);
            Os::Custom
        }
        (Some(n), v) => {
            let v = match v {
                Some(v) => Some(v.to_string()),
                None => config::IMAGES
                    .iter()
                    .find(|i| i.os_name == n)
                    .and_then(config::default_version)
                    .map(str::to_string),
            };
            match v {
                None => {
                    errs.add("os_name", format!("Unknown OS name: {n}"));
                    Os::Custom
                }
                Some(v) => match find_image(n, &v) {
                    Ok(_) => Os::Image(n.to_string(), v),
                    Err(m) => {
                        let field = if config::IMAGES.iter().any(|i| i.os_name == n) {
                            "os_version"
                        } else {
                            "os_name"
                        };
                        errs.add(field, m);
                        Os::Custom
                    }
                },
            }
        }
    };

    // credentials
    let username = rq.f_nonempty("username").map(str::to_string);
    if let Some(u) = &username {
        if !valid_username(u) {
            errs.add("username", USERNAME_MSG);
        }
    }
    let password = rq.f_nonempty("password").map(str::to_string);
    if let Some(p) = &password {
        if !valid_password(p) {
            errs.add("password", PASSWORD_MSG);
        }
    }
    let mut public_keys: Vec<String> = Vec::new();
    if let Some(k) = rq.f_nonempty("public_key") {
        if valid_public_key(k) {
            public_keys.push(k.to_string());
        } else {
            errs.add("public_key", PUBLIC_KEY_MSG);
        }
    }
    for k in rq.f_all("public_keys") {
        if k.trim().is_empty() {
            continue;
        }
        if valid_public_key(k) {
            public_keys.push(k.to_string());
        } else {
            errs.add("public_keys", PUBLIC_KEY_MSG);
        }
    }
    let cloud_init = rq.f_nonempty("cloud_init").map(str::to_string);
    if let Some(ci) = &cloud_init {
        let t = ci.trim_start();
        if t.starts_with('{') || t.starts_with('[') {
            match serde_json::from_str::<Value>(t) {
                Ok(Value::Object(_)) => {}
                _ => errs.add("cloud_init", "Not a valid JSON or YAML object."),
            }
        }
    }

    let billing = opt_int(rq, "billing_account_id", &mut errs)
        .filter(|b| *b != 0)
        .unwrap_or_else(|| acc.default_billing_id());
    if !acc.has_billing(billing) {
        errs.add("billing_account_id", "Invalid billing account.");
    }
    let reserve_public_ip = opt_bool(rq, "reserve_public_ip", true, &mut errs);
    let backup = opt_bool(rq, "backup", false, &mut errs);
    let description = rq.f("description").unwrap_or("").to_string();

    // sizing limits of the host pool
    if let Some(p) = &pool {
        let mut cpu = p.limits.cpu;
        let mut mem = p.limits.ram_mb;
        if let Os::Image(n, _) = &os {
            if n == "windows" {
                cpu.0 = cpu.0.max(2);
                mem.0 = mem.0.max(1024);
            }
        }
        check_range(&mut errs, "vcpu", vcpu, cpu);
        check_range(&mut errs, "ram", ram, mem);
        check_range(&mut errs, "disks", disks, p.limits.disk_gb);
    }
    if !errs.is_empty() {
        return errs.into_resp();
    }
    let (Some(name), Some(vcpu), Some(ram), Some(pool)) = (name, vcpu, ram, pool) else {
        return field_err("name", MISSING);
    };

    let loc = acc.loc(&slug);
    // references to existing resources
    let net_idx = match rq.f_nonempty("network_uuid").map(str::trim) {
        Some(n) => match loc
            .networks
            .iter()
            .position(|x| x.uuid.eq_ignore_ascii_case(n))
        {
            Some(i) => Some(i),
            None => return field_err("network_uuid", network::INVALID),
        },
        None => None,
    };
    let existing_disk = match &disk_uuid {
        Some(d) => match loc.disks.iter().position(|x| x.uuid == *d) {
            None => return field_err("disk_uuid", "No such disk exists."),
            Some(i) if loc.disks[i].attached_to.is_some() => {
                return field_err(
                    "disk_uuid",
                    "Disk is already attached to a virtual machine.",
                )
            }
            Some(i) => {
                if loc.disks[i].size_gb > pool.limits.disk_gb.1 {
                    return field_err("disk_uuid", "Disk is too large for this host pool.");
                }
                Some(i)
            }
        },
        None => None,
    };
    let mut boot_size = disks.unwrap_or(0);
    let mut from_replica: Option<Replica> = None;
    if let (Some(su), Some(sr)) = (&source_uuid, &source_replica) {
        let Some(src) = loc.vms.iter().find(|v| v.uuid == *su) else {
            return no_such_vm(su);
        };
        let src_uuid = src.uuid.clone();
        let rep = loc
            .disks
            .iter()
            .filter(|d| d.attached_to.as_deref() == Some(src_uuid.as_str()))
            .flat_map(|d| d.replicas.iter())
            .find(|r| r.uuid == *sr);
        match rep {
            None => return field_err("source_replica", "No such replica exists."),
            Some(r) => {
                boot_size = boot_size.max(r.size);
                from_replica = Some(r.clone());
            }
        }
    }
    if existing_disk.is_none() && boot_size < pool.limits.disk_gb.0 {
        boot_size = pool.limits.disk_gb.0;
    }

    // all checks passed: create
    let net_idx = match net_idx {
        Some(i) => i,
        None => network::ensure_default(loc, al),
    };
    let uuid = util::uuid_v4();
    let private_ipv4 = loc.networks[net_idx].alloc_ip();
    loc.networks[net_idx].vm_uuids.push(uuid.clone());
    let network_uuid = loc.networks[net_idx].uuid.clone();

    let (os_name, os_version) = match (&os, from_replica.as_ref().and_then(|r| r.os.clone())) {
        (Os::Custom, Some(replica_os)) => replica_os,
        (Os::Custom, None) => ("_custom".to_string(), "_".to_string()),
        (Os::Image(n, v), _) => (n.clone(), v.clone()),
    };
    match existing_disk {
        Some(i) => {
            let d = &mut loc.disks[i];
            d.attached_to = Some(uuid.clone());
            d.device = Some("vda".to_string());
            d.primary = true;
            d.touch();
        }
        None => {
            let mut d = Disk::new(al.next_id(), boot_size, billing);
            match &os {
                Os::Custom => {}
                Os::Image(n, v) => {
                    d.source_image_type = "OS_BASE".to_string();
                    d.source_image = Some(format!("{n}_{v}"));
                }
            }
            if let Some(r) = &from_replica {
                d.source_image_type = "SNAPSHOT".to_string();
                d.source_image = Some(r.uuid.clone());
                d.guest_data = r.guest_data.clone();
            }
            d.attached_to = Some(uuid.clone());
            d.device = Some("vda".to_string());
            d.primary = true;
            d.owned_by_vm = true;
            loc.disks.push(d);
        }
    }
    let public_ipv6 = if reserve_public_ip {
        let mut ip = FloatingIp::new(al, &slug, &name, billing);
        ip.assign(&uuid, TYPE_VM, Some(private_ipv4.clone()));
        loc.floating_ips.push(ip);
        Some(al.ipv6())
    } else {
        None
    };
    let username = match username {
        Some(u) => Some(u),
        None if os_name == "windows" => Some("Administrator".to_string()),
        None => None,
    };
    let vm = Vm {
        id: al.next_id(),
        uuid,
        hostname: hostname_of(&name),
        name,
        description,
        status: RUNNING.to_string(),
        vcpu,
        memory: ram,
        os_name,
        os_version,
        username,
        password,
        public_keys,
        cloud_init,
        backup,
        billing_account: billing,
        created_at: util::ts(),
        updated_at: Some(util::ts()),
        mac: util::random_mac(),
        private_ipv4,
        public_ipv6,
        pool_uuid: pool.uuid.to_string(),
        pool_name: pool.name.to_string(),
        network_uuid,
        booted_from: BOOT_DISK.to_string(),
        ignores_shutdown: false,
        last_stop: None,
        forced_stops: 0,
    };
    let out = vm_json(&vm, &loc.disks, user_id);
    loc.vms.push(vm);
    ok(out)
}

// ---------------------------------------------------------------- read

fn get(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let Some(u) = rq.q("uuid").map(str::trim).filter(|u| !u.is_empty()) else {
        return field_err("uuid", MISSING);
    };
    let i = tryr!(vm_index(acc.loc(&rq.slug), u));
    ok(json_of(acc, &rq.slug, i))
}

fn list(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let user_id = acc.user_id;
    let loc = acc.loc(&rq.slug);
    ok(Value::Array(
        loc.vms
            .iter()
            .map(|v| vm_json(v, &loc.disks, user_id))
            .collect(),
    ))
}

// ---------------------------------------------------------------- modify

fn modify(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let slug = rq.slug.clone();
    let loc = acc.loc(&slug);
    let i = tryr!(vm_from_form(rq, loc));
    let mut errs = Errs::default();
    let name = rq.f("name").map(|s| s.trim().to_string());
    if name.as_deref() == Some("") {
        errs.add("name", "Field may not be empty.");
    }
    let vcpu = opt_int(rq, "vcpu", &mut errs);
    let ram = opt_int(rq, "ram", &mut errs);
    if !errs.is_empty() {
        return errs.into_resp();
    }
    let vm = &loc.vms[i];
    if name.is_none() && vcpu.is_none() && ram.is_none() {
        return vm_err(400, "Nothing to change: provide name, vcpu or ram.");
    }
    if vcpu == Some(vm.vcpu) {
        return vm_err(
            400,
            format!("Virtual machine already has {} vcpu.", vm.vcpu),
        );
    }
    if ram == Some(vm.memory) {
        return vm_err(
            400,
            format!("Virtual machine already has {} MB of ram.", vm.memory),
        );
    }
    if (vcpu.is_some() || ram.is_some()) && vm.status != STOPPED {
        return vm_err(
            400,
            "Virtual machine must be stopped to change vcpu or ram.",
        );
    }
    if let Some(p) = find_pool(&slug, Some(&vm.pool_uuid)) {
        let mut cpu = p.limits.cpu;
        let mut mem = p.limits.ram_mb;
        if vm.os_name == "windows" {
            cpu.0 = cpu.0.max(2);
            mem.0 = mem.0.max(1024);
        }
        check_range(&mut errs, "vcpu", vcpu, cpu);
        check_range(&mut errs, "ram", ram, mem);
    }
    if !errs.is_empty() {
        return errs.into_resp();
    }
    let vm = &mut loc.vms[i];
    if let Some(n) = name {
        vm.name = n;
    }
    if let Some(c) = vcpu {
        vm.vcpu = c;
    }
    if let Some(r) = ram {
        vm.memory = r;
    }
    vm.touch();
    ok(json_of(acc, &slug, i))
}

fn delete(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let slug = rq.slug.clone();
    let loc = acc.loc(&slug);
    let i = tryr!(vm_from_form(rq, loc));
    let vm = loc.vms.remove(i);
    // own disks go with the VM; independently created disks are detached and kept
    loc.disks
        .retain(|d| !(d.owned_by_vm && d.attached_to.as_deref() == Some(vm.uuid.as_str())));
    for d in &mut loc.disks {
        if d.attached_to.as_deref() == Some(vm.uuid.as_str()) {
            d.attached_to = None;
            d.device = None;
            d.primary = false;
            d.touch();
        }
    }
    network::detach_resource(loc, &vm.uuid);
    for fw in &mut loc.firewalls {
        fw.unassign_vm(&vm.uuid);
    }
    for lb in &mut loc.load_balancers {
        lb.remove_target(&vm.uuid);
    }
    floating_ip::release_all(acc, &slug, &vm.uuid);
    success()
}

/// `POST /vm/start`: idempotent; a normal launch boots the disk (boot media are
/// one-shot).
fn start(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let loc = acc.loc(&rq.slug);
    let i = tryr!(vm_from_form(rq, loc));
    let vm = &mut loc.vms[i];
    if vm.status != RUNNING {
        vm.status = RUNNING.to_string();
        vm.booted_from = BOOT_DISK.to_string();
        vm.touch();
    }
    ok(json_of(acc, &rq.slug, i))
}

/// `POST /vm/stop [force]`: idempotent. Graceful (ACPI) by default: a guest that
/// ignores the signal is still running after `SHUTDOWN_WAIT_S` and the call
/// fails; `force=true` pulls the plug.
fn stop(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let loc = acc.loc(&rq.slug);
    let i = tryr!(vm_from_form(rq, loc));
    let mut errs = Errs::default();
    let force = opt_bool(rq, "force", false, &mut errs);
    if !errs.is_empty() {
        return errs.into_resp();
    }
    let vm = &mut loc.vms[i];
    if vm.status != STOPPED {
        if vm.ignores_shutdown && !force {
            return vm_err(
                400,
                format!(
                    "Virtual machine did not shut down within {SHUTDOWN_WAIT_S:.0} seconds: the guest did not respond to the ACPI shutdown signal. Use force=true to stop it."
                ),
            );
        }
        vm.status = STOPPED.to_string();
        vm.last_stop = Some(if force { "forced" } else { "graceful" }.to_string());
        if force {
            vm.forced_stops += 1;
        }
        vm.touch();
    }
    ok(json_of(acc, &rq.slug, i))
}

fn change_password(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let loc = acc.loc(&rq.slug);
    let i = tryr!(vm_from_form(rq, loc));
    let mut errs = Errs::default();
    let username = rq.f_nonempty("username");
    if username.is_none() {
        errs.add("username", MISSING);
    }
    let password = rq.f_nonempty("password");
    match password {
        None => errs.add("password", MISSING),
        Some(p) if !valid_password(p) => errs.add("password", PASSWORD_MSG),
        _ => {}
    }
    if !errs.is_empty() {
        return errs.into_resp();
    }
    let vm = &mut loc.vms[i];
    if vm.status != RUNNING {
        return vm_err(
            400,
            "Virtual machine must be running to change the password.",
        );
    }
    vm.password = password.map(str::to_string);
    vm.touch();
    success()
}

fn reinstall(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let slug = rq.slug.clone();
    let loc = acc.loc(&slug);
    let i = tryr!(vm_from_form(rq, loc));
    let vm = &loc.vms[i];
    let os_name = rq
        .f_nonempty("os_name")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| vm.os_name.clone());
    let os_version = match rq.f_nonempty("os_version") {
        Some(v) => v.trim().to_string(),
        None if os_name == vm.os_name => vm.os_version.clone(),
        None => config::IMAGES
            .iter()
            .find(|i| i.os_name == os_name)
            .and_then(config::default_version)
            .unwrap_or("")
            .to_string(),
    };
    if os_name == "_custom" {
        return field_err("os_name", "A base image is needed to reinstall.");
    }
    if let Err(m) = find_image(&os_name, &os_version) {
        let field = if config::IMAGES.iter().any(|i| i.os_name == os_name) {
            "os_version"
        } else {
            "os_name"
        };
        return field_err(field, &m);
    }
    if os_name == "windows" && (vm.vcpu < 2 || vm.memory < 1024) {
        return vm_err(
            400,
            "Windows needs at least 2 vcpu and 1024 MB of ram: resize the virtual machine first.",
        );
    }
    // The boot disk is overwritten with the base image: what the guest wrote is gone.
    let uuid = vm.uuid.clone();
    for d in &mut loc.disks {
        if d.primary && d.attached_to.as_deref() == Some(uuid.as_str()) {
            d.source_image_type = "OS_BASE".to_string();
            d.source_image = Some(format!("{os_name}_{os_version}"));
            d.guest_data = None;
            d.touch();
        }
    }
    let vm = &mut loc.vms[i];
    vm.os_name = os_name;
    vm.os_version = os_version;
    vm.status = RUNNING.to_string();
    vm.booted_from = BOOT_DISK.to_string();
    vm.touch();
    ok(json_of(acc, &slug, i))
}

fn clone(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, al) = acct!(st, rq);
    let user_id = acc.user_id;
    let slug = rq.slug.clone();
    let loc = acc.loc(&slug);
    let i = tryr!(vm_from_form(rq, loc));
    let Some(name) = rq.f_nonempty("name").map(|s| s.trim().to_string()) else {
        return field_err("name", MISSING);
    };
    let src = &loc.vms[i];
    let uuid = util::uuid_v4();
    let net_idx = loc
        .networks
        .iter()
        .position(|n| n.uuid == src.network_uuid)
        .unwrap_or_else(|| network::ensure_default(loc, al));
    let private_ipv4 = loc.networks[net_idx].alloc_ip();
    loc.networks[net_idx].vm_uuids.push(uuid.clone());
    let src = &loc.vms[i];
    let boot = loc
        .disks
        .iter()
        .find(|d| d.primary && d.attached_to.as_deref() == Some(src.uuid.as_str()))
        .cloned();
    let mut d = Disk::new(
        al.next_id(),
        boot.as_ref().map(|b| b.size_gb).unwrap_or(20),
        src.billing_account,
    );
    d.source_image_type = "DISK".to_string();
    d.guest_data = boot.as_ref().and_then(|b| b.guest_data.clone());
    d.source_image = boot.map(|b| b.uuid);
    d.attached_to = Some(uuid.clone());
    d.device = Some("vda".to_string());
    d.primary = true;
    d.owned_by_vm = true;
    let vm = Vm {
        id: al.next_id(),
        uuid,
        hostname: hostname_of(&name),
        name,
        description: src.description.clone(),
        status: RUNNING.to_string(),
        vcpu: src.vcpu,
        memory: src.memory,
        os_name: src.os_name.clone(),
        os_version: src.os_version.clone(),
        username: src.username.clone(),
        password: src.password.clone(),
        public_keys: src.public_keys.clone(),
        cloud_init: src.cloud_init.clone(),
        backup: false,
        billing_account: src.billing_account,
        created_at: util::ts(),
        updated_at: None,
        mac: util::random_mac(),
        private_ipv4,
        public_ipv6: src.public_ipv6.as_ref().map(|_| al.ipv6()),
        pool_uuid: src.pool_uuid.clone(),
        pool_name: src.pool_name.clone(),
        network_uuid: loc.networks[net_idx].uuid.clone(),
        booted_from: BOOT_DISK.to_string(),
        ignores_shutdown: false,
        last_stop: None,
        forced_stops: 0,
    };
    loc.disks.push(d);
    let out = vm_json(&vm, &loc.disks, user_id);
    loc.vms.push(vm);
    ok(out)
}

fn toggle_backup(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let loc = acc.loc(&rq.slug);
    let i = tryr!(vm_from_form(rq, loc));
    let vm = &mut loc.vms[i];
    vm.backup = !vm.backup;
    vm.touch();
    ok(json_of(acc, &rq.slug, i))
}

// ---------------------------------------------------------------- replicas

/// Resolve a `uuid` that names a VM (its primary disk) or a disk directly.
fn disk_for(loc: &Loc, uuid: &str) -> Option<usize> {
    if let Some(vm) = loc.vms.iter().find(|v| v.uuid.eq_ignore_ascii_case(uuid)) {
        return loc
            .disks
            .iter()
            .position(|d| d.primary && d.attached_to.as_deref() == Some(vm.uuid.as_str()));
    }
    loc.disks
        .iter()
        .position(|d| d.uuid.eq_ignore_ascii_case(uuid) && d.attached_to.is_some())
}

fn list_replicas(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let loc = acc.loc(&rq.slug);
    let Some(u) = rq.q("uuid").map(str::trim).filter(|u| !u.is_empty()) else {
        return field_err("uuid", MISSING);
    };
    let r_type = rq
        .q("r_type")
        .filter(|t| !t.is_empty())
        .unwrap_or("snapshot");
    let Some(di) = disk_for(loc, u) else {
        return no_such_vm(u);
    };
    let d = &loc.disks[di];
    ok(Value::Array(
        d.replicas
            .iter()
            .filter(|r| r.kind == r_type)
            .map(|r| d.replica_json(r))
            .collect(),
    ))
}

fn create_replica(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, al) = acct!(st, rq);
    let user_id = acc.user_id;
    let loc = acc.loc(&rq.slug);
    let Some(u) = rq.f_nonempty("uuid").map(str::trim) else {
        return field_err("uuid", MISSING);
    };
    let Some(di) = disk_for(loc, u) else {
        return no_such_vm(u);
    };
    add_replica(loc, di, al.next_id(), "snapshot");
    ok(loc.disks[di].storage_json(user_id))
}

/// Adds a replica of `loc.disks[di]`: its size, its data and (a boot disk) its
/// VM's operating system as they are now.
fn add_replica(loc: &mut Loc, di: usize, id: i64, kind: &str) -> Replica {
    let os = loc.disks[di]
        .attached_to
        .as_deref()
        .filter(|_| loc.disks[di].primary)
        .and_then(|vm| loc.vms.iter().find(|v| v.uuid == vm))
        .map(|vm| (vm.os_name.clone(), vm.os_version.clone()));
    let d = &mut loc.disks[di];
    let mut ruuid = format!("{}{}", d.uuid, util::ts_dashed());
    if d.replicas.iter().any(|r| r.uuid == ruuid) {
        ruuid = format!("{}{}-{}", d.uuid, util::ts_dashed(), d.replicas.len());
    }
    let replica = Replica {
        id,
        uuid: ruuid,
        created_at: util::ts_micro(),
        size: d.size_gb,
        kind: kind.to_string(),
        os,
        guest_data: d.guest_data.clone(),
    };
    d.replicas.push(replica.clone());
    replica
}

fn delete_replica(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let loc = acc.loc(&rq.slug);
    let Some(r) = rq.f_nonempty("replica_uuid").map(str::trim) else {
        return field_err("replica_uuid", MISSING);
    };
    for d in &mut loc.disks {
        if let Some(p) = d.replicas.iter().position(|x| x.uuid == r) {
            d.replicas.remove(p);
            return success();
        }
    }
    vm_err(400, format!("No such replica exists. {r}"))
}

fn rebuild(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let loc = acc.loc(&rq.slug);
    let i = tryr!(vm_from_form(rq, loc));
    let Some(r) = rq.f_nonempty("replica_uuid").map(str::trim) else {
        return field_err("replica_uuid", MISSING);
    };
    let vm_uuid = loc.vms[i].uuid.clone();
    let found = loc.disks.iter_mut().find(|d| {
        d.attached_to.as_deref() == Some(vm_uuid.as_str()) && d.replicas.iter().any(|x| x.uuid == r)
    });
    // The disk gets the replica's content, size and (a boot disk) operating system
    // back; the VM is left stopped, as the document's example answer shows.
    let Some(d) = found else {
        return vm_err(400, format!("No such replica exists. {r}"));
    };
    let Some(rep) = d.replicas.iter().find(|x| x.uuid == r).cloned() else {
        return vm_err(400, format!("No such replica exists. {r}"));
    };
    d.size_gb = rep.size;
    d.guest_data = rep.guest_data.clone();
    d.source_image_type = "SNAPSHOT".to_string();
    d.source_image = Some(rep.uuid.clone());
    d.touch();
    let primary = d.primary;
    let vm = &mut loc.vms[i];
    if let (true, Some((os_name, os_version))) = (primary, rep.os) {
        vm.os_name = os_name;
        vm.os_version = os_version;
    }
    vm.status = STOPPED.to_string();
    vm.touch();
    ok(json_of(acc, &rq.slug, i))
}

// ---------------------------------------------------------------- public IP (deprecated)

fn reserve_public_ip(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, al) = acct!(st, rq);
    let slug = rq.slug.clone();
    let loc = acc.loc(&slug);
    let i = tryr!(vm_from_form(rq, loc));
    let vm = &loc.vms[i];
    if loc
        .floating_ips
        .iter()
        .any(|ip| ip.assigned_to.as_deref() == Some(vm.uuid.as_str()))
    {
        return vm_err(400, "Virtual machine already has a public IP address.");
    }
    let mut ip = FloatingIp::new(al, &slug, &vm.name, vm.billing_account);
    ip.assign(&vm.uuid, TYPE_VM, Some(vm.private_ipv4.clone()));
    loc.floating_ips.push(ip);
    loc.vms[i].touch();
    ok(json_of(acc, &slug, i))
}

fn release_public_ip(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let slug = rq.slug.clone();
    let loc = acc.loc(&slug);
    let i = tryr!(vm_from_form(rq, loc));
    let uuid = loc.vms[i].uuid.clone();
    if !loc
        .floating_ips
        .iter()
        .any(|ip| ip.assigned_to.as_deref() == Some(uuid.as_str()))
    {
        return vm_err(400, "Virtual machine has no public IP address.");
    }
    floating_ip::release_all(acc, &slug, &uuid);
    let loc = acc.loc(&slug);
    loc.vms[i].touch();
    ok(json_of(acc, &slug, i))
}

// ---------------------------------------------------------------- attached storage

fn no_such_disk(uuid: &str) -> Resp {
    vm_err(400, format!("No such storage exists. {uuid}"))
}

fn add_storage(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, al) = acct!(st, rq);
    let user_id = acc.user_id;
    let slug = rq.slug.clone();
    let loc = acc.loc(&slug);
    let i = tryr!(vm_from_form(rq, loc));
    let mut errs = Errs::default();
    let size = req_int(rq, "size_gb", &mut errs);
    let vm = &loc.vms[i];
    if let Some(p) = find_pool(&slug, Some(&vm.pool_uuid)) {
        check_range(&mut errs, "size_gb", size, (1, p.limits.disk_gb.1));
    }
    if !errs.is_empty() {
        return errs.into_resp();
    }
    let Some(size) = size else {
        return field_err("size_gb", MISSING);
    };
    let vm_uuid = vm.uuid.clone();
    let mut d = Disk::new(al.next_id(), size, vm.billing_account);
    d.device = Some(next_device(&loc.disks, &vm_uuid));
    d.attached_to = Some(vm_uuid);
    d.owned_by_vm = true;
    let out = d.storage_json(user_id);
    loc.disks.push(d);
    loc.vms[i].touch();
    ok(out)
}

fn vm_disk(rq: &Req, loc: &Loc, vm: usize, field: &str) -> Result<usize, Resp> {
    let mut errs = Errs::default();
    let Some(du) = req_uuid(rq, field, &mut errs) else {
        return Err(errs.into_resp());
    };
    let vm_uuid = &loc.vms[vm].uuid;
    loc.disks
        .iter()
        .position(|d| d.uuid == du && d.attached_to.as_deref() == Some(vm_uuid.as_str()))
        .ok_or_else(|| no_such_disk(&du))
}

fn modify_storage(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let user_id = acc.user_id;
    let slug = rq.slug.clone();
    let loc = acc.loc(&slug);
    let i = tryr!(vm_from_form(rq, loc));
    let di = tryr!(vm_disk(rq, loc, i, "disk_uuid"));
    let mut errs = Errs::default();
    let Some(size) = req_int(rq, "size_gb", &mut errs) else {
        return errs.into_resp();
    };
    let max = find_pool(&slug, Some(&loc.vms[i].pool_uuid))
        .map(|p| p.limits.disk_gb.1)
        .unwrap_or(i64::MAX);
    let d = &mut loc.disks[di];
    if size < d.size_gb {
        return field_err(
            "size_gb",
            &format!(
                "New disk size cannot be smaller than current size ({} GB).",
                d.size_gb
            ),
        );
    }
    if size > max {
        return field_err("size_gb", &range_msg(d.size_gb, max));
    }
    d.size_gb = size;
    d.touch();
    ok(d.storage_json(user_id))
}

fn delete_storage(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let loc = acc.loc(&rq.slug);
    let i = tryr!(vm_from_form(rq, loc));
    let di = tryr!(vm_disk(rq, loc, i, "storage_uuid"));
    if loc.disks[di].primary {
        return vm_err(400, "Primary disk cannot be deleted.");
    }
    loc.disks.remove(di);
    loc.vms[i].touch();
    success()
}

fn attach_storage(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let user_id = acc.user_id;
    let loc = acc.loc(&rq.slug);
    let i = tryr!(vm_from_form(rq, loc));
    let mut errs = Errs::default();
    let Some(du) = req_uuid(rq, "storage_uuid", &mut errs) else {
        return errs.into_resp();
    };
    let Some(di) = loc.disks.iter().position(|d| d.uuid == du) else {
        return no_such_disk(&du);
    };
    let vm_uuid = loc.vms[i].uuid.clone();
    match loc.disks[di].attached_to.as_deref() {
        Some(v) if v == vm_uuid => {
            return vm_err(400, "Disk is already attached to this virtual machine.")
        }
        Some(_) => return vm_err(400, "Disk is already attached to another virtual machine."),
        None => {}
    }
    let dev = next_device(&loc.disks, &vm_uuid);
    let d = &mut loc.disks[di];
    d.attached_to = Some(vm_uuid);
    d.device = Some(dev);
    d.primary = false;
    d.vm_created_at = util::ts();
    d.touch();
    let out = json!({
        "created_at": d.vm_created_at,
        "name": d.device,
        "primary": false,
        "replica": [],
        "size": d.size_gb,
        "user_id": user_id,
        "uuid": d.uuid,
    });
    loc.vms[i].touch();
    ok(out)
}

fn detach_storage(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let loc = acc.loc(&rq.slug);
    let i = tryr!(vm_from_form(rq, loc));
    let di = tryr!(vm_disk(rq, loc, i, "storage_uuid"));
    let d = &mut loc.disks[di];
    if d.primary {
        return vm_err(400, "Primary disk cannot be detached.");
    }
    d.attached_to = None;
    d.device = None;
    d.owned_by_vm = false;
    d.touch();
    loc.vms[i].touch();
    success()
}

// ---------------------------------------------------------------- boot media

fn launch_with_media(acc: &mut Account, slug: &str, i: usize, media: String) -> Resp {
    let loc = acc.loc(slug);
    let vm = &mut loc.vms[i];
    if vm.status == RUNNING {
        return vm_err(
            400,
            "Virtual machine must be stopped before booting from a media image.",
        );
    }
    vm.booted_from = media;
    vm.status = RUNNING.to_string();
    vm.touch();
    ok(json_of(acc, slug, i))
}

fn boot_iso_media(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let slug = rq.slug.clone();
    let loc = acc.loc(&slug);
    let i = tryr!(vm_from_form(rq, loc));
    let mut errs = Errs::default();
    let Some(image) = req_uuid(rq, "boot_image_uuid", &mut errs) else {
        return errs.into_resp();
    };
    let repo = rq
        .f_nonempty("boot_image_repository")
        .map(|s| s.trim().to_ascii_lowercase())
        .unwrap_or_else(|| "platform".to_string());
    match repo.as_str() {
        "platform" => {
            if !BOOT_IMAGES.iter().any(|b| b.0 == image && b.4) {
                return field_err("boot_image_uuid", "No such boot image exists.");
            }
        }
        "private" => {
            let ok_disk = loc
                .disks
                .iter()
                .any(|d| d.uuid == image && d.read_only_bootable);
            if !ok_disk {
                return field_err(
                    "boot_image_uuid",
                    "No such disk with read_only_bootable set exists.",
                );
            }
        }
        _ => {
            return field_err(
                "boot_image_repository",
                "Must be one of: private, platform.",
            );
        }
    }
    launch_with_media(acc, &slug, i, format!("{repo}:{image}"))
}

fn rescue_start(st: &mut SimState, rq: &Req) -> Resp {
    let (acc, _) = acct!(st, rq);
    let slug = rq.slug.clone();
    let loc = acc.loc(&slug);
    let i = tryr!(vm_from_form(rq, loc));
    launch_with_media(acc, &slug, i, "rescue".to_string())
}

// ---------------------------------------------------------------- timing and control

/// How long the live API takes to answer (before `SimState::time_factor`): the
/// field notes' durations, for the operations that change a VM's power or disk.
pub fn duration(st: &SimState, method: &str, segs: &[&str], rq: &Req) -> std::time::Duration {
    let secs = |s: f64| std::time::Duration::from_secs_f64(s);
    let rest = match segs {
        ["user-resource", "vm", rest @ ..] => rest,
        _ => return std::time::Duration::ZERO,
    };
    let vm = || {
        let uuid = rq.f_nonempty("uuid")?.trim();
        st.accounts
            .get(&rq.key)?
            .locs
            .get(&rq.slug)?
            .vms
            .iter()
            .find(|v| v.uuid.eq_ignore_ascii_case(uuid))
    };
    let status = || vm().map(|v| v.status.as_str());
    match (method, rest) {
        ("POST", []) | ("POST", ["clone"]) | ("POST", ["reinstall"]) | ("POST", ["rebuild"]) => {
            secs(CREATE_S)
        }
        ("DELETE", []) => secs(DELETE_S),
        ("POST", ["start"]) if status() == Some(STOPPED) => secs(START_S),
        ("POST", ["boot_iso_media"]) | ("POST", ["rescue_start"]) => secs(START_S),
        ("POST", ["stop"]) if status() == Some(RUNNING) => {
            let force = rq.f("force").and_then(util::parse_bool).unwrap_or(false);
            match vm() {
                Some(_) if force => secs(FORCED_STOP_S),
                Some(v) if v.ignores_shutdown => secs(SHUTDOWN_WAIT_S),
                _ => secs(STOP_S),
            }
        }
        _ => std::time::Duration::ZERO,
    }
}

/// A VM as `GET /__sim/vms` shows it: what its guest was given (the API never
/// returns it) and what happened to it.
pub fn guest_json(vm: &Vm, disks: &[Disk]) -> Value {
    let boot = disks
        .iter()
        .find(|d| d.primary && d.attached_to.as_deref() == Some(vm.uuid.as_str()));
    json!({
        "uuid": vm.uuid,
        "name": vm.name,
        "username": vm.username,
        "password": vm.password,
        "public_keys": vm.public_keys,
        "cloud_init": vm.cloud_init,
        "status": vm.status,
        "os_name": vm.os_name,
        "os_version": vm.os_version,
        "booted_from": vm.booted_from,
        "ignores_shutdown": vm.ignores_shutdown,
        "last_stop": vm.last_stop,
        "forced_stops": vm.forced_stops,
        "disk_data": boot.and_then(|d| d.guest_data.clone()),
        "disk_source": boot.map(|d| json!({"type": d.source_image_type, "image": d.source_image})),
    })
}

/// The account location holding VM `uuid` (any account).
fn locate_vm<'a>(st: &'a mut SimState, uuid: &str) -> Option<(&'a mut Loc, usize)> {
    st.accounts
        .values_mut()
        .flat_map(|a| a.locs.values_mut())
        .find_map(|loc| {
            let i = loc
                .vms
                .iter()
                .position(|v| v.uuid.eq_ignore_ascii_case(uuid))?;
            Some((loc, i))
        })
}

/// `POST /__sim/vms/{uuid}/guest` `{"ignores_shutdown": bool, "disk_data": text|null}`:
/// makes the guest ignore (or obey) graceful shutdowns, and writes data on its
/// boot disk. Absent keys are left as they are.
pub fn set_guest(st: &mut SimState, uuid: &str, body: &Value) -> Resp {
    let Some((loc, i)) = locate_vm(st, uuid) else {
        return crate::http::msg_err(404, format!("no VM {uuid}"));
    };
    if let Some(v) = body.get("ignores_shutdown") {
        let Some(b) = v.as_bool() else {
            return crate::http::msg_err(400, "ignores_shutdown must be a boolean");
        };
        loc.vms[i].ignores_shutdown = b;
    }
    if let Some(v) = body.get("disk_data") {
        let vm_uuid = loc.vms[i].uuid.clone();
        let data = v.as_str().map(str::to_string);
        for d in &mut loc.disks {
            if d.primary && d.attached_to.as_deref() == Some(vm_uuid.as_str()) {
                d.guest_data = data.clone();
            }
        }
    }
    ok(guest_json(&loc.vms[i], &loc.disks))
}

/// `POST /__sim/vms/{uuid}/backup`: the platform's automatic backup of the VM's
/// boot disk, now (a replica of type `backup`); answers the replica.
pub fn take_backup(st: &mut SimState, uuid: &str) -> Resp {
    let id = st.alloc.next_id();
    let Some((loc, i)) = locate_vm(st, uuid) else {
        return crate::http::msg_err(404, format!("no VM {uuid}"));
    };
    let vm_uuid = loc.vms[i].uuid.clone();
    let Some(di) = loc
        .disks
        .iter()
        .position(|d| d.primary && d.attached_to.as_deref() == Some(vm_uuid.as_str()))
    else {
        return crate::http::msg_err(400, format!("VM {uuid} has no boot disk"));
    };
    let replica = add_replica(loc, di, id, "backup");
    ok(loc.disks[di].replica_json(&replica))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn username_rules() {
        assert!(valid_username("example"));
        assert!(valid_username("_a-b_1"));
        assert!(!valid_username("1abc"));
        assert!(!valid_username(""));
        assert!(!valid_username(&"a".repeat(31)));
    }

    #[test]
    fn password_rules() {
        assert!(valid_password("Password123"));
        assert!(!valid_password("password123"));
        assert!(!valid_password("Pass1"));
    }

    #[test]
    fn public_keys() {
        assert!(valid_public_key(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockPublicKeyData user@host"
        ));
        assert!(valid_public_key("ecdsa-sha2-nistp256 AAAAE2VjZHNh"));
        assert!(!valid_public_key("ssh-ed25519"));
        assert!(!valid_public_key("ssh-ed25519+AAAA"));
    }
}
