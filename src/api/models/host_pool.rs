//! VM resource pools (server classes).

use serde::{Deserialize, Serialize};

use super::de;

/// A host pool (server class) a VM can be placed in via `designated_pool_uuid`.
///
/// Decodes `GET /v1/{slug}/user-resource/host_pool/list` (a JSON array of these;
/// location-specific).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct HostPool {
    #[serde(deserialize_with = "de::string")]
    pub uuid: String,
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    #[serde(deserialize_with = "de::string")]
    pub description: String,
    /// The pool used when a VM is created without `designated_pool_uuid`.
    #[serde(deserialize_with = "de::bool")]
    pub is_default_designated: bool,
    #[serde(deserialize_with = "de::string")]
    pub created_at: String,
    #[serde(deserialize_with = "de::string")]
    pub updated_at: String,
    /// Per-pool sizing limits for guests. Not in any of the documents, but sent by the live
    /// API; this is where the real vcpu / RAM / disk limits live.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guest_limits: Option<GuestLimits>,
}

/// `guest_limits` of a [`HostPool`]: `{"cpu": {"min", "max"}, "ram_mb": {...}, "disk_gb": {...}}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct GuestLimits {
    /// vCPU count.
    #[serde(deserialize_with = "de::null_as_default")]
    pub cpu: MinMax,
    /// RAM in MiB.
    #[serde(deserialize_with = "de::null_as_default")]
    pub ram_mb: MinMax,
    /// Boot disk size in GiB.
    #[serde(deserialize_with = "de::null_as_default")]
    pub disk_gb: MinMax,
}

/// An inclusive `{min, max}` range; either bound may be absent.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct MinMax {
    #[serde(deserialize_with = "de::opt_int")]
    pub min: Option<i64>,
    #[serde(deserialize_with = "de::opt_int")]
    pub max: Option<i64>,
}

impl MinMax {
    /// Whether `v` lies within the bounds that are present.
    pub fn contains(&self, v: i64) -> bool {
        self.min.is_none_or(|m| v >= m) && self.max.is_none_or(|m| v <= m)
    }
}
