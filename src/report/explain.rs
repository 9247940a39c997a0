//! An explanation ([`crate::explain`]) as a tree of text, or as JSON.

use crate::explain::Step;
use serde::Serialize;
use std::fmt::Write as _;

/// The tree as text, with box-drawing branches.
pub(crate) fn text(step: &Step) -> String {
    fn line(s: &Step) -> String {
        let mut out = s.label.clone();
        if let Some(v) = &s.shown {
            if out.is_empty() {
                out = format!("= {v}");
            } else {
                let _ = write!(out, " = {v}");
            }
        }
        if let Some(e) = &s.exact {
            let _ = write!(out, "  (full precision {e})");
        }
        if let Some(r) = &s.rounding {
            let _ = write!(out, "  [{r}]");
        }
        if let Some(at) = &s.at {
            let _ = write!(out, "  {at}");
        }
        out
    }
    fn go(s: &Step, prefix: &str, out: &mut String) {
        for (i, c) in s.children.iter().enumerate() {
            let last = i + 1 == s.children.len();
            let _ = writeln!(
                out,
                "{prefix}{}{}",
                if last { "└─ " } else { "├─ " },
                line(c)
            );
            go(
                c,
                &format!("{prefix}{}", if last { "   " } else { "│  " }),
                out,
            );
        }
    }
    let mut out = format!("{}\n", line(step));
    go(step, "", &mut out);
    out
}

#[derive(Serialize)]
struct StepOut<'a> {
    label: &'a str,
    value: Option<&'a str>,
    full_precision: Option<&'a str>,
    rounding: Option<&'a str>,
    at: Option<&'a str>,
    children: Vec<StepOut<'a>>,
}

fn out(step: &Step) -> StepOut<'_> {
    StepOut {
        label: &step.label,
        value: step.shown.as_deref(),
        full_precision: step.exact.as_deref(),
        rounding: step.rounding.as_deref(),
        at: step.at.as_deref(),
        children: step.children.iter().map(out).collect(),
    }
}

/// The tree as JSON: each step has `label`, `value`, `full_precision`, `rounding`, `at` and
/// `children`.
pub(crate) fn json(step: &Step) -> String {
    super::json::pretty(&out(step))
}
