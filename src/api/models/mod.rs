//! Typed models of the API's JSON responses.
//!
//! One module per API family. Every struct derives
//! `Debug, Clone, Default, Deserialize, Serialize, PartialEq` and carries `#[serde(default)]`,
//! so a missing key never fails decoding and unknown keys are ignored; scalar fields go through
//! the lenient helpers in [`de`] so that numbers-as-strings, `"True"`/`1` booleans and `null`s
//! decode too. Timestamps are kept as opaque strings (the API uses several formats).
//!
//! Field names are the API's own; the few camelCase keys are renamed to snake_case Rust fields
//! with `#[serde(rename = ...)]`, and spelling variants (`sizeGb`) are accepted via aliases.
//! Only response bodies live here; request bodies are built by the client.
//!
//! `tests/api_decode.rs` decodes every example response of the three API documents with these
//! types.

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
