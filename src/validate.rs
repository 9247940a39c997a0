//! Checks across files that reading one file cannot make: unique ids, references that
//! resolve, a target for the year, values within their unit's range.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::model::{Indikator, Workspace};
use crate::yaml::{Num, Text};
use rust_decimal::Decimal;
// aHash: these maps are keyed by ids from the workspace, not by adversaries.
use ahash::AHashMap as HashMap;

pub fn validate(ws: &Workspace, diags: &mut Diagnostics) {
    let mut ids: HashMap<&str, &Text> = HashMap::new();
    for s in &ws.sasaran {
        unique(&mut ids, &s.id, "sasaran", diags);
    }
    let mut indikator_ids: HashMap<&str, &Text> = HashMap::new();
    for ind in &ws.indikator {
        visit(ind, &mut |i| {
            unique(&mut indikator_ids, &i.id, "indikator", diags)
        });
    }
    let sasaran_ids: std::collections::BTreeSet<&str> =
        ws.sasaran.iter().map(|s| s.id.value.as_str()).collect();
    for ind in &ws.indikator {
        if let Some(s) = &ind.sasaran
            && !sasaran_ids.contains(s.value.as_str())
        {
            diags.push(unknown(s, "sasaran", sasaran_ids.iter().copied()));
        }
        targets(ws, ind, true, diags);
        for k in &ind.komponen {
            visit(k, &mut |i| targets(ws, i, false, diags));
        }
    }
    let a = &ws.anggaran;
    let mut kegiatan: HashMap<&str, &Text> = HashMap::new();
    for r in &a.kegiatan {
        unique(&mut kegiatan, r.key(), "kegiatan", diags);
    }
    let mut jenis: HashMap<&str, &Text> = HashMap::new();
    for r in &a.jenis_belanja {
        unique(&mut jenis, r.key(), "jenis belanja", diags);
    }
    for r in &a.rincian {
        if !kegiatan.is_empty() && !kegiatan.contains_key(r.kegiatan.value.as_str()) {
            diags.push(unknown(&r.kegiatan, "kegiatan", kegiatan.keys().copied()));
        }
        if !jenis.is_empty() && !jenis.contains_key(r.jenis_belanja.value.as_str()) {
            diags.push(unknown(
                &r.jenis_belanja,
                "jenis belanja",
                jenis.keys().copied(),
            ));
        }
    }
    for r in a.kegiatan.iter().chain(&a.jenis_belanja) {
        for n in [&r.pagu, &r.realisasi] {
            if n.value < Decimal::ZERO {
                diags.push(
                    Diagnostic::error(
                        Code::OutOfRange,
                        format!("negative amount for {}", r.key().value),
                    )
                    .at(n.span, "rupiah amounts cannot be negative")
                    .hint(
                        "check the sign; a correction belongs in realisasi, not as a negative pagu",
                    ),
                );
            }
        }
    }
}

fn visit<'a>(ind: &'a Indikator, f: &mut impl FnMut(&'a Indikator)) {
    f(ind);
    for k in &ind.komponen {
        visit(k, f);
    }
}

fn unique<'a>(
    seen: &mut HashMap<&'a str, &'a Text>,
    id: &'a Text,
    what: &str,
    diags: &mut Diagnostics,
) {
    if let Some(first) = seen.get(id.value.as_str()) {
        diags.push(
            Diagnostic::error(
                Code::DuplicateId,
                format!("{what} `{}` is defined twice", id.value),
            )
            .at(id.span, "defined again here")
            .also(first.span, "first defined here")
            .hint(format!(
                "every {what} needs its own id; rename or remove one"
            )),
        );
    } else {
        seen.insert(&id.value, id);
    }
}

fn unknown<'a>(r: &Text, what: &str, known: impl IntoIterator<Item = &'a str>) -> Diagnostic {
    let known: Vec<&str> = known.into_iter().collect();
    let d = Diagnostic::error(Code::UnknownReference, format!("no {what} `{}`", r.value))
        .at(r.span, format!("refers to an unknown {what}"));
    match did_you_mean(&r.value, known.iter().copied()) {
        Some(s) => d.hint(format!("did you mean `{s}`?")),
        None => d.hint(format!(
            "define {what} `{}`, or refer to an existing one",
            r.value
        )),
    }
}

fn targets(ws: &Workspace, ind: &Indikator, required: bool, diags: &mut Diagnostics) {
    let year = ws.manifest.tahun;
    // A target written but unreadable (or misspelled) was reported where it is written.
    let unreadable =
        ind.target.span.is_some() && ind.target.pk.is_none() && ind.target.renstra.is_empty();
    match ind.target.for_year(year) {
        None if required && !unreadable => diags.push(
            Diagnostic::error(Code::MissingTarget, format!("{} has no target for {year}", ind.id.value))
                .at(ind.target.span.unwrap_or(ind.id.span), "no target for the report's year")
                .hint(format!("add `target: {{pk: …}}` or `renstra: {{{year}: …}}`")),
        ),
        Some(t) if t.value.is_zero() => diags.push(
            Diagnostic::error(Code::ZeroTarget, format!("{} has a target of 0 for {year}", ind.id.value))
                .at(t.span, "capaian cannot be measured against 0")
                .hint("check the target; an indicator without a target belongs as a komponen without `target`"),
        ),
        _ => {}
    }
    if is_percentage(&ind.satuan) {
        let mut check = |n: &Num, what: &str| {
            if n.value < Decimal::ZERO || n.value > Decimal::ONE_HUNDRED {
                diags.push(
                    Diagnostic::warning(Code::OutOfRange, format!("{} {what} {} is outside 0–100", ind.id.value, n.value))
                        .at(n.span, format!("a percentage ({})", ind.satuan))
                        .hint("a share of people or units cannot exceed 100%; check the value or the unit"),
                );
            }
        };
        for n in ind.target.pk.iter().chain(ind.target.renstra.values()) {
            check(n, "target");
        }
        if let Some(crate::model::Realisasi {
            sumber: crate::model::SumberRealisasi::Nilai(n),
            ..
        }) = &ind.realisasi
        {
            check(n, "realisasi");
        }
    }
}

fn is_percentage(satuan: &str) -> bool {
    matches!(
        satuan.trim().to_lowercase().as_str(),
        "%" | "persen" | "persentase"
    )
}
