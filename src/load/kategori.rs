//! Reading band tables (`rules/*.kategori.yaml`, beside the `kategori` rule that reads
//! them): named tables of bands, each a label with its edges, every edge saying whether its
//! value is in the band.
//!
//! ```yaml
//! tabel:
//!   predikat_sakip:
//!     nama: Predikat SAKIP
//!     sumber: PermenPANRB 88/2021
//!     tingkat:
//!       - {label: AA, lebih_dari: 90, maks: 100, keterangan: Sangat Memuaskan, warna: hijau_tua}
//!       - {label: D, min: 0, maks: 30, keterangan: Sangat Kurang, warna: merah_tua}
//! ```
//!
//! `min` (the value is in the band) or `lebih_dari` (it is not) is the lower edge, `maks` or
//! `kurang_dari` the upper; a band without one has no edge on that side. An edge written so
//! that it does not say (`dari: 76`, `nilai: "76–90"`, as reports print them), two edges on
//! one side, a band holding no value, bands sharing a value and a table without bands are
//! reported where they are written, with what to write.

use super::fields::choice;
use super::shape::{DataKeys, Field, KeyKind, Mapping, Shape};
use super::yaml::{Node, NodeKind};
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::base::number::parse_plain;
use crate::model::{Batas, RuleRef, TabelKategori, Text, Tingkat, Warna};
use rust_decimal::Decimal;

/// The name ending of a band table file: `sakip.kategori.yaml`.
pub(crate) const KATEGORI_ENDINGS: &[&str] = &["kategori.yaml", "kategori.yml"];

/// A band table file: `rules/*.kategori.yaml`.
pub(super) static KATEGORI_FILE: Mapping = Mapping {
    what: "a band table file (`tabel:`, band tables by name)",
    name: "kategori",
    doc: "Band tables: the bands (kategori) a figure is looked up in, such as the SAKIP predikat AA … D of an accountability score. A manifest's `kategori:`, an indikator's realisasi or capaian, or a sasaran names a table; the `kategori` rule looks the figure up in it.",
    fields: &[Field::req(
        "tabel",
        Shape::Map(&TABLES),
        "The band tables, by name: `predikat_sakip: {tingkat: […]}`. Names are shared by the workspace and its rule libraries: a name defined twice is an error.",
    )],
    data: None,
    examples: &[
        "{tabel: {predikat_sakip: {nama: Predikat SAKIP, tingkat: [{label: A, lebih_dari: 80, maks: 90}, {label: BB, lebih_dari: 70, maks: 80}]}}}",
    ],
};

static TABLES: Mapping = Mapping {
    what: "the band tables (`tabel:`, by name)",
    name: "tabel",
    doc: "The band tables, by name.",
    fields: &[],
    data: Some(DataKeys {
        keys: KeyKind::Any,
        value: Shape::Map(&TABLE),
        doc: "A band table, by the name figures name it with: `predikat_sakip`.",
    }),
    examples: &["{capaian_lima_tingkat: {tingkat: [{label: baik, min: 76, maks: 90}]}}"],
};

static TABLE: Mapping = Mapping {
    what: "a band table",
    name: "tabel_kategori",
    doc: "A band table: its bands (`tingkat`) in the order written, and what reports call it.",
    fields: &[
        Field::opt(
            "nama",
            Shape::Text,
            "What reports call it: `Predikat SAKIP`. Shown with the band in `explain`.",
        ),
        Field::opt(
            "sumber",
            Shape::Text,
            "Where its bands come from: `PermenPANRB 88/2021`.",
        ),
        Field::opt(
            "rumus",
            Shape::Text,
            "The rule that looks a figure up in this table, instead of the manifest's `rumus.kategori` (by default `kategori`, the first band whose edges hold the figure).",
        ),
        Field::req(
            "tingkat",
            Shape::List(&Shape::Map(&BAND)),
            "The bands, one per line, each with its label and edges: `- {label: baik, min: 76, maks: 90}`. No value may be in two bands; a value in none is reported (C005) and shown without a band.",
        ),
    ],
    data: None,
    examples: &[
        "{nama: Predikat SAKIP, sumber: PermenPANRB 88/2021, tingkat: [{label: AA, lebih_dari: 90, maks: 100}]}",
    ],
};

/// A band, in a band table file and in a rule test case's own table.
pub(super) static BAND: Mapping = Mapping {
    what: "a band (`{label: baik, min: 76, maks: 90}`)",
    name: "tingkat",
    doc: "A band: its label and its edges, each edge saying whether its own value is in the band (`min`, `maks`) or not (`lebih_dari`, `kurang_dari`). A band without a lower (upper) edge holds every value below (above) the other.",
    fields: &[
        Field::req(
            "label",
            Shape::Text,
            "The band as the report prints it: `BB`, `sangat baik`.",
        ),
        Field::opt(
            "min",
            Shape::Number,
            "The lower edge, itself in the band: `min: 76` holds 76 and more (≥).",
        ),
        Field::opt(
            "lebih_dari",
            Shape::Number,
            "The lower edge, itself not in the band: `lebih_dari: 90` holds what is more than 90 (>), as \"lebih dari 90\" reads.",
        ),
        Field::opt(
            "maks",
            Shape::Number,
            "The upper edge, itself in the band: `maks: 90` holds 90 and less (≤), as \"sampai dengan 90\" reads.",
        ),
        Field::opt(
            "kurang_dari",
            Shape::Number,
            "The upper edge, itself not in the band: `kurang_dari: 91` holds what is less than 91 (<).",
        ),
        Field::opt(
            "warna",
            Shape::Choice(&Warna::NAMES),
            "The band's colour in the page and the workbook: `hijau_tua`, `hijau`, `hijau_muda`, `biru`, `kuning`, `oranye`, `merah`, `merah_tua` or `abu`.",
        ),
        Field::opt(
            "keterangan",
            Shape::Text,
            "What the band means: `Sangat Memuaskan`. Shown beside the label in JSON, the page and `explain`.",
        ),
    ],
    data: None,
    examples: &[
        "{label: AA, lebih_dari: 90, maks: 100, keterangan: Sangat Memuaskan, warna: hijau_tua}",
        "{label: sangat kurang, maks: 50, warna: merah}",
    ],
};

/// Keys planners write for an edge without saying whether its value is in the band, with
/// the side they give (`None`: both, as a range).
const UNSTATED: &[(&str, Option<Side>)] = &[
    ("dari", Some(Side::Bawah)),
    ("mulai", Some(Side::Bawah)),
    ("batas_bawah", Some(Side::Bawah)),
    ("bawah", Some(Side::Bawah)),
    ("sampai", Some(Side::Atas)),
    ("hingga", Some(Side::Atas)),
    ("batas_atas", Some(Side::Atas)),
    ("atas", Some(Side::Atas)),
    ("nilai", None),
    ("rentang", None),
    ("interval", None),
    ("antara", None),
    ("batas", None),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Bawah,
    Atas,
}

/// The tables of one band table file; every problem is a diagnostic, and a broken table
/// or band is left out.
pub(crate) fn read(tree: &Node, diags: &mut Diagnostics) -> Vec<TabelKategori> {
    if tree.is_null() {
        return Vec::new();
    }
    let Some(mut m) = tree.as_map(&KATEGORI_FILE, diags) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(node) = m.req("tabel", diags)
        && let Some(mut tables) = node.as_map(&TABLES, diags)
    {
        for (key, node) in tables.rest() {
            let nama = Text {
                value: key.name.to_string(),
                span: key.span,
            };
            out.extend(table(nama, node, diags));
        }
    }
    m.finish(diags);
    out
}

/// One table, named `nama`.
fn table(nama: Text, node: &Node, diags: &mut Diagnostics) -> Option<TabelKategori> {
    let mut m = node.as_map(&TABLE, diags)?;
    let judul = m.opt_string("nama", diags);
    let sumber = m.opt_string("sumber", diags);
    let rumus = m
        .opt("rumus")
        .and_then(|n| n.as_text(diags))
        .map(RuleRef::from);
    let tingkat = m
        .req("tingkat", diags)
        .map(|n| bands(n, &nama.value, diags));
    m.finish(diags);
    Some(TabelKategori {
        nama,
        judul,
        sumber,
        rumus,
        tingkat: tingkat?,
        span: node.span,
    })
}

/// A table's bands (`tingkat:`), checked together: none, a label twice, two bands sharing
/// a value. `table` names it in messages.
pub(crate) fn bands(node: &Node, table: &str, diags: &mut Diagnostics) -> Vec<Tingkat> {
    let Some(items) = node.as_seq(diags) else {
        return Vec::new();
    };
    if items.is_empty() {
        diags.push(
            Diagnostic::error(
                Code::BandEmpty,
                format!("band table `{table}` has no bands"),
            )
            .at(node.span, "no bands")
            .hint("give each band a label and its edges, one per line: `- {label: baik, min: 76, maks: 90}`"),
        );
        return Vec::new();
    }
    let bands: Vec<Tingkat> = items.iter().filter_map(|b| band(b, diags)).collect();
    for (j, b) in bands.iter().enumerate() {
        if let Some(first) = bands[..j].iter().find(|a| a.label.value == b.label.value) {
            diags.push(
                Diagnostic::error(
                    Code::BandDuplicate,
                    format!(
                        "band table `{table}` has two bands labelled `{}`",
                        b.label.value
                    ),
                )
                .at(b.label.span, "second band of that label")
                .also(first.label.span, "first band of that label")
                .hint("give each band its own label: a figure's band is named by it"),
            );
        }
    }
    for (j, b) in bands.iter().enumerate() {
        for a in &bands[..j] {
            if let Some(shared) = overlap(a, b) {
                diags.push(overlap_diagnostic(table, a, b, &shared));
            }
        }
    }
    bands
}

/// One band.
fn band(node: &Node, diags: &mut Diagnostics) -> Option<Tingkat> {
    let mut m = node.as_map(&BAND, diags)?;
    let label = m
        .req("label", diags)
        .and_then(|n| n.as_text(diags))
        .filter(|l| {
            let blank = l.value.trim().is_empty();
            if blank {
                diags.push(
                    Diagnostic::error(Code::WrongType, "a band's label is empty")
                        .at(l.span, "no label")
                        .hint("write the band's name as the report prints it, `label: baik`"),
                );
            }
            !blank
        });
    let edge = |m: &mut super::yaml::MapReader, key: &str, termasuk, diags: &mut Diagnostics| {
        m.opt(key)
            .map(|n| n.as_num(diags).map(|nilai| Batas { nilai, termasuk }))
    };
    let min = edge(&mut m, "min", true, diags);
    let lebih = edge(&mut m, "lebih_dari", false, diags);
    let maks = edge(&mut m, "maks", true, diags);
    let kurang = edge(&mut m, "kurang_dari", false, diags);
    let warna = m
        .opt("warna")
        .and_then(|n| choice(n, &Warna::NAMES, diags))
        .and_then(|w| Warna::from_name(&w));
    let keterangan = m.opt_string("keterangan", diags);
    let shown = label.as_ref().map_or("this band", |l| l.value.as_str());
    let mut broken = false;
    for (key, side) in UNSTATED {
        if let Some(n) = m.mistaken(key) {
            diags.push(unstated(key, *side, n, shown));
            broken = true;
        }
    }
    m.finish(diags);
    // An edge whose number could not be read is reported already; the band is left out.
    let unread = [&min, &lebih, &maks, &kurang]
        .iter()
        .any(|e| matches!(e, Some(None)));
    let (min, lebih, maks, kurang) = (
        min.flatten(),
        lebih.flatten(),
        maks.flatten(),
        kurang.flatten(),
    );
    if let (Some(a), Some(b)) = (min, lebih) {
        diags.push(two_edges(shown, "lower", ("min", a), ("lebih_dari", b)));
        broken = true;
    }
    if let (Some(a), Some(b)) = (maks, kurang) {
        diags.push(two_edges(shown, "upper", ("maks", a), ("kurang_dari", b)));
        broken = true;
    }
    let label = label?;
    if broken || unread {
        return None;
    }
    let t = Tingkat {
        label,
        bawah: min.or(lebih),
        atas: maks.or(kurang),
        warna,
        keterangan,
        span: node.span,
    };
    if let (Some(b), Some(a)) = (t.bawah, t.atas)
        && (b.nilai.value > a.nilai.value
            || (b.nilai.value == a.nilai.value && !(b.termasuk && a.termasuk)))
    {
        diags.push(
            Diagnostic::error(
                Code::BandEdge,
                format!(
                    "band `{}` holds no value: its lower edge {} is not below its upper edge {}",
                    t.label.value,
                    edge_text(&b, true),
                    edge_text(&a, false)
                ),
            )
            .at(a.nilai.span, "upper edge")
            .also(b.nilai.span, "lower edge")
            .hint("swap the edges, or fix the one mistyped: a band runs from its lower edge (`min` or `lebih_dari`) up to its upper edge (`maks` or `kurang_dari`)"),
        );
        return None;
    }
    Some(t)
}

/// An edge in words: `≥ 76`, `> 90`, `≤ 100`, `< 91`.
fn edge_text(b: &Batas, lower: bool) -> String {
    let op = match (lower, b.termasuk) {
        (true, true) => "≥",
        (true, false) => ">",
        (false, true) => "≤",
        (false, false) => "<",
    };
    format!("{op} {}", b.text())
}

fn two_edges(band: &str, side: &str, a: (&str, Batas), b: (&str, Batas)) -> Diagnostic {
    Diagnostic::error(
        Code::BandEdge,
        format!(
            "band `{band}` has two {side} edges, `{}: {}` and `{}: {}`",
            a.0,
            a.1.text(),
            b.0,
            b.1.text()
        ),
    )
    .at(b.1.nilai.span, "second edge")
    .also(a.1.nilai.span, "first edge")
    .hint(format!(
        "keep one: `{}` when the value itself is in the band, `{}` when it is not",
        a.0, b.0
    ))
}

/// An edge given without saying whether its value is in the band.
fn unstated(key: &str, side: Option<Side>, node: &Node, band: &str) -> Diagnostic {
    let written = match &node.kind {
        NodeKind::Number(t) | NodeKind::Str(t) => t.to_string(),
        NodeKind::Seq(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| match &i.kind {
                    NodeKind::Number(t) | NodeKind::Str(t) => t.to_string(),
                    _ => "…".into(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => "…".into(),
    };
    let number = |t: &str| {
        parse_plain(t.trim())
            .ok()
            .map(|d| d.normalize().to_string())
    };
    let (message, hint) = match side {
        Some(Side::Bawah) => {
            let v = number(&written).unwrap_or_else(|| "N".into());
            (
                format!("`{key}: {written}` does not say whether {v} itself is in band `{band}`"),
                format!("write `min: {v}` if {v} is in `{band}`, or `lebih_dari: {v}` if it is not"),
            )
        }
        Some(Side::Atas) => {
            let v = number(&written).unwrap_or_else(|| "N".into());
            (
                format!("`{key}: {written}` does not say whether {v} itself is in band `{band}`"),
                format!("write `maks: {v}` if {v} is in `{band}`, or `kurang_dari: {v}` if it is not"),
            )
        }
        None => (
            format!("`{key}: {written}` does not say which of its edges are in band `{band}`"),
            match suggest(node) {
                Some(s) => format!(
                    "write the edges as keys: `{s}` (`min`/`maks` when the value itself is in the band, `lebih_dari`/`kurang_dari` when it is not)"
                ),
                None => "write the edges as keys: `min` or `lebih_dari` for the lower edge, `maks` or `kurang_dari` for the upper (`min`/`maks` when the value itself is in the band, `lebih_dari`/`kurang_dari` when it is not)".into(),
            },
        ),
    };
    Diagnostic::error(Code::BandEdge, message)
        .at(node.span, "an edge neither inclusive nor exclusive")
        .hint(hint)
}

/// The edges a range as reports print it most likely means, as keys: `"76–90"`,
/// `"88,31 - 100,00"` (both edges in the band), `"> 90 – 100"`, `"≤ 50"`, `"[76, 90]"`,
/// `"(90, 100]"`, a list `[76, 90]`.
fn suggest(node: &Node) -> Option<String> {
    let text = match &node.kind {
        NodeKind::Seq(items) if items.len() == 2 => {
            let parts: Vec<String> = items
                .iter()
                .map(|i| match &i.kind {
                    NodeKind::Number(t) | NodeKind::Str(t) => Some(t.to_string()),
                    _ => None,
                })
                .collect::<Option<_>>()?;
            format!("[{}, {}]", parts[0], parts[1])
        }
        NodeKind::Number(t) | NodeKind::Str(t) => t.to_string(),
        _ => return None,
    };
    let t = text.trim().replace('%', "");
    let (open, t) = match t.chars().next() {
        Some(c @ ('[' | '(')) => (Some(c == '['), t[1..].to_string()),
        _ => (None, t.clone()),
    };
    let (close, t) = match t.chars().last() {
        Some(c @ (']' | ')')) => (Some(c == ']'), t[..t.len() - 1].to_string()),
        _ => (None, t),
    };
    let bracketed = open.is_some() || close.is_some();
    let parts: Vec<String> = if bracketed {
        t.split(',').map(str::to_string).collect()
    } else {
        ["–", "—", " - ", "s.d.", "s/d", "sampai", "hingga"]
            .iter()
            .find(|sep| t.contains(*sep))
            .map(|sep| t.split(*sep).map(str::to_string).collect())
            .unwrap_or_else(|| vec![t.clone()])
    };
    // A comma not separating the edges is an Indonesian decimal comma.
    let num = |s: &str| -> Option<(Option<&'static str>, Decimal)> {
        let s = s.trim();
        let (op, rest) = [">=", "≥", "<=", "≤", ">", "<"]
            .iter()
            .find_map(|op| s.strip_prefix(op).map(|r| (Some(*op), r)))
            .unwrap_or((None, s));
        let rest = if bracketed {
            rest.to_string()
        } else {
            rest.replace(',', ".")
        };
        let op = match op {
            Some(">=" | "≥") => Some("min"),
            Some(">") => Some("lebih_dari"),
            Some("<=" | "≤") => Some("maks"),
            Some("<") => Some("kurang_dari"),
            _ => None,
        };
        parse_plain(rest.trim()).ok().map(|d| (op, d.normalize()))
    };
    match parts.as_slice() {
        [lo, hi] => {
            let (lo_op, lo) = num(lo)?;
            let (_, hi) = num(hi)?;
            let lower = match (open, lo_op) {
                (Some(false), _) | (None, Some("lebih_dari")) => "lebih_dari",
                _ => "min",
            };
            let upper = if close == Some(false) {
                "kurang_dari"
            } else {
                "maks"
            };
            Some(format!("{lower}: {lo}, {upper}: {hi}"))
        }
        [one] => {
            let (op, v) = num(one)?;
            Some(format!("{}: {v}", op?))
        }
        _ => None,
    }
}

/// The values two bands share, as a band (for its words), or `None`.
fn overlap(a: &Tingkat, b: &Tingkat) -> Option<Tingkat> {
    // The higher lower edge: on a tie, the one leaving its value out.
    let bawah = match (a.bawah, b.bawah) {
        (None, x) | (x, None) => x,
        (Some(x), Some(y)) => Some(
            if x.nilai.value > y.nilai.value || (x.nilai.value == y.nilai.value && !x.termasuk) {
                x
            } else {
                y
            },
        ),
    };
    // The lower upper edge: on a tie, the one leaving its value out.
    let atas = match (a.atas, b.atas) {
        (None, x) | (x, None) => x,
        (Some(x), Some(y)) => Some(
            if x.nilai.value < y.nilai.value || (x.nilai.value == y.nilai.value && !x.termasuk) {
                x
            } else {
                y
            },
        ),
    };
    let empty = match (bawah, atas) {
        (Some(l), Some(u)) => {
            l.nilai.value > u.nilai.value
                || (l.nilai.value == u.nilai.value && !(l.termasuk && u.termasuk))
        }
        _ => false,
    };
    (!empty).then(|| Tingkat {
        bawah,
        atas,
        ..b.clone()
    })
}

fn overlap_diagnostic(table: &str, a: &Tingkat, b: &Tingkat, shared: &Tingkat) -> Diagnostic {
    let point = match (shared.bawah, shared.atas) {
        (Some(l), Some(u)) if l.nilai.value == u.nilai.value => Some(l),
        _ => None,
    };
    let (what, hint) = match point {
        Some(l) => {
            let v = l.text();
            // The band starting at the shared value, and the one ending there.
            let (upper, lower) = if b.bawah.is_some_and(|e| e.nilai.value == l.nilai.value) {
                (b, a)
            } else {
                (a, b)
            };
            (
                format!("{v} is in both"),
                format!(
                    "say which band holds {v}: `lebih_dari: {v}` on `{}` leaves it to `{}`, or `kurang_dari: {v}` on `{}` leaves it to `{}`",
                    upper.label.value, lower.label.value, lower.label.value, upper.label.value
                ),
            )
        }
        None => (
            format!("every value with {} is in both", shared.range()),
            "move an edge so that each value is in one band only (reports print `76–90` and `91–100`: write `min: 76, maks: 90` and `min: 91, maks: 100`)".to_string(),
        ),
    };
    Diagnostic::error(
        Code::BandOverlap,
        format!(
            "bands `{}` and `{}` of `{table}` overlap: {what}",
            a.label.value, b.label.value
        ),
    )
    .at(b.label.span, format!("overlaps `{}`", a.label.value))
    .also(a.label.span, format!("`{}` ({})", a.label.value, a.range()))
    .hint(hint)
}

/// Whether a file name is a band table file's.
pub(crate) fn is_band_table(name: &str) -> bool {
    super::files::has_ending(name, KATEGORI_ENDINGS)
}

/// A table written inside a rule test case (`tabel: [{label: …}, …]`). A case may try a
/// rule on a table without bands (`tabel: []`).
pub(crate) fn inline(node: &Node, diags: &mut Diagnostics) -> TabelKategori {
    let nama = Text {
        value: "(the case's table)".into(),
        span: node.span,
    };
    let empty = matches!(&node.kind, NodeKind::Seq(items) if items.is_empty());
    TabelKategori {
        tingkat: if empty {
            Vec::new()
        } else {
            bands(node, &nama.value, diags)
        },
        nama,
        judul: None,
        sumber: None,
        rumus: None,
        span: node.span,
    }
}

/// Reports band tables defined twice (in any files of the workspace and its libraries).
pub(crate) fn duplicates(tables: &[TabelKategori], diags: &mut Diagnostics) {
    for (j, t) in tables.iter().enumerate() {
        if let Some(first) = tables[..j].iter().find(|a| a.nama.value == t.nama.value) {
            diags.push(
                Diagnostic::error(
                    Code::BandDuplicate,
                    format!("band table `{}` is defined twice", t.nama.value),
                )
                .at(t.nama.span, "second definition")
                .also(first.nama.span, "first definition")
                .hint("rename one of them (tables share one namespace, like rules), or remove the copy; the first is used"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::Sources;
    use crate::load::yaml;

    fn tables(text: &str) -> (Vec<TabelKategori>, Vec<(String, String)>) {
        let mut sources = Sources::default();
        let file = sources.add("rules/t.kategori.yaml".into(), text.into());
        let mut diags = Diagnostics::default();
        let tree = yaml::parse(file, &sources.get(file).text).expect("yaml");
        let read = read(&tree, &mut diags);
        let found = diags
            .iter()
            .map(|d| (d.code.to_string(), d.message.clone()))
            .collect();
        (read, found)
    }

    #[test]
    fn bands_and_their_edges_are_read() {
        let (t, d) = tables(
            "tabel:\n  sakip:\n    nama: Predikat\n    tingkat:\n      - {label: AA, lebih_dari: 90, maks: 100, warna: hijau, keterangan: Sangat Memuaskan}\n      - {label: D, maks: 30}\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(t[0].nama.value, "sakip");
        assert_eq!(t[0].judul.as_deref(), Some("Predikat"));
        let aa = &t[0].tingkat[0];
        assert_eq!(aa.range(), "90 < x ≤ 100");
        assert_eq!(aa.warna, Some(Warna::Hijau));
        assert_eq!(t[0].tingkat[1].range(), "x ≤ 30");
    }

    #[test]
    fn unstated_edges_say_what_to_write() {
        let (t, d) = tables(
            "tabel:\n  c:\n    tingkat:\n      - {label: baik, dari: 76, sampai: 90}\n      - {label: cukup, nilai: \"66–75\"}\n      - {label: AA, rentang: \"(90, 100]\"}\n      - {label: A, nilai: \"88,31 – 100,00\"}\n      - {label: D, nilai: \"≤ 30\"}\n",
        );
        assert!(t[0].tingkat.is_empty());
        let all: Vec<&str> = d.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(all, ["C001"; 6]);
        assert!(
            d[0].1
                .contains("`dari: 76` does not say whether 76 itself is in band `baik`")
        );
    }

    #[test]
    fn suggestions_from_ranges_as_printed() {
        let suggest_text = |text: &str| {
            let mut sources = Sources::default();
            let file = sources.add("t.yaml".into(), format!("x: {text}\n"));
            let tree = yaml::parse(file, &sources.get(file).text).expect("yaml");
            let NodeKind::Map(entries) = &tree.kind else {
                panic!("map")
            };
            suggest(&entries[0].1)
        };
        assert_eq!(
            suggest_text("\"76–90\"").as_deref(),
            Some("min: 76, maks: 90")
        );
        assert_eq!(
            suggest_text("\"88,31 - 100,00\"").as_deref(),
            Some("min: 88.31, maks: 100")
        );
        assert_eq!(
            suggest_text("\"(90, 100]\"").as_deref(),
            Some("lebih_dari: 90, maks: 100")
        );
        assert_eq!(
            suggest_text("\"[91, 100)\"").as_deref(),
            Some("min: 91, kurang_dari: 100")
        );
        assert_eq!(
            suggest_text("\"> 90 – 100\"").as_deref(),
            Some("lebih_dari: 90, maks: 100")
        );
        assert_eq!(
            suggest_text("[76, 90]").as_deref(),
            Some("min: 76, maks: 90")
        );
        assert_eq!(suggest_text("\"≤ 50\"").as_deref(), Some("maks: 50"));
        assert_eq!(suggest_text("\"50\""), None);
        assert_eq!(suggest_text("\"baik\""), None);
    }

    #[test]
    fn overlaps_two_edges_empty_bands_and_duplicates() {
        let (t, d) = tables(
            "tabel:\n  c:\n    tingkat:\n      - {label: baik, min: 76, maks: 90}\n      - {label: sangat baik, min: 90, maks: 100}\n      - {label: x, min: 1, lebih_dari: 2}\n      - {label: yy, min: 5, maks: 4}\n      - {label: z, lebih_dari: 5, maks: 5}\n      - {label: baik, min: 200, maks: 300}\n      - {label: w, min: 80, maks: 85}\n",
        );
        let codes: Vec<&str> = d.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(
            codes,
            ["C001", "C001", "C001", "C006", "C002", "C002"],
            "{d:?}"
        );
        assert!(d[1].1.contains("band `yy` holds no value"), "{d:?}");
        assert!(d[4].1.contains("90 is in both"), "{d:?}");
        assert!(
            d[5].1.contains("every value with 80 ≤ x ≤ 85 is in both"),
            "{d:?}"
        );
        assert_eq!(t[0].tingkat.len(), 4);
    }

    #[test]
    fn an_empty_table_and_a_table_defined_twice() {
        let (t, d) =
            tables("tabel:\n  c:\n    tingkat: []\n  d:\n    tingkat:\n      - {label: a}\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].0, "C003");
        let mut diags = Diagnostics::default();
        let twice = vec![t[1].clone(), t[1].clone()];
        duplicates(&twice, &mut diags);
        assert_eq!(
            diags.iter().next().map(|d| d.code),
            Some(Code::BandDuplicate)
        );
    }

    #[test]
    fn file_names() {
        assert!(is_band_table("sakip.kategori.yaml"));
        assert!(is_band_table("a.kategori.yml"));
        assert!(!is_band_table("kategori.yaml"));
        assert!(!is_band_table("sakip.test.yaml"));
    }
}
