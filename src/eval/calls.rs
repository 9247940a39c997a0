//! Which rule computes each figure, and with which arguments: the one place that decides.
//! Evaluation computes every figure through it, the audit recomputes figures another way
//! through it (from rounded inputs, from evidence), and explain names the rules it chose.
//!
//! A rule is called with the arguments of whichever accepted form it is defined with
//! (`capaian(realisasi, target)` or `capaian(realisasi, target, indikator)`, …); every
//! failure becomes one diagnostic at the rule's line and at the place that asked for it.

use super::results::Pita;
use crate::base::cancel::Cancel;
use crate::base::diagnostic::{Code, Diagnostic, Runaway, did_you_mean};
use crate::base::number::fixed_text;
use crate::base::source::{FileId, Span};
use crate::model::{
    Berkala, Bukti, Indikator, Input, Manifest, NilaiTarget, Num, Periode, Polaritas, RuleRef,
    Sasaran, TabelKategori, TargetAngka, Text, Tingkat, Workspace,
};
use crate::rules::{Arg, RuleError, RuleInfo, RuleSet};
use rhai::Dynamic;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Why a figure could not be computed: one diagnostic (boxed: it is large, and rare).
pub(crate) type Failure = Box<Diagnostic>;

/// What every rule call of a run needs.
pub(crate) struct Context<'a> {
    pub(crate) ws: &'a Workspace,
    pub(crate) rules: &'a RuleSet,
    pub(crate) cancel: &'a Cancel,
}

/// The rule that accumulates an indikator's values per period into the figure as of a
/// period: its own (`realisasi.akumulasi`), else the manifest's for its satuan, else
/// `terakhir`.
pub(crate) fn akumulasi_rule<'m>(manifest: &'m Manifest, ind: &'m Indikator) -> Cow<'m, RuleRef> {
    match ind.realisasi.as_ref().and_then(|r| r.akumulasi.as_ref()) {
        Some(rule) => Cow::Borrowed(rule),
        None => Cow::Owned(manifest.periode.akumulasi_for(&ind.satuan)),
    }
}

/// The satuan whose accumulation rule (`periode.akumulasi`) budget amounts take.
pub(crate) const SATUAN_RUPIAH: &str = "rupiah";

/// The rule that accumulates a budget row's amounts per period (its realisasi or its plan)
/// into the amount as of a period: the row's own (`akumulasi:`), else the manifest's for
/// rupiah, else `jumlah`: spending per period adds up.
pub(crate) fn akumulasi_anggaran_rule<'m>(
    manifest: &'m Manifest,
    b: &'m Berkala,
) -> Cow<'m, RuleRef> {
    match (&b.akumulasi, manifest.periode.akumulasi.get(SATUAN_RUPIAH)) {
        (Some(rule), _) | (None, Some(rule)) => Cow::Borrowed(rule),
        (None, None) => Cow::Owned(RuleRef::builtin("jumlah")),
    }
}

/// The rule that computes an indikator's capaian: its own, else the manifest's for its
/// polaritas.
pub(crate) fn capaian_rule<'m>(manifest: &'m Manifest, ind: &'m Indikator) -> Cow<'m, RuleRef> {
    per_polaritas(ind, &manifest.rumus.capaian, "capaian")
}

/// The rule that computes an indikator's capaian against a range target: its own, else the
/// manifest's `rumus.capaian_rentang` for its polaritas.
pub(crate) fn capaian_rentang_rule<'m>(
    manifest: &'m Manifest,
    ind: &'m Indikator,
) -> Cow<'m, RuleRef> {
    per_polaritas(ind, &manifest.rumus.capaian_rentang, "capaian_rentang")
}

/// An indikator's own capaian rule, else `rules`' for its polaritas, else the shipped
/// `{prefix}_{polaritas}`.
fn per_polaritas<'m>(
    ind: &'m Indikator,
    rules: &'m BTreeMap<Polaritas, RuleRef>,
    prefix: &str,
) -> Cow<'m, RuleRef> {
    match (&ind.capaian.rumus, rules.get(&ind.polaritas)) {
        (Some(rule), _) | (None, Some(rule)) => Cow::Borrowed(rule),
        (None, None) => Cow::Owned(RuleRef::builtin(&format!(
            "{prefix}_{}",
            ind.polaritas.name()
        ))),
    }
}

/// The rule that computes an indikator's capaian against `target`: a range's rule for a
/// range, else the one-target rule.
pub(crate) fn capaian_rule_for<'m>(
    manifest: &'m Manifest,
    ind: &'m Indikator,
    target: TargetAngka,
) -> Cow<'m, RuleRef> {
    match target {
        TargetAngka::Satu(_) => capaian_rule(manifest, ind),
        TargetAngka::Rentang { .. } => capaian_rentang_rule(manifest, ind),
    }
}

/// The numbers of parameters a capaian rule may take: `(realisasi, target)` and
/// `(realisasi, target, indikator)` against one target; `(realisasi, min, maks)` and
/// `(realisasi, min, maks, indikator)` against a range.
const CAPAIAN_ARITIES: &[usize] = &[2, 3];
const RENTANG_ARITIES: &[usize] = &[3, 4];

/// Whether a definition of a capaian rule measures against a range: its second and third
/// parameters are `min` and `maks` (three parameters are either form, so the names decide,
/// as a planner reads them).
fn measures_a_range(info: &RuleInfo) -> bool {
    info.params.get(1).is_some_and(|p| p == "min")
        && info.params.get(2).is_some_and(|p| p == "maks")
}

/// The number of parameters capaian rule `name` takes against a range (`range`) or one
/// target; `None` when it has no definition of that form.
pub(crate) fn capaian_arity(rules: &RuleSet, name: &str, range: bool) -> Option<usize> {
    let defs = rules.get(name)?;
    let arities = if range {
        RENTANG_ARITIES
    } else {
        CAPAIAN_ARITIES
    };
    arities.iter().copied().find(|n| {
        defs.get(n)
            .is_some_and(|info| measures_a_range(info) == range)
    })
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

/// The rule of the budget total's realisation %.
pub(crate) fn persen_total_rule(manifest: &Manifest) -> &RuleRef {
    &manifest.rumus.persen_total
}

/// The rule of a budget row's sisa.
pub(crate) fn sisa_rule(manifest: &Manifest) -> &RuleRef {
    &manifest.rumus.sisa_anggaran
}

/// The rule of a budget row's share (proporsi) of what it belongs to.
pub(crate) fn proporsi_rule(manifest: &Manifest) -> &RuleRef {
    &manifest.rumus.proporsi_anggaran
}

/// The rule of the % of the pagu a row's disbursement plan reaches.
pub(crate) fn persen_rpd_rule(manifest: &Manifest) -> &RuleRef {
    &manifest.rumus.persen_rpd
}

/// The rule of a row's deviation from its disbursement plan.
pub(crate) fn deviasi_rpd_rule(manifest: &Manifest) -> &RuleRef {
    &manifest.rumus.deviasi_rpd
}

/// The rule that looks a figure up in `table`: the table's own, else the manifest's.
pub(crate) fn kategori_rule<'m>(manifest: &'m Manifest, table: &'m TabelKategori) -> &'m RuleRef {
    table.rumus.as_ref().unwrap_or(&manifest.rumus.kategori)
}

/// The numbers of parameters a band rule may take: `(nilai, tabel)` or
/// `(nilai, tabel, konteks)`.
pub(crate) const KATEGORI_ARITIES: &[usize] = &[2, 3];

/// The band of `value` in `table` by the band rule `name` (defined with `arity`
/// parameters): the index of the band whose label the rule returned, or `None` when it
/// returned nothing. A label the table does not have is an error (R003).
pub(crate) fn look_up(
    rules: &RuleSet,
    name: &str,
    arity: usize,
    table: &TabelKategori,
    value: Decimal,
    konteks: &dyn Fn() -> Dynamic,
    cancel: &Cancel,
) -> Result<Option<usize>, RuleError> {
    let mut args = vec![Arg::Num(value), Arg::Table(table)];
    if arity == 3 {
        args.push(Arg::Context(konteks));
    }
    let Some(label) = rules.call_label(name, &args, cancel)? else {
        return Ok(None);
    };
    table.band(&label).map(Some).ok_or_else(|| RuleError {
        code: Code::RuleResult,
        message: format!(
            "rule `{name}` returned `{label}`, which is not a band of `{}`",
            table.nama.value
        ),
        span: rules
            .get(name)
            .and_then(|defs| defs.get(&arity))
            .map(|r| r.span),
        hint: format!(
            "a band rule returns the label of one of its table's bands ({}), or nothing",
            table
                .tingkat
                .iter()
                .map(|t| format!("`{}`", t.label.value))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        stopped: None,
    })
}

/// Where a figure of the whole organisation is asked for when its rule is a default.
pub(crate) fn manifest_place(rule: &RuleRef) -> Span {
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

    /// One period's value of an indikator's realisasi computed per period, from that
    /// period's inputs; `at` is where the period's entry is written.
    pub(crate) fn realisasi_periode(
        &self,
        ind: &Indikator,
        rule: &RuleRef,
        masukan: &Input,
        periode: Periode,
        at: Span,
    ) -> Result<Decimal, Failure> {
        let year = self.ws.manifest.tahun;
        let context = || indikator_context(ind, year);
        let args = |arity| match arity {
            1 => vec![Arg::Input(masukan)],
            _ => vec![Arg::Input(masukan), Arg::Context(&context)],
        };
        let what = format!("realisasi {}", periode.kode());
        self.run(rule, &[1, 2], args, &ind.id.value, &what, at)
    }

    /// An indikator's capaian of `realisasi` against `target` (one number, or a range),
    /// by its capaian rule; `at` is where the target is written.
    pub(crate) fn capaian(
        &self,
        ind: &Indikator,
        realisasi: Decimal,
        target: TargetAngka,
        at: Span,
    ) -> Result<Decimal, Failure> {
        let rule = capaian_rule_for(&self.ws.manifest, ind, target);
        let range = matches!(target, TargetAngka::Rentang { .. });
        let Some(arity) = capaian_arity(self.rules, &rule.name, range) else {
            return Err(Box::new(self.capaian_mismatch(ind, &rule, target, at)));
        };
        let year = self.ws.manifest.tahun;
        let context = || indikator_context(ind, year);
        let mut args = vec![Arg::Num(realisasi)];
        match target {
            TargetAngka::Satu(t) => args.push(Arg::Num(t)),
            TargetAngka::Rentang { min, maks } => {
                args.push(Arg::Num(min));
                args.push(Arg::Num(maks));
            }
        }
        if args.len() < arity {
            args.push(Arg::Context(&context));
        }
        self.call(&rule, &args, &ind.id.value, "capaian", at)
    }

    /// Why capaian rule `rule` cannot measure `ind` against `target`: it measures against
    /// the other kind of target (a range against one number, or one number against a
    /// range), or no rule of that name takes a capaian's parameters.
    fn capaian_mismatch(
        &self,
        ind: &Indikator,
        rule: &RuleRef,
        target: TargetAngka,
        at: Span,
    ) -> Diagnostic {
        let id = &ind.id.value;
        let name = &rule.name;
        let range = matches!(target, TargetAngka::Rentang { .. });
        let own = ind.capaian.rumus.is_some();
        let pol = ind.polaritas.name();
        let d = if capaian_arity(self.rules, name, !range).is_none() {
            let arities = if range {
                RENTANG_ARITIES
            } else {
                CAPAIAN_ARITIES
            };
            return unknown_rule(self.rules, rule, arities, id, rule.span.unwrap_or(at));
        } else if let TargetAngka::Rentang { min, maks } = target {
            Diagnostic::error(
                Code::UnknownRule,
                format!(
                    "{id}'s target is a range ({}–{}), but its capaian rule `{name}` takes one target",
                    min.normalize(),
                    maks.normalize()
                ),
            )
            .at(at, "a range")
            .hint(if own {
                format!(
                    "name a rule that measures against a range, taking `(realisasi, min, maks)` (the shipped `capaian_rentang_{pol}`), in `capaian: {{rumus: …}}`; or give one number as the target"
                )
            } else {
                format!(
                    "state a rule taking `(realisasi, min, maks)` for {pol} indikator in kinerja.yaml (`rumus: {{capaian_rentang: {{{pol}: capaian_rentang_{pol}}}}}`); or give one number as the target"
                )
            })
        } else {
            Diagnostic::error(
                Code::UnknownRule,
                format!(
                    "{id}'s target is one number, but its capaian rule `{name}` measures against a range (`realisasi, min, maks`)"
                ),
            )
            .at(at, "one number")
            .hint(format!(
                "write the target as a range (`{{min: 80, maks: 90}}`), or name a rule taking `(realisasi, target)` (the shipped `capaian_{pol}`)"
            ))
        };
        match rule.span {
            Some(span) => d.also(span, "the rule"),
            None => d,
        }
    }

    /// A sasaran's capaian from its indikator's (`anggota` are their ids), weighed by
    /// `bobot` (one per value) when its rule is weighted.
    pub(crate) fn sasaran(
        &self,
        s: &Sasaran,
        values: &[Decimal],
        bobot: Option<&[Decimal]>,
        anggota: &[&str],
    ) -> Result<Decimal, Failure> {
        let rule = sasaran_rule(&self.ws.manifest, s);
        self.rollup(
            rule,
            values,
            bobot,
            (&s.id.value, "rollup"),
            anggota,
            s.id.span,
        )
    }

    /// The organisation's nilai kinerja from its sasaran's capaian (`anggota` are the ids of
    /// every sasaran), weighed by `bobot` when its rule is weighted.
    pub(crate) fn nilai_kinerja(
        &self,
        values: &[Decimal],
        bobot: Option<&[Decimal]>,
        anggota: &[&str],
    ) -> Result<Decimal, Failure> {
        let rule = nilai_kinerja_rule(&self.ws.manifest);
        self.rollup(
            rule,
            values,
            bobot,
            ("nilai_kinerja", "rollup"),
            anggota,
            manifest_place(rule),
        )
    }

    /// The mean of the indikator's capaian, by the nilai kinerja rule, as reports print it
    /// beside the nilai kinerja (`anggota` are the indikator's ids). A weighted rule weighs
    /// every indikator the same (a weight of 1 each): the figure is the plain mean.
    pub(crate) fn rata_rata_indikator(
        &self,
        values: &[Decimal],
        anggota: &[&str],
    ) -> Result<Decimal, Failure> {
        let rule = nilai_kinerja_rule(&self.ws.manifest);
        let at = Span::new(FileId(0), 0, 0);
        let ones = vec![Decimal::ONE; values.len()];
        self.rollup(
            rule,
            values,
            Some(&ones),
            ("organisasi", "rata-rata capaian indikator"),
            anggota,
            at,
        )
    }

    /// A figure as of a period from its values per period up to it (`periods` name them,
    /// in order: the rule's `konteks.anggota`), by `rule`, called as a rollup is:
    /// `(nilai)` or `(nilai, konteks)`. `subject` is an indikator's id, or a budget row's.
    pub(crate) fn akumulasi(
        &self,
        subject: &str,
        rule: &RuleRef,
        values: &[Decimal],
        periods: &[String],
        at: Span,
    ) -> Result<Decimal, Failure> {
        let names: Vec<&str> = periods.iter().map(String::as_str).collect();
        self.rollup(
            rule,
            values,
            None,
            (subject, "akumulasi periode"),
            &names,
            at,
        )
    }

    /// The form rollup rule `rule` is defined with, preferring a weighted one when
    /// `weights` are at hand (see [`rollup_form`]).
    pub(crate) fn rollup_form(&self, rule: &RuleRef, weights: bool) -> Option<RollupForm> {
        rollup_form(self.rules, &rule.name, weights)
    }

    fn rollup(
        &self,
        rule: &RuleRef,
        values: &[Decimal],
        bobot: Option<&[Decimal]>,
        (id, what): (&str, &str),
        anggota: &[&str],
        at: Span,
    ) -> Result<Decimal, Failure> {
        let Some(form) = self.rollup_form(rule, bobot.is_some()) else {
            let place = rule.span.unwrap_or(at);
            return Err(Box::new(unknown_rule(
                self.rules,
                rule,
                ROLLUP_ARITIES,
                id,
                place,
            )));
        };
        let context = || rollup_context(id, anggota);
        let mut args = vec![Arg::Nums(values)];
        if form.weighted {
            // The caller checks that the members are weighted before it asks.
            args.push(Arg::Nums(bobot.unwrap_or(&[])));
        }
        if args.len() < form.arity {
            args.push(Arg::Context(&context));
        }
        self.call(rule, &args, id, what, at)
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

    /// The realisation % of the budget's total, or of a row with rows under it, from those
    /// rows, by the total's rule, which receives the rows as columns (`m.pagu`, `m.realisasi`, `m.persen`: lists, one entry
    /// per row, in order), so that a workspace states how its report took the total.
    pub(crate) fn persen_total(
        &self,
        rows: &[(Decimal, Decimal, Decimal)],
        subject: &str,
        at: Span,
    ) -> Result<Decimal, Failure> {
        let rule = persen_total_rule(&self.ws.manifest);
        let column = |pick: fn(&(Decimal, Decimal, Decimal)) -> Decimal| {
            let values = rows
                .iter()
                .map(|r| {
                    Input::Num(Num {
                        value: pick(r),
                        span: at,
                        decimals: 0,
                    })
                })
                .collect();
            Input::List(values, at)
        };
        let columns = Input::Map(
            vec![
                ("pagu".into(), column(|r| r.0)),
                ("realisasi".into(), column(|r| r.1)),
                ("persen".into(), column(|r| r.2)),
            ],
            at,
        );
        let args = |_| vec![Arg::Input(&columns)];
        let what = if subject == "total" {
            "persen realisasi total"
        } else {
            "persen realisasi from its rows"
        };
        self.run(rule, &[1], args, subject, what, at)
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

    /// A budget row's share of its whole: `bagian` (the row's pagu) ÷ `total` (its
    /// parent's pagu, or the budget's total pagu) × 100.
    pub(crate) fn proporsi_anggaran(
        &self,
        bagian: Decimal,
        total: Decimal,
        subject: &str,
        at: Span,
    ) -> Result<Decimal, Failure> {
        let rule = proporsi_rule(&self.ws.manifest);
        self.budget(rule, "proporsi anggaran", bagian, total, subject, at)
    }

    /// The % of `pagu` a row's disbursement plan reaches by the period reported (`rpd`,
    /// the plan as of then), by the budget rule `rumus.persen_rpd`.
    pub(crate) fn persen_rpd(
        &self,
        pagu: Decimal,
        rpd: Decimal,
        subject: &str,
        at: Span,
    ) -> Result<Decimal, Failure> {
        let rule = persen_rpd_rule(&self.ws.manifest);
        self.budget(rule, "persen rpd", pagu, rpd, subject, at)
    }

    /// A row's deviation from its disbursement plan by `rumus.deviasi_rpd`, from the
    /// periods' own amounts up to the period reported, in order: the rule receives them as
    /// columns, `m.realisasi`, `m.rpd` and the periods' codes `m.periode`.
    pub(crate) fn deviasi_rpd(
        &self,
        realisasi: &[Decimal],
        rpd: &[Decimal],
        periods: &[String],
        subject: &str,
        at: Span,
    ) -> Result<Decimal, Failure> {
        let rule = deviasi_rpd_rule(&self.ws.manifest);
        let column = |values: &[Decimal]| {
            let values = values
                .iter()
                .map(|&value| {
                    Input::Num(Num {
                        value,
                        span: at,
                        decimals: 0,
                    })
                })
                .collect();
            Input::List(values, at)
        };
        let names = periods
            .iter()
            .map(|p| {
                Input::Text(Text {
                    value: p.clone(),
                    span: at,
                })
            })
            .collect();
        let columns = Input::Map(
            vec![
                ("realisasi".into(), column(realisasi)),
                ("rpd".into(), column(rpd)),
                ("periode".into(), Input::List(names, at)),
            ],
            at,
        );
        let args = |_| vec![Arg::Input(&columns)];
        self.run(rule, &[1], args, subject, "deviasi rpd", at)
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

    /// The band of `subject`'s `ukuran` (`realisasi`, `capaian`), whose value is `value`,
    /// in the table named `table`; `at` is where the figure is written. A table no file
    /// defines is reported by validation, and gives no band. Returns the band, and a problem:
    /// the rule failing (an error), or the value in no band (a warning, C005).
    pub(crate) fn kategori(
        &self,
        table: &Text,
        value: Decimal,
        subject: &str,
        ukuran: &str,
        at: Span,
    ) -> (Option<Pita>, Option<Diagnostic>) {
        let Some(index) = self.ws.tabel_kategori(&table.value) else {
            return (None, None);
        };
        let tabel = &self.ws.kategori[index];
        let rule = kategori_rule(&self.ws.manifest, tabel);
        let what = format!("kategori {ukuran}");
        let Some(arity) = self.rules.arity(&rule.name, KATEGORI_ARITIES) else {
            let place = rule.span.unwrap_or(table.span);
            let d = unknown_rule(self.rules, rule, KATEGORI_ARITIES, subject, place);
            return (None, Some(d));
        };
        let konteks = || {
            let mut map = rhai::Map::new();
            map.insert("id".into(), subject.into());
            map.insert("ukuran".into(), ukuran.into());
            map.insert("tabel".into(), tabel.nama.value.clone().into());
            Dynamic::from_map(map)
        };
        match look_up(
            self.rules,
            &rule.name,
            arity,
            tabel,
            value,
            &konteks,
            self.cancel,
        ) {
            Ok(Some(band)) => (
                Some(Pita {
                    tabel: index,
                    tingkat: Some(band),
                }),
                None,
            ),
            Ok(None) => {
                let d = (!tabel.tingkat.is_empty()).then(|| {
                    between_bands(
                        self.ws, tabel, &rule.name, value, subject, ukuran, at, table,
                    )
                });
                (
                    Some(Pita {
                        tabel: index,
                        tingkat: None,
                    }),
                    d,
                )
            }
            Err(err) => (None, Some(rule_failure(err, subject, &what, at))),
        }
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
        self.call(rule, &args(arity), subject, what, at)
    }

    /// Calls `rule` for `subject` with `args`, its number of parameters already known.
    fn call(
        &self,
        rule: &RuleRef,
        args: &[Arg<'_>],
        subject: &str,
        what: &str,
        at: Span,
    ) -> Result<Decimal, Failure> {
        self.rules
            .call_number(&rule.name, args, self.cancel)
            .map_err(|err| Box::new(rule_failure(err, subject, what, at)))
    }
}

/// The numbers of parameters a rollup rule may take: `(nilai)`, `(nilai, konteks)`,
/// `(nilai, bobot)`, `(nilai, bobot, konteks)`.
pub(crate) const ROLLUP_ARITIES: &[usize] = &[1, 2, 3];

/// How a rollup rule is called, told by its parameters: a rule whose second parameter is
/// named `bobot` weighs the members, and receives their weights there (`(nilai, bobot)`,
/// `(nilai, bobot, konteks)`); any other takes `(nilai)` or `(nilai, konteks)`. The name
/// decides because two parameters are either: a planner reads `fn f(nilai, bobot)` as
/// weighted, and kinerja reads it the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RollupForm {
    pub(crate) arity: usize,
    pub(crate) weighted: bool,
}

/// The form rollup rule `name` is defined with (a weighted one first when `weights`, an
/// unweighted one first otherwise); `None` when no definition is a rollup's.
pub(crate) fn rollup_form(rules: &RuleSet, name: &str, weights: bool) -> Option<RollupForm> {
    let forms: Vec<RollupForm> = rules
        .get(name)?
        .iter()
        .filter_map(|(&arity, info)| {
            let weighted = arity > 1 && info.params.get(1).is_some_and(|p| p == "bobot");
            (arity <= 2 || (arity == 3 && weighted)).then_some(RollupForm { arity, weighted })
        })
        .collect();
    forms
        .iter()
        .find(|f| f.weighted == weights)
        .or(forms.first())
        .copied()
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

/// A figure in no band of its table: a warning at the figure, naming the bands on either
/// side (or the last band it is beyond) and how to give it a band.
#[allow(clippy::too_many_arguments)]
fn between_bands(
    ws: &Workspace,
    tabel: &TabelKategori,
    rule: &str,
    value: Decimal,
    subject: &str,
    ukuran: &str,
    at: Span,
    named: &Text,
) -> Diagnostic {
    let figure = presented(ws, value);
    let name = &tabel.nama.value;
    // The nearest band wholly below the value, and the nearest wholly above it.
    let below = tabel
        .tingkat
        .iter()
        .filter(|t| {
            t.atas
                .is_some_and(|a| a.nilai.value < value || (a.nilai.value == value && !a.termasuk))
        })
        .max_by(|a, b| {
            let (x, y) = (a.atas.map(|e| e.nilai.value), b.atas.map(|e| e.nilai.value));
            x.cmp(&y)
        });
    let above = tabel
        .tingkat
        .iter()
        .filter(|t| {
            t.bawah
                .is_some_and(|b| b.nilai.value > value || (b.nilai.value == value && !b.termasuk))
        })
        .min_by(|a, b| {
            let (x, y) = (
                a.bawah.map(|e| e.nilai.value),
                b.bawah.map(|e| e.nilai.value),
            );
            x.cmp(&y)
        });
    let band = |t: &Tingkat| format!("`{}` ({})", t.label.value, t.range());
    let round_hint = "or, if the report bands the figure as it prints it, round the figure before it is banded (`bulatkan: 2` on it)";
    let (message, hint) = match (below, above) {
        (Some(lo), Some(hi)) if tabel.tingkat.iter().all(|t| !t.holds(value)) => (
            format!(
                "{subject} {ukuran} {figure} falls between the bands of `{name}`: above {} and below {}",
                band(lo),
                band(hi)
            ),
            format!(
                "close the gap in the table: `lebih_dari: {}` as the lower edge of `{}`, or `kurang_dari: {}` as the upper edge of `{}` (when the table follows a regulation, check which it means); {round_hint}",
                lo.atas.map_or(String::new(), |a| a.text()),
                hi.label.value,
                hi.bawah.map_or(String::new(), |b| b.text()),
                lo.label.value,
            ),
        ),
        (Some(lo), None) if tabel.tingkat.iter().all(|t| !t.holds(value)) => (
            format!(
                "{subject} {ukuran} {figure} is above every band of `{name}` (the highest is {})",
                band(lo)
            ),
            format!(
                "add a band for it (`- {{label: …, lebih_dari: {}}}`), or drop the upper edge of `{}` if it holds every value above",
                lo.atas.map_or(String::new(), |a| a.text()),
                lo.label.value
            ),
        ),
        (None, Some(hi)) if tabel.tingkat.iter().all(|t| !t.holds(value)) => (
            format!(
                "{subject} {ukuran} {figure} is below every band of `{name}` (the lowest is {})",
                band(hi)
            ),
            format!(
                "add a band for it (`- {{label: …, kurang_dari: {}}}`), or drop the lower edge of `{}` if it holds every value below",
                hi.bawah.map_or(String::new(), |b| b.text()),
                hi.label.value
            ),
        ),
        _ => (
            format!("{subject} {ukuran} {figure} is in no band of `{name}`, by rule `{rule}`"),
            format!(
                "the rule `{rule}` gave no band for it: check the rule against the table's bands"
            ),
        ),
    };
    let label = if named.span == at {
        format!("{ukuran} {figure} is in no band of this table")
    } else {
        format!("{ukuran} {figure}, in no band")
    };
    let mut d = Diagnostic::warning(Code::BetweenBands, message)
        .at(at, label)
        .hint(hint);
    for t in [below, above].into_iter().flatten() {
        d = d.also(t.label.span, format!("`{}`: {}", t.label.value, t.range()));
    }
    if named.span != at {
        d = d.also(named.span, format!("banded by `{name}`"));
    }
    d
}

/// What a rule sees of an indikator as its last parameter.
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
            .map_or(Dynamic::UNIT, target_value),
    );
    let renstra: rhai::Map = ind
        .target
        .renstra
        .iter()
        .map(|(y, n)| (y.to_string().into(), target_value(n)))
        .collect();
    map.insert("renstra".into(), Dynamic::from_map(renstra));
    Dynamic::from_map(map)
}

/// A target as a rule sees it: a number, or a map `#{min, maks}` for a range.
fn target_value(t: &NilaiTarget) -> Dynamic {
    match t.angka() {
        TargetAngka::Satu(v) => Dynamic::from_decimal(v),
        TargetAngka::Rentang { min, maks } => {
            let mut m = rhai::Map::new();
            m.insert("min".into(), Dynamic::from_decimal(min));
            m.insert("maks".into(), Dynamic::from_decimal(maks));
            Dynamic::from_map(m)
        }
    }
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

/// A figure in a message: as presented, with its full precision beside it when that differs
/// (`88.31 (88.305 at full precision)`), so a band decided by hidden digits is explained.
pub(crate) fn presented(ws: &Workspace, value: Decimal) -> String {
    let rounding = ws.manifest.tampilan.rounding;
    let shown = fixed_text(rounding.apply(value), rounding.decimals);
    if rounding.apply(value) == value {
        shown
    } else {
        format!("{shown} ({} at full precision)", value.normalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostic::Diagnostics;
    use crate::base::source::Sources;

    fn rules(text: &str) -> RuleSet {
        let mut sources = Sources::default();
        let file = sources.add("rules/r.rhai".into(), text.into());
        let mut diags = Diagnostics::default();
        let set = RuleSet::compile(
            &sources,
            &[file],
            crate::rules::Limits::default(),
            &mut diags,
        );
        assert!(diags.is_empty(), "{diags:?}");
        set
    }

    /// The second parameter's name tells a weighted rollup from one taking its context.
    #[test]
    fn a_rollup_rule_weighs_when_its_second_parameter_is_bobot() {
        let set = rules(
            "fn a(nilai) { 1 }\nfn b(nilai, konteks) { 1 }\nfn c(nilai, bobot) { 1 }\nfn d(nilai, bobot, konteks) { 1 }\nfn e(nilai, x, y) { 1 }\nfn f(nilai) { 1 }\nfn f(nilai, bobot) { 2 }\n",
        );
        let form = |name, weights| rollup_form(&set, name, weights);
        let unweighted = |arity| {
            Some(RollupForm {
                arity,
                weighted: false,
            })
        };
        let weighted = |arity| {
            Some(RollupForm {
                arity,
                weighted: true,
            })
        };
        assert_eq!(form("a", true), unweighted(1));
        assert_eq!(form("b", true), unweighted(2));
        assert_eq!(form("c", false), weighted(2));
        assert_eq!(form("d", false), weighted(3));
        // Three parameters without `bobot` second are no rollup's.
        assert_eq!(form("e", false), None);
        assert_eq!(form("zzz", false), None);
        // Both forms defined: the one the members call for.
        assert_eq!(form("f", false), unweighted(1));
        assert_eq!(form("f", true), weighted(2));
    }
}
