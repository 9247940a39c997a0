//! The report as an Excel workbook (`eval --format xlsx`): one sheet per section, the
//! sections and columns the terminal table and Markdown lay out, written with
//! rust_xlsxwriter. Figures are real numbers with number formats (rupiah `#,##0`, with
//! decimals when an amount has them; percentages at the presentation precision), the header
//! row is bold, frozen and filterable, and the document's properties name the organisasi
//! and the year. Numbers are numbers, so the locale shows only in text: `—`, and an amount
//! Excel cannot hold exactly.

use super::Presentation;
use super::sections::{Section, Value, catatan, heading, sections};
use crate::base::number::Locale;
use crate::eval::Hasil;
use crate::model::Workspace;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    ColNum, DocProperties, Format, FormatAlign, FormatBorder, Note, RowNum, Workbook, Worksheet,
    XlsxError, row_col_to_cell,
};
// aHash: keyed by a handful of styles of our own.
use ahash::AHashMap as HashMap;

/// Rows an Excel sheet holds, the header included.
const EXCEL_ROWS: usize = 1_048_576;

/// Significant digits Excel keeps of a number: it shows (and saves, once a planner edits the
/// cell) no more, whatever the double holds.
const EXCEL_DIGITS: u32 = 15;

/// The widest a column is made, in characters; longer text wraps.
const MAX_WIDTH: usize = 60;

/// The note on a cell whose amount is written as text, for the planner who wonders why it
/// does not add up in a formula.
const AS_TEXT: &str = "Ditulis sebagai teks: Excel menyimpan angka dengan paling banyak 15 digit, \
                       sehingga nilai ini tidak dapat disimpan dengan tepat sebagai angka.";

/// Why the workbook could not be written: the report does not fit one (more rows than a
/// sheet holds, more text than a cell does).
#[derive(Debug, thiserror::Error)]
pub(crate) enum WorkbookError {
    #[error(
        "the sheet {sheet} would have {rows} rows, more than the {EXCEL_ROWS} an Excel sheet holds"
    )]
    TooManyRows { sheet: &'static str, rows: usize },
    #[error("the sheet {sheet}, cell {cell}: {source}")]
    Cell {
        sheet: &'static str,
        cell: String,
        source: XlsxError,
    },
    #[error(transparent)]
    Xlsx(#[from] XlsxError),
}

/// The report of an evaluated workspace as the bytes of an `.xlsx` file.
pub(crate) fn workbook(
    ws: &Workspace,
    h: &Hasil,
    p: &Presentation,
) -> Result<Vec<u8>, WorkbookError> {
    let mut book = Workbook::new();
    book.set_properties(&properties(ws));
    let footer = footer(&heading(ws));
    let mut formats = Formats::default();
    // What the workspace does not hold is said once, under the first sheet's table (a row
    // apart, outside its filter).
    let mut note = catatan(ws.isi(), Locale::Id);
    for section in sections(ws, h) {
        let sheet = book.add_worksheet();
        write_sheet(sheet, &section, p, &footer, &mut formats)?;
        if let Some(note) = note.take() {
            let row = RowNum::try_from(section.rows.len() + 2).map_err(|_| {
                WorkbookError::TooManyRows {
                    sheet: section.sheet,
                    rows: section.rows.len() + 3,
                }
            })?;
            sheet.write_string(row, 0, note)?;
        }
    }
    Ok(book.save_to_buffer()?)
}

/// Title, subject, author and company from the manifest.
fn properties(ws: &Workspace) -> DocProperties {
    let m = &ws.manifest;
    DocProperties::new()
        .set_title(heading(ws))
        .set_subject(format!("Laporan Kinerja {}", m.tahun))
        .set_author(&m.organisasi)
        .set_company(m.instansi.as_deref().unwrap_or(&m.organisasi))
        .set_keywords(format!("Laporan Kinerja, LKj, {}", m.tahun))
        .set_comment(format!("kinerja {}", env!("CARGO_PKG_VERSION")))
        .set_custom_property("Tahun", m.tahun)
}

fn write_sheet(
    sheet: &mut Worksheet,
    s: &Section,
    p: &Presentation,
    footer: &str,
    formats: &mut Formats,
) -> Result<(), WorkbookError> {
    let too_many = || WorkbookError::TooManyRows {
        sheet: s.sheet,
        rows: s.rows.len() + 1,
    };
    if s.rows.len() >= EXCEL_ROWS {
        return Err(too_many());
    }
    let at = |row: usize, col: usize| -> Result<(RowNum, ColNum), WorkbookError> {
        Ok((
            RowNum::try_from(row).map_err(|_| too_many())?,
            ColNum::try_from(col).map_err(|_| XlsxError::RowColumnLimitError)?,
        ))
    };
    let cell_error = |(row, col): (RowNum, ColNum)| {
        move |source| WorkbookError::Cell {
            sheet: s.sheet,
            cell: row_col_to_cell(row, col),
            source,
        }
    };
    sheet.set_name(s.sheet)?;

    let widths = widths(s, p);
    let header = formats.get(Style {
        bold: true,
        header: true,
        ..Style::default()
    });
    for (c, title) in s.headers.iter().enumerate() {
        let (row, col) = at(0, c)?;
        sheet.write_string_with_format(row, col, *title, header)?;
    }
    for (r, values) in s.rows.iter().enumerate() {
        let bold = s.is_strong(r);
        for (c, value) in values.iter().enumerate() {
            let place = at(r + 1, c)?;
            let (row, col) = place;
            let error = cell_error(place);
            match cell(value, p) {
                Cell::Blank => {}
                Cell::Number {
                    value,
                    decimals,
                    band,
                } => {
                    let f = formats.get(Style {
                        bold,
                        number: decimals,
                        band,
                        ..Style::default()
                    });
                    sheet
                        .write_number_with_format(row, col, value, f)
                        .map_err(error)?;
                }
                Cell::Text { text, indent, kind } => {
                    let f = formats.get(Style {
                        bold,
                        indent,
                        right: kind != TextKind::Plain,
                        wrap: widths[c].1,
                        ..Style::default()
                    });
                    sheet
                        .write_string_with_format(row, col, text, f)
                        .map_err(error)?;
                    if kind == TextKind::NotANumber {
                        let note = Note::new(AS_TEXT).set_author("kinerja");
                        sheet
                            .insert_note(row, col, &note)
                            .map_err(cell_error(place))?;
                    }
                }
            }
        }
    }
    for (c, (width, _)) in widths.iter().enumerate() {
        let (_, col) = at(0, c)?;
        // Widths in characters; at most MAX_WIDTH, so the cast is exact.
        sheet.set_column_width(col, *width as f64)?;
    }
    let (last_row, last_col) = at(s.rows.len(), s.headers.len().saturating_sub(1))?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last_row, last_col)?;
    // Printed: landscape A4, one page wide, the header row on every page.
    sheet
        .set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_repeat_rows(0, 0)?;
    sheet
        .set_header(format!("&C&\"-,Bold\"{}", escape(&s.title)))
        .set_footer(footer);
    Ok(())
}

/// How a value is written into a cell.
#[derive(Debug, PartialEq)]
enum Cell {
    Blank,
    /// A number shown with `decimals` decimals (`None`: as Excel's General format shows it),
    /// and its band's label after it (in the number format: the cell stays a number).
    Number {
        value: f64,
        decimals: Option<u32>,
        band: Option<String>,
    },
    Text {
        text: String,
        indent: u8,
        kind: TextKind,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TextKind {
    Plain,
    /// `—` in a column of numbers: aligned with them.
    Missing,
    /// A number Excel cannot hold exactly, written as its digits (aligned with the numbers,
    /// with a note saying why).
    NotANumber,
    /// A target range, `80.00–90.00`: two numbers, so text, aligned with the numbers.
    Range,
}

fn cell(v: &Value, p: &Presentation) -> Cell {
    let text = |text: String, kind| Cell::Text {
        text,
        indent: 0,
        kind,
    };
    match v {
        Value::Empty => Cell::Blank,
        Value::Missing => text(v.text(p), TextKind::Missing),
        Value::Rentang(..) => text(v.text(p), TextKind::Range),
        Value::Text(s) => text(s.clone(), TextKind::Plain),
        Value::Id { id: t, depth } | Value::Uraian { nama: t, depth } => Cell::Text {
            text: t.clone(),
            // Excel's indent goes to 15 levels; komponen nest a few.
            indent: u8::try_from(*depth).unwrap_or(u8::MAX).min(15),
            kind: TextKind::Plain,
        },
        Value::Figure(f) => figure(*f, None, v, p),
        Value::Banded(f, k) => figure(*f, Some(k.label.clone()), v, p),
        // Amounts are exact in this project, and a double holds most of them exactly; one it
        // does not (or one with more digits than Excel shows) is written as text rather than
        // rounded without a word.
        Value::Rupiah(a) => match exact(*a) {
            Some(value) => Cell::Number {
                value,
                decimals: Some(a.normalize().scale()),
                band: None,
            },
            None => text(v.text(p), TextKind::NotANumber),
        },
        // A weight as written (`60`, `0.6`): exact as a double, or its digits.
        Value::Bobot(b) => match exact(*b) {
            Some(value) => Cell::Number {
                value,
                decimals: Some(b.normalize().scale()),
                band: None,
            },
            None => text(v.text(p), TextKind::NotANumber),
        },
        // Years and counts: far below 2^53, exact as doubles.
        Value::Whole(n) => Cell::Number {
            value: *n as f64,
            decimals: None,
            band: None,
        },
    }
}

/// A percentage or score (with its band's label, when it has one).
fn figure(f: Decimal, band: Option<String>, v: &Value, p: &Presentation) -> Cell {
    let as_text = || Cell::Text {
        text: v.text(p),
        indent: 0,
        kind: TextKind::NotANumber,
    };
    match p.rounding {
        // As the other formats show it: rounded to the presentation's decimals.
        Some(r) => match exact(r.apply(f)) {
            Some(value) => Cell::Number {
                value,
                decimals: Some(r.decimals),
                band,
            },
            None => as_text(),
        },
        // Unrounded: a ratio has more digits than any double, so the nearest double is
        // the full precision a number cell has (the exact digits are in JSON and CSV).
        None => match nearest(f) {
            Some(value) => Cell::Number {
                value,
                decimals: Some(full_decimals(f)),
                band,
            },
            None => as_text(),
        },
    }
}

/// `value` as a double when the double is `value` exactly as Excel shows it: it reads back
/// (Decimal → f64 → Decimal, by the shortest digits that give the same double) as the same
/// decimal, and has at most [`EXCEL_DIGITS`] significant digits (a 16-digit amount may
/// survive the double, but Excel shows and saves only 15 of its digits).
fn exact(value: Decimal) -> Option<f64> {
    let double = nearest(value)?;
    // `{}` writes a double's shortest round-trip digits, never in exponent form.
    let back: Decimal = format!("{double}").parse().ok()?;
    (back == value && significant_digits(value) <= EXCEL_DIGITS).then_some(double)
}

/// The double nearest to `value` (parsing is correctly rounded; converting the decimal's
/// parts arithmetically would round twice).
fn nearest(value: Decimal) -> Option<f64> {
    value.normalize().to_string().parse().ok()
}

/// Digits from the first to the last that is not zero: `28585438802000` has 11.
fn significant_digits(value: Decimal) -> u32 {
    let mut m = value.normalize().mantissa().unsigned_abs();
    if m == 0 {
        return 0;
    }
    while m.is_multiple_of(10) {
        m /= 10;
    }
    m.ilog10() + 1
}

/// Decimals that show an unrounded figure as far as Excel's 15 digits go.
fn full_decimals(value: Decimal) -> u32 {
    // `0` for a figure below 1: one digit before the point.
    let whole_digits = value.abs().trunc().normalize().to_string().len();
    let room = EXCEL_DIGITS.saturating_sub(u32::try_from(whole_digits).unwrap_or(u32::MAX));
    value.normalize().scale().min(room)
}

/// Each column's width in characters, and whether its text wraps (it is longer than
/// [`MAX_WIDTH`]): the longest cell as the other formats show it, and room for the header's
/// filter button.
fn widths(s: &Section, p: &Presentation) -> Vec<(usize, bool)> {
    s.headers
        .iter()
        .enumerate()
        .map(|(c, title)| {
            let longest = s
                .rows
                .iter()
                .filter_map(|row| row.get(c))
                .map(|v| v.text(p).chars().count() + 2)
                .max()
                .unwrap_or(0)
                .max(title.chars().count() + 4);
            (longest.clamp(8, MAX_WIDTH), longest > MAX_WIDTH)
        })
        .collect()
}

/// The printed footer: the report's title on the left (cut to stay within Excel's 255
/// characters for a footer), the page number on the right.
fn footer(heading: &str) -> String {
    let mut shown = String::new();
    let mut units = 0;
    for ch in heading.chars() {
        // `&` is a code in headers and footers: written `&&`.
        let cost = ch.len_utf16() * if ch == '&' { 2 } else { 1 };
        if units + cost > 200 {
            shown.push('…');
            break;
        }
        units += cost;
        shown.push(ch);
    }
    format!("&L{}&R&P / &N", escape(&shown))
}

fn escape(text: &str) -> String {
    text.replace('&', "&&")
}

/// How a cell looks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct Style {
    bold: bool,
    /// The header row: a rule below it.
    header: bool,
    /// `Some(d)`: `#,##0` with `d` decimals; `None`: no number format (General).
    number: Option<u32>,
    /// A band's label shown after the number (` (BB)`), as literal text of the format.
    band: Option<String>,
    indent: u8,
    right: bool,
    wrap: bool,
}

/// The formats of one workbook, each built once (a sheet of 100,000 indikator has a handful).
#[derive(Default)]
struct Formats(HashMap<Style, Format>);

impl Formats {
    fn get(&mut self, style: Style) -> &Format {
        self.0.entry(style.clone()).or_insert_with(|| {
            let mut f = Format::new();
            if style.bold {
                f = f.set_bold();
            }
            if style.header {
                f = f.set_border_bottom(FormatBorder::Thin);
            }
            if let Some(decimals) = style.number {
                let mut format = number_format(decimals);
                if let Some(label) = &style.band {
                    // Quoted literal text: the cell is still the number, and sums and
                    // sorts as one. A quote cannot be inside the quotes.
                    format.push_str(&format!(" \"({})\"", label.replace('"', "'")));
                }
                f = f.set_num_format(format);
            }
            if style.indent > 0 {
                f = f.set_indent(style.indent);
            }
            if style.right {
                f = f.set_align(FormatAlign::Right);
            }
            if style.wrap {
                f = f.set_text_wrap().set_align(FormatAlign::Top);
            }
            f
        })
    }
}

/// `#,##0`, with `decimals` decimals.
fn number_format(decimals: u32) -> String {
    if decimals == 0 {
        "#,##0".into()
    } else {
        format!("#,##0.{}", "0".repeat(decimals as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tabular;
    use super::*;
    use crate::analysis::{self, Analysis, Options};
    use crate::base::number::{Locale, Rounding};
    use calamine::{Data, Reader, Xlsx};
    use rust_decimal_macros::dec;
    use std::collections::{BTreeMap, BTreeSet};
    use std::io::Cursor;
    use std::path::Path;

    fn example() -> Analysis {
        analysis::analyze(Path::new(env!("CARGO_MANIFEST_DIR")), &Options::default())
            .expect("the repository's workspace")
    }

    fn presentation(rounding: Option<Rounding>, locale: Locale) -> Presentation {
        Presentation {
            rounding,
            locale,
            width: 120,
        }
    }

    fn open(a: &Analysis, p: &Presentation) -> Xlsx<Cursor<Vec<u8>>> {
        let bytes = workbook(&a.workspace, &a.hasil, p).expect("a workbook");
        Xlsx::new(Cursor::new(bytes)).expect("calamine reads it")
    }

    type Key = (String, String, String, String);

    /// What the CSV format prints for the same report: (bagian, id, nama, ukuran) → nilai.
    fn csv_values(a: &Analysis, p: &Presentation) -> BTreeMap<Key, String> {
        let text = tabular::csv(&a.workspace, &a.hasil, p);
        csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| {
                let r = r.expect("a CSV record");
                (
                    (r[0].into(), r[1].into(), r[2].into(), r[3].into()),
                    r[4].into(),
                )
            })
            .collect()
    }

    fn key(bagian: &str, id: &str, nama: &str, ukuran: &str) -> Key {
        (bagian.into(), id.into(), nama.into(), ukuran.into())
    }

    fn string(d: &Data) -> &str {
        match d {
            Data::String(s) => s,
            _ => "",
        }
    }

    fn number(d: &Data) -> Option<f64> {
        match d {
            Data::Float(f) => Some(*f),
            Data::Int(i) => Some(*i as f64),
            _ => None,
        }
    }

    /// Which CSV figure each cell of a row shows, by column.
    fn csv_keys(sheet: &str, row: &[Data], strong: bool, organisasi: &str) -> Vec<(usize, Key)> {
        let (id, nama) = (string(&row[0]), string(&row[1]));
        let named = |bagian: &str, id: &str, nama: &str, cols: &[(usize, &str)]| {
            cols.iter()
                .map(|(c, u)| (*c, key(bagian, id, nama, u)))
                .collect::<Vec<_>>()
        };
        let figures =
            |bagian: &str, id: &str, cols: &[(usize, &str)]| named(bagian, id, nama, cols);
        let budget = [
            (2, "pagu"),
            (3, "realisasi"),
            (4, "persen"),
            (5, "sisa"),
            (6, "proporsi"),
        ];
        match sheet {
            "Indikator" if string(&row[1]) == "Nilai kinerja" && id.is_empty() => {
                named("organisasi", "nilai_kinerja", organisasi, &[(5, "capaian")])
            }
            "Indikator" if strong => figures("sasaran", id, &[(5, "capaian")]),
            "Indikator" => figures(
                "indikator",
                id,
                &[(3, "target"), (4, "realisasi"), (5, "capaian")],
            ),
            "Sasaran" => figures(
                "sasaran",
                id,
                &[
                    (3, "indikator_tercapai"),
                    (4, "indikator_belum_tercapai"),
                    (5, "capaian"),
                ],
            ),
            "Jangka menengah" => {
                let tahun = number(&row[3]).expect("a year");
                let (target, capaian) = (format!("target_{tahun}"), format!("capaian_{tahun}"));
                figures(
                    "indikator",
                    id,
                    &[(2, "realisasi"), (4, &target), (5, &capaian)],
                )
            }
            "Kegiatan" | "Jenis belanja" if string(&row[1]) == "Total" && id.is_empty() => {
                figures("anggaran", "", &budget)
            }
            "Kegiatan" => figures("kegiatan", id, &budget),
            "Jenis belanja" => figures("jenis_belanja", id, &budget),
            "Riwayat" => {
                let tahun = number(&row[0]).expect("a year");
                named("riwayat", &tahun.to_string(), "", &[(3, "persen")])
            }
            // A chronology's changes are amounts as written, not figures: the CSV has none.
            "Kronologi" => Vec::new(),
            other => panic!("an unexpected sheet {other}"),
        }
    }

    /// Reads the workbook back: the sheets are the report's sections with their headers,
    /// every figure is the number the CSV format prints for it (every one the CSV prints
    /// is in a cell), and every other cell is what the terminal table shows.
    fn agrees_with_csv(a: &Analysis, p: &Presentation) {
        let mut book = open(a, p);
        let sections = sections(&a.workspace, &a.hasil);
        let names: Vec<&str> = sections.iter().map(|s| s.sheet).collect();
        assert_eq!(
            names,
            [
                "Indikator",
                "Sasaran",
                "Jangka menengah",
                "Kegiatan",
                "Jenis belanja",
                "Riwayat",
                "Kronologi"
            ]
        );
        assert_eq!(book.sheet_names(), names);
        let csv = csv_values(a, p);
        let mut seen = BTreeSet::new();
        for s in &sections {
            let range = book.worksheet_range(s.sheet).expect("the sheet");
            let styles = book.worksheet_style(s.sheet).expect("styles");
            let rows: Vec<&[Data]> = range.rows().collect();
            let headers: Vec<&str> = rows[0].iter().map(string).collect();
            assert_eq!(headers, s.headers, "{}", s.sheet);
            assert_eq!(rows.len(), s.rows.len() + 1, "{}", s.sheet);
            for (i, (row, values)) in rows[1..].iter().zip(&s.rows).enumerate() {
                let keys = csv_keys(
                    s.sheet,
                    row,
                    s.is_strong(i),
                    &a.workspace.manifest.organisasi,
                );
                for (c, (cell, value)) in row.iter().zip(values).enumerate() {
                    let at = format!("{} row {} column {c}: {cell:?}", s.sheet, i + 2);
                    if let Some((_, k)) = keys.iter().find(|(kc, _)| *kc == c) {
                        match csv.get(k) {
                            Some(text) => {
                                let want: f64 = text.parse().expect("a CSV number");
                                assert_eq!(number(cell), Some(want), "{at} ({k:?} = {text})");
                                seen.insert(k.clone());
                                // Its band, a CSV row of its own, is in the number's format.
                                let band = (
                                    k.0.clone(),
                                    k.1.clone(),
                                    k.2.clone(),
                                    format!("kategori_{}", k.3),
                                );
                                let format = styles
                                    .get((i as u32 + 1, c as u32))
                                    .and_then(|st| st.number_format.as_ref())
                                    .map(|n| n.format_code.clone())
                                    .unwrap_or_default();
                                match csv.get(&band) {
                                    Some(label) => {
                                        assert!(
                                            format.ends_with(&format!(" \"({label})\"")),
                                            "{at}: band {label} not in the format {format}"
                                        );
                                        seen.insert(band);
                                    }
                                    None => assert!(!format.contains('"'), "{at}: {format}"),
                                }
                            }
                            None => assert!(
                                matches!(cell, Data::Empty) || string(cell) == "—",
                                "{at}: no figure in the CSV for {k:?}"
                            ),
                        }
                        continue;
                    }
                    match value {
                        Value::Empty => assert_eq!(cell, &Data::Empty, "{at}"),
                        Value::Text(t)
                        | Value::Id { id: t, .. }
                        | Value::Uraian { nama: t, .. } => {
                            assert_eq!(string(cell), t, "{at}")
                        }
                        Value::Missing => assert_eq!(string(cell), "—", "{at}"),
                        Value::Rentang(..) => assert!(string(cell).contains('–'), "{at}"),
                        Value::Whole(n) => assert_eq!(number(cell), Some(*n as f64), "{at}"),
                        Value::Rupiah(v) | Value::Bobot(v) => {
                            assert_eq!(number(cell), v.to_string().parse().ok(), "{at}")
                        }
                        Value::Figure(_) | Value::Banded(..) => {
                            panic!("{at}: a figure the CSV does not print")
                        }
                    }
                }
            }
        }
        let unseen: Vec<&Key> = csv.keys().filter(|k| !seen.contains(*k)).collect();
        assert!(unseen.is_empty(), "CSV figures in no cell: {unseen:?}");
    }

    #[test]
    fn every_figure_is_the_number_the_csv_prints() {
        let a = example();
        agrees_with_csv(&a, &presentation(Some(Rounding::half_up(2)), Locale::En));
        // Unrounded, and in the Indonesian locale: the numbers are the same numbers.
        agrees_with_csv(&a, &presentation(None, Locale::Id));
        agrees_with_csv(&a, &presentation(Some(Rounding::half_up(0)), Locale::Id));
    }

    #[test]
    fn formats_header_and_properties() {
        let a = example();
        let mut book = open(&a, &presentation(Some(Rounding::half_up(2)), Locale::Id));
        let props = book.workbook_properties().expect("properties");
        assert_eq!(
            props.title.as_deref(),
            Some(
                "Laporan Kinerja 2022 — Direktorat Jenderal Pemberdayaan Sosial (Kementerian Sosial)"
            )
        );
        assert_eq!(props.subject.as_deref(), Some("Laporan Kinerja 2022"));
        assert_eq!(
            props.creator.as_deref(),
            Some("Direktorat Jenderal Pemberdayaan Sosial")
        );
        let format_at = |book: &mut Xlsx<_>, sheet: &str, cell: (u32, u32)| {
            let styles = book.worksheet_style(sheet).expect("styles");
            let style = styles.get(cell).cloned().unwrap_or_default();
            (
                style.font.as_ref().is_some_and(|f| f.is_bold()),
                style.number_format.map(|n| n.format_code),
            )
        };
        // The header row is bold; a sasaran line too, its capaian at 2 decimals.
        assert!(format_at(&mut book, "Indikator", (0, 0)).0);
        assert_eq!(
            format_at(&mut book, "Indikator", (1, 5)),
            (true, Some("#,##0.00".into()))
        );
        // Rupiah whole: no decimals; the total line bold.
        let kegiatan = book.worksheet_range("Kegiatan").expect("sheet");
        let total = kegiatan.height() as u32 - 1;
        assert_eq!(
            kegiatan.get_value((total, 2)),
            Some(&Data::Float(28_585_438_802_000.0))
        );
        assert_eq!(
            format_at(&mut book, "Kegiatan", (total, 2)),
            (true, Some("#,##0".into()))
        );
        assert_eq!(
            format_at(&mut book, "Kegiatan", (1, 4)),
            (false, Some("#,##0.00".into()))
        );
    }

    /// An amount a double cannot hold, or one with more digits than Excel shows, is written
    /// as its exact digits (as text, in the locale); one with sen keeps its decimals.
    #[test]
    fn an_amount_excel_cannot_hold_is_text() {
        let mut a = example();
        let p = presentation(Some(Rounding::half_up(2)), Locale::Id);
        let k = &mut a.hasil.anggaran.baris;
        // 2^53 + 1: the double nearest is 2^53.
        k[0].pagu = dec!(9007199254740993);
        // Held exactly by a double, but Excel shows 1234567890123460.
        k[1].pagu = dec!(1234567890123456);
        k[2].pagu = dec!(1500000.50);
        let csv = csv_values(&a, &p);
        let mut book = open(&a, &p);
        let range = book.worksheet_range("Kegiatan").expect("sheet");
        let nama = |row: u32| string(range.get_value((row, 1)).expect("nama")).to_string();
        let pagu = |row: u32| range.get_value((row, 2)).cloned();
        assert_eq!(
            csv[&key("kegiatan", "", &nama(1), "pagu")],
            "9007199254740993",
            "the CSV has every digit"
        );
        assert_eq!(
            pagu(1),
            Some(Data::String("Rp9.007.199.254.740.993".into()))
        );
        assert_eq!(
            pagu(2),
            Some(Data::String("Rp1.234.567.890.123.456".into()))
        );
        assert_eq!(pagu(3), Some(Data::Float(1_500_000.5)));
        let styles = book.worksheet_style("Kegiatan").expect("styles");
        let format = |row: u32| {
            styles
                .get((row, 2))
                .and_then(|s| s.number_format.clone())
                .map(|n| n.format_code)
        };
        assert_eq!(format(3).as_deref(), Some("#,##0.0"));
    }

    #[test]
    fn exact_numbers() {
        for (v, want) in [
            (dec!(28585438802000), Some(28_585_438_802_000.0)),
            (dec!(-228875249244), Some(-228_875_249_244.0)),
            (dec!(99.25), Some(99.25)),
            (dec!(0.1), Some(0.1)),
            (dec!(0), Some(0.0)),
            (dec!(100.000), Some(100.0)),
            (dec!(999999999999999), Some(999_999_999_999_999.0)),
            (dec!(3000000000000000000), Some(3e18)),
            (dec!(9007199254740993), None),
            (dec!(1234567890123456), None),
            (dec!(0.1000000000000000000000000001), None),
        ] {
            assert_eq!(exact(v), want, "{v}");
        }
        assert_eq!(significant_digits(dec!(28585438802000.50)), 15);
        assert_eq!(full_decimals(dec!(103.58428571428571428571428571)), 12);
        assert_eq!(full_decimals(dec!(0.5)), 1);
        assert_eq!(full_decimals(dec!(100)), 0);
    }

    /// Unrounded figures are the nearest double with as many decimals as Excel shows; at a
    /// presentation precision, the rounded figure.
    #[test]
    fn figures_at_the_presentation_precision() {
        let v = Value::Figure(dec!(99.24570744680851063829787234));
        assert_eq!(
            cell(&v, &presentation(None, Locale::En)),
            Cell::Number {
                value: 99.24570744680851,
                decimals: Some(13),
                band: None,
            }
        );
        assert_eq!(
            cell(&v, &presentation(Some(Rounding::half_up(2)), Locale::En)),
            Cell::Number {
                value: 99.25,
                decimals: Some(2),
                band: None,
            }
        );
        let banded = Value::Banded(
            dec!(77.51),
            super::super::sections::Kategori {
                label: "BB".into(),
                warna: None,
            },
        );
        assert_eq!(
            cell(
                &banded,
                &presentation(Some(Rounding::half_up(2)), Locale::En)
            ),
            Cell::Number {
                value: 77.51,
                decimals: Some(2),
                band: Some("BB".into()),
            }
        );
        let huge = Value::Figure(dec!(12345678901234567.891));
        assert_eq!(
            cell(&huge, &presentation(Some(Rounding::half_up(2)), Locale::Id)),
            Cell::Text {
                text: "12.345.678.901.234.567,89".into(),
                indent: 0,
                kind: TextKind::NotANumber
            }
        );
        assert_eq!(
            cell(&Value::Missing, &presentation(None, Locale::Id)),
            Cell::Text {
                text: "—".into(),
                indent: 0,
                kind: TextKind::Missing
            }
        );
    }

    /// What a workbook cannot hold is an error that names the sheet and the cell.
    #[test]
    fn too_large_for_a_workbook() {
        let mut a = example();
        a.workspace.sasaran[0].nama = "x".repeat(40_000);
        let p = presentation(Some(Rounding::half_up(2)), Locale::En);
        let e = workbook(&a.workspace, &a.hasil, &p).expect_err("too long for a cell");
        assert_eq!(
            e.to_string(),
            "the sheet Indikator, cell B2: String exceeds Excel's limit of 32,767 characters."
        );
        let rows = Section {
            title: "Capaian".into(),
            sheet: "Indikator",
            headers: vec!["ID"],
            numeric: Vec::new(),
            rows: vec![Vec::new(); EXCEL_ROWS],
            strong: Vec::new(),
        };
        let mut book = Workbook::new();
        let e = write_sheet(book.add_worksheet(), &rows, &p, "", &mut Formats::default())
            .expect_err("too many rows");
        assert_eq!(
            e.to_string(),
            "the sheet Indikator would have 1048577 rows, more than the 1048576 an Excel sheet holds"
        );
    }

    #[test]
    fn the_footer_stays_within_excel_s_limit() {
        assert_eq!(footer("A & B"), "&LA && B&R&P / &N");
        let long = footer(&"&".repeat(300));
        assert!(long.encode_utf16().count() <= 255, "{long}");
        assert!(long.ends_with("…&R&P / &N"));
    }
}
