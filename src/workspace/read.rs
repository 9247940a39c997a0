//! Reading the typed model out of spanned YAML trees, one file kind at a time.
//! Each reader reports every problem it sees and keeps going with what is usable.

use crate::budget::lines::Aggregate;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::model::*;
use crate::number::{Locale, Rounding, RoundingMode};
use crate::source::{FileId, Span};
use crate::yaml::{MapReader, Node, NodeKind, Num, Text};
use compact_str::CompactString;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub struct Reader<'d> {
    diags: &'d mut Diagnostics,
    /// The workspace root, for files that YAML files point to.
    root: std::path::PathBuf,
    /// Rows of budget CSVs that cannot be read are warnings, not errors.
    allow_bad_rows: bool,
    /// Sasaran named by indikator that were left out for their errors.
    pub dropped_refs: Vec<String>,
    /// Set while reading rule inputs when a number in them cannot be read.
    input_failed: bool,
    /// Budget lines aggregated in an earlier run, by path, size and modification time.
    pub lines_cache: Option<&'d mut LinesCache>,
}

pub type LinesCache = std::collections::HashMap<
    (std::path::PathBuf, u64, Option<std::time::SystemTime>),
    std::sync::Arc<Aggregate>,
>;

const MANIFEST_KEYS: &[&str] = &[
    "organisasi",
    "instansi",
    "tahun",
    "tampilan",
    "pembulatan",
    "rumus",
    "dicetak",
    "pustaka_rumus",
];
const TAMPILAN_KEYS: &[&str] = &["desimal", "mode", "format"];
const STAGES: &[&str] = &["realisasi", "capaian", "capaian_sasaran", "nilai_kinerja"];
const RUMUS_KEYS: &[&str] = &[
    "capaian",
    "capaian_sasaran",
    "nilai_kinerja",
    "persen_anggaran",
    "sisa_anggaran",
];
const ROUNDING_KEYS: &[&str] = &["desimal", "mode"];
const FILE_KEYS: &[&str] = &["sasaran", "indikator"];
const SASARAN_KEYS: &[&str] = &["id", "nama", "rumus", "bulatkan", "dicetak"];
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
const REALISASI_KEYS: &[&str] = &["nilai", "rumus", "masukan", "bulatkan"];
const CAPAIAN_KEYS: &[&str] = &["rumus", "bulatkan"];
const BUKTI_KEYS: &[&str] = &["keterangan", "rumus", "masukan", "diketahui"];
const CSV_KEYS: &[&str] = &["file", "kolom", "pemisah", "format_angka"];
const CSV_COLUMN_KEYS: &[&str] = &["kegiatan", "akun", "pagu", "realisasi"];
const BUDGET_KEYS: &[&str] = &[
    "rincian_csv",
    "program",
    "kegiatan",
    "jenis_belanja",
    "rincian",
    "riwayat",
    "dicetak",
];
const BARIS_KEYS: &[&str] = &["kode", "nama", "pagu", "realisasi", "dicetak"];
const RINCIAN_KEYS: &[&str] = &["kegiatan", "jenis_belanja", "pagu", "realisasi"];
const RIWAYAT_KEYS: &[&str] = &["tahun", "pagu", "realisasi", "persen"];

/// The keys a `dicetak:` mapping may hold, by where it stands.
pub const PRINTED_INDIKATOR: &[&str] =
    &["target", "realisasi", "capaian", "capaian_jangka_menengah"];
pub const PRINTED_SASARAN: &[&str] = &["capaian"];
pub const PRINTED_MANIFEST: &[&str] = &[
    "nilai_kinerja",
    "rata_rata_capaian_indikator",
    "jumlah_sasaran",
    "jumlah_indikator",
    "jumlah_indikator_tercapai",
    "jumlah_indikator_belum_tercapai",
    "persen_indikator_tercapai",
    "persen_indikator_belum_tercapai",
];
/// Keys a printing may carry besides its figures.
const PRINTING_KEYS: &[&str] = &["sumber", "diketahui"];
const TABEL_KEYS: &[&str] = &["nama", "sumber", "baris", "jumlah", "diketahui"];
pub const PRINTED_BUDGET: &[&str] = &["pagu", "realisasi", "persen", "sisa"];

impl<'d> Reader<'d> {
    pub fn new(diags: &'d mut Diagnostics, root: &std::path::Path, allow_bad_rows: bool) -> Self {
        Reader {
            diags,
            root: root.to_path_buf(),
            allow_bad_rows,
            dropped_refs: Vec::new(),
            input_failed: false,
            lines_cache: None,
        }
    }

    pub fn diags(&mut self) -> &mut Diagnostics {
        self.diags
    }

    pub fn manifest(&mut self, tree: Option<&Node>, file: FileId) -> Manifest {
        let mut manifest = Manifest {
            organisasi: String::new(),
            instansi: None,
            tahun: 0,
            tampilan: Tampilan {
                rounding: Rounding::half_up(2),
                locale: Locale::En,
            },
            pembulatan: Pembulatan::default(),
            rumus: default_rules(),
            dicetak: Dicetak::default(),
            pustaka_rumus: Vec::new(),
        };
        let Some(tree) = tree else { return manifest };
        if tree.is_null() {
            self.diags.push(
                Diagnostic::error(Code::Workspace, "kinerja.yaml is empty")
                    .at(Span::new(file, 0, 0), "empty file")
                    .hint("give at least `organisasi:` and `tahun:`"),
            );
            return manifest;
        }
        let Some(mut m) = tree.as_map("kinerja.yaml", self.diags) else {
            return manifest;
        };
        if let Some(t) = m
            .req("organisasi", self.diags)
            .and_then(|n| n.as_text(self.diags))
        {
            manifest.organisasi = t.value;
        }
        manifest.instansi = m
            .opt("instansi")
            .and_then(|n| n.as_text(self.diags))
            .map(|t| t.value);
        if let Some((year, _)) = m.req("tahun", self.diags).and_then(|n| self.year(n)) {
            manifest.tahun = year;
        }
        if let Some(n) = m.opt("tampilan")
            && let Some(mut t) = n.as_map("tampilan", self.diags)
        {
            if let Some((d, _)) = t.opt("desimal").and_then(|n| self.small_int(n)) {
                manifest.tampilan.rounding.decimals = d;
            }
            if let Some(mode) = t.opt("mode").and_then(|n| self.rounding_mode(n)) {
                manifest.tampilan.rounding.mode = mode;
            }
            if let Some(f) = t.opt("format").and_then(|n| self.choice(n, &["en", "id"])) {
                manifest.tampilan.locale = if f == "id" { Locale::Id } else { Locale::En };
            }
            t.finish(TAMPILAN_KEYS, self.diags);
        }
        if let Some(n) = m.opt("pembulatan")
            && let Some(mut p) = n.as_map("pembulatan", self.diags)
        {
            manifest.pembulatan.realisasi = p.opt("realisasi").and_then(|n| self.rounding(n));
            manifest.pembulatan.capaian = p.opt("capaian").and_then(|n| self.rounding(n));
            manifest.pembulatan.capaian_sasaran =
                p.opt("capaian_sasaran").and_then(|n| self.rounding(n));
            manifest.pembulatan.nilai_kinerja =
                p.opt("nilai_kinerja").and_then(|n| self.rounding(n));
            p.finish(STAGES, self.diags);
        }
        if let Some(n) = m.opt("rumus") {
            self.default_rules(n, &mut manifest.rumus);
        }
        manifest.dicetak = self.dicetak(m.opt("dicetak"), PRINTED_MANIFEST);
        if let Some(n) = m.opt("pustaka_rumus") {
            manifest.pustaka_rumus = match &n.kind {
                NodeKind::Seq(items) => {
                    items.iter().filter_map(|i| i.as_text(self.diags)).collect()
                }
                _ => n.as_text(self.diags).into_iter().collect(),
            };
        }
        m.finish(MANIFEST_KEYS, self.diags);
        manifest
    }

    fn default_rules(&mut self, node: &Node, rules: &mut RumusBawaan) {
        let Some(mut r) = node.as_map("rumus", self.diags) else {
            return;
        };
        if let Some(c) = r.opt("capaian")
            && let Some(mut cm) = c.as_map("rumus.capaian", self.diags)
        {
            for polaritas in Polaritas::NAMES {
                if let Some(t) = cm.opt(polaritas).and_then(|n| n.as_text(self.diags))
                    && let Some(p) = Polaritas::from_name(polaritas)
                {
                    rules.capaian.insert(p, t.into());
                }
            }
            cm.finish(&Polaritas::NAMES, self.diags);
        }
        let set = |key: &str, slot: &mut RuleRef, r: &mut MapReader, diags: &mut Diagnostics| {
            if let Some(t) = r.opt(key).and_then(|n| n.as_text(diags)) {
                *slot = t.into();
            }
        };
        set(
            "capaian_sasaran",
            &mut rules.capaian_sasaran,
            &mut r,
            self.diags,
        );
        set(
            "nilai_kinerja",
            &mut rules.nilai_kinerja,
            &mut r,
            self.diags,
        );
        set(
            "persen_anggaran",
            &mut rules.persen_anggaran,
            &mut r,
            self.diags,
        );
        set(
            "sisa_anggaran",
            &mut rules.sisa_anggaran,
            &mut r,
            self.diags,
        );
        r.finish(RUMUS_KEYS, self.diags);
    }

    pub fn indicator_file(
        &mut self,
        tree: &Node,
        sasaran: &mut Vec<Sasaran>,
        indikator: &mut Vec<std::sync::Arc<Indikator>>,
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
                    indikator.push(std::sync::Arc::new(i));
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
        let bulatkan = m.opt("bulatkan").and_then(|n| self.rounding(n));
        let dicetak = self.dicetak(m.opt("dicetak"), PRINTED_SASARAN);
        m.finish(SASARAN_KEYS, self.diags);
        Some(Sasaran {
            span: node.span,
            id: id?,
            nama: nama.map(|t| t.value).unwrap_or_default(),
            rumus,
            bulatkan,
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
            Some(n) => self
                .choice(n, &Polaritas::NAMES)
                .and_then(|p| Polaritas::from_name(&p)),
            None => Some(Polaritas::Maksimal),
        };
        let target = match m.opt("target") {
            Some(n) => self.target(n),
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
        let dicetak = self.dicetak(m.opt("dicetak"), PRINTED_INDIKATOR);
        let mut bukti = Vec::new();
        if let Some(list) = m.opt("bukti").and_then(|n| n.as_seq(self.diags)) {
            for item in list {
                if let Some(b) = self.bukti(item) {
                    bukti.push(b);
                }
            }
        }
        let mut tabel = Vec::new();
        if let Some(list) = m.opt("tabel").and_then(|n| n.as_seq(self.diags)) {
            for item in list {
                if let Some(t) = self.tabel(item) {
                    tabel.push(t);
                }
            }
        }
        let catatan = m
            .opt("catatan")
            .and_then(|n| n.as_text(self.diags))
            .map(|t| t.value);
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
            tabel,
            catatan,
        })
    }

    fn target(&mut self, node: &Node) -> Target {
        let mut target = Target {
            span: Some(node.span),
            ..Target::default()
        };
        // `target: 91` is shorthand for the PK target of the manifest's year.
        if matches!(node.kind, NodeKind::Number(_) | NodeKind::Str(_)) {
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
        if matches!(node.kind, NodeKind::Number(_) | NodeKind::Str(_)) {
            return Some(Realisasi {
                sumber: SumberRealisasi::Nilai(node.as_num(self.diags)?),
                bulatkan: None,
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
        let bulatkan = m.opt("bulatkan").and_then(|n| self.rounding(n));
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
        spec.bulatkan = m.opt("bulatkan").and_then(|n| self.rounding(n));
        m.finish(CAPAIAN_KEYS, self.diags);
        spec
    }

    fn bukti(&mut self, node: &Node) -> Option<Bukti> {
        let mut m = node.as_map("bukti", self.diags)?;
        let keterangan = m
            .opt("keterangan")
            .and_then(|n| n.as_text(self.diags))
            .map(|t| t.value);
        let rumus = m
            .req("rumus", self.diags)
            .and_then(|n| n.as_text(self.diags));
        let masukan = m.req("masukan", self.diags).map(|n| self.input(n));
        let diketahui = m
            .opt("diketahui")
            .and_then(|n| n.as_text(self.diags))
            .map(|t| t.value);
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
        match &node.kind {
            NodeKind::Seq(items) => {
                Input::List(items.iter().map(|i| self.input(i)).collect(), node.span)
            }
            NodeKind::Map(entries) => Input::Map(
                entries
                    .iter()
                    .map(|(k, v)| (CompactString::from(&*k.name), self.input(v)))
                    .collect(),
                node.span,
            ),
            NodeKind::Number(_) => match node.as_num(self.diags) {
                Some(n) => Input::Num(n),
                None => {
                    self.input_failed = true;
                    Input::Text(Text {
                        value: String::new(),
                        span: node.span,
                    })
                }
            },
            NodeKind::Str(s) => {
                // Text that looks like a display-format number is almost always a mistake.
                if crate::number::parse_indonesian(s).is_some()
                    && s.chars().any(|c| c == ',' || c == '.')
                {
                    node.as_num(self.diags);
                    self.input_failed = true;
                }
                match crate::number::parse_plain(s) {
                    Ok(value) => Input::Num(Num {
                        value,
                        span: node.span,
                        decimals: crate::number::written_decimals(s),
                    }),
                    Err(_) => Input::Text(Text {
                        value: s.to_string(),
                        span: node.span,
                    }),
                }
            }
            NodeKind::Bool(_) | NodeKind::Null => {
                self.input_failed = true;
                self.diags.push(
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

    /// `file_dir` is the budget file's folder, relative to the workspace root.
    pub fn budget_file(&mut self, tree: &Node, file_dir: &str, anggaran: &mut Anggaran) {
        if tree.is_null() {
            return;
        }
        let Some(mut m) = tree.as_map("a budget file", self.diags) else {
            return;
        };
        if let Some(t) = m.opt("program").and_then(|n| n.as_text(self.diags)) {
            anggaran.program = Some(t.value);
        }
        // Line data first: the rows below may take their amounts from it.
        let mut lines: Vec<(Aggregate, Span)> = Vec::new();
        if let Some(n) = m.opt("rincian_csv") {
            let specs: Vec<&Node> = match &n.kind {
                NodeKind::Seq(items) => items.iter().collect(),
                _ => vec![n],
            };
            for spec in specs {
                if let Some(agg) = self.csv(spec, file_dir) {
                    lines.push((agg, spec.span));
                }
            }
        }
        for (key, target) in [
            ("kegiatan", &mut anggaran.kegiatan),
            ("jenis_belanja", &mut anggaran.jenis_belanja),
        ] {
            let mut drafts = Vec::new();
            if let Some(list) = m.opt(key).and_then(|n| n.as_seq(self.diags)) {
                for item in list {
                    if let Some(row) = self.baris(item, key, !lines.is_empty()) {
                        drafts.push(row);
                    }
                }
            }
            target.extend(self.complete_rows(drafts, key, &lines));
        }
        for (agg, span) in &lines {
            let mut groups: Vec<_> = agg.groups.iter().collect();
            groups.sort_by(|a, b| a.0.cmp(b.0));
            for ((kegiatan, jenis), sums) in groups {
                let text = |v: &str| Text {
                    value: v.to_string(),
                    span: *span,
                };
                anggaran.rincian.push(Rincian {
                    kegiatan: text(kegiatan),
                    jenis_belanja: text(jenis),
                    pagu: num(sums.pagu, *span),
                    realisasi: num(sums.realisasi, *span),
                });
            }
        }
        if let Some(list) = m.opt("rincian").and_then(|n| n.as_seq(self.diags)) {
            for item in list {
                if let Some(r) = self.rincian(item) {
                    anggaran.rincian.push(r);
                }
            }
        }
        if let Some(list) = m.opt("riwayat").and_then(|n| n.as_seq(self.diags)) {
            for item in list {
                if let Some(r) = self.riwayat(item) {
                    anggaran.riwayat.push(r);
                }
            }
        }
        let dicetak = self.dicetak(m.opt("dicetak"), PRINTED_BUDGET);
        anggaran.dicetak_total.figures.extend(dicetak.figures);
        m.finish(BUDGET_KEYS, self.diags);
    }

    /// Rows as written, with amounts they omit taken from the line data, plus a row for
    /// every kegiatan or jenis belanja the line data has and the file does not name.
    fn complete_rows(
        &mut self,
        drafts: Vec<BarisDraft>,
        table: &str,
        lines: &[(Aggregate, Span)],
    ) -> Vec<BarisAnggaran> {
        let mut sums: BTreeMap<String, (Decimal, Decimal, Span)> = BTreeMap::new();
        for (agg, span) in lines {
            for ((kegiatan, jenis), s) in &agg.groups {
                let key = if table == "kegiatan" { kegiatan } else { jenis };
                let e = sums
                    .entry(key.clone())
                    .or_insert((Decimal::ZERO, Decimal::ZERO, *span));
                // Beyond the decimal range the line data is reported as overflowing.
                e.0 = e.0.checked_add(s.pagu).unwrap_or(e.0);
                e.1 = e.1.checked_add(s.realisasi).unwrap_or(e.1);
            }
        }
        let mut out = Vec::new();
        for d in drafts {
            let key = d
                .kode
                .as_ref()
                .map_or(d.nama.value.clone(), |k| k.value.clone());
            let from_lines = sums.remove(&key);
            let (pagu, realisasi) = match (d.pagu, d.realisasi, from_lines) {
                (Some(p), Some(r), _) => (p, r),
                (p, r, Some((lp, lr, span))) => {
                    (p.unwrap_or(num(lp, span)), r.unwrap_or(num(lr, span)))
                }
                (_, _, None) => {
                    self.diags.push(
                        Diagnostic::error(Code::MissingKey, format!("{table} `{key}` has no pagu and realisasi"))
                            .at(d.span, "no amounts here, and no lines for it in the CSV")
                            .hint("give `pagu` and `realisasi`, or check the code against the CSV's column"),
                    );
                    continue;
                }
            };
            out.push(BarisAnggaran {
                kode: d.kode,
                nama: d.nama,
                pagu,
                realisasi,
                dicetak: d.dicetak,
            });
        }
        // Codes only the line data knows, in code order.
        for (code, (pagu, realisasi, span)) in sums {
            let nama = if table == "jenis_belanja" {
                crate::budget::jenis_belanja_name(&code)
                    .unwrap_or_default()
                    .to_string()
            } else {
                code.clone()
            };
            out.push(BarisAnggaran {
                kode: Some(Text { value: code, span }),
                nama: Text { value: nama, span },
                pagu: num(pagu, span),
                realisasi: num(realisasi, span),
                dicetak: Dicetak::default(),
            });
        }
        out
    }

    /// Reads and aggregates one `rincian_csv` source.
    fn csv(&mut self, node: &Node, file_dir: &str) -> Option<Aggregate> {
        use crate::budget::lines::{Columns, NumberFormat, Options};
        let mut m = node.as_map("rincian_csv", self.diags)?;
        let file = m
            .req("file", self.diags)
            .and_then(|n| n.as_text(self.diags));
        let mut columns = Columns::default();
        if let Some(mut k) = m
            .opt("kolom")
            .and_then(|n| n.as_map("rincian_csv.kolom", self.diags))
        {
            for (key, slot) in [
                ("kegiatan", &mut columns.kegiatan),
                ("akun", &mut columns.akun),
                ("pagu", &mut columns.pagu),
                ("realisasi", &mut columns.realisasi),
            ] {
                if let Some(t) = k.opt(key).and_then(|n| n.as_text(self.diags)) {
                    *slot = t.value;
                }
            }
            k.finish(CSV_COLUMN_KEYS, self.diags);
        }
        let mut delimiter = None;
        if let Some(t) = m.opt("pemisah").and_then(|n| n.as_text(self.diags)) {
            delimiter = match t.value.as_str() {
                ";" => Some(b';'),
                "," => Some(b','),
                "tab" => Some(b'\t'),
                other => {
                    self.diags.push(
                        Diagnostic::error(
                            Code::WrongType,
                            format!("`{other}` is not a delimiter kinerja reads"),
                        )
                        .at(t.span, "unknown delimiter")
                        .hint(
                            "write `;`, `,` or `tab`, or leave it out to detect it from the header",
                        ),
                    );
                    return None;
                }
            };
        }
        let format = match m.opt("format_angka") {
            Some(n) => match self.choice(n, &["id", "plain"])?.as_str() {
                "plain" => NumberFormat::Plain,
                _ => NumberFormat::Indonesian,
            },
            None => NumberFormat::Indonesian,
        };
        m.finish(CSV_KEYS, self.diags);
        let file = file?;
        let rel = if file_dir.is_empty() {
            file.value.clone()
        } else {
            format!("{file_dir}/{}", file.value)
        };
        let started = std::time::Instant::now();
        let options = Options {
            columns,
            delimiter,
            format,
        };
        let path = self.root.join(&rel);
        let key = std::fs::metadata(&path)
            .ok()
            .map(|m| (path.clone(), m.len(), m.modified().ok()));
        let cached = key
            .as_ref()
            .and_then(|k| self.lines_cache.as_deref().and_then(|c| c.get(k)))
            .map(|a| Aggregate::clone(a));
        let workbook = ["xlsx", "xlsm", "xls", "xlsb", "ods"].iter().any(|e| {
            path.extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| x.eq_ignore_ascii_case(e))
        });
        let result = match cached {
            Some(agg) => Ok(agg),
            None if workbook => read_workbook(&path, &options),
            None => crate::budget::lines::aggregate_file(&path, &options),
        };
        let agg = match result {
            Ok(agg) => {
                if let (Some(c), Some(k)) = (self.lines_cache.as_deref_mut(), key) {
                    c.retain(|(p, _, _), _| p != &k.0);
                    c.insert(k, std::sync::Arc::new(agg.clone()));
                }
                agg
            }
            Err(e) => {
                self.diags.push(
                    Diagnostic::error(Code::Io, format!("{rel}: {e}"))
                        .at(file.span, "the budget lines named here")
                        .hint("check the file name, its header line and the `kolom` mapping"),
                );
                return None;
            }
        };
        tracing::debug!(file = %rel, rows = agg.rows, groups = agg.groups.len(), elapsed = ?started.elapsed(), "budget lines aggregated");
        let severity = |d: Diagnostic| {
            if self.allow_bad_rows {
                Diagnostic {
                    severity: crate::diagnostic::Severity::Warning,
                    ..d
                }
                .hint("this line is left out (--allow-bad-rows)")
            } else {
                d.hint("fix the line in the export, or run with --allow-bad-rows to leave bad lines out")
            }
        };
        let mut found = Vec::new();
        for bad in &agg.bad {
            let place = crate::diagnostic::Place {
                file: rel.clone(),
                line: bad.line,
                column: bad.column,
            };
            found.push(severity(
                Diagnostic::error(Code::BadRow, format!("bad budget line: {}", bad.message))
                    .at_place(place),
            ));
        }
        if agg.more_bad > 0 {
            let total = agg.bad.len() as u64 + agg.more_bad;
            found.push(severity(
                Diagnostic::error(
                    Code::BadRow,
                    format!(
                        "{rel}: {} more bad lines not listed ({total} in all)",
                        agg.more_bad
                    ),
                )
                .at(file.span, "these budget lines"),
            ));
        }
        if agg.overflowed {
            found.push(
                Diagnostic::error(
                    Code::OutOfRange,
                    format!("{rel}: the sums grow beyond the largest exact number"),
                )
                .at(file.span, "these budget lines")
                .hint("an amount is mistyped (too many digits)"),
            );
        }
        self.diags.extend(found);
        Some(agg)
    }

    /// A kegiatan or jenis belanja row; with line data, its amounts may be left out.
    fn baris(&mut self, node: &Node, table: &str, has_lines: bool) -> Option<BarisDraft> {
        let what = if table == "kegiatan" {
            "a kegiatan"
        } else {
            "a jenis belanja"
        };
        let mut m = node.as_map(what, self.diags)?;
        let kode = m.opt("kode").and_then(|n| n.as_text(self.diags));
        let nama = m.opt("nama").and_then(|n| n.as_text(self.diags));
        let amount = |m: &mut MapReader, key: &str, diags: &mut Diagnostics| {
            if has_lines {
                m.opt(key)
            } else {
                m.req(key, diags)
            }
            .and_then(|n| n.as_num(diags))
        };
        let pagu = amount(&mut m, "pagu", self.diags);
        let realisasi = amount(&mut m, "realisasi", self.diags);
        let dicetak = self.dicetak(m.opt("dicetak"), PRINTED_BUDGET);
        m.finish(BARIS_KEYS, self.diags);
        if !has_lines && (pagu.is_none() || realisasi.is_none()) {
            return None;
        }
        // A jenis belanja's name follows from its code; anything else needs a name, unless
        // line data supplies the row (its code is its name then).
        let known = kode
            .as_ref()
            .filter(|_| table == "jenis_belanja")
            .and_then(|k| crate::budget::jenis_belanja_name(&k.value).map(|n| (n, k.span)));
        let nama = match (nama, known, &kode) {
            (Some(n), _, _) => n,
            (None, Some((n, span)), _) => Text {
                value: n.to_string(),
                span,
            },
            (None, None, Some(k)) if has_lines => k.clone(),
            (None, None, _) => {
                self.diags.push(
                    Diagnostic::error(
                        Code::MissingKey,
                        format!("{what} needs `nama` (or a known `kode`)"),
                    )
                    .at(node.span, "neither is given")
                    .hint(
                        "add `nama:`; a jenis belanja may give just its 2-digit `kode` (51 … 58)",
                    ),
                );
                return None;
            }
        };
        Some(BarisDraft {
            kode,
            nama,
            pagu,
            realisasi,
            dicetak,
            span: node.span,
        })
    }

    fn rincian(&mut self, node: &Node) -> Option<Rincian> {
        let mut m = node.as_map("a rincian line", self.diags)?;
        let kegiatan = m
            .req("kegiatan", self.diags)
            .and_then(|n| n.as_text(self.diags));
        let jenis_belanja = m
            .req("jenis_belanja", self.diags)
            .and_then(|n| n.as_text(self.diags));
        let pagu = m.req("pagu", self.diags).and_then(|n| n.as_num(self.diags));
        let realisasi = m
            .req("realisasi", self.diags)
            .and_then(|n| n.as_num(self.diags));
        m.finish(RINCIAN_KEYS, self.diags);
        Some(Rincian {
            kegiatan: kegiatan?,
            jenis_belanja: jenis_belanja?,
            pagu: pagu?,
            realisasi: realisasi?,
        })
    }

    fn riwayat(&mut self, node: &Node) -> Option<Riwayat> {
        let mut m = node.as_map("a riwayat row", self.diags)?;
        let tahun = m.req("tahun", self.diags).and_then(|n| self.year(n));
        let pagu = m.opt("pagu").and_then(|n| n.as_num(self.diags));
        let realisasi = m.opt("realisasi").and_then(|n| n.as_num(self.diags));
        let persen = m.opt("persen").and_then(|n| n.as_num(self.diags));
        m.finish(RIWAYAT_KEYS, self.diags);
        if persen.is_none() && (pagu.is_none() || realisasi.is_none()) {
            self.diags.push(
                Diagnostic::error(
                    Code::MissingKey,
                    "a riwayat row needs `persen`, or `pagu` and `realisasi`",
                )
                .at(node.span, "not enough to show this year")
                .hint("add `persen: 98.5` or both amounts"),
            );
            return None;
        }
        Some(Riwayat {
            tahun: tahun?.0,
            pagu,
            realisasi,
            persen,
            span: node.span,
        })
    }

    /// `dicetak: {capaian: 93.42}`, or a list of printings, each with its own `sumber`
    /// and, for a known disagreement, `diketahui`.
    fn dicetak(&mut self, node: Option<&Node>, keys: &[&str]) -> Dicetak {
        let mut out = Dicetak::default();
        let Some(node) = node else { return out };
        match &node.kind {
            NodeKind::Seq(items) => {
                for item in items {
                    self.printing(item, keys, &mut out);
                }
            }
            _ => self.printing(node, keys, &mut out),
        }
        out
    }

    fn printing(&mut self, node: &Node, keys: &[&str], out: &mut Dicetak) {
        let Some(mut m) = node.as_map("dicetak", self.diags) else {
            return;
        };
        let sumber = m
            .opt("sumber")
            .and_then(|n| n.as_text(self.diags))
            .map(|t| t.value);
        let diketahui = m
            .opt("diketahui")
            .and_then(|n| n.as_text(self.diags))
            .map(|t| t.value);
        for key in keys {
            if let Some(n) = m.opt(key)
                && let Some(nilai) = n.as_num(self.diags)
            {
                let span = m.key_span(key).unwrap_or(n.span);
                out.figures.push(Cetakan {
                    ukuran: Text {
                        value: key.to_string(),
                        span,
                    },
                    nilai,
                    sumber: sumber.clone(),
                    diketahui: diketahui.clone(),
                });
            }
        }
        let all: Vec<&str> = keys.iter().chain(PRINTING_KEYS).copied().collect();
        m.finish(&all, self.diags);
    }

    fn tabel(&mut self, node: &Node) -> Option<Tabel> {
        let mut m = node.as_map("a tabel", self.diags)?;
        let nama = m
            .req("nama", self.diags)
            .and_then(|n| n.as_text(self.diags));
        let sumber = m
            .opt("sumber")
            .and_then(|n| n.as_text(self.diags))
            .map(|t| t.value);
        let diketahui = m
            .opt("diketahui")
            .and_then(|n| n.as_text(self.diags))
            .map(|t| t.value);
        let mut baris = Vec::new();
        if let Some(rows) = m
            .req("baris", self.diags)
            .and_then(|n| n.as_seq(self.diags))
        {
            for row in rows {
                let Some(mut r) = row.as_map("a tabel row", self.diags) else {
                    continue;
                };
                let nama = r
                    .opt("nama")
                    .and_then(|n| n.as_text(self.diags))
                    .map(|t| t.value)
                    .unwrap_or_default();
                let nilai = r
                    .rest()
                    .into_iter()
                    .filter_map(|(k, v)| v.as_num(self.diags).map(|n| (k.name.to_string(), n)))
                    .collect();
                baris.push(BarisTabel { nama, nilai });
            }
        }
        let mut jumlah = Vec::new();
        if let Some(mut j) = m
            .req("jumlah", self.diags)
            .and_then(|n| n.as_map("tabel.jumlah", self.diags))
        {
            for (k, v) in j.rest() {
                if let Some(n) = v.as_num(self.diags) {
                    jumlah.push((
                        Text {
                            value: k.name.to_string(),
                            span: k.span,
                        },
                        n,
                    ));
                }
            }
        }
        m.finish(TABEL_KEYS, self.diags);
        Some(Tabel {
            nama: nama?,
            sumber,
            baris,
            jumlah,
            diketahui,
        })
    }

    /// `bulatkan: 2` or `bulatkan: {desimal: 2, mode: half_even}`.
    fn rounding(&mut self, node: &Node) -> Option<Rounding> {
        if matches!(node.kind, NodeKind::Number(_)) {
            return self.small_int(node).map(|(d, _)| Rounding::half_up(d));
        }
        let mut m = node.as_map("a rounding (`{desimal: 2, mode: half_up}`)", self.diags)?;
        let decimals = m.req("desimal", self.diags).and_then(|n| self.small_int(n));
        let mode = match m.opt("mode") {
            Some(n) => self.rounding_mode(n),
            None => Some(RoundingMode::HalfUp),
        };
        m.finish(ROUNDING_KEYS, self.diags);
        Some(Rounding {
            decimals: decimals?.0,
            mode: mode?,
        })
    }

    fn rounding_mode(&mut self, node: &Node) -> Option<RoundingMode> {
        self.choice(node, &RoundingMode::NAMES)
            .and_then(|m| RoundingMode::from_name(&m))
    }

    fn small_int(&mut self, node: &Node) -> Option<(u32, Span)> {
        let (v, span) = node.as_int(self.diags)?;
        match u32::try_from(v) {
            Ok(v) if v <= 20 => Some((v, span)),
            _ => {
                self.diags.push(
                    Diagnostic::error(Code::OutOfRange, format!("{v} decimals is out of range"))
                        .at(span, "expected 0 to 20")
                        .hint("figures are rounded to between 0 and 20 decimals"),
                );
                None
            }
        }
    }

    fn year(&mut self, node: &Node) -> Option<(i32, Span)> {
        let (v, span) = node.as_int(self.diags)?;
        match i32::try_from(v) {
            Ok(y) if (1900..=2200).contains(&y) => Some((y, span)),
            _ => {
                self.diags.push(
                    Diagnostic::error(Code::OutOfRange, format!("{v} is not a plausible year"))
                        .at(span, "expected a year such as 2022"),
                );
                None
            }
        }
    }

    fn choice(&mut self, node: &Node, options: &[&str]) -> Option<String> {
        let text = node.as_text(self.diags)?;
        if options.contains(&text.value.as_str()) {
            return Some(text.value);
        }
        let mut d = Diagnostic::error(
            Code::WrongType,
            format!("`{}` is not one of: {}", text.value, options.join(", ")),
        )
        .at(text.span, "unknown value");
        if let Some(s) = did_you_mean(&text.value, options.iter().copied()) {
            d = d.hint(format!("did you mean `{s}`?"));
        }
        self.diags.push(d);
        None
    }
}

#[cfg(feature = "xlsx")]
fn read_workbook(
    path: &std::path::Path,
    options: &crate::budget::lines::Options,
) -> Result<Aggregate, crate::budget::lines::CsvError> {
    crate::budget::lines::aggregate_workbook(path, options)
}

#[cfg(not(feature = "xlsx"))]
fn read_workbook(
    path: &std::path::Path,
    _: &crate::budget::lines::Options,
) -> Result<Aggregate, crate::budget::lines::CsvError> {
    Err(crate::budget::lines::CsvError::Io(
        path.display().to_string(),
        std::io::Error::other(
            "this kinerja was built without Excel support: rebuild with `cargo build --release --features xlsx`, or export the sheet as CSV",
        ),
    ))
}

/// A budget row as read, before line data completes it.
struct BarisDraft {
    kode: Option<Text>,
    nama: Text,
    pagu: Option<Num>,
    realisasi: Option<Num>,
    dicetak: Dicetak,
    span: Span,
}

/// An amount summed from line data, placed at the `rincian_csv` entry it came from.
fn num(value: Decimal, span: Span) -> Num {
    Num {
        value,
        span,
        decimals: value.scale(),
    }
}

fn default_rules() -> RumusBawaan {
    let rule = |name: &str| RuleRef {
        name: name.to_string(),
        span: None,
    };
    let mut capaian = BTreeMap::new();
    capaian.insert(Polaritas::Maksimal, rule("capaian_maksimal"));
    capaian.insert(Polaritas::Minimal, rule("capaian_minimal"));
    capaian.insert(Polaritas::Stabilisasi, rule("capaian_stabilisasi"));
    RumusBawaan {
        capaian,
        capaian_sasaran: rule("rata_rata"),
        nilai_kinerja: rule("rata_rata"),
        persen_anggaran: rule("persen_realisasi"),
        sisa_anggaran: rule("sisa_anggaran"),
    }
}
