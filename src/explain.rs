//! `kinerja explain ID`: where a figure comes from, as a tree of inputs (with file:line),
//! rules (with file:line), intermediate results at full precision and as presented, and the
//! rounding applied at each stage.

use crate::audit::budget_id;
use crate::eval::{Figure, Hasil, HasilIndikator};
use crate::model::{Indikator, Input, RuleRef, SumberRealisasi, Workspace};
use crate::number::Rounding;
use crate::report::Out;
use crate::rules::RuleSet;
use crate::source::{Sources, Span};
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// One step of a computation.
#[derive(Clone, Debug, Default)]
pub struct Step {
    /// What this step is: `capaian`, `realisasi`, `rule rasio(m)`, `n`, …
    pub label: String,
    /// The value as presented.
    pub shown: Option<String>,
    /// The value at full precision, when it differs from what is shown.
    pub exact: Option<String>,
    /// The rounding applied at this stage, if any.
    pub rounding: Option<String>,
    /// `file:line:col` where it is written.
    pub at: Option<String>,
    pub children: Vec<Step>,
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
pub fn known_ids(hasil: &Hasil) -> Vec<String> {
    let mut ids = Vec::new();
    fn ind(i: &HasilIndikator, ids: &mut Vec<String>) {
        ids.push(i.id.clone());
        for k in &i.komponen {
            ind(k, ids);
        }
    }
    for i in &hasil.indikator {
        ind(i, &mut ids);
    }
    ids.extend(hasil.sasaran.iter().map(|s| s.id.clone()));
    ids.push("nilai_kinerja".into());
    let a = &hasil.anggaran;
    for (table, rows) in [
        ("kegiatan", &a.kegiatan),
        ("jenis_belanja", &a.jenis_belanja),
    ] {
        ids.extend(rows.iter().map(|r| budget_id(table, &r.kode, &r.nama)));
    }
    if a.total.is_some() {
        ids.push("total".into());
    }
    ids
}

/// The computation of `id`, or `None` if no figure has that id.
pub fn explain(ws: &Workspace, rules: &RuleSet, hasil: &Hasil, id: &str) -> Option<Step> {
    let e = Explainer {
        ws,
        rules,
        hasil,
        presentation: ws.manifest.tampilan.rounding,
    };
    if id == "nilai_kinerja" {
        return e.nilai_kinerja();
    }
    if let Some(i) = hasil.find_indikator(id) {
        return Some(e.indikator(i));
    }
    if let Some(s) = hasil.sasaran.iter().find(|s| s.id == id) {
        return Some(e.sasaran(&s.id));
    }
    e.budget(id)
}

impl Explainer<'_> {
    fn sources(&self) -> &Sources {
        &self.ws.sources
    }

    fn at(&self, span: Span) -> Option<String> {
        Some(self.sources().location(span))
    }

    fn value(&self, mut step: Step, v: Decimal) -> Step {
        let shown = self.presentation.apply(v);
        step.shown = Some(crate::number::fixed_text(shown, self.presentation.decimals));
        if shown != v {
            step.exact = Some(v.normalize().to_string());
        }
        step
    }

    fn amount(&self, mut step: Step, v: Decimal) -> Step {
        step.shown = Some(v.normalize().to_string());
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

    fn rule(&self, r: &RuleRef) -> Step {
        let mut step = Step::new(format!("rule {}", r.name));
        if let Some(info) = self.rules.get(&r.name).and_then(|m| m.values().next()) {
            step.label = format!("rule {}", info.signature());
            step.at = self.at(info.span);
        }
        step
    }

    fn indikator(&self, i: &HasilIndikator) -> Step {
        let model = self.ws.find_indikator(&i.id);
        let mut root = Step::new(format!("{} capaian — {}", i.id, i.nama));
        if let Some(c) = &i.capaian {
            let f = self.figure("", c);
            root.shown = f.shown;
            root.exact = f.exact;
            root.rounding = f.rounding;
            if let Some(name) = &c.rule {
                let r = model
                    .and_then(|m| m.capaian.rumus.clone())
                    .unwrap_or(RuleRef {
                        name: name.clone(),
                        span: None,
                    });
                root = root.child(self.rule(&r));
            }
        } else {
            root.label = format!("{} — {}", i.id, i.nama);
        }
        if let Some(r) = &i.realisasi {
            root = root.child(self.realisasi(r, model));
        }
        if let Some(t) = i.target {
            let mut step = self.value(Step::new("target"), t);
            if let Some(m) = model {
                let year = self.ws.manifest.tahun;
                let which = if m.target.pk.is_some() {
                    "PK".to_string()
                } else {
                    format!("Renstra {year}")
                };
                step.label = format!("target ({which})");
                step.at = m.target.for_year(year).and_then(|n| self.at(n.span));
            }
            root = root.child(step);
        }
        if let Some(jm) = &i.jangka_menengah {
            let mut step = self.figure(
                &format!("capaian against the Renstra {} target", jm.tahun),
                &jm.capaian,
            );
            let mut t = self.value(Step::new(format!("target Renstra {}", jm.tahun)), jm.target);
            t.at = model
                .and_then(|m| m.target.renstra.get(&jm.tahun))
                .and_then(|n| self.at(n.span));
            step = step.child(t);
            root = root.child(step);
        }
        for k in &i.komponen {
            let mut ks = self.indikator(k);
            ks.label = format!("komponen {}", ks.label);
            root = root.child(ks);
        }
        root
    }

    fn realisasi(&self, r: &Figure, model: Option<&Indikator>) -> Step {
        let mut step = self.figure("realisasi", r);
        let Some(m) = model.and_then(|m| m.realisasi.as_ref()) else {
            return step;
        };
        match &m.sumber {
            SumberRealisasi::Nilai(n) => {
                step.label = "realisasi (given)".into();
                step.at = self.at(n.span);
            }
            SumberRealisasi::Rumus { rumus, masukan } => {
                step = step.child(self.rule(rumus));
                let mut inputs = Step::new("masukan");
                inputs.at = self.at(input_span(masukan));
                self.inputs(masukan, "", &mut inputs);
                step = step.child(inputs);
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

    fn sasaran(&self, id: &str) -> Step {
        let s = self.hasil.sasaran.iter().find(|s| s.id == id);
        let model = self.ws.sasaran.iter().find(|s| s.id.value == id);
        let mut root = Step::new(format!(
            "{id} capaian — {}",
            s.map(|s| s.nama.as_str()).unwrap_or_default()
        ));
        root.at = model.and_then(|m| self.at(m.id.span));
        if let Some(c) = s.and_then(|s| s.capaian.as_ref()) {
            let f = self.figure("", c);
            root.shown = f.shown;
            root.exact = f.exact;
            root.rounding = f.rounding;
        }
        let rule = model
            .and_then(|m| m.rumus.clone())
            .unwrap_or_else(|| self.ws.manifest.rumus.capaian_sasaran.clone());
        root = root.child(self.rule(&rule));
        for member in s.map(|s| s.indikator.as_slice()).unwrap_or_default() {
            if let Some(i) = self.hasil.find_indikator(member) {
                root = root.child(self.indikator(i));
            }
        }
        root
    }

    fn nilai_kinerja(&self) -> Option<Step> {
        let n = self.hasil.nilai_kinerja.as_ref()?;
        let mut root = self.figure(&format!("nilai kinerja — {}", self.hasil.organisasi), n);
        root = root.child(self.rule(&self.ws.manifest.rumus.nilai_kinerja));
        for s in &self.hasil.sasaran {
            root = root.child(self.sasaran(&s.id));
        }
        Some(root)
    }

    fn budget(&self, id: &str) -> Option<Step> {
        let a = &self.hasil.anggaran;
        let m = &self.ws.anggaran;
        if id == "total" {
            let t = a.total.as_ref()?;
            let basis = if a.kegiatan.is_empty() {
                ("jenis_belanja", &a.jenis_belanja, &m.jenis_belanja)
            } else {
                ("kegiatan", &a.kegiatan, &m.kegiatan)
            };
            let mut root = Step::new("total anggaran");
            let mut pagu = self.amount(Step::new(format!("pagu = Σ {}", basis.0)), t.pagu);
            let mut realisasi =
                self.amount(Step::new(format!("realisasi = Σ {}", basis.0)), t.realisasi);
            for (row, model) in basis.1.iter().zip(basis.2.iter()) {
                let id = budget_id(basis.0, &row.kode, &row.nama);
                let mut p = self.amount(Step::new(id.clone()), row.pagu);
                p.at = self.at(model.pagu.span);
                pagu.children.push(p);
                let mut r = self.amount(Step::new(id), row.realisasi);
                r.at = self.at(model.realisasi.span);
                realisasi.children.push(r);
            }
            root = root.child(self.percent_and_sisa(t.persen, t.sisa, pagu, realisasi));
            return Some(root);
        }
        for (table, rows, models) in [
            ("kegiatan", &a.kegiatan, &m.kegiatan),
            ("jenis_belanja", &a.jenis_belanja, &m.jenis_belanja),
        ] {
            for (row, model) in rows.iter().zip(models.iter()) {
                let full = budget_id(table, &row.kode, &row.nama);
                if id == full
                    || (!row.kode.is_empty() && id == row.kode)
                    || id.eq_ignore_ascii_case(&row.nama)
                {
                    let mut pagu = self.amount(Step::new("pagu"), row.pagu);
                    pagu.at = self.at(model.pagu.span);
                    let mut realisasi = self.amount(Step::new("realisasi"), row.realisasi);
                    realisasi.at = self.at(model.realisasi.span);
                    let root = Step::new(format!("{full} — {}", row.nama));
                    return Some(
                        root.child(self.percent_and_sisa(row.persen, row.sisa, pagu, realisasi)),
                    );
                }
            }
        }
        None
    }

    fn percent_and_sisa(
        &self,
        persen: Option<Decimal>,
        sisa: Option<Decimal>,
        pagu: Step,
        realisasi: Step,
    ) -> Step {
        let mut group = Step::new("anggaran");
        if let Some(p) = persen {
            let step = self
                .value(Step::new("persen realisasi"), p)
                .child(self.rule(&self.ws.manifest.rumus.persen_anggaran));
            group = group.child(step);
        }
        if let Some(s) = sisa {
            let step = self
                .amount(Step::new("sisa"), s)
                .child(self.rule(&self.ws.manifest.rumus.sisa_anggaran));
            group = group.child(step);
        }
        group.child(pagu).child(realisasi)
    }
}

fn input_span(input: &Input) -> Span {
    match input {
        Input::Num(n) => n.span,
        Input::Text(t) => t.span,
        Input::List(_, s) | Input::Map(_, s) => *s,
    }
}

/// The tree as text, with box-drawing branches.
pub fn render_text(step: &Step) -> String {
    fn line(s: &Step) -> String {
        let mut out = s.label.clone();
        if let Some(v) = &s.shown {
            if out.is_empty() {
                out = format!("= {v}");
            } else {
                let _ = write!(out, " = {v}");
            }
        }
        if let Some(e) = &s.exact {
            let _ = write!(out, "  (full precision {e})");
        }
        if let Some(r) = &s.rounding {
            let _ = write!(out, "  [{r}]");
        }
        if let Some(at) = &s.at {
            let _ = write!(out, "  {at}");
        }
        out
    }
    fn go(s: &Step, prefix: &str, out: &mut String) {
        for (i, c) in s.children.iter().enumerate() {
            let last = i + 1 == s.children.len();
            let _ = writeln!(
                out,
                "{prefix}{}{}",
                if last { "└─ " } else { "├─ " },
                line(c)
            );
            go(
                c,
                &format!("{prefix}{}", if last { "   " } else { "│  " }),
                out,
            );
        }
    }
    let mut out = format!("{}\n", line(step));
    go(step, "", &mut out);
    out
}

pub fn to_out(step: &Step) -> Out {
    let opt = |v: &Option<String>| v.clone().map_or(Out::Null, Out::Str);
    Out::Map(vec![
        ("label", Out::Str(step.label.clone())),
        ("value", opt(&step.shown)),
        ("full_precision", opt(&step.exact)),
        ("rounding", opt(&step.rounding)),
        ("at", opt(&step.at)),
        (
            "children",
            Out::List(step.children.iter().map(to_out).collect()),
        ),
    ])
}
