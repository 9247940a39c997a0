//! What a report printed, kept to audit it against what kinerja computes.

use super::periode::Periode;
use super::value::{Num, Text};
use crate::base::source::Span;

/// Figures a report printed. A figure printed in several places, perhaps differently,
/// appears once per printing.
#[derive(Clone, Debug, Default, Hash)]
pub(crate) struct Dicetak {
    pub(crate) figures: Vec<Cetakan>,
    /// The bands printed beside figures (`kategori_realisasi: BB`).
    pub(crate) kategori: Vec<CetakanKategori>,
}

impl Dicetak {
    pub(crate) fn is_empty(&self) -> bool {
        self.figures.is_empty() && self.kategori.is_empty()
    }
}

/// A band printed beside a figure: `kategori_realisasi: BB`.
#[derive(Clone, Debug, Hash)]
pub(crate) struct CetakanKategori {
    /// Which figure's band: `kategori_realisasi`, `kategori_capaian`,
    /// `kategori_nilai_kinerja` (the span is the key's).
    pub(crate) ukuran: Text,
    /// The label as printed (the span is the value's).
    pub(crate) label: Text,
    pub(crate) sumber: Option<String>,
    pub(crate) diketahui: Option<String>,
    /// The period it was printed for (`periode: TW2`), where its key is written; `None`:
    /// the manifest's `periode.laporan`, else the whole year.
    pub(crate) periode: Option<(Periode, Span)>,
}

impl CetakanKategori {
    /// The figure banded: `realisasi` for `kategori_realisasi`.
    pub(crate) fn figure(&self) -> &str {
        self.ukuran
            .value
            .strip_prefix("kategori_")
            .unwrap_or(&self.ukuran.value)
    }
}

/// One printed figure.
#[derive(Clone, Debug, Hash)]
pub(crate) struct Cetakan {
    /// What was printed: `realisasi`, `capaian`, `persen`, … (the span is the key's).
    pub(crate) ukuran: Text,
    pub(crate) nilai: Num,
    /// Where in the report: a table, a page, a line.
    pub(crate) sumber: Option<String>,
    /// An explanation for a known disagreement: the audit still lists it, as known, and it
    /// no longer counts as a warning.
    pub(crate) diketahui: Option<String>,
    /// The period it was printed for (`periode: TW2`), where its value is written; `None`:
    /// the manifest's `periode.laporan`, else the whole year.
    pub(crate) periode: Option<(Periode, Span)>,
}

/// A table the report printed with its rows and its printed totals, audited for sums.
#[derive(Clone, Debug, Hash)]
pub(crate) struct Tabel {
    pub(crate) nama: Text,
    pub(crate) sumber: Option<String>,
    pub(crate) baris: Vec<BarisTabel>,
    /// The printed total of each column.
    pub(crate) jumlah: Vec<(Text, Num)>,
    pub(crate) diketahui: Option<String>,
}

#[derive(Clone, Debug, Hash)]
pub(crate) struct BarisTabel {
    pub(crate) nama: String,
    pub(crate) nilai: Vec<(String, Num)>,
}
