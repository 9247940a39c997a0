//! Budget: pagu and realisasi per kegiatan and per jenis belanja, summed exactly, with
//! the realisation % and sisa computed by the budget rules.

pub mod lines;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::eval::run_rule;
use crate::model::{BarisAnggaran, Workspace};
use crate::rules::{Arg, RuleSet};
use crate::source::Span;
use rust_decimal::Decimal;

/// The national classification of spending types, by the account's first two digits.
pub const JENIS_BELANJA: [(&str, &str); 8] = [
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
pub fn jenis_belanja_name(code: &str) -> Option<&'static str> {
    let prefix = code.get(..2)?;
    JENIS_BELANJA
        .iter()
        .find(|(k, _)| *k == prefix)
        .map(|(_, n)| *n)
}

#[derive(Clone, Debug, PartialEq)]
pub struct BarisHasil {
    /// Empty where the workspace gives no code.
    pub kode: String,
    pub nama: String,
    pub pagu: Decimal,
    pub realisasi: Decimal,
    /// Realisation % at full precision; `None` when the rule could not compute it.
    pub persen: Option<Decimal>,
    pub sisa: Option<Decimal>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RiwayatHasil {
    pub tahun: i32,
    pub pagu: Option<Decimal>,
    pub realisasi: Option<Decimal>,
    pub persen: Option<Decimal>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct HasilAnggaran {
    pub program: Option<String>,
    pub kegiatan: Vec<BarisHasil>,
    pub jenis_belanja: Vec<BarisHasil>,
    /// The total of the kegiatan rows (or of the jenis belanja rows when there are no
    /// kegiatan): both tables must reach the same total, which the audit checks.
    pub total: Option<BarisHasil>,
    pub riwayat: Vec<RiwayatHasil>,
}

pub fn evaluate(ws: &Workspace, rules: &RuleSet, diags: &mut Diagnostics) -> HasilAnggaran {
    let a = &ws.anggaran;
    let mut row = |kode: &str, nama: &str, pagu: Decimal, realisasi: Decimal, at: Span| {
        let persen = percent(ws, rules, pagu, realisasi, kode, at, diags);
        let sisa = run_rule(
            rules,
            &ws.manifest.rumus.sisa_anggaran,
            &[2],
            |_| vec![Arg::Num(pagu), Arg::Num(realisasi)],
            kode,
            "sisa anggaran",
            at,
            diags,
        );
        BarisHasil {
            kode: kode.to_string(),
            nama: nama.to_string(),
            pagu,
            realisasi,
            persen,
            sisa,
        }
    };
    let mut table = |rows: &[BarisAnggaran]| -> Vec<BarisHasil> {
        rows.iter()
            .map(|r| {
                let kode = r.kode.as_ref().map_or("", |k| k.value.as_str());
                let mut b = row(
                    &r.key().value,
                    &r.nama.value,
                    r.pagu.value,
                    r.realisasi.value,
                    r.pagu.span,
                );
                b.kode = kode.to_string();
                b
            })
            .collect()
    };
    let kegiatan = table(&a.kegiatan);
    let jenis_belanja = table(&a.jenis_belanja);
    let basis = if kegiatan.is_empty() {
        &jenis_belanja
    } else {
        &kegiatan
    };
    let at = a
        .kegiatan
        .first()
        .or(a.jenis_belanja.first())
        .map_or(Span::new(crate::source::FileId(0), 0, 0), |r| r.key().span);
    let sums = (
        crate::number::checked_sum(basis.iter().map(|r| r.pagu)),
        crate::number::checked_sum(basis.iter().map(|r| r.realisasi)),
    );
    let total = match sums {
        _ if basis.is_empty() => None,
        (Some(pagu), Some(realisasi)) => {
            let mut t = row("total", "Total", pagu, realisasi, at);
            t.kode = String::new();
            Some(t)
        }
        _ => {
            diags.push(
                Diagnostic::error(
                    Code::OutOfRange,
                    "the budget total is too large to compute exactly",
                )
                .at(
                    at,
                    "these amounts add up to more than 79 228 162 514 264 337 593 543 950 335",
                )
                .hint("check the amounts: one is probably mistyped"),
            );
            None
        }
    };
    let riwayat = a
        .riwayat
        .iter()
        .map(|r| {
            let computed = match (r.pagu, r.realisasi) {
                (Some(p), Some(re)) => percent(
                    ws,
                    rules,
                    p.value,
                    re.value,
                    &format!("riwayat {}", r.tahun),
                    r.span,
                    diags,
                ),
                _ => None,
            };
            RiwayatHasil {
                tahun: r.tahun,
                pagu: r.pagu.map(|n| n.value),
                realisasi: r.realisasi.map(|n| n.value),
                persen: computed.or(r.persen.map(|n| n.value)),
            }
        })
        .collect();
    HasilAnggaran {
        program: a.program.clone(),
        kegiatan,
        jenis_belanja,
        total,
        riwayat,
    }
}

fn percent(
    ws: &Workspace,
    rules: &RuleSet,
    pagu: Decimal,
    realisasi: Decimal,
    subject: &str,
    at: Span,
    diags: &mut Diagnostics,
) -> Option<Decimal> {
    run_rule(
        rules,
        &ws.manifest.rumus.persen_anggaran,
        &[2],
        |_| vec![Arg::Num(pagu), Arg::Num(realisasi)],
        subject,
        "persen realisasi anggaran",
        at,
        diags,
    )
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
