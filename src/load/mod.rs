//! Loading a workspace: find its files, read them, and build the typed [`Workspace`].
//!
//! A workspace is a directory with `kinerja.yaml`, `indicators/*.yaml`, `budgets/*.yaml`
//! and `rules/*.rhai`. Loading never stops at the first problem: every file is read and
//! every problem becomes a diagnostic, so that `kinerja check` can list them all.
//!
//! The unit of loading is one indicator file ([`indicators::read`]); budget line data is
//! read through a function the caller gives ([`lines::read`] unless a watch session
//! reuses what it read before). [`load`] joins the units in file order.

mod budgets;
mod fields;
mod files;
pub(crate) mod indicators;
pub(crate) mod kategori;
mod kronologi;
mod levels;
pub(crate) mod lines;
mod manifest;
mod periode;
mod printed;
pub(crate) mod rule_tests;
pub(crate) mod shape;
pub(crate) mod yaml;

pub(crate) use budgets::ReadLines;
pub use files::LoadError;
pub(crate) use files::{BUDGETS_DIR, INDICATORS_DIR, MANIFEST, RULES_DIR};
pub(crate) use indicators::IndicatorFile;
pub(crate) use manifest::laporan;

use crate::base::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::base::files::is_editor_leftover;
use crate::base::source::{FileId, Sources};
use crate::model::Workspace;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

/// A loaded workspace, with everything found wrong while loading it.
pub(crate) struct Loaded {
    pub(crate) workspace: Workspace,
    /// The rule files, read but not yet compiled (compiled by the `rules` layer).
    pub(crate) rule_files: Vec<FileId>,
    pub(crate) diagnostics: Diagnostics,
}

/// How loading reads what it reads: one indicator file, and one source of budget lines.
pub(crate) struct Readers<'a> {
    pub(crate) indicator_file: &'a (dyn Fn(FileId, &str) -> Arc<IndicatorFile> + Sync),
    pub(crate) lines: &'a ReadLines<'a>,
}

/// Every kind of workspace file kinerja reads as YAML, with the mapping each holds: what
/// `kinerja schema` writes a JSON Schema for.
pub(crate) static FILE_KINDS: [&shape::FileKind; 5] = [
    &MANIFEST_KIND,
    &INDICATORS_KIND,
    &BUDGETS_KIND,
    &RULE_TESTS_KIND,
    &KATEGORI_KIND,
];

static MANIFEST_KIND: shape::FileKind = shape::FileKind {
    name: "kinerja",
    files: &["kinerja.yaml"],
    title: "kinerja.yaml: the workspace manifest",
    root: &manifest::MANIFEST_FILE,
    may_be_empty: false,
};

static INDICATORS_KIND: shape::FileKind = shape::FileKind {
    name: "indicators",
    files: &["indicators/**/*.yaml", "indicators/**/*.yml"],
    title: "indicators/*.yaml: sasaran and indikator",
    root: &indicators::INDICATOR_FILE,
    may_be_empty: true,
};

static BUDGETS_KIND: shape::FileKind = shape::FileKind {
    name: "budgets",
    files: &["budgets/**/*.yaml", "budgets/**/*.yml"],
    title: "budgets/*.yaml: pagu and realisasi per kegiatan and jenis belanja",
    root: &budgets::BUDGET_FILE,
    may_be_empty: true,
};

static RULE_TESTS_KIND: shape::FileKind = shape::FileKind {
    name: "rule-tests",
    files: &["rules/**/*.test.yaml", "rules/**/*.test.yml"],
    title: "rules/*.test.yaml: test cases of the rules",
    root: &rule_tests::TEST_FILE,
    may_be_empty: true,
};

static KATEGORI_KIND: shape::FileKind = shape::FileKind {
    name: "kategori",
    files: &["rules/**/*.kategori.yaml", "rules/**/*.kategori.yml"],
    title: "rules/*.kategori.yaml: band tables (kategori)",
    root: &kategori::KATEGORI_FILE,
    may_be_empty: true,
};

/// The endings of the files read under `indicators/` and `budgets/`.
const DATA_ENDINGS: &[&str] = &["yaml", "yml"];
/// The endings of the rule files read under `rules/` and the manifest's rule libraries
/// (with the rule tests, [`rule_tests::RULE_TEST_ENDINGS`]).
const RULE_ENDINGS: &[&str] = &["rhai"];

/// Whether a run at `root` reads a file at `entry` (a folder entry with its folder resolved,
/// as `base::files::Destination` gives it), whether or not it exists yet: the manifest, or
/// a file under a folder a run reads, with an ending read there and no editor's leftover on
/// the way. `libraries` are the manifest's rule libraries, relative to `root`.
pub(crate) fn reads(root: &Path, libraries: &[&str], entry: &Path) -> bool {
    let Ok(root) = root.canonicalize() else {
        return false;
    };
    if entry == root.join(MANIFEST) {
        return true;
    }
    let rules: &[&[&str]] = &[
        RULE_ENDINGS,
        rule_tests::RULE_TEST_ENDINGS,
        kategori::KATEGORI_ENDINGS,
    ];
    let folders = [
        (INDICATORS_DIR, &[DATA_ENDINGS][..]),
        (BUDGETS_DIR, &[DATA_ENDINGS][..]),
        (RULES_DIR, rules),
    ]
    .into_iter()
    .chain(libraries.iter().map(|lib| (*lib, rules)));
    folders.into_iter().any(|(folder, endings)| {
        // The folder itself may be a link (reading follows it); a link to a folder inside
        // is not followed, and `entry` through one resolves outside.
        let Ok(folder) = root.join(folder).canonicalize() else {
            return false;
        };
        let Ok(rel) = entry.strip_prefix(&folder) else {
            return false;
        };
        let names: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let Some(name) = names.last() else {
            return false;
        };
        !names.iter().any(|n| is_editor_leftover(n))
            && endings.iter().any(|e| files::has_ending(name, e))
    })
}

/// Reads the workspace at `root`. Only an unreadable root or a missing manifest is an
/// `Err`; everything else is a diagnostic on the returned workspace. `allow_bad_rows`
/// leaves budget lines that cannot be read out, with a warning, instead of failing.
pub(crate) fn load(
    root: &Path,
    allow_bad_rows: bool,
    readers: &Readers,
) -> Result<Loaded, LoadError> {
    let started = std::time::Instant::now();
    let mut sources = Sources::default();
    let mut diags = Diagnostics::default();

    let manifest_file = files::read_manifest(root, &mut sources)?;
    let indicator_files =
        files::read_dir(root, INDICATORS_DIR, DATA_ENDINGS, &mut sources, &mut diags)?;
    let budget_files = files::read_dir(root, BUDGETS_DIR, DATA_ENDINGS, &mut sources, &mut diags)?;
    let mut rule_files = files::read_dir(root, RULES_DIR, RULE_ENDINGS, &mut sources, &mut diags)?;
    let mut test_files = files::read_dir(
        root,
        RULES_DIR,
        rule_tests::RULE_TEST_ENDINGS,
        &mut sources,
        &mut diags,
    )?;
    let mut table_files = files::read_dir(
        root,
        RULES_DIR,
        kategori::KATEGORI_ENDINGS,
        &mut sources,
        &mut diags,
    )?;

    let manifest_tree = parse_yaml(&sources, manifest_file, &mut diags);
    let manifest = manifest::read(manifest_tree.as_ref(), manifest_file, &mut diags);
    drop(manifest_tree);
    // Shared rule libraries named by the manifest, after the workspace's own rules.
    for library in &manifest.pustaka_rumus {
        let dir = root.join(&library.value);
        if !dir.is_dir() {
            diags.push(
                Diagnostic::error(
                    Code::Workspace,
                    format!("no rule directory `{}`", library.value),
                )
                .at(
                    library.span,
                    "pustaka_rumus names a directory that does not exist",
                )
                .hint("give a path relative to the directory holding kinerja.yaml"),
            );
            continue;
        }
        rule_files.extend(files::read_dir(
            root,
            &library.value,
            RULE_ENDINGS,
            &mut sources,
            &mut diags,
        )?);
        test_files.extend(files::read_dir(
            root,
            &library.value,
            rule_tests::RULE_TEST_ENDINGS,
            &mut sources,
            &mut diags,
        )?);
        table_files.extend(files::read_dir(
            root,
            &library.value,
            kategori::KATEGORI_ENDINGS,
            &mut sources,
            &mut diags,
        )?);
    }
    // Files are independent, and parsing and reading them dominates loading: each file is
    // read into its part of the model on its own thread, and the parts are joined in file
    // order. The budget files (with their line data) are read meanwhile.
    let (parts, (anggaran, budget_diags)) = rayon::join(
        || {
            indicator_files
                .par_iter()
                .map(|&f| (readers.indicator_file)(f, &sources.get(f).text))
                .collect::<Vec<_>>()
        },
        || {
            let mut budget_diags = Diagnostics::default();
            let mut budget = levels::Budget::default();
            for &file in &budget_files {
                if let Some(tree) = parse_yaml(&sources, file, &mut budget_diags) {
                    let path = sources.path(file);
                    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
                    budgets::Reader {
                        diags: &mut budget_diags,
                        root,
                        allow_bad_rows,
                        lines: readers.lines,
                        skema: manifest.skema,
                        tingkat: &manifest.tingkat,
                        kalender: manifest.periode.kalender,
                        tahun: manifest.tahun,
                    }
                    .budget_file(&tree, dir, &mut budget);
                }
            }
            let anggaran = budget.finish(&manifest.tingkat, manifest.skema, &mut budget_diags);
            (anggaran, budget_diags)
        },
    );
    let mut sasaran = Vec::new();
    let mut indikator = Vec::new();
    let mut dropped_refs = BTreeSet::new();
    for part in parts {
        // A part nobody else holds is moved; one a watch session keeps is copied (its
        // indikator are shared, not copied).
        match Arc::try_unwrap(part) {
            Ok(part) => {
                sasaran.extend(part.sasaran);
                indikator.extend(part.indikator);
                diags.extend(part.diagnostics);
                dropped_refs.extend(part.dropped_refs);
            }
            Err(part) => {
                sasaran.extend(part.sasaran.iter().cloned());
                indikator.extend(part.indikator.iter().cloned());
                diags.extend(part.diagnostics.iter().cloned());
                dropped_refs.extend(part.dropped_refs.iter().cloned());
            }
        }
    }
    diags.extend(budget_diags.into_vec());
    tracing::debug!(
        indicator_files = indicator_files.len(),
        budget_files = budget_files.len(),
        rule_files = rule_files.len(),
        sasaran = sasaran.len(),
        indikator = indikator.len(),
        elapsed = ?started.elapsed(),
        "workspace loaded"
    );
    let mut rule_tests = Vec::new();
    for &file in &test_files {
        if let Some(tree) = parse_yaml(&sources, file, &mut diags) {
            rule_tests.extend(rule_tests::read(&tree, &mut diags));
        }
    }
    let mut tables = Vec::new();
    for &file in &table_files {
        if let Some(tree) = parse_yaml(&sources, file, &mut diags) {
            tables.extend(kategori::read(&tree, &mut diags));
        }
    }
    kategori::duplicates(&tables, &mut diags);
    let workspace = Workspace {
        sources,
        manifest,
        sasaran,
        indikator,
        anggaran,
        dropped_refs,
        rule_tests,
        kategori: tables,
    };
    // A workspace holds indikator, a budget, or both. One with neither has nothing to
    // report; said only when nothing else is wrong (an indikator left out for its errors
    // is no indikator, but its error is the news).
    let isi = workspace.isi();
    if !isi.indikator && !isi.anggaran && !diags.has_errors() {
        diags.push(nothing_to_report(
            &workspace.sources,
            &indicator_files,
            &budget_files,
        ));
    }
    Ok(Loaded {
        workspace,
        rule_files,
        diagnostics: diags,
    })
}

/// K002 for a workspace with neither indikator nor a budget: at the first data file it has
/// (which holds neither), or of the workspace as a whole when it has none.
fn nothing_to_report(sources: &Sources, indicators: &[FileId], budgets: &[FileId]) -> Diagnostic {
    let d = Diagnostic::error(
        Code::Workspace,
        "this workspace has neither indikator nor a budget: nothing to report",
    )
    .hint(format!(
        "add indikator in `{INDICATORS_DIR}/*.yaml` (`indikator: [{{id: IK1, nama: …, satuan: persen, target: 90, realisasi: 85}}]`, under `sasaran:` or without), or a budget in `{BUDGETS_DIR}/*.yaml` (`kegiatan: [{{kode: \"1001\", nama: …, pagu: 1000000, realisasi: 900000}}]`); a workspace may hold either, or both"
    ));
    let file = |files: &[FileId], label: &'static str| files.first().map(|&f| (f, label));
    match file(indicators, "holds no indikator")
        .or_else(|| file(budgets, "holds no kegiatan, jenis belanja or riwayat"))
    {
        Some((f, label)) => d.at(first_line(f, &sources.get(f).text), label),
        None => d,
    }
}

/// The first line of `text` that is neither blank nor a comment (where a file says what it
/// holds), or its very start.
fn first_line(file: FileId, text: &str) -> crate::base::source::Span {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            let indent = content.len() - trimmed.len();
            return crate::base::source::Span::new(
                file,
                start + indent,
                start + content.trim_end().len(),
            );
        }
        start += line.len();
    }
    crate::base::source::Span::new(file, 0, 0)
}

fn parse_yaml<'s>(
    sources: &'s Sources,
    file: FileId,
    diags: &mut Diagnostics,
) -> Option<yaml::Node<'s>> {
    yaml::read(file, &sources.get(file).text, diags)
}

/// [`load`], reading every file afresh: for tests of the stages above, and the benchmarks.
#[cfg(any(test, feature = "bench"))]
pub(crate) fn load_fresh(root: &Path) -> Result<Loaded, LoadError> {
    load(
        root,
        false,
        &Readers {
            indicator_file: &|f, text| Arc::new(indicators::read(f, text)),
            lines: &|source| lines::read(source).map(Arc::new),
        },
    )
}

/// What reading `text` as a file of `kind` reports, for the schema's tests, which hold the
/// schemas to the readers. Budget line data it names is read from the current directory.
#[cfg(test)]
pub(crate) fn read_as(
    kind: &shape::FileKind,
    text: &str,
) -> Vec<crate::base::diagnostic::Diagnostic> {
    let mut sources = Sources::default();
    let file = sources.add(kind.files[0].to_string(), text.to_string());
    let text = &sources.get(file).text;
    if std::ptr::eq(kind.root, &indicators::INDICATOR_FILE) {
        return indicators::read(file, text).diagnostics;
    }
    let mut diags = Diagnostics::default();
    let tree = yaml::read(file, text, &mut diags);
    if std::ptr::eq(kind.root, &manifest::MANIFEST_FILE) {
        manifest::read(tree.as_ref(), file, &mut diags);
    } else if let Some(tree) = &tree {
        if std::ptr::eq(kind.root, &budgets::BUDGET_FILE) {
            let skema = crate::model::Skema::default();
            let tingkat: Vec<String> = crate::model::default_levels(skema)
                .iter()
                .map(|s| s.to_string())
                .collect();
            let mut budget = levels::Budget::default();
            budgets::Reader {
                diags: &mut diags,
                root: Path::new("."),
                allow_bad_rows: false,
                lines: &|source| lines::read(source).map(Arc::new),
                skema,
                tingkat: &tingkat,
                kalender: crate::model::Kalender::default(),
                tahun: 2022,
            }
            .budget_file(tree, BUDGETS_DIR, &mut budget);
            budget.finish(&tingkat, skema, &mut diags);
        } else if std::ptr::eq(kind.root, &kategori::KATEGORI_FILE) {
            kategori::read(tree, &mut diags);
        } else {
            rule_tests::read(tree, &mut diags);
        }
    }
    diags.into_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files a run reads, and others beside them, whether they exist or not.
    #[test]
    fn files_a_run_reads() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path();
        for folder in [
            "indicators/2022",
            "budgets",
            "rules",
            "shared/rules",
            "laporan",
        ] {
            std::fs::create_dir_all(root.join(folder)).expect("mkdir");
        }
        let root = root.canonicalize().expect("resolved");
        let read = |rel: &str| reads(&root, &["shared/rules"], &root.join(rel));
        for rel in [
            "kinerja.yaml",
            "indicators/sp1.yaml",
            "indicators/2022/sp1.yml",
            "budgets/anggaran.yaml",
            "rules/capaian.rhai",
            "rules/capaian.test.yaml",
            "rules/sakip.kategori.yaml",
            "shared/rules/bersama.rhai",
            "shared/rules/ikm.kategori.yml",
        ] {
            assert!(read(rel), "{rel} is read");
        }
        for rel in [
            "laporan.yaml",
            "laporan/kinerja.yaml",
            "indicators/laporan.csv",
            "indicators/.laporan.yaml",
            "indicators/laporan.yaml~",
            "budgets/laporan.xlsx",
            "rules/laporan.yaml",
            "shared/laporan.rhai",
        ] {
            assert!(!read(rel), "{rel} is not read");
        }
        // A folder a run does not read: nothing in it is.
        assert!(!reads(&root, &[], &root.join("shared/rules/bersama.rhai")));
    }
}
