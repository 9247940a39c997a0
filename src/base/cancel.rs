//! Cancelling a run from outside: a watch session cancels the run still in progress when a
//! newer save arrives. The token is handed to every stage that may run for long (rules
//! check it while they run); a run that was never meant to be cancelled uses
//! [`Cancel::never`].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A cancellation token: clones share one flag.
#[derive(Clone, Debug, Default)]
pub(crate) struct Cancel(Option<Arc<AtomicBool>>);

impl Cancel {
    /// A token that can be cancelled (by any of its clones).
    pub(crate) fn new() -> Cancel {
        Cancel(Some(Arc::new(AtomicBool::new(false))))
    }

    /// A token nobody can cancel: checking it costs nothing.
    pub(crate) const fn never() -> Cancel {
        Cancel(None)
    }

    pub(crate) fn cancel(&self) {
        if let Some(flag) = &self.0 {
            flag.store(true, Ordering::SeqCst);
        }
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        self.0.as_ref().is_some_and(|f| f.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::Cancel;

    #[test]
    fn clones_share_the_flag() {
        let token = Cancel::new();
        let other = token.clone();
        assert!(!other.is_cancelled());
        token.cancel();
        assert!(other.is_cancelled());
        let never = Cancel::never();
        never.cancel();
        assert!(!never.is_cancelled());
    }
}
