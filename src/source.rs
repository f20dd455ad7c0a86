//! Declaration files as text, and spans into them.
//!
//! Spans are byte ranges; line and column (1-based, columns counting characters) are
//! computed only for the findings that are reported.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use crate::suppress::Suppressions;

/// Index of a file in canonical order (root-relative path, byte by byte).
pub type FileId = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    /// Byte offsets: a file is at most 256 MiB (see `load::MAX_FILE_BYTES`).
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
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Root-relative path with `/` separators.
    pub path: String,
    /// Where it was read from.
    pub location: PathBuf,
    /// Its length in bytes when it was checked.
    pub len: usize,
    /// When it was last changed before it was checked, where the system tells.
    pub modified: Option<SystemTime>,
    pub suppressions: Suppressions,
    /// Read, and found to be another tool's YAML or TOML (`load::recognize`): it holds no
    /// declarations and is counted apart from the plan's files.
    pub not_a_plan: bool,
    text: Option<Text>,
}

#[derive(Clone, Debug)]
struct Text {
    /// Shared with the renderer, which needs the text of every file it shows.
    text: Arc<str>,
    line_starts: Arc<[usize]>,
    /// For a text that is not all ASCII: the characters before every block of
    /// `CHAR_BLOCK` bytes, so a column costs at most one block's count however long its
    /// line is.
    chars_before_block: Option<Vec<u32>>,
}

/// Bytes per entry of [`Text::chars_before_block`].
const CHAR_BLOCK: usize = 4096;

/// Characters in UTF-8 bytes: the bytes that do not continue a character.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

impl SourceFile {
    pub fn new(path: String, location: PathBuf, text: String) -> SourceFile {
        let mut file = SourceFile::without_text(path, location, &text);
        file.text = Some(Text::new(text));
        file
    }

    /// A file read and checked whose text is not held: its length is taken from `text`
    /// (its suppressions are the loader's to set), and [`crate::load::read_again`] brings the text back if a finding
    /// is shown.
    pub fn without_text(path: String, location: PathBuf, text: &str) -> SourceFile {
        SourceFile {
            path,
            location,
            len: text.len(),
            modified: None,
            suppressions: Suppressions::default(),
            not_a_plan: false,
            text: None,
        }
    }

    /// Whether the text is held (see [`crate::load::read_again`]).
    pub fn has_text(&self) -> bool {
        self.text.is_some()
    }

    /// Holds `text`, which must be the text the file was checked with.
    pub fn set_text(&mut self, text: String) {
        debug_assert_eq!(text.len(), self.len);
        self.text = Some(Text::new(text));
    }

    /// The text, borrowed, if it is held.
    pub fn held_text(&self) -> Option<&str> {
        self.text.as_ref().map(|held| &*held.text)
    }

    /// The text, empty when it is not held.
    pub fn text(&self) -> Arc<str> {
        self.text
            .as_ref()
            .map_or_else(|| Arc::from(""), |held| held.text.clone())
    }

    /// The byte offset at which each line starts, the first at 0; empty when the text is
    /// not held.
    pub fn line_starts(&self) -> Arc<[usize]> {
        self.text
            .as_ref()
            .map_or_else(|| Arc::from([]), |held| held.line_starts.clone())
    }

    /// The position of a byte offset. A byte order mark is not counted as a column.
    pub fn position(&self, offset: u32) -> Position {
        let offset = offset as usize;
        let Some(held) = &self.text else {
            return Position { line: 1, column: 1 };
        };
        let (text, line_starts) = (&held.text, &held.line_starts);
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line_index = line_of(line_starts, offset);
        let mut line_start = line_starts[line_index];
        if line_index == 0 && text.starts_with('\u{feff}') {
            line_start = line_start.max('\u{feff}'.len_utf8()).min(offset);
        }
        let column = held.chars_before(offset) - held.chars_before(line_start) + 1;
        Position {
            line: line_index + 1,
            column,
        }
    }
}

impl Text {
    fn new(text: String) -> Text {
        let line_starts = line_starts(&text).into();
        let chars_before_block = (!text.is_ascii()).then(|| {
            let mut before = 0;
            let mut blocks: Vec<u32> = text
                .as_bytes()
                .chunks(CHAR_BLOCK)
                .map(|block| {
                    let at_start = before as u32;
                    before += count_chars(block);
                    at_start
                })
                .collect();
            // The end of a text a whole number of blocks long starts a block of its own.
            blocks.push(before as u32);
            blocks
        });
        Text {
            text: Arc::from(text),
            line_starts,
            chars_before_block,
        }
    }

    /// Characters before a byte offset.
    fn chars_before(&self, offset: usize) -> usize {
        let Some(blocks) = &self.chars_before_block else {
            return offset;
        };
        let block = offset / CHAR_BLOCK;
        let start = block * CHAR_BLOCK;
        blocks[block] as usize + count_chars(&self.text.as_bytes()[start..offset])
    }
}

/// The index of the line holding byte `offset`, given where each line starts.
pub fn line_of(line_starts: &[usize], offset: usize) -> usize {
    line_starts.partition_point(|&start| start <= offset) - 1
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
    fn columns_on_a_long_line_count_characters_across_blocks() {
        // Two bytes a character: the text ends exactly at a block boundary.
        let line = "é".repeat(3 * CHAR_BLOCK / 2 - 3);
        let text = format!("a: 1\n{line}\n");
        assert_eq!(text.len() % CHAR_BLOCK, 0);
        let file = SourceFile::new("a.yaml".into(), PathBuf::new(), text.clone());
        let ends = text.char_indices().map(|(i, _)| i).chain([text.len()]);
        for offset in ends {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let expected = text[line_start..offset].chars().count() + 1;
            assert_eq!(file.position(offset as u32).column, expected, "at {offset}");
        }
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

/// Points every span of a value at another file: a file's declarations, read once, given to
/// a second model where the file has another id (`check --base`, for the files the change
/// leaves alone). Every span of what one file declares is in that file, so all are moved.
pub trait Refile {
    fn refile(&mut self, file: FileId);
}

impl Refile for Span {
    fn refile(&mut self, file: FileId) {
        self.file = file;
    }
}

impl<T> Refile for Spanned<T> {
    fn refile(&mut self, file: FileId) {
        self.span.file = file;
    }
}

impl<T: Refile> Refile for Option<T> {
    fn refile(&mut self, file: FileId) {
        if let Some(value) = self {
            value.refile(file);
        }
    }
}

impl<T: Refile> Refile for Vec<T> {
    fn refile(&mut self, file: FileId) {
        self.iter_mut().for_each(|value| value.refile(file));
    }
}
