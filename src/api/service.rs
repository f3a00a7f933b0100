//! Managed service packages (databases): `/v1/user-resource/service/package*`
//! (global, JSON bodies; documents 000 and 002), and their whitelist
//! (`.../whitelist_addresses`, location-scoped, form field `ip_address`).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::models::service::{ServicePackage, ServiceSecrets, WhitelistAddresses};
use super::{
    create_listed, given_fields, listed_or, ApiClient, ApiError, ErrorKind, Loc, NotFoundExt,
    Repeat,
};

const PACKAGES: &str = "user-resource/service/packages";
const PACKAGE: &str = "user-resource/service/package";

/// What a create sends.
#[derive(Clone, Debug)]
pub struct NewPackage<'a> {
    pub name: &'a str,
    pub billing_account_id: i64,
    pub service: &'a str,
    pub version: &'a str,
    pub vcpu: i64,
    pub ram_mb: i64,
    pub disk_size_gb: i64,
    pub multi_node: bool,
    /// Sent as the JSON string `package_parameters`; `location` is one of them.
    pub parameters: BTreeMap<String, String>,
}

/// Every live package of the user (shared per process until the next write).
pub async fn list(client: &ApiClient) -> Result<Vec<ServicePackage>, ApiError> {
    client.list(Loc::Global, PACKAGES).await
}

fn gone(p: &ServicePackage) -> bool {
    p.is_deleted || p.status.eq_ignore_ascii_case("deleted")
}

/// One package, or `None` when it does not exist or has been deleted (`status:
/// deleted`). Served from the list when it is there; a package missing from it is
/// confirmed with one GET.
pub async fn find(client: &ApiClient, uuid: &str) -> Result<Option<ServicePackage>, ApiError> {
    let same = |p: &ServicePackage| p.uuid.eq_ignore_ascii_case(uuid);
    let get = client.get(Loc::Global, &format!("{PACKAGE}/{uuid}"));
    let found = listed_or(list(client), same, async { get.send().await.found() }).await?;
    Ok(found.filter(|p| !gone(p)))
}

pub async fn create(client: &ApiClient, new: &NewPackage<'_>) -> Result<ServicePackage, ApiError> {
    let mut body = json!({
        "billing_account_id": new.billing_account_id,
        "service": new.service,
        "version": new.version,
        "display_name": new.name,
        "vm_cpu": new.vcpu,
        "vm_ram": new.ram_mb,
        "vm_disk_gb": new.disk_size_gb,
        "is_multi_node": new.multi_node,
    });
    if !new.parameters.is_empty() {
        let text = serde_json::to_string(&new.parameters).unwrap_or_default();
        body["package_parameters"] = Value::String(text);
    }
    let request = client.post(Loc::Global, PACKAGE).json(body);
    create_listed(
        client,
        request,
        || list(client),
        |p| p.display_name == new.name && !gone(p),
    )
    .await
}

/// Changes the display name and/or billing account (only what is given).
pub async fn update(
    client: &ApiClient,
    uuid: &str,
    name: Option<&str>,
    billing_account_id: Option<i64>,
) -> Result<(), ApiError> {
    let body = given_fields([
        ("display_name", name.map(Value::from)),
        ("billing_account_id", billing_account_id.map(Value::from)),
    ]);
    client
        .patch(Loc::Global, &format!("{PACKAGE}/{uuid}"))
        .json(body)
        .send_empty()
        .await
}

/// Deletes the package and its resources (the API answers it with `status: deleted`).
pub async fn delete(client: &ApiClient, uuid: &str) -> Result<(), ApiError> {
    client
        .delete_object(Loc::Global, &format!("{PACKAGE}/{uuid}"))
        .await
}

/// `{"sql_pass": ...}`.
pub async fn secrets(client: &ApiClient, uuid: &str) -> Result<ServiceSecrets, ApiError> {
    client
        .get(Loc::Global, &format!("{PACKAGE}/{uuid}/secrets"))
        .send()
        .await
}

fn whitelist_path(uuid: &str) -> String {
    format!("{PACKAGE}/{uuid}/whitelist_addresses")
}

/// The package's whitelist (empty = every source address allowed), in the
/// package's location.
pub async fn whitelist(
    client: &ApiClient,
    location: &str,
    uuid: &str,
) -> Result<WhitelistAddresses, ApiError> {
    client
        .list::<Option<WhitelistAddresses>>(Loc::At(location), &whitelist_path(uuid))
        .await
        .map(Option::unwrap_or_default)
}

/// Adds an address or CIDR prefix; one already present counts as added.
pub async fn whitelist_add(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    entry: &str,
) -> Result<(), ApiError> {
    match client
        .post(Loc::At(location), &whitelist_path(uuid))
        .form("ip_address", entry)
        // Adding an entry twice is harmless (409, treated as done).
        .repeat(Repeat::Idempotent)
        .send_empty()
        .await
    {
        Err(e) if e.kind == ErrorKind::Conflict => Ok(()),
        other => other,
    }
}

/// Removes an entry; one already absent counts as removed.
pub async fn whitelist_remove(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    entry: &str,
) -> Result<(), ApiError> {
    client
        .delete(Loc::At(location), &whitelist_path(uuid))
        .form("ip_address", entry)
        .send_empty()
        .await
        .ok_if_not_found()
}
