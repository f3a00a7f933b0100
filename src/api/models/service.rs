//! Managed service packages (documents 000 and 002 only).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::de;
use super::vm::VmStorage;
use crate::api::Secret;

/// A managed service package (e.g. PostgreSQL).
///
/// Decodes (global, under `/v1/user-resource/service/`): `POST package` (Create),
/// `GET packages` (List, an array), `GET package/{uuid}` (Get), `PATCH package/{uuid}` (Update
/// metadata) and `DELETE package/{uuid}` (Delete, which answers the package with
/// `status: deleted`, `is_deleted: true` and `deleted_at`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct ServicePackage {
    #[serde(deserialize_with = "de::string")]
    pub uuid: String,
    /// e.g. `postgresql`, `mariadb`.
    #[serde(deserialize_with = "de::string")]
    pub service: String,
    /// e.g. `14.0`.
    #[serde(deserialize_with = "de::string")]
    pub version: String,
    #[serde(deserialize_with = "de::string")]
    pub display_name: String,
    #[serde(deserialize_with = "de::int")]
    pub billing_account_id: i64,
    #[serde(deserialize_with = "de::int")]
    pub user_id: i64,
    /// `active` or `deleted` (lower case).
    #[serde(deserialize_with = "de::string")]
    pub status: String,
    #[serde(deserialize_with = "de::bool")]
    pub is_deleted: bool,
    #[serde(deserialize_with = "de::bool")]
    pub is_multi_node: bool,
    #[serde(deserialize_with = "de::null_as_default")]
    pub properties: ServiceProperties,
    #[serde(deserialize_with = "de::null_as_default")]
    pub resources: Vec<ServiceResource>,
    #[serde(deserialize_with = "de::null_as_default")]
    pub prices: Vec<ServicePrice>,
    #[serde(deserialize_with = "de::string")]
    pub created_at: String,
    #[serde(deserialize_with = "de::string")]
    pub updated_at: String,
    /// Only in the Delete example.
    #[serde(
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub deleted_at: Option<String>,
}

impl ServicePackage {
    /// Status compared case-insensitively.
    pub fn is_active(&self) -> bool {
        self.status.eq_ignore_ascii_case("active")
    }

    /// The VMs the service runs on.
    pub fn vms(&self) -> impl Iterator<Item = &ServiceResource> {
        self.resources
            .iter()
            .filter(|r| r.resource_type.eq_ignore_ascii_case("vm"))
    }
}

/// `properties` of a [`ServicePackage`]: connection details.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct ServiceProperties {
    /// Address of the service on the account's default network.
    #[serde(deserialize_with = "de::string")]
    pub service_ip: String,
    /// Location slug.
    #[serde(deserialize_with = "de::string")]
    pub location: String,
    #[serde(deserialize_with = "de::string")]
    pub sql_user: String,
    #[serde(deserialize_with = "de::int")]
    pub port: i64,
}

/// One resource of a [`ServicePackage`] (`resources[]`): a `vm` or a `virtual_ip`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct ServiceResource {
    #[serde(deserialize_with = "de::string")]
    pub resource_id: String,
    /// `vm` or `virtual_ip`.
    #[serde(deserialize_with = "de::string")]
    pub resource_type: String,
    /// Location slug.
    #[serde(deserialize_with = "de::string")]
    pub resource_location: String,
    /// Depends on `resource_type`; `{}` after deletion.
    #[serde(deserialize_with = "de::null_as_default")]
    pub resource_allocation: ServiceResourceAllocation,
}

/// `resource_allocation` of a [`ServiceResource`]: `{address}` for a `virtual_ip`,
/// `{memory, vcpu, status, storage}` for a `vm`, `{}` once deleted.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct ServiceResourceAllocation {
    #[serde(
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub address: Option<String>,
    /// RAM in MiB.
    #[serde(
        deserialize_with = "de::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub memory: Option<i64>,
    #[serde(
        deserialize_with = "de::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub vcpu: Option<i64>,
    #[serde(
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<String>,
    #[serde(
        deserialize_with = "de::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub storage: Vec<VmStorage>,
}

/// A price multiplier of a [`ServicePackage`] (`prices[]`; camelCase keys in the API).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct ServicePrice {
    #[serde(
        rename = "resourceType",
        alias = "resource_type",
        deserialize_with = "de::string"
    )]
    pub resource_type: String,
    #[serde(
        rename = "priceMultiplier",
        alias = "price_multiplier",
        deserialize_with = "de::float"
    )]
    pub price_multiplier: f64,
    #[serde(
        rename = "serviceNameInUptime",
        alias = "service_name_in_uptime",
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_name_in_uptime: Option<String>,
}

/// Decodes `GET /v1/user-resource/service/package/{uuid}/secrets`: `{"sql_pass": "..."}`.
/// Any other secret keys are kept in `other`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct ServiceSecrets {
    pub sql_pass: Secret,
    #[serde(flatten)]
    pub other: BTreeMap<String, Secret>,
}

/// Decodes `GET|POST|DELETE /v1/{slug}/user-resource/service/package/{uuid}/whitelist_addresses`:
/// the whitelist's current entries (addresses or CIDR prefixes). Empty means no restriction.
pub type WhitelistAddresses = Vec<String>;
