//! SSH public keys (document 000 only).

use serde::{Deserialize, Serialize};

use super::de;

/// An SSH public key of the user.
///
/// Decodes (global): `GET /v1/user-resource/ssh_keys` (List, an array),
/// `POST /v1/user-resource/ssh_keys` (Create; documented 201, live 200; 409 on a duplicate name)
/// and `PATCH /v1/user-resource/ssh_keys/{uuid}` (Update name). Delete answers an empty body.
/// There is no fingerprint field.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct SshKey {
    #[serde(deserialize_with = "de::string")]
    pub uuid: String,
    /// Unique per user.
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    /// Full OpenSSH public key line; immutable once created.
    #[serde(deserialize_with = "de::string")]
    pub public_key: String,
    #[serde(deserialize_with = "de::int")]
    pub user_id: i64,
    #[serde(deserialize_with = "de::string")]
    pub created_at: String,
}
