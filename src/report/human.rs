//! `--format human`: miette's graphical diagnostics, one per finding, with the other
//! declaration shown from its own file when it lives elsewhere, then a summary line. miette
//! is shown excerpts, never a file itself (see `excerpt.rs`), and every text from a plan is
//! escaped.

use std::fmt;
use std::io::{self, Write};
use std::ops::Range;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::Format;
use super::escape::visible;
use super::excerpt::Excerpt;

use crate::check::{Outcome, Summary};
use crate::finding::{Finding, Related};
use crate::review::{Review, summary};
use crate::rule::Severity;
use crate::source::{SourceFile, Span};

pub struct Style {
    pub color: bool,
    /// Terminal width to wrap messages at.
    pub width: usize,
    /// Whether to end with the summary line.
    pub summary: bool,
    /// Reviewing a change: whether to show the existing findings too.
    pub show_existing: bool,
}

/// One miette diagnostic: the finding itself, or a related declaration in another file.
struct Rendered {
    message: String,
    code: Option<&'static str>,
    severity: miette::Severity,
    source: Excerpt,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
    related: Vec<Rendered>,
}

impl fmt::Debug for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .map(|code| Box::new(code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

fn label(span: Range<usize>, text: &str, primary: bool) -> LabeledSpan {
    let text = Some(visible(text).into_owned());
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

fn bytes(span: Span) -> Range<usize> {
    span.start as usize..span.end as usize
}

/// A diagnostic for miette, every text escaped and every file shown as an [`Excerpt`].
fn rendered(files: &[SourceFile], finding: &Finding) -> Rendered {
    let file = &files[finding.primary.file as usize];
    let same_file: Vec<&Related> = finding
        .related
        .iter()
        .filter(|other| other.span.file == finding.primary.file)
        .collect();
    let spans: Vec<Range<usize>> = std::iter::once(finding.primary)
        .chain(same_file.iter().map(|other| other.span))
        .map(bytes)
        .collect();
    let (source, moved) = Excerpt::of(file, &spans);
    let mut labels = vec![label(moved[0].clone(), "here", true)];
    for (other, span) in same_file.iter().zip(&moved[1..]) {
        labels.push(label(span.clone(), &other.message, false));
    }
    let related = finding
        .related
        .iter()
        .filter(|other| other.span.file != finding.primary.file)
        .map(|other| {
            let other_file = &files[other.span.file as usize];
            let (source, moved) = Excerpt::of(other_file, &[bytes(other.span)]);
            Rendered {
                message: format!("{}: {}", visible(&other_file.path), visible(&other.message)),
                code: None,
                severity: miette::Severity::Advice,
                source,
                labels: vec![label(moved[0].clone(), &other.message, true)],
                help: None,
                related: Vec::new(),
            }
        })
        .collect();
    Rendered {
        message: visible(&finding.message).into_owned(),
        code: Some(finding.rule.name()),
        severity: match finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        },
        source,
        labels,
        help: finding
            .help
            .as_deref()
            .map(|help| visible(help).into_owned()),
        related,
    }
}

/// `--format human`: the report for a person at a terminal, in `Style`.
impl Format for Style {
    fn write(&self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        super::buffered(out, |out| write(outcome, self, out))
    }
}

/// The report as one string (for tests and small outputs; `write` streams it).
pub fn render(outcome: &Outcome, style: &Style) -> String {
    super::written(|out| write(outcome, style, out))
}

/// Writes the report one finding at a time, so a million findings are never held as text.
pub fn write(outcome: &Outcome, style: &Style, out: &mut impl Write) -> io::Result<()> {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // Rule codes link to nothing, and links in a pipe are noise.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_urls(false)
        .with_width(style.width)
        .with_context_lines(1)
        .with_show_related_as_nested(true);
    let mut text = String::new();
    let review = outcome.review.as_ref();
    for (index, finding) in outcome.findings.iter().enumerate() {
        let existing = review.is_some_and(|review| !review.new[index]);
        if existing && !style.show_existing {
            continue;
        }
        text.clear();
        if existing {
            text.push_str("existing: ");
        }
        let diagnostic = rendered(&outcome.files, finding);
        if handler.render_report(&mut text, &diagnostic).is_err() {
            text = format!("{}: {}\n", finding.rule.name(), visible(&finding.message));
        }
        text.push('\n');
        out.write_all(text.as_bytes())?;
    }
    if style.summary {
        if let Some(review) = review {
            write_review(review, style, out)?;
        }
        writeln!(out, "{}", summary_line(&outcome.summary))?;
        if let Some(line) = not_plans_line(outcome) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// The files left out as other tools' (`load::recognize`), a few by name, and how to choose
/// the plan's files instead, wrapped to 80 columns; `None` when every file was a plan's.
pub fn not_plans_line(outcome: &Outcome) -> Option<String> {
    const NAMED: usize = 3;
    let names: Vec<&str> = outcome.not_plan_files().collect();
    let count = names.len();
    if count == 0 {
        return None;
    }
    let files = if count == 1 { "file" } else { "files" };
    let mut words = vec![format!("{count} {files} skipped, not plan files:")];
    let shown = count.min(NAMED);
    for (index, name) in names[..shown].iter().enumerate() {
        let separator = if index + 1 < shown { "," } else { "" };
        words.push(format!("{}{separator}", visible(name)));
    }
    if count > shown {
        words.push(format!("and {} more", count - shown));
    }
    words.push("(files.include in ipam-lint.toml chooses the plan's files)".to_owned());
    Some(wrapped(&words, 80))
}

/// Words joined by spaces into lines of at most `width` columns where they fit, each line
/// after the first indented by two.
fn wrapped(words: &[String], width: usize) -> String {
    let mut text = String::new();
    let mut column = 0;
    for word in words {
        let length = word.chars().count();
        if column > 0 && column + 1 + length > width {
            text.push_str("\n  ");
            column = 2;
        } else if column > 0 {
            text.push(' ');
            column += 1;
        }
        text.push_str(word);
        column += length;
    }
    text
}

/// What the change does to the space, and what it leaves as it was.
fn write_review(review: &Review, style: &Style, out: &mut impl Write) -> io::Result<()> {
    let changes = review.changes.as_deref().unwrap_or_default();
    if let Some(line) = summary::declarations_line(changes) {
        writeln!(out, "change: {}", visible(&line))?;
    }
    for line in summary::block_lines(review.blocks.as_deref().unwrap_or_default()) {
        writeln!(out, "  {}", visible(&line))?;
    }
    let mut line = summary::findings_line(review);
    if review.existing() > 0 && !style.show_existing {
        line.push_str(" (--show-existing shows them)");
    }
    writeln!(out, "{line}")
}

pub fn summary_line(summary: &Summary) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let mut line = format!(
        "{}, {} in {} checked",
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        plural(summary.files, "file"),
    );
    line.push_str(&format!(
        " ({})",
        plural(summary.declarations, "declaration")
    ));
    if summary.suppressed > 0 {
        line.push_str(&format!(", {} suppressed", summary.suppressed));
    }
    line
}
