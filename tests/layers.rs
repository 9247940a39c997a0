//! The library's layers, checked from its source: no module imports a module that imports
//! it back (directly or through others), and each top-level module imports only from its
//! own layer or the layers below it (README, "Architecture").
//!
//! Every `use` of the crate's modules (`crate::…`, `super::…`) and every path written in
//! code counts as an import of the module it names; a module's `tests` file counts as the
//! module itself. Comments and strings are not read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules, layer by layer from the bottom. A module may import from its own
/// layer (without a cycle) and from every layer below.
const LAYERS: &[&[&str]] = &[
    &["base"],
    &["generate"],
    &["model"],
    &["load"],
    &["schema"],
    &["validate"],
    &["rules"],
    &["eval"],
    &[
        "audit",
        "explain",
        "diff",
        "snapshot",
        "whatif",
        "rule_tests",
    ],
    &["analysis"],
    &["report"],
    &["watch"],
    &["serve"],
    &["cli", "bench"],
];

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let graph = Graph::of(&src());
    let cycles = graph.cycles();
    assert!(
        cycles.is_empty(),
        "modules that import each other:\n{}",
        cycles
            .iter()
            .map(|c| format!("  {}", graph.describe(c)))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn every_module_imports_only_its_layer_and_those_below() {
    let graph = Graph::of(&src());
    let layer = |module: &str| {
        let top = module.split("::").next().unwrap_or(module);
        LAYERS.iter().position(|l| l.contains(&top))
    };
    let mut wrong = Vec::new();
    for (from, tos) in &graph.edges {
        let Some(own) = layer(from) else {
            wrong.push(format!(
                "{from} is in no layer: add it to LAYERS and the README"
            ));
            continue;
        };
        for to in tos {
            match layer(to) {
                Some(l) if l <= own => {}
                Some(_) => wrong.push(format!(
                    "{from} imports {to} from a layer above it ({})",
                    graph.places[&(from.clone(), to.clone())]
                )),
                None => wrong.push(format!("{to} is in no layer")),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The checker itself: a cycle through `super::` and a glob, a layer inversion, and what
/// must not count (comments, strings, a module's own tests file).
#[test]
fn the_checker_finds_cycles_and_ignores_comments() {
    let tmp = tempfile::tempdir().expect("tmp");
    let write = |path: &str, text: &str| {
        let p = tmp.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    write("lib.rs", "mod a;\nmod b;\n");
    write(
        "a/mod.rs",
        "mod inner;\npub use inner::X;\n// crate::b::Y in a comment\n",
    );
    write(
        "a/inner.rs",
        "use super::*;\nfn f() -> &'static str { \"crate::b::Y\" }\n",
    );
    write("a/tests.rs", "use super::X;\nuse crate::b::{self, Y};\n");
    write("b.rs", "pub struct Y;\n");
    let graph = Graph::of(tmp.path());
    assert_eq!(
        graph
            .edges
            .get("a")
            .map(|s| s.iter().cloned().collect::<Vec<_>>()),
        Some(vec!["a::inner".to_string(), "b".to_string()]),
        "{:?}",
        graph.edges
    );
    assert_eq!(
        graph
            .cycles()
            .iter()
            .map(|c| c.join(" "))
            .collect::<Vec<_>>(),
        ["a a::inner"]
    );
}

#[test]
fn the_checker_counts_doc_links() {
    let tmp = tempfile::tempdir().expect("tmp");
    let write = |path: &str, text: &str| {
        let p = tmp.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    write("lib.rs", "mod y;\n");
    write("y/mod.rs", "mod tree;\nmod traps;\n");
    write(
        "y/tree.rs",
        "/// Reported by [`super::traps`]; not by `super::other` (no link).\npub struct Node;\n",
    );
    write(
        "y/traps.rs",
        "use super::tree::Node;\n// [`crate::y`] in a plain comment\n",
    );
    let graph = Graph::of(tmp.path());
    assert_eq!(
        graph
            .cycles()
            .iter()
            .map(|c| c.join(" "))
            .collect::<Vec<_>>(),
        ["y::traps y::tree"]
    );
}

/// A doc link is a dependency too (rustdoc resolves it, and a reader follows it): a module
/// links only to its own layer and those below; a layer above is named in plain text.
#[test]
fn doc_links_point_only_down() {
    let layer = |top: &str| LAYERS.iter().position(|l| l.contains(&top));
    let mut wrong = Vec::new();
    let mut files = Vec::new();
    collect_rs(&src(), &mut files);
    for file in files {
        let rel = file
            .strip_prefix(src())
            .unwrap_or(&file)
            .to_string_lossy()
            .into_owned();
        let top = rel.split(['/', '.']).next().unwrap_or_default().to_string();
        let Some(own) = layer(&top) else { continue };
        let text = std::fs::read_to_string(&file).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            let doc = line.trim_start();
            if !(doc.starts_with("//!") || doc.starts_with("///")) {
                continue;
            }
            for (at, _) in doc.match_indices("crate::") {
                let target: String = doc[at + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if layer(&target).is_some_and(|l| l > own) {
                    wrong.push(format!(
                        "{rel}:{}: links to `{target}`, a layer above",
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The paths of this crate that doc comments link to (`` [`super::traps`] ``,
/// `` [`crate::watch`] ``), each with its line.
fn doc_links(source: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in source.lines().enumerate() {
        let doc = line.trim_start();
        if !(doc.starts_with("//!") || doc.starts_with("///")) {
            continue;
        }
        for part in doc.split("[`").skip(1) {
            let Some((path, _)) = part.split_once("`]") else {
                continue;
            };
            if ["crate::", "super::", "self::"]
                .iter()
                .any(|p| path.starts_with(p))
            {
                out.push((n + 1, path.to_string()));
            }
        }
    }
    out
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Modules and the modules each imports.
struct Graph {
    edges: BTreeMap<String, BTreeSet<String>>,
    /// Where each import is written: `file:line`.
    places: BTreeMap<(String, String), String>,
}

impl Graph {
    fn of(root: &Path) -> Graph {
        let mut files = Vec::new();
        walk(root, &mut files);
        let modules: BTreeMap<String, PathBuf> = files
            .iter()
            .filter_map(|f| module_of(root, f).map(|m| (m, f.clone())))
            .collect();
        let known: BTreeSet<&str> = modules.keys().map(String::as_str).collect();
        let mut graph = Graph {
            edges: BTreeMap::new(),
            places: BTreeMap::new(),
        };
        for file in &files {
            let Some(module) = module_of(root, file) else {
                continue;
            };
            if module == "crate" {
                continue;
            }
            let source = std::fs::read_to_string(file).expect("readable source");
            let text = strip(&source);
            // The module paths are written in: a `tests.rs` file is its module's `tests`
            // child, and so is an inline `mod tests { … }` (`super` there is the module).
            let written_in = if file.file_name().is_some_and(|n| n == "tests.rs") {
                format!("{module}::tests")
            } else {
                module.clone()
            };
            let inline = inline_modules(&text);
            // A doc link is an edge too (rustdoc resolves it, and a reader follows it);
            // written at the file's start, it resolves from the file's own module.
            let links = doc_links(&source)
                .into_iter()
                .map(|(line, path)| (0, line, path));
            for (at, line, path) in paths(&text).into_iter().chain(links) {
                let base = match inline.iter().rev().find(|(start, _)| *start < at) {
                    Some((_, name)) => format!("{written_in}::{name}"),
                    None => written_in.clone(),
                };
                let Some(full) = absolute(&path, &base) else {
                    continue;
                };
                let Some(target) = resolve(&full, &known) else {
                    continue;
                };
                // A path relative to the module names one of its own children, or nothing
                // of this crate (`std::…`, another crate's).
                let relative = !path.starts_with("crate") && !path.starts_with("super");
                if relative && !target.starts_with(&format!("{base}::")) {
                    continue;
                }
                if target == module || target == "crate" {
                    continue;
                }
                graph
                    .edges
                    .entry(module.clone())
                    .or_default()
                    .insert(target.clone());
                graph
                    .places
                    .entry((module.clone(), target))
                    .or_insert_with(|| {
                        format!(
                            "{}:{line}",
                            file.strip_prefix(root).unwrap_or(file).display()
                        )
                    });
            }
        }
        graph
    }

    /// Every group of modules that import each other (strongly connected components of
    /// more than one module), by Tarjan's algorithm.
    fn cycles(&self) -> Vec<Vec<String>> {
        struct State<'a> {
            graph: &'a Graph,
            index: BTreeMap<&'a str, usize>,
            low: BTreeMap<&'a str, usize>,
            stack: Vec<&'a str>,
            on_stack: BTreeSet<&'a str>,
            next: usize,
            out: Vec<Vec<String>>,
        }
        fn visit<'a>(s: &mut State<'a>, v: &'a str) {
            s.index.insert(v, s.next);
            s.low.insert(v, s.next);
            s.next += 1;
            s.stack.push(v);
            s.on_stack.insert(v);
            for w in s.graph.edges.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let lw = s.low[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(lw));
                } else if s.on_stack.contains(w) {
                    let iw = s.index[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(iw));
                }
            }
            if s.low[v] == s.index[v] {
                let mut component = Vec::new();
                while let Some(w) = s.stack.pop() {
                    s.on_stack.remove(w);
                    component.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    s.out.push(component);
                }
            }
        }
        let mut s = State {
            graph: self,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: Vec::new(),
            on_stack: BTreeSet::new(),
            next: 0,
            out: Vec::new(),
        };
        let nodes: Vec<&str> = self.edges.keys().map(String::as_str).collect();
        for v in nodes {
            if !s.index.contains_key(v) {
                visit(&mut s, v);
            }
        }
        s.out
    }

    /// A cycle's imports, with where each is written.
    fn describe(&self, component: &[String]) -> String {
        let mut parts = Vec::new();
        for from in component {
            for to in self.edges.get(from).into_iter().flatten() {
                if component.contains(to) {
                    parts.push(format!(
                        "{from} → {to} ({})",
                        self.places[&(from.clone(), to.clone())]
                    ));
                }
            }
        }
        parts.join("; ")
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("source folder")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// `load/yaml/scan.rs` → `load::yaml::scan`; `lib.rs` → `crate`; a `tests.rs` file is its
/// module's; `main.rs` is the binary, not the library.
fn module_of(root: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(root).ok()?;
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop()?;
    match last.as_str() {
        "main.rs" if parts.is_empty() => return None,
        "lib.rs" if parts.is_empty() => return Some("crate".into()),
        "mod.rs" | "tests.rs" => {}
        other => parts.push(other.trim_end_matches(".rs").to_string()),
    }
    if parts.is_empty() {
        return Some("crate".into());
    }
    Some(parts.join("::"))
}

/// The text without comments and string literals (their contents become spaces, so that
/// line numbers stay).
fn strip(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let b: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == '/' && b.get(i + 1) == Some(&'/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && b.get(i + 1) == Some(&'*') {
            i += 2;
            while i < b.len() && !(b[i] == '*' && b.get(i + 1) == Some(&'/')) {
                out.push(if b[i] == '\n' { '\n' } else { ' ' });
                i += 1;
            }
            i += 2;
        } else if c == 'r' && (b.get(i + 1) == Some(&'#') || b.get(i + 1) == Some(&'"')) {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                out.push(if b[j] == '\n' { '\n' } else { ' ' });
                j += 1;
            }
            i = j;
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                out.push(if b.get(i) == Some(&'\n') { '\n' } else { ' ' });
                i += 1;
            }
            i += 1;
        } else if c == '\'' && b.get(i + 2) == Some(&'\'') {
            // A character literal such as '"'.
            i += 3;
        } else if c == '\'' && b.get(i + 1) == Some(&'\\') {
            while i < b.len() && !(b[i] == '\'' && i > 0 && b[i - 1] != '\\') {
                i += 1;
            }
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Where each inline module (`mod name { … }`) opens, with its name. (Inline modules are
/// test modules, at the end of their file.)
fn inline_modules(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = find_word(text, "mod", from) {
        let rest = &text[at + 3..];
        let name: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let after = rest.trim_start()[name.len()..].trim_start();
        if !name.is_empty() && after.starts_with('{') {
            out.push((at, name));
        }
        from = at + 3;
    }
    out
}

/// Every path into the crate written in `text`, with its place and line: the paths of each
/// `use` tree flattened, and `crate::…` / `super::…` paths elsewhere.
fn paths(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let line_of = |at: usize| text[..at].matches('\n').count() + 1;
    // `use` statements, their trees flattened.
    let mut search = 0;
    while let Some(found) = find_word(text, "use", search) {
        let end = text[found..].find(';').map_or(text.len(), |e| found + e);
        let tree = text[found + 3..end].trim();
        let mut flat = Vec::new();
        flatten(tree, "", &mut flat);
        // Every path: one relative to the module (`use inner::X` in a `mod.rs`) is told
        // from an outside crate's by whether it names a module (see `Graph::of`).
        for p in flat {
            out.push((found, line_of(found), p));
        }
        search = end;
    }
    // Paths in code.
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(start) {
            let at = from + i;
            let before = text[..at].chars().next_back();
            let in_use = text[..at].rfind("use ").is_some_and(|u| {
                !text[u..at].contains(';') && find_word(text, "use", u) == Some(u)
            });
            // `pub(in crate::x)` is a visibility, not an import.
            let visibility = text[..at].ends_with("pub(in ");
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
                && !in_use
                && !visibility
            {
                let len = text[at..]
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .unwrap_or(text.len() - at);
                out.push((
                    at,
                    line_of(at),
                    text[at..at + len].trim_end_matches(':').to_string(),
                ));
            }
            from = at + start.len();
        }
    }
    out
}

/// The position of `word` standing alone at or after `from`.
fn find_word(text: &str, word: &str, mut from: usize) -> Option<usize> {
    while let Some(i) = text[from..].find(word) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && after.is_some_and(char::is_whitespace)
        {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn flatten(tree: &str, prefix: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    if tree.is_empty() {
        return;
    }
    match tree.find('{') {
        Some(open) => {
            let head = tree[..open].trim().trim_end_matches("::");
            let close = tree.rfind('}').unwrap_or(tree.len());
            let inner = &tree[open + 1..close];
            let base = join(prefix, head);
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        flatten(&inner[start..i], &base, out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            flatten(&inner[start..], &base, out);
        }
        None => {
            let path = tree.split(" as ").next().unwrap_or(tree).trim();
            let path = path.strip_suffix("::self").unwrap_or(path);
            if path == "self" {
                out.push(prefix.to_string());
            } else {
                out.push(join(prefix, path));
            }
        }
    }
}

fn join(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (true, _) => path.to_string(),
        (_, true) => prefix.to_string(),
        _ => format!("{prefix}::{path}"),
    }
}

/// `path` from the crate root, written in module `own`: `crate::…`, `super::…`, `self::…`,
/// or relative to `own` (which names a module of the crate only if it is one of `own`'s).
fn absolute(path: &str, own: &str) -> Option<String> {
    let mut parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
    if parts.first() == Some(&"crate") {
        parts.remove(0);
        return Some(parts.join("::"));
    }
    if parts.first() == Some(&"self") {
        parts.remove(0);
    }
    let mut base: Vec<&str> = own.split("::").collect();
    while parts.first() == Some(&"super") {
        parts.remove(0);
        base.pop()?;
    }
    base.extend(parts);
    Some(base.join("::"))
}

/// The longest prefix of `path` that is a module.
fn resolve(path: &str, known: &BTreeSet<&str>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|p| known.contains(p.as_str()))
}
