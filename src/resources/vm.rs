//! `idcloudhost_vm`: a virtual machine.
//!
//! The API's VM payload lacks the public IPv4 (found in the floating IP list) and
//! the network (found in the networks' `vm_uuids`); passwords, cloud-init and keys
//! are never returned. Writes are synchronous: no polling.

use crate::framework::Timeouts;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::common::{
    billing_account_attr, billing_change, check_network_uuid, created_at_attr, id_attr, located,
    location_and_id, location_attr, name_attr, parse_located_import_id, COMMUNITY_NAMES_VERSION,
};
use super::ssh_key::matches_key_pattern;
use super::vm_day2;
use crate::api::models::config::VmParameter;
use crate::api::models::floating_ip::FloatingIp;
use crate::api::models::host_pool::{HostPool, MinMax};
use crate::api::models::vm::Vm;
use crate::api::vm::{self as api, NewVm};
use crate::api::NotFoundExt;
use crate::api::{floating_ip, network, Feature, Loc, Secret};
use crate::cancel::{fresh_lists, Waited, DEADLINE};
use crate::context::ProviderData;
use crate::framework::{
    non_empty, required, timeouts_block, track_created, write_only_version, Attr, Dyn, Field,
    OpError, Plan, ResourceType, SchemaSpec, Ty, Validator, Views,
};

/// The state of an `idcloudhost_vm`.
#[derive(Serialize, Deserialize, Clone, Default, PartialEq)]
#[serde(default)]
pub struct VmState {
    pub id: Option<String>,
    pub location: Option<String>,
    pub name: Option<String>,
    /// `Field`: an unknown OS or backup gives an unknown cost estimate.
    pub os_name: Field<String>,
    pub os_version: Option<String>,
    // `Field`: what a plan tells apart from null (set or unknown in the
    // configuration, unknown until apply).
    pub disk_size_gb: Field<i64>,
    pub vcpu: Option<i64>,
    pub ram_mb: Option<i64>,
    pub username: Option<String>,
    pub password: Option<String>,
    /// Write-only: only in what create and update are given, never in the state.
    pub password_wo: Option<String>,
    pub password_wo_version: Option<i64>,
    pub public_keys: Option<Vec<String>>,
    pub ssh_key_ids: Option<Vec<String>>,
    pub cloud_init: Option<String>,
    /// Write-only: only in what create is given, never in the state.
    pub cloud_init_wo: Option<String>,
    pub cloud_init_wo_version: Option<i64>,
    pub network_uuid: Option<String>,
    pub designated_pool_uuid: Field<String>,
    pub billing_account_id: Option<i64>,
    pub description: Option<String>,
    pub backup: Field<bool>,
    pub reserve_public_ip: Option<bool>,
    pub release_public_ip_on_destroy: Option<bool>,
    pub power_state: Option<String>,
    /// `replace` (unset) or `reinstall`: see `vm_day2`.
    pub os_change: Option<String>,
    pub force_stop: Option<bool>,
    pub source_uuid: Field<String>,
    pub source_replica: Field<String>,
    pub disk_uuid: Field<String>,
    pub status: Option<String>,
    pub hostname: Option<String>,
    pub mac: Option<String>,
    pub private_ipv4: Option<String>,
    pub public_ipv4: Field<String>,
    pub reserved_public_ipv4: Field<String>,
    pub public_ipv6: Option<String>,
    pub boot_disk_uuid: Option<String>,
    pub designated_pool_name: Option<String>,
    pub created_at: Option<String>,
    pub estimated_hourly_cost: Option<f64>,
    pub estimated_monthly_cost: Option<f64>,
    pub timeouts: Vec<Timeouts>,
}

// Never prints a secret: the state is in hand wherever something fails.
impl std::fmt::Debug for VmState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::framework::typed::debug_redacted(
            self,
            "VmState",
            &[
                "password",
                "password_wo",
                "cloud_init",
                "cloud_init_wo",
                "public_keys",
            ],
            f,
        )
    }
}

/// What `validate` reads of a VM's configuration. Any value may be unknown,
/// which is set (known at apply), not null. No `Debug`: it holds secrets.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct VmConfig {
    pub os_name: Field<String>,
    pub os_version: Field<String>,
    pub username: Field<String>,
    pub password: Field<String>,
    pub password_wo: Field<String>,
    pub public_keys: Field<Vec<Field<String>>>,
    pub ssh_key_ids: Field<Vec<Field<String>>>,
    pub cloud_init: Field<String>,
    pub cloud_init_wo: Field<String>,
    pub designated_pool_uuid: Field<String>,
    pub description: Field<String>,
    pub source_uuid: Field<String>,
    pub source_replica: Field<String>,
    pub disk_uuid: Field<String>,
}

#[derive(Default)]
pub struct VmResource;

const RUNNING: &str = "running";
const STOPPED: &str = "stopped";
/// `os_name` / `os_version` of a VM with an empty disk.
pub(crate) const EMPTY_DISK_OS: &str = "_custom";
const EMPTY_DISK_VERSION: &str = "_";
/// Why a VM is stopped for `power_state`, as `vm_day2::stop_for_change` says it.
const FOR_STOPPED: &str = "for power_state = \"stopped\"";
/// Boot disk size when neither the configuration nor a source sets one.
const DEFAULT_DISK_GB: i64 = 20;

/// One OpenSSH public key line; surrounding whitespace (the newline `file()` keeps)
/// is ignored, as it is when the key is sent.
fn public_key_line(value: &Dyn) -> Result<(), String> {
    let Some(key) = value.as_str() else {
        return Ok(());
    };
    if matches_key_pattern(key) {
        Ok(())
    } else {
        // Never quoted: a private key pasted by mistake is a secret.
        let first_word = key.split_whitespace().next().unwrap_or_default();
        Err(if first_word.starts_with("-----BEGIN") {
            "this is a private key, not a public key line: give the key's `.pub` file (`ssh-ed25519 AAAA... comment`), and treat the private key as exposed if it was shared.".to_owned()
        } else {
            "an entry is not an OpenSSH public key line (`ssh-ed25519 AAAA... comment`).".to_owned()
        })
    }
}

fn password_strength(value: &Dyn) -> Result<(), String> {
    let Some(p) = value.as_str() else {
        return Ok(());
    };
    let ok = p.chars().count() >= 8
        && p.chars().any(|c| c.is_ascii_lowercase())
        && p.chars().any(|c| c.is_ascii_uppercase())
        && p.chars().any(|c| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err("the password needs at least 8 characters with a lowercase letter, an uppercase letter and a digit.".into())
    }
}

/// Whether a cloud-init document (YAML or JSON) declares `users`: then the API must
/// get neither `username` nor `password`, or the VM ends up with no working login.
pub fn cloud_init_declares_users(document: &str) -> bool {
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(document) {
        return map.contains_key("users");
    }
    document.lines().any(|line| {
        line.strip_prefix("users")
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })
}

/// Whether the oldest API generation takes this cloud-init document: its document
/// (elastis.id, "Create VM") takes cloud_init "as JSON, currently runcmd and
/// write_files are supported".
fn is_oldest_cloud_init(document: &str) -> bool {
    match serde_json::from_str(document) {
        Ok(serde_json::Value::Object(map)) => {
            map.keys().all(|k| k == "runcmd" || k == "write_files")
        }
        _ => false,
    }
}

/// A cloud-init document only the newer API generations take.
fn needs_full_cloud_init(value: &Dyn) -> bool {
    value.as_str().is_some_and(|doc| !is_oldest_cloud_init(doc))
}

/// cloud_init must be a YAML or JSON object (the API's "valid YAML or JSON object"):
/// the whole document is parsed (JSON is YAML too), so a document the guest's
/// cloud-init would reject fails here, at plan, naming the line. The messages
/// never quote the document: it is sensitive and often holds credentials.
fn cloud_init_shape(value: &Dyn) -> Result<(), String> {
    let Some(doc) = value.as_str() else {
        return Ok(());
    };
    if doc.trim_start().is_empty() {
        return Err("cloud_init must not be empty.".into());
    }
    let not_object = |what: &str| {
        Err(format!(
            "cloud_init must be a YAML or JSON object (such as \"#cloud-config\\npackages: [nginx]\"), not {what}."
        ))
    };
    match serde_json::from_str::<serde_json::Value>(doc) {
        Ok(serde_json::Value::Object(_)) => return Ok(()),
        Ok(serde_json::Value::Array(_)) => return not_object("a JSON array"),
        Ok(_) => return not_object("a single JSON value"),
        Err(e) if doc.trim_start().starts_with('{') => {
            return Err(format!(
                "cloud_init starts like JSON but is not a JSON object: {} at line {}, column {}.",
                json_problem(&e),
                e.line(),
                e.column()
            ))
        }
        Err(_) => {}
    }
    let documents = yaml_rust2::YamlLoader::load_from_str(doc).map_err(|e| {
        let marker = e.marker();
        format!(
            "cloud_init is not valid YAML: {} at line {}, column {}.",
            yaml_problem(e.info()),
            marker.line(),
            marker.col() + 1
        )
    })?;
    use yaml_rust2::Yaml;
    match documents.as_slice() {
        // Only comments (`#cloud-config`): an empty configuration.
        [] | [Yaml::Null] => Ok(()),
        [Yaml::Hash(_)] => Ok(()),
        [Yaml::Array(_)] => not_object("a YAML list"),
        [_] => not_object("plain text (a YAML scalar)"),
        _ => Err("cloud_init must be one YAML document, not several (`---` separators).".into()),
    }
}

/// What is wrong with a JSON document, without serde_json's position suffix.
fn json_problem(e: &serde_json::Error) -> &'static str {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => "the document ends early",
        Category::Syntax => "a syntax error",
        Category::Data | Category::Io => "not a JSON object",
    }
}

/// The parser's description of a YAML error, cut before any quoted character of
/// the document (a few messages quote the offending character).
fn yaml_problem(info: &str) -> String {
    match info.find(['`', '\'', '"']) {
        None => info.to_owned(),
        Some(cut) => {
            let before = info[..cut].trim_end_matches([':', ' ']);
            if before.ends_with(" of") {
                format!("{before} the character")
            } else {
                before.to_owned()
            }
        }
    }
}

#[async_trait]
impl ResourceType for VmResource {
    type Platform = ProviderData;
    const NAME: &'static str = "vm";
    type State = VmState;
    type Config = VmConfig;

    fn schema(&self) -> SchemaSpec {
        let spec = SchemaSpec::new("A virtual machine.")
            .with_version(COMMUNITY_NAMES_VERSION)
            .attr(id_attr("The VM's uuid."))
            .attr(location_attr())
            .attr(
                name_attr("Name of the VM; changed in place.")
                    .validate(super::common::max_chars(255)),
            )
            .attr(
                Attr::optional_computed("os_name", Ty::String)
                    .desc("Operating system (see the `idcloudhost_vm_images` data source), or `_custom` for an empty disk (not on elastis.id). Required unless `disk_uuid` or `source_uuid` is set. A change replaces the VM, or with `os_change = \"reinstall\"` reinstalls it in place.")
                    .read_desc("Operating system (see the `idcloudhost_vm_images` data source), or `_custom` for an empty disk (not on elastis.id).")
                    .force_new()
                    .only_on_when(Feature::EmptyDiskVms, |v| v.as_str() == Some(EMPTY_DISK_OS)),
            )
            .attr(
                Attr::optional_computed("os_version", Ty::String)
                    .desc("Version of `os_name` (`_` for an empty disk). Required when `os_name` is set (other than `_custom`, where it defaults to `_`); unset, like `os_name`, when the VM is made from `disk_uuid` or `source_uuid`. A change replaces the VM, or with `os_change = \"reinstall\"` reinstalls it in place.")
                    .read_desc("Version of `os_name` (`_` for an empty disk).")
                    .force_new(),
            )
            .attr(
                Attr::optional_computed("disk_size_gb", Ty::Number)
                    .desc("Boot disk size in GB (default: the host pool's minimum, or 20). Grows in place; shrinking is not possible.")
                    .validate(Validator::IntRange(1, 1_000_000)),
            )
            .attr(
                Attr::required("vcpu", Ty::Number)
                    .desc("Number of virtual CPUs, within the host pool's limits and the operating system's minimum (Windows: 2), checked at plan time. Changed in place: a running VM is stopped, resized and started again.")
                    .validate(Validator::IntRange(1, 1024)),
            )
            .attr(
                Attr::required("ram_mb", Ty::Number)
                    .desc("Memory in MB, within the host pool's limits and the operating system's minimum (Windows: 1024), checked at plan time. Changed in place: a running VM is stopped, resized and started again.")
                    .validate(Validator::IntRange(128, 4_194_304)),
            )
            .attr(
                Attr::optional_computed("username", Ty::String)
                    .desc("Login user created on the VM: a Linux user name (lowercase letters, digits, `_` and `-`, starting with a letter or `_`, at most 32 characters). Not sent when `cloud_init` declares `users`.")
                    .validate(Validator::Pattern(r"^[a-z_][a-z0-9_-]{0,31}$", "a Linux user name (lowercase letters, digits, `_` and `-`, starting with a letter or `_`, at most 32 characters)"))
                    .force_new(),
            )
            .attr(
                Attr::optional("password", Ty::String)
                    .desc("Password of `username`: at least 8 characters with lower- and uppercase letters and a digit. Changed in place (the VM is started for it if needed). Never returned by the API, but stored in the Terraform state (marked sensitive): on Terraform 1.11 or later use `password_wo` instead.")
                    .sensitive()
                    .not_read_back()
                    .validate(Validator::custom(password_strength)),
            )
            .attr(
                Attr::optional("password_wo", Ty::String)
                    .desc("Write-only password of `username` (Terraform 1.11 or later), never stored in the plan or state: sent when the VM is created, and again, in place, whenever `password_wo_version` changes (the VM is started for it if needed). Same rules as `password`, which it replaces.")
                    .write_only("password_wo_version")
                    .instead_of("password")
                    .validate(Validator::custom(password_strength)),
            )
            .attr(write_only_version("password_wo_version", "password_wo"))
            .attr(
                Attr::optional("public_keys", Ty::list(Ty::String))
                    .desc("OpenSSH public key lines installed for `username`. Never returned by the API. Sensitive: it often holds credentials. Only IDCloudHost takes more than one.")
                    .sensitive()
                    .create_only()
                    .not_read_back()
                    .validate(Validator::each(Validator::custom(public_key_line)))
                    .only_on_when(Feature::VmPublicKeys, |v| v.as_list().len() > 1),
            )
            .attr(
                Attr::optional("ssh_key_ids", Ty::list(Ty::String))
                    .desc("Ids of `idcloudhost_ssh_key`s whose public keys are installed, in addition to `public_keys`. IDCloudHost API generation only.")
                    .create_only()
                    .not_read_back()
                    .validate(Validator::each(Validator::NotEmpty))
                    .only_on(Feature::SshKeys),
            )
            .attr(
                Attr::optional("cloud_init", Ty::String)
                    .desc("cloud-init user data: a YAML or JSON object, parsed at plan (malformed YAML or JSON, a JSON array or value, a YAML list or plain text is a plan-time error naming the line; on elastis.id a JSON object with only `runcmd` and `write_files`). When it declares `users`, `username` and `password` are not sent. Never returned by the API. Sensitive: it often holds credentials, and it is stored in the Terraform state: on Terraform 1.11 or later use `cloud_init_wo` instead.")
                    .sensitive()
                    .create_only()
                    .not_read_back()
                    .validate(Validator::custom(cloud_init_shape))
                    .only_on_when(Feature::FullCloudInit, needs_full_cloud_init),
            )
            .attr(
                Attr::optional("cloud_init_wo", Ty::String)
                    .desc("Write-only `cloud_init` (Terraform 1.11 or later), never stored in the plan or state: sent when the VM is created. cloud-init runs only then, so changing `cloud_init_wo_version` replaces the VM. Same rules as `cloud_init`, which it replaces.")
                    .write_only("cloud_init_wo_version")
                    .instead_of("cloud_init")
                    .validate(Validator::custom(cloud_init_shape))
                    .only_on_when(Feature::FullCloudInit, needs_full_cloud_init),
            )
            .attr(write_only_version("cloud_init_wo_version", "cloud_init_wo").force_new())
            .attr(
                Attr::optional_computed("network_uuid", Ty::String)
                    .desc("Private network of the VM; the location's default network when unset. Must be a network of the VM's location (checked at plan time).")
                    .force_new(),
            )
            .attr(
                Attr::optional_computed("designated_pool_uuid", Ty::String)
                    .desc("Host pool (server class) of the VM; the location's default pool when unset.")
                    .force_new(),
            )
            .attr(billing_account_attr())
            .attr(
                Attr::optional_computed("description", Ty::String)
                    .desc("Description; the API cannot change it afterwards.")
                    .force_new(),
            )
            .attr(
                Attr::optional("backup", Ty::Bool)
                    .desc("Automatic backups; changed in place.")
                    .default(false),
            )
            .attr(
                Attr::optional("reserve_public_ip", Ty::Bool)
                    .desc("Reserve a public IPv4 address (a floating IP) for the VM; changed in place. Set it to false when an `idcloudhost_floating_ip_assignment` gives the VM its address. If the VM's address is unassigned outside Terraform, the next apply assigns it again (or reserves a new one if it was released).")
                    .default(true)
                    .not_read_back(),
            )
            .attr(
                Attr::optional("release_public_ip_on_destroy", Ty::Bool)
                    .desc("On destroy (or when `reserve_public_ip` becomes false), also release the address this VM reserved, so no unassigned address is left billing. Addresses the VM did not reserve itself are never released.")
                    .default(true)
                    .not_read_back(),
            )
            .attr(
                Attr::optional("power_state", Ty::String)
                    .desc("`running` (default) or `stopped`; changed in place.")
                    .default(RUNNING)
                    .validate(Validator::OneOf(&[RUNNING, STOPPED])),
            )
            .attr(vm_day2::os_change_attr())
            .attr(vm_day2::force_stop_attr())
            .attr(
                Attr::optional("source_uuid", Ty::String)
                    .desc("Create the VM as a copy of this VM's snapshot or backup (`source_replica`), or without `source_replica` as a clone of this VM (its disk, operating system, users and keys, size, host pool and network; `vcpu`, `ram_mb`, a larger `disk_size_gb`, `reserve_public_ip`, `backup` and `power_state` are applied to the clone after).")
                    .create_only()
                    .not_read_back(),
            )
            .attr(
                Attr::optional("source_replica", Ty::String)
                    .desc("Snapshot or backup of `source_uuid` to copy.")
                    .create_only()
                    .not_read_back(),
            )
            .attr(
                Attr::optional("disk_uuid", Ty::String)
                    .desc("Boot from this existing, unattached disk.")
                    .force_new()
                    .not_read_back(),
            )
            .attr(Attr::computed("status", Ty::String).desc("Status reported by the API (`running` or `stopped`).").stable())
            .attr(Attr::computed("hostname", Ty::String).desc("Hostname.").stable())
            .attr(Attr::computed("mac", Ty::String).desc("MAC address.").stable())
            .attr(Attr::computed("private_ipv4", Ty::String).desc("Address in the private network.").stable())
            .attr(Attr::computed("public_ipv4", Ty::String).desc("Public IPv4 address: the floating IP assigned to the VM.").stable())
            .attr(
                Attr::computed("reserved_public_ipv4", Ty::String)
                    .desc("The address this resource reserved for the VM (`reserve_public_ip`), released on destroy when `release_public_ip_on_destroy` is true. Null after an import: the API cannot say who reserved an address, so an imported VM's address is never released.")
                    .read_desc("Always null: only the resource knows which address it reserved (the API cannot say who reserved one). The VM's address is `public_ipv4`.")
                    .stable(),
            )
            .attr(Attr::computed("public_ipv6", Ty::String).desc("Public IPv6 address.").stable())
            .attr(Attr::computed("boot_disk_uuid", Ty::String).desc("Uuid of the boot disk.").stable())
            .attr(Attr::computed("designated_pool_name", Ty::String).desc("Name of the host pool.").stable())
            .attr(created_at_attr())
            .block(timeouts_block(&["create", "update", "delete"]));
        super::cost::with_cost_attrs(spec, super::cost::VM_FORMULA)
    }

    async fn meter(
        &self,
        _ctx: &ProviderData,
        values: &VmState,
        _prior: Option<&VmState>,
    ) -> Result<Option<crate::platform::pricing::Meter>, OpError> {
        Ok(Some(super::cost::vm(values)))
    }

    fn validate(&self, config: &VmConfig) -> Vec<OpError> {
        let mut errors = Vec::new();
        // Set: known or unknown (a value known at apply), not null.
        let set = |value: &Field<String>| !value.is_null();
        let (disk, source) = (set(&config.disk_uuid), set(&config.source_uuid));
        let os = [
            ("os_name", set(&config.os_name)),
            ("os_version", set(&config.os_version)),
        ];
        if disk {
            let sources = [
                ("source_uuid", source),
                ("source_replica", set(&config.source_replica)),
            ];
            for (other, _) in os.iter().chain(&sources).filter(|(_, set)| *set) {
                errors.push(OpError::invalid(
                    other,
                    format!(
                        "{other} cannot be combined with disk_uuid: the VM boots from that disk."
                    ),
                ));
            }
        }
        if set(&config.source_replica) && !source {
            errors.push(OpError::invalid(
                "source_uuid",
                "source_replica needs source_uuid: the VM whose snapshot or backup it is.",
            ));
        }
        if source {
            for (other, _) in os.iter().filter(|(_, set)| *set) {
                errors.push(OpError::invalid(
                    other,
                    format!("{other} cannot be combined with source_uuid: the copy keeps the source's operating system."),
                ));
            }
        }
        vm_day2::validate(config, &mut errors);
        if !disk && !source && !set(&config.os_name) {
            errors.push(OpError::invalid(
                "os_name",
                "os_name is required unless disk_uuid or source_uuid is set (use \"_custom\" with os_version \"_\" for an empty disk).",
            ));
        }
        let os_name = config.os_name.as_deref();
        if os_name.is_some_and(|n| n != EMPTY_DISK_OS) && !set(&config.os_version) {
            errors.push(OpError::invalid(
                "os_version",
                "os_version is required with os_name.",
            ));
        }
        if (set(&config.password) || set(&config.password_wo)) && !set(&config.username) {
            let users = [&config.cloud_init, &config.cloud_init_wo]
                .into_iter()
                .any(|text| text.as_deref().is_some_and(cloud_init_declares_users));
            if !users {
                errors.push(OpError::invalid(
                    "username",
                    "username is required with password: the password is set for that user.",
                ));
            }
        }
        errors
    }

    async fn modify_plan(&self, ctx: &ProviderData, plan: &mut Plan) -> Result<(), OpError> {
        let views = plan.typed::<VmState>()?;
        let (config, planned) = (&views.config, &views.planned);
        if plan.is_create() {
            check_image(ctx, config).await?;
            let keys = planned.public_keys.clone().unwrap_or_default();
            api::public_key_params(ctx.client.generation(), &keys)
                .map_err(|e| OpError::invalid("public_keys", e.message))?;
        }
        check_sizing(ctx, plan, &views).await?;
        check_os_minimums(ctx, plan, planned).await?;
        if let (Some(uuid), Some(location)) = (&config.network_uuid, &planned.location) {
            if plan.changes("network_uuid") || plan.changes("location") {
                check_network_uuid(ctx, location, uuid, "network_uuid").await?;
            }
        }

        // The status follows the power state.
        if let Some(power) = &planned.power_state {
            if plan.changes("power_state") {
                plan.update_planned(|planned: &mut VmState| planned.status = Some(power.clone()))?;
            }
        }

        if let Some(prior) = &views.prior {
            // Shrinking is impossible; growing happens in place.
            if let (Some(prior), Some(planned)) =
                (prior.disk_size_gb.known(), planned.disk_size_gb.known())
            {
                if planned < prior {
                    return Err(OpError::invalid(
                        "disk_size_gb",
                        format!("The boot disk is {prior} GB; it can grow but not shrink to {planned} GB. Set disk_size_gb to {prior} or more (it may have grown outside Terraform)."),
                    ));
                }
            }
            plan_public_address(plan)?;
        }
        vm_day2::modify_plan(ctx, plan).await?;
        Ok(())
    }

    async fn create(&self, ctx: &ProviderData, plan: VmState) -> Result<VmState, OpError> {
        let location = located(&plan.location)?;
        if plan.source_uuid.known().is_some() && plan.source_replica.known().is_none() {
            return create_clone(ctx, location, &plan).await;
        }
        let cloud_init = plan
            .cloud_init
            .as_deref()
            .or(plan.cloud_init_wo.as_deref())
            .map(Secret::from);
        let send_login = !cloud_init
            .as_ref()
            .is_some_and(|doc| cloud_init_declares_users(doc.expose()));
        let os_version = plan.os_version.clone().or_else(|| {
            (plan.os_name.as_deref() == Some(EMPTY_DISK_OS)).then(|| EMPTY_DISK_VERSION.to_owned())
        });
        let mut public_keys: Vec<Secret> = plan
            .public_keys
            .iter()
            .flatten()
            .map(|k| Secret::from(k.trim()))
            .collect();
        let key_ids = plan.ssh_key_ids.clone().unwrap_or_default();
        if !key_ids.is_empty() {
            public_keys.extend(
                super::ssh_key::public_keys_of(ctx, &key_ids)
                    .await?
                    .into_iter()
                    .map(Secret::from),
            );
        }
        let new = NewVm {
            name: required(&plan.name, "name")?.to_owned(),
            os_name: plan.os_name.known().cloned(),
            os_version,
            disk_size_gb: plan.disk_size_gb.known().copied(),
            vcpu: plan.vcpu.unwrap_or(1),
            ram_mb: plan.ram_mb.unwrap_or(1024),
            username: plan.username.clone().filter(|_| send_login),
            password: plan
                .password
                .as_deref()
                .or(plan.password_wo.as_deref())
                .filter(|_| send_login)
                .map(Secret::from),
            public_keys,
            cloud_init,
            network_uuid: plan.network_uuid.clone(),
            designated_pool_uuid: plan.designated_pool_uuid.clone().into_known(),
            billing_account_id: plan.billing_account_id,
            description: plan.description.clone(),
            backup: plan.backup.known().copied().unwrap_or(false),
            reserve_public_ip: plan.reserve_public_ip.unwrap_or(true),
            source_uuid: plan.source_uuid.clone().into_known(),
            source_replica: plan.source_replica.clone().into_known(),
            disk_uuid: plan.disk_uuid.clone().into_known(),
        };
        let listed = api::list(&ctx.client, location).await?.into_iter();
        super::common::warn_same_named("VM", &new.name, listed.map(|v| (v.name, v.uuid)));
        let vm = api::create(&ctx.client, location, &new).await?;
        let uuid = vm.uuid.clone();
        let mut state = made(&plan, &uuid);
        // What the platform reserved now is what destroy releases later.
        state.reserved_public_ipv4 = if new.reserve_public_ip {
            floating_ip::assigned_to(&ctx.client, location, &uuid)
                .await?
                .map(|ip| ip.address)
                .into()
        } else {
            Field::Null
        };
        track_created(&state);
        if plan.power_state.as_deref() == Some(STOPPED) && vm.is_running() {
            let force = plan.force_stop == Some(true);
            if let Err(e) = vm_day2::stop_for_change(ctx, location, &uuid, force, FOR_STOPPED).await
            {
                let e = e.context("The VM was created but could not be stopped");
                return Err(with_current_state(ctx, e, state).await);
            }
        }
        snapshot(ctx, &state).await
    }

    async fn read(&self, ctx: &ProviderData, state: VmState) -> Result<Option<VmState>, OpError> {
        current_state(ctx, &state).await
    }

    async fn update(
        &self,
        ctx: &ProviderData,
        before: VmState,
        plan: VmState,
    ) -> Result<VmState, OpError> {
        let (location, uuid) = location_and_id(&before.location, &before.id)?;
        let mut state = before.clone();
        let was_running = api::find(&ctx.client, location, uuid)
            .await?
            .map(|vm| vm.is_running());
        match apply_changes(ctx, location, uuid, &before, &plan, &mut state).await {
            Ok(()) => snapshot(ctx, &state).await,
            Err(mut e) => {
                // Back to the power state it had before the update, saying so.
                if let Some(was_running) = was_running {
                    let power = restore_power(ctx, location, uuid, was_running).await;
                    e.summary = format!("{}. {power}", e.summary.trim_end_matches('.'));
                }
                // Keep what was applied before the failure.
                Err(with_current_state(ctx, e, state).await)
            }
        }
    }

    async fn delete(&self, ctx: &ProviderData, stored: &VmState) -> Result<(), OpError> {
        let (location, uuid) = location_and_id(&stored.location, &stored.id)?;
        // Only the address this resource reserved is ever released; it is found
        // before the VM goes, while it is still assigned to it.
        let release_own = stored.release_public_ip_on_destroy.unwrap_or(true);
        let own_address = own_address(ctx, location, uuid, stored.reserved_public_ipv4.as_deref())
            .await?
            .map(|ip| ip.address);
        let release = own_address.clone().filter(|_| release_own);
        if api::find(&ctx.client, location, uuid).await?.is_some() {
            let held = floating_ip::assigned_to(&ctx.client, location, uuid)
                .await?
                .map(|ip| ip.address)
                .filter(|a| own_address.as_deref() != Some(a.as_str()));
            api::unlink_from_load_balancers(&ctx.client, location, uuid).await?;
            api::delete(&ctx.client, location, uuid)
                .await
                .ok_if_not_found()?;
            // The same destroy may release it (its idcloudhost_floating_ip, adopted
            // with the VM, is deleted at the same time): warn only if it stays.
            let held = match held {
                Some(address) => still_reserved(ctx, location, &address).await?,
                None => None,
            };
            if let Some(address) = held {
                crate::framework::warn(
                    OpError::new(format!("Public address {address} was left reserved"))
                        .detail(format!(
                            "The VM held {address}, which this resource did not reserve (the VM was imported, or the address is assigned outside Terraform), so it was not released. It stays reserved and billed, unassigned. If no idcloudhost_floating_ip manages it, release it: import it (terraform import idcloudhost_floating_ip.NAME {location}/{address}) and destroy it."
                        )),
                );
            }
        }
        if let Some(address) = release {
            // Deleting the VM leaves its reserved address behind, unassigned and billed.
            floating_ip::release(&ctx.client, location, &address)
                .await
                .map_err(|e| {
                    OpError::from(e).context(&format!(
                        "The VM was deleted but its public address {address} could not be released"
                    ))
                })?;
        }
        Ok(())
    }

    async fn import(&self, ctx: &ProviderData, id: &str) -> Result<VmState, OpError> {
        let (location, parts) = parse_located_import_id(ctx, id, &["uuid"]).await?;
        let uuid = &parts[0];
        if api::find(&ctx.client, &location, uuid).await?.is_none() {
            return Err(OpError::new(format!("No VM {uuid} in location {location}")));
        }
        let public = floating_ip::assigned_to(&ctx.client, &location, uuid).await?;
        Ok(VmState {
            id: Some(uuid.clone()),
            location: Some(location),
            // What a configuration of this VM most likely says. The API cannot say
            // who reserved the address (the VM itself, or an idcloudhost_floating_ip),
            // so it is not claimed: nothing this resource did not reserve is released.
            reserve_public_ip: Some(public.is_some()),
            reserved_public_ipv4: Field::Null,
            ..VmState::default()
        })
    }
}

// ------------------------------------------------------------ public address
//
// A VM's public IPv4 is a floating IP. `reserved_public_ipv4` records the one this
// resource reserved itself (at create, or when `reserve_public_ip` became true):
// only that address is ever re-assigned or released by the VM. Addresses assigned
// by `idcloudhost_floating_ip_assignment`, outside Terraform, or found at import
// are never claimed, because the API cannot say who reserved them.

/// The address this resource reserved, while it still exists and is free or still
/// this VM's (one moved to another resource is no longer the VM's to release).
async fn own_address(
    ctx: &ProviderData,
    location: &str,
    uuid: &str,
    reserved: Option<&str>,
) -> Result<Option<FloatingIp>, OpError> {
    let Some(address) = reserved else {
        return Ok(None);
    };
    Ok(floating_ip::find(&ctx.client, location, address)
        .await?
        .filter(|ip| {
            ip.assigned_to()
                .is_none_or(|to| to.eq_ignore_ascii_case(uuid))
        }))
}

/// How long a VM's delete watches an address it held but did not reserve, for
/// another delete of the same destroy to release it, before warning that it is
/// left reserved.
const LEFT_ADDRESS_WAIT: std::time::Duration = std::time::Duration::from_secs(15);

/// `address` if it is still reserved once the deletes running alongside had
/// their chance to release it: looked at again in fresh lists until it is gone,
/// for up to `LEFT_ADDRESS_WAIT` (within the delete deadline).
async fn still_reserved(
    ctx: &ProviderData,
    location: &str,
    address: &str,
) -> Result<Option<String>, OpError> {
    let until = std::time::Instant::now() + LEFT_ADDRESS_WAIT;
    let until = DEADLINE
        .try_with(|deadline| *deadline)
        .map_or(until, |deadline| deadline.min(until));
    let mut poll = std::time::Duration::from_millis(250);
    loop {
        let found = fresh_lists(floating_ip::find(&ctx.client, location, address)).await?;
        let now = std::time::Instant::now();
        // Interrupted: the address is still there as far as anyone knows.
        let interrupted = || async {
            ctx.client.cancel().sleep(poll.min(until - now)).await == Waited::Cancelled
        };
        if found.is_none() || now >= until || interrupted().await {
            return Ok(found.map(|ip| ip.address));
        }
        poll = (poll * 2).min(std::time::Duration::from_secs(2));
    }
}

/// A VM deleted outside Terraform leaves the address it reserved behind,
/// unassigned and billed: say so in the plan that re-creates it (reads never write).
async fn warn_if_address_orphaned(
    ctx: &ProviderData,
    location: &str,
    state: &VmState,
) -> Result<(), OpError> {
    let uuid = state.id.as_deref().unwrap_or_default();
    let reserved = state.reserved_public_ipv4.as_deref();
    let Some(ip) = own_address(ctx, location, uuid, reserved).await? else {
        return Ok(());
    };
    let address = ip.address;
    let name = state.name.as_deref().unwrap_or(uuid);
    crate::framework::warn(
        OpError::new(format!(
            "VM {name:?} was deleted outside Terraform; its public address {address} is still reserved and billed"
        ))
        .detail(format!(
            "Deleting a VM leaves the address it reserved behind, unassigned. Terraform will create a new VM (with a new address when reserve_public_ip is true) and no longer tracks {address}. To release it, import it and destroy it: terraform import idcloudhost_floating_ip.NAME {location}/{address} (with a matching resource block), then remove that block and apply. To keep using it, manage it with idcloudhost_floating_ip and assign it with idcloudhost_floating_ip_assignment (reserve_public_ip = false on the VM)."
        )),
    );
    Ok(())
}

/// Plan of `public_ipv4` / `reserved_public_ipv4` for an update.
fn plan_public_address(plan: &mut Plan) -> Result<(), OpError> {
    let Some(prior) = plan.typed::<VmState>()?.prior else {
        return Ok(());
    };
    let own = prior.reserved_public_ipv4.known().cloned();
    let prior_public = prior.public_ipv4.known().cloned();
    plan.update_planned(|planned: &mut VmState| {
        if planned.reserve_public_ip == Some(true) {
            if prior.reserve_public_ip == Some(false) {
                // The address it holds now (if any) may go in the same apply (its
                // assignment removed); then it reserves one.
                planned.public_ipv4 = Field::Unknown;
                planned.reserved_public_ipv4 = Field::Unknown;
            } else if prior_public.is_none() {
                match own {
                    // Unassigned outside Terraform but still reserved: assigned again.
                    Some(own) => planned.public_ipv4 = Field::Known(own),
                    // Released (or never reserved): a new address is reserved.
                    None => {
                        planned.public_ipv4 = Field::Unknown;
                        planned.reserved_public_ipv4 = Field::Unknown;
                    }
                }
            }
        } else if let Some(own) = own {
            // No longer wanted: unassigned, and released unless the user keeps it.
            // Unknown, not null: an assignment in the same apply may give the VM
            // another address before its update reads it back.
            if prior_public.as_deref() == Some(own.as_str()) {
                planned.public_ipv4 = Field::Unknown;
            }
            if planned.release_public_ip_on_destroy != Some(false) {
                planned.reserved_public_ipv4 = Field::Null;
            }
        }
    })
}

/// Gives the VM the public address `reserve_public_ip` asks for, or takes away the
/// one it reserved: in place, through the floating IP and `vm/ip/public` endpoints.
async fn apply_public_address(
    ctx: &ProviderData,
    location: &str,
    uuid: &str,
    plan: &VmState,
    state: &mut VmState,
) -> Result<(), OpError> {
    let client = &ctx.client;
    let own = own_address(ctx, location, uuid, state.reserved_public_ipv4.as_deref()).await?;
    let held = floating_ip::assigned_to(client, location, uuid).await?;
    if plan.reserve_public_ip == Some(true) {
        if held.is_some() {
            return Ok(());
        }
        let address = match own {
            // Still reserved: re-use it rather than leave it billing unassigned.
            Some(own) => {
                floating_ip::assign_to_vm(client, location, &own.address, uuid).await?;
                own.address
            }
            None => {
                api::reserve_public_ip(client, location, uuid).await?;
                // The API does not say which address it reserved.
                floating_ip::assigned_to(client, location, uuid)
                    .await?
                    .map(|ip| ip.address)
                    .ok_or_else(|| {
                        OpError::new("The API reserved a public address but the VM has none")
                    })?
            }
        };
        state.reserved_public_ipv4 = Field::Known(address);
        return Ok(());
    }
    let Some(own) = own else {
        return Ok(());
    };
    if own.is_assigned() {
        floating_ip::unassign(client, location, &own.address).await?;
    }
    if plan.release_public_ip_on_destroy != Some(false) {
        floating_ip::release(client, location, &own.address).await?;
        state.reserved_public_ipv4 = Field::Null;
    }
    Ok(())
}

/// Applies every in-place change, in an order the API accepts, recording what has
/// been done in `state` as it goes.
async fn apply_changes(
    ctx: &ProviderData,
    location: &str,
    uuid: &str,
    prior: &VmState,
    plan: &VmState,
    state: &mut VmState,
) -> Result<(), OpError> {
    let client = &ctx.client;
    vm_day2::reinstall_if_asked(ctx, location, uuid, prior, plan).await?;
    let vm = api::find(client, location, uuid)
        .await?
        .ok_or_else(|| OpError::new("The VM no longer exists"))?;
    let mut running = vm.is_running();
    let force_stop = plan.force_stop == Some(true);

    if let Some(id) = billing_change(prior.billing_account_id, plan.billing_account_id) {
        api::set_billing_account(client, location, uuid, id).await?;
    }

    // Send only what differs from the API's current values.
    let name = plan.name.as_deref().filter(|n| *n != vm.name);
    let vcpu = plan.vcpu.filter(|v| *v != vm.vcpu);
    let ram = plan.ram_mb.filter(|v| *v != vm.memory);
    if vcpu.is_some() || ram.is_some() {
        if running {
            let why = "to change vcpu or ram_mb";
            vm_day2::stop_for_change(ctx, location, uuid, force_stop, why).await?;
            running = false;
        }
        api::modify(client, location, uuid, name, vcpu, ram).await?;
    } else if name.is_some() {
        api::modify(client, location, uuid, name, None, None).await?;
    }

    if let (Some(&want), Some(disk)) = (plan.disk_size_gb.known(), vm.primary_storage()) {
        if want > disk.size {
            crate::api::disk::resize_attached(client, location, uuid, &disk.uuid, want).await?;
        }
    }

    if let Some(&backup) = plan.backup.known() {
        if backup != vm.backup {
            api::toggle_backup(client, location, uuid, backup).await?;
        }
    }

    apply_public_address(ctx, location, uuid, plan, state).await?;

    let want_running = plan.power_state.as_deref() != Some(STOPPED);
    // `password_wo` is given only when its version changed.
    let new_password = plan
        .password
        .as_deref()
        .filter(|_| prior.password != plan.password)
        .or(plan.password_wo.as_deref());
    if new_password.is_some() {
        if let (Some(password), Some(username)) = (
            new_password,
            plan.username
                .as_deref()
                .or(Some(vm.username.as_str()).filter(|u| !u.is_empty())),
        ) {
            // The API changes passwords only on a running VM.
            if !running {
                api::start(client, location, uuid).await?;
                running = true;
            }
            api::set_password(client, location, uuid, username, password).await?;
        }
    }

    if want_running && !running {
        api::start(client, location, uuid).await?;
    } else if !want_running && running {
        vm_day2::stop_for_change(ctx, location, uuid, force_stop, FOR_STOPPED).await?;
    }
    Ok(())
}

/// Puts a VM whose update failed back in the power state it had before
/// (`was_running`), and says what it did: the VM's power state after the failure.
async fn restore_power(
    ctx: &ProviderData,
    location: &str,
    uuid: &str,
    was_running: bool,
) -> String {
    let before = if was_running { RUNNING } else { STOPPED };
    let now = match fresh_lists(api::find(&ctx.client, location, uuid)).await {
        Ok(Some(vm)) => vm,
        Ok(None) => return "The VM no longer exists".to_owned(),
        Err(e) => {
            return format!(
            "Its power state could not be read afterwards ({e}): it was {before} before the update"
        )
        }
    };
    let (running, stopped) = (now.is_running(), now.is_stopped());
    if (was_running && running) || (!was_running && stopped) {
        return format!("The VM is {before}, as it was before the update");
    }
    let restored = if was_running {
        api::start(&ctx.client, location, uuid).await
    } else {
        api::stop(&ctx.client, location, uuid).await
    };
    match restored {
        Ok(()) if was_running => {
            "The VM was started again: it was running before the update".to_owned()
        }
        Ok(()) => "The VM was stopped again: it was stopped before the update".to_owned(),
        Err(e) => format!(
            "The VM was {before} before the update and is now {}: putting it back failed too ({e}); apply again, or set it {before} in the console",
            now.status
        ),
    }
}

/// Creates the VM as a clone of `source_uuid` (`vm/clone`, which takes only a
/// name), then applies what the configuration sets differently from the source
/// (vcpu, RAM, a larger disk, billing account, backup, public address, power
/// state) as an update would.
async fn create_clone(
    ctx: &ProviderData,
    location: &str,
    plan: &VmState,
) -> Result<VmState, OpError> {
    let source = required(&plan.source_uuid, "source_uuid")?;
    let name = required(&plan.name, "name")?;
    let vm = crate::api::vm_ops::clone(&ctx.client, location, source, name).await?;
    let uuid = vm.uuid.clone();
    let mut state = made(plan, &uuid);
    // The clone as it is: the source's billing account, no password set by us.
    let cloned = VmState {
        billing_account_id: Some(vm.billing_account),
        ..VmState::default()
    };
    if let Err(e) = apply_changes(ctx, location, &uuid, &cloned, plan, &mut state).await {
        let e = e.context("The VM was cloned but not fully configured");
        return Err(with_current_state(ctx, e, state).await);
    }
    snapshot(ctx, &state).await
}

/// The state of a VM just made (created or cloned) as `uuid`: the planned values
/// stand in for what the API does not report back, and no address is reserved
/// yet. It exists: whatever fails from here on, Terraform keeps tracking it.
fn made(plan: &VmState, uuid: &str) -> VmState {
    let state = VmState {
        id: Some(uuid.to_owned()),
        reserved_public_ipv4: Field::Null,
        ..plan.clone()
    };
    track_created(&state);
    state
}

/// `e`, a failure after the VM was made or changed, with the VM's current state
/// (else `state`, what is known so far): Terraform records what was applied.
async fn with_current_state(ctx: &ProviderData, e: OpError, state: VmState) -> OpError {
    let current = snapshot(ctx, &state).await.unwrap_or(state);
    e.with_state(&current)
}

/// The current state after a write (which emptied the list cache).
async fn snapshot(ctx: &ProviderData, state: &VmState) -> Result<VmState, OpError> {
    current_state(ctx, state)
        .await?
        .ok_or_else(|| OpError::new("The VM disappeared while it was being changed"))
}

/// Reads the VM, its public address and its network: three list calls per location
/// however many VMs are refreshed.
async fn current_state(ctx: &ProviderData, prior: &VmState) -> Result<Option<VmState>, OpError> {
    let (location, uuid) = location_and_id(&prior.location, &prior.id)?;
    let Some(vm) = api::find(&ctx.client, location, uuid).await? else {
        warn_if_address_orphaned(ctx, location, prior).await?;
        return Ok(None);
    };
    let public = floating_ip::assigned_to(&ctx.client, location, uuid).await?;
    let network_uuid = network::of_vm(&ctx.client, location, uuid).await?;
    let public_ipv4 = public.map(|ip| ip.address);
    let reserved = own_address(ctx, location, uuid, prior.reserved_public_ipv4.as_deref())
        .await?
        .map(|ip| ip.address);
    Ok(Some(vm_state(
        location,
        vm,
        public_ipv4,
        reserved,
        network_uuid,
        prior,
    )))
}

fn vm_state(
    location: &str,
    vm: Vm,
    public_ipv4: Option<String>,
    reserved_public_ipv4: Option<String>,
    network_uuid: Option<String>,
    prior: &VmState,
) -> VmState {
    let boot = vm.primary_storage().cloned();
    let or_prior = |value: &str, prior: &Option<String>| non_empty(value).or(prior.clone());
    let power_state = if vm.is_stopped() { STOPPED } else { RUNNING };
    // The rest (what the API never reports back) the adapter keeps from the prior
    // state.
    VmState {
        id: Some(vm.uuid.clone()),
        location: Some(location.to_owned()),
        os_name: non_empty(&vm.os_name).into(),
        os_version: non_empty(&vm.os_version),
        disk_size_gb: boot.as_ref().map(|d| d.size).into(),
        vcpu: Some(vm.vcpu),
        ram_mb: Some(vm.memory),
        // Not sent when cloud-init declares `users`: the configured one stays.
        username: or_prior(&vm.username, &prior.username),
        network_uuid: network_uuid.or(prior.network_uuid.clone()),
        // Only some payloads carry the pool; it never changes.
        designated_pool_uuid: non_empty(&vm.designated_pool_uuid)
            .or(prior.designated_pool_uuid.clone().into_known())
            .into(),
        designated_pool_name: or_prior(&vm.designated_pool_name, &prior.designated_pool_name),
        billing_account_id: Some(vm.billing_account),
        description: non_empty(&vm.description),
        backup: Field::Known(vm.backup),
        power_state: Some(power_state.to_owned()),
        hostname: non_empty(&vm.hostname),
        mac: non_empty(&vm.mac),
        private_ipv4: vm.private_ipv4().map(str::to_owned),
        public_ipv4: public_ipv4.into(),
        reserved_public_ipv4: reserved_public_ipv4.into(),
        public_ipv6: vm.public_ipv6().map(str::to_owned),
        boot_disk_uuid: boot.map(|d| d.uuid),
        status: Some(vm.status),
        created_at: Some(vm.created_at),
        name: Some(vm.name),
        ..VmState::default()
    }
}

/// Plan-time check of `os_name` / `os_version` against the image catalogue.
async fn check_image(ctx: &ProviderData, config: &VmState) -> Result<(), OpError> {
    let (Some(os_name), version) = (config.os_name.as_deref(), config.os_version.as_deref()) else {
        return Ok(());
    };
    if os_name == EMPTY_DISK_OS {
        return Ok(());
    }
    super::common::check_image(ctx, os_name, version, ("os_name", "os_version"))
        .await
        .map_err(|e| match e.attr.as_str() {
            "os_name" => OpError::invalid(
                "os_name",
                format!("{} Or \"_custom\" for an empty disk.", e.detail),
            ),
            _ => e,
        })
}

/// Plan-time check of vcpu and RAM against the minimums the API sets per operating
/// system (`api/parameters/vm` limits: Windows needs 2 vcpu and 1024 MB).
async fn check_os_minimums(
    ctx: &ProviderData,
    plan: &Plan,
    planned: &VmState,
) -> Result<(), OpError> {
    let Some(os_name) = planned.os_name.as_deref() else {
        return Ok(());
    };
    if !plan.changes("vcpu") && !plan.changes("ram_mb") && !plan.changes("os_name") {
        return Ok(());
    }
    // Checked again by the API at apply; a plan need not fail on this.
    let Some(parameters): Option<Vec<VmParameter>> = ctx
        .client
        .list(Loc::Global, "api/parameters/vm")
        .await
        .found()?
    else {
        return Ok(());
    };
    let checked = [
        ("vcpu", "vcpu", " vcpu", planned.vcpu),
        ("ram_mb", "ram", " MB", planned.ram_mb),
    ];
    for (attr, parameter, unit, value) in checked {
        let minimum = parameters
            .iter()
            .find(|p| p.parameter == parameter)
            .and_then(|p| p.limit_for(os_name))
            .and_then(|limit| limit.min);
        if let (Some(minimum), Some(value)) = (minimum, value) {
            if value < minimum {
                return Err(OpError::invalid(
                    attr,
                    format!("{os_name} needs at least {minimum}{unit}; {value}{unit} is below its minimum."),
                ));
            }
        }
    }
    Ok(())
}

/// Plan-time check of vcpu, RAM and disk against the host pool's `guest_limits`,
/// and the default boot disk size.
async fn check_sizing(
    ctx: &ProviderData,
    plan: &mut Plan,
    views: &Views<VmState>,
) -> Result<(), OpError> {
    let (config, planned) = (&views.config, &views.planned);
    let Some(location) = planned.location.clone() else {
        return Ok(());
    };
    // Checked again by the API at apply; a plan need not fail on this.
    let Some(pools) = api::host_pools(&ctx.client, &location).await.found()? else {
        return Ok(());
    };
    // The configured pool, else the one the VM has, else the location's default.
    // A VM moving to another location gets that location's default pool.
    let kept = if plan.changes("location") {
        &Field::Null
    } else {
        &planned.designated_pool_uuid
    };
    let selected = match (&config.designated_pool_uuid, kept) {
        (Field::Unknown, _) => None,
        (Field::Known(uuid), _) | (_, Field::Known(uuid)) => Some(Some(uuid.clone())),
        _ => Some(None),
    };
    let pool: Option<&HostPool> = match selected {
        Some(Some(uuid)) => Some(pools.iter().find(|p| p.uuid == uuid).ok_or_else(|| {
            let known: Vec<String> = pools
                .iter()
                .map(|p| format!("{} ({})", p.uuid, p.name))
                .collect();
            OpError::invalid(
                "designated_pool_uuid",
                format!(
                    "{uuid:?} is not a host pool of {location}; known: {}.",
                    known.join(", ")
                ),
            )
        })?),
        Some(None) => pools
            .iter()
            .find(|p| p.is_default_designated)
            .or(pools.first()),
        None => None,
    };
    let limits = pool.and_then(|p| p.guest_limits.clone());
    let from_source = !config.disk_uuid.is_null() || !config.source_uuid.is_null();
    let mut disk_size_gb = planned.disk_size_gb.known().copied();
    if plan.is_create() && config.disk_size_gb.is_null() {
        let size = if from_source {
            Field::Unknown
        } else {
            let default = limits
                .as_ref()
                .and_then(|l| l.disk_gb.min)
                .unwrap_or(DEFAULT_DISK_GB)
                .max(DEFAULT_DISK_GB);
            Field::Known(default)
        };
        disk_size_gb = size.known().copied();
        plan.update_planned(|planned: &mut VmState| planned.disk_size_gb = size)?;
    }
    let Some(limits) = limits else {
        return Ok(());
    };
    let pool_name = pool.map(|p| p.name.clone()).unwrap_or_default();
    let check = |attr: &str, value: Option<i64>, range: &MinMax, unit: &str| {
        let Some(value) = value else {
            return Ok(());
        };
        if !plan.changes(attr) || range.contains(value) {
            return Ok(());
        }
        let bound = |b: Option<i64>| b.map(|v| v.to_string()).unwrap_or("-".into());
        Err(OpError::invalid(
            attr,
            format!(
                "{value}{unit} is outside the limits of host pool {pool_name:?} in {location}: {} to {}{unit}.",
                bound(range.min),
                bound(range.max)
            ),
        ))
    };
    check("vcpu", planned.vcpu, &limits.cpu, "")?;
    check("ram_mb", planned.ram_mb, &limits.ram_mb, " MB")?;
    if !from_source {
        check("disk_size_gb", disk_size_gb, &limits.disk_gb, " GB")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::typed::{config_view_matches, state_matches_schema};
    use crate::framework::Obj;
    use crate::obj;
    use crate::resources::ssh_key::PUBLIC_KEY_PATTERN;

    #[test]
    fn cloud_init_must_be_an_object() {
        let ok = [
            "#cloud-config\npackages:\n  - nginx\n",
            "{\"runcmd\": [\"/firstboot\"]}",
            "---\nusers:\n  - name: a\n",
            "#cloud-config\n",
            "\"quoted key\": 1\n",
            "write_files: []",
        ];
        for doc in ok {
            assert!(cloud_init_shape(&Dyn::str(doc)).is_ok(), "{doc:?}");
        }
        let bad = [
            ("[1,2,3]", "a JSON array"),
            ("42", "a single JSON value"),
            ("#cloud-config\n- a\n- b\n", "a YAML list"),
            ("#!/bin/sh\necho hi\n", "plain text"),
            ("{\"a\": ", "not a JSON object"),
            ("  ", "must not be empty"),
            (
                "#cloud-config\npackages: [nginx\nruncmd: {",
                "not valid YAML",
            ),
            ("#cloud-config\npackages:\n\t- nginx\n", "not valid YAML"),
            ("a: 1\n---\nb: 2\n", "one YAML document"),
        ];
        for (doc, expected) in bad {
            let message = cloud_init_shape(&Dyn::str(doc)).unwrap_err();
            assert!(message.contains(expected), "{doc:?}: {message}");
        }
    }

    #[test]
    fn cloud_init_errors_name_the_line_and_never_quote_the_document() {
        let secret = "hunter2-s3cret";
        let docs = [
            format!("#cloud-config\npassword: {secret}\npackages: [nginx\nruncmd: {{"),
            format!("#cloud-config\nchpasswd:\n\tlist: {secret}\n"),
            format!("{{\"password\": \"{secret}\", "),
            format!("#cloud-config\nusers: `{secret}\n"),
        ];
        for doc in docs {
            let message = cloud_init_shape(&Dyn::str(&doc)).unwrap_err();
            assert!(message.contains("line "), "{message}");
            assert!(!message.contains("hunter2"), "{message}");
            assert!(!message.contains('`'), "{message}");
        }
    }

    #[test]
    fn cloud_init_users_detection() {
        assert!(cloud_init_declares_users(
            "#cloud-config\nusers:\n  - name: a\n"
        ));
        assert!(cloud_init_declares_users(r#"{"users": [{"name": "a"}]}"#));
        assert!(!cloud_init_declares_users(
            "#cloud-config\nruncmd:\n  - echo users: x\n"
        ));
        assert!(!cloud_init_declares_users(r#"{"runcmd": ["users"]}"#));
    }

    #[test]
    fn password_rules() {
        assert!(password_strength(&Dyn::str("Passw0rdX")).is_ok());
        assert!(password_strength(&Dyn::str("password1")).is_err());
        assert!(password_strength(&Dyn::str("PASSWORD1")).is_err());
        assert!(password_strength(&Dyn::str("Pass1")).is_err());
        assert!(password_strength(&Dyn::Unknown).is_ok());
    }

    #[test]
    fn public_keys_from_files_keep_their_newline() {
        assert!(public_key_line(&Dyn::str(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGr9 me@host\n"
        ))
        .is_ok());
        assert!(public_key_line(&Dyn::str("not a key\n")).is_err());
    }

    #[test]
    fn public_key_pattern() {
        let re = regex::Regex::new(PUBLIC_KEY_PATTERN).unwrap();
        assert!(re.is_match("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGr9 me@host"));
        assert!(re.is_match("ecdsa-sha2-nistp256 AAAAE2VjZHNh=="));
        assert!(!re.is_match("ssh-foo AAAA"));
        assert!(!re.is_match("AAAAC3NzaC1lZDI1NTE5"));
    }

    fn update_plan(prior: Obj, planned: Obj) -> Plan {
        Plan {
            prior: Some(prior),
            config: Obj::new(),
            planned,
            replace: Default::default(),
        }
    }

    /// The planned values of a plan, typed.
    fn planned(plan: &Plan) -> VmState {
        plan.typed::<VmState>().unwrap().planned
    }

    #[test]
    fn public_address_plans() {
        // Own address unassigned outside Terraform: the same one comes back.
        let mut plan = update_plan(
            obj! { "reserve_public_ip" => true, "reserved_public_ipv4" => "1.1.1.1", "public_ipv4" => Dyn::Null },
            obj! { "reserve_public_ip" => true, "reserved_public_ipv4" => "1.1.1.1", "public_ipv4" => Dyn::Null },
        );
        plan_public_address(&mut plan).unwrap();
        assert_eq!(planned(&plan).public_ipv4, Field::Known("1.1.1.1".into()));
        assert!(plan.replace.is_empty());

        // Released: a new one, unknown until apply.
        let mut plan = update_plan(
            obj! { "reserve_public_ip" => true, "public_ipv4" => Dyn::Null },
            obj! { "reserve_public_ip" => true, "public_ipv4" => Dyn::Null },
        );
        plan_public_address(&mut plan).unwrap();
        assert!(planned(&plan).public_ipv4.is_unknown());
        assert!(planned(&plan).reserved_public_ipv4.is_unknown());

        // An address it did not reserve (imported, managed) is left alone.
        let managed = obj! { "reserve_public_ip" => true, "public_ipv4" => "2.2.2.2" };
        let mut plan = update_plan(managed.clone(), managed.clone());
        plan_public_address(&mut plan).unwrap();
        assert_eq!(plan.planned, managed);

        // Given up: unassigned and released, or kept when the user says so.
        // The address is unknown, not null: a floating IP assigned in the same
        // apply may give the VM another one before its update reads back.
        let own = obj! { "reserve_public_ip" => true, "reserved_public_ipv4" => "1.1.1.1", "public_ipv4" => "1.1.1.1" };
        let mut off = own.clone();
        off.insert("reserve_public_ip".into(), false.into());
        let mut plan = update_plan(own.clone(), off.clone());
        plan_public_address(&mut plan).unwrap();
        assert!(planned(&plan).public_ipv4.is_unknown());
        assert!(planned(&plan).reserved_public_ipv4.is_null());
        off.insert("release_public_ip_on_destroy".into(), false.into());
        let mut plan = update_plan(own, off);
        plan_public_address(&mut plan).unwrap();
        assert!(planned(&plan).public_ipv4.is_unknown());
        assert_eq!(
            planned(&plan).reserved_public_ipv4,
            Field::Known("1.1.1.1".into())
        );
    }

    /// `validate` on a configuration as Terraform sends it.
    fn checked(config: Obj) -> Vec<OpError> {
        VmResource.validate(&crate::framework::from_config(&config).unwrap())
    }

    #[test]
    fn cross_field_validation() {
        let errors = checked(obj! {
            "disk_uuid" => "d",
            "os_name" => "ubuntu",
            "source_uuid" => "s",
        });
        let attrs: Vec<&str> = errors.iter().map(|e| e.attr.as_str()).collect();
        assert!(attrs.contains(&"os_name"));
        assert!(attrs.contains(&"source_uuid"));
        // A snapshot needs its VM; a VM alone is a clone, which keeps the
        // source's disk: no OS, login or cloud-init of its own.
        let errors = checked(obj! { "source_replica" => "r" });
        assert_eq!(errors[0].attr, "source_uuid");
        assert!(checked(obj! { "source_uuid" => "s" }).is_empty());
        let errors = checked(obj! {
            "source_uuid" => "s",
            "os_name" => "ubuntu",
            "os_version" => "22.04-lts",
            "cloud_init" => "{}",
            "description" => "d",
        });
        let mut attrs: Vec<&str> = errors.iter().map(|e| e.attr.as_str()).collect();
        attrs.sort();
        assert_eq!(
            attrs,
            ["cloud_init", "description", "os_name", "os_version"]
        );
        assert!(checked(
            obj! { "source_uuid" => "s", "source_replica" => "r", "description" => "d" }
        )
        .is_empty());
        let errors = checked(obj! { "os_name" => "ubuntu" });
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].attr, "os_version");
        assert!(checked(obj! {}).iter().any(|e| e.attr == "os_name"));
        assert!(checked(obj! {"os_name" => "_custom"}).is_empty());
    }

    #[test]
    fn unknown_values_are_set_at_validate_time() {
        // Known at apply: the VM boots from a disk, no OS needed.
        assert!(checked(obj! { "disk_uuid" => Dyn::Unknown }).is_empty());
        let errors = checked(obj! {
            "source_uuid" => Dyn::Unknown,
            "public_keys" => vec![Dyn::Unknown, Dyn::str("ssh-ed25519 AAAA")],
            "password" => Dyn::Unknown,
            "username" => Dyn::Unknown,
        });
        let attrs: Vec<&str> = errors.iter().map(|e| e.attr.as_str()).collect();
        assert_eq!(attrs, ["username", "password", "public_keys"]);
        // An unknown OS name is set, but not known to be another than "_custom".
        assert!(checked(obj! { "os_name" => Dyn::Unknown }).is_empty());
        assert_eq!(config_view_matches(&VmResource), Ok(()));
    }

    #[test]
    fn state_struct_matches_the_schema() {
        assert_eq!(state_matches_schema(&VmResource), Ok(()));
    }
}
