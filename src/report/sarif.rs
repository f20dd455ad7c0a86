//! `--format sarif`: SARIF 2.1.0 for code scanning, one run with every rule described.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Tool,
    ToolComponent,
};

use crate::check::Outcome;
use crate::finding::{Finding, Severity};
use crate::rules::{RULES, Rule};
use crate::source::{SourceFile, Span};

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

fn descriptor(rule: Rule) -> ReportingDescriptor {
    let info = rule.info();
    ReportingDescriptor::builder()
        .id(info.name)
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

fn location(files: &[SourceFile], span: Span, message: Option<&str>, id: Option<i64>) -> Location {
    let file = &files[span.file as usize];
    let start = file.position(span.start);
    let end = file.position(span.end);
    let region = Region::builder()
        .start_line(start.line as i64)
        .start_column(start.column as i64)
        .end_line(end.line as i64)
        .end_column(end.column as i64)
        .build();
    let physical = PhysicalLocation::builder()
        .artifact_location(
            ArtifactLocation::builder()
                .uri(file.path.clone())
                .uri_base_id(SOURCE_ROOT)
                .build(),
        )
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

/// One finding as a SARIF result; `seen` counts the fingerprints given so far.
fn result(outcome: &Outcome, finding: &Finding, seen: &mut HashMap<u64, usize>) -> SarifResult {
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
        .locations(vec![location(&outcome.files, finding.primary, None, None)])
        .partial_fingerprints(BTreeMap::from([(
            "ipamLintFinding/v1".to_owned(),
            fingerprint,
        )]))
        .build();
    if !finding.related.is_empty() {
        result.related_locations = Some(
            finding
                .related
                .iter()
                .enumerate()
                .map(|(id, related)| {
                    location(
                        &outcome.files,
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
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seen = HashMap::new();
        let mut results = serializer.serialize_seq(Some(self.outcome.findings.len()))?;
        for finding in &self.outcome.findings {
            results.serialize_element(&result(self.outcome, finding, &mut seen))?;
        }
        results.end()
    }
}

/// The run: serde-sarif's `Run` without results, then the results, streamed.
#[derive(Serialize)]
struct RunWithResults<'a> {
    #[serde(flatten)]
    run: Run,
    results: Results<'a>,
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [RunWithResults<'a>; 1],
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
    let root_uri = format!(
        "file://{}/",
        outcome.root.to_string_lossy().trim_end_matches('/')
    );
    let run = Run::builder()
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
            results: Results { outcome },
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}
