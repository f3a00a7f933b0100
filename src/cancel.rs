//! What the operation a task works for tells every call made for it: the
//! provider's one cancellation signal, the operation's deadline, and whether
//! lists must be read fresh. The framework sets them around an operation and the
//! API client obeys them: this module imports neither, so neither imports the
//! other.
//!
//! The cancellation signal: Terraform's `StopProvider` (Ctrl-C) and the end of
//! the plugin process trigger it; every wait of the provider (a retry's back-off,
//! a create's recovery lookups, a delete waiting for a dependent to go away)
//! watches it and ends at once. Requests already sent are not abandoned: their
//! answer decides what Terraform keeps in its state.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::watch;

#[derive(Clone, Debug)]
pub struct Cancel(Arc<watch::Sender<bool>>);

impl Default for Cancel {
    fn default() -> Self {
        Cancel(Arc::new(watch::Sender::new(false)))
    }
}

/// What a wait ended by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waited {
    /// The whole time passed.
    Elapsed,
    /// The signal came first.
    Cancelled,
}

/// What an interrupted operation says about itself.
pub const INTERRUPTED: &str = "Terraform was interrupted (Ctrl-C): the provider stopped waiting";

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }

    /// Triggers the signal (once is enough; later calls change nothing).
    pub fn cancel(&self) {
        self.0.send_replace(true);
    }

    pub fn is_cancelled(&self) -> bool {
        *self.0.borrow()
    }

    /// Ends when the signal is triggered.
    pub async fn cancelled(&self) {
        let mut receiver = self.0.subscribe();
        // The sender lives as long as `self`: `wait_for` cannot fail here.
        let _ = receiver.wait_for(|cancelled| *cancelled).await;
    }

    /// Sleeps for `wait`, or less when the signal comes first.
    pub async fn sleep(&self, wait: Duration) -> Waited {
        if self.is_cancelled() {
            return Waited::Cancelled;
        }
        tokio::select! {
            () = tokio::time::sleep(wait) => Waited::Elapsed,
            () = self.cancelled() => Waited::Cancelled,
        }
    }
}

tokio::task_local! {
    /// The deadline of the Terraform operation (its `timeouts`) the current task
    /// works for. Requests are cut off by it, so a write still in flight at the
    /// deadline ends as a lost answer that the create recovery can look for,
    /// instead of being dropped with nothing tracked.
    pub static DEADLINE: Instant;
}

/// After the deadline, reads may still run this long: enough to find out what a
/// cut-off write did. No new write starts after the deadline.
pub const DEADLINE_GRACE: Duration = Duration::from_secs(30);

tokio::task_local! {
    /// Set while looking for what a write did: every list is read anew, never
    /// served from what was fetched before or during the write.
    static FRESH_LISTS: bool;
}

/// Runs `work` with lists read fresh from the API.
pub async fn fresh_lists<F: std::future::Future>(work: F) -> F::Output {
    FRESH_LISTS.scope(true, work).await
}

/// Whether the current task must read lists fresh (inside `fresh_lists`).
pub fn lists_fresh() -> bool {
    FRESH_LISTS.try_with(|fresh| *fresh).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_wait_ends_when_the_signal_comes() {
        let cancel = Cancel::new();
        let trigger = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            trigger.cancel();
        });
        let started = std::time::Instant::now();
        assert_eq!(
            cancel.sleep(Duration::from_secs(60)).await,
            Waited::Cancelled
        );
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(cancel.is_cancelled());
        // Once triggered, every later wait ends at once.
        assert_eq!(
            cancel.sleep(Duration::from_secs(60)).await,
            Waited::Cancelled
        );
        assert_eq!(
            Cancel::new().sleep(Duration::from_millis(1)).await,
            Waited::Elapsed
        );
    }
}
