//! `private fn` seen from its own file only.
//!
//! The rule files share one namespace (one merged AST), where Rhai's `private` only keeps
//! a function out of a module's exports: a `private fn h` in one file would replace a
//! `private fn h` in another, or a public rule `h`, silently. So before a file compiles,
//! each call to one of its private functions, and the definition itself, is renamed to a
//! name of that file alone ([`mangled`]); other files never see the name, and the
//! positions Rhai reports stay those of the source text (the rename happens on tokens, not
//! on text). A private name means the file's own function for every call of that name in
//! the file, whatever the number of arguments, as a local definition would anywhere.

use rhai::{Engine, Position, Token};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// The renames in force for the file being compiled: token position → new name.
#[derive(Clone, Default)]
pub(super) struct Renames(Arc<Mutex<HashMap<(usize, usize), String>>>);

impl Renames {
    /// Installs the renaming on `engine`'s parser: every compile consults it.
    #[allow(deprecated)] // `on_parse_token` is marked volatile, not deprecated.
    pub(super) fn install(&self, engine: &mut Engine) {
        let renames = self.clone();
        engine.on_parse_token(move |token, pos, _| match token {
            Token::Identifier(name) => {
                let by_position = renames.0.lock().unwrap_or_else(PoisonError::into_inner);
                match by_position.get(&key(pos)) {
                    Some(new) => Token::Identifier(Box::new(new.as_str().into())),
                    None => Token::Identifier(name),
                }
            }
            other => other,
        });
    }

    /// Sets the renames for the next compile; returns the private names of `text`, each
    /// with its file-local name.
    pub(super) fn prepare(&self, tokens: &[(Token, Position)], file_index: usize) -> Vec<Private> {
        let found = private_calls(tokens, file_index);
        let mut by_position = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        by_position.clear();
        for (pos, name) in &found.positions {
            by_position.insert(*pos, name.clone());
        }
        found.privates
    }

    /// No renames: after a compile, so that nothing else is renamed by accident.
    pub(super) fn clear(&self) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

/// A private function's name in its file, and the name it compiles to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Private {
    pub(super) name: String,
    pub(super) mangled: String,
    /// The file's place in the order rule files are compiled.
    pub(super) file_index: usize,
}

/// `text` with every file-local name written back as the rule author wrote it.
pub(super) fn as_written(privates: &[Private], text: &str) -> String {
    let mut text = text.to_string();
    for private in privates {
        if text.contains(&private.mangled) {
            text = text.replace(&private.mangled, &private.name);
        }
    }
    text
}

/// The file-local name of private `name` in the rule file numbered `file_index`: a valid
/// Rhai identifier (so calls to it resolve as script calls) that no rule author writes.
pub(super) fn mangled(name: &str, file_index: usize) -> String {
    format!("{name}__private_of_file_{file_index}")
}

fn key(pos: Position) -> (usize, usize) {
    (pos.line().unwrap_or(0), pos.position().unwrap_or(0))
}

struct Found {
    privates: Vec<Private>,
    positions: Vec<((usize, usize), String)>,
}

/// Finds the private functions of `text` and every place their names are called or
/// defined: an identifier directly followed by `(` (or `()`), or by `!(` (a call that
/// captures the caller's scope). A variable or property of the same name is left alone.
fn private_calls(tokens: &[(Token, Position)], file_index: usize) -> Found {
    let mut names: Vec<String> = Vec::new();
    for window in tokens.windows(3) {
        if let [
            (Token::Private, _),
            (Token::Fn, _),
            (Token::Identifier(name), _),
        ] = window
            && !names.iter().any(|n| n == name.as_str())
        {
            names.push(name.to_string());
        }
    }
    let privates: Vec<Private> = names
        .into_iter()
        .map(|name| Private {
            mangled: mangled(&name, file_index),
            name,
            file_index,
        })
        .collect();
    let mut positions = Vec::new();
    if privates.is_empty() {
        return Found {
            privates,
            positions,
        };
    }
    for (i, (token, pos)) in tokens.iter().enumerate() {
        let Token::Identifier(name) = token else {
            continue;
        };
        let Some(private) = privates.iter().find(|p| p.name == name.as_str()) else {
            continue;
        };
        // `()` is one token (`Unit`).
        let opens = |at: usize| matches!(tokens.get(at), Some((Token::LeftParen | Token::Unit, _)));
        let bang = matches!(tokens.get(i + 1), Some((Token::Bang, _)));
        let called = opens(i + 1) || (bang && opens(i + 2));
        if called {
            positions.push((key(*pos), private.mangled.clone()));
        }
    }
    Found {
        privates,
        positions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renamed(text: &str) -> Vec<(usize, usize)> {
        let engine = Engine::new_raw();
        let mut positions: Vec<_> = private_calls(&crate::rules::ast::tokens(&engine, text), 3)
            .positions
            .into_iter()
            .map(|(p, name)| {
                assert_eq!(name, "h__private_of_file_3");
                p
            })
            .collect();
        positions.sort();
        positions
    }

    #[test]
    fn calls_and_the_definition_are_renamed_not_variables_or_properties() {
        let text = "private fn h(m) { 1 }\nfn g(m) { let h = m.h; h(m) + h!(m) + h }";
        assert_eq!(renamed(text), vec![(1, 12), (2, 24), (2, 31)]);
    }

    #[test]
    fn public_functions_and_strings_are_left_alone() {
        assert!(renamed("fn h(m) { 1 }\nfn g(m) { h(m) }").is_empty());
        assert_eq!(
            renamed("private fn h() { \"h(\" }\nfn g() { h() }").len(),
            2
        );
    }
}
