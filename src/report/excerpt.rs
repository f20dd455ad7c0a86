//! A file's text as miette reads it, a few lines at a time.
//!
//! miette finds a span's line by scanning the text from its start, so showing n findings
//! of one large file costs n times the file. [`Excerpt`] finds the line by binary search
//! over the file's line starts, and lets miette scan only the lines it will show.

use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::{SourceFile, line_of};

pub struct Excerpt {
    name: String,
    text: Arc<str>,
    line_starts: Arc<[usize]>,
}

impl Excerpt {
    pub fn of(file: &SourceFile) -> Excerpt {
        Excerpt {
            name: file.path.clone(),
            text: file.text(),
            line_starts: file.line_starts(),
        }
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text: &'a str = &self.text;
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > text.len() || self.line_starts.is_empty() {
            // Out of bounds: miette's own error.
            return text.read_span(span, context_lines_before, context_lines_after);
        }
        // The lines miette will look at, and one more on each side, so that it stops where
        // it would have stopped in the whole text.
        let first_line = line_of(&self.line_starts, start).saturating_sub(context_lines_before + 1);
        let last_line = line_of(&self.line_starts, end) + context_lines_after + 1;
        let window_start = self.line_starts[first_line];
        let window_end = self
            .line_starts
            .get(last_line + 1)
            .copied()
            .unwrap_or(text.len());
        let window = &text[window_start..window_end];
        let within = SourceSpan::new((start - window_start).into(), span.len());
        let inner = window.read_span(&within, context_lines_before, context_lines_after)?;
        let shown = SourceSpan::new(
            (inner.span().offset() + window_start).into(),
            inner.span().len(),
        );
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            shown,
            inner.line() + first_line,
            inner.column(),
            inner.line_count() + first_line,
        )))
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// Every span, with every amount of context, reads as it does from the whole text.
    #[test]
    fn reads_as_the_whole_text_does() {
        let text = "a: 1\r\nsubnets:\n  - cidr: 10.0.0.0/24\n\n  - cidr: é\nlast";
        let file = SourceFile::new("a.yaml".into(), PathBuf::new(), text.into());
        let excerpt = Excerpt::of(&file);
        for start in 0..=text.len() {
            for end in start..=text.len() {
                if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                    continue;
                }
                for context in 0..3 {
                    let span = SourceSpan::new(start.into(), end - start);
                    let whole = text.read_span(&span, context, context).unwrap();
                    let part = excerpt.read_span(&span, context, context).unwrap();
                    let what = format!("{start}..{end} with {context} lines of context");
                    assert_eq!(part.data(), whole.data(), "{what}");
                    assert_eq!(part.span(), whole.span(), "{what}");
                    assert_eq!(part.line(), whole.line(), "{what}");
                    assert_eq!(part.column(), whole.column(), "{what}");
                    assert_eq!(part.line_count(), whole.line_count(), "{what}");
                    assert_eq!(part.name(), Some("a.yaml"), "{what}");
                }
            }
        }
        // Past the end: whatever miette does with the whole text.
        let beyond = SourceSpan::new(text.len().into(), 3);
        let whole = text.read_span(&beyond, 1, 1).map(|c| c.data().to_vec());
        let part = excerpt.read_span(&beyond, 1, 1).map(|c| c.data().to_vec());
        assert_eq!(part.ok(), whole.ok());
    }
}
