//! Sasaran and their indikator: targets, realisasi, the rules that compute them.

use super::periode::{PerPeriode, Periode, RealisasiPeriode};
use super::printed::{Dicetak, Tabel};
use super::value::{Num, RuleRef, Text};
use crate::base::number::Rounding;
use crate::base::source::Span;
use compact_str::CompactString;
use rust_decimal::Decimal;

#[derive(Clone, Debug, Hash)]
pub(crate) struct Sasaran {
    pub(crate) id: Text,
    pub(crate) nama: String,
    /// Rollup rule for this sasaran's capaian, if not the manifest's.
    pub(crate) rumus: Option<RuleRef>,
    pub(crate) bulatkan: Option<Rounding>,
    /// The band table of this sasaran's capaian, if not the manifest's.
    pub(crate) kategori: Option<Text>,
    /// Its weight in the organisation's nilai kinerja, read by a weighted rollup rule.
    pub(crate) bobot: Option<Num>,
    pub(crate) dicetak: Dicetak,
    /// The whole entry in its file.
    pub(crate) span: Span,
}

/// An indicator: an IKP (with a sasaran) or an IKK (a component under an IKP).
#[derive(Clone, Debug, Hash)]
pub(crate) struct Indikator {
    pub(crate) id: Text,
    pub(crate) nama: String,
    pub(crate) sasaran: Option<Text>,
    pub(crate) satuan: String,
    pub(crate) polaritas: Polaritas,
    pub(crate) target: Target,
    pub(crate) realisasi: Option<Realisasi>,
    pub(crate) capaian: CapaianSpec,
    /// Its weight in its sasaran's capaian, read by a weighted rollup rule (an IKP's only:
    /// komponen are not rolled up).
    pub(crate) bobot: Option<Num>,
    pub(crate) komponen: Vec<Indikator>,
    pub(crate) dicetak: Dicetak,
    pub(crate) bukti: Vec<Bukti>,
    pub(crate) tabel: Vec<Tabel>,
    pub(crate) catatan: Option<String>,
    /// The whole entry in its file.
    pub(crate) span: Span,
}

impl Indikator {
    /// This indikator or one of its komponen, by id.
    pub(crate) fn find(&self, id: &str) -> Option<&Indikator> {
        if self.id.value == id {
            return Some(self);
        }
        self.komponen.iter().find_map(|k| k.find(id))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Polaritas {
    /// Higher is better.
    Maksimal,
    /// Lower is better.
    Minimal,
    /// On target is best (a range).
    Stabilisasi,
}

impl Polaritas {
    pub(crate) const NAMES: [&'static str; 3] = ["maksimal", "minimal", "stabilisasi"];

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "maksimal" => Polaritas::Maksimal,
            "minimal" => Polaritas::Minimal,
            "stabilisasi" => Polaritas::Stabilisasi,
            _ => return None,
        })
    }

    pub(crate) fn name(self) -> &'static str {
        Polaritas::NAMES[self as usize]
    }
}

#[derive(Clone, Debug, Default, Hash)]
pub(crate) struct Target {
    /// The Perjanjian Kinerja target of the manifest's year, when the PK differs from Renstra.
    pub(crate) pk: Option<NilaiTarget>,
    /// Renstra targets by year.
    pub(crate) renstra: ByYear,
    /// The PK's targets per period of the report year (`per_periode: {TW1: 25, TW2: 50}`),
    /// each the target as of that period.
    pub(crate) per_periode: PerPeriode<NilaiTarget>,
    pub(crate) span: Option<Span>,
}

/// One target as written: a number (`target: 90`), or a range (`{min: 80, maks: 90}`,
/// "80–90": a realisasi inside it reaches the target).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum NilaiTarget {
    Satu(Num),
    Rentang {
        min: Num,
        maks: Num,
        /// The whole range, `{min: 80, maks: 90}`.
        span: Span,
    },
}

impl NilaiTarget {
    /// Where it is written.
    pub(crate) fn span(&self) -> Span {
        match self {
            NilaiTarget::Satu(n) => n.span,
            NilaiTarget::Rentang { span, .. } => *span,
        }
    }

    /// Its value, as computation uses it.
    pub(crate) fn angka(&self) -> TargetAngka {
        match self {
            NilaiTarget::Satu(n) => TargetAngka::Satu(n.value),
            NilaiTarget::Rentang { min, maks, .. } => TargetAngka::Rentang {
                min: min.value,
                maks: maks.value,
            },
        }
    }

    /// Every number written: the one, or both bounds.
    pub(crate) fn nums(&self) -> impl Iterator<Item = &Num> {
        let (a, b) = match self {
            NilaiTarget::Satu(n) => (n, None),
            NilaiTarget::Rentang { min, maks, .. } => (min, Some(maks)),
        };
        std::iter::once(a).chain(b)
    }
}

/// A target's value: one number, or a range from `min` to `maks`, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum TargetAngka {
    Satu(Decimal),
    Rentang { min: Decimal, maks: Decimal },
}

/// Which bound of a range a realisasi is measured against (PermenPANRB: above the range
/// against the upper bound, below it against the lower; inside it, the target is reached).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Posisi {
    Bawah,
    Dalam,
    Atas,
}

impl TargetAngka {
    /// As every output shows it, each number written by `num`: `90`, a range `80–90`.
    pub(crate) fn text(self, num: impl Fn(Decimal) -> String) -> String {
        match self {
            TargetAngka::Satu(v) => num(v),
            TargetAngka::Rentang { min, maks } => format!("{}–{}", num(min), num(maks)),
        }
    }

    /// The lower bound, or the one number.
    pub(crate) fn min(self) -> Decimal {
        match self {
            TargetAngka::Satu(v) | TargetAngka::Rentang { min: v, .. } => v,
        }
    }

    /// The upper bound of a range.
    pub(crate) fn maks(self) -> Option<Decimal> {
        match self {
            TargetAngka::Satu(_) => None,
            TargetAngka::Rentang { maks, .. } => Some(maks),
        }
    }

    /// The one number; `None` for a range.
    pub(crate) fn satu(self) -> Option<Decimal> {
        match self {
            TargetAngka::Satu(v) => Some(v),
            TargetAngka::Rentang { .. } => None,
        }
    }

    /// Where `realisasi` stands against a range; `None` for one number.
    pub(crate) fn posisi(&self, realisasi: Decimal) -> Option<Posisi> {
        match *self {
            TargetAngka::Satu(_) => None,
            TargetAngka::Rentang { min, .. } if realisasi < min => Some(Posisi::Bawah),
            TargetAngka::Rentang { maks, .. } if realisasi > maks => Some(Posisi::Atas),
            TargetAngka::Rentang { .. } => Some(Posisi::Dalam),
        }
    }
}

/// Which target counts for the report's year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TargetSource {
    /// The Perjanjian Kinerja's.
    Pk,
    /// The Renstra's for that year.
    Renstra(i32),
    /// The PK's for a period (`per_periode`).
    Periode(Periode),
}

impl Target {
    /// The target that counts for `year`: the PK's, else the Renstra's.
    pub(crate) fn for_year(&self, year: i32) -> Option<&NilaiTarget> {
        self.in_force(year).map(|(_, n)| n)
    }

    /// [`Target::for_year`], saying where the target comes from.
    pub(crate) fn in_force(&self, year: i32) -> Option<(TargetSource, &NilaiTarget)> {
        match &self.pk {
            Some(pk) => Some((TargetSource::Pk, pk)),
            None => self
                .renstra
                .get(year)
                .map(|n| (TargetSource::Renstra(year), n)),
        }
    }

    /// The Renstra's last year and its target: the medium-term comparison point.
    pub(crate) fn last_renstra(&self) -> Option<(i32, &NilaiTarget)> {
        self.renstra.last()
    }

    /// The target as of period `sampai` of `year`: the one set for the latest period up to
    /// it, else the year's ([`Target::in_force`]).
    pub(crate) fn as_of(&self, year: i32, sampai: Periode) -> Option<(TargetSource, &NilaiTarget)> {
        match self.per_periode.sampai(sampai).last() {
            Some((p, _, t)) => Some((TargetSource::Periode(*p), t)),
            None => self.in_force(year),
        }
    }

    /// Every target written: PK, Renstra and per period.
    pub(crate) fn all(&self) -> impl Iterator<Item = &NilaiTarget> {
        self.pk
            .iter()
            .chain(self.renstra.values())
            .chain(self.per_periode.nilai.iter().map(|(_, _, t)| t))
    }
}

/// Values by year, in year order. A plan covers a few years: a sorted vector holds them in
/// what they need (a tree map would take room for eleven; 100,000 indikator have one each).
#[derive(Clone, Debug, Default, Hash)]
pub(crate) struct ByYear(Vec<(i32, NilaiTarget)>);

impl ByYear {
    pub(crate) fn get(&self, year: i32) -> Option<&NilaiTarget> {
        self.0
            .binary_search_by_key(&year, |(y, _)| *y)
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// Sets `year`'s value, replacing one given before.
    pub(crate) fn insert(&mut self, year: i32, value: NilaiTarget) {
        match self.0.binary_search_by_key(&year, |(y, _)| *y) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (year, value)),
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (i32, &NilaiTarget)> {
        self.0.iter().map(|(y, n)| (*y, n))
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &NilaiTarget> {
        self.0.iter().map(|(_, n)| n)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The last year and its value.
    pub(crate) fn last(&self) -> Option<(i32, &NilaiTarget)> {
        self.0.last().map(|(y, n)| (*y, n))
    }
}

#[derive(Clone, Debug, Hash)]
pub(crate) struct Realisasi {
    pub(crate) sumber: SumberRealisasi,
    pub(crate) bulatkan: Option<Rounding>,
    /// The band table of the realisasi (a SAKIP score's predikat, an IKM's mutu).
    pub(crate) kategori: Option<Text>,
    /// How its periods accumulate (`akumulasi: jumlah`), instead of the manifest's rule for
    /// its satuan.
    pub(crate) akumulasi: Option<RuleRef>,
    pub(crate) span: Span,
}

#[derive(Clone, Debug, Hash)]
pub(crate) enum SumberRealisasi {
    /// A value given as it is (a score from another body, a figure of record).
    Nilai(Num),
    /// Computed by a rule from inputs.
    Rumus { rumus: RuleRef, masukan: Input },
    /// Given per period (`per_periode: {TW1: 20, TW2: 35}`); the figure as of a period is
    /// the accumulation rule's over the periods up to it.
    PerPeriode(RealisasiPeriode),
    /// Computed per period by a rule from each period's inputs (`rumus: rasio, per_periode:
    /// {TW1: {n: 30, t: 40}}`); the periods' values accumulate as values given per period do.
    RumusPerPeriode {
        rumus: RuleRef,
        masukan: PerPeriode<Input>,
    },
}

#[derive(Clone, Debug, Default, Hash)]
pub(crate) struct CapaianSpec {
    pub(crate) rumus: Option<RuleRef>,
    pub(crate) bulatkan: Option<Rounding>,
    /// The band table of the capaian, if not the manifest's.
    pub(crate) kategori: Option<Text>,
}

/// Inputs handed to a rule: numbers, text, lists and mappings, as written.
#[derive(Clone, Debug, Hash)]
pub(crate) enum Input {
    Num(Num),
    Text(Text),
    List(Vec<Input>, Span),
    /// Keys are short (`n`, `t`, `nilai`): kept inline, without an allocation each.
    Map(Vec<(CompactString, Input)>, Span),
}

impl Input {
    /// Where the input is written.
    pub(crate) fn span(&self) -> Span {
        match self {
            Input::Num(n) => n.span,
            Input::Text(t) => t.span,
            Input::List(_, s) | Input::Map(_, s) => *s,
        }
    }
}

/// Another computation of the same figure, found in the report, kept as evidence beside
/// the figure of record.
#[derive(Clone, Debug, Hash)]
pub(crate) struct Bukti {
    pub(crate) keterangan: Option<String>,
    /// Why the evidence disagrees with the figure of record, once someone has looked.
    pub(crate) diketahui: Option<String>,
    pub(crate) rumus: RuleRef,
    pub(crate) masukan: Input,
    pub(crate) span: Span,
}
