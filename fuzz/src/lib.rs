//! What the fuzz targets check of every result, whatever the input: besides not panicking,
//! every finding points inside a file that exists, at a position that can be shown.

use std::path::Path;

use ipam_lint::finding::Finding;
use ipam_lint::load::load_bytes;
use ipam_lint::source::{SourceFile, Span};

/// Loads `data` as a file named `name`, as the tool loads a file it has read, and checks
/// the findings of loading it.
pub fn load(name: &str, data: &[u8]) {
    let mut findings = Vec::new();
    let (file, _document) = load_bytes(0, name, Path::new(name), data.to_vec(), &mut findings);
    assert_findings_within(std::slice::from_ref(&file), &findings);
}

/// Every span of every finding lies inside its file, and has a line and column.
pub fn assert_findings_within(files: &[SourceFile], findings: &[Finding]) {
    for finding in findings {
        let spans = std::iter::once(finding.primary).chain(finding.related.iter().map(|r| r.span));
        for span in spans {
            assert_span_within(files, span, finding);
        }
    }
}

fn assert_span_within(files: &[SourceFile], span: Span, finding: &Finding) {
    let file = files
        .get(span.file as usize)
        .unwrap_or_else(|| panic!("{finding:?} points at a file that does not exist"));
    assert!(
        span.start <= span.end && span.end as usize <= file.len,
        "{finding:?} points outside {} ({} bytes)",
        file.path,
        file.len
    );
    let (start, end) = (file.position(span.start), file.position(span.end));
    assert!(start <= end, "{finding:?}: {start:?} after {end:?}");
}
