//! Decodes every example response of the three API documents into the typed models.
//!
//! The documents are read at run time from `../shared/seeds/` (beside the repository):
//!
//! - `000_*.txt` is markdown: a section is a `## ` heading; an example response is the fenced
//!   code block after a `> The above command returns ...:` line. Inside those blocks many lines
//!   end with a stray `\` (markdown escape artifact), which is removed before parsing.
//! - `001_*.txt` and `002_*.txt` are plain text without headings or fences: a section title is
//!   the line just before the section's `curl ...` command, and an example response is the JSON
//!   value that starts on the line after `The above command returns ...:` (it is parsed as a
//!   stream, so the prose that follows it is ignored).
//!
//! Every (document, section) with an example must be mapped in [`table`]; the test fails on an
//! unmapped section, on a table entry whose section does not exist, on an example that does not
//! decode, and on an example key that the model silently drops (each decoded model is
//! re-serialised and must still contain every non-null key and value of the example).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use terraform_provider_idcloudhost::api::models::*;

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds/");

// =============================================================================================
// documents

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Doc {
    /// IDCloudHost, newest, markdown.
    D000,
    /// elastis.id, oldest, plain text.
    D001,
    /// 3nv.io, middle, plain text.
    D002,
}

use Doc::*;

const ALL: &[Doc] = &[D000, D001, D002];
/// Endpoints added after the oldest document (firewalls, managed services, boot images).
const NEWER: &[Doc] = &[D000, D002];
/// Endpoints only in the newest document (SSH keys).
#[allow(dead_code)] // TEMPORARY: used once the SSH key models land.
const NEWEST: &[Doc] = &[D000];

impl Doc {
    fn prefix(self) -> &'static str {
        match self {
            D000 => "000_",
            D001 => "001_",
            D002 => "002_",
        }
    }

    fn read(self) -> String {
        let dir = fs::read_dir(SEEDS).unwrap_or_else(|e| panic!("cannot read {SEEDS}: {e}"));
        let mut paths: Vec<_> = dir
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(self.prefix()) && n.ends_with(".txt"))
            })
            .collect();
        paths.sort();
        assert_eq!(
            paths.len(),
            1,
            "expected one {}*.txt in {SEEDS}",
            self.prefix()
        );
        fs::read_to_string(&paths[0]).unwrap()
    }
}

/// One example response found in a document.
#[derive(Debug)]
struct Example {
    doc: Doc,
    section: String,
    /// 1-based line of the "The above command returns" marker.
    line: usize,
    body: Body,
}

#[derive(Debug)]
enum Body {
    /// Text starting with `{` or `[`; for the markdown document exactly the code block, for the
    /// plain-text documents everything up to the end of the file (parsed as a stream).
    Json(String),
    /// Anything else (an empty block, `<Response body is empty>`, prose); first line kept.
    NotJson(String),
}

const MARKER: &str = "The above command returns";

/// Extracts the examples of the markdown document, plus the non-command code blocks that do
/// not follow a marker (returned as `(section, first line)`).
fn extract_markdown(text: &str) -> (Vec<Example>, Vec<(String, String)>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut examples = Vec::new();
    let mut others = Vec::new();
    let mut section = String::new();
    let mut pending: Option<usize> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(title) = line.strip_prefix("## ") {
            assert!(
                pending.is_none(),
                "000 line {}: marker without a block",
                i + 1
            );
            section = title.trim().to_string();
        } else if line.starts_with("# ") {
            section.clear();
        } else if let Some(rest) = line.strip_prefix("> ") {
            if rest.starts_with(MARKER) && rest.trim_end().ends_with(':') {
                pending = Some(i + 1);
            }
        } else if line.starts_with("```") {
            let mut body = Vec::new();
            i += 1;
            while i < lines.len() && !lines[i].starts_with("```") {
                let l = lines[i];
                body.push(l.strip_suffix('\\').unwrap_or(l));
                i += 1;
            }
            let body = body.join("\n");
            let trimmed = body.trim();
            if let Some(marker_line) = pending.take() {
                let body = if trimmed.starts_with('{') || trimmed.starts_with('[') {
                    Body::Json(body)
                } else {
                    Body::NotJson(trimmed.lines().next().unwrap_or("").to_string())
                };
                examples.push(Example {
                    doc: D000,
                    section: section.clone(),
                    line: marker_line,
                    body,
                });
            } else if !trimmed.lines().any(|l| l.trim_start().starts_with("curl ")) {
                others.push((
                    section.clone(),
                    trimmed.lines().next().unwrap_or("").to_string(),
                ));
            }
        }
        i += 1;
    }
    (examples, others)
}

/// Extracts the examples of a plain-text document.
fn extract_plain(doc: Doc, text: &str) -> Vec<Example> {
    let lines: Vec<&str> = text.lines().collect();
    let mut examples = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !(line.starts_with(MARKER) && line.trim_end().ends_with(':')) {
            continue;
        }
        // The section title is the line just before the section's curl command.
        let curl = (0..i)
            .rev()
            .take(200)
            .find(|&k| lines[k].starts_with("curl "))
            .unwrap_or_else(|| panic!("{doc:?} line {}: no curl command before marker", i + 1));
        assert!(curl > 0, "{doc:?}: curl on the first line");
        let section = lines[curl - 1].trim().to_string();
        let rest = lines[i + 1..].join("\n");
        let trimmed = rest.trim_start();
        let body = if trimmed.starts_with('{') || trimmed.starts_with('[') {
            Body::Json(rest)
        } else {
            Body::NotJson(trimmed.lines().next().unwrap_or("").to_string())
        };
        examples.push(Example {
            doc,
            section,
            line: i + 1,
            body,
        });
    }
    examples
}

/// Parses an example body: the whole block for the markdown document, the first JSON value for
/// the plain-text ones.
fn parse_json(doc: Doc, text: &str) -> Result<Value, String> {
    if doc == D000 {
        serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))
    } else {
        serde_json::Deserializer::from_str(text)
            .into_iter::<Value>()
            .next()
            .ok_or_else(|| "no JSON value".to_string())?
            .map_err(|e| format!("invalid JSON: {e}"))
    }
}

/// Rewrites Python literals (`True`, `False`, `None`) outside string literals to JSON.
fn python_literals_to_json(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                }
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if c.is_ascii_alphabetic() {
            let mut word = String::from(c);
            while let Some(&n) = chars.peek() {
                if n.is_ascii_alphanumeric() || n == '_' {
                    word.push(n);
                    chars.next();
                } else {
                    break;
                }
            }
            out.push_str(match word.as_str() {
                "True" => "true",
                "False" => "false",
                "None" => "null",
                w => w,
            });
        } else {
            out.push(c);
        }
    }
    out
}

// =============================================================================================
// decoding and the "nothing dropped" check

/// Keys the models accept under another name; the re-serialised model uses the second one.
const ALIASES: &[(&str, &str)] = &[("sizeGb", "size_gb")];

/// Decodes `v` as `T`, then checks that re-serialising `T` keeps every non-null key and value of
/// `v` (so a misspelt or missing model field cannot silently drop data).
fn dec<T: DeserializeOwned + Serialize>(v: &Value) -> Result<T, String> {
    let t: T = T::deserialize(v).map_err(|e| format!("decode error: {e}"))?;
    let back = serde_json::to_value(&t).map_err(|e| format!("re-serialise error: {e}"))?;
    let mut problems = Vec::new();
    covered("$", v, &back, &mut problems);
    if problems.is_empty() {
        Ok(t)
    } else {
        Err(format!("model drops data: {}", problems.join(", ")))
    }
}

fn covered(path: &str, orig: &Value, back: &Value, problems: &mut Vec<String>) {
    match (orig, back) {
        (Value::Null, _) => {}
        (Value::Object(o), Value::Object(b)) => {
            for (k, ov) in o {
                if ov.is_null() {
                    continue;
                }
                let key = ALIASES
                    .iter()
                    .find(|(from, _)| from == k)
                    .map_or(k.as_str(), |(_, to)| to);
                match b.get(key) {
                    Some(bv) => covered(&format!("{path}.{k}"), ov, bv, problems),
                    None => problems.push(format!("{path}.{k} missing")),
                }
            }
        }
        (Value::Array(o), Value::Array(b)) => {
            if o.len() != b.len() {
                problems.push(format!("{path}: {} items became {}", o.len(), b.len()));
            }
            for (i, (ov, bv)) in o.iter().zip(b).enumerate() {
                covered(&format!("{path}[{i}]"), ov, bv, problems);
            }
        }
        (o, b) if scalar_eq(o, b) => {}
        (o, b) => problems.push(format!("{path}: {o} became {b}")),
    }
}

/// Scalar equality modulo the lenient conversions (number ↔ numeric string, 0/1 ↔ bool).
fn scalar_eq(a: &Value, b: &Value) -> bool {
    fn num(v: &Value) -> Option<f64> {
        match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
            _ => None,
        }
    }
    match (a, b) {
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        _ => matches!((num(a), num(b)), (Some(x), Some(y)) if x == y),
    }
}

type Run = fn(Doc, &Value) -> Result<(), String>;

/// Decodes into `T` without further assertions.
fn only<T: DeserializeOwned + Serialize>(_: Doc, v: &Value) -> Result<(), String> {
    dec::<T>(v).map(|_| ())
}

fn check(cond: bool, what: &str) -> Result<(), String> {
    if cond {
        Ok(())
    } else {
        Err(format!("assertion failed: {what}"))
    }
}

macro_rules! ensure {
    ($cond:expr) => {
        check($cond, stringify!($cond))?
    };
}

// =============================================================================================
// the table

#[derive(Clone, Copy)]
#[allow(dead_code)] // TEMPORARY: PythonLiterals/Empty are used once all models land.
enum Expect {
    /// A JSON example decoding into the named model type.
    Model(&'static str, Run),
    /// Not JSON as printed (Python `True`/`False` literals); decoded after rewriting them.
    PythonLiterals(&'static str, Run),
    /// An error-only example; decodes as [`ApiErrorBody`] with a message.
    Error,
    /// `{"success": true}`.
    Ack,
    /// No JSON body (an empty block, `<Response body is empty>`).
    Empty,
}

struct Entry {
    section: &'static str,
    docs: &'static [Doc],
    expect: Expect,
}

macro_rules! model {
    ($t:ty) => {
        Expect::Model(stringify!($t), only::<$t>)
    };
    ($t:ty, $run:expr) => {
        Expect::Model(stringify!($t), $run)
    };
}

const fn e(section: &'static str, docs: &'static [Doc], expect: Expect) -> Entry {
    Entry {
        section,
        docs,
        expect,
    }
}

/// (document, section title) → what its example must decode into.
fn table() -> Vec<Entry> {
    vec![
        // ---- User / Token
        // ---- Locations
        e("List Locations", ALL, model!(Vec<Location>, locations)),
        // ---- VM
        e("Delete VM", ALL, Expect::Error),
        e("Get VM Info", ALL, model!(Vm, get_vm_info)),
        e("Change Password", ALL, Expect::Ack),
        e("Modify VM", ALL, model!(Vm, modify_vm)),
        e("Create VM", ALL, model!(Vm, create_vm)),
        e(
            "List VM resource pools",
            ALL,
            model!(Vec<HostPool>, host_pools),
        ),
        e("Reinstall VM", ALL, model!(Vm, vm_with_replica)),
        e("Toggle Auto Backup", ALL, model!(Vm, toggle_backup)),
        e("Clone VM", ALL, model!(Vm)),
        e("Release Public IP", ALL, model!(Vm, vm_without_public_ip)),
        e("Reserve Public IP", ALL, model!(Vm, vm_without_public_ip)),
        e("List VMs", ALL, model!(Vec<Vm>, list_vms)),
        e("Rebuild from Replica", ALL, model!(Vm, vm_with_replica)),
        e("Delete Replica", ALL, Expect::Ack),
        e("List Replicas", ALL, model!(Vec<Replica>)),
        e("Create Replica", ALL, model!(VmStorage, create_replica)),
        e("Start VM", ALL, Expect::Error),
        e("Stop VM", ALL, model!(Vm, stop_vm)),
        e("Add Disk", ALL, model!(VmStorage, add_disk)),
        e("Modify Disk", ALL, model!(VmStorage)),
        e("Delete Attached Disk", ALL, Expect::Ack),
        e("Attach Disk", ALL, model!(VmStorage, attach_disk)),
        e("Detach Disk", ALL, Expect::Ack),
        // ---- Parameters
        e(
            "VM parameters",
            ALL,
            model!(Vec<VmParameter>, vm_parameters),
        ),
        e("VM images list", ALL, model!(Vec<VmImage>, vm_images)),
        e("Get Plain OS images", ALL, model!(Vec<VmImage>)),
        e("Get App Catalog images", ALL, model!(Vec<VmImage>)),
        e(
            "List bootable media images",
            NEWER,
            model!(Vec<BootImage>, boot_images),
        ),
        // ---- Billing
        e(
            "List Billing Account's Resources",
            ALL,
            model!(Vec<BillingResource>, billing_resources),
        ),
        e("Set Resource Billing Conf", ALL, Expect::Error),
        // ---- Payment
        e("Delete billing account", ALL, Expect::Error),
        e(
            "Billing account details",
            ALL,
            model!(BillingAccount, billing_account),
        ),
        e(
            "Update billing account",
            ALL,
            model!(BillingAccount, billing_account),
        ),
        e(
            "Configure recurring payment",
            ALL,
            model!(RecurringPaymentResult, recurring_payment),
        ),
        e(
            "List billing accounts",
            ALL,
            model!(Vec<BillingAccount>, billing_accounts),
        ),
        e("Set default billing account", ALL, Expect::Ack),
        e(
            "Get unpaid amount",
            ALL,
            model!(UnpaidAmount, unpaid_amount),
        ),
    ]
}

/// TEMPORARY: sections whose models are still being written. Must be empty when the models
/// are complete.
const PENDING: &[&str] = &[
    "Get User Info",
    "Modify Profile Info",
    "List SSH Keys",
    "Create SSH Key",
    "Update SSH Key Name",
    "Delete Token",
    "Update Token",
    "Create Token",
    "List Tokens",
    "Create Disk",
    "Get Disk",
    "List Disks",
    "Modify Disk Info",
    "S3 API Info",
    "Create Bucket",
    "Modify Bucket",
    "Get Bucket",
    "List Buckets",
    "Get S3 user",
    "Delete key",
    "Get keys",
    "Generate key",
    "Get network data",
    "List Networks",
    "Create or get default network",
    "Change network to default",
    "Change network name",
    "Create Floating IP",
    "List Floating IPs",
    "Get Floating IP",
    "Update Floating IP",
    "Delete Floating IP",
    "Assign Floating IP",
    "Un-assign Floating IP",
    "List Firewalls",
    "Create Firewall",
    "Update Firewall",
    "Assign Firewall to VM",
    "List user load balancers",
    "Get user load balancer by UUID",
    "Create load balancer",
    "Rename load balancer",
    "Delete load balancer",
    "Add load balancer target",
    "Unlink load balancer target",
    "Add load balancer forwarding rule",
    "Drop load balancer rule",
    "Change billing account on load balancer",
    "Apply for invoice paying",
    "Remove credit card",
    "Credit card details",
    "Add credit card",
    "List credit cards",
    "Set card as primary",
    "List credit",
    "Buy credit",
    "Request invoice for credit top up",
    "Invoice details",
    "List invoices",
    "Pay all",
    "Pay amount",
    "Pay invoice",
    "Active campaigns status",
    "Pricing policy",
    "Get Resource Usage",
    "Create Service Package",
    "List Service Packages",
    "Get Service Package",
    "Update Service Package metadata",
    "Get Service secrets",
    "Delete Service Package",
    "Get whitelist addresses",
    "Add whitelist entry",
    "Delete whitelist entry",
];

// =============================================================================================
// assertions on real values

fn locations(_: Doc, v: &Value) -> Result<(), String> {
    let l: Vec<Location> = dec(v)?;
    let slugs: Vec<&str> = l.iter().map(|l| l.slug.as_str()).collect();
    ensure!(slugs == ["cyc01", "bus02"]);
    ensure!(l[0].is_default && !l[1].is_default);
    ensure!(!l[0].is_preferred && l[1].is_preferred);
    ensure!(l[0].display_name == "Cycletown" && l[1].order_nr == 2);
    ensure!(l[0].country_code == "est");
    Ok(())
}

fn get_vm_info(doc: Doc, v: &Value) -> Result<(), String> {
    let vm: Vm = dec(v)?;
    ensure!(vm.uuid == "f80b1d62-ffe4-43ef-9210-60f05445456a");
    ensure!(vm.vcpu == 2);
    ensure!(vm.id == Some(7));
    ensure!(vm.backup && vm.billing_account == 6 && vm.user_id == 8);
    ensure!(vm.designated_pool_uuid == "d2fc6881-9316-46d7-b515-b6cddaeee927");
    ensure!(vm.public_ipv6() == Some("2a05:1cc0:10:30::80:fffe"));
    ensure!(vm.public_ipv4.is_none() && vm.tags.is_none());
    ensure!(vm.storage.len() == 1 && vm.storage[0].primary && vm.storage[0].name == "sda");
    ensure!(vm.storage[0].updated_at.is_empty());
    ensure!(vm.is_running());
    if doc == D001 {
        // The oldest document shows an Ubuntu VM ...
        ensure!(vm.memory == 2048 && vm.storage[0].size == 20 && vm.os_name == "ubuntu");
        ensure!(vm.license_type.is_none());
    } else {
        // ... the newer ones a Windows VM with a license type.
        ensure!(vm.memory == 4096 && vm.storage[0].size == 40 && vm.os_name == "windows");
        ensure!(vm.license_type.as_deref() == Some("WINDOWS"));
    }
    Ok(())
}

fn modify_vm(_: Doc, v: &Value) -> Result<(), String> {
    let vm: Vm = dec(v)?;
    // No id, no tags, no storage id / updated_at in this example.
    ensure!(vm.id.is_none() && vm.tags.is_none());
    ensure!(vm.vcpu == 4 && vm.memory == 2048 && vm.name == "web-server");
    ensure!(vm.is_stopped());
    let s = vm.primary_storage().ok_or("no primary storage")?;
    ensure!(s.id.is_none() && s.pool == "n/a" && s.r#type == "n/a" && s.size == 40);
    ensure!(s.name == "vda");
    Ok(())
}

fn create_vm(_: Doc, v: &Value) -> Result<(), String> {
    let vm: Vm = dec(v)?;
    ensure!(vm.name == "Ubuntu-16-04" && vm.os_version == "16.04");
    ensure!(vm.vcpu == 2 && vm.memory == 2048 && vm.storage[0].size == 20);
    ensure!(vm.designated_pool_name == "General purpose");
    ensure!(vm.id == Some(10) && vm.storage[0].id == Some(8));
    ensure!(vm.storage[0].created_at == "2018-02-22 14:24:13.766985");
    Ok(())
}

fn host_pools(_: Doc, v: &Value) -> Result<(), String> {
    let p: Vec<HostPool> = dec(v)?;
    ensure!(p.len() == 2);
    ensure!(p[0].is_default_designated && !p[1].is_default_designated);
    ensure!(p[1].uuid == "d2fc6881-9316-46d7-b515-b6cddaeee927" && p[1].name == "Performance");
    // Not documented; only the live API sends it.
    ensure!(p.iter().all(|p| p.guest_limits.is_none()));
    Ok(())
}

fn vm_with_replica(_: Doc, v: &Value) -> Result<(), String> {
    let vm: Vm = dec(v)?;
    let r = &vm.storage[0].replica;
    ensure!(r.len() == 1);
    ensure!(r[0].r#type == "snapshot" && r[0].size == 20 && r[0].master_id == Some(1120));
    ensure!(r[0].master_uuid == "5aea1842-895f-4bd3-8bd6-e37b2282fb46");
    // Replica "uuids" are the disk uuid with a timestamp appended.
    ensure!(r[0].uuid == "5aea1842-895f-4bd3-8bd6-e37b2282fb462018-12-21-14-05-33");
    ensure!(vm.vcpu == 4);
    Ok(())
}

fn toggle_backup(_: Doc, v: &Value) -> Result<(), String> {
    let vm: Vm = dec(v)?;
    ensure!(!vm.backup);
    ensure!(vm.public_ipv6.is_none() && vm.private_ipv4().is_none());
    Ok(())
}

fn vm_without_public_ip(_: Doc, v: &Value) -> Result<(), String> {
    let vm: Vm = dec(v)?;
    ensure!(vm.public_ipv6.is_none() && vm.public_ipv4.is_none() && vm.tags.is_none());
    ensure!(vm.private_ipv4() == Some("10.1.14.253"));
    ensure!(vm.storage[0].id.is_none());
    Ok(())
}

fn list_vms(_: Doc, v: &Value) -> Result<(), String> {
    let vms: Vec<Vm> = dec(v)?;
    ensure!(vms.len() == 5);
    ensure!(vms.iter().all(|v| v.is_running() && v.storage.len() == 1));
    ensure!(vms[0].name == "Name of the Clone" && vms[0].updated_at.is_empty());
    ensure!(vms[1].public_ipv6() == Some("2a05:1cc0:10:30::80:fffb"));
    Ok(())
}

fn create_replica(_: Doc, v: &Value) -> Result<(), String> {
    let s: VmStorage = dec(v)?;
    ensure!(s.primary && s.size == 20 && s.replica.len() == 1);
    ensure!(s.replica[0].size == 60 && s.replica[0].r#type == "snapshot");
    ensure!(s.replica[0].master_uuid == s.uuid);
    Ok(())
}

fn stop_vm(_: Doc, v: &Value) -> Result<(), String> {
    let vm: Vm = dec(v)?;
    ensure!(vm.is_stopped() && vm.memory == 4096 && vm.vcpu == 4);
    ensure!(vm.storage[0].id == Some(214));
    Ok(())
}

fn add_disk(_: Doc, v: &Value) -> Result<(), String> {
    let s: VmStorage = dec(v)?;
    ensure!(!s.primary && s.size == 50 && s.name == "vdc" && s.user_id == 0);
    ensure!(s.uuid == "3d91aa31-16ec-44ee-b8b3-22a0bda6559e");
    Ok(())
}

fn attach_disk(_: Doc, v: &Value) -> Result<(), String> {
    let s: VmStorage = dec(v)?;
    ensure!(s.name == "vdb" && s.size == 15 && s.user_id == 28 && s.pool.is_empty());
    Ok(())
}

fn vm_parameters(_: Doc, v: &Value) -> Result<(), String> {
    let p: Vec<VmParameter> = dec(v)?;
    let get = |name: &str| {
        p.iter()
            .find(|x| x.parameter == name)
            .ok_or(format!("no {name}"))
    };
    let disks = get("disks")?;
    ensure!(disks.constraint == "range" && disks.min == Some(20) && disks.max == Some(240));
    let ram = get("ram")?;
    ensure!(ram.min_for("windows") == Some(1024) && ram.min_for("ubuntu") == Some(512));
    ensure!(ram.max_for("windows") == Some(65536));
    let vcpu = get("vcpu")?;
    ensure!(vcpu.min_for("windows") == Some(2) && vcpu.max == Some(16));
    let osv = get("os_version")?;
    ensure!(osv.limited_by.as_deref() == Some("os_name"));
    ensure!(osv.values_for("centos") == Some(&["7.3.1611".to_string(), "6.9.1611".into()][..]));
    let os = get("os_name")?;
    ensure!(os.values.as_ref().is_some_and(|v| v.len() == 4));
    let user = get("username")?;
    ensure!(user.limit_for("windows").and_then(|l| l.mandatory) == Some(false));
    let pw = get("password")?;
    ensure!(pw.expression.as_deref() == Some("^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d).{8,}$"));
    ensure!(get("name")?.r#type == "string");
    Ok(())
}

fn vm_images(_: Doc, v: &Value) -> Result<(), String> {
    let i: Vec<VmImage> = dec(v)?;
    ensure!(i.len() == 2 && i[0].os_name == "almalinux" && i[0].is_default);
    ensure!(i[1].is_app_catalog && i[1].versions.len() == 3);
    ensure!(i[1].versions[2].os_version == "8.2" && i[1].versions[2].published);
    Ok(())
}

fn boot_images(_: Doc, v: &Value) -> Result<(), String> {
    let i: Vec<BootImage> = dec(v)?;
    ensure!(i.len() == 1 && i[0].image_name == "systemrescue-12.x-amd64.iso");
    ensure!(i[0].is_published && !i[0].is_installation_media);
    Ok(())
}

fn billing_resources(_: Doc, v: &Value) -> Result<(), String> {
    let r: Vec<BillingResource> = dec(v)?;
    ensure!(r.len() == 5);
    ensure!(r[0].public_ipv4() == Some("80.64.107.54") && r[0].hypervisor_id.is_none());
    ensure!(r[3].public_ipv4.is_none() && r[3].storage[0].replica.len() == 1);
    ensure!(r
        .iter()
        .all(|vm| vm.private_ipv4().is_none() && vm.billing_account == 6));
    Ok(())
}

fn billing_account(_: Doc, v: &Value) -> Result<(), String> {
    let a: BillingAccount = dec(v)?;
    check_account(&a)
}

fn check_account(a: &BillingAccount) -> Result<(), String> {
    ensure!(a.id == 6 && a.title == "konto" && a.user_id == 8);
    ensure!(a.credit_amount == 2.0 && a.running_totals.credit_available == 2.0);
    ensure!(a.created == 1519219377 && a.city == "K\u{fc}la");
    ensure!(a
        .primary_card
        .as_ref()
        .is_some_and(|c| c.last4 == "1111" && c.is_verified));
    ensure!(a.eligible_promotions.len() == 1 && a.eligible_promotions[0].amount == 17.0);
    ensure!(a.restriction_level == "FROZEN" && a.recurring_payment_threshold == 55.0);
    Ok(())
}

fn billing_accounts(_: Doc, v: &Value) -> Result<(), String> {
    let a: Vec<BillingAccount> = dec(v)?;
    ensure!(a.len() == 1);
    check_account(&a[0])
}

fn recurring_payment(_: Doc, v: &Value) -> Result<(), String> {
    let r: RecurringPaymentResult = dec(v)?;
    ensure!(r.payment_report.triggered && r.payment_report.errors.is_empty());
    check_account(&r.account)
}

fn unpaid_amount(_: Doc, v: &Value) -> Result<(), String> {
    let u: UnpaidAmount = dec(v)?;
    ensure!(u.message == 59.96);
    Ok(())
}

// =============================================================================================
// the test

#[derive(Default)]
struct Counts {
    model: usize,
    python: usize,
    error: usize,
    ack: usize,
    empty: usize,
}

impl Counts {
    fn total(&self) -> usize {
        self.model + self.python + self.error + self.ack + self.empty
    }
}

fn run_expect(ex: &Example, expect: Expect) -> Result<(), String> {
    let json = |python: bool| -> Result<Value, String> {
        match &ex.body {
            Body::Json(text) if python => {
                if parse_json(ex.doc, text).is_ok() {
                    return Err("expected Python literals, but the example is valid JSON".into());
                }
                parse_json(ex.doc, &python_literals_to_json(text))
            }
            Body::Json(text) => parse_json(ex.doc, text),
            Body::NotJson(first) => Err(format!("expected JSON, found {first:?}")),
        }
    };
    match expect {
        Expect::Model(_, run) => run(ex.doc, &json(false)?),
        Expect::PythonLiterals(_, run) => run(ex.doc, &json(true)?),
        Expect::Error => {
            let v = json(false)?;
            let body: ApiErrorBody = dec(&v)?;
            check(body.errors.is_some(), "error body has `errors`")?;
            match body.text() {
                Some(t) if !t.is_empty() => Ok(()),
                _ => Err(format!("no error text in {v}")),
            }
        }
        Expect::Ack => {
            let ack: Success = dec(&json(false)?)?;
            check(ack.success, "success is true")
        }
        Expect::Empty => match &ex.body {
            Body::NotJson(_) => Ok(()),
            Body::Json(_) => Err("expected no JSON body, found JSON".into()),
        },
    }
}

#[test]
fn every_documented_example_decodes() {
    let (md_examples, md_others) = extract_markdown(&D000.read());
    let mut examples = md_examples;
    examples.extend(extract_plain(D001, &D001.read()));
    examples.extend(extract_plain(D002, &D002.read()));

    // Code blocks in 000 that are neither a command nor a response example. Only the
    // FirewallRule schema illustration (commented pseudo-JSON) is expected.
    let known_others = [(
        "Representation and validation".to_string(),
        "// FirewallRule:".to_string(),
    )];
    assert_eq!(
        md_others, known_others,
        "unexpected non-example code blocks in 000"
    );

    let table = table();
    let mut failures = Vec::new();

    // No table entry may be stale, or duplicated.
    let found: BTreeSet<(Doc, &str)> = examples
        .iter()
        .map(|e| (e.doc, e.section.as_str()))
        .collect();
    let mut seen = BTreeSet::new();
    for entry in &table {
        assert!(
            !PENDING.contains(&entry.section),
            "{} is both mapped and pending",
            entry.section
        );
        for &doc in entry.docs {
            if !seen.insert((doc, entry.section)) {
                failures.push(format!("{doc:?} {:?}: mapped twice", entry.section));
            }
            if !found.contains(&(doc, entry.section)) {
                failures.push(format!(
                    "{doc:?} {:?}: mapped in the table but no example found",
                    entry.section
                ));
            }
        }
    }

    let mut counts: BTreeMap<Doc, Counts> = BTreeMap::new();
    let mut pending = 0;
    for ex in &examples {
        let entry = table
            .iter()
            .find(|t| t.section == ex.section && t.docs.contains(&ex.doc));
        let Some(entry) = entry else {
            if PENDING.contains(&ex.section.as_str()) {
                pending += 1;
                continue;
            }
            failures.push(format!(
                "{:?} line {} {:?}: no decoder mapped for this section's example",
                ex.doc, ex.line, ex.section
            ));
            continue;
        };
        match run_expect(ex, entry.expect) {
            Ok(()) => {
                let c = counts.entry(ex.doc).or_default();
                match entry.expect {
                    Expect::Model(..) => c.model += 1,
                    Expect::PythonLiterals(..) => c.python += 1,
                    Expect::Error => c.error += 1,
                    Expect::Ack => c.ack += 1,
                    Expect::Empty => c.empty += 1,
                }
            }
            Err(err) => {
                let ty = match entry.expect {
                    Expect::Model(t, _) | Expect::PythonLiterals(t, _) => t,
                    Expect::Error => "ApiErrorBody",
                    Expect::Ack => "Success",
                    Expect::Empty => "(empty)",
                };
                failures.push(format!(
                    "{:?} line {} {:?} as {ty}: {err}",
                    ex.doc, ex.line, ex.section
                ));
            }
        }
    }

    println!("decoded example responses per document:");
    for (doc, c) in &counts {
        println!(
            "  {doc:?}: {:3} total = {:3} models + {} python-literal models + {} error bodies + {} acks + {} empty",
            c.total(),
            c.model,
            c.python,
            c.error,
            c.ack,
            c.empty
        );
    }
    if pending > 0 {
        println!("  ({pending} examples in sections still pending a model)");
    }

    assert!(
        failures.is_empty(),
        "{} problem(s):\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
    for doc in ALL {
        assert!(
            examples.iter().filter(|e| e.doc == *doc).count() >= 90,
            "{doc:?}: suspiciously few examples extracted"
        );
    }
}
