//! The shipped rule library (`rules/*.rhai`), rule by rule, through the engine's own call
//! (the fast path, and Rhai where it gives up).

use super::{Arg, RuleSet};
use crate::base::cancel::Cancel;
use crate::base::diagnostic::Code;
use crate::base::number::parse_plain;
use crate::base::source::FileId;
use crate::load::yaml::{self, Node, NodeKind};
use crate::model::{Input, Num, Text};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn library() -> RuleSet {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    RuleSet::of_workspace(root).expect("the repository's rules compile")
}

/// An argument, owned by the test.
enum V {
    N(Decimal),
    L(Vec<Decimal>),
    In(Input),
}

fn d(v: Decimal) -> V {
    V::N(v)
}

/// Inputs as a planner writes them in YAML.
fn masukan(text: &str) -> V {
    let node = yaml::parse(FileId(0), text).expect("yaml");
    V::In(to_input(&node))
}

fn to_input(node: &Node) -> Input {
    match &node.kind {
        NodeKind::Number(t) => Input::Num(Num {
            value: parse_plain(t).expect("number"),
            span: node.span,
            decimals: 0,
        }),
        NodeKind::Str(s) => Input::Text(Text {
            value: s.to_string(),
            span: node.span,
        }),
        NodeKind::Seq(items) => Input::List(items.iter().map(to_input).collect(), node.span),
        NodeKind::Map(entries) => Input::Map(
            entries
                .iter()
                .map(|(k, v)| ((&*k.name).into(), to_input(v)))
                .collect(),
            node.span,
        ),
        _ => panic!("unsupported input"),
    }
}

fn run(set: &RuleSet, name: &str, args: &[V]) -> Result<Decimal, super::RuleError> {
    let args: Vec<Arg> = args
        .iter()
        .map(|a| match a {
            V::N(v) => Arg::Num(*v),
            V::L(list) => Arg::Nums(list),
            V::In(input) => Arg::Input(input),
        })
        .collect();
    set.call_number(name, &args, &Cancel::never())
}

fn call(set: &RuleSet, name: &str, args: Vec<V>) -> Decimal {
    run(set, name, &args).unwrap_or_else(|e| panic!("{name}: {}", e.message))
}

fn fails(set: &RuleSet, name: &str, args: Vec<V>, message: &str) {
    let err = run(set, name, &args).expect_err("should fail");
    assert_eq!(err.code, Code::RuleRuntime, "{}", err.message);
    assert!(err.message.contains(message), "{}", err.message);
    assert!(err.span.is_some(), "a rule failure points at its line");
}

#[test]
fn rasio() {
    let set = library();
    assert_eq!(call(&set, "rasio", vec![masukan("{n: 4, t: 5}")]), dec!(80));
    let r = call(&set, "rasio", vec![masukan("{n: 330, t: 370}")]);
    assert_eq!(r.round_dp(4), dec!(89.1892));
    fails(
        &set,
        "rasio",
        vec![masukan("{n: 1, t: 0}")],
        "denominator t is 0",
    );
}

#[test]
fn rasio_gabungan() {
    let set = library();
    let r = call(
        &set,
        "rasio_gabungan",
        vec![masukan("{n: [25, 75], t: [52, 120]}")],
    );
    assert_eq!(r.round_dp(4), dec!(58.1395));
    fails(
        &set,
        "rasio_gabungan",
        vec![masukan("{n: [1, 2], t: [3]}")],
        "give one n per t",
    );
    fails(
        &set,
        "rasio_gabungan",
        vec![masukan("{n: [0], t: [0]}")],
        "add up to 0",
    );
}

#[test]
fn jumlah_tertimbang_is_exact() {
    let set = library();
    let m = masukan(
        "{komponen: [{nama: SMART, bobot: 60, nilai: 93.46}, {nama: IKPA, bobot: 40, nilai: 91.50}]}",
    );
    assert_eq!(call(&set, "jumlah_tertimbang", vec![m]), dec!(92.676));
    let bad = masukan("{komponen: [{bobot: 60, nilai: 1}, {bobot: 30, nilai: 1}]}");
    fails(&set, "jumlah_tertimbang", vec![bad], "add up to 90");
}

#[test]
fn indeks_kepuasan_and_nilai_indeks() {
    let set = library();
    let m = masukan("{konversi: 25, unsur: [{nama: a, nilai: 3.5}, {nama: b, nilai: 3.7}]}");
    assert_eq!(call(&set, "indeks_kepuasan", vec![m]), dec!(90));
    fails(
        &set,
        "indeks_kepuasan",
        vec![masukan("{konversi: 25, unsur: []}")],
        "no unsur",
    );
    assert_eq!(
        call(&set, "nilai_indeks", vec![masukan("{indeks: 3.642}")]),
        dec!(91.05)
    );
}

#[test]
fn capaian_by_polarity() {
    let set = library();
    let c = |name: &str, r: Decimal, t: Decimal| call(&set, name, vec![d(r), d(t)]);
    assert_eq!(c("capaian_maksimal", dec!(100), dec!(80)), dec!(125));
    // Lower is better: a realisasi under target scores above 100, in both variants.
    assert_eq!(c("capaian_minimal", dec!(80), dec!(100)), dec!(120));
    assert_eq!(c("capaian_minimal", dec!(120), dec!(100)), dec!(80));
    assert_eq!(
        c("capaian_minimal_terbalik", dec!(80), dec!(100)),
        dec!(125)
    );
    assert_eq!(c("capaian_stabilisasi", dec!(90), dec!(100)), dec!(90));
    assert_eq!(c("capaian_stabilisasi", dec!(110), dec!(100)), dec!(90));
    assert_eq!(
        c("capaian_maksimal_batas_120", dec!(150), dec!(100)),
        dec!(120)
    );
    assert_eq!(
        c("capaian_maksimal_batas_120", dec!(90), dec!(100)),
        dec!(90)
    );
    fails(
        &set,
        "capaian_maksimal",
        vec![d(dec!(5)), d(dec!(0))],
        "target is 0",
    );
    fails(
        &set,
        "capaian_minimal",
        vec![d(dec!(5)), d(dec!(0))],
        "target is 0",
    );
    fails(
        &set,
        "capaian_minimal_terbalik",
        vec![d(dec!(0)), d(dec!(5))],
        "realisasi is 0",
    );
    fails(
        &set,
        "capaian_stabilisasi",
        vec![d(dec!(5)), d(dec!(0))],
        "target is 0",
    );
}

#[test]
fn jumlah() {
    let set = library();
    let list = V::L(vec![dec!(776), dec!(99)]);
    assert_eq!(call(&set, "jumlah", vec![list]), dec!(875));
}

#[test]
fn rata_rata() {
    let set = library();
    let list = V::L(vec![dec!(99.62), dec!(125), dec!(96.71)]);
    assert_eq!(call(&set, "rata_rata", vec![list]), dec!(107.11));
    fails(&set, "rata_rata", vec![V::L(vec![])], "nothing to average");
}

#[test]
fn anggaran_rules_are_exact() {
    let set = library();
    let pagu = dec!(28585438802000);
    let realisasi = dec!(28356563552756);
    assert_eq!(
        call(&set, "sisa_anggaran", vec![d(pagu), d(realisasi)]),
        dec!(228875249244)
    );
    let persen = call(&set, "persen_realisasi", vec![d(pagu), d(realisasi)]);
    assert_eq!(persen.round_dp(2), dec!(99.20));
    // Cents survive: no binary floating point on the way.
    assert_eq!(
        call(
            &set,
            "sisa_anggaran",
            vec![d(dec!(1000000000000000.10)), d(dec!(0.05))]
        ),
        dec!(1000000000000000.05)
    );
    fails(
        &set,
        "persen_realisasi",
        vec![d(dec!(0)), d(dec!(5))],
        "pagu is 0",
    );
}

#[test]
fn every_shipped_rule_has_a_doc_comment_and_a_test_here() {
    let set = library();
    let this_file = include_str!("library_tests.rs");
    for rule in set.all() {
        assert!(
            !rule.doc.is_empty(),
            "rule `{}` has no doc comment",
            rule.name
        );
        assert!(
            this_file.contains(&format!("\"{}\"", rule.name)),
            "rule `{}` has no test",
            rule.name
        );
    }
}
