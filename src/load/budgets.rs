//! Reading budget files: the kegiatan and jenis belanja rows, line items (written, or
//! aggregated from exported line data), the history and the printed totals.

use super::fields::{choice, year};
use super::lines::{Aggregate, Columns, CsvError, LineSource, Options};
use super::printed::{PRINTED_BUDGET, dicetak};
use super::yaml::{MapReader, Node, NodeKind};
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics, Place, Severity};
use crate::base::number::NumberFormat;
use crate::base::source::Span;
use crate::model::{
    Anggaran, BarisAnggaran, Dicetak, Num, Rincian, Riwayat, Text, jenis_belanja_name,
};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

const CSV_KEYS: &[&str] = &["file", "kolom", "pemisah", "format_angka"];
const CSV_COLUMN_KEYS: &[&str] = &["kegiatan", "akun", "pagu", "realisasi"];
const BUDGET_KEYS: &[&str] = &[
    "rincian_csv",
    "program",
    "kegiatan",
    "jenis_belanja",
    "rincian",
    "riwayat",
    "dicetak",
];
const BARIS_KEYS: &[&str] = &["kode", "nama", "pagu", "realisasi", "dicetak"];
const RINCIAN_KEYS: &[&str] = &["kegiatan", "jenis_belanja", "pagu", "realisasi"];
const RIWAYAT_KEYS: &[&str] = &["tahun", "pagu", "realisasi", "persen"];

/// How line data is read: a function of its source, so that whoever runs the load decides
/// (a watch session reuses what an unchanged file gave).
pub(crate) type ReadLines<'a> = dyn Fn(&LineSource) -> Result<Arc<Aggregate>, CsvError> + Sync + 'a;

pub(crate) struct Reader<'d> {
    pub(crate) diags: &'d mut Diagnostics,
    /// The workspace root, for files that budget files point to.
    pub(crate) root: &'d Path,
    /// Rows of line data that cannot be read are warnings, not errors.
    pub(crate) allow_bad_rows: bool,
    pub(crate) lines: &'d ReadLines<'d>,
}

impl Reader<'_> {
    /// `file_dir` is the budget file's folder, relative to the workspace root.
    pub(crate) fn budget_file(&mut self, tree: &Node, file_dir: &str, anggaran: &mut Anggaran) {
        if tree.is_null() {
            return;
        }
        let Some(mut m) = tree.as_map("a budget file", self.diags) else {
            return;
        };
        if let Some(t) = m.opt("program").and_then(|n| n.as_text(self.diags)) {
            anggaran.program = Some(t.value);
        }
        // Line data first: the rows below may take their amounts from it.
        let mut lines: Vec<(Arc<Aggregate>, Span)> = Vec::new();
        if let Some(n) = m.opt("rincian_csv") {
            let specs: Vec<&Node> = match &n.kind {
                NodeKind::Seq(items) => items.iter().collect(),
                _ => vec![n],
            };
            for spec in specs {
                if let Some(agg) = self.csv(spec, file_dir) {
                    lines.push((agg, spec.span));
                }
            }
        }
        for (key, target) in [
            ("kegiatan", &mut anggaran.kegiatan),
            ("jenis_belanja", &mut anggaran.jenis_belanja),
        ] {
            let mut drafts = Vec::new();
            if let Some(list) = m.opt(key).and_then(|n| n.as_seq(self.diags)) {
                for item in list {
                    if let Some(row) = self.baris(item, key, !lines.is_empty()) {
                        drafts.push(row);
                    }
                }
            }
            target.extend(self.complete_rows(drafts, key, &lines));
        }
        for (agg, span) in &lines {
            let mut groups: Vec<_> = agg.groups.iter().collect();
            groups.sort_by(|a, b| a.0.cmp(b.0));
            for ((kegiatan, jenis), sums) in groups {
                let text = |v: &str| Text {
                    value: v.to_string(),
                    span: *span,
                };
                anggaran.rincian.push(Rincian {
                    kegiatan: text(kegiatan),
                    jenis_belanja: text(jenis),
                    pagu: num(sums.pagu, *span),
                    realisasi: num(sums.realisasi, *span),
                });
            }
        }
        if let Some(list) = m.opt("rincian").and_then(|n| n.as_seq(self.diags)) {
            for item in list {
                if let Some(r) = self.rincian(item) {
                    anggaran.rincian.push(r);
                }
            }
        }
        if let Some(list) = m.opt("riwayat").and_then(|n| n.as_seq(self.diags)) {
            for item in list {
                if let Some(r) = self.riwayat(item) {
                    anggaran.riwayat.push(r);
                }
            }
        }
        let dicetak = dicetak(m.opt("dicetak"), PRINTED_BUDGET, self.diags);
        anggaran.dicetak_total.figures.extend(dicetak.figures);
        m.finish(BUDGET_KEYS, self.diags);
    }

    /// Rows as written, with amounts they omit taken from the line data, plus a row for
    /// every kegiatan or jenis belanja the line data has and the file does not name.
    fn complete_rows(
        &mut self,
        drafts: Vec<BarisDraft>,
        table: &str,
        lines: &[(Arc<Aggregate>, Span)],
    ) -> Vec<BarisAnggaran> {
        let mut sums: BTreeMap<String, (Decimal, Decimal, Span)> = BTreeMap::new();
        for (agg, span) in lines {
            for ((kegiatan, jenis), s) in &agg.groups {
                let key = if table == "kegiatan" { kegiatan } else { jenis };
                let e = sums
                    .entry(key.clone())
                    .or_insert((Decimal::ZERO, Decimal::ZERO, *span));
                // Beyond the decimal range the line data is reported as overflowing.
                e.0 = e.0.checked_add(s.pagu).unwrap_or(e.0);
                e.1 = e.1.checked_add(s.realisasi).unwrap_or(e.1);
            }
        }
        let mut out = Vec::new();
        for d in drafts {
            let key = d
                .kode
                .as_ref()
                .map_or(d.nama.value.clone(), |k| k.value.clone());
            let from_lines = sums.remove(&key);
            let (pagu, realisasi) = match (d.pagu, d.realisasi, from_lines) {
                (Some(p), Some(r), _) => (p, r),
                (p, r, Some((lp, lr, span))) => {
                    (p.unwrap_or(num(lp, span)), r.unwrap_or(num(lr, span)))
                }
                (_, _, None) => {
                    self.diags.push(
                        Diagnostic::error(Code::MissingKey, format!("{table} `{key}` has no pagu and realisasi"))
                            .at(d.span, "no amounts here, and no lines for it in the CSV")
                            .hint("give `pagu` and `realisasi`, or check the code against the CSV's column"),
                    );
                    continue;
                }
            };
            out.push(BarisAnggaran {
                kode: d.kode,
                nama: d.nama,
                pagu,
                realisasi,
                dicetak: d.dicetak,
            });
        }
        // Codes only the line data knows, in code order.
        for (code, (pagu, realisasi, span)) in sums {
            let nama = if table == "jenis_belanja" {
                jenis_belanja_name(&code).unwrap_or_default().to_string()
            } else {
                code.clone()
            };
            out.push(BarisAnggaran {
                kode: Some(Text { value: code, span }),
                nama: Text { value: nama, span },
                pagu: num(pagu, span),
                realisasi: num(realisasi, span),
                dicetak: Dicetak::default(),
            });
        }
        out
    }

    /// Reads and aggregates one `rincian_csv` source.
    fn csv(&mut self, node: &Node, file_dir: &str) -> Option<Arc<Aggregate>> {
        let mut m = node.as_map("rincian_csv", self.diags)?;
        let file = m
            .req("file", self.diags)
            .and_then(|n| n.as_text(self.diags));
        let mut columns = Columns::default();
        if let Some(mut k) = m
            .opt("kolom")
            .and_then(|n| n.as_map("rincian_csv.kolom", self.diags))
        {
            for (key, slot) in [
                ("kegiatan", &mut columns.kegiatan),
                ("akun", &mut columns.akun),
                ("pagu", &mut columns.pagu),
                ("realisasi", &mut columns.realisasi),
            ] {
                if let Some(t) = k.opt(key).and_then(|n| n.as_text(self.diags)) {
                    *slot = t.value;
                }
            }
            k.finish(CSV_COLUMN_KEYS, self.diags);
        }
        let mut delimiter = None;
        if let Some(t) = m.opt("pemisah").and_then(|n| n.as_text(self.diags)) {
            delimiter = match t.value.as_str() {
                ";" => Some(b';'),
                "," => Some(b','),
                "tab" => Some(b'\t'),
                other => {
                    self.diags.push(
                        Diagnostic::error(
                            Code::WrongType,
                            format!("`{other}` is not a delimiter kinerja reads"),
                        )
                        .at(t.span, "unknown delimiter")
                        .hint(
                            "write `;`, `,` or `tab`, or leave it out to detect it from the header",
                        ),
                    );
                    return None;
                }
            };
        }
        let format = match m.opt("format_angka") {
            Some(n) => match choice(n, &["id", "plain"], self.diags)?.as_str() {
                "plain" => NumberFormat::Plain,
                _ => NumberFormat::Indonesian,
            },
            None => NumberFormat::Indonesian,
        };
        m.finish(CSV_KEYS, self.diags);
        let file = file?;
        let rel = if file_dir.is_empty() {
            file.value.clone()
        } else {
            format!("{file_dir}/{}", file.value)
        };
        let source = LineSource {
            path: self.root.join(&rel),
            options: Options {
                columns,
                delimiter,
                format,
            },
        };
        let agg = match (self.lines)(&source) {
            Ok(agg) => agg,
            Err(e) => {
                let hint = match &e {
                    CsvError::File(f) => f.hint(),
                    _ => "check the file name, its header line and the `kolom` mapping",
                };
                self.diags.push(
                    Diagnostic::error(Code::Io, format!("{rel}: {e}"))
                        .at(file.span, "the budget lines named here")
                        .hint(hint),
                );
                return None;
            }
        };
        let severity = |d: Diagnostic| {
            if self.allow_bad_rows {
                Diagnostic {
                    severity: Severity::Warning,
                    ..d
                }
                .hint("this line is left out (--allow-bad-rows)")
            } else {
                d.hint("fix the line in the export, or run with --allow-bad-rows to leave bad lines out")
            }
        };
        let mut found = Vec::new();
        for bad in &agg.bad {
            let place = Place {
                file: rel.clone(),
                line: bad.line,
                column: bad.column,
            };
            found.push(severity(
                Diagnostic::error(Code::BadRow, format!("bad budget line: {}", bad.message))
                    .at_place(place),
            ));
        }
        if agg.more_bad > 0 {
            let total = agg.bad.len() as u64 + agg.more_bad;
            found.push(severity(
                Diagnostic::error(
                    Code::BadRow,
                    format!(
                        "{rel}: {} more bad lines not listed ({total} in all)",
                        agg.more_bad
                    ),
                )
                .at(file.span, "these budget lines"),
            ));
        }
        if agg.overflowed {
            found.push(
                Diagnostic::error(
                    Code::OutOfRange,
                    format!("{rel}: the sums grow beyond the largest exact number"),
                )
                .at(file.span, "these budget lines")
                .hint("an amount is mistyped (too many digits)"),
            );
        }
        self.diags.extend(found);
        Some(agg)
    }

    /// A kegiatan or jenis belanja row; with line data, its amounts may be left out.
    fn baris(&mut self, node: &Node, table: &str, has_lines: bool) -> Option<BarisDraft> {
        let what = if table == "kegiatan" {
            "a kegiatan"
        } else {
            "a jenis belanja"
        };
        let mut m = node.as_map(what, self.diags)?;
        let kode = m.opt("kode").and_then(|n| n.as_text(self.diags));
        let nama = m.opt("nama").and_then(|n| n.as_text(self.diags));
        let amount = |m: &mut MapReader, key: &str, diags: &mut Diagnostics| {
            if has_lines {
                m.opt(key)
            } else {
                m.req(key, diags)
            }
            .and_then(|n| n.as_num(diags))
        };
        let pagu = amount(&mut m, "pagu", self.diags);
        let realisasi = amount(&mut m, "realisasi", self.diags);
        let dicetak = dicetak(m.opt("dicetak"), PRINTED_BUDGET, self.diags);
        m.finish(BARIS_KEYS, self.diags);
        if !has_lines && (pagu.is_none() || realisasi.is_none()) {
            return None;
        }
        // A jenis belanja's name follows from its code; anything else needs a name, unless
        // line data supplies the row (its code is its name then).
        let known = kode
            .as_ref()
            .filter(|_| table == "jenis_belanja")
            .and_then(|k| jenis_belanja_name(&k.value).map(|n| (n, k.span)));
        let nama = match (nama, known, &kode) {
            (Some(n), _, _) => n,
            (None, Some((n, span)), _) => Text {
                value: n.to_string(),
                span,
            },
            (None, None, Some(k)) if has_lines => k.clone(),
            (None, None, _) => {
                self.diags.push(
                    Diagnostic::error(
                        Code::MissingKey,
                        format!("{what} needs `nama` (or a known `kode`)"),
                    )
                    .at(node.span, "neither is given")
                    .hint(
                        "add `nama:`; a jenis belanja may give just its 2-digit `kode` (51 … 58)",
                    ),
                );
                return None;
            }
        };
        Some(BarisDraft {
            kode,
            nama,
            pagu,
            realisasi,
            dicetak,
            span: node.span,
        })
    }

    fn rincian(&mut self, node: &Node) -> Option<Rincian> {
        let mut m = node.as_map("a rincian line", self.diags)?;
        let kegiatan = m
            .req("kegiatan", self.diags)
            .and_then(|n| n.as_text(self.diags));
        let jenis_belanja = m
            .req("jenis_belanja", self.diags)
            .and_then(|n| n.as_text(self.diags));
        let pagu = m.req("pagu", self.diags).and_then(|n| n.as_num(self.diags));
        let realisasi = m
            .req("realisasi", self.diags)
            .and_then(|n| n.as_num(self.diags));
        m.finish(RINCIAN_KEYS, self.diags);
        Some(Rincian {
            kegiatan: kegiatan?,
            jenis_belanja: jenis_belanja?,
            pagu: pagu?,
            realisasi: realisasi?,
        })
    }

    fn riwayat(&mut self, node: &Node) -> Option<Riwayat> {
        let mut m = node.as_map("a riwayat row", self.diags)?;
        let tahun = m.req("tahun", self.diags).and_then(|n| year(n, self.diags));
        let pagu = m.opt("pagu").and_then(|n| n.as_num(self.diags));
        let realisasi = m.opt("realisasi").and_then(|n| n.as_num(self.diags));
        let persen = m.opt("persen").and_then(|n| n.as_num(self.diags));
        m.finish(RIWAYAT_KEYS, self.diags);
        if persen.is_none() && (pagu.is_none() || realisasi.is_none()) {
            self.diags.push(
                Diagnostic::error(
                    Code::MissingKey,
                    "a riwayat row needs `persen`, or `pagu` and `realisasi`",
                )
                .at(node.span, "not enough to show this year")
                .hint("add `persen: 98.5` or both amounts"),
            );
            return None;
        }
        Some(Riwayat {
            tahun: tahun?.0,
            pagu,
            realisasi,
            persen,
            span: node.span,
        })
    }
}

/// A budget row as read, before line data completes it.
struct BarisDraft {
    kode: Option<Text>,
    nama: Text,
    pagu: Option<Num>,
    realisasi: Option<Num>,
    dicetak: Dicetak,
    span: Span,
}

/// An amount summed from line data, placed at the `rincian_csv` entry it came from.
fn num(value: Decimal, span: Span) -> Num {
    Num {
        value,
        span,
        decimals: value.scale(),
    }
}
