//! JSON Schema for every kind of workspace file, written from the declarations the readers
//! read the files with (`load::shape`): an editor that knows the schema completes the keys
//! kinerja reads, shows what each means, and flags an unknown key or a wrong kind of value
//! while a planner types. `kinerja check` stays the judge: some checks need more than a
//! schema says (references between files, rules, a value's digits), and the schema refuses
//! nothing kinerja accepts (the tests hold it to the readers).
//!
//! Draft-07: the latest draft that every version of VS Code's YAML extension
//! (yaml-language-server) reads, and that IntelliJ supports fully; the later drafts add
//! nothing these schemas need. Hover text is given twice, as `description` and as VS Code's
//! `markdownDescription` (which shows `code` as code), and a text that is no plain number
//! gets VS Code's `patternErrorMessage` instead of the pattern quoted.
//!
//! Each value is described as its reader reads it:
//! - a number is a YAML number, or text holding a plain number (`"1_000"`): that is how
//!   the reader takes it, and how an editor sees `158_067_203_000`, which YAML 1.2 (the
//!   editors' default) reads as text;
//! - text may be written as a number (`id: 2022`, `kode: 51`);
//! - an optional key written with no value (`catatan:`) counts as left out, as the reader
//!   takes it; a required one must have a value;
//! - a value whose kind depends on another key being written (a test case's `nilai` and
//!   `hasil`: one number and a band's label beside `tabel`, a list and a number elsewhere)
//!   is either to the key itself, and the mapping says which when (`if`/`then`/`else`).
//!
//! What only `kinerja check` finds: references (a sasaran id, a rule name, a kegiatan code),
//! rules that relate keys (`nilai` or `rumus`, `hasil` or `galat`, a budget row's amounts
//! unless line data gives them, a test case's `tanpa_kategori` in a band lookup only), a
//! band table's bands together (edges that say nothing, overlaps, a blank label), the range of a whole number written as text, a rule input
//! written as a display-format number, numbers beyond 28 digits, a rupiah amount with three
//! decimals, and what a decimal comma inside `{…}` means (an editor sees an unknown key).

use crate::base::files::{Limit, read_regular, write_atomic};
use crate::load::FILE_KINDS;
use crate::load::shape::{self, DataKeys, Field, FileKind, KeyKind, Mapping, Need, Shape};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

#[cfg(test)]
mod tests;

/// The JSON Schema draft the schemas are written in.
const DRAFT: &str = "http://json-schema.org/draft-07/schema#";

/// How a schema kinerja wrote says so: the start of its `$comment`. A file at a schema's
/// place that does not start so is someone else's, and is never replaced.
const WRITTEN_BY: &str = "Written by `kinerja schema`";

/// A plain number written as text, as `number::is_plain` reads it (after trimming).
pub(crate) const PLAIN_NUMBER: &str =
    r"^\s*[+-]?[0-9](?:[0-9_]*[0-9])?(?:\.[0-9](?:[0-9_]*[0-9])?)?\s*$";
/// A whole number written as text: a plain number whose decimals are all zero.
pub(crate) const WHOLE_NUMBER: &str = r"^\s*[+-]?[0-9](?:[0-9_]*[0-9])?(?:\.0(?:[0_]*0)?)?\s*$";
/// What an editor that knows `patternErrorMessage` (VS Code) says of text that is no plain
/// number, instead of quoting the pattern.
const NUMBER_MESSAGE: &str = "Not a plain number: write a dot for decimals and no thousands separators, Rp or % (93.6, 158_067_203_000).";
/// A year as a key (`renstra: {2024: 95}`), as `str::parse::<i32>` reads it.
const YEAR_KEY: &str = r"^[+-]?[0-9]+$";

/// A file at a schema's place is read to tell whether kinerja wrote it; the schemas are tens
/// of kilobytes, so anything past this is someone else's.
const SCHEMA_LIMIT: Limit = Limit {
    bytes: 4 << 20,
    what: "a schema",
};

/// The definition every rule input (`masukan`) refers to.
const INPUT: &str = "masukan";

/// One schema: the kind of file it describes and its text.
pub(crate) struct Schema {
    pub(crate) kind: &'static FileKind,
    pub(crate) text: String,
}

impl Schema {
    /// `indicators.schema.json`.
    pub(crate) fn file_name(&self) -> String {
        file_name(self.kind)
    }
}

pub(crate) fn file_name(kind: &FileKind) -> String {
    format!("{}.schema.json", kind.name)
}

/// Every schema, in the order of [`FILE_KINDS`].
pub(crate) fn all() -> Vec<Schema> {
    FILE_KINDS
        .iter()
        .map(|kind| Schema {
            kind,
            text: text(kind),
        })
        .collect()
}

/// The schema named `name` (a kind's name, `indicators`, or its file name).
pub(crate) fn named(name: &str) -> Option<Schema> {
    let name = name.strip_suffix(".schema.json").unwrap_or(name);
    all().into_iter().find(|s| s.kind.name == name)
}

/// The names [`named`] knows.
pub(crate) fn names() -> Vec<&'static str> {
    FILE_KINDS.iter().map(|k| k.name).collect()
}

/// The schema's text: pretty JSON, keys in declaration order, ending in a newline.
fn text(kind: &FileKind) -> String {
    let mut text = serde_json::to_string_pretty(&document(kind))
        // A `Value` always serialises (its keys are strings).
        .unwrap_or_default();
    text.push('\n');
    text
}

/// The schema of one kind of file, as a JSON value.
pub(crate) fn document(kind: &FileKind) -> Value {
    let mappings = shape::mappings(kind.root);
    let mut uses_input = false;
    let mut definitions = Map::new();
    for m in mappings.iter().skip(1) {
        definitions.insert(m.name.into(), Value::Object(mapping(m, &mut uses_input)));
    }
    let root = mapping(kind.root, &mut uses_input);
    if uses_input {
        definitions.insert(INPUT.into(), input());
    }
    let mut doc = Map::new();
    doc.insert("$schema".into(), DRAFT.into());
    doc.insert(
        "$comment".into(),
        format!(
            "{WRITTEN_BY} from the declarations kinerja reads these files with: regenerate it (`kinerja schema --output DIR`), do not edit it."
        )
        .into(),
    );
    doc.insert("title".into(), kind.title.into());
    for (k, v) in root {
        doc.insert(k, v);
    }
    if kind.may_be_empty {
        // An empty file is accepted (it defines nothing).
        doc.insert("type".into(), json!(["object", "null"]));
    }
    if !definitions.is_empty() {
        doc.insert("definitions".into(), Value::Object(definitions));
    }
    Value::Object(doc)
}

fn mapping(m: &Mapping, uses_input: &mut bool) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("type".into(), "object".into());
    describe(&mut out, m.doc);
    let mut properties = Map::new();
    for f in m.fields {
        properties.insert(f.name.into(), field(f, uses_input));
    }
    if !properties.is_empty() {
        out.insert("properties".into(), Value::Object(properties));
    }
    let required: Vec<&str> = m
        .fields
        .iter()
        .filter(|f| f.need == Need::Required)
        .map(|f| f.name)
        .collect();
    if !required.is_empty() {
        out.insert("required".into(), json!(required));
    }
    match &m.data {
        // Keys are names kinerja knows: any other is a mistake (the reader's Y002).
        None => {
            out.insert("additionalProperties".into(), false.into());
        }
        Some(DataKeys {
            keys: KeyKind::Any,
            value,
            doc,
        }) => {
            let mut v = as_object(shape_schema(value, uses_input));
            describe(&mut v, doc);
            out.insert("additionalProperties".into(), Value::Object(v));
        }
        Some(DataKeys {
            keys: KeyKind::Periode,
            value,
            doc,
        }) => {
            let mut v = as_object(shape_schema(value, uses_input));
            describe(&mut v, doc);
            out.insert(
                "patternProperties".into(),
                json!({ crate::model::Periode::key_pattern(): Value::Object(v) }),
            );
            out.insert("additionalProperties".into(), false.into());
        }
        Some(DataKeys {
            keys: KeyKind::Year,
            value,
            doc,
        }) => {
            let mut v = as_object(shape_schema(value, uses_input));
            describe(&mut v, doc);
            out.insert(
                "patternProperties".into(),
                json!({ YEAR_KEY: Value::Object(v) }),
            );
            out.insert("additionalProperties".into(), false.into());
        }
    }
    let conditions = besides(m, uses_input);
    match conditions.len() {
        0 => {}
        1 => out.extend(conditions.into_iter().flatten()),
        _ => {
            let all: Vec<Value> = conditions.into_iter().map(Value::Object).collect();
            out.insert("allOf".into(), Value::Array(all));
        }
    }
    // An example that does not parse is left out; the tests parse every one.
    let examples: Vec<Value> = (m.examples.iter())
        .filter_map(|e| serde_saphyr::from_str::<Value>(e).ok())
        .collect();
    if !examples.is_empty() {
        out.insert("examples".into(), Value::Array(examples));
    }
    out
}

fn field(f: &Field, uses_input: &mut bool) -> Value {
    let mut out = as_object(field_shape(f, &f.shape, uses_input));
    describe(&mut out, f.doc);
    Value::Object(out)
}

/// `shape` as the value of `f`: or no value at all when `f` is optional.
fn field_shape(f: &Field, shape: &Shape, uses_input: &mut bool) -> Value {
    let schema = shape_schema(shape, uses_input);
    if f.need == Need::Optional {
        nullable(schema)
    } else {
        schema
    }
}

/// For each key that other keys' values depend on ([`Shape::Beside`]), in the order of the
/// first field depending on it: `if` the mapping gives it a value, `then` those keys' shapes
/// beside it, `else` their shapes without it.
fn besides(m: &Mapping, uses_input: &mut bool) -> Vec<Map<String, Value>> {
    let mut keys: Vec<&str> = Vec::new();
    for f in m.fields {
        if let Shape::Beside { key, .. } = f.shape
            && !keys.contains(&key)
        {
            keys.push(key);
        }
    }
    keys.into_iter()
        .map(|key| {
            let mut then = Map::new();
            let mut otherwise = Map::new();
            for f in m.fields {
                if let Shape::Beside {
                    key: k,
                    with,
                    without,
                } = &f.shape
                    && *k == key
                {
                    then.insert(f.name.into(), field_shape(f, with, uses_input));
                    otherwise.insert(f.name.into(), field_shape(f, without, uses_input));
                }
            }
            let mut out = Map::new();
            // Written with no value, an optional key counts as left out.
            out.insert(
                "if".into(),
                json!({
                    "properties": { key: { "not": { "type": "null" } } },
                    "required": [key],
                }),
            );
            out.insert("then".into(), json!({ "properties": then }));
            out.insert("else".into(), json!({ "properties": otherwise }));
            out
        })
        .collect()
}

/// `schema`, or no value at all (`key:`).
fn nullable(schema: Value) -> Value {
    let mut obj = as_object(schema);
    if let Some(Value::Array(any)) = obj.get_mut("anyOf") {
        any.push(json!({ "type": "null" }));
        return Value::Object(obj);
    }
    match obj.get_mut("type") {
        Some(Value::String(t)) => {
            let t = std::mem::take(t);
            obj.insert("type".into(), json!([t, "null"]));
        }
        Some(Value::Array(types)) => types.push("null".into()),
        // A reference, a choice of names (whose list an editor shows when a value is none of
        // them: `null` is not one to suggest) or a choice of shapes: one more choice.
        _ => return json!({ "anyOf": [Value::Object(obj), { "type": "null" }] }),
    }
    Value::Object(obj)
}

fn shape_schema(shape: &Shape, uses_input: &mut bool) -> Value {
    match shape {
        Shape::Text => json!({ "type": ["string", "number"] }),
        Shape::Number => json!({
            "type": ["number", "string"],
            "pattern": PLAIN_NUMBER,
            "patternErrorMessage": NUMBER_MESSAGE,
        }),
        Shape::Whole {
            min,
            max,
            text: true,
        } => json!({
            "type": ["integer", "string"],
            "minimum": min,
            "maximum": max,
            "pattern": WHOLE_NUMBER,
            "patternErrorMessage": format!("a whole number from {min} to {max}"),
        }),
        Shape::Whole {
            min,
            max,
            text: false,
        } => json!({ "type": "integer", "minimum": min, "maximum": max }),
        Shape::Choice(names) => json!({ "enum": names }),
        Shape::List(item) => json!({ "type": "array", "items": shape_schema(item, uses_input) }),
        Shape::Map(m) => json!({ "$ref": format!("#/definitions/{}", m.name) }),
        Shape::OneOrList(item) => {
            let one = shape_schema(item, uses_input);
            json!({ "anyOf": [one.clone(), { "type": "array", "items": one }] })
        }
        Shape::Either(shapes) => {
            let any: Vec<Value> = shapes.iter().map(|s| shape_schema(s, uses_input)).collect();
            json!({ "anyOf": any })
        }
        Shape::Input => {
            *uses_input = true;
            json!({ "$ref": format!("#/definitions/{INPUT}") })
        }
        Shape::Flag => json!({ "type": "boolean" }),
        // Either, to the key itself; the mapping says which when (`besides`).
        Shape::Beside { with, without, .. } => json!({
            "anyOf": [shape_schema(with, uses_input), shape_schema(without, uses_input)],
        }),
    }
}

/// Rule inputs: a number, text, or a list or mapping of inputs; never true/false or
/// nothing (the reader refuses both).
fn input() -> Value {
    let me = format!("#/definitions/{INPUT}");
    let mut out = as_object(json!({
        "type": ["number", "string", "array", "object"],
        "items": { "$ref": me },
        "additionalProperties": { "$ref": me },
    }));
    describe(
        &mut out,
        "A rule input, handed to the rule as written: a number (exact), text, or a list or mapping of inputs: `{n: 330, t: 370}`, `{n: [25, 75], t: [52, 120]}`.",
    );
    Value::Object(out)
}

fn as_object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => {
            let mut m = Map::new();
            m.insert("allOf".into(), json!([other]));
            m
        }
    }
}

/// Hover text: `description` for every editor, `markdownDescription` for VS Code, which
/// then shows `code` as code.
fn describe(out: &mut Map<String, Value>, doc: &str) {
    if doc.is_empty() {
        return;
    }
    out.insert("description".into(), doc.into());
    out.insert("markdownDescription".into(), doc.into());
}

/// What writing a schema did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Written {
    Written,
    /// The file held this schema already: left as it was.
    Unchanged,
}

/// Why the schemas were not written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WriteError {
    #[error(
        "{} is not a schema kinerja wrote; kinerja schema never replaces another file\n  hint: write the schemas into another folder, e.g. --output schema",
        .0.display()
    )]
    Foreign(PathBuf),
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Writes every schema into `dir` (made if missing), each whole or not at all. Nothing is
/// written when any place holds a file that is not a schema kinerja wrote: no workspace
/// reads a `.json` file as its own, so such a file is at most budget line data a budget
/// file names, or someone else's; either way it is kept.
pub(crate) fn write_into(dir: &Path) -> Result<Vec<(PathBuf, Written)>, WriteError> {
    let schemas = all();
    let mut plan = Vec::new();
    for s in &schemas {
        let path = dir.join(s.file_name());
        let written = match existing(&path) {
            Existing::None => Written::Written,
            Existing::Schema(text) if text == s.text => Written::Unchanged,
            Existing::Schema(_) => Written::Written,
            Existing::Other => return Err(WriteError::Foreign(path)),
        };
        plan.push((path, written));
    }
    std::fs::create_dir_all(dir).map_err(|source| WriteError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for ((path, written), s) in plan.iter().zip(&schemas) {
        if *written == Written::Written {
            write_atomic(path, s.text.as_bytes()).map_err(|source| WriteError::Io {
                path: path.clone(),
                source,
            })?;
        }
    }
    Ok(plan)
}

/// How a schema file in a folder compares with the schema kinerja writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    UpToDate,
    Differs,
    Missing,
    /// Something that is not a schema kinerja wrote.
    Foreign,
}

/// Compares the schema files in `dir` with the schemas, writing nothing.
pub(crate) fn compare(dir: &Path) -> Vec<(PathBuf, Status)> {
    all()
        .iter()
        .map(|s| {
            let path = dir.join(s.file_name());
            let status = match existing(&path) {
                Existing::None => Status::Missing,
                Existing::Schema(text) if text == s.text => Status::UpToDate,
                Existing::Schema(_) => Status::Differs,
                Existing::Other => Status::Foreign,
            };
            (path, status)
        })
        .collect()
}

enum Existing {
    None,
    /// A schema kinerja wrote (maybe another version), with its text.
    Schema(String),
    /// Anything else: another file, a folder, a pipe, unreadable.
    Other,
}

fn existing(path: &Path) -> Existing {
    if path.symlink_metadata().is_err() {
        return Existing::None;
    }
    // Only a regular file of a sane size is opened (never a pipe that would block).
    let Ok(bytes) = read_regular(path, SCHEMA_LIMIT) else {
        return Existing::Other;
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Existing::Other;
    };
    let ours = serde_json::from_str::<Value>(&text).is_ok_and(|v| {
        v.get("$comment")
            .and_then(Value::as_str)
            .is_some_and(|c| c.starts_with(WRITTEN_BY))
    });
    if ours {
        Existing::Schema(text)
    } else {
        Existing::Other
    }
}

/// The modeline that makes yaml-language-server (VS Code's YAML extension, and the editors
/// that use it) apply a schema to a file. Since its version 1.24 it reads only comments
/// before the file's content; earlier versions read it anywhere.
pub(crate) fn modeline(schema_path: &str) -> String {
    format!("# yaml-language-server: $schema={schema_path}")
}

/// The `yaml.schemas` setting of VS Code's YAML extension that applies the schemas in
/// `folder` (relative to the workspace) to the files each describes.
pub(crate) fn vscode_settings(folder: &str) -> String {
    let mut schemas = Map::new();
    for kind in FILE_KINDS {
        schemas.insert(format!("./{folder}/{}", file_name(kind)), json!(kind.files));
    }
    let settings = json!({ "yaml.schemas": Value::Object(schemas) });
    let mut text = serde_json::to_string_pretty(&settings).unwrap_or_default();
    text.push('\n');
    text
}
