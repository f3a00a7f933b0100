//! The provider's one cancellation signal. Terraform's `StopProvider` (Ctrl-C) and
//! the end of the plugin process trigger it; every wait of the provider (a retry's
//! back-off, a create's recovery lookups, a delete waiting for a dependent to go
//! away) watches it and ends at once. Requests already sent are not abandoned:
//! their answer decides what Terraform keeps in its state.

use std::sync::Arc;
use std::time::Duration;

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
