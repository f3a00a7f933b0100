//! SSH public keys (document 000 only).

model! {
    /// An SSH public key of the user.
    ///
    /// Decodes (global): `GET /v1/user-resource/ssh_keys` (List, an array), `POST
    /// /v1/user-resource/ssh_keys` (Create; documented 201, live 200; 409 on a duplicate name) and
    /// `PATCH /v1/user-resource/ssh_keys/{uuid}` (Update name). Delete answers an empty body. There
    /// is no fingerprint field.
    pub struct SshKey {
        pub uuid: String,
        /// Unique per user.
        pub name: String,
        /// Full OpenSSH public key line; immutable once created.
        pub public_key: String,
        pub user_id: i64,
        pub created_at: String,
    }
}
