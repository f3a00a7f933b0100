//! The REST API layer: HTTP client (auth, routing, encodings, retries, errors),
//! typed response models, and one small module of calls per resource family.

pub mod client;
pub mod error;
pub mod models;
pub mod network;

pub use client::{recover_create, ApiClient, ClientConfig, Feature, Generation, Loc, Repeat};
pub use error::{ApiError, ErrorKind};
