//! Rendering findings. Every format reads the same [`Outcome`] and is one implementation of
//! [`Format`]; where a span is, as line and column, is [`place`]'s to say for all of them.

pub mod escape;
mod excerpt;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod settings;
pub mod statistics;

use std::io::{self, BufWriter, Write};

use crate::check::Outcome;
use crate::source::{Position, SourceFile, Span};

/// A report format. Writes each finding as it is produced: a million findings are never
/// held as text.
pub trait Format {
    fn write(&self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()>;
}

/// Writes through a buffer of its own, so that a format's many small writes are not each a
/// call through `dyn Write`.
fn buffered(
    out: &mut dyn Write,
    write: impl FnOnce(&mut BufWriter<&mut dyn Write>) -> io::Result<()>,
) -> io::Result<()> {
    let mut buffer = BufWriter::with_capacity(64 * 1024, out);
    write(&mut buffer)?;
    buffer.flush()
}

/// Where a span is: its file, and the line and column of its start and its end.
pub struct Place<'o> {
    pub file: &'o SourceFile,
    pub start: Position,
    pub end: Position,
}

pub fn place(files: &[SourceFile], span: Span) -> Place<'_> {
    let file = &files[span.file as usize];
    Place {
        file,
        start: file.position(span.start),
        end: file.position(span.end),
    }
}

/// A report written to memory, as one string: for tests and callers that want the text.
fn written(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    write(&mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("every report is UTF-8 text")
}
