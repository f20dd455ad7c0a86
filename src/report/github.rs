//! `--format github`: workflow commands that GitHub turns into annotations on the pull
//! request, and the full report as a Markdown table for the job summary (GitHub shows only
//! ten annotations of each level per step).

use crate::check::Outcome;
use crate::finding::{Finding, Severity};

use super::human::summary_line;

/// A workflow command's message: `%`, CR and LF are escaped.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: as data, and `:` and `,` too.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn annotation(outcome: &Outcome, finding: &Finding) -> String {
    let file = &outcome.files[finding.primary.file as usize];
    let start = file.position(finding.primary.start);
    let end = file.position(finding.primary.end);
    let command = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = finding.message.clone();
    for related in &finding.related {
        let other = &outcome.files[related.span.file as usize];
        let at = other.position(related.span.start);
        message.push_str(&format!(
            "\n{}:{}:{}: {}",
            other.path, at.line, at.column, related.message
        ));
    }
    if let Some(help) = &finding.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    format!(
        "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}\n",
        escape_property(&file.path),
        start.line,
        end.line,
        start.column,
        end.column,
        escape_property(&format!("ipam-lint: {}", finding.rule.name())),
        escape_data(&message),
    )
}

/// Writes the annotations, one line per finding.
pub fn write(outcome: &Outcome, out: &mut impl std::io::Write) -> std::io::Result<()> {
    for finding in &outcome.findings {
        out.write_all(annotation(outcome, finding).as_bytes())?;
    }
    Ok(())
}

/// A Markdown table cell: pipes escaped, lines joined.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// The whole report for `$GITHUB_STEP_SUMMARY`.
pub fn summary_markdown(outcome: &Outcome) -> String {
    let mut out = String::from("## ipam-lint\n\n");
    out.push_str(&summary_line(&outcome.summary));
    out.push_str("\n\n");
    if outcome.findings.is_empty() {
        return out;
    }
    out.push_str("| severity | rule | location | message |\n| --- | --- | --- | --- |\n");
    for finding in &outcome.findings {
        let file = &outcome.files[finding.primary.file as usize];
        let at = file.position(finding.primary.start);
        let mut message = cell(&finding.message);
        if let Some(help) = &finding.help {
            message.push_str(&format!("<br>help: {}", cell(help)));
        }
        out.push_str(&format!(
            "| {} | `{}` | `{}:{}:{}` | {} |\n",
            finding.severity.as_str(),
            finding.rule.name(),
            cell(&file.path),
            at.line,
            at.column,
            message
        ));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_workflow_command_data_and_properties() {
        assert_eq!(escape_data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
