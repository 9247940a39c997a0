//! Rule test cases (`rules/*.test.yaml`): a rule, its arguments as a planner writes them,
//! and the result or the error expected.

use super::indikator::Input;
use super::kategori::TabelKategori;
use super::value::{Num, Text};
use crate::base::source::Span;

/// One test case.
#[derive(Clone, Debug, Hash)]
pub(crate) struct RuleTest {
    /// Shown in the report; the rule's name and the case's line when absent.
    pub(crate) nama: Option<Text>,
    pub(crate) rumus: Text,
    pub(crate) args: TestArgs,
    pub(crate) expect: Expect,
    /// The whole case, where failures point.
    pub(crate) span: Span,
}

/// A rule's arguments, by the use the rule is made for.
#[derive(Clone, Debug, Hash)]
pub(crate) enum TestArgs {
    /// A realisasi formula: `masukan`, and the indikator it works for, when the rule takes it.
    Masukan {
        masukan: Input,
        indikator: Option<Input>,
    },
    /// A capaian rule: `realisasi` against `target`.
    Capaian {
        realisasi: Num,
        target: Num,
        indikator: Option<Input>,
    },
    /// A capaian rule against a range: `realisasi`, `min` and `maks`.
    Rentang {
        realisasi: Num,
        min: Num,
        maks: Num,
        indikator: Option<Input>,
    },
    /// A rollup: a list of `nilai`, the `bobot` of each for a weighted one, and its
    /// `konteks` (`id`, `anggota`).
    Rollup {
        nilai: Vec<Num>,
        bobot: Option<Vec<Num>>,
        konteks: Option<Input>,
    },
    /// A budget rule: `pagu` and `realisasi`.
    Anggaran { pagu: Num, realisasi: Num },
    /// A share rule: `bagian` of `total`.
    Proporsi { bagian: Num, total: Num },
    /// A band lookup: a figure's `nilai` in a band table (`tabel`), and its `konteks`.
    Kategori {
        nilai: Num,
        tabel: TabelArg,
        konteks: Option<Input>,
    },
}

/// The band table of a case: one of the workspace's, by name, or one written in the case.
#[derive(Clone, Debug, Hash)]
pub(crate) enum TabelArg {
    Nama(Text),
    Isi(TabelKategori),
}

impl TestArgs {
    /// The numbers of parameters a rule for this use may take, as evaluation calls it.
    pub(crate) fn arities(&self) -> &'static [usize] {
        match self {
            TestArgs::Masukan { .. } => &[1, 2],
            TestArgs::Rollup { bobot: None, .. } => &[1, 2],
            TestArgs::Rollup { bobot: Some(_), .. } => &[2, 3],
            TestArgs::Capaian { .. } | TestArgs::Kategori { .. } => &[2, 3],
            TestArgs::Rentang { .. } => &[3, 4],
            TestArgs::Anggaran { .. } | TestArgs::Proporsi { .. } => &[2],
        }
    }
}

/// What the case expects.
#[derive(Clone, Debug, Hash)]
pub(crate) enum Expect {
    /// A number: compared exactly, or after rounding both to `desimal` decimals.
    Hasil { nilai: Num, desimal: Option<u32> },
    /// An error whose message contains this text.
    Galat(Text),
    /// A band lookup giving this label.
    Label(Text),
    /// A band lookup giving no band (`tanpa_kategori: true`): the value falls between the
    /// bands, or outside them all.
    TanpaKategori,
}
