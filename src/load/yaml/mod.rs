//! YAML read into a tree that remembers where every key and value was written.
//!
//! The tree is built from parser events ([`events`]). They come from one of two sources:
//! - [`scan`], a one-pass scanner for the everyday subset these files are written in
//!   (block and one-line flow collections, one-line scalars, `|`/`>` blocks, comments).
//!   It gives exactly the events `granit-parser` gives, and hands any file outside its
//!   subset over;
//! - `granit-parser` (the scanner and parser that `serde-saphyr` is built on, used through
//!   its re-export so that both are always the same copy), for every other file.
//!
//! `serde-saphyr` itself (maintained, panic-free, with per-value spans) stays the
//! reference: whenever the event builder meets anything it does not reproduce exactly (a
//! syntax error, a tag, a merge key, a duplicate or empty key, several documents, a value
//! near one of the parser's budgets, …) the file is parsed again through `serde-saphyr`,
//! which then gives the tree or the diagnostic. Those files are rare, so the fast paths
//! decide almost every file and the messages stay those of `serde-saphyr`.
//!
//! The typed workspace is then read from this tree by [`MapReader`], which collects *every*
//! problem (unknown keys with a suggestion, missing keys, wrong types, number formats)
//! instead of stopping at the first, as a derived `Deserialize` would.
//!
//! Layout: [`tree`] (the tree), [`scan`] and [`events`] (the fast paths), [`reference`](mod@reference) (the
//! serde-saphyr path), [`map`] (reading the model out of a tree).
//!
//! The contract the fast paths copy is that of one version of `serde-saphyr` and its
//! `granit-parser`; `Cargo.toml` pins that version (`=2.2.0`), and the tests below and in
//! [`scan`] compare the paths on every YAML file of the repository, a generated workspace
//! and random documents. Upgrading the pin means running those tests first.

mod events;
mod limits;
mod map;
mod reference;
mod scan;
mod traps;
mod tree;

pub(crate) use map::MapReader;
pub(crate) use tree::{Key, Node, NodeKind};

use crate::base::diagnostic::{Diagnostic, Diagnostics};
use crate::base::source::FileId;

/// Parses a YAML file into a spanned tree. An empty file is `Null`.
pub(crate) fn parse(file: FileId, text: &str) -> Result<Node<'_>, Box<Diagnostic>> {
    match events::build(file, text) {
        Some(node) => Ok(node),
        // Not decided by the event builder (an error, or something it leaves to the
        // reference parser): the serde path gives the same tree or the exact diagnostic.
        None => reference::parse_with_serde(file, text),
    }
}

#[cfg(test)]
mod tests;

/// [`parse`], then the number traps YAML springs on planners ([`traps`]): each is reported
/// in `diags`, and the tree holds what the planner meant, as far as it can be known.
pub(crate) fn read<'t>(file: FileId, text: &'t str, diags: &mut Diagnostics) -> Option<Node<'t>> {
    match parse(file, text) {
        Ok(mut node) => {
            traps::mend(&mut node, text, diags);
            Some(node)
        }
        Err(d) => {
            diags.push(*d);
            None
        }
    }
}
