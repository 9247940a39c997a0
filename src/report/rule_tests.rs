//! A run of the rules' test cases (`kinerja test`), for people and as JSON.

use super::diagnostics::{self, DiagnosticOut};
use crate::base::source::Sources;
use crate::model::RuleTest;
use crate::rule_tests::{TestRun, case_name};
use serde::Serialize;
use std::fmt::Write;

/// One line per case, the failures as diagnostics, the untested rules, and a summary.
pub(crate) fn text(run: &TestRun, tests: &[RuleTest], sources: &Sources, color: bool) -> String {
    let mut out = String::new();
    let names: Vec<String> = run
        .outcomes
        .iter()
        .map(|o| case_name(&tests[o.case]))
        .collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    for (o, name) in run.outcomes.iter().zip(&names) {
        let status = if o.passed() { "ok  " } else { "FAIL" };
        let _ = writeln!(
            out,
            "{status}  {name:width$}  {}",
            sources.location(tests[o.case].span)
        );
    }
    if !run.outcomes.is_empty() {
        out.push('\n');
    }
    for d in &run.diagnostics {
        let _ = writeln!(out, "{}\n", d.render(sources, color));
    }
    for (name, span) in &run.untested {
        let _ = writeln!(
            out,
            "untested: rule `{name}` ({}) has no case",
            sources.location(*span)
        );
    }
    if !run.untested.is_empty() {
        out.push('\n');
    }
    let failed = run.failed();
    let cases = run.outcomes.len();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let _ = write!(
        out,
        "{cases} case{}: {} passed, {failed} failed; {} untested rule{}",
        plural(cases),
        cases - failed,
        run.untested.len(),
        plural(run.untested.len()),
    );
    let problems = run.problems();
    if problems > 0 {
        let _ = write!(
            out,
            "; {problems} error{} in rule and test files",
            plural(problems)
        );
    }
    out.push('\n');
    if tests.is_empty() {
        let _ = writeln!(
            out,
            "  hint: write cases beside the rules, in rules/NAME.test.yaml (README: Testing rules)"
        );
    }
    out
}

#[derive(Serialize)]
struct RunOut<'a> {
    passed: usize,
    failed: usize,
    cases: Vec<CaseOut<'a>>,
    untested: Vec<RuleOut<'a>>,
    diagnostics: Vec<DiagnosticOut<'a>>,
}

#[derive(Serialize)]
struct CaseOut<'a> {
    rumus: &'a str,
    nama: Option<&'a str>,
    file: &'a str,
    line: usize,
    column: usize,
    passed: bool,
}

#[derive(Serialize)]
struct RuleOut<'a> {
    rumus: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
}

pub(crate) fn json(run: &TestRun, tests: &[RuleTest], sources: &Sources) -> String {
    let cases = run
        .outcomes
        .iter()
        .map(|o| {
            let t = &tests[o.case];
            let at = sources.line_col(t.span.file, t.span.start);
            CaseOut {
                rumus: &t.rumus.value,
                nama: t.nama.as_ref().map(|n| n.value.as_str()),
                file: sources.path(t.span.file),
                line: at.line,
                column: at.column,
                passed: o.passed(),
            }
        })
        .collect();
    let untested = run
        .untested
        .iter()
        .map(|(name, span)| {
            let at = sources.line_col(span.file, span.start);
            RuleOut {
                rumus: name,
                file: sources.path(span.file),
                line: at.line,
                column: at.column,
            }
        })
        .collect();
    let out = RunOut {
        passed: run.outcomes.len() - run.failed(),
        failed: run.failed(),
        cases,
        untested,
        diagnostics: diagnostics::list(sources, &run.diagnostics),
    };
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}
