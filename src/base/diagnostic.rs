//! Problems found in a workspace, each with a code, a place and a hint, rendered the way
//! rustc and ruff do: `file:line:col`, the source line, the span underlined.

use super::source::{Sources, Span};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Every diagnostic kinerja emits. The code is stable: tools and `--format json` rely on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// A file could not be read.
    Io,
    /// YAML that does not parse.
    YamlSyntax,
    /// A key the format does not know (often a typo).
    UnknownKey,
    /// A key the format requires is absent, or written with no value (`key: null`).
    MissingKey,
    /// A value of the wrong kind (a list where a number belongs, …).
    WrongType,
    /// A number written in a format files do not accept (`1.234,5`, `Rp…`, `99%`), or
    /// split by a comma inside `{…}` or `[…]` (`{persen: 93,6}`).
    NumberFormat,
    /// A number whose digits an Indonesian reader takes differently: a rupiah amount with
    /// three decimals (`pagu: 398.379`), whose dot is likely a thousands separator. A warning.
    AmbiguousNumber,
    /// Two things share an id.
    DuplicateId,
    /// A reference to an indicator, sasaran, kegiatan or jenis belanja that does not exist.
    UnknownReference,
    /// The year being evaluated has no target.
    MissingTarget,
    /// A target of zero: capaian cannot be computed against it.
    ZeroTarget,
    /// A value outside what its unit allows.
    OutOfRange,
    /// The weights (`bobot`) of a rollup's members: some members weighted and others not,
    /// weights that do not add up to the manifest's `bobot.jumlah`, a weighted rule with no
    /// weights, or weights a rule does not use (a warning naming the rule to state).
    Bobot,
    /// A workspace without something it needs (no manifest, no indicators…).
    Workspace,
    /// A Rhai file that does not compile.
    RuleSyntax,
    /// A rule that failed while running (including a zero denominator it reports).
    RuleRuntime,
    /// A rule that returned something other than a finite number.
    RuleResult,
    /// A rule name that no file under `rules/` defines.
    UnknownRule,
    /// Two rule files define the same rule.
    RuleClash,
    /// A rule that ran past the sandbox's limits (time, operations, depth, size).
    RuleLimit,
    /// A printed figure that differs from the computed one.
    PrintedMismatch,
    /// Evidence (`bukti`) that disagrees with the figure of record.
    EvidenceMismatch,
    /// A printed table total that is not the sum of its rows.
    TableTotal,
    /// Budget per kegiatan and per jenis belanja that do not reach the same total.
    BudgetTotals,
    /// Line items that do not sum to their kegiatan or jenis belanja.
    LineItems,
    /// Realisasi above pagu.
    OverSpent,
    /// A line of budget data (CSV) that cannot be read.
    BadRow,
    /// A rule test case (`rules/*.test.yaml`) that failed.
    RuleTest,
    /// A band of a band table (`rules/*.kategori.yaml`) whose edges cannot be read: an
    /// edge that does not say whether its value is in the band (`dari: 76`, `"76–90"`), two
    /// edges on one side, or a band that holds no value.
    BandEdge,
    /// Two bands of one table that share a value.
    BandOverlap,
    /// A band table without bands.
    BandEmpty,
    /// A band table named that no `*.kategori.yaml` defines.
    UnknownBandTable,
    /// A figure that falls between the bands of its table, or outside them all. A warning:
    /// the figure stands, only its band is missing.
    BetweenBands,
    /// A band table defined twice, or a label used twice in one table.
    BandDuplicate,
    /// A period that is not one of the calendar's: not a period at all (`TW5`, `Q2`), or
    /// another calendar's (`Juni` in a triwulan calendar).
    PeriodUnknown,
    /// A value for a period after the one reported: not counted. A warning.
    PeriodAfterReport,
    /// Two values for the same period (`TW2` and `Triwulan II`).
    PeriodTwice,
    /// A revision's date (`tanggal`) that cannot be read, or that lies outside the year
    /// reported.
    RevisionDate,
    /// Revisions written out of date order: the chronology must read as it happened.
    RevisionOrder,
    /// A disbursement plan (RPD) whose periods do not add up to the pagu in force. A warning.
    PlanTotal,
    /// A chronology of pagu changes that does not reach the row's final pagu, a stated pagu
    /// (`menjadi`) it does not reach, or a blokir opened for more than was blocked.
    Chronology,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Io => "K001",
            Code::Workspace => "K002",
            Code::YamlSyntax => "Y001",
            Code::UnknownKey => "Y002",
            Code::MissingKey => "Y003",
            Code::WrongType => "Y004",
            Code::NumberFormat => "Y005",
            Code::AmbiguousNumber => "Y006",
            Code::DuplicateId => "M001",
            Code::UnknownReference => "M002",
            Code::MissingTarget => "M003",
            Code::ZeroTarget => "M004",
            Code::OutOfRange => "M005",
            Code::Bobot => "M006",
            Code::RuleSyntax => "R001",
            Code::RuleRuntime => "R002",
            Code::RuleResult => "R003",
            Code::UnknownRule => "R004",
            Code::RuleClash => "R005",
            Code::RuleLimit => "R006",
            Code::PrintedMismatch => "A001",
            Code::EvidenceMismatch => "A002",
            Code::TableTotal => "A003",
            Code::BudgetTotals => "A004",
            Code::LineItems => "A005",
            Code::OverSpent => "A006",
            Code::BadRow => "B001",
            Code::RuleTest => "T001",
            Code::BandEdge => "C001",
            Code::BandOverlap => "C002",
            Code::BandEmpty => "C003",
            Code::UnknownBandTable => "C004",
            Code::BetweenBands => "C005",
            Code::BandDuplicate => "C006",
            Code::PeriodUnknown => "P001",
            Code::PeriodAfterReport => "P002",
            Code::PeriodTwice => "P003",
            Code::RevisionDate => "P004",
            Code::RevisionOrder => "P005",
            Code::PlanTotal => "P006",
            Code::Chronology => "A007",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Where the problem is; `None` for problems of the workspace as a whole.
    pub primary: Option<Label>,
    /// Other places that explain it (the first definition of a duplicate id, …).
    pub secondary: Vec<Label>,
    /// What to do about it.
    pub hint: Option<String>,
    /// Further context (for audit findings: why a disagreement is known).
    pub note: Option<String>,
    /// A place in a file kinerja does not keep in memory (a row of a large CSV).
    pub place: Option<Place>,
    /// Set on a figure left uncomputed because its rule ran past a limit, so that a run
    /// reports each such rule once rather than once per figure.
    pub(crate) runaway: Option<Box<Runaway>>,
}

/// A figure whose rule ran past a limit (and was stopped for the rest of the run).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Runaway {
    /// The rule the figure called.
    pub(crate) rule: String,
    /// The figure, as `IKP1.1 realisasi`.
    pub(crate) figure: String,
    /// Where the figure is asked for.
    pub(crate) at: Span,
    /// Which limit, in words: `rule `x` ran past its time limit`.
    pub(crate) limit: String,
    /// The `fn` line of the rule that ran past the limit.
    pub(crate) definition: Option<Span>,
}

/// `file:line:column` outside the workspace's source files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: u64,
    pub column: Option<usize>,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.column {
            Some(c) => write!(f, "{}:{}:{c}", self.file, self.line),
            None => write!(f, "{}:{}", self.file, self.line),
        }
    }
}

impl Diagnostic {
    pub(crate) fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            hint: None,
            note: None,
            place: None,
            runaway: None,
        }
    }

    pub(crate) fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub(crate) fn at(mut self, span: Span, label: impl Into<String>) -> Self {
        self.primary = Some(Label {
            span,
            text: label.into(),
        });
        self
    }

    pub(crate) fn also(mut self, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            text: label.into(),
        });
        self
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn at_place(mut self, place: Place) -> Self {
        self.place = Some(place);
        self
    }

    pub(crate) fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders like rustc: header, `--> file:line:col`, the source with the span marked, hint.
    pub fn render(&self, sources: &Sources, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(&self.message).id(self.code.as_str());
        let mut group = match &self.primary {
            Some(primary) => {
                let mut snippet = Snippet::source(&sources.get(primary.span.file).text)
                    .path(sources.path(primary.span.file))
                    .fold(true)
                    .annotation(
                        AnnotationKind::Primary
                            .span(clamp(sources, primary.span))
                            .label(&primary.text),
                    );
                for other in self
                    .secondary
                    .iter()
                    .filter(|l| l.span.file == primary.span.file)
                {
                    snippet = snippet.annotation(
                        AnnotationKind::Context
                            .span(clamp(sources, other.span))
                            .label(&other.text),
                    );
                }
                let mut group = title.element(snippet);
                for other in self
                    .secondary
                    .iter()
                    .filter(|l| l.span.file != primary.span.file)
                {
                    group = group.element(
                        Snippet::source(&sources.get(other.span.file).text)
                            .path(sources.path(other.span.file))
                            .fold(true)
                            .annotation(
                                AnnotationKind::Context
                                    .span(clamp(sources, other.span))
                                    .label(&other.text),
                            ),
                    );
                }
                group
            }
            None => {
                let group = Group::with_title(title);
                match &self.place {
                    Some(place) => group.element(Level::NOTE.message(format!("at {place}"))),
                    None => group,
                }
            }
        };
        if let Some(note) = &self.note {
            group = group.element(Level::NOTE.message(note));
        }
        if let Some(hint) = &self.hint {
            group = group.element(Level::HELP.message(hint));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&[group])
    }

    /// One line, `file:line:col: error[CODE] message`, for logs and watch summaries.
    pub fn short(&self, sources: &Sources) -> String {
        let place = self
            .primary
            .as_ref()
            .map(|p| format!("{}: ", sources.location(p.span)))
            .or_else(|| self.place.as_ref().map(|p| format!("{p}: ")))
            .unwrap_or_default();
        format!(
            "{place}{}[{}] {}",
            self.severity.name(),
            self.code,
            self.message
        )
    }
}

/// Spans must lie on character boundaries inside the file, whatever a parser reported.
fn clamp(sources: &Sources, span: Span) -> std::ops::Range<usize> {
    let text = &sources.get(span.file).text;
    let mut start = span.start.min(text.len());
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// Diagnostics gathered while loading, validating or evaluating a workspace.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// How many there are: whether reading something reported a problem.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    pub(crate) fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub(crate) fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// In file order, then by position, so output is stable whatever order checks ran in.
    pub fn sorted(mut self, sources: &Sources) -> Vec<Diagnostic> {
        self.items.sort_by_key(|d| {
            let place = d
                .primary
                .as_ref()
                .map(|p| (sources.path(p.span.file).to_string(), p.span.start));
            (place, d.code, d.message.clone())
        });
        self.items.dedup();
        self.items
    }
}

/// The closest of `candidates` to a mistyped `word`, for "did you mean".
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestion_for_typo() {
        assert_eq!(
            did_you_mean("targt", ["target", "realisasi"]),
            Some("target")
        );
        assert_eq!(did_you_mean("xyz", ["target", "realisasi"]), None);
    }

    #[test]
    fn renders_location_and_hint() {
        let mut sources = Sources::default();
        let f = sources.add("indicators/a.yaml".into(), "id: X\ntargt: 5\n".into());
        let d = Diagnostic::error(Code::UnknownKey, "unknown key `targt`")
            .at(
                crate::base::source::Span::new(f, 6, 11),
                "not a key of an indikator",
            )
            .hint("did you mean `target`?");
        let text = d.render(&sources, false);
        assert!(text.contains("error[Y002]: unknown key `targt`"), "{text}");
        assert!(text.contains("indicators/a.yaml:2:1"), "{text}");
        assert!(text.contains("did you mean `target`?"), "{text}");
        assert_eq!(
            d.short(&sources),
            "indicators/a.yaml:2:1: error[Y002] unknown key `targt`"
        );
    }
}
