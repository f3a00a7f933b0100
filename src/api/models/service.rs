//! Managed service packages (documents 000 and 002 only).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::vm::VmStorage;
use crate::api::Secret;

model! {
    /// A managed service package (e.g. PostgreSQL).
    ///
    /// Decodes (global, under `/v1/user-resource/service/`): `POST package` (Create),
    /// `GET packages` (List, an array), `GET package/{uuid}` (Get), `PATCH package/{uuid}` (Update
    /// metadata) and `DELETE package/{uuid}` (Delete, which answers the package with
    /// `status: deleted`, `is_deleted: true` and `deleted_at`).
    pub struct ServicePackage {
        pub uuid: String,
        /// e.g. `postgresql`, `mariadb`.
        pub service: String,
        /// e.g. `14.0`.
        pub version: String,
        pub display_name: String,
        pub billing_account_id: i64,
        pub user_id: i64,
        /// `active` or `deleted` (lower case).
        pub status: String,
        pub is_deleted: bool,
        pub is_multi_node: bool,
        pub properties: ServiceProperties,
        pub resources: Vec<ServiceResource>,
        pub prices: Vec<ServicePrice>,
        pub created_at: String,
        pub updated_at: String,
        /// Only in the Delete example.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub deleted_at: Option<String>,
    }
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

model! {
    /// `properties` of a [`ServicePackage`]: connection details.
    pub struct ServiceProperties {
        /// Address of the service on the account's default network.
        pub service_ip: String,
        /// Location slug.
        pub location: String,
        pub sql_user: String,
        pub port: i64,
    }
}

model! {
    /// One resource of a [`ServicePackage`] (`resources[]`): a `vm` or a `virtual_ip`.
    pub struct ServiceResource {
        pub resource_id: String,
        /// `vm` or `virtual_ip`.
        pub resource_type: String,
        /// Location slug.
        pub resource_location: String,
        /// Depends on `resource_type`; `{}` after deletion.
        pub resource_allocation: ServiceResourceAllocation,
    }
}

model! {
    /// `resource_allocation` of a [`ServiceResource`]: `{address}` for a `virtual_ip`,
    /// `{memory, vcpu, status, storage}` for a `vm`, `{}` once deleted.
    pub struct ServiceResourceAllocation {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub address: Option<String>,
        /// RAM in MiB.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub memory: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub vcpu: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub status: Option<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        pub storage: Vec<VmStorage>,
    }
}

model! {
    /// A price multiplier of a [`ServicePackage`] (`prices[]`; camelCase keys in the API).
    pub struct ServicePrice {
        #[serde(rename = "resourceType", alias = "resource_type")]
        pub resource_type: String,
        #[serde(rename = "priceMultiplier", alias = "price_multiplier")]
        pub price_multiplier: f64,
        #[serde(
            rename = "serviceNameInUptime",
            alias = "service_name_in_uptime",
            skip_serializing_if = "Option::is_none"
        )]
        pub service_name_in_uptime: Option<String>,
    }
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
