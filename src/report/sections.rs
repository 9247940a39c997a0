//! The report's tables, as rows of text: what the terminal table and Markdown lay out.

use super::Presentation;
use crate::eval::{BarisHasil, Figure, Hasil, HasilIndikator};
use crate::model::{BarisAnggaran, Indikator, Workspace};
// aHash: keyed by ids from the workspace, not by adversaries.
use ahash::AHashSet as HashSet;

/// A section of the report: a title, column headers and rows of text.
pub(super) struct Section {
    pub(super) title: String,
    pub(super) headers: Vec<&'static str>,
    /// Columns aligned right (numbers).
    pub(super) numeric: Vec<usize>,
    pub(super) rows: Vec<Vec<String>>,
    /// Rows shown emphasised (sasaran lines, totals), in increasing order.
    pub(super) strong: Vec<usize>,
}

impl Section {
    pub(super) fn is_strong(&self, row: usize) -> bool {
        self.strong.binary_search(&row).is_ok()
    }
}

/// The report's title line.
pub(super) fn heading(ws: &Workspace) -> String {
    let m = &ws.manifest;
    let mut s = format!("Laporan Kinerja {} — {}", m.tahun, m.organisasi);
    if let Some(i) = &m.instansi {
        s.push_str(&format!(" ({i})"));
    }
    s
}

fn fig(p: &Presentation, f: Option<&Figure>) -> String {
    p.pct(f.map(|f| f.value))
}

pub(super) fn sections(ws: &Workspace, h: &Hasil, p: &Presentation) -> Vec<Section> {
    let mut out = Vec::new();
    let mut capaian = Section {
        title: format!("Capaian kinerja {}", ws.manifest.tahun),
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
    for (model, s) in ws.sasaran.iter().zip(&h.sasaran) {
        capaian.strong.push(capaian.rows.len());
        capaian.rows.push(vec![
            model.id.value.clone(),
            model.nama.clone(),
            String::new(),
            String::new(),
            String::new(),
            fig(p, s.capaian.as_ref()),
        ]);
        for &i in &s.anggota {
            indicator_rows(&ws.indikator[i], &h.indikator[i], p, 0, &mut capaian.rows);
        }
    }
    // Indikator without a known sasaran are listed after the sasaran (a set: a national
    // workspace has 10,000 sasaran and 100,000 indikator).
    let sasaran_ids: HashSet<&str> = ws.sasaran.iter().map(|s| s.id.value.as_str()).collect();
    for (model, result) in ws.indikator.iter().zip(&h.indikator) {
        let known = model
            .sasaran
            .as_ref()
            .is_some_and(|s| sasaran_ids.contains(s.value.as_str()));
        if !known {
            indicator_rows(model, result, p, 0, &mut capaian.rows);
        }
    }
    capaian.strong.push(capaian.rows.len());
    capaian.rows.push(vec![
        String::new(),
        "Nilai kinerja".into(),
        String::new(),
        String::new(),
        String::new(),
        fig(p, h.nilai_kinerja.as_ref()),
    ]);
    out.push(capaian);

    out.push(Section {
        title: "Ringkasan capaian sasaran".into(),
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
                    model.id.value.clone(),
                    model.nama.clone(),
                    s.anggota.len().to_string(),
                    s.tercapai.to_string(),
                    s.belum_tercapai.to_string(),
                    fig(p, s.capaian.as_ref()),
                ]
            })
            .collect(),
        strong: Vec::new(),
    });

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
                    model.id.value.clone(),
                    model.nama.clone(),
                    fig(p, r.realisasi.as_ref()),
                    m.tahun.to_string(),
                    p.pct(Some(m.target)),
                    fig(p, Some(&m.capaian)),
                ]);
            }
        }
        out.push(jm);
    }

    let a = &h.anggaran;
    let m = &ws.anggaran;
    for (title, first, models, rows) in [
        (
            "Realisasi anggaran per kegiatan",
            "Kegiatan",
            &m.kegiatan,
            &a.kegiatan,
        ),
        (
            "Realisasi anggaran per jenis belanja",
            "Jenis belanja",
            &m.jenis_belanja,
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
            rows: models
                .iter()
                .zip(rows)
                .map(|(model, r)| budget_row(Some(model), r, p))
                .collect(),
            strong: Vec::new(),
        };
        if let Some(t) = &a.total {
            s.strong.push(s.rows.len());
            s.rows.push(budget_row(None, t, p));
        }
        out.push(s);
    }
    if !m.riwayat.is_empty() {
        out.push(Section {
            title: "Riwayat realisasi anggaran".into(),
            headers: vec!["Tahun", "Pagu (Rp)", "Realisasi (Rp)", "%"],
            numeric: vec![1, 2, 3],
            rows: m
                .riwayat
                .iter()
                .zip(&a.riwayat)
                .map(|(r, persen)| {
                    vec![
                        r.tahun.to_string(),
                        r.pagu.map_or(String::new(), |v| p.rp(Some(v.value))),
                        r.realisasi.map_or(String::new(), |v| p.rp(Some(v.value))),
                        p.pct(*persen),
                    ]
                })
                .collect(),
            strong: Vec::new(),
        });
    }
    out
}

fn indicator_rows(
    model: &Indikator,
    r: &HasilIndikator,
    p: &Presentation,
    depth: usize,
    rows: &mut Vec<Vec<String>>,
) {
    rows.push(vec![
        format!("{}{}", "  ".repeat(depth), model.id.value),
        model.nama.clone(),
        model.satuan.clone(),
        r.target.map_or(String::new(), |t| p.pct(Some(t))),
        fig(p, r.realisasi.as_ref()),
        if r.target.is_some() {
            fig(p, r.capaian.as_ref())
        } else {
            String::new()
        },
    ]);
    for (k, kr) in model.komponen.iter().zip(&r.komponen) {
        indicator_rows(k, kr, p, depth + 1, rows);
    }
}

/// A budget row; `None` for the total.
fn budget_row(model: Option<&BarisAnggaran>, r: &BarisHasil, p: &Presentation) -> Vec<String> {
    vec![
        model.map_or(String::new(), |m| m.kode().to_string()),
        model.map_or("Total".to_string(), |m| m.nama.value.clone()),
        p.rp(Some(r.pagu)),
        p.rp(Some(r.realisasi)),
        p.pct(r.persen),
        p.rp(r.sisa),
    ]
}
