//! A fast path for rules: the common shape of a rule, evaluated without Rhai's call machinery.
//!
//! Calling a Rhai function costs about a microsecond of setup (call state, scope, `Dynamic`
//! arguments, map indexing through `Dynamic`) before any arithmetic happens; the shipped
//! rules then do a handful of decimal operations. At 100,000 indikator that setup is most of
//! the time spent in rules. So each rule's Rhai AST is translated, once, into a small tree
//! that works directly on `Decimal`s and on the workspace's own inputs.
//!
//! Only a subset is translated: numbers, `true`/`false`, local variables, `let`, assignment
//! and `+= -= *= /= %=`, `if`/`else`, `for x in list`, `return`, `throw`, arithmetic and
//! comparison operators, `&&` `||` `!`, property access `m.x` on inputs, `len`, and calls
//! of other rules. A rule using anything else is simply left to Rhai.
//!
//! The fast path never produces an error of its own. Whenever a run leaves the happy path
//! (a `throw`, a division by zero, an overflow, a missing property, a value of another type,
//! a deep recursion, a long loop) it gives up, and the call is made again through Rhai from
//! the start; rules have no side effects, so the retry is exact, and Rhai reports the
//! failure with its own message and position. Where it does not give up, every operation is
//! the one Rhai's `decimal` arithmetic performs (checked `Decimal` and `i64` operations, an
//! integer widened to `Decimal` when mixed), so the result is the same to the last digit;
//! `tests` below compares both on every construct.

use super::ast::functions_where;
use super::value::Arg;
use crate::model::Input;
use ahash::AHashMap;
use rhai::{AST, ASTFlags, ASTNode, Expr, FnCallExpr, Stmt, StmtBlock, Token};
use rust_decimal::Decimal;
use smallvec::SmallVec;

/// How many loop iterations and calls one top-level call may make before giving up to Rhai
/// (which then applies the sandbox's operation limit and deadline itself).
const BUDGET: u32 = 100_000;

/// Slots (parameters and locals) a call keeps on the stack; more go to the heap.
const FRAME: usize = 8;

/// How deep translated rules may call each other before giving up to Rhai. Rules nest a
/// few calls deep; deeper recursion is Rhai's to run (and to stop), and this bound keeps
/// the fast path well inside a thread's stack even in a debug build.
const MAX_DEPTH: usize = 16;

/// The translated rules of a workspace.
pub(super) struct FastRules {
    /// Every script function of the merged AST, in the order of `by_name`; `None` where the
    /// rule uses something outside the subset.
    functions: Vec<Option<Function>>,
    /// Name → (arity, index in `functions`) of each definition.
    by_name: AHashMap<String, Vec<(usize, usize)>>,
    max_depth: usize,
}

struct Function {
    params: usize,
    /// The rules it calls.
    calls: Vec<usize>,
    /// Parameters and every `let` get their own slot.
    slots: usize,
    body: Block,
}

type Block = Box<[St]>;

enum St {
    Let(usize, Ex),
    Set(usize, Option<Op>, Ex),
    If(Ex, Block, Block),
    For(usize, Ex, Block),
    Eval(Ex),
    Return(Ex),
    /// `throw`: Rhai reports it.
    GiveUp,
}

enum Ex {
    Int(i64),
    Dec(Decimal),
    Bool(bool),
    Unit,
    Local(usize),
    Prop(Box<Ex>, Box<str>),
    Len(Box<Ex>),
    Bin(Op, Box<(Ex, Ex)>),
    Neg(Box<Ex>),
    Not(Box<Ex>),
    And(Box<[Ex]>),
    Or(Box<[Ex]>),
    Call(usize, Box<[Ex]>),
    Block(Block),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A value while a translated rule runs. Inputs are borrowed from the workspace, never
/// converted; a number input is read as `Dec`.
#[derive(Clone, Copy, Debug)]
enum Val<'a> {
    Unit,
    Bool(bool),
    Int(i64),
    Dec(Decimal),
    /// A text, list or map input.
    Input(&'a Input),
    Nums(&'a [Decimal]),
    /// An argument the fast path does not look into (the context map).
    Opaque,
}

/// The run left the subset: call Rhai instead.
struct GiveUp;

/// Why a block stopped early. The returned value waits in [`Run::returned`], so that a
/// result stays as small as a value (it is moved at every step).
enum Stop {
    Return,
    GiveUp,
}

impl From<GiveUp> for Stop {
    fn from(_: GiveUp) -> Self {
        Stop::GiveUp
    }
}

impl FastRules {
    /// Translates what it can of `ast`'s functions; `max_depth` is Rhai's call-level limit.
    pub(super) fn translate(ast: &AST, max_depth: usize) -> FastRules {
        let defs: Vec<_> = ast.iter_fn_def().collect();
        let mut by_name: AHashMap<String, Vec<(usize, usize)>> = AHashMap::new();
        for (i, def) in defs.iter().enumerate() {
            by_name
                .entry(def.name.to_string())
                .or_default()
                .push((def.params.len(), i));
        }
        // Whether `len` means the built-in one: a script function of that name wins in Rhai.
        let len_is_builtin = !defs.iter().any(|d| d.name == "len");
        let functions = defs
            .iter()
            .map(|def| {
                if def.this_type.is_some() {
                    return None;
                }
                let statements = function_body(ast, &def.name, def.params.len());
                let mut t = Translator {
                    by_name: &by_name,
                    len_is_builtin,
                    scope: def
                        .params
                        .iter()
                        .enumerate()
                        .map(|(slot, p)| (p.to_string(), slot, false))
                        .collect(),
                    slots: def.params.len(),
                    calls: Vec::new(),
                };
                let body = t.statements(&statements)?;
                Some(Function {
                    params: def.params.len(),
                    calls: t.calls,
                    slots: t.slots,
                    body,
                })
            })
            .collect();
        let functions = without_untranslated_calls(functions);
        FastRules {
            functions,
            by_name,
            max_depth: max_depth.min(MAX_DEPTH),
        }
    }

    /// How many rules were translated, of how many.
    pub(super) fn coverage(&self) -> (usize, usize) {
        let translated = self.functions.iter().filter(|f| f.is_some()).count();
        (translated, self.functions.len())
    }

    fn index(&self, name: &str, arity: usize) -> Option<usize> {
        let defs = self.by_name.get(name)?;
        defs.iter().find(|(a, _)| *a == arity).map(|&(_, i)| i)
    }

    #[cfg(test)]
    pub(super) fn translated(&self, name: &str, arity: usize) -> bool {
        self.index(name, arity)
            .is_some_and(|i| self.functions[i].is_some())
    }

    /// The rule's result, or `None` when the call must go through Rhai.
    pub(super) fn call(&self, name: &str, args: &[Arg<'_>]) -> Option<Decimal> {
        let index = self.index(name, args.len())?;
        self.functions.get(index)?.as_ref()?;
        let mut run = Run {
            rules: self,
            budget: BUDGET,
            depth: 0,
            returned: Val::Unit,
        };
        let mut values = [Val::Unit; FRAME];
        if args.len() > FRAME {
            return None;
        }
        for (value, arg) in values.iter_mut().zip(args) {
            *value = Val::of_arg(arg);
        }
        match run.call(index, &values[..args.len()]).ok()? {
            Val::Dec(d) => Some(d),
            Val::Int(i) => Some(Decimal::from(i)),
            _ => None,
        }
    }
}

/// A rule calling a rule that Rhai must run is left to Rhai too, whole.
fn without_untranslated_calls(mut functions: Vec<Option<Function>>) -> Vec<Option<Function>> {
    loop {
        let drop: Vec<usize> = (0..functions.len())
            .filter(|&i| {
                functions[i].as_ref().is_some_and(|f| {
                    f.calls
                        .iter()
                        .any(|&c| functions.get(c).is_none_or(Option::is_none))
                })
            })
            .collect();
        if drop.is_empty() {
            return functions;
        }
        for i in drop {
            functions[i] = None;
        }
    }
}

/// The top-level statements of one function, through the public walk of a one-function AST
/// (Rhai does not expose a function's body directly).
fn function_body(ast: &AST, name: &str, arity: usize) -> Vec<Stmt> {
    let only = functions_where(ast, |f| f.name == name && f.params.len() == arity);
    let mut statements = Vec::new();
    only.walk(&mut |path: &[ASTNode]| {
        if let [ASTNode::Stmt(stmt)] = path {
            statements.push((*stmt).clone());
        }
        true
    });
    statements
}

struct Translator<'a> {
    by_name: &'a AHashMap<String, Vec<(usize, usize)>>,
    len_is_builtin: bool,
    /// Names in scope, their slots and whether they are `const`, innermost last.
    scope: Vec<(String, usize, bool)>,
    slots: usize,
    calls: Vec<usize>,
}

impl Translator<'_> {
    fn statements(&mut self, statements: &[Stmt]) -> Option<Block> {
        // Block scoping: what a block declares goes out of scope at its end.
        let depth = self.scope.len();
        let out: Option<Vec<St>> = statements.iter().map(|s| self.stmt(s)).collect();
        self.scope.truncate(depth);
        out.map(Vec::into_boxed_slice)
    }

    fn block(&mut self, block: &StmtBlock) -> Option<Block> {
        self.statements(block.statements())
    }

    fn declare(&mut self, name: &str, constant: bool) -> usize {
        let slot = self.slots;
        self.slots += 1;
        self.scope.push((name.to_string(), slot, constant));
        slot
    }

    fn lookup(&self, name: &str) -> Option<(usize, bool)> {
        self.scope
            .iter()
            .rev()
            .find(|(n, _, _)| n == name)
            .map(|&(_, slot, constant)| (slot, constant))
    }

    fn stmt(&mut self, stmt: &Stmt) -> Option<St> {
        Some(match stmt {
            Stmt::Noop(_) => St::Eval(Ex::Unit),
            Stmt::Expr(e) => St::Eval(self.expr(e)?),
            Stmt::FnCall(call, _) => St::Eval(self.call(call)?),
            Stmt::Block(block) => St::Eval(Ex::Block(self.block(block)?)),
            Stmt::Var(x, flags, _) => {
                let (ident, value, _) = &**x;
                // The value is read before the new name is in scope (`let x = x + 1`).
                let value = self.expr(value)?;
                let slot = self.declare(&ident.name, flags.contains(ASTFlags::CONSTANT));
                St::Let(slot, value)
            }
            Stmt::Assignment(x) => {
                let (op, target) = &**x;
                let Expr::Variable(var, _, _) = &target.lhs else {
                    return None;
                };
                if !var.2.is_empty() {
                    return None;
                }
                // Assigning to a `const` is an error Rhai reports.
                let (slot, false) = self.lookup(&var.1)? else {
                    return None;
                };
                let op = match op.get_op_assignment_info() {
                    None => None,
                    Some((_, _, _, _, token, _)) => Some(operator(token)?),
                };
                St::Set(slot, op, self.expr(&target.rhs)?)
            }
            Stmt::If(flow, _) => St::If(
                self.expr(&flow.expr)?,
                self.block(&flow.body)?,
                self.block(&flow.branch)?,
            ),
            Stmt::For(x, _) => {
                let (var, counter, flow) = &**x;
                if counter.is_some() {
                    return None;
                }
                let list = self.expr(&flow.expr)?;
                let depth = self.scope.len();
                let slot = self.declare(&var.name, false);
                let body = self.block(&flow.body);
                self.scope.truncate(depth);
                St::For(slot, list, body?)
            }
            Stmt::Return(value, flags, _) if flags.contains(ASTFlags::BREAK) => {
                let _ = value;
                St::GiveUp
            }
            Stmt::Return(value, flags, _) if flags.is_empty() => {
                St::Return(value.as_deref().map_or(Some(Ex::Unit), |v| self.expr(v))?)
            }
            _ => return None,
        })
    }

    fn expr(&mut self, expr: &Expr) -> Option<Ex> {
        Some(match expr {
            Expr::IntegerConstant(i, _) => Ex::Int(*i),
            Expr::BoolConstant(b, _) => Ex::Bool(*b),
            Expr::Unit(_) => Ex::Unit,
            Expr::DynamicConstant(value, _) => {
                if let Ok(d) = value.as_decimal() {
                    Ex::Dec(d)
                } else if let Ok(i) = value.as_int() {
                    Ex::Int(i)
                } else if let Ok(b) = value.as_bool() {
                    Ex::Bool(b)
                } else {
                    return None;
                }
            }
            Expr::Variable(var, _, _) => {
                if !var.2.is_empty() {
                    return None;
                }
                Ex::Local(self.lookup(&var.1)?.0)
            }
            Expr::Stmt(block) => Ex::Block(self.block(block)?),
            Expr::FnCall(call, _) => self.call(call)?,
            Expr::And(items, _) => Ex::And(self.exprs(items)?),
            Expr::Or(items, _) => Ex::Or(self.exprs(items)?),
            Expr::Dot(x, flags, _) if flags.is_empty() => {
                let object = self.expr(&x.lhs)?;
                self.chain(object, &x.rhs)?
            }
            _ => return None,
        })
    }

    fn exprs(&mut self, items: &[Expr]) -> Option<Box<[Ex]>> {
        items.iter().map(|e| self.expr(e)).collect()
    }

    /// `object.rest`: properties and `len()`, possibly chained (`m.n.len()`).
    fn chain(&mut self, object: Ex, rest: &Expr) -> Option<Ex> {
        match rest {
            Expr::Property(p, _) => Some(Ex::Prop(Box::new(object), p.2.as_str().into())),
            Expr::MethodCall(call, _)
                if call.name == "len"
                    && call.args.is_empty()
                    && call.namespace.is_empty()
                    && self.len_is_builtin =>
            {
                Some(Ex::Len(Box::new(object)))
            }
            Expr::Dot(x, flags, _) if flags.is_empty() => {
                let inner = self.chain(object, &x.lhs)?;
                self.chain(inner, &x.rhs)
            }
            _ => None,
        }
    }

    fn call(&mut self, call: &FnCallExpr) -> Option<Ex> {
        if !call.namespace.is_empty() || call.capture_parent_scope {
            return None;
        }
        let args = self.exprs(&call.args)?;
        if let Some(token) = &call.op_token {
            return match (token, &*args) {
                (Token::Minus | Token::UnaryMinus, [_]) => Some(Ex::Neg(Box::new(single(args)?))),
                (Token::Bang, [_]) => Some(Ex::Not(Box::new(single(args)?))),
                (token, [_, _]) => {
                    let op = operator(token)?;
                    let [a, b]: [Ex; 2] = Vec::from(args).try_into().ok()?;
                    Some(Ex::Bin(op, Box::new((a, b))))
                }
                _ => None,
            };
        }
        let script = self
            .by_name
            .get(call.name.as_str())
            .and_then(|defs| defs.iter().find(|(arity, _)| *arity == args.len()));
        if let Some(&(_, index)) = script {
            self.calls.push(index);
            return Some(Ex::Call(index, args));
        }
        if call.name == "len" && args.len() == 1 && self.len_is_builtin {
            return Some(Ex::Len(Box::new(single(args)?)));
        }
        None
    }
}

fn single(args: Box<[Ex]>) -> Option<Ex> {
    let [a]: [Ex; 1] = Vec::from(args).try_into().ok()?;
    Some(a)
}

fn operator(token: &Token) -> Option<Op> {
    Some(match token {
        Token::Plus | Token::PlusAssign => Op::Add,
        Token::Minus | Token::MinusAssign => Op::Sub,
        Token::Multiply | Token::MultiplyAssign => Op::Mul,
        Token::Divide | Token::DivideAssign => Op::Div,
        Token::Modulo | Token::ModuloAssign => Op::Rem,
        Token::EqualsTo => Op::Eq,
        Token::NotEqualsTo => Op::Ne,
        Token::LessThan => Op::Lt,
        Token::LessThanEqualsTo => Op::Le,
        Token::GreaterThan => Op::Gt,
        Token::GreaterThanEqualsTo => Op::Ge,
        _ => return None,
    })
}

impl<'a> Val<'a> {
    fn of_arg(arg: &Arg<'a>) -> Val<'a> {
        match *arg {
            Arg::Num(d) => Val::Dec(d),
            Arg::Nums(list) => Val::Nums(list),
            Arg::Input(input) => Val::of_input(input),
            Arg::Context(_) | Arg::Table(_) => Val::Opaque,
        }
    }

    #[inline]
    fn of_input(input: &'a Input) -> Val<'a> {
        match input {
            Input::Num(n) => Val::Dec(n.value),
            other => Val::Input(other),
        }
    }
}

struct Run<'r, 'a> {
    rules: &'r FastRules,
    budget: u32,
    depth: usize,
    /// The value of the `return` being carried out.
    returned: Val<'a>,
}

/// One call's parameters and locals.
type Frame<'a> = [Val<'a>];

impl<'a> Run<'_, 'a> {
    fn spend(&mut self) -> Result<(), GiveUp> {
        self.budget = self.budget.checked_sub(1).ok_or(GiveUp)?;
        Ok(())
    }

    /// Calls function `index`: its frame holds the arguments, then its locals.
    fn call(&mut self, index: usize, args: &[Val<'a>]) -> Result<Val<'a>, GiveUp> {
        self.spend()?;
        let rules = self.rules;
        let Some(Some(function)) = rules.functions.get(index) else {
            return Err(GiveUp);
        };
        // Rhai counts the top-level call as level 1; past the limit it reports the overflow.
        if self.depth >= rules.max_depth || args.len() != function.params {
            return Err(GiveUp);
        }
        // A fixed array for the usual few slots: no allocation, no resizing.
        let mut small = [Val::Unit; FRAME];
        let mut large = Vec::new();
        let frame: &mut Frame<'a> = if function.slots <= FRAME {
            &mut small[..function.slots]
        } else {
            large.resize(function.slots, Val::Unit);
            &mut large
        };
        // Element by element: a slice copy of a few values would be a call to memmove.
        for (slot, arg) in frame.iter_mut().zip(args) {
            *slot = *arg;
        }
        self.depth += 1;
        let result = match self.block(&function.body, frame) {
            Ok(v) => Ok(v),
            Err(Stop::Return) => Ok(std::mem::replace(&mut self.returned, Val::Unit)),
            Err(Stop::GiveUp) => Err(GiveUp),
        };
        self.depth -= 1;
        result
    }

    // Kept out of `expr` so that its argument buffer does not enlarge every `expr` frame.
    #[inline(never)]
    fn call_with(
        &mut self,
        index: usize,
        args: &[Ex],
        frame: &mut Frame<'a>,
    ) -> Result<Val<'a>, Stop> {
        let mut values: SmallVec<[Val<'a>; FRAME]> = SmallVec::new();
        for arg in args {
            values.push(self.expr(arg, frame)?);
        }
        Ok(self.call(index, &values)?)
    }

    fn block(&mut self, block: &[St], frame: &mut Frame<'a>) -> Result<Val<'a>, Stop> {
        let mut last = Val::Unit;
        for stmt in block {
            last = self.stmt(stmt, frame)?;
        }
        Ok(last)
    }

    fn stmt(&mut self, stmt: &St, frame: &mut Frame<'a>) -> Result<Val<'a>, Stop> {
        match stmt {
            St::Let(slot, value) | St::Set(slot, None, value) => {
                let v = self.expr(value, frame)?;
                frame[*slot] = v;
                Ok(Val::Unit)
            }
            St::Set(slot, Some(op), value) => {
                let v = self.expr(value, frame)?;
                let current = frame[*slot];
                frame[*slot] = binary(*op, current, v)?;
                Ok(Val::Unit)
            }
            St::If(condition, then, otherwise) => match self.expr(condition, frame)? {
                Val::Bool(true) => self.block(then, frame),
                Val::Bool(false) => self.block(otherwise, frame),
                _ => Err(Stop::GiveUp),
            },
            St::For(slot, list, body) => {
                match self.expr(list, frame)? {
                    Val::Input(Input::List(items, _)) => {
                        for item in items {
                            self.spend()?;
                            frame[*slot] = Val::of_input(item);
                            self.block(body, frame)?;
                        }
                    }
                    Val::Nums(items) => {
                        for item in items {
                            self.spend()?;
                            frame[*slot] = Val::Dec(*item);
                            self.block(body, frame)?;
                        }
                    }
                    _ => return Err(Stop::GiveUp),
                }
                Ok(Val::Unit)
            }
            St::Eval(e) => self.expr(e, frame),
            St::Return(e) => {
                self.returned = self.expr(e, frame)?;
                Err(Stop::Return)
            }
            St::GiveUp => Err(Stop::GiveUp),
        }
    }

    /// An operator's operand: constants, locals and `local.property` are read in place,
    /// without a recursive call (most operands of real rules are one of these).
    #[inline(always)]
    fn operand(&mut self, expr: &Ex, frame: &mut Frame<'a>) -> Result<Val<'a>, Stop> {
        match expr {
            Ex::Int(i) => Ok(Val::Int(*i)),
            Ex::Dec(d) => Ok(Val::Dec(*d)),
            Ex::Local(slot) => Ok(frame[*slot]),
            Ex::Prop(object, name) => match **object {
                Ex::Local(slot) => Ok(property(frame[slot], name)?),
                _ => self.expr(expr, frame),
            },
            _ => self.expr(expr, frame),
        }
    }

    fn expr(&mut self, expr: &Ex, frame: &mut Frame<'a>) -> Result<Val<'a>, Stop> {
        Ok(match expr {
            Ex::Int(i) => Val::Int(*i),
            Ex::Dec(d) => Val::Dec(*d),
            Ex::Bool(b) => Val::Bool(*b),
            Ex::Unit => Val::Unit,
            Ex::Local(slot) => frame[*slot],
            Ex::Prop(object, name) => {
                let object = self.expr(object, frame)?;
                property(object, name)?
            }
            Ex::Len(object) => match self.expr(object, frame)? {
                Val::Input(Input::List(items, _)) => Val::Int(len(items.len())?),
                Val::Nums(items) => Val::Int(len(items.len())?),
                _ => return Err(Stop::GiveUp),
            },
            Ex::Bin(op, operands) => {
                let a = self.operand(&operands.0, frame)?;
                let b = self.operand(&operands.1, frame)?;
                binary(*op, a, b)?
            }
            Ex::Neg(e) => match self.expr(e, frame)? {
                Val::Int(i) => Val::Int(i.checked_neg().ok_or(GiveUp)?),
                Val::Dec(d) => Val::Dec(-d),
                _ => return Err(Stop::GiveUp),
            },
            Ex::Not(e) => match self.expr(e, frame)? {
                Val::Bool(b) => Val::Bool(!b),
                _ => return Err(Stop::GiveUp),
            },
            Ex::And(items) => {
                for item in items.iter() {
                    match self.expr(item, frame)? {
                        Val::Bool(true) => {}
                        Val::Bool(false) => return Ok(Val::Bool(false)),
                        _ => return Err(Stop::GiveUp),
                    }
                }
                Val::Bool(true)
            }
            Ex::Or(items) => {
                for item in items.iter() {
                    match self.expr(item, frame)? {
                        Val::Bool(false) => {}
                        Val::Bool(true) => return Ok(Val::Bool(true)),
                        _ => return Err(Stop::GiveUp),
                    }
                }
                Val::Bool(false)
            }
            Ex::Call(index, args) => self.call_with(*index, args, frame)?,
            Ex::Block(block) => self.block(block, frame)?,
        })
    }
}

/// `object.name` on a map input.
#[inline]
fn property<'a>(object: Val<'a>, name: &str) -> Result<Val<'a>, GiveUp> {
    match object {
        // The last of duplicate keys wins, as when Rhai's map is built from them.
        Val::Input(Input::Map(entries, _)) => entries
            .iter()
            .rev()
            .find(|(k, _)| same_key(k, name))
            .map(|(_, v)| Val::of_input(v))
            .ok_or(GiveUp),
        _ => Err(GiveUp),
    }
}

/// Keys are a few bytes long: comparing them in place beats a call to `memcmp`.
fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

fn len(n: usize) -> Result<i64, GiveUp> {
    i64::try_from(n).map_err(|_| GiveUp)
}

/// An operator as Rhai's built-in arithmetic does it; anything else gives up.
fn binary<'a>(op: Op, a: Val<'a>, b: Val<'a>) -> Result<Val<'a>, GiveUp> {
    let result = match (a, b) {
        (Val::Int(x), Val::Int(y)) => match op {
            Op::Add => x.checked_add(y).map(Val::Int),
            Op::Sub => x.checked_sub(y).map(Val::Int),
            Op::Mul => x.checked_mul(y).map(Val::Int),
            Op::Div => x.checked_div(y).map(Val::Int),
            Op::Rem => x.checked_rem(y).map(Val::Int),
            _ => Some(Val::Bool(compare(op, x.cmp(&y)))),
        },
        // `x == 0`, the guard of most rules: the same answer without widening 0.
        (Val::Dec(x), Val::Int(0)) | (Val::Int(0), Val::Dec(x))
            if matches!(op, Op::Eq | Op::Ne) =>
        {
            Some(Val::Bool(x.is_zero() == (op == Op::Eq)))
        }
        (Val::Dec(_) | Val::Int(_), Val::Dec(_) | Val::Int(_)) => {
            let (x, y) = (decimal(a), decimal(b));
            match op {
                Op::Add => x.checked_add(y).map(Val::Dec),
                Op::Sub => x.checked_sub(y).map(Val::Dec),
                Op::Mul => x.checked_mul(y).map(Val::Dec),
                Op::Div if y.is_zero() => None,
                Op::Div => x.checked_div(y).map(Val::Dec),
                Op::Rem => x.checked_rem(y).map(Val::Dec),
                _ => Some(Val::Bool(compare(op, x.cmp(&y)))),
            }
        }
        (Val::Bool(x), Val::Bool(y)) => match op {
            Op::Eq => Some(Val::Bool(x == y)),
            Op::Ne => Some(Val::Bool(x != y)),
            _ => None,
        },
        _ => None,
    };
    result.ok_or(GiveUp)
}

fn decimal(v: Val<'_>) -> Decimal {
    match v {
        Val::Dec(d) => d,
        Val::Int(i) => Decimal::from(i),
        _ => Decimal::ZERO,
    }
}

fn compare(op: Op, ordering: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        Op::Eq => ordering == Equal,
        Op::Ne => ordering != Equal,
        Op::Lt => ordering == Less,
        Op::Le => ordering != Greater,
        Op::Gt => ordering == Greater,
        _ => ordering != Less,
    }
}
