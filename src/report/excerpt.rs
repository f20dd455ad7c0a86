//! What the human format shows of one file for one diagnostic: the lines around its labels,
//! made safe and short. Every character that would not show as itself is escaped, tabs are
//! expanded, and a line wider than [`MAX_LINE_COLUMNS`] is cut to windows around the labels
//! on it, with an ellipsis where text is left out. miette renders this excerpt as if it were
//! the file: the labels' spans are moved into it, and it reports the file's own line numbers
//! and columns.
//!
//! So what a diagnostic costs is bounded by its labels, however long the file or its lines,
//! and no byte of a plan reaches the terminal as anything but text.

use std::ops::Range;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::escape::{is_shown, push_escape, visible};
use crate::source::{SourceFile, line_of};

/// A line wider than this, in columns, is cut to windows around its labels.
pub const MAX_LINE_COLUMNS: usize = 120;
/// Columns shown on each side of a label on a line that is cut.
const CONTEXT_COLUMNS: usize = 24;
/// Columns of a label shown on a line that is cut; the rest of a longer value is left out.
const MAX_LABEL_COLUMNS: usize = 60;
/// A label over more lines than this is shown by its first line.
const MAX_LABEL_LINES: usize = 4;
/// Lines between two labels' context that are still shown, joining them into one excerpt;
/// labels further apart are shown as excerpts of their own.
const MAX_GAP_LINES: usize = 8;
/// Columns a tab advances to the next multiple of, as miette would expand it.
const TAB_COLUMNS: usize = 4;
const ELLIPSIS: char = '…';

pub struct Excerpt {
    name: String,
    /// The shown lines, each ending in a line feed.
    text: String,
    lines: Vec<ShownLine>,
    /// Where each label starts in `text`, and its column in the file (0-based, characters).
    label_columns: Vec<(usize, usize)>,
}

struct ShownLine {
    /// Its index in the file.
    number: usize,
    /// Where it starts in the file, and where the next line does.
    in_file: Range<usize>,
    /// Where it starts in the excerpt's text.
    start: usize,
    /// Lines of one group follow each other in the file; groups are shown apart.
    group: usize,
    windows: Vec<Window>,
}

/// A part of a line that is shown.
struct Window {
    /// Where each character of the window starts, in the file and in the excerpt.
    chars: Vec<(usize, usize)>,
    /// Where the window ends, in the file and in the excerpt.
    end: (usize, usize),
}

impl Excerpt {
    /// The excerpt of `file` that shows `spans` (byte ranges into it), and each span moved
    /// into the excerpt.
    pub fn of(file: &SourceFile, spans: &[Range<usize>]) -> (Excerpt, Vec<Range<usize>>) {
        let text = file.text();
        let mut line_starts = file.line_starts();
        if line_starts.is_empty() {
            line_starts = std::sync::Arc::from([0]);
        }
        let spans: Vec<Range<usize>> = spans
            .iter()
            .map(|span| shown_span(&text, &line_starts, span))
            .collect();
        let mut excerpt = Excerpt {
            name: visible(&file.path).into_owned(),
            text: String::new(),
            lines: Vec::new(),
            label_columns: Vec::new(),
        };
        for (group, lines) in groups(&text, &line_starts, &spans).into_iter().enumerate() {
            for number in lines {
                excerpt.push_line(&text, &line_starts, number, group, &spans);
            }
        }
        let moved: Vec<Range<usize>> = spans
            .iter()
            .map(|span| excerpt.moved(span.start)..excerpt.moved(span.end))
            .collect();
        excerpt.label_columns = spans
            .iter()
            .zip(&moved)
            .map(|(span, moved)| (moved.start, file.position(span.start as u32).column - 1))
            .collect();
        (excerpt, moved)
    }

    /// Appends line `number` of the file as it is shown.
    fn push_line(
        &mut self,
        text: &str,
        line_starts: &[usize],
        number: usize,
        group: usize,
        spans: &[Range<usize>],
    ) {
        let line = line_range(text, line_starts, number);
        let start = self.text.len();
        let mut windows = Vec::new();
        let mut column = 0;
        for (index, part) in windows_of(text, &line, spans).into_iter().enumerate() {
            if part.start > line.start || index > 0 {
                self.text.push(ELLIPSIS);
                column += 1;
            }
            let mut chars = Vec::with_capacity(part.len());
            for (at, c) in text[part.clone()].char_indices() {
                chars.push((part.start + at, self.text.len()));
                column += self.push_char(c, column);
            }
            windows.push(Window {
                chars,
                end: (part.end, self.text.len()),
            });
        }
        if windows.last().is_some_and(|window| window.end.0 < line.end) {
            self.text.push(ELLIPSIS);
        }
        self.text.push('\n');
        let next = line_starts.get(number + 1).copied().unwrap_or(usize::MAX);
        self.lines.push(ShownLine {
            number,
            in_file: line_starts[number]..next,
            start,
            group,
            windows,
        });
    }

    /// Appends `c` as it is shown at `column`; gives the columns it takes.
    fn push_char(&mut self, c: char, column: usize) -> usize {
        if c == '\t' {
            let width = TAB_COLUMNS - column % TAB_COLUMNS;
            self.text.extend(std::iter::repeat_n(' ', width));
            width
        } else if is_shown(c) {
            self.text.push(c);
            char_columns(c)
        } else {
            let before = self.text.len();
            push_escape(&mut self.text, c);
            self.text.len() - before
        }
    }

    /// Where a byte offset of the file lands in the excerpt: on the character it starts, or,
    /// in text left out, where the window before it ends.
    fn moved(&self, offset: usize) -> usize {
        let index = self
            .lines
            .partition_point(|line| line.in_file.start <= offset);
        let Some(line) = self.lines.get(index.saturating_sub(1)) else {
            return 0;
        };
        let window = line
            .windows
            .partition_point(|window| window.chars.first().is_none_or(|c| c.0 <= offset));
        let Some(window) = line.windows.get(window.saturating_sub(1)) else {
            return line.start;
        };
        if offset >= window.end.0 {
            return window.end.1;
        }
        let at = window.chars.partition_point(|c| c.0 <= offset);
        match window.chars.get(at.saturating_sub(1)) {
            Some(&(start, shown)) if start == offset => shown,
            _ => window.chars.get(at).map_or(window.end.1, |c| c.1),
        }
    }

    fn line_at(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|line| line.start <= offset)
            .saturating_sub(1)
    }

    fn line_end(&self, index: usize) -> usize {
        self.lines
            .get(index + 1)
            .map_or(self.text.len(), |line| line.start)
    }
}

/// The lines to show, in groups: each span's lines with one line of context on each side,
/// joined where fewer than [`MAX_GAP_LINES`] lines lie between them.
fn groups(
    text: &str,
    line_starts: &[usize],
    spans: &[Range<usize>],
) -> Vec<std::ops::RangeInclusive<usize>> {
    // After a final line break there is no line to show as context, only to point at.
    let mut last_line = line_starts.len() - 1;
    if last_line > 0 && line_starts[last_line] == text.len() {
        last_line -= 1;
    }
    let mut wanted: Vec<(usize, usize)> = spans
        .iter()
        .map(|span| {
            let first = line_of(line_starts, span.start);
            let last = line_of(line_starts, span.end);
            (first.saturating_sub(1), (last + 1).min(last_line).max(last))
        })
        .collect();
    wanted.sort_unstable();
    let mut groups: Vec<std::ops::RangeInclusive<usize>> = Vec::new();
    for (first, last) in wanted {
        match groups.last_mut() {
            Some(group) if first <= group.end() + 1 + MAX_GAP_LINES => {
                *group = *group.start()..=last.max(*group.end());
            }
            _ => groups.push(first..=last),
        }
    }
    groups
}

/// A span as it is shown: within the text, on character boundaries, and no longer than
/// [`MAX_LABEL_LINES`] lines (a longer one ends with its first line).
fn shown_span(text: &str, line_starts: &[usize], span: &Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
    let (first, last) = (line_of(line_starts, start), line_of(line_starts, end));
    if last - first < MAX_LABEL_LINES {
        return start..end;
    }
    start..line_range(text, line_starts, first).end
}

/// The bytes of line `number`, without its line break.
fn line_range(text: &str, line_starts: &[usize], number: usize) -> Range<usize> {
    let start = line_starts[number].min(text.len());
    let mut end = line_starts
        .get(number + 1)
        .map_or(text.len(), |&next| next - 1);
    if end > start && text.as_bytes()[end - 1] == b'\r' && end < text.len() {
        end -= 1;
    }
    start..end.max(start)
}

/// The parts of `line` that are shown: all of it when it is narrow enough, else a window
/// around each label on it (or its start, on a line without labels).
fn windows_of(text: &str, line: &Range<usize>, spans: &[Range<usize>]) -> Vec<Range<usize>> {
    let content = &text[line.clone()];
    let narrow = content.len() <= MAX_LINE_COLUMNS * 4
        && content.chars().map(shown_columns).sum::<usize>() <= MAX_LINE_COLUMNS;
    if narrow {
        return vec![line.clone()];
    }
    let mut windows: Vec<Range<usize>> = spans
        .iter()
        .filter(|span| span.start <= line.end && span.end >= line.start)
        .map(|span| {
            let start = span.start.max(line.start);
            let end = span.end.min(line.end);
            let end = advance(text, start, MAX_LABEL_COLUMNS, line.end).min(end);
            let from = retreat(text, start, CONTEXT_COLUMNS, line.start);
            from..advance(text, end, CONTEXT_COLUMNS, line.end)
        })
        .collect();
    if windows.is_empty() {
        windows.push(line.start..advance(text, line.start, MAX_LINE_COLUMNS, line.end));
    }
    windows.sort_unstable_by_key(|window| window.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(windows.len());
    for window in windows {
        match merged.last_mut() {
            Some(last) if window.start <= last.end => last.end = last.end.max(window.end),
            _ => merged.push(window),
        }
    }
    merged
}

/// The offset `columns` columns after `from`, at most `limit`.
fn advance(text: &str, from: usize, columns: usize, limit: usize) -> usize {
    let mut taken = 0;
    for (at, c) in text[from..limit].char_indices() {
        taken += shown_columns(c);
        if taken > columns {
            return from + at;
        }
    }
    limit
}

/// The offset `columns` columns before `from`, at least `limit`.
fn retreat(text: &str, from: usize, columns: usize, limit: usize) -> usize {
    let mut taken = 0;
    for (at, c) in text[limit..from].char_indices().rev() {
        taken += shown_columns(c);
        if taken > columns {
            return limit + at + c.len_utf8();
        }
    }
    limit
}

/// Columns a character takes once shown, escapes and tabs at their widest.
fn shown_columns(c: char) -> usize {
    if c == '\t' {
        TAB_COLUMNS
    } else if is_shown(c) {
        char_columns(c)
    } else {
        10
    }
}

/// Columns a shown character takes on a terminal: two for the wide East Asian ones.
fn char_columns(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > self.text.len() || self.lines.is_empty() {
            return Err(MietteError::OutOfBounds);
        }
        let (first, last) = (self.line_at(start), self.line_at(end));
        let group = self.lines[first].group;
        if self.lines[last].group != group {
            // Two excerpts far apart in the file are shown apart.
            return Err(MietteError::OutOfBounds);
        }
        let first = (first.saturating_sub(context_lines_before)..=first)
            .find(|&index| self.lines[index].group == group)
            .unwrap_or(first);
        let last = (last..=(last + context_lines_after).min(self.lines.len() - 1))
            .rev()
            .find(|&index| self.lines[index].group == group)
            .unwrap_or(last);
        let (data_start, column) = if context_lines_before == 0 {
            let column = self
                .label_columns
                .iter()
                .find(|&&(at, _)| at == start)
                .map_or(0, |&(_, column)| column);
            (start, column)
        } else {
            (self.lines[first].start, 0)
        };
        let data_end = self.line_end(last);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &self.text.as_bytes()[data_start..data_end],
            SourceSpan::new(data_start.into(), data_end - data_start),
            self.lines[first].number,
            column,
            self.lines[last].number + 1,
        )))
    }
}

#[cfg(test)]
// A span is a `Range`; a one-element list of them is what `Excerpt::of` takes.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("a.yaml".into(), PathBuf::new(), text.into())
    }

    /// The shown lines and where each span landed, as text.
    fn shown(text: &str, spans: &[Range<usize>]) -> (String, Vec<String>) {
        let (excerpt, moved) = Excerpt::of(&file(text), spans);
        let labels = moved
            .iter()
            .map(|span| excerpt.text[span.clone()].to_owned())
            .collect();
        (excerpt.text, labels)
    }

    #[test]
    fn short_lines_are_shown_whole_with_a_line_of_context() {
        let text = "a: 1\nsubnets:\n  - cidr: 10.0.0.0/24\nb: 2\nc: 3\n";
        let value = text.find("10.0").unwrap();
        let (lines, labels) = shown(text, &[value..value + 11]);
        assert_eq!(lines, "subnets:\n  - cidr: 10.0.0.0/24\nb: 2\n");
        assert_eq!(labels, ["10.0.0.0/24"]);
    }

    #[test]
    fn a_long_line_is_cut_to_windows_around_its_labels() {
        let items: Vec<String> = (0..3000)
            .map(|i| format!("{{cidr: 10.0.{}.0/24}}", i % 200))
            .collect();
        let text = format!("subnets: [{}]\n", items.join(", "));
        let far = text.rfind("10.0.199.0/24").unwrap();
        let near = text.find("10.0.5.0/24").unwrap();
        let (lines, labels) = shown(&text, &[far..far + 13, near..near + 11]);
        assert_eq!(labels, ["10.0.199.0/24", "10.0.5.0/24"]);
        assert_eq!(lines.matches('…').count(), 2, "{lines}");
        assert!(lines.ends_with("10.0.199.0/24}]\n"), "{lines}");
        assert!(
            lines.chars().count() < 2 * (2 * CONTEXT_COLUMNS + MAX_LABEL_COLUMNS),
            "{lines}"
        );
        assert!(lines.starts_with("…"), "{lines}");
    }

    #[test]
    fn tabs_are_expanded_and_controls_escaped_and_columns_stay_the_files() {
        let text = format!(
            "a:{}\u{1b}[31m: 10.0.0.0/24 \u{202e}x\n",
            "\t".repeat(17_000)
        );
        let value = text.find("10.0").unwrap();
        let (excerpt, moved) = Excerpt::of(&file(&text), &[value..value + 11]);
        assert_eq!(&excerpt.text[moved[0].clone()], "10.0.0.0/24");
        assert!(excerpt.text.contains("\\u{1b}[31m: 10.0.0.0/24 \\u{202e}x"));
        assert!(excerpt.text.chars().all(|c| c == '\n' || is_shown(c)));
        assert!(excerpt.text.len() < 400, "{}", excerpt.text);
        let read = excerpt
            .read_span(&SourceSpan::new(moved[0].start.into(), 11), 0, 0)
            .unwrap();
        assert_eq!((read.line(), read.column()), (0, 17_009));
    }

    #[test]
    fn labels_far_apart_are_shown_apart() {
        let mut text = String::from("first: 1\n");
        text.push_str(&"x: 0\n".repeat(100));
        text.push_str("last: 2\n");
        let last = text.find("last").unwrap();
        let (excerpt, moved) = Excerpt::of(&file(&text), &[0..5, last..last + 4]);
        assert_eq!(excerpt.text, "first: 1\nx: 0\nx: 0\nlast: 2\n");
        let both = SourceSpan::new(moved[0].start.into(), moved[1].end - moved[0].start);
        assert!(excerpt.read_span(&both, 1, 1).is_err());
        let one = excerpt
            .read_span(&SourceSpan::new(moved[1].start.into(), 4), 1, 1)
            .unwrap();
        assert_eq!((one.line(), one.data()), (100, &b"x: 0\nlast: 2\n"[..]));
    }

    /// Every span of a small text, on short and cut lines, lands on the text it covered
    /// (when nothing of it was escaped, expanded or left out), and the excerpt is only shown
    /// characters.
    #[test]
    fn every_span_lands_on_its_text() {
        let long = format!("k: [{}]", "ab, ".repeat(60));
        for text in ["a: 1\r\nsubnets:\n  - cidr: é\n\nlast", long.as_str()] {
            for start in 0..=text.len() {
                for end in start..=text.len().min(start + 12) {
                    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                        continue;
                    }
                    let (excerpt, moved) = Excerpt::of(&file(text), &[start..end]);
                    assert!(excerpt.text.chars().all(|c| c == '\n' || is_shown(c)));
                    let landed = &excerpt.text[moved[0].clone()];
                    let covered = &text[start..end];
                    if !covered.contains(['\r', '\n']) {
                        assert_eq!(landed, covered, "{start}..{end} of {text:?}");
                    }
                }
            }
        }
    }
}
