//! `idcloudhost_billing_accounts`: the billing accounts resources can be charged to.

use async_trait::async_trait;

use crate::api::billing as api;
use crate::api::models::billing::BillingAccount;
use crate::context::{ProviderData, Shared};
use crate::framework::{
    Attr, DataSourceType, Dyn, DynamicDataSource, Obj, OpError, SchemaSpec, Ty,
};
use crate::obj;

/// The data source types this module defines.
pub fn data_sources(shared: &Shared) -> Vec<(String, Box<dyn DynamicDataSource>)> {
    vec![super::register(BillingAccounts, shared)]
}

pub struct BillingAccounts;

fn account_ty() -> Ty {
    Ty::Object(vec![
        ("id", Ty::Number),
        ("title", Ty::String),
        ("email", Ty::String),
        ("company_name", Ty::String),
        ("is_default", Ty::Bool),
        ("is_active", Ty::Bool),
        ("can_pay", Ty::Bool),
        ("allow_debt", Ty::Bool),
        ("paying_by_invoice", Ty::Bool),
        ("restriction_level", Ty::String),
        ("suspend_reason", Ty::String),
        ("credit_amount", Ty::Number),
        ("credit_available", Ty::Number),
        ("unpaid_amount", Ty::Number),
        ("created", Ty::Number),
    ])
}

fn account_value(a: BillingAccount) -> Dyn {
    Dyn::Object(obj! {
        "id" => a.id,
        "title" => a.title,
        "email" => a.email,
        "company_name" => Dyn::non_empty_str(&a.company_name),
        "is_default" => a.is_default,
        "is_active" => a.is_active,
        "can_pay" => a.can_pay,
        "allow_debt" => a.allow_debt,
        "paying_by_invoice" => a.paying_by_invoice,
        "restriction_level" => Dyn::non_empty_str(&a.restriction_level),
        "suspend_reason" => Dyn::non_empty_str(&a.suspend_reason),
        "credit_amount" => a.credit_amount,
        "credit_available" => a.running_totals.credit_available,
        "unpaid_amount" => a.unpaid_amount,
        "created" => a.created,
    })
}

#[async_trait]
impl DataSourceType for BillingAccounts {
    const NAME: &'static str = "billing_accounts";

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("Lists the billing accounts resources can be charged to (`billing_account_id`).")
            .attr(Attr::computed("id", Ty::String).desc("Always `billing_accounts`."))
            .attr(Attr::computed("default_id", Ty::Number).desc(
                "Id of the account's default billing account (the one resources are charged to when neither they nor the provider set `billing_account_id`); null when there is none.",
            ))
            .attr(Attr::computed("accounts", Ty::list(account_ty())).desc(
                "Every billing account that is not deleted, in the API's order: `id` (the value for `billing_account_id`), `title` (its name as the API gives it), `email`, `company_name`, `is_default`, `is_active`, `can_pay`, `allow_debt`, `paying_by_invoice`, `restriction_level` (e.g. `FROZEN`; null when unrestricted), `suspend_reason`, `credit_amount`, `credit_available`, `unpaid_amount` and `created` (Unix seconds).",
            ))
    }

    async fn read(&self, ctx: &ProviderData, _config: &Obj) -> Result<Obj, OpError> {
        let accounts = api::list_accounts(&ctx.client).await?;
        let default_id = accounts.iter().find(|a| a.is_default).map(|a| a.id);
        Ok(obj! {
            "id" => "billing_accounts",
            "default_id" => default_id,
            "accounts" => accounts.into_iter().map(account_value).collect::<Vec<_>>(),
        })
    }
}
