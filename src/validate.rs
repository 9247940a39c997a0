//! Checks across files that reading one file cannot make: unique ids, references that
//! resolve, a target for the year, values within their unit's range.

use crate::base::diagnostic::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::base::number;
use crate::base::source::Span;
use crate::model::{
    Dicetak, Indikator, JenisPerubahan, Kalender, Kronologi, NilaiTarget, Num, Periode, Realisasi,
    SumberRealisasi, Tanggal, Text, Workspace,
};
use rayon::prelude::*;
use rust_decimal::Decimal;
// aHash: these maps are keyed by ids from the workspace, not by adversaries.
use ahash::{AHashMap as HashMap, AHashSet as HashSet};

/// What the checks of one indikator depend on besides the indikator itself.
pub(crate) struct Context<'a> {
    /// The report's year.
    pub(crate) year: i32,
    /// The calendar, and the period reported (`None`: the whole year).
    pub(crate) kalender: Kalender,
    pub(crate) laporan: Option<Periode>,
    /// The period the manifest says the report is of: a realisasi after it is premature
    /// (P002). A run looking back (`--periode TW1` on a workspace reporting TW4) expects
    /// the later values, and is not warned.
    pub(crate) laporan_manifest: Option<Periode>,
    /// The sasaran ids, in order.
    pub(crate) sasaran: Vec<&'a str>,
    /// The same, looked up by hash (one lookup per indikator).
    known: HashSet<&'a str>,
}

impl<'a> Context<'a> {
    pub(crate) fn of(ws: &'a Workspace) -> Context<'a> {
        let sasaran: Vec<&str> = ws.sasaran.iter().map(|s| s.id.value.as_str()).collect();
        Context {
            year: ws.manifest.tahun,
            kalender: ws.manifest.periode.kalender,
            laporan: ws.manifest.periode.laporan,
            laporan_manifest: ws.manifest.periode.laporan_manifest,
            known: sasaran.iter().copied().collect(),
            sasaran,
        }
    }
}

/// How a run checks one indikator: [`indikator`], unless a watch session reuses what it
/// found before.
pub(crate) type CheckIndikator<'a> = dyn Fn(&Context, &Indikator) -> Vec<Diagnostic> + Sync + 'a;

/// Validates the workspace: ids unique, references that resolve, a target for the year,
/// values within their unit's range, budget rows.
pub(crate) fn validate(ws: &Workspace, check: &CheckIndikator) -> Diagnostics {
    let started = std::time::Instant::now();
    let mut diags = Diagnostics::default();
    let mut ids: HashMap<&str, &Text> = HashMap::new();
    for s in &ws.sasaran {
        unique(&mut ids, &s.id, "sasaran", &mut diags);
        if let Some(b) = &s.bobot {
            diags.extend(bobot(&s.id.value, b, "the organisation's nilai kinerja"));
        }
    }
    if let Some(span) = ws.manifest.bobot.span
        && ws.manifest.bobot.jumlah <= Decimal::ZERO
    {
        diags.push(
            Diagnostic::error(
                Code::OutOfRange,
                format!(
                    "weights cannot add up to {}",
                    ws.manifest.bobot.jumlah.normalize()
                ),
            )
            .at(span, "the total of a rollup's weights")
            .hint("write `jumlah: 100` for weights in percent (`bobot: 60`), or `jumlah: 1` for fractions (`bobot: 0.6`)"),
        );
    }
    let context = Context::of(ws);
    // Each indikator's checks stand alone: run in parallel, reported in order.
    let (duplicates, checked) = rayon::join(
        || {
            let mut found = Diagnostics::default();
            indikator_duplicates(ws, &mut found);
            found
        },
        || {
            ws.indikator
                .par_iter()
                .with_min_len(256)
                .map(|ind| check(&context, ind))
                .collect::<Vec<_>>()
        },
    );
    diags.extend(duplicates.into_vec());
    for found in checked {
        diags.extend(found);
    }
    let kalender = ws.manifest.periode.kalender;
    for s in &ws.sasaran {
        printed_periods(kalender, &s.id.value, &s.dicetak, &mut diags);
    }
    printed_periods(
        kalender,
        "the organisation",
        &ws.manifest.dicetak,
        &mut diags,
    );
    budget(ws, &mut diags);
    printed_without_indikator(ws, &mut diags);
    band_tables(ws, &mut diags);
    tracing::debug!(elapsed = ?started.elapsed(), "validated");
    diags
}

/// The figures a report printed about the whole organisation (the manifest's `dicetak`:
/// nilai kinerja, counts and means of indikator) in a workspace without indikator: nothing
/// to check them against, which the audit would otherwise pass over without a word.
fn printed_without_indikator(ws: &Workspace, diags: &mut Diagnostics) {
    if ws.isi().indikator {
        return;
    }
    for c in &ws.manifest.dicetak.figures {
        diags.push(
            Diagnostic::warning(
                Code::Workspace,
                format!(
                    "the printed {} cannot be checked: this workspace has no indikator",
                    c.ukuran.value
                ),
            )
            .at(c.nilai.span, "printed here, about the organisation's indikator")
            .hint(format!(
                "add the indikator it comes from under indicators/ (`kinerja audit` then checks it), or leave `{}` out of `dicetak:` in a budget-only workspace",
                c.ukuran.value
            )),
        );
    }
}

/// Every band table named (by the manifest, a sasaran, an indikator's realisasi or capaian)
/// must be defined by a `*.kategori.yaml`.
fn band_tables(ws: &Workspace, diags: &mut Diagnostics) {
    let known: HashSet<&str> = ws.kategori.iter().map(|t| t.nama.value.as_str()).collect();
    let mut check = |t: &Text| {
        if !known.contains(t.value.as_str()) {
            diags.push(unknown_table(ws, t));
        }
    };
    for (_, t) in ws.manifest.kategori.named() {
        check(t);
    }
    for s in &ws.sasaran {
        if let Some(t) = &s.kategori {
            check(t);
        }
    }
    for ind in &ws.indikator {
        visit(ind, &mut |i| {
            if let Some(t) = i.realisasi.as_ref().and_then(|r| r.kategori.as_ref()) {
                check(t);
            }
            if let Some(t) = &i.capaian.kategori {
                check(t);
            }
        });
    }
}

fn unknown_table(ws: &Workspace, t: &Text) -> Diagnostic {
    let names: Vec<&str> = ws.kategori.iter().map(|t| t.nama.value.as_str()).collect();
    let d = Diagnostic::error(
        Code::UnknownBandTable,
        format!("no band table named `{}`", t.value),
    )
    .at(t.span, "no `*.kategori.yaml` defines this table");
    match (did_you_mean(&t.value, names.iter().copied()), names.is_empty()) {
        (Some(s), _) => d.hint(format!("did you mean `{s}`?")),
        (None, false) => d.hint(format!(
            "the band tables here are {}; or define `{}` under `tabel:` in a `rules/*.kategori.yaml`",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
            t.value
        )),
        (None, true) => d.hint(format!(
            "this workspace has no band tables: define `{}` under `tabel:` in a `rules/*.kategori.yaml`, or use the shipped library (`predikat_sakip`, `mutu_ikm`, `capaian_lima_tingkat`) by copying its `*.kategori.yaml` into rules/ or naming its folder in `pustaka_rumus`",
            t.value
        )),
    }
}

/// The checks of one indikator (its komponen included) that depend only on it and its
/// [`Context`]: the unit of validation.
pub(crate) fn indikator(context: &Context, ind: &Indikator) -> Vec<Diagnostic> {
    let mut diags = Diagnostics::default();
    match &ind.sasaran {
        Some(s) if !context.known.contains(s.value.as_str()) => {
            let known: std::collections::BTreeSet<&str> = context.sasaran.iter().copied().collect();
            diags.push(unknown(s, "sasaran", known));
        }
        None if !context.sasaran.is_empty() => diags.push(no_sasaran(context, ind)),
        _ => {}
    }
    targets(context, ind, true, &mut diags);
    periods(context, ind, &mut diags);
    if let Some(b) = &ind.bobot {
        // Without a sasaran, an indikator weighs in the nilai kinerja directly.
        let rollup = match &ind.sasaran {
            Some(s) => format!("{}'s capaian", s.value),
            None => "the nilai kinerja".to_string(),
        };
        diags.extend(bobot(&ind.id.value, b, &rollup));
    }
    for k in &ind.komponen {
        visit(k, &mut |i| {
            targets(context, i, false, &mut diags);
            periods(context, i, &mut diags);
        });
    }
    diags.into_vec()
}

/// An indikator naming no sasaran in a workspace that has sasaran. Without sasaran, every
/// indikator rolls up to the organisation directly; with them, the nilai kinerja is the
/// rollup of the sasaran, and an indikator beside them would either count as much as a whole
/// sasaran or not at all. Neither is what a planner who forgot its `sasaran:` line means, so
/// a workspace mixing the two is refused here, at the indikator.
fn no_sasaran(context: &Context, ind: &Indikator) -> Diagnostic {
    const SHOWN: usize = 5;
    let mut known: Vec<String> = context
        .sasaran
        .iter()
        .take(SHOWN)
        .map(|s| format!("`{s}`"))
        .collect();
    if context.sasaran.len() > SHOWN {
        known.push("…".into());
    }
    let first = context.sasaran.first().copied().unwrap_or("SP1");
    Diagnostic::error(
        Code::MissingKey,
        format!(
            "indikator {} names no sasaran, but this workspace has sasaran",
            ind.id.value
        ),
    )
    .at(ind.id.span, "no `sasaran:` in this indikator")
    .hint(format!(
        "add `sasaran: {first}` (the sasaran here: {}): where a workspace has sasaran, every indikator belongs to one. Only a workspace without any sasaran (an eselon IV unit's) rolls its indikator up to the organisation directly",
        known.join(", ")
    ))
}

/// A weight below zero (an error) or of zero (a warning: the member counts for nothing).
fn bobot(id: &str, b: &Num, rollup: &str) -> Option<Diagnostic> {
    if b.value < Decimal::ZERO {
        Some(
            Diagnostic::error(
                Code::OutOfRange,
                format!("{id} has a negative bobot, {}", b.value.normalize()),
            )
            .at(b.span, "a weight cannot be negative")
            .hint(format!(
                "give {id} its share of {rollup} as a positive number (`bobot: 20`)"
            )),
        )
    } else if b.value.is_zero() {
        Some(
            Diagnostic::warning(Code::OutOfRange, format!("{id} has a bobot of 0"))
                .at(b.span, format!("{id} counts for nothing in {rollup}"))
                .hint(format!(
                    "give {id} its share (`bobot: 20`); if it is not meant to count, say why in `catatan:` and keep the 0"
                )),
        )
    } else {
        None
    }
}

fn indikator_duplicates(ws: &Workspace, diags: &mut Diagnostics) {
    let mut indikator_ids: HashMap<&str, &Text> = HashMap::new();
    for ind in &ws.indikator {
        visit(ind, &mut |i| {
            unique(&mut indikator_ids, &i.id, "indikator", diags)
        });
    }
}

fn budget(ws: &Workspace, diags: &mut Diagnostics) {
    let a = &ws.anggaran;
    // Rows given twice are merged (or reported) as the files are read; a line item names a
    // kegiatan that must exist, and a jenis belanja of the budget's.
    let level = ws.manifest.level("kegiatan");
    let kegiatan: Vec<&str> = a
        .baris
        .iter()
        .filter(|r| Some(r.tingkat) == level)
        .map(|r| r.key().value.as_str())
        .collect();
    let jenis: Vec<&str> = a
        .jenis_total()
        .map(|j| a.jenis_belanja[j].key().value.as_str())
        .collect();
    for r in &a.rincian {
        if r.baris.is_none() && !kegiatan.is_empty() {
            diags.push(unknown(&r.kegiatan, "kegiatan", kegiatan.iter().copied()));
        }
        if !jenis.is_empty() && !jenis.contains(&r.jenis_belanja.value.as_str()) {
            diags.push(unknown(
                &r.jenis_belanja,
                "jenis belanja",
                jenis.iter().copied(),
            ));
        }
    }
    rupiah_amounts(ws, diags);
    budget_periods(ws, diags);
    for r in a.baris.iter().chain(&a.jenis_belanja) {
        kronologi(&r.kronologi, &r.id, ws.manifest.tahun, diags);
    }
    kronologi(
        &a.kronologi_total,
        "the budget's total",
        ws.manifest.tahun,
        diags,
    );
    for r in a.baris.iter().chain(&a.jenis_belanja) {
        let per_period = r.realisasi_periode.nilai.iter().chain(&r.rpd.nilai);
        for n in [&r.pagu, &r.realisasi]
            .into_iter()
            .flatten()
            .chain(per_period.map(|(_, _, n)| n))
        {
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

/// Every rupiah amount of the budget written with three decimals (Y006).
fn rupiah_amounts(ws: &Workspace, diags: &mut Diagnostics) {
    let a = &ws.anggaran;
    // Only amounts written as such: a row summed from line data is placed at the line
    // data's entry, whose text is no number.
    let written = |n: &Num| {
        let text = ws
            .sources
            .get(n.span.file)
            .text
            .get(n.span.start..n.span.end);
        text.is_some_and(|t| number::parse_plain(t) == Ok(n.value))
    };
    // The label is made only for an amount that is reported: budgets have many rows.
    let mut check = |n: &Num, what: &dyn Fn() -> String| {
        if number::thousands_misread(n.value, n.decimals).is_some()
            && written(n)
            && let Some(d) = rupiah_amount(n, &what())
        {
            diags.push(d);
        }
    };
    fn printed(d: &Dicetak) -> impl Iterator<Item = (&Num, &str)> {
        d.figures
            .iter()
            .filter(|c| PRINTED_RUPIAH.contains(&c.ukuran.value.as_str()))
            .map(|c| (&c.nilai, c.ukuran.value.as_str()))
    }
    let levels = &ws.manifest.tingkat;
    for (jenis, rows) in [(false, &a.baris), (true, &a.jenis_belanja)] {
        for r in rows {
            let table = if jenis {
                "jenis belanja".to_string()
            } else {
                levels[r.tingkat].replace('_', " ")
            };
            let row = || format!("{table} {}", r.key().value);
            if let Some(n) = &r.pagu {
                check(n, &|| format!("pagu of {}", row()));
            }
            if let Some(n) = &r.realisasi {
                check(n, &|| format!("realisasi of {}", row()));
            }
            for (what, values) in [("realisasi", &r.realisasi_periode), ("rpd", &r.rpd)] {
                for (p, _, n) in &values.nilai {
                    check(n, &|| format!("{what} of {} ({})", row(), p.kode()));
                }
            }
            for (n, key) in printed(&r.dicetak) {
                check(n, &|| format!("printed {key} of {}", row()));
            }
        }
    }
    for r in &a.rincian {
        let row = || {
            format!(
                "the rincian line {} / {}",
                r.kegiatan.value, r.jenis_belanja.value
            )
        };
        check(&r.pagu, &|| format!("pagu of {}", row()));
        check(&r.realisasi, &|| format!("realisasi of {}", row()));
    }
    for r in &a.riwayat {
        for (n, key) in [(&r.pagu, "pagu"), (&r.realisasi, "realisasi")] {
            if let Some(n) = n {
                check(n, &|| format!("{key} of {}", r.tahun));
            }
        }
    }
    for (n, key) in printed(&a.dicetak_total) {
        check(n, &|| format!("printed {key} of the total"));
    }
    let chronologies = a
        .baris
        .iter()
        .chain(&a.jenis_belanja)
        .map(|r| (&r.kronologi, r.id.as_str()))
        .chain([(&a.kronologi_total, "the total")]);
    for (k, whose) in chronologies {
        for p in &k.perubahan {
            for (n, key) in [(&p.jumlah, "jumlah"), (&p.menjadi, "menjadi")] {
                if let Some(n) = n {
                    check(n, &|| {
                        format!(
                            "{key} of the {} of {}, {whose}",
                            p.jenis.name(),
                            p.tanggal.kode()
                        )
                    });
                }
            }
        }
    }
}

/// A chronology of pagu changes (`whose`: the row's id, or the budget's total): each
/// change with the amounts its kind needs (a `pagu_awal` first and with `jumlah`, a
/// `revisi` with `jumlah` or `menjadi`, the others with a positive `jumlah`), dated within
/// the year (P004), and amounts that step through within the decimal range.
fn kronologi(k: &Kronologi, whose: &str, year: i32, diags: &mut Diagnostics) {
    let Some(first) = k.perubahan.first() else {
        return;
    };
    let dates: Vec<(Tanggal, Span)> = k.perubahan.iter().map(|p| (p.tanggal, p.span)).collect();
    diags.extend(dated_in_year(
        &dates,
        year,
        &format!("the pagu changes of {whose}"),
    ));
    for (i, p) in k.perubahan.iter().enumerate() {
        let (jenis, date) = (p.jenis.name(), p.tanggal.kode());
        let missing = |hint: String| {
            Diagnostic::error(
                Code::MissingKey,
                format!("{whose}: the {jenis} of {date} has no `jumlah`"),
            )
            .at(p.span, "`jumlah` belongs beside this date")
            .hint(hint)
        };
        let not_here = |n: &Num, hint: &str| {
            Diagnostic::error(
                Code::UnknownKey,
                format!("{whose}: `menjadi` does not belong to the {jenis} of {date}"),
            )
            .at(n.span, format!("not a key of a {jenis}"))
            .hint(hint.to_string())
        };
        match p.jenis {
            JenisPerubahan::PaguAwal => {
                if i > 0 {
                    diags.push(
                        Diagnostic::error(
                            Code::RevisionOrder,
                            format!("{whose}: the pagu_awal of {date} stands after other changes"),
                        )
                        .at(p.span, "not the first change")
                        .also(first.span, "the chronology starts here")
                        .hint("the allocation the year starts with (DIPA awal) is the first change: move it first; a later allocation is a `revisi` with `menjadi`, the pagu the report states"),
                    );
                }
                match (p.jumlah, p.menjadi) {
                    (None, Some(m)) => diags.push(missing(format!(
                        "a pagu awal's allocation is its `jumlah`: write `jumlah: {}` instead of `menjadi`",
                        number::underscored(m.value)
                    ))),
                    (None, None) => diags.push(missing(
                        "add `jumlah:`, the allocation the year starts with (DIPA awal)".into(),
                    )),
                    (Some(_), Some(m)) => diags.push(not_here(
                        &m,
                        "a pagu awal sets the pagu to its `jumlah`: leave `menjadi` out",
                    )),
                    (Some(_), None) => {}
                }
            }
            JenisPerubahan::Revisi => {
                if p.jumlah.is_none() && p.menjadi.is_none() {
                    diags.push(
                        Diagnostic::error(
                            Code::MissingKey,
                            format!("{whose}: the revisi of {date} has neither `jumlah` nor `menjadi`"),
                        )
                        .at(p.span, "the amounts belong beside this date")
                        .hint("add `jumlah:` (the change, negative to cut), `menjadi:` (the pagu after it, as the report states), or both"),
                    );
                }
            }
            JenisPerubahan::Penghematan
            | JenisPerubahan::Hibah
            | JenisPerubahan::Blokir
            | JenisPerubahan::BukaBlokir => {
                let what = match p.jenis {
                    JenisPerubahan::Penghematan => "takes off the pagu",
                    JenisPerubahan::Hibah => "adds to the pagu",
                    JenisPerubahan::Blokir => "blocks",
                    _ => "opens again",
                };
                match p.jumlah {
                    None => diags.push(missing(format!(
                        "add `jumlah:`, the amount it {what}{}",
                        if p.jenis.changes_pagu() {
                            " (a pagu the report states without the amount is a `revisi` with `menjadi`)"
                        } else {
                            ""
                        }
                    ))),
                    Some(j) if j.value <= Decimal::ZERO => diags.push(
                        Diagnostic::error(
                            Code::OutOfRange,
                            format!(
                                "{whose}: the {jenis} of {date} has jumlah {}: it is the amount it {what}, above 0",
                                j.value.normalize()
                            ),
                        )
                        .at(j.span, "expected a positive amount")
                        .hint(if j.value.is_zero() {
                            "a change of 0 changes nothing: write its amount, or leave the change out".to_string()
                        } else {
                            format!(
                                "write the amount without a sign, `jumlah: {}`: the kind says which way it goes (a revision that cuts the pagu is `jenis: revisi` with a negative `jumlah`)",
                                number::underscored(j.value.abs())
                            )
                        }),
                    ),
                    Some(_) => {}
                }
                if let (false, Some(m)) = (p.jenis.changes_pagu(), p.menjadi) {
                    diags.push(not_here(
                        &m,
                        "a block leaves the pagu as it is: leave `menjadi` out (the pagu after it is the pagu before)",
                    ));
                }
            }
        }
        // The amounts that set the pagu: a pagu awal's allocation, a stated pagu.
        let sets_pagu = [
            p.jumlah
                .filter(|_| p.jenis == JenisPerubahan::PaguAwal)
                .map(|n| (n, "jumlah")),
            p.menjadi.map(|n| (n, "menjadi")),
        ];
        for (n, key) in sets_pagu.into_iter().flatten() {
            if n.value < Decimal::ZERO {
                diags.push(
                    Diagnostic::error(
                        Code::OutOfRange,
                        format!("{whose}: the {jenis} of {date} makes the pagu negative"),
                    )
                    .at(n.span, format!("a negative `{key}`"))
                    .hint("a pagu is never below 0: check the sign (a cut is a `revisi` with a negative `jumlah`, or a `penghematan`)"),
                );
            }
        }
    }
    if k.langkah().is_none() {
        diags.push(
            Diagnostic::error(
                Code::OutOfRange,
                format!("the pagu changes of {whose} add up beyond what kinerja computes exactly"),
            )
            .at(first.span, "this chronology")
            .hint("check its amounts: one is probably mistyped"),
        );
    }
}

/// The printed budget figures that are rupiah amounts (`persen` is not).
const PRINTED_RUPIAH: &[&str] = &["pagu", "realisasi", "sisa"];

/// Y006 for a rupiah amount `n` written with three decimals, if it is one: `398.379` is
/// 398 thousand in Indonesian, and 398 rupiah and a fraction in the files' plain format.
fn rupiah_amount(n: &Num, what: &str) -> Option<Diagnostic> {
    let meant = number::thousands_misread(n.value, n.decimals)?;
    let written = n.value.to_string();
    let whole = n.value.trunc();
    Some(
        Diagnostic::warning(
            Code::AmbiguousNumber,
            format!("`{written}` rupiah has three decimals: its `.` is likely a thousands separator"),
        )
        .at(n.span, format!("{what}: read as {whole} rupiah and a fraction"))
        .hint(format!(
            "if {whole} thousand rupiah is meant (Rp{written} in Indonesian), write `{meant}` or `{}`: in these files a dot is only a decimal point, and rupiah have at most 2 decimals (sen)",
            number::underscored(meant)
        )),
    )
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

fn targets(context: &Context, ind: &Indikator, required: bool, diags: &mut Diagnostics) {
    let year = context.year;
    // A target written but unreadable (or misspelled) was reported where it is written.
    let unreadable = ind.target.span.is_some() && ind.target.is_empty();
    let sampai = context.laporan.unwrap_or_else(|| context.kalender.last());
    // A target set by a PK dated after the period reported is not set yet, not missing.
    let belum_ditetapkan = ind.target.belum_ditetapkan(year, sampai);
    match ind.target.as_of(year, sampai).map(|(_, t)| t) {
        None if required && !unreadable && !belum_ditetapkan => diags.push(
            Diagnostic::error(Code::MissingTarget, format!("{} has no target for {year}", ind.id.value))
                .at(ind.target.span.unwrap_or(ind.id.span), "no target for the report's year")
                .hint(format!("add `target: {{pk: …}}` or `renstra: {{{year}: …}}`")),
        ),
        Some(NilaiTarget::Satu(t)) if t.value.is_zero() => diags.push(
            Diagnostic::error(Code::ZeroTarget, format!("{} has a target of 0 for {year}", ind.id.value))
                .at(t.span, "capaian cannot be measured against 0")
                .hint("check the target; an indicator without a target belongs as a komponen without `target`"),
        ),
        _ => {}
    }
    ranges(ind, diags);
    if !ind.target.revisi.is_empty() {
        let dates: Vec<_> = ind
            .target
            .revisi
            .iter()
            .map(|r| (r.tanggal, r.span))
            .collect();
        let what = format!("{}'s target revisions", ind.id.value);
        diags.extend(dated_in_year(&dates, year, &what));
    }
    rupiah_indikator(ind, diags);
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
        for n in ind.target.all().flat_map(NilaiTarget::nums) {
            check(n, "target");
        }
        match &ind.realisasi {
            Some(Realisasi {
                sumber: SumberRealisasi::Nilai(n),
                ..
            }) => check(n, "realisasi"),
            Some(Realisasi {
                sumber: SumberRealisasi::PerPeriode(pp),
                ..
            }) => {
                for (_, _, n) in &pp.nilai {
                    check(n, "realisasi");
                }
            }
            _ => {}
        }
    }
}

/// Values per period against the calendar and the period reported: a period of another
/// calendar (P001: not counted), and a realisasi for a period after the one reported (P002,
/// a warning: not counted either).
fn periods(context: &Context, ind: &Indikator, diags: &mut Diagnostics) {
    let kalender = context.kalender;
    let mut written: Vec<(&str, Periode, Span)> = ind
        .target
        .per_periode
        .nilai
        .iter()
        .chain(ind.target.revisi.iter().flat_map(|r| &r.per_periode.nilai))
        .map(|(p, at, _)| ("target", *p, *at))
        .collect();
    match ind.realisasi.as_ref().map(|r| &r.sumber) {
        Some(SumberRealisasi::PerPeriode(pp)) => {
            written.extend(pp.nilai.iter().map(|(p, at, _)| ("realisasi", *p, *at)));
        }
        Some(SumberRealisasi::RumusPerPeriode { masukan, .. }) => {
            written.extend(
                masukan
                    .nilai
                    .iter()
                    .map(|(p, at, _)| ("realisasi", *p, *at)),
            );
        }
        _ => {}
    }
    printed_periods(kalender, &ind.id.value, &ind.dicetak, diags);
    for (what, p, at) in written {
        if p.kalender != kalender {
            diags.push(other_calendar(&ind.id.value, what, p, kalender, at));
        } else if what == "realisasi"
            && let Some(laporan) = context.laporan_manifest
            && p > laporan
        {
            diags.push(after_report(&ind.id.value, p, laporan, at));
        }
    }
}

/// P001 for `subject`'s `what` (`realisasi`, `target`, `rpd`) written for period `p` of
/// another calendar than the workspace's: not counted.
fn other_calendar(
    subject: &str,
    what: &str,
    p: Periode,
    kalender: Kalender,
    at: Span,
) -> Diagnostic {
    Diagnostic::error(
        Code::PeriodUnknown,
        format!(
            "{subject}'s {what} for `{}` is a period of the {} calendar, but the workspace reports per {}",
            p.nama(),
            p.kalender.name(),
            kalender.name()
        ),
    )
    .at(at, format!("not a {}", kalender.name()))
    .hint(format!(
        "write one of {}, or set the manifest's `periode: {{kalender: {}}}`",
        kalender.listed(),
        p.kalender.name()
    ))
}

/// P002 for `subject`'s realisasi of period `p`, after the period reported: a warning, and
/// not counted.
fn after_report(subject: &str, p: Periode, laporan: Periode, at: Span) -> Diagnostic {
    Diagnostic::warning(
        Code::PeriodAfterReport,
        format!(
            "{subject}'s realisasi for {} is after the period reported, {}: not counted",
            p.kode(),
            laporan.kode()
        ),
    )
    .at(at, format!("after {}", laporan.kode()))
    .hint(format!(
        "a report as of {} counts the periods up to it; report a later period (`--periode {}`), or move the value to the period it belongs to",
        laporan.kode(),
        p.kode()
    ))
}

/// A budget row's values per period against the calendar and the period reported, as an
/// indikator's ([`periods`]): a period of another calendar (P001), a realisasi after the
/// period reported (P002). A plan for later periods is what a plan is.
fn budget_periods(ws: &Workspace, diags: &mut Diagnostics) {
    let periode = &ws.manifest.periode;
    let a = &ws.anggaran;
    for r in a.baris.iter().chain(&a.jenis_belanja) {
        // Line data taken after the period reported runs past it: no mistake.
        let written = r
            .realisasi_berkala
            .as_ref()
            .is_some_and(|b| !b.dari_rincian);
        for (what, values) in [("realisasi", &r.realisasi_periode), ("rpd", &r.rpd)] {
            for &(p, at, _) in &values.nilai {
                if p.kalender != periode.kalender {
                    diags.push(other_calendar(&r.id, what, p, periode.kalender, at));
                } else if what == "realisasi"
                    && written
                    && let Some(laporan) = periode.laporan_manifest
                    && p > laporan
                {
                    diags.push(after_report(&r.id, p, laporan, at));
                }
            }
        }
    }
}

/// The periods printed figures are for (`dicetak: {periode: Juni}`) against the calendar:
/// another calendar's period is P001, once per printing. Such a figure is of no period the
/// workspace reports, so no run would ever audit it.
fn printed_periods(kalender: Kalender, who: &str, dicetak: &Dicetak, diags: &mut Diagnostics) {
    let mut seen: Vec<Span> = Vec::new();
    let written = (dicetak.figures.iter().filter_map(|c| c.periode))
        .chain(dicetak.kategori.iter().filter_map(|c| c.periode));
    for (p, at) in written {
        if p.kalender == kalender || seen.contains(&at) {
            continue;
        }
        seen.push(at);
        diags.push(
            Diagnostic::error(
                Code::PeriodUnknown,
                format!(
                    "{who}'s figures printed for `{}` are of a period of the {} calendar, but the workspace reports per {}",
                    p.nama(),
                    p.kalender.name(),
                    kalender.name()
                ),
            )
            .at(at, format!("not a {}", kalender.name()))
            .hint(format!(
                "write the period the report printed them for, one of {}",
                kalender.listed()
            )),
        );
    }
}

/// A target range runs from its lower bound up: `{min: 90, maks: 80}` is refused (M005),
/// at the range, with the range to write; `{min: 80, maks: 80}` is a warning (M005): one
/// value written as a range.
fn ranges(ind: &Indikator, diags: &mut Diagnostics) {
    let written = ind
        .target
        .pk
        .iter()
        .map(|t| ("PK".to_string(), t))
        .chain(
            ind.target
                .renstra
                .iter()
                .map(|(y, t)| (format!("Renstra {y}"), t)),
        )
        .chain(
            ind.target
                .per_periode
                .nilai
                .iter()
                .map(|(p, _, t)| (format!("PK {}", p.kode()), t)),
        )
        .chain(ind.target.revisi.iter().flat_map(|r| {
            let pk = r.pk.iter().map(|t| (format!("PK {}", r.tanggal.kode()), t));
            let per_periode = r
                .per_periode
                .nilai
                .iter()
                .map(|(p, _, t)| (format!("PK {} {}", r.tanggal.kode(), p.kode()), t));
            pk.chain(per_periode)
        }));
    for (which, t) in written {
        if let NilaiTarget::Rentang(r) = t
            && let (min, maks) = (&r.min, &r.maks)
            && min.value == maks.value
        {
            let v = min.value.normalize();
            diags.push(
                Diagnostic::warning(
                    Code::OutOfRange,
                    format!(
                        "{}'s {which} target range holds one value: min {v}, maks {v}",
                        ind.id.value
                    ),
                )
                .at(min.span, "min and maks are the same")
                .also(maks.span, "maks")
                .hint(format!(
                    "a target of one value is one number, `{v}` (measured by the polaritas' rule), unless the report printed a range: then write its bounds"
                )),
            );
        }
        if let NilaiTarget::Rentang(r) = t
            && let (min, maks) = (&r.min, &r.maks)
            && min.value > maks.value
        {
            let (lo, hi) = (min.value.normalize(), maks.value.normalize());
            diags.push(
                Diagnostic::error(
                    Code::OutOfRange,
                    format!(
                        "{}'s {which} target range has its lower bound above its upper: min {lo}, maks {hi}",
                        ind.id.value
                    ),
                )
                .at(min.span, format!("min {lo} is above maks {hi}"))
                .also(maks.span, "maks")
                .hint(format!(
                    "a range goes from `min` up to `maks`: write `{{min: {hi}, maks: {lo}}}`"
                )),
            );
        }
    }
}

/// An indikator counted in rupiah: its target and given realisasi are rupiah amounts.
fn rupiah_indikator(ind: &Indikator, diags: &mut Diagnostics) {
    let satuan = ind.satuan.trim();
    if !(satuan.eq_ignore_ascii_case("rupiah") || satuan.eq_ignore_ascii_case("rp")) {
        return;
    }
    let id = &ind.id.value;
    for n in ind.target.all().flat_map(NilaiTarget::nums) {
        diags.extend(rupiah_amount(n, &format!("target of {id}")));
    }
    match &ind.realisasi {
        Some(Realisasi {
            sumber: SumberRealisasi::Nilai(n),
            ..
        }) => diags.extend(rupiah_amount(n, &format!("realisasi of {id}"))),
        Some(Realisasi {
            sumber: SumberRealisasi::PerPeriode(pp),
            ..
        }) => {
            for (p, _, n) in &pp.nilai {
                diags.extend(rupiah_amount(
                    n,
                    &format!("realisasi of {id} ({})", p.kode()),
                ));
            }
        }
        _ => {}
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

/// Revisions dated outside the year reported (P004): a change of another year belongs to
/// that year's workspace. The first entry of a chronology (`awal`: a DIPA awal, a PK awal)
/// may be dated in the year before, since a DIPA is issued in November for the next year;
/// it is in force from the year's first period. `what` names the chronology: "the target
/// revisions of IKP6.1".
pub(crate) fn dated_in_year(dates: &[(Tanggal, Span)], year: i32, what: &str) -> Vec<Diagnostic> {
    dates
        .iter()
        .enumerate()
        .filter(|(i, (t, _))| t.tahun != year && !(*i == 0 && t.tahun == year - 1))
        .map(|(_, (t, at))| {
            Diagnostic::error(
                Code::RevisionDate,
                format!("{what}: a revision dated {} in a report of {year}", t.nama()),
            )
            .at(*at, format!("outside {year}"))
            .hint(format!("date it within {year} (only the first entry, the allocation or PK the year starts with, may be dated in {}); a revision of another year belongs to that year's workspace", year - 1))
        })
        .collect()
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
