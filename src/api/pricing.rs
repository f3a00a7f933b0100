//! Prices and this month's charges (global endpoints): `GET /v1/pricing/policy`
//! and `GET /v1/charging/usage?billing_account_id=`.

use super::models::payment::{PricingPolicy, ResourceUsage};
use super::{ApiClient, ApiError, Loc};

/// The pricing policy: one entry per price, per hour, in the account's currency.
pub async fn policy(client: &ApiClient) -> Result<PricingPolicy, ApiError> {
    client.get(Loc::Global, "pricing/policy").send().await
}

/// What each resource of a billing account has cost this month.
pub async fn usage(
    client: &ApiClient,
    billing_account_id: i64,
) -> Result<Vec<ResourceUsage>, ApiError> {
    client
        .get(Loc::Global, "charging/usage")
        .query("billing_account_id", billing_account_id)
        .send()
        .await
}
