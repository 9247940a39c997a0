//! What `kinerja diff` found, for people or as JSON.

use crate::diff::{Change, WorkspaceDiff};
use serde::Serialize;
use std::fmt::Write as _;

/// Changed definitions, then changed figures; an id that only appears or only disappears is
/// one line, not one per field.
pub(crate) fn text(d: &WorkspaceDiff) -> String {
    let mut out = String::new();
    let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
    for (title, list) in [("Definitions", &d.definitions), ("Figures", &d.figures)] {
        let _ = writeln!(out, "{title}: {} changed", list.len());
        // Each id's changes, the ids in the order they first appear.
        let mut ids: Vec<&str> = Vec::new();
        let mut of: ahash::AHashMap<&str, Vec<&Change>> = ahash::AHashMap::new();
        for c in list.iter() {
            of.entry(&c.id)
                .or_insert_with(|| {
                    ids.push(&c.id);
                    Vec::new()
                })
                .push(c);
        }
        for id in ids {
            let of_id = &of[id];
            if of_id.iter().all(|c| c.old.is_none()) {
                let fields: Vec<String> = of_id
                    .iter()
                    .map(|c| format!("{} = {}", c.field, value(&c.new)))
                    .collect();
                let _ = writeln!(out, "  + {id}: {}", fields.join("; "));
            } else if of_id.iter().all(|c| c.new.is_none()) {
                let fields: Vec<String> = of_id
                    .iter()
                    .map(|c| format!("{} = {}", c.field, value(&c.old)))
                    .collect();
                let _ = writeln!(out, "  - {id}: {}", fields.join("; "));
            } else {
                for c in of_id {
                    let _ = writeln!(
                        out,
                        "  ~ {} {}: {} → {}",
                        c.id,
                        c.field,
                        value(&c.old),
                        value(&c.new)
                    );
                }
            }
        }
    }
    out
}

#[derive(Serialize)]
struct DiffOut<'a> {
    definitions: Vec<ChangeOut<'a>>,
    figures: Vec<ChangeOut<'a>>,
}

#[derive(Serialize)]
struct ChangeOut<'a> {
    id: &'a str,
    field: &'a str,
    old: Option<&'a str>,
    new: Option<&'a str>,
}

/// The diff as JSON: every change with `id`, `field`, `old` and `new` as text.
pub(crate) fn json(d: &WorkspaceDiff) -> String {
    fn list(l: &[Change]) -> Vec<ChangeOut<'_>> {
        l.iter()
            .map(|c| ChangeOut {
                id: &c.id,
                field: &c.field,
                old: c.old.as_deref(),
                new: c.new.as_deref(),
            })
            .collect()
    }
    super::json::pretty(&DiffOut {
        definitions: list(&d.definitions),
        figures: list(&d.figures),
    })
}
