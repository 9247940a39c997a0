//! Reading budget files: the kegiatan and jenis belanja rows, line items (written, or
//! aggregated from exported line data), the history and the printed totals.

use super::fields::{YEAR, choice, year};
use super::kronologi::{self, KRONOLOGI, KRONOLOGI_DOC};
use super::levels::{Budget, Draft, RincianDraft, RincianOf};
use super::lines::{Aggregate, Columns, CsvError, KolomPeriode, LineSource, Options};
use super::periode::{PERIODE_KEY_DOC, per_periode};
use super::printed::{DICETAK_DOC, PRINTED_BUDGET, PRINTED_BUDGET_ROW, PRINTED_RIWAYAT, dicetak};
use super::shape::{DataKeys, Field, KeyKind, Mapping, Shape};
use super::yaml::{MapReader, Node, NodeKind};
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics, Place, Severity};
use crate::base::number::NumberFormat;
use crate::base::source::Span;
use crate::model::{
    Berkala, Dicetak, KNOWN_LEVELS, Kalender, Kronologi, Num, PerPeriode, Periode, Riwayat,
    RuleRef, Skema, Text, default_levels, level_title,
};
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
            "kegiatan",
            Shape::List(&Shape::Map(&BARIS)),
            "The budget per kegiatan (activity): `{kode, nama, pagu, realisasi, dicetak}` rows, each holding the rows of the next level under its name (`kro:` under a central kegiatan, `sub_kegiatan:` under a regional one). The total is the exact sum of the top rows.",
        ),
        Field::opt(
            "program",
            Shape::Either(&[Shape::Text, Shape::List(&Shape::Map(&BARIS))]),
            "The programme's name: `Program Pemberdayaan Sosial`; or, where `program` is a level of the budget (`anggaran.tingkat`, the default under `skema: daerah`), the programme rows, each holding its `kegiatan:`.",
        ),
        Field::opt(
            "sub_kegiatan",
            Shape::List(&Shape::Map(&BARIS)),
            SUB_KEGIATAN_DOC,
        ),
        Field::opt("kro", Shape::List(&Shape::Map(&BARIS)), KRO_DOC),
        Field::opt("ro", Shape::List(&Shape::Map(&BARIS)), RO_DOC),
        Field::opt("komponen", Shape::List(&Shape::Map(&BARIS)), KOMPONEN_DOC),
        Field::opt("satker", Shape::List(&Shape::Map(&BARIS)), SATKER_DOC),
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
        Field::opt("kronologi", KRONOLOGI, KRONOLOGI_TOTAL_DOC),
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
            "The column with the kegiatan's code (default `kegiatan`, unless `kolom` names other level columns).",
        ),
        Field::opt(
            "program",
            Shape::Text,
            "The column with the programme's code, where `program` is a level (`anggaran.tingkat`).",
        ),
        Field::opt(
            "sub_kegiatan",
            Shape::Text,
            "The column with the sub kegiatan's code, where `sub_kegiatan` is a level (the default of `skema: daerah`): the lines then sum into the sub kegiatan rows under their kegiatan.",
        ),
        Field::opt(
            "kro",
            Shape::Text,
            "The column with the KRO's code, where `kro` is a level (the default of `skema: pusat`).",
        ),
        Field::opt(
            "ro",
            Shape::Text,
            "The column with the RO's code, where `ro` is a level.",
        ),
        Field::opt(
            "komponen",
            Shape::Text,
            "The column with the komponen's code, where `komponen` is a level.",
        ),
        Field::opt(
            "satker",
            Shape::Text,
            "The column with the satker's code, where `satker` is a level.",
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
        Field::opt(
            "periode",
            Shape::Text,
            "The column with the period each line's realisasi was spent in (`TW2`, `Juni`, as in files): the lines then give their rows' realisasi per period. A line of pagu alone may leave it empty. Or `tanggal`, not both.",
        ),
        Field::opt(
            "tanggal",
            Shape::Text,
            "The column with the date each line's realisasi was spent on (`2022-05-31`, or `2022-05`), within the report's year: the line's realisasi counts in the calendar's period holding that date. A line of pagu alone may leave it empty. Or `periode`, not both.",
        ),
    ],
    data: None,
    examples: &[
        "{kegiatan: kode_kegiatan, akun: akun, pagu: pagu, realisasi: realisasi}",
        "{kegiatan: kode_kegiatan, kro: kode_kro}",
        "{kegiatan: kode_kegiatan, periode: triwulan}",
        "{kegiatan: kode_kegiatan, tanggal: tgl_sp2d}",
    ],
};

const KRONOLOGI_TOTAL_DOC: &str = "The dated changes of the budget's total pagu, where the report tells them of the whole budget rather than per row: a list of changes, or `{perubahan: […], diketahui: …}`. The audit checks that it reaches the total of the rows (A007).";

const PAGU_DOC: &str = "The pagu (budget allocation) in rupiah, a plain number: `158_067_203_000`. May be left out when line data (`rincian_csv`) supplies it.";
const REALISASI_DOC: &str = "The realisasi anggaran (spent) in rupiah, a plain number: `140_799_556_259`; or per period, `{per_periode: {TW1: 100_000, TW2: 250_000}}` (the realisasi as of the period reported accumulates them). May be left out when line data (`rincian_csv`) supplies it.";
const RPD_DOC: &str = "The disbursement plan (RPD, rencana penarikan dana: the DIPA's halaman III) per period: `{per_periode: {TW1: 150_000, TW2: 300_000, TW3: 300_000, TW4: 250_000}}`. The report shows the plan as of the period reported, its % of the pagu and the realisasi's deviation from it; its periods should add up to the pagu in force at the year's end (P006).";
const AKUMULASI_ANGGARAN_DOC: &str = "How the values per period accumulate into the figure as of a period: a rule under `rules/` taking the list of values; `jumlah` (the default for rupiah, unless the manifest's `periode.akumulasi` names one for `rupiah`: each value is the period's own) or `terakhir` (each value is the figure up to its period, as tables print \"s.d. TW II\").";

/// A budget row's realisasi given per period.
static REALISASI_BERKALA: Mapping = Mapping {
    what: "a budget row's realisasi per period",
    name: "realisasi_anggaran",
    doc: "The realisasi per period: `{per_periode: {TW1: 100_000, TW2: 250_000}}`, each the period's own spending; with `akumulasi: terakhir` each the spending up to its period.",
    fields: &[
        Field::req(
            "per_periode",
            Shape::Map(&RUPIAH_PER_PERIODE),
            "The amounts per period: `{TW1: 100_000, TW2: 250_000}`. A period with nothing reported yet is left out (not 0).",
        ),
        Field::opt("akumulasi", Shape::Text, AKUMULASI_ANGGARAN_DOC),
    ],
    data: None,
    examples: &[
        "{per_periode: {TW1: 100_000, TW2: 250_000}}",
        "{per_periode: {TW2: 350_000}, akumulasi: terakhir}",
    ],
};

/// A budget row's disbursement plan.
static RPD: Mapping = Mapping {
    what: "a disbursement plan (rpd)",
    name: "rpd",
    doc: RPD_DOC,
    fields: &[
        Field::req(
            "per_periode",
            Shape::Map(&RUPIAH_PER_PERIODE),
            "The planned amounts per period: `{TW1: 150_000, TW2: 300_000, TW3: 300_000, TW4: 250_000}`.",
        ),
        Field::opt("akumulasi", Shape::Text, AKUMULASI_ANGGARAN_DOC),
    ],
    data: None,
    examples: &["{per_periode: {TW1: 150_000, TW2: 300_000, TW3: 300_000, TW4: 250_000}}"],
};

static RUPIAH_PER_PERIODE: Mapping = Mapping {
    what: "per_periode",
    name: "rupiah_per_periode",
    doc: "Amounts in rupiah per period: `{TW1: 100_000, TW2: 250_000}`. Keys are periods of the manifest's calendar.",
    fields: &[],
    data: Some(DataKeys {
        keys: KeyKind::Periode,
        value: Shape::Number,
        doc: PERIODE_KEY_DOC,
    }),
    examples: &["{TW1: 100_000, TW2: 250_000}"],
};

const SUB_KEGIATAN_DOC: &str = "Sub kegiatan rows (Permendagri 90/2019: under a regional kegiatan), where `sub_kegiatan` is a level (`anggaran.tingkat`; the default of `skema: daerah`). At the top of a file, rows of a kegiatan written elsewhere: they join it by its code.";
const KRO_DOC: &str = "KRO rows (klasifikasi rincian output: under a central kegiatan), where `kro` is a level (the default of `skema: pusat`).";
const RO_DOC: &str =
    "RO rows (rincian output: under a KRO), where `ro` is a level (the default of `skema: pusat`).";
const SATKER_DOC: &str = "Satker rows (satuan kerja, the unit a DIPA is issued to), where `satker` is a level of the budget (`anggaran.tingkat: [satker, …]`): an eselon I unit's or a ministry's budget per satker, or one satker's DIPA as a whole.";
const KOMPONEN_DOC: &str =
    "Komponen rows (under an RO), where `komponen` is a level (the default of `skema: pusat`).";

/// A row's realisasi: one amount, or amounts per period.
const REALISASI_SHAPE: Shape = Shape::Either(&[Shape::Number, Shape::Map(&REALISASI_BERKALA)]);

/// A row of the budget's hierarchy, at any level.
static BARIS: Mapping = Mapping {
    what: "a budget row",
    name: "baris",
    doc: "A row of the budget: a kegiatan, or a row of another level the manifest names (`anggaran.tingkat`: program, kegiatan, sub_kegiatan; kegiatan, kro, ro, komponen). It gives its pagu and realisasi, or holds the rows of the next level under that level's name and is their exact sum (both: the audit checks they agree, A005).",
    fields: &[
        Field::opt(
            "kode",
            Shape::Text,
            "The row's code, where known: `\"1001\"`, `1.01.01.2.01`. Line items and line data name the row by it, and budget files merge rows by it.",
        ),
        Field::opt(
            "nama",
            Shape::Text,
            "The row's name, as the report prints it (required unless line data supplies the row, or it holds rows and gives a `kode`).",
        ),
        Field::opt("pagu", Shape::Number, PAGU_DOC),
        Field::opt("realisasi", REALISASI_SHAPE, REALISASI_DOC),
        Field::opt("rpd", Shape::Map(&RPD), RPD_DOC),
        Field::opt(
            "dicetak",
            Shape::OneOrList(&Shape::Map(&PRINTED_BUDGET_ROW)),
            DICETAK_DOC,
        ),
        Field::opt(
            "jenis_belanja",
            Shape::List(&Shape::Map(&JENIS_BELANJA)),
            "This row's own breakdown by jenis belanja: the audit checks it adds up to the row (A004).",
        ),
        Field::opt("kronologi", KRONOLOGI, KRONOLOGI_DOC),
        Field::opt(
            "program",
            Shape::List(&Shape::Map(&BARIS)),
            "Programme rows: only where the manifest names a level above `program`.",
        ),
        Field::opt(
            "kegiatan",
            Shape::List(&Shape::Map(&BARIS)),
            "Kegiatan rows, under a programme row (`anggaran.tingkat: [program, kegiatan, …]`).",
        ),
        Field::opt(
            "sub_kegiatan",
            Shape::List(&Shape::Map(&BARIS)),
            SUB_KEGIATAN_DOC,
        ),
        Field::opt("kro", Shape::List(&Shape::Map(&BARIS)), KRO_DOC),
        Field::opt("ro", Shape::List(&Shape::Map(&BARIS)), RO_DOC),
        Field::opt("komponen", Shape::List(&Shape::Map(&BARIS)), KOMPONEN_DOC),
        Field::opt("satker", Shape::List(&Shape::Map(&BARIS)), SATKER_DOC),
    ],
    data: None,
    examples: &[
        "{nama: Pemberdayaan dan Pelayanan Perizinan, pagu: 158_067_203_000, realisasi: 140_799_556_259}",
        "{kode: \"6371\", nama: Pemberdayaan Sosial, pagu: 1_000, realisasi: 900, jenis_belanja: [{kode: \"52\", pagu: 1_000, realisasi: 900}], kro: [{kode: QAH, nama: Bantuan, pagu: 1_000, realisasi: 900}]}",
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
        Field::opt("realisasi", REALISASI_SHAPE, REALISASI_DOC),
        Field::opt("rpd", Shape::Map(&RPD), RPD_DOC),
        Field::opt(
            "dicetak",
            Shape::OneOrList(&Shape::Map(&PRINTED_BUDGET_ROW)),
            DICETAK_DOC,
        ),
        Field::opt("kronologi", KRONOLOGI, KRONOLOGI_DOC),
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
            Shape::OneOrList(&Shape::Map(&PRINTED_RIWAYAT)),
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
    /// The levels of the budget's hierarchy (the manifest's `anggaran.tingkat`).
    pub(crate) tingkat: &'d [String],
    /// The calendar and the year, where line data dates its lines (`kolom: {tanggal: …}`).
    pub(crate) kalender: Kalender,
    pub(crate) tahun: i32,
}

/// One source of line data, read: its sums, where it is named, the levels its code
/// columns name, from the top, and the calendar its period column names periods of.
struct Lines {
    agg: Arc<Aggregate>,
    span: Span,
    levels: Vec<usize>,
    kalender: Option<Kalender>,
}

impl Lines {
    /// A group's realisasi per period, for every period up to the latest any line names
    /// (a period without lines spent nothing); `None` without a period column.
    fn periods(&self, sums: &[Decimal; 12]) -> Option<Vec<Decimal>> {
        self.kalender?;
        Some(sums[..usize::from(self.agg.periode)].to_vec())
    }
}

/// A group's sums over every source of line data: its pagu and realisasi, where the first
/// source is named, and its realisasi per period (`None` until a source adds to it; then
/// summed where every source has periods, none where one has not).
struct Summed {
    pagu: Decimal,
    realisasi: Decimal,
    span: Span,
    periods: Option<Option<Vec<Decimal>>>,
}

impl Summed {
    fn new(span: Span) -> Summed {
        Summed {
            pagu: Decimal::ZERO,
            realisasi: Decimal::ZERO,
            span,
            periods: None,
        }
    }

    /// Adds a group's sums from source `l`. Beyond the decimal range the line data is
    /// reported as overflowing.
    fn add(&mut self, s: &super::lines::Sums, l: &Lines) {
        self.pagu = self.pagu.checked_add(s.pagu).unwrap_or(self.pagu);
        self.realisasi = self
            .realisasi
            .checked_add(s.realisasi)
            .unwrap_or(self.realisasi);
        self.periods = Some(match (self.periods.take(), l.periods(&s.periode)) {
            (None, p) => p,
            (Some(Some(mut a)), Some(b)) => {
                if a.len() < b.len() {
                    a.resize(b.len(), Decimal::ZERO);
                }
                for (x, y) in a.iter_mut().zip(b) {
                    *x = x.checked_add(y).unwrap_or(*x);
                }
                Some(a)
            }
            (Some(_), _) => None,
        });
    }

    /// Its realisasi per period as a row holds them, where every source has periods.
    fn per_period(&mut self, kalender: Kalender) -> Option<PerPeriode<Num>> {
        let sums = self.periods.take().flatten()?;
        Some(per_period(kalender, &sums, self.span))
    }
}

/// Sums per period as a row holds them, placed at the line data's entry.
fn per_period(kalender: Kalender, sums: &[Decimal], span: Span) -> PerPeriode<Num> {
    PerPeriode {
        nilai: sums
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let periode = Periode {
                    kalender,
                    ke: i as u8 + 1,
                };
                (periode, span, num(*v, span))
            })
            .collect(),
    }
}

impl Reader<'_> {
    /// Reads one budget file into `budget`, where files merge. `file_dir` is the file's
    /// folder, relative to the workspace root.
    pub(crate) fn budget_file(&mut self, tree: &Node, file_dir: &str, budget: &mut Budget) {
        if tree.is_null() {
            return;
        }
        let Some(mut m) = tree.as_map(&BUDGET_FILE, self.diags) else {
            return;
        };
        // Line data first: the rows below may take their amounts from it.
        let mut lines: Vec<Lines> = Vec::new();
        if let Some(n) = m.opt("rincian_csv") {
            let specs: Vec<&Node> = match &n.kind {
                NodeKind::Seq(items) => items.iter().collect(),
                _ => vec![n],
            };
            for spec in specs {
                if let Some(l) = self.csv(spec, file_dir) {
                    lines.push(l);
                }
            }
        }
        let has_lines = !lines.is_empty();
        if let Some(n) = m.opt("program") {
            match &n.kind {
                NodeKind::Seq(_) => {}
                _ => {
                    if let Some(t) = n.as_text(self.diags) {
                        budget.program(t, self.diags);
                    }
                }
            }
        }
        // The rows, at whatever level each list is.
        for key in self.level_keys() {
            let node = if KNOWN_LEVELS.contains(&key.as_str()) {
                m.opt(&key)
            } else {
                m.named(&key)
            };
            let Some(node) = node else { continue };
            if key == "program" && !matches!(node.kind, NodeKind::Seq(_)) {
                continue;
            }
            let span = m.named_span(&key).unwrap_or(node.span);
            match self.tingkat.iter().position(|t| *t == key) {
                Some(t) => {
                    let rows = self.rows(node, t, has_lines);
                    budget.add_roots(rows, self.tingkat, self.diags);
                }
                None => self.not_a_level(&key, span),
            }
        }
        self.line_rows(&lines, budget);
        let mut jenis = Vec::new();
        if let Some(list) = m.opt("jenis_belanja") {
            jenis = self.jenis_rows(list, has_lines);
        }
        budget.add_jenis(jenis, self.diags);
        budget.add_jenis(line_jenis(&lines, self.kalender), self.diags);
        if let Some(list) = m.opt("rincian").and_then(|n| n.as_seq(self.diags)) {
            for item in list {
                if let Some(r) = self.rincian(item) {
                    budget.rincian.push(r);
                }
            }
        }
        if let Some(list) = m.opt("riwayat").and_then(|n| n.as_seq(self.diags)) {
            for item in list {
                let Some(r) = self.riwayat(item) else {
                    continue;
                };
                match budget.riwayat.iter().find(|e| e.tahun == r.tahun) {
                    Some(first) => self.diags.push(
                        Diagnostic::error(
                            Code::DuplicateId,
                            format!("riwayat {} is given twice", r.tahun),
                        )
                        .at(r.span, "given again here")
                        .also(first.span, "first given here")
                        .hint("a year of the history is one row: keep one of them (a figure the report printed elsewhere for that year goes under its `dicetak:`)"),
                    ),
                    None => budget.riwayat.push(r),
                }
            }
        }
        let dicetak = dicetak(m.opt("dicetak"), &PRINTED_BUDGET, self.diags);
        budget.dicetak_total.figures.extend(dicetak.figures);
        let total = m
            .opt("kronologi")
            .and_then(|n| kronologi::read(n, "the budget's total", self.diags));
        if let Some(k) = total {
            budget.kronologi_total(k, self.diags);
        }
        m.finish(self.diags);
    }

    /// The keys that hold rows: the manifest's levels, then the known level names it does
    /// not name (reported where written).
    fn level_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.tingkat.to_vec();
        for k in KNOWN_LEVELS {
            if !keys.iter().any(|x| x == k) {
                keys.push(k.to_string());
            }
        }
        keys
    }

    /// A list of rows at level `t`; a row given twice in one list is reported (M001), the
    /// first kept.
    fn rows(&mut self, node: &Node, t: usize, has_lines: bool) -> Vec<Draft> {
        let Some(items) = node.as_seq(self.diags) else {
            return Vec::new();
        };
        let mut out: Vec<Draft> = Vec::new();
        for item in items {
            let Some(row) = self.row(item, t, has_lines) else {
                continue;
            };
            if self.twice(&out, &row, &self.tingkat[t].clone()) {
                continue;
            }
            out.push(row);
        }
        out
    }

    /// Whether `row` repeats a row of `list` (reported).
    fn twice(&mut self, list: &[Draft], row: &Draft, level: &str) -> bool {
        let key = |d: &Draft| d.kode.as_ref().or(d.nama.as_ref()).cloned();
        let Some(k) = key(row) else { return false };
        let Some(first) = list.iter().filter_map(key).find(|f| f.value == k.value) else {
            return false;
        };
        self.diags.push(
            Diagnostic::error(
                Code::DuplicateId,
                format!("duplicate {} `{}`", level.replace('_', " "), k.value),
            )
            .at(k.span, "defined again here")
            .also(first.span, "first defined here")
            .hint("each row appears once in a list: remove or rename one of them"),
        );
        true
    }

    /// One row of the hierarchy at level `t`, with the rows it holds.
    fn row(&mut self, node: &Node, t: usize, has_lines: bool) -> Option<Draft> {
        let mut m = node.as_map(&BARIS, self.diags)?;
        let first_key = m.first_key_span();
        let kode = m.opt("kode").and_then(|n| n.as_text(self.diags));
        let nama = m.opt("nama").and_then(|n| n.as_text(self.diags));
        let amounts = self.amounts(&mut m);
        let whose = format!(
            "{} `{}`",
            level_title(&self.tingkat[t]),
            key_of(&kode, &nama)
        );
        let kronologi = self.kronologi(m.opt("kronologi"), &whose);
        let jenis = match m.opt("jenis_belanja") {
            Some(list) => self.jenis_rows(list, has_lines),
            None => Vec::new(),
        };
        let mut anak = Vec::new();
        let mut misplaced = false;
        for key in self.level_keys() {
            let child = if KNOWN_LEVELS.contains(&key.as_str()) {
                m.opt(&key)
            } else {
                m.named(&key)
            };
            let Some(child) = child else { continue };
            let span = m.named_span(&key).unwrap_or(child.span);
            match self.tingkat.iter().position(|l| *l == key) {
                Some(c) if c == t + 1 => anak = self.rows(child, c, has_lines),
                // Its rows are reported as misplaced: the row is not also incomplete.
                Some(c) => {
                    self.wrong_level(t, c, span);
                    misplaced = true;
                }
                None => {
                    self.not_a_level(&key, span);
                    misplaced = true;
                }
            }
        }
        m.finish(self.diags);
        if kode.is_none() && nama.is_none() {
            self.diags.push(
                Diagnostic::error(
                    Code::MissingKey,
                    format!(
                        "a {} row needs `nama` (or a `kode`)",
                        level_title(&self.tingkat[t])
                    ),
                )
                .at(node.span, "neither is given")
                .hint("add `nama:`, the row's name as the report prints it, and its `kode` where the report gives one"),
            );
            return None;
        }
        Some(Draft {
            tingkat: t,
            kode,
            nama,
            pagu: amounts.pagu,
            realisasi: amounts.realisasi,
            realisasi_periode: amounts.realisasi_periode,
            rpd: amounts.rpd,
            lines: None,
            lines_periode: None,
            file_has_lines: has_lines,
            broken: amounts.broken || misplaced,
            dicetak: amounts.dicetak,
            kronologi,
            jenis,
            anak,
            span: node.span,
            first_key,
        })
    }

    /// A key naming a level the manifest does not name.
    fn not_a_level(&mut self, key: &str, span: Span) {
        let listing = self.tingkat.join(" → ");
        let hint = if key == "program" {
            format!(
                "`program:` here is the programme's name, `program: Program …`; for programme rows, make `program` the first level in kinerja.yaml, `anggaran: {{tingkat: [program, {}]}}`",
                listing.replace(" → ", ", ")
            )
        } else {
            format!(
                "this workspace's budget levels are {listing}; to use {key} rows, name the levels in kinerja.yaml, e.g. `anggaran: {{tingkat: [{}]}}`",
                suggest_levels(self.tingkat, key).join(", ")
            )
        };
        self.diags.push(
            Diagnostic::error(
                Code::UnknownKey,
                format!("`{key}` is not a budget level of this workspace"),
            )
            .at(span, format!("not one of its levels ({listing})"))
            .hint(hint),
        );
    }

    /// Rows of level `c` under a row of level `t` that is not the level above them.
    fn wrong_level(&mut self, t: usize, c: usize, span: Span) {
        let levels = self.tingkat;
        let (row, child) = (&levels[t], &levels[c]);
        let listing = levels.join(" → ");
        let hint = match levels.get(t + 1) {
            None => format!(
                "{row} is the last level ({listing}): nothing goes under it; to go deeper, add a level after `{row}` to `anggaran.tingkat` in kinerja.yaml"
            ),
            Some(next) if c > t + 1 => format!(
                "under a {row} come its {next} rows ({listing}): put these {child} rows under their {} row, `{next}: [{{kode: …, {}: [...]}}]`",
                levels[c - 1],
                if c == t + 2 { child.as_str() } else { "…" }
            ),
            Some(next) => format!(
                "under a {row} come its {next} rows ({listing}); {child} rows go {}",
                if c == 0 {
                    "at the top of the file".to_string()
                } else {
                    format!("under a {} row", levels[c - 1])
                }
            ),
        };
        self.diags.push(
            Diagnostic::error(
                Code::UnknownKey,
                format!("a {row} row cannot hold {child} rows"),
            )
            .at(span, format!("not the level under {row}"))
            .hint(hint),
        );
    }

    /// Rows made from line data, one per path of codes it names, in code order, with the
    /// line items that tie each group of lines to its row.
    fn line_rows(&mut self, lines: &[Lines], budget: &mut Budget) {
        // Every source's groups by path, so that rows only the lines know come in code order.
        let mut paths: BTreeMap<(Vec<usize>, String), Summed> = BTreeMap::new();
        for l in lines {
            for ((path, _), s) in &l.agg.groups {
                paths
                    .entry((l.levels.clone(), path.clone()))
                    .or_insert_with(|| Summed::new(l.span))
                    .add(s, l);
            }
        }
        let mut leaf: BTreeMap<(Vec<usize>, String), Option<usize>> = BTreeMap::new();
        for ((levels, path), mut sums) in paths {
            let codes: Vec<(usize, &str)> = levels
                .iter()
                .copied()
                .zip(path.split(super::lines::LEVEL_SEPARATOR))
                .collect();
            let (pagu, realisasi, span) = (sums.pagu, sums.realisasi, sums.span);
            let periods = sums.per_period(self.kalender);
            let at = budget.add_line_row(
                &codes,
                (num(pagu, span), num(realisasi, span)),
                periods,
                span,
                self.tingkat,
                self.diags,
            );
            leaf.insert((levels, path), at);
        }
        for l in lines {
            let mut groups: Vec<_> = l.agg.groups.iter().collect();
            groups.sort_by(|a, b| a.0.cmp(b.0));
            for ((path, jenis), sums) in groups {
                let Some(Some(row)) = leaf.get(&(l.levels.clone(), path.clone())) else {
                    continue;
                };
                let last = path
                    .rsplit(super::lines::LEVEL_SEPARATOR)
                    .next()
                    .unwrap_or(path);
                let text = |v: &str| Text {
                    value: v.to_string(),
                    span: l.span,
                };
                budget.rincian.push(RincianDraft {
                    of: RincianOf::Row(*row),
                    kode: text(last),
                    jenis_belanja: text(jenis),
                    pagu: num(sums.pagu, l.span),
                    realisasi: num(sums.realisasi, l.span),
                });
            }
        }
    }

    /// Reads and aggregates one `rincian_csv` source.
    fn csv(&mut self, node: &Node, file_dir: &str) -> Option<Lines> {
        let mut m = node.as_map(&CSV, self.diags)?;
        let file = m
            .req("file", self.diags)
            .and_then(|n| n.as_text(self.diags));
        let mut columns = Columns::default();
        // The level columns: (level, header, where named).
        let mut named: Vec<(usize, String, Span)> = Vec::new();
        let mut levels_ok = true;
        let kolom = m.opt("kolom");
        if let Some(mut k) = kolom.and_then(|n| n.as_map(&CSV_COLUMNS, self.diags)) {
            for (key, slot) in [
                ("akun", &mut columns.akun),
                ("pagu", &mut columns.pagu),
                ("realisasi", &mut columns.realisasi),
            ] {
                if let Some(t) = k.opt(key).and_then(|n| n.as_text(self.diags)) {
                    *slot = t.value;
                }
            }
            let periode = k.opt("periode").and_then(|n| n.as_text(self.diags));
            let tanggal = k.opt("tanggal").and_then(|n| n.as_text(self.diags));
            if let (Some(p), Some(t)) = (&periode, &tanggal) {
                self.diags.push(
                    Diagnostic::error(
                        Code::WrongType,
                        "the line data names both a `periode` and a `tanggal` column",
                    )
                    .at(t.span, "a date column")
                    .also(p.span, "a period column")
                    .hint("name the one column that places each line's realisasi in a period: `periode` for one holding `TW2` or `Juni`, `tanggal` for one holding dates (`2022-05-31`)"),
                );
                levels_ok = false;
            }
            columns.periode = periode
                .map(|p| (p, false))
                .or(tanggal.map(|t| (t, true)))
                .map(|(t, tanggal)| KolomPeriode {
                    nama: t.value,
                    tanggal,
                    kalender: self.kalender,
                    tahun: self.tahun,
                });
            for key in self.level_keys() {
                let n = if KNOWN_LEVELS.contains(&key.as_str()) {
                    k.opt(&key)
                } else {
                    k.named(&key)
                };
                let Some(t) = n.and_then(|n| n.as_text(self.diags)) else {
                    continue;
                };
                let span = k.named_span(&key).unwrap_or(t.span);
                match self.tingkat.iter().position(|l| *l == key) {
                    Some(level) => named.push((level, t.value, span)),
                    None => {
                        levels_ok = false;
                        self.not_a_level(&key, span);
                    }
                }
            }
            k.finish(self.diags);
        }
        if named.is_empty() {
            match self.tingkat.iter().position(|l| l == "kegiatan") {
                Some(level) => named.push((level, "kegiatan".into(), node.span)),
                None => {
                    self.diags.push(
                        Diagnostic::error(
                            Code::MissingKey,
                            "the line data names no level column, and this budget has no `kegiatan` level to read by default",
                        )
                        .at(kolom.map_or(node.span, |k| k.span), "which column holds each line's row?")
                        .hint(format!(
                            "name the code column of a level in `kolom`, `kolom: {{{}: kode_{}}}` (the levels are {})",
                            self.tingkat[0],
                            self.tingkat[0],
                            self.tingkat.join(" → ")
                        )),
                    );
                    levels_ok = false;
                }
            }
        }
        named.sort_by_key(|(level, _, _)| *level);
        // Consecutive levels: a line's row is found from the top of what it names.
        for pair in named.windows(2) {
            if pair[1].0 != pair[0].0 + 1 {
                let gap = &self.tingkat[pair[0].0 + 1];
                self.diags.push(
                    Diagnostic::error(
                        Code::MissingKey,
                        format!(
                            "the line data's level columns skip `{gap}`: {} and {} are not consecutive levels",
                            self.tingkat[pair[0].0], self.tingkat[pair[1].0]
                        ),
                    )
                    .at(pair[1].2, format!("the level after {gap}"))
                    .hint(format!(
                        "add the column of the {gap} codes to `kolom`, `{gap}: kode_{gap}` (the levels are {})",
                        self.tingkat.join(" → ")
                    )),
                );
                levels_ok = false;
            }
        }
        let levels: Vec<usize> = named.iter().map(|(l, _, _)| *l).collect();
        let mut headers = named.into_iter().map(|(_, h, _)| h);
        columns.kegiatan = headers.next().unwrap_or_default();
        columns.deeper = headers.collect();
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
        if !levels_ok {
            return None;
        }
        let rel = if file_dir.is_empty() {
            file.value.clone()
        } else {
            format!("{file_dir}/{}", file.value)
        };
        let kalender = columns.periode.as_ref().map(|k| k.kalender);
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
        Some(Lines {
            agg,
            span: node.span,
            levels,
            kalender,
        })
    }

    /// A list of jenis belanja rows (the budget's, or a row's own breakdown); a code given
    /// twice is reported (M001), the first kept.
    fn jenis_rows(&mut self, node: &Node, has_lines: bool) -> Vec<Draft> {
        let Some(items) = node.as_seq(self.diags) else {
            return Vec::new();
        };
        let mut out: Vec<Draft> = Vec::new();
        for item in items {
            let Some(row) = self.jenis_row(item, has_lines) else {
                continue;
            };
            if self.twice(&out, &row, "jenis_belanja") {
                continue;
            }
            out.push(row);
        }
        out
    }

    /// A jenis belanja row; with line data, its amounts may be left out.
    fn jenis_row(&mut self, node: &Node, has_lines: bool) -> Option<Draft> {
        let mapping = &JENIS_BELANJA;
        let what = mapping.what;
        let mut m = node.as_map(mapping, self.diags)?;
        let first_key = m.first_key_span();
        let kode = m.opt("kode").and_then(|n| n.as_text(self.diags));
        let nama = m.opt("nama").and_then(|n| n.as_text(self.diags));
        let amounts = self.amounts(&mut m);
        let whose = format!("jenis belanja `{}`", key_of(&kode, &nama));
        let kronologi = self.kronologi(m.opt("kronologi"), &whose);
        m.finish(self.diags);
        // A jenis belanja's name follows from its code; otherwise it needs a name, unless
        // line data supplies the row (its code is its name then).
        let known = kode
            .as_ref()
            .and_then(|k| self.skema.jenis_name(&k.value).map(|n| (n, k.span)));
        let nama = match (nama, known, &kode) {
            (Some(n), _, _) => n,
            (None, Some((n, span)), _) => Text {
                value: n.to_string(),
                span,
            },
            (None, None, Some(k)) if has_lines => k.clone(),
            (None, None, Some(k)) => {
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
        Some(Draft {
            tingkat: 0,
            kode,
            nama: Some(nama),
            pagu: amounts.pagu,
            realisasi: amounts.realisasi,
            realisasi_periode: amounts.realisasi_periode,
            rpd: amounts.rpd,
            lines: None,
            lines_periode: None,
            file_has_lines: has_lines,
            broken: amounts.broken,
            dicetak: amounts.dicetak,
            kronologi,
            jenis: Vec::new(),
            anak: Vec::new(),
            span: node.span,
            first_key,
        })
    }

    /// What every budget row may give, a row of the hierarchy and a jenis belanja alike:
    /// its amounts (the realisasi perhaps per period), its plan and its printed figures.
    fn amounts(&mut self, m: &mut MapReader) -> Amounts {
        let (pagu_node, realisasi_node) = (m.opt("pagu"), m.opt("realisasi"));
        let pagu = pagu_node.and_then(|n| n.as_num(self.diags));
        let (realisasi, realisasi_periode) = self.realisasi(m, realisasi_node);
        let rpd_node = m.opt("rpd");
        let rpd = rpd_node.and_then(|n| self.berkala(n, &RPD, m.key_span("rpd")));
        let broken = (pagu_node.is_some() && pagu.is_none())
            || (realisasi_node.is_some() && realisasi.is_none() && realisasi_periode.is_none())
            || (rpd_node.is_some() && rpd.is_none());
        Amounts {
            pagu,
            realisasi,
            realisasi_periode,
            rpd,
            broken,
            dicetak: dicetak(m.opt("dicetak"), &PRINTED_BUDGET_ROW, self.diags),
        }
    }

    /// A row's chronology of pagu changes, where it gives one; `whose`: the row, as
    /// messages name it.
    fn kronologi(&mut self, node: Option<&Node>, whose: &str) -> Kronologi {
        node.and_then(|n| kronologi::read(n, whose, self.diags))
            .unwrap_or_default()
    }

    /// A row's realisasi: one amount (`realisasi: 900`), or amounts per period
    /// (`realisasi: {per_periode: {TW1: …}}`).
    fn realisasi(
        &mut self,
        m: &mut MapReader,
        node: Option<&Node>,
    ) -> (Option<Num>, Option<(PerPeriode<Num>, Berkala)>) {
        match node {
            Some(n) if matches!(n.kind, NodeKind::Map(_)) => {
                let at = m.key_span("realisasi");
                (None, self.berkala(n, &REALISASI_BERKALA, at))
            }
            Some(n) => (n.as_num(self.diags), None),
            None => (None, None),
        }
    }

    /// Values per period of a row (`{per_periode: {TW1: …}, akumulasi: …}`, as `mapping`
    /// declares them), placed at their key (`at`).
    fn berkala(
        &mut self,
        node: &Node,
        mapping: &'static Mapping,
        at: Option<Span>,
    ) -> Option<(PerPeriode<Num>, Berkala)> {
        let mut m = node.as_map(mapping, self.diags)?;
        let values = m
            .req("per_periode", self.diags)
            .and_then(|n| n.as_map(&RUPIAH_PER_PERIODE, self.diags))
            .map(|mut p| per_periode(p.rest(), self.diags, |v, d| v.as_num(d)));
        let akumulasi = m.opt("akumulasi").and_then(|n| n.as_text(self.diags));
        m.finish(self.diags);
        let berkala = Berkala {
            span: at.unwrap_or(node.span),
            akumulasi: akumulasi.map(RuleRef::from),
            dari_rincian: false,
        };
        Some((values?, berkala))
    }

    fn rincian(&mut self, node: &Node) -> Option<RincianDraft> {
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
        let kegiatan = kegiatan?;
        Some(RincianDraft {
            of: RincianOf::Named(kegiatan.clone()),
            kode: kegiatan,
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
        let dicetak = dicetak(m.opt("dicetak"), &PRINTED_RIWAYAT, self.diags);
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

/// The budget's jenis belanja rows line data gives: one per jenis, summed over every
/// source, in code order.
fn line_jenis(lines: &[Lines], kalender: Kalender) -> Vec<Draft> {
    let mut sums: BTreeMap<&str, Summed> = BTreeMap::new();
    for l in lines {
        for ((_, jenis), s) in &l.agg.groups {
            sums.entry(jenis.as_str())
                .or_insert_with(|| Summed::new(l.span))
                .add(s, l);
        }
    }
    sums.into_iter()
        .map(|(code, mut s)| {
            let (pagu, realisasi, span) = (s.pagu, s.realisasi, s.span);
            let periods = s.per_period(kalender);
            let text = |v: &str| Text {
                value: v.to_string(),
                span,
            };
            Draft {
                tingkat: 0,
                kode: Some(text(code)),
                // Named from its code when no file names it.
                nama: None,
                pagu: None,
                realisasi: None,
                realisasi_periode: None,
                rpd: None,
                lines: Some((num(pagu, span), num(realisasi, span))),
                lines_periode: periods,
                file_has_lines: true,
                broken: false,
                dicetak: Dicetak::default(),
                kronologi: Kronologi::default(),
                jenis: Vec::new(),
                anak: Vec::new(),
                span,
                first_key: span,
            }
        })
        .collect()
}

/// Levels to name for a workspace that wrote rows of level `key`: the scheme default
/// that has it, else the workspace's levels with it added last.
fn suggest_levels(levels: &[String], key: &str) -> Vec<String> {
    for skema in [Skema::Daerah, Skema::Pusat] {
        let d = default_levels(skema);
        if d.contains(&key) {
            return d.iter().map(|s| s.to_string()).collect();
        }
    }
    let mut out = levels.to_vec();
    out.push(key.to_string());
    out
}

/// How a row is named in a message while it is read: its code, else its name.
fn key_of<'a>(kode: &'a Option<Text>, nama: &'a Option<Text>) -> &'a str {
    kode.as_ref()
        .or(nama.as_ref())
        .map_or("", |t| t.value.as_str())
}

/// An amount summed from line data, placed at the `rincian_csv` entry it came from.
fn num(value: Decimal, span: Span) -> Num {
    Num {
        value,
        span,
        decimals: value.scale(),
    }
}

/// A budget row's amounts, plan and printed figures as read ([`Reader::amounts`]).
struct Amounts {
    pagu: Option<Num>,
    realisasi: Option<Num>,
    realisasi_periode: Option<(PerPeriode<Num>, Berkala)>,
    rpd: Option<(PerPeriode<Num>, Berkala)>,
    /// An amount is written but cannot be read (reported).
    broken: bool,
    dicetak: Dicetak,
}
