//! What crosses into and out of a rule: arguments as the workspace holds them, numbers as
//! exact decimals, and why a call gave no number.

use crate::base::diagnostic::Code;
use crate::base::source::Span;
use crate::model::{Input, TabelKategori};
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
    /// A band table, for a band rule: a list of its bands as maps.
    Table(&'a TabelKategori),
}

impl Arg<'_> {
    pub(crate) fn to_dynamic(self) -> Dynamic {
        match self {
            Arg::Num(d) => decimal(d),
            Arg::Nums(list) => Dynamic::from_array(list.iter().map(|v| decimal(*v)).collect()),
            Arg::Input(input) => input_to_dynamic(input),
            Arg::Context(build) => build(),
            Arg::Table(table) => table_to_dynamic(table),
        }
    }
}

/// A band table as a rule sees it: a list of maps, one per band in the order written, each
/// with `label`, its edges as written (`min` or `lebih_dari`, `maks` or `kurang_dari`; an
/// edge the band lacks is no key), and `warna` and `keterangan` when given.
fn table_to_dynamic(table: &TabelKategori) -> Dynamic {
    let bands = table
        .tingkat
        .iter()
        .map(|t| {
            let mut map = rhai::Map::new();
            map.insert("label".into(), t.label.value.clone().into());
            if let Some(b) = &t.bawah {
                let key = if b.termasuk { "min" } else { "lebih_dari" };
                map.insert(key.into(), decimal(b.nilai.value));
            }
            if let Some(a) = &t.atas {
                let key = if a.termasuk { "maks" } else { "kurang_dari" };
                map.insert(key.into(), decimal(a.nilai.value));
            }
            if let Some(w) = t.warna {
                map.insert("warna".into(), w.name().into());
            }
            if let Some(k) = &t.keterangan {
                map.insert("keterangan".into(), k.clone().into());
            }
            Dynamic::from_map(map)
        })
        .collect();
    Dynamic::from_array(bands)
}

/// The label a band rule returned: `Some(Some(label))` for text, `Some(None)` for nothing
/// (`()`: no band), `None` for anything else.
pub(super) fn to_label(value: &Dynamic) -> Option<Option<String>> {
    if value.is_unit() {
        return Some(None);
    }
    value.is_string().then(|| Some(value.to_string()))
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
    } else if let Some(n) = value.clone().try_cast::<Decimal>() {
        format!("the number {}", n.normalize())
    } else if let Ok(i) = value.as_int() {
        format!("the number {i}")
    } else if value.is_string() {
        format!("the text {value:?}")
    } else {
        format!("a value of type {}", value.type_name())
    }
}
