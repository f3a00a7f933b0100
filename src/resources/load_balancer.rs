//! `idcloudhost_load_balancer`: a TCP network load balancer with its forwarding rules
//! and targets.
//!
//! Rules and targets are sets changed in place through their own sub-endpoints, so
//! adding one never re-creates the others. Their computed fields (rule `uuid` and
//! `protocol`, target `target_ip_address`) are carried from the matching prior
//! element at plan time, so unchanged elements show no diff.

use std::collections::HashSet;

use crate::framework::DynamicResource;
use crate::framework::Timeouts;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::common::{
    billing_account_attr, bool_of, changed, check_network_uuid, created_at_attr, i64_of, id_of,
    location_attr, location_of, parse_import_id, required_str, str_of,
};
use crate::api::floating_ip;
use crate::api::load_balancer::{self as api, NewLoadBalancer};
use crate::api::models::floating_ip::FloatingIp;
use crate::api::models::load_balancer::{ForwardingRule, LbTarget, LoadBalancer};
use crate::context::{ProviderData, Shared};
use crate::framework::{
    from_state, non_empty, timeouts_block, to_state, Attr, BlockSpec, Dyn, Nesting, Obj, OpError,
    Plan, ResourceType, SchemaSpec, Ty, Validator,
};
use crate::obj;

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
    pub id: Option<String>,
    pub location: Option<String>,
    pub name: Option<String>,
    pub billing_account_id: Option<i64>,
    pub network_uuid: Option<String>,
    pub reserve_public_ip: Option<bool>,
    pub release_public_ip_on_destroy: Option<bool>,
    pub private_address: Option<String>,
    pub public_address: Option<String>,
    pub created_at: Option<String>,
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
    pub uuid: Option<String>,
    pub protocol: Option<String>,
}

/// One `target` block.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct TargetState {
    pub target_uuid: Option<String>,
    pub target_type: Option<String>,
    pub target_ip_address: Option<String>,
}

pub struct LoadBalancerResource;

fn port_attr(name: &'static str, what: &str) -> Attr {
    Attr::required(name, Ty::Number)
        .desc(what)
        .validate(Validator::IntRange(1, 65535))
}

fn rule_state(rule: &ForwardingRule) -> ForwardingRuleState {
    ForwardingRuleState {
        uuid: non_empty(&rule.uuid),
        protocol: non_empty(&rule.protocol),
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
        target_ip_address: non_empty(&target.target_ip_address),
    }
}

/// The state of `lb` as the API reports it. `prior` supplies what the API may leave
/// out: the name (the documents' list and get examples have no `display_name`) and
/// the network (their examples show the load balancer's own uuid there).
fn lb_state(
    location: &str,
    lb: &LoadBalancer,
    public: Option<&FloatingIp>,
    prior: &Obj,
) -> Result<Obj, OpError> {
    let prior: LoadBalancerState = from_state(prior)?;
    let name = non_empty(&lb.display_name).or(prior.name);
    let network_uuid =
        if lb.network_uuid.is_empty() || lb.network_uuid.eq_ignore_ascii_case(&lb.uuid) {
            prior.network_uuid
        } else {
            Some(lb.network_uuid.clone())
        };
    let billing_account_id = if lb.billing_account_id > 0 {
        Some(lb.billing_account_id)
    } else {
        prior.billing_account_id
    };
    Ok(to_state(&LoadBalancerState {
        id: Some(lb.uuid.clone()),
        location: Some(location.to_owned()),
        name,
        billing_account_id,
        network_uuid,
        private_address: non_empty(&lb.private_address),
        public_address: public.map(|ip| ip.address.clone()),
        created_at: non_empty(&lb.created_at),
        forwarding_rule: lb.forwarding_rules.iter().map(rule_state).collect(),
        target: lb.targets.iter().map(target_state).collect(),
        ..LoadBalancerState::default()
    }))
}

fn items<'a>(obj: &'a Obj, block: &str) -> &'a [Dyn] {
    obj.get(block).map(Dyn::as_list).unwrap_or(&[])
}

/// `(source_port, target_port)` of a rule element, when both are known.
fn rule_key(rule: &Dyn) -> Option<(i64, i64)> {
    Some((
        rule.get("source_port").as_i64()?,
        rule.get("target_port").as_i64()?,
    ))
}

/// The target type of a target element: the configured one, `vm` when unset.
fn target_type_of(target: &Dyn) -> Dyn {
    match target.get("target_type") {
        Dyn::Null => Dyn::str(TARGET_TYPE_VM),
        other => other.clone(),
    }
}

/// `(target_uuid, target_type)` of a target element, when both are known.
fn target_key(target: &Dyn) -> Option<(String, String)> {
    Some((
        target.get("target_uuid").as_str()?.to_ascii_lowercase(),
        target_type_of(target).as_str()?.to_owned(),
    ))
}

/// Planned elements of a set block: each configured element with its computed
/// fields copied from the matching prior element (matched on `key`, the configured
/// fields), unknown for a new element.
fn plan_block<K: PartialEq>(
    config: &[Dyn],
    prior: &[Dyn],
    key: impl Fn(&Dyn) -> Option<K>,
    configured: impl Fn(&Dyn) -> Obj,
    computed: &[&str],
) -> Vec<Dyn> {
    let mut used = vec![false; prior.len()];
    config
        .iter()
        .map(|element| {
            let mut planned = configured(element);
            let wanted = key(&Dyn::Object(planned.clone()));
            let matched = wanted.and_then(|wanted| {
                (0..prior.len()).find(|&i| !used[i] && key(&prior[i]).as_ref() == Some(&wanted))
            });
            for name in computed {
                let value = match matched {
                    Some(i) => prior[i].get(name).clone(),
                    None => Dyn::Unknown,
                };
                planned.insert((*name).to_owned(), value);
            }
            if let Some(i) = matched {
                used[i] = true;
            }
            Dyn::Object(planned)
        })
        .collect()
}

fn planned_rules(config: &[Dyn], prior: &[Dyn]) -> Vec<Dyn> {
    plan_block(
        config,
        prior,
        rule_key,
        |c| {
            obj! {
                "source_port" => c.get("source_port").clone(),
                "target_port" => c.get("target_port").clone(),
            }
        },
        &["uuid", "protocol"],
    )
}

fn planned_targets(config: &[Dyn], prior: &[Dyn]) -> Vec<Dyn> {
    plan_block(
        config,
        prior,
        target_key,
        |c| {
            obj! {
                "target_uuid" => c.get("target_uuid").clone(),
                "target_type" => target_type_of(c),
            }
        },
        &["target_ip_address"],
    )
}

/// Completes the planned elements of a block with what the API reports: known
/// planned values are kept as they are (they are what was sent, and Terraform holds
/// the apply to them); unknown ones come from the API element matched by `matches`.
fn settle_block(
    planned: &[Dyn],
    actual: &[Dyn],
    matches: impl Fn(&Dyn, &Dyn) -> bool,
    what: &str,
) -> Result<Vec<Dyn>, OpError> {
    planned
        .iter()
        .map(|p| {
            if p.is_wholly_known() {
                return Ok(p.clone());
            }
            let found = actual.iter().find(|a| matches(p, a)).ok_or_else(|| {
                OpError::new(format!(
                    "The API does not report the {what} {} after applying it",
                    describe(p)
                ))
            })?;
            let mut out = p.as_obj().cloned().unwrap_or_default();
            for (name, value) in out.iter_mut() {
                if value.is_unknown() {
                    *value = found.get(name).clone();
                }
            }
            Ok(Dyn::Object(out))
        })
        .collect()
}

fn describe(element: &Dyn) -> String {
    match (rule_key(element), element.get("target_uuid").as_str()) {
        (Some((s, t)), _) => format!("{s} -> {t}"),
        (None, Some(uuid)) => uuid.to_owned(),
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
    // Rules are matched on the source port: a load balancer listens once per port,
    // and the port sent is what counts (the documented create example shows another
    // target port back than the one sent, a documentation slip).
    let rules = settle_block(
        items(planned, RULES),
        items(&actual, RULES),
        |p, a| p.get("source_port") == a.get("source_port"),
        "forwarding rule",
    )?;
    let targets = settle_block(
        items(planned, TARGETS),
        items(&actual, TARGETS),
        |p, a| match (p.get("target_uuid").as_str(), a.get("target_uuid").as_str()) {
            (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
            _ => false,
        },
        "target",
    )?;
    out.insert(RULES.into(), Dyn::List(rules));
    out.insert(TARGETS.into(), Dyn::List(targets));
    Ok(out)
}

/// True when the API answer had everything the state needs (rule uuids, the
/// private address), so no re-read is needed.
fn is_complete(state: &Obj) -> bool {
    !state.get("private_address").is_none_or(Dyn::is_null)
        && items(state, RULES)
            .iter()
            .all(|r| r.get("uuid").as_str().is_some())
}

fn wanted_rules(planned: &Obj) -> Result<Vec<(i64, i64)>, OpError> {
    items(planned, RULES)
        .iter()
        .map(|r| {
            rule_key(r).ok_or_else(|| {
                OpError::new("A forwarding rule's ports are not known at apply time").at(RULES)
            })
        })
        .collect()
}

fn wanted_targets(planned: &Obj) -> Result<Vec<(String, String)>, OpError> {
    items(planned, TARGETS)
        .iter()
        .map(
            |t| match (t.get("target_uuid").as_str(), target_type_of(t).as_str()) {
                (Some(uuid), Some(kind)) => Ok((uuid.to_owned(), kind.to_owned())),
                _ => Err(OpError::new("A target is not known at apply time").at(TARGETS)),
            },
        )
        .collect()
}

async fn current_state(
    ctx: &ProviderData,
    location: &str,
    lb: &LoadBalancer,
    prior: &Obj,
) -> Result<Obj, OpError> {
    let public = floating_ip::assigned_to(&ctx.client, location, &lb.uuid).await?;
    lb_state(location, lb, public.as_ref(), prior)
}

/// Brings the rules and targets of the load balancer to the planned sets through
/// the add/remove sub-endpoints, diffing against what the API reports now; elements
/// in both are left alone.
async fn sync_members(
    ctx: &ProviderData,
    location: &str,
    lb: &LoadBalancer,
    planned: &Obj,
) -> Result<(), OpError> {
    let client = &ctx.client;
    let rules = wanted_rules(planned)?;
    let targets = wanted_targets(planned)?;
    // Removals first: a rule changing its target port is dropped and added again,
    // and the API refuses two rules on one source port.
    for rule in &lb.forwarding_rules {
        if !rules.contains(&(rule.source_port, rule.target_port)) {
            api::remove_rule(client, location, &lb.uuid, &rule.uuid).await?;
        }
    }
    for target in &lb.targets {
        let keep = targets
            .iter()
            .any(|(uuid, _)| uuid.eq_ignore_ascii_case(&target.target_uuid));
        if !keep {
            api::remove_target(client, location, &lb.uuid, &target.target_uuid).await?;
        }
    }
    for &(source, target) in &rules {
        if lb.find_rule(source, target).is_none() {
            api::add_rule(client, location, &lb.uuid, source, target).await?;
        }
    }
    for (uuid, kind) in &targets {
        let present = lb
            .targets
            .iter()
            .any(|t| t.target_uuid.eq_ignore_ascii_case(uuid));
        if !present {
            api::add_target(client, location, &lb.uuid, uuid, kind).await?;
        }
    }
    Ok(())
}

type MemberKeys = (Vec<Option<(i64, i64)>>, Vec<Option<(String, String)>>);

/// The configured fields of every rule and target, to tell whether they change.
fn member_keys(obj: &Obj) -> MemberKeys {
    let mut rules: Vec<_> = items(obj, RULES).iter().map(rule_key).collect();
    let mut targets: Vec<_> = items(obj, TARGETS).iter().map(target_key).collect();
    rules.sort();
    targets.sort();
    (rules, targets)
}

/// Plan-time checks that the network and every new target exist in the location,
/// so a wrong uuid fails the plan instead of the apply.
async fn check_references(ctx: &ProviderData, plan: &Plan) -> Result<(), OpError> {
    let Some(location) = plan.planned("location").as_str() else {
        return Ok(());
    };
    if let Dyn::String(uuid) = plan.config("network_uuid") {
        if plan.changes("network_uuid") || plan.changes("location") {
            check_network_uuid(ctx, location, uuid, "network_uuid").await?;
        }
    }
    let prior = plan.prior.clone().unwrap_or_default();
    let known_before: Vec<String> = items(&prior, TARGETS)
        .iter()
        .filter_map(|t| t.get("target_uuid").as_str().map(str::to_ascii_lowercase))
        .collect();
    let wanted: Vec<&str> = plan
        .config(TARGETS)
        .as_list()
        .iter()
        .filter_map(|t| t.get("target_uuid").as_str())
        .filter(|uuid| {
            plan.changes("location") || !known_before.contains(&uuid.to_ascii_lowercase())
        })
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
    const NAME: &'static str = "load_balancer";
    type State = LoadBalancerState;

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("A network load balancer (TCP only) spreading connections over VMs. Forwarding rules and targets are changed in place, one at a time, without touching the others.")
            .attr(Attr::computed("id", Ty::String).desc("The load balancer's uuid.").stable())
            .attr(location_attr())
            .attr(
                Attr::required("name", Ty::String)
                    .desc("Name of the load balancer (the API's `display_name`); changed in place.")
                    .validate(Validator::NotEmpty),
            )
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
            .block(
                BlockSpec::new(
                    RULES,
                    Nesting::Set,
                    vec![
                        port_attr("source_port", "Port the load balancer listens on (1-65535)."),
                        port_attr("target_port", "Port on the targets the connections go to (1-65535)."),
                        Attr::computed("uuid", Ty::String).desc("The rule's uuid."),
                        Attr::computed("protocol", Ty::String).desc("Protocol, as the API reports it (`TCP`: the only one offered)."),
                    ],
                )
                .desc("A TCP port forwarding rule. Added and removed in place; each source port can appear once."),
            )
            .block(
                BlockSpec::new(
                    TARGETS,
                    Nesting::Set,
                    vec![
                        Attr::required("target_uuid", Ty::String)
                            .desc("Uuid of the VM receiving connections; it must be in the load balancer's network. A uuid that is not a VM of the location is a plan-time error.")
                            .validate(Validator::NotEmpty),
                        Attr::optional_computed("target_type", Ty::String)
                            .desc("Kind of target: `vm` (the default and only kind).")
                            .validate(Validator::OneOf(&[TARGET_TYPE_VM])),
                        Attr::computed("target_ip_address", Ty::String).desc("The target's private address, as the API reports it."),
                    ],
                )
                .desc("A backend of the load balancer. Added and removed in place; the other targets are untouched."),
            )
            .block(timeouts_block(&["create", "update", "delete"]))
    }

    fn validate(&self, config: &Obj) -> Vec<OpError> {
        let mut errors = Vec::new();
        let mut ports = HashSet::new();
        for (index, rule) in items(config, RULES).iter().enumerate() {
            if let Some(port) = rule.get("source_port").as_i64() {
                if !ports.insert(port) {
                    errors.push(OpError::invalid(
                        &format!("{RULES}.{index}.source_port"),
                        format!("Source port {port} is used by more than one forwarding_rule; the load balancer listens on each port once."),
                    ));
                }
            }
        }
        let mut uuids = HashSet::new();
        for (index, target) in items(config, TARGETS).iter().enumerate() {
            if let Some(uuid) = target.get("target_uuid").as_str() {
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
        check_references(ctx, plan).await?;
        let prior = plan.prior.clone().unwrap_or_default();
        if let Dyn::List(config) = plan.config(RULES).clone() {
            let rules = planned_rules(&config, items(&prior, RULES));
            plan.set(RULES, rules);
        }
        if let Dyn::List(config) = plan.config(TARGETS).clone() {
            let targets = planned_targets(&config, items(&prior, TARGETS));
            plan.set(TARGETS, targets);
        }
        Ok(())
    }

    async fn create(&self, ctx: &ProviderData, planned: &Obj) -> Result<Obj, OpError> {
        let location = location_of(planned)?;
        let billing = i64_of(planned, "billing_account_id").ok_or_else(|| {
            OpError::new("billing_account_id is not set").at("billing_account_id")
        })?;
        let new = NewLoadBalancer {
            name: required_str(planned, "name")?,
            billing_account_id: billing,
            network_uuid: str_of(planned, "network_uuid"),
            reserve_public_ip: bool_of(planned, "reserve_public_ip").unwrap_or(true),
            rules: wanted_rules(planned)?,
            targets: wanted_targets(planned)?,
        };
        let same_named = api::list(&ctx.client, location).await?.into_iter();
        super::common::warn_same_named(
            "load balancer",
            new.name,
            same_named
                .filter(|lb| lb.display_name == new.name && !lb.is_deleted)
                .map(|lb| lb.uuid)
                .collect(),
        );
        let created = api::create(&ctx.client, location, &new).await?;
        let uuid = created.uuid.clone();
        let minimal = obj! { "id" => uuid.clone(), "location" => location, "name" => new.name };
        // The rule uuids (and target addresses) come from a re-read when the create
        // answer lacks them.
        let mut lb = created;
        let complete = lb_state(location, &lb, None, planned)
            .and_then(|s| settle(planned, s))
            .is_ok_and(|s| is_complete(&s));
        if !complete {
            match api::get(&ctx.client, location, &uuid).await {
                Ok(Some(fresh)) => lb = fresh,
                Ok(None) => {
                    return Err(OpError::new(format!(
                        "Load balancer {uuid} was created but cannot be read back"
                    ))
                    .with_state(minimal))
                }
                Err(e) => return Err(OpError::from(e).with_state(minimal)),
            }
        }
        let state = match current_state(ctx, location, &lb, planned).await {
            Ok(state) => state,
            Err(e) => {
                return Err(e.with_state(
                    lb_state(location, &lb, None, planned).unwrap_or_else(|_| minimal.clone()),
                ))
            }
        };
        settle(planned, state.clone()).map_err(|e| e.with_state(state))
    }

    async fn read(&self, ctx: &ProviderData, state: &Obj) -> Result<Option<Obj>, OpError> {
        let location = location_of(state)?;
        let Some(lb) = api::find(&ctx.client, location, id_of(state)?).await? else {
            return Ok(None);
        };
        Ok(Some(current_state(ctx, location, &lb, state).await?))
    }

    async fn update(&self, ctx: &ProviderData, prior: &Obj, planned: &Obj) -> Result<Obj, OpError> {
        let location = location_of(prior)?;
        let uuid = id_of(prior)?;
        let client = &ctx.client;
        if changed(prior, planned, "name") {
            api::rename(client, location, uuid, required_str(planned, "name")?).await?;
        }
        if changed(prior, planned, "billing_account_id") {
            if let Some(id) = i64_of(planned, "billing_account_id") {
                api::set_billing_account(client, location, uuid, id).await?;
            }
        }
        let gone = || {
            OpError::new(format!(
                "Load balancer {uuid} disappeared during the update"
            ))
        };
        if member_keys(prior) != member_keys(planned) {
            let lb = api::get(client, location, uuid).await?.ok_or_else(gone)?;
            if let Err(e) = sync_members(ctx, location, &lb, planned).await {
                // Keep what was applied so far.
                return match api::get(client, location, uuid).await {
                    Ok(Some(now)) => {
                        let mut partial =
                            lb_state(location, &now, None, prior).unwrap_or_else(|_| prior.clone());
                        partial.insert(
                            "public_address".into(),
                            prior.get("public_address").cloned().unwrap_or_default(),
                        );
                        Err(e.with_state(partial))
                    }
                    _ => Err(e),
                };
            }
        }
        let lb = api::find(client, location, uuid).await?.ok_or_else(gone)?;
        let state = current_state(ctx, location, &lb, planned).await?;
        settle(planned, state.clone()).map_err(|e| e.with_state(state))
    }

    async fn delete(&self, ctx: &ProviderData, state: &Obj) -> Result<(), OpError> {
        let location = location_of(state)?;
        let uuid = id_of(state)?;
        let client = &ctx.client;
        let release = bool_of(state, "release_public_ip_on_destroy").unwrap_or(true);
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
            None => match str_of(state, "public_address") {
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

    async fn import(&self, ctx: &ProviderData, id: &str) -> Result<Obj, OpError> {
        let (location, parts) = parse_import_id(id, &["uuid"], true)?;
        let location = ctx.resolve_location(location.as_deref()).await?;
        let uuid = parts[0].clone();
        let Some(lb) = api::find(&ctx.client, &location, &uuid).await? else {
            return Err(OpError::new(format!(
                "No load balancer {uuid} in location {location:?}"
            )));
        };
        // The API cannot report reserve_public_ip: infer it from the public address.
        let public = floating_ip::assigned_to(&ctx.client, &location, &lb.uuid).await?;
        Ok(obj! {
            "id" => lb.uuid.clone(),
            "location" => location,
            "reserve_public_ip" => public.is_some(),
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
    }
}
