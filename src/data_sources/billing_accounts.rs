//! `idcloudhost_billing_accounts`: the billing accounts resources can be charged to.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::api::billing as api;
use crate::api::models::billing::BillingAccount;
use crate::context::{ProviderData, Shared};
use crate::framework::{
    non_empty, ty_of, Attr, DataSourceType, DynamicDataSource, OpError, SchemaSpec, Ty,
};

/// The data source types this module defines.
pub fn data_sources(shared: &Shared) -> Vec<(String, Box<dyn DynamicDataSource>)> {
    vec![super::register(BillingAccounts, shared)]
}

pub struct BillingAccounts;

/// The object of `idcloudhost_billing_accounts`.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct BillingAccountsState {
    pub id: Option<String>,
    pub default_id: Option<i64>,
    pub accounts: Option<Vec<Account>>,
}

/// One of `accounts`; its schema type is derived from it (`ty_of`).
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Account {
    pub id: i64,
    pub title: String,
    pub email: String,
    pub company_name: Option<String>,
    pub is_default: bool,
    pub is_active: bool,
    pub can_pay: bool,
    pub allow_debt: bool,
    pub paying_by_invoice: bool,
    pub restriction_level: Option<String>,
    pub suspend_reason: Option<String>,
    pub credit_amount: f64,
    pub credit_available: f64,
    pub unpaid_amount: f64,
    pub created: i64,
}

fn account(a: BillingAccount) -> Account {
    Account {
        id: a.id,
        company_name: non_empty(&a.company_name),
        is_default: a.is_default,
        is_active: a.is_active,
        can_pay: a.can_pay,
        allow_debt: a.allow_debt,
        paying_by_invoice: a.paying_by_invoice,
        restriction_level: non_empty(&a.restriction_level),
        suspend_reason: non_empty(&a.suspend_reason),
        credit_amount: a.credit_amount,
        credit_available: a.running_totals.credit_available,
        unpaid_amount: a.unpaid_amount,
        created: a.created,
        title: a.title,
        email: a.email,
    }
}

#[async_trait]
impl DataSourceType for BillingAccounts {
    type Platform = ProviderData;
    const NAME: &'static str = "billing_accounts";
    type State = BillingAccountsState;

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("Lists the billing accounts resources can be charged to (`billing_account_id`).")
            .attr(Attr::computed("id", Ty::String).desc("Always `billing_accounts`."))
            .attr(Attr::computed("default_id", Ty::Number).desc(
                "Id of the account's default billing account (the one resources are charged to when neither they nor the provider set `billing_account_id`); null when there is none.",
            ))
            .attr(Attr::computed("accounts", Ty::list(ty_of::<Account>())).desc(
                "Every billing account that is not deleted, in the API's order: `id` (the value for `billing_account_id`), `title` (its name as the API gives it), `email`, `company_name`, `is_default`, `is_active`, `can_pay`, `allow_debt`, `paying_by_invoice`, `restriction_level` (e.g. `FROZEN`; null when unrestricted), `suspend_reason`, `credit_amount`, `credit_available`, `unpaid_amount` and `created` (Unix seconds).",
            ))
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        _config: BillingAccountsState,
    ) -> Result<BillingAccountsState, OpError> {
        let accounts = api::list_accounts(&ctx.client).await?;
        Ok(BillingAccountsState {
            id: Some(Self::NAME.to_owned()),
            default_id: accounts.iter().find(|a| a.is_default).map(|a| a.id),
            accounts: Some(accounts.into_iter().map(account).collect()),
        })
    }
}
