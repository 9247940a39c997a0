//! The compiled rules of a workspace: every rule file compiled and merged into one
//! namespace, each rule listed with its file, line, signature and doc comment, and calls
//! that read a number back, through the fast path where it applies and Rhai otherwise.

use super::ast::functions_where;
use super::fast::FastRules;
use super::sandbox::{self, CANCEL_TOKEN, DEADLINE_TOKEN, Limits};
use super::value::{Arg, RuleError, describe, to_number};
use crate::base::cancel::Cancel;
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::base::source::{FileId, Sources, Span, offset_of};
use rhai::{AST, Dynamic, Engine, EvalAltResult, FnAccess, Position, Scope};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// One rule, as `kinerja rules` lists it.
#[derive(Clone, Debug)]
pub(crate) struct RuleInfo {
    pub(crate) name: String,
    pub(crate) params: Vec<String>,
    pub(crate) doc: String,
    pub(crate) file: FileId,
    /// The `fn` line of the definition.
    pub(crate) span: Span,
}

impl RuleInfo {
    pub(crate) fn signature(&self) -> String {
        format!("{}({})", self.name, self.params.join(", "))
    }
}

/// The compiled rules of a workspace.
pub(crate) struct RuleSet {
    engine: Engine,
    ast: AST,
    /// By name, then by number of parameters (Rhai overloads on arity).
    rules: BTreeMap<String, BTreeMap<usize, RuleInfo>>,
    /// Rule file texts, to place runtime errors at their line.
    texts: BTreeMap<FileId, String>,
    limits: Limits,
    /// The rules that fit the fast path, tried before Rhai on every call.
    pub(super) fast: FastRules,
}

impl RuleSet {
    pub(crate) fn compile(
        sources: &Sources,
        files: &[FileId],
        limits: Limits,
        diags: &mut Diagnostics,
    ) -> RuleSet {
        let started = Instant::now();
        let engine = sandbox::engine(limits);
        let mut merged = AST::empty();
        let mut rules: BTreeMap<String, BTreeMap<usize, RuleInfo>> = BTreeMap::new();
        let mut texts = BTreeMap::new();
        for &file in files {
            let text = &sources.get(file).text;
            texts.insert(file, text.clone());
            let mut ast = match engine.compile(text) {
                Ok(ast) => ast,
                Err(err) => {
                    let pos = err.position();
                    let span = position_span(file, &sources.get(file).text, pos);
                    diags.push(
                        Diagnostic::error(Code::RuleSyntax, format!("rule file does not compile: {}", err.err_type()))
                            .at(span, "here")
                            .hint("fix the Rhai syntax; `kinerja rules` lists the rules once the file compiles"),
                    );
                    continue;
                }
            };
            ast.set_source(sources.path(file));
            let mut clashed: Vec<(String, usize)> = Vec::new();
            for f in ast.iter_functions() {
                if f.access == FnAccess::Private {
                    continue;
                }
                let span = fn_span(sources, file, f.name);
                let info = RuleInfo {
                    name: f.name.to_string(),
                    params: f.params.iter().map(|p| p.to_string()).collect(),
                    doc: doc_text(&f.comments),
                    file,
                    span,
                };
                let by_arity = rules.entry(info.name.clone()).or_default();
                if let Some(existing) = by_arity.get(&info.params.len()) {
                    if existing.file != file {
                        clashed.push((info.name.clone(), info.params.len()));
                        diags.push(
                            Diagnostic::error(
                                Code::RuleClash,
                                format!(
                                    "rule `{}` is defined in both {} and {}",
                                    info.name,
                                    sources.path(existing.file),
                                    sources.path(file)
                                ),
                            )
                            .at(span, "second definition")
                            .also(existing.span, "first definition")
                            .hint("rename one of them (rules share one namespace), or mark a helper `private fn`"),
                        );
                    }
                    continue;
                }
                by_arity.insert(info.params.len(), info);
            }
            // Top-level statements are not run: a rule file defines functions. A clashing
            // function keeps its first definition; the file's other rules still count.
            let functions = functions_where(&ast, |f| {
                !clashed
                    .iter()
                    .any(|(n, p)| f.name == n.as_str() && *p == f.params.len())
            });
            merged = merged.merge(&functions);
        }
        let fast = FastRules::translate(&merged, limits.max_call_levels);
        let (translated, functions) = fast.coverage();
        tracing::debug!(files = files.len(), rules = rules.len(), fast_path = translated, functions, elapsed = ?started.elapsed(), "rules compiled");
        RuleSet {
            fast,
            engine,
            ast: merged,
            rules,
            texts,
            limits,
        }
    }

    /// The rules of the workspace at `root`, compiled as a run compiles them, when they
    /// compile without a problem: for tests, and the benchmarks.
    #[cfg(any(test, feature = "bench"))]
    pub(crate) fn of_workspace(root: &std::path::Path) -> Result<RuleSet, String> {
        let loaded = crate::load::load_fresh(root).map_err(|e| e.to_string())?;
        let mut diags = Diagnostics::default();
        let set = RuleSet::compile(
            &loaded.workspace.sources,
            &loaded.rule_files,
            Limits::default(),
            &mut diags,
        );
        match diags.iter().next() {
            None => Ok(set),
            Some(d) => Err(d.message.clone()),
        }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&BTreeMap<usize, RuleInfo>> {
        self.rules.get(name)
    }

    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.rules.keys().map(String::as_str)
    }

    pub(crate) fn all(&self) -> impl Iterator<Item = &RuleInfo> {
        self.rules.values().flat_map(|m| m.values())
    }

    /// The arities `name` is defined with, among those a caller can supply.
    pub(crate) fn arity(&self, name: &str, accepted: &[usize]) -> Option<usize> {
        let defs = self.rules.get(name)?;
        accepted.iter().copied().find(|n| defs.contains_key(n))
    }

    /// Calls `name` and reads a number from it: through the fast path where the rule fits
    /// it and the inputs stay on its happy path, otherwise through Rhai, under the
    /// sandbox's deadline and `cancel`.
    pub(crate) fn call_number(
        &self,
        name: &str,
        args: &[Arg<'_>],
        cancel: &Cancel,
    ) -> Result<Decimal, RuleError> {
        if let Some(value) = self.fast.call(name, args) {
            return Ok(value);
        }
        self.call_rhai_number(name, args, cancel)
    }

    /// [`RuleSet::call_number`] through Rhai alone.
    pub(crate) fn call_rhai_number(
        &self,
        name: &str,
        args: &[Arg<'_>],
        cancel: &Cancel,
    ) -> Result<Decimal, RuleError> {
        let value = self.call_rhai(name, args.iter().map(|a| a.to_dynamic()).collect(), cancel)?;
        to_number(&value).ok_or_else(|| RuleError {
            code: Code::RuleResult,
            message: format!(
                "rule `{name}` returned {} where a number is needed",
                describe(&value)
            ),
            span: self.definition_span(name),
            hint: "return a number (a decimal such as `n / t * 100`), or a map `#{nilai: x}`; use `throw \"…\"` to report that it cannot be computed".into(),
        })
    }

    /// Calls `name` through Rhai, whatever the fast path would do.
    pub(super) fn call_rhai(
        &self,
        name: &str,
        args: Vec<Dynamic>,
        cancel: &Cancel,
    ) -> Result<Dynamic, RuleError> {
        let options = rhai::CallFnOptions::new()
            .eval_ast(false)
            .rewind_scope(true);
        sandbox::guarded(self.deadline(), cancel, || {
            self.engine.call_fn_with_options::<Dynamic>(
                options,
                &mut Scope::new(),
                &self.ast,
                name,
                args,
            )
        })
        .map_err(|err| self.error(name, *err))
    }

    fn deadline(&self) -> Duration {
        self.limits.deadline
    }

    fn definition_span(&self, name: &str) -> Option<Span> {
        self.rules
            .get(name)
            .and_then(|m| m.values().next())
            .map(|r| r.span)
    }

    /// Turns a Rhai error into a message about the rule, at the line where it failed.
    fn error(&self, called: &str, err: EvalAltResult) -> RuleError {
        // Unwrap nested calls to the innermost rule: that is where the fault is.
        let mut fn_name = called.to_string();
        let mut err = err;
        while let EvalAltResult::ErrorInFunctionCall(name, _, inner, _) = err {
            if self.rules.contains_key(&name) {
                fn_name = name;
            }
            err = *inner;
        }
        let info = self.rules.get(&fn_name).and_then(|m| m.values().next());
        let span = info.map(|info| {
            let pos = err.position();
            if pos.is_none() {
                info.span
            } else {
                position_span(info.file, self.file_text(info.file), pos)
            }
        });
        let (code, message, hint) = match &err {
            EvalAltResult::ErrorTerminated(token, _) if token.to_string() == DEADLINE_TOKEN => (
                Code::RuleLimit,
                format!(
                    "rule `{fn_name}` ran past its time limit of {} ms",
                    self.deadline().as_millis()
                ),
                "look for a loop that never ends or grows too much".to_string(),
            ),
            EvalAltResult::ErrorTerminated(token, _) if token.to_string() == CANCEL_TOKEN => (
                Code::RuleLimit,
                format!("rule `{fn_name}` was cancelled by a newer change"),
                "nothing to do: the newer change is being evaluated".to_string(),
            ),
            EvalAltResult::ErrorTooManyOperations(_) => (
                Code::RuleLimit,
                format!(
                    "rule `{fn_name}` ran past its limit of {} operations",
                    self.engine.max_operations()
                ),
                "look for a loop that never ends or grows too much".to_string(),
            ),
            EvalAltResult::ErrorStackOverflow(_) => (
                Code::RuleLimit,
                format!(
                    "rule `{fn_name}` recursed deeper than {} calls",
                    self.engine.max_call_levels()
                ),
                "look for a rule that calls itself without an end condition".to_string(),
            ),
            EvalAltResult::ErrorDataTooLarge(what, _) => (
                Code::RuleLimit,
                format!("rule `{fn_name}` built a value too large ({what})"),
                "rules compute figures; they should not build large strings, arrays or maps"
                    .to_string(),
            ),
            EvalAltResult::ErrorRuntime(value, _) => (
                Code::RuleRuntime,
                format!("rule `{fn_name}` failed: {value}"),
                "the rule refused these inputs; fix the inputs or the rule".to_string(),
            ),
            EvalAltResult::ErrorArithmetic(msg, _) => (
                Code::RuleRuntime,
                format!("rule `{fn_name}` failed: {msg}"),
                "a division by zero usually means a denominator or target of 0 in the inputs"
                    .to_string(),
            ),
            EvalAltResult::ErrorFunctionNotFound(sig, _) => (
                Code::RuleRuntime,
                format!("rule `{fn_name}` cannot be called as {sig}"),
                "check the rule's name and number of parameters (`kinerja rules` lists them)"
                    .to_string(),
            ),
            other => (
                Code::RuleRuntime,
                format!(
                    "rule `{fn_name}` failed: {}",
                    other
                        .to_string()
                        .trim_end_matches(&format!(" ({})", other.position()))
                        .trim()
                ),
                "check the rule and the inputs it was given".to_string(),
            ),
        };
        RuleError {
            code,
            message,
            span,
            hint,
        }
    }

    fn file_text(&self, file: FileId) -> &str {
        self.texts.get(&file).map_or("", String::as_str)
    }
}

fn doc_text(comments: &[&str]) -> String {
    comments
        .iter()
        .flat_map(|c| c.lines())
        .map(|line| {
            let line = line.trim();
            let line = line
                .strip_prefix("///")
                .or_else(|| line.strip_prefix("/**"))
                .unwrap_or(line);
            line.strip_suffix("*/").unwrap_or(line).trim()
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

fn fn_span(sources: &Sources, file: FileId, name: &str) -> Span {
    let text = &sources.get(file).text;
    let needle = format!("fn {name}");
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(i) = line.find(&needle) {
            let after = line[i + needle.len()..].trim_start();
            if after.starts_with('(') {
                return Span::new(file, offset + i, offset + i + needle.len());
            }
        }
        offset += line.len();
    }
    Span::new(file, 0, 0)
}

/// The span of a Rhai position: from it to the end of its line's statement, so that the
/// snippet underlines what failed.
fn position_span(file: FileId, text: &str, pos: Position) -> Span {
    let Some(line) = pos.line() else {
        return Span::new(file, 0, 0);
    };
    let at = offset_of(text, line, pos.position().unwrap_or(1));
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let rest = text[at..line_end].trim_end();
    let end = at
        + rest
            .len()
            .max(rest.chars().next().map_or(0, char::len_utf8));
    Span::new(file, at, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(text: &str) -> (RuleSet, Diagnostics) {
        let mut sources = Sources::default();
        let file = sources.add("rules/t.rhai".into(), text.into());
        let mut diags = Diagnostics::default();
        let set = RuleSet::compile(&sources, &[file], Limits::default(), &mut diags);
        (set, diags)
    }

    fn limit_error(text: &str, name: &str) -> RuleError {
        let (set, diags) = compile(text);
        assert!(diags.is_empty(), "{diags:?}");
        let started = Instant::now();
        let err = set
            .call_rhai(name, vec![], &Cancel::never())
            .expect_err("must stop");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "took {:?}",
            started.elapsed()
        );
        err
    }

    #[test]
    fn endless_loop_stops_within_a_second() {
        let err = limit_error("fn f() {\n  loop { }\n}\n", "f");
        assert_eq!(err.code, Code::RuleLimit, "{}", err.message);
        assert!(err.span.is_some());
    }

    #[test]
    fn runaway_recursion_stops() {
        let err = limit_error("fn f() { f() }", "f");
        assert_eq!(err.code, Code::RuleLimit, "{}", err.message);
        assert!(err.message.contains("recursed"), "{}", err.message);
    }

    #[test]
    fn giant_string_stops() {
        let err = limit_error("fn f() { let s = \"x\"; loop { s += s; } }", "f");
        assert_eq!(err.code, Code::RuleLimit, "{}", err.message);
    }

    #[test]
    fn giant_array_stops() {
        let err = limit_error("fn f() { let a = []; loop { a.push(1); } }", "f");
        assert_eq!(err.code, Code::RuleLimit, "{}", err.message);
    }

    #[test]
    fn rules_cannot_import_or_eval() {
        let (set, _) = compile("fn f() { import \"x\" as y; 1 }\nfn g() { eval(\"1\") }");
        assert!(set.call_rhai("f", vec![], &Cancel::never()).is_err());
        let (_, diags) = compile("fn g() { eval(\"1\") }");
        assert!(diags.has_errors(), "eval is not a function rules may use");
    }

    #[test]
    fn non_numbers_are_refused() {
        let (set, _) =
            compile("fn s() { \"x\" }\nfn u() { }\nfn m() { #{nilai: 5} }\nfn i() { 7 }");
        assert_eq!(
            set.call_number("s", &[], &Cancel::never())
                .expect_err("text")
                .code,
            Code::RuleResult
        );
        assert_eq!(
            set.call_number("u", &[], &Cancel::never())
                .expect_err("unit")
                .code,
            Code::RuleResult
        );
        assert_eq!(
            set.call_number("m", &[], &Cancel::never()).ok(),
            Some(Decimal::from(5))
        );
        assert_eq!(
            set.call_number("i", &[], &Cancel::never()).ok(),
            Some(Decimal::from(7))
        );
    }

    #[test]
    fn division_by_zero_points_at_the_line() {
        let (set, _) = compile("fn f(a) {\n  let x = 1;\n  a / 0\n}");
        let err = set
            .call_number("f", &[Arg::Num(Decimal::ONE)], &Cancel::never())
            .expect_err("div by zero");
        assert_eq!(err.code, Code::RuleRuntime);
        let span = err.span.expect("span");
        // Line 3 starts at byte 22.
        assert!(span.start >= 22, "{span:?}");
    }

    #[test]
    fn syntax_errors_and_clashes_are_diagnostics() {
        let (_, diags) = compile("fn f( { }");
        assert_eq!(diags.iter().next().map(|d| d.code), Some(Code::RuleSyntax));
        let mut sources = Sources::default();
        let a = sources.add("rules/a.rhai".into(), "/// A\nfn rasio(m) { 1 }".into());
        let b = sources.add("rules/b.rhai".into(), "fn rasio(m) { 2 }".into());
        let mut diags = Diagnostics::default();
        RuleSet::compile(&sources, &[a, b], Limits::default(), &mut diags);
        let clash = diags.iter().next().expect("clash");
        assert_eq!(clash.code, Code::RuleClash);
        assert!(clash.message.contains("rules/a.rhai") && clash.message.contains("rules/b.rhai"));
    }

    #[test]
    fn a_clash_keeps_the_first_definition_and_the_files_other_rules() {
        let mut sources = Sources::default();
        let a = sources.add("rules/a.rhai".into(), "fn rasio(m) { 1 }".into());
        let b = sources.add(
            "rules/b.rhai".into(),
            "fn rasio(m) { 2 }\nfn lain() { 3 }".into(),
        );
        let mut diags = Diagnostics::default();
        let set = RuleSet::compile(&sources, &[a, b], Limits::default(), &mut diags);
        assert_eq!(diags.iter().next().map(|d| d.code), Some(Code::RuleClash));
        assert_eq!(
            set.call_number("rasio", &[Arg::Num(Decimal::ONE)], &Cancel::never())
                .ok(),
            Some(Decimal::ONE)
        );
        assert_eq!(
            set.call_number("lain", &[], &Cancel::never()).ok(),
            Some(Decimal::from(3))
        );
    }

    #[test]
    fn rules_call_rules_of_other_files_and_keep_docs() {
        let mut sources = Sources::default();
        let a = sources.add(
            "rules/a.rhai".into(),
            "/// Doubles.\nfn dua(x) { x * 2 }".into(),
        );
        let b = sources.add(
            "rules/b.rhai".into(),
            "fn empat(x) { dua(dua(x)) }\nprivate fn helper() { 1 }".into(),
        );
        let mut diags = Diagnostics::default();
        let set = RuleSet::compile(&sources, &[a, b], Limits::default(), &mut diags);
        assert!(diags.is_empty());
        assert_eq!(
            set.call_number("empat", &[Arg::Num(Decimal::TWO)], &Cancel::never())
                .ok(),
            Some(Decimal::from(8))
        );
        assert_eq!(
            set.get("dua")
                .and_then(|m| m.get(&1))
                .map(|r| r.doc.as_str()),
            Some("Doubles.")
        );
        assert!(
            set.get("helper").is_none(),
            "private functions are not rules"
        );
    }
}
