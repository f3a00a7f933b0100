//! The REST API layer: HTTP client (auth, routing, encodings, retries, errors),
//! typed response models, and one small module of calls per resource family.

pub mod billing;
pub mod client;
pub mod config;
pub mod disk;
pub mod error;
pub mod firewall;
pub mod floating_ip;
pub mod load_balancer;
pub mod models;
pub mod network;
pub mod pricing;
pub mod replica;
pub mod secret;
pub mod service;
pub mod ssh_key;
pub mod storage;
pub mod vm;
pub mod vm_ops;

pub use client::{
    create_listed, given_fields, listed_or, recover_create, recover_write, ApiClient, Baseline,
    ClientConfig, Exclusive, Feature, Generation, ListIndex, Loc, Repeat,
};
pub use error::{ApiError, ErrorKind, NotFoundExt};
pub use secret::Secret;
