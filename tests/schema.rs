//! `kinerja schema`: listing, printing and writing the JSON Schemas editors use.

mod common;

use common::{example, kinerja, stderr, stdout};

const NAMES: [&str; 5] = ["kinerja", "indicators", "budgets", "rule-tests", "kategori"];

#[test]
fn without_arguments_the_schemas_are_listed_with_how_to_use_them() {
    let o = kinerja(&example(), &["schema"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for name in NAMES {
        assert!(out.contains(&format!("{name}.schema.json")), "{out}");
    }
    assert!(out.contains("\"indicators/**/*.yaml\""), "{out}");
    assert!(
        out.contains("\"./schema/indicators.schema.json\": ["),
        "{out}"
    );
    assert!(
        out.contains("# yaml-language-server: $schema=../schema/indicators.schema.json"),
        "{out}"
    );
}

/// What `kinerja schema NAME` prints is the committed file, byte for byte.
#[test]
fn a_schema_is_printed_by_name_as_committed() {
    for name in NAMES {
        let o = kinerja(&example(), &["schema", name]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let committed =
            std::fs::read_to_string(example().join(format!("schema/{name}.schema.json")))
                .expect("committed schema");
        assert!(
            stdout(&o) == committed,
            "{name} differs from schema/{name}.schema.json"
        );
    }
    let o = kinerja(&example(), &["schema", "indikator"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("error: no schema `indikator`\n  hint: did you mean `indicators`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn output_writes_every_schema_and_check_compares_them() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("skema");
    let target = out.to_string_lossy().into_owned();
    let o = kinerja(dir.path(), &["schema", "--output", &target]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).matches("wrote ").count(), 5, "{}", stdout(&o));
    for name in NAMES {
        assert!(out.join(format!("{name}.schema.json")).is_file());
    }
    let o = kinerja(dir.path(), &["schema", "--output", &target]);
    assert_eq!(
        stdout(&o).matches("unchanged ").count(),
        5,
        "{}",
        stdout(&o)
    );
    let o = kinerja(dir.path(), &["schema", "--output", &target, "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // A schema of another version: --check fails and says how to write them; writing
    // replaces it.
    let budgets = out.join("budgets.schema.json");
    common::edit(&budgets, "pagu", "pagu_lama");
    let o = kinerja(dir.path(), &["schema", "--output", &target, "--check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("budgets.schema.json: differs"),
        "{}",
        stdout(&o)
    );
    assert!(
        stderr(&o).contains(&format!("hint: run `kinerja schema --output {target}`")),
        "{}",
        stderr(&o)
    );
    let o = kinerja(dir.path(), &["schema", "--output", &target]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).matches("wrote ").count(), 1, "{}", stdout(&o));

    // A file kinerja did not write is never replaced, and then nothing is written.
    std::fs::write(out.join("kinerja.schema.json"), "organisasi: mine\n").expect("write");
    std::fs::remove_file(out.join("rule-tests.schema.json")).expect("rm");
    let o = kinerja(dir.path(), &["schema", "--output", &target]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("kinerja.schema.json is not a schema kinerja wrote"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(out.join("kinerja.schema.json")).expect("kept"),
        "organisasi: mine\n"
    );
    assert!(!out.join("rule-tests.schema.json").exists());
}

#[test]
fn check_needs_output_and_a_name_excludes_it() {
    let o = kinerja(&example(), &["schema", "--check"]);
    assert_eq!(o.status.code(), Some(2));
    let o = kinerja(&example(), &["schema", "budgets", "--output", "x"]);
    assert_eq!(o.status.code(), Some(2));
}
