//! The fast path against Rhai: both give the same figure for every construct of the
//! subset, for the shipped rules, and on extreme decimals.

use super::set::RuleSet;
use super::value::Arg;
use crate::base::cancel::Cancel;
use crate::base::source::{FileId, Span};
use crate::model::{Input, Num, Text};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn compile(files: &[(&str, &str)]) -> RuleSet {
    let (set, diags) = RuleSet::of_files(files);
    assert!(diags.is_empty(), "{diags:?}");
    set
}

/// The repository's own rules, loaded and compiled as the engine does.
fn shipped() -> RuleSet {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    RuleSet::of_workspace(root).expect("the repository's rules compile")
}

fn span() -> Span {
    Span::new(FileId(0), 0, 0)
}

fn num(d: Decimal) -> Input {
    Input::Num(Num {
        value: d,
        span: span(),
        decimals: d.scale(),
    })
}

fn map(entries: Vec<(&str, Input)>) -> Input {
    Input::Map(
        entries.into_iter().map(|(k, v)| (k.into(), v)).collect(),
        span(),
    )
}

fn list(items: Vec<Input>) -> Input {
    Input::List(items, span())
}

/// The fast path's answer next to Rhai's, for the same call.
fn both(set: &RuleSet, name: &str, args: &[Arg<'_>]) -> (Option<Decimal>, Option<Decimal>) {
    let fast = set.fast.call(name, args);
    let rhai = set.call_rhai_number(name, args, &Cancel::never()).ok();
    (fast, rhai)
}

/// Asserts the fast path answers, and answers what Rhai answers.
fn agrees(set: &RuleSet, name: &str, args: &[Arg<'_>]) -> Decimal {
    let (fast, rhai) = both(set, name, args);
    assert_eq!(fast, rhai, "{name}: fast path and Rhai disagree");
    let value = fast.unwrap_or_else(|| panic!("{name}: the fast path gave up"));
    // Same digits and the same scale: the rendered figures must not differ either.
    assert_eq!(
        value.to_string(),
        rhai.map(|d| d.to_string()).unwrap_or_default()
    );
    value
}

/// Every shipped rule computing a figure is on the fast path. A band rule (`kategori`)
/// returns a label, which the fast path, computing numbers, never takes: it runs in Rhai.
/// The weighted mean (`rata_rata_berbobot`) and the deviation from a disbursement plan
/// (`deviasi_rpd`) pair two lists by index, which the fast path does not translate: they
/// run once per sasaran and once per budget row given per period, not per indikator, so
/// they stay in Rhai.
#[test]
fn every_shipped_rule_is_translated() {
    let set = shipped();
    let (translated, all) = set.fast.coverage();
    let bands = ["kategori"];
    for name in bands {
        assert!(!set.fast.translated(name, 2), "{name} returns labels");
    }
    let indexed = [("rata_rata_berbobot", 2), ("deviasi_rpd", 1)];
    for (name, arity) in indexed {
        assert!(
            !set.fast.translated(name, arity),
            "{name} indexes its lists"
        );
    }
    assert_eq!(
        translated,
        all - bands.len() - indexed.len(),
        "a shipped rule left the fast path's subset"
    );
    assert!(all >= 15);
}

#[test]
fn shipped_rules_agree_with_rhai_on_the_report_figures() {
    let set = shipped();
    let m = map(vec![("n", num(dec!(330))), ("t", num(dec!(370)))]);
    assert_eq!(
        agrees(&set, "rasio", &[Arg::Input(&m)]).round_dp(3),
        dec!(89.189)
    );
    let pooled = map(vec![
        ("n", list(vec![num(dec!(25)), num(dec!(75))])),
        ("t", list(vec![num(dec!(52)), num(dec!(120))])),
    ]);
    agrees(&set, "rasio_gabungan", &[Arg::Input(&pooled)]);
    let weighted = map(vec![(
        "komponen",
        list(vec![
            map(vec![("bobot", num(dec!(60))), ("nilai", num(dec!(93.46)))]),
            map(vec![("bobot", num(dec!(40))), ("nilai", num(dec!(91.50)))]),
        ]),
    )]);
    assert_eq!(
        agrees(&set, "jumlah_tertimbang", &[Arg::Input(&weighted)]),
        dec!(92.676)
    );
    let survey = map(vec![
        ("konversi", num(dec!(25))),
        (
            "unsur",
            list(vec![
                map(vec![
                    (
                        "nama",
                        Input::Text(Text {
                            value: "U1".into(),
                            span: span(),
                        }),
                    ),
                    ("nilai", num(dec!(3.62))),
                ]),
                map(vec![("nilai", num(dec!(3.5)))]),
            ]),
        ),
    ]);
    agrees(&set, "indeks_kepuasan", &[Arg::Input(&survey)]);
    agrees(
        &set,
        "nilai_indeks",
        &[Arg::Input(&map(vec![("indeks", num(dec!(3.642)))]))],
    );
    for rule in [
        "capaian_maksimal",
        "capaian_minimal",
        "capaian_minimal_terbalik",
        "capaian_stabilisasi",
        "capaian_maksimal_batas_120",
        "persen_realisasi",
        "sisa_anggaran",
    ] {
        for (a, b) in [
            (dec!(89.19), dec!(90)),
            (dec!(130), dec!(100)),
            (dec!(0.5), dec!(3)),
        ] {
            agrees(&set, rule, &[Arg::Num(a), Arg::Num(b)]);
        }
    }
    let figures = [dec!(99.1), dec!(100.25), dec!(87)];
    agrees(&set, "rata_rata", &[Arg::Nums(&figures)]);
    // A plan's deviation to date: under, over, and a period without a plan.
    for (realisasi, rpd) in [
        ([dec!(100000), dec!(250000)], [dec!(150000), dec!(300000)]),
        ([dec!(300), dec!(250)], [dec!(100), dec!(200)]),
        ([dec!(0), dec!(5)], [dec!(0), dec!(0)]),
    ] {
        let m = map(vec![
            ("realisasi", list(realisasi.map(num).to_vec())),
            ("rpd", list(rpd.map(num).to_vec())),
        ]);
        agrees(&set, "deviasi_rpd_kumulatif", &[Arg::Input(&m)]);
    }
}

#[test]
fn failures_are_left_to_rhai() {
    let set = shipped();
    // A zero denominator throws in the rule: the fast path gives up, Rhai reports it.
    let zero = map(vec![("n", num(dec!(1))), ("t", num(dec!(0)))]);
    assert_eq!(both(&set, "rasio", &[Arg::Input(&zero)]), (None, None));
    let err = set
        .call_number("rasio", &[Arg::Input(&zero)], &Cancel::never())
        .expect_err("t is 0");
    assert!(
        err.message.contains("denominator t is 0"),
        "{}",
        err.message
    );
    // A missing input, a text where a number is needed, a context map.
    let missing = map(vec![("n", num(dec!(1)))]);
    assert_eq!(set.fast.call("rasio", &[Arg::Input(&missing)]), None);
    assert!(
        set.call_number("rasio", &[Arg::Input(&missing)], &Cancel::never())
            .is_err()
    );
    let text = map(vec![
        (
            "n",
            Input::Text(Text {
                value: "x".into(),
                span: span(),
            }),
        ),
        ("t", num(dec!(2))),
    ]);
    assert_eq!(set.fast.call("rasio", &[Arg::Input(&text)]), None);
    assert!(
        set.call_number("rasio", &[Arg::Input(&text)], &Cancel::never())
            .is_err()
    );
    let empty: [Decimal; 0] = [];
    assert_eq!(both(&set, "rata_rata", &[Arg::Nums(&empty)]), (None, None));
    // Overflow of exact decimals is Rhai's error too.
    let max = Decimal::MAX;
    assert_eq!(
        both(
            &set,
            "capaian_maksimal",
            &[Arg::Num(max), Arg::Num(dec!(0.5))]
        ),
        (None, None)
    );
}

#[test]
fn every_construct_of_the_subset_matches_rhai() {
    let set = compile(&[(
        "rules/t.rhai",
        r#"
        fn arith(a, b) { let x = a + b * 2 - 1; x / 3 % 5 }
        fn ints() { let i = 7; i / 2 + i % 4 - -3 }
        fn mixed(a) { a * 3 + 10 / 4 }
        fn branch(a) { if a > 10 && !(a == 12) || a < -5 { 1 } else if a >= 3 { 2 } else { 3 } }
        fn shadow(a) { let a = a + 1; { let a = a * 10; } a }
        fn assign(a) { let t = 0; t += a; t -= 1; t *= 3; t /= 2; t %= 7; t }
        fn early(a) { if a > 0 { return a * 2; } a - 1 }
        fn loops(m) { let s = 0.0; for k in m.xs { s += k.v; } s / m.xs.len() }
        fn lens(xs) { len(xs) + xs.len() }
        fn nums(xs) { let s = 0; for x in xs { s += x; } s }
        fn calls(a) { helper(a) + helper(a + 1) }
        private fn helper(x) { x * x }
        fn expr_if(a) { let c = if a != 0 { a } else { 5 }; c + 1 }
        fn not_eq(a, b) { if a != b { a } else { b } }
        fn consts() { const K = 4; K * 2 }
        fn unit() { let x; if x == () { 1 } else { 2 } }
        fn seq(a) { a; a + 1; }
        "#,
    )]);
    let xs = map(vec![(
        "xs",
        list(vec![
            map(vec![("v", num(dec!(1.5)))]),
            map(vec![("v", num(dec!(2.25)))]),
            map(vec![("v", num(dec!(-4)))]),
        ]),
    )]);
    let figures = [dec!(1), dec!(2.5)];
    let plain = list(vec![num(dec!(1)), num(dec!(2))]);
    for a in [
        dec!(-7),
        dec!(0),
        dec!(3),
        dec!(11),
        dec!(12),
        dec!(12.5),
        dec!(1e-9),
    ] {
        for rule in [
            "mixed", "branch", "shadow", "assign", "early", "calls", "expr_if", "seq",
        ] {
            agrees(&set, rule, &[Arg::Num(a)]);
        }
        agrees(&set, "arith", &[Arg::Num(a), Arg::Num(dec!(1.75))]);
        agrees(&set, "not_eq", &[Arg::Num(a), Arg::Num(dec!(3))]);
    }
    agrees(&set, "ints", &[]);
    agrees(&set, "loops", &[Arg::Input(&xs)]);
    agrees(&set, "lens", &[Arg::Nums(&figures)]);
    agrees(&set, "lens", &[Arg::Input(&plain)]);
    agrees(&set, "nums", &[Arg::Nums(&figures)]);
    agrees(&set, "nums", &[Arg::Input(&plain)]);
    // Translated, and leaving the subset at run time: Rhai decides.
    assert_eq!(both(&set, "unit", &[]).0, None);
    assert_eq!(
        set.fast.call("consts", &[]),
        set.call_number("consts", &[], &Cancel::never()).ok()
    );
}

#[test]
fn rules_outside_the_subset_go_through_rhai() {
    let set = compile(&[(
        "rules/t.rhai",
        r#"
        fn looping(a) { let i = 0; while i < 3 { i += 1; } a + i }
        fn text(a) { if a.to_string() == "x" { a } else { 0 } }
        fn indexed(xs) { xs[0] }
        fn calls_outside(a) { looping(a) * 2 }
        fn abs_of(a) { a.abs() }
        "#,
    )]);
    for (name, arity) in [
        ("looping", 1),
        ("text", 1),
        ("indexed", 1),
        ("calls_outside", 1),
        ("abs_of", 1),
    ] {
        assert!(
            !set.fast.translated(name, arity),
            "{name} is outside the subset"
        );
    }
    let figures = [dec!(4)];
    assert_eq!(
        set.call_number("calls_outside", &[Arg::Num(dec!(1))], &Cancel::never())
            .ok(),
        Some(dec!(8))
    );
    assert_eq!(
        set.call_number("indexed", &[Arg::Nums(&figures)], &Cancel::never())
            .ok(),
        Some(dec!(4))
    );
    assert_eq!(
        set.call_number("abs_of", &[Arg::Num(dec!(-2))], &Cancel::never())
            .ok(),
        Some(dec!(2))
    );
}

#[test]
fn deep_recursion_is_left_to_rhai() {
    let set = compile(&[(
        "rules/t.rhai",
        "fn down(n) { if n <= 0 { 0 } else { 1 + down(n - 1) } }",
    )]);
    assert_eq!(agrees(&set, "down", &[Arg::Num(dec!(10))]), dec!(10));
    // Deeper than the fast path goes: Rhai runs it (and would stop it at its own limit).
    assert_eq!(set.fast.call("down", &[Arg::Num(dec!(20))]), None);
    assert_eq!(
        set.call_number("down", &[Arg::Num(dec!(20))], &Cancel::never())
            .ok(),
        Some(dec!(20))
    );
}

fn arb_decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (-1_000_000i64..1_000_000, 0u32..6).prop_map(|(m, s)| Decimal::new(m, s)),
        Just(Decimal::ZERO),
        Just(Decimal::MAX),
        Just(Decimal::MIN),
        (any::<i64>(), 0u32..28).prop_map(|(m, s)| Decimal::new(m, s)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// On any inputs, the fast path either gives up or gives exactly Rhai's figure.
    #[test]
    fn shipped_rules_never_disagree(a in arb_decimal(), b in arb_decimal(), xs in prop::collection::vec(arb_decimal(), 0..5)) {
        let set = SHIPPED.with(|s| s.clone());
        for rule in ["capaian_maksimal", "capaian_minimal", "capaian_minimal_terbalik",
                     "capaian_stabilisasi", "capaian_maksimal_batas_120",
                     "persen_realisasi", "sisa_anggaran"] {
            let (fast, rhai) = both(&set, rule, &[Arg::Num(a), Arg::Num(b)]);
            if let Some(f) = fast {
                prop_assert_eq!(Some(f), rhai);
                prop_assert_eq!(f.to_string(), rhai.map(|d| d.to_string()).unwrap_or_default());
            }
        }
        let m = map(vec![("n", num(a)), ("t", num(b))]);
        let (fast, rhai) = both(&set, "rasio", &[Arg::Input(&m)]);
        if fast.is_some() { prop_assert_eq!(fast, rhai); }
        let (fast, rhai) = both(&set, "rata_rata", &[Arg::Nums(&xs)]);
        if fast.is_some() { prop_assert_eq!(fast, rhai); }
        let pooled = map(vec![
            ("n", list(xs.iter().map(|x| num(*x)).collect())),
            ("t", list(xs.iter().rev().map(|x| num(*x)).collect())),
        ]);
        let (fast, rhai) = both(&set, "rasio_gabungan", &[Arg::Input(&pooled)]);
        if fast.is_some() { prop_assert_eq!(fast, rhai); }
    }
}

thread_local! {
    static SHIPPED: std::rc::Rc<RuleSet> = std::rc::Rc::new(shipped());
}
