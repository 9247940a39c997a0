//! `kinerja diff`: what changed between two workspaces (or a workspace and a git revision),
//! in definitions (names, targets, inputs, rules) and in computed figures.

use crate::model::{Indikator, Input, SumberRealisasi, Workspace};
use crate::pipeline::Analysis;
use crate::snapshot;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One changed definition or figure: `(id, field)` with its value before and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub id: String,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Default)]
pub struct WorkspaceDiff {
    pub definitions: Vec<Change>,
    pub figures: Vec<Change>,
}

impl WorkspaceDiff {
    pub fn is_empty(&self) -> bool {
        self.definitions.is_empty() && self.figures.is_empty()
    }
}

pub fn diff(a: &Analysis, b: &Analysis) -> WorkspaceDiff {
    WorkspaceDiff {
        definitions: changes(&definitions(&a.workspace), &definitions(&b.workspace)),
        figures: changes(&figures(a), &figures(b)),
    }
}

pub type Lines = Vec<((String, String), String)>;

/// Changes between two ordered line sets, in the order of `new` then what only `old` had.
pub fn changes(old: &Lines, new: &Lines) -> Vec<Change> {
    // Most edits keep every figure in place: compare side by side, no maps needed.
    if old.len() == new.len() && old.iter().zip(new).all(|(a, b)| a.0 == b.0) {
        return old
            .iter()
            .zip(new)
            .filter(|(a, b)| a.1 != b.1)
            .map(|(a, b)| Change {
                id: b.0.0.clone(),
                field: b.0.1.clone(),
                old: Some(a.1.clone()),
                new: Some(b.1.clone()),
            })
            .collect();
    }
    let old_map: BTreeMap<&(String, String), &String> = old.iter().map(|(k, v)| (k, v)).collect();
    let new_map: BTreeMap<&(String, String), &String> = new.iter().map(|(k, v)| (k, v)).collect();
    let mut out = Vec::new();
    for (key, value) in new {
        match old_map.get(key) {
            Some(before) if *before == value => {}
            before => out.push(Change {
                id: key.0.clone(),
                field: key.1.clone(),
                old: before.map(|s| s.to_string()),
                new: Some(value.clone()),
            }),
        }
    }
    for (key, value) in old {
        if !new_map.contains_key(key) {
            out.push(Change {
                id: key.0.clone(),
                field: key.1.clone(),
                old: Some(value.clone()),
                new: None,
            });
        }
    }
    out
}

/// Every computed figure, as the snapshot files hold them.
pub fn figures(a: &Analysis) -> Lines {
    snapshot::render(&a.workspace, &a.hasil, &[])
        .iter()
        .flat_map(|s| snapshot::parse(&s.body))
        .map(|l| ((l.id, l.ukuran), l.nilai))
        .collect()
}

/// Every definition, one line per field.
fn definitions(ws: &Workspace) -> Lines {
    let mut out: Lines = Vec::new();
    let mut put = |id: &str, field: &str, value: String| {
        out.push(((id.to_string(), field.to_string()), value))
    };
    let m = &ws.manifest;
    put("manifest", "organisasi", m.organisasi.clone());
    put("manifest", "tahun", m.tahun.to_string());
    put("manifest", "tampilan", m.tampilan.rounding.to_string());
    for (stage, r) in [
        ("realisasi", m.pembulatan.realisasi),
        ("capaian", m.pembulatan.capaian),
        ("capaian_sasaran", m.pembulatan.capaian_sasaran),
        ("nilai_kinerja", m.pembulatan.nilai_kinerja),
    ] {
        if let Some(r) = r {
            put("manifest", &format!("pembulatan.{stage}"), r.to_string());
        }
    }
    for (p, r) in &m.rumus.capaian {
        put(
            "manifest",
            &format!("rumus.capaian.{}", p.name()),
            r.name.clone(),
        );
    }
    put(
        "manifest",
        "rumus.capaian_sasaran",
        m.rumus.capaian_sasaran.name.clone(),
    );
    put(
        "manifest",
        "rumus.nilai_kinerja",
        m.rumus.nilai_kinerja.name.clone(),
    );
    for s in &ws.sasaran {
        put(&s.id.value, "nama", s.nama.clone());
        if let Some(r) = &s.rumus {
            put(&s.id.value, "rumus", r.name.clone());
        }
    }
    fn indikator(i: &Indikator, put: &mut dyn FnMut(&str, &str, String)) {
        let id = &i.id.value;
        put(id, "nama", i.nama.clone());
        if let Some(s) = &i.sasaran {
            put(id, "sasaran", s.value.clone());
        }
        put(id, "satuan", i.satuan.clone());
        put(id, "polaritas", i.polaritas.name().into());
        if let Some(pk) = &i.target.pk {
            put(id, "target.pk", pk.value.normalize().to_string());
        }
        for (y, n) in &i.target.renstra {
            put(id, &format!("target.{y}"), n.value.normalize().to_string());
        }
        if let Some(r) = &i.realisasi {
            let text = match &r.sumber {
                SumberRealisasi::Nilai(n) => n.value.normalize().to_string(),
                SumberRealisasi::Rumus { rumus, masukan } => {
                    format!("{}({})", rumus.name, input_text(masukan))
                }
            };
            put(id, "realisasi", text);
        }
        if let Some(r) = &i.capaian.rumus {
            put(id, "capaian.rumus", r.name.clone());
        }
        for k in &i.komponen {
            indikator(k, put);
        }
    }
    for i in &ws.indikator {
        indikator(i, &mut put);
    }
    // Rule files by name and content: a changed formula shows as its file changing, wherever
    // the workspace keeps its rules.
    for (_, f) in ws.sources.iter().filter(|(_, f)| f.path.ends_with(".rhai")) {
        let name = f.path.rsplit('/').next().unwrap_or(&f.path);
        put(
            &format!("rules: {name}"),
            "isi",
            format!(
                "{} lines, {:016x}",
                f.text.lines().count(),
                crate::incremental::fingerprint(&f.text)
            ),
        );
    }
    out
}

fn input_text(input: &Input) -> String {
    match input {
        Input::Num(n) => n.value.normalize().to_string(),
        Input::Text(t) => t.value.clone(),
        Input::List(items, _) => format!(
            "[{}]",
            items.iter().map(input_text).collect::<Vec<_>>().join(", ")
        ),
        Input::Map(entries, _) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{k}: {}", input_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

pub fn render_text(d: &WorkspaceDiff) -> String {
    let mut out = String::new();
    let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
    for (title, list) in [("Definitions", &d.definitions), ("Figures", &d.figures)] {
        let _ = writeln!(out, "{title}: {} changed", list.len());
        // An id that only appears or only disappears is one line, not one per field.
        let mut ids: Vec<&str> = Vec::new();
        for c in list.iter() {
            if !ids.contains(&c.id.as_str()) {
                ids.push(&c.id);
            }
        }
        for id in ids {
            let of_id: Vec<&Change> = list.iter().filter(|c| c.id == id).collect();
            if of_id.iter().all(|c| c.old.is_none()) {
                let fields: Vec<String> = of_id
                    .iter()
                    .map(|c| format!("{} = {}", c.field, value(&c.new)))
                    .collect();
                let _ = writeln!(out, "  + {id}: {}", fields.join("; "));
            } else if of_id.iter().all(|c| c.new.is_none()) {
                let fields: Vec<String> = of_id
                    .iter()
                    .map(|c| format!("{} = {}", c.field, value(&c.old)))
                    .collect();
                let _ = writeln!(out, "  - {id}: {}", fields.join("; "));
            } else {
                for c in of_id {
                    let _ = writeln!(
                        out,
                        "  ~ {} {}: {} → {}",
                        c.id,
                        c.field,
                        value(&c.old),
                        value(&c.new)
                    );
                }
            }
        }
    }
    out
}

pub fn to_out(d: &WorkspaceDiff) -> crate::report::Out {
    use crate::report::Out;
    let list = |l: &[Change]| {
        Out::List(
            l.iter()
                .map(|c| {
                    Out::Map(vec![
                        ("id", Out::Str(c.id.clone())),
                        ("field", Out::Str(c.field.clone())),
                        ("old", c.old.clone().map_or(Out::Null, Out::Str)),
                        ("new", c.new.clone().map_or(Out::Null, Out::Str)),
                    ])
                })
                .collect(),
        )
    };
    Out::Map(vec![
        ("definitions", list(&d.definitions)),
        ("figures", list(&d.figures)),
    ])
}

/// The workspace files of `dir` as they were at git revision `rev`, written into a new
/// temporary directory (removed when the returned guard is dropped).
pub fn checkout_revision(dir: &Path, rev: &str) -> Result<tempfile::TempDir, String> {
    let run = |args: &[&str]| -> Result<Vec<u8>, String> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e} (is git installed?)"))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(format!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    };
    // Paths relative to `dir`, so a workspace inside a larger repository works too.
    let listing = run(&[
        "ls-tree",
        "-r",
        "--name-only",
        "--full-name",
        rev,
        "--",
        ".",
    ])?;
    let prefix = String::from_utf8_lossy(&run(&["rev-parse", "--show-prefix"])?)
        .trim()
        .to_string();
    let tmp =
        tempfile::tempdir().map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    for full in String::from_utf8_lossy(&listing).lines() {
        let rel = full.strip_prefix(&prefix).unwrap_or(full);
        let wanted = rel == crate::workspace::MANIFEST
            || [
                crate::workspace::INDICATORS_DIR,
                crate::workspace::BUDGETS_DIR,
                crate::workspace::RULES_DIR,
            ]
            .iter()
            .any(|d| rel.starts_with(&format!("{d}/")));
        if !wanted {
            continue;
        }
        let content = run(&["show", &format!("{rev}:{full}")])?;
        let path: PathBuf = tmp.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&path, content).map_err(|e| e.to_string())?;
    }
    Ok(tmp)
}
