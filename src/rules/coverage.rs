//! Coverage of rules by test cases: which statements (by line) and which branches of each
//! script function ran, as `kinerja test --coverage` reports them.
//!
//! What can run is read from the AST once ([`points`]); what did run is recorded by a Rhai
//! debugger ([`Recorder`]) that steps through every node and counts it under the function
//! on top of Rhai's call stack. Rule files are merged into one AST whose positions are
//! each file's own, so a position means something only together with its function: every
//! count is kept under the running function's name and number of parameters, and a point
//! is looked up under the function whose body holds it.
//!
//! Nothing here runs unless [`Recorder::install`] registers the debugger on an engine: an
//! engine without it never calls back (Rhai checks for a debugger once per node).
//!
//! Calls must go through Rhai to be seen: the fast path ([`super::fast`]) records nothing.

use super::ast::functions_where;
use rhai::debugger::{DebuggerCommand, DebuggerEvent};
use rhai::{AST, ASTNode, Engine, Expr, FnPtr, ImmutableString, Position, Stmt, StmtBlock};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The prefix of the names Rhai gives closures (`FnPtr::is_anonymous` reads the same).
const ANONYMOUS: &str = "anon$";

/// What a node the debugger reports is: a statement, an expression, or a no-op (one runs
/// at the start of every call, at the body's `{`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Stmt,
    Expr,
    Noop,
}

/// A node as the debugger reports it: position and kind. The position alone is not enough:
/// an unbraced closure body's first statement sits where its call's no-op does.
type Key = (Position, Kind);

/// A node of a function body: which function runs it (an index into
/// [`FunctionPoints::runners`]), and its key.
#[derive(Clone, Copy, Debug)]
struct Node {
    runner: usize,
    key: Key,
}

/// What to measure: every statement and every branch of each named script function of an AST.
pub(super) struct Points {
    functions: Vec<FunctionPoints>,
}

struct FunctionPoints {
    name: String,
    arity: usize,
    /// The functions whose nodes are this function's: itself first, then the closures it
    /// defines (each runs under its own `anon$…` name, and is reported as part of this one).
    runners: Vec<(ImmutableString, usize)>,
    /// The no-op each call of it runs first.
    entry: Key,
    /// Each statement: its line, and the node that runs when it does.
    statements: Vec<(u32, Node)>,
    branches: Vec<BranchPoint>,
}

struct BranchPoint {
    line: u32,
    column: u32,
    kind: &'static str,
    outcomes: Vec<Outcome>,
}

/// How one outcome of a branch is known to have been taken.
enum Outcome {
    /// The first node of its path ran.
    Ran(Node),
    /// A path with no node of its own (an `if` without `else`, the short circuit of `&&`,
    /// a `switch` without a default arm): taken when the node deciding it ran more often
    /// than the other paths' first nodes together.
    MoreThan(Node, Vec<Node>),
    /// A loop's body ran in at least one run of the loop.
    Entered(Node),
    /// A run of the loop ended without running its body.
    Skipped(Node),
}

/// The coverage of one named function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct FunctionCoverage {
    /// As in the AST: a private function's file-local name (`private::as_written` gives
    /// the name as written).
    pub(super) name: String,
    pub(super) arity: usize,
    /// How many times it was called.
    pub(super) calls: u64,
    /// Lines holding at least one statement of the function (or of a closure it defines).
    pub(super) lines: Vec<u32>,
    /// Of those, lines no statement of which ran.
    pub(super) missed_lines: Vec<u32>,
    pub(super) branches: Vec<Branch>,
}

/// One branch point and which of its outcomes ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Branch {
    pub(crate) line: u32,
    pub(crate) column: u32,
    /// `if` (then, else), `for` and `while` (entered, skipped), `switch` (each arm in
    /// order, then "no arm" when there is no `_`), `&&`, `||` and `??` (the right operand
    /// evaluated, skipped).
    pub(crate) kind: &'static str,
    pub(crate) taken: Vec<bool>,
}

/// Reads the statements and branches of every named script function of `ast`. Closures are
/// part of the function that defines them.
pub(super) fn points(ast: &AST) -> Points {
    let defs: Vec<_> = ast.iter_fn_def().collect();
    let bodies: Vec<AST> = defs
        .iter()
        .map(|def| {
            functions_where(ast, |f| {
                f.name == def.name && f.params.len() == def.params.len()
            })
        })
        .collect();
    // Which function defines each closure: the one holding a pointer to it.
    let mut defined_in: HashMap<ImmutableString, usize> = HashMap::new();
    for (index, body) in bodies.iter().enumerate() {
        body.walk(&mut |path: &[ASTNode]| {
            if let Some(ASTNode::Expr(Expr::DynamicConstant(value, _))) = path.last()
                && let Some(pointer) = value.read_lock::<FnPtr>()
                && pointer.fn_name().starts_with(ANONYMOUS)
            {
                defined_in.insert(pointer.fn_name().into(), index);
            }
            true
        });
    }
    // The named function a closure belongs to, through closures defined in closures; a
    // closure no function points to (optimized away) belongs to none.
    let owner = |mut index: usize| {
        for _ in 0..=defs.len() {
            if !defs[index].name.starts_with(ANONYMOUS) {
                return Some(index);
            }
            index = *defined_in.get(&defs[index].name)?;
        }
        None
    };
    let owners: Vec<Option<usize>> = (0..defs.len()).map(owner).collect();
    let mut functions = Vec::new();
    for (index, def) in defs.iter().enumerate() {
        if def.name.starts_with(ANONYMOUS) {
            continue;
        }
        let closures = (0..defs.len()).filter(|&i| i != index && owners[i] == Some(index));
        let runners: Vec<usize> = std::iter::once(index).chain(closures).collect();
        let mut function = FunctionPoints {
            name: def.name.to_string(),
            arity: def.params.len(),
            runners: runners
                .iter()
                .map(|&i| (defs[i].name.clone(), defs[i].params.len()))
                .collect(),
            entry: (def.body.start_position(), Kind::Noop),
            statements: Vec::new(),
            branches: Vec::new(),
        };
        for (runner, &i) in runners.iter().enumerate() {
            bodies[i].walk(&mut |path: &[ASTNode]| {
                if let Some(node) = path.last() {
                    read(node, runner, &mut function);
                }
                true
            });
        }
        function.branches.sort_by_key(|b| (b.line, b.column));
        functions.push(function);
    }
    functions.sort_by(|a, b| (&a.name, a.arity).cmp(&(&b.name, b.arity)));
    Points { functions }
}

/// Adds what `node` holds to `function`: a statement, a branch point, or both.
fn read(node: &ASTNode, runner: usize, function: &mut FunctionPoints) {
    let at = |key: Key| Node { runner, key };
    match node {
        ASTNode::Stmt(stmt) => {
            // A no-op is nothing written that runs; a block used as a statement is its
            // statements, each seen on its own.
            let counted = match stmt {
                Stmt::Noop(..) => false,
                Stmt::Expr(expr) => !matches!(**expr, Expr::Stmt(..)),
                other => !closure_capture(other),
            };
            if counted && let (Some(key), Some(line)) = (stmt_key(stmt), line(stmt_start(stmt))) {
                function.statements.push((line, at(key)));
            }
            // A `switch` arm's value is an expression, but holds the arm's line as a
            // statement would (in braces, its statements are seen on their own).
            if let Stmt::Switch(x, _) = stmt {
                for arm in &x.1.expressions {
                    if !matches!(arm.rhs, Expr::Stmt(..))
                        && let (Some(key), Some(line)) =
                            (expr_key(&arm.rhs), line(expr_start(&arm.rhs)))
                    {
                        function.statements.push((line, at(key)));
                    }
                }
            }
            if let Some(branch) = stmt_branch(stmt, &at) {
                function.branches.push(branch);
            }
        }
        ASTNode::Expr(expr) => {
            let (items, kind) = match expr {
                Expr::And(items, _) => (items, "&&"),
                Expr::Or(items, _) => (items, "||"),
                Expr::Coalesce(items, _) => (items, "??"),
                _ => return,
            };
            // `a && b && c` is one node: a branch per right operand, decided by the one
            // before it (the first by the node itself, which runs as the first does).
            let mut decider = some_key(expr.position(), Kind::Expr);
            for item in items.iter().skip(1) {
                let operand = expr_key(item);
                let start = expr_start(item);
                if let (Some(before), Some(operand), Some(line)) = (decider, operand, line(start)) {
                    function.branches.push(BranchPoint {
                        line,
                        column: column(start),
                        kind,
                        outcomes: vec![
                            Outcome::Ran(at(operand)),
                            Outcome::MoreThan(at(before), vec![at(operand)]),
                        ],
                    });
                }
                decider = operand;
            }
        }
        _ => {}
    }
}

/// Whether `stmt` is one the parser adds where a closure captures variables: `Share` (at
/// the captured name, inside the closure: it would mark the closure's line as run whenever
/// the closure is created) and the `curry` call creating the closure. Neither is a
/// statement written.
fn closure_capture(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Share(..) => true,
        Stmt::FnCall(call, _) => {
            call.name == "curry"
                && matches!(call.args.first(), Some(Expr::DynamicConstant(value, _))
                    if value.read_lock::<FnPtr>().is_some_and(|p| p.fn_name().starts_with(ANONYMOUS)))
        }
        _ => false,
    }
}

/// The branch point a statement is, if it is one.
fn stmt_branch(stmt: &Stmt, at: &impl Fn(Key) -> Node) -> Option<BranchPoint> {
    let pos = stmt.position();
    let this = at(stmt_key(stmt)?);
    let (kind, outcomes) = match stmt {
        Stmt::If(flow, _) => {
            let outcomes = match (block_key(&flow.body), block_key(&flow.branch)) {
                (Some(then), Some(other)) => vec![Outcome::Ran(at(then)), Outcome::Ran(at(other))],
                (Some(then), None) => vec![
                    Outcome::Ran(at(then)),
                    Outcome::MoreThan(this, vec![at(then)]),
                ],
                (None, Some(other)) => vec![
                    Outcome::MoreThan(this, vec![at(other)]),
                    Outcome::Ran(at(other)),
                ],
                (None, None) => return None,
            };
            ("if", outcomes)
        }
        // `loop { }` and `do { } while c` always enter their body: not a branch.
        Stmt::While(flow, _)
            if matches!(flow.expr, Expr::Unit(..) | Expr::BoolConstant(true, _)) =>
        {
            return None;
        }
        Stmt::While(flow, _) => {
            block_key(&flow.body)?;
            (
                "while",
                vec![Outcome::Entered(this), Outcome::Skipped(this)],
            )
        }
        Stmt::For(x, _) => {
            block_key(&x.2.body)?;
            ("for", vec![Outcome::Entered(this), Outcome::Skipped(this)])
        }
        Stmt::Switch(x, _) => {
            let cases = &x.1;
            let mut arms: Vec<Option<Key>> = cases
                .expressions
                .iter()
                .map(|arm| expr_key(&arm.rhs))
                .collect();
            if cases.def_case.is_none() {
                arms.push(None);
            }
            // One path without a node of its own is known from the others; two are not.
            let measured: Vec<Node> = arms.iter().flatten().map(|&key| at(key)).collect();
            if arms.len() - measured.len() > 1 {
                return None;
            }
            let outcomes = arms
                .iter()
                .map(|arm| match arm {
                    Some(key) => Outcome::Ran(at(*key)),
                    None => Outcome::MoreThan(this, measured.clone()),
                })
                .collect();
            ("switch", outcomes)
        }
        _ => return None,
    };
    Some(BranchPoint {
        line: line(pos)?,
        column: column(pos),
        kind,
        outcomes,
    })
}

/// The node the debugger reports when `stmt` runs. It skips an expression statement, and
/// reports the expression, at the expression's own position (for `a + b`, the `+`).
fn stmt_key(stmt: &Stmt) -> Option<Key> {
    match stmt {
        Stmt::Noop(..) => None,
        Stmt::Expr(expr) => expr_key(expr),
        other => some_key(other.position(), Kind::Stmt),
    }
}

/// The first node the debugger reports when `expr` is evaluated. It skips a block
/// expression (`if` as a value, a `switch` arm in braces) and reports its statements.
fn expr_key(expr: &Expr) -> Option<Key> {
    match expr {
        Expr::Stmt(block) => block_key(block),
        other => some_key(other.position(), Kind::Expr),
    }
}

/// The first node the debugger reports when `block` runs: its first statement's (no-ops
/// are not counted).
fn block_key(block: &StmtBlock) -> Option<Key> {
    block.statements().iter().find_map(stmt_key)
}

fn some_key(pos: Position, kind: Kind) -> Option<Key> {
    (!pos.is_none()).then_some((pos, kind))
}

/// Where a statement starts, for its line: an operator's position is not the start of
/// `a\n  + b`.
fn stmt_start(stmt: &Stmt) -> Position {
    match stmt {
        Stmt::Expr(expr) => expr_start(expr),
        Stmt::FnCall(call, pos) => match (&call.op_token, call.args.first()) {
            (Some(_), Some(first)) => expr_start(first),
            _ => *pos,
        },
        Stmt::Assignment(x) => expr_start(&x.1.lhs),
        other => other.position(),
    }
}

fn expr_start(expr: &Expr) -> Position {
    match expr {
        Expr::FnCall(call, pos) => match (&call.op_token, call.args.first()) {
            (Some(_), Some(first)) => expr_start(first),
            _ => *pos,
        },
        Expr::And(items, _) | Expr::Or(items, _) | Expr::Coalesce(items, _) => {
            items.first().map_or(expr.position(), expr_start)
        }
        Expr::Dot(x, ..) | Expr::Index(x, ..) => expr_start(&x.lhs),
        other => other.start_position(),
    }
}

fn line(pos: Position) -> Option<u32> {
    pos.line().and_then(|l| u32::try_from(l).ok())
}

fn column(pos: Position) -> u32 {
    pos.position()
        .and_then(|c| u32::try_from(c).ok())
        .unwrap_or(0)
}

/// Records which nodes of which function ran, and how often. Clones share the record.
#[derive(Clone, Default)]
pub(super) struct Recorder(Arc<Mutex<State>>);

/// A function as Rhai's call stack names it: name and number of arguments.
type Runner = (ImmutableString, usize);

#[derive(Default)]
struct State {
    ran: HashMap<Runner, Ran>,
    /// Loops in progress, by call depth, function and the first node of the body: the
    /// loop's position, and whether this run of it has entered the body yet.
    loops: HashMap<(usize, Runner, Key), (Position, bool)>,
}

/// What ran of one function.
#[derive(Default)]
struct Ran {
    nodes: HashMap<Key, u64>,
    /// By loop position: how many runs of the loop entered its body.
    entered: HashMap<Position, u64>,
}

impl Ran {
    fn count(&self, key: &Key) -> u64 {
        self.nodes.get(key).copied().unwrap_or(0)
    }
}

impl Recorder {
    /// Registers the debugger on `engine`: from now on every call steps through every node,
    /// and counts it.
    #[allow(deprecated)] // `register_debugger` is marked volatile, not deprecated; rhai is pinned.
    pub(super) fn install(&self, engine: &mut Engine) {
        let recorder = self.clone();
        engine.register_debugger(
            |_, debugger| debugger,
            move |context, event, node, _source, pos| {
                // Stepping into everything keeps the callback coming at every node.
                if matches!(event, DebuggerEvent::Start | DebuggerEvent::Step) {
                    let stack = context.global_runtime_state().debugger().call_stack();
                    // Nothing outside a function is a rule's.
                    if let Some(frame) = stack.last() {
                        let runner = (frame.fn_name.clone(), frame.args.len());
                        recorder.record(stack.len(), runner, node, pos);
                    }
                }
                Ok(DebuggerCommand::StepInto)
            },
        );
    }

    fn record(&self, depth: usize, runner: Runner, node: ASTNode, pos: Position) {
        let kind = match node {
            ASTNode::Stmt(Stmt::Noop(..)) => Kind::Noop,
            ASTNode::Stmt(_) => Kind::Stmt,
            ASTNode::Expr(_) => Kind::Expr,
            _ => return,
        };
        let key = (pos, kind);
        let mut state = self.lock();
        let State { ran, loops } = &mut *state;
        let ran = ran.entry(runner.clone()).or_default();
        *ran.nodes.entry(key).or_default() += 1;
        if !loops.is_empty()
            && let Some((at, entered)) = loops.get_mut(&(depth, runner.clone(), key))
            && !*entered
        {
            *entered = true;
            *ran.entered.entry(*at).or_default() += 1;
        }
        // A new run of a loop: its body is not entered yet. The first node of the body is
        // read from the loop itself, so that nothing needs the points in advance.
        let body = match node {
            ASTNode::Stmt(Stmt::For(x, _)) => block_key(&x.2.body),
            ASTNode::Stmt(Stmt::While(flow, _)) => block_key(&flow.body),
            _ => None,
        };
        if let Some(body) = body {
            loops.insert((depth, runner, body), (pos, false));
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The coverage of every function of `points` by what was recorded, in order of name
    /// and arity. A function never called has every line and every branch missed.
    pub(super) fn report(&self, points: &Points) -> Vec<FunctionCoverage> {
        let state = self.lock();
        let none = Ran::default();
        points
            .functions
            .iter()
            .map(|function| {
                let ran: Vec<&Ran> = function
                    .runners
                    .iter()
                    .map(|runner| state.ran.get(runner).unwrap_or(&none))
                    .collect();
                let count = |node: &Node| ran.get(node.runner).map_or(0, |r| r.count(&node.key));
                let mut lines: BTreeMap<u32, bool> = BTreeMap::new();
                for (line, node) in &function.statements {
                    *lines.entry(*line).or_default() |= count(node) > 0;
                }
                let branches = function
                    .branches
                    .iter()
                    .map(|branch| Branch {
                        line: branch.line,
                        column: branch.column,
                        kind: branch.kind,
                        taken: branch
                            .outcomes
                            .iter()
                            .map(|outcome| match outcome {
                                Outcome::Ran(node) => count(node) > 0,
                                Outcome::MoreThan(node, others) => {
                                    count(node) > others.iter().map(count).sum::<u64>()
                                }
                                Outcome::Entered(node) => entered(&ran, node) > 0,
                                Outcome::Skipped(node) => count(node) > entered(&ran, node),
                            })
                            .collect(),
                    })
                    .collect();
                FunctionCoverage {
                    name: function.name.clone(),
                    arity: function.arity,
                    calls: ran.first().map_or(0, |r| r.count(&function.entry)),
                    missed_lines: lines
                        .iter()
                        .filter(|(_, reached)| !**reached)
                        .map(|(line, _)| *line)
                        .collect(),
                    lines: lines.into_keys().collect(),
                    branches,
                }
            })
            .collect()
    }
}

/// How many runs of the loop at `node` entered its body.
fn entered(ran: &[&Ran], node: &Node) -> u64 {
    ran.get(node.runner)
        .and_then(|r| r.entered.get(&node.key.0))
        .copied()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::super::private::{Renames, as_written};
    use super::super::sandbox::{Limits, engine};
    use super::*;
    use rhai::{Array, Dynamic, INT, Scope};

    fn int(i: INT) -> Dynamic {
        Dynamic::from(i)
    }

    fn list(items: &[INT]) -> Dynamic {
        Dynamic::from(items.iter().map(|&i| int(i)).collect::<Array>())
    }

    /// An engine with a recorder installed, and `text` compiled on it.
    fn setup(text: &str) -> (Engine, AST, Recorder) {
        let mut engine = engine(Limits::default());
        let recorder = Recorder::default();
        recorder.install(&mut engine);
        let ast = engine.compile(text).expect("compiles");
        (engine, ast, recorder)
    }

    fn call(engine: &Engine, ast: &AST, name: &str, args: Vec<Dynamic>) -> Result<Dynamic, String> {
        engine
            .call_fn::<Dynamic>(&mut Scope::new(), ast, name, args)
            .map_err(|e| e.to_string())
    }

    /// The coverage of `text` after `calls`, by function name.
    fn covered(text: &str, calls: &[(&str, Vec<Dynamic>)]) -> BTreeMap<String, FunctionCoverage> {
        let (engine, ast, recorder) = setup(text);
        for (name, args) in calls {
            let _ = call(&engine, &ast, name, args.clone());
        }
        by_name(recorder.report(&points(&ast)))
    }

    fn by_name(report: Vec<FunctionCoverage>) -> BTreeMap<String, FunctionCoverage> {
        report.into_iter().map(|f| (f.name.clone(), f)).collect()
    }

    fn get<'a>(report: &'a BTreeMap<String, FunctionCoverage>, name: &str) -> &'a FunctionCoverage {
        report
            .get(name)
            .unwrap_or_else(|| panic!("no {name} in {report:?}"))
    }

    fn branch(line: u32, column: u32, kind: &'static str, taken: &[bool]) -> Branch {
        Branch {
            line,
            column,
            kind,
            taken: taken.to_vec(),
        }
    }

    const IF_ELSE: &str = "fn f(x) {
  let y = 0;
  if x > 0 {
    y = 1;
  } else {
    y = 2;
  }
  y
}";

    #[test]
    fn only_the_then_branch_run_misses_the_else_lines_and_half_the_branch() {
        let report = covered(IF_ELSE, &[("f", vec![int(5)])]);
        let f = get(&report, "f");
        assert_eq!((f.arity, f.calls), (1, 1));
        assert_eq!(f.lines, [2, 3, 4, 6, 8]);
        assert_eq!(f.missed_lines, [6]);
        assert_eq!(f.branches, [branch(3, 3, "if", &[true, false])]);
    }

    #[test]
    fn both_branches_run_cover_everything() {
        let report = covered(IF_ELSE, &[("f", vec![int(5)]), ("f", vec![int(-5)])]);
        let f = get(&report, "f");
        assert_eq!(f.calls, 2);
        assert!(f.missed_lines.is_empty(), "{f:?}");
        assert_eq!(f.branches, [branch(3, 3, "if", &[true, true])]);
    }

    #[test]
    fn an_if_without_else_counts_the_runs_that_skip_it() {
        let text = "fn f(x) {\n  let y = 0;\n  if x > 0 {\n    y = 1;\n  }\n  y\n}";
        let taken = |calls: &[INT]| {
            let calls: Vec<_> = calls.iter().map(|&x| ("f", vec![int(x)])).collect();
            let report = covered(text, &calls);
            let f = get(&report, "f");
            (f.missed_lines.clone(), f.branches[0].taken.clone())
        };
        assert_eq!(taken(&[5]), (vec![], vec![true, false]));
        assert_eq!(taken(&[5, 6]), (vec![], vec![true, false]));
        assert_eq!(taken(&[-5]), (vec![4], vec![false, true]));
        assert_eq!(taken(&[5, -5]), (vec![], vec![true, true]));
        // An `if` used as a value: its branches are expressions.
        let text = "fn f(x) {\n  let y = if x > 0 {\n    1\n  } else {\n    2\n  };\n  y\n}";
        let report = covered(text, &[("f", vec![int(-1)])]);
        let f = get(&report, "f");
        assert_eq!(
            (f.lines.as_slice(), f.missed_lines.as_slice()),
            (&[2, 3, 5, 7][..], &[3][..])
        );
        assert_eq!(f.branches, [branch(2, 11, "if", &[false, true])]);
    }

    #[test]
    fn a_loop_is_entered_or_skipped_per_run() {
        let text = "fn total(xs) {\n  let s = 0;\n  for x in xs {\n    s += x;\n  }\n  s\n}";
        let taken = |calls: &[&[INT]]| {
            let calls: Vec<_> = calls.iter().map(|xs| ("total", vec![list(xs)])).collect();
            let report = covered(text, &calls);
            let f = get(&report, "total");
            (f.missed_lines.clone(), f.branches.clone())
        };
        // Three iterations are one run that entered, not two that skipped.
        assert_eq!(
            taken(&[&[1, 2, 3]]),
            (vec![], vec![branch(3, 3, "for", &[true, false])])
        );
        assert_eq!(
            taken(&[&[]]),
            (vec![4], vec![branch(3, 3, "for", &[false, true])])
        );
        assert_eq!(
            taken(&[&[1, 2], &[]]),
            (vec![], vec![branch(3, 3, "for", &[true, true])])
        );

        // The inner loop entered in one run of the outer one and skipped in the next.
        let text = "fn g(rows) {\n  let n = 0;\n  for row in rows {\n    for x in row {\n      n += x;\n    }\n  }\n  n\n}";
        let rows = Dynamic::from(vec![list(&[1, 2]), list(&[])]);
        let report = covered(text, &[("g", vec![rows])]);
        assert_eq!(
            get(&report, "g").branches,
            [
                branch(3, 3, "for", &[true, false]),
                branch(4, 5, "for", &[true, true])
            ]
        );

        let text = "fn w(n) {\n  while n > 0 {\n    n -= 1;\n  }\n  n\n}";
        let report = covered(text, &[("w", vec![int(0)])]);
        assert_eq!(
            get(&report, "w").branches,
            [branch(2, 3, "while", &[false, true])]
        );
        assert_eq!(get(&report, "w").missed_lines, [3]);
    }

    /// Runs of one loop nest when its function recurses: each is counted once, in its own
    /// call, whatever the runs inside it do.
    #[test]
    fn a_loop_in_a_recursive_function_counts_each_run() {
        let text = "fn r(n) {\n  for i in 0..n {\n    r(n - 1);\n  }\n  0\n}";
        let (engine, ast, recorder) = setup(text);
        assert!(call(&engine, &ast, "r", vec![int(2)]).is_ok());
        // r(2) enters; so do both r(1) it calls; the two r(0) skip.
        let state = recorder.lock();
        let ran = state.ran.get(&("r".into(), 1)).expect("r ran");
        let at = Position::new(2, 3);
        assert_eq!(ran.count(&(at, Kind::Stmt)), 5);
        assert_eq!(ran.entered.get(&at), Some(&3));
        drop(state);
        let report = by_name(recorder.report(&points(&ast)));
        assert_eq!(
            get(&report, "r").branches,
            [branch(2, 3, "for", &[true, true])]
        );
    }

    #[test]
    fn a_function_called_by_another_is_covered_under_its_own_name() {
        let text = "fn outer(x) {
  inner(x) + 1
}
fn inner(x) {
  if x > 10 {
    return 10;
  }
  x
}
fn unused(x) {
  x * 2
}";
        let report = covered(text, &[("outer", vec![int(3)])]);
        let outer = get(&report, "outer");
        assert_eq!(
            (
                outer.calls,
                outer.lines.as_slice(),
                outer.missed_lines.len()
            ),
            (1, &[2][..], 0)
        );
        let inner = get(&report, "inner");
        assert_eq!(inner.calls, 1);
        assert_eq!(
            (inner.lines.as_slice(), inner.missed_lines.as_slice()),
            (&[5, 6, 8][..], &[6][..])
        );
        assert_eq!(inner.branches, [branch(5, 3, "if", &[false, true])]);
        // Never called: all missed.
        let unused = get(&report, "unused");
        assert_eq!(
            (
                unused.calls,
                unused.lines.as_slice(),
                unused.missed_lines.as_slice()
            ),
            (0, &[11][..], &[11][..])
        );
    }

    /// Rule files are merged into one AST, each keeping its own positions: the same line and
    /// column in two files are told apart by the function running.
    #[test]
    fn positions_are_each_files_own() {
        let mut engine = engine(Limits::default());
        let recorder = Recorder::default();
        recorder.install(&mut engine);
        let file = |name: &str| {
            let text =
                format!("fn {name}(x) {{\n  if x > 0 {{\n    1\n  }} else {{\n    2\n  }}\n}}");
            let mut ast = engine.compile(text).expect("compiles");
            ast.set_source(format!("rules/{name}.rhai"));
            ast
        };
        let merged = file("a").merge(&file("b"));
        let value = |name, x| call(&engine, &merged, name, vec![int(x)]).map(|d| d.to_string());
        assert_eq!(value("a", 1), Ok("1".to_string()));
        assert_eq!(value("b", -1), Ok("2".to_string()));
        let report = by_name(recorder.report(&points(&merged)));
        let (a, b) = (get(&report, "a"), get(&report, "b"));
        assert_eq!(
            (a.missed_lines.as_slice(), a.branches[0].taken.as_slice()),
            (&[5][..], &[true, false][..])
        );
        assert_eq!(
            (b.missed_lines.as_slice(), b.branches[0].taken.as_slice()),
            (&[3][..], &[false, true][..])
        );
    }

    #[test]
    fn a_private_helper_is_reported_under_its_file_local_name() {
        let text = "private fn half(x) {\n  if x == 0 {\n    throw \"zero\";\n  }\n  x / 2\n}\nfn rasio(x) {\n  half(x)\n}";
        let mut engine = engine(Limits::default());
        let renames = Renames::default();
        renames.install(&mut engine);
        let privates = renames.prepare(&crate::rules::ast::tokens(&engine, text), 4);
        let ast = engine.compile(text).expect("compiles");
        renames.clear();
        let recorder = Recorder::default();
        recorder.install(&mut engine);
        assert!(call(&engine, &ast, "rasio", vec![int(8)]).is_ok());
        let report = by_name(recorder.report(&points(&ast)));
        let helper = get(&report, "half__private_of_file_4");
        assert_eq!(as_written(&privates, &helper.name), "half");
        assert_eq!(
            (helper.calls, helper.missed_lines.as_slice()),
            (1, &[3][..])
        );
        assert_eq!(helper.branches, [branch(2, 3, "if", &[false, true])]);
        assert!(get(&report, "rasio").missed_lines.is_empty());
    }

    #[test]
    fn a_throw_that_ran_counts_its_line() {
        let text = "fn f(x) {\n  if x < 0 {\n    throw \"negative\";\n  }\n  x\n}";
        let (engine, ast, recorder) = setup(text);
        let points = points(&ast);
        assert!(call(&engine, &ast, "f", vec![int(-1)]).is_err());
        let f = by_name(recorder.report(&points)).remove("f").expect("f");
        assert_eq!(
            (f.lines.as_slice(), f.missed_lines.as_slice()),
            (&[2, 3, 5][..], &[5][..])
        );
        assert_eq!(f.branches, [branch(2, 3, "if", &[true, false])]);
        assert!(call(&engine, &ast, "f", vec![int(1)]).is_ok());
        let f = by_name(recorder.report(&points)).remove("f").expect("f");
        assert!(f.missed_lines.is_empty(), "{f:?}");
    }

    #[test]
    fn short_circuits_are_branches() {
        let text = "fn f(a, b) {\n  if a > 0 && b > 0 || a < -10 { 1 } else { 0 }\n}";
        let taken = |calls: &[(INT, INT)]| {
            let calls: Vec<_> = calls
                .iter()
                .map(|&(a, b)| ("f", vec![int(a), int(b)]))
                .collect();
            let report = covered(text, &calls);
            get(&report, "f").branches.clone()
        };
        // `a > 0` false: `b > 0` skipped, `a < -10` evaluated.
        assert_eq!(
            taken(&[(-1, 1)]),
            [
                branch(2, 3, "if", &[false, true]),
                branch(2, 15, "&&", &[false, true]),
                branch(2, 24, "||", &[true, false]),
            ]
        );
        // Both true: `b > 0` evaluated, `a < -10` skipped.
        assert_eq!(
            taken(&[(1, 1)]),
            [
                branch(2, 3, "if", &[true, false]),
                branch(2, 15, "&&", &[true, false]),
                branch(2, 24, "||", &[false, true]),
            ]
        );
    }

    #[test]
    fn switch_arms_are_outcomes_of_one_branch() {
        let text = "fn f(x) {\n  switch x {\n    1 => 10,\n    2 => { 20 }\n    _ => 0\n  }\n}";
        let report = covered(text, &[("f", vec![int(1)]), ("f", vec![int(7)])]);
        let f = get(&report, "f");
        assert_eq!(f.branches, [branch(2, 3, "switch", &[true, false, true])]);
        assert_eq!(
            (f.lines.as_slice(), f.missed_lines.as_slice()),
            (&[2, 3, 4, 5][..], &[4][..])
        );
        // Without `_`, "no arm" is the last outcome.
        let text = "fn f(x) {\n  switch x {\n    1 => 10,\n    2 => 20\n  }\n}";
        let report = covered(text, &[("f", vec![int(2)])]);
        assert_eq!(
            get(&report, "f").branches,
            [branch(2, 3, "switch", &[false, true, false])]
        );
        let report = covered(text, &[("f", vec![int(2)]), ("f", vec![int(3)])]);
        assert_eq!(
            get(&report, "f").branches,
            [branch(2, 3, "switch", &[false, true, true])]
        );
    }

    #[test]
    fn a_closure_is_part_of_the_function_defining_it() {
        let text = "fn f(xs) {\n  xs.map(|x| {\n    x * 2\n  })\n}";
        let report = covered(text, &[("f", vec![list(&[])])]);
        let f = get(&report, "f");
        assert_eq!(
            (f.lines.as_slice(), f.missed_lines.as_slice()),
            (&[2, 3][..], &[3][..])
        );
        assert_eq!(
            report.len(),
            1,
            "no entry of its own for the closure: {report:?}"
        );
        let report = covered(text, &[("f", vec![list(&[1])])]);
        assert!(get(&report, "f").missed_lines.is_empty());
        // A closure capturing a variable, and one defined in a closure.
        let text = "fn g(xs) {
  let k = 2;
  xs.filter(|x| {
    x > k
  }).map(|x| {
    [x].map(|y| {
      y * k
    })
  })
}";
        let report = covered(text, &[("g", vec![list(&[1, 3])])]);
        let g = get(&report, "g");
        assert_eq!(report.len(), 1, "{report:?}");
        assert_eq!(
            (g.lines.as_slice(), g.missed_lines.as_slice()),
            (&[2, 3, 4, 6, 7][..], &[][..])
        );
        let report = covered(text, &[("g", vec![list(&[1])])]);
        let g = get(&report, "g");
        assert_eq!(g.missed_lines, [6, 7]);
    }

    /// Without `install`, an engine evaluates as it did before the feature: the same
    /// values and the same errors at the same positions, and the recorder sees nothing.
    #[test]
    fn without_install_nothing_changes_and_nothing_is_recorded() {
        let text = "fn f(x) {\n  let s = 0;\n  for i in 0..x { s += i; }\n  if s > 10 { throw \"big\"; }\n  s\n}";
        let plain = engine(Limits::default());
        let (traced, ast, recorder) = setup(text);
        let idle = Recorder::default();
        for x in [0, 3, 5, 9] {
            assert_eq!(
                call(&plain, &ast, "f", vec![int(x)]).map(|d| d.to_string()),
                call(&traced, &ast, "f", vec![int(x)]).map(|d| d.to_string()),
                "f({x})"
            );
        }
        let points = points(&ast);
        let seen = recorder.report(&points);
        assert_eq!(seen[0].calls, 4);
        // Calls on the plain engine reached no recorder.
        let _ = call(&plain, &ast, "f", vec![int(1)]);
        assert_eq!(recorder.report(&points), seen);
        let nothing = idle.report(&points);
        assert_eq!(nothing[0].calls, 0);
        assert_eq!(nothing[0].missed_lines, nothing[0].lines);
        assert!(
            nothing[0]
                .branches
                .iter()
                .all(|b| b.taken.iter().all(|t| !t))
        );
    }
}
