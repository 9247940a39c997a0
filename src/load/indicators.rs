//! Reading an indicator file: its sasaran and indikator, with their targets, realisasi
//! (given or computed by a rule from inputs), evidence, printed figures and tables.

use super::fields::{choice, rounding};
use super::printed::{PRINTED_INDIKATOR, PRINTED_SASARAN, dicetak, tabel};
use super::yaml::{self, Node, NodeKind};
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::base::number::{NumberError, parse_plain, written_decimals};
use crate::base::source::FileId;
use crate::model::{
    Bukti, CapaianSpec, Indikator, Input, Num, Polaritas, Realisasi, RuleRef, Sasaran,
    SumberRealisasi, Target, Text,
};
use compact_str::CompactString;
use std::sync::Arc;

const FILE_KEYS: &[&str] = &["sasaran", "indikator"];
const SASARAN_KEYS: &[&str] = &["id", "nama", "rumus", "bulatkan", "kategori", "dicetak"];
const INDIKATOR_KEYS: &[&str] = &[
    "id",
    "nama",
    "sasaran",
    "satuan",
    "polaritas",
    "target",
    "realisasi",
    "capaian",
    "komponen",
    "dicetak",
    "bukti",
    "tabel",
    "catatan",
];
const TARGET_KEYS: &[&str] = &["pk", "renstra"];
const REALISASI_KEYS: &[&str] = &["nilai", "rumus", "masukan", "bulatkan", "kategori"];
const CAPAIAN_KEYS: &[&str] = &["rumus", "bulatkan", "kategori"];
const BUKTI_KEYS: &[&str] = &["keterangan", "rumus", "masukan", "diketahui"];

/// One indicator file's part of the model, with what reading it reported.
#[derive(Default)]
pub(crate) struct IndicatorFile {
    pub(crate) sasaran: Vec<Sasaran>,
    pub(crate) indikator: Vec<Arc<Indikator>>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Sasaran named by indikator that were left out for their errors.
    pub(crate) dropped_refs: Vec<String>,
}

/// Reads one indicator file: the unit of loading.
pub(crate) fn read(file: FileId, text: &str) -> IndicatorFile {
    let mut diags = Diagnostics::default();
    let mut out = IndicatorFile::default();
    let mut reader = Reader {
        diags: &mut diags,
        dropped_refs: Vec::new(),
        input_failed: false,
    };
    if let Some(tree) = yaml::read(file, text, reader.diags) {
        reader.file(&tree, &mut out.sasaran, &mut out.indikator);
    }
    out.dropped_refs = reader.dropped_refs;
    out.diagnostics = diags.into_vec();
    out
}

struct Reader<'d> {
    diags: &'d mut Diagnostics,
    /// Sasaran named by indikator that were left out for their errors.
    dropped_refs: Vec<String>,
    /// Set while reading rule inputs when a number in them cannot be read.
    input_failed: bool,
}

impl Reader<'_> {
    fn file(
        &mut self,
        tree: &Node,
        sasaran: &mut Vec<Sasaran>,
        indikator: &mut Vec<Arc<Indikator>>,
    ) {
        if tree.is_null() {
            return;
        }
        let Some(mut m) = tree.as_map("an indicator file", self.diags) else {
            return;
        };
        if let Some(list) = m.opt("sasaran").and_then(|n| n.as_seq(self.diags)) {
            for item in list {
                if let Some(s) = self.sasaran(item) {
                    sasaran.push(s);
                }
            }
        }
        if let Some(list) = m.opt("indikator").and_then(|n| n.as_seq(self.diags)) {
            for item in list {
                if let Some(i) = self.indikator(item, true) {
                    indikator.push(Arc::new(i));
                }
            }
        }
        m.finish(FILE_KEYS, self.diags);
    }

    fn sasaran(&mut self, node: &Node) -> Option<Sasaran> {
        let mut m = node.as_map("a sasaran", self.diags)?;
        let id = m.req("id", self.diags).and_then(|n| n.as_text(self.diags));
        let nama = m
            .req("nama", self.diags)
            .and_then(|n| n.as_text(self.diags));
        let rumus = m
            .opt("rumus")
            .and_then(|n| n.as_text(self.diags))
            .map(RuleRef::from);
        let bulatkan = m.opt("bulatkan").and_then(|n| rounding(n, self.diags));
        let kategori = m.opt("kategori").and_then(|n| n.as_text(self.diags));
        let dicetak = dicetak(m.opt("dicetak"), PRINTED_SASARAN, self.diags);
        m.finish(SASARAN_KEYS, self.diags);
        Some(Sasaran {
            span: node.span,
            id: id?,
            nama: nama.map(|t| t.value).unwrap_or_default(),
            rumus,
            bulatkan,
            kategori,
            dicetak,
        })
    }

    fn indikator(&mut self, node: &Node, top_level: bool) -> Option<Indikator> {
        let what = if top_level {
            "an indikator"
        } else {
            "a komponen (IKK)"
        };
        let mut m = node.as_map(what, self.diags)?;
        let id = m.req("id", self.diags).and_then(|n| n.as_text(self.diags));
        let nama = m
            .req("nama", self.diags)
            .and_then(|n| n.as_text(self.diags));
        let sasaran = if top_level {
            m.req("sasaran", self.diags)
                .and_then(|n| n.as_text(self.diags))
        } else {
            None
        };
        let satuan = m
            .req("satuan", self.diags)
            .and_then(|n| n.as_text(self.diags));
        let polaritas = match m.opt("polaritas") {
            Some(n) => {
                choice(n, &Polaritas::NAMES, self.diags).and_then(|p| Polaritas::from_name(&p))
            }
            None => Some(Polaritas::Maksimal),
        };
        let target = match m.opt("target") {
            Some(n) => self.target(n),
            // `target:` written with no value is reported there, not as a missing target.
            None if top_level => Target {
                span: m.empty("target", self.diags),
                ..Target::default()
            },
            None => Target::default(),
        };
        let realisasi = if top_level {
            m.req("realisasi", self.diags)
                .and_then(|n| self.realisasi(n))
        } else {
            m.opt("realisasi").and_then(|n| self.realisasi(n))
        };
        let capaian = match m.opt("capaian") {
            Some(n) => self.capaian(n),
            None => CapaianSpec::default(),
        };
        let mut komponen = Vec::new();
        if let Some(list) = m.opt("komponen").and_then(|n| n.as_seq(self.diags)) {
            for item in list {
                if let Some(k) = self.indikator(item, false) {
                    komponen.push(k);
                }
            }
        }
        let dicetak = dicetak(m.opt("dicetak"), PRINTED_INDIKATOR, self.diags);
        let mut bukti = Vec::new();
        if let Some(list) = m.opt("bukti").and_then(|n| n.as_seq(self.diags)) {
            for item in list {
                if let Some(b) = self.bukti(item) {
                    bukti.push(b);
                }
            }
        }
        let mut tables = Vec::new();
        if let Some(list) = m.opt("tabel").and_then(|n| n.as_seq(self.diags)) {
            for item in list {
                if let Some(t) = tabel(item, self.diags) {
                    tables.push(t);
                }
            }
        }
        let catatan = m.opt_string("catatan", self.diags);
        let keys: Vec<&str> = INDIKATOR_KEYS
            .iter()
            .copied()
            .filter(|k| top_level || *k != "sasaran")
            .collect();
        let mut target = target;
        let suggested = m.finish(&keys, self.diags);
        // A misspelled `target` is reported once, as the typo, not again as a missing target.
        if target.span.is_none()
            && let Some((_, span)) = suggested.into_iter().find(|(k, _)| k == "target")
        {
            target.span = Some(span);
        }
        // An indikator left out for its errors still counts as naming its sasaran.
        if let Some(s) = &sasaran
            && (id.is_none()
                || satuan.is_none()
                || polaritas.is_none()
                || (top_level && realisasi.is_none()))
        {
            self.dropped_refs.push(s.value.clone());
        }
        Some(Indikator {
            span: node.span,
            id: id?,
            nama: nama.map(|t| t.value).unwrap_or_default(),
            sasaran: if top_level { Some(sasaran?) } else { None },
            satuan: satuan?.value,
            polaritas: polaritas?,
            target,
            realisasi,
            capaian,
            komponen,
            dicetak,
            bukti,
            tabel: tables,
            catatan,
        })
    }

    fn target(&mut self, node: &Node) -> Target {
        let mut target = Target {
            span: Some(node.span),
            ..Target::default()
        };
        // `target: 91` is shorthand for the PK target of the manifest's year.
        if matches!(
            node.kind,
            NodeKind::Number(_) | NodeKind::Str(_) | NodeKind::Reported
        ) {
            target.pk = node.as_num(self.diags);
            return target;
        }
        if !matches!(node.kind, NodeKind::Map(_)) {
            self.diags.push(
                Diagnostic::error(
                    Code::WrongType,
                    format!(
                        "a target is a number or a mapping, not {}",
                        node.kind.describe()
                    ),
                )
                .at(node.span, "not a target")
                .hint("write `target: 90`, or `target: {pk: 90, renstra: {2022: 90, 2024: 95}}`"),
            );
            return target;
        }
        let Some(mut m) = node.as_map("target", self.diags) else {
            return target;
        };
        target.pk = m.opt("pk").and_then(|n| n.as_num(self.diags));
        if let Some(r) = m.opt("renstra")
            && let Some(mut years) = r.as_map("target.renstra", self.diags)
        {
            for (key, value) in years.rest() {
                let Ok(year) = key.name.parse::<i32>() else {
                    self.diags.push(
                            Diagnostic::error(Code::WrongType, format!("`{}` is not a year", key.name))
                                .at(key.span, "expected a year such as 2024")
                                .hint("Renstra targets are written per year: `renstra: {2022: 91, 2024: 95}`"),
                        );
                    continue;
                };
                if let Some(n) = value.as_num(self.diags) {
                    target.renstra.insert(year, n);
                }
            }
        }
        m.finish(TARGET_KEYS, self.diags);
        target
    }

    fn realisasi(&mut self, node: &Node) -> Option<Realisasi> {
        // `realisasi: 99.25` is shorthand for a given value.
        if matches!(
            node.kind,
            NodeKind::Number(_) | NodeKind::Str(_) | NodeKind::Reported
        ) {
            return Some(Realisasi {
                sumber: SumberRealisasi::Nilai(node.as_num(self.diags)?),
                bulatkan: None,
                kategori: None,
                span: node.span,
            });
        }
        let mut m = node.as_map("realisasi", self.diags)?;
        let nilai = m.opt("nilai").map(|n| (n, n.as_num(self.diags)));
        let rumus = m.opt("rumus").and_then(|n| n.as_text(self.diags));
        self.input_failed = false;
        let masukan = m.opt("masukan").map(|n| self.input(n));
        // Inputs with unreadable numbers are reported; the rule is not run on them.
        let unreadable = std::mem::take(&mut self.input_failed);
        let bulatkan = m.opt("bulatkan").and_then(|n| rounding(n, self.diags));
        let kategori = m.opt("kategori").and_then(|n| n.as_text(self.diags));
        m.finish(REALISASI_KEYS, self.diags);
        let sumber = match (nilai, rumus) {
            (Some((_, value)), None) => SumberRealisasi::Nilai(value?),
            (None, Some(rumus)) => {
                if unreadable {
                    return None;
                }
                let Some(masukan) = masukan else {
                    self.diags.push(
                        Diagnostic::error(Code::MissingKey, format!("rule `{}` has no inputs", rumus.value))
                            .at(rumus.span, "computed by this rule")
                            .hint("add `masukan:` with the values the rule needs, e.g. `masukan: {n: 330, t: 370}`"),
                    );
                    return None;
                };
                SumberRealisasi::Rumus {
                    rumus: rumus.into(),
                    masukan,
                }
            }
            (Some((n, _)), Some(_)) => {
                self.diags.push(
                    Diagnostic::error(Code::WrongType, "realisasi has both `nilai` and `rumus`")
                        .at(n.span, "a given value")
                        .hint("keep `nilai` for a figure of record, or `rumus` + `masukan` to compute it; move the other under `bukti:`"),
                );
                return None;
            }
            (None, None) => {
                self.diags.push(
                    Diagnostic::error(Code::MissingKey, "realisasi needs `nilai` or `rumus`")
                        .at(node.span, "neither is given")
                        .hint("write `realisasi: 99.25`, or `realisasi: {rumus: rasio, masukan: {n: 330, t: 370}}`"),
                );
                return None;
            }
        };
        Some(Realisasi {
            sumber,
            bulatkan,
            kategori,
            span: node.span,
        })
    }

    fn capaian(&mut self, node: &Node) -> CapaianSpec {
        let mut spec = CapaianSpec::default();
        let Some(mut m) = node.as_map("capaian", self.diags) else {
            return spec;
        };
        spec.rumus = m
            .opt("rumus")
            .and_then(|n| n.as_text(self.diags))
            .map(RuleRef::from);
        spec.bulatkan = m.opt("bulatkan").and_then(|n| rounding(n, self.diags));
        spec.kategori = m.opt("kategori").and_then(|n| n.as_text(self.diags));
        m.finish(CAPAIAN_KEYS, self.diags);
        spec
    }

    fn bukti(&mut self, node: &Node) -> Option<Bukti> {
        let mut m = node.as_map("bukti", self.diags)?;
        let keterangan = m.opt_string("keterangan", self.diags);
        let rumus = m
            .req("rumus", self.diags)
            .and_then(|n| n.as_text(self.diags));
        let masukan = m.req("masukan", self.diags).map(|n| self.input(n));
        let diketahui = m.opt_string("diketahui", self.diags);
        m.finish(BUKTI_KEYS, self.diags);
        Some(Bukti {
            keterangan,
            diketahui,
            rumus: rumus?.into(),
            masukan: masukan?,
            span: node.span,
        })
    }

    /// Rule inputs: any nesting of numbers, text, lists and mappings.
    fn input(&mut self, node: &Node) -> Input {
        input(node, self.diags, &mut self.input_failed)
    }
}

/// Rule inputs: any nesting of numbers, text, lists and mappings. `failed` is set when a
/// value could not be read (and reported).
pub(super) fn input(node: &Node, diags: &mut Diagnostics, failed: &mut bool) -> Input {
    match &node.kind {
        NodeKind::Seq(items) => Input::List(
            items.iter().map(|i| input(i, diags, failed)).collect(),
            node.span,
        ),
        NodeKind::Map(entries) => Input::Map(
            entries
                .iter()
                .map(|(k, v)| (CompactString::from(&*k.name), input(v, diags, failed)))
                .collect(),
            node.span,
        ),
        NodeKind::Number(_) => match node.as_num(diags) {
            Some(n) => Input::Num(n),
            None => {
                *failed = true;
                Input::Text(Text {
                    value: String::new(),
                    span: node.span,
                })
            }
        },
        NodeKind::Str(s) => match parse_plain(s) {
            Ok(value) => Input::Num(Num {
                value,
                span: node.span,
                decimals: written_decimals(s),
            }),
            // Text that reads as a number in a display format (`1.234,5`, `93.6%`) is
            // almost always a mistake: reported as the number format it is.
            Err(NumberError::NotPlain { .. }) => {
                node.as_num(diags);
                *failed = true;
                Input::Text(Text {
                    value: s.to_string(),
                    span: node.span,
                })
            }
            Err(NumberError::NotANumber) => Input::Text(Text {
                value: s.to_string(),
                span: node.span,
            }),
        },
        // Its mistake is reported already.
        NodeKind::Reported => {
            *failed = true;
            Input::Text(Text {
                value: String::new(),
                span: node.span,
            })
        }
        NodeKind::Bool(_) | NodeKind::Null => {
            *failed = true;
            diags.push(
                Diagnostic::error(
                    Code::WrongType,
                    format!(
                        "a rule input must be a number, text, list or mapping, not {}",
                        node.kind.describe()
                    ),
                )
                .at(node.span, "unusable input"),
            );
            Input::Text(Text {
                value: String::new(),
                span: node.span,
            })
        }
    }
}
