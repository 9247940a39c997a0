//! `kinerja explain ID`: where a figure comes from, as a tree of inputs (with file:line),
//! rules (with file:line), intermediate results at full precision and as presented, and the
//! rounding applied at each stage. The tree is data; the `report` layer renders it.

use crate::base::diagnostic::did_you_mean;
use crate::base::number::{Rounding, checked_sum, fixed_text};
use crate::base::source::Span;
use crate::eval::{BarisHasil, Figure, Hasil, HasilIndikator, HasilSasaran, NilaiPeriode, calls};
use crate::model::{
    BarisAnggaran, Berkala, Indikator, Input, JenisPerubahan, Kronologi, Langkah, NilaiTarget, Num,
    Posisi, Sasaran, SumberRealisasi, TabelAnggaran, TargetAngka, TargetSource, Workspace,
};

use crate::eval::BELUM_JATUH_TEMPO;
use crate::rules::RuleSet;
use rust_decimal::Decimal;

/// One step of a computation.
#[derive(Clone, Debug, Default)]
pub(crate) struct Step {
    /// What this step is: `capaian`, `realisasi`, `rule rasio(m)`, `n`, …
    pub(crate) label: String,
    /// The value as presented.
    pub(crate) shown: Option<String>,
    /// The value at full precision, when it differs from what is shown.
    pub(crate) exact: Option<String>,
    /// The rounding applied at this stage, if any.
    pub(crate) rounding: Option<String>,
    /// `file:line:col` where it is written.
    pub(crate) at: Option<String>,
    pub(crate) children: Vec<Step>,
}

impl Step {
    fn new(label: impl Into<String>) -> Step {
        Step {
            label: label.into(),
            ..Step::default()
        }
    }

    fn child(mut self, c: Step) -> Step {
        self.children.push(c);
        self
    }
}

struct Explainer<'a> {
    ws: &'a Workspace,
    rules: &'a RuleSet,
    hasil: &'a Hasil,
    presentation: Rounding,
}

/// Everything `explain` accepts as an id, for suggestions.
pub(crate) fn known_ids(ws: &Workspace, hasil: &Hasil) -> Vec<String> {
    let mut ids = Vec::new();
    fn ind(i: &Indikator, ids: &mut Vec<String>) {
        ids.push(i.id.value.clone());
        for k in &i.komponen {
            ind(k, ids);
        }
    }
    for i in &ws.indikator {
        ind(i, &mut ids);
    }
    ids.extend(ws.sasaran.iter().map(|s| s.id.value.clone()));
    if hasil.nilai_kinerja.is_some() {
        ids.push("nilai_kinerja".into());
    }
    let a = &ws.anggaran;
    ids.extend(a.baris.iter().chain(&a.jenis_belanja).map(|r| r.id.clone()));
    if hasil.anggaran.total.is_some() {
        ids.push("total".into());
    }
    ids.extend(a.riwayat.iter().map(|r| format!("riwayat: {}", r.tahun)));
    ids
}

/// What to tell a planner who asked for `id`, which names no figure of this workspace:
/// why, where the workspace lacks what the id needs (a budget for `total`, indikator for
/// `nilai_kinerja`), and otherwise the closest id it has. Never the refused id itself.
pub(crate) fn unknown_id_hint(ws: &Workspace, hasil: &Hasil, id: &str) -> String {
    let ids = known_ids(ws, hasil);
    let a = &ws.anggaran;
    let isi = ws.isi();
    let lacks = match id {
        "total" if !isi.anggaran => Some(
            "this workspace has no budget (no kegiatan or jenis belanja under budgets/), so it has no `total`",
        ),
        "total" if a.is_empty() => Some(
            "this workspace's budget has only its history (riwayat), no kegiatan or jenis belanja, so it has no `total`",
        ),
        "total" => Some("the budget's total could not be computed (`kinerja check` says why)"),
        "nilai_kinerja" if !isi.indikator => Some(
            "this workspace has no indikator (a budget-only workspace), so it has no `nilai_kinerja` (the rollup of the indikator's capaian)",
        ),
        "nilai_kinerja" => Some("`nilai_kinerja` could not be computed (`kinerja check` says why)"),
        _ => None,
    };
    match (lacks, closest(id, &ids)) {
        (Some(lacks), _) => format!("{lacks}; {}", what_there_is(ws, &ids)),
        (None, Some(s)) => format!("did you mean `{s}`?"),
        (None, None) => what_there_is(ws, &ids),
    }
}

/// The id of `ids` closest to `id`, for "did you mean": never `id` itself, which a caller
/// asks about because it names no figure (a list of ids may still hold it by name).
fn closest<'a>(id: &str, ids: &'a [String]) -> Option<&'a str> {
    did_you_mean(id, ids.iter().map(String::as_str).filter(|c| *c != id))
}

/// The kinds of id this workspace has, with an example of each.
fn what_there_is(ws: &Workspace, ids: &[String]) -> String {
    let mut kinds = Vec::new();
    if let Some(i) = ws.indikator.first() {
        kinds.push(format!("an indikator id (`{}`, …)", i.id.value));
    }
    if let Some(s) = ws.sasaran.first() {
        kinds.push(format!("a sasaran id (`{}`, …)", s.id.value));
    }
    for special in ["nilai_kinerja", "total"] {
        if ids.iter().any(|i| i == special) {
            kinds.push(format!("`{special}`"));
        }
    }
    let a = &ws.anggaran;
    if let Some(r) = a.first() {
        kinds.push(format!(
            "a budget row's kode or nama (`{}`, …)",
            r.key().value
        ));
    }
    match kinds.split_last() {
        None => "this workspace has no figures to explain".to_string(),
        Some((last, [])) => format!("the ids here are {last}"),
        Some((last, [first])) => format!("the ids here are {first} or {last}"),
        Some((last, rest)) => format!("the ids here are {}, or {last}", rest.join(", ")),
    }
}

/// The computation of `id`, or `None` if no figure has that id.
pub(crate) fn explain(ws: &Workspace, rules: &RuleSet, hasil: &Hasil, id: &str) -> Option<Step> {
    let e = Explainer {
        ws,
        rules,
        hasil,
        presentation: ws.manifest.tampilan.rounding,
    };
    if id == "nilai_kinerja" {
        return e.nilai_kinerja();
    }
    if let Some((model, result)) = find_indikator(ws, hasil, id) {
        return Some(e.indikator(model, result));
    }
    if let Some(n) = ws.sasaran.iter().position(|s| s.id.value == id) {
        return Some(e.sasaran(&ws.sasaran[n], &hasil.sasaran[n]));
    }
    e.budget(id)
}

/// An indikator (a komponen included) by id, with its result.
fn find_indikator<'a>(
    ws: &'a Workspace,
    hasil: &'a Hasil,
    id: &str,
) -> Option<(&'a Indikator, &'a HasilIndikator)> {
    fn find<'a>(
        models: &'a [Indikator],
        results: &'a [HasilIndikator],
        id: &str,
    ) -> Option<(&'a Indikator, &'a HasilIndikator)> {
        models.iter().zip(results).find_map(|(m, r)| {
            if m.id.value == id {
                Some((m, r))
            } else {
                find(&m.komponen, &r.komponen, id)
            }
        })
    }
    ws.indikator
        .iter()
        .zip(&hasil.indikator)
        .find_map(|(m, r)| find(std::slice::from_ref(&**m), std::slice::from_ref(r), id))
}

impl Explainer<'_> {
    fn at(&self, span: Span) -> Option<String> {
        Some(self.ws.sources.location(span))
    }

    fn value(&self, mut step: Step, v: Decimal) -> Step {
        let shown = self.presentation.apply(v);
        step.shown = Some(fixed_text(shown, self.presentation.decimals));
        if shown != v {
            step.exact = Some(v.normalize().to_string());
        }
        step
    }

    /// A target: one number, or a range (`80.00–90.00`) with the bound `realisasi` is
    /// measured against (PermenPANRB: above the range the upper, below it the lower).
    fn target(&self, step: Step, t: TargetAngka, realisasi: Option<Decimal>) -> Step {
        let TargetAngka::Rentang { min, maks } = t else {
            return self.value(step, t.min());
        };
        let shown = |v: Decimal| fixed_text(self.presentation.apply(v), self.presentation.decimals);
        let mut step = step;
        step.shown = Some(t.text(shown));
        let Some(r) = realisasi else {
            return step;
        };
        let bound = match t.posisi(r) {
            Some(Posisi::Atas) => {
                self.value(Step::new("above the range: measured against maks"), maks)
            }
            Some(Posisi::Bawah) => {
                self.value(Step::new("below the range: measured against min"), min)
            }
            _ => {
                let mut inside = Step::new(format!(
                    "inside the range: realisasi {} reaches the target",
                    shown(r)
                ));
                inside.shown = None;
                inside
            }
        };
        step.child(bound)
    }

    fn amount(&self, mut step: Step, v: Decimal) -> Step {
        step.shown = Some(v.normalize().to_string());
        step
    }

    fn count(&self, label: &str, n: usize) -> Step {
        let mut step = Step::new(label);
        step.shown = Some(n.to_string());
        step
    }

    fn figure(&self, label: &str, f: &Figure) -> Step {
        let mut step = self.value(Step::new(label), f.value);
        if let Some(r) = f.rounded {
            step.rounding = Some(format!("rounded at this stage to {r}"));
            if f.exact != f.value {
                step.exact = Some(f.exact.normalize().to_string());
            }
        }
        step
    }

    /// A figure's band (`kategori realisasi = BB`), with the rule that looked it up and the
    /// table it was looked up in, every band with its values; `None` when no table bands
    /// the figure.
    fn kategori(&self, ukuran: &str, f: &Figure) -> Option<Step> {
        let pita = f.kategori?;
        let table = self.ws.kategori.get(pita.tabel)?;
        let band = pita.tingkat.and_then(|i| table.tingkat.get(i));
        let mut step = Step::new(format!("kategori {ukuran}"));
        step.shown = Some(match band {
            Some(t) => match &t.keterangan {
                Some(k) => format!("{} ({k})", t.label.value),
                None => t.label.value.clone(),
            },
            None => "in no band".into(),
        });
        step = step.child(self.rule(&calls::kategori_rule(&self.ws.manifest, table).name));
        let mut label = format!("tabel {}", table.nama.value);
        if let Some(j) = &table.judul {
            label.push_str(&format!(" — {j}"));
        }
        if let Some(s) = &table.sumber {
            label.push_str(&format!(" ({s})"));
        }
        let mut tabel = Step::new(label);
        tabel.at = self.at(table.nama.span);
        for (i, t) in table.tingkat.iter().enumerate() {
            let chosen = pita.tingkat == Some(i);
            let mut b = Step::new(format!(
                "{}: {}{}",
                t.label.value,
                t.range(),
                if chosen { "  ← this band" } else { "" }
            ));
            b.at = self.at(t.label.span);
            tabel.children.push(b);
        }
        Some(step.child(tabel))
    }

    /// A rule, with its signature and where it is defined.
    fn rule(&self, name: &str) -> Step {
        let mut step = Step::new(format!("rule {name}"));
        if let Some(info) = self.rules.get(name).and_then(|m| m.values().next()) {
            step.label = format!("rule {}", info.signature());
            step.at = self.at(info.span);
        }
        step
    }

    fn indikator(&self, model: &Indikator, result: &HasilIndikator) -> Step {
        let name = format!("{} — {}", model.id.value, model.nama);
        let mut root = Step::new(format!("{} capaian — {}", model.id.value, model.nama));
        if let Some(c) = &result.capaian {
            let f = self.figure("", c);
            root.shown = f.shown;
            root.exact = f.exact;
            root.rounding = f.rounding;
            if let Some(rule) = &c.rule {
                root = root.child(self.rule(rule));
            }
            if let Some(k) = self.kategori("capaian", c) {
                root = root.child(k);
            }
        } else {
            root.label = name;
        }
        if let Some(r) = &result.realisasi {
            root = root.child(self.realisasi(r, model, result));
        }
        let realisasi = result.realisasi.as_ref().map(|r| r.value);
        let (tahun, sampai) = (self.ws.manifest.tahun, self.ws.manifest.periode.sampai());
        if let Some(t) = result.target {
            let mut step = self.target(Step::new("target"), t, realisasi);
            if let Some((source, n)) = model.target.as_of(tahun, sampai) {
                step.label = match source {
                    TargetSource::Pk => "target (PK)".to_string(),
                    TargetSource::Renstra(year) => format!("target (Renstra {year})"),
                    TargetSource::Periode(p) => format!("target (PK, {})", p.kode()),
                    TargetSource::Revisi { ke, periode } => {
                        let nama = model.target.revisi.get(ke).map(|r| r.nama());
                        let nama = nama.unwrap_or_default();
                        match periode {
                            Some(p) => format!("target ({nama}, {})", p.kode()),
                            None => format!("target ({nama})"),
                        }
                    }
                };
                step.at = self.at(n.span());
            }
            if let Some(chain) = self.revisi(model) {
                step = step.child(chain);
            }
            root = root.child(step);
        } else if result.target_belum_ditetapkan {
            let mut step = Step::new(format!("target belum ditetapkan as of {}", sampai.kode()));
            step.at = model.target.span.and_then(|s| self.at(s));
            if let Some(chain) = self.revisi(model) {
                step = step.child(chain);
            }
            root = root.child(step);
        }
        if let Some(jm) = &result.jangka_menengah {
            let mut step = self.figure(
                &format!("capaian against the Renstra {} target", jm.tahun),
                &jm.capaian,
            );
            let mut t = self.target(
                Step::new(format!("target Renstra {}", jm.tahun)),
                jm.target,
                realisasi,
            );
            t.at = model
                .target
                .renstra
                .get(jm.tahun)
                .and_then(|n| self.at(n.span()));
            step = step.child(t);
            root = root.child(step);
        }
        for (k, r) in model.komponen.iter().zip(&result.komponen) {
            let mut ks = self.indikator(k, r);
            ks.label = format!("komponen {}", ks.label);
            root = root.child(ks);
        }
        root
    }

    /// The dated revisions of an indikator's target, each with its value, document, source
    /// and place, and which is in force at the period reported; `None` without revisions.
    fn revisi(&self, model: &Indikator) -> Option<Step> {
        let target = &model.target;
        if target.revisi.is_empty() {
            return None;
        }
        let (tahun, sampai) = (self.ws.manifest.tahun, self.ws.manifest.periode.sampai());
        let berlaku = target.revisi_pada(tahun, sampai).map(|(ke, _)| ke);
        let mut chain = Step::new(format!(
            "revisi: the latest dated on or before the end of {} is in force",
            sampai.nama()
        ));
        let shown = |v| fixed_text(self.presentation.apply(v), self.presentation.decimals);
        for (ke, r) in target.revisi.iter().enumerate() {
            let mut label = r.tanggal.kode();
            if let Some(d) = &r.dokumen {
                label.push_str(&format!(" {}", d.value));
            }
            if berlaku == Some(ke) {
                label.push_str(" (in force)");
            }
            let mut step = Step::new(label);
            step.shown = r.pk.as_ref().map(|t| t.angka().text(shown));
            step.at = self.at(r.pk.as_ref().map_or(r.span, NilaiTarget::span));
            for (p, at, t) in &r.per_periode.nilai {
                let mut s = Step::new(p.kode());
                s.shown = Some(t.angka().text(shown));
                s.at = self.at(*at);
                step.children.push(s);
            }
            for (what, text) in [("sumber", &r.sumber), ("keterangan", &r.keterangan)] {
                if let Some(t) = text {
                    step.children
                        .push(Step::new(format!("{what}: {}", t.value)));
                }
            }
            chain.children.push(step);
        }
        Some(chain)
    }

    fn realisasi(&self, r: &Figure, model: &Indikator, result: &HasilIndikator) -> Step {
        let mut step = self.figure("realisasi", r);
        if let Some(k) = self.kategori("realisasi", r) {
            step = step.child(k);
        }
        let Some(m) = &model.realisasi else {
            return step;
        };
        match &m.sumber {
            SumberRealisasi::Nilai(n) => {
                step.label = "realisasi (given)".into();
                step.at = self.at(n.span);
            }
            SumberRealisasi::Rumus { rumus, masukan } => {
                step = step.child(self.rule(&rumus.name));
                let mut inputs = Step::new("masukan");
                inputs.at = self.at(masukan.span());
                self.inputs(masukan, "", &mut inputs);
                step = step.child(inputs);
            }
            SumberRealisasi::PerPeriode(pp) => {
                let sampai = self.ws.manifest.periode.sampai();
                step.label = format!("realisasi as of {}", sampai.kode());
                if let Some(rule) = &r.rule {
                    step = step.child(self.rule(rule));
                }
                let mut values = Step::new("per_periode");
                values.at = self.at(m.span);
                for (p, at, n) in pp.sampai(sampai) {
                    let mut s = Step::new(p.kode());
                    s.shown = Some(n.value.normalize().to_string());
                    s.at = self.at(*at);
                    values.children.push(s);
                }
                step = step.child(values);
            }
            SumberRealisasi::RumusPerPeriode { rumus, masukan } => {
                let sampai = self.ws.manifest.periode.sampai();
                step.label = format!("realisasi as of {}", sampai.kode());
                if let Some(rule) = &r.rule {
                    step = step.child(self.rule(rule));
                }
                let mut values = Step::new("per_periode");
                values.at = self.at(m.span);
                // Each period's value by the rule, from its inputs.
                for (p, at, input) in masukan.sampai(sampai) {
                    let mut s = Step::new(p.kode());
                    if let Some((_, v)) = result.per_periode.iter().find(|(q, _)| q == p) {
                        s = self.value(s, *v);
                    }
                    s.at = self.at(*at);
                    s = s.child(self.rule(&rumus.name));
                    let mut inputs = Step::new("masukan");
                    inputs.at = self.at(input.span());
                    self.inputs(input, "", &mut inputs);
                    values.children.push(s.child(inputs));
                }
                step = step.child(values);
            }
        }
        step
    }

    fn inputs(&self, input: &Input, path: &str, into: &mut Step) {
        match input {
            Input::Num(n) => {
                let mut s = Step::new(path.to_string());
                s.shown = Some(n.value.normalize().to_string());
                s.at = self.at(n.span);
                into.children.push(s);
            }
            Input::Text(t) => {
                let mut s = Step::new(path.to_string());
                s.shown = Some(t.value.clone());
                s.at = self.at(t.span);
                into.children.push(s);
            }
            Input::List(items, _) => {
                for (n, item) in items.iter().enumerate() {
                    self.inputs(item, &format!("{path}[{n}]"), into);
                }
            }
            Input::Map(entries, _) => {
                for (k, v) in entries {
                    let p = if path.is_empty() {
                        k.to_string()
                    } else {
                        format!("{path}.{k}")
                    };
                    self.inputs(v, &p, into);
                }
            }
        }
    }

    fn sasaran(&self, model: &Sasaran, s: &HasilSasaran) -> Step {
        let mut root = Step::new(format!("{} capaian — {}", model.id.value, model.nama));
        root.at = self.at(model.id.span);
        if let Some(c) = &s.capaian {
            let f = self.figure("", c);
            root.shown = f.shown;
            root.exact = f.exact;
            root.rounding = f.rounding;
        }
        // The rule that computed the capaian, or the one that would have.
        let rule = match s.capaian.as_ref().and_then(|c| c.rule.as_deref()) {
            Some(rule) => rule,
            None => &calls::sasaran_rule(&self.ws.manifest, model).name,
        };
        let weights: Vec<Option<&Num>> = s
            .anggota
            .iter()
            .map(|i| self.ws.indikator[*i].bobot.as_ref())
            .collect();
        root = root.child(self.rollup_rule(rule, &weights));
        if let Some(k) = s.capaian.as_ref().and_then(|c| self.kategori("capaian", c)) {
            root = root.child(k);
        }
        root = root
            .child(self.count("indikator tercapai (capaian ≥ 100)", s.tercapai))
            .child(self.count("indikator belum tercapai", s.belum_tercapai));
        let weighted = self.weighted(rule, &weights);
        for (&i, b) in s.anggota.iter().zip(&weights) {
            let mut step = self.indikator(&self.ws.indikator[i], &self.hasil.indikator[i]);
            if let Some(b) = self.bobot(*b, &model.id.value, rule, weighted) {
                step.children.insert(0, b);
            }
            root = root.child(step);
        }
        root
    }

    /// Whether a rollup by `rule` of members with `weights` weighs them.
    fn weighted(&self, rule: &str, weights: &[Option<&Num>]) -> bool {
        calls::rollup_form(self.rules, rule, weights.iter().any(Option::is_some))
            .is_some_and(|f| f.weighted)
    }

    /// A rollup's rule; for a weighted one, what its members' weights add up to.
    fn rollup_rule(&self, rule: &str, weights: &[Option<&Num>]) -> Step {
        let mut step = self.rule(rule);
        if self.weighted(rule, weights) {
            let sum = checked_sum(weights.iter().flatten().map(|b| b.value));
            let mut total = Step::new(format!(
                "Σ bobot (they add up to {})",
                self.ws.manifest.bobot.jumlah.normalize()
            ));
            total.shown = sum.map(|v| v.normalize().to_string());
            total.at = self.ws.manifest.bobot.span.and_then(|s| self.at(s));
            step = step.child(total);
        }
        step
    }

    /// A member's weight in the rollup of `whose` by `rule`; `None` when it has none.
    fn bobot(&self, b: Option<&Num>, whose: &str, rule: &str, weighted: bool) -> Option<Step> {
        let b = b?;
        let mut step = Step::new(if weighted {
            format!("bobot in {whose}")
        } else {
            format!("bobot in {whose} (not used: `{rule}` takes no weights)")
        });
        step.shown = Some(b.value.normalize().to_string());
        step.at = self.at(b.span);
        Some(step)
    }

    fn nilai_kinerja(&self) -> Option<Step> {
        let n = self.hasil.nilai_kinerja.as_ref()?;
        let mut root = self.figure(
            &format!("nilai kinerja — {}", self.ws.manifest.organisasi),
            n,
        );
        let rule = n
            .rule
            .as_deref()
            .unwrap_or(&calls::nilai_kinerja_rule(&self.ws.manifest).name);
        // The members' weights: every indikator's where they roll up directly, else every
        // sasaran's.
        let weights: Vec<Option<&Num>> = match &self.hasil.langsung {
            Some(l) => l
                .anggota
                .iter()
                .map(|i| self.ws.indikator[*i].bobot.as_ref())
                .collect(),
            None => self.ws.sasaran.iter().map(|s| s.bobot.as_ref()).collect(),
        };
        root = root.child(self.rollup_rule(rule, &weights));
        if let Some(k) = self.kategori("capaian", n) {
            root = root.child(k);
        }
        let weighted = self.weighted(rule, &weights);
        let weighed = |mut step: Step, b: &Option<&Num>| {
            if let Some(b) = self.bobot(*b, "the nilai kinerja", rule, weighted) {
                step.children.insert(0, b);
            }
            step
        };
        match &self.hasil.langsung {
            // Without sasaran: from the indikator's capaian, which it counts as a sasaran
            // counts its own.
            Some(l) => {
                root = root
                    .child(self.count("indikator tercapai (capaian ≥ 100)", l.tercapai))
                    .child(self.count("indikator belum tercapai", l.belum_tercapai));
                for (&i, b) in l.anggota.iter().zip(&weights) {
                    let step = self.indikator(&self.ws.indikator[i], &self.hasil.indikator[i]);
                    root = root.child(weighed(step, b));
                }
            }
            None => {
                for ((model, s), b) in self
                    .ws
                    .sasaran
                    .iter()
                    .zip(&self.hasil.sasaran)
                    .zip(&weights)
                {
                    root = root.child(weighed(self.sasaran(model, s), b));
                }
            }
        }
        Some(root)
    }

    fn budget(&self, id: &str) -> Option<Step> {
        let a = &self.hasil.anggaran;
        let m = &self.ws.anggaran;
        let levels = &self.ws.manifest.tingkat;
        if id == "total" {
            let t = a.total.as_ref()?;
            let (table, basis) = m.basis();
            let name = match table {
                TabelAnggaran::Baris => levels[m.baris[basis[0]].tingkat].as_str(),
                TabelAnggaran::JenisBelanja => "jenis_belanja",
            };
            let mut root = Step::new("total anggaran");
            let (pagu, realisasi) = self.sums(name, table, &basis, t);
            let rule = &calls::persen_total_rule(&self.ws.manifest).name;
            root = root.child(self.percent_and_sisa(rule, t.persen, t.sisa, pagu, realisasi));
            let mut root = self.with_periode(root, None, t);
            root.children.extend(self.kronologi(
                &m.kronologi_total,
                t.pagu_tahun(None, &self.ws.manifest.periode),
            ));
            return Some(root);
        }
        for (table, rows, models) in [
            (TabelAnggaran::Baris, &a.baris, &m.baris),
            (
                TabelAnggaran::JenisBelanja,
                &a.jenis_belanja,
                &m.jenis_belanja,
            ),
        ] {
            for (row, model) in rows.iter().zip(models.iter()) {
                let full = &model.id;
                if id != full
                    && (model.kode().is_empty() || id != model.kode())
                    && !id.eq_ignore_ascii_case(&model.nama.value)
                {
                    continue;
                }
                let root = Step::new(format!("{full} — {}", model.nama.value));
                if table == TabelAnggaran::Baris && !model.anak.is_empty() {
                    let child = levels[m.baris[model.anak[0]].tingkat].as_str();
                    let (mut pagu, mut realisasi) = self.sums(child, table, &model.anak, row);
                    // Amounts the row gives stand; the sum of its rows is checked against them.
                    if let Some(n) = model.pagu {
                        pagu.label = format!(
                            "pagu ({}; Σ {child} is checked against it)",
                            given_by(model)
                        );
                        pagu.at = self.at(n.span);
                    }
                    if let Some(n) = model.realisasi {
                        realisasi.label = format!(
                            "realisasi ({}; Σ {child} is checked against it)",
                            given_by(model)
                        );
                        realisasi.at = self.at(n.span);
                    }
                    // Its % is its rows' by the total's rule, unless its own amounts are not
                    // their sum: then by the row rule, from its own amounts (eval::budget).
                    let results = &self.hasil.anggaran.baris;
                    let of_rows = checked_sum(model.anak.iter().map(|&c| results[c].pagu))
                        == Some(row.pagu)
                        && checked_sum(model.anak.iter().map(|&c| results[c].realisasi))
                            == Some(row.realisasi);
                    let rule = if of_rows {
                        &calls::persen_total_rule(&self.ws.manifest).name
                    } else {
                        &calls::persen_rule(&self.ws.manifest).name
                    };
                    let group = self.percent_and_sisa(rule, row.persen, row.sisa, pagu, realisasi);
                    let step = self.with_share(root.child(group), model, row);
                    let mut step = self.with_periode(step, Some(model), row);
                    step.children.extend(self.kronologi(
                        &model.kronologi,
                        row.pagu_tahun(model.pagu, &self.ws.manifest.periode),
                    ));
                    return Some(step);
                }
                let in_force = row.periode.as_ref().is_some_and(|p| p.kronologi.is_some());
                let label = if in_force {
                    format!(
                        "pagu (in force at {})",
                        self.ws.manifest.periode.sampai().kode()
                    )
                } else if model.pagu_dari_kronologi() {
                    "pagu (its chronology's final pagu)".to_string()
                } else {
                    "pagu".to_string()
                };
                let mut pagu = self.amount(Step::new(label), row.pagu);
                pagu.at = self.at(model.pagu_at());
                let mut realisasi = self.amount(Step::new("realisasi"), row.realisasi);
                realisasi.at = self.at(model.realisasi_at());
                if row.periode.as_ref().is_some_and(|p| p.belum_jatuh_tempo) {
                    realisasi.shown = Some(BELUM_JATUH_TEMPO.into());
                }
                let rule = &calls::persen_rule(&self.ws.manifest).name;
                let group = self.percent_and_sisa(rule, row.persen, row.sisa, pagu, realisasi);
                let step = self.with_share(root.child(group), model, row);
                let mut step = self.with_periode(step, Some(model), row);
                step.children.extend(self.kronologi(
                    &model.kronologi,
                    row.pagu_tahun(model.pagu, &self.ws.manifest.periode),
                ));
                return Some(step);
            }
        }
        self.riwayat(id)
    }

    /// A chronology of pagu changes: each change with its date, kind and amounts (an amount
    /// a stated pagu implies named as such), the pagu and blokir after it, where it is
    /// written and its source; which change is in force as of the period reported; and the
    /// pagu it reaches against `pagu`, the year's pagu of the row (or the total) where
    /// known. `None` without one.
    fn kronologi(&self, k: &Kronologi, pagu: Option<Decimal>) -> Option<Step> {
        let steps = k.langkah().filter(|s| !s.is_empty())?;
        let m = &self.ws.manifest;
        let tahun = m.tahun;
        let as_of = match m.periode.laporan {
            Some(p) => format!("{} {tahun}", p.nama()),
            None => format!("the end of {tahun}"),
        };
        let berlaku = k.berlaku(tahun, m.periode.sampai());
        let n = |v: Decimal| v.normalize().to_string();
        let after = |s: &Langkah| {
            format!(
                "pagu {}, blokir {}",
                s.pagu.map_or("not known yet".into(), n),
                n(s.blokir)
            )
        };
        let mut root = Step::new(match berlaku {
            Some(i) => format!(
                "kronologi pagu: in force as of {as_of}, the {} of {}",
                k.perubahan[i].jenis.name(),
                k.perubahan[i].tanggal.nama()
            ),
            None => format!("kronologi pagu: no change in force yet as of {as_of}"),
        });
        root.shown = k.pada(tahun, m.periode.sampai()).map(|s| after(&s));
        for (i, (p, s)) in k.perubahan.iter().zip(&steps).enumerate() {
            let mut label = format!("{} {}", p.tanggal.kode(), p.jenis.name());
            if let Some(j) = p.jumlah {
                let j = j.value;
                label.push(' ');
                label.push_str(&match p.jenis {
                    JenisPerubahan::Revisi => signed(j),
                    JenisPerubahan::Penghematan => format!("-{}", n(j)),
                    JenisPerubahan::Hibah => format!("+{}", n(j)),
                    _ => n(j),
                });
            }
            if let Some(to) = p.menjadi {
                label.push_str(&format!(", menjadi {}", n(to.value)));
                if let Some(c) = p.jumlah_tersirat(s) {
                    label.push_str(&format!(" (implied change {})", signed(c)));
                }
            }
            let mut step = Step::new(label);
            step.shown = Some(match berlaku == Some(i) {
                true => format!("{}  ← in force as of {as_of}", after(s)),
                false => after(s),
            });
            step.at = self.at(p.span);
            if let Some(t) = &p.keterangan {
                step = step.child(Step::new(format!("keterangan: {}", t.value)));
            }
            if let Some(t) = &p.sumber {
                let mut sumber = Step::new(format!("sumber: {}", t.value));
                sumber.at = self.at(t.span);
                step = step.child(sumber);
            }
            if s.dibuka_lebih > Decimal::ZERO {
                step = step.child(Step::new(format!(
                    "opens {} beyond what the chronology blocked",
                    n(s.dibuka_lebih)
                )));
            }
            if let Some(t) = &p.diketahui {
                step = step.child(Step::new(format!("known: {}", t.value)));
            }
            root.children.push(step);
        }
        if let Some((reached, _)) = k.pagu_akhir() {
            let mut end = self.amount(Step::new("the pagu the chronology reaches"), reached);
            if let Some(pagu) = pagu
                && reached != pagu
            {
                let gap = pagu
                    .checked_sub(reached)
                    .map_or("beyond range".into(), signed);
                end = end.child(Step::new(format!(
                    "the pagu is {}: {gap} not accounted for",
                    n(pagu)
                )));
                if let Some(t) = &k.diketahui {
                    end = end.child(Step::new(format!("known: {}", t.value)));
                }
            }
            root.children.push(end);
        }
        Some(root)
    }

    /// `step` with the row's proporsi under it: the share rule, and the pagu it is a share
    /// of (its parent's, or the total's for a top row or the budget's own jenis belanja).
    fn with_share(&self, step: Step, model: &BarisAnggaran, row: &BarisHasil) -> Step {
        let (a, m) = (&self.hasil.anggaran, &self.ws.anggaran);
        let whole = match model.induk {
            Some(i) => a.baris.get(i).zip(m.baris.get(i)).map(|(r, p)| {
                let mut s = self.amount(Step::new(format!("of the pagu of {}", p.id)), r.pagu);
                s.at = self.at(p.pagu_at());
                s
            }),
            None => a
                .total
                .as_ref()
                .map(|t| self.amount(Step::new("of the total pagu"), t.pagu)),
        };
        let (Some(p), Some(whole)) = (row.proporsi, whole) else {
            return step;
        };
        let rule = &calls::proporsi_rule(&self.ws.manifest).name;
        step.child(
            self.value(Step::new("proporsi"), p)
                .child(self.rule(rule))
                .child(whole),
        )
    }

    /// `step` with a budget row's figures per period under it (`model`: `None` for the
    /// total), where the budget gives values per period: the realisasi and the plan as of
    /// the period reported with the values counted and the rule that accumulates them (a
    /// row with rows under it: their sums per period), the pagu in force used, the plan's %
    /// and the deviation with their rules, and the rows left out of its sums.
    fn with_periode(&self, step: Step, model: Option<&BarisAnggaran>, row: &BarisHasil) -> Step {
        let Some(p) = row.periode.as_deref().filter(|p| p.berkala()) else {
            return step;
        };
        let manifest = &self.ws.manifest;
        let sampai = manifest.periode.sampai();
        let code = sampai.kode();
        let mut group = Step::new(format!("per periode, s.d. {code}"));
        // The values counted: the row's own as written, else its rows' sums per period.
        let values = |what: &str,
                      sd: Option<Decimal>,
                      own: Option<(&crate::model::PerPeriode<Num>, &Berkala)>,
                      sums: &dyn Fn(&NilaiPeriode) -> Option<Decimal>| {
            let mut s = Step::new(format!("{what} s.d. {code}"));
            match sd {
                Some(v) => s = self.amount(s, v),
                None => s.shown = Some(BELUM_JATUH_TEMPO.into()),
            }
            match own {
                Some((values, b)) => {
                    s = s.child(self.rule(&calls::akumulasi_anggaran_rule(manifest, b).name));
                    for (q, at, n) in values.sampai(sampai) {
                        let mut v = self.amount(Step::new(q.kode()), n.value);
                        v.at = self.at(*at);
                        s.children.push(v);
                    }
                }
                None => {
                    for n in &p.periode {
                        if let Some(v) = sums(n) {
                            let label = format!("{} (Σ rows, the period's own)", n.periode.kode());
                            s.children.push(self.amount(Step::new(label), v));
                        }
                    }
                }
            }
            s
        };
        let own_realisasi =
            model.and_then(|m| Some((&m.realisasi_periode, m.realisasi_berkala.as_ref()?)));
        let realisasi_sd = (!p.belum_jatuh_tempo).then_some(row.realisasi);
        group = group.child(values("realisasi", realisasi_sd, own_realisasi, &|n| {
            n.realisasi
        }));
        if p.kurang > 0 && !p.belum_jatuh_tempo {
            let mut left = self.count(
                "rows not due, left out of the sums (no %, no deviation)",
                p.kurang,
            );
            if let Some(m) = model {
                left.at = self.at(m.span);
            }
            group = group.child(left);
        }
        if p.tanpa_periode > 0 {
            group = group.child(self.count(
                "rows given for the year only, left out of the sums per period",
                p.tanpa_periode,
            ));
        }
        let mut pagu = self.amount(Step::new(format!("pagu in force at {code}")), row.pagu);
        match (model, p.kronologi) {
            (Some(m), Some(i)) => {
                if let Some(c) = m.kronologi.perubahan.get(i) {
                    let mut by = Step::new(format!(
                        "after its change of {} ({})",
                        c.tanggal.nama(),
                        c.jenis.name()
                    ));
                    by.at = self.at(c.span);
                    pagu = pagu.child(by);
                }
            }
            (Some(m), None) if m.pagu.is_some() => pagu.at = self.at(m.pagu_at()),
            _ => pagu.label = format!("pagu in force at {code} (Σ rows)"),
        }
        group = group.child(pagu);
        if p.rpd.is_some() || model.is_some_and(|m| m.rpd_berkala.is_some()) {
            let own_rpd = model.and_then(|m| Some((&m.rpd, m.rpd_berkala.as_ref()?)));
            let mut rpd = values("rpd", p.rpd, own_rpd, &|n| n.rpd);
            if p.rpd.is_none() {
                rpd.shown = Some("—".into());
            }
            group = group.child(rpd);
        }
        if let Some(v) = p.persen_rpd {
            let step = self
                .value(Step::new("persen rpd"), v)
                .child(self.rule(&calls::persen_rpd_rule(manifest).name));
            group = group.child(step);
        }
        if let Some(v) = p.deviasi {
            let mut step = self
                .value(Step::new("deviasi rpd"), v)
                .child(self.rule(&calls::deviasi_rpd_rule(manifest).name));
            for n in &p.periode {
                let amount = |v: Option<Decimal>| v.unwrap_or_default().normalize().to_string();
                step.children.push(Step::new(format!(
                    "{}: realisasi {}, rpd {}",
                    n.periode.kode(),
                    amount(n.realisasi),
                    amount(n.rpd)
                )));
            }
            group = group.child(step);
        }
        step.child(group)
    }

    /// `pagu = Σ …` and `realisasi = Σ …` over the rows `of` (of `table`), each row a step.
    fn sums(&self, name: &str, table: TabelAnggaran, of: &[usize], t: &BarisHasil) -> (Step, Step) {
        let a = &self.hasil.anggaran;
        let m = &self.ws.anggaran;
        let (results, models) = match table {
            TabelAnggaran::Baris => (&a.baris, &m.baris),
            TabelAnggaran::JenisBelanja => (&a.jenis_belanja, &m.jenis_belanja),
        };
        // A row not due adds nothing and is said so, never shown as 0.
        let not_due = |r: &BarisHasil| r.periode.as_ref().is_some_and(|p| p.belum_jatuh_tempo);
        let mut pagu = self.amount(Step::new(format!("pagu = Σ {name}")), t.pagu);
        let mut realisasi = self.amount(Step::new(format!("realisasi = Σ {name}")), t.realisasi);
        if not_due(t) {
            realisasi.shown = Some(BELUM_JATUH_TEMPO.into());
        }
        for &i in of {
            let (row, model) = (&results[i], &models[i]);
            let mut p = self.amount(Step::new(model.id.clone()), row.pagu);
            p.at = self.at(model.pagu_at());
            pagu.children.push(p);
            let mut r = self.amount(Step::new(model.id.clone()), row.realisasi);
            r.at = self.at(model.realisasi_at());
            if not_due(row) {
                r.shown = Some(BELUM_JATUH_TEMPO.into());
            }
            realisasi.children.push(r);
        }
        (pagu, realisasi)
    }

    /// A year of the realisation history (`riwayat: 2021`): its % computed from its pagu
    /// and realisasi where it gives both, else as written.
    fn riwayat(&self, id: &str) -> Option<Step> {
        let year: i32 = id.strip_prefix("riwayat:")?.trim().parse().ok()?;
        let m = &self.ws.anggaran;
        let n = m.riwayat.iter().position(|r| r.tahun == year)?;
        let (model, persen) = (
            &m.riwayat[n],
            self.hasil.anggaran.riwayat.get(n).copied().flatten(),
        );
        let mut root = Step::new(format!("riwayat {year} — realisasi anggaran"));
        root.at = self.at(model.span);
        let Some(p) = persen else {
            return Some(root);
        };
        let mut step = self.value(Step::new("persen realisasi"), p);
        match (model.pagu, model.realisasi) {
            (Some(pagu), Some(realisasi)) => {
                let rule = &calls::persen_rule(&self.ws.manifest).name;
                let mut pagu_step = self.amount(Step::new("pagu"), pagu.value);
                pagu_step.at = self.at(pagu.span);
                let mut realisasi_step = self.amount(Step::new("realisasi"), realisasi.value);
                realisasi_step.at = self.at(realisasi.span);
                step = step
                    .child(self.rule(rule))
                    .child(pagu_step)
                    .child(realisasi_step);
            }
            _ => {
                // Given as printed: no amounts to compute it from.
                step.label = "persen realisasi (as written)".into();
                step.at = model.persen.and_then(|n| self.at(n.span));
            }
        }
        Some(root.child(step))
    }

    /// A budget row's or the total's %, by `persen_rule`, and sisa.
    fn percent_and_sisa(
        &self,
        persen_rule: &str,
        persen: Option<Decimal>,
        sisa: Option<Decimal>,
        pagu: Step,
        realisasi: Step,
    ) -> Step {
        let manifest = &self.ws.manifest;
        let mut group = Step::new("anggaran");
        if let Some(p) = persen {
            let step = self
                .value(Step::new("persen realisasi"), p)
                .child(self.rule(persen_rule));
            group = group.child(step);
        }
        if let Some(s) = sisa {
            let step = self
                .amount(Step::new("sisa"), s)
                .child(self.rule(&calls::sisa_rule(manifest).name));
            group = group.child(step);
        }
        group.child(pagu).child(realisasi)
    }
}

/// An amount with its sign: `+12962005000000`, `-1544000000`.
fn signed(v: Decimal) -> String {
    let v = v.normalize();
    if v > Decimal::ZERO {
        format!("+{v}")
    } else {
        v.to_string()
    }
}

/// How a row's own amounts came to it: written in its file, or summed from line data.
fn given_by(model: &BarisAnggaran) -> &'static str {
    if model.dari_rincian {
        "from its line data"
    } else {
        "given"
    }
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn the_refused_id_is_never_suggested() {
        let ids = ["nilai_kinerja", "IKP1.1", "total"].map(String::from);
        assert_eq!(closest("nilai_kinerja", &ids), None);
        assert_eq!(closest("total", &ids), None);
        assert_eq!(closest("nilai_kinerj", &ids), Some("nilai_kinerja"));
        assert_eq!(closest("IKP1.2", &ids), Some("IKP1.1"));
    }
}
