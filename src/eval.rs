//! Evaluation: every figure of the report, computed through the workspace's rules.
//!
//! Data flows one way: inputs → realisasi (formula rule) → capaian (polarity rule) →
//! capaian sasaran (rollup rule) → nilai kinerja (rollup rule); budget rows → % and sisa
//! (budget rules). Full precision is kept throughout, except where a stage rounding in the
//! manifest, an indikator or a sasaran says otherwise.

use crate::budget::{self, HasilAnggaran};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Indikator, Polaritas, RuleRef, SumberRealisasi, Workspace};
use crate::number::Rounding;
use crate::rules::{self, Arg, RuleError, RuleSet};
use crate::source::Span;
use rayon::prelude::*;
use rhai::Dynamic;
use rust_decimal::Decimal;
// aHash: these maps are keyed by ids from the workspace, not by adversaries.
use ahash::AHashMap as HashMap;
use std::sync::Mutex;

/// A computed figure: the value later stages use, and how it came about.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// The value used from here on (after any stage rounding).
    pub value: Decimal,
    /// The value the rule returned, at full precision.
    pub exact: Decimal,
    /// The stage rounding applied, if any.
    pub rounded: Option<Rounding>,
    /// The rule that computed it; `None` for a value given in a file.
    pub rule: Option<String>,
}

impl Figure {
    fn new(exact: Decimal, rounding: Option<Rounding>, rule: Option<&str>) -> Figure {
        Figure {
            value: rounding.map_or(exact, |r| r.apply(exact)),
            exact,
            rounded: rounding,
            rule: rule.map(str::to_string),
        }
    }
}

#[derive(Clone, Debug)]
pub struct HasilIndikator {
    pub id: String,
    pub nama: String,
    pub sasaran: Option<String>,
    pub satuan: String,
    pub polaritas: Polaritas,
    pub target: Option<Decimal>,
    pub realisasi: Option<Figure>,
    pub capaian: Option<Figure>,
    pub jangka_menengah: Option<JangkaMenengah>,
    /// Component indicators (IKK): shown, not rolled up.
    pub komponen: Vec<HasilIndikator>,
}

/// Realisasi against the Renstra target of its last year.
#[derive(Clone, Debug)]
pub struct JangkaMenengah {
    pub tahun: i32,
    pub target: Decimal,
    pub capaian: Figure,
}

#[derive(Clone, Debug)]
pub struct HasilSasaran {
    pub id: String,
    pub nama: String,
    pub indikator: Vec<String>,
    pub capaian: Option<Figure>,
}

/// The evaluated report.
#[derive(Clone, Debug)]
pub struct Hasil {
    pub organisasi: String,
    pub instansi: Option<String>,
    pub tahun: i32,
    pub indikator: Vec<HasilIndikator>,
    pub sasaran: Vec<HasilSasaran>,
    pub nilai_kinerja: Option<Figure>,
    pub anggaran: HasilAnggaran,
}

impl Hasil {
    /// An indicator by id, IKK included.
    pub fn find_indikator(&self, id: &str) -> Option<&HasilIndikator> {
        fn find<'a>(list: &'a [HasilIndikator], id: &str) -> Option<&'a HasilIndikator> {
            list.iter().find_map(|i| {
                if i.id == id {
                    Some(i)
                } else {
                    find(&i.komponen, id)
                }
            })
        }
        find(&self.indikator, id)
    }
}

/// Evaluates the workspace. Every failure is a diagnostic; figures that could not be
/// computed are `None`, and so is everything that depends on them.
pub fn evaluate(ws: &Workspace, rules: &RuleSet) -> (Hasil, Diagnostics) {
    evaluate_reusing(ws, rules, None)
}

/// Results that may be reused: earlier results by the fingerprint of their indikator's
/// entry in its context (see [`crate::incremental`]).
pub struct Reuse<'a> {
    pub results: &'a HashMap<u64, HasilIndikator>,
    pub context: u64,
}

/// Evaluates, taking an indikator's earlier result when its entry, the rules and the
/// manifest are unchanged.
pub fn evaluate_reusing(
    ws: &Workspace,
    rules: &RuleSet,
    reuse: Option<Reuse>,
) -> (Hasil, Diagnostics) {
    let started = std::time::Instant::now();
    let ev = Evaluator {
        ws,
        rules,
        diags: Mutex::new(Diagnostics::default()),
    };
    // Indicators are independent of each other, and so are sasaran: both are evaluated in
    // parallel, each task joining the run's cancellation generation (watch mode).
    let generation = rules::run_generation();
    let indikator: Vec<HasilIndikator> = ws
        .indikator
        .par_iter()
        .with_min_len(64)
        .map(|i| {
            rules::set_run_generation(generation);
            let earlier = reuse.as_ref().and_then(|r| {
                r.results
                    .get(&crate::incremental::of_indikator(ws, i, r.context))
            });
            match earlier {
                Some(result) => result.clone(),
                None => ev.indikator(i),
            }
        })
        .collect();
    let mut members: HashMap<&str, Vec<&HasilIndikator>> = HashMap::new();
    for i in &indikator {
        if let Some(s) = &i.sasaran {
            members.entry(s.as_str()).or_default().push(i);
        }
    }
    let sasaran: Vec<HasilSasaran> = ws
        .sasaran
        .par_iter()
        .with_min_len(64)
        .map(|s| {
            rules::set_run_generation(generation);
            ev.sasaran(
                s,
                members
                    .get(s.id.value.as_str())
                    .map_or(&[][..], Vec::as_slice),
            )
        })
        .collect();
    let nilai_kinerja = ev.nilai_kinerja(&sasaran);
    tracing::debug!(elapsed = ?started.elapsed(), "indicators evaluated");
    let mut diags = ev.diags.into_inner().unwrap_or_else(|e| e.into_inner());
    let anggaran = budget::evaluate(ws, rules, &mut diags);
    tracing::debug!(elapsed = ?started.elapsed(), "evaluation finished");
    let hasil = Hasil {
        organisasi: ws.manifest.organisasi.clone(),
        instansi: ws.manifest.instansi.clone(),
        tahun: ws.manifest.tahun,
        indikator,
        sasaran,
        nilai_kinerja,
        anggaran,
    };
    (hasil, diags)
}

struct Evaluator<'a> {
    ws: &'a Workspace,
    rules: &'a RuleSet,
    /// Shared by the parallel tasks; touched only when something fails.
    diags: Mutex<Diagnostics>,
}

impl Evaluator<'_> {
    fn indikator(&self, ind: &Indikator) -> HasilIndikator {
        let year = self.ws.manifest.tahun;
        let target = ind.target.for_year(year).map(|n| n.value);
        // Built only for a rule that takes the context as a parameter.
        let context = || indikator_context(ind, year);
        let realisasi = ind.realisasi.as_ref().and_then(|r| {
            let rounding = r.bulatkan.or(self.ws.manifest.pembulatan.realisasi);
            match &r.sumber {
                SumberRealisasi::Nilai(n) => Some(Figure::new(n.value, rounding, None)),
                SumberRealisasi::Rumus { rumus, masukan } => {
                    let args = |arity| match arity {
                        1 => vec![Arg::Input(masukan)],
                        _ => vec![Arg::Input(masukan), Arg::Context(&context)],
                    };
                    self.run(rumus, &[1, 2], args, &ind.id.value, "realisasi", r.span)
                        .map(|v| Figure::new(v, rounding, Some(&rumus.name)))
                }
            }
        });
        let capaian_rule = self.capaian_rule(ind);
        let capaian_rounding = ind.capaian.bulatkan.or(self.ws.manifest.pembulatan.capaian);
        let at = ind.target.span.unwrap_or(ind.id.span);
        // A target of 0 is reported by validation (M004); measuring against it would only
        // repeat the problem as a rule failure.
        let capaian = match (&realisasi, target.filter(|t| !t.is_zero())) {
            (Some(r), Some(t)) => self
                .capaian(&capaian_rule, r.value, t, &context, &ind.id.value, at)
                .map(|v| Figure::new(v, capaian_rounding, Some(&capaian_rule.name))),
            _ => None,
        };
        let jangka_menengah = match (
            &realisasi,
            ind.target
                .last_renstra()
                .filter(|(_, t)| !t.value.is_zero()),
        ) {
            (Some(r), Some((tahun, t))) => self
                .capaian(
                    &capaian_rule,
                    r.value,
                    t.value,
                    &context,
                    &ind.id.value,
                    t.span,
                )
                .map(|v| JangkaMenengah {
                    tahun,
                    target: t.value,
                    capaian: Figure::new(v, capaian_rounding, Some(&capaian_rule.name)),
                }),
            _ => None,
        };
        HasilIndikator {
            id: ind.id.value.clone(),
            nama: ind.nama.clone(),
            sasaran: ind.sasaran.as_ref().map(|s| s.value.clone()),
            satuan: ind.satuan.clone(),
            polaritas: ind.polaritas,
            target,
            realisasi,
            capaian,
            jangka_menengah,
            komponen: ind.komponen.iter().map(|k| self.indikator(k)).collect(),
        }
    }

    fn capaian_rule(&self, ind: &Indikator) -> RuleRef {
        ind.capaian.rumus.clone().unwrap_or_else(|| {
            self.ws
                .manifest
                .rumus
                .capaian
                .get(&ind.polaritas)
                .cloned()
                .unwrap_or(RuleRef {
                    name: format!("capaian_{}", ind.polaritas.name()),
                    span: None,
                })
        })
    }

    fn capaian(
        &self,
        rule: &RuleRef,
        realisasi: Decimal,
        target: Decimal,
        context: &dyn Fn() -> Dynamic,
        subject: &str,
        at: Span,
    ) -> Option<Decimal> {
        let args = |arity| {
            let mut a = vec![Arg::Num(realisasi), Arg::Num(target)];
            if arity == 3 {
                a.push(Arg::Context(context));
            }
            a
        };
        self.run(rule, &[2, 3], args, subject, "capaian", at)
    }

    fn sasaran(&self, s: &crate::model::Sasaran, members: &[&HasilIndikator]) -> HasilSasaran {
        let rule = s
            .rumus
            .clone()
            .unwrap_or_else(|| self.ws.manifest.rumus.capaian_sasaran.clone());
        let rounding = s.bulatkan.or(self.ws.manifest.pembulatan.capaian_sasaran);
        let values: Option<Vec<Decimal>> = members
            .iter()
            .map(|i| i.capaian.as_ref().map(|c| c.value))
            .collect();
        let capaian = match values {
            Some(values) if !values.is_empty() => {
                let ctx = || {
                    rollup_context(
                        &s.id.value,
                        &members.iter().map(|i| i.id.clone()).collect::<Vec<_>>(),
                    )
                };
                self.rollup(&rule, &values, &ctx, &s.id.value, s.id.span)
                    .map(|v| Figure::new(v, rounding, Some(&rule.name)))
            }
            Some(_) if self.ws.dropped_refs.contains(&s.id.value) => None,
            Some(_) => {
                self.push(
                    Diagnostic::warning(
                        Code::Workspace,
                        format!("sasaran {} has no indikator", s.id.value),
                    )
                    .at(s.id.span, "nothing to roll up")
                    .hint(format!(
                        "give indikator `sasaran: {}`, or remove this sasaran",
                        s.id.value
                    )),
                );
                None
            }
            None => None,
        };
        HasilSasaran {
            id: s.id.value.clone(),
            nama: s.nama.clone(),
            indikator: members.iter().map(|i| i.id.clone()).collect(),
            capaian,
        }
    }

    fn nilai_kinerja(&self, sasaran: &[HasilSasaran]) -> Option<Figure> {
        let values: Option<Vec<Decimal>> = sasaran
            .iter()
            .filter(|s| !s.indikator.is_empty())
            .map(|s| s.capaian.as_ref().map(|c| c.value))
            .collect();
        let values = values.filter(|v| !v.is_empty())?;
        let rule = self.ws.manifest.rumus.nilai_kinerja.clone();
        let ctx = || {
            let ids: Vec<String> = sasaran.iter().map(|s| s.id.clone()).collect();
            rollup_context("nilai_kinerja", &ids)
        };
        let at = rule
            .span
            .unwrap_or(crate::source::Span::new(crate::source::FileId(0), 0, 0));
        self.rollup(&rule, &values, &ctx, "nilai_kinerja", at)
            .map(|v| {
                Figure::new(
                    v,
                    self.ws.manifest.pembulatan.nilai_kinerja,
                    Some(&rule.name),
                )
            })
    }

    fn rollup(
        &self,
        rule: &RuleRef,
        values: &[Decimal],
        ctx: &dyn Fn() -> Dynamic,
        subject: &str,
        at: Span,
    ) -> Option<Decimal> {
        let args = |arity| match arity {
            1 => vec![Arg::Nums(values)],
            _ => vec![Arg::Nums(values), Arg::Context(ctx)],
        };
        self.run(rule, &[1, 2], args, subject, "rollup", at)
    }

    /// Calls a rule with the arguments for whichever accepted arity it is defined with.
    fn run<'a>(
        &self,
        rule: &RuleRef,
        arities: &[usize],
        args: impl Fn(usize) -> Vec<Arg<'a>>,
        subject: &str,
        what: &str,
        at: Span,
    ) -> Option<Decimal> {
        let mut local = Diagnostics::default();
        let result = run_rule(
            self.rules, rule, arities, args, subject, what, at, &mut local,
        );
        if !local.is_empty() {
            self.lock().extend(local.into_vec());
        }
        result
    }

    fn push(&self, d: Diagnostic) {
        self.lock().push(d);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Diagnostics> {
        // A panic cannot leave the diagnostics half-written: recover the guard.
        self.diags.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Calls `rule` for `subject`, turning every failure into a diagnostic at the rule's
/// line and at the place in the workspace that asked for it.
#[allow(clippy::too_many_arguments)]
pub fn run_rule<'a>(
    rules: &RuleSet,
    rule: &RuleRef,
    arities: &[usize],
    args: impl Fn(usize) -> Vec<Arg<'a>>,
    subject: &str,
    what: &str,
    at: Span,
    diags: &mut Diagnostics,
) -> Option<Decimal> {
    let place = rule.span.unwrap_or(at);
    let Some(arity) = rules.arity(&rule.name, arities) else {
        diags.push(unknown_rule(rules, rule, arities, subject, place));
        return None;
    };
    match rules.call_number_with(&rule.name, &args(arity)) {
        Ok(v) => Some(v),
        Err(err) => {
            diags.push(rule_failure(err, subject, what, at));
            None
        }
    }
}

fn unknown_rule(
    rules: &RuleSet,
    rule: &RuleRef,
    arities: &[usize],
    subject: &str,
    place: Span,
) -> Diagnostic {
    let params = arities
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(" or ");
    match rules.get(&rule.name) {
        Some(defs) => Diagnostic::error(
            Code::UnknownRule,
            format!(
                "rule `{}` takes {} parameter{}, but {subject} needs one taking {params}",
                rule.name,
                defs.keys()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
                if defs.len() == 1 && defs.contains_key(&1) {
                    ""
                } else {
                    "s"
                }
            ),
        )
        .at(place, "used here")
        .hint("change the rule's parameters, or name a rule made for this use"),
        None => {
            let mut d =
                Diagnostic::error(Code::UnknownRule, format!("no rule named `{}`", rule.name))
                    .at(place, format!("{subject} uses this rule"));
            d = match crate::diagnostic::did_you_mean(&rule.name, rules.names()) {
                Some(s) => d.hint(format!(
                    "did you mean `{s}`? (`kinerja rules` lists every rule)"
                )),
                None => d.hint(format!(
                    "define `fn {}(…)` in a file under rules/, or pick one from `kinerja rules`",
                    rule.name
                )),
            };
            d
        }
    }
}

fn rule_failure(err: RuleError, subject: &str, what: &str, at: Span) -> Diagnostic {
    let mut d =
        Diagnostic::error(err.code, format!("{subject}: {what}: {}", err.message)).hint(err.hint);
    match err.span {
        Some(span) => {
            d = d.at(span, "failed here");
            d = d.also(at, format!("while computing {what} of {subject}"));
        }
        None => d = d.at(at, format!("while computing {what} of {subject}")),
    }
    d
}

/// What a rule sees of an indicator as its last parameter.
fn indikator_context(ind: &Indikator, year: i32) -> Dynamic {
    let mut map = rhai::Map::new();
    map.insert("id".into(), ind.id.value.clone().into());
    map.insert("nama".into(), ind.nama.clone().into());
    map.insert("satuan".into(), ind.satuan.clone().into());
    map.insert("polaritas".into(), ind.polaritas.name().into());
    map.insert("tahun".into(), Dynamic::from_int(year.into()));
    map.insert(
        "target".into(),
        ind.target
            .for_year(year)
            .map_or(Dynamic::UNIT, |n| rules::decimal(n.value)),
    );
    let renstra: rhai::Map = ind
        .target
        .renstra
        .iter()
        .map(|(y, n)| (y.to_string().into(), rules::decimal(n.value)))
        .collect();
    map.insert("renstra".into(), Dynamic::from_map(renstra));
    Dynamic::from_map(map)
}

fn rollup_context(id: &str, members: &[String]) -> Dynamic {
    let mut map = rhai::Map::new();
    map.insert("id".into(), id.into());
    map.insert(
        "anggota".into(),
        Dynamic::from_array(members.iter().map(|m| m.clone().into()).collect()),
    );
    Dynamic::from_map(map)
}
