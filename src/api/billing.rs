//! Billing accounts: `GET /v1/payment/billing_account/list` (global).

use super::models::billing::BillingAccount;
use super::{ApiClient, ApiError, Loc};

/// The account's billing accounts, deleted ones left out (shared per process until
/// the next write).
pub async fn list_accounts(client: &ApiClient) -> Result<Vec<BillingAccount>, ApiError> {
    let accounts: Vec<BillingAccount> = client
        .list(Loc::Global, "payment/billing_account/list")
        .await?;
    Ok(accounts.into_iter().filter(|a| !a.is_deleted).collect())
}

/// The account's billing accounts as the provider's defaults and checks use them:
/// asked for once per process, when first needed (the provider never changes them).
pub async fn list_accounts_once(client: &ApiClient) -> Result<Vec<BillingAccount>, ApiError> {
    let accounts: std::sync::Arc<Vec<BillingAccount>> = client
        .list_once(Loc::Global, "payment/billing_account/list")
        .await?;
    Ok(accounts.iter().filter(|a| !a.is_deleted).cloned().collect())
}
