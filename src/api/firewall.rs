//! Firewalls: `/v1/{slug}/network/firewalls*` (documents 000 and 002; JSON bodies).
//!
//! Create takes `display_name`, update (`PUT`, a full replace of the rules) takes
//! `name` and `description`; reads return `display_name`. There is no endpoint for a
//! single firewall: the list is the only read.

use serde_json::{json, Map, Value};

use super::models::firewall::{Firewall, FirewallAssignment};
use super::{create_listed, listed_or, recover_create, ApiClient, ApiError, Loc};

const PATH: &str = "network/firewalls";

/// One rule as sent to the API.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleInput {
    /// The uuid of the existing rule this one keeps (update only).
    pub uuid: Option<String>,
    pub direction: String,
    pub protocol: String,
    /// `None`: all ports.
    pub port_start: Option<i64>,
    /// `None`: left to the server (it fills `port_start`).
    pub port_end: Option<i64>,
    /// Empty: any address (`endpoint_spec_type: any`).
    pub ip_prefixes: Vec<String>,
}

impl RuleInput {
    fn to_json(&self) -> Value {
        let mut rule = Map::new();
        if let Some(uuid) = &self.uuid {
            rule.insert("uuid".into(), json!(uuid));
        }
        rule.insert("direction".into(), json!(self.direction));
        rule.insert("protocol".into(), json!(self.protocol));
        rule.insert("port_start".into(), json!(self.port_start));
        if let Some(end) = self.port_end {
            rule.insert("port_end".into(), json!(end));
        }
        if self.ip_prefixes.is_empty() {
            rule.insert("endpoint_spec_type".into(), json!("any"));
        } else {
            rule.insert("endpoint_spec_type".into(), json!("ip_prefixes"));
            rule.insert("endpoint_spec".into(), json!(self.ip_prefixes));
        }
        Value::Object(rule)
    }
}

fn rules_json(rules: &[RuleInput]) -> Value {
    Value::Array(rules.iter().map(RuleInput::to_json).collect())
}

/// Every firewall of the location (shared per process until the next write).
pub async fn list(client: &ApiClient, location: &str) -> Result<Vec<Firewall>, ApiError> {
    client.list(Loc::At(location), PATH).await
}

/// One firewall, or `None` when it does not exist. The API has no call for a single
/// firewall, so a firewall missing from the (possibly cached) list is confirmed with
/// one fresh list request before it is declared gone.
pub async fn find(
    client: &ApiClient,
    location: &str,
    uuid: &str,
) -> Result<Option<Firewall>, ApiError> {
    let same = |f: &Firewall| f.uuid.eq_ignore_ascii_case(uuid);
    let fresh = async {
        let fresh: Vec<Firewall> = client.get(Loc::At(location), PATH).send().await?;
        Ok(fresh.into_iter().find(same))
    };
    listed_or(list(client, location), same, fresh).await
}

/// Creates a firewall. A POST that may have taken effect is not repeated: a new
/// firewall of that name that was not there before is adopted instead.
pub async fn create(
    client: &ApiClient,
    location: &str,
    name: &str,
    billing_account_id: Option<i64>,
    rules: &[RuleInput],
) -> Result<Firewall, ApiError> {
    let mut body = json!({ "display_name": name, "rules": rules_json(rules) });
    if let Some(id) = billing_account_id {
        body["billing_account_id"] = json!(id);
    }
    let request = client.post(Loc::At(location), PATH).json(body);
    create_listed(
        client,
        request,
        || list(client, location),
        |f| f.display_name() == name,
    )
    .await
}

/// What an update sends: the API replaces the name, description and every rule.
pub struct Update<'a> {
    pub name: &'a str,
    pub description: &'a str,
    /// Sent only when it changes.
    pub billing_account_id: Option<i64>,
    pub rules: &'a [RuleInput],
}

pub async fn update(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    update: &Update<'_>,
) -> Result<Firewall, ApiError> {
    let mut body = json!({
        "name": update.name,
        "description": update.description,
        "rules": rules_json(update.rules),
    });
    if let Some(id) = update.billing_account_id {
        body["billing_account_id"] = json!(id);
    }
    client
        .put(Loc::At(location), &format!("{PATH}/{uuid}"))
        .json(body)
        .send()
        .await
}

pub async fn delete(client: &ApiClient, location: &str, uuid: &str) -> Result<(), ApiError> {
    client
        .delete_object(Loc::At(location), &format!("{PATH}/{uuid}"))
        .await
}

/// Assigns the firewall to a VM; returns the firewall's assignments afterwards.
pub async fn assign(
    client: &ApiClient,
    location: &str,
    firewall_uuid: &str,
    vm_uuid: &str,
) -> Result<Vec<FirewallAssignment>, ApiError> {
    let request = client
        .post(Loc::At(location), &format!("{PATH}/{firewall_uuid}/vms"))
        .query("vm_uuid", vm_uuid);
    recover_create(
        client,
        || request.clone().send::<Vec<FirewallAssignment>>(),
        || async {
            Ok(find(client, location, firewall_uuid).await?.and_then(|f| {
                f.assigned_vm_uuids()
                    .any(|v| v.eq_ignore_ascii_case(vm_uuid))
                    .then(|| f.resources_assigned.clone())
            }))
        },
    )
    .await
}

/// Removes the firewall from a VM. (The document's path `/firewalls/{uuid}/vms` is a
/// typo for this one.)
pub async fn unassign(
    client: &ApiClient,
    location: &str,
    firewall_uuid: &str,
    vm_uuid: &str,
) -> Result<(), ApiError> {
    client
        .delete(Loc::At(location), &format!("{PATH}/{firewall_uuid}/vms"))
        .query("vm_uuid", vm_uuid)
        .send_empty()
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_bodies() {
        let any = RuleInput {
            direction: "inbound".into(),
            protocol: "tcp".into(),
            port_start: Some(22),
            ..Default::default()
        };
        assert_eq!(
            any.to_json(),
            json!({"direction": "inbound", "protocol": "tcp", "port_start": 22,
                   "endpoint_spec_type": "any"})
        );
        let prefixes = RuleInput {
            uuid: Some("r1".into()),
            direction: "outbound".into(),
            protocol: "icmp".into(),
            port_start: None,
            port_end: None,
            ip_prefixes: vec!["10.0.0.0/24".into()],
        };
        assert_eq!(
            prefixes.to_json(),
            json!({"uuid": "r1", "direction": "outbound", "protocol": "icmp",
                   "port_start": null, "endpoint_spec_type": "ip_prefixes",
                   "endpoint_spec": ["10.0.0.0/24"]})
        );
    }
}
