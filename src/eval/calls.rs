//! Which rule computes each figure, and with which arguments: the one place that decides.
//! Evaluation computes every figure through it, the audit recomputes figures another way
//! through it (from rounded inputs, from evidence), and explain names the rules it chose.
//!
//! A rule is called with the arguments of whichever accepted form it is defined with
//! (`capaian(realisasi, target)` or `capaian(realisasi, target, indikator)`, …); every
//! failure becomes one diagnostic at the rule's line and at the place that asked for it.

use crate::base::cancel::Cancel;
use crate::base::diagnostic::{Code, Diagnostic, Runaway, did_you_mean};
use crate::base::source::{FileId, Span};
use crate::model::{Bukti, Indikator, Input, Manifest, RuleRef, Sasaran, Workspace};
use crate::rules::{Arg, RuleError, RuleSet};
use rhai::Dynamic;
use rust_decimal::Decimal;
use std::borrow::Cow;

/// Why a figure could not be computed: one diagnostic (boxed: it is large, and rare).
pub(crate) type Failure = Box<Diagnostic>;

/// What every rule call of a run needs.
pub(crate) struct Context<'a> {
    pub(crate) ws: &'a Workspace,
    pub(crate) rules: &'a RuleSet,
    pub(crate) cancel: &'a Cancel,
}

/// The rule that computes an indikator's capaian: its own, else the manifest's for its
/// polaritas.
pub(crate) fn capaian_rule<'m>(manifest: &'m Manifest, ind: &'m Indikator) -> Cow<'m, RuleRef> {
    match &ind.capaian.rumus {
        Some(rule) => Cow::Borrowed(rule),
        None => match manifest.rumus.capaian.get(&ind.polaritas) {
            Some(rule) => Cow::Borrowed(rule),
            None => Cow::Owned(RuleRef::builtin(&format!(
                "capaian_{}",
                ind.polaritas.name()
            ))),
        },
    }
}

/// The rule that rolls a sasaran's indikator up: its own, else the manifest's.
pub(crate) fn sasaran_rule<'m>(manifest: &'m Manifest, s: &'m Sasaran) -> &'m RuleRef {
    s.rumus.as_ref().unwrap_or(&manifest.rumus.capaian_sasaran)
}

/// The rule that rolls the sasaran up into the organisation's nilai kinerja (and the
/// indikator into the mean a report prints beside it).
pub(crate) fn nilai_kinerja_rule(manifest: &Manifest) -> &RuleRef {
    &manifest.rumus.nilai_kinerja
}

/// The rule of a budget row's realisation %.
pub(crate) fn persen_rule(manifest: &Manifest) -> &RuleRef {
    &manifest.rumus.persen_anggaran
}

/// The rule of a budget row's sisa.
pub(crate) fn sisa_rule(manifest: &Manifest) -> &RuleRef {
    &manifest.rumus.sisa_anggaran
}

/// Where a figure of the whole organisation is asked for when its rule is a default.
fn manifest_place(rule: &RuleRef) -> Span {
    rule.span.unwrap_or(Span::new(FileId(0), 0, 0))
}

impl Context<'_> {
    /// An indikator's realisasi from its formula and inputs.
    pub(crate) fn realisasi(
        &self,
        ind: &Indikator,
        rule: &RuleRef,
        masukan: &Input,
        at: Span,
    ) -> Result<Decimal, Failure> {
        let year = self.ws.manifest.tahun;
        let context = || indikator_context(ind, year);
        let args = |arity| match arity {
            1 => vec![Arg::Input(masukan)],
            _ => vec![Arg::Input(masukan), Arg::Context(&context)],
        };
        self.run(rule, &[1, 2], args, &ind.id.value, "realisasi", at)
    }

    /// An indikator's capaian of `realisasi` against `target`, by its capaian rule.
    pub(crate) fn capaian(
        &self,
        ind: &Indikator,
        realisasi: Decimal,
        target: Decimal,
        at: Span,
    ) -> Result<Decimal, Failure> {
        let rule = capaian_rule(&self.ws.manifest, ind);
        let year = self.ws.manifest.tahun;
        let context = || indikator_context(ind, year);
        let args = |arity| {
            let mut a = vec![Arg::Num(realisasi), Arg::Num(target)];
            if arity == 3 {
                a.push(Arg::Context(&context));
            }
            a
        };
        self.run(&rule, &[2, 3], args, &ind.id.value, "capaian", at)
    }

    /// A sasaran's capaian from its indikator's (`anggota` are their ids).
    pub(crate) fn sasaran(
        &self,
        s: &Sasaran,
        values: &[Decimal],
        anggota: &[&str],
    ) -> Result<Decimal, Failure> {
        let rule = sasaran_rule(&self.ws.manifest, s);
        self.rollup(rule, values, &s.id.value, anggota, s.id.span)
    }

    /// The organisation's nilai kinerja from its sasaran's capaian (`anggota` are the ids of
    /// every sasaran).
    pub(crate) fn nilai_kinerja(
        &self,
        values: &[Decimal],
        anggota: &[&str],
    ) -> Result<Decimal, Failure> {
        let rule = nilai_kinerja_rule(&self.ws.manifest);
        self.rollup(rule, values, "nilai_kinerja", anggota, manifest_place(rule))
    }

    /// The mean of the indikator's capaian, by the nilai kinerja rule, as reports print it
    /// beside the nilai kinerja (`anggota` are the indikator's ids).
    pub(crate) fn rata_rata_indikator(
        &self,
        values: &[Decimal],
        anggota: &[&str],
    ) -> Result<Decimal, Failure> {
        let rule = nilai_kinerja_rule(&self.ws.manifest);
        let at = Span::new(FileId(0), 0, 0);
        let context = || rollup_context("organisasi", anggota);
        let args = |arity| match arity {
            1 => vec![Arg::Nums(values)],
            _ => vec![Arg::Nums(values), Arg::Context(&context)],
        };
        self.run(
            rule,
            &[1, 2],
            args,
            "organisasi",
            "rata-rata capaian indikator",
            at,
        )
    }

    fn rollup(
        &self,
        rule: &RuleRef,
        values: &[Decimal],
        id: &str,
        anggota: &[&str],
        at: Span,
    ) -> Result<Decimal, Failure> {
        let context = || rollup_context(id, anggota);
        let args = |arity| match arity {
            1 => vec![Arg::Nums(values)],
            _ => vec![Arg::Nums(values), Arg::Context(&context)],
        };
        self.run(rule, &[1, 2], args, id, "rollup", at)
    }

    /// A budget row's realisation %.
    pub(crate) fn persen_anggaran(
        &self,
        pagu: Decimal,
        realisasi: Decimal,
        subject: &str,
        at: Span,
    ) -> Result<Decimal, Failure> {
        let rule = persen_rule(&self.ws.manifest);
        self.budget(
            rule,
            "persen realisasi anggaran",
            pagu,
            realisasi,
            subject,
            at,
        )
    }

    /// A budget row's sisa.
    pub(crate) fn sisa_anggaran(
        &self,
        pagu: Decimal,
        realisasi: Decimal,
        subject: &str,
        at: Span,
    ) -> Result<Decimal, Failure> {
        let rule = sisa_rule(&self.ws.manifest);
        self.budget(rule, "sisa anggaran", pagu, realisasi, subject, at)
    }

    fn budget(
        &self,
        rule: &RuleRef,
        what: &str,
        pagu: Decimal,
        realisasi: Decimal,
        subject: &str,
        at: Span,
    ) -> Result<Decimal, Failure> {
        let args = |_| vec![Arg::Num(pagu), Arg::Num(realisasi)];
        self.run(rule, &[2], args, subject, what, at)
    }

    /// What a piece of evidence computes.
    pub(crate) fn bukti(&self, ind: &Indikator, b: &Bukti) -> Result<Decimal, Failure> {
        self.run(
            &b.rumus,
            &[1],
            |_| vec![Arg::Input(&b.masukan)],
            &ind.id.value,
            "bukti",
            b.span,
        )
    }

    /// Calls `rule` for `subject` with the arguments for whichever of `arities` it is
    /// defined with.
    fn run<'a>(
        &self,
        rule: &RuleRef,
        arities: &[usize],
        args: impl Fn(usize) -> Vec<Arg<'a>>,
        subject: &str,
        what: &str,
        at: Span,
    ) -> Result<Decimal, Failure> {
        let place = rule.span.unwrap_or(at);
        let Some(arity) = self.rules.arity(&rule.name, arities) else {
            return Err(Box::new(unknown_rule(
                self.rules, rule, arities, subject, place,
            )));
        };
        self.rules
            .call_number(&rule.name, &args(arity), self.cancel)
            .map_err(|err| Box::new(rule_failure(err, subject, what, at)))
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
            let d = Diagnostic::error(Code::UnknownRule, format!("no rule named `{}`", rule.name))
                .at(place, format!("{subject} uses this rule"));
            match did_you_mean(&rule.name, rules.names()) {
                Some(s) => d.hint(format!(
                    "did you mean `{s}`? (`kinerja rules` lists every rule)"
                )),
                None => d.hint(format!(
                    "define `fn {}(…)` in a file under rules/, or pick one from `kinerja rules`",
                    rule.name
                )),
            }
        }
    }
}

fn rule_failure(err: RuleError, subject: &str, what: &str, at: Span) -> Diagnostic {
    let mut d =
        Diagnostic::error(err.code, format!("{subject}: {what}: {}", err.message)).hint(err.hint);
    d.runaway = err.stopped.map(|stopped| {
        Box::new(Runaway {
            rule: stopped.rule,
            figure: format!("{subject} {what}"),
            at,
            limit: err.message,
            definition: stopped.definition,
        })
    });
    match err.span {
        Some(span) => d
            .at(span, "failed here")
            .also(at, format!("while computing {what} of {subject}")),
        None => d.at(at, format!("while computing {what} of {subject}")),
    }
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
            .map_or(Dynamic::UNIT, |n| Dynamic::from_decimal(n.value)),
    );
    let renstra: rhai::Map = ind
        .target
        .renstra
        .iter()
        .map(|(y, n)| (y.to_string().into(), Dynamic::from_decimal(n.value)))
        .collect();
    map.insert("renstra".into(), Dynamic::from_map(renstra));
    Dynamic::from_map(map)
}

/// What a rollup rule sees as its second parameter.
fn rollup_context(id: &str, anggota: &[&str]) -> Dynamic {
    let mut map = rhai::Map::new();
    map.insert("id".into(), id.into());
    map.insert(
        "anggota".into(),
        Dynamic::from_array(anggota.iter().map(|m| (*m).into()).collect()),
    );
    Dynamic::from_map(map)
}
