//! The workspace's files as read, so that every value can point back to where it was written.

use std::path::{Path, PathBuf};

/// A file of the run: an index into its [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub(crate) u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub(crate) fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start,
            end: end.max(start),
        }
    }
}

/// One file as it was read.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the workspace root, with `/` separators: what diagnostics print.
    pub path: String,
    pub text: String,
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
    pub(crate) fn add(&mut self, path: String, text: String) -> FileId {
        self.files.push(SourceFile { path, text });
        FileId((self.files.len() - 1) as u32)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn path(&self, id: FileId) -> &str {
        &self.get(id).path
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
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

    /// `path:line:col` of a span's start.
    pub fn location(&self, span: Span) -> String {
        let lc = self.line_col(span.file, span.start);
        format!("{}:{}:{}", self.path(span.file), lc.line, lc.column)
    }
}

/// Byte offset of a 1-based line and character column in `text`, as YAML and Rhai report
/// positions. A column past the end of its line is the line's end (before its line break);
/// a line past the end of the text is the text's end.
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
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

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A path shown relative to the workspace root, `/`-separated on every platform, so that
/// output and snapshots are the same on every machine.
pub(crate) fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    // The root of an absolute path (a shared rule library named by its full path) is the
    // leading `/` itself, not a component to join: `/srv/rules`, never `//srv/rules`.
    let parts: Vec<String> = rel
        .components()
        .filter(|c| !matches!(c, std::path::Component::RootDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let joined = parts.join("/");
    if rel.has_root() && !joined.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_round_trip() {
        let mut s = Sources::default();
        let f = s.add("a.yaml".into(), "ab\ncdé\nfg".into());
        let off = offset_of(&s.get(f).text, 2, 3);
        assert_eq!(&s.get(f).text[off..], "é\nfg");
        assert_eq!(s.line_col(f, off), LineCol { line: 2, column: 3 });
        assert_eq!(s.location(Span::new(f, 0, 1)), "a.yaml:1:1");
        // Past the end clamps instead of panicking.
        assert_eq!(s.line_col(f, 999).line, 3);
        assert_eq!(offset_of(&s.get(f).text, 99, 1), s.get(f).text.len());
        // A column past its line's end is the line's end, before the line break.
        assert_eq!(offset_of("ab\r\ncd\n", 1, 9), 3);
        assert_eq!(offset_of("ab\ncd\n", 1, 9), 2);
    }

    #[test]
    fn paths_outside_the_workspace_keep_one_leading_slash() {
        let root = Path::new("/ws");
        assert_eq!(
            display_path(root, Path::new("/ws/rules/a.rhai")),
            "rules/a.rhai"
        );
        #[cfg(unix)]
        assert_eq!(
            display_path(root, Path::new("/srv/rules/a.rhai")),
            "/srv/rules/a.rhai"
        );
    }
}
