//! Reading what a report printed (`dicetak`) and the tables it printed (`tabel`).

use super::shape::{DataKeys, Field, KeyKind, Mapping, Shape};
use super::yaml::{Node, NodeKind};
use crate::base::diagnostic::Diagnostics;
use crate::model::{
    BarisTabel, Cetakan, CetakanKategori, Dicetak, PERIODE_KODE, Periode, Tabel, Text,
};

const SUMBER_DOC: &str = "Where the report prints these figures: a table, a page, a line (`Tabel pengukuran (L2700–L2701)`).";
const DIKETAHUI_DOC: &str = "Why a known disagreement with the computed figure is the way it is. The audit still lists it, as known, but it no longer fails `kinerja audit` or `check --deny warnings`.";

/// A printed figure: a number, as the audit reads it.
const fn figure(name: &'static str, doc: &'static str) -> Field {
    Field::opt(name, Shape::Number, doc)
}

/// A band printed beside a figure: its label, as text.
const fn band(name: &'static str, doc: &'static str) -> Field {
    Field::opt(name, Shape::Text, doc)
}

/// The two keys every printing may carry besides its figures.
const SUMBER: Field = Field::opt("sumber", Shape::Text, SUMBER_DOC);
const DIKETAHUI: Field = Field::opt("diketahui", Shape::Text, DIKETAHUI_DOC);
/// The period a printing is for: audited only as of it.
const PERIODE: Field = Field::opt(
    "periode",
    Shape::Choice(&PERIODE_KODE),
    "The period these figures were printed for (`periode: TW2`): the audit compares them only in a run as of that period, and says how many it left for another. Without it, they are for the manifest's `periode.laporan`, or the whole year's when it names none.",
);

/// What an indikator (or IKK) printing may hold: its figures (the numbers), `sumber` and
/// `diketahui`.
pub(crate) static PRINTED_INDIKATOR: Mapping = Mapping {
    what: "dicetak",
    name: "dicetak_indikator",
    doc: "Figures the report printed for this indikator (checked by `kinerja audit`, never used to compute), with where it printed them.",
    fields: &[
        figure("target", "The target, as the report printed it."),
        figure(
            "realisasi",
            "The realisasi, as the report printed it, with the decimals it printed (`89.19`).",
        ),
        figure(
            "capaian",
            "The capaian (realisasi against target, in %), as the report printed it, with the decimals it printed (`98.01`).",
        ),
        figure(
            "capaian_jangka_menengah",
            "The medium-term capaian (realisasi against the last Renstra year's target, in %), as the report printed it.",
        ),
        band(
            "kategori_realisasi",
            "The band the report printed beside the realisasi (`BB`), checked against the band its table gives the computed realisasi.",
        ),
        band(
            "kategori_capaian",
            "The band the report printed beside the capaian (`sangat baik`), checked against the band its table gives the computed capaian.",
        ),
        SUMBER,
        DIKETAHUI,
        PERIODE,
    ],
    data: None,
    examples: &[
        "{realisasi: 89.19, capaian: 98.01, sumber: Tabel pengukuran (L2700–L2701)}",
        "{realisasi: 210, capaian: 105, periode: TW2}",
    ],
};
/// What a sasaran printing may hold.
pub(crate) static PRINTED_SASARAN: Mapping = Mapping {
    what: "dicetak",
    name: "dicetak_sasaran",
    doc: "Figures the report printed for this sasaran (checked by `kinerja audit`, never used to compute).",
    fields: &[
        figure(
            "capaian",
            "The sasaran's capaian, as the report printed it, with the decimals it printed (`86.80`).",
        ),
        band(
            "kategori_capaian",
            "The band the report printed beside the sasaran's capaian, checked against the band its table gives the computed capaian.",
        ),
        SUMBER,
        DIKETAHUI,
        PERIODE,
    ],
    data: None,
    examples: &["{capaian: 93.42, sumber: Tabel capaian sasaran}"],
};
/// What a printing about the whole organisation (the manifest's) may hold.
pub(crate) static PRINTED_MANIFEST: Mapping = Mapping {
    what: "dicetak",
    name: "dicetak_organisasi",
    doc: "Figures the report printed about the whole organisation (checked by `kinerja audit`, never used to compute).",
    fields: &[
        figure(
            "nilai_kinerja",
            "The organisation's headline figure (nilai kinerja), as printed.",
        ),
        band(
            "kategori_nilai_kinerja",
            "The band the report printed beside the nilai kinerja (`BB`), checked against the band its table gives the computed one.",
        ),
        figure(
            "rata_rata_capaian_indikator",
            "The mean capaian of the indikator, as printed.",
        ),
        figure("jumlah_sasaran", "The number of sasaran, as printed."),
        figure("jumlah_indikator", "The number of indikator, as printed."),
        figure(
            "jumlah_indikator_tercapai",
            "The number of indikator that reached their target (capaian ≥ 100), as printed.",
        ),
        figure(
            "jumlah_indikator_belum_tercapai",
            "The number of indikator that did not reach their target, as printed.",
        ),
        figure(
            "persen_indikator_tercapai",
            "The % of indikator that reached their target, as printed.",
        ),
        figure(
            "persen_indikator_belum_tercapai",
            "The % of indikator that did not reach their target, as printed.",
        ),
        SUMBER,
        DIKETAHUI,
        PERIODE,
    ],
    data: None,
    examples: &["{nilai_kinerja: 103.58, sumber: Ringkasan Eksekutif}"],
};
/// The figures every budget printing may hold: a row's, the total's, a past year's.
const PAGU: Field = figure(
    "pagu",
    "The pagu (budget allocation) in rupiah, as printed.",
);
const REALISASI: Field = figure(
    "realisasi",
    "The realisasi anggaran (spent) in rupiah, as printed.",
);
const PERSEN: Field = figure(
    "persen",
    "The realisation % (realisasi ÷ pagu × 100), as printed, with the decimals it printed (`99.20`).",
);
const SISA: Field = figure("sisa", "The sisa (pagu − realisasi) in rupiah, as printed.");

/// The plan's figures a budget printing may hold, as of its period.
const RPD: Field = figure(
    "rpd",
    "The disbursement plan (RPD) up to the period, in rupiah, as printed.",
);
const PERSEN_RPD: Field = figure(
    "persen_rpd",
    "The plan up to the period as a % of the pagu in force, as printed (`40.73`).",
);
const DEVIASI_RPD: Field = figure(
    "deviasi_rpd",
    "The realisasi's deviation from the plan up to the period (the rule `rumus.deviasi_rpd`), as printed.",
);

/// What the printing of the budget's total may hold.
pub(crate) static PRINTED_BUDGET: Mapping = Mapping {
    what: "dicetak",
    name: "dicetak_anggaran",
    doc: "Budget figures the report printed (checked by `kinerja audit`, never used to compute).",
    fields: &[
        PAGU,
        REALISASI,
        PERSEN,
        SISA,
        RPD,
        PERSEN_RPD,
        DEVIASI_RPD,
        SUMBER,
        DIKETAHUI,
        PERIODE,
    ],
    data: None,
    examples: &[
        "{persen: 89.08, sumber: Tabel realisasi anggaran}",
        "{realisasi: 23_906_077_655, persen: 23.03, periode: TW2}",
    ],
};

/// What the printing of a past year's budget may hold: that year's figures, of no period of
/// this one.
pub(crate) static PRINTED_RIWAYAT: Mapping = Mapping {
    what: "dicetak",
    name: "dicetak_riwayat",
    doc: "A past year's budget figures the report printed (checked by `kinerja audit`, never used to compute).",
    fields: &[PAGU, REALISASI, PERSEN, SISA, SUMBER, DIKETAHUI],
    data: None,
    examples: &["{persen: 96.91, sumber: narasi (L4301)}"],
};

/// What a budget row's printing (a row of the hierarchy's, a jenis belanja's) may hold: the
/// total's figures, and its share of what it belongs to.
pub(crate) static PRINTED_BUDGET_ROW: Mapping = Mapping {
    what: "dicetak",
    name: "dicetak_baris_anggaran",
    doc: "Budget figures the report printed (checked by `kinerja audit`, never used to compute).",
    fields: &[
        PAGU,
        REALISASI,
        PERSEN,
        SISA,
        figure(
            "proporsi",
            "A row's share of the pagu (of its parent's, or of the total pagu for a top row or jenis belanja) in %, as printed, with the decimals it printed (`95.36`).",
        ),
        RPD,
        PERSEN_RPD,
        DEVIASI_RPD,
        SUMBER,
        DIKETAHUI,
        PERIODE,
    ],
    data: None,
    examples: &["{persen: 99.39, proporsi: 95.36, sumber: Tabel realisasi anggaran}"],
};

/// What `dicetak:` is, wherever it stands: one printing, or a list of them.
pub(crate) const DICETAK_DOC: &str = "Figures the report printed here, checked by `kinerja audit` and never used to compute: one mapping of figures, or a list of them when the report prints figures in several places, each with its own `sumber` (and `diketahui` for a known disagreement).";

pub(crate) static TABEL: Mapping = Mapping {
    what: "a tabel",
    name: "tabel",
    doc: "A table the report printed, with its rows and printed totals: the audit adds up each column and compares it with `jumlah`.",
    fields: &[
        Field::req("nama", Shape::Text, "The table's title, as printed."),
        Field::opt(
            "sumber",
            Shape::Text,
            "Where the report prints the table (`L3105–L3111`).",
        ),
        Field::req(
            "baris",
            Shape::List(&Shape::Map(&TABEL_ROW)),
            "The table's rows: `{nama: UGB, izin: 911, melaporkan: 776}`, a name and a number per column.",
        ),
        Field::req(
            "jumlah",
            Shape::Map(&TABEL_JUMLAH),
            "The totals the table printed, per column: `{izin: 1072, melaporkan: 873}`.",
        ),
        Field::opt("diketahui", Shape::Text, DIKETAHUI_DOC),
    ],
    data: None,
    examples: &["{nama: Data Penyelenggara, baris: [{nama: UGB, izin: 911}], jumlah: {izin: 911}}"],
};

static TABEL_ROW: Mapping = Mapping {
    what: "a tabel row",
    name: "baris_tabel",
    doc: "One row of a printed table: its name, and a number per column.",
    fields: &[Field::opt(
        "nama",
        Shape::Text,
        "The row's name, as printed.",
    )],
    data: Some(DataKeys {
        keys: KeyKind::Any,
        value: Shape::Number,
        doc: "A column of the table, with this row's number in it.",
    }),
    examples: &["{nama: UGB, izin: 911, melaporkan: 776}"],
};

static TABEL_JUMLAH: Mapping = Mapping {
    what: "tabel.jumlah",
    name: "jumlah_tabel",
    doc: "The totals a table printed, per column.",
    fields: &[],
    data: Some(DataKeys {
        keys: KeyKind::Any,
        value: Shape::Number,
        doc: "A column of the table, with the total the report printed for it.",
    }),
    examples: &["{izin: 1072, melaporkan: 873}"],
};

/// What `tabel:` of an indikator is.
pub(crate) const TABEL_DOC: &str = "Tables the report printed under this indikator, with their rows and printed totals: the audit checks each total against its rows (A003).";

/// `dicetak: {capaian: 93.42}`, or a list of printings, each with its own `sumber`
/// and, for a known disagreement, `diketahui`.
pub(super) fn dicetak(
    node: Option<&Node>,
    mapping: &'static Mapping,
    diags: &mut Diagnostics,
) -> Dicetak {
    let mut out = Dicetak::default();
    let Some(node) = node else { return out };
    match &node.kind {
        NodeKind::Seq(items) => {
            for item in items {
                printing(item, mapping, &mut out, diags);
            }
        }
        _ => printing(node, mapping, &mut out, diags),
    }
    out
}

pub(super) fn printing(
    node: &Node,
    mapping: &'static Mapping,
    out: &mut Dicetak,
    diags: &mut Diagnostics,
) {
    let Some(mut m) = node.as_map(mapping, diags) else {
        return;
    };
    let sumber = m.opt_string("sumber", diags);
    let diketahui = m.opt_string("diketahui", diags);
    // A printing for a period that cannot be read is read (its mistakes reported) but
    // left out: it is audited at no period.
    let mut periode = None;
    let mut into = Dicetak::default();
    let mut keep = true;
    if mapping.field("periode").is_some()
        && let Some(t) = m.opt("periode").and_then(|n| n.as_text(diags))
    {
        match Periode::parse(&t.value) {
            Ok(p) => periode = Some((p, t.span)),
            Err(e) => {
                diags.push(super::periode::not_a_period(&t.value, t.span, &e));
                keep = false;
            }
        }
    }
    // The figures are the printing's numbers, the bands its `kategori_…` text; `sumber`,
    // `diketahui` and `periode` are about the printing.
    for field in mapping.fields {
        let key = field.name;
        let band = key.starts_with("kategori_");
        if !band && !matches!(field.shape, Shape::Number) {
            continue;
        }
        let Some(n) = m.opt(key) else { continue };
        let ukuran = Text {
            value: key.to_string(),
            span: m.key_span(key).unwrap_or(n.span),
        };
        let (sumber, diketahui) = (sumber.clone(), diketahui.clone());
        if band {
            if let Some(label) = n.as_text(diags) {
                into.kategori.push(CetakanKategori {
                    ukuran,
                    label,
                    sumber,
                    diketahui,
                    periode,
                });
            }
        } else if let Some(nilai) = n.as_num(diags) {
            into.figures.push(Cetakan {
                ukuran,
                nilai,
                sumber,
                diketahui,
                periode,
            });
        }
    }
    m.finish(diags);
    if keep {
        out.figures.extend(into.figures);
        out.kategori.extend(into.kategori);
    }
}

pub(super) fn tabel(node: &Node, diags: &mut Diagnostics) -> Option<Tabel> {
    let mut m = node.as_map(&TABEL, diags)?;
    let nama = m.req("nama", diags).and_then(|n| n.as_text(diags));
    let sumber = m.opt_string("sumber", diags);
    let diketahui = m.opt_string("diketahui", diags);
    let mut baris = Vec::new();
    if let Some(rows) = m.req("baris", diags).and_then(|n| n.as_seq(diags)) {
        for row in rows {
            let Some(mut r) = row.as_map(&TABEL_ROW, diags) else {
                continue;
            };
            let nama = r
                .opt("nama")
                .and_then(|n| n.as_text(diags))
                .map(|t| t.value)
                .unwrap_or_default();
            let nilai = r
                .rest()
                .into_iter()
                .filter_map(|(k, v)| v.as_num(diags).map(|n| (k.name.to_string(), n)))
                .collect();
            baris.push(BarisTabel { nama, nilai });
        }
    }
    let mut jumlah = Vec::new();
    if let Some(mut j) = m
        .req("jumlah", diags)
        .and_then(|n| n.as_map(&TABEL_JUMLAH, diags))
    {
        for (k, v) in j.rest() {
            if let Some(n) = v.as_num(diags) {
                jumlah.push((
                    Text {
                        value: k.name.to_string(),
                        span: k.span,
                    },
                    n,
                ));
            }
        }
    }
    m.finish(diags);
    Some(Tabel {
        nama: nama?,
        sumber,
        baris,
        jumlah,
        diketahui,
    })
}
