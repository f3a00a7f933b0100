//! Network load balancers (TCP only).

model! {
    /// A load balancer.
    ///
    /// Decodes (location-specific, under `/v1/{slug}/network/`): `GET load_balancers` (List, an
    /// array), `GET load_balancers/{uuid}` (Get), `POST load_balancers` (Create),
    /// `PATCH load_balancers/{uuid}` (Rename) and `PUT load_balancers/{uuid}/billing_account`
    /// (Change billing account). Delete, unlink target and drop rule answer an empty body.
    ///
    /// The List / Get examples have no `display_name`; Create / Rename / Change billing do. In all
    /// examples `network_uuid` equals the LB's own `uuid` (a documentation slip).
    pub struct LoadBalancer {
        pub uuid: String,
        pub display_name: String,
        pub network_uuid: String,
        pub user_id: i64,
        pub billing_account_id: i64,
        /// Address of the LB on its private network.
        pub private_address: String,
        pub is_deleted: bool,
        pub created_at: String,
        pub updated_at: String,
        pub forwarding_rules: Vec<ForwardingRule>,
        pub targets: Vec<LbTarget>,
    }
}

impl LoadBalancer {
    /// The rule forwarding `source_port` → `target_port`, if any (adding a rule does not return
    /// its uuid, so it is found again this way after a re-read).
    pub fn find_rule(&self, source_port: i64, target_port: i64) -> Option<&ForwardingRule> {
        self.forwarding_rules
            .iter()
            .find(|r| r.source_port == source_port && r.target_port == target_port)
    }
}

model! {
    /// A port forwarding rule of a [`LoadBalancer`] (`forwarding_rules[]`).
    ///
    /// Also decodes `POST .../load_balancers/{uuid}/forwarding_rules` (Add forwarding rule), which
    /// answers only `{"source_port", "target_port"}`: no uuid.
    pub struct ForwardingRule {
        /// Empty in the Add forwarding rule response.
        pub uuid: String,
        /// `TCP`.
        pub protocol: String,
        pub source_port: i64,
        pub target_port: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub settings: Option<ForwardingRuleSettings>,
        pub created_at: String,
    }
}

model! {
    /// `settings` of a [`ForwardingRule`].
    pub struct ForwardingRuleSettings {
        pub connection_limit: Option<i64>,
        /// e.g. `SOURCE_IP`.
        pub session_persistence: Option<String>,
    }
}

model! {
    /// A backend of a [`LoadBalancer`] (`targets[]`).
    ///
    /// Also decodes `POST .../load_balancers/{uuid}/targets` (Add load balancer target).
    pub struct LbTarget {
        pub target_uuid: String,
        /// `vm`.
        pub target_type: String,
        pub target_ip_address: String,
        pub created_at: String,
    }
}
