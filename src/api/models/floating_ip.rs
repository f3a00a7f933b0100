//! Floating (public) IPv4 addresses.

model! {
    /// A floating IP. Floating IPs are addressed by their IPv4 `address`, not by a uuid.
    ///
    /// Decodes (location-specific, under `/v1/{slug}/network/`): `POST ip_addresses` (Create),
    /// `GET ip_addresses` (List, an array), `GET ip_addresses/{address}` (Get),
    /// `PATCH ip_addresses/{address}` (Update), `POST ip_addresses/{address}/assign` (Assign) and
    /// `POST ip_addresses/{address}/unassign` (Un-assign). Delete answers an empty body.
    ///
    /// A VM's public IPv4 is the entry whose `assigned_to` is the VM uuid.
    pub struct FloatingIp {
        /// The IPv4 address; the identifier used in every path.
        pub address: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub id: Option<i64>,
        /// Only in the Un-assign example.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub uuid: Option<String>,
        pub name: String,
        pub user_id: i64,
        pub billing_account_id: i64,
        /// `public`.
        #[serde(rename = "type")]
        pub r#type: String,
        /// `null` in every example.
        pub network_id: Option<i64>,
        pub enabled: bool,
        pub is_deleted: bool,
        pub is_virtual: bool,
        /// Uuid of the resource the address is assigned to; `null` when unassigned.
        pub assigned_to: Option<String>,
        /// `virtual_machine`, `service` or `load_balancer`; absent when unassigned.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub assigned_to_resource_type: Option<String>,
        /// Private address the floating IP is mapped to; absent when unassigned.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub assigned_to_private_ip: Option<String>,
        pub created_at: String,
        pub updated_at: String,
        /// Only in the Un-assign example.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub unassigned_at: Option<String>,
    }
}

impl FloatingIp {
    /// `assigned_to`, treating `""` as unassigned.
    pub fn assigned_to(&self) -> Option<&str> {
        self.assigned_to.as_deref().filter(|s| !s.is_empty())
    }

    pub fn is_assigned(&self) -> bool {
        self.assigned_to().is_some()
    }
}
