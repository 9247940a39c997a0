//! The budget: pagu and realisasi per kegiatan and per jenis belanja, line items, history.

use super::printed::Dicetak;
use super::value::{Num, Text};
use crate::base::source::Span;

#[derive(Clone, Debug, Default)]
pub(crate) struct Anggaran {
    /// The programme's name, where a budget file names it (`program: Program …`).
    pub(crate) program: Option<Text>,
    /// The rows of the budget's hierarchy (program, kegiatan, sub kegiatan; kegiatan, KRO,
    /// RO, komponen: the manifest's `anggaran.tingkat`), every row before its children and
    /// the children in the order written: the report's order.
    pub(crate) baris: Vec<BarisAnggaran>,
    /// The jenis belanja rows: the budget's own (`induk: None`), then those of rows that
    /// carry their own breakdown.
    pub(crate) jenis_belanja: Vec<BarisAnggaran>,
    pub(crate) rincian: Vec<Rincian>,
    pub(crate) riwayat: Vec<Riwayat>,
    pub(crate) dicetak_total: Dicetak,
}

impl Anggaran {
    /// The rows at the top of the hierarchy, whose sums are the total.
    pub(crate) fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.baris.len()).filter(|&i| self.baris[i].induk.is_none())
    }

    /// The budget's own jenis belanja rows (not a row's breakdown).
    pub(crate) fn jenis_total(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.jenis_belanja.len()).filter(|&i| self.jenis_belanja[i].induk.is_none())
    }

    /// Whether the budget has rows the total is taken from.
    pub(crate) fn is_empty(&self) -> bool {
        self.baris.is_empty() && self.jenis_belanja.is_empty()
    }

    /// The rows the total sums: the hierarchy's top rows, else (a budget given only by
    /// jenis belanja) the budget's own jenis belanja rows.
    pub(crate) fn basis(&self) -> (TabelAnggaran, Vec<usize>) {
        if self.baris.is_empty() {
            (TabelAnggaran::JenisBelanja, self.jenis_total().collect())
        } else {
            (TabelAnggaran::Baris, self.roots().collect())
        }
    }

    /// The first row written, where the budget is placed in messages.
    pub(crate) fn first(&self) -> Option<&BarisAnggaran> {
        self.baris.first().or(self.jenis_belanja.first())
    }

    /// The row whose figures are named `id`.
    pub(crate) fn by_id(&self, id: &str) -> Option<(TabelAnggaran, usize)> {
        if let Some(i) = self.baris.iter().position(|r| r.id == id) {
            return Some((TabelAnggaran::Baris, i));
        }
        self.jenis_belanja
            .iter()
            .position(|r| r.id == id)
            .map(|i| (TabelAnggaran::JenisBelanja, i))
    }
}

/// Which of the budget's two tables a row is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TabelAnggaran {
    /// The hierarchy (kegiatan and the levels above and below it).
    Baris,
    JenisBelanja,
}

/// One row of a budget table: a row of the hierarchy (a program, kegiatan, sub kegiatan,
/// KRO, RO, komponen …) or a jenis belanja.
#[derive(Clone, Debug)]
pub(crate) struct BarisAnggaran {
    /// How its figures are named: `kegiatan: 57`, `sub_kegiatan: 1.01.01.2.01.0001`
    /// ([`budget_id`]).
    pub(crate) id: String,
    /// The budget code (kegiatan code, or the jenis belanja's), where known.
    pub(crate) kode: Option<Text>,
    pub(crate) nama: Text,
    /// The amounts as given (in a file, or by line data); a row of the hierarchy with
    /// children may leave them out: it is then the sum of its children.
    pub(crate) pagu: Option<Num>,
    pub(crate) realisasi: Option<Num>,
    /// Whether its amounts come from line data (`rincian_csv`), not from its file.
    pub(crate) dari_rincian: bool,
    pub(crate) dicetak: Dicetak,
    /// Where the row is written (the first place, when files merge it).
    pub(crate) span: Span,
    /// Its level: an index into the manifest's levels (0 for a jenis belanja row).
    pub(crate) tingkat: usize,
    /// The row it belongs to, an index into [`Anggaran::baris`]: a row's parent, or the row
    /// whose breakdown a jenis belanja row is; `None` at the top.
    pub(crate) induk: Option<usize>,
    /// Its children, indexes into [`Anggaran::baris`], in order.
    pub(crate) anak: Vec<usize>,
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

    /// Where its pagu is written, else (a row summed from its rows) its code or name.
    pub(crate) fn pagu_at(&self) -> Span {
        self.pagu.map_or(self.key().span, |n| n.span)
    }

    /// Where its realisasi is written, else its code or name.
    pub(crate) fn realisasi_at(&self) -> Span {
        self.realisasi.map_or(self.key().span, |n| n.span)
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

/// The levels of a budget hierarchy when the manifest names none: regional budgets
/// (Permendagri 90/2019) are program → kegiatan → sub kegiatan; central ones (the DIPA)
/// kegiatan → KRO (klasifikasi rincian output) → RO (rincian output) → komponen, the
/// programme being the budget file's `program:` name.
pub(crate) fn default_levels(skema: Skema) -> &'static [&'static str] {
    match skema {
        Skema::Pusat => &["kegiatan", "kro", "ro", "komponen"],
        Skema::Daerah => &["program", "kegiatan", "sub_kegiatan"],
    }
}

/// The level names a planner may write for a budget row's children in any workspace (the
/// defaults of both schemes): what editors are offered. A manifest may name others.
pub(crate) const KNOWN_LEVELS: [&str; 6] = [
    "program",
    "kegiatan",
    "sub_kegiatan",
    "kro",
    "ro",
    "komponen",
];

/// A level's name as people read it: `sub_kegiatan` → `sub kegiatan`, `kro` → `KRO`.
pub(crate) fn level_title(name: &str) -> String {
    match name {
        "kro" | "ro" => name.to_uppercase(),
        _ => name.replace('_', " "),
    }
}

/// A line item: one row's spending of one jenis belanja.
#[derive(Clone, Debug)]
pub(crate) struct Rincian {
    /// The row it names, by code or name: a kegiatan (`rincian:`), or the row at the
    /// deepest level line data names.
    pub(crate) kegiatan: Text,
    /// That row, an index into [`Anggaran::baris`]; `None` when no row has that code or
    /// name (reported).
    pub(crate) baris: Option<usize>,
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
    /// That year's figures printed elsewhere in the report.
    pub(crate) dicetak: Dicetak,
    pub(crate) span: Span,
}

impl Riwayat {
    /// How the year is named in findings and `explain`: `riwayat: 2021`.
    pub(crate) fn id(&self) -> String {
        format!("riwayat: {}", self.tahun)
    }
}

/// The national classification of spending types (APBN), by the account's first two digits.
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

/// The regional classification of spending types (APBD): Permendagri 90/2019 on the
/// classification, codification and nomenclature of regional planning and finance, as
/// updated by Kepmendagri 050-5889/2021. Akun 5 Belanja Daerah; kelompok 5.1 Belanja
/// Operasi, whose jenis are the third segment (5.1.01 …), and 5.2 Belanja Modal, 5.3
/// Belanja Tidak Terduga and 5.4 Belanja Transfer, which are jenis themselves in the
/// reports (`5.2.02.05.01.0005` is Belanja Modal). Source for the structure (5 Belanja
/// Daerah, 5.1 Belanja Operasi, 5.1.01 Belanja Pegawai with its objek 5.1.01.01 …): the
/// Permendagri 90/2019 account listing "Kode Anggaran - SANDING - Belanja"
/// (pdfcoffee.com/download/kode-anggaran-sanding-belanja-pdf-free.html); the other names
/// are those of issue 14, not checked against the Kepmendagri's own text here.
const JENIS_BELANJA_DAERAH: [(&str, &str); 9] = [
    ("5.1.01", "Belanja Pegawai"),
    ("5.1.02", "Belanja Barang dan Jasa"),
    ("5.1.03", "Belanja Bunga"),
    ("5.1.04", "Belanja Subsidi"),
    ("5.1.05", "Belanja Hibah"),
    ("5.1.06", "Belanja Bantuan Sosial"),
    ("5.2", "Belanja Modal"),
    ("5.3", "Belanja Tidak Terduga"),
    ("5.4", "Belanja Transfer"),
];

/// Which classification a workspace's budget codes follow: the central one (APBN: akun
/// `521211`, jenis `52`) or the regional one (APBD: akun `5.1.02.01.01.0024`, jenis
/// `5.1.02`). Named in the manifest as `anggaran: {skema: daerah}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) enum Skema {
    #[default]
    Pusat,
    Daerah,
}

impl Skema {
    pub(crate) const NAMES: &'static [&'static str] = &["pusat", "daerah"];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Skema::Pusat => "pusat",
            Skema::Daerah => "daerah",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Skema> {
        match name {
            "pusat" => Some(Skema::Pusat),
            "daerah" => Some(Skema::Daerah),
            _ => None,
        }
    }

    /// The scheme's jenis belanja: code and name.
    pub(crate) fn codes(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Skema::Pusat => &JENIS_BELANJA,
            Skema::Daerah => &JENIS_BELANJA_DAERAH,
        }
    }

    /// The codes for a message: `51 Belanja Pegawai, 52 Belanja Barang, …`.
    pub(crate) fn listing(self) -> String {
        self.codes()
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The jenis belanja code an akun belongs to, a prefix of it; `None` when the akun
    /// is not written as the scheme writes accounts. Central: the first two digits
    /// (`521211` → `52`). Regional: dotted segments of digits, the first two of one digit
    /// each, then under 5.1 a third of two digits (`5.1.02.01.01.0024` → `5.1.02`), and
    /// elsewhere the first two alone (`5.2.02.05.01.0005` → `5.2`).
    #[inline]
    pub(crate) fn jenis_of_akun(self, akun: &str) -> Option<&str> {
        match self {
            Skema::Pusat => akun
                .get(..2)
                .filter(|j| j.bytes().all(|b| b.is_ascii_digit())),
            // Out of line: the central scheme's loop over millions of lines stays small.
            Skema::Daerah => regional_jenis(akun),
        }
    }

    /// The name of a jenis belanja from its code, or from any account of it.
    pub(crate) fn jenis_name(self, code: &str) -> Option<&'static str> {
        let jenis = self.jenis_of_akun(code)?;
        self.codes()
            .iter()
            .find(|(k, _)| *k == jenis)
            .map(|(_, n)| *n)
    }
}

/// [`Skema::jenis_of_akun`] for the regional scheme.
#[inline(never)]
fn regional_jenis(akun: &str) -> Option<&str> {
    let b = akun.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    // `D.D`, then a segment end: the end, or a dot before more.
    let ends_at = |i: usize| i == b.len() || (b[i] == b'.' && digit(i + 1));
    if !(digit(0) && b.get(1) == Some(&b'.') && digit(2)) {
        return None;
    }
    if &b[..3] == b"5.1" {
        let third = b.get(3) == Some(&b'.') && digit(4) && digit(5);
        (third && ends_at(6)).then(|| &akun[..6])
    } else {
        ends_at(3).then(|| &akun[..3])
    }
}

/// The name of a central jenis belanja from its code, or from any account (`521211` →
/// Barang).
#[cfg(test)]
pub(crate) fn jenis_belanja_name(code: &str) -> Option<&'static str> {
    Skema::Pusat.jenis_name(code)
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
        assert_eq!(jenis_belanja_name("5.1.02"), None);
    }

    #[test]
    fn regional_jenis_from_account() {
        let d = Skema::Daerah;
        assert_eq!(d.jenis_of_akun("5.1.02.01.01.0024"), Some("5.1.02"));
        assert_eq!(d.jenis_of_akun("5.2.02.05.01.0005"), Some("5.2"));
        assert_eq!(d.jenis_of_akun("5.3"), Some("5.3"));
        assert_eq!(d.jenis_of_akun("5.1.06"), Some("5.1.06"));
        assert_eq!(
            d.jenis_name("5.1.02.01.01.0024"),
            Some("Belanja Barang dan Jasa")
        );
        assert_eq!(d.jenis_name("5.2.02.05.01.0005"), Some("Belanja Modal"));
        assert_eq!(d.jenis_name("5.4"), Some("Belanja Transfer"));
        assert_eq!(d.jenis_name("5.1.07"), None);
        assert_eq!(d.jenis_name("52"), None);
        for bad in [
            "", "5", "5.", "5.1", "5.1.", "5.1.1", "5.1.1.01", "5.1.020", "5.10", "52", "5..1",
            "5.2.", "5.2x", "x.1.02", "5.1.02x", "5.1.02.", " 5.2", "5.2 ",
        ] {
            assert_eq!(d.jenis_of_akun(bad), None, "{bad:?}");
        }
        assert_eq!(Skema::Pusat.jenis_of_akun("5.1.02"), None);
        assert!(
            Skema::Daerah
                .listing()
                .starts_with("5.1.01 Belanja Pegawai, 5.1.02")
        );
    }
}
