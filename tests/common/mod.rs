//! Helpers for the CLI tests: run the real binary on real workspace files.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root: itself the example workspace (the LKj 2022).
pub fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `kinerja` with `args` in `dir`, without colour.
pub fn kinerja(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kinerja"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .output()
        .expect("the kinerja binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A copy of the example workspace in a temporary directory, to change freely.
pub fn copy_example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = example();
    std::fs::copy(root.join("kinerja.yaml"), dir.path().join("kinerja.yaml"))
        .expect("copy manifest");
    for sub in ["indicators", "budgets", "rules"] {
        copy_dir(&root.join(sub), &dir.path().join(sub));
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy");
        }
    }
}

/// A small workspace written from (path, content) pairs.
pub fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, content) in files {
        let full = dir.path().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(full, content).expect("write");
    }
    dir
}

/// Replaces `from` with `to` in a file, failing the test if `from` is absent.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(
        text.contains(from),
        "{} does not contain {from:?}",
        path.display()
    );
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

/// Insta settings shared by every snapshot test: snapshots live in `snapshots/`.
pub fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(example().join("snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s
}

/// The manifest of the smallest valid workspace: just the required keys.
pub const MINIMAL_MANIFEST: &str = "organisasi: Direktorat Contoh\ntahun: 2022\n";

/// The indicator file of the smallest valid workspace: one sasaran, one indikator computed by
/// the shipped `rasio` rule (45 ÷ 50 × 100 = 90 against a target of 90).
pub const MINIMAL_INDICATORS: &str = "\
sasaran:
  - id: SP1
    nama: Sasaran satu

indikator:
  - id: IKP1.1
    nama: Indikator satu
    sasaran: SP1
    satuan: persen
    target: 90
    realisasi:
      rumus: rasio
      masukan: {n: 45, t: 50}
";

/// A budget file for the minimal workspace: one kegiatan, one jenis belanja, one rincian line.
pub const MINIMAL_BUDGET: &str = "\
program: Program Contoh

kegiatan:
  - kode: \"1001\"
    nama: Kegiatan satu
    pagu: 1_000_000
    realisasi: 900_000

jenis_belanja:
  - kode: \"52\"
    pagu: 1_000_000
    realisasi: 900_000

rincian:
  - kegiatan: \"1001\"
    jenis_belanja: \"52\"
    pagu: 1_000_000
    realisasi: 900_000
";

/// The repository's rule files (`rules/*.rhai`) and band tables (`rules/*.kategori.yaml`),
/// as (workspace path, content), in path order.
pub fn shipped_rules() -> Vec<(String, String)> {
    let dir = example().join("rules");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("read rules/")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "rhai")
                || p.to_string_lossy().ends_with(".kategori.yaml")
        })
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).expect("read rule file");
            (format!("rules/{name}"), text)
        })
        .collect();
    files.sort();
    files
}

/// The files of a workspace, held in memory so that a test can break exactly one thing
/// before writing them to a temporary directory.
#[derive(Clone, Debug)]
pub struct Files {
    files: std::collections::BTreeMap<String, String>,
}

impl Files {
    /// The smallest valid workspace: [`MINIMAL_MANIFEST`], `indicators/sp1.yaml`
    /// ([`MINIMAL_INDICATORS`]) and the repository's `rules/*.rhai` and band tables. No
    /// budget file.
    pub fn minimal() -> Files {
        let mut files: std::collections::BTreeMap<String, String> =
            shipped_rules().into_iter().collect();
        files.insert("kinerja.yaml".into(), MINIMAL_MANIFEST.into());
        files.insert("indicators/sp1.yaml".into(), MINIMAL_INDICATORS.into());
        Files { files }
    }

    /// The repository's own workspace (the LKj 2022): `kinerja.yaml` and every file under
    /// `indicators/`, `budgets/` and `rules/`.
    pub fn example() -> Files {
        fn collect(root: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, String>) {
            for entry in std::fs::read_dir(dir).expect("read dir") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    collect(root, &path, out);
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    let rel = path.strip_prefix(root).expect("inside the root");
                    let rel: Vec<String> = rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect();
                    out.insert(rel.join("/"), text);
                }
            }
        }
        let root = example();
        let mut files = std::collections::BTreeMap::new();
        let manifest = std::fs::read_to_string(root.join("kinerja.yaml")).expect("manifest");
        files.insert("kinerja.yaml".to_string(), manifest);
        for sub in ["indicators", "budgets", "rules"] {
            collect(&root, &root.join(sub), &mut files);
        }
        Files { files }
    }

    /// The paths of the files held, in order.
    pub fn paths(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }

    /// Keeps only the files for which `keep` is true.
    pub fn retain(mut self, mut keep: impl FnMut(&str) -> bool) -> Files {
        self.files.retain(|p, _| keep(p));
        self
    }

    /// Adds or replaces a file.
    pub fn set(mut self, path: &str, content: &str) -> Files {
        self.files.insert(path.into(), content.into());
        self
    }

    /// Removes a file (and so, if it was the last one there, its directory).
    pub fn remove(mut self, path: &str) -> Files {
        assert!(self.files.remove(path).is_some(), "no file {path}");
        self
    }

    /// Replaces the first `from` with `to` in a file, failing the test if `from` is absent.
    pub fn edit(mut self, path: &str, from: &str, to: &str) -> Files {
        let text = self
            .files
            .get_mut(path)
            .unwrap_or_else(|| panic!("no file {path}"));
        assert!(text.contains(from), "{path} does not contain {from:?}");
        *text = text.replacen(from, to, 1);
        self
    }

    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Writes the files to a new temporary directory.
    pub fn write(&self) -> tempfile::TempDir {
        let pairs: Vec<(&str, &str)> = self
            .files
            .iter()
            .map(|(p, c)| (p.as_str(), c.as_str()))
            .collect();
        workspace(&pairs)
    }
}
