//! VM resource pools (server classes).

model! {
    /// A host pool (server class) a VM can be placed in via `designated_pool_uuid`.
    ///
    /// Decodes `GET /v1/{slug}/user-resource/host_pool/list` (a JSON array of these;
    /// location-specific).
    pub struct HostPool {
        pub uuid: String,
        pub name: String,
        pub description: String,
        /// The pool used when a VM is created without `designated_pool_uuid`.
        pub is_default_designated: bool,
        pub created_at: String,
        pub updated_at: String,
        /// Per-pool sizing limits for guests. Not in any of the documents, but sent by the live
        /// API; this is where the real vcpu / RAM / disk limits live.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub guest_limits: Option<GuestLimits>,
    }
}

model! {
    /// `guest_limits` of a [`HostPool`]: `{"cpu": {"min", "max"}, "ram_mb": {...}, "disk_gb":
    /// {...}}`.
    pub struct GuestLimits {
        /// vCPU count.
        pub cpu: MinMax,
        /// RAM in MiB.
        pub ram_mb: MinMax,
        /// Boot disk size in GiB.
        pub disk_gb: MinMax,
    }
}

model! {
    /// An inclusive `{min, max}` range; either bound may be absent.
    pub struct MinMax {
        pub min: Option<i64>,
        pub max: Option<i64>,
    }
}

impl MinMax {
    /// Whether `v` lies within the bounds that are present.
    pub fn contains(&self, v: i64) -> bool {
        self.min.is_none_or(|m| v >= m) && self.max.is_none_or(|m| v <= m)
    }
}
