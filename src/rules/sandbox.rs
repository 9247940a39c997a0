//! The sandbox rules run in: a Rhai engine without access to files, network, environment,
//! `import` or `eval`, with bounded operations, depths and sizes, and two ways a call is
//! stopped from outside its own work: its deadline, and the run's cancellation token.
//!
//! Rhai's progress callback has no per-call context, so the call in progress on a thread
//! keeps its deadline and token in a thread-local for the length of the call
//! ([`guarded`]); nothing outlives the call.

use crate::base::cancel::Cancel;
use rhai::{Dynamic, Engine, EvalAltResult};
use rust_decimal::{Decimal, MathematicalOps};
use std::cell::{Cell, RefCell};
use std::time::{Duration, Instant};

/// Limits applied to every rule call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub(crate) deadline: Duration,
    /// The deadline of every call once a rule of the run has been stopped: a runaway rule
    /// has made the run fail already, and the next ones should not each cost the full
    /// deadline (a rule computing a figure needs microseconds).
    pub(crate) deadline_after_a_stop: Duration,
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
            deadline_after_a_stop: Duration::from_millis(100),
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
    static CALL: RefCell<Option<Call>> = const { RefCell::new(None) };
    /// The operation count at which the call in progress looks at the clock next (a copy
    /// of its `next_check`, read without borrowing `CALL`).
    static NEXT_CHECK: Cell<u64> = const { Cell::new(0) };
    /// Whether this thread is inside [`contained`] (its panics are reported as the rule's).
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` (one rule call), turning a panic inside it (in Rhai, or in a library it calls:
/// `tan` at π/2 panics in rust_decimal) into `Err` with the panic's message: the last
/// defence, so that no rule can bring a run down. The panic is not printed: the caller
/// reports it as the rule's failure.
pub(super) fn contained<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| {
        // Panics elsewhere still reach the hook that was there before.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CONTAINED.get() {
                previous(info);
            }
        }));
    });
    struct Leave(bool);
    impl Drop for Leave {
        fn drop(&mut self) {
            CONTAINED.set(self.0);
        }
    }
    let _leave = Leave(CONTAINED.replace(true));
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a computation failed".to_string())
    })
}

/// A call in progress: what stops it, and when its progress is next checked.
struct Call {
    deadline: Instant,
    cancel: Cancel,
    /// The operation count at which to look at the clock next.
    next_check: u64,
    /// Operations between looks: many while operations are cheap, one as soon as they
    /// are not (a search through a 100 000-item array takes milliseconds).
    stride: u64,
    last_check: Instant,
}

/// The most operations between two looks at the clock.
const STRIDE: u64 = 32;

impl Call {
    /// Whether the call must stop now, and why.
    fn check(&mut self, ops: u64) -> Option<&'static str> {
        if ops < self.next_check {
            return None;
        }
        let now = Instant::now();
        if now > self.deadline {
            return Some(DEADLINE_TOKEN);
        }
        if self.cancel.is_cancelled() {
            return Some(CANCEL_TOKEN);
        }
        self.stride = if now - self.last_check > Duration::from_millis(1) {
            1
        } else {
            (self.stride * 2).min(STRIDE)
        };
        self.last_check = now;
        self.next_check = ops + self.stride;
        None
    }
}

/// Runs `f` (one call into Rhai) with `deadline` from now and `cancel` in force; what was in
/// force before is again afterwards, even if `f` panics.
pub(super) fn guarded<T>(deadline: Duration, cancel: &Cancel, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Call>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            NEXT_CHECK.set(outer.as_ref().map_or(0, |call| call.next_check));
            CALL.set(outer);
        }
    }
    // A rule computing a figure takes a few dozen operations: most calls end before the
    // first look at the clock.
    let first = STRIDE / 2;
    NEXT_CHECK.set(first);
    let now = Instant::now();
    let _restore = Restore(CALL.replace(Some(Call {
        deadline: now + deadline,
        cancel: cancel.clone(),
        next_check: first,
        stride: first,
        last_check: now,
    })));
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
        // `m.tagret > 100` must not quietly read nothing and take the other branch: a key
        // that is not there is an error naming it.
        .set_fail_on_invalid_map_property(true)
        .disable_symbol("eval");
    // A rule's figure depends on its inputs alone: nothing that waits or reads a clock
    // (`timestamp` is left out at build time, the `no_time` feature). Rhai's `sleep` is
    // replaced by one that refuses.
    engine.register_fn("sleep", |_: rhai::INT| -> Result<(), Box<EvalAltResult>> {
        Err("`sleep` is not available to rules: a rule computes a figure from its inputs, and waits for nothing".into())
    });
    // A negative number to a fractional power has no real result; rust_decimal would give
    // one (the root of the number's magnitude, negated). Otherwise as Rhai's own `**`.
    // These replace the built-in operator only with fast operators off, which costs every
    // operator a lookup: `RuleSet::compile` turns them off only for rules that use `**`
    // ([`uses_power`]).
    engine.register_fn("**", power);
    engine.register_fn("**", |x: rhai::INT, y: Decimal| power(Decimal::from(x), y));
    engine.register_fn("tan", tangent);
    engine.register_fn(
        "**=",
        |x: &mut Decimal, y: Decimal| -> Result<(), Box<EvalAltResult>> {
            *x = power(*x, y)?;
            Ok(())
        },
    );
    // print and debug from a rule go to the log, never into the report.
    engine.on_print(|text| tracing::info!(target: "kinerja::rule", "{text}"));
    engine.on_debug(
        |text, source, pos| tracing::debug!(target: "kinerja::rule", ?source, %pos, "{text}"),
    );
    // The clock is read every few operations, and at every one while each takes long:
    // otherwise a loop of single expensive operations would overrun the deadline by
    // seconds.
    engine.on_progress(|ops| {
        // Most operations: one read of a thread-local, no clock.
        if ops < NEXT_CHECK.get() {
            return None;
        }
        CALL.with_borrow_mut(|call| {
            let call = call.as_mut()?;
            let stop = call.check(ops);
            NEXT_CHECK.set(call.next_check);
            stop
        })
        .map(Dynamic::from)
    });
    engine
}

/// Whether a rule file uses `**` or `**=` (see [`power`]), read from its tokens: a `**` in a
/// comment does not count.
pub(super) fn uses_power(tokens: &[(rhai::Token, rhai::Position)]) -> bool {
    tokens
        .iter()
        .any(|(token, _)| matches!(token, rhai::Token::PowerOf | rhai::Token::PowerOfAssign))
}

/// `x ** y` for decimals: an error where there is no real result, else as Rhai's own (which
/// refuses exponents beyond a million, whose computation takes exponential time).
fn power(x: Decimal, y: Decimal) -> Result<Decimal, Box<EvalAltResult>> {
    if x < Decimal::ZERO && !y.fract().is_zero() {
        return Err(no_result(format!(
            "{x} ** {y} has no real result (a negative number to a fractional power)"
        )));
    }
    if y < Decimal::ZERO {
        return Err(no_result(format!(
            "{x} ** {y}: rules do not raise to a negative power; write 1 / {x} ** {}",
            -y
        )));
    }
    if u32::try_from(y.round()).map_or(true, |v| v > 1_000_000) {
        return Err(no_result(format!("Exponential overflow: {x} ** {y}")));
    }
    x.checked_powd(y)
        .ok_or_else(|| no_result(format!("Exponential overflow: {x} ** {y}")))
}

/// `tan(x)`: an error at and near a pole (x ≈ π/2 + kπ). rust_decimal panics at the pole
/// itself and, a hair beside it, returns numbers like 10²⁸ of which no digit is right: x
/// carries 28 digits, and tan's error grows as 1/cos²(x), so below |cos x| = 10⁻¹⁴ nothing
/// of the result is left.
fn tangent(x: Decimal) -> Result<Decimal, Box<EvalAltResult>> {
    let near_pole = Decimal::new(1, 14);
    match (x.checked_cos(), x.checked_tan()) {
        (Some(cos), Some(tan)) if cos.abs() >= near_pole => Ok(tan),
        _ => Err(no_result(format!(
            "tan({x}) has no result: {x} is at or too near a pole of tan (π/2 + kπ)"
        ))),
    }
}

/// A computation without a result, reported as Rhai reports a division by zero.
fn no_result(message: String) -> Box<EvalAltResult> {
    EvalAltResult::ErrorArithmetic(message, rhai::Position::NONE).into()
}
