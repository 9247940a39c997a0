//! The sandbox rules run in: a Rhai engine without access to files, network, environment,
//! `import` or `eval`, with bounded operations, depths and sizes, and two ways a call is
//! stopped from outside its own work: its deadline, and the run's cancellation token.
//!
//! Rhai's progress callback has no per-call context, so the call in progress on a thread
//! keeps its deadline and token in a thread-local for the length of the call
//! ([`guarded`]); nothing outlives the call.

use crate::base::cancel::Cancel;
use rhai::{Dynamic, Engine};
use std::cell::RefCell;
use std::time::{Duration, Instant};

/// Limits applied to every rule call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub(crate) deadline: Duration,
    pub(crate) max_operations: u64,
    pub(crate) max_call_levels: usize,
    pub(crate) max_expr_depth: usize,
    pub(crate) max_string_size: usize,
    pub(crate) max_collection_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            deadline: Duration::from_millis(500),
            max_operations: 20_000_000,
            // Kept low enough that the deepest recursion fits the stack of a debug build.
            max_call_levels: 48,
            max_expr_depth: 64,
            max_string_size: 100_000,
            max_collection_size: 100_000,
        }
    }
}

/// Why the sandbox stopped a call, as the token its progress callback returned.
pub(super) const DEADLINE_TOKEN: &str = "kinerja:deadline";
pub(super) const CANCEL_TOKEN: &str = "kinerja:cancelled";

thread_local! {
    /// The deadline and cancellation token of the call in progress on this thread.
    static CALL: RefCell<Option<(Instant, Cancel)>> = const { RefCell::new(None) };
}

/// Runs `f` (one call into Rhai) with `deadline` from now and `cancel` in force; what was in
/// force before is again afterwards, even if `f` panics.
pub(super) fn guarded<T>(deadline: Duration, cancel: &Cancel, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<(Instant, Cancel)>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CALL.set(self.0.take());
        }
    }
    let _restore = Restore(CALL.replace(Some((Instant::now() + deadline, cancel.clone()))));
    f()
}

pub(super) fn engine(limits: Limits) -> Engine {
    let mut engine = Engine::new();
    engine
        .set_max_operations(limits.max_operations)
        .set_max_call_levels(limits.max_call_levels)
        .set_max_expr_depths(limits.max_expr_depth, limits.max_expr_depth / 2)
        .set_max_string_size(limits.max_string_size)
        .set_max_array_size(limits.max_collection_size)
        .set_max_map_size(limits.max_collection_size)
        .set_max_modules(0)
        .set_module_resolver(rhai::module_resolvers::DummyModuleResolver::new())
        .set_strict_variables(true)
        .disable_symbol("eval");
    // print and debug from a rule go to the log, never into the report.
    engine.on_print(|text| tracing::info!(target: "kinerja::rule", "{text}"));
    engine.on_debug(
        |text, source, pos| tracing::debug!(target: "kinerja::rule", ?source, %pos, "{text}"),
    );
    engine.on_progress(|ops| {
        if ops % 4096 != 0 {
            return None;
        }
        CALL.with_borrow(|call| match call {
            Some((deadline, _)) if Instant::now() > *deadline => {
                Some(Dynamic::from(DEADLINE_TOKEN))
            }
            Some((_, cancel)) if cancel.is_cancelled() => Some(Dynamic::from(CANCEL_TOKEN)),
            _ => None,
        })
    });
    engine
}
