//! What evaluation computes. Results hold figures only: each result stands at the index of
//! its entry in the model (an indikator's result at its indikator's index, a komponen's at
//! its komponen's, a budget row's at its row's), and whatever needs names or places reads
//! them from the model entry there.

use crate::base::number::Rounding;
use crate::model::{Num, Periode, Periodisasi, TargetAngka};
use rust_decimal::Decimal;

/// A computed figure: the value later stages use, and how it came about.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Figure {
    /// The value used from here on (after any stage rounding).
    pub(crate) value: Decimal,
    /// The value the rule returned, at full precision.
    pub(crate) exact: Decimal,
    /// The stage rounding applied, if any.
    pub(crate) rounded: Option<Rounding>,
    /// The rule that computed it; `None` for a value given in a file.
    pub(crate) rule: Option<String>,
    /// Its band, when a band table bands it.
    pub(crate) kategori: Option<Pita>,
}

/// A figure's band: the table that bands it (an index into the workspace's band tables)
/// and the band it falls in, `None` when it falls in none (reported, C005).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pita {
    pub(crate) tabel: usize,
    pub(crate) tingkat: Option<usize>,
}

impl Figure {
    pub(crate) fn new(exact: Decimal, rounding: Option<Rounding>, rule: Option<&str>) -> Figure {
        Figure {
            value: rounding.map_or(exact, |r| r.apply(exact)),
            exact,
            rounded: rounding,
            rule: rule.map(str::to_string),
            kategori: None,
        }
    }
}

/// The results of the whole workspace.
#[derive(Clone, Debug)]
pub(crate) struct Hasil {
    /// One per indikator of the workspace, in its order.
    pub(crate) indikator: Vec<HasilIndikator>,
    /// One per sasaran of the workspace, in its order.
    pub(crate) sasaran: Vec<HasilSasaran>,
    pub(crate) nilai_kinerja: Option<Figure>,
    /// In a workspace without sasaran, the indikator that roll up to the organisation
    /// directly; `None` where sasaran stand between them.
    pub(crate) langsung: Option<Langsung>,
    pub(crate) anggaran: HasilAnggaran,
}

impl Hasil {
    /// The indikator (not komponen) that reached their target and those that did not, over
    /// the whole organisation: through its sasaran, or directly.
    pub(crate) fn jumlah_tercapai(&self) -> (usize, usize) {
        match &self.langsung {
            Some(l) => (l.tercapai, l.belum_tercapai),
            None => self
                .sasaran
                .iter()
                .fold((0, 0), |(t, b), s| (t + s.tercapai, b + s.belum_tercapai)),
        }
    }
}

/// The indikator of a workspace without sasaran (an eselon IV unit's), which roll up to the
/// organisation directly: its nilai kinerja is their rollup, and it counts them as a sasaran
/// counts its own.
#[derive(Clone, Debug)]
pub(crate) struct Langsung {
    /// Indexes into [`Hasil::indikator`]: every indikator of the workspace.
    pub(crate) anggota: Vec<usize>,
    pub(crate) tercapai: usize,
    pub(crate) belum_tercapai: usize,
}

/// One indikator's figures; `None` where a figure could not be computed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct HasilIndikator {
    /// The target that counts for the report's year: one number, or a range.
    pub(crate) target: Option<TargetAngka>,
    pub(crate) realisasi: Option<Figure>,
    pub(crate) capaian: Option<Figure>,
    pub(crate) jangka_menengah: Option<JangkaMenengah>,
    /// Its realisasi is given per period and none is given up to the period reported: the
    /// figure is not due yet ("belum jatuh tempo"), which is not 0 and not a failure.
    pub(crate) belum_jatuh_tempo: bool,
    /// Its target is set by a PK dated after the period reported: not set yet ("target
    /// belum ditetapkan"), so it has no capaian, which is not a failure.
    pub(crate) target_belum_ditetapkan: bool,
    /// Where its realisasi is given or computed per period: each period's value counted
    /// (those up to the period reported), in order; empty otherwise.
    pub(crate) per_periode: Vec<(Periode, Decimal)>,
    /// One per komponen (IKK), in its order: shown, not rolled up.
    pub(crate) komponen: Vec<HasilIndikator>,
}

impl HasilIndikator {
    /// No figure computed, for `model` and its komponen.
    pub(crate) fn none(model: &crate::model::Indikator) -> HasilIndikator {
        HasilIndikator {
            target: None,
            realisasi: None,
            capaian: None,
            jangka_menengah: None,
            belum_jatuh_tempo: false,
            target_belum_ditetapkan: false,
            per_periode: Vec::new(),
            komponen: model.komponen.iter().map(HasilIndikator::none).collect(),
        }
    }

    /// Whether it is measured as of the period reported: not while its figure is not due,
    /// nor while its target is not set. Rollups leave it out then, rather than count it as
    /// 0 or fail.
    pub(crate) fn dinilai(&self) -> bool {
        !self.belum_jatuh_tempo && !self.target_belum_ditetapkan
    }
}

/// What a figure not due yet at the period reported shows, in every report and snapshot:
/// its realisasi is not 0.
pub(crate) const BELUM_JATUH_TEMPO: &str = "belum jatuh tempo";

/// What a target not set yet at the period reported shows (its PK is dated later): not a
/// missing target.
pub(crate) const TARGET_BELUM_DITETAPKAN: &str = "target belum ditetapkan";

/// Realisasi against the Renstra target of its last year.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct JangkaMenengah {
    pub(crate) tahun: i32,
    pub(crate) target: TargetAngka,
    pub(crate) capaian: Figure,
}

#[derive(Clone, Debug)]
pub(crate) struct HasilSasaran {
    /// Its indikator, as indexes into [`Hasil::indikator`].
    pub(crate) anggota: Vec<usize>,
    pub(crate) capaian: Option<Figure>,
    /// How many of its indikator reached their target (capaian ≥ 100), and how many did not;
    /// an indikator without a capaian counts in neither.
    pub(crate) tercapai: usize,
    pub(crate) belum_tercapai: usize,
}

/// The budget's results: rows at the index of the workspace's rows.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct HasilAnggaran {
    /// One per row of the hierarchy ([`crate::model::Anggaran::baris`]).
    pub(crate) baris: Vec<BarisHasil>,
    pub(crate) jenis_belanja: Vec<BarisHasil>,
    /// The total of the hierarchy's top rows (or of the jenis belanja rows when there are
    /// none): both tables must reach the same total, which the audit checks.
    pub(crate) total: Option<BarisHasil>,
    /// The realisation % of each history row: computed where the row gives pagu and
    /// realisasi, else as written.
    pub(crate) riwayat: Vec<Option<Decimal>>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct BarisHasil {
    pub(crate) pagu: Decimal,
    pub(crate) realisasi: Decimal,
    /// Realisation % at full precision; `None` when the rule could not compute it.
    pub(crate) persen: Option<Decimal>,
    pub(crate) sisa: Option<Decimal>,
    /// Its share of the pagu of what it belongs to, at full precision
    /// (`shares` in eval/budget.rs says of what); `None` for the total, and when the rule
    /// could not compute it.
    pub(crate) proporsi: Option<Decimal>,
    /// Its figures per period and against its disbursement plan, where the budget gives
    /// values per period (`None` elsewhere: such a budget reads as it always has). Its
    /// `pagu` is then the pagu in force at the period reported, and its `realisasi` the
    /// realisasi as of it.
    pub(crate) periode: Option<Box<AnggaranPeriode>>,
}

impl BarisHasil {
    /// Its pagu for the year, which a chronology must reach: the one written (`given`),
    /// else the one computed where it is the year's: as of the year's end, or where its
    /// figures are not given per period (a row given per period holds the pagu in force at
    /// the period reported).
    pub(crate) fn pagu_tahun(&self, given: Option<Num>, periode: &Periodisasi) -> Option<Decimal> {
        match given {
            Some(n) => Some(n.value),
            None => (periode.akhir_tahun() || self.periode.is_none()).then_some(self.pagu),
        }
    }
}

/// A budget row's figures per period, as of the period reported.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct AnggaranPeriode {
    /// Every period of the calendar up to the one reported, in order.
    pub(crate) periode: Vec<NilaiPeriode>,
    /// The plan as of the period reported; `None` without one (for a row with rows under
    /// it: unless every row under it has one).
    pub(crate) rpd: Option<Decimal>,
    /// The plan's % of the pagu in force, by `rumus.persen_rpd`.
    pub(crate) persen_rpd: Option<Decimal>,
    /// The realisasi's deviation from the plan, by `rumus.deviasi_rpd`: where both are
    /// complete up to the period reported.
    pub(crate) deviasi: Option<Decimal>,
    /// Given per period, with nothing up to the period reported: its realisasi is not due
    /// ("belum jatuh tempo"), not 0, and it has no %.
    pub(crate) belum_jatuh_tempo: bool,
    /// Rows at the bottom of the hierarchy under it whose realisasi is not due, where it is
    /// due itself: its sums leave them out, so it claims no %, no sisa and no deviation.
    pub(crate) kurang: usize,
    /// Rows at the bottom of the hierarchy under it (or itself) whose realisasi is given
    /// for the year only, not per period: its sums per period leave them out.
    pub(crate) tanpa_periode: usize,
    /// Where its pagu in force comes from: the step of its chronology in force at the
    /// period reported (an index into its `kronologi.perubahan`), else its pagu as written.
    pub(crate) kronologi: Option<usize>,
}

impl AnggaranPeriode {
    /// Whether it has anything per period to show: a value, a plan, or a realisasi not due
    /// (a row given for the year only in a budget given per period has none).
    pub(crate) fn berkala(&self) -> bool {
        self.belum_jatuh_tempo
            || self
                .periode
                .iter()
                .any(|n| n.realisasi_sd.is_some() || n.rpd_sd.is_some())
    }
}

/// One period's amounts of a budget row: its own, and as of its end.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct NilaiPeriode {
    pub(crate) periode: Periode,
    /// The period's own realisasi: the realisasi as of its end less that as of the period
    /// before's; `None` before the row's first value (not due then).
    pub(crate) realisasi: Option<Decimal>,
    /// The realisasi as of the period's end, by the row's accumulation rule.
    pub(crate) realisasi_sd: Option<Decimal>,
    /// The period's own planned amount, likewise.
    pub(crate) rpd: Option<Decimal>,
    pub(crate) rpd_sd: Option<Decimal>,
    /// Rows at the bottom of the hierarchy under it with no realisasi up to this period.
    pub(crate) kurang: usize,
}

/// Whether a capaian reaches its target: the one threshold every count uses.
pub(crate) fn tercapai(capaian: Decimal) -> bool {
    capaian >= Decimal::ONE_HUNDRED
}

/// How many of `anggota` (indexes into `indikator`) reached their target, and how many did
/// not; an indikator without a capaian counts in neither.
pub(crate) fn hitung_tercapai(anggota: &[usize], indikator: &[HasilIndikator]) -> (usize, usize) {
    anggota
        .iter()
        .filter_map(|i| indikator[*i].capaian.as_ref())
        .fold((0, 0), |(t, b), c| {
            if tercapai(c.value) {
                (t + 1, b)
            } else {
                (t, b + 1)
            }
        })
}
