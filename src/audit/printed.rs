//! A001: every figure a report printed, against the computed one at the printed precision,
//! with a likely cause for a disagreement.

use super::finding::{Finding, at_precision, show, signed};
use super::index::Computed;
use crate::base::diagnostic::Code;
use crate::base::number::{Rounding, RoundingMode, checked_sum};
use crate::base::source::Span;
use crate::eval::{BarisHasil, Context, Figure, Hasil, HasilIndikator, HasilSasaran};
use crate::model::{
    Cetakan, CetakanKategori, Dicetak, Indikator, Periode, Riwayat, Sasaran, TabelAnggaran,
    Workspace,
};
use rust_decimal::Decimal;

/// Whether a figure printed for `periode` (`None`: the manifest's period) is audited in
/// this run: only in a run as of the period it was printed for. Compared as of another, it
/// would disagree for no fault of the report.
pub(super) fn of_this_run(ws: &Workspace, periode: Option<(Periode, Span)>) -> bool {
    let p = &ws.manifest.periode;
    p.dicetak(periode.map(|(q, _)| q)) == p.sampai()
}

/// What printed a figure.
#[derive(Clone, Copy)]
pub(super) enum Subject<'a> {
    Indikator(&'a Indikator, &'a HasilIndikator),
    Sasaran(&'a Sasaran, &'a HasilSasaran),
    Organisasi,
    /// A budget row or the total, by its id (`kegiatan: 57`, `total`).
    Anggaran(&'a str),
}

impl Subject<'_> {
    fn id(&self) -> &str {
        match self {
            Subject::Indikator(m, _) => &m.id.value,
            Subject::Sasaran(m, _) => &m.id.value,
            Subject::Organisasi => "organisasi",
            Subject::Anggaran(id) => id,
        }
    }
}

pub(super) struct Printed<'a> {
    pub(super) ctx: &'a Context<'a>,
    pub(super) hasil: &'a Hasil,
    pub(super) computed: &'a Computed,
}

impl Printed<'_> {
    /// Compares every printed figure of `subject` with the computed one.
    pub(super) fn check(
        &self,
        subject: Subject,
        dicetak: &Dicetak,
        inputs: &[(Span, String)],
        out: &mut Vec<Finding>,
    ) {
        let id = subject.id();
        let ws = self.ctx.ws;
        // Every printing is of a period (its own, else the manifest's), but a past year's.
        let riwayat = matches!(subject, Subject::Anggaran(id) if Riwayat::is_id(id));
        let now = |periode| riwayat || of_this_run(ws, periode);
        for c in dicetak.figures.iter().filter(|c| now(c.periode)) {
            let Some(computed) = self.computed.get(id, &c.ukuran.value) else {
                continue;
            };
            let d = c.nilai.decimals;
            let shown = at_precision(computed, d);
            if shown == c.nilai.value {
                continue;
            }
            let label = if matches!(subject, Subject::Organisasi) {
                c.ukuran.value.clone()
            } else {
                format!("{id} {}", c.ukuran.value)
            };
            let cause = self.cause(subject, &c.ukuran.value, c, computed);
            out.push(Finding {
                code: Code::PrintedMismatch,
                subject: id.to_string(),
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
        for c in dicetak.kategori.iter().filter(|c| now(c.periode)) {
            if let Some(f) = self.band(subject, id, c) {
                out.push(f);
            }
        }
    }

    /// The figure a printed band stands beside; `None` when it is not computed.
    fn banded<'s>(&'s self, subject: Subject<'s>, figure: &str) -> Option<&'s Figure> {
        match (subject, figure) {
            (Subject::Indikator(_, h), "realisasi") => h.realisasi.as_ref(),
            (Subject::Indikator(_, h), "capaian") => h.capaian.as_ref(),
            (Subject::Sasaran(_, h), "capaian") => h.capaian.as_ref(),
            (Subject::Organisasi, "nilai_kinerja") => self.hasil.nilai_kinerja.as_ref(),
            _ => None,
        }
    }

    /// A printed band against the band the figure's table gives the computed figure: a
    /// finding when they differ, when the printed label is no band of the table, and when no
    /// table bands the figure at all (the printed band cannot be checked).
    fn band(&self, subject: Subject, id: &str, c: &CetakanKategori) -> Option<Finding> {
        let ws = self.ctx.ws;
        let figure = c.figure();
        let f = self.banded(subject, figure)?;
        let label = if matches!(subject, Subject::Organisasi) {
            c.ukuran.value.clone()
        } else {
            format!("{id} {}", c.ukuran.value)
        };
        let printed = &c.label.value;
        let value = crate::eval::presented(ws, f.value);
        let finding = |message: String, cause: Option<String>| Finding {
            code: Code::PrintedMismatch,
            subject: id.to_string(),
            ukuran: c.ukuran.value.clone(),
            message,
            printed: None,
            computed: Some(f.value),
            at: c.label.span,
            label: "printed here".into(),
            inputs: Vec::new(),
            sumber: c.sumber.clone(),
            cause,
            diketahui: c.diketahui.clone(),
        };
        let Some(pita) = f.kategori else {
            return Some(finding(
                format!("{label}: printed `{printed}`, but no band table bands the {figure}"),
                Some(format!(
                    "the workspace names no band table for this {figure}: name the one the report used (`kategori: predikat_sakip` on the {figure}, or `kategori: {{{figure}: …}}` in kinerja.yaml)"
                )),
            ));
        };
        let tabel = ws.kategori.get(pita.tabel)?;
        let name = &tabel.nama.value;
        let Some(printed_band) = tabel.band(printed) else {
            let labels: Vec<&str> = tabel
                .tingkat
                .iter()
                .map(|t| t.label.value.as_str())
                .collect();
            return Some(finding(
                format!(
                    "{label}: printed `{printed}`, which is no band of `{name}` (its bands: {})",
                    labels.join(", ")
                ),
                None,
            ));
        };
        let Some(computed_band) = pita.tingkat else {
            return Some(finding(
                format!(
                    "{label}: printed `{printed}`, computed {value} falls in no band of `{name}`"
                ),
                None,
            ));
        };
        if computed_band == printed_band {
            return None;
        }
        let band = &tabel.tingkat[computed_band];
        let theirs = &tabel.tingkat[printed_band];
        // A band printed for the figure as printed elsewhere (`77,71 (kategori BB)` beside a
        // realisasi of 77,51) says which figure the report banded.
        let cause = self.printed_values(subject, figure).into_iter().find(|v| theirs.holds(*v)).map(|v| {
            format!(
                "`{printed}` is the band of the {figure} as printed ({}, {}): the report banded the printed figure",
                v.normalize(),
                theirs.range()
            )
        });
        Some(finding(
            format!(
                "{label}: printed `{printed}`, computed `{}` ({value} is in {}: {})",
                band.label.value,
                band.label.value,
                band.range()
            ),
            cause,
        ))
    }

    /// The values the report printed for `figure` of `subject`.
    fn printed_values(&self, subject: Subject, figure: &str) -> Vec<Decimal> {
        let dicetak = match subject {
            Subject::Indikator(m, _) => Some(&m.dicetak),
            Subject::Sasaran(m, _) => Some(&m.dicetak),
            Subject::Organisasi | Subject::Anggaran(_) => None,
        };
        let manifest =
            matches!(subject, Subject::Organisasi).then_some(&self.ctx.ws.manifest.dicetak);
        dicetak
            .or(manifest)
            .into_iter()
            .flat_map(|d| &d.figures)
            .filter(|c| c.ukuran.value == figure && of_this_run(self.ctx.ws, c.periode))
            .map(|c| c.nilai.value)
            .collect()
    }

    /// A likely cause for a printed figure that differs from the computed one.
    fn cause(
        &self,
        subject: Subject,
        ukuran: &str,
        c: &Cetakan,
        computed: Decimal,
    ) -> Option<String> {
        let id = subject.id();
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
        if let Some(cause) = self.total_method(subject, ukuran, d, p) {
            return Some(cause);
        }
        if let Some(cause) = self.share_of_realisasi(subject, ukuran, d, p) {
            return Some(cause);
        }
        // The same subject's other figure, then any other figure.
        let order = &self.computed.order;
        let mut candidates: Vec<&(String, String)> = order
            .iter()
            .filter(|(s, u)| s == id && u != ukuran)
            .collect();
        candidates.extend(order.iter().filter(|(s, _)| s != id));
        for key in candidates {
            let v = self.computed.values[key];
            if at_precision(v, d) == p {
                let (s, u) = key;
                return Some(if s == id && ukuran == "capaian" && u == "realisasi" {
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
        if !matches!(subject, Subject::Organisasi) && ukuran == "target" {
            return Some(
                "the printed target is not the target the figures were measured against".into(),
            );
        }
        None
    }

    /// For a budget row's proporsi: the share of the realisasi instead of the pagu (a report
    /// that divides what was spent), by the same share rule.
    fn share_of_realisasi(
        &self,
        subject: Subject,
        ukuran: &str,
        d: u32,
        printed: Decimal,
    ) -> Option<String> {
        let Subject::Anggaran(id) = subject else {
            return None;
        };
        if ukuran != "proporsi" {
            return None;
        }
        let m = &self.ctx.ws.anggaran;
        let row = match m.by_id(id)? {
            (TabelAnggaran::Baris, i) => &m.baris[i],
            (TabelAnggaran::JenisBelanja, i) => &m.jenis_belanja[i],
        };
        let whole = row.induk.map_or("total", |p| m.baris[p].id.as_str());
        let (part, of) = (
            self.computed.get(id, "realisasi")?,
            self.computed.get(whole, "realisasi")?,
        );
        let share = self
            .ctx
            .proporsi_anggaran(part, of, id, row.realisasi_at())
            .ok()?;
        (at_precision(share, d) == printed).then(|| {
            format!(
                "it is the share of the realisasi ({}), where kinerja's proporsi is of the pagu: the report divided what was spent",
                show(share, d)
            )
        })
    }

    /// For the budget total's %: another method of taking it from the rows that gives the
    /// printed figure (the unweighted mean of the rows' %, as printed or exact; Σ realisasi ÷
    /// Σ pagu), with the rule that states it.
    fn total_method(
        &self,
        subject: Subject,
        ukuran: &str,
        d: u32,
        printed: Decimal,
    ) -> Option<String> {
        let Subject::Anggaran(id) = subject else {
            return None;
        };
        if ukuran != "persen" {
            return None;
        }
        let a = &self.hasil.anggaran;
        let m = &self.ctx.ws.anggaran;
        // The rows the figure is taken from: the total's, or a row's rows under it.
        let (rows, whose): (Vec<&BarisHasil>, String) = if id == "total" {
            let (table, basis) = m.basis();
            let results = match table {
                TabelAnggaran::Baris => &a.baris,
                TabelAnggaran::JenisBelanja => &a.jenis_belanja,
            };
            (
                basis.iter().map(|&i| &results[i]).collect(),
                "the total".into(),
            )
        } else {
            match m.by_id(id) {
                Some((TabelAnggaran::Baris, i)) if !m.baris[i].anak.is_empty() => (
                    m.baris[i].anak.iter().map(|&c| &a.baris[c]).collect(),
                    format!("{id}'s %"),
                ),
                _ => return None,
            }
        };
        let current = &self.ctx.ws.manifest.rumus.persen_total.name;
        if let Some(cause) = mean_of_rows(&rows, d, printed, "the rows'", current)
            .map(|how| {
                format!(
                    "it is {how}, where {whose} is Σ realisasi ÷ Σ pagu; if that is the report's method, say so: `rumus: {{persen_total: rata_rata_persen}}` in kinerja.yaml"
                )
            })
        {
            return Some(cause);
        }
        // A mean over the rows further down (the sub kegiatan of a programme), skipping the
        // levels between: no rule of a row's own rows gives that.
        if let Some((level, leaves)) = self.leaves(id) {
            let rows: Vec<&BarisHasil> = leaves.iter().map(|&i| &a.baris[i]).collect();
            let label = format!("the {level} rows'");
            if let Some(how) = mean_of_rows(&rows, d, printed, &label, "") {
                return Some(format!(
                    "it is {how}, over the {level} rows directly rather than the rows under it; no rule of a row's own rows gives that, so correct the figure or record it as known (`diketahui`)"
                ));
            }
            let as_printed: Option<Vec<Decimal>> = leaves
                .iter()
                .map(|&i| printed_persen(&m.baris[i].dicetak))
                .collect();
            if let Some(values) = as_printed
                && let Some(v) = mean(&values)
                && at_precision(v, d) == printed
            {
                let list: Vec<String> = values.iter().map(|v| v.normalize().to_string()).collect();
                return Some(format!(
                    "it is the unweighted mean of the {level} rows' % as the report printed them ({}), over the {level} rows directly: a printed % that is wrong carries into it",
                    list.join(", ")
                ));
            }
        }
        let pagu = checked_sum(rows.iter().map(|r| r.pagu));
        let realisasi = checked_sum(rows.iter().map(|r| r.realisasi));
        if let (Some(pagu), Some(realisasi)) = (pagu, realisasi)
            && !pagu.is_zero()
            && current != "persen_total_pagu"
            && let Some(v) = realisasi
                .checked_div(pagu)
                .and_then(|q| q.checked_mul(Decimal::ONE_HUNDRED))
            && at_precision(v, d) == printed
        {
            return Some(format!(
                "it is Σ realisasi ÷ Σ pagu ({}), the pagu-weighted {}; if that is the report's method, say so: `rumus: {{persen_total: persen_total_pagu}}` in kinerja.yaml",
                show(v, d),
                if id == "total" {
                    "total"
                } else {
                    "% of the rows under it"
                }
            ));
        }
        None
    }

    /// The rows at the bottom of the hierarchy under `id` (a row, or the total), with their
    /// level as people read it, when they are not the rows directly under it and are all of
    /// one level (a programme's sub kegiatan).
    fn leaves(&self, id: &str) -> Option<(String, Vec<usize>)> {
        let m = &self.ctx.ws.anggaran;
        let top: Vec<usize> = if id == "total" {
            match m.basis() {
                (TabelAnggaran::Baris, roots) => roots,
                _ => return None,
            }
        } else {
            match m.by_id(id) {
                Some((TabelAnggaran::Baris, i)) => m.baris[i].anak.clone(),
                _ => return None,
            }
        };
        let mut leaves = Vec::new();
        let mut stack: Vec<usize> = top.iter().rev().copied().collect();
        while let Some(i) = stack.pop() {
            let row = &m.baris[i];
            if row.anak.is_empty() {
                leaves.push(i);
            } else {
                stack.extend(row.anak.iter().rev());
            }
        }
        let level = m.baris.get(*leaves.first()?)?.tingkat;
        if leaves == top || leaves.iter().any(|&i| m.baris[i].tingkat != level) {
            return None;
        }
        let name = self.ctx.ws.manifest.tingkat.get(level)?;
        Some((crate::model::level_title(name), leaves))
    }

    /// The figure recomputed from inputs rounded to `decimals`, by the same rules: how a
    /// spreadsheet that rounds every cell would compute it.
    fn staged(&self, subject: Subject, ukuran: &str, decimals: u32) -> Option<Decimal> {
        let round = |v: Decimal| at_precision(v, decimals);
        let ctx = self.ctx;
        let ws = ctx.ws;
        match (subject, ukuran) {
            (Subject::Indikator(model, result), "capaian") => {
                let r = round(result.realisasi.as_ref()?.value);
                let t = result.target?;
                let at = model.target.span.unwrap_or(model.id.span);
                ctx.capaian(model, r, t, at).ok()
            }
            (Subject::Sasaran(model, result), "capaian") => {
                let values: Option<Vec<Decimal>> = result
                    .anggota
                    .iter()
                    .map(|i| {
                        self.hasil.indikator[*i]
                            .capaian
                            .as_ref()
                            .map(|c| round(c.value))
                    })
                    .collect();
                let ids: Vec<&str> = result
                    .anggota
                    .iter()
                    .map(|i| ws.indikator[*i].id.value.as_str())
                    .collect();
                // The weights as evaluation used them, where every indikator has one.
                let bobot: Option<Vec<Decimal>> = result
                    .anggota
                    .iter()
                    .map(|i| ws.indikator[*i].bobot.map(|b| b.value))
                    .collect();
                ctx.sasaran(model, &values?, bobot.as_deref(), &ids).ok()
            }
            // From the indikator's capaian where they roll up directly, else from the
            // sasaran's; with the weights evaluation used, where every member has one.
            (Subject::Organisasi, "nilai_kinerja") => match &self.hasil.langsung {
                Some(l) => {
                    let values: Option<Vec<Decimal>> = l
                        .anggota
                        .iter()
                        .map(|i| {
                            self.hasil.indikator[*i]
                                .capaian
                                .as_ref()
                                .map(|c| round(c.value))
                        })
                        .collect();
                    let bobot: Option<Vec<Decimal>> = l
                        .anggota
                        .iter()
                        .map(|i| ws.indikator[*i].bobot.map(|b| b.value))
                        .collect();
                    let ids: Vec<&str> = l
                        .anggota
                        .iter()
                        .map(|i| ws.indikator[*i].id.value.as_str())
                        .collect();
                    ctx.nilai_kinerja(&values?, bobot.as_deref(), &ids).ok()
                }
                None => {
                    let (values, bobot): (Vec<Decimal>, Vec<Option<Decimal>>) = ws
                        .sasaran
                        .iter()
                        .zip(&self.hasil.sasaran)
                        .filter_map(|(m, s)| {
                            s.capaian
                                .as_ref()
                                .map(|c| (round(c.exact), m.bobot.map(|b| b.value)))
                        })
                        .unzip();
                    let bobot: Option<Vec<Decimal>> = bobot.into_iter().collect();
                    let ids: Vec<&str> = ws.sasaran.iter().map(|s| s.id.value.as_str()).collect();
                    ctx.nilai_kinerja(&values, bobot.as_deref(), &ids).ok()
                }
            },
            _ => None,
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

/// The unweighted mean of `values`; `None` for none, or beyond range.
fn mean(values: &[Decimal]) -> Option<Decimal> {
    if values.is_empty() {
        return None;
    }
    checked_sum(values.iter().copied())?.checked_div(Decimal::from(values.len()))
}

/// Which unweighted mean of `rows`' % gives `printed` at its `d` decimals: of the % exact,
/// or rounded as printed; `None` when neither does, or when the workspace's rule (`current`)
/// is that mean already.
fn mean_of_rows(
    rows: &[&BarisHasil],
    d: u32,
    printed: Decimal,
    label: &str,
    current: &str,
) -> Option<String> {
    if current == "rata_rata_persen" {
        return None;
    }
    let persen: Vec<Decimal> = rows.iter().map(|r| r.persen).collect::<Option<_>>()?;
    let rounded: Vec<Decimal> = persen.iter().map(|v| at_precision(*v, d)).collect();
    for (values, how) in [
        (persen, format!("the unweighted mean of {label} %")),
        (
            rounded,
            format!("the unweighted mean of {label} % as printed"),
        ),
    ] {
        if let Some(v) = mean(&values)
            && at_precision(v, d) == printed
        {
            return Some(format!("{how} ({})", show(v, d)));
        }
    }
    None
}

/// The % a row's printings give, the first where several do.
fn printed_persen(dicetak: &Dicetak) -> Option<Decimal> {
    dicetak
        .figures
        .iter()
        .find(|c| c.ukuran.value == "persen")
        .map(|c| c.nilai.value)
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
}
