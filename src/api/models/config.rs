//! Platform configuration: locations, VM images, bootable media and VM creation parameters.
//! All of these endpoints are global (no location slug in the path).

model! {
    /// One location (data centre / resource pool).
    ///
    /// Decodes `GET /v1/config/locations` (a JSON array of these).
    pub struct Location {
        /// Used in URLs right after the version: `/v1/{slug}/...`.
        pub slug: String,
        pub display_name: String,
        pub description: String,
        pub country_code: String,
        /// The location used when no slug is given in the URL.
        pub is_default: bool,
        pub is_preferred: bool,
        pub order_nr: i64,
    }
}

model! {
    /// An OS (or application catalogue) image with its versions.
    ///
    /// Decodes `GET /v1/config/vm_images`, `GET /v1/config/vm_images/plain_os` and
    /// `GET /v1/config/vm_images/app_catalog` (each a JSON array of these).
    pub struct VmImage {
        /// Value for the VM `os_name` parameter (e.g. `ubuntu`, `almalinux`).
        pub os_name: String,
        pub display_name: String,
        pub ui_position: i64,
        pub is_default: bool,
        pub is_app_catalog: bool,
        /// Opaque icon data (the documents elide it as `"..."`).
        pub icon: String,
        pub versions: Vec<VmImageVersion>,
    }
}

model! {
    /// One version of a [`VmImage`] (`versions[]` of the `config/vm_images*` endpoints).
    pub struct VmImageVersion {
        /// Value for the VM `os_version` parameter (e.g. `22.04-lts`, `8`).
        pub os_version: String,
        pub display_name: String,
        pub published: bool,
    }
}

model! {
    /// A bootable ISO image for `POST /v1/user-resource/vm/boot_iso_media`.
    ///
    /// Decodes `GET /v1/config/boot_images` (a JSON array of these; documents 000 and 002 only).
    pub struct BootImage {
        pub uuid: String,
        pub image_name: String,
        pub description: String,
        pub is_installation_media: bool,
        pub is_published: bool,
    }
}

model! {
    /// Description of one VM creation parameter and its constraint.
    ///
    /// Decodes `GET /v1/api/parameters/vm` (a JSON array of these). Which of the optional fields
    /// are present depends on `constraint`: `range` → `min`/`max`, `regexp` → `expression`,
    /// `enum` → `values`. The live API does not mark `os_name`, `os_version`, `username`,
    /// `password` or `public_key` as mandatory, and sizing limits really live on the host pools
    /// (see [`super::host_pool::GuestLimits`]).
    pub struct VmParameter {
        /// Form parameter name (`disks`, `name`, `os_name`, `os_version`, `password`, `ram`, ...).
        pub parameter: String,
        /// `range`, `regexp` or `enum`.
        pub constraint: String,
        pub description: String,
        pub mandatory: bool,
        /// `integer` or `string`.
        #[serde(rename = "type")]
        pub r#type: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub min: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub max: Option<i64>,
        /// Regular expression (Python syntax, may use look-aheads) for `regexp` constraints.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub expression: Option<String>,
        /// Allowed values for `enum` constraints.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub values: Option<Vec<String>>,
        /// Name of the parameter whose value selects an entry of `limits` (always `os_name`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub limited_by: Option<String>,
        pub limits: Vec<VmParameterLimit>,
    }
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

model! {
    /// A per-`os_name` override inside [`VmParameter::limits`]; any of `values`, `min`, `max`,
    /// `mandatory` may be present.
    pub struct VmParameterLimit {
        pub os_name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub values: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub min: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub max: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub mandatory: Option<bool>,
    }
}
