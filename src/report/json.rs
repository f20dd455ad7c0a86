//! `--format json`: one document, exactly as the contract's section 7 describes.

use serde::Serialize;

use super::{Format, Place, place};
use crate::check::{Outcome, Summary};
use crate::finding::Finding;
use crate::source::SourceFile;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    summary: &'a Summary,
    diagnostics: Vec<Diagnostic<'a>>,
}

#[derive(Serialize)]
struct Diagnostic<'a> {
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    space: Option<&'a str>,
    related: Vec<Related<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct Related<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
}

impl Serialize for Summary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Summary", 5)?;
        s.serialize_field("files", &self.files)?;
        s.serialize_field("declarations", &self.declarations)?;
        s.serialize_field("errors", &self.errors)?;
        s.serialize_field("warnings", &self.warnings)?;
        s.serialize_field("suppressed", &self.suppressed)?;
        s.end()
    }
}

fn diagnostic<'a>(files: &'a [SourceFile], finding: &'a Finding) -> Diagnostic<'a> {
    let Place { file, start, end } = place(files, finding.primary);
    Diagnostic {
        rule: finding.rule.name(),
        severity: finding.severity.as_str(),
        message: &finding.message,
        file: &file.path,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        space: finding.space.as_deref(),
        related: finding
            .related
            .iter()
            .map(|related| {
                let Place {
                    file: other,
                    start: at,
                    ..
                } = place(files, related.span);
                Related {
                    file: &other.path,
                    line: at.line,
                    column: at.column,
                    message: &related.message,
                }
            })
            .collect(),
        help: finding.help.as_deref(),
    }
}

/// `--format json`: the report of the contract, version 1.
pub struct Json;

impl Format for Json {
    fn write(&self, outcome: &Outcome, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        super::buffered(out, |out| write(outcome, out))
    }
}

/// Writes the report while it is serialized, so that a report of many findings is never
/// held whole in memory.
pub fn write(outcome: &Outcome, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let report = Report {
        version: 1,
        summary: &outcome.summary,
        diagnostics: outcome
            .findings
            .iter()
            .map(|finding| diagnostic(&outcome.files, finding))
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    out.write_all(b"\n")
}

pub fn render(outcome: &Outcome) -> String {
    let mut bytes = Vec::new();
    write(outcome, &mut bytes).expect("writing to memory does not fail");
    String::from_utf8(bytes).expect("JSON is UTF-8")
}
