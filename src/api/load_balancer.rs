//! Network load balancers: `/v1/{slug}/network/load_balancers*`, JSON bodies, TCP only.
//!
//! Forwarding rules and targets change through their own sub-endpoints, so adding
//! one never re-creates the others. Adding a rule answers without the rule's uuid
//! (field notes): callers re-read the load balancer to learn it.

use serde_json::{json, Value};

use super::models::floating_ip::FloatingIp;
use super::models::load_balancer::{LbTarget, LoadBalancer};
use super::{
    create_listed, floating_ip, listed_or, recover_create, ApiClient, ApiError, Loc, NotFoundExt,
};

fn path_of(uuid: &str) -> String {
    format!("network/load_balancers/{uuid}")
}

/// Every load balancer of the location (shared per process until the next write).
pub async fn list(client: &ApiClient, location: &str) -> Result<Vec<LoadBalancer>, ApiError> {
    let all: Vec<LoadBalancer> = client
        .list(Loc::At(location), "network/load_balancers")
        .await?;
    Ok(all.into_iter().filter(|lb| !lb.is_deleted).collect())
}

/// One load balancer, or `None` when it does not exist. Served from the list when it
/// is there (one call per location for a whole refresh); confirmed with one GET
/// otherwise.
pub async fn find(
    client: &ApiClient,
    location: &str,
    uuid: &str,
) -> Result<Option<LoadBalancer>, ApiError> {
    let same = |lb: &LoadBalancer| lb.uuid.eq_ignore_ascii_case(uuid);
    listed_or(list(client, location), same, get(client, location, uuid)).await
}

/// A fresh `GET load_balancers/{uuid}` (not the cached list); `None` on 404.
pub async fn get(
    client: &ApiClient,
    location: &str,
    uuid: &str,
) -> Result<Option<LoadBalancer>, ApiError> {
    Ok(client
        .get(Loc::At(location), &path_of(uuid))
        .send::<LoadBalancer>()
        .await
        .found()?
        .filter(|lb| lb.uuid.eq_ignore_ascii_case(uuid) && !lb.is_deleted))
}

/// What a new load balancer is made of.
pub struct NewLoadBalancer<'a> {
    pub name: &'a str,
    pub billing_account_id: i64,
    pub network_uuid: Option<&'a str>,
    pub reserve_public_ip: bool,
    /// `(source_port, target_port)`.
    pub rules: Vec<(i64, i64)>,
    /// `(target_uuid, target_type)`.
    pub targets: Vec<(String, String)>,
}

/// Creates a load balancer with its rules and targets in one call. A POST that may
/// have taken effect is not repeated: a new load balancer of that name (not there
/// before) is adopted instead.
pub async fn create(
    client: &ApiClient,
    location: &str,
    new: &NewLoadBalancer<'_>,
) -> Result<LoadBalancer, ApiError> {
    let mut body = json!({
        "display_name": new.name,
        "billing_account_id": new.billing_account_id,
        "reserve_public_ip": new.reserve_public_ip,
        "rules": new.rules.iter().map(|(s, t)| json!({"source_port": s, "target_port": t})).collect::<Vec<_>>(),
        "targets": new.targets.iter().map(|(u, t)| json!({"target_uuid": u, "target_type": t})).collect::<Vec<_>>(),
    });
    if let (Some(net), Value::Object(map)) = (new.network_uuid, &mut body) {
        map.insert("network_uuid".into(), json!(net));
    }
    let request = client
        .post(Loc::At(location), "network/load_balancers")
        .json(body);
    create_listed(
        client,
        request,
        || list(client, location),
        |lb| lb.display_name == new.name,
    )
    .await
}

/// Renames (`PATCH` with the API's `display_name`).
pub async fn rename(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    name: &str,
) -> Result<(), ApiError> {
    client
        .patch(Loc::At(location), &path_of(uuid))
        .json(json!({ "display_name": name }))
        .send_empty()
        .await
}

/// Moves the load balancer to another billing account.
pub async fn set_billing_account(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    billing_account_id: i64,
) -> Result<(), ApiError> {
    client
        .put(
            Loc::At(location),
            &format!("{}/billing_account", path_of(uuid)),
        )
        .json(json!({ "set_id": billing_account_id }))
        .send_empty()
        .await
}

/// Adds a forwarding rule. The answer has no rule uuid: re-read the load balancer.
/// A POST that may have taken effect is not repeated: the rule is looked for first.
pub async fn add_rule(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    source_port: i64,
    target_port: i64,
) -> Result<(), ApiError> {
    let request = client
        .post(
            Loc::At(location),
            &format!("{}/forwarding_rules", path_of(uuid)),
        )
        .json(json!({ "source_port": source_port, "target_port": target_port }));
    recover_create(
        client,
        || request.clone().send_empty(),
        || async {
            Ok(get(client, location, uuid)
                .await?
                .and_then(|lb| lb.find_rule(source_port, target_port).map(|_| ())))
        },
    )
    .await
}

/// Drops a forwarding rule; a rule already gone counts as dropped.
pub async fn remove_rule(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    rule_uuid: &str,
) -> Result<(), ApiError> {
    client
        .delete_object(
            Loc::At(location),
            &format!("{}/forwarding_rules/{rule_uuid}", path_of(uuid)),
        )
        .await
        .ok_if_not_found()
}

/// Adds a target. A POST that may have taken effect is not repeated: the target is
/// looked for first.
pub async fn add_target(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    target_uuid: &str,
    target_type: &str,
) -> Result<LbTarget, ApiError> {
    let request = client
        .post(Loc::At(location), &format!("{}/targets", path_of(uuid)))
        .json(json!({ "target_uuid": target_uuid, "target_type": target_type }));
    recover_create(
        client,
        || request.clone().send::<LbTarget>(),
        || async {
            Ok(get(client, location, uuid).await?.and_then(|lb| {
                lb.targets
                    .into_iter()
                    .find(|t| t.target_uuid.eq_ignore_ascii_case(target_uuid))
            }))
        },
    )
    .await
}

/// Unlinks a target; a target already gone (for instance its VM was deleted, which
/// unlinks it) counts as unlinked.
pub async fn remove_target(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    target_uuid: &str,
) -> Result<(), ApiError> {
    client
        .delete_object(
            Loc::At(location),
            &format!("{}/targets/{target_uuid}", path_of(uuid)),
        )
        .await
        .ok_if_not_found()
}

/// Deletes the load balancer; already gone counts as deleted. The floating IP the
/// platform reserved for it stays behind, unassigned and billed (field notes).
pub async fn delete(client: &ApiClient, location: &str, uuid: &str) -> Result<(), ApiError> {
    client
        .delete_object(Loc::At(location), &path_of(uuid))
        .await
        .ok_if_not_found()
}

/// The floating IP `address` when it exists and is assigned to nothing.
pub async fn unassigned_ip(
    client: &ApiClient,
    location: &str,
    address: &str,
) -> Result<Option<FloatingIp>, ApiError> {
    Ok(floating_ip::list(client, location)
        .await?
        .into_iter()
        .find(|ip| ip.address == address && !ip.is_deleted && !ip.is_assigned()))
}
