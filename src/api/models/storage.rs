//! Object storage (S3): API info, buckets, the S3 user and its keys. Global endpoints.

use crate::api::Secret;

model! {
    /// Decodes `GET /v1/storage/api/s3` (S3 API Info): `{"url": "https://s3.<brand>:8080/"}`.
    pub struct S3ApiInfo {
        /// S3 endpoint URL (brand-specific host).
        pub url: String,
    }
}

model! {
    /// An S3 bucket.
    ///
    /// Decodes `PUT /v1/storage/bucket` (Create Bucket), `PATCH /v1/storage/bucket` (Modify
    /// Bucket), `GET /v1/storage/bucket?name=` (Get Bucket) and `GET /v1/storage/bucket/list` (List
    /// Buckets, an array; `[]` when the account has no object storage). Delete answers 204.
    pub struct Bucket {
        /// Globally unique bucket name; the bucket's identifier.
        pub name: String,
        pub billing_account_id: i64,
        pub size_bytes: i64,
        pub num_objects: i64,
        pub is_suspended: bool,
        pub created_at: String,
        pub modified_at: String,
    }
}

model! {
    /// The account's S3 user, created on first request.
    ///
    /// Decodes `GET /v1/storage/user` (Get S3 user). The API's keys are camelCase; the Rust fields
    /// are snake_case and accept either spelling.
    pub struct S3User {
        #[serde(rename = "userId", alias = "user_id")]
        pub user_id: String,
        #[serde(rename = "displayName", alias = "display_name")]
        pub display_name: String,
        pub email: String,
        #[serde(rename = "maxBuckets", alias = "max_buckets")]
        pub max_buckets: i64,
        /// Sent as an integer (`0`).
        pub suspended: bool,
        #[serde(rename = "s3Credentials", alias = "s3_credentials")]
        pub s3_credentials: Vec<S3Key>,
        #[serde(rename = "swiftCredentials", alias = "swift_credentials")]
        pub swift_credentials: Vec<serde_json::Value>,
        pub subusers: Vec<serde_json::Value>,
        pub caps: Vec<serde_json::Value>,
    }
}

model! {
    /// An S3 access key pair.
    ///
    /// Decodes `s3Credentials[]` of [`S3User`], and `GET /v1/storage/user/keys` (Get keys) and
    /// `POST /v1/storage/user/keys` (Generate key, which answers the full list including the new
    /// key), both arrays. Delete key answers an empty body. `GET .../keys` answers 404
    /// `{"message": "Storage account not found."}` when the account has no object storage.
    pub struct S3Key {
        #[serde(rename = "accessKey", alias = "access_key")]
        pub access_key: String,
        #[serde(rename = "secretKey", alias = "secret_key")]
        pub secret_key: Secret,
        #[serde(rename = "userId", alias = "user_id")]
        pub user_id: String,
    }
}
