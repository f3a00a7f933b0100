//! Taking over objects that a community provider for this cloud manages, without
//! re-creating them. Two ways in:
//!
//! - a `moved` block across providers (Terraform 1.8+): Terraform calls
//!   `MoveResourceState` with the source provider's address, the source type,
//!   its schema version and its state as JSON ([`moved`]);
//! - `terraform state replace-provider` where the type names are the same
//!   (`idcloudhost_vm`, `idcloudhost_floating_ip`, `idcloudhost_network`,
//!   `idcloudhost_firewall`): the next plan calls `UpgradeResourceState` with the
//!   stored version 0. Those resources declare schema version 1 so that Terraform
//!   hands over the whole foreign state instead of stripping what our schema
//!   lacks; [`upgrade`] recognises a community shape by its keys and converts it.
//!
//! Each converter is a pure function from the source state to our typed state
//! (`ResourceType::State`), one file per community provider. What their state
//! gets wrong is dropped, not carried (see the files). Values a source never
//! stored (the location, for some) stay null: the first read finds the object.
//! The attributes a source stores under our names are read once, in
//! [`same_names`]; a converter writes what its provider names or treats
//! otherwise.

mod bapung;
mod cloudaxion;
mod rizalmf;
mod same_names;
mod warren;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::framework::{to_state, Dyn, Obj, OpError, Timeouts};
use crate::resources::storage::BucketState;

/// Our provider's registry address, without the host.
const OURS: &str = "idcloudhost/idcloudhost";

/// What `MoveResourceState` says about where a state comes from.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    /// `registry.terraform.io/bapung/idcloudhost` (any host).
    pub provider: &'a str,
    /// `idcloudhost_vm_disks`, `cloudaxion_vm`...
    pub type_name: &'a str,
    pub version: i64,
}

/// A converter: the source state, keyed attributes, to our state.
type Convert = fn(&Foreign) -> Result<Obj, OpError>;

/// One source a converter takes: provider types (the address's last segment:
/// forks and mirrors keep it), source type, schema version, our target type.
struct Route {
    provider_types: &'static [&'static str],
    source: &'static str,
    version: i64,
    target: &'static str,
    convert: Convert,
}

const IDCLOUDHOST: &[&str] = &["idcloudhost"];
const WARREN: &[&str] = &["warren"];
const CLOUDAXION: &[&str] = &["cloudaxion"];

/// Every supported source. The community providers are all at schema version 0.
const ROUTES: &[Route] = &[
    // bapung/idcloudhost and its fork teliti-dev/idcloudhost; rizalmf/idcloudhost
    // shares the VM type name (told apart by its keys).
    route(IDCLOUDHOST, "idcloudhost_vm", "idcloudhost_vm", vm_by_shape),
    route(
        IDCLOUDHOST,
        "idcloudhost_floating_ip",
        "idcloudhost_floating_ip",
        bapung::floating_ip,
    ),
    route(
        IDCLOUDHOST,
        "idcloudhost_vm_disks",
        "idcloudhost_disk",
        bapung::disk,
    ),
    route(
        IDCLOUDHOST,
        "idcloudhost_network",
        "idcloudhost_network",
        bapung::network,
    ),
    route(
        IDCLOUDHOST,
        "idcloudhost_firewall",
        "idcloudhost_firewall",
        bapung::firewall,
    ),
    route(
        IDCLOUDHOST,
        "idcloudhost_loadbalancer",
        "idcloudhost_load_balancer",
        bapung::load_balancer,
    ),
    route(
        IDCLOUDHOST,
        "idcloudhost_objectstorage",
        "idcloudhost_bucket",
        bapung::bucket,
    ),
    route(
        IDCLOUDHOST,
        "idcloudhost_float_ip",
        "idcloudhost_floating_ip",
        rizalmf::floating_ip,
    ),
    route(
        IDCLOUDHOST,
        "idcloudhost_private_network",
        "idcloudhost_network",
        rizalmf::network,
    ),
    route(
        IDCLOUDHOST,
        "idcloudhost_s3",
        "idcloudhost_bucket",
        rizalmf::bucket,
    ),
    route(
        WARREN,
        "warren_virtual_machine",
        "idcloudhost_vm",
        warren::vm,
    ),
    route(WARREN, "warren_disk", "idcloudhost_disk", warren::disk),
    route(
        WARREN,
        "warren_floating_ip",
        "idcloudhost_floating_ip",
        warren::floating_ip,
    ),
    route(
        WARREN,
        "warren_network",
        "idcloudhost_network",
        warren::network,
    ),
    route(
        CLOUDAXION,
        "cloudaxion_vm",
        "idcloudhost_vm",
        cloudaxion::vm,
    ),
    route(
        CLOUDAXION,
        "cloudaxion_block_volume",
        "idcloudhost_disk",
        cloudaxion::disk,
    ),
    route(
        CLOUDAXION,
        "cloudaxion_volume_attachment",
        "idcloudhost_disk_attachment",
        cloudaxion::disk_attachment,
    ),
    route(
        CLOUDAXION,
        "cloudaxion_private_network",
        "idcloudhost_network",
        cloudaxion::network,
    ),
    route(
        CLOUDAXION,
        "cloudaxion_floating_ip",
        "idcloudhost_floating_ip",
        cloudaxion::floating_ip,
    ),
    route(
        CLOUDAXION,
        "cloudaxion_floating_ip_assignment",
        "idcloudhost_floating_ip_assignment",
        cloudaxion::floating_ip_assignment,
    ),
    route(
        CLOUDAXION,
        "cloudaxion_firewall",
        "idcloudhost_firewall",
        cloudaxion::firewall,
    ),
    route(
        CLOUDAXION,
        "cloudaxion_firewall_attachment",
        "idcloudhost_firewall_attachment",
        cloudaxion::firewall_attachment,
    ),
    route(
        CLOUDAXION,
        "cloudaxion_load_balancer",
        "idcloudhost_load_balancer",
        cloudaxion::load_balancer,
    ),
    route(
        CLOUDAXION,
        "cloudaxion_ssh_key",
        "idcloudhost_ssh_key",
        cloudaxion::ssh_key,
    ),
    route(
        CLOUDAXION,
        "cloudaxion_bucket",
        "idcloudhost_bucket",
        cloudaxion::bucket,
    ),
    route(
        CLOUDAXION,
        "cloudaxion_s3_credentials",
        "idcloudhost_s3_credential",
        cloudaxion::s3_credential,
    ),
];

const fn route(
    provider_types: &'static [&'static str],
    source: &'static str,
    target: &'static str,
    convert: Convert,
) -> Route {
    Route {
        provider_types,
        source,
        version: 0,
        target,
        convert,
    }
}

/// The VM type name three providers share: bapung's and teliti's store
/// `memory` and `initial_password`, rizalmf's `ram` and `private_network_uuid`.
fn vm_by_shape(state: &Foreign) -> Result<Obj, OpError> {
    if state.has("ram") || state.has("private_network_uuid") || state.has("disks_uuid") {
        rizalmf::vm(state)
    } else {
        bapung::vm(state)
    }
}

/// `registry.terraform.io/bapung/idcloudhost` → (`bapung/idcloudhost`, `idcloudhost`).
fn provider_parts(address: &str) -> (String, String) {
    let segments: Vec<&str> = address.split('/').collect();
    let tail = segments[segments.len().saturating_sub(2)..].join("/");
    let provider_type = segments.last().copied().unwrap_or_default();
    (
        tail.to_ascii_lowercase(),
        provider_type.to_ascii_lowercase(),
    )
}

/// Our state for a `moved` block from `source` to `target_type`, converted from
/// the source's JSON state. Moves between two of our own types are not ours to
/// convert: `None` (the caller keeps its same-type rule).
pub fn moved(source: &Source, target_type: &str, json: &[u8]) -> Option<Result<Obj, OpError>> {
    let (address, provider_type) = provider_parts(source.provider);
    let ours = address == OURS;
    if ours && source.type_name == target_type {
        return None;
    }
    let route = ROUTES.iter().find(|r| {
        r.source == source.type_name && (r.provider_types.contains(&provider_type.as_str()) || ours)
    });
    // Our own types, or a source we do not know, under our own address.
    if ours && route.is_none() {
        return None;
    }
    let state = match Foreign::parse(json) {
        Ok(state) => state,
        Err(e) => return Some(Err(e)),
    };
    // Our own type under another address (a mirror, a renamed source).
    if source.type_name == target_type && !has_foreign_shape(source.type_name, &state) {
        return None;
    }
    let Some(route) = route else {
        let import = (target_type.to_owned(), state.import_id());
        let refuse = |why: String| Some(Err(refusal(source, import, why)));
        return refuse(format!(
            "This provider does not know how to take over {} of {}.",
            source.type_name, source.provider
        ));
    };
    // The import that adopts it instead: into the type it would become, with
    // the ID its conversion gives (composite ids differ between providers).
    let import = (route.target.to_owned(), converted_import_id(route, &state));
    let refuse = |why: String| Some(Err(refusal(source, import, why)));
    if route.version != source.version {
        return refuse(format!(
            "{} of {} at schema version {} is not supported (known: version {}).",
            source.type_name, source.provider, source.version, route.version
        ));
    }
    if route.target != target_type {
        return refuse(format!(
            "{} becomes {}, not {target_type}: change the moved block's `to`.",
            source.type_name, route.target
        ));
    }
    Some((route.convert)(&state))
}

/// A stored state of one of our type names at `version` that has the shape of a
/// community provider's (after `terraform state replace-provider`), converted;
/// `None` for our own states.
pub fn upgrade(type_name: &str, version: i64, json: &[u8]) -> Option<Result<Obj, OpError>> {
    if version != 0 {
        return None;
    }
    let state = Foreign::parse(json).ok()?;
    if !has_foreign_shape(type_name, &state) {
        return None;
    }
    let route = ROUTES
        .iter()
        .find(|r| r.source == type_name && r.provider_types == IDCLOUDHOST)?;
    Some((route.convert)(&state))
}

/// Whether a state of one of the type names we share with bapung's, teliti's and
/// rizalmf's providers has their shape, not ours (told apart by keys only one
/// of them stores). Other types are never ours.
fn has_foreign_shape(type_name: &str, state: &Foreign) -> bool {
    match type_name {
        "idcloudhost_vm" => !state.has("ram_mb") && (state.has("memory") || state.has("ram")),
        // Ours stores none of these.
        "idcloudhost_floating_ip" => {
            state.has("user_id") || state.has("network_id") || state.has("type")
        }
        "idcloudhost_network" => {
            !state.has("is_default") && (state.has("default") || state.has("uuid"))
        }
        "idcloudhost_firewall" => state.has("display_name") || state.has("rules"),
        _ => false,
    }
}

/// The error for a source that cannot be converted, naming the import to use.
fn refusal(source: &Source, (target_type, id): (String, Option<String>), why: String) -> OpError {
    let import = match &id {
        Some(id) => format!(
            "remove the moved block and import the object instead:\n\n  import {{\n    to = {target_type}.<name>\n    id = {id:?}\n  }}"
        ),
        None => format!(
            "remove the moved block and import the object instead (see the import ID on the {target_type} page)."
        ),
    };
    OpError::new(format!(
        "Unsupported move source: {} ({})",
        source.type_name, source.provider
    ))
    .detail(format!("{why} To adopt it as {target_type}, {import}"))
}

/// The import ID of what `route` makes of `state`: `[location/]id`.
fn converted_import_id(route: &Route, state: &Foreign) -> Option<String> {
    let converted = (route.convert)(state).ok()?;
    let id = converted.get("id")?.as_str()?.to_owned();
    Some(match converted.get("location").and_then(Dyn::as_str) {
        Some(location) if !id.starts_with(&format!("{location}/")) => format!("{location}/{id}"),
        _ => id,
    })
}

/// A source state: a JSON object, read leniently (SDKv2 writes "" and 0 for
/// unset values).
pub(crate) struct Foreign(Map<String, Value>);

impl Foreign {
    fn parse(json: &[u8]) -> Result<Foreign, OpError> {
        match serde_json::from_slice::<Value>(json) {
            Ok(Value::Object(map)) => Ok(Foreign(map)),
            Ok(_) => Err(OpError::new("The source state is not an object")),
            Err(e) => Err(OpError::new("The source state cannot be read").detail(e.to_string())),
        }
    }

    /// Whether the state has the key at all (a shape test).
    fn has(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    /// A non-empty string.
    pub(crate) fn str(&self, key: &str) -> Option<String> {
        match self.0.get(key) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        }
    }

    /// A number, also from a numeric string.
    pub(crate) fn int(&self, key: &str) -> Option<i64> {
        match self.0.get(key) {
            Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
            Some(Value::String(s)) => s.parse().ok(),
            _ => None,
        }
    }

    pub(crate) fn bool(&self, key: &str) -> Option<bool> {
        match self.0.get(key) {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// A required string value.
    pub(crate) fn needed(&self, key: &str) -> Result<String, OpError> {
        needed(self.str(key), key)
    }

    /// A required string value, else the state's `id` (which SDKv2 sets to it).
    pub(crate) fn needed_or_id(&self, key: &str) -> Result<String, OpError> {
        needed(self.str(key).or_else(|| self.str("id")), key)
    }

    /// A positive number (an id: SDKv2 stores `0` for one never set).
    pub(crate) fn positive(&self, key: &str) -> Option<i64> {
        self.int(key).filter(|n| *n > 0)
    }

    /// A list of non-empty strings (null when absent).
    pub(crate) fn strings(&self, key: &str) -> Option<Vec<String>> {
        match self.0.get(key) {
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .filter_map(|v| v.as_str().filter(|s| !s.is_empty()).map(str::to_owned))
                    .collect(),
            ),
            _ => None,
        }
    }

    /// The objects of a list (or of a single object) attribute.
    pub(crate) fn objects(&self, key: &str) -> Vec<Foreign> {
        let items = match self.0.get(key) {
            Some(Value::Array(items)) => items.clone(),
            Some(Value::Object(one)) => vec![Value::Object(one.clone())],
            _ => Vec::new(),
        };
        items
            .into_iter()
            .filter_map(|v| match v {
                Value::Object(map) => Some(Foreign(map)),
                _ => None,
            })
            .collect()
    }

    /// Their `timeouts` (SDKv2: an object or a list of one; the framework: an
    /// object), as our block.
    pub(crate) fn timeouts(&self) -> Vec<Timeouts> {
        self.objects("timeouts")
            .into_iter()
            .map(|t| Timeouts {
                create: t.str("create"),
                update: t.str("update"),
                delete: t.str("delete"),
            })
            .filter(|t| t != &Timeouts::default())
            .collect()
    }

    /// The import ID that adopts the object, when the state says enough:
    /// `[location/]id`.
    fn import_id(&self) -> Option<String> {
        let id = self.str("id").or_else(|| self.str("uuid"))?;
        Some(match self.str("location") {
            Some(location) => format!("{location}/{id}"),
            None => id,
        })
    }
}

/// A moved state's identity, unless a part of it is still unknown to the state
/// (a source that stored no location): then none, and the first read sets it
/// (Terraform refuses a read that changes an identity it was given).
pub fn identity_if_known(identity: Dyn) -> Dyn {
    let complete = identity
        .as_obj()
        .is_some_and(|parts| parts.values().all(|v| !v.is_null()));
    if complete {
        identity
    } else {
        Dyn::Null
    }
}

/// A typed state as the dynamic object the framework shapes to the schema.
pub(crate) fn state<T: Serialize>(state: T) -> Result<Obj, OpError> {
    Ok(to_state(&state))
}

/// A required value of the source state.
pub(crate) fn needed<T>(value: Option<T>, what: &str) -> Result<T, OpError> {
    value.ok_or_else(|| {
        OpError::new(format!("The source state has no {what}"))
            .detail("It cannot be taken over: import the object instead.")
    })
}

/// The uuid of the boot disk: the primary entry of a computed `storage` list.
pub(crate) fn primary_disk_uuid(s: &Foreign) -> Option<String> {
    s.objects("storage")
        .into_iter()
        .find(|d| d.bool("primary") == Some(true))
        .and_then(|d| d.str("uuid"))
}

/// A bucket, whose id is its name, with its billing account.
pub(crate) fn bucket(s: &Foreign) -> Result<BucketState, OpError> {
    let name = s.needed_or_id("name")?;
    Ok(BucketState {
        id: Some(name.clone()),
        name: Some(name),
        billing_account_id: s.positive("billing_account_id"),
        ..BucketState::default()
    })
}

/// `running` or `stopped` from a status the source stored; anything else
/// (`starting`, a transient state) as the default, `running`.
pub(crate) fn power_state(status: Option<String>) -> Option<String> {
    match status.as_deref() {
        Some("stopped") => Some("stopped".to_owned()),
        _ => Some("running".to_owned()),
    }
}

#[cfg(test)]
mod tests;
