//! Ephemeral resources (`ephemeral` blocks, Terraform 1.10+): values that exist
//! for one Terraform run and never reach a plan or the state. Terraform opens one
//! when its values are needed (in plan and again in apply), may renew it, and
//! closes it when the run no longer needs it, also when the run failed. What the
//! close needs (which object to clean up) travels in the private bytes Terraform
//! hands back; they hold no secret.
//!
//! An ephemeral resource implements `EphemeralResourceType`: a schema (the
//! configured arguments and the computed results), cross-attribute checks, and
//! open/renew/close. `EphemeralAdapter` supplies the rest: attribute validators
//! and defaults, the brand check, and the shape Terraform requires of a result
//! (every configured value echoed, every result attribute present).
//!
//! Terraform 1.15 skips the close of an ephemeral resource when something that
//! used it failed (its close node is downstream of the failure), and then shuts
//! the provider down. So the adapter also remembers what it opened and has not
//! closed yet, and the provider closes those when Terraform shuts it down
//! (`close_leftovers`): an S3 key pair opened for a failed apply is deleted all
//! the same.

use std::sync::Arc;
use std::time::SystemTime;

use async_trait::async_trait;

use super::data_source::{checked_context, config_errors};
use super::error::{Diagnostics, OpError};
use super::platform::{type_name, Platform, Shared};
use super::resource::{report, report_errors, with_warnings};
use super::schema::SchemaSpec;
use super::value::{Dyn, Obj};

/// What an open produced.
#[derive(Debug, Default)]
pub struct Opened {
    /// The computed attributes (the configured ones are filled in by the adapter).
    pub result: Obj,
    /// What renew and close need (never a secret); null when there is nothing
    /// to clean up.
    pub private: Dyn,
    /// When Terraform should call renew; `None`: never.
    pub renew_at: Option<SystemTime>,
}

#[async_trait]
pub trait EphemeralResourceType: Send + Sync + 'static {
    /// The platform the type runs on (`framework::Platform`): what its operations
    /// get as their context.
    type Platform: Platform;

    /// Type name without the provider prefix.
    const NAME: &'static str;

    /// The API feature the type needs, when some brands lack it: opening it there
    /// fails before any request.
    const FEATURE: Option<<Self::Platform as Platform>::Feature> = None;

    fn schema(&self) -> SchemaSpec;

    /// Cross-attribute checks on the configuration; values may still be unknown.
    fn validate(&self, _config: &Obj) -> Vec<OpError> {
        Vec::new()
    }

    /// Produces the values. `config` is wholly known and has the schema's defaults
    /// filled in.
    async fn open(&self, ctx: &Self::Platform, config: &Obj) -> Result<Opened, OpError>;

    /// Extends what an open produced; returns the next renewal time and the new
    /// private value. The default: nothing to renew.
    async fn renew(
        &self,
        _ctx: &Self::Platform,
        private: &Dyn,
    ) -> Result<(Option<SystemTime>, Dyn), OpError> {
        Ok((None, private.clone()))
    }

    /// Cleans up what an open made (`private` is what it returned, never null).
    async fn close(&self, _ctx: &Self::Platform, _private: &Dyn) -> Result<(), OpError> {
        Ok(())
    }
}

/// An ephemeral resource type as the protocol server sees it.
#[async_trait]
pub trait DynamicEphemeralResource: Send + Sync {
    fn spec(&self) -> &SchemaSpec;

    fn validate(&self, diags: &mut Diagnostics, config: Dyn);

    /// The result object, the private value and the renewal time, or `None` after
    /// an error diagnostic.
    async fn open(
        &self,
        diags: &mut Diagnostics,
        config: Dyn,
    ) -> Option<(Dyn, Dyn, Option<SystemTime>)>;

    async fn renew(
        &self,
        diags: &mut Diagnostics,
        private: Dyn,
    ) -> Option<(Option<SystemTime>, Dyn)>;

    async fn close(&self, diags: &mut Diagnostics, private: Dyn);

    /// Closes whatever was opened and not closed (at the provider's shutdown).
    async fn close_leftovers(&self, diags: &mut Diagnostics);
}

pub struct EphemeralAdapter<E: EphemeralResourceType> {
    ephemeral: Arc<E>,
    shared: Shared<E::Platform>,
    spec: SchemaSpec,
    /// The private values of what this process opened and has not closed.
    open: std::sync::Mutex<Vec<Dyn>>,
}

impl<E: EphemeralResourceType> EphemeralAdapter<E> {
    pub fn new(ephemeral: E, shared: Shared<E::Platform>) -> Self {
        let spec = ephemeral.schema();
        EphemeralAdapter {
            ephemeral: Arc::new(ephemeral),
            shared,
            spec,
            open: std::sync::Mutex::new(Vec::new()),
        }
    }

    fn check(&self, config: &Obj) -> Vec<OpError> {
        config_errors(&self.spec, config, self.ephemeral.validate(config))
    }

    /// The configuration with each unset argument's default.
    fn with_defaults(&self, config: Obj) -> Obj {
        let mut config = self.spec.normalize(config);
        for attr in &self.spec.attrs {
            if let Some(default) = &attr.default {
                let value = config.entry(attr.name.to_owned()).or_default();
                if value.is_null() {
                    *value = default.clone();
                }
            }
        }
        config
    }

    /// The result Terraform accepts: the configured values as configured (their
    /// defaults where unset), the computed ones from the open.
    fn result(&self, config: &Obj, opened: Obj) -> Obj {
        let mut out = config.clone();
        for attr in self.spec.attrs.iter().filter(|a| a.is_computed()) {
            let configured = config.get(attr.name).is_some_and(|v| !v.is_null());
            if !configured {
                if let Some(value) = opened.get(attr.name) {
                    out.insert(attr.name.to_owned(), value.clone());
                }
            }
        }
        self.spec.normalize(out)
    }

    /// Before its configuration is known (a plan that depends on objects not
    /// created yet), nothing is opened: every result is unknown.
    fn unknown_result(&self, config: &Obj) -> Obj {
        let mut out = config.clone();
        for attr in self.spec.attrs.iter().filter(|a| a.is_computed()) {
            if config.get(attr.name).is_none_or(Dyn::is_null) {
                out.insert(attr.name.to_owned(), Dyn::Unknown);
            }
        }
        self.spec.normalize(out)
    }

    fn ctx(&self, diags: &mut Diagnostics) -> Option<Arc<E::Platform>> {
        checked_context(diags, Vec::new(), &self.shared)
    }

    fn opened(&self) -> std::sync::MutexGuard<'_, Vec<Dyn>> {
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Forgets an opened object (it is being closed); false when it was not open.
    fn forget(&self, private: &Dyn) -> bool {
        let mut open = self.opened();
        match open.iter().position(|p| p == private) {
            Some(index) => {
                open.remove(index);
                true
            }
            None => false,
        }
    }

    /// The full type name (`idcloudhost_vm_password`).
    fn type_name() -> String {
        type_name::<E::Platform>(E::NAME)
    }

    /// Whether the selected brand's API has the type (`Platform::check_available`).
    fn check_brand(&self, ctx: &E::Platform) -> Result<(), OpError> {
        ctx.check_available(&Self::type_name(), E::FEATURE, &[], &Obj::new())
    }
}

#[async_trait]
impl<E: EphemeralResourceType> DynamicEphemeralResource for EphemeralAdapter<E> {
    fn spec(&self) -> &SchemaSpec {
        &self.spec
    }

    fn validate(&self, diags: &mut Diagnostics, config: Dyn) {
        let config = config.into_obj();
        report_errors(diags, &self.check(&config));
    }

    async fn open(
        &self,
        diags: &mut Diagnostics,
        config: Dyn,
    ) -> Option<(Dyn, Dyn, Option<SystemTime>)> {
        let config = self.with_defaults(config.into_obj());
        let ctx = checked_context(diags, self.check(&config), &self.shared)?;
        if let Err(e) = self.check_brand(&ctx) {
            report(diags, &e);
            return None;
        }
        if !Dyn::Object(config.clone()).is_wholly_known() {
            return Some((Dyn::Object(self.unknown_result(&config)), Dyn::Null, None));
        }
        match with_warnings(diags, self.ephemeral.open(&ctx, &config)).await {
            Ok(opened) => {
                if !opened.private.is_null() {
                    self.opened().push(opened.private.clone());
                }
                Some((
                    Dyn::Object(self.result(&config, opened.result)),
                    opened.private,
                    opened.renew_at,
                ))
            }
            Err(e) => {
                report(diags, &e.context(&format!("Opening {}", Self::type_name())));
                None
            }
        }
    }

    async fn renew(
        &self,
        diags: &mut Diagnostics,
        private: Dyn,
    ) -> Option<(Option<SystemTime>, Dyn)> {
        if private.is_null() {
            return Some((None, Dyn::Null));
        }
        let ctx = self.ctx(diags)?;
        match with_warnings(diags, self.ephemeral.renew(&ctx, &private)).await {
            Ok(renewed) => {
                // The renewed private value is what a close gets from now on.
                if self.forget(&private) && !renewed.1.is_null() {
                    self.opened().push(renewed.1.clone());
                }
                Some(renewed)
            }
            Err(e) => {
                report(
                    diags,
                    &e.context(&format!("Renewing {}", Self::type_name())),
                );
                None
            }
        }
    }

    async fn close(&self, diags: &mut Diagnostics, private: Dyn) {
        // Nothing was opened (an unknown configuration) or nothing needs cleaning.
        if private.is_null() {
            return;
        }
        self.forget(&private);
        let Some(ctx) = self.ctx(diags) else {
            return;
        };
        if let Err(e) = with_warnings(diags, self.ephemeral.close(&ctx, &private)).await {
            report(diags, &e.context(&format!("Closing {}", Self::type_name())));
        }
    }

    async fn close_leftovers(&self, diags: &mut Diagnostics) {
        let leftovers = std::mem::take(&mut *self.opened());
        for private in leftovers {
            self.close(diags, private).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::platform::TestPlatform;
    use crate::framework::{Attr, Ty, Validator};
    use crate::obj;

    struct Token;

    #[async_trait]
    impl EphemeralResourceType for Token {
        type Platform = TestPlatform;
        const NAME: &'static str = "token";

        fn schema(&self) -> SchemaSpec {
            SchemaSpec::new("A token.")
                .attr(
                    Attr::optional("length", Ty::Number)
                        .default(Dyn::int(8))
                        .validate(Validator::IntRange(4, 16)),
                )
                .attr(Attr::required("scope", Ty::String))
                .attr(Attr::computed("value", Ty::String).sensitive())
        }

        fn validate(&self, config: &Obj) -> Vec<OpError> {
            match config.get("scope").and_then(Dyn::as_str) {
                Some("") => vec![OpError::invalid("scope", "must not be empty")],
                _ => Vec::new(),
            }
        }

        async fn open(&self, _: &TestPlatform, config: &Obj) -> Result<Opened, OpError> {
            let length = config["length"].as_i64().unwrap_or_default() as usize;
            Ok(Opened {
                result: obj! { "value" => "x".repeat(length), "ignored" => "dropped" },
                private: Dyn::Object(obj! { "scope" => config["scope"].clone() }),
                renew_at: None,
            })
        }
    }

    fn adapter() -> EphemeralAdapter<Token> {
        EphemeralAdapter::new(Token, Shared::default())
    }

    #[test]
    fn validation_names_the_attribute() {
        let mut diags = Diagnostics::default();
        adapter().validate(
            &mut diags,
            Dyn::Object(obj! { "length" => Dyn::int(40), "scope" => "" }),
        );
        let attrs: Vec<&str> = diags.errors.iter().map(|e| e.attr.as_str()).collect();
        assert_eq!(attrs, ["length", "scope"]);
    }

    #[test]
    fn the_result_echoes_the_configuration_with_defaults() {
        let adapter = adapter();
        let config = adapter.with_defaults(obj! { "scope" => "read" });
        assert_eq!(config["length"], Dyn::int(8));
        let result = adapter.result(
            &config,
            obj! { "value" => "secret", "length" => Dyn::int(3), "extra" => "x" },
        );
        assert_eq!(
            result,
            obj! { "length" => Dyn::int(8), "scope" => "read", "value" => "secret" }
        );
    }

    #[test]
    fn what_is_opened_is_remembered_until_closed() {
        let adapter = adapter();
        adapter.opened().push(Dyn::str("a"));
        adapter.opened().push(Dyn::str("b"));
        assert!(adapter.forget(&Dyn::str("a")));
        assert!(!adapter.forget(&Dyn::str("a")), "closed once");
        assert_eq!(*adapter.opened(), vec![Dyn::str("b")]);
    }

    #[tokio::test]
    async fn an_unknown_configuration_opens_nothing() {
        let adapter = adapter();
        let config = adapter.with_defaults(obj! { "scope" => Dyn::Unknown });
        assert_eq!(adapter.unknown_result(&config)["value"], Dyn::Unknown);
        // Nothing to close either.
        let mut diags = Diagnostics::default();
        adapter.close(&mut diags, Dyn::Null).await;
        assert!(!diags.has_errors());
    }
}
