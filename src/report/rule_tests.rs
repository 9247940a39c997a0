//! A run of the rules' test cases (`kinerja test`), for people and as JSON.

use super::diagnostics::{self, DiagnosticOut};
use crate::base::source::{FileId, Sources};
use crate::model::RuleTest;
use crate::rule_tests::{TestRun, case_name};
use crate::rules::RuleCoverage;
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
    if let Some(coverage) = &run.coverage {
        coverage_text(&mut out, coverage, sources);
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
    /// With `--coverage`: each function of the rule files; null without.
    coverage: Option<Vec<CoverageOut<'a>>>,
}

#[derive(Serialize)]
struct CoverageOut<'a> {
    file: &'a str,
    rumus: &'a str,
    calls: u64,
    lines: &'a [u32],
    missed_lines: &'a [u32],
    branches: Vec<BranchOut<'a>>,
}

#[derive(Serialize)]
struct BranchOut<'a> {
    line: u32,
    column: u32,
    kind: &'a str,
    /// Per outcome, in order: `if` then/else, `for` and `while` entered/skipped, `switch`
    /// each arm (then "no arm"), `&&` `||` `??` right side evaluated/skipped.
    taken: &'a [bool],
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
        coverage: run.coverage.as_ref().map(|functions| {
            functions
                .iter()
                .map(|f| CoverageOut {
                    file: sources.path(f.file),
                    rumus: &f.name,
                    calls: f.calls,
                    lines: &f.lines,
                    missed_lines: &f.missed_lines,
                    branches: f
                        .branches
                        .iter()
                        .map(|b| BranchOut {
                            line: b.line,
                            column: b.column,
                            kind: b.kind,
                            taken: &b.taken,
                        })
                        .collect(),
                })
                .collect()
        }),
    };
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}

/// Lines and branch outcomes reached, of all: the totals, per file, then what was missed.
fn coverage_text(out: &mut String, coverage: &[RuleCoverage], sources: &Sources) {
    let total = Tally::of(coverage.iter());
    let _ = writeln!(out, "coverage: {}", total.describe());
    let mut files: Vec<FileId> = coverage.iter().map(|f| f.file).collect();
    files.sort_by(|a, b| sources.path(*a).cmp(sources.path(*b)));
    files.dedup();
    let width = files
        .iter()
        .map(|f| sources.path(*f).chars().count())
        .max()
        .unwrap_or(0);
    for &file in &files {
        let tally = Tally::of(coverage.iter().filter(|f| f.file == file));
        let _ = writeln!(out, "  {:width$}  {}", sources.path(file), tally.describe());
    }
    for f in coverage.iter().filter(|f| {
        !f.missed_lines.is_empty() || f.branches.iter().any(|b| b.taken.contains(&false))
    }) {
        let mut missed = Vec::new();
        if f.calls == 0 {
            missed.push("never called".to_string());
        } else if !f.missed_lines.is_empty() {
            let lines: Vec<String> = f.missed_lines.iter().map(u32::to_string).collect();
            missed.push(format!(
                "line{} {} never ran",
                if lines.len() == 1 { "" } else { "s" },
                lines.join(", ")
            ));
        }
        if f.calls > 0 {
            for b in &f.branches {
                let not_taken: Vec<&str> = b
                    .taken
                    .iter()
                    .enumerate()
                    .filter(|(_, taken)| !**taken)
                    .map(|(i, _)| outcome_name(b.kind, i, b.taken.len()))
                    .collect();
                if !not_taken.is_empty() {
                    missed.push(format!(
                        "`{}` at {}:{} never {}",
                        b.kind,
                        b.line,
                        b.column,
                        not_taken.join(" or ")
                    ));
                }
            }
        }
        let _ = writeln!(
            out,
            "  missed in {}: `{}`: {}",
            sources.path(f.file),
            f.name,
            missed.join("; ")
        );
    }
    out.push('\n');
}

/// How an outcome of a branch point is said.
fn outcome_name(kind: &str, index: usize, outcomes: usize) -> &'static str {
    match (kind, index) {
        ("if", 0) => "took its then branch",
        ("if", _) => "took its else branch",
        ("for" | "while", 0) => "entered its body",
        ("for" | "while", _) => "skipped its body",
        ("switch", i) if i + 1 == outcomes => "matched no arm",
        ("switch", _) => "took one of its arms",
        (_, 0) => "evaluated its right side",
        _ => "skipped its right side",
    }
}

/// Lines and branch outcomes: reached, of all.
struct Tally {
    lines: (usize, usize),
    outcomes: (usize, usize),
}

impl Tally {
    fn of<'a>(functions: impl Iterator<Item = &'a RuleCoverage>) -> Tally {
        let mut t = Tally {
            lines: (0, 0),
            outcomes: (0, 0),
        };
        for f in functions {
            t.lines.1 += f.lines.len();
            t.lines.0 += f.lines.len() - f.missed_lines.len();
            for b in &f.branches {
                t.outcomes.1 += b.taken.len();
                t.outcomes.0 += b.taken.iter().filter(|taken| **taken).count();
            }
        }
        t
    }

    fn describe(&self) -> String {
        // Rounded down: 99.95% of lines is not 100.0%. Nothing to reach is all reached.
        let percent = |(hit, all): (usize, usize)| match (hit * 1000).checked_div(all) {
            Some(permille) => format!("{}.{}%", permille / 10, permille % 10),
            None => "100.0%".to_string(),
        };
        format!(
            "{} of lines ({}/{}), {} of branch outcomes ({}/{})",
            percent(self.lines),
            self.lines.0,
            self.lines.1,
            percent(self.outcomes),
            self.outcomes.0,
            self.outcomes.1
        )
    }
}
