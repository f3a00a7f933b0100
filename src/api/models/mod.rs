//! Typed models of the API's JSON responses.
//!
//! One module per API family. Every struct is declared with `model!` (below), which derives
//! `Debug, Clone, Default, Deserialize, Serialize, PartialEq` and adds `#[serde(default)]`,
//! so a missing key never fails decoding and unknown keys are ignored, and decodes every field
//! with [`de::lenient`], the lenient helper its type calls for, so that numbers-as-strings,
//! `"True"`/`1` booleans and `null`s decode too. Timestamps are kept as opaque strings (the
//! API uses several formats).
//!
//! Field names are the API's own; the few camelCase keys are renamed to snake_case Rust fields
//! with `#[serde(rename = ...)]`, and spelling variants (`sizeGb`) are accepted via aliases.
//! Only response bodies live here; request bodies are built by the client.
//!
//! `tests/api_decode.rs` decodes every example response of the three API documents with these
//! types.

/// Declares an API response model: the struct as written, with its doc comments and its
/// fields' own `#[serde(rename, alias, skip_serializing_if)]`, plus what every model has
/// (the derives, `#[serde(default)]`, and each field decoded by [`de::lenient`], which picks
/// the lenient helper by the field's type: `i64` with `de::int`, `Option<String>` with
/// `de::opt_string`, a nested model with `de::null_as_default`...). The convention is written
/// once here instead of a `deserialize_with` on each of some 400 fields; a field type with no
/// lenient decoding ([`de::Lenient`]) is a compile error, not a silently strict field.
macro_rules! model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                pub $field:ident: $ty:ty
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, PartialEq)]
        #[serde(default)]
        pub struct $name {
            $(
                $(#[$field_meta])*
                #[serde(deserialize_with = "crate::api::models::de::lenient")]
                pub $field: $ty,
            )*
        }

        impl crate::api::models::de::Model for $name {}
    };
}

pub mod billing;
pub mod common;
pub mod config;
pub mod de;
pub mod disk;
pub mod firewall;
pub mod floating_ip;
pub mod host_pool;
pub mod load_balancer;
pub mod network;
pub mod payment;
pub mod service;
pub mod ssh_key;
pub mod storage;
pub mod user;
pub mod vm;

pub use billing::*;
pub use common::*;
pub use config::*;
pub use disk::*;
pub use firewall::*;
pub use floating_ip::*;
pub use host_pool::*;
pub use load_balancer::*;
pub use network::*;
pub use payment::*;
pub use service::*;
pub use ssh_key::*;
pub use storage::*;
pub use user::*;
pub use vm::*;

/// A model the API names by its uuid: how `api::create_listed` tells the object a lost
/// create made from those listed before it.
pub trait Identified {
    fn uuid(&self) -> &str;
}

/// `Identified` for models whose `uuid` field is their name.
macro_rules! identified_by_uuid {
    ($($model:ty),* $(,)?) => {
        $(
            impl Identified for $model {
                fn uuid(&self) -> &str {
                    &self.uuid
                }
            }
        )*
    };
}

identified_by_uuid!(
    Disk,
    Firewall,
    LoadBalancer,
    Network,
    ServicePackage,
    SshKey,
    Vm
);
