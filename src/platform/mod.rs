//! The IDCloudHost platform's rules, in one provider-level place: the
//! provider-wide attributes (`location`, `billing_account_id`) and their
//! defaults, brand gating, the pricing policy of cost estimates (`pricing`), and
//! API errors as diagnostics. The framework is generic: it knows them only
//! through `framework::Platform`, which `ProviderData` implements here, and
//! applies them to every type.

pub mod pricing;

use async_trait::async_trait;

use crate::api::{ApiError, ErrorKind, Feature, Generation};
use crate::cancel::Cancel;
use crate::context::ProviderData;
use crate::framework::cost::Estimate;
use crate::framework::error::OpError;
use crate::framework::platform::Platform;
use crate::framework::resource::{Plan, LOCATION};
use crate::framework::schema::{Attr, OnlyOn, SchemaSpec};
use crate::framework::value::{Dyn, Obj};
use pricing::Meter;

/// The provider-wide billing account attribute, with its plan rule here.
pub const BILLING_ACCOUNT: &str = "billing_account_id";

#[async_trait]
impl Platform for ProviderData {
    type Feature = Feature;
    type Meter = Meter;
    const TYPE_PREFIX: &'static str = "idcloudhost_";

    fn check_available(
        &self,
        type_name: &str,
        feature: Option<Feature>,
        attrs: &[Attr],
        config: &Obj,
    ) -> Result<(), OpError> {
        check_brand(type_name, feature, attrs, self.client.generation(), config)
    }

    async fn plan_rules(&self, spec: &SchemaSpec, plan: &mut Plan) -> Result<(), OpError> {
        // Each may need one API list the first time this process asks: together.
        let current: &Plan = plan;
        let (location, billing_account) = tokio::join!(
            plan_location(spec, self, current),
            plan_billing_account(spec, self, current)
        );
        if let Some(slug) = location? {
            if plan.prior(LOCATION).as_str() != Some(slug.as_str()) {
                plan.require_replace(LOCATION);
            }
            plan.set(LOCATION, slug);
        }
        if let Some(id) = billing_account? {
            plan.set(BILLING_ACCOUNT, id);
        }
        Ok(())
    }

    /// The provider's location (else the account's default) first, then every
    /// other.
    async fn search_locations(&self) -> Result<Vec<String>, OpError> {
        let first = self.resolve_location(None).await?;
        let others = self.locations().await?.into_iter().map(|l| l.slug);
        let mut slugs = vec![first.clone()];
        slugs.extend(others.filter(|slug| *slug != first));
        Ok(slugs)
    }

    /// The billing account every plan picks when none is configured (the
    /// provider's, else the account's default) goes without saying.
    async fn leave_out_defaults(&self, config: &mut Obj) {
        if let Some(id) = config.get(BILLING_ACCOUNT).and_then(Dyn::as_i64) {
            if self.resolve_billing_account(None).await.ok() == Some(id) {
                config.insert(BILLING_ACCOUNT.to_owned(), Dyn::Null);
            }
        }
    }

    fn cancel(&self) -> &Cancel {
        self.client.cancel()
    }

    async fn hourly_cost(&self, meter: &Meter, what: &str) -> Estimate {
        pricing::hourly_cost(self, meter, what).await
    }
}

/// An API error as a diagnostic: the API's own message, and what to check for the
/// kinds a user can act on.
impl From<ApiError> for OpError {
    fn from(e: ApiError) -> Self {
        let hint = match e.kind {
            ErrorKind::Unauthorized | ErrorKind::Forbidden => {
                "The API refused the API key: check the provider's api_key (or IDCLOUDHOST_API_KEY) and api_url."
            }
            ErrorKind::UnknownLocation => {
                "The API does not know this location slug: check `location` (resource or provider) against the idcloudhost_locations data source."
            }
            ErrorKind::WrongBrand => {
                "The API's brand differs from the one the provider assumed: see the message for the `brand` to set."
            }
            ErrorKind::RateLimited => "The API kept rate-limiting the request after all retries (max_retries).",
            ErrorKind::Server => "The API failed with a server error.",
            ErrorKind::Transport => "The API could not be reached or answered something unreadable.",
            _ => "",
        };
        OpError::new(e.to_string()).detail(hint)
    }
}

/// What the selected brand's API lacks: the type itself (`FEATURE`) or what a
/// configured attribute among `attrs` does (`Attr::only_on`).
pub fn check_brand(
    type_name: &str,
    feature: Option<Feature>,
    attrs: &[Attr],
    generation: Generation,
    config: &Obj,
) -> Result<(), OpError> {
    if let Some(feature) = feature.filter(|f| !generation.supports(*f)) {
        return Err(OpError::new(format!(
            "{type_name} is not available on {}",
            generation.brand()
        ))
        .detail(feature.unavailable(generation)));
    }
    for attr in attrs {
        if let Some(rule) = &attr.only_on {
            let value = config.get(attr.name).unwrap_or(&Dyn::Null);
            check_only_on(rule, attr.name, value, generation)?;
        }
    }
    Ok(())
}

/// Refuses `value` of attribute `attr` when it uses the rule's feature and
/// `generation` lacks it.
pub fn check_only_on(
    rule: &OnlyOn,
    attr: &str,
    value: &Dyn,
    generation: Generation,
) -> Result<(), OpError> {
    let Some(feature) = rule.feature::<Feature>() else {
        return Err(OpError::new(format!(
            "The provider declares {attr} with a brand rule that names no API feature"
        ))
        .detail("This is a bug in the provider; please report it."));
    };
    if generation.supports(feature) || !rule.needed_by(value) {
        return Ok(());
    }
    Err(OpError::invalid(attr, feature.unavailable(generation)))
}

/// `location`: the resource's own, else the provider's, else the account default;
/// validated against the API's locations so a typo fails at plan time. A changed
/// provider default moves (replaces) resources that rely on it. The slug to plan,
/// if any.
async fn plan_location(
    spec: &SchemaSpec,
    ctx: &ProviderData,
    plan: &Plan,
) -> Result<Option<String>, OpError> {
    if spec.attr_spec(LOCATION).is_none() {
        return Ok(None);
    }
    let wanted = match plan.config(LOCATION) {
        Dyn::Unknown => return Ok(None),
        Dyn::String(slug) => Some(slug.clone()),
        _ if !plan.is_create() && ctx.default_location.is_none() => return Ok(None),
        _ => None,
    };
    if !plan.is_create() && wanted.is_some() && plan.prior(LOCATION).as_str() == wanted.as_deref() {
        return Ok(None);
    }
    Ok(Some(ctx.resolve_location(wanted.as_deref()).await?))
}

/// `billing_account_id`: the resource's own, else the provider's, else the
/// account's default billing account (known at plan time, on every plan). A
/// configured id, the resource's or the provider's, that is not one of the
/// account's billing accounts fails the plan when it would be applied.
/// The id to plan, if any.
async fn plan_billing_account(
    spec: &SchemaSpec,
    ctx: &ProviderData,
    plan: &Plan,
) -> Result<Option<i64>, OpError> {
    if spec.attr_spec(BILLING_ACCOUNT).is_none() {
        return Ok(None);
    }
    let configured = match plan.config(BILLING_ACCOUNT) {
        Dyn::Null => None,
        value => match value.as_i64() {
            Some(id) => Some(id),
            None => return Ok(None),
        },
    };
    // The same default on every plan: a billing account moved outside
    // Terraform shows as drift back to it.
    let id = ctx.resolve_billing_account(configured).await?;
    let chosen = configured.is_some() || ctx.default_billing_account.is_some();
    let changes = plan.is_create() || plan.prior(BILLING_ACCOUNT).as_i64() != Some(id);
    if chosen && changes {
        let attr = if configured.is_some() {
            BILLING_ACCOUNT
        } else {
            ""
        };
        ctx.check_billing_account(id, attr).await?;
    }
    Ok(Some(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::schema::Ty;
    use crate::obj;

    #[test]
    fn brand_rules_name_the_brand_that_has_it() {
        // An action's attributes, as its adapter checks them.
        let attrs = [
            Attr::required("text", Ty::String),
            Attr::optional("mode", Ty::String).only_on(Feature::BootIsoMedia),
        ];
        let check_brand = |generation, config: &Obj| {
            check_brand("idcloudhost_echo", None, &attrs, generation, config)
        };
        let config = obj! {"text" => "hi", "mode" => "loud"};
        assert!(check_brand(Generation::Newest, &config).is_ok());
        let err = check_brand(Generation::Oldest, &config).unwrap_err();
        assert_eq!(err.attr, "mode");
        assert!(err.detail.contains("elastis.id"), "{}", err.detail);
        assert!(err.detail.contains("IDCloudHost"), "{}", err.detail);
    }

    #[test]
    fn api_errors_keep_their_message() {
        let api = ApiError::from_response(
            "GET",
            "/v1/config/locations",
            403,
            br#"{"message":"Invalid authentication credentials"}"#,
        );
        let op = OpError::from(api);
        assert!(op.summary.contains("Invalid authentication credentials"));
        assert!(op.detail.contains("api_key"));
    }
}
