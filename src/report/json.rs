//! `--format json`: one document, exactly as the contract's section 7 describes.

use serde::Serialize;

use super::{Format, Place, place};
use crate::check::{Outcome, Summary};
use crate::finding::Finding;
use crate::model::usage::Count;
use crate::review::Review;
use crate::source::SourceFile;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    summary: ReportSummary<'a>,
    diagnostics: Vec<Diagnostic<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    changes: Option<Vec<ChangeJson<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    blocks: Option<Vec<BlockJson<'a>>>,
    /// The files left out as other tools' YAML or TOML; absent when there are none, so a
    /// plan-only repository's report is the contract's to the letter.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_plan_files: Vec<&'a str>,
}

/// The summary, with the counts of new findings when a change is reviewed.
struct ReportSummary<'a> {
    summary: &'a Summary,
    review: Option<&'a Review>,
}

#[derive(Serialize)]
struct ChangeJson<'a> {
    change: &'static str,
    kind: &'static str,
    space: &'a str,
    value: &'a str,
    file: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct BlockJson<'a> {
    space: &'a str,
    cidr: &'a str,
    #[serde(serialize_with = "exact")]
    used_before: Count,
    #[serde(serialize_with = "exact")]
    used_after: Count,
}

/// A count as an exact JSON integer, 2^128 (all of IPv6) included.
fn exact<S: serde::Serializer>(count: &Count, serializer: S) -> Result<S::Ok, S::Error> {
    match count.get() {
        Some(n) => serializer.serialize_u128(n),
        None => serde_json::value::RawValue::from_string(count.to_string())
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer),
    }
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
    /// When a change is reviewed: whether the earlier plan lacked this finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<bool>,
}

#[derive(Serialize)]
struct Related<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
}

impl Serialize for ReportSummary<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let summary = self.summary;
        let mut s = serializer.serialize_struct("Summary", 7)?;
        s.serialize_field("files", &summary.files)?;
        s.serialize_field("declarations", &summary.declarations)?;
        s.serialize_field("errors", &summary.errors)?;
        s.serialize_field("warnings", &summary.warnings)?;
        s.serialize_field("suppressed", &summary.suppressed)?;
        if let Some(review) = self.review {
            s.serialize_field("new_errors", &review.new_errors)?;
            s.serialize_field("new_warnings", &review.new_warnings)?;
        }
        s.end()
    }
}

fn diagnostic<'a>(
    files: &'a [SourceFile],
    finding: &'a Finding,
    new: Option<bool>,
) -> Diagnostic<'a> {
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
        new,
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
    let review = outcome.review.as_ref();
    let is_new = |index: usize| review.map(|review| review.new[index]);
    let report = Report {
        version: 1,
        summary: ReportSummary {
            summary: &outcome.summary,
            review,
        },
        diagnostics: (outcome.findings.iter().enumerate())
            .map(|(index, finding)| diagnostic(&outcome.files, finding, is_new(index)))
            .collect(),
        changes: review
            .and_then(|review| review.changes.as_ref())
            .map(|changes| {
                (changes.iter())
                    .map(|change| ChangeJson {
                        change: change.change.as_str(),
                        kind: change.kind.as_str(),
                        space: &change.space,
                        value: &change.value,
                        file: &change.file,
                        line: change.line,
                    })
                    .collect()
            }),
        blocks: review
            .and_then(|review| review.blocks.as_ref())
            .map(|blocks| {
                (blocks.iter())
                    .map(|block| BlockJson {
                        space: &block.space,
                        cidr: &block.cidr,
                        used_before: block.used_before,
                        used_after: block.used_after,
                    })
                    .collect()
            }),
        not_plan_files: outcome.not_plan_files().collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    out.write_all(b"\n")
}

pub fn render(outcome: &Outcome) -> String {
    let mut bytes = Vec::new();
    write(outcome, &mut bytes).expect("writing to memory does not fail");
    String::from_utf8(bytes).expect("JSON is UTF-8")
}
