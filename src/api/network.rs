//! Private networks: `/v1/{slug}/network/network*`.

use serde_json::json;

use super::models::network::Network;
use super::{create_listed, ApiClient, ApiError, Loc};

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
    let keys = |n: &Network| vec![n.uuid.clone()];
    let get = client.get(Loc::At(location), &format!("network/network/{uuid}"));
    client.find_listed(location, LIST, keys, uuid, get).await
}

/// Creates a network (the name goes in the query string, as the API expects).
pub async fn create(client: &ApiClient, location: &str, name: &str) -> Result<Network, ApiError> {
    let request = client
        .post(Loc::At(location), "network/network")
        .query("name", name);
    create_listed(
        client,
        request,
        || list(client, location),
        |n| n.name == name,
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
        .delete_object(Loc::At(location), &format!("network/network/{uuid}"))
        .await
}
