//! A rule that runs past a limit (time, operations, depth, size) is stopped for the rest
//! of the run ([`RuleSet::call_number`](crate::rules::RuleSet::call_number)), and every
//! figure that needs it fails the same way. The run reports it once: the limit, the rule's
//! line, and how many figures it left uncomputed, the first few by name.

use crate::base::diagnostic::{Code, Diagnostic, Runaway};
use crate::base::source::Sources;
use std::collections::BTreeMap;

/// How many uncomputed figures a report names before "and N more".
const NAMED: usize = 5;

/// `diags` with the failures of each stopped rule made into one diagnostic.
pub(super) fn one_per_rule(diags: Vec<Diagnostic>, sources: &Sources) -> Vec<Diagnostic> {
    let mut by_rule: BTreeMap<String, Vec<Runaway>> = BTreeMap::new();
    let mut hints: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut rest = Vec::with_capacity(diags.len());
    for mut d in diags {
        match d.runaway.take() {
            Some(runaway) => {
                hints.entry(runaway.rule.clone()).or_insert(d.hint);
                by_rule
                    .entry(runaway.rule.clone())
                    .or_default()
                    .push(*runaway);
            }
            None => rest.push(d),
        }
    }
    for (rule, mut figures) in by_rule {
        // In file order: the same report whichever figure happened to run first.
        figures.sort_by(|a, b| {
            let place = |r: &Runaway| (sources.path(r.at.file).to_string(), r.at.start);
            place(a)
                .cmp(&place(b))
                .then_with(|| a.figure.cmp(&b.figure))
        });
        figures.dedup_by(|a, b| a.figure == b.figure);
        let Some(first) = figures.first() else {
            continue;
        };
        let named: Vec<&str> = figures
            .iter()
            .take(NAMED)
            .map(|r| r.figure.as_str())
            .collect();
        let more = figures.len().saturating_sub(NAMED);
        let list = match more {
            0 => named.join(", "),
            n => format!("{} and {n} more", named.join(", ")),
        };
        let count = match figures.len() {
            1 => "1 figure".to_string(),
            n => format!("{n} figures"),
        };
        let mut d = Diagnostic::error(
            Code::RuleLimit,
            format!(
                "{}; it was stopped for the rest of the run, leaving {count} uncomputed: {list}",
                first.limit
            ),
        );
        d = match first.definition {
            Some(span) => d.at(span, "stopped for the rest of the run").also(
                first.at,
                format!("first of the figures left uncomputed: {}", first.figure),
            ),
            None => d.at(
                first.at,
                format!("stopped while computing {}", first.figure),
            ),
        };
        if let Some(Some(hint)) = hints.remove(&rule) {
            d = d.hint(hint);
        }
        rest.push(d);
    }
    rest
}
