//! Reading budget files: the kegiatan and jenis belanja rows, line items (written, or
//! aggregated from exported line data), the history and the printed totals.

use super::fields::{YEAR, choice, year};
use super::lines::{Aggregate, Columns, CsvError, LineSource, Options};
use super::printed::{DICETAK_DOC, PRINTED_BUDGET, dicetak};
use super::shape::{Field, Mapping, Shape};
use super::yaml::{MapReader, Node, NodeKind};
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics, Place, Severity};
use crate::base::number::NumberFormat;
use crate::base::source::Span;
use crate::model::{Anggaran, BarisAnggaran, Dicetak, Num, Rincian, Riwayat, Skema, Text};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// The delimiters `pemisah` names.
const DELIMITERS: &[&str] = &[";", ",", "tab"];
/// The number formats `format_angka` names.
const NUMBER_FORMATS: &[&str] = &["id", "plain"];

/// A budget file: `budgets/*.yaml`.
pub(super) static BUDGET_FILE: Mapping = Mapping {
    what: "a budget file",
    name: "budgets",
    doc: "A budget file: pagu and realisasi per kegiatan and per jenis belanja, line items (written, or exported line data), past years and the totals as printed. Amounts are rupiah, plain numbers: `158_067_203_000`.",
    fields: &[
        Field::opt(
            "rincian_csv",
            Shape::OneOrList(&Shape::Map(&CSV)),
            "Budget line data exported by a budget-execution system, as CSV (or an Excel workbook when kinerja is built with `xlsx`): one source, or a list. It supplies the kegiatan and jenis belanja rows and their amounts.",
        ),
        Field::opt(
            "program",
            Shape::Text,
            "The programme's name: `Program Pemberdayaan Sosial`.",
        ),
        Field::opt(
            "kegiatan",
            Shape::List(&Shape::Map(&KEGIATAN)),
            "The budget per kegiatan (activity): `{kode, nama, pagu, realisasi, dicetak}` rows. The total is their exact sum.",
        ),
        Field::opt(
            "jenis_belanja",
            Shape::List(&Shape::Map(&JENIS_BELANJA)),
            "The budget per jenis belanja (spending type: the first two digits of a central akun, the first segments of a regional one): rows of the same shape; `kode: \"52\"` (or `kode: 5.1.02` under `anggaran: {skema: daerah}`) alone names the row.",
        ),
        Field::opt(
            "rincian",
            Shape::List(&Shape::Map(&RINCIAN)),
            "Line items `{kegiatan, jenis_belanja, pagu, realisasi}`, naming the rows by code or name: the audit checks that they add up to their rows (A005).",
        ),
        Field::opt(
            "riwayat",
            Shape::List(&Shape::Map(&RIWAYAT)),
            "Past years' realisation: `{tahun: 2021, persen: 96.61}`, or `{tahun, pagu, realisasi}` (the % is then computed by the rule).",
        ),
        Field::opt(
            "dicetak",
            Shape::OneOrList(&Shape::Map(&PRINTED_BUDGET)),
            DICETAK_DOC,
        ),
    ],
    data: None,
    examples: &[
        "{program: Program Pemberdayaan Sosial, kegiatan: [{nama: Pemberdayaan Sosial, pagu: 1_000_000, realisasi: 900_000}]}",
    ],
};

static CSV: Mapping = Mapping {
    what: "rincian_csv",
    name: "rincian_csv",
    doc: "One source of budget line data: a CSV export (or a workbook), aggregated exactly per kegiatan and jenis belanja.",
    fields: &[
        Field::req(
            "file",
            Shape::Text,
            "The file, relative to this budget file: `realisasi-2022.csv`.",
        ),
        Field::opt(
            "kolom",
            Shape::Map(&CSV_COLUMNS),
            "The header names of the columns kinerja reads, where they differ from `kegiatan`, `akun`, `pagu` and `realisasi`.",
        ),
        Field::opt(
            "pemisah",
            Shape::Choice(DELIMITERS),
            "The delimiter: `;`, `,` or `tab`. Detected from the header line when left out.",
        ),
        Field::opt(
            "format_angka",
            Shape::Choice(NUMBER_FORMATS),
            "How the amounts are written: `id` (1.234.567,89, the default) or `plain` (1234567.89).",
        ),
    ],
    data: None,
    examples: &[
        "{file: realisasi-2022.csv, kolom: {kegiatan: kode_kegiatan}, pemisah: \";\", format_angka: id}",
    ],
};

static CSV_COLUMNS: Mapping = Mapping {
    what: "rincian_csv.kolom",
    name: "kolom",
    doc: "The header names of the columns kinerja reads.",
    fields: &[
        Field::opt(
            "kegiatan",
            Shape::Text,
            "The column with the kegiatan's code (default `kegiatan`).",
        ),
        Field::opt(
            "akun",
            Shape::Text,
            "The column with the akun (account), whose first two digits (central), or first dotted segments (regional: `5.1.02.01.01.0024` is of `5.1.02`), are the jenis belanja (default `akun`).",
        ),
        Field::opt(
            "pagu",
            Shape::Text,
            "The column with the pagu (default `pagu`).",
        ),
        Field::opt(
            "realisasi",
            Shape::Text,
            "The column with the realisasi (default `realisasi`).",
        ),
    ],
    data: None,
    examples: &["{kegiatan: kode_kegiatan, akun: akun, pagu: pagu, realisasi: realisasi}"],
};

const PAGU_DOC: &str = "The pagu (budget allocation) in rupiah, a plain number: `158_067_203_000`. May be left out when line data (`rincian_csv`) supplies it.";
const REALISASI_DOC: &str = "The realisasi anggaran (spent) in rupiah, a plain number: `140_799_556_259`. May be left out when line data (`rincian_csv`) supplies it.";

static KEGIATAN: Mapping = Mapping {
    what: "a kegiatan",
    name: "kegiatan",
    doc: "A kegiatan (activity) of the programme, with its pagu and realisasi.",
    fields: &[
        Field::opt(
            "kode",
            Shape::Text,
            "The kegiatan's code, where known: `\"1001\"`. Line items and line data name the kegiatan by it.",
        ),
        Field::opt(
            "nama",
            Shape::Text,
            "The kegiatan's name, as the report prints it (required unless line data supplies the row).",
        ),
        Field::opt("pagu", Shape::Number, PAGU_DOC),
        Field::opt("realisasi", Shape::Number, REALISASI_DOC),
        Field::opt(
            "dicetak",
            Shape::OneOrList(&Shape::Map(&PRINTED_BUDGET)),
            DICETAK_DOC,
        ),
    ],
    data: None,
    examples: &[
        "{nama: Pemberdayaan dan Pelayanan Perizinan, pagu: 158_067_203_000, realisasi: 140_799_556_259}",
    ],
};

static JENIS_BELANJA: Mapping = Mapping {
    what: "a jenis belanja",
    name: "jenis_belanja",
    doc: "A jenis belanja (spending type), with its pagu and realisasi.",
    fields: &[
        Field::opt(
            "kode",
            Shape::Text,
            "The jenis belanja's code. Central (`anggaran.skema: pusat`, the default): the akun's first two digits, 51 Pegawai, 52 Barang, 53 Modal, 54 Bunga, 55 Subsidi, 56 Hibah, 57 Bantuan Sosial, 58 Lain-lain; quote it (`\"52\"`) to keep it text. Regional (`anggaran.skema: daerah`): 5.1.01 Pegawai, 5.1.02 Barang dan Jasa, 5.1.03 Bunga, 5.1.04 Subsidi, 5.1.05 Hibah, 5.1.06 Bantuan Sosial, 5.2 Modal, 5.3 Tidak Terduga, 5.4 Transfer.",
        ),
        Field::opt(
            "nama",
            Shape::Text,
            "The name, as the report prints it; it follows from a known `kode` when left out.",
        ),
        Field::opt("pagu", Shape::Number, PAGU_DOC),
        Field::opt("realisasi", Shape::Number, REALISASI_DOC),
        Field::opt(
            "dicetak",
            Shape::OneOrList(&Shape::Map(&PRINTED_BUDGET)),
            DICETAK_DOC,
        ),
    ],
    data: None,
    examples: &[
        "{kode: \"52\", nama: Belanja Barang, pagu: 1_310_382_797_000, realisasi: 1_250_994_517_742}",
        "{kode: \"57\", pagu: 27_258_821_469_000, realisasi: 27_092_511_772_000}",
    ],
};

static RINCIAN: Mapping = Mapping {
    what: "a rincian line",
    name: "rincian",
    doc: "A line item: an amount of one kegiatan in one jenis belanja.",
    fields: &[
        Field::req(
            "kegiatan",
            Shape::Text,
            "The kegiatan's code (or name): `\"1001\"`.",
        ),
        Field::req(
            "jenis_belanja",
            Shape::Text,
            "The jenis belanja's code: `\"52\"`.",
        ),
        Field::req("pagu", Shape::Number, "The pagu in rupiah."),
        Field::req("realisasi", Shape::Number, "The realisasi in rupiah."),
    ],
    data: None,
    examples: &["{kegiatan: \"1001\", jenis_belanja: \"52\", pagu: 1_000_000, realisasi: 900_000}"],
};

static RIWAYAT: Mapping = Mapping {
    what: "a riwayat row",
    name: "riwayat",
    doc: "A past year's budget realisation: `persen`, or `pagu` and `realisasi`.",
    fields: &[
        Field::req("tahun", YEAR, "The year: `2021`."),
        Field::opt("pagu", Shape::Number, "That year's pagu in rupiah."),
        Field::opt(
            "realisasi",
            Shape::Number,
            "That year's realisasi in rupiah.",
        ),
        Field::opt(
            "persen",
            Shape::Number,
            "That year's realisation %, as the report gives it: `96.61`. With `pagu` and `realisasi` too, it is the % the report printed for them, and the audit checks it.",
        ),
        Field::opt(
            "dicetak",
            Shape::OneOrList(&Shape::Map(&PRINTED_BUDGET)),
            "Figures the report printed for that year elsewhere (a narrative, another table), checked by `kinerja audit` against the year's figures: one mapping, or a list with a `sumber` each.",
        ),
    ],
    data: None,
    examples: &[
        "{tahun: 2021, persen: 96.61}",
        "{tahun: 2021, persen: 96.61, dicetak: {persen: 96.91, sumber: narasi (L4301)}}",
        "{tahun: 2020, pagu: 1_000_000, realisasi: 998_200}",
    ],
};

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
    /// How the budget's codes are written (the manifest's `anggaran.skema`).
    pub(crate) skema: Skema,
}

impl Reader<'_> {
    /// `file_dir` is the budget file's folder, relative to the workspace root.
    pub(crate) fn budget_file(&mut self, tree: &Node, file_dir: &str, anggaran: &mut Anggaran) {
        if tree.is_null() {
            return;
        }
        let Some(mut m) = tree.as_map(&BUDGET_FILE, self.diags) else {
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
        let dicetak = dicetak(m.opt("dicetak"), &PRINTED_BUDGET, self.diags);
        anggaran.dicetak_total.figures.extend(dicetak.figures);
        m.finish(self.diags);
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
                self.skema.jenis_name(&code).unwrap_or_default().to_string()
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
        let mut m = node.as_map(&CSV, self.diags)?;
        let file = m
            .req("file", self.diags)
            .and_then(|n| n.as_text(self.diags));
        let mut columns = Columns::default();
        if let Some(mut k) = m
            .opt("kolom")
            .and_then(|n| n.as_map(&CSV_COLUMNS, self.diags))
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
            k.finish(self.diags);
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
            Some(n) => match choice(n, NUMBER_FORMATS, self.diags)?.as_str() {
                "plain" => NumberFormat::Plain,
                _ => NumberFormat::Indonesian,
            },
            None => NumberFormat::Indonesian,
        };
        m.finish(self.diags);
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
                skema: self.skema,
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
        let mapping = if table == "kegiatan" {
            &KEGIATAN
        } else {
            &JENIS_BELANJA
        };
        let what = mapping.what;
        let mut m = node.as_map(mapping, self.diags)?;
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
        let dicetak = dicetak(m.opt("dicetak"), &PRINTED_BUDGET, self.diags);
        m.finish(self.diags);
        if !has_lines && (pagu.is_none() || realisasi.is_none()) {
            return None;
        }
        // A jenis belanja's name follows from its code; anything else needs a name, unless
        // line data supplies the row (its code is its name then).
        let jenis = table == "jenis_belanja";
        let known = kode
            .as_ref()
            .filter(|_| jenis)
            .and_then(|k| self.skema.jenis_name(&k.value).map(|n| (n, k.span)));
        let nama = match (nama, known, &kode) {
            (Some(n), _, _) => n,
            (None, Some((n, span)), _) => Text {
                value: n.to_string(),
                span,
            },
            (None, None, Some(k)) if has_lines => k.clone(),
            (None, None, Some(k)) if jenis => {
                let skema = self.skema.name();
                let scheme = match self.skema {
                    Skema::Pusat => "central",
                    Skema::Daerah => "regional",
                };
                self.diags.push(
                    Diagnostic::error(
                        Code::MissingKey,
                        format!(
                            "jenis belanja `{}` is not a {scheme} code, and the row has no `nama`",
                            k.value
                        ),
                    )
                    .at(k.span, format!("not a jenis belanja of `anggaran.skema: {skema}`"))
                    .hint(format!(
                        "the {scheme} codes: {}; or add `nama:`{}",
                        self.skema.listing(),
                        match self.skema {
                            Skema::Pusat => " (a regional budget's codes need `anggaran: {skema: daerah}` in kinerja.yaml)",
                            Skema::Daerah => "",
                        }
                    )),
                );
                return None;
            }
            (None, None, _) => {
                self.diags.push(
                    Diagnostic::error(
                        Code::MissingKey,
                        format!("{what} needs `nama` (or a known `kode`)"),
                    )
                    .at(node.span, "neither is given")
                    .hint(
                        "add `nama:`; a jenis belanja may give just its `kode` (51 … 58, or 5.1.01 … 5.4 under `anggaran: {skema: daerah}`)",
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
        let mut m = node.as_map(&RINCIAN, self.diags)?;
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
        m.finish(self.diags);
        Some(Rincian {
            kegiatan: kegiatan?,
            jenis_belanja: jenis_belanja?,
            pagu: pagu?,
            realisasi: realisasi?,
        })
    }

    fn riwayat(&mut self, node: &Node) -> Option<Riwayat> {
        let mut m = node.as_map(&RIWAYAT, self.diags)?;
        let tahun = m.req("tahun", self.diags).and_then(|n| year(n, self.diags));
        let pagu = m.opt("pagu").and_then(|n| n.as_num(self.diags));
        let realisasi = m.opt("realisasi").and_then(|n| n.as_num(self.diags));
        let persen = m.opt("persen").and_then(|n| n.as_num(self.diags));
        let dicetak = dicetak(m.opt("dicetak"), &PRINTED_BUDGET, self.diags);
        m.finish(self.diags);
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
            dicetak,
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
