//! Exact numbers: parsing the text planners write, explicit rounding, and presentation.
//!
//! Every figure is a [`Decimal`]: rupiah stay exact, percentages keep 28 significant digits
//! until they are presented, and rounding happens only where a [`Rounding`] says so.

use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;
use std::str::FromStr;

/// How a figure is rounded: to how many decimals, and which way a tie goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rounding {
    pub decimals: u32,
    pub mode: RoundingMode,
}

impl Rounding {
    pub const fn half_up(decimals: u32) -> Self {
        Rounding {
            decimals,
            mode: RoundingMode::HalfUp,
        }
    }

    pub fn apply(&self, value: Decimal) -> Decimal {
        value.round_dp_with_strategy(self.decimals, self.mode.strategy())
    }
}

impl fmt::Display for Rounding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} desimal, {}", self.decimals, self.mode.name())
    }
}

/// Which way a tie (…5) is rounded. `HalfUp` is the schoolbook rule used in LKj tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundingMode {
    /// 70,895 → 70,90 and −1,5 → −2 (away from zero on a tie).
    HalfUp,
    /// Banker's rounding: a tie goes to the even digit.
    HalfEven,
    /// Truncate towards zero.
    Down,
    /// Away from zero whenever anything is cut.
    Up,
}

impl RoundingMode {
    pub const NAMES: [&'static str; 4] = ["half_up", "half_even", "down", "up"];

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "half_up" => RoundingMode::HalfUp,
            "half_even" => RoundingMode::HalfEven,
            "down" => RoundingMode::Down,
            "up" => RoundingMode::Up,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            RoundingMode::HalfUp => "half_up",
            RoundingMode::HalfEven => "half_even",
            RoundingMode::Down => "down",
            RoundingMode::Up => "up",
        }
    }

    fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundingMode::Down => RoundingStrategy::ToZero,
            RoundingMode::Up => RoundingStrategy::AwayFromZero,
        }
    }
}

/// Why a piece of text is not a number kinerja accepts in a workspace file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumberError {
    /// Indonesian grouping (`1.234.567,89`), a `Rp` prefix or a `%` suffix: the value is
    /// clear, but files use one plain format so that `1.234` can never mean two things.
    NotPlain {
        plain: String,
    },
    NotANumber,
}

/// Parses the plain number format of workspace files: `-1234.5`, optionally with `_`
/// between digits (`28_585_438_802_000`). Exact: no binary floating point on the way.
pub fn parse_plain(text: &str) -> Result<Decimal, NumberError> {
    let trimmed = text.trim();
    if is_plain(trimmed) {
        // Digit separators are rare: copy the text only when there are some to drop.
        let cleaned: std::borrow::Cow<str> = if trimmed.contains('_') {
            trimmed
                .chars()
                .filter(|c| *c != '_')
                .collect::<String>()
                .into()
        } else {
            trimmed.into()
        };
        return Decimal::from_str(&cleaned).map_err(|_| NumberError::NotANumber);
    }
    match parse_indonesian(trimmed) {
        Some(value) => Err(NumberError::NotPlain {
            plain: value.normalize().to_string(),
        }),
        None => Err(NumberError::NotANumber),
    }
}

fn is_plain(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits_ok = |s: &str| {
        !s.is_empty()
            && s.chars().all(|c| c.is_ascii_digit() || c == '_')
            && !s.starts_with('_')
            && !s.ends_with('_')
    };
    digits_ok(int) && frac.is_none_or(digits_ok)
}

/// Reads the formats of Indonesian budget exports and printed reports: `1.234.567,89`,
/// `Rp28.585.438.802.000`, `99,25%`, `99,25`. Used to suggest the plain form, and by
/// importers of exported data where that format is the norm.
pub fn parse_indonesian(text: &str) -> Option<Decimal> {
    let mut s = text.trim();
    s = s
        .strip_prefix("Rp")
        .or_else(|| s.strip_prefix("Rp."))
        .unwrap_or(s);
    s = s.strip_suffix('%').unwrap_or(s).trim();
    let negative = s.starts_with('-');
    let s = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match s.split_once(',') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let groups: Vec<&str> = int.split('.').collect();
    let grouped_ok =
        groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    let all_digits = |g: &str| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit());
    if !grouped_ok || !groups.iter().all(|g| all_digits(g)) || !frac.is_none_or(all_digits) {
        return None;
    }
    let mut plain = groups.concat();
    if let Some(f) = frac {
        plain.push('.');
        plain.push_str(f);
    }
    let value = Decimal::from_str(&plain).ok()?;
    Some(if negative { -value } else { value })
}

/// Decimals written in a number's text: `93,42` and `93.42` have 2, `100` has 0.
/// A printed figure is compared at the precision it was printed with.
pub fn written_decimals(text: &str) -> u32 {
    let t = text.trim().trim_end_matches('%');
    t.rsplit_once(['.', ','])
        .filter(|(_, f)| f.len() != 3 || t.matches(['.', ',']).count() == 1)
        .map_or(0, |(_, f)| {
            f.chars().filter(char::is_ascii_digit).count() as u32
        })
}

/// How figures are written for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Locale {
    /// `99.25`, `28,585,438,802,000`
    #[default]
    En,
    /// `99,25`, `28.585.438.802.000`
    Id,
}

impl Locale {
    /// A percentage or index at a fixed number of decimals, without a `%` sign.
    pub fn fixed(self, value: Decimal, decimals: u32) -> String {
        self.localise(&fixed_text(value, decimals))
    }

    /// A rupiah amount: grouped thousands, decimals only when there are any.
    pub fn rupiah(self, value: Decimal) -> String {
        let text = value.normalize().to_string();
        self.localise(&text)
    }

    /// Plain digits, grouped and with this locale's separators.
    fn localise(self, text: &str) -> String {
        let (sign, body) = match text.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", text),
        };
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let (group_sep, decimal_sep) = match self {
            Locale::En => (',', '.'),
            Locale::Id => ('.', ','),
        };
        let mut out = String::with_capacity(text.len() + int.len() / 3 + 1);
        out.push_str(sign);
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(group_sep);
            }
            out.push(c);
        }
        if let Some(f) = frac {
            out.push(decimal_sep);
            out.push_str(f);
        }
        out
    }
}

/// `value` with exactly `decimals` decimals (rounded half up), as plain digits. Written by
/// hand: the formatter's own precision support has a fixed buffer that extreme values
/// overflow.
pub fn fixed_text(value: Decimal, decimals: u32) -> String {
    let rounded = value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    let text = rounded.to_string();
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), f.to_string()),
        None => (text.clone(), String::new()),
    };
    if decimals == 0 {
        return int;
    }
    let mut frac: String = frac.chars().take(decimals as usize).collect();
    while frac.len() < decimals as usize {
        frac.push('0');
    }
    format!("{int}.{frac}")
}

/// The exact sum, or `None` if it does not fit a decimal (about 7.9 × 10^28).
pub fn checked_sum(values: impl IntoIterator<Item = Decimal>) -> Option<Decimal> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v))
}

/// A number for machine output (JSON, YAML, CSV): plain digits, no trailing zeros.
pub fn machine(value: Decimal) -> String {
    value.normalize().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn plain_numbers_are_exact() {
        assert_eq!(parse_plain("0.6"), Ok(dec!(0.6)));
        assert_eq!(parse_plain("28585438802000"), Ok(dec!(28585438802000)));
        assert_eq!(parse_plain("28_585_438_802_000"), Ok(dec!(28585438802000)));
        assert_eq!(
            parse_plain("1234567890123456.56"),
            Ok(dec!(1234567890123456.56))
        );
        assert_eq!(parse_plain("-3.5"), Ok(dec!(-3.5)));
    }

    #[test]
    fn indonesian_format_is_refused_with_the_plain_form() {
        assert_eq!(
            parse_plain("1.234.567,89"),
            Err(NumberError::NotPlain {
                plain: "1234567.89".into()
            })
        );
        assert_eq!(
            parse_plain("Rp28.585.438.802.000"),
            Err(NumberError::NotPlain {
                plain: "28585438802000".into()
            })
        );
        assert_eq!(
            parse_plain("99,25%"),
            Err(NumberError::NotPlain {
                plain: "99.25".into()
            })
        );
        assert_eq!(parse_plain("abc"), Err(NumberError::NotANumber));
        assert_eq!(parse_plain("1_"), Err(NumberError::NotANumber));
        assert_eq!(parse_plain(""), Err(NumberError::NotANumber));
    }

    #[test]
    fn rounding_modes() {
        assert_eq!(Rounding::half_up(2).apply(dec!(70.895)), dec!(70.90));
        assert_eq!(Rounding::half_up(2).apply(dec!(103.585)), dec!(103.59));
        let even = Rounding {
            decimals: 2,
            mode: RoundingMode::HalfEven,
        };
        assert_eq!(even.apply(dec!(103.585)), dec!(103.58));
        let down = Rounding {
            decimals: 1,
            mode: RoundingMode::Down,
        };
        assert_eq!(down.apply(dec!(9.99)), dec!(9.9));
        let up = Rounding {
            decimals: 0,
            mode: RoundingMode::Up,
        };
        assert_eq!(up.apply(dec!(9.01)), dec!(10));
    }

    #[test]
    fn locales() {
        assert_eq!(Locale::En.fixed(dec!(99.2457), 2), "99.25");
        assert_eq!(Locale::Id.fixed(dec!(99.2457), 2), "99,25");
        assert_eq!(
            Locale::Id.rupiah(dec!(28585438802000)),
            "28.585.438.802.000"
        );
        assert_eq!(Locale::En.rupiah(dec!(-1234567.50)), "-1,234,567.5");
        assert_eq!(Locale::En.fixed(dec!(100), 2), "100.00");
        assert_eq!(Locale::En.rupiah(dec!(999)), "999");
    }

    #[test]
    fn decimals_as_written() {
        assert_eq!(written_decimals("93,42"), 2);
        assert_eq!(written_decimals("93.42%"), 2);
        assert_eq!(written_decimals("100"), 0);
        assert_eq!(written_decimals("3.642"), 3);
        assert_eq!(written_decimals("28.585.438.802.000"), 0);
    }
}

#[cfg(test)]
mod extreme {
    use super::*;

    #[test]
    fn extremes_do_not_panic() {
        for v in [
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(1, 28),
            Decimal::new(-1, 28),
        ] {
            for d in [0, 2, 20, 28] {
                for mode in [
                    RoundingMode::HalfUp,
                    RoundingMode::Up,
                    RoundingMode::Down,
                    RoundingMode::HalfEven,
                ] {
                    let r = Rounding { decimals: d, mode }.apply(v);
                    let _ = fixed_text(r, d);
                    let _ = Locale::Id.fixed(v, d);
                    let _ = Locale::En.rupiah(v);
                }
            }
        }
        assert_eq!(checked_sum([Decimal::MAX, Decimal::ONE]), None);
        assert_eq!(
            checked_sum([Decimal::ONE, Decimal::TWO]),
            Some(Decimal::from(3))
        );
    }
}
