//! `kinerja test`: the shipped library's cases, and the runner itself (passing, failing,
//! erroring and malformed cases), through the real binary.

mod common;

use common::{Files, example, kinerja, snapshot_settings, stderr, stdout};

fn snapshot(name: &str, text: &str) {
    snapshot_settings().bind(|| insta::assert_snapshot!(format!("test.{name}"), text));
}

/// The repository's rules, with their cases and nothing else.
fn library() -> Files {
    Files::example()
        .retain(|p| p.starts_with("rules/") || p == "kinerja.yaml" || p.starts_with("indicators/"))
}

#[test]
fn the_shipped_library_passes_every_case_and_no_rule_is_untested() {
    let out = kinerja(&example(), &["test"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(
        text.contains(": 122 passed, 0 failed; 0 untested rules"),
        "{text}"
    );
    assert!(!text.contains("FAIL"), "{text}");
}

/// A deliberately broken rule (`rasio` multiplying by 1000): its cases fail, each located
/// at the case and at the rule.
#[test]
fn a_broken_rule_fails_its_cases_with_located_messages() {
    let ws = library()
        .edit(
            "rules/realisasi.rhai",
            "m.n / m.t * 100",
            "m.n / m.t * 1000",
        )
        .write();
    let out = kinerja(ws.path(), &["test", "--filter", "rasio"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("FAIL  rasio "), "{text}");
    assert!(
        text.contains("error[T001]: rasio: expected 80, got 800"),
        "{text}"
    );
    assert!(text.contains("--> rules/realisasi.test.yaml:7:5"), "{text}");
    assert!(text.contains("::: rules/realisasi.rhai:5:1"), "{text}");
    // `rasio_gabungan` has its own formula: its cases still pass.
    assert!(text.contains("ok    rasio_gabungan"), "{text}");
    snapshot("broken_rule", &text);
}

#[test]
fn a_rule_without_cases_is_listed_as_untested() {
    let ws = library()
        .set(
            "rules/kuota.rhai",
            "/// Share of a quota reached.\nfn rasio_kuota(m) {\n    m.n / m.kuota * 100\n}\n",
        )
        .write();
    let out = kinerja(ws.path(), &["test"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "untested is not failed: {text}");
    assert!(
        text.contains("untested: rule `rasio_kuota` (rules/kuota.rhai:2:1) has no case"),
        "{text}"
    );
    assert!(text.contains("1 untested rule\n"), "{text}");
}

/// Cases of every kind, in a file of their own: passing, a wrong number, an error where a
/// number was expected, a number where an error was, an unknown rule.
#[test]
fn passing_failing_and_erroring_cases() {
    let ws = library()
        .set(
            "rules/kuota.rhai",
            "/// Share of a quota reached.\nfn rasio_kuota(m) {\n    if m.kuota == 0 {\n        throw \"kuota is 0\";\n    }\n    m.n / m.kuota * 100\n}\n",
        )
        .set(
            "rules/kuota.test.yaml",
            "kasus:\n  - rumus: rasio_kuota\n    masukan: {n: 130, kuota: 120}\n    hasil: 108.33\n    desimal: 2\n  - rumus: rasio_kuota\n    nama: wrong number\n    masukan: {n: 130, kuota: 120}\n    hasil: 100\n  - rumus: rasio_kuota\n    nama: an error, not a number\n    masukan: {n: 130, kuota: 0}\n    hasil: 100\n  - rumus: rasio_kuota\n    nama: a number, not an error\n    masukan: {n: 130, kuota: 120}\n    galat: kuota is 0\n  - rumus: rasio_kuot\n    masukan: {n: 1, kuota: 1}\n    hasil: 1\n",
        )
        .write();
    let out = kinerja(ws.path(), &["test", "--filter", "kuot"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("5 cases: 1 passed, 4 failed"), "{text}");
    assert!(
        text.contains("expected an error containing \"kuota is 0\", got 108.3333"),
        "{text}"
    );
    assert!(
        text.contains("expected 100, got the error \"rule `rasio_kuota` failed: kuota is 0\""),
        "{text}"
    );
    assert!(text.contains("no rule named `rasio_kuot`"), "{text}");
    snapshot("kinds_of_cases", &text);
    let json = kinerja(ws.path(), &["test", "--filter", "kuot", "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v["passed"], 1);
    assert_eq!(v["failed"], 4);
    assert_eq!(v["cases"][1]["nama"], "wrong number");
    assert_eq!(v["cases"][1]["line"], 6);
    assert_eq!(v["diagnostics"][0]["code"], "T001");
    assert_eq!(v["diagnostics"][0]["file"], "rules/kuota.test.yaml");
}

/// Band lookups are cases like any other: a band table edited wrongly fails the cases of
/// its edges (a band where another was expected, no band), as do a table no file defines,
/// a case expecting a band and a number at once, and a rule returning a number for a label.
#[test]
fn band_cases_fail_when_the_table_or_the_rule_is_wrong() {
    let ws = library()
        .edit(
            "rules/sakip.kategori.yaml",
            "{label: BB, lebih_dari: 70, maks: 80,",
            "{label: BB, lebih_dari: 70, maks: 77,",
        )
        .set(
            "rules/pita.rhai",
            "/// A number where a label is needed.\nfn pita(nilai, tabel) {\n    nilai\n}\n",
        )
        .set(
            "rules/pita.test.yaml",
            "kasus:\n  - {rumus: kategori, nilai: 1, tabel: predikat_sakp, hasil: D}\n  - {rumus: pita, nilai: 1, tabel: [{label: a, min: 0}], hasil: a}\n  - {rumus: kategori, nilai: 1, tabel: [{label: a, min: 0}], galat: nol}\n",
        )
        .write();
    let out = kinerja(ws.path(), &["test", "--filter", "kategori"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "error[T001]: kategori — IKP6.2, the SAKIP score 77,51 of the LKj 2022: expected band `BB`, got no band"
        ),
        "{text}"
    );
    assert!(
        text.contains("error[T001]: kategori — 80 is BB: expected band `BB`, got no band"),
        "{text}"
    );
    assert!(
        text.contains("no band table named `predikat_sakp`"),
        "{text}"
    );
    assert!(
        text.contains("expected an error containing \"nol\", got band `a`"),
        "{text}"
    );
    snapshot("band_cases", &text);
    let out = kinerja(ws.path(), &["test", "--filter", "pita"]);
    let text = stdout(&out);
    assert!(
        text.contains(
            "rule `pita` returned the number 1 where a band's label (text) or nothing is needed"
        ),
        "{text}"
    );
}

/// A malformed test file is a located diagnostic, for `test` and for `check` alike; the
/// file's other cases still run.
#[test]
fn a_malformed_case_is_located_by_test_and_by_check() {
    let ws = library()
        .set(
            "rules/rusak.test.yaml",
            "kasus:\n  - rumus: rasio\n    masukan: {n: 1, t: 2}\n    hasl: 50\n  - rumus: rasio\n    masukan: {n: 1, t: 2}\n    hasil: 50\n",
        )
        .write();
    let out = kinerja(ws.path(), &["test", "--filter", "rasio"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("unknown key `hasl` in a test case"), "{text}");
    assert!(text.contains("--> rules/rusak.test.yaml:4:5"), "{text}");
    assert!(
        text.contains("ok    rasio  "),
        "the valid case still runs: {text}"
    );
    let check = kinerja(ws.path(), &["check"]);
    let report = stdout(&check);
    assert_eq!(check.status.code(), Some(1), "{report}");
    assert!(report.contains("--> rules/rusak.test.yaml:4:5"), "{report}");
    snapshot("malformed", &text);
}

#[test]
fn a_workspace_without_cases_says_where_they_go() {
    let ws = Files::minimal().write();
    let out = kinerja(ws.path(), &["test"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("0 cases: 0 passed, 0 failed"), "{text}");
    assert!(text.contains("rules/NAME.test.yaml"), "{text}");
}

#[test]
fn the_shipped_library_has_full_coverage() {
    let out = kinerja(&example(), &["test", "--coverage"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let total = text
        .lines()
        .find(|l| l.starts_with("coverage: "))
        .unwrap_or_else(|| panic!("no coverage line in {text}"));
    assert!(
        total.starts_with("coverage: 100.0% of lines (")
            && total.contains("100.0% of branch outcomes ("),
        "{total}"
    );
    assert!(!text.contains("missed in"), "{text}");
}

/// A case for one branch of a rule: the other branch's line and outcome are named, and so
/// is a function no case calls.
#[test]
fn coverage_names_the_lines_and_branches_no_case_reached() {
    let ws = library()
        .set(
            "rules/kuota.rhai",
            "/// Share of a quota reached.\nfn rasio_kuota(m) {\n    if m.kuota == 0 {\n        throw \"kuota is 0\";\n    }\n    m.n / m.kuota * 100\n}\n/// Never called by a case.\nfn sisa_kuota(m) {\n    m.kuota - m.n\n}\n",
        )
        .set(
            "rules/kuota.test.yaml",
            "kasus:\n  - rumus: rasio_kuota\n    masukan: {n: 60, kuota: 120}\n    hasil: 50\n",
        )
        .write();
    let out = kinerja(ws.path(), &["test", "--coverage", "--filter", "kuota"]);
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "coverage gaps do not fail: {text}"
    );
    assert!(
        text.contains(
            "missed in rules/kuota.rhai: `rasio_kuota`: line 4 never ran; `if` at 3:5 never took its then branch"
        ),
        "{text}"
    );
    assert!(
        text.contains("missed in rules/kuota.rhai: `sisa_kuota`: never called"),
        "{text}"
    );
    assert!(
        text.contains("untested: rule `sisa_kuota` (rules/kuota.rhai:9:1) has no case"),
        "{text}"
    );
    let kuota = text
        .lines()
        .find(|l| l.trim_start().starts_with("rules/kuota.rhai"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(kuota.contains("of lines (2/4)"), "{kuota}");
    let json = kinerja(
        ws.path(),
        &[
            "test",
            "--coverage",
            "--filter",
            "kuota",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let rasio = v["coverage"]
        .as_array()
        .and_then(|c| c.iter().find(|f| f["rumus"] == "rasio_kuota"))
        .expect("rasio_kuota's coverage");
    assert_eq!(rasio["missed_lines"], serde_json::json!([4]));
    assert_eq!(
        rasio["branches"][0]["taken"],
        serde_json::json!([false, true])
    );
}
