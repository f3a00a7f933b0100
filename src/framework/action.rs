//! Actions (Terraform 1.14+: `action` blocks, `terraform apply -invoke`,
//! `lifecycle { action_trigger {...} }`): a configuration schema, checks that
//! run before anything is sent (`ValidateActionConfig` without the API,
//! `PlanAction` with it), and an invocation that reports its progress while it
//! waits. An action implements `ActionType`; `ActionAdapter` turns that into a
//! `DynamicAction`, which the protocol server calls.
//!
//! Rules every action gets from the adapter:
//! - attribute validators, cross-attribute checks and brand rules (the action's
//!   `FEATURE`, attributes' `only_on`) run at validate, plan and again at invoke,
//!   before the first request;
//! - values still unknown at plan (a VM created in the same run) are checked at
//!   invoke, before anything is sent;
//! - `timeout` (a duration, the action's `DEFAULT_TIMEOUT` when unset) bounds the
//!   whole invocation: requests are cut off at it (see `cancel::DEADLINE`);
//! - every wait ends when Terraform is interrupted (`StopProvider`, the
//!   provider's `Cancel`) or stops listening, and says so.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use tokio::sync::mpsc;

use super::data_source::{checked_context, config_errors};
use super::error::{Diagnostics, OpError};
use super::platform::{type_name, Platform, Shared};
use super::resource::{report, report_errors, with_warnings};
use super::schema::{Attr, SchemaSpec, Ty};
use super::validate::{parse_duration, Validator};
use super::value::{Dyn, Obj};
use crate::cancel::{Cancel, DEADLINE, DEADLINE_GRACE};

/// The attribute every action has for its deadline.
pub const TIMEOUT: &str = "timeout";

/// How often a long wait says that it is still waiting.
const HEARTBEAT: Duration = Duration::from_secs(10);

#[async_trait]
pub trait ActionType: Send + Sync + 'static {
    /// The platform the action runs on (`framework::Platform`): what `check` and
    /// `invoke` get as their context.
    type Platform: Platform;

    /// Type name without the provider prefix (`vm_power` for `idcloudhost_vm_power`).
    const NAME: &'static str;

    /// The API feature the whole action needs, when some brands lack it.
    const FEATURE: Option<<Self::Platform as Platform>::Feature> = None;

    /// The deadline when `timeout` is unset.
    const DEFAULT_TIMEOUT: Duration;

    /// The configuration schema, without `timeout` (the adapter adds it).
    /// Attributes are required or optional, never computed: an action has no state.
    fn schema(&self) -> SchemaSpec;

    /// Cross-attribute checks without the API; values may be unknown.
    fn validate(&self, _config: &Obj) -> Vec<OpError> {
        Vec::new()
    }

    /// Checks against the API (the VM exists, the image is in the catalogue...),
    /// read-only. Runs at plan with what is known then (unknown values are
    /// `Dyn::Unknown`: skip what depends on them), and again at invoke.
    async fn check(&self, _ctx: &Self::Platform, _config: &Obj) -> Result<(), OpError> {
        Ok(())
    }

    /// Does the work, telling `progress` what it is doing. The configuration is
    /// wholly known and has passed every check.
    async fn invoke(
        &self,
        ctx: &Self::Platform,
        config: &Obj,
        progress: &Progress,
    ) -> Result<(), OpError>;
}

/// Where an invocation's progress messages go: Terraform shows each one as it
/// comes (`Action action.TYPE.NAME: message`).
#[derive(Clone)]
pub struct Progress {
    sink: mpsc::UnboundedSender<String>,
    /// The provider's cancellation signal (Terraform's `StopProvider`, Ctrl-C).
    cancel: Option<Cancel>,
}

/// Why a wait ended early.
pub const INTERRUPTED: &str =
    "Terraform was interrupted: the provider stopped waiting for the action";

impl Progress {
    /// A progress sink and the receiver of its messages.
    pub fn channel() -> (Progress, mpsc::UnboundedReceiver<String>) {
        let (sink, messages) = mpsc::unbounded_channel();
        (Progress { sink, cancel: None }, messages)
    }

    /// Sends one message.
    pub fn say(&self, message: impl Into<String>) {
        let message = message.into();
        crate::logging::log(
            crate::logging::Level::Info,
            crate::logging::MODULE_RPC,
            "Action progress",
            &[("message", message.as_str().into())],
        );
        let _ = self.sink.send(message);
    }

    /// The same sink, whose waits also end when `cancel` is triggered.
    pub fn watching(mut self, cancel: Cancel) -> Self {
        self.cancel = Some(cancel);
        self
    }

    /// Ends when Terraform is interrupted (Ctrl-C: `StopProvider`) or nobody
    /// listens any more.
    pub async fn interrupted(&self) {
        match &self.cancel {
            Some(cancel) => tokio::select! {
                () = self.sink.closed() => {}
                () = cancel.cancelled() => {}
            },
            None => self.sink.closed().await,
        }
    }

    /// Awaits `work`, saying every `HEARTBEAT` that it is still `doing` (and for
    /// how long), and ending early, with an error, if Terraform stops listening.
    /// Returns the work's output and how long it took.
    pub async fn wait<T>(
        &self,
        doing: &str,
        work: impl Future<Output = Result<T, OpError>>,
    ) -> Result<(T, Duration), OpError> {
        self.wait_every(doing, HEARTBEAT, work).await
    }

    async fn wait_every<T>(
        &self,
        doing: &str,
        every: Duration,
        work: impl Future<Output = Result<T, OpError>>,
    ) -> Result<(T, Duration), OpError> {
        let started = Instant::now();
        tokio::pin!(work);
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            tokio::select! {
                result = &mut work => return result.map(|value| (value, started.elapsed())),
                _ = ticks.tick() => {
                    self.say(format!("Still {doing} ({} elapsed)", elapsed(started.elapsed())));
                }
                () = self.interrupted() => {
                    return Err(OpError::new(INTERRUPTED).detail(format!(
                        "It was {doing} for {}. The request already sent may still take effect: check the VM before running the action again.",
                        elapsed(started.elapsed())
                    )));
                }
            }
        }
    }
}

/// A duration as people read it: `850ms`, `22s`, `3m10s`.
pub fn elapsed(duration: Duration) -> String {
    let secs = duration.as_secs();
    if secs == 0 {
        format!("{}ms", duration.as_millis())
    } else if secs < 60 {
        format!("{secs}s")
    } else {
        format!("{}m{:02}s", secs / 60, secs % 60)
    }
}

/// The `timeout` attribute, with its default in the description.
fn timeout_attr(default: Duration) -> Attr {
    Attr::optional(TIMEOUT, Ty::String)
        .desc(format!(
            "How long the whole action may take, as a duration like `90s`, `10m` or `1h`; default `{}`. At the deadline the action fails, saying what it was waiting for.",
            compact(default)
        ))
        .validate(Validator::Duration)
}

/// `10m`, `1h`, `90s`: how a default is written in a configuration.
fn compact(duration: Duration) -> String {
    let secs = duration.as_secs();
    if secs.is_multiple_of(3600) {
        format!("{}h", secs / 3600)
    } else if secs.is_multiple_of(60) {
        format!("{}m", secs / 60)
    } else {
        format!("{secs}s")
    }
}

pub struct ActionAdapter<A: ActionType> {
    action: Arc<A>,
    shared: Shared<A::Platform>,
    spec: SchemaSpec,
}

impl<A: ActionType> ActionAdapter<A> {
    pub fn new(action: A, shared: Shared<A::Platform>) -> Self {
        let spec = action.schema().attr(timeout_attr(A::DEFAULT_TIMEOUT));
        debug_assert!(
            spec.attrs.iter().all(|a| !a.is_computed()),
            "action {} declares a computed attribute",
            A::NAME
        );
        ActionAdapter {
            action: Arc::new(action),
            shared,
            spec,
        }
    }

    fn type_name() -> String {
        type_name::<A::Platform>(A::NAME)
    }

    /// The checks that need no API: validators and cross-attribute rules.
    fn check_static(&self, config: &Obj) -> Vec<OpError> {
        config_errors(&self.spec, config, self.action.validate(config))
    }

    fn timeout(&self, config: &Obj) -> Duration {
        config
            .get(TIMEOUT)
            .and_then(Dyn::as_str)
            .and_then(|text| parse_duration(text).ok())
            .unwrap_or(A::DEFAULT_TIMEOUT)
    }

    /// Every check, static, brand and API, stopping at the first failing stage.
    async fn check_all(&self, ctx: &A::Platform, config: &Obj) -> Result<(), Vec<OpError>> {
        let errors = self.check_static(config);
        if !errors.is_empty() {
            return Err(errors);
        }
        // What the selected brand's API lacks: the action itself or what a
        // configured attribute does.
        ctx.check_available(&Self::type_name(), A::FEATURE, &self.spec.attrs, config)
            .map_err(|e| vec![e])?;
        self.action.check(ctx, config).await.map_err(|e| vec![e])
    }

    async fn run(
        &self,
        ctx: &A::Platform,
        config: &Obj,
        progress: &Progress,
    ) -> Result<(), OpError> {
        let limit = self.timeout(config);
        let deadline = Instant::now() + limit;
        let started = Instant::now();
        let timed_out = |last: Option<&OpError>| {
            let mut detail = format!(
                "{} did not finish within its timeout ({}). The operation already sent may still be going on: check the VM before invoking the action again, and raise `timeout` if the API is slow.",
                Self::type_name(),
                compact(limit)
            );
            if let Some(last) = last {
                detail.push_str(&format!(" The last error: {}", last.summary));
            }
            OpError::new(format!(
                "{} timed out after {}",
                Self::type_name(),
                elapsed(started.elapsed())
            ))
            .detail(detail)
        };
        // Requests are cut off at the deadline; this outer limit is a backstop.
        let backstop = limit + DEADLINE_GRACE;
        let work = DEADLINE.scope(deadline, self.action.invoke(ctx, config, progress));
        match tokio::time::timeout(backstop, work).await {
            Ok(Err(e)) if Instant::now() >= deadline && !e.deadline_explained => {
                Err(timed_out(Some(&e)))
            }
            Ok(result) => result,
            Err(_) => Err(timed_out(None)),
        }
    }
}

/// An action type as the protocol server sees it.
#[async_trait]
pub trait DynamicAction: Send + Sync {
    fn spec(&self) -> &SchemaSpec;

    /// `ValidateActionConfig`: the checks that need no API.
    fn validate(&self, diags: &mut Diagnostics, config: Dyn);

    /// `PlanAction`: every check, with the API (read-only).
    async fn plan(&self, diags: &mut Diagnostics, config: Dyn);

    /// `InvokeAction`: the checks again, then the work; progress goes to
    /// `progress`, the outcome to `diags`.
    async fn invoke(&self, diags: &mut Diagnostics, config: Dyn, progress: Progress);
}

#[async_trait]
impl<A: ActionType> DynamicAction for ActionAdapter<A> {
    fn spec(&self) -> &SchemaSpec {
        &self.spec
    }

    fn validate(&self, diags: &mut Diagnostics, config: Dyn) {
        let config = config.into_obj();
        report_errors(diags, &self.check_static(&config));
    }

    async fn plan(&self, diags: &mut Diagnostics, config: Dyn) {
        let config = self.spec.normalize(config.into_obj());
        let Some(ctx) = checked_context(diags, Vec::new(), &self.shared) else {
            return;
        };
        if let Err(errors) = with_warnings(diags, self.check_all(&ctx, &config)).await {
            report_errors(diags, &errors);
        }
    }

    async fn invoke(&self, diags: &mut Diagnostics, config: Dyn, progress: Progress) {
        let config = self.spec.normalize(config.into_obj());
        let Some(ctx) = checked_context(diags, Vec::new(), &self.shared) else {
            return;
        };
        if !Dyn::Object(config.clone()).is_wholly_known() {
            return report(
                diags,
                &OpError::new(format!(
                    "{} was invoked with values not known yet",
                    Self::type_name()
                ))
                .detail("Terraform sends an action's configuration wholly known; this is a bug in Terraform or the provider."),
            );
        }
        let progress = progress.watching(ctx.cancel().clone());
        let work = async {
            self.check_all(&ctx, &config).await.map_err(|errors| {
                // Nothing was sent: report every finding.
                let mut errors = errors.into_iter();
                let first = errors.next().expect("a failed check has an error");
                (first, errors.collect::<Vec<_>>())
            })?;
            self.run(&ctx, &config, &progress)
                .await
                .map_err(|e| (e, Vec::new()))
        };
        if let Err((first, rest)) = with_warnings(diags, work).await {
            report(diags, &first);
            report_errors(diags, &rest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::platform::{TestFeature, TestPlatform};
    use crate::obj;

    struct Echo;

    #[async_trait]
    impl ActionType for Echo {
        type Platform = TestPlatform;
        const NAME: &'static str = "echo";
        const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

        fn schema(&self) -> SchemaSpec {
            SchemaSpec::new("Says things.")
                .attr(Attr::required("text", Ty::String).validate(Validator::NotEmpty))
                .attr(
                    Attr::optional("mode", Ty::String)
                        .validate(Validator::OneOf(&["loud", "quiet"]))
                        .only_on(TestFeature),
                )
        }

        fn validate(&self, config: &Obj) -> Vec<OpError> {
            match config.get("text").and_then(Dyn::as_str) {
                Some("forbidden") => vec![OpError::invalid("text", "not that")],
                _ => Vec::new(),
            }
        }

        async fn invoke(
            &self,
            _ctx: &TestPlatform,
            config: &Obj,
            progress: &Progress,
        ) -> Result<(), OpError> {
            progress.say(format!("saying {}", config["text"].as_str().unwrap()));
            Ok(())
        }
    }

    fn adapter() -> ActionAdapter<Echo> {
        ActionAdapter::new(Echo, Shared::default())
    }

    #[test]
    fn the_schema_gets_a_timeout_with_its_default_described() {
        let adapter = adapter();
        let timeout = adapter.spec().attr_spec(TIMEOUT).unwrap();
        assert!(!timeout.is_computed());
        assert!(timeout.description.contains("default `10m`"));
        assert_eq!(compact(Duration::from_secs(3600)), "1h");
        assert_eq!(compact(Duration::from_secs(90)), "90s");
    }

    #[test]
    fn validate_names_the_attribute_and_skips_unknown_values() {
        let adapter = adapter();
        let mut diags = Diagnostics::default();
        adapter.validate(
            &mut diags,
            Dyn::Object(obj! {"text" => "", "mode" => "shouting", "timeout" => "soon"}),
        );
        let attrs: Vec<&str> = diags.errors.iter().map(|e| e.attr.as_str()).collect();
        assert_eq!(attrs, ["text", "mode", "timeout"]);

        let mut diags = Diagnostics::default();
        adapter.validate(&mut diags, Dyn::Object(obj! {"text" => "forbidden"}));
        assert_eq!(diags.errors[0].attr, "text");

        let mut diags = Diagnostics::default();
        adapter.validate(
            &mut diags,
            Dyn::Object(obj! {"text" => Dyn::Unknown, "mode" => Dyn::Unknown}),
        );
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    }

    #[tokio::test]
    async fn a_wait_says_it_is_still_waiting_and_ends_when_nobody_listens() {
        // The work ends when it hears the first heartbeat, so however late a busy
        // machine runs the timers, the wait has said something before it ends.
        let (progress, mut messages) = Progress::channel();
        let waiting =
            progress.wait_every("stopping VM \"web\"", Duration::from_millis(20), async {
                Ok(messages.recv().await.unwrap())
            });
        let (first, took) = tokio::time::timeout(Duration::from_secs(10), waiting)
            .await
            .expect("no heartbeat within 10 s")
            .unwrap();
        assert!(took >= Duration::from_millis(20));
        assert!(first.starts_with("Still stopping VM \"web\" ("), "{first}");

        // Terraform is interrupted: the wait ends at once, saying so.
        let cancel = Cancel::new();
        let progress = progress.watching(cancel.clone());
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            cancel.cancel();
        });
        let started = Instant::now();
        assert_eq!(minute_long_wait(&progress).await.summary, INTERRUPTED);
        assert!(started.elapsed() < Duration::from_secs(5));

        // Terraform went away: the same.
        let (progress, messages) = Progress::channel();
        drop(messages);
        assert_eq!(minute_long_wait(&progress).await.summary, INTERRUPTED);
    }

    /// The error that ends a wait for a minute's work (which must end early).
    async fn minute_long_wait(progress: &Progress) -> OpError {
        progress
            .wait("stopping", async {
                tokio::time::sleep(Duration::from_secs(60)).await;
                Ok(())
            })
            .await
            .unwrap_err()
    }

    #[test]
    fn elapsed_times_read_naturally() {
        assert_eq!(elapsed(Duration::from_millis(850)), "850ms");
        assert_eq!(elapsed(Duration::from_secs(22)), "22s");
        assert_eq!(elapsed(Duration::from_secs(190)), "3m10s");
    }
}
