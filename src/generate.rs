//! `kinerja gen`: a synthetic workspace of a given size, for benchmarks and tests.
//! Valid and realistic: every formula kind of the shipped library, both polarities, IKK
//! components, sasaran and organisation rollups, budget lines as an Indonesian-format CSV.
//! The same seed gives the same files, byte for byte.

use crate::base::files::write_atomic;
use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// The shipped rule library, so that a generated workspace needs only the binary.
pub(crate) const RULES: [(&str, &str); 4] = [
    ("realisasi.rhai", include_str!("../rules/realisasi.rhai")),
    ("capaian.rhai", include_str!("../rules/capaian.rhai")),
    ("rollup.rhai", include_str!("../rules/rollup.rhai")),
    ("anggaran.rhai", include_str!("../rules/anggaran.rhai")),
];

#[derive(Clone, Debug)]
pub(crate) struct Spec {
    pub(crate) institutions: u32,
    pub(crate) indicators: u32,
    /// Indicator files (sasaran are never split across files).
    pub(crate) files: u32,
    pub(crate) indicators_per_sasaran: u32,
    pub(crate) budget_lines: u64,
    pub(crate) seed: u64,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            institutions: 90,
            indicators: 100_000,
            files: 1_000,
            indicators_per_sasaran: 10,
            budget_lines: 1_000_000,
            seed: 2022,
        }
    }
}

/// What was written.
#[derive(Debug, Default)]
pub(crate) struct Summary {
    pub(crate) sasaran: u64,
    pub(crate) indicators: u64,
    pub(crate) components: u64,
    pub(crate) files: u64,
    pub(crate) budget_lines: u64,
    pub(crate) kegiatan: u64,
}

/// SplitMix64: small, fast and the same everywhere; quality is ample for test data.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    #[cfg(test)]
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Why no workspace was generated.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error(
        "{} is not empty: `kinerja gen` writes a whole workspace (kinerja.yaml, indicators/, budgets/, rules/) and would replace files there\n  hint: give a new or empty folder, or add --force to write over what is there",
        dir.display()
    )]
    NotEmpty { dir: PathBuf },
    #[error("{} is not a folder\n  hint: give a new or empty folder to write the workspace into", dir.display())]
    NotAFolder { dir: PathBuf },
    #[error("cannot write the workspace into {}: {source}", dir.display())]
    Io { dir: PathBuf, source: io::Error },
}

/// What to do when the folder to write into already holds something.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Existing {
    /// Write nothing: the files there may be someone's work.
    Refuse,
    /// Replace the files a workspace has (`--force`); leave the others.
    Overwrite,
}

/// Writes the workspace into `dir`, which must be new or empty (the tests' entry).
#[cfg(test)]
pub(crate) fn generate(dir: &Path, spec: &Spec) -> Result<Summary, Error> {
    generate_into(dir, spec, Existing::Refuse)
}

/// Writes the workspace into `dir` (created if needed); into a folder that holds anything
/// only with [`Existing::Overwrite`].
pub(crate) fn generate_into(dir: &Path, spec: &Spec, existing: Existing) -> Result<Summary, Error> {
    let failed = |source| Error::Io {
        dir: dir.to_path_buf(),
        source,
    };
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if existing == Existing::Refuse && entries.next().is_some() {
                return Err(Error::NotEmpty {
                    dir: dir.to_path_buf(),
                });
            }
        }
        // Nothing there yet: created below.
        Err(e) if e.kind() == io::ErrorKind::NotFound && dir.symlink_metadata().is_err() => {}
        Err(_) if !dir.is_dir() => {
            return Err(Error::NotAFolder {
                dir: dir.to_path_buf(),
            });
        }
        Err(e) => return Err(failed(e)),
    }
    write(dir, spec).map_err(failed)
}

fn write(dir: &Path, spec: &Spec) -> io::Result<Summary> {
    let mut rng = Rng(spec.seed);
    let mut summary = Summary::default();
    for sub in ["indicators", "budgets", "rules"] {
        std::fs::create_dir_all(dir.join(sub))?;
    }
    write_atomic(
        &dir.join("kinerja.yaml"),
        format!(
            "# Generated by `kinerja gen` (seed {}).\norganisasi: Kementerian Contoh\ntahun: 2022\npembulatan:\n  capaian_sasaran: {{desimal: 2}}\n",
            spec.seed
        )
        .as_bytes(),
    )?;
    for (name, text) in RULES {
        write_atomic(&dir.join("rules").join(name), text.as_bytes())?;
    }

    let per = spec.indicators_per_sasaran.max(1);
    let sasaran_total = spec.indicators.div_ceil(per).max(1);
    let files = spec.files.clamp(1, sasaran_total);
    let institutions = spec.institutions.clamp(1, files);
    let mut indicator_no = 0u32;
    for file in 0..files {
        // Sasaran are dealt to files in order; files to institutions in order.
        let first = (u64::from(file) * u64::from(sasaran_total) / u64::from(files)) as u32;
        let last = (u64::from(file + 1) * u64::from(sasaran_total) / u64::from(files)) as u32;
        let institution = (u64::from(file) * u64::from(institutions) / u64::from(files)) as u32 + 1;
        let folder = dir.join("indicators").join(format!("i{institution:03}"));
        std::fs::create_dir_all(&folder)?;
        let mut sasaran = String::from("sasaran:\n");
        let mut indikator = String::from("indikator:\n");
        for s in first..last {
            let sid = format!("S{institution:03}.{}", s + 1);
            let _ = writeln!(
                sasaran,
                "  - {{id: {sid}, nama: Sasaran {} instansi {institution}}}",
                s + 1
            );
            summary.sasaran += 1;
            for _ in 0..per {
                if indicator_no >= spec.indicators {
                    break;
                }
                indicator_no += 1;
                summary.components += write_indicator(&mut indikator, &mut rng, &sid, indicator_no);
                summary.indicators += 1;
            }
        }
        sasaran.push('\n');
        sasaran.push_str(&indikator);
        write_atomic(
            &folder.join(format!("f{:04}.yaml", file + 1)),
            sasaran.as_bytes(),
        )?;
        summary.files += 1;
    }
    let kegiatan = write_budget(dir, spec, &mut rng)?;
    summary.budget_lines = spec.budget_lines;
    summary.kegiatan = kegiatan;
    Ok(summary)
}

/// Appends one indikator; returns how many IKK it has.
fn write_indicator(out: &mut String, rng: &mut Rng, sasaran: &str, n: u32) -> u64 {
    let minimal = rng.chance(15);
    let target = rng.range(60, 100);
    let renstra = [
        target,
        (target + rng.range(0, 3)).min(100),
        (target + rng.range(1, 5)).min(100),
    ];
    let _ = write!(
        out,
        "  - id: IKP{n}\n    nama: Indikator {n}\n    sasaran: {sasaran}\n    satuan: persen\n    polaritas: {}\n    target: {{pk: {target}, renstra: {{2022: {}, 2023: {}, 2024: {}}}}}\n",
        if minimal { "minimal" } else { "maksimal" },
        renstra[0],
        renstra[1],
        renstra[2]
    );
    let kind = rng.range(0, 99);
    let _ = match kind {
        0..=39 => {
            let t = rng.range(100, 100_000);
            let share = rng.range(50, 100);
            writeln!(
                out,
                "    realisasi: {{rumus: rasio, masukan: {{n: {}, t: {t}}}}}",
                t * share / 100
            )
        }
        40..=54 => {
            let t: Vec<u64> = (0..rng.range(2, 3)).map(|_| rng.range(20, 500)).collect();
            let n: Vec<String> = t
                .iter()
                .map(|&t| (t * rng.range(40, 100) / 100).to_string())
                .collect();
            let t: Vec<String> = t.iter().map(u64::to_string).collect();
            writeln!(
                out,
                "    realisasi: {{rumus: rasio_gabungan, masukan: {{n: [{}], t: [{}]}}}}",
                n.join(", "),
                t.join(", ")
            )
        }
        55..=64 => writeln!(
            out,
            "    realisasi:\n      rumus: jumlah_tertimbang\n      masukan: {{komponen: [{{nama: A, bobot: 60, nilai: {}.{:02}}}, {{nama: B, bobot: 40, nilai: {}.{:02}}}]}}\n      bulatkan: {{desimal: 2}}",
            rng.range(70, 99),
            rng.range(0, 99),
            rng.range(70, 99),
            rng.range(0, 99)
        ),
        65..=74 => {
            let unsur: Vec<String> = (0..9)
                .map(|u| {
                    format!(
                        "{{nama: U{}, nilai: {}.{:03}}}",
                        u + 1,
                        rng.range(2, 3),
                        rng.range(0, 999)
                    )
                })
                .collect();
            writeln!(
                out,
                "    realisasi: {{rumus: indeks_kepuasan, masukan: {{konversi: 25, unsur: [{}]}}}}",
                unsur.join(", ")
            )
        }
        75..=79 => writeln!(
            out,
            "    realisasi: {{rumus: nilai_indeks, masukan: {{indeks: 3.{:03}}}}}",
            rng.range(0, 999)
        ),
        _ => writeln!(
            out,
            "    realisasi: {}.{:02}",
            rng.range(40, 99),
            rng.range(0, 99)
        ),
    };
    if !rng.chance(10) {
        return 0;
    }
    let _ = writeln!(out, "    komponen:");
    for k in 1..=2 {
        let t = rng.range(50, 400);
        let _ = writeln!(
            out,
            "      - {{id: IKP{n}-IKK{k}, nama: Komponen {k}, satuan: persen, target: {}, realisasi: {{rumus: rasio, masukan: {{n: {}, t: {t}}}}}}}",
            rng.range(60, 100),
            t * rng.range(50, 100) / 100
        );
    }
    2
}

/// Writes `budgets/anggaran.yaml` and its line data; returns the number of kegiatan.
fn write_budget(dir: &Path, spec: &Spec, rng: &mut Rng) -> io::Result<u64> {
    let kegiatan = (spec.budget_lines / 2_000).clamp(1, 500);
    write_atomic(
        &dir.join("budgets/anggaran.yaml"),
        "program: Program Contoh\nrincian_csv:\n  file: realisasi.csv\n  kolom: {kegiatan: kegiatan, akun: akun, pagu: pagu, realisasi: realisasi}\n  pemisah: \";\"\n  format_angka: id\nriwayat:\n  - {tahun: 2020, persen: 96.10}\n  - {tahun: 2021, persen: 97.42}\n".as_bytes(),
    )?;
    // Streamed into a temporary file, renamed into place when complete.
    let target = dir.join("budgets/realisasi.csv");
    let partial = dir.join("budgets/.realisasi.csv.partial");
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&partial)?);
    out.write_all("\u{feff}satker;program;kegiatan;kro;ro;akun;pagu;realisasi\n".as_bytes())?;
    const AKUN: [u64; 4] = [51, 52, 53, 57];
    let mut line = String::with_capacity(128);
    for _ in 0..spec.budget_lines {
        let k = 4000 + rng.range(1, kegiatan);
        let akun = AKUN[(rng.next() % 4) as usize] * 10_000 + rng.range(1000, 9999);
        let pagu = rng.range(1_000, 10_000_000) * 1_000;
        let realisasi = pagu / 100 * rng.range(55, 100);
        line.clear();
        let _ = writeln!(
            line,
            "{};027.06;{k};{k}.ABC;{k}.ABC.001;{akun};{};{}",
            rng.range(400_000, 499_999),
            indonesian(pagu, rng.chance(1)),
            indonesian(realisasi, false)
        );
        out.write_all(line.as_bytes())?;
    }
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&partial, &target)?;
    Ok(kegiatan)
}

/// `1234567` → `1.234.567` (with `Rp` when asked, as some exports print it).
fn indonesian(value: u64, rp: bool) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 2);
    if rp {
        out.push_str("Rp");
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_grouping() {
        assert_eq!(indonesian(1_234_567, false), "1.234.567");
        assert_eq!(indonesian(999, true), "Rp999");
    }

    #[test]
    fn same_seed_same_bytes() {
        let spec = Spec {
            institutions: 2,
            indicators: 40,
            files: 3,
            indicators_per_sasaran: 5,
            budget_lines: 50,
            seed: 7,
        };
        let a = tempfile::tempdir().expect("tmp");
        let b = tempfile::tempdir().expect("tmp");
        generate(a.path(), &spec).expect("gen a");
        generate(b.path(), &spec).expect("gen b");
        for f in [
            "indicators/i001/f0001.yaml",
            "indicators/i002/f0003.yaml",
            "budgets/realisasi.csv",
        ] {
            assert_eq!(
                std::fs::read(a.path().join(f)).expect("a"),
                std::fs::read(b.path().join(f)).expect("b"),
                "{f}"
            );
        }
    }
}
