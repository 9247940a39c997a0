//! The workspace as data: what planners wrote, typed, with the place each value came from.
//! Built by `load`, checked by `validate`, read by `eval` (the layers above this one).
//!
//! Every type hashes by value, its places included: a watch session keys what it reuses by
//! these hashes (`watch/memo.rs`), so a field added here takes part at once.

mod anggaran;
mod indikator;
mod kategori;
mod manifest;
mod periode;
mod printed;
mod rule_test;
mod value;
mod workspace;

pub(crate) use anggaran::{
    Anggaran, BarisAnggaran, Berkala, JenisPerubahan, KNOWN_LEVELS, Kronologi, Langkah, Perubahan,
    Rincian, Riwayat, Skema, TabelAnggaran, budget_id, default_levels, level_title,
};
pub(crate) use indikator::{
    Bukti, CapaianSpec, Indikator, Input, NilaiTarget, Polaritas, Posisi, Realisasi, Rentang,
    RevisiTarget, Sasaran, SumberRealisasi, Target, TargetAngka, TargetSource,
};
pub(crate) use kategori::{Batas, KategoriBawaan, TabelKategori, Tingkat, Warna};
pub(crate) use manifest::{BobotJumlah, Manifest, Pembulatan, RumusBawaan, Tampilan};
pub(crate) use periode::{
    KODE as PERIODE_KODE, Kalender, PerPeriode, Periode, PeriodeError, Periodisasi, Tanggal,
    TanggalError,
};
pub(crate) use printed::{BarisTabel, Cetakan, CetakanKategori, Dicetak, Tabel};
pub(crate) use rule_test::{Expect, RuleTest, TabelArg, TestArgs};
pub(crate) use value::{Num, RuleRef, Text};
pub(crate) use workspace::{Isi, Workspace};
