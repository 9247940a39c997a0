use super::anggaran::Skema;
use super::indikator::Polaritas;
use super::kategori::KategoriBawaan;
use super::periode::Periodisasi;
use super::printed::Dicetak;
use super::value::{RuleRef, Text};
use crate::base::number::{Locale, Rounding};
use crate::base::source::Span;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// `kinerja.yaml`: who reports, for which year, and how figures are rounded and computed.
#[derive(Clone, Debug, Hash)]
pub(crate) struct Manifest {
    pub(crate) organisasi: String,
    pub(crate) instansi: Option<String>,
    pub(crate) tahun: i32,
    pub(crate) tampilan: Tampilan,
    pub(crate) pembulatan: Pembulatan,
    pub(crate) rumus: RumusBawaan,
    /// Which band table bands each stage's figures, unless an indikator or sasaran says.
    pub(crate) kategori: KategoriBawaan,
    pub(crate) dicetak: Dicetak,
    /// Rule directories shared with other workspaces, relative to this one.
    pub(crate) pustaka_rumus: Vec<Text>,
    /// How the budget's codes are written: central (APBN) or regional (APBD).
    pub(crate) skema: Skema,
    /// What the weights (`bobot`) of one rollup's members add up to.
    pub(crate) bobot: BobotJumlah,
    /// The levels of the budget's hierarchy, from the top (`anggaran.tingkat`, else the
    /// scheme's default: `anggaran::default_levels`).
    pub(crate) tingkat: Vec<String>,
    /// The calendar, the period reported and how periods accumulate (`periode:`).
    pub(crate) periode: Periodisasi,
}

impl Manifest {
    /// The index of the budget level named `name`.
    pub(crate) fn level(&self, name: &str) -> Option<usize> {
        self.tingkat.iter().position(|t| t == name)
    }
}

/// The total the weights of a rollup's members must reach: 100 (percentages, the default)
/// or what the manifest's `bobot: {jumlah: …}` says (1 for fractions).
#[derive(Clone, Copy, Debug, Hash)]
pub(crate) struct BobotJumlah {
    pub(crate) jumlah: Decimal,
    /// Where the manifest states it; `None` for the default.
    pub(crate) span: Option<Span>,
}

impl Default for BobotJumlah {
    fn default() -> Self {
        BobotJumlah {
            jumlah: Decimal::ONE_HUNDRED,
            span: None,
        }
    }
}

/// How figures are presented (never how they are computed).
#[derive(Clone, Copy, Debug, Hash)]
pub(crate) struct Tampilan {
    pub(crate) rounding: Rounding,
    pub(crate) locale: Locale,
}

/// Rounding *at a stage*: a figure of that stage is rounded before anything later uses it.
/// Absent means full precision, which is the default everywhere.
#[derive(Clone, Copy, Debug, Default, Hash)]
pub(crate) struct Pembulatan {
    pub(crate) realisasi: Option<Rounding>,
    pub(crate) capaian: Option<Rounding>,
    pub(crate) capaian_sasaran: Option<Rounding>,
    pub(crate) nilai_kinerja: Option<Rounding>,
}

/// The rules used where an indikator or sasaran names none.
#[derive(Clone, Debug, Hash)]
pub(crate) struct RumusBawaan {
    pub(crate) capaian: BTreeMap<Polaritas, RuleRef>,
    /// The capaian rule per polaritas of an indikator whose target is a range.
    pub(crate) capaian_rentang: BTreeMap<Polaritas, RuleRef>,
    pub(crate) capaian_sasaran: RuleRef,
    pub(crate) nilai_kinerja: RuleRef,
    pub(crate) persen_anggaran: RuleRef,
    /// The total's realisation %, from the rows (a rule receiving them).
    pub(crate) persen_total: RuleRef,
    pub(crate) sisa_anggaran: RuleRef,
    /// A row's share of the pagu of what it belongs to (`proporsi_anggaran`).
    pub(crate) proporsi_anggaran: RuleRef,
    /// The % of the pagu a row's disbursement plan reaches by the period reported.
    pub(crate) persen_rpd: RuleRef,
    /// A row's deviation of its realisasi from its disbursement plan.
    pub(crate) deviasi_rpd: RuleRef,
    /// The rule that looks a figure up in a band table, unless the table names its own.
    pub(crate) kategori: RuleRef,
}

impl Default for RumusBawaan {
    fn default() -> Self {
        let per_polaritas = |prefix: &str| {
            [
                Polaritas::Maksimal,
                Polaritas::Minimal,
                Polaritas::Stabilisasi,
            ]
            .into_iter()
            .map(|p| (p, RuleRef::builtin(&format!("{prefix}_{}", p.name()))))
            .collect()
        };
        RumusBawaan {
            capaian: per_polaritas("capaian"),
            capaian_rentang: per_polaritas("capaian_rentang"),
            capaian_sasaran: RuleRef::builtin("rata_rata"),
            nilai_kinerja: RuleRef::builtin("rata_rata"),
            persen_anggaran: RuleRef::builtin("persen_realisasi"),
            persen_total: RuleRef::builtin("persen_total_pagu"),
            sisa_anggaran: RuleRef::builtin("sisa_anggaran"),
            proporsi_anggaran: RuleRef::builtin("proporsi"),
            persen_rpd: RuleRef::builtin("persen_realisasi"),
            deviasi_rpd: RuleRef::builtin("deviasi_rpd"),
            kategori: RuleRef::builtin("kategori"),
        }
    }
}
