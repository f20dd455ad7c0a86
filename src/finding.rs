//! The one finding type that rules produce and every report format renders.

use crate::rule::{Rule, Severity};
use crate::source::{FileId, Refile, Span};

/// Another declaration involved in a finding, such as the earlier one a duplicate repeats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    /// The rule's default until the config says otherwise.
    pub severity: Severity,
    pub message: String,
    /// The value at fault.
    pub primary: Span,
    pub related: Vec<Related>,
    pub help: Option<String>,
    /// The address space the finding is about, where there is one.
    pub space: Option<String>,
}

impl Refile for Finding {
    fn refile(&mut self, file: FileId) {
        self.primary.refile(file);
        self.related.iter_mut().for_each(|r| r.span.refile(file));
    }
}

impl Finding {
    pub fn new(rule: Rule, primary: Span, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity: rule.default_severity(),
            message: message.into(),
            primary,
            related: Vec::new(),
            help: None,
            space: None,
        }
    }

    pub fn related(mut self, span: Span, message: impl Into<String>) -> Finding {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    pub fn in_space(mut self, space: impl Into<String>) -> Finding {
        self.space = Some(space.into());
        self
    }
}

/// Checks that every finding points inside a file of `files`, at spans whose start comes
/// before their end. True of every run; the fuzz targets and their regression tests hold
/// every input to it.
pub fn check_locations(
    files: &[crate::source::SourceFile],
    findings: &[Finding],
) -> Result<(), String> {
    for finding in findings {
        let spans = std::iter::once(finding.primary).chain(finding.related.iter().map(|r| r.span));
        for span in spans {
            let Some(file) = files.get(span.file as usize) else {
                return Err(format!("{finding:?} points at a file that does not exist"));
            };
            if span.start > span.end || span.end as usize > file.len {
                return Err(format!(
                    "{finding:?} points outside {} ({} bytes)",
                    file.path, file.len
                ));
            }
            let (start, end) = (file.position(span.start), file.position(span.end));
            if start > end {
                return Err(format!("{finding:?}: {start:?} comes after {end:?}"));
            }
        }
    }
    Ok(())
}
