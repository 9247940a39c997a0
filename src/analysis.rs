//! One run through the stages: load → what-if → validate → compile rules → evaluate →
//! audit. Each stage is a pure function of what the stage before gave; the units of work
//! (one indicator file, one source of budget lines, one indikator's checks, one indikator's
//! figures) are computed through [`Units`], so that a watch session can reuse what an
//! earlier run computed without any stage knowing (see the `watch` session).

use crate::audit::{self, Finding};
use crate::base::cancel::Cancel;
use crate::base::diagnostic::{Diagnostic, Diagnostics};
use crate::base::files::Destination;
use crate::base::source::{FileId, Sources, Span, display_path};
use crate::eval::{self, Figures, Hasil, HasilIndikator};
use crate::load::lines::{self, Aggregate, CsvError, LineSource};
use crate::load::{self, IndicatorFile, LoadError, Readers};
use crate::model::{Indikator, Workspace};
use crate::rules::{Limits, RuleSet};
use crate::validate;
use crate::whatif::{self, Override, OverrideError};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// How one run reads its inputs.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// What-if overrides (`--set`), applied after loading.
    pub overrides: Vec<Override>,
    /// Leave budget lines that cannot be read out (with a warning) instead of failing.
    pub allow_bad_rows: bool,
    /// The period reported (`--periode TW2`), instead of the manifest's `periode.laporan`.
    pub periode: Option<String>,
}

/// Why a workspace could not be analysed at all (as opposed to one with problems in it,
/// which are [`Analysis::diagnostics`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("--set {0}")]
    Override(#[from] OverrideError),
    /// `--periode` names no period of the workspace's calendar.
    #[error("--periode {0}")]
    Periode(String),
}

/// A workspace with its rules, its diagnostics and, as far as it could be computed, its
/// results.
pub struct Analysis {
    pub(crate) workspace: Workspace,
    pub(crate) rules: RuleSet,
    pub(crate) diagnostics: Diagnostics,
    /// Everything that could be computed; figures that failed are absent, and their
    /// diagnostics are in `diagnostics`.
    pub(crate) hasil: Hasil,
    /// The audit's findings, known ones included. Those not known are also warnings in
    /// `diagnostics`.
    pub(crate) findings: Vec<Finding>,
    /// For each what-if override, where the value it replaced was written (`None` where
    /// the workspace gave none).
    pub(crate) overridden: Vec<Option<Span>>,
    /// The workspace folder, as given.
    pub(crate) root: PathBuf,
    /// The budget line files the run read (CSV or workbooks named by budget files), as
    /// named: joined to `root`.
    pub(crate) line_files: Vec<PathBuf>,
}

/// What writing a file would do to a workspace's own files (see
/// [`Analysis::source_clash`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceClash {
    /// It would replace (or change) this file the run read, as diagnostics name it.
    Replaces(String),
    /// It would add a file that the next run reads as part of the workspace.
    Adds,
}

/// One computed figure, as [`Analysis::figures`] lists them.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureValue {
    /// What it belongs to: an indikator or sasaran id, `nilai_kinerja`, `total`,
    /// `kegiatan: 57`, `riwayat: 2018`.
    pub id: String,
    /// What it measures: `target`, `realisasi`, `capaian`, `capaian_2024`, `pagu`, …
    pub ukuran: String,
    /// At full precision (stage roundings applied, presentation rounding not); for a
    /// target range, its lower bound.
    pub value: Decimal,
    /// A target range's upper bound (`target: {min: 80, maks: 90}`); `None` otherwise.
    pub maks: Option<Decimal>,
    /// The label of the band it falls in, when a band table bands it (`BB`, `A`).
    pub kategori: Option<String>,
}

impl Analysis {
    /// The files read, to resolve the places diagnostics point at.
    pub fn sources(&self) -> &Sources {
        &self.workspace.sources
    }

    /// What writing `path` would do to the workspace's own files, if anything: kinerja
    /// never writes its user's sources. A file this run read (a YAML or Rhai file, budget
    /// line data), the file one of them links to, or a new file the next run would read (a
    /// `.yaml` under `indicators/`).
    pub fn source_clash(&self, path: &Path) -> Option<SourceClash> {
        let dest = Destination::of(path);
        if let Some((_, f)) = self
            .workspace
            .sources
            .iter()
            .find(|(_, f)| dest.replaces(&self.root.join(&f.path)))
        {
            return Some(SourceClash::Replaces(f.path.clone()));
        }
        if let Some(f) = self.line_files.iter().find(|f| dest.replaces(f)) {
            return Some(SourceClash::Replaces(display_path(&self.root, f)));
        }
        let libraries: Vec<&str> = (self.workspace.manifest.pustaka_rumus.iter())
            .map(|l| l.value.as_str())
            .collect();
        dest.entry()
            .is_some_and(|e| load::reads(&self.root, &libraries, e))
            .then_some(SourceClash::Adds)
    }

    /// Every problem found, in the order the stages found them.
    pub fn diagnostics(&self) -> &Diagnostics {
        &self.diagnostics
    }

    /// Every problem found, in file order.
    pub fn sorted_diagnostics(&self) -> Vec<Diagnostic> {
        let mut all = Diagnostics::default();
        all.extend(self.diagnostics.iter().cloned());
        all.sorted(&self.workspace.sources)
    }

    /// Whether the results are complete: nothing failed anywhere.
    pub fn is_complete(&self) -> bool {
        !self.diagnostics.has_errors()
    }

    /// Every figure, in report order; empty unless [`Analysis::is_complete`].
    pub fn figures(&self) -> Vec<FigureValue> {
        if !self.is_complete() {
            return Vec::new();
        }
        Figures::of(&self.workspace, &self.hasil)
            .lines()
            .map(|l| FigureValue {
                id: l.id.to_string(),
                ukuran: l.ukuran.to_string(),
                value: l.value,
                maks: l.maks,
                kategori: l.kategori.map(|b| b.label.to_string()),
            })
            .collect()
    }
}

/// Analyses the workspace at `root`.
pub fn analyze(root: &Path, options: &Options) -> Result<Analysis, Error> {
    run(root, options, &Fresh, &Cancel::never())
}

/// How a run computes each unit of work. The default of every method is the stage's own
/// function; [`Fresh`] uses them all, and a watch session's memo reuses what it computed
/// before where the inputs are the same.
pub(crate) trait Units: Sync {
    fn indicator_file(&self, file: FileId, text: &str) -> Arc<IndicatorFile> {
        Arc::new(load::indicators::read(file, text))
    }

    fn lines(&self, source: &LineSource) -> Result<Arc<Aggregate>, CsvError> {
        lines::read(source).map(Arc::new)
    }

    fn checks(&self, context: &validate::Context, ind: &Indikator) -> Vec<Diagnostic> {
        validate::indikator(context, ind)
    }

    fn indikator(&self, ctx: &eval::Context, ind: &Indikator) -> (HasilIndikator, Vec<Diagnostic>) {
        eval::indikator(ctx, ind)
    }
}

/// Every unit computed afresh.
pub(crate) struct Fresh;

impl Units for Fresh {}

/// [`analyze`], computing the units through `units` and stopping rules when `cancel` is;
/// `None` when it was cancelled (what it computed is then incomplete, and nobody may take
/// it for a run's).
pub(crate) fn analyze_with(
    root: &Path,
    options: &Options,
    units: &dyn Units,
    cancel: &Cancel,
) -> Result<Option<Analysis>, Error> {
    let analysis = run(root, options, units, cancel)?;
    Ok((!cancel.is_cancelled()).then_some(analysis))
}

/// The stages in order.
fn run(
    root: &Path,
    options: &Options,
    units: &dyn Units,
    cancel: &Cancel,
) -> Result<Analysis, Error> {
    // The line files read are noted, so that nothing writes over one (`source_clash`).
    let line_files = Mutex::new(Vec::new());
    let loaded = load::load(
        root,
        options.allow_bad_rows,
        &Readers {
            indicator_file: &|file, text| units.indicator_file(file, text),
            lines: &|source| {
                // A panic elsewhere while the list was held leaves it whole: kept.
                let mut files = line_files.lock().unwrap_or_else(PoisonError::into_inner);
                files.push(source.path.clone());
                drop(files);
                units.lines(source)
            },
        },
    )?;
    let mut diagnostics = loaded.diagnostics;
    let mut ws = loaded.workspace;
    if let Some(text) = &options.periode {
        let kalender = ws.manifest.periode.kalender;
        let periode = load::laporan(text, kalender)
            .map_err(|e| Error::Periode(format!("{}: {}", e.message, e.hint)))?;
        ws.manifest.periode.laporan = Some(periode);
        ws.manifest.periode.laporan_span = None;
    }
    let overridden = whatif::apply(&mut ws, &options.overrides)?;
    diagnostics
        .extend(validate::validate(&ws, &|context, ind| units.checks(context, ind)).into_vec());
    let rules = RuleSet::compile(
        &ws.sources,
        &loaded.rule_files,
        Limits::default(),
        &mut diagnostics,
    );
    // Evaluated even with errors: what was read is valid on its own, and failing rules
    // (a zero denominator, a loop) are problems `check` must list too. Callers use
    // `is_complete()` to take results only from a workspace without errors.
    let ctx = eval::Context {
        ws: &ws,
        rules: &rules,
        cancel,
    };
    let (mut hasil, mut eval_diags) = eval::evaluate(&ctx, &|ctx, ind| units.indikator(ctx, ind));
    // A rule stopped mid-run (it ran past a limit) may have computed some of its figures
    // before it was stopped, which depends on the order figures were computed in. So the
    // run is evaluated again with every stopped rule refused from the start, through the
    // stage itself (not `units`: what a watch memo holds was computed without the stop).
    // A pass can only add stopped rules, so this ends; with none, there is one pass.
    let mut stopped = 0;
    while rules.stopped_count() > stopped && !cancel.is_cancelled() {
        stopped = rules.stopped_count();
        (hasil, eval_diags) = eval::evaluate(&ctx, &eval::indikator);
    }
    diagnostics.extend(eval_diags.sorted(&ws.sources));
    let started = std::time::Instant::now();
    let findings = audit::audit(&ctx, &hasil);
    tracing::debug!(elapsed = ?started.elapsed(), "audited");
    diagnostics.extend(
        findings
            .iter()
            .filter(|f| !f.is_known())
            .map(Finding::to_diagnostic),
    );
    Ok(Analysis {
        workspace: ws,
        rules,
        diagnostics,
        hasil,
        findings,
        overridden,
        root: root.to_path_buf(),
        line_files: line_files
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner),
    })
}
