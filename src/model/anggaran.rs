//! The budget: pagu and realisasi per kegiatan and per jenis belanja, line items, history.

use super::periode::{PerPeriode, Periode, Tanggal};
use super::printed::Dicetak;
use super::value::{Num, RuleRef, Text};
use crate::base::source::Span;
use rust_decimal::Decimal;

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
    /// The dated changes of the budget's total pagu (a budget file's own `kronologi:`),
    /// where a report tells them of the whole budget rather than per row.
    pub(crate) kronologi_total: Kronologi,
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

    /// Whether any row gives values per period (a realisasi or a plan): only then does the
    /// budget have figures per period and as of a period.
    pub(crate) fn berkala(&self) -> bool {
        self.baris
            .iter()
            .chain(&self.jenis_belanja)
            .any(BarisAnggaran::berkala)
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
    /// Its dated pagu changes (`kronologi:`), empty where its pagu stood all year.
    pub(crate) kronologi: Kronologi,
    /// Its realisasi per period (`realisasi: {per_periode: {TW1: …}}`, or line data with
    /// a period column): the realisasi as of a period accumulates them up to it, by the
    /// rule [`Berkala::akumulasi`] names (the cumulative sum by default: each value the
    /// period's own spending).
    pub(crate) realisasi_periode: PerPeriode<Num>,
    /// Its disbursement plan (RPD, `rpd: {per_periode: {TW1: …}}`), accumulated likewise.
    pub(crate) rpd: PerPeriode<Num>,
    /// Whether, and where, its realisasi is given per period (then `realisasi` is `None`).
    pub(crate) realisasi_berkala: Option<Berkala>,
    /// Whether, and where, it gives a disbursement plan.
    pub(crate) rpd_berkala: Option<Berkala>,
}

/// Values given per period on a budget row (its realisasi or its RPD): where, and how they
/// accumulate when the row says.
#[derive(Clone, Debug)]
pub(crate) struct Berkala {
    /// The key they are given under (`realisasi`, `rpd`), or the line data's entry.
    pub(crate) span: Span,
    /// The row's accumulation rule (`akumulasi: terakhir`, for figures printed "s.d. TW
    /// II"); `None`: the manifest's for rupiah, else the cumulative sum.
    pub(crate) akumulasi: Option<RuleRef>,
    /// Summed from line data with a period column, not written: an export taken after the
    /// period reported runs past it, which is no mistake (its later lines are not counted).
    pub(crate) dari_rincian: bool,
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

    /// Where its realisasi is written (a number, or the values per period), else its code
    /// or name.
    pub(crate) fn realisasi_at(&self) -> Span {
        match (&self.realisasi, &self.realisasi_berkala) {
            (Some(n), _) => n.span,
            (None, Some(b)) => b.span,
            (None, None) => self.key().span,
        }
    }

    /// Whether it gives values per period: a realisasi or a plan.
    pub(crate) fn berkala(&self) -> bool {
        self.realisasi_berkala.is_some() || self.rpd_berkala.is_some()
    }

    /// Whether its pagu is its chronology's final pagu, the row leaving `pagu` out: such a
    /// pagu is placed at the change that set it, where no written pagu can stand.
    pub(crate) fn pagu_dari_kronologi(&self) -> bool {
        self.pagu
            .is_some_and(|p| self.kronologi.perubahan.iter().any(|c| c.span == p.span))
    }
}

/// What a dated pagu change is (`jenis:`), as DIPA revisions name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum JenisPerubahan {
    /// The allocation at the start (DIPA awal): sets the pagu.
    PaguAwal,
    /// A revision (revisi DIPA, a new DIPA): adds `jumlah` (negative to cut), or sets the
    /// pagu to `menjadi`.
    Revisi,
    /// A saving imposed (penghematan): takes `jumlah` off the pagu.
    Penghematan,
    /// A grant taken in (pengesahan dana hibah): adds `jumlah`.
    Hibah,
    /// A block (blokir): `jumlah` of the pagu may not be spent; the pagu is unchanged.
    Blokir,
    /// A block lifted (buka blokir): `jumlah` may be spent again.
    BukaBlokir,
}

impl JenisPerubahan {
    pub(crate) const NAMES: [&'static str; 6] = [
        "pagu_awal",
        "revisi",
        "penghematan",
        "hibah",
        "blokir",
        "buka_blokir",
    ];

    pub(crate) fn from_name(name: &str) -> Option<JenisPerubahan> {
        Some(match name {
            "pagu_awal" => JenisPerubahan::PaguAwal,
            "revisi" => JenisPerubahan::Revisi,
            "penghematan" => JenisPerubahan::Penghematan,
            "hibah" => JenisPerubahan::Hibah,
            "blokir" => JenisPerubahan::Blokir,
            "buka_blokir" => JenisPerubahan::BukaBlokir,
            _ => return None,
        })
    }

    pub(crate) fn name(self) -> &'static str {
        JenisPerubahan::NAMES[self as usize]
    }

    /// Whether it changes the pagu (a block only holds part of it back).
    pub(crate) fn changes_pagu(self) -> bool {
        !matches!(self, JenisPerubahan::Blokir | JenisPerubahan::BukaBlokir)
    }

    /// The sign its `jumlah` moves the pagu by: a saving takes it off, a revision (signed
    /// itself) and a grant add it.
    pub(crate) fn tanda(self) -> Decimal {
        match self {
            JenisPerubahan::Penghematan => Decimal::NEGATIVE_ONE,
            _ => Decimal::ONE,
        }
    }
}

/// One dated pagu change.
#[derive(Clone, Debug)]
pub(crate) struct Perubahan {
    pub(crate) tanggal: Tanggal,
    /// Where the date is written: where the change is placed in messages.
    pub(crate) span: Span,
    pub(crate) jenis: JenisPerubahan,
    /// The amount it adds, takes off, blocks or opens (a `revisi` may be negative).
    pub(crate) jumlah: Option<Num>,
    /// The pagu after it, as the report states it.
    pub(crate) menjadi: Option<Num>,
    pub(crate) keterangan: Option<Text>,
    /// The report's line or table it is taken from.
    pub(crate) sumber: Option<Text>,
    /// Why a finding about this change is known (a stated pagu the changes do not reach).
    pub(crate) diketahui: Option<Text>,
}

impl Perubahan {
    /// The change a stated pagu implies where no amount is given (`menjadi` alone): the
    /// pagu after it less the pagu before (`step`, this change's [`Langkah`]); `None`
    /// where an amount is given, no pagu is stated or none was known before.
    pub(crate) fn jumlah_tersirat(&self, step: &Langkah) -> Option<Decimal> {
        match (self.jumlah, self.menjadi, step.sebelum) {
            (None, Some(m), Some(before)) if self.jenis.changes_pagu() => {
                m.value.checked_sub(before)
            }
            _ => None,
        }
    }
}

/// A row's (or the total's) dated pagu changes, in date order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Kronologi {
    pub(crate) perubahan: Vec<Perubahan>,
    /// Why the chronology not reaching the final pagu is known, where the report leaves a
    /// gap (`kronologi: {perubahan: […], diketahui: …}`).
    pub(crate) diketahui: Option<Text>,
}

/// The pagu after each change of a chronology, and what is blocked: one step per change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Langkah {
    /// The pagu before the change (the step before's); `None` at the first change, and
    /// while no change has set one.
    pub(crate) sebelum: Option<Decimal>,
    /// The pagu after the change; `None` before any change sets one (a chronology that
    /// starts with a `revisi` by `jumlah`, of an unknown allocation).
    pub(crate) pagu: Option<Decimal>,
    /// The amount blocked after the change (never below 0: opening more than was blocked
    /// is a finding, not a negative block).
    pub(crate) blokir: Decimal,
    /// Opened beyond what was blocked, by this change.
    pub(crate) dibuka_lebih: Decimal,
}

impl Kronologi {
    pub(crate) fn is_empty(&self) -> bool {
        self.perubahan.is_empty()
    }

    /// The step after every change, in order; `None` where an amount leaves the decimal
    /// range.
    pub(crate) fn langkah(&self) -> Option<Vec<Langkah>> {
        let mut pagu: Option<Decimal> = None;
        let mut blokir = Decimal::ZERO;
        let mut out = Vec::with_capacity(self.perubahan.len());
        for p in &self.perubahan {
            let jumlah = p.jumlah.map(|n| n.value);
            let sebelum = pagu;
            let mut dibuka_lebih = Decimal::ZERO;
            match p.jenis {
                JenisPerubahan::PaguAwal => pagu = jumlah.or(p.menjadi.map(|n| n.value)),
                JenisPerubahan::Revisi | JenisPerubahan::Hibah | JenisPerubahan::Penghematan => {
                    // A stated pagu is the report's word for what the pagu became; the
                    // amount, where both are given, is checked against it by the audit.
                    pagu = match (p.menjadi, jumlah, pagu) {
                        (Some(m), _, _) => Some(m.value),
                        (None, Some(j), Some(before)) => {
                            Some(before.checked_add(j.checked_mul(p.jenis.tanda())?)?)
                        }
                        (None, _, _) => None,
                    };
                }
                JenisPerubahan::Blokir => {
                    blokir = blokir.checked_add(jumlah.unwrap_or_default())?
                }
                JenisPerubahan::BukaBlokir => {
                    let open = jumlah.unwrap_or_default();
                    if open > blokir {
                        dibuka_lebih = open - blokir;
                        blokir = Decimal::ZERO;
                    } else {
                        blokir -= open;
                    }
                }
            }
            out.push(Langkah {
                sebelum,
                pagu,
                blokir,
                dibuka_lebih,
            });
        }
        Some(out)
    }

    /// Which change is in force at the end of `periode` of `tahun`: the latest dated on or
    /// before it (an index into [`Kronologi::perubahan`]); `None` before the first.
    pub(crate) fn berlaku(&self, tahun: i32, periode: Periode) -> Option<usize> {
        self.perubahan
            .iter()
            .take_while(|p| p.tanggal.berlaku_pada(tahun, periode))
            .count()
            .checked_sub(1)
    }

    /// The step in force at the end of `periode` of `tahun`: after the latest change dated
    /// on or before it; `None` before the first change (or when the amounts overflow).
    pub(crate) fn pada(&self, tahun: i32, periode: Periode) -> Option<Langkah> {
        let at = self.berlaku(tahun, periode)?;
        self.langkah()?.get(at).copied()
    }

    /// The pagu the chronology ends at, and the change that set it last (an index into
    /// [`Kronologi::perubahan`]); `None` where no change sets one, or the amounts overflow.
    pub(crate) fn pagu_akhir(&self) -> Option<(Decimal, usize)> {
        let steps = self.langkah()?;
        let last = steps.last()?.pagu?;
        let at = (0..self.perubahan.len())
            .rev()
            .find(|&i| self.perubahan[i].jenis.changes_pagu())?;
        Some((last, at))
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
/// defaults of both schemes, and `satker`, the unit a DIPA is issued to, above them in a
/// ministry's or an eselon I unit's budget): what editors are offered. A manifest may name
/// others.
pub(crate) const KNOWN_LEVELS: [&str; 7] = [
    "program",
    "kegiatan",
    "sub_kegiatan",
    "kro",
    "ro",
    "komponen",
    "satker",
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

    /// Whether a budget figure's id ([`Riwayat::id`]) names a past year.
    pub(crate) fn is_id(id: &str) -> bool {
        id.starts_with("riwayat: ")
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

    fn perubahan(
        tanggal: &str,
        jenis: JenisPerubahan,
        jumlah: i64,
        menjadi: Option<i64>,
    ) -> Perubahan {
        let span = Span::new(crate::base::source::FileId(0), 0, 0);
        let num = |v: i64| Num {
            value: Decimal::from(v),
            span,
            decimals: 0,
        };
        Perubahan {
            tanggal: Tanggal::parse(tanggal).unwrap_or_else(|e| panic!("{e:?}")),
            span,
            jenis,
            jumlah: (jumlah != 0).then(|| num(jumlah)),
            menjadi: menjadi.map(num),
            keterangan: None,
            sumber: None,
            diketahui: None,
        }
    }

    #[test]
    fn a_chronology_steps_through_its_changes() {
        use JenisPerubahan::*;
        let k = Kronologi {
            perubahan: vec![
                perubahan("2022-01", PaguAwal, 1_000, None),
                perubahan("2022-05-26", Penghematan, 100, None),
                perubahan("2022-06", Blokir, 50, None),
                perubahan("2022-09", Revisi, 0, Some(2_000)),
                perubahan("2022-09-09", Hibah, 30, None),
                perubahan("2022-12-01", BukaBlokir, 80, None),
            ],
            diketahui: None,
        };
        let steps = k.langkah().unwrap_or_default();
        let pagu: Vec<Option<Decimal>> = steps.iter().map(|s| s.pagu).collect();
        let d = |v: i64| Some(Decimal::from(v));
        assert_eq!(
            pagu,
            [d(1_000), d(900), d(900), d(2_000), d(2_030), d(2_030)]
        );
        assert_eq!(steps[2].blokir, Decimal::from(50));
        // Opening 80 of 50 blocked leaves nothing blocked and 30 opened beyond it.
        assert_eq!(steps[5].blokir, Decimal::ZERO);
        assert_eq!(steps[5].dibuka_lebih, Decimal::from(30));
        let tw = |ke| Periode {
            kalender: super::super::periode::Kalender::Triwulan,
            ke,
        };
        assert_eq!(k.pada(2022, tw(1)).and_then(|s| s.pagu), d(1_000));
        assert_eq!(
            k.pada(2022, tw(2)).map(|s| (s.pagu, s.blokir)),
            Some((d(900), Decimal::from(50)))
        );
        assert_eq!(k.pada(2022, tw(3)).and_then(|s| s.pagu), d(2_030));
        assert_eq!(k.pada(2021, tw(4)), None);
        // The pagu before each change, and which change is in force at a period's end.
        let sebelum: Vec<Option<Decimal>> = steps.iter().map(|s| s.sebelum).collect();
        assert_eq!(
            sebelum,
            [None, d(1_000), d(900), d(900), d(2_000), d(2_030)]
        );
        assert_eq!(k.berlaku(2022, tw(1)), Some(0));
        assert_eq!(k.berlaku(2022, tw(3)), Some(4));
        assert_eq!(k.berlaku(2022, tw(4)), Some(5));
        assert_eq!(k.berlaku(2021, tw(4)), None);
        // The pagu it ends at was set by the hibah, the last change of the pagu.
        assert_eq!(k.pagu_akhir(), Some((Decimal::from(2_030), 4)));
        // A stated pagu alone implies its change; beside an amount it implies none.
        assert_eq!(
            k.perubahan[3].jumlah_tersirat(&steps[3]),
            Some(Decimal::from(1_100))
        );
        assert_eq!(k.perubahan[1].jumlah_tersirat(&steps[1]), None);
    }

    #[test]
    fn a_chronology_of_blocks_alone_reaches_no_pagu() {
        use JenisPerubahan::*;
        let k = Kronologi {
            perubahan: vec![
                perubahan("2022-03", Blokir, 70, None),
                perubahan("2022-06", BukaBlokir, 30, None),
                perubahan("2022-09", Blokir, 10, None),
            ],
            diketahui: None,
        };
        let steps = k.langkah().unwrap_or_default();
        let blokir: Vec<Decimal> = steps.iter().map(|s| s.blokir).collect();
        assert_eq!(blokir, [70, 40, 50].map(Decimal::from));
        assert!(
            steps
                .iter()
                .all(|s| s.pagu.is_none() && s.dibuka_lebih.is_zero())
        );
        assert_eq!(k.pagu_akhir(), None);
        // A saving takes its amount off; a revision adds it with its sign.
        assert_eq!(Penghematan.tanda(), Decimal::NEGATIVE_ONE);
        assert_eq!(Revisi.tanda(), Decimal::ONE);
        assert!(!BukaBlokir.changes_pagu() && Hibah.changes_pagu());
    }

    #[test]
    fn amounts_beyond_the_decimal_range_step_nowhere() {
        use JenisPerubahan::*;
        let mut big = perubahan("2022-01", PaguAwal, 1, None);
        big.jumlah = big.jumlah.map(|n| Num {
            value: Decimal::MAX,
            ..n
        });
        let k = Kronologi {
            perubahan: vec![big, perubahan("2022-02", Hibah, 1, None)],
            diketahui: None,
        };
        assert_eq!(k.langkah(), None);
        assert_eq!(k.pagu_akhir(), None);
    }

    #[test]
    fn a_pagu_left_out_is_known_as_the_chronologys() {
        use JenisPerubahan::*;
        let k = Kronologi {
            perubahan: vec![perubahan("2022-01", PaguAwal, 500, None)],
            diketahui: None,
        };
        let text = |v: &str| Text {
            value: v.into(),
            span: k.perubahan[0].span,
        };
        let at = |start| Span::new(crate::base::source::FileId(0), start, start + 3);
        let mut row = BarisAnggaran {
            id: "kegiatan: K".into(),
            kode: Some(text("K")),
            nama: text("Kegiatan"),
            pagu: Some(Num {
                value: Decimal::from(500),
                span: k.perubahan[0].span,
                decimals: 0,
            }),
            realisasi: None,
            dari_rincian: false,
            dicetak: Dicetak::default(),
            span: at(0),
            tingkat: 0,
            induk: None,
            anak: Vec::new(),
            kronologi: k,
            realisasi_periode: PerPeriode::default(),
            rpd: PerPeriode::default(),
            realisasi_berkala: None,
            rpd_berkala: None,
        };
        assert!(row.pagu_dari_kronologi());
        row.pagu = row.pagu.map(|n| Num { span: at(9), ..n });
        assert!(!row.pagu_dari_kronologi());
    }

    #[test]
    fn a_chronology_without_a_start_has_no_pagu_until_one_is_stated() {
        use JenisPerubahan::*;
        let k = Kronologi {
            perubahan: vec![
                perubahan("2022-09", Revisi, 500, None),
                perubahan("2022-10", Revisi, 0, Some(1_500)),
                perubahan("2022-11", Revisi, -200, None),
            ],
            diketahui: None,
        };
        let pagu: Vec<Option<Decimal>> = k
            .langkah()
            .unwrap_or_default()
            .iter()
            .map(|s| s.pagu)
            .collect();
        assert_eq!(
            pagu,
            [None, Some(Decimal::from(1_500)), Some(Decimal::from(1_300))]
        );
    }
}
