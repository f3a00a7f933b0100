//! `idcloudhost_load_balancer`: a TCP network load balancer with its forwarding rules
//! and targets.
//!
//! Rules and targets are sets changed in place through their own sub-endpoints, so
//! adding one never re-creates the others. Their blocks are declared (`rule_block`,
//! `target_block`: identity, semantics, defaults): the framework
//! (`framework::nested`) carries their computed fields (rule `uuid` and
//! `protocol`, target `target_ip_address`) from the unchanged prior element at
//! plan time, so unchanged elements show no diff.

use std::collections::HashSet;

use crate::framework::DynamicResource;
use crate::framework::Timeouts;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::common::{
    billing_account_attr, billing_change, check_network_uuid, created_at_attr, gone_during_update,
    id_attr, located, location_and_id, location_attr, name_attr, name_change,
    parse_located_import_id, reported_billing,
};
use crate::api::floating_ip;
use crate::api::load_balancer::{self as api, NewLoadBalancer};
use crate::api::models::floating_ip::FloatingIp;
use crate::api::models::load_balancer::{ForwardingRule, LbTarget, LoadBalancer};
use crate::context::{ProviderData, Shared};
use crate::framework::nested::{self, Pair, Scope};
use crate::framework::{
    from_config, from_state, non_empty, required, required_value, timeouts_block, to_state, Attr,
    BlockSpec, Dyn, Field, Nesting, Obj, OpError, Plan, ResourceType, SchemaSpec, Semantic, Ty,
    Validator, Views,
};
use crate::platform::BILLING_ACCOUNT;

const RULES: &str = "forwarding_rule";
const TARGETS: &str = "target";
const TARGET_TYPE_VM: &str = "vm";

/// The resource types this module defines.
pub fn resources(shared: &Shared) -> Vec<(String, Box<dyn DynamicResource>)> {
    vec![super::register(LoadBalancerResource, shared)]
}

/// The state of an `idcloudhost_load_balancer`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct LoadBalancerState {
    // `Field`: unknown in a plan, where the API's value is taken (`settle`).
    pub id: Field<String>,
    pub location: Option<String>,
    pub name: Option<String>,
    pub billing_account_id: Option<i64>,
    pub network_uuid: Field<String>,
    pub reserve_public_ip: Option<bool>,
    pub release_public_ip_on_destroy: Option<bool>,
    pub private_address: Field<String>,
    pub public_address: Field<String>,
    pub created_at: Field<String>,
    pub forwarding_rule: Vec<ForwardingRuleState>,
    pub target: Vec<TargetState>,
    pub timeouts: Vec<Timeouts>,
}

/// One `forwarding_rule` block.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct ForwardingRuleState {
    pub source_port: Option<i64>,
    pub target_port: Option<i64>,
    pub uuid: Field<String>,
    pub protocol: Field<String>,
}

/// One `target` block.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct TargetState {
    pub target_uuid: Option<String>,
    pub target_type: Option<String>,
    pub target_ip_address: Field<String>,
}

/// What `validate` reads of a load balancer's configuration: the rules' source
/// ports and the targets' uuids, each checked once known.
#[derive(Serialize, Deserialize, Debug, Default)]
#[serde(default)]
pub struct LoadBalancerConfig {
    pub forwarding_rule: Vec<ForwardingRuleConfig>,
    pub target: Vec<TargetConfig>,
}

/// A `forwarding_rule` block as configured.
#[derive(Serialize, Deserialize, Debug, Default)]
#[serde(default)]
pub struct ForwardingRuleConfig {
    pub source_port: Field<f64>,
}

/// A `target` block as configured (its configurable attributes: what the plan
/// pairs with the prior targets).
#[derive(Serialize, Deserialize, Debug, Default)]
#[serde(default)]
pub struct TargetConfig {
    pub target_uuid: Field<String>,
    pub target_type: Field<String>,
}

#[derive(Default)]
pub struct LoadBalancerResource;

fn port_attr(name: &'static str, what: &str) -> Attr {
    Attr::required(name, Ty::Number)
        .desc(what)
        .validate(Validator::IntRange(1, 65535))
}

fn rule_state(rule: &ForwardingRule) -> ForwardingRuleState {
    ForwardingRuleState {
        uuid: non_empty(&rule.uuid).into(),
        protocol: non_empty(&rule.protocol).into(),
        source_port: Some(rule.source_port),
        target_port: Some(rule.target_port),
    }
}

fn target_state(target: &LbTarget) -> TargetState {
    let target_type = if target.target_type.is_empty() {
        TARGET_TYPE_VM
    } else {
        target.target_type.as_str()
    };
    TargetState {
        target_uuid: Some(target.target_uuid.clone()),
        target_type: Some(target_type.to_owned()),
        target_ip_address: non_empty(&target.target_ip_address).into(),
    }
}

/// The state of `lb` as the API reports it. `prior` supplies what the API may leave
/// out: the name (the documents' list and get examples have no `display_name`) and
/// the network (their examples show the load balancer's own uuid there).
fn lb_state(
    location: &str,
    lb: &LoadBalancer,
    public: Option<&FloatingIp>,
    prior: &LoadBalancerState,
) -> LoadBalancerState {
    let name = non_empty(&lb.display_name).or(prior.name.clone());
    let network_uuid =
        if lb.network_uuid.is_empty() || lb.network_uuid.eq_ignore_ascii_case(&lb.uuid) {
            prior.network_uuid.clone()
        } else {
            Field::Known(lb.network_uuid.clone())
        };
    let billing_account_id = reported_billing(lb.billing_account_id, prior.billing_account_id);
    LoadBalancerState {
        id: Field::Known(lb.uuid.clone()),
        location: Some(location.to_owned()),
        name,
        billing_account_id,
        network_uuid,
        private_address: non_empty(&lb.private_address).into(),
        public_address: public.map(|ip| ip.address.clone()).into(),
        created_at: non_empty(&lb.created_at).into(),
        forwarding_rule: lb.forwarding_rules.iter().map(rule_state).collect(),
        target: lb.targets.iter().map(target_state).collect(),
        ..LoadBalancerState::default()
    }
}

fn items<'a>(obj: &'a Obj, block: &str) -> &'a [Dyn] {
    obj.get(block).map(Dyn::as_list).unwrap_or(&[])
}

fn rule_block() -> BlockSpec {
    BlockSpec::new(
        RULES,
        Nesting::Set,
        vec![
            port_attr(
                "source_port",
                "Port the load balancer listens on (1-65535).",
            ),
            port_attr(
                "target_port",
                "Port on the targets the connections go to (1-65535).",
            ),
            Attr::computed("uuid", Ty::String).desc("The rule's uuid."),
            Attr::computed("protocol", Ty::String)
                .desc("Protocol, as the API reports it (`TCP`: the only one offered)."),
        ],
    )
    // A load balancer listens once per port: the source port says which rule it
    // is, and after an apply the port sent is what counts (the documented create
    // example shows another target port back than the one sent, a documentation
    // slip). A rule with another target port is another rule (a new uuid).
    .identity(&["source_port"])
    .desc(
        "A TCP port forwarding rule. Added and removed in place; each source port can appear once.",
    )
}

fn target_block() -> BlockSpec {
    BlockSpec::new(
        TARGETS,
        Nesting::Set,
        vec![
            Attr::required("target_uuid", Ty::String)
                .desc("Uuid of the VM receiving connections; it must be in the load balancer's network. A uuid that is not a VM of the location is a plan-time error.")
                .validate(Validator::NotEmpty)
                .semantic(Semantic::CaseInsensitive),
            Attr::optional_computed("target_type", Ty::String)
                .desc("Kind of target: `vm` (the default and only kind).")
                .validate(Validator::OneOf(&[TARGET_TYPE_VM]))
                .default(TARGET_TYPE_VM),
            Attr::computed("target_ip_address", Ty::String).desc("The target's private address, as the API reports it."),
        ],
    )
    .identity(&["target_uuid"])
    .desc("A backend of the load balancer. Added and removed in place; the other targets are untouched.")
}

/// What names a forwarding rule (its ports) or a target (its uuid) in a message.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Named {
    source_port: Option<i64>,
    target_port: Option<i64>,
    target_uuid: Option<String>,
}

/// A planned rule or target in words: "80 -> 8080", or the target's uuid.
fn describe(element: &Dyn) -> String {
    let named = element
        .as_obj()
        .and_then(|e| from_config::<Named>(e).ok())
        .unwrap_or_default();
    match (named.source_port.zip(named.target_port), named.target_uuid) {
        (Some((s, t)), _) => format!("{s} -> {t}"),
        (None, Some(uuid)) => uuid,
        _ => String::from("element"),
    }
}

/// The state after create/update: the API's view, held to the plan where the plan
/// promised a value (the next refresh reports anything that differs).
fn settle(planned: &Obj, actual: Obj) -> Result<Obj, OpError> {
    let mut out = actual.clone();
    for (name, value) in planned {
        if name == RULES || name == TARGETS || !value.is_wholly_known() {
            continue;
        }
        if out.contains_key(name) {
            out.insert(name.clone(), value.clone());
        }
    }
    // Unknown values of a rule or target from the API's element of the same
    // identity (the blocks' declarations).
    for (block, what) in [
        (rule_block(), "forwarding rule"),
        (target_block(), "target"),
    ] {
        let settled = nested::settle(
            &block,
            items(planned, block.name),
            items(&actual, block.name),
        )
        .map_err(|element| {
            OpError::new(format!(
                "The API does not report the {what} {} after applying it",
                describe(element)
            ))
        })?;
        out.insert(block.name.into(), Dyn::List(settled));
    }
    Ok(out)
}

/// `settle` of typed states. The block matching (`settle`, `sync_members`,
/// `nested::same_elements`) compares dynamic values: the typed state, whose `Field`s
/// keep what is unknown, converts to them exactly.
fn settle_state(
    planned: &LoadBalancerState,
    actual: LoadBalancerState,
) -> Result<LoadBalancerState, OpError> {
    from_state(&settle(&to_state(planned), to_state(&actual))?)
}

/// True when the API answer had everything the state needs (rule uuids, the
/// private address), so no re-read is needed.
fn is_complete(state: &LoadBalancerState) -> bool {
    !state.private_address.is_null()
        && state
            .forwarding_rule
            .iter()
            .all(|r| r.uuid.known().is_some())
}

fn wanted_rules(planned: &LoadBalancerState) -> Result<Vec<(i64, i64)>, OpError> {
    planned
        .forwarding_rule
        .iter()
        .map(|r| {
            r.source_port.zip(r.target_port).ok_or_else(|| {
                OpError::new("A forwarding rule's ports are not known at apply time").at(RULES)
            })
        })
        .collect()
}

fn wanted_targets(planned: &LoadBalancerState) -> Result<Vec<(String, String)>, OpError> {
    planned
        .target
        .iter()
        .map(|t| match (&t.target_uuid, &t.target_type) {
            (Some(uuid), kind) => Ok((
                uuid.clone(),
                kind.clone().unwrap_or_else(|| TARGET_TYPE_VM.to_owned()),
            )),
            (None, _) => Err(OpError::new("A target is not known at apply time").at(TARGETS)),
        })
        .collect()
}

async fn current_state(
    ctx: &ProviderData,
    location: &str,
    lb: &LoadBalancer,
    prior: &LoadBalancerState,
) -> Result<LoadBalancerState, OpError> {
    let public = floating_ip::assigned_to(&ctx.client, location, &lb.uuid).await?;
    Ok(lb_state(location, lb, public.as_ref(), prior))
}

/// Brings the rules and targets of the load balancer to the planned sets through
/// the add/remove sub-endpoints, pairing what the API reports now with the plan
/// (the blocks' declarations); elements in both are left alone.
async fn sync_members(
    ctx: &ProviderData,
    location: &str,
    lb: &LoadBalancer,
    planned: &LoadBalancerState,
) -> Result<(), OpError> {
    let client = &ctx.client;
    let rules = wanted_rules(planned)?;
    let targets = wanted_targets(planned)?;
    let served_rules: Vec<ForwardingRuleState> =
        lb.forwarding_rules.iter().map(rule_state).collect();
    let served_targets: Vec<TargetState> = lb.targets.iter().map(target_state).collect();
    // For each served element, the planned one it stays as.
    let kept_rules = kept(
        &rule_block(),
        &nested::elements(&planned.forwarding_rule),
        &nested::elements(&served_rules),
    );
    let kept_targets = kept(
        &target_block(),
        &nested::elements(&planned.target),
        &nested::elements(&served_targets),
    );
    // Removals first: a rule changing its target port is dropped and added again,
    // and the API refuses two rules on one source port.
    for (rule, kept) in lb.forwarding_rules.iter().zip(&kept_rules) {
        if kept.is_none() {
            api::remove_rule(client, location, &lb.uuid, &rule.uuid).await?;
        }
    }
    for (target, kept) in lb.targets.iter().zip(&kept_targets) {
        if kept.is_none() {
            api::remove_target(client, location, &lb.uuid, &target.target_uuid).await?;
        }
    }
    for (i, &(source, target)) in rules.iter().enumerate() {
        if !kept_rules.contains(&Some(i)) {
            api::add_rule(client, location, &lb.uuid, source, target).await?;
        }
    }
    for (i, (uuid, kind)) in targets.iter().enumerate() {
        if !kept_targets.contains(&Some(i)) {
            api::add_target(client, location, &lb.uuid, uuid, kind).await?;
        }
    }
    Ok(())
}

/// For each served element, the index of the planned element that means the same.
fn kept(block: &BlockSpec, planned: &[Dyn], served: &[Dyn]) -> Vec<Option<usize>> {
    nested::pair(block, Scope::Configured, planned, served)
        .into_iter()
        .map(|paired| paired.and_then(Pair::same))
        .collect()
}

/// Plan-time checks that the network and every new target exist in the location,
/// so a wrong uuid fails the plan instead of the apply.
async fn check_references(ctx: &ProviderData, plan: &Plan) -> Result<(), OpError> {
    let Views {
        config,
        planned,
        prior,
    } = plan.typed::<LoadBalancerState>()?;
    let Some(location) = planned.location.as_deref() else {
        return Ok(());
    };
    if let Field::Known(uuid) = &config.network_uuid {
        if plan.changes("network_uuid") || plan.changes("location") {
            check_network_uuid(ctx, location, uuid, "network_uuid").await?;
        }
    }
    // The targets the prior state does not have (by identity), or all of them
    // in a new location. Paired as configured: a uuid not known yet is no match.
    let configured = from_config::<LoadBalancerConfig>(&plan.config)?.target;
    let prior = prior
        .map(|p| nested::elements(&p.target))
        .unwrap_or_default();
    let paired = nested::pair(
        &target_block(),
        Scope::Configured,
        &prior,
        &nested::elements(&configured),
    );
    let wanted: Vec<&str> = configured
        .iter()
        .zip(paired)
        .filter(|(_, paired)| plan.changes("location") || paired.is_none())
        .filter_map(|(t, _)| t.target_uuid.as_deref())
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let vms = crate::api::vm::list(&ctx.client, location).await?;
    let missing: Vec<&str> = wanted
        .into_iter()
        .filter(|uuid| !vms.iter().any(|vm| vm.uuid.eq_ignore_ascii_case(uuid)))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(OpError::invalid(
        &format!("{TARGETS}.target_uuid"),
        format!(
            "No VM {} in location {location}: a target must be a VM of the load balancer's location.",
            missing.join(", ")
        ),
    ))
}

#[async_trait]
impl ResourceType for LoadBalancerResource {
    type Platform = ProviderData;
    const NAME: &'static str = "load_balancer";
    type State = LoadBalancerState;
    type Config = LoadBalancerConfig;

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("A network load balancer (TCP only) spreading connections over VMs. Forwarding rules and targets are changed in place, one at a time, without touching the others.")
            .attr(id_attr("The load balancer's uuid."))
            .attr(location_attr())
            .attr(name_attr("Name of the load balancer (the API's `display_name`); changed in place."))
            .attr(billing_account_attr())
            .attr(
                Attr::optional_computed("network_uuid", Ty::String)
                    .desc("Private network the load balancer and its targets are in; defaults to the location's default network. Must be a network of the location (checked at plan time).")
                    .force_new()
                    .stable()
                    .validate(Validator::NotEmpty),
            )
            .attr(
                Attr::optional("reserve_public_ip", Ty::Bool)
                    .desc("Reserve a public (floating) IPv4 address for the load balancer. The API cannot report this setting; after an import it is inferred from whether the load balancer has a public address.")
                    .default(true)
                    .force_new()
                    .not_read_back(),
            )
            .attr(
                Attr::optional("release_public_ip_on_destroy", Ty::Bool)
                    .desc("When the load balancer is destroyed, also release the public address the platform reserved for it (otherwise it stays reserved, unassigned and billed). Changed in place; only affects what destroy does.")
                    .default(true)
                    .not_read_back(),
            )
            .attr(Attr::computed("private_address", Ty::String).desc("Address of the load balancer on its private network.").stable())
            .attr(Attr::computed("public_address", Ty::String).desc("Public IPv4 address (the floating IP assigned to the load balancer); null without one.").stable())
            .attr(created_at_attr())
            .block(rule_block())
            .block(target_block())
            .block(timeouts_block(&["create", "update", "delete"]))
    }

    fn validate(&self, config: &LoadBalancerConfig) -> Vec<OpError> {
        let mut errors = Vec::new();
        let mut ports = HashSet::new();
        for (index, rule) in config.forwarding_rule.iter().enumerate() {
            // As configured: a fraction is the port validator's to report.
            if let Some(port) = rule.source_port.known().map(|port| *port as i64) {
                if !ports.insert(port) {
                    errors.push(OpError::invalid(
                        &format!("{RULES}.{index}.source_port"),
                        format!("Source port {port} is used by more than one forwarding_rule; the load balancer listens on each port once."),
                    ));
                }
            }
        }
        let mut uuids = HashSet::new();
        for (index, target) in config.target.iter().enumerate() {
            if let Some(uuid) = target.target_uuid.known() {
                if !uuids.insert(uuid.to_ascii_lowercase()) {
                    errors.push(OpError::invalid(
                        &format!("{TARGETS}.{index}.target_uuid"),
                        format!("Target {uuid} appears more than once."),
                    ));
                }
            }
        }
        errors
    }

    async fn modify_plan(&self, ctx: &ProviderData, plan: &mut Plan) -> Result<(), OpError> {
        // The framework planned the rules and targets (their declarations).
        check_references(ctx, plan).await
    }

    async fn create(
        &self,
        ctx: &ProviderData,
        planned: LoadBalancerState,
    ) -> Result<LoadBalancerState, OpError> {
        let location = located(&planned.location)?;
        let billing = required_value(planned.billing_account_id, BILLING_ACCOUNT)?;
        let new = NewLoadBalancer {
            name: required(&planned.name, "name")?,
            billing_account_id: billing,
            network_uuid: planned.network_uuid.known().map(String::as_str),
            reserve_public_ip: planned.reserve_public_ip.unwrap_or(true),
            rules: wanted_rules(&planned)?,
            targets: wanted_targets(&planned)?,
        };
        let listed = api::list(&ctx.client, location).await?.into_iter();
        let listed = listed.filter(|lb| !lb.is_deleted);
        let listed = listed.map(|lb| (lb.display_name, lb.uuid));
        super::common::warn_same_named("load balancer", new.name, listed);
        let created = api::create(&ctx.client, location, &new).await?;
        let uuid = created.uuid.clone();
        let minimal = LoadBalancerState {
            id: Field::Known(uuid.clone()),
            location: Some(location.to_owned()),
            name: Some(new.name.to_owned()),
            ..LoadBalancerState::default()
        };
        // The rule uuids (and target addresses) come from a re-read when the create
        // answer lacks them.
        let mut lb = created;
        let complete = settle_state(&planned, lb_state(location, &lb, None, &planned))
            .is_ok_and(|s| is_complete(&s));
        if !complete {
            match api::get(&ctx.client, location, &uuid).await {
                Ok(Some(fresh)) => lb = fresh,
                Ok(None) => {
                    return Err(OpError::new(format!(
                        "Load balancer {uuid} was created but cannot be read back"
                    ))
                    .with_state(&minimal))
                }
                Err(e) => return Err(OpError::from(e).with_state(&minimal)),
            }
        }
        let state = match current_state(ctx, location, &lb, &planned).await {
            Ok(state) => state,
            Err(e) => return Err(e.with_state(&lb_state(location, &lb, None, &planned))),
        };
        settle_state(&planned, state.clone()).map_err(|e| e.with_state(&state))
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        state: LoadBalancerState,
    ) -> Result<Option<LoadBalancerState>, OpError> {
        let (location, uuid) = location_and_id(&state.location, &state.id)?;
        let Some(lb) = api::find(&ctx.client, location, uuid).await? else {
            return Ok(None);
        };
        Ok(Some(current_state(ctx, location, &lb, &state).await?))
    }

    async fn update(
        &self,
        ctx: &ProviderData,
        prior: LoadBalancerState,
        planned: LoadBalancerState,
    ) -> Result<LoadBalancerState, OpError> {
        let (location, uuid) = location_and_id(&prior.location, &prior.id)?;
        let client = &ctx.client;
        if let Some(name) = name_change(&prior.name, &planned.name)? {
            api::rename(client, location, uuid, name).await?;
        }
        if let Some(id) = billing_change(prior.billing_account_id, planned.billing_account_id) {
            api::set_billing_account(client, location, uuid, id).await?;
        }
        let gone = || gone_during_update(&format!("Load balancer {uuid}"));
        // The block matching compares dynamic values (see `settle_state`).
        let same_members = nested::same_elements(
            &rule_block(),
            &nested::elements(&prior.forwarding_rule),
            &nested::elements(&planned.forwarding_rule),
        ) && nested::same_elements(
            &target_block(),
            &nested::elements(&prior.target),
            &nested::elements(&planned.target),
        );
        if !same_members {
            let lb = api::get(client, location, uuid).await?.ok_or_else(gone)?;
            if let Err(e) = sync_members(ctx, location, &lb, &planned).await {
                // Keep what was applied so far.
                return match api::get(client, location, uuid).await {
                    Ok(Some(now)) => {
                        let partial = LoadBalancerState {
                            public_address: prior.public_address.clone(),
                            ..lb_state(location, &now, None, &prior)
                        };
                        Err(e.with_state(&partial))
                    }
                    _ => Err(e),
                };
            }
        }
        let lb = api::find(client, location, uuid).await?.ok_or_else(gone)?;
        let state = current_state(ctx, location, &lb, &planned).await?;
        settle_state(&planned, state.clone()).map_err(|e| e.with_state(&state))
    }

    async fn delete(&self, ctx: &ProviderData, state: &LoadBalancerState) -> Result<(), OpError> {
        let (location, uuid) = location_and_id(&state.location, &state.id)?;
        let client = &ctx.client;
        let release = state.release_public_ip_on_destroy.unwrap_or(true);
        let exists = api::find(client, location, uuid).await?.is_some();
        // The address the platform reserved for the load balancer is known by its
        // assignment only while the load balancer exists.
        let assigned = if release && exists {
            floating_ip::assigned_to(client, location, uuid)
                .await?
                .map(|ip| ip.address)
        } else {
            None
        };
        if exists {
            api::delete(client, location, uuid).await?;
        }
        if !release {
            return Ok(());
        }
        // Deleting leaves the address behind, unassigned and billed (field notes).
        // Without a current assignment (an earlier destroy deleted the load balancer
        // but not its address), the recorded address is released if nothing holds it.
        let address = match assigned {
            Some(address) => Some(address),
            None => match state.public_address.known() {
                Some(recorded) => api::unassigned_ip(client, location, recorded)
                    .await?
                    .map(|ip| ip.address),
                None => None,
            },
        };
        if let Some(address) = address {
            floating_ip::release(client, location, &address)
                .await
                .map_err(|e| {
                    OpError::from(e).detail(format!(
                        "The load balancer is deleted, but its public address {address} could not be released; it stays reserved and billed until released (running destroy again retries)."
                    ))
                })?;
        }
        Ok(())
    }

    async fn import(&self, ctx: &ProviderData, id: &str) -> Result<LoadBalancerState, OpError> {
        let (location, parts) = parse_located_import_id(ctx, id, &["uuid"]).await?;
        let uuid = parts[0].clone();
        let Some(lb) = api::find(&ctx.client, &location, &uuid).await? else {
            return Err(OpError::new(format!(
                "No load balancer {uuid} in location {location:?}"
            )));
        };
        // The API cannot report reserve_public_ip: infer it from the public address.
        let public = floating_ip::assigned_to(&ctx.client, &location, &lb.uuid).await?;
        Ok(LoadBalancerState {
            id: Field::Known(lb.uuid.clone()),
            location: Some(location),
            reserve_public_ip: Some(public.is_some()),
            ..LoadBalancerState::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::typed::state_matches_schema;

    #[test]
    fn state_struct_matches_the_schema() {
        assert_eq!(state_matches_schema(&LoadBalancerResource), Ok(()));
        assert_eq!(
            crate::framework::typed::config_view_matches(&LoadBalancerResource),
            Ok(())
        );
    }

    #[test]
    fn repeated_ports_and_targets_are_named_by_their_index() {
        let rule =
            |port: Dyn| Dyn::Object(crate::obj! { "source_port" => port, "target_port" => 80i64 });
        let target = |uuid: Dyn| Dyn::Object(crate::obj! { "target_uuid" => uuid });
        let config = crate::obj! {
            RULES => vec![rule(Dyn::int(80)), rule(Dyn::Unknown), rule(Dyn::int(80))],
            TARGETS => vec![target(Dyn::str("VM-1")), target(Dyn::Unknown), target(Dyn::str("vm-1"))],
        };
        let errors =
            LoadBalancerResource.validate(&crate::framework::from_config(&config).unwrap());
        let paths: Vec<&str> = errors.iter().map(|e| e.attr.as_str()).collect();
        assert_eq!(
            paths,
            ["forwarding_rule.2.source_port", "target.2.target_uuid"]
        );
        // Not known yet: nothing to check.
        let unknown = crate::obj! { RULES => Dyn::Unknown, TARGETS => Dyn::Unknown };
        assert!(LoadBalancerResource
            .validate(&crate::framework::from_config(&unknown).unwrap())
            .is_empty());
    }
}
