//! Running the rules' test cases (`rules/*.test.yaml`, read by [`crate::load`]): each case
//! through the engine `eval` uses, and again through Rhai alone wherever the fast path took
//! it, so that a case also fails when the two paths disagree.

use crate::base::cancel::Cancel;
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::base::number::Rounding;
use crate::base::source::{Sources, Span};
use crate::eval::calls::{capaian_arity, look_up, rollup_form};
use crate::load::kategori::is_band_table;
use crate::load::rule_tests::is_rule_test;
use crate::model::{Expect, Input, RuleTest, TabelArg, TabelKategori, TestArgs};
use crate::rules::{Arg, Limits, RuleCoverage, RuleError, RuleSet, input_to_dynamic};
use rust_decimal::Decimal;

/// What one case gave.
#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    /// The case's index in the cases run (the workspace's `rule_tests`).
    pub(crate) case: usize,
    pub(crate) verdict: Verdict,
}

#[derive(Clone, Debug)]
pub(crate) enum Verdict {
    Pass,
    /// A number, not the one expected.
    WrongNumber {
        got: Decimal,
    },
    /// A number where an error was expected.
    NoError {
        got: Decimal,
    },
    /// An error where a number was expected, or one whose message lacks the text expected.
    Error {
        message: String,
        /// Where in the rule files it failed.
        span: Option<Span>,
    },
    /// The fast path gave `fast`, Rhai alone `rhai`: a fault in kinerja, not the rule.
    Disagree {
        fast: Decimal,
        rhai: Result<Decimal, String>,
    },
    /// No rule of that name, or none taking the case's arguments.
    NoRule {
        message: String,
    },
    /// No band table of the name the case gives.
    NoTable {
        message: String,
    },
    /// A band lookup giving another band than the one expected (`None`: no band).
    WrongKategori {
        got: Option<String>,
    },
    /// A band lookup giving a band (or none) where an error was expected.
    KategoriNoError {
        got: Option<String>,
    },
}

/// A band lookup's result, as a case shows it.
fn label_text(got: &Option<String>) -> String {
    match got {
        Some(label) => format!("band `{label}`"),
        None => "no band".into(),
    }
}

impl Outcome {
    pub(crate) fn passed(&self) -> bool {
        matches!(self.verdict, Verdict::Pass)
    }

    /// A failed case as a diagnostic (`T001`): at the case, with the rule's line (or the
    /// line where it failed) beside it. `None` for a case that passed.
    pub(crate) fn to_diagnostic(&self, t: &RuleTest, rules: &RuleSet) -> Option<Diagnostic> {
        let expected = match &t.expect {
            Expect::Hasil {
                nilai,
                desimal: Some(d),
            } => {
                format!("{} (to {d} decimals)", nilai.value)
            }
            Expect::Hasil {
                nilai,
                desimal: None,
            } => nilai.value.to_string(),
            Expect::Galat(text) => format!("an error containing {:?}", text.value),
            Expect::Label(label) => format!("band `{}`", label.value),
            Expect::TanpaKategori => "no band".into(),
        };
        let (got, place) = match &self.verdict {
            Verdict::Pass => return None,
            Verdict::WrongNumber { got } | Verdict::NoError { got } => (got.to_string(), None),
            Verdict::WrongKategori { got } | Verdict::KategoriNoError { got } => {
                (label_text(got), None)
            }
            Verdict::Error { message, span } => (
                format!("the error {message:?}"),
                span.map(|s| (s, "failed here")),
            ),
            Verdict::Disagree { fast, rhai } => {
                let rhai = match rhai {
                    Ok(v) => v.to_string(),
                    Err(e) => format!("the error {e:?}"),
                };
                (
                    format!(
                        "{fast} on kinerja's fast path but {rhai} through Rhai alone: a fault in kinerja, please report it"
                    ),
                    None,
                )
            }
            Verdict::NoRule { message } | Verdict::NoTable { message } => (message.clone(), None),
        };
        let name = case_name(t);
        let mut d = Diagnostic::error(
            Code::RuleTest,
            format!("{name}: expected {expected}, got {got}"),
        )
        .at(t.span, "this case");
        let definition = rules
            .get(&t.rumus.value)
            .and_then(|defs| defs.values().next())
            .map(|r| r.span);
        match (place, definition) {
            (Some((span, label)), _) => d = d.also(span, label),
            (None, Some(span)) => d = d.also(span, "the rule"),
            (None, None) => {}
        }
        Some(d.hint(match self.verdict {
            Verdict::Disagree { .. } => {
                "the case and the rule are fine as far as kinerja can tell".to_string()
            }
            Verdict::NoRule { .. } => {
                "name a rule `kinerja rules` lists, with the arguments of its use".to_string()
            }
            Verdict::NoTable { .. } => {
                "name a table a `rules/*.kategori.yaml` defines under `tabel:`, or write the bands in the case (`tabel: [{label: baik, min: 76, maks: 90}]`)".to_string()
            }
            _ => "fix the rule, or the case if it expects the wrong thing".to_string(),
        }))
    }
}

/// How a case is named in reports: its `nama`, or its rule's name.
pub(crate) fn case_name(t: &RuleTest) -> String {
    match &t.nama {
        Some(nama) => format!("{} — {}", t.rumus.value, nama.value),
        None => t.rumus.value.clone(),
    }
}

/// A run of the cases, with the rules no case names.
pub(crate) struct TestRun {
    pub(crate) outcomes: Vec<Outcome>,
    /// Rules without a case, with their `fn` lines (those matching the filter, if any).
    pub(crate) untested: Vec<(String, Span)>,
    /// Failed cases, and cases that could not be read, as diagnostics.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// With `--coverage`: what the cases ran of every function of the rule files.
    pub(crate) coverage: Option<Vec<RuleCoverage>>,
}

impl TestRun {
    pub(crate) fn failed(&self) -> usize {
        self.outcomes.iter().filter(|o| !o.passed()).count()
    }

    /// Errors in the rule and test files themselves (not failed cases).
    pub(crate) fn problems(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.is_error() && d.code != Code::RuleTest)
            .count()
    }

    /// Whether everything passed: every case, and no rule or test file has an error.
    pub(crate) fn passed(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Runs the cases of `tests` through `rules` (see [`run`]) and lists the rules no case names.
/// `problems` are the workspace's diagnostics: those about rule files and test files (a
/// rule that does not compile, a case that cannot be read) come first in the run's.
pub(crate) fn test_run(
    tests: &[RuleTest],
    tables: &[TabelKategori],
    rules: &RuleSet,
    problems: &[Diagnostic],
    sources: &Sources,
    filter: Option<&str>,
    cancel: &Cancel,
) -> TestRun {
    let outcomes = run(tests, tables, rules, filter, cancel);
    let about_rules = |d: &&Diagnostic| {
        let file = match (&d.primary, &d.place) {
            (Some(label), _) => sources.path(label.span.file),
            (None, Some(place)) => place.file.as_str(),
            (None, None) => return false,
        };
        let name = file.rsplit('/').next().unwrap_or(file);
        file.ends_with(".rhai") || is_rule_test(name) || is_band_table(name)
    };
    let diagnostics = problems
        .iter()
        .filter(about_rules)
        .cloned()
        .chain(
            outcomes
                .iter()
                .filter_map(|o| o.to_diagnostic(&tests[o.case], rules)),
        )
        .collect();
    let untested = rules
        .all()
        .filter(|r| filter.is_none_or(|f| r.name.contains(f)))
        .filter(|r| !tests.iter().any(|t| t.rumus.value == r.name))
        .map(|r| (r.name.clone(), r.span))
        .collect();
    TestRun {
        outcomes,
        untested,
        diagnostics,
        coverage: None,
    }
}

/// [`test_run`] through a rule set compiled again from the same files, recording what the
/// cases run (every call through Rhai: the fast path records nothing).
pub(crate) fn covered_run(
    tests: &[RuleTest],
    tables: &[TabelKategori],
    rules: &RuleSet,
    problems: &[Diagnostic],
    sources: &Sources,
    filter: Option<&str>,
    cancel: &Cancel,
) -> TestRun {
    // The files compiled once already: their problems are in `problems`.
    let mut again = Diagnostics::default();
    let covered = RuleSet::compile_covered(sources, rules.files(), Limits::default(), &mut again);
    let mut run = test_run(tests, tables, &covered, problems, sources, filter, cancel);
    // With a filter, the functions it names (as the cases it picks).
    run.coverage = covered.coverage().map(|functions| {
        functions
            .into_iter()
            .filter(|f| filter.is_none_or(|x| f.name.contains(x)))
            .collect()
    });
    run
}

/// Runs every case of `tests` (those whose rule's name or own name contains `filter`, when
/// given).
pub(crate) fn run(
    tests: &[RuleTest],
    tables: &[TabelKategori],
    rules: &RuleSet,
    filter: Option<&str>,
    cancel: &Cancel,
) -> Vec<Outcome> {
    tests
        .iter()
        .enumerate()
        .filter(|(_, t)| filter.is_none_or(|f| matches(t, f)))
        .map(|(case, t)| Outcome {
            case,
            verdict: run_case(t, tables, rules, cancel),
        })
        .collect()
}

/// Whether a case is picked by `--filter`: by its rule's name or its own.
fn matches(t: &RuleTest, filter: &str) -> bool {
    t.rumus.value.contains(filter) || t.nama.as_ref().is_some_and(|n| n.value.contains(filter))
}

fn run_case(t: &RuleTest, tables: &[TabelKategori], rules: &RuleSet, cancel: &Cancel) -> Verdict {
    let name = t.rumus.value.as_str();
    // A rollup is called as evaluation calls it: weighted or not by the rule's parameters.
    if let TestArgs::Rollup { bobot, .. } = &t.args
        && let Some(form) = rollup_form(rules, name, bobot.is_some())
        && form.weighted != bobot.is_some()
    {
        let message = if form.weighted {
            format!(
                "rule `{name}` weighs its figures (its second parameter is `bobot`), and the case gives no `bobot`"
            )
        } else {
            format!(
                "rule `{name}` takes no weights (its second parameter is not `bobot`), and the case gives `bobot`"
            )
        };
        return Verdict::NoRule { message };
    }
    // A capaian rule is called as evaluation calls it: against a range or one target by
    // the rule's parameters (`min`, `maks`).
    let arity = match &t.args {
        TestArgs::Capaian { .. } => capaian_arity(rules, name, false),
        TestArgs::Rentang { .. } => capaian_arity(rules, name, true),
        _ => rules.arity(name, t.args.arities()),
    };
    let Some(arity) = arity else {
        let message = match rules.get(name) {
            Some(defs) => format!(
                "rule `{name}` takes {} parameter(s); these arguments need one taking {}",
                defs.keys()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(" or "),
                t.args
                    .arities()
                    .iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            None => format!("no rule named `{name}` (`kinerja rules` lists them)"),
        };
        return Verdict::NoRule { message };
    };
    // The map a rule taking one more parameter is given: the case's `indikator` (or, for a
    // rollup, `konteks`), else an empty one.
    let given = match &t.args {
        TestArgs::Masukan { indikator, .. }
        | TestArgs::Capaian { indikator, .. }
        | TestArgs::Rentang { indikator, .. } => indikator,
        TestArgs::Rollup { konteks, .. } | TestArgs::Kategori { konteks, .. } => konteks,
        TestArgs::Anggaran { .. } | TestArgs::Proporsi { .. } => &None,
    };
    let empty = Input::Map(Vec::new(), t.span);
    let context = || input_to_dynamic(given.as_ref().unwrap_or(&empty));
    if let TestArgs::Kategori { nilai, tabel, .. } = &t.args {
        let table = match tabel {
            TabelArg::Isi(table) => table,
            TabelArg::Nama(n) => match tables.iter().find(|x| x.nama.value == n.value) {
                Some(table) => table,
                None => {
                    return Verdict::NoTable {
                        message: format!(
                            "no band table named `{}` (`rules/*.kategori.yaml` define them)",
                            n.value
                        ),
                    };
                }
            },
        };
        let result = look_up(rules, name, arity, table, nilai.value, &context, cancel)
            .map(|band| band.map(|b| table.tingkat[b].label.value.clone()));
        return kategori_verdict(&t.expect, result);
    }
    let nilai: Vec<Decimal>;
    let weights: Vec<Decimal>;
    let mut args = match &t.args {
        TestArgs::Masukan { masukan, .. } => vec![Arg::Input(masukan)],
        TestArgs::Capaian {
            realisasi, target, ..
        } => vec![Arg::Num(realisasi.value), Arg::Num(target.value)],
        TestArgs::Rentang {
            realisasi,
            min,
            maks,
            ..
        } => vec![
            Arg::Num(realisasi.value),
            Arg::Num(min.value),
            Arg::Num(maks.value),
        ],
        TestArgs::Rollup {
            nilai: list, bobot, ..
        } => {
            nilai = list.iter().map(|n| n.value).collect();
            weights = bobot.iter().flatten().map(|n| n.value).collect::<Vec<_>>();
            let mut a = vec![Arg::Nums(&nilai)];
            if bobot.is_some() {
                a.push(Arg::Nums(&weights));
            }
            a
        }
        TestArgs::Anggaran { pagu, realisasi } => {
            vec![Arg::Num(pagu.value), Arg::Num(realisasi.value)]
        }
        TestArgs::Proporsi { bagian, total } => {
            vec![Arg::Num(bagian.value), Arg::Num(total.value)]
        }
        // Run above.
        TestArgs::Kategori { .. } => Vec::new(),
    };
    if args.len() < arity {
        args.push(Arg::Context(&context));
    }
    let result = rules.call_number(name, &args, cancel);
    // The fast path stands in for Rhai: where it took the case, Rhai must agree.
    if let Some(fast) = rules.call_fast(name, &args) {
        let rhai = rules.call_rhai_number(name, &args, cancel);
        if rhai.as_ref().ok() != Some(&fast) {
            return Verdict::Disagree {
                fast,
                rhai: rhai.map_err(|e| e.message),
            };
        }
    }
    verdict(&t.expect, result)
}

fn verdict(expect: &Expect, result: Result<Decimal, RuleError>) -> Verdict {
    match (expect, result) {
        (Expect::Hasil { nilai, desimal }, Ok(got)) => {
            let same = match desimal {
                Some(d) => {
                    Rounding::half_up(*d).apply(got) == Rounding::half_up(*d).apply(nilai.value)
                }
                None => got == nilai.value,
            };
            if same {
                Verdict::Pass
            } else {
                Verdict::WrongNumber { got }
            }
        }
        (Expect::Galat(text), Err(e)) if e.message.contains(&text.value) => Verdict::Pass,
        (_, Err(e)) => Verdict::Error {
            message: e.message,
            span: e.span,
        },
        (Expect::Galat(_), Ok(got)) => Verdict::NoError { got },
        // A case expecting a band has band arguments, and runs as a band lookup.
        (Expect::Label(_) | Expect::TanpaKategori, Ok(got)) => Verdict::WrongNumber { got },
    }
}

fn kategori_verdict(expect: &Expect, result: Result<Option<String>, RuleError>) -> Verdict {
    match (expect, result) {
        (Expect::Label(l), Ok(Some(got))) if got == l.value => Verdict::Pass,
        (Expect::TanpaKategori, Ok(None)) => Verdict::Pass,
        (Expect::Galat(text), Err(e)) if e.message.contains(&text.value) => Verdict::Pass,
        (_, Err(e)) => Verdict::Error {
            message: e.message,
            span: e.span,
        },
        (Expect::Galat(_), Ok(got)) => Verdict::KategoriNoError { got },
        (_, Ok(got)) => Verdict::WrongKategori { got },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostic::Diagnostics;
    use crate::base::source::Sources;
    use crate::load::rule_tests::read;
    use crate::load::yaml;

    /// Runs the cases of `tests` against the rules of `rules`, giving each case's verdict.
    fn verdicts(rules: &str, tests: &str) -> Vec<Verdict> {
        let mut sources = Sources::default();
        let rule_file = sources.add("rules/r.rhai".into(), rules.into());
        let test_file = sources.add("rules/r.test.yaml".into(), tests.into());
        let mut diags = Diagnostics::default();
        let set = RuleSet::compile(
            &sources,
            &[rule_file],
            crate::rules::Limits::default(),
            &mut diags,
        );
        let tree = yaml::parse(test_file, &sources.get(test_file).text).expect("yaml");
        let cases = read(&tree, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        run(&cases, &[], &set, None, &Cancel::never())
            .into_iter()
            .map(|o| o.verdict)
            .collect()
    }

    const RULES: &str = "fn rasio(m) {\n  if m.t == 0 { throw \"t is 0\"; }\n  m.n / m.t * 100\n}\nfn capaian(r, t) { r / t * 100 }\nfn rata(nilai, k) { let s = 0.0; for v in nilai { s += v; } s / nilai.len() }\nfn sisa(p, r) { p - r }\nfn tahun(m, ind) { ind.tahun }\n";

    #[test]
    fn passing_failing_and_erroring_cases() {
        let v = verdicts(
            RULES,
            "kasus:\n  - {rumus: rasio, masukan: {n: 330, t: 370}, hasil: 89.19, desimal: 2}\n  - {rumus: rasio, masukan: {n: 1, t: 0}, galat: t is 0}\n  - {rumus: capaian, realisasi: 90, target: 100, hasil: 90}\n  - {rumus: rata, nilai: [1, 2], konteks: {id: SP1}, hasil: 1.5}\n  - {rumus: sisa, pagu: 10, realisasi: 4, hasil: 6}\n  - {rumus: tahun, masukan: {}, indikator: {tahun: 2022}, hasil: 2022}\n  - {rumus: rasio, masukan: {n: 330, t: 370}, hasil: 89.19}\n  - {rumus: rasio, masukan: {n: 1, t: 0}, hasil: 1}\n  - {rumus: rasio, masukan: {n: 1, t: 2}, galat: t is 0}\n  - {rumus: rasio, masukan: {n: 1, t: 0}, galat: something else}\n  - {rumus: rasoi, masukan: {n: 1, t: 2}, hasil: 50}\n  - {rumus: rasio, pagu: 1, realisasi: 1, hasil: 1}\n",
        );
        assert!(v[..6].iter().all(|v| matches!(v, Verdict::Pass)), "{v:?}");
        assert!(matches!(v[6], Verdict::WrongNumber { .. }), "{:?}", v[6]);
        assert!(matches!(v[7], Verdict::Error { .. }), "{:?}", v[7]);
        assert!(matches!(v[8], Verdict::NoError { .. }), "{:?}", v[8]);
        assert!(matches!(v[9], Verdict::Error { .. }), "{:?}", v[9]);
        assert!(
            matches!(&v[10], Verdict::NoRule { message } if message.contains("no rule named")),
            "{:?}",
            v[10]
        );
        assert!(
            matches!(&v[11], Verdict::NoRule { message } if message.contains("takes 1")),
            "{:?}",
            v[11]
        );
    }

    #[test]
    fn a_number_is_exact_unless_decimals_are_given() {
        let v = verdicts(
            RULES,
            "kasus:\n  - {rumus: capaian, realisasi: 1, target: 8, hasil: 12.5}\n  - {rumus: capaian, realisasi: 1, target: 3, hasil: 33.33}\n  - {rumus: capaian, realisasi: 1, target: 3, hasil: 33.33, desimal: 2}\n  - {rumus: capaian, realisasi: 90, target: 100, hasil: 90.000}\n",
        );
        assert!(matches!(v[0], Verdict::Pass), "{:?}", v[0]);
        assert!(matches!(v[1], Verdict::WrongNumber { .. }), "{:?}", v[1]);
        assert!(matches!(v[2], Verdict::Pass), "{:?}", v[2]);
        assert!(matches!(v[3], Verdict::Pass), "{:?}", v[3]);
    }

    /// A weighted rollup's case gives `bobot`; a case and a rule that disagree on weights
    /// say so rather than hand the weights over as the context.
    #[test]
    fn weighted_rollup_cases() {
        let v = verdicts(
            "fn w(nilai, bobot) { let s = 0.0; for i in 0..nilai.len() { s += nilai[i] * bobot[i]; } s / 100 }\nfn u(nilai, konteks) { nilai.len() }\n",
            "kasus:\n  - {rumus: w, nilai: [90, 100], bobot: [60, 40], hasil: 94}\n  - {rumus: w, nilai: [90, 100], hasil: 94}\n  - {rumus: u, nilai: [90, 100], bobot: [60, 40], hasil: 2}\n  - {rumus: u, nilai: [90, 100], hasil: 2}\n",
        );
        assert!(matches!(v[0], Verdict::Pass), "{:?}", v[0]);
        assert!(
            matches!(&v[1], Verdict::NoRule { message } if message.contains("the case gives no `bobot`")),
            "{:?}",
            v[1]
        );
        assert!(
            matches!(&v[2], Verdict::NoRule { message } if message.contains("takes no weights")),
            "{:?}",
            v[2]
        );
        assert!(matches!(v[3], Verdict::Pass), "{:?}", v[3]);
    }
}
