//! `idcloudhost_service_package`: a managed database (documents 000 and 002; not on
//! elastis.id). The package endpoints are global; the package lives in one location
//! (sent as `package_parameters.location`, reported in `properties.location`), and
//! its whitelist endpoints are scoped to that location.

use std::collections::BTreeMap;

use crate::framework::DynamicResource;
use crate::framework::Timeouts;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::common::{
    billing_account_attr, billing_change, created_at_attr, gone_during_update, id_attr,
    import_global_uuid, located, location_attr, name_attr, name_change,
};
use crate::api::models::service::ServicePackage;
use crate::api::service::{self as api, NewPackage};
use crate::api::Feature;
use crate::api::NotFoundExt;
use crate::context::{ProviderData, Shared};
use crate::framework::resource::LOCATION;
use crate::framework::validate::parse_ip_or_cidr;
use crate::framework::{
    non_empty, required, required_value, timeouts_block, ty_of, Attr, Field, Identity, OpError,
    Plan, ResourceType, SchemaSpec, Ty, Validator,
};
use crate::platform::BILLING_ACCOUNT;

/// The resource types this module defines.
pub fn resources(shared: &Shared) -> Vec<(String, Box<dyn DynamicResource>)> {
    vec![super::register(ServicePackageResource, shared)]
}

/// The state of an `idcloudhost_service_package`.
#[derive(Serialize, Deserialize, Clone, Default, PartialEq)]
#[serde(default)]
pub struct ServicePackageState {
    pub id: Option<String>,
    pub location: Option<String>,
    pub name: Option<String>,
    pub billing_account_id: Option<i64>,
    pub service: Option<String>,
    pub version: Option<String>,
    pub vcpu: Option<i64>,
    pub ram_mb: Option<i64>,
    pub disk_size_gb: Option<i64>,
    pub multi_node: Option<bool>,
    pub parameters: Option<BTreeMap<String, Option<String>>>,
    pub allowed_addresses: Option<Vec<String>>,
    pub status: Option<String>,
    pub service_ip: Option<String>,
    pub port: Option<i64>,
    pub sql_user: Option<String>,
    /// `Field`: a plan makes it null, or unknown when it is stored again.
    pub password: Field<String>,
    pub store_password: Option<bool>,
    pub created_at: Option<String>,
    pub resources: Option<Vec<PackageResourceState>>,
    pub timeouts: Vec<Timeouts>,
}

// Never prints a secret: the state is in hand wherever something fails.
impl std::fmt::Debug for ServicePackageState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::framework::typed::debug_redacted(self, "ServicePackageState", &["password"], f)
    }
}

/// One of a package's `resources`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct PackageResourceState {
    pub resource_id: Option<String>,
    pub resource_type: Option<String>,
    pub resource_location: Option<String>,
}

#[derive(Default)]
pub struct ServicePackageResource;

const WHITELIST: &str = "allowed_addresses";

/// A whitelist entry's meaning (address and prefix length), for comparing spellings.
fn entry_key(entry: &str) -> Option<(std::net::IpAddr, u8)> {
    parse_ip_or_cidr(entry.trim()).ok()
}

/// Whether two whitelist entries are the same entry, however spelled
/// (`10.0.0.1` and `10.0.0.1/32`): what both the state and the update compare by.
fn same_entry(a: &str, b: &str) -> bool {
    a == b || (entry_key(a).is_some() && entry_key(a) == entry_key(b))
}

/// The API's whitelist, each entry spelled as in `known` (configuration or prior
/// state) when it means the same (`10.0.0.1` and `10.0.0.1/32`).
fn whitelist_state(served: &[String], known: &Option<Vec<String>>) -> Vec<String> {
    let known = known.as_deref().unwrap_or_default();
    served
        .iter()
        .map(|entry| {
            let same = known.iter().find(|k| same_entry(k, entry));
            same.unwrap_or(entry).clone()
        })
        .collect()
}

/// The package's location: `properties.location`, else its resources' location.
/// Also what the ephemeral `idcloudhost_service_package_credentials` returns.
pub(crate) fn package_location(p: &ServicePackage) -> Option<&str> {
    Some(p.properties.location.as_str())
        .filter(|l| !l.is_empty())
        .or_else(|| {
            p.resources
                .iter()
                .map(|r| r.resource_location.as_str())
                .find(|l| !l.is_empty())
        })
}

/// Sizes as the API reports them on the package's VMs (`resource_allocation`).
fn served_sizes(p: &ServicePackage) -> (Option<i64>, Option<i64>, Option<i64>) {
    let alloc = p.vms().next().map(|vm| &vm.resource_allocation);
    let disk = alloc.and_then(|a| {
        a.storage
            .iter()
            .find(|s| s.primary)
            .or_else(|| a.storage.first())
            .map(|s| s.size)
    });
    (
        alloc.and_then(|a| a.vcpu),
        alloc.and_then(|a| a.memory),
        disk,
    )
}

/// State from the API's package. `known` is the configuration or prior state: the
/// API never echoes the requested sizes or `parameters`, so they are kept from it
/// (after an import, the sizes come from the package's VMs).
fn package_state(
    p: &ServicePackage,
    whitelist: &[String],
    password: Option<String>,
    known: &ServicePackageState,
) -> ServicePackageState {
    let (vcpu, ram, disk) = served_sizes(p);
    let location = package_location(p)
        .map(str::to_owned)
        .or_else(|| known.location.clone());
    ServicePackageState {
        id: Some(p.uuid.clone()),
        location,
        name: Some(p.display_name.clone()),
        billing_account_id: Some(p.billing_account_id),
        service: Some(p.service.clone()),
        version: Some(p.version.clone()),
        vcpu: known.vcpu.or(vcpu),
        ram_mb: known.ram_mb.or(ram),
        disk_size_gb: known.disk_size_gb.or(disk),
        multi_node: Some(p.is_multi_node),
        parameters: known.parameters.clone(),
        allowed_addresses: Some(whitelist_state(whitelist, &known.allowed_addresses)),
        status: Some(p.status.clone()),
        service_ip: non_empty(&p.properties.service_ip),
        port: (p.properties.port != 0).then_some(p.properties.port),
        sql_user: non_empty(&p.properties.sql_user),
        password: password
            .filter(|_| stores_password(known.store_password))
            .into(),
        store_password: known.store_password,
        created_at: non_empty(&p.created_at),
        resources: Some(
            p.resources
                .iter()
                .map(|r| PackageResourceState {
                    resource_id: Some(r.resource_id.clone()),
                    resource_type: Some(r.resource_type.clone()),
                    resource_location: Some(r.resource_location.clone()),
                })
                .collect(),
        ),
        timeouts: Vec::new(),
    }
}

const STORE_PASSWORD: &str = "store_password";

/// Whether the password is kept in the state: unless `store_password = false`
/// (unset, as in every state written before the argument existed, means true).
fn stores_password(store: Option<bool>) -> bool {
    store != Some(false)
}

/// Reads a package with its whitelist; the password is fetched only when `known`
/// lacks it (after create or import): the API offers no way to change it.
async fn load(
    ctx: &ProviderData,
    p: &ServicePackage,
    known: &ServicePackageState,
) -> Result<ServicePackageState, crate::api::ApiError> {
    let location = package_location(p)
        .or(known.location.as_deref())
        .unwrap_or_default()
        .to_owned();
    let whitelist = api::whitelist(&ctx.client, &location, &p.uuid).await?;
    let password = match known.password.known().filter(|s| !s.is_empty()) {
        _ if !stores_password(known.store_password) => None,
        Some(known) => Some(known.to_owned()),
        None => non_empty(api::secrets(&ctx.client, &p.uuid).await?.sql_pass.expose()),
    };
    Ok(package_state(p, &whitelist, password, known))
}

/// `parameters` as strings (map values are strings in the schema).
fn parameters_of(planned: &ServicePackageState) -> BTreeMap<String, String> {
    planned
        .parameters
        .iter()
        .flatten()
        .filter_map(|(k, v)| v.as_ref().map(|v| (k.clone(), v.clone())))
        .collect()
}

/// Adds and removes whitelist entries to go from `current` to `wanted`: additions
/// first, because an empty whitelist lets every address in.
async fn sync_whitelist(
    ctx: &ProviderData,
    location: &str,
    uuid: &str,
    current: &[String],
    wanted: &[String],
) -> Result<(), crate::api::ApiError> {
    let has = |list: &[String], entry: &str| list.iter().any(|e| same_entry(e, entry));
    for entry in wanted.iter().filter(|e| !has(current, e)) {
        api::whitelist_add(&ctx.client, location, uuid, entry.trim()).await?;
    }
    for entry in current.iter().filter(|e| !has(wanted, e)) {
        api::whitelist_remove(&ctx.client, location, uuid, entry).await?;
    }
    Ok(())
}

/// The services and versions the API offers. No endpoint lists them; the live API
/// offered only PostgreSQL 14.0 (field notes).
const OFFERED: [(&str, &[&str]); 1] = [("postgresql", &["14.0"])];
const OFFERED_SERVICES: [&str; 1] = [OFFERED[0].0];

/// What `validate` reads of a service package's configuration: the version is
/// checked once both it and the service are known.
#[derive(Serialize, Deserialize, Debug, Default)]
#[serde(default)]
pub struct ServicePackageConfig {
    pub service: Field<String>,
    pub version: Field<String>,
}

#[async_trait]
impl ResourceType for ServicePackageResource {
    type Platform = ProviderData;
    const NAME: &'static str = "service_package";
    // Global: the import reads the location from the API.
    const IDENTITY: Identity = Identity::global(&["id"]);
    type State = ServicePackageState;
    type Config = ServicePackageConfig;
    const FEATURE: Option<Feature> = Some(Feature::ServicePackages);

    fn schema(&self) -> SchemaSpec {
        let positive = || Validator::IntRange(1, i64::MAX);
        let computed =
            |name: &'static str, ty: Ty, desc: &str| Attr::computed(name, ty).desc(desc).stable();
        SchemaSpec::new("A managed database service package (PostgreSQL). Not available on elastis.id. Its address is on the account's default network of its location; `allowed_addresses` restricts who may connect.")
            .attr(id_attr("The package's uuid."))
            .attr(location_attr().desc("Location slug the package runs in (sent to the API as `package_parameters.location`); defaults to the provider's `location`, else the account's default location."))
            .attr(name_attr("Display name of the package; changed in place."))
            .attr(billing_account_attr())
            .attr(
                Attr::required("service", Ty::String)
                    .desc("Database engine: `postgresql` (the only one the API offers).")
                    .force_new()
                    .validate(Validator::OneOf(&OFFERED_SERVICES)),
            )
            .attr(
                Attr::required("version", Ty::String)
                    .desc("Engine version offered for `service`: `14.0` for `postgresql`.")
                    .force_new()
                    .validate(Validator::NotEmpty),
            )
            .attr(
                Attr::required("vcpu", Ty::Number)
                    .desc("vCPUs per node.")
                    .force_new()
                    .validate(positive()),
            )
            .attr(
                Attr::required("ram_mb", Ty::Number)
                    .desc("RAM per node in MiB.")
                    .force_new()
                    .validate(positive()),
            )
            .attr(
                Attr::required("disk_size_gb", Ty::Number)
                    .desc("Disk size per node in GB.")
                    .force_new()
                    .validate(positive()),
            )
            .attr(
                Attr::optional("multi_node", Ty::Bool)
                    .desc("Run the service on several nodes (availability depends on the service).")
                    .read_desc("Whether the service runs on several nodes.")
                    .default(false)
                    .force_new(),
            )
            .attr(
                Attr::optional("parameters", Ty::map(Ty::String))
                    .desc("Extra service parameters, sent as the JSON string `package_parameters`. The API never reports them back. Use the `location` argument rather than a `location` key here.")
                    .force_new()
                    .not_read_back()
                    .validate(Validator::custom(|v| match v.as_obj() {
                        Some(m) if m.contains_key(LOCATION) => Err("set the package's location with the `location` argument, not in parameters.".into()),
                        _ => Ok(()),
                    })),
            )
            .attr(
                Attr::optional_computed(WHITELIST, Ty::set(Ty::String))
                    .desc("Addresses and CIDR prefixes allowed to connect (the whitelist); changed in place. An empty whitelist allows every address. Leave unset to leave the whitelist unmanaged.")
                    .validate(Validator::each(Validator::IpOrCidr)),
            )
            .attr(computed("status", Ty::String, "`active` while the package exists."))
            .attr(computed("service_ip", Ty::String, "Address of the service on the account's default network."))
            .attr(computed("port", Ty::Number, "TCP port of the service (5432 for PostgreSQL)."))
            .attr(computed("sql_user", Ty::String, "Database administrator user."))
            .attr(computed("password", Ty::String, "Password of `sql_user` (from the package's secrets). Stored in the Terraform state (marked sensitive) unless `store_password` is `false`. To use it without storing it, read it with the `idcloudhost_service_package_credentials` ephemeral resource (Terraform 1.10 or later).").sensitive())
            .attr(
                Attr::optional(STORE_PASSWORD, Ty::Bool)
                    .desc("Whether `password` is kept in the Terraform state: `true` (the default, also when unset) or `false`, which leaves `password` null in the state; read it when needed with the `idcloudhost_service_package_credentials` ephemeral resource. Changed in place; nothing is sent to the API.")
                    .not_read_back(),
            )
            .attr(created_at_attr())
            .attr(computed("resources", Ty::list(ty_of::<PackageResourceState>()), "What the package runs on: VMs and, for multi-node packages, a virtual IP."))
            .block(timeouts_block(&["create", "update", "delete"]))
    }

    /// `store_password = false` plans the password out of the state; turned back
    /// on, it is read again from the package's secrets (unknown until then).
    async fn modify_plan(&self, _ctx: &ProviderData, plan: &mut Plan) -> Result<(), OpError> {
        let prior = plan.typed::<ServicePackageState>()?.prior;
        let stored_before = prior.map(|p| stores_password(p.store_password));
        plan.update_planned(|planned: &mut ServicePackageState| {
            if !stores_password(planned.store_password) {
                planned.password = Field::Null;
            } else if stored_before == Some(false) {
                planned.password = Field::Unknown;
            }
        })
    }

    fn validate(&self, config: &ServicePackageConfig) -> Vec<OpError> {
        let (Some(service), Some(version)) = (config.service.as_deref(), config.version.as_deref())
        else {
            return Vec::new();
        };
        match OFFERED.iter().find(|(s, _)| *s == service) {
            Some((_, versions)) if !versions.contains(&version) => vec![OpError::invalid(
                "version",
                format!(
                    "{service} {version:?} is not offered; offered versions: {}.",
                    versions.join(", ")
                ),
            )],
            _ => Vec::new(),
        }
    }

    async fn create(
        &self,
        ctx: &ProviderData,
        planned: ServicePackageState,
    ) -> Result<ServicePackageState, OpError> {
        let known = &planned;
        let location = located(&planned.location)?;
        let mut parameters = parameters_of(&planned);
        parameters.insert(LOCATION.to_owned(), location.to_owned());
        let billing = required_value(planned.billing_account_id, BILLING_ACCOUNT)?;
        let new = NewPackage {
            name: required(&planned.name, "name")?,
            billing_account_id: billing,
            service: required(&planned.service, "service")?,
            version: required(&planned.version, "version")?,
            vcpu: required_value(planned.vcpu, "vcpu")?,
            ram_mb: required_value(planned.ram_mb, "ram_mb")?,
            disk_size_gb: required_value(planned.disk_size_gb, "disk_size_gb")?,
            multi_node: planned.multi_node == Some(true),
            parameters,
        };
        let listed = api::list(&ctx.client).await?.into_iter();
        let listed = listed.map(|p| (p.display_name, p.uuid));
        super::common::warn_same_named("service package", new.name, listed);
        let created = api::create(&ctx.client, &new).await?;
        // Created: from here on every failure keeps the package tracked.
        let partial = package_state(&created, &[], None, known);
        let actual = package_location(&created).unwrap_or(location).to_owned();
        if actual != location {
            return Err(OpError::new(format!(
                "The API created the service package in {actual:?}, not in {location:?}"
            ))
            .detail("The API ignored the requested location (package_parameters.location). The package is tracked with its real location; the next plan replaces it unless `location` is changed to match.")
            .at(LOCATION)
            .with_state(&partial));
        }
        let after = async {
            if let Some(wanted) = &planned.allowed_addresses {
                sync_whitelist(ctx, &actual, &created.uuid, &[], wanted).await?;
            }
            load(ctx, &created, known).await
        };
        after
            .await
            .map_err(|e| OpError::from(e).with_state(&partial))
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        state: ServicePackageState,
    ) -> Result<Option<ServicePackageState>, OpError> {
        let Some(p) = api::find(&ctx.client, required(&state.id, "id")?).await? else {
            return Ok(None);
        };
        Ok(Some(load(ctx, &p, &state).await?))
    }

    async fn update(
        &self,
        ctx: &ProviderData,
        prior: ServicePackageState,
        planned: ServicePackageState,
    ) -> Result<ServicePackageState, OpError> {
        let uuid = required(&prior.id, "id")?;
        let name = name_change(&prior.name, &planned.name)?;
        let billing = billing_change(prior.billing_account_id, planned.billing_account_id);
        if name.is_some() || billing.is_some() {
            api::update(&ctx.client, uuid, name, billing).await?;
        }
        if let Some(wanted) = &planned.allowed_addresses {
            let current = prior.allowed_addresses.clone().unwrap_or_default();
            let location = located(&prior.location)?;
            sync_whitelist(ctx, location, uuid, &current, wanted).await?;
        }
        let p = api::find(&ctx.client, uuid)
            .await?
            .ok_or_else(|| gone_during_update("The service package"))?;
        let known = ServicePackageState {
            allowed_addresses: planned.allowed_addresses,
            store_password: planned.store_password,
            ..prior.clone()
        };
        Ok(load(ctx, &p, &known).await?)
    }

    async fn delete(&self, ctx: &ProviderData, state: &ServicePackageState) -> Result<(), OpError> {
        Ok(api::delete(&ctx.client, required(&state.id, "id")?)
            .await
            .ok_if_not_found()?)
    }

    async fn import(&self, _ctx: &ProviderData, id: &str) -> Result<ServicePackageState, OpError> {
        import_global_uuid(
            id,
            "Expected the service package's uuid (its location is read from the API).",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::from_state;
    use crate::framework::typed::state_matches_schema;
    use crate::framework::{Dyn, Obj};
    use crate::obj;
    use crate::resources::common::test_ctx;

    #[test]
    fn the_version_is_checked_once_known() {
        let r = ServicePackageResource;
        let attrs = |config: Obj| {
            let errors = r.validate(&crate::framework::from_config(&config).unwrap());
            errors.into_iter().map(|e| e.attr).collect::<Vec<_>>()
        };
        let offered = obj! { "service" => "postgresql", "version" => "14.0" };
        assert!(attrs(offered).is_empty());
        let other = obj! { "service" => "postgresql", "version" => "9.6" };
        assert_eq!(attrs(other), vec!["version"]);
        assert!(attrs(obj! { "service" => Dyn::Unknown, "version" => "9.6" }).is_empty());
        assert!(attrs(obj! { "service" => "postgresql", "version" => Dyn::Unknown }).is_empty());
        assert_eq!(
            crate::framework::typed::config_view_matches(&ServicePackageResource),
            Ok(())
        );
    }

    #[test]
    fn whitelist_keeps_the_configured_spelling() {
        let known = Some(vec!["10.0.0.1".to_owned(), "192.168.0.0/24".to_owned()]);
        let served = vec![
            "10.0.0.1/32".to_owned(),
            "192.168.0.0/24".to_owned(),
            "1.2.3.4".to_owned(),
        ];
        assert_eq!(
            whitelist_state(&served, &known),
            vec!["10.0.0.1", "192.168.0.0/24", "1.2.3.4"]
        );
    }

    #[tokio::test]
    async fn oldest_generation_has_no_service_packages() {
        let ctx = test_ctx("https://api.elastis.id");
        let err = ServicePackageResource
            .read(&ctx, from_state(&obj! { "id" => "abc" }).unwrap())
            .await
            .unwrap_err();
        assert!(
            err.summary
                .contains("Managed service packages are not available on elastis.id"),
            "{err}"
        );
    }

    #[test]
    fn state_struct_matches_the_schema() {
        assert_eq!(state_matches_schema(&ServicePackageResource), Ok(()));
    }
}
