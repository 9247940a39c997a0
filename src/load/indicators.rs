//! Reading an indicator file: its sasaran and indikator, with their targets, realisasi
//! (given or computed by a rule from inputs), evidence, printed figures and tables.

use super::fields::{ROUNDING, TANGGAL, TANGGAL_DOC, choice, in_date_order, rounding, tanggal};
use super::periode::{PERIODE_KEY_DOC, per_periode, periods};
use super::printed::{
    DICETAK_DOC, PRINTED_INDIKATOR, PRINTED_SASARAN, TABEL, TABEL_DOC, dicetak, tabel,
};
use super::shape::{DataKeys, Field, KeyKind, Mapping, Need, Shape};
use super::yaml::{self, Node, NodeKind};
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::base::number::{NumberError, parse_plain, written_decimals};
use crate::base::source::{FileId, Span};
use crate::model::{
    Bukti, CapaianSpec, Indikator, Input, NilaiTarget, Num, PerPeriode, Periode, Polaritas,
    Realisasi, Rentang, RevisiTarget, RuleRef, Sasaran, SumberRealisasi, Target, Text,
};
use compact_str::CompactString;
use std::sync::Arc;

/// An indicator file: `indicators/*.yaml`.
pub(super) static INDICATOR_FILE: Mapping = Mapping {
    what: "an indicator file",
    name: "indicators",
    doc: "An indicator file: sasaran (goals) and the indikator that measure them. A file may hold either list, or both.",
    fields: &[
        Field::opt(
            "sasaran",
            Shape::List(&Shape::Map(&SASARAN)),
            "The sasaran (goals, such as the Sasaran Program SP1 … SP7 of a Perjanjian Kinerja) this file defines.",
        ),
        Field::opt(
            "indikator",
            Shape::List(&Shape::Map(&INDIKATOR)),
            "The indikator (IKP) this file defines, each under the sasaran it measures (or, in a workspace without sasaran, directly under the organisation).",
        ),
    ],
    data: None,
    examples: &["{sasaran: [{id: SP1, nama: Terpenuhinya kebutuhan dan hak dasar}]}"],
};

static SASARAN: Mapping = Mapping {
    what: "a sasaran",
    name: "sasaran",
    doc: "A sasaran (goal). Its capaian rolls up the capaian of its indikator (by the manifest's `rumus.capaian_sasaran`, the mean unless it says otherwise).",
    fields: &[
        Field::req(
            "id",
            Shape::Text,
            "The sasaran's id, unique in the workspace: `SP1`.",
        ),
        Field::req(
            "nama",
            Shape::Text,
            "The sasaran's name, as the report prints it.",
        ),
        Field::opt(
            "rumus",
            Shape::Text,
            "The rollup rule for this sasaran's capaian, instead of the manifest's `rumus.capaian_sasaran`: a rule under `rules/`, such as `rata_rata`.",
        ),
        Field::opt(
            "bulatkan",
            ROUNDING,
            "Rounding of this sasaran's capaian before the nilai kinerja uses it: `2`, or `{desimal: 2, mode: half_up}`.",
        ),
        Field::opt(
            "kategori",
            Shape::Text,
            "The band table of this sasaran's capaian (a table under `tabel:` in `rules/*.kategori.yaml`: `capaian_lima_tingkat`), instead of the manifest's `kategori.capaian_sasaran`.",
        ),
        Field::opt(
            "bobot",
            Shape::Number,
            "This sasaran's weight in the organisation's nilai kinerja: `bobot: 40`. Read by a weighted rollup (`rumus.nilai_kinerja: rata_rata_berbobot`); every sasaran then gives one, and they add up to the manifest's `bobot.jumlah` (100 unless it says 1).",
        ),
        Field::opt(
            "dicetak",
            Shape::OneOrList(&Shape::Map(&PRINTED_SASARAN)),
            DICETAK_DOC,
        ),
    ],
    data: None,
    examples: &["{id: SP1, nama: Terpenuhinya kebutuhan dan hak dasar}"],
};

// An indikator's and an IKK's keys mean the same; each mapping lists its own.
const NAMA_DOC: &str = "The indikator's name, as the report prints it.";
const SATUAN_DOC: &str = "Its unit: `persen`, `nilai`, `indeks`, `KPM`, `rupiah`, … (a `persen` figure outside 0–100 is warned about; a `rupiah` one with three decimals too).";
const POLARITAS_DOC: &str = "Which way is better: `maksimal` (higher is better, the default), `minimal` (lower is better), `stabilisasi` (on target is best). It chooses the capaian rule (the manifest's `rumus.capaian`).";
const TARGET_DOC: &str = "The target: `target: 91` for the report year, or `{pk: 91, renstra: {2022: 91, 2023: 92, 2024: 94}}`. The PK target counts for the report year, else that year's Renstra target; the last Renstra year is the medium-term comparison point. Any target may be a range, `{min: 80, maks: 90}` (\"80–90\"): inside it the target is reached. A PK revised during the year is written as its dated revisions, `{revisi: [{tanggal: 2022-01, pk: 36.6}, {tanggal: 2022-09, pk: 36.3}]}`.";
const REALISASI_DOC: &str = "The realisasi (the value reached): the figure, `realisasi: 99.25`, or how it is computed, `{rumus: rasio, masukan: {n: 330, t: 370}}`.";
const CAPAIAN_DOC: &str = "How the capaian (achievement: realisasi against target, in %) is computed when not by the polaritas' rule: `{rumus: capaian_minimal_terbalik, bulatkan: 2}`.";
const KOMPONEN_DOC: &str = "The IKK (Indikator Kinerja Kegiatan) that form this indikator (its \"komponen pembentuk\"): shown under it, not rolled up.";
const BUKTI_DOC: &str = "Other computations of the same figure that the report gives, kept as evidence beside the figure of record: the audit reports one that disagrees with it (A002).";

static INDIKATOR: Mapping = Mapping {
    what: "an indikator",
    name: "indikator",
    doc: "An indikator (IKP): its target, its realisasi (given, or computed by a rule from `masukan`), and the capaian computed from them.",
    fields: &[
        Field::req(
            "id",
            Shape::Text,
            "The indikator's id, unique across IKP and IKK: `IKP4.1`.",
        ),
        Field::req("nama", Shape::Text, NAMA_DOC),
        Field {
            name: "sasaran",
            shape: Shape::Text,
            need: Need::NotEmpty,
            doc: "The id of the sasaran it measures: `SP4`. Left out in a workspace without sasaran (an eselon IV unit's), whose indikator roll up to the organisation directly; in a workspace with sasaran every indikator names one.",
        },
        Field::req("satuan", Shape::Text, SATUAN_DOC),
        Field::opt("polaritas", Shape::Choice(&Polaritas::NAMES), POLARITAS_DOC),
        Field {
            name: "target",
            shape: Shape::Either(&[Shape::Number, Shape::Map(&TARGET), Shape::Map(&RENTANG)]),
            need: Need::NotEmpty,
            doc: TARGET_DOC,
        },
        Field::req(
            "realisasi",
            Shape::Either(&[Shape::Number, Shape::Map(&REALISASI)]),
            REALISASI_DOC,
        ),
        Field::opt("capaian", Shape::Map(&CAPAIAN_MAP), CAPAIAN_DOC),
        Field::opt(
            "bobot",
            Shape::Number,
            "This indikator's weight in its sasaran's capaian (in a workspace without sasaran, in the nilai kinerja): `bobot: 60`. Read by a weighted rollup (`rumus: rata_rata_berbobot` on the sasaran, or the manifest's `rumus.capaian_sasaran` / `rumus.nilai_kinerja`); every indikator of the rollup then gives one, and they add up to the manifest's `bobot.jumlah` (100 unless it says 1).",
        ),
        Field::opt(
            "komponen",
            Shape::List(&Shape::Map(&KOMPONEN_MAP)),
            KOMPONEN_DOC,
        ),
        Field::opt(
            "dicetak",
            Shape::OneOrList(&Shape::Map(&PRINTED_INDIKATOR)),
            DICETAK_DOC,
        ),
        Field::opt("bukti", Shape::List(&Shape::Map(&BUKTI_MAP)), BUKTI_DOC),
        Field::opt("tabel", Shape::List(&Shape::Map(&TABEL)), TABEL_DOC),
        Field::opt("catatan", Shape::Text, "A note."),
    ],
    data: None,
    examples: &[
        "{id: IKP1.1, nama: Persentase KPM yang menerima bantuan, sasaran: SP1, satuan: persen, target: 90, realisasi: 92.5}",
    ],
};

/// An IKK under an indikator's `komponen`: an indikator's keys but `sasaran`, with
/// everything but its name and unit optional.
static KOMPONEN_MAP: Mapping = Mapping {
    what: "a komponen (IKK)",
    name: "komponen",
    doc: "An IKK (Indikator Kinerja Kegiatan) forming its indikator: shown under it, not rolled up. Target and realisasi are optional: without both, its capaian is not computed.",
    fields: &[
        Field::req(
            "id",
            Shape::Text,
            "The IKK's id, unique across IKP and IKK: `IKP4.1-IKK1.1`.",
        ),
        Field::req("nama", Shape::Text, NAMA_DOC),
        Field::req("satuan", Shape::Text, SATUAN_DOC),
        Field::opt("polaritas", Shape::Choice(&Polaritas::NAMES), POLARITAS_DOC),
        Field::opt(
            "target",
            Shape::Either(&[Shape::Number, Shape::Map(&TARGET), Shape::Map(&RENTANG)]),
            TARGET_DOC,
        ),
        Field::opt(
            "realisasi",
            Shape::Either(&[Shape::Number, Shape::Map(&REALISASI)]),
            REALISASI_DOC,
        ),
        Field::opt("capaian", Shape::Map(&CAPAIAN_MAP), CAPAIAN_DOC),
        Field::opt(
            "komponen",
            Shape::List(&Shape::Map(&KOMPONEN_MAP)),
            KOMPONEN_DOC,
        ),
        Field::opt(
            "dicetak",
            Shape::OneOrList(&Shape::Map(&PRINTED_INDIKATOR)),
            DICETAK_DOC,
        ),
        Field::opt("bukti", Shape::List(&Shape::Map(&BUKTI_MAP)), BUKTI_DOC),
        Field::opt("tabel", Shape::List(&Shape::Map(&TABEL)), TABEL_DOC),
        Field::opt("catatan", Shape::Text, "A note."),
    ],
    data: None,
    examples: &["{id: IKP4.1-IKK1.1, nama: Persentase pendamping sesuai standar, satuan: persen}"],
};

static TARGET: Mapping = Mapping {
    what: "target",
    name: "target",
    doc: "The targets: the Perjanjian Kinerja's for the report year (one `pk`, or its dated `revisi`), and the Renstra's per year.",
    fields: &[
        Field::opt(
            "pk",
            Shape::Either(&[Shape::Number, Shape::Map(&RENTANG)]),
            "The Perjanjian Kinerja (PK) target of the report year, a number or a range (`{min: 80, maks: 90}`); without it, that year's Renstra target counts.",
        ),
        Field::opt(
            "renstra",
            Shape::Map(&RENSTRA),
            "The Renstra (medium-term plan) targets per year: `{2022: 91, 2023: 92, 2024: 94}`. The last year is the medium-term comparison point.",
        ),
        Field::opt(
            "per_periode",
            Shape::Map(&TARGET_PER_PERIODE),
            "The PK's targets per period of the report year, each the target as of that period: `{TW1: 25, TW2: 50, TW3: 75, TW4: 100}`. A report as of a period is measured against the target of the latest period up to it that has one, else against the year's.",
        ),
        Field::opt(
            "revisi",
            Shape::List(&Shape::Map(&REVISI_TARGET)),
            "The PK as signed and revised during the year, in date order, instead of `pk` and `per_periode`: `[{tanggal: 2022-01, pk: 36.6, dokumen: PK awal}, {tanggal: 2022-09, pk: 36.3, dokumen: PK revisi}]`. A report as of a period is measured against the latest revision dated on or before its end; before the first, the target is not set yet.",
        ),
    ],
    data: None,
    examples: &[
        "{pk: 91, renstra: {2022: 91, 2024: 94}}",
        "{pk: 100, per_periode: {TW1: 25, TW2: 50}}",
        "{revisi: [{tanggal: 2022-01, pk: 36.6, dokumen: PK awal}, {tanggal: 2022-09, pk: 36.3, dokumen: PK revisi}], renstra: {2022: 36.3}}",
    ],
};

/// One dated PK of the year: `target.revisi`'s entries.
static REVISI_TARGET: Mapping = Mapping {
    what: "a target revision",
    name: "revisi_target",
    doc: "One Perjanjian Kinerja of the year, as signed (PK awal) or revised (PK revisi): its date, and the targets it sets (`pk`, `per_periode`, or both), in force from the period its date falls in until the next revision's.",
    fields: &[
        Field::req("tanggal", TANGGAL, TANGGAL_DOC),
        Field::opt(
            "pk",
            Shape::Either(&[Shape::Number, Shape::Map(&RENTANG)]),
            "The year's target this PK sets, a number or a range (`{min: 80, maks: 90}`). A revision gives `pk`, `per_periode`, or both.",
        ),
        Field::opt(
            "per_periode",
            Shape::Map(&TARGET_PER_PERIODE),
            "The targets per period this PK sets, as `target.per_periode`: `{TW1: 25, TW2: 50}`.",
        ),
        Field::opt(
            "dokumen",
            Shape::Text,
            "Which document: `PK awal`, `PK revisi`.",
        ),
        Field::opt(
            "sumber",
            Shape::Text,
            "Where the report prints it: `PK September (L1538)`.",
        ),
        Field::opt("keterangan", Shape::Text, "A note on this revision."),
    ],
    data: None,
    examples: &[
        "{tanggal: 2022-09, pk: 36.3, dokumen: PK revisi, sumber: PK September 2022, keterangan: Reviu Renstra}",
        "{tanggal: 2022-01-03, per_periode: {TW1: 25, TW2: 50}}",
    ],
};

static TARGET_PER_PERIODE: Mapping = Mapping {
    what: "target.per_periode",
    name: "target_per_periode",
    doc: "The PK's targets per period: `{TW1: 25, TW2: 50, TW3: 75, TW4: 100}`. Keys are periods of the manifest's calendar.",
    fields: &[],
    data: Some(DataKeys {
        keys: KeyKind::Periode,
        value: Shape::Either(&[Shape::Number, Shape::Map(&RENTANG)]),
        doc: PERIODE_KEY_DOC,
    }),
    examples: &["{TW1: 25, TW2: 50, TW3: 75, TW4: 100}"],
};

static REALISASI_PER_PERIODE: Mapping = Mapping {
    what: "realisasi.per_periode",
    name: "realisasi_per_periode",
    doc: "The realisasi per period: `{TW1: 20, TW2: 35}`. Keys are periods of the manifest's calendar; a period with no value yet is left out (not 0).",
    fields: &[],
    data: Some(DataKeys {
        keys: KeyKind::Periode,
        value: Shape::Number,
        doc: PERIODE_KEY_DOC,
    }),
    examples: &["{TW1: 20, TW2: 35}"],
};

static REALISASI_PER_PERIODE_MASUKAN: Mapping = Mapping {
    what: "realisasi.per_periode",
    name: "realisasi_per_periode_masukan",
    doc: "Each period's inputs to the realisasi's `rumus`: `{TW1: {n: 30, t: 40}, TW2: {n: 55, t: 60}}`. Keys are periods of the manifest's calendar; each period's inputs give that period's value by the rule, and the values accumulate by `akumulasi`. A cumulative figure (\"s.d. TW II\") is written with cumulative inputs per period and `akumulasi: terakhir`.",
    fields: &[],
    data: Some(DataKeys {
        keys: KeyKind::Periode,
        value: Shape::Either(&[Shape::Map(&MASUKAN_PERIODE), Shape::List(&Shape::Input)]),
        doc: PERIODE_KEY_DOC,
    }),
    examples: &["{TW1: {n: 30, t: 40}, TW2: {n: 55, t: 60}}"],
};

static MASUKAN_PERIODE: Mapping = Mapping {
    what: "a period's inputs",
    name: "masukan_periode",
    doc: "One period's inputs to the realisasi's rule, as `masukan` gives the year's: `{n: 30, t: 40}`.",
    fields: &[],
    data: Some(DataKeys {
        keys: KeyKind::Any,
        value: Shape::Input,
        doc: "An input of the rule, handed to it as written: a number (exact), text, or a list or mapping of inputs.",
    }),
    examples: &["{n: 30, t: 40}"],
};

static RENSTRA: Mapping = Mapping {
    what: "target.renstra",
    name: "renstra",
    doc: "The Renstra targets per year: `{2022: 91, 2023: 92, 2024: 94}`.",
    fields: &[],
    data: Some(DataKeys {
        keys: KeyKind::Year,
        value: Shape::Either(&[Shape::Number, Shape::Map(&RENTANG)]),
        doc: "The Renstra target of this year: a number, or a range (`{min: 80, maks: 90}`).",
    }),
    examples: &["{2022: 91, 2023: 92, 2024: 94}"],
};

static RENTANG: Mapping = Mapping {
    what: "a target range",
    name: "rentang",
    doc: "A target range, \"80–90\": a realisasi inside it (bounds included) reaches the target; above it, it is measured against `maks`, below it against `min` (PermenPANRB), by the manifest's `rumus.capaian_rentang`.",
    fields: &[
        Field::req("min", Shape::Number, "The range's lower bound: `80`."),
        Field::req("maks", Shape::Number, "The range's upper bound: `90`."),
    ],
    data: None,
    examples: &["{min: 80, maks: 90}"],
};

static REALISASI: Mapping = Mapping {
    what: "realisasi",
    name: "realisasi",
    doc: "The realisasi: a given figure (`nilai`), a rule (`rumus`) and its inputs (`masukan`), or values per period (`per_periode`): given, or computed by `rumus` from each period's inputs.",
    fields: &[
        Field::opt(
            "nilai",
            Shape::Number,
            "The realisasi as given, the figure of record: `{nilai: 36.3}` is `realisasi: 36.3`.",
        ),
        Field::opt(
            "rumus",
            Shape::Text,
            "The rule that computes the realisasi from `masukan` (or, beside `per_periode`, each period's value from that period's inputs): a shipped one (`rasio`, `rasio_gabungan`, `jumlah_tertimbang`, `indeks_kepuasan`, `nilai_indeks`) or the workspace's own.",
        ),
        Field::opt(
            "masukan",
            Shape::Input,
            "The rule's inputs, as written: `{n: 330, t: 370}`. Numbers, text, lists and mappings, handed to the rule as they are (numbers as exact decimals).",
        ),
        Field::opt(
            "per_periode",
            Shape::Beside {
                key: "rumus",
                with: &Shape::Map(&REALISASI_PER_PERIODE_MASUKAN),
                without: &Shape::Map(&REALISASI_PER_PERIODE),
            },
            "The realisasi per period, instead of `nilai` or `masukan`: `{TW1: 20, TW2: 35}`, or, beside `rumus`, each period's inputs to the rule, `{TW1: {n: 30, t: 40}, TW2: {n: 55, t: 60}}`. The figure as of a period accumulates the periods up to it by `akumulasi`.",
        ),
        Field::opt(
            "akumulasi",
            Shape::Text,
            "How `per_periode` values accumulate into the figure as of a period, instead of the manifest's rule for the satuan (`periode.akumulasi`): a rule under `rules/` taking the list of values, `jumlah` (the cumulative sum), `terakhir` (the latest value), `rata_rata`, `maksimum`.",
        ),
        Field::opt(
            "bulatkan",
            ROUNDING,
            "Rounding of the realisasi before the capaian is computed from it: `2`, or `{desimal: 2, mode: half_up}`.",
        ),
        Field::opt(
            "kategori",
            Shape::Text,
            "The band table of the realisasi (a table under `tabel:` in `rules/*.kategori.yaml`: `predikat_sakip`), instead of the manifest's `kategori.realisasi`: the report shows the band beside the figure, `77.51 (BB)`.",
        ),
    ],
    data: None,
    examples: &[
        "{rumus: rasio, masukan: {n: 330, t: 370}, bulatkan: 2}",
        "{nilai: 36.3}",
        "{nilai: 77.51, kategori: predikat_sakip}",
        "{per_periode: {TW1: 20, TW2: 35}, akumulasi: jumlah}",
        "{rumus: rasio, per_periode: {TW1: {n: 30, t: 40}, TW2: {n: 55, t: 60}}, akumulasi: terakhir}",
    ],
};

static CAPAIAN_MAP: Mapping = Mapping {
    what: "capaian",
    name: "capaian",
    doc: "How the capaian is computed: its rule and its rounding.",
    fields: &[
        Field::opt(
            "rumus",
            Shape::Text,
            "The capaian rule, instead of the one the manifest's `rumus.capaian` names for the polaritas.",
        ),
        Field::opt(
            "bulatkan",
            ROUNDING,
            "Rounding of the capaian before the sasaran's rollup uses it: `2`, or `{desimal: 2, mode: half_up}`.",
        ),
        Field::opt(
            "kategori",
            Shape::Text,
            "The band table of the capaian (a table under `tabel:` in `rules/*.kategori.yaml`: `capaian_lima_tingkat`), instead of the manifest's `kategori.capaian`.",
        ),
    ],
    data: None,
    examples: &[
        "{rumus: capaian_maksimal, bulatkan: 2}",
        "{kategori: capaian_lima_tingkat}",
    ],
};

static BUKTI_MAP: Mapping = Mapping {
    what: "bukti",
    name: "bukti",
    doc: "Evidence: another computation of the figure that the report gives, by a rule from its inputs.",
    fields: &[
        Field::opt(
            "keterangan",
            Shape::Text,
            "What this computation is, and where the report gives it.",
        ),
        Field::req(
            "rumus",
            Shape::Text,
            "The rule that computes the evidence's figure: `rasio`.",
        ),
        Field::req(
            "masukan",
            Shape::Input,
            "The rule's inputs as the report gives them: `{n: 4765, t: 5100}`.",
        ),
        Field::opt(
            "diketahui",
            Shape::Text,
            "Why a known disagreement with the figure of record is the way it is; the audit then lists it as known.",
        ),
    ],
    data: None,
    examples: &["{keterangan: the table's rows, rumus: rasio, masukan: {n: 4765, t: 5100}}"],
};

/// One indicator file's part of the model, with what reading it reported.
#[derive(Default)]
pub(crate) struct IndicatorFile {
    pub(crate) sasaran: Vec<Sasaran>,
    pub(crate) indikator: Vec<Arc<Indikator>>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Sasaran named by indikator that were left out for their errors.
    pub(crate) dropped_refs: Vec<String>,
}

/// Reads one indicator file: the unit of loading.
pub(crate) fn read(file: FileId, text: &str) -> IndicatorFile {
    let mut diags = Diagnostics::default();
    let mut out = IndicatorFile::default();
    let mut reader = Reader {
        diags: &mut diags,
        dropped_refs: Vec::new(),
        input_failed: false,
    };
    if let Some(tree) = yaml::read(file, text, reader.diags) {
        reader.file(&tree, &mut out.sasaran, &mut out.indikator);
    }
    out.dropped_refs = reader.dropped_refs;
    out.diagnostics = diags.into_vec();
    out
}

struct Reader<'d> {
    diags: &'d mut Diagnostics,
    /// Sasaran named by indikator that were left out for their errors.
    dropped_refs: Vec<String>,
    /// Set while reading rule inputs when a number in them cannot be read.
    input_failed: bool,
}

impl Reader<'_> {
    fn file(
        &mut self,
        tree: &Node,
        sasaran: &mut Vec<Sasaran>,
        indikator: &mut Vec<Arc<Indikator>>,
    ) {
        if tree.is_null() {
            return;
        }
        let Some(mut m) = tree.as_map(&INDICATOR_FILE, self.diags) else {
            return;
        };
        if let Some(list) = m.opt("sasaran").and_then(|n| n.as_seq(self.diags)) {
            for item in list {
                if let Some(s) = self.sasaran(item) {
                    sasaran.push(s);
                }
            }
        }
        if let Some(list) = m.opt("indikator").and_then(|n| n.as_seq(self.diags)) {
            for item in list {
                if let Some(i) = self.indikator(item, true) {
                    indikator.push(Arc::new(i));
                }
            }
        }
        m.finish(self.diags);
    }

    fn sasaran(&mut self, node: &Node) -> Option<Sasaran> {
        let mut m = node.as_map(&SASARAN, self.diags)?;
        let id = m.req("id", self.diags).and_then(|n| n.as_text(self.diags));
        let nama = m
            .req("nama", self.diags)
            .and_then(|n| n.as_text(self.diags));
        let rumus = m
            .opt("rumus")
            .and_then(|n| n.as_text(self.diags))
            .map(RuleRef::from);
        let bulatkan = m.opt("bulatkan").and_then(|n| rounding(n, self.diags));
        let kategori = m.opt("kategori").and_then(|n| n.as_text(self.diags));
        let bobot = m.opt("bobot").and_then(|n| n.as_num(self.diags));
        let dicetak = dicetak(m.opt("dicetak"), &PRINTED_SASARAN, self.diags);
        m.finish(self.diags);
        Some(Sasaran {
            span: node.span,
            id: id?,
            nama: nama.map(|t| t.value).unwrap_or_default(),
            rumus,
            bulatkan,
            kategori,
            bobot,
            dicetak,
        })
    }

    fn indikator(&mut self, node: &Node, top_level: bool) -> Option<Indikator> {
        let mapping = if top_level { &INDIKATOR } else { &KOMPONEN_MAP };
        let mut m = node.as_map(mapping, self.diags)?;
        let id = m.req("id", self.diags).and_then(|n| n.as_text(self.diags));
        let nama = m
            .req("nama", self.diags)
            .and_then(|n| n.as_text(self.diags));
        // Optional: a workspace without sasaran rolls its indikator up directly; one that
        // has sasaran requires it of every indikator (`validate`, which sees them all).
        // `sasaran:` written with no value meant to name one: reported there, and the
        // indikator left out like one missing a required key.
        let mut unnamed = None;
        let sasaran = if top_level {
            match m.opt("sasaran") {
                Some(n) => n.as_text(self.diags),
                None => {
                    unnamed = m.empty("sasaran", self.diags);
                    None
                }
            }
        } else {
            None
        };
        let satuan = m
            .req("satuan", self.diags)
            .and_then(|n| n.as_text(self.diags));
        let polaritas = match m.opt("polaritas") {
            Some(n) => {
                choice(n, &Polaritas::NAMES, self.diags).and_then(|p| Polaritas::from_name(&p))
            }
            None => Some(Polaritas::Maksimal),
        };
        let target = match m.opt("target") {
            Some(n) => self.target(n, id.as_ref()),
            // `target:` written with no value is reported there, not as a missing target.
            None if top_level => Target {
                span: m.empty("target", self.diags),
                ..Target::default()
            },
            None => Target::default(),
        };
        let realisasi = if top_level {
            m.req("realisasi", self.diags)
                .and_then(|n| self.realisasi(n))
        } else {
            m.opt("realisasi").and_then(|n| self.realisasi(n))
        };
        let capaian = match m.opt("capaian") {
            Some(n) => self.capaian(n),
            None => CapaianSpec::default(),
        };
        let bobot = if top_level {
            m.opt("bobot").and_then(|n| n.as_num(self.diags))
        } else {
            None
        };
        let mut komponen = Vec::new();
        if let Some(list) = m.opt("komponen").and_then(|n| n.as_seq(self.diags)) {
            for item in list {
                if let Some(k) = self.indikator(item, false) {
                    komponen.push(k);
                }
            }
        }
        let dicetak = dicetak(m.opt("dicetak"), &PRINTED_INDIKATOR, self.diags);
        let mut bukti = Vec::new();
        if let Some(list) = m.opt("bukti").and_then(|n| n.as_seq(self.diags)) {
            for item in list {
                if let Some(b) = self.bukti(item) {
                    bukti.push(b);
                }
            }
        }
        let mut tables = Vec::new();
        if let Some(list) = m.opt("tabel").and_then(|n| n.as_seq(self.diags)) {
            for item in list {
                if let Some(t) = tabel(item, self.diags) {
                    tables.push(t);
                }
            }
        }
        let catatan = m.opt_string("catatan", self.diags);
        let mut target = target;
        let suggested = m.finish(self.diags);
        // A misspelled `target` is reported once, as the typo, not again as a missing target.
        if target.span.is_none()
            && let Some((_, span)) = suggested.into_iter().find(|(k, _)| k == "target")
        {
            target.span = Some(span);
        }
        // An indikator left out for its errors still counts as naming its sasaran.
        if let Some(s) = &sasaran
            && (id.is_none()
                || satuan.is_none()
                || polaritas.is_none()
                || (top_level && realisasi.is_none()))
        {
            self.dropped_refs.push(s.value.clone());
        }
        if unnamed.is_some() {
            return None;
        }
        Some(Indikator {
            span: node.span,
            id: id?,
            nama: nama.map(|t| t.value).unwrap_or_default(),
            sasaran,
            satuan: satuan?.value,
            polaritas: polaritas?,
            target,
            realisasi,
            capaian,
            bobot,
            komponen,
            dicetak,
            bukti,
            tabel: tables,
            catatan,
        })
    }

    fn target(&mut self, node: &Node, id: Option<&Text>) -> Target {
        let mut target = Target {
            span: Some(node.span),
            ..Target::default()
        };
        // `target: 91` (or `target: {min: 80, maks: 90}`) is shorthand for the PK target of
        // the manifest's year.
        if matches!(
            node.kind,
            NodeKind::Number(_) | NodeKind::Str(_) | NodeKind::Reported
        ) || is_range(node)
        {
            target.pk = nilai_target(node, self.diags);
            return target;
        }
        if !matches!(node.kind, NodeKind::Map(_)) {
            self.diags.push(
                Diagnostic::error(
                    Code::WrongType,
                    format!(
                        "a target is a number or a mapping, not {}",
                        node.kind.describe()
                    ),
                )
                .at(node.span, "not a target")
                .hint("write `target: 90`, `target: {min: 80, maks: 90}`, or `target: {pk: 90, renstra: {2022: 90, 2024: 95}}`"),
            );
            return target;
        }
        let reported = self.diags.len();
        let Some(mut m) = node.as_map(&TARGET, self.diags) else {
            return target;
        };
        target.pk = m.opt("pk").and_then(|n| nilai_target(n, self.diags));
        if let Some(r) = m.opt("renstra")
            && let Some(mut years) = r.as_map(&RENSTRA, self.diags)
        {
            for (key, value) in years.rest() {
                let Ok(year) = key.name.parse::<i32>() else {
                    self.diags.push(
                            Diagnostic::error(Code::WrongType, format!("`{}` is not a year", key.name))
                                .at(key.span, "expected a year such as 2024")
                                .hint("Renstra targets are written per year: `renstra: {2022: 91, 2024: 95}`"),
                        );
                    continue;
                };
                if let Some(n) = nilai_target(value, self.diags) {
                    target.renstra.insert(year, n);
                }
            }
        }
        if let Some(p) = m.opt("per_periode") {
            target.per_periode = self.target_per_periode(p);
        }
        if let Some(list) = m.opt("revisi").and_then(|n| n.as_seq(self.diags)) {
            target.revisi = list.iter().filter_map(|r| self.revisi(r)).collect();
            let whose = id.map_or("an indikator".to_string(), |t| t.value.clone());
            let dates: Vec<_> = target.revisi.iter().map(|r| (r.tanggal, r.span)).collect();
            in_date_order(&dates, &format!("{whose}'s target revisions"), self.diags);
            // The PK of the year is the chronology's: one written beside it would be a
            // second value for the same thing.
            for key in ["pk", "per_periode"] {
                if let Some(n) = m.opt(key) {
                    self.diags.push(
                        Diagnostic::error(
                            Code::WrongType,
                            format!("{whose}'s target has `{key}` beside `revisi`: the PK is given twice"),
                        )
                        .at(n.span, format!("a `{key}` outside the revisions"))
                        .hint(format!("the PK's targets are those of its revisions: move this `{key}` into the revision that sets it (`revisi: [{{tanggal: …, {key}: …}}]`), or remove it")),
                    );
                }
            }
            target.pk = None;
            target.per_periode = PerPeriode::default();
        }
        m.finish(self.diags);
        // A mapping that sets no target (`{}`, `revisi: []`) and reported nothing is no
        // target: validation says so (M003), rather than taking it for one unreadable.
        if target.is_empty() && self.diags.len() == reported {
            target.span = None;
        }
        target
    }

    /// `per_periode: {TW1: 25, TW2: 50}` of a target or of one of its revisions.
    fn target_per_periode(&mut self, node: &Node) -> PerPeriode<NilaiTarget> {
        match node.as_map(&TARGET_PER_PERIODE, self.diags) {
            Some(mut periods) => per_periode(periods.rest(), self.diags, nilai_target),
            None => PerPeriode::default(),
        }
    }

    /// One entry of `target.revisi`: its date and the targets it sets. Left out when its
    /// date cannot be read or it sets no target (each reported).
    fn revisi(&mut self, node: &Node) -> Option<RevisiTarget> {
        let mut m = node.as_map(&REVISI_TARGET, self.diags)?;
        let tanggal = m
            .req("tanggal", self.diags)
            .and_then(|n| tanggal(n, self.diags));
        let pk = m.opt("pk").map(|n| nilai_target(n, self.diags));
        let per_periode = m.opt("per_periode").map(|n| self.target_per_periode(n));
        let dokumen = m.opt("dokumen").and_then(|n| n.as_text(self.diags));
        let sumber = m.opt("sumber").and_then(|n| n.as_text(self.diags));
        let keterangan = m.opt("keterangan").and_then(|n| n.as_text(self.diags));
        m.finish(self.diags);
        if pk.is_none() && per_periode.is_none() {
            self.diags.push(
                Diagnostic::error(Code::MissingKey, "a target revision sets no target")
                    .at(node.span, "neither `pk` nor `per_periode`")
                    .hint("give the target this PK sets: `pk: 36.3` for the year, or `per_periode: {TW1: 25, TW2: 50}`, or both"),
            );
            return None;
        }
        let (tanggal, span) = tanggal?;
        Some(RevisiTarget {
            tanggal,
            span,
            // An unreadable value was reported where it is written.
            pk: pk.flatten(),
            per_periode: per_periode.unwrap_or_default(),
            dokumen,
            sumber,
            keterangan,
        })
    }

    /// Values per period whose reading needs the reader (a rule's inputs): the keys by
    /// [`periods`], each value by `value`, in period order.
    fn per_periode_with<'a, T>(
        &mut self,
        entries: Vec<(&'a yaml::Key<'a>, &'a Node<'a>)>,
        mut value: impl FnMut(&mut Self, &'a Node<'a>) -> Option<T>,
    ) -> PerPeriode<T> {
        let keyed = periods(entries, self.diags);
        let mut nilai: Vec<(Periode, Span, T)> = keyed
            .into_iter()
            .filter_map(|(p, at, node)| value(self, node).map(|v| (p, at, v)))
            .collect();
        nilai.sort_by_key(|(p, _, _)| *p);
        PerPeriode { nilai }
    }

    /// One period's inputs to the realisasi's rule `rumus`: a mapping (or a list), as
    /// `masukan` is. A number there is refused rather than handed to the rule: beside
    /// inputs it is most likely a period's value, which cannot stand among computed ones.
    /// `None` when it cannot be read (reported).
    fn masukan_periode(&mut self, node: &Node, rumus: &str) -> Option<Input> {
        match node.kind {
            NodeKind::Map(_) | NodeKind::Seq(_) => {
                self.input_failed = false;
                let input = self.input(node);
                (!std::mem::take(&mut self.input_failed)).then_some(input)
            }
            // Its own mistake is reported already.
            NodeKind::Reported => None,
            _ => {
                self.diags.push(
                    Diagnostic::error(
                        Code::WrongType,
                        format!(
                            "a period's inputs to `{rumus}` are a mapping, not {}",
                            node.kind.describe()
                        ),
                    )
                    .at(node.span, "not the rule's inputs")
                    .hint(format!("beside `rumus: {rumus}`, every period gives the rule's inputs: `TW1: {{n: 30, t: 40}}`; a period known only by its value cannot stand among computed ones: give its inputs, or remove `rumus` and give every period as a number")),
                );
                None
            }
        }
    }

    fn realisasi(&mut self, node: &Node) -> Option<Realisasi> {
        // `realisasi: 99.25` is shorthand for a given value.
        if matches!(
            node.kind,
            NodeKind::Number(_) | NodeKind::Str(_) | NodeKind::Reported
        ) {
            return Some(Realisasi {
                sumber: SumberRealisasi::Nilai(node.as_num(self.diags)?),
                bulatkan: None,
                kategori: None,
                akumulasi: None,
                span: node.span,
            });
        }
        let mut m = node.as_map(&REALISASI, self.diags)?;
        let nilai = m.opt("nilai").map(|n| (n, n.as_num(self.diags)));
        // Beside `rumus`, `per_periode` holds each period's inputs, not its value.
        let rumus_node = m.opt("rumus");
        let rumus = rumus_node.and_then(|n| n.as_text(self.diags));
        self.input_failed = false;
        let masukan_node = m.opt("masukan");
        let masukan = masukan_node.map(|n| self.input(n));
        // Inputs with unreadable numbers are reported; the rule is not run on them.
        let unreadable = std::mem::take(&mut self.input_failed);
        let per_periode = m.opt("per_periode").map(|n| {
            let values = match (rumus_node, &rumus) {
                (Some(_), rule) => {
                    let rule = rule.as_ref().map_or("", |r| r.value.as_str()).to_string();
                    n.as_map(&REALISASI_PER_PERIODE_MASUKAN, self.diags)
                        .map(|mut p| {
                            self.per_periode_with(p.rest(), |r, v| r.masukan_periode(v, &rule))
                        })
                        .map(Periodik::Masukan)
                }
                (None, _) => n
                    .as_map(&REALISASI_PER_PERIODE, self.diags)
                    .map(|mut p| per_periode(p.rest(), self.diags, nilai_periode))
                    .map(Periodik::Nilai),
            };
            (n, values)
        });
        let akumulasi = m.opt("akumulasi").and_then(|n| n.as_text(self.diags));
        let bulatkan = m.opt("bulatkan").and_then(|n| rounding(n, self.diags));
        let kategori = m.opt("kategori").and_then(|n| n.as_text(self.diags));
        m.finish(self.diags);
        if let Some((n, values)) = per_periode {
            if let Some((other, _)) = nilai {
                self.diags.push(
                    Diagnostic::error(Code::WrongType, "realisasi has `per_periode` beside `nilai`")
                        .at(other.span, "a figure for the whole year")
                        .also(n.span, "values per period")
                        .hint("keep `per_periode` for values per period, or `nilai` for the year's figure; move the other under `bukti:`"),
                );
                return None;
            }
            if let Some(other) = masukan_node {
                self.diags.push(
                    Diagnostic::error(Code::WrongType, "realisasi has `masukan` beside `per_periode`")
                        .at(other.span, "inputs for the whole year")
                        .also(n.span, "each period's inputs")
                        .hint("beside `rumus`, each period gives its own inputs under `per_periode` (`TW1: {n: 30, t: 40}`): move these inputs under their period, or remove `per_periode` to compute the year's figure from `masukan`"),
                );
                return None;
            }
            let sumber = match values? {
                Periodik::Nilai(values) => SumberRealisasi::PerPeriode(values),
                Periodik::Masukan(masukan) => SumberRealisasi::RumusPerPeriode {
                    rumus: rumus?.into(),
                    masukan,
                },
            };
            return Some(Realisasi {
                sumber,
                bulatkan,
                kategori,
                akumulasi: akumulasi.map(RuleRef::from),
                span: node.span,
            });
        }
        if let Some(a) = akumulasi {
            self.diags.push(
                Diagnostic::error(Code::WrongType, "`akumulasi` without `per_periode`")
                    .at(a.span, "how periods accumulate")
                    .hint("`akumulasi` says how the values of `per_periode: {TW1: …, TW2: …}` add up; a single `nilai` or `rumus` needs none: remove it"),
            );
            return None;
        }
        let sumber = match (nilai, rumus) {
            (Some((_, value)), None) => SumberRealisasi::Nilai(value?),
            (None, Some(rumus)) => {
                if unreadable {
                    return None;
                }
                let Some(masukan) = masukan else {
                    self.diags.push(
                        Diagnostic::error(Code::MissingKey, format!("rule `{}` has no inputs", rumus.value))
                            .at(rumus.span, "computed by this rule")
                            .hint("add `masukan:` with the values the rule needs, e.g. `masukan: {n: 330, t: 370}`"),
                    );
                    return None;
                };
                SumberRealisasi::Rumus {
                    rumus: rumus.into(),
                    masukan,
                }
            }
            (Some((n, _)), Some(_)) => {
                self.diags.push(
                    Diagnostic::error(Code::WrongType, "realisasi has both `nilai` and `rumus`")
                        .at(n.span, "a given value")
                        .hint("keep `nilai` for a figure of record, or `rumus` + `masukan` to compute it; move the other under `bukti:`"),
                );
                return None;
            }
            (None, None) => {
                self.diags.push(
                    Diagnostic::error(Code::MissingKey, "realisasi needs `nilai`, `rumus` or `per_periode`")
                        .at(node.span, "none is given")
                        .hint("write `realisasi: 99.25`, `realisasi: {rumus: rasio, masukan: {n: 330, t: 370}}`, or `realisasi: {per_periode: {TW1: 20, TW2: 35}}`"),
                );
                return None;
            }
        };
        Some(Realisasi {
            sumber,
            bulatkan,
            kategori,
            akumulasi: None,
            span: node.span,
        })
    }

    fn capaian(&mut self, node: &Node) -> CapaianSpec {
        let mut spec = CapaianSpec::default();
        let Some(mut m) = node.as_map(&CAPAIAN_MAP, self.diags) else {
            return spec;
        };
        spec.rumus = m
            .opt("rumus")
            .and_then(|n| n.as_text(self.diags))
            .map(RuleRef::from);
        spec.bulatkan = m.opt("bulatkan").and_then(|n| rounding(n, self.diags));
        spec.kategori = m.opt("kategori").and_then(|n| n.as_text(self.diags));
        m.finish(self.diags);
        spec
    }

    fn bukti(&mut self, node: &Node) -> Option<Bukti> {
        let mut m = node.as_map(&BUKTI_MAP, self.diags)?;
        let keterangan = m.opt_string("keterangan", self.diags);
        let rumus = m
            .req("rumus", self.diags)
            .and_then(|n| n.as_text(self.diags));
        let masukan = m.req("masukan", self.diags).map(|n| self.input(n));
        let diketahui = m.opt_string("diketahui", self.diags);
        m.finish(self.diags);
        Some(Bukti {
            keterangan,
            diketahui,
            rumus: rumus?.into(),
            masukan: masukan?,
            span: node.span,
        })
    }

    /// Rule inputs: any nesting of numbers, text, lists and mappings.
    fn input(&mut self, node: &Node) -> Input {
        input(node, self.diags, &mut self.input_failed)
    }
}

/// What `realisasi.per_periode` holds: each period's value, or, beside `rumus`, each
/// period's inputs.
enum Periodik {
    Nilai(PerPeriode<Num>),
    Masukan(PerPeriode<Input>),
}

/// Whether a target mapping is a range (`{min: 80, maks: 90}`) rather than PK and Renstra
/// targets: it names a bound and neither of those.
fn is_range(node: &Node) -> bool {
    let NodeKind::Map(entries) = &node.kind else {
        return false;
    };
    let has = |key: &str| entries.iter().any(|(k, _)| &*k.name == key);
    (has("min") || has("maks")) && !has("pk") && !has("renstra")
}

/// Rule inputs: any nesting of numbers, text, lists and mappings. `failed` is set when a
/// value could not be read (and reported).
pub(super) fn input(node: &Node, diags: &mut Diagnostics, failed: &mut bool) -> Input {
    match &node.kind {
        NodeKind::Seq(items) => Input::List(
            items.iter().map(|i| input(i, diags, failed)).collect(),
            node.span,
        ),
        NodeKind::Map(entries) => Input::Map(
            entries
                .iter()
                .map(|(k, v)| (CompactString::from(&*k.name), input(v, diags, failed)))
                .collect(),
            node.span,
        ),
        NodeKind::Number(_) => match node.as_num(diags) {
            Some(n) => Input::Num(n),
            None => {
                *failed = true;
                Input::Text(Text {
                    value: String::new(),
                    span: node.span,
                })
            }
        },
        NodeKind::Str(s) => match parse_plain(s) {
            Ok(value) => Input::Num(Num {
                value,
                span: node.span,
                decimals: written_decimals(s),
            }),
            // Text that reads as a number in a display format (`1.234,5`, `93.6%`) is
            // almost always a mistake: reported as the number format it is.
            Err(NumberError::NotPlain { .. }) => {
                node.as_num(diags);
                *failed = true;
                Input::Text(Text {
                    value: s.to_string(),
                    span: node.span,
                })
            }
            Err(NumberError::NotANumber) => Input::Text(Text {
                value: s.to_string(),
                span: node.span,
            }),
        },
        // Its mistake is reported already.
        NodeKind::Reported => {
            *failed = true;
            Input::Text(Text {
                value: String::new(),
                span: node.span,
            })
        }
        NodeKind::Bool(_) | NodeKind::Null => {
            *failed = true;
            diags.push(
                Diagnostic::error(
                    Code::WrongType,
                    format!(
                        "a rule input must be a number, text, list or mapping, not {}",
                        node.kind.describe()
                    ),
                )
                .at(node.span, "unusable input"),
            );
            Input::Text(Text {
                value: String::new(),
                span: node.span,
            })
        }
    }
}

/// One period's value of a realisasi given per period: a number. Inputs there (a
/// mapping or a list) are refused with what makes them count: a rule beside them.
fn nilai_periode(node: &Node, diags: &mut Diagnostics) -> Option<Num> {
    if matches!(node.kind, NodeKind::Map(_) | NodeKind::Seq(_)) {
        diags.push(
            Diagnostic::error(
                Code::WrongType,
                format!(
                    "a period's realisasi is a number, not {}: inputs need a rule",
                    node.kind.describe()
                ),
            )
            .at(node.span, "inputs, but no `rumus` to compute from them")
            .hint("add the rule beside `per_periode` (`rumus: rasio`) to compute each period's value from its inputs, or write the period's value: `TW1: 75`"),
        );
        return None;
    }
    node.as_num(diags)
}

/// One target: a number, or a range `{min: 80, maks: 90}`.
fn nilai_target(node: &Node, diags: &mut Diagnostics) -> Option<NilaiTarget> {
    if !matches!(node.kind, NodeKind::Map(_)) {
        return node.as_num(diags).map(NilaiTarget::Satu);
    }
    let mut m = node.as_map(&RENTANG, diags)?;
    let min = m.req("min", diags).and_then(|n| n.as_num(diags));
    let maks = m.req("maks", diags).and_then(|n| n.as_num(diags));
    m.finish(diags);
    Some(NilaiTarget::Rentang(Box::new(Rentang {
        min: min?,
        maks: maks?,
        span: node.span,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kalender;

    fn text(realisasi: &str) -> String {
        format!(
            "indikator:\n  - id: IK1\n    nama: Dokumen\n    satuan: persen\n    target: 90\n    realisasi: {realisasi}\n"
        )
    }

    fn one(realisasi: &str) -> IndicatorFile {
        read(FileId(0), &text(realisasi))
    }

    fn messages(f: &IndicatorFile) -> Vec<String> {
        f.diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect()
    }

    #[test]
    fn a_rule_beside_per_periode_takes_each_periods_inputs() {
        let f = one("{rumus: rasio, per_periode: {TW2: {n: 55, t: 60}, TW1: {n: 30, t: 40}}}");
        assert_eq!(messages(&f), Vec::<String>::new());
        let Some(Realisasi {
            sumber: SumberRealisasi::RumusPerPeriode { rumus, masukan },
            ..
        }) = &f.indikator[0].realisasi
        else {
            panic!("{:?}", f.indikator[0].realisasi);
        };
        assert_eq!(rumus.name, "rasio");
        // In period order, each with its inputs as written.
        let periods: Vec<(u8, usize)> = masukan
            .nilai
            .iter()
            .map(|(p, _, i)| match i {
                Input::Map(entries, _) => (p.ke, entries.len()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(periods, [(1, 2), (2, 2)]);
        assert!(
            masukan
                .nilai
                .iter()
                .all(|(p, _, _)| p.kalender == Kalender::Triwulan)
        );
        // A list is inputs too (a rule over a list, `jumlah`).
        let f = one("{rumus: jumlah, per_periode: {TW1: [3, 2]}}");
        assert_eq!(messages(&f), Vec::<String>::new());
    }

    #[test]
    fn a_number_among_inputs_is_refused_where_it_stands() {
        let written = "{rumus: rasio, per_periode: {TW1: 75, TW2: {n: 55, t: 60}}}";
        let f = one(written);
        assert_eq!(
            messages(&f),
            ["Y004: a period's inputs to `rasio` are a mapping, not a number"]
        );
        let at = f.diagnostics[0].primary.as_ref().map(|l| l.span.start);
        assert_eq!(at, text(written).find("75"));
        // The period is left out: no figure is made of a value among computed ones.
        let Some(Realisasi {
            sumber: SumberRealisasi::RumusPerPeriode { masukan, .. },
            ..
        }) = &f.indikator[0].realisasi
        else {
            panic!("{:?}", f.indikator[0].realisasi);
        };
        assert_eq!(masukan.nilai.len(), 1);
    }

    #[test]
    fn inputs_without_a_rule_are_refused() {
        let f = one("{per_periode: {TW1: 20, TW2: {n: 3, t: 4}}}");
        assert_eq!(
            messages(&f),
            ["Y004: a period's realisasi is a number, not a mapping: inputs need a rule"]
        );
    }

    #[test]
    fn inputs_for_the_year_beside_inputs_per_period_are_refused() {
        let f = one("{rumus: rasio, masukan: {n: 1, t: 2}, per_periode: {TW1: {n: 3, t: 4}}}");
        assert_eq!(
            messages(&f),
            ["Y004: realisasi has `masukan` beside `per_periode`"]
        );
        assert!(f.indikator[0].realisasi.is_none());
        let f = one("{nilai: 50, per_periode: {TW1: 20}}");
        assert_eq!(
            messages(&f),
            ["Y004: realisasi has `per_periode` beside `nilai`"]
        );
    }

    #[test]
    fn a_printing_names_the_period_it_is_for() {
        let text = "indikator:\n  - id: IK1\n    nama: Dokumen\n    satuan: persen\n    target: 90\n    realisasi: 80\n    dicetak:\n      - {realisasi: 80, periode: Triwulan II}\n      - {capaian: 88.89}\n      - {capaian: 50, periode: TW5}\n";
        let f = read(FileId(0), text);
        assert_eq!(
            messages(&f),
            ["P001: `TW5` is outside the triwulan calendar"]
        );
        let printed: Vec<(&str, Option<u8>)> = f.indikator[0]
            .dicetak
            .figures
            .iter()
            .map(|c| (c.ukuran.value.as_str(), c.periode.map(|(p, _)| p.ke)))
            .collect();
        // The printing whose period is no period is left out, not audited at any.
        assert_eq!(printed, [("realisasi", Some(2)), ("capaian", None)]);
    }

    use crate::model::Tanggal;

    fn ikp(target: &str) -> IndicatorFile {
        read(
            FileId(0),
            &format!(
                "indikator:\n  - id: IK1\n    nama: Nilai\n    satuan: nilai\n    target:\n{target}    realisasi: 36.3\n"
            ),
        )
    }

    fn codes(f: &IndicatorFile) -> Vec<&'static str> {
        f.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn reads_a_chronology_of_revisions() {
        let f = ikp(concat!(
            "      revisi:\n",
            "        - {tanggal: 2022-01, pk: 36.6, dokumen: PK awal, sumber: PK Januari}\n",
            "        - {tanggal: 2022-09-09, pk: {min: 36, maks: 37}, per_periode: {TW4: 36.3}, keterangan: Reviu Renstra}\n",
            "      renstra: {2022: 36.3}\n",
        ));
        assert_eq!(codes(&f), Vec::<&str>::new());
        let t = &f.indikator[0].target;
        assert_eq!(t.pk, None);
        assert_eq!(t.revisi.len(), 2);
        let (awal, revisi) = (&t.revisi[0], &t.revisi[1]);
        assert_eq!(
            awal.tanggal,
            Tanggal::parse("2022-01").unwrap_or_else(|e| panic!("{e:?}"))
        );
        assert_eq!(
            awal.pk.as_ref().map(NilaiTarget::angka),
            Some(crate::model::TargetAngka::Satu(rust_decimal::Decimal::new(
                366, 1
            )))
        );
        assert_eq!(
            awal.dokumen.as_ref().map(|d| d.value.as_str()),
            Some("PK awal")
        );
        assert_eq!(
            awal.sumber.as_ref().map(|d| d.value.as_str()),
            Some("PK Januari")
        );
        assert_eq!(revisi.tanggal.hari, Some(9));
        assert!(matches!(revisi.pk, Some(NilaiTarget::Rentang { .. })));
        assert_eq!(revisi.per_periode.nilai.len(), 1);
        assert_eq!(
            revisi.keterangan.as_ref().map(|d| d.value.as_str()),
            Some("Reviu Renstra")
        );
        assert_eq!(t.renstra.iter().count(), 1);
    }

    #[test]
    fn the_pk_beside_its_revisions_is_refused_and_not_used() {
        let f = ikp(concat!(
            "      pk: 40\n",
            "      per_periode: {TW1: 10}\n",
            "      revisi: [{tanggal: 2022-01, pk: 36.6}]\n",
        ));
        assert_eq!(codes(&f), ["Y004", "Y004"]);
        assert!(
            f.diagnostics[0].message.contains("`pk` beside `revisi`"),
            "{}",
            f.diagnostics[0].message
        );
        let t = &f.indikator[0].target;
        assert_eq!(t.pk, None);
        assert!(t.per_periode.nilai.is_empty());
        assert_eq!(t.revisi.len(), 1);
    }

    #[test]
    fn a_revision_without_a_target_or_a_readable_date_is_left_out() {
        let f = ikp(concat!(
            "      revisi:\n",
            "        - {tanggal: 2022-01, dokumen: PK awal}\n",
            "        - {tanggal: 2022-9, pk: 36.6}\n",
            "        - {pk: 36.6}\n",
            "        - {tanggal: 2022-09, pk: 36.3}\n",
        ));
        assert_eq!(codes(&f), ["Y003", "P004", "Y003"]);
        assert_eq!(f.indikator[0].target.revisi.len(), 1);
    }

    #[test]
    fn revisions_out_of_date_order_are_p005() {
        let f = ikp(concat!(
            "      revisi:\n",
            "        - {tanggal: 2022-09, pk: 36.3}\n",
            "        - {tanggal: 2022-01, pk: 36.6}\n",
        ));
        assert_eq!(codes(&f), ["P005"]);
        assert!(
            f.diagnostics[0]
                .message
                .starts_with("IK1's target revisions out of order")
        );
        // A month and a day of it stand in either order.
        let f = ikp(concat!(
            "      revisi:\n",
            "        - {tanggal: 2022-09-09, pk: 36.3}\n",
            "        - {tanggal: 2022-09, pk: 36.6}\n",
        ));
        assert_eq!(codes(&f), Vec::<&str>::new());
    }
}
