//! The report's tables: sections of typed cells, laid out by the terminal table, Markdown
//! and the Excel workbook, each showing a cell its own way (text for people, a number with
//! a number format in a workbook).

use super::Presentation;
use crate::base::number::Locale;
use crate::eval::calls::akumulasi_rule;
use crate::eval::figures::band_of;
use crate::eval::{AnggaranPeriode, BarisHasil, Figure, Hasil, HasilIndikator};
use crate::model::{
    BarisAnggaran, Indikator, Isi, Kronologi, Num, PERIODE_KODE, Periode, SumberRealisasi,
    TargetAngka, Warna, Workspace, level_title,
};
// aHash: keyed by ids from the workspace, not by adversaries.
use ahash::AHashSet as HashSet;
use rust_decimal::Decimal;

/// A section of the report: a title, the name of its sheet in a workbook, column headers and
/// rows of cells.
pub(super) struct Section {
    pub(super) title: String,
    /// Short, in the planners' language, within Excel's 31 characters.
    pub(super) sheet: &'static str,
    pub(super) headers: Vec<&'static str>,
    /// Columns aligned right (numbers).
    pub(super) numeric: Vec<usize>,
    pub(super) rows: Vec<Vec<Value>>,
    /// Rows shown emphasised (sasaran lines, totals), in increasing order.
    pub(super) strong: Vec<usize>,
}

impl Section {
    pub(super) fn is_strong(&self, row: usize) -> bool {
        self.strong.binary_search(&row).is_ok()
    }
}

/// One cell of a section, as computed: each format decides how to show it.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Value {
    /// Nothing to show (a sasaran line has no target).
    Empty,
    /// A figure that could not be computed: `—`.
    Missing,
    Text(String),
    /// An id, indented `depth` levels (a komponen under its indikator).
    Id {
        id: String,
        depth: usize,
    },
    /// A budget row's name, indented `depth` levels under the row it belongs to (a sub
    /// kegiatan under its kegiatan). Indented with no-break spaces, which neither a
    /// terminal table's wrapping nor Markdown drops.
    Uraian {
        nama: String,
        depth: usize,
    },
    /// A percentage, score, target or realisasi: shown at the presentation precision.
    Figure(Decimal),
    /// A figure with the band it falls in: the label beside the number.
    Banded(Decimal, Kategori),
    /// An amount of rupiah, exact: shown with every decimal it has.
    Rupiah(Decimal),
    /// A weight (`bobot`), as written: `60`, `0.6`.
    Bobot(Decimal),
    /// A target range, `80.00–90.00`: shown as text (no one number holds it).
    Rentang(Decimal, Decimal),
    /// A count or a year.
    Whole(i64),
}

/// A figure's band, as a cell shows it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Kategori {
    pub(super) label: String,
    pub(super) warna: Option<Warna>,
}

impl Value {
    /// The cell as text for people, as the terminal table and Markdown show it.
    pub(super) fn text(&self, p: &Presentation) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Missing => "—".into(),
            Value::Text(s) => s.clone(),
            Value::Id { id, depth } => format!("{}{id}", "  ".repeat(*depth)),
            Value::Uraian { nama, depth } => format!("{}{nama}", "\u{a0}\u{a0}".repeat(*depth)),
            Value::Figure(v) => p.pct(Some(*v)),
            Value::Banded(v, k) => format!("{} ({})", p.pct(Some(*v)), k.label),
            Value::Rupiah(v) => p.rp(Some(*v)),
            Value::Bobot(v) => p.locale.rupiah(*v),
            Value::Rentang(min, maks) => format!("{}–{}", p.pct(Some(*min)), p.pct(Some(*maks))),
            Value::Whole(n) => n.to_string(),
        }
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn id(s: &str) -> Value {
    Value::Id {
        id: s.to_string(),
        depth: 0,
    }
}

fn count(n: usize) -> Value {
    Value::Whole(i64::try_from(n).unwrap_or(i64::MAX))
}

fn figure(v: Option<Decimal>) -> Value {
    v.map_or(Value::Missing, Value::Figure)
}

fn rupiah(v: Option<Decimal>) -> Value {
    v.map_or(Value::Missing, Value::Rupiah)
}

fn target(t: TargetAngka) -> Value {
    match t {
        TargetAngka::Satu(v) => Value::Figure(v),
        TargetAngka::Rentang { min, maks } => Value::Rentang(min, maks),
    }
}

fn bobot(b: Option<&Num>) -> Value {
    b.map_or(Value::Empty, |b| Value::Bobot(b.value))
}

/// Whether the workspace weighs its sasaran or any indikator: only then do the tables have
/// a `Bobot` column.
fn has_bobot(ws: &Workspace) -> bool {
    ws.sasaran.iter().any(|s| s.bobot.is_some()) || ws.indikator.iter().any(|i| i.bobot.is_some())
}

/// Inserts a `Bobot` column before column `at` of `section`, its cells `cells` row by row.
fn with_bobot(section: &mut Section, at: usize, cells: Vec<Value>) {
    section.headers.insert(at, "Bobot");
    for n in &mut section.numeric {
        if *n >= at {
            *n += 1;
        }
    }
    section.numeric.insert(0, at);
    section.numeric.sort_unstable();
    for (row, cell) in section.rows.iter_mut().zip(cells) {
        row.insert(at, cell);
    }
}

/// The report's title line.
pub(super) fn heading(ws: &Workspace) -> String {
    let m = &ws.manifest;
    let mut s = format!("Laporan Kinerja {} — {}", periode_tahun(ws), m.organisasi);
    if let Some(i) = &m.instansi {
        s.push_str(&format!(" ({i})"));
    }
    s
}

/// The year, after the period reported when there is one: `2022`, `Triwulan II 2022`.
pub(crate) fn periode_tahun(ws: &Workspace) -> String {
    let m = &ws.manifest;
    match m.periode.laporan {
        Some(p) => format!("{} {}", p.nama(), m.tahun),
        None => m.tahun.to_string(),
    }
}

pub(crate) use crate::eval::{BELUM_JATUH_TEMPO, TARGET_BELUM_DITETAPKAN};

/// The one line that says what the workspace does not hold (the parts every output leaves
/// out), in the language of the output: `None` when it holds every part. Where its
/// indikator roll up directly, it says so: that is how its nilai kinerja is computed.
pub(crate) fn catatan(isi: Isi, bahasa: Locale) -> Option<String> {
    let parts = isi.tidak_memuat();
    if parts.is_empty() {
        return None;
    }
    let (names, and, suffix) = match bahasa {
        Locale::Id => (
            parts.clone(),
            " dan ",
            ": nilai kinerja dihitung langsung dari capaian indikator",
        ),
        Locale::En => (
            parts
                .iter()
                .map(|p| if *p == "anggaran" { "budget" } else { p })
                .collect(),
            " and no ",
            ": the nilai kinerja is computed directly from the indikator's capaian",
        ),
    };
    let list = names.join(and);
    let suffix = if isi.langsung() { suffix } else { "" };
    Some(match bahasa {
        Locale::Id => format!("Ruang kerja ini tidak memuat {list}{suffix}."),
        Locale::En => format!("This workspace has no {list}{suffix}."),
    })
}

/// A computed figure, with its band when it falls in one.
fn fig(ws: &Workspace, f: Option<&Figure>) -> Value {
    match (f, band_of(ws, f)) {
        (Some(f), Some(b)) => Value::Banded(
            f.value,
            Kategori {
                label: b.label.to_string(),
                warna: b.warna,
            },
        ),
        (f, _) => figure(f.map(|f| f.value)),
    }
}

/// The report's sections, in report order; a section without rows in this workspace (no
/// indikator, no sasaran, no medium-term targets, no budget, no budget history) is left out.
pub(super) fn sections(ws: &Workspace, h: &Hasil) -> Vec<Section> {
    let mut out = Vec::new();
    let isi = ws.isi();
    if isi.indikator {
        performance(ws, h, isi, &mut out);
    }
    budget(ws, h, &mut out);
    out
}

/// The indikator's sections: their capaian (under their sasaran, or directly under the
/// organisation), the summary of what reached its target, the medium-term comparison.
fn performance(ws: &Workspace, h: &Hasil, isi: Isi, out: &mut Vec<Section>) {
    let mut weights = Vec::new();
    let mut capaian = Section {
        title: format!("Capaian kinerja {}", periode_tahun(ws)),
        sheet: "Indikator",
        headers: vec![
            "ID",
            if isi.sasaran {
                "Sasaran / Indikator"
            } else {
                "Indikator"
            },
            "Satuan",
            "Target",
            "Realisasi",
            "Capaian (%)",
        ],
        numeric: vec![3, 4, 5],
        rows: Vec::new(),
        strong: Vec::new(),
    };
    for (model, s) in ws.sasaran.iter().zip(&h.sasaran) {
        capaian.strong.push(capaian.rows.len());
        capaian.rows.push(vec![
            id(&model.id.value),
            text(&model.nama),
            Value::Empty,
            Value::Empty,
            Value::Empty,
            fig(ws, s.capaian.as_ref()),
        ]);
        weights.push(bobot(model.bobot.as_ref()));
        for &i in &s.anggota {
            indicator_rows(ws, &ws.indikator[i], &h.indikator[i], 0, &mut capaian.rows);
            weights_of(&ws.indikator[i], &mut weights);
        }
    }
    // Indikator without a known sasaran are listed after the sasaran (a set: a national
    // workspace has 10,000 sasaran and 100,000 indikator); in a workspace without sasaran,
    // that is every indikator, directly above the nilai kinerja they roll up to.
    let sasaran_ids: HashSet<&str> = ws.sasaran.iter().map(|s| s.id.value.as_str()).collect();
    for (model, result) in ws.indikator.iter().zip(&h.indikator) {
        let known = model
            .sasaran
            .as_ref()
            .is_some_and(|s| sasaran_ids.contains(s.value.as_str()));
        if !known {
            indicator_rows(ws, model, result, 0, &mut capaian.rows);
            weights_of(model, &mut weights);
        }
    }
    capaian.strong.push(capaian.rows.len());
    capaian.rows.push(vec![
        Value::Empty,
        text("Nilai kinerja"),
        Value::Empty,
        Value::Empty,
        Value::Empty,
        fig(ws, h.nilai_kinerja.as_ref()),
    ]);
    weights.push(Value::Empty);
    if has_bobot(ws) {
        with_bobot(&mut capaian, 3, weights);
    }
    out.push(capaian);
    out.extend(per_periode(ws, h));

    if let Some(l) = &h.langsung {
        // The organisation counts the indikator that roll up to it, as a sasaran would.
        out.push(Section {
            title: "Ringkasan capaian indikator".into(),
            sheet: "Ringkasan",
            headers: vec![
                "Organisasi",
                "Indikator",
                "Tercapai",
                "Belum tercapai",
                "Nilai kinerja",
            ],
            numeric: vec![1, 2, 3, 4],
            rows: vec![vec![
                text(&ws.manifest.organisasi),
                count(l.anggota.len()),
                count(l.tercapai),
                count(l.belum_tercapai),
                fig(ws, h.nilai_kinerja.as_ref()),
            ]],
            strong: Vec::new(),
        });
    }
    if isi.sasaran {
        out.push(sasaran_summary(ws, h));
    }
    medium_term(ws, h, out);
}

/// Each value per period of the indikator given (or computed) per period, up to the period
/// reported, beside the figure as of it and the rule that accumulated them; `None` where no
/// indikator gives values per period.
fn per_periode(ws: &Workspace, h: &Hasil) -> Option<Section> {
    fn rows(
        ws: &Workspace,
        m: &Indikator,
        r: &HasilIndikator,
        depth: usize,
        out: &mut Vec<Vec<Value>>,
    ) {
        let periodik = matches!(
            m.realisasi.as_ref().map(|r| &r.sumber),
            Some(SumberRealisasi::PerPeriode(_) | SumberRealisasi::RumusPerPeriode { .. })
        );
        if periodik {
            let sampai = ws.manifest.periode.sampai();
            let mut row = vec![
                Value::Id {
                    id: m.id.value.clone(),
                    depth,
                },
                text(&m.nama),
            ];
            row.extend(
                sampai
                    .kalender
                    .periods()
                    .take_while(|p| *p <= sampai)
                    .map(|p| {
                        r.per_periode
                            .iter()
                            .find(|(q, _)| *q == p)
                            .map_or(Value::Missing, |(_, v)| Value::Figure(*v))
                    }),
            );
            row.push(if r.belum_jatuh_tempo {
                text(BELUM_JATUH_TEMPO)
            } else {
                fig(ws, r.realisasi.as_ref())
            });
            row.push(text(&akumulasi_rule(&ws.manifest, m).name));
            out.push(row);
        }
        for (k, kr) in m.komponen.iter().zip(&r.komponen) {
            rows(ws, k, kr, depth + 1, out);
        }
    }
    let mut found = Vec::new();
    for (m, r) in ws.indikator.iter().zip(&h.indikator) {
        rows(ws, m, r, 0, &mut found);
    }
    if found.is_empty() {
        return None;
    }
    let sampai = ws.manifest.periode.sampai();
    let mut headers = vec!["ID", "Indikator"];
    // The periods' codes as the calendar writes them, each a column.
    headers.extend(
        sampai
            .kalender
            .periods()
            .take_while(|p| *p <= sampai)
            .map(|p| {
                PERIODE_KODE
                    .iter()
                    .copied()
                    .find(|k| Periode::parse(k) == Ok(p))
                    .unwrap_or("?")
            }),
    );
    let last = headers.len();
    headers.extend(["Realisasi", "Akumulasi"]);
    Some(Section {
        title: format!("Realisasi per periode {}", periode_tahun(ws)),
        sheet: "Per periode",
        headers,
        numeric: (2..=last).collect(),
        rows: found,
        strong: Vec::new(),
    })
}

/// What each sasaran's indikator reached.
fn sasaran_summary(ws: &Workspace, h: &Hasil) -> Section {
    let mut ringkasan = Section {
        title: "Ringkasan capaian sasaran".into(),
        sheet: "Sasaran",
        headers: vec![
            "ID",
            "Sasaran",
            "Indikator",
            "Tercapai",
            "Belum tercapai",
            "Capaian (%)",
        ],
        numeric: vec![2, 3, 4, 5],
        rows: ws
            .sasaran
            .iter()
            .zip(&h.sasaran)
            .map(|(model, s)| {
                vec![
                    id(&model.id.value),
                    text(&model.nama),
                    count(s.anggota.len()),
                    count(s.tercapai),
                    count(s.belum_tercapai),
                    fig(ws, s.capaian.as_ref()),
                ]
            })
            .collect(),
        strong: Vec::new(),
    };
    if ws.sasaran.iter().any(|s| s.bobot.is_some()) {
        let cells = ws.sasaran.iter().map(|s| bobot(s.bobot.as_ref())).collect();
        with_bobot(&mut ringkasan, 2, cells);
    }
    ringkasan
}

/// Realisasi against the last Renstra year's target, where an indikator has one.
fn medium_term(ws: &Workspace, h: &Hasil, out: &mut Vec<Section>) {
    let with_jm: Vec<(&Indikator, &HasilIndikator)> = ws
        .indikator
        .iter()
        .map(|i| &**i)
        .zip(&h.indikator)
        .filter(|(_, r)| r.jangka_menengah.is_some())
        .collect();
    if !with_jm.is_empty() {
        let mut jm = Section {
            title: "Capaian terhadap target jangka menengah (Renstra)".into(),
            sheet: "Jangka menengah",
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
        for (model, r) in with_jm {
            if let Some(m) = &r.jangka_menengah {
                jm.rows.push(vec![
                    id(&model.id.value),
                    text(&model.nama),
                    fig(ws, r.realisasi.as_ref()),
                    Value::Whole(m.tahun.into()),
                    target(m.target),
                    Value::Figure(m.capaian.value),
                ]);
            }
        }
        out.push(jm);
    }
}

/// The budget's sections: per kegiatan and per jenis belanja with the total, and the
/// realisation history; none without a budget.
fn budget(ws: &Workspace, h: &Hasil, out: &mut Vec<Section>) {
    let a = &h.anggaran;
    let m = &ws.anggaran;
    let levels = &ws.manifest.tingkat;
    // The levels the rows are of, in order: a budget of kegiatan alone keeps its title.
    let mut present: Vec<usize> = m.baris.iter().map(|r| r.tingkat).collect();
    present.sort_unstable();
    present.dedup();
    let (title, sheet, header) = match present.as_slice() {
        [one] if levels[*one] == "kegiatan" => (
            "Realisasi anggaran per kegiatan".to_string(),
            "Kegiatan",
            "Kegiatan",
        ),
        _ => (
            format!(
                "Realisasi anggaran per {}",
                present
                    .iter()
                    .map(|&t| level_title(&levels[t]))
                    .collect::<Vec<_>>()
                    .join(" / ")
            ),
            "Anggaran",
            "Uraian",
        ),
    };
    // The share column, only in a table where a row shares its whole with another: where
    // every row is all of its parent (one kegiatan, one jenis belanja), it says nothing.
    let shared = |rows: &[BarisHasil]| {
        rows.iter()
            .any(|r| r.proporsi.is_some_and(|v| v != Decimal::ONE_HUNDRED))
    };
    // As of a period, where the budget gives values per period: the title says so.
    let as_of = |title: String, periode: Option<&KolomPeriode>| match periode {
        Some(_) => format!(
            "{title} s.d. {} {}",
            ws.manifest.periode.sampai().nama(),
            ws.manifest.tahun
        ),
        None => title,
    };
    if !m.baris.is_empty() {
        let shares = shared(&a.baris);
        let periode = KolomPeriode::of(&a.baris, a.total.as_ref());
        let (headers, numeric) = budget_headers(header, shares, periode.as_ref());
        let mut s = Section {
            title: as_of(title, periode.as_ref()),
            sheet,
            headers,
            numeric,
            rows: Vec::new(),
            strong: Vec::new(),
        };
        // Rows stand before their children: a row's depth is its parent's and one.
        let mut depth = vec![0usize; m.baris.len()];
        for (i, (model, r)) in m.baris.iter().zip(&a.baris).enumerate() {
            depth[i] = model.induk.map_or(0, |p| depth[p] + 1);
            if !model.anak.is_empty() {
                s.strong.push(s.rows.len());
            }
            s.rows.push(budget_row(
                Some(model),
                depth[i],
                r,
                shares,
                periode.as_ref(),
            ));
        }
        if let Some(t) = &a.total {
            s.strong.push(s.rows.len());
            s.rows
                .push(budget_row(None, 0, t, shares, periode.as_ref()));
        }
        out.push(s);
    }
    if !m.jenis_belanja.is_empty() {
        let shares = shared(&a.jenis_belanja);
        let periode = KolomPeriode::of(&a.jenis_belanja, a.total.as_ref());
        let (headers, numeric) = budget_headers("Jenis belanja", shares, periode.as_ref());
        let row = |model, depth, r| budget_row(model, depth, r, shares, periode.as_ref());
        let mut s = Section {
            title: as_of(
                "Realisasi anggaran per jenis belanja".into(),
                periode.as_ref(),
            ),
            sheet: "Jenis belanja",
            headers,
            numeric,
            rows: m
                .jenis_total()
                .map(|j| row(Some(&m.jenis_belanja[j]), 0, &a.jenis_belanja[j]))
                .collect(),
            strong: Vec::new(),
        };
        if let Some(t) = &a.total {
            s.strong.push(s.rows.len());
            s.rows.push(row(None, 0, t));
        }
        // The rows that carry their own breakdown, each with its jenis belanja under it.
        for (i, model) in m.baris.iter().enumerate() {
            let own: Vec<usize> = (0..m.jenis_belanja.len())
                .filter(|&j| m.jenis_belanja[j].induk == Some(i))
                .collect();
            if own.is_empty() {
                continue;
            }
            s.strong.push(s.rows.len());
            // Here the row's share is of its parent, its jenis belanja's of the row.
            s.rows.push(row(Some(model), 0, &a.baris[i]));
            for j in own {
                s.rows
                    .push(row(Some(&m.jenis_belanja[j]), 1, &a.jenis_belanja[j]));
            }
        }
        out.push(s);
    }
    if !m.riwayat.is_empty() {
        out.push(Section {
            title: "Riwayat realisasi anggaran".into(),
            sheet: "Riwayat",
            headers: vec!["Tahun", "Pagu (Rp)", "Realisasi (Rp)", "%"],
            numeric: vec![1, 2, 3],
            rows: m
                .riwayat
                .iter()
                .zip(&a.riwayat)
                .map(|(r, persen)| {
                    vec![
                        Value::Whole(r.tahun.into()),
                        r.pagu.map_or(Value::Empty, |v| Value::Rupiah(v.value)),
                        r.realisasi.map_or(Value::Empty, |v| Value::Rupiah(v.value)),
                        figure(*persen),
                    ]
                })
                .collect(),
            strong: Vec::new(),
        });
    }
    kronologi(ws, out);
}

/// The chronologies of pagu changes, where any row or the total has one: each change with
/// the pagu and blokir after it, the change in force as of the period reported emphasised.
/// An amount a stated pagu implies (`menjadi` alone) is shown as the change, its kind marked
/// "(tersirat)".
fn kronologi(ws: &Workspace, out: &mut Vec<Section>) {
    let m = &ws.anggaran;
    // A row's own jenis belanja is named with the row (`kro: PBA / jenis_belanja: 52`):
    // its name alone is the budget's own jenis belanja's too.
    let jenis = m.jenis_belanja.iter().map(|r| match r.induk {
        Some(_) => (r.id.as_str(), &r.kronologi),
        None => (r.nama.value.as_str(), &r.kronologi),
    });
    let chronologies: Vec<(&str, &Kronologi)> = m
        .baris
        .iter()
        .map(|r| (r.nama.value.as_str(), &r.kronologi))
        .chain(jenis)
        .chain([("Total", &m.kronologi_total)])
        .filter(|(_, k)| !k.is_empty())
        .collect();
    if chronologies.is_empty() {
        return;
    }
    let chronologies_of_rows = chronologies.len() - usize::from(!m.kronologi_total.is_empty());
    let mut s = Section {
        title: "Kronologi anggaran".into(),
        sheet: "Kronologi",
        headers: vec![
            "Uraian",
            "Tanggal",
            "Jenis",
            "Keterangan",
            "Jumlah (Rp)",
            "Pagu (Rp)",
            "Blokir (Rp)",
            "Sumber",
        ],
        numeric: vec![4, 5, 6],
        rows: Vec::new(),
        strong: Vec::new(),
    };
    let (tahun, sampai) = (ws.manifest.tahun, ws.manifest.periode.sampai());
    for (nama, k) in chronologies {
        // Amounts beyond the decimal range are reported, and stop the run before this.
        let Some(steps) = k.langkah() else { continue };
        let berlaku = k.berlaku(tahun, sampai);
        for (i, (p, step)) in k.perubahan.iter().zip(&steps).enumerate() {
            if berlaku == Some(i) {
                s.strong.push(s.rows.len());
            }
            let tersirat = p.jumlah_tersirat(step);
            let opt = |t: &Option<crate::model::Text>| {
                t.as_ref().map_or(Value::Empty, |t| text(&t.value))
            };
            s.rows.push(vec![
                if i == 0 { text(nama) } else { Value::Empty },
                text(&p.tanggal.kode()),
                match tersirat {
                    Some(_) => Value::Text(format!("{} (tersirat)", p.jenis.name())),
                    None => text(p.jenis.name()),
                },
                opt(&p.keterangan),
                p.jumlah
                    .map(|n| n.value)
                    .or(tersirat)
                    .map_or(Value::Empty, Value::Rupiah),
                rupiah(step.pagu),
                Value::Rupiah(step.blokir),
                opt(&p.sumber),
            ]);
        }
    }
    // Which row a change is of says nothing where the total's is the only chronology.
    if chronologies_of_rows == 0 {
        s.headers.remove(0);
        s.numeric.iter_mut().for_each(|c| *c -= 1);
        s.rows.iter_mut().for_each(|r| {
            r.remove(0);
        });
    }
    out.push(s);
}

fn indicator_rows(
    ws: &Workspace,
    model: &Indikator,
    r: &HasilIndikator,
    depth: usize,
    rows: &mut Vec<Vec<Value>>,
) {
    rows.push(vec![
        Value::Id {
            id: model.id.value.clone(),
            depth,
        },
        text(&model.nama),
        text(&model.satuan),
        match r.target {
            Some(t) => target(t),
            None if r.target_belum_ditetapkan => text(TARGET_BELUM_DITETAPKAN),
            None => Value::Empty,
        },
        if r.belum_jatuh_tempo {
            text(BELUM_JATUH_TEMPO)
        } else {
            fig(ws, r.realisasi.as_ref())
        },
        if r.target.is_some() {
            fig(ws, r.capaian.as_ref())
        } else {
            Value::Empty
        },
    ]);
    for (k, kr) in model.komponen.iter().zip(&r.komponen) {
        indicator_rows(ws, k, kr, depth + 1, rows);
    }
}

/// The `Bobot` cells of an indikator's rows ([`indicator_rows`]): its own weight, none
/// for its komponen.
fn weights_of(model: &Indikator, out: &mut Vec<Value>) {
    out.push(bobot(model.bobot.as_ref()));
    fn komponen(k: &Indikator, out: &mut Vec<Value>) {
        out.push(Value::Empty);
        for kk in &k.komponen {
            komponen(kk, out);
        }
    }
    for k in &model.komponen {
        komponen(k, out);
    }
}

/// A budget row, its name indented `depth` levels under its parent; `None` for the total;
/// with its share where the table shows `shares` (the total has none: an empty cell), and
/// its figures per period where the table has their columns.
fn budget_row(
    model: Option<&BarisAnggaran>,
    depth: usize,
    r: &BarisHasil,
    shares: bool,
    periode: Option<&KolomPeriode>,
) -> Vec<Value> {
    let p = r.periode.as_deref();
    let not_due = p.is_some_and(|p| p.belum_jatuh_tempo);
    let mut row = vec![
        model.map_or(Value::Empty, |m| text(m.kode())),
        model.map_or(text("Total"), |m| Value::Uraian {
            nama: m.nama.value.clone(),
            depth,
        }),
        Value::Rupiah(r.pagu),
        if not_due {
            text(BELUM_JATUH_TEMPO)
        } else {
            Value::Rupiah(r.realisasi)
        },
        figure(r.persen),
        rupiah(r.sisa),
    ];
    if shares {
        row.push(model.map_or(Value::Empty, |_| figure(r.proporsi)));
    }
    if let Some(k) = periode {
        if k.rpd {
            row.push(rupiah(p.and_then(|p| p.rpd)));
            row.push(figure(p.and_then(|p| p.persen_rpd)));
            row.push(figure(p.and_then(|p| p.deviasi)));
        }
        for i in 0..k.periods.len() {
            let own = p.and_then(|p| p.periode.get(i)).and_then(|n| n.realisasi);
            row.push(rupiah(own));
        }
        if k.keterangan {
            row.push(p.map_or(Value::Empty, |p| match keterangan(p) {
                Some(t) => Value::Text(t),
                None => Value::Empty,
            }));
        }
    }
    row
}

/// The columns a budget table adds where the budget gives values per period: the plan as
/// of the period reported, its %, the realisasi's deviation from it (where a row has a
/// plan), one column per period up to the one reported (each the period's own realisasi),
/// and a note where a row is not due or its sums leave rows out.
struct KolomPeriode {
    periods: Vec<&'static str>,
    rpd: bool,
    keterangan: bool,
}

impl KolomPeriode {
    /// The columns of a table of `rows` and the budget's `total`; `None` where no row has
    /// figures per period.
    fn of(rows: &[BarisHasil], total: Option<&BarisHasil>) -> Option<KolomPeriode> {
        let mut found: Option<&AnggaranPeriode> = None;
        let (mut rpd, mut keterangan) = (false, false);
        for r in rows {
            if let Some(p) = r.periode.as_deref().filter(|p| p.berkala()) {
                found = found.or(Some(p));
                rpd |= p.periode.iter().any(|n| n.rpd_sd.is_some());
                keterangan |= self::keterangan(p).is_some();
            }
        }
        // The total's note too: it stands in every table.
        if let Some(p) = total.and_then(|t| t.periode.as_deref()) {
            keterangan |= found.is_some() && self::keterangan(p).is_some();
        }
        let p = found?;
        Some(KolomPeriode {
            periods: p
                .periode
                .iter()
                .map(|n| {
                    let code = n.periode.kode();
                    PERIODE_KODE
                        .iter()
                        .copied()
                        .find(|k| *k == code)
                        .unwrap_or("?")
                })
                .collect(),
            rpd,
            keterangan,
        })
    }
}

/// A budget table's headers and its numeric columns.
fn budget_headers(
    name: &'static str,
    shares: bool,
    periode: Option<&KolomPeriode>,
) -> (Vec<&'static str>, Vec<usize>) {
    let mut h = vec![
        "Kode",
        name,
        "Pagu (Rp)",
        "Realisasi (Rp)",
        "%",
        "Sisa (Rp)",
    ];
    if shares {
        h.push("Proporsi (%)");
    }
    if let Some(k) = periode {
        if k.rpd {
            h.extend(["RPD (Rp)", "% RPD", "Deviasi RPD (%)"]);
        }
        h.extend(k.periods.iter().copied());
    }
    let numeric = (2..h.len()).collect();
    if periode.is_some_and(|k| k.keterangan) {
        h.push("Keterangan");
    }
    (h, numeric)
}

/// What a budget row's figures per period leave out, said once beside them: a row not due,
/// a sum without the rows not due under it (no %, no deviation), sums per period without
/// the rows given for the year only. `None` when nothing is left out.
pub(crate) fn keterangan(p: &AnggaranPeriode) -> Option<String> {
    let mut notes = Vec::new();
    if p.belum_jatuh_tempo {
        notes.push(BELUM_JATUH_TEMPO.to_string());
    } else if p.kurang > 0 {
        notes.push(format!(
            "belum lengkap: {} baris belum jatuh tempo",
            p.kurang
        ));
    }
    if p.tanpa_periode > 0 && p.periode.iter().any(|n| n.realisasi_sd.is_some()) {
        notes.push(format!(
            "{} baris tanpa realisasi per periode",
            p.tanpa_periode
        ));
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{self, Options};

    fn analysed(dir: &std::path::Path, periode: Option<&str>) -> analysis::Analysis {
        analysis::analyze(
            dir,
            &Options {
                periode: periode.map(str::to_string),
                ..Options::default()
            },
        )
        .expect("analysed")
    }

    #[test]
    fn no_values_per_period_no_section() {
        let a = analysed(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), None);
        assert!(per_periode(&a.workspace, &a.hasil).is_none());
    }

    #[test]
    fn a_column_per_period_up_to_the_one_reported() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path();
        std::fs::create_dir_all(root.join("indicators")).expect("mkdir");
        std::fs::create_dir_all(root.join("rules")).expect("mkdir");
        let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        for f in [
            "periode.rhai",
            "capaian.rhai",
            "rollup.rhai",
            "realisasi.rhai",
        ] {
            std::fs::copy(rules.join(f), root.join("rules").join(f)).expect("copy");
        }
        std::fs::write(
            root.join("kinerja.yaml"),
            "organisasi: Dinas\ntahun: 2022\nperiode: {akumulasi: {orang: jumlah}}\n",
        )
        .expect("write");
        std::fs::write(
            root.join("indicators/ik.yaml"),
            "indikator:\n  - id: IK1\n    nama: Peserta\n    satuan: orang\n    target: 100\n    realisasi: {per_periode: {TW1: 20, TW3: 35}}\n  - id: IK2\n    nama: Tepat waktu\n    satuan: persen\n    target: 90\n    realisasi: 80\n  - id: IK3\n    nama: Desa\n    satuan: desa\n    target: 9\n    realisasi: {per_periode: {TW4: 9}}\n",
        )
        .expect("write");
        let a = analysed(root, Some("TW2"));
        assert!(a.is_complete(), "{:?}", a.diagnostics);
        let s = per_periode(&a.workspace, &a.hasil).expect("a section");
        assert_eq!(s.title, "Realisasi per periode Triwulan II 2022");
        assert_eq!(
            s.headers,
            ["ID", "Indikator", "TW1", "TW2", "Realisasi", "Akumulasi"]
        );
        assert_eq!(s.numeric, [2, 3, 4]);
        // Only the indikator given per period: IK2's one figure has no periods.
        let p = Presentation {
            rounding: Some(crate::base::number::Rounding::half_up(2)),
            locale: Locale::En,
            width: 120,
        };
        let rows: Vec<Vec<String>> = s
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.text(&p)).collect())
            .collect();
        assert_eq!(
            rows,
            [
                ["IK1", "Peserta", "20.00", "—", "20.00", "jumlah"],
                ["IK3", "Desa", "—", "—", "belum jatuh tempo", "terakhir"],
            ]
        );
    }
}
