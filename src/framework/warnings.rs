//! Warnings a resource or data source raises while it works (an address left
//! billing, an object the API refused to delete). Resources call `warn` anywhere
//! below an adapter call; the adapter reports what was collected as Terraform
//! warning diagnostics next to the call's result.

use std::cell::RefCell;
use std::future::Future;

use super::error::OpError;

tokio::task_local! {
    static WARNINGS: RefCell<Vec<OpError>>;
}

/// Records a warning for the Terraform operation being served. Outside an
/// adapter call (unit tests) it is dropped.
pub fn warn(warning: OpError) {
    let _ = WARNINGS.try_with(|collected| collected.borrow_mut().push(warning));
}

/// Runs `work`, returning its output and the warnings it raised.
pub async fn collecting<F: Future>(work: F) -> (F::Output, Vec<OpError>) {
    WARNINGS
        .scope(RefCell::new(Vec::new()), async {
            let output = work.await;
            let warnings = WARNINGS.with(|collected| collected.take());
            (output, warnings)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn warnings_raised_inside_are_returned_in_order() {
        let (value, warnings) = collecting(async {
            warn(OpError::new("first"));
            tokio::task::yield_now().await;
            warn(OpError::new("second"));
            7
        })
        .await;
        assert_eq!(value, 7);
        let summaries: Vec<_> = warnings.iter().map(|w| w.summary.as_str()).collect();
        assert_eq!(summaries, ["first", "second"]);
    }

    #[tokio::test]
    async fn warn_outside_a_scope_is_harmless() {
        warn(OpError::new("nobody listens"));
    }
}
