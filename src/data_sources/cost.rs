//! `idcloudhost_pricing` (the platform's pricing policy) and `idcloudhost_usage`
//! (this month's charges of a billing account).

use async_trait::async_trait;
use serde::{Deserialize, Deserializer, Serialize};

use crate::api::models::payment::{PricingItem, ResourceUsage};
use crate::api::pricing as api;
use crate::context::{ProviderData, Shared};
use crate::framework::cost::round;
use crate::framework::{
    non_empty, ty_of, Attr, DataSourceType, DynamicDataSource, OpError, SchemaSpec, Ty,
};

/// The data source types this module defines.
pub fn data_sources(shared: &Shared) -> Vec<(String, Box<dyn DynamicDataSource>)> {
    vec![
        super::register(Pricing, shared),
        super::register(Usage, shared),
    ]
}

pub struct Pricing;

/// The object of `idcloudhost_pricing`.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct PricingState {
    pub id: Option<String>,
    pub policy: Option<Vec<Price>>,
}

/// One of `policy`; its schema type is derived from it (`ty_of`).
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Price {
    pub policy_id: i64,
    pub resource_type: String,
    pub name: Option<String>,
    pub price: f64,
    pub num_cpus: Option<i64>,
    pub megs_ram: Option<i64>,
    pub kind: Option<String>,
}

fn price(p: &PricingItem) -> Price {
    Price {
        policy_id: p.policy_id,
        resource_type: p.resource_type.clone(),
        name: non_empty(&p.service_name_user_friendly),
        price: p.price,
        num_cpus: p.num_cpus,
        megs_ram: p.megs_ram,
        kind: p.service_name_in_uptime.clone(),
    }
}

#[async_trait]
impl DataSourceType for Pricing {
    type Platform = ProviderData;
    const NAME: &'static str = "pricing";
    type State = PricingState;

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("The platform's pricing policy (`GET /v1/pricing/policy`): the hourly prices the cost estimates of `idcloudhost_vm`, `idcloudhost_disk`, `idcloudhost_vm_snapshot` and `idcloudhost_bucket` are computed from. Read once per provider run and shared with those estimates.")
            .attr(Attr::computed("id", Ty::String).desc("Always `pricing`."))
            .attr(Attr::computed("policy", Ty::list(ty_of::<Price>())).desc(
                "Every price of the policy, in the API's order: `policy_id`; `resource_type` (`CPU`, `RAM`, `STORAGE`, `LICENSE`, `OBJECT_STORAGE`, ...); `name`, the API's user-friendly name (`1 CPU`, `Windows license per core per hour`); `price` per hour in the account's currency; and what it counts: `num_cpus` (CPUs, for `CPU`), `megs_ram` (MB of RAM, for `RAM`) or `kind` (the storage or licence kind: `main`, `backup`, `snapshot`, `windows`, `object_storage`), null where the API gives none.",
            ))
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        _config: PricingState,
    ) -> Result<PricingState, OpError> {
        let policy = ctx.pricing_policy().await?;
        Ok(PricingState {
            id: Some(Self::NAME.to_owned()),
            policy: Some(policy.policy.iter().map(price).collect()),
        })
    }
}

pub struct Usage;

/// The object of `idcloudhost_usage`.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct UsageState {
    #[serde(deserialize_with = "truncated")]
    pub billing_account_id: Option<i64>,
    pub id: Option<String>,
    pub entries: Option<Vec<Entry>>,
    pub total_cost: Option<f64>,
}

/// A configured id as it always read: a fraction truncated (`Dyn::as_i64`).
fn truncated<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Ok(Option::<f64>::deserialize(deserializer)?.map(|n| n as i64))
}

/// One of `entries`; its schema type is derived from it (`ty_of`).
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Entry {
    pub owner_uuid: String,
    pub description: String,
    pub hours: f64,
    pub price: f64,
    pub cost: f64,
    pub uptime_types: Vec<String>,
}

fn entry(u: &ResourceUsage) -> Entry {
    Entry {
        owner_uuid: u.owner_uuid.clone(),
        description: u.description.clone(),
        hours: u.hours,
        price: u.price,
        cost: u.cost,
        uptime_types: u.uptime_types.clone(),
    }
}

#[async_trait]
impl DataSourceType for Usage {
    type Platform = ProviderData;
    const NAME: &'static str = "usage";
    type State = UsageState;

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("This month's charges of a billing account (`GET /v1/charging/usage`): what each resource has cost so far, as the platform bills it.")
            .attr(Attr::optional_computed("billing_account_id", Ty::Number).desc(
                "The billing account; default: the provider's `billing_account_id`, else the account's default billing account.",
            ))
            .attr(Attr::computed("id", Ty::String).desc("The billing account id, as a string."))
            .attr(Attr::computed("entries", Ty::list(ty_of::<Entry>())).desc(
                "One entry per billed resource, in the API's order: `owner_uuid` (the resource's uuid), `description`, `hours` billed this month, `price` per hour, `cost` so far this month (in the account's currency) and `uptime_types` (what was billed: `VM_COMPUTE`, `VM_RUNNING`, `MAIN_STORAGE`, ...).",
            ))
            .attr(Attr::computed("total_cost", Ty::Number).desc(
                "The sum of the entries' `cost`, rounded to 8 decimal places.",
            ))
    }

    async fn read(&self, ctx: &ProviderData, config: UsageState) -> Result<UsageState, OpError> {
        let configured = config.billing_account_id;
        let id = ctx.resolve_billing_account(configured).await?;
        if configured.is_some() {
            ctx.check_billing_account(id, "billing_account_id").await?;
        }
        let usage = api::usage(&ctx.client, id).await?;
        let total: f64 = usage.iter().map(|u| u.cost).sum();
        Ok(UsageState {
            billing_account_id: Some(id),
            id: Some(id.to_string()),
            entries: Some(usage.iter().map(entry).collect()),
            total_cost: Some(round(total, 8)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{from_state, Dyn};
    use crate::obj;

    #[test]
    fn a_configured_billing_account_reads_as_it_always_did() {
        let read = |id: Dyn| {
            from_state::<UsageState>(&obj! {"billing_account_id" => id})
                .unwrap()
                .billing_account_id
        };
        assert_eq!(read(Dyn::int(42)), Some(42));
        assert_eq!(read(Dyn::num(42.9)), Some(42));
        assert_eq!(read(Dyn::Null), None);
    }
}
