//! What `configure` produces and every resource and data source shares: the API
//! client and the provider-level defaults. Resources are built before configure, so
//! they hold a `Shared` handle that configure fills. `ProviderData` is the
//! platform the framework's types run on (`crate::platform` implements
//! `framework::Platform` for it).

use std::sync::Arc;

use crate::api::models::config::Location;
use crate::api::models::payment::PricingPolicy;
use crate::api::{ApiClient, ApiError, Loc};
use crate::framework::OpError;

pub struct ProviderData {
    pub client: ApiClient,
    /// Provider-level `location`, used when a resource does not set one.
    pub default_location: Option<String>,
    /// Provider-level `billing_account_id`.
    pub default_billing_account: Option<i64>,
    /// The pricing policy, read once per provider process (see `pricing_policy`).
    pub pricing: PricingCache,
}

/// The outcome of the process's one read of the pricing policy, failure included
/// (a cost estimate never retries it per resource).
pub type PricingCache = tokio::sync::OnceCell<Result<Arc<PricingPolicy>, ApiError>>;

impl ProviderData {
    /// The pricing policy (`GET /v1/pricing/policy`), read once per provider process
    /// and shared by the cost estimates and the `idcloudhost_pricing` data source.
    pub async fn pricing_policy(&self) -> Result<Arc<PricingPolicy>, ApiError> {
        self.pricing
            .get_or_init(|| async {
                crate::api::pricing::policy(&self.client)
                    .await
                    .map(Arc::new)
            })
            .await
            .clone()
    }

    /// The API's locations, asked for when first needed, once per process. The
    /// provider's own `location` is checked as soon as the list is at hand, so a
    /// mistyped one fails the first plan that needs any location, listing them.
    pub async fn locations(&self) -> Result<Vec<Location>, OpError> {
        let locations: Vec<Location> = self
            .client
            .list_once::<Vec<Location>>(Loc::Global, "config/locations")
            .await?
            .as_ref()
            .clone();
        if let Some(slug) = self.default_location.as_deref() {
            known_location(&locations, slug, "provider location")?;
        }
        Ok(locations)
    }

    /// The slug a location-scoped resource uses: its own `location`, else the
    /// provider's, else the account's default location. Checked against the API's
    /// location list so a typo is a plan-time error naming the attribute.
    pub async fn resolve_location(&self, configured: Option<&str>) -> Result<String, OpError> {
        let locations = self.locations().await?;
        let (slug, source) = match (configured, self.default_location.as_deref()) {
            (Some(slug), _) => (slug.to_owned(), "location"),
            (None, Some(slug)) => (slug.to_owned(), "provider location"),
            (None, None) => {
                let default = locations
                    .iter()
                    .find(|l| l.is_default)
                    .or_else(|| locations.first())
                    .ok_or_else(|| OpError::new("The API lists no locations"))?;
                return Ok(default.slug.clone());
            }
        };
        known_location(&locations, &slug, source)?;
        Ok(slug)
    }
}

/// An error naming `slug` (the `source`'s: `location` or `provider location`) and
/// the API's locations, unless it is one of them.
fn known_location(locations: &[Location], slug: &str, source: &str) -> Result<(), OpError> {
    if locations.iter().any(|l| l.slug == slug) {
        return Ok(());
    }
    let known: Vec<&str> = locations.iter().map(|l| l.slug.as_str()).collect();
    Err(OpError::new(format!("Unknown location {slug:?}"))
        .detail(format!(
            "The {source} {slug:?} is not one of this API's locations: {}.",
            known.join(", ")
        ))
        .at(if source == "location" { "location" } else { "" }))
}

impl ProviderData {
    /// Checks that `id` is one of the account's billing accounts, so a wrong id is a
    /// plan-time error naming `attr` instead of a failed apply. `attr` is empty for
    /// the provider's own `billing_account_id`.
    pub async fn check_billing_account(&self, id: i64, attr: &str) -> Result<(), OpError> {
        let accounts = crate::api::billing::list_accounts_once(&self.client).await?;
        if accounts.iter().any(|a| a.id == id) {
            return Ok(());
        }
        let known: Vec<String> = accounts
            .iter()
            .map(|a| format!("{} ({})", a.id, a.title))
            .collect();
        let whose = if attr.is_empty() {
            "The provider's billing_account_id"
        } else {
            "billing_account_id"
        };
        Err(OpError::new(format!("Unknown billing account {id}"))
            .detail(format!(
                "{whose} {id} is not one of this account's billing accounts: {}.",
                known.join(", ")
            ))
            .at(attr))
    }

    /// The billing account a resource uses: its own, else the provider's, else the
    /// account's default one.
    pub async fn resolve_billing_account(&self, configured: Option<i64>) -> Result<i64, OpError> {
        if let Some(id) = configured.or(self.default_billing_account) {
            return Ok(id);
        }
        let accounts = crate::api::billing::list_accounts_once(&self.client).await?;
        accounts
            .iter()
            .find(|a| a.is_default)
            .or_else(|| accounts.first())
            .map(|a| a.id)
            .ok_or_else(|| {
                OpError::new("No billing account found")
                    .detail("The account has no billing account; set billing_account_id.")
                    .at("billing_account_id")
            })
    }
}

/// The configured provider's data, as every registered type holds it.
pub type Shared = crate::framework::Shared<ProviderData>;
