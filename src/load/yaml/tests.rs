//! The YAML paths against each other, and the accessors.

use super::reference::parse_with_serde;
use super::tree::is_short_decimal;
use super::*;
use crate::base::diagnostic::{Code, Diagnostics};
use crate::base::number;
use crate::base::source::Span;
use crate::load::shape::{Field, Mapping, Shape};
use rust_decimal_macros::dec;

const fn key(name: &'static str) -> Field {
    Field::opt(name, Shape::Text, "")
}

/// The mapping the accessors' tests read.
static T: Mapping = Mapping {
    what: "t",
    name: "t",
    doc: "",
    fields: &[key("a"), key("b"), key("c"), key("list")],
    data: None,
    examples: &["{}"],
};

/// A mapping with an indikator's keys, for suggestions among them.
static IKP: Mapping = Mapping {
    what: "an indikator",
    name: "ikp",
    doc: "",
    fields: &[key("id"), key("nama"), key("target"), key("realisasi")],
    data: None,
    examples: &["{}"],
};

fn tree(text: &str) -> Node<'_> {
    match parse(FileId(0), text) {
        Ok(n) => n,
        Err(d) => panic!("{d:?}"),
    }
}

#[test]
fn numbers_keep_their_written_text() {
    let n = tree("a: 28585438802000.55\nb: 0.6\nc: '1.234,5'\n");
    let mut diags = Diagnostics::default();
    let mut m = n.as_map(&T, &mut diags).expect("map");
    let a = m.req("a", &mut diags).and_then(|n| n.as_num(&mut diags));
    assert_eq!(a.map(|n| n.value), Some(dec!(28585438802000.55)));
    let b = m.req("b", &mut diags).and_then(|n| n.as_num(&mut diags));
    assert_eq!(b.map(|n| (n.value, n.decimals)), Some((dec!(0.6), 1)));
    let c = m.req("c", &mut diags).and_then(|n| n.as_num(&mut diags));
    assert_eq!(c, None);
    let all: Vec<_> = diags.iter().map(|d| d.code).collect();
    assert_eq!(all, vec![Code::NumberFormat]);
}

#[test]
fn unknown_and_missing_keys_are_all_reported() {
    let n = tree("id: X\ntargt: 1\nrealisai: 2\n");
    let mut diags = Diagnostics::default();
    let mut m = n.as_map(&IKP, &mut diags).expect("map");
    m.req("id", &mut diags);
    m.req("nama", &mut diags);
    m.finish(&mut diags);
    let msgs: Vec<_> = diags.iter().map(|d| (d.code, d.hint.clone())).collect();
    assert_eq!(msgs.len(), 3, "{msgs:?}");
    assert_eq!(msgs[1].1.as_deref(), Some("did you mean `target`?"));
    assert_eq!(msgs[2].1.as_deref(), Some("did you mean `realisasi`?"));
}

#[test]
fn spans_point_at_values() {
    let text = "a:\n  b: 12\n";
    let n = tree(text);
    let mut diags = Diagnostics::default();
    let b = n
        .as_map(&T, &mut diags)
        .and_then(|mut m| m.req("a", &mut diags))
        .and_then(|a| a.as_map(&T, &mut diags))
        .and_then(|mut m| m.req("b", &mut diags))
        .expect("b");
    assert_eq!(&text[b.span.start..b.span.end], "12");
}

/// The event builder decides `text`, and gives exactly the serde path's tree.
fn same(text: &str) -> Node<'_> {
    let fast = events::build(FileId(0), text)
        .unwrap_or_else(|| panic!("left to the serde path: {text:?}"));
    let slow = parse_with_serde(FileId(0), text)
        .unwrap_or_else(|d| panic!("serde path refused {text:?}: {d:?}"));
    assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "for {text:?}");
    fast
}

/// The event builder leaves `text` to the serde path.
fn left_to_serde(text: &str) {
    assert!(
        events::build(FileId(0), text).is_none(),
        "decided by the event builder: {text:?}"
    );
}

/// Whatever the builder decides is what the serde path gives.
fn consistent(text: &str) -> bool {
    let Some(fast) = events::build(FileId(0), text) else {
        return false;
    };
    match parse_with_serde(FileId(0), text) {
        Ok(slow) => assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "for {text:?}"),
        Err(d) => panic!("builder accepted what serde refuses: {text:?}: {d:?}"),
    }
    true
}

fn at(text: &str, span: Span) -> &str {
    &text[span.start..span.end]
}

fn kind_of(n: &Node) -> String {
    format!("{:?}", n.kind)
}

#[test]
fn builder_matches_serde_on_mappings_and_sequences() {
    for text in [
        "a: 1\nb: two\n",
        "a:\n  b:\n    c: [1, 2, {d: e}]\n  f: {g: [h, i], j: {}}\n",
        "- a\n- b: 1\n  c: 2\n- - x\n  - y\n- []\n- {}\n",
        "[1, [2, [3]], {a: b}]",
        "{a: 1, b: [x, y], c: {d: null}}\n",
        "a:\n- 1\n- 2\nb:\n  - 3\n",
        "a: {b: 1,\n  c: 2}\nd: [\n  3,\n  4\n]\n",
        "a: b: c\n",
        "key with spaces: value with: colon\n",
        "a: 1 # comment\n# comment\nb: 2 # another\n",
        "\u{feff}a: 1\n",
        "a: 1\r\nb:\r\n  - x\r\n",
        "nama: Penyelenggaraan Bantuan — Sembako ✓\nnilai: 12\n",
        "ünï: [ü, ö]\n'ключ': значение\n",
        "a:\n\tb\n",
        "? a\n: 1\n",
        "a: !\n",
    ] {
        consistent(text);
    }
    for text in [
        "a: 1\nb: two\n",
        "a:\n  b:\n    c: [1, 2, {d: e}]\n  f: {g: [h, i], j: {}}\n",
        "- a\n- b: 1\n  c: 2\n- - x\n  - y\n- []\n- {}\n",
        "[1, [2, [3]], {a: b}]",
        "\u{feff}a: 1\n",
        "a: 1\r\nb:\r\n  - x\r\n",
        "nama: Penyelenggaraan Bantuan — Sembako ✓\nnilai: 12\n",
    ] {
        same(text);
    }
}

#[test]
fn builder_resolves_scalars_as_serde_does() {
    // Separated by `|`; the first is the empty scalar.
    const VALUES: &str = "|~|null|Null|NULL|nULL|true|False|TRUE|yes|No|ON|off|y|n|Y|0|-0|+0|\
        5|+5|-5|007|-007|+007|0x1F|-0x1f|0X1F|0o17|0O17|0b101|0B101|0o8|0x|1_000|-1_000|\
        1__000|_1|1_|1_000.5|18446744073709551615|18446744073709551616|\
        -9223372036854775808|-9223372036854775809|\
        99999999999999999999999999999999999999999|1.5|1.50|.5|-.5|+.5|1.|1e5|1E-3|-1e3|\
        1.5e+3|0.1|-0.0|28585438802000.55|2022|1.234,5|99,25%|Rp 1.000|inf|-inf|nan|\
        infinity|+.nan|-.nan|..5|1.2.3|1e|e5|-|+|.|12abc|0x1g|2022-01-31|12:30|1 000|\
        text|Sasaran 3381|S031.3381|IKP6.3|<<|=";
    let values: Vec<&str> = VALUES.split('|').collect();
    for v in &values {
        consistent(&format!("a: {v}\n"));
        consistent(&format!("- {v}\n"));
        consistent(&format!("[{v}]"));
        consistent(&format!("'{v}': x\n"));
        consistent(&format!("a: '{v}'\n"));
        consistent(&format!("a: \"{v}\"\n"));
    }
    for v in values.iter().filter(|v| !v.is_empty() && **v != "<<") {
        consistent(&format!("{v}: x\n"));
        consistent(&format!("{{{v}: x}}"));
    }
    // Each of these is decided by the builder.
    let decided = "~|yes|-0|+5|007|0x1F|1_000|1_000.5|18446744073709551616|1.50|.5|1e5|\
        -0.0|inf|1.234,5|2022-01-31";
    for v in decided.split('|') {
        same(&format!("a: {v}\nb: [{v}]\n"));
    }
}

#[test]
fn builder_numbers_keep_their_text_and_quoted_scalars_are_text() {
    let text = "a: 12.50\nb: '12.50'\nc: 1e3\nd: 0x10\ne: |\n  12\nf: >\n  folded\n  text\n";
    let n = same(text);
    let NodeKind::Map(entries) = &n.kind else {
        panic!("{n:?}")
    };
    let kinds: Vec<String> = entries.iter().map(|(_, v)| kind_of(v)).collect();
    assert_eq!(
        kinds,
        [
            r#"Number("12.50")"#,
            r#"Str("12.50")"#,
            r#"Number("1000")"#,
            r#"Number("16")"#,
            r#"Str("12\n")"#,
            r#"Str("folded text\n")"#,
        ]
    );
    assert_eq!(at(text, entries[0].1.span), "12.50");
    assert_eq!(at(text, entries[1].1.span), "'12.50'");
}

#[test]
fn builder_keys_are_text_whatever_their_type() {
    let text = "2022: a\ntrue: b\n1.5: c\n\"q\": d\n007: e\nno: f\n";
    let n = same(text);
    let NodeKind::Map(entries) = &n.kind else {
        panic!("{n:?}")
    };
    let names: Vec<&str> = entries.iter().map(|(k, _)| &*k.name).collect();
    assert_eq!(names, ["2022", "true", "1.5", "q", "007", "no"]);
    let spans: Vec<&str> = entries.iter().map(|(k, _)| at(text, k.span)).collect();
    assert_eq!(spans, ["2022", "true", "1.5", "\"q\"", "007", "no"]);
}

#[test]
fn builder_spans_of_keys_values_and_collections() {
    let text = "a:\n  b: 12\n  c: [x, {d: é}]\nlist:\n  - 1\n  - two\n";
    let n = same(text);
    let mut diags = Diagnostics::default();
    let mut top = n.as_map(&T, &mut diags).expect("map");
    assert_eq!(top.key_span("a").map(|s| at(text, s)), Some("a"));
    let a = top.req("a", &mut diags).expect("a");
    // A collection's span ends with its last child's: a closing bracket is not in it.
    assert_eq!(at(text, a.span), "b: 12\n  c: [x, {d: é");
    let mut am = a.as_map(&T, &mut diags).expect("map");
    assert_eq!(at(text, am.req("b", &mut diags).expect("b").span), "12");
    let c = am.req("c", &mut diags).expect("c");
    assert_eq!(at(text, c.span), "[x, {d: é");
    let list = top.req("list", &mut diags).expect("list");
    assert_eq!(at(text, list.span), "- 1\n  - two");
    assert!(diags.is_empty());
}

#[test]
fn builder_copies_anchored_nodes_at_the_alias() {
    for text in [
        "a: &x 1.50\nb: *x\n",
        "a: &x 0x10\nb: *x\nc: [*x, *x]\n",
        "a: &m {k: 1, l: [two, 3.0]}\nb: *m\nc: 4\n",
        "a: &s [1, {b: c}]\nd: [*s, *s]\n",
        "a: &o\n  x: &i 5\n  y: *i\nb: *o\n",
        "&k key: 1\nother: *k\n",
        "a: &n ~\nb: *n\nc: &t yes\nd: *t\n",
        "- &a 1e3\n- *a\n- &b -0.0\n- *b\n",
        "a: &z -0\nb: *z\n",
        "a: &e {}\nb: *e\nc: &f []\nd: *f\n",
        "a: &x 1\na2: &x 2\nb: *x\n",
        "a: &x [1, 2]\nb: {c: *x}\n",
    ] {
        consistent(text);
    }
    let text = "a: &m {k: 1.50, l: [two]}\nb: *m\n";
    let n = same(text);
    let NodeKind::Map(entries) = &n.kind else {
        panic!("{n:?}")
    };
    let b = &entries[1].1;
    assert_eq!(at(text, b.span), "*m");
    let NodeKind::Map(inner) = &b.kind else {
        panic!("{b:?}")
    };
    assert_eq!(at(text, inner[0].0.span), "*m");
    // The number as written at the anchor (not the parser's float, `1.5`): its decimals
    // are the ones written, and a number too long to compute with is quoted as written.
    assert_eq!(kind_of(&inner[0].1), r#"Number("1.50")"#);
    let long = "a: &x 123456789012345678901234567890\nb: [*x]\n";
    let n = same(long);
    let NodeKind::Map(entries) = &n.kind else {
        panic!("{n:?}")
    };
    let NodeKind::Seq(items) = &entries[1].1.kind else {
        panic!("{n:?}")
    };
    assert_eq!(
        kind_of(&items[0]),
        r#"Number("123456789012345678901234567890")"#
    );
    same("a: &x 1.50\nb: *x\n");
    same("a: &s [1, {b: c}]\nd: [*s, *s]\n");
    same("a: &o\n  x: &i 5\n  y: *i\nb: *o\n");
    same("&k key: 1\nother: *k\n");
}

#[test]
fn builder_empty_documents() {
    for text in [
        "",
        "\n",
        "   \n\n",
        "# only a comment\n",
        "---\n",
        "--- \n...\n",
        "...\n",
    ] {
        consistent(text);
    }
    let n = same("");
    assert!(n.is_null());
    assert!(same("# only a comment\n").is_null());
    assert!(same("---\n").is_null());
    same("---\na: 1\n...\n");
    same("just text\n");
    same("- 1\n");
}

#[test]
fn builder_leaves_the_rest_to_the_serde_path() {
    for text in [
        "a: 1\na: 2\n",
        "a: 1\nb: 2\n'a': 3\n",
        "1: a\n+1: b\n",
        "0x1: a\n",
        "-0: a\n",
        "~: a\n",
        "null: a\n",
        ": a\n",
        "base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n",
        "a: !!str 1\n",
        "a: !custom x\n",
        "!!map {a: 1}\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\n---\n",
        "a: .inf\n",
        "a: -.Inf\n",
        "a: .nan\n",
        "a: 1e999\n",
        "? [a, b]\n: 1\n",
        "? {a: b}\n: 1\n",
        "a: &k x\n*k : 1\n",
        "a: &r [1, *r]\n",
        "a: *nowhere\n",
        "a: [1\n",
        "a: 'unterminated\n",
        "a:\n  b: 1\n c: 2\n",
    ] {
        left_to_serde(text);
    }
    // Past the parser's limits (serde-saphyr's options): more comments than it holds
    // while it looks for a value, and a key whose `:` is too far.
    for text in [
        format!("a:\n{}  b: 1\n", "# c\n".repeat(33)),
        format!("- k{}: v\n", " ".repeat(1024)),
    ] {
        left_to_serde(&text);
        assert!(parse(FileId(0), &text).is_err(), "{text:?}");
    }
    // Parsed through the serde path, the diagnostics are unchanged.
    let err = parse(FileId(0), "a: 1\na: 2\n").expect_err("duplicate");
    assert!(err.message.contains("appears twice"), "{}", err.message);
    let merged = parse(FileId(0), "base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n").expect("merge");
    assert!(format!("{merged:?}").contains("\"x\""), "{merged:?}");
}

#[test]
fn builder_bounds_alias_expansion() {
    // A billion laughs: the builder stops counting well before building it, and the
    // serde path refuses it with its budget error.
    let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        let refs = vec![format!("*{prev}"); 9].join(", ");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    left_to_serde(&text);
    let err = parse(FileId(0), &text).expect_err("alias bomb");
    assert!(err.message.contains("alias bombs"), "{}", err.message);
    // A hundred aliases: serde-saphyr's alias/anchor ratio check starts there.
    let many = format!("a: &a 1\nb: [{}]\n", vec!["*a"; 100].join(", "));
    left_to_serde(&many);
    assert!(parse(FileId(0), &many).is_err());
    let fewer = format!("a: &a 1\nb: [{}]\n", vec!["*a"; 99].join(", "));
    same(&fewer);
    // Nesting: serde-saphyr's depth limit is 64.
    let deep = format!("{}{}", "[".repeat(70), "]".repeat(70));
    left_to_serde(&deep);
    let shallow = format!("{}{}", "[".repeat(40), "]".repeat(40));
    same(&shallow);
}

#[test]
fn builder_matches_serde_on_the_repository_files() {
    for f in super::scan::tests::repository_yaml_files() {
        let text = std::fs::read_to_string(&f).expect("readable");
        same(&text);
    }
}

/// Parse throughput of both paths on one core, over the YAML files under
/// `KINERJA_BENCH_DIR` (e.g. a workspace from `kinerja gen`):
/// `KINERJA_BENCH_DIR=/tmp/ws cargo test --release --lib yaml::tests::bench -- --ignored --nocapture`
#[test]
#[ignore = "a measurement, not a test"]
fn bench_parse_paths() {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "yaml") {
                out.push(std::fs::read_to_string(&p).unwrap_or_default());
            }
        }
    }
    let Some(dir) = std::env::var_os("KINERJA_BENCH_DIR") else {
        eprintln!("set KINERJA_BENCH_DIR");
        return;
    };
    let mut texts = Vec::new();
    walk(std::path::Path::new(&dir), &mut texts);
    let bytes: usize = texts.iter().map(String::len).sum();
    let time = |f: &dyn Fn(&str) -> bool| {
        (0..3)
            .map(|_| {
                let started = std::time::Instant::now();
                assert!(texts.iter().all(|t| f(t)));
                started.elapsed().as_secs_f64()
            })
            .fold(f64::MAX, f64::min)
    };
    let mb = bytes as f64 / 1e6;
    let events = time(&|t| events::build(FileId(0), t).is_some());
    let serde = time(&|t| parse_with_serde(FileId(0), t).is_ok());
    let scan = time(&|t| serde_saphyr::granit_parser::Parser::new_from_str(t).all(|e| e.is_ok()));
    eprintln!(
        "{} files, {mb:.1} MB: events {events:.3}s ({:.1} MB/s), serde {serde:.3}s ({:.1} MB/s), \
         parser events alone {scan:.3}s ({:.1} MB/s)",
        texts.len(),
        mb / events,
        mb / serde,
        mb / scan
    );
}

#[test]
fn serde_saphyr_defaults_are_those_the_builder_reproduces() {
    use serde_saphyr::{DuplicateKeyPolicy, MergeKeyPolicy};
    let o = serde_saphyr::Options::default();
    assert!(matches!(o.duplicate_keys, DuplicateKeyPolicy::Error));
    assert_eq!(o.merge_keys, MergeKeyPolicy::Merge);
    assert!(!o.strict_booleans && !o.legacy_octal_numbers && !o.no_schema);
    assert!(!o.null_as_string && !o.angle_conversions);
    assert!(!o.leading_zero_numbers_as_strings && !o.underscored_numbers_as_strings);
    assert!(o.budget.is_some());
    assert_eq!(
        events::resolve_plain_for_test("1_000"),
        Some("Int(1000)".into())
    );
    assert_eq!(events::resolve_plain_for_test(".inf"), None);
}

#[test]
fn shortcuts_agree_with_the_general_rules() {
    let numbers = [
        "0",
        "00",
        "07",
        "5",
        "16471",
        "999999999999999999",
        "1000000000000000000",
        "18446744073709551615",
        "18446744073709551616",
        "72.32",
        "0.5",
        "00.5",
        "1.",
        ".5",
        "1.5.2",
        "1.5e3",
        "3.431",
        "9999999999999999999999999999",
        "-12",
        "-0.0",
        "1_000",
        "12a",
        "99999999999999999999999999999.5",
    ];
    for v in numbers {
        assert!(events::shortcut_agrees_for_test(v), "{v}");
    }
    for w in [
        "0",
        "-0",
        "12",
        "-12",
        "3.50",
        "-0.000",
        "007",
        "9999999999999999999999999999",
        "0.000000000000000000000000001",
        "999999999999999999999999999.9",
        "-9999999999999999999999999999",
        "1.",
        ".5",
        "-",
        "1.2.3",
        "1_0",
        "+5",
        "",
        "99999999999999999999999999999",
        "0.0000000000000000000000000001",
    ] {
        if is_short_decimal(w) {
            assert!(number::parse_plain(w).is_ok(), "{w}");
        }
    }
    for t in [
        "",
        " ",
        " a ",
        "\t\r\n x\ny \n",
        "é ",
        " é",
        "\u{a0}a\u{a0}",
        "  ",
    ] {
        assert_eq!(
            events::yaml_trim_for_test(t),
            t.trim_matches([' ', '\t', '\r', '\n']),
            "{t:?}"
        );
    }
    assert!(is_short_decimal("9999999999999999999999999999"));
    assert!(!is_short_decimal("99999999999999999999999999999"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
    /// Random YAML-like text from fragments: whatever the builder decides, the serde
    /// path gives the same tree (and never refuses it).
    #[test]
    fn builder_never_disagrees_with_serde(parts in proptest::collection::vec(
        proptest::sample::select(vec![
            "a", "b", "2022", "1.5", "-0", "0x1F", "007", "yes", "~", "'q'", "\"d\"", ":",
            ": ", "- ", "\n", "\n  ", "\n    ", "[", "]", "{", "}", ", ", "&x ", "*x",
            "&y ", "*y", "#c", " ", "|\n  t", ">\n  f", "---\n", "...\n", "? ", "!!str ",
            "<<", "1e3", "é", "\t", "null", ".inf", "1_0", "\"", "'",
        ]),
        0..40,
    )) {
        let text: String = parts.concat();
        consistent(&text);
    }

    /// Random scalars, as values, keys and through an alias.
    #[test]
    fn builder_scalars_never_disagree_with_serde(v in "[-+0-9._eExXoObB afyYnN~]{0,14}") {
        consistent(&format!("a: {v}\n"));
        consistent(&format!("{v}: a\nb: 1\n"));
        consistent(&format!("a: &x {v}\nb: *x\nc: [*x]\n"));
    }
}

#[test]
fn syntax_errors_have_a_place() {
    let err = parse(FileId(0), "a: [1\nb: 2\n").expect_err("unclosed");
    assert_eq!(err.code, Code::YamlSyntax);
    assert!(err.primary.is_some());
    let err = parse(FileId(0), "a: 1\na: 2\n").expect_err("duplicate");
    assert!(err.message.contains("appears twice"), "{}", err.message);
}
