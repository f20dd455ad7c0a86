//! Declaration files as text, and spans into them.
//!
//! Spans are byte ranges; line and column (1-based, columns counting characters) are
//! computed only for the findings that are reported.

use std::path::PathBuf;
use std::sync::Arc;

use crate::suppress::Suppressions;

/// Index of a file in canonical order (root-relative path, byte by byte).
pub type FileId = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    /// Byte offsets: a file is at most 4 GiB (see `MAX_FILE_BYTES`).
    pub start: u32,
    pub end: u32,
}

/// A line and a character column, both 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A declaration file. Its text is kept only while it is needed: a large plan is read,
/// checked, and only the files that findings point into are read again to be shown.
#[derive(Debug)]
pub struct SourceFile {
    /// Root-relative path with `/` separators.
    pub path: String,
    /// Where it was read from.
    pub location: PathBuf,
    /// Its length in bytes when it was checked.
    pub len: usize,
    pub suppressions: Suppressions,
    text: Option<Text>,
}

#[derive(Debug)]
struct Text {
    /// Shared with the renderer, which needs the text of every file it shows.
    text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: String, location: PathBuf, text: String) -> SourceFile {
        SourceFile {
            path,
            location,
            len: text.len(),
            suppressions: Suppressions::of(&text),
            text: Some(Text::new(text)),
        }
    }

    /// Frees the text; [`SourceFile::read_again`] brings it back when a finding is shown.
    pub fn forget_text(&mut self) {
        self.text = None;
    }

    /// Reads the text again, as it was checked. A file that changed in between cannot be
    /// shown faithfully: that is an error.
    pub fn read_again(&mut self) -> Result<(), String> {
        if self.text.is_some() {
            return Ok(());
        }
        let changed = || {
            format!(
                "{} changed while it was being checked; run again",
                self.path
            )
        };
        let text = std::fs::read_to_string(&self.location).map_err(|_| changed())?;
        if text.len() != self.len {
            return Err(changed());
        }
        self.text = Some(Text::new(text));
        Ok(())
    }

    /// The text, empty when it is not held.
    pub fn text(&self) -> Arc<str> {
        self.text
            .as_ref()
            .map_or_else(|| Arc::from(""), |held| held.text.clone())
    }

    /// The position of a byte offset. A byte order mark is not counted as a column.
    pub fn position(&self, offset: u32) -> Position {
        let offset = offset as usize;
        let Some(Text { text, line_starts }) = &self.text else {
            return Position { line: 1, column: 1 };
        };
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line_index = line_starts.partition_point(|&start| start <= offset) - 1;
        let mut line_start = line_starts[line_index];
        if line_index == 0 && text.starts_with('\u{feff}') {
            line_start = line_start.max('\u{feff}'.len_utf8()).min(offset);
        }
        let column = text[line_start..offset].chars().count() + 1;
        Position {
            line: line_index + 1,
            column,
        }
    }
}

impl Text {
    fn new(text: String) -> Text {
        let line_starts = line_starts(&text);
        Text {
            text: Arc::from(text),
            line_starts,
        }
    }
}

/// The byte offset at which each line starts, the first at 0.
pub fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let file = SourceFile::new("a.yaml".into(), PathBuf::new(), "a: 1\nnamé: x\n".into());
        assert_eq!(file.position(0), Position { line: 1, column: 1 });
        let x = file.text().find('x').unwrap();
        assert_eq!(file.position(x as u32), Position { line: 2, column: 7 });
    }

    #[test]
    fn a_forgotten_text_is_read_again_unless_the_file_changed() {
        let dir = tempfile::tempdir().unwrap();
        let location = dir.path().join("a.yaml");
        std::fs::write(&location, "a: 1\nb: 2\n").unwrap();
        let mut file = SourceFile::new("a.yaml".into(), location.clone(), "a: 1\nb: 2\n".into());
        file.forget_text();
        assert_eq!(&*file.text(), "");
        file.read_again().unwrap();
        assert_eq!(file.position(5u32), Position { line: 2, column: 1 });

        file.forget_text();
        std::fs::write(&location, "a: 1\n").unwrap();
        let error = file.read_again().unwrap_err();
        assert!(
            error.contains("a.yaml changed while it was being checked"),
            "{error}"
        );
    }

    #[test]
    fn byte_order_mark_is_not_a_column() {
        let file = SourceFile::new("a.yaml".into(), PathBuf::new(), "\u{feff}a: 1\n".into());
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
