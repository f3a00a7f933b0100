//! `idcloudhost_network`: a private network.

use crate::framework::Timeouts;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::common::{
    created_at_attr, gone_during_update, id_attr, import_uuid, located, location_and_id,
    location_attr, name_attr, name_change, vm_labels, COMMUNITY_NAMES_VERSION,
};
use crate::api::load_balancer;
use crate::api::models::network::Network;
use crate::api::network as api;
use crate::api::NotFoundExt;
use crate::context::ProviderData;
use crate::framework::{
    non_empty, required, timeouts_block, warn, Attr, Field, NoChecks, OpError, Plan, ResourceType,
    SchemaSpec, Ty, Views,
};

/// The state of an `idcloudhost_network`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct NetworkState {
    pub id: Option<String>,
    pub location: Option<String>,
    pub name: Option<String>,
    pub is_default: Option<bool>,
    pub subnet: Option<String>,
    pub subnet_ipv6: Option<String>,
    pub vlan_id: Option<i64>,
    // `Field`: an update plans the prior membership, unknown or not.
    pub vm_uuids: Field<Vec<String>>,
    pub resources_count: Field<i64>,
    pub created_at: Option<String>,
    pub timeouts: Vec<Timeouts>,
}

#[derive(Default)]
pub struct NetworkResource;

fn network_state(location: &str, n: Network) -> NetworkState {
    NetworkState {
        id: Some(n.uuid.clone()),
        location: Some(location.to_owned()),
        subnet: non_empty(&n.subnet),
        subnet_ipv6: n.subnet_ipv6().map(str::to_owned),
        vlan_id: n.vlan_id,
        vm_uuids: Field::Known(n.vm_uuids),
        resources_count: Field::Known(n.resources_count),
        created_at: Some(n.created_at),
        name: Some(n.name),
        is_default: Some(n.is_default),
        timeouts: Vec::new(),
    }
}

/// The warning for a default network that destroy leaves on the server.
fn default_network_left(location: &str, network: &Network) -> OpError {
    OpError::new(format!(
        "Network {:?} ({}) was left in place: it is the default network of location {location}",
        network.name, network.uuid
    ))
    .detail(
        "The API never deletes a location's default network, so Terraform no longer manages \
         it but it still exists. It can be deleted (outside Terraform, or by importing it \
         again) only once another network of the location has become the default.",
    )
}

/// `is_default = false` where the network is (or would become) the default: the
/// API has no way to undo that, so the plan says what to do instead.
async fn check_not_default(ctx: &ProviderData, plan: &Views<NetworkState>) -> Result<(), OpError> {
    let is_default = match &plan.prior {
        None => {
            let Some(location) = &plan.planned.location else {
                return Ok(());
            };
            // The first network of a location becomes its default.
            api::list(&ctx.client, location).await?.is_empty()
        }
        Some(prior) => prior.is_default == Some(true),
    };
    if !is_default {
        return Ok(());
    }
    let why = if plan.prior.is_none() {
        "The location has no network yet, and its first network becomes its default."
    } else {
        "This network is the location's default."
    };
    Err(OpError::invalid(
        "is_default",
        format!("{why} A network stops being the default only when another network becomes it (is_default = true on that one). Remove is_default = false, or make another network the default first."),
    ))
}

#[async_trait]
impl ResourceType for NetworkResource {
    type Platform = ProviderData;
    const NAME: &'static str = "network";
    type State = NetworkState;
    type Config = NoChecks;

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("A private network. VMs created in it get an address from its subnet, which the platform chooses.")
            .with_version(COMMUNITY_NAMES_VERSION)
            .attr(id_attr("The network's uuid."))
            .attr(location_attr())
            .attr(
                name_attr("Name of the network; changed in place.")
                    .validate(super::common::max_chars(64)),
            )
            .attr(
                Attr::optional_computed("is_default", Ty::Bool)
                    .desc("`true` makes this the location's default network (new VMs without `network_uuid` land there). `false` states that it is not: a network stops being the default only when another one becomes it, so `false` on the default network is a plan-time error. Leave it unset to just report it.")
                    .read_desc("Whether this is the location's default network (new VMs without `network_uuid` land there)."),
            )
            .attr(Attr::computed("subnet", Ty::String).desc("IPv4 subnet (CIDR) chosen by the platform.").stable())
            .attr(Attr::computed("subnet_ipv6", Ty::String).desc("IPv6 subnet, when the platform assigns one.").stable())
            .attr(Attr::computed("vlan_id", Ty::Number).desc("VLAN id; null when the API does not report one.").stable())
            .attr(Attr::computed("vm_uuids", Ty::list(Ty::String)).desc("VMs in this network."))
            .attr(Attr::computed("resources_count", Ty::Number).desc("Number of resources in the network."))
            .attr(created_at_attr())
            .block(timeouts_block(&["create", "update", "delete"]))
    }

    async fn modify_plan(&self, ctx: &ProviderData, plan: &mut Plan) -> Result<(), OpError> {
        let views = plan.typed::<NetworkState>()?;
        if views.config.is_default == Some(false) {
            check_not_default(ctx, &views).await?;
        }
        // Becoming the default in place changes only is_default; membership is unaffected.
        if let Some(prior) = views.prior {
            plan.update_planned(|planned: &mut NetworkState| {
                planned.vm_uuids = prior.vm_uuids;
                planned.resources_count = prior.resources_count;
            })?;
        }
        Ok(())
    }

    async fn create(
        &self,
        ctx: &ProviderData,
        planned: NetworkState,
    ) -> Result<NetworkState, OpError> {
        let location = located(&planned.location)?;
        let name = required(&planned.name, "name")?;
        let listed = api::list(&ctx.client, location).await?.into_iter();
        super::common::warn_same_named("network", name, listed.map(|n| (n.name, n.uuid)));
        let created = api::create(&ctx.client, location, name).await?;
        let mut network = created.clone();
        if planned.is_default == Some(true) && !created.is_default {
            if let Err(e) = api::make_default(&ctx.client, location, &created.uuid).await {
                return Err(OpError::from(e).with_state(&network_state(location, created)));
            }
            network.is_default = true;
        }
        Ok(network_state(location, network))
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        state: NetworkState,
    ) -> Result<Option<NetworkState>, OpError> {
        let (location, uuid) = location_and_id(&state.location, &state.id)?;
        Ok(api::find(&ctx.client, location, uuid)
            .await?
            .map(|n| network_state(location, n)))
    }

    async fn update(
        &self,
        ctx: &ProviderData,
        prior: NetworkState,
        planned: NetworkState,
    ) -> Result<NetworkState, OpError> {
        let (location, uuid) = location_and_id(&prior.location, &prior.id)?;
        if let Some(name) = name_change(&prior.name, &planned.name)? {
            api::rename(&ctx.client, location, uuid, name).await?;
        }
        if planned.is_default == Some(true) && prior.is_default != Some(true) {
            api::make_default(&ctx.client, location, uuid).await?;
        }
        api::find(&ctx.client, location, uuid)
            .await?
            .map(|n| network_state(location, n))
            .ok_or_else(|| gone_during_update("The network"))
    }

    async fn delete(&self, ctx: &ProviderData, state: &NetworkState) -> Result<(), OpError> {
        let (location, uuid) = location_and_id(&state.location, &state.id)?;
        let Some(network) = api::find(&ctx.client, location, uuid).await? else {
            return Ok(());
        };
        // The API never deletes a location's default network: leave it in place and
        // say so, so that destroy completes instead of failing on every run.
        if network.is_default {
            warn(default_network_left(location, &network));
            return Ok(());
        }
        Ok(api::delete(&ctx.client, location, uuid)
            .await
            .ok_if_not_found()?)
    }

    /// VMs, load balancers and managed services holding an address in it.
    async fn blocked_by(
        &self,
        ctx: &ProviderData,
        state: &NetworkState,
    ) -> Result<Option<OpError>, OpError> {
        let (location, uuid) = location_and_id(&state.location, &state.id)?;
        let Some(network) = api::find(&ctx.client, location, uuid).await? else {
            return Ok(None);
        };
        let others = network.resources_count - network.vm_uuids.len() as i64;
        if network.is_default || (network.vm_uuids.is_empty() && others <= 0) {
            return Ok(None);
        }
        let vms: Vec<&str> = network.vm_uuids.iter().map(String::as_str).collect();
        let mut holders = vm_labels(ctx, location, &vms).await?;
        if others > 0 {
            let balancers: Vec<String> = load_balancer::list(&ctx.client, location)
                .await?
                .into_iter()
                .filter(|lb| lb.network_uuid.eq_ignore_ascii_case(uuid))
                .map(|lb| format!("load balancer {:?} ({})", lb.display_name, lb.uuid))
                .collect();
            let unnamed = others - balancers.len() as i64;
            holders.extend(balancers);
            if unnamed > 0 {
                holders.push(format!(
                    "{unnamed} other resource(s) with an address in it (e.g. a managed service package)"
                ));
            }
        }
        Ok(Some(
            OpError::new(format!(
                "Network {:?} ({uuid}) cannot be deleted while it is in use",
                network.name
            ))
            .detail(format!(
                "Still in it: {}. Delete them or move them to another network first.",
                holders.join(", ")
            )),
        ))
    }

    async fn import(&self, ctx: &ProviderData, id: &str) -> Result<NetworkState, OpError> {
        import_uuid(ctx, id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::typed::state_matches_schema;

    #[test]
    fn state_struct_matches_the_schema() {
        assert_eq!(state_matches_schema(&NetworkResource), Ok(()));
    }
}
