//! Firewalls (documents 000 and 002 only).

model! {
    /// A firewall with its rules and assignments.
    ///
    /// Decodes (location-specific, under `/v1/{slug}/network/`): `GET firewalls` (List Firewalls,
    /// an array), `POST firewalls` (Create Firewall) and `PUT firewalls/{uuid}` (Update Firewall, a
    /// full replace of the rules). Delete answers 204.
    ///
    /// The name is inconsistent: the List example has `name` and `description`, the Create and
    /// Update examples (and live reads) have `display_name` only; use [`Firewall::display_name`].
    /// Rules come back in the server's own order.
    pub struct Firewall {
        pub uuid: String,
        /// Name as returned by Create / Update and live reads.
        pub display_name: String,
        /// Name as shown in the List example (and accepted by Update's request body).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        /// Only in the List example.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        pub user_id: i64,
        pub billing_account_id: i64,
        pub rules: Vec<FirewallRule>,
        pub resources_assigned: Vec<FirewallAssignment>,
        pub created_at: String,
        pub deleted_at: Option<String>,
    }
}

impl Firewall {
    /// `display_name`, falling back to `name` (List example).
    pub fn display_name(&self) -> &str {
        if self.display_name.is_empty() {
            self.name.as_deref().unwrap_or("")
        } else {
            &self.display_name
        }
    }

    /// Uuids of the VMs the firewall is assigned to.
    pub fn assigned_vm_uuids(&self) -> impl Iterator<Item = &str> {
        self.resources_assigned
            .iter()
            .filter(|a| a.resource_type.eq_ignore_ascii_case("vm"))
            .map(|a| a.resource_uuid.as_str())
    }
}

model! {
    /// One rule of a [`Firewall`].
    pub struct FirewallRule {
        pub uuid: String,
        /// `tcp`, `udp`, `icmp`, ...
        pub protocol: String,
        /// `inbound` or `outbound`.
        pub direction: String,
        /// `null` means all ports.
        pub port_start: Option<i64>,
        /// `null` means equal to `port_start`; the server fills it in when omitted.
        pub port_end: Option<i64>,
        /// `any` or `ip_prefixes`.
        pub endpoint_spec_type: String,
        /// IP addresses / CIDR prefixes for `ip_prefixes`; absent (documents) or `null` (live) for
        /// `any`.
        pub endpoint_spec: Option<Vec<String>>,
    }
}

impl FirewallRule {
    /// `port_end`, or `port_start` when `port_end` is `null` (its documented meaning).
    pub fn effective_port_end(&self) -> Option<i64> {
        self.port_end.or(self.port_start)
    }
}

model! {
    /// A resource a firewall is assigned to (`resources_assigned[]`), e.g.
    /// `{"resource_type": "vm", "resource_uuid": "..."}`.
    ///
    /// Also decodes `POST /v1/{slug}/network/firewalls/{uuid}/vms?vm_uuid=` (Assign Firewall to VM,
    /// an array of the firewall's current assignments). Unassign answers no content.
    pub struct FirewallAssignment {
        pub resource_type: String,
        pub resource_uuid: String,
    }
}
