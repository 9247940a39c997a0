//! The limits serde-saphyr applies with its default options, and the parser options it
//! derives from them: what the fast paths must respect so that a file they accept is one
//! serde-saphyr accepts too. Read from the pinned version's own defaults.

use serde_saphyr::granit_parser;
use std::sync::OnceLock;

/// serde-saphyr's limits for its default options, and the parser options it derives
/// from them (its `Options::parser_options`, which is not public).
pub(super) struct Limits {
    /// serde-saphyr's own limits, which its errors say were passed.
    pub(super) budget: serde_saphyr::Budget,
    pub(super) parser: granit_parser::Options,
    pub(super) events: usize,
    pub(super) nodes: usize,
    pub(super) depth: usize,
    pub(super) scalar_bytes: usize,
    pub(super) comment_bytes: usize,
    pub(super) anchors: usize,
    pub(super) aliases: usize,
    pub(super) recorded_events: usize,
    pub(super) recorded_bytes: usize,
    pub(super) replayed_events: usize,
}

/// The options the parser runs with (serde-saphyr's, for its default options), for the
/// scanner's tests.
#[cfg(test)]
pub(super) fn parser_options() -> &'static granit_parser::Options {
    &limits().parser
}

/// A counter may reach 7/8 of serde-saphyr's limit before the builder hands over.
fn margin(limit: usize) -> usize {
    limit - limit / 8
}

pub(super) fn limits() -> &'static Limits {
    static LIMITS: OnceLock<Limits> = OnceLock::new();
    LIMITS.get_or_init(|| {
        let options = serde_saphyr::Options::default();
        let budget = options.budget.clone().unwrap_or_default();
        let mut parser = granit_parser::Options::default();
        parser.simple_key_max_lookahead = budget.simple_key_max_lookahead;
        parser.flow_nesting_limit = budget.flow_nesting_limit;
        parser.block_nesting_limit = parser
            .block_nesting_limit
            .max(budget.max_depth.saturating_add(1));
        parser.emit_comments = options.emit_comments;
        parser.max_buffered_comment_events = budget.max_buffered_comment_events;
        parser.strict_indentation = options.strict_indentation;
        parser.bom_inside_document_as_content = options.bom_inside_document_as_content;
        let mut aliases = margin(budget.max_aliases);
        if budget.enforce_alias_anchor_ratio {
            aliases = aliases.min(budget.alias_anchor_min_aliases.saturating_sub(1));
        }
        Limits {
            budget: budget.clone(),
            parser,
            events: margin(budget.max_events),
            nodes: margin(budget.max_nodes),
            // Containers nested deeper than this are left to the serde path.
            depth: budget.max_depth.saturating_sub(1),
            scalar_bytes: margin(budget.max_total_scalar_bytes),
            comment_bytes: margin(budget.max_total_comment_bytes),
            anchors: margin(budget.max_anchors),
            aliases,
            recorded_events: margin(budget.max_recorded_anchor_events),
            recorded_bytes: margin(budget.max_recorded_anchor_bytes),
            replayed_events: margin(options.alias_limits.max_total_replayed_events),
        }
    })
}

#[cfg(test)]
mod tests {
    /// The limit on a source file read whole is serde-saphyr's own for YAML from a reader:
    /// a file kinerja reads is one the YAML library would take.
    #[test]
    fn the_source_limit_is_serde_saphyrs() {
        let budget = serde_saphyr::Options::default().budget.unwrap_or_default();
        assert_eq!(
            budget.max_reader_input_bytes.map(|b| b as u64),
            Some(crate::base::files::SOURCE_LIMIT.bytes)
        );
    }
}
