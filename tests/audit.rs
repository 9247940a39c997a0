//! `kinerja audit` and the audit inside `check`: printed figures against computed ones,
//! and the structural checks of a report's tables.

mod common;
use common::*;

/// A minimal workspace with the repository's rules, one sasaran and the given indikator
/// entries and budget.
fn mini(indikator: &str, budget: Option<&str>, manifest_extra: &str) -> tempfile::TempDir {
    let manifest = format!("organisasi: Dinas Uji\ntahun: 2022\n{manifest_extra}");
    let indicators =
        format!("sasaran:\n  - id: SP1\n    nama: Sasaran satu\nindikator:\n{indikator}");
    let mut files: Vec<(String, String)> = vec![
        ("kinerja.yaml".into(), manifest),
        ("indicators/a.yaml".into(), indicators),
    ];
    if let Some(b) = budget {
        files.push(("budgets/b.yaml".into(), b.into()));
    }
    for rule in ["realisasi", "capaian", "rollup", "anggaran"] {
        let text =
            std::fs::read_to_string(example().join(format!("rules/{rule}.rhai"))).expect("rule");
        files.push((format!("rules/{rule}.rhai"), text));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    workspace(&refs)
}

fn indikator(id: &str, target: &str, realisasi: &str, dicetak: &str) -> String {
    format!(
        "  - id: {id}\n    nama: Indikator {id}\n    sasaran: SP1\n    satuan: persen\n    target: {target}\n    realisasi: {realisasi}\n    dicetak: {dicetak}\n"
    )
}

fn audit(dir: &std::path::Path) -> (i32, String) {
    let out = kinerja(dir, &["audit"]);
    (out.status.code().unwrap_or(-1), stdout(&out))
}

#[test]
fn agreeing_figures_are_not_reported() {
    // 330 ÷ 370 = 89.189…: printed as 89.19, as 89.2 and as 89, all agree at their precision.
    let ind = indikator(
        "IKP1",
        "91",
        "{rumus: rasio, masukan: {n: 330, t: 370}}",
        "[{realisasi: 89.19, capaian: 98.01}, {realisasi: 89.2}, {realisasi: 89}]",
    );
    let ws = mini(&ind, None, "");
    let (code, text) = audit(ws.path());
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("ok: every printed figure agrees"), "{text}");
}

#[test]
fn a_mismatch_has_both_values_the_difference_and_the_places() {
    let ind = indikator(
        "IKP1",
        "91",
        "{rumus: rasio, masukan: {n: 330, t: 370}}",
        "{capaian: 98.10}",
    );
    let ws = mini(&ind, None, "");
    let (code, text) = audit(ws.path());
    assert_eq!(code, 1);
    assert!(
        text.contains(
            "warning[A001]: IKP1 capaian: printed 98.10, computed 98.01 (difference +0.09)"
        ),
        "{text}"
    );
    assert!(text.contains("--> indicators/a.yaml:11:24"), "{text}");
    assert!(
        text.contains("realisasi of IKP1 computed from here"),
        "{text}"
    );
    assert!(
        text.contains("likely cause: two adjacent digits are transposed"),
        "{text}"
    );
    // The same finding is a warning of `check`: fine by default, fatal with --deny warnings.
    assert_eq!(kinerja(ws.path(), &["check"]).status.code(), Some(0));
    assert_eq!(
        kinerja(ws.path(), &["check", "--deny", "warnings"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn likely_causes() {
    let cases = [
        // truncated instead of rounded: 89.189 → 89.18
        (
            "{rumus: rasio, masukan: {n: 330, t: 370}}",
            "{realisasi: 89.18}",
            "truncated, not rounded",
        ),
        // the capaian column shows the realisasi
        (
            "{rumus: rasio, masukan: {n: 330, t: 370}}",
            "{capaian: 89.19}",
            "the printed capaian equals the realisasi",
        ),
        // an extra digit
        (
            "{rumus: rasio, masukan: {n: 330, t: 370}}",
            "{capaian: 988.01}",
            "an extra digit",
        ),
        // the printed target is not the one used
        (
            "{rumus: rasio, masukan: {n: 330, t: 370}}",
            "{target: 92}",
            "not the target the figures were measured against",
        ),
    ];
    for (realisasi, dicetak, cause) in cases {
        let ws = mini(&indikator("IKP1", "91", realisasi, dicetak), None, "");
        let (code, text) = audit(ws.path());
        assert_eq!(code, 1, "{text}");
        assert!(
            text.contains(cause),
            "{dicetak}: expected {cause:?} in\n{text}"
        );
    }
}

#[test]
fn rounding_at_a_different_stage_is_recognised() {
    // Capaian 99.2457… and 100: the mean of the full-precision figures is 99.62, of the
    // figures printed at 2 decimals (99.25 and 100) 99.625 → 99.63.
    let inds = format!(
        "{}{}",
        indikator(
            "IKP1",
            "100",
            "{rumus: rasio, masukan: {n: 18658193, t: 18800000}}",
            "{}"
        ),
        indikator("IKP2", "100", "100", "{}")
    );
    let ws = mini(&inds, None, "");
    edit(
        &ws.path().join("indicators/a.yaml"),
        "nama: Sasaran satu\n",
        "nama: Sasaran satu\n    dicetak: {capaian: 99.63}\n",
    );
    let (code, text) = audit(ws.path());
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("SP1 capaian: printed 99.63, computed 99.62"),
        "{text}"
    );
    assert!(text.contains("rounding at a different stage"), "{text}");
}

/// The audit recomputes a figure through the very rule evaluation used, in whichever form it
/// is written: here a capaian rule that also takes the indikator.
#[test]
fn rounding_at_a_different_stage_through_a_rule_taking_the_indikator() {
    // Realisasi 99.2457…, target 10: capaian 992.457… at full precision, 992.50 from the
    // realisasi as printed (99.25).
    let ind = indikator(
        "IKP1",
        "10",
        "{rumus: rasio, masukan: {n: 18658193, t: 18800000}}",
        "{capaian: 992.50}",
    )
    .replace(
        "    dicetak:",
        "    capaian: {rumus: capaian_dengan_indikator}\n    dicetak:",
    );
    let ws = mini(&ind, None, "");
    std::fs::write(
        ws.path().join("rules/lain.rhai"),
        "/// Realisasi against target, knowing the indikator.\nfn capaian_dengan_indikator(r, t, ind) {\n    r / t * 100\n}\n",
    )
    .expect("write rule");
    let (code, text) = audit(ws.path());
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("IKP1 capaian: printed 992.50, computed 992.46"),
        "{text}"
    );
    assert!(
        text.contains("rounding at a different stage: computing from inputs already rounded to 2 decimals gives 992.50"),
        "{text}"
    );
}

#[test]
fn a_figure_of_another_indicator() {
    let inds = format!(
        "{}{}",
        indikator("IKP1", "80", "100", "{capaian: 90.00}"),
        indikator("IKP2", "100", "90", "{}")
    );
    let ws = mini(&inds, None, "");
    let (_, text) = audit(ws.path());
    assert!(
        text.contains("it equals the realisasi of IKP2 (90.00)"),
        "{text}"
    );
}

#[test]
fn evidence_and_table_totals() {
    let ind = "  - id: IKP1\n    nama: Indikator\n    sasaran: SP1\n    satuan: persen\n    target: 89\n    realisasi: {rumus: rasio, masukan: {n: 873, t: 1072}}\n    bukti:\n      - {keterangan: table rows, rumus: rasio_gabungan, masukan: {n: [776, 99], t: [911, 161]}}\n    tabel:\n      - nama: Penyelenggara\n        baris:\n          - {nama: UGB, izin: 911, melaporkan: 776}\n          - {nama: PUB, izin: 161, melaporkan: 99}\n        jumlah: {izin: 1072, melaporkan: 873}\n";
    let ws = mini(ind, None, "");
    let (code, text) = audit(ws.path());
    assert_eq!(code, 1);
    assert!(text.contains("warning[A002]: IKP1 realisasi: the evidence gives 81.62 (rasio_gabungan), the figure of record is 81.44"), "{text}");
    assert!(text.contains("warning[A003]: table \"Penyelenggara\", column melaporkan: printed total 873, the rows add to 875 (difference -2)"), "{text}");
    assert!(
        text.contains("IKP1's masukan uses the printed total 873"),
        "{text}"
    );
    assert!(
        !text.contains("column izin"),
        "the izin column adds up: {text}"
    );
}

#[test]
fn a_total_missing_a_row() {
    let ind = format!(
        "{}    tabel:\n      - nama: T\n        baris:\n          - {{nama: a, x: 5}}\n          - {{nama: b, x: 7}}\n        jumlah: {{x: 5}}\n",
        indikator("IKP1", "100", "100", "{}")
    );
    let ws = mini(&ind, None, "");
    let (_, text) = audit(ws.path());
    assert!(text.contains("the total misses the row b"), "{text}");
}

#[test]
fn budget_structure() {
    let budget = "kegiatan:\n  - {kode: K1, nama: Satu, pagu: 1000, realisasi: 900}\n  - {kode: K2, nama: Dua, pagu: 500, realisasi: 600}\njenis_belanja:\n  - {kode: \"52\", pagu: 1400, realisasi: 1500}\nrincian:\n  - {kegiatan: K1, jenis_belanja: \"52\", pagu: 900, realisasi: 900}\nriwayat:\n  - {tahun: 2022, persen: 99}\ndicetak: {pagu: 1500, sisa: 100, persen: 100}\n";
    let ws = mini(&indikator("IKP1", "100", "100", "{}"), Some(budget), "");
    let (code, text) = audit(ws.path());
    assert_eq!(code, 1);
    for expected in [
        "warning[A006]: kegiatan: K2: realisasi 600 is above pagu 500",
        "warning[A004]: pagu: the kegiatan add to 1500, the jenis belanja to 1400 (difference -100)",
        "warning[A005]: kegiatan: K1: pagu is 1000, its 1 rincian lines add to 900 (difference +100)",
        "warning[A001]: riwayat 2022: printed 99, the year's total computes to 100",
        "warning[A001]: total sisa: printed 100, computed 0 (difference +100)",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(
        !text.contains("total persen"),
        "the printed total % agrees: {text}"
    );
}

#[test]
fn known_disagreements_are_listed_but_do_not_fail() {
    let ind = indikator(
        "IKP1",
        "91",
        "{rumus: rasio, masukan: {n: 330, t: 370}}",
        "[{capaian: 98.01}, {capaian: 93.65, sumber: narasi, diketahui: a typo in the narrative}]",
    );
    let ws = mini(&ind, None, "");
    let (code, text) = audit(ws.path());
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("known: a typo in the narrative"), "{text}");
    assert!(text.contains("1 finding (0 open, 1 known)"), "{text}");
    assert_eq!(
        kinerja(ws.path(), &["check", "--deny", "warnings"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn counts_and_averages_stated_in_the_text() {
    let inds = format!(
        "{}{}",
        indikator("IKP1", "100", "120", "{}"),
        indikator("IKP2", "100", "80", "{}")
    );
    let ws = mini(
        &inds,
        None,
        "dicetak:\n  - {jumlah_indikator_tercapai: 1, persen_indikator_belum_tercapai: 50, rata_rata_capaian_indikator: 100}\n  - {jumlah_indikator_belum_tercapai: 2, sumber: penutup}\n",
    );
    let (code, text) = audit(ws.path());
    assert_eq!(code, 1);
    assert!(
        text.contains("jumlah_indikator_belum_tercapai: printed 2, computed 1"),
        "{text}"
    );
    assert_eq!(
        text.matches("warning[").count(),
        1,
        "only the wrong count: {text}"
    );
}

#[test]
fn the_seeds_contradictions_are_found_and_nothing_that_agrees() {
    let (code, text) = audit(&example());
    assert_eq!(code, 0, "every finding of the example is known: {text}");
    for expected in [
        // IKP 3.1: n and t against the printed realisasi
        "IKP3.1 realisasi: the evidence gives 93.43 (rasio), the figure of record is 56.05",
        // the UGB/PUB table's total
        "column melaporkan: printed total 873, the rows add to 875",
        // the text's "Nilai Kinerja Anggaran 88,42" against its own formula
        "IKP6.3 realisasi: printed 88.42, computed 92.68",
        "IKP5.1 capaian: printed 1113.05, computed 113.05",
        "jumlah_indikator_belum_tercapai: printed 3, computed 6",
    ] {
        assert!(text.contains(expected), "missing {expected:?}");
    }
    // Agreeing figures stay silent: the budget tables all add up, and IKP 4.1's "89%"
    // in the executive summary is 89.19 at 0 decimals.
    assert!(!text.contains("kegiatan:"), "{text}");
    assert!(!text.contains("IKP4.1"), "{text}");
    snapshot_settings().bind(|| insta::assert_snapshot!("audit_example", text));
}

/// A provincial Setda printed its programme's realisation as the unweighted mean of its
/// rows (93.6, 87.4, 92.9, 80.5 → 88.6) where Σ realisasi ÷ Σ pagu is 85.41 (issue 14).
const SETDA_BUDGET: &str = "\
program: Program Penunjang Urusan Pemerintahan Daerah
kegiatan:
  - {kode: '1', nama: Kegiatan satu, pagu: 1000, realisasi: 936}
  - {kode: '2', nama: Kegiatan dua, pagu: 2000, realisasi: 1748}
  - {kode: '3', nama: Kegiatan tiga, pagu: 1000, realisasi: 929}
  - {kode: '4', nama: Kegiatan empat, pagu: 4000, realisasi: 3220}
dicetak: {persen: 88.6}
";

#[test]
fn a_total_taken_as_the_mean_of_its_rows_is_named_and_can_be_stated() {
    let ind = indikator("IKP1", "90", "90", "");
    let dir = mini(&ind, Some(SETDA_BUDGET), "");
    let (code, out) = audit(dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("total persen: printed 88.6, computed 85.4"),
        "{out}"
    );
    assert!(
        out.contains("it is the unweighted mean of the rows' % (88.6), where the total is Σ realisasi ÷ Σ pagu; if that is the report's method, say so: `rumus: {persen_total: rata_rata_persen}` in kinerja.yaml"),
        "{out}"
    );
    // Stated, the total is the report's.
    let dir = mini(
        &ind,
        Some(SETDA_BUDGET),
        "rumus: {persen_total: rata_rata_persen}\n",
    );
    let (code, out) = audit(dir.path());
    assert_eq!(code, 0, "{out}");
    let eval = kinerja(dir.path(), &["eval", "--format", "json", "."]);
    let report: serde_json::Value = serde_json::from_slice(&eval.stdout).expect("json");
    assert_eq!(
        report["anggaran"]["total"]["persen"],
        serde_json::json!(88.6)
    );
    // The other way round: a workspace stating the mean, a report printing Σ ÷ Σ.
    let weighted = SETDA_BUDGET.replace("dicetak: {persen: 88.6}", "dicetak: {persen: 85.41}");
    let dir = mini(
        &ind,
        Some(&weighted),
        "rumus: {persen_total: rata_rata_persen}\n",
    );
    let (_, out) = audit(dir.path());
    assert!(out.contains("it is Σ realisasi ÷ Σ pagu (85.41)"), "{out}");
    assert!(
        out.contains("`rumus: {persen_total: persen_total_pagu}`"),
        "{out}"
    );
}

// Printed bands (`dicetak: {kategori_realisasi: BB}`): against the band the figure's table
// gives the computed figure.

fn audit_with(dir: &std::path::Path, args: &[&str]) -> String {
    let mut all = vec!["audit"];
    all.extend_from_slice(args);
    stdout(&kinerja(dir, &all))
}

#[test]
fn the_examples_printed_bands_agree() {
    // IKP6.2 is printed BB beside 77,71 (L3546), IKP7.1 A (L3985–L3998): both agree.
    let text = audit_with(&example(), &[]);
    assert!(!text.contains("kategori_"), "{text}");
}

#[test]
fn a_printed_band_that_differs_names_both_bands_and_the_printed_figure_it_fits() {
    let text = audit_with(&example(), &["--set", "IKP6.2.realisasi=85"]);
    let finding = text
        .split("\n\n")
        .find(|f| f.contains("kategori_realisasi"))
        .unwrap_or_else(|| panic!("no band finding in:\n{text}"));
    snapshot_settings().bind(|| insta::assert_snapshot!("audit_printed_band", finding));
    assert!(
        finding.contains("printed `BB`, computed `A` (85.00 is in A: 80 < x ≤ 90)"),
        "{finding}"
    );
    assert!(
        finding.contains("--> indicators/sp6.yaml:32:30"),
        "{finding}"
    );
    assert!(
        finding.contains("`BB` is the band of the realisasi as printed (77.51"),
        "{finding}"
    );
}

#[test]
fn a_printed_label_the_table_lacks_lists_its_bands() {
    let ws = copy_example();
    edit(
        &ws.path().join("indicators/sp6.yaml"),
        "{kategori_realisasi: BB,",
        "{kategori_realisasi: B+,",
    );
    let text = audit_with(ws.path(), &[]);
    assert!(
        text.contains(
            "IKP6.2 kategori_realisasi: printed `B+`, which is no band of `predikat_sakip` (its bands: AA, A, BB, B, CC, C, D)"
        ),
        "{text}"
    );
}

#[test]
fn a_printed_band_of_a_figure_no_table_bands_says_to_name_the_table() {
    let ws = copy_example();
    edit(
        &ws.path().join("indicators/sp6.yaml"),
        "realisasi: {nilai: 77.51, kategori: predikat_sakip}",
        "realisasi: 77.51",
    );
    let text = audit_with(ws.path(), &[]);
    assert!(
        text.contains(
            "IKP6.2 kategori_realisasi: printed `BB`, but no band table bands the realisasi"
        ),
        "{text}"
    );
    assert!(
        text.contains("`kategori: predikat_sakip` on the realisasi"),
        "{text}"
    );
}

#[test]
fn a_printed_band_of_a_figure_between_bands_is_reported() {
    let text = audit_with(&example(), &["--set", "IKP7.1.masukan.indeks=3.5322"]);
    assert!(
        text.contains(
            "IKP7.1 kategori_realisasi: printed `A`, computed 88.31 (88.305 at full precision) falls in no band of `mutu_ikm`"
        ),
        "{text}"
    );
}

#[test]
fn printed_bands_of_a_sasaran_and_of_the_nilai_kinerja_are_audited() {
    let ws = copy_example();
    let manifest = ws.path().join("kinerja.yaml");
    edit(
        &manifest,
        "# Figures the report printed",
        "kategori:\n  capaian_sasaran: capaian_lima_tingkat\n  nilai_kinerja: predikat_sakip\n\n# Figures the report printed",
    );
    edit(
        &manifest,
        "  - nilai_kinerja: 103.58\n",
        "  - nilai_kinerja: 103.58\n    kategori_nilai_kinerja: AA\n",
    );
    edit(
        &ws.path().join("indicators/sp1.yaml"),
        "dicetak: {capaian: 99.62}",
        "dicetak: {capaian: 99.62, kategori_capaian: baik}",
    );
    let text = audit_with(ws.path(), &[]);
    assert!(
        text.contains("SP1 kategori_capaian: printed `baik`, computed `sangat baik` (99.62 is in sangat baik: 91 ≤ x ≤ 100)"),
        "{text}"
    );
    assert!(
        text.contains(
            "kategori_nilai_kinerja: printed `AA`, computed 103.58 (103.58428571428571428571428571 at full precision) falls in no band of `predikat_sakip`"
        ),
        "{text}"
    );
}

// Printed figures of past years (`riwayat`): every year's, not only the report year's.

#[test]
fn a_past_years_printed_figures_are_audited() {
    let budget = "kegiatan:\n  - {kode: K1, nama: Satu, pagu: 1000, realisasi: 900}\nriwayat:\n  - tahun: 2020\n    pagu: 400\n    realisasi: 300\n    persen: 75.5\n    dicetak: [{sisa: 100, persen: 75}, {realisasi: 310, sumber: narasi}]\n  - {tahun: 2021, persen: 96.61, dicetak: {persen: 96.91, sumber: narasi (L4301)}}\n";
    let ind = indikator("IKP1", "90", "90", "{}");
    let ws = mini(&ind, Some(budget), "");
    let (code, text) = audit(ws.path());
    assert_eq!(code, 1, "{text}");
    // A year's % beside its amounts is what the report printed for them.
    assert!(
        text.contains("riwayat 2020: printed 75.5, its pagu and realisasi give 75.0"),
        "{text}"
    );
    assert!(text.contains("--> budgets/b.yaml:7:13"), "{text}");
    // Its printings elsewhere: the sisa and the % agree, the realisasi does not.
    assert!(
        text.contains("riwayat: 2020 realisasi: printed 310, computed 300 (difference +10)"),
        "{text}"
    );
    assert!(!text.contains("riwayat: 2020 sisa"), "{text}");
    assert!(!text.contains("riwayat: 2020 persen"), "{text}");
    // A year given only as a %: its printing elsewhere is checked against it.
    assert!(
        text.contains("riwayat: 2021 persen: printed 96.91, computed 96.61 (difference +0.3)"),
        "{text}"
    );
    assert!(text.contains("printed here (narasi (L4301))"), "{text}");
}

// A programme's % printed as a mean over the rows at the bottom of the hierarchy (the Setda
// Sumatera Utara's Tabel 19, examples/setda-sumut-2021), skipping the kegiatan between.

fn setda() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = example().join("examples/setda-sumut-2021");
    std::fs::create_dir_all(dir.path().join("budgets")).expect("mkdir");
    let manifest = std::fs::read_to_string(from.join("kinerja.yaml"))
        .expect("manifest")
        .replace("pustaka_rumus: ../../rules", "");
    std::fs::write(dir.path().join("kinerja.yaml"), manifest).expect("write");
    // The known findings made open again.
    let budget = std::fs::read_to_string(from.join("budgets/sasaran-strategis-3.yaml"))
        .expect("budget")
        .lines()
        .filter(|l| !l.trim_start().starts_with("diketahui:"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.path().join("budgets/b.yaml"), budget).expect("write");
    std::fs::create_dir_all(dir.path().join("rules")).expect("mkdir");
    for rule in ["realisasi", "anggaran"] {
        std::fs::copy(
            example().join(format!("rules/{rule}.rhai")),
            dir.path().join(format!("rules/{rule}.rhai")),
        )
        .expect("rules");
    }
    dir
}

#[test]
fn a_programmes_printed_mean_of_its_sub_kegiatan_as_printed_is_named() {
    let ws = setda();
    let (code, text) = audit(ws.path());
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(
            "program: Program Pemerintahan Dan Otonomi Daerah persen: printed 88.6, computed 88.9"
        ),
        "{text}"
    );
    assert!(
        text.contains("likely cause: it is the unweighted mean of the sub kegiatan rows' % as the report printed them (93.6, 87.4, 92.9, 80.5), over the sub kegiatan rows directly"),
        "{text}"
    );
    // The row whose printed % is wrong is a finding of its own.
    assert!(
        text.contains("Sub Kegiatan Evaluasi Pelaksanaan persen: printed 80.5, computed 77.1"),
        "{text}"
    );
}

#[test]
fn a_programmes_mean_of_its_sub_kegiatan_is_named_with_the_level_it_skips() {
    let ws = setda();
    // A realisasi that gives the printed 80.5: every row agrees, the programme's 88.6 is
    // then the mean of the four sub kegiatan's own %.
    edit(
        &ws.path().join("budgets/b.yaml"),
        "realisasi: 307_055_630",
        "realisasi: 320_695_618",
    );
    let (_, text) = audit(ws.path());
    assert!(
        text.contains("likely cause: it is the unweighted mean of the sub kegiatan rows' % (88.6), over the sub kegiatan rows directly rather than the rows under it"),
        "{text}"
    );
    assert!(!text.contains("Evaluasi Pelaksanaan persen"), "{text}");
}

#[test]
fn the_nilai_kinerja_rule_is_told_the_members_it_rolls_up_in_the_order_of_its_values() {
    // SP2 has no indikator: it is not rolled up, so it is not among `konteks.anggota` either.
    let rule = "fn pasangan(nilai, konteks) {\n    if konteks.anggota.len() != nilai.len() { throw \"anggota and nilai differ\"; }\n    if konteks.anggota[0] != \"SP1\" { throw \"the first member is not SP1\"; }\n    nilai[0]\n}\n";
    let indicators = "sasaran:\n  - {id: SP1, nama: Satu}\n  - {id: SP2, nama: Dua}\nindikator:\n  - {id: IKP1, nama: Satu, sasaran: SP1, satuan: persen, target: 80, realisasi: 60}\n";
    let mut files: Vec<(String, String)> = vec![
        (
            "kinerja.yaml".into(),
            "organisasi: Dinas Uji\ntahun: 2022\nrumus: {nilai_kinerja: pasangan}\n".into(),
        ),
        ("indicators/a.yaml".into(), indicators.into()),
        ("rules/pasangan.rhai".into(), rule.into()),
    ];
    for r in ["realisasi", "capaian", "rollup"] {
        let text =
            std::fs::read_to_string(example().join(format!("rules/{r}.rhai"))).expect("rule");
        files.push((format!("rules/{r}.rhai"), text));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let ws = workspace(&refs);
    let out = kinerja(ws.path(), &["eval", "--format", "json"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["nilai_kinerja"].as_f64(), Some(75.0), "{v}");
}
