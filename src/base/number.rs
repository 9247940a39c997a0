//! Exact numbers: parsing the text planners write, explicit rounding, and presentation.
//!
//! Every figure is a [`Decimal`]: rupiah stay exact, percentages keep 28 significant digits
//! until they are presented, and rounding happens only where a [`Rounding`] says so.

use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;
use std::str::FromStr;

/// How a figure is rounded: to how many decimals, and which way a tie goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    pub(crate) const NAMES: [&'static str; 4] = ["half_up", "half_even", "down", "up"];

    pub(crate) fn from_name(name: &str) -> Option<Self> {
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
pub(crate) enum NumberError {
    /// Indonesian grouping (`1.234.567,89`), a `Rp` prefix or a `%` suffix: the value is
    /// clear, but files use one plain format so that `1.234` can never mean two things.
    NotPlain {
        plain: String,
    },
    NotANumber,
}

/// Parses the plain number format of workspace files: `-1234.5`, optionally with `_`
/// between digits (`28_585_438_802_000`). Exact: no binary floating point on the way, and
/// a number a `Decimal` cannot hold digit for digit (more than 28 decimals, or too many
/// digits) is no number here, rather than one rounded without a word.
pub(crate) fn parse_plain(text: &str) -> Result<Decimal, NumberError> {
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
        let value = Decimal::from_str(&cleaned).map_err(|_| NumberError::NotANumber)?;
        // 28 digits or fewer always fit; `from_str` rounds what does not.
        if cleaned.len() > 28 && !holds_exactly(&cleaned, value) {
            return Err(NumberError::NotANumber);
        }
        return Ok(value);
    }
    match display_value(trimmed) {
        Some(plain) => Err(NumberError::NotPlain { plain }),
        None => Err(NumberError::NotANumber),
    }
}

/// The plain form of a number written in a display format, or `None` if `text` is not
/// one. Tried in this order, so that a text that two formats read is read as planners
/// mean it:
/// - a plain number with a `%` sign (`93.6%`, `93.6 %`): a percentage is never grouped in
///   thousands, so its dot is a decimal point;
/// - the Indonesian format (`1.234.567,89`, `Rp1.000`, `99,25%`);
/// - the English one (`1,234,567.89`, `Rp 1,234.5`), which the Indonesian cannot read.
///
/// The decimals are kept as written (`93,60%` → `93.60`): a printed figure is compared at
/// the precision it was printed with.
pub(crate) fn display_value(text: &str) -> Option<String> {
    let text = text.trim();
    if let Some(body) = text.strip_suffix('%').map(str::trim_end)
        && is_plain(body)
        && parse_plain(body).is_ok()
    {
        return Some(body.replace('_', "").trim_start_matches('+').to_string());
    }
    let body = text.strip_suffix('%').unwrap_or(text);
    parse_amount(body.as_bytes(), NumberFormat::Indonesian)
        .or_else(|_| parse_amount(body.as_bytes(), NumberFormat::Plain))
        .ok()
        .map(|value| value.to_string())
}

/// Whether `value` is `text` (plain, without `_`) digit for digit: the same digits and as
/// many decimals.
fn holds_exactly(text: &str, value: Decimal) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = int.bytes().chain(frac.bytes()).try_fold(0u128, |n, b| {
        n.checked_mul(10)?.checked_add(u128::from(b - b'0'))
    });
    digits.is_some_and(|d| {
        value.scale() as usize == frac.len() && value.mantissa().unsigned_abs() == d
    })
}

/// Digits with an optional sign and point, `_` between digits: the plain format, whatever
/// its length.
pub(crate) fn is_plain(text: &str) -> bool {
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

/// The amount a rupiah figure written with three decimals most likely means: in
/// Indonesian, `398.379` is 398 thousand (the dot groups thousands), so `398.379` with
/// `decimals` 3 gives `398379`. `None` when the figure cannot be such a misreading: other
/// than three decimals, or a whole part that is no first group of thousands (`0.500`,
/// `1234.567`).
pub(crate) fn thousands_misread(value: Decimal, decimals: u32) -> Option<Decimal> {
    let whole = value.abs().trunc();
    (decimals == 3 && whole >= Decimal::ONE && whole < Decimal::ONE_THOUSAND)
        .then(|| value.checked_mul(Decimal::ONE_THOUSAND))
        .flatten()
        .map(|v| v.normalize())
}

/// `398379` as `398_379`: digits grouped in thousands the way files accept.
pub(crate) fn underscored(value: Decimal) -> String {
    let text = value.normalize().to_string();
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int, frac) = body
        .split_once('.')
        .map_or((body, None), |(i, f)| (i, Some(f)));
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push('_');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// How amounts are written in exported data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum NumberFormat {
    /// `1.234.567,89`: dots group thousands, a comma starts the decimals.
    Indonesian,
    /// `1234567.89` (commas may group thousands: `1,234,567.89`).
    Plain,
}

impl NumberFormat {
    fn name(self) -> &'static str {
        match self {
            NumberFormat::Indonesian => "Indonesian (1.234.567,89)",
            NumberFormat::Plain => "plain (1234567.89)",
        }
    }
}

/// Parses an amount exactly, without allocating: `Rp1.234.567,89`, `-1.234`, `1234567.89`,
/// `1,234,567.89`. Thousands groups after the first have exactly three digits. The error
/// says what is wrong with the text, quoting it.
pub(crate) fn parse_amount(field: &[u8], format: NumberFormat) -> Result<Decimal, String> {
    let mut s = field.trim_ascii();
    let shown = || format!("`{}`", excerpt(field));
    let not_a_number = || {
        format!(
            "{} is not a number in the {} format",
            shown(),
            format.name()
        )
    };
    if let Some(rest) = s.strip_prefix(b"Rp").or_else(|| s.strip_prefix(b"RP")) {
        s = rest.strip_prefix(b".").unwrap_or(rest).trim_ascii();
    }
    let negative = s.first() == Some(&b'-');
    if negative {
        s = &s[1..];
    }
    let (group, point) = match format {
        NumberFormat::Indonesian => (b'.', b','),
        NumberFormat::Plain => (b',', b'.'),
    };
    if s.is_empty() {
        return Err(format!("{} is empty", shown()));
    }
    let mut mantissa: i128 = 0;
    let mut scale: u32 = 0;
    let mut in_fraction = false;
    let mut digits_in_group = 0usize;
    let mut grouped = false;
    for &b in s {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa
                    .checked_mul(10)
                    .and_then(|m| m.checked_add(i128::from(b - b'0')))
                    .ok_or_else(|| format!("{} is too large", shown()))?;
                if in_fraction {
                    scale += 1;
                } else {
                    digits_in_group += 1;
                }
            }
            _ if b == group && !in_fraction => {
                // Thousands groups: after the first group, exactly three digits each.
                if digits_in_group == 0 || digits_in_group > 3 || (grouped && digits_in_group != 3)
                {
                    return Err(not_a_number());
                }
                grouped = true;
                digits_in_group = 0;
            }
            _ if b == point && !in_fraction => {
                if grouped && digits_in_group != 3 {
                    return Err(not_a_number());
                }
                in_fraction = true;
            }
            _ => return Err(not_a_number()),
        }
    }
    if (grouped && !in_fraction && digits_in_group != 3) || scale > 28 {
        return Err(not_a_number());
    }
    Decimal::try_from_i128_with_scale(if negative { -mantissa } else { mantissa }, scale)
        .map_err(|_| format!("{} is too large", shown()))
}

/// Longest excerpt of a field that a message quotes, in characters.
pub(crate) const EXCERPT_CHARS: usize = 40;

/// A field's text as a message quotes it: trimmed, bytes that are not UTF-8 shown as `�`,
/// and cut to [`EXCERPT_CHARS`] characters (marked `…`) so that a huge field cannot flood
/// the output.
pub(crate) fn excerpt(field: &[u8]) -> String {
    let text = String::from_utf8_lossy(field);
    let text = text.trim();
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Decimals written in a number's text: `93,42` and `93.42` have 2, `100` has 0.
/// A printed figure is compared at the precision it was printed with.
pub(crate) fn written_decimals(text: &str) -> u32 {
    let t = text.trim().trim_end_matches('%');
    t.rsplit_once(['.', ','])
        .filter(|(_, f)| f.len() != 3 || t.matches(['.', ',']).count() == 1)
        .map_or(0, |(_, f)| {
            f.chars().filter(char::is_ascii_digit).count() as u32
        })
}

/// How figures are written for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
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
pub(crate) fn fixed_text(value: Decimal, decimals: u32) -> String {
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
pub(crate) fn checked_sum(values: impl IntoIterator<Item = Decimal>) -> Option<Decimal> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v))
}

/// A number for machine output (JSON, YAML, CSV): plain digits, no trailing zeros.
pub(crate) fn machine(value: Decimal) -> String {
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
        // As many digits as a `Decimal` holds, and as many decimals.
        assert_eq!(
            parse_plain("79228162514264337593543950335"),
            Ok(Decimal::MAX)
        );
        assert_eq!(
            parse_plain("-0.0000000000000000000000000001"),
            Ok(Decimal::new(-1, 28))
        );
        assert_eq!(
            parse_plain("1234567890123456789012345678.9"),
            Ok(Decimal::from_i128_with_scale(
                12345678901234567890123456789,
                1
            ))
        );
        assert_eq!(parse_plain("1.5000000000000000000000000000"), Ok(dec!(1.5)));
    }

    /// What a `Decimal` cannot hold digit for digit is no number, not one rounded without
    /// a word (`Decimal::from_str` rounds some of these).
    #[test]
    fn numbers_that_would_be_rounded_are_refused() {
        for text in [
            "79228162514264337593543950336",
            "123456789012345678901234567890",
            "9999999999999999999999999999.5",
            "0.00000000000000000000000000001",
            "1.00000000000000000000000000001",
            "-9_999_999_999_999_999_999_999_999_999.5",
        ] {
            assert_eq!(parse_plain(text), Err(NumberError::NotANumber), "{text}");
            assert!(is_plain(text), "{text}");
        }
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
        // A percentage is never grouped: its dot is a decimal point, whatever follows.
        for (written, plain) in [
            ("93.6%", "93.6"),
            ("93.6 %", "93.6"),
            ("93.600%", "93.600"),
            ("-0.5%", "-0.5"),
            ("93,60%", "93.60"),
            ("1,234,567.89", "1234567.89"),
            ("Rp 1,234.5", "1234.5"),
            ("1.234,5", "1234.5"),
        ] {
            assert_eq!(
                parse_plain(written),
                Err(NumberError::NotPlain {
                    plain: plain.into()
                }),
                "{written}"
            );
        }
        assert_eq!(parse_plain("%"), Err(NumberError::NotANumber));
        assert_eq!(parse_plain("93.6%%"), Err(NumberError::NotANumber));
        assert_eq!(parse_plain("abc"), Err(NumberError::NotANumber));
        assert_eq!(parse_plain("1_"), Err(NumberError::NotANumber));
        assert_eq!(parse_plain(""), Err(NumberError::NotANumber));
    }

    fn id(s: &str) -> Result<Decimal, String> {
        parse_amount(s.as_bytes(), NumberFormat::Indonesian)
    }
    fn plain(s: &str) -> Result<Decimal, String> {
        parse_amount(s.as_bytes(), NumberFormat::Plain)
    }

    #[test]
    fn a_huge_amount_is_quoted_in_part() {
        let huge = format!("{}x", "1".repeat(10_000));
        let message = id(&huge).expect_err("not a number");
        assert!(
            message.starts_with(&format!("`{}…`", "1".repeat(EXCERPT_CHARS))),
            "{message}"
        );
        assert!(message.len() < 200, "{message}");
        assert_eq!(excerpt(" Café ".as_bytes()), "Café");
        assert_eq!(excerpt(b"Caf\xe9"), "Caf\u{fffd}");
    }

    #[test]
    fn indonesian_amounts() {
        assert_eq!(id("1.234.567,89"), Ok(dec!(1234567.89)));
        assert_eq!(id("Rp28.585.438.802.000"), Ok(dec!(28585438802000)));
        assert_eq!(id("Rp. 1.000"), Ok(dec!(1000)));
        assert_eq!(id(" -5.000,5 "), Ok(dec!(-5000.5)));
        assert_eq!(id("1234"), Ok(dec!(1234)));
        assert!(id("1.23.456").is_err());
        assert!(id("12,34,5").is_err());
        assert!(id("1.2345").is_err());
        assert!(id("abc").is_err());
        assert!(id("").is_err());
        assert_eq!(display_value(" 99,25 %").as_deref(), Some("99.25"));
        assert_eq!(display_value("Rp1.000").as_deref(), Some("1000"));
        assert_eq!(display_value("satu"), None);
    }

    #[test]
    fn three_decimals_of_rupiah_read_as_thousands() {
        assert_eq!(thousands_misread(dec!(398.379), 3), Some(dec!(398379)));
        assert_eq!(thousands_misread(dec!(1.500), 3), Some(dec!(1500)));
        assert_eq!(thousands_misread(dec!(-12.000), 3), Some(dec!(-12000)));
        assert_eq!(thousands_misread(dec!(999.999), 3), Some(dec!(999999)));
        // Not a first group of thousands, or not three decimals.
        assert_eq!(thousands_misread(dec!(0.500), 3), None);
        assert_eq!(thousands_misread(dec!(1234.567), 3), None);
        assert_eq!(thousands_misread(dec!(398.38), 2), None);
        assert_eq!(thousands_misread(dec!(398.3790), 4), None);
        assert_eq!(thousands_misread(dec!(398379), 0), None);
        assert_eq!(underscored(dec!(398379)), "398_379");
        assert_eq!(underscored(dec!(-1500)), "-1_500");
        assert_eq!(underscored(dec!(999)), "999");
        assert_eq!(underscored(dec!(28585438802000)), "28_585_438_802_000");
    }

    #[test]
    fn plain_amounts() {
        assert_eq!(plain("1234567.89"), Ok(dec!(1234567.89)));
        assert_eq!(plain("1,234,567.89"), Ok(dec!(1234567.89)));
        assert_eq!(plain("Rp1000"), Ok(dec!(1000)));
        assert!(plain("1.234.567").is_err());
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
