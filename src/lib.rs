//! kinerja: a rules engine for Indonesian government performance reports (Laporan Kinerja).
//!
//! YAML files define sasaran, indikator, targets, inputs and budgets; Rhai scripts under
//! `rules/` define every formula and rollup. The flow is one way:
//! [`workspace`] (load) → [`validate`] → [`rules`] (compile) → [`eval`] / [`budget`] →
//! [`report`] (render). [`pipeline`] ties the stages together; [`cli`] is the command line.

pub mod audit;
pub mod budget;
pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod generate;
pub mod incremental;
pub mod model;
pub mod number;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod snapshot;
pub mod source;
pub mod validate;
pub mod watch;
pub mod whatif;
pub mod workspace;
pub mod yaml;
