//! `--format junit`: the findings as a JUnit XML test report, which GitLab, Jenkins, Azure
//! Pipelines and most CI systems show beside their tests. Each file with findings is a test
//! suite and each finding a test case; a finding that fails the run (an error, a warning
//! with `--deny-warnings`; reviewing a change, a new one) is a `<failure>`, any other is a
//! passing case that carries its text. A clean plan is one passing case, so the report
//! always says that the plan was checked.
//!
//! The XML is written here rather than with a crate: it is a dozen elements, and what
//! matters is the escaping, of markup and of the characters XML 1.0 cannot hold at all.

use std::io::{self, Write};

use crate::check::Outcome;
use crate::finding::Finding;
use crate::rule::Severity;

use super::escape::{is_shown, push_escape};
use super::{Format, Place, place};

pub struct Junit {
    /// Whether warnings fail the run (`--deny-warnings`).
    pub deny_warnings: bool,
}

impl Format for Junit {
    fn write(&self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        super::buffered(out, |out| self.write_report(outcome, out))
    }
}

impl Junit {
    fn fails(&self, outcome: &Outcome, index: usize, finding: &Finding) -> bool {
        let counted = (outcome.review.as_ref()).is_none_or(|review| review.new[index]);
        counted && (finding.severity == Severity::Error || self.deny_warnings)
    }

    fn write_report(&self, outcome: &Outcome, out: &mut impl Write) -> io::Result<()> {
        let findings = &outcome.findings;
        let failures = (findings.iter().enumerate())
            .filter(|(index, finding)| self.fails(outcome, *index, finding))
            .count();
        let tests = findings.len().max(1);
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<testsuites name="ipam-lint" tests="{tests}" failures="{failures}" errors="0">"#
        )?;
        if findings.is_empty() {
            writeln!(
                out,
                r#"  <testsuite name="ipam-lint" tests="1" failures="0" errors="0">"#
            )?;
            writeln!(
                out,
                r#"    <testcase name="{}" classname="ipam-lint"/>"#,
                xml_attribute(&format!(
                    "no findings in {} files ({} declarations)",
                    outcome.summary.files, outcome.summary.declarations
                ))
            )?;
            writeln!(out, "  </testsuite>")?;
        }
        // Findings are sorted by file: each run of one file's is a suite.
        let mut start = 0;
        while start < findings.len() {
            let file = findings[start].primary.file;
            let end = start
                + findings[start..]
                    .iter()
                    .take_while(|finding| finding.primary.file == file)
                    .count();
            self.write_suite(outcome, start..end, out)?;
            start = end;
        }
        writeln!(out, "</testsuites>")
    }

    fn write_suite(
        &self,
        outcome: &Outcome,
        indexes: std::ops::Range<usize>,
        out: &mut impl Write,
    ) -> io::Result<()> {
        let findings = &outcome.findings[indexes.clone()];
        let path = &outcome.files[findings[0].primary.file as usize].path;
        let failures = (indexes.clone())
            .filter(|&index| self.fails(outcome, index, &outcome.findings[index]))
            .count();
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{failures}" errors="0">"#,
            xml_attribute(path),
            findings.len()
        )?;
        for index in indexes {
            let finding = &outcome.findings[index];
            let Place { start, .. } = place(&outcome.files, finding.primary);
            let name = format!("{} at {}:{}", finding.rule.name(), start.line, start.column);
            writeln!(
                out,
                r#"    <testcase name="{}" classname="{}" file="{}" line="{}">"#,
                xml_attribute(&name),
                xml_attribute(path),
                xml_attribute(path),
                start.line
            )?;
            let details = xml(&details(outcome, finding, start.line, start.column));
            if self.fails(outcome, index, finding) {
                writeln!(
                    out,
                    r#"      <failure type="{}" message="{}">{details}</failure>"#,
                    finding.severity.as_str(),
                    xml_attribute(&finding.message)
                )?;
            } else {
                writeln!(out, "      <system-out>{details}</system-out>")?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")
    }
}

/// The finding as a few lines of text: where and what, the related locations, the help.
fn details(outcome: &Outcome, finding: &Finding, line: usize, column: usize) -> String {
    let path = &outcome.files[finding.primary.file as usize].path;
    let mut text = format!(
        "{path}:{line}:{column}: {} [{}] {}",
        finding.severity.as_str(),
        finding.rule.name(),
        finding.message
    );
    for related in &finding.related {
        let Place { file, start, .. } = place(&outcome.files, related.span);
        text.push_str(&format!(
            "\n{}:{}:{}: {}",
            file.path, start.line, start.column, related.message
        ));
    }
    if let Some(help) = &finding.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    text
}

/// Text for an XML attribute, where a line break would be read as a space.
fn xml_attribute(text: &str) -> String {
    xml(text).replace('\n', "&#10;")
}

/// Text for an XML attribute or element: markup escaped, and each character that XML 1.0
/// cannot hold (most control characters) or a reader would not see, written as an escape
/// (`\u{1b}`), as every other format shows it. Line breaks stay.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push('\n'),
            c if is_shown(c) => out.push(c),
            c => push_escape(&mut out, c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_characters_xml_cannot_hold_are_escaped() {
        assert_eq!(xml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(xml("x\u{1b}[31m\u{0}y"), "x\\u{1b}[31m\\u{0}y");
        assert_eq!(xml("one\ntwo"), "one\ntwo");
        assert_eq!(xml("\u{202e}txt"), "\\u{202e}txt");
    }
}
