//! The IDCloudHost platform's rules every managed resource shares, in one
//! provider-level place: the provider-wide attributes (`location`,
//! `billing_account_id`) and their defaults, and brand gating. The framework's
//! plan engine (`framework::resource::plan`) applies them to every resource.

use crate::api::{ApiError, ErrorKind, Feature, Generation};
use crate::context::ProviderData;
use crate::framework::error::OpError;
use crate::framework::resource::Plan;
use crate::framework::schema::SchemaSpec;
use crate::framework::value::{Dyn, Obj};

/// Attribute names with provider-wide plan rules.
pub const LOCATION: &str = "location";
pub const BILLING_ACCOUNT: &str = "billing_account_id";

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

/// What the selected brand's API lacks: the resource itself (`FEATURE`) or what
/// a configured attribute does (`Attr::only_on`).
pub fn check_brand(
    type_name: &str,
    feature: Option<Feature>,
    spec: &SchemaSpec,
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
    for attr in &spec.attrs {
        if let Some(rule) = &attr.only_on {
            let value = config.get(attr.name).unwrap_or(&Dyn::Null);
            rule.check(attr.name, value, generation)?;
        }
    }
    Ok(())
}

/// `location`: the resource's own, else the provider's, else the account default;
/// validated against the API's locations so a typo fails at plan time. A changed
/// provider default moves (replaces) resources that rely on it. The slug to plan,
/// if any.
pub async fn plan_location(
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
pub async fn plan_billing_account(
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
