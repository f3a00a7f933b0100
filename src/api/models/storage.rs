//! Object storage (S3): API info, buckets, the S3 user and its keys. Global endpoints.

use serde::{Deserialize, Serialize};

use super::de;
use crate::api::Secret;

/// Decodes `GET /v1/storage/api/s3` (S3 API Info): `{"url": "https://s3.<brand>:8080/"}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct S3ApiInfo {
    /// S3 endpoint URL (brand-specific host).
    #[serde(deserialize_with = "de::string")]
    pub url: String,
}

/// An S3 bucket.
///
/// Decodes `PUT /v1/storage/bucket` (Create Bucket), `PATCH /v1/storage/bucket` (Modify Bucket),
/// `GET /v1/storage/bucket?name=` (Get Bucket) and `GET /v1/storage/bucket/list` (List Buckets,
/// an array; `[]` when the account has no object storage). Delete answers 204.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct Bucket {
    /// Globally unique bucket name; the bucket's identifier.
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    #[serde(deserialize_with = "de::int")]
    pub billing_account_id: i64,
    #[serde(deserialize_with = "de::int")]
    pub size_bytes: i64,
    #[serde(deserialize_with = "de::int")]
    pub num_objects: i64,
    #[serde(deserialize_with = "de::bool")]
    pub is_suspended: bool,
    #[serde(deserialize_with = "de::string")]
    pub created_at: String,
    #[serde(deserialize_with = "de::string")]
    pub modified_at: String,
}

/// The account's S3 user, created on first request.
///
/// Decodes `GET /v1/storage/user` (Get S3 user). The API's keys are camelCase; the Rust fields
/// are snake_case and accept either spelling.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct S3User {
    #[serde(rename = "userId", alias = "user_id", deserialize_with = "de::string")]
    pub user_id: String,
    #[serde(
        rename = "displayName",
        alias = "display_name",
        deserialize_with = "de::string"
    )]
    pub display_name: String,
    #[serde(deserialize_with = "de::string")]
    pub email: String,
    #[serde(
        rename = "maxBuckets",
        alias = "max_buckets",
        deserialize_with = "de::int"
    )]
    pub max_buckets: i64,
    /// Sent as an integer (`0`).
    #[serde(deserialize_with = "de::bool")]
    pub suspended: bool,
    #[serde(
        rename = "s3Credentials",
        alias = "s3_credentials",
        deserialize_with = "de::null_as_default"
    )]
    pub s3_credentials: Vec<S3Key>,
    #[serde(
        rename = "swiftCredentials",
        alias = "swift_credentials",
        deserialize_with = "de::null_as_default"
    )]
    pub swift_credentials: Vec<serde_json::Value>,
    #[serde(deserialize_with = "de::null_as_default")]
    pub subusers: Vec<serde_json::Value>,
    #[serde(deserialize_with = "de::null_as_default")]
    pub caps: Vec<serde_json::Value>,
}

/// An S3 access key pair.
///
/// Decodes `s3Credentials[]` of [`S3User`], and `GET /v1/storage/user/keys` (Get keys) and
/// `POST /v1/storage/user/keys` (Generate key, which answers the full list including the new
/// key), both arrays. Delete key answers an empty body. `GET .../keys` answers 404
/// `{"message": "Storage account not found."}` when the account has no object storage.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct S3Key {
    #[serde(
        rename = "accessKey",
        alias = "access_key",
        deserialize_with = "de::string"
    )]
    pub access_key: String,
    #[serde(rename = "secretKey", alias = "secret_key")]
    pub secret_key: Secret,
    #[serde(rename = "userId", alias = "user_id", deserialize_with = "de::string")]
    pub user_id: String,
}
