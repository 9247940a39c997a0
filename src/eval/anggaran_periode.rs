//! A budget's figures per period (issue 13, item 2), where its rows give their realisasi or
//! their disbursement plan (RPD) per period: each row's amounts as of every period up to
//! the one reported, accumulated by a rule (`jumlah` for rupiah, or the row's own), a row
//! with rows under it summed from them period by period; the pagu in force at the period
//! reported; the plan's % of it and the realisasi's deviation from the plan, by the budget
//! rules.
//!
//! A row given per period with nothing up to the period reported is not due ("belum jatuh
//! tempo"), not 0. A row with such a row under it sums the others, and says how many it
//! left out: it claims no %, no sisa and no deviation, since its sums are not complete.

use super::calls::{self, Context};
use super::results::{AnggaranPeriode, NilaiPeriode};
use crate::base::diagnostic::{Code, Diagnostic};
use crate::base::number::checked_sum;
use crate::base::source::Span;
use crate::model::{BarisAnggaran, Berkala, Num, PerPeriode, Periode};
use rust_decimal::Decimal;

/// A row's amounts as of the end of each period of the calendar, up to the one reported.
#[derive(Clone, Debug, Default)]
pub(super) struct Seri {
    /// The realisasi as of each period; `None` where nothing is given up to it.
    realisasi: Vec<Option<Decimal>>,
    /// The plan as of each period; `None` where there is none (for a row with rows under
    /// it: unless every one of them has it).
    rpd: Vec<Option<Decimal>>,
    /// Rows at the bottom of the hierarchy under it (itself, for such a row) with no
    /// realisasi up to each period.
    kurang: Vec<usize>,
    /// Rows at the bottom under it (or itself) whose realisasi is given for the year only.
    tanpa_periode: usize,
}

impl Seri {
    /// The realisasi as of the period reported; `None`: not due, or not given per period.
    pub(super) fn realisasi(&self) -> Option<Decimal> {
        self.realisasi.last().copied().flatten()
    }

    /// Whether its sums leave out a row not due at the period reported.
    pub(super) fn belum_lengkap(&self) -> bool {
        self.kurang.last().is_some_and(|&k| k > 0)
    }
}

/// The periods a report as of now covers: the calendar's, up to the one reported.
fn periods(ctx: &Context) -> impl Iterator<Item = Periode> {
    let sampai = ctx.ws.manifest.periode.sampai();
    sampai.kalender.periods().take(usize::from(sampai.ke))
}

/// A row's own values per period (`values`, given as `b` says) as of each period: its
/// accumulation rule over the values up to that period. `None` when the rule fails
/// (reported).
fn as_of(
    ctx: &Context,
    subject: &str,
    values: &PerPeriode<Num>,
    b: &Berkala,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<Option<Decimal>>> {
    let rule = calls::akumulasi_anggaran_rule(&ctx.ws.manifest, b);
    let mut out = Vec::new();
    for p in periods(ctx) {
        let upto: Vec<&(Periode, Span, Num)> = values.sampai(p).collect();
        if upto.is_empty() {
            out.push(None);
            continue;
        }
        let amounts: Vec<Decimal> = upto.iter().map(|(_, _, n)| n.value).collect();
        let codes: Vec<String> = upto.iter().map(|(q, _, _)| q.kode()).collect();
        match ctx.akumulasi(subject, &rule, &amounts, &codes, b.span) {
            Ok(v) => out.push(Some(v)),
            Err(d) => {
                diags.push(*d);
                return None;
            }
        }
    }
    Some(out)
}

/// The series of a row from its own values: its realisasi and its plan where it gives them
/// per period. `children`, the rows under it summed, stand for what it does not give; a
/// row at the bottom has none. `None` when an accumulation rule fails (reported).
pub(super) fn seri(
    ctx: &Context,
    r: &BarisAnggaran,
    children: Option<Seri>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Seri> {
    let n = periods(ctx).count();
    let none = vec![None; n];
    let mut out = match children {
        Some(s) => s,
        // A row at the bottom given for the year only has no realisasi per period.
        None => Seri {
            realisasi: none.clone(),
            rpd: none.clone(),
            kurang: vec![0; n],
            tanpa_periode: usize::from(r.realisasi_berkala.is_none()),
        },
    };
    if let Some(b) = &r.realisasi_berkala {
        let realisasi = as_of(ctx, &r.id, &r.realisasi_periode, b, diags)?;
        out.kurang = realisasi.iter().map(|v| usize::from(v.is_none())).collect();
        out.realisasi = realisasi;
        out.tanpa_periode = 0;
    }
    if let Some(b) = &r.rpd_berkala {
        out.rpd = as_of(ctx, &r.id, &r.rpd, b, diags)?;
    }
    Some(out)
}

/// The series of a row with rows under it, from theirs, period by period: the realisasi
/// summed over the rows that have one up to each period (those that have none counted in
/// `kurang`), the plan where every row has one.
pub(super) fn jumlah(children: &[&Seri]) -> Seri {
    let n = children.first().map_or(0, |s| s.realisasi.len());
    let at = |p: usize, pick: fn(&Seri) -> &Vec<Option<Decimal>>| {
        children
            .iter()
            .map(move |s| pick(s).get(p).copied().flatten())
    };
    let mut out = Seri::default();
    for p in 0..n {
        let given: Vec<Decimal> = at(p, |s| &s.realisasi).flatten().collect();
        out.realisasi
            .push((!given.is_empty()).then(|| checked_sum(given)).flatten());
        let plans: Option<Vec<Decimal>> = at(p, |s| &s.rpd).collect();
        out.rpd.push(plans.and_then(checked_sum));
        out.kurang.push(
            children
                .iter()
                .map(|s| s.kurang.get(p).copied().unwrap_or(0))
                .sum(),
        );
    }
    out.tanpa_periode = children.iter().map(|s| s.tanpa_periode).sum();
    out
}

/// The pagu of a row in force at `periode`: its chronology's where it has one that sets a
/// pagu by then (with the index of the change in force, for `explain`); 0 where its
/// chronology has no change in force yet; else its pagu as written.
pub(super) fn pagu_berlaku(
    ctx: &Context,
    r: &BarisAnggaran,
    periode: Periode,
) -> (Option<Decimal>, Option<usize>) {
    let tahun = ctx.ws.manifest.tahun;
    let k = &r.kronologi;
    match k.berlaku(tahun, periode) {
        Some(at) => match k.pada(tahun, periode).and_then(|step| step.pagu) {
            Some(pagu) => (Some(pagu), Some(at)),
            // A chronology that sets no pagu yet (it starts with a revision's amount).
            None => (r.pagu.map(|n| n.value), None),
        },
        // A row whose chronology starts after the period (a kegiatan a mid-year DIPA adds)
        // has no allocation yet: 0, not the pagu it will have.
        None if !k.is_empty() => (Some(Decimal::ZERO), None),
        None => (r.pagu.map(|n| n.value), None),
    }
}

/// A row's figures per period and against its plan, as of the period reported, from its
/// series and its pagu in force (`kronologi`: the change it comes from).
pub(super) fn hasil(
    ctx: &Context,
    subject: &str,
    s: &Seri,
    pagu: Decimal,
    kronologi: Option<usize>,
    at: Span,
    diags: &mut Vec<Diagnostic>,
) -> AnggaranPeriode {
    let mut ok = |r: Result<Decimal, calls::Failure>| r.map_err(|d| diags.push(*d)).ok();
    let own = |series: &[Option<Decimal>], i: usize| {
        let before = i
            .checked_sub(1)
            .and_then(|j| series.get(j).copied().flatten());
        let now = series.get(i).copied().flatten()?;
        now.checked_sub(before.unwrap_or_default())
    };
    let periode: Vec<NilaiPeriode> = periods(ctx)
        .enumerate()
        .map(|(i, p)| NilaiPeriode {
            periode: p,
            realisasi: own(&s.realisasi, i),
            realisasi_sd: s.realisasi.get(i).copied().flatten(),
            rpd: own(&s.rpd, i),
            rpd_sd: s.rpd.get(i).copied().flatten(),
            kurang: s.kurang.get(i).copied().unwrap_or(0),
        })
        .collect();
    let realisasi = s.realisasi();
    let rpd = s.rpd.last().copied().flatten();
    let persen_rpd = rpd.and_then(|v| ok(ctx.persen_rpd(pagu, v, subject, at)));
    // The deviation compares the whole realisasi with the whole plan, period by period: a
    // period before a row's first value spent nothing.
    let complete = realisasi.is_some() && !s.belum_lengkap() && s.tanpa_periode == 0;
    let deviasi = match rpd {
        Some(_) if complete => {
            let spent: Vec<Decimal> = periode
                .iter()
                .map(|p| p.realisasi.unwrap_or_default())
                .collect();
            let planned: Vec<Decimal> = periode.iter().map(|p| p.rpd.unwrap_or_default()).collect();
            let codes: Vec<String> = periode.iter().map(|p| p.periode.kode()).collect();
            ok(ctx.deviasi_rpd(&spent, &planned, &codes, subject, at))
        }
        _ => None,
    };
    let belum_jatuh_tempo = realisasi.is_none() && s.tanpa_periode == 0;
    AnggaranPeriode {
        // A row not due is that, not a sum with rows missing.
        kurang: match belum_jatuh_tempo {
            true => 0,
            false => s.kurang.last().copied().unwrap_or(0),
        },
        belum_jatuh_tempo,
        tanpa_periode: s.tanpa_periode,
        periode,
        rpd,
        persen_rpd,
        deviasi,
        kronologi,
    }
}

/// P006: a row's plan for the whole year (every period of the calendar, accumulated by its
/// rule) against its pagu in force at the year's end (`pagu`): a warning with both
/// amounts and the difference, at its `rpd`.
pub(super) fn rencana_setahun(
    ctx: &Context,
    r: &BarisAnggaran,
    pagu: Decimal,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(b) = &r.rpd_berkala else { return };
    let last = ctx.ws.manifest.periode.kalender.last();
    // A plan of another calendar's periods is reported as such (P001), not summed here.
    if r.rpd
        .nilai
        .iter()
        .any(|(p, _, _)| p.kalender != last.kalender)
    {
        return;
    }
    let year: Vec<&(Periode, Span, Num)> = r.rpd.sampai(last).collect();
    let rule = calls::akumulasi_anggaran_rule(&ctx.ws.manifest, b);
    let amounts: Vec<Decimal> = year.iter().map(|(_, _, n)| n.value).collect();
    let codes: Vec<String> = year.iter().map(|(p, _, _)| p.kode()).collect();
    let total = match amounts.is_empty() {
        true => Decimal::ZERO,
        false => match ctx.akumulasi(&r.id, &rule, &amounts, &codes, b.span) {
            Ok(v) => v,
            Err(d) => {
                diags.push(*d);
                return;
            }
        },
    };
    if total == pagu {
        return;
    }
    let diff = total.checked_sub(pagu).unwrap_or_default();
    let signed = if diff > Decimal::ZERO {
        format!("+{}", diff.normalize())
    } else {
        diff.normalize().to_string()
    };
    diags.push(
        Diagnostic::warning(
            Code::PlanTotal,
            format!(
                "{}: its rpd for the year adds up to {}, the pagu in force at the year's end is {} (difference {signed})",
                r.id,
                total.normalize(),
                pagu.normalize()
            ),
        )
        .at(b.span, format!("{} over {}", rule.name, periods_listed(&codes)))
        .also(r.pagu_at(), "the pagu")
        .hint(format!(
            "a disbursement plan (the DIPA's halaman III) covers the whole pagu: make its periods of {} add up to {}, or correct the pagu (a plan revised with the pagu is written as its latest version)",
            ctx.ws.manifest.tahun,
            pagu.normalize()
        )),
    );
}

/// The periods summed, for a label: `TW1–TW4`, or none.
fn periods_listed(codes: &[String]) -> String {
    match (codes.first(), codes.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.clone(),
        _ => "no period".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: i64) -> Option<Decimal> {
        Some(Decimal::from(v))
    }

    #[test]
    fn rows_sum_period_by_period_and_count_the_rows_not_due() {
        let a = Seri {
            realisasi: vec![d(10), d(25)],
            rpd: vec![d(15), d(30)],
            kurang: vec![0, 0],
            tanpa_periode: 0,
        };
        // Nothing up to TW1, 5 by TW2.
        let b = Seri {
            realisasi: vec![None, d(5)],
            rpd: vec![d(5), d(10)],
            kurang: vec![1, 0],
            tanpa_periode: 0,
        };
        let s = jumlah(&[&a, &b]);
        assert_eq!(s.realisasi, [d(10), d(30)]);
        assert_eq!(s.rpd, [d(20), d(40)]);
        assert_eq!(s.kurang, [1, 0]);
        assert!(!s.belum_lengkap());
        // A row without a plan leaves its parent without one.
        let c = Seri {
            realisasi: vec![None, None],
            rpd: vec![None, None],
            kurang: vec![0, 0],
            tanpa_periode: 1,
        };
        let s = jumlah(&[&a, &c]);
        assert_eq!(s.rpd, [None, None]);
        assert_eq!(s.realisasi, [d(10), d(25)]);
        assert_eq!(s.tanpa_periode, 1);
        // Nothing given by any row: none, not 0.
        let s = jumlah(&[&c, &c]);
        assert_eq!(s.realisasi, [None, None]);
        assert_eq!(periods_listed(&["TW1".into(), "TW4".into()]), "TW1–TW4");
        assert_eq!(periods_listed(&[]), "no period");
    }

    /// A row with a chronology is measured, as of a period, against the pagu in force at
    /// its end; its plan's % too, and its plan for the year against the pagu in force at
    /// the year's end (P006).
    #[test]
    fn the_pagu_in_force_at_the_period_reported() {
        use crate::base::cancel::Cancel;
        use crate::model::{JenisPerubahan, Kronologi, Perubahan, Tanggal};
        use crate::rules::RuleSet;
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let write = |path: &str, text: &str| {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().expect("a folder")).expect("mkdir");
            std::fs::write(full, text).expect("write");
        };
        write("kinerja.yaml", "organisasi: Contoh\ntahun: 2022\n");
        write(
            "budgets/anggaran.yaml",
            "kegiatan:\n  - kode: \"01\"\n    nama: Satu\n    pagu: 1_200\n    realisasi: {per_periode: {TW1: 100, TW2: 200, TW3: 300}}\n    rpd: {per_periode: {TW1: 250, TW2: 250, TW3: 340, TW4: 360}}\n",
        );
        let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        for entry in std::fs::read_dir(&shipped).expect("rules") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "rhai") {
                let name = path
                    .file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned();
                write(
                    &format!("rules/{name}"),
                    &std::fs::read_to_string(&path).expect("read"),
                );
            }
        }
        let mut ws = crate::load::load_fresh(root).expect("loads").workspace;
        let rules = RuleSet::of_workspace(root).expect("rules compile");
        let span = ws.anggaran.baris[0].span;
        let change = |tanggal: &str, jenis, jumlah: i64| Perubahan {
            tanggal: Tanggal::parse(tanggal).expect("a date"),
            span,
            jenis,
            jumlah: Some(Num {
                value: Decimal::from(jumlah),
                span,
                decimals: 0,
            }),
            menjadi: None,
            keterangan: None,
            sumber: None,
            diketahui: None,
        };
        // 1,000 from January; 200 more from September.
        ws.anggaran.baris[0].kronologi = Kronologi {
            perubahan: vec![
                change("2021-11", JenisPerubahan::PaguAwal, 1_000),
                change("2022-09-09", JenisPerubahan::Revisi, 200),
            ],
            diketahui: None,
        };
        let cancel = Cancel::never();
        let mut at = |laporan: u8| {
            ws.manifest.periode.laporan = Some(ws.manifest.periode.kalender.of_month(laporan * 3));
            let ctx = Context {
                ws: &ws,
                rules: &rules,
                cancel: &cancel,
            };
            let (hasil, diags) = crate::eval::evaluate(&ctx, &crate::eval::indikator);
            let r = hasil.anggaran.baris[0].clone();
            let p = r.periode.clone().expect("figures per period");
            (
                r.pagu,
                r.persen,
                p.persen_rpd,
                p.kronologi,
                diags.iter().count(),
            )
        };
        let d = |v: i64| Decimal::from(v);
        // TW2: 300 of the 1,000 in force; the plan's 500, 50 %.
        assert_eq!(at(2), (d(1_000), Some(d(30)), Some(d(50)), Some(0), 0));
        // TW3: 600 of the 1,200 in force since September.
        assert_eq!(at(3), (d(1_200), Some(d(50)), Some(d(70)), Some(1), 0));
    }
}
