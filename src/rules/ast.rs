//! Working with Rhai's tokens and merged AST.

use rhai::{AST, Engine, Position, Token};

/// A rule file's tokens with their positions, as `engine` reads them.
pub(super) fn tokens(engine: &Engine, text: &str) -> Vec<(Token, Position)> {
    let input = [text];
    #[allow(deprecated)] // `lex` is internal API; the rhai version is pinned.
    engine
        .lex(&input)
        .0
        // The tokenizer repeats `EOF` rather than ending.
        .take_while(|(token, _)| *token != Token::EOF)
        .collect()
}

/// The functions of `ast` that `keep` accepts, in an AST of their own.
///
/// (`AST::clone_functions_only_filtered` cannot be used: rhai 1.27 copies every function
/// when the filtered module starts empty, so a clashing definition would replace the first.)
pub(super) fn functions_where(ast: &AST, keep: impl Fn(&rhai::ScriptFuncDef) -> bool) -> AST {
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
