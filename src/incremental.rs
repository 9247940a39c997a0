//! What a watch session keeps between runs, so that a save redoes only what it changed:
//! what unchanged indicator files gave (their share of the model, shared rather than copied)
//! and what validating them found, aggregated budget lines of unchanged CSVs, and the
//! results of indikator whose definition, rules and manifest are unchanged.
//!
//! Everything is keyed by content (a fingerprint of the text; only the CSVs, too large for
//! that, by size and modification time), so a stale entry is not used: a changed file, rule
//! or manifest simply misses. Entries not used by a run are dropped after it (results of
//! edited entries once they are a fair share of the cache), so the cache never grows much
//! beyond the workspace.

use crate::diagnostic::Diagnostic;
use crate::eval::HasilIndikator;
use crate::model::{Indikator, Sasaran, Workspace};
use crate::source::FileId;
// aHash: these maps are keyed by ids from the workspace, not by adversaries.
use ahash::AHashMap as HashMap;
use std::sync::Arc;

/// A stable content fingerprint (FNV-1a 64): the same on every machine and run.
pub fn fingerprint(text: &str) -> u64 {
    fingerprint_bytes(0xcbf2_9ce4_8422_2325, text.as_bytes())
}

pub fn fingerprint_bytes(seed: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(seed, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A content key for this cache: [`fingerprint`]'s job at a fraction of its cost (FNV takes
/// a multiplication per byte; the workspace's text is keyed two or three times a run). Only
/// ever compared within one process, so it need not be the same on another machine.
pub(crate) fn key(seed: u64, bytes: &[u8]) -> u64 {
    const KEYS: ahash::RandomState = ahash::RandomState::with_seeds(
        0x243f_6a88_85a3_08d3,
        0x1319_8a2e_0370_7344,
        0xa409_3822_299f_31d0,
        0x082e_fa98_ec4e_6c89,
    );
    KEYS.hash_one((seed, bytes))
}

/// An indicator file by id (spans in what it gave carry it) and content.
pub(crate) type FileKey = (FileId, u64);

/// The indikator one indicator file gave, as a range of the workspace's.
#[derive(Clone, Debug)]
pub(crate) struct Part {
    pub key: FileKey,
    pub indikator: std::ops::Range<usize>,
}

#[derive(Default)]
pub struct Cache {
    /// What each indicator file contributed to the model: re-reading an unchanged file
    /// would give exactly this.
    pub(crate) files: HashMap<FileKey, Arc<FileModel>>,
    /// What validation found in each indicator file.
    pub(crate) checks: HashMap<FileKey, crate::validate::FileChecks>,
    /// Aggregated CSVs by path, size and modification time (too large to fingerprint).
    pub(crate) lines: crate::workspace::LinesCache,
    /// Evaluated indikator by the fingerprint of their definition in its context.
    pub(crate) results: HashMap<u64, HasilIndikator>,
    pub stats: Stats,
}

/// What the last run reused and what it redid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub files_parsed: usize,
    pub files_reused: usize,
    pub indikator_evaluated: usize,
    pub indikator_reused: usize,
}

/// What every indikator's result depends on besides its own entry: the manifest, every rule
/// file, and the run's what-if overrides.
pub fn context(ws: &Workspace, overrides: &str) -> u64 {
    let mut h = key(0, overrides.as_bytes());
    for (_, f) in ws.sources.iter() {
        if f.path == crate::workspace::MANIFEST || f.path.ends_with(".rhai") {
            h = key(h, f.path.as_bytes());
            h = key(h, f.text.as_bytes());
        }
    }
    h
}

/// An indikator's entry (komponen included) in its context. In a file with YAML anchors the
/// entry's text does not say everything it means (an alias in it brings in a value written
/// elsewhere, at the anchor), so there the whole file is its context too.
pub fn of_indikator(ws: &Workspace, ind: &Indikator, context: u64) -> u64 {
    let file = ws.sources.get(ind.span.file);
    let entry = file
        .text
        .get(ind.span.start..ind.span.end)
        .unwrap_or_default();
    let context = match file.anchored() {
        Some(whole) => key(context, &whole.to_le_bytes()),
        None => context,
    };
    key(context, entry.as_bytes())
}

/// One indicator file's share of the model, with what reading it reported.
#[derive(Default)]
pub(crate) struct FileModel {
    pub sasaran: Vec<Sasaran>,
    pub indikator: Vec<Arc<Indikator>>,
    pub diagnostics: Vec<Diagnostic>,
    pub dropped_refs: Vec<String>,
}

impl Cache {
    /// Keeps only what `used` says the last run used.
    pub(crate) fn retain_files(&mut self, used: &std::collections::HashSet<FileKey>) {
        self.files.retain(|k, _| used.contains(k));
        self.checks.retain(|k, _| used.contains(k));
    }
}

#[cfg(test)]
mod tests {
    //! A watch session's runs against full runs, over random edits of a generated
    //! workspace: every run must give exactly what analysing from scratch gives, and the
    //! watch's figure comparison exactly what comparing every figure gives.

    use super::Cache;
    use crate::diff::{self, Figures, Lines};
    use crate::generate::Rng;
    use crate::pipeline::{self, Analysis, RunOptions};
    use std::path::{Path, PathBuf};

    /// The byte ranges of the top-level indikator entries of an indicator file.
    fn entries(text: &str) -> Vec<(usize, usize)> {
        let starts: Vec<usize> = text
            .match_indices("\n  - id: ")
            .map(|(i, _)| i + 1)
            .collect();
        starts
            .iter()
            .enumerate()
            .map(|(n, &s)| (s, starts.get(n + 1).copied().unwrap_or(text.len())))
            .collect()
    }

    /// The number after `key` (and an anchor or alias, if any) in `text`, as a range.
    fn number_after(text: &str, key: &str) -> Option<(usize, usize)> {
        let at = text.find(key)? + key.len();
        let rest = &text[at..];
        let skip = if rest.starts_with('&') {
            rest.find(' ')? + 1
        } else {
            0
        };
        let len = rest[skip..]
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len() - skip);
        (len > 0).then_some((at + skip, at + skip + len))
    }

    struct Files {
        dir: PathBuf,
        original: Vec<(PathBuf, String)>,
    }

    impl Files {
        fn indicator_files(&self) -> Vec<PathBuf> {
            self.original
                .iter()
                .map(|(p, _)| p.clone())
                .filter(|p| p.exists())
                .collect()
        }

        /// Every file an edit may touch, as it is now.
        fn save(&self) -> Vec<(PathBuf, Option<String>)> {
            let mut paths: Vec<PathBuf> = self.original.iter().map(|(p, _)| p.clone()).collect();
            paths.push(self.dir.join("kinerja.yaml"));
            paths.push(self.dir.join("rules/rollup.rhai"));
            paths
                .into_iter()
                .map(|p| {
                    let text = std::fs::read_to_string(&p).ok();
                    (p, text)
                })
                .collect()
        }

        fn restore(&self, saved: &[(PathBuf, Option<String>)]) {
            for (p, text) in saved {
                match text {
                    Some(t) => self.write(p, t),
                    None => {
                        let _ = std::fs::remove_file(p);
                    }
                }
            }
        }

        fn read(&self, p: &Path) -> String {
            std::fs::read_to_string(p).expect("read")
        }

        fn write(&self, p: &Path, text: &str) {
            std::fs::write(p, text).expect("write");
        }
    }

    /// One random edit; returns what it did, for a failure's message.
    fn edit(f: &Files, rng: &mut Rng, step: usize) -> String {
        let files = f.indicator_files();
        let file = files[rng.below(files.len())].clone();
        let text = f.read(&file);
        let list = entries(&text);
        let name = file.display().to_string();
        let pick = |rng: &mut Rng| list.get(rng.below(list.len())).copied();
        match rng.below(18) {
            0..=3 => {
                // A target moves (to 0 now and then: an error).
                let Some((s, e)) = pick(rng) else {
                    return "none".into();
                };
                let Some((a, b)) = number_after(&text[s..e], "pk: ") else {
                    return "none".into();
                };
                let value = if rng.below(8) == 0 {
                    0
                } else {
                    40 + rng.below(80)
                };
                f.write(
                    &file,
                    &format!("{}{value}{}", &text[..s + a], &text[s + b..]),
                );
                format!("pk of entry at {s} in {name} = {value}")
            }
            4 => {
                // An input moves.
                let Some((s, e)) = pick(rng) else {
                    return "none".into();
                };
                let Some((a, b)) = number_after(&text[s..e], "n: ") else {
                    return "none".into();
                };
                let value = 1 + rng.below(500);
                f.write(
                    &file,
                    &format!("{}{value}{}", &text[..s + a], &text[s + b..]),
                );
                format!("an input of entry at {s} in {name} = {value}")
            }
            5 => {
                let Some((s, e)) = pick(rng) else {
                    return "none".into();
                };
                f.write(&file, &format!("{}{}", &text[..s], &text[e..]));
                format!("entry at {s} of {name} deleted")
            }
            6 | 7 => {
                // Copied or moved into another file, under a new id unless duplicated.
                let Some((s, e)) = pick(rng) else {
                    return "none".into();
                };
                let mut entry = text[s..e].to_string();
                if !entry.ends_with('\n') {
                    entry.push('\n');
                }
                let how = rng.below(3);
                if how < 2 {
                    let id = &entry["  - id: ".len()..entry.find('\n').unwrap_or(entry.len())];
                    entry = entry.replace(id, &format!("X{step}{id}"));
                }
                let other = files[rng.below(files.len())].clone();
                let moved = how == 1 && other != file;
                if moved {
                    f.write(&file, &format!("{}{}", &text[..s], &text[e..]));
                }
                let target = f.read(&other);
                let sep = if target.ends_with('\n') { "" } else { "\n" };
                f.write(&other, &format!("{target}{sep}{entry}"));
                format!(
                    "entry at {s} of {name} copied (how {how}) to {}",
                    other.display()
                )
            }
            8 => {
                let Some((s, e)) = pick(rng) else {
                    return "none".into();
                };
                let entry = text[s..e].replacen("sasaran: S", "sasaran: Q", 1);
                f.write(&file, &format!("{}{entry}{}", &text[..s], &text[e..]));
                format!("entry at {s} of {name} refers to an unknown sasaran")
            }
            9 => {
                // One target an alias of another's anchor: an edit of the anchor moves both.
                if list.len() < 2 {
                    return "none".into();
                }
                let (s1, e1) = list[0];
                let (s2, e2) = list[1 + rng.below(list.len() - 1)];
                let (Some((a1, _)), Some((a2, b2))) = (
                    number_after(&text[s1..e1], "pk: "),
                    number_after(&text[s2..e2], "pk: "),
                ) else {
                    return "none".into();
                };
                if text[s1..e1].contains("pk: &") {
                    return "none".into();
                }
                let anchor = format!("t{step}");
                let out = format!(
                    "{}&{anchor} {}*{anchor}{}",
                    &text[..s1 + a1],
                    &text[s1 + a1..s2 + a2],
                    &text[s2 + b2..]
                );
                f.write(&file, &out);
                format!("second target in {name} an alias of the first")
            }
            10 => {
                let manifest = f.dir.join("kinerja.yaml");
                let m = f.read(&manifest);
                let m = match rng.below(3) {
                    0 if m.contains("tahun: 2022") => m.replace("tahun: 2022", "tahun: 2023"),
                    0 => m.replace("tahun: 2023", "tahun: 2022"),
                    1 if m.contains("tampilan:") => m.replace("tampilan: {desimal: 1}\n", ""),
                    1 => format!("{m}tampilan: {{desimal: 1}}\n"),
                    _ => format!("{m}# step {step}\n"),
                };
                f.write(&manifest, &m);
                "manifest edited".into()
            }
            11 => {
                let rule = f.dir.join("rules/rollup.rhai");
                let r = f.read(&rule);
                f.write(&rule, &format!("{r}\n// step {step}\n"));
                "rule file edited".into()
            }
            12 => {
                f.write(&file, &format!("{text}  - id: [\n"));
                format!("syntax error in {name}")
            }
            13 => {
                if list.len() < 2 {
                    return "none".into();
                }
                let (s1, e1) = list[0];
                let (s2, e2) = list[list.len() - 1];
                let mut last = text[s2..e2].to_string();
                if !last.ends_with('\n') {
                    last.push('\n');
                }
                f.write(
                    &file,
                    &format!("{}{last}{}{}", &text[..s1], &text[e1..s2], &text[s1..e1]),
                );
                format!("first and last entries of {name} swapped")
            }
            14 => {
                let (path, original) = &f.original[rng.below(f.original.len())];
                f.write(path, original);
                format!("{} restored", path.display())
            }
            15 => {
                if files.len() < 2 {
                    return "none".into();
                }
                std::fs::remove_file(&file).expect("remove");
                format!("{name} deleted")
            }
            16 => {
                // An indikator named like a sasaran: valid, and two figures share a key.
                let Some((s, e)) = pick(rng) else {
                    return "none".into();
                };
                let entry = &text[s..e];
                let Some(at) = entry.find("sasaran: ") else {
                    return "none".into();
                };
                let sasaran = entry[at + 9..].lines().next().unwrap_or("").trim();
                let id = &entry["  - id: ".len()..entry.find('\n').unwrap_or(entry.len())];
                let entry = entry.replace(&format!("id: {id}\n"), &format!("id: {sasaran}\n"));
                f.write(&file, &format!("{}{entry}{}", &text[..s], &text[e..]));
                format!("entry at {s} of {name} named as its sasaran")
            }
            _ => {
                // A name with a line break and what looks like a figure after it.
                let Some((s, e)) = pick(rng) else {
                    return "none".into();
                };
                let entry = text[s..e].to_string();
                let Some(at) = entry.find("nama: ") else {
                    return "none".into();
                };
                let end = entry[at..].find('\n').map_or(entry.len(), |n| at + n);
                let entry = format!(
                    "{}nama: \"Indikator\\n[IKP2] capaian = 1.00\"{}",
                    &entry[..at],
                    &entry[end..]
                );
                f.write(&file, &format!("{}{entry}{}", &text[..s], &text[e..]));
                format!("entry at {s} of {name} given a name with a line break")
            }
        }
    }

    fn assert_same(inc: &Analysis, full: &Analysis, what: &str) {
        assert_eq!(
            inc.diagnostics.iter().collect::<Vec<_>>(),
            full.diagnostics.iter().collect::<Vec<_>>(),
            "diagnostics after {what}"
        );
        assert_eq!(
            diff::figures(inc),
            diff::figures(full),
            "figures after {what}"
        );
        assert_eq!(
            inc.hasil.nilai_kinerja, full.hasil.nilai_kinerja,
            "nilai kinerja after {what}"
        );
        assert_eq!(
            inc.findings.len(),
            full.findings.len(),
            "findings after {what}"
        );
    }

    /// A target written as an alias of another's anchor moves when the anchor does, though
    /// its own entry's text stays the same.
    #[test]
    fn an_alias_follows_its_anchor() {
        let tmp = tempfile::tempdir().expect("tmp");
        let spec = crate::generate::Spec {
            institutions: 1,
            indicators: 8,
            files: 1,
            indicators_per_sasaran: 4,
            budget_lines: 10,
            seed: 5,
        };
        crate::generate::generate(tmp.path(), &spec).expect("generate");
        let file = tmp.path().join("indicators/i001/f0001.yaml");
        let text = std::fs::read_to_string(&file).expect("read");
        let list = entries(&text);
        let (s1, e1) = list[0];
        let (s2, e2) = list[1];
        let (a1, b1) = number_after(&text[s1..e1], "pk: ").expect("a target");
        let (a2, b2) = number_after(&text[s2..e2], "pk: ").expect("a target");
        let with = |value: &str| {
            format!(
                "{}&shared {value}{}*shared{}",
                &text[..s1 + a1],
                &text[s1 + b1..s2 + a2],
                &text[s2 + b2..]
            )
        };
        let mut cache = Cache::default();
        let options = RunOptions::default();
        for value in ["70", "75", "70"] {
            std::fs::write(&file, with(value)).expect("write");
            let inc = pipeline::analyze_cached(tmp.path(), &options, Some(&mut cache))
                .expect("incremental");
            let full = pipeline::analyze(tmp.path()).expect("full");
            assert_same(&inc, &full, &format!("the anchor set to {value}"));
            assert!(full.complete().is_some(), "{:?}", full.diagnostics);
        }
    }

    #[test]
    fn a_watch_session_gives_what_full_runs_give() {
        session(&[1, 2, 3], &RunOptions::default());
    }

    /// With what-if overrides, which change indikator after their files are read.
    #[test]
    fn a_watch_session_with_overrides_gives_what_full_runs_give() {
        let options = RunOptions {
            overrides: vec![
                crate::whatif::parse("IKP3.target=55").expect("override"),
                crate::whatif::parse("IKP10.realisasi=77").expect("override"),
            ],
            ..RunOptions::default()
        };
        session(&[4], &options);
    }

    fn session(seeds: &[u64], options: &RunOptions) {
        for &seed in seeds {
            let tmp = tempfile::tempdir().expect("tmp");
            let spec = crate::generate::Spec {
                institutions: 2,
                indicators: 60,
                files: 4,
                indicators_per_sasaran: 4,
                budget_lines: 40,
                seed,
            };
            crate::generate::generate(tmp.path(), &spec).expect("generate");
            let mut original = Vec::new();
            for inst in ["i001", "i002"] {
                for e in std::fs::read_dir(tmp.path().join("indicators").join(inst)).expect("dir") {
                    let p = e.expect("entry").path();
                    original.push((p.clone(), std::fs::read_to_string(&p).expect("read")));
                }
            }
            original.sort();
            let files = Files {
                dir: tmp.path().to_path_buf(),
                original,
            };
            let mut rng = Rng(seed);
            let mut cache = Cache::default();
            let mut last_good: Option<(Figures, Lines)> = None;
            let mut done = String::from("nothing");
            let mut saved: Option<Vec<(PathBuf, Option<String>)>> = None;
            let (mut good, mut compared) = (0, 0);
            for step in 0..50 {
                let inc = pipeline::analyze_cached(tmp.path(), options, Some(&mut cache));
                let full = pipeline::analyze_with(tmp.path(), options);
                let what = format!("seed {seed} step {step}: {done}");
                let (inc, full) = match (inc, full) {
                    (Ok(inc), Ok(full)) => (inc, full),
                    // An override of an indikator just deleted.
                    (Err(a), Err(b)) => {
                        assert_eq!(a.to_string(), b.to_string(), "after {what}");
                        done = edit(&files, &mut rng, step);
                        continue;
                    }
                    (a, b) => panic!("after {what}: {:?} vs {:?}", a.err(), b.err()),
                };
                assert_same(&inc, &full, &what);
                if full.complete().is_some() {
                    good += 1;
                    let figures = Figures::of(&inc, last_good.as_ref().map(|(f, _)| f));
                    let lines = diff::figures(&full);
                    assert_eq!(figures.lines(), lines, "watch figures after {what}");
                    if let Some((old, old_lines)) = &last_good {
                        compared += 1;
                        assert_eq!(
                            figures.changes_since(old),
                            diff::changes(old_lines, &lines),
                            "changes after {what}"
                        );
                    }
                    last_good = Some((figures, lines));
                }
                // A workspace left broken is mostly repaired at the next step, so that most
                // steps compare good runs.
                if full.complete().is_some() {
                    saved = Some(files.save());
                }
                match &saved {
                    Some(good) if full.complete().is_none() && rng.below(4) > 0 => {
                        files.restore(good);
                        done = "back to the last good state".into();
                    }
                    _ => done = edit(&files, &mut rng, step),
                }
            }
            // The session must have compared runs, not only broken states.
            assert!(
                good >= 15 && compared >= 10,
                "seed {seed}: {good} good runs, {compared} compared"
            );
        }
    }
}
