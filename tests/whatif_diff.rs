//! What-if overrides (`--set`) and `kinerja diff`.

mod common;
use common::*;

fn eval_json(dir: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["eval", "--format", "json"];
    args.extend_from_slice(extra);
    let out = kinerja(dir, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("json")
}

fn find<'a>(v: &'a serde_json::Value, list: &str, id: &str) -> &'a serde_json::Value {
    v[list]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["id"] == id))
        .unwrap_or_else(|| panic!("{id}"))
}

#[test]
fn set_overrides_a_target_for_one_run() {
    let v = eval_json(&example(), &["--set", "IKP4.2.target=75"]);
    assert_eq!(
        find(&v, "indikator", "IKP4.2")["capaian"].as_f64(),
        Some(77.52)
    );
    assert_eq!(find(&v, "sasaran", "SP4")["capaian"].as_f64(), Some(89.01));
    assert_eq!(v["nilai_kinerja"].as_f64(), Some(103.90));
    // Nothing was written: the next run is back to the files.
    let again = eval_json(&example(), &[]);
    assert_eq!(
        find(&again, "indikator", "IKP4.2")["capaian"].as_f64(),
        Some(70.90)
    );
}

#[test]
fn set_reaches_inputs_renstra_years_and_budget_rows() {
    let v = eval_json(
        &example(),
        &[
            "--set",
            "IKP4.1.masukan.n=370",
            "--set",
            "IKP4.2.masukan.n.0=52",
            "--set",
            "IKP3.2.target.2024=50",
            "--set",
            "IKP6.2.realisasi=80",
            "--set",
            "57.realisasi=27258821469000",
        ],
    );
    assert_eq!(
        find(&v, "indikator", "IKP4.1")["realisasi"].as_f64(),
        Some(100.0)
    );
    assert_eq!(
        find(&v, "indikator", "IKP4.2")["realisasi"].as_f64(),
        Some(73.84)
    );
    assert_eq!(
        find(&v, "indikator", "IKP3.2")["jangka_menengah"]["capaian"].as_f64(),
        Some(100.0)
    );
    assert_eq!(
        find(&v, "indikator", "IKP6.2")["capaian"].as_f64(),
        Some(100.0)
    );
    let bansos = v["anggaran"]["jenis_belanja"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["kode"] == "57"))
        .expect("57");
    assert_eq!(bansos["persen"].as_f64(), Some(100.0));
    assert_eq!(bansos["sisa"].as_u64(), Some(0));
}

#[test]
fn bad_overrides_are_usage_errors_with_suggestions() {
    for (arg, expected) in [
        ("IKP4.9.target=75", "did you mean `IKP4.3`?"),
        ("IKP4.2.targt=75", "did you mean `IKP4.2.target`?"),
        ("IKP4.2.target=7,5", "write 7.5"),
        ("IKP4.2=75", "no indikator or budget row"),
        ("IKP4.2.target", "is not of the form"),
        (
            "IKP4.2.target=123456789012345678901234567890",
            "`123456789012345678901234567890` in `IKP4.2.target=123456789012345678901234567890` is not a plain number; write a number of at most 28 significant digits",
        ),
    ] {
        let out = kinerja(&example(), &["eval", "--set", arg]);
        assert_eq!(out.status.code(), Some(2), "{arg}");
        assert!(stderr(&out).contains(expected), "{arg}: {}", stderr(&out));
    }
}

#[test]
fn set_into_a_list_input_names_its_indices() {
    // IKP4.2 pools two groups: `masukan: {n: [25, 75], t: [52, 120]}`.
    let out = kinerja(&example(), &["eval", "--set", "IKP4.2.masukan.n.7=5"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("`IKP4.2.masukan.n` (indicators/sp4.yaml:43:20) is a list of 2 entries, so `7` names none of them"),
        "{err}"
    );
    assert!(
        err.contains("`IKP4.2.masukan.n.0` … `IKP4.2.masukan.n.1`"),
        "{err}"
    );
    assert!(
        !err.contains("<nama>"),
        "a name is suggested for a list:\n{err}"
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("set_index_out_of_a_list", err));
    // The other ways a path misses the shape of the inputs say what is there.
    for (arg, expected) in [
        (
            "IKP4.2.masukan.n=5",
            "`IKP4.2.masukan.n` (indicators/sp4.yaml:43:20) is a list of 2 entries, not one number",
        ),
        ("IKP4.2.masukan.n.x=5", "so `x` names none of them"),
        (
            "IKP4.2.masukan.q=5",
            "has no input `q`; set one of `IKP4.2.masukan.n`, `IKP4.2.masukan.t`",
        ),
        ("IKP4.2.masukan.nn=5", "did you mean `IKP4.2.masukan.n`?"),
        (
            "IKP4.2.masukan.n.1.x=5",
            "`IKP4.2.masukan.n.1` (indicators/sp4.yaml:43:25) is a number, which has no `x`",
        ),
        ("IKP4.2.masukan=5", "is a mapping of inputs, not one number"),
        (
            "IKP2.1.masukan.n=5",
            "is a given figure, not computed from `masukan`; set the figure itself: `IKP2.1.realisasi=5`",
        ),
    ] {
        let out = kinerja(&example(), &["eval", "--set", arg]);
        assert_eq!(out.status.code(), Some(2), "{arg}");
        assert!(stderr(&out).contains(expected), "{arg}: {}", stderr(&out));
    }
    // A list that is the whole `masukan`.
    let ws = Files::minimal()
        .edit(
            "indicators/sp1.yaml",
            "rumus: rasio\n      masukan: {n: 45, t: 50}",
            "rumus: jumlah\n      masukan: [45, 45]",
        )
        .write();
    let out = kinerja(ws.path(), &["eval", "--set", "IKP1.1.masukan.7=5"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`IKP1.1.masukan` (indicators/sp1.yaml:13:16) is a list of 2 entries, so `7` names none of them; its entries are numbered from 0: `IKP1.1.masukan.0` … `IKP1.1.masukan.1`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn diff_between_the_january_and_september_pk() {
    let out = kinerja(&example(), &["diff", "examples/lkj-2022-januari", "."]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for expected in [
        "+ IKP1.1: nama = Persentase (%) penerima manfaat program sembako",
        "~ IKP3.1 nama: Persentase (%) penerima manfaat kewirausahaan sosial yang meningkat",
        "target.revisi.2022-09 = 100 (PK revisi)",
        "~ IKP6.1 target.pk: 36.6 → 36.3",
        "~ IKP6.1 target: 36.60 → 36.30",
        "~ SP1 capaian: 100.00 → 99.62",
        "~ nilai_kinerja capaian: 103.61 → 103.58",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    snapshot_settings().bind(|| insta::assert_snapshot!("diff_januari_september", text));
    let json = kinerja(
        &example(),
        &["diff", "examples/lkj-2022-januari", ".", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert!(
        v["figures"]
            .as_array()
            .is_some_and(|f| f.iter().any(|c| c["id"] == "SP1" && c["new"] == "99.62"))
    );
}

/// A figure moving into another band shows as its band changing, a value of its own (a
/// label: no number); the band table edited shows as its file changing.
#[test]
fn a_band_moves_with_its_figure_and_its_table() {
    let ws = copy_example();
    // IKP6.2's 77.51 moves from BB into A when A starts above 77.
    let table = ws.path().join("rules/sakip.kategori.yaml");
    edit(
        &table,
        "{label: A, lebih_dari: 80,",
        "{label: A, lebih_dari: 77,",
    );
    edit(
        &table,
        "{label: BB, lebih_dari: 70, maks: 80,",
        "{label: BB, lebih_dari: 70, maks: 77,",
    );
    let dir = ws.path().to_string_lossy().into_owned();
    let out = kinerja(&example(), &["diff", ".", &dir]);
    let text = stdout(&out);
    assert!(out.status.success(), "{}{text}", stderr(&out));
    let text = text.replace(&dir, "B");
    for expected in [
        "~ IKP6.2 kategori_realisasi: BB → A",
        "~ rules: sakip.kategori.yaml isi:",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let json = kinerja(&example(), &["diff", ".", &dir, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let band = v["figures"]
        .as_array()
        .and_then(|f| {
            f.iter()
                .find(|c| c["field"] == "kategori_realisasi")
                .cloned()
        })
        .unwrap_or_default();
    assert_eq!(band["old"], "BB", "{v}");
    assert_eq!(band["new"], "A", "{v}");
}

#[test]
fn diff_against_a_git_revision() {
    let ws = copy_example();
    let dir = ws.path();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "PK"]);
    edit(&dir.join("indicators/sp4.yaml"), "pk: 82 ", "pk: 75 ");
    let out = kinerja(dir, &["diff", "--rev", "HEAD"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("--- revision HEAD"), "{text}");
    assert!(text.contains("~ IKP4.2 target.pk: 82 → 75"), "{text}");
    assert!(text.contains("~ IKP4.2 capaian: 70.90 → 77.52"), "{text}");
    assert!(text.contains("~ SP4 capaian: 86.80 → 89.01"), "{text}");
    let bad = kinerja(dir, &["diff", "--rev", "no-such-rev"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("--rev no-such-rev"),
        "{}",
        stderr(&bad)
    );
}

/// `--rev` takes a revision only: what would reach git as an option (`--output=FILE`
/// writes a file) is refused before git runs.
#[test]
fn diff_rev_is_a_revision_never_an_option() {
    let ws = copy_example();
    let dir = ws.path();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "PK"]);
    let written = dir.join("written-by-git");
    for rev in [
        format!("--rev=--output={}", written.display()),
        "--rev=-p".to_string(),
    ] {
        let out = kinerja(dir, &["diff", &rev]);
        assert_eq!(out.status.code(), Some(2), "{rev}");
        let err = stderr(&out);
        assert!(err.contains("is not a revision"), "{rev}: {err}");
        assert!(!err.contains("git "), "{rev}: reached git: {err}");
        assert!(!written.exists(), "{rev}");
    }
    // A tree is no commit, and says so.
    let out = kinerja(dir, &["diff", "--rev", "HEAD:indicators"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not a commit"), "{}", stderr(&out));
    let out = kinerja(dir, &["diff", "--rev", "HEAD"]);
    assert!(out.status.success(), "{}", stderr(&out));
}
