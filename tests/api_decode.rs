//! Decodes every example response of the three API documents into the typed models.
//!
//! The examples are fixtures inside the repository (`tests/fixtures/api/<brand>/`, one file per
//! documented example, named `<METHOD>_<endpoint>`; `tests/fixtures/api/README.md` says where
//! they came from). `.json` files are the examples as printed; `.txt` files are the examples
//! that are not JSON (an empty answer, prose, Python literals).
//!
//! Every fixture must be mapped in [`table`]; the test fails on an unmapped fixture, on a table
//! entry whose fixture does not exist, on an example that does not decode, and on an example key
//! that the model silently drops (each decoded model is re-serialised and must still contain
//! every non-null key and value of the example).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;

use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use terraform_provider_idcloudhost::api::models::*;
use terraform_provider_idcloudhost::api::Secret;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/api/");

// =============================================================================================
// documents

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Doc {
    /// IDCloudHost, newest (document 000).
    D000,
    /// elastis.id, oldest (document 001).
    D001,
    /// 3nv.io, middle (document 002).
    D002,
}

use Doc::*;

const ALL: &[Doc] = &[D000, D001, D002];
/// Endpoints added after the oldest document (firewalls, managed services, boot images).
const NEWER: &[Doc] = &[D000, D002];
/// Endpoints only in the newest document (SSH keys).
const NEWEST: &[Doc] = &[D000];

impl Doc {
    /// The brand folder of the document's fixtures.
    fn dir(self) -> PathBuf {
        let brand = match self {
            D000 => "idcloudhost",
            D001 => "elastis",
            D002 => "3nv",
        };
        PathBuf::from(FIXTURES).join(brand)
    }

    /// Every example of the document, sorted by file name.
    fn examples(self) -> Vec<Example> {
        let dir = self.dir();
        let entries =
            fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        paths
            .into_iter()
            .map(|path| {
                let file = path.file_name().unwrap().to_string_lossy().into_owned();
                let (endpoint, ext) = file.rsplit_once('.').expect("fixture without extension");
                let text = fs::read_to_string(&path).unwrap();
                let trimmed = text.trim();
                let body = match ext {
                    "json" => Body::Json(text.clone()),
                    "txt" if trimmed.starts_with('{') || trimmed.starts_with('[') => {
                        Body::Json(text.clone())
                    }
                    "txt" => Body::NotJson(trimmed.lines().next().unwrap_or("").to_string()),
                    _ => panic!("unexpected fixture {}", path.display()),
                };
                Example {
                    doc: self,
                    endpoint: endpoint.to_string(),
                    file: format!("{}/{file}", dir.file_name().unwrap().to_string_lossy()),
                    body,
                }
            })
            .collect()
    }
}

/// One documented example response.
#[derive(Debug)]
struct Example {
    doc: Doc,
    /// The file name without extension: `<METHOD>_<path segments>`.
    endpoint: String,
    /// `<brand>/<file>`, for messages.
    file: String,
    body: Body,
}

#[derive(Debug)]
enum Body {
    /// Text starting with `{` or `[`.
    Json(String),
    /// Anything else (an empty answer, prose); first line kept.
    NotJson(String),
}

fn parse_json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))
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
    /// The fixture's file name without extension.
    endpoint: &'static str,
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

const fn e(endpoint: &'static str, docs: &'static [Doc], expect: Expect) -> Entry {
    Entry {
        endpoint,
        docs,
        expect,
    }
}

/// (document, endpoint) → what its example must decode into.
fn table() -> Vec<Entry> {
    vec![
        // ---- User
        e("GET_user-resource_user", ALL, model!(User, user)),
        e("PATCH_user-resource_user_profile", ALL, model!(UserProfile)),
        e(
            "GET_user-resource_ssh_keys",
            NEWEST,
            model!(Vec<SshKey>, ssh_keys),
        ),
        e("POST_user-resource_ssh_keys", NEWEST, model!(SshKey)),
        e("PATCH_user-resource_ssh_keys_UUID", NEWEST, model!(SshKey)),
        // ---- Token
        e("DELETE_user-resource_token", ALL, Expect::Error),
        e("PATCH_user-resource_token", ALL, Expect::Error),
        e(
            "POST_user-resource_token",
            ALL,
            model!(Vec<ApiToken>, tokens),
        ),
        e(
            "GET_user-resource_token_list",
            ALL,
            model!(Vec<ApiToken>, tokens),
        ),
        // ---- Locations
        e(
            "GET_config_locations",
            ALL,
            model!(Vec<Location>, locations),
        ),
        // ---- VM
        e("DELETE_user-resource_vm", ALL, Expect::Error),
        e("GET_user-resource_vm", ALL, model!(Vm, get_vm_info)),
        e("PATCH_user-resource_vm_user", ALL, Expect::Ack),
        e("PATCH_user-resource_vm", ALL, model!(Vm, modify_vm)),
        e("POST_user-resource_vm", ALL, model!(Vm, create_vm)),
        e(
            "GET_user-resource_host_pool_list",
            ALL,
            model!(Vec<HostPool>, host_pools),
        ),
        e(
            "POST_user-resource_vm_reinstall",
            ALL,
            model!(Vm, vm_with_replica),
        ),
        e(
            "POST_user-resource_vm_backup",
            ALL,
            model!(Vm, toggle_backup),
        ),
        e("POST_user-resource_vm_clone", ALL, model!(Vm)),
        e(
            "DELETE_user-resource_vm_ip_public",
            ALL,
            model!(Vm, vm_without_public_ip),
        ),
        e(
            "POST_user-resource_vm_ip_public",
            ALL,
            model!(Vm, vm_without_public_ip),
        ),
        e("GET_user-resource_vm_list", ALL, model!(Vec<Vm>, list_vms)),
        e(
            "POST_user-resource_vm_rebuild",
            ALL,
            model!(Vm, vm_with_replica),
        ),
        e("DELETE_user-resource_vm_replica", ALL, Expect::Ack),
        e("GET_user-resource_vm_replica", ALL, model!(Vec<Replica>)),
        e(
            "POST_user-resource_vm_replica",
            ALL,
            model!(VmStorage, create_replica),
        ),
        e("POST_user-resource_vm_start", ALL, Expect::Error),
        e("POST_user-resource_vm_stop", ALL, model!(Vm, stop_vm)),
        e(
            "POST_user-resource_vm_storage",
            ALL,
            model!(VmStorage, add_disk),
        ),
        e("PATCH_user-resource_vm_storage", ALL, model!(VmStorage)),
        e("DELETE_user-resource_vm_storage", ALL, Expect::Ack),
        // ---- Block Storage
        e("POST_storage_disks", ALL, model!(Disk, create_disk)),
        e("GET_storage_disks_UUID", ALL, model!(Disk, get_disk)),
        e("GET_storage_disks", ALL, model!(Vec<Disk>, list_disks)),
        e("PATCH_storage_disks_UUID", ALL, model!(Disk, modify_disk)),
        e(
            "POST_user-resource_vm_storage_attach",
            ALL,
            model!(VmStorage, attach_disk),
        ),
        e("POST_user-resource_vm_storage_detach", ALL, Expect::Ack),
        // ---- Object Storage
        e("GET_storage_api_s3", ALL, model!(S3ApiInfo, s3_api_info)),
        e("PUT_storage_bucket", ALL, model!(Bucket)),
        e("PATCH_storage_bucket", ALL, model!(Bucket)),
        e("GET_storage_bucket", ALL, model!(Bucket)),
        e("GET_storage_bucket_list", ALL, model!(Vec<Bucket>, buckets)),
        e("GET_storage_user", ALL, model!(S3User, s3_user)),
        e("DELETE_storage_user_keys", ALL, Expect::Empty),
        e("GET_storage_user_keys", ALL, model!(Vec<S3Key>)),
        e("POST_storage_user_keys", ALL, model!(Vec<S3Key>, s3_keys)),
        // ---- Private networks
        e("GET_network_network_UUID", ALL, model!(Network, network)),
        e("GET_network_networks", ALL, model!(Vec<Network>, networks)),
        e("POST_network_network", ALL, model!(Network)),
        e("PUT_network_network_UUID_default", ALL, model!(Network)),
        e("PATCH_network_network_UUID", ALL, model!(Network)),
        // ---- Floating IP
        e(
            "POST_network_ip_addresses",
            ALL,
            model!(FloatingIp, unassigned_ip),
        ),
        e(
            "GET_network_ip_addresses",
            ALL,
            model!(Vec<FloatingIp>, floating_ips),
        ),
        e("GET_network_ip_addresses_IP", ALL, model!(FloatingIp)),
        e(
            "PATCH_network_ip_addresses_IP",
            ALL,
            model!(FloatingIp, unassigned_ip),
        ),
        e("DELETE_network_ip_addresses_IP", ALL, Expect::Empty),
        e(
            "POST_network_ip_addresses_IP_assign",
            ALL,
            model!(FloatingIp, assigned_ip),
        ),
        e(
            "POST_network_ip_addresses_IP_unassign",
            ALL,
            model!(FloatingIp, unassign_ip),
        ),
        // ---- Firewall
        e(
            "GET_network_firewalls",
            NEWER,
            model!(Vec<Firewall>, firewalls),
        ),
        e("POST_network_firewalls", NEWER, model!(Firewall, firewall)),
        e(
            "PUT_network_firewalls_UUID",
            NEWER,
            model!(Firewall, firewall),
        ),
        e(
            "POST_network_firewalls_UUID_vms",
            NEWER,
            model!(Vec<FirewallAssignment>, firewall_assignments),
        ),
        // ---- Network Load Balancer
        e(
            "GET_network_load_balancers",
            ALL,
            model!(Vec<LoadBalancer>, load_balancers),
        ),
        e(
            "GET_network_load_balancers_UUID",
            ALL,
            model!(LoadBalancer, load_balancer),
        ),
        e(
            "POST_network_load_balancers",
            ALL,
            model!(LoadBalancer, load_balancer),
        ),
        e(
            "PATCH_network_load_balancers_UUID",
            ALL,
            model!(LoadBalancer, load_balancer),
        ),
        e("DELETE_network_load_balancers_UUID", ALL, Expect::Empty),
        e(
            "POST_network_load_balancers_UUID_targets",
            ALL,
            model!(LbTarget, lb_target),
        ),
        e(
            "DELETE_network_load_balancers_UUID_targets_UUID",
            ALL,
            Expect::Empty,
        ),
        e(
            "POST_network_load_balancers_UUID_forwarding_rules",
            ALL,
            model!(ForwardingRule, added_forwarding_rule),
        ),
        e(
            "DELETE_network_load_balancers_UUID_forwarding_rules_UUID",
            ALL,
            Expect::Empty,
        ),
        e(
            "PUT_network_load_balancers_UUID_billing_account",
            ALL,
            model!(LoadBalancer, load_balancer),
        ),
        // ---- Parameters
        e(
            "GET_api_parameters_vm",
            ALL,
            model!(Vec<VmParameter>, vm_parameters),
        ),
        e("GET_config_vm_images", ALL, model!(Vec<VmImage>, vm_images)),
        e("GET_config_vm_images_plain_os", ALL, model!(Vec<VmImage>)),
        e(
            "GET_config_vm_images_app_catalog",
            ALL,
            model!(Vec<VmImage>),
        ),
        e(
            "GET_config_boot_images",
            NEWER,
            model!(Vec<BootImage>, boot_images),
        ),
        // ---- Billing
        e(
            "GET_user-resource_billing_resources",
            ALL,
            model!(Vec<BillingResource>, billing_resources),
        ),
        e("POST_user-resource_resource_billing", ALL, Expect::Error),
        // ---- Payment
        e("DELETE_payment_billing_account", ALL, Expect::Error),
        e(
            "GET_payment_billing_account",
            ALL,
            model!(BillingAccount, billing_account),
        ),
        e(
            "PUT_payment_billing_account",
            ALL,
            model!(BillingAccount, billing_account),
        ),
        e(
            "PUT_payment_billing_account_ID_recurring_payment",
            ALL,
            model!(RecurringPaymentResult, recurring_payment),
        ),
        e(
            "GET_payment_billing_account_list",
            ALL,
            model!(Vec<BillingAccount>, billing_accounts),
        ),
        e("POST_payment_billing_account_set_default", ALL, Expect::Ack),
        e(
            "GET_payment_billing_account_unpaid_amount",
            ALL,
            model!(UnpaidAmount, unpaid_amount),
        ),
        e(
            "POST_payment_apply_for_invoice_payment",
            ALL,
            Expect::PythonLiterals("PaymentObject", invoice_payment),
        ),
        e("DELETE_payment_card", ALL, Expect::Ack),
        e("GET_payment_card", ALL, model!(PaymentObject)),
        e("POST_payment_card", ALL, Expect::Error),
        e("GET_payment_card_list", ALL, model!(Vec<PaymentObject>)),
        e("PUT_payment_card_set_primary", ALL, Expect::Ack),
        e("GET_payment_credit_list", ALL, model!(Vec<CreditRecord>)),
        e("POST_payment_credit_buy", ALL, Expect::Ack),
        e("POST_payment_credit_request_invoice", ALL, Expect::Ack),
        e("GET_payment_invoice", ALL, model!(Invoice, invoice)),
        e("GET_payment_invoice_list", ALL, model!(Vec<Invoice>)),
        e("POST_payment_pay_all", ALL, Expect::Error),
        e("POST_payment_pay_amount", ALL, model!(PayAmountResult)),
        e("POST_payment_pay_invoice", ALL, Expect::Error),
        e("GET_payment_has_active_campaigns", ALL, Expect::Ack),
        // ---- Pricing / Charging
        e("GET_pricing_policy", ALL, model!(PricingPolicy, pricing)),
        e("GET_charging_usage", ALL, model!(Vec<ResourceUsage>, usage)),
        // ---- Managed Services
        e(
            "POST_user-resource_service_package",
            NEWER,
            model!(ServicePackage, service_package),
        ),
        e(
            "GET_user-resource_service_packages",
            NEWER,
            model!(Vec<ServicePackage>, service_packages),
        ),
        e(
            "GET_user-resource_service_package_UUID",
            NEWER,
            model!(ServicePackage, service_package),
        ),
        e(
            "PATCH_user-resource_service_package_UUID",
            NEWER,
            model!(ServicePackage, service_package),
        ),
        e(
            "GET_user-resource_service_package_UUID_secrets",
            NEWER,
            model!(ServiceSecrets, secrets),
        ),
        e(
            "DELETE_user-resource_service_package_UUID",
            NEWER,
            model!(ServicePackage, deleted_service),
        ),
        e(
            "GET_user-resource_service_package_UUID_whitelist_addresses",
            NEWER,
            model!(WhitelistAddresses, whitelist),
        ),
        e(
            "POST_user-resource_service_package_UUID_whitelist_addresses",
            NEWER,
            model!(WhitelistAddresses),
        ),
        e(
            "DELETE_user-resource_service_package_UUID_whitelist_addresses",
            NEWER,
            model!(WhitelistAddresses),
        ),
    ]
}

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

fn user(_: Doc, v: &Value) -> Result<(), String> {
    let u: User = dec(v)?;
    ensure!(u.id == 8 && u.name == "user@example.com" && u.profile.is_none());
    ensure!(u.profile_data.first_name == "Cloudia" && u.profile_data.user_id == 8);
    Ok(())
}

fn ssh_keys(_: Doc, v: &Value) -> Result<(), String> {
    let k: Vec<SshKey> = dec(v)?;
    ensure!(k.len() == 2 && k[0].name == "laptop-mbp" && k[1].name == "office-desktop");
    ensure!(k[0].public_key.starts_with("ssh-ed25519 ") && k[0].user_id == 268);
    ensure!(k[0].created_at == "2025-01-12T09:21:33Z");
    Ok(())
}

fn tokens(_: Doc, v: &Value) -> Result<(), String> {
    let t: Vec<ApiToken> = dec(v)?;
    ensure!(t.len() == 2 && !t[0].restricted && t[0].billing_account_id == 0);
    ensure!(t[1].restricted && t[1].billing_account_id == 6 && t[1].id == 7);
    ensure!(t[1].updated_at.is_empty() && t[1].token == "PS2vfOCKuU52be83QZhMMndqOusfFkHr");
    Ok(())
}

fn create_disk(doc: Doc, v: &Value) -> Result<(), String> {
    let d: Disk = dec(v)?;
    ensure!(d.is_active() && d.status == "Active" && d.size_gb == 50);
    ensure!(d.source_image_type == "EMPTY" && d.source_image.is_none());
    ensure!(d.snapshots.is_empty() && d.display_name.is_none());
    ensure!(d.created_at == "2022-09-01T12:03:14.355+0000");
    // The oldest document has no storage_pool_uuid.
    ensure!(d.storage_pool_uuid.is_some() == (doc != D001));
    Ok(())
}

fn check_disk_with_snapshots(doc: Doc, d: &Disk) -> Result<(), String> {
    ensure!(d.uuid == "cef3a629-89b0-40ec-986b-4b6e831f9b64" && d.size_gb == 30);
    ensure!(d.source_image.as_deref() == Some("ubuntu_20.04"));
    ensure!(d.snapshots.len() == 2);
    // 001 spells the snapshot size `sizeGb`, the others `size_gb`.
    ensure!(d.snapshots[0].size_gb == 20 && d.snapshots[1].size_gb == 30);
    ensure!(d.snapshots[0].disk_uuid == d.uuid);
    if doc == D001 {
        ensure!(d.display_name.is_none() && d.snapshots[0].display_name.is_none());
    } else {
        ensure!(d.display_name.as_deref() == Some("Web server main"));
        ensure!(d.snapshots[0].display_name.as_deref() == Some("before update"));
        ensure!(d.snapshots[1].display_name.is_none());
    }
    Ok(())
}

fn get_disk(doc: Doc, v: &Value) -> Result<(), String> {
    if doc == D001 {
        let snap = &v["snapshots"][0];
        ensure!(snap.get("sizeGb").is_some() && snap.get("size_gb").is_none());
    }
    check_disk_with_snapshots(doc, &dec(v)?)
}

fn list_disks(doc: Doc, v: &Value) -> Result<(), String> {
    let d: Vec<Disk> = dec(v)?;
    ensure!(d.len() == 2 && d[0].snapshots.is_empty() && d[0].storage_pool_uuid.is_none());
    check_disk_with_snapshots(doc, &d[1])
}

fn modify_disk(doc: Doc, v: &Value) -> Result<(), String> {
    let d: Disk = dec(v)?;
    ensure!(d.billing_account_id == 129072);
    if doc == D001 {
        ensure!(d.display_name.is_none());
    } else {
        ensure!(d.display_name.as_deref() == Some("Web server backup"));
    }
    Ok(())
}

fn s3_api_info(doc: Doc, v: &Value) -> Result<(), String> {
    let i: S3ApiInfo = dec(v)?;
    let want = match doc {
        D000 => "https://s3.idcloudhost.com:8080/",
        D001 => "https://s3.elastis.id:8080/",
        D002 => "https://s3.3nv.io:8080/",
    };
    ensure!(i.url == want);
    Ok(())
}

fn buckets(_: Doc, v: &Value) -> Result<(), String> {
    let b: Vec<Bucket> = dec(v)?;
    ensure!(b.len() == 5 && b[1].name == "pang1" && b[1].size_bytes == 3189211059);
    ensure!(b[1].num_objects == 5 && !b[1].is_suspended && b[1].billing_account_id == 129093);
    Ok(())
}

fn s3_user(_: Doc, v: &Value) -> Result<(), String> {
    let u: S3User = dec(v)?;
    ensure!(u.user_id == "user+test@example.com" && u.display_name == u.user_id);
    ensure!(u.max_buckets == 1000 && !u.suspended && u.email.is_empty());
    ensure!(u.s3_credentials.len() == 4 && u.s3_credentials[0].access_key == "ES1R...1N");
    ensure!(u.s3_credentials[0].secret_key == "bwtl...LU");
    Ok(())
}

fn s3_keys(_: Doc, v: &Value) -> Result<(), String> {
    let k: Vec<S3Key> = dec(v)?;
    ensure!(k.len() == 4 && k[0].access_key == "44PW...BC" && k[0].secret_key == "etxH...O1");
    Ok(())
}

fn network(_: Doc, v: &Value) -> Result<(), String> {
    let n: Network = dec(v)?;
    ensure!(n.vlan_id == Some(104) && n.subnet == "10.1.104.0/24" && n.is_default);
    ensure!(n.subnet_ipv6() == Some("2a05:1cc0:10:30::40:0/112") && n.r#type == "private");
    ensure!(n.contains_vm("17fb7d63-7489-4468-bd98-8ca67bf5ef6d") && n.resources_count == 2);
    Ok(())
}

fn networks(_: Doc, v: &Value) -> Result<(), String> {
    let n: Vec<Network> = dec(v)?;
    ensure!(n.len() == 2 && n[0].vlan_id == Some(965) && !n[0].is_default);
    ensure!(n[1].is_default && n[1].vm_uuids.len() == 2 && n[1].resources_count == 2);
    Ok(())
}

fn unassigned_ip(_: Doc, v: &Value) -> Result<(), String> {
    let ip: FloatingIp = dec(v)?;
    ensure!(ip.address == "1.1.1.1" && ip.name == "my_ip" && ip.billing_account_id == 2);
    ensure!(!ip.is_assigned() && ip.assigned_to_resource_type.is_none());
    ensure!(ip.network_id.is_none() && ip.enabled && ip.r#type == "public");
    Ok(())
}

fn floating_ips(_: Doc, v: &Value) -> Result<(), String> {
    let ips: Vec<FloatingIp> = dec(v)?;
    ensure!(ips.len() == 2);
    ensure!(ips[0].assigned_to() == Some("88e5a11b-9c89-4986-99c7-90d43499317c"));
    ensure!(ips[0].assigned_to_resource_type.as_deref() == Some("virtual_machine"));
    ensure!(ips[0].assigned_to_private_ip.as_deref() == Some("10.1.2.3"));
    ensure!(ips[1].assigned_to_resource_type.as_deref() == Some("service"));
    ensure!(ips[1].address == "2.2.2.2" && ips[1].id == Some(2));
    Ok(())
}

fn assigned_ip(_: Doc, v: &Value) -> Result<(), String> {
    let ip: FloatingIp = dec(v)?;
    // The request assigns a VM, the documented answer says "service".
    ensure!(ip.assigned_to() == Some("88e5a11b-9c89-4986-99c7-90d43499317c"));
    ensure!(ip.assigned_to_resource_type.as_deref() == Some("service"));
    Ok(())
}

fn unassign_ip(_: Doc, v: &Value) -> Result<(), String> {
    let ip: FloatingIp = dec(v)?;
    ensure!(!ip.is_assigned() && ip.unassigned_at.as_deref() == Some("2021-12-06 13:03:33"));
    ensure!(ip.uuid.as_deref() == Some("e44f151c-3916-4bd8-ab6e-592ca982dc63"));
    Ok(())
}

fn firewalls(_: Doc, v: &Value) -> Result<(), String> {
    let f: Vec<Firewall> = dec(v)?;
    ensure!(f.len() == 1);
    let f = &f[0];
    // The list example names the firewall with `name`, not `display_name`.
    ensure!(f.display_name.is_empty() && f.display_name() == "Web Server Firewall");
    ensure!(f.description.as_deref() == Some("Firewall for web server instances"));
    ensure!(f.rules.len() == 2 && f.resources_assigned.is_empty());
    let r0 = &f.rules[0];
    ensure!(r0.port_start == Some(80) && r0.effective_port_end() == Some(80));
    ensure!(r0.endpoint_spec.as_deref().is_some_and(|s| s.len() == 2));
    let r1 = &f.rules[1];
    ensure!(r1.endpoint_spec_type == "any" && r1.endpoint_spec.is_none());
    Ok(())
}

fn firewall(_: Doc, v: &Value) -> Result<(), String> {
    let f: Firewall = dec(v)?;
    ensure!(f.display_name() == "Database Firewall" && f.name.is_none());
    ensure!(f.deleted_at.is_none() && f.uuid == "2a874f44-310f-4df8-9340-1dc274c2bd51");
    ensure!(f.rules.len() == 1 && f.rules[0].port_start == Some(3306));
    ensure!(f.rules[0].direction == "inbound" && f.rules[0].protocol == "tcp");
    Ok(())
}

fn firewall_assignments(_: Doc, v: &Value) -> Result<(), String> {
    let a: Vec<FirewallAssignment> = dec(v)?;
    ensure!(a.len() == 1 && a[0].resource_type == "vm");
    ensure!(a[0].resource_uuid == "ff4b3c1b-998a-48a5-9bf4-5777ee2ae9db");
    Ok(())
}

fn check_lb(lb: &LoadBalancer) -> Result<(), String> {
    ensure!(lb.uuid == "438ac62f-e97b-4ef0-8940-507b9e94af43");
    ensure!(lb.private_address == "10.112.231.192" && !lb.is_deleted);
    let rule = lb.find_rule(8080, 8080).ok_or("no 8080->8080 rule")?;
    ensure!(rule.uuid == "b3f28feb-c91e-4601-a6b6-267fa98dc121" && rule.protocol == "TCP");
    let settings = rule.settings.as_ref().ok_or("no settings")?;
    ensure!(settings.connection_limit == Some(10000));
    ensure!(settings.session_persistence.as_deref() == Some("SOURCE_IP"));
    ensure!(lb.targets.len() == 1 && lb.targets[0].target_ip_address == "10.61.10.2");
    Ok(())
}

fn load_balancers(_: Doc, v: &Value) -> Result<(), String> {
    let lbs: Vec<LoadBalancer> = dec(v)?;
    ensure!(lbs.len() == 1 && lbs[0].display_name.is_empty());
    check_lb(&lbs[0])
}

fn load_balancer(_: Doc, v: &Value) -> Result<(), String> {
    check_lb(&dec(v)?)
}

fn lb_target(_: Doc, v: &Value) -> Result<(), String> {
    let t: LbTarget = dec(v)?;
    ensure!(t.target_type == "vm" && t.target_uuid == "145cc106-e067-419a-85fd-333ded30f169");
    Ok(())
}

fn added_forwarding_rule(_: Doc, v: &Value) -> Result<(), String> {
    let r: ForwardingRule = dec(v)?;
    // No uuid in the answer: the LB must be re-read to learn it.
    ensure!(r.uuid.is_empty() && r.source_port == 8080 && r.target_port == 80);
    ensure!(r.settings.is_none());
    Ok(())
}

fn invoice_payment(_: Doc, v: &Value) -> Result<(), String> {
    let p: PaymentObject = dec(v)?;
    ensure!(!p.is_verified && p.is_primary && p.is_deleted == Some(false));
    ensure!(p.valid_thru == 4102358400 && p.identifier == "N/A");
    Ok(())
}

fn invoice(_: Doc, v: &Value) -> Result<(), String> {
    let i: Invoice = dec(v)?;
    ensure!(i.status == 10 && i.padded_id == "001" && i.records_list.len() == 5);
    ensure!(i.totals.credit == -0.10 && i.totals.total == 1.21);
    ensure!(i.transaction_list.len() == 1 && i.transaction_list[0].payment_object_id == 6);
    Ok(())
}

fn pricing(_: Doc, v: &Value) -> Result<(), String> {
    let p: PricingPolicy = dec(v)?;
    ensure!(p.policy.len() == 8 && p.policy[0].num_cpus == Some(1));
    ensure!(p.policy[1].megs_ram == Some(512) && p.policy[3].price == 3.42e-05);
    ensure!(p.policy[3].service_name_in_uptime.as_deref() == Some("backup"));
    Ok(())
}

fn usage(_: Doc, v: &Value) -> Result<(), String> {
    let u: Vec<ResourceUsage> = dec(v)?;
    ensure!(u.len() == 1 && u[0].configurations.len() == 2 && u[0].hours == 3.0);
    let c = &u[0].configurations;
    ensure!(c[0].disk_size_gb == Some(20) && c[0].ram_mb == Some(2048));
    ensure!(c[1].disk_size_gb.is_none() && c[1].os_name.is_none());
    Ok(())
}

fn check_postgres(p: &ServicePackage) -> Result<(), String> {
    ensure!(p.uuid == "71cddf54-35ed-4f6e-bdf7-d344bbf0a546" && p.service == "postgresql");
    ensure!(p.version == "14.0" && p.is_multi_node && p.prices.len() == 9);
    ensure!(p.properties.port == 5432 && p.properties.sql_user == "wadmin");
    ensure!(p.resources.len() == 3 && p.vms().count() == 2);
    Ok(())
}

fn service_package(_: Doc, v: &Value) -> Result<(), String> {
    let p: ServicePackage = dec(v)?;
    check_postgres(&p)?;
    ensure!(p.is_active() && p.deleted_at.is_none());
    let vm = p.vms().next().ok_or("no vm")?;
    ensure!(vm.resource_allocation.vcpu == Some(1) && vm.resource_allocation.memory == Some(1024));
    ensure!(vm.resource_allocation.storage[0].size == 30);
    ensure!(p.resources[0].resource_allocation.address.as_deref() == Some("10.2.3.45"));
    Ok(())
}

fn service_packages(_: Doc, v: &Value) -> Result<(), String> {
    let p: Vec<ServicePackage> = dec(v)?;
    ensure!(p.len() == 2 && p[0].service == "mariadb" && p[0].properties.port == 3306);
    check_postgres(&p[1])
}

fn deleted_service(_: Doc, v: &Value) -> Result<(), String> {
    let p: ServicePackage = dec(v)?;
    check_postgres(&p)?;
    ensure!(!p.is_active() && p.status == "deleted" && p.is_deleted);
    ensure!(p.deleted_at.as_deref() == Some("2022-01-04 14:48:43"));
    ensure!(p.resources[1].resource_allocation == ServiceResourceAllocation::default());
    Ok(())
}

fn secrets(_: Doc, v: &Value) -> Result<(), String> {
    let s: ServiceSecrets = dec(v)?;
    ensure!(s.sql_pass == "MKL-TosvErik" && s.other.is_empty());
    Ok(())
}

fn whitelist(_: Doc, v: &Value) -> Result<(), String> {
    let w: WhitelistAddresses = dec(v)?;
    ensure!(w == ["10.123.8.0/24", "176.112.157.203"]);
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
                if parse_json(text).is_ok() {
                    return Err("expected Python literals, but the example is valid JSON".into());
                }
                parse_json(&python_literals_to_json(text))
            }
            Body::Json(text) => parse_json(text),
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
    let examples: Vec<Example> = ALL.iter().flat_map(|doc| doc.examples()).collect();

    let table = table();
    let mut failures = Vec::new();

    // No table entry may be stale, or duplicated.
    let found: BTreeSet<(Doc, &str)> = examples
        .iter()
        .map(|e| (e.doc, e.endpoint.as_str()))
        .collect();
    let mut seen = BTreeSet::new();
    for entry in &table {
        for &doc in entry.docs {
            if !seen.insert((doc, entry.endpoint)) {
                failures.push(format!("{doc:?} {:?}: mapped twice", entry.endpoint));
            }
            if !found.contains(&(doc, entry.endpoint)) {
                failures.push(format!(
                    "{doc:?} {:?}: mapped in the table but no fixture found",
                    entry.endpoint
                ));
            }
        }
    }

    let mut counts: BTreeMap<Doc, Counts> = BTreeMap::new();
    for ex in &examples {
        let entry = table
            .iter()
            .find(|t| t.endpoint == ex.endpoint && t.docs.contains(&ex.doc));
        let Some(entry) = entry else {
            failures.push(format!("{}: no decoder mapped for this example", ex.file));
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
                failures.push(format!("{} as {ty}: {err}", ex.file));
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

// =============================================================================================
// live-API shapes (API-FIELD-NOTES.md): payloads that differ from the documents

/// Decodes `tests/fixtures/api/live/<name>.json`: a payload shaped as the field notes describe.
fn live<T: DeserializeOwned>(name: &str) -> T {
    let path = format!("{FIXTURES}live/{name}.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn live_vm_has_no_id_tags_or_public_addresses() {
    let vm: Vm = live("vm_without_id_tags_or_public_addresses");
    assert_eq!(vm.id, None);
    assert_eq!(vm.tags, None);
    assert_eq!(vm.public_ipv4(), None);
    assert_eq!(vm.public_ipv6(), None);
    assert_eq!(vm.billing_account, 129072);
    assert_eq!(vm.vcpu, 2);
    assert!(vm.updated_at.is_empty());
    assert_eq!(vm.primary_storage().map(|s| s.size), Some(20));
    assert_eq!(vm.secondary_storage().count(), 0);
    // Absent keys stay absent when re-serialised (e.g. by the simulator).
    let back = serde_json::to_value(&vm).unwrap();
    for key in ["id", "tags", "public_ipv4", "public_ipv6"] {
        assert!(back.get(key).is_none(), "{key} should not be serialised");
    }
}

#[test]
fn host_pool_guest_limits() {
    let pools: Vec<HostPool> = live("host_pools_with_guest_limits");
    let gl = pools[0].guest_limits.as_ref().unwrap();
    assert_eq!((gl.cpu.min, gl.cpu.max), (Some(1), Some(16)));
    assert_eq!((gl.ram_mb.min, gl.ram_mb.max), (Some(512), Some(65536)));
    assert_eq!((gl.disk_gb.min, gl.disk_gb.max), (Some(20), None));
    assert!(gl.cpu.contains(16) && !gl.cpu.contains(17) && gl.disk_gb.contains(10_000));
    assert!(pools[1].guest_limits.is_none());
}

#[test]
fn disk_snapshot_size_in_both_spellings() {
    let d: Disk = live("disk_snapshot_sizes_both_spellings");
    assert!(d.is_active());
    assert_eq!(d.size_gb, 30);
    assert_eq!(d.read_only_bootable, Some(true));
    assert_eq!(d.snapshots[0].size_gb, 20);
    assert_eq!(d.snapshots[1].size_gb, 25);
}

#[test]
fn live_network_has_no_vlan_and_empty_ipv6() {
    let n: Network = live("network_without_vlan");
    assert_eq!(n.vlan_id, None);
    assert_eq!(n.subnet_ipv6(), None);
    assert!(serde_json::to_value(&n).unwrap().get("vlan_id").is_none());
}

#[test]
fn live_firewall_rules() {
    let f: Firewall = live("firewall");
    assert_eq!(f.display_name(), "db");
    assert_eq!(f.rules[0].endpoint_spec, None);
    assert_eq!(f.rules[1].port_start, None);
    assert_eq!(f.rules[1].effective_port_end(), None);
    assert_eq!(f.assigned_vm_uuids().collect::<Vec<_>>(), ["ff4b3c1b"]);
}

#[test]
fn floating_ip_assigned_to_a_load_balancer() {
    let ips: Vec<FloatingIp> = live("floating_ips_assigned_to_load_balancer");
    assert_eq!(ips[0].assigned_to(), Some("438ac62f"));
    assert_eq!(ips[0].billing_account_id, 1);
    assert!(ips[0].enabled);
    assert!(!ips[1].is_assigned());
}

#[test]
fn error_bodies_in_every_shape() {
    let text = |s: &str| ApiErrorBody::parse(s).and_then(|b| b.text());
    assert_eq!(
        text(r#"{"errors": {"Error": "No such virtual machine exists. x"}}"#).as_deref(),
        Some("No such virtual machine exists. x")
    );
    assert_eq!(
        text(r#"{"message": "Network UUID is invalid."}"#).as_deref(),
        Some("Network UUID is invalid.")
    );
    assert_eq!(
        text(r#"{"errors": {"name": "This field is required."}}"#).as_deref(),
        Some("name: This field is required.")
    );
    assert_eq!(
        text(r#"{"errors": {"consumer::resource_forbidden": {"msg": "Consumer not allowed to access resource.", "subtype": "resource_forbidden", "type": "consumer"}}}"#).as_deref(),
        Some("consumer::resource_forbidden: Consumer not allowed to access resource.")
    );
    assert_eq!(
        text(r#"{"message": "no route and no API found with those values"}"#).as_deref(),
        Some("no route and no API found with those values")
    );
    assert!(ApiErrorBody::parse("[]").is_none());
    assert!(ApiErrorBody::parse("<html>").is_none());
    assert!(ApiErrorBody::parse(r#"{"uuid": "x"}"#).is_none());
}

#[test]
fn service_package_and_secrets_live() {
    let p: ServicePackage = live("service_package");
    assert_eq!(p.version, "14.0");
    assert!(!p.is_multi_node && p.is_active());
    assert_eq!(p.properties.port, 5432);
    assert!(p.resources.is_empty() && p.prices.is_empty());
    let s: ServiceSecrets = live("service_secrets");
    assert_eq!(s.sql_pass, "x");
    assert_eq!(s.other.get("other_key").map(Secret::expose), Some("1"));
}
