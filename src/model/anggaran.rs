//! The budget: pagu and realisasi per kegiatan and per jenis belanja, line items, history.

use super::printed::Dicetak;
use super::value::{Num, Text};
use crate::base::source::Span;

#[derive(Clone, Debug, Default)]
pub(crate) struct Anggaran {
    pub(crate) program: Option<String>,
    pub(crate) kegiatan: Vec<BarisAnggaran>,
    pub(crate) jenis_belanja: Vec<BarisAnggaran>,
    pub(crate) rincian: Vec<Rincian>,
    pub(crate) riwayat: Vec<Riwayat>,
    pub(crate) dicetak_total: Dicetak,
}

/// One row of a budget table: a kegiatan or a jenis belanja.
#[derive(Clone, Debug)]
pub(crate) struct BarisAnggaran {
    /// The budget code (kegiatan code, or the 2-digit jenis belanja), where known.
    pub(crate) kode: Option<Text>,
    pub(crate) nama: Text,
    pub(crate) pagu: Num,
    pub(crate) realisasi: Num,
    pub(crate) dicetak: Dicetak,
}

impl BarisAnggaran {
    /// How rows are referred to: by code where there is one, else by name.
    pub(crate) fn key(&self) -> &Text {
        self.kode.as_ref().unwrap_or(&self.nama)
    }

    /// The code, or empty where the workspace gives none.
    pub(crate) fn kode(&self) -> &str {
        self.kode.as_ref().map_or("", |k| k.value.as_str())
    }
}

/// How a budget row is named in findings, snapshots and `explain`: `kegiatan: 57`, or by
/// name where it has no code.
pub(crate) fn budget_id(table: &str, kode: &str, nama: &str) -> String {
    if kode.is_empty() {
        format!("{table}: {nama}")
    } else {
        format!("{table}: {kode}")
    }
}

/// A line item: one kegiatan's spending of one jenis belanja.
#[derive(Clone, Debug)]
pub(crate) struct Rincian {
    pub(crate) kegiatan: Text,
    pub(crate) jenis_belanja: Text,
    pub(crate) pagu: Num,
    pub(crate) realisasi: Num,
}

/// A past year's budget realisation.
#[derive(Clone, Debug)]
pub(crate) struct Riwayat {
    pub(crate) tahun: i32,
    pub(crate) pagu: Option<Num>,
    pub(crate) realisasi: Option<Num>,
    pub(crate) persen: Option<Num>,
    pub(crate) span: Span,
}

/// The national classification of spending types, by the account's first two digits.
const JENIS_BELANJA: [(&str, &str); 8] = [
    ("51", "Belanja Pegawai"),
    ("52", "Belanja Barang"),
    ("53", "Belanja Modal"),
    ("54", "Belanja Pembayaran Kewajiban Utang (Bunga)"),
    ("55", "Belanja Subsidi"),
    ("56", "Belanja Hibah"),
    ("57", "Belanja Bantuan Sosial"),
    ("58", "Belanja Lain-lain"),
];

/// The name of a jenis belanja from its code, or from any account (`521211` → Barang).
pub(crate) fn jenis_belanja_name(code: &str) -> Option<&'static str> {
    let prefix = code.get(..2)?;
    JENIS_BELANJA
        .iter()
        .find(|(k, _)| *k == prefix)
        .map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jenis_belanja_from_account() {
        assert_eq!(jenis_belanja_name("57"), Some("Belanja Bantuan Sosial"));
        assert_eq!(jenis_belanja_name("521211"), Some("Belanja Barang"));
        assert_eq!(jenis_belanja_name("59"), None);
        assert_eq!(jenis_belanja_name("5"), None);
    }
}
