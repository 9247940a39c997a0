//! Sasaran and their indikator: targets, realisasi, the rules that compute them.

use super::periode::{PerPeriode, Periode, RealisasiPeriode, Tanggal};
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
    /// The PK's targets as signed and revised during the year (PK awal, PK revisi), in date
    /// order; when given, they stand instead of `pk` and `per_periode`.
    pub(crate) revisi: Vec<RevisiTarget>,
    pub(crate) span: Option<Span>,
}

/// One dated PK of the year: the targets it sets, in force from the period its date falls
/// in until the next revision's.
#[derive(Clone, Debug, Hash)]
pub(crate) struct RevisiTarget {
    pub(crate) tanggal: Tanggal,
    /// Where the date is written: where the revision is placed in messages.
    pub(crate) span: Span,
    /// The year's target it sets.
    pub(crate) pk: Option<NilaiTarget>,
    /// The targets per period it sets, as `target.per_periode`.
    pub(crate) per_periode: PerPeriode<NilaiTarget>,
    /// Which document: `PK awal`, `PK revisi`.
    pub(crate) dokumen: Option<Text>,
    /// The report's line or table it is taken from.
    pub(crate) sumber: Option<Text>,
    pub(crate) keterangan: Option<Text>,
}

impl RevisiTarget {
    /// As outputs name it: its document and date, `PK revisi, September 2022`.
    pub(crate) fn nama(&self) -> String {
        let dokumen = self.dokumen.as_ref().map_or("revisi", |d| d.value.as_str());
        format!("{dokumen}, {}", self.tanggal.nama())
    }
}

/// One target as written: a number (`target: 90`), or a range (`{min: 80, maks: 90}`,
/// "80–90": a realisasi inside it reaches the target).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum NilaiTarget {
    Satu(Num),
    /// Boxed: ranges are rare, and inline one would more than double every target's size
    /// (each indikator holds several: the PK's, the Renstra years').
    Rentang(Box<Rentang>),
}

/// A range target as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Rentang {
    pub(crate) min: Num,
    pub(crate) maks: Num,
    /// The whole range, `{min: 80, maks: 90}`.
    pub(crate) span: Span,
}

impl NilaiTarget {
    /// Where it is written.
    pub(crate) fn span(&self) -> Span {
        match self {
            NilaiTarget::Satu(n) => n.span,
            NilaiTarget::Rentang(r) => r.span,
        }
    }

    /// Its value, as computation uses it.
    pub(crate) fn angka(&self) -> TargetAngka {
        match self {
            NilaiTarget::Satu(n) => TargetAngka::Satu(n.value),
            NilaiTarget::Rentang(r) => TargetAngka::Rentang {
                min: r.min.value,
                maks: r.maks.value,
            },
        }
    }

    /// Every number written: the one, or both bounds.
    pub(crate) fn nums(&self) -> impl Iterator<Item = &Num> {
        let (a, b) = match self {
            NilaiTarget::Satu(n) => (n, None),
            NilaiTarget::Rentang(r) => (&r.min, Some(&r.maks)),
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
    /// A dated revision's (`revisi[ke]`): its year's target, or its target for a period.
    Revisi { ke: usize, periode: Option<Periode> },
}

impl Target {
    /// The target that counts for `year`: the PK's, else the Renstra's.
    pub(crate) fn for_year(&self, year: i32) -> Option<&NilaiTarget> {
        self.in_force(year).map(|(_, n)| n)
    }

    /// [`Target::for_year`], saying where the target comes from: with revisions, the last
    /// one's, the PK in force at the year's end.
    pub(crate) fn in_force(&self, year: i32) -> Option<(TargetSource, &NilaiTarget)> {
        let pk = match self.revisi.len().checked_sub(1) {
            Some(ke) => self.revisi[ke].pk.as_ref().map(|n| {
                let source = TargetSource::Revisi { ke, periode: None };
                (source, n)
            }),
            None => self.pk.as_ref().map(|n| (TargetSource::Pk, n)),
        };
        pk.or_else(|| self.renstra(year))
    }

    fn renstra(&self, year: i32) -> Option<(TargetSource, &NilaiTarget)> {
        self.renstra
            .get(year)
            .map(|n| (TargetSource::Renstra(year), n))
    }

    /// The Renstra's last year and its target: the medium-term comparison point.
    pub(crate) fn last_renstra(&self) -> Option<(i32, &NilaiTarget)> {
        self.renstra.last()
    }

    /// The target as of period `sampai` of `year`: the one set for the latest period up to
    /// it, else the year's ([`Target::in_force`]). With revisions, those of the revision in
    /// force then ([`Target::revisi_pada`]); before the first, none.
    pub(crate) fn as_of(&self, year: i32, sampai: Periode) -> Option<(TargetSource, &NilaiTarget)> {
        if self.revisi.is_empty() {
            return match self.per_periode.sampai(sampai).last() {
                Some((p, _, t)) => Some((TargetSource::Periode(*p), t)),
                None => self.in_force(year),
            };
        }
        let (ke, r) = self.revisi_pada(year, sampai)?;
        match r.per_periode.sampai(sampai).last() {
            Some((p, _, t)) => Some((
                TargetSource::Revisi {
                    ke,
                    periode: Some(*p),
                },
                t,
            )),
            None => {
                r.pk.as_ref()
                    .map(|n| (TargetSource::Revisi { ke, periode: None }, n))
                    .or_else(|| self.renstra(year))
            }
        }
    }

    /// The revision in force at the end of period `sampai` of `year`, with its index: the
    /// latest dated on or before it. `None` before the first (and without revisions).
    pub(crate) fn revisi_pada(&self, year: i32, sampai: Periode) -> Option<(usize, &RevisiTarget)> {
        self.revisi
            .iter()
            .enumerate()
            .rev()
            .find(|(_, r)| r.tanggal.berlaku_pada(year, sampai))
    }

    /// Whether, as of period `sampai` of `year`, the target is not set yet: the PK that sets
    /// it is dated later ("target belum ditetapkan"), which is not a missing target.
    pub(crate) fn belum_ditetapkan(&self, year: i32, sampai: Periode) -> bool {
        !self.revisi.is_empty() && self.revisi_pada(year, sampai).is_none()
    }

    /// Every target written: PK, Renstra, per period and those of every revision.
    pub(crate) fn all(&self) -> impl Iterator<Item = &NilaiTarget> {
        self.pk
            .iter()
            .chain(self.renstra.values())
            .chain(self.per_periode.nilai.iter().map(|(_, _, t)| t))
            .chain(self.revisi.iter().flat_map(|r| {
                r.pk.iter()
                    .chain(r.per_periode.nilai.iter().map(|(_, _, t)| t))
            }))
    }

    /// Whether nothing readable is written: no PK, Renstra, per-period target or revision.
    pub(crate) fn is_empty(&self) -> bool {
        self.pk.is_none()
            && self.renstra.is_empty()
            && self.per_periode.nilai.is_empty()
            && self.revisi.is_empty()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::FileId;
    use crate::model::periode::Kalender;

    fn num(v: i64) -> NilaiTarget {
        NilaiTarget::Satu(Num {
            value: Decimal::from(v),
            span: Span::new(FileId(0), 0, 0),
            decimals: 0,
        })
    }

    fn revisi(tanggal: &str, pk: Option<i64>, per_periode: &[(u8, i64)]) -> RevisiTarget {
        let s = Span::new(FileId(0), 0, 0);
        RevisiTarget {
            tanggal: Tanggal::parse(tanggal).unwrap_or_else(|e| panic!("{e:?}")),
            span: s,
            pk: pk.map(num),
            per_periode: PerPeriode {
                nilai: per_periode
                    .iter()
                    .map(|(ke, v)| (tw(*ke), s, num(*v)))
                    .collect(),
            },
            dokumen: None,
            sumber: None,
            keterangan: None,
        }
    }

    fn tw(ke: u8) -> Periode {
        Periode {
            kalender: Kalender::Triwulan,
            ke,
        }
    }

    fn target_as_of(t: &Target, ke: u8) -> Option<Decimal> {
        t.as_of(2022, tw(ke)).map(|(_, n)| n.angka().min())
    }

    #[test]
    fn the_revision_in_force_is_the_latest_dated_by_the_periods_end() {
        let t = Target {
            revisi: vec![
                revisi("2022-01", Some(40), &[]),
                revisi("2022-09-09", Some(50), &[]),
            ],
            ..Target::default()
        };
        let at: Vec<_> = (1..=4).map(|ke| target_as_of(&t, ke)).collect();
        assert_eq!(at, [40, 40, 50, 50].map(|v| Some(Decimal::from(v))));
        assert_eq!(
            t.as_of(2022, tw(2)).map(|(s, _)| s),
            Some(TargetSource::Revisi {
                ke: 0,
                periode: None
            })
        );
        // The year's target is the last revision's.
        assert_eq!(
            t.for_year(2022).map(|n| n.angka().min()),
            Some(Decimal::from(50))
        );
        assert!(!t.belum_ditetapkan(2022, tw(1)));
        // A PK awal of the year before is in force from the first period.
        let t = Target {
            revisi: vec![revisi("2021-11", Some(30), &[])],
            ..Target::default()
        };
        assert_eq!(target_as_of(&t, 1), Some(Decimal::from(30)));
    }

    #[test]
    fn before_the_first_revision_the_target_is_not_set_yet() {
        let mut t = Target {
            revisi: vec![revisi("2022-09", Some(100), &[])],
            ..Target::default()
        };
        t.renstra.insert(2022, num(99));
        assert_eq!(target_as_of(&t, 2), None, "not the Renstra's either");
        assert!(t.belum_ditetapkan(2022, tw(2)));
        assert!(!t.belum_ditetapkan(2022, tw(3)));
        assert_eq!(target_as_of(&t, 3), Some(Decimal::from(100)));
        // Without revisions nothing is "not set yet": a target is there or missing.
        let none = Target::default();
        assert!(!none.belum_ditetapkan(2022, tw(1)));
        assert!(none.as_of(2022, tw(1)).is_none());
    }

    #[test]
    fn a_revisions_targets_per_period_count_as_target_per_periode_does() {
        let mut t = Target {
            revisi: vec![
                revisi("2022-01", None, &[(1, 25), (2, 50), (3, 75), (4, 100)]),
                revisi("2022-07", Some(90), &[(4, 90)]),
            ],
            ..Target::default()
        };
        t.renstra.insert(2022, num(80));
        let at: Vec<_> = (1..=4).map(|ke| target_as_of(&t, ke)).collect();
        // TW3: the July revision sets no TW3 target: its year's, 90.
        assert_eq!(at, [25, 50, 90, 90].map(|v| Some(Decimal::from(v))));
        assert_eq!(
            t.as_of(2022, tw(4)).map(|(s, _)| s),
            Some(TargetSource::Revisi {
                ke: 1,
                periode: Some(tw(4))
            })
        );
        // A revision with targets per period only: before its first, the year's Renstra.
        let mut t = Target {
            revisi: vec![revisi("2022-01", None, &[(2, 50)])],
            ..Target::default()
        };
        t.renstra.insert(2022, num(80));
        assert_eq!(target_as_of(&t, 1), Some(Decimal::from(80)));
        assert_eq!(t.all().count(), 2);
    }
}
