//! Budget line data from CSV: millions of rows exported by the budget execution systems,
//! aggregated natively and exactly in one streaming pass per chunk (in parallel), with memory
//! bounded by the number of groups (kegiatan × jenis belanja), never by the number of rows.
//!
//! Accepted: Indonesian number format (`1.234.567,89`) or plain (`1234567.89`), an optional
//! `Rp` prefix, a UTF-8 byte-order mark, `;`, `,` or tab as delimiter (detected from the
//! header when not given). Jenis belanja is the first two digits of the akun.

use crate::base::files::{FileError, LINES_LIMIT, check_regular, open_regular};
use crate::base::number::{NumberFormat, parse_amount};
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// How the CSV's columns map to what kinerja needs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Columns {
    pub(crate) kegiatan: String,
    pub(crate) akun: String,
    pub(crate) pagu: String,
    pub(crate) realisasi: String,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            kegiatan: "kegiatan".into(),
            akun: "akun".into(),
            pagu: "pagu".into(),
            realisasi: "realisasi".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Options {
    pub(crate) columns: Columns,
    /// `None`: detected from the header line.
    pub(crate) delimiter: Option<u8>,
    pub(crate) format: NumberFormat,
}

/// One file of line data (CSV, or a workbook) and how to read it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct LineSource {
    pub(crate) path: PathBuf,
    pub(crate) options: Options,
}

/// Reads and aggregates one source: a workbook by its extension, else CSV.
pub(crate) fn read(source: &LineSource) -> Result<Aggregate, CsvError> {
    let started = std::time::Instant::now();
    let path = &source.path;
    let workbook = ["xlsx", "xlsm", "xls", "xlsb", "ods"].iter().any(|e| {
        path.extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| x.eq_ignore_ascii_case(e))
    });
    let agg = if workbook {
        // The workbook reader opens the file itself: what it is, is checked first.
        check_regular(path, LINES_LIMIT).map_err(|e| match e {
            FileError::Io(e) => CsvError::Io(path.display().to_string(), e),
            other => CsvError::File(other),
        })?;
        aggregate_workbook(path, &source.options)?
    } else {
        aggregate_file(path, &source.options)?
    };
    tracing::debug!(file = %path.display(), rows = agg.rows, groups = agg.groups.len(), elapsed = ?started.elapsed(), "budget lines aggregated");
    Ok(agg)
}

/// Pagu and realisasi summed for one group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Sums {
    pub(crate) pagu: Decimal,
    pub(crate) realisasi: Decimal,
    pub(crate) rows: u64,
}

impl Sums {
    /// Adds exactly; false if a sum would leave the decimal range (nothing is added then).
    fn add(&mut self, pagu: Decimal, realisasi: Decimal, rows: u64) -> bool {
        match (
            self.pagu.checked_add(pagu),
            self.realisasi.checked_add(realisasi),
        ) {
            (Some(p), Some(r)) => {
                self.pagu = p;
                self.realisasi = r;
                self.rows += rows;
                true
            }
            _ => false,
        }
    }
}

/// A row that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BadRow {
    /// 1-based line in the file.
    pub(crate) line: u64,
    /// 1-based column (field) number, when one field is to blame.
    pub(crate) column: Option<usize>,
    pub(crate) message: String,
}

/// The aggregated lines.
#[derive(Clone, Debug, Default)]
pub(crate) struct Aggregate {
    /// By (kegiatan, jenis belanja code). Hashed with aHash: SipHash's resistance to
    /// adversarial keys costs a sixth of the aggregation here and buys nothing.
    pub(crate) groups: HashMap<(String, String), Sums, ahash::RandomState>,
    pub(crate) rows: u64,
    pub(crate) bad: Vec<BadRow>,
    /// Bad rows beyond those kept in `bad`.
    pub(crate) more_bad: u64,
    /// A group's sum left the decimal range (about 7.9 × 10^28): amounts are mistyped.
    pub(crate) overflowed: bool,
}

/// How many bad rows are described one by one.
pub(crate) const MAX_LISTED_BAD_ROWS: usize = 100;

#[derive(Debug, thiserror::Error)]
pub(crate) enum CsvError {
    #[error("cannot read {0}: {1}")]
    Io(String, std::io::Error),
    /// Not a regular file, or one over the limit: said without the path, which the caller
    /// names.
    #[error("{0}")]
    File(#[from] FileError),
    #[error("the file is empty: it needs a header line")]
    Empty,
    #[error("the header has no column `{0}` (it has: {1})")]
    MissingColumn(String, String),
}

/// Bytes read per block when streaming a file: memory stays bounded whatever its size.
const BLOCK: usize = 8 << 20;

/// Aggregates a CSV file, streaming it in blocks of whole lines; each block is split among
/// the threads. Memory: one block plus the groups.
pub(crate) fn aggregate_file(path: &Path, options: &Options) -> Result<Aggregate, CsvError> {
    let (file, _) = open_regular(path, LINES_LIMIT).map_err(|e| match e {
        FileError::Io(e) => CsvError::Io(path.display().to_string(), e),
        other => CsvError::File(other),
    })?;
    aggregate_stream(file, &path.display().to_string(), options, BLOCK)
}

fn aggregate_stream(
    mut file: impl std::io::Read,
    name: &str,
    options: &Options,
    block_size: usize,
) -> Result<Aggregate, CsvError> {
    let io_err = |e| CsvError::Io(name.to_string(), e);
    let mut buf: Vec<u8> = Vec::with_capacity(block_size + 4096);
    let mut total = Aggregate::default();
    let mut header: Option<Header> = None;
    let mut next_line = 1u64;
    let mut eof = false;
    while !eof {
        let start = buf.len();
        buf.resize(start + block_size, 0);
        let mut filled = start;
        while filled < buf.len() {
            let n = file.read(&mut buf[filled..]).map_err(io_err)?;
            if n == 0 {
                eof = true;
                break;
            }
            filled += n;
        }
        buf.truncate(filled);
        // Whole lines only; the rest waits for the next block.
        let cut = if eof {
            buf.len()
        } else {
            buf.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)
        };
        if cut == 0 && !eof {
            continue;
        }
        let mut block: &[u8] = &buf[..cut];
        if header.is_none() {
            let (h, rest) = read_header(block, options)?;
            header = Some(h);
            next_line += 1;
            block = rest;
        }
        if let Some(h) = &header {
            let lines_in_block = count_lines(block);
            merge(
                &mut total,
                aggregate_body(block, next_line, h, options.format),
            );
            next_line += lines_in_block;
        }
        buf.drain(..cut);
    }
    if header.is_none() {
        return Err(CsvError::Empty);
    }
    Ok(total)
}

/// Aggregates a whole CSV held in memory.
#[cfg(test)]
fn aggregate(bytes: &[u8], options: &Options) -> Result<Aggregate, CsvError> {
    let (header, body) = read_header(bytes, options)?;
    Ok(aggregate_body(body, 2, &header, options.format))
}

/// The delimiter and the positions of the needed columns.
struct Header {
    delimiter: u8,
    columns: [usize; 4],
}

fn read_header<'a>(bytes: &'a [u8], options: &Options) -> Result<(Header, &'a [u8]), CsvError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let header_end = memchr::memchr(b'\n', bytes).map_or(bytes.len(), |i| i + 1);
    let header_line = &bytes[..header_end];
    if header_line.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(CsvError::Empty);
    }
    let delimiter = options
        .delimiter
        .unwrap_or_else(|| detect_delimiter(header_line));
    let names: Vec<String> = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(header_line)
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| r.iter().map(|f| f.trim().to_lowercase()).collect())
        .unwrap_or_default();
    let columns = column_positions(&names, &options.columns)?;
    Ok((Header { delimiter, columns }, &bytes[header_end..]))
}

/// Where kegiatan, akun, pagu and realisasi stand in a (lower-cased) header.
fn column_positions(header: &[String], columns: &Columns) -> Result<[usize; 4], CsvError> {
    let index = |name: &str| {
        header
            .iter()
            .position(|h| h == &name.to_lowercase())
            .ok_or_else(|| CsvError::MissingColumn(name.to_string(), header.join(", ")))
    };
    Ok([
        index(&columns.kegiatan)?,
        index(&columns.akun)?,
        index(&columns.pagu)?,
        index(&columns.realisasi)?,
    ])
}

/// Aggregates lines (no header) whose first is line `first_line` of the file.
fn aggregate_body(
    body: &[u8],
    first_line: u64,
    header: &Header,
    format: NumberFormat,
) -> Aggregate {
    // A quoted field may hold a line end, so text with quotes is read in one piece.
    let chunks = if memchr::memchr(b'"', body).is_some() {
        vec![(0, body.len())]
    } else {
        split_lines(body, rayon::current_num_threads() * 4)
    };
    // Each chunk's first line number, counted once over the whole body.
    let mut starts = Vec::with_capacity(chunks.len());
    let mut line = first_line;
    let mut counted = 0;
    for &(start, _) in &chunks {
        line += count_lines(&body[counted..start]);
        counted = start;
        starts.push(line);
    }
    let parts: Vec<Aggregate> = chunks
        .par_iter()
        .zip(starts)
        .map(|(&(start, end), line)| {
            aggregate_chunk(
                &body[start..end],
                line,
                header.delimiter,
                header.columns,
                format,
            )
        })
        .collect();
    let mut total = Aggregate::default();
    for part in parts {
        merge(&mut total, part);
    }
    total
}

fn merge(total: &mut Aggregate, part: Aggregate) {
    total.overflowed |= part.overflowed;
    for (k, v) in part.groups {
        if !total
            .groups
            .entry(k)
            .or_default()
            .add(v.pagu, v.realisasi, v.rows)
        {
            total.overflowed = true;
        }
    }
    total.rows += part.rows;
    total.more_bad += part.more_bad;
    for b in part.bad {
        if total.bad.len() < MAX_LISTED_BAD_ROWS {
            total.bad.push(b);
        } else {
            total.more_bad += 1;
        }
    }
}

fn aggregate_chunk(
    chunk: &[u8],
    first_line: u64,
    delimiter: u8,
    cols: [usize; 4],
    format: NumberFormat,
) -> Aggregate {
    let mut agg = Aggregate::default();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(chunk);
    let mut record = csv::ByteRecord::new();
    // A map keyed by borrowed bytes would need the record to outlive the loop; the group
    // key is copied only when a new group appears.
    let mut key_buf = (String::new(), String::new());
    loop {
        let line = first_line + reader.position().line().saturating_sub(1);
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                push_bad(
                    &mut agg,
                    BadRow {
                        line,
                        column: None,
                        message: e.to_string(),
                    },
                );
                continue;
            }
        }
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let field = |i: usize| record.get(cols[i]);
        let (Some(kegiatan), Some(akun), Some(pagu), Some(realisasi)) =
            (field(0), field(1), field(2), field(3))
        else {
            let have = record.len();
            push_bad(
                &mut agg,
                BadRow {
                    line,
                    column: None,
                    message: format!("the row has {have} fields; the header has more"),
                },
            );
            continue;
        };
        add_line(
            &mut agg,
            &mut key_buf,
            line,
            cols,
            [kegiatan, akun, pagu, realisasi],
            [format, format],
        );
    }
    agg
}

/// Checks one line's fields and adds it to its group; a field that cannot be read makes it
/// a bad row. `formats` are those of pagu and realisasi.
fn add_line(
    agg: &mut Aggregate,
    key_buf: &mut (String, String),
    line: u64,
    cols: [usize; 4],
    fields: [&[u8]; 4],
    formats: [NumberFormat; 2],
) {
    let [kegiatan, akun, pagu, realisasi] = fields;
    let akun = akun.trim_ascii();
    if akun.len() < 2 || !akun[..2].iter().all(u8::is_ascii_digit) {
        push_bad(
            agg,
            BadRow {
                line,
                column: Some(cols[1] + 1),
                message: format!(
                    "akun `{}` does not start with two digits",
                    String::from_utf8_lossy(akun)
                ),
            },
        );
        return;
    }
    let amounts = (
        parse_amount(pagu, formats[0]),
        parse_amount(realisasi, formats[1]),
    );
    let (pagu, realisasi) = match amounts {
        (Ok(p), Ok(r)) => (p, r),
        (Err(e), _) => {
            push_bad(
                agg,
                BadRow {
                    line,
                    column: Some(cols[2] + 1),
                    message: format!("pagu: {e}"),
                },
            );
            return;
        }
        (_, Err(e)) => {
            push_bad(
                agg,
                BadRow {
                    line,
                    column: Some(cols[3] + 1),
                    message: format!("realisasi: {e}"),
                },
            );
            return;
        }
    };
    let kegiatan = String::from_utf8_lossy(kegiatan.trim_ascii());
    key_buf.0.clear();
    key_buf.0.push_str(&kegiatan);
    key_buf.1.clear();
    key_buf.1.push_str(&String::from_utf8_lossy(&akun[..2]));
    let sums = match agg.groups.get_mut(key_buf) {
        Some(s) => s,
        None => agg.groups.entry(key_buf.clone()).or_default(),
    };
    if !sums.add(pagu, realisasi, 1) {
        push_bad(
            agg,
            BadRow {
                line,
                column: None,
                message: "the sum of its group grows beyond the largest exact number".into(),
            },
        );
        return;
    }
    agg.rows += 1;
}

fn push_bad(agg: &mut Aggregate, row: BadRow) {
    if agg.bad.len() < MAX_LISTED_BAD_ROWS {
        agg.bad.push(row);
    } else {
        agg.more_bad += 1;
    }
}

fn detect_delimiter(header: &[u8]) -> u8 {
    let count = |d: u8| header.iter().filter(|&&b| b == d).count();
    [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|&d| (count(d), d == b';'))
        .unwrap_or(b',')
}

fn count_lines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// Splits into about `n` pieces, each ending at a line end.
fn split_lines(bytes: &[u8], n: usize) -> Vec<(usize, usize)> {
    let n = n.max(1);
    let target = bytes.len() / n + 1;
    let mut out = Vec::with_capacity(n);
    let mut start = 0;
    while start < bytes.len() {
        let mut end = (start + target).min(bytes.len());
        while end < bytes.len() && bytes[end - 1] != b'\n' {
            end += 1;
        }
        out.push((start, end));
        start = end;
    }
    out
}

/// Without the `xlsx` feature, a workbook is a clear error.
#[cfg(not(feature = "xlsx"))]
fn aggregate_workbook(path: &Path, _: &Options) -> Result<Aggregate, CsvError> {
    Err(CsvError::Io(
        path.display().to_string(),
        std::io::Error::other(
            "this kinerja was built without Excel support: rebuild with `cargo build --release --features xlsx`, or export the sheet as CSV",
        ),
    ))
}

/// Aggregates the first worksheet of an Excel workbook (`.xlsx`, `.xls`, `.xlsb`, `.ods`)
/// the same way as a CSV: a header row, then one line per row. Numeric cells are read
/// exactly as the workbook stores them (Excel keeps 15 significant digits; their shortest
/// decimal form is what the workbook holds); text cells use the configured number format.
#[cfg(feature = "xlsx")]
fn aggregate_workbook(path: &Path, options: &Options) -> Result<Aggregate, CsvError> {
    use calamine::{Data, Reader, open_workbook_auto};
    let name = path.display().to_string();
    let io = |e: String| CsvError::Io(name.clone(), std::io::Error::other(e));
    let mut workbook = open_workbook_auto(path).map_err(|e| io(e.to_string()))?;
    let sheet = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or(CsvError::Empty)?;
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| io(e.to_string()))?;
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .ok_or(CsvError::Empty)?
        .iter()
        .map(|c| c.to_string().trim().to_lowercase())
        .collect();
    let cols = column_positions(&header, &options.columns)?;
    // A cell as text, and the format its text is in: numbers are plain, text is as exported.
    let cell = |row: &[Data], i: usize| -> (String, NumberFormat) {
        match row.get(i) {
            Some(Data::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                (format!("{}", *f as i64), NumberFormat::Plain)
            }
            Some(Data::Float(f)) => (format!("{f}"), NumberFormat::Plain),
            Some(Data::Int(n)) => (n.to_string(), NumberFormat::Plain),
            Some(other) => (other.to_string(), options.format),
            None => (String::new(), options.format),
        }
    };
    let mut agg = Aggregate::default();
    let mut key_buf = (String::new(), String::new());
    for (n, row) in rows.enumerate() {
        if row.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        let fields: Vec<(String, NumberFormat)> = cols.iter().map(|&i| cell(row, i)).collect();
        add_line(
            &mut agg,
            &mut key_buf,
            n as u64 + 2,
            cols,
            [
                fields[0].0.as_bytes(),
                fields[1].0.as_bytes(),
                fields[2].0.as_bytes(),
                fields[3].0.as_bytes(),
            ],
            [fields[2].1, fields[3].1],
        );
    }
    Ok(agg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn opts(delimiter: Option<u8>, format: NumberFormat) -> Options {
        Options {
            columns: Columns::default(),
            delimiter,
            format,
        }
    }

    #[test]
    fn aggregates_by_kegiatan_and_jenis_belanja() {
        let csv = "\u{feff}satker;kegiatan;akun;pagu;realisasi\n1;K1;521211;1.000,50;900\n1;K1;525112;2.000;1.500\n2;K2;511111;100;100\n\n";
        let agg = aggregate(csv.as_bytes(), &opts(None, NumberFormat::Indonesian)).expect("agg");
        assert_eq!(agg.rows, 3);
        assert!(agg.bad.is_empty(), "{:?}", agg.bad);
        let k1 = agg.groups[&("K1".to_string(), "52".to_string())];
        assert_eq!(
            (k1.pagu, k1.realisasi, k1.rows),
            (dec!(3000.50), dec!(2400), 2)
        );
        assert_eq!(
            agg.groups[&("K2".to_string(), "51".to_string())].pagu,
            dec!(100)
        );
    }

    #[test]
    fn comma_delimited_plain_with_quotes() {
        let csv = "Kegiatan,Akun,Pagu,Realisasi\n\"K1, lama\",571111,\"1,000.25\",1000\n";
        let agg = aggregate(csv.as_bytes(), &opts(None, NumberFormat::Plain)).expect("agg");
        assert_eq!(
            agg.groups[&("K1, lama".to_string(), "57".to_string())].pagu,
            dec!(1000.25)
        );
    }

    #[test]
    fn bad_rows_have_line_and_column() {
        let csv = "kegiatan;akun;pagu;realisasi\nK1;521211;1.000;900\nK1;xx;1;1\nK1;521211;1,2,3;1\nK2;521211\n";
        let agg =
            aggregate(csv.as_bytes(), &opts(Some(b';'), NumberFormat::Indonesian)).expect("agg");
        assert_eq!(agg.rows, 1);
        let lines: Vec<(u64, Option<usize>)> = agg.bad.iter().map(|b| (b.line, b.column)).collect();
        assert_eq!(lines, vec![(3, Some(2)), (4, Some(3)), (5, None)]);
    }

    #[test]
    fn chunked_parsing_gives_the_same_sums_and_line_numbers() {
        let mut csv = String::from("kegiatan;akun;pagu;realisasi\n");
        for i in 0..5000 {
            csv.push_str(&format!(
                "K{};52{:04};1.000,{:02};{}\n",
                i % 7,
                i % 100,
                i % 100,
                i
            ));
        }
        csv.push_str("K1;??;1;1\n");
        let agg = aggregate(csv.as_bytes(), &opts(None, NumberFormat::Indonesian)).expect("agg");
        assert_eq!(agg.rows, 5000);
        let total: Decimal = agg.groups.values().map(|s| s.realisasi).sum();
        assert_eq!(total, Decimal::from((0..5000).sum::<i64>()));
        assert_eq!(agg.bad[0].line, 5002);
    }

    #[test]
    fn streaming_in_small_blocks_gives_the_same_result() {
        let mut csv = String::from("\u{feff}kegiatan;akun;pagu;realisasi\n");
        for i in 0..300 {
            csv.push_str(&format!("K{};57{:04};{}.000;{}\n", i % 3, i, i + 1, i));
        }
        csv.push_str("K1;??;1;1\nK2;571111;5;5");
        let whole =
            aggregate(csv.as_bytes(), &opts(None, NumberFormat::Indonesian)).expect("whole");
        for block in [7, 64, 1000] {
            let streamed = aggregate_stream(
                csv.as_bytes(),
                "t.csv",
                &opts(None, NumberFormat::Indonesian),
                block,
            )
            .expect("stream");
            assert_eq!(streamed.rows, whole.rows, "block {block}");
            assert_eq!(streamed.groups, whole.groups, "block {block}");
            assert_eq!(streamed.bad, whole.bad, "block {block}");
        }
        assert_eq!(whole.rows, 301);
        assert_eq!(whole.bad[0].line, 302);
    }

    #[test]
    fn header_problems() {
        assert!(matches!(
            aggregate(b"", &opts(None, NumberFormat::Plain)),
            Err(CsvError::Empty)
        ));
        assert!(matches!(
            aggregate(b"a;b\n1;2\n", &opts(None, NumberFormat::Plain)),
            Err(CsvError::MissingColumn(c, _)) if c == "kegiatan"
        ));
    }
}

#[cfg(all(test, feature = "xlsx"))]
mod workbook_tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn reads_a_workbook_like_a_csv() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rincian.xlsx");
        let options = Options {
            columns: Columns::default(),
            delimiter: None,
            format: NumberFormat::Indonesian,
        };
        let agg = aggregate_workbook(&path, &options).expect("workbook");
        assert_eq!(agg.rows, 3);
        let k52 = agg.groups[&("6446".to_string(), "52".to_string())];
        assert_eq!((k52.pagu, k52.realisasi), (dec!(1000.5), dec!(900)));
        // A text cell in the Indonesian format, with Rp.
        assert_eq!(
            agg.groups[&("6446".to_string(), "57".to_string())].pagu,
            dec!(2000)
        );
        assert_eq!(
            agg.groups[&("6447".to_string(), "51".to_string())].pagu,
            dec!(100)
        );
        assert_eq!(agg.bad.len(), 1);
        assert_eq!((agg.bad[0].line, agg.bad[0].column), (5, Some(2)));
    }
}
