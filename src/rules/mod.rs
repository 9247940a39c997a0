//! Rules: the Rhai functions under `rules/` that compute every figure.
//!
//! Every `.rhai` file is a plugin contributing its public functions, by name, to one shared
//! namespace; indicators, sasaran and the manifest name them. Files are compiled once per
//! load, then merged so that a rule may call rules of other files. A name defined (with the
//! same number of parameters) in two files is an error naming both.
//!
//! Rules run in a sandbox: no file, network or environment access, no `import` or `eval`,
//! bounded operations, call depth, expression depth, string/array/map sizes, and a
//! wall-clock deadline. Numbers reach rules as exact decimals (`Decimal`), and a
//! rule must return a number (or a map with `nilai`).

mod fast;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::Input;
use crate::source::{FileId, Sources, Span};
use rhai::{AST, Dynamic, Engine, EvalAltResult, FnAccess, Position, Scope};
use rust_decimal::Decimal;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Limits applied to every rule call.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub deadline: Duration,
    pub max_operations: u64,
    pub max_call_levels: usize,
    pub max_expr_depth: usize,
    pub max_string_size: usize,
    pub max_collection_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            deadline: Duration::from_millis(500),
            max_operations: 20_000_000,
            // Kept low enough that the deepest recursion fits the stack of a debug build.
            max_call_levels: 48,
            max_expr_depth: 64,
            max_string_size: 100_000,
            max_collection_size: 100_000,
        }
    }
}

/// One rule, as `kinerja rules` lists it.
#[derive(Clone, Debug)]
pub struct RuleInfo {
    pub name: String,
    pub params: Vec<String>,
    pub doc: String,
    pub file: FileId,
    /// The `fn` line of the definition.
    pub span: Span,
}

impl RuleInfo {
    pub fn signature(&self) -> String {
        format!("{}({})", self.name, self.params.join(", "))
    }
}

/// The compiled rules of a workspace.
pub struct RuleSet {
    engine: Engine,
    ast: AST,
    /// By name, then by number of parameters (Rhai overloads on arity).
    rules: BTreeMap<String, BTreeMap<usize, RuleInfo>>,
    /// Rule file texts, to place runtime errors at their line.
    texts: BTreeMap<FileId, String>,
    limits: Limits,
    /// The rules that fit the fast path, tried before Rhai on every call.
    fast: fast::FastRules,
}

/// An argument to a rule, as the workspace holds it: converted to a Rhai value only if the
/// call goes through Rhai.
#[derive(Clone, Copy)]
pub enum Arg<'a> {
    Num(Decimal),
    /// A list of numbers (the figures a rollup combines).
    Nums(&'a [Decimal]),
    /// An indikator's `masukan`.
    Input(&'a Input),
    /// A context map (the indikator or rollup the rule works for), built when needed.
    Context(&'a dyn Fn() -> Dynamic),
}

impl Arg<'_> {
    pub fn to_dynamic(&self) -> Dynamic {
        match *self {
            Arg::Num(d) => decimal(d),
            Arg::Nums(list) => Dynamic::from_array(list.iter().map(|v| decimal(*v)).collect()),
            Arg::Input(input) => input_to_dynamic(input),
            Arg::Context(build) => build(),
        }
    }
}

thread_local! {
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// The generation this thread's run belongs to, when it may be cancelled.
    static RUN_GENERATION: Cell<Option<u64>> = const { Cell::new(None) };
}

/// Bumped to cancel every cancellable run in progress (watch mode: a newer save).
static GENERATION: AtomicU64 = AtomicU64::new(0);

const DEADLINE_TOKEN: &str = "kinerja:deadline";
const CANCEL_TOKEN: &str = "kinerja:cancelled";

/// Marks the runs on this thread as cancellable by [`cancel_runs`] from now on.
pub fn begin_cancellable_run() -> u64 {
    let g = GENERATION.load(Ordering::SeqCst);
    RUN_GENERATION.with(|r| r.set(Some(g)));
    g
}

/// The cancellation generation of this thread's run, to hand to worker threads.
pub fn run_generation() -> Option<u64> {
    RUN_GENERATION.with(Cell::get)
}

/// Makes this thread's rule calls part of the run with `generation`.
pub fn set_run_generation(generation: Option<u64>) {
    RUN_GENERATION.with(|g| g.set(generation));
}

/// Cancels every cancellable run in progress: their rules stop at the next check.
pub fn cancel_runs() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// Whether the run that began as `generation` has been cancelled since.
pub fn is_cancelled(generation: u64) -> bool {
    GENERATION.load(Ordering::SeqCst) != generation
}

/// Why a rule call produced no number.
#[derive(Debug)]
pub struct RuleError {
    pub code: Code,
    pub message: String,
    /// Where in the rule files the failure happened, when Rhai says.
    pub span: Option<Span>,
    pub hint: String,
}

impl RuleSet {
    pub fn compile(
        sources: &Sources,
        files: &[FileId],
        limits: Limits,
        diags: &mut Diagnostics,
    ) -> RuleSet {
        let started = Instant::now();
        let engine = sandboxed_engine(limits);
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
                    let span = position_span(sources, file, pos);
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
        let fast = fast::FastRules::translate(&merged, limits.max_call_levels);
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

    pub fn get(&self, name: &str) -> Option<&BTreeMap<usize, RuleInfo>> {
        self.rules.get(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.rules.keys().map(String::as_str)
    }

    pub fn all(&self) -> impl Iterator<Item = &RuleInfo> {
        self.rules.values().flat_map(|m| m.values())
    }

    /// The arities `name` is defined with, among those a caller can supply.
    pub fn arity(&self, name: &str, accepted: &[usize]) -> Option<usize> {
        let defs = self.rules.get(name)?;
        accepted.iter().copied().find(|n| defs.contains_key(n))
    }

    /// Calls `name` and reads a number from it: through the fast path where the rule fits
    /// it and the inputs stay on its happy path, otherwise through Rhai.
    pub fn call_number_with(&self, name: &str, args: &[Arg<'_>]) -> Result<Decimal, RuleError> {
        if let Some(value) = self.fast.call(name, args) {
            return Ok(value);
        }
        self.call_number(name, args.iter().map(Arg::to_dynamic).collect())
    }

    /// Calls `name` with `args` through Rhai under the sandbox's deadline, and reads a
    /// number from it.
    pub fn call_number(&self, name: &str, args: Vec<Dynamic>) -> Result<Decimal, RuleError> {
        let value = self.call(name, args)?;
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

    pub fn call(&self, name: &str, args: Vec<Dynamic>) -> Result<Dynamic, RuleError> {
        DEADLINE.with(|d| d.set(Some(Instant::now() + self.deadline())));
        let options = rhai::CallFnOptions::new()
            .eval_ast(false)
            .rewind_scope(true);
        let result = self.engine.call_fn_with_options::<Dynamic>(
            options,
            &mut Scope::new(),
            &self.ast,
            name,
            args,
        );
        DEADLINE.with(|d| d.set(None));
        result.map_err(|err| self.error(name, *err))
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
                position_span_in(info.file, self.file_text(info.file), pos)
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

/// The functions of `ast` that `keep` accepts, in an AST of their own.
///
/// (`AST::clone_functions_only_filtered` cannot be used: rhai 1.27 copies every function
/// when the filtered module starts empty, so a clashing definition would replace the first.)
fn functions_where(ast: &AST, keep: impl Fn(&rhai::ScriptFuncDef) -> bool) -> AST {
    let mut module = rhai::Module::new();
    for f in ast.iter_fn_def() {
        if keep(f) {
            module.set_script_fn(f.clone());
        }
    }
    let mut only = AST::new_from_module(module);
    if let Some(source) = ast.source() {
        only.set_source(source);
    }
    only
}

fn sandboxed_engine(limits: Limits) -> Engine {
    let mut engine = Engine::new();
    engine
        .set_max_operations(limits.max_operations)
        .set_max_call_levels(limits.max_call_levels)
        .set_max_expr_depths(limits.max_expr_depth, limits.max_expr_depth / 2)
        .set_max_string_size(limits.max_string_size)
        .set_max_array_size(limits.max_collection_size)
        .set_max_map_size(limits.max_collection_size)
        .set_max_modules(0)
        .set_module_resolver(rhai::module_resolvers::DummyModuleResolver::new())
        .set_strict_variables(true)
        .disable_symbol("eval");
    // print and debug from a rule go to the log, never into the report.
    engine.on_print(|text| tracing::info!(target: "kinerja::rule", "{text}"));
    engine.on_debug(
        |text, source, pos| tracing::debug!(target: "kinerja::rule", ?source, %pos, "{text}"),
    );
    engine.on_progress(|ops| {
        if ops % 4096 == 0 {
            let expired = DEADLINE.with(|d| d.get().is_some_and(|t| Instant::now() > t));
            if expired {
                return Some(Dynamic::from(DEADLINE_TOKEN));
            }
            let cancelled = RUN_GENERATION.with(|g| g.get().is_some_and(is_cancelled));
            if cancelled {
                return Some(Dynamic::from(CANCEL_TOKEN));
            }
        }
        None
    });
    engine
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

/// The `fn name(` line of a definition, found in the text (Rhai keeps no positions for it).
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

fn position_span(sources: &Sources, file: FileId, pos: Position) -> Span {
    position_span_in(file, &sources.get(file).text, pos)
}

fn position_span_in(file: FileId, text: &str, pos: Position) -> Span {
    let Some(line) = pos.line() else {
        return Span::new(file, 0, 0);
    };
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = pos.position().unwrap_or(1);
            let at = l
                .char_indices()
                .nth(col.saturating_sub(1))
                .map_or(l.trim_end().len(), |(b, _)| b);
            // The rest of the statement, so the snippet underlines what failed.
            let rest = l[at..].trim_end();
            let end = at
                + rest
                    .len()
                    .max(rest.chars().next().map_or(0, char::len_utf8));
            return Span::new(file, offset + at, offset + end);
        }
        offset += l.len();
    }
    Span::new(file, text.len(), text.len())
}

/// The number a rule returned: a decimal, an integer, or a map with `nilai`.
pub fn to_number(value: &Dynamic) -> Option<Decimal> {
    if let Some(d) = value.clone().try_cast::<Decimal>() {
        return Some(d);
    }
    if let Ok(i) = value.as_int() {
        return Some(Decimal::from(i));
    }
    if let Some(map) = value.read_lock::<rhai::Map>() {
        return map.get("nilai").and_then(to_number);
    }
    None
}

fn describe(value: &Dynamic) -> String {
    if value.is_unit() {
        "nothing".into()
    } else if value.is_string() {
        format!("the text {value:?}")
    } else {
        format!("a value of type {}", value.type_name())
    }
}

pub fn decimal(value: Decimal) -> Dynamic {
    Dynamic::from_decimal(value)
}

/// Rule inputs as Rhai values: numbers become exact decimals.
pub fn input_to_dynamic(input: &Input) -> Dynamic {
    match input {
        Input::Num(n) => decimal(n.value),
        Input::Text(t) => Dynamic::from(t.value.clone()),
        Input::List(items, _) => Dynamic::from_array(items.iter().map(input_to_dynamic).collect()),
        Input::Map(entries, _) => {
            let map: rhai::Map = entries
                .iter()
                .map(|(k, v)| (k.as_str().into(), input_to_dynamic(v)))
                .collect();
            Dynamic::from_map(map)
        }
    }
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
        let err = set.call(name, vec![]).expect_err("must stop");
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
        assert!(set.call("f", vec![]).is_err());
        let (_, diags) = compile("fn g() { eval(\"1\") }");
        assert!(diags.has_errors(), "eval is not a function rules may use");
    }

    #[test]
    fn non_numbers_are_refused() {
        let (set, _) =
            compile("fn s() { \"x\" }\nfn u() { }\nfn m() { #{nilai: 5} }\nfn i() { 7 }");
        assert_eq!(
            set.call_number("s", vec![]).expect_err("text").code,
            Code::RuleResult
        );
        assert_eq!(
            set.call_number("u", vec![]).expect_err("unit").code,
            Code::RuleResult
        );
        assert_eq!(set.call_number("m", vec![]).ok(), Some(Decimal::from(5)));
        assert_eq!(set.call_number("i", vec![]).ok(), Some(Decimal::from(7)));
    }

    #[test]
    fn division_by_zero_points_at_the_line() {
        let (set, _) = compile("fn f(a) {\n  let x = 1;\n  a / 0\n}");
        let err = set
            .call_number("f", vec![decimal(Decimal::ONE)])
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
        let one = decimal(Decimal::ONE);
        assert_eq!(set.call_number("rasio", vec![one]).ok(), Some(Decimal::ONE));
        assert_eq!(set.call_number("lain", vec![]).ok(), Some(Decimal::from(3)));
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
            set.call_number("empat", vec![decimal(Decimal::TWO)]).ok(),
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
