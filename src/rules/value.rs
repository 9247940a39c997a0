//! What crosses into and out of a rule: arguments as the workspace holds them, numbers as
//! exact decimals, and why a call gave no number.

use crate::base::diagnostic::Code;
use crate::base::source::Span;
use crate::model::Input;
use rhai::Dynamic;
use rust_decimal::Decimal;

/// An argument to a rule, as the workspace holds it: converted to a Rhai value only if the
/// call goes through Rhai.
#[derive(Clone, Copy)]
pub(crate) enum Arg<'a> {
    Num(Decimal),
    /// A list of numbers (the figures a rollup combines).
    Nums(&'a [Decimal]),
    /// An indikator's `masukan`.
    Input(&'a Input),
    /// A context map (the indikator or rollup the rule works for), built when needed.
    Context(&'a dyn Fn() -> Dynamic),
}

impl Arg<'_> {
    pub(crate) fn to_dynamic(self) -> Dynamic {
        match self {
            Arg::Num(d) => decimal(d),
            Arg::Nums(list) => Dynamic::from_array(list.iter().map(|v| decimal(*v)).collect()),
            Arg::Input(input) => input_to_dynamic(input),
            Arg::Context(build) => build(),
        }
    }
}

/// Why a rule call produced no number.
#[derive(Clone, Debug)]
pub(crate) struct RuleError {
    pub(crate) code: Code,
    pub(crate) message: String,
    /// Where in the rule files the failure happened, when Rhai says.
    pub(crate) span: Option<Span>,
    pub(crate) hint: String,
    /// Set when the call ran past a limit (time, operations, depth, size): the rule it
    /// was, stopped for the rest of the run, and the definition of the one that ran away.
    pub(crate) stopped: Option<Box<Stopped>>,
}

/// A rule stopped for the rest of a run.
#[derive(Clone, Debug)]
pub(crate) struct Stopped {
    /// The rule the run called.
    pub(crate) rule: String,
    /// The `fn` line of the rule that ran past the limit (the called rule or one it calls).
    pub(crate) definition: Option<Span>,
}

pub(crate) fn decimal(value: Decimal) -> Dynamic {
    Dynamic::from_decimal(value)
}

/// Rule inputs as Rhai values: numbers become exact decimals.
pub(crate) fn input_to_dynamic(input: &Input) -> Dynamic {
    match input {
        Input::Num(n) => decimal(n.value),
        Input::Text(t) => Dynamic::from(t.value.clone()),
        Input::List(items, _) => Dynamic::from_array(items.iter().map(input_to_dynamic).collect()),
        Input::Map(entries, _) => {
            let map: rhai::Map = entries
                .iter()
                .map(|(k, v)| (k.as_str().into(), input_to_dynamic(v)))
                .collect();
            Dynamic::from_map(map)
        }
    }
}

/// The number a rule returned: a decimal, an integer, or a map with `nilai`.
pub(super) fn to_number(value: &Dynamic) -> Option<Decimal> {
    if let Some(d) = value.clone().try_cast::<Decimal>() {
        return Some(d);
    }
    if let Ok(i) = value.as_int() {
        return Some(Decimal::from(i));
    }
    if let Some(map) = value.read_lock::<rhai::Map>() {
        return map.get("nilai").and_then(to_number);
    }
    None
}

/// A value a rule returned where a number was needed, in words.
pub(super) fn describe(value: &Dynamic) -> String {
    if value.is_unit() {
        "nothing".into()
    } else if value.is_string() {
        format!("the text {value:?}")
    } else {
        format!("a value of type {}", value.type_name())
    }
}
