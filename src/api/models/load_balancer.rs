//! Network load balancers (TCP only).

use serde::{Deserialize, Serialize};

use super::de;

/// A load balancer.
///
/// Decodes (location-specific, under `/v1/{slug}/network/`): `GET load_balancers` (List, an
/// array), `GET load_balancers/{uuid}` (Get), `POST load_balancers` (Create),
/// `PATCH load_balancers/{uuid}` (Rename) and `PUT load_balancers/{uuid}/billing_account`
/// (Change billing account). Delete, unlink target and drop rule answer an empty body.
///
/// The List / Get examples have no `display_name`; Create / Rename / Change billing do. In all
/// examples `network_uuid` equals the LB's own `uuid` (a documentation slip).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct LoadBalancer {
    #[serde(deserialize_with = "de::string")]
    pub uuid: String,
    #[serde(deserialize_with = "de::string")]
    pub display_name: String,
    #[serde(deserialize_with = "de::string")]
    pub network_uuid: String,
    #[serde(deserialize_with = "de::int")]
    pub user_id: i64,
    #[serde(deserialize_with = "de::int")]
    pub billing_account_id: i64,
    /// Address of the LB on its private network.
    #[serde(deserialize_with = "de::string")]
    pub private_address: String,
    #[serde(deserialize_with = "de::bool")]
    pub is_deleted: bool,
    #[serde(deserialize_with = "de::string")]
    pub created_at: String,
    #[serde(deserialize_with = "de::string")]
    pub updated_at: String,
    #[serde(deserialize_with = "de::null_as_default")]
    pub forwarding_rules: Vec<ForwardingRule>,
    #[serde(deserialize_with = "de::null_as_default")]
    pub targets: Vec<LbTarget>,
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

/// A port forwarding rule of a [`LoadBalancer`] (`forwarding_rules[]`).
///
/// Also decodes `POST .../load_balancers/{uuid}/forwarding_rules` (Add forwarding rule), which
/// answers only `{"source_port", "target_port"}`: no uuid.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct ForwardingRule {
    /// Empty in the Add forwarding rule response.
    #[serde(deserialize_with = "de::string")]
    pub uuid: String,
    /// `TCP`.
    #[serde(deserialize_with = "de::string")]
    pub protocol: String,
    #[serde(deserialize_with = "de::int")]
    pub source_port: i64,
    #[serde(deserialize_with = "de::int")]
    pub target_port: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<ForwardingRuleSettings>,
    #[serde(deserialize_with = "de::string")]
    pub created_at: String,
}

/// `settings` of a [`ForwardingRule`].
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct ForwardingRuleSettings {
    #[serde(deserialize_with = "de::opt_int")]
    pub connection_limit: Option<i64>,
    /// e.g. `SOURCE_IP`.
    #[serde(deserialize_with = "de::opt_string")]
    pub session_persistence: Option<String>,
}

/// A backend of a [`LoadBalancer`] (`targets[]`).
///
/// Also decodes `POST .../load_balancers/{uuid}/targets` (Add load balancer target).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct LbTarget {
    #[serde(deserialize_with = "de::string")]
    pub target_uuid: String,
    /// `vm`.
    #[serde(deserialize_with = "de::string")]
    pub target_type: String,
    #[serde(deserialize_with = "de::string")]
    pub target_ip_address: String,
    #[serde(deserialize_with = "de::string")]
    pub created_at: String,
}
