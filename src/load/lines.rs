//! Budget line data from CSV: millions of rows exported by the budget execution systems,
//! aggregated natively and exactly in one streaming pass per chunk (in parallel), with memory
//! bounded by the number of groups (kegiatan × jenis belanja), never by the number of rows.
//!
//! Accepted: Indonesian number format (`1.234.567,89`) or plain (`1234567.89`), an optional
//! `Rp` prefix, a UTF-8 byte-order mark, `;`, `,` or tab as delimiter (detected from the
//! header when not given). Jenis belanja is the first two digits of the akun, or under the
//! regional scheme its first three dotted segments under 5.1 and first two elsewhere
//! ([`Skema::jenis_of_akun`]).
//!
//! Every physical line is one record, ended by LF, CRLF or CR (mixed too): a value cannot
//! span lines, so any line start is a place to cut the file into blocks and chunks, and
//! line numbers stay exact. A field starting with `"` is quoted: it may hold the delimiter,
//! `""` inside it is a quote, and its closing quote ends the field. Whatever cannot be read
//! exactly is refused rather than guessed: a row whose field count differs from the
//! header's, a quote that does not close on its line or has text after it, a field kinerja
//! reads that is not UTF-8, a bad akun or amount (bad rows, by line); a needed column that
//! is missing or named twice (an error).

use crate::base::files::{FileError, LINES_LIMIT, check_regular, open_regular};
use crate::base::number::{NumberFormat, excerpt, parse_amount};
use crate::model::{Kalender, Periode, PeriodeError, Skema, Tanggal, TanggalError};
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// How the CSV's columns map to what kinerja needs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Columns {
    /// The code column of the top level the lines name (the kegiatan's by default).
    pub(crate) kegiatan: String,
    /// The code columns of the levels under it, in order (`sub_kegiatan`; `kro`, `ro`):
    /// a line's group is then the path of its codes, joined by [`LEVEL_SEPARATOR`].
    pub(crate) deeper: Vec<String>,
    pub(crate) akun: String,
    pub(crate) pagu: String,
    pub(crate) realisasi: String,
    /// The column that places each line's realisasi in a period, where the lines have one.
    pub(crate) periode: Option<KolomPeriode>,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            kegiatan: "kegiatan".into(),
            deeper: Vec::new(),
            akun: "akun".into(),
            pagu: "pagu".into(),
            realisasi: "realisasi".into(),
            periode: None,
        }
    }
}

/// A column that places each line's realisasi in a period of `kalender`: a period as
/// written in files (`TW2`, `Juni`), or a date (`2022-05-31`, `2022-05`) of `tahun`, whose
/// month gives the period it falls in. The calendar and year are the manifest's, and so
/// part of what keys a watch session's memo of the aggregate.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct KolomPeriode {
    /// The header name.
    pub(crate) nama: String,
    /// A date column (`tanggal`), else a period column (`periode`).
    pub(crate) tanggal: bool,
    pub(crate) kalender: Kalender,
    pub(crate) tahun: i32,
}

impl KolomPeriode {
    /// The period a line's cell names; `Err` with what is wrong and what to write.
    fn periode(&self, text: &str) -> Result<Periode, String> {
        let shown = excerpt(text.as_bytes());
        let periods = self.kalender.listed();
        if self.tanggal {
            let t = match Tanggal::parse(text) {
                Ok(t) => t,
                Err(TanggalError::Format) => {
                    return Err(format!(
                        "tanggal `{shown}` is not a date: write it as 2022-05-31 (or 2022-05)"
                    ));
                }
                Err(TanggalError::NoSuchDay) => {
                    return Err(format!("tanggal `{shown}` is no day of the calendar"));
                }
            };
            if t.tahun != self.tahun {
                return Err(format!(
                    "tanggal `{shown}` is in {}, outside the report's year {}: a line of another year belongs to that year's workspace",
                    t.tahun, self.tahun
                ));
            }
            return Ok(self.kalender.of_month(t.bulan));
        }
        match Periode::parse(text) {
            Ok(p) if p.kalender == self.kalender => Ok(p),
            Ok(p) => Err(format!(
                "periode `{shown}` is a period of the {} calendar, but the workspace reports per {}: write one of {periods}",
                p.kalender.name(),
                self.kalender.name()
            )),
            Err(PeriodeError::OutOfRange(..)) | Err(PeriodeError::Unknown) => Err(format!(
                "periode `{shown}` is not a period of the {} calendar: write one of {periods}",
                self.kalender.name()
            )),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Options {
    pub(crate) columns: Columns,
    /// `None`: detected from the header line.
    pub(crate) delimiter: Option<u8>,
    pub(crate) format: NumberFormat,
    /// How the akun is written, and so which part of it is the jenis belanja: part of what
    /// keys a watch session's memo of the aggregate.
    pub(crate) skema: Skema,
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

/// What joins the codes of a line's levels in its group's key (`1.01.01.2.01␟1.01.01.2.01.0001`):
/// the unit separator, which no code holds (a line whose code does is a bad line).
pub(crate) const LEVEL_SEPARATOR: char = '\u{1f}';

/// Pagu and realisasi summed for one group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Sums {
    pub(crate) pagu: Decimal,
    pub(crate) realisasi: Decimal,
    pub(crate) rows: u64,
    /// The realisasi of each period (`[ke - 1]`), where the lines have a period column.
    pub(crate) periode: [Decimal; 12],
}

impl Sums {
    /// Adds another group's sums exactly; false if a sum would leave the decimal range
    /// (nothing is added then).
    fn merge(&mut self, other: &Sums) -> bool {
        let mut periode = self.periode;
        for (p, o) in periode.iter_mut().zip(&other.periode) {
            match p.checked_add(*o) {
                Some(v) => *p = v,
                None => return false,
            }
        }
        if !self.add(other.pagu, other.realisasi, other.rows) {
            return false;
        }
        self.periode = periode;
        true
    }

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
    /// By (kegiatan, or the path of level codes, and jenis belanja code). Hashed with aHash: SipHash's resistance to
    /// adversarial keys costs a sixth of the aggregation here and buys nothing.
    pub(crate) groups: HashMap<(String, String), Sums, ahash::RandomState>,
    pub(crate) rows: u64,
    pub(crate) bad: Vec<BadRow>,
    /// Bad rows beyond those kept in `bad`.
    pub(crate) more_bad: u64,
    /// A group's sum left the decimal range (about 7.9 × 10^28): amounts are mistyped.
    pub(crate) overflowed: bool,
    /// The latest period (`ke`) a line names, where the lines have a period column: the
    /// lines are complete up to it, so a group's period without lines spent nothing.
    pub(crate) periode: u8,
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
    #[error(
        "the header has column `{0}` twice (fields {1} and {2}): rename the one kinerja should not read"
    )]
    DuplicateColumn(String, usize, usize),
    #[error("the header line cannot be read: {0}")]
    BadHeader(String),
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

/// Aggregates CSV text read in blocks of about `block_size` bytes (the tests cut lines at
/// every place with small blocks).
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
            complete_lines_end(&buf)
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
            let (part, lines) = aggregate_body(block, next_line, h, options.format);
            merge(&mut total, part);
            next_line += lines;
        }
        buf.drain(..cut);
    }
    if header.is_none() {
        return Err(CsvError::Empty);
    }
    Ok(total)
}

/// Where the last complete line of `buf` ends (0: none yet). A CR at the very end may be the
/// first half of a CRLF, so the line it ends waits for the next byte.
fn complete_lines_end(buf: &[u8]) -> usize {
    let settled = buf.strip_suffix(b"\r").unwrap_or(buf);
    memchr::memrchr2(b'\n', b'\r', settled).map_or(0, |i| i + 1)
}

/// Aggregates a whole CSV held in memory.
#[cfg(test)]
fn aggregate(bytes: &[u8], options: &Options) -> Result<Aggregate, CsvError> {
    let (header, body) = read_header(bytes, options)?;
    Ok(aggregate_body(body, 2, &header, options.format).0)
}

/// The delimiter, how many fields a row has, and where the needed columns are.
struct Header {
    delimiter: u8,
    fields: usize,
    columns: [usize; 4],
    /// The code columns of the levels under the first, in order.
    deeper: Vec<usize>,
    skema: Skema,
    /// The period column, where there is one.
    periode: Option<(usize, KolomPeriode)>,
}

fn read_header<'a>(bytes: &'a [u8], options: &Options) -> Result<(Header, &'a [u8]), CsvError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let (header_line, rest) = split_first_line(bytes);
    if header_line.iter().all(u8::is_ascii_whitespace) {
        return Err(CsvError::Empty);
    }
    let delimiter = options
        .delimiter
        .unwrap_or_else(|| detect_delimiter(header_line));
    let mut spans = Vec::new();
    split_fields(header_line, delimiter, &mut spans)
        .map_err(|e| CsvError::BadHeader(e.message(header_line)))?;
    let mut unquoted = Vec::new();
    let names: Vec<String> = spans
        .iter()
        .map(|span| {
            String::from_utf8_lossy(span.text(header_line, &mut unquoted))
                .trim()
                .to_lowercase()
        })
        .collect();
    let columns = column_positions(&names, &options.columns)?;
    let deeper = deeper_positions(&names, &options.columns)?;
    let periode = periode_position(&names, &options.columns)?;
    let header = Header {
        delimiter,
        fields: names.len(),
        columns,
        deeper,
        skema: options.skema,
        periode,
    };
    Ok((header, rest))
}

/// Where kegiatan, akun, pagu and realisasi stand in a (lower-cased) header.
fn column_positions(header: &[String], columns: &Columns) -> Result<[usize; 4], CsvError> {
    Ok([
        column_position(header, &columns.kegiatan)?,
        column_position(header, &columns.akun)?,
        column_position(header, &columns.pagu)?,
        column_position(header, &columns.realisasi)?,
    ])
}

/// Where the deeper levels' code columns stand, each found once.
fn deeper_positions(header: &[String], columns: &Columns) -> Result<Vec<usize>, CsvError> {
    columns
        .deeper
        .iter()
        .map(|name| column_position(header, name))
        .collect()
}

/// Where the period column stands, if the lines have one.
fn periode_position(
    header: &[String],
    columns: &Columns,
) -> Result<Option<(usize, KolomPeriode)>, CsvError> {
    columns
        .periode
        .as_ref()
        .map(|k| Ok((column_position(header, &k.nama)?, k.clone())))
        .transpose()
}

/// Where column `name` stands in a (lower-cased) header. A needed name found twice is
/// refused: which of the two columns holds the figures cannot be guessed.
fn column_position(header: &[String], name: &str) -> Result<usize, CsvError> {
    let wanted = name.to_lowercase();
    let mut found = header
        .iter()
        .enumerate()
        .filter(|(_, h)| **h == wanted)
        .map(|(i, _)| i);
    match (found.next(), found.next()) {
        (Some(i), None) => Ok(i),
        (Some(first), Some(second)) => Err(CsvError::DuplicateColumn(
            name.to_string(),
            first + 1,
            second + 1,
        )),
        (None, _) => Err(CsvError::MissingColumn(
            name.to_string(),
            header_listing(header),
        )),
    }
}

/// Appends the deeper levels' codes of a line to `path` (each after the separator);
/// a code that is not UTF-8 text, is empty or holds the separator makes a bad row.
fn deeper_codes(
    line: &[u8],
    spans: &[FieldSpan],
    deeper: &[usize],
    scratch: &mut Vec<u8>,
    path: &mut String,
) -> Result<(), (usize, String)> {
    for &col in deeper {
        let field = spans[col].text(line, scratch);
        let text = std::str::from_utf8(field).map_err(|e| {
            (
                col,
                format!(
                    "level code `{}` is not UTF-8 text (byte 0x{:02X}): export the file as CSV UTF-8",
                    excerpt(field),
                    field[e.valid_up_to()]
                ),
            )
        })?;
        let code = text.trim_ascii();
        if code.is_empty() {
            return Err((
                col,
                "the level code is empty: every line names its row at each level column".into(),
            ));
        }
        if code.contains(LEVEL_SEPARATOR) {
            return Err((
                col,
                format!("level code `{}` holds a control character", excerpt(field)),
            ));
        }
        path.push(LEVEL_SEPARATOR);
        path.push_str(code);
    }
    Ok(())
}

/// The header's names for a message, bounded however long the header line is.
fn header_listing(header: &[String]) -> String {
    const SHOWN: usize = 30;
    let mut listing = header
        .iter()
        .take(SHOWN)
        .map(|h| excerpt(h.as_bytes()))
        .collect::<Vec<_>>()
        .join(", ");
    if header.len() > SHOWN {
        listing.push_str(&format!(", … ({} in all)", header.len()));
    }
    listing
}

/// Aggregates lines (no header) whose first is line `first_line` of the file; also returns
/// how many lines there were.
fn aggregate_body(
    body: &[u8],
    first_line: u64,
    header: &Header,
    format: NumberFormat,
) -> (Aggregate, u64) {
    // Every physical line is one record, so any line start is a place to split.
    let chunks = split_lines(body, rayon::current_num_threads() * 4);
    let parts: Vec<(Aggregate, u64)> = chunks
        .par_iter()
        .map(|&(start, end)| aggregate_chunk(&body[start..end], header, format))
        .collect();
    // A chunk numbers its lines from 0; its first line's number is known only here, after
    // the lines of the chunks before it are counted.
    let mut total = Aggregate::default();
    let mut line = first_line;
    for (mut part, lines) in parts {
        for bad in &mut part.bad {
            bad.line += line;
        }
        merge(&mut total, part);
        line += lines;
    }
    (total, line - first_line)
}

fn merge(total: &mut Aggregate, part: Aggregate) {
    total.overflowed |= part.overflowed;
    total.periode = total.periode.max(part.periode);
    for (k, v) in part.groups {
        if !total.groups.entry(k).or_default().merge(&v) {
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

/// Aggregates whole lines; bad rows' lines count from 0 at the chunk's first line. Also
/// returns how many lines the chunk has.
fn aggregate_chunk(chunk: &[u8], header: &Header, format: NumberFormat) -> (Aggregate, u64) {
    let mut agg = Aggregate::default();
    let delimiter = header.delimiter;
    let cols = header.columns;
    let mut spans = Vec::with_capacity(header.fields + 1);
    // Quoted values with doubled quotes are rewritten here; every other value is read in
    // place.
    let mut unquoted: [Vec<u8>; 4] = Default::default();
    let mut periode_buf = Vec::new();
    let mut key_buf = KeyBuf::default();
    let mut deeper_buf = Vec::new();
    let classes = byte_classes(delimiter);
    let mut line_index = 0u64;
    let mut rest = chunk;
    while !rest.is_empty() {
        // Every physical line is one record (a value cannot span lines): a quote left open
        // spoils its own line only, and the next line is read as the record it is.
        let (line, after, fields) = next_record(rest, &classes, delimiter, &mut spans);
        rest = after;
        let index = line_index;
        line_index += 1;
        // A line that is only delimiters and blanks is an empty row of the sheet. Such a
        // line never passes the checks below (its akun is blank), so it is looked for only
        // where a line fails them.
        let blank = || {
            line.iter()
                .all(|&b| b == delimiter || b.is_ascii_whitespace())
        };
        if let Err(e) = fields {
            push_bad(
                &mut agg,
                BadRow {
                    line: index,
                    column: Some(e.field + 1),
                    message: e.message(line),
                },
            );
            continue;
        }
        if spans.len() != header.fields {
            if !blank() {
                push_bad(
                    &mut agg,
                    BadRow {
                        line: index,
                        column: None,
                        message: field_count_message(spans.len(), header.fields, delimiter),
                    },
                );
            }
            continue;
        }
        let (kegiatan, akun) = (spans[cols[0]], spans[cols[1]]);
        let (pagu, realisasi) = (spans[cols[2]], spans[cols[3]]);
        if akun.text(line, &mut unquoted[1]).trim_ascii().is_empty() && blank() {
            continue;
        }
        key_buf.deeper.clear();
        if !header.deeper.is_empty()
            && let Err((col, message)) = deeper_codes(
                line,
                &spans,
                &header.deeper,
                &mut deeper_buf,
                &mut key_buf.deeper,
            )
        {
            push_bad(
                &mut agg,
                BadRow {
                    line: index,
                    column: Some(col + 1),
                    message,
                },
            );
            continue;
        }
        let [buf_kegiatan, buf_akun, buf_pagu, buf_realisasi] = &mut unquoted;
        let periode = header
            .periode
            .as_ref()
            .map(|(col, k)| (spans[*col].text(line, &mut periode_buf), *col, k));
        add_line(
            &mut agg,
            &mut key_buf,
            index,
            cols,
            [
                kegiatan.text(line, buf_kegiatan),
                akun.text(line, buf_akun),
                pagu.text(line, buf_pagu),
                realisasi.text(line, buf_realisasi),
            ],
            [format, format],
            header.skema,
            periode,
        );
    }
    (agg, line_index)
}

/// What a byte is to the field scanner.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ByteClass {
    Text,
    Delimiter,
    LineEnd,
    Quote,
}

fn byte_classes(delimiter: u8) -> [ByteClass; 256] {
    let mut classes = [ByteClass::Text; 256];
    classes[usize::from(b'"')] = ByteClass::Quote;
    classes[usize::from(delimiter)] = ByteClass::Delimiter;
    classes[usize::from(b'\n')] = ByteClass::LineEnd;
    classes[usize::from(b'\r')] = ByteClass::LineEnd;
    classes
}

/// Splits the first line of `bytes` into fields: returns the line (without its end), what
/// follows it, and whether its quotes can be read. A line without quotes is split in one
/// pass over a table of byte classes: fields are a few bytes long, too short for a memchr
/// call per field to pay.
fn next_record<'a>(
    bytes: &'a [u8],
    classes: &[ByteClass; 256],
    delimiter: u8,
    spans: &mut Vec<FieldSpan>,
) -> (&'a [u8], &'a [u8], Result<(), QuoteError>) {
    spans.clear();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match classes[usize::from(b)] {
            ByteClass::Text => {}
            ByteClass::Delimiter => {
                spans.push(FieldSpan {
                    start,
                    end: i,
                    doubled_quotes: false,
                });
                start = i + 1;
            }
            ByteClass::LineEnd => {
                spans.push(FieldSpan {
                    start,
                    end: i,
                    doubled_quotes: false,
                });
                return (&bytes[..i], &bytes[after_line_end(bytes, i)..], Ok(()));
            }
            ByteClass::Quote => {
                let (line, rest) = split_first_line(bytes);
                return (line, rest, split_fields(line, delimiter, spans));
            }
        }
    }
    spans.push(FieldSpan {
        start,
        end: bytes.len(),
        doubled_quotes: false,
    });
    (bytes, &[], Ok(()))
}

/// The first line of `bytes` (without its end: LF, CRLF or CR) and what follows it.
fn split_first_line(bytes: &[u8]) -> (&[u8], &[u8]) {
    match memchr::memchr2(b'\n', b'\r', bytes) {
        Some(i) => (&bytes[..i], &bytes[after_line_end(bytes, i)..]),
        None => (bytes, &[]),
    }
}

/// Where the next line starts, given the line end (CR or LF) at `at`.
fn after_line_end(bytes: &[u8], at: usize) -> usize {
    if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
        at + 2
    } else {
        at + 1
    }
}

/// Where one field's value lies in its line.
#[derive(Clone, Copy, Debug)]
struct FieldSpan {
    start: usize,
    end: usize,
    /// Quoted with doubled quotes inside: the value is the text with each `""` made `"`.
    doubled_quotes: bool,
}

impl FieldSpan {
    /// The value, read in place unless doubled quotes must be undone (into `scratch`).
    fn text<'a>(&self, line: &'a [u8], scratch: &'a mut Vec<u8>) -> &'a [u8] {
        let raw = &line[self.start..self.end];
        if !self.doubled_quotes {
            return raw;
        }
        scratch.clear();
        let mut rest = raw;
        while let Some(q) = memchr::memchr(b'"', rest) {
            scratch.extend_from_slice(&rest[..=q]);
            rest = rest.get(q + 2..).unwrap_or_default();
        }
        scratch.extend_from_slice(rest);
        scratch
    }
}

/// A quote that makes a line's fields unclear.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct QuoteError {
    /// 0-based field.
    field: usize,
    /// Where the field's opening quote is in the line.
    opened_at: usize,
    unclosed: bool,
}

impl QuoteError {
    fn message(&self, line: &[u8]) -> String {
        let near = excerpt(line.get(self.opened_at..).unwrap_or_default());
        let field = self.field + 1;
        if self.unclosed {
            format!(
                "field {field} opens a quote that is not closed on this line (near `{near}`): close it, or write a quote that is part of the value twice (\"\"); a value cannot span lines"
            )
        } else {
            format!(
                "field {field} has text after its closing quote (near `{near}`): a quote inside a quoted value is written twice (\"\")"
            )
        }
    }
}

/// Splits one line into fields. A field is quoted when it starts with `"`; inside, `""` is a
/// quote, the closing quote must be followed by the delimiter or the line's end, and the
/// delimiter is part of the value. A `"` further into an unquoted field is part of it (as
/// Excel reads it): it cannot change where fields end.
fn split_fields(line: &[u8], delimiter: u8, spans: &mut Vec<FieldSpan>) -> Result<(), QuoteError> {
    spans.clear();
    let mut start = 0;
    loop {
        if line.get(start) != Some(&b'"') {
            let end = memchr::memchr(delimiter, &line[start..]).map_or(line.len(), |i| start + i);
            spans.push(FieldSpan {
                start,
                end,
                doubled_quotes: false,
            });
            if end == line.len() {
                return Ok(());
            }
            start = end + 1;
            continue;
        }
        let error = |unclosed| QuoteError {
            field: spans.len(),
            opened_at: start,
            unclosed,
        };
        let mut at = start + 1;
        let mut doubled_quotes = false;
        let close = loop {
            let Some(q) = memchr::memchr(b'"', &line[at..]).map(|i| at + i) else {
                return Err(error(true));
            };
            if line.get(q + 1) == Some(&b'"') {
                doubled_quotes = true;
                at = q + 2;
            } else {
                break q;
            }
        };
        match line.get(close + 1) {
            None => {}
            Some(&b) if b == delimiter => {}
            Some(_) => return Err(error(false)),
        }
        spans.push(FieldSpan {
            start: start + 1,
            end: close,
            doubled_quotes,
        });
        if close + 1 == line.len() {
            return Ok(());
        }
        start = close + 2;
    }
}

/// Why a row's field count differs from the header's, and what usually causes it.
fn field_count_message(have: usize, want: usize, delimiter: u8) -> String {
    if have > want {
        let shown = match delimiter {
            b'\t' => "tab".to_string(),
            d => format!("`{}`", d as char),
        };
        format!(
            "the row has {have} fields but the header has {want}: a value that contains the delimiter ({shown}), such as an amount with a decimal comma, must be in double quotes"
        )
    } else {
        format!(
            "the row has {have} fields but the header has {want}: a value is missing or the line is cut short"
        )
    }
}

/// Checks one line's fields and adds it to its group; a field that cannot be read makes it
/// a bad row. `formats` are those of pagu and realisasi; `periode` is the line's period
/// cell, its column and what it holds, where the lines have one.
#[allow(clippy::too_many_arguments)]
fn add_line(
    agg: &mut Aggregate,
    key_buf: &mut KeyBuf,
    line: u64,
    cols: [usize; 4],
    fields: [&[u8]; 4],
    formats: [NumberFormat; 2],
    skema: Skema,
    periode: Option<(&[u8], usize, &KolomPeriode)>,
) {
    const NAMES: [&str; 4] = ["kegiatan", "akun", "pagu", "realisasi"];
    // Text in another encoding (a Windows-1252 export) would become another kegiatan, or
    // merge two, if it were converted with losses.
    let not_utf8 = |k: usize, e: std::str::Utf8Error| BadRow {
        line,
        column: Some(cols[k] + 1),
        message: format!(
            "{} `{}` is not UTF-8 text (byte 0x{:02X}): export the file as CSV UTF-8",
            NAMES[k],
            excerpt(fields[k]),
            fields[k][e.valid_up_to()]
        ),
    };
    let text = |k: usize| std::str::from_utf8(fields[k]).map_err(|e| not_utf8(k, e));
    let (kegiatan, akun) = match (text(0), text(1)) {
        (Ok(kegiatan), Ok(akun)) => (kegiatan, akun.trim_ascii()),
        (Err(bad), _) | (_, Err(bad)) => {
            push_bad(agg, bad);
            return;
        }
    };
    let Some(jenis) = skema.jenis_of_akun(akun) else {
        push_bad(
            agg,
            BadRow {
                line,
                column: Some(cols[1] + 1),
                message: bad_akun(akun, skema),
            },
        );
        return;
    };
    // An amount is ASCII when it parses; its encoding is looked at only when it does not.
    let amount = |k: usize, format| {
        parse_amount(fields[k], format).map_err(|e| match text(k) {
            Ok(_) => BadRow {
                line,
                column: Some(cols[k] + 1),
                message: format!("{}: {e}", NAMES[k]),
            },
            Err(bad) => bad,
        })
    };
    let (pagu, realisasi) = match (amount(2, formats[0]), amount(3, formats[1])) {
        (Ok(p), Ok(r)) => (p, r),
        (Err(bad), _) | (_, Err(bad)) => {
            push_bad(agg, bad);
            return;
        }
    };
    // The period of the line's realisasi; a line of pagu alone needs none.
    let ke = match periode {
        None => None,
        Some((cell, col, kolom)) => match line_period(cell, kolom, realisasi) {
            Ok(ke) => ke,
            Err(message) => {
                push_bad(
                    agg,
                    BadRow {
                        line,
                        column: Some(col + 1),
                        message,
                    },
                );
                return;
            }
        },
    };
    let key = &mut key_buf.group;
    key.0.clear();
    key.0.push_str(kegiatan.trim_ascii());
    key.0.push_str(&key_buf.deeper);
    key.1.clear();
    key.1.push_str(jenis);
    let sums = match agg.groups.get_mut(key) {
        Some(s) => s,
        None => agg.groups.entry(key.clone()).or_default(),
    };
    // The period's sum, checked before anything is added.
    let in_period = ke.map(|ke| (ke, sums.periode[usize::from(ke) - 1].checked_add(realisasi)));
    if matches!(in_period, Some((_, None))) || !sums.add(pagu, realisasi, 1) {
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
    if let Some((ke, Some(v))) = in_period {
        sums.periode[usize::from(ke) - 1] = v;
        agg.periode = agg.periode.max(ke);
    }
    agg.rows += 1;
}

/// The period (`ke`) of a line's realisasi from its period cell; `None` for an empty cell
/// on a line without realisasi (a line of pagu). Out of the line loop's way: it runs only
/// for line data with a period column.
#[inline(never)]
fn line_period(
    cell: &[u8],
    kolom: &KolomPeriode,
    realisasi: Decimal,
) -> Result<Option<u8>, String> {
    let what = if kolom.tanggal { "tanggal" } else { "periode" };
    let text = std::str::from_utf8(cell).map_err(|e| {
        format!(
            "{what} `{}` is not UTF-8 text (byte 0x{:02X}): export the file as CSV UTF-8",
            excerpt(cell),
            cell[e.valid_up_to()]
        )
    })?;
    let text = text.trim();
    if text.is_empty() {
        if realisasi.is_zero() {
            return Ok(None);
        }
        return Err(format!(
            "the line's realisasi has no {what}: every line of realisasi names the {} it was spent in (a line of pagu alone may leave it empty)",
            if kolom.tanggal { "date" } else { "period" }
        ));
    }
    kolom.periode(text).map(|p| Some(p.ke))
}

/// A line's group key as it is built: (path of level codes, jenis), and the codes of the
/// levels under the first, which the caller reads before the line is added. A map keyed by
/// borrowed bytes would need the line to outlive the loop; the key is copied only when a
/// new group appears.
#[derive(Default)]
struct KeyBuf {
    group: (String, String),
    /// `␟code` for each deeper level, or empty.
    deeper: String,
}

/// Why an akun gives no jenis belanja: out of the line loop, which reads good lines.
#[cold]
#[inline(never)]
fn bad_akun(akun: &str, skema: Skema) -> String {
    let akun = excerpt(akun.as_bytes());
    match skema {
        Skema::Pusat => format!("akun `{akun}` does not start with two digits"),
        Skema::Daerah => format!(
            "akun `{akun}` does not start with a regional jenis belanja (5.1.02, 5.2, …: `anggaran.skema: daerah`)"
        ),
    }
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

/// Splits into about `n` pieces, each ending at a line end (never inside a CRLF).
fn split_lines(bytes: &[u8], n: usize) -> Vec<(usize, usize)> {
    let n = n.max(1);
    let target = bytes.len() / n + 1;
    let mut out = Vec::with_capacity(n + 1);
    let mut start = 0;
    while start < bytes.len() {
        let want = start + target;
        let end = if want >= bytes.len() {
            bytes.len()
        } else {
            // The end of the line holding byte `want - 1`.
            let (_, after) = split_first_line(&bytes[want - 1..]);
            bytes.len() - after.len()
        };
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
    let deeper = deeper_positions(&header, &options.columns)?;
    let periode = periode_position(&header, &options.columns)?;
    // A date cell as the date it shows (`2022-05-31`); a date kept as text is read as text.
    let date = |row: &[Data], i: usize| -> String {
        match row.get(i) {
            Some(Data::DateTime(d)) if d.is_datetime() => {
                let (y, m, day, ..) = d.to_ymd_hms_milli();
                format!("{y:04}-{m:02}-{day:02}")
            }
            Some(Data::DateTimeIso(t)) => t.get(..10).unwrap_or(t).to_string(),
            Some(Data::Empty) | None => String::new(),
            Some(other) => other.to_string(),
        }
    };
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
    let mut key_buf = KeyBuf::default();
    for (n, row) in rows.enumerate() {
        if row.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        let fields: Vec<(String, NumberFormat)> = cols.iter().map(|&i| cell(row, i)).collect();
        key_buf.deeper.clear();
        let mut bad = None;
        for &i in &deeper {
            let code = cell(row, i).0;
            let code = code.trim();
            if code.is_empty() || code.contains(LEVEL_SEPARATOR) {
                bad = Some(BadRow {
                    line: n as u64 + 2,
                    column: Some(i + 1),
                    message:
                        "the level code is empty: every line names its row at each level column"
                            .into(),
                });
                break;
            }
            key_buf.deeper.push(LEVEL_SEPARATOR);
            key_buf.deeper.push_str(code);
        }
        if let Some(b) = bad {
            push_bad(&mut agg, b);
            continue;
        }
        let period_cell = periode.as_ref().map(|(i, _)| date(row, *i));
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
            options.skema,
            periode
                .as_ref()
                .zip(period_cell.as_deref())
                .map(|((i, k), cell)| (cell.as_bytes(), *i, k)),
        );
    }
    Ok(agg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::TestCaseError;
    use rust_decimal_macros::dec;

    fn opts(delimiter: Option<u8>, format: NumberFormat) -> Options {
        Options {
            columns: Columns::default(),
            delimiter,
            format,
            skema: Skema::Pusat,
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
    fn deeper_level_columns_make_the_group_a_path_of_codes() {
        let csv = "kegiatan;ro;kro;akun;pagu;realisasi\n\
6371;001;QAH;521211;1.000;900\n\
6371;001;QAH;521211;500;500\n\
6371;001;QDC;521211;10;10\n\
6371;;QDC;521211;10;10\n\
6371;001;\"QD\u{1f}C\";521211;10;10\n";
        let mut options = opts(None, NumberFormat::Indonesian);
        options.columns.deeper = vec!["kro".into(), "RO".into()];
        let agg = aggregate(csv.as_bytes(), &options).expect("agg");
        let sep = LEVEL_SEPARATOR;
        let qah = agg.groups[&(format!("6371{sep}QAH{sep}001"), "52".to_string())];
        assert_eq!((qah.pagu, qah.rows), (dec!(1500), 2));
        assert!(
            agg.groups
                .contains_key(&(format!("6371{sep}QDC{sep}001"), "52".to_string()))
        );
        assert_eq!(agg.groups.len(), 2);
        assert_eq!(
            bad_rows(&agg),
            [
                (
                    5,
                    Some(2),
                    "the level code is empty: every line names its row at each level column"
                        .to_string()
                ),
                (
                    6,
                    Some(3),
                    "level code `QD\u{1f}C` holds a control character".to_string()
                ),
            ]
        );
        // A deeper column the header lacks is refused like any other.
        options.columns.deeper = vec!["sub_kegiatan".into()];
        assert!(matches!(
            aggregate(csv.as_bytes(), &options),
            Err(CsvError::MissingColumn(c, _)) if c == "sub_kegiatan"
        ));
    }

    #[test]
    fn regional_akun_give_their_dotted_jenis_belanja() {
        let csv = "kegiatan;akun;pagu;realisasi\n\
            5.01.01;5.1.01.01.01.0001;1.000;900\n\
            5.01.01;5.1.02.01.01.0024;2.000;1.500\n\
            5.01.01;5.1.02.01.01.0052;500;400\n\
            5.01.02;5.2.02.05.01.0005;3.000;2.900\n\
            5.01.02;521211;1;1\n\
            5.01.02;5.1.2.01;1;1\n\
            5.01.02; 5.3 ;7;7\n";
        let options = Options {
            skema: Skema::Daerah,
            ..opts(None, NumberFormat::Indonesian)
        };
        let agg = aggregate(csv.as_bytes(), &options).expect("aggregate");
        assert_eq!(group(&agg, "5.01.01", "5.1.02").pagu, dec!(2500));
        assert_eq!(group(&agg, "5.01.01", "5.1.01").realisasi, dec!(900));
        assert_eq!(group(&agg, "5.01.02", "5.2").pagu, dec!(3000));
        assert_eq!(group(&agg, "5.01.02", "5.3").pagu, dec!(7));
        assert_eq!(agg.groups.len(), 4);
        let regional = "does not start with a regional jenis belanja (5.1.02, 5.2, …: `anggaran.skema: daerah`)";
        assert_eq!(
            bad_rows(&agg),
            vec![
                (6, Some(2), format!("akun `521211` {regional}")),
                (7, Some(2), format!("akun `5.1.2.01` {regional}")),
            ]
        );
        // The same file under the central scheme: every dotted akun is a bad row.
        let central =
            aggregate(csv.as_bytes(), &opts(None, NumberFormat::Indonesian)).expect("aggregate");
        assert_eq!(central.rows, 1);
        assert_eq!(
            bad_rows(&central)[0],
            (
                2,
                Some(2),
                "akun `5.1.01.01.01.0001` does not start with two digits".to_string()
            )
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

    /// (line, column, message) of each bad row.
    fn bad_rows(agg: &Aggregate) -> Vec<(u64, Option<usize>, String)> {
        agg.bad
            .iter()
            .map(|b| (b.line, b.column, b.message.clone()))
            .collect()
    }

    fn group(agg: &Aggregate, kegiatan: &str, jenis: &str) -> Sums {
        agg.groups[&(kegiatan.to_string(), jenis.to_string())]
    }

    /// Options reading a period (`tanggal: false`) or date column named `kolom`.
    fn dated(kolom: &str, tanggal: bool, kalender: Kalender) -> Options {
        let mut o = opts(Some(b';'), NumberFormat::Indonesian);
        o.columns.periode = Some(KolomPeriode {
            nama: kolom.into(),
            tanggal,
            kalender,
            tahun: 2022,
        });
        o
    }

    #[test]
    fn a_period_column_sums_each_lines_realisasi_into_its_period() {
        let csv = "kegiatan;akun;pagu;realisasi;tw\n\
                   K1;521211;1.000;0;\n\
                   K1;521211;0;100;TW1\n\
                   K1;521211;0;150;Triwulan II\n\
                   K1;521211;0;50;tw 2\n\
                   K1;521211;0;7;TW5\n\
                   K1;521211;0;7;Juni\n\
                   K1;521211;0;7;\n";
        let agg =
            aggregate(csv.as_bytes(), &dated("tw", false, Kalender::Triwulan)).expect("aggregates");
        let g = group(&agg, "K1", "52");
        assert_eq!((g.pagu, g.realisasi), (dec!(1000), dec!(300)));
        assert_eq!(&g.periode[..3], [dec!(100), dec!(200), dec!(0)]);
        assert_eq!(agg.periode, 2);
        let bad: Vec<(u64, Option<usize>)> =
            bad_rows(&agg).into_iter().map(|(l, c, _)| (l, c)).collect();
        assert_eq!(bad, [(6, Some(5)), (7, Some(5)), (8, Some(5))]);
        assert!(
            bad_rows(&agg)[1]
                .2
                .contains("a period of the bulan calendar")
        );
        // Chunked and streamed alike: the periods add up the same, whatever the cuts.
        for block in [7, 19, 64] {
            let streamed = aggregate_stream(
                csv.as_bytes(),
                "t.csv",
                &dated("tw", false, Kalender::Triwulan),
                block,
            )
            .expect("aggregates");
            assert_eq!(group(&streamed, "K1", "52"), g, "block {block}");
            assert_eq!(streamed.periode, 2);
        }
    }

    #[test]
    fn a_date_column_places_each_line_in_the_period_of_its_month() {
        let csv = "kegiatan;akun;pagu;realisasi;tgl\n\
                   K1;521211;0;100;2022-01-31\n\
                   K1;521211;0;150;2022-06\n\
                   K1;521211;0;75;2022-07-01\n\
                   K1;521211;0;1;2021-12-31\n\
                   K1;521211;0;1;31/12/2022\n";
        let triwulan =
            aggregate(csv.as_bytes(), &dated("tgl", true, Kalender::Triwulan)).expect("aggregates");
        let g = group(&triwulan, "K1", "52");
        assert_eq!(&g.periode[..3], [dec!(100), dec!(150), dec!(75)]);
        assert_eq!(triwulan.periode, 3);
        assert_eq!(triwulan.bad.len(), 2);
        let bulan =
            aggregate(csv.as_bytes(), &dated("tgl", true, Kalender::Bulan)).expect("aggregates");
        let g = group(&bulan, "K1", "52");
        assert_eq!(
            (g.periode[0], g.periode[5], g.periode[6]),
            (dec!(100), dec!(150), dec!(75))
        );
        assert_eq!(bulan.periode, 7);
    }

    /// Finding 1: a comma-delimited export with decimal commas splits `1.000,50` in two; the
    /// extra field must not shift the amounts silently.
    #[test]
    fn a_row_with_more_or_fewer_fields_than_the_header_is_a_bad_row() {
        let csv = "kegiatan,akun,pagu,realisasi\n4001,511111,1.000,50,900,25\n4001,511111\n4001,511111,7,8\n";
        let agg =
            aggregate(csv.as_bytes(), &opts(Some(b','), NumberFormat::Indonesian)).expect("agg");
        assert_eq!(agg.rows, 1);
        assert_eq!(group(&agg, "4001", "51").pagu, dec!(7));
        let bad = bad_rows(&agg);
        assert_eq!(
            bad.iter().map(|b| (b.0, b.1)).collect::<Vec<_>>(),
            vec![(2, None), (3, None)],
            "{bad:?}"
        );
        assert!(
            bad[0].2.contains("6 fields") && bad[0].2.contains('4'),
            "{bad:?}"
        );
        assert!(
            bad[1].2.contains("2 fields") && bad[1].2.contains('4'),
            "{bad:?}"
        );
    }

    /// Finding 2: a stray opening quote is a bad row where it opens; the lines after it are
    /// read as the lines they are.
    #[test]
    fn an_unclosed_quote_is_a_bad_row_and_swallows_no_line() {
        let csv = "kegiatan;akun;uraian;pagu;realisasi\n\
                   K1;521111;\"ATK 12 inch;100;10\n\
                   K1;521111;Kertas;200;20\n\
                   K1;521111;tinta\" x;300;30\n\
                   K1;521111;\"Pena; \"\"biru\"\"\";400;40\n";
        for block in [5, 40, 1 << 20] {
            let agg = aggregate_stream(
                csv.as_bytes(),
                "t.csv",
                &opts(None, NumberFormat::Indonesian),
                block,
            )
            .expect("agg");
            let bad = bad_rows(&agg);
            assert_eq!(
                bad.iter().map(|b| (b.0, b.1)).collect::<Vec<_>>(),
                vec![(2, Some(3))],
                "block {block}: {bad:?}"
            );
            assert!(bad[0].2.contains("quote"), "{bad:?}");
            assert_eq!(agg.rows, 3, "block {block}");
            let k1 = group(&agg, "K1", "52");
            assert_eq!(
                (k1.pagu, k1.realisasi),
                (dec!(900), dec!(90)),
                "block {block}"
            );
        }
    }

    /// Finding 3: "CSV (Macintosh)" ends lines with CR alone; CR, LF and CRLF may even mix.
    #[test]
    fn cr_only_and_mixed_line_ends_are_read() {
        let cr = "kegiatan,akun,pagu,realisasi\r4001,511111,1.000,900\r4001,521111,2.000,1.500\r";
        let mixed =
            "kegiatan,akun,pagu,realisasi\r\n4001,511111,1.000,900\r4001,521111,2.000,1.500\n";
        for csv in [cr, mixed] {
            for block in [3, 16, 1 << 20] {
                let agg = aggregate_stream(
                    csv.as_bytes(),
                    "t.csv",
                    &opts(None, NumberFormat::Indonesian),
                    block,
                )
                .expect("agg");
                assert!(agg.bad.is_empty(), "{:?}", agg.bad);
                assert_eq!(agg.rows, 2, "block {block}: {csv:?}");
                assert_eq!(group(&agg, "4001", "51").pagu, dec!(1000));
                assert_eq!(group(&agg, "4001", "52").realisasi, dec!(1500));
            }
        }
    }

    /// Finding 4: a bad value's line is exact whatever the line ends and however the file
    /// is cut into blocks and chunks.
    #[test]
    fn bad_row_lines_are_exact_in_every_block_for_lf_crlf_and_cr() {
        for end in ["\n", "\r\n", "\r"] {
            let mut csv =
                format!("kegiatan;akun;pagu;realisasi{end}K1;521111;1;1{end}K1;521111;x;1{end}");
            for i in 0..30 {
                csv.push_str(&format!("K{i};52{i:04};{i};{i}{end}"));
            }
            csv.push_str(&format!("K1;xx;1;1{end}"));
            for block in (1..=120).chain([1000, 1 << 20]) {
                let agg = aggregate_stream(
                    csv.as_bytes(),
                    "t.csv",
                    &opts(None, NumberFormat::Indonesian),
                    block,
                )
                .expect("agg");
                let lines: Vec<(u64, Option<usize>)> =
                    agg.bad.iter().map(|b| (b.line, b.column)).collect();
                assert_eq!(
                    lines,
                    vec![(3, Some(3)), (34, Some(2))],
                    "block {block}, line end {end:?}"
                );
                assert_eq!(agg.rows, 31, "block {block}, line end {end:?}");
            }
        }
    }

    /// Finding 5: a needed column named twice is ambiguous: refused, naming it.
    #[test]
    fn a_needed_column_named_twice_is_refused() {
        let err = aggregate(
            b"kegiatan;akun;pagu;realisasi;Pagu \nK1;521111;1;1;2\n",
            &opts(None, NumberFormat::Plain),
        )
        .expect_err("ambiguous");
        let message = err.to_string();
        assert!(
            message.contains("`pagu`") && message.contains("twice"),
            "{message}"
        );
        // Columns kinerja does not read may repeat.
        let agg = aggregate(
            b"kegiatan;x;akun;x;pagu;realisasi\nK1;a;521111;b;1;1\n",
            &opts(None, NumberFormat::Plain),
        )
        .expect("agg");
        assert_eq!(agg.rows, 1);
    }

    /// Finding 5: text that is not UTF-8 (a Windows-1252 export) is not guessed at.
    #[test]
    fn non_utf8_text_in_a_used_field_is_a_bad_row() {
        let csv =
            b"kegiatan;akun;uraian;pagu;realisasi\nCaf\xe9;521111;x;1;1\nK1;521111;caf\xe9;2;2\n";
        let agg = aggregate(csv, &opts(None, NumberFormat::Plain)).expect("agg");
        let bad = bad_rows(&agg);
        assert_eq!(
            bad.iter().map(|b| (b.0, b.1)).collect::<Vec<_>>(),
            vec![(2, Some(1))],
            "{bad:?}"
        );
        assert!(bad[0].2.contains("UTF-8"), "{bad:?}");
        // A field kinerja does not read may hold anything.
        assert_eq!(agg.rows, 1);
        assert_eq!(group(&agg, "K1", "52").pagu, dec!(2));
    }

    /// Finding 5: a message quotes a bounded excerpt of a huge field, never all of it.
    #[test]
    fn messages_quote_a_bounded_excerpt_of_a_huge_field() {
        let huge = "9".repeat(10_000);
        let mut csv = format!(
            "kegiatan;akun;uraian;pagu;realisasi\n\
             K1;x{huge};a;1;1\n\
             K1;521111;a;{huge};1\n\
             K1;521111;a;1;1{huge}x\n\
             K1;521111;\"{huge};1;1\n\
             K1;521111;\"a\"{huge};1;1\n\
             K1;{huge}"
        )
        .into_bytes();
        csv.extend_from_slice(b"\xff;a;1;1\n");
        let agg = aggregate(&csv, &opts(None, NumberFormat::Plain)).expect("agg");
        for bad in &agg.bad {
            let shown = bad.message.chars().count();
            assert!(shown < 400, "line {}: {shown} characters", bad.line);
        }
        let lines: Vec<u64> = agg.bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 6, 7]);
    }

    /// The rules read the plain way, line by line and byte by byte, for the property test:
    /// a line ends at LF, CRLF or CR; a field starting with `"` is quoted, `""` inside it is
    /// a quote and its closing quote is followed by the delimiter or the line's end.
    fn reference_fields(line: &[u8], delimiter: u8) -> Result<Vec<Vec<u8>>, QuoteError> {
        let mut fields = Vec::new();
        let mut i = 0;
        loop {
            let mut value = Vec::new();
            if line.get(i) == Some(&b'"') {
                let opened_at = i;
                i += 1;
                loop {
                    match (line.get(i), line.get(i + 1)) {
                        (None, _) => {
                            return Err(QuoteError {
                                field: fields.len(),
                                opened_at,
                                unclosed: true,
                            });
                        }
                        (Some(b'"'), Some(b'"')) => {
                            value.push(b'"');
                            i += 2;
                        }
                        (Some(b'"'), _) => {
                            i += 1;
                            break;
                        }
                        (Some(&b), _) => {
                            value.push(b);
                            i += 1;
                        }
                    }
                }
                if i < line.len() && line[i] != delimiter {
                    return Err(QuoteError {
                        field: fields.len(),
                        opened_at,
                        unclosed: false,
                    });
                }
            } else {
                while i < line.len() && line[i] != delimiter {
                    value.push(line[i]);
                    i += 1;
                }
            }
            fields.push(value);
            if i >= line.len() {
                return Ok(fields);
            }
            i += 1;
        }
    }

    fn reference(bytes: &[u8], options: &Options) -> Result<Aggregate, String> {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let mut lines: Vec<&[u8]> = Vec::new();
        let (mut start, mut i) = (0, 0);
        while i < bytes.len() {
            match bytes[i] {
                b'\n' | b'\r' => {
                    lines.push(&bytes[start..i]);
                    i += if bytes[i..].starts_with(b"\r\n") {
                        2
                    } else {
                        1
                    };
                    start = i;
                }
                _ => i += 1,
            }
        }
        if start < bytes.len() {
            lines.push(&bytes[start..]);
        }
        let header = match lines.first() {
            Some(h) if !h.iter().all(u8::is_ascii_whitespace) => *h,
            _ => return Err(CsvError::Empty.to_string()),
        };
        let delimiter = options
            .delimiter
            .unwrap_or_else(|| detect_delimiter(header));
        let names: Vec<String> = reference_fields(header, delimiter)
            .map_err(|e| CsvError::BadHeader(e.message(header)).to_string())?
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_lowercase())
            .collect();
        let cols = column_positions(&names, &options.columns).map_err(|e| e.to_string())?;
        let mut agg = Aggregate::default();
        let mut key_buf = KeyBuf::default();
        for (n, line) in lines.iter().enumerate().skip(1) {
            let line_no = n as u64 + 1;
            if line
                .iter()
                .all(|&b| b == delimiter || b.is_ascii_whitespace())
            {
                continue;
            }
            let fields = match reference_fields(line, delimiter) {
                Ok(f) => f,
                Err(e) => {
                    push_bad(
                        &mut agg,
                        BadRow {
                            line: line_no,
                            column: Some(e.field + 1),
                            message: e.message(line),
                        },
                    );
                    continue;
                }
            };
            if fields.len() != names.len() {
                push_bad(
                    &mut agg,
                    BadRow {
                        line: line_no,
                        column: None,
                        message: field_count_message(fields.len(), names.len(), delimiter),
                    },
                );
                continue;
            }
            let used = cols.map(|c| &fields[c][..]);
            add_line(
                &mut agg,
                &mut key_buf,
                line_no,
                cols,
                used,
                [options.format; 2],
                options.skema,
                None,
            );
        }
        Ok(agg)
    }

    /// Values that need quoting in one delimiter or another, quotes, and non-ASCII text.
    const KEGIATAN: &[&str] = &[
        "4001",
        "K1, lama",
        "Rapat; \"khusus\"",
        "Café",
        " 4002 ",
        "a\tb",
    ];
    const URAIAN: &[&str] = &["ATK", "12\" monitor", "", "Kertas, A4", "x;y", "\"q\""];
    const AKUN: &[&str] = &["511111", "521211", "525112", "571111", "52"];
    /// Regional akun, each with its jenis belanja, written out rather than derived.
    const AKUN_DAERAH: &[(&str, &str)] = &[
        ("5.1.01.01.01.0001", "5.1.01"),
        ("5.1.02.01.01.0024", "5.1.02"),
        ("5.2.02.05.01.0005", "5.2"),
        ("5.3", "5.3"),
        ("5.1.06", "5.1.06"),
        ("5.4.01.05", "5.4"),
        ("5.1.99.1", "5.1.99"),
    ];

    /// One generated line: a blank one (kind 0) or a row.
    #[derive(Clone, Debug)]
    struct GenRow {
        kind: u8,
        kegiatan: usize,
        akun: usize,
        uraian: usize,
        pagu: i64,
        realisasi: i64,
        /// Bits: quote a value that needs no quotes; group thousands; `Rp` prefix.
        style: u8,
        end: usize,
    }

    fn gen_row() -> impl Strategy<Value = GenRow> {
        (
            0u8..12,
            0..KEGIATAN.len(),
            0..AKUN.len().max(AKUN_DAERAH.len()),
            0..URAIAN.len(),
            -1_000_000i64..100_000_000_000,
            -1_000_000i64..100_000_000_000,
            any::<u8>(),
            0usize..3,
        )
            .prop_map(
                |(kind, kegiatan, akun, uraian, pagu, realisasi, style, end)| GenRow {
                    kind,
                    kegiatan,
                    akun,
                    uraian,
                    pagu,
                    realisasi,
                    style,
                    end,
                },
            )
    }

    /// A generated file and its parts.
    #[derive(Clone, Debug)]
    struct GenFile {
        delimiter: u8,
        indonesian: bool,
        /// Where `uraian` stands among the columns (4 or more: no uraian).
        uraian_at: usize,
        /// 0 LF, 1 CRLF, 2 CR, 3 each line its own.
        ends: usize,
        bom: bool,
        last_end: bool,
        rows: Vec<GenRow>,
        /// Regional akun (`anggaran.skema: daerah`).
        daerah: bool,
    }

    fn gen_file() -> impl Strategy<Value = GenFile> {
        (
            prop::sample::select(vec![b';', b',', b'\t']),
            any::<bool>(),
            0usize..7,
            0usize..4,
            any::<bool>(),
            any::<bool>(),
            prop::collection::vec(gen_row(), 0..40),
            any::<bool>(),
        )
            .prop_map(
                |(delimiter, indonesian, uraian_at, ends, bom, last_end, rows, daerah)| GenFile {
                    delimiter,
                    indonesian,
                    uraian_at,
                    ends,
                    bom,
                    last_end,
                    rows,
                    daerah,
                },
            )
    }

    fn write_value(out: &mut Vec<u8>, value: &str, delimiter: u8, quote: bool) {
        if quote || value.as_bytes().contains(&delimiter) || value.starts_with('"') {
            out.push(b'"');
            out.extend_from_slice(value.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(value.as_bytes());
        }
    }

    fn write_amount(cents: i64, indonesian: bool, style: u8) -> String {
        let (group, point) = if indonesian { ('.', ',') } else { (',', '.') };
        let units = (cents.abs() / 100).to_string();
        let mut text = String::new();
        if cents < 0 {
            text.push('-');
        }
        if style & 4 != 0 && cents >= 0 {
            text.push_str("Rp");
        }
        for (i, digit) in units.chars().enumerate() {
            if style & 2 != 0 && i > 0 && (units.len() - i).is_multiple_of(3) {
                text.push(group);
            }
            text.push(digit);
        }
        if cents % 100 != 0 {
            text.push(point);
            text.push_str(&format!("{:02}", cents.abs() % 100));
        }
        text
    }

    /// The file's bytes and, by (kegiatan, jenis belanja), what its rows sum to.
    fn write_file(file: &GenFile) -> (Vec<u8>, HashMap<(String, String), Sums>) {
        let ends = ["\n", "\r\n", "\r"];
        let end_of = |row_end: usize| ends[if file.ends == 3 { row_end } else { file.ends }];
        let d = file.delimiter;
        let mut out = Vec::new();
        if file.bom {
            out.extend_from_slice(b"\xef\xbb\xbf");
        }
        let mut names = vec!["Kegiatan", "akun", "PAGU", "realisasi"];
        if file.uraian_at < 4 {
            names.insert(file.uraian_at, "uraian");
        }
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                out.push(d);
            }
            write_value(&mut out, name, d, i == 1 && file.bom);
        }
        out.extend_from_slice(end_of(0).as_bytes());
        let mut sums: HashMap<(String, String), Sums> = HashMap::new();
        for (n, row) in file.rows.iter().enumerate() {
            match row.kind {
                0 => {
                    let blank = [vec![], vec![d; names.len() - 1], b" ".to_vec()];
                    out.extend_from_slice(&blank[row.style as usize % 3]);
                }
                _ => {
                    let quote = row.style & 1 != 0;
                    for (i, name) in names.iter().enumerate() {
                        if i > 0 {
                            out.push(d);
                        }
                        let value = match *name {
                            "Kegiatan" => KEGIATAN[row.kegiatan].to_string(),
                            "akun" if file.daerah => {
                                AKUN_DAERAH[row.akun % AKUN_DAERAH.len()].0.to_string()
                            }
                            "akun" => AKUN[row.akun % AKUN.len()].to_string(),
                            "PAGU" => write_amount(row.pagu, file.indonesian, row.style),
                            "realisasi" => {
                                write_amount(row.realisasi, file.indonesian, row.style >> 1)
                            }
                            _ => URAIAN[row.uraian].to_string(),
                        };
                        write_value(&mut out, &value, d, quote);
                    }
                    let key = (
                        KEGIATAN[row.kegiatan].trim().to_string(),
                        if file.daerah {
                            AKUN_DAERAH[row.akun % AKUN_DAERAH.len()].1.to_string()
                        } else {
                            AKUN[row.akun % AKUN.len()][..2].to_string()
                        },
                    );
                    sums.entry(key).or_default().add(
                        Decimal::new(row.pagu, 2),
                        Decimal::new(row.realisasi, 2),
                        1,
                    );
                }
            }
            if n + 1 < file.rows.len() || file.last_end {
                out.extend_from_slice(end_of(row.end).as_bytes());
            }
        }
        (out, sums)
    }

    /// One-character damage: 0 a quote, 1 the delimiter, 2 CR, 3 LF, 4 a byte deleted,
    /// 5 a byte that is not UTF-8, 6 a two-byte UTF-8 character, 7 a space.
    fn damage(bytes: &mut Vec<u8>, at: prop::sample::Index, kind: u8, delimiter: u8) {
        let at = at.index(bytes.len() + 1);
        match kind {
            0 => bytes.insert(at, b'"'),
            1 => bytes.insert(at, delimiter),
            2 => bytes.insert(at, b'\r'),
            3 => bytes.insert(at, b'\n'),
            4 if at < bytes.len() => {
                bytes.remove(at);
            }
            5 => bytes.insert(at, 0xe9),
            7 => bytes.insert(at, b' '),
            _ => bytes.splice(at..at, "é".bytes()).for_each(drop),
        }
    }

    /// How many random files the property test reads: `KINERJA_CSV_CASES=100000 cargo test
    /// --release --lib reads_like_the_reference` for a longer run.
    fn csv_cases() -> u32 {
        std::env::var("KINERJA_CSV_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(256)
    }

    proptest::proptest! {
        #![proptest_config(ProptestConfig::with_cases(csv_cases()))]

        /// Random files, some damaged by a character or three: for every block size, the
        /// streaming reader gives the reference reader's groups, sums and bad rows (line,
        /// column, message, in order), or its error; undamaged, the sums written.
        #[test]
        fn reads_like_the_reference(
            file in gen_file(),
            damages in prop::collection::vec((any::<prop::sample::Index>(), 0u8..8), 0..4),
            given_delimiter in any::<bool>(),
        ) {
            let (mut bytes, written) = write_file(&file);
            for (at, kind) in &damages {
                damage(&mut bytes, *at, *kind, file.delimiter);
            }
            let format = if file.indonesian { NumberFormat::Indonesian } else { NumberFormat::Plain };
            let options = Options {
                skema: if file.daerah { Skema::Daerah } else { Skema::Pusat },
                ..opts(given_delimiter.then_some(file.delimiter), format)
            };
            let expected = reference(&bytes, &options);
            let shown = String::from_utf8_lossy(&bytes);
            if damages.is_empty() {
                let agg = expected.as_ref().map_err(|e| TestCaseError::fail(format!("{e}: {shown:?}")))?;
                prop_assert!(agg.bad.is_empty(), "{:?} in {shown:?}", agg.bad);
                let groups: HashMap<_, _> = agg.groups.clone().into_iter().collect();
                prop_assert_eq!(groups, written, "{:?}", shown);
            }
            for block in [1, 2, 5, 16, 61, 256, 1 << 20] {
                let got = aggregate_stream(&bytes[..], "t.csv", &options, block);
                match (&got, &expected) {
                    (Ok(got), Ok(want)) => {
                        prop_assert_eq!(&got.bad, &want.bad, "block {}: {:?}", block, shown);
                        prop_assert_eq!(&got.groups, &want.groups, "block {}: {:?}", block, shown);
                        prop_assert_eq!(
                            (got.rows, got.more_bad, got.overflowed),
                            (want.rows, want.more_bad, want.overflowed),
                            "block {}: {:?}", block, shown
                        );
                    }
                    (Err(got), Err(want)) => prop_assert_eq!(&got.to_string(), want),
                    _ => prop_assert!(false, "block {block}: {got:?} against {expected:?} for {shown:?}"),
                }
            }
        }
    }
}

/// The reader splits lines itself (the `csv` crate reads a quoted value across lines, which
/// swallows rows, and cannot refuse what this reader refuses). Wherever it accepts a line,
/// it must read the fields as the `csv` crate does, at the version pinned in Cargo.toml.
#[cfg(test)]
mod csv_crate_differential {
    use super::*;
    use proptest::prelude::*;

    /// The fields of one line as the `csv` crate reads them, `None` if it finds no record.
    fn csv_crate_fields(line: &[u8], delimiter: u8) -> Option<Vec<Vec<u8>>> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(line);
        let mut record = csv::ByteRecord::new();
        match reader.read_byte_record(&mut record) {
            Ok(true) => Some(record.iter().map(<[u8]>::to_vec).collect()),
            _ => None,
        }
    }

    /// Lines made of the characters that matter to splitting: delimiters, quotes, spaces,
    /// letters, multi-byte text. Never a line end: a line is one record.
    fn gen_line() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop::sample::select(vec![
            "a", "b", ",", ";", "\t", "\"", "\"\"", " ", "é", "1.234,5",
        ]);
        prop::collection::vec(piece, 1..24).prop_map(|pieces| pieces.concat().into_bytes())
    }

    proptest::proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn accepted_lines_split_as_the_csv_crate_splits_them(
            line in gen_line(),
            delimiter in prop::sample::select(vec![b',', b';', b'\t']),
        ) {
            let mut spans = Vec::new();
            if split_fields(&line, delimiter, &mut spans).is_ok() {
                let mut scratch = Vec::new();
                let ours: Vec<Vec<u8>> = spans
                    .iter()
                    .map(|s| s.text(&line, &mut scratch).to_vec())
                    .collect();
                let theirs = csv_crate_fields(&line, delimiter);
                prop_assert_eq!(Some(ours), theirs, "{:?}", String::from_utf8_lossy(&line));
            }
        }
    }
}

#[cfg(all(test, feature = "xlsx"))]
mod workbook_tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn a_workbook_names_levels_in_columns_too() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("lines.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let rows: [[&str; 5]; 4] = [
            ["kegiatan", "sub_kegiatan", "akun", "pagu", "realisasi"],
            [
                "1.01.01.2.01",
                "1.01.01.2.01.0001",
                "5.1.02.01.01.0024",
                "60",
                "50",
            ],
            [
                "1.01.01.2.01",
                "1.01.01.2.01.0001",
                "5.1.02.01.01.0052",
                "40",
                "40",
            ],
            ["1.01.01.2.01", "", "5.2.02.05.01.0005", "200", "180"],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *cell).expect("cell");
            }
        }
        book.save(&path).expect("save");
        let mut options = Options {
            columns: Columns::default(),
            delimiter: None,
            format: NumberFormat::Plain,
            skema: Skema::Daerah,
        };
        options.columns.deeper = vec!["sub_kegiatan".into()];
        let agg = aggregate_workbook(&path, &options).expect("workbook");
        let key = format!("1.01.01.2.01{LEVEL_SEPARATOR}1.01.01.2.01.0001");
        let g = agg.groups[&(key, "5.1.02".to_string())];
        assert_eq!((g.pagu, g.realisasi, g.rows), (dec!(100), dec!(90), 2));
        assert_eq!(agg.groups.len(), 1);
        let bad: Vec<(u64, Option<usize>)> = agg.bad.iter().map(|b| (b.line, b.column)).collect();
        assert_eq!(bad, [(4, Some(2))]);
        assert!(agg.bad[0].message.contains("the level code is empty"));
    }

    /// A date column of real Excel dates (and one kept as text): each line's realisasi in
    /// the period of its date.
    #[test]
    fn a_workbook_dates_its_lines_by_their_date_cells() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("lines.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in ["kegiatan", "akun", "pagu", "realisasi", "tgl"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, c as u16, *h).expect("cell");
        }
        let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        for (r, (realisasi, day)) in [(100.0, (2022, 2, 15)), (150.0, (2022, 5, 31))]
            .iter()
            .enumerate()
        {
            let r = r as u32 + 1;
            sheet.write_string(r, 0, "K1").expect("cell");
            sheet.write_string(r, 1, "521211").expect("cell");
            sheet.write_number(r, 2, 0.0).expect("cell");
            sheet.write_number(r, 3, *realisasi).expect("cell");
            let d = rust_xlsxwriter::ExcelDateTime::from_ymd(day.0, day.1, day.2).expect("date");
            sheet
                .write_datetime_with_format(r, 4, &d, &date)
                .expect("cell");
        }
        for (c, cell) in ["K1", "521211", "0", "75", "2022-08-01"].iter().enumerate() {
            sheet.write_string(3, c as u16, *cell).expect("cell");
        }
        book.save(&path).expect("save");
        let mut options = Options {
            columns: Columns::default(),
            delimiter: None,
            format: NumberFormat::Plain,
            skema: Skema::Pusat,
        };
        options.columns.periode = Some(KolomPeriode {
            nama: "tgl".into(),
            tanggal: true,
            kalender: Kalender::Triwulan,
            tahun: 2022,
        });
        let agg = aggregate_workbook(&path, &options).expect("workbook");
        assert!(agg.bad.is_empty(), "{:?}", agg.bad);
        let g = agg.groups[&("K1".to_string(), "52".to_string())];
        assert_eq!(&g.periode[..3], [dec!(100), dec!(150), dec!(75)]);
        assert_eq!(agg.periode, 3);
    }

    #[test]
    fn reads_a_workbook_like_a_csv() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rincian.xlsx");
        let options = Options {
            columns: Columns::default(),
            delimiter: None,
            format: NumberFormat::Indonesian,
            skema: Skema::Pusat,
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
        // Read as a regional budget, its central akun are bad rows, as in a CSV.
        let regional = Options {
            skema: Skema::Daerah,
            ..options
        };
        let agg = aggregate_workbook(&path, &regional).expect("workbook");
        assert_eq!(agg.rows, 0);
        assert_eq!(agg.bad.len(), 4);
        assert!(
            agg.bad[0]
                .message
                .contains("does not start with a regional jenis belanja"),
            "{:?}",
            agg.bad
        );
    }
}
