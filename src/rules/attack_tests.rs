//! Property tests of the sandbox: math over extreme decimals, whatever the function, never
//! panics out of a rule call and never gives a number where there is no real one; every
//! call ends within its deadline. (`PROPTEST_CASES=20000 cargo test --release --lib
//! rules::attack_tests` for a longer run.)

use super::set::RuleSet;
use super::value::Arg;
use crate::base::cancel::Cancel;
use crate::base::diagnostic::Code;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// One rule per expression, `fn e<i>(x, y)`, compiled once for every case.
const EXPRESSIONS: &[&str] = &[
    "tan(x)",
    "sin(x)",
    "cos(x)",
    "ln(x)",
    "log(x)",
    "sqrt(x)",
    "exp(x)",
    "x ** y",
    "x / y",
    "x % y",
    "x * y",
    "x + y",
    "x - y",
    "abs(x)",
    "floor(x)",
    "round(x)",
    "x.round(2)",
    "to_int(x)",
    "x ** 2",
    "x.sqrt() * y",
    "tan(x * y)",
    "1.0 / tan(x)",
];

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        let text: String = EXPRESSIONS
            .iter()
            .enumerate()
            .map(|(i, e)| format!("fn e{i}(x, y) {{ {e} }}\n"))
            .collect();
        let (set, diags) = RuleSet::of_files(&[("rules/math.rhai", &text)]);
        assert!(diags.is_empty(), "{diags:?}");
        set
    })
}

/// Decimals at the edges: zero, tiny, huge, negative, near the poles of tan.
fn extreme() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        prop::sample::select(vec![
            Decimal::ZERO,
            Decimal::ONE,
            Decimal::NEGATIVE_ONE,
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(1, 28),
            Decimal::new(-1, 28),
            Decimal::HALF_PI,
            -Decimal::HALF_PI,
            Decimal::PI,
            Decimal::HALF_PI * Decimal::from(3),
            Decimal::new(5, 1),
            Decimal::new(-5, 1),
        ]),
        (any::<i64>(), 0..=28u32).prop_map(|(n, scale)| Decimal::new(n, scale)),
        (any::<i32>(), 0..=6u32).prop_map(|(n, scale)| Decimal::new(n.into(), scale)),
    ]
}

/// What has no real result: the call must be an error, never a number.
fn no_real_result(expression: &str, x: Decimal, y: Decimal) -> bool {
    match expression {
        "ln(x)" | "log(x)" => x <= Decimal::ZERO,
        "sqrt(x)" => x < Decimal::ZERO,
        "x.sqrt() * y" => x < Decimal::ZERO,
        "x ** y" => x < Decimal::ZERO && !y.fract().is_zero(),
        "x / y" | "x % y" => y.is_zero(),
        _ => false,
    }
}

#[test]
fn ordinary_math_still_gives_numbers() {
    let call = |i: usize, x: i64, y: i64| {
        rules()
            .call_number(
                &format!("e{i}"),
                &[Arg::Num(Decimal::from(x)), Arg::Num(Decimal::from(y))],
                &Cancel::never(),
            )
            .ok()
    };
    assert_eq!(call(11, 1, 2), Some(Decimal::from(3)));
    assert_eq!(call(7, 2, 10), Some(Decimal::from(1024)));
    assert_eq!(
        call(5, 16, 0).map(|d| d.round_dp(20)),
        Some(Decimal::from(4))
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(512),
        ..ProptestConfig::default()
    })]

    #[test]
    fn math_over_extreme_decimals_is_a_number_or_a_located_error(
        which in 0..EXPRESSIONS.len(),
        x in extreme(),
        y in extreme(),
    ) {
        let started = Instant::now();
        let result = rules().call_number(
            &format!("e{which}"),
            &[Arg::Num(x), Arg::Num(y)],
            &Cancel::never(),
        );
        prop_assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
        let expression = EXPRESSIONS[which];
        match result {
            Ok(value) => prop_assert!(
                !no_real_result(expression, x, y),
                "{expression} with x = {x}, y = {y} gave {value}"
            ),
            Err(err) => {
                prop_assert!(
                    matches!(err.code, Code::RuleRuntime | Code::RuleResult),
                    "{expression}: {err:?}"
                );
                prop_assert!(err.span.is_some(), "{expression}: {err:?}");
            }
        }
    }
}
