//! `idcloudhost_firewall` (a firewall and its rules) and
//! `idcloudhost_firewall_attachment` (a firewall assigned to a VM).
//!
//! Rules are a set: the platform evaluates every rule and returns them in its own
//! order. The `rule` block is declared (`rule_block`: identity, semantics, the
//! meaning of an omitted `port_end`), and the framework (`framework::nested`) keeps
//! the configuration's spelling (plans) and the prior state's (reads) wherever what
//! the API reports means the same thing, so these never show a diff:
//! another rule order, `10.0.0.1` for `10.0.0.1/32`, prefixes in another order,
//! `endpoint_spec: null` for "any". An omitted `port_end` means `port_start` (one
//! port), so any other range on the server is drift.

use crate::framework::Timeouts;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::common::{
    billing_account_attr, billing_change, check_reference, created_at_attr, id_attr, import_uuid,
    located, location_and_id, location_attr, name_attr, parse_located_import_id, reported_billing,
    vm_labels, Referenced, COMMUNITY_NAMES_VERSION,
};
use crate::api::firewall::{self as api, RuleInput, Update};
use crate::api::models::firewall::{Firewall, FirewallRule};
use crate::api::Feature;
use crate::api::NotFoundExt;
use crate::context::{ProviderData, Shared};
use crate::framework::nested::{self, Pair, Scope};
use crate::framework::DynamicResource;
use crate::framework::{
    from_config, non_empty, required, timeouts_block, to_state, Attr, BlockSpec, Dyn, Field,
    Identity, Nesting, NoChecks, Obj, OpError, Plan, ResourceType, SchemaSpec, Semantic, Ty,
    Validator,
};

/// The resource types this module defines.
pub fn resources(shared: &Shared) -> Vec<(String, Box<dyn DynamicResource>)> {
    vec![
        super::register(FirewallResource, shared),
        super::register(FirewallAttachmentResource, shared),
    ]
}

const DIRECTIONS: &[&str] = &["inbound", "outbound"];
const PROTOCOLS: &[&str] = &["tcp", "udp", "icmp"];
const MAX_PORT: i64 = 65535;

// ---------------------------------------------------------------------------------
// Rules: state shape, meaning, matching

/// A rule as stored in state, from the API's representation.
fn rule_state(rule: &FirewallRule) -> FirewallRuleState {
    let ip_prefixes = match &rule.endpoint_spec {
        Some(list) if rule.endpoint_spec_type != "any" && !list.is_empty() => Some(list.clone()),
        _ => None,
    };
    FirewallRuleState {
        direction: Some(rule.direction.clone()),
        protocol: Some(rule.protocol.clone()),
        port_start: rule.port_start,
        // No port_end from the API means a single port.
        port_end: rule.port_end.or(rule.port_start),
        ip_prefixes,
    }
}

/// What a rule's meaning reads of an element (in its canonical form).
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct RulePorts {
    protocol: Field<String>,
    port_start: Field<f64>,
    port_end: Field<f64>,
}

/// What a rule means beyond each attribute's own semantics: ICMP has no ports,
/// and 1-65535 is every port (no port given).
fn rule_meaning(rule: &mut Obj) {
    let Ok(mut ports) = from_config::<RulePorts>(rule) else {
        return;
    };
    let whole = |port: &Field<f64>| port.known().map(|p| *p as i64);
    let icmp = ports.protocol.as_deref() == Some("icmp");
    let every_port =
        whole(&ports.port_start) == Some(1) && whole(&ports.port_end) == Some(MAX_PORT);
    if icmp || every_port {
        ports.port_start = Field::Null;
        ports.port_end = Field::Null;
        rule.extend(to_state(&ports));
    }
}

/// The rules of a planned state as the API takes them (a planned value not known
/// yet reads as `None`: a `port_end` the server then chooses).
fn rule_inputs(rules: &[FirewallRuleState]) -> Result<Vec<RuleInput>, OpError> {
    rules
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let text = |value: &Option<String>, name: &str| {
                value
                    .clone()
                    .ok_or_else(|| OpError::new(format!("rule.{i}.{name} is not set")))
            };
            Ok(RuleInput {
                uuid: None,
                direction: text(&rule.direction, "direction")?,
                protocol: text(&rule.protocol, "protocol")?,
                port_start: rule.port_start,
                port_end: rule.port_end,
                ip_prefixes: rule.ip_prefixes.clone().unwrap_or_default(),
            })
        })
        .collect()
}

/// A rule exactly as the API holds it, to send back unchanged.
fn rule_input_from_api(rule: &FirewallRule) -> RuleInput {
    RuleInput {
        uuid: non_empty(&rule.uuid),
        direction: rule.direction.clone(),
        protocol: rule.protocol.clone(),
        port_start: rule.port_start,
        port_end: rule.port_end,
        ip_prefixes: match &rule.endpoint_spec {
            Some(list) if rule.endpoint_spec_type != "any" => list.clone(),
            _ => Vec::new(),
        },
    }
}

/// A `rule` block as configured (or planned), for the checks: any value may be
/// unknown, and a port is the number as written (a fraction is reported, not
/// truncated).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct RuleConfig {
    pub direction: Field<String>,
    pub protocol: Field<String>,
    pub port_start: Field<f64>,
    pub port_end: Field<f64>,
    pub ip_prefixes: Field<Vec<Field<String>>>,
}

impl RuleConfig {
    fn is_wholly_known(&self) -> bool {
        let prefixes = match &self.ip_prefixes {
            Field::Unknown => false,
            Field::Null => true,
            Field::Known(items) => items.iter().all(|p| !p.is_unknown()),
        };
        prefixes
            && !self.direction.is_unknown()
            && !self.protocol.is_unknown()
            && !self.port_start.is_unknown()
            && !self.port_end.is_unknown()
    }
}

/// What the checks read of a firewall's configuration (or plan): its rules, when
/// known.
#[derive(Serialize, Deserialize, Debug, Default)]
#[serde(default)]
pub struct FirewallConfig {
    pub rule: Field<Vec<RuleConfig>>,
}

/// A rule in words, for error messages: "the inbound tcp rule for ports 80-90 from
/// 10.0.0.0/24".
fn describe_rule(rule: &RuleConfig) -> String {
    let text = |value: &Field<String>| value.known().map_or("?", String::as_str).to_owned();
    let port = |value: &Field<f64>| match value {
        Field::Known(n) => Some(n.to_string()),
        Field::Unknown => Some("(unknown)".to_owned()),
        Field::Null => None,
    };
    let ports = match (port(&rule.port_start), port(&rule.port_end)) {
        (Some(a), Some(b)) if a != b => format!(" for ports {a}-{b}"),
        (Some(a), _) => format!(" for port {a}"),
        (None, Some(b)) => format!(" with port_end {b}"),
        (None, None) => String::new(),
    };
    let prefixes = match rule.ip_prefixes.known() {
        Some(items) if !items.is_empty() => {
            let word = if text(&rule.direction) == "outbound" {
                "to"
            } else {
                "from"
            };
            let list: Vec<&str> = items
                .iter()
                .map(|p| p.known().map_or("(unknown)", String::as_str))
                .collect();
            format!(" {word} {}", list.join(", "))
        }
        _ => String::new(),
    };
    format!(
        "the {} {} rule{ports}{prefixes}",
        text(&rule.direction),
        text(&rule.protocol)
    )
}

/// Plan-time checks of every rule. Terraform sends the `rule` set in its own order, and
/// it maps an index in an error's path to the n-th block in the file: the index is
/// only given when there is a single rule (so the error points at the right line);
/// otherwise the path is `rule.<attribute>` and the message says which rule.
fn check_rules(rules: &[RuleConfig]) -> Vec<OpError> {
    let mut errors = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let mut problems: Vec<(&str, String)> = Vec::new();
        // The attributes' own checks, on Terraform's values (unknowns pass).
        let mut check = |name: &'static str, validator: Validator, value: Dyn| {
            if let Err(message) = validator.check(&value) {
                problems.push((name, message));
            }
        };
        check(
            "direction",
            Validator::OneOf(DIRECTIONS),
            rule.direction.to_dyn(),
        );
        check(
            "protocol",
            Validator::OneOf(PROTOCOLS),
            rule.protocol.to_dyn(),
        );
        let port = || Validator::IntRange(1, MAX_PORT);
        check("port_start", port(), rule.port_start.to_dyn());
        check("port_end", port(), rule.port_end.to_dyn());
        let prefixes = Validator::each(Validator::IpOrCidr);
        check("ip_prefixes", prefixes, rule.ip_prefixes.to_dyn());
        let (start, end) = (&rule.port_start, &rule.port_end);
        if rule.protocol.as_deref() == Some("icmp") {
            for (name, value) in [("port_start", start), ("port_end", end)] {
                if !value.is_null() {
                    problems.push((name, format!("ICMP has no ports: remove {name}.")));
                }
            }
        } else {
            match (start, end) {
                (Field::Null, Field::Known(_)) => problems.push((
                    "port_start",
                    "port_end is set without port_start. Set port_start too, or omit both for every port.".to_owned(),
                )),
                (Field::Known(a), Field::Known(b)) if a > b => problems.push((
                    "port_start",
                    format!("port_start ({a}) is greater than port_end ({b})."),
                )),
                _ => {}
            }
        }
        for (name, message) in problems {
            let path = if rules.len() == 1 {
                format!("rule.{i}.{name}")
            } else {
                format!("rule.{name}")
            };
            errors.push(OpError::invalid(
                &path,
                format!("{message} (In {}.)", describe_rule(rule)),
            ));
        }
    }
    errors
}

// ---------------------------------------------------------------------------------
// idcloudhost_firewall

/// The state of an `idcloudhost_firewall`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct FirewallState {
    pub id: Option<String>,
    pub location: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub billing_account_id: Option<i64>,
    pub created_at: Option<String>,
    pub rule: Vec<FirewallRuleState>,
    pub timeouts: Vec<Timeouts>,
}

/// One `rule` block of a firewall.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct FirewallRuleState {
    pub direction: Option<String>,
    pub protocol: Option<String>,
    pub port_start: Option<i64>,
    pub port_end: Option<i64>,
    pub ip_prefixes: Option<Vec<String>>,
}

#[derive(Default)]
pub struct FirewallResource;

fn rule_block() -> BlockSpec {
    BlockSpec::new(
        "rule",
        Nesting::Set,
        vec![
            Attr::required("direction", Ty::String)
                .desc("`inbound` or `outbound`.")
                .semantic(Semantic::CaseInsensitive),
            Attr::required("protocol", Ty::String)
                .desc("`tcp`, `udp` or `icmp`.")
                .semantic(Semantic::CaseInsensitive),
            Attr::optional("port_start", Ty::Number)
                .desc("First port (1-65535). Omit it for every port; ICMP rules take no ports."),
            // Omitted: one port, whatever range the server holds now or held
            // before, so a wider range on the server is drift.
            Attr::optional_computed("port_end", Ty::Number)
                .desc("Last port (1-65535, not below `port_start`). Omitted: `port_start` (a single port).")
                .default_from("port_start"),
            Attr::optional("ip_prefixes", Ty::list(Ty::String))
                .desc("IPv4/IPv6 addresses or CIDR prefixes the rule applies to (the source of inbound, the destination of outbound traffic). Empty or omitted: any address.")
                .semantic(Semantic::CidrSet),
        ],
    )
    // A rule for these ports of this protocol, this way; the prefixes are what
    // may drift. Rules with the same identity and other prefixes may coexist.
    .identity(&["direction", "protocol", "port_start"])
    .meaning(rule_meaning)
    .desc("A traffic rule; the order does not matter (every rule is evaluated). Changed in place.")
}

/// The state of a firewall as the API reports it, with what it leaves out taken
/// from `reference` (the plan after a write, the prior state on refresh, nothing
/// on import). The rules are the server's: the framework keeps the reference's
/// spelling of those that mean the same (`rule_block`'s declaration).
fn firewall_state(
    location: &str,
    fw: &Firewall,
    reference: &FirewallState,
) -> Result<FirewallState, OpError> {
    let prior = reference.clone();
    // Live reads may carry no description at all: keep what Terraform knows then.
    let description = match fw.description.as_deref() {
        Some("") if prior.description.as_deref() == Some("") => Some(String::new()),
        Some(text) => non_empty(text),
        None => prior.description,
    };
    let billing_account_id = reported_billing(fw.billing_account_id, prior.billing_account_id);
    Ok(FirewallState {
        id: Some(fw.uuid.clone()),
        location: Some(location.to_owned()),
        name: Some(fw.display_name().to_owned()),
        description,
        billing_account_id,
        created_at: non_empty(&fw.created_at),
        rule: fw.rules.iter().map(rule_state).collect(),
        timeouts: Vec::new(),
    })
}

#[async_trait]
impl ResourceType for FirewallResource {
    type Platform = ProviderData;
    const NAME: &'static str = "firewall";
    type State = FirewallState;
    type Config = FirewallConfig;
    const FEATURE: Option<Feature> = Some(Feature::Firewalls);

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("A firewall: a set of inbound and outbound traffic rules, applied to the VMs it is attached to (`idcloudhost_firewall_attachment`). Not available on elastis.id.")
            .with_version(COMMUNITY_NAMES_VERSION)
            .attr(id_attr("The firewall's uuid."))
            .attr(location_attr())
            .attr(name_attr("Name of the firewall; changed in place."))
            .attr(Attr::optional("description", Ty::String).desc("Free-text description; changed in place."))
            .attr(billing_account_attr())
            .attr(created_at_attr())
            .block(rule_block())
            .block(timeouts_block(&["create", "update", "delete"]))
    }

    fn validate(&self, config: &FirewallConfig) -> Vec<OpError> {
        // The rule checks live here rather than on the attributes: see check_rules.
        check_rules(config.rule.known().map_or(&[], Vec::as_slice))
    }

    async fn modify_plan(&self, _ctx: &ProviderData, plan: &mut Plan) -> Result<(), OpError> {
        // The framework planned the rules from the configuration (port_end
        // defaults to port_start). Two blocks that say the same once port_end is
        // filled in are one rule written twice; the set cannot hold both. Read as
        // the checks read them: what is not known yet stays unknown.
        if let Field::Known(_) = from_config::<FirewallConfig>(&plan.config)?.rule {
            let planned = from_config::<FirewallConfig>(&plan.planned)?.rule;
            let planned = planned.known().map_or(&[][..], Vec::as_slice);
            for (i, rule) in planned.iter().enumerate() {
                if rule.is_wholly_known() && planned[..i].contains(rule) {
                    return Err(OpError::invalid(
                        "rule",
                        format!(
                            "{} is written twice (an omitted port_end means port_end = port_start). Remove one of the blocks.",
                            describe_rule(rule)
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    async fn create(
        &self,
        ctx: &ProviderData,
        planned: FirewallState,
    ) -> Result<FirewallState, OpError> {
        let location = located(&planned.location)?;
        let name = required(&planned.name, "name")?;
        let rules = rule_inputs(&planned.rule)?;
        let listed = api::list(&ctx.client, location).await?.into_iter();
        let listed = listed.map(|f| (f.display_name().to_owned(), f.uuid));
        super::common::warn_same_named("firewall", name, listed);
        let created = api::create(
            &ctx.client,
            location,
            name,
            planned.billing_account_id,
            &rules,
        )
        .await?;
        let state = firewall_state(location, &created, &planned)?;
        let description = planned.description.as_deref().unwrap_or("");
        if description.is_empty() || created.description.as_deref() == Some(description) {
            return Ok(state);
        }
        // The documented create call takes no description: an update sets it, sending
        // the rules back exactly as the server holds them.
        let keep: Vec<RuleInput> = created.rules.iter().map(rule_input_from_api).collect();
        let update = Update {
            name,
            description,
            billing_account_id: None,
            rules: &keep,
        };
        match api::update(&ctx.client, location, &created.uuid, &update).await {
            Ok(updated) => firewall_state(location, &updated, &planned),
            Err(e) => {
                let partial = FirewallState {
                    description: None,
                    ..state
                };
                Err(OpError::from(e)
                    .context("Setting the new firewall's description")
                    .with_state(&partial))
            }
        }
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        state: FirewallState,
    ) -> Result<Option<FirewallState>, OpError> {
        let (location, uuid) = location_and_id(&state.location, &state.id)?;
        api::find(&ctx.client, location, uuid)
            .await?
            .map(|fw| firewall_state(location, &fw, &state))
            .transpose()
    }

    async fn update(
        &self,
        ctx: &ProviderData,
        prior: FirewallState,
        planned: FirewallState,
    ) -> Result<FirewallState, OpError> {
        let (location, uuid) = location_and_id(&prior.location, &prior.id)?;
        let current = api::find(&ctx.client, location, uuid)
            .await?
            .ok_or_else(|| {
                OpError::new("The firewall no longer exists")
                    .detail("It was deleted outside Terraform; the next plan creates it again.")
            })?;
        let planned_rules = nested::elements(&planned.rule);
        let mut rules = rule_inputs(&planned.rule)?;
        // Rules that stay keep their uuid (the update replaces the whole rule list).
        let existing = nested::elements(current.rules.iter().map(rule_state));
        let paired = nested::pair(&rule_block(), Scope::All, &planned_rules, &existing);
        for (served, paired) in current.rules.iter().zip(paired) {
            if let Some(i) = paired.and_then(Pair::same) {
                rules[i].uuid = non_empty(&served.uuid);
            }
        }
        let billing = billing_change(prior.billing_account_id, planned.billing_account_id);
        let update = Update {
            name: required(&planned.name, "name")?,
            description: planned.description.as_deref().unwrap_or(""),
            billing_account_id: billing,
            rules: &rules,
        };
        let updated = api::update(&ctx.client, location, uuid, &update).await?;
        let state = firewall_state(location, &updated, &planned)?;
        if let Some(wanted) = billing {
            // 0: the answer does not report it (nothing to check against).
            if updated.billing_account_id > 0 && updated.billing_account_id != wanted {
                return Err(OpError::new(
                    "The API did not move the firewall to the new billing account",
                )
                .detail(format!(
                    "Asked for billing account {wanted}; the firewall is still charged to {}.",
                    updated.billing_account_id
                ))
                .with_state(&state));
            }
        }
        Ok(state)
    }

    async fn delete(&self, ctx: &ProviderData, state: &FirewallState) -> Result<(), OpError> {
        let (location, uuid) = location_and_id(&state.location, &state.id)?;
        Ok(api::delete(&ctx.client, location, uuid)
            .await
            .ok_if_not_found()?)
    }

    /// The VMs it is attached to.
    async fn blocked_by(
        &self,
        ctx: &ProviderData,
        state: &FirewallState,
    ) -> Result<Option<OpError>, OpError> {
        let (location, uuid) = location_and_id(&state.location, &state.id)?;
        let Some(fw) = api::find(&ctx.client, location, uuid).await? else {
            return Ok(None);
        };
        let vms: Vec<&str> = fw.assigned_vm_uuids().collect();
        if vms.is_empty() {
            return Ok(None);
        }
        Ok(Some(
            OpError::new(format!(
                "Firewall {:?} ({uuid}) cannot be deleted while it is attached to VMs",
                fw.display_name()
            ))
            .detail(format!(
                "It is still attached to these VMs: {}. Remove their idcloudhost_firewall_attachment resources (or the VMs) first.",
                vm_labels(ctx, location, &vms).await?.join(", ")
            )),
        ))
    }

    async fn import(&self, ctx: &ProviderData, id: &str) -> Result<FirewallState, OpError> {
        import_uuid(ctx, id).await
    }
}

// ---------------------------------------------------------------------------------
// idcloudhost_firewall_attachment

/// The state of an `idcloudhost_firewall_attachment`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct FirewallAttachmentState {
    pub id: Option<String>,
    pub location: Option<String>,
    pub firewall_uuid: Option<String>,
    pub vm_uuid: Option<String>,
    pub timeouts: Vec<Timeouts>,
}

#[derive(Default)]
pub struct FirewallAttachmentResource;

fn attachment_state(location: &str, firewall_uuid: &str, vm_uuid: &str) -> FirewallAttachmentState {
    FirewallAttachmentState {
        id: Some(format!("{location}/{firewall_uuid}/{vm_uuid}")),
        location: Some(location.to_owned()),
        firewall_uuid: Some(firewall_uuid.to_owned()),
        vm_uuid: Some(vm_uuid.to_owned()),
        timeouts: Vec::new(),
    }
}

/// The location, firewall and VM of an attachment's state.
fn attachment_of(state: &FirewallAttachmentState) -> Result<(&str, &str, &str), OpError> {
    Ok((
        located(&state.location)?,
        required(&state.firewall_uuid, "firewall_uuid")?,
        required(&state.vm_uuid, "vm_uuid")?,
    ))
}

fn is_assigned(fw: &Firewall, vm_uuid: &str) -> bool {
    fw.assigned_vm_uuids()
        .any(|v| v.eq_ignore_ascii_case(vm_uuid))
}

#[async_trait]
impl ResourceType for FirewallAttachmentResource {
    type Platform = ProviderData;
    const NAME: &'static str = "firewall_attachment";
    const IDENTITY: Identity = Identity::located(&["firewall_uuid", "vm_uuid"]);
    type State = FirewallAttachmentState;
    type Config = NoChecks;
    const FEATURE: Option<Feature> = Some(Feature::Firewalls);

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("Attaches a firewall to a VM in the same location: the firewall's rules then filter the VM's traffic. Not available on elastis.id.")
            .attr(id_attr("`<location>/<firewall_uuid>/<vm_uuid>`."))
            .attr(location_attr())
            .attr(
                Attr::required("firewall_uuid", Ty::String)
                    .desc("The firewall (`idcloudhost_firewall.<name>.id`).")
                    .force_new()
                    .validate(Validator::NotEmpty),
            )
            .attr(
                Attr::required("vm_uuid", Ty::String)
                    .desc("The VM (`idcloudhost_vm.<name>.id`), in the firewall's location.")
                    .force_new()
                    .validate(Validator::NotEmpty),
            )
            .block(timeouts_block(&["create", "delete"]))
    }

    /// The firewall and the VM must exist in the attachment's location: checked
    /// at plan.
    async fn modify_plan(&self, ctx: &ProviderData, plan: &mut Plan) -> Result<(), OpError> {
        let planned = plan.typed::<FirewallAttachmentState>()?.planned;
        let Some(location) = planned.location else {
            return Ok(());
        };
        for (attr, kind, uuid) in [
            ("firewall_uuid", Referenced::Firewall, planned.firewall_uuid),
            ("vm_uuid", Referenced::Vm, planned.vm_uuid),
        ] {
            if !(plan.is_create() || plan.changes(attr)) {
                continue;
            }
            if let Some(uuid) = uuid {
                check_reference(ctx, attr, kind, &uuid, &location, "this attachment").await?;
            }
        }
        Ok(())
    }

    async fn create(
        &self,
        ctx: &ProviderData,
        planned: FirewallAttachmentState,
    ) -> Result<FirewallAttachmentState, OpError> {
        let (location, firewall_uuid, vm_uuid) = attachment_of(&planned)?;
        let assigned = api::assign(&ctx.client, location, firewall_uuid, vm_uuid).await?;
        let reported = assigned.iter().any(|a| {
            a.resource_type.eq_ignore_ascii_case("vm")
                && a.resource_uuid.eq_ignore_ascii_case(vm_uuid)
        });
        if !reported {
            // The answer did not list the VM: believe the firewall itself.
            let fw = api::find(&ctx.client, location, firewall_uuid).await?;
            if !fw.is_some_and(|fw| is_assigned(&fw, vm_uuid)) {
                return Err(OpError::new(
                    "The API accepted the attachment but the firewall does not list the VM",
                ));
            }
        }
        Ok(attachment_state(location, firewall_uuid, vm_uuid))
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        state: FirewallAttachmentState,
    ) -> Result<Option<FirewallAttachmentState>, OpError> {
        let (location, firewall_uuid, vm_uuid) = attachment_of(&state)?;
        let attached = api::find(&ctx.client, location, firewall_uuid)
            .await?
            .is_some_and(|fw| is_assigned(&fw, vm_uuid));
        Ok(attached.then(|| attachment_state(location, firewall_uuid, vm_uuid)))
    }

    async fn update(
        &self,
        _ctx: &ProviderData,
        _prior: FirewallAttachmentState,
        planned: FirewallAttachmentState,
    ) -> Result<FirewallAttachmentState, OpError> {
        // Every argument forces replacement: nothing to change in place.
        Ok(planned)
    }

    async fn delete(
        &self,
        ctx: &ProviderData,
        state: &FirewallAttachmentState,
    ) -> Result<(), OpError> {
        let (location, firewall_uuid, vm_uuid) = attachment_of(state)?;
        Ok(api::unassign(&ctx.client, location, firewall_uuid, vm_uuid)
            .await
            .ok_if_not_found()?)
    }

    async fn import(
        &self,
        ctx: &ProviderData,
        id: &str,
    ) -> Result<FirewallAttachmentState, OpError> {
        let (location, parts) =
            parse_located_import_id(ctx, id, &["firewall_uuid", "vm_uuid"]).await?;
        Ok(attachment_state(&location, &parts[0], &parts[1]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::from_state;
    use crate::framework::typed::state_matches_schema;
    use crate::obj;
    use crate::resources::common::test_ctx;

    fn rule(direction: &str, protocol: &str, start: Dyn, end: Dyn, prefixes: &[&str]) -> Dyn {
        let prefixes = if prefixes.is_empty() {
            Dyn::Null
        } else {
            Dyn::List(prefixes.iter().map(|p| Dyn::str(*p)).collect())
        };
        Dyn::Object(obj! {
            "direction" => direction,
            "protocol" => protocol,
            "port_start" => start,
            "port_end" => end,
            "ip_prefixes" => prefixes,
        })
    }

    fn api_rule(start: Option<i64>, end: Option<i64>, prefixes: Option<&[&str]>) -> FirewallRule {
        FirewallRule {
            uuid: "r".into(),
            protocol: "tcp".into(),
            direction: "inbound".into(),
            port_start: start,
            port_end: end,
            endpoint_spec_type: if prefixes.is_some() {
                "ip_prefixes"
            } else {
                "any"
            }
            .into(),
            endpoint_spec: prefixes.map(|p| p.iter().map(|s| s.to_string()).collect()),
        }
    }

    /// The API's rules as the state holds them after the framework's matching.
    fn reconciled(api_rules: &[FirewallRule], reference: &[Dyn]) -> Vec<Dyn> {
        let served = nested::elements(api_rules.iter().map(rule_state));
        nested::reconcile(&rule_block(), reference, &served)
    }

    /// A configured rule as the framework plans it (no prior rules).
    fn plan_port_end(rule: &Dyn) -> Dyn {
        nested::plan(&rule_block(), std::slice::from_ref(rule), &[]).remove(0)
    }

    /// A rule (as the framework's matching returns it) read as the checks read
    /// it: what is unknown stays unknown.
    fn view(rule: &Dyn) -> RuleConfig {
        from_config(rule.as_obj().unwrap()).unwrap()
    }

    /// A rule's first port, for sorting.
    fn first_port(rule: &Dyn) -> Option<i64> {
        view(rule).port_start.known().map(|port| *port as i64)
    }

    /// A prefix in the canonical form the rule block's `Semantic::CidrSet` compares.
    fn canonical_prefix(text: &str) -> Option<String> {
        nested::canonical_cidr(text)
    }

    #[tokio::test]
    async fn oldest_generation_has_no_firewalls() {
        let ctx = test_ctx("https://api.elastis.id");
        let planned = obj! { "name" => "fw", "location" => "jkt01" };
        let err = FirewallResource
            .create(&ctx, from_state(&planned).unwrap())
            .await
            .unwrap_err();
        assert!(
            err.summary
                .contains("Firewalls are not available on elastis.id"),
            "{err}"
        );
        let err = FirewallResource.import(&ctx, "jkt01/x").await.unwrap_err();
        assert!(err.summary.contains("elastis.id"), "{err}");
        let state = attachment_state("jkt01", "f", "v");
        let err = FirewallAttachmentResource
            .read(&ctx, state.clone())
            .await
            .unwrap_err();
        assert!(err.summary.contains("elastis.id"), "{err}");
        let err = FirewallAttachmentResource
            .create(&ctx, state)
            .await
            .unwrap_err();
        assert!(err.summary.contains("elastis.id"), "{err}");
    }

    #[test]
    fn prefixes_compare_by_meaning() {
        assert_eq!(
            canonical_prefix("10.0.0.1"),
            canonical_prefix("10.0.0.1/32")
        );
        assert_eq!(
            canonical_prefix("10.0.0.5/24"),
            canonical_prefix("10.0.0.0/24")
        );
        assert_ne!(
            canonical_prefix("10.0.0.0/24"),
            canonical_prefix("10.0.0.0/25")
        );
        assert_eq!(
            canonical_prefix("2001:db8::1"),
            canonical_prefix("2001:db8::1/128")
        );
        assert_eq!(canonical_prefix("0.0.0.0/0"), canonical_prefix("1.2.3.4/0"));
        assert_eq!(canonical_prefix("10.0.0.0/33"), None);
    }

    #[test]
    fn reads_keep_the_prior_spelling_of_equivalent_rules() {
        let prior = vec![
            rule(
                "inbound",
                "tcp",
                Dyn::int(22),
                Dyn::int(22),
                &["10.0.0.1/32", "10.1.0.0/16"],
            ),
            rule("inbound", "tcp", Dyn::int(80), Dyn::Null, &[]),
            rule("inbound", "tcp", Dyn::Null, Dyn::Null, &[]),
        ];
        let api = vec![
            api_rule(None, None, None),
            api_rule(Some(80), Some(80), Some(&[])),
            api_rule(Some(22), Some(22), Some(&["10.1.0.0/16", "10.0.0.1"])),
        ];
        let mut got = reconciled(&api, &prior);
        got.sort_by_key(first_port);
        let mut want = prior.clone();
        want.sort_by_key(first_port);
        assert_eq!(got, want);

        // A real change is reported as the API has it.
        let api = vec![api_rule(Some(2222), Some(2222), Some(&["10.0.0.1"]))];
        let got = reconciled(&api, &prior);
        assert_eq!(
            got,
            vec![rule(
                "inbound",
                "tcp",
                Dyn::int(2222),
                Dyn::int(2222),
                &["10.0.0.1"]
            )]
        );
    }

    #[test]
    fn unknown_port_end_takes_the_servers_value() {
        let planned = vec![rule("inbound", "tcp", Dyn::int(443), Dyn::Unknown, &[])];
        let got = reconciled(&[api_rule(Some(443), Some(443), None)], &planned);
        assert_eq!(
            got,
            vec![rule("inbound", "tcp", Dyn::int(443), Dyn::int(443), &[])]
        );
    }

    #[test]
    fn an_omitted_port_end_plans_a_single_port() {
        let config = rule("inbound", "tcp", Dyn::int(22), Dyn::Null, &["10.0.0.1"]);
        assert_eq!(view(&plan_port_end(&config)).port_end, Field::Known(22.0));
        let range = rule("inbound", "tcp", Dyn::int(80), Dyn::int(90), &[]);
        assert_eq!(plan_port_end(&range), range);
        let unknown = rule("inbound", "tcp", Dyn::Unknown, Dyn::Null, &[]);
        assert_eq!(view(&plan_port_end(&unknown)).port_end, Field::Unknown);
        let all = rule("inbound", "tcp", Dyn::Null, Dyn::Null, &[]);
        assert_eq!(plan_port_end(&all), all);
        // An API that reports no port_end means a single port too.
        let read = reconciled(&[api_rule(Some(25), None, None)], &[]);
        assert_eq!(view(&read[0]).port_end, Field::Known(25.0));
    }

    #[test]
    fn validation_names_the_rule_attribute() {
        // Several rules: Terraform's set order is not the file's, so no index.
        let config = obj! {
            "rule" => vec![
                rule("inbound", "tcp", Dyn::int(90), Dyn::int(80), &[]),
                rule("inbound", "icmp", Dyn::int(1), Dyn::Null, &[]),
                rule("inbound", "udp", Dyn::Null, Dyn::int(53), &[]),
                rule("inbound", "tcp", Dyn::Unknown, Dyn::int(80), &[]),
                rule("outbound", "tcp", Dyn::int(0), Dyn::Unknown, &["10.0.0.0/33"]),
            ],
        };
        let errors = FirewallResource.validate(&from_config(&config).unwrap());
        let attrs: Vec<&str> = errors.iter().map(|e| e.attr.as_str()).collect();
        assert_eq!(
            attrs,
            [
                "rule.port_start",
                "rule.port_start",
                "rule.port_start",
                "rule.port_start",
                "rule.ip_prefixes"
            ]
        );
        assert!(errors[0]
            .detail
            .contains("port_start (90) is greater than port_end (80). (In the inbound tcp rule for ports 90-80.)"));
        assert!(errors[1].detail.contains("ICMP has no ports"));
        assert!(errors[3]
            .detail
            .contains("0 is outside the allowed range of 1 to 65535"));
        assert!(
            errors[4].detail.contains("to 10.0.0.0/33"),
            "{}",
            errors[4].detail
        );

        // A single rule: the index points at it.
        let config = obj! {
            "rule" => vec![rule("inbound", "gre", Dyn::Null, Dyn::Null, &[])],
        };
        let errors = FirewallResource.validate(&from_config(&config).unwrap());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].attr, "rule.0.protocol");
        assert_eq!(errors[0].summary, "Invalid value for rule.0.protocol");
    }

    #[test]
    fn validation_reads_the_configured_values() {
        // A fraction is reported as written, not truncated.
        let config = obj! {
            "rule" => vec![rule("inbound", "tcp", Dyn::num(1.5), Dyn::Null, &[])],
        };
        let errors = FirewallResource.validate(&from_config(&config).unwrap());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].attr, "rule.0.port_start");
        assert!(
            errors[0].detail.contains("1.5 is not a whole number"),
            "{}",
            errors[0].detail
        );
        // So is one Terraform sends as its decimal text (not exactly a float64).
        let config = obj! {
            "rule" => vec![rule("inbound", "tcp", Dyn::str("1.1"), Dyn::Null, &[])],
        };
        let errors = FirewallResource.validate(&from_config(&config).unwrap());
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].detail.contains("1.1 is not a whole number"),
            "{}",
            errors[0].detail
        );
        // A prefix not known yet is checked once known, and named as unknown.
        let prefixes = Dyn::List(vec![Dyn::Unknown, Dyn::str("10.0.0.0/33")]);
        let mut bad = rule("inbound", "tcp", Dyn::int(22), Dyn::Null, &[]);
        if let Dyn::Object(fields) = &mut bad {
            fields.insert("ip_prefixes".into(), prefixes);
        }
        let errors =
            FirewallResource.validate(&from_config(&obj! { "rule" => vec![bad] }).unwrap());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].attr, "rule.0.ip_prefixes");
        assert!(
            errors[0].detail.contains("from (unknown), 10.0.0.0/33"),
            "{}",
            errors[0].detail
        );
        // Rules not known yet: nothing to check.
        let unknown = from_config(&obj! { "rule" => Dyn::Unknown }).unwrap();
        assert!(FirewallResource.validate(&unknown).is_empty());
    }

    #[test]
    fn the_state_keeps_what_the_api_leaves_out() {
        let fw = Firewall {
            uuid: "f-1".into(),
            display_name: "web".into(),
            description: None,
            billing_account_id: 0,
            rules: vec![api_rule(Some(80), None, None)],
            ..Firewall::default()
        };
        let prior = obj! {
            "id" => "f-1",
            "description" => "",
            "billing_account_id" => 7i64,
            "rule" => vec![rule("inbound", "tcp", Dyn::int(80), Dyn::Unknown, &[])],
        };
        let state = firewall_state("jkt01", &fw, &from_state(&prior).unwrap()).unwrap();
        assert_eq!(state.name.as_deref(), Some("web"));
        assert_eq!(state.description.as_deref(), Some(""));
        assert_eq!(state.billing_account_id, Some(7));
        assert_eq!(state.created_at, None);
        assert_eq!(state.rule.len(), 1);
        assert_eq!(state.rule[0].port_end, Some(80));
        // On import there is nothing to keep.
        let imported =
            firewall_state("jkt01", &fw, &from_state(&obj! {"id" => "f-1"}).unwrap()).unwrap();
        assert_eq!(
            (imported.description, imported.billing_account_id),
            (None, None)
        );
    }

    #[test]
    fn state_struct_matches_the_schema() {
        assert_eq!(state_matches_schema(&FirewallResource), Ok(()));
        assert_eq!(state_matches_schema(&FirewallAttachmentResource), Ok(()));
        assert_eq!(
            crate::framework::typed::config_view_matches(&FirewallResource),
            Ok(())
        );
    }
}
