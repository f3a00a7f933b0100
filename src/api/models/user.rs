//! The authenticated user and API tokens.

use crate::api::Secret;

model! {
    /// The authenticated user. Decodes `GET /v1/user-resource/user` (Get User Info).
    pub struct User {
        pub id: i64,
        /// The login (an e-mail address).
        pub name: String,
        pub cookie_id: String,
        pub last_activity: String,
        /// `null` in the documents; kept opaque.
        pub profile: Option<serde_json::Value>,
        pub profile_data: UserProfile,
        /// `{}` in the documents; kept opaque.
        pub state: serde_json::Value,
    }
}

model! {
    /// The user's profile: `profile_data` of [`User`], and the response of
    /// `PATCH /v1/user-resource/user/profile` (Modify Profile Info).
    pub struct UserProfile {
        pub id: i64,
        pub user_id: i64,
        pub email: String,
        pub first_name: String,
        pub last_name: String,
        pub phone_number: String,
        pub personal_id_number: String,
        pub avatar: String,
        pub created_at: String,
        pub updated_at: String,
    }
}

model! {
    /// An API token.
    ///
    /// Decodes `POST /v1/user-resource/token` (Create Token, which answers the full token list) and
    /// `GET /v1/user-resource/token/list` (List Tokens), both arrays.
    pub struct ApiToken {
        pub id: i64,
        /// The secret sent as the `apikey` header.
        pub token: Secret,
        pub description: String,
        pub restricted: bool,
        /// The billing account the token is tied to; 0 for none.
        pub billing_account_id: i64,
        pub consumer_id: String,
        pub kong_id: String,
        pub user_id: i64,
        pub created_at: String,
        pub updated_at: String,
    }
}
