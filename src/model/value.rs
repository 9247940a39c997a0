//! The values files hold, each with the place it was written.

use crate::base::source::Span;
use rust_decimal::Decimal;

/// A number as written in a file, with where it was written and how many decimals it had.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Num {
    pub(crate) value: Decimal,
    pub(crate) span: Span,
    pub(crate) decimals: u32,
}

/// Text from a file, with its place.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Text {
    pub(crate) value: String,
    pub(crate) span: Span,
}

/// A rule named in a file; the span points at the name (none for a built-in default).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct RuleRef {
    pub(crate) name: String,
    pub(crate) span: Option<Span>,
}

impl RuleRef {
    /// A default rule, named by kinerja rather than a file.
    pub(crate) fn builtin(name: &str) -> RuleRef {
        RuleRef {
            name: name.to_string(),
            span: None,
        }
    }
}

impl From<Text> for RuleRef {
    fn from(t: Text) -> Self {
        RuleRef {
            name: t.value,
            span: Some(t.span),
        }
    }
}
