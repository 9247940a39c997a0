//! Reading `kinerja.yaml`.

use super::fields::{choice, rounding, rounding_mode, small_int, year};
use super::printed::{PRINTED_MANIFEST, dicetak};
use super::yaml::{MapReader, Node, NodeKind};
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::base::number::{Locale, Rounding};
use crate::base::source::{FileId, Span};
use crate::model::{
    Dicetak, KategoriBawaan, Manifest, Pembulatan, Polaritas, RuleRef, RumusBawaan, Tampilan,
};

const MANIFEST_KEYS: &[&str] = &[
    "organisasi",
    "instansi",
    "tahun",
    "tampilan",
    "pembulatan",
    "rumus",
    "dicetak",
    "pustaka_rumus",
    "kategori",
];
const TAMPILAN_KEYS: &[&str] = &["desimal", "mode", "format"];
const STAGES: &[&str] = &["realisasi", "capaian", "capaian_sasaran", "nilai_kinerja"];
const RUMUS_KEYS: &[&str] = &[
    "capaian",
    "capaian_sasaran",
    "nilai_kinerja",
    "persen_anggaran",
    "sisa_anggaran",
    "kategori",
];

pub(crate) fn read(tree: Option<&Node>, file: FileId, diags: &mut Diagnostics) -> Manifest {
    let mut manifest = Manifest {
        organisasi: String::new(),
        instansi: None,
        tahun: 0,
        tampilan: Tampilan {
            rounding: Rounding::half_up(2),
            locale: Locale::En,
        },
        pembulatan: Pembulatan::default(),
        rumus: RumusBawaan::default(),
        kategori: KategoriBawaan::default(),
        dicetak: Dicetak::default(),
        pustaka_rumus: Vec::new(),
    };
    let Some(tree) = tree else { return manifest };
    if tree.is_null() {
        diags.push(
            Diagnostic::error(Code::Workspace, "kinerja.yaml is empty")
                .at(Span::new(file, 0, 0), "empty file")
                .hint("give at least `organisasi:` and `tahun:`"),
        );
        return manifest;
    }
    let Some(mut m) = tree.as_map("kinerja.yaml", diags) else {
        return manifest;
    };
    if let Some(t) = m.req("organisasi", diags).and_then(|n| n.as_text(diags)) {
        manifest.organisasi = t.value;
    }
    manifest.instansi = m.opt_string("instansi", diags);
    if let Some((year, _)) = m.req("tahun", diags).and_then(|n| year(n, diags)) {
        manifest.tahun = year;
    }
    if let Some(n) = m.opt("tampilan")
        && let Some(mut t) = n.as_map("tampilan", diags)
    {
        if let Some((d, _)) = t.opt("desimal").and_then(|n| small_int(n, diags)) {
            manifest.tampilan.rounding.decimals = d;
        }
        if let Some(mode) = t.opt("mode").and_then(|n| rounding_mode(n, diags)) {
            manifest.tampilan.rounding.mode = mode;
        }
        if let Some(f) = t
            .opt("format")
            .and_then(|n| choice(n, &["en", "id"], diags))
        {
            manifest.tampilan.locale = if f == "id" { Locale::Id } else { Locale::En };
        }
        t.finish(TAMPILAN_KEYS, diags);
    }
    if let Some(n) = m.opt("pembulatan")
        && let Some(mut p) = n.as_map("pembulatan", diags)
    {
        manifest.pembulatan.realisasi = p.opt("realisasi").and_then(|n| rounding(n, diags));
        manifest.pembulatan.capaian = p.opt("capaian").and_then(|n| rounding(n, diags));
        manifest.pembulatan.capaian_sasaran =
            p.opt("capaian_sasaran").and_then(|n| rounding(n, diags));
        manifest.pembulatan.nilai_kinerja = p.opt("nilai_kinerja").and_then(|n| rounding(n, diags));
        p.finish(STAGES, diags);
    }
    if let Some(n) = m.opt("rumus") {
        rumus(n, &mut manifest.rumus, diags);
    }
    if let Some(n) = m.opt("kategori")
        && let Some(mut k) = n.as_map("kategori (a band table per stage)", diags)
    {
        let mut table = |stage: &str| k.opt(stage).and_then(|n| n.as_text(diags));
        manifest.kategori = KategoriBawaan {
            realisasi: table("realisasi"),
            capaian: table("capaian"),
            capaian_sasaran: table("capaian_sasaran"),
            nilai_kinerja: table("nilai_kinerja"),
        };
        k.finish(&KategoriBawaan::STAGES, diags);
    }
    manifest.dicetak = dicetak(m.opt("dicetak"), PRINTED_MANIFEST, diags);
    if let Some(n) = m.opt("pustaka_rumus") {
        manifest.pustaka_rumus = match &n.kind {
            NodeKind::Seq(items) => items.iter().filter_map(|i| i.as_text(diags)).collect(),
            _ => n.as_text(diags).into_iter().collect(),
        };
    }
    m.finish(MANIFEST_KEYS, diags);
    manifest
}

fn rumus(node: &Node, rules: &mut RumusBawaan, diags: &mut Diagnostics) {
    let Some(mut r) = node.as_map("rumus", diags) else {
        return;
    };
    if let Some(c) = r.opt("capaian")
        && let Some(mut cm) = c.as_map("rumus.capaian", diags)
    {
        for polaritas in Polaritas::NAMES {
            if let Some(t) = cm.opt(polaritas).and_then(|n| n.as_text(diags))
                && let Some(p) = Polaritas::from_name(polaritas)
            {
                rules.capaian.insert(p, t.into());
            }
        }
        cm.finish(&Polaritas::NAMES, diags);
    }
    let set = |key: &str, slot: &mut RuleRef, r: &mut MapReader, diags: &mut Diagnostics| {
        if let Some(t) = r.opt(key).and_then(|n| n.as_text(diags)) {
            *slot = t.into();
        }
    };
    set("capaian_sasaran", &mut rules.capaian_sasaran, &mut r, diags);
    set("nilai_kinerja", &mut rules.nilai_kinerja, &mut r, diags);
    set("persen_anggaran", &mut rules.persen_anggaran, &mut r, diags);
    set("sisa_anggaran", &mut rules.sisa_anggaran, &mut r, diags);
    set("kategori", &mut rules.kategori, &mut r, diags);
    r.finish(RUMUS_KEYS, diags);
}
