//! SSH public keys: `/v1/user-resource/ssh_keys*` (global, JSON bodies; document 000
//! only). Create answers 200 live although the document says 201; a duplicate name
//! is a 409.

use serde_json::json;

use super::models::ssh_key::SshKey;
use super::{create_listed, ApiClient, ApiError, Loc};

const KEYS: &str = "user-resource/ssh_keys";

/// Every SSH key of the user (shared per process until the next write).
pub async fn list(client: &ApiClient) -> Result<Vec<SshKey>, ApiError> {
    client.list(Loc::Global, KEYS).await
}

/// One key, or `None` when it does not exist. The API has no single-key GET, so the
/// (cached) list is the authority.
pub async fn find(client: &ApiClient, uuid: &str) -> Result<Option<SshKey>, ApiError> {
    Ok(list(client)
        .await?
        .into_iter()
        .find(|k| k.uuid.eq_ignore_ascii_case(uuid)))
}

pub async fn create(client: &ApiClient, name: &str, public_key: &str) -> Result<SshKey, ApiError> {
    let request = client
        .post(Loc::Global, KEYS)
        .json(json!({ "name": name, "public_key": public_key }));
    create_listed(client, request, || list(client), |k| k.name == name).await
}

/// Renames a key (the only change the API allows); read it back with `find`.
pub async fn rename(client: &ApiClient, uuid: &str, name: &str) -> Result<(), ApiError> {
    client
        .patch(Loc::Global, &format!("{KEYS}/{uuid}"))
        .json(json!({ "name": name }))
        .send_empty()
        .await
}

pub async fn delete(client: &ApiClient, uuid: &str) -> Result<(), ApiError> {
    client
        .delete_object(Loc::Global, &format!("{KEYS}/{uuid}"))
        .await
}
