//! Every computed figure by (subject, ukuran), named as `dicetak:` names them: what a
//! printed figure is compared with, and where the audit looks for a printed figure that
//! belongs to something else.

use crate::eval::{BarisHasil, Context, Hasil, HasilIndikator, tercapai};
use crate::model::{Indikator, TargetAngka, Workspace};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

#[derive(Default)]
pub(super) struct Computed {
    pub(super) values: BTreeMap<(String, String), Decimal>,
    /// The keys in the order they were first computed.
    pub(super) order: Vec<(String, String)>,
}

impl Computed {
    fn insert(&mut self, subject: &str, ukuran: &str, v: Option<Decimal>) {
        if let Some(v) = v {
            let key = (subject.to_string(), ukuran.to_string());
            if self.values.insert(key.clone(), v).is_none() {
                self.order.push(key);
            }
        }
    }

    pub(super) fn get(&self, subject: &str, ukuran: &str) -> Option<Decimal> {
        self.values
            .get(&(subject.to_string(), ukuran.to_string()))
            .copied()
    }

    pub(super) fn collect(ctx: &Context, h: &Hasil) -> Computed {
        let ws = ctx.ws;
        let mut f = Computed::default();
        fn ind(f: &mut Computed, m: &Indikator, i: &HasilIndikator) {
            let id = m.id.value.as_str();
            // A printed target is one number: a range is not compared with one.
            f.insert(id, "target", i.target.and_then(TargetAngka::satu));
            f.insert(id, "realisasi", i.realisasi.as_ref().map(|x| x.value));
            f.insert(id, "capaian", i.capaian.as_ref().map(|x| x.value));
            f.insert(
                id,
                "capaian_jangka_menengah",
                i.jangka_menengah.as_ref().map(|x| x.capaian.value),
            );
            for (mk, k) in m.komponen.iter().zip(&i.komponen) {
                ind(f, mk, k);
            }
        }
        for (m, i) in ws.indikator.iter().zip(&h.indikator) {
            ind(&mut f, m, i);
        }
        for i in &ws.indikator {
            for (n, b) in i.bukti.iter().enumerate() {
                f.insert(
                    &i.id.value,
                    &format!("bukti {} ({})", n + 1, b.rumus.name),
                    ctx.bukti(i, b).ok(),
                );
            }
        }
        for (m, s) in ws.sasaran.iter().zip(&h.sasaran) {
            f.insert(&m.id.value, "capaian", s.capaian.as_ref().map(|x| x.value));
        }
        // Without indikator, the organisation has none of these figures (one printed
        // anyway is reported by validation).
        if ws.isi().indikator {
            organisasi(ctx, h, &mut f);
        }
        let a = &h.anggaran;
        let m = &ws.anggaran;
        for (models, rows) in [(&m.baris, &a.baris), (&m.jenis_belanja, &a.jenis_belanja)] {
            for (model, r) in models.iter().zip(rows) {
                let id = &model.id;
                f.insert(id, "pagu", Some(r.pagu));
                f.insert(id, "realisasi", Some(r.realisasi));
                f.insert(id, "persen", r.persen);
                f.insert(id, "sisa", r.sisa);
                f.insert(id, "proporsi", r.proporsi);
                plan(&mut f, id, r);
            }
        }
        for (r, persen) in m.riwayat.iter().zip(&a.riwayat) {
            let id = r.id();
            let pagu = r.pagu.map(|n| n.value);
            let realisasi = r.realisasi.map(|n| n.value);
            f.insert(&id, "pagu", pagu);
            f.insert(&id, "realisasi", realisasi);
            f.insert(&id, "persen", *persen);
            // By the budget's own sisa rule, as every row's sisa.
            let sisa = pagu
                .zip(realisasi)
                .and_then(|(p, re)| ctx.sisa_anggaran(p, re, &id, r.span).ok());
            f.insert(&id, "sisa", sisa);
        }
        if let Some(t) = &a.total {
            f.insert("total", "pagu", Some(t.pagu));
            f.insert("total", "realisasi", Some(t.realisasi));
            f.insert("total", "persen", t.persen);
            f.insert("total", "sisa", t.sisa);
            plan(&mut f, "total", t);
        }
        f
    }
}

/// A budget row's plan figures as of the period reported, where it gives values per period.
fn plan(f: &mut Computed, id: &str, r: &BarisHasil) {
    if let Some(p) = &r.periode {
        f.insert(id, "rpd", p.rpd);
        f.insert(id, "persen_rpd", p.persen_rpd);
        f.insert(id, "deviasi_rpd", p.deviasi);
    }
}

/// The figures of the whole organisation: its nilai kinerja, and the count and mean of its
/// indikator a report prints beside it.
fn organisasi(ctx: &Context, h: &Hasil, f: &mut Computed) {
    let ws = ctx.ws;
    let org = "organisasi";
    f.insert(
        org,
        "nilai_kinerja",
        h.nilai_kinerja.as_ref().map(|x| x.value),
    );
    let (capaian, ids): (Vec<Decimal>, Vec<&str>) = ws
        .indikator
        .iter()
        .zip(&h.indikator)
        .filter_map(|(m, i)| i.capaian.as_ref().map(|c| (c.value, m.id.value.as_str())))
        .unzip();
    if !capaian.is_empty() {
        f.insert(
            org,
            "rata_rata_capaian_indikator",
            ctx.rata_rata_indikator(&capaian, &ids).ok(),
        );
    }
    let total = Decimal::from(capaian.len());
    let reached = Decimal::from(capaian.iter().filter(|c| tercapai(**c)).count());
    f.insert(org, "jumlah_sasaran", Some(Decimal::from(h.sasaran.len())));
    f.insert(
        org,
        "jumlah_indikator",
        Some(Decimal::from(h.indikator.len())),
    );
    f.insert(org, "jumlah_indikator_tercapai", Some(reached));
    f.insert(
        org,
        "jumlah_indikator_belum_tercapai",
        Some(total - reached),
    );
    if !total.is_zero() {
        f.insert(
            org,
            "persen_indikator_tercapai",
            Some(reached / total * Decimal::ONE_HUNDRED),
        );
        f.insert(
            org,
            "persen_indikator_belum_tercapai",
            Some((total - reached) / total * Decimal::ONE_HUNDRED),
        );
    }
}

/// Whether the workspace records any printed figure or evidence at all.
pub(super) fn prints_anything(ws: &Workspace) -> bool {
    fn ind(i: &Indikator) -> bool {
        !i.dicetak.is_empty() || !i.bukti.is_empty() || i.komponen.iter().any(ind)
    }
    let a = &ws.anggaran;
    !ws.manifest.dicetak.is_empty()
        || ws.sasaran.iter().any(|s| !s.dicetak.is_empty())
        || ws.indikator.iter().any(|i| ind(i))
        || !a.dicetak_total.figures.is_empty()
        || a.riwayat.iter().any(|r| !r.dicetak.is_empty())
        || a.baris
            .iter()
            .chain(&a.jenis_belanja)
            .any(|r| !r.dicetak.figures.is_empty())
}
