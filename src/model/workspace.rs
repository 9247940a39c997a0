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

impl Workspace {
    /// The band table named `name`, by its index in [`Workspace::kategori`] (the first
    /// of that name: a second is reported).
    pub(crate) fn tabel_kategori(&self, name: &str) -> Option<usize> {
        self.kategori.iter().position(|t| t.nama.value == name)
    }
}
