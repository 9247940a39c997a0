//! The audit: every figure a report printed, recomputed and compared at the precision it
//! was printed with, plus the structural checks a report's tables must pass (budget tables
//! reaching the same total, line items summing to their rows, table totals, realisasi within
//! pagu). Each disagreement is a finding with both values, the difference, the places of the
//! printed figure and of the inputs, and a likely cause where one can be told.
//!
//! Figures that agree are not reported.

use crate::diagnostic::{Code, Diagnostic};
use crate::eval::{Hasil, HasilIndikator, run_rule};
use crate::model::{Cetakan, Dicetak, Indikator, Input, SumberRealisasi, Tabel, Workspace};
use crate::number::{Rounding, RoundingMode};
use crate::rules::{Arg, RuleSet};
use crate::source::Span;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// One disagreement found by the audit.
#[derive(Clone, Debug)]
pub struct Finding {
    pub code: Code,
    /// What it is about: `IKP3.1`, `SP1`, `nilai_kinerja`, `kegiatan: …`, a table's name.
    pub subject: String,
    /// Which figure: `capaian`, `realisasi`, `persen`, a column, …
    pub ukuran: String,
    pub message: String,
    pub printed: Option<Decimal>,
    pub computed: Option<Decimal>,
    /// Where the printed figure (or the structure) is written.
    pub at: Span,
    /// What `at` is.
    pub label: String,
    /// Where the inputs of the computed figure are.
    pub inputs: Vec<(Span, String)>,
    pub sumber: Option<String>,
    pub cause: Option<String>,
    /// Why the disagreement is known, when the workspace says so.
    pub diketahui: Option<String>,
}

impl Finding {
    pub fn is_known(&self) -> bool {
        self.diketahui.is_some()
    }

    /// As a diagnostic: a warning, so that `check --deny warnings` fails on a contradiction
    /// nobody has looked at yet.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let mut d = Diagnostic::warning(self.code, self.message.clone());
        let label = match &self.sumber {
            Some(s) => format!("{} ({s})", self.label),
            None => self.label.clone(),
        };
        d = d.at(self.at, label);
        for (span, text) in &self.inputs {
            d = d.also(*span, text.clone());
        }
        if let Some(c) = &self.cause {
            d = d.hint(format!("likely cause: {c}"));
        }
        if let Some(k) = &self.diketahui {
            d = d.note(format!("known: {k}"));
        }
        d
    }
}

/// The audit's findings, known ones included, in workspace order.
pub fn audit(ws: &Workspace, rules: &RuleSet, hasil: &Hasil) -> Vec<Finding> {
    // The index of computed figures serves printed figures only; most generated or fresh
    // workspaces print none, and building it for 100,000 indikator is not free.
    let figures = if prints_anything(ws) {
        Figures::collect(ws, rules, hasil)
    } else {
        Figures {
            values: BTreeMap::new(),
            order: Vec::new(),
        }
    };
    let mut out = Vec::new();
    let mut a = Auditor {
        ws,
        rules,
        hasil,
        by_id: std::cell::OnceCell::new(),
        figures: &figures,
        out: &mut out,
    };
    for ind in &ws.indikator {
        a.indikator(ind);
    }
    for s in &ws.sasaran {
        a.printed(&s.id.value, &s.dicetak, &[]);
    }
    a.printed("organisasi", &ws.manifest.dicetak, &[]);
    a.budget();
    out
}

/// Every computed figure by (subject, ukuran), to compare printed figures with and to
/// recognise a printed figure that belongs to something else.
struct Figures {
    values: BTreeMap<(String, String), Decimal>,
    order: Vec<(String, String)>,
}

impl Figures {
    fn insert(&mut self, subject: &str, ukuran: &str, v: Option<Decimal>) {
        if let Some(v) = v {
            let key = (subject.to_string(), ukuran.to_string());
            if self.values.insert(key.clone(), v).is_none() {
                self.order.push(key);
            }
        }
    }

    fn get(&self, subject: &str, ukuran: &str) -> Option<Decimal> {
        self.values
            .get(&(subject.to_string(), ukuran.to_string()))
            .copied()
    }

    fn collect(ws: &Workspace, rules: &RuleSet, h: &Hasil) -> Figures {
        let mut f = Figures {
            values: BTreeMap::new(),
            order: Vec::new(),
        };
        fn ind(f: &mut Figures, i: &HasilIndikator) {
            f.insert(&i.id, "target", i.target);
            f.insert(&i.id, "realisasi", i.realisasi.as_ref().map(|x| x.value));
            f.insert(&i.id, "capaian", i.capaian.as_ref().map(|x| x.value));
            f.insert(
                &i.id,
                "capaian_jangka_menengah",
                i.jangka_menengah.as_ref().map(|x| x.capaian.value),
            );
            for k in &i.komponen {
                ind(f, k);
            }
        }
        for i in &h.indikator {
            ind(&mut f, i);
        }
        for i in &ws.indikator {
            for (n, b) in i.bukti.iter().enumerate() {
                let mut sink = crate::diagnostic::Diagnostics::default();
                let v = run_rule(
                    rules,
                    &b.rumus,
                    &[1],
                    |_| vec![Arg::Input(&b.masukan)],
                    &i.id.value,
                    "bukti",
                    b.span,
                    &mut sink,
                );
                f.insert(
                    &i.id.value,
                    &format!("bukti {} ({})", n + 1, b.rumus.name),
                    v,
                );
            }
        }
        for s in &h.sasaran {
            f.insert(&s.id, "capaian", s.capaian.as_ref().map(|x| x.value));
        }
        let org = "organisasi";
        f.insert(
            org,
            "nilai_kinerja",
            h.nilai_kinerja.as_ref().map(|x| x.value),
        );
        let capaian: Vec<Decimal> = h
            .indikator
            .iter()
            .filter_map(|i| i.capaian.as_ref().map(|c| c.value))
            .collect();
        if !capaian.is_empty() {
            let mut sink = crate::diagnostic::Diagnostics::default();
            let mean = run_rule(
                rules,
                &ws.manifest.rumus.nilai_kinerja,
                &[1],
                |_| vec![Arg::Nums(&capaian)],
                org,
                "rata-rata capaian indikator",
                Span::new(crate::source::FileId(0), 0, 0),
                &mut sink,
            );
            f.insert(org, "rata_rata_capaian_indikator", mean);
        }
        let total = Decimal::from(capaian.len());
        let reached = Decimal::from(
            capaian
                .iter()
                .filter(|c| **c >= Decimal::ONE_HUNDRED)
                .count(),
        );
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
        let a = &h.anggaran;
        for (table, rows) in [
            ("kegiatan", &a.kegiatan),
            ("jenis_belanja", &a.jenis_belanja),
        ] {
            for r in rows.iter() {
                let id = budget_id(table, &r.kode, &r.nama);
                f.insert(&id, "pagu", Some(r.pagu));
                f.insert(&id, "realisasi", Some(r.realisasi));
                f.insert(&id, "persen", r.persen);
                f.insert(&id, "sisa", r.sisa);
            }
        }
        if let Some(t) = &a.total {
            f.insert("total", "pagu", Some(t.pagu));
            f.insert("total", "realisasi", Some(t.realisasi));
            f.insert("total", "persen", t.persen);
            f.insert("total", "sisa", t.sisa);
        }
        f
    }
}

fn prints_anything(ws: &Workspace) -> bool {
    fn ind(i: &Indikator) -> bool {
        !i.dicetak.figures.is_empty() || !i.bukti.is_empty() || i.komponen.iter().any(ind)
    }
    let a = &ws.anggaran;
    !ws.manifest.dicetak.figures.is_empty()
        || ws.sasaran.iter().any(|s| !s.dicetak.figures.is_empty())
        || ws.indikator.iter().any(|i| ind(i))
        || !a.dicetak_total.figures.is_empty()
        || a.kegiatan
            .iter()
            .chain(&a.jenis_belanja)
            .any(|r| !r.dicetak.figures.is_empty())
}

/// How a budget row is named in findings and snapshots.
pub fn budget_id(table: &str, kode: &str, nama: &str) -> String {
    if kode.is_empty() {
        format!("{table}: {nama}")
    } else {
        format!("{table}: {kode}")
    }
}

struct Auditor<'a> {
    ws: &'a Workspace,
    rules: &'a RuleSet,
    hasil: &'a Hasil,
    /// Results by indikator id, built on the first lookup (evidence and printed figures
    /// look results up by id; searching the list each time grows with its square).
    by_id: std::cell::OnceCell<ahash::AHashMap<&'a str, &'a HasilIndikator>>,
    figures: &'a Figures,
    out: &'a mut Vec<Finding>,
}

fn at_precision(v: Decimal, decimals: u32) -> Decimal {
    Rounding::half_up(decimals).apply(v)
}

fn show(v: Decimal, decimals: u32) -> String {
    crate::number::fixed_text(v, decimals)
}

fn signed(v: Decimal) -> String {
    let v = v.normalize();
    if v > Decimal::ZERO {
        format!("+{v}")
    } else {
        v.to_string()
    }
}

impl<'a> Auditor<'a> {
    /// The result of indikator `id` (komponen included): the first with that id, as
    /// [`Hasil::find_indikator`] finds it.
    fn result(&self, id: &str) -> Option<&'a HasilIndikator> {
        fn index<'h>(
            list: &'h [HasilIndikator],
            map: &mut ahash::AHashMap<&'h str, &'h HasilIndikator>,
        ) {
            for i in list {
                map.entry(i.id.as_str()).or_insert(i);
                index(&i.komponen, map);
            }
        }
        let hasil = self.hasil;
        self.by_id
            .get_or_init(|| {
                let mut map = ahash::AHashMap::new();
                index(&hasil.indikator, &mut map);
                map
            })
            .get(id)
            .copied()
    }

    fn indikator(&mut self, ind: &Indikator) {
        // Most indikator print nothing: their input labels would be formatted for nothing.
        if !ind.dicetak.figures.is_empty() {
            let inputs = self.input_spans(ind);
            self.printed(&ind.id.value, &ind.dicetak, &inputs);
        }
        self.evidence(ind);
        for t in &ind.tabel {
            self.table(ind, t);
        }
        for k in &ind.komponen {
            self.indikator(k);
        }
    }

    fn input_spans(&self, ind: &Indikator) -> Vec<(Span, String)> {
        let mut out = Vec::new();
        if let Some(r) = &ind.realisasi {
            out.push((
                r.span,
                format!("realisasi of {} computed from here", ind.id.value),
            ));
        }
        if let Some(t) = ind.target.for_year(self.ws.manifest.tahun) {
            out.push((t.span, format!("target of {}", ind.id.value)));
        }
        out
    }

    /// Compares every printed figure of `subject` with the computed one.
    fn printed(&mut self, subject: &str, dicetak: &Dicetak, inputs: &[(Span, String)]) {
        for c in &dicetak.figures {
            let Some(computed) = self.figures.get(subject, &c.ukuran.value) else {
                continue;
            };
            let d = c.nilai.decimals;
            let shown = at_precision(computed, d);
            if shown == c.nilai.value {
                continue;
            }
            let label = if subject == "organisasi" {
                c.ukuran.value.clone()
            } else {
                format!("{subject} {}", c.ukuran.value)
            };
            let cause = self.cause(subject, &c.ukuran.value, c, computed);
            self.out.push(Finding {
                code: Code::PrintedMismatch,
                subject: subject.to_string(),
                ukuran: c.ukuran.value.clone(),
                message: format!(
                    "{label}: printed {}, computed {} (difference {})",
                    show(c.nilai.value, d),
                    show(computed, d),
                    c.nilai
                        .value
                        .checked_sub(shown)
                        .map_or("beyond range".into(), signed)
                ),
                printed: Some(c.nilai.value),
                computed: Some(computed),
                at: c.nilai.span,
                label: "printed here".into(),
                inputs: inputs.to_vec(),
                sumber: c.sumber.clone(),
                cause,
                diketahui: c.diketahui.clone(),
            });
        }
    }

    /// A likely cause for a printed figure that differs from the computed one.
    fn cause(&self, subject: &str, ukuran: &str, c: &Cetakan, computed: Decimal) -> Option<String> {
        let d = c.nilai.decimals;
        let p = c.nilai.value;
        let truncated = Rounding {
            decimals: d,
            mode: RoundingMode::Down,
        }
        .apply(computed);
        if truncated == p {
            return Some(format!(
                "the figure was truncated, not rounded ({} → {})",
                computed.round_dp(d.saturating_add(2).min(28)).normalize(),
                show(p, d)
            ));
        }
        if let Some(v) = self.staged(subject, ukuran, d)
            && at_precision(v, d) == p
        {
            return Some(format!(
                "rounding at a different stage: computing from inputs already rounded to {d} decimals gives {}",
                show(v, d)
            ));
        }
        // The same subject's other figure, then any other figure.
        let mut candidates: Vec<&(String, String)> = self
            .figures
            .order
            .iter()
            .filter(|(s, u)| s == subject && u != ukuran)
            .collect();
        candidates.extend(self.figures.order.iter().filter(|(s, _)| s != subject));
        for key in candidates {
            let v = self.figures.values[key];
            if at_precision(v, d) == p {
                let (s, u) = key;
                return Some(if s == subject && ukuran == "capaian" && u == "realisasi" {
                    format!(
                        "the printed capaian equals the realisasi ({}): a mislabelled figure",
                        show(v, d)
                    )
                } else if s == "organisasi" {
                    format!("it equals the {u} ({})", show(v, d))
                } else {
                    format!("it equals the {u} of {s} ({})", show(v, d))
                });
            }
        }
        let printed_digits = digits(&show(p, d));
        let computed_digits = digits(&show(computed, d));
        if is_transposition(&printed_digits, &computed_digits) {
            return Some("two adjacent digits are transposed".into());
        }
        if printed_digits.len() == computed_digits.len() + 1
            && is_subsequence(&computed_digits, &printed_digits)
        {
            return Some("an extra digit was typed".into());
        }
        if subject != "organisasi" && ukuran == "target" {
            return Some(
                "the printed target is not the target the figures were measured against".into(),
            );
        }
        None
    }

    /// The figure recomputed from inputs rounded to `decimals`: how a spreadsheet that rounds
    /// every cell would compute it.
    fn staged(&self, subject: &str, ukuran: &str, decimals: u32) -> Option<Decimal> {
        let round = |v: Decimal| at_precision(v, decimals);
        match ukuran {
            "capaian" => {
                if let Some(ind) = self.result(subject) {
                    let model = self.ws.find_indikator(subject)?;
                    let r = round(ind.realisasi.as_ref()?.value);
                    let t = ind.target?;
                    let rule = model.capaian.rumus.clone().or_else(|| {
                        self.ws
                            .manifest
                            .rumus
                            .capaian
                            .get(&model.polaritas)
                            .cloned()
                    })?;
                    return self
                        .rules
                        .call_number_with(&rule.name, &[Arg::Num(r), Arg::Num(t)])
                        .ok();
                }
                let s = self.hasil.sasaran.iter().find(|s| s.id == subject)?;
                let values: Option<Vec<Decimal>> = s
                    .indikator
                    .iter()
                    .map(|id| {
                        self.result(id)
                            .and_then(|i| i.capaian.as_ref().map(|c| round(c.value)))
                    })
                    .collect();
                let values = values?;
                let rule = self
                    .ws
                    .sasaran
                    .iter()
                    .find(|x| x.id.value == subject)
                    .and_then(|x| x.rumus.clone())
                    .unwrap_or_else(|| self.ws.manifest.rumus.capaian_sasaran.clone());
                self.rules
                    .call_number_with(&rule.name, &[Arg::Nums(&values)])
                    .ok()
            }
            "nilai_kinerja" => {
                let values: Vec<Decimal> = self
                    .hasil
                    .sasaran
                    .iter()
                    .filter_map(|s| s.capaian.as_ref().map(|c| round(c.exact)))
                    .collect();
                self.rules
                    .call_number_with(
                        &self.ws.manifest.rumus.nilai_kinerja.name,
                        &[Arg::Nums(&values)],
                    )
                    .ok()
            }
            _ => None,
        }
    }

    /// Evidence (`bukti`) recomputed and compared with the figure of record.
    fn evidence(&mut self, ind: &Indikator) {
        if ind.bukti.is_empty() {
            return;
        }
        let Some(record) = self.result(&ind.id.value).and_then(|i| i.realisasi.clone()) else {
            return;
        };
        let decimals = match ind.realisasi.as_ref().map(|r| &r.sumber) {
            Some(SumberRealisasi::Nilai(n)) => n.decimals.max(2),
            _ => self.ws.manifest.tampilan.rounding.decimals,
        };
        for b in &ind.bukti {
            let mut sink = crate::diagnostic::Diagnostics::default();
            let value = run_rule(
                self.rules,
                &b.rumus,
                &[1],
                |_| vec![Arg::Input(&b.masukan)],
                &ind.id.value,
                "bukti",
                b.span,
                &mut sink,
            );
            let Some(value) = value else {
                continue;
            };
            if at_precision(value, decimals) == at_precision(record.value, decimals) {
                continue;
            }
            // Does the evidence equal a figure the report printed elsewhere?
            let cause = ind
                .dicetak
                .figures
                .iter()
                .find(|c| at_precision(value, c.nilai.decimals) == c.nilai.value)
                .map(|c| {
                    let place = c.sumber.as_ref().map(|s| format!(" in {s}")).unwrap_or_default();
                    let printed = show(c.nilai.value, c.nilai.decimals);
                    if c.ukuran.value == "realisasi" {
                        format!(
                            "the realisasi printed{place} ({printed}) is this evidence at {} decimals",
                            c.nilai.decimals
                        )
                    } else {
                        format!(
                            "the evidence equals the {} printed{place} ({printed}): the report presents this ratio under another name",
                            c.ukuran.value
                        )
                    }
                });
            let mut inputs = Vec::new();
            if let Some(r) = &ind.realisasi {
                inputs.push((r.span, "the figure of record".to_string()));
            }
            self.out.push(Finding {
                code: Code::EvidenceMismatch,
                subject: ind.id.value.clone(),
                ukuran: "realisasi".into(),
                message: format!(
                    "{} realisasi: the evidence gives {} ({}), the figure of record is {} (difference {})",
                    ind.id.value,
                    show(value, decimals),
                    b.rumus.name,
                    show(record.value, decimals),
                    at_precision(record.value, decimals)
                        .checked_sub(at_precision(value, decimals))
                        .map_or("beyond range".into(), signed)
                ),
                printed: Some(at_precision(record.value, decimals)),
                computed: Some(value),
                at: masukan_span(&b.masukan),
                label: "evidence computed from these inputs".into(),
                inputs,
                sumber: b.keterangan.clone(),
                cause,
                diketahui: b.diketahui.clone(),
            });
        }
    }

    fn table(&mut self, ind: &Indikator, t: &Tabel) {
        for (column, printed) in &t.jumlah {
            let values: Vec<Decimal> = t
                .baris
                .iter()
                .filter_map(|r| {
                    r.nilai
                        .iter()
                        .find(|(k, _)| k == &column.value)
                        .map(|(_, n)| n.value)
                })
                .collect();
            let Some(sum) = crate::number::checked_sum(values.iter().copied()) else {
                continue;
            };
            if sum == printed.value {
                continue;
            }
            let Some(diff) = printed.value.checked_sub(sum) else {
                continue;
            };
            let mut cause = if let Some(row) = t.baris.iter().find(|r| {
                r.nilai
                    .iter()
                    .any(|(k, n)| k == &column.value && n.value == -diff)
            }) {
                format!("the total misses the row {}", row.nama)
            } else {
                format!(
                    "the rows add to {}, the printed total is {}: a row or the total is mistyped",
                    sum.normalize(),
                    printed.value.normalize()
                )
            };
            if input_uses(ind, printed.value) {
                cause.push_str(&format!(
                    "; {}'s masukan uses the printed total {}",
                    ind.id.value,
                    printed.value.normalize()
                ));
            }
            let mut inputs = Vec::new();
            if let Some(r) = &ind.realisasi {
                inputs.push((r.span, format!("{}'s inputs", ind.id.value)));
            }
            self.out.push(Finding {
                code: Code::TableTotal,
                subject: t.nama.value.clone(),
                ukuran: column.value.clone(),
                message: format!(
                    "table \"{}\", column {}: printed total {}, the rows add to {} (difference {})",
                    t.nama.value,
                    column.value,
                    printed.value.normalize(),
                    sum.normalize(),
                    signed(diff)
                ),
                printed: Some(printed.value),
                computed: Some(sum),
                at: printed.span,
                label: "printed total".into(),
                inputs,
                sumber: t.sumber.clone(),
                cause: Some(cause),
                diketahui: t.diketahui.clone(),
            });
        }
    }

    fn budget(&mut self) {
        let ws = self.ws;
        let a = &ws.anggaran;
        let h = &self.hasil.anggaran;
        for (table, rows, results) in [
            ("kegiatan", &a.kegiatan, &h.kegiatan),
            ("jenis_belanja", &a.jenis_belanja, &h.jenis_belanja),
        ] {
            for (row, result) in rows.iter().zip(results.iter()) {
                let id = budget_id(table, &result.kode, &result.nama);
                let inputs = vec![(row.pagu.span, format!("pagu and realisasi of {id}"))];
                self.printed(&id, &row.dicetak, &inputs);
                if result.realisasi > result.pagu {
                    self.out.push(Finding {
                        code: Code::OverSpent,
                        subject: id.clone(),
                        ukuran: "realisasi".into(),
                        message: format!(
                            "{id}: realisasi {} is above pagu {}",
                            result.realisasi.normalize(),
                            result.pagu.normalize()
                        ),
                        printed: None,
                        computed: Some(result.realisasi),
                        at: row.realisasi.span,
                        label: "realisasi".into(),
                        inputs: vec![(row.pagu.span, "pagu".into())],
                        sumber: None,
                        cause: Some(
                            "spending cannot exceed the allocation: check both amounts".into(),
                        ),
                        diketahui: None,
                    });
                }
            }
        }
        let total_inputs: Vec<(Span, String)> = a
            .kegiatan
            .first()
            .or(a.jenis_belanja.first())
            .map(|r| vec![(r.pagu.span, "the rows summed into the total".to_string())])
            .unwrap_or_default();
        self.printed("total", &a.dicetak_total, &total_inputs);
        // Both tables must reach the same total.
        if !h.kegiatan.is_empty() && !h.jenis_belanja.is_empty() {
            for (ukuran, k, j) in [
                (
                    "pagu",
                    crate::number::checked_sum(h.kegiatan.iter().map(|r| r.pagu)),
                    crate::number::checked_sum(h.jenis_belanja.iter().map(|r| r.pagu)),
                ),
                (
                    "realisasi",
                    crate::number::checked_sum(h.kegiatan.iter().map(|r| r.realisasi)),
                    crate::number::checked_sum(h.jenis_belanja.iter().map(|r| r.realisasi)),
                ),
            ] {
                // Totals too large to add up exactly are reported by the budget itself.
                let (Some(k), Some(j)) = (k, j) else { continue };
                if k != j {
                    let at = a
                        .jenis_belanja
                        .first()
                        .map(|r| r.pagu.span)
                        .unwrap_or(a.kegiatan[0].pagu.span);
                    self.out.push(Finding {
                        code: Code::BudgetTotals,
                        subject: "anggaran".into(),
                        ukuran: ukuran.into(),
                        message: format!(
                            "{ukuran}: the kegiatan add to {}, the jenis belanja to {} (difference {})",
                            k.normalize(),
                            j.normalize(),
                            signed(j.checked_sub(k).unwrap_or_default())
                        ),
                        printed: None,
                        computed: Some(k),
                        at,
                        label: "the jenis belanja rows".into(),
                        inputs: vec![(a.kegiatan[0].pagu.span, "the kegiatan rows".into())],
                        sumber: None,
                        cause: Some("a row is missing or mistyped in one of the two tables".into()),
                        diketahui: None,
                    });
                }
            }
        }
        self.line_items();
        // The history's entry for the report year must be this year's figure.
        if let (Some(r), Some(total)) = (
            a.riwayat.iter().find(|r| r.tahun == ws.manifest.tahun),
            h.total.as_ref().and_then(|t| t.persen),
        ) && let Some(p) = r.persen
            && at_precision(total, p.decimals) != p.value
        {
            self.out.push(Finding {
                code: Code::PrintedMismatch,
                subject: format!("riwayat: {}", r.tahun),
                ukuran: "persen".into(),
                message: format!(
                    "riwayat {}: printed {}, the year's total computes to {}",
                    r.tahun,
                    show(p.value, p.decimals),
                    show(total, p.decimals)
                ),
                printed: Some(p.value),
                computed: Some(total),
                at: p.span,
                label: "printed here".into(),
                inputs: total_inputs.clone(),
                sumber: None,
                cause: None,
                diketahui: None,
            });
        }
    }

    /// Line items must sum to their kegiatan and jenis belanja rows.
    fn line_items(&mut self) {
        let a = &self.ws.anggaran;
        if a.rincian.is_empty() {
            return;
        }
        for (table, rows, key_of) in [
            (
                "kegiatan",
                &a.kegiatan,
                (|r: &crate::model::Rincian| &r.kegiatan)
                    as fn(&crate::model::Rincian) -> &crate::yaml::Text,
            ),
            (
                "jenis_belanja",
                &a.jenis_belanja,
                |r: &crate::model::Rincian| &r.jenis_belanja,
            ),
        ] {
            for row in rows.iter() {
                let key = &row.key().value;
                let items: Vec<&crate::model::Rincian> = a
                    .rincian
                    .iter()
                    .filter(|r| &key_of(r).value == key)
                    .collect();
                if items.is_empty() {
                    continue;
                }
                for (ukuran, sum, marginal) in [
                    (
                        "pagu",
                        crate::number::checked_sum(items.iter().map(|r| r.pagu.value)),
                        row.pagu,
                    ),
                    (
                        "realisasi",
                        crate::number::checked_sum(items.iter().map(|r| r.realisasi.value)),
                        row.realisasi,
                    ),
                ] {
                    let Some(sum) = sum else { continue };
                    if sum != marginal.value {
                        self.out.push(Finding {
                            code: Code::LineItems,
                            subject: format!("{table}: {key}"),
                            ukuran: ukuran.into(),
                            message: format!(
                                "{table} {key}: {ukuran} is {}, its {} rincian lines add to {} (difference {})",
                                marginal.value.normalize(),
                                items.len(),
                                sum.normalize(),
                                marginal.value.checked_sub(sum).map_or("beyond range".into(), signed)
                            ),
                            printed: Some(marginal.value),
                            computed: Some(sum),
                            at: marginal.span,
                            label: format!("{ukuran} of the row"),
                            inputs: items.iter().map(|r| (r.pagu.span, "a rincian line".to_string())).take(3).collect(),
                            sumber: None,
                            cause: Some("a line item is missing, duplicated or mistyped".into()),
                            diketahui: None,
                        });
                    }
                }
            }
        }
    }
}

fn digits(s: &str) -> Vec<char> {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn is_transposition(a: &[char], b: &[char]) -> bool {
    if a.len() != b.len() || a == b {
        return false;
    }
    let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    diff.len() == 2
        && diff[1] == diff[0] + 1
        && a[diff[0]] == b[diff[1]]
        && a[diff[1]] == b[diff[0]]
}

fn is_subsequence(short: &[char], long: &[char]) -> bool {
    let mut it = long.iter();
    short.iter().all(|c| it.any(|x| x == c))
}

fn masukan_span(input: &Input) -> Span {
    match input {
        Input::Num(n) => n.span,
        Input::Text(t) => t.span,
        Input::List(_, s) | Input::Map(_, s) => *s,
    }
}

/// Whether any number in the indikator's formula inputs equals `value`.
fn input_uses(ind: &Indikator, value: Decimal) -> bool {
    fn any(i: &Input, v: Decimal) -> bool {
        match i {
            Input::Num(n) => n.value == v,
            Input::Text(_) => false,
            Input::List(items, _) => items.iter().any(|x| any(x, v)),
            Input::Map(entries, _) => entries.iter().any(|(_, x)| any(x, v)),
        }
    }
    match ind.realisasi.as_ref().map(|r| &r.sumber) {
        Some(SumberRealisasi::Rumus { masukan, .. }) => any(masukan, value),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_heuristics() {
        assert!(is_transposition(&digits("98.10"), &digits("98.01")));
        assert!(!is_transposition(&digits("98.01"), &digits("98.01")));
        assert!(!is_transposition(&digits("12.34"), &digits("43.21")));
        assert!(is_subsequence(&digits("113.05"), &digits("1113.05")));
    }

    #[test]
    fn differences_are_signed() {
        assert_eq!(signed(Decimal::new(23, 2)), "+0.23");
        assert_eq!(signed(Decimal::new(-2, 0)), "-2");
        assert_eq!(show(Decimal::new(708950, 4), 2), "70.90");
    }
}
