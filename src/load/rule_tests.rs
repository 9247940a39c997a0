//! Rule test files (`rules/*.test.yaml`, beside the rules they test): each case names a
//! rule, gives its arguments as a planner writes them, and the result or error expected.
//!
//! ```yaml
//! kasus:
//!   - rumus: rasio
//!     masukan: {n: 330, t: 370}
//!     hasil: 89.19
//!     desimal: 2          # compare rounded to 2 decimals; without it, exactly
//!   - rumus: rasio
//!     nama: t nol ditolak
//!     masukan: {n: 1, t: 0}
//!     galat: denominator t is 0      # the error's message contains this
//! ```
//!
//! The arguments say the use: `masukan` (a realisasi formula, with `indikator` when the
//! rule takes it), `realisasi` and `target` (capaian), `nilai` (a rollup, with `bobot` for a
//! weighted one and `konteks`),
//! one `nilai` and a `tabel` (a band lookup, expecting a label or `tanpa_kategori: true`),
//! `pagu` and `realisasi` (a budget rule), `bagian` and `total` (a share rule).

use super::fields::{DECIMALS, small_int};
use super::indicators::input;
use super::kategori;
use super::shape::{Field, Mapping, Shape};
use super::yaml::Node;
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::load::yaml::NodeKind;
use crate::model::{Expect, Num, RuleTest, TabelArg, TestArgs};

/// A rule test file: `rules/*.test.yaml`.
pub(super) static TEST_FILE: Mapping = Mapping {
    what: "a rule test file (`kasus:`, a list of cases)",
    name: "rule-tests",
    doc: "Test cases of the rules beside this file, run by `kinerja test`.",
    fields: &[Field::req(
        "kasus",
        Shape::List(&Shape::Map(&CASE)),
        "The cases: each names a rule, gives its arguments as a planner writes them, and the result (`hasil`) or error (`galat`) expected.",
    )],
    data: None,
    examples: &["{kasus: [{rumus: rasio, masukan: {n: 330, t: 370}, hasil: 89.19, desimal: 2}]}"],
};

static CASE: Mapping = Mapping {
    what: "a test case",
    name: "kasus",
    doc: "A test case. Its arguments say the rule's use: `masukan` (a realisasi formula, with `indikator` when the rule takes it), `realisasi` and `target` (a capaian rule), `nilai` (a rollup, with `bobot` for a weighted one, and `konteks`), `nilai` and `tabel` (a band lookup), `pagu` and `realisasi` (a budget rule), or `bagian` and `total` (a share rule, such as `proporsi`). It expects one of `hasil`, `galat` or, for a band lookup, `tanpa_kategori: true`.",
    fields: &[
        Field::opt(
            "nama",
            Shape::Text,
            "What the case shows: `t of 0 is refused`.",
        ),
        Field::req("rumus", Shape::Text, "The rule under test: `rasio`."),
        Field::opt(
            "masukan",
            Shape::Input,
            "A realisasi formula's inputs, as an indikator writes them: `{n: 330, t: 370}`.",
        ),
        Field::opt(
            "indikator",
            Shape::Input,
            "What the rule knows of its indikator, for rules that read it: `{tahun: 2022}`.",
        ),
        Field::opt(
            "realisasi",
            Shape::Number,
            "A capaian rule's realisasi (with `target`), or a budget rule's realisasi (with `pagu`).",
        ),
        Field::opt(
            "target",
            Shape::Number,
            "A capaian rule's target (with `realisasi`).",
        ),
        Field::opt(
            "min",
            Shape::Number,
            "A range capaian rule's lower bound (with `realisasi` and `maks`).",
        ),
        Field::opt(
            "maks",
            Shape::Number,
            "A range capaian rule's upper bound (with `realisasi` and `min`).",
        ),
        Field::opt(
            "nilai",
            Shape::Beside {
                key: "tabel",
                with: &Shape::Number,
                without: &Shape::List(&Shape::Number),
            },
            "A rollup's figures: `[98.01, 70.90, 91.50]`; for a band lookup (with `tabel`), the one figure to look up: `77.51`.",
        ),
        Field::opt(
            "bobot",
            Shape::List(&Shape::Number),
            "A weighted rollup's weights, one per figure of `nilai`, in order: `[60, 40]`.",
        ),
        Field::opt(
            "konteks",
            Shape::Input,
            "What a rollup or a band lookup is given besides the figures, for rules that read it.",
        ),
        Field::opt(
            "pagu",
            Shape::Number,
            "A budget rule's pagu (with `realisasi`).",
        ),
        Field::opt(
            "bagian",
            Shape::Number,
            "A share rule's part (with `total`): a row's pagu.",
        ),
        Field::opt(
            "total",
            Shape::Number,
            "A share rule's whole (with `bagian`): the pagu the row is a share of.",
        ),
        Field::opt(
            "hasil",
            Shape::Beside {
                key: "tabel",
                with: &Shape::Text,
                without: &Shape::Number,
            },
            "The number the rule must give: exactly, or rounded as `desimal` says; for a band lookup (with `tabel`), the band's label: `BB`.",
        ),
        Field::opt(
            "desimal",
            DECIMALS,
            "Compare `hasil` and the rule's result both rounded (half up) to this many decimals; without it, exactly.",
        ),
        Field::opt(
            "galat",
            Shape::Text,
            "Text the rule's error message must contain: `denominator t is 0`.",
        ),
        Field::opt(
            "tabel",
            Shape::Either(&[Shape::Text, Shape::List(&Shape::Map(&kategori::BAND))]),
            "A band lookup's band table (with one `nilai`): one of the workspace's by name, `predikat_sakip`, or bands written in the case, `[{label: rendah, kurang_dari: 10}, {label: tinggi, min: 10}]`.",
        ),
        Field::opt(
            "tanpa_kategori",
            Shape::Flag,
            "A band lookup expected to find no band (the value falls between the bands, or outside them all): `tanpa_kategori: true`, instead of `hasil`.",
        ),
    ],
    data: None,
    examples: &[
        "{rumus: rasio, nama: IKP4.1, masukan: {n: 330, t: 370}, indikator: {tahun: 2022}, hasil: 89.19, desimal: 2}",
        "{rumus: capaian_maksimal, realisasi: 90, target: 100, hasil: 90}",
        "{rumus: capaian_rentang_maksimal, realisasi: 95, min: 80, maks: 90, hasil: 105.56, desimal: 2}",
        "{rumus: rata_rata, nilai: [98.01, 70.90], konteks: {id: SP4}, hasil: 84.455}",
        "{rumus: rata_rata_berbobot, nilai: [90, 100], bobot: [60, 40], hasil: 94}",
        "{rumus: persen_realisasi, pagu: 10, realisasi: 5, hasil: 50}",
        "{rumus: proporsi, bagian: 9_212_446_000, total: 28_585_438_802_000, hasil: 0.03, desimal: 2}",
        "{rumus: rasio, masukan: {n: 1, t: 0}, galat: denominator t is 0}",
        "{rumus: kategori, nilai: 77.51, tabel: predikat_sakip, hasil: BB}",
        "{rumus: kategori, nilai: 90.5, tabel: [{label: baik, min: 76, maks: 90}, {label: sangat baik, min: 91, maks: 100}], tanpa_kategori: true}",
    ],
};

/// The name ending of a rule test file: `realisasi.test.yaml`.
pub(crate) const RULE_TEST_ENDINGS: &[&str] = &["test.yaml", "test.yml"];

/// Whether a file name is a rule test file's.
pub(crate) fn is_rule_test(name: &str) -> bool {
    super::files::has_ending(name, RULE_TEST_ENDINGS)
}

/// The cases of one test file; every problem is a diagnostic, and a broken case is left out.
pub(crate) fn read(tree: &Node, diags: &mut Diagnostics) -> Vec<RuleTest> {
    if tree.is_null() {
        return Vec::new();
    }
    let Some(mut m) = tree.as_map(&TEST_FILE, diags) else {
        return Vec::new();
    };
    let cases = m.req("kasus", diags).and_then(|n| n.as_seq(diags));
    m.finish(diags);
    cases
        .unwrap_or_default()
        .iter()
        .filter_map(|case| read_case(case, diags))
        .collect()
}

fn read_case(node: &Node, diags: &mut Diagnostics) -> Option<RuleTest> {
    let mut m = node.as_map(&CASE, diags)?;
    let nama = m.opt("nama").and_then(|n| n.as_text(diags));
    let rumus = m.req("rumus", diags).and_then(|n| n.as_text(diags));
    let mut failed = false;
    let masukan = m.opt("masukan");
    let indikator = m.opt("indikator");
    let realisasi = m.opt("realisasi");
    let target = m.opt("target");
    let min = m.opt("min");
    let maks = m.opt("maks");
    let nilai = m.opt("nilai");
    let konteks = m.opt("konteks");
    let bobot = m.opt("bobot");
    let pagu = m.opt("pagu");
    let tabel = m.opt("tabel");
    let bagian = m.opt("bagian");
    let total = m.opt("total");
    let range = min.is_some() || maks.is_some();
    let args = match (masukan, realisasi, target, nilai, pagu) {
        (None, Some(r), None, None, None) if min.is_some() && maks.is_some() => {
            let (r, lo, hi) = (
                r.as_num(diags),
                min.and_then(|n| n.as_num(diags)),
                maks.and_then(|n| n.as_num(diags)),
            );
            Some(TestArgs::Rentang {
                realisasi: r?,
                min: lo?,
                maks: hi?,
                indikator: indikator.map(|n| input(n, diags, &mut failed)),
            })
        }
        (None, None, None, Some(v), None) if tabel.is_some() => {
            let tabel = tabel.and_then(|t| match &t.kind {
                NodeKind::Seq(_) => Some(TabelArg::Isi(kategori::inline(t, diags))),
                _ => t.as_text(diags).map(TabelArg::Nama),
            });
            let v = v.as_num(diags);
            Some(TestArgs::Kategori {
                nilai: v?,
                tabel: tabel?,
                konteks: konteks.map(|n| input(n, diags, &mut failed)),
            })
        }
        (Some(masukan), None, None, None, None) => Some(TestArgs::Masukan {
            masukan: input(masukan, diags, &mut failed),
            indikator: indikator.map(|n| input(n, diags, &mut failed)),
        }),
        (None, Some(r), Some(t), None, None) => {
            let (r, t) = (r.as_num(diags), t.as_num(diags));
            Some(TestArgs::Capaian {
                realisasi: r?,
                target: t?,
                indikator: indikator.map(|n| input(n, diags, &mut failed)),
            })
        }
        (None, None, None, Some(list), None) => {
            let nilai = numbers(list, diags);
            let bobot = match bobot {
                Some(b) => Some(numbers(b, diags)?),
                None => None,
            };
            Some(TestArgs::Rollup {
                nilai: nilai?,
                bobot,
                konteks: konteks.map(|n| input(n, diags, &mut failed)),
            })
        }
        (None, None, None, None, None) if bagian.is_some() && total.is_some() => {
            let (b, t) = (
                bagian.and_then(|n| n.as_num(diags)),
                total.and_then(|n| n.as_num(diags)),
            );
            Some(TestArgs::Proporsi {
                bagian: b?,
                total: t?,
            })
        }
        (None, Some(r), None, None, Some(p)) => {
            let (p, r) = (p.as_num(diags), r.as_num(diags));
            Some(TestArgs::Anggaran {
                pagu: p?,
                realisasi: r?,
            })
        }
        _ => {
            diags.push(
                Diagnostic::error(
                    Code::MissingKey,
                    "a test case gives its rule's arguments in one of six forms",
                )
                .at(node.span, "which arguments?")
                .hint("give `masukan` (a realisasi formula), `realisasi` and `target` (capaian), `realisasi`, `min` and `maks` (capaian against a range), `nilai` (a rollup; with `tabel`, one number for a band lookup), `pagu` and `realisasi` (a budget rule), or `bagian` and `total` (a share rule)"),
            );
            None
        }
    };
    if let (
        Some(TestArgs::Anggaran { .. } | TestArgs::Proporsi { .. } | TestArgs::Rollup { .. }),
        Some(n),
    ) = (&args, indikator)
    {
        unused(
            n,
            "`indikator` is given to realisasi formulas and capaian rules",
            diags,
        );
    }
    if let (Some(args), true) = (&args, range)
        && !matches!(args, TestArgs::Rentang { .. })
        && let Some(n) = min.or(maks)
    {
        unused(
            n,
            "`min` and `maks` are given to a range's capaian rule (with `realisasi`, without `target`)",
            diags,
        );
    }
    if let (
        Some(
            TestArgs::Masukan { .. }
            | TestArgs::Capaian { .. }
            | TestArgs::Rentang { .. }
            | TestArgs::Anggaran { .. }
            | TestArgs::Proporsi { .. },
        ),
        Some(n),
    ) = (&args, konteks)
    {
        unused(
            n,
            "`konteks` is given to rollups and band lookups (with `nilai`)",
            diags,
        );
    }
    if let Some(args) = &args
        && !matches!(args, TestArgs::Proporsi { .. })
        && let Some(n) = bagian.or(total)
    {
        unused(
            n,
            "`bagian` and `total` are given together to a share rule (without the other arguments)",
            diags,
        );
    }
    if let (Some(args), Some(n)) = (&args, bobot)
        && !matches!(args, TestArgs::Rollup { .. })
    {
        unused(
            n,
            "`bobot` is given to weighted rollups (with a list of `nilai`)",
            diags,
        );
    }
    if let (Some(args), Some(n)) = (&args, tabel)
        && !matches!(args, TestArgs::Kategori { .. })
    {
        unused(
            n,
            "`tabel` is given to band lookups (with one `nilai`)",
            diags,
        );
    }
    let band_case = matches!(args, Some(TestArgs::Kategori { .. }));
    let hasil = m.opt("hasil");
    let galat = m.opt("galat");
    let desimal = m.opt("desimal");
    let tanpa = m.opt("tanpa_kategori");
    // Unknown keys first: a misspelt `hasil` is reported as that, not also as missing.
    let misspelt = m.finish(diags);
    let tanpa = match tanpa.map(|n| &n.kind) {
        Some(NodeKind::Bool(true)) => true,
        Some(NodeKind::Bool(false)) | None => false,
        Some(_) => {
            diags.push(
                Diagnostic::error(Code::WrongType, "`tanpa_kategori` is `true` or left out")
                    .at(tanpa.map_or(node.span, |n| n.span), "not true or false")
                    .hint("write `tanpa_kategori: true` for a value that falls in no band"),
            );
            return None;
        }
    };
    if tanpa && !band_case {
        unused(
            tanpa_node(node),
            "`tanpa_kategori` is expected of band lookups (with `tabel`)",
            diags,
        );
        return None;
    }
    let expect = match (hasil, galat) {
        (None, None) if tanpa => Some(Expect::TanpaKategori),
        (Some(h), _) | (_, Some(h)) if tanpa => {
            diags.push(
                Diagnostic::error(
                    Code::WrongType,
                    "a test case expects one thing: a band, no band or an error",
                )
                .at(h.span, "and `tanpa_kategori` too")
                .hint("keep `hasil` (the band's label), `tanpa_kategori: true` or `galat`"),
            );
            None
        }
        (Some(hasil), None) if band_case => hasil.as_text(diags).map(Expect::Label),
        (Some(hasil), None) => {
            let desimal = desimal.and_then(|n| small_int(n, diags));
            hasil.as_num(diags).map(|nilai| Expect::Hasil {
                nilai,
                desimal: desimal.map(|(d, _)| d),
            })
        }
        (None, Some(galat)) => galat.as_text(diags).map(Expect::Galat),
        (Some(_), Some(g)) => {
            diags.push(
                Diagnostic::error(
                    Code::WrongType,
                    "a test case expects a result or an error, not both",
                )
                .at(g.span, "and `hasil` too")
                .hint("split it into two cases"),
            );
            None
        }
        (None, None) if misspelt.iter().any(|(k, _)| k == "hasil" || k == "galat") => None,
        (None, None) => {
            diags.push(
                Diagnostic::error(Code::MissingKey, "a test case says what it expects")
                    .at(node.span, "expecting what?")
                    .hint("add `hasil:` (the number the rule gives, or the band's label), `galat:` (text the rule's error contains), or for a band lookup `tanpa_kategori: true`"),
            );
            None
        }
    };
    if failed {
        return None;
    }
    Some(RuleTest {
        nama,
        rumus: rumus?,
        args: args?,
        expect: expect?,
        span: node.span,
    })
}

/// Where a case writes `tanpa_kategori`.
fn tanpa_node<'a>(node: &'a Node<'a>) -> &'a Node<'a> {
    match &node.kind {
        NodeKind::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.name == "tanpa_kategori")
            .map_or(node, |(_, v)| v),
        _ => node,
    }
}

fn numbers(node: &Node, diags: &mut Diagnostics) -> Option<Vec<Num>> {
    let items = node.as_seq(diags)?;
    let read: Vec<Option<Num>> = items.iter().map(|n| n.as_num(diags)).collect();
    read.into_iter().collect()
}

fn unused(node: &Node, why: &str, diags: &mut Diagnostics) {
    diags.push(
        Diagnostic::error(
            Code::UnknownKey,
            format!("not an argument of this case: {why}"),
        )
        .at(node.span, "not used")
        .hint("remove it, or give the arguments of the rule's use"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::Sources;
    use crate::load::yaml;
    use crate::model::TabelArg;

    fn cases(text: &str) -> (Vec<RuleTest>, Vec<String>) {
        let mut sources = Sources::default();
        let file = sources.add("rules/t.test.yaml".into(), text.into());
        let mut diags = Diagnostics::default();
        let tree = yaml::parse(file, &sources.get(file).text).expect("yaml");
        let read = read(&tree, &mut diags);
        (read, diags.iter().map(|d| d.message.clone()).collect())
    }

    #[test]
    fn each_form_of_arguments_is_read() {
        let (read, diags) = cases(
            "kasus:\n  - {rumus: rasio, masukan: {n: 1, t: 2}, hasil: 50}\n  - {rumus: capaian_maksimal, realisasi: 90, target: 100, hasil: 90, desimal: 2}\n  - {rumus: rata_rata, nilai: [1, 2], hasil: 1.5}\n  - {rumus: persen_realisasi, pagu: 10, realisasi: 5, galat: nol}\n  - {rumus: proporsi, bagian: 1, total: 4, hasil: 25}\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert!(matches!(read[4].args, TestArgs::Proporsi { .. }));
        assert!(matches!(read[0].args, TestArgs::Masukan { .. }));
        assert!(matches!(read[1].args, TestArgs::Capaian { .. }));
        assert!(matches!(
            read[1].expect,
            Expect::Hasil {
                desimal: Some(2),
                ..
            }
        ));
        assert!(matches!(read[2].args, TestArgs::Rollup { .. }));
        assert!(matches!(read[3].args, TestArgs::Anggaran { .. }));
        assert!(matches!(read[3].expect, Expect::Galat(_)));
    }

    #[test]
    fn a_share_rule_takes_bagian_and_total_alone() {
        let (read, diags) = cases(
            "kasus:\n  - {rumus: proporsi, bagian: 1, hasil: 25}\n  - {rumus: proporsi, pagu: 4, realisasi: 1, total: 4, hasil: 25}\n  - {rumus: proporsi, bagian: 1, total: 4, konteks: {id: x}, indikator: {tahun: 1}, hasil: 25}\n",
        );
        // The first case is left out; the others are read, their stray keys reported.
        assert_eq!(read.len(), 2, "{diags:?}");
        assert_eq!(diags.len(), 4, "{diags:?}");
        let all = diags.join("\n");
        assert!(all.contains("one of six forms"), "{all}");
        assert!(
            all.contains("`bagian` and `total` are given together to a share rule"),
            "{all}"
        );
        assert!(all.contains("`konteks` is given to rollups"), "{all}");
        assert!(
            all.contains("`indikator` is given to realisasi formulas"),
            "{all}"
        );
    }

    #[test]
    fn a_broken_case_is_a_diagnostic_and_left_out() {
        let (read, diags) = cases(
            "kasus:\n  - {rumus: rasio, masukan: {n: 1}, hasil: 1}\n  - {rumus: rasio, hasil: 1}\n  - {rumus: rasio, masukan: {n: 1}}\n  - {rumus: rasio, masukan: {n: 1}, hasil: 1, galat: x}\n  - {rumus: rasio, masukan: {n: 1}, hasl: 1}\n",
        );
        assert_eq!(read.len(), 1, "{diags:?}");
        let all = diags.join("\n");
        assert!(all.contains("one of six forms"), "{all}");
        assert!(all.contains("says what it expects"), "{all}");
        assert!(all.contains("not both"), "{all}");
        assert!(all.contains("unknown key `hasl`"), "{all}");
    }

    #[test]
    fn band_lookups_and_what_they_expect() {
        let (read, diags) = cases(
            "kasus:\n  - {rumus: kategori, nilai: 77.51, tabel: predikat_sakip, hasil: BB}\n  - {rumus: kategori, nilai: 90.5, tabel: [{label: a, maks: 90}], tanpa_kategori: true}\n  - {rumus: kategori, nilai: 1, tabel: [], galat: x}\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert!(matches!(
            &read[0].args,
            TestArgs::Kategori { tabel: TabelArg::Nama(n), .. } if n.value == "predikat_sakip"
        ));
        assert!(matches!(&read[0].expect, Expect::Label(l) if l.value == "BB"));
        assert!(matches!(
            &read[1].args,
            TestArgs::Kategori { tabel: TabelArg::Isi(t), .. } if t.tingkat.len() == 1
        ));
        assert!(matches!(read[1].expect, Expect::TanpaKategori));
        assert!(matches!(
            &read[2].args,
            TestArgs::Kategori { tabel: TabelArg::Isi(t), .. } if t.tingkat.is_empty()
        ));
    }

    #[test]
    fn band_lookups_written_wrongly() {
        let (read, diags) = cases(
            "kasus:\n  - {rumus: rasio, masukan: {n: 1, t: 2}, tanpa_kategori: true}\n  - {rumus: kategori, nilai: 1, tabel: t, hasil: a, tanpa_kategori: true}\n  - {rumus: kategori, nilai: 1, tabel: t, tanpa_kategori: ya}\n  - {rumus: rasio, masukan: {n: 1, t: 2}, tabel: t, hasil: 50}\n  - {rumus: kategori, nilai: 1, tabel: [{label: a, dari: 0}], hasil: a}\n",
        );
        let all = diags.join("\n");
        assert!(
            all.contains("`tanpa_kategori` is expected of band lookups"),
            "{all}"
        );
        assert!(all.contains("a band, no band or an error"), "{all}");
        assert!(
            all.contains("`tanpa_kategori` is `true` or left out"),
            "{all}"
        );
        assert!(all.contains("`tabel` is given to band lookups"), "{all}");
        assert!(all.contains("`dari: 0` does not say"), "{all}");
        assert_eq!(read.len(), 2, "{all}");
    }

    #[test]
    fn test_files_are_named_for_it() {
        assert!(is_rule_test("realisasi.test.yaml"));
        assert!(is_rule_test("a.test.yml"));
        assert!(!is_rule_test("realisasi.yaml"));
        assert!(!is_rule_test(".test.yaml"));
        assert!(!is_rule_test("test.yaml"));
    }
}
