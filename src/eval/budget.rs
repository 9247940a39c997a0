//! The budget: pagu and realisasi of every row of the hierarchy and per jenis belanja, a row
//! with rows under it summed exactly from them, the top rows into the total; the
//! realisation % and sisa of every row computed by the budget rules (a row with rows under
//! it, like the total, takes its % from them by the total's rule), and every row's share
//! (proporsi) of what it belongs to.

use super::anggaran_periode::{self as periode, Seri};
use super::calls::{Context, Failure};
use super::results::{BarisHasil, HasilAnggaran};
use crate::base::diagnostic::{Code, Diagnostic};
use crate::base::number::checked_sum;
use crate::base::source::{FileId, Span};
use crate::model::{BarisAnggaran, TabelAnggaran};
use rust_decimal::Decimal;

pub(crate) fn evaluate(ctx: &Context, diags: &mut Vec<Diagnostic>) -> HasilAnggaran {
    let a = &ctx.ws.anggaran;
    // Figures per period only where a row gives values per period: a budget without them
    // reads as it always has.
    let berkala = a.berkala();
    // Children stand after their parent: from the last row up, every row's children are
    // computed before it.
    let mut baris: Vec<Option<BarisHasil>> = vec![None; a.baris.len()];
    let mut seri: Vec<Option<Seri>> = vec![None; a.baris.len()];
    for i in (0..a.baris.len()).rev() {
        let r = &a.baris[i];
        let children: Option<Vec<&BarisHasil>> =
            r.anak.iter().map(|&c| baris[c].as_ref()).collect();
        let (result, s) = match children {
            // A child that could not be computed (said already) leaves its parent out.
            None => (None, None),
            Some(children) if children.is_empty() => bottom(ctx, r, berkala, diags),
            Some(children) => {
                let below: Option<Vec<&Seri>> = r.anak.iter().map(|&c| seri[c].as_ref()).collect();
                parent(ctx, r, &children, below.as_deref(), berkala, diags)
            }
        };
        baris[i] = result;
        seri[i] = s;
    }
    let mut jenis_seri: Vec<Option<Seri>> = Vec::new();
    let mut jenis_belanja: Vec<Option<BarisHasil>> = Vec::new();
    for r in &a.jenis_belanja {
        let (result, s) = bottom(ctx, r, berkala, diags);
        jenis_belanja.push(result);
        jenis_seri.push(s);
    }
    let (table, basis) = a.basis();
    let (results, series) = match table {
        TabelAnggaran::Baris => (&baris, &seri),
        TabelAnggaran::JenisBelanja => (&jenis_belanja, &jenis_seri),
    };
    let rows: Option<Vec<&BarisHasil>> = basis.iter().map(|&i| results[i].as_ref()).collect();
    let at = a
        .first()
        .map_or(Span::new(FileId(0), 0, 0), |r| r.key().span);
    let total = match rows {
        _ if basis.is_empty() => None,
        None => None,
        Some(rows) => summed(ctx, "total", &rows, at, diags).map(|mut t| {
            let below: Option<Vec<&Seri>> = basis.iter().map(|&i| series[i].as_ref()).collect();
            if let Some(below) = below.filter(|_| berkala) {
                let s = periode::jumlah(&below);
                with_periode(ctx, "total", &mut t, &s, None, at, diags);
            }
            t
        }),
    };
    if berkala {
        plans(ctx, diags);
    }
    shares(ctx, &mut baris, &mut jenis_belanja, total.as_ref(), diags);
    let riwayat = a
        .riwayat
        .iter()
        .map(|r| {
            let computed = match (r.pagu, r.realisasi) {
                (Some(p), Some(re)) => ctx
                    .persen_anggaran(p.value, re.value, &format!("riwayat {}", r.tahun), r.span)
                    .map_err(|d| diags.push(*d))
                    .ok(),
                _ => None,
            };
            computed.or(r.persen.map(|n| n.value))
        })
        .collect();
    HasilAnggaran {
        baris: baris
            .into_iter()
            .map(|r| r.unwrap_or_else(missing))
            .collect(),
        jenis_belanja: jenis_belanja
            .into_iter()
            .map(|r| r.unwrap_or_else(missing))
            .collect(),
        total,
        riwayat,
    }
}

/// Every row's proporsi, by the share rule: the one place that says what a share is of. It
/// is of the pagu (the allocation a report's composition charts divide), not the realisasi:
/// a row of the hierarchy's share of its parent's pagu, a top row's of the total pagu; a
/// jenis belanja row's of the total pagu, or of the pagu of the row whose breakdown it is.
/// A row whose whole could not be computed (said already) gets none.
fn shares(
    ctx: &Context,
    baris: &mut [Option<BarisHasil>],
    jenis_belanja: &mut [Option<BarisHasil>],
    total: Option<&BarisHasil>,
    diags: &mut Vec<Diagnostic>,
) {
    let a = &ctx.ws.anggaran;
    let total_row = total;
    let total = total.map(|t| t.pagu);
    let pagu_of = |rows: &[Option<BarisHasil>], i: usize| rows.get(i)?.as_ref().map(|r| r.pagu);
    let mut share = |model: &BarisAnggaran, whole: Option<Decimal>, r: &mut Option<BarisHasil>| {
        if let (Some(whole), Some(r)) = (whole, r.as_mut()) {
            r.proporsi = ctx
                .proporsi_anggaran(r.pagu, whole, &model.id, model.pagu_at())
                .map_err(|d| diags.push(*d))
                .ok();
        }
    };
    for i in 0..baris.len() {
        let whole = a.baris[i].induk.map_or(total, |p| pagu_of(baris, p));
        share(&a.baris[i], whole, &mut baris[i]);
    }
    // Before the year's end, rows with a chronology hold their pagu in force then, and so
    // does the whole they add up to, while a jenis belanja row without one holds the
    // year's: a share of one in the other would mean nothing (above 100 % after a cut), so
    // there is none.
    let periode = &ctx.ws.manifest.periode;
    let moved = !periode.akhir_tahun() && a.baris.iter().any(|r| !r.kronologi.is_empty());
    for (model, r) in a.jenis_belanja.iter().zip(jenis_belanja.iter_mut()) {
        let whole_row = match model.induk {
            Some(p) => baris.get(p).and_then(Option::as_ref),
            None => total_row,
        };
        if moved && model.kronologi.is_empty() && whole_row.is_some_and(|w| w.periode.is_some()) {
            continue;
        }
        let whole = model.induk.map_or(total, |p| pagu_of(baris, p));
        share(model, whole, r);
    }
}

/// A row whose figures could not be computed (its problem is reported, which stops the
/// run before anything is shown): it holds no amounts.
fn missing() -> BarisHasil {
    BarisHasil {
        pagu: Decimal::ZERO,
        realisasi: Decimal::ZERO,
        persen: None,
        sisa: None,
        proporsi: None,
        periode: None,
    }
}

/// A row without rows under it: its amounts as given (reading made sure it has both).
fn leaf(r: &BarisAnggaran) -> Option<(Decimal, Decimal)> {
    Some((r.pagu?.value, r.realisasi?.value))
}

/// A row's % and sisa by the row rules, from its amounts.
fn row(
    ctx: &Context,
    subject: &str,
    pagu: Decimal,
    realisasi: Decimal,
    at: Span,
    diags: &mut Vec<Diagnostic>,
) -> BarisHasil {
    let mut ok = |r: Result<Decimal, Failure>| r.map_err(|d| diags.push(*d)).ok();
    BarisHasil {
        pagu,
        realisasi,
        persen: ok(ctx.persen_anggaran(pagu, realisasi, subject, at)),
        sisa: ok(ctx.sisa_anggaran(pagu, realisasi, subject, at)),
        proporsi: None,
        periode: None,
    }
}

/// A row without rows under it (of the hierarchy, or a jenis belanja): its figures from its
/// amounts; in a budget given per period (`berkala`), its pagu in force at the period
/// reported and its realisasi as of then, with its series.
fn bottom(
    ctx: &Context,
    r: &BarisAnggaran,
    berkala: bool,
    diags: &mut Vec<Diagnostic>,
) -> (Option<BarisHasil>, Option<Seri>) {
    if !berkala {
        let result = leaf(r).map(|(p, re)| row(ctx, &r.id, p, re, r.pagu_at(), diags));
        return (result, None);
    }
    let Some(s) = periode::seri(ctx, r, None, diags) else {
        return (None, None);
    };
    let sampai = ctx.ws.manifest.periode.sampai();
    let (pagu, kronologi) = match r.berkala() {
        true => periode::pagu_berlaku(ctx, r, sampai),
        false => (r.pagu.map(|n| n.value), None),
    };
    let Some(pagu) = pagu else {
        return (None, None);
    };
    let realisasi = match &r.realisasi_berkala {
        Some(_) => s.realisasi(),
        None => r.realisasi.map(|n| n.value),
    };
    let mut out = match realisasi {
        Some(re) => row(ctx, &r.id, pagu, re, r.pagu_at(), diags),
        // Not due: nothing is claimed for it, and it adds nothing to a sum.
        None => BarisHasil { pagu, ..missing() },
    };
    with_periode(ctx, &r.id, &mut out, &s, kronologi, r.pagu_at(), diags);
    (Some(out), Some(s))
}

/// A row with rows under it: their exact sum, its % by the total's rule from them (as the
/// budget's total is taken from its top rows); or, where it gives amounts that are not
/// their sum, its figures from its own amounts (the audit checks them against the sum). In
/// a budget given per period, `below` are its rows' series.
fn parent(
    ctx: &Context,
    r: &BarisAnggaran,
    children: &[&BarisHasil],
    below: Option<&[&Seri]>,
    berkala: bool,
    diags: &mut Vec<Diagnostic>,
) -> (Option<BarisHasil>, Option<Seri>) {
    let Some(out) = summed(ctx, &r.id, children, r.span, diags) else {
        return (None, None);
    };
    let s = match below.filter(|_| berkala) {
        Some(below) => match periode::seri(ctx, r, Some(periode::jumlah(below)), diags) {
            Some(s) => Some(s),
            None => return (None, None),
        },
        None => None,
    };
    let sampai = ctx.ws.manifest.periode.sampai();
    let (given_pagu, kronologi) = match r.berkala() {
        true => periode::pagu_berlaku(ctx, r, sampai),
        false => (r.pagu.map(|n| n.value), None),
    };
    let pagu = given_pagu.unwrap_or(out.pagu);
    let realisasi = match (&r.realisasi_berkala, &s) {
        (Some(_), Some(s)) => s.realisasi().unwrap_or_default(),
        _ => r.realisasi.map_or(out.realisasi, |n| n.value),
    };
    // Given amounts that are not the rows' sum (the audit reports it, A005): every figure
    // of the row from its own amounts, so that its % never contradicts its pagu and
    // realisasi.
    let mut result = if (pagu, realisasi) == (out.pagu, out.realisasi) {
        out
    } else {
        row(ctx, &r.id, pagu, realisasi, r.pagu_at(), diags)
    };
    if let Some(s) = &s {
        with_periode(ctx, &r.id, &mut result, s, kronologi, r.pagu_at(), diags);
    }
    (Some(result), s)
}

/// A row's figures per period on its result; a row not due, or one whose sums leave out a
/// row not due, claims no % and no sisa.
fn with_periode(
    ctx: &Context,
    subject: &str,
    out: &mut BarisHasil,
    s: &Seri,
    kronologi: Option<usize>,
    at: Span,
    diags: &mut Vec<Diagnostic>,
) {
    let p = periode::hasil(ctx, subject, s, out.pagu, kronologi, at, diags);
    if p.belum_jatuh_tempo || p.kurang > 0 {
        out.persen = None;
        out.sisa = None;
    }
    out.periode = Some(Box::new(p));
}

/// P006 for every row that gives a plan: against its pagu in force at the year's end (a
/// row with rows under it and no pagu of its own: theirs, summed).
fn plans(ctx: &Context, diags: &mut Vec<Diagnostic>) {
    let a = &ctx.ws.anggaran;
    let last = ctx.ws.manifest.periode.kalender.last();
    fn year_end(ctx: &Context, r: &BarisAnggaran, last: crate::model::Periode) -> Option<Decimal> {
        match periode::pagu_berlaku(ctx, r, last).0 {
            Some(p) => Some(p),
            None => checked_sum(
                r.anak
                    .iter()
                    .map(|&c| year_end(ctx, &ctx.ws.anggaran.baris[c], last))
                    .collect::<Option<Vec<_>>>()?,
            ),
        }
    }
    for r in a.baris.iter().chain(&a.jenis_belanja) {
        if r.rpd_berkala.is_some()
            && let Some(pagu) = year_end(ctx, r, last)
        {
            periode::rencana_setahun(ctx, r, pagu, diags);
        }
    }
}

/// The exact sums of `rows`, their % by the total's rule (which needs the rows' %: a row
/// whose % failed has said so already) and the sisa by the row rule; `None`, reported,
/// when the sums leave the decimal range.
fn summed(
    ctx: &Context,
    subject: &str,
    rows: &[&BarisHasil],
    at: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<BarisHasil> {
    let sums = (
        checked_sum(rows.iter().map(|r| r.pagu)),
        checked_sum(rows.iter().map(|r| r.realisasi)),
    );
    let (Some(pagu), Some(realisasi)) = sums else {
        let what = if subject == "total" {
            "the budget total".to_string()
        } else {
            format!("the sum of the rows under {subject}")
        };
        diags.push(
            Diagnostic::error(
                Code::OutOfRange,
                format!("{what} is too large to compute exactly"),
            )
            .at(
                at,
                "these amounts add up to more than 79 228 162 514 264 337 593 543 950 335",
            )
            .hint("check the amounts: one is probably mistyped"),
        );
        return None;
    };
    let persen_rows: Option<Vec<(Decimal, Decimal, Decimal)>> = rows
        .iter()
        .map(|r| r.persen.map(|p| (r.pagu, r.realisasi, p)))
        .collect();
    let mut ok = |r: Result<Decimal, Failure>| r.map_err(|d| diags.push(*d)).ok();
    Some(BarisHasil {
        pagu,
        realisasi,
        persen: persen_rows.and_then(|rows| ok(ctx.persen_total(&rows, subject, at))),
        sisa: ok(ctx.sisa_anggaran(pagu, realisasi, subject, at)),
        proporsi: None,
        periode: None,
    })
}
