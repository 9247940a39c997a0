//! Rules: the Rhai functions under `rules/` that compute every figure.
//!
//! Every `.rhai` file is a plugin contributing its public functions, by name, to one shared
//! namespace; indicators, sasaran and the manifest name them. Files are compiled once per
//! load, then merged so that a rule may call rules of other files. A name defined (with the
//! same number of parameters) in two files is an error naming both ([`set`]); a `private fn`
//! belongs to its own file alone ([`private`]).
//!
//! Rules run in a sandbox ([`sandbox`]): no file, network or environment access, no
//! `import` or `eval`, bounded operations, call depth, expression depth, string/array/map
//! sizes, a wall-clock deadline, and a cancellation token. Numbers reach rules as exact
//! decimals ([`value`]), and a rule must return a number (or a map with `nilai`); a band
//! rule, given a figure and a band table, returns a band's label or nothing instead
//! ([`RuleSet::call_label`]).
//!
//! Most calls never reach Rhai: [`fast`] translates each rule, once, into a small tree that
//! runs directly on the workspace's decimals. Its contract is Rhai's own behaviour at the
//! pinned version (`rhai = "=1.27.0"` in `Cargo.toml`: the AST API it reads is outside
//! semver), and the equivalence tests compare both paths on every construct.

mod ast;
mod coverage;
mod fast;
mod private;
mod sandbox;
mod set;
mod value;

pub(crate) use sandbox::Limits;
pub(crate) use set::RuleCoverage;
pub(crate) use set::{RuleInfo, RuleSet};
pub(crate) use value::{Arg, RuleError, input_to_dynamic};

#[cfg(test)]
mod attack_tests;
#[cfg(test)]
mod equivalence;
