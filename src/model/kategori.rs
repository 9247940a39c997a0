//! Band tables (`rules/*.kategori.yaml`): named lists of bands, each a label with its
//! edges, that a `kategori` rule looks a figure up in (the SAKIP predikat AA … D, the IKM
//! mutu A … D, a capaian scale).

use super::value::{Num, RuleRef, Text};
use crate::base::number::fixed_text;
use crate::base::source::Span;
use rust_decimal::Decimal;
use std::fmt;

/// One band table, as a file defines it.
#[derive(Clone, Debug, Hash)]
pub(crate) struct TabelKategori {
    /// Its name, as figures refer to it (`predikat_sakip`).
    pub(crate) nama: Text,
    /// What reports call it (`Predikat SAKIP`), for people.
    pub(crate) judul: Option<String>,
    /// Where its bands come from (a regulation, a report).
    pub(crate) sumber: Option<String>,
    /// The rule that looks a value up in it, instead of the manifest's `rumus.kategori`.
    pub(crate) rumus: Option<RuleRef>,
    /// In the order written.
    pub(crate) tingkat: Vec<Tingkat>,
    /// The whole table in its file.
    pub(crate) span: Span,
}

impl TabelKategori {
    /// The band labelled `label`.
    pub(crate) fn band(&self, label: &str) -> Option<usize> {
        self.tingkat.iter().position(|t| t.label.value == label)
    }
}

/// One band: a label, and the values it holds.
#[derive(Clone, Debug, Hash)]
pub(crate) struct Tingkat {
    pub(crate) label: Text,
    /// The lower edge; `None` for no lower edge.
    pub(crate) bawah: Option<Batas>,
    /// The upper edge; `None` for no upper edge.
    pub(crate) atas: Option<Batas>,
    /// A colour for the band in the page and the workbook.
    pub(crate) warna: Option<Warna>,
    /// What the band means (`Sangat Memuaskan`), shown beside it.
    pub(crate) keterangan: Option<String>,
    /// The whole band in its file.
    pub(crate) span: Span,
}

/// An edge of a band, as written: the value, and whether the value itself is in the band
/// (`min`, `maks`) or not (`lebih_dari`, `kurang_dari`).
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub(crate) struct Batas {
    pub(crate) nilai: Num,
    pub(crate) termasuk: bool,
}

impl Batas {
    /// The edge's value as written (`88.30`, not `88.3`).
    pub(crate) fn text(&self) -> String {
        fixed_text(self.nilai.value, self.nilai.decimals)
    }
}

impl Tingkat {
    /// Whether `v` is in this band, by its edges.
    pub(crate) fn holds(&self, v: Decimal) -> bool {
        let above = self.bawah.is_none_or(|b| {
            if b.termasuk {
                v >= b.nilai.value
            } else {
                v > b.nilai.value
            }
        });
        let below = self.atas.is_none_or(|b| {
            if b.termasuk {
                v <= b.nilai.value
            } else {
                v < b.nilai.value
            }
        });
        above && below
    }

    /// The band's values in words: `70 < x ≤ 80`, `x ≤ 30`, `every value`.
    pub(crate) fn range(&self) -> String {
        let n = Batas::text;
        match (&self.bawah, &self.atas) {
            (None, None) => "every value".into(),
            (Some(b), None) => format!("x {} {}", if b.termasuk { "≥" } else { ">" }, n(b)),
            (None, Some(a)) => format!("x {} {}", if a.termasuk { "≤" } else { "<" }, n(a)),
            (Some(b), Some(a)) => format!(
                "{} {} x {} {}",
                n(b),
                if b.termasuk { "≤" } else { "<" },
                if a.termasuk { "≤" } else { "<" },
                n(a)
            ),
        }
    }
}

/// The colours a band may have: few and named, so that the page and the workbook show them
/// alike.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub(crate) enum Warna {
    HijauTua,
    Hijau,
    HijauMuda,
    Biru,
    Kuning,
    Oranye,
    Merah,
    MerahTua,
    Abu,
}

impl Warna {
    pub(crate) const NAMES: [&'static str; 9] = [
        "hijau_tua",
        "hijau",
        "hijau_muda",
        "biru",
        "kuning",
        "oranye",
        "merah",
        "merah_tua",
        "abu",
    ];
    const ALL: [Warna; 9] = [
        Warna::HijauTua,
        Warna::Hijau,
        Warna::HijauMuda,
        Warna::Biru,
        Warna::Kuning,
        Warna::Oranye,
        Warna::Merah,
        Warna::MerahTua,
        Warna::Abu,
    ];

    pub(crate) fn from_name(name: &str) -> Option<Warna> {
        Warna::NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| Warna::ALL[i])
    }

    pub(crate) fn name(self) -> &'static str {
        Warna::NAMES[self as usize]
    }

    /// The colour as `RRGGBB`, for the workbook's cell fill and the page's badge.
    pub(crate) fn rgb(self) -> u32 {
        match self {
            Warna::HijauTua => 0x1B5E20,
            Warna::Hijau => 0x2E7D32,
            Warna::HijauMuda => 0x689F38,
            Warna::Biru => 0x1565C0,
            Warna::Kuning => 0xF9A825,
            Warna::Oranye => 0xEF6C00,
            Warna::Merah => 0xC62828,
            Warna::MerahTua => 0x8E0000,
            Warna::Abu => 0x757575,
        }
    }
}

impl fmt::Display for Warna {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which band table bands each stage's figures where an indikator or sasaran names none
/// (`kategori:` in the manifest). Absent: not banded.
#[derive(Clone, Debug, Default, Hash)]
pub(crate) struct KategoriBawaan {
    pub(crate) realisasi: Option<Text>,
    pub(crate) capaian: Option<Text>,
    pub(crate) capaian_sasaran: Option<Text>,
    pub(crate) nilai_kinerja: Option<Text>,
}

impl KategoriBawaan {
    /// Every table named, with its stage.
    pub(crate) fn named(&self) -> impl Iterator<Item = (&'static str, &Text)> {
        [
            ("realisasi", &self.realisasi),
            ("capaian", &self.capaian),
            ("capaian_sasaran", &self.capaian_sasaran),
            ("nilai_kinerja", &self.nilai_kinerja),
        ]
        .into_iter()
        .filter_map(|(stage, t)| t.as_ref().map(|t| (stage, t)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::FileId;
    use rust_decimal_macros::dec;

    fn edge(v: Decimal, termasuk: bool) -> Option<Batas> {
        Some(Batas {
            nilai: Num {
                value: v,
                span: Span::new(FileId(0), 0, 0),
                decimals: 0,
            },
            termasuk,
        })
    }

    fn band(bawah: Option<Batas>, atas: Option<Batas>) -> Tingkat {
        Tingkat {
            label: Text {
                value: "x".into(),
                span: Span::new(FileId(0), 0, 0),
            },
            bawah,
            atas,
            warna: None,
            keterangan: None,
            span: Span::new(FileId(0), 0, 0),
        }
    }

    #[test]
    fn edges_hold_or_exclude_their_value() {
        // BB of the SAKIP predikat: > 70 – 80.
        let bb = band(edge(dec!(70), false), edge(dec!(80), true));
        assert!(!bb.holds(dec!(70)));
        assert!(bb.holds(dec!(70.0001)));
        assert!(bb.holds(dec!(80)));
        assert!(!bb.holds(dec!(80.0001)));
        assert_eq!(bb.range(), "70 < x ≤ 80");
        let low = band(None, edge(dec!(50), true));
        assert!(low.holds(dec!(-1000)) && low.holds(dec!(50)) && !low.holds(dec!(50.01)));
        assert_eq!(low.range(), "x ≤ 50");
        let open = band(edge(dec!(91), true), edge(dec!(100), false));
        assert!(open.holds(dec!(91)) && !open.holds(dec!(100)));
        assert_eq!(band(None, None).range(), "every value");
        assert_eq!(band(edge(dec!(1), true), None).range(), "x ≥ 1");
    }

    #[test]
    fn colours_by_name() {
        for name in Warna::NAMES {
            assert_eq!(Warna::from_name(name).map(Warna::name), Some(name));
        }
        assert_eq!(Warna::from_name("green"), None);
    }
}
