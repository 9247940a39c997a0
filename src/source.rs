//! The workspace's files as read, so that every value can point back to where it was written.

use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start,
            end: end.max(start),
        }
    }
}

#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the workspace root, with `/` separators: what diagnostics print.
    pub path: String,
    pub text: String,
    /// For a file that may define YAML anchors, a key of its whole text (see
    /// [`SourceFile::anchored`]); worked out once, when first asked.
    anchored: std::sync::OnceLock<Option<u64>>,
}

impl SourceFile {
    /// `None` when the file defines no YAML anchor, so that what any part of it means is
    /// written in that part; otherwise a key of the whole text, which an alias may reach
    /// into anywhere. (Any `&` counts: a false alarm only costs reuse.)
    pub fn anchored(&self) -> Option<u64> {
        *self.anchored.get_or_init(|| {
            self.text
                .contains('&')
                .then(|| crate::incremental::key(0, self.text.as_bytes()))
        })
    }
}

/// Every file read for one run.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

/// A resolved position, 1-based, columns counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl Sources {
    pub fn add(&mut self, path: String, text: String) -> FileId {
        self.files.push(SourceFile {
            path,
            text,
            anchored: std::sync::OnceLock::new(),
        });
        FileId((self.files.len() - 1) as u32)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn path(&self, id: FileId) -> &str {
        &self.get(id).path
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// Line and column of a byte offset (clamped into the file).
    pub fn line_col(&self, file: FileId, offset: usize) -> LineCol {
        let text = &self.get(file).text;
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        LineCol {
            line,
            column: before[line_start..].chars().count() + 1,
        }
    }

    /// Byte offset of a 1-based line and character column, as YAML and Rhai report them.
    pub fn offset_of(&self, file: FileId, line: usize, column: usize) -> usize {
        let text = &self.get(file).text;
        let mut offset = 0;
        for (i, l) in text.split_inclusive('\n').enumerate() {
            if i + 1 == line {
                let col = l
                    .char_indices()
                    .nth(column.saturating_sub(1))
                    .map_or(l.trim_end_matches('\n').len(), |(b, _)| b);
                return offset + col;
            }
            offset += l.len();
        }
        text.len()
    }

    /// `path:line:col` of a span's start.
    pub fn location(&self, span: Span) -> String {
        let lc = self.line_col(span.file, span.start);
        format!("{}:{}:{}", self.path(span.file), lc.line, lc.column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A path shown relative to the workspace root, `/`-separated on every platform, so that
/// output and snapshots are the same on every machine.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_round_trip() {
        let mut s = Sources::default();
        let f = s.add("a.yaml".into(), "ab\ncdé\nfg".into());
        let off = s.offset_of(f, 2, 3);
        assert_eq!(&s.get(f).text[off..], "é\nfg");
        assert_eq!(s.line_col(f, off), LineCol { line: 2, column: 3 });
        assert_eq!(s.location(Span::new(f, 0, 1)), "a.yaml:1:1");
        // Past the end clamps instead of panicking.
        assert_eq!(s.line_col(f, 999).line, 3);
        assert_eq!(s.offset_of(f, 99, 1), s.get(f).text.len());
    }
}
