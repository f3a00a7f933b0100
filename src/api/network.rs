//! Private networks: `/v1/{slug}/network/network*`.

use std::collections::HashSet;

use serde_json::json;

use super::models::network::Network;
use super::{recover_create, ApiClient, ApiError, Loc, NotFoundExt};

/// Every network of the location (shared per process until the next write).
pub async fn list(client: &ApiClient, location: &str) -> Result<Vec<Network>, ApiError> {
    client.list(Loc::At(location), LIST).await
}

const LIST: &str = "network/networks";

/// The uuid of the network `vm_uuid` is in (the first one listing it), if any.
pub async fn of_vm(
    client: &ApiClient,
    location: &str,
    vm_uuid: &str,
) -> Result<Option<String>, ApiError> {
    let by_vm = client
        .list_index(Loc::At(location), LIST, "vm", |n: &Network| {
            n.vm_uuids.clone()
        })
        .await?;
    Ok(by_vm.get(vm_uuid).map(|n| n.uuid.clone()))
}

/// One network, or `None` when it does not exist (the API's 400 "Network UUID is
/// invalid."). Served from the list when it is there: one call per location for
/// a whole refresh.
pub async fn find(
    client: &ApiClient,
    location: &str,
    uuid: &str,
) -> Result<Option<Network>, ApiError> {
    let by_uuid = client
        .list_index(Loc::At(location), LIST, "uuid", |n: &Network| {
            vec![n.uuid.clone()]
        })
        .await?;
    if let Some(network) = by_uuid.get(uuid) {
        return Ok(Some(network.clone()));
    }
    client
        .get(Loc::At(location), &format!("network/network/{uuid}"))
        .send::<Network>()
        .await
        .found()
}

/// Creates a network (the name goes in the query string, as the API expects).
pub async fn create(client: &ApiClient, location: &str, name: &str) -> Result<Network, ApiError> {
    let before: HashSet<String> = list(client, location)
        .await?
        .into_iter()
        .map(|n| n.uuid)
        .collect();
    let request = client
        .post(Loc::At(location), "network/network")
        .query("name", name);
    recover_create(
        client,
        || request.clone().send::<Network>(),
        || async {
            Ok(list(client, location)
                .await?
                .into_iter()
                .filter(|n| n.name == name && !before.contains(&n.uuid))
                .collect::<Vec<_>>())
        },
    )
    .await
}

pub async fn rename(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    name: &str,
) -> Result<(), ApiError> {
    client
        .patch(Loc::At(location), &format!("network/network/{uuid}"))
        .json(json!({ "name": name }))
        .send_empty()
        .await
}

/// Makes the network the location's default (the previous default stops being it).
pub async fn make_default(client: &ApiClient, location: &str, uuid: &str) -> Result<(), ApiError> {
    client
        .put(
            Loc::At(location),
            &format!("network/network/{uuid}/default"),
        )
        .send_empty()
        .await
}

pub async fn delete(client: &ApiClient, location: &str, uuid: &str) -> Result<(), ApiError> {
    client
        .delete(Loc::At(location), &format!("network/network/{uuid}"))
        .send_empty()
        .await
}
