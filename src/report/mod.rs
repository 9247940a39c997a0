//! Rendering evaluated results: terminal tables, JSON (the machine contract), YAML,
//! Markdown and CSV. Rendering only presents: it rounds for display, never computes.

pub mod diagnostics;
pub mod watch;

use crate::budget::{BarisHasil, HasilAnggaran};
use crate::eval::{Figure, Hasil, HasilIndikator};
use crate::number::{Locale, Rounding, machine};
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Yaml,
    Markdown,
    Csv,
}

/// How figures are shown.
#[derive(Clone, Copy, Debug)]
pub struct Presentation {
    /// `None` shows full precision (machine formats only).
    pub rounding: Option<Rounding>,
    pub locale: Locale,
    /// Terminal width for tables.
    pub width: u16,
}

impl Presentation {
    fn num(&self, v: Decimal) -> Decimal {
        match self.rounding {
            Some(r) => r.apply(v),
            None => v,
        }
    }

    /// A percentage or score for people.
    fn pct(&self, v: Option<Decimal>) -> String {
        match (v, self.rounding) {
            (Some(v), Some(r)) => self.locale.fixed(r.apply(v), r.decimals),
            (Some(v), None) => self.locale.rupiah(v),
            (None, _) => "—".into(),
        }
    }

    fn fig(&self, f: Option<&Figure>) -> String {
        self.pct(f.map(|f| f.value))
    }

    fn rp(&self, v: Option<Decimal>) -> String {
        match v {
            Some(v) => {
                let text = self.locale.rupiah(v);
                if self.locale == Locale::Id {
                    format!("Rp{text}")
                } else {
                    text
                }
            }
            None => "—".into(),
        }
    }
}

pub fn render(hasil: &Hasil, format: Format, p: &Presentation) -> String {
    match format {
        Format::Table => table(hasil, p),
        Format::Json => json(&tree(hasil, p)),
        Format::Yaml => yaml(&tree(hasil, p)),
        Format::Markdown => markdown(hasil, p),
        Format::Csv => csv(hasil, p),
    }
}

/// A section of the report: a title, column headers and rows of text.
struct Section {
    title: String,
    headers: Vec<&'static str>,
    /// Columns aligned right (numbers).
    numeric: Vec<usize>,
    rows: Vec<Vec<String>>,
    /// Rows shown emphasised (sasaran lines, totals), in increasing order.
    strong: Vec<usize>,
}

impl Section {
    fn is_strong(&self, row: usize) -> bool {
        self.strong.binary_search(&row).is_ok()
    }
}

fn sections(h: &Hasil, p: &Presentation) -> Vec<Section> {
    let mut out = Vec::new();
    let mut capaian = Section {
        title: format!("Capaian kinerja {}", h.tahun),
        headers: vec![
            "ID",
            "Sasaran / Indikator",
            "Satuan",
            "Target",
            "Realisasi",
            "Capaian (%)",
        ],
        numeric: vec![3, 4, 5],
        rows: Vec::new(),
        strong: Vec::new(),
    };
    let by_id: std::collections::HashMap<&str, &HasilIndikator> =
        h.indikator.iter().map(|i| (i.id.as_str(), i)).collect();
    for s in &h.sasaran {
        capaian.strong.push(capaian.rows.len());
        capaian.rows.push(vec![
            s.id.clone(),
            s.nama.clone(),
            String::new(),
            String::new(),
            String::new(),
            p.fig(s.capaian.as_ref()),
        ]);
        for id in &s.indikator {
            if let Some(i) = by_id.get(id.as_str()) {
                indicator_rows(i, p, 0, &mut capaian.rows);
            }
        }
    }
    // Indikator without a known sasaran are listed after the sasaran (a set: a national
    // workspace has 10,000 sasaran and 100,000 indikator).
    let sasaran_ids: std::collections::HashSet<&str> =
        h.sasaran.iter().map(|s| s.id.as_str()).collect();
    for i in h.indikator.iter().filter(|i| {
        i.sasaran
            .as_ref()
            .is_none_or(|s| !sasaran_ids.contains(s.as_str()))
    }) {
        indicator_rows(i, p, 0, &mut capaian.rows);
    }
    capaian.strong.push(capaian.rows.len());
    capaian.rows.push(vec![
        String::new(),
        "Nilai kinerja".into(),
        String::new(),
        String::new(),
        String::new(),
        p.fig(h.nilai_kinerja.as_ref()),
    ]);
    out.push(capaian);

    let with_jm: Vec<&HasilIndikator> = h
        .indikator
        .iter()
        .filter(|i| i.jangka_menengah.is_some())
        .collect();
    if !with_jm.is_empty() {
        let mut jm = Section {
            title: "Capaian terhadap target jangka menengah (Renstra)".into(),
            headers: vec![
                "ID",
                "Indikator",
                "Realisasi",
                "Tahun",
                "Target Renstra",
                "Capaian (%)",
            ],
            numeric: vec![2, 3, 4, 5],
            rows: Vec::new(),
            strong: Vec::new(),
        };
        for i in with_jm {
            if let Some(m) = &i.jangka_menengah {
                jm.rows.push(vec![
                    i.id.clone(),
                    i.nama.clone(),
                    p.fig(i.realisasi.as_ref()),
                    m.tahun.to_string(),
                    p.pct(Some(m.target)),
                    p.fig(Some(&m.capaian)),
                ]);
            }
        }
        out.push(jm);
    }

    let a = &h.anggaran;
    for (title, first, rows) in [
        ("Realisasi anggaran per kegiatan", "Kegiatan", &a.kegiatan),
        (
            "Realisasi anggaran per jenis belanja",
            "Jenis belanja",
            &a.jenis_belanja,
        ),
    ] {
        if rows.is_empty() {
            continue;
        }
        let mut s = Section {
            title: title.into(),
            headers: vec![
                "Kode",
                first,
                "Pagu (Rp)",
                "Realisasi (Rp)",
                "%",
                "Sisa (Rp)",
            ],
            numeric: vec![2, 3, 4, 5],
            rows: rows.iter().map(|r| budget_row(r, p)).collect(),
            strong: Vec::new(),
        };
        if let Some(t) = &a.total {
            s.strong.push(s.rows.len());
            let mut row = budget_row(t, p);
            row[0] = String::new();
            s.rows.push(row);
        }
        out.push(s);
    }
    if !a.riwayat.is_empty() {
        out.push(Section {
            title: "Riwayat realisasi anggaran".into(),
            headers: vec!["Tahun", "Pagu (Rp)", "Realisasi (Rp)", "%"],
            numeric: vec![1, 2, 3],
            rows: a
                .riwayat
                .iter()
                .map(|r| {
                    vec![
                        r.tahun.to_string(),
                        r.pagu.map_or(String::new(), |v| p.rp(Some(v))),
                        r.realisasi.map_or(String::new(), |v| p.rp(Some(v))),
                        p.pct(r.persen),
                    ]
                })
                .collect(),
            strong: Vec::new(),
        });
    }
    out
}

fn indicator_rows(i: &HasilIndikator, p: &Presentation, depth: usize, rows: &mut Vec<Vec<String>>) {
    rows.push(vec![
        format!("{}{}", "  ".repeat(depth), i.id),
        i.nama.clone(),
        i.satuan.clone(),
        i.target.map_or(String::new(), |t| p.pct(Some(t))),
        p.fig(i.realisasi.as_ref()),
        if i.target.is_some() {
            p.fig(i.capaian.as_ref())
        } else {
            String::new()
        },
    ]);
    for k in &i.komponen {
        indicator_rows(k, p, depth + 1, rows);
    }
}

fn budget_row(r: &BarisHasil, p: &Presentation) -> Vec<String> {
    vec![
        r.kode.clone(),
        r.nama.clone(),
        p.rp(Some(r.pagu)),
        p.rp(Some(r.realisasi)),
        p.pct(r.persen),
        p.rp(r.sisa),
    ]
}

fn heading(h: &Hasil) -> String {
    let mut s = format!("Laporan Kinerja {} — {}", h.tahun, h.organisasi);
    if let Some(i) = &h.instansi {
        let _ = write!(s, " ({i})");
    }
    s
}

fn table(h: &Hasil, p: &Presentation) -> String {
    let mut out = heading(h);
    out.push('\n');
    for s in sections(h, p) {
        let mut t = Table::new();
        t.load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(p.width)
            .set_header(s.headers.iter().map(Cell::new));
        for (i, row) in s.rows.iter().enumerate() {
            let strong = s.is_strong(i);
            t.add_row(row.iter().enumerate().map(|(c, text)| {
                let mut cell = Cell::new(text);
                if s.numeric.contains(&c) {
                    cell = cell.set_alignment(CellAlignment::Right);
                }
                if strong {
                    cell = cell.add_attribute(comfy_table::Attribute::Bold);
                }
                cell
            }));
        }
        let _ = write!(out, "\n{}\n{t}\n", s.title);
    }
    out
}

fn markdown(h: &Hasil, p: &Presentation) -> String {
    let mut out = format!("# {}\n", heading(h));
    let esc = |s: &str| s.trim().replace('|', "\\|");
    for s in sections(h, p) {
        let _ = write!(out, "\n## {}\n\n| {} |\n|", s.title, s.headers.join(" | "));
        for c in 0..s.headers.len() {
            out.push_str(if s.numeric.contains(&c) {
                " ---: |"
            } else {
                " --- |"
            });
        }
        out.push('\n');
        for (i, row) in s.rows.iter().enumerate() {
            let strong = s.is_strong(i);
            let cells: Vec<String> = row
                .iter()
                .map(|c| {
                    let c = esc(c);
                    if strong && !c.is_empty() {
                        format!("**{c}**")
                    } else {
                        c
                    }
                })
                .collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
    }
    out
}

/// Long format, one figure per line: easy to filter, pivot and diff.
fn csv(h: &Hasil, p: &Presentation) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let num = |v: Decimal| machine(p.num(v));
    let mut rows: Vec<[String; 5]> = Vec::new();
    fn ind_rows(i: &HasilIndikator, num: &dyn Fn(Decimal) -> String, rows: &mut Vec<[String; 5]>) {
        let mut push = |k: &str, v: Option<Decimal>| {
            if let Some(v) = v {
                rows.push([
                    "indikator".into(),
                    i.id.clone(),
                    i.nama.clone(),
                    k.into(),
                    num(v),
                ]);
            }
        };
        push("target", i.target);
        push("realisasi", i.realisasi.as_ref().map(|f| f.value));
        push("capaian", i.capaian.as_ref().map(|f| f.value));
        if let Some(m) = &i.jangka_menengah {
            push(&format!("target_{}", m.tahun), Some(m.target));
            push(&format!("capaian_{}", m.tahun), Some(m.capaian.value));
        }
        for k in &i.komponen {
            ind_rows(k, num, rows);
        }
    }
    for i in &h.indikator {
        ind_rows(i, &num, &mut rows);
    }
    for s in &h.sasaran {
        if let Some(c) = &s.capaian {
            rows.push([
                "sasaran".into(),
                s.id.clone(),
                s.nama.clone(),
                "capaian".into(),
                num(c.value),
            ]);
        }
    }
    if let Some(n) = &h.nilai_kinerja {
        rows.push([
            "organisasi".into(),
            "nilai_kinerja".into(),
            h.organisasi.clone(),
            "capaian".into(),
            num(n.value),
        ]);
    }
    let budget = |section: &str, r: &BarisHasil, rows: &mut Vec<[String; 5]>| {
        for (k, v) in [
            ("pagu", Some(r.pagu)),
            ("realisasi", Some(r.realisasi)),
            ("persen", r.persen),
            ("sisa", r.sisa),
        ] {
            if let Some(v) = v {
                let v = if k == "persen" { num(v) } else { machine(v) };
                rows.push([section.into(), r.kode.clone(), r.nama.clone(), k.into(), v]);
            }
        }
    };
    for r in &h.anggaran.kegiatan {
        budget("kegiatan", r, &mut rows);
    }
    for r in &h.anggaran.jenis_belanja {
        budget("jenis_belanja", r, &mut rows);
    }
    if let Some(t) = &h.anggaran.total {
        budget("anggaran", t, &mut rows);
    }
    for r in &h.anggaran.riwayat {
        if let Some(v) = r.persen {
            rows.push([
                "riwayat".into(),
                r.tahun.to_string(),
                String::new(),
                "persen".into(),
                num(v),
            ]);
        }
    }
    // Writing into a Vec cannot fail; an error here would be a bug in the csv crate.
    let _ = w.write_record(["bagian", "id", "nama", "ukuran", "nilai"]);
    for r in rows {
        let _ = w.write_record(&r);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A JSON/YAML value whose numbers keep their exact decimal text.
#[derive(Clone, Debug)]
pub enum Out {
    Null,
    Num(String),
    Str(String),
    List(Vec<Out>),
    Map(Vec<(&'static str, Out)>),
}

impl Out {
    fn opt_num(v: Option<Decimal>, p: &Presentation) -> Out {
        v.map_or(Out::Null, |v| Out::Num(machine(p.num(v))))
    }
    fn rupiah(v: Decimal) -> Out {
        Out::Num(machine(v))
    }
}

pub fn tree(h: &Hasil, p: &Presentation) -> Out {
    fn ind(i: &HasilIndikator, p: &Presentation) -> Out {
        let mut m = vec![
            ("id", Out::Str(i.id.clone())),
            ("nama", Out::Str(i.nama.clone())),
            ("sasaran", i.sasaran.clone().map_or(Out::Null, Out::Str)),
            ("satuan", Out::Str(i.satuan.clone())),
            ("polaritas", Out::Str(i.polaritas.name().into())),
            ("target", Out::opt_num(i.target, p)),
            (
                "realisasi",
                Out::opt_num(i.realisasi.as_ref().map(|f| f.value), p),
            ),
            (
                "capaian",
                Out::opt_num(i.capaian.as_ref().map(|f| f.value), p),
            ),
        ];
        if let Some(jm) = &i.jangka_menengah {
            m.push((
                "jangka_menengah",
                Out::Map(vec![
                    ("tahun", Out::Num(jm.tahun.to_string())),
                    ("target", Out::opt_num(Some(jm.target), p)),
                    ("capaian", Out::opt_num(Some(jm.capaian.value), p)),
                ]),
            ));
        }
        if !i.komponen.is_empty() {
            m.push((
                "komponen",
                Out::List(i.komponen.iter().map(|k| ind(k, p)).collect()),
            ));
        }
        Out::Map(m)
    }
    let row = |r: &BarisHasil| {
        Out::Map(vec![
            ("kode", Out::Str(r.kode.clone())),
            ("nama", Out::Str(r.nama.clone())),
            ("pagu", Out::rupiah(r.pagu)),
            ("realisasi", Out::rupiah(r.realisasi)),
            ("persen", Out::opt_num(r.persen, p)),
            ("sisa", r.sisa.map_or(Out::Null, Out::rupiah)),
        ])
    };
    let a: &HasilAnggaran = &h.anggaran;
    Out::Map(vec![
        ("organisasi", Out::Str(h.organisasi.clone())),
        ("instansi", h.instansi.clone().map_or(Out::Null, Out::Str)),
        ("tahun", Out::Num(h.tahun.to_string())),
        (
            "indikator",
            // Tens of thousands of indikator in a national workspace: built in parallel.
            Out::List(h.indikator.par_iter().map(|i| ind(i, p)).collect()),
        ),
        (
            "sasaran",
            Out::List(
                h.sasaran
                    .iter()
                    .map(|s| {
                        Out::Map(vec![
                            ("id", Out::Str(s.id.clone())),
                            ("nama", Out::Str(s.nama.clone())),
                            (
                                "indikator",
                                Out::List(s.indikator.iter().cloned().map(Out::Str).collect()),
                            ),
                            (
                                "capaian",
                                Out::opt_num(s.capaian.as_ref().map(|f| f.value), p),
                            ),
                        ])
                    })
                    .collect(),
            ),
        ),
        (
            "nilai_kinerja",
            Out::opt_num(h.nilai_kinerja.as_ref().map(|f| f.value), p),
        ),
        (
            "anggaran",
            Out::Map(vec![
                ("program", a.program.clone().map_or(Out::Null, Out::Str)),
                ("kegiatan", Out::List(a.kegiatan.iter().map(row).collect())),
                (
                    "jenis_belanja",
                    Out::List(a.jenis_belanja.iter().map(row).collect()),
                ),
                ("total", a.total.as_ref().map_or(Out::Null, row)),
                (
                    "riwayat",
                    Out::List(
                        a.riwayat
                            .iter()
                            .map(|r| {
                                Out::Map(vec![
                                    ("tahun", Out::Num(r.tahun.to_string())),
                                    ("pagu", r.pagu.map_or(Out::Null, Out::rupiah)),
                                    ("realisasi", r.realisasi.map_or(Out::Null, Out::rupiah)),
                                    ("persen", Out::opt_num(r.persen, p)),
                                ])
                            })
                            .collect(),
                    ),
                ),
            ]),
        ),
    ])
}

fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_json_str(&mut out, s);
    out
}

/// A JSON string, written in place: most texts need no escaping, and the rest is escaped
/// exactly as serde_json does it.
fn push_json_str(out: &mut String, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()));
    }
}

fn push_pad(out: &mut String, levels: usize) {
    for _ in 0..levels {
        out.push_str("  ");
    }
}

pub fn json(v: &Out) -> String {
    fn go(v: &Out, indent: usize, out: &mut String) {
        match v {
            Out::Null => out.push_str("null"),
            Out::Num(n) => out.push_str(n),
            Out::Str(s) => push_json_str(out, s),
            Out::List(items) if items.is_empty() => out.push_str("[]"),
            Out::List(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    push_pad(out, indent + 1);
                    go(item, indent + 1, out);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                push_pad(out, indent);
                out.push(']');
            }
            Out::Map(entries) if entries.is_empty() => out.push_str("{}"),
            Out::Map(entries) => {
                out.push_str("{\n");
                for (i, (k, item)) in entries.iter().enumerate() {
                    push_pad(out, indent + 1);
                    push_json_str(out, k);
                    out.push_str(": ");
                    go(item, indent + 1, out);
                    out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
                }
                push_pad(out, indent);
                out.push('}');
            }
        }
    }
    let mut out = String::new();
    go(v, 0, &mut out);
    out.push('\n');
    out
}

/// JSON on one line, for newline-delimited streams.
pub fn json_line(v: &Out) -> String {
    fn go(v: &Out, out: &mut String) {
        match v {
            Out::Null => out.push_str("null"),
            Out::Num(n) => out.push_str(n),
            Out::Str(s) => push_json_str(out, s),
            Out::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    go(item, out);
                }
                out.push(']');
            }
            Out::Map(entries) => {
                out.push('{');
                for (i, (k, item)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    push_json_str(out, k);
                    out.push(':');
                    go(item, out);
                }
                out.push('}');
            }
        }
    }
    let mut out = String::new();
    go(v, &mut out);
    out
}

pub fn yaml(v: &Out) -> String {
    fn scalar(v: &Out) -> Option<String> {
        match v {
            Out::Null => Some("null".into()),
            Out::Num(n) => Some(n.clone()),
            Out::Str(s) => Some(yaml_str(s)),
            Out::List(l) if l.is_empty() => Some("[]".into()),
            Out::Map(m) if m.is_empty() => Some("{}".into()),
            _ => None,
        }
    }
    fn go(v: &Out, indent: usize, out: &mut String) {
        let pad = "  ".repeat(indent);
        match v {
            Out::List(items) => {
                for item in items {
                    match (scalar(item), item) {
                        (Some(s), _) => {
                            let _ = writeln!(out, "{pad}- {s}");
                        }
                        (None, Out::Map(entries)) => {
                            // The first key shares the dash's line.
                            let mut first = String::new();
                            go(&Out::Map(entries.clone()), indent + 1, &mut first);
                            let _ = write!(out, "{pad}- {}", first.trim_start());
                        }
                        (None, _) => {
                            let _ = writeln!(out, "{pad}-");
                            go(item, indent + 1, out);
                        }
                    }
                }
            }
            Out::Map(entries) => {
                for (k, item) in entries {
                    match scalar(item) {
                        Some(s) => {
                            let _ = writeln!(out, "{pad}{k}: {s}");
                        }
                        None => {
                            let _ = writeln!(out, "{pad}{k}:");
                            go(item, indent + 1, out);
                        }
                    }
                }
            }
            other => {
                let _ = writeln!(out, "{pad}{}", scalar(other).unwrap_or_default());
            }
        }
    }
    let mut out = String::new();
    go(v, 0, &mut out);
    out
}

/// Plain when YAML would read it back as the same text, double-quoted otherwise.
fn yaml_str(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || " ._-/()".contains(c))
        && !s.starts_with([' ', '-', '.'])
        && !s.ends_with(' ')
        && crate::number::parse_plain(s).is_err()
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "~"
        );
    if plain { s.to_string() } else { json_str(s) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_strings_quote_what_would_change_meaning() {
        assert_eq!(yaml_str("SP1"), "SP1");
        assert_eq!(yaml_str("2022"), "\"2022\"");
        assert_eq!(yaml_str("yes"), "\"yes\"");
        assert_eq!(yaml_str("a: b"), "\"a: b\"");
        assert_eq!(yaml_str(""), "\"\"");
    }

    #[test]
    fn json_strings_are_escaped_as_serde_json_escapes_them() {
        for s in [
            "plain",
            "Capaian 100% \"tepat\"",
            "a\\b",
            "tab\there",
            "line\nbreak",
            "\u{1}",
            "Rp1.000,00 — é",
        ] {
            let expected = serde_json::to_string(s).expect("a string serializes");
            assert_eq!(json_str(s), expected, "{s:?}");
        }
    }

    #[test]
    fn json_and_yaml_agree_on_structure() {
        let v = Out::Map(vec![
            ("a", Out::Num("1.5".into())),
            (
                "b",
                Out::List(vec![Out::Map(vec![
                    ("x", Out::Str("SP1".into())),
                    ("z", Out::Null),
                ])]),
            ),
            ("c", Out::List(vec![])),
        ]);
        assert_eq!(
            json(&v),
            "{\n  \"a\": 1.5,\n  \"b\": [\n    {\n      \"x\": \"SP1\",\n      \"z\": null\n    }\n  ],\n  \"c\": []\n}\n"
        );
        assert_eq!(yaml(&v), "a: 1.5\nb:\n  - x: SP1\n    z: null\nc: []\n");
    }
}
