//! `idcloudhost_pricing` (the platform's pricing policy) and `idcloudhost_usage`
//! (this month's charges of a billing account).

use async_trait::async_trait;

use crate::api::models::payment::{PricingItem, ResourceUsage};
use crate::api::pricing as api;
use crate::context::{ProviderData, Shared};
use crate::framework::cost::round;
use crate::framework::{
    Attr, DataSourceType, Dyn, DynamicDataSource, Obj, OpError, SchemaSpec, Ty,
};
use crate::obj;

/// The data source types this module defines.
pub fn data_sources(shared: &Shared) -> Vec<(String, Box<dyn DynamicDataSource>)> {
    vec![
        super::register(Pricing, shared),
        super::register(Usage, shared),
    ]
}

pub struct Pricing;

fn price_ty() -> Ty {
    Ty::Object(vec![
        ("policy_id", Ty::Number),
        ("resource_type", Ty::String),
        ("name", Ty::String),
        ("price", Ty::Number),
        ("num_cpus", Ty::Number),
        ("megs_ram", Ty::Number),
        ("kind", Ty::String),
    ])
}

fn price_value(p: &PricingItem) -> Dyn {
    Dyn::Object(obj! {
        "policy_id" => p.policy_id,
        "resource_type" => p.resource_type.clone(),
        "name" => Dyn::non_empty_str(&p.service_name_user_friendly),
        "price" => p.price,
        "num_cpus" => p.num_cpus,
        "megs_ram" => p.megs_ram,
        "kind" => p.service_name_in_uptime.clone(),
    })
}

#[async_trait]
impl DataSourceType for Pricing {
    const NAME: &'static str = "pricing";

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("The platform's pricing policy (`GET /v1/pricing/policy`): the hourly prices the cost estimates of `idcloudhost_vm`, `idcloudhost_disk`, `idcloudhost_vm_snapshot` and `idcloudhost_bucket` are computed from. Read once per provider run and shared with those estimates.")
            .attr(Attr::computed("id", Ty::String).desc("Always `pricing`."))
            .attr(Attr::computed("policy", Ty::list(price_ty())).desc(
                "Every price of the policy, in the API's order: `policy_id`; `resource_type` (`CPU`, `RAM`, `STORAGE`, `LICENSE`, `OBJECT_STORAGE`, ...); `name`, the API's user-friendly name (`1 CPU`, `Windows license per core per hour`); `price` per hour in the account's currency; and what it counts: `num_cpus` (CPUs, for `CPU`), `megs_ram` (MB of RAM, for `RAM`) or `kind` (the storage or licence kind: `main`, `backup`, `snapshot`, `windows`, `object_storage`), null where the API gives none.",
            ))
    }

    async fn read(&self, ctx: &ProviderData, _config: &Obj) -> Result<Obj, OpError> {
        let policy = ctx.pricing_policy().await?;
        Ok(obj! {
            "id" => "pricing",
            "policy" => policy.policy.iter().map(price_value).collect::<Vec<_>>(),
        })
    }
}

pub struct Usage;

fn entry_ty() -> Ty {
    Ty::Object(vec![
        ("owner_uuid", Ty::String),
        ("description", Ty::String),
        ("hours", Ty::Number),
        ("price", Ty::Number),
        ("cost", Ty::Number),
        ("uptime_types", Ty::list(Ty::String)),
    ])
}

fn entry_value(u: &ResourceUsage) -> Dyn {
    Dyn::Object(obj! {
        "owner_uuid" => u.owner_uuid.clone(),
        "description" => u.description.clone(),
        "hours" => u.hours,
        "price" => u.price,
        "cost" => u.cost,
        "uptime_types" => u.uptime_types.iter().map(|t| Dyn::from(t.as_str())).collect::<Vec<_>>(),
    })
}

#[async_trait]
impl DataSourceType for Usage {
    const NAME: &'static str = "usage";

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("This month's charges of a billing account (`GET /v1/charging/usage`): what each resource has cost so far, as the platform bills it.")
            .attr(Attr::optional_computed("billing_account_id", Ty::Number).desc(
                "The billing account; default: the provider's `billing_account_id`, else the account's default billing account.",
            ))
            .attr(Attr::computed("id", Ty::String).desc("The billing account id, as a string."))
            .attr(Attr::computed("entries", Ty::list(entry_ty())).desc(
                "One entry per billed resource, in the API's order: `owner_uuid` (the resource's uuid), `description`, `hours` billed this month, `price` per hour, `cost` so far this month (in the account's currency) and `uptime_types` (what was billed: `VM_COMPUTE`, `VM_RUNNING`, `MAIN_STORAGE`, ...).",
            ))
            .attr(Attr::computed("total_cost", Ty::Number).desc(
                "The sum of the entries' `cost`, rounded to 8 decimal places.",
            ))
    }

    async fn read(&self, ctx: &ProviderData, config: &Obj) -> Result<Obj, OpError> {
        let configured = config.get("billing_account_id").and_then(Dyn::as_i64);
        let id = ctx.resolve_billing_account(configured).await?;
        if configured.is_some() {
            ctx.check_billing_account(id, "billing_account_id").await?;
        }
        let usage = api::usage(&ctx.client, id).await?;
        let total: f64 = usage.iter().map(|u| u.cost).sum();
        Ok(obj! {
            "billing_account_id" => id,
            "id" => id.to_string(),
            "entries" => usage.iter().map(entry_value).collect::<Vec<_>>(),
            "total_cost" => round(total, 8),
        })
    }
}
