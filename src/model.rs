//! The workspace as data: what planners wrote, typed, with the place each value came from.
//! Built by [`crate::workspace`], checked by [`crate::validate`], read by [`crate::eval`].

use crate::number::{Locale, Rounding};
use crate::source::{Sources, Span};
use crate::yaml::{Num, Text};
use compact_str::CompactString;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

pub struct Workspace {
    pub root: PathBuf,
    pub sources: Sources,
    pub manifest: Manifest,
    pub sasaran: Vec<Sasaran>,
    /// Indikator Kinerja Program, in the order they were written. Shared, so that a watch
    /// session builds each run's workspace from unchanged files without copying them.
    pub indikator: Vec<Arc<Indikator>>,
    pub anggaran: Anggaran,
    /// Sasaran named by indikator that were left out for their errors: not orphans.
    pub dropped_refs: std::collections::BTreeSet<String>,
}

impl Workspace {
    pub fn find_indikator(&self, id: &str) -> Option<&Indikator> {
        self.indikator.iter().find_map(|i| i.find(id))
    }
}

/// `kinerja.yaml`: who reports, for which year, and how figures are rounded and computed.
#[derive(Clone, Debug)]
pub struct Manifest {
    pub organisasi: String,
    pub instansi: Option<String>,
    pub tahun: i32,
    pub tampilan: Tampilan,
    pub pembulatan: Pembulatan,
    pub rumus: RumusBawaan,
    pub dicetak: Dicetak,
    /// Rule directories shared with other workspaces, relative to this one.
    pub pustaka_rumus: Vec<Text>,
}

/// How figures are presented (never how they are computed).
#[derive(Clone, Copy, Debug)]
pub struct Tampilan {
    pub rounding: Rounding,
    pub locale: Locale,
}

/// Rounding *at a stage*: a figure of that stage is rounded before anything later uses it.
/// Absent means full precision, which is the default everywhere.
#[derive(Clone, Copy, Debug, Default)]
pub struct Pembulatan {
    pub realisasi: Option<Rounding>,
    pub capaian: Option<Rounding>,
    pub capaian_sasaran: Option<Rounding>,
    pub nilai_kinerja: Option<Rounding>,
}

/// The rules used where an indikator or sasaran names none.
#[derive(Clone, Debug)]
pub struct RumusBawaan {
    pub capaian: BTreeMap<Polaritas, RuleRef>,
    pub capaian_sasaran: RuleRef,
    pub nilai_kinerja: RuleRef,
    pub persen_anggaran: RuleRef,
    pub sisa_anggaran: RuleRef,
}

/// A rule named in a file; the span points at the name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleRef {
    pub name: String,
    pub span: Option<Span>,
}

impl From<Text> for RuleRef {
    fn from(t: Text) -> Self {
        RuleRef {
            name: t.value,
            span: Some(t.span),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Polaritas {
    /// Higher is better.
    Maksimal,
    /// Lower is better.
    Minimal,
    /// On target is best (a range).
    Stabilisasi,
}

impl Polaritas {
    pub const NAMES: [&'static str; 3] = ["maksimal", "minimal", "stabilisasi"];

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "maksimal" => Polaritas::Maksimal,
            "minimal" => Polaritas::Minimal,
            "stabilisasi" => Polaritas::Stabilisasi,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        Polaritas::NAMES[self as usize]
    }
}

/// Figures a report printed, kept to audit them against what kinerja computes. A figure
/// printed in several places, perhaps differently, appears once per printing.
#[derive(Clone, Debug, Default)]
pub struct Dicetak {
    pub figures: Vec<Cetakan>,
}

/// One printed figure.
#[derive(Clone, Debug)]
pub struct Cetakan {
    /// What was printed: `realisasi`, `capaian`, `persen`, … (the span is the key's).
    pub ukuran: Text,
    pub nilai: Num,
    /// Where in the report: a table, a page, a line.
    pub sumber: Option<String>,
    /// An explanation for a known disagreement: the audit still lists it, as known, and it
    /// no longer counts as a warning.
    pub diketahui: Option<String>,
}

impl Dicetak {
    /// The first printing of `key`.
    pub fn get(&self, key: &str) -> Option<&Num> {
        self.figures
            .iter()
            .find(|c| c.ukuran.value == key)
            .map(|c| &c.nilai)
    }
}

/// A table the report printed with its rows and its printed totals, audited for sums.
#[derive(Clone, Debug)]
pub struct Tabel {
    pub nama: Text,
    pub sumber: Option<String>,
    pub baris: Vec<BarisTabel>,
    /// The printed total of each column.
    pub jumlah: Vec<(Text, Num)>,
    pub diketahui: Option<String>,
}

#[derive(Clone, Debug)]
pub struct BarisTabel {
    pub nama: String,
    pub nilai: Vec<(String, Num)>,
}

#[derive(Clone, Debug)]
pub struct Sasaran {
    pub id: Text,
    pub nama: String,
    /// Rollup rule for this sasaran's capaian, if not the manifest's.
    pub rumus: Option<RuleRef>,
    pub bulatkan: Option<Rounding>,
    pub dicetak: Dicetak,
    /// The whole entry in its file.
    pub span: Span,
}

/// An indicator: an IKP (with a sasaran) or an IKK (a component under an IKP).
#[derive(Clone, Debug)]
pub struct Indikator {
    pub id: Text,
    pub nama: String,
    pub sasaran: Option<Text>,
    pub satuan: String,
    pub polaritas: Polaritas,
    pub target: Target,
    pub realisasi: Option<Realisasi>,
    pub capaian: CapaianSpec,
    pub komponen: Vec<Indikator>,
    pub dicetak: Dicetak,
    pub bukti: Vec<Bukti>,
    pub tabel: Vec<Tabel>,
    pub catatan: Option<String>,
    /// The whole entry in its file: its text fingerprints the definition for caching.
    pub span: Span,
}

impl Indikator {
    pub fn find(&self, id: &str) -> Option<&Indikator> {
        if self.id.value == id {
            return Some(self);
        }
        self.komponen.iter().find_map(|k| k.find(id))
    }
}

#[derive(Clone, Debug, Default)]
pub struct Target {
    /// The Perjanjian Kinerja target of the manifest's year, when the PK differs from Renstra.
    pub pk: Option<Num>,
    /// Renstra targets by year.
    pub renstra: BTreeMap<i32, Num>,
    pub span: Option<Span>,
}

impl Target {
    /// The target that counts for `year`: the PK's, else the Renstra's.
    pub fn for_year(&self, year: i32) -> Option<&Num> {
        self.pk.as_ref().or_else(|| self.renstra.get(&year))
    }

    /// The Renstra's last year and its target: the medium-term comparison point.
    pub fn last_renstra(&self) -> Option<(i32, &Num)> {
        self.renstra.iter().next_back().map(|(y, n)| (*y, n))
    }
}

#[derive(Clone, Debug)]
pub struct Realisasi {
    pub sumber: SumberRealisasi,
    pub bulatkan: Option<Rounding>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum SumberRealisasi {
    /// A value given as it is (a score from another body, a figure of record).
    Nilai(Num),
    /// Computed by a rule from inputs.
    Rumus { rumus: RuleRef, masukan: Input },
}

#[derive(Clone, Debug, Default)]
pub struct CapaianSpec {
    pub rumus: Option<RuleRef>,
    pub bulatkan: Option<Rounding>,
}

/// Inputs handed to a rule: numbers, text, lists and mappings, as written.
#[derive(Clone, Debug)]
pub enum Input {
    Num(Num),
    Text(Text),
    List(Vec<Input>, Span),
    /// Keys are short (`n`, `t`, `nilai`): kept inline, without an allocation each.
    Map(Vec<(CompactString, Input)>, Span),
}

/// Another computation of the same figure, found in the report, kept as evidence beside
/// the figure of record.
#[derive(Clone, Debug)]
pub struct Bukti {
    pub keterangan: Option<String>,
    /// Why the evidence disagrees with the figure of record, once someone has looked.
    pub diketahui: Option<String>,
    pub rumus: RuleRef,
    pub masukan: Input,
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct Anggaran {
    pub program: Option<String>,
    pub kegiatan: Vec<BarisAnggaran>,
    pub jenis_belanja: Vec<BarisAnggaran>,
    pub rincian: Vec<Rincian>,
    pub riwayat: Vec<Riwayat>,
    pub dicetak_total: Dicetak,
}

/// One row of a budget table: a kegiatan or a jenis belanja.
#[derive(Clone, Debug)]
pub struct BarisAnggaran {
    /// The budget code (kegiatan code, or the 2-digit jenis belanja), where known.
    pub kode: Option<Text>,
    pub nama: Text,
    pub pagu: Num,
    pub realisasi: Num,
    pub dicetak: Dicetak,
}

impl BarisAnggaran {
    /// How rows are referred to: by code where there is one, else by name.
    pub fn key(&self) -> &Text {
        self.kode.as_ref().unwrap_or(&self.nama)
    }
}

/// A line item: one kegiatan's spending of one jenis belanja.
#[derive(Clone, Debug)]
pub struct Rincian {
    pub kegiatan: Text,
    pub jenis_belanja: Text,
    pub pagu: Num,
    pub realisasi: Num,
}

/// A past year's budget realisation.
#[derive(Clone, Debug)]
pub struct Riwayat {
    pub tahun: i32,
    pub pagu: Option<Num>,
    pub realisasi: Option<Num>,
    pub persen: Option<Num>,
    pub span: Span,
}
