//! `--format github`: workflow commands that GitHub turns into annotations on the pull
//! request, and the full report as a Markdown table for the job summary (GitHub shows only
//! ten annotations of each level per step). Text from a plan is escaped for each: no
//! control character reaches the log, and nothing in a name is read as a command or markup.

use crate::check::Outcome;
use crate::finding::Finding;
use crate::rule::Severity;

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::Path;

use crate::review::{Review, summary};

use super::escape::visible;
use super::human::summary_line;
use super::{Format, Place, place};

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
    let Place { file, start, end } = place(&outcome.files, finding.primary);
    let command = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    // Each part escaped on its own: the line breaks between them are the annotation's.
    let mut message = visible(&finding.message).into_owned();
    for related in &finding.related {
        let Place {
            file: other,
            start: at,
            ..
        } = place(&outcome.files, related.span);
        message.push_str(&format!(
            "\n{}:{}:{}: {}",
            visible(&other.path),
            at.line,
            at.column,
            visible(&related.message)
        ));
    }
    if let Some(help) = &finding.help {
        message.push_str(&format!("\nhelp: {}", visible(help)));
    }
    format!(
        "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}\n",
        escape_property(&visible(&file.path)),
        start.line,
        end.line,
        start.column,
        end.column,
        escape_property(&format!("ipam-lint: {}", finding.rule.name())),
        escape_data(&message),
    )
}

/// `--format github`: workflow commands, and the job summary when the step has one.
pub struct Github;

impl Format for Github {
    fn write(&self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        super::buffered(out, |out| write(outcome, out))
    }
}

/// Writes the annotations, one line per finding; reviewing a change, per new finding only.
pub fn write(outcome: &Outcome, out: &mut impl std::io::Write) -> std::io::Result<()> {
    for (_, finding) in shown(outcome) {
        out.write_all(annotation(outcome, finding).as_bytes())?;
    }
    Ok(())
}

/// The findings to annotate and list, with their index: all of them, or the new ones when
/// a change is reviewed (SPEC §11).
fn shown(outcome: &Outcome) -> impl Iterator<Item = (usize, &Finding)> {
    let review = outcome.review.as_ref();
    (outcome.findings.iter().enumerate())
        .filter(move |(index, _)| review.is_none_or(|review| review.new[*index]))
}

/// What the change does, for the job summary: its declarations and blocks, and the new
/// findings counted against those there before.
fn review_markdown(review: &Review) -> String {
    let mut out = String::new();
    let changes = review.changes.as_deref().unwrap_or_default();
    if let Some(line) = summary::declarations_line(changes) {
        out.push_str(&format!("Change: {}\n\n", cell(&line)));
    }
    for line in summary::block_lines(review.blocks.as_deref().unwrap_or_default()) {
        out.push_str(&format!("- {}\n", cell(&line)));
    }
    if review
        .blocks
        .as_ref()
        .is_some_and(|blocks| !blocks.is_empty())
    {
        out.push('\n');
    }
    out.push_str(&format!("{}\n\n", cell(&summary::findings_line(review))));
    out
}

/// GitHub shows no job summary of a step over 1 MiB; this leaves room below it.
pub const MAX_SUMMARY_BYTES: usize = 1_000_000;

/// Appends the report to the step's job summary file (`$GITHUB_STEP_SUMMARY`), keeping the
/// whole file, what earlier steps wrote included, under GitHub's limit. The summary holds
/// every finding that fits; annotations stop at ten per level.
pub fn append_job_summary(outcome: &Outcome, summary: &Path) -> io::Result<()> {
    let mut file = OpenOptions::new().create(true).append(true).open(summary)?;
    let written = file.metadata()?.len();
    let room = MAX_SUMMARY_BYTES.saturating_sub(usize::try_from(written).unwrap_or(usize::MAX));
    file.write_all(summary_markdown(outcome, room).as_bytes())
}

/// The files skipped as other tools', the first few by name, as a paragraph; nothing when
/// there are none.
fn not_plans_markdown(outcome: &Outcome) -> String {
    const NAMED: usize = 10;
    let names: Vec<&str> = outcome.not_plan_files().collect();
    if names.is_empty() {
        return String::new();
    }
    let mut listed: Vec<String> = names.iter().take(NAMED).map(|name| code(name)).collect();
    if names.len() > NAMED {
        listed.push(format!("and {} more", names.len() - NAMED));
    }
    format!(
        "{} skipped, not plan files: {}\n\n",
        if names.len() == 1 {
            "1 file".to_owned()
        } else {
            format!("{} files", names.len())
        },
        listed.join(", ")
    )
}

/// Plain text for a Markdown table cell, shown as written: every ASCII punctuation character
/// is escaped with a backslash, so that nothing in it is read as markup, HTML, a link, an
/// autolink (`www.`, `://`, `@`) or a cell boundary; line breaks become spaces.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in visible(text).chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text for a Markdown code span in a table cell: a fence longer than any run of backticks
/// in it, and its pipes escaped (GitHub splits a table's cells before it reads code spans).
fn code(text: &str) -> String {
    let text = visible(text).replace('|', "\\|");
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// The report for `$GITHUB_STEP_SUMMARY` (reviewing a change: what it does, and only its new
/// findings listed), at most `max_bytes` long: when every finding does
/// not fit, the last line says how many were left out and where they all are.
pub fn summary_markdown(outcome: &Outcome, max_bytes: usize) -> String {
    let mut out = String::from("## ipam-lint\n\n");
    out.push_str(&summary_line(&outcome.summary));
    out.push_str("\n\n");
    out.push_str(&not_plans_markdown(outcome));
    if let Some(review) = &outcome.review {
        out.push_str(&review_markdown(review));
    }
    let listed = shown(outcome).count();
    if listed == 0 {
        return if out.len() <= max_bytes {
            out
        } else {
            String::new()
        };
    }
    out.push_str("| severity | rule | location | message |\n| --- | --- | --- | --- |\n");
    // Room for the line that says what was left out.
    let limit = max_bytes.saturating_sub(400);
    for (written, (_, finding)) in shown(outcome).enumerate() {
        let Place {
            file, start: at, ..
        } = place(&outcome.files, finding.primary);
        let mut message = cell(&finding.message);
        if let Some(help) = &finding.help {
            message.push_str(&format!("<br>help: {}", cell(help)));
        }
        let row = format!(
            "| {} | {} | {} | {} |\n",
            finding.severity.as_str(),
            code(finding.rule.name()),
            code(&format!("{}:{}:{}", file.path, at.line, at.column)),
            message
        );
        if out.len() + row.len() > limit {
            let left_out = listed - written;
            out.push_str(&format!(
                "\n{left_out} more {} not shown here: GitHub shows no job summary over 1 MiB. \
                 Every finding is in this step's log, and `ipam-lint check` lists them all.\n",
                if left_out == 1 { "finding" } else { "findings" }
            ));
            break;
        }
        out.push_str(&row);
    }
    out.push('\n');
    if out.len() > max_bytes {
        return String::new();
    }
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

    #[test]
    fn table_cells_are_text_never_markup() {
        assert_eq!(cell("plain words"), "plain words");
        assert_eq!(
            cell("<img src=x> [a](http://e.com) www.e.com a@b.c | *b* \\"),
            "\\<img src\\=x\\> \\[a\\]\\(http\\:\\/\\/e\\.com\\) www\\.e\\.com a\\@b\\.c \\| \\*b\\* \\\\"
        );
        assert_eq!(
            cell("line\nbreak\u{1b}[1m"),
            "line\\\\nbreak\\\\u\\{1b\\}\\[1m"
        );
        assert_eq!(code("a.yaml:1:2"), "`a.yaml:1:2`");
        assert_eq!(code("a`b``c|d"), "```a`b``c\\|d```");
        assert_eq!(code("`x"), "`` `x ``");
    }
}
