//! Reading `kinerja.yaml`.

use super::fields::{
    DECIMALS, MODE, MODE_DOC, ROUNDING, choice, rounding, rounding_mode, small_int, year,
};
use super::printed::{DICETAK_DOC, PRINTED_MANIFEST, dicetak};
use super::shape::{DataKeys, KeyKind};
use super::shape::{Field, Mapping, Shape};
use super::yaml::{MapReader, Node, NodeKind};
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::base::number::{Locale, Rounding};
use crate::base::source::{FileId, Span};
use crate::model::{
    BobotJumlah, Dicetak, Kalender, KategoriBawaan, Manifest, PERIODE_KODE, Pembulatan, Periode,
    Periodisasi, Polaritas, RuleRef, RumusBawaan, Skema, Tampilan, Text, default_levels,
};

/// `kinerja.yaml`.
pub(super) static MANIFEST_FILE: Mapping = Mapping {
    what: "kinerja.yaml",
    name: "kinerja",
    doc: "The workspace manifest: who reports, for which year, how figures are shown and rounded, and which rules compute them.",
    fields: &[
        Field::req(
            "organisasi",
            Shape::Text,
            "The reporting unit, as the report names it: `Direktorat Jenderal Pemberdayaan Sosial`.",
        ),
        Field::opt(
            "instansi",
            Shape::Text,
            "The ministry or institution it belongs to: `Kementerian Sosial`.",
        ),
        Field::req(
            "tahun",
            super::fields::YEAR,
            "The report's year: it selects the targets (the PK target, else that year's Renstra target).",
        ),
        Field::opt(
            "tampilan",
            Shape::Map(&TAMPILAN),
            "How figures are shown. Computation keeps full precision regardless.",
        ),
        Field::opt(
            "pembulatan",
            Shape::Map(&PEMBULATAN),
            "Rounding at a stage: the figure is rounded before the next stage uses it, as the report did (`capaian_sasaran: 2` when the headline is the mean of sasaran figures printed at 2 decimals).",
        ),
        Field::opt(
            "rumus",
            Shape::Map(&RUMUS),
            "Which rules compute what, unless an indikator or sasaran names its own.",
        ),
        Field::opt(
            "dicetak",
            Shape::OneOrList(&Shape::Map(&PRINTED_MANIFEST)),
            DICETAK_DOC,
        ),
        Field::opt(
            "pustaka_rumus",
            Shape::OneOrList(&Shape::Text),
            "Rule folders shared with other workspaces, relative to this file (`../../rules`): their rules and tests are read after `rules/`.",
        ),
        Field::opt(
            "anggaran",
            Shape::Map(&ANGGARAN),
            "How the budget is classified: `{skema: daerah}` for a regional budget (APBD) whose accounts are written `5.1.02.01.01.0024`.",
        ),
        Field::opt(
            "bobot",
            Shape::Map(&BOBOT),
            "How the weights (`bobot`) of sasaran and indikator are written: `{jumlah: 100}` (the default: percentages) or `{jumlah: 1}` (fractions). The weights of one rollup's members must add up to it.",
        ),
        Field::opt(
            "kategori",
            Shape::Map(&KATEGORI),
            "The band table (`rules/*.kategori.yaml`) of every figure of a stage, unless an indikator or sasaran names its own: `{realisasi: predikat_sakip, capaian: capaian_lima_tingkat}`. A figure with no table is shown without a band.",
        ),
        Field::opt(
            "periode",
            Shape::Map(&PERIODE),
            "The reporting calendar and the period reported: `{kalender: triwulan, laporan: TW2}`. Without `laporan` (and without `--periode`), the report is the whole year's.",
        ),
    ],
    data: None,
    examples: &["{organisasi: Direktorat Contoh, tahun: 2022}"],
};

static PERIODE: Mapping = Mapping {
    what: "periode",
    name: "periode",
    doc: "The reporting calendar, the period reported, and how an indikator's values per period accumulate into the figure as of a period.",
    fields: &[
        Field::opt(
            "kalender",
            Shape::Choice(&Kalender::NAMES),
            "How the year is divided: `triwulan` (the default: `TW1` … `TW4`), `semester` (`S1`, `S2`) or `bulan` (`Januari` … `Desember`).",
        ),
        Field::opt(
            "laporan",
            Shape::Choice(&PERIODE_KODE),
            "The period reported: `TW2`. Figures are as of its end; the title names it (\"Laporan Kinerja Triwulan II 2022\"). `--periode` overrides it; without either, the report is the whole year's.",
        ),
        Field::opt(
            "akumulasi",
            Shape::Map(&AKUMULASI),
            "How values per period accumulate, per satuan: `{KPM: jumlah, persen: terakhir}`. A satuan not listed takes `terakhir` (the latest value); an indikator's `realisasi.akumulasi` overrides it.",
        ),
    ],
    data: None,
    examples: &[
        "{kalender: triwulan, laporan: TW2}",
        "{kalender: bulan, akumulasi: {KPM: jumlah, persen: terakhir}}",
    ],
};

static AKUMULASI: Mapping = Mapping {
    what: "periode.akumulasi",
    name: "akumulasi",
    doc: "The accumulation rule per satuan: `{KPM: jumlah, persen: terakhir}`.",
    fields: &[],
    data: Some(DataKeys {
        keys: KeyKind::Any,
        value: Shape::Text,
        doc: "A satuan, and the rule (under `rules/`, taking the list of values up to the period) that accumulates its values: `jumlah`, `terakhir`, `rata_rata`, `maksimum`.",
    }),
    examples: &["{KPM: jumlah, persen: terakhir}"],
};

static TAMPILAN: Mapping = Mapping {
    what: "tampilan",
    name: "tampilan",
    doc: "How figures are shown: decimals, rounding mode, number format.",
    fields: &[
        Field::opt("desimal", DECIMALS, "Decimals shown (default 2)."),
        Field::opt("mode", MODE, MODE_DOC),
        Field::opt(
            "format",
            Shape::Choice(&["en", "id"]),
            "Number format for people: `en` (99.25, the default) or `id` (99,25 and Rp28.585.438.802.000).",
        ),
    ],
    data: None,
    examples: &["{desimal: 2, mode: half_up, format: id}"],
};

static ANGGARAN: Mapping = Mapping {
    what: "anggaran",
    name: "anggaran",
    doc: "How the budget files are classified.",
    fields: &[
        Field::opt(
            "skema",
            Shape::Choice(Skema::NAMES),
            "The classification of the jenis belanja codes: `pusat` (the default: APBN, the akun's first two digits, 51 Pegawai … 58 Lain-lain) or `daerah` (APBD, Permendagri 90/2019: 5.1.01 Pegawai, 5.1.02 Barang dan Jasa, 5.1.03 Bunga, 5.1.04 Subsidi, 5.1.05 Hibah, 5.1.06 Bantuan Sosial, 5.2 Modal, 5.3 Tidak Terduga, 5.4 Transfer; an akun `5.1.02.01.01.0024` is of jenis `5.1.02`).",
        ),
        Field::opt(
            "tingkat",
            Shape::List(&Shape::Text),
            "The levels of the budget's hierarchy, from the top: a budget row holds its children under the next level's name. Default under `skema: daerah`: `[program, kegiatan, sub_kegiatan]` (Permendagri 90/2019); under `skema: pusat`: `[kegiatan, kro, ro, komponen]` (the programme is the budget file's `program:` name). Names are lower case: letters, digits and `_`.",
        ),
    ],
    data: None,
    examples: &[
        "{skema: daerah}",
        "{skema: pusat, tingkat: [kegiatan, kro, ro]}",
    ],
};

static PEMBULATAN: Mapping = Mapping {
    what: "pembulatan",
    name: "pembulatan_tahap",
    doc: "Rounding at a stage, before the next stage uses the figure.",
    fields: &[
        Field::opt(
            "realisasi",
            ROUNDING,
            "Round every realisasi before its capaian is computed: `2`, or `{desimal: 2, mode: half_up}`.",
        ),
        Field::opt(
            "capaian",
            ROUNDING,
            "Round every indikator's capaian before the sasaran rollup uses it: `2`, or `{desimal: 2, mode: half_up}`.",
        ),
        Field::opt(
            "capaian_sasaran",
            ROUNDING,
            "Round every sasaran's capaian before the nilai kinerja uses it, as a report that averages the printed sasaran figures does: `2`, or `{desimal: 2, mode: half_up}`.",
        ),
        Field::opt(
            "nilai_kinerja",
            ROUNDING,
            "Round the nilai kinerja: `2`, or `{desimal: 2, mode: half_up}`.",
        ),
    ],
    data: None,
    examples: &["{capaian_sasaran: {desimal: 2, mode: half_up}}"],
};

static RUMUS: Mapping = Mapping {
    what: "rumus",
    name: "rumus",
    doc: "The rules that compute each figure, unless an indikator or sasaran names its own. Each is the name of a rule under `rules/` (or `pustaka_rumus`).",
    fields: &[
        Field::opt(
            "capaian",
            Shape::Map(&RUMUS_CAPAIAN),
            "The capaian rule per polaritas.",
        ),
        Field::opt(
            "capaian_rentang",
            Shape::Map(&RUMUS_CAPAIAN_RENTANG),
            "The capaian rule per polaritas for an indikator whose target is a range (`target: {min: 80, maks: 90}`).",
        ),
        Field::opt(
            "capaian_sasaran",
            Shape::Text,
            "The rollup of a sasaran's capaian from its indikator (default `rata_rata`, the mean; `rata_rata_berbobot` weighs them by their `bobot`).",
        ),
        Field::opt(
            "nilai_kinerja",
            Shape::Text,
            "The rollup of the organisation's nilai kinerja from the sasaran (default `rata_rata`; `rata_rata_berbobot` weighs them by their `bobot`).",
        ),
        Field::opt(
            "persen_anggaran",
            Shape::Text,
            "The budget realisation % of a row (default `persen_realisasi`: realisasi ÷ pagu × 100).",
        ),
        Field::opt(
            "persen_total",
            Shape::Text,
            "The realisation % of the budget's total, from its rows (default `persen_total_pagu`: Σ realisasi ÷ Σ pagu × 100; `rata_rata_persen` is the unweighted mean of the rows' %, as some reports print it).",
        ),
        Field::opt(
            "sisa_anggaran",
            Shape::Text,
            "The budget's sisa (default `sisa_anggaran`: pagu − realisasi).",
        ),
        Field::opt(
            "proporsi_anggaran",
            Shape::Text,
            "A budget row's share of its parent's pagu, a top row's or jenis belanja's of the total pagu (default `proporsi`: bagian ÷ total × 100).",
        ),
        Field::opt(
            "persen_rpd",
            Shape::Text,
            "The % of the pagu a budget row's disbursement plan (RPD) reaches by the period reported (default `persen_realisasi`: rpd ÷ pagu × 100).",
        ),
        Field::opt(
            "deviasi_rpd",
            Shape::Text,
            "A budget row's deviation of its realisasi from its disbursement plan (RPD) up to the period reported, from the periods' own amounts (default `deviasi_rpd`: the mean over the periods of |realisasi − rpd| ÷ rpd × 100, as IKPA takes the deviasi halaman III DIPA; `deviasi_rpd_kumulatif`: the deviation of the amounts to date).",
        ),
        Field::opt(
            "kategori",
            Shape::Text,
            "The rule that looks a figure up in its band table, unless the table names its own (default `kategori`: the first band whose edges hold the figure).",
        ),
    ],
    data: None,
    examples: &["{capaian_sasaran: rata_rata, nilai_kinerja: rata_rata}"],
};

static RUMUS_CAPAIAN: Mapping = Mapping {
    what: "rumus.capaian",
    name: "rumus_capaian",
    doc: "The capaian rule for each polaritas.",
    fields: &[
        Field::opt(
            "maksimal",
            Shape::Text,
            "For higher-is-better indikator (default `capaian_maksimal`: realisasi ÷ target × 100).",
        ),
        Field::opt(
            "minimal",
            Shape::Text,
            "For lower-is-better indikator (default `capaian_minimal`).",
        ),
        Field::opt(
            "stabilisasi",
            Shape::Text,
            "For on-target-is-best indikator (default `capaian_stabilisasi`).",
        ),
    ],
    data: None,
    examples: &["{maksimal: capaian_maksimal, minimal: capaian_minimal}"],
};

static BOBOT: Mapping = Mapping {
    what: "bobot",
    name: "bobot",
    doc: "The convention the weights (`bobot`) follow: what the weights of one rollup's members (the indikator of a sasaran, the sasaran of the organisation) add up to.",
    fields: &[Field::opt(
        "jumlah",
        Shape::Number,
        "What the weights of one rollup add up to: `100` (the default: `bobot: 60` is 60 %) or `1` (`bobot: 0.6`). A rollup whose weights add up to anything else is reported (M006).",
    )],
    data: None,
    examples: &["{jumlah: 100}", "{jumlah: 1}"],
};

static RUMUS_CAPAIAN_RENTANG: Mapping = Mapping {
    what: "rumus.capaian_rentang",
    name: "rumus_capaian_rentang",
    doc: "The capaian rule for each polaritas when the target is a range: it receives `(realisasi, min, maks)`.",
    fields: &[
        Field::opt(
            "maksimal",
            Shape::Text,
            "For higher-is-better indikator (default `capaian_rentang_maksimal`: 100 inside the range; above it realisasi ÷ maks × 100, below it realisasi ÷ min × 100).",
        ),
        Field::opt(
            "minimal",
            Shape::Text,
            "For lower-is-better indikator (default `capaian_rentang_minimal`: 100 inside the range; `capaian_minimal` against maks above it, against min below it).",
        ),
        Field::opt(
            "stabilisasi",
            Shape::Text,
            "For on-target-is-best indikator (default `capaian_rentang_stabilisasi`: 100 inside the range, less by the relative distance to the nearer bound outside it).",
        ),
    ],
    data: None,
    examples: &["{maksimal: capaian_rentang_maksimal}"],
};

static KATEGORI: Mapping = Mapping {
    what: "kategori (a band table per stage)",
    name: "kategori_tahap",
    doc: "The band table of every figure of a stage, by its name under `tabel:` in `rules/*.kategori.yaml`; an indikator's or sasaran's own `kategori` wins. The figure banded is the one later stages use (after `pembulatan`).",
    fields: &[
        Field::opt(
            "realisasi",
            Shape::Text,
            "The band table of every indikator's and komponen's realisasi: `predikat_sakip`.",
        ),
        Field::opt(
            "capaian",
            Shape::Text,
            "The band table of every indikator's and komponen's capaian: `capaian_lima_tingkat`.",
        ),
        Field::opt(
            "capaian_sasaran",
            Shape::Text,
            "The band table of every sasaran's capaian: `capaian_lima_tingkat`.",
        ),
        Field::opt(
            "nilai_kinerja",
            Shape::Text,
            "The band table of the organisation's nilai kinerja: `predikat_sakip`.",
        ),
    ],
    data: None,
    examples: &["{capaian: capaian_lima_tingkat, nilai_kinerja: predikat_sakip}"],
};

pub(crate) fn read(tree: Option<&Node>, file: FileId, diags: &mut Diagnostics) -> Manifest {
    let mut manifest = Manifest {
        organisasi: String::new(),
        instansi: None,
        tahun: 0,
        tampilan: Tampilan {
            rounding: Rounding::half_up(2),
            locale: Locale::En,
        },
        pembulatan: Pembulatan::default(),
        rumus: RumusBawaan::default(),
        kategori: KategoriBawaan::default(),
        dicetak: Dicetak::default(),
        pustaka_rumus: Vec::new(),
        skema: Skema::default(),
        bobot: BobotJumlah::default(),
        tingkat: Vec::new(),
        periode: Periodisasi::default(),
    };
    let Some(tree) = tree else { return manifest };
    if tree.is_null() {
        diags.push(
            Diagnostic::error(Code::Workspace, "kinerja.yaml is empty")
                .at(Span::new(file, 0, 0), "empty file")
                .hint("give at least `organisasi:` and `tahun:`"),
        );
        return manifest;
    }
    let Some(mut m) = tree.as_map(&MANIFEST_FILE, diags) else {
        return manifest;
    };
    if let Some(t) = m.req("organisasi", diags).and_then(|n| n.as_text(diags)) {
        manifest.organisasi = t.value;
    }
    manifest.instansi = m.opt_string("instansi", diags);
    if let Some((year, _)) = m.req("tahun", diags).and_then(|n| year(n, diags)) {
        manifest.tahun = year;
    }
    if let Some(n) = m.opt("tampilan")
        && let Some(mut t) = n.as_map(&TAMPILAN, diags)
    {
        if let Some((d, _)) = t.opt("desimal").and_then(|n| small_int(n, diags)) {
            manifest.tampilan.rounding.decimals = d;
        }
        if let Some(mode) = t.opt("mode").and_then(|n| rounding_mode(n, diags)) {
            manifest.tampilan.rounding.mode = mode;
        }
        if let Some(f) = t
            .opt("format")
            .and_then(|n| choice(n, &["en", "id"], diags))
        {
            manifest.tampilan.locale = if f == "id" { Locale::Id } else { Locale::En };
        }
        t.finish(diags);
    }
    if let Some(n) = m.opt("pembulatan")
        && let Some(mut p) = n.as_map(&PEMBULATAN, diags)
    {
        manifest.pembulatan.realisasi = p.opt("realisasi").and_then(|n| rounding(n, diags));
        manifest.pembulatan.capaian = p.opt("capaian").and_then(|n| rounding(n, diags));
        manifest.pembulatan.capaian_sasaran =
            p.opt("capaian_sasaran").and_then(|n| rounding(n, diags));
        manifest.pembulatan.nilai_kinerja = p.opt("nilai_kinerja").and_then(|n| rounding(n, diags));
        p.finish(diags);
    }
    if let Some(n) = m.opt("rumus") {
        rumus(n, &mut manifest.rumus, diags);
    }
    if let Some(n) = m.opt("kategori")
        && let Some(mut k) = n.as_map(&KATEGORI, diags)
    {
        let mut table = |stage: &str| k.opt(stage).and_then(|n| n.as_text(diags));
        manifest.kategori = KategoriBawaan {
            realisasi: table("realisasi"),
            capaian: table("capaian"),
            capaian_sasaran: table("capaian_sasaran"),
            nilai_kinerja: table("nilai_kinerja"),
        };
        k.finish(diags);
    }
    if let Some(n) = m.opt("anggaran")
        && let Some(mut a) = n.as_map(&ANGGARAN, diags)
    {
        if let Some(s) = a
            .opt("skema")
            .and_then(|n| choice(n, Skema::NAMES, diags))
            .and_then(|s| Skema::from_name(&s))
        {
            manifest.skema = s;
        }
        let tingkat = a.opt("tingkat").and_then(|n| levels(n, diags));
        if let Some(t) = tingkat {
            manifest.tingkat = t;
        }
        a.finish(diags);
    }
    if manifest.tingkat.is_empty() {
        manifest.tingkat = default_levels(manifest.skema)
            .iter()
            .map(|s| s.to_string())
            .collect();
    }
    if let Some(n) = m.opt("bobot")
        && let Some(mut b) = n.as_map(&BOBOT, diags)
    {
        // A total of 0 or less is reported by validation, as a weight below 0 is.
        if let Some(j) = b.opt("jumlah").and_then(|n| n.as_num(diags)) {
            manifest.bobot = BobotJumlah {
                jumlah: j.value,
                span: Some(j.span),
            };
        }
        b.finish(diags);
    }
    if let Some(n) = m.opt("periode") {
        manifest.periode = periode(n, diags);
    }
    manifest.dicetak = dicetak(m.opt("dicetak"), &PRINTED_MANIFEST, diags);
    if let Some(n) = m.opt("pustaka_rumus") {
        manifest.pustaka_rumus = match &n.kind {
            NodeKind::Seq(items) => items.iter().filter_map(|i| i.as_text(diags)).collect(),
            _ => n.as_text(diags).into_iter().collect(),
        };
    }
    m.finish(diags);
    manifest
}

fn periode(node: &Node, diags: &mut Diagnostics) -> Periodisasi {
    let mut out = Periodisasi::default();
    let Some(mut m) = node.as_map(&PERIODE, diags) else {
        return out;
    };
    if let Some(k) = m.opt("kalender")
        && let Some(kalender) =
            choice(k, &Kalender::NAMES, diags).and_then(|name| Kalender::from_name(&name))
    {
        out.kalender = kalender;
        out.kalender_span = Some(k.span);
    }
    if let Some(t) = m.opt("laporan").and_then(|n| n.as_text(diags)) {
        match laporan(&t.value, out.kalender) {
            Ok(p) => {
                out.laporan = Some(p);
                out.laporan_span = Some(t.span);
                out.laporan_manifest = Some(p);
            }
            Err(e) => diags.push(
                Diagnostic::error(Code::PeriodUnknown, e.message)
                    .at(t.span, e.label)
                    .hint(e.hint),
            ),
        }
    }
    if let Some(a) = m.opt("akumulasi")
        && let Some(mut rules) = a.as_map(&AKUMULASI, diags)
    {
        for (key, value) in rules.rest() {
            if let Some(t) = value.as_text(diags) {
                out.akumulasi.insert(key.name.to_string(), t.into());
            }
        }
    }
    m.finish(diags);
    out
}

/// Why a period reported is none of the calendar's (P001 in the manifest; `--periode`'s
/// error on the command line).
#[derive(Debug)]
pub(crate) struct LaporanError {
    pub(crate) message: String,
    pub(crate) label: String,
    pub(crate) hint: String,
}

/// The period reported, `text`, read against `kalender`.
pub(crate) fn laporan(text: &str, kalender: Kalender) -> Result<Periode, LaporanError> {
    let bad = |message: String, label: String| LaporanError {
        message,
        label,
        hint: format!(
            "write one of {} (the {} calendar{})",
            kalender.listed(),
            kalender.name(),
            if kalender == Kalender::Triwulan {
                ", the default"
            } else {
                ""
            }
        ),
    };
    match Periode::parse(text) {
        Ok(p) if p.kalender == kalender => Ok(p),
        Ok(p) => Err(bad(
            format!(
                "`{text}` is a period of the {} calendar, but this workspace reports per {}",
                p.kalender.name(),
                kalender.name()
            ),
            format!("not a {}", kalender.name()),
        )),
        Err(_) => Err(bad(
            format!(
                "`{text}` is not a period of the {} calendar",
                kalender.name()
            ),
            "not a period".to_string(),
        )),
    }
}

fn rumus(node: &Node, rules: &mut RumusBawaan, diags: &mut Diagnostics) {
    let Some(mut r) = node.as_map(&RUMUS, diags) else {
        return;
    };
    for (key, mapping, slot) in [
        ("capaian", &RUMUS_CAPAIAN, &mut rules.capaian),
        (
            "capaian_rentang",
            &RUMUS_CAPAIAN_RENTANG,
            &mut rules.capaian_rentang,
        ),
    ] {
        if let Some(c) = r.opt(key)
            && let Some(mut cm) = c.as_map(mapping, diags)
        {
            for polaritas in Polaritas::NAMES {
                if let Some(t) = cm.opt(polaritas).and_then(|n| n.as_text(diags))
                    && let Some(p) = Polaritas::from_name(polaritas)
                {
                    slot.insert(p, t.into());
                }
            }
            cm.finish(diags);
        }
    }
    let set = |key: &str, slot: &mut RuleRef, r: &mut MapReader, diags: &mut Diagnostics| {
        if let Some(t) = r.opt(key).and_then(|n| n.as_text(diags)) {
            *slot = t.into();
        }
    };
    set("capaian_sasaran", &mut rules.capaian_sasaran, &mut r, diags);
    set("nilai_kinerja", &mut rules.nilai_kinerja, &mut r, diags);
    set("persen_anggaran", &mut rules.persen_anggaran, &mut r, diags);
    set("persen_total", &mut rules.persen_total, &mut r, diags);
    set("sisa_anggaran", &mut rules.sisa_anggaran, &mut r, diags);
    set(
        "proporsi_anggaran",
        &mut rules.proporsi_anggaran,
        &mut r,
        diags,
    );
    set("persen_rpd", &mut rules.persen_rpd, &mut r, diags);
    set("deviasi_rpd", &mut rules.deviasi_rpd, &mut r, diags);
    set("kategori", &mut rules.kategori, &mut r, diags);
    r.finish(diags);
}

/// Keys a budget row or file holds besides its children: no level may be named so.
const NOT_LEVELS: &[&str] = &[
    "kode",
    "nama",
    "pagu",
    "realisasi",
    "rpd",
    "dicetak",
    "jenis_belanja",
    "rincian",
    "rincian_csv",
    "riwayat",
    "akun",
];

/// `anggaran.tingkat`: the budget's levels, from the top. `None` (the scheme's default
/// then) when the list cannot be used, each problem reported at its name.
fn levels(node: &Node, diags: &mut Diagnostics) -> Option<Vec<String>> {
    let items = node.as_seq(diags)?;
    if items.is_empty() {
        diags.push(
            Diagnostic::error(Code::MissingKey, "`anggaran.tingkat` names no level")
                .at(node.span, "an empty list")
                .hint("name the levels from the top, `tingkat: [program, kegiatan, sub_kegiatan]`, or leave the key out for the scheme's default"),
        );
        return None;
    }
    let mut ok = true;
    let mut seen: Vec<Text> = Vec::new();
    for item in items {
        let Some(t) = item.as_text(diags) else {
            ok = false;
            continue;
        };
        let name = t.value.as_str();
        let well_formed = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !well_formed {
            ok = false;
            diags.push(
                Diagnostic::error(
                    Code::WrongType,
                    format!("`{name}` cannot name a budget level"),
                )
                .at(t.span, "not a level name")
                .hint(format!(
                    "a level is named as budget rows hold it: lower case letters, digits and `_`, starting with a letter (`{}`)",
                    name.trim().to_lowercase().replace([' ', '-'], "_")
                )),
            );
        } else if NOT_LEVELS.contains(&name) {
            ok = false;
            diags.push(
                Diagnostic::error(
                    Code::WrongType,
                    format!("`{name}` cannot name a budget level: a budget row already has a key `{name}`"),
                )
                .at(t.span, "taken by a row's own key")
                .hint("name the level as the report does (`sub_kegiatan`, `kro`, `ro`, `komponen`)"),
            );
        } else if let Some(first) = seen.iter().find(|s| s.value == t.value) {
            ok = false;
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("budget level `{name}` is named twice"),
                )
                .at(t.span, "named again here")
                .also(first.span, "first named here")
                .hint("each level appears once, from the top: `[program, kegiatan, sub_kegiatan]`"),
            );
        }
        seen.push(t);
    }
    ok.then(|| seen.into_iter().map(|t| t.value).collect())
}
