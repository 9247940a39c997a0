//! Working with Rhai's merged AST.

use rhai::AST;

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
