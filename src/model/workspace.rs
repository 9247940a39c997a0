use super::anggaran::Anggaran;
use super::indikator::{Indikator, Sasaran};
use super::kategori::TabelKategori;
use super::manifest::Manifest;
use super::rule_test::RuleTest;
use crate::base::source::Sources;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Everything one run read.
pub(crate) struct Workspace {
    pub(crate) sources: Sources,
    pub(crate) manifest: Manifest,
    pub(crate) sasaran: Vec<Sasaran>,
    /// Indikator Kinerja Program, in the order they were written. Shared, so that a watch
    /// session builds each run's workspace from unchanged files without copying them.
    pub(crate) indikator: Vec<Arc<Indikator>>,
    pub(crate) anggaran: Anggaran,
    /// Sasaran named by indikator that were left out for their errors: not orphans.
    pub(crate) dropped_refs: BTreeSet<String>,
    /// The rules' test cases (`rules/*.test.yaml`), in file order.
    pub(crate) rule_tests: Vec<RuleTest>,
    /// The band tables (`rules/*.kategori.yaml`), in file order.
    pub(crate) kategori: Vec<TabelKategori>,
}

/// Which parts of a report a workspace holds: a unit reports indikator with sasaran, indikator
/// without (an eselon IV unit's roll up to the organisation directly), a budget, or any of
/// these together. Every output shows what is here and leaves the rest out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Isi {
    /// Indikator (IKP): the performance part, with its nilai kinerja.
    pub(crate) indikator: bool,
    /// Sasaran over those indikator; without them the indikator roll up to the organisation
    /// directly. Never without indikator (a sasaran measured by none is reported, and shown
    /// nowhere).
    pub(crate) sasaran: bool,
    /// A budget: kegiatan, jenis belanja or a realisation history.
    pub(crate) anggaran: bool,
}

impl Isi {
    /// Whether the indikator roll up to the organisation directly: there are indikator, and
    /// no sasaran.
    pub(crate) fn langsung(self) -> bool {
        self.indikator && !self.sasaran
    }

    /// The parts of a report this workspace does not hold, by their names in the files
    /// (`indikator`, `sasaran`, `anggaran`): sasaran only where there are indikator (without
    /// indikator, there is nothing for a sasaran to hold).
    pub(crate) fn tidak_memuat(self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if !self.indikator {
            out.push("indikator");
        } else if !self.sasaran {
            out.push("sasaran");
        }
        if !self.anggaran {
            out.push("anggaran");
        }
        out
    }
}

impl Workspace {
    /// Which parts of a report this workspace holds.
    pub(crate) fn isi(&self) -> Isi {
        let a = &self.anggaran;
        let indikator = !self.indikator.is_empty();
        Isi {
            indikator,
            sasaran: indikator && !self.sasaran.is_empty(),
            anggaran: !(a.is_empty() && a.riwayat.is_empty()),
        }
    }

    /// The band table named `name`, by its index in [`Workspace::kategori`] (the first
    /// of that name: a second is reported).
    pub(crate) fn tabel_kategori(&self, name: &str) -> Option<usize> {
        self.kategori.iter().position(|t| t.nama.value == name)
    }
}
