//! The `provider "idcloudhost"` block: configuration, environment fallbacks, and
//! the registry of resources and data sources.

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;

use crate::api::client::DEFAULT_API_URL;
use crate::api::{ApiClient, ClientConfig, Generation};
use crate::cancel::Cancel;
use crate::context::{ProviderData, Shared};
use crate::framework::resource::report;
use crate::framework::{
    Attr, Diagnostics, Dyn, DynamicAction, DynamicDataSource, DynamicEphemeralResource,
    DynamicListResource, DynamicResource, OpError, ProviderType, SchemaSpec, Ty, Validator,
};
use crate::{actions, data_sources, ephemeral_resources, list_resources, resources};

/// The most retries `max_retries` allows: more would only delay a clear failure.
pub const MAX_RETRIES: i64 = 10;

pub const ENV_API_KEY: &str = "IDCLOUDHOST_API_KEY";
pub const ENV_API_URL: &str = "IDCLOUDHOST_API_URL";
pub const ENV_LOCATION: &str = "IDCLOUDHOST_LOCATION";
pub const ENV_BILLING_ACCOUNT: &str = "IDCLOUDHOST_BILLING_ACCOUNT_ID";
pub const ENV_BRAND: &str = "IDCLOUDHOST_BRAND";

/// Values of the provider's `brand`, one per API generation.
const BRANDS: &[&str] = &["idcloudhost", "3nv", "elastis"];

#[derive(Default)]
pub struct IdcloudhostProvider {
    shared: Shared,
    /// The one cancellation signal of this provider: `stop` triggers it, and the
    /// API client's waits (and the framework's, through the client) watch it.
    cancel: Cancel,
}

impl IdcloudhostProvider {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn spec() -> SchemaSpec {
        SchemaSpec::new(
            "Manages IDCloudHost (and its sister brands elastis.id and 3nv.io) cloud resources.",
        )
        .attr(
            Attr::optional("api_key", Ty::String)
                .sensitive()
                .desc(format!("API key (the `apikey` header). Falls back to `{ENV_API_KEY}`; required from one of them.")),
        )
        .attr(
            Attr::optional("api_url", Ty::String)
                .desc(format!(
                    "API base URL, selecting the brand: `{DEFAULT_API_URL}` (default), `https://api.3nv.io` or `https://api.elastis.id`; `http://` is allowed for the local simulator. Falls back to `{ENV_API_URL}`."
                ))
                .validate(Validator::Pattern(r"^https?://[^\s/]+", "an http(s) URL")),
        )
        .attr(
            Attr::optional("brand", Ty::String)
                .desc(format!(
                    "Which API generation to speak: `idcloudhost` (newest), `3nv` (middle) or `elastis` (oldest). Unset: taken from the `api_url` host (`api.3nv.io`, `api.elastis.id`; any other host is `idcloudhost`). Set it when the API is reached under another host name (a reseller, a proxy, the simulator). With `brand` set and no `api_url`, the brand's own API URL is used. Falls back to `{ENV_BRAND}`."
                ))
                .validate(Validator::OneOf(BRANDS)),
        )
        .attr(
            Attr::optional("location", Ty::String)
                .desc(format!("Default location slug for location-scoped resources; otherwise the account's default location. Falls back to `{ENV_LOCATION}`."))
                .validate(Validator::NotEmpty),
        )
        .attr(
            Attr::optional("billing_account_id", Ty::Number)
                .desc(format!("Default billing account for every resource that takes one. Falls back to `{ENV_BILLING_ACCOUNT}`."))
                .validate(Validator::IntRange(1, i64::MAX)),
        )
        .attr(
            Attr::optional("max_retries", Ty::Number)
                .desc("How often a failed request that is safe to repeat is retried, and a create refused with 502/503/504 is sent again after a lookup found nothing created: 0 to 10 (default 4).")
                .validate(Validator::IntRange(0, MAX_RETRIES)),
        )
    }

    /// Builds the provider data from the configuration and the environment.
    pub fn configure_from(
        config: &Dyn,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<ProviderData, OpError> {
        Self::configure_for("", config, env)
    }

    /// `configure_from` for the Terraform whose version `ConfigureProvider` gave: the
    /// API client's `User-Agent` names it.
    pub fn configure_for(
        terraform_version: &str,
        config: &Dyn,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<ProviderData, OpError> {
        let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let string_attr = |name: &str, env_name: &str| -> Result<Option<String>, OpError> {
            match config.get(name) {
                Dyn::Unknown => Err(OpError::new(format!(
                    "The provider's {name} is not known until apply"
                ))
                .detail(
                    "Use a value known at plan time (a literal, variable or environment variable).",
                )
                .at(name)),
                Dyn::String(s) => Ok(Some(s.clone())),
                _ => Ok(env(env_name)),
            }
        };
        let api_key = string_attr("api_key", ENV_API_KEY)?.ok_or_else(|| {
            OpError::new("Missing API key")
                .detail(format!(
                    "Set the provider's api_key or the {ENV_API_KEY} environment variable."
                ))
                .at("api_key")
        })?;
        let brand = match string_attr("brand", ENV_BRAND)? {
            Some(id) => Some(Generation::from_brand_id(&id).ok_or_else(|| {
                OpError::new(format!("Unknown brand {id:?}"))
                    .detail(format!(
                        "The provider's brand (or {ENV_BRAND}) must be one of: {}.",
                        BRANDS.join(", ")
                    ))
                    .at("brand")
            })?),
            None => None,
        };
        let api_url = string_attr("api_url", ENV_API_URL)?.unwrap_or_else(|| {
            brand
                .map_or(DEFAULT_API_URL, Generation::default_api_url)
                .into()
        });
        let location = string_attr("location", ENV_LOCATION)?;
        let billing_account = match config.get("billing_account_id") {
            Dyn::Number(n) => Some(*n as i64),
            Dyn::Unknown => {
                return Err(OpError::new(
                    "The provider's billing_account_id is not known until apply",
                )
                .at("billing_account_id"))
            }
            _ => match env(ENV_BILLING_ACCOUNT) {
                Some(text) => Some(text.trim().parse::<i64>().map_err(|_| {
                    OpError::new(format!(
                        "{ENV_BILLING_ACCOUNT}={text:?} is not a billing account number"
                    ))
                })?),
                None => None,
            },
        };
        let mut client_config = ClientConfig::new(api_url, api_key);
        client_config.generation = brand;
        client_config.user_agent = crate::version::user_agent(terraform_version);
        if let Some(retries) = config.get("max_retries").as_i64() {
            client_config.max_retries = retries.clamp(0, MAX_RETRIES) as u32;
        }
        let client = ApiClient::new(client_config)
            .map_err(|message| OpError::new("Invalid provider configuration").detail(message))?;
        Ok(ProviderData {
            client,
            default_location: location,
            default_billing_account: billing_account,
            pricing: Default::default(),
        })
    }
}

#[async_trait]
impl ProviderType for IdcloudhostProvider {
    fn schema(&self) -> SchemaSpec {
        Self::spec()
    }

    /// The provider block's attribute checks, at plan time, naming the attribute.
    fn validate(&self, config: &Dyn) -> Diagnostics {
        let mut diags = Diagnostics::default();
        for attr in &Self::spec().attrs {
            for validator in &attr.validators {
                if let Err(message) = validator.check(config.get(attr.name)) {
                    report(&mut diags, &OpError::invalid(attr.name, message));
                }
            }
        }
        diags
    }

    async fn configure(&self, diags: &mut Diagnostics, terraform_version: &str, config: Dyn) {
        match Self::configure_for(terraform_version, &config, |name| std::env::var(name).ok()) {
            // No API request here: the default location and billing account are
            // asked for when first needed, once per process (`ProviderData`), and a
            // mistyped provider location fails the first plan that has the API's
            // locations at hand, listing them.
            Ok(mut data) => {
                data.client = data.client.with_cancel(self.cancel.clone());
                self.shared.set(data);
            }
            Err(e) => report(diags, &e),
        }
    }

    fn stop(&self) {
        self.cancel.cancel();
    }

    fn resources(&self) -> HashMap<String, Box<dyn DynamicResource>> {
        resources::all(&self.shared)
    }

    fn data_sources(&self) -> HashMap<String, Box<dyn DynamicDataSource>> {
        data_sources::all(&self.shared)
    }

    fn list_resources(&self) -> HashMap<String, Box<dyn DynamicListResource>> {
        list_resources::all(&self.shared)
    }

    fn actions(&self) -> HashMap<String, Arc<dyn DynamicAction>> {
        actions::all(&self.shared)
    }

    fn ephemeral_resources(&self) -> HashMap<String, Box<dyn DynamicEphemeralResource>> {
        ephemeral_resources::all(&self.shared)
    }
}

/// An environment of only these variables, for the tests of what reads one.
#[cfg(test)]
pub(crate) fn env_of(
    pairs: &'static [(&'static str, &'static str)],
) -> impl Fn(&str) -> Option<String> {
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Obj;
    use crate::obj;

    #[test]
    fn missing_api_key_is_a_clear_error() {
        let err = IdcloudhostProvider::configure_from(&Dyn::Object(obj! {}), env_of(&[]))
            .err()
            .expect("must fail");
        assert_eq!(err.summary, "Missing API key");
        assert!(err.detail.contains(ENV_API_KEY));
        assert_eq!(err.attr, "api_key");
    }

    #[test]
    fn environment_fallbacks_apply_when_attributes_are_null() {
        let data = IdcloudhostProvider::configure_from(
            &Dyn::Object(obj! {"location" => "sgp01"}),
            env_of(&[
                (ENV_API_KEY, "k"),
                (ENV_API_URL, "https://api.3nv.io"),
                (ENV_LOCATION, "jkt02"),
                (ENV_BILLING_ACCOUNT, "42"),
            ]),
        )
        .unwrap_or_else(|e| panic!("configures: {e}"));
        assert_eq!(data.default_location.as_deref(), Some("sgp01"));
        assert_eq!(data.default_billing_account, Some(42));
        assert_eq!(data.client.generation(), crate::api::Generation::Middle);
    }

    #[test]
    fn brand_selects_the_generation_whatever_the_host() {
        const KEY: (&str, &str) = (ENV_API_KEY, "k");
        let configure = |config: Obj, env: &'static [(&'static str, &'static str)]| {
            IdcloudhostProvider::configure_from(&Dyn::Object(config), env_of(env))
                .unwrap_or_else(|e| panic!("configures: {e}"))
        };
        // Unset: the known hosts as before, any other host the newest.
        let data = configure(obj! {"api_url" => "http://127.0.0.1:9"}, &[KEY]);
        assert_eq!(data.client.generation(), Generation::Newest);
        let data = configure(obj! {"api_url" => "https://api.elastis.id"}, &[KEY]);
        assert_eq!(data.client.generation(), Generation::Oldest);
        // The argument wins over the host, and over the environment.
        let data = configure(
            obj! {"api_url" => "http://127.0.0.1:9", "brand" => "elastis"},
            &[KEY, (ENV_BRAND, "3nv")],
        );
        assert_eq!(data.client.generation(), Generation::Oldest);
        assert_eq!(data.client.base_url(), "http://127.0.0.1:9");
        // The environment variable alone; no api_url means the brand's own.
        let data = configure(obj! {}, &[KEY, (ENV_BRAND, "3nv")]);
        assert_eq!(data.client.generation(), Generation::Middle);
        assert_eq!(data.client.base_url(), "https://api.3nv.io");
        let err = IdcloudhostProvider::configure_from(
            &Dyn::Object(obj! {}),
            env_of(&[KEY, (ENV_BRAND, "acme")]),
        )
        .err()
        .expect("an unknown brand fails");
        assert_eq!(err.attr, "brand");
        assert!(err.detail.contains("idcloudhost, 3nv, elastis"), "{err}");
    }

    #[test]
    fn bad_billing_account_env_is_rejected() {
        let result = IdcloudhostProvider::configure_from(
            &Dyn::Object(obj! {}),
            env_of(&[(ENV_API_KEY, "k"), (ENV_BILLING_ACCOUNT, "abc")]),
        );
        assert!(result.is_err());
    }
}
