//! What the benchmarks (`bench/`) measure below the public surface: two rule calls exactly
//! as evaluation makes them, and the budget line aggregation. Built only with the `bench`
//! feature, for the bench crate; not an API.

use crate::base::cancel::Cancel;
use crate::base::number::NumberFormat;
use crate::base::source::{FileId, Span};
use crate::load::lines::{self, Columns, Options};
use crate::model::{Input, Num};
use crate::rules::{Arg, RuleSet};
use rust_decimal::Decimal;
use std::path::Path;

/// How long `kinerja watch` waits for the files to be quiet, by default.
pub const DEFAULT_DEBOUNCE_MS: u64 = crate::watch::DEFAULT_DEBOUNCE_MS;

/// The rules of a workspace, compiled as a run compiles them.
pub struct Rules(RuleSet);

impl Rules {
    /// The rules of the workspace at `root` (its `rules/` and shared libraries).
    pub fn of_workspace(root: &Path) -> Result<Rules, String> {
        RuleSet::of_workspace(root).map(Rules)
    }

    /// An indikator's `realisasi: {rumus: rasio, masukan: {n, t}}` and its capaian by
    /// `capaian_maksimal`: the masukan built as the model holds it, then the two calls
    /// evaluation makes (the fast path, falling back to Rhai).
    pub fn rasio_then_capaian(&self, n: Decimal, t: Decimal, target: Decimal) -> Option<Decimal> {
        let input = masukan(n, t);
        let cancel = Cancel::never();
        let r = self
            .0
            .call_number("rasio", &[Arg::Input(&input)], &cancel)
            .ok()?;
        self.0
            .call_number(
                "capaian_maksimal",
                &[Arg::Num(r), Arg::Num(target)],
                &cancel,
            )
            .ok()
    }

    /// The same two calls through Rhai's interpreter alone: what every call cost before the
    /// fast path, and what a rule outside its subset costs.
    pub fn rasio_then_capaian_in_rhai(
        &self,
        n: Decimal,
        t: Decimal,
        target: Decimal,
    ) -> Option<Decimal> {
        let input = masukan(n, t);
        let cancel = Cancel::never();
        let r = self
            .0
            .call_rhai_number("rasio", &[Arg::Input(&input)], &cancel)
            .ok()?;
        self.0
            .call_rhai_number(
                "capaian_maksimal",
                &[Arg::Num(r), Arg::Num(target)],
                &cancel,
            )
            .ok()
    }
}

/// An indikator's `masukan: {n: …, t: …}` as the workspace model holds it.
fn masukan(n: Decimal, t: Decimal) -> Input {
    let at = Span::new(FileId(0), 0, 0);
    let num = |value: Decimal| {
        Input::Num(Num {
            value,
            span: at,
            decimals: value.scale(),
        })
    };
    Input::Map(vec![("n".into(), num(n)), ("t".into(), num(t))], at)
}

/// Budget lines summed per kegiatan and jenis belanja.
pub struct LineTotals {
    pub rows: u64,
    pub bad_rows: u64,
    /// (kegiatan, jenis belanja, pagu, realisasi, rows) per group, in no particular order.
    pub groups: Vec<(String, String, Decimal, Decimal, u64)>,
}

/// Aggregates a budget CSV in the Indonesian number format (columns `kegiatan`, `akun`,
/// `pagu`, `realisasi`), as loading a workspace does.
pub fn aggregate_csv(path: &Path, delimiter: u8) -> Result<LineTotals, String> {
    let options = Options {
        columns: Columns::default(),
        delimiter: Some(delimiter),
        format: NumberFormat::Indonesian,
        // The central codes, as the generated workspaces write them.
        skema: Default::default(),
    };
    let agg = lines::aggregate_file(path, &options).map_err(|e| e.to_string())?;
    Ok(LineTotals {
        rows: agg.rows,
        bad_rows: agg.bad.len() as u64 + agg.more_bad,
        groups: agg
            .groups
            .into_iter()
            .map(|((k, j), s)| (k, j, s.pagu, s.realisasi, s.rows))
            .collect(),
    })
}
