//! Private networks (VPCs).

model! {
    /// A private network.
    ///
    /// Decodes (location-specific, under `/v1/{slug}/network/`): `GET network/{uuid}` (Get network
    /// data), `GET networks` (List Networks, an array), `POST network?name=` (Create or get default
    /// network), `PUT network/{uuid}/default` (Change network to default) and
    /// `PATCH network/{uuid}` (Change network name). Delete answers an empty body.
    ///
    /// Live payloads have no `vlan_id` and an empty `subnet_ipv6`.
    pub struct Network {
        pub uuid: String,
        pub name: String,
        /// IPv4 CIDR chosen by the platform, e.g. `10.1.104.0/24`.
        pub subnet: String,
        /// IPv6 CIDR; `""` live.
        pub subnet_ipv6: String,
        /// In the documents only; absent live.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub vlan_id: Option<i64>,
        /// `private`.
        #[serde(rename = "type")]
        pub r#type: String,
        /// The account's default network (new VMs land here); cannot be deleted.
        pub is_default: bool,
        /// VMs attached to this network: the way to find a VM's network.
        pub vm_uuids: Vec<String>,
        /// Number of resources in the network; a network can be deleted only when this is 0.
        pub resources_count: i64,
        pub created_at: String,
        pub updated_at: String,
    }
}

impl Network {
    /// `subnet_ipv6`, treating `""` as absent.
    pub fn subnet_ipv6(&self) -> Option<&str> {
        Some(self.subnet_ipv6.as_str()).filter(|s| !s.is_empty())
    }

    /// Whether the VM with `vm_uuid` is attached to this network.
    pub fn contains_vm(&self, vm_uuid: &str) -> bool {
        self.vm_uuids.iter().any(|u| u == vm_uuid)
    }
}
