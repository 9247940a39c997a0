//! What each workspace file may hold, declared once: every mapping's keys, what each key's
//! value is, and what it means, in the planners' words.
//!
//! The readers take their keys from these declarations: a [`MapReader`] is made for one
//! [`Mapping`], suggests among its keys for a misspelt one, and (in debug builds) refuses to
//! be asked for a key the mapping does not declare. JSON Schema for editors is written from
//! the same declarations (`kinerja schema`), so an editor offers and checks exactly the keys
//! kinerja reads; the schema module's tests hold the two to each other on every key and
//! every kind of value.
//!
//! [`MapReader`]: super::yaml::MapReader

/// What a value may be, as its reader reads it.
#[derive(Debug)]
pub(crate) enum Shape {
    /// Text. A number is read as the text it was written as (`id: 2022`, `kode: 51`).
    Text,
    /// A plain number (a dot for decimals, `_` between digits): a YAML number, or text
    /// holding one (`"1_000"`); see [`crate::base::number::is_plain`].
    Number,
    /// A whole number from `min` to `max`; text holding one too when `text`.
    Whole {
        min: i64,
        max: i64,
        text: bool,
    },
    /// One of these names.
    Choice(&'static [&'static str]),
    List(&'static Shape),
    Map(&'static Mapping),
    /// One value, or a list of them.
    OneOrList(&'static Shape),
    /// Any one of these.
    Either(&'static [Shape]),
    /// A rule's inputs: numbers, text, and lists and mappings of them, nested to any depth.
    Input,
    /// `true`, or `false`: the same as leaving the key out.
    Flag,
    /// One shape where the mapping also gives `key` a value, another where it does not: a
    /// rule test case's `nilai` is one number beside `tabel` (a band lookup), a list
    /// elsewhere (a rollup).
    Beside {
        key: &'static str,
        with: &'static Shape,
        without: &'static Shape,
    },
}

/// Whether a key must be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Need {
    Required,
    /// May be left out; written with no value (`key:`, `key: null`) it counts as left out.
    Optional,
    /// May be left out, but written with no value it is an error (an unfinished `target:`).
    NotEmpty,
}

/// One key of a mapping.
#[derive(Debug)]
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) shape: Shape,
    pub(crate) need: Need,
    /// What it means, for an editor's hover text.
    pub(crate) doc: &'static str,
}

impl Field {
    pub(crate) const fn req(name: &'static str, shape: Shape, doc: &'static str) -> Field {
        Field {
            name,
            shape,
            need: Need::Required,
            doc,
        }
    }

    pub(crate) const fn opt(name: &'static str, shape: Shape, doc: &'static str) -> Field {
        Field {
            name,
            shape,
            need: Need::Optional,
            doc,
        }
    }
}

/// Keys that are data rather than names kinerja knows (Renstra years, a table's columns).
#[derive(Debug)]
pub(crate) struct DataKeys {
    pub(crate) keys: KeyKind,
    pub(crate) value: Shape,
    pub(crate) doc: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyKind {
    /// A year, `2024` (read as a whole number, sign allowed).
    Year,
    /// Any name.
    Any,
    /// A reporting period: `TW2`, `Triwulan II`, `S1`, `Juni` (`model::Periode::parse`).
    Periode,
}

/// A mapping a file holds somewhere: its keys, and keys that are data.
#[derive(Debug)]
pub(crate) struct Mapping {
    /// How messages name it: "an indikator".
    pub(crate) what: &'static str,
    /// Its name among a schema's definitions: `indikator`.
    pub(crate) name: &'static str,
    pub(crate) doc: &'static str,
    pub(crate) fields: &'static [Field],
    pub(crate) data: Option<DataKeys>,
    /// Small complete instances, in YAML flow style: the schema's examples, and where the
    /// tests put each key's values to see what the reader makes of them (a key is tried in
    /// the first example that has it, so that a key read only beside others, such as a test
    /// case's `pagu`, is tried where it is read).
    pub(crate) examples: &'static [&'static str],
}

impl Mapping {
    pub(crate) fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub(crate) fn keys(&self) -> Vec<&'static str> {
        self.fields.iter().map(|f| f.name).collect()
    }
}

/// A kind of workspace file: where such files are, and the mapping each holds.
#[derive(Debug)]
pub(crate) struct FileKind {
    /// The schema's name: `indicators`.
    pub(crate) name: &'static str,
    /// The files, as globs relative to the workspace.
    pub(crate) files: &'static [&'static str],
    pub(crate) title: &'static str,
    pub(crate) root: &'static Mapping,
    /// Whether an empty file is accepted (only the manifest must say something).
    pub(crate) may_be_empty: bool,
}

/// Every mapping reachable from `root`, each once, `root` first.
pub(crate) fn mappings(root: &'static Mapping) -> Vec<&'static Mapping> {
    fn visit(shape: &'static Shape, out: &mut Vec<&'static Mapping>) {
        match shape {
            Shape::Map(m) => walk(m, out),
            Shape::List(s) | Shape::OneOrList(s) => visit(s, out),
            Shape::Either(shapes) => shapes.iter().for_each(|s| visit(s, out)),
            Shape::Beside { with, without, .. } => {
                visit(with, out);
                visit(without, out);
            }
            Shape::Text
            | Shape::Number
            | Shape::Whole { .. }
            | Shape::Choice(_)
            | Shape::Input
            | Shape::Flag => {}
        }
    }
    fn walk(m: &'static Mapping, out: &mut Vec<&'static Mapping>) {
        // By address: two mappings may share a name only by mistake, which a test catches.
        if out.iter().any(|seen| std::ptr::eq(*seen, m)) {
            return;
        }
        out.push(m);
        for f in m.fields {
            visit(&f.shape, out);
        }
        if let Some(d) = &m.data {
            visit(&d.value, out);
        }
    }
    let mut out = Vec::new();
    walk(root, &mut out);
    out
}
