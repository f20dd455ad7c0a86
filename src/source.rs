//! Declaration files as text, and spans into them.
//!
//! Spans are byte ranges; line and column (1-based, columns counting characters) are
//! computed only for the findings that are reported.

use std::sync::Arc;

/// Index of a file in canonical order (root-relative path, byte by byte).
pub type FileId = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

/// A line and a character column, both 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug)]
pub struct SourceFile {
    /// Root-relative path with `/` separators.
    pub path: String,
    /// Shared with the renderer, which needs the text of every file it shows.
    pub text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: String, text: String) -> SourceFile {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path,
            text: Arc::from(text),
            line_starts,
        }
    }

    /// The position of a byte offset. A byte order mark is not counted as a column.
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line_index = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let mut line_start = self.line_starts[line_index];
        if line_index == 0 && self.text.starts_with('\u{feff}') {
            line_start = line_start.max('\u{feff}'.len_utf8()).min(offset);
        }
        let column = self.text[line_start..offset].chars().count() + 1;
        Position {
            line: line_index + 1,
            column,
        }
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let file = SourceFile::new("a.yaml".into(), "a: 1\nnamé: x\n".into());
        assert_eq!(file.position(0), Position { line: 1, column: 1 });
        let x = file.text.find('x').unwrap();
        assert_eq!(file.position(x), Position { line: 2, column: 7 });
    }

    #[test]
    fn byte_order_mark_is_not_a_column() {
        let file = SourceFile::new("a.yaml".into(), "\u{feff}a: 1\n".into());
        assert_eq!(file.position(3), Position { line: 1, column: 1 });
        assert_eq!(file.position(6), Position { line: 1, column: 4 });
    }
}

/// A value and where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}
