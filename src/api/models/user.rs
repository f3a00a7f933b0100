//! The authenticated user and API tokens.

use serde::{Deserialize, Serialize};

use super::de;
use crate::api::Secret;

/// The authenticated user. Decodes `GET /v1/user-resource/user` (Get User Info).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct User {
    #[serde(deserialize_with = "de::int")]
    pub id: i64,
    /// The login (an e-mail address).
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    #[serde(deserialize_with = "de::string")]
    pub cookie_id: String,
    #[serde(deserialize_with = "de::string")]
    pub last_activity: String,
    /// `null` in the documents; kept opaque.
    pub profile: Option<serde_json::Value>,
    #[serde(deserialize_with = "de::null_as_default")]
    pub profile_data: UserProfile,
    /// `{}` in the documents; kept opaque.
    pub state: serde_json::Value,
}

/// The user's profile: `profile_data` of [`User`], and the response of
/// `PATCH /v1/user-resource/user/profile` (Modify Profile Info).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct UserProfile {
    #[serde(deserialize_with = "de::int")]
    pub id: i64,
    #[serde(deserialize_with = "de::int")]
    pub user_id: i64,
    #[serde(deserialize_with = "de::string")]
    pub email: String,
    #[serde(deserialize_with = "de::string")]
    pub first_name: String,
    #[serde(deserialize_with = "de::string")]
    pub last_name: String,
    #[serde(deserialize_with = "de::string")]
    pub phone_number: String,
    #[serde(deserialize_with = "de::string")]
    pub personal_id_number: String,
    #[serde(deserialize_with = "de::string")]
    pub avatar: String,
    #[serde(deserialize_with = "de::string")]
    pub created_at: String,
    #[serde(deserialize_with = "de::string")]
    pub updated_at: String,
}

/// An API token.
///
/// Decodes `POST /v1/user-resource/token` (Create Token, which answers the full token list) and
/// `GET /v1/user-resource/token/list` (List Tokens), both arrays.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct ApiToken {
    #[serde(deserialize_with = "de::int")]
    pub id: i64,
    /// The secret sent as the `apikey` header.
    pub token: Secret,
    #[serde(deserialize_with = "de::string")]
    pub description: String,
    #[serde(deserialize_with = "de::bool")]
    pub restricted: bool,
    /// The billing account the token is tied to; 0 for none.
    #[serde(deserialize_with = "de::int")]
    pub billing_account_id: i64,
    #[serde(deserialize_with = "de::string")]
    pub consumer_id: String,
    #[serde(deserialize_with = "de::string")]
    pub kong_id: String,
    #[serde(deserialize_with = "de::int")]
    pub user_id: i64,
    #[serde(deserialize_with = "de::string")]
    pub created_at: String,
    #[serde(deserialize_with = "de::string")]
    pub updated_at: String,
}
