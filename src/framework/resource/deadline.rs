//! Deadlines and cancellation: the `timeouts` block, the backstop around every
//! operation, the state of a create cut off half-way, and destroy waiting for
//! what blocks it.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Managed, ResourceType};
use crate::cancel::{fresh_lists, Waited, DEADLINE, DEADLINE_GRACE, INTERRUPTED};
use crate::framework::error::OpError;
use crate::framework::platform::Platform;
use crate::framework::typed::{from_state, to_state};
use crate::framework::validate::parse_duration;
use crate::framework::value::Obj;
use crate::logging::{self, Level, MODULE_RPC};

pub(super) type CreatedSlot = Arc<std::sync::Mutex<Option<Obj>>>;

tokio::task_local! {
    /// The state of the object a create made, once it exists (see `track_created`).
    pub(super) static CREATED: CreatedSlot;
}

/// Records, inside a resource's `create`, that the object exists, with the state
/// known so far. Whatever fails afterwards, including the backstop deadline that
/// abandons the operation, Terraform keeps tracking it (an error's own
/// `with_state` takes precedence). Outside a create it does nothing.
pub fn track_created<S: serde::Serialize>(state: &S) {
    let _ = CREATED.try_with(|slot| *slot.lock().expect("created slot") = Some(to_state(state)));
}

/// Default deadlines when the `timeouts` block leaves one unset.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20 * 60);

/// How often a blocked delete looks again at what blocks it: the first look
/// after `BLOCKED_POLL_FIRST`, then twice as late each time, up to `BLOCKED_POLL_MAX`.
const BLOCKED_POLL_FIRST: Duration = Duration::from_millis(500);
const BLOCKED_POLL_MAX: Duration = Duration::from_secs(10);

impl<R: ResourceType> Managed<R> {
    pub(super) fn timeout(&self, state: &Obj, operation: &str) -> Duration {
        state
            .get("timeouts")
            .and_then(|t| t.as_list().first())
            .and_then(|t| t.get(operation).as_str())
            .and_then(|text| parse_duration(text).ok())
            .unwrap_or(DEFAULT_TIMEOUT)
    }

    pub(super) async fn with_deadline<T>(
        &self,
        operation: &str,
        limit: Duration,
        work: impl Future<Output = Result<T, OpError>>,
    ) -> Result<T, OpError> {
        let deadline = Instant::now() + limit;
        // The client cuts requests off at the deadline (a cut-off create is then
        // looked for, not lost); this outer limit is only a backstop.
        let backstop = limit + DEADLINE_GRACE * 2;
        let timed_out = || {
            OpError::new(format!(
                "{} {operation} timed out after {:?}",
                R::NAME,
                limit
            ))
            .detail("Raise the deadline in the resource's timeouts block if the API is slow.")
        };
        match tokio::time::timeout(backstop, DEADLINE.scope(deadline, work)).await {
            Ok(Err(e)) if Instant::now() >= deadline && !e.deadline_explained => {
                let partial = e.partial_state.clone();
                let mut error = timed_out().detail(format!(
                    "Raise the deadline in the resource's timeouts block if the API is slow. The last error: {}",
                    e.summary
                ));
                error.partial_state = partial;
                Err(error)
            }
            Ok(result) => result,
            Err(_) => Err(timed_out()),
        }
    }

    /// Deletes once nothing the API counts as a dependent holds the object. In a
    /// stack without references between resources (adopted with
    /// `-generate-config-out`, or written with literal ids) Terraform deletes
    /// everything at once, so a network's VMs or a disk's VM may be going away
    /// right now: look again, in lists read fresh, until they are gone, then
    /// delete; at the deadline (`timeouts.delete`) fail naming what still blocks.
    pub(super) async fn delete_when_unblocked(
        &self,
        ctx: &R::Platform,
        state: &Obj,
        limit: Duration,
    ) -> Result<(), OpError> {
        let state: R::State = from_state(state)?;
        let state = &state;
        let mut poll = BLOCKED_POLL_FIRST;
        loop {
            let blocked = match fresh_lists(self.resource.blocked_by(ctx, state)).await? {
                Some(blocked) => blocked,
                None => match self.resource.delete(ctx, state).await {
                    Ok(()) => return Ok(()),
                    // Refused: by a dependent that appeared since the look?
                    Err(refused) => match fresh_lists(self.resource.blocked_by(ctx, state)).await {
                        Ok(Some(blocked)) => blocked,
                        _ => return Err(refused),
                    },
                },
            };
            let left = DEADLINE
                .try_with(|deadline| deadline.saturating_duration_since(Instant::now()))
                .unwrap_or(limit);
            if left.is_zero() {
                let mut error = blocked;
                error.detail = format!(
                    "{} Destroy waited {limit:?} (the delete timeout) for it to go away.",
                    error.detail
                )
                .trim_start()
                .to_owned();
                error.deadline_explained = true;
                return Err(error);
            }
            logging::log(
                Level::Info,
                MODULE_RPC,
                "Delete blocked by a dependent: waiting for it to go away",
                &[
                    ("tf_resource_type", Self::type_name().into()),
                    ("blocked_by", blocked.summary.as_str().into()),
                    ("wait_ms", (poll.min(left).as_millis() as u64).into()),
                ],
            );
            if ctx.cancel().sleep(poll.min(left)).await == Waited::Cancelled {
                let mut error = blocked;
                error.detail = format!("{} {INTERRUPTED}; nothing was deleted.", error.detail)
                    .trim_start()
                    .to_owned();
                error.deadline_explained = true;
                return Err(error);
            }
            poll = (poll * 2).min(BLOCKED_POLL_MAX);
        }
    }
}
