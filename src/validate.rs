//! Checks across files that reading one file cannot make: unique ids, references that
//! resolve, a target for the year, values within their unit's range.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::incremental::{self, FileKey, Part};
use crate::model::{Indikator, Workspace};
use crate::yaml::{Num, Text};
use rayon::prelude::*;
use rust_decimal::Decimal;
// aHash: these maps are keyed by ids from the workspace, not by adversaries.
use ahash::AHashMap as HashMap;

pub fn validate(ws: &Workspace, diags: &mut Diagnostics) {
    validate_reusing(ws, diags, None);
}

/// What validation found in one indicator file, kept by a watch session: its share does
/// not change while the file, the report's year and the set of sasaran do not.
pub(crate) struct FileChecks {
    /// The report's year and the sasaran ids these were checked against.
    context: u64,
    /// What the checks of each indikator reported, in order.
    diagnostics: Vec<Diagnostic>,
    /// A key of each indikator id (komponen included): distinct keys are distinct ids.
    ids: Vec<u64>,
}

/// Earlier per-file results for a watch session: `parts` says which indikator of the
/// workspace each indicator file gave, `checks` holds what was found in them.
pub(crate) struct Reuse<'a> {
    pub parts: &'a [Part],
    pub checks: &'a mut HashMap<FileKey, FileChecks>,
}

/// Validates, taking each unchanged indicator file's share from `reuse`: most of the
/// work, and it would only find again what it found.
pub(crate) fn validate_reusing(ws: &Workspace, diags: &mut Diagnostics, reuse: Option<Reuse>) {
    let mut ids: HashMap<&str, &Text> = HashMap::new();
    for s in &ws.sasaran {
        unique(&mut ids, &s.id, "sasaran", diags);
    }
    // Looked up by hash (one lookup per indikator); suggestions for an unknown one come
    // from them in order.
    let sasaran_ids: ahash::AHashSet<&str> =
        ws.sasaran.iter().map(|s| s.id.value.as_str()).collect();
    let tiled = |parts: &[Part]| {
        let mut next = 0;
        parts.iter().all(|p| {
            let ok = p.indikator.start == next;
            next = p.indikator.end;
            ok
        }) && next == ws.indikator.len()
    };
    match reuse {
        Some(Reuse { parts, checks }) if tiled(parts) => {
            let context = ws.sasaran.iter().fold(
                incremental::key(0, &ws.manifest.tahun.to_le_bytes()),
                |h, s| incremental::key(h, s.id.value.as_bytes()),
            );
            for part in parts {
                let fresh = checks.get(&part.key).is_some_and(|c| c.context == context);
                if !fresh {
                    let mut found = Diagnostics::default();
                    let mut keys = Vec::new();
                    for ind in &ws.indikator[part.indikator.clone()] {
                        visit(ind, &mut |i| {
                            keys.push(incremental::key(0, i.id.value.as_bytes()))
                        });
                        indikator_checks(ws, &sasaran_ids, ind, &mut found);
                    }
                    let c = FileChecks {
                        context,
                        diagnostics: found.into_vec(),
                        ids: keys,
                    };
                    checks.insert(part.key, c);
                }
            }
            // Every id distinct by key means no duplicate: the id-by-id check is needed
            // only otherwise.
            let mut seen = ahash::AHashSet::new();
            let distinct = parts
                .iter()
                .filter_map(|p| checks.get(&p.key))
                .flat_map(|c| &c.ids)
                .all(|k| seen.insert(*k));
            if !distinct {
                indikator_duplicates(ws, diags);
            }
            for part in parts {
                if let Some(c) = checks.get(&part.key) {
                    diags.extend(c.diagnostics.iter().cloned());
                }
            }
        }
        _ => {
            // Each indikator's checks stand alone: run in parallel, reported in order.
            let (duplicates, checked) = rayon::join(
                || {
                    let mut found = Diagnostics::default();
                    indikator_duplicates(ws, &mut found);
                    found
                },
                || {
                    ws.indikator
                        .par_chunks(1024)
                        .map(|chunk| {
                            let mut found = Diagnostics::default();
                            for ind in chunk {
                                indikator_checks(ws, &sasaran_ids, ind, &mut found);
                            }
                            found
                        })
                        .collect::<Vec<_>>()
                },
            );
            diags.extend(duplicates.into_vec());
            for found in checked {
                diags.extend(found.into_vec());
            }
        }
    }
    budget(ws, diags);
}

fn indikator_duplicates(ws: &Workspace, diags: &mut Diagnostics) {
    let mut indikator_ids: HashMap<&str, &Text> = HashMap::new();
    for ind in &ws.indikator {
        visit(ind, &mut |i| {
            unique(&mut indikator_ids, &i.id, "indikator", diags)
        });
    }
}

/// The checks of one indikator (its komponen included) that depend only on it, the
/// report's year and the sasaran ids.
fn indikator_checks(
    ws: &Workspace,
    sasaran_ids: &ahash::AHashSet<&str>,
    ind: &Indikator,
    diags: &mut Diagnostics,
) {
    if let Some(s) = &ind.sasaran
        && !sasaran_ids.contains(s.value.as_str())
    {
        let known: std::collections::BTreeSet<&str> = sasaran_ids.iter().copied().collect();
        diags.push(unknown(s, "sasaran", known));
    }
    targets(ws, ind, true, diags);
    for k in &ind.komponen {
        visit(k, &mut |i| targets(ws, i, false, diags));
    }
}

fn budget(ws: &Workspace, diags: &mut Diagnostics) {
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
    // As `to_lowercase()` compares, without a string per indikator (the words are ASCII,
    // so the one context-dependent case, a final sigma, cannot match either way).
    let satuan = satuan.trim();
    ["%", "persen", "persentase"]
        .iter()
        .any(|w| satuan.chars().flat_map(char::to_lowercase).eq(w.chars()))
}

#[cfg(test)]
mod tests {
    use super::is_percentage;

    /// The allocation-free comparison says what lowercasing the whole unit said.
    #[test]
    fn percentage_units_as_lowercasing_tells_them() {
        for satuan in [
            "%",
            " % ",
            "persen",
            "Persen",
            "PERSEN ",
            "\tpersentase",
            "PersenTase",
            "persen.",
            "persenx",
            "per sen",
            "",
            "poin",
            "Σ",
            "PERSEΝ",
            "persen\u{301}",
            "İ",
            "\u{212A}",
        ] {
            let by_lowercase = matches!(
                satuan.trim().to_lowercase().as_str(),
                "%" | "persen" | "persentase"
            );
            assert_eq!(is_percentage(satuan), by_lowercase, "{satuan:?}");
        }
    }
}
