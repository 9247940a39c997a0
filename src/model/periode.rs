//! Reporting periods: the calendar a workspace reports in (triwulan, semester or bulan) and
//! one period of it (`TW2`). A period is read without knowing the calendar (an indicator
//! file is read on its own), so it carries its calendar; validation checks it is the
//! manifest's.

use super::value::{Num, RuleRef};
use crate::base::source::Span;
use std::collections::BTreeMap;

/// How a year is divided for reporting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kalender {
    /// Four quarters, `TW1` … `TW4` (the default: LKj are written per triwulan).
    #[default]
    Triwulan,
    /// Two halves, `S1`, `S2`.
    Semester,
    /// Twelve months, `Januari` … `Desember`.
    Bulan,
}

const BULAN: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

const ROMAWI: [&str; 4] = ["I", "II", "III", "IV"];

/// Every calendar's periods as files write them ([`Periode::kode`]): what a schema offers.
pub(crate) const KODE: [&str; 18] = [
    "TW1",
    "TW2",
    "TW3",
    "TW4",
    "S1",
    "S2",
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

impl Kalender {
    pub(crate) const NAMES: [&'static str; 3] = ["triwulan", "semester", "bulan"];

    pub(crate) fn from_name(name: &str) -> Option<Kalender> {
        Some(match name {
            "triwulan" => Kalender::Triwulan,
            "semester" => Kalender::Semester,
            "bulan" => Kalender::Bulan,
            _ => return None,
        })
    }

    pub(crate) fn name(self) -> &'static str {
        Kalender::NAMES[self as usize]
    }

    /// How many periods a year has.
    pub(crate) fn count(self) -> u8 {
        match self {
            Kalender::Triwulan => 4,
            Kalender::Semester => 2,
            Kalender::Bulan => 12,
        }
    }

    /// The last period of the year: what a report without a period is as of.
    pub(crate) fn last(self) -> Periode {
        Periode {
            kalender: self,
            ke: self.count(),
        }
    }

    /// The period that month `bulan` (1–12) falls in: a dated line's period.
    pub(crate) fn of_month(self, bulan: u8) -> Periode {
        let months = 12 / self.count();
        Periode {
            kalender: self,
            ke: (bulan.clamp(1, 12) - 1) / months + 1,
        }
    }

    /// Every period of the year, in order.
    pub(crate) fn periods(self) -> impl Iterator<Item = Periode> {
        (1..=self.count()).map(move |ke| Periode { kalender: self, ke })
    }

    /// The periods as they are written, for a hint: "`TW1`, `TW2`, `TW3`, `TW4`".
    pub(crate) fn listed(self) -> String {
        self.periods()
            .map(|p| format!("`{}`", p.kode()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One period of a calendar: the `ke`-th (from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Periode {
    pub(crate) kalender: Kalender,
    pub(crate) ke: u8,
}

/// Why a text is not a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PeriodeError {
    /// A calendar's period past its last (`TW5`, `S3`).
    OutOfRange(Kalender, String),
    /// Nothing kinerja reads as a period.
    Unknown,
}

impl Periode {
    /// Reads a period as planners write it: `TW2`, `TW II`, `Triwulan II`, `S1`,
    /// `Semester I`, `Juni`, `Jun`; letter case, spaces, dots and dashes aside.
    pub(crate) fn parse(text: &str) -> Result<Periode, PeriodeError> {
        let t: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-' | '_'))
            .collect::<String>()
            .to_uppercase();
        if let Some(i) = BULAN.iter().position(|b| {
            let b = b.to_uppercase();
            t == b || (t.len() == 3 && b.starts_with(&t))
        }) {
            return Ok(Periode {
                kalender: Kalender::Bulan,
                ke: i as u8 + 1,
            });
        }
        // August is also shortened `Agt` and `Ags`.
        if t == "AGT" || t == "AGS" {
            return Ok(Periode {
                kalender: Kalender::Bulan,
                ke: 8,
            });
        }
        let (kalender, rest) =
            if let Some(r) = t.strip_prefix("TRIWULAN").or_else(|| t.strip_prefix("TW")) {
                (Kalender::Triwulan, r)
            } else if let Some(r) = t
                .strip_prefix("SEMESTER")
                .or_else(|| t.strip_prefix("SMT"))
                .or_else(|| t.strip_prefix('S'))
            {
                (Kalender::Semester, r)
            } else {
                return Err(PeriodeError::Unknown);
            };
        let ke = match ROMAWI.iter().position(|r| *r == rest) {
            Some(i) => i as u32 + 1,
            None if rest.len() == 1 && rest.bytes().all(|b| b.is_ascii_digit()) => {
                rest.parse().unwrap_or(0)
            }
            None if rest.chars().all(|c| matches!(c, 'I' | 'V' | 'X')) && !rest.is_empty() => {
                // A roman numeral past the calendar's (`TW V`).
                return Err(PeriodeError::OutOfRange(kalender, text.trim().to_string()));
            }
            None => return Err(PeriodeError::Unknown),
        };
        if ke == 0 || ke > u32::from(kalender.count()) {
            return Err(PeriodeError::OutOfRange(kalender, text.trim().to_string()));
        }
        Ok(Periode {
            kalender,
            ke: ke as u8,
        })
    }

    /// The JSON Schema pattern of a period as [`Periode::parse`] reads it (any calendar's,
    /// in any letter case, with spaces, dots, dashes or underscores between its parts):
    /// written out letter by letter, since editors' schema validators take no flags.
    pub(crate) fn key_pattern() -> String {
        fn ci(word: &str) -> String {
            word.chars()
                .map(|c| match c.is_ascii_alphabetic() {
                    true => format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase()),
                    false => c.to_string(),
                })
                .collect()
        }
        let any = |words: &[&str]| words.iter().map(|w| ci(w)).collect::<Vec<_>>().join("|");
        let sep = r"[\s._-]*";
        let mut months: Vec<String> = BULAN.iter().map(|b| ci(b)).collect();
        months.extend(BULAN.iter().map(|b| ci(&b[..3])));
        months.extend([ci("Agt"), ci("Ags")]);
        format!(
            "^{sep}(?:(?:{tw}){sep}(?:{r4}|[1-4])|(?:{s}){sep}(?:{r2}|[12])|(?:{m})){sep}$",
            tw = any(&["Triwulan", "TW"]),
            r4 = any(&["IV", "III", "II", "I"]),
            s = any(&["Semester", "SMT", "S"]),
            r2 = any(&["II", "I"]),
            m = months.join("|"),
        )
    }

    /// As files and outputs write it: `TW2`, `S1`, `Juni`.
    pub(crate) fn kode(self) -> String {
        match self.kalender {
            Kalender::Triwulan => format!("TW{}", self.ke),
            Kalender::Semester => format!("S{}", self.ke),
            Kalender::Bulan => self.bulan().to_string(),
        }
    }

    /// As a report's title names it: `Triwulan II`, `Semester I`, `Juni`.
    pub(crate) fn nama(self) -> String {
        match self.kalender {
            Kalender::Triwulan => format!("Triwulan {}", self.romawi()),
            Kalender::Semester => format!("Semester {}", self.romawi()),
            Kalender::Bulan => self.bulan().to_string(),
        }
    }

    fn romawi(self) -> &'static str {
        ROMAWI
            .get(usize::from(self.ke).saturating_sub(1))
            .copied()
            .unwrap_or("?")
    }

    fn bulan(self) -> &'static str {
        BULAN
            .get(usize::from(self.ke).saturating_sub(1))
            .copied()
            .unwrap_or("?")
    }
}

impl Periode {
    /// The last month (1–12) the period covers: a figure dated in it or before is in force
    /// at the period's end.
    pub(crate) fn bulan_akhir(self) -> u8 {
        match self.kalender {
            Kalender::Triwulan => self.ke * 3,
            Kalender::Semester => self.ke * 6,
            Kalender::Bulan => self.ke,
        }
    }
}

/// The date of a revision (`tanggal: 2022-09-09`), or its month where a report names no day
/// (`tanggal: 2022-09`, "alokasi di bulan September"). A month is enough to tell the
/// period a revision is in force from: every calendar's periods end at a month's end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Tanggal {
    pub(crate) tahun: i32,
    pub(crate) bulan: u8,
    pub(crate) hari: Option<u8>,
}

/// Why a text is not a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TanggalError {
    /// Not `YYYY-MM-DD` or `YYYY-MM`.
    Format,
    /// A month or day past the calendar's (`2022-13`, `2022-02-30`).
    NoSuchDay,
}

impl Tanggal {
    /// Reads `2022-09-09` or `2022-09` (ISO 8601, as spreadsheets and YAML write dates).
    pub(crate) fn parse(text: &str) -> Result<Tanggal, TanggalError> {
        let parts: Vec<&str> = text.trim().split('-').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let (y, m, d) = match parts.as_slice() {
            [y, m] if digits(y, 4) && digits(m, 2) => (*y, *m, None),
            [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => (*y, *m, Some(*d)),
            _ => return Err(TanggalError::Format),
        };
        let tahun: i32 = y.parse().map_err(|_| TanggalError::Format)?;
        let bulan: u8 = m.parse().map_err(|_| TanggalError::Format)?;
        if !(1..=12).contains(&bulan) {
            return Err(TanggalError::NoSuchDay);
        }
        let hari = match d {
            None => None,
            Some(d) => {
                let hari: u8 = d.parse().map_err(|_| TanggalError::Format)?;
                if hari == 0 || hari > days_in_month(tahun, bulan) {
                    return Err(TanggalError::NoSuchDay);
                }
                Some(hari)
            }
        };
        Ok(Tanggal { tahun, bulan, hari })
    }

    /// Whether a revision of this date is in force at the end of `periode` of `tahun`.
    pub(crate) fn berlaku_pada(self, tahun: i32, periode: Periode) -> bool {
        (self.tahun, self.bulan) <= (tahun, periode.bulan_akhir())
    }

    /// Whether `self` may stand after `before` in a chronology: not earlier. A month without
    /// a day is not earlier than any day of it, nor later.
    pub(crate) fn not_before(self, before: Tanggal) -> bool {
        match (self.hari, before.hari) {
            (Some(a), Some(b)) => (self.tahun, self.bulan, a) >= (before.tahun, before.bulan, b),
            _ => (self.tahun, self.bulan) >= (before.tahun, before.bulan),
        }
    }

    /// As files write it: `2022-09-09`, `2022-09`.
    pub(crate) fn kode(self) -> String {
        match self.hari {
            Some(d) => format!("{:04}-{:02}-{d:02}", self.tahun, self.bulan),
            None => format!("{:04}-{:02}", self.tahun, self.bulan),
        }
    }

    /// As a report writes it: `9 September 2022`, `September 2022`.
    pub(crate) fn nama(self) -> String {
        let bulan = BULAN
            .get(usize::from(self.bulan).saturating_sub(1))
            .copied()
            .unwrap_or("?");
        match self.hari {
            Some(d) => format!("{d} {bulan} {}", self.tahun),
            None => format!("{bulan} {}", self.tahun),
        }
    }
}

fn days_in_month(tahun: i32, bulan: u8) -> u8 {
    match bulan {
        2 if (tahun % 4 == 0 && tahun % 100 != 0) || tahun % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The manifest's `periode:` the calendar, the period reported, and how an indikator's
/// periods accumulate by default.
#[derive(Clone, Debug, Default, Hash)]
pub(crate) struct Periodisasi {
    pub(crate) kalender: Kalender,
    /// Where the manifest names the calendar.
    pub(crate) kalender_span: Option<Span>,
    /// The period reported: the manifest's `laporan`, or `--periode`; `None` is the whole
    /// year (as of the calendar's last period, with a title naming no period).
    pub(crate) laporan: Option<Periode>,
    /// Where the manifest names the period (`None` when `--periode` named it, or nothing).
    pub(crate) laporan_span: Option<Span>,
    /// The period the manifest names (`laporan`), kept when `--periode` overrides the one
    /// reported: a printed figure that names no period of its own is of this one (the whole
    /// year's, as of the last period, when `None`).
    pub(crate) laporan_manifest: Option<Periode>,
    /// The accumulation rule per satuan (`{persen: terakhir, KPM: jumlah}`).
    pub(crate) akumulasi: BTreeMap<String, RuleRef>,
}

/// The accumulation rule of a satuan the manifest does not list: the latest value, which
/// never adds up what must not be added (a percentage, an index).
pub(crate) const AKUMULASI_BAWAAN: &str = "terakhir";

impl Periodisasi {
    /// The period figures are as of: the one reported, else the year's last.
    pub(crate) fn sampai(&self) -> Periode {
        self.laporan.unwrap_or_else(|| self.kalender.last())
    }

    /// Whether figures are as of the year's end (no period reported, or the last): then
    /// amounts in force are the year's, comparable with amounts written for the year.
    pub(crate) fn akhir_tahun(&self) -> bool {
        self.sampai() == self.kalender.last()
    }

    /// The period a printed figure is of: the one it names, else the manifest's, else the
    /// year's last.
    pub(crate) fn dicetak(&self, periode: Option<Periode>) -> Periode {
        periode
            .or(self.laporan_manifest)
            .unwrap_or_else(|| self.kalender.last())
    }

    /// The accumulation rule for `satuan`, unless the indikator names its own.
    pub(crate) fn akumulasi_for(&self, satuan: &str) -> RuleRef {
        self.akumulasi
            .get(satuan)
            .cloned()
            .unwrap_or_else(|| RuleRef::builtin(AKUMULASI_BAWAAN))
    }
}

/// Values per period as written: each with its period and where the period key stands.
#[derive(Clone, Debug, Hash)]
pub(crate) struct PerPeriode<T> {
    pub(crate) nilai: Vec<(Periode, Span, T)>,
}

impl<T> Default for PerPeriode<T> {
    fn default() -> Self {
        PerPeriode { nilai: Vec::new() }
    }
}

impl<T> PerPeriode<T> {
    /// The values of the periods up to and including `sampai` (of its calendar), in order.
    pub(crate) fn sampai(&self, sampai: Periode) -> impl Iterator<Item = &(Periode, Span, T)> {
        self.nilai
            .iter()
            .filter(move |(p, _, _)| p.kalender == sampai.kalender && p.ke <= sampai.ke)
    }
}

/// An indikator's realisasi given per period (`per_periode: {TW1: 20, TW2: 35}`).
pub(crate) type RealisasiPeriode = PerPeriode<Num>;

#[cfg(test)]
mod tests {
    use super::*;

    fn p(k: Kalender, ke: u8) -> Periode {
        Periode { kalender: k, ke }
    }

    #[test]
    fn reads_a_triwulan_in_every_usual_spelling() {
        for t in [
            "TW2",
            "tw2",
            "TW II",
            "TW-II",
            "Triwulan II",
            "triwulan 2",
            "TW.II",
        ] {
            assert_eq!(Periode::parse(t), Ok(p(Kalender::Triwulan, 2)), "{t}");
        }
        assert_eq!(Periode::parse("TW IV"), Ok(p(Kalender::Triwulan, 4)));
    }

    #[test]
    fn reads_semesters_and_months() {
        assert_eq!(Periode::parse("S1"), Ok(p(Kalender::Semester, 1)));
        assert_eq!(Periode::parse("Semester II"), Ok(p(Kalender::Semester, 2)));
        assert_eq!(Periode::parse("Juni"), Ok(p(Kalender::Bulan, 6)));
        assert_eq!(Periode::parse("jun"), Ok(p(Kalender::Bulan, 6)));
        assert_eq!(Periode::parse("Agt"), Ok(p(Kalender::Bulan, 8)));
        assert_eq!(Periode::parse("September"), Ok(p(Kalender::Bulan, 9)));
        assert_eq!(Periode::parse("Des"), Ok(p(Kalender::Bulan, 12)));
    }

    #[test]
    fn a_period_past_the_calendar_is_out_of_range() {
        for t in ["TW5", "TW V", "TW0", "S3", "Semester III"] {
            assert!(
                matches!(Periode::parse(t), Err(PeriodeError::OutOfRange(..))),
                "{t}"
            );
        }
        assert_eq!(
            Periode::parse("TW5"),
            Err(PeriodeError::OutOfRange(Kalender::Triwulan, "TW5".into()))
        );
    }

    #[test]
    fn anything_else_is_not_a_period() {
        for t in ["", "Q2", "2022", "TWx", "Juno", "TW 99999999999", "TW 02"] {
            assert!(Periode::parse(t).is_err(), "{t}");
        }
        assert_eq!(Periode::parse("Q2"), Err(PeriodeError::Unknown));
    }

    #[test]
    fn names_periods_as_files_and_titles_write_them() {
        assert_eq!(p(Kalender::Triwulan, 2).kode(), "TW2");
        assert_eq!(p(Kalender::Triwulan, 2).nama(), "Triwulan II");
        assert_eq!(p(Kalender::Semester, 1).nama(), "Semester I");
        assert_eq!(p(Kalender::Bulan, 6).kode(), "Juni");
        assert_eq!(Kalender::Triwulan.listed(), "`TW1`, `TW2`, `TW3`, `TW4`");
    }

    #[test]
    fn the_schemas_list_is_every_calendars_periods() {
        let all: Vec<String> = [Kalender::Triwulan, Kalender::Semester, Kalender::Bulan]
            .into_iter()
            .flat_map(Kalender::periods)
            .map(Periode::kode)
            .collect();
        assert_eq!(all, KODE);
    }

    #[test]
    fn every_written_period_reads_back() {
        for k in [Kalender::Triwulan, Kalender::Semester, Kalender::Bulan] {
            for q in k.periods() {
                assert_eq!(Periode::parse(&q.kode()), Ok(q));
                assert_eq!(Periode::parse(&q.nama()), Ok(q));
            }
        }
    }

    #[test]
    fn values_up_to_a_period() {
        let s = Span::new(crate::base::source::FileId(0), 0, 0);
        let v = PerPeriode {
            nilai: vec![
                (p(Kalender::Triwulan, 1), s, 10),
                (p(Kalender::Triwulan, 2), s, 20),
                (p(Kalender::Triwulan, 4), s, 40),
            ],
        };
        let upto = |ke| {
            v.sampai(p(Kalender::Triwulan, ke))
                .map(|(_, _, n)| *n)
                .collect::<Vec<_>>()
        };
        assert_eq!(upto(1), [10]);
        assert_eq!(upto(3), [10, 20]);
        assert_eq!(upto(4), [10, 20, 40]);
        // Another calendar's period holds nothing of this one.
        assert_eq!(v.sampai(p(Kalender::Bulan, 12)).count(), 0);
    }

    #[test]
    fn reads_dates_and_months() {
        let t = |y, m, d| Tanggal {
            tahun: y,
            bulan: m,
            hari: d,
        };
        assert_eq!(Tanggal::parse("2022-09-09"), Ok(t(2022, 9, Some(9))));
        assert_eq!(Tanggal::parse(" 2022-09 "), Ok(t(2022, 9, None)));
        assert_eq!(Tanggal::parse("2024-02-29"), Ok(t(2024, 2, Some(29))));
        for bad in [
            "2022-9-9",
            "09-09-2022",
            "2022/09/09",
            "September 2022",
            "",
            "2022",
        ] {
            assert_eq!(Tanggal::parse(bad), Err(TanggalError::Format), "{bad}");
        }
        for bad in [
            "2022-13",
            "2022-00-01",
            "2022-02-29",
            "2022-04-31",
            "2022-01-00",
        ] {
            assert_eq!(Tanggal::parse(bad), Err(TanggalError::NoSuchDay), "{bad}");
        }
        assert_eq!(t(2022, 9, Some(9)).kode(), "2022-09-09");
        assert_eq!(t(2022, 9, None).nama(), "September 2022");
        assert_eq!(t(2022, 12, Some(1)).nama(), "1 Desember 2022");
    }

    #[test]
    fn a_revision_is_in_force_from_the_period_it_falls_in() {
        let sept = Tanggal::parse("2022-09-09").unwrap_or_else(|e| panic!("{e:?}"));
        let tw = |ke| p(Kalender::Triwulan, ke);
        assert!(!sept.berlaku_pada(2022, tw(2)));
        assert!(sept.berlaku_pada(2022, tw(3)));
        assert!(sept.berlaku_pada(2022, tw(4)));
        assert!(!sept.berlaku_pada(2022, p(Kalender::Bulan, 8)));
        assert!(sept.berlaku_pada(2022, p(Kalender::Semester, 2)));
        assert!(!sept.berlaku_pada(2021, tw(4)));
        assert_eq!(p(Kalender::Semester, 1).bulan_akhir(), 6);
    }

    #[test]
    fn a_month_falls_in_one_period_of_each_calendar() {
        for bulan in 1..=12 {
            for k in [Kalender::Triwulan, Kalender::Semester, Kalender::Bulan] {
                let q = k.of_month(bulan);
                // The period's last month is the first at or after the month that ends one.
                assert!(q.bulan_akhir() >= bulan && q.bulan_akhir() - bulan < 12 / k.count());
            }
        }
        assert_eq!(Kalender::Triwulan.of_month(5), p(Kalender::Triwulan, 2));
        assert_eq!(Kalender::Triwulan.of_month(12), p(Kalender::Triwulan, 4));
        assert_eq!(Kalender::Semester.of_month(7), p(Kalender::Semester, 2));
        assert_eq!(Kalender::Bulan.of_month(6), p(Kalender::Bulan, 6));
    }

    #[test]
    fn a_month_is_neither_before_nor_after_its_days() {
        let d = |s| Tanggal::parse(s).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(d("2022-09").not_before(d("2022-09-09")));
        assert!(d("2022-09-09").not_before(d("2022-09")));
        assert!(d("2022-09-10").not_before(d("2022-09-09")));
        assert!(!d("2022-09-08").not_before(d("2022-09-09")));
        assert!(!d("2022-08").not_before(d("2022-09")));
    }
}
