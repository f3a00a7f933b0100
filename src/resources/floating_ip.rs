//! `idcloudhost_floating_ip` (a reserved public IPv4 address) and
//! `idcloudhost_floating_ip_assignment` (that address mapped to a VM).

use std::net::Ipv4Addr;

use crate::framework::DynamicResource;
use crate::framework::Timeouts;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::common::{
    billing_account_attr, billing_change, check_reference, created_at_attr, gone_during_update,
    id_attr, located, location_attr, name_attr, name_change, parse_import_id, uuid_validator,
    Referenced, COMMUNITY_NAMES_VERSION,
};
use crate::api::floating_ip::{self as api, Target};
use crate::api::models::floating_ip::FloatingIp;
use crate::api::NotFoundExt;
use crate::cancel::{fresh_lists, Waited, DEADLINE};
use crate::context::{ProviderData, Shared};
use crate::framework::{
    non_empty, required, required_value, timeouts_block, Attr, Field, Identity, NoChecks, OpError,
    Plan, ResourceType, SchemaSpec, Ty, Validator,
};
use crate::platform::BILLING_ACCOUNT;

/// The resource types this module defines.
pub fn resources(shared: &Shared) -> Vec<(String, Box<dyn DynamicResource>)> {
    vec![
        super::register(FloatingIpResource, shared),
        super::register(FloatingIpAssignmentResource, shared),
    ]
}

fn ipv4_validator() -> Validator {
    Validator::custom(|v| match v.as_str() {
        Some(s) if s.parse::<Ipv4Addr>().is_err() => {
            Err(format!("{s:?} is not an IPv4 address like 203.0.113.10."))
        }
        _ => Ok(()),
    })
}

/// How long an assignment's create waits for the address its target holds to be
/// released or unassigned by another change of the same apply (a VM's
/// `reserve_public_ip` becoming false), within the create deadline.
const HELD_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// The floating IP other than `address` that `uuid` holds, looked at again in
/// fresh lists while it goes away in the same apply, for up to `HELD_WAIT`;
/// `None` once it holds none.
async fn held_until_released(
    ctx: &ProviderData,
    location: &str,
    uuid: &str,
    address: &str,
) -> Result<Option<FloatingIp>, OpError> {
    let until = std::time::Instant::now() + HELD_WAIT;
    let mut poll = std::time::Duration::from_millis(250);
    loop {
        let held = fresh_lists(api::assigned_to(&ctx.client, location, uuid))
            .await?
            .filter(|ip| ip.address != address);
        let now = std::time::Instant::now();
        let deadline = DEADLINE.try_with(|d| *d).unwrap_or(until).min(until);
        if held.is_none() || now >= deadline {
            return Ok(held);
        }
        // Interrupted: say what still holds it now.
        if ctx.client.cancel().sleep(poll.min(deadline - now)).await == Waited::Cancelled {
            return Ok(held);
        }
        poll = (poll * 2).min(std::time::Duration::from_secs(2));
    }
}

/// The location (the default one where the ID names none) and the address of an
/// import ID `<address>` or `<location>/<address>`, the address checked first.
async fn parse_address_import(ctx: &ProviderData, id: &str) -> Result<(String, String), OpError> {
    let (location, parts) = parse_import_id(id, &["address"], true)?;
    let address = parts[0].clone();
    if address.parse::<Ipv4Addr>().is_err() {
        return Err(OpError::new(format!("Invalid import ID {id:?}"))
            .detail(format!(
                "{address:?} is not an IPv4 address. Expected <address> or <location>/<address>, e.g. jkt01/203.0.113.10."
            )));
    }
    let location = ctx.resolve_location(location.as_deref()).await?;
    Ok((location, address))
}

/// The error for an address the location does not have (an assignment's
/// `address`, an import ID).
fn no_such_address(address: &str, location: &str) -> OpError {
    OpError::new(format!(
        "Floating IP {address} does not exist in location {location}"
    ))
}

fn same_uuid(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

// ------------------------------------------------------------------ floating IP

/// The state of an `idcloudhost_floating_ip`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct FloatingIpState {
    pub id: Option<String>,
    pub location: Option<String>,
    pub name: Option<String>,
    pub billing_account_id: Option<i64>,
    pub address: Option<String>,
    pub enabled: Option<bool>,
    pub assigned_to: Option<String>,
    pub assigned_to_resource_type: Option<String>,
    pub assigned_to_private_ip: Option<String>,
    pub created_at: Option<String>,
    pub timeouts: Vec<Timeouts>,
}

#[derive(Default)]
pub struct FloatingIpResource;

fn ip_state(location: &str, ip: FloatingIp) -> FloatingIpState {
    let assigned_to = ip.assigned_to().map(str::to_owned);
    // The type and private address mean nothing once the address is unassigned.
    let detail = |v: Option<String>| v.filter(|s| !s.is_empty() && assigned_to.is_some());
    FloatingIpState {
        id: Some(ip.address.clone()),
        location: Some(location.to_owned()),
        address: Some(ip.address),
        name: Some(ip.name),
        billing_account_id: Some(ip.billing_account_id),
        enabled: Some(ip.enabled),
        assigned_to_resource_type: detail(ip.assigned_to_resource_type),
        assigned_to_private_ip: detail(ip.assigned_to_private_ip),
        assigned_to,
        created_at: non_empty(&ip.created_at),
        timeouts: Vec::new(),
    }
}

/// The location and the address in a state (`address`, else `id`: the same for
/// both resources), where every operation on an address starts.
fn location_and_address<'a>(
    location: &'a Option<String>,
    address: &'a Option<String>,
    id: &'a Option<String>,
) -> Result<(&'a str, &'a str), OpError> {
    let location = located(location)?;
    let address = address
        .as_deref()
        .or(id.as_deref())
        .ok_or_else(|| OpError::new("The state has no address"))?;
    Ok((location, address))
}

#[async_trait]
impl ResourceType for FloatingIpResource {
    type Platform = ProviderData;
    const NAME: &'static str = "floating_ip";
    type State = FloatingIpState;
    type Config = NoChecks;

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("A floating (public) IPv4 address reserved in a location. Assign it to a VM with `idcloudhost_floating_ip_assignment`; it stays reserved (and billed) while unassigned.")
            .with_version(COMMUNITY_NAMES_VERSION)
            .attr(id_attr("The IPv4 address (floating IPs are identified by their address)."))
            .attr(location_attr())
            .attr(name_attr("Name of the floating IP; changed in place."))
            .attr(billing_account_attr())
            .attr(Attr::computed("address", Ty::String).desc("The reserved IPv4 address, chosen by the platform.").stable())
            .attr(Attr::computed("enabled", Ty::Bool).desc("Whether the address is enabled.").stable())
            // Stable: no update of the floating IP changes them. An assignment
            // (idcloudhost_floating_ip_assignment, a VM's reserve_public_ip, another
            // client) does; reads refresh them, and an update keeps them as planned.
            .attr(Attr::computed("assigned_to", Ty::String).desc("Uuid of the resource (VM, load balancer or managed service) the address is assigned to; null when unassigned.").stable())
            .attr(Attr::computed("assigned_to_resource_type", Ty::String).desc("`virtual_machine`, `load_balancer` or `service`; null when unassigned.").stable())
            .attr(Attr::computed("assigned_to_private_ip", Ty::String).desc("Private address the floating IP is mapped to; null when unassigned.").stable())
            .attr(created_at_attr())
            .block(timeouts_block(&["create", "update", "delete"]))
    }

    async fn create(
        &self,
        ctx: &ProviderData,
        planned: FloatingIpState,
    ) -> Result<FloatingIpState, OpError> {
        let location = located(&planned.location)?;
        let billing = required_value(planned.billing_account_id, BILLING_ACCOUNT)?;
        let name = required(&planned.name, "name")?;
        // The list this create's recovery compares with (one call per wave of creates).
        let listed = api::baseline(&ctx.client, location)
            .await?
            .matching(|ip| !ip.is_deleted);
        let listed = listed.into_iter().map(|ip| (ip.name, ip.address));
        super::common::warn_same_named("floating IP", name, listed);
        let created = api::create(&ctx.client, location, name, billing).await?;
        if created.address.is_empty() {
            return Err(OpError::new(
                "The API reserved a floating IP but did not say which address",
            ));
        }
        Ok(ip_state(location, created))
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        state: FloatingIpState,
    ) -> Result<Option<FloatingIpState>, OpError> {
        let (location, address) = location_and_address(&state.location, &state.address, &state.id)?;
        Ok(api::find(&ctx.client, location, address)
            .await?
            .map(|ip| ip_state(location, ip)))
    }

    async fn update(
        &self,
        ctx: &ProviderData,
        prior: FloatingIpState,
        planned: FloatingIpState,
    ) -> Result<FloatingIpState, OpError> {
        let (location, address) = location_and_address(&prior.location, &prior.address, &prior.id)?;
        let name = name_change(&prior.name, &planned.name)?;
        let billing = billing_change(prior.billing_account_id, planned.billing_account_id);
        if name.is_some() || billing.is_some() {
            api::update(&ctx.client, location, address, name, billing).await?;
        }
        // A rename or a new billing account leaves the assignment as it was
        // planned (an assignment changed in the same apply shows at the next refresh).
        let keep_assignment = |state: FloatingIpState| FloatingIpState {
            assigned_to: prior.assigned_to.clone(),
            assigned_to_resource_type: prior.assigned_to_resource_type.clone(),
            assigned_to_private_ip: prior.assigned_to_private_ip.clone(),
            ..state
        };
        api::find(&ctx.client, location, address)
            .await?
            .map(|ip| keep_assignment(ip_state(location, ip)))
            .ok_or_else(|| gone_during_update(&format!("Floating IP {address}")))
    }

    /// Releases the address; one still assigned (outside Terraform, or by a VM's
    /// `reserve_public_ip`) is unassigned first, since the API refuses to release it
    /// otherwise and destroying the address necessarily takes it off the resource.
    async fn delete(&self, ctx: &ProviderData, state: &FloatingIpState) -> Result<(), OpError> {
        let (location, address) = location_and_address(&state.location, &state.address, &state.id)?;
        // Held: its assignment may be destroyed in parallel.
        let (_held, ip) = api::find_held(&ctx.client, location, address).await?;
        let Some(ip) = ip else {
            return Ok(());
        };
        // The address gone meanwhile: nothing left to release.
        if ip.is_assigned()
            && api::unassign(&ctx.client, location, address)
                .await
                .found()?
                .is_none()
        {
            return Ok(());
        }
        Ok(api::delete(&ctx.client, location, address)
            .await
            .ok_if_not_found()?)
    }

    async fn import(&self, ctx: &ProviderData, id: &str) -> Result<FloatingIpState, OpError> {
        let (location, address) = parse_address_import(ctx, id).await?;
        Ok(FloatingIpState {
            id: Some(address.clone()),
            address: Some(address),
            location: Some(location),
            ..FloatingIpState::default()
        })
    }
}

// ----------------------------------------------------------------- assignment

/// The state of an `idcloudhost_floating_ip_assignment`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct FloatingIpAssignmentState {
    pub id: Option<String>,
    pub location: Option<String>,
    pub address: Option<String>,
    pub vm_uuid: Option<String>,
    pub load_balancer_uuid: Option<String>,
    pub service_uuid: Option<String>,
    pub private_ip: Option<String>,
    pub timeouts: Vec<Timeouts>,
}

/// What `validate` reads of an assignment's configuration.
#[derive(Serialize, Deserialize, Debug, Default)]
#[serde(default)]
pub struct AssignmentConfig {
    pub vm_uuid: Field<String>,
    pub load_balancer_uuid: Field<String>,
    pub service_uuid: Field<String>,
}

#[derive(Default)]
pub struct FloatingIpAssignmentResource;

/// The attribute naming each kind of target; exactly one is set.
fn target_attr(target: Target) -> &'static str {
    match target {
        Target::Vm => "vm_uuid",
        Target::LoadBalancer => "load_balancer_uuid",
        Target::Service => "service_uuid",
    }
}

impl FloatingIpAssignmentState {
    fn target_uuid(&self, target: Target) -> &Option<String> {
        match target {
            Target::Vm => &self.vm_uuid,
            Target::LoadBalancer => &self.load_balancer_uuid,
            Target::Service => &self.service_uuid,
        }
    }
}

/// The configured target: its kind and uuid.
fn target_of(state: &FloatingIpAssignmentState) -> Result<(Target, &str), OpError> {
    Target::ALL
        .into_iter()
        .find_map(|t| state.target_uuid(t).as_deref().map(|uuid| (t, uuid)))
        .ok_or_else(|| OpError::new("The assignment has no target").at("vm_uuid"))
}

fn assignment_state(
    location: &str,
    address: &str,
    target: Target,
    uuid: &str,
    ip: &FloatingIp,
) -> FloatingIpAssignmentState {
    let uuid_if = |t: Target| (t == target).then(|| uuid.to_owned());
    FloatingIpAssignmentState {
        id: Some(address.to_owned()),
        location: Some(location.to_owned()),
        address: Some(address.to_owned()),
        vm_uuid: uuid_if(Target::Vm),
        load_balancer_uuid: uuid_if(Target::LoadBalancer),
        service_uuid: uuid_if(Target::Service),
        private_ip: ip.assigned_to_private_ip.clone().filter(|s| !s.is_empty()),
        timeouts: Vec::new(),
    }
}

#[async_trait]
impl ResourceType for FloatingIpAssignmentResource {
    type Platform = ProviderData;
    const NAME: &'static str = "floating_ip_assignment";
    const IDENTITY: Identity = Identity::located(&["address"]);
    type State = FloatingIpAssignmentState;
    type Config = AssignmentConfig;

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("Assigns a floating IP to a VM, a load balancer or a managed service (exactly one of `vm_uuid`, `load_balancer_uuid`, `service_uuid`). Destroying it unassigns the address, which stays reserved. A VM, load balancer or service holds at most one floating IP.")
            .attr(id_attr("The assigned IPv4 address."))
            .attr(location_attr())
            .attr(
                Attr::required("address", Ty::String)
                    .desc("The floating IP to assign, usually `idcloudhost_floating_ip.<name>.address`. It must be in the same `location`.")
                    .force_new()
                    .validate(ipv4_validator()),
            )
            .attr(
                Attr::optional("vm_uuid", Ty::String)
                    .desc("Uuid of the VM the address is assigned to, in the same `location`.")
                    .force_new()
                    .validate(uuid_validator()),
            )
            .attr(
                Attr::optional("load_balancer_uuid", Ty::String)
                    .desc("Uuid of the load balancer the address is assigned to, in the same `location`.")
                    .force_new()
                    .validate(uuid_validator()),
            )
            .attr(
                Attr::optional("service_uuid", Ty::String)
                    .desc("Uuid of the managed service package (`idcloudhost_service_package`) the address is assigned to; the package must be in the same `location`.")
                    .force_new()
                    .validate(uuid_validator()),
            )
            .attr(Attr::computed("private_ip", Ty::String).desc("The private address of the VM, load balancer or service the floating IP is mapped to.").stable())
            .block(timeouts_block(&["create", "delete"]))
    }

    /// Bad references fail at plan time: a VM of another location. Whether a VM
    /// that holds another address now gives it up in the same apply (its
    /// `reserve_public_ip` becoming false, another assignment destroyed) is not in
    /// this configuration, nor in the API: the plan says so in a warning, and the
    /// apply waits for the address to go (see `create`). Every plan of the same
    /// configuration and API state is the same, whatever order Terraform plans in.
    async fn modify_plan(&self, ctx: &ProviderData, plan: &mut Plan) -> Result<(), OpError> {
        if !plan.is_create() {
            return Ok(());
        }
        let planned = plan.typed::<FloatingIpAssignmentState>()?.planned;
        let (Some(location), Some(vm_uuid)) = (planned.location, planned.vm_uuid) else {
            return Ok(());
        };
        check_reference(
            ctx,
            "vm_uuid",
            Referenced::Vm,
            &vm_uuid,
            &location,
            "this assignment",
        )
        .await?;
        let address = planned.address.as_deref();
        let held = api::assigned_to(&ctx.client, &location, &vm_uuid)
            .await?
            .filter(|ip| Some(ip.address.as_str()) != address);
        if let Some(held) = held {
            crate::framework::warn(
                OpError::new(format!(
                    "VM {vm_uuid} holds the public address {} now",
                    held.address
                ))
                .detail(format!(
                    "A VM holds one floating IP, so this assignment can only be made once {} is released or unassigned: by reserve_public_ip = false on the VM (its own address is then released in the same apply) or by destroying the assignment that holds it. The apply waits up to {}s for that, then fails naming the address.",
                    held.address,
                    HELD_WAIT.as_secs()
                ))
                .at("vm_uuid"),
            );
        }
        Ok(())
    }

    fn validate(&self, config: &AssignmentConfig) -> Vec<OpError> {
        // Unknown is set: it is one of the targets, known at apply.
        let set = [
            &config.vm_uuid,
            &config.load_balancer_uuid,
            &config.service_uuid,
        ]
        .into_iter()
        .filter(|uuid| !uuid.is_null())
        .count();
        if set == 1 {
            return Vec::new();
        }
        vec![OpError::new("Exactly one assignment target is required")
            .detail(format!(
                "Set exactly one of vm_uuid, load_balancer_uuid and service_uuid ({set} are set)."
            ))
            .at(if set == 0 {
                "vm_uuid"
            } else {
                "load_balancer_uuid"
            })]
    }

    async fn create(
        &self,
        ctx: &ProviderData,
        planned: FloatingIpAssignmentState,
    ) -> Result<FloatingIpAssignmentState, OpError> {
        let location = located(&planned.location)?;
        let address = required(&planned.address, "address")?;
        let (target, uuid) = target_of(&planned)?;
        let waiting = std::time::Instant::now();
        if let Some(held) = held_until_released(ctx, location, uuid, address).await? {
            let (noun, detail) = match target {
                Target::Vm => ("VM", "A VM holds one floating IP. If it is the VM's own address, set reserve_public_ip = false on the VM; otherwise unassign that address first."),
                Target::LoadBalancer => ("Load balancer", "A load balancer holds one floating IP. If it is its own address, create it with reserve_public_ip = false; otherwise unassign that address first."),
                Target::Service => ("Service", "A service holds one floating IP: unassign that address first."),
            };
            let mut error = OpError::new(format!(
                "{noun} {uuid} already holds the public address {}",
                held.address
            ))
            .detail(format!(
                "{detail} It still held it after {}s of waiting for another change of this apply to release it.",
                waiting.elapsed().as_secs()
            ))
            .at(target_attr(target));
            error.deadline_explained = true;
            return Err(error);
        }
        let Some(current) = api::find(&ctx.client, location, address).await? else {
            return Err(no_such_address(address, location)
                .detail("Reserve it with idcloudhost_floating_ip (in the same location) first.")
                .at("address"));
        };
        if let Some(other) = current.assigned_to().filter(|to| !same_uuid(to, uuid)) {
            let kind = current
                .assigned_to_resource_type
                .as_deref()
                .unwrap_or("resource");
            return Err(OpError::new(format!(
                "Floating IP {address} is already assigned to {kind} {other}"
            ))
            .detail(
                "Unassign it from that resource first (or destroy the assignment that holds it).",
            )
            .at("address"));
        }
        let assigned = api::assign(&ctx.client, location, address, target, uuid).await?;
        Ok(assignment_state(location, address, target, uuid, &assigned))
    }

    /// Gone when the address was released or unassigned outside Terraform; when it
    /// was moved to another resource, the target attributes show that resource, so
    /// the plan replaces the assignment (unassign, then assign to the configured one).
    async fn read(
        &self,
        ctx: &ProviderData,
        state: FloatingIpAssignmentState,
    ) -> Result<Option<FloatingIpAssignmentState>, OpError> {
        let (location, address) = location_and_address(&state.location, &state.address, &state.id)?;
        let Some(ip) = api::find(&ctx.client, location, address).await? else {
            return Ok(None);
        };
        let Some(assigned_to) = ip.assigned_to() else {
            return Ok(None);
        };
        let Some(target) = Target::of(&ip) else {
            return Ok(None);
        };
        // Keep the configuration's spelling of the uuid (the API may lower-case it).
        let uuid = match target_of(&state) {
            Ok((ours, uuid)) if ours == target && same_uuid(uuid, assigned_to) => uuid,
            _ => assigned_to,
        };
        Ok(Some(assignment_state(location, address, target, uuid, &ip)))
    }

    async fn update(
        &self,
        _ctx: &ProviderData,
        _prior: FloatingIpAssignmentState,
        planned: FloatingIpAssignmentState,
    ) -> Result<FloatingIpAssignmentState, OpError> {
        // Every configurable attribute forces replacement; nothing to do in place.
        Ok(planned.clone())
    }

    async fn delete(
        &self,
        ctx: &ProviderData,
        state: &FloatingIpAssignmentState,
    ) -> Result<(), OpError> {
        let (location, address) = location_and_address(&state.location, &state.address, &state.id)?;
        let (_, uuid) = target_of(state)?;
        // Held: the floating IP itself may be destroyed in parallel.
        let (_held, ip) = api::find_held(&ctx.client, location, address).await?;
        let Some(ip) = ip else {
            return Ok(());
        };
        // Already unassigned, or now held by something else: not ours to undo.
        if !ip.assigned_to().is_some_and(|to| same_uuid(to, uuid)) {
            return Ok(());
        }
        Ok(api::unassign(&ctx.client, location, address)
            .await
            .ok_if_not_found()?)
    }

    async fn import(
        &self,
        ctx: &ProviderData,
        id: &str,
    ) -> Result<FloatingIpAssignmentState, OpError> {
        let (location, address) = parse_address_import(ctx, id).await?;
        let Some(ip) = api::find(&ctx.client, &location, &address).await? else {
            return Err(no_such_address(&address, &location));
        };
        let Some(assigned_to) = ip.assigned_to() else {
            return Err(
                OpError::new(format!("Floating IP {address} is not assigned to anything")).detail(
                    "There is no assignment to import; create one with this resource instead.",
                ),
            );
        };
        let Some(target) = Target::of(&ip) else {
            return Err(OpError::new(format!(
                "Floating IP {address} is assigned to a {} ({assigned_to})",
                ip.assigned_to_resource_type.as_deref().unwrap_or_default()
            ))
            .detail("idcloudhost_floating_ip_assignment manages assignments to VMs, load balancers and services only."));
        };
        Ok(assignment_state(
            &location,
            &address,
            target,
            assigned_to,
            &ip,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::typed::state_matches_schema;
    use crate::framework::{Dyn, Obj};

    #[test]
    fn exactly_one_target_unknown_counting_as_set() {
        let r = FloatingIpAssignmentResource;
        let attrs = |config: Obj| {
            let errors = r.validate(&crate::framework::from_config(&config).unwrap());
            errors.into_iter().map(|e| e.attr).collect::<Vec<_>>()
        };
        assert_eq!(attrs(crate::obj! {}), vec!["vm_uuid"]);
        assert!(attrs(crate::obj! { "vm_uuid" => "v" }).is_empty());
        assert!(attrs(crate::obj! { "service_uuid" => Dyn::Unknown }).is_empty());
        assert_eq!(
            attrs(crate::obj! { "vm_uuid" => "v", "load_balancer_uuid" => Dyn::Unknown }),
            vec!["load_balancer_uuid"]
        );
        assert_eq!(
            crate::framework::typed::config_view_matches(&FloatingIpAssignmentResource),
            Ok(())
        );
    }

    #[test]
    fn state_struct_matches_the_schema() {
        assert_eq!(state_matches_schema(&FloatingIpResource), Ok(()));
        assert_eq!(state_matches_schema(&FloatingIpAssignmentResource), Ok(()));
    }
}
