//! Floating (public) IPv4 addresses: `/v1/{slug}/network/ip_addresses*`, JSON bodies.
//! A floating IP is addressed by its IPv4 address, not by a uuid.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::{json, Value};

use super::models::floating_ip::FloatingIp;
use super::{
    given_fields, recover_create, ApiClient, ApiError, Baseline, Exclusive, Loc, NotFoundExt,
    Repeat,
};
use crate::cancel::fresh_lists;

fn path_of(address: &str) -> String {
    format!("network/ip_addresses/{address}")
}

/// Every floating IP of the location, unfiltered (shared per process until the next
/// write, so a refresh of N addresses costs one call).
pub async fn list(client: &ApiClient, location: &str) -> Result<Vec<FloatingIp>, ApiError> {
    client.list(Loc::At(location), LIST).await
}

const LIST: &str = "network/ip_addresses";

/// The address assigned to `resource_uuid` (a VM, load balancer or service), if any.
pub async fn assigned_to(
    client: &ApiClient,
    location: &str,
    resource_uuid: &str,
) -> Result<Option<FloatingIp>, ApiError> {
    let by_target = client
        .list_index(Loc::At(location), LIST, "assigned_to", |ip: &FloatingIp| {
            ip.assigned_to()
                .map(|to| to.to_ascii_lowercase())
                .into_iter()
                .collect()
        })
        .await?;
    Ok(by_target.get(&resource_uuid.to_ascii_lowercase()).cloned())
}

/// One floating IP, or `None` when it does not exist (404). Served from the list
/// when it is there; confirmed with one GET otherwise.
/// The address held for this task's writes (`ApiClient::exclusive`), and the
/// floating IP as it is then: read afresh when another write to it ran while
/// this one waited. A floating IP and its assignment destroyed in parallel both
/// look at the address; held this way, the second sees it already unassigned.
pub async fn find_held(
    client: &ApiClient,
    location: &str,
    address: &str,
) -> Result<(Exclusive, Option<FloatingIp>), ApiError> {
    let held = client
        .exclusive(&format!("{location}/{}", path_of(address)))
        .await?;
    let ip = if held.waited {
        fresh_lists(find(client, location, address)).await?
    } else {
        find(client, location, address).await?
    };
    Ok((held, ip))
}

pub async fn find(
    client: &ApiClient,
    location: &str,
    address: &str,
) -> Result<Option<FloatingIp>, ApiError> {
    let by_address = client
        .list_index(Loc::At(location), LIST, "address", |ip: &FloatingIp| {
            (!ip.is_deleted)
                .then(|| ip.address.clone())
                .into_iter()
                .collect()
        })
        .await?;
    if let Some(ip) = by_address.get(address) {
        return Ok(Some(ip.clone()));
    }
    Ok(client
        .get(Loc::At(location), &path_of(address))
        .send::<FloatingIp>()
        .await
        .found()?
        .filter(|ip| ip.address == address && !ip.is_deleted))
}

/// What the location's floating IPs were before this process's reservations there,
/// with the addresses they reserved since (`ApiClient::create_baseline`): one list
/// call for a whole wave of creates.
pub async fn baseline(
    client: &ApiClient,
    location: &str,
) -> Result<Arc<Baseline<FloatingIp>>, ApiError> {
    client.create_baseline(Loc::At(location), LIST).await
}

/// Reserves a new address. A POST that may have taken effect is not repeated: the
/// address it would have reserved (same name and billing account, in a fresh list,
/// neither in the baseline nor reserved by another create of this process) is
/// adopted instead.
pub async fn create(
    client: &ApiClient,
    location: &str,
    name: &str,
    billing_account_id: i64,
) -> Result<FloatingIp, ApiError> {
    let before = baseline(client, location).await?;
    let request = client
        .post(Loc::At(location), LIST)
        .json(json!({ "name": name, "billing_account_id": billing_account_id }))
        .keeps_baseline(Loc::At(location), LIST);
    let made = recover_create(
        client,
        || request.clone().send::<FloatingIp>(),
        || async {
            let known: HashSet<String> = before
                .matching(|_| true)
                .into_iter()
                .map(|ip| ip.address)
                .collect();
            Ok(list(client, location)
                .await?
                .into_iter()
                .filter(|ip| {
                    ip.name == name
                        && ip.billing_account_id == billing_account_id
                        && !known.contains(&ip.address)
                })
                .collect::<Vec<_>>())
        },
    )
    .await;
    match &made {
        Ok(ip) if !ip.address.is_empty() => before.record(ip.clone()),
        // Whatever it did is not known: the next create lists anew.
        _ => client.drop_baseline(Loc::At(location), LIST),
    }
    made
}

/// Changes the name and/or the billing account (only the fields given are sent).
pub async fn update(
    client: &ApiClient,
    location: &str,
    address: &str,
    name: Option<&str>,
    billing_account_id: Option<i64>,
) -> Result<(), ApiError> {
    let body = given_fields([
        ("name", name.map(Value::from)),
        ("billing_account_id", billing_account_id.map(Value::from)),
    ]);
    client
        .patch(Loc::At(location), &path_of(address))
        .json(body)
        .send_empty()
        .await
}

/// Releases the address (`DELETE /v1/{slug}/network/ip_addresses/{address}`; the
/// documents' `/v1/ip_addresses/...` example is a typo).
pub async fn delete(client: &ApiClient, location: &str, address: &str) -> Result<(), ApiError> {
    client
        .delete_object(Loc::At(location), &path_of(address))
        .await
}

/// Releases the address; already released counts as released.
pub async fn release(client: &ApiClient, location: &str, address: &str) -> Result<(), ApiError> {
    delete(client, location, address).await.ok_if_not_found()
}

/// What a floating IP can be assigned to, with the API's `assigned_to_resource_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Vm,
    LoadBalancer,
    Service,
}

impl Target {
    pub const ALL: [Target; 3] = [Target::Vm, Target::LoadBalancer, Target::Service];

    pub fn resource_type(self) -> &'static str {
        match self {
            Target::Vm => "virtual_machine",
            Target::LoadBalancer => "load_balancer",
            Target::Service => "service",
        }
    }

    /// The type of a payload's `assigned_to_resource_type`; the documents' VM-only
    /// payloads have none, which means a VM.
    pub fn of(ip: &FloatingIp) -> Option<Target> {
        match ip.assigned_to_resource_type.as_deref().unwrap_or_default() {
            "" | "virtual_machine" | "vm" => Some(Target::Vm),
            "load_balancer" => Some(Target::LoadBalancer),
            "service" => Some(Target::Service),
            _ => None,
        }
    }
}

/// Assigns the address to a VM with the documented body `{"vm_uuid": ...}`.
pub async fn assign_to_vm(
    client: &ApiClient,
    location: &str,
    address: &str,
    vm_uuid: &str,
) -> Result<FloatingIp, ApiError> {
    assign(client, location, address, Target::Vm, vm_uuid).await
}

/// Assigns the address. A VM gets the documented body `{"vm_uuid": ...}`; a load
/// balancer or a managed service the body another client of the platform sends,
/// `{"assigned_to": ..., "assigned_to_resource_type": ...}` (field notes). When
/// the POST failed in a way that may have taken effect, the address is checked
/// instead of sending it again.
pub async fn assign(
    client: &ApiClient,
    location: &str,
    address: &str,
    target: Target,
    uuid: &str,
) -> Result<FloatingIp, ApiError> {
    let body = match target {
        Target::Vm => json!({ "vm_uuid": uuid }),
        other => json!({ "assigned_to": uuid, "assigned_to_resource_type": other.resource_type() }),
    };
    let request = client
        .post(Loc::At(location), &format!("{}/assign", path_of(address)))
        .json(body);
    recover_create(
        client,
        || request.clone().send::<FloatingIp>(),
        || async {
            Ok(find(client, location, address).await?.filter(|ip| {
                ip.assigned_to()
                    .is_some_and(|to| to.eq_ignore_ascii_case(uuid))
            }))
        },
    )
    .await
}

/// Unassigns the address (it stays reserved and billed). Unassigning twice leaves
/// the same result, so the call is retried like an idempotent one.
pub async fn unassign(client: &ApiClient, location: &str, address: &str) -> Result<(), ApiError> {
    client
        .post(Loc::At(location), &format!("{}/unassign", path_of(address)))
        .repeat(Repeat::Idempotent)
        .send_empty()
        .await
}
