//! The report in long format, one figure per line (`bagian,id,nama,ukuran,nilai`): easy to
//! filter, pivot and diff. A report as of a period, or one whose indikator give values per
//! period, has a sixth column, `periode`: the period reported on every figure (empty for
//! the whole year), and each value per period counted (`realisasi_periode`) on a row of its
//! own period.

use super::Presentation;
use crate::base::number::machine;
use crate::eval::figures::band_of;
use crate::eval::{BarisHasil, Figure, Hasil, HasilIndikator};
use crate::model::{Indikator, Workspace};
use rust_decimal::Decimal;

pub(super) fn csv(ws: &Workspace, h: &Hasil, p: &Presentation) -> String {
    let num = |v: Decimal| machine(p.num(v));
    let mut rows: Vec<[String; 5]> = Vec::new();
    // Rows of a period of their own (a value per period): their index, and the period.
    let mut own_period: Vec<(usize, String)> = Vec::new();
    fn ind_rows(
        ws: &Workspace,
        model: &Indikator,
        i: &HasilIndikator,
        num: &dyn Fn(Decimal) -> String,
        rows: &mut Vec<[String; 5]>,
        own_period: &mut Vec<(usize, String)>,
    ) {
        let mut push = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                rows.push([
                    "indikator".into(),
                    model.id.value.clone(),
                    model.nama.clone(),
                    k.into(),
                    v,
                ]);
            }
        };
        // A band is a row of its own right under its figure: `kategori_realisasi`, with
        // the band's label as its value.
        let band = |f: Option<&Figure>| band_of(ws, f).map(|b| b.label.to_string());
        push("bobot", model.bobot.map(|b| machine(b.value)));
        // A target range is one value, `80–90`.
        push("target", i.target.map(|t| t.text(num)));
        if i.target_belum_ditetapkan {
            let belum = super::sections::TARGET_BELUM_DITETAPKAN;
            push("target", Some(belum.into()));
        }
        push("realisasi", i.realisasi.as_ref().map(|f| num(f.value)));
        if i.belum_jatuh_tempo {
            push("realisasi", Some(super::sections::BELUM_JATUH_TEMPO.into()));
        }
        push("kategori_realisasi", band(i.realisasi.as_ref()));
        push("capaian", i.capaian.as_ref().map(|f| num(f.value)));
        push("kategori_capaian", band(i.capaian.as_ref()));
        if let Some(m) = &i.jangka_menengah {
            push(&format!("target_{}", m.tahun), Some(m.target.text(num)));
            push(&format!("capaian_{}", m.tahun), Some(num(m.capaian.value)));
        }
        for (periode, v) in &i.per_periode {
            own_period.push((rows.len(), periode.kode()));
            rows.push([
                "indikator".into(),
                model.id.value.clone(),
                model.nama.clone(),
                "realisasi_periode".into(),
                num(*v),
            ]);
        }
        for (mk, k) in model.komponen.iter().zip(&i.komponen) {
            ind_rows(ws, mk, k, num, rows, own_period);
        }
    }
    for (model, i) in ws.indikator.iter().zip(&h.indikator) {
        ind_rows(ws, model, i, &num, &mut rows, &mut own_period);
    }
    for (model, s) in ws.sasaran.iter().zip(&h.sasaran) {
        let row = |ukuran: &str, nilai: String| {
            [
                "sasaran".into(),
                model.id.value.clone(),
                model.nama.clone(),
                ukuran.into(),
                nilai,
            ]
        };
        if let Some(b) = &model.bobot {
            rows.push(row("bobot", machine(b.value)));
        }
        if let Some(c) = &s.capaian {
            rows.push(row("capaian", num(c.value)));
            if let Some(b) = band_of(ws, Some(c)) {
                rows.push(row("kategori_capaian", b.label.to_string()));
            }
        }
        rows.push(row("indikator_tercapai", s.tercapai.to_string()));
        rows.push(row(
            "indikator_belum_tercapai",
            s.belum_tercapai.to_string(),
        ));
    }
    if let Some(n) = &h.nilai_kinerja {
        let row = |ukuran: &str, nilai: String| {
            [
                "organisasi".into(),
                "nilai_kinerja".into(),
                ws.manifest.organisasi.clone(),
                ukuran.into(),
                nilai,
            ]
        };
        rows.push(row("capaian", num(n.value)));
        if let Some(b) = band_of(ws, Some(n)) {
            rows.push(row("kategori_capaian", b.label.to_string()));
        }
        // Indikator that roll up to the organisation directly are counted there.
        if let Some(l) = &h.langsung {
            rows.push(row("indikator_tercapai", l.tercapai.to_string()));
            rows.push(row(
                "indikator_belum_tercapai",
                l.belum_tercapai.to_string(),
            ));
        }
    }
    // A budget row's figures; its amounts of each period counted (`realisasi_periode`,
    // `rpd_periode`) with their own period, where the budget gives values per period.
    let budget = |section: &str, kode: &str, nama: &str, r: &BarisHasil| {
        let mut out: Vec<([String; 5], Option<String>)> = Vec::new();
        let p = r.periode.as_deref().filter(|p| p.berkala());
        let not_due = p.is_some_and(|p| p.belum_jatuh_tempo);
        let mut push = |k: &str, v: String, periode: Option<String>| {
            out.push((
                [section.into(), kode.into(), nama.into(), k.into(), v],
                periode,
            ));
        };
        for (k, v) in [
            ("pagu", Some(r.pagu)),
            ("realisasi", (!not_due).then_some(r.realisasi)),
            ("persen", r.persen),
            ("sisa", r.sisa),
            ("proporsi", r.proporsi),
            ("rpd", p.and_then(|p| p.rpd)),
            ("persen_rpd", p.and_then(|p| p.persen_rpd)),
            ("deviasi_rpd", p.and_then(|p| p.deviasi)),
        ] {
            if let Some(v) = v {
                let v = match k {
                    "persen" | "proporsi" | "persen_rpd" | "deviasi_rpd" => num(v),
                    _ => machine(v),
                };
                push(k, v, None);
            }
            if k == "realisasi" && not_due {
                push(k, super::sections::BELUM_JATUH_TEMPO.into(), None);
            }
        }
        for n in p.map_or(&[][..], |p| &p.periode) {
            for (k, v) in [("realisasi_periode", n.realisasi), ("rpd_periode", n.rpd)] {
                if let Some(v) = v {
                    push(k, machine(v), Some(n.periode.kode()));
                }
            }
        }
        out
    };
    let mut add = |rows: &mut Vec<[String; 5]>, found: Vec<([String; 5], Option<String>)>| {
        for (row, periode) in found {
            if let Some(p) = periode {
                own_period.push((rows.len(), p));
            }
            rows.push(row);
        }
    };
    let (a, m) = (&h.anggaran, &ws.anggaran);
    // A row of the hierarchy is in its level's section; one whose code or name other rows
    // of its level share, and a row's own jenis belanja, are named by their figures' id.
    for (model, r) in m.baris.iter().zip(&a.baris) {
        let level = &ws.manifest.tingkat[model.tingkat];
        let plain = crate::model::budget_id(level, model.kode(), &model.nama.value);
        let id = if model.id == plain {
            model.kode().to_string()
        } else {
            model.id.clone()
        };
        add(&mut rows, budget(level, &id, &model.nama.value, r));
    }
    for (model, r) in m.jenis_belanja.iter().zip(&a.jenis_belanja) {
        let id = match model.induk {
            None => model.kode().to_string(),
            Some(_) => model.id.clone(),
        };
        add(
            &mut rows,
            budget("jenis_belanja", &id, &model.nama.value, r),
        );
    }
    if let Some(t) = &a.total {
        add(&mut rows, budget("anggaran", "", "Total", t));
    }
    for (r, persen) in m.riwayat.iter().zip(&a.riwayat) {
        if let Some(v) = persen {
            rows.push([
                "riwayat".into(),
                r.tahun.to_string(),
                String::new(),
                "persen".into(),
                num(*v),
            ]);
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing into a Vec cannot fail; an error here would be a bug in the csv crate.
    let laporan = ws.manifest.periode.laporan;
    if laporan.is_none() && own_period.is_empty() {
        let _ = w.write_record(["bagian", "id", "nama", "ukuran", "nilai"]);
        for r in rows {
            let _ = w.write_record(&r);
        }
    } else {
        let reported = laporan.map(|p| p.kode()).unwrap_or_default();
        let _ = w.write_record(["bagian", "id", "nama", "ukuran", "nilai", "periode"]);
        let mut own = own_period.into_iter().peekable();
        for (n, r) in rows.into_iter().enumerate() {
            let periode = match own.next_if(|(at, _)| *at == n) {
                Some((_, p)) => p,
                None => reported.clone(),
            };
            let _ = w.write_record(r.iter().map(String::as_str).chain([periode.as_str()]));
        }
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}
