//! kinerja: a rules engine for Indonesian government performance reports (Laporan Kinerja).
//!
//! YAML files define sasaran, indikator, targets, inputs and budgets; Rhai scripts under
//! `rules/` define every formula and rollup. [`analyze`] reads a workspace and computes every
//! figure; the [`Analysis`] holds the [`Diagnostics`] found on the way and, when there are
//! no errors, the figures ([`Analysis::figures`]) and the report in every format
//! ([`Analysis::render`]).
//!
//! ```no_run
//! let analysis = kinerja::analyze(std::path::Path::new("."), &kinerja::Options::default())?;
//! for d in analysis.diagnostics().iter() {
//!     eprintln!("{}", d.render(analysis.sources(), false));
//! }
//! for f in analysis.figures() {
//!     println!("{} {} = {}", f.id, f.ukuran, f.value);
//! }
//! # Ok::<(), kinerja::Error>(())
//! ```
//!
//! Inside, data flows one way, one layer on the next (README, "Architecture"):
//! `base` → `model` → `load` → `schema` → `validate` → `rules` → `eval` → `audit`, `explain`, `diff`,
//! `snapshot`, `whatif`, `rule_tests` → `analysis` → `report` → `watch` → `serve` → [`cli`].

mod analysis;
mod audit;
mod base;
#[cfg(feature = "bench")]
#[doc(hidden)]
pub mod bench;
pub mod cli;
mod diff;
mod eval;
mod explain;
mod generate;
mod load;
mod model;
mod report;
mod rule_tests;
mod rules;
mod schema;
mod serve;
mod snapshot;
mod validate;
mod watch;
mod whatif;

pub use analysis::{Analysis, Error, FigureValue, Options, SourceClash, analyze};
pub use base::diagnostic::{Code, Diagnostic, Diagnostics, Label, Place, Severity};
pub use base::number::{Locale, Rounding, RoundingMode};
pub use base::source::{FileId, LineCol, SourceFile, Sources, Span};
pub use load::LoadError;
pub use report::{Format, Presentation};
pub use whatif::{Override, OverrideError};
