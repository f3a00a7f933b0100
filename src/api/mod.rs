//! The REST API layer: HTTP client (auth, routing, encodings, retries, errors),
//! typed response models, and one small module of calls per resource family.

pub mod client;
pub mod error;
pub mod models;

pub use client::{ApiClient, ClientConfig, Feature, Generation, Loc, Repeat};
pub use error::{ApiError, ErrorKind};
