//! `--format sarif`: SARIF 2.1.0 for code scanning, one run with every rule described.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::{Component, Path};

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification,
    PhysicalLocation, Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult,
    ResultBaselineState, ResultLevel, Run, Tool, ToolComponent,
};

use super::{Format, Place, place};
use crate::check::Outcome;
use crate::finding::Finding;
use crate::rule::Severity;
use crate::rules::{RULES, Rule};
use crate::source::{SourceFile, Span};

/// The most results GitHub code scanning accepts in one run; it rejects a larger upload.
pub const MAX_RESULTS: usize = 25_000;

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SOURCE_ROOT: &str = "%SRCROOT%";

/// Where a rule's documentation lives in the repository.
pub fn help_uri(rule: Rule) -> String {
    format!(
        "{}/blob/main/docs/rules/{}.md",
        env!("CARGO_PKG_REPOSITORY"),
        rule.name()
    )
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
    }
}

fn text(text: impl Into<String>) -> Message {
    Message::builder().text(text.into()).build()
}

/// The first paragraph under "What it finds", as one line.
fn full_description(docs: &str) -> String {
    docs.split("\n\n")
        .nth(1)
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A rule's name as SARIF wants one, in Pascal case and other than its id (`DuplicateSubnet`;
/// a rule of one word, such as `syntax`, is a `SyntaxError`).
fn friendly_name(name: &str) -> String {
    let pascal: String = name
        .split('-')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect();
    if pascal.eq_ignore_ascii_case(name) {
        format!("{pascal}Error")
    } else {
        pascal
    }
}

fn descriptor(rule: Rule) -> ReportingDescriptor {
    let info = rule.info();
    ReportingDescriptor::builder()
        .id(info.name)
        .name(friendly_name(info.name))
        .short_description(
            MultiformatMessageString::builder()
                .text(info.summary)
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(full_description(info.docs))
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(info.docs)
                .markdown(info.docs)
                .build(),
        )
        .help_uri(help_uri(rule))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::json!(info.default_severity.as_str()))
                .build(),
        )
        .build()
}

/// A URI reference for `path` (RFC 3986): every byte but the unreserved characters is
/// percent-encoded, segment by segment, so that `%`, `#`, `?`, spaces and bytes that are not
/// UTF-8 all name the file they came from.
fn uri_path(path: &Path) -> String {
    let mut uri = String::new();
    for (index, component) in path.components().enumerate() {
        let segment = match component {
            Component::RootDir => continue,
            Component::CurDir => ".".as_bytes(),
            Component::ParentDir => "..".as_bytes(),
            Component::Normal(name) => name.as_encoded_bytes(),
            Component::Prefix(prefix) => prefix.as_os_str().as_encoded_bytes(),
        };
        if index > 0 || path.has_root() {
            uri.push('/');
        }
        for &byte in segment {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                uri.push(byte as char);
            } else {
                uri.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    uri
}

/// A file's location: relative to `%SRCROOT%` (the base its name is relative to) when it
/// lies under it, else its absolute `file:` URI.
fn artifact_location(base: &Path, file: &SourceFile) -> ArtifactLocation {
    match file.location.strip_prefix(base) {
        Ok(relative) => ArtifactLocation::builder()
            .uri(uri_path(relative))
            .uri_base_id(SOURCE_ROOT)
            .build(),
        Err(_) => ArtifactLocation::builder()
            .uri(format!("file://{}", uri_path(&file.location)))
            .build(),
    }
}

fn location(outcome: &Outcome, span: Span, message: Option<&str>, id: Option<i64>) -> Location {
    let Place { file, start, end } = place(&outcome.files, span);
    let region = Region::builder()
        .start_line(start.line as i64)
        .start_column(start.column as i64)
        .end_line(end.line as i64)
        .end_column(end.column as i64)
        .build();
    let physical = PhysicalLocation::builder()
        .artifact_location(artifact_location(&outcome.base, file))
        .region(region)
        .build();
    match (message, id) {
        (Some(message), Some(id)) => Location::builder()
            .id(id)
            .physical_location(physical)
            .message(text(message))
            .build(),
        _ => Location::builder().physical_location(physical).build(),
    }
}

/// A fingerprint of what the finding is, not where it sits: rule, file and message (which
/// names the values at fault). Lines are left out, so editing elsewhere in the file does not
/// make a finding look new; identical findings are told apart by their rank.
fn fingerprint_hash(finding: &Finding, path: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325; // FNV-1a
    for byte in [finding.rule.name(), path, &finding.message]
        .iter()
        .flat_map(|part| part.bytes().chain(std::iter::once(0)))
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Reviewing a change (SPEC §11), a result is `new` or `unchanged` against the base.
fn baseline_state(is_new: bool) -> serde_json::Value {
    let state = if is_new {
        ResultBaselineState::New
    } else {
        ResultBaselineState::Unchanged
    };
    serde_json::to_value(state).expect("a unit variant serializes")
}

/// The finding `index` as a SARIF result; `seen` counts the fingerprints given so far.
fn result(outcome: &Outcome, index: usize, seen: &mut HashMap<u64, usize>) -> SarifResult {
    let finding = &outcome.findings[index];
    let path = &outcome.files[finding.primary.file as usize].path;
    let hash = fingerprint_hash(finding, path);
    let rank = seen.entry(hash).or_insert(0);
    let fingerprint = format!("{hash:016x}:{rank}");
    *rank += 1;
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str(&format!(" (help: {help})"));
    }
    let mut result = SarifResult::builder()
        .rule_id(finding.rule.name())
        .rule_index(finding.rule as i64)
        .level(level(finding.severity))
        .message(text(message))
        .locations(vec![location(outcome, finding.primary, None, None)])
        .partial_fingerprints(BTreeMap::from([(
            "ipamLintFinding/v1".to_owned(),
            fingerprint,
        )]))
        .build();
    if let Some(review) = &outcome.review {
        result.baseline_state = Some(baseline_state(review.new[index]));
    }
    if !finding.related.is_empty() {
        result.related_locations = Some(
            finding
                .related
                .iter()
                .enumerate()
                .map(|(id, related)| {
                    location(
                        outcome,
                        related.span,
                        Some(&related.message),
                        Some(id as i64),
                    )
                })
                .collect(),
        );
    }
    result
}

/// The results of the run, each built as it is serialized: a SARIF result takes a few
/// kilobytes in memory, too much to hold a million of them.
struct Results<'a> {
    outcome: &'a Outcome,
    /// The findings reported, in canonical order.
    shown: &'a [usize],
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seen = HashMap::new();
        let mut results = serializer.serialize_seq(Some(self.shown.len()))?;
        for &index in self.shown {
            results.serialize_element(&result(self.outcome, index, &mut seen))?;
        }
        results.end()
    }
}

/// The findings a run reports, at most [`MAX_RESULTS`]: errors before warnings when they
/// are too many, each kept in canonical order.
fn shown_findings(findings: &[Finding]) -> Vec<usize> {
    if findings.len() <= MAX_RESULTS {
        return (0..findings.len()).collect();
    }
    let of = |severity: Severity| {
        findings
            .iter()
            .enumerate()
            .filter(move |(_, finding)| finding.severity == severity)
            .map(|(index, _)| index)
    };
    let mut shown: Vec<usize> = of(Severity::Error)
        .chain(of(Severity::Warning))
        .take(MAX_RESULTS)
        .collect();
    shown.sort_unstable();
    shown
}

/// The run: serde-sarif's `Run` without results, then the results, streamed.
#[derive(Serialize)]
struct RunWithResults<'a> {
    #[serde(flatten)]
    run: Run,
    results: Results<'a>,
}

/// The invocation, which says when results were left out.
fn invocation(left_out: usize) -> Invocation {
    let builder = Invocation::builder().execution_successful(true);
    if left_out == 0 {
        return builder.build();
    }
    let note = Notification::builder()
        .level(serde_json::json!("warning"))
        .message(text(format!(
            "{left_out} more results were left out: code scanning accepts at most {MAX_RESULTS} \
             a run (errors were kept first). `ipam-lint check` lists them all."
        )))
        .build();
    builder.tool_execution_notifications(vec![note]).build()
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [RunWithResults<'a>; 1],
}

/// `--format sarif`: one SARIF 2.1.0 run, for code scanning.
pub struct Sarif;

impl Format for Sarif {
    fn write(&self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        super::buffered(out, |out| write(outcome, out))
    }
}

/// The report as one string (for tests; `write` streams it).
pub fn render(outcome: &Outcome) -> String {
    super::written(|out| write(outcome, out))
}

pub fn write(outcome: &Outcome, out: &mut impl Write) -> io::Result<()> {
    let driver = ToolComponent::builder()
        .name("ipam-lint")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(env!("CARGO_PKG_REPOSITORY"))
        .rules(
            RULES
                .iter()
                .map(|info| descriptor(info.rule))
                .collect::<Vec<_>>(),
        )
        .build();
    let root_uri = format!("file://{}/", uri_path(&outcome.base).trim_end_matches('/'));
    let shown = shown_findings(&outcome.findings);
    let run = Run::builder()
        .invocations(vec![invocation(outcome.findings.len() - shown.len())])
        .tool(Tool::builder().driver(driver).build())
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .original_uri_base_ids(BTreeMap::from([(
            SOURCE_ROOT.to_owned(),
            ArtifactLocation::builder().uri(root_uri).build(),
        )]))
        .build();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [RunWithResults {
            run,
            results: Results {
                outcome,
                shown: &shown,
            },
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}
