//! Reading the typed model out of a tree: typed accessors that report a wrong type or
//! number format at its place, and [`MapReader`], which reads a mapping key by key and then
//! reports every key nobody asked for (with a suggestion), instead of stopping at the first
//! problem as a derived `Deserialize` would.

use super::tree::{Key, Node, NodeKind};
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::base::number::{self, NumberError};
use crate::base::source::Span;
use crate::load::shape::Mapping;
use crate::model::{Num, Text};

/// Plain digits (with a sign and a point) that only failed for being too long.
fn is_long_number(text: &str) -> bool {
    let t = text.trim();
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    t.len() > 28
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '_')
}

impl<'t> Node<'t> {
    pub(crate) fn is_null(&self) -> bool {
        matches!(self.kind, NodeKind::Null)
    }

    fn wrong_type(&self, expected: &str, diags: &mut Diagnostics) {
        // Its mistake is reported already; it is no value of any type.
        if matches!(self.kind, NodeKind::Reported) {
            return;
        }
        diags.push(
            Diagnostic::error(
                Code::WrongType,
                format!("expected {expected}, found {}", self.kind.describe()),
            )
            .at(self.span, format!("should be {expected}"))
            .hint(format!(
                "write {expected} here (the README's format reference lists what each key takes)"
            )),
        );
    }

    pub(crate) fn as_num(&self, diags: &mut Diagnostics) -> Option<Num> {
        let text = match &self.kind {
            NodeKind::Number(t) | NodeKind::Str(t) => t,
            _ => {
                self.wrong_type("a number", diags);
                return None;
            }
        };
        match number::parse_plain(text) {
            Ok(value) => Some(Num {
                value,
                span: self.span,
                decimals: number::written_decimals(text),
            }),
            Err(NumberError::NotPlain { plain }) => {
                diags.push(
                    Diagnostic::error(Code::NumberFormat, format!("`{text}` is not a plain number"))
                        .at(self.span, "written in a display format")
                        .hint(format!(
                            "write `{plain}`: files use a dot for decimals, no thousands separators, no `Rp` or `%` (use `_` to group digits if you like)"
                        )),
                );
                None
            }
            Err(NumberError::NotANumber) if is_long_number(text) => {
                diags.push(
                    Diagnostic::error(
                        Code::OutOfRange,
                        format!(
                            "`{}` has more digits than kinerja computes with",
                            text.trim()
                        ),
                    )
                    .at(self.span, "too many digits")
                    .hint("numbers are exact to 28 significant digits, at most 28 of them decimals; check for a mistyped value"),
                );
                None
            }
            Err(NumberError::NotANumber) => {
                self.wrong_type("a number", diags);
                None
            }
        }
    }

    pub(crate) fn as_text(&self, diags: &mut Diagnostics) -> Option<Text> {
        match &self.kind {
            // An id like `2022` or a code like `51` is text even when YAML reads a number.
            NodeKind::Str(s) | NodeKind::Number(s) => Some(Text {
                value: s.to_string(),
                span: self.span,
            }),
            _ => {
                self.wrong_type("text", diags);
                None
            }
        }
    }

    pub(crate) fn as_int(&self, diags: &mut Diagnostics) -> Option<(i64, Span)> {
        let num = self.as_num(diags)?;
        match i64::try_from(num.value) {
            Ok(v) if num.value.fract().is_zero() => Some((v, self.span)),
            _ => {
                self.wrong_type("a whole number", diags);
                None
            }
        }
    }

    pub(crate) fn as_seq(&self, diags: &mut Diagnostics) -> Option<&[Node<'t>]> {
        match &self.kind {
            NodeKind::Seq(items) => Some(items),
            _ => {
                self.wrong_type("a list", diags);
                None
            }
        }
    }

    /// This node as the mapping `mapping` declares, to be read key by key.
    pub(crate) fn as_map<'a>(
        &'a self,
        mapping: &'static Mapping,
        diags: &mut Diagnostics,
    ) -> Option<MapReader<'a>> {
        match &self.kind {
            NodeKind::Map(entries) => Some(MapReader {
                node: self,
                entries,
                used: vec![false; entries.len()],
                mapping,
            }),
            _ => {
                self.wrong_type(&format!("a mapping ({})", mapping.what), diags);
                None
            }
        }
    }
}

/// Reads one mapping key by key, then reports the keys nobody asked for. It is asked only
/// for the keys its [`Mapping`] declares (checked in debug builds, which the tests run):
/// the declaration is what editors are told the file may hold.
pub(crate) struct MapReader<'a> {
    node: &'a Node<'a>,
    entries: &'a [(Key<'a>, Node<'a>)],
    used: Vec<bool>,
    mapping: &'static Mapping,
}

impl<'a> MapReader<'a> {
    fn declared(&self, key: &str) {
        debug_assert!(
            self.mapping.field(key).is_some(),
            "`{key}` is read from {} but not declared in its Mapping (load::shape)",
            self.mapping.what
        );
    }

    /// An optional key; an explicit `null` counts as absent.
    pub(crate) fn opt(&mut self, key: &str) -> Option<&'a Node<'a>> {
        self.declared(key);
        let i = self.entries.iter().position(|(k, _)| k.name == key)?;
        self.used[i] = true;
        let node = &self.entries[i].1;
        (!node.is_null()).then_some(node)
    }

    /// A key the mapping does not declare but planners write by mistake, taken to be
    /// reported better than an unknown key is (a band's `dari: 76`, which says nothing of
    /// whether 76 is in the band): an editor refuses it as unknown, the reader with its own
    /// message. An explicit `null` counts as absent.
    pub(crate) fn mistaken(&mut self, key: &str) -> Option<&'a Node<'a>> {
        debug_assert!(
            self.mapping.field(key).is_none(),
            "`{key}` is declared in {}'s Mapping (load::shape): read it with `opt`",
            self.mapping.what
        );
        let i = self.entries.iter().position(|(k, _)| k.name == key)?;
        self.used[i] = true;
        let node = &self.entries[i].1;
        (!node.is_null()).then_some(node)
    }

    /// A key the workspace itself declares rather than kinerja (a budget level that only
    /// the manifest names), which the mapping's declaration cannot list. An explicit
    /// `null` counts as absent.
    pub(crate) fn named(&mut self, key: &str) -> Option<&'a Node<'a>> {
        let i = self.entries.iter().position(|(k, _)| k.name == key)?;
        self.used[i] = true;
        let node = &self.entries[i].1;
        (!node.is_null()).then_some(node)
    }

    /// The place of `key`, whether the declaration lists it or the workspace names it.
    pub(crate) fn named_span(&self, key: &str) -> Option<Span> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, _)| k.span)
    }

    /// An optional key holding text, as a string.
    pub(crate) fn opt_string(&mut self, key: &str, diags: &mut Diagnostics) -> Option<String> {
        self.opt(key)
            .and_then(|n| n.as_text(diags))
            .map(|t| t.value)
    }

    pub(crate) fn req(&mut self, key: &str, diags: &mut Diagnostics) -> Option<&'a Node<'a>> {
        let found = self.opt(key);
        if found.is_none() && self.empty(key, diags).is_none() {
            diags.push(
                Diagnostic::error(
                    Code::MissingKey,
                    format!("{} is missing the required key `{key}`", self.mapping.what),
                )
                .at(self.first_key_span(), format!("`{key}` belongs in here"))
                .hint(format!("add `{key}:` to it")),
            );
        }
        found
    }

    /// When `key` is written with no value (`key:`, `key: null`, `key: ~`), reports that,
    /// where it is written, with what to write, and returns where. A required key given
    /// so is not missing: pointing elsewhere and saying "add it" would send the planner
    /// looking for a key that is there.
    pub(crate) fn empty(&mut self, key: &str, diags: &mut Diagnostics) -> Option<Span> {
        self.declared(key);
        let i = self.entries.iter().position(|(k, _)| k.name == key)?;
        let (k, value) = &self.entries[i];
        if !value.is_null() {
            return None;
        }
        self.used[i] = true;
        // `key:` with nothing after it has no text of its own to underline.
        let written = value.span.end > value.span.start;
        let (span, label) = if written {
            (value.span, "no value")
        } else {
            (k.span, "nothing after the colon")
        };
        diags.push(
            Diagnostic::error(
                Code::MissingKey,
                format!("`{key}` of {} has no value", self.mapping.what),
            )
            .at(span, label)
            .hint(format!(
                "write {} (YAML reads `null`, `~` and nothing at all as no value)",
                example(self.mapping.what, key)
            )),
        );
        Some(span)
    }

    /// Where the mapping's first key is written (the mapping itself when it has none).
    pub(crate) fn first_key_span(&self) -> Span {
        self.entries.first().map_or(self.node.span, |(k, _)| k.span)
    }

    pub(crate) fn key_span(&self, key: &str) -> Option<Span> {
        self.declared(key);
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, _)| k.span)
    }

    /// Every remaining entry, for mappings whose keys are data (years, input names).
    pub(crate) fn rest(&mut self) -> Vec<(&'a Key<'a>, &'a Node<'a>)> {
        debug_assert!(
            self.mapping.data.is_some(),
            "{} has no data keys in its Mapping (load::shape)",
            self.mapping.what
        );
        let mut out = Vec::new();
        for (i, (k, v)) in self.entries.iter().enumerate() {
            if !self.used[i] {
                self.used[i] = true;
                out.push((k, v));
            }
        }
        out
    }

    /// Reports every key that was not read, suggesting the closest of the mapping's keys.
    /// Returns the keys suggested for misspelled ones, with the misspelling's place, so
    /// that a reader can tell a misspelled key from a missing one.
    pub(crate) fn finish(self, diags: &mut Diagnostics) -> Vec<(String, Span)> {
        let known = self.mapping.keys();
        let mut suggested = Vec::new();
        for (i, (key, _)) in self.entries.iter().enumerate() {
            if self.used[i] {
                continue;
            }
            let mut d = Diagnostic::error(
                Code::UnknownKey,
                format!("unknown key `{}` in {}", key.name, self.mapping.what),
            )
            .at(key.span, "not a key kinerja knows here");
            d = match did_you_mean(&key.name, known.iter().copied()) {
                Some(s) => {
                    suggested.push((s.to_string(), key.span));
                    d.hint(format!("did you mean `{s}`?"))
                }
                None => d.hint(format!(
                    "the keys of {} are: {}",
                    self.mapping.what,
                    known.join(", ")
                )),
            };
            diags.push(d);
        }
        suggested
    }
}

/// What to write for `key` of `what`, for a key given no value.
fn example(what: &str, key: &str) -> String {
    let text = match (what, key) {
        ("an indikator" | "a komponen (IKK)", "realisasi") => {
            "the figure, `realisasi: 99.25`, or how it is computed, `realisasi: {rumus: rasio, masukan: {n: 330, t: 370}}`"
        }
        ("an indikator" | "a komponen (IKK)", "target") => {
            "the report year's target, `target: 90`, or `target: {pk: 90, renstra: {2024: 95}}`"
        }
        ("an indikator", "id") => "its id, `id: IKP1.1`",
        ("a komponen (IKK)", "id") => "its id, `id: IKK1.1.1`",
        ("a sasaran", "id") => "its id, `id: SP1`",
        (_, "nama") => "the name as the report prints it, `nama: …`",
        (_, "sasaran") => "the id of its sasaran, `sasaran: SP1`",
        (_, "satuan") => "its unit, `satuan: persen` (or `indeks`, `KPM`, `rupiah`, …)",
        (_, "pagu") => "the amount in rupiah, `pagu: 1_000_000`",
        (_, "realisasi") => "the amount in rupiah, `realisasi: 900_000`",
        (_, "kegiatan") => "the kegiatan's code, `kegiatan: \"1001\"`",
        (_, "jenis_belanja") => "the jenis belanja's code, `jenis_belanja: \"52\"`",
        (_, "rumus") => "the rule's name, `rumus: rasio`",
        (_, "masukan") => "the rule's inputs, `masukan: {n: 330, t: 370}`",
        (_, "tahun") => "the year, `tahun: 2022`",
        (_, "organisasi") => "the organisation's name, `organisasi: Direktorat …`",
        (_, "desimal") => "a number of decimals, `desimal: 2`",
        (_, "file") => "the file's path, `file: rincian.csv`",
        (_, "label") => "the band's label as reports print it, `label: baik`",
        (_, "tingkat") => "the bands, one per line, `- {label: baik, min: 76, maks: 90}`",
        (_, "tabel") => "the band tables by name, `tabel: {capaian: {tingkat: […]}}`",
        _ => return format!("its value after `{key}:`"),
    };
    text.to_string()
}
