//! Platform configuration: locations, VM images, bootable media and VM creation parameters.
//! All of these endpoints are global (no location slug in the path).

use serde::{Deserialize, Serialize};

use super::de;

/// One location (data centre / resource pool).
///
/// Decodes `GET /v1/config/locations` (a JSON array of these).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct Location {
    /// Used in URLs right after the version: `/v1/{slug}/...`.
    #[serde(deserialize_with = "de::string")]
    pub slug: String,
    #[serde(deserialize_with = "de::string")]
    pub display_name: String,
    #[serde(deserialize_with = "de::string")]
    pub description: String,
    #[serde(deserialize_with = "de::string")]
    pub country_code: String,
    /// The location used when no slug is given in the URL.
    #[serde(deserialize_with = "de::bool")]
    pub is_default: bool,
    #[serde(deserialize_with = "de::bool")]
    pub is_preferred: bool,
    #[serde(deserialize_with = "de::int")]
    pub order_nr: i64,
}

/// An OS (or application catalogue) image with its versions.
///
/// Decodes `GET /v1/config/vm_images`, `GET /v1/config/vm_images/plain_os` and
/// `GET /v1/config/vm_images/app_catalog` (each a JSON array of these).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct VmImage {
    /// Value for the VM `os_name` parameter (e.g. `ubuntu`, `almalinux`).
    #[serde(deserialize_with = "de::string")]
    pub os_name: String,
    #[serde(deserialize_with = "de::string")]
    pub display_name: String,
    #[serde(deserialize_with = "de::int")]
    pub ui_position: i64,
    #[serde(deserialize_with = "de::bool")]
    pub is_default: bool,
    #[serde(deserialize_with = "de::bool")]
    pub is_app_catalog: bool,
    /// Opaque icon data (the documents elide it as `"..."`).
    #[serde(deserialize_with = "de::string")]
    pub icon: String,
    #[serde(deserialize_with = "de::null_as_default")]
    pub versions: Vec<VmImageVersion>,
}

/// One version of a [`VmImage`] (`versions[]` of the `config/vm_images*` endpoints).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct VmImageVersion {
    /// Value for the VM `os_version` parameter (e.g. `22.04-lts`, `8`).
    #[serde(deserialize_with = "de::string")]
    pub os_version: String,
    #[serde(deserialize_with = "de::string")]
    pub display_name: String,
    #[serde(deserialize_with = "de::bool")]
    pub published: bool,
}

/// A bootable ISO image for `POST /v1/user-resource/vm/boot_iso_media`.
///
/// Decodes `GET /v1/config/boot_images` (a JSON array of these; documents 000 and 002 only).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct BootImage {
    #[serde(deserialize_with = "de::string")]
    pub uuid: String,
    #[serde(deserialize_with = "de::string")]
    pub image_name: String,
    #[serde(deserialize_with = "de::string")]
    pub description: String,
    #[serde(deserialize_with = "de::bool")]
    pub is_installation_media: bool,
    #[serde(deserialize_with = "de::bool")]
    pub is_published: bool,
}

/// Description of one VM creation parameter and its constraint.
///
/// Decodes `GET /v1/api/parameters/vm` (a JSON array of these). Which of the optional fields
/// are present depends on `constraint`: `range` → `min`/`max`, `regexp` → `expression`,
/// `enum` → `values`. The live API does not mark `os_name`, `os_version`, `username`,
/// `password` or `public_key` as mandatory, and sizing limits really live on the host pools
/// (see [`super::host_pool::GuestLimits`]).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct VmParameter {
    /// Form parameter name (`disks`, `name`, `os_name`, `os_version`, `password`, `ram`, ...).
    #[serde(deserialize_with = "de::string")]
    pub parameter: String,
    /// `range`, `regexp` or `enum`.
    #[serde(deserialize_with = "de::string")]
    pub constraint: String,
    #[serde(deserialize_with = "de::string")]
    pub description: String,
    #[serde(deserialize_with = "de::bool")]
    pub mandatory: bool,
    /// `integer` or `string`.
    #[serde(rename = "type", deserialize_with = "de::string")]
    pub r#type: String,
    #[serde(
        deserialize_with = "de::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub min: Option<i64>,
    #[serde(
        deserialize_with = "de::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub max: Option<i64>,
    /// Regular expression (Python syntax, may use look-aheads) for `regexp` constraints.
    #[serde(
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub expression: Option<String>,
    /// Allowed values for `enum` constraints.
    #[serde(
        deserialize_with = "de::opt_string_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub values: Option<Vec<String>>,
    /// Name of the parameter whose value selects an entry of `limits` (always `os_name`).
    #[serde(
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub limited_by: Option<String>,
    #[serde(deserialize_with = "de::null_as_default")]
    pub limits: Vec<VmParameterLimit>,
}

impl VmParameter {
    /// The limit entry that applies when the `limited_by` parameter has value `value`.
    pub fn limit_for(&self, value: &str) -> Option<&VmParameterLimit> {
        self.limits.iter().find(|l| l.os_name == value)
    }

    /// Effective minimum for `os_name`, falling back to the general minimum.
    pub fn min_for(&self, os_name: &str) -> Option<i64> {
        self.limit_for(os_name).and_then(|l| l.min).or(self.min)
    }

    /// Effective maximum for `os_name`, falling back to the general maximum.
    pub fn max_for(&self, os_name: &str) -> Option<i64> {
        self.limit_for(os_name).and_then(|l| l.max).or(self.max)
    }

    /// Effective allowed values for `os_name`, falling back to the general list.
    pub fn values_for(&self, os_name: &str) -> Option<&[String]> {
        self.limit_for(os_name)
            .and_then(|l| l.values.as_deref())
            .or(self.values.as_deref())
    }
}

/// A per-`os_name` override inside [`VmParameter::limits`]; any of `values`, `min`, `max`,
/// `mandatory` may be present.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct VmParameterLimit {
    #[serde(deserialize_with = "de::string")]
    pub os_name: String,
    #[serde(
        deserialize_with = "de::opt_string_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub values: Option<Vec<String>>,
    #[serde(
        deserialize_with = "de::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub min: Option<i64>,
    #[serde(
        deserialize_with = "de::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub max: Option<i64>,
    #[serde(
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub mandatory: Option<bool>,
}
