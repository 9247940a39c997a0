//! The schemas against the readers they are written from, key by key and value by value,
//! and against every YAML file of the repository.
//!
//! The readers and the schemas share their keys by construction (`load::shape`; a reader
//! that asks for an undeclared key fails its debug assertion, which these tests reach). What
//! is tested here is that they also agree on the values: every key of every mapping of every
//! kind of file is given values of every kind, inside an otherwise valid file, and the
//! reader refuses exactly what the schema refuses. The few places where the schema is
//! knowingly looser than the reader are listed ([`looser`], [`CONTEXTUAL`]).

use super::*;
use crate::base::diagnostic::Code;
use crate::base::number::parse_plain;
use crate::load;
use proptest::prelude::*;
use std::collections::BTreeMap;

const REPO: &str = env!("CARGO_MANIFEST_DIR");

fn validator(kind: &FileKind) -> jsonschema::Validator {
    jsonschema::draft7::new(&document(kind))
        .unwrap_or_else(|e| panic!("the {} schema does not compile: {e}", kind.name))
}

/// Where the schema finds `doc` wrong, one line each.
fn schema_errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn example(m: &Mapping, i: usize) -> Value {
    serde_saphyr::from_str::<Value>(m.examples[i])
        .unwrap_or_else(|e| panic!("example {i} of {} does not parse: {e}", m.name))
}

/// The codes a reader gives for a key or a value it does not take.
const REFUSALS: [Code; 6] = [
    Code::UnknownKey,
    Code::MissingKey,
    Code::WrongType,
    Code::NumberFormat,
    Code::OutOfRange,
    // A key of values per period that is no period (`TW5`), or a period reported that is
    // none of the calendar's.
    Code::PeriodUnknown,
];

/// What the reader of `kind` refuses in `doc` (written as JSON, which is YAML).
fn refusals(kind: &FileKind, doc: &Value) -> Vec<String> {
    let text = serde_json::to_string(doc).expect("a JSON value writes");
    let mut out: Vec<String> = load::read_as(kind, &text)
        .into_iter()
        .filter(|d| REFUSALS.contains(&d.code))
        .map(|d| format!("{}: {}", d.code.as_str(), d.message))
        .collect();
    out.sort();
    out
}

/// `instance` of `target` inside a whole file of `kind`, every mapping on the way given as
/// its first example that has the key it is under (a band table in a test case that looks
/// a value up in it), or under the first data key of its first example.
fn place(kind: &FileKind, target: &Mapping, instance: &Value) -> Value {
    fn in_map(
        m: &'static Mapping,
        target: &Mapping,
        instance: &Value,
        seen: &mut Vec<&'static Mapping>,
    ) -> Option<Value> {
        if std::ptr::eq(m, target) {
            return Some(instance.clone());
        }
        if seen.iter().any(|s| std::ptr::eq(*s, m)) {
            return None;
        }
        seen.push(m);
        let under_key = m.fields.iter().find_map(|f| {
            // Under a key whose shape depends on another's ([`Shape::Beside`]): in an
            // example that gives the other key for its shape beside it, one that does not
            // for its shape without it.
            if let Shape::Beside {
                key,
                with: beside,
                without: alone,
            } = &f.shape
            {
                let has = |e: &Value, k: &str| e.get(k).is_some_and(|v| !v.is_null());
                let base = |given: bool| {
                    (0..m.examples.len())
                        .map(|i| example(m, i))
                        .find(|e| has(e, f.name) && has(e, key) == given)
                };
                if let Some(inner) = in_shape(beside, target, instance, seen) {
                    return Some(with(&base(true)?, f.name, inner));
                }
                let inner = in_shape(alone, target, instance, seen)?;
                return Some(with(&base(false)?, f.name, inner));
            }
            let inner = in_shape(&f.shape, target, instance, seen)?;
            Some(with(&base_for(m, f.name), f.name, inner))
        });
        under_key.or_else(|| {
            let inner = in_shape(&m.data.as_ref()?.value, target, instance, seen)?;
            let base = example(m, 0);
            let key = base.as_object()?.keys().next()?.clone();
            Some(with(&base, &key, inner))
        })
    }
    fn in_shape(
        shape: &'static Shape,
        target: &Mapping,
        instance: &Value,
        seen: &mut Vec<&'static Mapping>,
    ) -> Option<Value> {
        match shape {
            Shape::Map(m) => in_map(m, target, instance, seen),
            Shape::List(s) | Shape::OneOrList(s) => {
                in_shape(s, target, instance, seen).map(|v| json!([v]))
            }
            Shape::Either(shapes) => shapes
                .iter()
                .find_map(|s| in_shape(s, target, instance, seen)),
            Shape::Beside { with, without, .. } => in_shape(with, target, instance, seen)
                .or_else(|| in_shape(without, target, instance, seen)),
            _ => None,
        }
    }
    in_map(kind.root, target, instance, &mut Vec::new())
        .unwrap_or_else(|| panic!("{} is not in a {} file", target.name, kind.name))
}

fn with(base: &Value, key: &str, value: Value) -> Value {
    let mut out = base.clone();
    if let Some(m) = out.as_object_mut() {
        m.insert(key.into(), value);
    }
    out
}

fn without(base: &Value, key: &str) -> Value {
    let mut out = base.clone();
    if let Some(m) = out.as_object_mut() {
        m.shift_remove(key);
    }
    out
}

/// The example of `m` to try `key` in: the first that has it, else the first.
fn base_for(m: &Mapping, key: &str) -> Value {
    (0..m.examples.len())
        .map(|i| example(m, i))
        .find(|e| e.get(key).is_some())
        .unwrap_or_else(|| example(m, 0))
}

/// The examples of `m` to try `f` in: for a key whose value depends on another key being
/// written ([`Shape::Beside`]), the first example that has both and the first that has it
/// alone, so that each of its shapes is tried; else [`base_for`].
fn bases_for(m: &Mapping, f: &Field) -> Vec<Value> {
    let Shape::Beside { key, .. } = f.shape else {
        return vec![base_for(m, f.name)];
    };
    let examples: Vec<Value> = (0..m.examples.len()).map(|i| example(m, i)).collect();
    let has = |e: &Value, k: &str| e.get(k).is_some_and(|v| !v.is_null());
    let beside = examples.iter().find(|e| has(e, f.name) && has(e, key));
    let alone = examples.iter().find(|e| has(e, f.name) && !has(e, key));
    match (beside, alone) {
        (Some(b), Some(a)) => vec![b.clone(), a.clone()],
        _ => panic!(
            "{}.{}: an example with `{key}` and one without are needed to try both its shapes",
            m.name, f.name
        ),
    }
}

/// Every mapping of every kind of file, with its kind.
fn every_mapping() -> Vec<(&'static FileKind, &'static Mapping)> {
    FILE_KINDS
        .iter()
        .flat_map(|k| shape::mappings(k.root).into_iter().map(move |m| (*k, m)))
        .collect()
}

/// Values of every kind, and those the shape names (its choices, its mappings' examples).
fn candidates(shape: &Shape) -> Vec<Value> {
    let mut out = vec![
        json!(null),
        json!(true),
        json!("abc"),
        json!("1.234,5"),
        json!("93.6%"),
        json!(" 93.60 "),
        json!("1_000"),
        json!("2022"),
        json!("25"),
        json!(2022),
        json!(93.6),
        json!(-1),
        json!(0),
        json!(21),
        json!(1.5),
        json!(2022.0),
        json!(1899),
        json!(2201),
        json!([]),
        json!([1]),
        json!(["abc"]),
        json!([true]),
        json!({"zzz": 1}),
        json!({"n": 1, "t": [2, 3]}),
    ];
    named_values(shape, &mut out);
    out
}

fn named_values(shape: &Shape, out: &mut Vec<Value>) {
    match shape {
        Shape::Choice(names) => out.extend(names.iter().map(|n| json!(n))),
        Shape::Map(m) => out.extend((0..m.examples.len()).map(|i| example(m, i))),
        Shape::List(s) | Shape::OneOrList(s) => {
            let mut inner = Vec::new();
            named_values(s, &mut inner);
            out.extend(inner.iter().map(|v| json!([v])));
            out.extend(inner);
        }
        Shape::Either(shapes) => shapes.iter().for_each(|s| named_values(s, out)),
        Shape::Beside { with, without, .. } => {
            named_values(with, out);
            named_values(without, out);
        }
        Shape::Whole { text: false, .. } => out.push(json!("2")),
        Shape::Flag => out.push(json!(false)),
        Shape::Text | Shape::Number | Shape::Whole { .. } | Shape::Input => {}
    }
}

/// Values the schema accepts and the reader refuses, knowingly: what a schema cannot say.
/// - a whole number written as text is checked against its range by the reader only
///   (`desimal: "25"`);
/// - a rule input written as a display-format number (`"1.234,5"`, `"93.6%"`) is text to
///   the schema; the reader reports the number format (Y005).
fn looser(shape: &Shape, v: &Value) -> bool {
    match (shape, v) {
        (Shape::Whole { text: true, .. }, Value::String(s)) => parse_plain(s).is_ok(),
        (Shape::Input, Value::String(s)) => {
            matches!(
                parse_plain(s),
                Err(crate::base::number::NumberError::NotPlain { .. })
            )
        }
        (Shape::Either(shapes), _) => shapes.iter().any(|s| looser(s, v)),
        (Shape::Beside { with, without, .. }, _) => looser(with, v) || looser(without, v),
        _ => false,
    }
}

/// Keys whose values the reader checks against the workspace's manifest, which a schema
/// cannot see, knowingly: a budget row's children, a budget file's top rows and the line
/// data's level columns are levels only where `anggaran.tingkat` names them (the row's
/// children only the level after its own); and the names `anggaran.tingkat` gives are
/// checked by the reader alone (at least one, lower case, none a row's own key, each once).
/// The schema offers every level of both schemes' defaults everywhere.
///
/// The period reported is one of its calendar's, which the other key of `periode` names:
/// the schema offers every calendar's periods, and any calendar.
fn by_the_manifest(mapping: &str, key: &str) -> bool {
    (matches!(mapping, "baris" | "budgets" | "kolom") && crate::model::KNOWN_LEVELS.contains(&key))
        || (mapping, key) == ("anggaran", "tingkat")
        || (mapping == "periode" && matches!(key, "kalender" | "laporan"))
}

/// Keys a reader requires in some files only: a budget row's amounts, unless the file's
/// line data (`rincian_csv`) supplies them or it holds rows (it is then their sum). A row's
/// schema cannot see its file's keys, so it leaves them optional.
const CONTEXTUAL: [(&str, &str); 4] = [
    ("baris", "pagu"),
    ("baris", "realisasi"),
    ("jenis_belanja", "pagu"),
    ("jenis_belanja", "realisasi"),
];

#[test]
fn every_example_is_valid_to_the_reader_and_the_schema() {
    for (kind, m) in every_mapping() {
        let v = validator(kind);
        for i in 0..m.examples.len() {
            let doc = place(kind, m, &example(m, i));
            assert_eq!(
                refusals(kind, &doc),
                Vec::<String>::new(),
                "example {i} of {} in a {} file: {doc}",
                m.name,
                kind.name
            );
            assert_eq!(
                schema_errors(&v, &doc),
                Vec::<String>::new(),
                "example {i} of {} in a {} file: {doc}",
                m.name,
                kind.name
            );
        }
    }
}

/// Every key of every mapping, given values of every kind: the reader refuses what the
/// schema refuses, and takes what it takes.
#[test]
fn the_reader_and_the_schema_take_the_same_values() {
    let mut disagreements = Vec::new();
    let mut checked = 0;
    for kind in FILE_KINDS {
        let v = validator(kind);
        for m in shape::mappings(kind.root) {
            for f in m.fields {
                let contextual = CONTEXTUAL.contains(&(m.name, f.name));
                let mut took = 0;
                let mut refused = 0;
                for base in bases_for(m, f) {
                    let absent_doc = place(kind, m, &without(&base, f.name));
                    let absent = refusals(kind, &absent_doc);
                    let schema_absent = v.is_valid(&absent_doc);
                    for value in candidates(&f.shape) {
                        let doc = place(kind, m, &with(&base, f.name, value.clone()));
                        let reader = refusals(kind, &doc);
                        let schema_valid = v.is_valid(&doc);
                        checked += 1;
                        // An optional key with no value is the key left out, to the reader and
                        // to the schema; so is a flag written `false`.
                        let left_out = f.need == Need::Optional
                            && (value.is_null()
                                || (matches!(f.shape, Shape::Flag) && value == json!(false)));
                        let (reader_ok, schema_ok) = if left_out {
                            if contextual {
                                continue;
                            }
                            (reader == absent, schema_valid == schema_absent)
                        } else {
                            (reader.is_empty(), schema_valid)
                        };
                        if reader_ok {
                            took += 1;
                        } else {
                            refused += 1;
                        }
                        let agree = reader_ok == schema_ok
                            || (!reader_ok
                                && schema_ok
                                && (looser(&f.shape, &value) || by_the_manifest(m.name, f.name)));
                        if !agree {
                            disagreements.push(format!(
                                "{}.{} = {value} in a {} file: the reader {}, the schema {}\n    reader: {reader:?}\n    schema: {:?}",
                                m.name,
                                f.name,
                                kind.name,
                                if reader_ok { "takes it" } else { "refuses it" },
                                if schema_ok { "takes it" } else { "refuses it" },
                                schema_errors(&v, &doc),
                            ));
                        }
                    }
                }
                // Each key is tried with something it takes and something it refuses.
                assert!(
                    took > 0 && refused > 0,
                    "{}.{}: took {took}, refused {refused}",
                    m.name,
                    f.name
                );
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {checked} disagree:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

/// A required key left out is refused by both; an optional one is never required by the
/// reader outright (it may be by a rule that relates keys, such as `nilai` or `rumus`).
#[test]
fn the_reader_and_the_schema_require_the_same_keys() {
    for kind in FILE_KINDS {
        let v = validator(kind);
        for m in shape::mappings(kind.root) {
            for f in m.fields {
                // Left out, a key that others' values depend on ([`Shape::Beside`]) makes
                // them wrong instead (a band lookup's `nilai` without `tabel`): refused by
                // both, but by the reader not as missing. It is left out of an example
                // that has such a value beside it.
                let dependents: Vec<&str> = m
                    .fields
                    .iter()
                    .filter(|o| matches!(o.shape, Shape::Beside { key, .. } if key == f.name))
                    .map(|o| o.name)
                    .collect();
                let depended_on = !dependents.is_empty();
                let base = if depended_on {
                    (0..m.examples.len())
                        .map(|i| example(m, i))
                        .find(|e| {
                            e.get(f.name).is_some()
                                && dependents.iter().any(|d| e.get(*d).is_some())
                        })
                        .unwrap_or_else(|| base_for(m, f.name))
                } else {
                    base_for(m, f.name)
                };
                let doc = place(kind, m, &without(&base, f.name));
                let missing = format!("is missing the required key `{}`", f.name);
                let reader = refusals(kind, &doc);
                let reader_requires = reader.iter().any(|r| r.contains(&missing));
                let schema_requires = !v.is_valid(&doc);
                if CONTEXTUAL.contains(&(m.name, f.name)) {
                    assert!(reader_requires && !schema_requires, "{}.{}", m.name, f.name);
                    continue;
                }
                if depended_on {
                    assert!(
                        f.need != Need::Required
                            && !reader_requires
                            && reader.is_empty() != schema_requires,
                        "{}.{} left out of a {} file: reader {reader:?}",
                        m.name,
                        f.name,
                        kind.name
                    );
                    continue;
                }
                assert_eq!(
                    (reader_requires, schema_requires),
                    (f.need == Need::Required, f.need == Need::Required),
                    "{}.{} left out of a {} file: reader {reader:?}",
                    m.name,
                    f.name,
                    kind.name
                );
            }
        }
    }
}

/// A key a mapping does not know is refused by both; where keys are data (a table's
/// columns, Renstra years), both take a well-formed one and refuse a wrong one.
#[test]
fn the_reader_and_the_schema_refuse_the_same_keys() {
    for (kind, m) in every_mapping() {
        let v = validator(kind);
        let base = example(m, 0);
        let try_key = |key: &str, value: Value| {
            let doc = place(kind, m, &with(&base, key, value));
            (refusals(kind, &doc).is_empty(), v.is_valid(&doc))
        };
        let unknown = try_key("zzz_tak_dikenal", json!(1));
        match &m.data {
            None => assert_eq!(unknown, (false, false), "an unknown key in {}", m.name),
            Some(d) => {
                let (good, bad) = match d.keys {
                    KeyKind::Year => ("2030", "zzz_tak_dikenal"),
                    KeyKind::Any => ("kolom_baru", ""),
                    KeyKind::Periode => ("TW2", "zzz_tak_dikenal"),
                };
                // A value of the data's shape: a number, a text (a rule's name), or a
                // mapping's example (a band table under its name); and one of another kind.
                let (value, wrong) = match &d.value {
                    Shape::Map(inner) => (example(inner, 0), json!("abc")),
                    // A period's inputs (a mapping first), not a number.
                    Shape::Either([Shape::Map(inner), ..]) => (example(inner, 0), json!(95)),
                    Shape::Text => (json!("jumlah"), json!([1])),
                    // Any input but true/false.
                    Shape::Input => (json!({"n": 1}), json!(true)),
                    _ => (json!(95), json!("abc")),
                };
                assert_eq!(
                    try_key(good, value.clone()),
                    (true, true),
                    "{good} in {}",
                    m.name
                );
                assert_eq!(
                    try_key(good, wrong.clone()),
                    (false, false),
                    "{good}: {wrong} in {}",
                    m.name
                );
                assert_eq!(
                    try_key(good, json!(null)),
                    (false, false),
                    "{good}: null in {}",
                    m.name
                );
                if d.keys == KeyKind::Periode {
                    // Every spelling the reader takes, and periods past the calendar's.
                    for key in ["Triwulan II", "tw iv", "S1", "Semester II", "Juni", "Agt"] {
                        assert_eq!(
                            try_key(key, value.clone()),
                            (true, true),
                            "{key} in {}",
                            m.name
                        );
                    }
                    for key in [bad, "TW5", "Q2", "S3"] {
                        assert_eq!(
                            try_key(key, value.clone()),
                            (false, false),
                            "{key} in {}",
                            m.name
                        );
                    }
                }
                if d.keys == KeyKind::Year {
                    assert_eq!(
                        try_key(bad, json!(95)),
                        (false, false),
                        "{bad} in {}",
                        m.name
                    );
                    assert_eq!(
                        try_key("+2030", json!(95)),
                        (true, true),
                        "+2030 in {}",
                        m.name
                    );
                }
            }
        }
    }
}

#[test]
fn whole_files_of_the_wrong_shape_are_refused_by_both() {
    for kind in FILE_KINDS {
        let v = validator(kind);
        for doc in [json!("abc"), json!([1]), json!(5)] {
            assert!(!refusals(kind, &doc).is_empty(), "{doc} as {}", kind.name);
            assert!(!v.is_valid(&doc), "{doc} as {}", kind.name);
        }
        // An empty file defines nothing; only a manifest must say something.
        let empty = load::read_as(kind, "");
        assert_eq!(
            empty.is_empty(),
            kind.may_be_empty,
            "an empty {}",
            kind.name
        );
        assert_eq!(
            v.is_valid(&Value::Null),
            kind.may_be_empty,
            "an empty {}",
            kind.name
        );
    }
}

/// Hand-written mistakes a planner makes, each refused by the reader with its code and by
/// the schema.
#[test]
fn a_planners_mistakes_are_refused_by_both() {
    let kind = |name: &str| FILE_KINDS.iter().find(|k| k.name == name).copied();
    let cases = [
        (
            "kinerja",
            "organisasi: Dit\ntahun: dua ribu dua puluh dua\n",
            Code::WrongType,
        ),
        (
            "kinerja",
            "organisasi: Dit\ntahun: 2022\ntampilan: {fromat: id}\n",
            Code::UnknownKey,
        ),
        (
            "kinerja",
            "organisasi: Dit\ntahun: 2022\ntampilan: {mode: bankers}\n",
            Code::WrongType,
        ),
        (
            "indicators",
            "indikator:\n  - id: IKP1.1\n    nama: Satu\n    sasaran: SP1\n    satuan: persen\n    targt: 90\n    realisasi: 92\n",
            Code::UnknownKey,
        ),
        (
            "indicators",
            "indikator:\n  - id: IKP1.1\n    nama: Satu\n    sasaran: SP1\n    satuan: persen\n    target: 90\n    realisasi: 93,6%\n",
            Code::NumberFormat,
        ),
        (
            "indicators",
            "indikator:\n  - id: IKP1.1\n    nama: Satu\n    sasaran: SP1\n    satuan: persen\n    target: [90]\n    realisasi: 92\n",
            Code::WrongType,
        ),
        (
            "indicators",
            "indikator:\n  - id: IKP1.1\n    nama: Satu\n    sasaran: SP1\n    satuan: persen\n    polaritas: maximal\n    target: 90\n    realisasi: 92\n",
            Code::WrongType,
        ),
        (
            "indicators",
            "sasaran:\n  - {id: SP1, nama: Satu, dicetak: {capaian: 93.42, sumbr: Tabel 3}}\n",
            Code::UnknownKey,
        ),
        (
            "budgets",
            "kegiatan:\n  - nama: Satu\n    pagu: \"1.234.567\"\n    realisasi: 1_000\n",
            Code::NumberFormat,
        ),
        (
            "budgets",
            "kegiatan:\n  - nama: Satu\n    pagu: 1_000\n    realisasi: 900\n    persen: 90\n",
            Code::UnknownKey,
        ),
        (
            "budgets",
            "riwayat:\n  - {tahun: 22, persen: 96.61}\n",
            Code::OutOfRange,
        ),
        (
            "rule-tests",
            "kasus:\n  - {rumus: rasio, masukan: {n: 1, t: 2}, hasl: 50}\n",
            Code::UnknownKey,
        ),
        (
            "rule-tests",
            "kasus:\n  - {rumus: rasio, masukan: {n: 1, t: 2}, hasil: lima puluh}\n",
            Code::WrongType,
        ),
        (
            "rule-tests",
            "kasus:\n  - {rumus: rata_rata, nilai: 77.51, hasil: 77.51}\n",
            Code::WrongType,
        ),
        (
            "rule-tests",
            "kasus:\n  - {rumus: kategori, nilai: [77.51], tabel: predikat_sakip, hasil: BB}\n",
            Code::WrongType,
        ),
        (
            "rule-tests",
            "kasus:\n  - {rumus: kategori, nilai: 1, tabel: t, tanpa_kategori: ya}\n",
            Code::WrongType,
        ),
        (
            "kategori",
            "tabel:\n  sakip:\n    tingkat:\n      - {label: AA, lebih_dari: 90, maks: 100, warna: green}\n",
            Code::WrongType,
        ),
        (
            "kategori",
            "tabel:\n  sakip:\n    tingkat:\n      - {label: AA, lebih_dari: \"90,5\", maks: 100}\n",
            Code::NumberFormat,
        ),
        (
            "kategori",
            "tabel:\n  sakip:\n    tingakt:\n      - {label: AA, lebih_dari: 90, maks: 100}\n",
            Code::UnknownKey,
        ),
        (
            "kategori",
            "tabel:\n  sakip:\n    tingkat:\n      - {lebih_dari: 90, maks: 100}\n",
            Code::MissingKey,
        ),
        (
            "kategori",
            "tabel:\n  sakip:\n    tingkat:\n      - {label: AA, dari: 90, sampai: 100}\n",
            Code::BandEdge,
        ),
    ];
    for (name, text, code) in cases {
        let kind = kind(name).expect("a kind of file");
        let read = load::read_as(kind, text);
        assert!(
            read.iter().any(|d| d.code == code),
            "{name}: {text}\nexpected {code:?}, the reader says {:?}",
            read.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
        let doc = serde_saphyr::from_str::<Value>(text).expect("yaml");
        assert!(
            !validator(kind).is_valid(&doc),
            "{name}: the schema takes\n{text}"
        );
    }
}

/// The workspace files of the repository and of `examples/`: each names its schema in its
/// last line, and is valid to it.
#[test]
fn every_workspace_file_of_the_repository_is_valid_to_its_schema() {
    let repo = Path::new(REPO);
    let mut roots = vec![repo.to_path_buf()];
    let examples = repo.join("examples");
    for entry in std::fs::read_dir(&examples).expect("examples/").flatten() {
        if entry.path().join("kinerja.yaml").is_file() {
            roots.push(entry.path());
        }
    }
    let validators: BTreeMap<&str, jsonschema::Validator> =
        FILE_KINDS.iter().map(|k| (k.name, validator(k))).collect();
    let mut seen = 0;
    let mut wrong = Vec::new();
    for root in &roots {
        let mut files = vec![(root.join("kinerja.yaml"), "kinerja")];
        for (dir, kind) in [
            ("indicators", "indicators"),
            ("budgets", "budgets"),
            ("rules", "rule-tests"),
            ("rules", "kategori"),
        ] {
            let mut found = Vec::new();
            yaml_files(&root.join(dir), &mut found);
            files.extend(
                found
                    .into_iter()
                    .filter(|p| match kind {
                        "rule-tests" => load::rule_tests::is_rule_test(&name(p)),
                        "kategori" => load::kategori::is_band_table(&name(p)),
                        _ => true,
                    })
                    .map(|p| (p, kind)),
            );
        }
        for (path, kind) in files {
            seen += 1;
            let rel = path
                .strip_prefix(repo)
                .unwrap_or(&path)
                .display()
                .to_string();
            let text = std::fs::read_to_string(&path).expect("readable");
            // The modeline, relative to the file as yaml-language-server resolves it, is the
            // last line: a first one would move every line that diagnostics and the README
            // cite. (yaml-language-server reads it there before its version 1.24 only;
            // .vscode/settings.json serves every version.)
            let depth = path
                .parent()
                .and_then(|p| p.strip_prefix(repo).ok())
                .map_or(0, |p| p.components().count());
            let expected = modeline(&format!("{}schema/{kind}.schema.json", "../".repeat(depth)));
            if text.lines().last() != Some(expected.as_str()) {
                wrong.push(format!("{rel}: its last line is not `{expected}`"));
            }
            let doc = serde_saphyr::from_str::<Option<Value>>(&text)
                .unwrap_or_else(|e| panic!("{rel}: {e}"))
                .unwrap_or(Value::Null);
            for e in schema_errors(&validators[kind], &doc) {
                wrong.push(format!("{rel}: {e}"));
            }
        }
    }
    assert!(seen >= 19, "only {seen} files found");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
        }
    }
    out.sort();
}

#[test]
fn the_committed_schemas_are_up_to_date() {
    let stale: Vec<String> = compare(&Path::new(REPO).join("schema"))
        .into_iter()
        .filter(|(_, s)| *s != Status::UpToDate)
        .map(|(p, s)| format!("{}: {s:?}", p.display()))
        .collect();
    assert!(
        stale.is_empty(),
        "the schemas in schema/ are not what the readers' declarations give:\n{}\nregenerate them: cargo run -- schema --output schema",
        stale.join("\n")
    );
}

/// The repository's VS Code settings apply the committed schemas to the files each
/// describes (the route that works with every version of the YAML extension).
#[test]
fn the_repositorys_editor_settings_name_the_schemas() {
    let path = Path::new(REPO).join(".vscode/settings.json");
    let committed: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("read"))
        .expect(".vscode/settings.json is JSON");
    let expected: Value = serde_json::from_str(&vscode_settings("schema")).expect("JSON");
    assert_eq!(
        committed.get("yaml.schemas"),
        expected.get("yaml.schemas"),
        "write the `yaml.schemas` that `kinerja schema` lists into .vscode/settings.json"
    );
}

#[test]
fn the_schemas_are_draft_07_with_unique_definitions() {
    for kind in FILE_KINDS {
        let doc = document(kind);
        if let Err(e) = jsonschema::draft7::meta::validate(&doc) {
            panic!("{}: not a draft-07 schema: {e}", kind.name);
        }
        let mut names: Vec<&str> = shape::mappings(kind.root).iter().map(|m| m.name).collect();
        names.push(INPUT);
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            names.len(),
            count,
            "{}: two definitions share a name",
            kind.name
        );
    }
}

#[test]
fn writing_replaces_only_schemas_kinerja_wrote() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("schema");
    let first = write_into(&out).expect("written");
    assert!(first.iter().all(|(_, w)| *w == Written::Written));
    let again = write_into(&out).expect("written");
    assert!(again.iter().all(|(_, w)| *w == Written::Unchanged));
    assert!(compare(&out).iter().all(|(_, s)| *s == Status::UpToDate));
    // An older version's schema is replaced; someone else's file is not, and then nothing is.
    let budgets = out.join("budgets.schema.json");
    let old = format!("{{\"$comment\": \"{WRITTEN_BY} long ago\"}}");
    std::fs::write(&budgets, &old).expect("write");
    assert_eq!(compare(&out)[2].1, Status::Differs);
    let indicators = out.join("indicators.schema.json");
    std::fs::write(&indicators, "{\"mine\": true}").expect("write");
    assert_eq!(compare(&out)[1].1, Status::Foreign);
    assert!(matches!(write_into(&out), Err(WriteError::Foreign(p)) if p == indicators));
    assert_eq!(std::fs::read_to_string(&budgets).expect("read"), old);
    assert_eq!(
        std::fs::read_to_string(&indicators).expect("read"),
        "{\"mine\": true}"
    );
    std::fs::remove_file(&indicators).expect("rm");
    assert_eq!(compare(&out)[1].1, Status::Missing);
    write_into(&out).expect("written");
    assert!(compare(&out).iter().all(|(_, s)| *s == Status::UpToDate));
}

fn matches(pattern: &str, text: &str) -> bool {
    jsonschema::is_valid(
        &json!({ "type": "string", "pattern": pattern }),
        &json!(text),
    )
}

proptest! {
    /// The patterns for numbers written as text are the reader's reading of them.
    #[test]
    fn number_patterns_are_the_readers(text in "[ +\\-0-9_.,a%]{0,8}") {
        let read = parse_plain(&text);
        prop_assert_eq!(matches(PLAIN_NUMBER, &text), read.is_ok(), "{:?}", text);
        let whole = read.is_ok_and(|d| d.fract().is_zero());
        prop_assert_eq!(matches(WHOLE_NUMBER, &text), whole, "{:?}", text);
    }
}
